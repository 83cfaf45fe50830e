"""Patterns shared by the readers and the assembler, built once from the layout's vocabulary.

One place for what a page number looks like, so every reader and the assembler agree; and
one place for what a printed value looks like to a reader that must find cells in text
that lost its structure (a number with its unit, a placeholder glyph, a known label glued
to its digits).  The units and placeholders come from :mod:`opengov.layout`
(:data:`~opengov.layout.MONEY_UNITS`, :data:`~opengov.layout.COUNT_UNITS`,
:data:`~opengov.layout.PLACEHOLDER_GLYPHS`); nothing here spells them again.

These patterns find cells; they do not read them.  What a cell's text means (a count, an
amount, a placeholder) is decided by the assembler's cell reader.
"""

from __future__ import annotations

import re

from opengov.layout import COUNT_UNITS, MONEY_UNITS, PLACEHOLDER_GLYPHS

__all__ = [
    "PAGE_NUMBER",
    "is_page_number",
    "DIGITS",
    "UNITS",
    "PLACEHOLDER_MARKS",
    "PLACEHOLDER_WORDS",
    "VALUE_TOKEN",
    "UNIT_TOKEN",
    "GLUED_DIGITS",
    "GLUED_RUN_CHARS",
    "GLUED_ENDS",
    "VALUE_ENDS",
]

PAGE_NUMBER = re.compile(
    r"\s*(?:[-－—–‒_]+\s*\d{1,4}\s*[-－—–‒_]+|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}"
    r"|(?:https?|file)://\S+(?:\s*\d{1,4}\s*/\s*\d{1,4})?"
    r"|(?:(?:19|20)\d\d[/-]\d{1,2}[/-]\d{1,2}|\d{1,2}/\d{1,2}/(?:\d\d){1,2}),?\s*(?:上午|下午)?\s*"
    r"\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp][Mm])?(?:\s*\S.*)?)\s*"
)
"""A page-number line: ``- 4 -``, ``— 12 —``, ``第4页``, ``第4页，共12页``, ``4/12``, or the
furniture a web browser prints on every page of a page it prints: the page's address
(``https://…`` or ``file://…``, with ``3/6`` after it or not) and the date and time
(``2024/1/20 10:32``, ``2024/1/20 下午3:45``, ``1/20/24, 10:32 AM``; the page's title after
them or not).  Whole line, surrounding white space allowed."""


def is_page_number(text: str) -> bool:
    """Whether a whole line is a page number (``- 4 -``, ``第4页``, ``4/12``) or a browser's
    page header or footer (``https://… 3/6``, ``2024/1/20 10:32 <title>``)."""
    return PAGE_NUMBER.fullmatch(text) is not None


# ---------------------------------------------------------------------------------------
# Printed values (for readers that cut cells out of plain text)
# ---------------------------------------------------------------------------------------

DIGITS = "0123456789０１２３４５６７８９"
"""The digits a report prints: ASCII and full-width."""

_DIGIT = "[0-9０-９]"
_NUMBER_MARKS = ",，.．"
"""Thousands separators and decimal points, ASCII and full-width."""
_SIGNS = "+\\-－＋"
"""Signs before a number (a class body: ``-`` escaped)."""

UNITS: tuple[str, ...] = tuple(sorted((*MONEY_UNITS, *COUNT_UNITS), key=len, reverse=True))
"""Every unit a cell may print, longest first (``万元`` before ``元``)."""
_UNIT = "(?:" + "|".join(map(re.escape, UNITS)) + ")"

PLACEHOLDER_MARKS = "".join(g for g in PLACEHOLDER_GLYPHS if len(g) == 1 and not g.isalpha())
"""The one-character placeholder glyphs that are marks (``/``, ``-``, ``—``, ``×`` …): a
reader takes any of them printed once or twice (``--``, ``——``, ``/-``) as a value token."""
PLACEHOLDER_WORDS: tuple[str, ...] = tuple(g for g in PLACEHOLDER_GLYPHS if g.isalpha())
"""The placeholder glyphs that are words (``无``, ``不适用``, ``暂无``)."""
_MARK_CLASS = "[" + "".join(map(re.escape, PLACEHOLDER_MARKS)) + "]"
_UNCOVERED_GLYPHS = tuple(
    g for g in PLACEHOLDER_GLYPHS if not (len(g) <= 2 and all(ch in PLACEHOLDER_MARKS for ch in g))
)
"""The glyphs a mark printed once or twice does not cover: the words."""

VALUE_TOKEN = re.compile(
    f"[{_SIGNS}]?{_DIGIT}[0-9０-９{_NUMBER_MARKS}]*{_UNIT}?"
    f"|{_MARK_CLASS}{{1,2}}"
    + "".join("|" + re.escape(g) for g in _UNCOVERED_GLYPHS)
)
"""One white-space-free token that is a value (use ``fullmatch``): a number (sign, digits,
separators, decimal point; full-width allowed) with an optional unit, a placeholder mark
printed once or twice, or a placeholder word."""

UNIT_TOKEN = re.compile(_UNIT)
"""A unit printed as a token of its own (``36 件``; use ``fullmatch``)."""

GLUED_DIGITS = re.compile(
    f"(?P<label>.*?[^\\s0-9０-９{_NUMBER_MARKS}+\\-])\\s*"
    f"(?P<digits>{_DIGIT}[0-9０-９\\s+\\-.．]*{_UNIT}?)"
)
"""Text glued to a run of digits (``行政许可2629``, ``…数量200 000121``, ``收费1341万元``; use
``fullmatch``): ``label`` ends in a character that is no digit, separator or sign; ``digits``
is the run (digits, spaces, signs, decimal points) with an optional unit."""

GLUED_RUN_CHARS = DIGITS + " +-.．"
"""The characters of a glued run (a unit aside): what ``str.rstrip`` takes off to find the
label before it."""

GLUED_ENDS = frozenset(DIGITS + "+-.．" + "".join(u[-1] for u in UNITS))
"""The last characters :data:`GLUED_DIGITS`'s run may end in."""

VALUE_ENDS = frozenset(
    DIGITS
    + _NUMBER_MARKS
    + PLACEHOLDER_MARKS
    + "".join(w[-1] for w in PLACEHOLDER_WORDS)
    + "".join(u[-1] for u in UNITS)
) | GLUED_ENDS
"""The last characters of a value token, a unit token or a glued run: a line that ends in
none of them holds no value at its end."""
