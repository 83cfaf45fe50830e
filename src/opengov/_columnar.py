"""Rows as Arrow tables: the one columnar schema (``docs/columnar.md``) and
:func:`opengov.to_arrow` (needs the ``parquet`` extra: ``pip install 'opengov[parquet]'``).

Five tables, joined on ``report`` (a document's id: the batch numbers documents 1, 2, 3 …
in the order of the files, and keeps an id when it appends):

* ``reports`` — one row per document (read or not);
* ``cells`` — one row per table cell (long), typed: ``number`` (int64) for a count,
  ``amount`` (decimal128(36, 18): every amount the model holds, exactly) with its ``unit``;
* ``prose`` — one row per prose paragraph;
* ``findings`` — one row per finding: the report's own (``previous`` null) and the
  year-to-year ones (``previous`` = last year's report);
* ``diagnostics`` — one row per reader diagnostic.

Labels and other repeated text are dictionary-encoded.  Outputs that are appended to keep a
sixth, internal table, ``_carry`` (each report's carry-over record as JSON), for the
year-to-year checks of later runs.

:func:`tables_of` is the conversion every writer uses (the batch's sinks, the Dask pipeline,
:func:`to_arrow`); the cells' labels are taken, in one vectorised step, from a catalogue of
the cells of both formats (:func:`catalogue`).
"""

from __future__ import annotations

import bisect
import functools
import itertools
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from opengov._model import Amount, Blank, Placeholder, Report
from opengov._result import ParseResult
from opengov._rows import (
    SEVERITIES,
    CarryEntry,
    Document,
    DocumentRows,
    FindingRow,
    PairFinding,
    carry_entry,
    pair_findings,
    printed_text,
    rows_of,
)
from opengov._serialize.csv_specs import prose_label
from opengov.layout import TABLES, Format, Kind, cell_index

__all__ = [
    "TABLE_NAMES",
    "CARRY_TABLE",
    "schemas",
    "pyarrow",
    "Document",
    "tables_of",
    "pair_table",
    "ArrowTables",
    "to_arrow",
]

TABLE_NAMES: tuple[str, ...] = ("reports", "cells", "prose", "findings", "diagnostics")
"""The tables of the schema, in the order they are documented."""
CARRY_TABLE = "_carry"
"""The internal table of carry-over records kept by appendable outputs."""

STATES: tuple[str, ...] = ("number", "amount", "blank", "placeholder", "absent")
"""A cell's ``state``, as in the long CSV layout."""
AMOUNT = (36, 18)
"""Precision and scale of ``cells.amount``: 18 digits before and after the point, every
amount the model admits (``opengov._model.MAX_FIGURE_DIGITS``)."""
FIGURE = (38, 18)
"""Precision and scale of a finding's ``expected_amount``/``difference_amount`` (a sum of
amounts may be longer than one)."""


def pyarrow() -> Any:
    """The ``pyarrow`` module, or an ImportError saying which extra installs it."""
    try:
        import pyarrow as pa
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("opengov's columnar output needs pyarrow: pip install 'opengov[parquet]'") from exc
    return pa


@functools.cache
def schemas() -> Mapping[str, Any]:
    """The Arrow schema of each table (the five of :data:`TABLE_NAMES` and ``_carry``)."""
    pa = pyarrow()
    label = pa.dictionary(pa.int32(), pa.string())
    amount, figure = pa.decimal128(*AMOUNT), pa.decimal128(*FIGURE)
    i32, i64, text = pa.int32(), pa.int64(), pa.string()
    return {
        "reports": pa.schema(
            [
                ("report", i64),
                ("path", text),
                ("sha256", text),
                ("size", i64),
                ("mtime_ns", i64),
                ("status", label),
                ("reason", text),
                ("form", label),
                ("format", label),
                ("organ", label),
                ("year", i32),
                ("title", text),
                ("table2", pa.bool_()),
                ("table3", pa.bool_()),
                ("table4", pa.bool_()),
                ("diagnostics_error", i32),
                ("diagnostics_warning", i32),
                ("diagnostics_info", i32),
                ("findings_error", i32),
                ("findings_warning", i32),
                ("findings_info", i32),
            ]
        ),
        "cells": pa.schema(
            [
                ("report", i64),
                ("table", label),
                ("block", label),
                ("row", label),
                ("row_label", label),
                ("column", label),
                ("column_label", label),
                ("state", label),
                ("number", i64),
                ("amount", amount),
                ("unit", label),
                ("text", text),
            ]
        ),
        "prose": pa.schema(
            [("report", i64), ("section", label), ("section_label", label), ("number", i32), ("text", text)]
        ),
        "findings": pa.schema(
            [
                ("report", i64),
                ("previous", i64),
                ("number", i32),
                ("rule", label),
                ("severity", label),
                ("table", label),
                ("row", label),
                ("row_label", label),
                ("column", label),
                ("column_label", label),
                ("printed", text),
                ("expected", i64),
                ("difference", i64),
                ("expected_amount", figure),
                ("difference_amount", figure),
                ("message_zh", text),
                ("message_en", text),
                ("location", text),
                ("identity", label),
                ("text", text),
            ]
        ),
        "diagnostics": pa.schema(
            [
                ("report", i64),
                ("number", i32),
                ("severity", label),
                ("code", label),
                ("message", text),
                ("page", i32),
                ("line", i32),
                ("column", i32),
                ("table", i32),
                ("row", i32),
                ("cell", i32),
            ]
        ),
        CARRY_TABLE: pa.schema([("report", i64), ("organ", text), ("year", i32), ("record", text)]),
    }


