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

Transport.  A worker sends a report's long-CSV lines as one UTF-8 bytes object
(:class:`SlottedLines`): it writes them with :func:`opengov.csv_lines` under the report id
``NUL``, and the parent puts the report's number, which only the parent knows (it counts
the files read), in place of every NUL with one ``bytes.replace``.  The rare report whose
text holds a NUL travels as its list of lines without their id (:class:`ListedLines`).
Per (organ, year) the parent keeps only a path and a packed carry-over record (a few hundred
bytes), so memory does not grow with the reports.

This module uses the public API of :mod:`opengov` and the carry-over API (imported once,
below), nothing else of the package.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Union

import attrs

import opengov
from opengov._checks.carry import CarryRecord, carry_record, previous_findings  # the carry-over API
from opengov._inputs import load_input  # one input read as what it is (document, JSON or CSV)

__all__ = [
    "FINDING_FIELDS",
    "finding_record",
    "findings_csv",
    "load_input",
    "walk",
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
    a ``csv.DictWriter`` over their :func:`finding_record` dicts writes them."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(_finding_row(f, file, organ, year) for f in findings)
    return buffer.getvalue()


def _errors(findings: Iterable[opengov.Finding]) -> int:
    return sum(1 for f in findings if f.severity is opengov.Severity.ERROR)


# ---------------------------------------------------------------------------------------
# Transport: a report's CSV lines without their number
# ---------------------------------------------------------------------------------------

_SLOT = "\x00"
"""The report id a worker writes its report's lines under (the parent's number goes there)."""
_SLOT_BYTE = b"\x00"


@attrs.frozen(kw_only=True)
class SlottedLines:
    """A report's long-CSV lines (UTF-8), each starting with a NUL byte where its report
    number goes (the lines hold no other NUL)."""

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


PackedLines = Union[SlottedLines, ListedLines]  # noqa: UP007 - a runtime alias on Python 3.10


def pack_lines(report: opengov.Report) -> PackedLines:
    """A report's long-CSV lines packed for the parent: ``pack_lines(report).numbered(n)``
    is ``"".join(opengov.csv_lines(report, n))`` in UTF-8."""
    lines = list(opengov.csv_lines(report, _SLOT))  # each line starts with the id: a NUL needs no quoting
    text = "".join(lines).encode("utf-8")
    if text.count(_SLOT_BYTE) == len(lines):  # every NUL is a line's report id
        return SlottedLines(text=text)
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
    """A file that could not be read, and why (the first line of the error)."""

    file: str
    reason: str


def _first_line(exc: BaseException) -> str:
    return next(iter(str(exc).splitlines()), type(exc).__name__)


def _read_one(path: str) -> _Checked | Unreadable:
    """Worker: read and check one file."""
    try:
        result = load_input(path)
    except (OSError, opengov.OpengovError, UnicodeDecodeError, ValueError) as exc:
        return Unreadable(file=path, reason=_first_line(exc))
    except Exception as exc:  # a bug must not stop a batch of thousands: report it as unreadable
        return Unreadable(file=path, reason=f"internal error ({type(exc).__name__}): {exc}")
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


Event = Union[Read, Unreadable, PairFindings, Summary]  # noqa: UP007 - a runtime alias on Python 3.10


def run(files: Sequence[str], *, jobs: int = 0, pairs: bool = True) -> Iterator[Event]:
    """Read and check ``files`` with ``jobs`` worker processes (every core when 0).

    Yields a :class:`Read` or an :class:`Unreadable` per file, in the order of the files;
    then, when ``pairs`` is true, :class:`PairFindings` for every consecutive-year pair of
    the same organ (matched exactly), in the order its (organ, year) was first read (when
    the same organ and year occur twice, the later file is used); last a :class:`Summary`.
    """
    workers = jobs if jobs > 0 else (os.cpu_count() or 1)
    seen: dict[tuple[str, int], tuple[str, bytes]] = {}  # (organ, year) -> (file, packed carry-over record)
    number = with_errors = unreadable = 0
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for item in pool.map(_read_one, files, chunksize=_chunksize(len(files), workers)):
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
            for text in pool.map(_pair_chunk, runs):
                yield PairFindings(findings=text)
    yield Summary(files=len(files), read=number, with_errors=with_errors, unreadable=unreadable, pairs=len(found))
