"""Board-ready reports, checked on the real reports in the real Chromium and in their PDFs.

Nothing clipped at 1280 and 768 px or in print (A4 width), and a long key figure on one line
at every width; zero axe-core violations at 1280
and 375 px; every table captioned and inside a labelled, focusable region; totals as totals;
status symbols hidden from screen readers; the PDF beside each report with page numbers, the
running footer, the board's page first, the appendix last, body text of at least 10 pt and no
heading left at the foot of a page.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from browserlib import Visit
from reportlib import REPORTS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

KINDS = sorted(REPORTS)
PAGES = [*KINDS, "index"]
A4_CONTENT_PX = 680
"""Width of the printable area of A4 with the stylesheet's 15 mm side margins, in CSS px."""
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]

CLIPPED_JS = """() => {
  const found = [];
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > width + 1) {
    found.push(`the page is ${document.documentElement.scrollWidth} px wide, the view ${width}`);
  }
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('.foui-visually-hidden')) continue;  // text for screen readers only
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    const name = el.querySelector?.('caption')?.innerText || el.tagName;
    if (['auto', 'scroll', 'hidden', 'clip'].includes(style.overflowX)
        && el.scrollWidth > el.clientWidth + 1) {
      found.push(`${name}: ${el.scrollWidth} px of content in ${el.clientWidth} px`);
    } else if (box.width > 0 && box.right > width + 1) {
      found.push(`${name} ends at ${Math.round(box.right)} px, the view at ${width}`);
    }
  }
  return found;
}"""


def page_path(real_reports: Path, kind: str) -> Path:
    return real_reports / ("index.html" if kind == "index" else f"{REPORTS[kind]}.html")


@pytest.mark.parametrize("kind", PAGES)
@pytest.mark.parametrize(("width", "media"), [(1280, "screen"), (768, "screen"), (0, "print")])
def test_nothing_is_clipped(browser, real_reports, kind, width, media):
    with Visit(browser, page_path(real_reports, kind), width=width or A4_CONTENT_PX) as visit:
        visit.page.emulate_media(media=media)
        assert visit.page.evaluate(CLIPPED_JS) == []


def test_the_clipping_check_finds_a_table_cut_off(browser, tmp_path):
    wide = tmp_path / "wide.html"
    cells = "".join(f"<td>kolumn{i}kolumn{i}</td>" for i in range(30))
    wide.write_text(
        '<!DOCTYPE html><html lang="sv"><body><main><div style="overflow-x:auto">'
        f"<table><caption>Bred</caption><tr>{cells}</tr></table></div></main></body></html>",
        encoding="utf-8",
    )
    with Visit(browser, wide, width=768) as visit:
        assert any("Bred" in found for found in visit.page.evaluate(CLIPPED_JS))


LONG_AMOUNT = "\u221210\u00a0019\u00a0816\u00a0kr"
"""A long key figure (14 characters): an amount that broke inside its card at 1280 px."""

BROKEN_KPIS_JS = """(value) => {
  const found = [];
  for (const el of document.querySelectorAll('.foui-kpi-value')) {
    el.textContent = value;
    const style = getComputedStyle(el);
    const line = parseFloat(style.lineHeight) || 1.2 * parseFloat(style.fontSize);
    if (el.getBoundingClientRect().height > 1.5 * line) found.push(el.textContent);
  }
  return found;
}"""


@pytest.mark.parametrize("kind", ["followup", "evaluation", "fees"])
@pytest.mark.parametrize(
    ("width", "media"), [(1280, "screen"), (768, "screen"), (375, "screen"), (0, "print")]
)
def test_a_long_key_figure_stays_on_one_line(browser, real_reports, kind, width, media):
    with Visit(browser, page_path(real_reports, kind), width=width or A4_CONTENT_PX) as visit:
        visit.page.emulate_media(media=media)
        assert visit.page.evaluate(BROKEN_KPIS_JS, LONG_AMOUNT) == []