# ---------------------------------------------------------------------------------------
# The cell catalogue
# ---------------------------------------------------------------------------------------

_LABELS = ("table", "block", "row", "row_label", "column", "column_label")


@attrs.frozen(kw_only=True)
class _Catalogue:
    """Every cell of both formats: where each (format, table) starts and how many cells it
    has, and the label columns over the whole catalogue (dictionary arrays)."""

    ranges: Mapping[tuple[str, str], tuple[int, int]]
    columns: Mapping[str, Any]


@functools.cache
def catalogue() -> _Catalogue:
    """The cell catalogue (built once)."""
    pa = pyarrow()
    ranges: dict[tuple[str, str], tuple[int, int]] = {}
    fields: dict[str, list[str | None]] = {name: [] for name in _LABELS}
    position = 0
    for fmt in Format:
        index = cell_index(fmt)
        for table in (*TABLES, _GROUP_TOTALS):
            specs = index.group_totals if table == _GROUP_TOTALS else index.table(table)
            ranges[(fmt.value, table)] = (position, len(specs))
            position += len(specs)
            for spec in specs:
                fields["table"].append(spec.table)
                fields["block"].append(spec.block)
                fields["row"].append(spec.row)
                fields["row_label"].append(spec.row_label)
                fields["column"].append(spec.column)
                fields["column_label"].append(spec.column_label)
    columns = {name: pa.array(values, pa.string()).dictionary_encode() for name, values in fields.items()}
    return _Catalogue(ranges=ranges, columns=columns)


# ---------------------------------------------------------------------------------------
# Rows → tables
# ---------------------------------------------------------------------------------------


def _labels(values: list[str | None]) -> Any:
    pa = pyarrow()
    return pa.array(values, pa.string()).dictionary_encode()


def _table(name: str, columns: Mapping[str, Any]) -> Any:
    pa = pyarrow()
    schema = schemas()[name]
    arrays = []
    for field in schema:
        column = columns[field.name]
        if isinstance(column, list):
            column = _labels(column) if pa.types.is_dictionary(field.type) else pa.array(column, field.type)
        arrays.append(column)
    return pa.Table.from_arrays(arrays, schema=schema)


def _reports(documents: Sequence[Document]) -> Any:
    rows = [doc.rows.report for doc in documents]
    read = [row.status == "read" for row in rows]
    cols: dict[str, list[Any]] = {
        "report": [doc.report for doc in documents],
        "path": [row.path for row in rows],
        "sha256": [row.sha256 for row in rows],
        "size": [row.size for row in rows],
        "mtime_ns": [doc.mtime_ns for doc in documents],
        "status": [row.status for row in rows],
        "reason": [row.reason for row in rows],
        "form": [row.form for row in rows],
        "format": [row.format for row in rows],
        "organ": [row.organ for row in rows],
        "year": [row.year for row in rows],
        "title": [row.title for row in rows],
    }
    for table in ("table2", "table3", "table4"):
        cols[table] = [table in row.tables if ok else None for row, ok in zip(rows, read, strict=True)]
    for kind in ("diagnostics", "findings"):
        for i, severity in enumerate(SEVERITIES):
            cols[f"{kind}_{severity.value}"] = [
                getattr(row, kind)[i] if ok else None for row, ok in zip(rows, read, strict=True)
            ]
    return _table("reports", cols)


