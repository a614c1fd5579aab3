"""Imports: turn what a finance system or a survey tool exports into the inputs of a data set.

* :mod:`~foui_analysis.imports.mapping`: the mapping of accounts and dimension objects to the
  ledger's line, area and kind (a TOML file in the data set).
* :mod:`~foui_analysis.imports.ledger`: SIE 4 files to ``ledger.csv`` (and ``budget.csv`` from
  ``#PBUDGET``), with a reconciliation per account against the file's own totals.
* :mod:`~foui_analysis.imports.survey`: a survey tool's export, one row per respondent, to the
  aggregated ``survey.csv``; personal data is dropped (:mod:`~foui_analysis.imports.personal`).
"""
