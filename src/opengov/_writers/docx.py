"""Word (.docx): the report in the layout of the official Word template (optional extra
``opengov[docx]``, python-docx).

The document holds the title (centred, bold), the preamble, the six section headings
(Word's ``Heading 1`` style, so they show in the navigation pane) each followed by its
prose or its table, and tables 2, 3 and 4 built from the same Grids as every other
rendering (:mod:`.layout_grid`).  A merged cell is written the way Word writes it: a
horizontal span is one ``w:tc`` with ``w:gridSpan``, a vertical span is a ``w:vMerge``
``restart`` cell followed by ``continue`` cells in the rows below it — exactly as in the
official template.

Looks: A4, fonts with an East Asian font set on every style (``w:eastAsia``: 仿宋 for prose,
黑体 for headings, 宋体 for the title and the tables, 楷体 for table 3's 勾稽关系 note, Times
New Roman for Latin text), single borders on every table edge (``w:tblBorders``), the
template's column widths, data cells centred, captions and table 3's row labels on the
left, table 2's caption rows shaded as in the template, every cell centred vertically,
table 3's header rows repeated on each page.

The output is deterministic: fixed core-property dates and fixed zip-entry times, so the
same report always gives the same bytes.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
import zipfile
from typing import Any

from opengov import layout
from opengov._errors import MissingExtraError
from opengov._grid import Grid, GridCell
from opengov._model import Report
from opengov._writers.layout_grid import report_grids

__all__ = ["render_docx", "INSTALL_HINT"]

INSTALL_HINT = 'writing .docx files needs the optional extra: pip install "opengov[docx]"'

_LATIN = "Times New Roman"
_PROSE_FONT = "仿宋"
_HEADING_FONT = "黑体"
_TABLE_FONT = "宋体"
_NOTE_FONT = "楷体"

_TABLE_STYLE = "Table Text"
_NOTE_STYLE = "Table Note"

_CAPTION_FILL = "C6D9F1"
"""The template's shading of table 2's 第二十条 caption rows."""

_FIXED_TIME = _dt.datetime(2000, 1, 1, tzinfo=_dt.timezone.utc)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)

# Column widths in twips (1/1440 inch), as in the official template (国办公开办函〔2021〕30号).
_TABLE_WIDTH = 9740
_WIDTHS: dict[str, list[int]] = {
    "table2": [2435] * 4,
    "table3": [754, 921, 3271] + [685] * 7,
    "table4": [649] * 7 + [650] * 8,
}

_T3_HEADER_ROWS = 3
"""Table 3's header rows (repeated on every page the table runs over)."""

