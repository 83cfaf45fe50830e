"""What every rule function receives: a :class:`Context` over the :class:`Facts` of the
report (and of last year's report), with helpers to evaluate the layout's identities and to
make findings.

The structure (cells, labels, kinds, units, identities) is the layout's cell index,
:func:`opengov.layout.cell_index`; the cell values are read with
:func:`opengov._model.record_values`.

Private: rule functions take a :class:`Context` and yield :class:`Finding` objects.
"""

from __future__ import annotations

import functools
import math
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from itertools import chain
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal, TypeGuard

import attrs

from opengov._errors import Location, Severity
from opengov._model import Amount, Blank, CellValue, Placeholder, Report, group_total_values, record_values
from opengov._result import ParseResult
from opengov.layout import (
    COUNT_UNITS,
    SECTIONS,
    TABLES,
    CellIndex,
    CellSpec,
    Format,
    Identity,
    Stock,
    cell_index,
    layout_for,
)

from .culprit import Diagnosis, Equation, System
from .finding import CellKey, Finding, new_finding
from .grammar import Statement, read_sections

if TYPE_CHECKING:
    from .registry import Rule

BlankPolicy = Literal["undecided", "zero"]

T2, T3, T4 = "table2", "table3", "table4"

PROSE_SECTIONS: tuple[str, ...] = tuple(s.key for s in SECTIONS if s.table is None)
"""The keys of the prose sections (``overview``, ``problems``, ``other_matters``)."""


@functools.cache
def _table_keys(fmt: Format, table: str) -> tuple[CellKey, ...]:
    """The addresses of the cells of one table, in layout order (as :func:`cell_values` yields them)."""
    return tuple(spec.key for spec in cell_index(fmt).table(table))


def report_of(source: Report | ParseResult) -> tuple[Report, Mapping[CellKey, Location]]:
    """The report and its cell locations (none for a bare report); ``TypeError`` otherwise."""
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
    (:mod:`opengov._checks.carry`) makes the few facts the previous-year rules read, which
    is all :func:`opengov.check` reads of last year's report.
    """

    format: Format
    year: int | None
    tables: frozenset[str]
    """The tables the report holds (``"table2"`` …)."""
    values: Mapping[CellKey, CellValue | None]
    """Cell values by address (the cells of a table the report does not hold are left out)."""
    table_values: Mapping[str, tuple[CellValue | None, ...]] = attrs.field(factory=dict)
    """The values of every cell of a table, in layout order (``cell_index(format).table(t)``),
    for each table whose cells are all known: every table a whole report holds; none of a
    carry-over record (its identities are not evaluated)."""
    locations: Mapping[CellKey, Location] = attrs.field(factory=dict)
    """Where cells were printed in the source document, when known."""
    prose: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    """The paragraphs of the prose sections, by section key (see :data:`PROSE_SECTIONS`)."""
    group_totals: Mapping[CellKey, CellValue | None] = attrs.field(factory=dict)
    """The cells of the printed group totals table 3 holds (``CellIndex.group_totals``: a
    2021 ``other_processing`` printed as one row), by address; empty when none was printed."""

    @classmethod
    def of(cls, source: Report | ParseResult) -> Facts:
        """Every fact of a report (with the cell locations of a parse result)."""
        report, locations = report_of(source)
        fmt = Format(report.format)
        held = tuple(t for t in TABLES if getattr(report, t) is not None)
        table_values = {t: record_values(report, t) for t in held}
        keys = chain.from_iterable(_table_keys(fmt, t) for t in held)
        return cls(
            format=fmt,
            year=report.year,
            tables=frozenset(held),
            values=dict(zip(keys, chain.from_iterable(table_values.values()), strict=True)),
            table_values=table_values,
            locations=locations,
            prose={key: getattr(report, key) for key in PROSE_SECTIONS},
            group_totals={spec.key: value for spec, value in group_total_values(report)},
        )


@attrs.frozen(slots=False)  # fields set through __dict__, made with positional arguments: faster (see _evaluate)
class Evaluation:
    """An identity evaluated on one report."""

    identity: Identity
    difference: int | None
    """printed − expected, or None when a cell could not be used."""
    expected: int | None
    """What the about cell should hold given the others (None if another cell is unusable)."""
    blanks: tuple[CellKey, ...]
    """The cells that could not be used, in the order of the identity's terms."""
    index: int = 0
    """The identity's position in :func:`identity_plan` order."""
    partial: int = 0
    """The sum of the usable terms with their coefficients (printed − expected when every
    cell is usable)."""
    unusable: tuple[int, ...] = ()
    """The positions (in layout order) of :attr:`blanks`."""


