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
from budget import examples
from opengov import layout
from opengov._codec import cell_text
from opengov._errors import ParseError
from opengov._grid import Document, Grid
from opengov.layout import normalize_label
from opengov.testing import reports

pdfium = pytest.importorskip("pypdfium2", reason="PDF support is the optional extra opengov[pdf]")

from opengov._limits import DEFAULT_LIMITS, Limits  # noqa: E402
from opengov._readers import _pdfium, pdf  # noqa: E402

DATA = Path(__file__).resolve().parent / "data" / "pdf"
GENERATED = sorted(DATA.glob("generated-*.pdf"))
LIBREOFFICE = sorted(p for p in DATA.glob("libreoffice-*.pdf") if "framed" not in p.name)
"""Generated reports written as .docx and printed by LibreOffice (``make_libreoffice_pdfs.py``),
but the framed one, which prints figures across its tables' sides
(``tests/test_pdf_cut_figures.py``)."""
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
    with pytest.raises(opengov.MissingExtraError) as error:  # an ImportError, as for every extra
        pdf.read(_sample_bytes())
    assert 'pip install "opengov[pdf]"' in str(error.value)
    assert (error.value.extra, error.value.package) == ("pdf", "pypdfium2")


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


# ---------------------------------------------------------------------------------------
# Text in a font neither embedded in the PDF nor installed here
# ---------------------------------------------------------------------------------------

CID = sorted(DATA.glob("cid-*.pdf"))
"""Generated reports printed in ``STSong-Light``, named and not embedded (``make_pdfs.py --cid``)."""
EMBEDDED = {"cid-2021": "generated-2021-b", "cid-borderless-2019": "borderless-2019"}
"""The same reports printed with an embedded font."""
CELL_SIZES = {"generated-2021-a": 8.0}
"""Cell font sizes of the committed generated PDFs other than 11 (``make_pdfs.py``)."""
_FONT_CODES = ("pdf-font-missing", "pdf-font-estimated", "pdf-font-ambiguous")


def _make_pdfs() -> Any:
    """``tests/data/pdf/make_pdfs.py``, which prints reports (needs reportlab)."""
    pytest.importorskip("reportlab", reason="printing reports to PDF needs reportlab")
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_pdfs", DATA / "make_pdfs.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _printed(report: opengov.Report, borders: bool = True, **style: Any) -> bytes:
    """``report`` printed by make_pdfs.py in the non-embedded CID style, changed by ``style``."""
    make = _make_pdfs()
    out = io.BytesIO()
    make.write(report, out, borders=borders, style=make.CID._replace(**{"cell": 11.0, **style}))
    return out.getvalue()


def _without_widths(data: bytes) -> bytes:
    """The PDF with its CID font's widths taken away (``/DW 0``, no ``/W``): PDFium then knows
    no width for any character of it (same length, so the cross-reference table stays right)."""
    patched = data.replace(b"/DW 1000", b"/DW 0   ").replace(b"/W [", b"/X [")
    assert patched.count(b"/DW 0   ") == 1
    assert b"/X [" in patched
    return patched


def _canvas_pdf(*lines: tuple[float, float, str]) -> bytes:
    """A page of text in STSong-Light (not embedded): ``(x, y, text)`` one text object each."""
    make = _make_pdfs()
    make.register(make.CID)
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    drawing = canvas.Canvas(out, pagesize=(595, 842))
    drawing.setFont("STSong-Light", 11)
    for x, y, text in lines:
        drawing.drawString(x, y, text)
    drawing.showPage()
    drawing.save()
    return out.getvalue()


@functools.lru_cache(maxsize=1)
def _chinese_font_installed() -> bool:
    """Whether PDFium finds a Chinese font on this machine (then it places every piece of text
    in STSong-Light itself, and nothing is left for the reader to recover or estimate)."""
    page = _pdfium.read_pages(_canvas_pdf((100, 680, "业")), DEFAULT_LIMITS)[0]
    return page.recovered == 0


def _needs_missing_font() -> None:
    if _chinese_font_installed():
        pytest.skip("a Chinese font is installed here: PDFium has glyphs for STSong-Light")


def test_one_character_piece_in_a_font_neither_embedded_nor_installed_is_read() -> None:
    """PDFium's text page leaves out a one-character piece of text in a font it has no glyph
    for (a Chinese font named, not embedded, on a machine without Chinese fonts): the reader
    reads it at its place, with the width the font declares, and says nothing."""
    document = pdf.read(_canvas_pdf((100, 700, "商业企"), (100, 680, "业"), (133, 680, "务")))
    assert [p.text for p in document.paragraphs()] == ["商业企", "业务"]
    assert document.diagnostics == ()
    _needs_missing_font()
    page = _pdfium.read_pages(_canvas_pdf((100, 680, "业"), (133, 680, "务")), DEFAULT_LIMITS)[0]
    assert page.recovered == 2
    got = [(c.text, c.x0, c.x1, c.estimated) for c in page.chars]
    assert got == [("业", 100.0, 111.0, False), ("务", 133.0, 144.0, False)]


