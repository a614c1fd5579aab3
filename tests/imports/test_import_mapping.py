"""The mapping of accounts and objects: what it maps, and the mistakes it refuses."""

from __future__ import annotations

import pytest

from foui_analysis.errors import InputError
from foui_analysis.imports.mapping import Ignored, Mapped, Unmapped, bas_kind, load_mapping


def mapping(tmp_path, text: str):
    path = tmp_path / "m.toml"
    path.write_text(text, encoding="utf-8")
    return load_mapping(path)


def refused(tmp_path, text: str) -> list[str]:
    with pytest.raises(InputError) as info:
        mapping(tmp_path, text)
    return [str(p) for p in info.value.problems]


BASE = """
[[account]]
accounts = "3011"
line = "skola"

[[account]]
accounts = ["5800", "5810-5819"]
line = "resor"

[[object]]
dimension = "1"
object = "20"
area = "skola"

[[object]]
dimension = "1"
object = "30"
area = "overgripande"

[[ignore]]
accounts = "5800"
dimension = "1"
object = "90"
reason = "Kansliet"
"""


@pytest.mark.parametrize(
    ("account", "objects", "expected"),
    [
        ("3011", (), Mapped("skola", "skola", "intakt")),
        ("5815", (("1", "20"),), Mapped("resor", "skola", "kostnad")),
        ("5800", (("6", "P1"), ("1", "30")), Mapped("resor", "overgripande", "kostnad")),
        ("5800", (("1", "90"),), Ignored("Kansliet")),
        ("5820", (("1", "20"),), Unmapped("kontot finns inte i mappningen")),
    ],
)
def test_classify(tmp_path, account, objects, expected):
    assert mapping(tmp_path, BASE).classify(account, objects) == expected


def test_objects_naming_two_areas_are_unmapped(tmp_path):
    result = mapping(tmp_path, BASE).classify("5800", (("1", "20"), ("1", "30")))
    assert isinstance(result, Unmapped) and "olika områden" in result.reason


@pytest.mark.parametrize(
    ("account", "kind"),
    [("3010", "intakt"), ("4010", "kostnad"), ("7999", "kostnad"), ("8310", None), ("1930", None)],
)
def test_the_bas_class_says_the_kind(account, kind):
    assert bas_kind(account) == kind


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        ('[[account]]\naccounts = "5812"\nline = "lokaler"\n', "överlappar [[account]] nr 2"),
        ('[[account]]\naccounts = "3020"\nline = "resor"\n', "intakt enligt BAS men raden"),
        ('[[account]]\naccounts = "8310"\nline = "resor"\n', "ange kind"),
        ('[[account]]\naccounts = "6000"\nline = "hyra"\n', "väntade ett av personal"),
        ('[[account]]\naccounts = "6000-5000"\nline = "resor"\n', "börjar efter"),
        ('[[account]]\naccounts = "6000"\nline = "resor"\nkind = "intakt"\n', "är kostnad"),
        ('[[account]]\naccounts = "3020"\nline = "skola"\narea = "socialtjanst"\n', "hör till"),
        ('[[account]]\naccounts = "6000"\nline = "resor"\nkonto = 1\n', "okänd nyckel"),
        ('[[object]]\ndimension = "1"\nobject = "20"\narea = "skola"\n', "mappas redan"),
        ('[[ignore]]\naccounts = "1000-1999"\n', "skäl saknas"),
        ('[[ignore]]\nreason = "x"\n', "ange accounts"),
    ],
)
def test_mistakes_in_a_mapping_are_named(tmp_path, extra, words):
    messages = refused(tmp_path, BASE + extra)
    assert any(words in m for m in messages), messages


def test_a_mapping_that_is_not_toml_is_named(tmp_path):
    [message] = refused(tmp_path, "[[account]\n")
    assert "ogiltig TOML" in message
