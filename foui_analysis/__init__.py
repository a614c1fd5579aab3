"""FoUI Norrbotten analysis: fees, budget, follow-up and evaluation of the joint R&D unit.

Start with :func:`load`::

    import foui_analysis as foui
    ctx = foui.load("data/example")
"""

from foui_analysis.context import Context, load

__all__ = ["Context", "load"]
__version__ = "0.1.0"
