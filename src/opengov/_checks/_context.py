"""What every rule function receives: a :class:`Context` over the :class:`Facts` of the
report (and of last year's report), with helpers to evaluate the layout's identities and to
make findings.

The structure (cells, labels, kinds, units, identities) is the layout's cell index,
:func:`opengov.layout.cell_index`; the cell values are read with
:func:`opengov._model.cell_values`.

Private: rule functions take a :class:`Context` and yield :class:`Finding` objects.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

import attrs

from opengov._errors import Location, Severity
from opengov._model import Blank, CellValue, Placeholder, Report, cell_values
from opengov._result import ParseResult
from opengov.layout import SECTIONS, TABLES, CellIndex, CellSpec, Format, Identity, cell_index

from .finding import CellKey, Finding

if TYPE_CHECKING:
    from .registry import Rule

BlankPolicy = Literal["undecided", "zero"]

T2, T3, T4 = "table2", "table3", "table4"

PROSE_SECTIONS: tuple[str, ...] = tuple(s.key for s in SECTIONS if s.table is None)
"""The keys of the prose sections (``overview``, ``problems``, ``other_matters``)."""

_value_of = operator.itemgetter(1)


@functools.cache
def _keys(fmt: Format, tables: tuple[str, ...]) -> tuple[CellKey, ...]:
    """The addresses of every cell of ``tables``, in the order :func:`cell_values` yields them."""
    index = cell_index(fmt)
    return tuple(spec.key for table in tables for spec in index.table(table))


def _unwrap(source: Report | ParseResult) -> tuple[Report, Mapping[CellKey, Location]]:
    if isinstance(source, ParseResult):
        return source.report, source.locations or {}
    if isinstance(source, Report):
        return source, {}
    raise TypeError(f"check() takes an opengov.Report or an opengov.ParseResult, got {type(source).__name__}")


@attrs.frozen(kw_only=True)
class Facts:
    """What the rules read of one report: its format and year, the tables it holds, its
    cell values, where they were printed, and its prose sections.

    Built from a whole report by :meth:`of`; a carry-over record
    (:mod:`opengov._checks.carry`) makes the few facts the previous-year rules read.
    """

    format: Format
    year: int | None
    tables: frozenset[str]
    """The tables the report holds (``"table2"`` …)."""
    values: Mapping[CellKey, CellValue | None]
    """Cell values by address (the cells of a table the report does not hold are left out)."""
    locations: Mapping[CellKey, Location] = attrs.field(factory=dict)
    """Where cells were printed in the source document, when known."""
    prose: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    """The paragraphs of the prose sections, by section key (see :data:`PROSE_SECTIONS`)."""

    @classmethod
    def of(cls, source: Report | ParseResult) -> Facts:
        """Every fact of a report (with the cell locations of a parse result)."""
        report, locations = _unwrap(source)
        fmt = Format(report.format)
        held = tuple(t for t in TABLES if getattr(report, t) is not None)
        return cls(
            format=fmt,
            year=report.year,
            tables=frozenset(held),
            values=dict(zip(_keys(fmt, held), map(_value_of, cell_values(report)), strict=True)),
            locations=locations,
            prose={key: getattr(report, key) for key in PROSE_SECTIONS},
        )


@attrs.frozen(kw_only=True)
class Evaluation:
    """An identity evaluated on one report."""

    identity: Identity
    difference: int | None
    """printed − expected, or None when a cell could not be used."""
    expected: int | None
    """What the about cell should hold given the others (None if another cell is unusable)."""
    blanks: tuple[CellKey, ...]


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


@functools.cache
def _identities(fmt: Format, table: str) -> tuple[tuple[Identity, tuple[CellKey, ...], tuple[CellKey, ...]], ...]:
    """The identities about cells of ``table``, each with the cells it adds and the cells it
    subtracts (a cell whose coefficient is ±n is listed n times)."""
    return tuple(
        (
            identity,
            tuple(key for key, coef in identity.terms for _ in range(coef)),
            tuple(key for key, coef in identity.terms for _ in range(-coef)),
        )
        for identity in cell_index(fmt).identities
        if identity.about[0] == table
    )


class Context:
    """One check run: the facts of the report (and of the previous report), the layout's
    cell index, and the helpers rules use to evaluate identities and make findings."""

    def __init__(
        self,
        current: Facts,
        previous: Facts | None = None,
        *,
        blanks: BlankPolicy = "undecided",
        rules: Mapping[str, Rule],
    ) -> None:
        if blanks not in ("undecided", "zero"):
            raise ValueError(f'blanks must be "undecided" or "zero", got {blanks!r}')
        self.current = current
        self.previous = previous
        self.blanks: BlankPolicy = blanks
        self.rules = rules
        self.index: CellIndex = cell_index(current.format)
        self.values = current.values
        self.locations = current.locations
        self.previous_values: Mapping[CellKey, CellValue | None] = previous.values if previous is not None else {}

    @classmethod
    def of(
        cls,
        source: Report | ParseResult,
        previous: Report | ParseResult | None,
        blanks: BlankPolicy,
        rules: Mapping[str, Rule],
    ) -> Context:
        """The context of ``check(source, previous, blanks=blanks)``."""
        current = Facts.of(source)
        before = Facts.of(previous) if previous is not None else None
        return cls(current, before, blanks=blanks, rules=rules)

    # -- values ------------------------------------------------------------------------

    @functools.cached_property
    def odd(self) -> tuple[tuple[CellKey, CellValue | None], ...]:
        """The cells that are not non-negative integers (the only ones cell rules look at)."""
        return tuple((k, v) for k, v in self.values.items() if type(v) is not int or v < 0)

    @functools.cached_property
    def ints(self) -> dict[CellKey, int]:
        """The usable table 3 and 4 cells, as the integers they contribute (an unusable cell
        is left out; see :func:`as_int`)."""
        policy = self.blanks
        return {
            key: n
            for key, v in self.values.items()
            if key[0] != T2 and (n := v if type(v) is int else as_int(v, policy)) is not None
        }

    def int_of(self, key: CellKey) -> int | None:
        """The integer a cell of this report contributes (see :func:`as_int`)."""
        return as_int(self.values.get(key), self.blanks)

    def previous_int_of(self, key: CellKey) -> int | None:
        """The integer a cell of the previous report contributes."""
        return as_int(self.previous_values.get(key), self.blanks)

    def has_table(self, table: str) -> bool:
        """Whether the report holds ``table``."""
        return table in self.current.tables

    def spec(self, key: CellKey) -> CellSpec:
        """The layout's description of a cell of this report's format."""
        return self.index.cell(key)

    # -- identities --------------------------------------------------------------------

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
            return Evaluation(identity=identity, difference=total, expected=printed - total, blanks=())
        expected = -total if blanks == [identity.about] else None
        return Evaluation(identity=identity, difference=None, expected=expected, blanks=tuple(blanks))

    def _problems(self, table: str) -> tuple[Evaluation, ...]:
        """The identities about cells of ``table`` that are broken or undecided, in the
        layout's order (a holding identity is passed over after one sum of its cells)."""
        if table not in self.current.tables:
            return ()
        get = self.ints.__getitem__
        out = []
        for identity, added, subtracted in _identities(self.current.format, table):
            try:
                if sum(map(get, added)) == sum(map(get, subtracted)):
                    continue
            except KeyError:  # an unusable cell: evaluate() names it
                pass
            out.append(self.evaluate(identity))
        return tuple(out)

    @functools.cached_property
    def _t3(self) -> tuple[Evaluation, ...]:
        return self._problems(T3)

    @functools.cached_property
    def _t4(self) -> tuple[Evaluation, ...]:
        return self._problems(T4)

    def table3_evaluations(self) -> tuple[Evaluation, ...]:
        """The table 3 identities that are broken or undecided (computed once per run)."""
        return self._t3

    def table4_evaluations(self) -> tuple[Evaluation, ...]:
        """The table 4 identities that are broken or undecided (computed once per run)."""
        return self._t4

    # -- findings ----------------------------------------------------------------------

    def label(self, key: CellKey) -> str:
        """``row label / column label`` of a cell, for messages."""
        if key not in self.index:
            return "/".join(key)
        spec = self.index.cell(key)
        return f"{spec.path_label}/{spec.column_label}"

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
            if key in self.index:
                spec = self.index.cell(key)
                row_label, column_label = spec.path_label, spec.column_label
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


def table_zh(table: str) -> str:
    """表二/表三/表四."""
    return {"table2": "表二", "table3": "表三", "table4": "表四"}.get(table, table)


def table_en(table: str) -> str:
    """Table 2/3/4."""
    return {"table2": "Table 2", "table3": "Table 3", "table4": "Table 4"}.get(table, table)