def test_identical_lines_in_a_font_neither_embedded_nor_installed_are_all_read() -> None:
    """Glyph-less text has boxes of no height, and PDFium's text page took a line for a
    repetition (fake bold) of an identical line printed less than an eighth of its width
    above it: three identical one-line paragraphs read as one (found by the property below)."""
    line = "认真贯彻落实政务公开工作部署。"
    document = pdf.read(_canvas_pdf((100, 700, line), (100, 680.8, line), (100, 661.6, line)))
    assert [p.text for p in document.paragraphs()] == [line, line, line]
    assert document.diagnostics == ()


def test_text_without_a_unicode_mapping_is_reported_not_lost() -> None:
    """A one-character piece whose font maps it to no Unicode character (Identity-H, an
    unknown character collection, no ToUnicode) cannot be read: a warning names the font."""
    _needs_missing_font()
    data = _canvas_pdf((100, 700, "商业企"), (100, 680, "业"))
    data = data.replace(b"/Encoding /UniGB-UCS2-H", b"/Encoding /Identity-H  ").replace(b"(GB1)", b"(Foo)")
    document = pdf.read(data)
    codes = [(d.code, d.severity) for d in document.diagnostics]
    assert codes == [("pdf-font-missing", opengov.Severity.WARNING)]
    assert "1 piece(s)" in document.diagnostics[0].message
    assert "STSong-Light" in document.diagnostics[0].message
    assert document.diagnostics[0].location.page == 1


def test_characters_without_a_width_get_an_estimated_one() -> None:
    """A font that gives PDFium no width (here ``/DW 0``): each character stays at its exact
    origin, 1 em wide for a Chinese or full-width character, ½ em for another; an info says so."""
    _needs_missing_font()
    data = _without_widths(_canvas_pdf((100, 700, "商"), (111, 700, "业"), (200, 700, "１"), (300, 700, "ｘ")))
    page = _pdfium.read_pages(data, DEFAULT_LIMITS)[0]
    got = [(c.text, c.x0, c.x1 - c.x0, c.estimated) for c in page.chars]
    assert got == [
        ("商", 100.0, 11.0, True),
        ("业", 111.0, 11.0, True),
        ("１", 200.0, 11.0, True),
        ("ｘ", 300.0, 11.0, True),
    ]
    assert _pdfium.estimated_width("a", 10.0) == 5.0
    assert _pdfium.estimated_width("商", 10.0) == 10.0
    document = pdf.read(data)
    assert [(d.code, d.severity) for d in document.diagnostics] == [("pdf-font-estimated", opengov.Severity.INFO)]
    assert "4 character(s)" in document.diagnostics[0].message
    assert "STSong-Light" in document.diagnostics[0].message


@pytest.mark.parametrize("path", CID, ids=lambda p: p.stem)
def test_report_in_a_cid_font_not_embedded_parses_back_exactly(path: Path) -> None:
    """Ruled tables and a borderless one, prose, a title and table labels in one-character
    pieces, every prose line's last character apart, figures in Helvetica: the same report and
    the same locations as the same report printed with an embedded font, nothing said."""
    result = opengov.read(path)
    assert result.report == _report_of(path)
    assert result.locations == opengov.read(DATA / f"{EMBEDDED[path.stem]}.pdf").locations
    expected = ["pdf-no-ruling"] if "borderless" in path.stem else []
    assert [d.code for d in result.diagnostics] == expected


def test_cid_fixtures_hold_what_pdfium_leaves_out() -> None:
    """The fixtures' Chinese font is named, not embedded, and many pieces are one character
    long: without the reader's help, PDFium would leave them out on this machine."""
    for path in CID:
        document = pdfium.PdfDocument(path)
        try:
            fonts = set()
            for page in document:
                for obj in page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_TEXT]):
                    font = pdfium.raw.FPDFTextObj_GetFont(obj.raw)
                    named = pdfium.raw.FPDFFont_GetBaseFontName(font, None, 0) > 0
                    fonts.add((named, pdfium.raw.FPDFFont_GetIsEmbedded(font)))
        finally:
            document.close()
        assert fonts == {(True, 0)}
        _needs_missing_font()
        pages = _pdfium.read_pages(path.read_bytes(), DEFAULT_LIMITS)
        assert sum(page.recovered for page in pages) > 400
        assert not any(page.unplaced or page.estimated for page in pages)