def counted(value: object) -> int | None:
    """The count of an amount printed with a count unit (``1个``, ``3件``), else ``None``:
    a count with its unit is a count, not a wrong value."""
    if type(value) is Amount and value.unit in COUNT_UNITS and value.value == value.value.to_integral_value():
        return int(value.value)
    return None


_BLANK_TYPES = (Blank, Placeholder)


def as_int(value: object, policy: BlankPolicy) -> int | None:
    """The integer a count cell contributes to arithmetic, or None when it cannot be used.

    Integers (of any sign) are used as printed, and so is a whole amount printed with a
    count unit (``1个``).  Blank, placeholder and absent cells are unusable, or 0 under
    ``blanks="zero"``.  Other amounts (decimals, money units in a count column) and anything
    else are always unusable.
    """
    if type(value) is int:
        return value
    if policy == "zero" and (value is None or isinstance(value, (Blank, Placeholder))):
        return 0
    if isinstance(value, int) and not isinstance(value, bool):
        return int(value)
    return counted(value)


@attrs.frozen(kw_only=True)
class _Plan:
    """The identities about the cells of one table, by the positions of their cells in the
    table's layout order (:attr:`Facts.table_values`)."""

    keys: tuple[CellKey, ...]
    """The table's cells, in layout order."""
    position: Mapping[CellKey, int]
    """Each cell's position in :attr:`keys`."""
    identities: tuple[Identity, ...]
    terms: tuple[tuple[tuple[int, int], ...], ...]
    """Each identity's terms as ``(position, coefficient)``."""
    positions: tuple[tuple[int, ...], ...]
    """Each identity's cell positions, in the order of its terms."""
    about: tuple[int, ...]
    """The position of each identity's about cell."""
    cells: tuple[frozenset[int], ...]
    """The positions of each identity's cells."""
    added: tuple[Callable[[Sequence[int]], Sequence[int]], ...]
    """For each identity, what gets the values it adds (a cell of coefficient n, n times)."""
    subtracted: tuple[Callable[[Sequence[int]], Sequence[int]], ...]
    """For each identity, what gets the values it subtracts."""


def _getter(positions: list[int]) -> Callable[[Sequence[int]], Sequence[int]]:
    """``values → the values at positions`` (always a sequence, in one C-level call)."""
    if not positions:
        return operator.itemgetter(slice(0, 0))
    if len(positions) == 1:
        return operator.itemgetter(slice(positions[0], positions[0] + 1))
    return operator.itemgetter(*positions)


@functools.cache
def system(fmt: Format, table: str) -> System:
    """The identities about cells of ``table`` as a culprit :class:`System` (the order of
    :meth:`Context.differences`)."""
    return System.of((i.rule, i.about, i.terms) for i in identity_plan(fmt, table).identities)


@functools.cache
def cell_labels(fmt: Format) -> Mapping[CellKey, tuple[str, str]]:
    """Every cell's ``(path label, column label)`` (read once per format)."""
    return MappingProxyType({spec.key: (spec.path_label, spec.column_label) for spec in cell_index(fmt).cells})


@functools.cache
def label_texts(fmt: Format) -> Mapping[CellKey, str]:
    """Every cell's ``path label/column label``, as messages quote it (made once per format)."""
    return MappingProxyType({key: f"{zh}/{column}" for key, (zh, column) in cell_labels(fmt).items()})


