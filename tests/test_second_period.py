"""A second agreement period is a data change: data/agreement-2019-2023.toml works with the fee,
budget and check commands and every report, on a small data set of 2019-2021 written by the
example generator."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from foui_analysis.cli import main
from foui_analysis.paths import REPO_ROOT

AGREEMENT = REPO_ROOT / "data" / "agreement-2019-2023.toml"
MISSING_2021 = ("Arjeplog", "Arvidsjaur", "Haparanda", "Jokkmokk", "Kiruna", "Pajala")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main([*argv, "--agreement", str(AGREEMENT)])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def second_period(tmp_path_factory) -> Path:
    """Example data of 2019-2021 under the 2019-2023 agreement (seeded, like data/example)."""
    from foui_analysis.example_data import generator as example

    out = tmp_path_factory.mktemp("period2")
    example.write_example(out, AGREEMENT, REPO_ROOT / "data" / "reference", years=range(2019, 2022))
    return out


@pytest.mark.parametrize("year", [2019, 2020, 2021, 2022])
def test_fees_are_the_rate_times_scb_population_two_years_before(capsys, reference, year):
    code, out, err = run(capsys, "fees", "--year", str(year))
    assert (code, err) == (0, "")
    table = pd.read_csv(io.StringIO(out), dtype=str)
    scb = reference.population
    scb = scb[scb["year"] == year - 2].set_index("municipality_code")["population"]
    skola = table[table["component"] == "skola"]
    assert len(skola) == 14
    for code_, fee in zip(skola["municipality_code"], skola["fee_sek"], strict=True):
        assert int(fee) == 4 * int(scb[code_])
    assert set(skola["basis_date"]) == {f"{year - 2}-12-31"}
    assert set(skola["invoiced"]) == {"true"}


def test_fees_2023_are_refused_naming_the_municipalities_without_a_2021_figure(capsys):
    code, out, err = run(capsys, "fees", "--year", "2023")
    assert code == 1 and out == "" and "Traceback" not in err
    assert "31 december 2021 saknas" in err
    for name in MISSING_2021:
        assert name in err
    assert "Luleå" not in err


def test_a_budget_for_2019_to_2023(capsys):
    code, out, err = run(capsys, "budget", "--from", "2019", "--to", "2023")
    # the 2023 revenue needs SCB's 2021 figures, not published for every member: the
    # calculation says which year it used instead (fees for 2023 are refused, see above)
    assert code == 0
    assert err == (
        "varning: folkmängden 31 december 2021 (underlag för 2023) är inte publicerad för alla "
        "medlemmar; kalkylens intäkter 2023 bygger på folkmängden 31 december 2020\n"
    )
    ledger = pd.read_csv(io.StringIO(out))
    assert sorted(set(ledger["year"])) == [2019, 2020, 2021, 2022, 2023]
    assert "eget_kapital" not in set(ledger["funding_source"].dropna())
    revenue = ledger[(ledger["kind"] == "intakt") & (ledger["line"] == "overgripande")]
    assert set(revenue["funding_source"]) == {"forbundets_ram"}


@pytest.mark.pipeline  # foui check: every analysis of every report of the period
def test_the_inputs_of_the_second_period_check(capsys, second_period):
    code, out, _ = run(capsys, "check", "--data", str(second_period))
    assert code == 0 and "giltiga" in out


@pytest.mark.slow
def test_every_report_of_the_second_period_is_made(capsys, second_period, tmp_path):
    out = tmp_path / "reports"
    code, _, err = run(capsys, "run", "all", "--data", str(second_period), "--out", str(out))

    assert code == 0, err
    made = {p.stem for p in out.glob("*.html") if p.stem != "index"}
    follow_ups = {f"uppfoljning-{y}H{h}" for y in (2019, 2020, 2021) for h in (1, 2)}
    fees = {f"avgifter-{y}" for y in (2019, 2020, 2021, 2022)}
    assert made == follow_ups | fees | {"utvardering-2019-2021"}
    # the books are closed through 2021; 2023's fee basis (31 December 2021) is incomplete
    assert "uppfoljning-2022H1" in err and "avgifter-2023 (31 december 2021)" in err
    fees_2022 = (out / "avgifter-2022.html").read_text(encoding="utf-8")
    assert "Kalkylen för 2023 bygger på folkmängden den 31 december 2020" in fees_2022


def test_the_fee_report_of_a_year_without_published_basis_is_refused_before_it_runs(
    capsys, second_period, tmp_path
):
    out = tmp_path / "reports"
    code, _, err = run(
        capsys, "run", "fees", "--year", "2023", "--data", str(second_period), "--out", str(out)
    )

    assert code == 1 and "Traceback" not in err
    assert all(name in err for name in MISSING_2021)
    assert not (out / "avgifter-2023.html").exists()


def test_a_population_year_published_for_some_members_only_is_no_fee_basis_yet():
    import argparse

    from foui_analysis.domain.agreement import load_agreement
    from foui_analysis.runner.cli import _population_years

    agreement = load_agreement(AGREEMENT)
    args = argparse.Namespace(reference=REPO_ROOT / "data" / "reference")
    years = _population_years(args, tuple(agreement.members))
    assert {2017, 2018, 2019, 2020} <= years and 2021 not in years
