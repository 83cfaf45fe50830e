"""The ``opengov`` command line (needs the ``cli`` extra: ``pip install "opengov[cli]"``).

Commands::

    opengov parse FILE                      the report as JSON
    opengov check FILE [--previous FILE]    the findings (勾稽关系); --html PAGE draws them
    opengov render FILE --to text|markdown|html|docx
    opengov convert FILE --to json|csv|text|markdown|html|docx
    opengov batch PATH... --out reports.csv --findings findings.csv
    opengov batch PATH... --out reports.parquet | reports.duckdb

``FILE`` may be ``-`` for standard input.  It holds a document (text, Markdown, HTML, Word
.docx, PDF: the form is detected from the content), opengov's own JSON, or opengov's own CSV
(long or wide; ``--report N`` picks one of several): see :mod:`opengov._inputs`.  ``parse``,
``check``, ``render`` and ``convert`` write to standard output or to ``-o FILE``; their
diagnostics and findings in text form use the official Chinese labels (``--lang en``: the
English keys).

Exit statuses (docs/cli.md): 0 done; 1 ``check`` found error-level findings, or ``render`` /
``convert`` wrote a report with cells left absent; 2 an input cannot be read, an output cannot
be written, an option is wrong or an optional extra is missing; 3 an internal error (a bug in
opengov); 130 interrupted; 141 standard output was closed.  Each error is one line on stderr,
never a traceback (``OPENGOV_DEBUG=1`` lets an internal error's traceback through).

The command line holds no logic of its own: it handles arguments and writes output.  Every
command is a thin layer over the public API (``opengov.parse``, ``check``, ``render``,
``dumps``, ``to_csv``); inputs are read by :mod:`opengov._inputs`; ``batch`` is a layer over
:mod:`opengov._batch`, which does the batch's work (walking the paths, the worker processes,
numbering, the consecutive-year checks).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

import attrs

from opengov._errors import MissingExtraError

try:
    import click
except ImportError as exc:  # pragma: no cover - exercised by a subprocess test without click
    raise MissingExtraError("cli", "click", "the opengov command line") from exc

import opengov
from opengov import _batch, _sinks, _workers
from opengov._batch import finding_record
from opengov._codec import cell_text
from opengov._decode import forced_codec
from opengov._inputs import (
    DATA_FORMS,
    NO_REPORT,
    EncodingError,
    NoSuchReport,
    SeveralReports,
    load_input,
    load_inputs,
)
from opengov._parse import STRICT_SEVERITIES
from opengov._readers import form_names
from opengov._render import OUTPUT_SUFFIXES
from opengov._rows import Document
from opengov._workers import DEFAULT_CAPS

__all__ = ["main"]

EXIT_OK = 0
EXIT_FINDINGS = 1
"""``check``: error-level findings; ``render`` / ``convert``: cells left absent."""
EXIT_UNREADABLE = 2
"""An input that cannot be read, an output that cannot be written, a wrong option, a missing extra."""
EXIT_INTERNAL = 3
"""An internal error: a bug in opengov (never confused with findings)."""
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141

_RENDER_FORMS = ("text", "markdown", "html", "docx")
_CONVERT_FORMS = ("json", "csv", "text", "markdown", "html", "docx")
_INPUT_FORMS = ("auto", *DATA_FORMS, *form_names())
_SUFFIX_FORMS = {**OUTPUT_SUFFIXES, ".json": "json", ".csv": "csv"}
"""What an output file's extension says it holds (``render_to``'s rule, plus JSON and CSV)."""


# ---------------------------------------------------------------------------------------
# Errors: one line on stderr, a documented exit status
# ---------------------------------------------------------------------------------------


class _Fail(click.ClickException):
    """A documented failure: ``Error: message`` on stderr, exit status 2."""

    exit_code = EXIT_UNREADABLE

    def __init__(self, message: str):
        super().__init__(_one_line(message))


class _Internal(_Fail):
    """An internal error (a bug in opengov): exit status 3."""

    exit_code = EXIT_INTERNAL

    def format_message(self) -> str:
        return self.message


def _one_line(message: str) -> str:
    return " ".join(line.strip() for line in message.splitlines() if line.strip()) or message


def _first_line(exc: BaseException) -> str:
    return next((line for line in str(exc).splitlines() if line.strip()), "")


class _Commands(click.Group):
    """The command group: whatever a command raises ends as one line and a documented
    exit status, never a traceback (and never status 1, which means findings)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            raise click.exceptions.Exit(EXIT_INTERRUPTED) from None
        except BrokenPipeError:
            _detach_stdout()
            raise click.exceptions.Exit(EXIT_BROKEN_PIPE) from None
        except MissingExtraError as exc:
            raise _Fail(str(exc)) from None
        except OSError as exc:
            if exc.filename is None or os.environ.get("OPENGOV_DEBUG"):
                raise _internal(exc) from None
            raise _Fail(f"{exc.filename}: {exc.strerror or exc}") from None
        except Exception as exc:
            raise _internal(exc) from None


