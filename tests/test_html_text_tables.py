"""A page without a data table (``<table>``) whose text prints the tables — a cell per
``<p>`` or ``<div>``, a row per line, the report's text in ``<pre>`` — is read from its text:
every figure exact, located on the source line of the element that holds it."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings

import opengov
from budget import examples
from opengov import Report, Severity
from opengov._codec import cell_text
from opengov._readers import html
from opengov.testing import reports

pytest.importorskip("lxml", reason="the HTML reader needs the html extra (lxml)")

REFERENCE = (Path(__file__).resolve().parent / "data" / "zhapu-2023.txt").read_text(encoding="utf-8")


def _tables(report: Report) -> tuple[object, ...]:
    return (report.format, report.organ, report.year, report.table2, report.table3, report.table4)


def _untabled(page: str, cell: str, row: str | None) -> str:
    """The rendered page with its table elements replaced: each cell by ``cell`` (an element
    name), each row by ``row`` (or nothing), the table's own elements dropped; one element
    per source line."""
    page = re.sub(r"</?(?:table|tbody|thead|tfoot|colgroup|col|caption)\b[^>]*>", "\n", page)
    page = re.sub(r"<t[dh]\b[^>]*>", f"\n<{cell}>", page)
    page = re.sub(r"</t[dh]>", f"</{cell}> ", page)
    page = re.sub(r"<tr\b[^>]*>", f"\n<{row}>" if row else "\n", page)
    return re.sub(r"</tr>", f"</{row}>\n" if row else "\n", page)


def _lines_page(text: str, wrap: Callable[[str], str]) -> str:
    return "<html><body>\n" + "\n".join(wrap(line) for line in text.split("\n")) + "\n</body></html>"


VARIANTS: dict[str, Callable[[Report], str]] = {
    "div-per-cell": lambda r: _untabled(str(opengov.render(r, "html")), "div", None),
    "p-per-cell": lambda r: _untabled(str(opengov.render(r, "html")), "p", None),
    "span-cells-div-rows": lambda r: _untabled(str(opengov.render(r, "html")), "span", "div"),
}
"""A report's page with its tables made of other elements."""

TEXT_PAGES: dict[str, Callable[[str], str]] = {
    "pre": lambda text: "<html><body><pre>\n" + text + "</pre></body></html>",
    "p-per-line": lambda text: _lines_page(text, lambda line: f"<p>{line}</p>"),
    "br-per-line": lambda text: "<html><body><div>\n" + "<br>\n".join(text.split("\n")) + "</div></body></html>",
}
"""A page showing the reference example's text."""


def _assert_read_from_text(page: str, expected: Report) -> opengov.ParseResult:
    result = opengov.parse(page)
    assert _tables(result.report) == _tables(expected)
    assert not result.errors, result.errors
    codes = [d.code for d in result.diagnostics]
    assert "html-no-tables" not in codes
    notes = [d for d in result.diagnostics if d.code == html.TEXT_TABLES]
    assert len(notes) == 1
    assert notes[0].severity is Severity.INFO
    return result


def _assert_located(result: opengov.ParseResult, page: str, row_end: str | None = None) -> int:
    """Every located cell is on the source line that prints its figure (with ``row_end``:
    the line where the row element holding it starts, the figure on a line up to the one
    that ends it); returns how many."""
    lines = page.splitlines()
    checked = 0
    for key, location in result.locations.items():
        assert location.line is not None, (key, location)
        first = last = location.line - 1
        if row_end is not None:
            while row_end not in lines[last]:
                last += 1
        printed = "\n".join(lines[first : last + 1])
        assert cell_text(result.report.cell(*key)) in printed, (key, location)
        checked += 1
    return checked


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_the_reference_with_tables_of_other_elements_reads_as_the_reference(variant: str) -> None:
    reference = opengov.parse(REFERENCE).report
    page = VARIANTS[variant](reference)
    assert "<table" not in page
    result = _assert_read_from_text(page, reference)
    # a row of spans in a <div> is one line of the page's text: located where the row starts
    assert _assert_located(result, page, "</div>" if variant == "span-cells-div-rows" else None) >= 150


@pytest.mark.parametrize("variant", sorted(TEXT_PAGES))
def test_a_page_showing_the_reference_text_reads_as_the_reference(variant: str) -> None:
    page = TEXT_PAGES[variant](REFERENCE)
    result = _assert_read_from_text(page, opengov.parse(REFERENCE).report)
    assert _assert_located(result, page) >= 150


def test_a_page_without_tables_in_its_text_still_says_it_has_none() -> None:
    page = (
        "<html><body><h1>某某局2023年度政府信息公开工作年度报告</h1><p>一、总体情况</p><img src='t.png'></body></html>"
    )
    document = html.read(page)
    assert document.tables_missing
    assert [d.code for d in document.diagnostics] == ["html-no-tables"]


def test_a_page_with_a_data_table_is_not_read_from_its_text() -> None:
    page = str(opengov.render(opengov.parse(REFERENCE).report, "html"))
    assert not any(d.code == html.TEXT_TABLES for d in opengov.parse(page).diagnostics)


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@settings(max_examples=examples(30))
@given(report=reports())
def test_a_consistent_report_with_tables_of_other_elements_reads_back(variant: str, report: Report) -> None:
    _assert_read_from_text(VARIANTS[variant](report), report)
