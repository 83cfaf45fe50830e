"""The cell-state codec: the one place where a cell state (count, amount with its unit,
blank, placeholder, absent) becomes text and JSON, and is read back.

* :func:`cell_text` — how a cell prints (every writer prints cells with it);
* :func:`read_cell` — printed text → state, tolerant of real-world printing (full-width
  digits, thousands separators, units, NBSP): the inverse of :func:`cell_text`;
* :func:`cell_to_json` / :func:`cell_from_json` — the JSON form of a cell;
* :func:`shown` — a cell in a message (``(blank)``, ``(absent)``, or as printed);
* :func:`cell_to_long` / :func:`cell_from_long` — the four fields (``state``, ``value``,
  ``unit``, ``text``) of a cell in the long CSV layout;
* :func:`cell_to_wide` / :func:`cell_from_wide` — the one field of a cell in the wide CSV
  layout (``NA`` for an absent cell).

The CSV writer and reader (:mod:`opengov._serialize`) write and read cells only through these.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs

from opengov._errors import Severity
from opengov._model import BLANK, MAX_FIGURE_DIGITS, Amount, Blank, CellValue, Placeholder, figure_too_long
from opengov.layout import COUNT_UNITS, MONEY_UNITS, PLACEHOLDER_GLYPHS, Kind

__all__ = [
    "cell_text",
    "shown",
    "CellReading",
    "read_cell",
    "is_value_text",
    "has_digit",
    "CellError",
    "CellFieldsError",
    "cell_to_json",
    "cell_from_json",
    "LONG_STATES",
    "WIDE_ABSENT",
    "quoted",
    "cell_to_long",
    "cell_from_long",
    "cell_to_wide",
    "cell_from_wide",
]

_UNITS = "|".join(re.escape(u) for u in sorted((*MONEY_UNITS, *COUNT_UNITS), key=len, reverse=True))
_NUMBER_RE = re.compile(
    r"(?P<sign>[+-]?)(?P<int>\d+)(?P<frac>\.\d+)?(?P<exp>[eE][+-]?\d+)?\s*(?P<unit>" + _UNITS + r")?"
)
_GROUPED_RE = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_SPACES = " \t\r\n\u00a0\u3000\u2002\u2003\u2009\u200b\ufeff"
_PLACEHOLDERS = frozenset(PLACEHOLDER_GLYPHS)
_DIGIT_RE = re.compile(r"[0-9\uff10-\uff19]")
_ZEROS = frozenset(("〇", "○", "零"))
"""A cell that holds only one of these holds a zero written as a Chinese numeral (``〇``, its
look-alike ``○``, ``零``): read as 0, with a ``normalized-number`` note."""


@attrs.frozen
class CellReading:
    """The state read from a cell's text (``None`` when the text is not a cell value) and
    a note ``(severity, code, message)`` when something was repaired or rejected."""

    value: CellValue | None
    note: tuple[Severity, str, str] | None = None


def has_digit(text: str) -> bool:
    """Whether the text holds a digit (ASCII or full-width)."""
    return _DIGIT_RE.search(text) is not None


def _fold(text: str) -> tuple[str, bool]:
    """NFKC-fold digits and signs; drop thousands separators. Returns (text, repaired)."""
    folded = unicodedata.normalize("NFKC", text)
    folded = folded.replace("，", ",").replace("．", ".").replace("－", "-").replace("＋", "+")
    folded = folded.strip()
    repaired = folded != text.strip(_SPACES)
    if _GROUPED_RE.search(folded):
        folded = folded.replace(",", "")
        repaired = True
    return folded, repaired


def _too_long(match: re.Match[str]) -> bool:
    """Whether a number the pattern matched is beyond the model's figure size."""
    if len(match["int"].lstrip("0")) > MAX_FIGURE_DIGITS or len(match["frac"] or "") > MAX_FIGURE_DIGITS + 1:
        return True
    exponent = match["exp"]
    return exponent is not None and (len(exponent) > 4 or figure_too_long(Decimal(match["int"] + exponent)))


