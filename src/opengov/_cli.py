"""The ``opengov`` command line (needs the ``cli`` extra: ``pip install "opengov[cli]"``).

Commands::

    opengov parse FILE                      report as JSON on stdout
    opengov check FILE [--previous FILE]    findings; exit 0 clean, 1 errors found, 2 unreadable
    opengov render FILE --to text|markdown|html
    opengov convert FILE --to json|csv|text|markdown|html
    opengov batch PATH... --out reports.csv --findings findings.csv

``FILE`` may be ``-`` for standard input.  The input form (text, Markdown, HTML, Word, PDF, or
opengov's own JSON) is detected from the content, not from the file name.

The command line holds no logic of its own: every command is a thin layer over the public API
(``opengov.read``/``parse``, ``check``, ``render``, ``dumps``, ``to_csv``).
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

try:
    import click
except ImportError as exc:  # pragma: no cover - exercised only without click
    raise SystemExit("the opengov command line needs click: pip install 'opengov[cli]'") from exc

import opengov
from opengov._checks.carry import CarryRecord, carry_record, previous_findings
from opengov._errors import OpengovError, Severity
from opengov._serialize.csv import _LONG_HEADER, _report_parts

__all__ = ["main"]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_UNREADABLE = 2

_RENDER_FORMS = ("text", "markdown", "html", "docx")
_CONVERT_FORMS = ("json", "csv", "text", "markdown", "html", "docx")


# ---------------------------------------------------------------------------------------
# Reading inputs
# ---------------------------------------------------------------------------------------


def _read_bytes(name: str) -> bytes:
    if name == "-":
        return sys.stdin.buffer.read()
    with open(name, "rb", buffering=0) as handle:  # unbuffered: one read of the whole file
        return handle.readall()


def _looks_like_report_json(data: bytes) -> bool:
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return head == b"{"


def load_input(name: str) -> opengov.ParseResult:
    """Read one input (a path or ``-``) into a ParseResult; JSON made by opengov is accepted too.

    Raises :class:`opengov.OpengovError` (ParseError or LoadError) or ``OSError``.
    """
    data = _read_bytes(name)
    if _looks_like_report_json(data):
        return opengov.ParseResult(report=opengov.loads(data.decode("utf-8-sig")), form="json")
    return opengov.parse(data)


class _Abort(click.ClickException):
    """An input that cannot be read: message on stderr, exit status 2."""

    exit_code = EXIT_UNREADABLE

    def format_message(self) -> str:
        return self.message


def _load_or_exit(name: str) -> opengov.ParseResult:
    try:
        return load_input(name)
    except OSError as exc:
        raise _Abort(f"cannot read {name}: {exc.strerror or exc}") from None
    except (OpengovError, UnicodeDecodeError) as exc:
        raise _Abort(f"cannot read {name}: {exc}") from None


def _echo_diagnostics(result: opengov.ParseResult, name: str) -> None:
    for diagnostic in result.diagnostics:
        click.echo(f"{name}: {diagnostic}", err=True)


# ---------------------------------------------------------------------------------------
# Findings as text, JSON and CSV rows
# ---------------------------------------------------------------------------------------

FINDING_FIELDS = (
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


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def finding_record(finding: Any, *, file: str = "", organ: str = "", year: int | None = None) -> dict[str, Any]:
    """One finding as a flat dict of :data:`FINDING_FIELDS` (JSON/CSV friendly)."""
    return dict(zip(FINDING_FIELDS, _finding_row(finding, file, organ, year), strict=True))


def _finding_row(finding: Any, file: str, organ: str, year: int | None) -> list[Any]:
    """The values of :func:`finding_record`, in the order of :data:`FINDING_FIELDS`."""
    locations = getattr(finding, "locations", ()) or ()
    if isinstance(locations, dict):
        locations = list(locations.values())
    return [
        file,
        organ,
        year,
        getattr(finding, "rule", ""),
        str(getattr(finding, "severity", "")),
        getattr(finding, "table", None),
        getattr(finding, "row", None),
        getattr(finding, "row_label", None),
        getattr(finding, "column", None),
        getattr(finding, "column_label", None),
        _plain(getattr(finding, "printed", None)),
        _plain(getattr(finding, "expected", None)),
        _plain(getattr(finding, "difference", None)),
        getattr(finding, "message_zh", ""),
        getattr(finding, "message_en", ""),
        "; ".join(str(loc) for loc in locations),
    ]


def _has_errors(findings: Iterable[Any]) -> bool:
    return any(getattr(f, "severity", None) is Severity.ERROR for f in findings)


# ---------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(opengov.__version__, prog_name="opengov")
def main() -> None:
    """Read, check, render and convert 政府信息公开工作年度报告 (OGI annual reports).

    \b
    Examples:
      opengov parse report.html > report.json
      opengov check report.txt --previous last-year.txt
      opengov render report.pdf --to text
      opengov batch reports/ --out reports.csv --findings findings.csv
    """


@main.command("parse")
@click.argument("file")
@click.option("--strict", is_flag=True, help="Fail (exit 2) when the reader reports any problem.")
def parse_command(file: str, strict: bool) -> None:
    """Parse FILE and print the report as JSON on stdout.

    Diagnostics (what the reader repaired or could not place) go to stderr.

    \b
    Example:
      opengov parse zhapu-2023.txt > zhapu-2023.json
    """
    result = _load_or_exit(file)
    _echo_diagnostics(result, file)
    if strict and result.diagnostics:
        raise _Abort(f"{file}: {len(result.diagnostics)} problem(s) in strict mode")
    click.echo(opengov.dumps(result.report))


@main.command("check")
@click.argument("file")
@click.option("--previous", "previous_file", metavar="FILE", help="Last year's report, for the carry-over checks.")
@click.option(
    "--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Output form."
)
@click.option("--blanks-as-zero", is_flag=True, help="Treat blank and placeholder cells as 0 in the arithmetic.")
def check_command(file: str, previous_file: str | None, output: str, blanks_as_zero: bool) -> None:
    """Check FILE's table identities (勾稽关系) and print the findings.

    Exit status: 0 when there is no error-level finding, 1 when there is, 2 when an input cannot
    be read.

    \b
    Example:
      opengov check zhapu-2023.txt --previous zhapu-2022.txt --format json
    """
    result = _load_or_exit(file)
    previous = _load_or_exit(previous_file) if previous_file else None
    findings = opengov.check(result, previous=previous, blanks="zero" if blanks_as_zero else "undecided")
    report = result.report
    if output == "json":
        records = [finding_record(f, file=file, organ=report.organ, year=report.year) for f in findings]
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
    else:
        for finding in findings:
            click.echo(str(finding))
        errors = sum(1 for f in findings if f.severity is Severity.ERROR)
        click.echo(f"{file}: {len(findings)} finding(s), {errors} error(s)", err=True)
    sys.exit(EXIT_FINDINGS if _has_errors(findings) else EXIT_OK)


@main.command("render")
@click.argument("file")
@click.option("--to", "to", type=click.Choice(_RENDER_FORMS), default="text", show_default=True)
@click.option("--ascii", "ascii_", is_flag=True, help="ASCII borders for terminals that draw box characters wide.")
def render_command(file: str, to: str, ascii_: bool) -> None:
    """Print FILE in the official layout (text, Markdown, HTML, or a Word .docx).

    A .docx is written to stdout as bytes: redirect it to a file.

    \b
    Example:
      opengov render report.html --to text
      opengov render report.pdf --to docx > report.docx
    """
    result = _load_or_exit(file)
    kwargs: dict[str, Any] = {"style": "ascii"} if ascii_ and to == "text" else {}
    _emit(opengov.render(result.report, to=to, **kwargs))


def _emit(output: str | bytes) -> None:
    if isinstance(output, bytes):
        sys.stdout.buffer.write(output)
        sys.stdout.buffer.flush()
    else:
        click.echo(output, nl=False)


@main.command("convert")
@click.argument("file")
@click.option("--to", "to", type=click.Choice(_CONVERT_FORMS), required=True)
@click.option("--bom", is_flag=True, help="CSV: write a UTF-8 BOM (for Excel).")
def convert_command(file: str, to: str, bom: bool) -> None:
    """Convert FILE to JSON, CSV (long form), text, Markdown, HTML or .docx on stdout.

    \b
    Example:
      opengov convert report.pdf --to csv --bom > report.csv
    """
    result = _load_or_exit(file)
    if to == "json":
        click.echo(opengov.dumps(result.report))
    elif to == "csv":
        text = opengov.to_csv([result.report], layout="long", bom=bom)
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.buffer.flush()
    else:
        _emit(opengov.render(result.report, to=to))


# ---------------------------------------------------------------------------------------
# Batch
# ---------------------------------------------------------------------------------------


def _walk(paths: Sequence[str]) -> Iterator[Path]:
    for name in paths:
        path = Path(name)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for file in sorted(files):
                    if not file.startswith("."):
                        yield Path(root) / file
        else:
            yield path


def _findings_csv(findings: Iterable[Any], file: str, organ: str, year: int | None) -> str:
    """Findings as lines of the findings CSV (no header), exactly as a ``csv.DictWriter``
    over their :func:`finding_record` dicts writes them."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(_finding_row(f, file, organ, year) for f in findings)
    return buffer.getvalue()


