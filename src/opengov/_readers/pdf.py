"""PDF reports read through their text layer (optional extra ``opengov[pdf]``).

Most organs print the official Word template to PDF.  The text layer of such a file keeps
every character with its position, and the tables keep their drawn cell borders.  This
reader uses pdfplumber (MIT, on pdfminer.six; see ``docs/pdf.md`` for why) to

* find each table from its ruling lines (``page.find_tables()``, the *lines* strategy) and
  rebuild its cells with their real row and column spans from the cell borders;
* join a table that runs over a page break into one :class:`~opengov._grid.Grid` (repeated
  header rows are dropped, a label cell cut by the page break is joined again);
* read the prose outside the tables as :class:`~opengov._grid.Paragraph` objects in reading
  order, joining wrapped lines and dropping page-number lines such as ``- 4 -``;
* give every cell and paragraph a :class:`~opengov._errors.Location` with the page and the
  1-based line number within that page's text.

When a PDF has no ruled table at all, its text lines are handed on as paragraphs, one per
printed line, so the text path (space-separated cells) can read them.

Errors are :class:`~opengov._errors.ParseError` with a one-line reason — not a PDF, damaged,
encrypted, no text layer (a scan, which needs OCR first) — never a traceback from the PDF
library.
"""

from __future__ import annotations

import collections
import io
import re
import statistics
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from opengov._errors import Diagnostic, Location, ParseError, Severity
from opengov._grid import Block, Document, Grid, GridCell, Paragraph
from opengov.layout import PLACEHOLDER_GLYPHS, SECTIONS, normalize_label

__all__ = ["NAME", "detect", "read"]

NAME = "pdf"
"""The name of this input form."""

INSTALL_HINT = 'reading PDF files needs the optional extra: pip install "opengov[pdf]"'
NO_TEXT_LAYER = "the PDF has no text layer; it is probably a scan and needs OCR first"

_SIGNATURE = b"%PDF-"
_PAGE_NUMBER_RE = re.compile(
    r"^\s*(?:[-－—–‒_]+\s*\d{1,4}\s*[-－—–‒_]+|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4})\s*$"
)
_BARE_NUMBER_RE = re.compile(r"^\s*\d{1,4}\s*$")
_HEADING_RE = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\))")
_NEW_LABEL_RE = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+\s*[.、．,，])|^\s*第二十条"
)
_NUMBER_RE = re.compile(r"^\s*[-+－]?\s*[\d０-９][\d０-９,，.．\s]*(?:万元|元|件|个|项|次|条)?\s*$")
_CJK = r"\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_SPACE_RE = re.compile(rf"(?<=[{_CJK}])[ \t]+(?=[{_CJK}])")
_ASCII_WORD_END = re.compile(r"[A-Za-z0-9]$")
_ASCII_WORD_START = re.compile(r"^[A-Za-z0-9]")

_CJK_CHAR_RE = re.compile(rf"[{_CJK}]")
_ASCII_ALNUM_RE = re.compile(r"[A-Za-z0-9]")
_WORD_GAP = 3.0
"""A gap wider than this (points) between two glyphs of a line is a space (pdfplumber's default)."""
_AUTOSPACE_EM = 0.3
"""A gap between CJK and ASCII narrower than this (in em) is an autospace gap, not a space."""

_KINSOKU_CHARS = 5.0
"""At most this many characters short, a line may be cut by line-breaking rules, not end a paragraph."""
_SENTENCE_ENDS = ("。", "！", "？", "：", ":")

_CELL_GAP_EM = 0.34
"""Without ruling lines, a gap this wide (in em) or wider separates two cells of a line."""

_EDGE_TOLERANCE = 3.0
"""Cell borders closer than this (points) are the same grid line."""


def detect(data: bytes) -> bool:
    """Whether ``data`` is a PDF: the ``%PDF-`` signature within its first kilobyte."""
    return _SIGNATURE in data[:1024]


