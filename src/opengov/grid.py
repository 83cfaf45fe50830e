"""Grids and documents: where readers and writers meet.

A :class:`Grid` is a table as positioned cells with spans (``row``, ``col``, ``rowspan``,
``colspan``, ``text``, source ``location``).  Every reader turns its input into a
:class:`Document` — paragraphs and grids in reading order — and only the assembler turns a
Document into a :class:`~opengov.model.Report`.  Every writer builds Grids from a Report and
prints them.  Text, HTML, Markdown, Word and PDF differ only in how they produce or print a
Grid.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Union

import attrs

from opengov.errors import Diagnostic, Location

__all__ = ["GridCell", "Grid", "Paragraph", "Document", "Block"]


@attrs.frozen(kw_only=True)
class GridCell:
    """One cell of a grid at 0-based ``row``/``col``, covering ``rowspan`` × ``colspan``."""

    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    header: bool = False
    location: Location | None = attrs.field(default=None, eq=False)


@attrs.frozen(kw_only=True)
class Grid:
    """A table as positioned cells.  ``n_rows``/``n_cols`` are the grid's extent."""

    cells: tuple[GridCell, ...]
    n_rows: int
    n_cols: int
    location: Location | None = attrs.field(default=None, eq=False)

    @classmethod
    def from_cells(cls, cells: Sequence[GridCell], location: Location | None = None) -> Grid:
        """A grid whose extent is computed from its cells."""
        n_rows = max((c.row + c.rowspan for c in cells), default=0)
        n_cols = max((c.col + c.colspan for c in cells), default=0)
        return cls(cells=tuple(cells), n_rows=n_rows, n_cols=n_cols, location=location)

    @classmethod
    def from_rows(cls, rows: Sequence[Sequence[str]], *, header_rows: int = 0) -> Grid:
        """A grid without spans from rows of texts."""
        cells = [
            GridCell(row=r, col=c, text=text, header=r < header_rows)
            for r, row in enumerate(rows)
            for c, text in enumerate(row)
        ]
        return cls.from_cells(cells)

    def origin_map(self) -> list[list[GridCell | None]]:
        """Every position mapped to the cell that covers it (``None`` where nothing does)."""
        table: list[list[GridCell | None]] = [[None] * self.n_cols for _ in range(self.n_rows)]
        for cell in self.cells:
            for r in range(cell.row, min(cell.row + cell.rowspan, self.n_rows)):
                for c in range(cell.col, min(cell.col + cell.colspan, self.n_cols)):
                    table[r][c] = cell
        return table

    def expanded(self) -> list[list[str]]:
        """Every position's text, spans repeated into each covered position."""
        return [[cell.text if cell else "" for cell in row] for row in self.origin_map()]

    def rows(self) -> Iterator[tuple[GridCell, ...]]:
        """The cells that start in each row, left to right."""
        by_row: list[list[GridCell]] = [[] for _ in range(self.n_rows)]
        for cell in self.cells:
            by_row[cell.row].append(cell)
        for row in by_row:
            yield tuple(sorted(row, key=lambda c: c.col))


@attrs.frozen(kw_only=True)
class Paragraph:
    """A paragraph of prose (or a heading) with where it starts in the source."""

    text: str
    location: Location | None = attrs.field(default=None, eq=False)


Block = Union[Paragraph, Grid]  # noqa: UP007 - a runtime alias, usable on 3.10
"""One thing in a document's reading order."""


@attrs.frozen(kw_only=True)
class Document:
    """A source document as read: paragraphs and grids in reading order."""

    blocks: tuple[Block, ...]
    form: str = "text"
    """The input form it was read from (``text``, ``markdown``, ``html`` …)."""
    diagnostics: tuple[Diagnostic, ...] = ()
    """What the reader itself noticed (encoding chosen, spans clipped …); the assembler
    passes them on into :attr:`opengov.ParseResult.diagnostics`."""

    def paragraphs(self) -> Iterator[Paragraph]:
        for block in self.blocks:
            if isinstance(block, Paragraph):
                yield block

    def grids(self) -> Iterator[Grid]:
        for block in self.blocks:
            if isinstance(block, Grid):
                yield block
