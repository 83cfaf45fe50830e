"""The HTML reader: pages → Documents (paragraphs and Grids with the page's own spans)."""

from __future__ import annotations

import builtins
import html
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import opengov
from opengov._errors import Location, Severity
from opengov._grid import Document, Grid, GridCell, Paragraph
from opengov.layout import LAYOUT_2019, normalize_label

pytest.importorskip("lxml")

from opengov._readers import html as reader

SAMPLE = "shanghai-office-2019.html"


def _codes(document: Document) -> list[str]:
    return [d.code for d in document.diagnostics]


def _only_grid(document: Document) -> Grid:
    grids = list(document.grids())
    assert len(grids) == 1
    return grids[0]


def _cells(grid: Grid) -> list[tuple[int, int, int, int, str]]:
    return sorted((c.row, c.col, c.rowspan, c.colspan, c.text) for c in grid.cells)


def _distinct(row: list[GridCell | None]) -> list[GridCell]:
    """The cells covering a grid row, each once, left to right."""
    out: list[GridCell] = []
    for cell in row:
        if cell is not None and (not out or out[-1] is not cell):
            out.append(cell)
    return out


# --------------------------------------------------------------------------------------
# The real page
# --------------------------------------------------------------------------------------


@pytest.fixture
def shanghai(samples: Path) -> tuple[Document, dict[str, Any]]:
    document = reader.read((samples / SAMPLE).read_bytes())
    expected = json.loads((samples / "expected" / "shanghai-office-2019.json").read_text(encoding="utf-8"))
    return document, expected


def _table_with(document: Document, label: str) -> Grid:
    """The grid one of whose cells reads ``label`` (normalised)."""
    wanted = normalize_label(label)
    matches = [g for g in document.grids() if any(normalize_label(c.text) == wanted for c in g.cells)]
    assert len(matches) == 1, f"{label!r} found in {len(matches)} grids"
    return matches[0]


@pytest.mark.samples
def test_sample_page_is_three_grids_in_reading_order(shanghai: tuple[Document, dict[str, Any]]) -> None:
    document, expected = shanghai
    kinds = [type(b).__name__ for b in document.blocks]
    assert kinds.count("Grid") == 3
    texts = [b.text for b in document.paragraphs()]
    assert texts[0] == f"{expected['year']}年{expected['agency']}政府信息公开工作年度报告"
    # every section heading is a paragraph of its own, tables between the right ones
    names = {normalize_label(name): s.key for s in LAYOUT_2019.sections for name in (s.label, *s.variants)}
    positions = {}
    for i, block in enumerate(document.blocks):
        if isinstance(block, Paragraph) and normalize_label(block.text) in names:
            positions[names[normalize_label(block.text)]] = i
    assert len(positions) == 6
    order = [positions[s.key] for s in LAYOUT_2019.sections]
    assert order == sorted(order)
    grid_positions = [i for i, b in enumerate(document.blocks) if isinstance(b, Grid)]
    assert order[1] < grid_positions[0] < order[2] < grid_positions[1] < order[3] < grid_positions[2] < order[4]
    assert [g.location.table if g.location else None for g in document.grids()] == [1, 2, 3]
    assert _codes(document) == []  # plain UTF-8: nothing to say
    assert document.form == "html"


@pytest.mark.samples
def test_sample_table3_figures(shanghai: tuple[Document, dict[str, Any]]) -> None:
    document, expected = shanghai
    t3 = LAYOUT_2019.table3
    grid = _table_with(document, t3.note)
    origin = grid.origin_map()
    # the data columns are those under the seven applicant columns of the header
    header = [normalize_label(c.text) if c else "" for c in origin[2]]
    first = header.index(normalize_label(t3.columns[0].label))
    outer = normalize_label(t3.outcomes_label)
    read: dict[str, list[int | None]] = {}
    for row in origin[3:]:
        labels = [c.text for c in _distinct(row[:first]) if normalize_label(c.text) != outer]
        key = normalize_label("/".join(labels))
        read[key] = [int(c.text) if c and c.text else None for c in row[first : first + 7]]
    assert read == {normalize_label(k): v for k, v in expected["table3"].items()}


