"""PDF reports read through their text layer (optional extra ``opengov[pdf]``).

Most organs print the official Word template to PDF.  The text layer of such a file keeps
every character with its position, and the tables keep their drawn cell borders.  This
reader takes the characters and the drawn segments from PDFium (through ``pypdfium2``, see
:mod:`opengov._readers._pdfium` and ``docs/pdf.md``) and

* finds each table from its ruling lines and rebuilds its cells with their real row and
  column spans (:func:`_ruled_tables`: segments merged, sorted and swept, then the cells of
  each band of lines found on its grid in one pass: near-linear in the number of segments);
* joins a table that runs over a page break into one :class:`~opengov._grid.Grid` (repeated
  header rows are dropped, a label cell cut by the page break is joined again);
* reads the prose outside the tables as :class:`~opengov._grid.Paragraph` objects in reading
  order, joining wrapped lines and dropping page-number lines such as ``- 4 -``;
* gives every cell and paragraph a :class:`~opengov._errors.Location` with the page and the
  1-based line number within that page's text.

When a PDF has no ruled table at all, the tables are rebuilt from word positions (see
:func:`_borderless_tables`); when that finds none either, its text lines are handed on as
paragraphs, one per printed line.

Errors are :class:`~opengov._errors.ParseError` with a code and a one-line reason — not a
PDF, damaged, encrypted, over a limit (:class:`~opengov.Limits`), no text layer (a scan,
which needs OCR first) — never a traceback from the PDF library.
"""

from __future__ import annotations

import bisect
import collections
import functools
import itertools
import math
import operator
import re
import statistics
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

import attrs

from opengov._errors import Diagnostic, Location, Severity
from opengov._grid import Block, Document, Grid, GridCell, Paragraph
from opengov._limits import DEFAULT_LIMITS, Limits, limit_error
from opengov._patterns import DIGITS, is_page_number
from opengov._readers._pdfium import INSTALL_HINT, Char, PageContent, has_text_layer, pdf_error, read_pages
from opengov._readers._ruling import cell_groups
from opengov._readers._sniff import is_pdf
from opengov.layout import PLACEHOLDER_GLYPHS, SECTIONS, normalize_label

__all__ = ["NAME", "INSTALL_HINT", "NO_TEXT_LAYER", "NO_RULING", "detect", "read", "has_text_layer"]

NAME = "pdf"
"""The name of this input form."""

NO_TEXT_LAYER = "the PDF has no text layer; it is probably a scan and needs OCR first"

_HEADING_RE = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\))")
_NEW_LABEL_RE = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+\s*[.、．,，])|^\s*第二十条"
)
_NUMBER_RE = re.compile(r"[-+－]?\s*[\d０-９][\d０-９,，.．\s]*(?:万元|元|件|个|项|次|条)?")
"""A figure (matched against stripped text: one unbounded repetition, so linear time)."""
_CJK = r"\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_SPACE_RE = re.compile(rf"(?<=[{_CJK}])[ \t]+(?=[{_CJK}])")
_ASCII_WORD_END = re.compile(r"[A-Za-z0-9]$")
_ASCII_WORD_START = re.compile(r"^[A-Za-z0-9]")

_CJK_CHAR_RE = re.compile(rf"[{_CJK}]")
_IDEOGRAPH_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_ASCII_ALNUM_RE = re.compile(r"[A-Za-z0-9]")
_WORD_GAP = 3.0
"""A gap wider than this (points) between two glyphs of a line is a space."""
_AUTOSPACE_EM = 0.3
"""A gap between CJK and ASCII narrower than this (in em) is an autospace gap, not a space."""
_LINE_TOLERANCE = 3.0
"""Glyphs whose tops are this close (points, chained) are on one printed line."""

_KINSOKU_CHARS = 5.0
"""At most this many characters short, a line may be cut by line-breaking rules, not end a paragraph."""
_SENTENCE_ENDS = ("。", "！", "？", "：", ":")

_CELL_GAP_EM = 0.34
"""Without ruling lines, a gap this wide (in em) or wider separates two cells of a line."""

_MARK = "\ufffd"
"""Put in the text of every cell a character might belong to when the character's width is an
estimate (``Char.estimated``) and the cell it lies in depends on it: the cell then reads as
unreadable (``unreadable-cell``), never as a figure it may not be."""
_WIDE_WIDTHS = (1.0, 1.0)
"""The widths (em) a character of East Asian width W or F may have whose width is estimated."""
_NARROW_WIDTHS = (0.25, 1.0)
"""The widths (em) any other character may have whose width is estimated."""

_EDGE_TOLERANCE = 3.0
"""Cell borders closer than this (points) are the same grid line."""

_SNAP = 3.0
"""Ruling segments whose positions are this close (points, chained) are one line."""
_JOIN = 3.0
"""Collinear ruling segments with a gap of at most this (points) are one segment."""
_MIN_SEGMENT = 3.0
"""Ruling segments shorter than this (points) after joining are not lines."""
_TOUCH = 3.0
"""A segment reaching within this (points) of a grid line meets it."""


def detect(data: bytes) -> bool:
    """Whether ``data`` is a PDF: the ``%PDF-`` signature within its first kilobyte."""
    return is_pdf(data)


def read(data: bytes, *, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Read a PDF's text layer into a :class:`~opengov._grid.Document`.

    Raises :class:`~opengov._errors.ParseError` (one diagnostic, one line) when the bytes are
    not a PDF (``not-pdf``), the PDF is damaged (``pdf-damaged``) or encrypted
    (``pdf-encrypted``), it has no page (``pdf-no-pages``) or no text layer (``pdf-no-text``),
    it is over one of ``limits`` (``limit-input-bytes``, ``limit-pages``, ``limit-page-objects``,
    ``limit-cells``); :class:`~opengov.MissingExtraError` when the optional PDF support is not
    installed.
    """
    if not detect(data):
        raise pdf_error("not-pdf", "the data is not a PDF (no %PDF- signature)")
    contents = read_pages(data, limits)
    if not contents:
        raise pdf_error("pdf-no-pages", "the PDF has no pages")
    if not any(has_text_layer(page) for page in contents):
        raise pdf_error("pdf-no-text", NO_TEXT_LAYER)
    budget = _CellBudget(limit=limits.cells)
    pages = [_read_page(page, budget) for page in contents]
    if not any(page.tables for page in pages):  # borderless tables are read from the lines' segments
        pages = [attrs.evolve(page, prose=tuple(map(_with_segments, page.prose))) for page in pages]
    blocks, ambiguous, cut, clipped = _blocks(pages)
    diagnostics = _font_diagnostics(contents, ambiguous)
    if clipped:
        message = (
            f"a table runs past the page's edge (its side is not printed): {len(clipped)} cell(s) at that side "
            "that may hold a value are left unread (the page may hide what they hold)"
        )
        diagnostics.append(_warning("pdf-clipped-table", message, clipped[0]))
    if cut:
        message = (
            f"{len(cut)} figure(s) printed across a table's ruling line (glyphs on both sides of it, "
            "or past the table's side): their cells are left unread rather than read in part"
        )
        diagnostics.append(_warning("pdf-cut-figure", message, cut[0]))
    if not any(page.tables for page in pages) and any(isinstance(b, Grid) for b in blocks):
        first = next(b for b in blocks if isinstance(b, Grid))
        diagnostics.append(
            Diagnostic(
                severity=Severity.INFO, code="pdf-no-ruling", message=NO_RULING, location=first.location or Location()
            )
        )
    return Document(blocks=tuple(blocks), form=NAME, diagnostics=tuple(diagnostics), soft_cells=True)


def _warning(code: str, message: str, location: Location) -> Diagnostic:
    return Diagnostic(severity=Severity.WARNING, code=code, message=message, location=location)


def _font_diagnostics(contents: Sequence[PageContent], ambiguous: Sequence[Location]) -> list[Diagnostic]:
    """What was done with text in fonts neither embedded in the PDF nor installed here.

    Such text is read from the font's CMap and the widths the PDF declares (see
    :mod:`opengov._readers._pdfium`): as it would be with the font installed, so nothing is
    said.  Characters whose width the font does not give were placed with an estimated width
    (info ``pdf-font-estimated``), and where one of them might belong to either of two table
    cells, those cells are left unread (warning ``pdf-font-ambiguous``, at ``ambiguous[0]``);
    text that could not be read at all is a warning (``pdf-font-missing``).
    """
    out = []
    estimated = [page for page in contents if page.estimated]
    if estimated:
        count = sum(page.estimated for page in estimated)
        fonts = ", ".join(sorted({font for page in estimated for font in page.estimated_fonts}))
        numbers = ", ".join(str(page.number) for page in estimated)
        out.append(
            Diagnostic(
                severity=Severity.INFO,
                code="pdf-font-estimated",
                message=f"{count} character(s) on page(s) {numbers} in fonts neither embedded in the PDF nor "
                f"installed here ({fonts}) have no width in the font: each was placed at its origin with a "
                "width estimated from its font size (1 em for Chinese and full-width characters, ½ em for "
                "others)",
                location=Location(page=estimated[0].number),
            )
        )
    if ambiguous:
        out.append(
            Diagnostic(
                severity=Severity.WARNING,
                code="pdf-font-ambiguous",
                message=f"{len(ambiguous)} character(s) whose width is estimated might belong to either of two "
                "table cells (their place depends on the width): those cells are left unread",
                location=ambiguous[0],
            )
        )
    unplaced = [page for page in contents if page.unplaced]
    if unplaced:
        count = sum(page.unplaced for page in unplaced)
        fonts = ", ".join(sorted({font for page in unplaced for font in page.missing_fonts}))
        numbers = ", ".join(str(page.number) for page in unplaced)
        out.append(
            Diagnostic(
                severity=Severity.WARNING,
                code="pdf-font-missing",
                message=f"{count} piece(s) of text on page(s) {numbers} use fonts neither embedded in the PDF "
                f"nor installed here ({fonts}) and could not be read; install the font (for a Chinese "
                "font, for example Noto Sans CJK) or use a PDF with embedded fonts",
                location=Location(page=unplaced[0].number),
            )
        )
    return out


# ---------------------------------------------------------------------------------------
# Pages: text lines and ruled tables with positions
# ---------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    line: int
    segments: tuple[_Segment, ...] = ()
    """The line cut at wide gaps (cells of a table printed without ruling lines): read only
    where they are looked at, in a document without ruled tables (:func:`_with_segments`)."""
    chars: tuple[Char, ...] = attrs.field(default=(), eq=False, repr=False)
    """The line's characters, left to right (blank glyphs at either end dropped)."""


