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


def _closed_through(data, date: str) -> None:
    toml = data / "dataset.toml"
    text = toml.read_text(encoding="utf-8")
    assert "books_closed_through = 2018-12-31" in text
    toml.write_text(text.replace("2018-12-31", date), encoding="utf-8")


@pytest.mark.parametrize(
    ("argv", "name", "end"),
    [
        (["followup", "--period", "2016H2"], "uppfoljning-2016H2", "2016-12-31"),
        (["evaluation", "--years", "2014-2016"], "utvardering-2014-2016", "2016-12-31"),
    ],
)
def test_a_report_of_a_period_whose_books_are_not_closed_is_refused(
    argv, name, end, tmp_path, capsys
):
    data = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "data" / "example", data)
    _closed_through(data, "2016-06-30")
    out = tmp_path / "out"

    code = main(["run", *argv, "--data", str(data), "--out", str(out)])

    err = capsys.readouterr().err
    assert code == 1
    assert "dataset.toml" in err and "books_closed_through" in err
    assert f"{name} görs inte: perioden slutar {end}" in err
    assert "stängd bara t.o.m. 2016-06-30" in err
    assert not out.exists()


def _jobs(argv, data):
    from foui_analysis.cli import build_parser
    from foui_analysis.domain.agreement import load_agreement
    from foui_analysis.runner.cli import build_jobs, closed_jobs

    args = build_parser().parse_args(["run", *argv, "--data", str(data)])
    agreement = load_agreement(REPO_ROOT / "data" / "agreement.toml")
    jobs = build_jobs(args, agreement, data, lambda: set(range(2010, 2020)), titles=False)
    return [job.name for job in closed_jobs(args, agreement, data, jobs)]


def test_run_all_leaves_out_the_unclosed_periods_and_says_which(tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "data" / "example", data)
    _closed_through(data, "2015-06-30")

    names = _jobs(["all"], data)

    assert "uppfoljning-2015H1" in names and "utvardering-2014-2016" not in names
    assert not any(n.startswith("uppfoljning-") and n[-6:] > "2015H1" for n in names)
    assert {f"avgifter-{y}" for y in range(2014, 2019)} <= set(names)
    err = capsys.readouterr().err
    assert "perioden är inte bokslutad" in err and "uppfoljning-2015H2" in err


def test_run_due_waits_for_the_closing_and_names_what_waits(tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "data" / "example", data)
    _closed_through(data, "2016-06-30")

    names = _jobs(["due", "--today", "2017-01-02"], data)

    assert "uppfoljning-2016H1" in names and "uppfoljning-2016H2" not in names
    assert "utvardering-2014-2016" not in names
    err = capsys.readouterr().err
    assert "Väntar på bokslut" in err and "uppfoljning-2016H2, utvardering-2014-2016" in err


def test_a_data_set_without_a_closing_date_gets_a_note_and_nothing_due(tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "data" / "example", data)
    toml = data / "dataset.toml"
    toml.write_text(
        "".join(
            line
            for line in toml.read_text(encoding="utf-8").splitlines(keepends=True)
            if not line.startswith("books_closed_through")
        ),
        encoding="utf-8",
    )

    assert _jobs(["followup", "--period", "2016H2"], data) == ["uppfoljning-2016H2"]
    assert "anger inte till vilket datum bokföringen är stängd" in capsys.readouterr().err
    assert not [n for n in _jobs(["due", "--today", "2019-06-01"], data) if "avgifter" not in n]
