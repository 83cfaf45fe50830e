"""PDFium, through the raw ctypes API of ``pypdfium2``: each page of a PDF as its characters
with their boxes and the straight segments it draws (the ruling lines of tables).

Everything the PDF reader needs from the PDF library is here, and nothing else: the reader
itself (:mod:`opengov._readers.pdf`) works on the plain records this module returns.

* Coordinates are points, ``top``/``bottom`` measured down from the top of the page as
  printed (the page's ``/Rotate`` applied), as pdfplumber and pdfminer give them.
* A character's box is PDFium's *loose* box: from the origin to the origin plus the glyph's
  advance width, and from the baseline's descent up by the font size.  ``size`` is the font
  size times the text matrix's scale.  Spaces and line breaks PDFium generates itself (not
  printed glyphs) are left out.
* Text in a font neither embedded in the PDF nor installed here (a standard Chinese font such
  as ``STSong-Light`` referenced by name, on a server without Chinese fonts) is read too,
  although PDFium's text page would leave a one-character piece of it out (see
  :func:`_make_placeable`): its characters come from the font's CMap or ToUnicode map, their
  origins from the text matrix and the widths the PDF declares, their boxes as any other's; a
  character whose width PDFium does not know gets an estimated one (:func:`estimated_width`)
  and is marked ``estimated``.
* Ruling segments are the horizontal and vertical pieces of every stroked path, and of every
  filled path that is a thin bar (at most :data:`THIN` points across: a border drawn as a
  filled rectangle).  A larger filled area (shading behind a paragraph or a cell) is not a
  ruling line: WPS prints a filled rectangle behind every line of prose, and their edges would
  otherwise make the prose above a table part of it.
* Bounds (:class:`~opengov.Limits`) are checked before each expensive step: the input size
  before PDFium opens the file, the page count before any page is read, and the objects on a
  page (characters plus path segments) before they are extracted one by one.
* PDFium is not thread-safe, not even across documents: every call into it is made while
  holding :data:`_PDFIUM_LOCK`, and every handle is closed before the lock is released.
* Any failure inside PDFium or the binding becomes a :class:`~opengov.ParseError` with a code
  (``pdf-damaged``, ``pdf-encrypted`` or ``limit-…``; a missing ``pdf`` extra is a
  :class:`~opengov.MissingExtraError`).
"""

from __future__ import annotations

import ctypes
import functools
import math
import threading
import unicodedata
from _ctypes import CFuncPtr
from typing import Any, NamedTuple

import attrs

from opengov._errors import Diagnostic, Location, MissingExtraError, ParseError, Severity
from opengov._limits import Limits, limit_error

__all__ = [
    "Char",
    "estimated_width",
    "PageContent",
    "INSTALL_HINT",
    "ENCRYPTED",
    "THIN",
    "read_pages",
    "has_text_layer",
    "pdf_error",
]

INSTALL_HINT = 'reading PDF files needs the optional extra: pip install "opengov[pdf]"'
ENCRYPTED = "the PDF is encrypted (password-protected); decrypt it first"

THIN = 3.0
"""A filled path at most this wide (or tall), in points, is a ruling line (a border drawn
as a filled bar); a larger filled area is shading, not a line."""

_AXIS_EPSILON = 0.1
"""A segment whose ends differ by at most this much across (points) is horizontal or vertical."""

_PLACE_STROKE = 0.02
"""The stroke width (points) that gives a glyph-less text object a box (see :func:`_make_placeable`):
just over PDFium's 0.01 point threshold, far below anything a layout measures."""

_MAX_FORM_DEPTH = 32
"""Form XObjects nested deeper than this are not looked into for ruling lines."""

_PDFIUM_LOCK = threading.Lock()
"""PDFium may be called from one thread at a time only (its documentation): the one lock
every call into it holds.  A synchronisation primitive, not state: it holds no data."""

_ERROR_MESSAGES = {
    2: "the file cannot be opened",
    3: "not a PDF or damaged",
    6: "a page is missing",
}


class Char(NamedTuple):
    """One printed character with its box (points, ``top`` down from the top of the page).

    An immutable record; a named tuple rather than an attrs class because a page makes
    thousands of them and a tuple is made three times faster.
    """

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    estimated: bool = False
    """Whether ``x1`` is an estimate: the font (neither embedded nor installed) gives PDFium no
    width for the character, so its advance is :func:`estimated_width` (its origin ``x0`` and
    its size are exact)."""


