"""One document as rows: :func:`document_rows` (public as ``opengov.document_rows``).

The one function that turns a document into what the columnar outputs hold, whoever runs
it: the batch's worker processes (``opengov batch --out reports.parquet`` or
``reports.duckdb``), the Dask pipeline (:mod:`opengov.dask`) and :func:`opengov.to_arrow`.
It is pure: the same bytes and path give equal rows, on any machine.

* :func:`document_rows` — bytes of one document (any input form, or opengov's JSON) →
  :class:`DocumentRows`; a document that cannot be read gives rows too (``status``
  ``unreadable`` and the reason), never an exception.
* :func:`rows_of` — the same from a :class:`opengov.ParseResult` or a
  :class:`opengov.Report` already in memory.
* :func:`pair_findings` — the year-to-year findings of a set of documents (consecutive years
  of the same organ), from their carry-over records; what the batch adds after every
  report's own findings, and what the Dask pipeline computes as a group-by on organ.
* :func:`carry_to_json` / :func:`carry_from_json` — a carry-over record as JSON text (how a
  columnar output keeps it for later runs; JSON, not a pickle, so that reading an output
  someone else wrote runs no code).

The table schemas and the conversion of rows into Arrow tables are in
:mod:`opengov._columnar`; the documentation is ``docs/columnar.md``.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any, Literal

import attrs

from opengov._checks import check
from opengov._checks.carry import CarryRecord, carry_record, previous_findings
from opengov._checks.finding import Finding
from opengov._codec import cell_from_json, cell_text, cell_to_json
from opengov._errors import Diagnostic, LoadError, Location, OpengovError, ParseError, Severity
from opengov._model import CellValue, Report, _table_getter, group_total_values
from opengov._result import ParseResult
from opengov._serialize.csv_specs import PROSE_SECTIONS
from opengov._serialize.json import loads
from opengov.layout import TABLES, CellSpec, Format, cell_index

__all__ = [
    "ReportRow",
    "FindingRow",
    "DiagnosticRow",
    "DocumentRows",
    "Document",
    "PairFinding",
    "CarryEntry",
    "parse_document",
    "document_rows",
    "rows_of",
    "unreadable_rows",
    "pair_findings",
    "carry_to_json",
    "carry_from_json",
    "reason_of",
]

Status = Literal["read", "unreadable"]
SEVERITIES: tuple[Severity, ...] = (Severity.ERROR, Severity.WARNING, Severity.INFO)


# ---------------------------------------------------------------------------------------
# The rows
# ---------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ReportRow:
    """The row of the ``reports`` table for one document.

    ``path``, ``sha256`` (hex digest of the bytes) and ``size`` (bytes) say which document
    it is (``None`` for a report that did not come from bytes); ``status`` is ``read`` or
    ``unreadable`` (then ``reason`` says why and every report field is ``None``); ``form``
    is the input form read (``text``, ``markdown``, ``html``, ``pdf``, ``docx``, ``json``);
    ``tables`` the tables the report holds; the counts are of the reader's diagnostics and
    of the report's own findings (``opengov.check``; the year-to-year findings are counted
    where they are listed, in the ``findings`` table), by severity.
    """

    path: str | None
    sha256: str | None = None
    size: int | None = None
    status: Status = "read"
    reason: str | None = None
    form: str | None = None
    format: str | None = None
    organ: str | None = None
    year: int | None = None
    title: str | None = None
    tables: tuple[str, ...] = ()
    diagnostics: tuple[int, int, int] = (0, 0, 0)
    """Diagnostics of error, warning and info severity."""
    findings: tuple[int, int, int] = (0, 0, 0)
    """The report's own findings of error, warning and info severity."""


@attrs.frozen(kw_only=True)
class FindingRow:
    """One finding, flat: what the ``findings`` table holds of a :class:`opengov.Finding`.

    ``printed`` is the cell state as printed; ``expected`` and ``difference`` are the
    finding's figures (``int``, or ``Decimal`` for amounts); ``location`` is where the
    cells it names were printed, as the findings CSV writes it.
    """

    rule: str
    severity: str
    table: str | None
    row: str | None
    row_label: str | None
    column: str | None
    column_label: str | None
    printed: CellValue | None
    expected: int | Decimal | None
    difference: int | Decimal | None
    message_zh: str
    message_en: str
    location: str
    identity: str | None
    text: str | None

    @classmethod
    def of(cls, finding: Finding) -> FindingRow:
        """The row of a finding."""
        return cls(
            rule=finding.rule,
            severity=str(finding.severity),
            table=finding.table,
            row=finding.row,
            row_label=finding.row_label,
            column=finding.column,
            column_label=finding.column_label,
            printed=finding.printed,
            expected=finding.expected,
            difference=finding.difference,
            message_zh=finding.message_zh,
            message_en=finding.message_en,
            location="; ".join(str(location) for location in finding.locations.values()),
            identity=finding.identity,
            text=finding.text,
        )


