"""The PDF reader: real published PDF, PDFs printed from generated reports, and every error.

At grid level: every figure must be found in the reader's Grids at the row named by its
(normalised) label and under the column named by its header labels.  The end-to-end tests
(``opengov.parse``/``opengov.read``) run once the assembler exists.
"""

from __future__ import annotations

import functools
import io
import itertools
import json
import re
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import opengov
from opengov import layout
from opengov._codec import cell_text
from opengov._errors import ParseError
from opengov._grid import Document, Grid
from opengov.layout import normalize_label

pdfium = pytest.importorskip("pypdfium2", reason="PDF support is the optional extra opengov[pdf]")

from opengov._limits import DEFAULT_LIMITS, Limits  # noqa: E402
from opengov._readers import _pdfium, pdf  # noqa: E402

DATA = Path(__file__).resolve().parent / "data" / "pdf"
GENERATED = sorted(DATA.glob("generated-*.pdf"))
LIBREOFFICE = sorted(DATA.glob("libreoffice-*.pdf"))
"""Generated reports written as .docx and printed by LibreOffice (``make_libreoffice_pdfs.py``)."""
BORDERLESS = sorted(DATA.glob("borderless-*.pdf"))
"""Generated reports printed with tables without ruling lines (``make_pdfs.py --borderless``)."""
WPS = DATA / "wps-2021.pdf"
"""A generated report printed as WPS prints: shading behind every prose line (``make_pdfs.py --wps``)."""
HOSTILE = Path(__file__).resolve().parent / "data" / "hostile"
_NUMBER = re.compile(r"^[-+]?\d[\d.]*(?:万元|元)?$")


# ---------------------------------------------------------------------------------------
# Helper: figures of a Document's grids, named by their row labels and column headers
# ---------------------------------------------------------------------------------------


@attrs.frozen
class Figure:
    rows: tuple[str, ...]
    """Normalised label texts of the row, left to right (each distinct text once)."""
    header: tuple[str, ...]
    """Normalised header texts above the figure's column, top to bottom."""
    text: str
    location: opengov.Location | None


def _is_figure(text: str) -> bool:
    return bool(_NUMBER.match(text.replace(" ", "")))


def figures(document: Document) -> list[Figure]:
    """Every figure of every grid, with the labels of its row and the headers of its column."""
    found = []
    for grid in document.grids():
        table = grid.expanded()
        numeric = [any(_is_figure(t) for t in row) for row in table]
        label_end = min((c for row in table for c, t in enumerate(row) if _is_figure(t)), default=0)
        for cell in grid.cells:
            if not _is_figure(cell.text):
                continue
            r, c = cell.row, cell.col
            rows: list[str] = []
            for text in table[r][:label_end]:
                label = normalize_label(text)
                if label and label not in rows and label != normalize_label(layout.LAYOUT_2021.table3.outcomes_label):
                    rows.append(label)
            first = r  # the first data row of this run of data rows
            while first > 0 and numeric[first - 1]:
                first -= 1
            top = first
            while top > 0 and not numeric[top - 1]:
                top -= 1
            header: list[str] = []
            for above in range(top, first):
                label = normalize_label(table[above][c])
                if label and label not in header:
                    header.append(label)
            found.append(Figure(tuple(rows), tuple(header), cell.text, cell.location))
    return found


def find(found: list[Figure], rows: tuple[str, ...], header: tuple[str, ...]) -> Figure:
    """The one figure whose row labels end with ``rows`` and whose headers include ``header``."""
    want_rows = tuple(normalize_label(r) for r in rows)
    want_header = [normalize_label(h) for h in header]
    matches = [
        f
        for f in found
        if f.rows[len(f.rows) - len(want_rows) :] == want_rows and all(h in f.header for h in want_header)
    ]
    assert len(matches) == 1, f"{len(matches)} figures at row {rows} column {header}: {matches}"
    return matches[0]


def _text(value: object) -> str:
    return str(value)


# ---------------------------------------------------------------------------------------
# The real published PDF
# ---------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _read_huaian(samples: Path) -> tuple[Document, dict[str, Any]]:
    document = pdf.read((samples / "huaian-2024.pdf").read_bytes())
    expected = json.loads((samples / "expected" / "huaian-2024.json").read_text(encoding="utf-8"))
    return document, expected


@pytest.fixture
def huaian(samples: Path) -> tuple[Document, dict[str, Any]]:
    """The sample PDF as read (once per run) and its hand-read figures."""
    return _read_huaian(samples)


