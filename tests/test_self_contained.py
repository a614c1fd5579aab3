"""The repository stands alone: it refers to no file outside it, and the paths it cites exist.

A person who clones the repository has nothing beside it, so no tracked file may point to a
folder next to the checkout or to the machine it was written on, and every repository path that
the README, the documents in docs/ and the library (its docstrings and comments) cite must be
there.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from foui_analysis.paths import REPO_ROOT

# Spelled in pieces so that this file does not match itself.
OUTSIDE = [
    ".." + "/shared",
    "/" + "work/",
    "DESIGN" + ".md",
]

TOP_LEVEL_DIRECTORIES = (
    ".ci",
    "bench",
    "data",
    "docs",
    "foui_analysis",
    "notebooks",
    "tests",
    "tools",
)
TOP_LEVEL_FILES = (
    "Makefile",
    "pyproject.toml",
    "requirements.lock",
    "requirements-build.in",
    "environment.yml",
    "README.md",
)
PATH = re.compile(
    r"(?<![\w/.-])(?:(?:"
    + "|".join(re.escape(d) for d in TOP_LEVEL_DIRECTORIES)
    + r")/[\w./-]*|"
    + "|".join(re.escape(f) for f in TOP_LEVEL_FILES)
    + r")(?![\w-])"
)
"""A path from the repository root: a top-level folder and what follows, or a top-level file."""


def tracked_files() -> list[Path]:
    try:
        listing = subprocess.run(
            ["git", "-C", str(REPO_ROOT), "ls-files", "-z"],
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        pytest.fail(f"git ls-files fungerar inte här: {exc}")
    return [REPO_ROOT / name for name in listing.decode().split("\0") if name]


def cited_paths(text: str) -> set[str]:
    return {match.rstrip(".") for match in PATH.findall(text)}


def citing_files() -> list[Path]:
    return [
        REPO_ROOT / "README.md",
        *sorted((REPO_ROOT / "docs").rglob("*.md")),
        *sorted((REPO_ROOT / "foui_analysis").rglob("*.py")),
    ]


def test_no_tracked_file_refers_outside_the_repository():
    problems = []
    for path in tracked_files():
        if not path.is_file():  # deleted in the work tree, not yet committed
            continue
        data = path.read_bytes()
        for needle in OUTSIDE:
            if needle.encode() in data:
                line = data[: data.index(needle.encode())].count(b"\n") + 1
                problems.append(f"{path.relative_to(REPO_ROOT)}:{line}: {needle}")
    assert not problems, "hänvisningar utanför förrådet: " + ", ".join(problems)


def test_every_repository_path_cited_in_the_readme_docs_and_library_exists():
    missing = []
    for path in citing_files():
        for cited in sorted(cited_paths(path.read_text(encoding="utf-8"))):
            if not (REPO_ROOT / cited).exists():
                missing.append(f"{path.relative_to(REPO_ROOT)}: {cited}")
    assert not missing, "sökvägar som inte finns: " + ", ".join(missing)


def test_the_design_document_and_the_proposal_summary_are_in_docs():
    design = (REPO_ROOT / "docs" / "design.md").read_text(encoding="utf-8")
    summary = (REPO_ROOT / "docs" / "forslaget.md").read_text(encoding="utf-8")
    title = "Forskning och utveckling/innovation i Norrbottens kommuner"
    for text in (design, summary):
        assert title in " ".join(text.split()) and "2013" in text
    for heading in ("## Architecture", "## Contracts", "## Kept hand-written, and why"):
        assert heading in design
    assert "docs/design.md" in (REPO_ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("see `docs/design.md`.", {"docs/design.md"}),
        (
            "``data/reference/`` and data/example/README.md",
            {"data/reference/", "data/example/README.md"},
        ),
        ("the module foui_analysis.runner, /srv/data/x, OUT/<name>/", set()),
        (
            "`make lock` writes requirements.lock and environment.yml",
            {"requirements.lock", "environment.yml"},
        ),
        ("foui_analysis/domain/*.py", {"foui_analysis/domain/"}),
    ],
)
def test_what_counts_as_a_cited_path(text, expected):
    assert cited_paths(text) == expected
