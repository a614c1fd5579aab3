"""HTML blocks: data text is always escaped; status in words; charts with alt text."""

import enum
from decimal import Decimal

import pandas as pd
import pytest

from foui_analysis.presentation import (
    Html,
    Kpi,
    figure_html,
    format_sek,
    html_table,
    join_html,
    kpi_cards,
    new_figure,
    paragraph,
    status_badge,
    summary_box,
)

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_html_table_escapes_cells_headers_and_caption():
    frame = pd.DataFrame({SCRIPT: [SCRIPT], "fee_sek": [Decimal(1000)]})
    table = html_table(frame, {"fee_sek": format_sek}, caption=SCRIPT)
    assert "<script>" not in table
    assert table.count(ESCAPED) == 4  # header, cell, caption and the region's label
    assert "1\u00a0000\u00a0kr" in table


def test_html_table_sits_in_a_labelled_focusable_region_with_totals_in_tfoot():
    frame = pd.DataFrame({"Kommun": ["Luleå", "Piteå", "Summa"], "Invånare": [3, 4, 7]})
    table = html_table(frame, caption="Invånare per kommun", total_rows=1)
    assert table.startswith(
        '<div class="foui-table-wrap" role="region" tabindex="0" aria-label="Invånare per kommun">'
    )
    assert "<caption>Invånare per kommun</caption>" in table
    body, foot = table.split("<tfoot")
    assert "Summa" not in body and "Luleå" in body
    assert '<th scope="row">Summa</th><td class="num">7</td>' in foot
    with pytest.raises(ValueError):
        html_table(frame, total_rows=4)


def test_html_table_right_aligns_numeric_columns_only():
    table = html_table(pd.DataFrame({"name": ["Luleå"], "population": [78000]}))
    assert '<th scope="col">name</th>' in table
    assert '<th scope="col" class="num">population</th>' in table
    assert '<td class="num">78\u00a0000</td>' in table


def test_html_table_shows_missing_as_dash_and_can_show_the_index():
    frame = pd.DataFrame({"n": [1.5, None]}, index=pd.Index(["a", "b"], name="kommun"))
    table = html_table(frame, index=True)
    assert ">kommun</th>" in table
    assert '<td class="num">–</td>' in table


def test_helpers_display_as_html_in_jupyter():
    block = summary_box(["Allt gick bra."])
    assert isinstance(block, Html)
    assert block._repr_html_() == str(block)


def test_kpi_cards_escape_labels_values_and_notes():
    cards = kpi_cards([Kpi(SCRIPT, SCRIPT, SCRIPT), ("Deltagare", "1 234")])
    assert "<script>" not in cards
    assert cards.count('class="foui-kpi"') == 2
    assert kpi_cards({"Kostnad": "5 kr"}).count("foui-kpi-value") == 1


class Status(enum.Enum):
    MET = "uppnått"


@pytest.mark.parametrize(
    ("status", "css", "word"),
    [
        ("uppnått", "status-uppnatt", "uppnått"),
        ("uppnatt", "status-uppnatt", "uppnått"),
        ("Delvis uppnått", "status-delvis", "delvis uppnått"),
        ("ej", "status-ej", "ej uppnått"),
        (Status.MET, "status-uppnatt", "uppnått"),
    ],
)
def test_status_badge_carries_the_word_and_the_class(status, css, word):
    badge = status_badge(status)
    assert f'class="foui-status {css}"' in badge
    assert badge.endswith(f">{word}</span>")


def test_status_badge_refuses_unknown_status():
    with pytest.raises(ValueError, match="okänd|unknown"):
        status_badge("kanske")


def test_summary_box_escapes_points():
    box = summary_box([SCRIPT])
    assert ESCAPED in box and "<script>" not in box
    assert 'class="foui-summary"' in box


def test_join_html_refuses_raw_strings():
    with pytest.raises(TypeError):
        join_html(summary_box([]), SCRIPT)


def test_figure_html_embeds_png_with_alt_and_caption():
    fig = new_figure()
    fig.subplots().plot([1, 2, 3])
    block = figure_html(fig, alt='Linje "upp" <b>', caption=SCRIPT)
    assert block.startswith('<figure class="foui-figure"><img src="data:image/png;base64,iVBOR')
    assert 'alt="Linje &quot;upp&quot; &lt;b&gt;"' in block
    assert f"<figcaption>{ESCAPED}</figcaption>" in block


def test_figure_html_closes_pyplot_figures():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.plot([1, 2])
    figure_html(fig, alt="Linje")
    assert not plt.fignum_exists(fig.number)


def test_figure_html_requires_alt_text():
    with pytest.raises(ValueError):
        figure_html(new_figure(), alt="  ")


def test_html_is_markup_that_escapes_what_is_put_into_it():
    from markupsafe import Markup

    block = Html("<p>{}</p>").format(SCRIPT)
    assert isinstance(block, Markup) and isinstance(block, Html)
    assert block == f"<p>{ESCAPED}</p>"
    assert Html("<b>") + SCRIPT == f"<b>{ESCAPED}"
    assert Html("").join([SCRIPT, Html("<br>")]) == f"{ESCAPED}<br>"
    # html.escape's entities for quotes, as the reports had before Markup
    assert Html('<a title="{}">').format("\"'") == '<a title="&quot;&#x27;">'
    # Html put into Html stays markup
    assert Html("<div>{}</div>").format(paragraph("x")) == "<div><p>x</p></div>"
