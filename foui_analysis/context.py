"""One call to load everything an analysis needs: ``foui.load()``.

For researchers in JupyterLab and for the report notebooks alike::

    import foui_analysis as foui
    ctx = foui.load("data/example")
    ctx.agreement, ctx.reference, ctx.inputs

The agreement and reference data come from ``data/`` unless given (see
:mod:`foui_analysis.paths`); the user inputs from ``data_dir`` and are loaded on first use, so a
fee calculation needs no activity data. A ``data_dir`` that does not exist is refused at once
(with the nearest existing name suggested), not when the first table is needed.

At the prompt, ``ctx`` shows one line (what was loaded, not the tables), and
``ctx.table("activities")`` gives an input table with dates as ``datetime64``
(:mod:`foui_analysis.frames`; ``ctx.inputs`` keeps ``datetime.date``, as the analyses read it).

Process cache: in a process where ``FOUI_PROCESS_CACHE=1`` (the report runner sets it while a
notebook runs), :func:`load` returns the same :class:`Context` for the same files with the same
contents (SHA-256 of every file read), so report after report in one process reads and checks
the inputs once, and analyses memoised on them (:func:`foui_analysis.analyses.goals.per_basis`)
are shared. A changed file gives a new Context. Every caller gets its own view of the cached
Context (:func:`foui_analysis.handout.handout`: its tables are copies), so a notebook that
changes a loaded table in place cannot change what the next report sees. The cache is off by
default: a researcher who changes a loaded table in place and loads again gets fresh data.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from foui_analysis import paths
from foui_analysis.domain.agreement import Agreement, load_agreement
from foui_analysis.domain.reference import Reference, load_reference
from foui_analysis.errors import InputError


@dataclass(repr=False)
class Context:
    """What an analysis needs: the agreement, the reference data and the inputs of a directory."""

    agreement: Agreement
    reference: Reference
    data_dir: Path

    def __repr__(self) -> str:
        agreement = self.agreement
        years = sorted(set(self.reference.population["year"]))
        population = f", befolkning {years[0]}–{years[-1]}" if years else ""
        example = ", exempeldata" if self.is_example else ""
        return (
            f"<Context {str(self.data_dir)!r}{example}: avtal {agreement.first_year}–"
            f"{agreement.last_year}, {len(agreement.members)} medlemmar{population}>"
        )

    def table(self, name: str):
        """Input table ``name`` (``activities``, ``ledger`` ...) with dates as datetime64.

        A copy: money stays exact (int kronor or Decimal); see
        :func:`foui_analysis.frames.for_plotting` for floats to draw with.
        """
        from foui_analysis.frames import analysis_ready
        from foui_analysis.schemas.inputs import INPUT_TABLES

        if name not in INPUT_TABLES:
            raise InputError.single(
                self.data_dir,
                f"okänd tabell {name!r}; indata har " + ", ".join(sorted(INPUT_TABLES)),
            )
        return analysis_ready(getattr(self.inputs, name))

    @cached_property
    def inputs(self):
        from foui_analysis.domain.inputs import load_inputs
        from foui_analysis.handout import handout, origin

        source = origin(self)
        if source is not self:  # a view of a cached Context: the cached inputs, as a view
            return handout(source.inputs)
        return load_inputs(self.data_dir, self.agreement)

    @cached_property
    def is_example(self) -> bool:
        """True when the data directory says it holds fictional example data."""
        from foui_analysis.dataset import read_dataset

        return read_dataset(self.data_dir).example

    @property
    def component_names(self) -> dict[str, str]:
        return {c.id: c.name for c in self.agreement.components}


_cache: dict[tuple, Context] = {}


def process_cache_enabled() -> bool:
    return os.environ.get("FOUI_PROCESS_CACHE", "0").strip() == "1"


@contextlib.contextmanager
def process_cache() -> Iterator[None]:
    """The process cache switched on (``FOUI_PROCESS_CACHE=1``) while the block runs."""
    previous = os.environ.get("FOUI_PROCESS_CACHE")
    os.environ["FOUI_PROCESS_CACHE"] = "1"
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("FOUI_PROCESS_CACHE", None)
        else:
            os.environ["FOUI_PROCESS_CACHE"] = previous


def _contents(*places: Path | None) -> str:
    """One SHA-256 over the names and bytes of the files at ``places`` (files or directories)."""
    digest = hashlib.sha256()
    for place in places:
        if place is None:
            continue
        files = sorted(p for p in place.rglob("*") if p.is_file()) if place.is_dir() else [place]
        for path in files:
            digest.update(str(path.resolve()).encode())
            digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()


def _check_directory(directory: Path, given: str | Path | None) -> None:
    """InputError at once when the inputs directory does not exist (a nearby name suggested)."""
    if directory.is_dir():
        return
    import difflib

    parent = directory.parent
    siblings = [p.name for p in parent.iterdir() if p.is_dir()] if parent.is_dir() else []
    close = difflib.get_close_matches(directory.name, siblings, n=1)
    hint = f" Menade du {parent / close[0]}?" if close else ""
    what = "är ingen katalog" if directory.exists() else "finns inte"
    raise InputError.single(
        given if given is not None else directory, f"katalogen med indata {what}.{hint}"
    )


def load(
    data_dir: str | Path | None = None,
    agreement: str | Path | None = None,
    reference: str | Path | None = None,
    population: str | Path | None = None,
) -> Context:
    """Load the agreement, the reference data and (lazily) the inputs of ``data_dir``."""
    agreement_path = paths.resolve(agreement or paths.default_agreement())
    reference_dir = paths.resolve(reference or paths.default_reference())
    inputs_dir = paths.resolve(data_dir) if data_dir else paths.default_inputs()
    _check_directory(inputs_dir, data_dir)
    population_path = paths.resolve(population) if population else None
    key = None
    if process_cache_enabled():
        from foui_analysis.handout import handout

        key = (_contents(agreement_path, reference_dir, inputs_dir, population_path),)
        if key in _cache:
            return handout(_cache[key])
    context = Context(
        agreement=load_agreement(agreement_path),
        reference=load_reference(reference_dir, population_path),
        data_dir=inputs_dir,
    )
    if key is not None:
        from foui_analysis.handout import handout

        _cache.clear()
        _cache[key] = context
        return handout(context)
    return context