@pytest.mark.samples
def test_sample_table4_figures(shanghai: tuple[Document, dict[str, Any]]) -> None:
    document, expected = shanghai
    grid = _table_with(document, LAYOUT_2019.table4.blocks[1].label)
    last = grid.expanded()[-1]
    assert [int(t) if t else None for t in last] == expected["table4"]


@pytest.mark.samples
def test_sample_table2_figures_read_by_distinct_cells(shanghai: tuple[Document, dict[str, Any]]) -> None:
    """Table 2's header and data colspans disagree in 第二十条第（五）（六）项: reading the
    row's distinct cells left to right (not the expanded columns) gives the figures."""
    document, expected = shanghai
    t2 = LAYOUT_2019.table2
    grid = _table_with(document, t2.header)
    read: dict[str, list[str]] = {}
    for row in grid.origin_map():
        cells = _distinct(row)
        label = normalize_label(cells[0].text)
        if any(label == normalize_label(r.label) for r in t2.rows):
            read[label] = [c.text for c in cells[1:]]
    assert read == {normalize_label(k): [str(v) for v in vs] for k, vs in expected["table2"].items()}


@pytest.mark.samples
def test_sample_table2_misaligned_colspans_are_kept_as_printed(shanghai: tuple[Document, dict[str, Any]]) -> None:
    """The finding the assembler needs: in blocks （五）（六） the header is 1+2+1 columns
    wide and the data rows 2+1+1, so the expanded column 2 pairs 本年增/减 with the first
    figure.  The reader keeps the page's spans; the assembler must pair distinct cells."""
    document, _ = shanghai
    t2 = LAYOUT_2019.table2
    grid = _table_with(document, t2.header)
    origin = grid.origin_map()
    licensing = next(i for i, row in enumerate(origin) if row[0] and row[0].text == t2.row("licensing").label)
    header, data = _distinct(origin[licensing - 1]), _distinct(origin[licensing])
    assert [c.colspan for c in header] == [1, 1, 2, 1]
    assert [c.colspan for c in data] == [1, 2, 1, 1]
    assert [c.text for c in header[1:]] == [c.label for c in t2.block("article_20_5").columns]


# --------------------------------------------------------------------------------------
# Synthetic pages
# --------------------------------------------------------------------------------------


def test_rowspan_colspan_nested_tags_br_and_nbsp() -> None:
    page = """<html><head><title>t</title><style>td{}</style></head><body>
<table>
<tr><th rowspan="2">项目</th><th colspan="2">数量</th></tr>
<tr><th>本年新<br>制作</th><th><p>本年</p><p>新<span>公开</span></p></th></tr>
<tr><td><b>规章</b></td><td>&nbsp;</td><td> 1&nbsp;341 </td></tr>
</table></body></html>"""
    grid = _only_grid(reader.read(page))
    assert _cells(grid) == [
        (0, 0, 2, 1, "项目"),
        (0, 1, 1, 2, "数量"),
        (1, 1, 1, 1, "本年新\n制作"),
        (1, 2, 1, 1, "本年\n新公开"),
        (2, 0, 1, 1, "规章"),
        (2, 1, 1, 1, ""),
        (2, 2, 1, 1, "1 341"),
    ]
    assert (grid.n_rows, grid.n_cols) == (3, 3)
    assert all(c.header for c in grid.cells if c.row < 2)
    assert not any(c.header for c in grid.cells if c.row == 2)


