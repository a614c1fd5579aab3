"""The cooperation agreement, read from ``data/agreement.toml``.

Everything that a new agreement period would change (years, members, rates, funding sources, the
population basis rule, the staff plan, operating-cost lines, the equity policy and the year from
which FoUI övergripande is financed within the association's frame) is data. This module declares
what the file may hold and turns it into frozen objects, naming the TOML key of every problem.

Method: the file is read by :func:`foui_analysis.readers.read_toml`; its sections are validated
by pydantic models (``_AgreementFile`` and its parts; the components, staff posts, operating
costs and the two policies are pydantic dataclasses, the objects the package uses). Each value's
rule is declared with its type (strict integers, texts and booleans; exact decimals; one of a
list; 0 or more); pydantic collects every problem of the file and :func:`load_agreement` turns its
errors into :class:`~foui_analysis.errors.Problem` s naming the key (``components[0].area``) with
a Swedish text. Unknown keys are ignored, as before.

Rates are exact decimals written as strings (``"4"``, ``"4.50"``), so no float enters the money
arithmetic. FTE are decimals too. Rates and FTE must be finite and not negative; member codes are
SCB's four-digit codes written as text; a component's ``from_year`` may not lie after its
``to_year``; ``lag_years`` is 0 or more. A section of the wrong TOML type (``agreement = 5``) is a
problem naming its key, never a crash.

Known limits: a rule that compares two values (``from_year`` after ``to_year``, ``joins`` after
``leaves``, a component id given twice, a ``[[membership]]`` code that is not a member,
``first_year`` after ``last_year``) is checked once the values it compares are valid, so such a
problem can show up only after the file's other problems in the same table are fixed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any, NoReturn

from pydantic import (
    AfterValidator,
    BaseModel,
    Field,
    PlainValidator,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic import dataclasses as pydantic_dataclasses
from pydantic_core import ErrorDetails, PydanticCustomError

from foui_analysis import arguments
from foui_analysis.errors import InputError, Problem

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


# Rules of single values. A rule that fails raises a PydanticCustomError whose message is the
# Swedish text; ``problems`` in its context places one or more texts at keys below the value's own
# (a table's entries, a component's from_year), as (key parts, text).
_AGREEMENT_ERROR = "avtal"

Where = tuple[str | int, ...]


def _fail(message: str, *problems: tuple[Where, str]) -> NoReturn:
    """Refuse a value with a Swedish ``message`` (or with ``problems`` at keys below it)."""
    if problems:
        raise PydanticCustomError(_AGREEMENT_ERROR, message, {"problems": problems})
    raise PydanticCustomError(_AGREEMENT_ERROR, message)


def _number(value: object) -> Decimal:
    """An exact, finite, non-negative decimal, written as a string (``"4.50"``) or an integer."""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        number = None
    if isinstance(value, bool) or number is None or not number.is_finite():
        _fail(f"väntade ett tal, fick {value!r}")
    if number < 0:
        _fail(f"talet får inte vara negativt, fick {value!r}")
    if isinstance(value, float):
        _fail(f'skriv talet som en sträng för exakt aritmetik, t.ex. "{value}"')
    return number


Number = Annotated[Decimal, PlainValidator(_number)]


def _one_of(choices: tuple[str, ...] | dict[str, str]) -> AfterValidator:
    def check(value: str) -> str:
        if value not in choices:
            _fail(f"väntade ett av {', '.join(choices)}, fick {value!r}")
        return value

    return AfterValidator(check)


def _at_least(minimum: int, message: str) -> AfterValidator:
    """``message`` (with ``{value}``) for an integer below ``minimum``."""

    def check(value: int) -> int:
        if value < minimum:
            _fail(message.format(value=value))
        return value

    return AfterValidator(check)


def _is_year(key: object) -> bool:
    return str(key).isascii() and str(key).isdigit()


def _table(value: object) -> dict:
    if not isinstance(value, dict):
        _fail(f"väntade en tabell, fick {value!r}")
    return value


def _year_amounts(value: object) -> dict[int, int]:
    """A ``{year = kronor}`` table of whole, non-negative kronor (a problem per bad entry)."""
    amounts = {}
    bad = []
    for year, amount in _table(value).items():
        if (
            not _is_year(year)
            or isinstance(amount, bool)
            or not isinstance(amount, int)
            or amount < 0
        ):
            bad.append(((), f"väntade år = heltal i kronor, fick {year} = {amount!r}"))
        else:
            amounts[int(year)] = amount
    if bad:
        _fail(bad[0][1], *bad)
    return amounts


YearAmounts = Annotated[dict[int, int], PlainValidator(_year_amounts)]


def _rate_schedule(value: object) -> dict[int, Decimal]:
    """``{year = "kr per invånare"}``: each rate a :data:`Number` (its problem under the year)."""
    schedule = {}
    bad: list[tuple[Where, str]] = []
    for year, rate in _table(value).items():
        try:
            number = _number(rate)
        except PydanticCustomError as error:
            bad.append(((str(year),), error.message()))
            number = None
        if not _is_year(year):
            bad.append(((), f"väntade år = kr per invånare, fick {year} = {rate!r}"))
        elif number is not None:
            schedule[int(year)] = number
    if bad:
        _fail(bad[0][1], *bad)
    return schedule


RateSchedule = Annotated[dict[int, Decimal], PlainValidator(_rate_schedule)]


def _month_day(value: object) -> tuple[int, int]:
    """``"12-31"`` (month-day of the population series) as ``(12, 31)``."""
    try:
        if not isinstance(value, str):
            raise TypeError(value)
        month, day = (int(part) for part in value.split("-"))
        dt.date(2000, month, day)
    except (TypeError, ValueError):
        _fail(f'väntade månad-dag, t.ex. "12-31" eller "11-01", fick {value!r}')
    return (month, day)


def _year_month(value: object) -> tuple[int, int]:
    """``"2016-07"`` as ``(2016, 7)``."""
    try:
        year, month = (int(part) for part in str(value).split("-"))
        dt.date(year, month, 1)
    except (TypeError, ValueError):
        _fail(f'väntade år-månad, t.ex. "2016-07", fick {value!r}')
    return (year, month)


YearMonth = Annotated[tuple[int, int], PlainValidator(_year_month)]


def _member_codes(value: object) -> tuple[str, ...]:
    """SCB's four-digit municipality codes written as text, each once."""
    if (
        not isinstance(value, list)
        or not value
        or not all(
            isinstance(m, str) and len(m) == 4 and m.isascii() and m.isdigit() for m in value
        )
    ):
        _fail(
            'väntade en lista med kommunkoder (fyra siffror) som text, t.ex. "2580", '
            f"fick {value!r}"
        )
    if len(set(value)) != len(value):
        _fail("samma kommunkod förekommer flera gånger")
    return tuple(value)


