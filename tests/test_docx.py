"""Word .docx: the writer (official merged cells, fonts, borders), the reader (spans,
locations, every bad input), round trips, the official template, and LibreOffice."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import opengov
from budget import examples
from opengov._errors import ParseError
from opengov._grid import Document, Grid, Paragraph
from opengov._model import BLANK
from opengov._readers import docx as docx_reader
from opengov._writers.layout_grid import report_grids
from opengov.testing import any_reports, reports

python_docx = pytest.importorskip("docx", reason="writing .docx is the optional extra opengov[docx]")

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
REFERENCE = opengov.loads((DATA / "zhapu-2023.expected.json").read_text(encoding="utf-8"))
GENERATED = sorted((DATA / "pdf").glob("generated-*.json"))

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = f'xmlns:w="{W}"'


def _only(error: pytest.ExceptionInfo[ParseError]) -> opengov.Diagnostic:
    assert len(error.value.diagnostics) == 1
    return error.value.diagnostics[0]


def _docx(body_xml: str, extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal .docx around a hand-written body."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        xml = f'<?xml version="1.0"?><w:document {NS}><w:body>{body_xml}</w:body></w:document>'
        archive.writestr("word/document.xml", xml)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


# -- an independent look at a .docx: merges per table, straight from the XML -------------


def word_merges(data: bytes) -> list[list[tuple[int, int, int, int]]]:
    """Each table's cells as ``(row, col, rowspan, colspan)`` from gridSpan/vMerge, read here
    with regular expressions (not with the library's reader)."""
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
    tables = []
    for table in re.findall(r"<w:tbl>.*?</w:tbl>", xml, re.S):
        cells: list[list[int]] = []
        open_at: dict[int, list[int]] = {}
        for r, tr in enumerate(re.findall(r"<w:tr[ >].*?</w:tr>", table, re.S)):
            c = 0
            for tc in re.findall(r"<w:tc>.*?</w:tc>", tr, re.S):
                span = int(m.group(1)) if (m := re.search(r'<w:gridSpan w:val="(\d+)"', tc)) else 1
                merge = re.search(r'<w:vMerge(?: w:val="(\w+)")?', tc)
                if merge and merge.group(1) != "restart":
                    open_at[c][2] += 1
                else:
                    cell = [r, c, 1, span]
                    cells.append(cell)
                    open_at[c] = cell
                c += span
        tables.append(sorted((a, b, d, e) for a, b, d, e in cells))
    return tables


def grid_merges(grid: Grid) -> list[tuple[int, int, int, int]]:
    return sorted((c.row, c.col, c.rowspan, c.colspan) for c in grid.cells)


# -- round trips -------------------------------------------------------------------------


@settings(max_examples=25)
@given(any_reports(absent=False))
def test_any_report_round_trips_through_docx(report: opengov.Report) -> None:
    data = opengov.render(report, to="docx")
    assert isinstance(data, bytes)
    result = opengov.parse(data)
    assert result.form == "docx"
    assert result.report == report


@settings(max_examples=25)
@given(reports())
def test_consistent_report_round_trips_through_docx(report: opengov.Report) -> None:
    assert opengov.parse(opengov.render(report, to="docx")).report == report


@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_both_formats_round_trip(fmt: str) -> None:
    # the properties draw both formats; this pins one fixed report of each
    report = next(opengov.loads(p.read_text(encoding="utf-8")) for p in GENERATED if fmt in p.name)
    assert report.format == fmt
    assert opengov.parse(opengov.render(report, to="docx")).report == report


def test_reference_report_round_trips_without_diagnostics() -> None:
    result = opengov.parse(opengov.render(REFERENCE, to="docx"))
    assert result.report == REFERENCE
    assert result.diagnostics == ()


@settings(max_examples=15)
@given(any_reports(absent=False))
def test_written_merges_are_the_grids_merges(report: opengov.Report) -> None:
    data = opengov.render(report, to="docx")
    assert word_merges(data) == [grid_merges(g) for g in report_grids(report).values()]


def test_rendering_is_deterministic() -> None:
    assert opengov.render(REFERENCE, to="docx") == opengov.render(REFERENCE, to="docx")


# -- the official template ---------------------------------------------------------------


@pytest.mark.samples
def test_writer_merges_equal_the_official_template(samples: Path) -> None:
    template = word_merges((samples / "template-2021.docx").read_bytes())
    ours = word_merges(opengov.render(REFERENCE, to="docx"))
    assert len(template) == 3
    assert ours == template  # tables 2, 3 and 4, every gridSpan and vMerge


@pytest.mark.samples
def test_reader_reads_the_template_spans(samples: Path) -> None:
    data = (samples / "template-2021.docx").read_bytes()
    document = docx_reader.read(data)
    grids = list(document.grids())
    assert [(g.n_rows, g.n_cols) for g in grids] == [(14, 4), (28, 10), (4, 15)]
    assert [grid_merges(g) for g in grids] == word_merges(data)
    texts = {(c.row, c.col): c.text for c in grids[1].cells}
    assert texts[(2, 4)] == "商业\n企业"  # two paragraphs in one cell
    assert texts[(0, 0)].startswith("（本列数据的勾稽关系为")
    assert {c.text for c in grids[2].cells if c.row == 1 and c.col < 5} >= {"结果\n纠正", "其他\n结果"}  # w:br


@pytest.mark.samples
def test_empty_template_reads_as_blank_tables_with_a_clear_warning(samples: Path) -> None:
    result = opengov.read(samples / "template-2021.docx")
    report = result.report
    assert report.format == "2021"
    cells = list(report.cells())
    assert len(cells) == 200
    assert all(cell.value == BLANK for cell in cells)
    codes = [d.code for d in result.diagnostics]
    assert codes == ["missing-title", "empty-tables"]
    empty = result.diagnostics[1]
    assert "unfilled form" in empty.message
    assert empty.location.table == 1
    assert report.other_matters == ("（文字描述，收取信息处理费情况在此处报告。）",)
    with pytest.raises(ParseError, match="empty-tables"):
        opengov.read(samples / "template-2021.docx", strict=True)


# -- what the writer puts in the file ---------------------------------------------------


def _part(data: bytes, name: str) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(name).decode("utf-8")


def test_fonts_borders_and_alignment() -> None:
    data = opengov.render(REFERENCE, to="docx")
    styles = _part(data, "word/styles.xml")
    for name, font in (("Normal", "仿宋"), ("heading 1", "黑体"), ("Table Text", "宋体"), ("Table Note", "楷体")):
        style = re.search(rf'<w:style [^>]*>\s*<w:name w:val="{name}"/>.*?</w:style>', styles, re.S)
        assert style is not None, name
        assert f'w:eastAsia="{font}"' in style.group(), name
    body = _part(data, "word/document.xml")
    tables = re.findall(r"<w:tbl>.*?</w:tbl>", body, re.S)
    assert len(tables) == 3
    for table in tables:
        borders = re.search(r"<w:tblBorders>(.*?)</w:tblBorders>", table, re.S)
        assert borders is not None
        assert len(re.findall(r'w:val="single"', borders.group(1))) == 6
    # every figure is centred: table 4's data row holds 15 centred cells with digits
    last_row = re.findall(r"<w:tr>.*?</w:tr>", tables[2], re.S)[-1]
    jcs = re.findall(r'<w:jc w:val="(\w+)"/>.*?<w:t>(\d+)</w:t>', last_row, re.S)
    assert len(jcs) == 15
    assert {jc for jc, _ in jcs} == {"center"}
    assert re.search(r'<w:pStyle w:val="Heading1"/>.*?<w:t>一、总体情况</w:t>', body, re.S)


def test_paragraph_line_breaks_and_tabs_survive() -> None:
    report = opengov.Report(
        format="2021",
        organ="某局",
        year=2022,
        title="某局2022年度政府信息公开工作年度报告",
        overview=("第一行\n第二行", "甲\t乙"),
        table2=REFERENCE.table2,
        table3=REFERENCE.table3,
        table4=REFERENCE.table4,
    )
    parsed = opengov.parse(opengov.render(report, to="docx")).report
    assert parsed.overview == report.overview


def test_control_characters_are_refused_not_dropped() -> None:
    report = opengov.Report(format="2021", title="x", overview=("bad\x07bell",))
    with pytest.raises(ValueError, match="control character"):
        opengov.render(report, to="docx")


def test_render_to_writes_bytes(tmp_path: Path) -> None:
    path = tmp_path / "report.docx"
    opengov.render_to(REFERENCE, path, to="docx")
    assert path.read_bytes() == opengov.render(REFERENCE, to="docx")
    binary = io.BytesIO()
    opengov.render_to(REFERENCE, binary, to="docx")
    assert binary.getvalue() == path.read_bytes()
    with pytest.raises(TypeError, match="binary mode"):
        opengov.render_to(REFERENCE, io.StringIO(), to="docx")
    assert opengov.read(path).report == REFERENCE


def test_missing_extra_says_how_to_install_and_reading_needs_none(monkeypatch: pytest.MonkeyPatch) -> None:
    data = opengov.render(REFERENCE, to="docx")
    monkeypatch.setitem(sys.modules, "docx", None)
    with pytest.raises(ImportError, match=re.escape('pip install "opengov[docx]"')):
        opengov.render(REFERENCE, to="docx")
    assert opengov.parse(data).report == REFERENCE  # the reader is the standard library's


# -- the reader: spans, text, locations ---------------------------------------------------


def _tc(text: str = "", props: str = "") -> str:
    runs = "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in text.split("|")) if text else "<w:p/>"
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{runs}</w:tc>"


def test_reader_spans_gridbefore_hmerge_and_content_controls() -> None:
    body = (
        "<w:p><w:r><w:t>标题</w:t></w:r><w:r><w:tab/><w:t>甲</w:t><w:br/><w:t>乙</w:t></w:r>"
        "<w:del><w:r><w:delText>删掉</w:delText></w:r></w:del><w:ins><w:r><w:t>加上</w:t></w:r></w:ins></w:p>"
        "<w:p/>"
        "<w:tbl><w:tr>"
        + _tc("A", '<w:gridSpan w:val="2"/><w:vMerge w:val="restart"/>')
        + _tc("B")
        + "</w:tr><w:tr>"
        + _tc("", '<w:gridSpan w:val="2"/><w:vMerge/>')
        + "<w:sdt><w:sdtContent>"
        + _tc("C")
        + "</w:sdtContent></w:sdt>"
        + '</w:tr><w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>'
        + _tc("D", '<w:hMerge w:val="restart"/>')
        + _tc("", '<w:hMerge w:val="continue"/>')
        + "</w:tr></w:tbl>"
        "<w:sdt><w:sdtContent><w:p><w:r><w:t>结尾</w:t></w:r></w:p></w:sdtContent></w:sdt>"
    )
    document = docx_reader.read(_docx(body))
    assert [type(b) for b in document.blocks] == [Paragraph, Grid, Paragraph]
    first, grid, last = document.blocks
    assert isinstance(first, Paragraph)
    assert isinstance(last, Paragraph)
    assert isinstance(grid, Grid)
    assert first.text == "标题\t甲\n乙加上"
    assert first.location == opengov.Location(line=1)
    assert (last.text, last.location) == ("结尾", opengov.Location(line=3))
    cells = sorted((c.row, c.col, c.rowspan, c.colspan, c.text) for c in grid.cells)
    assert cells == [(0, 0, 2, 2, "A"), (0, 2, 1, 1, "B"), (1, 2, 1, 1, "C"), (2, 1, 1, 2, "D")]
    located = {c.text: c.location for c in grid.cells}
    assert located["C"] == opengov.Location(table=1, row=2, cell=3)
    assert located["D"] == opengov.Location(table=1, row=3, cell=2)


def test_diagnostics_name_the_table_row_and_column() -> None:
    document = python_docx.Document(io.BytesIO(opengov.render(REFERENCE, to="docx")))
    table3 = document.tables[1]
    table3.cell(3, 3).paragraphs[0].runs[0].text = "3x6"  # 一、本年新收 / 自然人
    out = io.BytesIO()
    document.save(out)
    result = opengov.parse(out.getvalue())
    problem = next(d for d in result.diagnostics if d.code == "unreadable-cell")
    assert problem.location == opengov.Location(table=2, row=4, cell=4)
    assert "table 2, row 4, cell 4" in str(problem)
    assert result.locations[("table3", "new_received", "natural_person")] == opengov.Location(table=2, row=4, cell=4)


# -- lxml and the standard library read alike -----------------------------------------------

_RUN_PARTS = st.sampled_from(
    [
        "<w:t>商业</w:t>",
        "<w:t>12</w:t>",
        '<w:t xml:space="preserve"> a  b </w:t>',
        "<w:t>&amp;&lt;&gt;&quot;</w:t>",
        "<w:t><![CDATA[x<y]]></w:t>",
        "<w:t>&#26469;&#x4E00;</w:t>",
        "<w:t/>",
        "<w:tab/>",
        "<w:br/>",
        "<w:cr/>",
        "<w:delText>删</w:delText>",
        "<!-- 注 -->",
        "<?pi x?>",
        "<w:rPr><w:b/><w:t>属性</w:t></w:rPr>",
        "\n  ",
    ]
)
_RUNS = st.lists(_RUN_PARTS, max_size=4).map(lambda parts: "<w:r>" + "".join(parts) + "</w:r>")
_AROUND_RUNS = st.sampled_from(["", "w:ins", "w:del", "w:moveFrom", "w:smartTag", "w:hyperlink", "w:pPr"])


def _wrap(tag: str, inner: str) -> str:
    return f"<{tag}>{inner}</{tag}>" if tag else inner


_PARAGRAPHS = st.recursive(
    st.lists(st.tuples(_AROUND_RUNS, _RUNS).map(lambda t: _wrap(*t)), max_size=3).map(
        lambda runs: "<w:p>" + "".join(runs) + "</w:p>"
    ),
    # a text box: a paragraph inside a run of another
    lambda inner: inner.map(
        lambda p: f"<w:p><w:r><w:t>框</w:t><w:pict><w:txbxContent>{p}</w:txbxContent></w:pict></w:r></w:p>"
    ),
    max_leaves=3,
)
_VALUES = st.sampled_from(
    ["", ' w:val="2"', ' w:val="1"', ' w:val="0"', ' w:val="x"', ' w:val=" 3 "', ' w:val="restart"']
)
_CELL_PROPERTIES = st.lists(
    st.tuples(st.sampled_from(["w:gridSpan", "w:vMerge", "w:hMerge", "w:tcW", "w:shd"]), _VALUES).map(
        lambda t: f"<{t[0]}{t[1]}/>"
    ),
    max_size=3,
).map(lambda props: "<w:tcPr>" + "".join(props) + "</w:tcPr>")
_AROUND_CELLS = st.sampled_from(["", "", "", "w:sdt", "w:customXml", "w:del"])


@st.composite
def _tables(draw: st.DrawFn, depth: int = 0) -> str:
    rows = []
    for _ in range(draw(st.integers(1, 4))):
        cells = []
        for _ in range(draw(st.integers(1, 4))):
            props = draw(st.one_of(st.just(""), _CELL_PROPERTIES))
            paragraphs = "".join(draw(st.lists(_PARAGRAPHS, max_size=2)))
            if depth == 0 and draw(st.integers(0, 9)) == 0:
                paragraphs += draw(_tables(depth=1))  # a table in a cell
            cell = f"<w:tc>{props}{paragraphs}</w:tc>"
            around = draw(_AROUND_CELLS)
            cells.append(
                f"<w:sdt><w:sdtContent>{cell}</w:sdtContent></w:sdt>" if around == "w:sdt" else _wrap(around, cell)
            )
        before = draw(st.sampled_from(["", '<w:trPr><w:gridBefore w:val="1"/></w:trPr>', "<w:trPr/>"]))
        rows.append(f"<w:tr>{before}{''.join(cells)}</w:tr>")
    return "<w:tbl><w:tblPr/><w:tblGrid/>" + "".join(rows) + "</w:tbl>"


_BODY_PARTS = st.one_of(
    _PARAGRAPHS,
    _tables(),
    _tables(),
    st.tuples(st.sampled_from(["w:customXml", "w:ins", "w:del", "w:smartTag"]), _PARAGRAPHS).map(lambda t: _wrap(*t)),
    _PARAGRAPHS.map(lambda p: f"<w:sdt><w:sdtPr/><w:sdtContent>{p}</w:sdtContent></w:sdt>"),
    st.just("<w:sectPr/>"),
)
_DAMAGE = st.sampled_from(["<", "&", "]]>", "\x01", "&#0;", "&bogus;", "</w:p>", '"', "<!DOCTYPE x>", "\ud7ff", ""])


def _docx_read(data: bytes, lxml: bool) -> object:
    try:
        document = docx_reader._read(data, lxml=lxml)
    except ParseError as error:
        return [(d.code, d.message, d.location) for d in error.diagnostics]
    return [
        (b.text, b.location)
        if isinstance(b, Paragraph)
        else (
            b.n_rows,
            b.n_cols,
            b.location,
            [(c.row, c.col, c.rowspan, c.colspan, c.text, c.location) for c in b.cells],
        )
        for b in document.blocks
    ]


@settings(max_examples=examples(300))
@given(
    st.lists(_BODY_PARTS, max_size=5),
    st.lists(st.tuples(st.floats(0, 1), _DAMAGE, st.integers(0, 3)), max_size=2),
    st.booleans(),
)
def test_lxml_and_the_standard_library_read_every_document_alike(
    parts: list[str], damage: list[tuple[float, str, int]], declaration: bool
) -> None:
    """The reader parses word/document.xml with lxml when it is installed and with the
    standard library otherwise: on generated bodies (wrappers, revisions, text boxes, tables
    in cells, odd property values, entities, comments), damaged or not, both give the same
    Document or the same error, except that lxml reads some XML the standard library calls
    not well-formed."""
    pytest.importorskip("lxml")
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' if declaration else ""
    xml = f"{head}<w:document {NS}><w:body>{''.join(parts)}</w:body></w:document>"
    for where, text, cut in damage:
        at = int(where * len(xml))
        xml = xml[:at] + text + xml[at + cut :]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", xml.encode("utf-8", "surrogatepass"))
    data = out.getvalue()
    with_lxml, stdlib = _docx_read(data, lxml=True), _docx_read(data, lxml=False)
    if with_lxml != stdlib:
        # the one difference allowed: XML the standard library refuses and lxml reads (lxml
        # follows XML 1.0 fifth edition: more characters are allowed in names, as U+D7FF)
        assert stdlib[0][0] == "docx-damaged", stdlib  # type: ignore[index]
        assert "not well-formed XML" in stdlib[0][1]  # type: ignore[index]
        assert not (with_lxml and isinstance(with_lxml[0], tuple) and with_lxml[0][0] == "docx-damaged")  # type: ignore[index]


_ODD_CELL_CHILDREN = [
    "<w:tcPr/>",
    '<w:tcPr><w:gridSpan w:val="2"/><w:shd/></w:tcPr>',
    "<w:tcPr><w:p><w:r><w:t>性</w:t></w:r></w:p></w:tcPr>",  # a paragraph in the properties
    "<w:p><w:r><w:t>外<w:p><w:r><w:t>内</w:t></w:r></w:p></w:t></w:r></w:p>",  # in a text element
    "<w:p><w:r><w:rPr><w:p><w:r><w:t>藏</w:t></w:r></w:p></w:rPr></w:r></w:p>",  # in a skipped one
    "<w:p><w:r><w:tab><w:b/></w:tab><w:br/></w:r></w:p>",
    "<w:p><w:bookmarkStart/><w:r><w:t>书</w:t></w:r><w:bookmarkEnd/></w:p>",
    "<w:sdt><w:sdtContent><w:p><w:r><w:t>控</w:t></w:r></w:p></w:sdtContent></w:sdt>",
    "<w:bookmarkStart/>",
]
_CELL_CHILDREN = st.one_of(_PARAGRAPHS, _tables(depth=1), st.sampled_from(_ODD_CELL_CHILDREN))


def _each_odd_child(test: Any) -> Any:
    """Every odd child as an example of its own (a cell holding it alone)."""
    for odd in _ODD_CELL_CHILDREN:
        for lxml in (True, False):
            test = example([odd], lxml)(test)
    return test


@settings(max_examples=examples(200))
@given(st.lists(_CELL_CHILDREN, max_size=4), st.booleans())
@_each_odd_child
def test_a_cells_text_read_from_its_children_is_the_text_of_every_paragraph_in_it(
    children: list[str], lxml: bool
) -> None:
    """``_cell_text`` reads a cell from its children when they are properties and
    paragraphs with no paragraph inside: the same text as reading every paragraph found at
    any depth of the cell (``_all_paragraphs_text``), for lxml's and ElementTree's trees."""
    if lxml:
        pytest.importorskip("lxml")
    xml = f"<w:document {NS}><w:body><w:tbl><w:tr><w:tc>{''.join(children)}</w:tc></w:tr></w:tbl></w:body></w:document>"
    root = docx_reader._root(xml.encode(), lxml=lxml)
    for tc in root.iter(f"{{{W}}}tc"):
        assert docx_reader._cell_text(tc) == docx_reader._all_paragraphs_text(tc)


def test_lxml_reads_names_the_standard_library_refuses() -> None:
    """XML 1.0 fifth edition allows U+D7FF in a name; expat (the standard library) does
    not: such a document.xml reads with lxml and is "damaged" without it."""
    pytest.importorskip("lxml")
    data = _docx("<w:tbl><w:tr><w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc><w:x\ud7ff/></w:tr></w:tbl>")
    assert [c.text for c in docx_reader._read(data, lxml=True).blocks[0].cells] == ["1"]  # type: ignore[union-attr]
    with pytest.raises(ParseError) as error:
        docx_reader._read(data, lxml=False)
    assert _only(error).code == "docx-damaged"


# -- bad input -----------------------------------------------------------------------------


def test_not_a_zip() -> None:
    with pytest.raises(ParseError) as error:
        docx_reader.read(b"\x00\x01 not a zip \xff")
    assert _only(error).code == "not-docx"
    with pytest.raises(ParseError) as error:
        opengov.parse(b"\x00\x01 not a zip \xff", form="docx")
    assert _only(error).code == "not-docx"


def test_a_zip_that_is_not_a_word_file() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(ParseError) as error:
        opengov.parse(out.getvalue())
    assert _only(error).code == "docx-not-word"
    assert "Excel workbook (.xlsx)" in _only(error).message


def test_legacy_doc_without_a_converter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no LibreOffice (the doc form: tests/test_doc.py)
    for form in ("auto", "docx"):
        with pytest.raises(ParseError) as error:
            opengov.parse(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), form=form)
        assert _only(error).code == "doc-legacy"
        assert "save it as .docx" in _only(error).message


