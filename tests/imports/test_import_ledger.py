"""``foui import sie``: the ledger from SIE 4 files, mapped, reconciled, or refused with reasons."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from foui_analysis.cli import main
from foui_analysis.paths import REPO_ROOT

EXAMPLE = REPO_ROOT / "data" / "example"

MAPPING = """\
[[account]]
accounts = "3011"
line = "skola"

[[account]]
accounts = ["5800", "5810-5819"]
line = "resor"

[[account]]
accounts = "7010-7099"
line = "personal"
area = "overgripande"

[[object]]
dimension = "1"
object = "20"
area = "skola"

[[object]]
dimension = 1
object = 10
area = "socialtjanst"

[[ignore]]
accounts = "1000-2999"
reason = "Balanskonton"

[[ignore]]
dimension = "1"
object = "90"
reason = "Förbundets kansli, inte FoUI"
"""

HEAD = """\
#FLAGGA 0
#FORMAT PC8
#SIETYP 4
#RAR 0 20140101 20141231
#KONTO 3011 "Avgift FoUI skola"
#KONTO 5800 "Resekostnader"
#KONTO 5420 "Programvaror"
#DIM 1 "Kostnadsställe"
#OBJEKT 1 "20" "Skola"
"""

VOUCHERS = """\
#VER A 1 20140125 "Avgift januari"
{
   #TRANS 3011 {1 "20"} -1000.00
   #TRANS 1510 {} 1000.00
}
#VER A 2 20140310 "Resor mars"
{
   #TRANS 5800 {1 "20" 6 "P1"} 300.50 20140308 "Tåg Luleå-Umeå"
   #TRANS 5812 {1 10} 99.50
   #TRANS 5800 {1 "90"} 50.00 "" "Kansliets resa"
   #TRANS 2440 {} -450.00
}
#VER A 3 20140325 "Lön mars"
{
   #TRANS 7010 {} 20000.00
   #TRANS 1930 {} -20000.00
}
#VER B 1 20140401 "Kreditnota resa"
{
   #TRANS 5800 {1 "20"} -100.00
   #TRANS 2440 {} 100.00
}
"""

TOTALS = """\
#RES 0 3011 -1000.00
#RES 0 5800 250.50
#RES 0 5812 99.50
#RES 0 7010 20000.00
"""

EXPECTED_LEDGER = """\
date;area;line;kind;amount_sek;text
2014-01-25;skola;skola;intakt;1000,00;Avgift januari
2014-03-08;skola;resor;kostnad;300,50;Tåg Luleå-Umeå
2014-03-10;socialtjanst;resor;kostnad;99,50;Resor mars
2014-03-25;overgripande;personal;kostnad;20000,00;Lön mars
2014-04-01;skola;resor;kostnad;-100,00;Kreditnota resa
"""


def sie_file(tmp_path: Path, text: str, encoding: str = "cp437", name: str = "2014.se") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def mapping_file(tmp_path: Path, text: str = MAPPING) -> Path:
    path = tmp_path / "mappning.toml"
    path.write_text(text, encoding="utf-8")
    return path


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(["import", "sie", *map(str, argv)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("encoding", ["cp437", "cp1252", "utf-8"])
def test_a_hand_written_export_becomes_the_ledger(tmp_path, capsys, encoding):
    sie = sie_file(tmp_path, HEAD + VOUCHERS + TOTALS, encoding)
    out = tmp_path / "data"
    code, stdout, err = run(capsys, sie, "--mapping", mapping_file(tmp_path), "--out", out)
    assert code == 0, err
    assert (out / "ledger.csv").read_text(encoding="utf-8") == EXPECTED_LEDGER
    assert f"teckenkodning {encoding}" in err
    assert str(out / "ledger.csv") in stdout


def test_the_reconciliation_splits_each_accounts_total_into_ledger_and_ignored(tmp_path, capsys):
    sie = sie_file(tmp_path, HEAD + VOUCHERS + TOTALS)
    out = tmp_path / "data"
    assert run(capsys, sie, "--mapping", mapping_file(tmp_path), "--out", out)[0] == 0
    lines = (out / "ledger_reconciliation.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == (
        "file;year_start;year_end;account;account_name;file_total_sek;file_total_source;"
        "transactions_sek;ledger_sek;ignored_sek;difference_sek"
    )
    rows = {line.split(";")[3]: line.split(";") for line in lines[1:]}
    assert rows["5800"][4:] == [
        "Resekostnader",
        "250,50",
        "#RES 0",
        "250,50",
        "200,50",
        "50,00",
        "0,00",
    ]
    # Balance accounts without totals in the file: no file total, nothing to compare.
    assert rows["1510"][5:] == ["", "", "1000,00", "0,00", "1000,00", ""]


def test_the_example_sie_files_reproduce_the_example_ledger_exactly(tmp_path, capsys):
    files = sorted((EXAMPLE / "sie").glob("*.se"))
    assert [f.name for f in files] == [f"bokforing-{y}.se" for y in range(2014, 2019)]
    out = tmp_path / "data"
    code, _, err = run(capsys, *files, "--mapping", EXAMPLE / "sie" / "mappning.toml", "--out", out)
    assert code == 0, err
    assert (out / "ledger.csv").read_bytes() == (EXAMPLE / "ledger.csv").read_bytes()
    assert "teckenkodning cp437" in err


def test_an_unmapped_account_is_refused_naming_voucher_account_object_and_amount(tmp_path, capsys):
    text = HEAD + VOUCHERS.replace("#TRANS 5812 {1 10} 99.50", "#TRANS 5420 {1 10} 99.50")
    sie = sie_file(tmp_path, text + TOTALS.replace("5812", "5420"))
    out = tmp_path / "data"
    code, stdout, err = run(capsys, sie, "--mapping", mapping_file(tmp_path), "--out", out)
    assert code == 1
    assert err.count("fel:") == 1
    assert (
        f"{sie}, rad 18, kolumn '#TRANS': omappad rad: verifikation A 2 (2014-03-10), konto 5420 "
        "'Programvaror', objekt 1:10, belopp 99.50: kontot finns inte i mappningen"
    ) in err
    assert not out.exists()
    assert "Traceback" not in err


def test_a_cost_without_an_area_is_unmapped(tmp_path, capsys):
    text = HEAD + VOUCHERS.replace('#TRANS 5800 {1 "20"} -100.00', "#TRANS 5800 {} -100.00")
    sie = sie_file(tmp_path, text + TOTALS)
    code, _, err = run(capsys, sie, "--mapping", mapping_file(tmp_path), "--out", tmp_path / "o")
    assert code == 1
    assert "verifikation B 1 (2014-04-01), konto 5800" in err
    assert "belopp -100.00: inget objekt på raden anger verksamhetsområde" in err


def test_an_unbalanced_voucher_is_refused_and_nothing_written(tmp_path, capsys):
    text = HEAD + VOUCHERS.replace("#TRANS 1510 {} 1000.00", "#TRANS 1510 {} 1001.00")
    sie = sie_file(tmp_path, text + TOTALS)
    out = tmp_path / "data"
    out.mkdir()
    (out / "ledger.csv").write_text("old ledger\n", encoding="utf-8")
    code, _, err = run(capsys, sie, "--mapping", mapping_file(tmp_path), "--out", out)
    assert code == 1
    assert "verifikation A 1 (2014-01-25) balanserar inte: raderna summerar till 1.00" in err
    assert "konto 3011 -1000.00; konto 1510 1001.00" in err
    assert (out / "ledger.csv").read_text(encoding="utf-8") == "old ledger\n"
    assert sorted(p.name for p in out.iterdir()) == ["ledger.csv"]


def test_a_rar_that_does_not_cover_the_vouchers_is_refused(tmp_path, capsys):
    text = HEAD.replace("#RAR 0 20140101 20141231", "#RAR 0 20140101 20140331")
    sie = sie_file(tmp_path, text + VOUCHERS + TOTALS)
    code, _, err = run(capsys, sie, "--mapping", mapping_file(tmp_path), "--out", tmp_path / "o")
    assert code == 1
    assert "verifikation B 1 har datum 2014-04-01, utanför räkenskapsåret" in err
    assert "#RAR 0 täcker inte perioden" in err


def test_a_file_without_a_financial_year_or_outside_the_agreement_is_refused(tmp_path, capsys):
    without = sie_file(tmp_path, HEAD.replace("#RAR 0 20140101 20141231\n", "") + VOUCHERS)
    code, _, err = run(capsys, without, "--mapping", mapping_file(tmp_path), "--out", tmp_path)
    assert code == 1 and "räkenskapsåret saknas (#RAR 0" in err
    text = (HEAD + VOUCHERS + TOTALS).replace("2014", "2019")
    late = sie_file(tmp_path, text, name="2019.se")
    code, _, err = run(capsys, late, "--mapping", mapping_file(tmp_path), "--out", tmp_path / "o")
    assert code == 1
    assert "rad 4, kolumn '#RAR': räkenskapsåret 2019-01-01–2019-12-31 ligger utanför" in err


def test_the_same_year_twice_is_refused(tmp_path, capsys):
    first = sie_file(tmp_path, HEAD + VOUCHERS + TOTALS, name="a.se")
    second = sie_file(tmp_path, HEAD + VOUCHERS + TOTALS, name="b.se")
    code, _, err = run(
        capsys, first, second, "--mapping", mapping_file(tmp_path), "--out", tmp_path / "o"
    )
    assert code == 1 and "överlappar ett år i" in err


def test_totals_that_disagree_with_the_vouchers_refuse_the_import(tmp_path, capsys):
    sie = sie_file(tmp_path, HEAD + VOUCHERS + TOTALS.replace("250.50", "250.00"))
    code, _, err = run(capsys, sie, "--mapping", mapping_file(tmp_path), "--out", tmp_path / "o")
    assert code == 1
    assert "konto 5800: filens summa (#RES 0) är 250.00 men verifikationernas rader" in err
    assert "summerar till 250.50 (skillnad -0.50)" in err


def test_period_budgets_become_the_budget(tmp_path, capsys):
    budgets = "".join(
        f'#PBUDGET 0 2014{m:02d} 3011 {{1 "20"}} -1000.00\n'
        f'#PBUDGET 0 2014{m:02d} 5800 {{1 "20"}} 250\n'
        for m in range(1, 13)
    )
    sie = sie_file(tmp_path, HEAD + budgets + VOUCHERS + TOTALS)
    out = tmp_path / "data"
    assert run(capsys, sie, "--mapping", mapping_file(tmp_path), "--out", out)[0] == 0
    assert (out / "budget.csv").read_text(encoding="utf-8") == (
        "year;area;line;kind;amount_sek\n"
        "2014;skola;resor;kostnad;3000,00\n"
        "2014;skola;skola;intakt;12000,00\n"
    )


def test_without_period_budgets_no_budget_is_written(tmp_path, capsys):
    sie = sie_file(tmp_path, HEAD + VOUCHERS + TOTALS)
    out = tmp_path / "data"
    assert run(capsys, sie, "--mapping", mapping_file(tmp_path), "--out", out)[0] == 0
    assert not (out / "budget.csv").exists()


def test_a_missing_file_or_mapping_is_named(tmp_path, capsys):
    code, _, err = run(
        capsys, tmp_path / "nej.se", "--mapping", tmp_path / "nej.toml", "--out", tmp_path
    )
    assert code == 1
    assert f"{tmp_path / 'nej.se'}: filen finns inte" in err
    assert f"{tmp_path / 'nej.toml'}: mappningsfilen finns inte" in err


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["import", "sie", "x.se", "--out", "d"])
    assert info.value.code == 2


@pytest.mark.slow  # starts the installed `foui` in a process of its own
def test_the_installed_command_imports_the_example(tmp_path):
    foui = shutil.which("foui", path=str(Path(sys.executable).parent))
    files = sorted((EXAMPLE / "sie").glob("*.se"))
    mapping = EXAMPLE / "sie" / "mappning.toml"
    args = [foui, "import", "sie", *files, "--mapping", mapping, "--out", tmp_path]
    done = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "ledger.csv").read_bytes() == (EXAMPLE / "ledger.csv").read_bytes()


def test_the_examples_reconciliation_holds_for_every_account(tmp_path, capsys):
    from decimal import Decimal

    files = sorted((EXAMPLE / "sie").glob("*.se"))
    out = tmp_path / "data"
    assert run(capsys, *files, "--mapping", EXAMPLE / "sie" / "mappning.toml", "--out", out)[0] == 0
    lines = (out / "ledger_reconciliation.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split(";")
    rows = [dict(zip(header, line.split(";"), strict=True)) for line in lines[1:]]

    def amount(text: str) -> Decimal:
        return Decimal(text.replace(",", "."))

    ledger = (EXAMPLE / "ledger.csv").read_text(encoding="utf-8").splitlines()[1:]
    lines_per_year = {(r.split(";")[0][:4], r.split(";")[2]) for r in ledger}
    # One row per account and year: each ledger line's account, and the two counter accounts.
    assert len(rows) == len(lines_per_year) + 2 * 5
    for row in rows:
        assert amount(row["file_total_sek"]) == amount(row["transactions_sek"])
        assert amount(row["ledger_sek"]) + amount(row["ignored_sek"]) == amount(
            row["transactions_sek"]
        )
        assert row["difference_sek"] == "0,00"


def test_personal_identity_numbers_and_addresses_leave_the_voucher_texts(tmp_path, capsys):
    text = HEAD + VOUCHERS.replace('"Lön mars"', '"Lön mars 811218-9876 kerstin@foui.se"')
    sie = sie_file(tmp_path, text + TOTALS)
    out = tmp_path / "data"
    code, _, err = run(capsys, sie, "--mapping", mapping_file(tmp_path), "--out", out)
    assert code == 0, err
    assert "Tog bort 2 personnummer och e-postadresser" in err
    ledger = (out / "ledger.csv").read_text(encoding="utf-8")
    assert "Lön mars [borttaget] [borttaget]" in ledger
    assert "9876" not in ledger and "@" not in ledger