def _years(value: object) -> tuple[int, ...]:
    if not isinstance(value, list):
        _fail(f"väntade en lista, fick {value!r}")
    if not all(isinstance(y, int) and not isinstance(y, bool) for y in value):
        _fail(f"väntade en lista med årtal som heltal, fick {value!r}")
    return tuple(value)


def _cost_key(value: object) -> dict[str, int]:
    """A non-negative whole weight for each area, not all zero."""
    if not isinstance(value, dict):
        _fail(f"väntade en tabell [shared_cost_key], fick {value!r}")
    if (
        set(value) != set(AREAS)
        or not all(
            isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value.values()
        )
        or sum(value.values()) == 0
    ):
        _fail(f"väntade en icke-negativ heltalsvikt för var och en av {', '.join(AREAS)}")
    return dict(value)


def _funding_source(value: str) -> str:
    if value not in (*FUNDING_SOURCES, "eget_kapital_eller_ram"):
        _fail(f"okänd finansieringskälla {value!r}")
    return value


@pydantic_dataclasses.dataclass(frozen=True, kw_only=True)
class Component:
    """A funding component of the agreement (seed slide 7): a ``[[components]]`` entry."""

    id: StrictStr
    name: StrictStr
    area: Annotated[StrictStr, _one_of(AREAS)]
    rate_sek_per_inhabitant: Number | None = None
    invoiced: StrictBool
    from_year: StrictInt
    to_year: StrictInt
    funding_source: Annotated[StrictStr, AfterValidator(_funding_source)]
    amount_sek: YearAmounts = field(default_factory=dict)
    rate_schedule: RateSchedule = field(default_factory=dict)
    """Rates per inhabitant from a year on (``{2017: Decimal("4.50")}``): the rate of a year is
    the schedule's entry of the latest year not after it, else ``rate_sek_per_inhabitant``."""

    @model_validator(mode="after")
    def _years_in_order(self) -> Component:
        if self.from_year > self.to_year:
            message = f"from_year ({self.from_year}) ligger efter to_year ({self.to_year})"
            _fail(message, (("from_year",), message))
        return self

    def active(self, year: int) -> bool:
        return self.from_year <= year <= self.to_year

    def rate_for(self, year: int) -> Decimal | None:
        """The rate per inhabitant of ``year`` (None for a component without one)."""
        earlier = [y for y in self.rate_schedule if y <= year]
        if earlier:
            return self.rate_schedule[max(earlier)]
        return self.rate_sek_per_inhabitant


