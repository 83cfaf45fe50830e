"""Input forms: each reader turns one form of source into a :class:`~opengov._grid.Document`.

A form is a name, a ``detect(text)`` that says whether a text is in that form, and a
``read(text, limits)`` that returns the Document.  A form that reads bytes itself (PDF, Word
.docx, Word 97–2003 .doc / WPS .wps, images, web pages saved as MHTML) also has ``detect_bytes(data)`` and
``read_bytes(data, limits)``; ``limits`` (:class:`opengov.Limits`) bounds what the document
may cost; bytes are offered to those forms first (by their signatures), and decoded as text
otherwise (:mod:`opengov._decode`: every text form, HTML included, is decoded alike).
:func:`detect_form` tries the forms in :data:`FORMS` order and the first that accepts wins;
``text`` accepts everything and comes last.  Adding a form is one line in :data:`FORMS`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from opengov._grid import Document
from opengov._limits import Limits, limit_error
from opengov._readers import _sniff, boxtext, markdown, text

__all__ = ["check_text_size", "Form", "FORMS", "detect_form", "detect_binary_form", "get_form", "form_names"]


@attrs.frozen(kw_only=True)
class Form:
    """One input form: ``name``, ``detect(text) -> bool`` and ``read(text, limits) ->
    Document``; binary forms add ``detect_bytes(data) -> bool`` and ``read_bytes(data,
    limits) -> Document``."""

    name: str
    detect: Callable[[str], bool]
    read: Callable[[str, Limits], Document]
    detect_bytes: Callable[[bytes], bool] | None = None
    read_bytes: Callable[[bytes, Limits], Document] | None = None


def _sized(read: Callable[[str], Document]) -> Callable[[str, Limits], Document]:
    """A text reader whose cost is linear in its input, bounded by ``Limits.text_bytes``
    before it runs."""

    def read_text(source: str, limits: Limits) -> Document:
        check_text_size(source, limits)
        return read(source)

    return read_text


def check_text_size(source: str, limits: Limits) -> None:
    """A ``limit-text-bytes`` error for text over ``Limits.text_bytes`` (before it is split
    into lines)."""
    if len(source) > limits.text_bytes:
        raise limit_error("text_bytes", len(source), limits.text_bytes)


def _counting(read: Callable[..., Document]) -> Callable[[str, Limits], Document]:
    """A text reader bounded by ``Limits.text_bytes`` that counts the cells it finds against
    ``Limits.cells`` as it reads (a huge run of table rows is refused early, not read whole
    first)."""

    def read_text(source: str, limits: Limits) -> Document:
        check_text_size(source, limits)
        return read(source, max_cells=limits.cells)

    return read_text


def _never(_source: Any) -> bool:
    return False


def _pdf_text(_source: str, _limits: Limits) -> Document:
    raise ValueError("a PDF must be given as bytes (read the file in binary mode), not str")


def _html_detect(source: str) -> bool:
    # Every pattern of html.detect starts with "<": without one, the answer is no, and lxml
    # need not even be imported.
    if "<" not in source:
        return False
    from opengov._readers import html

    return html.detect(source)


def _html_read(source: str, limits: Limits) -> Document:
    from opengov._readers import html

    return html.read(source, max_cells=limits.cells)


def _pdf_detect(data: bytes) -> bool:
    return _sniff.is_pdf(data)  # the signature alone: no reader imported


def _pdf_read(data: bytes, limits: Limits) -> Document:
    from opengov._readers import scanpdf  # the text layer, and scanned pages by OCR

    return scanpdf.read(data, limits=limits)


def _docx_text(_source: str, _limits: Limits) -> Document:
    raise ValueError("a Word .docx file must be given as bytes (read the file in binary mode), not str")


def _docx_detect(data: bytes) -> bool:
    return _sniff.is_zip(data)  # the signature alone: no reader imported


def _docx_read(data: bytes, limits: Limits) -> Document:
    from opengov._readers import docx

    return docx.read(data, limits)


def _doc_text(_source: str, _limits: Limits) -> Document:
    raise ValueError("a Word .doc / WPS .wps file must be given as bytes (read the file in binary mode), not str")


def _doc_detect(data: bytes) -> bool:
    return _sniff.is_ole(data)  # the signature alone: no reader imported


def _doc_read(data: bytes, limits: Limits) -> Document:
    from opengov._readers import doc  # LibreOffice converts it to .docx

    return doc.read(data, limits)


def _mhtml_detect(data: bytes) -> bool:
    return _sniff.is_mhtml(data)  # the header block alone: no reader imported


def _mhtml_detect_text(source: str) -> bool:
    return _sniff.is_mhtml_text(source)


def _mhtml_read(data: bytes, limits: Limits) -> Document:
    from opengov._readers import mhtml

    return mhtml.read(data, limits)


def _mhtml_text(source: str, limits: Limits) -> Document:
    return _mhtml_read(source.encode("utf-8", "surrogateescape"), limits)


def _image_text(_source: str, _limits: Limits) -> Document:
    raise ValueError("an image must be given as bytes (read the file in binary mode), not str")


def _image_detect(data: bytes) -> bool:
    return _sniff.is_image(data)  # the signature alone: no reader imported


def _image_read(data: bytes, limits: Limits) -> Document:
    from opengov._readers import image  # OCR: the optional extra opengov[ocr]

    return image.read(data, limits=limits)


FORMS: list[Form] = [
    Form(name="doc", detect=_never, read=_doc_text, detect_bytes=_doc_detect, read_bytes=_doc_read),
    Form(name="pdf", detect=_never, read=_pdf_text, detect_bytes=_pdf_detect, read_bytes=_pdf_read),
    Form(name="docx", detect=_never, read=_docx_text, detect_bytes=_docx_detect, read_bytes=_docx_read),
    Form(name="image", detect=_never, read=_image_text, detect_bytes=_image_detect, read_bytes=_image_read),
    Form(name="mhtml", detect=_mhtml_detect_text, read=_mhtml_text, detect_bytes=_mhtml_detect, read_bytes=_mhtml_read),
    Form(name="html", detect=_html_detect, read=_html_read),
    Form(name="boxtext", detect=boxtext.detect, read=_sized(boxtext.read)),
    Form(name="markdown", detect=markdown.detect, read=_counting(markdown.read)),
    Form(name="text", detect=text.detect, read=_counting(text.read)),
]
"""The registered forms, in detection order (the first whose ``detect`` accepts wins)."""


def form_names() -> tuple[str, ...]:
    """The names of the registered forms."""
    return tuple(form.name for form in FORMS)


def get_form(name: str) -> Form:
    """The form called ``name`` (``KeyError`` naming the known forms otherwise)."""
    for form in FORMS:
        if form.name == name:
            return form
    raise KeyError(f"unknown input form {name!r}; known forms: {', '.join(form_names())}")


def detect_binary_form(data: bytes) -> Form | None:
    """The first binary form whose ``detect_bytes`` accepts the bytes, if any."""
    for form in FORMS:
        if form.detect_bytes is not None and form.detect_bytes(data):
            return form
    return None


def detect_form(source: str) -> Form:
    """The first registered form whose ``detect`` accepts the text."""
    for form in FORMS:
        if form.detect(source):
            return form
    return FORMS[-1]
