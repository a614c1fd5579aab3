"""Scheduled operation (issue 5): ``foui run due`` publishes what is due once, then nothing;
a report runs again exactly when its data, notebook, code, templates or parameters changed; a
later follow-up lists the restatements of earlier, already published ones."""

import csv
import dataclasses
import importlib.util
import json
import shutil
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from reportlib import DUE_ON_2015_07_15, EXAMPLE, NOTEBOOKS, REPO, foui, snapshot

from foui_analysis.runner import build_provenance, fees_job, run_job
from foui_analysis.runner import provenance as provenance_module
from foui_analysis.runner.execute import published_fingerprint

pytestmark = pytest.mark.slow


def fingerprint(job) -> str:
    return build_provenance(job)["fingerprint"]


# --- foui run due -------------------------------------------------------------------------


def test_due_on_2015_07_15_publishes_the_2014_and_2015h1_followups_and_fees_2014_2016(
    real_run, real_reports
):
    _, facts = real_run
    first = facts["first_due"]
    assert first["returncode"] == 0, first["stderr"]
    assert first["published"] == DUE_ON_2015_07_15
    lines = first["stderr"].splitlines()
    assert sorted(line.split()[2].rstrip(":") for line in lines[:-1]) == DUE_ON_2015_07_15
    assert all(": publicerad (" in line for line in lines[:-1])
    # Each line names the report's own path (OUT/name.html), not the version folder behind it,
    # which the next publication removes.
    for line in lines[:-1]:
        name = line.split()[2].rstrip(":")
        assert line.endswith(f"/{name}.html") and "/.versions/" not in line, line
    assert lines[-1].endswith("6 rapporter: 6 publicerade, 0 oförändrade, 0 misslyckade")


def test_the_same_due_call_again_publishes_nothing_and_prints_one_line(real_run, real_reports):
    _, facts = real_run
    second = facts["second_due"]
    assert second["returncode"] == 0
    assert second["unchanged"] is True
    assert second["published"] == DUE_ON_2015_07_15
    printed = (second["stdout"] + second["stderr"]).splitlines()
    assert printed == ["Inget att göra: alla aktuella rapporter är publicerade och oförändrade."]


def test_fees_run_again_unchanged_is_skipped(real_out_copy):
    before = snapshot(real_out_copy)
    done = foui("run", "fees", "--year", "2015", "--out", str(real_out_copy))
    assert done.returncode == 0
    assert (done.stdout + done.stderr).splitlines() == [
        "Inget att göra: alla rapporter är publicerade och oförändrade."
    ]
    assert snapshot(real_out_copy) == before


# --- what makes a report run again ----------------------------------------------------------


def test_unchanged_inputs_give_the_published_fingerprint(real_reports):
    assert fingerprint(fees_job(2015, EXAMPLE)) == published_fingerprint(
        real_reports, "avgifter-2015"
    )


def test_a_changed_data_file_changes_the_fingerprint(tmp_path):
    data = Path(shutil.copytree(EXAMPLE, tmp_path / "data"))
    job = fees_job(2015, data)
    before = fingerprint(job)
    ledger = data / "ledger.csv"
    ledger.write_bytes(ledger.read_bytes())  # rewritten, same content
    assert fingerprint(job) == before
    ledger.write_text(
        ledger.read_text(encoding="utf-8").replace(";627,00;", ";628,00;", 1), encoding="utf-8"
    )
    assert fingerprint(job) != before


def test_a_changed_parameter_changes_the_fingerprint(real_reports):
    job = fees_job(2015, EXAMPLE)
    respelled = dataclasses.replace(
        job, parameters={**job.parameters, "data_dir": EXAMPLE.as_posix()}
    )
    assert fingerprint(respelled) != published_fingerprint(real_reports, "avgifter-2015")


def edit_first_markdown_cell(notebook: Path) -> None:
    nb = nbformat.read(str(notebook), as_version=4)
    next(c for c in nb.cells if c.cell_type == "markdown").source += "\n\nEn ny mening."
    nbformat.write(nb, str(notebook))


def test_a_changed_notebook_remakes_a_closed_period_only_when_forced(real_out_copy, tmp_path):
    notebooks = Path(shutil.copytree(NOTEBOOKS, tmp_path / "notebooks"))
    job = fees_job(2015, EXAMPLE, notebooks_dir=notebooks)
    assert run_job(job, real_out_copy).status == "skipped"
    first_kpis = (real_out_copy / "avgifter-2015" / "kpis.json").read_bytes()
    first_page = (real_out_copy / "avgifter-2015.html").read_bytes()
    edit_first_markdown_cell(notebooks / "avgifter.ipynb")
    # The fee year 2015 is over: a change of code alone leaves the report as published.
    assert run_job(job, real_out_copy).status == "older"
    assert (real_out_copy / "avgifter-2015.html").read_bytes() == first_page
    result = run_job(job, real_out_copy, force=True)
    assert result.status == "published"
    page = (real_out_copy / "avgifter-2015.html").read_text(encoding="utf-8")
    assert "En ny mening." in page
    (kept,) = (real_out_copy / "avgifter-2015" / "historik").glob("kpis-*.json")
    assert kept.read_bytes() == first_kpis


