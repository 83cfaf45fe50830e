"""A grid's rows as the table readers see them: label cells, value cells, header or not.

Each line of a grid (:func:`opengov._grid.lines_of`) becomes a :class:`Row`: its trailing
cells that read as values (:func:`value_side`) are the values, the non-empty cells before
them the labels.  Everything here is a pure function of the grid.
"""

from __future__ import annotations

import functools
import operator
import re
from typing import NamedTuple

from opengov._assemble.vocab import all_header_words, loose
from opengov._codec import has_digit, is_value_text
from opengov._errors import Location
from opengov._grid import Grid, GridCell, lines_of

__all__ = ["Row", "digits", "label_parts", "rows_of", "value_side"]

_NUMERIC_ISH = re.compile(r"[\s0-9０-９+\-－,，.．万元件个项次条]*[0-9０-９][\s0-9０-９+\-－,，.．万元件个项次条]*")
_CJK = re.compile(r"[\u3400-\u9fff]")


class Row(NamedTuple):
    """One grid row."""

    labels: tuple[GridCell, ...]
    """The non-empty cells before the values."""
    values: tuple[GridCell, ...]
    """The trailing cells that read as values (:func:`value_side`)."""
    header: bool
    """Whether a cell of the row is a header cell (grids that mark header cells)."""
    location: Location | None
    """Where the row's first cell is."""
    parts: tuple[str, ...]
    """The label texts split at ``/`` path separators (:func:`label_parts`)."""
    has_digits: bool
    """Whether a value cell holds a digit."""


_STRAY_MARKS = frozenset("OoＯｏxXｘＸ?？*＊#＃")
"""Characters that, alone or two of them in a cell, are no label: an OCR misreading of a
zero, a mark typed for a figure (``O``, ``x``, ``?``, ``*``)."""


@functools.lru_cache(maxsize=4096)
def value_side(text: str) -> bool:
    """Whether a cell belongs to a row's values: a cell state, digits without words
    (``2648-18538``, ``22 738x``), a text without words holding the replacement character
    ``U+FFFD`` (a reader's mark of a glyph it could not place, e.g. a PDF's figure printed
    across a ruling line), or one or two stray marks no label is made of (``O``, ``x``,
    ``?``, :data:`_STRAY_MARKS`): unreadable values, reported as such (the row's other
    figures are placed, where a mark read as a label made the row unknown)."""
    if is_value_text(text) or _NUMERIC_ISH.fullmatch(text) or (has_digit(text) and _CJK.search(text) is None):
        return True
    stripped = text.strip()
    if _CJK.search(stripped) is None and "\ufffd" in stripped:
        return True  # a glyph a reader could not place (U+FFFD): an unreadable value
    return 0 < len(stripped) <= 2 and all(c in _STRAY_MARKS for c in stripped)


@functools.lru_cache(maxsize=4096)
def label_parts(text: str) -> tuple[str, ...]:
    """One label cell's text split at ``/`` path separators (a header word that holds a
    ``/`` is kept whole), each part stripped."""
    if "/" not in text:
        return (text.strip(),)
    if loose(text) in all_header_words():
        return (text.strip(),)
    return tuple(p.strip() for p in text.split("/") if p.strip())


def digits(row: Row) -> tuple[str, ...]:
    """The value texts of a row that hold digits, stripped."""
    return tuple(c.text.strip() for c in row.values if has_digit(c.text))


_IS_HEADER = operator.attrgetter("header")
_TEXT = operator.attrgetter("text")


@functools.lru_cache(maxsize=4096)
def _has_digit(text: str) -> bool:
    """:func:`opengov._codec.has_digit`, cached (value texts recur: 0, 1, placeholders)."""
    return has_digit(text)


_new_row = functools.partial(tuple.__new__, Row)
"""``Row`` from a tuple of its fields, without the keyword-taking ``Row.__new__``."""


def rows_of(grid: Grid) -> list[Row]:
    """The grid's rows, top to bottom."""
    # text and box-drawn grids have no header cells; in a grid whose every cell is one
    # (a page that writes <th> for <td>), the marks tell no header from data
    headed = any(map(_IS_HEADER, grid.cells)) and not all(map(_IS_HEADER, grid.cells))
    rows: list[Row] = []
    for cells in lines_of(grid):
        i = len(cells)
        while i:
            text = cells[i - 1].text
            # a plain figure (most value cells) at once: seldom recurring, not worth a cache entry
            if not ((text.isdigit() and text.isascii()) or value_side(text)):
                break
            i -= 1
        if i:
            labels = tuple([c for c in cells[:i] if c.text.strip()])
            if len(labels) == 1:
                parts = label_parts(labels[0].text)
            else:
                parts = ()
                for cell in labels:
                    parts += label_parts(cell.text)
        else:
            labels = parts = ()
        values = tuple(cells[i:])
        header = headed and any(map(_IS_HEADER, cells))
        location = cells[0].location if cells else None
        rows.append(_new_row((labels, values, header, location, parts, any(map(_has_digit, map(_TEXT, values))))))
    return rows
