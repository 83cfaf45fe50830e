"""PDFs whose pages (all, or some) are scans: the text pages through the PDF reader, the
scanned pages rendered by PDFium and read by OCR (optional extra ``opengov[ocr]``).

A page is *scanned* when it has no text layer (no printed character) and shows an image.
A PDF none of whose pages has a text layer is read by OCR as a whole; in a PDF with both,
the scanned pages are the pages the PDF reader found nothing on, and their blocks are put
in page order among the others.  Without the extra (or on Python 3.13 and later), a PDF of
scans is the PDF reader's ``pdf-no-text`` error, saying how to install OCR, and a mixed PDF
is read without its scanned pages, with a warning naming them (``pdf-pages-not-read``).

Scanned pages are rendered at :data:`DPI`; the pixels of each (at that resolution) are
checked against ``Limits.pixels`` and the number of scanned pages against
``Limits.ocr_pages`` before anything is rendered.  PDFium is called under the PDF reader's
lock (it is not thread-safe).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from opengov._errors import Diagnostic, Location, MissingExtraError, ParseError, Severity
from opengov._grid import Block, Document
from opengov._limits import DEFAULT_LIMITS, Limits, limit_error
from opengov._readers import pdf
from opengov._readers._available import check_available

__all__ = ["DPI", "read"]

DPI = 150.0
"""The resolution scanned PDF pages are rendered at."""


def read(data: bytes, *, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Read a PDF: its text layer, and its scanned pages by OCR (see the module text)."""
    try:
        document = pdf.read(data, limits=limits)
    except ParseError as error:
        if [d.code for d in error.diagnostics] != ["pdf-no-text"]:
            raise
        scanned = _scanned_pages(data, None)
        if not scanned:
            raise
        try:
            check_available()  # without the extra: MissingExtraError, as for every extra
        except ParseError as missing:
            message = f"{pdf.NO_TEXT_LAYER}: {missing.diagnostics[0].message}"
            raise ParseError(
                [Diagnostic(severity=Severity.ERROR, code="pdf-no-text", message=message, location=Location())],
                message,
            ) from None
        note = Diagnostic(
            severity=Severity.INFO,
            code="pdf-scanned",
            message="the PDF has no text layer: its pages are images (a scan), read by OCR",
            location=Location(page=scanned[0]),
        )
        return _ocr(data, scanned, limits, [note])
    seen = {b.location.page for b in document.blocks if b.location is not None and b.location.page is not None}
    scanned = _scanned_pages(data, seen)
    if not scanned:
        return document
    shown = ", ".join(str(n) for n in scanned)
    try:
        check_available()
    except (ParseError, MissingExtraError) as missing:
        why = missing.diagnostics[0].message if isinstance(missing, ParseError) else str(missing)
        warning = Diagnostic(
            severity=Severity.WARNING,
            code="pdf-pages-not-read",
            message=f"page(s) {shown} have no text layer (scanned) and were not read: {why}",
            location=Location(page=scanned[0]),
        )
        return Document(
            blocks=document.blocks,
            form=document.form,
            diagnostics=(*document.diagnostics, warning),
            soft_cells=document.soft_cells,
            tables_missing=document.tables_missing,
        )
    note = Diagnostic(
        severity=Severity.INFO,
        code="pdf-scanned",
        message=f"page(s) {shown} have no text layer (scanned): read by OCR",
        location=Location(page=scanned[0]),
    )
    read_by_ocr = _ocr(data, scanned, limits, [note])
    return _merge(document, read_by_ocr)


def _merge(text: Document, scanned: Document) -> Document:
    """The blocks of both in page order (each document's own order within a page)."""

    def page(block: Block) -> int:
        location = block.location
        return location.page if location is not None and location.page is not None else 0

    blocks = sorted([*text.blocks, *scanned.blocks], key=page)  # stable: each keeps its order
    return Document(
        blocks=tuple(blocks),
        form=text.form,
        diagnostics=(*text.diagnostics, *scanned.diagnostics),
        soft_cells=text.soft_cells,
        tables_missing=text.tables_missing and scanned.tables_missing,
    )


def _scanned_pages(data: bytes, seen: set[int] | None) -> list[int]:
    """The 1-based numbers of the pages without a text layer that show an image (among the
    pages not in ``seen``, when given)."""
    try:
        import pypdfium2
        import pypdfium2.raw as raw
    except ImportError:
        return []
    from opengov._readers._pdfium import _PDFIUM_LOCK

    found: list[int] = []
    with _PDFIUM_LOCK:
        document = pypdfium2.PdfDocument(data)
        try:
            for index in range(len(document)):
                if seen is not None and index + 1 in seen:
                    continue
                page = document[index]
                try:
                    textpage = page.get_textpage()
                    try:
                        text = textpage.get_text_range()
                    finally:
                        textpage.close()
                    if text.strip():
                        continue
                    if any(True for _ in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=8)):
                        found.append(index + 1)
                finally:
                    page.close()
        finally:
            document.close()
    return found


def _ocr(data: bytes, pages: Sequence[int], limits: Limits, notes: Sequence[Diagnostic]) -> Document:
    """The given pages rendered and read by OCR."""
    from opengov._readers import ocr

    if len(pages) > limits.ocr_pages:
        raise limit_error("ocr_pages", len(pages), limits.ocr_pages)
    rasters = [
        ocr.Raster(image=image, dpi=DPI, page=n) for n, image in zip(pages, _render(data, pages, limits), strict=True)
    ]
    return ocr.read_rasters(rasters, form="pdf", notes=notes, threads=limits.ocr_threads)


def _render(data: bytes, pages: Sequence[int], limits: Limits) -> list[Any]:
    import numpy as np
    import pypdfium2

    from opengov._readers._pdfium import _PDFIUM_LOCK

    scale = DPI / 72.0
    out = []
    with _PDFIUM_LOCK:
        document = pypdfium2.PdfDocument(data)
        try:
            for number in pages:
                page = document[number - 1]
                try:
                    width, height = page.get_size()
                    pixels = round(width * scale) * round(height * scale)
                    if pixels > limits.pixels:
                        raise limit_error("pixels", pixels, limits.pixels, location=Location(page=number))
                    bitmap = page.render(scale=scale, rev_byteorder=True)
                    try:
                        out.append(np.ascontiguousarray(bitmap.to_numpy()[:, :, :3]))
                    finally:
                        bitmap.close()
                finally:
                    page.close()
        finally:
            document.close()
    return out