@attrs.frozen(kw_only=True)
class DiagnosticRow:
    """One diagnostic of the reader, flat: severity, code, message and where."""

    severity: str
    code: str
    message: str
    page: int | None
    line: int | None
    column: int | None
    table: int | None
    row: int | None
    cell: int | None

    @classmethod
    def of(cls, diagnostic: Diagnostic) -> DiagnosticRow:
        """The row of a diagnostic."""
        at = diagnostic.location
        return cls(
            severity=str(diagnostic.severity),
            code=diagnostic.code,
            message=diagnostic.message,
            page=at.page,
            line=at.line,
            column=at.column,
            table=at.table,
            row=at.row,
            cell=at.cell,
        )


@attrs.frozen(kw_only=True)
class DocumentRows:
    """Everything the columnar outputs hold of one document (without its report id, which
    the consumer gives: the batch numbers documents 1, 2, 3 … in the order of the files).

    * ``report`` — its row of the ``reports`` table;
    * ``cells`` — the value of every cell of the tables the report holds
      (``report.tables``), in layout order: the cells of
      ``opengov.layout.cell_index(format).table(t)`` for each table held, in the order of
      ``opengov.layout.TABLES``; :meth:`cell_rows` pairs each with its spec;
    * ``prose`` — each prose section that has paragraphs, with its paragraphs;
    * ``findings`` — the report's own findings (``opengov.check``), in rule order;
    * ``diagnostics`` — the reader's diagnostics;
    * ``carry`` — the report's carry-over record (the few cells the year-to-year checks
      read, with their locations) as JSON text (:func:`carry_to_json`), for
      :func:`pair_findings`; ``None`` for an unreadable document.

    Two ``DocumentRows`` are equal when every row is.
    """

    report: ReportRow
    cells: tuple[CellValue | None, ...] = ()
    totals: tuple[CellValue | None, ...] = ()
    """The cells of a printed group total table 3 holds (2021 ``other_processing`` printed as
    one row: ``opengov.layout.cell_index(format).group_totals``), empty when none was printed."""
    prose: tuple[tuple[str, tuple[str, ...]], ...] = ()
    findings: tuple[FindingRow, ...] = ()
    diagnostics: tuple[DiagnosticRow, ...] = ()
    carry: str | None = None

    def cell_rows(self) -> Iterator[tuple[CellSpec, CellValue | None]]:
        """``(spec, value)`` for every cell in :attr:`cells`, then in :attr:`totals` (the
        spec gives the table, row and column keys and their Chinese labels)."""
        if self.report.format is None:
            return iter(())
        index = cell_index(Format(self.report.format))
        specs = itertools.chain.from_iterable(index.table(t) for t in TABLES if t in self.report.tables)
        pairs = zip(specs, self.cells, strict=True)
        if not self.totals:
            return pairs
        return itertools.chain(pairs, zip(index.group_totals, self.totals, strict=True))

    def prose_rows(self) -> Iterator[tuple[str, int, str]]:
        """``(section, number from 1, paragraph)`` for every prose paragraph."""
        for section, paragraphs in self.prose:
            for number, paragraph in enumerate(paragraphs, 1):
                yield section, number, paragraph


@attrs.frozen(kw_only=True)
class Document:
    """A document's rows with the report id its consumer gave it and, for a file, the
    file's modification time in nanoseconds (what the batch's index compares)."""

    report: int
    rows: DocumentRows
    mtime_ns: int | None = None


# ---------------------------------------------------------------------------------------
# Reading one document
# ---------------------------------------------------------------------------------------


def parse_document(data: bytes, *, name: str | None = None) -> ParseResult:
    """One document's bytes read into a ParseResult; opengov's own JSON and CSV (of one
    report) are read as such (form ``json`` / ``csv``), decided as the command line decides
    (:func:`opengov._inputs.input_form`: the name's suffix, else the content).

    Raises :class:`opengov.OpengovError` (ParseError or LoadError), ``UnicodeDecodeError``
    (JSON that is not UTF-8) or ``ValueError`` (a CSV of several reports).
    """
    from opengov._inputs import SeveralReports, input_form  # the readers import late: every worker imports this
    from opengov._parse import parse
    from opengov._serialize.csv_read import from_csv

    kind = input_form(name or "", data)
    if kind == "json":
        return ParseResult(report=loads(data.decode("utf-8-sig")), form="json")
    if kind == "csv":
        reports = from_csv(data)
        if len(reports) != 1:
            if not reports:
                raise LoadError(["the CSV holds no report (only its header line)"])
            raise SeveralReports(name or "the CSV", len(reports))
        return ParseResult(report=reports[0], form="csv")
    return parse(data)


