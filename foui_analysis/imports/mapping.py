"""The mapping from a finance system's accounts and dimension objects to the ledger's rows.

A mapping is a TOML file kept in the data set (the example's is ``data/example/sie/mappning.toml``):

.. code-block:: toml

    [[account]]                 # which accounts make which line
    accounts = "5800-5899"      # one account, a range, or a list of both: ["5800", "5810-5819"]
    line = "resor"
    # area = "skola"            # optional: the area, when the account alone says it
    # kind = "kostnad"          # optional: intakt or kostnad (default from the BAS class)

    [[object]]                  # which dimension objects say which area
    dimension = "1"             # #DIM number, e.g. 1 = kostnadsställe, 6 = projekt
    object = "20"
    area = "skola"

    [[ignore]]                  # transactions that do not belong to the ledger, and why
    accounts = "1000-2999"      # accounts and/or dimension + object; all given must match
    reason = "Balansräkningens konton"

Method
------
A transaction is first compared with the ``[[ignore]]`` entries: when one matches, it is left out
and counted as ignored in the reconciliation. Otherwise the one ``[[account]]`` entry whose
accounts hold the transaction's account gives the line; the area is the entry's ``area`` or else
the area of the ``[[object]]`` entries that match the transaction's objects (exactly one area;
objects naming two areas are an error). The kind follows the BAS chart of accounts: class 3 is
revenue (intakt), classes 4-7 costs (kostnad); other accounts need ``kind`` in the entry. A
transaction that matches nothing is unmapped, with the reason.

The ledger's amounts are positive for normal bookings: a cost's debit (positive in SIE) stays
positive; a revenue's credit (negative in SIE) becomes positive. A correction has the other sign.

Known limits: account ranges compare account numbers as integers, so accounts with letters can
only be named one by one; two ``[[account]]`` entries may not share an account (the mapping is
refused), so a split of one account over two lines needs objects and areas, not two entries.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from foui_analysis.errors import InputError, Problem
from foui_analysis.schemas.inputs import AREA_VALUES, COST_LINES, LEDGER_KINDS, REVENUE_LINES

ACCOUNT_KEYS = {"accounts", "line", "area", "kind"}
OBJECT_KEYS = {"dimension", "object", "area"}
IGNORE_KEYS = {"accounts", "dimension", "object", "reason"}


@dataclass(frozen=True)
class Accounts:
    """A set of accounts: single numbers and inclusive ranges."""

    single: frozenset[str]
    ranges: tuple[tuple[int, int], ...]
    text: str

    def __contains__(self, account: str) -> bool:
        if account in self.single:
            return True
        if not account.isdigit():
            return False
        number = int(account)
        return any(low <= number <= high for low, high in self.ranges)

    def overlaps(self, other: Accounts) -> bool:
        if any(a in other for a in self.single) or any(a in self for a in other.single):
            return True
        return any(
            low <= o_high and o_low <= high
            for low, high in self.ranges
            for o_low, o_high in other.ranges
        )


@dataclass(frozen=True)
class AccountRule:
    accounts: Accounts
    line: str
    area: str | None
    kind: str
    where: str


@dataclass(frozen=True)
class ObjectRule:
    dimension: str
    object: str
    area: str
    where: str


@dataclass(frozen=True)
class IgnoreRule:
    accounts: Accounts | None
    dimension: str | None
    object: str | None
    reason: str
    where: str

    def matches(self, account: str, objects: tuple[tuple[str, str], ...]) -> bool:
        if self.accounts is not None and account not in self.accounts:
            return False
        return self.dimension is None or (self.dimension, self.object) in objects


@dataclass(frozen=True)
class Mapped:
    line: str
    area: str
    kind: str


@dataclass(frozen=True)
class Ignored:
    reason: str


@dataclass(frozen=True)
class Unmapped:
    reason: str


@dataclass(frozen=True)
class Mapping:
    path: Path
    accounts: tuple[AccountRule, ...]
    objects: tuple[ObjectRule, ...]
    ignore: tuple[IgnoreRule, ...]

    def classify(
        self, account: str, objects: tuple[tuple[str, str], ...]
    ) -> Mapped | Ignored | Unmapped:
        """What becomes of a transaction on ``account`` with ``objects`` (see the docstring)."""
        for ignore in self.ignore:
            if ignore.matches(account, objects):
                return Ignored(ignore.reason)
        rule = next((r for r in self.accounts if account in r.accounts), None)
        if rule is None:
            return Unmapped("kontot finns inte i mappningen")
        kind = rule.kind
        if rule.area is not None:
            return Mapped(rule.line, rule.area, kind)
        areas = sorted({o.area for o in self.objects if (o.dimension, o.object) in objects})
        if not areas:
            return Unmapped(
                f"inget objekt på raden anger verksamhetsområde (kontot mappas till "
                f"'{rule.line}' i {rule.where}, utan area)"
            )
        if len(areas) > 1:
            return Unmapped(f"objekten på raden anger olika områden: {', '.join(areas)}")
        return Mapped(rule.line, areas[0], kind)


def bas_kind(account: str) -> str | None:
    """The kind an account has in the BAS chart: class 3 revenue, 4-7 costs, else unknown."""
    if not account[:1].isdigit():
        return None
    return {"3": "intakt", "4": "kostnad", "5": "kostnad", "6": "kostnad", "7": "kostnad"}.get(
        account[0]
    )


def parse_accounts(value: object) -> Accounts:
    items = value if isinstance(value, list) else [value]
    single, ranges = set(), []
    for item in items:
        if isinstance(item, int) and not isinstance(item, bool):
            item = str(item)
        if not isinstance(item, str) or not item.strip():
            raise ValueError(
                f'väntade ett konto eller ett intervall som "5800-5899", fick {item!r}'
            )
        text = item.strip()
        low, sep, high = text.partition("-")
        if sep:
            if not (low.strip().isdigit() and high.strip().isdigit()):
                raise ValueError(
                    f"väntade ett intervall av kontonummer som \"5800-5899\", fick '{text}'"
                )
            a, b = int(low), int(high)
            if a > b:
                raise ValueError(f"intervallet '{text}' börjar efter att det slutar")
            ranges.append((a, b))
        else:
            single.add(text)
    return Accounts(frozenset(single), tuple(ranges), ", ".join(str(i) for i in items))


def _code(value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    raise ValueError(f"väntade en kod (text eller tal), fick {value!r}")


def load_mapping(path: str | Path) -> Mapping:
    """Read and check a mapping; raise InputError naming each bad entry."""
    path = Path(path)
    if not path.exists():
        raise InputError.single(path, "mappningsfilen finns inte")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError.single(path, f"ogiltig TOML (UTF-8): {exc}") from None
    reader = _MappingReader(path, data)
    reader.unknown_keys()
    accounts = reader.account_rules()
    objects = reader.object_rules()
    ignore = reader.ignore_rules()
    reader.overlapping_accounts(accounts)
    reader.repeated_objects(objects)
    if reader.problems:
        raise InputError(reader.problems)
    return Mapping(path, tuple(accounts), tuple(objects), tuple(ignore))


class _MappingReader:
    """The entries of one mapping file, each checked; every problem is kept in ``problems``."""

    def __init__(self, path: Path, data: dict) -> None:
        self.file, self.data = str(path), data
        self.problems: list[Problem] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(Problem(self.file, None, where, message))

    def unknown_keys(self) -> None:
        for key in sorted(set(self.data) - {"account", "object", "ignore", "mapping"}):
            self.problem(key, "okänd nyckel; väntade account, object, ignore")

    def entries(self, name: str, keys: set[str]) -> Iterator[tuple[str, dict]]:
        """The tables of ``[[name]]`` with where they are (``[[account]] nr 2``); a key outside
        ``keys`` is a problem."""
        value = self.data.get(name, [])
        if not isinstance(value, list):
            self.problem(name, f"väntade tabeller [[{name}]]")
            return
        for number, entry in enumerate(value, start=1):
            where = f"[[{name}]] nr {number}"
            if not isinstance(entry, dict):
                self.problem(where, "väntade en tabell")
                continue
            for key in sorted(set(entry) - keys):
                self.problem(f"{where}.{key}", f"okänd nyckel; väntade {', '.join(sorted(keys))}")
            yield where, entry

    def choice(
        self, entry: dict, key: str, allowed: tuple[str, ...], where: str, required: bool
    ) -> str | None:
        value = entry.get(key)
        if value is None:
            if required:
                self.problem(f"{where}.{key}", "värde saknas")
            return None
        if value not in allowed:
            self.problem(f"{where}.{key}", f"väntade ett av {', '.join(allowed)}, fick {value!r}")
            return None
        return value

    def account_rules(self) -> list[AccountRule]:
        rules = []
        for where, entry in self.entries("account", ACCOUNT_KEYS):
            rule = self.account_rule(where, entry)
            if rule is not None:
                rules.append(rule)
        return rules

    def account_rule(self, where: str, entry: dict) -> AccountRule | None:
        """An ``[[account]]`` entry: its accounts, line, area and kind (None after a problem)."""
        try:
            accs = parse_accounts(entry.get("accounts"))
        except ValueError as exc:
            self.problem(f"{where}.accounts", str(exc))
            return None
        line = self.choice(entry, "line", (*COST_LINES, *REVENUE_LINES), where, True)
        area = self.choice(entry, "area", AREA_VALUES, where, False)
        kind = self.choice(entry, "kind", LEDGER_KINDS, where, False)
        if line is None:
            return None
        kind = self.line_kind(accs, line, kind, where)
        if kind is None:
            return None
        if line in REVENUE_LINES:
            if area not in (None, line):
                self.problem(f"{where}.area", f"intäkten '{line}' hör till området '{line}'")
                return None
            area = line
        return AccountRule(accs, line, area, kind, where)

    def line_kind(self, accs: Accounts, line: str, kind: str | None, where: str) -> str | None:
        """The entry's kind: as given, which must be the line's, or else the line's when the
        BAS classes of the accounts agree with it (None after a problem)."""
        expected = "kostnad" if line in COST_LINES else "intakt"
        if kind is not None:
            if kind != expected:
                self.problem(f"{where}.kind", f"raden '{line}' är {expected}, fick '{kind}'")
                return None
            return kind
        bounds = [*accs.single, *(str(b) for r in accs.ranges for b in r)]
        kinds = {bas_kind(a) for a in bounds}
        if None in kinds:
            self.problem(
                f"{where}.kind",
                f"kontona {accs.text} ligger (delvis) utanför BAS klass 3-7; ange kind "
                "(intakt eller kostnad)",
            )
            return None
        if kinds != {expected}:
            self.problem(
                f"{where}.accounts",
                f"kontona {accs.text} är {' och '.join(sorted(filter(None, kinds)))} "
                "enligt BAS men "
                f"raden '{line}' är {expected}; ange kind om det är avsikten",
            )
            return None
        return expected

    def object_rules(self) -> list[ObjectRule]:
        rules = []
        for where, entry in self.entries("object", OBJECT_KEYS):
            area = self.choice(entry, "area", AREA_VALUES, where, True)
            try:
                dimension, obj = _code(entry.get("dimension")), _code(entry.get("object"))
            except ValueError as exc:
                self.problem(where, str(exc))
                continue
            if area is not None:
                rules.append(ObjectRule(dimension, obj, area, where))
        return rules

    def ignore_rules(self) -> list[IgnoreRule]:
        rules = []
        for where, entry in self.entries("ignore", IGNORE_KEYS):
            rule = self.ignore_rule(where, entry)
            if rule is not None:
                rules.append(rule)
        return rules

    def ignore_rule(self, where: str, entry: dict) -> IgnoreRule | None:
        """An ``[[ignore]]`` entry: a reason, and accounts and/or a dimension object."""
        reason = entry.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            self.problem(f"{where}.reason", "skäl saknas (reason)")
            return None
        try:
            accounts = parse_accounts(entry["accounts"]) if "accounts" in entry else None
            has_object = "dimension" in entry or "object" in entry
            dimension = _code(entry.get("dimension")) if has_object else None
            obj = _code(entry.get("object")) if has_object else None
        except ValueError as exc:
            self.problem(where, str(exc))
            return None
        if accounts is None and dimension is None:
            self.problem(where, "ange accounts och/eller dimension och object")
            return None
        return IgnoreRule(accounts, dimension, obj, reason.strip(), where)

    def overlapping_accounts(self, rules: list[AccountRule]) -> None:
        """An account may be mapped by one entry only."""
        for i, first in enumerate(rules):
            for second in rules[i + 1 :]:
                if first.accounts.overlaps(second.accounts):
                    self.problem(
                        second.where,
                        f"kontona {second.accounts.text} överlappar {first.where} "
                        f"({first.accounts.text}); ett konto får bara mappas en gång",
                    )

    def repeated_objects(self, rules: list[ObjectRule]) -> None:
        """A dimension object may be mapped by one entry only."""
        seen: dict[tuple[str, str], ObjectRule] = {}
        for rule in rules:
            earlier = seen.setdefault((rule.dimension, rule.object), rule)
            if earlier is not rule:
                self.problem(
                    rule.where,
                    f"objekt {rule.object} i dimension {rule.dimension} mappas redan i "
                    f"{earlier.where}",
                )
