"""The published reports of the example data show each yearly figure with one value: 2014's
costs, revenue, result and closing equity in the follow-up 2014H2 and the evaluation 2014-2016,
and the closing equity of 2014 as the opening equity of the follow-up 2015H1."""

from __future__ import annotations

from bs4 import BeautifulSoup


def _tables(path):
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    out = []
    for table in soup.find_all("table"):
        head = [th.get_text(" ", strip=True) for th in table.find("tr").find_all(["th", "td"])]
        rows = [
            [c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])]
            for tr in table.find_all("tr")[1:]
        ]
        out.append((head, rows))
    return out


def _cell(tables, must_have: set[str], first: str | tuple[str, ...], column: str) -> str:
    """The cell of ``column`` in the row that starts with ``first``, in the table whose
    headings include ``must_have``."""
    prefix = (first,) if isinstance(first, str) else first
    for head, rows in tables:
        if must_have <= set(head):
            for row in rows:
                if tuple(row[: len(prefix)]) == prefix:
                    return row[head.index(column)]
    raise AssertionError(f"no table with {must_have} and a row {prefix!r}")


def test_2014_has_one_value_in_every_report(real_reports):
    followup = _tables(real_reports / "uppfoljning-2014H2.html")
    evaluation = _tables(real_reports / "utvardering-2014-2016.html")
    next_half = _tables(real_reports / "uppfoljning-2015H1.html")
    money = {"Kostnader utfall", "Resultat efter eget kapital", "Utgående eget kapital"}
    result = {"Intäkter utfall", "Kostnader utfall", "Resultat utfall"}
    statement = {"Resultat", "Ianspråktaget eget kapital", "Eget kapital vid årets/periodens slut"}
    pairs = [
        (
            _cell(followup, result, "Totalt", "Kostnader utfall"),
            _cell(evaluation, money, "2014", "Kostnader utfall"),
        ),
        (
            _cell(followup, result, "Totalt", "Intäkter utfall"),
            _cell(evaluation, money, "2014", "Intäkter"),
        ),
        (
            _cell(followup, result, "Totalt", "Resultat utfall"),
            _cell(evaluation, money, "2014", "Resultat"),
        ),
        (
            _cell(followup, statement, "Utfall hittills i år", "Ianspråktaget eget kapital"),
            _cell(evaluation, money, "2014", "Ianspråktaget eget kapital"),
        ),
        (
            _cell(
                followup, statement, "Utfall hittills i år", "Eget kapital vid årets/periodens slut"
            ),
            _cell(evaluation, money, "2014", "Utgående eget kapital"),
        ),
        (
            _cell(evaluation, {"Kostnad per aktivitet"}, ("2014", "Totalt"), "Kostnader"),
            _cell(evaluation, money, "2014", "Kostnader utfall"),
        ),
    ]
    for shown_here, shown_there in pairs:
        assert shown_here == shown_there
    assert pairs[0][0].replace("\u00a0", " ") == "2 668 407 kr"
    # the closing equity of 2014 opens 2015
    opening = _cell(next_half, statement, "Utfall hittills i år", "Eget kapital 1 januari")
    assert opening == pairs[4][0]
