"""What the solver knows about a row and a table, read from the layout's cell index.

Nothing here spells out an identity: the cells of a row, their kinds, the identities inside a
row (table 3's row total, table 4's block totals) and those between rows (table 3's outcome
sum and balance, per column) all come from :func:`opengov.layout.cell_index`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

import attrs

from opengov.layout import MONEY_UNITS, TABLES, CellKey, Format, Identity, Kind, cell_index, layout_for

__all__ = ["TABLE4_FLAT", "Group", "RowPlan", "RowIdentity", "row_plan", "row_identities"]

TABLE4_FLAT = "table4"
"""Row key of table 4 printed as one run of 15 numbers (no block labels in between)."""


@attrs.frozen(kw_only=True)
class Group:
    """Consecutive cells ``[start, stop)`` of a row; ``summed``: the last is the sum of the
    others (an identity of the index with that shape)."""

    start: int
    stop: int
    summed: bool


@attrs.frozen(kw_only=True)
class RowPlan:
    """One row as the solver cuts it: its cells in printed order and their identities."""

    table: str
    key: str
    cells: tuple[CellKey, ...]
    kinds: tuple[Kind, ...]
    groups: tuple[Group, ...]
    """The cells in printed order, cut into sum groups (parts then total) and free runs."""
    checks: tuple[tuple[tuple[int, int], ...], ...]
    """Identities inside the row that are not a sum group: ``(cell position, coefficient)``
    terms adding up to 0, checked on every reading."""
    totals: str
    """How the row's own identities are named in reasons (``its row total``), or ``""``."""
    bad: re.Pattern[str] = attrs.field(eq=False, repr=False)
    """Matches a character a cleaned run of this row may not hold."""
    max_length: int | None
    """The most characters the row's cells can hold (a sign and 12 digits each), or None
    when a money cell makes it unbounded."""
    position: Mapping[CellKey, int] = attrs.field(eq=False, repr=False)
    """Where each cell is in the row."""
    columns: Mapping[str, int] = attrs.field(eq=False, repr=False)
    """Where each column key is in the row (a row of one table: table 3's rows)."""
    integral: bool
    """Every cell holds an integer (no money cell)."""
    sums: tuple[tuple[int, int], ...]
    """``(start, stop)`` of each sum group: ``cells[stop − 1]`` = Σ ``cells[start:stop − 1]``."""
    has_sums: bool
    """The row has an identity of its own."""


MAX_DIGITS = 12
"""The longest number one cell may hold (integer part); longer runs must be several cells."""

_ORDINAL = re.compile(r"^(?:（[一二三四五六七八九十]+）|[一二三四五六七八九十]+(?=、)|\d+(?=\.))")


def row_plan(fmt: Format, table: str, key: str) -> RowPlan:
    """The plan of row ``key`` of ``table`` (a table 4 block, or :data:`TABLE4_FLAT`);
    ``KeyError`` naming it when the format has no such table or row."""
    found = _table_plans(fmt, table).get(key)
    if found is None:
        lay = layout_for(fmt)
        if table == "table3":
            lay.table3.row(key)  # KeyError naming the row
        elif table == "table4":
            lay.table4.block(key)
        else:
            lay.table2.row(key)
        raise KeyError(f"no {table} row {key!r}")
    return found


@functools.cache
def _table_plans(fmt: Format, table: str) -> dict[str, RowPlan]:
    """The plan of every row of ``table`` (for table 4: every block, and :data:`TABLE4_FLAT`),
    from one pass over the index."""
    if table not in TABLES:
        raise KeyError(f"unknown table {table!r}")
    index = cell_index(fmt)
    rows = {row: tuple(c.key for c in cells) for row, cells in index.rows(table)}
    if table == "table4":
        rows[TABLE4_FLAT] = tuple(key for cells in list(rows.values()) for key in cells)
    kinds_of = {c.key: c.kind for c in index.table(table)}
    within: dict[str, list[Identity]] = {}  # identities inside one row, by row
    for identity in index.identities:
        if identity.about[0] == table:
            touched = {cell[1] for cell in identity.cells}
            if len(touched) == 1:
                within.setdefault(touched.pop(), []).append(identity)
    plans: dict[str, RowPlan] = {}
    for key, cells in rows.items():
        if key in within:
            local = within[key]
        else:  # table 4 printed as one run: the identities inside each of its blocks
            members = {cell[1] for cell in cells}
            local = [i for row in members for i in within.get(row, ())]
        plans[key] = _plan(table, key, cells, tuple(kinds_of[c] for c in cells), local)
    return plans


