"""Ruled tables a browser prints open: cut by a page break without a line at the cut, or
clipped by the page's edge without their side.

A browser printing a web page draws the border two rows share once, with the row above a page
break: the table's part on the next page has no top line, a cell spanning rows across the
break (三、本年度办理结果) no bottom line.  A table wider than the page loses its side, and
the text past the edge is not printed at all (``78659`` prints as ``786``).  The open ends are
closed (``_open_ends``); the cells at a clipped side that may hide a value are left unread
(``pdf-clipped-table``); a row of ruled cells that is a cell short is a column lost, never
"glued" figures cut into cells; the browser's page header and footer are page furniture.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import opengov
from budget import examples
from opengov._assemble.orchestrate import assemble
from opengov._grid import Document, Grid, GridCell, Paragraph
from opengov._model import cell_values
from opengov._patterns import is_page_number
from opengov._readers import pdf
from opengov._readers._pdfium import Char, PageContent

pytest.importorskip("pypdfium2")

DATA = Path(__file__).resolve().parent / "data"
CLIPPED = DATA / "pdf" / "browser-clipped-2023.pdf"

Segment = tuple[float, float, float]


def _cells(report: opengov.Report) -> dict[object, object]:
    return {spec.key: value for spec, value in cell_values(report) if value is not None}


def _lines(xs: list[float], ys: list[float]) -> tuple[list[Segment], list[Segment]]:
    """A full grid: every row line across, every column line down."""
    horizontal = [(y, xs[0], xs[-1]) for y in ys]
    vertical = [(x, ys[0], ys[-1]) for x in xs]
    return horizontal, vertical


def _page(horizontal: list[Segment], vertical: list[Segment], chars: tuple[Char, ...] = ()) -> PageContent:
    return PageContent(
        number=1, width=612.0, height=792.0, chars=chars, horizontal=tuple(horizontal), vertical=tuple(vertical)
    )


def _boxes(page: PageContent) -> list[list[tuple[float, float, float, float]]]:
    found = pdf._ruled_tables(page, pdf._CellBudget(limit=10**6))
    return [[tuple(round(v, 3) for v in box) for box in table.cells] for table in found]  # type: ignore[misc]


@st.composite
def grids(draw: st.DrawFn) -> tuple[list[float], list[float]]:
    widths = draw(st.lists(st.integers(20, 90), min_size=2, max_size=8))
    heights = draw(st.lists(st.integers(13, 45), min_size=2, max_size=10))
    xs = [40.0]
    for w in widths:
        xs.append(xs[-1] + w)
    ys = [60.0]
    for h in heights:
        ys.append(ys[-1] + h)
    return xs, ys


OPEN_SIDES = ["top", "bottom", "left", "right", "top+right", "bottom+right", "bottom+left"]


@settings(max_examples=examples(60))
@given(grids(), st.sampled_from(OPEN_SIDES))
def test_a_grid_with_a_side_left_open_has_the_cells_of_the_closed_grid(
    grid: tuple[list[float], list[float]], sides: str
) -> None:
    """The lines of the open side are missing; the other lines end where that side was.
    Every cell of the closed grid is found, and no other."""
    xs, ys = grid
    horizontal, vertical = _lines(xs, ys)
    closed = _boxes(_page(horizontal, vertical))
    for side in sides.split("+"):
        if side == "top":
            horizontal = [s for s in horizontal if s[0] != ys[0]]
        elif side == "bottom":
            horizontal = [s for s in horizontal if s[0] != ys[-1]]
        elif side == "left":
            vertical = [s for s in vertical if s[0] != xs[0]]
        else:
            vertical = [s for s in vertical if s[0] != xs[-1]]
    assert _boxes(_page(horizontal, vertical)) == closed


@settings(max_examples=examples(40))
@given(grids(), st.floats(0.0, 2.9), st.floats(3.5, 5.5))
def test_a_closed_grid_or_lines_overshooting_its_border_add_nothing(
    grid: tuple[list[float], list[float]], touching: float, overshoot: float
) -> None:
    xs, ys = grid
    horizontal, vertical = _lines(xs, ys)
    merged = pdf._merge(horizontal), pdf._merge(vertical)
    assert pdf._open_ends(*merged, ()) == ([], [])
    # lines running past the border by a little: a drawing's slack, no open row or column
    for extra in (touching, overshoot):
        long_h = [(y, a - extra, b + extra) for y, a, b in horizontal]
        long_v = [(x, a - extra, b + extra) for x, a, b in vertical]
        assert pdf._open_ends(pdf._merge(long_h), pdf._merge(long_v), ()) == ([], [])


def test_rules_outside_a_grid_ending_at_one_x_are_no_side() -> None:
    """Two underlines of a title and a signature end at one x; no line crosses them."""
    xs, ys = [40.0, 120.0, 200.0], [300.0, 320.0, 340.0]
    horizontal, vertical = _lines(xs, ys)
    horizontal += [(100.0, 40.0, 560.0), (700.0, 300.0, 560.0)]
    assert pdf._open_ends(pdf._merge(horizontal), pdf._merge(vertical), ()) == ([], [])


def _char(text: str, x0: float, top: float, size: float = 10.0) -> Char:
    return Char(text, x0, x0 + size * (0.6 if text.isascii() else 1.0), top, top + size, size)


def test_a_line_of_a_cell_the_page_break_cuts_stays_in_its_cell_and_a_header_above_does_not() -> None:
    """The open bottom's line moves down over text starting at most 1 point past it (a
    browser paints the rest of a cut cell into the margin); the page's header, 3 points above
    an open top, stays out of the table."""
    xs, ys = [40.0, 140.0, 240.0, 340.0], [100.0, 130.0, 160.0]
    horizontal, vertical = _lines(xs, ys)
    bottom = [s for s in horizontal if s[0] != ys[-1]]
    spill = (_char("维", 45.0, 160.5), _char("持", 55.0, 160.5))
    added_h, _ = pdf._open_ends(pdf._merge(bottom), pdf._merge(vertical), spill)
    [(at, low, high)] = added_h
    assert at == pytest.approx(170.5)
    assert (low, high) == (40.0, 340.0)
    top = [s for s in horizontal if s[0] != ys[0]]
    header = (_char("1", 45.0, 87.0), _char("2", 51.0, 87.0))  # its bottom 3 points above the table
    added_h, _ = pdf._open_ends(pdf._merge(top), pdf._merge(vertical), header)
    assert [round(a, 3) for a, _, _ in added_h] == [100.0]


def _table_texts(page: PageContent) -> list[str]:
    read = pdf._read_page(page, pdf._CellBudget(limit=10**6))
    [table] = read.tables
    grid = pdf._grid([table])
    return [c.text for c in sorted(grid.cells, key=lambda c: (c.row, c.col))]


def test_the_cells_at_a_clipped_side_that_may_hold_a_value_are_not_read() -> None:
    """A table without its right side: the last column's figures, an empty cell and a
    placeholder are marked (the page may hide what follows), its header word is read."""
    xs, ys = [40.0, 140.0, 200.0, 260.0], [100.0, 120.0, 140.0, 160.0, 180.0]
    horizontal, vertical = _lines(xs, ys)
    vertical = [s for s in vertical if s[0] != xs[-1]]
    chars = (
        _char("总", 210.0, 105.0),
        _char("计", 220.0, 105.0),
        *(_char(d, 150.0 + 6 * i, 125.0) for i, d in enumerate("12")),
        *(_char(d, 230.0 + 6 * i, 125.0) for i, d in enumerate("786")),  # 78659 cut by the edge
        *(_char(d, 150.0 + 6 * i, 145.0) for i, d in enumerate("30")),
        _char("—", 230.0, 145.0),
        _char("5", 150.0, 165.0),
    )
    texts = _table_texts(_page(horizontal, vertical, chars))
    mark = pdf._MARK
    assert texts == ["", "", "总计", "", "12", mark, "", "30", mark, "", "5", mark]


def test_a_row_of_ruled_cells_a_cell_short_is_not_cut_as_glued_figures() -> None:
    """A column lost past the page's edge: `821 | 35 | (empty) | (empty) | 2 | 1` is six
    cells of seven, not the separators of `8213521` lost (which, one digit per cell, read
    8/2/1/3/5/2/1: every figure wrong)."""
    lines = ["某某市某某局2023年度政府信息公开工作年度报告", "三、收到和处理政府信息公开申请情况"]
    row = ["一、本年新收政府信息公开申请数量", "821", "35", "", "", "2", "1"]
    cells = tuple(GridCell(row=0, col=c, text=t) for c, t in enumerate(row))
    soft = Document(blocks=(*(Paragraph(text=t) for t in lines), Grid.from_cells(cells)), soft_cells=True)
    result = assemble(soft)
    table3 = result.report.table3
    assert table3 is not None
    assert set(attrs.astuple(table3.new_received)) == {None}
    [diagnostic] = [d for d in result.diagnostics if "本年新收" in d.message]
    assert diagnostic.code == "unreadable-row"
    assert "expected 7 cells, found 6" in diagnostic.message


def _placed(row: int, col: int, text: str, rowspan: int = 1) -> pdf._Placed:
    return pdf._Placed(row=row, col=col, rowspan=rowspan, colspan=1, text=text, location=opengov.Location(page=1))


def test_a_row_cut_by_the_break_is_one_row_with_the_groups_continuing_empty() -> None:
    above = [
        _placed(0, 0, "三、本年度办理结果", rowspan=2),
        _placed(0, 1, "（六）其他处理", rowspan=2),
        _placed(0, 2, "（五）……"),
        _placed(0, 3, "0"),
        _placed(1, 2, "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信"),
        _placed(1, 3, "2"),
    ]
    below = [
        _placed(0, 0, "", rowspan=3),
        _placed(0, 1, "", rowspan=2),
        _placed(0, 2, "息公开申请"),
        _placed(0, 3, ""),
        _placed(1, 2, "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
        _placed(1, 3, "0"),
        _placed(2, 1, "（七）总计"),
        _placed(2, 2, ""),
        _placed(2, 3, "3"),
    ]
    joined = pdf._append_part(above, below)
    labels = sorted((c.row, c.text) for c in joined if c.col == 2)
    assert labels == [
        (0, "（五）……"),
        (1, "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
        (2, "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
        (3, ""),
    ]
    group = next(c for c in joined if c.col == 0)
    assert (group.row, group.rowspan) == (0, 4)


def test_two_rows_with_figures_either_side_of_the_break_are_two_rows() -> None:
    above = [_placed(0, 0, "行政处罚"), _placed(0, 1, "46787")]
    below = [_placed(0, 0, "行政强制"), _placed(0, 1, "837")]
    joined = pdf._append_part(above, below)
    assert sorted((c.row, c.col, c.text) for c in joined) == [
        (0, 0, "行政处罚"),
        (0, 1, "46787"),
        (1, 0, "行政强制"),
        (1, 1, "837"),
    ]


@pytest.mark.parametrize(
    "line",
    [
        "12/7/26, 11:02 PM 某某市某某局2023年度政府信息公开工作年度报告",
        "1/20/2024, 10:32:05 AM",
        "2024/1/20 下午3:45 某某市某某局2023年度政府信息公开工作年度报告",
        "file:///C:/Users/x/Desktop/report.html 2/3",
        "file:///tmp/report.html2/3",
    ],
)
def test_a_browsers_page_header_and_footer_are_page_furniture(line: str) -> None:
    assert is_page_number(line)


def test_the_browser_printed_reference_report_reads_no_figure_wrong() -> None:
    """The fixture: the reference report printed by Chromium with its tables a little wider
    than the page (made by ``make_browser_pdfs.py``).  Every figure outside the clipped last
    column is read; that column's cells are left unread, one warning says why; the row the
    page break cuts and the tables it cuts are read whole, the browser's header and footer
    are no text of the report."""
    expected = _cells(opengov.read(DATA / "zhapu-2023.txt").report)
    result = opengov.read(CLIPPED)
    got = _cells(result.report)
    assert {k: (v, got[k]) for k, v in expected.items() if k in got and got[k] != v} == {}
    last_columns = {"total", "decisions", "amount", "in_force"}
    unread = {k for k in expected if k not in got}
    assert all(k[2] in last_columns or k[0] == "table4" for k in unread), unread
    assert all(k in got for k in expected if k[0] == "table3" and k[2] != "total")
    assert len(got) >= 160
    codes = {d.code for d in result.diagnostics}
    assert "pdf-clipped-table" in codes
    assert not codes & {"duplicate-row", "unknown-label", "missing-row", "unreadable-row", "recovered-row"}
    assert not any("file://" in d.message for d in result.diagnostics)


@pytest.mark.samples
@pytest.mark.browser
def test_the_real_web_page_printed_by_a_browser_reads_no_figure_wrong(samples: Path, tmp_path: Path) -> None:
    """``shanghai-office-2019.html`` printed by headless Chromium: its tables are wider than
    the page (their right side clipped) and table 3 runs over a page break.  Before, the row
    `821 35 (blank) (blank) 2 1` with its total past the table was cut one digit per cell
    (20 figures wrong); now no figure is wrong and all but the clipped column are read."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if browser is None:
        pytest.skip("headless Chromium is not on PATH (Debian: apt-get install chromium)")
    fonts = shutil.which("fc-list")
    chinese = fonts and subprocess.run([fonts, ":lang=zh"], capture_output=True, text=True, timeout=60).stdout.strip()
    if not chinese:
        pytest.skip("no Chinese font for Chromium to print with (fc-list :lang=zh; Debian: fonts-wqy-zenhei)")
    out = tmp_path / "page.pdf"
    page = samples / "shanghai-office-2019.html"
    subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", f"--print-to-pdf={out}", page.resolve().as_uri()],
        check=True,
        capture_output=True,
        timeout=120,
    )
    expected = _cells(opengov.read(page).report)
    got = _cells(opengov.read(out).report)
    assert {k: (v, got[k]) for k, v in expected.items() if k in got and got[k] != v} == {}
    assert len(got) >= 170


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="libreoffice is not on PATH")
def test_word_tables_drawn_without_their_outer_sides_read_no_figure_wrong(tmp_path: Path) -> None:
    """The reference report as a Word file whose tables have no left and right border (a
    style some organs use), printed by LibreOffice.  Before, the label column and the total
    column made no cells: 6 figures read, some wrong.  Now the sides are closed: the labels
    read, the last column's value cells reported (a side open by design looks clipped), no
    figure wrong."""
    import io
    import re
    import zipfile

    report = opengov.read(DATA / "zhapu-2023.txt").report
    source = zipfile.ZipFile(io.BytesIO(opengov.render(report, to="docx")))
    xml = source.read("word/document.xml").decode("utf-8")
    xml, sides = re.subn(r'<w:(left|right) w:val="single"[^/]*/>', r'<w:\1 w:val="nil"/>', xml)
    assert sides
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, xml if item.filename == "word/document.xml" else source.read(item.filename))
    (tmp_path / "open.docx").write_bytes(out.getvalue())
    subprocess.run(
        ["libreoffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "open.docx")],
        check=True,
        capture_output=True,
        timeout=300,
    )
    expected = _cells(report)
    got = _cells(opengov.read(tmp_path / "open.pdf").report)
    assert {k: (v, got[k]) for k, v in expected.items() if k in got and got[k] != v} == {}
    assert len(got) >= 140
