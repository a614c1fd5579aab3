"""``foui run evaluation --years 2015-2017 --through 2017-11``: an evaluation whose last year ends
at a month end. The month must be one of the last year (else wrong usage, exit 2), the years in
the agreement (else exit 1, naming the agreement) and the books closed through it (else exit 1,
naming dataset.toml); the real report is made by papermill and names its window end."""

from __future__ import annotations

import json
import shutil

import pytest

from foui_analysis.cli import main
from foui_analysis.paths import REPO_ROOT
from foui_analysis.runner.jobs import evaluation_job
from foui_analysis.runner.schedule import period_end


def test_the_job_is_named_by_its_month_end_and_passes_the_month():
    job = evaluation_job(2015, 2017, REPO_ROOT / "data" / "example", through_month=11)
    assert job.name == "utvardering-2015-2017-11"
    assert job.parameters["through_month"] == 11
    assert job.title == "Utvärdering 2015–2017, till och med 30 november 2017"
    assert job.period_label == "1 januari 2015–30 november 2017"
    whole = evaluation_job(2015, 2017, REPO_ROOT / "data" / "example")
    assert whole.name == "utvardering-2015-2017" and "through_month" not in whole.parameters
    december = evaluation_job(2015, 2017, REPO_ROOT / "data" / "example", through_month=12)
    assert (december.name, december.parameters) == (whole.name, whole.parameters)
    assert str(period_end("evaluation", "2015-2017-11")) == "2017-11-30"
    assert str(period_end("evaluation", "2015-2017")) == "2017-12-31"


@pytest.mark.parametrize(
    "through", ["2016-11", "2018-01", "2014-05"], ids=["year-before", "year-after", "first-year"]
)
def test_a_month_outside_the_last_year_is_wrong_usage(through, tmp_path, capsys):
    out = tmp_path / "out"
    code = main(
        ["run", "evaluation", "--years", "2015-2017", "--through", through, "--out", str(out)]
    )

    err = capsys.readouterr().err
    assert code == 2
    assert (
        f"--through {through}: månaden {through} ligger inte i utvärderingens sista år 2017" in err
    )
    assert "ange en månad från 2017-01 till 2017-12" in err
    assert "Traceback" not in err and not out.exists()


@pytest.mark.parametrize("through", ["2017-13", "2017-00", "2017H2", "nov", "2017-11-30"])
def test_a_malformed_month_is_refused_by_the_parser(through, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["run", "evaluation", "--years", "2015-2017", "--through", through])

    assert exit_info.value.code == 2
    assert f"väntade en månad ÅÅÅÅ-MM, t.ex. 2017-11, fick '{through}'" in capsys.readouterr().err


def test_a_window_outside_the_agreement_is_refused_naming_the_agreement(tmp_path, capsys):
    out = tmp_path / "out"
    code = main(
        ["run", "evaluation", "--years", "2017-2019", "--through", "2019-05", "--out", str(out)]
    )

    err = capsys.readouterr().err
    assert code == 1
    assert "agreement.toml" in err and "utanför avtalsperioden 2014-2018" in err
    assert not out.exists()


@pytest.fixture
def closed_through_october(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "data" / "example", data)
    toml = data / "dataset.toml"
    text = toml.read_text(encoding="utf-8")
    assert "books_closed_through = 2018-12-31" in text
    toml.write_text(text.replace("2018-12-31", "2017-10-31"), encoding="utf-8")
    return data


def test_a_month_whose_books_are_not_closed_is_refused(closed_through_october, tmp_path, capsys):
    out = tmp_path / "out"
    argv = ["run", "evaluation", "--years", "2015-2017", "--through", "2017-11"]
    code = main([*argv, "--data", str(closed_through_october), "--out", str(out)])

    err = capsys.readouterr().err
    assert code == 1
    assert "dataset.toml" in err and "books_closed_through" in err
    assert "utvardering-2015-2017-11 görs inte: perioden slutar 2017-11-30" in err
    assert "stängd bara t.o.m. 2017-10-31" in err
    assert not out.exists()


def test_a_month_whose_books_are_closed_passes_the_check(closed_through_october):
    from foui_analysis.cli import build_parser
    from foui_analysis.domain.agreement import load_agreement
    from foui_analysis.runner.cli import build_jobs, closed_jobs

    data = closed_through_october
    argv = [
        "run",
        "evaluation",
        "--years",
        "2015-2017",
        "--through",
        "2017-10",
        "--data",
        str(data),
    ]
    args = build_parser().parse_args(argv)
    agreement = load_agreement(REPO_ROOT / "data" / "agreement.toml")
    jobs = build_jobs(args, agreement, data, lambda: set(range(2010, 2020)), titles=False)
    assert [job.name for job in closed_jobs(args, agreement, data, jobs)] == [
        "utvardering-2015-2017-10"
    ]


@pytest.mark.slow
def test_the_evaluation_through_november_2017_is_published_naming_its_window_end(
    python3_kernel, tmp_path, capsys
):
    out = tmp_path / "reports"
    argv = ["run", "evaluation", "--years", "2015-2017", "--through", "2017-11"]
    code = main([*argv, "--out", str(out)])

    err = capsys.readouterr().err
    assert code == 0, err
    name = "utvardering-2015-2017-11"
    html = (out / f"{name}.html").read_text(encoding="utf-8")
    assert "Utvärdering 2015–2017, till och med 30 november 2017" in html
    assert (
        "Det sista året, 2017, är inte helt: utvärderingen omfattar bara januari–november 2017"
        in html
    )
    assert "jämförs med 11/12 av helårsmålet" in html  # the declared rule, in the methods
    assert "Enkäten 2017 ingår inte" in html
    assert "2017 (januari–november)" in html  # the partial year in the tables
    assert "Under januari 2015–november 2017 genomfördes" in html
    assert "eget kapital den 30 november 2017 är" in html
    assert "Traceback" not in html and "Error" not in html
    assert "hittills i år" not in html  # the evaluation says "under januari–november 2017"
    assert (out / f"{name}.pdf").exists()

    kpis = json.loads((out / name / "kpis.json").read_text(encoding="utf-8"))
    assert kpis["utvardering_till_och_med"]["value"] == "2017-11-30"
    assert kpis["sista_aret_manader"]["value"] == 11
    provenance = json.loads((out / name / "provenance.json").read_text(encoding="utf-8"))
    assert provenance["report"]["period_label"] == "1 januari 2015–30 november 2017"
    assert provenance["parameters"]["through_month"] == 11
    index = (out / "index.html").read_text(encoding="utf-8")
    assert f"{name}.html" in index and "30 november 2017" in index
    # The figures are the library's for the same window.
    from foui_analysis.analyses import evaluation
    from foui_analysis.analyses.goals import analysis_basis
    from foui_analysis.domain.agreement import load_agreement
    from foui_analysis.domain.inputs import load_inputs
    from foui_analysis.domain.reference import load_reference

    agreement = load_agreement(REPO_ROOT / "data" / "agreement.toml")
    basis = analysis_basis(
        agreement,
        load_reference(REPO_ROOT / "data" / "reference"),
        load_inputs(REPO_ROOT / "data" / "example", agreement),
    )
    window = evaluation.parse_years("2015-2017", agreement, through=11)
    expected = evaluation.key_figures_dict(basis, window)
    assert kpis["aktiviteter"]["value"] == expected["aktiviteter"]["value"]
    assert (
        kpis["eget_kapital_utgaende_sek"]["value"] == expected["eget_kapital_utgaende_sek"]["value"]
    )
