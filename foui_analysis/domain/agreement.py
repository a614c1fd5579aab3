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

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from foui_analysis import arguments
from foui_analysis.errors import ProblemLog

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


class UnknownComponent(arguments.ArgumentError, KeyError):
    """A component id the agreement does not have (a KeyError too, for lookups)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


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
    rate_schedule: dict[int, Decimal] = field(default_factory=dict)
    """Rates per inhabitant from a year on (``{2017: Decimal("4.50")}``): the rate of a year is
    the schedule's entry of the latest year not after it, else ``rate_sek_per_inhabitant``."""

    def active(self, year: int) -> bool:
        return self.from_year <= year <= self.to_year

    def rate_for(self, year: int) -> Decimal | None:
        """The rate per inhabitant of ``year`` (None for a component without one)."""
        earlier = [y for y in self.rate_schedule if y <= year]
        if earlier:
            return self.rate_schedule[max(earlier)]
        return self.rate_sek_per_inhabitant


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
class FollowupPolicy:
    """The follow-up's rule for a deviation worth the board's attention (``[followup]``).

    A budget line's deviation is marked only when it exceeds **both** ``deviation_threshold_pct``
    of the line's budget and ``deviation_threshold_sek`` kronor (assumption A-AVVIK): a percentage
    alone marks a few thousand kronor on a small line, kronor alone any large line's rounding.
    """

    deviation_threshold_pct: Decimal = Decimal("10")
    deviation_threshold_sek: int = 10000


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
    followup: FollowupPolicy = field(default_factory=FollowupPolicy)
    equity_max_sek: dict[int, int] = field(default_factory=dict)
    """Optional cap per equity year on the decided use of equity (absent: as needed)."""
    opening_equity_assumption: str = ""
    """The assumption id the opening equity rests on (``A-EK``); empty when it is a booked
    figure from the association's annual accounts."""
    basis_fixed_year: int | None = None
    """A fixed population year for every fee year (instead of ``lag_years``)."""
    basis_reference_date: tuple[int, int] = (12, 31)
    """Month and day of the population series the fees use (SCB's 31 December by default;
    ``(11, 1)`` for SCB's 1 November figures supplied as a file)."""
    membership: dict[str, tuple[tuple[int, int] | None, tuple[int, int] | None]] = field(
        default_factory=dict
    )
    """Members who join or leave during the period: code -> (first month, last month) as
    ``(year, month)``; None for open. Their fees are pro rata by month."""

    def basis_year(self, fee_year: int) -> int:
        """The population year a fee year uses: the fixed year, or ``fee_year - lag_years``."""
        if self.basis_fixed_year is not None:
            return self.basis_fixed_year
        return fee_year - self.lag_years

    def member_months(self, code: str, year: int) -> int:
        """Months of ``year`` (0-12) that ``code`` is a member (12 for a member all along)."""
        if code not in self.members:
            return 0
        first, last = self.membership.get(code, (None, None))
        months = 0
        for month in range(1, 13):
            if first is not None and (year, month) < first:
                continue
            if last is not None and (year, month) > last:
                continue
            months += 1
        return months

    @property
    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)

    def component(self, component_id: str) -> Component:
        for component in self.components:
            if component.id == component_id:
                return component
        raise UnknownComponent(
            f"okänd komponent {component_id!r}; avtalet har "
            + ", ".join(repr(c.id) for c in self.components)
        )

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
        """The same agreement with other members (a scenario): SCB codes, e.g. ``("2580",)``;
        each a member all year."""
        if isinstance(members, str):
            members = (members,)
        codes = tuple(
            f"{m:04d}" if isinstance(m, int) and not isinstance(m, bool) else m for m in members
        )
        odd = [m for m in codes if not (isinstance(m, str) and len(m) == 4 and m.isdigit())]
        if odd:
            raise arguments.ArgumentError(
                f"medlemmar anges med SCB:s fyrsiffriga kommunkoder, t.ex. '2580'; fick {odd[0]!r}"
            )
        return replace(self, members=codes, membership={})

    def with_rate(self, component_id: str, rate: Decimal | int | str) -> Agreement:
        """The same agreement with another rate per inhabitant for one component (a scenario).

        ``rate`` in kronor: ``5``, ``"4,50"`` or ``Decimal("4.5")``; never negative.
        """
        rate = arguments.rate(rate)
        self.component(component_id)
        components = tuple(
            replace(c, rate_sek_per_inhabitant=rate, rate_schedule={})
            if c.id == component_id
            else c
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


def _year_amounts(r: _Reader, table: dict, key: str, where: str) -> dict[int, int]:
    """An optional ``{year = kronor}`` table of whole, non-negative kronor."""
    given = r.get(table, key, dict, where, {}) or {}
    amounts = {}
    for year, amount in given.items():
        if (
            not (str(year).isascii() and str(year).isdigit())
            or isinstance(amount, bool)
            or not isinstance(amount, int)
            or amount < 0
        ):
            r.log.add(
                r.path,
                f"väntade år = heltal i kronor, fick {year} = {amount!r}",
                column=f"{where}{key}",
            )
        else:
            amounts[int(year)] = amount
    return amounts


def _month_day(r: _Reader, basis: dict) -> tuple[int, int]:
    """``reference_date = "12-31"`` (month-day of the population series) as ``(12, 31)``."""
    text = r.get(basis, "reference_date", str, "population_basis.", "12-31")
    try:
        month, day = (int(part) for part in str(text).split("-"))
        dt.date(2000, month, day)
    except (TypeError, ValueError):
        r.log.add(
            r.path,
            f'väntade månad-dag, t.ex. "12-31" eller "11-01", fick {text!r}',
            column="population_basis.reference_date",
        )
        return (12, 31)
    return (month, day)


def _year_month(r: _Reader, value: object, column: str) -> tuple[int, int] | None:
    try:
        year, month = (int(part) for part in str(value).split("-"))
        dt.date(year, month, 1)
    except (TypeError, ValueError):
        r.log.add(r.path, f'väntade år-månad, t.ex. "2016-07", fick {value!r}', column=column)
        return None
    return (year, month)


def _followup_policy(r: _Reader, data: dict, path: Path, log: ProblemLog) -> FollowupPolicy:
    """``[followup]``: the deviation thresholds (defaults: :class:`FollowupPolicy`)."""
    policy = r.table(data, "followup")
    defaults = FollowupPolicy()
    pct = r.get(
        policy, "deviation_threshold_pct", Decimal, "followup.", defaults.deviation_threshold_pct
    )
    sek = r.get(
        policy, "deviation_threshold_sek", int, "followup.", defaults.deviation_threshold_sek
    )
    for key, value in (("deviation_threshold_pct", pct), ("deviation_threshold_sek", sek)):
        if value is not None and value < 0:
            log.add(path, f"väntade 0 eller mer, fick {value}", column=f"followup.{key}")
    return FollowupPolicy(
        pct if pct is not None else defaults.deviation_threshold_pct,
        sek if sek is not None else defaults.deviation_threshold_sek,
    )


def _membership(r: _Reader, data: dict, members: list) -> dict:
    """``[[membership]] code, joins = "2016-07", leaves = "2017-06"``: months of membership."""
    out = {}
    for i, entry in r.tables(data, "membership"):
        where = f"membership[{i}]."
        code = r.get(entry, "code", str, where)
        if code is not None and code not in members:
            r.log.add(
                r.path,
                f"kommunkoden {code!r} finns inte i members.codes",
                column=f"{where}code",
            )
            continue
        first = last = None
        if "joins" in entry:
            first = _year_month(r, entry["joins"], f"{where}joins")
        if "leaves" in entry:
            last = _year_month(r, entry["leaves"], f"{where}leaves")
        if first and last and first > last:
            r.log.add(r.path, "joins ligger efter leaves", column=f"{where}joins")
        if code is not None:
            out[code] = (first, last)
    return out


def load_agreement(path: str | Path) -> Agreement:
    """Read and check the agreement; raise InputError naming every bad key."""
    from foui_analysis.readers import read_toml

    path = Path(path)
    data = read_toml(path, "avtalsfilen")
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
        schedule = {}
        for year, value in (r.get(c, "rate_schedule", dict, where, {}) or {}).items():
            number = r.get({"v": value}, "v", Decimal, f"{where}rate_schedule.{year}")
            if not (str(year).isascii() and str(year).isdigit()):
                log.add(
                    path,
                    f"väntade år = kr per invånare, fick {year} = {value!r}",
                    column=f"{where}rate_schedule",
                )
            elif number is not None:
                schedule[int(year)] = number
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
                rate_schedule=schedule,
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
    followup = _followup_policy(r, data, path, log)
    basis = r.table(data, "population_basis")
    membership = _membership(r, data, members if isinstance(members, list) else [])
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
        lag_years=r.get(
            basis, "lag_years", int, "population_basis.", 0 if "fixed_year" in basis else ...
        ),
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
        followup=followup,
        equity_max_sek=_year_amounts(r, head, "equity_max_sek", "agreement."),
        opening_equity_assumption=r.get(head, "opening_equity_assumption", str, "agreement.", "")
        or "",
        basis_fixed_year=r.get(basis, "fixed_year", int, "population_basis.", None),
        basis_reference_date=_month_day(r, basis),
        membership=membership,
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
