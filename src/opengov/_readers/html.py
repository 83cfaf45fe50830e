"""The HTML reader: a published web page (``str`` or ``bytes``) → :class:`~opengov._grid.Document`.

* :func:`detect` — does a text look like an HTML document or fragment?
* bytes are decoded by :func:`opengov._decode.decode`, as every text form: byte order mark,
  UTF-16 by its NUL bytes, ``<meta charset>`` / ``http-equiv`` content type or XML
  declaration, then strict UTF-8 or GB18030 (the superset of GBK and GB2312).
* :func:`read` — the page as paragraphs and grids in reading order.  Every data ``<table>``
  becomes one :class:`~opengov._grid.Grid` whose cells carry the page's own ``rowspan`` and
  ``colspan`` (the assembler expands them); text outside tables becomes
  :class:`~opengov._grid.Paragraph` objects, one per line.  Scripts, styles, forms' controls,
  ``<nav>`` and hidden elements are dropped; everything else is kept in reading order, and
  the assembler finds the report between its title line and its sections.

Parsing uses lxml (the ``html`` extra: ``pip install "opengov[html]"``) with network access
and entity resolution disabled; see ``docs/html.md`` for why lxml.

Locations: ``table`` is the 1-based index of the ``<table>`` element among all the page's
tables in document order (as ``document.querySelectorAll("table")`` counts them), ``row`` the
1-based ``<tr>`` within that table, ``cell`` the 1-based ``<td>``/``<th>`` within that row,
and ``line`` the source line libxml2 reports for the element.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

import attrs

from opengov._decode import decode
from opengov._errors import Diagnostic, Location, MissingExtraError, ParseError, Severity
from opengov._grid import Block, Document, Grid, GridCell, Paragraph
from opengov._readers.markdown import has_headings, has_html_table_blocks

if TYPE_CHECKING:  # pragma: no cover
    from lxml.etree import _Element

__all__ = ["FORM", "detect", "read"]

FORM = "html"
"""The name of this input form in the reader registry."""

INSTALL_HINT = 'reading HTML needs lxml, an optional dependency: pip install "opengov[html]"'

# --------------------------------------------------------------------------------------
# Detection
# --------------------------------------------------------------------------------------

_LEADING_TAG_RE = re.compile(r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|\?xml|[a-z][a-z0-9]*[\s/>])", re.I | re.S)
_DOCUMENT_TAG_RE = re.compile(r"<(?:!doctype\s+html|html[\s>]|body[\s>]|head[\s>])", re.I)
_TABLE_START_RE = re.compile(r"<table[\s>]", re.I)
_CELL_END_RE = re.compile(r"</t[dh]\s*>", re.I)
_PIPE_TABLE_RE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*\|", re.M)
# ``^\s*`` tried from every line start of a run of blank lines scans the rest of the run
# each time (quadratic).  Every line start of such a run skips to the same place, so the
# run is first folded to one line end (one linear pass) and the search finds the same.
_BLANK_LINES_RE = re.compile(r"\n\s*\n")


def detect(text: str | bytes) -> bool:
    """True if ``text`` is an HTML document or fragment.

    It starts with a tag (``<!DOCTYPE html>``, ``<html>``, ``<p>``, ``<table>`` … possibly
    after comments), or holds ``<html>``/``<head>``/``<body>``, or holds a ``<table>`` with
    cells and no Markdown pipe table.  Plain text and Markdown (even with an odd ``<br>``
    in a pipe table) are not claimed, nor is Markdown or text whose tables are HTML (a text
    that does not start with a tag and has ``#`` headings,
    :func:`~opengov._readers.markdown.has_headings`, or no tag of a page's flow outside its
    ``<table>`` blocks, :func:`~opengov._readers.markdown.has_html_table_blocks`, as OCR and
    PDF converters write it: the Markdown reader reads its HTML tables).
    """
    if isinstance(text, bytes):
        text = text[:4096].decode("latin-1")
    head = text[:4096].lstrip("\ufeff")
    if _LEADING_TAG_RE.match(head):
        return True
    if has_headings(text) or has_html_table_blocks(text):
        return False
    if _DOCUMENT_TAG_RE.search(head):
        return True
    return _has_table_with_cells(text) and not _PIPE_TABLE_RE.search(_BLANK_LINES_RE.sub("\n", text))


def _has_table_with_cells(text: str) -> bool:
    """Whether a ``<table>`` tag is followed (anywhere after it) by a ``</td>`` or
    ``</th>``: two linear searches (a lazy ``<table.*?</td>`` pattern would scan to the end
    from every ``<table`` that has no cell after it: quadratic)."""
    start = _TABLE_START_RE.search(text)
    return start is not None and _CELL_END_RE.search(text, start.end()) is not None


def _warning(message: str, code: str) -> Diagnostic:
    return Diagnostic(severity=Severity.WARNING, code=code, message=message)


# --------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------

_SKIP = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "title",
        "meta",
        "link",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "svg",
        "math",
        "canvas",
        "audio",
        "video",
        "map",
        "select",
        "option",
        "textarea",
        "button",
        "input",
        "nav",
    }
)
"""Elements whose content is never report text."""

_BLOCKS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "center",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "html",
        "legend",
        "li",
        "main",
        "menu",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "ul",
        "caption",
        "tr",
        "td",
        "th",
        "thead",
        "tbody",
        "tfoot",
    }
)
"""Elements that start and end a line of text."""

_HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# C0 controls other than TAB, LF, FF, CR, and lone surrogates: libxml2 cannot take them.
_BAD_CHARS_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ud800-\udfff]")
_DIGITS_RE = re.compile(r"\s*(\d+)")
_CELL_TAGS = frozenset({"td", "th"})
_Where = tuple[int | None, int, int, int]
"""Where a spanning cell is: its source line, table, row and cell (1-based), made into a
:class:`~opengov._errors.Location` only for a diagnostic."""
_MAX_COLSPAN = 1000
_MAX_ROWSPAN = 65534


def _clean(text: str) -> str:
    """White space (``&nbsp;``, ideographic spaces, new lines) collapsed, invisible
    characters removed, ends stripped."""
    if not text.isascii() and _INVISIBLE_RE.search(text):
        text = _INVISIBLE_RE.sub("", text)
    return " ".join(text.split())


class _Lines:
    """The running text of the page: each line becomes a Paragraph in ``blocks``."""

    def __init__(self, blocks: list[Block]) -> None:
        self.blocks = blocks
        self._parts: list[str] = []
        self._line: int | None = None
        self.pre = 0

    def text(self, text: str, line: int | None) -> None:
        """Add a text node that starts on source line ``line`` (None: unknown)."""
        if self.pre:
            first, *rest = text.split("\n")
            self._add(first, line)
            for number, part in enumerate(rest, start=1):
                self.newline()
                self._add(part, None if line is None else line + number)
        else:
            self._add(text, line)

    def _add(self, text: str, line: int | None) -> None:
        if not text:
            return
        if self._line is None and not text.isspace():
            # the line of the first character that is not white space
            if line is not None and text[0].isspace():
                line += text.count("\n", 0, len(text) - len(text.lstrip()))
            self._line = line
        self._parts.append(text)

    def newline(self) -> None:
        if not self._parts:
            return
        text = _clean("".join(self._parts))
        if text:
            self.blocks.append(Paragraph(text=text, location=Location(line=self._line)))
        self._parts.clear()
        self._line = None


class _Row:
    """One row of a table as the page has it: its cells and its 1-based number."""

    __slots__ = ("cells", "header", "line", "number")

    def __init__(self, number: int, line: int | None, header: bool) -> None:
        self.number = number
        self.line = line
        self.header = header
        self.cells: list[_Element] = []


class _Reader:
    def __init__(self, root: _Element) -> None:
        self.table_numbers = {t: i for i, t in enumerate(root.iter("table"), start=1)}
        self.diagnostics: list[Diagnostic] = []
        self.blocks: list[Block] = []
        self.images = 0
        self.grids = 0

    # -- the flow of the page -----------------------------------------------------------

    def children(self, element: _Element, sink: _Lines) -> None:
        if element.text:
            sink.text(element.text, element.sourceline)
        for child in element:
            self.node(child, sink)
            if child.tail:
                sink.text(child.tail, child.sourceline)

    def node(self, element: _Element, sink: _Lines) -> None:
        tag = element.tag
        if not isinstance(tag, str):  # comments, processing instructions, entities
            return
        tag = tag.lower()
        if tag in _SKIP or _hidden(element):
            return
        if tag == "br":
            sink.newline()
        elif tag == "img":
            self.images += 1
        elif tag == "table":
            sink.newline()
            self.table(element, sink)
            sink.newline()
        elif tag in _BLOCKS:
            sink.newline()
            if tag == "pre":
                sink.pre += 1
                self.children(element, sink)
                sink.pre -= 1
            else:
                self.children(element, sink)
            sink.newline()
        else:
            self.children(element, sink)

    # -- tables -------------------------------------------------------------------------

    def table(self, table: _Element, sink: _Lines) -> None:
        number = self.table_numbers[table]
        rows, strays = _rows(table)
        for stray in strays:  # what a browser would show before the table (caption, junk)
            if isinstance(stray, str):
                sink.text(stray, table.sourceline)
                sink.newline()
            else:
                self.node(stray, sink)
                sink.newline()
        if _is_layout(table, rows):
            # A layout table (it wraps other tables, or has a single column): its cells
            # are read as running text, in reading order.
            for row in rows:
                for cell in row.cells:
                    if _hidden(cell):
                        continue
                    sink.newline()
                    self.children(cell, sink)
                    sink.newline()
            return
        grid = self.grid(rows, number, table.sourceline)
        if grid is not None:
            sink.newline()
            sink.blocks.append(grid)
            self.grids += 1

    def grid(self, rows: list[_Row], number: int, line: int | None) -> Grid | None:
        n_rows = len(rows)
        # Columns taken in each row by cells spanning down from earlier rows (or across).
        occupied: list[set[int]] = [set() for _ in range(n_rows)]
        cells: list[GridCell] = []
        for r, row in enumerate(rows):
            c = 0
            taken = occupied[r]
            for index, element in enumerate(row.cells, start=1):
                if _hidden(element):
                    continue
                while c in taken:
                    c += 1
                at_line = element.sourceline
                get = element.get
                width = height = 1
                if get("rowspan") is None and get("colspan") is None:  # the common case: nothing to clip
                    taken.add(c)
                else:
                    where = (at_line, number, row.number, index)  # a Location made only for a note
                    rowspan = 1 if get("rowspan") is None else self.span(element, "rowspan", _MAX_ROWSPAN, where)
                    colspan = 1 if get("colspan") is None else self.span(element, "colspan", _MAX_COLSPAN, where) or 1
                    if rowspan == colspan == 1:
                        taken.add(c)
                    else:
                        width, height = self.place_span(occupied, r, c, rowspan, colspan, where)
                text, header = _cell_text(element), row.header or element.tag == "th"
                cells.append(_cell(r, c, height, width, text, header, at_line, number, row.number, index))
                c += width
        if not cells:
            return None
        n_cols = max(cell.col + cell.colspan for cell in cells)
        return Grid(cells=tuple(cells), n_rows=n_rows, n_cols=n_cols, location=Location(line=line, table=number))

    def place_span(
        self, occupied: list[set[int]], r: int, c: int, rowspan: int, colspan: int, where: _Where
    ) -> tuple[int, int]:
        """``(width, height)`` of a spanning cell at row ``r``, column ``c``: its spans
        clipped to the table's last row and to cells spanning from earlier rows (said so);
        the grid positions it covers are marked taken."""
        n_rows = len(occupied)
        if rowspan == 0:  # HTML: to the end of the table
            rowspan = n_rows - r
        if r + rowspan > n_rows:
            self.note(
                Severity.INFO,
                "html-span-clipped",
                f"rowspan={rowspan} runs past the table's last row; clipped to {n_rows - r}",
                where,
            )
            rowspan = n_rows - r
        taken = occupied[r]
        width = 0
        while width < colspan and c + width not in taken:
            width += 1
        height = 1
        while height < rowspan and not any(c + x in occupied[r + height] for x in range(width)):
            height += 1
        if (width, height) != (colspan, rowspan):
            self.note(
                Severity.WARNING,
                "html-span-overlap",
                f"rowspan={rowspan} colspan={colspan} overlaps a cell spanning from an earlier row;"
                f" clipped to rowspan={height} colspan={width}",
                where,
            )
        columns = range(c, c + width)
        for y in range(r, r + height):
            occupied[y].update(columns)
        return width, height

    def span(self, element: _Element, name: str, limit: int, where: _Where) -> int:
        raw = element.get(name)
        if raw is None:
            return 1
        match = _DIGITS_RE.match(raw)
        if match is None:
            self.note(Severity.WARNING, "html-span-invalid", f"{name}={raw!r} is not a number; read as 1", where)
            return 1
        value = int(match.group(1)) if len(match.group(1)) < 8 else limit + 1
        if value > limit:
            self.note(Severity.WARNING, "html-span-clipped", f"{name}={raw!r} is too large; clipped to {limit}", where)
            return limit
        return value

    def note(self, severity: Severity, code: str, message: str, where: _Where) -> None:
        """A diagnostic about the cell at ``where``: ``(source line, table, row, cell)``."""
        line, table, row, cell = where
        location = Location(line=line, table=table, row=row, cell=cell)
        self.diagnostics.append(Diagnostic(severity=severity, code=code, message=message, location=location))


@functools.lru_cache(maxsize=4096)
def _cell(
    row: int,
    col: int,
    rowspan: int,
    colspan: int,
    text: str,
    header: bool,
    line: int | None,
    table: int,
    table_row: int,
    index: int,
) -> GridCell:
    """A table cell at grid row ``row`` and column ``col``, found in the page's table
    ``table``, its row ``table_row``, cell ``index`` (1-based), on source line ``line``: a
    pure function of its arguments, cached (a small cache: the cells of a page read again,
    and a layout's label cells at the same places, come from it)."""
    location = Location(line=line, table=table, row=table_row, cell=index)
    return GridCell(row=row, col=col, rowspan=rowspan, colspan=colspan, text=text, header=header, location=location)


def _cell_text(cell: _Element) -> str:
    """A data cell's text: blocks and ``<br>`` end lines, white space collapsed per line."""
    children = len(cell)
    if not children:  # the common cases: text only, or text in one <p> or <span>
        text = cell.text
        return _clean(text) if text else ""
    if children == 1:
        child = cell[0]
        tag = child.tag
        if not len(child) and isinstance(tag, str) and tag not in _SKIP and tag != "br" and not _hidden(child):
            before, inside, after = cell.text or "", child.text or "", child.tail or ""
            if not (before or after) or (before + after).isspace():  # <td><p>13</p></td>
                return _clean(inside) if inside else ""
            pieces = (before, inside, after)
            if tag in _BLOCKS:
                return "\n".join(line for line in map(_clean, pieces) if line)
            return _clean("".join(pieces))
    lines: list[str] = []
    parts: list[str] = []

    def end_line() -> None:
        if parts:
            line = _clean("".join(parts))
            if line:
                lines.append(line)
            parts.clear()

    def walk(element: _Element) -> None:
        if element.text:
            parts.append(element.text)
        for child in element:
            tag = child.tag
            if isinstance(tag, str) and tag not in _SKIP and not _hidden(child):
                if tag == "br":
                    end_line()
                elif tag in _BLOCKS or tag == "table":
                    end_line()
                    walk(child)
                    end_line()
                else:
                    walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(cell)
    end_line()
    return "\n".join(lines)


def _hidden(element: _Element) -> bool:
    if element.get("hidden") is not None:
        return True
    style = element.get("style")
    if style is None:
        return False
    style = style.lower()
    return ("none" in style or "hidden" in style) and _HIDDEN_STYLE_RE.search(style) is not None


def _rows(table: _Element) -> tuple[list[_Row], list[_Element | str]]:
    """The table's own rows (through thead/tbody/tfoot; cells directly in the table form
    implicit rows) and the strays a browser would move before the table."""
    rows: list[_Row] = []
    strays: list[_Element | str] = []
    current: _Row | None = None
    hidden = 0

    def visit(parent: _Element, header: bool) -> None:
        nonlocal current, hidden
        text = parent.text
        if text and not text.isspace():
            strays.append(text)
        for child in parent:
            tag = child.tag
            tag = tag.lower() if isinstance(tag, str) else ""
            if tag in ("thead", "tbody", "tfoot"):
                current = None
                visit(child, tag == "thead")
            elif tag == "tr":
                if _hidden(child):  # Word's width-setting row, display:none
                    current = None
                    hidden += 1
                    continue
                current = _Row(len(rows) + hidden + 1, child.sourceline, header)
                rows.append(current)
                text = child.text
                if text and not text.isspace():
                    strays.append(text)
                cells = current.cells
                for cell in child:
                    cell_tag = cell.tag
                    cell_tag = cell_tag.lower() if isinstance(cell_tag, str) else ""
                    if cell_tag in _CELL_TAGS:
                        cells.append(cell)
                    elif cell_tag:
                        strays.append(cell)
                    tail = cell.tail
                    if tail and not tail.isspace():
                        strays.append(tail)
                current = None
            elif tag in _CELL_TAGS:
                if current is None:
                    current = _Row(len(rows) + hidden + 1, child.sourceline, header)
                    rows.append(current)
                current.cells.append(child)
            elif tag in ("colgroup", "col"):
                pass
            elif tag:
                strays.append(child)
            tail = child.tail
            if tail and not tail.isspace():
                strays.append(tail)

    visit(table, False)
    return rows, strays


def _is_layout(table: _Element, rows: list[_Row]) -> bool:
    """A table that holds other tables in its cells, or a single column of cells, lays
    out a page."""
    if all(len(row.cells) <= 1 for row in rows):
        return True
    for inner in table.iterdescendants("table"):
        parent = inner.getparent()
        while parent is not None and parent is not table:
            if parent.tag in ("td", "th"):
                return True
            parent = parent.getparent()
    return False


def _parse(text: str, diagnostics: list[Diagnostic]) -> _Element | None:
    """The page's tree (None when it holds no element); libxml2's fatal errors (it stopped
    reading, e.g. at its nesting limit of 256 levels) are added to ``diagnostics``."""
    try:
        from lxml import etree
    except ImportError as error:  # pragma: no cover - exercised only without the extra
        raise MissingExtraError("html", "lxml", "reading HTML") from error
    parser = etree.HTMLParser(
        encoding="utf-8",
        no_network=True,
        remove_comments=True,
        remove_pis=True,
        remove_blank_text=False,
        default_doctype=False,
        collect_ids=False,
        huge_tree=False,
    )
    data = _BAD_CHARS_RE.sub("", text).encode("utf-8")
    try:
        root: _Element | None = etree.fromstring(data, parser)
    except etree.LxmlError as error:
        message = f"the HTML could not be parsed: {error}"
        raise ParseError([Diagnostic(severity=Severity.ERROR, code="html-unreadable", message=message)]) from None
    for entry in parser.error_log.filter_from_fatals():
        diagnostics.append(
            Diagnostic(
                severity=Severity.ERROR,
                code="html-truncated",
                message=f"the HTML parser stopped reading here ({entry.message}); the rest of the page is not read",
                location=Location(line=entry.line or None, column=entry.column or None),
            )
        )
    return root


def read(source: str | bytes, *, max_cells: int | None = None) -> Document:
    """Read an HTML page into a :class:`~opengov._grid.Document` (form ``"html"``).

    ``bytes`` are decoded by :func:`opengov._decode.decode` (the parser decodes before it
    calls this reader, so it is given ``str``).  Data tables become Grids with the page's own
    spans; a table wrapping other tables (a page layout) is read through to the tables it
    holds.  The Document's ``diagnostics`` say which encoding was chosen, which spans were
    clipped, and when the page holds no table at all (for instance when the report's tables
    were published as images).  Raises :class:`~opengov.MissingExtraError` naming the ``html``
    extra when lxml is missing, and :class:`~opengov.ParseError` only when libxml2 gives up entirely.
    """
    diagnostics: list[Diagnostic] = []
    if isinstance(source, (bytes, bytearray, memoryview)):
        decoded = decode(bytes(source))
        text, diagnostics = decoded.text, list(decoded.diagnostics)
    else:
        text = source
    root = _parse(text, diagnostics)
    if root is None:
        diagnostics.append(_warning("the page holds no HTML elements", code="html-empty"))
        return Document(blocks=(), form=FORM, diagnostics=tuple(diagnostics))
    reader = _Reader(root)
    flow = _Lines(reader.blocks)
    reader.node(root, flow)
    flow.newline()
    diagnostics.extend(reader.diagnostics)
    if reader.grids == 0:
        in_text = _tables_in_text(reader.blocks, max_cells)
        if in_text is not None:
            return attrs.evolve(in_text, diagnostics=(*diagnostics, *in_text.diagnostics))
        images = ""
        if reader.images:
            images = f"; it shows {reader.images} image(s): the tables may have been published as images"
        diagnostics.append(_warning(f"the page holds no data table (<table>) to read{images}", code="html-no-tables"))
    return Document(
        blocks=tuple(reader.blocks), form=FORM, diagnostics=tuple(diagnostics), tables_missing=reader.grids == 0
    )


TEXT_TABLES = "html-text-tables"
"""The info diagnostic of a page whose tables are read from its text (:func:`_tables_in_text`)."""


def _tables_in_text(blocks: list[Block], max_cells: int | None) -> Document | None:
    """A page without a data table read as the text it shows: its lines (one per
    paragraph, as the page's blocks and line breaks end them) read by the text reader,
    which finds tables printed as text — a cell per ``<p>`` or ``<div>`` (one cell per
    line), a row per line (a label and its figures), the text of a report in ``<pre>``.
    ``None`` when the text reader finds no table either.  Every location is the source
    line of the paragraph it is in (the columns of the page's text are not the source's),
    and an info diagnostic (:data:`TEXT_TABLES`) says the tables were read from the text."""
    from opengov._readers import text as text_reader

    paragraphs = [block for block in blocks if isinstance(block, Paragraph)]

    def moved(location: Location | None) -> Location | None:
        if location is None or location.line is None or not 1 <= location.line <= len(paragraphs):
            return location
        return paragraphs[location.line - 1].location

    return text_reader.tables_from_text(
        [p.text for p in paragraphs],
        moved,
        form=FORM,
        code=TEXT_TABLES,
        message="the page holds no data table (<table>), but its text prints tables "
        "(a cell or a row per line): they were read from the text",
        max_cells=max_cells,
    )