@pytest.mark.parametrize("kind", PAGES)
@pytest.mark.parametrize("width", [1280, 375])
def test_axe_finds_no_violations(browser, real_reports, kind, width):
    from axe_playwright_python.sync_playwright import Axe

    with Visit(browser, page_path(real_reports, kind), width=width) as visit:
        result = Axe().run(visit.page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        violations = result.response["violations"]
        assert result.response["passes"], "axe ran no rule"
        assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations] == []
        assert visit.blocked == []


def test_axe_finds_a_violation_where_there_is_one(browser, tmp_path):
    from axe_playwright_python.sync_playwright import Axe

    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!DOCTYPE html><html lang="sv"><body><div style="overflow:auto;width:50px">'
        '<p style="width:500px">bred text</p></div><img src="data:,"></body></html>',
        encoding="utf-8",
    )
    with Visit(browser, bad, width=375) as visit:
        ids = {v["id"] for v in Axe().run(visit.page).response["violations"]}
    assert {"image-alt", "region", "scrollable-region-focusable"} <= ids


@pytest.mark.parametrize("kind", KINDS)
def test_every_table_is_captioned_in_a_labelled_focusable_region(browser, real_reports, kind):
    with Visit(browser, page_path(real_reports, kind), width=375) as visit:
        tables = visit.page.locator("main table").evaluate_all(
            """tables => tables.map(t => ({
                caption: t.caption ? t.caption.innerText.trim() : '',
                region: t.parentElement.getAttribute('role'),
                label: t.parentElement.getAttribute('aria-label'),
                tabindex: t.parentElement.getAttribute('tabindex'),
            }))"""
        )
        assert len(tables) >= 5
        for table in tables:
            assert table["caption"], table
            assert table["region"] == "region" and table["tabindex"] == "0", table
            assert table["label"] == table["caption"], table
        # a region that scrolls on a phone shows a shadow at its edge (the visible cue)
        backgrounds = visit.page.locator(".foui-table-wrap").evaluate_all(
            "els => els.map(e => getComputedStyle(e).backgroundImage)"
        )
        assert all("radial-gradient" in b for b in backgrounds)


def test_totals_are_marked_up_as_totals(browser, real_reports):
    with Visit(browser, page_path(real_reports, "fees")) as visit:
        totals = visit.page.locator("table:has(caption:text-is('Avgift per kommun och komponent'))")
        row = totals.locator("tfoot tr")
        assert row.count() == 1
        assert row.locator("th[scope=row]").inner_text() == "Summa"
        assert totals.locator("tbody tr").count() == 14


@pytest.mark.parametrize("kind", ["followup", "evaluation"])
def test_status_symbols_are_hidden_from_screen_readers(browser, real_reports, kind):
    with Visit(browser, page_path(real_reports, kind)) as visit:
        contents = visit.page.locator(".foui-status").evaluate_all(
            "els => els.map(e => getComputedStyle(e, '::before').content)"
        )
        assert contents
        assert all(c.endswith('/ ""') for c in contents), set(contents)


@pytest.mark.parametrize("kind", PAGES)
def test_every_part_of_the_page_is_in_a_landmark(browser, real_reports, kind):
    with Visit(browser, page_path(real_reports, kind)) as visit:
        children = visit.page.evaluate(
            "() => [...document.body.children].map(e => e.tagName.toLowerCase())"
        )
        assert set(children) <= {"header", "main", "footer"}, children
        assert children.count("main") == 1


# The PDF -------------------------------------------------------------------------------------


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def pdf_pages(path: Path) -> list[dict]:
    """Each page's lines (top, text) and characters (size, top, text), split at the footer.

    The running footer is the line with "Sida N av M" at the foot of the page; everything above
    it is the body.
    """
    import pdfplumber

    pages = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            lines = [(line["top"], _nfkc(line["text"])) for line in page.extract_text_lines()]
            footer = max(top for top, text in lines if re.search(r"Sida \d+ av \d+", text))
            pages.append(
                {
                    "body": [text for top, text in lines if top < footer - 1],
                    "footer": " ".join(text for top, text in lines if top >= footer - 1),
                    "chars": [
                        (c["size"], _nfkc(c["text"])) for c in page.chars if c["top"] < footer - 1
                    ],
                }
            )
    return pages