@pydantic_dataclasses.dataclass(frozen=True)
class StaffPost:
    """A ``[[staff]]`` entry: a post of the staff plan."""

    role: StrictStr
    title: StrictStr
    fte: Number
    area: Annotated[StrictStr, _one_of((*AREAS, SHARED))]


@pydantic_dataclasses.dataclass(frozen=True)
class OperatingCost:
    """An ``[[operating_costs]]`` entry: an operating-cost line of an area, whole kronor a year."""

    line: StrictStr
    name: StrictStr
    area: Annotated[StrictStr, _one_of((*AREAS, SHARED))]
    amount_sek: Annotated[StrictInt, _at_least(0, "beloppet får inte vara negativt")]


SETTLEMENT_METHODS = {
    "kommungrupp": "SKR:s kommungrupper 2017 (landsbygdskommuner C8 och C9 = glesbygd)",
    "tathet": "befolkningstäthet (under tröskeln invånare per km² landareal = glesbygd)",
}
"""How members are classified glesbygd/tätort, and how a report names the classification."""


@pydantic_dataclasses.dataclass(frozen=True)
class EvaluationPolicy:
    """Choices of the evaluation's method that are data, not code (``[evaluation]``).

    ``settlement``: ``kommungrupp`` takes glesbygd/tätort from ``reference/municipalities.csv``
    (assumption A-GLES); ``tathet`` classifies by inhabitants per km² of land area, glesbygd
    below ``density_threshold_per_km2`` (assumption A-TATHET). ``fairness_far_below_ratio``:
    a member whose participation share / fee share is below it is named (assumption A-KVOT).
    """

    settlement: Annotated[StrictStr, _one_of(SETTLEMENT_METHODS)] = "kommungrupp"
    density_threshold_per_km2: Number = Decimal("5")
    fairness_far_below_ratio: Number = Decimal("0.5")


@pydantic_dataclasses.dataclass(frozen=True)
class FollowupPolicy:
    """The follow-up's rule for a deviation worth the board's attention (``[followup]``).

    A budget line's deviation is marked only when it exceeds **both** ``deviation_threshold_pct``
    of the line's budget and ``deviation_threshold_sek`` kronor (assumption A-AVVIK): a percentage
    alone marks a few thousand kronor on a small line, kronor alone any large line's rounding.
    """

    deviation_threshold_pct: Number = Decimal("10")
    deviation_threshold_sek: Annotated[StrictInt, Field(ge=0)] = 10000


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