_GROUP_TOTALS = "group_totals"
"""The catalogue's range of a format's printed group totals' cells (after its tables')."""


@functools.cache
def _positions(fmt: str, tables: tuple[str, ...]) -> Any:
    """The catalogue positions of the cells of ``tables`` in format ``fmt`` (an int32 array;
    :data:`_GROUP_TOTALS` among ``tables`` for a printed group total's cells)."""
    pa = pyarrow()
    ranges = catalogue().ranges
    return pa.array(
        [i for table in tables for i in range(ranges[(fmt, table)][0], sum(ranges[(fmt, table)]))], pa.int32()
    )


@functools.cache
def _money(fmt: str, tables: tuple[str, ...]) -> tuple[int, ...]:
    """Where the money cells (amounts) are among the cells of ``tables`` in format ``fmt``."""
    index = cell_index(Format(fmt))
    specs = [spec for table in tables for spec in index.table(table)]
    return tuple(i for i, spec in enumerate(specs) if spec.kind is Kind.MONEY)


def _counts_of(cells: tuple[Any, ...], money: tuple[int, ...]) -> Any:
    """A document's cells as an int64 array: its counts, null for every other cell.

    The money cells set aside, one C-level conversion when every other cell is a count or
    absent (the common case); otherwise the cells that are not counts are left out in Python
    first (pyarrow would refuse some and convert others)."""
    pa = pyarrow()
    listed = list(cells)
    for i in money:
        if type(listed[i]) is not int:
            listed[i] = None
    try:
        return pa.array(listed, pa.int64())
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError):
        return pa.array([v if type(v) is int else None for v in cells], pa.int64())


def _cells(documents: Sequence[Document]) -> Any:
    """The ``cells`` table.  The documents' cells must be cell values (those of
    :func:`opengov.document_rows` are; :func:`to_arrow` checks others first)."""
    pa = pyarrow()
    held = [doc for doc in documents if doc.rows.cells]
    if not held:
        return _table("cells", {field.name: [] for field in schemas()["cells"]})
    positions = []
    counts = []
    values = [doc.rows.cells + doc.rows.totals if doc.rows.totals else doc.rows.cells for doc in held]
    for doc, cells in zip(held, values, strict=True):
        fmt = doc.rows.report.format
        assert fmt is not None  # a report with cells has a format
        tables = doc.rows.report.tables + ((_GROUP_TOTALS,) if doc.rows.totals else ())
        positions.append(_positions(fmt, tables))
        if len(positions[-1]) != len(cells):
            raise ValueError(f"report {doc.report}: its cells do not match the tables it holds")
        counts.append(_counts_of(cells, _money(fmt, doc.rows.report.tables)))
    number_array = pa.concat_arrays(counts)
    ends = list(itertools.accumulate(map(len, values)))
    reports = pc().run_end_decode(
        pa.RunEndEncodedArray.from_arrays(pa.array(ends, pa.int32()), pa.array([d.report for d in held], pa.int64()))
    )
    # the other states are rare: only their positions are visited in Python
    odd = pc().is_null(number_array)
    states: list[int] = []
    amounts: list[Decimal | None] = []
    units: list[str | None] = []
    texts: list[str] = []
    for i in pc().indices_nonzero(odd).to_pylist():
        k = bisect.bisect_right(ends, i)
        value = values[k][i - (ends[k - 1] if k else 0)]
        if type(value) is int:  # pragma: no cover - a count is never null
            raise AssertionError(value)
        if isinstance(value, Amount):
            states.append(1)
            amounts.append(value.value)
            units.append(value.unit)
            texts.append(str(value))
            continue
        amounts.append(None)
        units.append(None)
        if isinstance(value, Blank):
            states.append(2)
            texts.append("")
        elif isinstance(value, Placeholder):
            states.append(3)
            texts.append(value.glyph)
        elif value is None:
            states.append(4)
            texts.append("")
        else:
            raise TypeError(f"not a cell value: {value!r}")
    n = len(number_array)
    taken = pa.concat_arrays(positions)
    columns: dict[str, Any] = {name: array.take(taken) for name, array in catalogue().columns.items()}
    columns.update(
        report=reports,
        state=pa.DictionaryArray.from_arrays(
            _masked(pa.repeat(pa.scalar(0, pa.int32()), n), odd, pa.array(states, pa.int32())),
            pa.array(STATES, pa.string()),
        ),
        number=number_array,
        amount=_masked(pa.nulls(n, pa.decimal128(*AMOUNT)), odd, pa.array(amounts, pa.decimal128(*AMOUNT))),
        unit=_masked(pa.nulls(n, pa.string()), odd, pa.array(units, pa.string())).dictionary_encode(),
        text=_masked(pc().cast(number_array, pa.string()), odd, pa.array(texts, pa.string())),
    )
    return _table("cells", columns)


