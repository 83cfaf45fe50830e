"""Cell text → cell state: the inverse of :func:`opengov._model.cell_text`, tolerant of
real-world printing (full-width digits, thousands separators, units, NBSP).

Private: the assembler is the only caller.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from decimal import Decimal, InvalidOperation

import attrs

from opengov._errors import Severity
from opengov._model import BLANK, Amount, CellValue, Placeholder
from opengov.layout import COUNT_UNITS, MONEY_UNITS, PLACEHOLDER_GLYPHS, Kind

__all__ = ["CellReading", "read_cell", "is_value_text", "has_digit"]

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


@functools.lru_cache(maxsize=4096)
def read_cell(text: str, kind: Kind = Kind.COUNT) -> CellReading:
    """Read one cell's printed text as a cell state.

    ``""``/white space → ``BLANK``; a placeholder glyph → ``Placeholder``; ``36`` → 36
    (``Amount`` in a money column); ``12.50`` → ``Amount(12.50)``; ``1341万元`` →
    ``Amount(1341, "万元")``; ``3件`` → 3 with a note.  Anything else reads as ``None``
    with an error note.
    """
    if text.isdigit() and text.isascii():  # a plain figure: what the steps below give it
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
