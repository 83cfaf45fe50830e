"""CSV for analysts: a long (tidy) layout and a wide layout, many reports per file.

Long layout (:data:`LONG_COLUMNS`) — one line per table cell, then one line per prose
paragraph::

    report,format,organ,year,title,table,block,row,row_label,column,column_label,state,value,unit,text
    1,2021,浙江乍浦…,2023,…,table2,article_20_8,fees,行政事业性收费,amount,本年收费金额（单位：万元）,amount,1341,万元,1341万元

* ``report`` identifies the report inside the file (:func:`to_csv` writes 1, 2, 3 …); lines
  with the same identifier belong to one report, so two reports of the same organ and year
  never merge.  ``format``/``organ``/``year``/``title`` repeat on every line.
* ``state`` is ``number`` (a count, ``value`` an integer), ``amount`` (a money amount,
  ``value`` its decimal digits as printed — ``12.50`` stays ``12.50`` — and ``unit`` the
  unit printed in the cell or empty), ``blank`` (printed empty), ``placeholder`` (``text`` is
  the glyph, e.g. ``/``), ``absent`` (the document does not have the cell) or ``text`` (a
  prose paragraph: ``table`` is ``prose``, ``row`` the section key, ``column`` the paragraph
  number from 1, ``text`` the paragraph).
* ``text`` is how the cell prints (:func:`opengov._codec.cell_text`).
* A report without tables and without prose is written as one line whose ``table`` is
  empty, so that it is not lost.

Wide layout (:func:`wide_columns`) — one line per report: ``report``, ``format``, ``organ``,
``year``, ``title``, ``tables`` (the tables the report has, e.g. ``table2 table3 table4``),
then one column per cell named ``<table>.<row>.<column>`` (``table3.granted.natural_person``)
for the cells of both formats.  A cell is written as it prints — ``36``, ``1341万元``,
``12.50``, a placeholder glyph — with ``""`` for a blank cell and ``NA`` for an absent one;
the columns of the other format and of a table the report does not have are empty.  The wide
layout does not carry prose (use the long layout or JSON).

Round trips: ``from_csv(to_csv(rs)) == rs`` for the long layout (tables, prose and meta:
everything) and ``from_csv(to_csv(rs, layout="wide")) == [without_prose(r) for r in rs]``;
amounts keep their printed digits.  JSON (:func:`opengov.dumps`) is the lossless form of a
single report.

Reading is strict: :func:`from_csv` raises :class:`opengov.LoadError` listing every problem
with its line and column (``line 7, column "value": "abc" is not a number``).
"""

from __future__ import annotations

import csv
import functools
import io
import operator
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any, Literal, Union

import attrs

from opengov import layout
from opengov._errors import LoadError
from opengov._model import (
    BLANK,
    Amount,
    AppealOutcomes,
    ApplicantCounts,
    Blank,
    CellValue,
    Placeholder,
    Report,
    cell_values,
    field_label,
    tables_from_cells,
)
from opengov.layout import COUNT_UNITS, MONEY_UNITS, PLACEHOLDER_GLYPHS, Format, Kind, normalize_label

__all__ = [
    "LONG_COLUMNS",
    "WIDE_META",
    "DATAFRAME_DTYPES",
    "PROSE_SECTIONS",
    "to_csv",
    "from_csv",
    "to_dataframe",
    "wide_columns",
    "without_prose",
]

LONG_COLUMNS: tuple[str, ...] = (
    "report",
    "format",
    "organ",
    "year",
    "title",
    "table",
    "block",
    "row",
    "row_label",
    "column",
    "column_label",
    "state",
    "value",
    "unit",
    "text",
)
"""The columns of the long layout, in the order :func:`to_csv` writes them."""

WIDE_META: tuple[str, ...] = ("report", "format", "organ", "year", "title", "tables")
"""The first columns of the wide layout (the cell columns follow)."""

PROSE_SECTIONS: tuple[str, ...] = ("preamble", "overview", "problems", "other_matters")
"""The prose fields of a report, as the ``row`` of a long-layout ``prose`` line."""

TABLES: tuple[str, ...] = ("table2", "table3", "table4")
STATES: tuple[str, ...] = ("number", "amount", "blank", "placeholder", "absent")
"""The ``state`` of a table cell in the long layout (prose lines have ``text``)."""

ABSENT = "NA"
"""How the wide layout writes an absent cell."""

_MAX_PROBLEMS = 100
_INT_RE = re.compile(r"-?[0-9]+")
_DECIMAL_RE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_UNIT_LIST = MONEY_UNITS + COUNT_UNITS
_WIDE_UNITS = frozenset(_UNIT_LIST)
_GLYPHS = frozenset(PLACEHOLDER_GLYPHS)

# ---------------------------------------------------------------------------------------
# What the layout says, flattened once per format
# ---------------------------------------------------------------------------------------


@attrs.frozen
class _CellSpec:
    table: str
    block: str
    row: str
    row_labels: frozenset[str]
    column: str
    column_labels: frozenset[str]
    kind: Kind
    row_label: str
    column_label: str

    @property
    def name(self) -> str:
        return f"{self.table}.{self.row}.{self.column}"