@pytest.mark.samples
def test_huaian_every_figure_at_its_row_and_column(huaian: tuple[Document, dict[str, Any]]) -> None:
    document, expected = huaian
    found = figures(document)
    lay = layout.LAYOUT_2021
    checked = 0
    for label, values in expected["table2"].items():
        row = next(r for r in lay.table2.rows if r.label == label)
        columns = lay.table2.columns_of(row.key)
        values = values if isinstance(values, list) else [values]
        assert len(values) == len(columns)
        for column, value in zip(columns, values, strict=True):
            figure = find(found, (label,), (lay.table2.block(row.block or "").label, column.label))
            assert figure.text == _text(value), (label, column.label)
            checked += 1
    for path, values in expected["table3"].items():
        for column, value in zip(lay.table3.columns, values, strict=True):
            figure = find(found, tuple(path.split("/")), (column.label,))
            assert figure.text == _text(value), (path, column.label)
            checked += 1
    blocks = [(b.parent, b.label) for b in lay.table4.blocks]
    pairs = [(parent, block, column.label) for parent, block in blocks for column in lay.table4.columns]
    for (parent, block, column), value in zip(pairs, expected["table4"], strict=True):
        header = (block, column) if parent is None else (parent, block, column)
        figure = find(found, (), header)
        assert figure.text == _text(value), header
        checked += 1
    assert checked == 200
    assert len(found) == 200, "every figure in the grids is one of the 200 expected"


@pytest.mark.samples
def test_huaian_grids_one_per_table_joined_across_pages(huaian: tuple[Document, dict[str, Any]]) -> None:
    document, _ = huaian
    grids = list(document.grids())
    assert [(g.n_rows, g.n_cols) for g in grids] == [(14, 4), (28, 10), (4, 15)]
    assert [g.location.page for g in grids if g.location] == [3, 4, 5]
    table3 = grids[1].expanded()
    # the group label cut by the page break between pages 4 and 5 is joined again
    assert [row[1] for row in table3[15:18]] == ["（四）无法提供"] * 3
    # labels wrapped over lines, kept as printed (1、 is the assembler's business)
    assert table3[23][2] == "1、申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    assert table3[2][4] == "商业企业"


@pytest.mark.samples
def test_huaian_locations_carry_page_and_line(huaian: tuple[Document, dict[str, Any]]) -> None:
    document, _ = huaian
    found = figures(document)
    first = find(found, ("一、本年新收政府信息公开申请数量",), ("自然人",))
    assert first.location == opengov.Location(page=4, line=15)
    after_break = find(found, ("（四）无法提供", "2.没有现成信息需要另行制作"), ("总计",))
    assert after_break.location is not None
    assert after_break.location.page == 5
    assert after_break.location.line == 1


@pytest.mark.samples
def test_huaian_prose(huaian: tuple[Document, dict[str, Any]]) -> None:
    document, _ = huaian
    texts = [p.text for p in document.paragraphs()]
    assert texts[0].replace(" ", "") == "淮安市人民政府2024年政府信息公开工作年度报告"
    for section in layout.SECTIONS:
        assert section.label in texts
    assert not any(re.fullmatch(r"-\s*\d+\s*-", t) for t in texts), "page numbers are dropped"
    # paragraphs run on over page breaks and wrapped lines
    assert any(t.startswith("（四）政府信息公开平台建设情况") and "问题列入重点检查范围。深入开展" in t for t in texts)
    pages = [p.location.page for p in document.paragraphs() if p.location]
    assert pages == sorted(pages)


# ---------------------------------------------------------------------------------------
# PDFs printed from generated reports
# ---------------------------------------------------------------------------------------


