"""HTML end to end: ``opengov.parse`` of real and rendered pages.

These run once ``opengov.parse`` (the text parser's assembler) and ``opengov.render`` (the
HTML writer) are merged; until then they skip, saying why.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import opengov
from budget import examples
from opengov._codec import cell_text
from opengov._model import BLANK, CellValue
from opengov.layout import layout_for, normalize_label
from opengov.testing import any_reports, reports

pytest.importorskip("lxml")

needs_parse = pytest.mark.skipif(not hasattr(opengov, "parse"), reason="opengov.parse is not merged yet")
needs_parse_and_render = pytest.mark.skipif(
    not hasattr(opengov, "parse") or not hasattr(opengov, "render"),
    reason="opengov.parse and opengov.render(to='html') are not both merged yet",
)


def _same(cell: CellValue | None, expected: Any) -> bool:
    """A read cell against the expected file's figure (``null`` is a cell printed empty)."""
    if expected is None:
        return cell is BLANK
    return cell_text(cell) == str(expected)


@pytest.mark.samples
@needs_parse
def test_real_page_gives_the_expected_figures(samples: Path) -> None:
    expected = json.loads((samples / "expected" / "shanghai-office-2019.json").read_text(encoding="utf-8"))
    result = opengov.parse((samples / "shanghai-office-2019.html").read_bytes())
    report = result.report
    assert result.form == "html"
    assert (str(report.format), report.year, report.organ) == (
        expected["format_version"],
        expected["year"],
        expected["agency"],
    )
    assert report.table2 is not None
    assert report.table3 is not None
    assert report.table4 is not None
    lay = layout_for(report.format)
    by_label = {normalize_label(k): v for k, v in expected["table2"].items()}
    t3 = {normalize_label(k): v for k, v in expected["table3"].items()}
    t3_columns = [c.key for c in lay.table3.columns]
    t4 = iter(expected["table4"])
    wrong = []
    for cell in report.cells():
        if cell.table == "table2":
            row_values = by_label[normalize_label(cell.row_label)]
            want = row_values[[c.key for c in lay.table2.columns_of(cell.row)].index(cell.column)]
        elif cell.table == "table3":
            want = t3[normalize_label(cell.path_label)][t3_columns.index(cell.column)]
        else:
            want = next(t4)
        if not _same(cell.value, want):
            wrong.append(f"{cell.key}: read {cell.value!r}, expected {want!r}")
    assert wrong == []


@needs_parse_and_render
@pytest.mark.parametrize("fmt", ["2019", "2021"])
@given(data=st.data())
def test_rendered_html_parses_back_equal(fmt: str, data: st.DataObject) -> None:
    report = data.draw(st.one_of(reports(format=fmt), any_reports(format=fmt, absent=False)))
    page = opengov.render(report, to="html")
    assert opengov.parse(page).report == report
    result = opengov.parse(page.encode("utf-8"))
    assert result.report == report
    assert result.form == "html"


@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_table3_row_of_only_placeholders_and_blanks_parses_back_from_html(fmt: str) -> None:
    """In HTML a row's label cell is a header cell (``<th>``): a table 3 row without a
    single figure (placeholders and blanks only) is still the data row its label names,
    not a header row to skip (found by the ci profile of the round trip above)."""
    data = Path(__file__).parent / "data"
    if fmt == "2021":
        base = opengov.parse((data / "zhapu-2023.txt").read_text(encoding="utf-8")).report
    else:  # a minimal 2019 report (hypothesis's shrunk example, saved as JSON)
        base = opengov.loads((data / "html-placeholder-row-2019.json").read_text(encoding="utf-8"))
    slash = opengov.Placeholder(glyph="/")
    report = base
    for column, value in zip(
        ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total"),
        (slash, slash, slash, slash, BLANK, BLANK, BLANK),
        strict=True,
    ):
        report = report.with_cell("table3", "granted", column, value)
    result = opengov.parse(opengov.render(report, to="html"))
    assert result.report.table3 == report.table3
    assert not [d for d in result.diagnostics if d.code == "missing-row"]