def _labels(label: str, variants: tuple[str, ...]) -> frozenset[str]:
    return frozenset(normalize_label(x) for x in (label, *variants))


def _specs(fmt: Format) -> tuple[_CellSpec, ...]:
    lay = layout.layout_for(fmt)
    out: list[_CellSpec] = []
    for block, row, column in lay.table2.cells():
        out.append(
            _CellSpec(
                "table2",
                block.key,
                row.key,
                _labels(row.label, row.variants),
                column.key,
                _labels(column.label, (*column.variants, *([column.short_label] if column.short_label else []))),
                column.kind,
                row.label,
                column.label,
            )
        )
    for group, row3, column3 in lay.table3.cells():
        out.append(
            _CellSpec(
                "table3",
                group.key if group else "",
                row3.key,
                _labels(row3.label, row3.variants),
                column3.key,
                _labels(column3.label, column3.variants),
                column3.kind,
                row3.label,
                column3.label,
            )
        )
    for block4, column4 in lay.table4.cells():
        out.append(
            _CellSpec(
                "table4",
                block4.key,
                block4.key,
                _labels(block4.label, block4.variants),
                column4.key,
                _labels(column4.label, column4.variants),
                column4.kind,
                block4.label,
                column4.label,
            )
        )
    return tuple(out)


_LONG_HEADER = ",".join(LONG_COLUMNS) + "\n"

_SPECS: dict[Format, tuple[_CellSpec, ...]] = {fmt: _specs(fmt) for fmt in Format}
_SPEC_BY_KEY: dict[Format, dict[tuple[str, str, str], _CellSpec]] = {
    fmt: {(s.table, s.row, s.column): s for s in specs} for fmt, specs in _SPECS.items()
}
_SPEC_BY_NAME: dict[Format, dict[str, _CellSpec]] = {fmt: {s.name: s for s in specs} for fmt, specs in _SPECS.items()}
_SECTION_LABELS: dict[str, frozenset[str]] = {
    name: frozenset({normalize_label(field_label(Report, name))}) for name in PROSE_SECTIONS
}


def _wide_cell_columns() -> tuple[str, ...]:
    names: list[str] = []
    for table in TABLES:
        for fmt in (Format.V2021, Format.V2019):
            for spec in _SPECS[fmt]:
                if spec.table == table and spec.name not in names:
                    names.append(spec.name)
    return tuple(names)


_WIDE_CELLS = _wide_cell_columns()


def wide_columns() -> tuple[str, ...]:
    """Every column of the wide layout, in order: the meta columns, then one column per
    cell of both formats (table 2 of 2021, the 2019 table 2 cells that 2021 lacks, table 3
    likewise, table 4)."""
    return WIDE_META + _WIDE_CELLS


# ---------------------------------------------------------------------------------------
# Building reports from cells (shared by both readers)
# ---------------------------------------------------------------------------------------


def _build_table(fmt: Format, table: str, cells: dict[tuple[str, str], CellValue | None]) -> Any:
    keyed = {(table, row, column): value for (row, column), value in cells.items()}
    return tables_from_cells(fmt, keyed, (table,))[table]


def without_prose(report: Report) -> Report:
    """The report with its prose removed: what the wide layout carries."""
    return attrs.evolve(report, preamble=(), overview=(), problems=(), other_matters=())


def _as_reports(reports: Report | Iterable[Report]) -> list[Report]:
    if isinstance(reports, Report):
        return [reports]
    out = list(reports)
    for i, report in enumerate(out, 1):
        if not isinstance(report, Report):
            raise TypeError(f"item {i} is not an opengov.Report but {type(report).__name__}")
    return out


def _check_amount(amount: Amount, where: str) -> str:
    if not amount.value.is_finite():
        raise ValueError(f"{where}: the amount {amount.value} is not a finite number")
    if amount.unit == "":
        raise ValueError(f"{where}: an amount's unit is an empty string (use None for no unit)")
    return str(amount.value)


# ---------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------


def _year(report: Report) -> str:
    return "" if report.year is None else str(report.year)


def _long_rows(reports: list[Report], first: int = 1) -> Iterator[list[str]]:
    for index, report in enumerate(reports, first):
        meta = [str(index), report.format.value, report.organ, _year(report), report.title]
        wrote = False
        for cell in report.cells():
            value = cell.value
            block = cell.block or ""
            head = [*meta, cell.table, block, cell.row, cell.row_label, cell.column, cell.column_label]
            if isinstance(value, bool):
                raise TypeError(f"report {index}: {cell.table}.{cell.row}.{cell.column} holds a bool")
            if isinstance(value, int):
                text = str(value)
                yield [*head, "number", text, "", text]
            elif isinstance(value, Amount):
                digits = _check_amount(value, f"report {index}: {cell.table}.{cell.row}.{cell.column}")
                yield [*head, "amount", digits, value.unit or "", f"{digits}{value.unit or ''}"]
            elif isinstance(value, Blank):
                yield [*head, "blank", "", "", ""]
            elif isinstance(value, Placeholder):
                yield [*head, "placeholder", "", "", value.glyph]
            elif value is None:
                yield [*head, "absent", "", "", ""]
            else:
                raise TypeError(f"report {index}: {cell.table}.{cell.row}.{cell.column} is not a cell: {value!r}")
            wrote = True
        for section in PROSE_SECTIONS:
            paragraphs: tuple[str, ...] = getattr(report, section)
            label = field_label(Report, section)
            for number, paragraph in enumerate(paragraphs, 1):
                yield [*meta, "prose", "", section, label, str(number), "", "text", "", "", paragraph]
                wrote = True
        if not wrote:
            yield [*meta, *[""] * (len(LONG_COLUMNS) - len(meta))]


