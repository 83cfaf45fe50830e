"""What every rule function receives: the report's cells, flattened once, and helpers.

Private: rule functions take a :class:`Context` and yield :class:`Finding` objects.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

import attrs

from opengov._errors import Location, Severity
from opengov._model import Blank, CellValue, Placeholder, Report
from opengov._result import ParseResult
from opengov.layout import Format, Kind, layout_for

from .finding import CellKey, Finding

if TYPE_CHECKING:
    from .registry import Rule

BlankPolicy = Literal["undecided", "zero"]

T2, T3, T4 = "table2", "table3", "table4"


@attrs.frozen(kw_only=True)
class CellInfo:
    """Static facts about one cell position of a format."""

    key: CellKey
    row_label: str
    column_label: str
    kind: Kind
    unit: str | None
    direct: bool = False
    """Table 2: the cell is held directly by the table record (2021 single-cell rows)."""


@attrs.frozen(kw_only=True)
class Identity:
    """``Σ coef·cell = 0``; the cell it is *about* has coefficient +1, so the difference
    ``Σ coef·cell`` is the about cell's printed value minus its expected value."""

    rule: str
    kind: Literal["row", "column", "block"]
    about: CellKey
    terms: tuple[tuple[CellKey, int], ...]


@attrs.frozen(kw_only=True)
class Evaluation:
    """An identity evaluated on one report."""

    identity: Identity
    difference: int | None
    """printed − expected, or None when a cell could not be used."""
    expected: int | None
    """What the about cell should hold given the others (None if another cell is unusable)."""
    blanks: tuple[CellKey, ...]


@attrs.frozen(kw_only=True)
class Index:
    """Every cell position of one format, in layout order, with labels and identities."""

    format: Format
    cells: Mapping[CellKey, CellInfo]
    table2: tuple[CellInfo, ...]
    table3: tuple[CellInfo, ...]
    table4: tuple[CellInfo, ...]
    t3_identities: tuple[Identity, ...]
    t4_identities: tuple[Identity, ...]
    t3_membership: Mapping[CellKey, tuple[tuple[Identity, int], ...]]
    t3_rows: tuple[tuple[str, tuple[CellKey, ...]], ...]
    outcome_rows: tuple[str, ...]
    """Table 3 rows in order with their cell keys (in column order)."""
    t3_getter: Callable[[Any], tuple[Any, ...]]
    t4_rows: tuple[tuple[str, tuple[CellKey, ...]], ...]
    t4_getter: Callable[[Any], tuple[Any, ...]]
    """For every table 3 cell: the identities it takes part in, with its coefficient."""


@functools.cache
def index_for(fmt: Format) -> Index:
    """The (cached) index of one format."""
    lay = layout_for(fmt)
    from opengov._model import TABLE2_TYPES

    t2_fields = attrs.fields_dict(TABLE2_TYPES[fmt])
    table2 = tuple(
        CellInfo(
            key=(T2, row.key, column.key),
            row_label=row.label,
            column_label=column.label,
            kind=column.kind,
            unit=column.unit,
            direct=t2_fields[row.key].metadata.get("column") is not None,
        )
        for _block, row, column in lay.table2.cells()
    )
    t3 = lay.table3
    table3 = tuple(
        CellInfo(
            key=(T3, row.key, column.key),
            row_label=f"{group.label}/{row.label}" if group else row.label,
            column_label=column.label,
            kind=Kind.COUNT,
            unit=None,
        )
        for group, row, column in t3.cells()
    )
    table4 = tuple(
        CellInfo(
            key=(T4, block.key, column.key),
            row_label=block.label,
            column_label=column.label,
            kind=Kind.COUNT,
            unit=None,
        )
        for block, column in lay.table4.cells()
    )
    parts = tuple(c.key for c in t3.columns if c.key != "total")
    t3_ids: list[Identity] = [
        Identity(
            rule="t3-row-total",
            kind="row",
            about=(T3, row.key, "total"),
            terms=(((T3, row.key, "total"), 1), *(((T3, row.key, p), -1) for p in parts)),
        )
        for row in t3.rows
    ]
    for column in t3.columns:
        c = column.key
        t3_ids.append(
            Identity(
                rule="t3-outcomes",
                kind="column",
                about=(T3, "total_handled", c),
                terms=(((T3, "total_handled", c), 1), *(((T3, r, c), -1) for r in t3.outcome_rows)),
            )
        )
        t3_ids.append(
            Identity(
                rule="t3-balance",
                kind="column",
                about=(T3, "carried_forward", c),
                terms=(
                    ((T3, "carried_forward", c), 1),
                    ((T3, "new_received", c), -1),
                    ((T3, "carried_over", c), -1),
                    ((T3, "total_handled", c), 1),
                ),
            )
        )
    t4_parts = tuple(c.key for c in lay.table4.columns if c.key != "total")
    t4_ids = tuple(
        Identity(
            rule="t4-block",
            kind="block",
            about=(T4, block.key, "total"),
            terms=(((T4, block.key, "total"), 1), *(((T4, block.key, p), -1) for p in t4_parts)),
        )
        for block in lay.table4.blocks
    )
    cells = {info.key: info for info in (*table2, *table3, *table4)}
    membership: dict[CellKey, list[tuple[Identity, int]]] = {}
    for identity in t3_ids:
        for key, coef in identity.terms:
            membership.setdefault(key, []).append((identity, coef))
    return Index(
        format=fmt,
        cells=cells,
        table2=table2,
        table3=table3,
        table4=table4,
        t3_identities=tuple(t3_ids),
        t4_identities=t4_ids,
        t3_membership={k: tuple(v) for k, v in membership.items()},
        t3_rows=tuple((r.key, tuple((T3, r.key, c.key) for c in t3.columns)) for r in t3.rows),
        outcome_rows=t3.outcome_rows,
        t3_getter=operator.attrgetter(*(c.key for c in t3.columns)),
        t4_rows=tuple((b.key, tuple((T4, b.key, c.key) for c in lay.table4.columns)) for b in lay.table4.blocks),
        t4_getter=operator.attrgetter(*(c.key for c in lay.table4.columns)),
    )