_new_char = functools.partial(tuple.__new__, Char)
"""``Char`` from a tuple of its seven fields, without the named tuple's keyword-taking
``__new__`` (≈ 0.13 µs less a character: a page makes hundreds)."""


def estimated_width(text: str, size: float) -> float:
    """The advance assumed for a character whose font gives no width: 1 em for CJK ideographs,
    kana, hangul and full-width forms (East Asian width W or F), ½ em for anything else (ASCII
    digits, Latin letters, punctuation)."""
    return size if unicodedata.east_asian_width(text[:1] or " ") in ("W", "F") else 0.5 * size


@attrs.frozen(kw_only=True)
class PageContent:
    """What the reader needs of one page."""

    number: int
    """1-based page number."""
    width: float
    height: float
    chars: tuple[Char, ...]
    """The printed characters in content order (blank glyphs kept, generated spaces not)."""
    horizontal: tuple[tuple[float, float, float], ...]
    """Horizontal ruling segments ``(y, x0, x1)``, ``x0 <= x1``."""
    vertical: tuple[tuple[float, float, float], ...]
    """Vertical ruling segments ``(x, top, bottom)``, ``top <= bottom``."""
    unplaced: int = 0
    """Pieces of text on the page that could not be read: text objects in a font neither
    embedded nor installed that PDFium still cannot place, and characters of such objects
    without a Unicode mapping (see :func:`_make_placeable`)."""
    missing_fonts: tuple[str, ...] = ()
    """The fonts of those pieces."""
    recovered: int = 0
    """Characters in :attr:`chars` from text objects PDFium's text page would have left out
    (a font neither embedded nor installed gives them no box)."""
    estimated: int = 0
    """Characters in :attr:`chars` whose width is an estimate (``Char.estimated``)."""
    estimated_fonts: tuple[str, ...] = ()
    """The fonts of those characters."""


def has_text_layer(page: PageContent) -> bool:
    """Whether the page has a text layer: at least one printed character that is not blank.

    A page without one is an image (a scan) that needs OCR before it can be read.
    """
    return any(not char.text.isspace() for char in page.chars)


def pdf_error(code: str, message: str, location: Location | None = None) -> ParseError:
    """A :class:`~opengov.ParseError` with one error diagnostic (``code``, ``message``)."""
    diagnostic = Diagnostic(severity=Severity.ERROR, code=code, message=message, location=location or Location())
    return ParseError([diagnostic], summary=message)


def _damaged(detail: str, location: Location | None = None) -> ParseError:
    detail = " ".join(detail.split())[:120]
    return pdf_error("pdf-damaged", f"the PDF is damaged and cannot be read ({detail})", location)


def read_pages(data: bytes, limits: Limits) -> list[PageContent]:
    """Every page of the PDF ``data``: characters and ruling segments.

    Raises :class:`~opengov.ParseError`: ``limit-input-bytes``, ``limit-pages``,
    ``limit-page-objects`` when a bound is exceeded (checked before the work it bounds);
    ``pdf-encrypted``; ``pdf-damaged`` for anything PDFium cannot read;
    :class:`~opengov.MissingExtraError` (extra ``pdf``) when pypdfium2 is not installed.
    """
    if len(data) > limits.input_bytes:
        raise limit_error("input_bytes", len(data), limits.input_bytes)
    try:
        import pypdfium2.raw as pdfium
    except ImportError:
        raise MissingExtraError("pdf", "pypdfium2", "reading PDF files") from None
    try:
        with _PDFIUM_LOCK:
            return _read_document(pdfium, data, limits)
    except ParseError:
        raise
    except Exception as exc:  # the binding's own errors: never let them escape as tracebacks
        raise _damaged(str(exc) or type(exc).__name__) from None


