"""Markdown whose tables are HTML ``<table>`` blocks, as OCR and PDF converters write a table
with merged cells (a pipe table cannot merge them): the Markdown reader reads each block with
the HTML reader, its headings and paragraphs as Markdown, every cell located on its line of
the Markdown.  Read as HTML, such a text lost its title and its prose (HTML joins lines), and
given as ``form="markdown"`` it lost every table."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import opengov
from budget import examples
from opengov import Report
from opengov._codec import cell_text
from opengov._grid import Grid, Paragraph
from opengov._readers import html, markdown
from opengov.testing import any_reports, reports

REFERENCE = (Path(__file__).resolve().parent / "data" / "zhapu-2023.txt").read_text(encoding="utf-8")
_TABLE = re.compile(r"<table\b.*?</table>", re.S)


def _converted(report: Report, *, one_line: bool = True, wrapped: bool = False) -> str:
    """The report as a converter writes it: its HTML rendering's headings as ``#`` headings,
    its paragraphs as Markdown paragraphs, its tables as HTML (each on one line, or as the
    renderer broke it into lines; ``wrapped``: inside ``<html><body>`` as some OCR tools
    write them)."""
    page = str(opengov.render(report, "html"))
    body = page[page.index("<body>") + len("<body>") : page.index("</body>")]
    tables: list[str] = []

    def keep(match: re.Match[str]) -> str:
        table = match.group(0).replace("\n", "") if one_line else match.group(0)
        tables.append(f"<html><body>{table}</body></html>" if wrapped else table)
        return f"\x00{len(tables) - 1}\x00"

    body = _TABLE.sub(keep, body)
    out: list[str] = []
    for line in body.split("\n"):
        if not line.strip():
            continue
        heading = re.fullmatch(r"<h([1-6])>(.*)</h\1>", line)
        paragraph = re.fullmatch(r"<p>(.*)</p>", line)
        table = re.fullmatch(r"\x00(\d+)\x00", line)
        if heading:
            out.append("#" * int(heading.group(1)) + " " + heading.group(2))
        elif paragraph:
            out.append(paragraph.group(1))
        elif table:
            out.append(tables[int(table.group(1))])
        else:
            out.append(line)
    return "\n\n".join(out) + "\n"


def _unheaded(text: str) -> str:
    """The converted text with its ``#`` headings as plain paragraphs (a converter that marks
    no heading)."""
    return re.sub(r"(?m)^#{1,6} ", "", text)


def _unescaped(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")


def test_the_reference_with_html_tables_reads_as_the_reference() -> None:
    report = opengov.parse(REFERENCE).report
    text = _converted(report)
    assert "|" not in text
    assert text.count("<table") == 3
    assert not html.detect(text)  # Markdown (headings), though it holds HTML tables
    for form in ("auto", "markdown"):
        result = opengov.parse(text, form=form)
        assert result.form == "markdown"
        assert result.report == report  # title, organ, year and prose too
        assert not result.diagnostics
    result = opengov.parse(text)
    lines = text.splitlines()
    checked = 0
    for key, location in result.locations.items():
        assert location.line is not None, (key, location)
        assert location.table in (1, 2, 3), (key, location)
        assert location.row is not None, (key, location)
        assert location.cell is not None, (key, location)
        assert f">{cell_text(report.cell(*key))}<" in _unescaped(lines[location.line - 1]), (key, location)
        checked += 1
    assert checked >= 150


@pytest.mark.parametrize("wrapped", [False, True])
def test_plain_text_with_html_tables_reads_as_the_reference(wrapped: bool) -> None:
    """Without a heading marked: its paragraphs (split by blank lines) stay apart, where the
    HTML reader ran them into one."""
    report = opengov.parse(REFERENCE).report
    text = _unheaded(_converted(report, wrapped=wrapped))
    assert "#" not in text
    assert markdown.has_html_table_blocks(text)
    assert not html.detect(text)
    result = opengov.parse(text)
    assert result.form == "markdown"
    assert result.report == report


def test_a_page_with_paragraph_tags_outside_its_tables_is_html() -> None:
    text = "<p>某某局2023年度政府信息公开工作年度报告</p>\n\n<table><tr><td>规章</td><td>1</td></tr></table>\n\n文字"
    assert not markdown.has_html_table_blocks("前言\n\n" + text)
    assert html.detect("前言\n\n" + text)
    assert not markdown.has_html_table_blocks("<table><tr><td>1</td></tr></table>")  # no text outside


def test_tables_over_several_lines_and_wrapped_in_a_page_read_alike() -> None:
    report = opengov.parse(REFERENCE).report
    for one_line, wrapped in ((False, False), (True, True), (False, True)):
        text = _converted(report, one_line=one_line, wrapped=wrapped)
        result = opengov.parse(text)
        assert result.form == "markdown", (one_line, wrapped)
        assert result.report == report, (one_line, wrapped)
        lines = text.splitlines()
        for key, location in result.locations.items():
            assert location.line is not None
            assert f">{cell_text(report.cell(*key))}<" in _unescaped(lines[location.line - 1]), (key, location)


def test_a_table_never_closed_ends_at_the_first_blank_line() -> None:
    """As CommonMark's HTML blocks do: the Markdown after it is read as Markdown."""
    text = "\n".join(
        [
            "# 某某局2023年政府信息公开工作年度报告",
            "",
            "<table><tr><td>规章</td><td>1</td><td>0</td><td>3</td></tr>",
            "<tr><td>行政规范性文件</td><td>2</td><td>0</td><td>5</td></tr>",
            "",
            "## 四、存在的主要问题",
            "",
            "问题一。",
        ]
    )
    document = markdown.read(text)
    grids = [block for block in document.blocks if isinstance(block, Grid)]
    paragraphs = [block.text for block in document.blocks if isinstance(block, Paragraph)]
    assert len(grids) == 1
    assert grids[0].n_rows == 2
    assert [cell.location.line for cell in grids[0].cells if cell.location is not None] == [3] * 4 + [4] * 4
    assert paragraphs == ["某某局2023年政府信息公开工作年度报告", "四、存在的主要问题", "问题一。"]


