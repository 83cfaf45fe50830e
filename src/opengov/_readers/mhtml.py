"""Web pages saved as one file: MHTML (``.mhtml``, ``.mht``).

A browser saves a page as one file ("Webpage, Single File" in Chrome, Edge and Internet
Explorer) as a MIME message, ``multipart/related``: the page's HTML in one part, encoded
``quoted-printable`` (``=3D`` for ``=``, lines cut by ``=`` at their ends) or ``base64``,
its images and style sheets in the others.  Read as HTML it is garbage (every attribute
``="…"`` broken, words cut at the soft line breaks); its tables were lost.

:func:`read` cuts the message into its parts at its boundary lines (one pass over the bytes;
a part's headers parsed by the standard library's :mod:`email` only when it may be a page or
holds parts, no extra needed; nothing but the page decoded), takes the page's HTML part (the
part whose ``Content-Location`` is the page's ``Snapshot-Content-Location`` when there is
one, else the first ``text/html`` part), decodes its transfer encoding, then its bytes by
the rule every text form follows (:mod:`opengov._decode`: a ``<meta charset>``, UTF-8 or
GB18030), and reads it with the HTML reader. A page that holds no table but frames
(``<iframe>``: a report shown in a frame of the site's page) is read from its first frame
that holds one (at most 16 looked at). Locations are those of the HTML part read (its
lines), as if that page had been saved as HTML; an info ``mhtml-page`` says which part was
read.

Errors (each a :class:`~opengov.ParseError` with one diagnostic): ``limit-input-bytes`` over
``Limits.input_bytes`` (checked first); ``mhtml-damaged`` when the message cannot be parsed,
its HTML part cannot be decoded, a header block is over 64 KB or it has more than 10,000
parts; ``mhtml-no-page`` when no part is HTML.  The HTML part is then bounded as any HTML
page is (``Limits.text_bytes``, ``Limits.cells``).
"""

from __future__ import annotations

import base64
import email.parser
import email.policy
import quopri
import re
from collections.abc import Iterator
from email.message import Message

import attrs

from opengov._decode import decode
from opengov._errors import Diagnostic, Location, ParseError, Severity
from opengov._grid import Document
from opengov._limits import DEFAULT_LIMITS, Limits, limit_error
from opengov._readers._sniff import is_mhtml, is_mhtml_text

__all__ = ["NAME", "detect", "read"]

NAME = "mhtml"
"""The name of this input form."""


def detect(data: bytes) -> bool:
    """Whether ``data`` is an MHTML file (:func:`opengov._readers._sniff.is_mhtml`)."""
    return is_mhtml(data)


def detect_text(source: str) -> bool:
    """:func:`detect` for a text given as ``str``."""
    return is_mhtml_text(source)


def _error(code: str, message: str) -> ParseError:
    return ParseError([Diagnostic(severity=Severity.ERROR, code=code, message=message)], summary=message)


_MAX_DEPTH = 8
"""Multipart parts inside one another are looked into this deep (a browser writes one level)."""
_MAX_PARTS = 10_000
"""At most this many parts are looked at (a saved page has its HTML, style sheets, images
and frames: tens or hundreds); a file of more is refused as no saved page (``mhtml-damaged``)."""
_MAX_HEAD = 65536
"""A header block (of the file or of a part) is at most this many bytes (a browser writes a
few hundred)."""
_BLANK_LINE = re.compile(rb"\r?\n\r?\n")
_CONTENT_TYPE = re.compile(rb"(?im)^content-type[ \t]*:[ \t]*([!-~]+?)[ \t]*(?:;|\r?$)")


@attrs.frozen
class _Part:
    head: bytes
    """The part's header block, not parsed (most parts are images: their type is enough)."""
    body: bytes

    @property
    def kind(self) -> str:
        """The part's content type as written (``text/html``), lower case; ``text/plain``
        when it says none (the MIME default)."""
        found = _CONTENT_TYPE.search(self.head)
        return found.group(1).decode("ascii").lower() if found else "text/plain"

    @property
    def headers(self) -> Message:
        """The header block parsed (by the standard library: a few parts per file)."""
        return email.parser.BytesHeaderParser(policy=email.policy.compat32).parsebytes(self.head)


def _split(data: bytes) -> _Part:
    """A MIME entity's header block (at most :data:`_MAX_HEAD` bytes) and its body."""
    end = _BLANK_LINE.search(data, 0, _MAX_HEAD)
    if end is not None:
        return _Part(head=data[: end.start()], body=data[end.end() :])
    if len(data) > _MAX_HEAD:
        raise _error(
            "mhtml-damaged", f"the MHTML file has a header block over {_MAX_HEAD // 1024} KB: it is no saved page"
        )
    return _Part(head=data, body=b"")


