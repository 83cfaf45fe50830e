"""The HTML quirks of the real sample page, on the project's own fixture.

``tests/data/quirks/spans-2019.html`` has the tables of a real 2019 page (rowspan/colspan,
``&nbsp;`` for every empty cell including the 总计 of each outcome row, table 2 with header
and data colspans that disagree) with prose of its own that contradicts table 4, all on one
line and without a declared charset.  These tests stand in for the ``samples`` tests of
test_html_reader, test_html_assembly and test_html_end_to_end, through the public API only.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import opengov
from expected_report import differences, load_expected

pytest.importorskip("lxml")

QUIRKS = Path(__file__).resolve().parent / "data" / "quirks"
PAGE = QUIRKS / "spans-2019.html"
EXPECTED = load_expected(QUIRKS / "spans-2019.json")
TEXT = PAGE.read_text(encoding="utf-8")
OUTCOME_ROWS = opengov.layout.layout_for("2019").table3.outcome_rows


@pytest.fixture(scope="module")
def result() -> opengov.ParseResult:
    return opengov.parse(PAGE.read_bytes())


def test_page_gives_the_expected_figures(result: opengov.ParseResult) -> None:
    assert result.form == "html"
    assert differences(result.report, EXPECTED, organ=True) == []
    assert result.report.title == f"{EXPECTED['year']}年{EXPECTED['agency']}政府信息公开工作年度报告"


def test_page_without_a_charset_says_how_it_was_decoded(result: opengov.ParseResult) -> None:
    assert [(d.code, str(d.severity), d.message) for d in result.diagnostics] == []  # plain UTF-8
    as_gb18030 = opengov.parse(TEXT.encode("gb18030"))
    assert [d.message for d in as_gb18030.diagnostics] == ["decoded as gb18030 (not UTF-8; no encoding declared)"]
    assert as_gb18030.report == result.report
    assert opengov.parse(TEXT).report == result.report


def test_blank_cells_are_blank_and_every_outcome_total_is_blank(result: opengov.ParseResult) -> None:
    report = result.report
    assert report.cell("table3", "granted", "total") is opengov.BLANK
    assert [report.cell("table3", row, "total") for row in OUTCOME_ROWS] == [opengov.BLANK] * len(OUTCOME_ROWS)
    assert re.fullmatch(r"\d+", str(report.cell("table3", "granted", "natural_person")))
    assert report.cell("table4", "reconsideration", "corrected") is opengov.BLANK
    blanks = sum(1 for c in report.cells() if c.value is opengov.BLANK)
    printed_empty = [x for v in EXPECTED["table3"].values() for x in v] + EXPECTED["table4"]
    assert blanks == printed_empty.count(None)


def test_misaligned_table2_colspans_are_paired_by_distinct_cells(result: opengov.ParseResult) -> None:
    """In 第二十条第（五）（六）项 the header is 1 + 2 + 1 columns wide and the data rows
    2 + 1 + 1: each figure is the row's n-th distinct cell (the 2nd, 3rd and 4th <td>), not
    the cell under the header's expanded column."""
    for row in ("licensing", "other_services", "punishment", "enforcement"):
        cells = [result.locations[("table2", row, c)].cell for c in ("previous_count", "change", "decisions")]
        assert cells == [2, 3, 4], row
    assert "table2-by-position" not in {d.code for d in result.diagnostics}


def test_locations_name_table_row_and_cell_on_the_one_line(result: opengov.ParseResult) -> None:
    location = result.locations[("table3", "granted", "natural_person")]
    assert (location.table, location.line) == (2, 1)
    assert location.row is not None
    assert location.cell is not None
    assert len(result.locations) == sum(1 for _ in result.report.cells())
    assert {loc.table for key, loc in result.locations.items() if key[0] == "table4"} == {3}


def test_sections_split_at_their_headings(result: opengov.ParseResult) -> None:
    """The 四、 heading starts with a <br />; the prose of each section stays in it."""
    report = result.report
    assert len(report.preamble) == 2
    assert len(report.overview) == 14
    assert report.problems[0] == "（一）主要问题"
    assert report.other_matters == ("无。",)
    assert any("&lt;" not in p and "《关于贯彻<江屿湾区发展规划>的实施方案》" in p for p in report.overview)


def test_checks_give_blank_findings_not_errors_and_catch_the_prose(result: opengov.ParseResult) -> None:
    """The blank 总计 cells give blank/undecided findings, not arithmetic errors; the
    overview's outcome counts contradict table 3 (予以公开和部分公开258 against at least 275
    printed, 无法提供265 against at least 337, the categories adding up to 716 of 805) and its
    均获维持 contradicts table 4's pending cases."""
    findings = opengov.check(result)
    assert [f for f in findings if str(f.severity) == "error"] == []
    assert {f.rule for f in findings} >= {"blank", "undecided"}
    prose = [(f.rule, f.key, f.printed) for f in findings if f.rule.startswith("prose")]
    assert prose == [
        ("prose-outcomes", None, None),
        ("prose-outcomes", None, None),
        ("prose-outcomes", ("table3", "total_handled", "total"), 805),
        ("prose-appeals", ("table4", "reconsideration", "pending"), 2),
        ("prose-appeals", ("table4", "litigation_direct", "pending"), 1),
    ]


@st.composite
def _edited(draw: st.DrawFn, page: str) -> str:
    """The page with random cuts, insertions of markup or text, duplications and a truncation."""
    markup = st.sampled_from(
        [
            *("<table>", "</table>", "<tr>", "</tr>", "<td>", "</td>", '<td colspan="3">', '<td rowspan="9">', "<br>"),
            *("&nbsp;", "<p>", "</p>", "<!--", "<script>", "1", "-", "二、主动公开政府信息情况", "\x00", "\ufeff"),
            *("&#0;", "&#xD800;", "<![CDATA[", "<?xml encoding='gbk'?>", "<caption>", "<div hidden>", "\ud800"),
        ]
    )
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(page)))
        choice = draw(st.integers(0, 2))
        if choice == 0:
            page = page[:at] + draw(st.one_of(markup, st.text(max_size=6))) + page[at:]
        elif choice == 1:
            page = page[:at] + page[at + draw(st.integers(0, 400)) :]
        else:
            end = min(len(page), at + draw(st.integers(0, 300)))
            page = page[:at] + page[at:end] + page[at:]
    if draw(st.booleans()):
        page = page[: draw(st.integers(0, len(page)))]
    return page


def _parse_or_parse_error(source: str | bytes, **options: Any) -> None:
    error: opengov.ParseError | None = None
    try:
        result = opengov.parse(source, **options)
    except opengov.ParseError as raised:
        error = raised
    if error is not None:
        assert error.diagnostics
        assert all(isinstance(d, opengov.Diagnostic) and d.message for d in error.diagnostics)
        return
    assert isinstance(result.report, opengov.Report)
    assert all(isinstance(d, opengov.Diagnostic) for d in result.diagnostics)


@settings(max_examples=20)
@given(page=_edited(TEXT), encoding=st.sampled_from([None, "utf-8", "gb18030", "utf-16"]), strict=st.booleans())
def test_edited_page_gives_a_result_or_a_parse_error(page: str, encoding: str | None, strict: bool) -> None:
    errors = "surrogatepass" if encoding and encoding.startswith("utf") else "replace"
    source: str | bytes = page if encoding is None else page.encode(encoding, errors)
    _parse_or_parse_error(source, strict=strict)
    _parse_or_parse_error(source, form="html")
