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
    file = str(path)
    problems: list[Problem] = []
    unknown = set(data) - {"account", "object", "ignore", "mapping"}
    for key in sorted(unknown):
        problems.append(Problem(file, None, key, "okänd nyckel; väntade account, object, ignore"))
    accounts: list[AccountRule] = []
    objects: list[ObjectRule] = []
    ignore: list[IgnoreRule] = []

    def entries(name: str, keys: set[str]):
        value = data.get(name, [])
        if not isinstance(value, list):
            problems.append(Problem(file, None, name, f"väntade tabeller [[{name}]]"))
            return
        for number, entry in enumerate(value, start=1):
            where = f"[[{name}]] nr {number}"
            if not isinstance(entry, dict):
                problems.append(Problem(file, None, where, "väntade en tabell"))
                continue
            for key in sorted(set(entry) - keys):
                problems.append(
                    Problem(
                        file,
                        None,
                        f"{where}.{key}",
                        f"okänd nyckel; väntade {', '.join(sorted(keys))}",
                    )
                )
            yield where, entry

    def choice(entry: dict, key: str, allowed: tuple[str, ...], where: str, required: bool):
        value = entry.get(key)
        if value is None:
            if required:
                problems.append(Problem(file, None, f"{where}.{key}", "värde saknas"))
            return None
        if value not in allowed:
            problems.append(
                Problem(
                    file,
                    None,
                    f"{where}.{key}",
                    f"väntade ett av {', '.join(allowed)}, fick {value!r}",
                )
            )
            return None
        return value

    for where, entry in entries("account", ACCOUNT_KEYS):
        try:
            accs = parse_accounts(entry.get("accounts"))
        except ValueError as exc:
            problems.append(Problem(file, None, f"{where}.accounts", str(exc)))
            continue
        line = choice(entry, "line", (*COST_LINES, *REVENUE_LINES), where, True)
        area = choice(entry, "area", AREA_VALUES, where, False)
        kind = choice(entry, "kind", LEDGER_KINDS, where, False)
        if line is None:
            continue
        expected = "kostnad" if line in COST_LINES else "intakt"
        if kind is not None and kind != expected:
            problems.append(
                Problem(file, None, f"{where}.kind", f"raden '{line}' är {expected}, fick '{kind}'")
            )
            continue
        if kind is None:
            bounds = [*accs.single, *(str(b) for r in accs.ranges for b in r)]
            kinds = {bas_kind(a) for a in bounds}
            if None in kinds:
                problems.append(
                    Problem(
                        file,
                        None,
                        f"{where}.kind",
                        f"kontona {accs.text} ligger (delvis) utanför BAS klass 3-7; ange kind "
                        "(intakt eller kostnad)",
                    )
                )
                continue
            if kinds != {expected}:
                problems.append(
                    Problem(
                        file,
                        None,
                        f"{where}.accounts",
                        f"kontona {accs.text} är {' och '.join(sorted(filter(None, kinds)))} "
                        "enligt BAS men "
                        f"raden '{line}' är {expected}; ange kind om det är avsikten",
                    )
                )
                continue
            kind = expected
        if line in REVENUE_LINES and area not in (None, line):
            problems.append(
                Problem(file, None, f"{where}.area", f"intäkten '{line}' hör till området '{line}'")
            )
            continue
        if line in REVENUE_LINES:
            area = line
        accounts.append(AccountRule(accs, line, area, kind, where))

    for where, entry in entries("object", OBJECT_KEYS):
        area = choice(entry, "area", AREA_VALUES, where, True)
        try:
            dimension, obj = _code(entry.get("dimension")), _code(entry.get("object"))
        except ValueError as exc:
            problems.append(Problem(file, None, where, str(exc)))
            continue
        if area is not None:
            objects.append(ObjectRule(dimension, obj, area, where))

    for where, entry in entries("ignore", IGNORE_KEYS):
        reason = entry.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            problems.append(Problem(file, None, f"{where}.reason", "skäl saknas (reason)"))
            continue
        try:
            ignored_accounts = parse_accounts(entry["accounts"]) if "accounts" in entry else None
            has_object = "dimension" in entry or "object" in entry
            ignored_dimension = _code(entry.get("dimension")) if has_object else None
            ignored_object = _code(entry.get("object")) if has_object else None
        except ValueError as exc:
            problems.append(Problem(file, None, where, str(exc)))
            continue
        if ignored_accounts is None and ignored_dimension is None:
            problems.append(
                Problem(file, None, where, "ange accounts och/eller dimension och object")
            )
            continue
        ignore.append(
            IgnoreRule(ignored_accounts, ignored_dimension, ignored_object, reason.strip(), where)
        )

    for i, first in enumerate(accounts):
        for second in accounts[i + 1 :]:
            if first.accounts.overlaps(second.accounts):
                problems.append(
                    Problem(
                        file,
                        None,
                        second.where,
                        f"kontona {second.accounts.text} överlappar {first.where} "
                        f"({first.accounts.text}); ett konto får bara mappas en gång",
                    )
                )
    seen: dict[tuple[str, str], ObjectRule] = {}
    for rule in objects:
        earlier = seen.setdefault((rule.dimension, rule.object), rule)
        if earlier is not rule:
            problems.append(
                Problem(
                    file,
                    None,
                    rule.where,
                    f"objekt {rule.object} i dimension {rule.dimension} mappas redan i "
                    f"{earlier.where}",
                )
            )
    if problems:
        raise InputError(problems)
    return Mapping(path, tuple(accounts), tuple(objects), tuple(ignore))