def test_word_exported_html() -> None:
    """Word's HTML: ``o:p`` tags, conditional comments around ``&nbsp;``, and a hidden
    width-setting row at the end."""
    page = """<html xmlns:o="urn:schemas-microsoft-com:office:office"><body lang=ZH-CN><div class=WordSection1>
<p class=MsoNormal align=center><b><span style='font-size:22.0pt'>某局报告<o:p></o:p></span></b></p>
<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0>
 <tr><td colspan=2><p class=MsoNormal align=center><span lang=EN-US>信息<br>内容<o:p></o:p></span></p></td>
 <td><p class=MsoNormal><![if !supportEmptyParas]>&nbsp;<![endif]><o:p></o:p></p></td></tr>
 <tr><td><p class=MsoNormal><span lang=EN-US>13<o:p></o:p></span></p></td><td style="display:none">x</td>
 <td>1</td><td>2</td></tr>
 <![if !supportMisalignedColumns]><tr height=0 style='display:none'><td width=45></td><td></td><td></td><td></td>
 </tr><![endif]>
 <tr><td>3</td><td>4</td><td>5</td></tr>
</table></div></body></html>"""
    document = reader.read(page)
    assert [p.text for p in document.paragraphs()] == ["某局报告"]
    grid = _only_grid(document)
    assert grid.expanded() == [["信息\n内容", "信息\n内容", ""], ["13", "1", "2"], ["3", "4", "5"]]
    where = {c.text: c.location for c in grid.cells}
    assert where["2"] == Location(table=1, row=2, cell=4, line=7)
    assert where["5"] == Location(table=1, row=4, cell=3, line=10)
    assert document.diagnostics == ()


def test_locations_are_table_row_cell_and_line() -> None:
    page = "<p>前言</p>\n<table>\n<tr><td>a</td><td>b</td></tr>\n<tr>\n<td>c</td>\n<td>d</td></tr></table>"
    document = reader.read(page)
    grid = _only_grid(document)
    where = {c.text: c.location for c in grid.cells}
    assert where["a"] == Location(table=1, row=1, cell=1, line=3)
    assert where["d"] == Location(table=1, row=2, cell=2, line=6)
    assert grid.location == Location(table=1, line=2)
    assert next(document.paragraphs()).location == Location(line=1)


def test_layout_table_does_not_swallow_the_data_tables() -> None:
    page = """<table class="layout"><tr><td>
<h1>某局2023年政府信息公开工作年度报告</h1><p>一、总体情况</p>
<table><tr><td>行政复议</td><td>5</td></tr></table>
<p>五、存在的主要问题</p>
<table><tr><td>x</td><td>1</td></tr><tr><td>y</td><td>2</td></tr></table>
</td><td>侧栏</td></tr></table>"""
    document = reader.read(page)
    assert [type(b).__name__ for b in document.blocks] == [
        "Paragraph",
        "Paragraph",
        "Grid",
        "Paragraph",
        "Grid",
        "Paragraph",
    ]
    first, second = document.grids()
    assert first.location == Location(table=2, line=3)
    assert _cells(second) == [(0, 0, 1, 1, "x"), (0, 1, 1, 1, "1"), (1, 0, 1, 1, "y"), (1, 1, 1, 1, "2")]
    assert second.cells[0].location == Location(table=3, row=1, cell=1, line=5)


def test_single_column_table_is_read_as_text() -> None:
    document = reader.read("<table><tr><td><p>一、总体情况</p><p>正文</p></td></tr><tr><td>尾</td></tr></table>")
    assert [p.text for p in document.paragraphs()] == ["一、总体情况", "正文", "尾"]
    assert _codes(document) == ["html-no-tables"]


def test_page_chrome_is_dropped_and_lines_split_at_br() -> None:
    page = """<!DOCTYPE html><html><head><script>var t = "<table><tr><td>9</td></tr></table>";</script></head>
<body><nav>首页 &gt; 政务公开</nav><div style="display: none">隐藏</div><p hidden>也隐藏</p>
<noscript>请启用脚本</noscript><template><p>模板</p></template><!-- 注释 -->
<div>标题<br/>一、总体情况<br>  <span>正文</span>继续</div><button>分享</button></body></html>"""
    document = reader.read(page)
    assert [p.text for p in document.paragraphs()] == ["标题", "一、总体情况", "正文继续"]