def read(data: bytes) -> Document:
    """Read a PDF's text layer into a :class:`~opengov._grid.Document`.

    Raises :class:`~opengov._errors.ParseError` (one diagnostic, one line) when the bytes are
    not a PDF, the PDF is damaged or encrypted, it has no text layer, or the optional PDF
    support is not installed.
    """
    if not detect(data):
        raise _error("not-pdf", "the data is not a PDF (no %PDF- signature)")
    try:
        import pdfplumber
    except ImportError:
        raise _error("pdf-extra-missing", INSTALL_HINT) from None
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [_read_page(number, page) for number, page in enumerate(pdf.pages, start=1)]
    except ParseError:
        raise
    except Exception as exc:  # the library's own errors: never let them escape as tracebacks
        raise _library_error(exc) from None
    if not any(page.lines for page in pages):
        raise _error("pdf-no-text", NO_TEXT_LAYER)
    blocks = _blocks(pages)
    diagnostics = []
    if not any(page.tables for page in pages) and any(isinstance(b, Grid) for b in blocks):
        first = next(b for b in blocks if isinstance(b, Grid))
        diagnostics.append(
            Diagnostic(
                severity=Severity.INFO, code="pdf-no-ruling", message=NO_RULING, location=first.location or Location()
            )
        )
    return Document(blocks=tuple(blocks), form=NAME, diagnostics=tuple(diagnostics), soft_cells=True)


# ---------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------


def _error(code: str, message: str, location: Location | None = None) -> ParseError:
    diagnostic = Diagnostic(severity=Severity.ERROR, code=code, message=message, location=location or Location())
    return ParseError([diagnostic], summary=message)


def _library_error(exc: BaseException) -> ParseError:
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    names = " ".join(type(e).__name__ for e in chain) + " " + " ".join(str(e) for e in chain)
    if re.search(r"password|encrypt", names, re.IGNORECASE):
        return _error("pdf-encrypted", "the PDF is encrypted (password-protected); decrypt it first")
    detail = next((str(e) for e in chain if str(e)), type(exc).__name__)
    detail = " ".join(detail.split())[:120]
    return _error("pdf-damaged", f"the PDF is damaged and cannot be read ({detail})")


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
    """The line cut at wide gaps (cells of a table printed without ruling lines)."""


@attrs.frozen(kw_only=True)
class _Segment:
    text: str
    x0: float
    x1: float


@attrs.frozen(kw_only=True)
class _Cell:
    x0: float
    x1: float
    top: float
    bottom: float
    text: str
    line: int | None


@attrs.frozen(kw_only=True)
class _Table:
    page: int
    x0: float
    x1: float
    top: float
    bottom: float
    cells: tuple[_Cell, ...]


@attrs.frozen(kw_only=True)
class _Page:
    number: int
    width: float
    height: float
    lines: tuple[_Line, ...]
    """Every text line of the page (tables included), top to bottom."""
    prose: tuple[_Line, ...]
    """The lines outside the tables, page numbers dropped."""
    tables: tuple[_Table, ...]


def _text_lines(source: Any) -> list[dict[str, Any]]:
    """The text lines of a page (or a cropped part of one), each with its characters.

    Blank characters are kept so that a space printed as a glyph is text; the line's text is
    then rebuilt from its characters by :func:`_chars_text`.
    """
    lines = source.extract_text_lines(return_chars=True, keep_blank_chars=True)
    return [dict(raw, text=_chars_text(raw.get("chars") or [], str(raw["text"]))) for raw in lines]


def _chars_text(chars: Sequence[dict[str, Any]], fallback: str) -> str:
    """One line's text from its characters, left to right.

    A space is text when the PDF prints a blank glyph, or when the gap between two glyphs is
    wider than the word tolerance — except an *autospace gap*: the narrow gap (less than
    :data:`_AUTOSPACE_EM` of the font size) a word processor leaves between a CJK character and
    an ASCII letter or digit (``港区）2023年``).  That gap is typography, not a typed space.
    """
    if not chars:
        return fallback
    out: list[str] = []
    previous: dict[str, Any] | None = None
    for char in chars:
        text = str(char["text"])
        if previous is not None and not text.isspace() and not str(previous["text"]).isspace():
            gap = float(char["x0"]) - float(previous["x1"])
            if gap > _WORD_GAP and not _is_autospace(previous, char, gap):
                out.append(" ")
        out.append(text)
        previous = char
    return " ".join("".join(out).split())


