"""SIE 4 files (accounting data from a finance system): a strict reader, and a writer for tests.

SIE 4 ("SIE typ 4", the Swedish standard export of a finance system's ledger) is a line-oriented
text format. Each line starts with a label (``#VER``, ``#TRANS``, ``#KONTO`` ...) followed by
fields separated by spaces or tabs. No well-kept SIE library for Python exists (the one package on
PyPI is a two-release decoder from 2024), so this is a small, strict reader of the grammar of the
SIE 4B specification (SIE-gruppen, 2008).

Method
------
* **Encoding.** The specification prescribes IBM PC 8-bit extended ASCII (``#FORMAT PC8``, code
  page 437). Many systems write Windows-1252 and still say ``PC8``, and newer ones write UTF-8.
  A file with a UTF-8 byte order mark, or whose non-ASCII bytes decode as UTF-8, is UTF-8.
  Otherwise the code page is chosen by what the bytes say in Swedish: ``å ä ö`` are ``86 84 94``
  in CP437 and ``E5 E4 F6`` in Windows-1252, so the code page that decodes more Swedish letters
  wins; a tie (no such letters) is CP437, as the specification says.
* **Fields.** A field is a run of non-blank characters, or a quoted string ``"..."`` in which
  ``\\"`` is a quote and ``\\\\`` a backslash; ``{...}`` is an object list (pairs of dimension
  number and object code, themselves fields). A quote or brace that is never closed is an error.
* **Vouchers.** ``#VER series number date [text [regdate [sign]]]`` is followed by a line ``{``,
  its ``#TRANS account {objects} amount [date [text [quantity [sign]]]]`` rows and a line ``}``.
  ``#BTRANS`` (a removed row) and ``#RTRANS`` (an added row, which the specification requires to
  be followed by an identical ``#TRANS``) are read and left out, so every row counts once. A
  voucher's rows must sum to zero (the specification's balance rule); one that does not is an
  error naming the voucher, its accounts and amounts.
* **Everything else read:** ``#SIETYP`` (must be 4), ``#FORMAT``, ``#PROGRAM``, ``#FNAMN``,
  ``#RAR`` (financial years, 0 the current one), ``#KONTO``, ``#KTYP``, ``#DIM``/``#UNDERDIM``,
  ``#OBJEKT``, ``#IB``/``#UB``/``#RES`` (per-year totals per account), ``#PSALDO`` and
  ``#PBUDGET`` (period balances and budgets). Labels the specification defines but we do not use
  (``#FLAGGA``, ``#GEN``, ``#ORGNR``, ``#KSUMMA`` ...) and unknown labels are skipped, as the
  specification asks of a reader.

Amounts are :class:`~decimal.Decimal` with at most two decimals (``.`` as decimal point, as the
specification says); dates are ``YYYYMMDD``. Every problem is collected with its line number
(``rad``) and label and raised as one :class:`~foui_analysis.errors.InputError`.

Known limits: ``#KSUMMA`` checksums are not verified; SIE 1-3 and 4I files other than type 4 are
refused; object lists nested in object lists (hierarchies) are not part of SIE 4 and are refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from foui_analysis.errors import InputError, Problem

SWEDISH_LETTERS = set("åäöÅÄÖéÉüÜ")
"""Letters whose count decides between CP437 and Windows-1252."""

SKIPPED_LABELS = {
    "#FLAGGA",
    "#GEN",
    "#ORGNR",
    "#ADRESS",
    "#FNR",
    "#BKOD",
    "#KPTYP",
    "#VALUTA",
    "#TAXAR",
    "#OMFATTN",
    "#PROSA",
    "#SRU",
    "#ENHET",
    "#KSUMMA",
    "#OIB",
    "#OUB",
}
"""Labels of the specification this reader does not need; unknown labels are skipped as well."""

Objects = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Transaction:
    """One ``#TRANS`` row: the amount is debit positive, credit negative (the file's sign)."""

    account: str
    objects: Objects
    amount: Decimal
    date: dt.date | None
    text: str
    quantity: Decimal | None
    line: int


@dataclass(frozen=True)
class Voucher:
    series: str
    number: str
    date: dt.date
    text: str
    line: int
    transactions: tuple[Transaction, ...]

    @property
    def name(self) -> str:
        """How a user finds the voucher in the finance system: series and number."""
        return f"{self.series} {self.number}".strip()


