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
import html
import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from foui_analysis.presentation.components import Html

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
    caption_html = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return Html(
        f'<figure class="foui-figure"><img src="data:image/png;base64,{data}" '
        f'alt="{html.escape(alt.strip(), quote=True)}">{caption_html}</figure>'
    )


def _close(fig: Figure) -> None:
    """Close a pyplot-managed figure; a figure from :func:`new_figure` needs nothing."""
    import matplotlib.pyplot as plt

    if plt.fignum_exists(getattr(fig, "number", -1)):
        plt.close(fig)
