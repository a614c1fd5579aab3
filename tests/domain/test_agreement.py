"""load_agreement: the real agreement reads; a broken one is refused naming every bad key."""

from __future__ import annotations

from decimal import Decimal

import pytest

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
