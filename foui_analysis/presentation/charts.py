"""Charts as self-contained HTML figures with alt text.

Method
------
:func:`figure_html` renders a matplotlib figure to PNG with the Agg renderer (no display, no
GUI toolkit), embeds the bytes as a base64 ``data:`` URI and wraps it in
``<figure><img alt="…"><figcaption>…</figcaption></figure>``. The report therefore stays one
file that requests nothing, and every chart carries a text alternative for screen readers and
for readers whose mail client blocks images. The figure is closed afterwards, so the notebook's
inline backend does not show it a second time and memory is released in long runs.

:func:`new_figure` makes a figure that is not registered with pyplot at all (the object-oriented
API), which is the recommended way to draw in report notebooks.

The chart functions of :mod:`.views` return a :class:`ReportFigure`: a matplotlib ``Figure``
that a researcher can change (``fig.axes[0].set_xlim(...)``, ``fig.savefig("x.svg")``) and that
carries its alt text and caption. Shown in a notebook (``display(fig)`` or a cell's last value)
it renders through :func:`figure_html`, the same ``<figure>`` the report has, at the moment it
is shown, so a change made before showing it is in the picture. ``fig.to_html()`` gives that
HTML directly.

Known limits
------------
PNG at 150 dpi is sharp on screen and adequate on A4 paper, not print-shop quality. The alt
text is the author's responsibility: it should state what the chart shows, in Swedish, in one
or two sentences (for example the trend and the extreme values), not repeat the caption.
"""

from __future__ import annotations

import base64
import io
import math

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

from foui_analysis.presentation.components import Html
from foui_analysis.presentation.formats import format_number

DPI = 150
"""Resolution of embedded charts."""


class ReportFigure(Figure):
    """A matplotlib Figure with the alt text and caption a report shows it with."""

    alt: str = ""
    caption: str | None = None

    def to_html(self) -> Html:
        """The report's ``<figure>``: PNG, alt text and caption (:func:`figure_html`)."""
        return figure_html(self, alt=self.alt, caption=self.caption)

    def _ipython_display_(self) -> None:
        # Only the report's HTML (with alt text), not also matplotlib's own PNG of the figure.
        from IPython.display import display

        html = self.to_html()
        display({"text/html": str(html), "text/plain": f"<Diagram: {self.alt}>"}, raw=True)


