"""The SIE 4 reader: grammar, encodings, vouchers that must balance, every problem named."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from foui_analysis.errors import InputError
from foui_analysis.imports.sie import (
    SieFile,
    Transaction,
    Voucher,
    decode,
    read_sie,
    tokenize,
    write_sie,
)

# A hand-written file with every feature the reader knows: a comment-like unknown label, tabs,
# quoted strings with escapes, object lists with two dimensions, #TRANS with and without the
# optional date, text and quantity, #BTRANS/#RTRANS, totals, period balances and budgets.
EVERY_FEATURE = """\
#FLAGGA 0
#PROGRAM "Ekonomi \\"Plus\\"" 7.2
#FORMAT PC8
#GEN 20140705 "Kerstin Ek"
#SIETYP 4
#FNAMN "Kommunförbundet Norrbotten"
#ORGNR 897400-1234
#OKÄND etikett som ska hoppas över
#RAR 0 20140101 20141231
#RAR -1 20130101 20131231
#KONTO 1930 "Bank"
#KONTO 3011 "Avgift FoUI skola"
#KONTO 5800 Resekostnader
#KTYP 5800 K
#DIM 1 "Kostnadsställe"
#DIM 6 Projekt
#OBJEKT 1 "20" "Skola"
#OBJEKT 6 "P 14" "Läsprojekt \\\\ del 1"
#IB 0 1930 1000.00
#UB 0 1930 51600.50
#RES 0 3011 -50000.00
#RES 0 5800 -1399.50
#PSALDO 0 201403 5800 {1 "20"} 1200.00 2
#PBUDGET 0 201401 3011 {} -40000.00
#PBUDGET 0 201402 5800 {1 "20" 6 "P 14"} 1500
#VER A 1 20140125 "Avgift, \\"periodiserad\\"" 20140126 Kerstin
{
   #TRANS 3011 {1 "20"} -50000.00
\t#TRANS\t1930\t{}\t50000.00
}
#VER "B" "2" 20140310 "Resa Luleå-Kiruna"
{
   #TRANS 5800 {1 "20" 6 "P 14"} 1200.00 20140308 "Tåg" 2
   #TRANS 1930 {} -1200.00 "" ""\t
   #BTRANS 5800 {} 999.00 20140301 "felaktig rad" 1 Kerstin
   #RTRANS 5800 {1 20} -2599.50 20140311 "Kreditering"
   #TRANS 5800 {1 20} -2599.50 20140311 "Kreditering"
   #TRANS 1930 {} 2599.50
}
"""


def write(tmp_path, text: str, encoding: str = "cp437", name: str = "export.se"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def problems(path) -> list[str]:
    with pytest.raises(InputError) as info:
        read_sie(path)
    return [str(p) for p in info.value.problems]


def test_every_feature_of_a_hand_written_file(tmp_path):
    sie = read_sie(write(tmp_path, EVERY_FEATURE))
    assert sie.program == 'Ekonomi "Plus" 7.2'
    assert sie.company == "Kommunförbundet Norrbotten"
    assert sie.years == {
        0: (dt.date(2014, 1, 1), dt.date(2014, 12, 31)),
        -1: (dt.date(2013, 1, 1), dt.date(2013, 12, 31)),
    }
    assert sie.accounts == {"1930": "Bank", "3011": "Avgift FoUI skola", "5800": "Resekostnader"}
    assert sie.account_types == {"5800": "K"}
    assert sie.dimensions == {"1": "Kostnadsställe", "6": "Projekt"}
    assert sie.objects == {("1", "20"): "Skola", ("6", "P 14"): "Läsprojekt \\ del 1"}
    assert sie.opening == {(0, "1930"): Decimal("1000.00")}
    assert sie.closing == {(0, "1930"): Decimal("51600.50")}
    assert sie.results[(0, "5800")] == Decimal("-1399.50")
    assert [(p.period, p.account, p.objects, p.amount) for p in sie.period_budgets] == [
        ("201401", "3011", (), Decimal("-40000.00")),
        ("201402", "5800", (("1", "20"), ("6", "P 14")), Decimal("1500")),
    ]
    assert sie.period_balances[0].amount == Decimal("1200.00")
    first, second = sie.vouchers
    assert (first.series, first.number, first.date) == ("A", "1", dt.date(2014, 1, 25))
    assert first.text == 'Avgift, "periodiserad"'
    assert [t.account for t in first.transactions] == ["3011", "1930"]
    assert second.name == "B 2"
    # #BTRANS and #RTRANS are left out; the #TRANS that follows #RTRANS counts once.
    assert [(t.account, t.amount) for t in second.transactions] == [
        ("5800", Decimal("1200.00")),
        ("1930", Decimal("-1200.00")),
        ("5800", Decimal("-2599.50")),
        ("1930", Decimal("2599.50")),
    ]
    trip = second.transactions[0]
    assert trip.objects == (("1", "20"), ("6", "P 14"))
    assert (trip.date, trip.text, trip.quantity) == (dt.date(2014, 3, 8), "Tåg", Decimal(2))
    assert (second.transactions[1].date, second.transactions[1].text) == (None, "")
    assert trip.line == 33


@pytest.mark.parametrize("encoding", ["cp437", "cp1252", "utf-8", "utf-8-sig"])
def test_swedish_letters_in_every_encoding_a_finance_system_writes(tmp_path, encoding):
    sie = read_sie(write(tmp_path, EVERY_FEATURE, encoding))
    assert sie.encoding == encoding
    assert sie.objects[("1", "20")] == "Skola"
    assert sie.dimensions["1"] == "Kostnadsställe"
    assert sie.vouchers[1].text == "Resa Luleå-Kiruna"


def test_an_ascii_file_is_read_as_the_specification_says():
    assert decode(b"#SIETYP 4\r\n") == ("#SIETYP 4\r\n", "cp437")


@pytest.mark.parametrize(
    ("line", "fields"),
    [
        ('#TRANS 5800 {1 "20"} 12.50', ["#TRANS", "5800", ["1", "20"], "12.50"]),
        ('"a \\"b\\" c" d', ['a "b" c', "d"]),
        ('"back\\\\slash"', ["back\\slash"]),
        ("{}\t1", [[], "1"]),
        ('""', [""]),
        ('{1 "a b" 6 x}', [["1", "a b", "6", "x"]]),
    ],
)
def test_tokenize(line, fields):
    assert tokenize(line) == fields


def test_an_unbalanced_voucher_is_refused_naming_voucher_accounts_and_amounts(tmp_path):
    text = EVERY_FEATURE.replace("#TRANS 1930 {} 2599.50", "#TRANS 1930 {} 2599.00")
    [message] = problems(write(tmp_path, text))
    assert "rad 31" in message and "#VER" in message
    assert "verifikation B 2 (2014-03-10) balanserar inte" in message
    assert "summerar till -0.50" in message
    assert "konto 5800 -2599.50" in message and "konto 1930 2599.00" in message


@pytest.mark.parametrize(
    ("bad", "good", "words"),
    [
        ("#RAR 0 20140101 20141231", "#RAR 0 20140101 2014-12-31", "ÅÅÅÅMMDD"),
        ('#TRANS 3011 {1 "20"} -50000.00', '#TRANS 3011 {1 "20"} -50000,00', "belopp"),
        ('#TRANS 3011 {1 "20"} -50000.00', "#TRANS 3011 -50000.00", "objektlistan"),
        ('#TRANS 3011 {1 "20"} -50000.00', "#TRANS 3011 {1} -50000.00", "par"),
        ('#FNAMN "Kommunförbundet Norrbotten"', '#FNAMN "Kommunförbundet', "citattecknet"),
        ('#TRANS 3011 {1 "20"} -50000.00', '#TRANS 3011 {1 "20" -50000.00', "'}'"),
        ('#TRANS 3011 {1 "20"} -50000.00', '#TRANS 3011 {1 "20"} -50000.001', "två decimaler"),
        ("#SIETYP 4", "#SIETYP 3", "typ 4"),
        ("#RAR 0 20140101 20141231", "#RAR 0 20141231 20140101", "före"),
        ("#PSALDO 0 201403", "#PSALDO 0 201413", "ÅÅÅÅMM"),
    ],
)
def test_a_broken_line_is_named_by_line_and_label(tmp_path, bad, good, words):
    assert bad in EVERY_FEATURE
    messages = problems(write(tmp_path, EVERY_FEATURE.replace(bad, good, 1)))
    assert any(words in m and "rad " in m for m in messages), messages


def test_every_problem_of_a_file_is_listed_at_once(tmp_path):
    text = EVERY_FEATURE.replace("20140125", "2014-01-25").replace("1200.00 20140308", "1,2 x")
    messages = problems(write(tmp_path, text))
    assert len(messages) == 2
    assert "rad 26" in messages[0] and "rad 33" in messages[1]


def test_a_voucher_without_braces_or_a_trans_outside_a_voucher_is_refused(tmp_path):
    messages = problems(write(tmp_path, "#SIETYP 4\n#TRANS 1930 {} 1.00\n#VER A 1 20140101\n"))
    assert any("utanför en verifikation" in m for m in messages)
    assert any("väntade '{'" in m or "slutar inuti" in m for m in messages)


def test_a_file_without_sietyp_is_refused(tmp_path):
    [message] = problems(write(tmp_path, "#FLAGGA 0\n#RAR 0 20140101 20141231\n"))
    assert "#SIETYP saknas" in message


voucher_amounts = st.lists(
    st.decimals(min_value=-(10**7), max_value=10**7, places=2, allow_nan=False), max_size=6
)
texts = st.text(alphabet=st.sampled_from(list('abc åäöÅÄÖ"\\{}#-')), max_size=20)


@settings(deadline=None)  # file I/O per example: timing on a loaded machine is not the property
@given(amounts=voucher_amounts, text=texts, encoding=st.sampled_from(["cp437", "cp1252", "utf-8"]))
def test_what_the_writer_writes_the_reader_reads(amounts, text, encoding):
    transactions = tuple(
        Transaction(f"{5000 + i}", (("1", text or "x"),), a, None, text, None, 0)
        for i, a in enumerate(amounts)
    )
    total = sum(amounts, Decimal(0))
    transactions += (Transaction("1930", (), -total, dt.date(2014, 2, 1), "", None, 0),)
    sie = SieFile(path=None, encoding=encoding, company=text)
    sie.years[0] = (dt.date(2014, 1, 1), dt.date(2014, 12, 31))
    sie.vouchers.append(Voucher("A", "1", dt.date(2014, 2, 3), text, 0, transactions))
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.se"
        path.write_bytes(write_sie(sie, encoding=encoding))
        back = read_sie(path)
    assert back.company == text
    [voucher] = back.vouchers
    assert voucher.text == text
    assert [(t.account, t.objects, t.amount, t.text) for t in voucher.transactions] == [
        (t.account, t.objects, t.amount, t.text) for t in transactions
    ]
