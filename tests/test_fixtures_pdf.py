"""The PDF quirks of the real published PDF, on the project's own PDF.

``tests/data/quirks/wrapped-2024.pdf`` (made by ``make_wrapped_pdf.py`` beside it with
reportlab) prints the figures of a real 2021 report the way Word printed it: ruled tables
whose text layer separates cells by spaces only, labels wrapped over lines, ``1、`` for ``1.``,
header words spread and broken (``商 业 企`` / ``业``), page-number lines, a title on two lines,
tables and paragraphs running over page breaks and a group label cut by one.  The prose is
the project's own.  These tests stand in for the ``samples`` tests of test_pdf, through the
public API only.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

import opengov
from expected_report import differences, load_expected

pdfium = pytest.importorskip("pypdfium2", reason="PDF support is the optional extra opengov[pdf]")

QUIRKS = Path(__file__).resolve().parent / "data" / "quirks"
PDF = QUIRKS / "wrapped-2024.pdf"
EXPECTED = load_expected(QUIRKS / "wrapped-2024.json")


def _generator() -> ModuleType:
    pytest.importorskip("reportlab", reason="the PDF generator needs reportlab")
    sys.path.insert(0, str(QUIRKS))
    try:
        import make_wrapped_pdf
    finally:
        sys.path.remove(str(QUIRKS))
    return make_wrapped_pdf


@pytest.fixture(scope="module")
def result() -> opengov.ParseResult:
    return opengov.read(PDF)


def test_every_figure_is_read_without_a_diagnostic(result: opengov.ParseResult) -> None:
    assert result.form == "pdf"
    assert differences(result.report, EXPECTED, organ=True) == []
    assert result.diagnostics == ()
    assert opengov.check(result) == []


def test_title_on_two_lines_with_an_autospace_gap(result: opengov.ParseResult) -> None:
    report = result.report
    assert report.title == "淮川市人民政府2024年政府信息公开工作年度报告"
    assert (report.organ, report.year, str(report.format)) == ("淮川市人民政府", 2024, "2021")


def test_prose_runs_over_page_breaks_and_page_numbers_are_dropped(result: opengov.ParseResult) -> None:
    """Paragraphs come out whole and exactly as written (one crosses the break between pages
    1 and 2, one between pages 4 and 5); no ``- N -`` line is taken for prose."""
    made = _generator()
    report = result.report
    assert report.preamble == tuple(made.PREAMBLE)
    assert report.overview == tuple(made.OVERVIEW)
    assert report.problems == tuple(made.PROBLEMS)
    assert report.other_matters == tuple(made.OTHER)
    prose = (*report.preamble, *report.overview, *report.problems, *report.other_matters)
    assert not any(re.search(r"-\s*\d+\s*-", text) for text in prose)


def test_locations_carry_page_and_line_across_the_breaks(result: opengov.ParseResult) -> None:
    where = result.locations
    first = where[("table3", "new_received", "natural_person")]
    assert (first.page, first.line) == (3, 15)
    # the row after the page break that cut the group label （四）无法提供
    after = where[("table3", "needs_creation", "total")]
    assert (after.page, after.line) == (4, 1)
    # table 2 runs over the break between pages 2 and 3
    assert where[("table2", "licensing", "decisions")].page == 2
    assert where[("table2", "punishment", "decisions")].page == 3
    assert {where[("table4", b, c)].page for b, c in _table4_keys()} == {4}
    assert len(where) == 200


def _table4_keys() -> list[tuple[str, str]]:
    lay = opengov.layout.layout_for("2021").table4
    return [(b.key, c.key) for b in lay.blocks for c in lay.columns]


def test_rows_numbered_with_the_enumeration_comma(result: opengov.ParseResult) -> None:
    """（六）'s sub-rows are printed ``1、`` ``2、`` ``3、`` and wrapped over three lines."""
    report = result.report
    assert [report.cell("table3", row, "total") for row in ("no_correction", "fee_unpaid", "other")] == [71, 6, 110]


def test_without_ruling_lines_the_same_text_gives_the_same_cells(tmp_path: Path, result: opengov.ParseResult) -> None:
    """The same pages printed without any table border: rows and columns come from the
    words' positions, every cell as with the borders."""
    path = tmp_path / "borderless.pdf"
    _generator().build(path, borders=False)
    document = pdfium.PdfDocument(path)
    try:
        drawn = [obj for page in document for obj in page.get_objects() if obj.type == pdfium.raw.FPDF_PAGEOBJ_PATH]
    finally:
        document.close()
    assert drawn == []
    borderless = opengov.read(path)
    assert [c.value for c in borderless.report.cells()] == [c.value for c in result.report.cells()]
    assert (borderless.report.organ, borderless.report.year) == ("淮川市人民政府", 2024)
    assert [(d.code, str(d.severity)) for d in borderless.diagnostics] == [("pdf-no-ruling", "info")]


def test_the_fixture_is_the_generators_output(tmp_path: Path, result: opengov.ParseResult) -> None:
    """The committed PDF is what make_wrapped_pdf.py prints (the same reading; the bytes
    may differ with another reportlab)."""
    path = tmp_path / "again.pdf"
    _generator().build(path)
    again = opengov.read(path)
    assert again.report == result.report
    assert again.locations == result.locations