def reason_of(exc: BaseException) -> str:
    """Why a document could not be read, whole, on one line: the error's summary and every
    problem it lists (each diagnostic's message, place and code), ``; ``-separated; for an
    error that is not one of opengov's documented ones (a bug), its type too."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    if isinstance(exc, ParseError) and exc.diagnostics:
        summary = next((line.strip() for line in str(exc).splitlines() if line.strip()), "").rstrip(":")
        problems = "; ".join(
            f"{d.message}{'' if d.location == Location() else f' (at {d.location})'} [{d.code}]"
            for d in exc.diagnostics
        )
        if not summary or (len(exc.diagnostics) == 1 and summary == exc.diagnostics[0].message):
            return problems
        return f"{summary}: {problems}"
    if isinstance(exc, (OSError, OpengovError, UnicodeDecodeError, ValueError)):
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        if not lines:
            return type(exc).__name__
        if lines[0].endswith(":") and len(lines) > 1:
            return f"{lines[0]} {'; '.join(lines[1:])}"
        return "; ".join(lines)
    text = " ".join(line.strip() for line in str(exc).splitlines() if line.strip())
    return f"internal error ({type(exc).__name__}): {text}"


def unreadable_rows(path: str | None, reason: str, *, data: bytes | None = None) -> DocumentRows:
    """The rows of a document that could not be read (its bytes, when there are any, give
    its hash and size)."""
    return DocumentRows(
        report=ReportRow(
            path=path,
            sha256=None if data is None else hashlib.sha256(data).hexdigest(),
            size=None if data is None else len(data),
            status="unreadable",
            reason=reason,
        )
    )


def document_rows(data: bytes, *, path: str | None = None) -> DocumentRows:
    """Read one document (text, Markdown, HTML, PDF, Word, or opengov's JSON; the form is
    detected from the bytes) and return its rows: the report, its cells and prose, its own
    findings (``opengov.check``, blanks undecided), the reader's diagnostics and its
    carry-over record.  ``path`` is recorded as given (it names the document; nothing is
    read from it).

    Pure: the same bytes and path give equal rows.  A document that cannot be read gives
    rows with ``report.status == "unreadable"`` and the reason (nothing is raised for bad
    input); ``TypeError`` when ``data`` is not bytes.
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"document_rows() reads bytes, not {type(data).__name__}")
    data = bytes(data)
    try:
        result = parse_document(data, name=path)
    except MemoryError:
        raise  # no answer about the document: the caller (a batch worker's cap) says why
    except Exception as exc:  # a bug must not stop a batch of thousands: the reason names it
        return unreadable_rows(path, reason_of(exc), data=data)
    return rows_of(result, path=path, sha256=hashlib.sha256(data).hexdigest(), size=len(data))


def _counts(severities: Iterable[Severity]) -> tuple[int, int, int]:
    errors = warnings = infos = 0
    for severity in severities:
        if severity is Severity.ERROR:
            errors += 1
        elif severity is Severity.WARNING:
            warnings += 1
        else:
            infos += 1
    return (errors, warnings, infos)


def _values(report: Report, tables: tuple[str, ...]) -> tuple[CellValue | None, ...]:
    """Every cell value of the tables held, in layout order (what ``cell_values`` yields)."""
    if len(tables) == 1:
        return tuple(_table_getter(report.format, tables[0])(getattr(report, tables[0])))
    return tuple(itertools.chain.from_iterable(_table_getter(report.format, t)(getattr(report, t)) for t in tables))


def rows_of(
    source: Report | ParseResult,
    *,
    path: str | None = None,
    sha256: str | None = None,
    size: int | None = None,
) -> DocumentRows:
    """The rows of a report already read (a :class:`opengov.ParseResult` gives the
    diagnostics and the findings' locations too; a bare :class:`opengov.Report` has
    neither, and its ``form`` is ``None``).  ``path``, ``sha256`` and ``size`` are recorded
    as given."""
    if isinstance(source, ParseResult):
        result: ParseResult | Report = source
        report, form, diagnostics = source.report, source.form, source.diagnostics
    elif isinstance(source, Report):
        result, report, form, diagnostics = source, source, None, ()
    else:
        raise TypeError(f"expected an opengov.Report or an opengov.ParseResult, got {type(source).__name__}")
    findings = check(result)
    tables = tuple(t for t in TABLES if getattr(report, t) is not None)
    prose = tuple((section, paragraphs) for section in PROSE_SECTIONS if (paragraphs := getattr(report, section)))
    return DocumentRows(
        report=ReportRow(
            path=path,
            sha256=sha256,
            size=size,
            form=form,
            format=report.format.value,
            organ=report.organ,
            year=report.year,
            title=report.title,
            tables=tables,
            diagnostics=_counts(d.severity for d in diagnostics),
            findings=_counts(f.severity for f in findings),
        ),
        cells=_values(report, tables) if tables else (),
        totals=tuple(value for _, value in group_total_values(report)),
        prose=prose,
        findings=tuple(map(FindingRow.of, findings)),
        diagnostics=tuple(map(DiagnosticRow.of, diagnostics)),
        carry=carry_to_json(carry_record(result)),
    )


