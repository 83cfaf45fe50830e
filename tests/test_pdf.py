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
from opengov._errors import ParseError
from opengov._grid import Document, Grid
from opengov._model import cell_text
from opengov.layout import normalize_label

pdfplumber = pytest.importorskip("pdfplumber", reason="PDF support is the optional extra opengov[pdf]")

from opengov._readers import pdf  # noqa: E402

DATA = Path(__file__).resolve().parent / "data" / "pdf"
GENERATED = sorted(DATA.glob("generated-*.pdf"))
LIBREOFFICE = sorted(DATA.glob("libreoffice-*.pdf"))
"""Generated reports written as .docx and printed by LibreOffice (``make_libreoffice_pdfs.py``)."""
BORDERLESS = sorted(DATA.glob("borderless-*.pdf"))
"""Generated reports printed with tables without ruling lines (``make_pdfs.py --borderless``)."""
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
    with pdfplumber.open(GENERATED[-1]) as doc:
        assert len(doc.pages) > 2
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
        with pdfplumber.open(path) as doc:
            chars = doc.pages[0].chars
        # LibreOffice leaves a gap of 0.2 em between the year and the 年 after it
        after = next(i for i, c in enumerate(chars) if c["text"] == "年" and chars[i - 1]["text"].isdigit())
        gap = chars[after]["x0"] - chars[after - 1]["x1"]
        assert 3.0 < gap < 0.3 * chars[after]["size"], "an autospace gap wider than the word tolerance"
        report = _report_of(path)
        assert next(p.text for p in document.paragraphs()) == report.title
    # some paragraph starts on one page and ends on the next (LibreOffice breaks it there)
    across = []
    for path in LIBREOFFICE:
        with pdfplumber.open(path) as doc:
            pages = [re.sub(r"-\d+-", "", "".join((page.extract_text() or "").split())) for page in doc.pages]
        report = _report_of(path)
        for text in (*report.overview, *report.problems, *report.other_matters):
            if not any(text in page for page in pages):
                across += [text for before, after in itertools.pairwise(pages) if text in before + after]
    assert len(across) >= 2


@st.composite
def _line_chars(draw: st.DrawFn) -> tuple[list[dict[str, Any]], str]:
    """Glyphs of one printed line and the text they spell: CJK and ASCII runs, with gaps."""
    size = draw(st.sampled_from([10.5, 12.0, 14.0, 16.0, 18.0, 22.0]))
    runs = draw(st.lists(st.sampled_from(["年度报告", "淮安", "2024", "ab", "（含）", "12"]), min_size=1, max_size=6))
    chars: list[dict[str, Any]] = []
    expected = ""
    x = 50.0
    for run in runs:
        if chars:
            cjk_boundary = pdf._CJK_CHAR_RE.match(chars[-1]["text"]) or pdf._CJK_CHAR_RE.match(run[0])
            mixed = cjk_boundary and (chars[-1]["text"].isascii() != run[0].isascii())
            kind = draw(st.sampled_from(["none", "autospace", "space"] if mixed else ["none", "space"]))
            if kind == "autospace":
                x += 0.2 * size
            elif kind == "space":
                x += max(0.5 * size, 4.0)
                expected += " "
        for char in run:
            width = size if not char.isascii() else size / 2
            chars.append({"text": char, "x0": x, "x1": x + width, "size": size})
            x += width
        expected += run
    return chars, expected


@given(_line_chars())
def test_line_text_drops_autospace_gaps_only(line: tuple[list[dict[str, Any]], str]) -> None:
    chars, expected = line
    assert pdf._chars_text(chars, "") == " ".join(expected.split())


def test_wrapped_figure_in_a_narrow_cell_is_one_figure() -> None:
    assert pdf._join_lines(["0.0001", "99万", "元"]) == "0.000199万元"
    assert pdf._join_lines(["12", "345"]) == "12345"
    assert pdf._join_lines(["hazwgkc@163.com", "www"]) == "hazwgkc@163.com www"


# ---------------------------------------------------------------------------------------
# Tables without ruling lines: rows and columns from word positions
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", BORDERLESS, ids=lambda p: p.stem)
def test_borderless_pdf_parses_back_equal(path: Path) -> None:
    with pdfplumber.open(path) as doc:
        assert not any(page.find_tables() for page in doc.pages), "no ruling lines at all"
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
    """The same characters at the same places and sizes, and nothing else (no lines)."""
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    cidfonts = pytest.importorskip("reportlab.pdfbase.cidfonts")
    pdfmetrics = pytest.importorskip("reportlab.pdfbase.pdfmetrics")
    pdfmetrics.registerFont(cidfonts.UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    with pdfplumber.open(io.BytesIO(data)) as doc:
        pages = doc.pages
        drawing = canvas.Canvas(out, pagesize=(float(pages[0].width), float(pages[0].height)))
        for page in pages:
            for char in page.chars:
                size = float(char["size"])
                drawing.setFont("STSong-Light", size)
                baseline = float(page.height) - float(char["bottom"]) + 0.2 * size
                drawing.drawString(float(char["x0"]), baseline, char["text"])
            drawing.showPage()
        drawing.save()
    return out.getvalue()


@pytest.mark.samples
def test_huaian_without_ruling_lines(samples: Path) -> None:
    """The real report's text, redrawn without its table borders, still gives every figure."""
    data = _without_ruling_lines((samples / "huaian-2024.pdf").read_bytes())
    with pdfplumber.open(io.BytesIO(data)) as doc:
        assert not any(page.find_tables() for page in doc.pages)
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
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(_sample_bytes()))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(ParseError) as error:
        pdf.read(out.getvalue())
    assert _only(error).code == "pdf-encrypted"
    assert _only(error).message == "the PDF is encrypted (password-protected); decrypt it first"


def test_blank_pdf_has_no_text_layer() -> None:
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(ParseError) as error:
        pdf.read(out.getvalue())
    assert _only(error).code == "pdf-no-text"
    assert _only(error).message == pdf.NO_TEXT_LAYER


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

    monkeypatch.setitem(sys.modules, "pdfplumber", None)
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
