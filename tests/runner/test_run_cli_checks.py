"""foui run refuses, before any report runs, what it cannot make."""

from __future__ import annotations

import shutil

import pytest

from foui_analysis.cli import main
from foui_analysis.paths import REPO_ROOT


@pytest.fixture
def ledger_to_2015(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "data" / "example", data)
    ledger = data / "ledger.csv"
    lines = ledger.read_text(encoding="utf-8").splitlines(keepends=True)
    ledger.write_text(
        "".join([lines[0], *(row for row in lines[1:] if row[:4] <= "2015")]), encoding="utf-8"
    )
    return data


def test_followup_beyond_the_ledger_is_refused_naming_the_file(ledger_to_2015, tmp_path, capsys):
    out = tmp_path / "out"

    code = main(
        ["run", "followup", "--period", "2016H1", "--data", str(ledger_to_2015), "--out", str(out)]
    )

    err = capsys.readouterr().err
    assert code == 1
    assert "ledger.csv" in err and "utfallet når inte perioden 2016H1" in err
    assert "sista bokningen 2015-" in err
    assert not (out / "uppfoljning-2016H1.html").exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["run", "followup", "--period", "2020H1"], "utanför avtalsperioden 2014-2018"),
        (["run", "evaluation", "--years", "2012-2014"], "utanför avtalsperioden 2014-2018"),
        (["run", "fees", "--year", "2030"], "utanför avtalsperioden 2014-2018"),
    ],
)
def test_outside_the_agreement_is_refused(argv, message, tmp_path, capsys):
    code = main([*argv, "--out", str(tmp_path / "out")])

    assert code == 1
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("period", ["2016H3", "16H1", "2016-H1"])
def test_malformed_period_is_a_usage_error(period, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["run", "followup", "--period", period])

    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert f"ogiltig period '{period}'" in err and "ÅÅÅÅH1" in err and "ÅÅÅÅH2" in err


def test_evaluation_with_a_bad_input_file_is_refused_with_every_problem(tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "data" / "example", data)
    activities = data / "activities.csv"
    lines = activities.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace(",skola,", ",skolan,", 1)
    lines[2] = lines[2].replace(",2014-03-21,", ",2014-02-30,", 1)
    activities.write_text("".join(lines), encoding="utf-8")

    code = main(
        [
            "run",
            "evaluation",
            "--years",
            "2014-2016",
            "--data",
            str(data),
            "--out",
            str(tmp_path / "out"),
        ]
    )

    err = capsys.readouterr().err
    assert code == 1
    assert "activities.csv, rad 2, kolumn 'area'" in err
    assert "activities.csv, rad 3, kolumn 'date'" in err
    assert "Traceback" not in err
    assert not (tmp_path / "out" / "utvardering-2014-2016.html").exists()
