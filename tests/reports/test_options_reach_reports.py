"""Every option reaches every report: ``--agreement`` and ``--reference`` are what each report
kind uses and what its provenance lists (with SHA-256), and no notebook writes a rule value.

One agreement with another rate for FoUI skola and another opening equity, and one reference
directory where Luleå has twice its inhabitants, change figures in every report kind; each
report's key figures must be exactly what the library computes from those files, and must
differ from what it computes from the repository's defaults.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from reportlib import EXAMPLE, REPO, foui

pytestmark = pytest.mark.slow

RULE_VALUE = re.compile(
    r"\d+(,\d+)?\s*(kr per invånare|%)|\b(19|20)\d\d\b|\b(två|tre|fyra|fem) år före"
)
"""A rate, a percentage, a year or a lag: rule values that must come from data or the library."""


def _text_of(cell: dict) -> str:
    source = "".join(cell["source"])
    if cell["cell_type"] == "markdown":
        return source
    # The literal text of a code cell (what it writes), not its expressions.
    return " ".join(m.group(0) for m in re.finditer(r'"[^"\n]*"|\'[^\'\n]*\'', source))


REPORT_NOTEBOOKS = ["avgifter.ipynb", "uppfoljning.ipynb", "utvardering.ipynb"]
"""The notebooks the runner makes reports from (utforska.ipynb is a researcher's scratchpad whose
fixed scenario is an example, not a rule)."""


@pytest.mark.parametrize("notebook", [REPO / "notebooks" / n for n in REPORT_NOTEBOOKS], ids=str)
def test_no_rule_value_is_written_in_a_notebook(notebook: Path):
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    found = []
    for number, cell in enumerate(cells, start=1):
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            continue  # defaults of parameters are data handed in by the runner
        for match in RULE_VALUE.finditer(_text_of(cell)):
            found.append(f"cell {number}: {match.group(0)!r}")
    assert not found, f"{notebook.name} writes rule values as text: {found}"


def test_the_rule_check_catches_what_it_looks_for():
    assert RULE_VALUE.search("Varje kommun betalar 4 kr per invånare")
    assert RULE_VALUE.search("delvis uppnått från 80 %")
    assert RULE_VALUE.search("målet från 2016")
    assert RULE_VALUE.search("den 31 december två år före avgiftsåret")
    assert not RULE_VALUE.search("deltagare per 1 000 invånare")


@pytest.fixture(scope="module")
def changed_rules(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("rules")
    agreement = root / "annat-avtal.toml"
    text = (REPO / "data" / "agreement.toml").read_text(encoding="utf-8")
    changed = text.replace('rate_sek_per_inhabitant = "4"', 'rate_sek_per_inhabitant = "6"')
    changed = changed.replace("opening_equity_sek = 3000000", "opening_equity_sek = 4000000")
    assert changed.count('"6"') == 1 and "4000000" in changed
    agreement.write_text(changed, encoding="utf-8")
    reference = root / "annan-referens"
    reference.mkdir()
    for file in (REPO / "data" / "reference").iterdir():
        (reference / file.name).write_bytes(file.read_bytes())
    lines = (reference / "scb_population.csv").read_text(encoding="utf-8").splitlines()
    doubled = [lines[0]]
    for line in lines[1:]:
        cells = line.split(",")
        if cells[0] == "2580":
            cells[4] = str(int(cells[4]) * 2)
        doubled.append(",".join(cells))
    (reference / "scb_population.csv").write_text("\n".join(doubled) + "\n", encoding="utf-8")
    return agreement, reference


def _library_figures(kind: str, agreement: Path | None, reference: Path | None) -> dict:
    import foui_analysis as foui_lib
    from foui_analysis.analyses import evaluation, followup, goals
    from foui_analysis.domain import fees
    from foui_analysis.presentation.report import kpis_payload

    ctx = foui_lib.load(EXAMPLE, agreement, reference)
    if kind == "fees":
        table = fees.fee_table(ctx.agreement, ctx.reference, 2015)
        figures = fees.key_figures(table, ctx.component_names, 2015)
    else:
        basis = goals.analysis_basis(ctx.agreement, ctx.reference, ctx.inputs)
        if kind == "followup":
            half = followup.parse_period("2015H1", ctx.agreement, basis)
            figures = followup.key_figures_dict(basis, half)
        else:
            years = evaluation.parse_years("2014-2016", ctx.agreement)
            figures = evaluation.key_figures_dict(basis, years)
    return json.loads(json.dumps(kpis_payload(figures), sort_keys=True))


COMMANDS = {
    "fees": ("avgifter-2015", ["fees", "--year", "2015"]),
    "followup": ("uppfoljning-2015H1", ["followup", "--period", "2015H1"]),
    "evaluation": ("utvardering-2014-2016", ["evaluation", "--years", "2014-2016"]),
}


@pytest.mark.parametrize("kind", sorted(COMMANDS))
def test_each_report_kind_uses_the_agreement_and_reference_it_was_given(
    kind, changed_rules, tmp_path
):
    agreement, reference = changed_rules
    name, command = COMMANDS[kind]
    out = tmp_path / "reports"
    done = foui(
        "run",
        *command,
        "--data",
        str(EXAMPLE),
        "--agreement",
        str(agreement),
        "--reference",
        str(reference),
        "--out",
        str(out),
    )
    assert done.returncode == 0, done.stderr

    kpis = json.loads((out / name / "kpis.json").read_text(encoding="utf-8"))
    expected = _library_figures(kind, agreement, reference)
    assert kpis == expected
    assert kpis != _library_figures(kind, None, None), "the changed files must change the report"

    provenance = json.loads((out / name / "provenance.json").read_text(encoding="utf-8"))
    assert provenance["parameters"]["agreement"] == agreement.as_posix()
    assert provenance["parameters"]["reference"] == reference.as_posix()
    listed = {i["path"]: i["sha256"] for i in provenance["inputs"]}
    given = [agreement, *sorted(reference.iterdir())]
    for file in given:
        assert listed[file.as_posix()] == hashlib.sha256(file.read_bytes()).hexdigest()
    assert "data/agreement.toml" not in listed
    assert not any(path.startswith("data/reference/") for path in listed)

    html = (out / f"{name}.html").read_text(encoding="utf-8")
    if kind == "fees":
        assert "6 kr per invånare" in html
        assert "4 kr per invånare" not in html