def _read_document(pdfium: Any, data: bytes, limits: Limits) -> list[PageContent]:
    document = pdfium.FPDF_LoadMemDocument64(data, len(data), None)
    if not document:
        error = pdfium.FPDF_GetLastError()
        if error in (pdfium.FPDF_ERR_PASSWORD, pdfium.FPDF_ERR_SECURITY):
            raise pdf_error("pdf-encrypted", ENCRYPTED)
        raise _damaged(_ERROR_MESSAGES.get(error, f"PDFium error {error}"))
    try:
        count = pdfium.FPDF_GetPageCount(document)
        if count > limits.pages:
            raise limit_error("pages", count, limits.pages)
        calls = _untyped_calls(pdfium)
        return [_read_page(pdfium, calls, document, index, limits) for index in range(count)]
    finally:
        pdfium.FPDF_CloseDocument(document)


@attrs.frozen(kw_only=True)
class _Calls:
    """The PDFium functions called for every character and every page object, without the
    binding's argument types.

    A ctypes function with ``argtypes`` checks and converts each argument against its
    declared type, which costs as much as the call itself; without them, ctypes passes a
    Python ``int`` as a C ``int`` and a ctypes object (a handle, ``byref`` of a structure or a
    ``c_float``) as it is, which is all these calls take (handles, indices, out-pointers: no
    floating-point argument).  The same C functions, the same return types: the same results,
    in half the time.  Made once per document (a few microseconds), not kept.
    """

    get_object: Any
    """``FPDFPage_GetObject(page, index)``"""
    get_type: Any
    """``FPDFPageObj_GetType(object)``"""
    get_bounds: Any
    """``FPDFPageObj_GetBounds(object, byref(left), byref(bottom), byref(right), byref(top))``"""
    loose_box: Any
    """``FPDFText_GetLooseCharBox(textpage, index, byref(rect))``"""
    char_matrix: Any
    """``FPDFText_GetMatrix(textpage, index, byref(matrix))``"""
    font_size: Any
    """``FPDFText_GetFontSize(textpage, index)``"""
    is_generated: Any
    """``FPDFText_IsGenerated(textpage, index)``"""
    count_segments: Any
    """``FPDFPath_CountSegments(path)``"""
    get_segment: Any
    """``FPDFPath_GetPathSegment(path, index)``"""
    segment_point: Any
    """``FPDFPathSegment_GetPoint(segment, byref(x), byref(y))``"""
    segment_type: Any
    """``FPDFPathSegment_GetType(segment)``"""
    segment_close: Any
    """``FPDFPathSegment_GetClose(segment)``"""


def _untyped(function: Any) -> Any:
    """The C function behind a ctypes function of the binding, with its return type and no
    argument types (see :class:`_Calls`); the function itself when it is no ctypes function
    (a binding that wraps its functions otherwise: the calls pass what typed ones accept)."""
    address = ctypes.cast(function, ctypes.c_void_p).value if isinstance(function, CFuncPtr) else None
    if not address:
        return function
    raw = type(function)(address)
    raw.restype = function.restype
    return raw


def _untyped_calls(pdfium: Any) -> _Calls:
    return _Calls(
        get_object=_untyped(pdfium.FPDFPage_GetObject),
        get_type=_untyped(pdfium.FPDFPageObj_GetType),
        get_bounds=_untyped(pdfium.FPDFPageObj_GetBounds),
        loose_box=_untyped(pdfium.FPDFText_GetLooseCharBox),
        char_matrix=_untyped(pdfium.FPDFText_GetMatrix),
        font_size=_untyped(pdfium.FPDFText_GetFontSize),
        is_generated=_untyped(pdfium.FPDFText_IsGenerated),
        count_segments=_untyped(pdfium.FPDFPath_CountSegments),
        get_segment=_untyped(pdfium.FPDFPath_GetPathSegment),
        segment_point=_untyped(pdfium.FPDFPathSegment_GetPoint),
        segment_type=_untyped(pdfium.FPDFPathSegment_GetType),
        segment_close=_untyped(pdfium.FPDFPathSegment_GetClose),
    )


@attrs.frozen(kw_only=True)
class _Frame:
    """The page as printed: maps PDF user space to top-down coordinates (``/Rotate`` applied)."""

    left: float
    bottom: float
    right: float
    top: float
    rotation: int
    """Quarter turns clockwise."""

    @property
    def size(self) -> tuple[float, float]:
        width, height = self.right - self.left, self.top - self.bottom
        return (height, width) if self.rotation % 2 else (width, height)

    def point(self, x: float, y: float) -> tuple[float, float]:
        """``(x, top)`` on the printed page of the point ``(x, y)`` of PDF space."""
        if self.rotation == 1:
            return y - self.bottom, x - self.left
        if self.rotation == 2:
            return self.right - x, y - self.bottom
        if self.rotation == 3:
            return self.top - y, self.right - x
        return x - self.left, self.top - y