def test_a_word_file_without_tables() -> None:
    document = python_docx.Document()
    document.add_paragraph("某局2023年度政府信息公开工作年度报告")
    document.add_paragraph("一、总体情况")
    out = io.BytesIO()
    document.save(out)
    with pytest.raises(ParseError) as error:
        opengov.parse(out.getvalue())
    assert _only(error).code == "docx-no-tables"


def test_damaged_archive_and_damaged_xml() -> None:
    data = opengov.render(REFERENCE, to="docx")
    with pytest.raises(ParseError) as error:
        opengov.parse(data[: len(data) // 2])
    assert _only(error).code == "docx-damaged"
    broken = _docx("<w:p><w:r><w:t>unclosed</w:r></w:p>")
    with pytest.raises(ParseError) as error:
        opengov.parse(broken)
    assert _only(error).code == "docx-damaged"
    assert "not well-formed XML (line 1, column" in _only(error).message


def test_a_str_is_refused_for_the_docx_form() -> None:
    with pytest.raises(ValueError, match="must be given as bytes"):
        opengov.parse("一、总体情况", form="docx")


@settings(max_examples=20)
@given(data=st.data())
def test_corrupted_bytes_give_document_or_one_clear_error(data: st.DataObject) -> None:
    original = bytearray(opengov.render(REFERENCE, to="docx"))
    for _ in range(data.draw(st.integers(1, 20), label="corruptions")):
        position = data.draw(st.integers(0, len(original) - 1), label="position")
        original[position] = data.draw(st.integers(0, 255), label="byte")
    try:
        outcome: Document | ParseError = docx_reader.read(bytes(original))
    except ParseError as error:
        outcome = error
    if isinstance(outcome, ParseError):
        assert len(outcome.diagnostics) == 1
        assert outcome.diagnostics[0].code in {"not-docx", "docx-damaged", "docx-not-word", "docx-no-tables"}
    else:
        assert all(isinstance(g, Grid) for g in outcome.grids())


# -- LibreOffice: .docx → PDF → the PDF reader --------------------------------------------

needs_libreoffice = pytest.mark.skipif(shutil.which("libreoffice") is None, reason="libreoffice is not on PATH")


@pytest.mark.libreoffice
@needs_libreoffice
def test_pdf_printed_by_libreoffice_parses_back(tmp_path: Path) -> None:
    pytest.importorskip("pypdfium2", reason="reading the PDF needs the extra opengov[pdf]")
    paths = GENERATED + sorted((DATA / "pdf").glob("libreoffice-*.json"))
    reports_ = {p.stem: opengov.loads(p.read_text(encoding="utf-8")) for p in paths}
    for name, report in reports_.items():
        (tmp_path / f"{name}.docx").write_bytes(opengov.render(report, to="docx"))
    subprocess.run(
        ["libreoffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path)]
        + [str(tmp_path / f"{name}.docx") for name in reports_],
        check=True,
        capture_output=True,
        timeout=300,
    )
    assert {r.format for r in reports_.values()} == {opengov.Format.V2019, opengov.Format.V2021}
    for name, report in reports_.items():
        # exactly equal: every figure, the title (no space left in LibreOffice's autospace gap
        # between Chinese and digits), every paragraph (also one running over a page break)
        assert opengov.read(tmp_path / f"{name}.pdf").report == report, name


def test_an_xml_declaration_naming_no_known_encoding_is_a_damaged_file() -> None:
    """Hypothesis damaged ``encoding='UTF-8'`` into ``UF-8``: both XML parsers raised
    LookupError from inside; it is ``docx-damaged``."""
    import io
    import zipfile

    xml = (
        b"<?xml version='1.0' encoding='UF-8'?><w:document xmlns:w="
        b"'http://schemas.openxmlformats.org/wordprocessingml/2006/main'><w:body/></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", xml)
    for lxml in (True, False):
        with pytest.raises(ParseError) as error:
            docx_reader._read(buffer.getvalue(), lxml=lxml)
        assert [d.code for d in error.value.diagnostics] == ["docx-damaged"]


# -- the reader parses the XML without its formatting: what it reads is unchanged --------------

_RPRS = st.sampled_from(
    [
        "",
        "<w:rPr><w:b/><w:sz w:val='21'/></w:rPr>",
        "<w:rPr/>",
        "<w:rPr />",
        '<w:rPr w:rsid="a>b"><w:i/></w:rPr>',
        "<w:rPr\n><w:rFonts w:hint='eastAsia'/></w:rPr>",
        '<w:rPr><w:rPrChange w:id="2"><w:rPr><w:i/></w:rPr></w:rPrChange></w:rPr>',
        "<w:rPr><w:t>藏</w:t></w:rPr>",
        "<w:rPr><w:b/></w:rPr >",
        "<w:rPr w:x='1'/>",
        "<w:rPr><w:p><w:r><w:t>段中段</w:t></w:r></w:p></w:rPr>",
        "<x:rPr><x:b/></x:rPr>",
    ]
)
_PPRS = st.sampled_from(
    [
        "",
        "<w:pPr><w:jc w:val='center'/></w:pPr>",
        "<w:pPr/>",
        "<w:pPr><w:tabs><w:tab w:val='left' w:pos='840'/></w:tabs><w:rPr><w:b/></w:rPr></w:pPr>",
        '<w:pPr><w:pPrChange w:id="1"><w:pPr><w:ind/></w:pPr></w:pPrChange></w:pPr>',
        "<w:pPr\t><w:spacing w:line='360'/></w:pPr>",
        "<w:pPr><w:rPr><w:b/></w:rPr\n></w:pPr\t>",
    ]
)
_TCPRS = st.sampled_from(
    [
        "",
        "<w:tcPr/>",
        "<w:tcPr><w:tcW w:w='1'/><w:tcBorders><w:top w:val='single'/></w:tcBorders><w:shd w:fill='FFFFFF'/></w:tcPr>",
        "<w:tcPr><w:gridSpan w:val='2'/><w:tcBorders><w:left/></w:tcBorders></w:tcPr>",
        "<w:tcPr><w:vMerge w:val='restart'/></w:tcPr>",
        "<w:tcPr><w:vMerge/></w:tcPr>",
        "<w:tcPr><w:shd/></w:tcPr><w:tcPr><w:gridSpan w:val='2'/></w:tcPr>",
        "<w:tcPr><w:hMerge w:val='continue'/></w:tcPr>",
        "<w:tcPr ><w:vAlign w:val='center'/></w:tcPr>",
        "<w:tcPr><w:shd/></w:tcPr\r\n>",
        "<w:tcPr><w:gridSpan w:val='3'/></w:tcPr >",
        "<w:tblPrEx><w:p><w:r><w:t>格</w:t></w:r></w:p></w:tblPrEx>",
    ]
)
_AROUND_RUN = st.sampled_from(["", "", "", "w:tblPrEx", "w:tcBorders", "w:rPr", "w:hyperlink"])
"""What a run may stand in: mostly nothing; formatting elements (whose text is not read,
cut or not), a hyperlink (read through)."""
_WORDS = st.sampled_from(["", "行政许可", "12", "0", "甲", "（一）", "3,5", "是?", "!"])


@st.composite
def _paragraph(draw: st.DrawFn) -> str:
    runs = "".join(
        _wrap(
            draw(_AROUND_RUN),
            f"<w:r>{draw(_RPRS)}<w:t>{draw(_WORDS)}</w:t>{draw(st.sampled_from(['', '<w:tab/>', '<w:br/>']))}</w:r>",
        )
        for _ in range(draw(st.integers(0, 3)))
    )
    return f"<w:p>{draw(_PPRS)}{runs}</w:p>"


@st.composite
def _table(draw: st.DrawFn) -> str:
    rows = []
    for _ in range(draw(st.integers(1, 3))):
        cells = "".join(
            f"<w:tc>{draw(_TCPRS)}{''.join(draw(st.lists(_paragraph(), min_size=1, max_size=2)))}</w:tc>"
            for _ in range(draw(st.integers(1, 3)))
        )
        borders = "<w:tblBorders><w:top w:val='none'/></w:tblBorders>"
        exceptions = draw(st.sampled_from(["", f"<w:tblPrEx>{borders}</w:tblPrEx>"]))
        rows.append(f"<w:tr>{exceptions}{cells}</w:tr>")
    properties = draw(st.sampled_from(["", "<w:tblPr><w:tblW w:w='0'/></w:tblPr>"]))
    return f"<w:tbl>{properties}{''.join(rows)}</w:tbl>"


@st.composite
def _document_xml(draw: st.DrawFn) -> bytes:
    blocks = draw(st.lists(st.one_of(_paragraph(), _table()), min_size=1, max_size=5))
    if draw(st.booleans()):
        blocks.insert(0, draw(_table()))
    extra = draw(st.sampled_from(["", "<!-- <w:rPr> -->", "<?pi <w:rPr>?>"]))
    head = draw(st.sampled_from(["", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n']))
    xml = f'{head}<w:document {NS} xmlns:x="{W}"><w:body>{extra}{"".join(blocks)}</w:body></w:document>'
    return (b"\xef\xbb\xbf" if draw(st.booleans()) else b"") + xml.encode("utf-8")


def _reading(data: bytes, *, slim: bool) -> object:
    """Everything a read gives (every block with its location, every cell with its spans
    and location, the diagnostics), or the error's diagnostics."""
    try:
        document = docx_reader._read(data, slim=slim)
    except ParseError as error:
        return ("error", error.diagnostics)
    blocks = [
        (block.text, block.location)
        if isinstance(block, Paragraph)
        else [(c.row, c.col, c.rowspan, c.colspan, c.text, c.location) for c in block.cells]
        for block in document.blocks
    ]
    return blocks, document.diagnostics


def _docx_of(xml: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", xml)
    return out.getvalue()


@given(_document_xml())
def test_the_xml_without_its_formatting_reads_as_the_whole_xml(xml: bytes) -> None:
    data = _docx_of(xml)
    assert _reading(data, slim=True) == _reading(data, slim=False)


def test_formatting_is_taken_out_only_where_nothing_read_is_inside() -> None:
    run = "<w:r><w:rPr><w:b/></w:rPr><w:t>甲</w:t></w:r>"
    borders = "<w:tcPr><w:tcBorders><w:top/></w:tcBorders></w:tcPr>"
    cell = f"<w:tc>{borders}<w:p><w:pPr><w:jc/></w:pPr>{run}</w:p></w:tc>"
    spanned = "<w:tc><w:tcPr><w:gridSpan w:val='2'/></w:tcPr><w:p/></w:tc>"
    xml = f"<w:document {NS}><w:body><w:tbl><w:tr>{cell}{spanned}</w:tr></w:tbl></w:body></w:document>".encode()
    slim = docx_reader._without_formatting(xml)
    assert b"rPr" not in slim
    assert b"pPr" not in slim
    assert b"tcBorders" not in slim
    assert b"<w:tcPr/>" in slim  # a cell's properties stay, empty
    assert b"<w:gridSpan w:val='2'/>" in slim  # a cell's spans stay
    commented = xml.replace(b"<w:body>", b"<w:body><!-- a comment -->")
    assert docx_reader._without_formatting(commented) is commented
    twice = xml.replace(b"<w:body>", f'<w:body xmlns:w="{W}">'.encode())
    assert docx_reader._without_formatting(twice) is twice  # the prefix declared twice
    spaced = xml.replace(b"</w:rPr>", b"</w:rPr\n>").replace(b"</w:tcPr>", b"</w:tcPr >")
    cut = docx_reader._without_formatting(spaced)  # white space before an end tag's ">"
    assert b"rPr" not in cut
    assert b"tcBorders" not in cut
    asked = xml.replace("甲".encode(), b"?!")
    assert b"rPr" not in docx_reader._without_formatting(asked)  # "?" and "!" in text are text


@pytest.mark.samples
def test_the_template_reads_alike_without_its_formatting(samples: Path) -> None:
    data = (samples / "template-2021.docx").read_bytes()
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    assert len(docx_reader._without_formatting(xml)) < len(xml) / 2
    assert _reading(data, slim=True) == _reading(data, slim=False)
