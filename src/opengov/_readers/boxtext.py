"""Reader of opengov's own plain-text rendering (:func:`opengov.render` ``to="text"``).

Both border styles are read: ``box`` (``┌─┬┐│├┼┤└┴┘``) and ``ascii`` (``+-|``).  A drawn
table becomes a :class:`~opengov._grid.Grid` whose rowspans and colspans are recovered from
the borders; a cell's wrapped lines are joined back (without separator, as the renderer
wraps by character).  Every other run of non-blank lines is one
:class:`~opengov._grid.Paragraph` (its lines joined with ``\\n``): the title, the preamble, the
section headings and the prose.

Interface: :func:`detect` (is this our text rendering?) and :func:`read` (→ Document).
Problems are reported as :class:`~opengov._errors.ParseError` naming the line and column.
"""

from __future__ import annotations

import functools
import itertools
import operator
import re
from collections.abc import Sequence
from itertools import repeat
from typing import Any

import attrs
from wcwidth import wcwidth

from opengov._errors import Diagnostic, Location, ParseError, Severity
from opengov._grid import Document, Grid, GridCell, Paragraph, computed_lines

__all__ = ["detect", "read"]

_BOX_JUNCTIONS = frozenset("┌┬┐├┼┤└┴┘")
_BOX_VERTICALS = _BOX_JUNCTIONS | {"│"}
_BOX_START = frozenset("┌├└│")
_ASCII_START = frozenset("+|")
_WIDE_FILL = "\x00"
"""Stands for the second display column of a wide character on the canvas."""

_ASCII_BORDER_RE = re.compile(r"\+-")
_DETECT_BOX_RE = re.compile(r"^┌─[─┬]*┐$", re.MULTILINE)
_DETECT_ASCII_RE = re.compile(r"^\+-[-+]*\+\n\|", re.MULTILINE)


def detect(text: str) -> bool:
    """Whether ``text`` holds a table drawn by opengov's text renderer (either style)."""
    # one character is found faster than two (a first look that spares most texts the second)
    box = "┌" in text and "┌─" in text and _DETECT_BOX_RE.search(text)
    return bool(box or ("+" in text and "+-" in text and _DETECT_ASCII_RE.search(text)))


_Row = str | list[str]
"""One table line as display columns: a string when no character is zero columns wide (a
wide character followed by :data:`_WIDE_FILL`), else a list (see :func:`_canvas`)."""


# ---------------------------------------------------------------------------------------
# Canvases: one entry per display column
# ---------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1 << 14)
def _segment_canvas(segment: str) -> str | None:
    """The canvas of a piece of a line as a string, ``None`` if it has a zero-width
    character.  Pure; cached because labels recur from line to line and report to report."""
    out: list[str] = []
    for ch in segment:
        w = wcwidth(ch)
        if w == 0:
            return None
        out.append(ch + _WIDE_FILL if w == 2 else ch)
    return "".join(out)


@functools.lru_cache(maxsize=1 << 13)
def _line_info(line: str, box: bool) -> tuple[str, str | None] | None:
    """``(canvas, border)`` of one table line when its canvas is a string (``None`` when the
    line has a zero-width character): ``border`` is the canvas itself on a border line, else
    ``None``.  The line is cut at the style's content bar (a one-column character): ASCII
    pieces are their own canvas.  Pure; cached because border lines and label lines recur."""
    separator = "│" if box else "|"
    if line.isascii():
        if _WIDE_FILL in line:
            return None
        canvas = line
    else:
        pieces = []
        for segment in line.split(separator):
            if segment.isascii():
                if _WIDE_FILL in segment:
                    return None
                pieces.append(segment)
            else:
                piece = _segment_canvas(segment)
                if piece is None:
                    return None
                pieces.append(piece)
        canvas = separator.join(pieces)
    search = _BOX_BORDER_RE.search if box else _ASCII_BORDER_RE.search
    return canvas, canvas if search(canvas) is not None else None


