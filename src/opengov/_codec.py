"""The cell-state codec: the one place where a cell state (count, amount with its unit,
blank, placeholder, absent) becomes text and JSON, and is read back.

* :func:`cell_text` — how a cell prints (every writer prints cells with it);
* :func:`read_cell` — printed text → state, tolerant of real-world printing (full-width
  digits, thousands separators, units, NBSP): the inverse of :func:`cell_text`;
* :func:`cell_to_json` / :func:`cell_from_json` — the JSON form of a cell;
* :func:`shown` — a cell in a message (``(blank)``, ``(absent)``, or as printed).

The CSV forms of a cell are written and read by :mod:`opengov._serialize` through these.
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
    "cell_to_json",
    "cell_from_json",
]

_UNITS = "|".join(re.escape(u) for u in sorted((*MONEY_UNITS, *COUNT_UNITS), key=len, reverse=True))
_NUMBER_RE = re.compile(
    r"(?P<sign>[+-]?)(?P<int>\d+)(?P<frac>\.\d+)?(?P<exp>[eE][+-]?\d+)?\s*(?P<unit>" + _UNITS + r")?"
)
_GROUPED_RE = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_SPACES = " \t\r\n\u00a0\u3000\u2002\u2003\u2009\u200b\ufeff"
_PLACEHOLDERS = frozenset(PLACEHOLDER_GLYPHS)
_DIGIT_RE = re.compile(r"[0-9\uff10-\uff19]")


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
    ``Amount(1341, "万元")``; ``3件`` → 3 with a note.  Anything else reads as ``None``
    with an error note.
    """
    if text.isdigit() and text.isascii() and len(text) <= MAX_FIGURE_DIGITS:  # a plain figure
        return CellReading(Amount(value=Decimal(text)) if kind is Kind.MONEY else int(text))
    stripped = text.strip(_SPACES)
    if not stripped:
        return CellReading(BLANK)
    if stripped in _PLACEHOLDERS:
        return CellReading(Placeholder(glyph=stripped))
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
    if not stripped or stripped in _PLACEHOLDERS:
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