def _read_page(pdfium: Any, calls: _Calls, document: Any, index: int, limits: Limits) -> PageContent:
    number = index + 1
    location = Location(page=number)
    page = pdfium.FPDF_LoadPage(document, index)
    if not page:
        raise _damaged(f"page {number} cannot be loaded", location)
    try:
        box = pdfium.FS_RECTF()
        if not pdfium.FPDF_GetPageBoundingBox(page, box):
            raise _damaged(f"page {number} has no page box", location)
        frame = _Frame(
            left=box.left,
            bottom=box.bottom,
            right=box.right,
            top=box.top,
            rotation=pdfium.FPDFPage_GetRotation(page) % 4,
        )
        budget = _Budget(limit=limits.page_objects, location=location)
        paths: list[tuple[Any, _Matrix]] = []
        get_object, get_type, get_bounds = calls.get_object, calls.get_type, calls.get_bounds
        text_kind = pdfium.FPDF_PAGEOBJ_TEXT
        left, bottom, right, top = budget.bounds
        left_ref, bottom_ref, right_ref, top_ref = budget.bounds_refs
        for i in range(pdfium.FPDFPage_CountObjects(page)):
            obj = get_object(page, i)
            if get_type(obj) == text_kind:  # most objects: what _collect does with them, inline
                budget.spend(1)
                budget.text_objects += 1
                # _make_placeable's own test first, inline: almost every text object has a
                # box of some width and height and needs nothing
                if get_bounds(obj, left_ref, bottom_ref, right_ref, top_ref) and (
                    right.value - left.value < 0.01 or top.value - bottom.value < 0.01
                ):
                    _make_placeable(pdfium, calls, obj, budget)
            else:
                _collect(pdfium, calls, obj, _IDENTITY, paths, budget, 0)
        horizontal, vertical = _segments(pdfium, calls, paths, frame)
        textpage = pdfium.FPDFText_LoadPage(page)
        if not textpage:
            raise _damaged(f"the text of page {number} cannot be read", location)
        try:
            count = pdfium.FPDFText_CountChars(textpage)
            budget.spend(max(count, 0) - budget.text_objects)
            chars = _chars(pdfium, calls, textpage, count, frame, budget)
        finally:
            pdfium.FPDFText_ClosePage(textpage)
    finally:
        pdfium.FPDF_ClosePage(page)
    width, height = frame.size
    return PageContent(
        number=number,
        width=width,
        height=height,
        chars=chars,
        horizontal=tuple(horizontal),
        vertical=tuple(vertical),
        unplaced=budget.unplaced,
        missing_fonts=tuple(sorted(budget.missing_fonts)),
        recovered=budget.recovered,
        estimated=budget.estimated,
        estimated_fonts=tuple(sorted(budget.estimated_fonts)),
    )


@attrs.define
class _Budget:
    """Objects counted on one page against ``Limits.page_objects``, and what was done to read
    text in fonts neither embedded nor installed (:func:`_make_placeable`)."""

    limit: int
    location: Location
    spent: int = 0
    text_objects: int = 0
    """Text objects counted so far (each is replaced by its characters once they are known)."""
    placed: dict[int, str] = attrs.Factory(dict)
    """Text objects given a box by :func:`_make_placeable` (their address) → their font's name."""
    recovered: int = 0
    """Characters read from those objects."""
    unplaced: int = 0
    """Pieces of text that could not be read (see :attr:`PageContent.unplaced`)."""
    missing_fonts: set[str] = attrs.Factory(set)
    """The names of their fonts."""
    estimated: int = 0
    """Characters whose width is estimated."""
    estimated_fonts: set[str] = attrs.Factory(set)
    """The names of their fonts."""
    bounds: tuple[ctypes.c_float, ctypes.c_float, ctypes.c_float, ctypes.c_float] = attrs.Factory(
        lambda: (ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float())
    )
    """Buffers for an object's bounds (allocated once per page)."""
    bounds_refs: tuple[Any, Any, Any, Any] = attrs.field(init=False)
    """``byref`` of each of :attr:`bounds` (for the untyped call, :class:`_Calls`)."""

    def __attrs_post_init__(self) -> None:
        self.bounds_refs = tuple(ctypes.byref(value) for value in self.bounds)  # type: ignore[assignment]

    def spend(self, n: int) -> None:
        self.spent += n
        if self.spent > self.limit:
            raise limit_error("page_objects", self.spent, self.limit, location=self.location)


_Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: _Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _multiply(inner: _Matrix, outer: _Matrix) -> _Matrix:
    """The matrix applying ``inner`` then ``outer`` (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    a2, b2, c2, d2, e2, f2 = outer
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _matrix(pdfium: Any, obj: Any) -> _Matrix:
    m = pdfium.FS_MATRIX()
    if not pdfium.FPDFPageObj_GetMatrix(obj, m):
        return _IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _collect(
    pdfium: Any, calls: _Calls, obj: Any, outer: _Matrix, paths: list[tuple[Any, _Matrix]], budget: _Budget, depth: int
) -> None:
    """Count the page object ``obj`` (form XObjects: their contents) and keep path objects
    with the matrix that maps them to PDF page space."""
    kind = pdfium.FPDFPageObj_GetType(obj)
    if kind == pdfium.FPDF_PAGEOBJ_PATH:
        budget.spend(max(pdfium.FPDFPath_CountSegments(obj), 1))
        paths.append((obj, _multiply(_matrix(pdfium, obj), outer)))
    elif kind == pdfium.FPDF_PAGEOBJ_FORM:
        budget.spend(1)
        if depth < _MAX_FORM_DEPTH:
            matrix = _multiply(_matrix(pdfium, obj), outer)
            for i in range(pdfium.FPDFFormObj_CountObjects(obj)):
                _collect(pdfium, calls, pdfium.FPDFFormObj_GetObject(obj, i), matrix, paths, budget, depth + 1)
    else:
        budget.spend(1)
        if kind == pdfium.FPDF_PAGEOBJ_TEXT:
            budget.text_objects += 1
            _make_placeable(pdfium, calls, obj, budget)


def _make_placeable(pdfium: Any, calls: _Calls, obj: Any, budget: _Budget) -> None:
    """Give a box to a text object that PDFium's text page would leave out for want of one.

    PDFium's text page skips a text object whose box has no width.  A piece of text in a font
    that is neither embedded in the PDF nor installed here (a standard Chinese font such as
    ``STSong-Light`` referenced by name, on a server without Chinese fonts) has no glyph
    boxes, so a piece of one character (a figure, a header word printed character by
    character) would be lost.  Its text is known all the same (the font's CMap or ToUnicode
    map) and so is its advance (the widths the PDF declares for the font), which is what the
    text page makes a glyph-less character's box of.

    ``FPDFTextObj_GetText`` cannot give the text of an object the text page left out (it
    looks the object up in the text page), and the raw API gives no character codes.  So the
    object is given a box: a text object drawn in a stroking mode has its box widened by half
    the stroke width on each side (``CPDF_TextObject::CalcPositionData``), so it is switched to
    stroking with a hair-thin stroke (:data:`_PLACE_STROKE`) and its position recomputed
    (an identity transform), before the text page is made.  This changes only this page
    handle in memory (never written, closed after reading).  An object that still has no
    box is counted as unread, with its font's name.

    A longer piece in such a font has a box as wide as its advances but of no height, and the
    text page takes it for a repetition (fake bold) of an identical piece printed up to an
    eighth of its width above it (``CPDF_TextPage::IsSameTextObject`` compares boxes, and two
    boxes of no height are both "empty"): three identical one-line paragraphs read as one.  It
    gets the same hair-thin box height, which it would have with the font installed.
    """
    left, bottom, right, top = budget.bounds
    if not calls.get_bounds(obj, *budget.bounds_refs):
        return
    no_width = right.value - left.value < 0.01
    if not no_width and top.value - bottom.value >= 0.01:
        return
    font = pdfium.FPDFTextObj_GetFont(obj)
    if not font or pdfium.FPDFFont_GetIsEmbedded(font):
        return
    stroking = pdfium.FPDFTextObj_SetTextRenderMode(obj, pdfium.FPDF_TEXTRENDERMODE_STROKE)
    if stroking and pdfium.FPDFPageObj_SetStrokeWidth(obj, _PLACE_STROKE):
        pdfium.FPDFPageObj_Transform(obj, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0)  # recomputes the box
    if not no_width:
        return
    name = ctypes.create_string_buffer(128)
    length = pdfium.FPDFFont_GetBaseFontName(font, name, len(name))
    font_name = name.value.decode("latin-1") if 0 < length <= len(name) else "?"
    if pdfium.FPDFPageObj_GetBounds(obj, left, bottom, right, top) and right.value - left.value >= 0.01:
        budget.placed[_address(obj)] = font_name
    else:
        budget.unplaced += 1
        budget.missing_fonts.add(font_name)


def _address(handle: Any) -> int:
    """The address a PDFium handle points to (the same object gives the same address)."""
    return ctypes.cast(handle, ctypes.c_void_p).value or 0


def _segments(
    pdfium: Any, calls: _Calls, paths: list[tuple[Any, _Matrix]], frame: _Frame
) -> tuple[list[tuple[float, float, float]], list[tuple[float, float, float]]]:
    """The horizontal and vertical ruling segments of the page's paths (see the module text)."""
    horizontal: list[tuple[float, float, float]] = []
    vertical: list[tuple[float, float, float]] = []
    fill = ctypes.c_int()
    stroke = ctypes.c_int()
    x = ctypes.c_float()
    y = ctypes.c_float()
    moveto = pdfium.FPDF_SEGMENT_MOVETO
    x_ref, y_ref = ctypes.byref(x), ctypes.byref(y)
    count_segments, get_segment, get_point = calls.count_segments, calls.get_segment, calls.segment_point
    get_type, get_close = calls.segment_type, calls.segment_close
    for obj, (a, b, c, d, e, f) in paths:
        if not pdfium.FPDFPath_GetDrawMode(obj, fill, stroke):
            continue
        points: list[tuple[float, float, bool, bool]] = []  # x, top, starts a subpath, closes it
        count = count_segments(obj)
        for s in range(count):
            segment = get_segment(obj, s)
            if not segment or not get_point(segment, x_ref, y_ref):
                continue
            px, py = x.value, y.value
            page_x, page_top = frame.point(px * a + py * c + e, px * b + py * d + f)
            # the first point starts a subpath; closing a single segment adds nothing
            is_move = s == 0 or get_type(segment) == moveto
            closes = count > 2 and s > 0 and bool(get_close(segment))
            points.append((page_x, page_top, is_move, closes))
        if not points:
            continue
        if not stroke.value:
            if fill.value == pdfium.FPDF_FILLMODE_NONE:
                continue
            xs = [p[0] for p in points]
            tops = [p[1] for p in points]
            if min(max(xs) - min(xs), max(tops) - min(tops)) > THIN:
                continue  # a filled area (shading), not a line
        start = previous = points[0]
        for point in points[1:]:
            if point[2]:
                start = point
            else:
                _add(previous, point, horizontal, vertical)
                if point[3]:
                    _add(point, start, horizontal, vertical)
            previous = point
    return horizontal, vertical


