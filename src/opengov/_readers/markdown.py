"""Markdown → Document: ``#`` headings and paragraphs become paragraphs, GitHub pipe tables
(``| a | b |`` followed by ``|---|---|``) become grids whose first row is a header row.

What PDF-to-Markdown converters leave inside a table is read as the table it was:

* a delimiter row (``|---|---|``) inside a table is skipped (it is no row and holds no label);
* empty cells after a row's last cell beyond the table's columns (``| 32 | … | 34 | |``, the
  column count is the delimiter row's; the header row too) are dropped, with one ``extra-empty-cells`` note per
  table;
* blank lines and page-number lines (``— 4 —``) between two rows of a table do not end it
  when the next line is a ``|`` row that starts no table of its own (a page break in a
  converted PDF): the table goes on, and the page-number lines follow it as paragraphs (the
  assembler skips them with a ``page-number`` note);
* a line break inside a cell (``<br>``) joins the words it broke; between two figures it is
  a space (``3<br>0`` is two figures, never ``30``).
"""

from __future__ import annotations

import functools
import re

import attrs

from opengov._errors import Diagnostic, Location, ParseError, Severity
from opengov._grid import Block, Document, Grid, GridCell, Paragraph, relocated_document, to_lines
from opengov._limits import limit_error
from opengov._patterns import is_page_number

__all__ = ["detect", "read"]

# Both are unambiguous (no two neighbouring quantifiers can share a run of spaces), so
# a failing line costs linear time: ``\s*\|?\s*`` would try every split of a long run
# of spaces, ``(.*?)\s*#*\s*`` every split of every run (cubic); a heading's closing
# hashes are taken off by :func:`_heading_text` instead.
_DELIMITER = re.compile(r"\s*(?:\|\s*)?:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*(?:\|\s*)?")
_HEADING = re.compile(r"\s{0,3}(#{1,6})\s+(.*)")


def detect(text: str) -> bool:
    """Markdown when the text holds a pipe table (a ``|---|`` delimiter row under a
    ``|`` row), at least two ``#`` headings, or HTML table blocks in plain text
    (:func:`has_html_table_blocks`)."""
    pipes, hashes = "|" in text, "#" in text
    lines = text.splitlines()
    if not (pipes or hashes):  # a pipe table needs "|", a heading "#"
        return "<" in text and _html_table_blocks(lines)
    if pipes:
        for i, line in enumerate(lines[1:], start=1):
            if "|" in line and _DELIMITER.fullmatch(line) and "|" in lines[i - 1]:
                return True
    return (hashes and _headed(lines)) or ("<" in text and _html_table_blocks(lines))


_BLOCK_TAG = re.compile(
    r"<(?:p|div|br|h[1-6]|li|ul|ol|span|font|strong|b|center|section|article|body|html|head|tr|td|th)[\s/>]",
    re.IGNORECASE,
)


def has_html_table_blocks(text: str) -> bool:
    """Whether the text is plain text (or Markdown) whose tables are HTML ``<table>`` blocks
    (:data:`_HTML_TABLE_START`): at least one such block, two paragraphs of text or more
    outside them (lines between blank lines or blocks), and no HTML tag of a page's flow
    outside them (``<p>``, ``<div>``, ``<br>`` …): what an OCR or PDF converter writes, its
    paragraphs separated by blank lines, which the HTML reader would run into one paragraph
    (a fragment of one line of text and a table stays HTML)."""
    return "<" in text and _html_table_blocks(text.splitlines())


def _html_table_blocks(lines: list[str]) -> bool:
    """:func:`has_html_table_blocks` of the text's lines."""
    blocks = False
    paragraphs = 0  # runs of lines of text outside the blocks
    in_paragraph = False
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<" in line and _HTML_TABLE_START.match(line):
            i = _block_end(lines, i)
            blocks, in_paragraph = True, False
            continue
        if "<" in line and _BLOCK_TAG.search(line):
            return False
        if line.strip():
            paragraphs += not in_paragraph
            in_paragraph = True
        else:
            in_paragraph = False
        i += 1
    return blocks and paragraphs >= 2


def has_headings(text: str) -> bool:
    """Whether the text has at least two ``#`` headings (a line ``# …`` to ``###### …``):
    Markdown, even when its tables are HTML ``<table>`` blocks (the HTML reader's
    :func:`~opengov._readers.html.detect` leaves such a text to this reader)."""
    return "#" in text and _headed(text.splitlines())


def _headed(lines: list[str]) -> bool:
    return sum(1 for line in lines if "#" in line and _HEADING.fullmatch(line)) >= 2


