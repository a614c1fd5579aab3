"""The hostile-input suite: every kind of bad input a careless user or a faulty machine gives.

Each case is one real, distinct input: a copy of the example data, the reference data and the
agreement, changed in one way (or a command line, a path, an e-mail address), and one command
run on it in this process (``foui_analysis.cli.main``). Each asserts the exit code, the key facts
of the message (file, row, column, what was expected) and that nothing published changed: the
output folder holds a published report before, and its files are byte for byte the same after.
Every failing command's last line is the summary line (``foui: ...``), and no message is an
"internt fel" or a Python traceback.

Families: bad files for every input table, the reference tables, the agreement and
``dataset.toml``; injection (formulas, header injection); paths (missing, a file where a folder
is expected and the reverse, an output folder overlapping the inputs); faults of the machine
(a full disk, a read-only folder); e-mail; dates and periods.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from foui_analysis.cli import main
from foui_analysis.paths import REPO_ROOT
from foui_analysis.runner.publish import publish

PUBLISHED = "uppfoljning-2015H1"
LOCKS = {".run.lock", ".publish.lock"}


# --- the world a case runs in ------------------------------------------------------------------


@dataclass
class World:
    root: Path

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def ref(self) -> Path:
        return self.root / "ref"

    @property
    def agreement(self) -> Path:
        return self.root / "agreement.toml"

    @property
    def out(self) -> Path:
        return self.root / "out"

    def path(self, rel: str) -> Path:
        return self.root / rel

    def fill(self, argv: list[str]) -> list[str]:
        values = {
            "{data}": self.data,
            "{ref}": self.ref,
            "{agreement}": self.agreement,
            "{out}": self.out,
            "{root}": self.root,
        }
        filled = []
        for arg in argv:
            for key, value in values.items():
                arg = arg.replace(key, str(value))
            filled.append(arg)
        return filled


@pytest.fixture
def world(tmp_path) -> World:
    w = World(tmp_path / "w")
    shutil.copytree(REPO_ROOT / "data" / "example", w.data)
    shutil.copytree(REPO_ROOT / "data" / "reference", w.ref)
    shutil.copy2(REPO_ROOT / "data" / "agreement.toml", w.agreement)
    staging = tmp_path / "staging"
    staging.mkdir()
    record = {
        "report": {
            "name": PUBLISHED,
            "kind": "followup",
            "title": "Uppföljning, första halvåret 2015",
            "period_label": "1 januari 2015–30 juni 2015",
        },
        "created": "2015-08-01T10:00:00+02:00",
        "fingerprint": "publicerad",
    }
    files = {
        f"{PUBLISHED}.html": "<html><body>Publicerad rapport</body></html>",
        f"{PUBLISHED}.ipynb": "{}",
        "kpis.json": json.dumps({"aktiviteter_hittills": 40}),
        "provenance.json": json.dumps(record),
    }
    for name, text in files.items():
        (staging / name).write_text(text, encoding="utf-8")
    w.out.mkdir()
    publish(w.out, PUBLISHED, [staging / name for name in files])
    return w


def snapshot(directory: Path) -> dict[str, str]:
    """Every file under ``directory`` with its SHA-256, through the published links too."""
    found = {}
    for root, _, files in os.walk(directory, followlinks=True):
        for name in files:
            path = Path(root) / name
            if path.is_file() and name not in LOCKS:
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                found[path.relative_to(directory).as_posix()] = digest
    return found


# --- changing files ---------------------------------------------------------------------------


def _read_rows(path: Path) -> tuple[list[list[str]], str]:
    text = path.read_text(encoding="utf-8")
    separator = ";" if text.splitlines()[0].count(";") > text.splitlines()[0].count(",") else ","
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=separator)), separator


def _write_rows(path: Path, rows: list[list[str]], separator: str) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=separator, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def cell(rel: str, row: int, column: str, value: str) -> Callable[[World], None]:
    """Set one cell (``row`` as a spreadsheet numbers it: the header is row 1)."""

    def change(w: World) -> None:
        rows, sep = _read_rows(w.path(rel))
        rows[row - 1][rows[0].index(column)] = value
        _write_rows(w.path(rel), rows, sep)

    return change


def heading(rel: str, old: str, new: str) -> Callable[[World], None]:
    def change(w: World) -> None:
        rows, sep = _read_rows(w.path(rel))
        rows[0][rows[0].index(old)] = new
        _write_rows(w.path(rel), rows, sep)

    return change


def drop_column(rel: str, column: str) -> Callable[[World], None]:
    def change(w: World) -> None:
        rows, sep = _read_rows(w.path(rel))
        index = rows[0].index(column)
        _write_rows(w.path(rel), [r[:index] + r[index + 1 :] for r in rows], sep)

    return change


def header_only(rel: str) -> Callable[[World], None]:
    def change(w: World) -> None:
        rows, sep = _read_rows(w.path(rel))
        _write_rows(w.path(rel), rows[:1], sep)

    return change


def keep_rows(rel: str, keep: Callable[[list[str], list[str]], bool]) -> Callable[[World], None]:
    def change(w: World) -> None:
        rows, sep = _read_rows(w.path(rel))
        header = rows[0]
        _write_rows(w.path(rel), [header, *(r for r in rows[1:] if keep(header, r))], sep)

    return change


def duplicate_row(rel: str, row: int) -> Callable[[World], None]:
    def change(w: World) -> None:
        rows, sep = _read_rows(w.path(rel))
        _write_rows(w.path(rel), [*rows, rows[row - 1]], sep)

    return change


def write(rel: str, content: str | bytes) -> Callable[[World], None]:
    def change(w: World) -> None:
        path = w.path(rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")

    return change


def replace(rel: str, old: str, new: str) -> Callable[[World], None]:
    def change(w: World) -> None:
        text = w.path(rel).read_text(encoding="utf-8")
        assert old in text, (rel, old)
        w.path(rel).write_text(text.replace(old, new, 1), encoding="utf-8")

    return change


def replace_bytes(rel: str, old: bytes, new: bytes) -> Callable[[World], None]:
    def change(w: World) -> None:
        data = w.path(rel).read_bytes()
        assert old in data, (rel, old)
        w.path(rel).write_bytes(data.replace(old, new, 1))

    return change


def encode(rel: str, encoding: str, bom: bytes = b"") -> Callable[[World], None]:
    def change(w: World) -> None:
        text = w.path(rel).read_text(encoding="utf-8")
        w.path(rel).write_bytes(bom + text.encode(encoding))

    return change


def delete(rel: str) -> Callable[[World], None]:
    def change(w: World) -> None:
        path = w.path(rel)
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()

    return change


def directory(rel: str) -> Callable[[World], None]:
    """Replace a file by a directory of the same name."""

    def change(w: World) -> None:
        delete(rel)(w)
        w.path(rel).mkdir()

    return change


def to_xlsx(rel: str, keep_csv: bool) -> Callable[[World], None]:
    def change(w: World) -> None:
        import pandas as pd

        path = w.path(rel)
        rows, _ = _read_rows(path)
        frame = pd.DataFrame(rows[1:], columns=rows[0])
        frame.to_excel(path.with_suffix(".xlsx"), index=False)
        if not keep_csv:
            path.unlink()

    return change


def template(rel: str) -> Callable[[World], None]:
    """Put beside ``rel`` an .xlsx with its header and no rows (as foui init leaves one)."""

    def change(w: World) -> None:
        from openpyxl import Workbook

        rows, _ = _read_rows(w.path(rel))
        book = Workbook()
        book.active.append(rows[0])
        book.save(w.path(rel).with_suffix(".xlsx"))

    return change


def both(*changes: Callable[[World], None]) -> Callable[[World], None]:
    def change(w: World) -> None:
        for c in changes:
            c(w)

    return change


# --- the cases -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    id: str
    change: Callable[[World], None] | None
    argv: tuple[str, ...]
    code: int
    facts: tuple[str, ...]
    env: dict[str, str] = field(default_factory=dict)


CHECK = ("check", "--data", "{data}", "--reference", "{ref}", "--agreement", "{agreement}")
CASES: list[Case] = []


def case(id, change, facts, code=1, argv=CHECK, env=None):
    CASES.append(Case(id, change, tuple(argv), code, tuple(facts), env or {}))


A = "data/activities.csv"
P = "data/projects.csv"
L = "data/ledger.csv"
B = "data/budget.csv"
S = "data/survey.csv"
G = "data/goals.csv"
T = "data/targets.csv"
C = "data/commentary.csv"

# activities (required)
case(
    "activities header only",
    header_only(A),
    ["activities.csv", "inga rader ännu", "en rad per aktivitet"],
)
case("activities missing", delete(A), ["activities.csv", "filen saknas"])
case("activities empty file", write(A, ""), ["activities.csv", "tom"])
case("activities only separators", write(A, ",,,\n,,,\n"), ["activities.csv", "tom"])
case(
    "activities optional column misspelled",
    heading(A, "partner", "partners"),
    ["activities.csv", "rad 1", "'partners'", "menade du 'partner'?"],
)
case(
    "activities column in other case",
    heading(A, "title", "Title"),
    ["activities.csv", "'Title'", "menade du 'title'?"],
)
case(
    "activities unknown extra column",
    heading(A, "partner", "kommentar"),
    ["activities.csv", "'kommentar'", "okänd kolumn"],
)
case(
    "activities required column missing",
    drop_column(A, "date"),
    ["activities.csv", "rad 1", "'date'", "saknas"],
)
case(
    "activities csv and xlsx side by side",
    to_xlsx(A, keep_csv=True),
    ["activities.csv", "activities.xlsx", "flera filer"],
)
case(
    "activities bad date",
    cell(A, 3, "date", "2014-02-30"),
    ["activities.csv", "rad 3", "'date'", "ÅÅÅÅ-MM-DD"],
)
case(
    "activities date before the agreement",
    cell(A, 2, "date", "1999-03-05"),
    ["activities.csv", "rad 2", "'date'", "utanför avtalsperioden"],
)
case(
    "activities date far after the agreement",
    cell(A, 2, "date", "2099-03-05"),
    ["activities.csv", "rad 2", "'date'", "utanför avtalsperioden"],
)
case(
    "activities unknown area",
    cell(A, 4, "area", "vard"),
    ["activities.csv", "rad 4", "'area'", "vard"],
)
case(
    "activities unknown municipality",
    cell(A, 2, "municipalities", "2580|9999"),
    ["activities.csv", "rad 2", "'municipalities'", "9999"],
)
case(
    "activities municipalities separated by comma",
    cell(A, 2, "municipalities", "2580,2581"),
    ["activities.csv", "rad 2", "'municipalities'"],
)
case(
    "activities negative participants",
    cell(A, 2, "participants", "-3"),
    ["activities.csv", "rad 2", "'participants'"],
)
case(
    "activities participants as text",
    cell(A, 2, "participants", "tjugo"),
    ["activities.csv", "rad 2", "'participants'", "tjugo"],
)
case("activities task 7", cell(A, 2, "task", "7"), ["activities.csv", "rad 2", "'task'"])
case("activities hours text", cell(A, 2, "hours", "9 h"), ["activities.csv", "rad 2", "'hours'"])
case(
    "activities duplicate id",
    duplicate_row(A, 2),
    ["activities.csv", "activity_id", "flera gånger"],
)
case("activities empty title", cell(A, 5, "title", ""), ["activities.csv", "rad 5", "'title'"])
case(
    "activities unclosed quote",
    replace(A, "Erfarenhetsutbyte", '"Erfarenhetsutbyte'),
    ["activities.csv", "citattecknen"],
)
case(
    "activities a row with an extra field",
    replace(A, ",19,,5,9.5", ",19,,5,9.5,extra"),
    ["activities.csv", "rad 2", "fält"],
)
case(
    "activities one Windows-1252 byte in UTF-8",
    replace_bytes(A, b"Erfarenhetsutbyte", b"Erfarenhetsutbyte \xe5"),
    ["activities.csv", "rad 2", "'title'", "0xE5", "en kodning"],
)
case(
    "activities a broken UTF-8 sequence",
    replace_bytes(A, b"Erfarenhetsutbyte", b"Erfarenhetsutbyte \xc3("),
    ["activities.csv", "rad 2", "'title'", "0xC3"],
)
case(
    "activities a directory",
    directory(A),
    ["activities.csv", "katalog"],
)
case(
    "activities unknown format",
    both(delete(A), write("data/activities.ods", b"PK\x03\x04")),
    ["activities.csv", "filen saknas"],
)
case(
    "activities broken xlsx",
    both(delete(A), write("data/activities.xlsx", b"not a workbook")),
    ["activities.xlsx", "Excel"],
)

# projects (optional)
case(
    "projects start 1999",
    cell(P, 2, "start_date", "1999-09-26"),
    ["projects.csv", "rad 2", "'start_date'", "utanför avtalsperioden"],
)
case(
    "projects end 2099",
    cell(P, 2, "end_date", "2099-07-27"),
    ["projects.csv", "rad 2", "'end_date'", "utanför avtalsperioden"],
)
case(
    "projects end before start",
    cell(P, 2, "end_date", "2014-01-01"),
    ["projects.csv", "rad 2", "'end_date'", "före startdatum"],
)
case(
    "projects finished without end",
    cell(P, 2, "end_date", ""),
    ["projects.csv", "rad 2", "'end_date'", "slutdatum"],
)
case(
    "projects unknown status",
    cell(P, 2, "status", "klart"),
    ["projects.csv", "rad 2", "'status'", "klart"],
)
case(
    "projects funding with three decimals",
    cell(P, 2, "external_funding_sek", "150000,123"),
    ["projects.csv", "rad 2", "'external_funding_sek'", "öre"],
)
case(
    "projects bad id",
    cell(P, 2, "project_id", "P 2014/01"),
    ["projects.csv", "rad 2", "'project_id'"],
)
case(
    "projects column misspelled",
    heading(P, "external_funding_sek", "external_fundning_sek"),
    ["projects.csv", "menade du 'external_funding_sek'?"],
)
case(
    "projects csv and tsv",
    both(write("data/projects.tsv", "project_id\ttitle\nX1\tEtt projekt\n")),
    ["projects.csv", "projects.tsv", "flera filer"],
)

# ledger (required, ; separated, decimal comma)
case("ledger header only", header_only(L), ["ledger.csv", "inga rader ännu"])
case("ledger missing", delete(L), ["ledger.csv", "filen saknas"])
case(
    "ledger amount with letters",
    cell(L, 2, "amount_sek", "627 kr"),
    ["ledger.csv", "rad 2", "'amount_sek'", "627 kr"],
)
case(
    "ledger amount three decimals",
    cell(L, 2, "amount_sek", "627,005"),
    ["ledger.csv", "rad 2", "'amount_sek'", "öre"],
)
case(
    "ledger unknown kind",
    cell(L, 2, "kind", "utgift"),
    ["ledger.csv", "rad 2", "'kind'", "utgift"],
)
case(
    "ledger date outside the agreement",
    cell(L, 2, "date", "2013-12-31"),
    ["ledger.csv", "rad 2", "'date'", "utanför avtalsperioden"],
)
case(
    "ledger text column misspelled",
    heading(L, "text", "txt"),
    ["ledger.csv", "'txt'", "menade du 'text'?"],
)
case(
    "ledger as Windows-1252 with one UTF-8 letter",
    both(encode(L, "cp1252"), replace_bytes(L, b"Resa", "Resa å".encode())),
    ["ledger.csv", "0x", "en kodning"],
)
case(
    "ledger a cell of 11 million characters",
    replace(L, "Resa Luleå", "x" * 11_000_000),
    ["ledger.csv", "längre än"],
)

# budget (optional)
case(
    "budget year outside",
    cell(B, 2, "year", "2030"),
    ["budget.csv", "rad 2", "'year'", "utanför avtalsperioden"],
)
case("budget negative amount", cell(B, 2, "amount_sek", "-5"), ["budget.csv", "rad 2"])
case(
    "budget unknown line",
    cell(B, 2, "line", "champagne"),
    ["budget.csv", "rad 2", "champagne"],
)
case("budget duplicate key", duplicate_row(B, 2), ["budget.csv", "flera gånger"])
case(
    "budget column misspelled",
    heading(B, "amount_sek", "amount"),
    ["budget.csv", "'amount_sek'", "saknas"],
)

# survey (optional)
case(
    "survey municipality not a member",
    cell(S, 2, "municipality_code", "0180"),
    ["survey.csv", "rad 2", "'municipality_code'", "0180"],
)
case("survey score 6", cell(S, 2, "relevance", "6"), ["survey.csv", "rad 2", "'relevance'"])
case("survey unknown role", cell(S, 2, "role", "astronaut"), ["survey.csv", "rad 2", "astronaut"])
case(
    "survey zero respondents with scores",
    cell(S, 2, "respondents", "-1"),
    ["survey.csv", "rad 2", "'respondents'"],
)

# goals and targets (required)
case("goals header only", header_only(G), ["goals.csv", "inga rader ännu"])
case("goals wrong goal type", cell(G, 2, "goal_type", "uppdrag"), ["goals.csv", "rad 2"])
case("goals unknown direction", cell(G, 2, "direction", "upp"), ["goals.csv", "rad 2"])
case("targets header only", header_only(T), ["targets.csv", "inga rader ännu"])
case("targets missing", delete(T), ["targets.csv", "filen saknas"])
case("targets year outside", cell(T, 2, "year", "2031"), ["targets.csv", "rad 2", "'year'"])
case("targets text target", cell(T, 2, "target", "många"), ["targets.csv", "rad 2", "'target'"])
case(
    "targets indicator without goal",
    cell(T, 2, "indicator_id", "okand_indikator"),
    ["okand_indikator"],
)

# commentary (optional)
case("commentary bad period", cell(C, 2, "period", "2014H3"), ["commentary.csv", "rad 2"])
case(
    "commentary period outside",
    cell(C, 2, "period", "2030H1"),
    ["commentary.csv", "rad 2", "'period'"],
)
case(
    "commentary text of 1 MB",
    cell(C, 2, "text", "lång kommentar " * 70_000),
    [],
    code=0,
)

# participation (optional; one row per activity and home municipality)
PA = "data/participation.csv"
case(
    "participation column misspelled",
    heading(PA, "participants", "participant"),
    ["participation.csv", "menade du 'participants'?"],
)
case(
    "participation not a member",
    cell(PA, 2, "municipality_code", "0180"),
    ["participation.csv", "rad 2", "'municipality_code'", "0180"],
)
case(
    "participation negative participants",
    cell(PA, 2, "participants", "-3"),
    ["participation.csv", "rad 2", "'participants'"],
)
case(
    "participation participants as text",
    cell(PA, 2, "participants", "nitton"),
    ["participation.csv", "rad 2", "'participants'"],
)
case(
    "participation unknown activity",
    cell(PA, 2, "activity_id", "A2099-9999"),
    ["participation.csv", "A2099-9999"],
)
case(
    "participation mixed encodings",
    write(
        "data/participation.csv",
        "activity_id,municipality_code,participants\nA2016-0118-ö,2514,19\n".encode()
        + "A2016-0118-ö,2581,36\n".encode("cp1252"),
    ),
    ["participation.csv", "rad 3", "'activity_id'", "blandar teckenkodningar"],
)

# the goals' indicator rules (kind, scale, tolerance)
case("goals unknown indicator kind", cell(G, 2, "kind", "procent"), ["goals.csv", "rad 2"])
case(
    "goals tolerance as text",
    cell(G, 2, "tolerance", "lite"),
    ["goals.csv", "rad 2", "'tolerance'"],
)
case(
    "goals scale bounds as text",
    cell(G, 2, "scale_min", "ett"),
    ["goals.csv", "rad 2", "'scale_min'"],
)

# a foui init template left beside the file with the rows: read the file, name the template
case(
    "ledger template beside the ledger",
    template(L),
    ["ledger.csv läses", "ledger.xlsx läses inte"],
    code=0,
)

# dataset.toml
case(
    "dataset example not a boolean",
    replace("data/dataset.toml", "example = true", 'example = "ja"'),
    ["dataset.toml", "dataset.example", "true eller false"],
)
case(
    "dataset invalid TOML",
    write("data/dataset.toml", "[dataset\nexample = true\n"),
    ["dataset.toml", "ogiltig TOML"],
)
case(
    "dataset in Windows-1252",
    write("data/dataset.toml", "[dataset]\ndescription = 'Umeå'\n".encode("cp1252")),
    ["dataset.toml", "UTF-8"],
)
case("dataset a directory", directory("data/dataset.toml"), ["dataset.toml", "katalog"])

# reference data
case(
    "population code 2599 is no municipality",
    replace("ref/scb_population.csv", "2506,Arjeplog,2010", "2599,Arjeplog,2010"),
    ["scb_population.csv", "'municipality_code'", "2599", "ingen kommun"],
)
case(
    "population missing a basis year",
    keep_rows("ref/scb_population.csv", lambda h, r: not (r[0] == "2580" and r[2] == "2013")),
    ["varning: avgifterna för 2015 kan inte beräknas ännu", "Luleå (2580)", "31 december 2013"],
    code=0,
)
case(
    "fees of a year whose basis population is missing",
    keep_rows("ref/scb_population.csv", lambda h, r: not (r[0] == "2580" and r[2] == "2013")),
    ["scb_population.csv", "Luleå (2580)", "31 december 2013", "avgiftsåret 2015"],
    argv=("fees", "--year", "2015", "--agreement", "{agreement}", "--reference", "{ref}"),
)
case(
    "population negative",
    cell("ref/scb_population.csv", 2, "population", "-5"),
    ["scb_population.csv", "rad 2", "'population'"],
)
case(
    "population duplicate",
    duplicate_row("ref/scb_population.csv", 2),
    ["scb_population.csv", "flera gånger"],
)
case(
    "population column misspelled",
    heading("ref/scb_population.csv", "population", "folkmangd"),
    ["scb_population.csv", "'population'", "saknas"],
)
case("population missing", delete("ref/scb_population.csv"), ["scb_population.csv", "finns inte"])
case(
    "municipalities unknown group",
    cell("ref/municipalities.csv", 2, "skr_group_2017_code", "Z9"),
    ["municipalities.csv", "rad 2", "'skr_group_2017_code'"],
)
case(
    "municipalities missing",
    delete("ref/municipalities.csv"),
    ["municipalities.csv", "finns inte"],
)
case(
    "municipalities unknown settlement",
    cell("ref/municipalities.csv", 2, "settlement", "stad"),
    ["municipalities.csv", "rad 2", "'settlement'"],
)
case(
    "salaries missing a role",
    keep_rows("ref/salaries.csv", lambda h, r: r[0] != "kommunikator"),
    ["salaries.csv", "kommunikator"],
)
case(
    "salaries text",
    cell("ref/salaries.csv", 2, "monthly_salary_sek", "hög"),
    ["salaries.csv", "rad 2", "'monthly_salary_sek'"],
)
case(
    "wage growth missing a year",
    keep_rows("ref/wage_growth.csv", lambda h, r: r[0] != "2016"),
    ["wage_growth.csv", "2016"],
)
case(
    "wage growth text",
    cell("ref/wage_growth.csv", 2, "wage_growth_pct", "tre"),
    ["wage_growth.csv", "rad 2", "'wage_growth_pct'"],
)
case(
    "payroll overhead missing a year",
    keep_rows("ref/payroll_overhead.csv", lambda h, r: r[0] != "2017"),
    ["payroll_overhead.csv", "2017"],
)
case(
    "payroll overhead unknown status",
    cell("ref/payroll_overhead.csv", 2, "status", "kanske"),
    ["payroll_overhead.csv", "rad 2", "'status'"],
)
case(
    "price index missing a year",
    keep_rows("ref/price_index_pkv.csv", lambda h, r: r[0] != "2015"),
    ["price_index_pkv.csv", "2015"],
)
case(
    "price index column misspelled",
    heading("ref/price_index_pkv.csv", "pkv_pct", "kpv_pct"),
    ["price_index_pkv.csv", "'kpv_pct'", "menade du 'pkv_pct'?"],
)
case(
    "assumptions unknown quality",
    cell("ref/assumptions.csv", 2, "quality", "jättebra"),
    ["assumptions.csv", "rad 2", "'quality'"],
)
case(
    "reference folder missing",
    delete("ref"),
    ["finns inte"],
)
case(
    "reference population mixed encoding",
    replace_bytes("ref/scb_population.csv", b"Arjeplog", b"Arjepl\xf6g"),
    ["scb_population.csv", "rad 2", "'municipality'", "0xF6"],
)

# the agreement
AG = "agreement.toml"
case("agreement missing", delete(AG), ["agreement.toml", "finns inte"])
case("agreement a directory", directory(AG), ["agreement.toml", "katalog"])
case(
    "agreement in UTF-16",
    encode(AG, "utf-16"),
    [],
    code=0,
)
case("agreement with a BOM", encode(AG, "utf-8", b"\xef\xbb\xbf"), [], code=0)
case(
    "agreement in Windows-1252",
    encode(AG, "cp1252"),
    ["agreement.toml", "inte UTF-8", "Windows-1252"],
)
case("agreement invalid TOML", replace(AG, "[agreement]", "[agreement"), ["ogiltig TOML"])
case(
    "agreement years reversed",
    replace(AG, "last_year = 2018", "last_year = 2012"),
    ["agreement.toml", "last_year"],
)
case(
    "agreement year as text",
    replace(AG, "first_year = 2014", 'first_year = "2014"'),
    ["agreement.toml", "first_year", "heltal"],
)
case(
    "agreement negative rate",
    replace(AG, 'rate_sek_per_inhabitant = "4"', 'rate_sek_per_inhabitant = "-4"'),
    ["agreement.toml", "rate_sek_per_inhabitant"],
)
case(
    "agreement rate not a number",
    replace(AG, 'rate_sek_per_inhabitant = "4"', 'rate_sek_per_inhabitant = "fyra"'),
    ["agreement.toml", "rate_sek_per_inhabitant"],
)
case(
    "agreement unknown member",
    replace(AG, '"2505",', '"2599",'),
    ["agreement.toml", "'members.codes'", "2599", "kommunregistret"],
)
case(
    "agreement negative lag",
    replace(AG, "lag_years = 2", "lag_years = -1"),
    ["agreement.toml", "lag_years"],
)
case(
    "agreement lag beyond the population data",
    replace(AG, "lag_years = 2", "lag_years = 9"),
    ["scb_population.csv", "'year'", "ingen basfolkmängd", "basår 2005-2009"],
)
case(
    "agreement staff role without salary",
    replace(AG, 'role = "foui_chef"', 'role = "rektor"'),
    ["salaries.csv", "rektor"],
)
case(
    "agreement members missing",
    replace(AG, "[members]", "[medlemmar]"),
    ["agreement.toml", "members"],
)
case(
    "agreement unknown area",
    replace(AG, 'area = "skola"', 'area = "vard"'),
    ["agreement.toml", "vard"],
)

case(
    "dataset books closed through not a date",
    replace(
        "data/dataset.toml", "books_closed_through = 2018-12-31", 'books_closed_through = "juni"'
    ),
    ["dataset.toml", "books_closed_through", "ÅÅÅÅ-MM-DD"],
)
case(
    "agreement unknown settlement rule",
    replace(AG, 'settlement = "kommungrupp"', 'settlement = "landsbygd"'),
    ["agreement.toml", "settlement"],
)
case(
    "agreement density threshold as text",
    replace(AG, 'density_threshold_per_km2 = "5"', 'density_threshold_per_km2 = "fem"'),
    ["agreement.toml", "density_threshold_per_km2"],
)
case(
    "agreement fairness ratio as text",
    replace(AG, 'fairness_far_below_ratio = "0.5"', 'fairness_far_below_ratio = "halva"'),
    ["agreement.toml", "fairness_far_below_ratio"],
)
case(
    "agreement rate schedule with a bad year",
    replace(
        AG,
        'rate_sek_per_inhabitant = "4"',
        'rate_sek_per_inhabitant = "4"\nrate_schedule = { "tvåtusen" = "5" }',
    ),
    ["agreement.toml", "rate_schedule"],
)
case(
    "agreement population reference date impossible",
    replace(AG, "lag_years = 2", 'lag_years = 2\nreference_date = "13-40"'),
    ["agreement.toml", "population_basis.reference_date", "12-31"],
)
case(
    "agreement membership of a non-member",
    replace(AG, "[staff_cost]", '[[membership]]\ncode = "0180"\njoins = "2016-07"\n\n[staff_cost]'),
    ["agreement.toml", "membership[0].code", "0180"],
)
case(
    "agreement membership joins after it leaves",
    replace(
        AG,
        "[staff_cost]",
        '[[membership]]\ncode = "2505"\njoins = "2017-07"\nleaves = "2016-06"\n\n[staff_cost]',
    ),
    ["agreement.toml", "membership[0].joins", "efter leaves"],
)
case(
    "agreement membership month 13",
    replace(AG, "[staff_cost]", '[[membership]]\ncode = "2505"\njoins = "2016-13"\n\n[staff_cost]'),
    ["agreement.toml", "membership[0].joins", "år-månad"],
)

# fees and budget commands: years, paths, formats
case(
    "fees year after the agreement",
    None,
    ["agreement.toml", "2019", "utanför avtalsperioden 2014-2018"],
    argv=("fees", "--year", "2019", "--agreement", "{agreement}", "--reference", "{ref}"),
)
case(
    "fees year before the agreement",
    None,
    ["2013", "utanför avtalsperioden"],
    argv=("fees", "--year", "2013", "--agreement", "{agreement}", "--reference", "{ref}"),
)
case(
    "fees year not a year",
    None,
    ["fyra siffror"],
    code=2,
    argv=("fees", "--year", "15"),
)
case(
    "budget years outside",
    None,
    ["2020", "utanför avtalsperioden"],
    argv=("budget", "--from", "2014", "--to", "2020", "--agreement", "{agreement}"),
)
case(
    "budget years reversed",
    None,
    ["--from ligger efter --to"],
    code=2,
    argv=("budget", "--from", "2016", "--to", "2014"),
)
case(
    "fees population file missing",
    None,
    ["saknas.csv", "finns inte"],
    argv=("fees", "--year", "2015", "--population", "{root}/saknas.csv"),
)
case(
    "fees population file is a directory",
    None,
    ["katalog"],
    argv=("fees", "--year", "2015", "--population", "{root}"),
)
case(
    "fees population unknown format",
    write("pop.ods", b"PK\x03\x04"),
    ["pop.ods", "okänt filformat"],
    argv=("fees", "--year", "2015", "--population", "{root}/pop.ods"),
)
case(
    "fees population code not a municipality",
    write("pop.csv", "municipality_code;year;population\n2599;2013;1000\n"),
    ["pop.csv", "rad 2", "2599", "ingen kommun"],
    argv=("fees", "--year", "2015", "--population", "{root}/pop.csv"),
)
case(
    "fees out is a directory",
    None,
    ["{out}", "katalog"],
    argv=("fees", "--year", "2015", "--out", "{out}"),
)
case(
    "fees out inside a file",
    write("fil.txt", "x"),
    ["fil.txt", "fil, inte en katalog"],
    argv=("fees", "--year", "2015", "--out", "{root}/fil.txt/avgifter.csv"),
)
case(
    "fees xlsx out is a directory",
    None,
    ["katalog"],
    argv=("fees", "--year", "2015", "--format", "xlsx", "--out", "{out}"),
)
case(
    "budget out inside a file",
    write("fil.txt", "x"),
    ["fil.txt"],
    argv=("budget", "--from", "2014", "--to", "2015", "--out", "{root}/fil.txt/b.csv"),
)
case(
    "check data is a file",
    write("fil.txt", "x"),
    ["fil.txt", "finns inte"],
    argv=("check", "--data", "{root}/fil.txt"),
)
case(
    "check data missing",
    None,
    ["saknas", "finns inte"],
    argv=("check", "--data", "{root}/saknas"),
)

# reports: periods, years, paths (foui run); never reaches a kernel
RUN = ("--data", "{data}", "--reference", "{ref}", "--agreement", "{agreement}", "--out", "{out}")
case("run followup H3", None, ["2015H3"], code=2, argv=("run", "followup", "--period", "2015H3"))
case(
    "run followup before the agreement",
    None,
    ["2013H1", "utanför avtalsperioden"],
    argv=("run", "followup", "--period", "2013H1", *RUN),
)
case(
    "run followup a period the ledger does not reach",
    keep_rows(L, lambda h, r: r[0] < "2015"),
    ["ledger.csv", "2015"],
    argv=("run", "followup", "--period", "2015H1", *RUN),
)
case(
    "run evaluation reversed years",
    None,
    ["2016-2014"],
    code=2,
    argv=("run", "evaluation", "--years", "2016-2014"),
)
case(
    "run evaluation outside",
    None,
    ["utanför avtalsperioden"],
    argv=("run", "evaluation", "--years", "2016-2020", *RUN),
)
case(
    "run fees outside",
    None,
    ["avgiftsåret 2019", "utanför avtalsperioden"],
    argv=("run", "fees", "--year", "2019", *RUN),
)
case("run due bad date", None, ["ÅÅÅÅ-MM-DD"], code=2, argv=("run", "due", "--today", "15/7"))
case(
    "run followup with header-only activities",
    header_only(A),
    ["activities.csv", "inga rader ännu"],
    argv=("run", "followup", "--period", "2015H1", "--force", *RUN),
)
case(
    "run followup with a misspelled column",
    heading(A, "partner", "partners"),
    ["activities.csv", "menade du 'partner'?"],
    argv=("run", "followup", "--period", "2015H1", "--force", *RUN),
)
case(
    "run followup with two activities files",
    to_xlsx(A, keep_csv=True),
    ["flera filer"],
    argv=("run", "followup", "--period", "2015H1", "--force", *RUN),
)
case(
    "run with the data folder missing",
    delete("data"),
    ["finns inte"],
    argv=("run", "followup", "--period", "2015H1", *RUN),
)
case(
    "run out inside the data folder",
    None,
    ["överlappar"],
    code=2,
    argv=("run", "fees", "--year", "2015", *RUN[:-1], "{data}/rapporter"),
)
case(
    "run out holding the reference folder",
    None,
    ["överlappar"],
    code=2,
    argv=("run", "fees", "--year", "2015", *RUN[:-1], "{root}"),
)
case(
    "run out is a file",
    write("fil.txt", "x"),
    ["fil.txt", "fil, inte en katalog"],
    argv=("run", "fees", "--year", "2015", *RUN[:-1], "{root}/fil.txt"),
)
case(
    "run with a broken agreement",
    replace(AG, "[agreement]", "[agreement"),
    ["agreement.toml", "ogiltig TOML"],
    argv=("run", "fees", "--year", "2015", *RUN),
)
case(
    "run with an agreement in Windows-1252",
    encode(AG, "cp1252"),
    ["agreement.toml", "UTF-8"],
    argv=("run", "all", *RUN),
)
case(
    "run with a corrupt dataset.toml",
    write("data/dataset.toml", b"\xff\xfe[\x00"),
    ["dataset.toml"],
    argv=("run", "followup", "--period", "2015H1", "--force", *RUN),
)
case(
    "run with a corrupt published provenance",
    both(write(f"out/.versions/{PUBLISHED}/current/provenance.json", "{ trasig"), header_only(A)),
    ["activities.csv", "inga rader ännu"],
    argv=("run", "followup", "--period", "2015H1", *RUN),
)

# e-mail (foui send); SMTP on a closed port: nothing may be sent, nothing may connect
SMTP = {"FOUI_SMTP_HOST": "127.0.0.1", "FOUI_SMTP_PORT": "9", "FOUI_SMTP_STARTTLS": "0"}
for n, (address, fact) in enumerate(
    [
        ("inte en adress", "inte en adress"),
        ("styrelsen@example.se\r\nBcc: alla@example.se", "radbrytning"),
        ("styrelsen@example.se\nSubject: x", "radbrytning"),
        ("a@example.se, b@example.se", "komma"),
        ("styrelsen", "ingen giltig"),
        ("@example.se", "ingen giltig"),
        ("styrelsen@", "ingen giltig"),
        ("styr elsen@example.se", "ingen giltig"),
        ("styrelsen@@example.se", "ingen giltig"),
        ("styrelsen@example..se", "ingen giltig"),
    ]
):
    case(
        f"send to bad address {n}",
        None,
        [fact, "Ingenting skickades"],
        argv=("send", PUBLISHED, "--to", address, "--out", "{out}"),
        env=SMTP,
    )
for name in ["../secret/x", "/etc/passwd", "..", ".versions", f"{PUBLISHED}/../x", "a b"]:
    case(
        f"send a path {name!r}",
        write("secret/x.html", "hemligt"),
        ["rapportnamn"],
        argv=("send", name, "--to", "styrelsen@example.se", "--out", "{out}"),
        env=SMTP,
    )
case(
    "send an unpublished report",
    None,
    ["avgifter-2015", "inte publicerad"],
    argv=("send", "avgifter-2015", "--to", "a@example.se", "--out", "{out}"),
    env=SMTP,
)
case(
    "send with a bad sender",
    None,
    ["FOUI_SMTP_FROM", "ingen giltig"],
    argv=("send", PUBLISHED, "--to", "a@example.se", "--out", "{out}"),
    env={**SMTP, "FOUI_SMTP_FROM": "kansliet"},
)
case(
    "send with a header injection in the sender",
    None,
    ["FOUI_SMTP_FROM", "radbrytning"],
    argv=("send", PUBLISHED, "--to", "a@example.se", "--out", "{out}"),
    env={**SMTP, "FOUI_SMTP_FROM": "foui@example.se\r\nBcc: x@example.se"},
)
case(
    "send without SMTP host",
    None,
    ["FOUI_SMTP_HOST"],
    argv=("send", PUBLISHED, "--to", "a@example.se", "--out", "{out}"),
    env={"FOUI_SMTP_HOST": ""},
)
case(
    "send with a port that is no number",
    None,
    ["FOUI_SMTP_PORT"],
    argv=("send", PUBLISHED, "--to", "a@example.se", "--out", "{out}"),
    env={**SMTP, "FOUI_SMTP_PORT": "tjugofem"},
)
case(
    "send with nothing listening",
    None,
    ["127.0.0.1:9", "försök"],
    argv=("send", PUBLISHED, "--to", "a@example.se", "--out", "{out}"),
    env={**SMTP, "FOUI_SMTP_ATTEMPTS": "1"},
)
case(
    "send with a corrupt provenance",
    write(f"out/.versions/{PUBLISHED}/current/provenance.json", "{ trasig"),
    ["provenance.json", "--force"],
    argv=("send", PUBLISHED, "--to", "a@example.se", "--out", "{out}"),
    env=SMTP,
)


@pytest.mark.slow  # each case runs foui commands on a copy of the whole example data
@pytest.mark.parametrize("c", CASES, ids=[c.id for c in CASES])
def test_hostile_input(c: Case, world: World, capsys, monkeypatch):
    if c.change is not None:
        c.change(world)
    for name, value in c.env.items():
        monkeypatch.setenv(name, value)
    published = snapshot(world.out)
    try:
        code = main(world.fill(list(c.argv)))
    except SystemExit as exc:  # argparse: wrong usage
        code = exc.code
    err = capsys.readouterr().err
    assert code == c.code, err
    for fact in world.fill(list(c.facts)):
        assert fact in err, f"{fact!r} not in:\n{err}"
    assert "internt fel" not in err and "Traceback" not in err
    if code:
        last = err.strip().splitlines()[-1]
        assert last.startswith("foui: ") or ": error: " in last, err
    assert snapshot(world.out) == published, "something published changed"


def test_the_suite_is_large_and_distinct():
    assert len(CASES) >= 150
    assert len({c.id for c in CASES}) == len(CASES)
