"""The scenario explorer and foui.load(): the same library functions as the reports."""

from __future__ import annotations

from decimal import Decimal

import foui_analysis as foui
from foui_analysis import explore
from foui_analysis.paths import REPO_ROOT


def test_load_reads_agreement_reference_and_example_inputs():
    ctx = foui.load(
        REPO_ROOT / "data" / "example",
        REPO_ROOT / "data" / "agreement.toml",
        REPO_ROOT / "data" / "reference",
    )

    assert ctx.is_example
    assert len(ctx.agreement.members) == 14
    assert not ctx.inputs.activities.empty


def test_scenario_at_the_agreed_rate_changes_nothing():
    ctx = foui.load(REPO_ROOT / "data" / "example")

    same = explore.scenario(ctx, explore.Scenario(2015, Decimal(4), "per_inhabitant_sek", ()))

    assert (same["difference_sek"] == 0).all()
    assert same["fee_scenario_sek"].sum() == same["fee_agreed_sek"].sum()


def test_scenario_with_a_member_leaving_and_a_higher_rate():
    ctx = foui.load(REPO_ROOT / "data" / "example")

    found = explore.scenario(
        ctx, explore.Scenario(2015, Decimal(5), "per_inhabitant_sek", ("2580",))
    )

    assert "2580" not in set(found["municipality_code"])
    assert len(found) == 13
    # 5 kr instead of 4 kr per inhabitant: each remaining member pays exactly a quarter more.
    assert (found["fee_scenario_sek"] * 4 == found["fee_agreed_sek"] * 5).all()


def test_equal_shares_split_the_scenario_total_exactly():
    ctx = foui.load(REPO_ROOT / "data" / "example")

    found = explore.scenario(ctx, explore.Scenario(2016, Decimal(4), "equal_sek", ()))

    assert found["fee_scenario_sek"].sum() == found["fee_agreed_sek"].sum()
    assert found["fee_scenario_sek"].max() - found["fee_scenario_sek"].min() <= 1