def test_strays_inside_tables_come_before_the_grid_and_bare_cells_form_rows() -> None:
    page = "<table><caption>表一</caption><div>说明</div><td>1</td><td>2</td><tr><td>3</td><td>4</td></tr></table>"
    document = reader.read(page)
    assert [type(b).__name__ for b in document.blocks] == ["Paragraph", "Paragraph", "Grid"]
    assert [p.text for p in document.paragraphs()] == ["表一", "说明"]
    assert _cells(_only_grid(document)) == [
        (0, 0, 1, 1, "1"),
        (0, 1, 1, 1, "2"),
        (1, 0, 1, 1, "3"),
        (1, 1, 1, 1, "4"),
    ]


def test_rowspan_past_the_last_row_is_clipped_with_a_diagnostic() -> None:
    document = reader.read("<table><tr><td rowspan='5'>a</td><td>b</td></tr><tr><td>c</td></tr></table>")
    assert _cells(_only_grid(document)) == [(0, 0, 2, 1, "a"), (0, 1, 1, 1, "b"), (1, 1, 1, 1, "c")]
    (diagnostic,) = document.diagnostics
    assert diagnostic.code == "html-span-clipped"
    assert diagnostic.severity is Severity.INFO
    assert diagnostic.location == Location(table=1, row=1, cell=1, line=1)
    assert "rowspan=5" in diagnostic.message


def test_overlapping_spans_are_clipped_with_a_warning() -> None:
    # b spans down into row 2, where c's colspan=3 would cover it
    page = "<table><tr><td>a</td><td rowspan='2'>b</td><td>z</td></tr><tr><td colspan='3'>c</td></tr></table>"
    document = reader.read(page)
    assert _cells(_only_grid(document)) == [
        (0, 0, 1, 1, "a"),
        (0, 1, 2, 1, "b"),
        (0, 2, 1, 1, "z"),
        (1, 0, 1, 1, "c"),
    ]
    (diagnostic,) = document.diagnostics
    assert (diagnostic.code, diagnostic.severity) == ("html-span-overlap", Severity.WARNING)
    assert diagnostic.location == Location(table=1, row=2, cell=1, line=1)
    assert "clipped to rowspan=1 colspan=1" in diagnostic.message


def test_odd_span_values() -> None:
    page = (
        "<table><tr><td colspan='x'>a</td><td colspan=' 2px'>b</td><td colspan='0'>c</td>"
        "<td colspan='99999999999'>d</td></tr><tr><td rowspan='0'>e</td></tr></table>"
    )
    document = reader.read(page)
    grid = _only_grid(document)
    assert [(c.text, c.col, c.colspan) for c in grid.cells] == [
        ("a", 0, 1),
        ("b", 1, 2),
        ("c", 3, 1),
        ("d", 4, 1000),
        ("e", 0, 1),
    ]
    assert _codes(document) == ["html-span-invalid", "html-span-clipped"]


@pytest.mark.parametrize(
    ("page", "images"),
    [
        ("<h1>某局2023年政府信息公开工作年度报告</h1><p>一、总体情况</p>", False),
        ("<p>表格见图</p><img src='t2.png'>", True),
    ],
)
def test_page_without_tables_says_so(page: str, images: bool) -> None:
    document = reader.read(page)
    assert list(document.grids()) == []
    (diagnostic,) = document.diagnostics
    assert diagnostic.code == "html-no-tables"
    assert ("image" in diagnostic.message) is images


@pytest.mark.parametrize("page", ["", "   ", "<!-- only a comment -->"])
def test_empty_pages_give_an_empty_document(page: str) -> None:
    document = reader.read(page)
    assert document.blocks == ()
    assert _codes(document)[-1] in ("html-empty", "html-no-tables")