def _batch_one(path: str) -> dict[str, Any]:
    """Worker: read and check one file; returns only plain, picklable data: the report's
    long-form CSV lines without their report number (the parent numbers them), its
    findings as final CSV text (both UTF-8 bytes), and its packed carry-over record for
    the consecutive-year check."""
    try:
        result = load_input(path)
    except (OSError, OpengovError, UnicodeDecodeError, ValueError) as exc:
        return {"file": path, "error": str(exc).splitlines()[0]}
    except Exception as exc:  # a bug must not stop a batch of thousands: report it as unreadable
        return {"file": path, "error": f"internal error ({type(exc).__name__}): {exc}"}
    report = result.report
    findings = opengov.check(result)
    return {
        "file": path,
        "organ": report.organ,
        "year": report.year,
        "tails": _pack_parts(*_report_parts(report, 1)),
        "findings": _findings_csv(findings, path, report.organ, report.year).encode("utf-8"),
        "errors": sum(1 for f in findings if f.severity is Severity.ERROR),
        "carry": carry_record(result).pack(),
    }


_NUMBER_SLOT = b"\x00"
"""Stands for the report number before each CSV line in a worker's packed lines."""


def _pack_tails(tails: list[bytes]) -> bytes | list[bytes]:
    """The report's CSV lines as one bytes object, each preceded by :data:`_NUMBER_SLOT` (the
    parent replaces the slots with the report number: one object to pickle and write, not
    one per line); the list itself when a line holds a NUL byte."""
    packed = _NUMBER_SLOT + _NUMBER_SLOT.join(tails)
    return packed if packed.count(_NUMBER_SLOT) == len(tails) else tails


