"""Reader of opengov's own plain-text rendering (:func:`opengov.render` ``to="text"``).

Both border styles are read: ``box`` (``┌─┬┐│├┼┤└┴┘``) and ``ascii`` (``+-|``).  A drawn
table becomes a :class:`~opengov.grid.Grid` whose rowspans and colspans are recovered from
the borders; a cell's wrapped lines are joined back (without separator, as the renderer
wraps by character).  Every other run of non-blank lines is one
:class:`~opengov.grid.Paragraph` (its lines joined with ``\\n``): the title, the preamble, the
section headings and the prose.

Interface: :func:`detect` (is this our text rendering?) and :func:`read` (→ Document).
Problems are reported as :class:`~opengov.errors.ParseError` naming the line and column.
"""

from __future__ import annotations

import re

from wcwidth import wcwidth

from opengov.errors import Diagnostic, Location, ParseError, Severity
from opengov.grid import Document, Grid, GridCell, Paragraph

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
    return bool(_DETECT_BOX_RE.search(text) or _DETECT_ASCII_RE.search(text))


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


def _error(code: str, message: str, line: int, column: int | None = None) -> ParseError:
    diagnostic = Diagnostic(
        severity=Severity.ERROR, code=code, message=message, location=Location(line=line, column=column)
    )
    return ParseError([diagnostic], "the text table could not be read")


def _is_border(line: list[str], box: bool) -> bool:
    if box:
        return "─" in line or any(ch in _BOX_JUNCTIONS for ch in line)
    return bool(_ASCII_BORDER_RE.search("".join(ch for ch in line if ch != _WIDE_FILL)))


def _read_table(lines: list[str], first: int) -> Grid:
    """One drawn table; ``first`` is the 0-based index of its first line in the text."""
    box = lines[0].startswith("┌")
    canvas = [_canvas(line) for line in lines]
    width = len(canvas[0])
    for i, row in enumerate(canvas):
        if len(row) != width:
            raise _error(
                "ragged-table",
                f"table line is {len(row)} display columns wide, expected {width} like the table's first line",
                first + i + 1,
            )
    border = [_is_border(row, box) for row in canvas]
    if not border[0] or not border[-1]:
        bad = 0 if not border[0] else len(canvas) - 1
        raise _error("table-border", "a drawn table must start and end with a border line", first + bad + 1)
    verticals = _BOX_VERTICALS if box else frozenset("+|")
    content_vertical = "│" if box else "|"
    xs = sorted({x for i, row in enumerate(canvas) for x, ch in enumerate(row) if ch in verticals})
    ys = [i for i, is_border in enumerate(border) if is_border]
    if not xs or xs[0] != 0 or xs[-1] != width - 1:
        raise _error("table-border", "a drawn table must have vertical borders on both sides", first + 1)
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    horizontal = "─" if box else "-"

    # Which neighbouring units are joined (no border between them)?
    def joined_right(r: int, c: int) -> bool:
        x = xs[c + 1]
        return all(canvas[y][x] != content_vertical for y in range(ys[r] + 1, ys[r + 1]))

    def joined_down(r: int, c: int) -> bool:
        y = ys[r + 1]
        return canvas[y][xs[c] + 1] != horizontal

    owner = [[-1] * n_cols for _ in range(n_rows)]
    cells: list[GridCell] = []
    for r in range(n_rows):
        for c in range(n_cols):
            if owner[r][c] >= 0:
                continue
            c1 = c + 1
            while c1 < n_cols and joined_right(r, c1 - 1):
                c1 += 1
            r1 = r + 1
            while r1 < n_rows and joined_down(r1 - 1, c):
                r1 += 1
            for rr in range(r, r1):
                for cc in range(c, c1):
                    if owner[rr][cc] >= 0:
                        raise _error(
                            "table-cell",
                            "a cell of the drawn table is not a rectangle",
                            first + ys[rr] + 2,
                            xs[cc] + 2,
                        )
                    owner[rr][cc] = len(cells)
            texts = []
            for y in range(ys[r] + 1, ys[r1]):
                if border[y] and _crossed_by_border(canvas[y], xs[c] + 1, xs[c1], horizontal):
                    continue
                piece = "".join(canvas[y][xs[c] + 1 : xs[c1]]).replace(_WIDE_FILL, "").strip()
                if piece:
                    texts.append(piece)
            cells.append(
                GridCell(
                    row=r,
                    col=c,
                    rowspan=r1 - r,
                    colspan=c1 - c,
                    text="".join(texts),
                    location=Location(line=first + ys[r] + 2, column=xs[c] + 3),
                )
            )
    return Grid(cells=tuple(cells), n_rows=n_rows, n_cols=n_cols, location=Location(line=first + 1))


def _crossed_by_border(row: list[str], start: int, stop: int, horizontal: str) -> bool:
    return any(ch == horizontal for ch in row[start:stop])


def read(text: str) -> Document:
    """Read opengov's text rendering into a Document: Paragraphs and Grids in reading order.

    Raises :class:`~opengov.errors.ParseError` (naming the line) when a drawn table is
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
    return Document(blocks=tuple(blocks), form="text")


def _is_ascii_top(lines: list[str], i: int) -> bool:
    return bool(re.fullmatch(r"\+-[-+]*\+", lines[i])) and i + 1 < len(lines) and lines[i + 1].startswith("|")
