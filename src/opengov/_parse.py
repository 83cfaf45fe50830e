"""``opengov.parse`` and ``opengov.read``: the one entry point for every input form."""

from __future__ import annotations

import os
import stat
from typing import IO, Any

import attrs

from opengov._assemble import assemble
from opengov._decode import decode, forced_codec
from opengov._errors import Diagnostic, Location, ParseError, Severity
from opengov._grid import Document
from opengov._limits import DEFAULT_LIMITS, Limits, limit_error
from opengov._model import Report
from opengov._readers import Form, check_text_size, detect_binary_form, detect_form, form_names, get_form
from opengov._result import ParseResult

__all__ = ["parse", "read", "STRICT_SEVERITIES"]

STRICT_SEVERITIES = frozenset({Severity.ERROR, Severity.WARNING})
"""Diagnostics of these severities make ``strict=True`` raise (``info`` never does)."""

_FILE_SUFFIXES = (
    ".txt",
    ".md",
    ".html",
    ".htm",
    ".mhtml",
    ".mht",
    ".pdf",
    ".docx",
    ".doc",
    ".wps",
    ".json",
    ".csv",
    ".png",
    ".jpg",
)


def _looks_like_a_path(source: str) -> bool:
    """A one-line string naming a file (``report.pdf``): the caller meant :func:`read`."""
    return len(source) < 4096 and "\n" not in source and source.strip().lower().endswith(_FILE_SUFFIXES)


def parse(
    source: str | bytes | bytearray | memoryview,
    *,
    form: str = "auto",
    strict: bool = False,
    limits: Limits | None = None,
    previous: Report | None = None,
    encoding: str | None = None,
) -> ParseResult:
    """Parse a published annual report into a :class:`~opengov.Report`.

    ``source`` is the document's text, or its bytes: text in UTF-8, GB18030 (GBK, GB2312),
    UTF-16 or another encoding (detected: byte order mark, ``<meta charset>`` or XML
    declaration, NUL bytes of UTF-16, then strict UTF-8 or GB18030; an ``encoding``
    diagnostic says which when it is not plain UTF-8), or a binary form: PDF, Word .docx,
    Word 97–2003 .doc / WPS .wps (through LibreOffice), an image.  ``encoding`` forces the
    text's encoding (``"gb18030"``, ``"utf-16"`` …); bytes not valid in it raise
    ``ParseError`` ``wrong-encoding`` naming the byte offset and line (binary forms ignore
    it).  ``form`` is ``"auto"`` (detected from the content) or
    one of the registered forms (``"text"``, ``"markdown"``, ``"html"``, ``"pdf"`` …).
    ``limits`` bounds what the document may cost (:class:`~opengov.Limits`; a breach is a
    ``ParseError`` with a ``limit-…`` code).  ``previous`` is last year's report of the same
    organ, when you have it: its table 2 stock (现行有效) may decide a table 2 row whose cell
    separators were lost (see ``docs/recovery.md``).

    Returns a :class:`~opengov.ParseResult` with the report, the diagnostics and where each
    cell was found.  With ``strict=True`` any diagnostic of error or warning severity
    raises one :class:`~opengov.ParseError` listing them all.  Raises
    :class:`~opengov.ParseError` in any mode when no report can be made; ``TypeError`` for a
    source that is neither text nor bytes, ``ValueError`` for an unknown form, an unknown
    encoding or one that is not a text encoding (``rot13``, ``base64`` …), an encoding
    given with a ``str`` (already text), or a file name given as text (use :func:`read` for
    files).
    """
    limits = _limits(limits)
    reader = _form(form)
    if encoding is not None:
        forced_codec(encoding)  # an unknown or non-text encoding is a ValueError here
        if isinstance(source, str):
            raise ValueError("encoding= applies to bytes; a str is already text (pass the bytes, or leave it out)")
    if isinstance(source, str):
        if _looks_like_a_path(source):
            raise ValueError(
                f"parse() takes a document's text or bytes; {source.strip()!r} looks like a file name: "
                f"use opengov.read({source.strip()!r})"
            )
    elif not isinstance(source, (bytes, bytearray, memoryview)):
        raise TypeError(
            f"parse() takes the document's text (str) or bytes, got {type(source).__name__}; "
            "for a file use opengov.read"
        )
    if len(source) > limits.input_bytes:
        raise limit_error("input_bytes", len(source), limits.input_bytes)
    if previous is not None and not isinstance(previous, Report):
        raise TypeError(f"previous must be an opengov.Report, got {type(previous).__name__}")
    return _finish(_read_document(source, reader, limits, encoding, previous), strict, limits)


def _form(form: str) -> Form | None:
    if form == "auto":
        return None
    try:
        return get_form(form)
    except KeyError:
        raise ValueError(f"unknown form {form!r}; use 'auto' or one of: {', '.join(form_names())}") from None


def _limits(limits: Limits | None) -> Limits:
    if limits is None:
        return DEFAULT_LIMITS
    if not isinstance(limits, Limits):
        raise TypeError(f"limits must be an opengov.Limits, got {type(limits).__name__}")
    return limits