def test_entities_and_doctype_subsets_are_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET", encoding="utf-8")
    page = f'<!DOCTYPE html [<!ENTITY e SYSTEM "file://{secret}">]><p>&e;x</p><table><tr><td>&amp;</td><td>1</td></tr></table>'
    document = reader.read(page)
    assert "SECRET" not in "".join(p.text for p in document.paragraphs())
    assert [c.text for c in _only_grid(document).cells] == ["&", "1"]


# --------------------------------------------------------------------------------------
# Encodings
# --------------------------------------------------------------------------------------

GB_PAGE = (
    "<html><head><meta http-equiv='Content-Type' content='text/html; charset=gb2312'></head><body>{}</body></html>"
)
TABLE = "<table><tr><td>商业企业</td><td>本年增/减</td></tr></table>"


def _texts(document: Document) -> list[str]:
    return [c.text for g in document.grids() for c in g.cells]


def _encoding(document: Document) -> tuple[Severity, str]:
    (diagnostic,) = (d for d in document.diagnostics if d.code == "encoding")
    return diagnostic.severity, diagnostic.message


def test_gbk_bytes_with_http_equiv_charset() -> None:
    document = reader.read(GB_PAGE.format(TABLE).encode("gbk"))
    assert _texts(document) == ["商业企业", "本年增/减"]
    assert _encoding(document) == (Severity.INFO, "decoded as gb18030 (<meta charset> says 'gb2312')")


def test_meta_charset_and_gb18030_only_characters() -> None:
    page = "<meta charset=GBK><table><tr><td>沭阳\u20ac</td><td>1</td></tr></table>"
    document = reader.read(page.encode("gb18030"))
    assert _texts(document) == ["沭阳\u20ac", "1"]
    assert _encoding(document)[0] is Severity.INFO


def test_utf8_page_declaring_gb2312_is_read_as_utf8() -> None:
    document = reader.read(GB_PAGE.format(TABLE).encode("utf-8"))
    assert _texts(document) == ["商业企业", "本年增/减"]
    severity, message = _encoding(document)
    assert severity is Severity.INFO
    assert message == "decoded as utf-8 (<meta charset> says 'gb2312', but the bytes are not valid gb18030)"


def test_undeclared_gbk_falls_back_to_gb18030() -> None:
    document = reader.read(f"<body>{TABLE}</body>".encode("gbk"))
    assert _texts(document) == ["商业企业", "本年增/减"]
    assert _encoding(document) == (Severity.INFO, "decoded as gb18030 (not UTF-8; no encoding declared)")


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])
def test_byte_order_marks(codec: str) -> None:
    data = GB_PAGE.format(TABLE).encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
    document = reader.read(data)
    assert _texts(document) == ["商业企业", "本年增/减"]
    severity, message = _encoding(document)
    assert severity is Severity.INFO
    assert message.endswith("(byte order mark)")


def test_utf8_byte_order_mark_is_plain_utf8() -> None:
    document = reader.read(GB_PAGE.format(TABLE).replace("gb2312", "utf-8").encode("utf-8-sig"))
    assert _texts(document) == ["商业企业", "本年增/减"]
    assert _codes(document) == []


def test_undecodable_bytes_are_replaced_and_said() -> None:
    data = (
        "<meta charset='utf-8'><p>前言</p>\n<table><tr><td>数量</td><td>".encode()
        + b"\xff\xfe\x81"
        + b"</td></tr></table>"
    )
    data = b"\xef\xbb\xbf" + data
    document = reader.read(data)
    (diagnostic,) = (d for d in document.diagnostics if d.code == "undecodable-bytes")
    assert diagnostic.severity is Severity.WARNING
    assert "line 2" in diagnostic.message
    assert diagnostic.location.line == 2


def test_unknown_declared_charset_is_ignored_and_said() -> None:
    document = reader.read("<meta charset='klingon'><p>公开</p>".encode("gbk"))
    assert [p.text for p in document.paragraphs()] == ["公开"]
    assert "unknown encoding (ignored)" in _encoding(document)[1]


