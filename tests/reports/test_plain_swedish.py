"""Plain Swedish in every real report: the text a reader sees, scanned for forbidden patterns.

Typographic minus and no negative zero; ranges with an en dash; "+" on changes and
procentenheter for changes of percentages; municipalities in Swedish alphabetical order; no
developer words, file names or configuration keys in the body (the appendix may name files);
complete key-figure labels; period words that fit the report.
"""

from __future__ import annotations

import re

import pytest
from browserlib import Visit

from foui_analysis.presentation.formats import swedish_sort_key

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FORBIDDEN_EVERYWHERE = {
    "hyphen as minus": re.compile(r"(?<![\w\-–−])-\s?\d"),
    "negative zero": re.compile(r"[−-]0(?:,0+)?(?![\d,])"),
    "range with a hyphen": re.compile(r"(?<![\d\-\w])\d{1,4}-\d{1,4}(?![\d\-])"),
    "programming words": re.compile(r"\b(?:None|NaN|nan|True|False|null|Traceback)\b"),
    "library or configuration": re.compile(
        r"foui_analysis|population_basis|lag_years|\bdata_dir\b|\bY-2\b|Git-commit"
    ),
}
FORBIDDEN_IN_BODY = {
    "file name": re.compile(r"\b[\w./-]+\.(?:csv|toml|json|ipynb|py|html|xlsx)\b"),
    "developer word": re.compile(r"\b(?:biblioteket|notebook|Notebook|parameter|kpis)\b"),
}
CHANGE_HEADINGS = ("Förändring", "Skillnad", "Avvikelse")
SIGNED = re.compile(r"^(?:[+−]\d|0(?:,0+)?(?:\s|$)|–$)")


def report_names(real_reports) -> list[str]:
    return sorted(p.stem for p in real_reports.glob("*.html"))


@pytest.fixture(scope="module")
def texts(browser, real_reports):
    """Each published page's visible text, split into body and appendix, and its tables."""
    found = {}
    for name in report_names(real_reports):
        with Visit(browser, real_reports / f"{name}.html") as visit:
            text = visit.text
            body, _, appendix = text.partition("Bilaga:")
            tables = visit.page.locator("table").evaluate_all(
                """ts => ts.map(t => ({
                    head: [...t.querySelectorAll('thead th')].map(c => c.innerText.trim()),
                    rows: [...t.querySelectorAll('tbody tr')].map(
                        r => [...r.cells].map(c => c.innerText.trim())),
                }))"""
            )
            labels = visit.page.locator(".foui-kpi-label").all_inner_texts()
        found[name] = {"text": text, "body": body, "tables": tables, "labels": labels}
    return found


def test_every_published_report_is_scanned(texts):
    names = set(texts)
    assert "index" in names
    assert {n.split("-")[0] for n in names} >= {"uppfoljning", "utvardering", "avgifter"}


@pytest.mark.parametrize("rule", sorted(FORBIDDEN_EVERYWHERE))
def test_no_forbidden_pattern_anywhere(texts, rule):
    pattern = FORBIDDEN_EVERYWHERE[rule]
    found = {name: pattern.findall(t["text"])[:5] for name, t in texts.items()}
    assert {name: hits for name, hits in found.items() if hits} == {}


@pytest.mark.parametrize("rule", sorted(FORBIDDEN_IN_BODY))
def test_no_technical_words_in_the_body(texts, rule):
    pattern = FORBIDDEN_IN_BODY[rule]
    found = {name: pattern.findall(t["body"])[:5] for name, t in texts.items()}
    assert {name: hits for name, hits in found.items() if hits} == {}


def test_the_scan_finds_what_it_forbids():
    sample = "Resultat -1 200 kr, −0 kr och -0,0 %; 2013-2023; räknas i biblioteket foui_analysis"
    assert FORBIDDEN_EVERYWHERE["hyphen as minus"].search(sample)
    assert len(FORBIDDEN_EVERYWHERE["negative zero"].findall(sample)) == 2
    assert FORBIDDEN_EVERYWHERE["range with a hyphen"].search(sample)
    assert FORBIDDEN_EVERYWHERE["library or configuration"].search(sample)
    assert FORBIDDEN_IN_BODY["developer word"].search(sample)
    assert not FORBIDDEN_EVERYWHERE["negative zero"].search("−0,5 % och 2015-03-02")
    assert not FORBIDDEN_EVERYWHERE["range with a hyphen"].search("den 2015-03-02")


def test_changes_carry_their_sign(texts):
    checked = 0
    for name, t in texts.items():
        for table in t["tables"]:
            for position, heading in enumerate(table["head"]):
                if heading.startswith(CHANGE_HEADINGS):
                    for row in table["rows"]:
                        value = row[position].splitlines()[0] if row[position] else ""
                        if value[:1].isalpha():  # a change in words ("högre", "ingen säker")
                            continue
                        assert SIGNED.match(value), (name, heading, value)
                        checked += 1
    assert checked >= 20


def test_changes_of_percentages_are_in_procentenheter(texts):
    changes = []
    for name, t in texts.items():
        for table in t["tables"]:
            if table["head"][:1] == ["Nyckeltal"] and "Förändring" in table["head"]:
                column = table["head"].index("Förändring")
                changes += [(name, row[column]) for row in table["rows"]]
    assert [(name, value) for name, value in changes if value.endswith("%")] == []
    assert any(value.endswith("procentenheter") for _, value in changes)


def test_municipalities_in_swedish_alphabetical_order(texts):
    checked = 0
    for name, t in texts.items():
        for table in t["tables"]:
            if table["head"][:1] == ["Kommun"]:
                names = [row[0] for row in table["rows"]]
                assert names == sorted(names, key=swedish_sort_key), (name, names)
                checked += 1
    assert checked >= 3


def test_key_figure_labels_are_complete_phrases(texts):
    for name, t in texts.items():
        for label in t["labels"]:
            assert not re.search(r"\b(?:per|på|av|för|i|till|med)$", label), (name, label)


def test_period_words_fit_the_report(texts):
    for name, t in texts.items():
        if name.startswith("utvardering"):
            assert "hittills i år" not in t["text"], name
