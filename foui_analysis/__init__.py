"""FoUI Norrbotten analysis: fees, budget, follow-up and evaluation of the joint R&D unit.

Start with :func:`load`::

    import foui_analysis as foui
    ctx = foui.load("data/example")
    ctx                                   # one line: what was loaded
    ctx.table("activities")               # an input table, dates as datetime64

    from foui_analysis.domain import fees
    fees.fee_table(ctx.agreement, ctx.reference, 2015)

The public API is what ``foui.<Tab>`` offers (:data:`__all__`): :func:`load` and
:class:`Context`; :class:`ArgumentError`, the ValueError (with a Swedish message) for an argument
that cannot mean anything; :func:`analysis_ready` and :func:`for_plotting` for a table's dtypes;
and the subpackages ``domain`` (fees, budget, population), ``analyses`` (follow-up, evaluation),
``presentation`` (Swedish formats, tables, charts) and ``explore`` (the scenario explorer).
"""

__all__ = [
    "ArgumentError",
    "Context",
    "analyses",
    "analysis_ready",
    "domain",
    "explore",
    "for_plotting",
    "load",
    "presentation",
]
__version__ = "0.1.0"

_HOMES = {
    "Context": "foui_analysis.context",
    "load": "foui_analysis.context",
    "ArgumentError": "foui_analysis.arguments",
    "analysis_ready": "foui_analysis.frames",
    "for_plotting": "foui_analysis.frames",
}
_SUBPACKAGES = {"analyses", "domain", "explore", "presentation"}


def __getattr__(name: str):
    # Imported on first use, so that the `foui` command (whose entry point imports this
    # package) does not import pandas and pandera when it has nothing to compute.
    import importlib

    if name in _HOMES:
        return getattr(importlib.import_module(_HOMES[name]), name)
    if name in _SUBPACKAGES:
        return importlib.import_module(f"foui_analysis.{name}")
    raise AttributeError(f"module 'foui_analysis' has no attribute {name!r}")


def __dir__() -> list[str]:
    # Tab completion lists the public API, which is imported lazily and so not yet in globals().
    return sorted({*__all__, "__version__"})