def _unwrap(source: Report | ParseResult) -> tuple[Report, Mapping[CellKey, Location]]:
    if isinstance(source, ParseResult):
        return source.report, source.locations or {}
    if isinstance(source, Report):
        return source, {}
    raise TypeError(f"check() takes an opengov.Report or an opengov.ParseResult, got {type(source).__name__}")


def _table_values(report: Report, index: Index) -> dict[CellKey, CellValue | None]:
    values: dict[CellKey, CellValue | None] = {}
    t2 = report.table2
    if t2 is not None:
        for info in index.table2:
            _, row, column = info.key
            holder: Any = getattr(t2, row, None)
            values[info.key] = holder if info.direct else getattr(holder, column, None)
    t3 = report.table3
    if t3 is not None:
        getter = index.t3_getter
        for row, keys in index.t3_rows:
            values.update(zip(keys, getter(getattr(t3, row)), strict=True))
    t4 = report.table4
    if t4 is not None:
        getter = index.t4_getter
        for block, keys in index.t4_rows:
            values.update(zip(keys, getter(getattr(t4, block)), strict=True))
    return values


def as_int(value: object, policy: BlankPolicy) -> int | None:
    """The integer a count cell contributes to arithmetic, or None when it cannot be used.

    Integers (of any sign) are used as printed.  Blank, placeholder and absent cells are
    unusable, or 0 under ``blanks="zero"``.  Amounts (decimals or units in a count column)
    and anything else are always unusable.
    """
    if type(value) is int:
        return value
    if policy == "zero" and (value is None or isinstance(value, (Blank, Placeholder))):
        return 0
    if isinstance(value, int) and not isinstance(value, bool):
        return int(value)
    return None


