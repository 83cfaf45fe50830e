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


def _cells(line: str, number: int) -> list[tuple[str, Location]]:
    stripped = line.strip()
    offset = line.index(stripped) if stripped else 0
    if stripped.startswith("|"):
        stripped, offset = stripped[1:], offset + 1
    if stripped.endswith("|") and not stripped.endswith("\\|"):
        stripped = stripped[:-1]
    cells = []
    col = offset
    for part in re.split(r"(?<!\\)\|", stripped):
        lead = len(part) - len(part.lstrip())
        cells.append((part.strip().replace("\\|", "|"), Location(line=number, column=col + lead + 1)))
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
            rows = [_cells(line, number)]
            i += 2
            while i < len(lines) and "|" in lines[i] and lines[i].strip():
                rows.append(_cells(lines[i], i + 1))
                i += 1
            cells = [
                GridCell(row=r, col=c, text=t, header=r == 0, location=loc)
                for r, row in enumerate(rows)
                for c, (t, loc) in enumerate(row)
            ]
            blocks.append(Grid.from_cells(cells, location=Location(line=number, column=1)))
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