@pytest.fixture
def package_copy(tmp_path):
    """A copy of the library, and ``code_sha256`` computed over that copy."""
    package = Path(
        shutil.copytree(
            REPO / "foui_analysis",
            tmp_path / "foui_analysis",
            ignore=shutil.ignore_patterns("__pycache__"),
        )
    )
    spec = importlib.util.spec_from_file_location(
        "copied_provenance", package / "runner" / "provenance.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return package, module.code_sha256


def test_the_package_copy_hashes_like_the_library(package_copy):
    _, copied_code_sha256 = package_copy
    assert copied_code_sha256() == provenance_module.code_sha256()


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(
            lambda p: (p / "presentation" / "formats.py").open("a").write("\n# ändrad\n"),
            id="library-source",
        ),
        pytest.param(
            lambda p: (
                (p / "templates" / "foui" / "static" / "foui.css")
                .open("a")
                .write("\nh1 { color: red; }\n")
            ),
            id="template-css",
        ),
        pytest.param(
            lambda p: (
                (p / "templates" / "foui" / "index.html.j2").open("a").write("\n{#- ändrad -#}\n")
            ),
            id="template-j2",
        ),
        pytest.param(
            lambda p: (p / "templates" / "foui" / "extra.html.j2").write_text(
                "{%- macro x() -%}x{%- endmacro -%}\n"
            ),
            id="new-template-file",
        ),
    ],
)
def test_a_changed_library_or_template_file_changes_the_fingerprint(
    package_copy, monkeypatch, change
):
    package, copied_code_sha256 = package_copy
    job = fees_job(2015, EXAMPLE)
    before = fingerprint(job)
    monkeypatch.setattr(provenance_module, "code_sha256", copied_code_sha256)
    assert fingerprint(job) == before  # the copy hashes like the library
    change(package)
    assert fingerprint(job) != before


# --- restatements ---------------------------------------------------------------------------


def add_participants(data: Path, after: str, extra: int) -> dict:
    """Add ``extra`` participants to the first activity dated on or after ``after``."""
    path = data / "activities.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    changed = next(r for r in rows if r["date"] >= after)
    changed["participants"] = str(int(changed["participants"]) + extra)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return changed


def section_rows(page: str, heading_id: str) -> list[dict[str, str]]:
    """The rows of the first table under the ``<h2 id=heading_id>`` section, by column."""
    soup = BeautifulSoup(page, "html.parser")
    heading = soup.find("h2", id=heading_id)
    table = heading.find_next("table")
    assert table.find_previous("h2") is heading, f"no table under {heading_id}"
    columns = [th.get_text(strip=True) for th in table.find("thead").find_all("th")]
    return [
        dict(
            zip(columns, (td.get_text(strip=True) for td in tr.find_all(["td", "th"])), strict=True)
        )
        for tr in table.find("tbody").find_all("tr")
    ]


def test_a_corrected_2014_activity_is_a_restatement_in_the_2015h1_followup(real_out_copy, tmp_path):
    out = real_out_copy
    published_2014h2 = json.loads((out / "uppfoljning-2014H2" / "kpis.json").read_text("utf-8"))
    participants = published_2014h2["deltagare_hittills"]["value"]
    data = Path(shutil.copytree(EXAMPLE, tmp_path / "data"))
    add_participants(data, after="2014-07-01", extra=100)

    done = foui("run", "followup", "--period", "2015H1", "--data", str(data), "--out", str(out))
    assert done.returncode == 0, done.stderr

    page = (out / "uppfoljning-2015H1.html").read_text(encoding="utf-8")
    rows = section_rows(page, "R%C3%A4ttelser")
    assert {r["Rapport"] for r in rows} == {"uppfoljning-2014H2"}
    (participants_row,) = [r for r in rows if r["Nyckeltal"] == "Deltagare hittills i år"]
    assert participants_row["Publicerat"] == f"{participants:,}".replace(",", "\u00a0")
    assert participants_row["Nu"] == f"{participants + 100:,}".replace(",", "\u00a0")
    assert participants_row["Skillnad"].endswith("100")
    summary = BeautifulSoup(page, "html.parser").find(class_="foui-summary").get_text()
    assert f"{len(rows)} nyckeltal för tidigare perioder skiljer sig" in summary
    # the first publication of 2014H2 is what the board was given; it stays as it was
    assert (
        json.loads((out / "uppfoljning-2014H2" / "kpis.json").read_text("utf-8"))
        == published_2014h2
    )


def rattelser_sentence(page: str) -> str:
    soup = BeautifulSoup(page, "html.parser")
    assert soup.find("h2", id="R%C3%A4ttelser") is not None
    (sentence,) = [
        t
        for t in (p.get_text(" ", strip=True) for p in soup.find_all("p"))
        if t.startswith("Inga rättelser")
    ]
    return sentence


def test_reports_of_one_run_do_not_compare_with_each_other(real_reports):
    # 2014H1, 2014H2 and 2015H1 were made by the same `foui run due`, in parallel: what 2015H1
    # says must not depend on whether the others were published before it read.
    page = (real_reports / "uppfoljning-2015H1.html").read_text(encoding="utf-8")
    assert rattelser_sentence(page) == (
        "Inga rättelser: ingen tidigare uppföljning är publicerad att jämföra med."
    )
    provenance = json.loads(
        (real_reports / "uppfoljning-2015H1" / "provenance.json").read_text("utf-8")
    )
    other = json.loads((real_reports / "uppfoljning-2014H2" / "provenance.json").read_text("utf-8"))
    assert provenance["batch"] and provenance["batch"] == other["batch"]


def test_without_corrections_the_followup_says_there_are_none(real_out_copy):
    done = foui(
        "run",
        "followup",
        "--period",
        "2015H1",
        "--force",
        "--data",
        str(EXAMPLE),
        "--out",
        str(real_out_copy),
    )
    assert done.returncode == 0, done.stderr
    page = (real_out_copy / "uppfoljning-2015H1.html").read_text(encoding="utf-8")
    assert rattelser_sentence(page) == (
        "Inga rättelser: de 2 tidigare publicerade uppföljningarna stämmer med dagens data."
    )