def _pack_parts(prefix: str, rests: list[str]) -> tuple[bytes, bytes] | bytes | list[bytes]:
    """The report's CSV lines (each ``prefix + rest``, see ``_report_parts``) for the parent:
    ``(prefix, body)``, the body holding each rest preceded by :data:`_NUMBER_SLOT`, which
    the parent replaces with the report number and the prefix (sent once, not on every
    line); :func:`_pack_tails` of the whole lines when a rest holds a NUL byte."""
    body = "\x00" + "\x00".join(rests)
    if body.count("\x00") == len(rests):
        return prefix.encode("utf-8"), body.encode("utf-8")
    return _pack_tails([(prefix + rest).encode("utf-8") for rest in rests])


def _numbered(tails: tuple[bytes, bytes] | bytes | list[bytes], number: bytes) -> bytes:
    """A report's CSV lines as a worker packed them (:func:`_pack_parts`,
    :func:`_pack_tails`), each starting with the report ``number``."""
    if isinstance(tails, tuple):
        prefix, body = tails
        return body.replace(_NUMBER_SLOT, number + prefix)
    if isinstance(tails, bytes):
        return tails.replace(_NUMBER_SLOT, number)
    return number.join([b"", *tails])


def _pair_findings(path: str, organ: str, year: int, current: CarryRecord, before: CarryRecord) -> str:
    """The findings that need last year's report, for one (this year, last year) pair, as
    final CSV text: computed from the two carry-over records, no file read again."""
    return _findings_csv(previous_findings(current, before), path, organ, year)


_PairJob = tuple[str, str, int, bytes, bytes]
"""(path, organ, year, packed carry-over record, last year's packed record)."""


def _pair_chunk(jobs: list[_PairJob]) -> bytes:
    """Worker: :func:`_pair_findings` of a run of pairs, as one UTF-8 CSV text.  A record
    that was this year's in one pair and is last year's in the next is unpacked once."""
    parts = []
    last: tuple[bytes, CarryRecord] | None = None
    for path, organ, year, carry, before in jobs:
        before_record = last[1] if last is not None and last[0] == before else CarryRecord.unpack(before)
        current = CarryRecord.unpack(carry)
        last = (carry, current)
        parts.append(_pair_findings(path, organ, year, current, before_record))
    return "".join(parts).encode("utf-8")