def pc() -> Any:
    """``pyarrow.compute``."""
    import pyarrow.compute

    return pyarrow.compute


def _masked(base: Any, mask: Any, values: Any) -> Any:
    """``base`` with the positions of ``mask`` replaced by ``values``, in order."""
    if not len(values):
        return base
    return pc().replace_with_mask(base, mask, values)


def _prose(documents: Sequence[Document]) -> Any:
    rows = [(doc.report, *row) for doc in documents for row in doc.rows.prose_rows()]
    return _table(
        "prose",
        {
            "report": [r[0] for r in rows],
            "section": [r[1] for r in rows],
            "section_label": [_prose_label(r[1]) for r in rows],
            "number": [r[2] for r in rows],
            "text": [r[3] for r in rows],
        },
    )


@functools.cache
def _prose_label(section: str) -> str:
    return prose_label(section)


def _whole(value: int | Decimal | None) -> int | None:
    """A figure as an int64 cell: an int, or a whole Decimal (``None`` otherwise)."""
    if value is None or type(value) is int:
        return value
    if isinstance(value, int):
        return int(value)
    return int(value) if value == value.to_integral_value() else None


def _fraction(value: int | Decimal | None) -> Decimal | None:
    """A figure that is not whole (an amount), for the ``*_amount`` columns."""
    if type(value) is Decimal and value != value.to_integral_value():
        return value
    return None


def _finding_columns(rows: Sequence[tuple[int, int | None, int, FindingRow]]) -> dict[str, list[Any]]:
    findings = [row[3] for row in rows]
    return {
        "report": [row[0] for row in rows],
        "previous": [row[1] for row in rows],
        "number": [row[2] for row in rows],
        "rule": [f.rule for f in findings],
        "severity": [f.severity for f in findings],
        "table": [f.table for f in findings],
        "row": [f.row for f in findings],
        "row_label": [f.row_label for f in findings],
        "column": [f.column for f in findings],
        "column_label": [f.column_label for f in findings],
        "printed": [printed_text(f.printed) for f in findings],
        "expected": [_whole(f.expected) for f in findings],
        "difference": [_whole(f.difference) for f in findings],
        "expected_amount": [_fraction(f.expected) for f in findings],
        "difference_amount": [_fraction(f.difference) for f in findings],
        "message_zh": [f.message_zh for f in findings],
        "message_en": [f.message_en for f in findings],
        "location": [f.location for f in findings],
        "identity": [f.identity for f in findings],
        "text": [f.text for f in findings],
    }


def _findings(documents: Sequence[Document]) -> Any:
    own: list[tuple[int, int | None, int, FindingRow]] = [
        (doc.report, None, number, finding) for doc in documents for number, finding in enumerate(doc.rows.findings, 1)
    ]
    return _table("findings", _finding_columns(own))


def pair_table(pairs: Iterable[PairFinding]) -> Any:
    """The year-to-year findings as rows of the ``findings`` table."""
    return _table("findings", _finding_columns([(p.report, p.previous, p.number, p.finding) for p in pairs]))


def _diagnostics(documents: Sequence[Document]) -> Any:
    rows = [(doc.report, number, d) for doc in documents for number, d in enumerate(doc.rows.diagnostics, 1)]
    found = [row[2] for row in rows]
    cols: dict[str, list[Any]] = {"report": [row[0] for row in rows], "number": [row[1] for row in rows]}
    for name in ("severity", "code", "message", "page", "line", "column", "table", "row", "cell"):
        cols[name] = [getattr(d, name) for d in found]
    return _table("diagnostics", cols)


def carry_table(entries: Iterable[CarryEntry]) -> Any:
    """Carry-over records as rows of the internal ``_carry`` table."""
    cols: dict[str, list[Any]] = {"report": [], "organ": [], "year": [], "record": []}
    for entry in entries:
        cols["report"].append(entry.report)
        cols["organ"].append(entry.organ)
        cols["year"].append(entry.year)
        cols["record"].append(entry.carry)
    return _table(CARRY_TABLE, cols)