def _wide_text(value: CellValue | None, kind: Kind, where: str) -> str:
    if value is None:
        return ABSENT
    if isinstance(value, Blank):
        return ""
    if isinstance(value, bool):
        raise TypeError(f"{where} holds a bool")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Amount):
        digits = _check_amount(value, where)
        if value.unit is not None and value.unit not in _WIDE_UNITS:
            raise ValueError(
                f"{where}: the unit {value.unit!r} cannot be written in the wide layout "
                f"(known units: {', '.join(_UNIT_LIST)}); use layout='long'"
            )
        if value.unit is None and kind is not Kind.MONEY and _INT_RE.fullmatch(digits):
            digits += "."  # Decimal("5.") == Decimal("5") with the same digits; a count never has a dot
        return digits + (value.unit or "")
    if isinstance(value, Placeholder):
        if value.glyph not in _GLYPHS:
            raise ValueError(
                f"{where}: the placeholder {value.glyph!r} cannot be written in the wide layout "
                f"(known placeholders: {' '.join(PLACEHOLDER_GLYPHS)}); use layout='long'"
            )
        return value.glyph
    raise TypeError(f"{where} is not a cell: {value!r}")


def _wide_rows(reports: list[Report]) -> Iterator[list[str]]:
    position = {name: i for i, name in enumerate(_WIDE_CELLS)}
    for index, report in enumerate(reports, 1):
        cells = [""] * len(_WIDE_CELLS)
        specs = _SPEC_BY_KEY[report.format]
        tables = [t for t in TABLES if getattr(report, t) is not None]
        for cell, value in cell_values(report):
            spec = specs[cell.key]
            text = str(value) if type(value) is int else _wide_text(value, spec.kind, f"report {index}: {spec.name}")
            cells[position[spec.name]] = text
        yield [str(index), report.format.value, report.organ, _year(report), report.title, " ".join(tables), *cells]


_ENCODED: dict[str, str] = {}
"""Memo: a field → as the CSV writer writes it (quoted when it must be)."""
_ENCODED_LIMIT = 1 << 16


def _encode_uncached(field: str) -> str:
    """``field`` exactly as :func:`csv.writer` (our dialect) writes it inside a line.

    The writer quotes each field on its own (the one exception, a line of a single empty
    field, never occurs here), so a line is its encoded fields joined with ``,``.  The
    writer itself decides (its rules vary between Python versions).
    """
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\n").writerow((field, ""))
    return buffer.getvalue()[:-2]  # without the "," of the empty field and the "\n"


def _encode(field: str) -> str:
    """:func:`_encode_uncached`, memoised (labels, organs, units and glyphs recur)."""
    found = _ENCODED.get(field)
    if found is None:
        found = _encode_uncached(field)
        if len(_ENCODED) >= _ENCODED_LIMIT:
            _ENCODED.clear()
        _ENCODED[field] = found
    return found


def _encode_line(fields: Iterable[str]) -> str:
    return ",".join([_encode(field) for field in fields])


CellSlot = tuple[str, Union[str, None], Union[str, None], str, str, str, str]  # noqa: UP007
"""A cell's fixed part: ``(table, block, block_label, row, row_label, column, column_label)``."""

_SLOT_HEADS: dict[CellSlot, str] = {}


def _slot_head(slot: CellSlot) -> str:
    """The encoded ``table … column_label`` fields of a cell (shared by every report)."""
    found = _SLOT_HEADS.get(slot)
    if found is None:
        table, block, _block_label, row, row_label, column, column_label = slot
        found = _SLOT_HEADS[slot] = _encode_line((table, block or "", row, row_label, column, column_label))
    return found


def _has_cr(report: Report) -> bool:
    """Whether a report's organ, title or prose holds a ``\r`` (cells are checked as they
    are written)."""
    if "\r" in report.organ or "\r" in report.title:
        return True
    return any("\r" in p for section in PROSE_SECTIONS for p in getattr(report, section))


def _write_rows(buffer: io.StringIO, rows: Iterable[list[str]]) -> None:
    """Rows through the CSV writer; a row with a field holding ``\r`` is written with every
    field quoted (the writer of Python 3.11 with ``lineterminator="\n"`` leaves a bare
    ``\r`` unquoted, which splits the line on reading).  Other rows' bytes are unchanged."""
    writer = csv.writer(buffer, lineterminator="\n")
    quoted = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    for row in rows:
        (quoted if any("\r" in field for field in row) else writer).writerow(row)