@functools.cache
def names(fmt: Format) -> Mapping[CellKey, tuple[str, str]]:
    """Every cell as messages name it: ``表三“path label/column label”`` and
    ``Table 3, row/column`` (made once per format)."""
    return MappingProxyType(
        {
            key: (f"{table_zh(key[0])}“{zh}/{column}”", f"{table_en(key[0])}, {key[1]}/{key[2]}")
            for key, (zh, column) in cell_labels(fmt).items()
        }
    )


@functools.cache
def _parts(fmt: Format) -> Mapping[CellKey, tuple[CellKey, ...]]:
    """The parts of every total that is the sum of its row (table 3 总计) or block (table 4)."""
    return MappingProxyType(
        {
            i.about: tuple(key for key, _ in i.terms if key != i.about)
            for i in cell_index(fmt).identities
            if i.kind in ("row", "block")
        }
    )


@functools.cache
def identity_plan(fmt: Format, table: str) -> _Plan:
    """The identities about cells of ``table``, by the positions of their cells (once per format)."""
    keys = _table_keys(fmt, table)
    position = {key: i for i, key in enumerate(keys)}
    identities = tuple(i for i in cell_index(fmt).identities if i.about[0] == table)
    terms, cells, added, subtracted = [], [], [], []
    for identity in identities:
        these = [(position[key], coef) for key, coef in identity.terms]
        plus: list[int] = []  # a cell of coefficient n, n times
        minus: list[int] = []
        for p, coef in these:
            if coef > 0:
                plus += [p] * coef
            elif coef < 0:
                minus += [p] * -coef
        terms.append(tuple(these))
        cells.append(frozenset([p for p, _ in these]))
        added.append(_getter(plus))
        subtracted.append(_getter(minus))
    return _Plan(
        keys=keys,
        position=MappingProxyType(position),
        identities=identities,
        terms=tuple(terms),
        positions=tuple([tuple([p for p, _ in these]) for these in terms]),
        about=tuple([position[i.about] for i in identities]),
        cells=tuple(cells),
        added=tuple(added),
        subtracted=tuple(subtracted),
    )


def _all_ints(values: Sequence[object]) -> TypeGuard[Sequence[int]]:
    """Whether every value is an ``int`` (not a ``bool`` or another subclass)."""
    return set(map(type, values)) <= {int}