def carry_entries(documents: Iterable[Document]) -> list[CarryEntry]:
    """The documents' entries for the year-to-year checks (those with an organ and a year)."""
    return [entry for doc in documents if (entry := carry_entry(doc.report, doc.rows)) is not None]


def tables_of(documents: Sequence[Document], *, carry: bool = False) -> dict[str, Any]:
    """The documents' rows as Arrow tables: the five of :data:`TABLE_NAMES` (the
    ``findings`` table holds the reports' own findings) and, with ``carry=True``, the
    ``_carry`` table."""
    tables = {
        "reports": _reports(documents),
        "cells": _cells(documents),
        "prose": _prose(documents),
        "findings": _findings(documents),
        "diagnostics": _diagnostics(documents),
    }
    if carry:
        tables[CARRY_TABLE] = carry_table(carry_entries(documents))
    return tables


# ---------------------------------------------------------------------------------------
# The public entry point
# ---------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ArrowTables:
    """The five tables of the columnar schema as ``pyarrow.Table`` objects (``docs/columnar.md``).

    ``tables.cells.to_pandas()`` gives a pandas frame, ``polars.from_arrow(tables.cells)`` a
    polars one, ``duckdb.from_arrow(tables.cells)`` a DuckDB relation; :meth:`to_duckdb`
    registers all five in a DuckDB connection.
    """

    reports: Any
    cells: Any
    prose: Any
    findings: Any
    diagnostics: Any

    def __getitem__(self, name: str) -> Any:
        if name not in TABLE_NAMES:
            raise KeyError(name)
        return getattr(self, name)

    def to_duckdb(self, connection: Any = None) -> Any:
        """A DuckDB connection (``connection``, or a new in-memory one) in which the five
        tables are views named ``reports``, ``cells``, ``prose``, ``findings`` and
        ``diagnostics`` (needs the ``duckdb`` extra)."""
        try:
            import duckdb
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("to_duckdb needs duckdb: pip install 'opengov[duckdb]'") from exc
        con = connection if connection is not None else duckdb.connect()
        for name in TABLE_NAMES:
            con.register(name, getattr(self, name))
        return con


def _check_cells(rows: DocumentRows, number: int) -> None:
    """``TypeError`` for rows made by hand whose cells are not cell values."""
    for value in (*rows.cells, *rows.totals):
        if not (value is None or type(value) is int or isinstance(value, (Amount, Blank, Placeholder))):
            raise TypeError(f"item {number}: not a cell value: {value!r}")


def to_arrow(
    items: Report | ParseResult | DocumentRows | Iterable[Report | ParseResult | DocumentRows],
    *,
    ids: Sequence[int] | None = None,
    pairs: bool = True,
) -> ArrowTables:
    """Reports (or parse results, or :func:`opengov.document_rows` of documents) as the
    columnar schema's five Arrow tables: what ``opengov batch --out reports.parquet`` writes
    for the same documents.

    Each item is checked (``opengov.check``) unless it is already rows; ``ids`` gives the
    report ids (default 1, 2, 3 …).  With ``pairs`` (the default) the ``findings`` table
    also holds the year-to-year findings of consecutive years of the same organ among the
    items, as the batch adds them.  Needs pyarrow (``pip install 'opengov[parquet]'``).
    """
    listed = [items] if isinstance(items, (Report, ParseResult, DocumentRows)) else list(items)
    numbers = list(range(1, len(listed) + 1)) if ids is None else list(ids)
    if len(numbers) != len(listed):
        raise ValueError(f"{len(numbers)} ids for {len(listed)} items")
    if len(set(numbers)) != len(numbers):
        raise ValueError("the ids must be distinct")
    documents = []
    for number, item in zip(numbers, listed, strict=True):
        if isinstance(item, DocumentRows):
            _check_cells(item, number)
            rows = item
        elif isinstance(item, (Report, ParseResult)):
            rows = rows_of(item)
        else:
            raise TypeError(f"expected an opengov.Report, ParseResult or DocumentRows, got {type(item).__name__}")
        documents.append(Document(report=number, rows=rows))
    tables = tables_of(documents)
    if pairs:
        pa = pyarrow()
        found, _ = pair_findings(carry_entries(documents))
        tables["findings"] = pa.concat_tables([tables["findings"], pair_table(found)])
    return ArrowTables(**tables)
