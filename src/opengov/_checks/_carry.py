"""Carry-over records: the few figures of a report that the previous-year rules read.

``opengov batch`` keeps one :class:`CarryRecord` per (organ, year) instead of re-reading
both files of every consecutive-year pair.  The three rules that need last year's report
(``previous-year``, ``carry-over``, ``t2-stock``) then run on two records and give exactly
the findings ``check(current, previous=previous)`` adds to ``check(current)``.

Private: the command line is the only caller.
"""

from __future__ import annotations

import functools
import operator
import pickle
from typing import Any, cast

import attrs

from opengov._errors import Location
from opengov._model import CellValue, Report
from opengov._result import CellKey, ParseResult
from opengov.layout import Format, layout_for

from . import previous
from ._context import Context, _unwrap, index_for
from .finding import Finding
from .registry import RULES

__all__ = ["CarryRecord", "carry_record", "previous_findings"]

_PREVIOUS_RULES = tuple(r for r in RULES if r.function in (previous.previous_year, previous.carry_over, previous.stock))


@attrs.frozen(kw_only=True)
class CarryRecord:
    """What a report contributes to a consecutive-year comparison, as either year.

    ``values`` holds table 3 二、上年结转 and 四、结转下年度继续办理 (every column) and, in
    the 2021 format, table 2 现行有效件数, 本年制发件数 and 本年废止件数 of 规章 and
    规范性文件 (cell states as read, not just ints; ``None`` where absent or the table is
    missing), in the order of :func:`_keys`; ``locations`` the source locations of those
    cells (``None`` where unknown).  :meth:`pack` makes it a few hundred bytes.
    """

    format: Format
    year: int | None
    has_table2: bool
    has_table3: bool
    values: tuple[CellValue | None, ...]
    locations: tuple[Location | None, ...]

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

    @staticmethod
    def unpack(data: bytes) -> CarryRecord:
        """The record :meth:`pack` made."""
        fmt, year, has_table2, has_table3, values, locations = pickle.loads(data)
        return CarryRecord(
            format=Format(fmt),
            year=year,
            has_table2=has_table2,
            has_table3=has_table3,
            values=values,
            locations=tuple(None if fields is None else _location(fields) for fields in locations),
        )


_LOCATION_NAMES = tuple(a.name for a in attrs.fields(Location))
_location_fields = operator.attrgetter(*_LOCATION_NAMES)
_LOCATIONS: dict[tuple[Any, ...], Location] = {}
_LOCATIONS_LIMIT = 1 << 12


def _location(fields: tuple[Any, ...]) -> Location:
    """The location with these fields (memoised: the same table cells recur across reports)."""
    found = _LOCATIONS.get(fields)
    if found is None:
        if len(_LOCATIONS) >= _LOCATIONS_LIMIT:
            _LOCATIONS.clear()
        found = _LOCATIONS[fields] = Location(**dict(zip(_LOCATION_NAMES, fields, strict=True)))
    return found


@attrs.frozen(kw_only=True)
class _Meta:
    """Stands in for a Report in the previous-year rules (they read only these)."""

    format: Format
    year: int | None
    table2: bool | None
    table3: bool | None


@functools.cache
def _keys(fmt: Format) -> tuple[CellKey, ...]:
    t3 = layout_for(fmt).table3
    keys: list[CellKey] = [("table3", row, c.key) for row in ("carried_over", "carried_forward") for c in t3.columns]
    if fmt is Format.V2021:
        block = layout_for(fmt).table2.block("article_20_1")
        keys += [("table2", row, column) for row in block.rows for column in ("in_force", "issued", "repealed")]
    return tuple(keys)


@functools.cache
def _plan(fmt: Format) -> tuple[tuple[str, str, str, bool | None], ...]:
    """How to read each of :func:`_keys` from a report, as :func:`_table_values` would:
    ``(table, row, column, direct)``, ``direct`` None for a key that table never holds."""
    index = index_for(fmt)
    t2 = {info.key: info.direct for info in index.table2}
    t3 = {key for _row, keys in index.t3_rows for key in keys}
    plan = []
    for key in _keys(fmt):
        table, row, column = key
        known = t2.get(key) if table == "table2" else (False if key in t3 else None)
        plan.append((table, row, column, known))
    return tuple(plan)


def carry_record(source: Report | ParseResult) -> CarryRecord:
    """The carry-over record of a report (see :class:`CarryRecord`)."""
    report, locations = _unwrap(source)
    fmt = Format(report.format)
    t2, t3 = report.table2, report.table3
    values: list[CellValue | None] = []
    for table, row, column, direct in _plan(fmt):
        holder: Any = t2 if table == "table2" else t3
        if holder is None or direct is None:
            values.append(None)
        elif direct:
            values.append(getattr(holder, row, None))
        else:
            values.append(getattr(getattr(holder, row, None), column, None))
    get = locations.get
    return CarryRecord(
        format=fmt,
        year=report.year,
        has_table2=t2 is not None,
        has_table3=t3 is not None,
        values=tuple(values),
        locations=tuple([get(k) for k in _keys(fmt)]),
    )


class _CarryContext(Context):
    def __init__(self, current: CarryRecord, before: CarryRecord) -> None:
        from . import _RULES_BY_ID

        self.report = cast(Report, _meta(current))
        keys = _keys(current.format)
        self.locations = {k: loc for k, loc in zip(keys, current.locations, strict=True) if loc is not None}
        self.previous = cast(Report, _meta(before))
        self.blanks = "undecided"
        self.rules = _RULES_BY_ID
        self.index = index_for(current.format)
        self.values = dict(zip(_keys(current.format), current.values, strict=True))
        self.previous_index = index_for(before.format)
        self.previous_values = dict(zip(_keys(before.format), before.values, strict=True))
        self._ints = None
        self.odd = ()
        self._t3 = None
        self._t4 = None


def _meta(record: CarryRecord) -> Any:
    return _Meta(
        format=record.format,
        year=record.year,
        table2=True if record.has_table2 else None,
        table3=True if record.has_table3 else None,
    )


def previous_findings(current: CarryRecord, before: CarryRecord) -> list[Finding]:
    """The findings of the previous-year rules for ``current`` against last year's
    ``before``, in rule order (blanks undecided, as ``opengov batch`` checks)."""
    ctx = _CarryContext(current, before)
    findings: list[Finding] = []
    for rule in _PREVIOUS_RULES:
        findings.extend(rule.function(ctx))
    return findings
