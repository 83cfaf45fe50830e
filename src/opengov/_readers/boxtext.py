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

import operator
import re
from typing import Any

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

_CACHE_LIMIT = 1 << 16
"""Entries kept in each memo below before it is emptied (bounds memory over a long batch)."""
_SEGMENTS: dict[str, str | None] = {}
_UNSEEN = ""  # never a value of _SEGMENTS: only non-empty (non-ASCII) pieces are memoised
"""Memo: a non-ASCII piece of a line → its canvas string (``None``: it has a zero-width character)."""


def _segment_canvas(segment: str) -> str | None:
    """The canvas of a piece of a line as a string, ``None`` if it has a zero-width character."""
    found = _SEGMENTS.get(segment, _UNSEEN)
    if found is not _UNSEEN:
        return found
    out: list[str] = []
    result: str | None = None
    for ch in segment:
        w = wcwidth(ch)
        if w == 0:
            break
        out.append(ch + _WIDE_FILL if w == 2 else ch)
    else:
        result = "".join(out)
    if len(_SEGMENTS) >= _CACHE_LIMIT:
        _SEGMENTS.clear()
    _SEGMENTS[segment] = result
    return result


def _fast_canvas(line: str, separator: str) -> str | None:
    """:func:`_canvas` as a string (``None`` when the line has a zero-width character).

    The line is cut at ``separator`` (a one-column character): ASCII pieces are their own
    canvas, the others are memoised (labels repeat from line to line and report to report).
    """
    if line.isascii():
        return None if _WIDE_FILL in line else line
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
    return separator.join(pieces)


def _canvas(line: str) -> list[str]:
    """One display column per entry (a wide character fills two: itself and a filler)."""
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


_LOCATIONS: dict[tuple[int, int | None], Location] = {}
_GRID_CELLS: dict[tuple[int, int, int, int, str, int, int], GridCell] = {}


def _location(line: int, column: int | None) -> Location:
    """``Location(line=line, column=column)``, shared (it is immutable)."""
    key = (line, column)
    found = _LOCATIONS.get(key)
    if found is None:
        if len(_LOCATIONS) >= _CACHE_LIMIT:
            _LOCATIONS.clear()
        found = _LOCATIONS[key] = Location(line=line, column=column)
    return found


def _grid_cell(row: int, col: int, rowspan: int, colspan: int, text: str, line: int, column: int) -> GridCell:
    """The GridCell, shared with every earlier read that met the same one (it is immutable;
    the same labels at the same places recur from report to report)."""
    key = (row, col, rowspan, colspan, text, line, column)
    found = _GRID_CELLS.get(key)
    if found is None:
        if len(_GRID_CELLS) >= _CACHE_LIMIT:
            _GRID_CELLS.clear()
        found = _GRID_CELLS[key] = GridCell(
            row=row, col=col, rowspan=rowspan, colspan=colspan, text=text, location=_location(line, column)
        )
    return found


def _error(code: str, message: str, line: int, column: int | None = None) -> ParseError:
    diagnostic = Diagnostic(
        severity=Severity.ERROR, code=code, message=message, location=Location(line=line, column=column)
    )
    return ParseError([diagnostic], "the text table could not be read")


_BOX_BORDER_RE = re.compile("[─" + "".join(sorted(_BOX_JUNCTIONS)) + "]")


def _is_border(line: _Row, box: bool) -> bool:
    if box:
        if isinstance(line, str):
            return _BOX_BORDER_RE.search(line) is not None
        return "─" in line or not _BOX_JUNCTIONS.isdisjoint(line)
    # The filler follows a wide character only, so dropping it never makes a "+-".
    return _ASCII_BORDER_RE.search(_text(line, 0, len(line))) is not None


_BOX_VERTICAL_RE = re.compile("[" + "".join(sorted(_BOX_VERTICALS)) + "]")
_ASCII_VERTICAL_RE = re.compile(r"[+|]")


def _positions(row: _Row, chars: frozenset[str], pattern: re.Pattern[str]) -> list[int]:
    """The display columns of a row that hold one of ``chars`` (``pattern`` matches one)."""
    if isinstance(row, str):
        return [m.start() for m in pattern.finditer(row)]
    return [x for x, ch in enumerate(row) if ch in chars]


