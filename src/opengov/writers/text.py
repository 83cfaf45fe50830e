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
read back by :mod:`opengov.readers.boxtext`.

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
from opengov.grid import Grid, GridCell
from opengov.model import Report
from opengov.writers.layout_grid import report_grids

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


def _check_text(cell: GridCell, style: Style) -> None:
    bad = _FORBIDDEN[style].intersection(cell.text)
    if bad or "\n" in cell.text or "\r" in cell.text:
        what = "a line break" if not bad else f"the border character(s) {''.join(sorted(bad))!r}"
        raise ValueError(
            f"cannot draw the cell {cell.text!r} (grid row {cell.row + 1}, column {cell.col + 1}) "
            f"in the {style} style: it contains {what}"
        )


def _column_widths(grid: Grid, label_width: int, style: Style) -> list[int]:
    widths = [1] * grid.n_cols
    spanning: list[tuple[GridCell, int]] = []
    for cell in grid.cells:
        _check_text(cell, style)
        if cell.header:
            target = _target_width(cell.text, cell.rowspan, label_width)
        else:
            target = max(display_width(cell.text), 1)
        if cell.colspan == 1:
            widths[cell.col] = max(widths[cell.col], target)
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


def render_grid(grid: Grid, *, style: Style = "box", label_width: int = 36) -> list[str]:
    """Draw one grid; every returned line has the same display width.

    Raises ``ValueError`` for a grid position no cell covers or covered twice, and for a
    cell whose text contains a line break or a border character of the style.
    """
    if style not in _JUNCTIONS:
        raise ValueError(f"unknown text style {style!r}: choose one of {', '.join(STYLES)}")
    n_rows, n_cols = grid.n_rows, grid.n_cols
    owner: list[list[GridCell | None]] = [[None] * n_cols for _ in range(n_rows)]
    for cell in grid.cells:
        for r in range(cell.row, cell.row + cell.rowspan):
            for c in range(cell.col, cell.col + cell.colspan):
                if owner[r][c] is not None:
                    raise ValueError(f"grid position (row {r + 1}, column {c + 1}) is covered by two cells")
                owner[r][c] = cell
    for r, row in enumerate(owner):
        for c, covering in enumerate(row):
            if covering is None:
                raise ValueError(f"grid position (row {r + 1}, column {c + 1}) is covered by no cell")

    widths = _column_widths(grid, label_width, style)
    lines_of: dict[int, tuple[str, ...]] = {}
    heights = [1] * n_rows
    spanning: list[GridCell] = []
    for cell in grid.cells:
        inner = sum(widths[cell.col : cell.col + cell.colspan]) + 3 * (cell.colspan - 1)
        lines_of[id(cell)] = _wrap(cell.text, inner) if cell.header else (cell.text,)
        if cell.rowspan == 1:
            heights[cell.row] = max(heights[cell.row], len(lines_of[id(cell)]))
        else:
            spanning.append(cell)
    spanning.sort(key=lambda cell: (cell.rowspan, cell.row, cell.col))
    for cell in spanning:
        missing = len(lines_of[id(cell)]) - sum(heights[cell.row : cell.row + cell.rowspan])
        if missing > 0:
            heights[cell.row + cell.rowspan - 1] += missing

    junction = _JUNCTIONS[style]
    horizontal = _HORIZONTAL[style]
    vertical = _VERTICAL[style]

    def v_edge(r: int, c: int) -> bool:
        """A vertical border at boundary ``c`` in row ``r``."""
        return c == 0 or c == n_cols or owner[r][c - 1] is not owner[r][c]

    def h_edge(r: int, c: int) -> bool:
        """A horizontal border above row ``r`` over column ``c``."""
        return r == 0 or r == n_rows or owner[r - 1][c] is not owner[r][c]

    out: list[str] = []
    for r in range(n_rows + 1):
        parts: list[str] = []
        for c in range(n_cols + 1):
            up = r > 0 and v_edge(r - 1, c)
            down = r < n_rows and v_edge(r, c)
            left = c > 0 and h_edge(r, c - 1)
            right = c < n_cols and h_edge(r, c)
            parts.append(junction[(up, down, left, right)])
            if c < n_cols:
                parts.append((horizontal if right else " ") * (widths[c] + 2))
        out.append("".join(parts))
        if r == n_rows:
            break
        for i in range(heights[r]):
            parts = []
            c = 0
            while c < n_cols:
                covering = owner[r][c]
                assert covering is not None
                cell = covering
                span_end = cell.col + cell.colspan
                parts.append(vertical)
                inner = sum(widths[c:span_end]) + 3 * (span_end - c) - 1
                key = id(cell)
                index = sum(heights[cell.row : r]) + i
                lines = lines_of[key]
                text = lines[index] if index < len(lines) else ""
                pad = inner - 2 - display_width(text)
                if cell.header:
                    parts.append(" " + text + " " * (pad + 1))
                else:
                    parts.append(" " * (pad + 1) + text + " ")
                c = span_end
            parts.append(vertical)
            out.append("".join(parts))
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
