"""``opengov.parse`` and ``opengov.read``: the one entry point for every input form."""

from __future__ import annotations

import os
from pathlib import Path

from opengov._assemble import assemble
from opengov._errors import Diagnostic, ParseError, Severity
from opengov._readers import Form, detect_binary_form, detect_form, form_names, get_form
from opengov._result import ParseResult

__all__ = ["parse", "read", "STRICT_SEVERITIES"]

STRICT_SEVERITIES = frozenset({Severity.ERROR, Severity.WARNING})
"""Diagnostics of these severities make ``strict=True`` raise (``info`` never does)."""


def _decode(source: str | bytes) -> str:
    if isinstance(source, str):
        return source.removeprefix("\ufeff")
    if not isinstance(source, (bytes, bytearray, memoryview)):
        raise TypeError(f"parse() takes str or bytes, got {type(source).__name__}")
    data = bytes(source)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParseError(
            [
                Diagnostic(
                    severity=Severity.ERROR,
                    code="unknown-bytes",
                    message=f"the bytes are not UTF-8 text ({exc.reason} at byte {exc.start}) "
                    "and not a binary form opengov reads (PDF, Word .docx)",
                )
            ],
            "the document could not be decoded",
        ) from None


def parse(source: str | bytes, *, form: str = "auto", strict: bool = False) -> ParseResult:
    """Parse a published annual report into a :class:`~opengov.Report`.

    ``source`` is the document's text (or its bytes: UTF-8 with or without BOM).  ``form``
    is ``"auto"`` (detected from the content) or one of the registered forms (``"text"``,
    ``"markdown"``, ``"pdf"`` …).  Returns a :class:`~opengov.ParseResult` with the report, the
    diagnostics and where each cell was found.  With ``strict=True`` any diagnostic of
    error or warning severity raises one :class:`~opengov.ParseError` listing them all.
    Raises :class:`~opengov.ParseError` in any mode when no report can be made.
    """
    reader: Form | None = None
    if form != "auto":
        try:
            reader = get_form(form)
        except KeyError:
            raise ValueError(f"unknown form {form!r}; use 'auto' or one of: {', '.join(form_names())}") from None
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        binary = reader if reader is not None and reader.read_bytes is not None else None
        if reader is None:
            binary = detect_binary_form(data)
        if binary is not None and binary.read_bytes is not None:
            return _finish(assemble(binary.read_bytes(data)), strict)
    text = _decode(source)
    if reader is None:
        reader = detect_form(text)
    return _finish(assemble(reader.read(text)), strict)


def _finish(result: ParseResult, strict: bool) -> ParseResult:
    if strict:
        problems = [d for d in result.diagnostics if d.severity in STRICT_SEVERITIES]
        if problems:
            raise ParseError(problems, "the document was read with problems (strict mode)")
    return result


def read(path: str | os.PathLike[str], **kwargs: object) -> ParseResult:
    """Parse the file at ``path`` (see :func:`parse`; keyword arguments are passed on)."""
    data = Path(path).read_bytes()
    return parse(data, **kwargs)  # type: ignore[arg-type]
