"""Markdown whose tables are not pipe tables — left as TAB rows by a converter, or broken
into single rows by a blank line after every line — is still read: every figure exact, on
its line and column of the Markdown."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings

import opengov
from budget import examples
from opengov import Report, Severity
from opengov._codec import cell_text
from opengov._grid import Paragraph
from opengov._readers import markdown
from opengov._readers import text as text_reader
from opengov.testing import any_reports, reports

REFERENCE = (Path(__file__).resolve().parent / "data" / "zhapu-2023.txt").read_text(encoding="utf-8")
_DELIMITER = re.compile(r"\|?[\s:|-]+\|?")


def _tables(report: Report) -> tuple[object, ...]:
    return (report.format, report.organ, report.year, report.table2, report.table3, report.table4)


def _tabbed(page: str) -> str:
    """The Markdown with each pipe table row as its cells joined by TABs, delimiter rows
    dropped: a table a converter left as text."""
    out = []
    for line in page.split("\n"):
        row = line.strip()
        if row.startswith("|"):
            if not _DELIMITER.fullmatch(row):
                out.append("\t".join(cell.strip() for cell in row.strip("|").split("|")))
        else:
            out.append(line)
    return "\n".join(out)


def _reference_markdown() -> tuple[Report, str]:
    report = opengov.parse(REFERENCE).report
    return report, str(opengov.render(report, "markdown"))


def test_markdown_with_its_tables_as_tab_rows_reads_as_the_reference() -> None:
    report, page = _reference_markdown()
    text = _tabbed(page)
    assert "|" not in text
    result = opengov.parse(text)
    assert result.form == "markdown"
    assert result.report == report  # headings read as headings: title, organ and prose too
    notes = [d for d in result.diagnostics if d.code == markdown.TEXT_TABLES]
    assert len(notes) == 1
    assert notes[0].severity is Severity.INFO
    lines = text.splitlines()
    checked = 0
    for key, location in result.locations.items():
        assert location.line is not None, (key, location)
        assert location.column is not None, (key, location)
        assert lines[location.line - 1][location.column - 1 :].startswith(cell_text(report.cell(*key)))
        checked += 1
    assert checked >= 150


def test_double_spaced_markdown_reads_as_the_markdown() -> None:
    report, page = _reference_markdown()
    single = opengov.parse(page)
    doubled = page.replace("\n", "\n\n")
    result = opengov.parse(doubled)
    assert result.report == report
    assert [d.code for d in result.diagnostics] == [text_reader.DOUBLE_SPACED]
    for key, location in result.locations.items():
        assert location.line == 2 * single.locations[key].line - 1  # type: ignore[operator]
        assert location.column == single.locations[key].column


def test_markdown_of_single_line_paragraphs_keeps_them_apart() -> None:
    """Markdown whose paragraphs are single lines between blank lines is double-spaced too:
    without a table to find, it is read as it is (its paragraphs not joined)."""
    lines = ["# 某某局2023年度政府信息公开工作年度报告", "## 一、总体情况"]
    lines += [f"第{n}段。" for n in range(text_reader.DOUBLE_SPACED_LINES)]
    document = markdown.read("\n\n".join(lines))
    paragraphs = [block.text for block in document.blocks if isinstance(block, Paragraph)]
    assert paragraphs == ["某某局2023年度政府信息公开工作年度报告", "一、总体情况", *lines[2:]]
    assert not document.diagnostics


@settings(max_examples=examples(40))
@given(reports())
def test_a_consistent_report_in_markdown_with_tab_rows_reads_back(report: Report) -> None:
    result = opengov.parse(_tabbed(str(opengov.render(report, "markdown"))))
    assert _tables(result.report) == _tables(report)
    assert not result.errors, result.errors


@settings(max_examples=examples(60))
@given(any_reports())
def test_any_report_in_double_spaced_markdown_reads_back(report: Report) -> None:
    page = str(opengov.render(report, "markdown"))
    assert opengov.parse(page.replace("\n", "\n\n")).report == opengov.parse(page).report


def _piped(page: str) -> str:
    """The Markdown with its delimiter rows dropped: pipe rows that are no Markdown table."""
    return "\n".join(line for line in page.split("\n") if not _DELIMITER.fullmatch(line.strip()) or not line.strip())


def test_pipe_rows_without_delimiter_rows_read_as_the_reference() -> None:
    """With its headings (Markdown, no pipe table) and without them (plain text): the pipes
    split the cells as white space does, every figure located at its column."""
    report, page = _reference_markdown()
    piped = _piped(page)
    assert "|--" not in piped
    plain = "\n".join(line.lstrip("#").strip() if line.startswith("#") else line for line in piped.split("\n"))
    for text, form in ((piped, "markdown"), (plain, "text")):
        result = opengov.parse(text)
        assert result.form == form
        assert _tables(result.report) == _tables(report)
        assert not result.errors, result.errors
        lines = text.splitlines()
        for key, location in result.locations.items():
            assert location.line is not None, (key, location)
            assert location.column is not None, (key, location)
            assert lines[location.line - 1][location.column - 1 :].startswith(cell_text(report.cell(*key)))


def test_pipes_become_spaces_and_rule_lines_blank() -> None:
    lines = ["| 规章 | 0 | 1 |", "|---|:--:|", "｜行政许可｜3｜", "无竖线 1 2", "+--+--+ |"]
    unpiped = text_reader._unpiped(lines)
    assert unpiped == ["  规章   0   1  ", "", " 行政许可 3 ", "无竖线 1 2", ""]


@settings(max_examples=examples(40))
@given(reports())
def test_a_consistent_report_in_pipe_rows_without_delimiters_reads_back(report: Report) -> None:
    result = opengov.parse(_piped(str(opengov.render(report, "markdown"))))
    assert _tables(result.report) == _tables(report)
    assert not result.errors, result.errors
