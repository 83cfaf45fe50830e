"""Reading reports from CSV: :func:`from_csv` (either layout, found from the header).

Reading is strict: :func:`from_csv` raises :class:`opengov.LoadError` listing every problem
with its line and column (``line 7, column "value": "abc" is not a number``).  Cells are read
by :mod:`opengov._codec` (:func:`~opengov._codec.cell_from_long`,
:func:`~opengov._codec.cell_from_wide`), addresses and labels checked against the layout's
cell index, and table records built with :func:`opengov._model.tables_from_cells`.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterator, Sequence

import attrs

from opengov._codec import CellError, CellFieldsError, cell_from_long, cell_from_wide, quoted
from opengov._errors import LoadError
from opengov._model import BLANK, MAX_FIGURE_DIGITS, CellValue, Report, tables_from_cells, with_group_totals
from opengov._serialize.csv_specs import (
    LONG_COLUMNS,
    PROSE_SECTIONS,
    TABLES,
    WIDE_META,
    column_labels,
    prose_label,
    row_labels,
    wide_cell_columns,
    wide_columns,
    wide_specs,
)
from opengov.layout import CellIndex, CellKey, CellSpec, Format, cell_index, normalize_label

__all__ = ["from_csv"]

_MAX_PROBLEMS = 100
_YEAR_RE = re.compile(rf"-?[0-9]{{1,{MAX_FIGURE_DIGITS}}}")
"""A year as the CSV writes it (more digits than a figure may have is no year: Python would
refuse to read an integer of over 4,300 digits)."""


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
    """``(first line number, fields)`` for every CSV record.

    The :mod:`csv` module refuses a field longer than its process-wide
    ``csv.field_size_limit()`` (131,072 characters), which a long paragraph of prose can
    pass; changing that limit would change it for the whole program, so when a text holds
    such a field the records from it on are read by :func:`_long_records` (the same
    records: a property test compares the two)."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    done = 0
    while True:
        start = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                yield from itertools.islice(_long_records(text), done, None)
                return
            raise LoadError([f"line {reader.line_num or start}: not valid CSV ({exc})"]) from None
        done += 1
        yield start, fields


_QUOTED_RE = re.compile(r'"([^"]*(?:""[^"]*)*)"')
_UNQUOTED_RE = re.compile(r"[^,\r\n]*")


def _long_records(text: str) -> Iterator[tuple[int, list[str]]]:
    """``(first line number, fields)`` for every record of CSV text written by
    :func:`opengov.to_csv` (RFC 4180: ``,`` between fields, fields holding a comma, a quote
    or a line end in double quotes with quotes doubled, ``\r\n``, ``\n`` or ``\r`` between
    records), fields of any length; what :mod:`csv` reads with ``strict=True``.  A quote
    that does not close a quoted field is a :class:`LoadError` naming its line."""
    pos, n, line = 0, len(text), 1
    while pos < n:
        start = line
        fields: list[str] = []
        if text[pos] in "\r\n":  # an empty line: no fields
            pos += 2 if text.startswith("\r\n", pos) else 1
            line += 1
            yield start, fields
            continue
        while True:
            if text.startswith('"', pos):
                quoted = _QUOTED_RE.match(text, pos)
                if quoted is None:
                    raise LoadError([f"line {start}: not valid CSV (unexpected end of data)"])
                field = quoted.group(1)
                line += field.count("\n") + field.count("\r") - field.count("\r\n")
                fields.append(field.replace('""', '"'))
                pos = quoted.end()
                if pos < n and text[pos] not in ",\r\n":
                    raise LoadError([f"line {line}: not valid CSV (',' expected after '\"')"])
            else:
                unquoted = _UNQUOTED_RE.match(text, pos)
                assert unquoted is not None  # it matches the empty string
                fields.append(unquoted.group())
                pos = unquoted.end()
            if pos < n and text[pos] == ",":
                pos += 1
                continue
            break
        if pos < n:
            pos += 2 if text.startswith("\r\n", pos) else 1
            line += 1
        yield start, fields


def _unneutralise(field: str) -> str:
    """A text field as it was before :func:`opengov._serialize.csv_write.neutralise`: one
    leading ``'`` taken off."""
    return field[1:] if field[:1] == "'" else field


_LONG_TEXT_FIELDS = tuple(LONG_COLUMNS.index(name) for name in ("report", "organ", "title", "unit", "text"))


