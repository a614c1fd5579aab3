"""load_agreement: the real agreement reads; a broken one is refused naming every bad key."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_budget import examples

from foui_analysis.domain.agreement import load_agreement
from foui_analysis.errors import InputError
from foui_analysis.paths import REPO_ROOT

AGREEMENT = REPO_ROOT / "data" / "agreement.toml"
TEXT = AGREEMENT.read_text(encoding="utf-8")


def test_the_real_agreement(agreement):
    assert (agreement.first_year, agreement.last_year) == (2014, 2018)
    assert list(agreement.years) == [2014, 2015, 2016, 2017, 2018]
    assert agreement.lag_years == 2
    assert agreement.equity_years == (2014, 2015)
    assert agreement.overgripande_within_frame_from == 2016
    assert len(agreement.members) == 14 and len(set(agreement.members)) == 14
    assert all(code.startswith("25") and len(code) == 4 for code in agreement.members)
    rates = {c.id: c.rate_sek_per_inhabitant for c in agreement.components}
    assert rates == {"skola": Decimal("4"), "overgripande": Decimal("5"), "socialtjanst": None}
    assert agreement.component("socialtjanst").amount_sek == {}
    assert sum(p.fte for p in agreement.staff) == Decimal("3.5")
    assert set(agreement.shared_cost_key) == {"socialtjanst", "skola", "overgripande"}


@pytest.mark.parametrize(
    ("year", "source"),
    [
        (2014, "eget_kapital"),
        (2015, "eget_kapital"),
        (2016, "forbundets_ram"),
        (2017, "forbundets_ram"),
        (2018, "forbundets_ram"),
    ],
)
def test_overgripande_is_funded_from_equity_then_within_the_frame(agreement, year, source):
    assert agreement.funding_source(agreement.component("overgripande"), year) == source
    assert agreement.funding_source(agreement.component("skola"), year) == "avgift"


def broken(tmp_path, old: str, new: str):
    assert old in TEXT, old
    path = tmp_path / "agreement.toml"
    path.write_text(TEXT.replace(old, new, 1), encoding="utf-8")
    return path


def problems_of(path):
    with pytest.raises(InputError) as info:
        load_agreement(path)
    assert {p.file for p in info.value.problems} == {str(path)}
    found: dict[str, str] = {}
    for p in info.value.problems:
        found[p.column] = f"{found[p.column]} | {p.message}" if p.column in found else p.message
    return found


@pytest.mark.parametrize(
    ("old", "new", "key", "words"),
    [
        (
            'rate_sek_per_inhabitant = "4"',
            "rate_sek_per_inhabitant = 4.5",
            "components[0].rate_sek_per_inhabitant",
            "som en sträng",
        ),
        (
            'rate_sek_per_inhabitant = "4"',
            'rate_sek_per_inhabitant = "fyra"',
            "components[0].rate_sek_per_inhabitant",
            "väntade ett tal",
        ),
        (
            'rate_sek_per_inhabitant = "4"',
            'rate_sek_per_inhabitant = "-4"',
            "components[0].rate_sek_per_inhabitant",
            "negativt",
        ),
        (
            'rate_sek_per_inhabitant = "5"',
            'rate_sek_per_inhabitant = "NaN"',
            "components[1].rate_sek_per_inhabitant",
            "väntade ett tal",
        ),
        ('area = "skola"', 'area = "skolan"', "components[0].area", "skolan"),
        ('area = "gemensam"', 'area = "kansliet"', "staff[3].area", "kansliet"),
        (
            'funding_source = "avgift"',
            'funding_source = "skatt"',
            "components[0].funding_source",
            "skatt",
        ),
        ("first_year = 2014\n", "", "agreement.first_year", "värde saknas"),
        ("lag_years = 2", "", "population_basis.lag_years", "värde saknas"),
        ("lag_years = 2", "lag_years = -1", "population_basis.lag_years", "0 eller mer"),
        ("lag_years = 2", 'lag_years = "2"', "population_basis.lag_years", "heltal"),
        ('fte = "0.5"', "fte = 0.5", "staff[3].fte", "som en sträng"),
        (
            "opening_equity_sek = 3000000",
            "opening_equity_sek = true",
            "agreement.opening_equity_sek",
            "heltal",
        ),
        (
            "equity_years = [2014, 2015]",
            'equity_years = ["2014", "2015"]',
            "agreement.equity_years",
            "heltal",
        ),
        ('"2505", "2506"', "2505, 2506", "members.codes", "kommunkoder"),
        ('"2505", "2506"', '"2505", "25O6"', "members.codes", "kommunkoder"),
        ('"2505", "2506"', '"2505", "250"', "members.codes", "fyra siffror"),
        ('"2505", "2506"', '"2505", "2505"', "members.codes", "flera gånger"),
        ("amount_sek = {}", "amount_sek = 1000000", "components[2].amount_sek", "tabell"),
        ("amount_sek = {}", "amount_sek = { 2014 = -5 }", "components[2].amount_sek", "2014"),
        ("amount_sek = {}", 'amount_sek = { 2014 = "1000" }', "components[2].amount_sek", "2014"),
        ("overgripande = 1\n", "", "shared_cost_key", "vikt"),
        ("skola = 1\n", "skola = -1\n", "shared_cost_key", "vikt"),
        (
            "amount_sek = 120000",
            "amount_sek = -120000",
            "operating_costs[0].amount_sek",
            "negativt",
        ),
        ("to_year = 2018", "to_year = 2013", "components[0].from_year", "to_year"),
        ('id = "overgripande"', 'id = "skola"', "components[1].id", "flera gånger"),
        ("months_per_year = 12", "months_per_year = 0", "staff_cost.months_per_year", "positivt"),
        ("[agreement]", "agreement = 5\n[ignored]", "agreement", "tabell"),
        (
            'settlement = "kommungrupp"',
            'settlement = "gissning"',
            "evaluation.settlement",
            "kommungrupp, tathet",
        ),
        (
            'density_threshold_per_km2 = "5"',
            'density_threshold_per_km2 = "-5"',
            "evaluation.density_threshold_per_km2",
            "negativt",
        ),
    ],
)
def test_a_broken_agreement_names_the_key(tmp_path, old, new, key, words):
    found = problems_of(broken(tmp_path, old, new))
    assert key in found, found
    assert words in found[key]


def test_every_problem_is_reported_at_once(tmp_path):
    path = tmp_path / "agreement.toml"
    text = (
        TEXT.replace('rate_sek_per_inhabitant = "4"', "rate_sek_per_inhabitant = 4.0")
        .replace('area = "skola"', 'area = "skolan"')
        .replace("lag_years = 2", "")
    )
    path.write_text(text, encoding="utf-8")
    found = problems_of(path)
    assert {
        "components[0].rate_sek_per_inhabitant",
        "components[0].area",
        "population_basis.lag_years",
    } <= set(found)


@pytest.mark.parametrize(
    ("section", "value", "words"),
    [
        ("staff", "5", "lista av tabeller"),
        ("staff", "[1, 2]", "väntade en tabell"),
        ("shared_cost_key", "[1]", "tabell"),
        ("population_basis", '"2"', "tabell"),
    ],
)
def test_a_section_of_the_wrong_type_is_a_problem_not_a_crash(tmp_path, section, value, words):
    header = f"[[{section}]]" if section == "staff" else f"[{section}]"
    path = tmp_path / "agreement.toml"
    path.write_text(
        f"{section} = {value}\n"
        + TEXT.replace(
            header, f"[[ignored_{section}]]" if section == "staff" else f"[ignored_{section}]"
        ),
        encoding="utf-8",
    )
    found = problems_of(path)
    key = next(k for k in found if k.startswith(section))
    assert words in found[key]


def test_invalid_toml_is_one_clear_problem(tmp_path):
    path = tmp_path / "agreement.toml"
    path.write_text("[agreement\nname = ", encoding="utf-8")
    with pytest.raises(InputError, match="ogiltig TOML"):
        load_agreement(path)


def test_a_missing_agreement_file(tmp_path):
    with pytest.raises(InputError, match="finns inte"):
        load_agreement(tmp_path / "agreement.toml")


def test_first_year_after_last_year(tmp_path):
    found = problems_of(broken(tmp_path, "last_year = 2018", "last_year = 2013"))
    assert "agreement.first_year" in found


def test_a_known_socialtjanst_amount_is_read_per_year(tmp_path):
    path = broken(tmp_path, "amount_sek = {}", "amount_sek = { 2014 = 1000000, 2015 = 1050000 }")
    component = load_agreement(path).component("socialtjanst")
    assert component.amount_sek == {2014: 1000000, 2015: 1050000}


def test_a_rate_as_a_string_is_an_exact_decimal(tmp_path):
    path = broken(tmp_path, 'rate_sek_per_inhabitant = "4"', 'rate_sek_per_inhabitant = "4.10"')
    assert load_agreement(path).component("skola").rate_sek_per_inhabitant == Decimal("4.10")


def test_the_evaluation_policy_is_data_with_defaults(agreement, tmp_path):
    assert agreement.evaluation.settlement == "kommungrupp"
    assert agreement.evaluation.density_threshold_per_km2 == Decimal("5")
    assert agreement.evaluation.fairness_far_below_ratio == Decimal("0.5")
    start = TEXT.index("[evaluation]")
    path = tmp_path / "agreement.toml"
    path.write_text(TEXT[:start], encoding="utf-8")
    assert load_agreement(path).evaluation == agreement.evaluation
    chosen = broken(tmp_path, 'settlement = "kommungrupp"', 'settlement = "tathet"')
    assert load_agreement(chosen).evaluation.settlement == "tathet"


def test_a_missing_section_names_each_key_it_needs(tmp_path):
    found = problems_of(broken(tmp_path, "months_per_year = 12", ""))
    assert found["staff_cost.months_per_year"] == "värde saknas"
    found = problems_of(broken(tmp_path, "[shared_cost_key]", "[ignored]"))
    assert "vikt" in found["shared_cost_key"]


def test_a_rate_schedule_names_the_year_of_a_bad_rate(tmp_path):
    path = broken(
        tmp_path,
        'rate_sek_per_inhabitant = "4"',
        'rate_sek_per_inhabitant = "4"\nrate_schedule = { 2017 = "fem", 2018 = "5" }',
    )
    found = problems_of(path)
    assert found == {"components[0].rate_schedule.2017": "väntade ett tal, fick 'fem'"}


def test_every_bad_entry_of_a_year_table_is_named(tmp_path):
    path = broken(tmp_path, "amount_sek = {}", "amount_sek = { 2014 = -5, 2015 = 7, x = 1 }")
    found = problems_of(path)
    assert found == {
        "components[2].amount_sek": "väntade år = heltal i kronor, fick 2014 = -5"
        " | väntade år = heltal i kronor, fick x = 1"
    }


def test_every_occurrence_of_a_repeated_component_id_is_named(tmp_path):
    found = problems_of(broken(tmp_path, 'id = "overgripande"', 'id = "skola"'))
    assert set(found) == {"components[0].id", "components[1].id"}


def test_a_membership_code_outside_the_members(tmp_path):
    path = broken(tmp_path, "[staff_cost]", '[[membership]]\ncode = "0180"\n\n[staff_cost]')
    assert problems_of(path) == {
        "membership[0].code": "kommunkoden '0180' finns inte i members.codes"
    }


def test_membership_months_are_read(tmp_path):
    path = broken(
        tmp_path,
        "[staff_cost]",
        '[[membership]]\ncode = "2505"\njoins = "2016-07"\n\n[staff_cost]',
    )
    agreement = load_agreement(path)
    assert agreement.membership == {"2505": ((2016, 7), None)}
    assert agreement.member_months("2505", 2016) == 6


def test_a_fixed_basis_year_needs_no_lag(tmp_path):
    agreement = load_agreement(broken(tmp_path, "lag_years = 2", "fixed_year = 2012"))
    assert (agreement.basis_fixed_year, agreement.lag_years) == (2012, 0)
    assert agreement.basis_year(2016) == 2012


def _toml(value) -> str:
    """A TOML literal of ``value`` (the values hypothesis draws below)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "nan" if math.isnan(value) else repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in value.items()) + "}"
    return str(value)