def _canvas(line: str) -> list[str]:
    """One display column per entry (a wide character fills two: itself and a filler; a
    zero-width character joins the column before it)."""
    cells: list[str] = []
    for ch in line:
        w = wcwidth(ch)
        if w == 0 and cells:
            cells[-1] += ch
        elif w == 2:
            cells.append(ch)
            cells.append(_WIDE_FILL)
        else:
            cells.append(ch)
    return cells


def _text(row: _Row, start: int, stop: int) -> str:
    """The text of display columns ``start:stop`` of a row."""
    part = row[start:stop]
    return part if isinstance(part, str) else "".join(part)


@functools.lru_cache(maxsize=1 << 14)
def _cell(row: int, col: int, rowspan: int, colspan: int, text: str, line: int, column: int) -> GridCell:
    """A drawn cell: a pure function of its arguments, cached because the same labels at
    the same places recur from report to report (a GridCell and its Location are
    immutable, so one object serves every read that meets it)."""
    return GridCell(
        row=row, col=col, rowspan=rowspan, colspan=colspan, text=text, location=Location(line=line, column=column)
    )


def _error(code: str, message: str, line: int, column: int | None = None) -> ParseError:
    diagnostic = Diagnostic(
        severity=Severity.ERROR, code=code, message=message, location=Location(line=line, column=column)
    )
    return ParseError([diagnostic], "the text table could not be read")