def from_csv(data: str | bytes, *, safe: bool = True) -> list[Report]:
    """Reports from CSV text or bytes written in either layout (found from the header).

    ``safe`` says how the text was written (see :func:`opengov.to_csv`): with ``True``, the
    default, a text field's leading ``'`` (written before text a spreadsheet would run as a
    formula) is taken off; give ``safe=False`` for a file written with ``safe=False``.

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
        return _LongReader(header, records, bool(safe)).read()
    if "tables" in header or any(name.startswith(TABLES) for name in header):
        return _WideReader(header, records, bool(safe)).read()
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
    problems.add(line, "format", f'{quoted(text)} is not a format ("2019" or "2021")')
    return None


_MAX_PARAGRAPH_DIGITS = 9
"""A paragraph number has at most this many digits (a report has far fewer paragraphs)."""


def _read_year(text: str, line: int, problems: _Problems) -> int | None:
    if text == "":
        return None
    if _YEAR_RE.fullmatch(text):
        return int(text)
    problems.add(line, "year", f"{quoted(text)} is not a year")
    return None


@attrs.define
class _Pending:
    """One report being read: its meta, cells and prose, and where it was seen."""

    first_line: int
    format: Format
    organ: str
    year: int | None
    title: str
    tables: dict[str, None] = attrs.field(factory=dict)
    """The tables the report has, in the order they were first seen."""
    cells: dict[CellKey, CellValue | None] = attrs.field(factory=dict)
    cell_lines: dict[CellKey, int] = attrs.field(factory=dict)
    prose: dict[str, dict[int, str]] = attrs.field(factory=dict)
    prose_lines: dict[tuple[str, int], int] = attrs.field(factory=dict)
    meta: tuple[str, str, str, str] = ("", "", "", "")
    """Format, organ, year and title as the report's lines must repeat them (the year as
    read back: ``2023`` for ``02023``)."""
    last_line: int = 0
    failed: bool = False
    """A line of the report had a problem (cells it lacks are then not reported again)."""


def _finish(report_id: str, pending: _Pending, problems: _Problems, prose: bool) -> Report | None:
    """The report, or ``None`` after recording what is missing."""
    if pending.failed:
        return None
    ok = True
    where = f"report {quoted(report_id)} (lines {pending.first_line}–{pending.last_line})"
    index = cell_index(pending.format)
    seen = pending.cell_lines
    for table in pending.tables:
        missing = [f"{s.row}.{s.column}" for s in index.table(table) if s.key not in seen]
        if missing:
            ok = False
            shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
            problems.add(pending.first_line, None, f"{where}: {table} has no line for {shown}")
    paragraphs: dict[str, tuple[str, ...]] = {}
    if prose:
        for section, numbered in pending.prose.items():
            expected = list(range(1, len(numbered) + 1))
            if sorted(numbered) != expected:
                ok = False
                gap = min(set(expected) - set(numbered))
                problems.add(pending.first_line, None, f"{where}: {section} has no paragraph {gap}")
                continue
            paragraphs[section] = tuple(numbered[n] for n in expected)
    for row in dict.fromkeys(s.row for s in index.group_totals if s.key in seen):
        missing = [s.column for s in index.group_totals if s.row == row and s.key not in seen]
        if missing:
            ok = False
            problems.add(pending.first_line, None, f"{where}: table3 has no line for {row}.{', '.join(missing)}")
        elif all(pending.cells.get(s.key) in (None, BLANK) for s in index.group_totals if s.row == row):
            ok = False
            problems.add(pending.first_line, None, f"{where}: table3 {row} (a printed group total) has no printed cell")
    if not ok or problems.items:
        return None
    report = Report(
        format=pending.format,
        organ=pending.organ,
        year=pending.year,
        title=pending.title,
        preamble=paragraphs.get("preamble", ()),
        overview=paragraphs.get("overview", ()),
        problems=paragraphs.get("problems", ()),
        other_matters=paragraphs.get("other_matters", ()),
        **tables_from_cells(pending.format, pending.cells, pending.tables),
    )
    return with_group_totals(report, pending.cells)


def _group_total_spec(index: CellIndex, key: CellKey) -> CellSpec | None:
    """The cell of a printed group total at ``key`` (a 2021 table 3 ``other_processing``
    cell), or None."""
    return next((spec for spec in index.group_totals if spec.key == key), None)


class _LongReader:
    def __init__(self, header: list[str], records: Iterator[tuple[int, list[str]]], safe: bool = True) -> None:
        self.safe = safe
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
            if self.safe:
                for i in _LONG_TEXT_FIELDS:
                    ordered[i] = _unneutralise(ordered[i])
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

    def _start(self, line: int, report_id: str, fields: list[str]) -> _Pending | None:
        """The report a line belongs to (begun on its first line); ``None`` when its
        lines are skipped (its first line said what is wrong)."""
        problems = self.problems
        fmt_text, organ, year_text, title = fields[1:5]
        if report_id in self.failed:
            return None
        pending = self.pending.get(report_id)
        if pending is None:
            count = len(problems.items)
            fmt = _read_format(fmt_text, line, problems)
            year = _read_year(year_text, line, problems)
            if fmt is None or len(problems.items) > count:
                self.failed.add(report_id)
                return None
            pending = self.pending[report_id] = _Pending(
                first_line=line, format=fmt, organ=organ, year=year, title=title
            )
            pending.meta = (fmt.value, organ, "" if year is None else str(year), title)
            return pending
        if (fmt_text, organ, year_text, title) == pending.meta:
            return pending  # the common case: as on the report's first line
        seen = dict(zip(("format", "organ", "year", "title"), pending.meta, strict=True))
        for name, got in (("format", fmt_text), ("organ", organ), ("year", year_text), ("title", title)):
            if got != seen[name]:
                problems.add(
                    line,
                    name,
                    f"{quoted(got)} differs from {quoted(seen[name])} on line {pending.first_line} "
                    f"(report {quoted(report_id)})",
                )
        return pending

    def _line(self, line: int, fields: list[str]) -> None:
        problems = self.problems
        report_id, table, block, row, row_label, column, column_label = fields[0], *fields[5:11]
        if report_id == "":
            problems.add(line, "report", "empty (every line names its report)")
            return
        pending = self._start(line, report_id, fields)
        if pending is None:
            return
        pending.last_line = line
        if table == "prose":
            self._prose(line, pending, fields)
            return
        if table == "":
            for name, got in zip(LONG_COLUMNS[6:], fields[6:], strict=True):
                if got:
                    problems.add(line, name, f"{quoted(got)} on a line without a table (it must be empty)")
            return
        if table not in TABLES:
            problems.add(line, "table", f"{quoted(table)} is not a table (table2, table3, table4, prose or empty)")
            return
        index = cell_index(pending.format)
        key = (table, row, column)
        try:
            spec = index.cell(key)
        except KeyError:
            total = _group_total_spec(index, key)
            if total is not None:
                spec = total
            elif row not in {s.row for s in index.table(table)} and row not in {s.row for s in index.group_totals}:
                problems.add(line, "row", f"{quoted(row)} is not a {table} row of the {pending.format} format")
                return
            else:
                problems.add(line, "column", f"{quoted(column)} is not a column of {table} row {row}")
                return
        if block and block != (spec.block or ""):
            problems.add(
                line, "block", f"{quoted(block)} is not the block of {table} row {row} ({spec.block or 'none'})"
            )
        if row_label and row_label != spec.row_label and normalize_label(row_label) not in row_labels(spec):
            problems.add(line, "row_label", f"{quoted(row_label)} is not the label of {table} row {row}")
        if (
            column_label
            and column_label != spec.column_label
            and normalize_label(column_label) not in column_labels(pending.format, spec)
        ):
            problems.add(line, "column_label", f"{quoted(column_label)} is not the label of {table} column {column}")
        if key in pending.cell_lines:
            problems.add(
                line, None, f"{spec.name} of report {quoted(report_id)} again (first on line {pending.cell_lines[key]})"
            )
            return
        pending.cell_lines[key] = line
        pending.tables[table] = None
        try:
            pending.cells[key] = cell_from_long(*fields[11:15])
        except CellFieldsError as exc:
            for name, message in exc.problems:
                problems.add(line, name, message)

    def _prose(self, line: int, pending: _Pending, fields: list[str]) -> None:
        problems = self.problems
        block, row, row_label, column, column_label, state, value, unit, text = fields[6:15]
        if row not in PROSE_SECTIONS:
            problems.add(line, "row", f"{quoted(row)} is not a prose section ({', '.join(PROSE_SECTIONS)})")
            return
        if row_label and normalize_label(row_label) != normalize_label(prose_label(row)):
            problems.add(line, "row_label", f"{quoted(row_label)} is not the heading of {row}")
        if not (column.isascii() and column.isdigit() and len(column) <= _MAX_PARAGRAPH_DIGITS and int(column) >= 1):
            problems.add(line, "column", f"{quoted(column)} is not a paragraph number (1, 2, 3 …)")
            return
        if state != "text":
            problems.add(line, "state", f'{quoted(state)} on a prose line (it must be "text")')
        for name, got in (("block", block), ("column_label", column_label), ("value", value), ("unit", unit)):
            if got:
                problems.add(line, name, f"{quoted(got)} on a prose line (it must be empty)")
        number = int(column)
        if (row, number) in pending.prose_lines:
            problems.add(
                line, None, f"paragraph {number} of {row} again (first on line {pending.prose_lines[(row, number)]})"
            )
            return
        pending.prose_lines[(row, number)] = line
        pending.prose.setdefault(row, {})[number] = text


def _wide_specs_with_totals(fmt: Format, fields: list[str], positions: list[int | None]) -> tuple[CellSpec | None, ...]:
    """:func:`wide_specs` of the format, with the columns of a printed group total (a 2021
    table 3 ``other_processing``) read as its cells when any of them is not empty."""
    specs = wide_specs(fmt)
    totals = cell_index(fmt).group_totals
    if not totals:
        return specs
    names = wide_cell_columns()
    at = {spec.name: names.index(spec.name) for spec in totals}
    printed = {
        spec.row
        for spec in totals
        if positions[at[spec.name]] is not None and fields[positions[at[spec.name]]]  # type: ignore[index]
    }
    if not printed:
        return specs
    found = list(specs)
    for spec in totals:
        if spec.row in printed:
            found[at[spec.name]] = spec
    return tuple(found)


class _WideReader:
    def __init__(self, header: list[str], records: Iterator[tuple[int, list[str]]], safe: bool = True) -> None:
        self.safe = safe
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
        names = wide_cell_columns()
        positions = [self.index.get(name) for name in names]
        seen: dict[str, int] = {}
        reports: list[Report] = []
        for line, fields in self.records:
            if len(fields) != width:
                problems.add(line, None, f"{len(fields)} fields where the header has {width}")
                continue
            report_id, fmt_text, organ, year_text, title, tables_text = (fields[i] for i in meta)
            if self.safe:
                organ, title = _unneutralise(organ), _unneutralise(title)
            if report_id in seen:
                problems.add(line, "report", f"{quoted(report_id)} again (first on line {seen[report_id]})")
                continue
            seen[report_id] = line
            fmt = _read_format(fmt_text, line, problems)
            year = _read_year(year_text, line, problems)
            tables = tables_text.split()
            unknown = [t for t in tables if t not in TABLES]
            if unknown or len(set(tables)) != len(tables):
                problems.add(line, "tables", f"{quoted(tables_text)} is not a list of tables (table2 table3 table4)")
                continue
            if fmt is None:
                continue
            pending = _Pending(first_line=line, last_line=line, format=fmt, organ=organ, year=year, title=title)
            pending.tables.update((table, None) for table in tables)
            columns = list(zip(names, positions, _wide_specs_with_totals(fmt, fields, positions), strict=True))
            for name, position, spec in columns:
                needed = spec is not None and spec.table in pending.tables and position is None
                if needed:
                    pending.failed = True
                if needed and name not in self.missing_reported:
                    self.missing_reported.add(name)
                    problems.add(1, None, f'missing column "{name}" (needed by the {fmt} format report on line {line})')
            for name, position, spec in columns:
                if position is None:
                    continue
                text = _unneutralise(fields[position]) if self.safe else fields[position]
                if spec is None or spec.table not in pending.tables:
                    if text:
                        why = (
                            f"a {fmt} format report has no such cell"
                            if spec is None
                            else f'the report has no {name.split(".")[0]} (see column "tables")'
                        )
                        problems.add(line, name, f"{quoted(text)} but {why}; the cell must be empty")
                    continue
                key = spec.key
                pending.cell_lines[key] = line
                try:
                    pending.cells[key] = cell_from_wide(text, spec.kind)
                except CellError as exc:
                    problems.add(line, name, str(exc))
            report = _finish(report_id, pending, problems, prose=False)
            if report is not None:
                reports.append(report)
        problems.raise_if_any()
        return reports
