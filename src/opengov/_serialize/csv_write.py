"""Writing reports as CSV: :func:`to_csv` (long and wide layouts), :func:`csv_lines` (one
report's long-layout lines) and :func:`to_dataframe`.

The long layout is written one way: :func:`csv_lines` builds each line from pieces encoded
as :mod:`csv` encodes them (per format, a cached plan holds each cell's address and labels
encoded once and a getter of a table record's values along the cell index's paths; a count
is written straight into its line), and hands a report whose text holds a carriage return to
the standard library's writer.  :func:`long_rows` is the plain definition of the same lines
as lists of fields (what :func:`to_dataframe` frames, read with
:func:`opengov._model.cell_values`); property tests (``tests/test_csv.py``) keep the built
lines equal to those rows written by :func:`csv.writer`, and the wide layout's cells (a count
written straight) equal to :func:`opengov._codec.cell_to_wide` of each cell.  Cell states are
written by :mod:`opengov._codec`, the columns come from :mod:`opengov._serialize.csv_specs`.
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
import operator
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import Any, Literal

import attrs

from opengov._codec import cell_to_long, cell_to_wide
from opengov._errors import MissingExtraError
from opengov._model import Blank, Report, group_total_values, stored_values
from opengov._serialize.csv_specs import (
    DATAFRAME_DTYPES,
    LONG_COLUMNS,
    LONG_HEADER,
    PROSE_SECTIONS,
    TABLES,
    prose_label,
    wide_cell_columns,
    wide_columns,
    wide_positions,
)
from opengov.layout import CellSpec, Format, cell_index

__all__ = ["to_csv", "csv_lines", "long_rows", "to_dataframe", "encode_field", "neutralise", "FORMULA_STARTS"]

FORMULA_STARTS = "=+-@\t\r"
"""A spreadsheet (Excel, LibreOffice, WPS) takes a cell starting with one of these as a
formula (``=HYPERLINK(…)``, ``@SUM(…)``) and runs it when the CSV file is opened."""
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]*)?")
"""A signed number: a spreadsheet reads it as a number, never as a formula."""


def neutralise(field: str) -> str:
    """A text field a spreadsheet will not run: one starting with a formula character
    (:data:`FORMULA_STARTS`) or with ``'`` gets a ``'`` in front (so a field that starts with
    ``'`` can always be read back by taking one off); a signed number (``-3``) is left as it
    is.  :func:`opengov.from_csv` takes the ``'`` off again."""
    if field[:1] in _NEUTRALISED and not _PLAIN_NUMBER.fullmatch(field):
        return "'" + field
    return field


_NEUTRALISED = frozenset(FORMULA_STARTS + "'")

_SPECIAL = re.compile(r'[,"\r\n]')
"""The characters that may make :func:`csv.writer` quote a field (our dialect)."""


def encode_field(field: str) -> str:
    """``field`` exactly as :func:`csv.writer` (``,``, ``"``, minimal quoting) writes it
    inside a line.

    A field without a comma, a quote or a line break is written as it is; any other is
    handed to the standard library's writer, which decides (its rules for a bare ``\\r``
    differ between Python versions).  The writer quotes each field on its own (the one
    exception, a line of a single empty field, never occurs here), so a line is its
    encoded fields joined with ``,``.
    """
    if _SPECIAL.search(field) is None:
        return field
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\n").writerow((field, ""))
    return buffer.getvalue()[:-2]  # without the "," of the empty field and the "\n"


def _encode_line(fields: Iterable[str]) -> str:
    return ",".join([encode_field(field) for field in fields])


def _quote_all(field: str) -> str:
    return '"' + field.replace('"', '""') + '"'


# ---------------------------------------------------------------------------------------
# The long layout
# ---------------------------------------------------------------------------------------


def _year(report: Report) -> str:
    return "" if report.year is None else str(report.year)


def _meta(report: Report) -> list[str]:
    return [report.format.value, report.organ, _year(report), report.title]


def long_rows(report: Report, report_id: str) -> Iterator[list[str]]:
    """The fields of each long-layout line of one report (:data:`LONG_COLUMNS`): one line
    per table cell in layout order, then one per prose paragraph; one line with an empty
    ``table`` when the report has neither."""
    meta = [report_id, *_meta(report)]
    wrote = False
    for spec, value in stored_values(report):
        state = cell_to_long(value, f"report {report_id}: {spec.name}")
        head = [spec.table, spec.block or "", spec.row, spec.row_label, spec.column, spec.column_label]
        yield [*meta, *head, *state]
        wrote = True
    for section in PROSE_SECTIONS:
        paragraphs: tuple[str, ...] = getattr(report, section)
        for number, paragraph in enumerate(paragraphs, 1):
            yield [*meta, "prose", "", section, prose_label(section), str(number), "", "text", "", "", paragraph]
            wrote = True
    if not wrote:
        yield [*meta, *[""] * (len(LONG_COLUMNS) - len(meta))]


_Getter = Callable[[Any], Any]


def _one(getter: _Getter) -> _Getter:
    return lambda record: (getter(record),)


_PlannedCell = tuple[str, int, CellSpec]
"""A cell's ``table,block,row,row_label,column,column_label`` fields encoded (long layout),
its position among the wide layout's cell columns, and its spec."""


@functools.cache
def _plan(fmt: Format) -> Mapping[str, tuple[_Getter, tuple[_PlannedCell, ...]]]:
    """Per table: a getter of every cell value of the table record in layout order (one
    C-level call, along the paths of the cell index) and each cell's :data:`_PlannedCell`."""
    index = cell_index(fmt)
    position = wide_positions(fmt)
    plan = {}
    for table in TABLES:
        specs = index.table(table)
        paths = [".".join(spec.path) for spec in specs]
        getter: _Getter = operator.attrgetter(*paths)
        if len(paths) == 1:  # pragma: no cover - every table has several cells
            getter = _one(getter)
        cells = tuple(
            (_encode_line((s.table, s.block or "", s.row, s.row_label, s.column, s.column_label)), position[s.key], s)
            for s in specs
        )
        plan[table] = (getter, cells)
    return MappingProxyType(plan)


@attrs.frozen(eq=False)
class LinePlan:
    """The cell lines of the reports of one format holding the same tables (and printed
    group totals): made once (:func:`_line_plan`), shared by every such report."""

    cells: tuple[_PlannedCell, ...]
    """Each cell line's :data:`_PlannedCell`, in line order."""
    heads: tuple[bytes, ...]
    """Each cell line's ``table,block,row,row_label,column,column_label,`` fields, encoded
    (UTF-8, with the ``,`` that follows them)."""
    totals_at: int
    """Where the printed group totals' values go among the tables' values (-1: nowhere)."""


@functools.lru_cache(maxsize=256)
def _line_plan(fmt: Format, tables: tuple[str, ...], totals: tuple[CellSpec, ...]) -> LinePlan:
    """The :class:`LinePlan` of a report of ``fmt`` holding ``tables`` (in layout order)
    and the printed group totals ``totals`` (their specs): those go before the first
    table 3 cell of their row's block."""
    plan = _plan(fmt)
    cells: list[_PlannedCell] = []
    at = -1
    for table in tables:
        planned = plan[table][1]
        if table == "table3" and totals:
            first = next((i for i, p in enumerate(planned) if p[2].block == totals[0].row), None)
            if first is not None:
                at = len(cells) + first
                planned = (*planned[:first], *map(_planned_total, totals), *planned[first:])
        cells.extend(planned)
    heads = tuple(f"{head},".encode() for head, _, _ in cells)
    return LinePlan(cells=tuple(cells), heads=heads, totals_at=at)


def _planned(report: Report) -> tuple[LinePlan, list[Any]]:
    """The report's :class:`LinePlan` and its cells' values in line order: what
    :func:`opengov._model.stored_values` yields."""
    fmt = report.format
    plan = _plan(fmt)
    totals = list(group_total_values(report))
    tables = tuple(table for table in plan if getattr(report, table) is not None)
    lines = _line_plan(fmt, tables, tuple(spec for spec, _ in totals))
    values: list[Any] = []
    for table in tables:
        values.extend(plan[table][0](getattr(report, table)))
    if lines.totals_at >= 0:
        values[lines.totals_at : lines.totals_at] = [value for _, value in totals]
    return lines, values


def _planned_values(report: Report) -> Iterator[tuple[_PlannedCell, Any]]:
    """``(planned cell, value)`` for every cell of the tables the report holds, in layout
    order: what :func:`opengov._model.stored_values` yields, with each cell's plan."""
    lines, values = _planned(report)
    return zip(lines.cells, values, strict=True)


@functools.cache
def _planned_total(spec: CellSpec) -> _PlannedCell:
    """The :data:`_PlannedCell` of a printed group total's cell (its wide column is the one
    of the 2019 format's cell of the same name)."""
    head = _encode_line((spec.table, spec.block or "", spec.row, spec.row_label, spec.column, spec.column_label))
    return head, wide_cell_columns().index(spec.name), spec


@functools.cache
def _prose_head(section: str) -> str:
    """A prose section's ``prose,,section,heading`` fields, encoded."""
    return _encode_line(("prose", "", section, prose_label(section)))


_EMPTY_TAIL = "," * (len(LONG_COLUMNS) - 6) + "\n"
"""After the meta fields of a report with neither tables nor prose: ten empty fields."""


def _has_cr(report: Report, report_id: str) -> bool:
    """Whether the id, organ, title or prose holds a ``\\r`` (cells are checked as they
    are written)."""
    if "\r" in report_id or "\r" in report.organ or "\r" in report.title:
        return True
    return any("\r" in p for section in PROSE_SECTIONS for p in getattr(report, section))


def _safe_row(row: list[str]) -> list[str]:
    """A long-layout row with its text fields (report, organ, title, unit, text)
    :func:`neutralise`-d."""
    out = list(row)
    for i in _LONG_TEXT_FIELDS:
        out[i] = neutralise(out[i])
    return out


_LONG_TEXT_FIELDS = tuple(LONG_COLUMNS.index(name) for name in ("report", "organ", "title", "unit", "text"))
"""The long layout's fields that hold text from the document (the others are keys,
labels, states and numbers opengov writes itself)."""


def _safe_meta(report: Report, safe: bool) -> list[str]:
    meta = _meta(report)
    if safe:
        meta[1], meta[3] = neutralise(meta[1]), neutralise(meta[3])
    return meta


@attrs.frozen(kw_only=True)
class LinePieces:
    """One report's long-layout lines without their report id, in pieces: line *i* of its
    cells is ``f"{id},{meta},"`` + ``plan.heads[i]`` (decoded) + ``tails[i]``, and the
    lines after them (prose; the one line of a report without tables or prose) are
    ``f"{id},{meta},"`` + each of ``rests`` (the id :func:`encode_field`-d)."""

    meta: str
    """The encoded fields every line repeats: ``format,organ,year,title``."""
    plan: LinePlan
    """The cell lines' plan (shared by every report of the format holding the same tables)."""
    tails: list[str]
    """Each cell line's ``state,value,unit,text`` fields, encoded, ending in ``\\n``."""
    rests: list[str]
    """Each other line after ``f"{id},{meta},"``, ending in ``\\n``."""


_ABSENT_TAIL = _encode_line(cell_to_long(None, "an absent cell")) + "\n"
"""An absent cell's ``state,value,unit,text`` fields (nothing in them to neutralise)."""
_BLANK_TAIL = _encode_line(cell_to_long(Blank(), "a blank cell")) + "\n"
"""A blank cell's ``state,value,unit,text`` fields (nothing in them to neutralise)."""


def line_pieces(report: Report, safe: bool = True, *, report_id: str = "") -> LinePieces | None:
    """The long-layout lines of one report without their report id, as
    :class:`LinePieces`; ``None`` when a field holds a ``\\r`` (such a line is written by
    :func:`csv.writer`, see :func:`_written_lines`).  ``safe``: text fields
    :func:`neutralise`-d; ``report_id`` names the report in the error raised for a cell
    that cannot be written."""
    if _has_cr(report, ""):
        return None
    plan, values = _planned(report)
    tails: list[str] = []
    add = tails.append
    for (_, _, spec), value in zip(plan.cells, values, strict=True):
        if type(value) is int:  # the common case: a count needs no quoting
            text = str(value)
            add(f"number,{text},,{text}\n")
            continue
        if value is None or type(value) is Blank:  # the same line for every such cell
            add(_ABSENT_TAIL if value is None else _BLANK_TAIL)
            continue
        fields = cell_to_long(value, f"report {report_id}: {spec.name}")
        if any("\r" in field for field in fields):
            return None
        if safe:
            fields = (fields[0], fields[1], neutralise(fields[2]), neutralise(fields[3]))
        add(_encode_line(fields) + "\n")
    rests: list[str] = []
    for section in PROSE_SECTIONS:
        paragraphs: tuple[str, ...] = getattr(report, section)
        if paragraphs:
            head = _prose_head(section)
            for number, paragraph in enumerate(paragraphs, 1):
                rests.append(f"{head},{number},,text,,,{encode_field(neutralise(paragraph) if safe else paragraph)}\n")
    if not tails and not rests:
        rests.append(_EMPTY_TAIL)
    return LinePieces(meta=_encode_line(_safe_meta(report, safe)), plan=plan, tails=tails, rests=rests)


def _built_lines(report: Report, report_id: str, safe: bool = True) -> list[str] | None:
    """The long-layout lines of one report built from encoded pieces (:func:`line_pieces`);
    ``None`` when a field holds a ``\\r`` (the caller then writes the rows)."""
    if "\r" in report_id:
        return None
    pieces = line_pieces(report, safe, report_id=report_id)
    if pieces is None:
        return None
    lead = f"{encode_field(neutralise(report_id) if safe else report_id)},{pieces.meta},"
    cells = pieces.plan.cells
    lines = [f"{lead}{head},{tail}" for (head, _, _), tail in zip(cells, pieces.tails, strict=True)]
    lines += [lead + rest for rest in pieces.rests]
    return lines


def _written_lines(report: Report, report_id: str, safe: bool = True) -> list[str]:
    """The long-layout lines of one report through :func:`csv.writer`; a line with a
    field holding ``\\r`` has every field quoted (the writer of Python 3.11 with
    ``lineterminator="\\n"`` leaves a bare ``\\r`` unquoted, which splits the line on
    reading).  The report id is written before the writer's fields."""
    shown_id = neutralise(report_id) if safe else report_id
    lead = (_quote_all(shown_id) if "\r" in shown_id else encode_field(shown_id)) + ","
    lines = []
    for row in long_rows(report, report_id):
        buffer = io.StringIO(newline="")
        _write_rows(buffer, [(_safe_row(row) if safe else row)[1:]])
        lines.append(lead + buffer.getvalue())
    return lines


def _long_lines(report: Report, report_id: str, safe: bool = True) -> list[str]:
    lines = _built_lines(report, report_id, safe)
    return _written_lines(report, report_id, safe) if lines is None else lines


def _id_text(report_id: object) -> str:
    if isinstance(report_id, bool) or not isinstance(report_id, (int, str)):
        raise TypeError(f"a report id is an int or a str, not {type(report_id).__name__}")
    return str(report_id)


def csv_lines(report: Report, report_id: int | str = 1, *, header: bool = False, safe: bool = True) -> Iterator[str]:
    """One report's lines of the long CSV layout, each ending in ``\\n``.

    ``report_id`` fills the ``report`` column (:func:`to_csv` numbers reports 1, 2, 3 …;
    any text may be used, :func:`from_csv` groups lines by it).  With ``header=True`` the
    header line comes first.  Lines of several reports with distinct ids, concatenated
    after one header, are a long CSV: ``to_csv(reports)`` is exactly
    ``"".join(csv_lines(r, n, header=n == 1) for n, r in enumerate(reports, 1))`` (or the
    header alone, ``to_csv([])``, when there is no report).

    ``safe`` (the default) writes text that a spreadsheet would run as a formula with a
    ``'`` in front, as :func:`to_csv` does (see there).

    Raises ``TypeError`` for a value that is not a cell state and ``ValueError`` for an
    amount that cannot be written exactly (not finite).
    """
    if not isinstance(report, Report):
        raise TypeError(f"expected an opengov.Report, got {type(report).__name__}")
    lines = _long_lines(report, _id_text(report_id), bool(safe))
    return iter([LONG_HEADER, *lines] if header else lines)


# ---------------------------------------------------------------------------------------
# The wide layout
# ---------------------------------------------------------------------------------------


def _wide_rows(reports: list[Report], safe: bool = True) -> Iterator[list[str]]:
    width = len(wide_cell_columns())
    for index, report in enumerate(reports, 1):
        cells = [""] * width
        for (_, position, spec), value in _planned_values(report):
            # a count as cell_to_wide writes it, without naming the cell for an error
            if type(value) is int:
                cells[position] = str(value)
            else:
                text = cell_to_wide(value, spec.kind, f"report {index}: {spec.name}")
                cells[position] = neutralise(text) if safe else text
        tables = " ".join(t for t in TABLES if getattr(report, t) is not None)
        yield [str(index), *_safe_meta(report, safe), tables, *cells]


def _write_rows(buffer: io.StringIO, rows: Iterable[list[str]]) -> None:
    """Rows through the CSV writer; a row with a field holding ``\\r`` is written with every
    field quoted (see :func:`_written_lines`).  Other rows' bytes are unchanged."""
    writer = csv.writer(buffer, lineterminator="\n")
    quoted = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    for row in rows:
        (quoted if any("\r" in field for field in row) else writer).writerow(row)


# ---------------------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------------------


def _as_reports(reports: Report | Iterable[Report]) -> list[Report]:
    if isinstance(reports, Report):
        return [reports]
    out = list(reports)
    for i, report in enumerate(out, 1):
        if not isinstance(report, Report):
            raise TypeError(f"item {i} is not an opengov.Report but {type(report).__name__}")
    return out


def to_csv(
    reports: Report | Iterable[Report],
    shape: Literal["long", "wide"] = "long",
    *,
    bom: bool = False,
    safe: bool = True,
) -> str:
    """Reports as CSV text (a header line, then the lines; ``\\n`` line ends).

    ``shape="long"`` writes one line per cell and per prose paragraph (the reports'
    :func:`csv_lines`, numbered 1, 2, 3 …); ``shape="wide"`` one line per report (no
    prose).  ``bom=True`` starts the text with a byte-order mark so that Excel (Chinese
    Windows in particular) opens the UTF-8 file correctly; write the result with
    ``encoding="utf-8"``.

    ``safe=True`` (the default) keeps a spreadsheet from running text as a formula: a
    text field (organ, title, prose, a unit, a cell's printed text) that starts with ``=``,
    ``+``, ``-``, ``@``, a TAB or a carriage return is written with a ``'`` in front, and so
    is one that starts with ``'`` itself; a signed number such as ``-3`` is left as it is.
    :func:`opengov.from_csv` takes the ``'`` off, so ``from_csv(to_csv(r)) == [r]`` holds
    either way.  ``safe=False`` writes the texts as they are (for pipelines that never open
    the file in a spreadsheet; read it back with ``from_csv(text, safe=False)``).

    Raises ``ValueError`` for a cell that cannot be written exactly: a non-finite amount,
    and in the wide layout a placeholder or unit outside the layout's known ones.
    """
    items = _as_reports(reports)
    start = "\ufeff" if bom else ""
    if shape == "long":
        blocks = (_long_lines(report, str(n), bool(safe)) for n, report in enumerate(items, 1))
        return "".join([start, LONG_HEADER, *itertools.chain.from_iterable(blocks)])
    if shape != "wide":
        raise ValueError(f'shape must be "long" or "wide", got {shape!r}')
    buffer = io.StringIO(newline="")
    buffer.write(start)
    csv.writer(buffer, lineterminator="\n").writerow(wide_columns())
    _write_rows(buffer, _wide_rows(items, bool(safe)))
    return buffer.getvalue()


def to_dataframe(reports: Report | Iterable[Report]) -> Any:
    """The long layout as a ``pandas.DataFrame`` (needs ``pip install 'opengov[pandas]'``).

    Columns are :data:`LONG_COLUMNS` with :data:`DATAFRAME_DTYPES`: ``report`` and ``year``
    are nullable integers, ``value`` a nullable float (``<NA>`` for blank, placeholder,
    absent and prose lines; the exact digits of an amount stay in ``text``), every other
    column a string column.
    """
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise MissingExtraError("pandas", "pandas", "opengov.to_dataframe") from exc
    items = _as_reports(reports)
    rows = [row for n, report in enumerate(items, 1) for row in long_rows(report, str(n))]
    frame = pd.DataFrame(rows, columns=list(LONG_COLUMNS), dtype=object)
    for name in ("report", "year", "value"):
        frame[name] = pd.to_numeric(frame[name].mask(frame[name] == "", None))
    return frame.astype(dict(DATAFRAME_DTYPES))