class _ShapeError(Exception):
    """A malformed drawn table; ``line`` counts from the table's first line (1), the caller
    adds where the table starts and raises the ParseError."""

    def __init__(self, code: str, message: str, line: int, column: int | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.line, self.column = code, message, line, column


_BOX_BORDER_RE = re.compile("[─" + "".join(sorted(_BOX_JUNCTIONS)) + "]")
_BOX_VERTICAL_RE = re.compile("[" + "".join(sorted(_BOX_VERTICALS)) + "]")
_ASCII_VERTICAL_RE = re.compile(r"[+|]")


def _is_border(line: _Row, box: bool) -> bool:
    if box:
        if isinstance(line, str):
            return _BOX_BORDER_RE.search(line) is not None
        return "─" in line or not _BOX_JUNCTIONS.isdisjoint(line)
    # The filler follows a wide character only, so dropping it never makes a "+-".
    return _ASCII_BORDER_RE.search(_text(line, 0, len(line))) is not None


def _positions(row: _Row, chars: frozenset[str], pattern: re.Pattern[str]) -> list[int]:
    """The display columns of a row that hold one of ``chars`` (``pattern`` matches one)."""
    if isinstance(row, str):
        return [m.start() for m in pattern.finditer(row)]
    return [x for x, ch in enumerate(row) if ch in chars]


# ---------------------------------------------------------------------------------------
# Shapes: where a drawn table's cells are
# ---------------------------------------------------------------------------------------

_Place = tuple[int, int, int, int, int, int, int, int]
"""``(row, col, rowspan, colspan, top, bottom, left, right)`` of a cell: ``top``/``bottom``
the table lines of its borders, ``left``/``right`` the display columns inside its borders."""


def _places(
    rows: list[_Row | None], verticals: list[list[int]], bars: list[list[int]], box: bool, width: int
) -> tuple[list[_Place], int, int]:
    """The cells' places in a drawn table, ``(places, n_rows, n_cols)``.

    ``rows`` holds each border line (``None`` for a content line); ``verticals`` each line's
    display columns that hold a vertical border character, ``bars`` each content line's
    content bars (``│``/``|``).  Raises :class:`_ShapeError` as :func:`read` documents."""
    horizontal = "─" if box else "-"
    xs = sorted({x for found in verticals for x in found})
    ys = [y for y, row in enumerate(rows) if row is not None]
    if not xs or xs[0] != 0 or xs[-1] != width - 1:
        raise _ShapeError("table-border", "a drawn table must have vertical borders on both sides", 1)
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    # band_bars[r]: columns where some content line of grid row r has a bar, i.e. where a
    # cell of that row ends (no bar at a column boundary: the cells either side are joined).
    band_bars: list[set[int]] = []
    for r in range(n_rows):
        found: set[int] = set()
        for y in range(ys[r] + 1, ys[r + 1]):
            found.update(bars[y])
        band_bars.append(found)

    owner = [[-1] * n_cols for _ in range(n_rows)]
    places: list[_Place] = []
    for r in range(n_rows):
        owner_r = owner[r]
        bar_r = band_bars[r]
        top = ys[r]
        for c in range(n_cols):
            if owner_r[c] >= 0:
                continue
            c1 = c + 1
            while c1 < n_cols and xs[c1] not in bar_r:
                c1 += 1
            left = xs[c] + 1
            r1 = r + 1
            while r1 < n_rows and rows[ys[r1]][left] != horizontal:  # type: ignore[index]
                r1 += 1
            index = len(places)
            for rr in range(r, r1):
                owner_rr = owner[rr]
                for cc in range(c, c1):
                    if owner_rr[cc] >= 0:
                        raise _ShapeError(
                            "table-cell", "a cell of the drawn table is not a rectangle", ys[rr] + 2, xs[cc] + 2
                        )
                    owner_rr[cc] = index
            places.append((r, c, r1 - r, c1 - c, top, ys[r1], left, xs[c1]))
    return places, n_rows, n_cols


def _row_lines(places: list[_Place], n_rows: int, n_cols: int) -> tuple[tuple[int, ...], ...]:
    """Each grid row's cells (as :func:`opengov._grid.lines_of` gives them) as indices into
    ``places``."""
    probe = [GridCell(row=r, col=c, rowspan=rs, colspan=cs, text=str(i)) for i, (r, c, rs, cs, *_) in enumerate(places)]
    grid = Grid(cells=tuple(probe), n_rows=n_rows, n_cols=n_cols)
    return tuple(tuple(int(cell.text) for cell in line) for line in computed_lines(grid))


@attrs.frozen(kw_only=True)
class _Shape:
    """A drawn table of string canvases read once: where its cells are and how to take
    their texts.

    With a ``separator`` (the content bar), the table's content lines joined by it and
    split at it give every piece of every cell (a line with k bars k + 1 pieces); without,
    ``slices`` takes every content-line piece of every cell at once from the canvas lines
    joined (``None``: there are none).  ``values`` are those pieces stripped, then
    ``constants`` (texts the shape fixes: pieces on border lines, the empty text), then
    one text per cell of several pieces (what each of ``joined`` takes from the values,
    joined); ``pick`` takes each cell's text from ``values`` (with one more value, so that
    it always returns a tuple)."""

    n_rows: int
    n_cols: int
    rows: tuple[int, ...]
    cols: tuple[int, ...]
    rowspans: tuple[int, ...]
    colspans: tuple[int, ...]
    lines: tuple[int, ...]
    """Each cell's line (its first content line, 1-based) when the table starts at line 0."""
    columns: tuple[int, ...]
    """Each cell's 1-based display column (after the border and one space)."""
    row_lines: tuple[tuple[int, ...], ...]
    separator: str
    slices: Any
    constants: tuple[str, ...]
    joined: tuple[Any, ...]
    pick: Any

    def texts(self, canvas: list[str], lines: list[str], borders: list[str | None]) -> tuple[str, ...]:
        """Each cell's text, from the table's lines (and their canvases)."""
        separator = self.separator
        if separator:
            content = separator.join(itertools.compress(lines, map(operator.not_, borders)))
            values = list(map(str.strip, content.split(separator)))
        elif self.slices is None:
            values = []
        else:
            parts = self.slices("".join(canvas))
            # every piece at once: no piece holds a line break (the lines were split at them)
            pieces = parts if isinstance(parts, str) else "\n".join(parts)
            values = list(map(str.strip, pieces.replace(_WIDE_FILL, "").split("\n")))
        values += self.constants
        if self.joined:
            values += [_join(getter(values)) for getter in self.joined]
        return self.pick(values)[:-1]  # type: ignore[no-any-return]


_DIGITS = frozenset("0123456789０１２３４５６７８９")
_VALUE_EDGES = _DIGITS | frozenset("-－—–−+＋/／×.．,，")
"""What may end or begin a printed value: digits, signs, placeholder marks, decimal and
thousands marks."""


@functools.lru_cache(maxsize=4096)
def _join(pieces: tuple[str, ...]) -> str:
    """A cell's text from the pieces of its lines: joined without separator (the renderer
    wraps labels by character), but with a space where a piece ending as a value may (a
    digit, a sign, a placeholder mark) meets one beginning so: the renderer never wraps
    inside a value (data cells do not wrap and no label holds a figure), so two values on
    two lines of a cell stay two (``5`` over ``4242`` is ``5 4242``, never ``54242``; ``-``
    over ``1000`` is ``- 1000``, never the figure ``-1000``).  Pure; cached because the
    pieces of wrapped labels recur from report to report."""
    text = "".join(pieces)
    if len(pieces) < 2 or _DIGITS.isdisjoint(text):
        return text
    out = ""
    for piece in pieces:
        if out and piece and out[-1] in _VALUE_EDGES and piece[0] in _VALUE_EDGES:
            out += " "
        out += piece
    return out


@functools.lru_cache(maxsize=1 << 10)
def _shape(key: tuple[bool, int, tuple[str | None, ...], tuple[int, ...], str]) -> _Shape:
    """The shape of a drawn table of string canvases, from its key (see :func:`_shape_key`):
    a pure function of the key, cached because every report of a format draws the same
    tables.  Raises :class:`_ShapeError` for a malformed table."""
    box, width, rows, lengths, separators = key
    content_vertical = "│" if box else "|"
    horizontal = "─" if box else "-"
    pattern = _BOX_VERTICAL_RE if box else _ASCII_VERTICAL_RE
    chars = _BOX_VERTICALS if box else _ASCII_START
    n = len(rows)
    verticals: list[list[int]] = [[] for _ in range(n)]
    bars: list[list[int]] = [[] for _ in range(n)]
    content = [y for y, row in enumerate(rows) if row is None]
    for y, row in enumerate(rows):
        if row is not None:
            verticals[y] = _positions(row, chars, pattern)
    offset = -1
    for length, separator in zip(lengths[:-1], separators or content_vertical * (len(lengths) - 1), strict=True):
        offset += length + 1
        k, x = divmod(offset, width)
        y = content[k]
        verticals[y].append(x)
        if separator == content_vertical:
            bars[y].append(x)
    places, n_rows, n_cols = _places(list(rows), verticals, bars, box, width)

    # Where each cell's text is.  Usually every content line has its bars exactly at the
    # edges of the cells it crosses: then splitting the table's content lines (joined by the
    # bar) at the bar gives each cell's piece of each line, a line with k bars k + 1 pieces.
    # Otherwise (a bar inside a cell on one line of a band, and not on another) each piece
    # is sliced out of the lines' display columns joined.
    piece_at: dict[tuple[int, int, int], int] = {}
    start = 0
    for y in content:
        found = bars[y]
        for j in range(len(found) - 1):
            piece_at[y, found[j] + 1, found[j + 1]] = start + j + 1
        start += len(found) + 1
    split = bool(content) and all(
        (y, left, right) in piece_at
        for _r, _c, _rowspan, _colspan, top, bottom, left, right in places
        for y in range(top + 1, bottom)
        if rows[y] is None
    )
    slices: list[slice] = []
    items_per_cell: list[list[int | str]] = []
    for _r, _c, _rowspan, _colspan, top, bottom, left, right in places:
        items: list[int | str] = []
        one_line = bottom == top + 2  # taken whole, as the lines of a longer cell are not
        for y in range(top + 1, bottom):
            row = rows[y]
            if row is not None:
                part = row[left:right]
                if not one_line and horizontal in part:
                    continue
                items.append(part.replace(_WIDE_FILL, "").strip())
            elif split:
                items.append(piece_at[y, left, right])
            else:
                items.append(len(slices))
                slices.append(slice(y * width + left, y * width + right))
        items_per_cell.append(items)
    n_parts = start if split else len(slices)
    constants: list[str] = []

    def index(item: int | str) -> int:
        if isinstance(item, int):
            return item
        constants.append(item)
        return n_parts + len(constants) - 1

    pick: list[int] = []
    complex_ones: list[tuple[int, list[int]]] = []
    for i, items in enumerate(items_per_cell):
        if len(items) == 1:
            pick.append(index(items[0]))
        elif not items:
            pick.append(index(""))
        else:
            pick.append(-1)
            complex_ones.append((i, [index(item) for item in items]))
    n_values = n_parts + len(constants)
    joined: list[Any] = []
    for j, (i, indexes) in enumerate(complex_ones):
        pick[i] = n_values + j
        joined.append(operator.itemgetter(*indexes))
    return _Shape(
        n_rows=n_rows,
        n_cols=n_cols,
        rows=tuple(p[0] for p in places),
        cols=tuple(p[1] for p in places),
        rowspans=tuple(p[2] for p in places),
        colspans=tuple(p[3] for p in places),
        lines=tuple(p[4] + 2 for p in places),
        columns=tuple(p[6] + 2 for p in places),
        row_lines=_row_lines(places, n_rows, n_cols),
        separator=content_vertical if split else "",
        slices=operator.itemgetter(*slices) if slices else None,
        constants=tuple(constants),
        joined=tuple(joined),
        # the extra index: a tuple even for one cell
        pick=operator.itemgetter(*pick, 0),
    )


def _shape_key(
    canvas: list[str], borders: list[str | None], box: bool, width: int
) -> tuple[bool, int, tuple[str | None, ...], tuple[int, ...], str]:
    """What the shape of a table of string canvases depends on: the style, the width, each
    border line (``None`` for a content line) and where the content lines' vertical
    characters are (the lengths of the pieces between them in the content lines joined,
    and, for the ASCII style, which character each is)."""
    content = "".join(itertools.compress(canvas, map(operator.not_, borders)))
    if box:
        # a content line holds no junction (it would be a border line): its verticals are bars
        return box, width, tuple(borders), tuple(map(len, content.split("│"))), ""
    pieces = _ASCII_VERTICAL_RE.split(content)
    return box, width, tuple(borders), tuple(map(len, pieces)), "".join(_ASCII_VERTICAL_RE.findall(content))


# ---------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------


def _read_table(lines: list[str], first: int, *, plain: bool = False) -> Grid:
    """One drawn table; ``first`` is the 0-based index of its first line in the text.

    Lines whose canvases are strings (no zero-width character) are read through the
    table's cached :class:`_Shape`; ``plain=True`` reads every table as lists of display
    columns, the shape worked out afresh (the definition the shapes are tested against)."""
    box = lines[0].startswith("┌")
    infos = None if plain else list(map(_line_info, lines, repeat(box)))
    if infos is None or None in infos:
        return _read_listed(lines, first, box)
    canvas: list[str] = list(map(_first, infos))  # type: ignore[arg-type]
    borders: list[str | None] = list(map(_second, infos))  # type: ignore[arg-type]
    width = len(canvas[0])
    _check(canvas, [row is not None for row in borders], width, first)
    try:
        shape = _shape(_shape_key(canvas, borders, box, width))
    except _ShapeError as problem:
        raise _error(problem.code, problem.message, first + problem.line, problem.column) from None
    texts = shape.texts(canvas, lines, borders)
    cells = list(
        map(
            _cell,
            shape.rows,
            shape.cols,
            shape.rowspans,
            shape.colspans,
            texts,
            map(operator.add, shape.lines, repeat(first)),
            shape.columns,
        )
    )
    return Grid(
        cells=tuple(cells),
        n_rows=shape.n_rows,
        n_cols=shape.n_cols,
        location=Location(line=first + 1),
        lines=[[cells[i] for i in line] for line in shape.row_lines],
        hard_cells=True,  # drawn borders separate every cell
    )


_first = operator.itemgetter(0)
_second = operator.itemgetter(1)


def _check(canvas: Sequence[_Row], border: list[bool], width: int, first: int) -> None:
    """Raise the ParseError of a ragged table or one without its top or bottom border."""
    for i, row in enumerate(canvas) if any(map(width.__ne__, map(len, canvas))) else ():
        if len(row) != width:
            raise _error(
                "ragged-table",
                f"table line is {len(row)} display columns wide, expected {width} like the table's first line",
                first + i + 1,
            )
    if len(canvas) < 2 or not border[0] or not border[-1]:  # (a top border alone has no bottom)
        bad = 0 if not border[0] else len(canvas) - 1
        raise _error("table-border", "a drawn table must start and end with a border line", first + bad + 1)


def _read_listed(lines: list[str], first: int, box: bool) -> Grid:
    """:func:`_read_table` on lists of display columns (a zero-width character joins the
    column before it), the shape worked out afresh."""
    canvas: list[_Row] = [_canvas(line) for line in lines]
    width = len(canvas[0])
    border = [_is_border(row, box) for row in canvas]
    _check(canvas, border, width, first)
    content_vertical = "│" if box else "|"
    horizontal = "─" if box else "-"
    chars = _BOX_VERTICALS if box else _ASCII_START
    pattern = _BOX_VERTICAL_RE if box else _ASCII_VERTICAL_RE
    verticals = [_positions(row, chars, pattern) for row in canvas]
    bars = [
        [] if is_border else [x for x in found if row[x] == content_vertical]
        for row, found, is_border in zip(canvas, verticals, border, strict=True)
    ]
    rows: list[_Row | None] = [row if is_border else None for row, is_border in zip(canvas, border, strict=True)]
    try:
        places, n_rows, n_cols = _places(rows, verticals, bars, box, width)
    except _ShapeError as problem:
        raise _error(problem.code, problem.message, first + problem.line, problem.column) from None
    cells: list[GridCell] = []
    for r, c, rowspan, colspan, top, bottom, left, right in places:
        texts = []
        for y in range(top + 1, bottom):
            row = canvas[y]
            piece = _text(row, left, right)
            if border[y] and bottom != top + 2 and _crossed_by_border(row, piece, left, right, horizontal):
                continue
            piece = piece.replace(_WIDE_FILL, "").strip()
            if piece:
                texts.append(piece)
        cells.append(
            GridCell(
                row=r,
                col=c,
                rowspan=rowspan,
                colspan=colspan,
                text=_join(tuple(texts)),
                location=Location(line=first + top + 2, column=left + 2),
            )
        )
    return Grid(cells=tuple(cells), n_rows=n_rows, n_cols=n_cols, location=Location(line=first + 1), hard_cells=True)


def _crossed_by_border(row: _Row, piece: str, start: int, stop: int, horizontal: str) -> bool:
    """Whether a border line runs through columns ``start:stop`` (``piece`` is their text)."""
    if isinstance(row, str):
        return horizontal in piece
    return any(ch == horizontal for ch in row[start:stop])


def read(text: str) -> Document:
    """Read opengov's text rendering into a Document: Paragraphs and Grids in reading order.

    Raises :class:`~opengov._errors.ParseError` (naming the line) when a drawn table is
    malformed: ragged lines, a missing border, a cell that is not a rectangle.
    """
    lines = text.splitlines()
    blocks: list[Paragraph | Grid] = []
    i = 0
    n = len(lines)
    while i < n:
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        start_chars = _BOX_START if line.startswith("┌") else _ASCII_START if _is_ascii_top(lines, i) else None
        if start_chars is not None:
            j = i
            while j < n and lines[j][:1] in start_chars:
                j += 1
            blocks.append(_read_table(lines[i:j], i))
            i = j
            continue
        j = i
        while j < n and lines[j].strip() and not lines[j].startswith("┌") and not _is_ascii_top(lines, j):
            j += 1
        blocks.append(Paragraph(text="\n".join(lines[i:j]), location=Location(line=i + 1, column=1)))
        i = j
    return Document(blocks=tuple(blocks), form="text", soft_cells=True)


_ASCII_TOP_RE = re.compile(r"\+-[-+]*\+")


def _is_ascii_top(lines: list[str], i: int) -> bool:
    line = lines[i]
    return (
        line.startswith("+-")
        and _ASCII_TOP_RE.fullmatch(line) is not None
        and i + 1 < len(lines)
        and lines[i + 1].startswith("|")
    )
