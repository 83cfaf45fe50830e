"""Plain text → Document.

Two table shapes are read, in any mix:

* the web-copy layout: one cell per line starting with a TAB, a line without a TAB right
  after a cell continues that cell (``商业`` / ``企业``), a blank line ends a row, empty TAB
  lines stand for merged cells;
* label-and-numbers lines: ``一、本年新收政府信息公开申请数量 36 1 0 0 0 0 37`` (numbers
  separated by white space), with short lines just before them kept as extra label cells
  (labels split over lines or printed one character per line).

A known table label glued to a digit run (``行政许可2629``) is kept as a two-cell row: the
assembler decides whether the digits are unambiguous.  A very long line that holds several
section headings (crawler text on one line) is first cut at the headings and, inside the
table sections, before every known table label.  Everything else is a paragraph.

A text in which no table is found line by line, but which prints many figures alone on their
lines, holds its tables one cell per line without TABs (what an HTML page's text becomes when
its elements are joined by line breaks, or a PDF's text extracted line by line): its lines
are then read as one line, the way crawler text on one line is (see :func:`_read_joined`).
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Iterator
from itertools import repeat

import attrs

from opengov import _locate
from opengov._errors import Diagnostic, Location, Severity
from opengov._grid import Block, Document, Grid, GridCell, Paragraph, relocated, relocated_document, to_lines
from opengov._locate import TABLE_SECTIONS, cut_line, numbered_label
from opengov._patterns import (
    DIGITS,
    GLUED_DIGITS,
    GLUED_ENDS,
    GLUED_RUN_CHARS,
    UNIT_TOKEN,
    VALUE_ENDS,
    VALUE_TOKEN,
    is_page_number,
)
from opengov._readers import _labels

__all__ = ["detect", "read"]

_TOKEN = re.compile(r"\S+")
_PROSE_END = ("。", "；", ";")
_MAX_LABEL = 60
_LONG_LINE = 200

Cell = tuple[str, int, int]
"""A cell of a label-and-numbers row, or a short line kept for one: ``(text, line,
1-based column)``."""
Piece = tuple[list[str], "int | tuple[int, ...]", int]
"""Cells of a TAB row: ``(texts, line, column)``: one text, or the texts of lines that each
start with their only TAB (``column`` 2 for all; ``line`` is the first's when they are
consecutive, else the line of each)."""


def detect(text: str) -> bool:
    """Plain text is the fallback form: it accepts everything."""
    return True


def _split_values(line: str) -> tuple[str, int, list[tuple[str, int]]] | None:
    """``(label, label column, [(value text, column)])`` when the line is a label followed by
    values separated by white space (or values alone); ``None`` otherwise.  Columns are
    0-based offsets."""
    # the last token: ``str.split`` white space is the ``\s`` of ``re`` (a search for
    # ``(\S+)\s*$`` backtracks quadratically over a long line with a space inside)
    last = line.rsplit(None, 1)[-1] if line and not line.isspace() else ""
    if not last or not (VALUE_TOKEN.fullmatch(last) or UNIT_TOKEN.fullmatch(last)):
        return None  # prose: the last token is no value (what the loop below would find first)
    tokens = [(m.group(), m.start()) for m in _TOKEN.finditer(line)]
    values: list[tuple[str, int]] = []
    i = len(tokens)
    while i > 0:
        text, start = tokens[i - 1]
        if UNIT_TOKEN.fullmatch(text) and i > 1 and VALUE_TOKEN.fullmatch(tokens[i - 2][0]):
            _prev, prev_start = tokens[i - 2]
            values.append((line[prev_start : start + len(text)], prev_start))
            i -= 2
            continue
        if not VALUE_TOKEN.fullmatch(text):
            break
        values.append((text, start))
        i -= 1
    if not values:
        return None
    values.reverse()
    if i == 0:
        return ("", 0, values) if len(values) >= 2 else None
    label_start = tokens[0][1]
    label = line[label_start : values[0][1]].strip()
    if len(values) == 1 and (len(label) > _MAX_LABEL or any(p in label for p in _PROSE_END)):
        return None
    if not any(ch.isdigit() for v, _ in values for ch in v) and not _labels.known_label(label):
        return None  # words such as 无 after prose are not a row
    return label, label_start, values


def _glued(line: str) -> tuple[str, int, str, int] | None:
    """A known label glued to digits: ``(label, column, digits, column)``."""
    stripped = line.strip()
    if not stripped or stripped[-1] not in GLUED_ENDS:
        return None  # the digits (and unit) of GLUED_DIGITS end the line
    if len(stripped.rstrip(GLUED_RUN_CHARS)) > 200:  # a long label is prose; a long digit run is a row
        return None
    match = GLUED_DIGITS.fullmatch(stripped)
    if match is None or not (_labels.known_label(match["label"]) or _numbered_row(match["label"], match["digits"])):
        return None
    offset = line.index(stripped)
    return match["label"], offset, match["digits"].strip(), offset + match.start("digits")


_ROW_RUN = 7
"""Digits a table 3 row glues at least (its seven cells)."""


def _numbered_row(label: str, digits: str) -> bool:
    """Whether an unknown label glued to digits is a table 3 row whose label was damaged
    (``3.危及三安全稳定0000000``): it starts with a row's number and its words, and the run
    has at least a digit for each of the row's seven cells (prose glued to a year or a
    count has fewer).  The assembler matches such a label by its number or reports it."""
    return numbered_label(label) and sum(ch.isdigit() for ch in digits) >= _ROW_RUN


def _cut_long_line(line: str, section: str | None = None) -> list[tuple[str, int]]:
    """:func:`_cut_pieces` as ``(segment, 0-based column)`` pairs."""
    return [(line[p.start : p.end], p.start) for p in _cut_pieces(line, section)]


def _cut_pieces(line: str, section: str | None = None) -> tuple[_locate.Piece, ...]:
    """Cut a one-line document at section headings and, in table sections, before every
    known table label: the pieces of the recovery's one label locator
    (:func:`opengov._locate.cut_line`).

    A line that holds one heading only is cut when it starts with the heading of a table
    section and table labels follow it (``二、主动公开政府信息情况`` then the table on the same
    line, long or short): crawler text that keeps a line break before each section and
    prints each section on one line.  A line without a heading in a table section
    (``section``: its heading began a line before) is cut at its labels when it holds two
    or more, and, when it is short, figures right after one of them (the heading on a line
    of its own, the table's rows glued on the next).  Any other line with
    fewer than two headings is one piece (prose, or a heading with its note)."""
    pieces = cut_line(line)
    if len(pieces) == 1 and pieces[0].kind == "text":
        one = cut_line(line, headings=1)
        first = one[0]
        if (
            first.kind == "heading"
            and first.section in TABLE_SECTIONS
            and not line[: first.start].strip()
            and any(piece.kind == "label" for piece in one)
        ):
            pieces = one
        elif section in TABLE_SECTIONS and first.kind == "text":
            continued = cut_line(line, headings=0, section=section)
            labels = [piece for piece in continued if piece.kind == "label"]
            # two labels or more; on a short line, one at least with its figures right after it
            if len(labels) >= 2 and (
                len(line) > _LONG_LINE or any(line[p.label_end : p.end].lstrip()[:1] in DIGITS for p in labels)
            ):
                pieces = continued
    return pieces


def _unread_figures(raw: str) -> bool:
    """Whether a line holds a figure and is neither a label-and-numbers row nor a known
    label glued to its digits: a line the reader would take for prose."""
    return any(ch in DIGITS for ch in raw) and _split_values(raw) is None and _glued(raw) is None


def _heading_of(raw: str) -> tuple[str, str] | None:
    """The key of the section whose heading the line begins with (``#`` marks allowed) and
    what follows the heading on the line, or None; at once for a line that does not begin
    with a heading's first character."""
    text = raw.lstrip()
    if text[:1] not in _heading_firsts():
        return None
    text = text.lstrip("#").lstrip()
    for label, key in _labels.section_labels():  # longest first
        if text.startswith(label):
            return key, text[len(label) :]
    return None


class _Reader:
    def __init__(self, max_cells: int | None = None) -> None:
        self.blocks: list[Block] = []
        self.cells_left = -1 if max_cells is None else max_cells
        """Cells the document may still have (``Limits.cells``; -1: no bound)."""
        self.max_cells = max_cells
        self.deferred: list[Paragraph] = []
        # TAB layout state
        self.tab_rows: list[list[Piece]] = []
        self.tab_row: list[Piece] = []
        self.last_tab = False
        # label-and-numbers state
        self.rows: list[list[Cell]] = []
        self.pending: list[Cell] = []
        self.section: str | None = None
        """The key of the section whose heading began the last line that began with one."""

    # -- output ------------------------------------------------------------------------

    def paragraph(self, text: str, loc: Location) -> None:
        self.close_grid()
        self.blocks.append(Paragraph(text=text.strip(), location=loc))

    def close_tab_row(self) -> None:
        if self.tab_row:
            self.tab_rows.append(self.tab_row)
        self.tab_row = []

    def close_tab_grid(self) -> None:
        self.close_tab_row()
        if self.tab_rows:
            self.blocks.append(_tab_grid(self.tab_rows))
        self.tab_rows = []
        self.last_tab = False
        self.flush_deferred()

    def close_grid(self) -> None:
        self.close_tab_grid()
        if self.rows:
            self.blocks.append(_grid(self.rows))
            self.rows = []
        self.flush_deferred()

    def flush_pending(self) -> None:
        pending, self.pending = self.pending, []
        for text, line, column in pending:
            self.paragraph(text, Location(line=line, column=column))

    def flush_deferred(self) -> None:
        deferred, self.deferred = self.deferred, []
        self.blocks.extend(deferred)

    def count(self, cells: int, number: int) -> None:
        """Take ``cells`` more cells (found on line ``number``) from the budget: a
        ``limit-cells`` error as soon as the document has more than ``Limits.cells``, before
        the rest of it is read."""
        if self.max_cells is None:
            return
        self.cells_left -= cells
        if self.cells_left < 0:
            from opengov._limits import limit_error

            raise limit_error("cells", f"more than {self.max_cells}", self.max_cells, location=Location(line=number))

    # -- input -------------------------------------------------------------------------

    def line(self, raw: str, number: int, col0: int = 0) -> None:
        if "\t" in raw:
            self.tab_line(raw, number, col0)
            return
        if not raw.strip():
            if self.tab_rows or self.tab_row:
                self.close_tab_row()
                self.last_tab = False
            self.flush_pending()
            return
        if is_page_number(raw):
            loc = Location(line=number, column=col0 + len(raw) - len(raw.lstrip()) + 1)
            self.deferred.append(Paragraph(text=raw.strip(), location=loc))
            if not (self.tab_rows or self.tab_row or self.rows):
                self.flush_deferred()
            return
        if self.last_tab and self.tab_row and not _is_heading(raw):
            if _is_number(raw):  # a number of its own, not the end of the cell before it
                self.tab_row.append(([raw.strip()], number, col0 + len(raw) - len(raw.lstrip()) + 1))
                return
            texts = self.tab_row[-1][0]
            texts[-1] += raw.strip()
            return
        if self.tab_rows or self.tab_row:
            self.close_tab_grid()
        self.plain_line(raw, number, col0)

    def tab_line(self, raw: str, number: int, col0: int) -> None:
        if self.pending:
            self.flush_pending()
        if self.rows:
            self.close_grid()
        parts = raw.split("\t")
        first = parts[0]
        whole = bool(first.strip())  # "a\tb\tc": a whole row on one line
        if whole:
            self.close_tab_row()
            col = col0 + 1
        else:
            col = col0 + len(first) + 2
            del parts[0]
        row = self.tab_row
        self.count(len(parts), number)
        for part in parts:
            row.append(([part], number, col))  # text, line, 1-based column
            col += len(part) + 1
        if whole:
            self.close_tab_row()
            self.last_tab = False
        else:
            self.last_tab = True

    def plain_line(self, raw: str, number: int, col0: int) -> None:
        text = raw.strip()
        if text[-1] in VALUE_ENDS:  # else the line ends in no value (nor glued digits): no row
            split = _split_values(raw)
            if split is not None and not _is_heading(raw):
                label, label_col, values = split
                peeled = _glued(label) if label else None
                if peeled is not None:  # "…数量200 000121": the label's own digits are a cell too
                    label, _, digits, digits_col = peeled
                    values = [(digits, label_col + digits_col), *values]
                row: list[Cell] = list(self.take_fragments())
                if label:
                    row.append((label, number, col0 + label_col + 1))
                row.extend((text, number, col0 + c + 1) for text, c in values)
                self.count(len(row), number)
                self.rows.append(row)
                return
            glued = _glued(raw)
            if glued is not None:
                label, label_col, digits, digits_col = glued
                row = list(self.take_fragments())
                row.append((label, number, col0 + label_col + 1))
                row.append((digits, number, col0 + digits_col + 1))
                self.count(len(row), number)
                self.rows.append(row)
                return
        column = col0 + len(raw) - len(raw.lstrip()) + 1
        if _is_heading(raw) or len(text) > _MAX_LABEL or text.endswith(_PROSE_END):
            self.flush_pending()
            self.paragraph(text, Location(line=number, column=column))
            return
        self.pending.append((text, number, column))

    def take_fragments(self) -> list[Cell]:
        pending, self.pending = self.pending, []
        return pending

    def finish(self) -> Document:
        self.flush_pending()
        self.close_grid()
        return Document(blocks=tuple(self.blocks), form="text", soft_cells=True)


def _is_number(raw: str) -> bool:
    """Whether a line is one printed figure (``4242``, ``1,341万元``): after a TAB cell it
    is a cell of its own, never glued onto that cell (``22738`` + ``4242`` is not
    ``227384242``)."""
    text = raw.strip()
    return VALUE_TOKEN.fullmatch(text) is not None and any(ch in DIGITS for ch in text)


def _is_heading(raw: str) -> bool:
    text = raw.strip().lstrip("#").strip()
    return text.startswith(_heading_labels())


@functools.cache
def _heading_firsts() -> frozenset[str]:
    """The first characters of the section headings, and ``#`` (a Markdown heading's)."""
    return frozenset(label[:1] for label in _heading_labels()) | {"#"}


@functools.cache
def _heading_labels() -> tuple[str, ...]:
    return tuple(label for label, _ in _labels.section_labels())


def _cell(row: int, col: int, text: str, line: int, column: int) -> GridCell:
    """The GridCell of a text cell (no spans): from :func:`_figure_cell` for a figure (a
    text of digits), from :func:`_recurring_cell` for any other."""
    if text.isdigit():
        return _figure_cell(row, col, text, line, column)
    return _recurring_cell(row, col, text, line, column)


def _new_cell(row: int, col: int, text: str, line: int, column: int) -> GridCell:
    return GridCell(row=row, col=col, text=text, location=Location(line=line, column=column))


_figure_cell = functools.lru_cache(maxsize=1 << 12)(_new_cell)
"""The GridCell of a figure, in a small cache of its own.  A report's figures are mostly its
own: in the labels' large cache, they filled it with cells no later read met, and making
room for each new one (its oldest cell freed, the cells' memory spread over tens of
megabytes, out of the processor's caches) made a parse of new figures 15–30 % slower; a
small cache still holds the figures of the last reports (the same report read again, zeros
at the same places)."""

_recurring_cell = functools.lru_cache(maxsize=1 << 16)(_new_cell)
"""The GridCell of a text cell that is not a figure, cached because the same labels at the
same places recur from report to report of one layout (a GridCell and its Location are
immutable, so one object serves every read that meets it)."""


def _tab_grid(rows: list[list[Piece]]) -> Grid:
    """A grid of the TAB layout's pieces (no spans); its rows are its lines."""
    cells: list[GridCell] = []
    lines: list[list[GridCell]] = []
    n_cols = 0
    for r, row in enumerate(rows):
        line_cells: list[GridCell] = []
        c = 0
        for texts, line, column in row:
            n = len(texts)
            numbers = line if isinstance(line, tuple) else range(line, line + n)
            line_cells += map(_cell, repeat(r, n), range(c, c + n), texts, numbers, repeat(column, n))
            c += n
        if c > n_cols:
            n_cols = c
        cells += line_cells
        lines.append(line_cells)
    first = cells[0].location if rows and rows[0] else None
    # each row's cells are one run, left to right, without spans: the assembler's lines
    return Grid(cells=tuple(cells), n_rows=len(rows), n_cols=n_cols, location=first, lines=lines, hard_cells=True)


def _grid(rows: list[list[Cell]]) -> Grid:
    """A grid of label-and-numbers rows (no spans); its rows are its lines."""
    lines = [
        [_cell(r, c, text, line, column) for c, (text, line, column) in enumerate(row)] for r, row in enumerate(rows)
    ]
    cells = tuple(cell for line in lines for cell in line)
    return Grid(
        cells=cells,
        n_rows=len(rows),
        n_cols=max(map(len, rows)),
        location=cells[0].location if cells else None,
        lines=lines,
    )


def read(text: str, *, max_cells: int | None = None) -> Document:
    """Read plain text into paragraphs and grids (see the module docstring).

    ``max_cells`` (``Limits.cells``) stops the reading with a ``limit-cells``
    :class:`~opengov.ParseError` as soon as the tables have more cells."""
    lines = _lines(text)
    halved = undoubled(lines)
    if halved is not None:
        return _read_double_spaced(*halved, max_cells, chunks=True)
    reader = _Reader(max_cells)
    _read_chunks(reader, lines)
    return _or_joined(reader.finish(), lines, max_cells)


_PIPES = str.maketrans("|｜", "  ")
_RULE_LINE = re.compile(r"[\s|｜:：+=\-—–]*")
"""A table's rule line drawn with pipes: pipes, dashes, colons, pluses and white space."""


def _lines(text: str) -> list[str]:
    """The text's lines as the reader reads them (pipes as spaces: :func:`_unpiped`)."""
    lines = text.splitlines()
    return _unpiped(lines) if "|" in text or "｜" in text else lines


def _unpiped(lines: list[str]) -> list[str]:
    """The lines with every pipe (``|``, ``｜``) a space, and a rule line that holds one
    (``|---|---|``) blank: a table whose cells are split by pipes (pipe rows without the
    delimiter row that makes them a Markdown table, text copied with ``|`` between cells)
    is read as its cells split by white space.  Each pipe is one character, so every column
    is where it was."""
    unpiped = []
    for line in lines:
        if "|" in line or "｜" in line:
            line = "" if _RULE_LINE.fullmatch(line) else line.translate(_PIPES)
        unpiped.append(line)
    return unpiped


DOUBLE_SPACED = "text-double-spaced"
"""The info diagnostic of a double-spaced text (:func:`undoubled`)."""

DOUBLE_SPACED_LINES = 10
"""The lines of text (not blank) a text must have to be taken for double-spaced."""


def undoubled(lines: list[str]) -> tuple[list[str], list[int]] | None:
    """A double-spaced text's lines as they were before a blank line was put after every
    line (what a page's text becomes when every line break is doubled, or a copy that
    leaves a blank line after every paragraph), with the 1-based number each line kept
    has in ``lines``; ``None`` for any other text.

    The text is double-spaced when no two lines of text (not blank) are next to each other
    and it has :data:`DOUBLE_SPACED_LINES` of them or more.  Each run of ``k`` blank lines
    is then ``k // 2`` (a doubled text has ``2k + 1`` where it had ``k``): a table printed
    one cell per line with a blank line after each row (the layout of a page copied from a
    browser: a TAB, the cell, a new line) gets its rows back, where read as it is, every
    cell was a row of its own."""
    if len(lines) < 2 * DOUBLE_SPACED_LINES - 1:
        return None
    kept: list[str] = []
    numbers: list[int] = []
    blanks: list[int] = []  # the numbers of the blank lines since the last line of text
    texts = 0
    previous = False  # whether the line before is a line of text
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            blanks.append(number)
            previous = False
            continue
        if previous:
            return None
        half = blanks[1::2]
        kept += [""] * len(half)
        numbers += half
        blanks.clear()
        kept.append(raw)
        numbers.append(number)
        texts += 1
        previous = True
    if texts < DOUBLE_SPACED_LINES:
        return None
    return kept, numbers


def _read_double_spaced(lines: list[str], numbers: list[int], max_cells: int | None, *, chunks: bool) -> Document:
    """The undoubled ``lines`` of a double-spaced text (:func:`undoubled`) read as any
    text is (``chunks``: with the shortcut for runs of TAB lines, else line by line), every
    location moved back to the line it is on in the text (``numbers``: the 1-based number
    of each), with an info diagnostic (:data:`DOUBLE_SPACED`)."""
    reader = _Reader(max_cells)
    if chunks:
        _read_chunks(reader, lines)
    else:
        _read_lines(reader, lines, 0, len(lines))
    document = _or_joined(reader.finish(), lines, max_cells)
    moved = relocated_document(document, to_lines(numbers))
    return attrs.evolve(moved, diagnostics=(double_spaced_note(numbers[0]), *moved.diagnostics))


def double_spaced_note(line: int) -> Diagnostic:
    """The info diagnostic of a double-spaced text (:data:`DOUBLE_SPACED`), at its first
    line of text."""
    return Diagnostic(
        severity=Severity.INFO,
        code=DOUBLE_SPACED,
        message="the text is double-spaced (a blank line after every line): each run of blank lines "
        "was read as half as many (a table printed one cell per line keeps its rows)",
        location=Location(line=line),
    )


def read_line_by_line(text: str) -> Document:
    """:func:`read` without its shortcut for runs of TAB lines: every line read by the
    line reader (the definition the shortcut is tested against; slower)."""
    lines = _lines(text)
    halved = undoubled(lines)
    if halved is not None:
        return _read_double_spaced(*halved, None, chunks=False)
    reader = _Reader()
    _read_lines(reader, lines, 0, len(lines))
    return _or_joined(reader.finish(), lines, None)


LONE_FIGURES = 10
"""Lines holding one figure alone that a text without tables read line by line must have to
be read again as one line (:func:`_read_joined`): a table of the national formats printed
one cell per line has dozens (table 3 alone has over a hundred cells); prose has none."""

JOINED = "text-one-cell-per-line"
"""The info diagnostic of a text read as one line (:func:`_read_joined`)."""


def _or_joined(document: Document, lines: list[str], max_cells: int | None) -> Document:
    """``document`` (the text read line by line), or the text read again as one line when
    it has no table and :data:`LONE_FIGURES` or more lines that hold one figure alone."""
    if any(isinstance(block, Grid) for block in document.blocks):
        return document
    figures = sum(1 for raw in lines if _is_number(raw))
    if figures < LONE_FIGURES:
        return document
    if max_cells is not None and figures > max_cells:
        # read as one line, they would be cells beyond the limit (and one line of them all
        # would be split into as many tokens before the first row is counted)
        from opengov._limits import limit_error

        raise limit_error("cells", f"{figures} figures alone on their lines", max_cells)
    return _read_joined(lines, max_cells) or document


def _read_joined(lines: list[str], max_cells: int | None) -> Document | None:
    """The text's tables printed one cell per line without TABs: the lines that are not
    blank, stripped and joined by a space, read as crawler text on one line is (cut at the
    section headings and before every known table label, :func:`opengov._locate.cut_line`),
    with every location moved back to its line and column; ``None`` when that finds no
    table either.  The grids' cells are whole (:attr:`Grid.whole_cells`): each was printed
    on a line of its own, so a row with fewer cells than columns lost its blank cells (an
    empty line) and is not cut into more.  Paragraphs of prose are joined as well (one per
    section heading, as in crawler text); an info diagnostic (:data:`JOINED`) says the text
    was read this way."""
    starts: list[int] = []  # where each line that is not blank starts in the joined text
    places: list[tuple[int, int]] = []  # and its line and 1-based column in the text
    parts: list[str] = []
    at = 0
    for number, raw in enumerate(lines, start=1):
        stripped = raw.strip()
        if stripped:
            starts.append(at)
            places.append((number, len(raw) - len(raw.lstrip()) + 1))
            parts.append(stripped)
            at += len(stripped) + 1
    joined = " ".join(parts)
    reader = _Reader(max_cells)
    for segment, column in _cut_long_line(joined):
        reader.line(segment, 1, column)
    document = reader.finish()
    grids = [block for block in document.blocks if isinstance(block, Grid)]
    if not grids:
        return None

    def moved(location: Location | None) -> Location | None:
        if location is None or location.column is None:
            return location
        offset = location.column - 1
        k = bisect.bisect_right(starts, offset) - 1
        line, column = places[k]
        return attrs.evolve(location, line=line, column=column + offset - starts[k])

    note = Diagnostic(
        severity=Severity.INFO,
        code=JOINED,
        message="no table was found line by line, and many lines hold a figure alone: the tables are "
        "printed one cell per line without TABs; the lines were read as one line (prose paragraphs "
        "are joined per section)",
        location=moved(grids[0].location) or Location(),
    )
    blocks = tuple(_moved_back(block, moved) for block in document.blocks)
    return attrs.evolve(document, blocks=blocks, diagnostics=(note, *document.diagnostics))


def tables_from_text(
    lines: list[str],
    moved: Callable[[Location | None], Location | None],
    *,
    form: str,
    code: str,
    message: str,
    max_cells: int | None = None,
) -> Document | None:
    """Another form's document read as the text it shows (``lines``: one per paragraph of
    it, made by its reader), for a document of that form without a table: the text reader
    finds tables printed as text (a row per line, TABs or white space between its cells; a
    cell per line).  ``None`` when it finds none either.  Every location is passed through
    ``moved`` (back to where it is in the document), the document's form is ``form``, and
    an info diagnostic (``code``, ``message``) at the first table says the tables were read
    from the text."""
    document = read("\n".join(lines), max_cells=max_cells)
    first = next((block for block in document.blocks if isinstance(block, Grid)), None)
    if first is None:
        return None
    note = Diagnostic(severity=Severity.INFO, code=code, message=message, location=moved(first.location) or Location())
    document = relocated_document(document, moved)
    return attrs.evolve(document, form=form, diagnostics=(note, *document.diagnostics))


def _moved_back(block: Block, moved: Callable[[Location | None], Location | None]) -> Block:
    """A block of the joined reading with every location it holds (its own, its cells')
    passed through ``moved``; a grid's cells whole (each was a line of its own: no
    separator between two of them was lost, and a row with too few cells lost blank cells
    printed as nothing)."""
    found = relocated(block, moved)
    if isinstance(found, Grid):
        return attrs.evolve(found, hard_cells=True, whole_cells=True)
    return found


def _read_chunks(reader: _Reader, lines: list[str]) -> None:
    """Read the lines, a run of lines between blank lines that is one TAB row (see below)
    at once, every other line by :func:`_read_lines`."""
    n_lines = len(lines)
    done = 0  # lines[:done] are read
    line = 0  # the first line of ``chunk``
    # Runs of lines between blank lines; one whose every line starts with its only TAB is
    # a row of one cell per line (then the blank line after it ends the row), and so is one
    # whose other lines only continue the cell before them.
    for chunk in _paragraphs("\n".join(lines)):
        breaks = chunk.count("\n")
        if chunk[:1] != "\t":
            line += breaks + 2
            continue
        tabs = chunk.count("\t")
        starts = chunk.count("\n\t")
        if starts == breaks and tabs == breaks + 1:
            piece: Piece | None = (chunk[1:].split("\n\t"), line + 1, 2)
        elif tabs == starts + 1:
            piece = _continued(chunk, line + 1)
        else:
            piece = None
        if piece is not None:
            if line > done:
                _read_lines(reader, lines, done, line)
            if reader.pending:
                reader.flush_pending()
            if reader.rows:
                reader.close_grid()
            reader.count(len(piece[0]), line + 1)
            row = reader.tab_row
            row.append(piece)
            done = line + breaks + 2  # the row and the blank line after it
            if done <= n_lines:  # close_tab_row() inlined
                reader.tab_rows.append(row)
                reader.tab_row = []
                reader.last_tab = False
            else:
                reader.last_tab = True
        line += breaks + 2
    if done < n_lines:
        _read_lines(reader, lines, done, n_lines)


def _paragraphs(text: str) -> Iterator[str]:
    """``text.split("\\n\\n")``, one piece at a time (a reading stopped by ``Limits.cells``
    never holds every piece of a long text)."""
    start = 0
    find = text.find
    while (end := find("\n\n", start)) >= 0:
        yield text[start:end]
        start = end + 2
    yield text[start:]


def _continued(chunk: str, number: int) -> Piece | None:
    """The cells of a run of lines (the first at line ``number``) that each start with their
    only TAB or continue the cell before them; ``None`` if some other line is among them
    (blank, long, a page number or a heading: read line by line)."""
    texts: list[str] = []
    numbers: list[int] = []
    for raw in chunk.split("\n"):
        if raw[:1] == "\t":
            texts.append(raw[1:])
            numbers.append(number)
        elif not raw.strip() or len(raw) > _LONG_LINE or is_page_number(raw) or _is_heading(raw) or _is_number(raw):
            return None
        else:  # as _Reader.line continues a cell
            texts[-1] += raw.strip()
        number += 1
    return texts, tuple(numbers), 2


def _read_lines(reader: _Reader, lines: list[str], start: int, stop: int) -> None:
    """Read ``lines[start:stop]``."""
    for number in range(start + 1, stop + 1):
        raw = lines[number - 1]
        if "\t" in raw:
            if raw[0] == "\t" and raw.find("\t", 1) < 0 and not reader.pending and not reader.rows:
                # tab_line's usual case inlined: one cell continuing the current row
                reader.tab_row.append(([raw[1:]], number, 2))
                reader.last_tab = True
                continue
            reader.tab_line(raw, number, 0)
            continue
        if not raw or raw.isspace():  # line()'s blank-line case inlined (a blank line ends a TAB row)
            if reader.tab_rows or reader.tab_row:
                reader.close_tab_row()
                reader.last_tab = False
            if reader.pending:
                reader.flush_pending()
            continue
        found = _heading_of(raw)
        heading = None if found is None else found[0]
        if heading is not None:
            reader.section = heading
        if (
            len(raw) > _LONG_LINE
            or (found is not None and any(ch in DIGITS for ch in found[1]))  # a section on one line
            or (heading is None and reader.section in TABLE_SECTIONS and _unread_figures(raw))  # its rows, glued
        ):
            for piece in _cut_pieces(raw, None if heading is not None else reader.section):
                reader.line(raw[piece.start : piece.end], number, piece.start)
                if piece.kind == "heading":
                    reader.section = piece.section
            continue
        reader.line(raw, number)
