"""Word (.docx) reports, read with the standard library alone (no extra needed).

A .docx is a zip archive whose ``word/document.xml`` holds the body.  This reader parses
that part with lxml when it is installed (the ``html`` and ``docx`` extras bring it; it
builds the tree in about half the time) and with :mod:`xml.etree.ElementTree` otherwise
(neither fetches anything: no network, no external entities; XML that lxml refuses, or that
has a document type declaration, goes to ElementTree), and turns the body into a
:class:`~opengov._grid.Document`.  Both give the same Document, except that lxml follows XML
1.0 fifth edition and so reads a few names the standard library calls not well-formed:

* each body paragraph (``w:p``) becomes a :class:`~opengov._grid.Paragraph`, in body order;
  its text is the text of its runs, ``w:tab`` as a tab and ``w:br``/``w:cr`` as ``\\n``;
  deleted revisions (``w:delText``) are not text, inserted ones are; a text box anchored
  in it is read as part of it, once (Word's second copy for older readers, ``mc:Fallback``,
  is skipped); empty paragraphs are skipped.  Its :class:`~opengov._errors.Location` has
  ``line`` = the 1-based number of the paragraph among the body's paragraphs (Word has no
  lines; tables' paragraphs not counted);
* each table (``w:tbl``) becomes a :class:`~opengov._grid.Grid` with the real spans of its
  merged cells: ``w:gridSpan`` (and the legacy ``w:hMerge``) across, ``w:vMerge``
  ``restart``/``continue`` down, ``w:gridBefore`` skipped columns.  A cell's text is its
  paragraphs joined by ``\\n``.  Every cell is located by
  ``Location(table=t, row=r, cell=c)``, all 1-based: the table's number in the document,
  the row within the table, and the grid column where the cell starts;
* content controls (``w:sdt``) and custom XML wrappers are read through, and so are
  layout tables (a table holding tables in its cells: :func:`_content`).

Bad input raises :class:`~opengov._errors.ParseError` with one diagnostic: ``not-docx``
(not a zip archive), ``docx-not-word`` (a zip that is not a Word document, such as an .xlsx),
``docx-damaged`` (a broken archive or XML), ``docx-no-tables`` (a Word document without any
table: an annual report has tables 2–4) or a ``limit-…`` code (:class:`opengov.Limits`):
``limit-decompressed-bytes`` when ``word/document.xml`` is larger than
``Limits.decompressed_bytes`` once decompressed (it is read in bounded chunks, so a zip
directory that understates the size does not get past the check), ``limit-cells`` when the
tables' cells, spans expanded, exceed ``Limits.cells`` (checked while the table is read).
A ``w:gridSpan``, ``w:vMerge`` run or ``w:gridBefore`` over ``Limits.span`` columns is
clamped to it with a ``docx-span-clipped`` warning.  An OLE2 compound file (Word 97–2003
.doc, WPS .wps, an encrypted Office file) is passed to :mod:`opengov._readers.doc`
(``doc-legacy`` when no LibreOffice is there to convert it).
"""

from __future__ import annotations

import functools
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from typing import Any
from xml.etree import ElementTree as ET

import attrs

from opengov._errors import Diagnostic, Location, ParseError, Severity
from opengov._grid import Block, Document, Grid, GridCell, Paragraph
from opengov._limits import DEFAULT_LIMITS, Limits, limit_error
from opengov._readers._sniff import OLE_SIGNATURE, ZIP_SIGNATURE, is_zip

__all__ = ["NAME", "detect", "read"]

NAME = "docx"
"""The name of this input form."""