_PIPE = re.compile(r"(?<!\\)\|")
"""A cell separator: a pipe not escaped by a backslash."""


_BREAK = re.compile(r"\s*<br\s*/?>\s*", re.IGNORECASE)
"""A line break inside a cell (``<br>``, ``<br/>``), as converters write one."""


def _line_breaks(text: str) -> str:
    """A cell's text without its ``<br>`` line breaks: words broken over lines are joined
    (``二、上年结转政府信息<br>公开申请数量``), a break between two figures becomes a space (two
    figures are never glued into one)."""

    def join(match: re.Match[str]) -> str:
        before, after = text[: match.start()], text[match.end() :]
        figures = before[-1:].isdigit() and after[:1].isdigit()
        return " " if figures else ""

    return _BREAK.sub(join, text).strip()


def _cells_of(line: str) -> tuple[str, int]:
    """A table line without its outer pipes, and the column (0-based) where what is left
    starts."""
    stripped = line.strip()
    offset = len(line) - len(line.lstrip())
    if stripped.startswith("|"):
        stripped, offset = stripped[1:], offset + 1
    if stripped.endswith("|") and not stripped.endswith("\\|"):
        stripped = stripped[:-1]
    return stripped, offset


def _width(line: str) -> int:
    """How many cells :func:`_row` makes of a table line (without making them)."""
    return len(_PIPE.split(_cells_of(line)[0]))


_CACHED_LINE = 4096
"""The longest table line :func:`_row` keeps in its cache (characters): what the cache holds
stays a few megabytes, whatever lines a document has."""


def _row(line: str, number: int, r: int) -> tuple[GridCell, ...]:
    """The cells of one table line (line ``number``) as row ``r`` of its grid (the first
    row is the header row), each located at its first non-blank character.  A pure
    function of its arguments, cached for lines up to :data:`_CACHED_LINE` characters
    (:func:`_cached_row`: a row recurs when the same document is read again, or a header
    row of one layout at the same place)."""
    if len(line) > _CACHED_LINE:
        return _row_cells(line, number, r)
    return _cached_row(line, number, r)


@functools.lru_cache(maxsize=1024)
def _cached_row(line: str, number: int, r: int) -> tuple[GridCell, ...]:
    return _row_cells(line, number, r)


def _row_cells(line: str, number: int, r: int) -> tuple[GridCell, ...]:
    stripped, offset = _cells_of(line)
    cells = []
    col = offset
    header = r == 0
    for c, part in enumerate(_PIPE.split(stripped)):
        text = part.lstrip()
        lead = len(part) - len(text)
        text = text.rstrip()
        if "\\|" in text:
            text = text.replace("\\|", "|")
        if "<" in text:
            text = _line_breaks(text)
        location = Location(line=number, column=col + lead + 1)
        cells.append(GridCell(row=r, col=c, text=text, header=header, location=location))
        col += len(part) + 1
    return tuple(cells)


def _is_delimiter(line: str) -> bool:
    return "|" in line and _DELIMITER.fullmatch(line) is not None


def _starts_table(lines: list[str], i: int) -> bool:
    """Whether ``lines[i]`` is a table's header row (a ``|`` row over a delimiter row)."""
    return "|" in lines[i] and i + 1 < len(lines) and _is_delimiter(lines[i + 1])


def _footer_run(lines: list[str], i: int) -> int | None:
    """Where a table goes on after blank lines and page-number lines at ``lines[i]``: the
    index of the next row of the same table, or None when the table ends here (what follows
    is no ``|`` row, or starts a table of its own)."""
    j = i
    while j < len(lines) and (not lines[j].strip() or is_page_number(lines[j])):
        j += 1
    if j == i or j >= len(lines) or not lines[j].lstrip().startswith("|") or _starts_table(lines, j):
        return None
    return j