def _read_document(
    source: str | bytes | bytearray | memoryview,
    reader: Form | None,
    limits: Limits,
    encoding: str | None,
    previous: Report | None = None,
) -> ParseResult:
    document: Document | None = None
    decoding: tuple[Diagnostic, ...] = ()
    if isinstance(source, str):
        text = source.removeprefix("\ufeff")
    else:
        data = bytes(source)
        binary = reader if reader is not None and reader.read_bytes is not None else None
        if reader is None:
            binary = detect_binary_form(data)
        if binary is not None and binary.read_bytes is not None:
            document = binary.read_bytes(data, limits)
        else:
            decoded = decode(data, encoding)
            text, decoding = decoded.text, decoded.diagnostics
    if document is None:
        if reader is None:
            if len(text) > limits.text_bytes and not get_form("html").detect(text):
                check_text_size(text, limits)  # refused before the text forms split it into lines
            reader = detect_form(text)
        document = reader.read(text, limits)
        if decoding:
            document = attrs.evolve(document, diagnostics=(*decoding, *document.diagnostics))
    cells = sum(len(grid.cells) for grid in document.grids())
    if cells > limits.cells:
        raise limit_error("cells", cells, limits.cells)
    return assemble(document, previous=previous)


def _finish(result: ParseResult, strict: bool, limits: Limits) -> ParseResult:
    diagnostics = result.diagnostics
    if len(diagnostics) > limits.diagnostics:
        dropped = len(diagnostics) - limits.diagnostics
        kept = diagnostics[: limits.diagnostics]
        worst = min((d.severity for d in diagnostics[limits.diagnostics :]), key=_SEVERITY_ORDER.index)
        note = Diagnostic(
            severity=worst,
            code="too-many-diagnostics",
            message=f"{dropped} more diagnostic(s) were dropped (Limits.diagnostics = {limits.diagnostics}); "
            "the document is probably not a report, or badly damaged",
        )
        result = ParseResult(
            report=result.report, diagnostics=(*kept, note), locations=result.locations, form=result.form
        )
    if strict:
        problems = [d for d in result.diagnostics if d.severity in STRICT_SEVERITIES]
        if problems:
            raise ParseError(problems, "the document was read with problems (strict mode)")
    return result


_SEVERITY_ORDER = (Severity.ERROR, Severity.WARNING, Severity.INFO)


def read(
    source: str | os.PathLike[str] | IO[bytes],
    *,
    form: str = "auto",
    strict: bool = False,
    limits: Limits | None = None,
    previous: Report | None = None,
    encoding: str | None = None,
) -> ParseResult:
    """Parse a file: a path, or a file object open in binary mode (see :func:`parse`;
    ``encoding`` forces the encoding of a text file).

    Only regular files are read (a directory, FIFO or device is a ``ParseError`` with the
    code ``not-a-file``), and never more than ``limits.input_bytes`` (``limit-input-bytes``).
    Raises ``OSError`` (``FileNotFoundError``, ``PermissionError`` …) when the file cannot
    be opened, ``TypeError`` for a file object open in text mode.
    """
    limits = _limits(limits)
    if encoding is not None:
        forced_codec(encoding)  # before the file is read
    if isinstance(source, (str, os.PathLike)):
        data = _read_path(os.fspath(source), limits)
    elif hasattr(source, "read"):
        data = _read_stream(source, limits)
    else:
        raise TypeError(f"read() takes a path or a binary file object, got {type(source).__name__}")
    return parse(data, form=form, strict=strict, limits=limits, previous=previous, encoding=encoding)


def _read_path(path: str | bytes, limits: Limits) -> bytes:
    name = os.fsdecode(path)
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        kind = (
            "a directory"
            if stat.S_ISDIR(info.st_mode)
            else "a FIFO (named pipe)"
            if stat.S_ISFIFO(info.st_mode)
            else "a device"
            if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode)
            else "a socket"
            if stat.S_ISSOCK(info.st_mode)
            else "not a regular file"
        )
        raise ParseError(
            [
                Diagnostic(
                    severity=Severity.ERROR,
                    code="not-a-file",
                    message=f"{name} is {kind}: only regular files are read",
                    location=Location(),
                )
            ],
            "the path is not a regular file",
        )
    if info.st_size > limits.input_bytes:
        raise limit_error("input_bytes", info.st_size, limits.input_bytes)
    with open(path, "rb") as handle:
        return _read_stream(handle, limits, size=info.st_size)


def _read_stream(stream: Any, limits: Limits, size: int | None = None) -> bytes:
    """At most ``limits.input_bytes`` of the stream (a ``limit-input-bytes`` error beyond).
    ``size``, the file's size when known, is read first (+1 to see whether it grew): asking
    for the whole limit would allocate it, 64 MiB per file."""
    data = stream.read(limits.input_bytes + 1 if size is None else size + 1)
    if isinstance(data, str):
        raise TypeError("read() needs a file object open in binary mode ('rb'), not text mode")
    if not isinstance(data, (bytes, bytearray)):
        raise TypeError(f"the file object's read() returned {type(data).__name__}, not bytes")
    if size is not None and len(data) > size:  # the file grew since it was measured
        data += stream.read(limits.input_bytes + 1 - len(data))
    if len(data) > limits.input_bytes:
        raise limit_error("input_bytes", f"more than {limits.input_bytes}", limits.input_bytes)
    return bytes(data)
