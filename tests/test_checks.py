"""`foui check`: every problem of every input listed at once, exit 1, nothing written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from foui_analysis.checks import check_all
from foui_analysis.cli import main
from foui_analysis.errors import InputError
from foui_analysis.paths import REPO_ROOT

DATA = REPO_ROOT / "data"


def listing(root: Path) -> dict[str, tuple[int, int]]:
    """Every file and directory under ``root`` with its size and modification time."""
    return {
        str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
    }


@pytest.fixture
def copies(tmp_path):
    """Copies of the shipped agreement, reference data and example inputs, to break."""
    shutil.copytree(DATA / "reference", tmp_path / "reference")
    shutil.copytree(DATA / "example", tmp_path / "example")
    shutil.copy(DATA / "agreement.toml", tmp_path / "agreement.toml")
    return tmp_path


def args(root: Path) -> list[str]:
    return [
        "check",
        "--data",
        str(root / "example"),
        "--agreement",
        str(root / "agreement.toml"),
        "--reference",
        str(root / "reference"),
    ]


def replace_line(path: Path, number: int, new: str) -> None:
    """Replace line ``number`` (1 = the header) of a text file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[number - 1] = new
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.pipeline  # foui check on the whole example data: every analysis of every report
def test_the_shipped_data_is_valid_and_the_county_gap_is_a_warning(capsys, copies, monkeypatch):
    monkeypatch.chdir(copies)
    before = listing(copies)
    assert main(args(copies)) == 0
    out, err = capsys.readouterr()
    assert "giltiga" in out
    assert "varning: Folkmängd 2015" in err and "+31" in err
    assert listing(copies) == before


def test_a_broken_data_directory_lists_every_problem_exits_1_and_writes_nothing(
    capsys, copies, monkeypatch
):
    population = copies / "reference" / "scb_population.csv"
    replace_line(population, 3, "2506,Arjeplog,2011,2011-12-31,tre tusen,SCB")
    replace_line(population, 5, "25O6,Arjeplog,2013,2013-12-31,2980,SCB")
    wages = copies / "reference" / "wage_growth.csv"
    replace_line(wages, 2, '2014,3.0,kanske,high,"SCB"')
    activities = copies / "example" / "activities.csv"
    lines = activities.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("area")] = "skolan"
    cells[header.index("task")] = "9"
    replace_line(activities, 2, ",".join(cells))
    agreement = copies / "agreement.toml"
    agreement.write_text(
        agreement.read_text(encoding="utf-8").replace(
            'rate_sek_per_inhabitant = "4"', "rate_sek_per_inhabitant = 4.0"
        ),
        encoding="utf-8",
    )

    monkeypatch.chdir(copies)
    before = listing(copies)
    code = main(args(copies))
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert "Traceback" not in err
    expected = [
        f"{agreement}, kolumn 'components[0].rate_sek_per_inhabitant'",
        f"{population}, rad 3, kolumn 'population'",
        f"{population}, rad 5, kolumn 'municipality_code'",
        f"{wages}, rad 2, kolumn 'status'",
        f"{activities}, rad 2, kolumn 'area'",
        f"{activities}, rad 2, kolumn 'task'",
    ]
    lines = err.strip().splitlines()
    for where in expected:
        assert any(line.startswith(f"fel: {where}: ") for line in lines), (where, err)
    assert listing(copies) == before


def test_a_missing_required_input_and_a_missing_directory(copies):
    (copies / "example" / "activities.csv").unlink()
    with pytest.raises(InputError) as info:
        check_all(copies / "example", copies / "agreement.toml", copies / "reference")
    assert any(
        p.file == str(copies / "example" / "activities.csv") and "saknas" in p.message
        for p in info.value.problems
    )
    with pytest.raises(InputError) as info:
        check_all(copies / "nowhere", copies / "agreement.toml", copies / "reference")
    assert [p.file for p in info.value.problems] == [str(copies / "nowhere")]


@pytest.mark.pipeline  # check_all on the whole example data: every analysis of every report
def test_a_member_without_a_basis_population_is_reported_per_year(copies):
    population = copies / "reference" / "scb_population.csv"
    kept = [
        line
        for line in population.read_text(encoding="utf-8").splitlines()
        if not line.startswith("2584,Kiruna,2013")
    ]
    population.write_text("\n".join(kept) + "\n", encoding="utf-8")
    # the inputs are valid; the fees of 2015 cannot be made until the figure is there (a
    # warning naming the year, the date and the municipality; `foui fees` refuses them)
    warnings = check_all(copies / "example", copies / "agreement.toml", copies / "reference")
    assert any(
        w.startswith("avgifterna för 2015 kan inte beräknas ännu")
        and "31 december 2013" in w
        and "Kiruna (2584)" in w
        for w in warnings
    )


def drop_ledger_year(data: Path, year: int) -> None:
    """Remove every booking of ``year`` from the ledger (the example ledger is by date)."""
    ledger = data / "ledger.csv"
    lines = ledger.read_text(encoding="utf-8").splitlines()
    kept = [lines[0], *(line for line in lines[1:] if not line.startswith(f"{year}-"))]
    assert len(kept) < len(lines), f"the example ledger books {year}"
    ledger.write_text("\n".join(kept) + "\n", encoding="utf-8")


def test_a_year_without_a_single_booking_is_named_not_an_internal_error(capsys, copies):
    drop_ledger_year(copies / "example", 2015)
    before = listing(copies)
    assert main(args(copies)) == 1
    _, err = capsys.readouterr()
    assert f"{copies / 'example' / 'ledger.csv'}, kolumn 'date'" in err
    assert "inga poster för 2015" in err and "internt fel" not in err
    assert listing(copies) == before


@pytest.mark.slow  # a whole foui run command on a copy of the example data
def test_foui_run_refuses_a_year_without_bookings_before_any_report(capsys, copies, tmp_path):
    drop_ledger_year(copies / "example", 2015)
    out = tmp_path / "rapporter"
    rules = [
        "--agreement",
        str(copies / "agreement.toml"),
        "--reference",
        str(copies / "reference"),
    ]
    data = ["--data", str(copies / "example"), "--out", str(out)]
    assert main(["run", "followup", "--period", "2016H2", *data, *rules]) == 1
    _, err = capsys.readouterr()
    assert "inga poster för 2015" in err and "internt fel" not in err
    assert not list(out.glob("*.html")) and not list(out.glob("*/"))  # no report, no index
