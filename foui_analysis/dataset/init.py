"""``foui init DIR``: a new data set for real use, and what it still lacks (``foui check``).

Method
------
:func:`init_dataset` creates ``DIR`` (which must not exist or be empty) with

* ``dataset.toml``: the unit's name, the agreement it belongs to, up to which date the books are
  closed (``books_closed_through``, at first the day before the agreement starts: no period is
  closed yet), and ``example = false``;
* one Excel template per input (:mod:`foui_analysis.dataset.templates`), among them the goal
  framework of the proposal ("Forskning och utveckling/innovation i Norrbottens kommuner", 2013):
  ``goals.xlsx`` holds its purposes P1-P4, tasks U1-U6 and the motto's three words with the
  indicators that measure them, and ``targets.xlsx`` one row per indicator and year of the
  agreement with the target left empty, to be decided;
* ``sie/mappning.toml``, the skeleton of the mapping ``foui import sie`` needs, and
  ``enkat/kolumner.toml``, the column names ``foui import survey`` expects;
* ``README.md``: the monthly and half-yearly routine and the handling of personal data, in Swedish.

:func:`missing` lists what a data set still lacks beyond what the schemas check (a required input
with no rows yet and an input present in two files are refused by the schemas for every
command, except an untouched template beside the file with the rows, which is named as
unread): books that are not closed for any period. ``foui check`` reports these with every
other problem.

Known limits: the unit's name and the agreement are taken from the agreement file; a data set for
another agreement is made with ``--agreement``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from foui_analysis.dataset import books_closed_through
from foui_analysis.dataset.templates import Template, write_template
from foui_analysis.errors import InputError, Problem
from foui_analysis.schemas.inputs import INPUT_TABLES, ONE_ROW, REQUIRED_INPUTS


def templates() -> dict[str, Template]:
    return {
        name: Template(table, ONE_ROW.get(name, "en rad per post"), name in REQUIRED_INPUTS)
        for name, table in INPUT_TABLES.items()
    }


def goal_rows() -> list[dict]:
    """The proposal's goal framework: goals with the indicators that measure them."""
    from foui_analysis.example_data.generator import goal_rows as framework

    return [{k: (None if v == "" else v) for k, v in row.items()} for row in framework()]


def target_rows(years: range) -> list[dict]:
    from foui_analysis.example_data.generator import INDICATORS

    return [{"indicator_id": i, "year": y} for i in INDICATORS for y in years]


DATASET = """\
# Datamängden med FoUI-enhetens egna uppgifter (skapad med foui init).
[dataset]
example = false
# Enhetens namn och samverkansavtalet som datamängden hör till.
name = "{name}"
agreement = "{agreement}"
# Till och med vilket datum bokföringen är stängd (bokslutad). Uppföljningar görs bara för
# perioder som slutar senast detta datum. Ändra efter varje månads- eller halvårsbokslut.
books_closed_through = {closed}
description = "{name}: egna uppgifter för uppföljning och utvärdering {first}-{last}"
"""

SIE_MAPPING = """\
# Mappning av ekonomisystemets konton till utfallet (ledger.csv), för
#   foui import sie EXPORT.se --mapping sie/mappning.toml --out .
# Varje [[account]] säger vilken budgetrad (line) ett konto eller kontointervall blir.
# Verksamhetsområdet (area) kommer ur kostnadsstället: [[object]] säger vilket område ett objekt
# i en dimension (#DIM i SIE-filen, t.ex. 1 = kostnadsställe) hör till. Intäkter hör till sitt
# eget område. Allt som inte hör till utfallet listas under [[ignore]] med ett skäl.
# Konton som inte mappas och inte utelämnas stoppar importen med en lista över raderna.
#
# Budgetrader (line): personal, lokaler, administration, kompetensutveckling, resor, foui_projekt
# Intäkter (line):    skola, socialtjanst, overgripande
# Områden (area):     socialtjanst, skola, overgripande
#
# Exempel (ta bort # och ändra efter er kontoplan):
# [[account]]
# accounts = "3010-3019"
# line = "skola"
#
# [[account]]
# accounts = ["5800-5899", "7300-7399"]
# line = "resor"
#
# [[object]]
# dimension = "1"
# object = "20"
# area = "skola"

[[ignore]]
accounts = "1000-2999"
reason = "Balansräkningens konton (bank, fordringar, skulder) är motkonton, inget utfall"
"""

