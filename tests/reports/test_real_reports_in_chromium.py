"""The real reports in a real headless Chromium: offline, Swedish, readable, no code, escaped."""

import csv
import json
import re
import shutil
from pathlib import Path

import pytest
from browserlib import Visit
from reportlib import EXAMPLE, REPORTS

from foui_analysis.runner import followup_job, run_job

pytestmark = [pytest.mark.browser, pytest.mark.slow]

KINDS = sorted(REPORTS)
WITH_GOALS = ["followup", "early followup", "evaluation"]
STATUS_WORDS = {
    "status-uppnatt": "uppnått",
    "status-delvis": "delvis uppnått",
    "status-ej": "ej uppnått",
}
GROUPED_KRONOR = re.compile(r"(?<![\d\u00a0])\d{1,3}(?:\u00a0\d{3})+\u00a0kr")
UNGROUPED_KRONOR = re.compile(r"(?<![\d\u00a0 ])\d{4,}[\u00a0 ]?kr\b")
SHA256 = re.compile(r"[0-9a-f]{64}")
MONEY_KPI = {
    "followup": "kostnader_utfall_hittills_sek",
    "early followup": "kostnader_utfall_hittills_sek",
    "evaluation": "kostnader_utfall_sek",
    "fees": "ram_overgripande_sek",
}


@pytest.fixture(scope="module")
def pages(browser, real_reports):
    """Each real report (and the index) opened once per module: ``pages(kind)``."""
    opened: dict[str, Visit] = {}

    def page(kind: str) -> Visit:
        if kind not in opened:
            name = "index" if kind == "index" else REPORTS[kind]
            opened[kind] = Visit(browser, real_reports / f"{name}.html")
        return opened[kind]

    yield page
    for visit in opened.values():
        visit.close()