def _report_of(path: Path) -> opengov.Report:
    return opengov.loads(path.with_suffix(".json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", GENERATED, ids=lambda p: p.stem)
def test_generated_pdf_figures(path: Path) -> None:
    report = _report_of(path)
    document = pdf.read(path.read_bytes())
    found = figures(document)
    cells = list(report.cells())
    for cell in cells:
        if cell.table == "table2":
            rows: tuple[str, ...] = (cell.row_label,)
            header: tuple[str, ...] = (cell.block_label or "", cell.column_label)
        elif cell.table == "table3":
            rows = tuple(cell.path_label.split("/"))
            header = (cell.column_label,)
        else:
            rows, header = (), (cell.block_label or "", cell.column_label)
        assert find(found, rows, header).text == cell_text(cell.value), cell.key
    assert len(found) == len(cells)
    texts = [p.text for p in document.paragraphs()]
    assert texts[0] == report.title
    for paragraph in (*report.preamble, *report.overview, *report.problems, *report.other_matters):
        assert paragraph in texts


def test_generated_pdfs_cover_page_breaks_and_both_formats() -> None:
    formats = {_report_of(p).format for p in GENERATED}
    assert formats == {layout.Format.V2019, layout.Format.V2021}
    assert len(_pages(GENERATED[-1])) > 2
    spans = [
        {c.location.page for c in grid.cells if c.location}
        for p in GENERATED
        for grid in pdf.read(p.read_bytes()).grids()
    ]
    assert any(len(pages) > 1 for pages in spans), "some table runs over a page break"


needs_parse = pytest.mark.skipif(not hasattr(opengov, "parse"), reason="opengov.parse (the assembler) is not there yet")


@needs_parse
@pytest.mark.parametrize("path", GENERATED + LIBREOFFICE, ids=lambda p: p.stem)
def test_generated_pdf_parses_back_equal(path: Path) -> None:
    result = opengov.parse(path.read_bytes())  # type: ignore[attr-defined]
    assert result.report == _report_of(path)


def test_libreoffice_pdfs_cover_both_formats_page_breaks_and_autospace() -> None:
    assert {_report_of(p).format for p in LIBREOFFICE} == {layout.Format.V2019, layout.Format.V2021}
    for path in LIBREOFFICE:
        assert path.stat().st_size < 150_000
        document = pdf.read(path.read_bytes())
        table3 = list(document.grids())[1]
        assert len({c.location.page for c in table3.cells if c.location}) == 2, "table 3 runs across a page"
        chars = _pages(path)[0].chars
        # LibreOffice leaves a gap of 0.2 em between the year and the 年 after it
        after = next(i for i, c in enumerate(chars) if c.text == "年" and chars[i - 1].text.isdigit())
        gap = chars[after].x0 - chars[after - 1].x1
        assert 3.0 < gap < 0.3 * chars[after].size, "an autospace gap wider than the word tolerance"
        report = _report_of(path)
        assert next(p.text for p in document.paragraphs()) == report.title
    # some paragraph starts on one page and ends on the next (LibreOffice breaks it there)
    across = []
    for path in LIBREOFFICE:
        pages = [re.sub(r"-\d+-", "", "".join("".join(c.text for c in page.chars).split())) for page in _pages(path)]
        report = _report_of(path)
        for text in (*report.overview, *report.problems, *report.other_matters):
            if not any(text in page for page in pages):
                across += [text for before, after in itertools.pairwise(pages) if text in before + after]
    assert len(across) >= 2


def _pages(path: Path | bytes) -> list[_pdfium.PageContent]:
    return _pdfium.read_pages(path if isinstance(path, bytes) else path.read_bytes(), DEFAULT_LIMITS)


def _char(text: str, x0: float, x1: float, size: float) -> _pdfium.Char:
    return _pdfium.Char(text, x0, x1, 100.0, 100.0 + size, size)


@st.composite
def _line_chars(draw: st.DrawFn) -> tuple[list[_pdfium.Char], str]:
    """Glyphs of one printed line and the text they spell: CJK and ASCII runs, with gaps."""
    size = draw(st.sampled_from([10.5, 12.0, 14.0, 16.0, 18.0, 22.0]))
    runs = draw(st.lists(st.sampled_from(["年度报告", "淮安", "2024", "ab", "（含）", "12"]), min_size=1, max_size=6))
    chars: list[_pdfium.Char] = []
    expected = ""
    x = 50.0
    for run in runs:
        if chars:
            cjk_boundary = pdf._CJK_CHAR_RE.match(chars[-1].text) or pdf._CJK_CHAR_RE.match(run[0])
            mixed = cjk_boundary and (chars[-1].text.isascii() != run[0].isascii())
            kind = draw(st.sampled_from(["none", "autospace", "space"] if mixed else ["none", "space"]))
            if kind == "autospace":
                x += 0.2 * size
            elif kind == "space":
                x += max(0.5 * size, 4.0)
                expected += " "
        for char in run:
            width = size if not char.isascii() else size / 2
            chars.append(_char(char, x, x + width, size))
            x += width
        expected += run
    return chars, expected


@given(_line_chars())
def test_line_text_drops_autospace_gaps_only(line: tuple[list[_pdfium.Char], str]) -> None:
    chars, expected = line
    assert pdf._chars_text(chars) == " ".join(expected.split())


def test_wrapped_figure_in_a_narrow_cell_is_one_figure() -> None:
    assert pdf._join_lines(["0.0001", "99万", "元"]) == "0.000199万元"
    assert pdf._join_lines(["12", "345"]) == "12345"
    assert pdf._join_lines(["hazwgkc@163.com", "www"]) == "hazwgkc@163.com www"


# ---------------------------------------------------------------------------------------
# Tables without ruling lines: rows and columns from word positions
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", BORDERLESS, ids=lambda p: p.stem)
def test_borderless_pdf_parses_back_equal(path: Path) -> None:
    assert not any(page.horizontal or page.vertical for page in _pages(path)), "no ruling lines at all"
    result = opengov.parse(path.read_bytes())
    assert result.report == _report_of(path)
    codes = [d.code for d in result.diagnostics]
    assert codes == ["pdf-no-ruling"]
    assert result.diagnostics[0].message == pdf.NO_RULING
    assert result.diagnostics[0].location.page is not None


def test_borderless_pdfs_cover_both_formats_and_a_page_break() -> None:
    assert {_report_of(p).format for p in BORDERLESS} == {layout.Format.V2019, layout.Format.V2021}
    for path in BORDERLESS:
        table3 = list(pdf.read(path.read_bytes()).grids())[1]
        assert len({c.location.page for c in table3.cells if c.location}) >= 2, "table 3 runs across pages"


def _without_ruling_lines(data: bytes) -> bytes:
    """The same PDF with every path object (line, rectangle) removed: the same characters at
    the same places in the same (embedded) fonts, and nothing drawn."""
    document = pdfium.PdfDocument(data)
    try:
        for page in document:
            paths = [obj for obj in page.get_objects(max_depth=0) if obj.type == pdfium.raw.FPDF_PAGEOBJ_PATH]
            for obj in paths:
                page.remove_obj(obj)
                obj.close()
            page.gen_content()
            page.close()
        out = io.BytesIO()
        document.save(out)
    finally:
        document.close()
    return out.getvalue()


@pytest.mark.samples
def test_huaian_without_ruling_lines(samples: Path) -> None:
    """The real report's text, redrawn without its table borders, still gives every figure."""
    data = _without_ruling_lines((samples / "huaian-2024.pdf").read_bytes())
    assert not any(page.horizontal or page.vertical for page in _pages(data))
    borderless = opengov.parse(data)
    ruled = opengov.read(samples / "huaian-2024.pdf")
    assert [c.value for c in borderless.report.cells()] == [c.value for c in ruled.report.cells()]
    assert (borderless.report.organ, borderless.report.year) == ("淮安市人民政府", 2024)
    assert [d.code for d in borderless.diagnostics if str(d.severity) == "error"] == []
    assert "pdf-no-ruling" in [d.code for d in borderless.diagnostics]


@pytest.mark.samples
@needs_parse
def test_huaian_end_to_end(samples: Path) -> None:
    expected = json.loads((samples / "expected" / "huaian-2024.json").read_text(encoding="utf-8"))
    result = opengov.read(samples / "huaian-2024.pdf")  # type: ignore[attr-defined]
    report = result.report
    assert report.organ == expected["agency"]
    assert report.year == expected["year"]
    values = {(c.table, c.path_label, c.column): cell_text(c.value) for c in report.cells()}
    assert len(values) == 200
    lay = report.layout
    for label, figures_ in expected["table2"].items():
        row = next(r for r in lay.table2.rows if r.label == label)
        want = figures_ if isinstance(figures_, list) else [figures_]
        got = [values[("table2", label, c.key)] for c in lay.table2.columns_of(row.key)]
        assert got == [str(v) for v in want], label
    for path, figures_ in expected["table3"].items():
        got = [values[("table3", path, c.key)] for c in lay.table3.columns]
        assert got == [str(v) for v in figures_], path
    got4 = [values[("table4", b.label, c.key)] for b in lay.table4.blocks for c in lay.table4.columns]
    assert got4 == [str(v) for v in expected["table4"]]
    if hasattr(opengov, "check"):
        errors = [f for f in opengov.check(report) if str(f.severity) == "error"]  # type: ignore[attr-defined]
        assert errors == []


# ---------------------------------------------------------------------------------------
# Errors: one clear line, never a traceback from the PDF library
# ---------------------------------------------------------------------------------------


def _only(error: pytest.ExceptionInfo[ParseError]) -> opengov.Diagnostic:
    assert len(error.value.diagnostics) == 1
    return error.value.diagnostics[0]


def test_detect() -> None:
    assert pdf.detect(b"%PDF-1.7\n...")
    assert not pdf.detect(b"plain text")
    assert not pdf.detect("一、总体情况".encode())


def test_not_a_pdf() -> None:
    with pytest.raises(ParseError) as error:
        pdf.read(b"one line of text")
    assert _only(error).code == "not-pdf"


def _sample_bytes() -> bytes:
    return GENERATED[0].read_bytes()


def test_damaged_pdf() -> None:
    data = _sample_bytes()
    with pytest.raises(ParseError) as error:
        pdf.read(data[: len(data) // 3])
    assert _only(error).code == "pdf-damaged"
    assert str(error.value).startswith("the PDF is damaged and cannot be read")


def test_encrypted_pdf() -> None:
    with pytest.raises(ParseError) as error:
        pdf.read((HOSTILE / "encrypted.pdf").read_bytes())
    assert _only(error).code == "pdf-encrypted"
    assert _only(error).message == "the PDF is encrypted (password-protected); decrypt it first"


def test_blank_pdf_has_no_text_layer() -> None:
    with pytest.raises(ParseError) as error:
        pdf.read((HOSTILE / "blank.pdf").read_bytes())
    assert _only(error).code == "pdf-no-text"
    assert _only(error).message == pdf.NO_TEXT_LAYER


def test_text_layer_is_decided_per_page() -> None:
    pages = _pages(GENERATED[0])
    assert all(pdf.has_text_layer(page) for page in pages)
    blank = _pdfium.PageContent(number=1, width=595.0, height=842.0, chars=(), horizontal=(), vertical=())
    spaces = attrs.evolve(blank, chars=(_char(" ", 10.0, 12.0, 10.0), _char("\u3000", 12.0, 22.0, 10.0)))
    assert not pdf.has_text_layer(blank)
    assert not pdf.has_text_layer(spaces)


def test_scanned_image_pdf_has_no_text_layer() -> None:
    image_module = pytest.importorskip("PIL.Image")
    image = image_module.new("RGB", (200, 280), "white")
    for x in range(20, 180):
        image.putpixel((x, 40), (0, 0, 0))
    out = io.BytesIO()
    image.save(out, format="PDF")
    with pytest.raises(ParseError, match="needs OCR first"):
        pdf.read(out.getvalue())


def test_missing_extra_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "pypdfium2", None)
    monkeypatch.setitem(sys.modules, "pypdfium2.raw", None)
    with pytest.raises(ParseError) as error:
        pdf.read(_sample_bytes())
    assert 'pip install "opengov[pdf]"' in str(error.value)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_corrupted_bytes_give_document_or_parse_error(data: st.DataObject) -> None:
    original = bytearray(_sample_bytes())
    for _ in range(data.draw(st.integers(1, 20), label="corruptions")):
        position = data.draw(st.integers(0, len(original) - 1), label="position")
        original[position] = data.draw(st.integers(0, 255), label="byte")
    outcome: Document | ParseError
    try:
        outcome = pdf.read(bytes(original))
    except ParseError as error:
        outcome = error
    if isinstance(outcome, ParseError):
        assert len(outcome.diagnostics) == 1
        assert "\n" not in outcome.diagnostics[0].message
    else:
        assert all(isinstance(g, Grid) for g in outcome.grids())


# ---------------------------------------------------------------------------------------
# Hostile files and limits: a documented ParseError or a quick parse (tests/data/hostile,
# made by tests/data/pdf/make_hostile_pdfs.py)
# ---------------------------------------------------------------------------------------

HOSTILE_OUTCOMES = {
    "cid-widths.pdf": None,  # a CID width array of five billion glyphs: read
    "grid-lines.pdf": None,  # 200 x 140 drawn lines: table finding stays near-linear
    "long-line.pdf": None,  # TABs, 1, 20,000 spaces: no backtracking regex
    "grid-pages.pdf": "limit-cells",
    "many-pages.pdf": "limit-pages",
    "truncated.pdf": "pdf-damaged",
    "zero-pages.pdf": "pdf-no-pages",
    "encrypted.pdf": "pdf-encrypted",
    "blank.pdf": "pdf-no-text",
}


def test_every_hostile_file_has_an_outcome() -> None:
    assert sorted(p.name for p in HOSTILE.glob("*.pdf")) == sorted(HOSTILE_OUTCOMES)


@pytest.mark.parametrize(("name", "code"), sorted(HOSTILE_OUTCOMES.items()))
def test_hostile_pdf_ends_in_a_documented_outcome(name: str, code: str | None) -> None:
    data = (HOSTILE / name).read_bytes()
    if code is None:
        document = pdf.read(data)
        assert document.form == "pdf"
        assert any(p.text for p in document.paragraphs())
        outcome: object
        try:
            outcome = opengov.parse(data)
        except ParseError as error:  # not a report: a documented error, never another one
            outcome = error
        assert isinstance(outcome, (opengov.ParseResult, ParseError))
        return
    with pytest.raises(ParseError) as error:
        pdf.read(data)
    diagnostic = _only(error)
    assert diagnostic.code == code
    assert "\n" not in diagnostic.message
    with pytest.raises(ParseError):
        opengov.parse(data)


def test_limits_name_the_bound_and_can_be_raised() -> None:
    data = (HOSTILE / "grid-pages.pdf").read_bytes()
    with pytest.raises(ParseError) as error:
        pdf.read(data)
    assert "Limits.cells" in _only(error).message
    assert _only(error).location.page is not None
    assert pdf.read(data, limits=Limits(cells=200_000)).form == "pdf"
    sample = _sample_bytes()
    with pytest.raises(ParseError) as error:
        pdf.read(sample, limits=Limits(page_objects=100))
    assert _only(error).code == "limit-page-objects"
    assert _only(error).location.page == 1
    with pytest.raises(ParseError) as error:
        pdf.read(sample, limits=Limits(input_bytes=len(sample) - 1))
    assert _only(error).code == "limit-input-bytes"
    with pytest.raises(ParseError) as error:
        pdf.read(sample, limits=Limits(pages=1))
    assert _only(error).code == "limit-pages"


def test_long_line_of_spaces() -> None:
    document = pdf.read((HOSTILE / "long-line.pdf").read_bytes())
    assert [p.text.split()[-1] for p in document.paragraphs()] == ["x"]
    line = "\t\t1" + " " * 20_000
    assert pdf._is_number(line)
    assert not pdf._is_number(line + "x")
    assert not pdf._is_number(line + "1" + " " * 20_000 + "万")


def test_cid_width_array_of_billions_is_read() -> None:
    document = pdf.read((HOSTILE / "cid-widths.pdf").read_bytes())
    assert len(list(document.paragraphs())) == 1


# ---------------------------------------------------------------------------------------
# WPS: shading behind prose lines is not a table (issue 17)
# ---------------------------------------------------------------------------------------


def test_wps_prose_above_a_table_stays_prose() -> None:
    """WPS prints a white filled rectangle behind every line of prose; the last one touches
    the table below.  Their edges are not ruling lines: the prose stays paragraphs."""
    data = WPS.read_bytes()
    document = pdfium.PdfDocument(data)
    try:
        shading = 0
        for page in document:
            for obj in page.get_objects(max_depth=0):
                if obj.type == pdfium.raw.FPDF_PAGEOBJ_PATH:
                    left, bottom, right, top = obj.get_bounds()
                    shading += (top - bottom) > 10 and (right - left) > 400
            page.close()
    finally:
        document.close()
    assert shading >= 20, "the fixture prints shading behind its prose lines"
    result = opengov.parse(data)
    assert result.report == _report_of(WPS)
    assert list(result.diagnostics) == []
    texts = [p.text for p in pdf.read(data).paragraphs()]
    note = (
        "本部分按照全国统一的年度报告格式填报，统计口径与上一年度保持一致，"
        "表中各项均据本机关工作台账逐项核对后汇总填写。"
    )
    assert texts.count(note) == 3
    assert [g.n_rows for g in pdf.read(data).grids()] == [
        g.n_rows for g in pdf.read((DATA / "generated-2021-b.pdf").read_bytes()).grids()
    ]


def test_text_in_a_font_pdfium_cannot_place_is_reported_not_lost() -> None:
    """A one-character piece of text in a font neither embedded nor installed has no glyph
    box, and PDFium skips it: on a machine without a Chinese font, the reader says so."""
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    cidfonts = pytest.importorskip("reportlab.pdfbase.cidfonts")
    pdfmetrics = pytest.importorskip("reportlab.pdfbase.pdfmetrics")
    pdfmetrics.registerFont(cidfonts.UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    drawing = canvas.Canvas(out, pagesize=(595, 842))
    drawing.setFont("STSong-Light", 11)
    drawing.drawString(100, 700, "商业企")
    drawing.drawString(100, 680, "业")
    drawing.showPage()
    drawing.save()
    document = pdf.read(out.getvalue())
    text = "".join(p.text for p in document.paragraphs())
    warnings = [d for d in document.diagnostics if d.code == "pdf-font-missing"]
    if text.count("业") == 2:
        assert warnings == []
    else:
        assert text == "商业企"
        assert len(warnings) == 1
        assert "STSong-Light" in warnings[0].message
        assert warnings[0].location.page == 1


# ---------------------------------------------------------------------------------------
# Ruled tables: cells of random grids found from their drawn borders
# ---------------------------------------------------------------------------------------


@st.composite
def _ruled_grid(draw: st.DrawFn) -> tuple[list[tuple[float, float, float, float]], _pdfium.PageContent]:
    """A table of random column widths and row heights, random column spans per row and
    row spans in the first column, drawn as the borders of every cell (in pieces, with small
    gaps and offsets, as PDF producers draw them); and the cells' boxes."""
    widths = draw(st.lists(st.integers(12, 80), min_size=2, max_size=7))
    heights = draw(st.lists(st.integers(8, 40), min_size=2, max_size=9))
    xs = [50.0]
    for w in widths:
        xs.append(xs[-1] + w)
    ys = [100.0]
    for h in heights:
        ys.append(ys[-1] + h)
    cells: list[tuple[int, int, int, int]] = []  # c0, r0, c1, r1
    r = 0
    while r < len(heights):
        span = draw(st.integers(1, len(heights) - r))
        cells.append((0, r, 1, r + span))
        for rr in range(r, r + span):
            c = 1
            while c < len(widths):
                colspan = draw(st.integers(1, len(widths) - c))
                cells.append((c, rr, c + colspan, rr + 1))
                c += colspan
        r += span
    jitter = st.floats(-0.8, 0.8)
    horizontal: list[tuple[float, float, float]] = []
    vertical: list[tuple[float, float, float]] = []
    for c0, r0, c1, r1 in cells:
        for y in (ys[r0], ys[r1]):
            cut = draw(st.floats(0.2, 0.8)) * (xs[c1] - xs[c0]) + xs[c0]
            gap = draw(st.floats(0.0, 2.0))
            horizontal.append((y + draw(jitter), xs[c0] + draw(jitter), cut))
            horizontal.append((y + draw(jitter), cut + gap, xs[c1] + draw(jitter)))
        for x in (xs[c0], xs[c1]):
            vertical.append((x + draw(jitter), ys[r0] + draw(jitter), ys[r1] + draw(jitter)))
    boxes = sorted(((xs[c0], ys[r0], xs[c1], ys[r1]) for c0, r0, c1, r1 in cells), key=lambda b: (b[1], b[0]))
    page = _pdfium.PageContent(
        number=1,
        width=595.0,
        height=842.0,
        chars=(),
        horizontal=tuple(draw(st.permutations(horizontal))),
        vertical=tuple(draw(st.permutations(vertical))),
    )
    return boxes, page


@settings(max_examples=150, deadline=None)
@given(_ruled_grid())
def test_ruled_table_cells_are_found_from_their_borders(grid: tuple[list[Any], _pdfium.PageContent]) -> None:
    boxes, page = grid
    found = pdf._ruled_tables(page, pdf._CellBudget(limit=100_000))
    assert len(found) == 1
    assert len(found[0].cells) == len(boxes)
    for got, want in zip(found[0].cells, boxes, strict=True):
        assert all(abs(a - b) <= 1.0 for a, b in zip(got, want, strict=True)), (got, want)


def test_threads_reading_at_once_get_the_same_document() -> None:
    """PDFium is not thread-safe: the reader serialises its calls, so threads may read at once."""
    from concurrent.futures import ThreadPoolExecutor

    data = [p.read_bytes() for p in (*GENERATED, *LIBREOFFICE)]
    alone = [pdf.read(d) for d in data]
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(pdf.read, data * 2))
    assert together == alone * 2
