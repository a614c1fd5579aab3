"""Budget: staff and operating costs, shared costs, revenue, result, equity and the frame goal."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from io import StringIO

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from foui_analysis.domain import budget as b
from foui_analysis.domain.agreement import AREAS, OperatingCost, StaffPost
from foui_analysis.errors import InputError


def table(text: str) -> pd.DataFrame:
    frame = pd.read_csv(StringIO(text), dtype=str)
    for column in frame.columns:
        if column == "year":
            frame[column] = frame[column].astype("int64")
        elif column.endswith(("_pct", "_sek")):
            frame[column] = frame[column].map(Decimal)
    return frame


@pytest.fixture
def small(agreement, reference):
    """Two posts, one shared, one operating line; rates written out by hand."""
    a = replace(
        agreement,
        base_year=2014,
        staff=(
            StaffPost("ledare", "Vetenskaplig ledare", Decimal("1.0"), "skola"),
            StaffPost("kommunikator", "Kommunikatör", Decimal("0.5"), "gemensam"),
        ),
        operating_costs=(OperatingCost("lokaler", "Lokaler", "gemensam", 100_000),),
        shared_cost_key={"socialtjanst": 1, "skola": 1, "overgripande": 1},
    )
    r = replace(
        reference,
        salaries=table(
            "role,year,monthly_salary_sek\nledare,2014,40000\nkommunikator,2014,30000\n"
        ),
        wage_growth=table("year,wage_growth_pct\n2014,9\n2015,3\n2016,2.5\n"),
        payroll_overhead=table("year,po_pct\n2014,40\n2015,40\n2016,38.5\n"),
        price_index=table("year,pkv_pct\n2014,9\n2015,2\n2016,3\n"),
    )
    return a, r


def test_staff_cost_is_monthly_x_12_x_fte_x_1_plus_po_with_compounding_wage_growth(small):
    a, r = small
    costs = b.staff_costs(a, r, range(2014, 2017))
    expected = pd.DataFrame(
        {
            "year": [2014, 2014, 2015, 2015, 2016, 2016],
            "role": ["ledare", "kommunikator"] * 3,
            "monthly_salary_sek": [40_000, 30_000, 41_200, 30_900, 42_230, 31_673],
            # 40 000 x 12 x 1.0 x 1.40; 41 200 = 40 000 x 1.03; 42 230 = 41 200 x 1.025, PO 38.5 %
            "cost_sek": [672_000, 252_000, 692_160, 259_560, 701_863, 263_198],
        }
    )
    pd.testing.assert_frame_equal(
        costs[["year", "role", "monthly_salary_sek", "cost_sek"]], expected, check_dtype=False
    )
    # 2016: 42 230 x 12 x 1.385 = 701 862.6; the kommunikatör's 30 000 x 1.03 x 1.025 =
    # 31 672.5 a month (shown rounded) x 12 x 0.5 x 1.385 = 263 198.475: rounded once, at the end.


def test_operating_costs_grow_with_pkv_from_the_base_year(small):
    a, r = small
    costs = b.operating_costs(a, r, range(2014, 2017))
    assert list(costs["cost_sek"]) == [100_000, 102_000, 105_060]


def test_shared_costs_are_split_so_area_costs_sum_to_the_total(small):
    a, r = small
    ledger = b.cost_ledger(a, r, range(2014, 2015))
    expected = pd.DataFrame(
        {
            "line": [
                "personal",
                "personal",
                "personal",
                "personal",
                "lokaler",
                "lokaler",
                "lokaler",
            ],
            "area": [
                "skola",
                "socialtjanst",
                "skola",
                "overgripande",
                "socialtjanst",
                "skola",
                "overgripande",
            ],
            "cost_sek": [672_000, 84_000, 84_000, 84_000, 33_333, 33_333, 33_334],
            "shared": [False, True, True, True, True, True, True],
        }
    )
    pd.testing.assert_frame_equal(
        ledger[["line", "area", "cost_sek", "shared"]], expected, check_dtype=False
    )
    assert ledger["cost_sek"].sum() == 672_000 + 252_000 + 100_000


def test_an_unequal_key_shares_by_weight(small):
    a, r = small
    a = replace(a, shared_cost_key={"socialtjanst": 0, "skola": 1, "overgripande": 3})
    ledger = b.cost_ledger(a, r, range(2014, 2015))
    shared = ledger[ledger["shared"]].groupby("area")["cost_sek"].sum().to_dict()
    assert shared == {"socialtjanst": 0, "skola": 63_000 + 25_000, "overgripande": 189_000 + 75_000}


def test_a_missing_rate_year_is_an_input_error_naming_the_file(small):
    a, r = small
    with pytest.raises(InputError) as info:
        b.staff_costs(a, r, range(2014, 2018))
    assert "2017" in info.value.problems[0].message
    assert info.value.problems[0].file.endswith("payroll_overhead.csv")


def test_a_missing_salary_is_an_input_error(small):
    a, r = small
    a = replace(a, staff=(StaffPost("chef", "Chef", Decimal(1), "overgripande"),))
    with pytest.raises(InputError, match="chef"):
        b.staff_costs(a, r, range(2014, 2015))


def test_equity_rolls_forward_by_hand(agreement):
    # 2014: övergripande (funded from equity as needed) costs 500 with no revenue; skola has a
    # deficit of 100. 2015 is also an equity year, but övergripande's surplus needs no equity.
    ledger = pd.DataFrame(
        [
            (2014, "overgripande", "kostnad", "personal", "", 500),
            (2014, "skola", "kostnad", "personal", "", 400),
            (2014, "skola", "intakt", "skola", "avgift", 300),
            (2015, "overgripande", "kostnad", "personal", "", 600),
            (2015, "overgripande", "intakt", "overgripande", "forbundets_ram", 650),
        ],
        columns=b.LEDGER_COLUMNS,
    )
    a = replace(agreement, opening_equity_sek=10_000)
    expected = pd.DataFrame(
        {
            "year": [2014, 2015],
            "opening_equity_sek": [10_000, 9_400],
            "result_sek": [-600, 50],
            "equity_need_sek": [500, 0],
            "equity_used_sek": [500, 0],
            "result_after_equity_sek": [-100, 50],
            "closing_equity_sek": [9_400, 9_450],
        }
    )
    pd.testing.assert_frame_equal(b.equity(a, ledger), expected, check_dtype=False)


def test_the_decided_use_of_equity_is_capped_and_never_more_than_the_need(agreement):
    ledger = pd.DataFrame(
        [
            (2014, "overgripande", "kostnad", "personal", "", 900),
            (2015, "overgripande", "kostnad", "personal", "", Decimal("100.50")),
            (2016, "overgripande", "kostnad", "personal", "", 700),
        ],
        columns=b.LEDGER_COLUMNS,
    )
    a = replace(agreement, opening_equity_sek=1_000, equity_max_sek={2014: 600})
    eq = b.equity(a, ledger).set_index("year")
    # 2014: need 900, the board's cap 600; 2015: need 100,50 (öre kept exact)
    assert eq.loc[2014, "equity_used_sek"] == 600
    assert eq.loc[2014, "result_after_equity_sek"] == -300
    assert eq.loc[2015, "equity_used_sek"] == Decimal("100.50")
    assert eq.loc[2015, "result_after_equity_sek"] == 0
    # 2016 is after the equity years: no use of equity, the deficit stays
    assert eq.loc[2016, "equity_used_sek"] == 0
    assert eq.loc[2016, "result_after_equity_sek"] == -700
    # equity moves by the real result only
    assert eq.loc[2016, "closing_equity_sek"] == Decimal("1000") - 900 - Decimal("100.50") - 700


def test_balance_findings_name_the_year_amount_and_balancing_rate(agreement, reference):
    ledger = pd.DataFrame(
        [
            (2016, "skola", "kostnad", "personal", "", 1_100_000),
            (2016, "skola", "intakt", "skola", "avgift", 999_948),
        ],
        columns=b.LEDGER_COLUMNS,
    )
    a = replace(agreement, opening_equity_sek=50_000)
    found = b.balance_findings(a, reference, b.equity(a, ledger))
    assert list(found["finding"]) == ["ej_i_balans", "negativt_eget_kapital"]
    deficit, negative = found.iloc[0], found.iloc[1]
    assert deficit["amount_sek"] == -100_052
    assert negative["amount_sek"] == -50_052
    # the 2016 fee basis is 249 987 inhabitants (SCB 31 December 2014)
    assert deficit["population"] == 249_987
    # 100 052 / 249 987 = 0,40023 kr, rounded up to whole öre so that it covers the deficit
    assert deficit["extra_rate_sek_per_inhabitant"] == Decimal("0.41")
    assert deficit["balancing_rate_sek_per_inhabitant"] == Decimal("4.41")
    assert Decimal("0.41") * 249_987 >= 100_052 > Decimal("0.40") * 249_987
    assert negative["extra_rate_sek_per_inhabitant"] == Decimal("0.21")


def test_a_balanced_year_has_no_findings(agreement, reference):
    ledger = pd.DataFrame(
        [
            (2016, "skola", "kostnad", "personal", "", 100),
            (2016, "skola", "intakt", "skola", "avgift", 100),
        ],
        columns=b.LEDGER_COLUMNS,
    )
    assert b.balance_findings(agreement, reference, b.equity(agreement, ledger)).empty


@pytest.fixture(scope="module")
def projection(agreement, reference):
    return b.budget(agreement, reference)


def test_the_projection_covers_the_agreement_years(projection):
    assert list(projection.columns) == b.LEDGER_COLUMNS
    assert sorted(projection["year"].unique()) == [2014, 2015, 2016, 2017, 2018]
    assert (projection["amount_sek"] >= 0).all()
    assert projection["amount_sek"].dtype == "int64"


def test_the_projection_reconciles_every_year(agreement, reference, projection):
    results = b.result_by_area(projection)
    costs = b.cost_ledger(agreement, reference, agreement.years)
    for year, rows in results.groupby("year"):
        areas = rows[rows["area"] != "totalt"]
        total = rows[rows["area"] == "totalt"].iloc[0]
        assert list(areas["area"]) == ["socialtjanst", "skola", "overgripande"]
        for column in ("revenue_sek", "cost_sek", "result_sek"):
            assert areas[column].sum() == total[column]
        assert total["cost_sek"] == costs.loc[costs["year"] == year, "cost_sek"].sum()
        year_rows = projection[projection["year"] == year]
        assert (
            total["revenue_sek"] == year_rows.loc[year_rows["kind"] == "intakt", "amount_sek"].sum()
        )


def test_revenue_follows_the_funding_rules(agreement, reference, projection):
    revenue = projection[projection["kind"] == "intakt"].set_index(["year", "line"])
    results = b.result_by_area(projection).set_index(["year", "area"])
    for year in agreement.years:
        # skola is the invoiced fee of 4 kr per inhabitant
        assert revenue.loc[(year, "skola"), "funding_source"] == "avgift"
        # socialtjanst covers its costs (assumption A-SOC): result 0
        assert results.loc[(year, "socialtjanst"), "result_sek"] == 0
        if year in (2014, 2015):
            # equity is not revenue: övergripande has no revenue, its result is minus its costs
            assert (year, "overgripande") not in revenue.index
            over = results.loc[(year, "overgripande")]
            assert over["revenue_sek"] == 0
            assert over["result_sek"] == -over["cost_sek"] < 0
        else:
            assert revenue.loc[(year, "overgripande"), "funding_source"] == "forbundets_ram"
    assert revenue.loc[(2014, "skola"), "amount_sek"] == 994_548
    assert revenue.loc[(2016, "overgripande"), "amount_sek"] == 5 * 249_987


def test_equity_of_the_projection_rolls_forward(agreement, projection):
    eq = b.equity(agreement, projection)
    assert eq["opening_equity_sek"].iloc[0] == agreement.opening_equity_sek
    assert (eq["closing_equity_sek"] == eq["opening_equity_sek"] + eq["result_sek"]).all()
    assert (eq["result_after_equity_sek"] == eq["result_sek"] + eq["equity_used_sek"]).all()
    assert (
        eq["opening_equity_sek"].iloc[1:].to_numpy()
        == eq["closing_equity_sek"].iloc[:-1].to_numpy()
    ).all()
    assert not (projection["funding_source"] == "eget_kapital").any()
    # the use of equity is övergripande's need (its costs) in 2014 and 2015, nothing after
    results = b.result_by_area(projection).set_index(["year", "area"])
    for year, used in zip(eq["year"], eq["equity_used_sek"], strict=True):
        need = results.loc[(year, "overgripande"), "cost_sek"] if year in (2014, 2015) else 0
        assert used == need
    # the projection ends 2018 with negative equity (-48 410 kr), as the issue found
    assert eq["closing_equity_sek"].iloc[-1] == -48_410


def test_frame_goal(agreement, reference, projection):
    goal = b.frame_goal(agreement, reference, projection)
    assert list(goal.columns) == [
        "year",
        "funding_source",
        "frame_sek",
        "cost_sek",
        "margin_sek",
        "within_frame",
        "applies",
    ]
    assert list(goal["applies"]) == [False, False, True, True, True]
    assert (goal["margin_sek"] == goal["frame_sek"] - goal["cost_sek"]).all()
    assert (goal["within_frame"] == (goal["cost_sek"] <= goal["frame_sek"])).all()
    assert goal.loc[goal["year"] == 2014, "frame_sek"].item() == 1_243_185
    costs = b.result_by_area(projection)
    over = costs[costs["area"] == "overgripande"].set_index("year")["cost_sek"]
    assert (goal.set_index("year")["cost_sek"] == over).all()


def test_an_empty_range_of_years_is_refused_not_replaced_by_the_whole_period(agreement, reference):
    with pytest.raises(ValueError, match="empty"):
        b.budget(agreement, reference, range(2016, 2016))


def _result_by_area_by_filters(ledger: pd.DataFrame) -> pd.DataFrame:
    """The definition of result_by_area: a filter per year, area and kind, summed exactly."""
    rows = []
    for year in sorted(set(ledger["year"])):
        part = ledger[ledger["year"] == year]
        for area in (*AREAS, "totalt"):
            rows_area = part if area == "totalt" else part[part["area"] == area]
            if area != "totalt" and rows_area.empty:
                continue
            revenue = b.exact_sum(rows_area.loc[rows_area["kind"] == "intakt", "amount_sek"])
            cost = b.exact_sum(rows_area.loc[rows_area["kind"] == "kostnad", "amount_sek"])
            rows.append(
                {
                    "year": int(year),
                    "area": area,
                    "revenue_sek": revenue,
                    "cost_sek": cost,
                    "result_sek": b.exact_sum([revenue, -b.to_decimal(cost)]),
                }
            )
    return pd.DataFrame(rows, columns=["year", "area", "revenue_sek", "cost_sek", "result_sek"])


@settings(deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(min_value=2014, max_value=2017),
            st.sampled_from([*AREAS, "gemensam"]),
            st.sampled_from(["intakt", "kostnad"]),
            st.one_of(
                st.integers(min_value=-(10**9), max_value=10**9),
                st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False),
            ),
        ),
        max_size=40,
    )
)
def test_result_by_area_is_the_exact_sum_per_year_area_and_kind(entries):
    """One pass over the rows gives what a filter per year, area and kind gives, value and type
    (int kronor stay int, öre stay Decimal), in the same order."""
    ledger = pd.DataFrame(entries, columns=["year", "area", "kind", "amount_sek"])
    ledger["year"] = ledger["year"].astype("int64")
    got = b.result_by_area(ledger)
    expected = _result_by_area_by_filters(ledger)
    assert got.to_dict("records") == expected.to_dict("records")
    for column in ("revenue_sek", "cost_sek", "result_sek"):
        assert [type(v) for v in got[column]] == [type(v) for v in expected[column]]