@functools.lru_cache(maxsize=4096)
def read_cell(text: str, kind: Kind = Kind.COUNT) -> CellReading:
    """Read one cell's printed text as a cell state.

    ``""``/white space → ``BLANK``; a placeholder glyph → ``Placeholder``; ``36`` → 36
    (``Amount`` in a money column); ``12.50`` → ``Amount(12.50)``; ``1341万元`` →
    ``Amount(1341, "万元")``; ``3件`` → 3 with a note; ``〇``, ``○`` or ``零`` alone → 0
    with a note.  Anything else reads as ``None``
    with an error note.
    """
    if text.isdigit() and text.isascii() and len(text) <= MAX_FIGURE_DIGITS:  # a plain figure
        return CellReading(Amount(value=Decimal(text)) if kind is Kind.MONEY else int(text))
    stripped = text.strip(_SPACES)
    if not stripped:
        return CellReading(BLANK)
    if stripped in _PLACEHOLDERS:
        return CellReading(Placeholder(glyph=stripped))
    if stripped in _ZEROS:
        zero = (Severity.INFO, "normalized-number", f"read {stripped!r} as '0'")
        return CellReading(Amount(value=Decimal(0)) if kind is Kind.MONEY else 0, zero)
    folded, repaired = _fold(stripped)
    match = _NUMBER_RE.fullmatch(folded)
    if match is None:
        if folded in _PLACEHOLDERS:
            return CellReading(Placeholder(glyph=stripped), None)
        return CellReading(None, (Severity.ERROR, "unreadable-cell", f"cannot read {stripped!r} as a cell value"))
    note: tuple[Severity, str, str] | None = None
    if repaired:
        note = (Severity.INFO, "normalized-number", f"read {stripped!r} as {folded!r}")
    if _too_long(match):
        shown_ = stripped if len(stripped) <= 40 else stripped[:40] + f"…({len(stripped)} characters)"
        return CellReading(
            None,
            (Severity.ERROR, "figure-too-long", f"{shown_!r} is longer than any figure ({MAX_FIGURE_DIGITS} digits)"),
        )
    sign, unit = match["sign"], match["unit"]
    number = sign.lstrip("+") + match["int"] + (match["frac"] or "") + (match["exp"] or "")
    if sign == "+" and kind is not Kind.SIGNED:
        note = (Severity.INFO, "signed-count", f"read {stripped!r} with an explicit + sign")
    if unit in MONEY_UNITS:
        return CellReading(Amount(value=Decimal(number), unit=unit), note)
    if match["frac"] or match["exp"] or kind is Kind.MONEY:
        try:
            value = Decimal(number)
        except InvalidOperation:  # pragma: no cover - the regex admits only valid numbers
            return CellReading(None, (Severity.ERROR, "unreadable-cell", f"cannot read {stripped!r}"))
        if unit is not None:
            note = (Severity.WARNING, "unit", f"read {stripped!r}: count unit {unit!r} on an amount dropped")
        return CellReading(Amount(value=value), note)
    if unit is not None:
        note = (Severity.INFO, "count-unit", f"read {stripped!r} as {number} (unit {unit!r} dropped)")
    return CellReading(int(number), note)


@functools.lru_cache(maxsize=4096)
def is_value_text(text: str) -> bool:
    """Whether a cell's text reads as a cell state (blank, placeholder or number)."""
    if text.isdigit() and text.isascii():  # a plain figure
        return True
    stripped = text.strip(_SPACES)
    if not stripped or stripped in _PLACEHOLDERS or stripped in _ZEROS:
        return True
    if not has_digit(stripped):
        return False
    return _NUMBER_RE.fullmatch(_fold(stripped)[0]) is not None


# ---------------------------------------------------------------------------------------
# Printing
# ---------------------------------------------------------------------------------------


