"""The researcher's guide (docs/forskarguide.md): every worked example runs as written.

Each example's Python blocks run in a fresh namespace in a temporary working directory that
has the repository's data/ (as a researcher's checkout has); then the example's result is
checked against the library called another way.
"""

from __future__ import annotations

import re
from decimal import Decimal

import matplotlib
import pytest

from foui_analysis.paths import REPO_ROOT

GUIDE = REPO_ROOT / "docs" / "forskarguide.md"


def examples() -> dict[str, list[str]]:
    """Heading ``## Exempel N: ...`` -> the Python code blocks under it."""
    found: dict[str, list[str]] = {}
    for section in re.split(r"^## ", GUIDE.read_text(encoding="utf-8"), flags=re.M)[1:]:
        title = section.splitlines()[0]
        if title.startswith("Exempel"):
            found[title] = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    return found


EXAMPLES = examples()


def run(title: str, tmp_path, monkeypatch) -> dict:
    matplotlib.use("Agg")
    (tmp_path / "data").symlink_to(REPO_ROOT / "data")
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    for block in EXAMPLES[title]:
        exec(compile(block, f"{GUIDE.name}: {title}", "exec"), namespace)
    return namespace


def test_the_guide_has_five_examples_each_with_code():
    assert len(EXAMPLES) == 5
    assert all(blocks for blocks in EXAMPLES.values())


def title(number: int) -> str:
    return next(t for t in EXAMPLES if t.startswith(f"Exempel {number}:"))


def test_example_1_fees_over_the_years_for_one_municipality(tmp_path, monkeypatch):
    from foui_analysis.domain import fees

    ns = run(title(1), tmp_path, monkeypatch)
    ctx, lulea = ns["ctx"], ns["lulea"]
    assert list(lulea["year"]) == list(ctx.agreement.years)
    for row in lulea.itertuples():
        table = fees.fee_table(ctx.agreement, ctx.reference, row.year)
        own = table.query("municipality_code == '2580' and component == 'skola'").iloc[0]
        assert row.fee_sek == own["fee_sek"] == 4 * own["population"]


def test_example_2_participation_per_municipality_and_year_as_a_chart(tmp_path, monkeypatch):
    ns = run(title(2), tmp_path, monkeypatch)
    table, fig = ns["deltagande"], ns["fig"]
    assert "Luleå" in table.index and len(table) == 14
    assert int(table.to_numpy().sum()) == int(ns["ctx"].inputs.activities["participants"].sum())
    assert (tmp_path / "deltagande-per-kommun.png").stat().st_size > 10_000
    assert fig.axes[0].get_xlabel() == "Deltagare"


def test_example_3_a_follow_up_figure_for_one_area(tmp_path, monkeypatch):
    ns = run(title(3), tmp_path, monkeypatch)
    row = ns["skola"]
    assert ns["halvar"].label == "2015H1"
    assert isinstance(row["cost_outcome_sek"], Decimal)
    costs = ns["basis"].inputs.ledger.query("area == 'skola' and kind == 'kostnad'")
    in_half = costs[[d.year == 2015 and d.month <= 6 for d in costs["date"]]]
    assert row["cost_outcome_sek"] == sum(in_half["amount_sek"])


def test_example_4_ones_own_swedish_csv(tmp_path, monkeypatch):
    ns = run(title(4), tmp_path, monkeypatch)
    raw = (tmp_path / "mina-data" / "activities.csv").read_bytes()
    assert b";" in raw.splitlines()[0] and b"9,5" in raw
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # really Windows-1252: å, ä, ö as single bytes
    mine = ns["aktiviteter"]
    example = ns["ctx"].table("activities")
    assert str(mine["date"].dtype) == "datetime64[ns]"
    import foui_analysis as foui

    original = foui.load(REPO_ROOT / "data" / "example").inputs.activities
    assert list(mine["title"]) == list(original["title"]) and len(example) == len(original)
    assert list(mine["hours"]) == list(original["hours"])


def test_example_5_two_fee_keys_compared(tmp_path, monkeypatch):
    from matplotlib.figure import Figure

    ns = run(title(5), tmp_path, monkeypatch)
    compare = ns["jamforelse"]
    assert compare["per_inhabitant_sek"].sum() == compare["equal_sek"].sum() == ns["total"]
    assert compare["equal_diff_sek"].sum() == 0
    assert isinstance(ns["fig"], Figure)
    assert (tmp_path / "nycklar-2016.png").exists()
