"""Make the generated PDF reports in this folder: ``python tests/data/pdf/make_pdfs.py``
draws new reports; ``--again`` prints the committed ``generated-*.json`` reports again;
``--borderless`` makes ``borderless-*.pdf`` (the committed ``generated-2019``/``generated-2021-b``
reports printed with tables without ruling lines); ``--wps`` makes ``wps-2021.pdf`` (the
``generated-2021-b`` report printed as WPS prints: a white filled rectangle behind every line
of prose, the last one touching the table below it, and a paragraph of prose under each table
heading); ``--wps-figures`` makes ``wps-figures-2021.pdf`` (the same, in the CID font below,
with short prose lines holding figures under each table heading: :data:`NOTES_WITH_FIGURES`);
``--cid`` makes ``cid-2021.pdf`` and ``cid-borderless-2019.pdf`` (the committed
``generated-2021-b``/``generated-2019`` reports printed in reportlab's standard Chinese CID font
``STSong-Light``, referenced by name and *not embedded*: see :data:`CID`).

Each ``generated-*.pdf`` is a report drawn by :func:`opengov.testing.reports` printed the
way the official Word template prints: title, section headings, wrapped prose, and ruled
tables with merged cells (a cell cut by a page break keeps its text on the first page,
like Word).  Beside it, ``generated-*.json`` is the report it came from (``opengov.dumps``).

Needs ``reportlab`` (not a dependency of opengov or its tests; the PDFs are committed) and a
Chinese TrueType font to embed (``--font PATH``, default WenQuanYi Micro Hei from the Debian
package ``fonts-wqy-microhei``: ``apt-get download fonts-wqy-microhei`` and ``dpkg-deb -x`` it,
no install needed).  ``--cid`` needs no font file: ``STSong-Light`` is one of the standard
CID fonts a PDF may name without embedding it.  On a machine without a Chinese font, PDFium
has no glyphs for it, and its text page leaves out every one-character piece of text in it;
the reader reads them all the same (``opengov._readers._pdfium``), which these files test.

:func:`write` is also what ``tests/test_pdf.py`` uses to print generated reports at test time
(with :data:`CID`, which needs nothing but reportlab).
"""

from __future__ import annotations

import io
import sys
import warnings
from pathlib import Path
from typing import NamedTuple

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2] / "src"))

from hypothesis.errors import NonInteractiveExampleWarning  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.cidfonts import UnicodeCIDFont  # noqa: E402
from reportlab.pdfbase.ttfonts import TTFont  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

import opengov  # noqa: E402
from opengov import layout  # noqa: E402
from opengov._codec import cell_text  # noqa: E402
from opengov._model import Report  # noqa: E402
from opengov.testing import reports  # noqa: E402

FONT = "CJK"
FONT_PATH = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
PAGE_W, PAGE_H = 595.0, 842.0
LEFT, RIGHT, TOP, BOTTOM = 72.0, 523.0, 72.0, 770.0
BODY = 12.0
CELL = 8.0

Cell = tuple[int, int, int, int, str]  # row, col, rowspan, colspan, text


class Style(NamedTuple):
    """How a report is printed."""

    font: str = FONT
    """The font of all text (registered with reportlab before printing)."""
    cell: float = CELL
    """The font size of table cells."""
    figures: str | None = None
    """The font of the figures in table cells (a Latin font such as ``Helvetica``); None: :attr:`font`."""
    pieces: bool = False
    """Print in one-character pieces (one text object per character, each at its place): the
    title, every table cell that is not a figure, and the last character of every prose line."""
    all_pieces: bool = False
    """Print every string in one-character pieces (figures and prose too)."""
    fullwidth: bool = False
    """Print figures in full-width digits (``１２３``), as some organs do."""


PLAIN = Style()
"""The embedded font (registered by :func:`main`), every string in one piece."""

CID = Style(font="STSong-Light", figures="Helvetica", pieces=True)
"""A standard Chinese CID font named, not embedded (reportlab's ``UnicodeCIDFont``), figures in
Helvetica (a standard Latin font PDFium always has), text in one-character pieces."""


def register(style: Style) -> None:
    """Register the CID font of ``style`` with reportlab (the embedded TrueType font is
    registered by :func:`main` from its file)."""
    if style.font != FONT:
        pdfmetrics.registerFont(UnicodeCIDFont(style.font))


