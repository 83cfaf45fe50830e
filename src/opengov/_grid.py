"""Grids and documents: where readers and writers meet.

A :class:`Grid` is a table as positioned cells with spans (``row``, ``col``, ``rowspan``,
``colspan``, ``text``, source ``location``).  Every reader turns its input into a
:class:`Document` — paragraphs and grids in reading order — and only the assembler turns a
Document into a :class:`~opengov._model.Report`.  Every writer builds Grids from a Report and
prints them.  Text, HTML, Markdown, Word and PDF differ only in how they produce or print a
Grid.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Union

import attrs

from opengov._errors import Diagnostic, Location
from opengov._patterns import is_page_number

__all__ = [
    "GridCell",
    "Reading",
    "Grid",
    "Paragraph",
    "Document",
    "Block",
    "lines_of",
    "computed_lines",
    "relocated",
    "relocated_document",
    "to_lines",
]


@attrs.frozen(kw_only=True)
class Reading:
    """One way a recogniser (OCR) read a cell's text, with its probability (0 … 1)."""

    text: str
    probability: float


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
    readings: tuple[Reading, ...] = attrs.field(default=(), eq=False, repr=False)
    """For a cell read by OCR: the recogniser's readings of its text, most probable first
    (the first is :attr:`text`), each with its probability.  Empty for every other reader.
    A reader that gives readings gives each such cell a :attr:`location` of its own: once
    the assembler has placed the cells, :mod:`opengov._alternatives` finds each placed
    cell's readings by its location and holds them against the tables' identities."""


@attrs.frozen(kw_only=True)
class Grid:
    """A table as positioned cells.  ``n_rows``/``n_cols`` are the grid's extent."""

    cells: tuple[GridCell, ...]
    n_rows: int
    n_cols: int
    location: Location | None = attrs.field(default=None, eq=False)
    lines: Sequence[Sequence[GridCell]] | None = attrs.field(default=None, eq=False, repr=False)
    hard_cells: bool = attrs.field(default=False, eq=False, repr=False)
    """Whether the reader knows that this grid's cells were printed apart (a TAB layout:
    a cell per TAB), whatever :attr:`Document.soft_cells` says of the document: then no
    separator between two of its cells was lost, and a row with too few cells is not cut
    by the recovery (only a single glued cell is)."""
    whole_cells: bool = attrs.field(default=False, eq=False, repr=False)
    """Whether every cell of this grid is one printed cell and a cell printed empty may be
    missing (a text printed one cell per line: an empty cell is an empty line, like the end
    of a row): then no cell is glued digits, and a row with fewer cells than columns lost
    its blank cells and is not cut by the recovery at all (implies :attr:`hard_cells`)."""
    """Each grid row's distinct cells left to right, when the reader that built the grid
    knows them (a TAB layout's rows, a box-drawn table); ``None`` otherwise.  Read them with
    :func:`lines_of`, which computes them when they are not given.  A reader that gives
    them promises they equal the computed ones (tests compare the two)."""

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


def _page_number_default(paragraph: Paragraph) -> bool:
    return is_page_number(paragraph.text)


@attrs.frozen(kw_only=True)
class Paragraph:
    """A paragraph of prose (or a heading) with where it starts in the source."""

    text: str
    location: Location | None = attrs.field(default=None, eq=False)
    page_number: bool = attrs.field(default=attrs.Factory(_page_number_default, takes_self=True))
    """Whether the paragraph is a page number (``- 4 -``, ``第4页``) rather than text: by
    default, whether its text looks like one; a reader that knows better (a PDF footer)
    says so."""


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
    soft_cells: bool = False
    """Whether the reader split cells at white space (text copied from a page, PDF words):
    then neighbouring cells may have lost the separator between them, and a row with too
    few cells may be cut by the recovery.  Cells of real markup tables (HTML, Markdown,
    Word) are not soft: only a single glued cell is cut."""
    tables_missing: bool = False
    """Whether the reader looked for tables and found none (a page whose tables are
    images, a Word file without tables): the document may still be the report it is
    titled, with its tables missing."""

    def paragraphs(self) -> Iterator[Paragraph]:
        for block in self.blocks:
            if isinstance(block, Paragraph):
                yield block

    def grids(self) -> Iterator[Grid]:
        for block in self.blocks:
            if isinstance(block, Grid):
                yield block