def _is_autospace(left: dict[str, Any], right: dict[str, Any], gap: float) -> bool:
    a, b = str(left["text"]), str(right["text"])
    mixed = (_CJK_CHAR_RE.match(a) and _ASCII_ALNUM_RE.match(b)) or (_ASCII_ALNUM_RE.match(a) and _CJK_CHAR_RE.match(b))
    size = max(float(left.get("size") or 0.0), float(right.get("size") or 0.0))
    return bool(mixed) and size > 0 and gap < _AUTOSPACE_EM * size


def _read_page(number: int, page: Any) -> _Page:
    all_lines = [_line(raw, 0) for raw in _text_lines(page)]
    all_lines = [attrs.evolve(line, line=i) for i, line in enumerate(all_lines, start=1) if line.text]
    tops = [line.top for line in all_lines]

    def line_at(top: float) -> int | None:
        if not tops:
            return None
        best = min(range(len(tops)), key=lambda i: abs(tops[i] - top))
        return all_lines[best].line

    tables = []
    for found in page.find_tables():
        table = _table(number, found, line_at)
        if table is not None:
            tables.append(table)
    outside = page
    for table in tables:
        outside = outside.outside_bbox((table.x0, table.top, table.x1, table.bottom), strict=False)
    prose = []
    for raw in _text_lines(outside):
        line = _line(raw, line_at(float(raw["top"])) or 0)
        if line.text and not _is_page_number(line, float(page.height)):
            prose.append(line)
    return _Page(
        number=number,
        width=float(page.width),
        height=float(page.height),
        lines=tuple(all_lines),
        prose=tuple(prose),
        tables=tuple(tables),
    )


def _line(raw: dict[str, Any], number: int) -> _Line:
    chars = [c for c in raw.get("chars") or [] if not str(c["text"]).isspace()]
    size = statistics.median(float(c["size"]) for c in chars) if chars else 0.0
    return _Line(
        text=_clean(str(raw["text"])),
        x0=min((float(c["x0"]) for c in chars), default=float(raw["x0"])),
        x1=max((float(c["x1"]) for c in chars), default=float(raw["x1"])),
        top=float(raw["top"]),
        bottom=float(raw["bottom"]),
        size=round(size * 2) / 2,
        line=number,
        segments=_segments(chars, size),
    )


def _segments(chars: Sequence[dict[str, Any]], size: float) -> tuple[_Segment, ...]:
    """Runs of glyphs separated by gaps of at least :data:`_CELL_GAP_EM` of the font size."""
    runs: list[list[dict[str, Any]]] = []
    for char in chars:
        if runs and float(char["x0"]) - float(runs[-1][-1]["x1"]) < _CELL_GAP_EM * max(size, 1.0):
            runs[-1].append(char)
        else:
            runs.append([char])
    return tuple(
        _Segment(text=_clean(_chars_text(run, "")), x0=float(run[0]["x0"]), x1=float(run[-1]["x1"])) for run in runs
    )


def _is_page_number(line: _Line, height: float) -> bool:
    if _PAGE_NUMBER_RE.match(line.text):
        return True
    in_margin = line.top > height * 0.9 or line.bottom < height * 0.1
    return in_margin and bool(_BARE_NUMBER_RE.match(line.text))


def _cell_texts(page: Any, found: Any) -> list[list[str]]:
    """The text of every cell of a found table (as ``found.extract()``, spaces rebuilt)."""
    from pdfplumber.utils.text import chars_to_textmap

    def inside(char: dict[str, Any], bbox: Sequence[float]) -> bool:
        middle_x = (float(char["x0"]) + float(char["x1"])) / 2
        middle_y = (float(char["top"]) + float(char["bottom"])) / 2
        return bbox[0] <= middle_x < bbox[2] and bbox[1] <= middle_y < bbox[3]

    texts = []
    for row in found.rows:
        row_chars = [c for c in page.chars if inside(c, row.bbox)]
        row_texts = []
        for bbox in row.cells:
            chars = [c for c in row_chars if bbox is not None and inside(c, bbox)]
            lines = chars_to_textmap(chars, keep_blank_chars=True).extract_text_lines() if chars else []
            row_texts.append("\n".join(_chars_text(raw.get("chars") or [], str(raw["text"])) for raw in lines))
        texts.append(row_texts)
    return texts