def kpis(real_reports, kind):
    return json.loads((real_reports / REPORTS[kind] / "kpis.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("kind", [*KINDS, "index"])
def test_opens_offline_without_errors_or_dialogs(pages, kind):
    visit = pages(kind)
    assert visit.blocked == []
    assert visit.console_errors == []
    assert visit.page_errors == []
    assert visit.dialogs == []
    assert visit.page.evaluate("document.documentElement.lang") == "sv"


@pytest.mark.parametrize("kind", [*KINDS, "index"])
def test_example_banner_is_visible(pages, kind):
    banner = pages(kind).page.locator(".foui-banner")
    assert banner.is_visible()
    assert "EXEMPELDATA" in banner.inner_text()


@pytest.mark.parametrize("kind", KINDS)
def test_summary_first_then_table_of_contents(pages, kind):
    page = pages(kind).page
    headings = page.locator("h2").all_inner_texts()
    assert headings[:2] == ["Sammanfattning", "Innehåll"]
    toc = page.locator("nav.foui-toc")
    assert toc.locator("h2").inner_text() == "Innehåll"
    targets = toc.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert len(targets) >= 4
    for href in targets:
        assert page.locator(f"[id='{href[1:]}']").count() == 1, href


@pytest.mark.parametrize("kind", KINDS)
def test_key_figures_in_swedish_formats(pages, real_reports, kind):
    text = pages(kind).text
    cards = " ".join(pages(kind).page.locator(".foui-kpis").all_inner_texts())
    assert GROUPED_KRONOR.search(cards), cards
    entry = kpis(real_reports, kind)[MONEY_KPI[kind]]
    amount = entry["value"] if isinstance(entry, dict) else entry
    assert f"{amount:,}".replace(",", "\u00a0") + "\u00a0kr" in cards
    assert UNGROUPED_KRONOR.findall(text) == []


@pytest.mark.parametrize("kind", WITH_GOALS)
def test_goal_status_in_words_with_status_classes(pages, kind):
    page = pages(kind).page
    for css, word in STATUS_WORDS.items():
        shown = page.locator(f".foui-status.{css}").all_inner_texts()
        assert {s.strip() for s in shown} <= {word}, css
    classes = page.locator(".foui-status").evaluate_all(
        "spans => spans.map(s => [...s.classList].find(c => c.startsWith('status-')))"
    )
    assert set(classes) <= {*STATUS_WORDS, "status-na"}


@pytest.mark.parametrize("kind", ["followup", "early followup"])
def test_followup_status_words_count_like_its_key_figures(pages, real_reports, kind):
    page, figures = pages(kind).page, kpis(real_reports, kind)
    for css, goals, indicators in [
        ("status-uppnatt", "mal_uppnadda", "indikatorer_uppnadda"),
        ("status-delvis", "mal_delvis", "indikatorer_delvis"),
        ("status-ej", "mal_ej_uppnadda", "indikatorer_ej_uppnadda"),
    ]:
        expected = figures[goals]["value"] + figures[indicators]["value"]
        assert page.locator(f".foui-status.{css}").count() == expected, css


def test_evaluation_shows_all_three_status_words(pages):
    page = pages("evaluation").page
    for css in STATUS_WORDS:
        assert page.locator(f".foui-status.{css}").count() >= 1, css


@pytest.mark.parametrize("kind", KINDS)
def test_every_image_has_alt_text_and_loads(pages, kind):
    images = pages(kind).page.locator("img")
    assert images.count() >= 1
    alts = images.evaluate_all("imgs => imgs.map(i => i.getAttribute('alt'))")
    assert all(alt and alt.strip() for alt in alts), alts
    assert all(w > 0 for w in images.evaluate_all("imgs => imgs.map(i => i.naturalWidth)"))


@pytest.mark.parametrize("kind", KINDS)
def test_no_code_prompts_warnings_or_stderr(pages, kind):
    visit = pages(kind)
    for code in (
        "In [",
        "In\u00a0[",
        "Out[",
        "import ",
        "display(",
        "emit_kpis",
        "Nyckeltal: {",
        "nyckeltal för kpis.json",
        "Om notebooken",
        "data_dir =",
        "Traceback",
        "Warning",
        "warnings.warn",
        "/site-packages/",
    ):
        assert code not in visit.text, code
    hidden = (
        "pre, code.language-python, .highlight, .jp-InputPrompt, .jp-OutputPrompt, "
        ".jp-CodeCell .jp-InputArea, [data-mime-type*='stderr'], .output_stderr"
    )
    assert visit.page.locator(hidden).count() == 0


@pytest.mark.parametrize("kind", KINDS)
def test_provenance_footer_lists_inputs_with_sha256(pages, real_reports, kind):
    footer = pages(kind).page.locator("footer.foui-provenance")
    assert footer.is_visible()
    assert footer.locator("h2").inner_text() == "Bilaga: Underlag och spårbarhet"
    rows = footer.locator("tr:has(td.foui-hash)").evaluate_all(
        "rows => rows.map(r => [r.cells[0].innerText.trim(), r.cells[1].innerText.trim()])"
    )
    record = json.loads((real_reports / REPORTS[kind] / "provenance.json").read_text("utf-8"))
    assert dict(rows) == {i["path"]: i["sha256"] for i in record["inputs"]}
    assert all(SHA256.fullmatch(sha) for _, sha in rows)
    assert any(path == "data/example/activities.csv" for path, _ in rows)
    assert record["git"]["commit"] in footer.inner_text()


def test_injected_commentary_is_shown_as_text(browser, tmp_path, python3_kernel):
    payload = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    data = Path(shutil.copytree(EXAMPLE, tmp_path / "data"))
    with (data / "commentary.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    target = next(r for r in rows if r["period"] == "2015H1")
    target["text"] = payload
    with (data / "commentary.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    out = tmp_path / "out"
    run_job(followup_job("2015H1", data), out)
    with Visit(browser, out / "uppfoljning-2015H1.html") as visit:
        assert payload in visit.text
        assert visit.dialogs == []
        assert visit.page_errors == []
        assert visit.blocked == []
        assert visit.page.locator("script").count() == 0
        assert visit.page.locator("img[src='x']").count() == 0


def test_the_harness_notices_scripts_dialogs_and_requests(browser, tmp_path):
    leaky = tmp_path / "leaky.html"
    leaky.write_text(
        '<!DOCTYPE html><html lang="sv"><body><p>In [1]:</p>'
        '<img src=x onerror="alert(2)"><script>console.error("fel")</script>'
        "</body></html>",
        encoding="utf-8",
    )
    with Visit(browser, leaky) as visit:
        assert visit.dialogs == ["2"]
        assert "fel" in visit.console_errors
        assert visit.blocked == [(tmp_path / "x").as_uri()]
        assert "In [1]:" in visit.text