def _read_table(lines: list[str], first: int) -> Grid:
    """One drawn table; ``first`` is the 0-based index of its first line in the text."""
    box = lines[0].startswith("┌")
    if box:
        known = _read_known_box_table(lines, first)
        if known is not None:
            return known
    content_vertical = "│" if box else "|"
    canvas: list[_Row] = []
    for line in lines:
        fast = _fast_canvas(line, content_vertical)
        if fast is None:
            canvas = [_canvas(line) for line in lines]
            break
        canvas.append(fast)
    width = len(canvas[0])
    for i, row in enumerate(canvas):
        if len(row) != width:
            raise _error(
                "ragged-table",
                f"table line is {len(row)} display columns wide, expected {width} like the table's first line",
                first + i + 1,
            )
    strings = isinstance(canvas[0], str)
    if box and strings:
        search = _BOX_BORDER_RE.search
        border = [search(row) is not None for row in canvas]  # type: ignore[arg-type]
    else:
        border = [_is_border(row, box) for row in canvas]
    if not border[0] or not border[-1]:
        bad = 0 if not border[0] else len(canvas) - 1
        raise _error("table-border", "a drawn table must start and end with a border line", first + bad + 1)
    shape: _Shape | None = None
    key: tuple[str | int, ...] | None = None
    if box and strings:
        # The table's shape (its cells' rows, columns and display columns) depends on its
        # border lines and where its content lines have bars only; the bars of a content
        # line (no junction: it would be a border) are checked against the memoised shape.
        key = tuple([row if is_border else row.count("│") for row, is_border in zip(canvas, border, strict=True)])  # type: ignore[misc]
        shape = _SHAPES.get(key)
        # every content line's bars at once: the table's lines joined (all ``width`` wide)
        getter = None if shape is None else shape.bar_getter
        if getter is not None and "".join(getter("".join(canvas))) != shape.bar_text:  # type: ignore[arg-type,union-attr]
            shape = None
    if shape is None:
        shape = _shape(canvas, border, box, first)
        if key is not None:
            if len(_SHAPES) >= _SHAPE_LIMIT:
                _SHAPES.clear()
            _SHAPES[key] = shape
    horizontal = "─" if box else "-"
    cells: list[GridCell] = []
    for r, c, rowspan, colspan, top, bottom, left, right in shape.cells:
        if strings and bottom == top + 2:  # one content line: the usual case
            text = canvas[top + 1][left:right].replace(_WIDE_FILL, "").strip()  # type: ignore[union-attr]
        elif strings:
            texts = []
            for y in range(top + 1, bottom):
                part = canvas[y][left:right]
                if border[y] and horizontal in part:
                    continue
                part = part.replace(_WIDE_FILL, "").strip()  # type: ignore[union-attr]
                if part:
                    texts.append(part)
            text = "".join(texts)
        else:
            texts = []
            for y in range(top + 1, bottom):
                row = canvas[y]
                piece = _text(row, left, right)
                if border[y] and _crossed_by_border(row, piece, left, right, horizontal):
                    continue
                piece = piece.replace(_WIDE_FILL, "").strip()
                if piece:
                    texts.append(piece)
            text = "".join(texts)
        cell_key = (r, c, rowspan, colspan, text, first + top + 2, left + 2)
        cell = _GRID_CELLS.get(cell_key)
        if cell is None:
            cell = _grid_cell(*cell_key)
        cells.append(cell)
    return Grid(cells=tuple(cells), n_rows=shape.n_rows, n_cols=shape.n_cols, location=Location(line=first + 1))


class _Shape:
    """Where a drawn table's cells are: ``cells`` holds ``(row, col, rowspan, colspan, top,
    bottom, left, right)`` per cell (``top``/``bottom``: the table lines of its borders,
    ``left``/``right``: the display columns inside its borders); ``bars`` the display
    columns of each content line's bars (``(line, columns)``)."""

    __slots__ = ("bar_getter", "bar_text", "bars", "border", "cells", "n_cols", "n_rows", "plan", "width")

    def __init__(
        self,
        cells: tuple[tuple[int, int, int, int, int, int, int, int], ...],
        n_rows: int,
        n_cols: int,
        bars: tuple[tuple[int, tuple[int, ...]], ...],
        width: int,
        border: tuple[bool, ...] = (),
    ) -> None:
        self.cells = cells
        self.n_rows = n_rows
        self.n_cols = n_cols
        self.bars = bars
        self.width = width
        self.border = border
        self.plan: _Plan | None = None
        # the bars' positions in the table's lines joined, for checking them in one call
        positions = [y * width + x for y, bars_y in bars for x in bars_y]
        self.bar_getter = operator.itemgetter(*positions) if positions else None
        self.bar_text = "│" * len(positions)