def _table(
    lines: list[str], start: int, cells_left: list[int] | None = None
) -> tuple[Grid, list[Paragraph], Diagnostic | None, int]:
    """The table whose header row is ``lines[start]``: its grid, the page-number lines met
    inside it (as paragraphs), a note on dropped empty cells, and the index after it.
    ``cells_left`` (one number, counted down) stops the reading with ``limit-cells`` as soon
    as the tables hold more cells than :attr:`opengov.Limits.cells`."""
    width = _width(lines[start + 1])  # the delimiter row's columns
    rows: list[list[GridCell]] = []
    trimmed = 0

    def add(line: str, number: int) -> None:
        nonlocal trimmed
        cells = list(_row(line, number, len(rows)))
        if len(cells) > width and not cells[-1].text:
            while len(cells) > width and not cells[-1].text:
                cells.pop()
            trimmed += 1
        rows.append(cells)
        if cells_left is not None:
            cells_left[0] -= len(cells)
            if cells_left[0] < 0:
                limit = cells_left[1]
                raise limit_error("cells", f"more than {limit}", limit, location=Location(line=number))

    add(lines[start], start + 1)
    footers: list[Paragraph] = []
    i = start + 2
    while i < len(lines):
        line = lines[i]
        if "|" in line and line.strip():
            if not _is_delimiter(line):  # a delimiter row inside the table: no row
                add(line, i + 1)
            i += 1
            continue
        after = _footer_run(lines, i)
        if after is None:
            break
        for n in range(i, after):
            if lines[n].strip():
                column = len(lines[n]) - len(lines[n].lstrip()) + 1
                footers.append(Paragraph(text=lines[n].strip(), location=Location(line=n + 1, column=column)))
        i = after
    location = Location(line=start + 1, column=1)
    note = None
    if trimmed:
        note = Diagnostic(
            severity=Severity.INFO,
            code="extra-empty-cells",
            message=f"{trimmed} rows of a table of {width} columns end in empty cells beyond its columns; dropped",
            location=location,
        )
    grid = Grid(
        cells=tuple(cell for row in rows for cell in row),
        n_rows=len(rows),
        n_cols=max(map(len, rows)),
        location=location,
        lines=rows,
    )
    return grid, footers, note, i


def _heading_text(heading: re.Match[str]) -> str:
    r"""A heading's text: what follows the hashes, without the longest end of white space,
    hashes and white space (what ``(.*?)\s*#*\s*`` left, without its backtracking)."""
    return heading.group(2).rstrip().rstrip("#").rstrip()


def read(text: str, *, max_cells: int | None = None) -> Document:
    """Read Markdown into paragraphs and grids; ``max_cells`` (``Limits.cells``) stops the
    reading with a ``limit-cells`` :class:`~opengov.ParseError` as soon as the tables have
    more cells."""
    cells_left = None if max_cells is None else [max_cells, max_cells]
    lines = text.splitlines()
    blocks: list[Block] = []
    notes: list[Diagnostic] = []
    para: list[str] = []
    para_loc: Location | None = None

    def flush() -> None:
        nonlocal para, para_loc
        if para:
            blocks.append(Paragraph(text="".join(para), location=para_loc))
        para, para_loc = [], None

    html_tables = 0
    i = 0
    while i < len(lines):
        line = lines[i]
        number = i + 1
        block = _html_table_block(lines, i, cells_left, html_tables) if "<" in line else None
        if block is not None:
            flush()
            document, i = block
            blocks.extend(document.blocks)
            notes.extend(document.diagnostics)
            html_tables += sum(1 for b in document.blocks if isinstance(b, Grid))
            continue
        if _starts_table(lines, i):
            flush()
            # no spans: each row's cells, left to right, are its line
            grid, footers, note, i = _table(lines, i, cells_left)
            blocks.append(grid)
            blocks.extend(footers)
            if note is not None:
                notes.append(note)
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
    if not any(isinstance(block, Grid) for block in blocks):
        found = _double_spaced_tables(lines, max_cells) or _tables_in_text(text, max_cells)
        if found is not None:
            return found
    return Document(blocks=tuple(blocks), form="markdown", diagnostics=tuple(notes))


_HTML_TABLE_START = re.compile(r"\s{0,3}(?:<(?:html|body|div|center|figure)\b[^>]*>\s*)*<table[\s>]", re.IGNORECASE)
"""A line that starts an HTML table block: ``<table …>`` at its start (up to three spaces
before it, as CommonMark allows), possibly inside wrappers opened on the same line
(``<html><body><table>``, ``<div …><table>``)."""
_TABLE_OPEN = re.compile(r"<table[\s>]", re.IGNORECASE)
_TABLE_CLOSE = re.compile(r"</table\s*>", re.IGNORECASE)


def _block_end(lines: list[str], start: int) -> int:
    """The index after the HTML table block that ``lines[start]`` starts: after the line
    where every ``<table>`` it opened is closed, or at the first blank line before that (as
    CommonMark's HTML blocks end).  Never past a blank line, so that the blocks of a text
    are found in one pass over it, however many are never closed."""
    depth = 0
    for j in range(start, len(lines)):
        line = lines[j]
        if j > start and not line.strip():
            return j
        if "<" in line:
            depth += len(_TABLE_OPEN.findall(line)) - len(_TABLE_CLOSE.findall(line))
            if depth <= 0:
                return j + 1
    return len(lines)


