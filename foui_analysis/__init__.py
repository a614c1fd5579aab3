"""FoUI Norrbotten analysis: fees, budget, follow-up and evaluation of the joint R&D unit.

Start with :func:`load`::

    import foui_analysis as foui
    ctx = foui.load("data/example")
"""

__all__ = ["Context", "load"]
__version__ = "0.1.0"


def __getattr__(name: str):
    # Imported on first use, so that the `foui` command (whose entry point imports this
    # package) does not import pandas and pandera when it has nothing to compute.
    if name in __all__:
        from foui_analysis import context

        return getattr(context, name)
    raise AttributeError(f"module 'foui_analysis' has no attribute {name!r}")