@attrs.frozen(kw_only=True)
class _Segment:
    text: str
    x0: float
    x1: float
    ambiguous: bool = False
    """Whether the cut before or after this run depends on an estimated width (its text then
    ends with :data:`_MARK`)."""


@attrs.frozen(kw_only=True)
class _Cell:
    x0: float
    x1: float
    top: float
    bottom: float
    text: str
    line: int | None
    clipped: bool = False
    """At a side of the table the page's edge clipped (:func:`_clipped_cells`): read as
    :data:`_MARK` once the table's parts are joined."""


@attrs.frozen(kw_only=True)
class _Table:
    page: int
    x0: float
    x1: float
    top: float
    bottom: float
    cells: tuple[_Cell, ...]
    ambiguous: tuple[int | None, ...] = ()
    """The lines of the characters of estimated width that might belong to either of two
    cells (marked :data:`_MARK`)."""
    cut: tuple[int | None, ...] = ()
    """The lines of the figures printed across one of the table's ruling lines
    (:func:`_cut_figures`; their cells marked :data:`_MARK`)."""
    clipped: tuple[int | None, ...] = ()
    """The lines of the cells at a side the page's edge clipped that may hide a figure
    (:func:`_clipped_cells`; marked :data:`_MARK`)."""


@attrs.frozen(kw_only=True)
class _Page:
    number: int
    width: float
    height: float
    prose: tuple[_Line, ...]
    """The lines outside the tables, page numbers dropped."""
    tables: tuple[_Table, ...]


def _text_lines(chars: Sequence[Char]) -> list[list[Char]]:
    """The printed lines of some characters, top to bottom, each left to right.

    Characters whose tops are within :data:`_LINE_TOLERANCE` of each other (chained, over the
    sorted distinct tops) are one line; within a line they are ordered by ``x0`` (content
    order for ties).  Blank glyphs at either end of a line are dropped, and a line of blank
    glyphs only is no line.
    """
    lines = []
    for group in _line_groups(chars):
        line = _trimmed(group)
        if line is not None:
            lines.append(line)
    return lines


def _line_groups(chars: Sequence[Char]) -> list[list[Char]]:
    """The characters of each printed line (see :func:`_text_lines`), top to bottom, each
    sorted by ``x0`` (content order for ties), blank glyphs and blank lines kept."""
    if not chars:
        return []
    tops = sorted({char.top for char in chars})
    cluster: dict[float, int] = {}
    n = 0
    last = tops[0]
    for top in tops:
        if top > last + _LINE_TOLERANCE:
            n += 1
        cluster[top] = n
        last = top
    groups: list[list[Char]] = [[] for _ in range(n + 1)]
    for char in chars:
        groups[cluster[char.top]].append(char)
    for group in groups:
        group.sort(key=_X0)
    return groups


def _trimmed(group: list[Char]) -> list[Char] | None:
    """A line's characters without the blank glyphs at either end; ``None`` when it has
    nothing but blank glyphs."""
    start, end = 0, len(group)
    while start < end and group[start].text == " ":
        start += 1
    while end > start and group[end - 1].text == " ":
        end -= 1
    line = group[start:end]
    for char in line:
        if not char.text.isspace():
            return line
    return None


_X0 = operator.attrgetter("x0")


def _chars_text(chars: Sequence[Char]) -> str:
    """One line's text from its characters, left to right.

    A space is text when the PDF prints a blank glyph, or when the gap between two glyphs is
    wider than the word tolerance — except an *autospace gap*: the narrow gap (less than
    :data:`_AUTOSPACE_EM` of the font size) a word processor leaves between a CJK character and
    an ASCII letter or digit (``港区）2023年``).  That gap is typography, not a typed space.
    """
    out: list[str] = []
    previous: Char | None = None  # the character before, when it is a glyph (not blank)
    for char in chars:
        text = char.text
        if text.isspace():
            previous = None
        else:
            if previous is not None:
                gap = char.x0 - previous.x1
                if gap > _WORD_GAP and not _is_autospace(previous, char, gap):
                    out.append(" ")
            previous = char
        out.append(text)
    return " ".join("".join(out).split())


def _is_autospace(left: Char, right: Char, gap: float) -> bool:
    a, b = left.text, right.text
    mixed = (_CJK_CHAR_RE.match(a) and _ASCII_ALNUM_RE.match(b)) or (_ASCII_ALNUM_RE.match(a) and _CJK_CHAR_RE.match(b))
    size = max(left.size, right.size)
    return bool(mixed) and size > 0 and gap < _AUTOSPACE_EM * size


def _read_page(content: PageContent, budget: _CellBudget) -> _Page:
    number = content.number
    groups = _line_groups(content.chars)
    numbered = _numbered_lines(groups)
    texts = [entry for entry in numbered if entry is not None]  # the lines with text, top to bottom
    tops = [entry.top for entry in texts]

    def line_at(top: float) -> int | None:
        """The number of the line whose top is nearest ``top`` (the first of two as near)."""
        if not tops:
            return None
        i = bisect.bisect_left(tops, top)
        if i == len(tops) or (i > 0 and abs(tops[i - 1] - top) <= abs(tops[i] - top)):
            i -= 1
        return texts[i].number

    tables = []
    for found in _ruled_tables(content, budget):
        table = _table(number, found, content.chars, line_at)
        if table is not None:
            tables.append(table)
    if tables:
        boxes = [(t.x0, t.top, t.x1, t.bottom) for t in tables]
        outside = _lines_outside(groups, numbered, boxes)
        lines = _lines_outside_plain(content.chars, boxes, line_at) if outside is None else outside
    else:  # every line is outside: the page's lines, numbered already
        lines = [_line(entry.chars, entry.number) for entry in texts]
    prose = [line for line in lines if line.text and not _is_page_number(line, content.height)]
    return _Page(
        number=number,
        width=content.width,
        height=content.height,
        prose=tuple(prose),
        tables=tuple(tables),
    )


class _Numbered(NamedTuple):
    """A line group with text (:func:`_numbered_lines`): its characters without the blank
    glyphs at either end, its number and its top (those of its :func:`_line`)."""

    chars: list[Char]
    number: int
    top: float


def _numbered_lines(groups: Sequence[list[Char]]) -> list[_Numbered | None]:
    """Per line group (:func:`_line_groups`): numbered as the page's lines are (1-based, over
    every line :func:`_text_lines` gives), ``None`` for a group of blank glyphs only or a
    line without text.  The line itself (its text, :func:`_line`) is made only where it is
    read: a line inside a table is only numbered (its cells' text is read from the table)."""
    numbered: list[_Numbered | None] = []
    count = 0
    for group in groups:
        chars = _trimmed(group)
        entry = None
        if chars is not None:
            count += 1
            # the line's text (_chars_text, _clean) is empty only when no character holds
            # anything but white space: _chars_text adds and keeps only white space around
            # them, _clean removes only spaces
            if any(map(str.strip, [char.text for char in chars])):
                entry = _Numbered(chars, count, min([char.top for char in chars]))
        numbered.append(entry)
    return numbered


