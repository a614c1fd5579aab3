"""The published HTML in a real headless Chromium: offline, escaped, readable, printable."""

from pathlib import Path

import pytest
from browserlib import Visit

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = ["uppfoljning-2015H1.html", "avgifter-2015.html", "index.html"]


@pytest.fixture
def visit(browser):
    opened = []

    def open_page(path: Path, width: int = 1280) -> Visit:
        page = Visit(browser, path, width)
        opened.append(page)
        return page

    yield open_page
    for page in opened:
        page.close()


@pytest.mark.parametrize("name", PAGES)
def test_page_requests_nothing_and_logs_no_errors(visit, published_out, name):
    page = visit(published_out / name)
    assert page.blocked == []
    assert page.console_errors == []
    assert page.page_errors == []
    assert page.dialogs == []
    assert page.page.evaluate("document.documentElement.lang") == "sv"


@pytest.mark.parametrize("name", PAGES)
def test_example_banner_is_visible(visit, published_out, name):
    page = visit(published_out / name)
    banner = page.page.locator(".foui-banner")
    assert banner.is_visible()
    assert banner.inner_text().strip() == "EXEMPELDATA – rapporten bygger på fiktiva exempeldata"


def test_report_headings_and_table_of_contents(visit, published_out):
    page = visit(published_out / "uppfoljning-2015H1.html").page
    assert page.locator("h1").inner_text() == "Uppföljning, första halvåret 2015"
    toc = page.locator("nav.foui-toc")
    assert toc.locator("h2").inner_text() == "Innehåll"
    links = toc.locator("a")
    assert links.all_inner_texts() == ["Aktiviteter", "Måluppfyllelse", "Diagram"]
    for href in links.evaluate_all("links => links.map(a => a.getAttribute('href'))"):
        assert page.locator(f"[id='{href[1:]}']").count() == 1
    links.nth(2).click()
    assert page.evaluate("decodeURIComponent(location.hash)") == "#Diagram"
    assert (
        page.locator("footer.foui-provenance h2").inner_text() == "Bilaga: Underlag och spårbarhet"
    )


def test_script_from_data_is_shown_as_text(visit, published_out):
    page = visit(published_out / "uppfoljning-2015H1.html")
    cells = page.page.locator("table.foui-table td").all_inner_texts()
    assert "<script>alert(1)</script>" in cells
    assert page.dialogs == []
    assert page.page.locator("script").count() == 0


def test_images_have_alt_text(visit, published_out):
    page = visit(published_out / "uppfoljning-2015H1.html").page
    images = page.locator("img")
    assert images.count() >= 1
    for alt in images.evaluate_all("imgs => imgs.map(i => i.getAttribute('alt'))"):
        assert alt and alt.strip()
    sizes = images.evaluate_all("imgs => imgs.map(i => i.naturalWidth)")
    assert all(width > 0 for width in sizes)


@pytest.mark.parametrize("name", PAGES[:2])
def test_no_prompts_or_code(visit, published_out, name):
    page = visit(published_out / name).page
    text = page.locator("body").inner_text()
    for code in ("In [", "Out[", "import ", "emit_kpis", "data_dir =", "Traceback"):
        assert code not in text
    assert page.locator(".jp-InputArea-editor, .jp-InputPrompt, pre.highlight").count() == 0


def test_goal_status_in_words(visit, published_out):
    page = visit(published_out / "uppfoljning-2015H1.html").page
    assert page.locator(".status-uppnatt").inner_text().endswith("uppnått")
    assert page.locator(".status-delvis").inner_text().endswith("delvis uppnått")
    assert page.locator(".status-ej").inner_text().endswith("ej uppnått")


def test_index_links_open_the_reports(visit, published_out):
    page = visit(published_out / "index.html").page
    links = page.locator("main a:not(.foui-pdf-link)")
    assert sorted(links.all_inner_texts()) == ["Avgifter 2015", "Uppföljning, första halvåret 2015"]
    assert page.locator("main a.foui-pdf-link").count() == 2  # and each one's PDF
    for href in page.locator("main a").evaluate_all("links => links.map(a => a.href)"):
        assert href.startswith("file://") and Path(href.removeprefix("file://")).is_file()


def test_readable_on_a_phone(visit, published_out):
    page = visit(published_out / "uppfoljning-2015H1.html", width=390).page
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
    size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert size >= 15


def test_prints_on_a4(visit, published_out, tmp_path):
    page = visit(published_out / "uppfoljning-2015H1.html").page
    pdf = page.pdf(prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")
    assert b"/MediaBox [0 0 595" in pdf or b"/MediaBox [0 0 594" in pdf


def test_the_harness_notices_requests_to_other_hosts(visit, tmp_path):
    leaky = tmp_path / "leaky.html"
    leaky.write_text(
        '<!DOCTYPE html><html lang="sv"><body>'
        '<img alt="x" src="https://cdn.example.org/x.png"><script>alert("hej")</script>'
        "</body></html>",
        encoding="utf-8",
    )
    page = visit(leaky)
    assert page.blocked == ["https://cdn.example.org/x.png"]
    assert page.dialogs == ["hej"]
