"""Markdown → Document: ``#`` headings and paragraphs become paragraphs, GitHub pipe tables
(``| a | b |`` followed by ``|---|---|``) become grids whose first row is a header row."""

from __future__ import annotations

import re

from opengov._errors import Location
from opengov._grid import Block, Document, Grid, GridCell, Paragraph
from opengov._limits import limit_error

__all__ = ["detect", "read"]

# Both are unambiguous (no two neighbouring quantifiers can share a run of spaces), so
# a failing line costs linear time: ``\s*\|?\s*`` would try every split of a long run
# of spaces, ``(.*?)\s*#*\s*`` every split of every run (cubic); a heading's closing
# hashes are taken off by :func:`_heading_text` instead.
_DELIMITER = re.compile(r"\s*(?:\|\s*)?:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*(?:\|\s*)?")
_HEADING = re.compile(r"\s{0,3}(#{1,6})\s+(.*)")


def detect(text: str) -> bool:
    """Markdown when the text holds a pipe table (a ``|---|`` delimiter row under a
    ``|`` row) or at least two ``#`` headings."""
    pipes, hashes = "|" in text, "#" in text
    if not (pipes or hashes):  # a pipe table needs "|", a heading "#"
        return False
    lines = text.splitlines()
    if pipes:
        for i, line in enumerate(lines[1:], start=1):
            if "|" in line and _DELIMITER.fullmatch(line) and "|" in lines[i - 1]:
                return True
    return hashes and sum(1 for line in lines if "#" in line and _HEADING.fullmatch(line)) >= 2


_PIPE = re.compile(r"(?<!\\)\|")
"""A cell separator: a pipe not escaped by a backslash."""


def _row(line: str, number: int, r: int) -> list[GridCell]:
    """The cells of one table line (line ``number``) as row ``r`` of its grid (the first
    row is the header row), each located at its first non-blank character."""
    stripped = line.strip()
    offset = len(line) - len(line.lstrip())
    if stripped.startswith("|"):
        stripped, offset = stripped[1:], offset + 1
    if stripped.endswith("|") and not stripped.endswith("\\|"):
        stripped = stripped[:-1]
    cells = []
    col = offset
    header = r == 0
    for c, part in enumerate(_PIPE.split(stripped)):
        lead = len(part) - len(part.lstrip())
        text = part.strip()
        if "\\|" in text:
            text = text.replace("\\|", "|")
        location = Location(line=number, column=col + lead + 1)
        cells.append(GridCell(row=r, col=c, text=text, header=header, location=location))
        col += len(part) + 1
    return cells


def _heading_text(heading: re.Match[str]) -> str:
    r"""A heading's text: what follows the hashes, without the longest end of white space,
    hashes and white space (what ``(.*?)\s*#*\s*`` left, without its backtracking)."""
    return heading.group(2).rstrip().rstrip("#").rstrip()


def read(text: str, *, max_cells: int | None = None) -> Document:
    """Read Markdown into paragraphs and grids; ``max_cells`` (``Limits.cells``) stops the
    reading with a ``limit-cells`` :class:`~opengov.ParseError` as soon as the tables have
    more cells."""
    cells_left = -1 if max_cells is None else max_cells
    lines = text.splitlines()
    blocks: list[Block] = []
    para: list[str] = []
    para_loc: Location | None = None

    def flush() -> None:
        nonlocal para, para_loc
        if para:
            blocks.append(Paragraph(text="".join(para), location=para_loc))
        para, para_loc = [], None

    i = 0
    while i < len(lines):
        line = lines[i]
        number = i + 1
        if "|" in line and i + 1 < len(lines) and _DELIMITER.fullmatch(lines[i + 1]) and "|" in lines[i + 1]:
            flush()
            rows = [_row(line, number, 0)]
            i += 2
            while i < len(lines) and "|" in lines[i] and lines[i].strip():
                rows.append(_row(lines[i], i + 1, len(rows)))
                if max_cells is not None:
                    cells_left -= len(rows[-1])
                    if cells_left < 0:
                        raise limit_error("cells", f"more than {max_cells}", max_cells, location=Location(line=i + 1))
                i += 1
            # no spans: each row's cells, left to right, are its line
            blocks.append(
                Grid(
                    cells=tuple(cell for row in rows for cell in row),
                    n_rows=len(rows),
                    n_cols=max(map(len, rows)),
                    location=Location(line=number, column=1),
                    lines=rows,
                )
            )
            continue
        heading = _HEADING.fullmatch(line)
        if heading:
            flush()
            blocks.append(Paragraph(text=_heading_text(heading), location=Location(line=number, column=1)))
        elif not line.strip():
            flush()
        else:
            if not para:
                para_loc = Location(line=number, column=len(line) - len(line.lstrip()) + 1)
            para.append(line.strip())
        i += 1
    flush()
    return Document(blocks=tuple(blocks), form="markdown")
