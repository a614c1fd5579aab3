"""Analyses: the half-year follow-up, the three-year evaluation and the goal logic they share.

Each function takes a :class:`~foui_analysis.analyses.goals.Basis` (the agreement, the reference
data and the inputs, see :func:`~foui_analysis.analyses.goals.analysis_basis`) and returns a tidy
DataFrame whose column names carry their units. Money is exact (``Decimal`` or ``int`` kronor);
shares and ratios are floats with ``_pct`` or ``_per_`` names.
"""