_AFTER_AUTOSPACE = (
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
"""The ``w:pPr`` children that come after ``w:autoSpaceDN`` in the schema."""

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _widths(key: str, n_cols: int) -> list[int]:
    widths = _WIDTHS.get(key)
    if widths is not None and len(widths) == n_cols:
        return widths
    return [_TABLE_WIDTH // n_cols] * n_cols


def _check_text(text: str, what: str) -> str:
    """Text that XML can hold: tabs and line breaks are fine, other control characters
    are refused (a .docx cannot hold them) rather than dropped silently."""
    bad = _XML_INVALID.search(text)
    if bad is not None:
        raise ValueError(f"{what} holds the control character {bad.group()!r}, which a Word file cannot hold")
    return text


def _set_fonts(r_pr: Any, east_asia: str) -> None:
    """Latin and East Asian fonts on an ``w:rPr``, theme fonts removed."""
    from docx.oxml.ns import qn

    fonts = r_pr.get_or_add_rFonts()
    for attribute in list(fonts.attrib):
        if attribute.endswith("Theme"):
            del fonts.attrib[attribute]
    fonts.set(qn("w:ascii"), _LATIN)
    fonts.set(qn("w:hAnsi"), _LATIN)
    fonts.set(qn("w:cs"), _LATIN)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:hint"), "eastAsia")


def _style_fonts(style: Any, east_asia: str, size: float, *, bold: bool = False) -> None:
    from docx.shared import Pt, RGBColor

    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.color.rgb = RGBColor(0, 0, 0)
    _set_fonts(style.element.get_or_add_rPr(), east_asia)


def _setup(document: Any) -> None:
    """Page, styles and language of a new document."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt, Twips

    section = document.sections[0]
    section.page_width, section.page_height = Twips(11906), Twips(16838)
    section.top_margin = section.bottom_margin = Twips(1440)
    section.left_margin = section.right_margin = Twips(1080)

    # Chinese as the East Asian language of every run.
    defaults = document.styles.element.find(qn("w:docDefaults"))
    r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")

    styles = document.styles
    normal = styles["Normal"]
    _style_fonts(normal, _PROSE_FONT, 14)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.25
    # No automatic space between Chinese and Latin text or digits: the official documents
    # print "2023年" without a gap, and a PDF printed from the file keeps it that way.
    p_pr = normal.element.get_or_add_pPr()
    for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):
        element = OxmlElement(tag)
        element.set(qn("w:val"), "0")
        p_pr.insert_element_before(element, *_AFTER_AUTOSPACE)

    heading = styles["Heading 1"]
    _style_fonts(heading, _HEADING_FONT, 14)
    heading.font.italic = False
    heading.paragraph_format.space_before = Pt(12)
    heading.paragraph_format.space_after = Pt(6)
    heading.paragraph_format.keep_with_next = True

    table_text = styles.add_style(_TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    table_text.base_style = normal
    _style_fonts(table_text, _TABLE_FONT, 10)
    table_text.paragraph_format.line_spacing = 1.0
    table_text.paragraph_format.first_line_indent = Pt(0)

    note = styles.add_style(_NOTE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = table_text
    _style_fonts(note, _NOTE_FONT, 10)


def _add_text(paragraph: Any, text: str) -> None:
    """One run; ``\\n`` becomes a line break (``w:br``) and ``\\t`` a tab, as python-docx does."""
    if text:
        paragraph.add_run(text)


def _title(document: Any, text: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(12)
    run = paragraph.add_run(text)
    run.bold = True
    run.font.size = Pt(18)
    _set_fonts(run._r.get_or_add_rPr(), _TABLE_FONT)


def _prose(document: Any, text: str) -> None:
    from docx.shared import Pt

    paragraph = document.add_paragraph()
    paragraph.paragraph_format.first_line_indent = Pt(28)
    _add_text(paragraph, text)


def _table_borders(table: Any) -> None:
    """Single borders on every edge, inside lines included (``w:tblBorders``), and narrow
    cell margins, each inserted where the schema puts it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tbl_pr = table._tbl.tblPr
    width = tbl_pr.find(qn("w:tblW"))
    if width is not None:
        width.set(qn("w:w"), str(_TABLE_WIDTH))
        width.set(qn("w:type"), "dxa")
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), "4")
        element.set(qn("w:space"), "0")
        element.set(qn("w:color"), "000000")
        borders.append(element)
    tbl_pr.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption")
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), "57")
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    tbl_pr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription")


