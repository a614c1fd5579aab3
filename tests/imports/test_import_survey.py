"""``foui import survey``: respondents to the aggregated survey; free text and personal data out."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from foui_analysis.cli import main

EXPORT = """\
Tidstämpel;Namn;E-post;Kommun;Roll;Relevans;Kvalitet;Nytta;Övriga synpunkter
2014-11-03 09:12;Anna Berg;anna.berg@lulea.se;Luleå;Chef;4;5;3;Bra seminarier
2014-11-03 10:40;Per Ek;per.ek@lulea.se;luleå;chef;5;;4;
2014-11-04 08:01;Eva Lind;eva@arjeplog.se;Arjeplog;Förtroendevald;2;3;3;Vi nås sällan
2014-11-05 13:30;Ola Sten;ola@lulea.se;2580;Medarbetare;3;3;2;
"""

MAPPING = """\
[columns]
year = "Tidstämpel"

[roles]
"Förtroendevald" = "politiker"
"""

EXPECTED = """\
year,municipality_code,role,respondents,asked,relevance,quality,usefulness
2014,2506,politiker,1,,2,3,3
2014,2580,chef,2,,4.50,5,3.50
2014,2580,medarbetare,1,,3,3,2
"""


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(["import", "survey", *map(str, argv)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_respondents_become_means_per_municipality_and_role(tmp_path, capsys):
    export = write(tmp_path, "svar.csv", EXPORT, "cp1252")
    mapping = write(tmp_path, "kolumner.toml", MAPPING)
    out = tmp_path / "data"
    code, stdout, err = run(capsys, export, "--mapping", mapping, "--out", out)
    assert code == 0, err
    written = (out / "survey.csv").read_text(encoding="utf-8")
    assert written == EXPECTED
    assert str(out / "survey.csv") in stdout


def test_personal_data_and_free_text_are_dropped_and_named(tmp_path, capsys):
    export = write(tmp_path, "svar.csv", EXPORT)
    mapping = write(tmp_path, "kolumner.toml", MAPPING)
    out = tmp_path / "data"
    code, _, err = run(capsys, export, "--mapping", mapping, "--out", out)
    assert code == 0
    assert "'Namn' (namn)" in err and "'E-post' (e-postadresser)" in err
    assert "'Övriga synpunkter'" in err
    written = (out / "survey.csv").read_text(encoding="utf-8")
    for personal in ("Anna", "Berg", "@", "seminarier", "sällan"):
        assert personal not in written


def test_a_personnummer_column_under_any_heading_is_found_by_its_cells(tmp_path, capsys):
    text = EXPORT.replace("Tidstämpel;", "Id;Tidstämpel;")
    numbers = iter(["19811218-9876", "811218-9876", "8112189876", "198112189876"])
    lines = [
        line.replace("2014-11-0", f"{next(numbers)};2014-11-0", 1) if i else line
        for i, line in enumerate(text.splitlines())
    ]
    export = write(tmp_path, "svar.csv", "\n".join(lines) + "\n")
    mapping = write(tmp_path, "kolumner.toml", MAPPING)
    code, _, err = run(capsys, export, "--mapping", mapping, "--out", tmp_path / "d")
    assert code == 0, err
    assert "'Id' (personnummer)" in err
    assert "9876" not in (tmp_path / "d" / "survey.csv").read_text(encoding="utf-8")


def test_an_excel_export_with_default_headings_and_codes(tmp_path, capsys):
    book = Workbook()
    sheet = book.active
    sheet.append(["År", "Kommun", "Roll", "Relevans", "Kvalitet", "Nytta", "Fritext"])
    sheet.append([2015, 2584, "politiker", 4, 4, 5, "Kiruna är nöjd"])
    sheet.append([2015, "Kiruna", "Politiker", 5, 4, 4, None])
    book.save(tmp_path / "svar.xlsx")
    out = tmp_path / "data"
    code, _, err = run(capsys, tmp_path / "svar.xlsx", "--out", out)
    assert code == 0, err
    assert (out / "survey.csv").read_text(encoding="utf-8").splitlines()[1:] == [
        "2015,2584,politiker,2,,4.50,4,4.50"
    ]


def test_other_years_already_in_the_data_set_are_kept(tmp_path, capsys):
    out = tmp_path / "data"
    out.mkdir()
    (out / "survey.csv").write_text(
        "year,municipality_code,role,respondents,relevance,quality,usefulness,asked\n"
        "2014,2581,chef,9,1,1,1,\n"
        "2015,2580,chef,3,3.1,3.2,3.3,5\n",
        encoding="utf-8",
    )
    export = write(tmp_path, "svar.csv", EXPORT)
    mapping = write(tmp_path, "kolumner.toml", MAPPING)
    code, _, err = run(capsys, export, "--mapping", mapping, "--out", out)
    assert code == 0, err
    lines = (out / "survey.csv").read_text(encoding="utf-8").splitlines()
    assert lines[1:-1] == EXPECTED.splitlines()[1:]  # 2014 replaced as a whole
    assert lines[-1] == "2015,2580,chef,3,5,3.1,3.2,3.3"  # kept as it was
    assert "1 rader från andra år behölls" in err


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        (";Luleå;Chef;4;", ";Lulea;Chef;4;", "rad 2, kolumn 'Kommun': väntade en medlemskommuns"),
        (";Chef;4;5;3;", ";Rektor;4;5;3;", "rad 2, kolumn 'Roll': väntade en roll"),
        (";Chef;4;5;3;", ";Chef;4;6;3;", "rad 2, kolumn 'Kvalitet': väntade ett betyg 1-5"),
        ("2014-11-03 09:12;", "nov 2014;", "rad 2, kolumn 'Tidstämpel': väntade ett år"),
        (";2;3;3;", ";2;3;;", "rad 4, kolumn 'Nytta': ingen av de 1 svarande"),
        ("Roll;", "Befattning;", "rad 1, kolumn 'Roll': kolumnen för role saknas"),
    ],
)
def test_bad_rows_are_named_and_nothing_is_written(tmp_path, capsys, old, new, words):
    assert old in EXPORT
    export = write(tmp_path, "svar.csv", EXPORT.replace(old, new, 1))
    mapping = write(tmp_path, "kolumner.toml", MAPPING)
    code, _, err = run(capsys, export, "--mapping", mapping, "--out", tmp_path / "data")
    assert code == 1
    assert f"{export}, {words}" in err
    assert not (tmp_path / "data").exists()


def test_a_bad_mapping_is_named(tmp_path, capsys):
    export = write(tmp_path, "svar.csv", EXPORT)
    mapping = write(tmp_path, "kolumner.toml", '[columns]\nkommun = "Kommun"\n[roles]\nx = "vd"\n')
    code, _, err = run(capsys, export, "--mapping", mapping, "--out", tmp_path / "data")
    assert code == 1
    assert "kolumn 'columns.kommun': väntade en av year" in err
    assert "kolumn 'roles.x': väntade en av politiker, chef, medarbetare, fick 'vd'" in err