@pytest.mark.parametrize("path", [*GENERATED, *BORDERLESS], ids=lambda p: p.stem)
def test_report_in_a_cid_font_reads_as_with_the_embedded_font(path: Path) -> None:
    """The committed generated reports, printed now in the non-embedded CID style, read as
    their committed embedded-font PDFs read: the same report, diagnostics and locations."""
    report = _report_of(path)
    stem = path.stem.replace("borderless", "generated-2021-b" if "2021" in path.stem else "generated-2019")
    data = _printed(report, borders="borderless" not in path.stem, cell=CELL_SIZES.get(stem, 11.0))
    cid, embedded = opengov.parse(data), opengov.read(path)
    assert cid.report == embedded.report == report
    assert cid.diagnostics == embedded.diagnostics
    assert cid.locations == embedded.locations


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(report=st.one_of(reports("2019"), reports("2021")), borders=st.booleans(), pieces=st.booleans())
def test_generated_reports_in_a_cid_font_read_back(report: opengov.Report, borders: bool, pieces: bool) -> None:
    """Any generated report printed in a non-embedded CID font (ruled or borderless tables,
    one-character pieces or not) reads back: every cell, the organ, year and title, every
    character of the prose, and nothing said about fonts.  (Paragraph breaks and a number
    wrapped over two prose lines are the printing script's limits, as with an embedded font:
    ``test_report_in_a_cid_font_reads_as_with_the_embedded_font`` compares whole reports.)"""
    result = opengov.parse(_printed(report, borders=borders, pieces=pieces))
    got = result.report
    assert [(c.key, c.value) for c in got.cells()] == [(c.key, c.value) for c in report.cells()]
    assert (got.format, got.organ, got.year, got.title) == (report.format, report.organ, report.year, report.title)

    def prose(r: opengov.Report) -> str:
        return "".join("".join(getattr(r, key)) for key in ("preamble", "overview", "problems", "other_matters"))

    assert prose(got).replace(" ", "") == prose(report).replace(" ", "")
    assert not [d for d in result.diagnostics if d.code in _FONT_CODES]


def test_report_without_font_widths_reads_as_with_them() -> None:
    """Every character in its own text object, figures in full-width digits, in a CID font
    whose widths are taken away: placed at their origins with estimated widths, the report
    reads as with the widths, and an info says so."""
    _needs_missing_font()
    report = _report_of(DATA / "generated-2021-b.pdf")
    data = _printed(report, all_pieces=True, fullwidth=True, figures=None)
    with_widths, without = opengov.parse(data), opengov.parse(_without_widths(data))
    assert with_widths.report == report
    assert without.report == report
    assert without.locations == with_widths.locations
    others = [d.code for d in without.diagnostics if d.code != "pdf-font-estimated"]
    assert [d.code for d in with_widths.diagnostics] == others
    assert [(d.code, d.severity) for d in without.diagnostics if d.code in _FONT_CODES] == [
        ("pdf-font-estimated", opengov.Severity.INFO)
    ]


def test_estimated_width_across_a_cell_border_is_reported_not_guessed(monkeypatch: pytest.MonkeyPatch) -> None:
    """A full-width figure of no known width printed 3 points before its cell's right border:
    whether it is in that cell or the next depends on its width.  Neither cell is read (both
    are marked, and the assembler reports them unreadable); every other figure is exact."""
    _needs_missing_font()
    report = _report_of(DATA / "generated-2021-b.pdf")
    assert report.cell("table4", "reconsideration", "upheld") == 5
    make = _make_pdfs()
    draw = make.Writer.draw
    table4_left = make.LEFT + 2  # the first figure column of table 4 (its cells are 30 pt wide)

    def nudged(self: Any, x: float, baseline: float, text: str, font: str, size: float, pieces: bool) -> None:
        if text == "５" and x == table4_left:
            x = make.LEFT + 30 - 3  # the origin 3 pt inside the border, the centre beyond it
        draw(self, x, baseline, text, font, size, pieces)

    monkeypatch.setattr(make.Writer, "draw", nudged)
    out = io.BytesIO()
    make.write(report, out, style=make.CID._replace(cell=11.0, all_pieces=True, fullwidth=True, figures=None))
    data = _without_widths(out.getvalue())
    document = pdf.read(data)
    table4 = list(document.grids())[-1]
    marked = [c.text for c in table4.cells if pdf._MARK in c.text]
    assert marked == [pdf._MARK, pdf._MARK + "１８"]  # upheld (5) and corrected (18): the mark where it is
    result = opengov.parse(data)
    got = result.report
    unread = {("table4", "reconsideration", "upheld"), ("table4", "reconsideration", "corrected")}
    values = [(cell.key, got.cell(cell.table, cell.row, cell.column), cell.value) for cell in report.cells()]
    assert all(value is None for key, value, _ in values if key in unread)
    assert all(value in (None, want) for _, value, want in values)  # never a wrong figure
    assert all(value == want for key, value, want in values if key[0] != "table4")
    warnings = [d for d in result.diagnostics if d.code == "pdf-font-ambiguous"]
    assert len(warnings) == 1
    assert warnings[0].severity == opengov.Severity.WARNING
    assert (warnings[0].location.page, warnings[0].location.line) == (table4.location.page, table4.location.line + 4)
    errors = [d for d in result.diagnostics if d.severity == opengov.Severity.ERROR]
    assert errors
    assert all(d.location.page == table4.location.page and pdf._MARK in d.message for d in errors)


