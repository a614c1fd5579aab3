"""The library at the prompt: one test per problem a researcher met in JupyterLab (issue 14)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest

import foui_analysis as foui
from foui_analysis.domain import fees
from foui_analysis.errors import InputError
from foui_analysis.paths import REPO_ROOT

EXAMPLE = REPO_ROOT / "data" / "example"


@pytest.fixture(scope="module")
def ctx():
    return foui.load(EXAMPLE)


def test_tab_completion_offers_load_and_context():
    # IPython completes module attributes from dir(); load and Context are imported lazily.
    offered = dir(foui)
    assert {"load", "Context", "ArgumentError", "analysis_ready", "for_plotting"} <= set(offered)
    assert set(foui.__all__) <= set(offered)
    assert all(getattr(foui, name) is not None for name in foui.__all__)


def test_the_context_prints_one_short_line(ctx):
    shown = repr(ctx)
    assert "\n" not in shown and len(shown) < 160
    assert shown == (
        f"<Context '{EXAMPLE}', exempeldata: avtal 2014–2018, 14 medlemmar, befolkning 2010–2024>"
    )


def test_a_fee_year_outside_the_agreement_is_refused_in_swedish(ctx):
    with pytest.raises(foui.ArgumentError, match="avgiftsåret 2019 ligger utanför avtalsperioden"):
        fees.fee_table(ctx.agreement, ctx.reference, 2019)


@pytest.mark.parametrize("year", [2015, "2015", " 2015 "])
def test_a_year_as_text_means_the_year(ctx, year):
    table = fees.fee_table(ctx.agreement, ctx.reference, year)
    expected = fees.fee_table(ctx.agreement, ctx.reference, 2015)
    pd.testing.assert_frame_equal(table, expected)


@pytest.mark.parametrize("year", ["tjugofemton", "15", 2015.0, True, None])
def test_a_year_that_is_no_year_is_refused_at_the_boundary(ctx, year):
    with pytest.raises(foui.ArgumentError, match="ska vara ett årtal med fyra siffror"):
        fees.fee_table(ctx.agreement, ctx.reference, year)


def test_member_scenario_takes_names_and_refuses_unknown_ones(ctx):
    by_name = fees.member_scenario(ctx.agreement, ctx.reference, 2015, leaving=["Luleå"])
    by_code = fees.member_scenario(ctx.agreement, ctx.reference, 2015, leaving=("2580",))
    pd.testing.assert_frame_equal(by_name, by_code)
    assert by_name.set_index("municipality_code").loc["2580", "fee_scenario_sek"] == 0
    with pytest.raises(foui.ArgumentError, match="okänd kommun 'Lulea'.*Menade du Luleå"):
        fees.member_scenario(ctx.agreement, ctx.reference, 2015, leaving=["Lulea"])


@pytest.mark.parametrize("rate", [5, "5", "5,00", Decimal(5), 5.0])
def test_with_rate_takes_int_text_and_decimal(ctx, rate):
    changed = ctx.agreement.with_rate("skola", rate)
    assert changed.component("skola").rate_sek_per_inhabitant == Decimal(5)


@pytest.mark.parametrize(
    ("rate", "message"),
    [
        (-1, "avgiften per invånare kan inte vara negativ"),
        ("fem", "avgiften per invånare ska vara ett tal i kronor"),
        (Decimal("NaN"), "avgiften per invånare ska vara ett tal i kronor"),
    ],
)
def test_with_rate_refuses_in_swedish(ctx, rate, message):
    with pytest.raises(foui.ArgumentError, match=message):
        ctx.agreement.with_rate("skola", rate)


def test_an_unknown_component_is_named_in_swedish(ctx):
    with pytest.raises(KeyError, match="okänd komponent 'skolan'; avtalet har 'skola'"):
        ctx.agreement.with_rate("skolan", 5)


def test_dates_come_as_datetime64_and_money_stays_exact(ctx):
    activities = ctx.table("activities")
    assert activities["date"].dtype == "datetime64[ns]"
    monthly = activities.set_index("date").resample("MS")["participants"].sum()
    assert monthly.sum() == ctx.inputs.activities["participants"].sum()
    ledger = ctx.table("ledger")
    assert ledger["date"].dtype == "datetime64[ns]"
    assert all(isinstance(v, Decimal | int) for v in ledger["amount_sek"])
    # The analyses' own table is untouched (they compare with datetime.date).
    assert isinstance(ctx.inputs.activities["date"].iloc[0], dt.date)


def test_floats_for_plotting_are_a_separate_documented_step(ctx):
    ledger = ctx.table("ledger")
    plotted = foui.for_plotting(ledger)
    assert plotted["amount_sek"].dtype == "float64"
    assert float(sum(ledger["amount_sek"])) == pytest.approx(plotted["amount_sek"].sum())
    assert ledger["amount_sek"].dtype == object  # the exact table is not changed


def test_an_unknown_table_name_is_refused(ctx):
    with pytest.raises(InputError, match="okänd tabell 'aktiviteter'"):
        ctx.table("aktiviteter")


def test_loading_a_missing_directory_fails_at_once():
    # At load, not when the first input table is read (the inputs are read lazily).
    with pytest.raises(InputError, match="katalogen med indata finns inte. Menade du .*example"):
        foui.load(REPO_ROOT / "data" / "exmple")
