"""The ``opengov`` command line (needs the ``cli`` extra: ``pip install "opengov[cli]"``).

Commands::

    opengov parse FILE                      report as JSON on stdout
    opengov check FILE [--previous FILE]    findings; exit 0 clean, 1 errors found, 2 unreadable
    opengov render FILE --to text|markdown|html
    opengov convert FILE --to json|csv|text|markdown|html
    opengov batch PATH... --out reports.csv --findings findings.csv
    opengov batch PATH... --out reports.parquet | reports.duckdb

``FILE`` may be ``-`` for standard input.  The input form (text, Markdown, HTML, Word, PDF, or
opengov's own JSON) is detected from the content, not from the file name.

The command line holds no logic of its own: it handles arguments and writes output.  Every
command is a thin layer over the public API (``opengov.parse``, ``check``, ``render``,
``dumps``, ``to_csv``); ``batch`` over :mod:`opengov._batch`, which does the batch's work
(walking the paths, the worker processes, numbering, the consecutive-year checks).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

try:
    import click
except ImportError as exc:  # pragma: no cover - exercised only without click
    raise SystemExit("the opengov command line needs click: pip install 'opengov[cli]'") from exc

import opengov
from opengov import _batch, _sinks
from opengov._batch import finding_record, load_input
from opengov._rows import Document

__all__ = ["main"]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_UNREADABLE = 2

_RENDER_FORMS = ("text", "markdown", "html", "docx")
_CONVERT_FORMS = ("json", "csv", "text", "markdown", "html", "docx")


# ---------------------------------------------------------------------------------------
# Reading inputs
# ---------------------------------------------------------------------------------------


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
    except (opengov.OpengovError, UnicodeDecodeError) as exc:
        raise _Abort(f"cannot read {name}: {exc}") from None


def _echo_diagnostics(result: opengov.ParseResult, name: str) -> None:
    for diagnostic in result.diagnostics:
        click.echo(f"{name}: {diagnostic}", err=True)


def _has_errors(findings: list[opengov.Finding]) -> bool:
    return any(f.severity is opengov.Severity.ERROR for f in findings)


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
        errors = sum(1 for f in findings if f.severity is opengov.Severity.ERROR)
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


@main.command("batch")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--out",
    "out",
    type=click.Path(),
    help="Output: reports.csv (long CSV), reports.parquet (a folder of Parquet tables) or reports.duckdb "
    "(a DuckDB database); the suffix decides. Parquet and DuckDB outputs are appended to.",
)
@click.option("--findings", "findings_out", type=click.Path(dir_okay=False), help="CSV of every finding (CSV output).")
@click.option("--jobs", "-j", type=int, default=0, help="Worker processes (default: every core).")
@click.option("--bom", is_flag=True, help="Write CSV files with a UTF-8 BOM (for Excel).")
def batch_command(paths: tuple[str, ...], out: str | None, findings_out: str | None, jobs: int, bom: bool) -> None:
    """Read and check every report under PATHS (files and directories, any input form).

    Results are streamed to the output as they come, so memory does not grow with the
    reports' contents (only a path and a small carry-over record per organ and year are
    kept); a file that cannot be read is listed with its error and never stops the run.
    When the batch holds consecutive years of the same organ, the carry-over check
    (二、上年结转 = last year's 四、结转下年度继续办理) and the table 2 stock check run between
    them, from the kept records (no file is read twice).

    A .parquet or .duckdb output holds the tables reports, cells, prose, findings and
    diagnostics (docs/columnar.md). Running the batch again over the same output reads only
    the files that are new or changed (by path, size, time and content hash) and keeps
    every earlier result; an interrupted run resumes where it stopped.

    \b
    Examples:
      opengov batch reports/ --out reports.csv --findings findings.csv
      opengov batch reports/ --out reports.duckdb
    """
    try:
        sink = _sinks.open_sink(out, findings_out, bom=bom)
    except _sinks.SinkError as exc:
        raise click.UsageError(str(exc)) from None
    except OSError as exc:
        raise _Abort(f"cannot write {exc.filename}: {exc.strerror or exc}") from None
    files = list(_sinks.excluded(_batch.walk(paths), sink))
    complete = False
    summary: _batch.Summary | None = None
    try:
        events: Iterator[object]
        if sink.payload == "csv":
            total = len(files)
            events = _batch.run(files, jobs=jobs, pairs=sink.pairs)
        else:
            tasks, skipped = _batch.plan(files, sink.index(), first=sink.next_report())
            total = len(tasks)
            events = _batch.run_rows(
                tasks, jobs=jobs, skipped=skipped, carried=sink.carried, refresh_pairs=sink.resuming
            )
        with ExitStack() as bar_stack:
            bar = (
                bar_stack.enter_context(click.progressbar(length=total, label="reading", file=sys.stderr))
                if sys.stderr.isatty()  # quiet otherwise: no bar at all
                else None
            )
            for event in events:
                sink.write(event)
                if isinstance(event, _batch.Unreadable):
                    click.echo(f"unreadable: {event.file}: {event.reason}", err=True)
                elif isinstance(event, Document) and event.rows.report.status != "read":
                    click.echo(f"unreadable: {event.rows.report.path}: {event.rows.report.reason}", err=True)
                elif isinstance(event, _batch.Summary):
                    summary = event
                if bar is not None:
                    if isinstance(event, (_batch.Read, _batch.Unreadable, Document, _batch.Unchanged)):
                        bar.update(1)
                    else:  # every file is read: the bar ends before the pairs are checked
                        bar_stack.close()
                        bar = None
        complete = True
    finally:
        sink.close(complete=complete)
    assert summary is not None  # the run always ends with its summary
    unchanged = f", {summary.unchanged} unchanged" if summary.unchanged else ""
    click.echo(
        f"{summary.files} file(s): {summary.read} read, {summary.with_errors} with error findings, "
        f"{summary.unreadable} unreadable{unchanged}; {summary.pairs} consecutive-year pair(s) checked",
        err=True,
    )


if __name__ == "__main__":  # pragma: no cover
    main()