def _lines_outside_plain(
    chars: Sequence[Char], boxes: Sequence[tuple[float, float, float, float]], line_at: Callable[[float], int | None]
) -> list[_Line]:
    """The lines of the characters outside the tables' ``boxes``, each numbered as the page's
    line nearest its top: the characters outside are read into lines afresh."""
    outside = [char for char in chars if not any(_overlaps(char, box) for box in boxes)]
    lines = [_line(chars, 0) for chars in _text_lines(outside)]
    return [attrs.evolve(line, line=line_at(line.top) or 0) for line in lines]


def _lines_outside(
    groups: Sequence[Sequence[Char]],
    numbered: Sequence[_Numbered | None],
    boxes: Sequence[tuple[float, float, float, float]],
) -> list[_Line] | None:
    """:func:`_lines_outside_plain` without reading the lines again, when every line of the
    page (``groups``, :func:`_line_groups`; ``numbered``, their numbers) lies wholly inside the
    tables or wholly outside them: then the characters outside make exactly the lines
    outside (a line's tops chain as before, lines stay apart), and each is its own nearest
    line.  Lines without text are left out (the plain reading keeps them; the page's prose
    drops them).  ``None`` when a line is cut by a table's box (read them afresh)."""
    kept = []
    for group, entry in zip(groups, numbered, strict=True):
        _, x0s, x1s, tops, bottoms, _, _ = zip(*group, strict=True)
        top, bottom = min(tops), max(bottoms)
        near = [box for box in boxes if box[1] <= bottom and box[3] >= top]
        if near and _within(near, min(x0s), top, max(x1s), bottom) and _no_points(x0s, x1s, tops, bottoms):
            continue  # every character lies in a box (so touches it): the line is inside
        if near:  # else no character of the line reaches a box's height: all outside
            inside = [any(_overlaps(char, box) for box in near) for char in group]
            if all(inside):
                continue
            if any(inside):
                return None
        if entry is not None:
            kept.append(entry)
    return [_line(entry.chars, entry.number) for entry in kept]


def _within(
    boxes: Sequence[tuple[float, float, float, float]], x0: float, top: float, x1: float, bottom: float
) -> bool:
    """Whether one of ``boxes`` holds the box ``x0, top, x1, bottom`` (edges included)."""
    return any(b[0] <= x0 and x1 <= b[2] and b[1] <= top and bottom <= b[3] for b in boxes)


def _no_points(x0s: Sequence[float], x1s: Sequence[float], tops: Sequence[float], bottoms: Sequence[float]) -> bool:
    """Whether every character's box has a width and a height of 0 or more (not NaN), not
    both 0: then a character lying in a box touches it (:func:`_overlaps`)."""
    widths = list(map(operator.sub, x1s, x0s))
    heights = list(map(operator.sub, bottoms, tops))
    at_least_0 = (0.0).__le__  # False for NaN, as _overlaps's comparisons are
    return all(map(at_least_0, widths)) and all(map(at_least_0, heights)) and all(map(operator.add, widths, heights))


def _overlaps(char: Char, box: tuple[float, float, float, float]) -> bool:
    """Whether a character's box touches a table's box (an edge or more in common)."""
    width = min(char.x1, box[2]) - max(char.x0, box[0])
    height = min(char.bottom, box[3]) - max(char.top, box[1])
    return width >= 0 and height >= 0 and width + height > 0


def _line(chars: Sequence[Char], number: int) -> _Line:
    """A printed line from its characters (:func:`_text_lines`), numbered ``number``; its
    segments are not read (:func:`_with_segments`)."""
    glyphs = [c for c in chars if not c.text.isspace()]
    _, x0s, x1s, tops, bottoms, _, _ = zip(*chars, strict=True)
    if glyphs:
        _, x0s, x1s, _, _, sizes, _ = zip(*glyphs, strict=True)
        size = _median(list(sizes))
    else:
        size = 0.0
    return _Line(
        text=_clean(_chars_text(chars)),
        x0=min(x0s),
        x1=max(x1s),
        top=min(tops),
        bottom=max(bottoms),
        size=round(size * 2) / 2,
        line=number,
        chars=tuple(chars),
    )


def _with_segments(line: _Line) -> _Line:
    """The line with its :attr:`_Line.segments` read from its glyphs, at its median font size."""
    glyphs = [c for c in line.chars if not c.text.isspace()]
    size = _median([c.size for c in glyphs]) if glyphs else 0.0
    return attrs.evolve(line, segments=_segments(glyphs, size, line.text if len(glyphs) == len(line.chars) else None))


def _median(values: list[float]) -> float:
    """:func:`statistics.median` of a non-empty list (the same arithmetic, without its
    generic conversions)."""
    values.sort()
    n = len(values)
    i = n // 2
    return values[i] if n % 2 else (values[i - 1] + values[i]) / 2


def _segments(chars: Sequence[Char], size: float, text: str | None = None) -> tuple[_Segment, ...]:
    """Runs of glyphs separated by gaps of at least :data:`_CELL_GAP_EM` of the font size.
    ``text``, when given, is ``_clean(_chars_text(chars))`` (the line's text when the line has
    no blank glyph): the text of a single run.

    After a character whose width is an estimate, the gap is known only within the widths it
    may have (:func:`_width_range`): when the cut depends on which, the line is cut there and
    both runs are marked (:data:`_MARK`), so that neither reads as a figure it may not be.
    """
    threshold = _CELL_GAP_EM * max(size, 1.0)
    runs: list[list[Char]] = []
    marked: set[int] = set()
    for char in chars:
        if runs:
            before = runs[-1][-1]
            cut = char.x0 - before.x1 >= threshold
            if before.estimated:
                narrow, wide = _width_range(before)
                if (char.x0 - before.x0 - wide >= threshold) != (char.x0 - before.x0 - narrow >= threshold):
                    cut = True
                    marked.update((len(runs) - 1, len(runs)))
            if not cut:
                runs[-1].append(char)
                continue
        runs.append([char])
    if text is not None and len(runs) == 1:  # one run (so not marked): the whole text
        return (_Segment(text=text, x0=runs[0][0].x0, x1=runs[0][-1].x1),)
    return tuple(
        _Segment(
            text=_clean(_chars_text(run)) + (_MARK if i in marked else ""),
            x0=run[0].x0,
            x1=run[-1].x1,
            ambiguous=i in marked,
        )
        for i, run in enumerate(runs)
    )


def _width_range(char: Char) -> tuple[float, float]:
    """The narrowest and widest a character whose width is estimated may be (points)."""
    narrow, wide = _WIDE_WIDTHS if unicodedata.east_asian_width(char.text[:1] or " ") in ("W", "F") else _NARROW_WIDTHS
    return narrow * char.size, wide * char.size


def _is_page_number(line: _Line, height: float) -> bool:
    """A page-number line: ``- 4 -``, ``第4页`` anywhere, or a bare number in the top or
    bottom tenth of the page (a footer or header)."""
    if is_page_number(line.text):
        return True
    in_margin = line.top > height * 0.9 or line.bottom < height * 0.1
    text = line.text.strip()
    return in_margin and 1 <= len(text) <= 4 and text.isdigit() and text.isascii()


# ---------------------------------------------------------------------------------------
# Ruled tables: cells from the drawn segments
# ---------------------------------------------------------------------------------------


@attrs.define
class _CellBudget:
    """Grid positions examined for ruled tables in the whole document, against ``Limits.cells``."""

    limit: int
    spent: int = 0

    def spend(self, n: int, page: int) -> None:
        self.spent += n
        if self.spent > self.limit:
            raise limit_error("cells", self.spent, self.limit, location=Location(page=page))


@attrs.frozen(kw_only=True)
class _FoundTable:
    """A table found from ruling lines: its cells' boxes ``(x0, top, x1, bottom)``, sorted by
    top then x0; the band's grid lines; and which cell covers each grid square."""

    cells: tuple[tuple[float, float, float, float], ...]
    xs: tuple[float, ...]
    ys: tuple[float, ...]
    squares: dict[tuple[int, int], int] = attrs.field(eq=False)
    """``(column, row)`` of a grid square → index in :attr:`cells`."""
    clipped: tuple[tuple[float, float, float], ...] = ()
    """The table's left or right sides that no line draws, added by :func:`_open_ends` (a
    table the page's edge clipped): ``(x, top, bottom)``."""

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (
            min(c[0] for c in self.cells),
            min(c[1] for c in self.cells),
            max(c[2] for c in self.cells),
            max(c[3] for c in self.cells),
        )

    def cell_at(self, x: float, y: float) -> int | None:
        """The cell containing the point (left and top sides included, right and bottom not)."""
        i = bisect.bisect_right(self.xs, x) - 1
        j = bisect.bisect_right(self.ys, y) - 1
        return self.squares.get((i, j))