_SCALARS = (
    st.integers(-(2**63), 2**63 - 1)
    | st.booleans()
    | st.floats(allow_infinity=True, allow_nan=True)
    | st.text(
        st.characters(min_codepoint=32, max_codepoint=0x2FF, exclude_characters="\x7f"), max_size=6
    )
    | st.sampled_from(["4", "-4", "NaN", "2016-07", "12-31", "skola", "gemensam", "2505"])
    | st.dates()
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["2014", "x", "skola", "overgripande"]), inner, max_size=3
        )
    ),
    max_leaves=5,
)
_KEYS = sorted(
    {
        (number, match.group(1))
        for number, line in enumerate(TEXT.splitlines())
        if (match := re.match(r"^([a-z_0-9]+) = ", line)) and not line.endswith(("[", "{"))
    }
)


@settings(
    max_examples=examples(300),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(changes=st.lists(st.tuples(st.sampled_from(_KEYS), _VALUES), min_size=1, max_size=3))
def test_any_value_of_any_key_is_read_or_refused_in_swedish(tmp_path, changes):
    """Whatever a key holds, the agreement is read or refused naming known keys in Swedish."""
    lines = TEXT.splitlines()
    for (number, key), value in changes:
        lines[number] = f"{key} = {_toml(value)}"
    path = tmp_path / "agreement.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    try:
        load_agreement(path)
    except InputError as error:
        assert error.problems
        sections = {"agreement", "population_basis", "members", "components", "staff_cost"}
        sections |= {"staff", "shared_cost_key", "operating_costs", "evaluation", "followup"}
        for problem in error.problems:
            assert problem.file == str(path)
            assert problem.column and re.match(r"[a-z_]+", problem.column)[0] in sections
            assert not re.search(r"Input should|Field required|valid", problem.message)
            assert problem.message.startswith(
                ("väntade", "värde saknas", "talet", "skriv", "okänd", "samma", "komponenten")
                + ("beloppet", "underlagsåret", "from_year", "first_year", "kommunkoden")
            ), problem.message