def _alignment(key: str, grid: Grid, cell: GridCell) -> Any:
    """``left`` or ``center``: captions across the table and table 3's row labels on the
    left (as in the template); column headers, group labels and data in the centre."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    left, centre = WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.CENTER
    if not cell.header:
        return centre
    if cell.colspan == grid.n_cols and grid.n_cols > 1:
        return left
    if key == "table3" and cell.rowspan == 1 and cell.row >= _T3_HEADER_ROWS:
        return left
    if key == "table3" and cell.row == 0 and cell.col == 0:
        return left
    return centre


def _table(document: Any, key: str, grid: Grid) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.oxml.table import CT_Tc
    from docx.shared import Twips
    from docx.table import _Cell

    widths = _widths(key, grid.n_cols)
    table = document.add_table(rows=0, cols=grid.n_cols)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _table_borders(table)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Twips(width)
    origin = grid.origin_map()
    text_style = document.styles[_TABLE_STYLE].style_id
    note_style = document.styles[_NOTE_STYLE].style_id
    header_rows = _T3_HEADER_ROWS if key == "table3" else 0
    for r in range(grid.n_rows):
        tr = table._tbl.add_tr()
        tr_pr = tr.get_or_add_trPr()
        cant_split = OxmlElement("w:cantSplit")
        tr_pr.append(cant_split)
        if r < header_rows:
            tr_pr.append(OxmlElement("w:tblHeader"))
        height = OxmlElement("w:trHeight")
        height.set(qn("w:val"), "340")
        height.set(qn("w:hRule"), "atLeast")
        tr_pr.append(height)
        c = 0
        while c < grid.n_cols:
            cell = origin[r][c]
            span = cell.colspan if cell is not None and cell.col == c else 1
            tc = CT_Tc.new()
            tr.append(tc)
            tc.width = Twips(sum(widths[c : c + span]))
            if span > 1:
                tc.grid_span = span
            tc_pr: Any = tc.get_or_add_tcPr()
            if cell is not None and cell.rowspan > 1:
                tc_pr.vMerge_val = "restart" if cell.row == r else "continue"
            if cell is not None and cell.header and cell.colspan == grid.n_cols and grid.n_cols > 1:
                shading = OxmlElement("w:shd")  # the template's light blue behind table 2's captions
                shading.set(qn("w:val"), "clear")
                shading.set(qn("w:color"), "auto")
                shading.set(qn("w:fill"), _CAPTION_FILL)
                tc_pr.insert_element_before(shading, "w:noWrap", "w:tcMar", "w:textDirection", "w:vAlign")
            word_cell = _Cell(tc, table)
            word_cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            paragraph = word_cell.paragraphs[0]
            note = key == "table3" and cell is not None and cell.row == 0 and cell.col == 0
            paragraph._p.get_or_add_pPr().style = note_style if note else text_style  # style ids: fast
            if cell is not None and cell.row == r and cell.col == c:
                paragraph.alignment = _alignment(key, grid, cell)
                _add_text(paragraph, _check_text(cell.text, f"{key} cell at row {r + 1}, column {c + 1}"))
            c += span


def _core_properties(document: Any, report: Report) -> None:
    props = document.core_properties
    props.title = _check_text(report.title, "the title") or layout.REPORT_TITLE_SUFFIX
    props.author = "opengov"
    props.last_modified_by = "opengov"
    props.comments = ""
    props.revision = 1
    props.created = _FIXED_TIME
    props.modified = _FIXED_TIME
    props.last_printed = _FIXED_TIME


def _deterministic_zip(data: bytes) -> bytes:
    """The same archive with fixed entry times (python-docx stamps the current time)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def render_docx(report: Report) -> bytes:
    """The report as the bytes of a Word (.docx) file in the official layout.

    Raises :class:`~opengov.MissingExtraError` (an ``ImportError``) naming the extra when
    python-docx is not installed, and
    ``ValueError`` when a text holds a control character a Word file cannot hold.
    """
    try:
        import docx
    except ImportError:
        raise MissingExtraError("docx", "python-docx", "writing .docx files") from None
    document = docx.Document()
    _setup(document)
    _core_properties(document, report)
    grids = report_grids(report)
    if report.title:
        _title(document, _check_text(report.title, "the title"))
    for text in report.preamble:
        _prose(document, _check_text(text, "the preamble"))
    for section in layout.SECTIONS:
        document.add_paragraph(section.label, style="Heading 1")
        if section.table is not None:
            grid = grids.get(section.table)
            if grid is not None:
                _table(document, section.table, grid)
        else:
            for text in getattr(report, section.key):
                _prose(document, _check_text(text, f"section {section.label}"))
    out = io.BytesIO()
    document.save(out)
    return _deterministic_zip(out.getvalue())