# ---------------------------------------------------------------------------------------
# Year to year
# ---------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class CarryEntry:
    """A document's part in the year-to-year checks: its report id, organ, year and
    carry-over record as JSON text (a few hundred bytes, so that a run can hold the entries
    of every report it writes)."""

    report: int
    organ: str
    year: int
    carry: str

    def record(self) -> CarryRecord:
        """The carry-over record."""
        return carry_from_json(self.carry)


@attrs.frozen(kw_only=True)
class PairFinding:
    """A year-to-year finding: of report ``report`` against last year's report
    ``previous`` (same organ), the ``number``-th of that pair."""

    report: int
    previous: int
    number: int
    finding: FindingRow


def carry_entry(report: int, rows: DocumentRows) -> CarryEntry | None:
    """The document's entry for :func:`pair_findings`, or ``None`` when it has no organ or
    no year (it is then in no pair) or could not be read."""
    organ, year = rows.report.organ, rows.report.year
    if rows.carry is None or not organ or year is None:
        return None
    return CarryEntry(report=report, organ=organ, year=year, carry=rows.carry)


def pair_findings(entries: Iterable[CarryEntry]) -> tuple[list[PairFinding], int]:
    """The findings of every consecutive-year pair among ``entries`` (same organ, matched
    exactly; years ``y - 1`` and ``y``), and the number of pairs.

    When the same organ and year occur more than once, the entry with the highest report id
    is used (in a batch, the later file).  The findings are those ``opengov check FILE
    --previous LAST_YEAR`` adds to ``opengov check FILE``; they come sorted by report id.
    The result depends only on the set of entries: it may be computed per organ (a
    group-by) and the parts joined.
    """
    latest: dict[tuple[str, int], CarryEntry] = {}
    for entry in entries:
        key = (entry.organ, entry.year)
        held = latest.get(key)
        if held is None or held.report < entry.report:
            latest[key] = entry
    out: list[PairFinding] = []
    pairs = 0
    records: dict[int, CarryRecord] = {}  # each record read once, though it is in two pairs

    def record(entry: CarryEntry) -> CarryRecord:
        if entry.report not in records:
            records[entry.report] = entry.record()
        return records[entry.report]

    for (organ, year), entry in sorted(latest.items(), key=lambda item: item[1].report):
        before = latest.get((organ, year - 1))
        if before is None:
            continue
        pairs += 1
        for number, finding in enumerate(previous_findings(record(entry), record(before)), 1):
            out.append(
                PairFinding(report=entry.report, previous=before.report, number=number, finding=FindingRow.of(finding))
            )
    return out, pairs


# ---------------------------------------------------------------------------------------
# Carry-over records as JSON
# ---------------------------------------------------------------------------------------

_LOCATION_FIELDS: tuple[str, ...] = tuple(a.name for a in attrs.fields(Location))


def carry_to_json(record: CarryRecord) -> str:
    """A carry-over record as JSON text (cells in their JSON form, locations as lists of
    their fields)."""
    return json.dumps(
        {
            "format": record.format.value,
            "year": record.year,
            "table2": record.has_table2,
            "table3": record.has_table3,
            "values": [cell_to_json(value) for value in record.values],
            "locations": [
                None if at is None else [getattr(at, name) for name in _LOCATION_FIELDS] for at in record.locations
            ],
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def carry_from_json(text: str) -> CarryRecord:
    """The record :func:`carry_to_json` wrote; ``ValueError`` for text it did not write."""
    try:
        data: Any = json.loads(text)
        return CarryRecord(
            format=Format(data["format"]),
            year=data["year"],
            has_table2=bool(data["table2"]),
            has_table3=bool(data["table3"]),
            values=tuple(cell_from_json(value) for value in data["values"]),
            locations=tuple(
                None if fields is None else Location(**dict(zip(_LOCATION_FIELDS, fields, strict=True)))
                for fields in data["locations"]
            ),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"not a carry-over record: {exc}") from None


def printed_text(value: CellValue | None) -> str | None:
    """A finding's printed cell as text (``None`` for none)."""
    return None if value is None else cell_text(value)
