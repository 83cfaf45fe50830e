"""Plain text: the whole report with its tables drawn in the official layout.

A small grid renderer of our own (tabulate has no merged cells).  Widths are display widths
measured with :func:`wcwidth.wcswidth` (a CJK character is two columns), so every line of a
drawn table has the same display width.  Two border styles:

* ``box`` — ``┌─┬┐│├┼┤└┴┘``;
* ``ascii`` — ``+-|``, for terminals and fonts that draw box characters double-wide.

Label cells wrap inside their cell at a display width (a cell spanning several rows wraps as
narrow as its rows allow, so ``三、本年度办理结果`` prints vertically as in the template); data
cells never wrap.  Label cells are left-aligned, data cells right-aligned.  Text is written
only on a row's content lines, never on border lines.  The output is deterministic and is
read back by :mod:`opengov._readers.boxtext`.

The report: the title, the preamble, each of the six section headings followed by its prose
paragraphs or its table, everything separated by one blank line (a paragraph is one line
unless it contains line breaks itself).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Literal

from wcwidth import wcswidth, wcwidth

from opengov import layout
from opengov._grid import Grid, GridCell
from opengov._model import Report
from opengov._writers.layout_grid import report_grids

__all__ = ["Style", "STYLES", "render_grid", "render_text", "display_width"]

Style = Literal["box", "ascii"]
STYLES: tuple[Style, ...] = ("box", "ascii")
"""The border styles."""

LABEL_WIDTH = {"table2": 36, "table3": 36, "table4": 4}
"""Display width at which each table's label cells wrap (table 4's labels stack as in the template)."""

_BOX = {
    # (up, down, left, right) -> junction
    (True, True, True, True): "┼",
    (False, True, True, True): "┬",
    (True, False, True, True): "┴",
    (True, True, False, True): "├",
    (True, True, True, False): "┤",
    (False, True, False, True): "┌",
    (False, True, True, False): "┐",
    (True, False, False, True): "└",
    (True, False, True, False): "┘",
    (False, False, True, True): "─",
    (True, True, False, False): "│",
    (True, False, False, False): "│",
    (False, True, False, False): "│",
    (False, False, True, False): "─",
    (False, False, False, True): "─",
    (False, False, False, False): " ",
}


def _ascii_junction(up: bool, down: bool, left: bool, right: bool) -> str:
    if (up or down) and (left or right):
        return "+"
    if left or right:
        return "-"
    if up or down:
        return "|"
    return " "


_ASCII = {key: _ascii_junction(*key) for key in _BOX}
_JUNCTIONS = {"box": _BOX, "ascii": _ASCII}
_HORIZONTAL = {"box": "─", "ascii": "-"}
_VERTICAL = {"box": "│", "ascii": "|"}
_FORBIDDEN = {
    "box": frozenset(chr(c) for c in range(0x2500, 0x2580)),
    "ascii": frozenset("|+"),
}
"""Characters a cell may not contain in each style (they would read back as borders)."""


@lru_cache(maxsize=4096)
def display_width(text: str) -> int:
    """The display width of ``text`` (CJK characters count 2); ValueError for control characters."""
    width = wcswidth(text)
    if width < 0:
        raise ValueError(f"cannot print {text!r}: it contains a control character")
    return int(width)


@lru_cache(maxsize=4096)
def _char_widths(text: str) -> tuple[int, ...]:
    return tuple(max(int(wcwidth(ch)), 0) for ch in text)


@lru_cache(maxsize=4096)
def _wrap(text: str, width: int) -> tuple[str, ...]:
    """Greedy wrap by display width (a character is never split; at least one per line)."""
    if display_width(text) <= width:
        return (text,)
    lines: list[str] = []
    start = 0
    used = 0
    for i, w in enumerate(_char_widths(text)):
        if used + w > width and i > start:
            lines.append(text[start:i])
            start, used = i, 0
        used += w
    lines.append(text[start:])
    return tuple(lines)


TALL = 4
"""A label cell spanning at least this many rows wraps as narrowly as its rows allow
(``三、本年度办理结果`` and ``（三）不予公开`` print one character per line, as in the template)."""


@lru_cache(maxsize=4096)
def _target_width(text: str, rowspan: int, limit: int) -> int:
    """The width a label cell asks for: its natural width up to ``limit`` (a tall cell: as
    narrow as its rows allow), never narrower than its widest character."""
    natural = display_width(text)
    floor = max(_char_widths(text), default=1) or 1
    cap = max(min(natural, limit), floor)
    if rowspan < TALL:
        return cap
    for width in range(floor, cap):
        if len(_wrap(text, width)) <= rowspan:
            return width
    return cap


@lru_cache(maxsize=4096)
def _drawable(text: str, style: Style) -> bool:
    return not (_FORBIDDEN[style].intersection(text) or "\n" in text or "\r" in text)


def _refuse(cell: GridCell, style: Style) -> ValueError:
    bad = _FORBIDDEN[style].intersection(cell.text)
    what = "a line break" if not bad else f"the border character(s) {''.join(sorted(bad))!r}"
    return ValueError(
        f"cannot draw the cell {cell.text!r} (grid row {cell.row + 1}, column {cell.col + 1}) "
        f"in the {style} style: it contains {what}"
    )


def _column_widths(grid: Grid, label_width: int, style: Style) -> list[int]:
    widths = [1] * grid.n_cols
    spanning: list[tuple[GridCell, int]] = []
    for cell in grid.cells:
        text = cell.text
        if not _drawable(text, style):
            raise _refuse(cell, style)
        target = _target_width(text, cell.rowspan, label_width) if cell.header else display_width(text) or 1
        if cell.colspan == 1:
            if target > widths[cell.col]:
                widths[cell.col] = target
        else:
            spanning.append((cell, target))
    spanning.sort(key=lambda item: (item[0].colspan, item[0].row, item[0].col))
    for cell, target in spanning:
        cols = range(cell.col, cell.col + cell.colspan)
        available = sum(widths[c] for c in cols) + 3 * (cell.colspan - 1)
        missing = target - available
        if missing > 0:
            share, extra = divmod(missing, cell.colspan)
            for k, c in enumerate(cols):
                widths[c] += share + (1 if k >= cell.colspan - extra else 0)
    return widths


class _Structure:
    """What a grid's drawing owes to its spans alone (not to its texts or widths): which cell
    owns each position, the cells met along each row, and each border line as a template
    of junction characters between column segments."""

    __slots__ = ("owner", "spans", "starts", "templates")

    def __init__(self, n_rows: int, n_cols: int, spans: tuple[tuple[int, int, int, int], ...]) -> None:
        self.spans = spans
        """Each cell's ``(row, col, rowspan, colspan)``."""
        owner = [[-1] * n_cols for _ in range(n_rows)]
        for index, (row0, col0, rowspan, colspan) in enumerate(spans):
            for r in range(row0, row0 + rowspan):
                row = owner[r]
                for c in range(col0, col0 + colspan):
                    if row[c] >= 0:
                        raise ValueError(f"grid position (row {r + 1}, column {c + 1}) is covered by two cells")
                    row[c] = index
        for r, row in enumerate(owner):
            if -1 in row:
                c = row.index(-1)
                raise ValueError(f"grid position (row {r + 1}, column {c + 1}) is covered by no cell")
        self.owner = owner
        self.starts = [[row[0]] + [row[c] for c in range(1, n_cols) if row[c] != row[c - 1]] for row in owner]
        # v[r][c]: a vertical border at boundary c in row r; h[r][c]: a horizontal border above row r over column c
        v = [[True] + [row[c - 1] != row[c] for c in range(1, n_cols)] + [True] for row in owner]
        h = [[True] * n_cols]
        h.extend([owner[r - 1][c] != owner[r][c] for c in range(n_cols)] for r in range(1, n_rows))
        h.append([True] * n_cols)
        no_edges = [False] * (n_cols + 1)
        # Border line r as a str.format template: {c} is column c's rule, {n_cols + c} its blank.
        self.templates: dict[str, list[str]] = {}
        for style, junction in _JUNCTIONS.items():
            lines = []
            for r in range(n_rows + 1):
                above = v[r - 1] if r > 0 else no_edges
                below = v[r] if r < n_rows else no_edges
                hr = h[r]
                parts = [_brace(junction[(above[0], below[0], False, hr[0])])]
                for c in range(n_cols):
                    parts.append(f"{{{c if hr[c] else n_cols + c}}}")
                    right = hr[c + 1] if c + 1 < n_cols else False
                    parts.append(_brace(junction[(above[c + 1], below[c + 1], hr[c], right)]))
                lines.append("".join(parts))
            self.templates[style] = lines