def cell_text(value: CellValue | None) -> str:
    """How a cell prints: ``36``, ``-3``, ``1341万元``, ``12.50``, ``""`` (blank), the
    placeholder glyph, or ``""`` for an absent cell.

    Every writer prints cells with this; :func:`read_cell` reads them back to the same
    state (a count prints without a decimal point, so an ``Amount`` without a unit that is
    printed without one reads back as a count — such amounts only occur in money columns,
    where a bare number *is* an amount).
    """
    if value is None or isinstance(value, Blank):
        return ""
    if isinstance(value, bool):
        raise TypeError("a cell cannot hold a bool")
    return str(value)


def shown(value: object) -> str:
    """A cell value for a message: as printed, or a word for blank/absent."""
    if value is None:
        return "(absent)"
    if isinstance(value, Blank):
        return "(blank)"
    if isinstance(value, (int, Amount, Placeholder)):
        return cell_text(value)
    return repr(value)


# ---------------------------------------------------------------------------------------
# JSON
# ---------------------------------------------------------------------------------------

_DECIMAL_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


class CellError(ValueError):
    """A value that is none of the cell states (the message says what was found)."""


def cell_to_json(value: CellValue | None) -> Any:
    """The JSON form of one cell: ``36``; ``{"amount": "1341", "unit": "万元"}`` (``unit``
    left out when none was printed; the amount a decimal string, digits kept);
    ``{"blank": true}``; ``{"placeholder": "/"}``; ``null`` for an absent cell."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise TypeError(f"a cell cannot hold a bool ({value!r})")
    if isinstance(value, int):
        return value
    if isinstance(value, Amount):
        out: dict[str, Any] = {"amount": str(value.value)}
        if value.unit is not None:
            out["unit"] = value.unit
        return out
    if isinstance(value, Blank):
        return {"blank": True}
    if isinstance(value, Placeholder):
        return {"placeholder": value.glyph}
    raise TypeError(f"not a cell value: {value!r}")


def cell_from_json(obj: Any, _type: Any = None) -> CellValue | None:
    """One cell from its JSON form; raises :class:`CellError` describing a bad one."""
    if obj is None:
        return None
    if isinstance(obj, bool):
        raise CellError(f"a cell cannot be {json.dumps(obj)}")
    if isinstance(obj, int):
        return obj
    if isinstance(obj, dict):
        keys = set(obj)
        if keys == {"blank"} and obj["blank"] is True:
            return BLANK
        if keys == {"placeholder"} and isinstance(obj["placeholder"], str):
            try:
                return Placeholder(glyph=obj["placeholder"])
            except ValueError as exc:
                raise CellError(str(exc)) from None
        if keys in ({"amount"}, {"amount", "unit"}):
            amount, unit = obj["amount"], obj.get("unit")
            if not isinstance(amount, str) or not _DECIMAL_RE.match(amount):
                raise CellError(f"an amount must be a decimal string, got {json.dumps(amount, ensure_ascii=False)}")
            if unit is not None and not isinstance(unit, str):
                raise CellError(f"a unit must be a string, got {json.dumps(unit, ensure_ascii=False)}")
            try:
                return Amount(value=Decimal(amount), unit=unit)
            except InvalidOperation:  # pragma: no cover - the regex admits only valid decimals
                raise CellError(f"not a decimal: {amount!r}") from None
    shown_ = json.dumps(obj, ensure_ascii=False)
    raise CellError(
        f'expected a cell (an integer, null, {{"amount": "…"}}, {{"blank": true}} or '
        f'{{"placeholder": "…"}}), got {shown_[:80]}'
    )


# ---------------------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------------------

LONG_STATES: tuple[str, ...] = ("number", "amount", "blank", "placeholder", "absent")
"""The ``state`` of a table cell in the long CSV layout (prose lines have ``text``)."""

WIDE_ABSENT = "NA"
"""How the wide CSV layout writes an absent cell."""

_CSV_INT_RE = re.compile(r"-?[0-9]+")
_CSV_DECIMAL_RE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_CSV_UNITS = MONEY_UNITS + COUNT_UNITS
_WIDE_UNITS = frozenset(_CSV_UNITS)


class CellFieldsError(CellError):
    """The CSV fields of a cell that are none of the cell states: ``problems`` holds
    ``(column, message)`` for each field at fault, in column order."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{column}: {message}" for column, message in problems))
        self.problems = tuple(problems)


