"""Charts a reader can compare: one scale per report kind, zero visible and labelled, decimal
comma on the axes, no overlapping labels, colours apart in lightness, legends."""

from __future__ import annotations

import itertools

import pandas as pd

from foui_analysis.presentation import views
from foui_analysis.presentation.charts import (
    SERIES_DARK,
    SERIES_LIGHT,
    SETTLEMENT_STYLE,
    contrast_ratio,
    new_figure,
    place_labels,
    swedish_axis,
)


def participation(values: dict[str, float]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "municipality": list(values),
            "settlement": ["glesbygd" if i % 2 else "tatort" for i in range(len(values))],
            "participants_per_1000": list(values.values()),
        }
    )


def texts(fig) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def test_series_colours_differ_in_lightness_by_at_least_3_to_1():
    assert contrast_ratio(SERIES_DARK, SERIES_LIGHT) >= 3
    glesbygd, tatort = SETTLEMENT_STYLE["glesbygd"], SETTLEMENT_STYLE["tatort"]
    assert contrast_ratio(glesbygd["color"], tatort["color"]) >= 3
    assert glesbygd["hatch"] != tatort["hatch"] and glesbygd["marker"] != tatort["marker"]
    assert contrast_ratio("#b4543a", "#3a6ea5") < 1.5  # the old pair, as the issue measured


def test_axis_ticks_have_decimal_comma_and_typographic_minus():
    fig = new_figure()
    ax = fig.add_subplot()
    ax.plot([-2.5, 0, 2.5], [0.5, 1.5, 2.5])
    swedish_axis(ax)
    formatter = ax.xaxis.get_major_formatter()
    assert formatter(1.5, 0) == "1,5"
    assert formatter(-2, 0) == "\u22122"
    assert formatter(1000, 0) == "1\u00a0000"
    assert ax.yaxis.get_major_formatter()(2.5, 0) == "2,5"


def test_participation_charts_share_one_scale_and_label_zero():
    first = views.participation_chart(participation({"Luleå": 2.0, "Pajala": 0.0}), "A")
    second = views.participation_chart(participation({"Luleå": 9.5, "Kiruna": 4.25}), "B")
    assert first.axes[0].get_xlim() == second.axes[0].get_xlim()
    assert "0,0" in texts(first) and "2,0" in texts(first)  # zero bar labelled
    assert "9,5" in texts(second)
    assert all(
        "," in label.get_text() or label.get_text().isdigit()
        for label in first.axes[0].get_xticklabels()
    )
    legend = [t.get_text() for t in first.axes[0].get_legend().get_texts()]
    assert legend == ["Glesbygd", "Tätort"]


def test_a_value_beyond_the_shared_scale_widens_the_axis():
    fig = views.participation_chart(participation({"Luleå": 30.0}), "C")
    assert fig.axes[0].get_xlim()[1] >= 30


def test_labels_never_overlap_and_crowded_ones_are_listed():
    fig = new_figure(4, 3)
    ax = fig.add_subplot()
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    crowd = [(f"Kommun {i}", 1 + 0.05 * i, 1 + 0.05 * i, i) for i in range(8)]
    alone = [("Luleå", 8.0, 8.0, 100)]
    left_out = place_labels(ax, crowd + alone)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in ax.texts]
    shown = [t.get_text() for t in ax.texts]
    assert "Luleå" in shown
    assert sorted(shown + left_out) == sorted(name for name, *_ in crowd + alone)
    assert left_out  # eight names cannot all sit in one corner
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b)


def test_fairness_chart_has_a_legend_and_names_the_left_out():
    frame = pd.DataFrame(
        {
            "municipality": ["Luleå", "Piteå", "Arjeplog", "Jokkmokk", "Pajala", "Kalix"],
            "settlement": ["tatort", "tatort", "glesbygd", "glesbygd", "glesbygd", "glesbygd"],
            "fee_share_pct": [30.0, 16.0, 1.0, 1.1, 1.2, 6.0],
            "participation_share_pct": [31.0, 20.0, 0.2, 0.3, 0.4, 9.0],
        }
    )
    fig = views.fairness_chart(frame)
    html = fig.to_html()
    ax = fig.axes[0]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["Glesbygd", "Tätort", "Lika stor andel"]
    shown = {t.get_text() for t in ax.texts}
    missing = {"Luleå", "Piteå", "Arjeplog", "Jokkmokk", "Pajala", "Kalix"} - shown
    for name in missing:
        assert name in html.split("<figcaption>")[1]
    assert ax.get_xlim() == ax.get_ylim() == (0.0, 35.0)
