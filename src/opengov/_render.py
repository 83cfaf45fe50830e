"""Rendering a report: :func:`render` (to a string, or bytes for Word) and
:func:`render_to` (to a file).

Four forms, each of which the parser reads back:

* ``text`` — the whole report, tables drawn with box characters (``style="box"``) or ASCII
  (``style="ascii"``) exactly in the official layout, merged headers included;
* ``markdown`` — GitHub pipe tables with flattened headers;
* ``html`` — a page (or, with ``fragment=True``, its body) with real rowspan/colspan;
* ``docx`` — a Word file (bytes) with the official template's merged cells (optional extra
  ``opengov[docx]``, python-docx).

A printed cell cannot tell an *absent* cell (``None``) from a blank one: both print empty
and read back as :data:`~opengov.BLANK`.  Everything else — counts, amounts with their unit,
blanks, placeholder glyphs, inconsistent totals — prints as it is and reads back the same.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable
from typing import IO, Literal, Union, overload

from opengov._checks.finding import Finding
from opengov._errors import Diagnostic
from opengov._model import Report
from opengov._result import ParseResult
from opengov._writers.check_report import render_check_report
from opengov._writers.html import render_html
from opengov._writers.markdown import render_markdown
from opengov._writers.text import STYLES, Style, render_text

__all__ = ["FORMS", "BINARY_FORMS", "render", "render_to"]

FORMS: tuple[str, ...] = ("text", "markdown", "html", "docx")
"""What :func:`render` can produce."""

BINARY_FORMS: frozenset[str] = frozenset({"docx"})
"""The forms :func:`render` returns as ``bytes`` (the others are ``str``)."""

TextForm = Literal["text", "markdown", "html"]


Renderable = Union[Report, ParseResult]  # noqa: UP007 - a runtime alias


@overload
def render(
    report: Renderable,
    to: TextForm = "text",
    *,
    style: Style | None = None,
    fragment: bool | None = None,
    findings: Iterable[Finding] | None = None,
    diagnostics: Iterable[Diagnostic] | None = None,
) -> str: ...


@overload
def render(
    report: Renderable,
    to: Literal["docx"],
    *,
    style: Style | None = None,
    fragment: bool | None = None,
    findings: Iterable[Finding] | None = None,
    diagnostics: Iterable[Diagnostic] | None = None,
) -> bytes: ...


@overload
def render(
    report: Renderable,
    to: str,
    *,
    style: Style | None = None,
    fragment: bool | None = None,
    findings: Iterable[Finding] | None = None,
    diagnostics: Iterable[Diagnostic] | None = None,
) -> str | bytes: ...


def render(
    report: Renderable,
    to: str = "text",
    *,
    style: Style | None = None,
    fragment: bool | None = None,
    findings: Iterable[Finding] | None = None,
    diagnostics: Iterable[Diagnostic] | None = None,
) -> str | bytes:
    """The report printed as ``to``: ``"text"`` (default), ``"markdown"``, ``"html"`` (all
    ``str``) or ``"docx"`` (the ``bytes`` of a Word file; needs the extra ``opengov[docx]``,
    and raises :class:`~opengov.MissingExtraError`, an ``ImportError``, saying so without it).  ``report`` is a
    :class:`~opengov.Report` or a :class:`~opengov.ParseResult` (its report is printed).

    ``style`` (text only): ``"box"`` (default) or ``"ascii"`` for terminals that draw box
    characters double-wide.  ``fragment`` (HTML only): ``True`` for the body's content
    without the page around it.

    ``findings`` (HTML only): the **check report** — the page with every cell a finding
    names highlighted (the culprit outlined), the findings listed below the tables with
    their printed and expected values, quoted prose marked, and the reader's
    ``diagnostics`` (by default those of a ``ParseResult``) listed last.  One self-contained
    page, readable on a phone and printable.

    An unknown form or an option that does not apply raises ``ValueError``.
    """
    if isinstance(report, ParseResult):
        if diagnostics is None:
            diagnostics = report.diagnostics
        report = report.report
    if not isinstance(report, Report):
        raise TypeError(f"render() takes an opengov.Report or ParseResult, got {type(report).__name__}")
    if to not in FORMS:
        raise ValueError(f"cannot render to {to!r}: choose one of {', '.join(repr(f) for f in FORMS)}")
    if style is not None and to != "text":
        raise ValueError(f"style={style!r} applies to text only, not to {to!r}")
    if fragment is not None and to != "html":
        raise ValueError(f"fragment={fragment!r} applies to html only, not to {to!r}")
    if findings is not None and to != "html":
        raise ValueError(f"findings apply to html only (the check report), not to {to!r}")
    if to == "text":
        chosen = style if style is not None else "box"
        if chosen not in STYLES:
            raise ValueError(f"unknown text style {chosen!r}: choose one of {', '.join(repr(s) for s in STYLES)}")
        return render_text(report, style=chosen)
    if to == "markdown":
        return render_markdown(report)
    if to == "docx":
        from opengov._writers.docx import render_docx

        return render_docx(report)
    if findings is not None:
        if fragment:
            raise ValueError("the check report (findings=...) is a whole page: fragment=True does not apply")
        return render_check_report(report, list(findings), list(diagnostics or ()))
    return render_html(report, fragment=bool(fragment))


OUTPUT_SUFFIXES = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".docx": "docx",
}


def render_to(
    report: Renderable,
    destination: str | os.PathLike[str] | IO[str] | IO[bytes],
    to: str | None = None,
    *,
    style: Style | None = None,
    fragment: bool | None = None,
    findings: Iterable[Finding] | None = None,
    diagnostics: Iterable[Diagnostic] | None = None,
) -> None:
    """Render the report (as :func:`render`) and write it to a path (UTF-8, ``\\n`` line
    ends; the bytes as they are for ``docx``) or to an open file (a text file, or a file
    opened in binary mode for ``docx``).

    ``to`` defaults to what a path's extension says (``.txt``, ``.md``, ``.html``/``.htm``,
    ``.docx``; ``"text"`` for an open file or another extension); a ``to`` that contradicts
    the extension (``to="html"`` for ``report.docx``) raises ``ValueError``.
    """
    if isinstance(destination, (str, os.PathLike)):
        suffix = os.path.splitext(os.fspath(destination))[1].lower()
        implied = OUTPUT_SUFFIXES.get(suffix)
        if to is None:
            to = implied or "text"
        elif implied is not None and implied != to and not (implied == "text" and to in ("markdown", "html")):
            raise ValueError(f"to={to!r} contradicts the file name {os.fspath(destination)!r} ({implied})")
    elif to is None:
        to = "text"
    output = render(report, to, style=style, fragment=fragment, findings=findings, diagnostics=diagnostics)
    if isinstance(output, bytes):
        if isinstance(destination, (str, os.PathLike)):
            with open(destination, "wb") as binary:
                binary.write(output)
        elif isinstance(destination, io.TextIOBase):
            raise TypeError(f"{to} output is bytes: open the file in binary mode ('wb'), not text mode")
        else:
            destination.write(output)  # type: ignore[arg-type]
        return
    if isinstance(destination, (str, os.PathLike)):
        with open(destination, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(output)
    else:
        destination.write(output)  # type: ignore[call-overload]
