"""One figure, one value: a yearly cost, revenue, result or equity shows the same kronor in every
report and table of the example data (follow-ups, evaluations), rounded once from exact sums."""

from __future__ import annotations

import pytest

from foui_analysis.analyses import evaluation, followup
from foui_analysis.periods import Period
from foui_analysis.presentation.formats import format_sek

YEARS = range(2014, 2019)
WINDOWS = [range(2014, 2017), range(2015, 2018), range(2016, 2019)]


def _figures_per_report(example) -> dict[tuple[int, str], dict[str, str]]:
    """``{(year, quantity): {where: value as shown}}`` over every report that shows it."""
    seen: dict[tuple[int, str], dict[str, str]] = {}

    def note(year, quantity, where, value):
        seen.setdefault((year, quantity), {})[where] = (
            format_sek(value) if not isinstance(value, str) else value
        )

    for year in YEARS:
        h2 = Period(year, 2)
        name = f"uppfoljning-{h2}"
        result = followup.result_vs_budget(example, h2)
        total = result[(result["scope"] == "hittills") & (result["area"] == "totalt")].iloc[0]
        note(year, "kostnader", f"{name} resultattabell", total["cost_outcome_sek"])
        note(year, "intakter", f"{name} resultattabell", total["revenue_outcome_sek"])
        note(year, "resultat", f"{name} resultattabell", total["result_outcome_sek"])
        kpis = followup.key_figures_dict(example, h2)
        note(year, "kostnader", f"{name} kpis.json", kpis["kostnader_utfall_hittills_sek"]["value"])
        note(year, "intakter", f"{name} kpis.json", kpis["intakter_utfall_hittills_sek"]["value"])
        note(year, "resultat", f"{name} kpis.json", kpis["resultat_utfall_hittills_sek"]["value"])
        statement = followup.equity_statement(example, h2).set_index("scope")
        note(year, "resultat", f"{name} eget kapital", statement.loc["hittills", "result_sek"])
        note(
            year,
            "eget_kapital",
            f"{name} eget kapital",
            statement.loc["hittills", "closing_equity_sek"],
        )
        note(
            year,
            "eget_kapital",
            f"{name} kpis.json",
            kpis["eget_kapital_prognos_utgaende_sek"]["value"],
        )
        note(
            year,
            "ianspraktaget",
            f"{name} kpis.json",
            kpis["eget_kapital_ianspraktaget_hittills_sek"]["value"],
        )
        note(
            year,
            "ianspraktaget",
            f"{name} eget kapital",
            statement.loc["hittills", "equity_used_sek"],
        )
        if year + 1 <= YEARS[-1]:
            nxt = Period(year + 1, 1)
            opening = followup.equity_statement(example, nxt)["opening_equity_sek"].iloc[0]
            note(year, "eget_kapital", f"uppfoljning-{nxt} ingående eget kapital", opening)
    for window in WINDOWS:
        name = f"utvardering-{window[0]}-{window[-1]}"
        money = evaluation.finances_by_year(example, window).set_index("year")
        cost = evaluation.efficiency(example, window)
        for year in window:
            row = money.loc[year]
            note(year, "kostnader", f"{name} ekonomi", row["cost_outcome_sek"])
            note(year, "intakter", f"{name} ekonomi", row["revenue_outcome_sek"])
            note(year, "resultat", f"{name} ekonomi", row["result_outcome_sek"])
            note(year, "eget_kapital", f"{name} ekonomi", row["closing_equity_outcome_sek"])
            note(year, "ianspraktaget", f"{name} ekonomi", row["equity_used_outcome_sek"])
            total = cost[(cost["year"] == year) & (cost["area"] == "totalt")].iloc[0]
            note(year, "kostnader", f"{name} effektivitet", total["cost_sek"])
    return seen


@pytest.fixture(scope="module")
def figures(example):
    return _figures_per_report(example)


def test_every_yearly_figure_has_one_value_in_every_report(figures):
    differing = {key: shown for key, shown in figures.items() if len(set(shown.values())) != 1}
    assert not differing, differing


def test_the_check_covers_every_year_and_quantity_in_several_reports(figures):
    for year in YEARS:
        for quantity in ("kostnader", "intakter", "resultat", "eget_kapital", "ianspraktaget"):
            assert len(figures[(year, quantity)]) >= 3, (year, quantity)


def test_the_one_krona_case_of_the_issue_is_gone(figures):
    # 2014's costs were 2 668 407 kr in one report and 2 668 408 kr in another
    assert set(figures[(2014, "kostnader")].values()) == {format_sek(2_668_407)}
