"""Rendering: text (box and ASCII), Markdown and HTML — shapes, goldens, round trips."""

from __future__ import annotations

import html.parser
import io
import re
import runpy
import zipfile
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from wcwidth import wcswidth

import opengov
from opengov._grid import Grid
from opengov._model import BLANK, Placeholder
from opengov._readers import boxtext
from opengov._writers.layout_grid import report_grids
from opengov.testing import any_reports, reports

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"

# The reference report as read by hand (the parser's golden file), prose included.
REFERENCE = opengov.loads((DATA / "zhapu-2023.expected.json").read_text(encoding="utf-8"))
STYLES = ("box", "ascii")
TABLE_START = re.compile(r"^[┌├└│+|]")


def shape(grid: Grid) -> tuple[int, int, list[tuple[int, int, int, int, str]]]:
    """What a printed grid must preserve: extent, spans and texts (not header flags)."""
    cells = sorted((c.row, c.col, c.rowspan, c.colspan, c.text) for c in grid.cells)
    return grid.n_rows, grid.n_cols, cells


def table_blocks(text: str) -> list[list[str]]:
    """Runs of consecutive table lines of a text rendering."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in text.split("\n"):
        if TABLE_START.match(line):
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    return blocks


def expected_paragraphs(report: opengov.Report) -> list[str]:
    """Title, preamble, then each heading followed by its prose, in order (spelled here)."""
    out = [report.title, *report.preamble]
    for heading, prose in [
        ("一、总体情况", report.overview),
        ("二、主动公开政府信息情况", ()),
        ("三、收到和处理政府信息公开申请情况", ()),
        ("四、政府信息公开行政复议、行政诉讼情况", ()),
        ("五、存在的主要问题及改进情况", report.problems),
        ("六、其他需要报告的事项", report.other_matters),
    ]:
        out += [heading, *prose]
    return out


# -- the grids mirror the official template -----------------------------------------------


def _docx_grids(path: Path) -> list[list[tuple[int, int, int, int, str]]]:
    """The merged-cell structure of each table of a .docx (gridSpan/vMerge), read here."""
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    grids = []
    for table in re.findall(r"<w:tbl>.*?</w:tbl>", xml, re.S):
        cells: list[list[int | str]] = []
        open_at: dict[int, list[int | str]] = {}
        for r, tr in enumerate(re.findall(r"<w:tr[ >].*?</w:tr>", table, re.S)):
            c = 0
            for tc in re.findall(r"<w:tc>.*?</w:tc>", tr, re.S):
                span = int(m.group(1)) if (m := re.search(r'<w:gridSpan w:val="(\d+)"', tc)) else 1
                merge = re.search(r'<w:vMerge(?: w:val="(\w+)")?', tc)
                text = "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", tc)).strip().replace("\u3000", "")
                if merge and merge.group(1) != "restart":
                    cell = open_at[c]
                    cell[2] = int(cell[2]) + 1
                else:
                    cell = [r, c, 1, span, text]
                    cells.append(cell)
                    open_at[c] = cell
                c += span
        grids.append(sorted((int(a), int(b), int(d), int(e), str(t)) for a, b, d, e, t in cells))
    return grids


@pytest.mark.samples
def test_grids_have_the_merged_cells_of_the_official_template(samples: Path) -> None:
    template = _docx_grids(samples / "template-2021.docx")
    empty = opengov.Report(
        format="2021",
        table2=REFERENCE.table2,
        table3=REFERENCE.table3,
        table4=REFERENCE.table4,
    )
    # the template's data cells are empty: compare spans everywhere and texts of label cells
    for ours, theirs in zip(report_grids(empty).values(), template, strict=True):
        labels = {(c.row, c.col): c.text for c in ours.cells if c.header}
        mine = sorted((c.row, c.col, c.rowspan, c.colspan, labels.get((c.row, c.col), "")) for c in ours.cells)
        assert mine == theirs


def test_table3_spans_of_both_formats() -> None:
    for fmt, outcome_rows, groups in (("2021", 22, [8, 3, 5, 3]), ("2019", 20, [8, 3, 5])):
        table3 = opengov._model.TABLE3_TYPES[opengov.Format(fmt)].build(
            new_received=opengov.ApplicantCounts.build(natural_person=1)
        )
        grid = report_grids(opengov.Report(format=fmt, table3=table3))["table3"]
        assert (grid.n_rows, grid.n_cols) == (3 + (25 if fmt == "2021" else 23), 10)
        assert sorted(c.rowspan for c in grid.cells if c.col == 1 and c.rowspan > 1) == sorted(groups)
        assert [(c.text, c.rowspan) for c in grid.cells if c.col == 0 and c.row == 5] == [
            ("三、本年度办理结果", outcome_rows)
        ]


def assert_covered_once(report: opengov.Report) -> None:
    for grid in report_grids(report).values():
        covered = [[0] * grid.n_cols for _ in range(grid.n_rows)]
        for cell in grid.cells:
            for r in range(cell.row, cell.row + cell.rowspan):
                for c in range(cell.col, cell.col + cell.colspan):
                    covered[r][c] += 1
        assert all(count == 1 for row in covered for count in row)


# -- text --------------------------------------------------------------------------------


# Generating a report is the slow part of these properties, so each draws one report and
# checks everything about its text rendering in both styles.
@given(any_reports(absent=False))
def test_text_reads_back_to_the_same_grids_and_paragraphs(report: opengov.Report) -> None:
    assert_covered_once(report)
    for style in STYLES:
        text = opengov.render(report, to="text", style=style)  # type: ignore[arg-type]
        blocks = table_blocks(text)
        assert len(blocks) == 3
        for block in blocks:  # every line of a table has the same display width
            assert len({wcswidth(line) for line in block}) == 1
        assert boxtext.detect(text)
        document = boxtext.read(text)
        assert [shape(g) for g in document.grids()] == [shape(g) for g in report_grids(report).values()]
        assert [p.text for p in document.paragraphs()] == expected_paragraphs(report)


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("zhapu-2023.rendered.txt", {"to": "text"}),
        ("zhapu-2023.rendered.ascii.txt", {"to": "text", "style": "ascii"}),
        ("zhapu-2023.rendered.md", {"to": "markdown"}),
        ("zhapu-2023.rendered.html", {"to": "html"}),
    ],
)
def test_reference_report_matches_its_golden_file(name: str, options: dict[str, str]) -> None:
    golden = (DATA / name).read_text(encoding="utf-8")
    assert opengov.render(REFERENCE, **options) == golden, f"{name} is stale: python tests/data/regen_rendered.py"  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["zhapu-2023.rendered.txt", "zhapu-2023.rendered.ascii.txt"])
def test_golden_tables_have_equal_display_width_lines(name: str) -> None:
    blocks = table_blocks((DATA / name).read_text(encoding="utf-8"))
    assert len(blocks) == 3
    for block in blocks:
        assert len({wcswidth(line) for line in block}) == 1


def test_reference_table3_prints_the_official_header() -> None:
    text = (DATA / "zhapu-2023.rendered.txt").read_text(encoding="utf-8")
    table3 = table_blocks(text)[1]
    assert table3[0].startswith("┌─")
    assert "┬" in table3[0]
    assert "│ （本列数据的勾稽关系为：" in table3[1]
    assert "│ 申请人情况" in table3[1]
    assert "│ 一、本年新收政府信息公开申请数量" in text
    # 三、本年度办理结果 prints one character per line down its 22 rows
    start = next(i for i, line in enumerate(table3) if line.startswith("│ 三 │"))
    column = [line[2] for line in table3[start:] if line[2] != " "]
    assert "".join(column[:10]) == "三、本年度办理结果─"  # then the border under （七）总计


def test_a_report_without_tables_prints_headings_only() -> None:
    report = attrs.evolve(REFERENCE, table2=None, table3=None, table4=None, overview=())
    text = opengov.render(report)
    assert "┌" not in text
    assert text.split("\n\n")[1:3] == ["一、总体情况", "二、主动公开政府信息情况"]
    assert not boxtext.detect(text)


def test_placeholders_and_blanks_print_as_they_were() -> None:
    report = REFERENCE.with_cell("table3", "granted", "research", Placeholder(glyph="—"))
    report = report.with_cell("table3", "granted", "total", BLANK)
    grid = next(g for g in boxtext.read(opengov.render(report, style="ascii")).grids() if g.n_cols == 10)
    expanded = grid.expanded()
    assert expanded[5][3:] == ["19", "1", "—", "0", "0", "0", ""]


def test_ascii_refuses_a_cell_that_would_read_back_as_a_border() -> None:
    report = REFERENCE.with_cell("table4", "reconsideration", "upheld", Placeholder(glyph="|"))
    with pytest.raises(ValueError, match=r"cannot draw the cell '\|' .* in the ascii style: it contains"):
        opengov.render(report, style="ascii")
    last_row = opengov.render(report, to="markdown").split("\n## 五")[0].strip().split("\n")[-1]
    assert last_row.startswith("| \\| ")  # Markdown escapes it


def test_reader_names_the_line_of_a_ragged_table() -> None:
    lines = opengov.render(REFERENCE).split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith("│ 规章"))
    lines[index] = lines[index] + " "
    with pytest.raises(opengov.ParseError, match=rf"line {index + 1}") as info:
        boxtext.read("\n".join(lines))
    assert info.value.diagnostics[0].code == "ragged-table"


def test_reader_gives_cells_their_line_and_column() -> None:
    text = opengov.render(REFERENCE)
    grid = next(boxtext.read(text).grids())
    cell = next(c for c in grid.cells if c.text == "22738")
    assert cell.location is not None
    assert cell.location.line is not None
    assert "22738" in text.split("\n")[cell.location.line - 1]


# -- Markdown -----------------------------------------------------------------------------


def pipe_rows(lines: list[str]) -> list[list[str]]:
    """The cells of a pipe table, split on unescaped pipes (the separator row dropped)."""
    rows = []
    for line in lines:
        parts = [p.strip().replace("\\|", "|") for p in re.split(r"(?<!\\)\|", line)[1:-1]]
        if not all(re.fullmatch(r"-+", p) for p in parts):
            rows.append(parts)
    return rows


@given(any_reports(absent=False))
def test_markdown_and_html_hold_every_cell_as_printed(report: opengov.Report) -> None:
    check_html(report)
    text = opengov.render(report, to="markdown")
    tables = [pipe_rows(block) for block in _pipe_blocks(text)]
    assert len(tables) == len(report.layout.table2.blocks) + 2
    t3, t4 = tables[-2], tables[-1]
    assert t3[0][1:3] == ["自然人", "法人或其他组织/商业企业"]
    assert t3[3][0] == "三、本年度办理结果/（一）予以公开"
    assert t3[5][0] == "三、本年度办理结果/（三）不予公开/1.属于国家秘密"
    assert t4[0][5] == "行政诉讼/未经复议直接起诉/结果维持"
    values = [str(c.value) if c.value is not BLANK else "" for c in report.cells()]
    data = [cell for table in tables[:-1] for row in table[1:] for cell in row[1:]] + tables[-1][1]
    assert data == values


def _pipe_blocks(text: str) -> list[list[str]]:
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in text.split("\n"):
        if line.startswith("|"):
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    return blocks


def test_markdown_headings() -> None:
    text = opengov.render(REFERENCE, to="markdown")
    assert text.startswith("# 浙江乍浦经济开发区（嘉兴港区）2023年度政府信息公开工作年度报告\n\n## 一、总体情况\n")
    assert "\n### 第二十条第（八）项\n\n| 信息内容 " in text


# -- HTML ---------------------------------------------------------------------------------


class _Tables(html.parser.HTMLParser):
    """Tables of an HTML page as (row, col, rowspan, colspan, text) with the column positions
    worked out from the spans, as a browser does."""

    def __init__(self) -> None:
        super().__init__()
        self.grids: list[list[tuple[int, int, int, int, str]]] = []
        self._taken: set[tuple[int, int]] = set()
        self._row = -1
        self._cell: list[int] | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs_: list[tuple[str, str | None]]) -> None:
        a = dict(attrs_)
        if tag == "table":
            self.grids.append([])
            self._taken, self._row = set(), -1
        elif tag == "tr":
            self._row += 1
        elif tag in ("td", "th"):
            col = 0
            while (self._row, col) in self._taken:
                col += 1
            rs, cs = int(a.get("rowspan") or 1), int(a.get("colspan") or 1)
            self._taken |= {(self._row + i, col + j) for i in range(rs) for j in range(cs)}
            self._cell, self._text = [self._row, col, rs, cs], ""

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            r, c, rs, cs = self._cell
            self.grids[-1].append((r, c, rs, cs, self._text))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._text += data


def check_html(report: opengov.Report) -> None:
    """The HTML tables have the same cells as the text tables."""
    page = opengov.render(report, to="html")
    assert page.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in page
    parser = _Tables()
    parser.feed(page)
    text_grids = boxtext.read(opengov.render(report)).grids()
    assert parser.grids == [shape(g)[2] for g in text_grids]


def test_html_escapes_everything() -> None:
    report = attrs.evolve(REFERENCE, title="<b>A & B</b>", overview=("x < y",))
    report = report.with_cell("table4", "reconsideration", "upheld", Placeholder(glyph="<i>"))
    fragment = opengov.render(report, to="html", fragment=True)
    assert "<h1>&lt;b&gt;A &amp; B&lt;/b&gt;</h1>" in fragment
    assert "<p>x &lt; y</p>" in fragment
    assert "<td>&lt;i&gt;</td>" in fragment
    assert "<html" not in fragment
    assert "<i>" not in fragment


# -- render / render_to -------------------------------------------------------------------


def test_unknown_form_lists_the_choices() -> None:
    with pytest.raises(ValueError, match=r"cannot render to 'pdf': choose one of 'text', 'markdown', 'html'"):
        opengov.render(REFERENCE, to="pdf")


def test_options_that_do_not_apply_are_refused() -> None:
    with pytest.raises(ValueError, match="style='ascii' applies to text only"):
        opengov.render(REFERENCE, to="markdown", style="ascii")
    with pytest.raises(ValueError, match="fragment=True applies to html only"):
        opengov.render(REFERENCE, to="text", fragment=True)
    with pytest.raises(ValueError, match="unknown text style 'round'"):
        opengov.render(REFERENCE, style="round")  # type: ignore[arg-type]


def test_render_to_writes_a_path_or_a_file(tmp_path: Path) -> None:
    path = tmp_path / "report.md"
    opengov.render_to(REFERENCE, path, to="markdown")
    assert path.read_bytes() == opengov.render(REFERENCE, to="markdown").encode("utf-8")
    buffer = io.StringIO()
    opengov.render_to(REFERENCE, buffer, to="text", style="ascii")
    assert buffer.getvalue() == opengov.render(REFERENCE, style="ascii")


# -- the full round trip (needs opengov.parse) --------------------------------------------

needs_parse = pytest.mark.skipif(
    not hasattr(opengov, "parse"), reason="opengov.parse (the text/Markdown parser) is not merged yet"
)


@needs_parse
@given(any_reports(absent=False))
def test_text_and_markdown_round_trip(report: opengov.Report) -> None:
    for options in ({"to": "text"}, {"to": "text", "style": "ascii"}, {"to": "markdown"}):
        text = opengov.render(report, **options)  # type: ignore[arg-type]
        parsed = opengov.parse(text).report  # type: ignore[attr-defined]
        assert parsed == report, options
        assert opengov.render(parsed, **options) == text  # type: ignore[arg-type]


@needs_parse
@given(reports())
def test_consistent_reports_round_trip_through_text(report: opengov.Report) -> None:
    assert opengov.parse(opengov.render(report)).report == report  # type: ignore[attr-defined]


def test_quickstart_prints_the_reference_tables_in_the_official_layout(capsys: pytest.CaptureFixture[str]) -> None:
    runpy.run_path(str(ROOT / "examples" / "quickstart.py"), run_name="__main__")
    out = capsys.readouterr().out
    assert out.startswith((DATA / "zhapu-2023.rendered.txt").read_text(encoding="utf-8"))
