"""Carry-over records: the few facts of a report that the previous-year rules read.

``opengov batch`` keeps one :class:`CarryRecord` per (organ, year) instead of re-reading
both files of every consecutive-year pair.  The three rules that need last year's report
(``previous-year``, ``carry-over``, ``t2-stock``) then run on two records and give exactly
the findings ``check(current, previous=previous)`` adds to ``check(current)``.

The whole API:

* :func:`carry_record` — the record of a :class:`~opengov.Report` or a parse result;
* :meth:`CarryRecord.pack` / :meth:`CarryRecord.unpack` — the record as a few hundred bytes
  (what a batch worker sends to the parent) and back;
* :func:`previous_findings` — the previous-year rules run on two records.

Private to the package: the command line is the only caller.
"""

from __future__ import annotations

import functools
import itertools
import operator
import pickle
from collections.abc import Callable
from typing import Any

import attrs

from opengov._errors import Location
from opengov._model import CellValue, Report
from opengov._result import ParseResult
from opengov.layout import Format, cell_index

from . import previous
from ._context import Context, Facts, report_of
from .finding import Finding
from .registry import RULES, RULES_BY_ID, Rule

__all__ = ["CarryRecord", "carry_record", "previous_findings", "PREVIOUS_RULES"]

PREVIOUS_RULES: tuple[Rule, ...] = tuple(r for r in RULES if r.function in previous.RULE_FUNCTIONS)
"""The rules that read last year's report, in registry order."""

_LOCATION_NAMES: tuple[str, ...] = tuple(a.name for a in attrs.fields(Location))
_location_fields = operator.attrgetter(*_LOCATION_NAMES)


@functools.lru_cache(maxsize=4096)
def _location(fields: tuple[Any, ...]) -> Location:
    """The location with these field values (cached: the same table cells recur across reports)."""
    return Location(**dict(zip(_LOCATION_NAMES, fields, strict=True)))


def _same_length_as_cells(record: CarryRecord, attribute: attrs.Attribute[Any], value: tuple[Any, ...]) -> None:
    expected = len(previous.cells_read(record.format))
    if len(value) != expected:
        raise ValueError(f"a {record.format} carry-over record holds {expected} {attribute.name}, got {len(value)}")


@attrs.frozen(kw_only=True)
class CarryRecord:
    """What a report contributes to a consecutive-year comparison, as either year.

    ``values`` holds the cells :func:`opengov._checks.previous.cells_read` names, in that
    order: table 3 二、上年结转 and 四、结转下年度继续办理 (every column) and, in the 2021
    format, table 2 现行有效件数, 本年制发件数 and 本年废止件数 of 规章 and 规范性文件 (cell
    states as read, not just ints; ``None`` where absent or the table is missing);
    ``locations`` the source locations of those cells (``None`` where unknown).
    """

    format: Format = attrs.field(converter=Format)
    year: int | None
    has_table2: bool
    has_table3: bool
    values: tuple[CellValue | None, ...] = attrs.field(validator=_same_length_as_cells)
    locations: tuple[Location | None, ...] = attrs.field(validator=_same_length_as_cells)

    def pack(self) -> bytes:
        """The record as a few hundred bytes (what the batch keeps per organ and year): its
        fields pickled as plain tuples, each location as the tuple of its fields."""
        return pickle.dumps(
            (
                self.format.value,
                self.year,
                self.has_table2,
                self.has_table3,
                self.values,
                tuple(None if loc is None else _location_fields(loc) for loc in self.locations),
            ),
            protocol=pickle.HIGHEST_PROTOCOL,
        )

    @classmethod
    def unpack(cls, data: bytes) -> CarryRecord:
        """The record :meth:`pack` made (only ever bytes this module packed: it is a pickle)."""
        fmt, year, has_table2, has_table3, values, locations = pickle.loads(data)
        return cls(
            format=fmt,
            year=year,
            has_table2=has_table2,
            has_table3=has_table3,
            values=values,
            locations=tuple(None if fields is None else _location(fields) for fields in locations),
        )

    def facts(self) -> Facts:
        """The facts of the report that the previous-year rules read (no other table, cell
        or prose: only those rules may run on them)."""
        keys = previous.cells_read(self.format)
        held = (("table2", self.has_table2), ("table3", self.has_table3))
        return Facts(
            format=self.format,
            year=self.year,
            tables=frozenset(table for table, has in held if has),
            values=dict(zip(keys, self.values, strict=True)),
            locations={key: loc for key, loc in zip(keys, self.locations, strict=True) if loc is not None},
        )


@functools.cache
def _readers(fmt: Format) -> tuple[tuple[str, int, Callable[[Any], tuple[Any, ...]]], ...]:
    """How :func:`carry_record` reads the cells :func:`previous.cells_read` names from a
    report of format ``fmt``: for each run of cells of one table, in that order, the table,
    the number of cells, and one ``attrgetter`` over their paths in the table record
    (:attr:`opengov.layout.CellSpec.path`)."""
    index = cell_index(fmt)
    readers = []
    for table, run in itertools.groupby(previous.cells_read(fmt), key=operator.itemgetter(0)):
        paths = [".".join(index.cell(key).path) for key in run]
        get = operator.attrgetter(*paths)
        readers.append((table, len(paths), get if len(paths) > 1 else (lambda record, get=get: (get(record),))))
    return tuple(readers)


def carry_record(source: Report | ParseResult) -> CarryRecord:
    """The carry-over record of a report (the cell locations too, from a parse result)."""
    report, locations = report_of(source)
    values: list[CellValue | None] = []
    for table, n, read in _readers(report.format):
        record = getattr(report, table)
        values.extend(read(record) if record is not None else (None,) * n)
    return CarryRecord(
        format=report.format,
        year=report.year,
        has_table2=report.table2 is not None,
        has_table3=report.table3 is not None,
        values=tuple(values),
        locations=tuple(map(locations.get, previous.cells_read(report.format))),
    )


def previous_findings(current: CarryRecord, before: CarryRecord) -> list[Finding]:
    """The findings of the previous-year rules for ``current`` against last year's
    ``before``, in rule order (blanks undecided, as ``opengov batch`` checks): exactly the
    findings ``check(current_report, previous=before_report)`` adds to
    ``check(current_report)``."""
    ctx = Context(current.facts(), before.facts(), blanks="undecided", rules=RULES_BY_ID)
    return [finding for rule in PREVIOUS_RULES for finding in rule.function(ctx)]