@pytest.fixture(scope="module")
def pdfs(real_reports):
    cache: dict[str, list] = {}

    def get(kind: str) -> list:
        if kind not in cache:
            cache[kind] = pdf_pages(real_reports / f"{REPORTS[kind]}.pdf")
        return cache[kind]

    return get


def record(real_reports: Path, kind: str) -> dict:
    return json.loads((real_reports / REPORTS[kind] / "provenance.json").read_text("utf-8"))


@pytest.mark.parametrize("kind", KINDS)
def test_pdf_has_page_numbers_and_the_running_footer(pdfs, real_reports, kind):
    pages = pdfs(kind)
    report = record(real_reports, kind)["report"]
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert f"Sida {number} av {len(pages)}" in page["footer"]
        assert report["title"] in page["footer"]
        assert "skapad" in page["footer"]


@pytest.mark.parametrize("kind", KINDS)
def test_pdf_page_one_is_the_boards_page(pdfs, real_reports, kind):
    first = " ".join(pdfs(kind)[0]["body"])
    report = record(real_reports, kind)["report"]
    assert "EXEMPELDATA" in first
    assert report["title"] in first
    assert "I korthet" in first
    if kind != "fees":  # the board's page: the deviations to look at and the chief's comment
        assert "Att uppmärksamma" in first
        assert "FoUI-chefens kommentar" in first
    assert "Innehåll" not in first  # the contents start on page two
    assert "Underlag och spårbarhet" not in first


@pytest.mark.parametrize("kind", KINDS)
def test_pdf_ends_with_the_appendix(pdfs, kind):
    pages = pdfs(kind)
    texts = [" ".join(page["body"]) for page in pages]
    # the appendix starts on a page of its own (the contents on page two name it too)
    starts = [i for i, page in enumerate(pages) if page["body"][0].startswith("Bilaga:")]
    assert starts, "no appendix"
    first = starts[0]
    assert first > 1
    assert "Underlag och spårbarhet" in " ".join(texts[first:])
    assert "SHA-256" not in " ".join(texts[:first])


@pytest.mark.parametrize("kind", KINDS)
def test_pdf_body_text_is_at_least_10_pt(pdfs, kind):
    for number, page in enumerate(pdfs(kind), start=1):
        smaller = sorted({(round(s, 1), t) for s, t in page["chars"] if s < 9.95 and t.strip()})
        assert smaller == [], f"page {number}: {smaller[:10]}"


@pytest.mark.parametrize("kind", KINDS)
def test_pdf_leaves_no_heading_at_the_foot_of_a_page(browser, pdfs, real_reports, kind):
    with Visit(browser, page_path(real_reports, kind)) as visit:
        headings = {
            " ".join(h.split())
            for h in visit.page.locator("main h2, main h3, caption").all_inner_texts()
        }
    assert len(headings) >= 5
    for number, page in enumerate(pdfs(kind)[:-1], start=1):
        last = " ".join(page["body"][-1].split())
        assert last not in headings, f"page {number} ends with the heading {last!r}"


@pytest.mark.parametrize("kind", KINDS)
def test_pdf_is_tagged_with_the_document_language(real_reports, kind):
    import pdfplumber
    from pdfminer.pdftypes import resolve1

    with pdfplumber.open(real_reports / f"{REPORTS[kind]}.pdf") as pdf:
        catalog = pdf.doc.catalog
        assert "StructTreeRoot" in catalog
        assert resolve1(catalog["MarkInfo"])["Marked"] is True
        assert resolve1(catalog["Lang"]) == b"sv"


def test_index_links_html_and_pdf(browser, real_reports):
    with Visit(browser, real_reports / "index.html") as visit:
        hrefs = visit.page.locator("main a").evaluate_all(
            "as => as.map(a => a.getAttribute('href'))"
        )
    for name in REPORTS.values():
        assert f"{name}.html" in hrefs and f"{name}.pdf" in hrefs
        assert (real_reports / f"{name}.pdf").read_bytes().startswith(b"%PDF-")