def quoted(text: str) -> str:
    """A field in a message: in double quotes, cut after 40 characters."""
    cut = text if len(text) <= 40 else text[:40] + "…"
    return '"' + cut.replace('"', '\\"') + '"'


def _amount_digits(amount: Amount, where: str) -> str:
    """The digits of an amount as CSV writes them; ``ValueError`` for an amount that would
    not read back (not finite, or a unit that is an empty string)."""
    if not amount.value.is_finite():
        raise ValueError(f"{where}: the amount {amount.value} is not a finite number")
    if amount.unit == "":
        raise ValueError(f"{where}: an amount's unit is an empty string (use None for no unit)")
    return str(amount.value)


def cell_to_long(value: CellValue | None, where: str) -> tuple[str, str, str, str]:
    """``(state, value, unit, text)`` of a cell in the long CSV layout: ``("number", "36",
    "", "36")``, ``("amount", "1341", "万元", "1341万元")``, ``("blank", "", "", "")``,
    ``("placeholder", "", "", "/")``, ``("absent", "", "", "")``.

    ``where`` names the cell in the error raised for a value that is not a cell state
    (``TypeError``) or an amount that cannot be written exactly (``ValueError``).
    """
    if value is None:
        return ("absent", "", "", "")
    if isinstance(value, bool):
        raise TypeError(f"{where} holds a bool")
    if isinstance(value, int):
        text = str(value)
        return ("number", text, "", text)
    if isinstance(value, Amount):
        digits = _amount_digits(value, where)
        unit = value.unit or ""
        return ("amount", digits, unit, digits + unit)
    if isinstance(value, Blank):
        return ("blank", "", "", "")
    if isinstance(value, Placeholder):
        return ("placeholder", "", "", value.glyph)
    raise TypeError(f"{where} is not a cell: {value!r}")


def cell_from_long(state: str, value: str, unit: str, text: str) -> CellValue | None:
    """The cell that :func:`cell_to_long` wrote as these fields.

    Strict: a field that must be empty and is not, a value that is not a number, a
    ``text`` that disagrees with the value, an unknown state raise
    :class:`CellFieldsError` naming each field at fault.  ``text`` of a number or an
    amount may be left empty.
    """
    problems: list[tuple[str, str]] = []

    def empty(name: str, got: str) -> None:
        if got:
            problems.append((name, f"{quoted(got)} must be empty for a {state} cell"))

    if state == "number":
        empty("unit", unit)
        if not _CSV_INT_RE.fullmatch(value):
            problems.append(("value", f"{quoted(value)} is not a number"))
        elif len(value.lstrip("-").lstrip("0")) > MAX_FIGURE_DIGITS:
            problems.append(("value", _TOO_LONG.format(quoted(value))))
        elif text and text != value:
            problems.append(("text", f"{quoted(text)} does not match the value {value}"))
        if problems:
            raise CellFieldsError(problems)
        return int(value)
    if state == "amount":
        if not _CSV_DECIMAL_RE.fullmatch(value):
            problems.append(("value", f"{quoted(value)} is not a number"))
        elif text and text != value + unit:
            problems.append(("text", f"{quoted(text)} does not match the value and unit {value}{unit}"))
        if problems:
            raise CellFieldsError(problems)
        try:
            return _csv_amount(value, unit or None)
        except CellError as exc:
            raise CellFieldsError([("unit" if "unit" in str(exc) else "value", str(exc))]) from None
    if state == "placeholder":
        empty("value", value)
        empty("unit", unit)
        if not text or text != text.strip():
            problems.append(("text", f"{quoted(text)} is not a placeholder glyph (non-empty, no surrounding space)"))
        if problems:
            raise CellFieldsError(problems)
        return Placeholder(glyph=text)
    if state in ("blank", "absent"):
        empty("value", value)
        empty("unit", unit)
        empty("text", text)
        if problems:
            raise CellFieldsError(problems)
        return BLANK if state == "blank" else None
    raise CellFieldsError([("state", f"{quoted(state)} is not a cell state ({', '.join(LONG_STATES)})")])