def _internal(exc: Exception) -> Exception:
    """An internal error as one line and status 3 (with ``OPENGOV_DEBUG`` set: itself)."""
    if os.environ.get("OPENGOV_DEBUG"):
        return exc
    return _Internal(
        f"internal error ({type(exc).__name__}: {_first_line(exc)}). This is a bug in opengov: "
        "please report it with the input (OPENGOV_DEBUG=1 shows the traceback)"
    )


def _detach_stdout() -> None:
    """After a closed pipe: point stdout at /dev/null so that the final flush is quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):  # not a real file (a test runner)
        pass


# ---------------------------------------------------------------------------------------
# Human-readable diagnostics and findings: official Chinese labels, or English keys
# ---------------------------------------------------------------------------------------

_SEVERITY_ZH = {opengov.Severity.ERROR: "错误", opengov.Severity.WARNING: "警告", opengov.Severity.INFO: "提示"}
_TABLE_ZH = {"table2": "表二", "table3": "表三", "table4": "表四"}


def _location_zh(location: opengov.Location | None) -> str:
    if location is None:
        return ""
    parts = (
        (location.page, "第{}页"),
        (location.line, "第{}行"),
        (location.column, "第{}字"),
        (location.table, "第{}张表"),
        (location.row, "表内第{}行"),
        (location.cell, "第{}格"),
    )
    return "".join(template.format(value) for value, template in parts if value is not None)


def diagnostic_text(diagnostic: opengov.Diagnostic, lang: str) -> str:
    """One diagnostic as a line: ``提示：… （第89行第2字）[label-annotation]`` (``lang="en"``:
    ``str(diagnostic)``)."""
    if lang == "en":
        return str(diagnostic)
    at = _location_zh(diagnostic.location)
    return f"{_SEVERITY_ZH[diagnostic.severity]}：{diagnostic.message}{f'（{at}）' if at else ''} [{diagnostic.code}]"


def finding_text(finding: opengov.Finding, lang: str) -> str:
    """One finding as a line with its Chinese message and the official labels of its cell,
    ``错误：…（印为“20”）[t3-row-total：表三 （一）予以公开 / 总计]`` (``lang="en"``:
    ``str(finding)``, the English message and keys)."""
    if lang == "en":
        return str(finding)
    notes = []
    if finding.key is not None and finding.printed is not None:
        notes.append(f"印为“{cell_text(finding.printed)}”")
    at = _location_zh(finding.location)
    if at:
        notes.append(at)
    labels = " / ".join(label for label in (finding.row_label, finding.column_label) if label)
    address = " ".join(part for part in (_TABLE_ZH.get(finding.table or "", finding.table or ""), labels) if part)
    note = f"（{'，'.join(notes)}）" if notes else ""
    rule = f"{finding.rule}：{address}" if address else finding.rule
    return f"{_SEVERITY_ZH[finding.severity]}：{finding.message_zh}{note} [{rule}]"


def _count_severities(diagnostics: Iterable[opengov.Diagnostic]) -> dict[opengov.Severity, int]:
    counts = dict.fromkeys(opengov.Severity, 0)
    for diagnostic in diagnostics:
        counts[diagnostic.severity] += 1
    return counts


def _absent(report: opengov.Report) -> tuple[int, list[str]]:
    """How many cells the report leaves absent (a table it lacks counts whole), and which
    tables it lacks."""
    index = opengov.layout.cell_index(report.format)
    missing = [table for table in opengov.layout.TABLES if getattr(report, table) is None]
    absent = sum(1 for cell in report.cells() if cell.value is None)
    return absent + sum(len(index.table(table)) for table in missing), missing


def _summary(name: str, result: opengov.ParseResult, lang: str) -> str | None:
    """The line saying what a render or conversion lacks, or None when it lacks nothing."""
    absent, missing = _absent(result.report)
    if not absent and not result.diagnostics:
        return None
    n = _count_severities(result.diagnostics)
    errors, warnings, infos = n[opengov.Severity.ERROR], n[opengov.Severity.WARNING], n[opengov.Severity.INFO]
    if lang == "en":
        tables = f" ({', '.join(missing)} missing)" if missing else ""
        return (
            f"{name}: {absent} cell(s) left absent{tables}; {len(result.diagnostics)} diagnostic(s): "
            f"{errors} error(s), {warnings} warning(s), {infos} info"
        )
    tables = f"，缺少{'、'.join(_TABLE_ZH[t] for t in missing)}" if missing else ""
    return (
        f"{name}：{absent} 个单元格空缺（未能读出）{tables}；诊断 {len(result.diagnostics)} 条："
        f"错误 {errors}、警告 {warnings}、提示 {infos}"
    )


def _echo_diagnostics(diagnostics: Iterable[opengov.Diagnostic], name: str, lang: str) -> None:
    for diagnostic in diagnostics:
        click.echo(f"{name}: {diagnostic_text(diagnostic, lang)}", err=True)


# ---------------------------------------------------------------------------------------
# Reading inputs
# ---------------------------------------------------------------------------------------


def _read_error(name: str, exc: BaseException, lang: str, previous: bool = False) -> _Fail:
    """The one line for an input that cannot be read (located diagnostics printed first)."""
    if isinstance(exc, SeveralReports):
        if previous:
            return _Fail(
                f"{name} holds {exc.count} reports (a CSV of several): --previous takes one "
                f"(opengov convert {name} --report N -o last-year.json)"
            )
        return _Fail(f"{name} holds {exc.count} reports (a CSV of several): choose one with --report N (1–{exc.count})")
    if isinstance(exc, NoSuchReport):
        return _Fail(f"--report: {exc}")
    if isinstance(exc, EncodingError):
        return _Fail(f"--encoding: {exc}")
    if isinstance(exc, FileNotFoundError):
        hint = " (give a path, or - for standard input)" if name != "-" else ""
        return _Fail(f"cannot read {name}: no such file{hint}")
    if isinstance(exc, OSError):
        return _Fail(f"cannot read {name}: {exc.strerror or exc}")
    if isinstance(exc, opengov.ParseError) and exc.diagnostics:
        if len(exc.diagnostics) == 1:
            diagnostic = exc.diagnostics[0]
            hint = _hint(name, diagnostic.code)
            at = f" (at {diagnostic.location})" if diagnostic.location != opengov.Location() else ""
            return _Fail(f"cannot read {name}: {diagnostic.message}{at} [{diagnostic.code}]{hint}")
        _echo_diagnostics(exc.diagnostics, name, lang)
        summary = _first_line(exc).rstrip(":")
        return _Fail(f"cannot read {name}: {summary} ({len(exc.diagnostics)} problems above)")
    if isinstance(exc, opengov.LoadError) and len(exc.problems) > 1:
        for problem in exc.problems:
            click.echo(f"{name}: {problem}", err=True)
        return _Fail(f"cannot read {name}: invalid report data ({len(exc.problems)} problems above)")
    return _Fail(f"cannot read {name}: {exc}")


def _hint(name: str, code: str) -> str:
    """What to do instead, for the errors that have an answer on the command line."""
    if code == "not-a-file":
        if os.path.isdir(name):
            return f"; to read every report in a folder: opengov batch {name}"
        command = click.get_current_context().info_name
        return f"; to read a stream, send it on standard input: … | opengov {command} -"
    if code == "unknown-bytes":
        return "; if it is text in another encoding, say which with --encoding (e.g. gb18030)"
    return ""


def _encoding_option(_context: click.Context, _parameter: click.Parameter, value: str | None) -> str | None:
    """``--encoding``: a text encoding Python knows (refused before any file is read)."""
    if value is not None:
        try:
            forced_codec(value)
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None
    return value


_READ_ERRORS = (OSError, opengov.OpengovError, UnicodeError, SeveralReports, NoSuchReport, EncodingError)


@attrs.frozen(kw_only=True)
class _Input:
    """The input options every command but ``batch`` shares."""

    form: str = "auto"
    encoding: str | None = None
    report: int | None = None
    lang: str = "zh"
    previous: bool = False
    """Last year's report (``check --previous``), which ``--report`` does not pick."""

    def one(self, name: str, previous: opengov.Report | None = None) -> opengov.ParseResult:
        """The report of ``name`` (one, or the one ``--report`` picks); ``previous``, last
        year's report, may decide glued table 2 rows of a document."""
        try:
            return load_input(name, form=self.form, encoding=self.encoding, report=self.report, previous=previous)
        except MissingExtraError:
            raise
        except _READ_ERRORS as exc:
            raise _read_error(name, exc, self.lang, self.previous) from None

    def every(self, name: str) -> list[opengov.ParseResult]:
        """Every report of ``name`` (a CSV may hold several), or the one ``--report`` picks."""
        if self.report is not None:
            return [self.one(name)]
        try:
            results = load_inputs(name, form=self.form, encoding=self.encoding)
        except MissingExtraError:
            raise
        except _READ_ERRORS as exc:
            raise _read_error(name, exc, self.lang) from None
        if not results:
            raise _Fail(f"cannot read {name}: invalid report data: {NO_REPORT}")
        return results