def _table(page: int, found: Any, line_at: Any) -> _Table | None:
    texts = _cell_texts(found.page, found)
    cells = []
    for row, row_texts in zip(found.rows, texts, strict=False):
        for bbox, text in zip(row.cells, row_texts, strict=False):
            if bbox is None:
                continue
            x0, top, x1, bottom = (float(v) for v in bbox)
            value = _join_lines((text or "").split("\n"))
            cells.append(_Cell(x0=x0, x1=x1, top=top, bottom=bottom, text=value, line=line_at(top) if value else None))
    columns = _edges(edge for c in cells for edge in (c.x0, c.x1))
    if len(columns) < 3 or not any(c.text for c in cells):
        return None  # a frame around prose, not a table
    x0, top, x1, bottom = (float(v) for v in found.bbox)
    return _Table(page=page, x0=x0, x1=x1, top=top, bottom=bottom, cells=tuple(cells))


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
    return bool(_NUMBER_RE.match(text))


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
    return min(range(len(edges)), key=lambda i: abs(edges[i] - value))


@attrs.define
class _Placed:
    row: int
    col: int
    rowspan: int
    colspan: int
    text: str
    location: Location


def _place(parts: Sequence[_Table]) -> list[list[_Placed]]:
    """Each part's cells on shared column lines and the part's own row lines."""
    columns = _edges(edge for part in parts for c in part.cells for edge in (c.x0, c.x1))
    placed_parts = []
    for part in parts:
        rows = _edges(edge for c in part.cells for edge in (c.top, c.bottom))
        placed = []
        for c in part.cells:
            row, col = _index(rows, c.top), _index(columns, c.x0)
            rowspan = max(1, _index(rows, c.bottom) - row)
            colspan = max(1, _index(columns, c.x1) - col)
            location = Location(page=part.page, line=c.line)
            placed.append(_Placed(row=row, col=col, rowspan=rowspan, colspan=colspan, text=c.text, location=location))
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
            text=c.text,
            header=False,
            location=c.location,
        )
        for c in sorted(cells, key=lambda c: (c.row, c.col))
    ]
    first = parts[0]
    return Grid.from_cells(grid_cells, location=Location(page=first.page, line=_first_line(first)))


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
    kept = []
    for c in part:
        above = ending.get((c.col, c.colspan)) if c.row == 0 else None
        if above is not None and (merged_row or _continues(above, c, label_end)):
            above.text = _join_lines([above.text, c.text])
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
    if any(c.rowspan != 1 for c in starting) or any(c.rowspan != 1 for c in ending.values()):
        return False
    before = [c.text for c in ending.values()]
    after = [c.text for c in starting]
    no_figures_before = not any(_is_number(t) for t in before)
    no_figures_after = not any(_is_number(t) for t in after)
    has_text = any(after) and any(before)
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


def _blocks(pages: Sequence[_Page]) -> list[Block]:
    items: list[tuple[_Page, _Line | _Table]] = []
    for page in pages:
        page_items: list[tuple[float, _Line | _Table]] = [(line.top, line) for line in page.prose]
        page_items += [(table.top, table) for table in page.tables]
        items += [(page, item) for _, item in sorted(page_items, key=lambda pair: pair[0])]
    has_tables = any(page.tables for page in pages)
    borderless = {} if has_tables else _borderless_tables(items)
    has_tables = has_tables or bool(borderless)
    in_tables = {i for start, (end, _) in borderless.items() for i in range(start, end)}
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
    return blocks


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
    return _is_number(text) or text in PLACEHOLDER_GLYPHS


def _section_index(text: str) -> int | None:
    """The index in :data:`~opengov.layout.SECTIONS` of a section heading line, if it is one."""
    loose = normalize_label(text)
    for i, section in enumerate(SECTIONS):
        if loose == normalize_label(section.label):
            return i
    return None


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
