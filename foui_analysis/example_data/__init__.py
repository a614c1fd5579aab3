"""The fictional example data set: how ``data/example/`` is made.

:mod:`.generator` writes every file of ``data/example/`` from the agreement and the reference
data with a fixed seed (``python -m foui_analysis.example_data.generator --out data/example``);
:mod:`.sie` writes the example's ledger as SIE 4 files, as a finance system would export it, so
that ``foui import sie`` can be shown and tested on it. Nothing here is used by the reports of a
real data set, except that ``foui init`` starts a new data set with the example's goal framework
(:func:`.generator.goal_rows`) and indicators.
"""