def _parts(entity: _Part, counted: list[int], depth: int = 0) -> Iterator[_Part]:
    """The leaf parts of a multipart entity, in order: its body cut at its boundary lines,
    one pass over the bytes, no part decoded.  ``counted[0]`` counts the parts against
    :data:`_MAX_PARTS`."""
    boundary = entity.headers.get_param("boundary") if entity.kind.startswith("multipart/") else None
    if not isinstance(boundary, str) or not boundary or depth >= _MAX_DEPTH:
        yield entity
        return
    delimiter = re.compile(rb"(?m)^--" + re.escape(boundary.encode("latin-1", "replace")) + rb"(--)?[ \t]*\r?$\n?")
    pieces = delimiter.split(entity.body)
    # re.split with one group: text, group, text, group …; the text before the first
    # delimiter is the preamble, after a closing one (its ``--`` group) the epilogue
    for k in range(2, len(pieces), 2):
        if pieces[k - 1]:
            break
        counted[0] += 1
        if counted[0] > _MAX_PARTS:
            raise _error("mhtml-damaged", f"the MHTML file has more than {_MAX_PARTS:,} parts: it is no saved page")
        yield from _parts(_split(pieces[k].removesuffix(b"\n").removesuffix(b"\r")), counted, depth + 1)


def _pages(message: _Part) -> tuple[list[_Part], list[str]]:
    """The HTML parts, the page's own first (the ``text/html`` part at the page's address,
    else the first one), then its frames' in order; and the content types of all parts."""
    page = (message.headers.get("Snapshot-Content-Location") or "").strip()
    pages: list[_Part] = []
    kinds: list[str] = []
    for part in _parts(message, [0]):
        kinds.append(part.kind)
        if part.kind == "text/html":
            if page and not (pages and _address(pages[0]) == page) and _address(part) == page:
                pages.insert(0, part)
            else:
                pages.append(part)
    return pages, kinds


def _address(part: _Part) -> str:
    return (part.headers.get("Content-Location") or "").strip()


def _payload(part: _Part, encoding: str) -> bytes:
    """The part's body with its transfer encoding undone."""
    if encoding == "quoted-printable":
        return quopri.decodestring(part.body)
    if encoding == "base64":
        return base64.b64decode(re.sub(rb"[^A-Za-z0-9+/=]", b"", part.body) + b"==", validate=False)
    return part.body


def read(data: bytes, limits: Limits = DEFAULT_LIMITS) -> Document:
    """The page saved in the MHTML file ``data``, read as HTML (see the module text)."""
    if len(data) > limits.input_bytes:
        raise limit_error("input_bytes", len(data), limits.input_bytes)
    try:
        pages, kinds = _pages(_split(data))
    except ParseError:
        raise
    except Exception as exc:  # the email package's own errors
        raise _damaged(exc) from None
    if not pages:
        listed = sorted(set(kinds))
        raise _error(
            "mhtml-no-page",
            "the MHTML file holds no HTML page" + (f" (its parts: {', '.join(listed[:8])})" if listed else ""),
        )
    # the page itself; when it holds no table and the page has frames (a report shown in an
    # <iframe>), the first frame that holds one
    document = _read_part(pages[0], limits)
    if not any(True for _ in document.grids()):
        for frame in pages[1:_MAX_FRAMES]:
            found = _read_part(frame, limits)
            if any(True for _ in found.grids()):
                return found
    return document


_MAX_FRAMES = 16
"""When the page holds no table, at most this many of its frames are read to find one."""


def _damaged(exc: Exception) -> ParseError:
    detail = " ".join(str(exc).split())[:120] or type(exc).__name__
    return _error("mhtml-damaged", f"the MHTML file is damaged and cannot be read ({detail})")


def _read_part(part: _Part, limits: Limits) -> Document:
    """One HTML part read as a page, with the ``mhtml-page`` note."""
    from opengov._readers import html

    try:
        encoding = (part.headers.get("Content-Transfer-Encoding") or "8bit").strip().lower()
        payload = _payload(part, encoding)
    except Exception as exc:  # a codec's own errors
        raise _damaged(exc) from None
    decoded = decode(payload)
    if len(decoded.text) > limits.text_bytes:
        raise limit_error("text_bytes", len(decoded.text), limits.text_bytes)
    document = html.read(decoded.text, max_cells=limits.cells)
    where = _address(part)
    note = Diagnostic(
        severity=Severity.INFO,
        code="mhtml-page",
        message=f"a web page saved as one file (MHTML): its HTML part{f' ({where[:100]})' if where else ''}, "
        f"encoded {encoding}, was read; locations are lines of that page",
        location=Location(),
    )
    return attrs.evolve(document, form=NAME, diagnostics=(note, *decoded.diagnostics, *document.diagnostics))