SURVEY_MAPPING = """\
# Kolumnerna i enkätverktygets export, för
#   foui import survey SVAR.xlsx --mapping enkat/kolumner.toml --out .
# Till vänster det namn importen använder, till höger rubriken i er export.
# Fritextsvar och personuppgifter (namn, e-post, personnummer) läses aldrig in.
[columns]
year = "År"
municipality = "Kommun"
role = "Roll"
relevance = "Relevans"
quality = "Kvalitet"
usefulness = "Nytta"

# Roller i exporten och vad de blir (politiker, chef eller medarbetare).
[roles]
"Förtroendevald" = "politiker"
"Politiker" = "politiker"
"Chef" = "chef"
"Medarbetare" = "medarbetare"
"""

README = """\
# {name}: egna uppgifter

Den här katalogen är datamängden som rapporterna om {name} görs av. Den skapades med
`foui init` och är **inte** exempeldata: rapporterna som görs av den är skarpa.

Kontrollera alltid efter en ändring:

```
foui check --data {directory}
```

Kommandot skriver vad som saknas eller är fel, med fil, rad och kolumn, och ändrar ingenting.
En ny katalog saknar förstås det mesta: aktiviteter, utfall och målvärden.

## Filerna

| fil | vad | när |
|---|---|---|
| `dataset.toml` | enhetens namn, avtalet, till vilket datum bokföringen är stängd | vid bokslut |
| `activities.xlsx` | en rad per aktivitet (obligatorisk) | löpande, minst varje månad |
| `participation.xlsx` | deltagare per aktivitet och hemkommun (frivillig) | med aktiviteterna |
| `projects.xlsx` | FoU-projekt med lärosäten | när ett projekt startar eller slutar |
| `ledger.xlsx` / `ledger.csv` | utfallet (obligatoriskt), helst ur ekonomisystemet | varje månad |
| `budget.xlsx` | antagen budget med beslut (annars: kalkylen enligt avtalet) | när den antas |
| `budget_profiles.xlsx` | budgetradernas fördelning över månaderna (frivillig) | med budgeten |
| `survey.xlsx` / `survey.csv` | medlemsenkäten per kommun och roll | en gång om året |
| `goals.xlsx` | målramverket ur förslaget, förifyllt | sällan |
| `targets.xlsx` | målvärden per indikator och år (obligatoriska) | när målen beslutas |
| `commentary.xlsx` | FoUI-chefens kommentarer per period | före varje uppföljning |
| `sie/mappning.toml` | vilka konton och kostnadsställen som blir vilka rader i utfallet | en gång |
| `enkat/kolumner.toml` | kolumnerna i enkätverktygets export | en gång |

Varje Excel-mall har ett blad **Instruktioner** med varje kolumns regel, och rullgardinslistor
för område, typ, uppdrag och kommun. Rubrikraden ska stå kvar; kolumnens namn inom parentes är det
som felmeddelandena anger. Finns både en `.csv` och en `.xlsx` för samma indata läses `.csv`.

## Varje månad

1. Registrera månadens aktiviteter i `activities.xlsx` (och deltagarnas hemkommuner i
   `participation.xlsx`).
2. Ta efter månadsbokslutet ut en SIE 4-fil för räkenskapsåret ur ekonomisystemet (typ 4, med
   verifikationer) och importera den:

   ```
   foui import sie bokforing-{first}.se --mapping sie/mappning.toml --out {directory}
   ```

   Importen skriver `ledger.csv` och bredvid den `ledger_reconciliation.csv`, avstämningen per
   konto mot filens egna summor. Om ett konto inte finns i mappningen, om en verifikation inte
   balanserar, eller om räkenskapsåret i filen (`#RAR`) inte täcker verifikationerna, skrivs
   ingenting: rätta mappningen eller exporten och kör igen. Flera år importeras tillsammans
   (`foui import sie bokforing-{first}.se bokforing-{second}.se ...`).
3. Ändra `books_closed_through` i `dataset.toml` till bokslutsdagen.
4. Kör `foui check --data {directory}`.

## Varje halvår

1. När halvåret är bokslutat (30 juni, 31 december) och `books_closed_through` är ändrat:
   skriv FoUI-chefens kommentarer i `commentary.xlsx`.
2. Importera årets medlemsenkät när den är klar (se nedan).
3. Gör uppföljningen och granska den innan den skickas till utskottet och styrelsen:

   ```
   foui run followup --period {first}H1 --data {directory} --out rapporter
   ```

## Medlemsenkäten

Exportera svaren ur enkätverktyget (en rad per svarande) och importera dem:

```
foui import survey svar.xlsx --mapping enkat/kolumner.toml --out {directory}
```

Importen räknar medelbetyg och antal svarande per kommun och roll och skriver `survey.csv`.
Kommunen får anges med namn eller kod.

## Personuppgifter (GDPR)

Datamängden ska inte innehålla personuppgifter, och rapporterna gör det aldrig.

* Aktiviteter anger antal deltagare och kommuner, aldrig namn.
* `foui import survey` läser bara år, kommun, roll och de tre betygen. Kolumner med namn,
  e-postadresser eller personnummer, och fritextsvar, läses inte in; importen talar om vilka
  kolumner den lämnade därhän. Enkätsvaren i sin helhet sparas inte här, bara medelvärden per
  kommun och roll.
* `foui import sie` tar bort personnummer och e-postadresser ur verifikationstexterna och
  talar om hur många den tog bort. Namn i verifikationstexter (t.ex. löneverifikationer per
  person) kan inte kännas igen: välj en export utan dem, eller töm texten i ekonomisystemet.
* Spara inte exportfiler med personuppgifter (enkätsvar, SIE-filer med namn) i den här
  katalogen; radera dem när importen är gjord, enligt förbundets rutin för gallring.
"""


