"""Markdown → Document: ``#`` headings and paragraphs become paragraphs, GitHub pipe tables
(``| a | b |`` followed by ``|---|---|``) become grids whose first row is a header row."""

from __future__ import annotations

import re

from opengov._errors import Location
from opengov._grid import Block, Document, Grid, GridCell, Paragraph

__all__ = ["detect", "read"]

_DELIMITER = re.compile(r"\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*")
_HEADING = re.compile(r"\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*")


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


def read(text: str) -> Document:
    """Read Markdown into paragraphs and grids."""
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
            blocks.append(Paragraph(text=heading.group(2), location=Location(line=number, column=1)))
        elif not line.strip():
            flush()
        else:
            if not para:
                para_loc = Location(line=number, column=len(line) - len(line.lstrip()) + 1)
            para.append(line.strip())
        i += 1
    flush()
    return Document(blocks=tuple(blocks), form="markdown")