@pytest.mark.samples
def test_real_page_checks_without_errors(samples: Path) -> None:
    """The page's blank 总计 cells give blank/undecided findings, not arithmetic errors."""
    result = opengov.parse((samples / "shanghai-office-2019.html").read_bytes())
    findings = opengov.check(result)
    assert [f for f in findings if str(f.severity) == "error"] == []
    assert {f.rule for f in findings} >= {"blank"}
    assert result.report.cell("table3", "granted", "total") is BLANK


@pytest.mark.samples
def test_real_page_diagnostics_locate_cells(samples: Path) -> None:
    result = opengov.parse((samples / "shanghai-office-2019.html").read_bytes())
    location = result.locations[("table3", "granted", "natural_person")]
    assert (location.table, location.line) == (2, 1)
    assert location.row is not None
    assert location.cell is not None
    assert len(result.locations) == sum(1 for c in result.report.cells())


@pytest.mark.parametrize("images", [0, 2])
def test_page_without_tables_gives_the_report_and_says_so(images: int) -> None:
    page = "<h1>2019年上海市人民政府办公厅政府信息公开工作年度报告</h1><h2>一、总体情况</h2><p>本年度工作概况。</p>"
    for heading in (
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
    ):
        page += f"<h2>{heading}</h2>" + ('<p><img src="t.png"></p>' if images else "")
    result = opengov.parse(page)
    assert (result.report.organ, result.report.year, result.report.overview) == (
        "上海市人民政府办公厅",
        2019,
        ("本年度工作概况。",),
    )
    assert (result.report.table2, result.report.table3, result.report.table4) == (None, None, None)
    codes = [d.code for d in result.diagnostics]
    assert "html-no-tables" in codes
    assert codes.count("missing-table") == 3
    with pytest.raises(opengov.ParseError, match="no data table"):
        opengov.parse(page, strict=True)


def test_page_without_tables_or_year_raises_saying_so() -> None:
    with pytest.raises(opengov.ParseError, match="no data table") as info:
        opengov.parse('<h1>政府信息公开</h1><p><img src="t.png"></p>', form="html")
    assert [d.code for d in info.value.diagnostics] == ["html-no-tables", "unknown-format"]


@st.composite
def _edited(draw: st.DrawFn, page: str) -> str:
    """A real page with random cuts, insertions of markup or text, and a truncation."""
    markup = st.sampled_from(
        [
            "<table>",
            "</table>",
            "<tr>",
            "</tr>",
            "<td>",
            "</td>",
            '<td colspan="3">',
            '<td rowspan="9">',
            "<br>",
            "&nbsp;",
            "<p>",
            "</p>",
            "<!--",
            "<script>",
            "1",
            "-",
            "二、主动公开政府信息情况",
            "\x00",
            "\ufeff",
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
            page = page[:at] + page[at:end] + page[at:]  # a duplicated stretch
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
        return
    assert isinstance(result.report, opengov.Report)
    assert all(isinstance(d, opengov.Diagnostic) for d in result.diagnostics)


_FIXTURE_OK = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.mark.samples
@_FIXTURE_OK
@given(data=st.data(), as_bytes=st.sampled_from([None, "utf-8", "gb18030"]), strict=st.booleans())
def test_edited_real_page_gives_a_result_or_a_parse_error(
    samples: Path, data: st.DataObject, as_bytes: str | None, strict: bool
) -> None:
    page = data.draw(_edited((samples / "shanghai-office-2019.html").read_text(encoding="utf-8")))
    source: str | bytes = (
        page if as_bytes is None else page.encode(as_bytes, "surrogatepass" if as_bytes == "utf-8" else "replace")
    )
    _parse_or_parse_error(source, strict=strict)
    _parse_or_parse_error(source, form="html")


@settings(max_examples=examples(40), suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_a_page_whose_every_cell_is_a_header_cell_reads_back(report: opengov.Report) -> None:
    """Every ``<td>`` written ``<th>``: header marks on every cell say nothing, and table 4's
    row of figures (no label of its own) is read as figures, not as a header."""
    import re

    page = re.sub(r"<(/?)td\b", r"<\1th", str(opengov.render(report, "html")))
    assert "<td" not in page
    result = opengov.parse(page)
    assert (result.report.table2, result.report.table3, result.report.table4) == (
        report.table2,
        report.table3,
        report.table4,
    )
    assert not result.errors, result.errors