_TOO_LONG = "{} is longer than any figure (" + str(MAX_FIGURE_DIGITS) + " digits)"


def _csv_amount(digits: str, unit: str | None) -> Amount:
    """An amount read from CSV digits; :class:`CellError` for one no report prints (more
    digits than :data:`MAX_FIGURE_DIGITS` before or after the point, an exponent beyond
    what a decimal holds)."""
    try:
        value = Decimal(digits)
    except InvalidOperation:  # an exponent beyond what a decimal holds
        raise CellError(_TOO_LONG.format(quoted(digits))) from None
    if not value.is_finite() or figure_too_long(value):
        raise CellError(_TOO_LONG.format(quoted(digits)))
    try:
        return Amount(value=value, unit=unit)
    except ValueError as exc:  # the model's ModelValueError: a unit with surrounding space
        raise CellError(str(exc)) from None


def cell_to_wide(value: CellValue | None, kind: Kind, where: str) -> str:
    """A cell as the one field of the wide CSV layout: as it prints (``36``, ``1341万元``,
    ``12.50``, the placeholder glyph), ``""`` for a blank cell, :data:`WIDE_ABSENT` for an
    absent one.  A unit-less whole amount outside a money column is written ``5.`` so that
    it does not read back as a count.

    ``ValueError`` (naming ``where``) for what the wide layout cannot write exactly: a
    non-finite amount, a unit or a placeholder glyph the layout does not know.
    """
    if value is None:
        return WIDE_ABSENT
    if isinstance(value, Blank):
        return ""
    if isinstance(value, bool):
        raise TypeError(f"{where} holds a bool")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Amount):
        digits = _amount_digits(value, where)
        if value.unit is not None and value.unit not in _WIDE_UNITS:
            raise ValueError(
                f"{where}: the unit {value.unit!r} cannot be written in the wide layout "
                f"(known units: {', '.join(_CSV_UNITS)}); use layout='long'"
            )
        if value.unit is None and kind is not Kind.MONEY and _CSV_INT_RE.fullmatch(digits):
            digits += "."  # Decimal("5.") == Decimal("5") with the same digits; a count never has a dot
        return digits + (value.unit or "")
    if isinstance(value, Placeholder):
        if value.glyph not in _PLACEHOLDERS:
            raise ValueError(
                f"{where}: the placeholder {value.glyph!r} cannot be written in the wide layout "
                f"(known placeholders: {' '.join(PLACEHOLDER_GLYPHS)}); use layout='long'"
            )
        return value.glyph
    raise TypeError(f"{where} is not a cell: {value!r}")


def cell_from_wide(text: str, kind: Kind) -> CellValue | None:
    """The cell that :func:`cell_to_wide` wrote as ``text`` in a column of this kind;
    :class:`CellError` saying what a cell field may hold otherwise."""
    if text == "":
        return BLANK
    if text == WIDE_ABSENT:
        return None
    if text in _PLACEHOLDERS:
        return Placeholder(glyph=text)
    if kind is not Kind.MONEY and _CSV_INT_RE.fullmatch(text):
        if len(text.lstrip("-").lstrip("0")) > MAX_FIGURE_DIGITS:
            raise CellError(_TOO_LONG.format(quoted(text)))
        return int(text)
    match = _CSV_DECIMAL_RE.match(text)
    if match is not None:
        digits, unit = text[: match.end()], text[match.end() :]
        if unit == "" or unit in _WIDE_UNITS:
            return _csv_amount(digits, unit or None)
    raise CellError(
        f"{quoted(text)} is not a number, an amount with a unit ({', '.join(_CSV_UNITS)}), "
        f"a placeholder ({' '.join(PLACEHOLDER_GLYPHS)}), empty (blank) or {WIDE_ABSENT} (absent)"
    )
