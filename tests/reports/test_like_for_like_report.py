"""The published follow-up compares like with like: 2015H1's comparison section is with the
first half of 2014, never with the full year 2014 (issue: "Förändring sedan förra
uppföljningen" compared six months with twelve)."""

from __future__ import annotations

from bs4 import BeautifulSoup


def _section_table_headings(path, heading_text: str) -> list[str]:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    heading = next(h for h in soup.find_all("h2") if heading_text in h.get_text())
    table = heading.find_next("table")
    return [th.get_text(" ", strip=True) for th in table.find("tr").find_all(["th", "td"])]


def test_the_first_half_of_2015_is_compared_with_the_first_half_of_2014(real_reports):
    headings = _section_table_headings(
        real_reports / "uppfoljning-2015H1.html", "Jämfört med samma period förra året"
    )
    assert "Första halvåret 2014" in headings
    assert not any("Andra halvåret" in h or h == "2014" for h in headings)