def table2_cells(report: Report) -> tuple[list[Cell], list[float]]:
    values = {c.key: cell_text(c.value) for c in report.cells()}
    lay = report.layout.table2
    cells: list[Cell] = []
    r = 0
    for block in lay.blocks:
        cells.append((r, 0, 1, 4, block.label))
        r += 1
        cells.append((r, 0, 1, 1, lay.header))
        span = 3 - len(block.columns)
        for i, column in enumerate(block.columns):
            cells.append((r, 1 + i, 1, 1 + span if i == len(block.columns) - 1 else 1, column.label))
        r += 1
        for row_key in block.rows:
            cells.append((r, 0, 1, 1, lay.row(row_key).label))
            for i, column in enumerate(block.columns):
                text = values[("table2", row_key, column.key)]
                cells.append((r, 1 + i, 1, 1 + span if i == len(block.columns) - 1 else 1, text))
            r += 1
    return cells, [130.0, 107.0, 107.0, 107.0]


def table3_cells(report: Report) -> tuple[list[Cell], list[float]]:
    values = {c.key: cell_text(c.value) for c in report.cells()}
    lay = report.layout.table3
    org = lay.organisation_columns
    cells: list[Cell] = [
        (0, 0, 3, 3, lay.note),
        (0, 3, 1, 7, lay.applicant_header),
        (1, 3, 2, 1, lay.columns[0].label),
        (1, 4, 1, len(org), lay.organisation_header),
        (1, 9, 2, 1, lay.columns[-1].label),
    ]
    cells += [(2, 4 + i, 1, 1, lay.column(key).label) for i, key in enumerate(org)]
    r = 3
    outcomes = [row for row in lay.rows if row.key in lay.outcome_rows or row.key == "total_handled"]
    seen_blocks: set[str] = set()
    for row in lay.rows:
        if row.key in ("new_received", "carried_over", "carried_forward"):
            cells.append((r, 0, 1, 3, row.label))
        else:
            if row is outcomes[0]:
                cells.append((r, 0, len(outcomes), 1, lay.outcomes_label))
            if row.block is None:
                cells.append((r, 1, 1, 2, row.label))
            else:
                if row.block not in seen_blocks:
                    seen_blocks.add(row.block)
                    block = lay.block(row.block)
                    cells.append((r, 1, len(block.rows), 1, block.label))
                cells.append((r, 2, 1, 1, row.label))
        for i, column in enumerate(lay.columns):
            cells.append((r, 3 + i, 1, 1, values[("table3", row.key, column.key)]))
        r += 1
    return cells, [26.0, 50.0, 95.0] + [40.0] * 7


def table4_cells(report: Report) -> tuple[list[Cell], list[float]]:
    values = {c.key: cell_text(c.value) for c in report.cells()}
    lay = report.layout.table4
    first, direct, after = lay.blocks
    cells: list[Cell] = [
        (0, 0, 2, 5, first.label),
        (0, 5, 1, 10, lay.litigation_label),
        (1, 5, 1, 5, direct.label),
        (1, 10, 1, 5, after.label),
    ]
    for b, block in enumerate(lay.blocks):
        for i, column in enumerate(lay.columns):
            cells.append((2, b * 5 + i, 1, 1, column.label))
            cells.append((3, b * 5 + i, 1, 1, values[("table4", block.key, column.key)]))
    return cells, [30.0] * 15


