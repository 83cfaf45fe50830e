"""One input of the command line or the batch, read as what it is.

An input is a path or ``-`` (standard input).  It holds either a document (text, Markdown,
HTML, PDF, Word …: :func:`opengov.parse`), opengov's own JSON (:func:`opengov.loads`) or
opengov's own CSV, long or wide, of one report or several (:func:`opengov.from_csv`).

Which one: ``form`` when given (``"json"``, ``"csv"`` or a parser form such as ``"pdf"``);
otherwise a name ending in ``.json`` or ``.csv`` says JSON or CSV (a file that is not
opengov's is then refused by the loader, with its reason), and else the content decides:
``{`` first (after a BOM and blanks) is JSON, a header starting ``report,format,`` is CSV,
anything else is a document.

Only regular files are read, and never more than ``limits.input_bytes`` (the library's own
bounded reading, as :func:`opengov.read`).  Errors: ``OSError`` (the file cannot be
opened), :class:`opengov.ParseError` / :class:`opengov.LoadError` (the content),
:class:`SeveralReports` (a CSV of several reports where one is needed),
:class:`EncodingError` (an encoding that cannot be applied).
"""

from __future__ import annotations

import sys
from typing import Any

import opengov
from opengov._parse import _read_path, _read_stream  # the library's bounded reading of a file

__all__ = [
    "DATA_FORMS",
    "NO_REPORT",
    "SeveralReports",
    "NoSuchReport",
    "EncodingError",
    "read_input_bytes",
    "input_form",
    "load_inputs",
    "load_input",
]

DATA_FORMS: tuple[str, ...] = ("json", "csv")
"""The forms opengov writes itself (read by ``loads`` / ``from_csv``, not parsed)."""

NO_REPORT = "the CSV holds no report (only its header line)"

_CSV_HEADER = b"report,format,"  # both layouts start with these two columns


class SeveralReports(ValueError):
    """A CSV of several reports given where one report is needed: ``count`` says how many."""

    def __init__(self, name: str, count: int):
        self.name = name
        self.count = count
        super().__init__(f"{name} holds {count} reports (a CSV of several): choose one of 1–{count}")


class NoSuchReport(ValueError):
    """A report number beyond the reports an input holds."""


class EncodingError(ValueError):
    """An encoding was given for opengov's own JSON or CSV, which is always UTF-8."""


def read_input_bytes(name: str, limits: opengov.Limits) -> bytes:
    """The bytes of ``name`` (``-`` for standard input), bounded by ``limits.input_bytes``."""
    if name == "-":
        return _read_stream(sys.stdin.buffer, limits)
    return _read_path(name, limits)


def input_form(name: str, data: bytes, form: str = "auto") -> str:
    """``"json"``, ``"csv"`` or ``"document"``: how the input is to be read."""
    if form in DATA_FORMS:
        return form
    if form != "auto":
        return "document"
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if suffix in DATA_FORMS:
        return suffix
    head = data[:64].removeprefix(b"\xef\xbb\xbf")
    if head.lstrip(b" \t\r\n").startswith(b"{"):
        return "json"
    if head.startswith(_CSV_HEADER):
        return "csv"
    return "document"


def load_inputs(
    name: str,
    *,
    form: str = "auto",
    encoding: str | None = None,
    limits: opengov.Limits | None = None,
    previous: opengov.Report | None = None,
) -> list[opengov.ParseResult]:
    """Every report the input holds: one for a document or a JSON file, one per report of a
    CSV file (in file order).  A document's result carries its diagnostics and locations;
    a JSON or CSV report comes as it was saved (form ``"json"`` / ``"csv"``).  ``previous``
    (last year's report) is passed to :func:`opengov.parse` for a document."""
    limits = opengov.DEFAULT_LIMITS if limits is None else limits
    data = read_input_bytes(name, limits)
    kind = input_form(name, data, form)
    if kind != "document" and encoding is not None:
        raise EncodingError(
            f"{name} is opengov's own {kind.upper()}, which is always UTF-8: an encoding applies to documents only"
        )
    if kind == "json":
        return [opengov.ParseResult(report=opengov.loads(data), form="json")]
    if kind == "csv":
        return [opengov.ParseResult(report=report, form="csv") for report in opengov.from_csv(data)]
    options: dict[str, Any] = {"form": form, "limits": limits, "previous": previous}
    if encoding is not None:
        options["encoding"] = encoding
    return [opengov.parse(data, **options)]


def load_input(
    name: str,
    *,
    form: str = "auto",
    encoding: str | None = None,
    report: int | None = None,
    limits: opengov.Limits | None = None,
    previous: opengov.Report | None = None,
) -> opengov.ParseResult:
    """One report of the input (see :func:`load_inputs`): the only one, or the ``report``-th
    (1-based, the numbering of ``opengov.to_csv`` and of the batch) of a CSV of several.

    Raises :class:`SeveralReports` when the input holds several and ``report`` is not given,
    :class:`NoSuchReport` when ``report`` is out of range, :class:`opengov.LoadError` for a CSV
    without reports.
    """
    results = load_inputs(name, form=form, encoding=encoding, limits=limits, previous=previous)
    if not results:
        raise opengov.LoadError([NO_REPORT])
    if report is None:
        if len(results) != 1:
            raise SeveralReports(name, len(results))
        return results[0]
    if not 1 <= report <= len(results):
        raise NoSuchReport(f"{name} holds {len(results)} report(s): there is no report {report}")
    return results[report - 1]