# --------------------------------------------------------------------------------------
# Detection and the missing extra
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "<!DOCTYPE html><html><body></body></html>",
        "\ufeff  <html lang='zh'>",
        "<!-- saved page --><p>一、总体情况</p>",
        "<table><tr><td>1</td></tr></table>",
        "<?xml version='1.0'?><html xmlns='http://www.w3.org/1999/xhtml'>",
        "某局年度报告\n<div>x</div><body>",
        "报告正文……\n<table border=1><tr><td>自然人</td></tr></table>",
        b"<meta charset='gbk'><p>\xb9\xab\xbf\xaa</p>",
    ],
)
def test_detect_claims_html(text: str | bytes) -> None:
    assert reader.detect(text)


@pytest.mark.parametrize(
    "text",
    [
        "某局2023年政府信息公开工作年度报告\n一、总体情况\n\t821\n",
        "# 报告\n\n| 项目 | 数量 |\n|---|---|\n| 规章 | 1<br>2 |\n",
        "| a | b |\n| --- | --- |\n| <table><tr><td>x</td></tr></table> | 1 |\n",
        "<2019年度报告>\n总计 < 100 且 > 50",
        "",
    ],
)
def test_detect_leaves_text_and_markdown_alone(text: str) -> None:
    assert not reader.detect(text)


@pytest.mark.samples
def test_detect_leaves_the_real_text_samples_alone(samples: Path) -> None:
    for path in sorted(samples.glob("*.txt")) + sorted(samples.glob("*.md")):
        if path.name != "README.md":
            assert not reader.detect(path.read_text(encoding="utf-8")), path.name
    assert reader.detect((samples / SAMPLE).read_bytes())


def test_missing_lxml_says_which_extra_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_lxml(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "lxml" or name.startswith("lxml."):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_lxml)
    for module in [m for m in sys.modules if m == "lxml" or m.startswith("lxml.")]:
        monkeypatch.delitem(sys.modules, module)
    assert reader.detect("<p>x</p>")  # detection needs no parser
    with pytest.raises(ImportError, match=r'pip install "opengov\[html\]"'):
        reader.read("<p>x</p>")


# --------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------

_CELL_TEXT = st.text(alphabet=st.sampled_from("0123456789-/万元件自然人总计（）、.&<>\"'"), min_size=0, max_size=6)


@st.composite
def _tilings(draw: st.DrawFn) -> list[list[tuple[int, int, int, int, str]]]:
    """Rows of (row, col, rowspan, colspan, text) that tile a rectangle without overlap."""
    n_rows = draw(st.integers(1, 6))
    n_cols = draw(st.integers(1, 7))
    taken: set[tuple[int, int]] = set()
    rows: list[list[tuple[int, int, int, int, str]]] = []
    for r in range(n_rows):
        row = []
        for c in range(n_cols):
            if (r, c) in taken:
                continue
            width = 1
            while c + width < n_cols and (r, c + width) not in taken:
                width += 1
            colspan = draw(st.integers(1, width))
            rowspan = draw(st.integers(1, n_rows - r))
            while any((r + y, c + x) in taken for y in range(rowspan) for x in range(colspan)):
                rowspan -= 1
            taken.update((r + y, c + x) for y in range(rowspan) for x in range(colspan))
            row.append((r, c, rowspan, colspan, draw(_CELL_TEXT)))
        rows.append(row)
    return rows


@given(_tilings())
def test_any_spanned_table_reads_back_cell_for_cell(rows: list[list[tuple[int, int, int, int, str]]]) -> None:
    body = "".join(
        "<tr>"
        + "".join(f'<td rowspan="{rs}" colspan="{cs}">{html.escape(text)}</td>' for _, _, rs, cs, text in row)
        + "</tr>\n"
        for row in rows
    )
    document = reader.read(f"<html><body><p>表</p><table>\n{body}</table></body></html>")
    expected = sorted(cell for row in rows for cell in row)
    if max(len(row) for row in rows) <= 1:  # a single column of cells lays out text
        assert list(document.grids()) == []
        return
    grid = _only_grid(document)
    assert _cells(grid) == expected
    assert document.diagnostics == ()