def _brace(ch: str) -> str:
    return "{{" if ch == "{" else "}}" if ch == "}" else ch


@lru_cache(maxsize=4096)
def _data_line(text: str, inner: int) -> str:
    """A data cell's one padded line (right-aligned) in a column of ``inner`` width."""
    return " " * (inner - display_width(text) + 1) + text + " "


@lru_cache(maxsize=256)
def _structure_of(n_rows: int, n_cols: int, spans: tuple[tuple[int, int, int, int], ...]) -> _Structure:
    """The :class:`_Structure` of a grid's extent and spans (a pure function: a report's
    three tables have the same spans in every report of a format).  Never changed after
    it is made."""
    return _Structure(n_rows, n_cols, spans)


def _structure(grid: Grid) -> _Structure:
    return _structure_of(grid.n_rows, grid.n_cols, tuple([(c.row, c.col, c.rowspan, c.colspan) for c in grid.cells]))


def render_grid(grid: Grid, *, style: Style = "box", label_width: int = 36) -> list[str]:
    """Draw one grid; every returned line has the same display width.

    Raises ``ValueError`` for a grid position no cell covers or covered twice, and for a
    cell whose text contains a line break or a border character of the style.
    """
    if style not in _JUNCTIONS:
        raise ValueError(f"unknown text style {style!r}: choose one of {', '.join(STYLES)}")
    n_rows = grid.n_rows
    cells = grid.cells
    structure = _structure(grid)

    widths = _column_widths(grid, label_width, style)
    x = [0]  # x[c]: where the text area of column c starts, minus 3 per border and padding
    for w in widths:
        x.append(x[-1] + w + 3)
    inner_of: list[int] = []
    lines_of: list[tuple[str, ...]] = []
    heights = [1] * n_rows
    spanning: list[int] = []
    for index, (cell, (row0, col0, rowspan, colspan)) in enumerate(zip(cells, structure.spans, strict=True)):
        inner = x[col0 + colspan] - x[col0] - 3
        inner_of.append(inner)
        if cell.header:
            lines = _wrap(cell.text, inner)
            if rowspan == 1:
                if len(lines) > heights[row0]:
                    heights[row0] = len(lines)
            else:
                spanning.append(index)
        else:
            lines = (cell.text,)
            if rowspan != 1:
                spanning.append(index)
        lines_of.append(lines)
    spanning.sort(key=lambda i: (cells[i].rowspan, cells[i].row, cells[i].col))
    for index in spanning:
        cell = cells[index]
        missing = len(lines_of[index]) - sum(heights[cell.row : cell.row + cell.rowspan])
        if missing > 0:
            heights[cell.row + cell.rowspan - 1] += missing

    y = [0]  # y[r]: content lines above row r
    for height in heights:
        y.append(y[-1] + height)
    # Each cell's lines padded to its width, one per content line of its rows.
    padded: list[list[str]] = []
    for index, (cell, (row0, _col0, rowspan, _colspan)) in enumerate(zip(cells, structure.spans, strict=True)):
        inner = inner_of[index]
        lines = lines_of[index]
        header = cell.header
        if not header and heights[row0] == 1 and (rowspan == 1 or y[row0 + rowspan] - y[row0] == 1):
            padded.append([_data_line(lines[0], inner)])
            continue
        total = y[row0 + rowspan] - y[row0]
        out_lines = []
        for k in range(total):
            text = lines[k] if k < len(lines) else ""
            pad = " " * (inner - display_width(text))
            out_lines.append(" " + text + pad + " " if header else " " + pad + text + " ")
        padded.append(out_lines)

    vertical = _VERTICAL[style]
    horizontal = _HORIZONTAL[style]
    rules = [horizontal * (w + 2) for w in widths]
    rules.extend(" " * (w + 2) for w in widths)
    templates = structure.templates[style]
    spans = structure.spans
    out: list[str] = []
    for r in range(n_rows + 1):
        out.append(templates[r].format(*rules))
        if r == n_rows:
            break
        starts = structure.starts[r]
        y_r = y[r]
        offsets = [y_r - y[spans[i][0]] for i in starts]
        if heights[r] == 1:
            line = vertical.join([padded[i][o] for i, o in zip(starts, offsets, strict=True)])
            out.append(vertical + line + vertical)
            continue
        for k in range(heights[r]):
            out.append(
                vertical + vertical.join(padded[i][o + k] for i, o in zip(starts, offsets, strict=True)) + vertical
            )
    return out


def render_text(report: Report, *, style: Style = "box") -> str:
    """The whole report as plain text, tables drawn in the official layout (see the module doc)."""
    if style not in _JUNCTIONS:
        raise ValueError(f"unknown text style {style!r}: choose one of {', '.join(STYLES)}")
    grids = report_grids(report)
    blocks: list[str] = []
    if report.title:
        blocks.append(report.title)
    blocks.extend(report.preamble)
    for section in layout.SECTIONS:
        blocks.append(section.label)
        if section.table is not None:
            grid = grids.get(section.table)
            if grid is not None:
                blocks.append("\n".join(render_grid(grid, style=style, label_width=LABEL_WIDTH[section.table])))
        else:
            prose: Sequence[str] = getattr(report, section.key)
            blocks.extend(prose)
    return "\n\n".join(blocks) + "\n"