_MAIN_PART = "word/document.xml"
_CHUNK = 1 << 20
"""``word/document.xml`` is decompressed this many bytes at a time, counted against
``Limits.decompressed_bytes`` as it comes (whatever the zip directory says its size is)."""

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC = f"{_W}p", f"{_W}tbl", f"{_W}tr", f"{_W}tc"
_T, _TAB, _BR, _CR = f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"
_SDT, _SDT_CONTENT, _CUSTOM_XML = f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"
_VAL = f"{_W}val"
_TC_PR, _TR_PR = f"{_W}tcPr", f"{_W}trPr"
_GRID_SPAN, _H_MERGE, _V_MERGE, _GRID_BEFORE = f"{_W}gridSpan", f"{_W}hMerge", f"{_W}vMerge", f"{_W}gridBefore"
_WRAPPERS = frozenset({_SDT, _CUSTOM_XML, f"{_W}ins", f"{_W}smartTag"})
"""Elements whose children are read as if they stood in their place."""
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_SKIPPED = frozenset(
    {f"{_W}{name}" for name in ("del", "moveFrom", "pPr", "rPr", "tcPr", "trPr", "tblPr", "tblPrEx", "tcBorders")}
    | {f"{_MC}Fallback"}
)
"""Elements whose text is not the document's text (deleted revisions, properties), or is a
second copy of it: Word writes a text box or shape twice, for itself (``mc:Choice``) and for
older readers (``mc:Fallback``), and the second copy is skipped."""


_XmlElement = Any
"""An element of ``word/document.xml``: lxml's or ElementTree's (the reader uses only what
both have: ``tag``, ``text``, ``get``, ``find``, ``iter`` and iterating the children)."""


def detect(data: bytes) -> bool:
    """Whether ``data`` is for this reader: a zip archive (``PK\\x03\\x04``).  Any zip is
    taken so that one that is not a Word file (an .xlsx, an .odt) gets a clear error rather
    than being read as text.  (OLE2 compound files — Word 97–2003 .doc, WPS .wps — are the
    ``doc`` form's: :mod:`opengov._readers.doc`.)"""
    return is_zip(data)