# The file's sections. A section that is missing is read as an empty table, so its required keys
# are named one by one ("värde saknas"), as are the keys of a table given empty.
def _section() -> Any:
    return Field(default_factory=dict, validate_default=True)


class _Head(BaseModel):
    """``[agreement]``."""

    name: StrictStr
    organisation: StrictStr
    first_year: StrictInt
    last_year: StrictInt
    base_year: StrictInt
    overgripande_within_frame_from: StrictInt
    equity_years: Annotated[tuple[int, ...], PlainValidator(_years)]
    opening_equity_sek: StrictInt
    equity_max_sek: YearAmounts = Field(default_factory=dict)
    opening_equity_assumption: StrictStr = ""


class _PopulationBasis(BaseModel):
    """``[population_basis]``: ``lag_years``, or a ``fixed_year`` for every fee year."""

    lag_years: Annotated[
        StrictInt,
        _at_least(
            0, "underlagsåret kan inte ligga efter avgiftsåret; väntade 0 eller mer, fick {value}"
        ),
    ]
    fixed_year: StrictInt | None = None
    reference_date: Annotated[tuple[int, int], PlainValidator(_month_day)] = (12, 31)

    @model_validator(mode="before")
    @classmethod
    def _no_lag_with_a_fixed_year(cls, data: Any) -> Any:
        if isinstance(data, dict) and "fixed_year" in data:
            return {"lag_years": 0, **data}
        return data


class _Members(BaseModel):
    """``[members]``."""

    codes: Annotated[tuple[str, ...], PlainValidator(_member_codes)] = Field(
        default_factory=list, validate_default=True
    )


class _StaffCost(BaseModel):
    """``[staff_cost]``."""

    months_per_year: Annotated[
        StrictInt, _at_least(1, "väntade ett positivt antal månader, fick {value}")
    ]


class _Membership(BaseModel):
    """A ``[[membership]]`` entry: a member who joins or leaves during the period."""

    code: StrictStr
    joins: YearMonth | None = None
    leaves: YearMonth | None = None

    @model_validator(mode="after")
    def _joins_before_leaves(self) -> _Membership:
        if self.joins and self.leaves and self.joins > self.leaves:
            _fail("joins ligger efter leaves", (("joins",), "joins ligger efter leaves"))
        return self


