"""Text whose tables are printed one cell per line without TABs (a page's text joined by line
breaks, a PDF's text extracted line by line): read as one line, the way crawler text on one
line is, every figure exact or left absent, every location on the line the figure is on.
And a PDF's text extracted line by line whose table 4 header is broken over lines."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings

import opengov
from budget import examples
from opengov import Report, Severity
from opengov._codec import cell_text
from opengov._grid import Grid
from opengov._readers import text as text_reader
from opengov.testing import any_reports, reports
from printing import print_reference_layout

REFERENCE = (Path(__file__).resolve().parent / "data" / "zhapu-2023.txt").read_text(encoding="utf-8")
"""The reference example, a cell per line after a TAB."""


def _tables(report: Report) -> tuple[object, ...]:
    return (report.format, report.organ, report.year, report.table2, report.table3, report.table4)


@pytest.mark.parametrize(
    "indent", ["", "    ", "\u3000", "\u00a0\u00a0"], ids=["none", "spaces", "ideographic", "nbsp"]
)
def test_the_reference_with_its_tabs_taken_out_reads_as_the_reference(indent: str) -> None:
    text = REFERENCE.replace("\t", indent)
    result = opengov.parse(text)
    assert _tables(result.report) == _tables(opengov.parse(REFERENCE).report)
    assert not result.errors, result.errors
    joined = [d for d in result.diagnostics if d.code == text_reader.JOINED]
    assert len(joined) == 1
    assert joined[0].severity is Severity.INFO
    # every figure is located on its own line, at its column
    lines = text.splitlines()
    checked = 0
    for key, location in result.locations.items():
        printed = cell_text(result.report.cell(*key))
        assert location.line is not None, (key, location)
        assert location.column is not None, (key, location)
        assert lines[location.line - 1][location.column - 1 :].startswith(printed), (key, location, printed)
        checked += 1
    assert checked >= 150  # tables 2–4 of the 2021 format: every cell located


def test_a_text_with_tab_tables_is_read_line_by_line() -> None:
    document = text_reader.read(REFERENCE)
    assert any(isinstance(block, Grid) for block in document.blocks)
    assert not any(d.code == text_reader.JOINED for d in document.diagnostics)


def _lone_figures(count: int) -> str:
    """Section headings, table labels each on a line, and ``count`` figures alone on lines."""
    figures = [str(n + 1) for n in range(count)]
    head = ["某某局2023年度政府信息公开工作年度报告", "一、总体情况", "二、主动公开政府信息情况"]
    tail = ["三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况"]
    return "\n".join([*head, "行政许可", *figures[:1], "行政处罚", *figures[1:], *tail])


def test_only_a_text_with_enough_figures_alone_on_their_lines_is_read_as_one_line() -> None:
    fewer = text_reader.read(_lone_figures(text_reader.LONE_FIGURES - 1))
    assert not any(isinstance(block, Grid) for block in fewer.blocks)
    assert not fewer.diagnostics
    enough = text_reader.read(_lone_figures(text_reader.LONE_FIGURES))
    assert any(isinstance(block, Grid) for block in enough.blocks)
    assert [d.code for d in enough.diagnostics] == [text_reader.JOINED]


@settings(max_examples=40)
@given(reports())
def test_a_consistent_report_printed_one_cell_per_line_reads_back(report: Report) -> None:
    result = opengov.parse(print_reference_layout(report, cell_prefix=""))
    assert not result.errors, result.errors
    assert _tables(result.report) == _tables(report)


@settings(max_examples=examples(200))
@given(any_reports())
def test_a_figure_printed_one_cell_per_line_is_read_exactly_or_left_absent(report: Report) -> None:
    """Blank cells print as empty lines, which also end rows: a row that lost some is left
    unread (an error), never cut into other figures."""
    result = opengov.parse(print_reference_layout(report, cell_prefix=""))
    read = result.report
    exact = 0
    for cell in report.cells():
        if getattr(read, cell.table) is None:
            continue
        got = read.cell(*cell.key)
        if got is not None:
            assert got == cell.value, (cell.key, cell.value, got)
            exact += 1
    assert exact or result.errors


def test_a_row_that_lost_its_blank_cells_is_left_unread_not_cut() -> None:
    """``规章`` printed 998, blank, blank: its two empty lines read as the end of the row, so
    one figure is left for three columns. Each line is one cell: 998 is not cut into
    9/9/8 (the only cut of three digits into three cells), the row is reported."""
    reference = opengov.parse(REFERENCE).report
    report = (
        reference.with_cell("table2", "rules", "issued", 998)
        .with_cell("table2", "rules", "repealed", opengov.BLANK)
        .with_cell("table2", "rules", "in_force", opengov.BLANK)
    )
    result = opengov.parse(print_reference_layout(report, cell_prefix=""))
    assert [result.report.cell("table2", "rules", c) for c in ("issued", "repealed", "in_force")] == [None] * 3
    assert any(e.code == "unreadable-row" and "规章" in e.message for e in result.errors), result.errors
    assert result.report.table3 == report.table3  # the other tables are read


def _table4_as_extracted_from_a_pdf(report: Report) -> list[str]:
    """Table 4 as a PDF's text extracted line by line prints it (the layout of
    ``huaian-2024.pdf``'s text layer): its header words broken over lines, its 15 figures
    on one line without a label."""
    header = ["行政复议 行政诉讼", "结果", "维持", "结 果", "纠正", "其他结", "果", "尚 未", "审结", "总计"]
    header += ["未经复议直接起诉 复议后起诉"] + [
        "结 果",
        "维持",
        "结 果",
        "纠正",
        "其 他",
        "结果",
        "尚 未",
        "审结",
        "总计",
    ] * 2
    figures = [
        cell_text(report.cell("table4", block.key, column.key))
        for block in report.layout.table4.blocks
        for column in report.layout.table4.columns
    ]
    return [*header, " ".join(figures)]


def test_a_broken_table_4_header_under_heading_four_is_read_as_table_4() -> None:
    """Its header's words broken over lines leave ``总计`` and ``其 他``, which name table 3
    too: the grid stands under heading 四 and names no row of table 3, so it is table 4."""
    reference = opengov.parse(REFERENCE).report
    lines = REFERENCE.splitlines()
    start = lines.index("四、政府信息公开行政复议、行政诉讼情况") + 1
    end = lines.index("五、存在的主要问题及改进情况")
    text = "\n".join([*lines[:start], *_table4_as_extracted_from_a_pdf(reference), *lines[end:]])
    result = opengov.parse(text)
    assert not result.errors, result.errors
    assert result.report.table4 == reference.table4
    assert not [d for d in result.diagnostics if d.code == "duplicate-row"]