F = TypeVar("F", bound=Callable[..., Any])


def _input_options(func: F) -> F:
    options = [
        click.option(
            "--form",
            type=click.Choice(_INPUT_FORMS),
            default="auto",
            show_default=True,
            help="What FILE holds: detected from its content and name (auto), opengov's own json or csv, "
            "or a document form.",
        ),
        click.option(
            "--encoding",
            metavar="NAME",
            callback=_encoding_option,
            help="The text encoding of a text or HTML document, e.g. gb18030 or utf-16 (detected when not "
            "given; not for JSON or CSV, always UTF-8).",
        ),
        click.option(
            "--report",
            "report_number",
            type=click.IntRange(min=1),
            metavar="N",
            help="The N-th report (from 1) of a CSV holding several.",
        ),
        click.option(
            "--lang",
            type=click.Choice(["zh", "en"]),
            default="zh",
            show_default=True,
            envvar="OPENGOV_LANG",
            help="Diagnostics and findings in text form: Chinese labels (zh) or English keys (en).",
        ),
        click.option(
            "-o",
            "--output",
            metavar="PATH",
            help="Write the output to PATH instead of standard output (- for standard output).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


# ---------------------------------------------------------------------------------------
# Writing outputs
# ---------------------------------------------------------------------------------------


def _to_stdout(output: str | None) -> bool:
    return output is None or output == "-"


def _output_form(to: str | None, output: str | None, allowed: tuple[str, ...], default: str | None) -> str:
    """The output form: ``--to``, else what ``-o``'s extension says, else ``default``; a
    ``--to`` that contradicts the extension is refused (as :func:`opengov.render_to` does)."""
    implied = None if _to_stdout(output) else _SUFFIX_FORMS.get(os.path.splitext(str(output))[1].lower())
    if to is None:
        if implied is not None:
            if implied not in allowed:
                writes = ", ".join(allowed)
                raise _Fail(f"{output}: this command cannot write {implied} (it writes {writes})")
            return implied
        if default is None:
            choices = "|".join(allowed)
            raise _Fail(f"say what to write: --to {choices}, or -o FILE with one of its extensions")
        return default
    if implied is not None and implied != to and not (implied == "text" and to in ("markdown", "html")):
        raise _Fail(f"--to {to} contradicts the output file name {output} ({implied})")
    return to


def _refuse_binary_terminal(to: str, output: str | None) -> None:
    if to == "docx" and _to_stdout(output) and sys.stdout.isatty():
        raise _Fail(
            "a .docx is binary and would garble the terminal: write it with -o report.docx (or redirect stdout)"
        )


def _write(output: str | None, data: str | bytes) -> None:
    """Write the output to stdout or to ``output`` (UTF-8 text, or bytes as they are).  On a
    terminal text goes through click (which knows the console); elsewhere it is UTF-8."""
    if _to_stdout(output):
        if isinstance(data, str) and sys.stdout.isatty():
            click.echo(data, nl=False)
            return
        sys.stdout.flush()
        sys.stdout.buffer.write(data.encode("utf-8") if isinstance(data, str) else data)
        sys.stdout.buffer.flush()
        return
    assert output is not None
    try:
        with open(output, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
    except OSError as exc:
        raise _Fail(f"cannot write {output}: {exc.strerror or exc}") from None


def _render(result: opengov.ParseResult, to: str, **options: Any) -> str | bytes:
    try:
        return opengov.render(result.report, to=to, **options)
    except ValueError as exc:  # documented: a text a Word file cannot hold
        if to != "docx":
            raise
        raise _Fail(f"cannot write the .docx: {exc}") from None


def _report_status(name: str, results: list[opengov.ParseResult], lang: str) -> int:
    """Print each result's diagnostics and summary on stderr; 1 when a cell was left absent."""
    status = EXIT_OK
    for result in results:
        _echo_diagnostics(result.diagnostics, name, lang)
        line = _summary(name, result, lang)
        if line is not None:
            click.echo(line, err=True)
        if _absent(result.report)[0]:
            status = EXIT_FINDINGS
    return status


# ---------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(opengov.__version__, prog_name="opengov")
def main() -> None:
    """Read, check, render and convert 政府信息公开工作年度报告 (OGI annual reports).

    FILE is a document (text, Markdown, HTML, Word .docx, PDF), opengov's own JSON or CSV,
    or - for standard input.  Exit status: 0 done, 1 error findings (check) or cells left
    absent (render, convert), 2 unreadable input / unwritable output / wrong option /
    missing extra, 3 internal error.

    \b
    Examples:
      opengov parse report.html -o report.json
      opengov check report.txt --previous last-year.txt --html check.html
      opengov render report.pdf --to text
      opengov batch reports/ --out reports.csv --findings findings.csv
    """


@main.command("parse")
@click.argument("file")
@click.option("--strict", is_flag=True, help="Fail (exit 2) when the reader reports an error or a warning.")
@_input_options
def parse_command(
    file: str,
    strict: bool,
    form: str,
    encoding: str | None,
    report_number: int | None,
    lang: str,
    output: str | None,
) -> None:
    """Parse FILE and write the report as JSON.

    Diagnostics (what the reader repaired or could not place) go to stderr.  With --strict,
    a diagnostic of error or warning severity (as opengov.parse(strict=True)) fails the
    command with exit status 2 and no output; info diagnostics never do.

    \b
    Example:
      opengov parse zhapu-2023.txt -o zhapu-2023.json
    """
    result = _Input(form=form, encoding=encoding, report=report_number, lang=lang).one(file)
    _echo_diagnostics(result.diagnostics, file, lang)
    if strict:
        problems = [d for d in result.diagnostics if d.severity in STRICT_SEVERITIES]
        if problems:
            raise _Fail(f"{file}: {len(problems)} error or warning diagnostic(s) in strict mode")
    _write(output, opengov.dumps(result.report) + "\n")


@main.command("check")
@click.argument("file")
@click.option(
    "--previous",
    "previous_file",
    metavar="FILE",
    help="Last year's report, for the carry-over checks (and to read glued table 2 rows of FILE).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="How the findings are written (json: every field, Chinese and English).",
)
@click.option("--blanks-as-zero", is_flag=True, help="Treat blank and placeholder cells as 0 in the arithmetic.")
@click.option(
    "--html",
    "html_page",
    metavar="PATH",
    help="Also write the check report page: the official tables with every cell a finding names highlighted.",
)
@_input_options
def check_command(
    file: str,
    previous_file: str | None,
    output_format: str,
    blanks_as_zero: bool,
    html_page: str | None,
    form: str,
    encoding: str | None,
    report_number: int | None,
    lang: str,
    output: str | None,
) -> None:
    """Check FILE's table identities (勾稽关系) and write the findings.

    Exit status: 0 when there is no error-level finding, 1 when there is, 2 when an input
    cannot be read or an output cannot be written (3: an internal error, never 1).

    \b
    Example:
      opengov check zhapu-2023.txt --previous zhapu-2022.txt --format json
      opengov check zhapu-2023.txt --html check.html
    """
    previous = _Input(lang=lang, previous=True).one(previous_file) if previous_file else None
    last_year = previous.report if previous is not None else None
    result = _Input(form=form, encoding=encoding, report=report_number, lang=lang).one(file, last_year)
    findings = opengov.check(result, previous=previous, blanks="zero" if blanks_as_zero else "undecided")
    report = result.report
    if output_format == "json":
        records = [finding_record(f, file=file, organ=report.organ, year=report.year) for f in findings]
        text = json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    else:
        text = "".join(finding_text(f, lang) + "\n" for f in findings)
    if html_page is not None:
        page = opengov.render(result, to="html", findings=findings, diagnostics=result.diagnostics)
        _write(html_page, page)
    _write(output, text)
    errors = sum(1 for f in findings if f.severity is opengov.Severity.ERROR)
    if output_format == "text":
        summary = (
            f"{file}: {len(findings)} finding(s), {errors} error(s)"
            if lang == "en"
            else f"{file}：检查结果 {len(findings)} 条，其中错误 {errors} 条"
        )
        click.echo(summary, err=True)
    sys.exit(EXIT_FINDINGS if errors else EXIT_OK)


@main.command("render")
@click.argument("file")
@click.option(
    "--to",
    "to",
    type=click.Choice(_RENDER_FORMS),
    help="The output form (default: from -o's extension, else text).",
)
@click.option("--ascii", "ascii_", is_flag=True, help="Text: ASCII borders, for terminals that draw box lines wide.")
@_input_options
def render_command(
    file: str,
    to: str | None,
    ascii_: bool,
    form: str,
    encoding: str | None,
    report_number: int | None,
    lang: str,
    output: str | None,
) -> None:
    """Print FILE in the official layout (text, Markdown, HTML, or a Word .docx).

    The diagnostics and a summary go to stderr; exit status 1 when a cell was left absent
    (it prints empty, like a blank one).  A .docx is never written to a terminal: give
    -o FILE.docx or redirect stdout.

    \b
    Example:
      opengov render report.html --to text
      opengov render report.pdf -o report.docx
    """
    chosen = _output_form(to, output, _RENDER_FORMS, "text")
    if ascii_ and chosen != "text":
        raise _Fail(f"--ascii applies to text only, not to {chosen}")
    _refuse_binary_terminal(chosen, output)
    result = _Input(form=form, encoding=encoding, report=report_number, lang=lang).one(file)
    rendered = _render(result, chosen, **({"style": "ascii"} if ascii_ else {}))
    _write(output, rendered)
    sys.exit(_report_status(file, [result], lang))


@main.command("convert")
@click.argument("file")
@click.option(
    "--to",
    "to",
    type=click.Choice(_CONVERT_FORMS),
    help="The output form (default: from -o's extension).",
)
@click.option("--shape", type=click.Choice(["long", "wide"]), help="CSV: a line per cell (long) or per report.")
@click.option("--bom", is_flag=True, help="CSV: write a UTF-8 BOM (for Excel).")
@_input_options
def convert_command(
    file: str,
    to: str | None,
    shape: str | None,
    bom: bool,
    form: str,
    encoding: str | None,
    report_number: int | None,
    lang: str,
    output: str | None,
) -> None:
    """Convert FILE to JSON, CSV, text, Markdown, HTML or a Word .docx.

    A CSV input of several reports converts whole to CSV (long to wide, say); to any other
    form, pick one with --report N.  The diagnostics and a summary go to stderr; exit status
    1 when a cell was left absent.

    \b
    Example:
      opengov convert report.pdf --to csv --bom -o report.csv
      opengov convert reports.csv --shape wide -o reports-wide.csv
    """
    chosen = _output_form(to, output, _CONVERT_FORMS, None)
    if chosen != "csv" and (bom or shape):
        raise _Fail(f"--{'bom' if bom else 'shape'} applies to CSV only, not to {chosen}")
    _refuse_binary_terminal(chosen, output)
    inputs = _Input(form=form, encoding=encoding, report=report_number, lang=lang)
    if chosen == "csv":
        results = inputs.every(file)
        reports = [r.report for r in results]
        converted: str | bytes = opengov.to_csv(reports, shape="wide" if shape == "wide" else "long", bom=bom)
    else:
        results = [inputs.one(file)]
        converted = opengov.dumps(results[0].report) + "\n" if chosen == "json" else _render(results[0], chosen)
    _write(output, converted)
    sys.exit(_report_status(file, results, lang))


# ---------------------------------------------------------------------------------------
# Batch
# ---------------------------------------------------------------------------------------


EXIT_SOME_FAILED = 1
"""``batch``: some files could not be read (each is listed; every other report is written)."""
EXIT_TERMINATED = 143
"""``batch`` stopped by SIGTERM (128 + 15)."""


class _Stopped(Exception):
    """SIGINT or SIGTERM reached the batch (``signum`` says which)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


class _Signals:
    """SIGINT and SIGTERM while a batch runs: each raises :class:`_Stopped`, except inside
    :meth:`held` (writing one report's results, closing the outputs), where it waits until
    the block ends, so that no output is left with half a report."""

    def __init__(self) -> None:
        self._depth = 0
        self._pending: int | None = None
        self._saved: dict[int, Any] = {}

    def __enter__(self) -> _Signals:
        for signum in (signal.SIGINT, signal.SIGTERM):
            if signal.getsignal(signum) is signal.SIG_IGN:
                continue  # ignored by whoever started us (nohup, a background job): it stays so
            self._saved[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        for signum, handler in self._saved.items():
            signal.signal(signum, handler)

    def _handle(self, signum: int, _frame: object) -> None:
        if self._depth:
            self._pending = signum
            return
        raise _Stopped(signum)

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        self._depth += 1
        try:
            yield
        finally:
            self._depth -= 1
            if not self._depth and self._pending is not None:
                signum, self._pending = self._pending, None
                raise _Stopped(signum)


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}h{minutes:02d}m{secs:02d}s" if hours else f"{minutes}m{secs:02d}s"


def estimate_left(*, since_first: float, finished: int, total: int) -> float | None:
    """Seconds left, from the time since the first file was finished and how many were
    finished since (``finished`` counts the first): the pace of the work once the workers
    run, not of their start.  ``None`` until two files are finished."""
    if finished < 2 or total <= finished:
        return None if total > finished else 0.0
    return since_first / (finished - 1) * (total - finished)


class _Progress:
    """The batch's progress line on stderr (a terminal only): files finished of the total,
    time taken and an estimate of the time left."""

    def __init__(self, total: int, *, stream: Any, clock: Callable[[], float] = time.monotonic) -> None:
        self.total = total
        self.stream = stream
        self.clock = clock
        self.start = clock()
        self.first: float | None = None
        self.finished = 0
        self.shown = -1.0
        self.width = 0

    def done(self) -> None:
        """One file finished (in any order)."""
        self.finished += 1
        now = self.clock()
        if self.first is None:
            self.first = now
        if now - self.shown >= 0.25 or self.finished == self.total:
            self.draw(now)

    def line(self, now: float) -> str:
        left = estimate_left(since_first=now - (self.first or now), finished=self.finished, total=self.total)
        eta = "estimating the time left" if left is None else f"about {_duration(left)} left"
        share = f"{100 * self.finished // self.total}%" if self.total else "100%"
        return f"reading {self.finished}/{self.total} files ({share}), {_duration(now - self.start)} so far, {eta}"

    def draw(self, now: float) -> None:
        self.shown = now
        text = self.line(now)
        self.stream.write("\r" + text.ljust(self.width))
        self.stream.flush()
        self.width = len(text)

    def clear(self) -> None:
        if self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0

    def echo(self, message: str) -> None:
        """A line on stderr above the progress line."""
        self.clear()
        click.echo(message, err=True)
        if self.shown >= 0:
            self.draw(self.clock())


def _batch_paths(paths: tuple[str, ...]) -> list[str]:
    """The paths given, ``-`` replaced by the paths read from standard input (one a line;
    blank lines skipped)."""
    listed: list[str] = []
    for name in paths:
        if name != "-":
            listed.append(name)
            continue
        for line in sys.stdin.buffer.read().splitlines():
            if line.strip():
                listed.append(os.fsdecode(line.rstrip(b"\r")))
    return listed


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
@click.option(
    "--memory-limit",
    type=click.IntRange(min=0),
    default=(DEFAULT_CAPS.memory or 0) // (1024 * 1024),
    show_default=True,
    metavar="MIB",
    help="Address space of each worker process, in MiB (0: no cap); a document over it fails.",
)
@click.option(
    "--time-limit",
    type=click.IntRange(min=0),
    default=DEFAULT_CAPS.cpu or 0,
    show_default=True,
    metavar="SECONDS",
    help="CPU seconds one document may take (0: no cap); a document over it fails.",
)
def batch_command(
    paths: tuple[str, ...],
    out: str | None,
    findings_out: str | None,
    jobs: int,
    bom: bool,
    memory_limit: int,
    time_limit: int,
) -> None:
    """Read and check every report under PATHS (files and directories, any input form;
    - reads the paths from standard input, one a line).

    Results are streamed to the output as they come, so memory does not grow with the
    reports' contents (only a path and a small carry-over record per organ and year are
    kept); a file that cannot be read is listed with its whole error and never stops the
    run, nor does a document that crashes or kills its worker process or goes over
    --memory-limit or --time-limit. When the batch holds consecutive years of the same
    organ, the carry-over check (二、上年结转 = last year's 四、结转下年度继续办理) and the
    table 2 stock check run between them, from the kept records (no file is read twice).

    A .parquet or .duckdb output holds the tables reports, cells, prose, findings and
    diagnostics (docs/columnar.md). Running the batch again over the same output reads only
    the files that are new or changed (by path, size, time and content hash) and keeps
    every earlier result; an interrupted run resumes where it stopped.

    Exit status: 0 every file read; 1 some files could not be read (listed; every other
    report written); 2 nothing could be read (no output is left), or a usage error or an
    unwritable output; 130 interrupted (SIGINT), 143 terminated (SIGTERM): every output holds
    whole reports only (see docs/cli.md).

    \b
    Examples:
      opengov batch reports/ --out reports.csv --findings findings.csv
      opengov batch reports/ --out reports.duckdb
      find archive -name '*.pdf' | opengov batch - --out reports.parquet
    """
    caps = _workers.Caps(memory=memory_limit * 1024 * 1024 or None, cpu=time_limit or None)
    try:
        sink = _sinks.open_sink(out, findings_out, bom=bom)
    except _sinks.SinkError as exc:
        raise click.UsageError(str(exc)) from None
    except OSError as exc:
        raise _Fail(f"cannot write {exc.filename}: {exc.strerror or exc}") from None
    if out is None and findings_out is None:
        click.echo(
            "warning: no --out or --findings: the reports are read and checked and only the summary is "
            "printed (--out reports.csv, reports.parquet or reports.duckdb keeps them)",
            err=True,
        )
    with _Signals() as signals:
        try:
            summary = _run_batch(paths, sink, jobs=jobs, caps=caps, signals=signals)
        except _Stopped as stop:
            with signals.held():
                kept = sink.interrupt()
            name = "interrupted" if stop.signum == signal.SIGINT else "terminated"
            click.echo(f"{name}: {kept}", err=True)
            raise click.exceptions.Exit(EXIT_INTERRUPTED if stop.signum == signal.SIGINT else EXIT_TERMINATED) from None
    unchanged = f", {summary.unchanged} unchanged" if summary.unchanged else ""
    click.echo(
        f"{summary.files} file(s): {summary.read} read, {summary.with_errors} with error findings, "
        f"{summary.unreadable} unreadable{unchanged}; {summary.pairs} consecutive-year pair(s) checked",
        err=True,
    )
    if not summary.read and not summary.unchanged:
        what = "no file to read" if not summary.files else "no file could be read"
        raise _Fail(f"{what} under {' '.join(paths)}: no output was written")
    if summary.unreadable:
        sys.exit(EXIT_SOME_FAILED)


def _end_run(progress: _Progress | None, events: Iterator[object] | None) -> None:
    """Clear the progress line; stop the run's workers (killed and waited for)."""
    if progress is not None:
        progress.clear()
    close = getattr(events, "close", None)
    if close is not None:
        close()


def _run_batch(
    paths: tuple[str, ...], sink: _sinks.Sink, *, jobs: int, caps: _workers.Caps, signals: _Signals
) -> _batch.Summary:
    """Run the batch into ``sink`` and close it (published when whole; abandoned when
    nothing could be read; on :class:`_Stopped` the caller keeps what is whole)."""
    files = list(_sinks.excluded(_batch.walk(_batch_paths(paths)), sink))
    summary: _batch.Summary | None = None
    events: Iterator[object] | None = None
    progress: _Progress | None = None
    try:
        if sink.payload == "csv":
            total = len(files)
        else:
            tasks, skipped = _batch.plan(files, sink.index(), first=sink.next_report())
            total = len(tasks)
        progress = _Progress(total, stream=sys.stderr) if sys.stderr.isatty() and total else None
        done = progress.done if progress is not None else None
        if sink.payload == "csv":
            events = _batch.run(files, jobs=jobs, pairs=sink.pairs, caps=caps, done=done)
        else:
            events = _batch.run_rows(
                tasks,
                jobs=jobs,
                skipped=skipped,
                carried=sink.carried,
                refresh_pairs=sink.resuming,
                caps=caps,
                done=done,
            )
        for event in events:
            with signals.held():
                sink.write(event)
            message = None
            if isinstance(event, _batch.Unreadable):
                message = f"unreadable: {event.file}: {event.reason}"
            elif isinstance(event, Document) and event.rows.report.status != "read":
                message = f"unreadable: {event.rows.report.path}: {event.rows.report.reason}"
            elif isinstance(event, _batch.Summary):
                summary = event
            if message is not None:
                if progress is not None:
                    progress.echo(message)
                else:
                    click.echo(message, err=True)
            if progress is not None and isinstance(event, (_batch.PairFindings, _batch.PairRows)):
                progress.clear()  # every file is read: the line ends before the pairs are checked
                progress = None
    except _Stopped:
        with signals.held():
            _end_run(progress, events)
        raise  # the caller keeps what is whole
    except BaseException:
        with signals.held():
            _end_run(progress, events)
            sink.close(complete=False)
        raise
    with signals.held():
        _end_run(progress, events)
        assert summary is not None  # the run always ends with its summary
        if summary.read or summary.unchanged:
            sink.close(complete=True)
        else:
            sink.abandon()
    assert summary is not None
    return summary


if __name__ == "__main__":  # pragma: no cover
    main()
