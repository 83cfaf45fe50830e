"""The batch behind ``opengov batch``: read and check every report under some paths in
worker processes, number the reports, and check consecutive years of the same organ.

* :func:`walk` — the files under the paths given.
* :func:`run` — reads and checks the files and yields, in the order of the files, what
  became of each (:class:`Read` or :class:`Unreadable`), then the findings of the
  consecutive-year pairs (:class:`PairFindings`), then a :class:`Summary`.  The caller (the
  command line) writes them wherever it likes: everything here is bytes ready to write or
  plain data.
* :func:`load_input` (from :mod:`opengov._inputs`) — one input (a path, or ``-`` for standard
  input) read into a :class:`opengov.ParseResult`; opengov's own JSON and CSV are read as such.
* :func:`finding_record` / :data:`FINDING_FIELDS` — a finding as a flat record (the findings
  CSV and ``opengov check --format json``).

Transport.  A worker sends a report's long-CSV lines in pieces (:class:`TemplatedLines`,
from :func:`opengov._serialize.csv_write.line_pieces`, the writer of
:func:`opengov.csv_lines`): what every line of the report has after its id (format, organ,
year, title) once, each cell line's own fields (state, value, unit, text), and the cell
lines' label fields as one object per format and tables held (the plan's heads), which
pickle sends once per message of results; the parent, which alone knows the report's number
(it counts the files read), joins number, head, label fields and own fields.  A report a line
of which a ``\\r`` makes the CSV writer quote apart travels as its whole lines with a NUL for
the number (:class:`SlottedLines`); one whose text holds a NUL as its list of lines without
their id (:class:`ListedLines`).
Per (organ, year) the parent keeps only a path and a packed carry-over record (a few hundred
bytes), so memory does not grow with the reports.

Rows.  For a columnar output (Parquet, DuckDB) the workers make each document's rows with
:func:`opengov.document_rows` instead (:func:`run_rows`): the parent plans the work from the
output's index (:func:`plan`: a file whose size and modification time are those the output
holds is not read at all; a file whose content hash is the one held is not parsed), gives
every document its report id, and computes the year-to-year findings of the whole output
(the earlier runs' carry-over records with this run's) once every file is read.

Workers.  Both runs map their worker function over the files with
:class:`opengov._workers.Pool`: each document under the caps given (memory, CPU time); a
document over a cap, or whose worker died, becomes an unreadable one with the reason, and the
run goes on.

This module uses the public API of :mod:`opengov`, the carry-over API, the row function
(:mod:`opengov._rows`), the input reader (:mod:`opengov._inputs`), the long-CSV writer's
line pieces (:mod:`opengov._serialize.csv_write`) and the pool, nothing else of the package.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Union

import attrs

import opengov
from opengov._checks.carry import CarryRecord, carry_record, previous_findings  # the carry-over API
from opengov._inputs import load_input, read_input_bytes  # one input read as what it is (document, JSON or CSV)
from opengov._rows import (
    CarryEntry,
    Document,
    PairFinding,
    carry_entry,
    document_rows,
    pair_findings,
    reason_of,
    unreadable_rows,
)
from opengov._serialize.csv_write import line_pieces  # a report's lines without their id
from opengov._workers import DEFAULT_CAPS, Caps, Pool

__all__ = [
    "FINDING_FIELDS",
    "finding_record",
    "findings_csv",
    "load_input",
    "walk",
    "TemplatedLines",
    "SlottedLines",
    "ListedLines",
    "PackedLines",
    "pack_lines",
    "Read",
    "Unreadable",
    "PairFindings",
    "Summary",
    "Event",
    "run",
    "Known",
    "Task",
    "Unchanged",
    "PairRows",
    "RowsEvent",
    "plan",
    "run_rows",
]

# ---------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------


def walk(paths: Iterable[str]) -> Iterator[str]:
    """The files a batch reads: each path that is not a directory as given, and the files
    under each directory (sorted, walked depth first, names starting with ``.`` left out)."""
    for name in paths:
        path = Path(name)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for file in sorted(files):
                    if not file.startswith("."):
                        yield str(Path(root) / file)
        else:
            yield str(path)


# ---------------------------------------------------------------------------------------
# Findings as flat records and CSV lines
# ---------------------------------------------------------------------------------------

FINDING_FIELDS: tuple[str, ...] = (
    "file",
    "organ",
    "year",
    "rule",
    "severity",
    "table",
    "row",
    "row_label",
    "column",
    "column_label",
    "printed",
    "expected",
    "difference",
    "message_zh",
    "message_en",
    "location",
)
"""The columns of the findings CSV (and the keys of :func:`finding_record`)."""

FieldValue = Union[str, int, None]  # noqa: UP007 - a runtime alias on Python 3.10


def _plain(value: object) -> FieldValue:
    """A finding's figure for JSON and CSV: ``None`` and integers as they are, anything else
    (an amount, a blank, a placeholder, a decimal) as it prints."""
    if value is None or isinstance(value, (str, int)):
        return value
    return str(value)


def _finding_row(finding: opengov.Finding, file: str, organ: str, year: int | None) -> list[FieldValue]:
    """The values of :func:`finding_record`, in the order of :data:`FINDING_FIELDS`."""
    return [
        file,
        organ,
        year,
        finding.rule,
        str(finding.severity),
        finding.table,
        finding.row,
        finding.row_label,
        finding.column,
        finding.column_label,
        _plain(finding.printed),
        _plain(finding.expected),
        _plain(finding.difference),
        finding.message_zh,
        finding.message_en,
        "; ".join(str(location) for location in finding.locations.values()),
    ]


def finding_record(
    finding: opengov.Finding, *, file: str = "", organ: str = "", year: int | None = None
) -> dict[str, FieldValue]:
    """One finding as a flat dict of :data:`FINDING_FIELDS` (JSON/CSV friendly)."""
    return dict(zip(FINDING_FIELDS, _finding_row(finding, file, organ, year), strict=True))


def findings_csv(findings: Iterable[opengov.Finding], file: str, organ: str, year: int | None) -> str:
    """Findings as lines of the findings CSV (no header; ``\\r\\n`` line ends), exactly as
    a ``csv.DictWriter`` over their :func:`finding_record` dicts writes them: each line is
    ``csv_line(_finding_row(finding, file, organ, year))`` (the definition,
    ``tests/test_cli.py`` holds this to it), made of pieces: the file, organ and year
    encoded once, the rule, severity and cell of a finding and its two messages through
    caches of their encodings (:func:`_named`, :func:`_said`: the findings of a rule
    repeat them, a ``blank`` finding's all of them for its cell, report after report)."""
    lead = csv_line((file, organ, year))[:-2]
    return "".join(
        [
            f"{lead},{_named(f.rule, str(f.severity), f.table, f.row, f.row_label, f.column, f.column_label)},"
            f"{_figures(f.printed, f.expected, f.difference)},{_said(f.message_zh, f.message_en)},"
            f"{_field(_where(f.locations))}\r\n"
            for f in findings
        ]
    )


def _where(locations: Mapping[Any, opengov.Location]) -> str:
    """A finding's locations, as :func:`_finding_row` writes them."""
    if len(locations) == 1:
        for location in locations.values():
            return str(location)
    return "; ".join(str(location) for location in locations.values())


@functools.lru_cache(maxsize=4096)
def _named(*fields: str | None) -> str:
    """A finding's rule, severity, table, row, row label, column and column label, encoded."""
    return ",".join(map(_field, fields))


@functools.lru_cache(maxsize=4096)
def _said(message_zh: str, message_en: str) -> str:
    """A finding's two messages, encoded."""
    return f"{_field(message_zh)},{_field(message_en)}"


def _figures(printed: object, expected: object, difference: object) -> str:
    """A finding's printed, expected and difference figures, encoded."""
    if printed is None and expected is None and difference is None:
        return ",,"
    return f"{_field(_plain(printed))},{_field(_plain(expected))},{_field(_plain(difference))}"


def csv_line(values: Sequence[FieldValue]) -> str:
    """``values`` as :func:`csv.writer` (the default dialect: ``,``, ``"``, minimal quoting,
    ``\\r\\n``) writes them in one line of two or more fields: each field as
    :func:`_field` writes it.  The standard library's writer goes through a text a
    character at a time (5.5 µs for a finding's line, 2.0 µs here); ``tests/test_cli.py``
    holds this to it.  Not :func:`opengov._serialize.csv_write.encode_field`: that one
    follows the reports CSV's ``\\n`` line ends, with which Python 3.11's writer leaves a
    bare ``\\r`` unquoted; here the line ends are ``\\r\\n`` and a ``\\r`` is always quoted."""
    return ",".join(map(_field, values)) + "\r\n"


def _field(value: FieldValue) -> str:
    """One field of a line of :func:`csv_line`: ``None`` empty, an ``int`` its digits, a
    text quoted when it holds a comma, a quote or a line break, its quotes doubled."""
    if type(value) is str:
        if "," in value or '"' in value or "\n" in value or "\r" in value:
            return '"' + value.replace('"', '""') + '"'
        return value
    return "" if value is None else str(value)


def _errors(findings: Iterable[opengov.Finding]) -> int:
    return sum(1 for f in findings if f.severity is opengov.Severity.ERROR)


# ---------------------------------------------------------------------------------------
# Transport: a report's CSV lines without their number
# ---------------------------------------------------------------------------------------

_SLOT = "\x00"
"""The report id a worker writes its report's lines under (the parent's number goes there)."""
_SLOT_BYTE = b"\x00"


@attrs.frozen(kw_only=True)
class TemplatedLines:
    """A report's long-CSV lines (UTF-8) in pieces: each cell line is the report number,
    :attr:`head`, its line's fields from :attr:`heads` and its own fields from
    :attr:`tails`; each other line (prose) is a NUL in :attr:`rest` where the number and
    the head go (no piece holds a NUL).  :attr:`heads` is one object for every report of a
    format holding the same tables, so a worker's message sends it once for a group of
    reports (pickle refers to an object it has sent): most of a line's bytes, the labels
    of its cell, do not travel with each report."""

    head: bytes
    """What every line has after its report number (the fields every line of a report
    repeats: format, organ, year, title, with the commas around them)."""
    heads: tuple[bytes, ...]
    """Each cell line's ``table,block,row,row_label,column,column_label,`` fields."""
    tails: bytes
    """Each cell line's ``state,value,unit,text`` fields and its line end, NUL-separated."""
    rest: bytes
    """The other lines, each starting with a NUL."""

    def numbered(self, number: int) -> bytes:
        """The lines, each starting with the report ``number`` and the :attr:`head`."""
        lead = str(number).encode("ascii") + self.head
        rest = self.rest.replace(_SLOT_BYTE, lead)
        if not self.heads:
            return rest
        tails = self.tails.split(_SLOT_BYTE)
        if len(tails) != len(self.heads):
            raise ValueError(f"{len(tails)} cell lines' fields for {len(self.heads)} cell lines")
        pieces = zip(itertools.repeat(lead), self.heads, tails)  # (the lengths compared above)
        return b"".join(itertools.chain.from_iterable(pieces)) + rest


@attrs.frozen(kw_only=True)
class SlottedLines:
    """A report's long-CSV lines (UTF-8), each starting with a NUL byte where its report
    number goes (the lines hold no other NUL): the form of a report a line of which is
    quoted apart (a ``\\r`` in a field)."""

    text: bytes

    def numbered(self, number: int) -> bytes:
        """The lines, each starting with the report ``number``."""
        return self.text.replace(_SLOT_BYTE, str(number).encode("ascii"))


@attrs.frozen(kw_only=True)
class ListedLines:
    """A report's long-CSV lines (UTF-8), each without its report number: the form of a
    report whose text holds a NUL."""

    tails: tuple[bytes, ...]

    def numbered(self, number: int) -> bytes:
        """The lines, each starting with the report ``number``."""
        return str(number).encode("ascii").join([b"", *self.tails])


PackedLines = Union[TemplatedLines, SlottedLines, ListedLines]  # noqa: UP007 - a runtime alias on Python 3.10


def pack_lines(report: opengov.Report) -> PackedLines:
    """A report's long-CSV lines packed for the parent: ``pack_lines(report).numbered(n)``
    is ``"".join(opengov.csv_lines(report, n))`` in UTF-8."""
    pieces = line_pieces(report)
    if pieces is not None:
        tails = _SLOT.join(pieces.tails)
        rest = _SLOT + _SLOT.join(pieces.rests) if pieces.rests else ""
        if (
            _SLOT not in pieces.meta
            and tails.count(_SLOT) == max(len(pieces.tails) - 1, 0)  # NULs only between the cell lines
            and rest.count(_SLOT) == len(pieces.rests)
        ):
            return TemplatedLines(
                head=f",{pieces.meta},".encode(), heads=pieces.plan.heads, tails=tails.encode(), rest=rest.encode()
            )
    lines = list(opengov.csv_lines(report, _SLOT))  # each line starts with the id: a NUL needs no quoting
    if _SLOT not in "".join(line[1:] for line in lines):  # a line quoted apart (a \r in a field)
        return SlottedLines(text="".join(lines).encode())
    return ListedLines(tails=tuple(line[1:].encode("utf-8") for line in lines))


# ---------------------------------------------------------------------------------------
# Workers
# ---------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class _Checked:
    """What a worker sends back for a file it read and checked."""

    file: str
    organ: str
    year: int | None
    lines: PackedLines
    findings: bytes
    errors: int
    carry: bytes
    """The packed carry-over record."""


@attrs.frozen(kw_only=True)
class Unreadable:
    """A file that could not be read, and why (the whole error on one line)."""

    file: str
    reason: str


def _read_one(path: str) -> _Checked | Unreadable:
    """Worker: read and check one file."""
    try:
        result = load_input(path)
    except MemoryError:
        raise  # the worker's memory cap: the pool says so
    except Exception as exc:  # a bug must not stop a batch of thousands: the reason names it
        return Unreadable(file=path, reason=reason_of(exc))
    report = result.report
    findings = opengov.check(result)
    return _Checked(
        file=path,
        organ=report.organ,
        year=report.year,
        lines=pack_lines(report),
        findings=findings_csv(findings, path, report.organ, report.year).encode("utf-8"),
        errors=_errors(findings),
        carry=carry_record(result).pack(),
    )


@attrs.frozen(kw_only=True)
class _Pair:
    """One consecutive-year pair: this year's file, organ and year, its packed carry-over
    record and last year's."""

    file: str
    organ: str
    year: int
    carry: bytes
    before: bytes


def _pair_chunk(pairs: list[_Pair]) -> bytes:
    """Worker: the findings that need last year's report, for a run of pairs, as one UTF-8
    CSV text, computed from the carry-over records (no file read again).  A record that
    was this year's in one pair and is last year's in the next is unpacked once."""
    parts = []
    last: tuple[bytes, CarryRecord] | None = None
    for pair in pairs:
        before = last[1] if last is not None and last[0] == pair.before else CarryRecord.unpack(pair.before)
        current = CarryRecord.unpack(pair.carry)
        last = (pair.carry, current)
        parts.append(findings_csv(previous_findings(current, before), pair.file, pair.organ, pair.year))
    return "".join(parts).encode("utf-8")


def _pair_chunk_here(pairs: list[_Pair], _reason: str) -> bytes:
    """The pairs of a worker that died, computed in the parent (they hold no document)."""
    return _pair_chunk(pairs)


def _chunksize(n: int, workers: int, most: int = 64) -> int:
    return max(1, min(most, n // (workers * 8)))


# ---------------------------------------------------------------------------------------
# The run
# ---------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Read:
    """A file read and checked: the report's ``number`` in the batch (1, 2, 3 … over the
    files read), its findings as findings-CSV lines (UTF-8, no header) and how many are
    errors; :meth:`csv` gives its long-CSV lines."""

    file: str
    number: int
    organ: str
    year: int | None
    findings: bytes
    errors: int
    lines: PackedLines

    def csv(self) -> bytes:
        """The report's long-CSV lines (UTF-8), numbered :attr:`number`."""
        return self.lines.numbered(self.number)


@attrs.frozen(kw_only=True)
class PairFindings:
    """Findings of consecutive-year pairs, as findings-CSV lines (UTF-8, no header)."""

    findings: bytes


@attrs.frozen(kw_only=True)
class Summary:
    """The counts of a finished batch."""

    files: int
    read: int
    with_errors: int
    unreadable: int
    pairs: int
    """The consecutive-year pairs found (checked when asked for)."""
    unchanged: int = 0
    """Files an appendable output already held as they are (not read again)."""


Event = Union[Read, Unreadable, PairFindings, Summary]  # noqa: UP007 - a runtime alias on Python 3.10


def _unreadable(path: str, reason: str) -> _Checked | Unreadable:
    return Unreadable(file=path, reason=reason)


def run(
    files: Sequence[str],
    *,
    jobs: int = 0,
    pairs: bool = True,
    caps: Caps = DEFAULT_CAPS,
    done: Callable[[], None] | None = None,
) -> Iterator[Event]:
    """Read and check ``files`` with ``jobs`` worker processes (every core when 0), each
    document under ``caps`` (a document over a cap, or whose worker died, is
    :class:`Unreadable` with the reason, and the run goes on); ``done()`` is called as each
    file is finished, in any order (a progress display).

    Yields a :class:`Read` or an :class:`Unreadable` per file, in the order of the files;
    then, when ``pairs`` is true, :class:`PairFindings` for every consecutive-year pair of
    the same organ (matched exactly), in the order its (organ, year) was first read (when
    the same organ and year occur twice, the later file is used); last a :class:`Summary`.
    """
    workers = jobs if jobs > 0 else (os.cpu_count() or 1)
    seen: dict[tuple[str, int], tuple[str, bytes]] = {}  # (organ, year) -> (file, packed carry-over record)
    number = with_errors = unreadable = 0
    with Pool(workers, caps=caps) as pool:
        for item in pool.map(_read_one, files, fail=_unreadable, chunksize=_chunksize(len(files), workers), done=done):
            if isinstance(item, Unreadable):
                unreadable += 1
                yield item
                continue
            number += 1
            with_errors += 1 if item.errors else 0
            yield Read(
                file=item.file,
                number=number,
                organ=item.organ,
                year=item.year,
                findings=item.findings,
                errors=item.errors,
                lines=item.lines,
            )
            if item.organ and item.year is not None:
                seen[(item.organ, item.year)] = (item.file, item.carry)
        # The records are final only now: the workers check the pairs in runs.
        found = [
            _Pair(file=file, organ=organ, year=year, carry=carry, before=before[1])
            for (organ, year), (file, carry) in seen.items()
            if (before := seen.get((organ, year - 1))) is not None
        ]
        if pairs and found:
            size = _chunksize(len(found), workers, 256)
            runs = [found[i : i + size] for i in range(0, len(found), size)]
            for text in pool.map(_pair_chunk, runs, fail=_pair_chunk_here):
                yield PairFindings(findings=text)
    yield Summary(files=len(files), read=number, with_errors=with_errors, unreadable=unreadable, pairs=len(found))


# ---------------------------------------------------------------------------------------
# Rows: the work of a columnar output
# ---------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Known:
    """What an output holds of a file it has read: the report id, and the file's size,
    modification time (ns) and SHA-256 when it was read (``None`` where unknown, e.g. a file
    that could not be opened: it is tried again)."""

    report: int
    size: int | None
    mtime_ns: int | None
    sha256: str | None


@attrs.frozen(kw_only=True)
class Task:
    """A file to read, the report id its rows get, and the SHA-256 the output holds for
    that path (the file is not parsed again when its content hashes the same)."""

    path: str
    report: int
    sha256: str | None = None


@attrs.frozen(kw_only=True)
class Unchanged:
    """A file whose size or modification time changed but whose content is the one the
    output holds (report ``report``): nothing to read; the output keeps its new ``size``
    and ``mtime_ns`` so that the next run does not hash it again."""

    file: str
    report: int
    size: int
    mtime_ns: int


@attrs.frozen(kw_only=True)
class PairRows:
    """Year-to-year findings of some organs (their consecutive-year pairs).  A run sends
    those of every organ the output holds (earlier runs' reports included), in parts:
    together they replace the findings the output held."""

    findings: tuple[PairFinding, ...]
    pairs: int


RowsEvent = Union[Document, Unchanged, PairRows, Summary]  # noqa: UP007 - a runtime alias on Python 3.10


def plan(files: Iterable[str], index: Mapping[str, Known], *, first: int) -> tuple[list[Task], int]:
    """The tasks of a run over ``files`` for an output holding ``index`` (path → what it
    holds), and how many files need nothing (their size and modification time are those
    held: they are not opened).  A new path gets the next report id from ``first`` on (in
    the order of the files); a path already held keeps its id.  A path given twice is
    read once."""
    tasks: list[Task] = []
    skipped = 0
    seen: set[str] = set()
    number = first
    for path in files:
        if path in seen:
            continue
        seen.add(path)
        known = index.get(path)
        if known is None:
            tasks.append(Task(path=path, report=number))
            number += 1
            continue
        try:
            stat = os.stat(path)
        except OSError:
            stat = None
        if stat is not None and (stat.st_size, stat.st_mtime_ns) == (known.size, known.mtime_ns):
            skipped += 1
        else:
            tasks.append(Task(path=path, report=known.report, sha256=known.sha256))
    return tasks, skipped


def _document_one(task: Task) -> Document | Unchanged:
    """Worker: the rows of one file (or :class:`Unchanged` when its content hashes as held).
    Only a regular file is read, and no more of it than ``Limits.input_bytes``."""
    try:
        stat = os.stat(task.path)
        data = read_input_bytes(task.path, opengov.DEFAULT_LIMITS)
    except MemoryError:
        raise  # the worker's memory cap: the pool says so
    except Exception as exc:  # not a regular file, over the size limit, cannot be opened
        return Document(report=task.report, rows=unreadable_rows(task.path, reason_of(exc)))
    if task.sha256 is not None and hashlib.sha256(data).hexdigest() == task.sha256:
        return Unchanged(file=task.path, report=task.report, size=len(data), mtime_ns=stat.st_mtime_ns)
    return Document(report=task.report, rows=document_rows(data, path=task.path), mtime_ns=stat.st_mtime_ns)


def _document_failed(task: Task, reason: str) -> Document | Unchanged:
    return Document(report=task.report, rows=unreadable_rows(task.path, reason))


def _pairs_of_group(entries: list[CarryEntry]) -> tuple[list[PairFinding], int]:
    """Worker: :func:`opengov._rows.pair_findings` of a group of organs."""
    return pair_findings(entries)


def _pairs_here(entries: list[CarryEntry], _reason: str) -> tuple[list[PairFinding], int]:
    """The pairs of a worker that died, computed in the parent (they hold no document)."""
    return pair_findings(entries)


def _organ_groups(entries: Iterable[CarryEntry], size: int) -> list[list[CarryEntry]]:
    """The entries grouped by organ (sorted), the groups in runs of about ``size`` entries."""
    by_organ: dict[str, list[CarryEntry]] = {}
    for entry in entries:
        by_organ.setdefault(entry.organ, []).append(entry)
    runs: list[list[CarryEntry]] = [[]]
    for organ in sorted(by_organ):
        if len(runs[-1]) >= size:
            runs.append([])
        runs[-1].extend(by_organ[organ])
    return [run for run in runs if run]


def run_rows(
    tasks: Sequence[Task],
    *,
    jobs: int = 0,
    skipped: int = 0,
    files: int | None = None,
    carried: Callable[[], Iterable[CarryEntry]] = lambda: (),
    refresh_pairs: bool = False,
    caps: Caps = DEFAULT_CAPS,
    done: Callable[[], None] | None = None,
) -> Iterator[RowsEvent]:
    """Read ``tasks`` with ``jobs`` worker processes (every core when 0) into rows.

    Yields, in the order of the tasks, a :class:`opengov._rows.Document` (the file's rows
    under its report id; an unreadable file's rows say why) or an :class:`Unchanged`; then,
    when a file was read or ``refresh_pairs`` is true, :class:`PairRows` (one or more): the
    year-to-year findings over the earlier reports (``carried()``: the carry-over entries
    the output holds; an entry of a report read again is replaced) and this run's, computed
    in groups of organs by the workers; last a
    :class:`Summary` (``files`` defaults to the tasks plus ``skipped``, the files the plan
    did not need to open).  ``caps`` and ``done`` as for :func:`run`.
    """
    workers = jobs if jobs > 0 else (os.cpu_count() or 1)
    entries: dict[int, CarryEntry | None] = {}
    read = with_errors = unreadable = unchanged = 0
    pairs = 0
    with Pool(workers, caps=caps) as pool:
        chunk = _chunksize(len(tasks), workers)
        for item in pool.map(_document_one, tasks, fail=_document_failed, chunksize=chunk, done=done):
            yield item
            if isinstance(item, Unchanged):
                unchanged += 1
                continue
            if item.rows.report.status == "read":
                read += 1
                with_errors += 1 if item.rows.report.findings[0] else 0
            else:
                unreadable += 1
            entries[item.report] = carry_entry(item.report, item.rows)
        if entries or refresh_pairs:
            every = {entry.report: entry for entry in carried() if entry.report not in entries}
            every.update((report, entry) for report, entry in entries.items() if entry is not None)
            groups = _organ_groups(every.values(), _chunksize(len(every), workers, 1024))
            if not groups:
                yield PairRows(findings=(), pairs=0)  # the output holds no pair any more
            for found, count in pool.map(_pairs_of_group, groups, fail=_pairs_here):
                pairs += count
                yield PairRows(findings=tuple(found), pairs=count)
    yield Summary(
        files=len(tasks) + skipped if files is None else files,
        read=read,
        with_errors=with_errors,
        unreadable=unreadable,
        pairs=pairs,
        unchanged=unchanged + skipped,
    )
