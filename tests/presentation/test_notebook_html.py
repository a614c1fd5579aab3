"""The foui nbconvert template on an in-memory notebook (no kernel needed)."""

import re
from pathlib import Path

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from foui_analysis.presentation.notebook_html import notebook_to_html
from foui_analysis.presentation.report import KPI_MIMETYPE

PROVENANCE = {
    "created": "2026-11-27T10:05:00+01:00",
    "git": {"commit": "0123abcd", "dirty": False},
    "parameters": {"period": "2015H1", "data_dir": "data/example"},
    "inputs": [{"path": "data/example/activities.csv", "sha256": "ab" * 32, "bytes": 10}],
    "packages": {"python": "3.11.7", "pandas": "3.1.1"},
    "report": {"name": "uppfoljning-2015H1"},
}


def _notebook(foui=None, title_cell="# Uppföljning\n\nInledning."):
    nb = new_notebook()
    if foui is not None:
        nb.metadata["foui"] = foui
    nb.cells = [
        new_markdown_cell(title_cell),
        new_code_cell('period = "2015H1"', metadata={"tags": ["parameters"]}),
        new_code_cell(
            "summary()",
            execution_count=2,
            outputs=[
                new_output(
                    "display_data",
                    data={"text/html": '<section class="foui-summary">Slutsats</section>'},
                )
            ],
        ),
        new_markdown_cell("## Ekonomi & budget\n\ntext\n\n### Kostnader"),
        new_code_cell(
            "secret_code_line = 1",
            execution_count=3,
            outputs=[
                new_output("stream", name="stderr", text="UserWarning: hemlig varning"),
                new_output("stream", name="stdout", text="synlig utskrift"),
                new_output("display_data", data={KPI_MIMETYPE: {"n": 1}, "text/plain": "K"}),
                new_output("execute_result", data={"text/plain": "'resultat'"}, execution_count=3),
                new_output("error", ename="ValueError", evalue="hemligt fel", traceback=["tb"]),
                new_output("display_data", data={"application/javascript": "alert(1)"}),
            ],
        ),
        new_markdown_cell("## Mål"),
    ]
    return nb


@pytest.fixture(scope="module")
def page():
    foui = {
        "example_data": True,
        "period_label": "1 januari–30 juni 2015",
        "provenance": PROVENANCE,
    }
    return notebook_to_html(_notebook(foui))


def test_page_is_swedish_and_self_contained(page):
    assert '<html lang="sv">' in page
    assert "Content-Security-Policy" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "<script" not in page
    assert "@page" in page and "size: A4" in page


def test_no_code_prompts_stderr_errors_or_kpi_outputs(page):
    for hidden in (
        "secret_code_line",
        "In&nbsp;[",
        "In [",
        "Out[",
        "hemlig varning",
        "hemligt fel",
        KPI_MIMETYPE,
        'period = "2015H1"',
        "alert(1)",
    ):
        assert hidden not in page
    assert "synlig utskrift" in page
    assert "resultat" in page


def test_header_banner_and_title(page):
    assert "EXEMPELDATA – rapporten bygger på fiktiva exempeldata" in page
    assert "<title>Uppföljning</title>" in page
    assert page.count("<h1") == 1
    assert "1 januari–30 juni 2015" in page


def test_table_of_contents_follows_the_summary(page):
    toc = page[page.index('class="foui-toc"') :]
    assert "Innehåll" in toc
    assert page.index("foui-summary") < page.index('class="foui-toc"')
    assert '<a href="#Ekonomi-&amp;-budget">Ekonomi &amp; budget</a>' in page
    assert '<a href="#Kostnader">Kostnader</a>' in page
    assert 'id="Ekonomi-&amp;-budget"' in page


def test_provenance_footer(page):
    footer = page[page.index('<footer class="foui-provenance"') :]
    assert "Underlag och spårbarhet" in footer
    assert "27 november 2026 kl. 10:05" in footer
    assert "0123abcd" in footer
    assert "ab" * 32 in footer
    assert "data/example/activities.csv" in footer
    assert "pandas" in footer and "3.1.1" in footer
    assert "2015H1" in footer


def test_without_metadata_title_comes_from_h1_and_no_banner():
    page = notebook_to_html(_notebook())
    assert "<title>Uppföljning</title>" in page
    assert "EXEMPELDATA" not in page
    assert "Underlag och spårbarhet" not in page


def test_metadata_title_is_escaped():
    page = notebook_to_html(_notebook({"title": "<script>alert(1)</script>"}))
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>" in page


def test_toc_opens_the_page_without_a_summary():
    nb = _notebook()
    del nb.cells[2]
    page = notebook_to_html(nb)
    assert page.index('class="foui-toc"') < page.index("Inledning")


def test_images_get_alt_text():
    nb = _notebook()
    nb.cells.append(
        new_code_cell(
            "plot()",
            outputs=[
                new_output("display_data", data={"image/png": "iVBORw0KGgo="}),
            ],
        )
    )
    page = notebook_to_html(nb)
    img = re.search(r"<img [^>]*>", page[page.index("<main") :]).group(0)
    assert 'src="data:image/png;base64,iVBORw0KGgo="' in img
    assert re.search(r'alt="[^"]+"', img)


def test_every_report_parameter_has_a_swedish_label_in_the_appendix():
    import nbformat

    from foui_analysis.presentation.notebook_html import PARAMETER_LABELS, provenance_display

    repo = Path(__file__).resolve().parents[2]
    for name in ("uppfoljning", "utvardering", "avgifter"):
        nb = nbformat.read(repo / "notebooks" / f"{name}.ipynb", 4)
        cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
        names = [line.split("=")[0].strip() for line in cell.source.splitlines() if " = " in line]
        assert names, name
        shown = provenance_display({"parameters": dict.fromkeys(names, "x")})["parameters"]
        assert [p["label"] for p in shown] == [PARAMETER_LABELS[n] for n in names]