def _report_tails(report: Report, index: int) -> list[str]:
    """One report's long-layout lines without their leading report number: each starts
    with ``,`` and ends with ``\n``, so ``str(n).join(["", *tails])`` is the report's
    block numbered ``n``.  ``index`` only names the report in error messages."""
    prefix, rests = _report_parts(report, index)
    return [prefix + rest for rest in rests] if prefix else rests


def _report_parts(report: Report, index: int) -> tuple[str, list[str]]:
    """:func:`_report_tails` as ``(prefix, rests)``: each tail is ``prefix + rest`` (the
    prefix is the report's encoded meta fields, the same on every line; it may be ``""``)."""
    parts = None if _has_cr(report) else _fast_parts(report, index)
    if parts is not None:
        return parts
    # rare: through the writer, rows with a bare \r fully quoted
    tails = []
    for row in _long_rows([report], index):
        buffer = io.StringIO(newline="")
        _write_rows(buffer, [row[1:]])
        tails.append("," + buffer.getvalue())
    return "", tails


def _tuple_getter(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    if len(names) == 1:
        name = names[0]
        return lambda record: (getattr(record, name),)
    return operator.attrgetter(*names)


@functools.cache
def _tails_plan(fmt: Format, table2_type: type | None) -> tuple[Any, Any, Any]:
    """:func:`_cell_values`' plans with each cell's encoded head: table 2 as ``(slot, head,
    row key, column key, direct)``, tables 3 and 4 as ``(row key, getter of its values,
    ((slot, head), …))`` per row or block."""
    index = layout.cell_index(fmt)

    def slot(spec: layout.CellSpec) -> CellSlot:
        return (spec.table, spec.block, spec.block_label, spec.row, spec.row_label, spec.column, spec.column_label)

    t2 = tuple(
        (slot(spec), _slot_head(slot(spec)), spec.row, spec.column, spec.direct)
        for spec in (index.table("table2") if table2_type else ())
    )
    t3, t4 = (
        tuple(
            (key, _tuple_getter(tuple(c.column for c in cells)), tuple((slot(c), _slot_head(slot(c))) for c in cells))
            for key, cells in index.rows(table)
        )
        for table in ("table3", "table4")
    )
    return t2, t3, t4


def _other_line(slot: CellSlot, head: str, value: object, index: int) -> str | None:
    """A cell's line after the prefix, for a value that is not an ``int`` (None when it
    holds a ``\r``)."""
    if value is None:
        return f"{head},absent,,,\n"
    where = f"report {index}: {slot[0]}.{slot[3]}.{slot[5]}"
    if isinstance(value, bool):
        raise TypeError(f"{where} holds a bool")
    if isinstance(value, int):
        text = str(value)
        return f"{head},number,{text},,{text}\n"
    if isinstance(value, Amount):
        digits = _check_amount(value, where)
        unit = value.unit or ""
        if "\r" in unit:
            return None
        return f"{head},{_encode_line(('amount', digits, unit, f'{digits}{unit}'))}\n"
    if isinstance(value, Blank):
        return f"{head},blank,,,\n"
    if isinstance(value, Placeholder):
        if "\r" in value.glyph:
            return None
        return f"{head},placeholder,,,{_encode(value.glyph)}\n"
    raise TypeError(f"{where} is not a cell: {value!r}")


def _fast_parts(report: Report, index: int) -> tuple[str, list[str]] | None:
    """:func:`_report_parts` from encoded pieces; None when a cell holds a ``\r`` (or a
    table holds a record of an unexpected type: the writer's path reports it)."""
    out: list[str] = []
    add = out.append
    meta = [report.format.value, report.organ, _year(report), report.title]
    prefix = "," + _encode_line(meta) + ","
    table2, table3, table4 = report.table2, report.table3, report.table4
    table2_type: type | None = None if table2 is None else type(table2)
    t2_plan, t3_plan, t4_plan = _tails_plan(report.format, table2_type)
    line: str | None
    if table2 is not None:
        for slot, head, row_key, column_key, direct in t2_plan:
            record = getattr(table2, row_key)
            value = record if direct else getattr(record, column_key)
            if type(value) is int:
                text = str(value)
                add(f"{head},number,{text},,{text}\n")
            else:
                line = _other_line(slot, head, value, index)
                if line is None:
                    return None
                add(line)
    for table, plan, record_type in ((table3, t3_plan, ApplicantCounts), (table4, t4_plan, AppealOutcomes)):
        if table is None:
            continue
        for key, getter, cells in plan:
            record = getattr(table, key)
            if type(record) is not record_type:
                return None
            for (slot, head), value in zip(cells, getter(record), strict=True):
                if type(value) is int:
                    text = str(value)
                    add(f"{head},number,{text},,{text}\n")
                else:
                    line = _other_line(slot, head, value, index)
                    if line is None:
                        return None
                    add(line)
    for section in PROSE_SECTIONS:
        paragraphs: tuple[str, ...] = getattr(report, section)
        if not paragraphs:
            continue
        head = _PROSE_HEADS.get(section) or _prose_head(section)
        for number, paragraph in enumerate(paragraphs, 1):
            # a paragraph is rarely seen twice: encode it without the memo
            add(f"{head},{number},,text,,,{_encode_uncached(paragraph)}\n")
    if not out:
        line = "," + _encode_line([*meta, *[""] * (len(LONG_COLUMNS) - len(meta) - 1)]) + "\n"
        if not line.startswith(prefix):
            return "", [line]
        add(line[len(prefix) :])
    return prefix, out


_PROSE_HEADS: dict[str, str] = {}


def _prose_head(section: str) -> str:
    head = _PROSE_HEADS[section] = _encode_line(("prose", "", section, _PROSE_LABELS[section]))
    return head


def _long_lines(reports: list[Report], first: int = 1) -> Iterator[str]:
    """The long layout's blocks (one per report, lines ending in ``\n``), as
    :func:`_long_rows` through the CSV writer would write them; built from encoded pieces,
    every cell head encoded once.  Reports are numbered from ``first``."""
    for index, report in enumerate(reports, first):
        yield str(index).join(["", *_report_tails(report, index)])


_PROSE_LABELS = {section: field_label(Report, section) for section in PROSE_SECTIONS}


def to_csv(
    reports: Report | Iterable[Report],
    layout: Literal["long", "wide"] = "long",
    *,
    bom: bool = False,
) -> str:
    """Reports as CSV text (a header line, then the lines; ``\\n`` line ends).

    ``layout="long"`` writes one line per cell and per prose paragraph; ``layout="wide"``
    one line per report (no prose).  ``bom=True`` starts the text with a byte-order mark
    so that Excel (Chinese Windows in particular) opens the UTF-8 file correctly; write the
    result with ``encoding="utf-8"``.

    Raises ``ValueError`` for a cell that cannot be written exactly: a non-finite amount,
    and in the wide layout a placeholder or unit outside the layout's known ones.
    """
    items = _as_reports(reports)
    if layout == "long":
        return ("\ufeff" if bom else "") + _LONG_HEADER + "".join(_long_lines(items))
    if layout == "wide":
        header = wide_columns()
        rows = _wide_rows(items)
    else:
        raise ValueError(f'layout must be "long" or "wide", got {layout!r}')
    buffer = io.StringIO(newline="")
    if bom:
        buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    _write_rows(buffer, rows)
    return buffer.getvalue()


def _to_csv_lines(reports: Iterable[Report], first_id: int, *, header: bool = False) -> str:
    """Long-layout CSV lines of ``reports`` numbered from ``first_id`` (the ``report``
    column), with the header line only when ``header`` is true: blocks written this way
    and concatenated are byte-identical to one :func:`to_csv` of all the reports.
    Private: ``opengov batch`` workers write their reports' final lines with it."""
    lines = "".join(_long_lines(_as_reports(reports), first_id))
    return _LONG_HEADER + lines if header else lines


# ---------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------


class _Problems:
    """Problems collected while reading, each naming its line and column."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.more = 0

    def add(self, line: int, column: str | None, message: str) -> None:
        if len(self.items) >= _MAX_PROBLEMS:
            self.more += 1
            return
        where = f"line {line}" if column is None else f'line {line}, column "{column}"'
        self.items.append(f"{where}: {message}")

    def raise_if_any(self) -> None:
        if self.items:
            extra = [f"… and {self.more} more problem(s)"] if self.more else []
            raise LoadError([*self.items, *extra])


def _show(text: str) -> str:
    shown = text if len(text) <= 40 else text[:40] + "…"
    return '"' + shown.replace('"', '\\"') + '"'


def _decode(data: str | bytes) -> str:
    if isinstance(data, (bytes, bytearray, memoryview)):
        raw = bytes(data)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise LoadError([f"line {line}: not UTF-8 text (byte {exc.start})"]) from None
        return text
    if not isinstance(data, str):
        raise TypeError(f"from_csv reads str or bytes, not {type(data).__name__}")
    return data[1:] if data.startswith("\ufeff") else data


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """``(first line number, fields)`` for every CSV record."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    while True:
        start = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise LoadError([f"line {reader.line_num or start}: not valid CSV ({exc})"]) from None
        yield start, fields


def from_csv(data: str | bytes) -> list[Report]:
    """Reports from CSV text or bytes written in either layout (found from the header).

    A byte-order mark is accepted.  Raises :class:`opengov.LoadError` listing every problem
    with its line and column: a missing or unknown column, an unknown table, row or column
    key, a value that is not a number where a number belongs, a cell given twice or missing,
    lines of one report that disagree on its meta data.
    """
    records = _records(_decode(data))
    first = next(records, None)
    if first is None:
        raise LoadError(["line 1: empty CSV (no header line)"])
    _, header = first
    if "state" in header:
        return _LongReader(header, records).read()
    if "tables" in header or any(name.startswith(TABLES) for name in header):
        return _WideReader(header, records).read()
    raise LoadError(
        [
            'line 1: not an opengov CSV header (the long layout has a "state" column, '
            'the wide layout a "tables" column and cell columns such as "table3.granted.total")'
        ]
    )


def _header_index(header: list[str], required: Sequence[str], known: set[str], problems: _Problems) -> dict[str, int]:
    index: dict[str, int] = {}
    for position, name in enumerate(header):
        if name in index:
            problems.add(1, name, "the column appears twice")
        elif name not in known:
            problems.add(1, name, "unknown column")
        else:
            index[name] = position
    for name in required:
        if name not in index:
            problems.add(1, None, f'missing column "{name}"')
    return index


def _read_format(text: str, line: int, problems: _Problems) -> Format | None:
    if text in ("2019", "2021"):
        return Format(text)
    problems.add(line, "format", f'{_show(text)} is not a format ("2019" or "2021")')
    return None


def _read_year(text: str, line: int, problems: _Problems) -> int | None:
    if text == "":
        return None
    if _INT_RE.fullmatch(text):
        return int(text)
    problems.add(line, "year", f"{_show(text)} is not a year")
    return None


@attrs.define
class _Pending:
    """One report being read: its meta, cells and prose, and where it was seen."""

    first_line: int
    format: Format
    organ: str
    year: int | None
    title: str
    cells: dict[str, dict[tuple[str, str], CellValue | None]] = attrs.field(factory=dict)
    cell_lines: dict[tuple[str, str, str], int] = attrs.field(factory=dict)
    prose: dict[str, dict[int, str]] = attrs.field(factory=dict)
    prose_lines: dict[tuple[str, int], int] = attrs.field(factory=dict)
    last_line: int = 0
    failed: bool = False
    """A line of the report had a problem (cells it lacks are then not reported again)."""


def _finish(report_id: str, pending: _Pending, problems: _Problems, prose: bool) -> Report | None:
    """The report, or ``None`` after recording what is missing."""
    if pending.failed:
        return None
    ok = True
    where = f"report {_show(report_id)} (lines {pending.first_line}–{pending.last_line})"
    specs = _SPECS[pending.format]
    seen = pending.cell_lines
    for table in pending.cells:
        missing = [f"{s.row}.{s.column}" for s in specs if s.table == table and (table, s.row, s.column) not in seen]
        if missing:
            ok = False
            shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
            problems.add(pending.first_line, None, f"{where}: {table} has no line for {shown}")
    paragraphs: dict[str, Any] = {}
    if prose:
        for section, numbered in pending.prose.items():
            expected = list(range(1, len(numbered) + 1))
            if sorted(numbered) != expected:
                ok = False
                gap = min(set(expected) - set(numbered))
                problems.add(pending.first_line, None, f"{where}: {section} has no paragraph {gap}")
                continue
            paragraphs[section] = tuple(numbered[n] for n in expected)
    if not ok or problems.items:
        return None
    tables = {table: _build_table(pending.format, table, cells) for table, cells in pending.cells.items()}
    return Report(
        format=pending.format, organ=pending.organ, year=pending.year, title=pending.title, **paragraphs, **tables
    )


class _LongReader:
    def __init__(self, header: list[str], records: Iterator[tuple[int, list[str]]]) -> None:
        self.problems = _Problems()
        self.header = header
        self.index = _header_index(header, LONG_COLUMNS, set(LONG_COLUMNS), self.problems)
        self.records = records
        self.pending: dict[str, _Pending] = {}
        self.failed: set[str] = set()

    def read(self) -> list[Report]:
        self.problems.raise_if_any()
        width = len(self.header)
        column_of = [self.index[name] for name in LONG_COLUMNS]
        for line, fields in self.records:
            if len(fields) != width:
                self.problems.add(line, None, f"{len(fields)} fields where the header has {width}")
                report_id = fields[self.index["report"]] if len(fields) > self.index["report"] else ""
                if report_id in self.pending:
                    self.pending[report_id].failed = True
                continue
            count = len(self.problems.items) + self.problems.more
            ordered = [fields[i] for i in column_of]
            self._line(line, ordered)
            if len(self.problems.items) + self.problems.more > count and ordered[0] in self.pending:
                self.pending[ordered[0]].failed = True
        reports: list[Report] = []
        for report_id, pending in self.pending.items():
            report = _finish(report_id, pending, self.problems, prose=True)
            if report is not None:
                reports.append(report)
        self.problems.raise_if_any()
        return reports

    def _line(self, line: int, fields: list[str]) -> None:
        problems = self.problems
        (report_id, fmt_text, organ, year_text, title, table, block, row, row_label, column, column_label) = fields[:11]
        state, value, unit, text = fields[11:]
        if report_id == "":
            problems.add(line, "report", "empty (every line names its report)")
            return
        if report_id in self.failed:
            return  # its first line said what is wrong
        pending = self.pending.get(report_id)
        if pending is None:
            count = len(problems.items)
            fmt = _read_format(fmt_text, line, problems)
            year = _read_year(year_text, line, problems)
            if fmt is None or len(problems.items) > count:
                self.failed.add(report_id)
                return
            pending = self.pending[report_id] = _Pending(
                first_line=line, format=fmt, organ=organ, year=year, title=title
            )
        else:
            seen = {"format": pending.format.value, "organ": pending.organ, "year": "", "title": pending.title}
            seen["year"] = "" if pending.year is None else str(pending.year)
            for name, got in (("format", fmt_text), ("organ", organ), ("year", year_text), ("title", title)):
                if got != seen[name]:
                    problems.add(
                        line,
                        name,
                        f"{_show(got)} differs from {_show(seen[name])} on line {pending.first_line} "
                        f"(report {_show(report_id)})",
                    )
        pending.last_line = line
        if table == "prose":
            self._prose(line, pending, block, row, row_label, column, column_label, state, value, unit, text)
            return
        if table == "":
            for name, got in zip(LONG_COLUMNS[6:], fields[6:], strict=True):
                if got:
                    problems.add(line, name, f"{_show(got)} on a line without a table (it must be empty)")
            return
        if table not in TABLES:
            problems.add(line, "table", f"{_show(table)} is not a table (table2, table3, table4, prose or empty)")
            return
        spec = _SPEC_BY_KEY[pending.format].get((table, row, column))
        if spec is None:
            rows = {s.row for s in _SPECS[pending.format] if s.table == table}
            if row not in rows:
                problems.add(line, "row", f"{_show(row)} is not a {table} row of the {pending.format} format")
            else:
                problems.add(line, "column", f"{_show(column)} is not a column of {table} row {row}")
            return
        if block and block != spec.block:
            problems.add(
                line, "block", f"{_show(block)} is not the block of {table} row {row} ({spec.block or 'none'})"
            )
        if row_label and row_label != spec.row_label and normalize_label(row_label) not in spec.row_labels:
            problems.add(line, "row_label", f"{_show(row_label)} is not the label of {table} row {row}")
        if (
            column_label
            and column_label != spec.column_label
            and normalize_label(column_label) not in spec.column_labels
        ):
            problems.add(line, "column_label", f"{_show(column_label)} is not the label of {table} column {column}")
        key = (table, row, column)
        if key in pending.cell_lines:
            problems.add(
                line, None, f"{spec.name} of report {_show(report_id)} again (first on line {pending.cell_lines[key]})"
            )
            return
        pending.cell_lines[key] = line
        cells = pending.cells.setdefault(table, {})
        cell = self._cell(line, state, value, unit, text)
        if cell is not _BAD:
            cells[(row, column)] = cell  # type: ignore[assignment]

    def _cell(self, line: int, state: str, value: str, unit: str, text: str) -> object:
        problems = self.problems
        bad = False

        def empty(name: str, got: str) -> None:
            nonlocal bad
            if got:
                problems.add(line, name, f"{_show(got)} must be empty for a {state} cell")
                bad = True

        if state == "number":
            empty("unit", unit)
            if not _INT_RE.fullmatch(value):
                problems.add(line, "value", f"{_show(value)} is not a number")
                return _BAD
            if text and text != value:
                problems.add(line, "text", f"{_show(text)} does not match the value {value}")
                return _BAD
            return _BAD if bad else int(value)
        if state == "amount":
            if not _DECIMAL_RE.fullmatch(value):
                problems.add(line, "value", f"{_show(value)} is not a number")
                return _BAD
            if text and text != value + unit:
                problems.add(line, "text", f"{_show(text)} does not match the value and unit {value}{unit}")
                return _BAD
            return Amount(value=Decimal(value), unit=unit or None)
        if state == "placeholder":
            empty("value", value)
            empty("unit", unit)
            if not text or text != text.strip():
                problems.add(
                    line, "text", f"{_show(text)} is not a placeholder glyph (non-empty, no surrounding space)"
                )
                return _BAD
            return _BAD if bad else Placeholder(glyph=text)
        if state in ("blank", "absent"):
            empty("value", value)
            empty("unit", unit)
            empty("text", text)
            if bad:
                return _BAD
            return BLANK if state == "blank" else None
        problems.add(line, "state", f"{_show(state)} is not a cell state ({', '.join(STATES)})")
        return _BAD

    def _prose(
        self,
        line: int,
        pending: _Pending,
        block: str,
        row: str,
        row_label: str,
        column: str,
        column_label: str,
        state: str,
        value: str,
        unit: str,
        text: str,
    ) -> None:
        problems = self.problems
        if row not in PROSE_SECTIONS:
            problems.add(line, "row", f"{_show(row)} is not a prose section ({', '.join(PROSE_SECTIONS)})")
            return
        if row_label and normalize_label(row_label) not in _SECTION_LABELS[row]:
            problems.add(line, "row_label", f"{_show(row_label)} is not the heading of {row}")
        if not (column.isascii() and column.isdigit() and int(column) >= 1):
            problems.add(line, "column", f"{_show(column)} is not a paragraph number (1, 2, 3 …)")
            return
        if state != "text":
            problems.add(line, "state", f'{_show(state)} on a prose line (it must be "text")')
        for name, got in (("block", block), ("column_label", column_label), ("value", value), ("unit", unit)):
            if got:
                problems.add(line, name, f"{_show(got)} on a prose line (it must be empty)")
        number = int(column)
        if (row, number) in pending.prose_lines:
            problems.add(
                line, None, f"paragraph {number} of {row} again (first on line {pending.prose_lines[(row, number)]})"
            )
            return
        pending.prose_lines[(row, number)] = line
        pending.prose.setdefault(row, {})[number] = text


_BAD = object()


class _WideReader:
    def __init__(self, header: list[str], records: Iterator[tuple[int, list[str]]]) -> None:
        self.problems = _Problems()
        self.header = header
        self.index = _header_index(header, WIDE_META, set(wide_columns()), self.problems)
        self.records = records
        self.missing_reported: set[str] = set()

    def read(self) -> list[Report]:
        problems = self.problems
        problems.raise_if_any()
        width = len(self.header)
        meta = [self.index[name] for name in WIDE_META]
        cell_columns = [(name, self.index[name]) for name in _WIDE_CELLS if name in self.index]
        seen: dict[str, int] = {}
        reports: list[Report] = []
        for line, fields in self.records:
            if len(fields) != width:
                problems.add(line, None, f"{len(fields)} fields where the header has {width}")
                continue
            report_id, fmt_text, organ, year_text, title, tables_text = (fields[i] for i in meta)
            if report_id in seen:
                problems.add(line, "report", f"{_show(report_id)} again (first on line {seen[report_id]})")
                continue
            seen[report_id] = line
            fmt = _read_format(fmt_text, line, problems)
            year = _read_year(year_text, line, problems)
            tables = tables_text.split()
            unknown = [t for t in tables if t not in TABLES]
            if unknown or len(set(tables)) != len(tables):
                problems.add(line, "tables", f"{_show(tables_text)} is not a list of tables (table2 table3 table4)")
                continue
            if fmt is None:
                continue
            pending = _Pending(first_line=line, last_line=line, format=fmt, organ=organ, year=year, title=title)
            specs = _SPEC_BY_NAME[fmt]
            for table in tables:
                pending.cells[table] = {}
            for name in _WIDE_CELLS:
                spec = specs.get(name)
                needed = spec is not None and spec.table in pending.cells and name not in self.index
                if needed:
                    pending.failed = True
                if needed and name not in self.missing_reported:
                    self.missing_reported.add(name)
                    problems.add(1, None, f'missing column "{name}" (needed by the {fmt} format report on line {line})')
            for name, position in cell_columns:
                text = fields[position]
                spec = specs.get(name)
                if spec is None or spec.table not in pending.cells:
                    if text:
                        why = (
                            f"a {fmt} format report has no such cell"
                            if spec is None
                            else f'the report has no {name.split(".")[0]} (see column "tables")'
                        )
                        problems.add(line, name, f"{_show(text)} but {why}; the cell must be empty")
                    continue
                pending.cell_lines[(spec.table, spec.row, spec.column)] = line
                cell = self._cell(line, name, text, spec.kind)
                if cell is not _BAD:
                    pending.cells[spec.table][(spec.row, spec.column)] = cell  # type: ignore[assignment]
            report = _finish(report_id, pending, problems, prose=False)
            if report is not None:
                reports.append(report)
        problems.raise_if_any()
        return reports

    def _cell(self, line: int, name: str, text: str, kind: Kind) -> object:
        if text == "":
            return BLANK
        if text == ABSENT:
            return None
        if text in _GLYPHS:
            return Placeholder(glyph=text)
        if kind is not Kind.MONEY and _INT_RE.fullmatch(text):
            return int(text)
        match = _DECIMAL_RE.match(text)
        if match is not None:
            digits, unit = text[: match.end()], text[match.end() :]
            if unit == "" or unit in _WIDE_UNITS:
                return Amount(value=Decimal(digits), unit=unit or None)
        self.problems.add(
            line,
            name,
            f"{_show(text)} is not a number, an amount with a unit ({', '.join(_UNIT_LIST)}), "
            f"a placeholder ({' '.join(PLACEHOLDER_GLYPHS)}), empty (blank) or {ABSENT} (absent)",
        )
        return _BAD


# ---------------------------------------------------------------------------------------
# pandas
# ---------------------------------------------------------------------------------------

DATAFRAME_DTYPES: dict[str, str] = {
    "report": "Int64",
    "format": "string",
    "organ": "string",
    "year": "Int64",
    "title": "string",
    "table": "string",
    "block": "string",
    "row": "string",
    "row_label": "string",
    "column": "string",
    "column_label": "string",
    "state": "string",
    "value": "Float64",
    "unit": "string",
    "text": "string",
}
"""The dtypes of :func:`to_dataframe` (and of ``pd.read_csv`` on a long CSV, see docs/csv.md)."""


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
        raise ImportError("opengov.to_dataframe needs pandas: pip install 'opengov[pandas]'") from exc
    rows = list(_long_rows(_as_reports(reports)))
    frame = pd.DataFrame(rows, columns=list(LONG_COLUMNS), dtype=object)
    for name in ("report", "year", "value"):
        frame[name] = pd.to_numeric(frame[name].mask(frame[name] == "", None))
    return frame.astype(DATAFRAME_DTYPES)
