"""Recognising personal data: headings, e-mail addresses, personal identity numbers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from foui_analysis.imports.personal import luhn_ok, personal_column, scrub


@pytest.mark.parametrize(
    ("heading", "cells", "kind"),
    [
        ("Namn", [], "namn"),
        ("Förnamn", [], "namn"),
        ("Respondent name", [], "namn"),
        ("E-post", [], "e-postadresser"),
        ("Email address", [], "e-postadresser"),
        ("Personnummer", [], "personnummer"),
        ("Kontakt", ["", "kerstin.ek@kiruna.se"], "e-postadresser"),
        ("Id", ["19811218-9876"], "personnummer"),
        ("Kommentar", ["Bra dag", None, "Ordernr 1234567890"], None),
        ("Kommun", ["Luleå", "2580"], None),
        ("Tidstämpel", ["2014-11-03 09:12", "20141103"], None),
    ],
)
def test_personal_columns(heading, cells, kind):
    assert personal_column(heading, cells) == kind


def test_luhn():
    assert luhn_ok("8112189876")
    assert not luhn_ok("8112189875")


def test_scrub_removes_addresses_and_valid_numbers_only():
    text, count = scrub("Lön 811218-9876 via per.ek@lulea.se, faktura 1234567890, 20140325")
    assert text == "Lön [borttaget] via [borttaget], faktura 1234567890, 20140325"
    assert count == 2


@settings(deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abc åäö-.,0123456789")), max_size=40))
def test_scrub_leaves_text_without_personal_data_unchanged_or_shorter(text):
    cleaned, count = scrub(text)
    assert (cleaned == text) == (count == 0)
    assert scrub(cleaned) == (cleaned, 0)