def read(data: bytes, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Read a .docx file's body into a :class:`~opengov._grid.Document`.

    Raises :class:`~opengov._errors.ParseError` with one diagnostic when the bytes are not
    a Word .docx file, the file is damaged, it has no table, or it is over one of the
    ``limits``.  An OLE2 compound file (a Word 97–2003 .doc or WPS .wps, given with
    ``form="docx"``) goes to the ``doc`` reader (converted by LibreOffice), bounded by
    ``limits``.
    """
    if data.startswith(OLE_SIGNATURE):
        from opengov._readers import doc

        return doc.read(data, limits)
    return _read(data, limits=limits)


def _read(data: bytes, *, lxml: bool = True, slim: bool = True, limits: Limits = DEFAULT_LIMITS) -> Document:
    """:func:`read`; ``lxml=False`` parses with the standard library even when lxml is
    installed (the two are tested to read every document alike); ``slim=False`` parses the
    XML with its formatting (:func:`_without_formatting`; tested to read alike too)."""
    body = _body(_main_part(data, limits), lxml=lxml, slim=slim)
    notes: list[Diagnostic] = []
    blocks = list(_blocks(body, _Budget(limits=limits, notes=notes)))
    if not any(isinstance(block, Grid) for block in blocks):
        in_text = _tables_in_text(body, limits)
        if in_text is not None:
            return attrs.evolve(in_text, diagnostics=(*notes, *in_text.diagnostics))
        raise _error(
            "docx-no-tables",
            "the Word file has no tables; an annual report holds tables 二、三 and 四 "
            "(主动公开, 依申请公开, 行政复议/行政诉讼) as Word tables",
        )
    return Document(blocks=tuple(blocks), form=NAME, diagnostics=tuple(notes))


TEXT_TABLES = "docx-text-tables"
"""The info diagnostic of a Word file whose tables are read from its text (:func:`_tables_in_text`)."""


def _tables_in_text(body: _XmlElement, limits: Limits) -> Document | None:
    """A Word file without a table read as the text of its paragraphs: each paragraph a
    line (its line breaks too), the empty ones blank lines, read by the text reader, which
    finds tables printed as text (a row per paragraph with TABs between its cells, a cell
    per paragraph).  ``None`` when it finds no table either.  Every location is the
    paragraph's number (as the paragraphs of :func:`read` are located), and an info
    diagnostic (:data:`TEXT_TABLES`) says the tables were read from the text."""
    from opengov._readers import text as text_reader

    lines: list[str] = []
    numbers: list[int] = []  # the paragraph of each line
    number = 0
    for element in _children(body):
        if element.tag == _P:
            number += 1
            for line in _text(element).splitlines() or [""]:
                lines.append(line)
                numbers.append(number)

    def moved(location: Location | None) -> Location | None:
        if location is None or location.line is None or not 1 <= location.line <= len(numbers):
            return location
        return Location(line=numbers[location.line - 1])

    return text_reader.tables_from_text(
        lines,
        moved,
        form=NAME,
        code=TEXT_TABLES,
        message="the Word file holds no table, but the text of its paragraphs prints tables "
        "(a row or a cell per paragraph): they were read from the text",
        max_cells=limits.cells,
    )


# ---------------------------------------------------------------------------------------
# The archive
# ---------------------------------------------------------------------------------------


def _error(code: str, message: str) -> ParseError:
    diagnostic = Diagnostic(severity=Severity.ERROR, code=code, message=message)
    return ParseError([diagnostic], summary=message)


def _kind_of_zip(names: list[str]) -> str:
    if any(name.startswith("xl/") for name in names):
        return "an Excel workbook (.xlsx)"
    if any(name.startswith("ppt/") for name in names):
        return "a PowerPoint presentation (.pptx)"
    if "mimetype" in names or "content.xml" in names:
        return "an OpenDocument file (.odt/.ods); save it as .docx"
    return "a zip archive without word/document.xml"


def _main_part(data: bytes, limits: Limits) -> bytes:
    if data.startswith(OLE_SIGNATURE):
        raise _error(
            "doc-legacy",
            "the file is an old binary Word .doc (Word 97–2003) or a password-protected Office file; "
            "open it in Word or LibreOffice and save it as .docx without a password",
        )
    if not data.startswith(ZIP_SIGNATURE):
        raise _error("not-docx", "the data is not a Word .docx file (not a zip archive)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if _MAIN_PART not in names:
                raise _error("docx-not-word", f"the zip archive is not a Word document: it is {_kind_of_zip(names)}")
            info = archive.getinfo(_MAIN_PART)
            if info.file_size > limits.decompressed_bytes:
                raise limit_error("decompressed_bytes", info.file_size, limits.decompressed_bytes)
            return _bounded_read(archive, info, limits.decompressed_bytes)
    except ParseError:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        EOFError,
        OSError,
        NotImplementedError,
        ValueError,  # a damaged directory: "negative seek value", bad sizes
        OverflowError,
    ) as exc:
        detail = " ".join(str(exc).split())[:120] or type(exc).__name__
        raise _error("docx-damaged", f"the .docx file is damaged: its zip archive cannot be read ({detail})") from None


def _bounded_read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """The member's bytes, decompressed at most :data:`_CHUNK` at a time and refused as soon
    as they pass ``limit`` (the directory's size is not trusted: only what comes out)."""
    chunks: list[bytes] = []
    total = 0
    with archive.open(info) as member:
        while True:
            chunk = member.read(_CHUNK)
            if not chunk:
                break
            total += len(chunk)
            if total > limit:
                raise limit_error("decompressed_bytes", f"more than {limit}", limit)
            chunks.append(chunk)
    return b"".join(chunks)


def _body(xml: bytes, *, lxml: bool = True, slim: bool = True) -> _XmlElement:
    """The ``w:body`` element of ``word/document.xml`` (an lxml element when lxml is
    installed, else an ElementTree one: the readers below use what both have).

    ``slim``: the XML is parsed without its formatting elements (:func:`_without_formatting`);
    should that text fail to parse, the XML is parsed as it is, so that a damaged file is
    reported where it is damaged."""
    source = _without_formatting(xml) if slim else xml
    try:
        root = _root(source, lxml=lxml)
    except ParseError:
        if source is xml:
            raise
        root = _root(xml, lxml=lxml)
    body = root.find(f"{_W}body")
    if body is None:
        raise _error("docx-damaged", f"the .docx file is damaged: {_MAIN_PART} has no w:body")
    return body


def _root(xml: bytes, *, lxml: bool) -> _XmlElement:
    root = _parse_lxml(xml) if lxml else None
    return _parse_stdlib(xml) if root is None else root


_KEPT_IF = {
    b"rPr": b"",
    b"pPr": b"",
    b"tblPr": b"",
    b"tblPrEx": b"",
    b"tcBorders": b"",
    b"tcPr": b"|gridSpan|hMerge|vMerge",
}
"""The formatting elements :func:`_without_formatting` takes out: run and paragraph
properties, table properties and a row's exceptions to them, cell borders (all of which
the reader skips, :data:`_SKIPPED`), and cell properties (which it reads only for a span or
a merge).  Most of a Word file's XML.  Each is kept when it holds another of its name, a
paragraph (which the reader finds at any depth of a table cell) or what is named here (for
cell properties: a span or a merge)."""


def _element_without(name: bytes, kept: bytes) -> bytes:
    """A regular expression of an element ``w:NAME`` written ``<w:NAME …>…</w:NAME>``
    that holds no start tag of ``w:NAME``, ``w:p`` or the elements ``kept`` names
    (``|a|b``): its start tag, then one tag after another up to its first end tag
    (``</w:NAME>``, white space allowed before the ``>``).  Each ``[^<]*`` run is followed
    by a ``<``, so that a failed match steps back over whole tags only (the regular
    expression engine skips back to a ``<``): a failure costs one pass over the tags it
    looked at, up to the next element of its name or paragraph (measured in
    docs/limits.md).  An attribute value holds no ``<`` in well-formed XML."""
    end = rb"/w:" + name + rb"[\s>]"
    return (
        rb"<w:" + name + rb"[\s>][^<]*<"
        rb"(?:(?!w:(?:" + name + rb"|p" + kept + rb")[\s/>]|" + end + rb")[^<]*<)*"
        rb"/w:" + name + rb"\s*>"
    )


_CUTS = (
    (re.compile(b"|".join(_element_without(name, kept) for name, kept in _KEPT_IF.items() if name != b"tcPr")), b""),
    (re.compile(_element_without(b"tcPr", _KEPT_IF[b"tcPr"])), b"<w:tcPr/>"),
)
"""What :func:`_without_formatting` substitutes, in turn: run, paragraph and table
properties, row exceptions and cell borders by nothing, cell properties by empty ones
(the reader reads a cell's first)."""
_W_PREFIX = re.compile(rb"xmlns:w\s*=")
_W_DECLARATION = re.compile(
    rb"""xmlns:w\s*=\s*["']http://schemas\.openxmlformats\.org/wordprocessingml/2006/main["']"""
)


def _without_formatting(xml: bytes) -> bytes:
    """``word/document.xml`` without its formatting elements (:data:`_KEPT_IF`), taken
    out by two regular expression substitutions (in C): Word's formatting is most of the
    XML of a table-heavy report (the 2021 template: 251 KB, 7,592 elements; 82 KB, 2,626
    elements without it), and building and freeing its tree cost more than the rest of
    the reading.

    Exactly the tree the reader reads: an element is taken out only when it is written
    ``<w:NAME …>…</w:NAME>`` and holds nothing :data:`_KEPT_IF` keeps it for (an element
    cut inside another cut one changes nothing: the outer one goes whole), and only when
    the prefix ``w`` is declared once, for the W namespace (so ``w:`` means W wherever it
    is bound), and nothing after the XML declaration is a comment, a CDATA section, a
    document type or a processing instruction (where text may look like markup).  Any
    other XML is returned as it is.  ``tests/test_docx.py`` compares documents read with
    and without it.  Damage within the text taken out (an element not closed in it, an
    unknown entity, tags crossing its edges) is not seen: such a file is read, the
    formatting it damages being read by no one."""
    if len(_W_PREFIX.findall(xml)) != 1 or _W_DECLARATION.search(xml) is None:
        return xml
    start = 3 if xml.startswith(b"\xef\xbb\xbf") else 0
    if xml.startswith(b"<?xml", start):  # the XML declaration: the one processing instruction allowed
        start = xml.find(b"?>", start) + 2
        if start < 2:
            return xml
    # "!" and "?" are found with memchr (a search for "<!" stops at every "<" of the XML)
    if (b"!" in xml and b"<!" in xml) or (xml.find(b"?", start) >= 0 and xml.find(b"<?", start) >= 0):
        return xml  # a comment, CDATA, a document type, a processing instruction
    slim = xml
    for pattern, replacement in _CUTS:
        slim = pattern.sub(replacement, slim)
    return slim


def _parse_stdlib(xml: bytes) -> ET.Element:
    try:
        return ET.fromstring(xml)
    except ET.ParseError as exc:
        line, column = exc.position
        raise _error(
            "docx-damaged",
            f"the .docx file is damaged: {_MAIN_PART} is not well-formed XML (line {line}, column {column + 1})",
        ) from None
    except (LookupError, UnicodeError) as exc:  # an XML declaration naming no known encoding
        raise _error("docx-damaged", f"the .docx file is damaged: {_MAIN_PART} cannot be decoded ({exc})") from None


def _parse_lxml(xml: bytes) -> _XmlElement | None:
    """The root element parsed by lxml, ``None`` when lxml is not installed or refuses the
    XML (then the standard library reads it, or says why it cannot, as it always did).
    The tree is the one ElementTree builds: comments and processing instructions left out,
    internal entities expanded, nothing loaded from outside."""
    if b"<!DOCTYPE" in xml:  # Word writes no DTD: a file with one is read as it always was
        return None
    try:
        from lxml import etree
    except ImportError:
        return None
    parser = etree.XMLParser(
        resolve_entities="internal",
        load_dtd=False,
        no_network=True,
        remove_comments=True,
        remove_pis=True,
        huge_tree=False,
    )
    try:
        return etree.fromstring(xml, parser)
    except (etree.LxmlError, LookupError, UnicodeError):
        return None


# ---------------------------------------------------------------------------------------
# Body, paragraphs and text
# ---------------------------------------------------------------------------------------


def _children(element: _XmlElement) -> Iterator[_XmlElement]:
    """Child elements, read through content controls and custom XML wrappers."""
    for child in element:
        if child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _children(content)
        elif child.tag in _WRAPPERS:
            yield from _children(child)
        else:
            yield child


def _text(element: _XmlElement) -> str:
    """The text of a paragraph: runs' text, tabs and breaks; deleted text left out."""
    parts: list[str] = []
    _text_parts(element, parts)
    return "".join(parts)


def _text_parts(node: _XmlElement, parts: list[str]) -> bool:
    """Append the text of ``node``'s children to ``parts`` (see :func:`_text`).  Returns
    whether everything a search for paragraphs would find under ``node`` was looked at
    here: ``False`` when a paragraph lies under it, or an element whose inside is not read
    (a skipped element, a text, tab or break element) has elements inside."""
    plain = True
    for child in node:
        tag = child.tag
        if tag in _SKIPPED:
            if len(child):
                plain = False
            continue
        if tag == _T:
            parts.append(child.text or "")
        elif tag == _TAB:
            parts.append("\t")
        elif tag in (_BR, _CR):
            parts.append("\n")
        else:
            if tag == _P:
                plain = False
            if not _text_parts(child, parts):
                plain = False
            continue
        if len(child):
            plain = False
    return plain


@attrs.define
class _Budget:
    """What the tables may still cost: cells (spans expanded) left under ``Limits.cells``;
    spans clamped to ``Limits.span`` are noted in ``notes``."""

    limits: Limits
    notes: list[Diagnostic]
    cells: int = 0

    def span(self, value: int, what: str, location: Location) -> int:
        if value <= self.limits.span:
            return value
        self.notes.append(
            Diagnostic(
                severity=Severity.WARNING,
                code="docx-span-clipped",
                message=f"{what} {value} is more than Limits.span ({self.limits.span}); clipped to {self.limits.span}",
                location=location,
            )
        )
        return self.limits.span

    def take(self, count: int, table: int, row: int, cell: int) -> None:
        """Count ``count`` cells of the cell at ``table``/``row``/``cell`` (1-based; its
        location is made only for the error)."""
        self.cells += count
        if self.cells > self.limits.cells:
            location = Location(table=table, row=row, cell=cell)
            raise limit_error("cells", f"more than {self.limits.cells}", self.limits.cells, location=location)


_LAYOUT_DEPTH = 8
"""How many layout tables inside one another are read through (:func:`_content`); a table
deeper than that is read as a table, the tables in its cells as their text."""


@attrs.define
class _Numbers:
    """The paragraphs and tables met so far, in document order."""

    paragraphs: int = 0
    tables: int = 0


def _blocks(body: _XmlElement, budget: _Budget) -> Iterator[Block]:
    return _content(body, budget, _Numbers(), 0)


def _content(element: _XmlElement, budget: _Budget, numbers: _Numbers, depth: int) -> Iterator[Block]:
    """The paragraphs and tables of the body (or of a layout table's cell), in order.

    A table that holds tables in its cells is a page layout (a frame around the report, a
    column of tables), not a data table: it is read through, row by row and cell by cell,
    its cells' paragraphs and tables being read as the body's are.  Every ``w:tbl`` counts
    for the table numbers (as Word numbers them, layout tables included), and a layout
    table's paragraphs count as the body's."""
    for child in _children(element):
        if child.tag == _P:
            numbers.paragraphs += 1
            text = _text(child)
            if text.strip():
                yield Paragraph(text=text, location=Location(line=numbers.paragraphs))
        elif child.tag == _TBL:
            numbers.tables += 1
            if depth < _LAYOUT_DEPTH and _holds_table(child):
                for tr in _children(child):
                    if tr.tag == _TR:
                        for tc in _children(tr):
                            if tc.tag == _TC:
                                yield from _content(tc, budget, numbers, depth + 1)
            else:
                yield _grid(child, numbers.tables, budget)


def _holds_table(tbl: _XmlElement) -> bool:
    """Whether a table has a table inside it (``iter`` yields the table itself first)."""
    tables = tbl.iter(_TBL)
    next(tables, None)
    return next(tables, None) is not None


# ---------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------


def _first(element: _XmlElement, tag: str) -> _XmlElement | None:
    """The first child with the tag, ``None`` if there is none (ElementTree's
    ``find(tag)``, as fast in lxml)."""
    for child in element:
        if child.tag == tag:
            return child
    return None


def _value(element: _XmlElement, default: int) -> int:
    """The ``w:val`` of a property as a count (``default`` when it is missing or no number)."""
    raw = element.get(_VAL)
    try:
        return default if raw is None else max(0, int(raw))
    except ValueError:
        return default


def _merge(element: _XmlElement | None) -> str | None:
    """``restart``, ``continue`` or ``None`` (no merge) for a ``w:vMerge``/``w:hMerge``."""
    if element is None:
        return None
    return "restart" if element.get(_VAL) == "restart" else "continue"


def _cell_properties(tc: _XmlElement) -> tuple[int, str | None, str | None]:
    """``(grid span, horizontal merge, vertical merge)`` of a cell, from the first of each
    in its first ``w:tcPr``, looked at in one pass."""
    properties = _first(tc, _TC_PR)
    if properties is None or not len(properties):  # none, or emptied by the formatting cut
        return 1, None, None
    span = h_merge = v_merge = None
    for child in properties:
        tag = child.tag
        if tag == _GRID_SPAN:
            if span is None:
                span = child
        elif tag == _H_MERGE:
            if h_merge is None:
                h_merge = child
        elif tag == _V_MERGE and v_merge is None:
            v_merge = child
    return (1 if span is None else max(1, _value(span, 1))), _merge(h_merge), _merge(v_merge)


def _grid_before(tr: _XmlElement) -> int:
    """The grid columns a row skips before its first cell (``w:gridBefore``)."""
    properties = _first(tr, _TR_PR)
    if properties is None:
        return 0
    before = _first(properties, _GRID_BEFORE)
    return 0 if before is None else _value(before, 0)


class _Open:
    """A cell being built: its spans grow as continuation cells are found.  A plain slotted
    class made by position, one per cell of every table (as an attrs class called with
    keywords, with its Location made here too, the template's body took 2.77 ms, now 2.55)."""

    __slots__ = ("col", "colspan", "row", "rowspan", "text")

    def __init__(self, row: int, col: int, colspan: int, text: str) -> None:
        self.row = row
        self.col = col
        self.rowspan = 1
        self.colspan = colspan
        self.text = text


def _cell_text(tc: _XmlElement) -> str:
    """A cell's text: the text of every paragraph in it, at any depth, joined by new lines
    (:func:`_all_paragraphs_text`).  Read from the cell's children when they are its
    properties and paragraphs with no paragraph inside them (almost every cell): the same
    text without searching the cell for paragraphs, which costs lxml a tag matcher a call
    (``tests/test_docx.py`` compares the two)."""
    texts: list[str] = []
    for child in tc:
        tag = child.tag
        if tag == _P:
            parts: list[str] = []
            if not _text_parts(child, parts):
                return _all_paragraphs_text(tc)
            texts.append("".join(parts))
        elif tag != _TC_PR or (len(child) and next(child.iter(_P), None) is not None):
            return _all_paragraphs_text(tc)
    return "\n".join(texts).strip("\n")


def _all_paragraphs_text(tc: _XmlElement) -> str:
    """The text of every paragraph anywhere in the cell (nested tables, content controls),
    joined by new lines; a paragraph inside another (in a text box) is read once, as part of
    the paragraph that holds it (:func:`_outer_paragraphs`)."""
    return "\n".join([_text(p) for p in _outer_paragraphs(tc)]).strip("\n")


def _outer_paragraphs(node: _XmlElement) -> Iterator[_XmlElement]:
    """The paragraphs under ``node`` that are inside no other paragraph, in document order,
    outside the elements whose text is skipped (:data:`_SKIPPED`)."""
    for child in node:
        tag = child.tag
        if tag == _P:
            yield child
        elif tag not in _SKIPPED:
            yield from _outer_paragraphs(child)


@functools.lru_cache(maxsize=4096)
def _cell(row: int, col: int, rowspan: int, colspan: int, text: str, table: int) -> GridCell:
    """A cell of the document's table ``table`` at grid row ``row`` and column ``col``
    (located by them, 1-based): a pure function of its arguments, cached (a small cache:
    the cells of a document read again, and the label cells of documents made from one
    template, come from it)."""
    location = Location(table=table, row=row + 1, cell=col + 1)
    return GridCell(row=row, col=col, rowspan=rowspan, colspan=colspan, text=text, location=location)


def _grid(tbl: _XmlElement, number: int, budget: _Budget) -> Grid:
    cells: list[_Open] = []
    by_column: dict[int, _Open] = {}
    """The cell that covers each grid column in the row above (for vertical merges)."""
    r = -1
    for tr in _children(tbl):
        if tr.tag != _TR:
            continue
        r += 1
        c = _grid_before(tr)
        if c > budget.limits.span:
            c = budget.span(c, "w:gridBefore", Location(table=number, row=r + 1))
        row_cells: dict[int, _Open] = {}
        previous: _Open | None = None
        for tc in _children(tr):
            if tc.tag != _TC:
                continue
            span, h_merge, v_merge = _cell_properties(tc)
            if span > budget.limits.span:
                span = budget.span(span, "w:gridSpan", Location(table=number, row=r + 1, cell=c + 1))
            budget.take(span, number, r + 1, c + 1)
            if h_merge == "continue" and previous is not None:
                previous.colspan += span
                for k in range(c, c + span):
                    row_cells[k] = previous
                c += span
                continue
            above = by_column.get(c)
            if (
                v_merge == "continue"
                and above is not None
                and above.col == c
                and above.colspan == span
                and above.row + above.rowspan == r
            ):
                above.rowspan += 1
                extra = _cell_text(tc)
                if extra.strip():
                    above.text = f"{above.text}\n{extra}" if above.text else extra
                cell = above
            else:
                cell = _Open(r, c, span, _cell_text(tc))
                cells.append(cell)
            for k in range(c, c + span):
                row_cells[k] = cell
            previous = cell
            c += span
        by_column = row_cells
    grid_cells = [_cell(o.row, o.col, o.rowspan, o.colspan, o.text, number) for o in cells]
    return Grid.from_cells(grid_cells, location=Location(table=number))