def init_dataset(directory: str | Path, agreement, reference) -> list[Path]:
    """Create a new data set in ``directory``; return the files written."""
    directory = Path(directory)
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise InputError.single(
            directory, "katalogen finns redan och är inte tom; välj en ny katalog för datamängden"
        )
    first, last = agreement.first_year, agreement.last_year
    period = (dt.date(first, 1, 1), dt.date(last, 12, 31))
    names = reference.municipality_names()
    members = [(code, names.get(code, code)) for code in agreement.members]
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    name = agreement.name
    texts = {
        "dataset.toml": DATASET.format(
            name=name,
            agreement=f"{name} {first}-{last}",
            closed=(period[0] - dt.timedelta(days=1)).isoformat(),
            first=first,
            last=last,
        ),
        "sie/mappning.toml": SIE_MAPPING,
        "enkat/kolumner.toml": SURVEY_MAPPING,
        "README.md": README.format(
            name=name, directory=directory.as_posix(), first=first, second=first + 1
        ),
    }
    for relative, text in texts.items():
        path = directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    rows = {"goals": goal_rows(), "targets": target_rows(range(first, last + 1))}
    for input_name, template in templates().items():
        path = directory / f"{input_name}.xlsx"
        written.append(write_template(path, template, members, period, rows.get(input_name, ())))
    return written


def missing(data_dir: Path, agreement=None) -> tuple[list[Problem], list[str]]:
    """What the data set still lacks (problems) and what may surprise (warnings).

    Required inputs without rows and one input in two files are refused by the schemas
    (:func:`foui_analysis.schemas.parse_table`, :func:`foui_analysis.schemas.inputs.find_input`)
    for every command; this adds what only a data set in the making lacks (closed books) and
    names a template left unread beside the file that is read.
    """
    from foui_analysis.schemas.inputs import SUFFIXES, find_input

    problems: list[Problem] = []
    warnings: list[str] = []
    for name in INPUT_TABLES:
        present = [data_dir / f"{name}{s}" for s in SUFFIXES if (data_dir / f"{name}{s}").exists()]
        if len(present) < 2:
            continue
        try:
            read = find_input(data_dir, name)
        except InputError:
            continue  # two files with rows: refused by the schema check
        unread = ", ".join(str(p) for p in present if p != read)
        warnings.append(f"{read} läses; {unread} läses inte (en tom mall utan rader)")
    try:
        closed = books_closed_through(data_dir)
    except InputError as exc:
        if agreement is None:  # with an agreement, load_inputs has reported dataset.toml
            problems.extend(exc.problems)
        closed = None
    if closed is not None and agreement is not None:
        first_half = dt.date(agreement.first_year, 6, 30)
        if closed < first_half:
            problems.append(
                Problem(
                    str(data_dir / "dataset.toml"),
                    None,
                    "books_closed_through",
                    f"bokföringen är inte stängd för någon period ännu ({closed}); ange "
                    f"bokslutsdagen, t.ex. {first_half}, när första halvåret är bokslutat",
                )
            )
    return problems, warnings
