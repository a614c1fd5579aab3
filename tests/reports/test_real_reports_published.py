"""Each real report kind, run through the runner on the example data: what gets published."""

import csv
import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest
from reportlib import EXAMPLE, REPO, REPORTS, foui

pytestmark = pytest.mark.slow

GOLDEN = REPO / "tests" / "golden"
KINDS = sorted(REPORTS)


def read_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def value(entry):
    return entry["value"] if isinstance(entry, dict) else entry


@pytest.mark.parametrize("kind", KINDS)
def test_report_and_its_folder_are_published(real_reports, kind):
    name = REPORTS[kind]
    assert (real_reports / f"{name}.html").stat().st_size > 10_000
    assert {p.name for p in (real_reports / name).iterdir()} == {
        f"{name}.html",
        f"{name}.pdf",
        f"{name}.ipynb",
        "kpis.json",
        "provenance.json",
    }
    # one publication: the HTML and PDF readers open are the ones in the report's folder
    assert (real_reports / f"{name}.html").samefile(real_reports / name / f"{name}.html")
    assert (real_reports / f"{name}.pdf").samefile(real_reports / name / f"{name}.pdf")
    assert not (real_reports / ".misslyckade").exists()
    assert not (real_reports / ".staging").exists()


@pytest.mark.parametrize("kind", ["followup", "early followup", "evaluation"])
def test_kpis_are_the_golden_key_figures_with_label_value_unit(real_reports, kind):
    name = REPORTS[kind]
    kpis = read_json(real_reports / name / "kpis.json")
    golden = read_json(GOLDEN / f"{name}.json")["key_figures"]
    assert sorted(kpis) == sorted(golden)
    for key, entry in kpis.items():
        assert sorted(entry) == ["label", "unit", "value"], key
        assert entry["label"].strip(), key
        assert entry["unit"] == golden[key][1], key
        assert entry["value"] == pytest.approx(golden[key][0], abs=1e-6), key


FEE_KEYS = ["avgift_skola_sek", "invanare_underlag", "medlemmar", "ram_overgripande_sek"]


def population(year: int) -> int:
    """The 14 municipalities' population on 31 December ``year``, from the SCB reference file."""
    with (REPO / "data" / "reference" / "scb_population.csv").open(encoding="utf-8") as handle:
        rows = [
            r
            for r in csv.DictReader(handle)
            if r["year"] == str(year) and r["municipality_code"] != "25"
        ]
    assert len(rows) == 14
    return sum(int(r["population"]) for r in rows)


def test_fees_kpis_are_4_and_5_kr_per_inhabitant_two_years_before(real_reports):
    kpis = {k: value(v) for k, v in read_json(real_reports / "avgifter-2015" / "kpis.json").items()}
    inhabitants = population(2013)
    assert sorted(kpis) == FEE_KEYS
    assert kpis["invanare_underlag"] == inhabitants
    assert kpis["avgift_skola_sek"] == 4 * inhabitants
    assert kpis["ram_overgripande_sek"] == 5 * inhabitants == 1_247_180  # docs/design.md's example
    assert kpis["medlemmar"] == 14


def test_fees_kpis_have_label_value_unit(real_reports):
    kpis = read_json(real_reports / "avgifter-2015" / "kpis.json")
    for key, entry in kpis.items():
        assert isinstance(entry, dict) and sorted(entry) == ["label", "unit", "value"], key


def example_files() -> dict[str, str]:
    return {
        f"data/example/{p.relative_to(EXAMPLE).as_posix()}": hashlib.sha256(
            p.read_bytes()
        ).hexdigest()
        for p in sorted(EXAMPLE.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


@pytest.mark.parametrize("kind", KINDS)
def test_provenance_lists_every_example_file_with_its_sha256(real_reports, kind):
    name = REPORTS[kind]
    record = read_json(real_reports / name / "provenance.json")
    inputs = {i["path"]: i["sha256"] for i in record["inputs"]}
    assert {p: s for p, s in inputs.items() if p.startswith("data/example/")} == example_files()
    assert "data/agreement.toml" in inputs
    assert any(p.startswith("data/reference/") for p in inputs)
    assert record["example_data"] is True
    assert record["report"]["name"] == name
    assert record["parameters"]["data_dir"] == "data/example"
    notebook = REPO / record["notebook"]["path"]
    assert record["notebook"]["sha256"] == hashlib.sha256(notebook.read_bytes()).hexdigest()
    assert re.fullmatch(r"[0-9a-f]{40}|okänd", record["git"]["commit"])


def test_index_links_every_published_report(real_reports):
    page = (real_reports / "index.html").read_text(encoding="utf-8")
    published = sorted(p.stem for p in real_reports.glob("*.html") if p.name != "index.html")
    assert set(REPORTS.values()) <= set(published)
    for name in published:
        title = read_json(real_reports / name / "provenance.json")["report"]["title"]
        assert f'href="{name}.html"' in page, name
        assert title in page, name
    assert "EXEMPELDATA" in page


def cut_to_a_few_2014_activities(data: Path) -> list[dict]:
    """Keep every sixth activity of 2014 and every fifth ledger row of 2014; no dataset.toml and
    no sign-up list (participation.csv, whose activities are from 2016 on)."""
    with (data / "activities.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    kept = [r for r in rows if r["date"].startswith("2014")][::6]
    with (data / "activities.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(kept)
    header, *lines = (data / "ledger.csv").read_text(encoding="utf-8").splitlines()
    ledger = [header, *[line for line in lines if line.startswith("2014")][::5]]
    (data / "ledger.csv").write_text("\n".join(ledger) + "\n", encoding="utf-8")
    (data / "dataset.toml").unlink()
    (data / "participation.csv").unlink()
    return kept


def test_a_followup_of_a_tiny_data_set_through_the_runner(tmp_path, python3_kernel):
    data = Path(shutil.copytree(EXAMPLE, tmp_path / "liten"))
    kept = cut_to_a_few_2014_activities(data)
    assert 3 <= len(kept) <= 10
    out = tmp_path / "out"
    done = foui("run", "followup", "--period", "2014H2", "--data", str(data), "--out", str(out))
    assert done.returncode == 0, done.stderr
    kpis = read_json(out / "uppfoljning-2014H2" / "kpis.json")
    assert kpis["aktiviteter_hittills"]["value"] == len(kept)
    assert kpis["aktiviteter_halvar"]["value"] == sum(r["date"] >= "2014-07" for r in kept)
    assert kpis["deltagare_hittills"]["value"] == sum(int(r["participants"]) for r in kept)
    record = read_json(out / "uppfoljning-2014H2" / "provenance.json")
    assert record["example_data"] is False
    assert {
        Path(i["path"]).relative_to(data).as_posix()
        for i in record["inputs"]
        if i["path"].startswith(data.as_posix())
    } == {p.relative_to(data).as_posix() for p in data.rglob("*") if p.is_file()}
    page = (out / "uppfoljning-2014H2.html").read_text(encoding="utf-8")
    assert "Sammanfattning" in page
    assert "EXEMPELDATA" not in page
