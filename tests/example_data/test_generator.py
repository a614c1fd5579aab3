"""The fictional example data: reproducible byte for byte, valid, and plainly marked as fiction."""

from __future__ import annotations

import tomllib

import pytest

from foui_analysis.cli import main
from foui_analysis.domain.inputs import load_inputs
from foui_analysis.example_data.generator import HTML_TITLE, write_example
from foui_analysis.paths import REPO_ROOT

EXAMPLE = REPO_ROOT / "data" / "example"
EXAMPLE_FILES = sorted(p for p in EXAMPLE.rglob("*") if p.is_file())


def test_the_generator_reproduces_the_committed_files_byte_for_byte(tmp_path):
    written = write_example(tmp_path)
    names = sorted(p.relative_to(tmp_path).as_posix() for p in written)
    assert names == sorted(p.relative_to(EXAMPLE).as_posix() for p in EXAMPLE_FILES)
    for name in names:
        assert (tmp_path / name).read_bytes() == (EXAMPLE / name).read_bytes(), (
            f"{name} differs: run python -m foui_analysis.example_data.generator --out data/example"
        )


@pytest.mark.pipeline  # foui check on the whole example data: every analysis of every report
def test_foui_check_accepts_the_example(capsys):
    assert main(["check", "--data", str(EXAMPLE)]) == 0
    assert "giltiga" in capsys.readouterr().out


def test_the_example_says_it_is_fictional():
    info = tomllib.loads((EXAMPLE / "dataset.toml").read_text(encoding="utf-8"))["dataset"]
    assert info["example"] is True
    assert info["description"].startswith("Fiktiva exempeldata")
    assert "påhittade" in (EXAMPLE / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "path",
    [p for p in EXAMPLE_FILES if p.suffix != ".se"],
    ids=lambda p: p.relative_to(EXAMPLE).as_posix(),
)
def test_every_file_is_utf8_with_unix_line_endings(path):
    data = path.read_bytes()
    data.decode("utf-8")
    assert b"\r" not in data
    assert not data.startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize(
    "path", [p for p in EXAMPLE_FILES if p.suffix == ".se"], ids=lambda p: p.name
)
def test_the_sie_files_are_cp437_with_pc_line_endings_as_the_specification_says(path):
    data = path.read_bytes()
    assert b"#FORMAT PC8\r\n" in data
    assert "Löner".encode("cp437") in data
    assert data.count(b"\n") == data.count(b"\r\n")


@pytest.fixture(scope="module")
def inputs():
    from foui_analysis.domain.agreement import load_agreement

    return load_inputs(EXAMPLE, load_agreement(REPO_ROOT / "data" / "agreement.toml"))


def test_the_example_holds_a_title_with_html_special_characters(inputs):
    assert HTML_TITLE in set(inputs.activities["title"])


def test_the_example_covers_2014_to_2018_and_every_member(inputs):
    from foui_analysis.domain.inputs import activity_reach

    years = {d.year for d in inputs.activities["date"]}
    assert years == set(range(2014, 2019))
    assert {d.year for d in inputs.ledger["date"]} == set(range(2014, 2019))
    from foui_analysis.domain.agreement import load_agreement

    members = load_agreement(REPO_ROOT / "data" / "agreement.toml").members
    reach = activity_reach(inputs.activities, members)
    counts = reach.groupby("municipality_code").size()
    assert set(counts.index) == set(members)
    # Inland rural municipalities are reached less often than the coast.
    inland = counts[["2505", "2506", "2510", "2521", "2513", "2518"]]
    coast = counts[["2580", "2581", "2582", "2514", "2583"]]
    assert inland.max() < coast.min()


def test_the_first_half_of_2014_is_a_slow_start(inputs):
    dates = inputs.activities["date"]
    h1 = sum(1 for d in dates if d.year == 2014 and d.month <= 6)
    h1_2016 = sum(1 for d in dates if d.year == 2016 and d.month <= 6)
    assert h1 < h1_2016 / 2


def test_the_example_is_small(inputs):
    assert 100 <= len(inputs.activities) <= 1000
    assert len(inputs.ledger) < 5000


def test_the_example_ledger_books_no_equity_as_revenue(inputs):
    ledger = inputs.ledger
    revenue = ledger[ledger["kind"] == "intakt"]
    over = revenue[revenue["line"] == "overgripande"]
    assert not any(d.year in (2014, 2015) for d in over["date"])
    assert not revenue["text"].str.contains("eget kapital", case=False).any()