@dataclass(frozen=True)
class PeriodAmount:
    """A ``#PSALDO`` or ``#PBUDGET`` row: an account's amount for one month of a year."""

    year_index: int
    period: str
    account: str
    objects: Objects
    amount: Decimal
    line: int


@dataclass
class SieFile:
    """What a SIE 4 file holds, as read."""

    path: Path
    encoding: str
    format: str = ""
    sie_type: str = ""
    program: str = ""
    company: str = ""
    years: dict[int, tuple[dt.date, dt.date]] = field(default_factory=dict)
    year_lines: dict[int, int] = field(default_factory=dict)
    accounts: dict[str, str] = field(default_factory=dict)
    account_types: dict[str, str] = field(default_factory=dict)
    dimensions: dict[str, str] = field(default_factory=dict)
    objects: dict[tuple[str, str], str] = field(default_factory=dict)
    vouchers: list[Voucher] = field(default_factory=list)
    opening: dict[tuple[int, str], Decimal] = field(default_factory=dict)
    closing: dict[tuple[int, str], Decimal] = field(default_factory=dict)
    results: dict[tuple[int, str], Decimal] = field(default_factory=dict)
    period_balances: list[PeriodAmount] = field(default_factory=list)
    period_budgets: list[PeriodAmount] = field(default_factory=list)


class _LineError(Exception):
    def __init__(self, message: str, label: str | None = None) -> None:
        super().__init__(message)
        self.label = label


