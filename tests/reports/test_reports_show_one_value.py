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


def _amount(shown: str) -> str:
    """An amount as shown, without its unit (a table with ", kr" in the heading omits it)."""
    return shown.removesuffix("\u00a0kr")


def test_2014_has_one_value_in_every_report(real_reports):
    followup = _tables(real_reports / "uppfoljning-2014H2.html")
    evaluation = _tables(real_reports / "utvardering-2014-2016.html")
    next_half = _tables(real_reports / "uppfoljning-2015H1.html")
    money = {"Kostnader utfall, kr", "Resultat efter eget kapital, kr", "Utgående eget kapital, kr"}
    result = {"Intäkter utfall, kr", "Kostnader utfall, kr", "Resultat utfall, kr"}
    statement = {"Resultat", "Ianspråktaget eget kapital", "Eget kapital vid årets/periodens slut"}
    pairs = [
        (
            _cell(followup, result, "Totalt", "Kostnader utfall, kr"),
            _cell(evaluation, money, "2014", "Kostnader utfall, kr"),
        ),
        (
            _cell(followup, result, "Totalt", "Intäkter utfall, kr"),
            _cell(evaluation, money, "2014", "Intäkter, kr"),
        ),
        (
            _cell(followup, result, "Totalt", "Resultat utfall, kr"),
            _cell(evaluation, money, "2014", "Resultat, kr"),
        ),
        (
            _cell(followup, statement, "Utfall hittills i år", "Ianspråktaget eget kapital"),
            _cell(evaluation, money, "2014", "Ianspråktaget eget kapital, kr"),
        ),
        (
            _cell(
                followup, statement, "Utfall hittills i år", "Eget kapital vid årets/periodens slut"
            ),
            _cell(evaluation, money, "2014", "Utgående eget kapital, kr"),
        ),
        (
            _cell(evaluation, {"Kostnad per aktivitet, kr"}, ("2014", "Totalt"), "Kostnader, kr"),
            _cell(evaluation, money, "2014", "Kostnader utfall, kr"),
        ),
    ]
    for shown_here, shown_there in pairs:
        assert _amount(shown_here) == _amount(shown_there)
    assert pairs[0][0].replace("\u00a0", " ") == "2 668 407"
    # the closing equity of 2014 opens 2015
    opening = _cell(next_half, statement, "Utfall hittills i år", "Eget kapital 1 januari")
    assert _amount(opening) == _amount(pairs[4][0])