_MARKUP = st.sampled_from(
    [
        *("<table>", "</table>", "<tr>", "</tr>", "<td>", "</td>", "<th colspan=3>", "<td rowspan=99>", "<p>", "</p>"),
        *("<br>", "<br/>", "&nbsp;", "&#0;", "&#xD800;", "<!--", "-->", "<![CDATA[", "<?xml encoding='gbk'?>", "\x00"),
        *("<script>", "</script>", "<tbody>", "<caption>", "<div hidden>", "<img>", "\ufeff", "<", ">", "&", "\ud800"),
    ]
)


@st.composite
def _edited_pages(draw: st.DrawFn, page: str) -> str:
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(page)))
        if draw(st.booleans()):
            page = page[:at] + draw(st.one_of(_MARKUP, st.text(max_size=5))) + page[at:]
        else:
            page = page[:at] + page[at + draw(st.integers(0, 200)) :]
    if draw(st.booleans()):
        page = page[: draw(st.integers(0, len(page)))]
    return page


def _read_or_parse_error(source: str | bytes) -> None:
    try:
        document = reader.read(source)
    except opengov.ParseError:
        return
    assert isinstance(document, Document)
    for grid in document.grids():
        assert grid.cells
        assert all(c.row >= 0 and c.row + c.rowspan <= grid.n_rows for c in grid.cells)
        assert all(c.col >= 0 and c.col + c.colspan <= grid.n_cols for c in grid.cells)
        covered = [(c.row + y, c.col + x) for c in grid.cells for y in range(c.rowspan) for x in range(c.colspan)]
        assert len(covered) == len(set(covered)), "cells overlap"


_FIXTURE_OK = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.mark.samples
@_FIXTURE_OK
@given(st.data())
def test_edited_real_pages_give_a_document(samples: Path, data: st.DataObject) -> None:
    page = data.draw(_edited_pages((samples / SAMPLE).read_text(encoding="utf-8")))
    _read_or_parse_error(page)


@pytest.mark.samples
@_FIXTURE_OK
@given(st.data(), st.sampled_from(["utf-8", "gb18030", "utf-16"]))
def test_edited_real_pages_as_bytes_give_a_document(samples: Path, data: st.DataObject, codec: str) -> None:
    page = data.draw(_edited_pages((samples / SAMPLE).read_text(encoding="utf-8")))
    _read_or_parse_error(page.encode(codec, "surrogatepass" if codec.startswith("utf") else "replace"))


@given(st.lists(st.one_of(_MARKUP, st.text(max_size=4)), max_size=40).map("".join))
def test_random_markup_gives_a_document(page: str) -> None:
    _read_or_parse_error(page)


@given(st.binary(max_size=300))
def test_random_bytes_give_a_document(data: bytes) -> None:
    _read_or_parse_error(data)


def test_nesting_past_the_parser_limit_is_an_error_not_a_silent_loss() -> None:
    page = "<p>前言</p>" + "<div>" * 300 + "<table><tr><td>a</td><td>1</td></tr></table>" + "</div>" * 300
    document = reader.read(page)
    assert [p.text for p in document.paragraphs()] == ["前言"]
    truncated = [d for d in document.diagnostics if d.code == "html-truncated"]
    assert len(truncated) == 1
    assert truncated[0].severity is Severity.ERROR
    assert truncated[0].location.line == 1
    assert "the rest of the page is not read" in truncated[0].message


def test_deep_nesting_gives_a_document() -> None:
    _read_or_parse_error("<div>" * 5000 + "<table><tr><td>a</td><td>1</td></tr></table>" + "</div>" * 5000)
    _read_or_parse_error("<table><tr><td>" * 600 + "x")