# ---------------------------------------------------------------------------------------
# Each row's cells (what the assembler reads a grid by)
# ---------------------------------------------------------------------------------------


def lines_of(grid: Grid) -> Sequence[Sequence[GridCell]]:
    """Each grid row's distinct cells left to right (a spanning cell once per row it
    covers), as :meth:`Grid.origin_map` gives them: :attr:`Grid.lines` when the reader
    gave them, computed otherwise."""
    if grid.lines is not None:
        return grid.lines
    return computed_lines(grid)


def computed_lines(grid: Grid) -> list[list[GridCell]]:
    """Each grid row's distinct cells left to right (a spanning cell once per row it
    covers): what :meth:`Grid.origin_map` gives, without building the full map when no
    two cells overlap (the usual case; overlapping or odd spans go through the map)."""
    n_rows, n_cols = grid.n_rows, grid.n_cols
    by_row: list[list[GridCell]] = [[] for _ in range(n_rows)]
    for cell in grid.cells:
        r0, c0 = cell.row, cell.col
        if r0 < 0 or c0 < 0 or cell.rowspan < 1 or cell.colspan < 1:
            return _lines_by_map(grid)
        if c0 >= n_cols:
            continue  # covers no position
        if cell.rowspan == 1:
            if r0 < n_rows:
                by_row[r0].append(cell)
            continue
        for r in range(r0, min(r0 + cell.rowspan, n_rows)):
            by_row[r].append(cell)
    for row in by_row:
        end = 0
        for cell in row:
            if cell.col < end:
                break
            end = cell.col + cell.colspan
        else:
            continue
        row.sort(key=_column)
        end = 0
        for cell in row:
            if cell.col < end:
                return _lines_by_map(grid)
            end = cell.col + cell.colspan
    return by_row


def _column(cell: GridCell) -> int:
    return cell.col


def _lines_by_map(grid: Grid) -> list[list[GridCell]]:
    lines: list[list[GridCell]] = []
    for line in grid.origin_map():
        cells: list[GridCell] = []
        for covering in line:
            if covering is not None and (not cells or cells[-1] is not covering):
                cells.append(covering)
        lines.append(cells)
    return lines


def relocated(block: Block, moved: Callable[[Location | None], Location | None]) -> Block:
    """``block`` with every location it holds (its own, its cells') passed through
    ``moved``: for a reader that read a text made from its source (a page's text, a text
    without its doubled line breaks) and puts each location back where it is in the
    source."""
    if isinstance(block, Paragraph):
        return attrs.evolve(block, location=moved(block.location))
    cells = {(c.row, c.col): attrs.evolve(c, location=moved(c.location)) for c in block.cells}
    lines = None if block.lines is None else [[cells[(c.row, c.col)] for c in line] for line in block.lines]
    return attrs.evolve(
        block, cells=tuple(cells[(c.row, c.col)] for c in block.cells), lines=lines, location=moved(block.location)
    )


def relocated_document(document: Document, moved: Callable[[Location | None], Location | None]) -> Document:
    """``document`` with every location it holds (its blocks', their cells', its
    diagnostics') passed through ``moved`` (see :func:`relocated`)."""
    return attrs.evolve(
        document,
        blocks=tuple(relocated(block, moved) for block in document.blocks),
        diagnostics=tuple(attrs.evolve(d, location=moved(d.location) or Location()) for d in document.diagnostics),
    )


def to_lines(numbers: Sequence[int]) -> Callable[[Location | None], Location | None]:
    """What moves a location on line ``n`` of a text made of some lines of another to the
    line it is on there: ``numbers[n − 1]`` (1-based; a location on no line is kept)."""

    def moved(location: Location | None) -> Location | None:
        if location is None or location.line is None or not 1 <= location.line <= len(numbers):
            return location
        return attrs.evolve(location, line=numbers[location.line - 1])

    return moved
