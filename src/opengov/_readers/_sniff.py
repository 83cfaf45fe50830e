"""What kind of binary file some bytes are, by their signature alone.

Detection must not import the readers (the PDF reader alone costs a tenth of a second to
import on a cold interpreter): the registry asks these functions, and each reader's
``detect`` is the same function.
"""

from __future__ import annotations

import re

PDF_SIGNATURE = b"%PDF-"
"""A PDF's header; producers may put up to a kilobyte of anything before it."""
ZIP_SIGNATURE = b"PK\x03\x04"
"""A zip archive's first local file header (.docx, .xlsx, .odt …)."""
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""An OLE2 compound file (Word 97–2003 .doc, WPS .wps, an encrypted Office file)."""
IMAGE_SIGNATURES = (
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",  # JPEG
    b"II*\x00",  # TIFF, little-endian
    b"MM\x00*",  # TIFF, big-endian
    b"II+\x00",  # BigTIFF
    b"MM\x00+",
)
"""PNG, JPEG, TIFF and BigTIFF."""


def is_pdf(data: bytes) -> bool:
    """Whether ``data`` is a PDF: the ``%PDF-`` signature within its first kilobyte."""
    return PDF_SIGNATURE in data[:1024]


def is_office(data: bytes) -> bool:
    """Whether ``data`` is a zip archive or an OLE2 compound file."""
    return data.startswith((ZIP_SIGNATURE, OLE_SIGNATURE))


def is_zip(data: bytes) -> bool:
    """Whether ``data`` is a zip archive (the .docx reader's inputs)."""
    return data.startswith(ZIP_SIGNATURE)


def is_ole(data: bytes) -> bool:
    """Whether ``data`` is an OLE2 compound file (the .doc / .wps reader's inputs)."""
    return data.startswith(OLE_SIGNATURE)


def is_image(data: bytes) -> bool:
    """Whether ``data`` starts like a PNG, JPEG or TIFF file."""
    return data.startswith(IMAGE_SIGNATURES)


MHTML_HEAD = 8192
"""Bytes looked at to tell an MHTML file: a MIME message's header block is at its start."""
_MIME_VERSION = re.compile(rb"(?im)^mime-version[ \t]*:")
_MULTIPART_RELATED = re.compile(rb"(?im)^content-type[ \t]*:[ \t]*multipart/related")
_HEADER_END = re.compile(rb"\r?\n\r?\n")


def is_mhtml(data: bytes) -> bool:
    """Whether ``data`` is a web page saved as one file (MHTML): its header block (before the
    first blank line, in its first 8 KB) has ``MIME-Version:`` and ``Content-Type:
    multipart/related``."""
    head = data[:MHTML_HEAD]
    if b"multipart/related" not in head.lower():
        return False
    end = _HEADER_END.search(head)
    block = head[: end.start()] if end else head
    return _MIME_VERSION.search(block) is not None and _MULTIPART_RELATED.search(block) is not None


def is_mhtml_text(source: str) -> bool:
    """:func:`is_mhtml` for a text given as ``str``."""
    head = source[:MHTML_HEAD]
    return "multipart/related" in head.lower() and is_mhtml(head.encode("utf-8", "replace"))