def _add(
    p: tuple[float, float, bool, bool],
    q: tuple[float, float, bool, bool],
    horizontal: list[tuple[float, float, float]],
    vertical: list[tuple[float, float, float]],
) -> None:
    (x0, top0, *_), (x1, top1, *_) = p, q
    if abs(top0 - top1) <= _AXIS_EPSILON and x0 != x1:
        horizontal.append(((top0 + top1) / 2, min(x0, x1), max(x0, x1)))
    elif abs(x0 - x1) <= _AXIS_EPSILON and top0 != top1:
        vertical.append(((x0 + x1) / 2, min(top0, top1), max(top0, top1)))


def _chars(pdfium: Any, calls: _Calls, textpage: Any, count: int, frame: _Frame, budget: _Budget) -> tuple[Char, ...]:
    """The page's printed characters, in content order.

    The characters of the objects :func:`_make_placeable` gave a box are read like any other,
    except: a blank one is dropped (a blank glyph has no box, so with the font installed PDFium
    would leave it out too); one without a Unicode mapping is dropped and counted as unread;
    and one of no width (PDFium knows no width for it) gets an estimated one and is marked.
    """
    if count <= 0:
        return ()
    buffer = (ctypes.c_ushort * (count + 1))()
    written = pdfium.FPDFText_GetText(textpage, 0, count, buffer)
    text = bytes(buffer)[: max(written - 1, 0) * 2].decode("utf-16-le", errors="replace")
    if len(text) != count:  # characters outside the BMP: one code point per character index
        text = "".join(chr(pdfium.FPDFText_GetUnicode(textpage, i) or 0xFFFD) for i in range(count))
    get_box = calls.loose_box
    get_matrix = calls.char_matrix
    get_size = calls.font_size
    is_generated = calls.is_generated
    placed = budget.placed
    rect = pdfium.FS_RECTF()
    m = pdfium.FS_MATRIX()
    rect_ref, m_ref = ctypes.byref(rect), ctypes.byref(m)
    upright = frame.rotation == 0
    page_left, page_top = frame.left, frame.top
    out = []
    for i, ch in enumerate(text):
        if ch in " \r\n" and (ch != " " or is_generated(textpage, i)):
            continue  # a line break or a space PDFium inserted (not a printed glyph)
        if not get_box(textpage, i, rect_ref):
            continue
        get_matrix(textpage, i, m_ref)
        scale = abs(m.d) if m.b == 0 and m.c == 0 else math.sqrt(abs(m.a * m.d - m.b * m.c))
        size = get_size(textpage, i) * scale
        estimated = False
        if placed:
            obj = pdfium.FPDFText_GetTextObject(textpage, i)
            font = placed.get(_address(obj))
            if font is not None:
                if ch.isspace():
                    continue
                if ch in "\ufffd\ufffe\x00" or pdfium.FPDFText_HasUnicodeMapError(textpage, i):
                    budget.unplaced += 1
                    budget.missing_fonts.add(font)
                    continue
                if m.b == 0 and m.c == 0 and abs(rect.right - rect.left) < 0.01:
                    _estimate(pdfium, obj, rect, m, estimated_width(ch, size), size)
                    estimated = True
                    budget.estimated += 1
                    budget.estimated_fonts.add(font)
                budget.recovered += 1
        if upright:
            x0, x1, bottom = rect.left - page_left, rect.right - page_left, page_top - rect.bottom
            if x1 < x0:
                x0, x1 = x1, x0
            top = bottom - size if size > 0 else page_top - rect.top
        else:
            x_a, top_a = frame.point(rect.left, rect.bottom)
            x_b, top_b = frame.point(rect.right, rect.top)
            x0, x1 = (x_a, x_b) if x_a <= x_b else (x_b, x_a)
            top, bottom = (top_a, top_b) if top_a <= top_b else (top_b, top_a)
        if not size > 0:
            size = bottom - top
        out.append(_new_char((ch, x0, x1, top, bottom, size, estimated)))
    return tuple(out)


def _estimate(pdfium: Any, obj: Any, rect: Any, m: Any, advance: float, size: float) -> None:
    """Give the box of a character of no width (PDF space, its origin at the box's left end
    on the baseline) the estimated ``advance`` along its upright baseline, and the height of
    other characters of its font: from the font's descent to its ascent (as PDFium's loose
    boxes are), or from the baseline up by the font size when the font has neither."""
    rect.right = rect.left + (advance if m.a >= 0 else -advance)
    up = 1.0 if m.d >= 0 else -1.0
    baseline = rect.bottom if up > 0 else rect.top
    font = pdfium.FPDFTextObj_GetFont(obj)
    ascent, descent = ctypes.c_float(), ctypes.c_float()
    if (
        font
        and pdfium.FPDFFont_GetAscent(font, ctypes.c_float(size), ascent)
        and pdfium.FPDFFont_GetDescent(font, ctypes.c_float(size), descent)
        and ascent.value > descent.value
    ):
        low, high = baseline + up * descent.value, baseline + up * ascent.value
    else:
        low, high = baseline, baseline + up * size
    rect.bottom, rect.top = min(low, high), max(low, high)
