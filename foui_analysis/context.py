"""One call to load everything an analysis needs: ``foui.load()``.

For researchers in JupyterLab and for the report notebooks alike::

    import foui_analysis as foui
    ctx = foui.load("data/example")
    ctx.agreement, ctx.reference, ctx.inputs

The agreement and reference data come from ``data/`` unless given (see
:mod:`foui_analysis.paths`); the user inputs from ``data_dir`` and are loaded on first use, so a
fee calculation needs no activity data.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from foui_analysis import paths
from foui_analysis.domain.agreement import Agreement, load_agreement
from foui_analysis.domain.reference import Reference, load_reference


@dataclass
class Context:
    agreement: Agreement
    reference: Reference
    data_dir: Path

    @cached_property
    def inputs(self):
        from foui_analysis.domain.inputs import load_inputs

        return load_inputs(self.data_dir, self.agreement)

    @cached_property
    def is_example(self) -> bool:
        """True when the data directory says it holds fictional example data."""
        marker = self.data_dir / "dataset.toml"
        if not marker.exists():
            return False
        return bool(tomllib.loads(marker.read_text(encoding="utf-8"))
                    .get("dataset", {}).get("example", False))

    @property
    def component_names(self) -> dict[str, str]:
        return {c.id: c.name for c in self.agreement.components}


def load(
    data_dir: str | Path | None = None,
    agreement: str | Path | None = None,
    reference: str | Path | None = None,
    population: str | Path | None = None,
) -> Context:
    """Load the agreement, the reference data and (lazily) the inputs of ``data_dir``."""
    return Context(
        agreement=load_agreement(agreement or paths.default_agreement()),
        reference=load_reference(reference or paths.default_reference(), population),
        data_dir=Path(data_dir) if data_dir else paths.default_inputs(),
    )