def _snap(segments: Sequence[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """Segments whose positions are within :data:`_SNAP` of each other (chained over the
    sorted distinct positions) moved to their mean position."""
    ordered = sorted(segments)
    out: list[tuple[float, float, float]] = []
    i = 0
    while i < len(ordered):
        j = i + 1
        while j < len(ordered) and ordered[j][0] <= ordered[j - 1][0] + _SNAP:
            j += 1
        group = ordered[i:j]
        mean = sum(s[0] for s in group) / len(group)
        out += [(mean, s[1], s[2]) for s in group]
        i = j
    return out


def _merge(segments: Sequence[tuple[float, float, float]]) -> dict[float, list[tuple[float, float]]]:
    """Per position, the collinear segments joined where they overlap or nearly touch
    (within :data:`_JOIN`), sorted; pieces shorter than :data:`_MIN_SEGMENT` dropped."""
    by_position: dict[float, list[tuple[float, float]]] = {}
    for position, start, end in _snap([s for s in segments if s[2] - s[1] >= 1.0]):
        by_position.setdefault(position, []).append((start, end))
    merged: dict[float, list[tuple[float, float]]] = {}
    for position, pieces in by_position.items():
        pieces.sort()
        joined = [pieces[0]]
        for start, end in pieces[1:]:
            last_start, last_end = joined[-1]
            if start <= last_end + _JOIN:
                if end > last_end:
                    joined[-1] = (last_start, end)
            else:
                joined.append((start, end))
        kept = [piece for piece in joined if piece[1] - piece[0] >= _MIN_SEGMENT]
        if kept:
            merged[position] = kept
    return merged


_OPEN_GAP = 2 * _TOUCH
"""An open end (:func:`_open_ends`) is at least this far (points) from the next line its lines
meet: a line overshooting a table's border by a little leaves no open row."""
_CLIPPED = 1.0
"""A character starting at most this far (points) past an open end's added line is text of
the cell the page's edge clipped (a browser paints the rest of a cell's line into the margin);
text further away (a browser's page header, 3 points above the table) is not the cell's."""
_OPEN_SEARCH = 32
"""An end is open when one of this many lines across next to it (inward) meets its line."""
_MAX_OPEN_ENDS = 64
"""At most this many open ends are closed on one page (a page of tables has a few; more is a
drawing, not a table's cut or clipped side): beyond it, none is."""


def _open_ends(
    horizontal: dict[float, list[tuple[float, float]]],
    vertical: dict[float, list[tuple[float, float]]],
    chars: Sequence[Char],
) -> tuple[list[tuple[float, float, float]], list[tuple[float, float, float]]]:
    """The sides a ruled table leaves open, as ``(horizontal, vertical)`` segments to add.

    A browser printing a table over two pages draws the border two rows share once, with the
    row above the break: the part on the next page has no top line, and a cell spanning
    rows across the break has no bottom line on the first page.  A table wider than the
    printed page is clipped at the page's edge: its last column has no right side.  In each
    case at least two lines of a grid end at one position (within :data:`_SNAP`, chained)
    where no line crosses them, and each meets the grid's next line inward (at least
    :data:`_OPEN_GAP` away).  Those ends are joined by a segment, which runs on to the next
    closed end on either side (closing a cell between an open and a closed end), and is
    moved outward over the characters it cuts (a line of text the page's edge clips belongs
    to the cell it starts in).  Log-linear in the segments and characters.
    """
    found_h = _joined_ends(vertical, horizontal)
    found_v = _joined_ends(horizontal, vertical)
    if len(found_h) + len(found_v) > _MAX_OPEN_ENDS:
        return [], []
    by_top = sorted(((c.top + c.bottom) / 2, c.x0, c.x1, c.top, c.bottom) for c in chars)
    by_x = sorted(((c.x0 + c.x1) / 2, c.top, c.bottom, c.x0, c.x1) for c in chars)
    added_h = [[_past_cut(by_top, at, low, high, way, side=False), low, high, way] for at, low, high, way in found_h]
    added_v = [[_past_cut(by_x, at, low, high, way, side=True), low, high, way] for at, low, high, way in found_v]
    # a table both cut by the page break and clipped at the page's side: the two added lines
    # meet at the corner (the row the break cuts has no bottom line and no right side)
    for h in added_h:
        for v in added_v:
            x_end, y_end = (h[2] if v[3] > 0 else h[1]), (v[2] if h[3] > 0 else v[1])
            if (
                (v[0] - x_end) * v[3] > _TOUCH
                and (h[0] - y_end) * h[3] > _TOUCH
                and _runs(horizontal, y_end, x_end, v[0])
                and _runs(vertical, x_end, y_end, h[0])
            ):
                h[1], h[2] = min(h[1], v[0]), max(h[2], v[0])
                v[1], v[2] = min(v[1], h[0]), max(v[2], h[0])
    return [(h[0], h[1], h[2]) for h in added_h], [(v[0], v[1], v[2]) for v in added_v]


def _runs(lines: dict[float, list[tuple[float, float]]], at: float, start: float, end: float) -> bool:
    """Whether a line of ``lines`` within :data:`_TOUCH` of position ``at`` runs from ``start``
    to ``end`` (either order; within :data:`_TOUCH` at each end)."""
    low, high = min(start, end), max(start, end)
    for position in (p for p in lines if abs(p - at) <= _TOUCH):
        pieces = lines[position]
        k = bisect.bisect_right(pieces, (low + _TOUCH, math.inf)) - 1
        if k >= 0 and pieces[k][1] >= high - _TOUCH:
            return True
    return False


def _past_cut(
    chars: Sequence[tuple[float, float, float, float, float]],
    at: float,
    low: float,
    high: float,
    outward: int,
    *,
    side: bool,
) -> float:
    """Where an added line at ``at`` (over ``low..high`` across) goes so that it cuts no
    text off the cells it closes (``chars``: ``(centre, low, high, start, end)`` along the
    line's normal, sorted by centre): it is moved ``outward`` (+1 or -1) to the far side of

    * for a table's ``side`` (a vertical line: a table the page's edge clipped), every
      character past it beside the lines it closes: text the page's edge hides is still the
      table's (each cell it lands in is then read, or reported, as for any cell);
    * for a top or bottom line (a page break), a character starting at most
      :data:`_CLIPPED` past it (a line of the cell the break cuts, painted into the margin),
      not a page header or footer further away.
    """
    reach = at
    if outward > 0:
        k = bisect.bisect_right(chars, (at, math.inf))
        stop = math.inf if side else at + 4 * _OPEN_GAP
        while k < len(chars) and chars[k][0] <= stop:
            _, lo, hi, start, end = chars[k]
            if (side or start <= at + _CLIPPED) and low <= (lo + hi) / 2 <= high:
                reach = max(reach, end)
            k += 1
    else:
        k = bisect.bisect_left(chars, (at, -math.inf)) - 1
        stop = -math.inf if side else at - 4 * _OPEN_GAP
        while k >= 0 and chars[k][0] >= stop:
            _, lo, hi, start, end = chars[k]
            if (side or end >= at - _CLIPPED) and low <= (lo + hi) / 2 <= high:
                reach = min(reach, start)
            k -= 1
    return reach


def _joined_ends(
    lines: dict[float, list[tuple[float, float]]], across: dict[float, list[tuple[float, float]]]
) -> list[tuple[float, float, float, int]]:
    """For the lines of one direction (``lines``: position → pieces), the segments of the other
    direction joining their open ends (see :func:`_open_ends`) as ``(position, low, high,
    outward)``; ``across`` are the lines of the other direction."""
    positions = sorted(across)
    # each end of each piece: (where it is along the piece's direction, the piece's
    # position, whether a line across it closes it, +1 for a start and -1 for an end)
    ends: list[tuple[float, float, bool, int]] = []
    for position, pieces in lines.items():
        for start, end in pieces:
            for at, inward in ((start, 1), (end, -1)):
                if _crosses(across, positions, at, at, position):
                    ends.append((at, position, True, inward))
                    continue
                # open: a line across it inward meets it (one of the next _OPEN_SEARCH),
                # none within _OPEN_GAP of the end (a line overshooting a border by a
                # little leaves no open row)
                if inward > 0:
                    k, stop = bisect.bisect_right(positions, at + _TOUCH), min(end, at + _OPEN_GAP)
                    if k < len(positions) and positions[k] < stop:
                        continue
                    nearby = positions[k : k + _OPEN_SEARCH]
                else:
                    k, stop = bisect.bisect_left(positions, at - _TOUCH), max(start, at - _OPEN_GAP)
                    if k > 0 and positions[k - 1] > stop:
                        continue
                    nearby = positions[max(k - _OPEN_SEARCH, 0) : k][::-1]
                for line in nearby:
                    if not start - _TOUCH <= line <= end + _TOUCH:
                        break
                    if _crosses(across, positions, line, line, position):
                        ends.append((at, position, False, inward))
                        break
    added: list[tuple[float, float, float, int]] = []
    for inward in (1, -1):
        side = sorted((at, position, closed) for at, position, closed, way in ends if way == inward)
        i = 0
        while i < len(side):
            j = i + 1
            while j < len(side) and side[j][0] <= side[j - 1][0] + _SNAP:
                j += 1
            group = sorted(side[i:j], key=operator.itemgetter(1))
            i = j
            open_at = [k for k, e in enumerate(group) if not e[2]]
            if len(open_at) < 2:
                continue
            first, last = max(open_at[0] - 1, 0), min(open_at[-1] + 1, len(group) - 1)
            at = max(e[0] for e in group) if inward < 0 else min(e[0] for e in group)
            added.append((at, group[first][1], group[last][1], -inward))
    return added


def _crosses(
    across: dict[float, list[tuple[float, float]]], positions: Sequence[float], low: float, high: float, at: float
) -> bool:
    """Whether a line of ``across`` (positions sorted in ``positions``) at a position within
    ``low..high`` (widened by :data:`_TOUCH`) runs over ``at`` (within :data:`_TOUCH`)."""
    k = bisect.bisect_left(positions, low - _TOUCH)
    while k < len(positions) and positions[k] <= high + _TOUCH:
        pieces = across[positions[k]]
        m = bisect.bisect_right(pieces, (at + _TOUCH, math.inf)) - 1
        if m >= 0 and pieces[m][1] >= at - _TOUCH:
            return True
        k += 1
    return False


def _covered(pieces: Sequence[tuple[float, float]], bounds: Sequence[float]) -> list[bool]:
    """For each interval ``bounds[i]..bounds[i+1]``, whether one of the sorted, disjoint
    ``pieces`` runs over it (each end within :data:`_TOUCH`): one sweep."""
    out = []
    k = 0
    for i in range(len(bounds) - 1):
        low, high = bounds[i], bounds[i + 1]
        while k < len(pieces) and pieces[k][1] < high - _TOUCH:
            k += 1
        out.append(k < len(pieces) and pieces[k][0] <= low + _TOUCH)
    return out


def _ruled_tables(page: PageContent, budget: _CellBudget) -> list[_FoundTable]:
    """The tables drawn with ruling lines on a page, top to bottom.

    1. The horizontal and vertical segments are snapped to common positions and joined where
       collinear (sorting and one sweep each).
    2. The page is cut into *bands*: the spans of the vertical lines on the y axis, joined
       where they overlap; each band holds the horizontal lines at its heights.
    3. In a band, the distinct x of its vertical lines and y of its horizontal lines make a
       grid.  For each side of each grid square, whether a line is drawn there is found by
       sweeping the sorted segments; squares not separated by a drawn side are one cell (a
       union-find).  A cell must be a rectangle closed on every side.
    4. Cells that share a corner are one table; a table of one cell is a frame, not a table.

    The work is the number of segments (log-linear) plus the number of grid squares, which
    are counted against ``Limits.cells`` before they are examined.
    """
    horizontal = _merge(page.horizontal)
    vertical = _merge(page.vertical)
    if not horizontal or not vertical:
        return []
    add_horizontal, add_vertical = _open_ends(horizontal, vertical, page.chars)
    if add_horizontal or add_vertical:
        horizontal = _merge([*page.horizontal, *add_horizontal])
        vertical = _merge([*page.vertical, *add_vertical])
    # bands: unions of the vertical lines' spans (plus the touch tolerance)
    spans = sorted((start - _TOUCH, end + _TOUCH, x) for x, pieces in vertical.items() for start, end in pieces)
    bands: list[tuple[float, float, set[float]]] = []
    for start, end, x in spans:
        if bands and start <= bands[-1][1]:
            low, high, members = bands[-1]
            members.add(x)
            bands[-1] = (low, max(high, end), members)
        else:
            bands.append((start, end, {x}))
    band_tops = [band[0] for band in bands]
    band_ys: list[list[float]] = [[] for _ in bands]
    for y in horizontal:
        i = bisect.bisect_right(band_tops, y) - 1
        if i >= 0 and y <= bands[i][1]:
            band_ys[i].append(y)
    found: list[_FoundTable] = []
    for (_, _, band_xs), band_y in zip(bands, band_ys, strict=True):
        xs, ys = sorted(band_xs), sorted(band_y)
        if len(xs) < 2 or len(ys) < 2:
            continue
        budget.spend((len(xs) - 1) * (len(ys) - 1), page.number)
        found += _band_tables(xs, ys, horizontal, vertical)
    if add_vertical:
        found = [_with_clipped_sides(table, add_vertical) for table in found]
    return sorted(found, key=lambda t: (t.cells[0][1], t.cells[0][0]))


def _with_clipped_sides(table: _FoundTable, sides: Sequence[tuple[float, float, float]]) -> _FoundTable:
    """The table with the added sides (:func:`_open_ends`) that are its left or right side."""
    x0, top, x1, bottom = table.bbox
    own = tuple(
        side
        for side in sides
        if min(abs(side[0] - x0), abs(side[0] - x1)) <= _SNAP and side[1] < bottom - _TOUCH and side[2] > top + _TOUCH
    )
    return attrs.evolve(table, clipped=own) if own else table


def _band_tables(
    xs: list[float],
    ys: list[float],
    horizontal: dict[float, list[tuple[float, float]]],
    vertical: dict[float, list[tuple[float, float]]],
) -> list[_FoundTable]:
    """The tables of one band, from its grid (see :func:`_ruled_tables`)."""
    # across[j][i]: the top side of square (row j, col i) (j == n_rows: the bottom of the last row)
    across = [_covered(horizontal.get(y, []), xs) for y in ys]
    # down[i][j]: the left side of square (row j, col i) (i == n_cols: the right of the last col)
    down = [_covered(vertical.get(x, []), ys) for x in xs]
    groups = cell_groups(across, down)
    tables = []
    for group in groups:
        if len(group) < 2:
            continue
        group.sort(key=lambda g: (ys[g[1]], xs[g[0]]))
        at = {(i, j): n for n, (c0, r0, c1, r1) in enumerate(group) for i in range(c0, c1) for j in range(r0, r1)}
        boxes = tuple((xs[c0], ys[r0], xs[c1], ys[r1]) for c0, r0, c1, r1 in group)
        tables.append(_FoundTable(cells=boxes, xs=tuple(xs), ys=tuple(ys), squares=at))
    return tables


def _cells_chars(table: _FoundTable, chars: Sequence[Char]) -> tuple[list[list[Char]], list[Char]]:
    """For each cell of the table, the characters whose centre lies inside it; and the
    characters that might belong to either of two cells.

    The centre of a character whose width is an estimate is known only within the widths it
    may have (:func:`_width_range`).  When its origin and every centre it may have are in one
    cell, it is that cell's; when they are in different cells, it is put in each of them as
    :data:`_MARK`, so that none of them reads as a figure it may not be.
    """
    inside: list[list[Char]] = [[] for _ in table.cells]
    ambiguous = []
    xs, ys, squares = table.xs, table.ys, table.squares
    left, right, top, bottom = xs[0], xs[-1], ys[0], ys[-1]
    bisect_right = bisect.bisect_right
    for char in chars:
        y = (char.top + char.bottom) / 2
        if char.estimated:
            narrow, wide = _width_range(char)
            candidates = {table.cell_at(char.x0 + dx, y) for dx in (0.01, narrow / 2, wide / 2)}
            if len(candidates) > 1:
                ambiguous.append(char)
                for n in candidates - {None}:
                    assert n is not None
                    inside[n].append(char._replace(text=_MARK))
                continue
            n = candidates.pop()
            if n is not None:
                inside[n].append(char)
            continue
        # table.cell_at(centre), inline: a centre off the grid is in no cell
        x = (char.x0 + char.x1) / 2
        if top <= y < bottom and left <= x < right:
            n = squares.get((bisect_right(xs, x) - 1, bisect_right(ys, y) - 1))
            if n is not None:
                inside[n].append(char)
    return inside, ambiguous


def _cell_text(chars: Sequence[Char]) -> str:
    """A cell's text: its printed lines, each rebuilt from its glyphs, wrapped lines joined."""
    if not chars:
        return ""
    tops = [char.top for char in chars]
    if not max(tops) > min(tops) + _LINE_TOLERANCE:
        # one printed line (most cells; _text_lines would find no gap between two tops), and
        # the join of one line is that line, cleaned
        line = _trimmed(sorted(chars, key=_X0))
        return "" if line is None else _clean(_chars_text(line))
    return _join_lines(_chars_text(line) for line in _text_lines(chars))


_DIGIT_CHARS = frozenset(DIGITS)
_STRADDLE = 0.25
"""A digit whose box reaches this share of its width or more past a cell's side, on either
side of it, is printed across the line (:func:`_cut_figures`)."""
_TOUCHING = 0.2
"""Two digits of one printed line at most this share of their font size apart are one
figure (:func:`_cut_figures`)."""
_BESIDE = 0.5
"""A digit beside a table, at most this share of its font size from the table's side, may
be the figure of the cell against that side (:func:`_cut_figures`)."""


def _cut_figures(table: _FoundTable, chars: Sequence[Char]) -> list[tuple[Char, set[int]]]:
    """The digits printed across one of the table's ruling lines, each with the cells on
    either side of the line (those in the table): a digit whose box reaches well into two
    cells (or past the table's side), two touching digits of one figure that lie in two
    cells (or one in a cell, one beside the table), or a digit just beside the table, against
    the side of the cell of its line.  A page whose table was drawn narrower
    than its text (a converter that shifts a nested table, a clipped column) prints ``37``
    with the ``3`` in the total column and the ``7`` past its right side, or a ``1`` on the
    line itself: read by their centres, those are ``3`` and a blank, wrong figures.  Their
    cells are left unread instead."""
    top, bottom = table.ys[0], table.ys[-1]
    digits = [c for c in chars if c.text in _DIGIT_CHARS and not c.estimated and top <= (c.top + c.bottom) / 2 < bottom]
    if not digits:
        return []
    out: list[tuple[Char, set[int]]] = []
    cell_at = table.cell_at
    left, right = table.xs[0], table.xs[-1]
    for char in digits:
        y = (char.top + char.bottom) / 2
        reach = (char.x1 - char.x0) * _STRADDLE
        sides = {cell_at(char.x0 + reach, y), cell_at(char.x1 - reach, y)}
        if len(sides) > 1:
            out.append((char, {n for n in sides if n is not None}))
            continue
        # beside the table, against its side: the figure of the cell there, drawn past it
        centre = (char.x0 + char.x1) / 2
        edge = None
        if centre < left and left - char.x1 <= _BESIDE * char.size:
            edge = cell_at(left + 0.01, y)
        elif centre >= right and char.x0 - right <= _BESIDE * char.size:
            edge = cell_at(right - 0.01, y)
        if edge is not None:
            out.append((char, {edge}))
    digits.sort(key=lambda c: (c.top, c.x0))
    for a, b in itertools.pairwise(digits):
        size = max(a.size, b.size, 1.0)
        if abs(a.top - b.top) > 0.3 * size or not -_TOUCHING * size <= b.x0 - a.x1 <= _TOUCHING * size:
            continue
        y = (a.top + a.bottom) / 2
        sides = {cell_at((a.x0 + a.x1) / 2, y), cell_at((b.x0 + b.x1) / 2, y)}
        if len(sides) > 1:
            out.append((a, {n for n in sides if n is not None}))
    return out


def _table(
    page: int, found: _FoundTable, chars: Sequence[Char], line_at: Callable[[float], int | None]
) -> _Table | None:
    cells = []
    per_cell, ambiguous = _cells_chars(found, chars)
    cut = _cut_figures(found, chars)
    for char, sides in cut:
        for n in sides:
            per_cell[n].append(char._replace(text=_MARK))
    clipped = set(_clipped_cells(found, per_cell))
    for n, ((x0, top, x1, bottom), inside) in enumerate(zip(found.cells, per_cell, strict=True)):
        value = _cell_text(inside)
        line = line_at(top) if value or n in clipped else None
        cells.append(_Cell(x0=x0, x1=x1, top=top, bottom=bottom, text=value, line=line, clipped=n in clipped))
    columns = _edges(edge for c in cells for edge in (c.x0, c.x1))
    if len(columns) < 3 or not any(c.text for c in cells):
        return None  # a frame around prose, not a table
    x0, top, x1, bottom = found.bbox
    return _Table(
        page=page,
        x0=x0,
        x1=x1,
        top=top,
        bottom=bottom,
        cells=tuple(cells),
        ambiguous=tuple(line_at(char.top) for char in ambiguous),
        cut=tuple(line_at(char.top) for char, _ in cut),
        clipped=tuple(line_at(found.cells[n][1]) for n in sorted(clipped)),
    )


def _clipped_cells(found: _FoundTable, per_cell: Sequence[Sequence[Char]]) -> list[int]:
    """The cells at a side of the table the page's edge clipped (:attr:`_FoundTable.clipped`)
    that may hold a value (empty, a digit, no ideograph, a placeholder such as ``无``): what
    they hold may go on past the edge, where the page prints nothing (a browser drops the
    glyphs past it, and clips text sooner than the table's lines: ``78659`` prints as
    ``786``, ``——`` as ``—``, with the lines running on), so none of them is read.  A cell
    holding words and no digit (a label, a header) is read as printed.  A table drawn without
    its outer sides by design cannot be told from a clipped one: its cells at those sides
    are left unread too (reported, never a wrong figure)."""
    out = []
    for n, (x0, top, x1, bottom) in enumerate(found.cells):
        for x, low, high in found.clipped:
            if low > bottom - _TOUCH or high < top + _TOUCH:
                continue
            if min(abs(x1 - x), abs(x0 - x)) > _SNAP:
                continue
            text = "".join(c.text for c in per_cell[n] if not c.text.isspace())
            if _IDEOGRAPH_RE.search(text) is None or any(d in text for d in DIGITS) or text in PLACEHOLDER_GLYPHS:
                out.append(n)
                break
    return out


# ---------------------------------------------------------------------------------------
# Text clean-up
# ---------------------------------------------------------------------------------------


def _clean(text: str) -> str:
    """One printed line: spaces between two CJK characters (justification) removed."""
    return _CJK_SPACE_RE.sub("", text).strip()


def _join_lines(lines: Iterable[str]) -> str:
    """Wrapped lines joined: directly, or with a space between two ASCII words.

    A figure wrapped in a narrow cell (``0.0001`` / ``99万`` / ``元``) is joined directly.
    """
    cleaned = [line for line in (_clean(raw) for raw in lines) if line]
    if _is_number("".join(cleaned)):
        return "".join(cleaned)
    out = ""
    for line in cleaned:
        if out and _ASCII_WORD_END.search(out) and _ASCII_WORD_START.match(line) and not _is_number(out + line):
            out += " "
        out += line
    return out


def _is_number(text: str) -> bool:
    """Whether the text is one figure (digits, separators, a unit), white space around."""
    return _NUMBER_RE.fullmatch(text.strip()) is not None


# ---------------------------------------------------------------------------------------
# Grids: cells placed on the borders' grid lines, tables joined over page breaks
# ---------------------------------------------------------------------------------------


def _edges(values: Iterable[float]) -> list[float]:
    """Distinct grid lines: values within the tolerance of each other are one line."""
    edges: list[float] = []
    for value in sorted(values):
        if edges and value - edges[-1] <= _EDGE_TOLERANCE:
            continue
        edges.append(value)
    return edges


def _index(edges: Sequence[float], value: float) -> int:
    """The index of the sorted ``edges`` nearest ``value`` (the lower of two as near)."""
    i = bisect.bisect_left(edges, value)
    if i == len(edges) or (i > 0 and abs(edges[i - 1] - value) <= abs(edges[i] - value)):
        i -= 1
    return i


@attrs.define
class _Placed:
    row: int
    col: int
    rowspan: int
    colspan: int
    text: str
    location: Location
    clipped: bool = False


def _place(parts: Sequence[_Table]) -> list[list[_Placed]]:
    """Each part's cells on shared column lines and the part's own row lines."""
    columns = _edges(edge for part in parts for c in part.cells for edge in (c.x0, c.x1))
    # each distinct x's nearest column line, found once (cells share their edges)
    column_of = {x: _index(columns, x) for x in {x for part in parts for c in part.cells for x in (c.x0, c.x1)}}
    placed_parts = []
    for part in parts:
        rows = _edges(edge for c in part.cells for edge in (c.top, c.bottom))
        row_of = {y: _index(rows, y) for y in {y for c in part.cells for y in (c.top, c.bottom)}}
        placed = []
        for c in part.cells:
            row, col = row_of[c.top], column_of[c.x0]
            rowspan = max(1, row_of[c.bottom] - row)
            colspan = max(1, column_of[c.x1] - col)
            location = Location(page=part.page, line=c.line)
            placed.append(
                _Placed(
                    row=row,
                    col=col,
                    rowspan=rowspan,
                    colspan=colspan,
                    text=c.text,
                    location=location,
                    clipped=c.clipped,
                )
            )
        placed_parts.append(placed)
    return placed_parts


def _row_texts(cells: Sequence[_Placed], row: int) -> tuple[tuple[int, int, str], ...]:
    return tuple(sorted((c.col, c.colspan, "".join(c.text.split())) for c in cells if c.row == row))


def _grid(parts: Sequence[_Table]) -> Grid:
    """One grid from a table printed over one or more pages."""
    placed_parts = _place(parts)
    cells = list(placed_parts[0])
    for part in placed_parts[1:]:
        cells = _append_part(cells, part)
    grid_cells = [
        GridCell(
            row=c.row,
            col=c.col,
            rowspan=c.rowspan,
            colspan=c.colspan,
            text=_MARK if c.clipped else c.text,
            header=False,
            location=c.location,
        )
        for c in sorted(cells, key=lambda c: (c.row, c.col))
    ]
    first = parts[0]
    grid = Grid.from_cells(grid_cells, location=Location(page=first.page, line=_first_line(first)))
    # its cells are the boxes drawn: a row with too few of them lost a column (a table
    # clipped at the page's edge), not the separators between figures
    return attrs.evolve(grid, hard_cells=True)


def _first_line(table: _Table) -> int | None:
    lines = [c.line for c in table.cells if c.line is not None]
    return min(lines) if lines else None


def _append_part(cells: list[_Placed], part: list[_Placed]) -> list[_Placed]:
    """``part`` (a table's continuation on the next page) appended below ``cells``."""
    part = [attrs.evolve(c) for c in part]
    # Repeated header rows: the continuation starts with the same rows as the table.
    n_part_rows = max((c.row + c.rowspan for c in part), default=0)
    repeated = 0
    while repeated < n_part_rows and _row_texts(part, repeated) == _row_texts(cells, repeated):
        if not any(t for _, _, t in _row_texts(part, repeated)):
            break
        repeated += 1
    if repeated:
        part = [c for c in part if c.row >= repeated]
        for c in part:
            c.row -= repeated
    offset = max((c.row + c.rowspan for c in cells), default=0)
    last = offset - 1
    label_end = min((c.col for c in (*cells, *part) if c.text and _is_number(c.text)), default=0)
    ending = {(c.col, c.colspan): c for c in cells if c.row + c.rowspan - 1 == last}
    starting = [c for c in part if c.row == 0]
    merged_row = _merge_split_row(ending, starting)
    # A header row ending the page (信息内容 | 上一年项目数量 | …: words over the figure
    # columns) is whole: the label starting the next page is a row of its own.
    header_above = label_end > 0 and any(
        c.col >= label_end and c.text and not _is_number(c.text) for c in ending.values()
    )
    # two rows each with figures are two rows: the label starting the next page is its own
    # (行政处罚 | 46787 ending a page, 行政强制 | 837 starting the next), only a group's
    # label spanning both continues
    both_figures = any(_is_number(c.text) for c in ending.values()) and any(_is_number(c.text) for c in starting)
    kept = []
    for c in part:
        above = ending.get((c.col, c.colspan)) if c.row == 0 else None
        if above is not None and (
            merged_row
            or (
                not header_above
                and not (both_figures and c.col + c.colspan >= label_end)
                and _continues(above, c, label_end)
            )
        ):
            above.text = _join_lines([above.text, c.text])
            above.clipped = above.clipped or c.clipped
            above.rowspan += c.rowspan - (1 if merged_row else 0)
            continue
        c.row += offset - (1 if merged_row else 0)
        kept.append(c)
    return cells + kept


def _merge_split_row(ending: dict[tuple[int, int], _Placed], starting: Sequence[_Placed]) -> bool:
    """A row cut by the page break: same cells on both sides, one side without any figure."""
    if not ending or not starting:
        return False
    if {(c.col, c.colspan) for c in starting} != set(ending):
        return False
    # a group's cell spanning rows on either side continues empty on the next page (a
    # browser prints 三、本年度办理结果 once); every other cell is one row's
    for cell in starting:
        upper = ending[(cell.col, cell.colspan)]
        if (cell.rowspan != 1 or upper.rowspan != 1) and cell.text:
            return False
        if cell.text and _NEW_LABEL_RE.match(cell.text):
            return False  # a row of its own (3.其他), not the rest of the row above
    before = [c.text for c in ending.values()]
    after = [c.text for c in starting]
    no_figures_before = not any(_is_number(t) for t in before)
    no_figures_after = not any(_is_number(t) for t in after)
    has_text = any(after) and any(before)
    # A cell of a split row holds its figure on one side of the break and nothing on the
    # other; a header row above a row of figures (上一年项目数量 … above 156318 …) has text
    # over each figure: two rows, not one.
    for cell in starting:
        above = ending[(cell.col, cell.colspan)].text
        if (_is_number(cell.text) and above) or (_is_number(above) and cell.text):
            return False
    return has_text and (no_figures_before != no_figures_after)


def _continues(above: _Placed, below: _Placed, label_end: int) -> bool:
    """Whether a label cell at the top of a page continues the label cell above the break."""
    if below.col >= label_end or _is_number(above.text) or _is_number(below.text):
        return False
    if not below.text:
        return bool(above.text) or above.rowspan > 1
    return bool(above.text) and not _NEW_LABEL_RE.match(below.text)


# ---------------------------------------------------------------------------------------
# Reading order: paragraphs and grids
# ---------------------------------------------------------------------------------------


def _blocks(pages: Sequence[_Page]) -> tuple[list[Block], list[Location], list[Location], list[Location]]:
    """The paragraphs and grids in reading order; where a character of estimated width
    might belong to either of two cells (a ruled table's, or a borderless table's); where a
    figure is printed across a ruled table's line (:func:`_cut_figures`); and where a cell at
    a side the page's edge clipped may hide a figure (:func:`_clipped_cells`)."""
    items: list[tuple[_Page, _Line | _Table]] = []
    for page in pages:
        page_items: list[tuple[float, _Line | _Table]] = [(line.top, line) for line in page.prose]
        page_items += [(table.top, table) for table in page.tables]
        items += [(page, item) for _, item in sorted(page_items, key=lambda pair: pair[0])]
    has_tables = any(page.tables for page in pages)
    borderless = {} if has_tables else _borderless_tables(items)
    has_tables = has_tables or bool(borderless)
    in_tables = {i for start, (end, _) in borderless.items() for i in range(start, end)}
    ambiguous = [Location(page=page.number, line=line) for page in pages for t in page.tables for line in t.ambiguous]
    cut = [Location(page=page.number, line=line) for page in pages for t in page.tables for line in t.cut]
    clipped = [Location(page=page.number, line=line) for page in pages for t in page.tables for line in t.clipped]
    for i in sorted(in_tables):
        page, item = items[i]
        if isinstance(item, _Line) and any(seg.ambiguous for seg in item.segments):
            ambiguous.append(Location(page=page.number, line=item.line))
    body = _body_geometry([item for i, (_, item) in enumerate(items) if isinstance(item, _Line) and i not in in_tables])
    skip_to = -1
    blocks: list[Block] = []
    paragraph: list[tuple[_Page, _Line]] = []
    parts: list[_Table] = []

    def flush_paragraph() -> None:
        if paragraph:
            text = _join_lines(line.text for _, line in paragraph)
            page, first = paragraph[0]
            blocks.append(Paragraph(text=text, location=Location(page=page.number, line=first.line)))
            paragraph.clear()

    def flush_table() -> None:
        if parts:
            blocks.append(_grid(parts))
            parts.clear()

    for index, (page, item) in enumerate(items):
        if index < skip_to:
            continue
        if index in borderless:
            flush_paragraph()
            skip_to, grid = borderless[index]
            blocks.append(grid)
            continue
        if isinstance(item, _Table):
            flush_paragraph()
            if parts and not _continues_table(parts[-1], item):
                flush_table()
            parts.append(item)
            continue
        flush_table()
        if paragraph and (not has_tables or _starts_paragraph(paragraph[-1], (page, item), body)):
            flush_paragraph()
        paragraph.append((page, item))
    flush_paragraph()
    flush_table()
    return blocks, ambiguous, cut, clipped


@attrs.frozen(kw_only=True)
class _Body:
    left: float
    right: float
    size: float
    char: float
    indented: bool
    """Whether the body text marks paragraphs with a first-line indent (two characters)."""


def _body_geometry(lines: Sequence[_Line]) -> _Body:
    if not lines:
        return _Body(left=0.0, right=0.0, size=0.0, char=1.0, indented=False)
    size = statistics.mode(line.size for line in lines)
    body = [line for line in lines if abs(line.size - size) <= 0.6] or list(lines)
    # the left margin: the leftmost start shared by two lines or more (wrapped lines, headings)
    starts = collections.Counter(round(line.x0) for line in body)
    left = min((x for x, n in starts.items() if n >= 2), default=min(starts))
    right = max(line.x1 for line in body)
    char = max(size, 1.0)
    indents = sum(1 for line in body if 1.5 * char <= line.x0 - left <= 2.5 * char and not _HEADING_RE.match(line.text))
    return _Body(left=float(left), right=float(right), size=size, char=char, indented=indents >= 2)


def _starts_paragraph(previous: tuple[_Page, _Line], current: tuple[_Page, _Line], body: _Body) -> bool:
    """Whether ``current`` starts a new paragraph after ``previous``."""
    _, before = previous
    _, line = current
    if abs(line.size - before.size) > 0.6:
        return True
    if line.size > body.size + 0.6:  # a title over several lines
        return False
    if _HEADING_RE.match(line.text) or (_HEADING_RE.match(before.text) and before.x1 < body.right - 2 * body.char):
        return True
    if line.x0 > body.left + 0.8 * body.char:  # first-line indent
        return True
    shortfall = (body.right - before.x1) / body.char
    if shortfall <= 1.5:  # the line before runs to the right margin: the paragraph goes on
        return False
    # The line before ended short: a paragraph ends there — unless paragraphs start indented,
    # this line is not, and the line before was only cut a little short by line-breaking rules
    # (no opening bracket or quote at a line end, no number split).
    cut_by_line_breaking = body.indented and shortfall <= _KINSOKU_CHARS and not before.text.endswith(_SENTENCE_ENDS)
    return not cut_by_line_breaking


def _continues_table(previous: _Table, table: _Table) -> bool:
    """A table at the top of the next page, as wide as the one ending the page before."""
    if table.page != previous.page + 1:
        return False
    overlap = min(previous.x1, table.x1) - max(previous.x0, table.x0)
    width = max(previous.x1 - previous.x0, table.x1 - table.x0)
    return width > 0 and overlap / width > 0.9


# ---------------------------------------------------------------------------------------
# Tables printed without ruling lines: rows and columns from word positions
# ---------------------------------------------------------------------------------------

NO_RULING = "tables without ruling lines were read from word positions"


def _is_figure(text: str) -> bool:
    """A figure, a placeholder glyph, or (marked, :data:`_MARK`) what may be part of one."""
    if _MARK in text:
        rest = text.replace(_MARK, "")
        return not rest.strip() or _is_figure(rest)
    return _is_number(text) or text in PLACEHOLDER_GLYPHS


@functools.cache
def _section_labels() -> dict[str, int]:
    """The normalised label of each section heading → its index in :data:`~opengov.layout.SECTIONS`
    (the first of two equal ones)."""
    labels: dict[str, int] = {}
    for i, section in enumerate(SECTIONS):
        labels.setdefault(normalize_label(section.label), i)
    return labels


def _section_index(text: str) -> int | None:
    """The index in :data:`~opengov.layout.SECTIONS` of a section heading line, if it is one."""
    return _section_labels().get(normalize_label(text))


@attrs.define
class _Label:
    x0: float
    text: str


@attrs.define
class _Row:
    labels: list[_Label]
    """The label cells, left to right."""
    figures: list[_Segment]
    location: Location
    block: int


def _borderless_tables(items: Sequence[tuple[_Page, _Line | _Table]]) -> dict[int, tuple[int, Grid]]:
    """Tables printed without ruling lines, rebuilt from the positions of their words.

    Each table section (``二、`` to ``四、``) of the report holds one table: its lines run from
    the section heading to the next heading.  A line whose last cells are figures (cut at wide
    gaps) is a row; the figures' x positions, clustered, are the columns; label lines between
    rows continue the label cell above them at the same x (a wrapped label) unless they start a
    new label; header lines (words over the figure columns, no figure) are dropped.  Returns
    ``{index of the first line: (index after the last line, grid)}``.
    """
    headings = [(i, _section_index(item.text)) for i, (_, item) in enumerate(items) if isinstance(item, _Line)]
    starts = [(i, n) for i, n in headings if n is not None]
    found: dict[int, tuple[int, Grid]] = {}
    for k, (start, section) in enumerate(starts):
        if SECTIONS[section].table is None:
            continue
        end = starts[k + 1][0] if k + 1 < len(starts) else len(items)
        lines = [(page, item) for page, item in items[start + 1 : end] if isinstance(item, _Line)]
        grid = _borderless_grid(lines)
        if grid is not None:
            found[start + 1] = (end, grid)
    return found


def _figures_of(line: _Line) -> list[_Segment] | None:
    """The figure cells ending a line (None unless every cell after the first figure is one)."""
    segments = line.segments
    first = next((i for i, seg in enumerate(segments) if _is_figure(seg.text)), None)
    if first is None or not all(_is_figure(seg.text) for seg in segments[first:]):
        return None
    return list(segments[first:])


def _borderless_grid(lines: Sequence[tuple[_Page, _Line]]) -> Grid | None:
    figure_lines = [(page, line, _figures_of(line)) for page, line in lines]
    all_figures = [seg for _, _, figs in figure_lines for seg in figs or []]
    if not all_figures:
        return None
    size = statistics.median(line.size for _, line in lines) or 1.0
    boundary = min(seg.x0 for seg in all_figures) - 0.5 * size
    columns = _columns(all_figures, size)
    rows: list[_Row] = []
    pending: list[_Label] = []
    block = 0
    for page, line, figures in figure_lines:
        location = Location(page=page.number, line=line.line)
        if figures is not None:
            labels = list(pending)
            for seg in line.segments[: len(line.segments) - len(figures)]:
                # a label centred on its row: its first line(s) came before the figures
                above = next((c for c in pending if abs(c.x0 - seg.x0) <= size), None)
                if above is not None and not _NEW_LABEL_RE.match(seg.text):
                    above.text = _join_lines([above.text, seg.text])
                else:
                    labels.append(_Label(x0=seg.x0, text=seg.text))
            rows.append(_Row(labels=labels, figures=figures, location=location, block=block))
            pending = []
            continue
        if any(seg.x0 >= boundary for seg in line.segments):  # a header line over the figures
            if rows and rows[-1].block == block:
                block += 1
            pending = []
            continue
        for seg in line.segments:
            target = _continued(seg, pending, rows, block, size)
            if target is None:
                pending.append(_Label(x0=seg.x0, text=seg.text))
            else:
                target.text = _join_lines([target.text, seg.text])
    if not rows:
        return None
    return _rows_grid(rows, *columns)


def _continued(seg: _Segment, pending: list[_Label], rows: list[_Row], block: int, size: float) -> _Label | None:
    """The label cell a label line continues: the nearest one above it at the same x."""
    if _NEW_LABEL_RE.match(seg.text):
        return None
    for cell in reversed(pending):
        if abs(cell.x0 - seg.x0) <= size:
            return cell
    if pending:
        return None
    for row in reversed(rows):
        if row.block != block:
            return None
        for cell in row.labels:
            if abs(cell.x0 - seg.x0) <= size:
                return cell
    return None


def _columns(figures: Sequence[_Segment], size: float) -> tuple[list[float], bool]:
    """Column positions: figures' left edges or centres, whichever clusters into fewer
    columns (left-aligned or centred figures); and whether they are centres."""

    def cluster(values: list[float]) -> list[float]:
        groups: list[list[float]] = []
        for value in sorted(values):
            if groups and value - groups[-1][-1] <= 0.8 * size:
                groups[-1].append(value)
            else:
                groups.append([value])
        return [statistics.mean(g) for g in groups]

    by_left = cluster([seg.x0 for seg in figures])
    by_centre = cluster([(seg.x0 + seg.x1) / 2 for seg in figures])
    return (by_left, False) if len(by_left) <= len(by_centre) else (by_centre, True)


def _rows_grid(rows: Sequence[_Row], columns: Sequence[float], centred: bool) -> Grid:
    """The grid: label cells right-aligned before the figure columns; each row gets a cell for
    every column its block (rows between two header lines) uses, empty where nothing is printed."""
    n_labels = max((len(row.labels) for row in rows), default=0)
    block_columns: dict[int, set[int]] = {}
    placed_rows = []
    for row in rows:
        placed = []
        for seg in row.figures:
            left = _index(columns, seg.x0)
            middle = _index(columns, (seg.x0 + seg.x1) / 2)
            placed.append((middle if centred else left, seg))
        block_columns.setdefault(row.block, set()).update(c for c, _ in placed)
        placed_rows.append(placed)
    cells: list[GridCell] = []
    for r, (row, placed) in enumerate(zip(rows, placed_rows, strict=True)):
        for i, label in enumerate(row.labels):
            cells.append(GridCell(row=r, col=n_labels - len(row.labels) + i, text=label.text, location=row.location))
        used = block_columns[row.block]
        texts = {c: seg.text for c, seg in placed}
        for c in range(min(used), max(used) + 1):
            cells.append(GridCell(row=r, col=n_labels + c, text=texts.get(c, ""), location=row.location))
    return Grid.from_cells(cells, location=rows[0].location)
