"""The cooperation agreement, read from ``data/agreement.toml``.

Everything that a new agreement period would change (years, members, rates, funding sources, the
population basis rule, the staff plan, operating-cost lines, the equity policy and the year from
which FoUI övergripande is financed within the association's frame) is data. This module only reads
it into frozen dataclasses and checks it, naming the key of every problem.

Rates are exact decimals written as strings (``"4"``, ``"4.50"``), so no float enters the money
arithmetic. FTE are decimals too.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from foui_analysis.errors import InputError, ProblemLog

AREAS = ("socialtjanst", "skola", "overgripande")
SHARED = "gemensam"
AREA_NAMES = {
    "socialtjanst": "Socialtjänst",
    "skola": "Skola",
    "overgripande": "Övergripande",
    SHARED: "Gemensamt",
}
FUNDING_SOURCES = {
    "avgift": "Avgift per invånare (faktureras)",
    "eget_kapital": "Eget kapital",
    "forbundets_ram": "Förbundets ram",
    "medlemsavgift": "Del av medlemsavgiften",
}


@dataclass(frozen=True)
class Component:
    """A funding component of the agreement (seed slide 7)."""

    id: str
    name: str
    area: str
    rate_sek_per_inhabitant: Decimal | None
    invoiced: bool
    from_year: int
    to_year: int
    funding_source: str
    amount_sek: dict[int, int] = field(default_factory=dict)

    def active(self, year: int) -> bool:
        return self.from_year <= year <= self.to_year


@dataclass(frozen=True)
class StaffPost:
    role: str
    title: str
    fte: Decimal
    area: str


@dataclass(frozen=True)
class OperatingCost:
    line: str
    name: str
    area: str
    amount_sek: int


@dataclass(frozen=True)
class Agreement:
    name: str
    organisation: str
    first_year: int
    last_year: int
    base_year: int
    overgripande_within_frame_from: int
    equity_years: tuple[int, ...]
    opening_equity_sek: int
    lag_years: int
    members: tuple[str, ...]
    components: tuple[Component, ...]
    staff: tuple[StaffPost, ...]
    shared_cost_key: dict[str, int]
    operating_costs: tuple[OperatingCost, ...]
    months_per_year: int
    source: Path | None = None

    @property
    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)

    def component(self, component_id: str) -> Component:
        for component in self.components:
            if component.id == component_id:
                return component
        raise KeyError(component_id)

    def funding_source(self, component: Component, year: int) -> str:
        """The funding source of a component in a year (resolves the equity/frame rule)."""
        if component.funding_source != "eget_kapital_eller_ram":
            return component.funding_source
        if year in self.equity_years:
            return "eget_kapital"
        if year >= self.overgripande_within_frame_from:
            return "forbundets_ram"
        # Between the equity years and the frame year the seed's goal is not yet met:
        # the cost still falls on equity.
        return "eget_kapital"

    def with_members(self, members: tuple[str, ...]) -> Agreement:
        """The same agreement with other members (a scenario)."""
        return replace(self, members=tuple(members))

    def with_rate(self, component_id: str, rate: Decimal) -> Agreement:
        """The same agreement with another rate per inhabitant for one component (a scenario)."""
        if not isinstance(rate, Decimal) or rate < 0:
            raise ValueError("rate must be a non-negative Decimal")
        self.component(component_id)
        components = tuple(
            replace(c, rate_sek_per_inhabitant=rate) if c.id == component_id else c
            for c in self.components
        )
        return replace(self, components=components)


class _Reader:
    def __init__(self, path: Path, log: ProblemLog) -> None:
        self.path, self.log = path, log

    def get(self, table: dict, key: str, kind: type, where: str, default: Any = ...) -> Any:
        if key not in table:
            if default is ...:
                self.log.add(self.path, "värde saknas", column=f"{where}{key}")
                return None
            return default
        value = table[key]
        if kind is Decimal:
            try:
                number = Decimal(str(value))
            except InvalidOperation:
                self.log.add(self.path, f"väntade ett tal, fick {value!r}", column=f"{where}{key}")
                return None
            if isinstance(value, float):
                self.log.add(
                    self.path,
                    f"skriv talet som en sträng för exakt aritmetik, t.ex. \"{value}\"",
                    column=f"{where}{key}",
                )
            return number
        if (kind is int and isinstance(value, bool)) or not isinstance(value, kind):
            self.log.add(
                self.path,
                f"väntade {_KIND_WORDS.get(kind, kind.__name__)}, fick {value!r}",
                column=f"{where}{key}",
            )
            return None
        return value


_KIND_WORDS = {int: "ett heltal", str: "en text", bool: "true eller false", list: "en lista",
               dict: "en tabell"}


def load_agreement(path: str | Path) -> Agreement:
    """Read and check the agreement; raise InputError naming every bad key."""
    path = Path(path)
    if not path.exists():
        raise InputError.single(path, "avtalsfilen finns inte")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError.single(path, f"ogiltig TOML: {exc}") from None
    log = ProblemLog()
    r = _Reader(path, log)
    head = data.get("agreement", {})
    members = data.get("members", {}).get("codes", [])
    components = []
    for i, c in enumerate(data.get("components", [])):
        where = f"components[{i}]."
        rate = r.get(c, "rate_sek_per_inhabitant", Decimal, where, None)
        amounts = {}
        for year, amount in c.get("amount_sek", {}).items():
            if not str(year).isdigit() or not isinstance(amount, int) or amount < 0:
                log.add(path, f"väntade år = heltal i kronor, fick {year} = {amount!r}",
                        column=f"{where}amount_sek")
            else:
                amounts[int(year)] = amount
        area = r.get(c, "area", str, where)
        if area is not None and area not in AREAS:
            log.add(path, f"väntade ett av {', '.join(AREAS)}, fick {area!r}",
                    column=f"{where}area")
        source = r.get(c, "funding_source", str, where)
        if source is not None and source not in (*FUNDING_SOURCES, "eget_kapital_eller_ram"):
            log.add(path, f"okänd finansieringskälla {source!r}", column=f"{where}funding_source")
        components.append(
            Component(
                id=r.get(c, "id", str, where),
                name=r.get(c, "name", str, where),
                area=area,
                rate_sek_per_inhabitant=rate,
                invoiced=r.get(c, "invoiced", bool, where),
                from_year=r.get(c, "from_year", int, where),
                to_year=r.get(c, "to_year", int, where),
                funding_source=source,
                amount_sek=amounts,
            )
        )
    staff = []
    for i, s in enumerate(data.get("staff", [])):
        where = f"staff[{i}]."
        area = r.get(s, "area", str, where)
        if area is not None and area not in (*AREAS, SHARED):
            log.add(path, f"väntade ett av {', '.join((*AREAS, SHARED))}, fick {area!r}",
                    column=f"{where}area")
        staff.append(StaffPost(r.get(s, "role", str, where), r.get(s, "title", str, where),
                               r.get(s, "fte", Decimal, where), area))
    operating = []
    for i, o in enumerate(data.get("operating_costs", [])):
        where = f"operating_costs[{i}]."
        area = r.get(o, "area", str, where)
        if area is not None and area not in (*AREAS, SHARED):
            log.add(path, f"väntade ett av {', '.join((*AREAS, SHARED))}, fick {area!r}",
                    column=f"{where}area")
        amount = r.get(o, "amount_sek", int, where)
        if isinstance(amount, int) and amount < 0:
            log.add(path, "beloppet får inte vara negativt", column=f"{where}amount_sek")
        operating.append(OperatingCost(r.get(o, "line", str, where), r.get(o, "name", str, where),
                                       area, amount))
    key = data.get("shared_cost_key", {})
    if set(key) != set(AREAS) or not all(isinstance(v, int) and v >= 0 for v in key.values()) \
            or sum(key.values()) == 0:
        log.add(path, f"väntade en icke-negativ heltalsvikt för var och en av {', '.join(AREAS)}",
                column="shared_cost_key")
    if not members or not all(isinstance(m, str) and m.isdigit() for m in members):
        log.add(path, "väntade en lista med kommunkoder som text, t.ex. \"2580\"",
                column="members.codes")
    elif len(set(members)) != len(members):
        log.add(path, "samma kommunkod förekommer flera gånger", column="members.codes")
    agreement = Agreement(
        name=r.get(head, "name", str, "agreement."),
        organisation=r.get(head, "organisation", str, "agreement."),
        first_year=r.get(head, "first_year", int, "agreement."),
        last_year=r.get(head, "last_year", int, "agreement."),
        base_year=r.get(head, "base_year", int, "agreement."),
        overgripande_within_frame_from=r.get(head, "overgripande_within_frame_from", int,
                                             "agreement."),
        equity_years=tuple(r.get(head, "equity_years", list, "agreement.") or ()),
        opening_equity_sek=r.get(head, "opening_equity_sek", int, "agreement."),
        lag_years=r.get(data.get("population_basis", {}), "lag_years", int, "population_basis."),
        members=tuple(members),
        components=tuple(components),
        staff=tuple(staff),
        shared_cost_key=dict(key),
        operating_costs=tuple(operating),
        months_per_year=r.get(data.get("staff_cost", {}), "months_per_year", int, "staff_cost."),
        source=path,
    )
    if not log.problems and agreement.first_year > agreement.last_year:
        log.add(path, "first_year ligger efter last_year", column="agreement.first_year")
    log.raise_if_any()
    return agreement