def _estimated(text: str, x0: float, size: float = 10.0) -> _pdfium.Char:
    width = _pdfium.estimated_width(text, size)
    return _pdfium.Char(text, x0, x0 + width, 100.0, 100.0 + size, size, True)


def test_borderless_cut_that_depends_on_an_estimated_width_is_marked() -> None:
    """Without ruling lines, cells are cut at gaps of 0.34 em: after a character of estimated
    width (½ em, but anywhere from ¼ to 1 em) the gap is known only within that range.  A cut
    it decides is marked on both sides (no figure is read from either); a cut it cannot change
    is not."""
    size = 10.0
    # "1" at 0 (narrow: ends between 2.5 and 10), "2" at 9: a gap of -1 to 6.5 around the 3.4 cut
    segments = pdf._segments([_estimated("1", 0.0), _estimated("2", 9.0)], size)
    assert [(s.text, s.ambiguous) for s in segments] == [("1" + pdf._MARK, True), ("2" + pdf._MARK, True)]
    assert all(pdf._is_figure(s.text) for s in segments)
    assert not pdf._is_figure("合计" + pdf._MARK)
    # "1" then "2" at 5 (a gap of at most 2.5: one figure) or at 20 (at least 10: two cells)
    assert [s.text for s in pdf._segments([_estimated("1", 0.0), _estimated("2", 5.0)], size)] == ["12"]
    assert [s.text for s in pdf._segments([_estimated("1", 0.0), _estimated("2", 20.0)], size)] == ["1", "2"]
    # Chinese characters are 1 em: "商" at 0, "业" at 13.5 (gap 3.5 ≥ 3.4): cut, certainly
    assert [s.text for s in pdf._segments([_estimated("商", 0.0), _estimated("业", 13.5)], size)] == ["商", "业"]


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
            # Each piece at least 2 points long: the reader takes marks under 1 point for
            # dots, not rulings (a piece of 0.56 points ending a border was dropped, and the
            # border then fell 3.06 points short of its cell's corner).
            gap = draw(st.floats(0.0, 2.0))
            cut = xs[c0] + 2.0 + draw(st.floats(0.2, 0.8)) * (xs[c1] - xs[c0] - 4.0 - gap)
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


@settings(max_examples=examples(150), deadline=None)
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


def _placed(row: int, col: int, text: str, rowspan: int = 1) -> Any:
    return pdf._Placed(row=row, col=col, rowspan=rowspan, colspan=1, text=text, location=opengov.Location(page=1))


def test_a_header_row_ending_a_page_is_not_joined_to_the_next_pages_first_row() -> None:
    """LibreOffice broke a 2019 table 2 between the header 信息内容 | 上一年项目数量 | … and
    the row 行政许可 | 156318 | …: the label was read as '信息内容行政许可' and the row lost."""
    above = [
        _placed(0, 0, "第二十条第（一）项"),
        _placed(1, 0, "信息内容"),
        _placed(1, 1, "上一年项目数量"),
        _placed(1, 2, "本年增/减"),
        _placed(1, 3, "处理决定数量"),
    ]
    below = [_placed(0, 0, "行政许可"), _placed(0, 1, "156318"), _placed(0, 2, "-37"), _placed(0, 3, "49")]
    cells = pdf._append_part(above, below)
    rows: dict[int, list[str]] = {}
    for c in sorted(cells, key=lambda c: (c.row, c.col)):
        rows.setdefault(c.row, []).append(c.text)
    assert rows[1] == ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"]
    assert rows[2] == ["行政许可", "156318", "-37", "49"]


def test_a_row_cut_by_the_page_break_is_still_one_row() -> None:
    """The row's label above the break and its figures below (cells empty on the other side)."""
    above = [
        _placed(0, 0, "行政许可"),
        _placed(0, 1, "1"),
        _placed(0, 2, "2"),
        _placed(1, 0, "其他对外管理服务"),
        _placed(1, 1, ""),
        _placed(1, 2, ""),
    ]
    below = [_placed(0, 0, "事项"), _placed(0, 1, "18"), _placed(0, 2, "46")]
    cells = pdf._append_part(above, below)
    last = sorted((c for c in cells if c.row == 1), key=lambda c: c.col)
    assert [c.text for c in last] == ["其他对外管理服务事项", "18", "46"]
    assert max(c.row for c in cells) == 1