def _plan(table: str, key: str, cells: tuple[CellKey, ...], kinds: tuple[Kind, ...], local: list[Identity]) -> RowPlan:
    position = {cell: i for i, cell in enumerate(cells)}
    sums: list[Group] = []
    checks: list[tuple[tuple[int, int], ...]] = []
    for identity in local:
        about = position[identity.about]
        parts = sorted(position[c] for c, k in identity.terms if c != identity.about)
        coefficients = {k for c, k in identity.terms if c != identity.about}
        taken = any(g.start <= p < g.stop for g in sums for p in (*parts, about))
        if coefficients == {-1} and parts == list(range(about - len(parts), about)) and not taken:
            sums.append(Group(start=about - len(parts), stop=about + 1, summed=True))
        else:
            checks.append(tuple((position[c], k) for c, k in identity.terms))
    groups: list[Group] = []
    at = 0
    for group in sorted(sums, key=lambda g: g.start):
        if group.start > at:
            groups.append(Group(start=at, stop=group.start, summed=False))
        groups.append(group)
        at = group.stop
    if at < len(cells):
        groups.append(Group(start=at, stop=len(cells), summed=False))
    kinds_of = {identity.kind for identity in local}
    totals = "its block totals" if "block" in kinds_of else "its row total" if local else ""
    allowed = "0123456789 "
    if Kind.SIGNED in kinds:
        allowed += "+-"
    if Kind.MONEY in kinds:
        allowed += "." + "".join(MONEY_UNITS)
    bounded = Kind.MONEY not in kinds
    return RowPlan(
        table=table,
        key=key,
        cells=cells,
        kinds=kinds,
        groups=tuple(groups),
        checks=tuple(checks),
        totals=totals,
        bad=re.compile("[^" + re.escape("".join(sorted(set(allowed)))) + "]"),
        max_length=len(cells) * (MAX_DIGITS + 1) if bounded else None,
        position=position,
        columns={c[2]: i for i, c in enumerate(cells)},
        integral=bounded,
        sums=tuple((g.start, g.stop) for g in groups if g.summed),
        has_sums=bool(local),
    )


@attrs.frozen(kw_only=True)
class RowIdentity:
    """An identity between whole rows of one table, holding in each of ``columns``:
    ``Σ coefficient × row = 0`` (table 3's outcome sum and balance).  ``name`` is how
    reasons call it."""

    rule: str
    name: str
    terms: tuple[tuple[str, int], ...]
    columns: tuple[str, ...]


@functools.cache
def row_identities(fmt: Format, table: str) -> tuple[RowIdentity, ...]:
    """The identities between rows of ``table``: the index's column identities grouped by
    rule and by their pattern of rows, fewest rows first."""
    index = cell_index(fmt)
    grouped: dict[tuple[str, tuple[tuple[str, int], ...]], list[str]] = {}
    for identity in index.identities:
        if identity.kind != "column" or identity.about[0] != table:
            continue
        columns = {c[2] for c, _ in identity.terms}
        if len(columns) != 1:
            continue  # not one column: not a row identity
        terms = tuple((c[1], k) for c, k in identity.terms)
        grouped.setdefault((identity.rule, terms), []).append(columns.pop())
    rows = [row for row, _ in index.rows(table)]
    order = {row: i for i, row in enumerate(rows)}
    found = [
        RowIdentity(
            rule=rule,
            name=_name(fmt, table, terms, order),
            terms=tuple(sorted(terms, key=lambda t: order[t[0]])),
            columns=tuple(columns),
        )
        for (rule, terms), columns in grouped.items()
    ]
    return tuple(sorted(found, key=lambda i: len(i.terms)))


def _name(fmt: Format, table: str, terms: tuple[tuple[str, int], ...], order: dict[str, int]) -> str:
    """``一 + 二 = （七） + 四``; a side of more than three rows that are table 3's outcome rows
    is "the sum of the outcome rows".  The side with fewer rows (then the earlier row) first."""
    lay = layout_for(fmt)
    sides = [sorted((r for r, k in terms if k == sign), key=order.__getitem__) for sign in (1, -1)]
    sides.sort(key=lambda side: (len(side), order[side[0]]))

    def ordinal(row: str) -> str:
        label = lay.table3.row(row).label if table == "table3" else row
        match = _ORDINAL.match(label)
        return match.group() if match else label

    def side(rows: list[str]) -> str:
        if len(rows) > 3 and table == "table3" and set(rows) == set(lay.table3.outcome_rows):
            return "the sum of the outcome rows"
        return " + ".join(ordinal(r) for r in rows)

    return f"{side(sides[0])} = {side(sides[1])}"
