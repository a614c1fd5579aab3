"""Declarations of the reference tables in ``data/reference/`` and of a population file.

The population file is the one input the finance officer may replace (``foui fees --population``):
it needs only ``municipality_code, year, population``; the register gives names. Status columns
(``status``: ``sourced`` or ``assumption``) let reports show which figures rest on a source.
"""

from __future__ import annotations

from foui_analysis.schemas import Col, Table

STATUS = ("sourced", "assumption")
CONFIDENCE = ("high", "medium", "low")

POPULATION = Table(
    name="population",
    sv="Folkmängd 31 december per kommun och år (SCB)",
    en="Population on 31 December per municipality and year (SCB)",
    columns={
        "municipality_code": Col(
            "code",
            "Kommunkod (SCB, fyra siffror; länet 25). Rader för riket (00), andra län "
            "och deras kommuner hoppas över, så ett uttag för hela landet går att använda",
            "SCB municipality code; county 25. Rows of the country (00), other counties and "
            "their municipalities are skipped, so a national extract can be used",
            pattern=r"^(25|25\d\d)$",
        ),
        "municipality": Col("text", "Kommunens namn", "Municipality name", required=False),
        "year": Col(
            "int",
            "År (folkmängd 31 december)",
            "Year (population on 31 December)",
            unit="år",
            ge=1950,
            le=2100,
        ),
        "date": Col(
            "date",
            "Datum folkmängden avser (t.ex. 31 december eller SCB:s 1 november)",
            "Date the population refers to (e.g. 31 December or SCB's 1 November)",
            required=False,
        ),
        "population": Col("int", "Folkmängd", "Population", unit="invånare", ge=0),
        "source": Col("text", "Källa", "Source", required=False),
    },
    key=("municipality_code", "year"),
    extra_columns=True,
    # The country (00), counties 01-24 and their municipalities: not Norrbotten (25).
    skip_rows=("municipality_code", r"00|(0[1-9]|1\d|2[0-4])(\d\d)?"),
)

MUNICIPALITIES = Table(
    name="municipalities",
    sv="Kommunregister med SKR:s kommungrupp 2017",
    en="Municipality register with SKR municipality group 2017",
    columns={
        "municipality_code": Col(
            "code", "Kommunkod (SCB)", "SCB municipality code", pattern=r"^25\d\d$"
        ),
        "municipality": Col("text", "Kommunens namn", "Municipality name"),
        "skr_group_2017_code": Col(
            "text",
            "SKR kommungrupp 2017, kod",
            "SKR group 2017 code",
            allowed=("A1", "A2", "B3", "B4", "B5", "C6", "C7", "C8", "C9"),
        ),
        "skr_group_2017_name": Col("text", "SKR kommungrupp 2017, namn", "SKR group 2017 name"),
        "settlement": Col(
            "text",
            "Glesbygd eller tätort (antagande A-GLES)",
            "Rural or urban (assumption A-GLES)",
            allowed=("glesbygd", "tatort"),
        ),
        "land_area_km2": Col("decimal", "Landareal", "Land area", unit="km²", ge=0),
        "source": Col("text", "Källa", "Source"),
    },
    key=("municipality_code",),
)


def _yearly(name: str, value: str, sv: str, en: str, unit: str) -> Table:
    return Table(
        name=name,
        sv=sv,
        en=en,
        columns={
            "year": Col("int", "År", "Year", unit="år", ge=1950, le=2100),
            value: Col("decimal", sv, en, unit=unit, ge=-50, le=100),
            "status": Col("text", "Källa eller antagande", "Sourced or assumption", allowed=STATUS),
            "confidence": Col("text", "Tillförlitlighet", "Confidence", allowed=CONFIDENCE),
            "source": Col("text", "Källa eller skäl", "Source or reason"),
        },
        key=("year",),
    )


PAYROLL_OVERHEAD = _yearly(
    "payroll_overhead",
    "po_pct",
    "PO-pålägg kommuner (SKL)",
    "Payroll overhead, municipalities",
    "%",
)
WAGE_GROWTH = _yearly(
    "wage_growth", "wage_growth_pct", "Löneökning kommuner", "Wage growth, municipalities", "%"
)
PRICE_INDEX = _yearly(
    "price_index_pkv",
    "pkv_pct",
    "Prisindex för kommunal verksamhet (PKV), förändring",
    "Price index for municipal activities, change",
    "%",
)

SALARIES = Table(
    name="salaries",
    sv="Månadslön per roll i basåret",
    en="Monthly salary per role in the base year",
    columns={
        "role": Col("text", "Roll", "Role"),
        "year": Col("int", "År", "Year", unit="år", ge=1950, le=2100),
        "monthly_salary_sek": Col(
            "money", "Månadslön (heltid)", "Monthly salary (full time)", unit="kr/månad", ge=0
        ),
        "status": Col("text", "Källa eller antagande", "Sourced or assumption", allowed=STATUS),
        "confidence": Col("text", "Tillförlitlighet", "Confidence", allowed=CONFIDENCE),
        "source": Col("text", "Källa eller skäl", "Source or reason"),
    },
    key=("role", "year"),
)

ASSUMPTIONS = Table(
    name="assumptions",
    sv="Antagandelogg: värden utan källa",
    en="Assumptions register: values without a source",
    columns={
        "assumption_id": Col("text", "Antagandets id", "Assumption id", pattern=r"^A-[A-Z0-9-]+$"),
        "what": Col("text", "Vad", "What"),
        "value": Col("text", "Värde", "Value"),
        "why": Col("text", "Varför", "Why"),
        "governs": Col("text", "Styr parameter", "Parameter it governs"),
        "quality": Col("text", "Kvalitet", "Quality", allowed=("hög", "medel", "låg")),
        "impact": Col("text", "Påverkan", "Impact"),
    },
    key=("assumption_id",),
)

REFERENCE_TABLES = (
    POPULATION,
    MUNICIPALITIES,
    PAYROLL_OVERHEAD,
    WAGE_GROWTH,
    PRICE_INDEX,
    SALARIES,
    ASSUMPTIONS,
)
