"""The budget one document may cost: part of the API (``opengov.Limits``).

Documents come from untrusted web sites.  Every reader checks these bounds *before* the
expensive step (reading a zip member, rendering a page, expanding a span), and a breach is
a :class:`~opengov.ParseError` whose diagnostic has the code ``limit-<name>`` (for example
``limit-pages``), names the limit, the value found and how to raise it.
"""

from __future__ import annotations

import attrs

from opengov._errors import Diagnostic, Location, ParseError, Severity

__all__ = ["Limits", "DEFAULT_LIMITS", "limit_error"]


def _positive(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"Limits.{attribute.name} must be a positive int, got {value!r}")


@attrs.frozen(kw_only=True)
class Limits:
    """Bounds on what one document may cost; pass ``limits=Limits(...)`` to
    :func:`opengov.parse` / :func:`opengov.read` to raise or lower them.

    A breach raises :class:`~opengov.ParseError` with the code ``limit-<field name with
    dashes>`` (``limit-input-bytes``, ``limit-pages`` …).
    """

    input_bytes: int = attrs.field(default=64 * 1024 * 1024, validator=_positive)
    """Size of the document as given (bytes, or characters of a ``str``)."""
    text_bytes: int = attrs.field(default=16 * 1024 * 1024, validator=_positive)
    """Size of a document read as plain text, Markdown or box-drawn text (characters once
    decoded), checked before it is split into lines: a published report is well under a
    megabyte of text, and reading one costs about ten times its size in memory.  HTML,
    PDF and Word files are bounded by ``input_bytes`` alone."""
    decompressed_bytes: int = attrs.field(default=256 * 1024 * 1024, validator=_positive)
    """Total size of the parts of an archive (a Word .docx) once decompressed."""
    pages: int = attrs.field(default=500, validator=_positive)
    """Pages of a PDF."""
    page_objects: int = attrs.field(default=200_000, validator=_positive)
    """Characters plus drawing objects (lines, rectangles) on one PDF page."""
    cells: int = attrs.field(default=100_000, validator=_positive)
    """Table cells in the whole document (after spans are expanded)."""
    span: int = attrs.field(default=1_000, validator=_positive)
    """Rows or columns one table cell may span (larger spans are clamped, with a diagnostic)."""
    diagnostics: int = attrs.field(default=1_000, validator=_positive)
    """Diagnostics kept; beyond this one ``too-many-diagnostics`` diagnostic says how many were
    dropped."""
    work: int = attrs.field(default=1_000_000, validator=_positive)
    """Search steps the recovery of separator-lost rows may take for one document."""
    pixels: int = attrs.field(default=60_000_000, validator=_positive)
    """Pixels (width × height) of one page image read by OCR (an image, or a scanned PDF page
    as rendered), checked before it is decoded or rendered."""
    ocr_pages: int = attrs.field(default=100, validator=_positive)
    """Pages one document may have read by OCR (each takes about a second of CPU)."""
    ocr_threads: int = attrs.field(default=1, validator=_positive)
    """Threads one document's OCR may run on: its pages are recognised in parallel on up to
    this many (1: one after the other, on the caller's thread)."""


DEFAULT_LIMITS = Limits()
"""The limits :func:`opengov.parse` uses when none are given."""


def limit_error(name: str, found: int | str, limit: int, *, location: Location | None = None) -> ParseError:
    """The :class:`ParseError` for a breach of ``Limits.<name>``: what was found, the limit
    and how to raise it."""
    field = name.replace("_", "-")
    message = (
        f"the document exceeds Limits.{name} ({found} > {limit}); "
        f"if it is trusted, raise it: opengov.parse(..., limits=opengov.Limits({name}=...))"
    )
    return ParseError(
        [Diagnostic(severity=Severity.ERROR, code=f"limit-{field}", message=message, location=location or Location())],
        "the document is over a limit",
    )