_SHAPE_LIMIT = 1 << 10
_SHAPES: dict[tuple[str | int, ...], _Shape] = {}
"""Memo: a box-drawn table's border lines and bar counts per content line → its shape."""


def _shape(canvas: list[_Row], border: list[bool], box: bool, first: int) -> _Shape:
    """The cells' places in a drawn table (raises ParseError as :func:`read` documents)."""
    content_vertical = "│" if box else "|"
    horizontal = "─" if box else "-"
    width = len(canvas[0])
    # Where the vertical borders are: on border lines any junction, on content lines the bar.
    verticals = _BOX_VERTICALS if box else _ASCII_START
    pattern = _BOX_VERTICAL_RE if box else _ASCII_VERTICAL_RE
    xs_found: set[int] = set()
    seen: dict[str, list[int]] = {}  # a repeated line (string canvas) is scanned once
    bars: list[list[int]] = []  # per content line: the display columns of its bars
    for row, is_border in zip(canvas, border, strict=True):
        if isinstance(row, str) and row in seen:
            bars.append(seen[row])
            continue
        positions = _positions(row, verticals, pattern)
        xs_found.update(positions)
        found_bars = [] if is_border else [x for x in positions if row[x] == content_vertical]
        if isinstance(row, str):
            seen[row] = found_bars
        bars.append(found_bars)
    xs = sorted(xs_found)
    ys = [i for i, is_border in enumerate(border) if is_border]
    if not xs or xs[0] != 0 or xs[-1] != width - 1:
        raise _error("table-border", "a drawn table must have vertical borders on both sides", first + 1)
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
    cells: list[tuple[int, int, int, int, int, int, int, int]] = []
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
            while r1 < n_rows and canvas[ys[r1]][left] != horizontal:
                r1 += 1
            index = len(cells)
            for rr in range(r, r1):
                owner_rr = owner[rr]
                for cc in range(c, c1):
                    if owner_rr[cc] >= 0:
                        raise _error(
                            "table-cell",
                            "a cell of the drawn table is not a rectangle",
                            first + ys[rr] + 2,
                            xs[cc] + 2,
                        )
                    owner_rr[cc] = index
            cells.append((r, c, r1 - r, c1 - c, top, ys[r1], left, xs[c1]))
    content_bars = tuple((y, tuple(b)) for y, b in enumerate(bars) if not border[y])
    return _Shape(tuple(cells), n_rows, n_cols, content_bars, width, tuple(border))


_LINE_LIMIT = 1 << 13
_LINES: dict[str, tuple[str, str | int]] = {}
"""Memo: a box table's line → its canvas (a string) and its part of a shape key (the canvas
of a border line, the number of bars of a content line).  Lines without a string canvas
(a zero-width character) are not memoised."""
_SLOTS: dict[tuple[_Shape, int], list[dict[str, GridCell]]] = {}
"""Memo: (shape, index of the table's first line) → per cell of the shape, text → GridCell."""
_slots_size = 0
_first = operator.itemgetter(0)
_second = operator.itemgetter(1)
_get = dict.get


def _line_info(line: str) -> tuple[str, str | int] | None:
    canvas = _fast_canvas(line, "│")
    if canvas is None:
        return None
    if canvas == line:
        canvas = line
    info = (canvas, canvas if _BOX_BORDER_RE.search(canvas) is not None else canvas.count("│"))
    if len(_LINES) >= _LINE_LIMIT:
        _LINES.clear()
    _LINES[line] = info
    return info