def test_blocks_never_closed_are_found_in_one_pass() -> None:
    """Each block ends at the next blank line at the latest: a text of many tables never
    closed is read in one pass (a search for each one's end to the end of the text took
    quadratic time)."""
    block = "<table><tr><td>行政许可</td><td>1</td></tr>\n\n"
    assert markdown.has_html_table_blocks("# 甲\n\n## 乙\n\n" + block * 50_000)
    text = "# 甲\n\n## 乙\n\n" + block * 2_000
    document = markdown.read(text)
    grids = [b for b in document.blocks if isinstance(b, Grid)]
    assert len(grids) == 2_000
    assert grids[-1].location is not None
    assert grids[-1].location.line == 4 + 2 * 2_000 - 1


def test_a_block_without_a_data_table_stays_text() -> None:
    text = "# 标题\n\n<table></table> 之后的文字\n\n## 一、总体情况\n"
    document = markdown.read(text)
    assert not any(isinstance(block, Grid) for block in document.blocks)
    assert [block.text for block in document.blocks if isinstance(block, Paragraph)] == [
        "标题",
        "<table></table> 之后的文字",
        "一、总体情况",
    ]


def test_table_numbers_count_the_markdowns_html_tables() -> None:
    cells = "<tr><td>行政许可</td><td>{}</td></tr>"
    text = "# 甲\n\n## 乙\n\n" + "\n\n".join(f"<table>{cells.format(n)}</table>" for n in (7, 8, 9)) + "\n"
    document = markdown.read(text)
    grids = [block for block in document.blocks if isinstance(block, Grid)]
    assert [(g.location.table, g.location.line) for g in grids if g.location is not None] == [(1, 5), (2, 7), (3, 9)]
    assert [c.location.table for g in grids for c in g.cells if c.location is not None] == [1, 1, 2, 2, 3, 3]


def test_a_cell_bound_passed_inside_an_html_block_is_located_in_the_markdown() -> None:
    row = "<tr>" + "<td>1</td>" * 10 + "</tr>"
    text = "# 甲\n\n## 乙\n\n| 规章 | 1 |\n|---|---|\n\n<table>" + row * 3 + "</table>\n"
    with pytest.raises(opengov.ParseError) as error:
        opengov.parse(text, limits=opengov.Limits(cells=25))
    [diagnostic] = error.value.diagnostics
    assert diagnostic.code == "limit-cells"
    assert diagnostic.location.line == 8


def test_an_html_page_is_still_html() -> None:
    report = opengov.parse(REFERENCE).report
    page = str(opengov.render(report, "html"))
    assert html.detect(page)
    assert opengov.parse(page).form == "html"
    # a fragment of tables without headings: HTML, as before
    fragment = "".join(_TABLE.findall(page))
    assert html.detect(fragment)
    assert opengov.parse(fragment).form == "html"


@settings(max_examples=examples(40))
@given(reports(), st.booleans())
def test_a_consistent_report_in_markdown_with_html_tables_reads_back(report: Report, headed: bool) -> None:
    text = _converted(report)
    result = opengov.parse(text if headed else _unheaded(text))
    assert result.form == "markdown"
    assert result.report == report
    assert not result.errors, result.errors


@settings(max_examples=examples(40))
@given(any_reports())
def test_any_report_reads_from_html_tables_in_markdown_as_from_its_page(report: Report) -> None:
    """Whatever the report (inconsistent, blank and placeholder cells, either format), its
    tables read from HTML blocks in Markdown as from its HTML page."""
    page = opengov.parse(str(opengov.render(report, "html"))).report
    assert opengov.parse(_converted(report, one_line=False)).report == page