def decode(data: bytes) -> tuple[str, str]:
    """The text of a SIE file and the encoding it was read in (see the module docstring)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.isascii():
        return data.decode("ascii"), "cp437"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    as_437 = data.decode("cp437")
    try:
        as_1252 = data.decode("cp1252")
    except UnicodeDecodeError:  # bytes Windows-1252 leaves undefined: not Windows-1252
        return as_437, "cp437"

    def letters(text: str) -> int:
        return sum(1 for ch in text if ch in SWEDISH_LETTERS)

    if letters(as_1252) > letters(as_437):
        return as_1252, "cp1252"
    return as_437, "cp437"


def tokenize(text: str) -> list[str | list[str]]:
    """The fields of one line: strings, and object lists as lists of strings."""
    fields: list[str | list[str]] = []
    group: list[str] | None = None
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in " \t":
            i += 1
            continue
        if ch == "{":
            if group is not None:
                raise _LineError("en objektlista { } inuti en annan objektlista")
            group = []
            i += 1
            continue
        if ch == "}":
            if group is None:
                raise _LineError("'}' utan föregående '{'")
            fields.append(group)
            group = None
            i += 1
            continue
        if ch == '"':
            value, i = _quoted(text, i + 1)
        else:
            start = i
            while i < n and text[i] not in ' \t{}"':
                i += 1
            value = text[start:i]
        (group if group is not None else fields).append(value)
    if group is not None:
        raise _LineError("objektlistan saknar avslutande '}'")
    return fields


def _quoted(text: str, i: int) -> tuple[str, int]:
    out = []
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text) and text[i + 1] in '"\\':
            out.append(text[i + 1])
            i += 2
            continue
        if ch == '"':
            return "".join(out), i + 1
        out.append(ch)
        i += 1
    raise _LineError('citattecknet (") stängs aldrig på raden')


def parse_amount(text: str, what: str = "belopp") -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise _LineError(f"väntade ett {what} som 1234.50, fick '{text}'") from None
    if not value.is_finite() or value != value.quantize(Decimal("0.01")) or "," in text:
        raise _LineError(f"väntade ett {what} med högst två decimaler, fick '{text}'")
    return value


def parse_date(text: str) -> dt.date:
    if len(text) != 8 or not text.isdigit():
        raise _LineError(f"väntade ett datum ÅÅÅÅMMDD, fick '{text}'")
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise _LineError(f"'{text}' är inget giltigt datum") from None


def _optional(fields: list, index: int) -> str:
    value = fields[index] if index < len(fields) else ""
    if isinstance(value, list):
        raise _LineError("väntade ett fält, fick en objektlista { }")
    return value


def _text(fields: list, index: int, name: str) -> str:
    if index >= len(fields):
        raise _LineError(f"fältet {name} saknas")
    value = fields[index]
    if isinstance(value, list):
        raise _LineError(f"väntade fältet {name}, fick en objektlista {{ }}")
    return value


def _objects(fields: list, index: int) -> Objects:
    if index >= len(fields) or not isinstance(fields[index], list):
        raise _LineError("objektlistan { } saknas (skriv {} om raden saknar objekt)")
    items = fields[index]
    if len(items) % 2:
        raise _LineError("objektlistan ska hålla par av dimension och objekt")
    return tuple((items[k], items[k + 1]) for k in range(0, len(items), 2))


def _year_index(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise _LineError(f"väntade ett årsnummer (0, -1, ...), fick '{text}'") from None


def _transaction(fields: list, number: int) -> Transaction:
    account = _text(fields, 0, "kontonr")
    objects = _objects(fields, 1)
    amount = parse_amount(_text(fields, 2, "belopp"))
    date_text = _optional(fields, 3)
    quantity_text = _optional(fields, 5)
    return Transaction(
        account=account,
        objects=objects,
        amount=amount,
        date=parse_date(date_text) if date_text else None,
        text=_optional(fields, 4),
        quantity=parse_amount(quantity_text, "antal") if quantity_text else None,
        line=number,
    )


def read_sie(path: str | Path) -> SieFile:
    """Read a SIE 4 file; raise InputError with every problem (line and label named)."""
    path = Path(path)
    if not path.exists():
        raise InputError.single(path, "filen finns inte")
    text, encoding = decode(path.read_bytes())
    sie = SieFile(path=path, encoding=encoding)
    problems: list[Problem] = []
    file = str(path)

    def problem(number: int, label: str | None, message: str) -> None:
        problems.append(Problem(file, number, label, message))

    lines = text.splitlines()
    if _read_lines(sie, lines, problem):
        problem(len(lines), "#VER", "filen slutar inuti en verifikation (saknar '{' eller '}')")
    if sie.sie_type != "4":
        problem(
            1,
            "#SIETYP",
            "väntade en SIE-fil av typ 4 (#SIETYP 4, med verifikationer)"
            + (f", fick typ {sie.sie_type}" if sie.sie_type else "; raden #SIETYP saknas"),
        )
    if problems:
        raise InputError(problems)
    return sie


def _read_lines(sie: SieFile, lines: list[str], problem) -> bool:
    """Read ``lines`` into ``sie``, each bad line one ``problem``; True if a voucher is unclosed."""
    # A voucher is read in three states: after #VER (awaiting '{'), in its body, and closed.
    # ``broken`` marks a voucher with a bad line: its block is still consumed (so one mistake
    # is one message), but it is not balanced or kept.
    open_voucher: tuple[list, int] | None = None
    body: list[Transaction] | None = None
    broken = False
    voucher_fields: list = []
    voucher_line = 0
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        try:
            if open_voucher is not None:
                voucher_fields, voucher_line = open_voucher
                open_voucher, body = None, []
                if line != "{":
                    body, broken = None, False
                    raise _LineError("väntade '{' på raden efter #VER", "#VER")
                continue
            if body is not None:
                if line == "}":
                    if not broken:
                        _close_voucher(sie, voucher_fields, voucher_line, body, problem)
                    body, broken = None, False
                    continue
                try:
                    _voucher_row(line, number, body)
                except _LineError:
                    broken = True
                    raise
                continue
            label = _label(line)
            if label == "#VER":
                # Whatever is wrong with the #VER line, its block follows: consume it.
                open_voucher, broken = ([], number), True
            fields = _label_line(sie, line, label, number)
            if label == "#VER":
                open_voucher, broken = (fields, number), False
        except _LineError as exc:
            problem(number, exc.label, str(exc))
    return open_voucher is not None or body is not None


def _voucher_row(line: str, number: int, body: list[Transaction]) -> None:
    """One row inside a voucher's braces: ``#TRANS`` is kept, ``#BTRANS``/``#RTRANS`` checked
    and left out, anything else refused."""
    head = line.split(None, 1)
    label, rest = head[0].upper(), head[1] if len(head) > 1 else ""
    try:
        if label == "#TRANS":
            body.append(_transaction(tokenize(rest), number))
        elif label in ("#BTRANS", "#RTRANS"):
            _transaction(tokenize(rest), number)  # checked, then left out
        else:
            raise _LineError(f"väntade #TRANS eller '}}' inuti verifikationen, fick '{label}'")
    except _LineError as exc:
        exc.label = exc.label or label
        raise


def _label(line: str) -> str:
    """The label of a line outside a voucher (``#KONTO``), or _LineError."""
    if line in ("{", "}"):
        raise _LineError(f"'{line}' utan föregående #VER")
    if not line.startswith("#"):
        raise _LineError("en rad ska börja med en etikett som #VER eller #TRANS")
    return line.split(None, 1)[0].upper()


def _label_line(sie: SieFile, line: str, label: str, number: int) -> list:
    """Read a line outside a voucher into ``sie``; its fields."""
    head = line.split(None, 1)
    fields = tokenize(head[1]) if len(head) > 1 else []
    try:
        _read_label(sie, label, fields, number)
    except _LineError as exc:
        exc.label = exc.label or label
        raise
    return fields


def _read_label(sie: SieFile, label: str, fields: list, number: int) -> None:
    reader = _LABEL_READERS.get(label)
    if reader is not None:
        reader(sie, label, fields, number)
    # Other labels (SKIPPED_LABELS and unknown ones) are skipped, as the specification asks.


def _read_header(sie: SieFile, label: str, fields: list, number: int) -> None:
    if label == "#SIETYP":
        sie.sie_type = _text(fields, 0, "typnr")
    elif label == "#FORMAT":
        sie.format = _text(fields, 0, "format")
    elif label == "#PROGRAM":
        sie.program = " ".join(_optional(fields, i) for i in range(len(fields))).strip()
    else:
        sie.company = _text(fields, 0, "företagsnamn")


def _read_year(sie: SieFile, label: str, fields: list, number: int) -> None:
    index = _year_index(_text(fields, 0, "årsnr"))
    start = parse_date(_text(fields, 1, "start"))
    end = parse_date(_text(fields, 2, "slut"))
    if end < start:
        raise _LineError(f"räkenskapsårets slut {end} ligger före dess början {start}")
    if index in sie.years:
        raise _LineError(f"räkenskapsår {index} anges två gånger")
    sie.years[index] = (start, end)
    sie.year_lines[index] = number


def _read_chart(sie: SieFile, label: str, fields: list, number: int) -> None:
    if label == "#KONTO":
        sie.accounts[_text(fields, 0, "kontonr")] = _optional(fields, 1)
    elif label == "#KTYP":
        sie.account_types[_text(fields, 0, "kontonr")] = _text(fields, 1, "kontotyp")
    elif label == "#OBJEKT":
        key = (_text(fields, 0, "dimensionsnr"), _text(fields, 1, "objektkod"))
        sie.objects[key] = _optional(fields, 2)
    else:  # #DIM, #UNDERDIM
        sie.dimensions[_text(fields, 0, "dimensionsnr")] = _optional(fields, 1)


def _read_balance(sie: SieFile, label: str, fields: list, number: int) -> None:
    index = _year_index(_text(fields, 0, "årsnr"))
    account = _text(fields, 1, "konto")
    amount = parse_amount(_text(fields, 2, "saldo"))
    target = {"#IB": sie.opening, "#UB": sie.closing, "#RES": sie.results}[label]
    target[(index, account)] = amount


def _read_period_amount(sie: SieFile, label: str, fields: list, number: int) -> None:
    index = _year_index(_text(fields, 0, "årsnr"))
    period = _text(fields, 1, "period")
    if len(period) != 6 or not period.isdigit() or not 1 <= int(period[4:]) <= 12:
        raise _LineError(f"väntade en period ÅÅÅÅMM, fick '{period}'")
    row = PeriodAmount(
        index,
        period,
        _text(fields, 2, "konto"),
        _objects(fields, 3),
        parse_amount(_text(fields, 4, "saldo")),
        number,
    )
    (sie.period_budgets if label == "#PBUDGET" else sie.period_balances).append(row)


def _check_voucher_head(sie: SieFile, label: str, fields: list, number: int) -> None:
    _text(fields, 0, "serie")
    _text(fields, 1, "vernr")
    parse_date(_text(fields, 2, "verdatum"))


def _refuse_row_outside_voucher(sie: SieFile, label: str, fields: list, number: int) -> None:
    raise _LineError(f"{label} utanför en verifikation (efter #VER och '{{')")


_LABEL_READERS = {
    **dict.fromkeys(("#SIETYP", "#FORMAT", "#PROGRAM", "#FNAMN"), _read_header),
    "#RAR": _read_year,
    **dict.fromkeys(("#KONTO", "#KTYP", "#DIM", "#UNDERDIM", "#OBJEKT"), _read_chart),
    **dict.fromkeys(("#IB", "#UB", "#RES"), _read_balance),
    **dict.fromkeys(("#PSALDO", "#PBUDGET"), _read_period_amount),
    "#VER": _check_voucher_head,
    **dict.fromkeys(("#TRANS", "#BTRANS", "#RTRANS"), _refuse_row_outside_voucher),
}
"""The reader of each label outside a voucher (each raises _LineError for a bad field)."""


def _close_voucher(sie: SieFile, fields: list, line: int, body: list[Transaction], problem) -> None:
    voucher = Voucher(
        series=_text(fields, 0, "serie"),
        number=_text(fields, 1, "vernr"),
        date=parse_date(_text(fields, 2, "verdatum")),
        text=_optional(fields, 3),
        line=line,
        transactions=tuple(body),
    )
    total = sum((t.amount for t in body), Decimal(0))
    if total != 0:
        rows = "; ".join(f"konto {t.account} {t.amount}" for t in body) or "inga rader"
        problem(
            line,
            "#VER",
            f"verifikation {voucher.name} ({voucher.date.isoformat()}) balanserar inte: "
            f"raderna summerar till {total} i stället för 0 ({rows})",
        )
        return
    sie.vouchers.append(voucher)


# -- writing (the example generator and the tests write files a finance system would) ----------


def quote(value: str) -> str:
    """A field as the specification writes it: quoted, with ``"`` and ``\\`` escaped."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _amount(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'))}"


def _object_list(objects: Iterable[tuple[str, str]]) -> str:
    return "{" + " ".join(f"{d} {quote(o)}" for d, o in objects) + "}"


def write_sie(sie: SieFile, encoding: str = "cp437", newline: str = "\r\n") -> bytes:
    """The bytes of a SIE 4 file holding ``sie`` (vouchers, totals, budgets)."""
    out = [
        "#FLAGGA 0",
        f"#PROGRAM {quote(sie.program or 'foui_analysis')} 1.0",
        f"#FORMAT {sie.format or 'PC8'}",
        "#SIETYP 4",
    ]
    if sie.company:
        out.append(f"#FNAMN {quote(sie.company)}")
    for index in sorted(sie.years, reverse=True):
        start, end = sie.years[index]
        out.append(f"#RAR {index} {start:%Y%m%d} {end:%Y%m%d}")
    for number, name in sorted(sie.dimensions.items()):
        out.append(f"#DIM {number} {quote(name)}")
    for (dim, code), name in sorted(sie.objects.items()):
        out.append(f"#OBJEKT {dim} {quote(code)} {quote(name)}")
    for account, name in sorted(sie.accounts.items()):
        out.append(f"#KONTO {account} {quote(name)}")
    for account, kind in sorted(sie.account_types.items()):
        out.append(f"#KTYP {account} {kind}")
    for label, totals in (("#IB", sie.opening), ("#UB", sie.closing), ("#RES", sie.results)):
        for (index, account), amount in sorted(totals.items(), key=lambda kv: (-kv[0][0], kv[0])):
            out.append(f"{label} {index} {account} {_amount(amount)}")
    for label, rows in (("#PSALDO", sie.period_balances), ("#PBUDGET", sie.period_budgets)):
        for p in rows:
            out.append(
                f"{label} {p.year_index} {p.period} {p.account} {_object_list(p.objects)} "
                f"{_amount(p.amount)}"
            )
    for v in sie.vouchers:
        out.append(f"#VER {quote(v.series)} {quote(v.number)} {v.date:%Y%m%d} {quote(v.text)}")
        out.append("{")
        for t in v.transactions:
            parts = [f"   #TRANS {t.account} {_object_list(t.objects)} {_amount(t.amount)}"]
            if t.date or t.text or t.quantity is not None:
                parts.append(f"{t.date:%Y%m%d}" if t.date else '""')
                parts.append(quote(t.text))
            if t.quantity is not None:
                parts.append(_amount(t.quantity))
            out.append(" ".join(parts))
        out.append("}")
    return (newline.join(out) + newline).encode(encoding)