class _AgreementFile(BaseModel):
    """The whole ``agreement.toml``; sections in the order a rule across them needs."""

    agreement: _Head = _section()
    population_basis: _PopulationBasis = _section()
    members: _Members = _section()
    components: list[Component] = Field(default_factory=list)
    staff_cost: _StaffCost = _section()
    staff: list[StaffPost] = Field(default_factory=list)
    shared_cost_key: Annotated[dict[str, int], PlainValidator(_cost_key)] = _section()
    operating_costs: list[OperatingCost] = Field(default_factory=list)
    evaluation: EvaluationPolicy = Field(default_factory=EvaluationPolicy)
    followup: FollowupPolicy = Field(default_factory=FollowupPolicy)
    membership: list[_Membership] = Field(default_factory=list)

    @field_validator("components")
    @classmethod
    def _ids_once(cls, components: list[Component]) -> list[Component]:
        ids = [c.id for c in components]
        twice = [
            ((i, "id"), f"komponenten {c.id!r} förekommer flera gånger")
            for i, c in enumerate(components)
            if ids.count(c.id) > 1
        ]
        if twice:
            _fail(twice[0][1], *twice)
        return components

    @field_validator("membership")
    @classmethod
    def _members_only(cls, entries: list[_Membership], info: ValidationInfo) -> list[_Membership]:
        members = info.data.get("members")
        if members is None:  # members.codes is refused already
            return entries
        strangers = [
            ((i, "code"), f"kommunkoden {m.code!r} finns inte i members.codes")
            for i, m in enumerate(entries)
            if m.code not in members.codes
        ]
        if strangers:
            _fail(strangers[0][1], *strangers)
        return entries

    @model_validator(mode="after")
    def _period_in_order(self) -> _AgreementFile:
        if self.agreement.first_year > self.agreement.last_year:
            message = "first_year ligger efter last_year"
            _fail(message, (("agreement", "first_year"), message))
        return self

    def to_agreement(self, path: Path) -> Agreement:
        head, basis = self.agreement, self.population_basis
        return Agreement(
            name=head.name,
            organisation=head.organisation,
            first_year=head.first_year,
            last_year=head.last_year,
            base_year=head.base_year,
            overgripande_within_frame_from=head.overgripande_within_frame_from,
            equity_years=head.equity_years,
            opening_equity_sek=head.opening_equity_sek,
            lag_years=basis.lag_years,
            members=self.members.codes,
            components=tuple(self.components),
            staff=tuple(self.staff),
            shared_cost_key=self.shared_cost_key,
            operating_costs=tuple(self.operating_costs),
            months_per_year=self.staff_cost.months_per_year,
            source=path,
            evaluation=self.evaluation,
            followup=self.followup,
            equity_max_sek=head.equity_max_sek,
            opening_equity_assumption=head.opening_equity_assumption,
            basis_fixed_year=basis.fixed_year,
            basis_reference_date=basis.reference_date,
            membership={m.code: (m.joins, m.leaves) for m in self.membership},
        )


# How pydantic's own errors read in Swedish: what was expected.
_EXPECTED = {
    "int_type": "ett heltal",
    "string_type": "en text",
    "bool_type": "true eller false",
    "list_type": "en lista",
    "dict_type": "en tabell",
    "model_type": "en tabell",
    "dataclass_type": "en tabell",
}


def _key(where: Where) -> str | None:
    """The TOML key of a location: ``("components", 0, "area")`` -> ``components[0].area``."""
    key = ""
    for part in where:
        key += f"[{part}]" if isinstance(part, int) else f".{part}" if key else str(part)
    return key or None


def _message(error: ErrorDetails) -> str:
    kind, value, where = error["type"], error["input"], error["loc"]
    if kind == "missing":
        return "värde saknas"
    if kind == "greater_than_equal":
        return f"väntade {error.get('ctx', {}).get('ge')} eller mer, fick {value!r}"
    expected = _EXPECTED.get(kind)
    if expected is None:
        return f"ogiltigt värde, fick {value!r}"
    if len(where) == 1:  # a section: a table [key] or an array of tables [[key]]
        if kind == "list_type":
            expected = f"en lista av tabeller [[{where[0]}]]"
        else:
            expected = f"en tabell [{where[0]}]"
    return f"väntade {expected}, fick {value!r}"


def _problems(path: Path, error: ValidationError) -> list[Problem]:
    """Each of pydantic's errors as a problem naming the file and the TOML key."""
    problems = []
    for detail in error.errors(include_url=False):
        where = tuple(detail["loc"])
        if detail["type"] == _AGREEMENT_ERROR:
            placed = detail.get("ctx", {}).get("problems") or (((), detail["msg"]),)
            for below, message in placed:
                problems.append(Problem(str(path), None, _key(where + below), message))
        else:
            problems.append(Problem(str(path), None, _key(where), _message(detail)))
    return problems


def load_agreement(path: str | Path) -> Agreement:
    """Read and check the agreement; raise InputError naming every bad key."""
    from foui_analysis.readers import read_toml

    path = Path(path)
    data = read_toml(path, "avtalsfilen")
    try:
        agreement_file = _AgreementFile.model_validate(data)
    except ValidationError as error:
        raise InputError(_problems(path, error)) from None
    return agreement_file.to_agreement(path)