class Writer:
    def __init__(
        self, path: Path | io.BytesIO, borders: bool = True, shading: bool = False, style: Style = PLAIN
    ) -> None:
        self.borders = borders
        self.shading = shading
        self.style = style
        self.canvas = canvas.Canvas(path if isinstance(path, io.BytesIO) else str(path), pagesize=(PAGE_W, PAGE_H))
        self.page = 1
        self.y = TOP

    def draw(self, x: float, baseline: float, text: str, font: str, size: float, pieces: bool) -> None:
        """``text`` at ``x``: one string, or (``pieces`` or :attr:`Style.all_pieces`) one text
        object per character, each where the string would have put it."""
        if not (pieces or self.style.all_pieces):
            self.canvas.drawString(x, baseline, text)
            return
        for char in text:
            self.canvas.drawString(x, baseline, char)
            x += pdfmetrics.stringWidth(char, font, size)

    def page_number(self) -> None:
        """``- N -`` centred at the foot of the page."""
        font, text = self.style.font, f"- {self.page} -"
        self.canvas.setFont(font, 10)
        self.draw(PAGE_W / 2 - pdfmetrics.stringWidth(text, font, 10) / 2, PAGE_H - 800, text, font, 10, False)

    def new_page(self) -> None:
        self.page_number()
        self.canvas.showPage()
        self.page += 1
        self.y = TOP

    def line(self, text: str, size: float, x: float = LEFT, centre: bool = False, title: bool = False) -> None:
        if self.y + size * 1.6 > BOTTOM:
            self.new_page()
        font = self.style.font
        self.canvas.setFont(font, size)
        if self.shading:  # WPS: a white filled rectangle behind the line, as wide as the body
            self.canvas.setFillColorRGB(1, 1, 1)
            self.canvas.rect(LEFT - 0.7, PAGE_H - self.y - size * 1.6, RIGHT - LEFT + 1.4, size * 1.6, stroke=0, fill=1)
            self.canvas.setFillColorRGB(0, 0, 0)
        baseline = PAGE_H - self.y - size
        if centre:
            x = PAGE_W / 2 - pdfmetrics.stringWidth(text, font, size) / 2
        if self.style.pieces and not title and len(text) > 1:  # the last character apart
            self.draw(x, baseline, text[:-1], font, size, False)
            self.draw(x + pdfmetrics.stringWidth(text[:-1], font, size), baseline, text[-1], font, size, False)
        else:
            self.draw(x, baseline, text, font, size, self.style.pieces and title)
        self.y += size * 1.6

    def paragraph(self, text: str, size: float = BODY, indent: bool = True) -> None:
        first = LEFT + (2 * size if indent else 0)
        width = int((RIGHT - first) // size)
        self.line(text[:width], size, first)
        rest = text[width:]
        per_line = int((RIGHT - LEFT) // size)
        while rest:
            self.line(rest[:per_line], size)
            rest = rest[per_line:]

    def table(self, cells: list[Cell], widths: list[float]) -> None:
        xs = [LEFT]
        for w in widths:
            xs.append(xs[-1] + w)
        n_rows = max(r + rs for r, _, rs, _, _ in cells)
        cell = self.style.cell
        heights = [cell * 2.2] * n_rows
        for r, c, rs, cs, text in cells:
            lines = wrap(text, xs[c + cs] - xs[c] - 4, self.style)
            need = len(lines) * self.style.cell * 1.3 + self.style.cell
            if need > sum(heights[r : r + rs]):
                heights[r + rs - 1] += need - sum(heights[r : r + rs])
        self.y += 0 if self.shading else 4
        self.canvas.setLineWidth(0.5)
        for rr, h in enumerate(heights):
            if self.y + h > BOTTOM:
                self.new_page()
            top, bottom = PAGE_H - self.y, PAGE_H - self.y - h
            next_breaks = rr + 1 < n_rows and self.y + h + heights[rr + 1] > BOTTOM
            for r, c, rs, cs, text in cells:
                if not r <= rr < r + rs:
                    continue
                x0, x1 = xs[c], xs[c + cs]
                if self.borders:
                    self.canvas.line(x0, top, x0, bottom)
                    self.canvas.line(x1, top, x1, bottom)
                    if rr == r or self.y == TOP:
                        self.canvas.line(x0, top, x1, top)
                    if rr == r + rs - 1 or next_breaks:
                        self.canvas.line(x0, bottom, x1, bottom)
                if rr == r:
                    figure = cell_text_is_figure(text)
                    if figure and self.style.fullwidth:
                        text = text.translate(FULLWIDTH)
                    font = (self.style.figures or self.style.font) if figure else self.style.font
                    self.canvas.setFont(font, cell)
                    for i, piece in enumerate(wrap(text, x1 - x0 - 4, self.style, font)):
                        baseline = top - cell * (1.3 * i + 1.4)
                        self.draw(x0 + 2, baseline, piece, font, cell, self.style.pieces and not figure)
            self.y += h
        self.y += 8


def wrap(text: str, width: float, style: Style = PLAIN, font: str | None = None) -> list[str]:
    """``text`` cut into lines no wider than ``width`` at the cell font size."""
    lines = [""]
    for char in text:
        if lines[-1] and pdfmetrics.stringWidth(lines[-1] + char, font or style.font, style.cell) > width:
            lines.append("")
        lines[-1] += char
    return lines


FULLWIDTH = str.maketrans("0123456789+-.", "０１２３４５６７８９＋－．")


def cell_text_is_figure(text: str) -> bool:
    """Whether a cell's text is a figure (digits, a sign, a decimal point)."""
    return bool(text) and all(c.isdigit() or c in "+-." for c in text) and any(c.isdigit() for c in text)


NOTE = (
    "本部分按照全国统一的年度报告格式填报，统计口径与上一年度保持一致，表中各项均据本机关工作台账逐项核对后汇总填写。"
)
"""Prose printed under each table heading in ``--wps`` (no figure in it)."""


NOTES_WITH_FIGURES = (
    "本表数据统计期限为1月1日至12月31日，共计12个月。",
    "1.本年度新制发文件 3 件",
    "2.清理废止文件 2 件",
    "全年依申请公开工作台账登记 45 条，均已核对。",
)
"""Prose printed under each table heading in ``--wps-figures``: short lines with figures
(list items ending in a count), which must stay prose."""


def write(
    report: Report,
    path: Path | io.BytesIO,
    borders: bool = True,
    wps: bool = False,
    style: Style = PLAIN,
    notes: tuple[str, ...] = (NOTE,),
) -> None:
    """Print ``report`` to ``path`` as the Word template prints (``borders=False``: tables
    without ruling lines, as some organs print them; ``wps=True``: as WPS prints, see the
    module text; ``style``: fonts and pieces, see :class:`Style`)."""
    register(style)
    w = Writer(path, borders, shading=wps, style=style)
    w.line(report.title, 18, centre=True, title=True)
    w.y += 8
    for text in report.preamble:
        w.paragraph(text)
    tables = {"table2": table2_cells, "table3": table3_cells, "table4": table4_cells}
    for section in layout.SECTIONS:
        w.line(section.label, BODY, LEFT + 2 * BODY)
        if section.table is not None:
            if wps:
                for note in notes:
                    w.paragraph(note)
            cells, widths = tables[section.table](report)
            w.table(cells, widths)
        else:
            for text in getattr(report, section.key):
                w.paragraph(text)
    w.page_number()
    w.canvas.showPage()
    w.canvas.save()


def main() -> None:
    args = sys.argv[1:]
    if args == ["--cid"]:
        for name, base, borders in (
            ("cid-2021", "generated-2021-b", True),
            ("cid-borderless-2019", "generated-2019", False),
        ):
            report = opengov.loads((HERE / f"{base}.json").read_text(encoding="utf-8"))
            write(report, HERE / f"{name}.pdf", borders=borders, style=CID._replace(cell=11.0))
            (HERE / f"{name}.json").write_text(opengov.dumps(report) + "\n", encoding="utf-8")
            print(name, report.organ, report.year)
        return
    if args == ["--wps-figures"]:
        report = opengov.loads((HERE / "generated-2021-b.json").read_text(encoding="utf-8"))
        write(report, HERE / "wps-figures-2021.pdf", wps=True, style=CID._replace(cell=11.0), notes=NOTES_WITH_FIGURES)
        (HERE / "wps-figures-2021.json").write_text(opengov.dumps(report) + "\n", encoding="utf-8")
        print("wps-figures-2021", report.organ, report.year)
        return
    font = FONT_PATH
    if "--font" in args:
        font = Path(args[args.index("--font") + 1])
        del args[args.index("--font") : args.index("--font") + 2]
    pdfmetrics.registerFont(TTFont(FONT, str(font), subfontIndex=0))
    sizes = {"generated-2021-a": 8.0, "generated-2021-b": 11.0, "generated-2019": 11.0}
    if args == ["--again"]:
        for name, size in sizes.items():
            report = opengov.loads((HERE / f"{name}.json").read_text(encoding="utf-8"))
            write(report, HERE / f"{name}.pdf", style=Style(cell=size))
            print(name, report.organ, report.year)
        return
    if args == ["--wps"]:
        report = opengov.loads((HERE / "generated-2021-b.json").read_text(encoding="utf-8"))
        write(report, HERE / "wps-2021.pdf", wps=True, style=Style(cell=11.0))
        (HERE / "wps-2021.json").write_text(opengov.dumps(report) + "\n", encoding="utf-8")
        print("wps-2021", report.organ, report.year)
        return
    if args == ["--borderless"]:
        # the committed reports again, printed without ruling lines
        for name, base, size in (
            ("borderless-2019", "generated-2019", 11.0),
            ("borderless-2021", "generated-2021-b", 11.0),
        ):
            report = opengov.loads((HERE / f"{base}.json").read_text(encoding="utf-8"))
            write(report, HERE / f"{name}.pdf", borders=False, style=Style(cell=size))
            (HERE / f"{name}.json").write_text(opengov.dumps(report) + "\n", encoding="utf-8")
            print(name, report.organ, report.year)
        return
    warnings.simplefilter("ignore", NonInteractiveExampleWarning)
    made = {  # name: (report, cell font size; 11 makes table 3 run over a page break)
        "generated-2021-a": (reports("2021").example(), 8.0),
        "generated-2021-b": (reports("2021").example(), 11.0),
        "generated-2019": (reports("2019").example(), 11.0),
    }
    for name, (report, size) in made.items():
        write(report, HERE / f"{name}.pdf", style=Style(cell=size))
        (HERE / f"{name}.json").write_text(opengov.dumps(report) + "\n", encoding="utf-8")
        print(name, report.organ, report.year)


if __name__ == "__main__":
    main()