def _evaluate(plan: _Plan, k: int, numbers: Sequence[int], unusable: frozenset[int]) -> Evaluation:
    """Identity ``k`` of the plan evaluated on a table's numbers."""
    identity = plan.identities[k]
    total = sum(plan.added[k](numbers)) - sum(plan.subtracted[k](numbers))  # an unusable cell is 0 in numbers
    positions = list(filter(unusable.__contains__, plan.positions[k])) if unusable else []
    if not positions:
        printed = numbers[plan.about[k]]
        return Evaluation(identity, total, printed - total, (), k, total)
    expected = -total if positions == [plan.about[k]] else None
    keys = plan.keys
    # positional: a class called with keywords costs ≈ 0.4 µs more per call
    return Evaluation(identity, None, expected, tuple(map(keys.__getitem__, positions)), k, total, tuple(positions))


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
        self._tables: dict[str, tuple[Sequence[int], frozenset[int], frozenset[int]]] = {}
        """Each table's cells read as numbers (:meth:`numbers`), once per run."""
        self._ranges: dict[CellKey, tuple[int, float]] = {}
        """:meth:`cell_range` of each cell asked for, once per run."""

    # -- values ------------------------------------------------------------------------

    @functools.cached_property
    def odd(self) -> tuple[tuple[CellKey, CellValue | None], ...]:
        """The cells that are not non-negative integers (the only ones cell rules look at)."""
        return tuple([(k, v) for k, v in self.values.items() if type(v) is not int or v < 0])

    def int_of(self, key: CellKey) -> int | None:
        """The integer a cell of this report contributes (see :func:`as_int`)."""
        return as_int(self.values.get(key), self.blanks)

    def previous_int_of(self, key: CellKey) -> int | None:
        """The integer a cell of the previous report contributes."""
        return as_int(self.previous_values.get(key), self.blanks)

    def cell_range(self, key: CellKey) -> tuple[int, float]:
        """The counts a cell may hold, as ``(lowest, highest)``: an integer as printed; a blank,
        placeholder or absent 总计 the range of the sum of its parts; any other blank,
        placeholder or absent cell 0 … ∞ (0 under ``blanks="zero"``); anything else 0 … ∞."""
        value = self.values.get(key)
        if type(value) is int:
            return value, value
        known = self._ranges.get(key)
        if known is None:
            known = self._ranges[key] = self._range(key, value)
        return known

    def _range(self, key: CellKey, value: CellValue | None) -> tuple[int, float]:
        totals = self._parts
        parts = totals.get(key)
        zero = self.blanks == "zero"
        if parts:
            values = self.values
            lo, hi = 0, 0.0
            for part in parts:
                v = values.get(part)
                if type(v) is int:
                    lo, hi = lo + v, hi + v
                elif part in totals:
                    a, b = self.cell_range(part)
                    lo, hi = lo + a, hi + b
                elif not (zero and (v is None or isinstance(v, _BLANK_TYPES))):
                    hi = math.inf  # a part that is not a total: 0 … ∞ (as below)
            return lo, hi
        if zero and (value is None or isinstance(value, _BLANK_TYPES)):
            return 0, 0
        return 0, math.inf

    @functools.cached_property
    def _parts(self) -> Mapping[CellKey, tuple[CellKey, ...]]:
        return _parts(self.current.format)

    @functools.cached_property
    def statements(self) -> tuple[tuple[str, int, Statement], ...]:
        """What the prose sections 一 and 六 state (``(section, paragraph from 1, statement)``),
        read by :mod:`opengov._checks.grammar`; a statement of a year other than the report's
        is left out (the fee statement excepted: it only needs to be there)."""
        prose = self.current.prose
        sections = {key: prose[key] for key in ("overview", "other_matters") if key in prose}
        year = self.current.year
        # a figure of another year (「2022年共收到申请30件」) is not this report's
        return tuple(
            (section, paragraph, statement)
            for section, paragraph, statement in read_sections(sections)
            if statement.year is None or year is None or statement.year == year or statement.subject == "fee"
        )

    def has_table(self, table: str) -> bool:
        """Whether the report holds ``table``."""
        return table in self.current.tables

    def spec(self, key: CellKey) -> CellSpec:
        """The layout's description of a cell of this report's format."""
        return self.index.cell(key)

    # -- identities --------------------------------------------------------------------

    def numbers(self, table: str) -> tuple[Sequence[int], frozenset[int]]:
        """The cells of a table (in layout order) as the integers they contribute to
        arithmetic (see :func:`as_int`), an unusable cell as 0; and the positions of the
        unusable cells (worked out once per run and table)."""
        numbers, unusable, _ = self._read(table)
        return numbers, unusable

    def all_located(self, table: str) -> bool:
        """Whether every cell of ``table`` has a location (as in a parsed document's tables)."""
        where = self.locations
        return bool(where) and all(map(where.__contains__, _table_keys(self.current.format, table)))

    def unusable_blanks(self, table: str) -> frozenset[int]:
        """The positions (in layout order) of the unusable cells of a table that are blank,
        placeholder or absent (the others are unusable for what they hold: an amount, a
        decimal)."""
        return self._read(table)[2]

    def _read(self, table: str) -> tuple[Sequence[int], frozenset[int], frozenset[int]]:
        read = self._tables.get(table)
        if read is None:
            read = self._tables[table] = self._convert(self.current.table_values[table])
        return read

    def _convert(self, values: Sequence[CellValue | None]) -> tuple[Sequence[int], frozenset[int], frozenset[int]]:
        if _all_ints(values):  # nothing to convert
            return values, frozenset(), frozenset()
        numbers = [v if type(v) is int else 0 for v in values]
        unusable = []
        blank = []
        zero = self.blanks == "zero"
        for i in [i for i, t in enumerate(map(type, values)) if t is not int]:
            v = values[i]
            if v is None or isinstance(v, _BLANK_TYPES):  # 0, or unusable (see as_int)
                if not zero:
                    unusable.append(i)
                    blank.append(i)
            elif (n := as_int(v, self.blanks)) is not None:
                numbers[i] = n
            else:
                unusable.append(i)
        return numbers, frozenset(unusable), frozenset(blank)

    def problems(self, table: str) -> tuple[Evaluation, ...]:
        """The identities about cells of ``table`` that are broken or undecided, in the
        layout's order.  Every identity's sums are taken (unusable cells counting 0, so they
        are plain integer sums); one whose sums differ or that has an unusable cell is
        evaluated."""
        if table not in self.current.table_values:
            return ()
        plan = identity_plan(self.current.format, table)
        numbers, unusable = self.numbers(table)
        return tuple(
            _evaluate(plan, k, numbers, unusable) for k, d in enumerate(self.differences(table)) if d is None or d
        )

    def differences(self, table: str) -> tuple[int | None, ...]:
        """Each identity about cells of ``table`` (in :func:`system` order): printed −
        expected, ``0`` when it holds, ``None`` when a cell cannot be used (worked out once
        per run and table)."""
        return self._differences.get(table, ())

    @functools.cached_property
    def _differences(self) -> Mapping[str, tuple[int | None, ...]]:
        out = {}
        for table in (T3, T4):
            if table not in self.current.table_values:
                continue
            plan = identity_plan(self.current.format, table)
            numbers, unusable = self.numbers(table)
            differences = [
                None if unusable and not unusable.isdisjoint(cells) else sum(added(numbers)) - sum(subtracted(numbers))
                for cells, added, subtracted in zip(plan.cells, plan.added, plan.subtracted, strict=True)
            ]
            if table == T3:
                for k in self.group_decided:
                    differences[k] = 0  # rule t3-group-total decides it (and reports it when broken)
            out[table] = tuple(differences)
        return out

    @functools.cached_property
    def group_decided(self) -> frozenset[int]:
        """The table 3 identities (positions in :func:`identity_plan` order) that a printed
        group total decides instead of them: （七）总计 = Σ outcome rows of a column where the
        group's numbered rows were not printed (all absent) and the group total stands for
        them — its figure and every other cell of the identity usable.  Rule
        ``t3-group-total`` checks such a column with the group total in its rows' place;
        evaluated here, the identity would read the absent rows as unusable (``undecided``)
        or, with ``blanks="zero"``, as 0 (a false ``t3-outcomes`` error)."""
        totals = self.current.group_totals
        if not totals or T3 not in self.current.table_values:
            return frozenset()
        fmt = self.current.format
        t3 = layout_for(fmt).table3
        plan = identity_plan(fmt, T3)
        values = self.values
        blocks = {group: t3.block(group).rows for group in t3.group_totals}
        decided = set()
        for k, identity in enumerate(plan.identities):
            if identity.rule != "t3-outcomes":
                continue
            column = identity.about[2]
            cells = set(identity.cells[1:])
            stood_for: set[CellKey] = set()
            for group, rows in blocks.items():
                members = {(T3, row, column) for row in rows}
                if not members <= cells or any(values.get(key) is not None for key in members):
                    continue
                if as_int(totals.get((T3, group, column)), self.blanks) is None:
                    continue
                stood_for |= members
            if not stood_for:
                continue
            others = [identity.about, *(key for key in cells if key not in stood_for)]
            if all(as_int(values.get(key), self.blanks) is not None for key in others):
                decided.add(k)
        return frozenset(decided)

    def integers(self, table: str, keys: Iterable[CellKey]) -> dict[CellKey, int]:
        """Those of ``keys`` (cells of ``table``) that hold a usable integer, with it."""
        if table not in self.current.table_values:
            return {}
        plan = identity_plan(self.current.format, table)
        numbers, unusable = self.numbers(table)
        out = {}
        for key in keys:
            i = plan.position[key]
            if i not in unusable:
                out[key] = numbers[i]
        return out

    @functools.cached_property
    def _t3(self) -> tuple[Evaluation, ...]:
        return self.problems(T3)

    @functools.cached_property
    def _t4(self) -> tuple[Evaluation, ...]:
        return self.problems(T4)

    @functools.cached_property
    def culprits(self) -> Mapping[str, list[Diagnosis]]:
        """The culprit analysis of tables 3 and 4 (computed once per run; see
        :mod:`opengov._checks.culprits`)."""
        from .culprits import diagnose_tables  # reads the prose rules' targets, which read this module

        return diagnose_tables(self)

    @functools.cached_property
    def stock_equations(self) -> tuple[tuple[Stock, Equation | None, tuple[CellKey, ...]], ...]:
        """Table 2's stock identities against the previous report, evaluated (computed once
        per run; see :func:`opengov._checks.previous.stock_equations`)."""
        from .previous import stock_equations  # the previous-year rules read this module

        return tuple(stock_equations(self))

    def table3_evaluations(self) -> tuple[Evaluation, ...]:
        """The table 3 identities that are broken or undecided (computed once per run)."""
        return self._t3

    def table4_evaluations(self) -> tuple[Evaluation, ...]:
        """The table 4 identities that are broken or undecided (computed once per run)."""
        return self._t4

    # -- findings ----------------------------------------------------------------------

    @functools.cached_property
    def _labels(self) -> Mapping[CellKey, tuple[str, str]]:
        return cell_labels(self.current.format)

    @functools.cached_property
    def _names(self) -> Mapping[CellKey, tuple[str, str]]:
        return names(self.current.format)

    @functools.cached_property
    def _label_texts(self) -> Mapping[CellKey, str]:
        return label_texts(self.current.format)

    def label(self, key: CellKey) -> str:
        """``row label / column label`` of a cell, for messages."""
        text = self._label_texts.get(key)
        return "/".join(key) if text is None else text

    def named(self, key: CellKey) -> tuple[str, str]:
        """A cell as messages name it: ``表三“row label/column label”`` and ``Table 3, row/column``."""
        found = self._names.get(key)
        if found is None:
            return f"{table_zh(key[0])}“{self.label(key)}”", f"{table_en(key[0])}, {key[1]}/{key[2]}"
        return found

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
        section: str | None = None,
        paragraph: int | None = None,
        span: tuple[int, int] | None = None,
        candidates: Sequence[tuple[CellKey, int]] = (),
    ) -> Finding:
        """A finding of ``rule`` about cell ``key`` (labels and locations filled in)."""
        row = column = row_label = column_label = None
        if key is not None:
            table, row, column = key
            labels = self._labels.get(key)
            if labels is not None:
                row_label, column_label = labels
        where = self.locations
        locations = {k: where[k] for k in (*cells, *blanks) if k in where} if where else {}
        return new_finding(
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
            section=section,
            paragraph=paragraph,
            span=span,
            candidates=tuple(candidates),
        )


def signed(value: int | Decimal) -> str:
    """``+3``/``-2``/``0``."""
    return f"{value:+}" if value else "0"


_TABLE_ZH = MappingProxyType({"table2": "表二", "table3": "表三", "table4": "表四"})
_TABLE_EN = MappingProxyType({"table2": "Table 2", "table3": "Table 3", "table4": "Table 4"})


def table_zh(table: str) -> str:
    """表二/表三/表四."""
    return _TABLE_ZH.get(table, table)


def table_en(table: str) -> str:
    """Table 2/3/4."""
    return _TABLE_EN.get(table, table)