def new_figure(width_in: float = 7.0, height_in: float = 3.8) -> ReportFigure:
    """A figure drawn with the Agg renderer and unknown to pyplot (nothing is shown twice)."""
    fig = ReportFigure(figsize=(width_in, height_in), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def report_figure(fig: Figure, alt: str, caption: str | None = None) -> ReportFigure:
    """``fig`` (from :func:`new_figure`) with its alt text and caption, to return from a chart."""
    if not alt or not alt.strip():
        raise ValueError("every chart needs an alt text that says what it shows")
    if not isinstance(fig, ReportFigure):
        raise TypeError("draw charts on new_figure(), which knows how a report shows them")
    fig.alt, fig.caption = alt.strip(), caption
    return fig


def figure_html(fig: Figure, alt: str, caption: str | None = None) -> Html:
    """Embed ``fig`` as ``<figure>`` with a PNG data URI, alt text and an optional caption."""
    if not alt or not alt.strip():
        raise ValueError("every chart needs an alt text that says what it shows")
    buffer = io.BytesIO()
    try:
        fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    finally:
        _close(fig)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    caption_html = Html("<figcaption>{}</figcaption>").format(caption) if caption else ""
    return Html(
        '<figure class="foui-figure"><img src="data:image/png;base64,{}" alt="{}">{}</figure>'
    ).format(data, alt.strip(), caption_html)


def _close(fig: Figure) -> None:
    """Close a pyplot-managed figure; a figure from :func:`new_figure` needs nothing."""
    import matplotlib.pyplot as plt

    if plt.fignum_exists(getattr(fig, "number", -1)):
        plt.close(fig)


# Shared by every chart --------------------------------------------------------------------

SETTLEMENT_STYLE = {
    "glesbygd": {"color": "#1f3b73", "hatch": "", "marker": "o", "label": "Glesbygd"},
    "tatort": {"color": "#e8a33d", "hatch": "///", "marker": "^", "label": "Tätort"},
}
"""Glesbygd dark blue, tätort light amber with hatching: they differ in lightness by more than
3:1 (contrast 5,3:1, so they stay apart in greyscale print) and in pattern."""

SERIES_DARK = "#1f3b73"
SERIES_LIGHT = "#e8a33d"
"""Two series in one chart: dark and light (lightness contrast above 3:1)."""


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours (relative luminance, 1 to 21)."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def swedish_axis(ax, which: str = "both", decimals: int | None = None) -> None:
    """Tick labels with decimal comma, no-break space groups and the typographic minus."""
    from matplotlib.ticker import FuncFormatter

    def tick(value: float, _position: int) -> str:
        shown = round(value, 6)
        places = decimals if decimals is not None else (0 if float(shown).is_integer() else 1)
        return format_number(shown, places)

    if which in ("x", "both"):
        ax.xaxis.set_major_formatter(FuncFormatter(tick))
    if which in ("y", "both"):
        ax.yaxis.set_major_formatter(FuncFormatter(tick))


def nice_limit(largest: float, fixed: float, step: float) -> float:
    """The axis limit shared by every report of a kind: ``fixed``, or more in whole ``step``\\ s
    when the data go beyond it (then the scale differs, and the chart says so by its ticks)."""
    if largest <= fixed:
        return fixed
    return math.ceil(largest / step) * step


def label_bars(ax, bars, values, decimals: int = 1, signed: bool = False) -> None:
    """Write each bar's value at its end; a zero bar gets a visible mark and the label 0."""
    horizontal = bars.orientation == "horizontal" if hasattr(bars, "orientation") else True
    for bar, value in zip(bars, values, strict=True):
        text = format_number(value, decimals, signed=signed)
        if horizontal:
            end = bar.get_x() + bar.get_width()
            y = bar.get_y() + bar.get_height() / 2
            if value == 0:
                ax.plot([0], [y], marker="|", color="#1d2430", markersize=8)
            ax.annotate(
                text,
                (end, y),
                xytext=(3 if value >= 0 else -3, 0),
                textcoords="offset points",
                ha="left" if value >= 0 else "right",
                va="center",
                fontsize=7.5,
            )
        else:
            top = bar.get_y() + bar.get_height()
            x = bar.get_x() + bar.get_width() / 2
            if value == 0:
                ax.plot([x], [0], marker="_", color="#1d2430", markersize=8)
            ax.annotate(
                text,
                (x, top),
                xytext=(0, 2),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=7.5,
            )


def place_labels(ax, points, min_gap_px: float = 2.0) -> list[str]:
    """Label scatter points without overlap; return the names that found no free place.

    ``points`` are ``(name, x, y, priority)``; higher priority is placed first. Each label tries
    eight positions around its point and takes the first whose box overlaps no label placed
    before and no point; a label that fits nowhere is left out (the caller lists those).
    Deterministic, no optimisation library: a greedy placement, enough for 14 municipalities.
    """
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    to_px = ax.transData.transform
    marks = [to_px((x, y)) for _, x, y, _ in points]
    placed: list[Bbox] = []
    left_out: list[str] = []
    offsets = [(4, 3), (4, -10), (-4, 3), (-4, -10), (0, 6), (0, -13), (8, -3), (-8, -3)]
    for name, x, y, _ in sorted(points, key=lambda p: (-p[3], p[0])):
        for dx, dy in offsets:
            label = ax.annotate(
                name,
                (x, y),
                xytext=(dx, dy),
                textcoords="offset points",
                ha="left" if dx > 0 else ("right" if dx < 0 else "center"),
                fontsize=7.5,
            )
            box = label.get_window_extent(renderer).expanded(1.0, 1.0)
            box = box.from_extents(
                box.x0 - min_gap_px, box.y0 - min_gap_px, box.x1 + min_gap_px, box.y1 + min_gap_px
            )
            inside = ax.get_window_extent(renderer)
            clash = (
                any(box.overlaps(other) for other in placed)
                or any(box.contains(px, py) for px, py in marks)
                or not (
                    inside.x0 <= box.x0
                    and box.x1 <= inside.x1
                    and inside.y0 <= box.y0
                    and box.y1 <= inside.y1
                )
            )
            if clash:
                label.remove()
                continue
            placed.append(box)
            break
        else:
            left_out.append(name)
    return sorted(left_out, key=str)
