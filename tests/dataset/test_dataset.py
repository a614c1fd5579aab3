"""dataset.toml: the one reader of what a data directory says about itself."""

from __future__ import annotations

import argparse
import datetime as dt

import pytest

import foui_analysis as foui
from foui_analysis.arguments import year_argument
from foui_analysis.dataset import NO_DATASET, Dataset, books_closed_through, read_dataset
from foui_analysis.errors import InputError
from foui_analysis.paths import REPO_ROOT
from foui_analysis.runner import ReportError, is_example_data


def test_a_directory_without_dataset_toml_is_real_data_with_no_closed_period(tmp_path):
    assert read_dataset(tmp_path) == NO_DATASET == Dataset(False, "", None)


def test_every_key_is_read(tmp_path):
    (tmp_path / "dataset.toml").write_text(
        '[dataset]\nexample = true\ndescription = "Påhittat"\nbooks_closed_through = 2016-06-30\n',
        encoding="utf-8",
    )
    assert read_dataset(tmp_path) == Dataset(True, "Påhittat", dt.date(2016, 6, 30))


def test_the_exempeldata_marker_makes_example_data_everywhere(tmp_path):
    (tmp_path / "EXEMPELDATA").write_text("", encoding="utf-8")
    (tmp_path / "dataset.toml").write_text("[dataset]\nexample = false\n", encoding="utf-8")
    assert read_dataset(tmp_path).example is True
    assert is_example_data(tmp_path) is True


@pytest.mark.parametrize(
    ("text", "column", "expected"),
    [
        ("[dataset]\nexample = 1\n", "dataset.example", "väntade true eller false"),
        (
            '[dataset]\nbooks_closed_through = "2016-06-30"\n',
            "books_closed_through",
            "väntade ett datum ÅÅÅÅ-MM-DD, fick '2016-06-30'",
        ),
        (
            "[dataset]\nbooks_closed_through = 2016-06-30T12:00:00\n",
            "books_closed_through",
            "väntade ett datum ÅÅÅÅ-MM-DD",
        ),
        ('dataset = "ja"\n', "dataset", "väntade en tabell [dataset]"),
        ("[dataset\n", None, "ogiltig TOML"),
    ],
)
def test_a_wrong_value_names_the_file_and_the_key(tmp_path, text, column, expected):
    path = tmp_path / "dataset.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_dataset(tmp_path)
    [problem] = caught.value.problems
    assert (problem.file, problem.column) == (str(path), column)
    assert expected in problem.message


def test_text_that_is_not_utf8_is_an_input_error(tmp_path):
    (tmp_path / "dataset.toml").write_bytes(b'[dataset]\ndescription = "\xe5r"\n')
    # read with foui_analysis.readers.read_toml: the byte and its row named
    with pytest.raises(
        InputError, match=r"dataset.toml, rad 2: dataset.toml är inte UTF-8: byte 0xE5"
    ):
        read_dataset(tmp_path)


def test_every_caller_agrees_with_the_reader(tmp_path):
    example = REPO_ROOT / "data" / "example"
    info = read_dataset(example)
    assert info.example is True
    assert foui.load(example).is_example is True
    assert is_example_data(example) is True
    assert books_closed_through(example) == info.books_closed_through is not None
    (tmp_path / "dataset.toml").write_text("[dataset\n", encoding="utf-8")
    with pytest.raises(ReportError, match="dataset.toml"):
        is_example_data(tmp_path)
    with pytest.raises(InputError, match="dataset.toml"):
        books_closed_through(tmp_path)


@pytest.mark.parametrize("text", ["2015", "٢٠١٥"])
def test_year_argument_takes_four_digits(text):
    assert year_argument(text) == 2015


@pytest.mark.parametrize("text", ["15", "20155", "²⁰¹⁵", " 2015", "år"])
def test_year_argument_refuses_anything_else_in_swedish(text):
    with pytest.raises(argparse.ArgumentTypeError, match="väntade ett årtal med fyra siffror"):
        year_argument(text)