class Context:
    """One check run: the report (and previous report) flattened, and finding helpers."""

    def __init__(
        self,
        source: Report | ParseResult,
        previous: Report | ParseResult | None,
        blanks: BlankPolicy,
        rules: Mapping[str, Rule],
    ) -> None:
        self.report, self.locations = _unwrap(source)
        if previous is not None:
            self.previous: Report | None
            self.previous, _ = _unwrap(previous)
        else:
            self.previous = None
        if blanks not in ("undecided", "zero"):
            raise ValueError(f'blanks must be "undecided" or "zero", got {blanks!r}')
        self.blanks: BlankPolicy = blanks
        self.rules = rules
        self.index = index_for(Format(self.report.format))
        self.values = _table_values(self.report, self.index)
        self.previous_index = index_for(Format(self.previous.format)) if self.previous is not None else None
        self.previous_values = (
            _table_values(self.previous, self.previous_index)
            if self.previous is not None and self.previous_index is not None
            else {}
        )
        self._ints: dict[CellKey, int | None] | None = None
        self.odd: tuple[tuple[CellKey, CellValue | None], ...] = tuple(
            (k, v) for k, v in self.values.items() if type(v) is not int or v < 0
        )
        """The cells that are not non-negative integers (the only ones cell rules look at)."""
        self._t3: tuple[Evaluation, ...] | None = None
        self._t4: tuple[Evaluation, ...] | None = None

    # -- values ------------------------------------------------------------------------

    @property
    def ints(self) -> dict[CellKey, int | None]:
        """Table 3 and 4 cells as the integers they contribute (None: unusable); computed once."""
        if self._ints is None:
            policy = self.blanks
            self._ints = {
                key: (v if type(v) is int else as_int(v, policy)) for key, v in self.values.items() if key[0] != T2
            }
        return self._ints

    def int_of(self, key: CellKey) -> int | None:
        """The integer a cell of this report contributes (see :func:`as_int`)."""
        if self._ints is not None and key in self._ints:
            return self._ints[key]
        return as_int(self.values.get(key), self.blanks)

    def previous_int_of(self, key: CellKey) -> int | None:
        """The integer a cell of the previous report contributes."""
        return as_int(self.previous_values.get(key), self.blanks)

    def has_table(self, table: str) -> bool:
        return getattr(self.report, table) is not None

    def evaluate(self, identity: Identity) -> Evaluation:
        """Evaluate one identity on this report."""
        ints = self.ints
        total = 0
        blanks: list[CellKey] = []
        for key, coef in identity.terms:
            v = ints.get(key)
            if v is None:
                blanks.append(key)
            else:
                total += coef * v
        if not blanks:
            printed = ints[identity.about]
            assert printed is not None
            return Evaluation(identity=identity, difference=total, expected=printed - total, blanks=())
        expected = -total if blanks == [identity.about] else None
        return Evaluation(identity=identity, difference=None, expected=expected, blanks=tuple(blanks))

    def _problems(self, identities: tuple[Identity, ...]) -> tuple[Evaluation, ...]:
        """The identities that are broken or undecided (a fast pass; holding ones are dropped)."""
        ints = self.ints
        out = []
        for identity in identities:
            total = 0
            for key, coef in identity.terms:
                v = ints.get(key)
                if v is None:
                    out.append(self.evaluate(identity))
                    break
                total += coef * v
            else:
                if total:
                    out.append(self.evaluate(identity))
        return tuple(out)

    def table3_evaluations(self) -> tuple[Evaluation, ...]:
        """The table 3 identities that are broken or undecided (cached for the run)."""
        if self._t3 is None:
            if not self.has_table(T3) or self._table3_holds():
                self._t3 = ()
            else:
                self._t3 = self._problems(self.index.t3_identities)
        return self._t3

    def _table3_holds(self) -> bool:
        """Fast path: every table 3 cell is an integer and every identity holds."""
        t3 = self.report.table3
        getter = self.index.t3_getter
        rows = {}
        for row, _keys in self.index.t3_rows:
            values = getter(getattr(t3, row))
            for v in values:
                if type(v) is not int:
                    return False
            if values[6] != sum(values[:6]):
                return False
            rows[row] = values
        outcomes = [rows[r] for r in self.index.outcome_rows]
        handled, received = rows["total_handled"], rows["new_received"]
        over, forward = rows["carried_over"], rows["carried_forward"]
        for c, column_sum in enumerate(map(sum, zip(*outcomes, strict=True))):
            if handled[c] != column_sum or received[c] + over[c] != handled[c] + forward[c]:
                return False
        return True

    def table4_evaluations(self) -> tuple[Evaluation, ...]:
        """The table 4 identities that are broken or undecided (cached for the run)."""
        if self._t4 is None:
            self._t4 = self._problems(self.index.t4_identities) if self.has_table(T4) else ()
        return self._t4

    # -- findings ----------------------------------------------------------------------

    def label(self, key: CellKey) -> str:
        """``row label / column label`` of a cell, for messages."""
        info = self.index.cells.get(key)
        if info is None:
            return "/".join(key)
        return f"{info.row_label}/{info.column_label}"

    def finding(
        self,
        rule: str,
        message_zh: str,
        message_en: str,
        *,
        key: CellKey | None = None,
        printed: CellValue | None = None,
        expected: int | Decimal | None = None,
        difference: int | Decimal | None = None,
        cells: Sequence[CellKey] = (),
        blanks: Sequence[CellKey] = (),
        previous_cells: Sequence[CellKey] = (),
        identity: str | None = None,
        text: str | None = None,
        table: str | None = None,
        severity: Severity | None = None,
    ) -> Finding:
        """A finding of ``rule`` about cell ``key`` (labels and locations filled in)."""
        row = column = row_label = column_label = None
        if key is not None:
            table, row, column = key
            info = self.index.cells.get(key)
            if info is not None:
                row_label, column_label = info.row_label, info.column_label
        locations = {k: self.locations[k] for k in (*cells, *blanks) if k in self.locations}
        return Finding(
            rule=rule,
            severity=severity or self.rules[rule].severity,
            message_zh=message_zh,
            message_en=message_en,
            table=table,
            row=row,
            row_label=row_label,
            column=column,
            column_label=column_label,
            printed=printed,
            expected=expected,
            difference=difference,
            cells=tuple(cells),
            blanks=tuple(blanks),
            previous_cells=tuple(previous_cells),
            identity=identity,
            text=text,
            locations=locations,
        )


def signed(value: int | Decimal) -> str:
    """``+3``/``-2``/``0``."""
    return f"{value:+}" if value else "0"


def iter_cells(ctx: Context) -> Iterator[tuple[CellInfo, CellValue | None]]:
    """Every cell position of the tables the report has, with its value."""
    for key, value in ctx.values.items():
        yield ctx.index.cells[key], value


def table_zh(table: str) -> str:
    """表二/表三/表四."""
    return {"table2": "表二", "table3": "表三", "table4": "表四"}.get(table, table)


def table_en(table: str) -> str:
    """Table 2/3/4."""
    return {"table2": "Table 2", "table3": "Table 3", "table4": "Table 4"}.get(table, table)