class _Plan:
    """Where a shape's cell texts are in the table's canvas lines joined: ``getter`` takes
    every content-line piece of every cell at once (``None``: there are none).  ``values``
    are those pieces stripped, then ``constants`` (texts the shape fixes: pieces on border
    lines, the empty text), then one text per cell of several pieces (the values each
    getter of ``joined`` takes, joined); ``pick`` takes each cell's text from ``values``
    (and one more value, so that it always returns a tuple)."""

    __slots__ = ("constants", "getter", "joined", "line_index", "pick")

    def __init__(self, shape: _Shape, canvas_border: list[str]) -> None:
        self.line_index: list[tuple[int, ...]] | None = None
        """Each grid row's cells (as :func:`opengov._grid.lines_of` gives them) as indices
        into the shape's cells: worked out on the first table of the shape."""
        width = shape.width
        border = shape.border
        slices: list[slice] = []
        items_per_cell: list[list[int | str]] = []
        for _r, _c, _rowspan, _colspan, top, bottom, left, right in shape.cells:
            items: list[int | str] = []
            if bottom == top + 2:  # one line: taken whole, as _read_table does
                ys = [top + 1]
                check = False
            else:
                ys = list(range(top + 1, bottom))
                check = True
            for y in ys:
                if border[y]:
                    part = canvas_border[y][left:right]
                    if check and "─" in part:
                        continue
                    items.append(part.replace(_WIDE_FILL, "").strip())
                else:
                    items.append(len(slices))
                    slices.append(slice(y * width + left, y * width + right))
            items_per_cell.append(items)
        n_parts = len(slices)
        constants: list[str] = []

        def index(item: int | str) -> int:
            if isinstance(item, int):
                return item
            constants.append(item)
            return n_parts + len(constants) - 1

        pick: list[int] = []
        joined: list[Any] = []  # itemgetters of several indexes
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
        for j, (i, indexes) in enumerate(complex_ones):
            pick[i] = n_values + j
            joined.append(operator.itemgetter(*indexes))
        self.getter = operator.itemgetter(*slices) if slices else None
        self.constants = constants
        self.joined = joined
        # the extra index: a tuple even for one cell (a shape without cells is not read here)
        self.pick = operator.itemgetter(*pick, 0) if pick else None


def _read_known_box_table(lines: list[str], first: int) -> Grid | None:
    """:func:`_read_table` for a box-drawn table of a memoised shape whose lines have string
    canvases, ``None`` otherwise (it then reads the table the long way)."""
    global _slots_size
    infos = list(map(_LINES.get, lines))
    if None in infos:
        for i, info in enumerate(infos):
            if info is None:
                info = _line_info(lines[i])
                if info is None:
                    return None
                infos[i] = info
    canvas: list[str] = list(map(_first, infos))  # type: ignore[arg-type]
    key = tuple(map(_second, infos))  # type: ignore[arg-type]
    shape = _SHAPES.get(key)
    if shape is None or len(set(map(len, canvas))) != 1 or len(canvas[0]) != shape.width:
        return None
    joined = "".join(canvas)
    getter = shape.bar_getter
    if getter is not None and "".join(getter(joined)) != shape.bar_text:
        return None
    plan = shape.plan
    if plan is None:
        plan = shape.plan = _Plan(shape, canvas)
    if plan.pick is None:
        return None
    if plan.getter is None:
        values = list(plan.constants)
    else:
        parts = plan.getter(joined)
        if isinstance(parts, str):
            parts = (parts,)
        values = [part.replace(_WIDE_FILL, "").strip() for part in parts]
        values += plan.constants
    if plan.joined:
        values += ["".join(getter(values)) for getter in plan.joined]
    texts = plan.pick(values)[:-1]
    slots = _SLOTS.get((shape, first))
    if slots is None:
        if _slots_size >= _CACHE_LIMIT:
            _SLOTS.clear()
            _slots_size = 0
        slots = _SLOTS[(shape, first)] = [{} for _ in texts]
    cells = list(map(_get, slots, texts))
    if not all(cells):
        for i, cell in enumerate(cells):
            if cell is None:
                r, c, rowspan, colspan, top, _bottom, left, _right = shape.cells[i]
                text = texts[i]
                if _slots_size >= _CACHE_LIMIT:
                    _SLOTS.clear()
                    _slots_size = 0
                _slots_size += 1
                cells[i] = slots[i][text] = GridCell(
                    row=r,
                    col=c,
                    rowspan=rowspan,
                    colspan=colspan,
                    text=text,
                    location=_location(first + top + 2, left + 2),
                )
    known = tuple(cells)
    if plan.line_index is None:
        plain = Grid(cells=known, n_rows=shape.n_rows, n_cols=shape.n_cols)  # type: ignore[arg-type]
        index = {id(cell): i for i, cell in enumerate(known)}
        plan.line_index = [tuple(index[id(cell)] for cell in line) for line in computed_lines(plain)]
    return Grid(
        cells=known,  # type: ignore[arg-type]
        n_rows=shape.n_rows,
        n_cols=shape.n_cols,
        location=_location(first + 1, None),
        lines=[[known[i] for i in line] for line in plan.line_index],  # type: ignore[misc]
    )


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
        blocks.append(Paragraph(text="\n".join(lines[i:j]), location=_location(i + 1, 1)))
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