def _html_table_block(
    lines: list[str], start: int, cells_left: list[int] | None, tables_before: int
) -> tuple[Document, int] | None:
    """The HTML table block that ``lines[start]`` starts (see :data:`_HTML_TABLE_START`),
    read by the HTML reader, and the index of the line after it; ``None`` when the line
    starts none or the HTML reader finds no data table in it (its lines are then read as
    Markdown text, as before).

    OCR and PDF converters write a table with merged cells as HTML inside their Markdown
    (a pipe table cannot merge cells).  The block runs to the line where every ``<table>``
    it opened is closed, or to the first blank line before that, as CommonMark's HTML blocks
    end (:func:`_block_end`).  Its cells keep the HTML reader's row and cell numbers; their lines are
    the Markdown's and their table number counts the HTML tables of the Markdown, in order.
    Reading it needs lxml (the ``html`` extra): without it
    :class:`~opengov.MissingExtraError` says so, rather than the tables being lost."""
    if not _HTML_TABLE_START.match(lines[start]):
        return None
    end = _block_end(lines, start)
    from opengov._readers import html

    offset = start

    def moved(location: Location | None) -> Location | None:
        if location is None:
            return None
        line = None if location.line is None else location.line + offset
        table = None if location.table is None else location.table + tables_before
        return attrs.evolve(location, line=line, table=table)

    fragment = "\n".join(lines[start:end])
    try:
        document = html.read(fragment, max_cells=None if cells_left is None else max(cells_left[0], 0))
    except ParseError as error:  # a bound passed inside the block: located in the Markdown
        raise ParseError(
            [attrs.evolve(d, location=moved(d.location) or Location()) for d in error.diagnostics],
            summary=str(error).split(":", 1)[0],
        ) from None
    grids = [block for block in document.blocks if isinstance(block, Grid)]
    if not grids:
        return None
    if cells_left is not None:
        cells_left[0] -= sum(len(grid.cells) for grid in grids)
        if cells_left[0] < 0:
            limit = cells_left[1]
            raise limit_error("cells", f"more than {limit}", limit, location=Location(line=start + 1))
    return relocated_document(document, moved), end


def _double_spaced_tables(lines: list[str], max_cells: int | None) -> Document | None:
    """Double-spaced Markdown (a blank line after every line, which breaks a pipe table
    into single rows) read undoubled (:func:`opengov._readers.text.undoubled`), every
    location moved back to its line, when that finds a table; else ``None`` (Markdown
    whose paragraphs are single lines between blank lines is double-spaced too, and must
    keep its paragraphs apart)."""
    from opengov._readers import text as text_reader

    halved = text_reader.undoubled(lines)
    if halved is None:
        return None
    kept, numbers = halved
    document = read("\n".join(kept), max_cells=max_cells)
    if not any(isinstance(block, Grid) for block in document.blocks):
        return None
    moved = relocated_document(document, to_lines(numbers))
    return attrs.evolve(moved, diagnostics=(text_reader.double_spaced_note(numbers[0]), *moved.diagnostics))


TEXT_TABLES = "markdown-text-tables"
"""The info diagnostic of Markdown whose tables are read as text (:func:`_tables_in_text`)."""


def _tables_in_text(text: str, max_cells: int | None) -> Document | None:
    """Markdown without a pipe table read by the text reader, which finds tables printed as
    text (a row per line, its cells split by TABs or white space; a cell per line): a
    document converted to Markdown with its tables left as text.  Headings are given to it
    as their text (without the hashes); every location is on its line and column of the
    Markdown.  ``None`` when the text reader finds no table either."""
    from opengov._readers import text as text_reader

    # headings as the text reader knows them: their text without the hashes
    lines = text.splitlines()
    shifts = [0] * len(lines)
    for i, line in enumerate(lines):
        heading = _HEADING.fullmatch(line)
        if heading is not None:
            shifts[i] = heading.start(2)
            lines[i] = _heading_text(heading)

    def moved(location: Location | None) -> Location | None:
        if location is None or location.line is None or location.column is None:
            return location
        if not 1 <= location.line <= len(shifts) or not shifts[location.line - 1]:
            return location
        return attrs.evolve(location, column=location.column + shifts[location.line - 1])

    return text_reader.tables_from_text(
        lines,
        moved,
        form="markdown",
        code=TEXT_TABLES,
        message="the Markdown holds no pipe table, but its text prints tables (a row or a cell per line): "
        "they were read as text",
        max_cells=max_cells,
    )
