"""The cooperation agreement, read from ``data/agreement.toml``.

Everything that a new agreement period would change (years, members, rates, funding sources, the
population basis rule, the staff plan, operating-cost lines, the equity policy and the year from
which FoUI övergripande is financed within the association's frame) is data. This module only reads
it into frozen dataclasses and checks it, naming the key of every problem.

Rates are exact decimals written as strings (``"4"``, ``"4.50"``), so no float enters the money
arithmetic. FTE are decimals too. Rates and FTE must be finite and not negative; member codes are
SCB's four-digit codes written as text; a component's ``from_year`` may not lie after its
``to_year``; ``lag_years`` is 0 or more. A section of the wrong TOML type (``agreement = 5``) is a
problem naming its key, never a crash.
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


SETTLEMENT_METHODS = {
    "kommungrupp": "SKR:s kommungrupper 2017 (landsbygdskommuner C8 och C9 = glesbygd)",
    "tathet": "befolkningstäthet (under tröskeln invånare per km² landareal = glesbygd)",
}
"""How members are classified glesbygd/tätort, and how a report names the classification."""


@dataclass(frozen=True)
class EvaluationPolicy:
    """Choices of the evaluation's method that are data, not code (``[evaluation]``).

    ``settlement``: ``kommungrupp`` takes glesbygd/tätort from ``reference/municipalities.csv``
    (assumption A-GLES); ``tathet`` classifies by inhabitants per km² of land area, glesbygd
    below ``density_threshold_per_km2`` (assumption A-TATHET). ``fairness_far_below_ratio``:
    a member whose participation share / fee share is below it is named (assumption A-KVOT).
    """

    settlement: str = "kommungrupp"
    density_threshold_per_km2: Decimal = Decimal("5")
    fairness_far_below_ratio: Decimal = Decimal("0.5")


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
    evaluation: EvaluationPolicy = field(default_factory=EvaluationPolicy)

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

    def area(self, table: dict, where: str, allowed: tuple[str, ...]) -> Any:
        """The ``area`` of a table, checked against ``allowed`` (``None`` when missing: like
        :meth:`get`, the problem is logged and :func:`load_agreement` raises before the half-read
        objects are used)."""
        area = self.get(table, "area", str, where)
        if area is not None and area not in allowed:
            self.log.add(
                self.path,
                f"väntade ett av {', '.join(allowed)}, fick {area!r}",
                column=f"{where}area",
            )
        return area

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
                number = None
            if isinstance(value, bool) or number is None or not number.is_finite():
                self.log.add(self.path, f"väntade ett tal, fick {value!r}", column=f"{where}{key}")
                return None
            if number < 0:
                self.log.add(
                    self.path,
                    f"talet får inte vara negativt, fick {value!r}",
                    column=f"{where}{key}",
                )
                return None
            if isinstance(value, float):
                self.log.add(
                    self.path,
                    f'skriv talet som en sträng för exakt aritmetik, t.ex. "{value}"',
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

    def table(self, data: dict, key: str) -> dict:
        """A TOML table (``[key]``), or an empty one with a problem when it is something else."""
        value = data.get(key, {})
        if not isinstance(value, dict):
            self.log.add(self.path, f"väntade en tabell [{key}], fick {value!r}", column=key)
            return {}
        return value

    def tables(self, data: dict, key: str) -> list[tuple[int, dict]]:
        """The entries of an array of tables (``[[key]]``), each a table, with their index."""
        value = data.get(key, [])
        if not isinstance(value, list):
            self.log.add(
                self.path, f"väntade en lista av tabeller [[{key}]], fick {value!r}", column=key
            )
            return []
        out = []
        for i, entry in enumerate(value):
            if isinstance(entry, dict):
                out.append((i, entry))
            else:
                self.log.add(self.path, f"väntade en tabell, fick {entry!r}", column=f"{key}[{i}]")
        return out


_KIND_WORDS = {
    int: "ett heltal",
    str: "en text",
    bool: "true eller false",
    list: "en lista",
    dict: "en tabell",
}


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
    head = r.table(data, "agreement")
    members = r.table(data, "members").get("codes", [])
    components = []
    for i, c in r.tables(data, "components"):
        where = f"components[{i}]."
        rate = r.get(c, "rate_sek_per_inhabitant", Decimal, where, None)
        amounts = {}
        given = r.get(c, "amount_sek", dict, where, {}) or {}
        for year, amount in given.items():
            if (
                not (str(year).isascii() and str(year).isdigit())
                or isinstance(amount, bool)
                or not isinstance(amount, int)
                or amount < 0
            ):
                log.add(
                    path,
                    f"väntade år = heltal i kronor, fick {year} = {amount!r}",
                    column=f"{where}amount_sek",
                )
            else:
                amounts[int(year)] = amount
        area = r.area(c, where, AREAS)
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
    for i, s in r.tables(data, "staff"):
        where = f"staff[{i}]."
        area = r.area(s, where, (*AREAS, SHARED))
        staff.append(
            StaffPost(
                r.get(s, "role", str, where),
                r.get(s, "title", str, where),
                r.get(s, "fte", Decimal, where),
                area,
            )
        )
    operating = []
    for i, o in r.tables(data, "operating_costs"):
        where = f"operating_costs[{i}]."
        area = r.area(o, where, (*AREAS, SHARED))
        amount = r.get(o, "amount_sek", int, where)
        if isinstance(amount, int) and amount < 0:
            log.add(path, "beloppet får inte vara negativt", column=f"{where}amount_sek")
        operating.append(
            OperatingCost(r.get(o, "line", str, where), r.get(o, "name", str, where), area, amount)
        )
    key = r.table(data, "shared_cost_key")
    if (
        set(key) != set(AREAS)
        or not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in key.values())
        or sum(key.values()) == 0
    ):
        log.add(
            path,
            f"väntade en icke-negativ heltalsvikt för var och en av {', '.join(AREAS)}",
            column="shared_cost_key",
        )
    if (
        not isinstance(members, list)
        or not members
        or not all(
            isinstance(m, str) and len(m) == 4 and m.isascii() and m.isdigit() for m in members
        )
    ):
        log.add(
            path,
            'väntade en lista med kommunkoder (fyra siffror) som text, t.ex. "2580", '
            f"fick {members!r}",
            column="members.codes",
        )
        members = []
    elif len(set(members)) != len(members):
        log.add(path, "samma kommunkod förekommer flera gånger", column="members.codes")
    policy = r.table(data, "evaluation")
    defaults = EvaluationPolicy()
    settlement = r.get(policy, "settlement", str, "evaluation.", defaults.settlement)
    if settlement is not None and settlement not in SETTLEMENT_METHODS:
        log.add(
            path,
            f"väntade ett av {', '.join(SETTLEMENT_METHODS)}, fick {settlement!r}",
            column="evaluation.settlement",
        )
    threshold = r.get(
        policy,
        "density_threshold_per_km2",
        Decimal,
        "evaluation.",
        defaults.density_threshold_per_km2,
    )
    far_below = r.get(
        policy,
        "fairness_far_below_ratio",
        Decimal,
        "evaluation.",
        defaults.fairness_far_below_ratio,
    )
    agreement = Agreement(
        name=r.get(head, "name", str, "agreement."),
        organisation=r.get(head, "organisation", str, "agreement."),
        first_year=r.get(head, "first_year", int, "agreement."),
        last_year=r.get(head, "last_year", int, "agreement."),
        base_year=r.get(head, "base_year", int, "agreement."),
        overgripande_within_frame_from=r.get(
            head, "overgripande_within_frame_from", int, "agreement."
        ),
        equity_years=tuple(r.get(head, "equity_years", list, "agreement.") or ()),
        opening_equity_sek=r.get(head, "opening_equity_sek", int, "agreement."),
        lag_years=r.get(r.table(data, "population_basis"), "lag_years", int, "population_basis."),
        members=tuple(members),
        components=tuple(components),
        staff=tuple(staff),
        shared_cost_key=dict(key),
        operating_costs=tuple(operating),
        months_per_year=r.get(r.table(data, "staff_cost"), "months_per_year", int, "staff_cost."),
        source=path,
        evaluation=EvaluationPolicy(
            settlement or defaults.settlement,
            threshold if threshold is not None else defaults.density_threshold_per_km2,
            far_below if far_below is not None else defaults.fairness_far_below_ratio,
        ),
    )
    if not all(isinstance(y, int) and not isinstance(y, bool) for y in agreement.equity_years):
        log.add(
            path,
            f"väntade en lista med årtal som heltal, fick {list(agreement.equity_years)!r}",
            column="agreement.equity_years",
        )
    if isinstance(agreement.lag_years, int) and agreement.lag_years < 0:
        log.add(
            path,
            "underlagsåret kan inte ligga efter avgiftsåret; väntade 0 eller mer, "
            f"fick {agreement.lag_years}",
            column="population_basis.lag_years",
        )
    if isinstance(agreement.months_per_year, int) and agreement.months_per_year <= 0:
        log.add(
            path,
            f"väntade ett positivt antal månader, fick {agreement.months_per_year}",
            column="staff_cost.months_per_year",
        )
    ids = [c.id for c in components]
    for i, component in enumerate(components):
        where = f"components[{i}]."
        if component.id is not None and ids.count(component.id) > 1:
            log.add(
                path, f"komponenten {component.id!r} förekommer flera gånger", column=f"{where}id"
            )
        if (
            isinstance(component.from_year, int)
            and isinstance(component.to_year, int)
            and component.from_year > component.to_year
        ):
            log.add(
                path,
                f"from_year ({component.from_year}) ligger efter to_year ({component.to_year})",
                column=f"{where}from_year",
            )
    if not log.problems and agreement.first_year > agreement.last_year:
        log.add(path, "first_year ligger efter last_year", column="agreement.first_year")
    log.raise_if_any()
    return agreement
