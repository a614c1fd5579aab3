"""The scenario explorer and foui.load(): the same library functions as the reports."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

import foui_analysis as foui
from foui_analysis import explore
from foui_analysis.paths import REPO_ROOT
from foui_analysis.presentation import format_int, format_sek


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

    # Luleå is shown as leaving, its fee falling away, not left out.
    lulea = found[found["municipality_code"] == "2580"].iloc[0]
    assert (lulea["status"], lulea["fee_scenario_sek"]) == ("lämnar", 0)
    assert lulea["difference_sek"] == -lulea["fee_agreed_sek"] < 0
    staying = found[found["municipality_code"] != "2580"]
    assert len(found) == 14 and set(staying["status"]) == {"kvar"}
    # 5 kr instead of 4 kr per inhabitant: each remaining member pays exactly a quarter more.
    assert (staying["fee_scenario_sek"] * 4 == staying["fee_agreed_sek"] * 5).all()


def test_equal_shares_split_the_scenario_total_exactly():
    ctx = foui.load(REPO_ROOT / "data" / "example")

    found = explore.scenario(ctx, explore.Scenario(2016, Decimal(4), "equal_sek", ()))

    assert found["fee_scenario_sek"].sum() == found["fee_agreed_sek"].sum()
    assert found["fee_scenario_sek"].max() - found["fee_scenario_sek"].min() <= 1


def test_members_leave_by_name_as_well_as_by_code():
    ctx = foui.load(REPO_ROOT / "data" / "example")
    by_code = explore.scenario(ctx, explore.Scenario(2015, 4, "per_inhabitant_sek", ("2580",)))
    by_name = explore.scenario(ctx, explore.Scenario(2015, "4", "per_inhabitant_sek", ("luleå",)))
    assert by_name.equals(by_code)


def test_a_municipality_joins_and_pays_from_the_scenario():
    ctx = foui.load(REPO_ROOT / "data" / "example")
    fewer = foui.Context(
        ctx.agreement.with_members(tuple(m for m in ctx.agreement.members if m != "2584")),
        ctx.reference,
        ctx.data_dir,
    )
    found = explore.scenario(
        fewer, explore.Scenario(2015, 4, "per_inhabitant_sek", (), ("Kiruna",))
    )
    kiruna = found[found["municipality_code"] == "2584"].iloc[0]
    assert kiruna["status"] == "ansluter"
    assert kiruna["fee_agreed_sek"] == 0
    assert kiruna["fee_scenario_sek"] == 4 * kiruna["population"]


def test_the_shown_table_has_a_totals_row_and_leaving_members_in_words():
    ctx = foui.load(REPO_ROOT / "data" / "example")
    chosen = explore.Scenario(2016, Decimal(5), "per_inhabitant_sek", ("Luleå",))
    frame = explore.scenario(ctx, chosen)
    html = explore.scenario_view(ctx, chosen)
    assert "Scenario: 5 kr per invånare för FoUI skola 2016; per invånare; lämnar: Luleå." in html
    assert "<td>Luleå</td><td>lämnar</td>" in html
    assert "<td>Totalt</td><td>13 betalar</td>" in html
    total = format_sek(int(frame["fee_scenario_sek"].sum()))
    assert f'<td class="num">{total}</td>' in html.split("Totalt")[1]
    # The inhabitants of the 13 paying, not Luleå's as well.
    paying = format_int(int(frame.loc[frame["status"] == "kvar", "population"].sum()))
    everyone = format_int(int(frame["population"].sum()))
    totals_row = html.split("<td>Totalt</td>")[1].split("</tr>")[0]
    assert f'<td class="num">{paying}</td>' in totals_row
    assert everyone not in totals_row


@pytest.mark.parametrize(
    ("chosen", "message"),
    [
        (
            explore.Scenario(2016, -1, "per_inhabitant_sek"),
            "avgiften per invånare kan inte vara negativ",
        ),
        (explore.Scenario(2016, "fyra", "per_inhabitant_sek"), "ska vara ett tal i kronor"),
        (explore.Scenario(2019, 4, "per_inhabitant_sek"), "2019 ligger utanför avtalsperioden"),
        (explore.Scenario(2016, 4, "lika", ()), "okänd fördelningsnyckel"),
        (explore.Scenario(2016, 4, "per_inhabitant_sek", ("Lulea",)), "Menade du Luleå?"),
    ],
)
def test_impossible_scenarios_get_a_swedish_sentence_not_a_traceback(chosen, message):
    ctx = foui.load(REPO_ROOT / "data" / "example")
    with pytest.raises(foui.ArgumentError, match=re.escape(message)):
        explore.scenario(ctx, chosen)
    shown = explore.scenario_view(ctx, chosen)
    assert shown.startswith("<p>Scenariot går inte att räkna: ") and message in shown


def test_removing_every_member_says_so():
    ctx = foui.load(REPO_ROOT / "data" / "example")
    everyone = explore.Scenario(2016, 4, "equal_sek", ctx.agreement.members)
    assert "inga medlemmar kvar" in explore.scenario_view(ctx, everyone)


def test_the_year_can_be_chosen():
    ctx = foui.load(REPO_ROOT / "data" / "example")
    early = explore.scenario(ctx, explore.Scenario(2014, 4, "per_inhabitant_sek"))
    late = explore.scenario(ctx, explore.Scenario("2018", 4, "per_inhabitant_sek"))
    assert early["population"].sum() != late["population"].sum()


def test_outside_a_jupyter_front_end_there_is_no_widget_panel():
    # Here (pytest, like the report runner's engine) nothing can show widgets, even though
    # ipywidgets may be installed: the notebook then shows its fixed scenario.
    ctx = foui.load(REPO_ROOT / "data" / "example")
    assert explore.explorer(ctx, 2016) is None


def test_the_explorer_keeps_pro_rata_members_and_the_rate_schedule(tmp_path):
    from foui_analysis.domain.agreement import load_agreement

    text = (REPO_ROOT / "data" / "agreement.toml").read_text(encoding="utf-8")
    text = text.replace(
        'rate_sek_per_inhabitant = "4"\n',
        'rate_sek_per_inhabitant = "4"\nrate_schedule = { 2017 = "4.50" }\n',
        1,
    ).replace("[members]", '[[membership]]\ncode = "2584"\njoins = "2016-07"\n\n[members]', 1)
    (tmp_path / "agreement.toml").write_text(text, encoding="utf-8")
    example = foui.load(REPO_ROOT / "data" / "example")
    ctx = foui.Context(
        load_agreement(tmp_path / "agreement.toml"), example.reference, example.data_dir
    )

    assert explore.agreed_rate(ctx, 2016) == Decimal(4)
    assert explore.agreed_rate(ctx, "2017") == Decimal("4.50")
    # At the agreed rate of each year nothing changes, Kiruna's half year included.
    for year in (2016, 2017):
        same = explore.scenario(
            ctx, explore.Scenario(year, explore.agreed_rate(ctx, year), "per_inhabitant_sek")
        )
        assert (same["difference_sek"] == 0).all(), year
    half = explore.scenario(ctx, explore.Scenario(2016, 4, "per_inhabitant_sek"))
    # Kiruna: 23 241 inhabitants (31 December 2014) x 4 kr x 6/12
    assert half.set_index("municipality_code").loc["2584", "fee_scenario_sek"] == 46_482
    # Kiruna is no member in 2015: not listed, and cannot leave.
    assert "2584" not in set(
        explore.scenario(ctx, explore.Scenario(2015, 4, "per_inhabitant_sek"))["municipality_code"]
    )
    with pytest.raises(foui.ArgumentError, match="Kiruna är inte medlem 2015"):
        explore.scenario(ctx, explore.Scenario(2015, 4, "per_inhabitant_sek", ("Kiruna",)))