def _chunksize(n: int, workers: int, most: int = 64) -> int:
    return max(1, min(most, n // (workers * 8)))


@main.command("batch")
@click.argument("paths", nargs=-1, required=True)
@click.option("--out", "out", type=click.Path(dir_okay=False), help="Long-form CSV of every report read.")
@click.option("--findings", "findings_out", type=click.Path(dir_okay=False), help="CSV of every finding.")
@click.option("--jobs", "-j", type=int, default=0, help="Worker processes (default: every core).")
@click.option("--bom", is_flag=True, help="Write CSV files with a UTF-8 BOM (for Excel).")
def batch_command(paths: tuple[str, ...], out: str | None, findings_out: str | None, jobs: int, bom: bool) -> None:
    """Read and check every report under PATHS (files and directories, any input form).

    Results are streamed to the CSV files as they come, so memory does not grow with the
    reports' contents (only a path and a small carry-over record per organ and year are
    kept); a file that cannot be read is listed with its error and never stops the run.
    When the batch holds consecutive years of the same organ, the carry-over check
    (二、上年结转 = last year's 四、结转下年度继续办理) and the table 2 stock check run between
    them, from the kept records (no file is read twice).

    \b
    Example:
      opengov batch reports/ --out reports.csv --findings findings.csv
    """
    files = [str(p) for p in _walk(paths)]
    # Workers send UTF-8 bytes; both files are written as bytes (a BOM first with --bom).
    start = b"\xef\xbb\xbf" if bom else b""
    out_handle = open(out, "wb") if out else None  # noqa: SIM115
    findings_handle = open(findings_out, "wb") if findings_out else None  # noqa: SIM115
    if findings_handle:
        header = io.StringIO(newline="")
        csv.DictWriter(header, fieldnames=FINDING_FIELDS).writeheader()
        findings_handle.write(start + header.getvalue().encode("utf-8"))
    seen: dict[tuple[str, int], tuple[str, bytes]] = {}  # (organ, year) -> (path, packed carry-over record)
    read = with_errors = unreadable = 0
    workers = jobs if jobs > 0 else (os.cpu_count() or 1)
    progress = sys.stderr.isatty()  # quiet otherwise: no bar at all
    try:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = pool.map(_batch_one, files, chunksize=_chunksize(len(files), workers))
            bar: AbstractContextManager[Iterable[dict[str, Any]]] = (
                click.progressbar(results, length=len(files), label="reading", file=sys.stderr)
                if progress
                else nullcontext(results)
            )
            with bar as items:
                for item in items:
                    if "error" in item:
                        unreadable += 1
                        click.echo(f"unreadable: {item['file']}: {item['error']}", err=True)
                        continue
                    read += 1
                    with_errors += 1 if item["errors"] else 0
                    if out_handle:
                        if read == 1:
                            out_handle.write(start + _LONG_HEADER.encode("utf-8"))
                        out_handle.write(_numbered(item["tails"], str(read).encode("ascii")))
                    if findings_handle:
                        findings_handle.write(item["findings"])
                    if item["organ"] and item["year"] is not None:
                        seen[(item["organ"], item["year"])] = (item["file"], item["carry"])
            # The consecutive-year pairs, in the order their (organ, year) was first read;
            # checked by the workers in runs (the records are final only now).
            pair_jobs: list[_PairJob] = []
            for (organ, year), (path, carry) in seen.items():
                before = seen.get((organ, year - 1))
                if before is not None:
                    pair_jobs.append((path, organ, year, carry, before[1]))
            pairs = len(pair_jobs)
            if findings_handle and pair_jobs:
                size = _chunksize(pairs, workers, 256)
                runs = [pair_jobs[i : i + size] for i in range(0, pairs, size)]
                for text in pool.map(_pair_chunk, runs):
                    findings_handle.write(text)
    finally:
        for handle in (out_handle, findings_handle):
            if handle:
                handle.close()
    click.echo(
        f"{len(files)} file(s): {read} read, {with_errors} with error findings, {unreadable} unreadable; "
        f"{pairs} consecutive-year pair(s) checked",
        err=True,
    )


if __name__ == "__main__":  # pragma: no cover
    main()
