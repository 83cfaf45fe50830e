"""Table 3 rows printed without their labels, placed by layout order when nothing else fits.

PDF-to-Markdown converters sometimes emit the label cells of some table 3 rows as loose
lines outside the table (the labels stand above it as prose) and leave the rows' figures
in the table with an empty label cell: ``| | 6 | 1 | 0 | 0 | 0 | 0 | 7 |``.  Such a row
names no row, so it could be any row of the table.  It is placed only when its place is
certain:

1. **Unique by layout order.**  The rows without a label, in printed order, are exactly as
   many as the table 3 rows not found; the i-th is the i-th row not found in layout order.
   Each must also fall between the rows printed around it (a row without a label printed
   after ``（四）无法提供/1.`` cannot be a row before it).
2. **Every identity then holds.**  With the rows placed, every identity of table 3 that
   involves one of them (its row total, （七）总计 = Σ outcome rows and the balance, per
   column) must be checkable — every one of its cells read, a count — and hold.

Then the rows are placed with one ``rows-by-order`` note naming each.  Otherwise nothing is
placed: each row stays an ``unknown-row`` error with its numbers, the rows not found stay
``missing-row``, and one ``rows-not-by-order`` warning says why.  A figure is never put in
a row it might not belong to.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence

import attrs

from opengov._codec import read_cell
from opengov._errors import Location, Severity
from opengov._grid import GridCell
from opengov._model import CellValue
from opengov._result import CellKey
from opengov.layout import Format, Kind, cell_index

from .sink import Sink

__all__ = ["Unlabelled", "place_by_order"]

_RULES = ("t3-row-total", "t3-outcomes", "t3-balance")


@attrs.frozen(kw_only=True)
class Unlabelled:
    """A table 3 row printed without a label: its value cells (in column order), where it
    was printed, and the keys of the labelled rows printed before and after it (None at
    the table's ends)."""

    values: tuple[GridCell, ...]
    location: Location | None
    after: str | None
    before: str | None = None


def _why_not(
    fmt: Format,
    rows: Sequence[Unlabelled],
    missing: Sequence[str],
    trial: Mapping[CellKey, CellValue | None],
) -> str | None:
    """Why the i-th row cannot be the i-th missing row (None when every check passes)."""
    if len(rows) != len(missing):
        return f"{len(rows)} rows without a label for {len(missing)} rows not found: the assignment is not unique"
    order = {key: n for n, (key, _) in enumerate(cell_index(fmt).rows("table3"))}
    for row, key in zip(rows, missing, strict=True):
        if (row.after is not None and order[key] < order[row.after]) or (
            row.before is not None and order[key] > order[row.before]
        ):
            return "the rows without a label are not where the rows not found belong in layout order"
    assigned = set(missing)
    for identity in cell_index(fmt).identities_of(*_RULES):
        if not any(cell[1] in assigned for cell in identity.cells):
            continue
        total = 0
        for cell, coefficient in identity.terms:
            value = trial.get(cell)
            if not isinstance(value, int):
                return f"identity {identity.rule} on {identity.about[1]}/{identity.about[2]} cannot be checked"
            total += coefficient * value
        if total:
            return f"identity {identity.rule} on {identity.about[1]}/{identity.about[2]} fails with them"
    return None


def place_by_order(
    fmt: Format,
    rows: Sequence[Unlabelled],
    missing: Sequence[str],
    columns: Sequence[str],
    cells: dict[CellKey, CellValue | None],
    locations: dict[CellKey, Location],
    labels: Mapping[str, str],
    sink: Sink,
) -> list[str]:
    """Place ``rows`` (printed without labels, in printed order) in the ``missing`` table 3
    rows (layout order) when the module's rules allow; returns the keys placed (``[]``
    otherwise, with a ``rows-not-by-order`` warning).  ``columns`` are the value cells'
    column keys (a column not of the table, the 法人或其他组织 subtotal, is skipped);
    ``labels`` names rows in messages."""
    trial = dict(cells)
    placed: dict[CellKey, tuple[CellValue | None, Location | None]] = {}
    readable = True
    for row, key in zip(rows, missing, strict=False):
        for column, cell in zip(columns, row.values, strict=True):
            if ("table3", key, column) not in cells and column in _column_keys(fmt):
                reading = read_cell(cell.text, Kind.COUNT)
                if reading.note is not None and reading.note[0] is not Severity.INFO:
                    readable = False
                trial[("table3", key, column)] = reading.value
                placed[("table3", key, column)] = (reading.value, cell.location)
    why = _why_not(fmt, rows, missing, trial) if readable else "a cell of them cannot be read as a count"
    first = rows[0].location
    if why is not None:
        sink.add(
            Severity.WARNING,
            "rows-not-by-order",
            f"table3: {len(rows)} rows printed without a label were not placed by layout order: {why}",
            first,
        )
        return []
    for address, (value, location) in placed.items():
        cells[address] = value
        if location is not None:
            locations[address] = location
    named = ", ".join(repr(labels[key]) for key in missing)
    sink.add(
        Severity.INFO,
        "rows-by-order",
        f"table3: {len(rows)} rows printed without a label placed by layout order as {named} "
        "(the only placement in order, and every identity of table 3 through them holds)",
        first,
    )
    return list(missing)


@functools.cache
def _column_keys(fmt: Format) -> frozenset[str]:
    return frozenset(spec.column for spec in cell_index(fmt).table("table3"))
