"""No silent loss: a number inserted anywhere in a table region is placed where it belongs
or reported by a located diagnostic, never dropped and never merged into a neighbour, and
every other figure stays exact or is left absent with a warning or error (issue 22).

For every text form (the web-copy TAB layout, box-drawn and ASCII text, Markdown, HTML,
Word) on generated reports, and on the project's fixtures of real layouts by mutation.
The judgement is :func:`stray.check_stray`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import opengov
from opengov.testing import any_reports, reports
from stray import (
    OPS,
    SEPARATORS,
    TEXT_FORMS,
    boundaries,
    check_stray,
    insert_at,
    mutate,
    render,
)

DATA = Path(__file__).resolve().parent / "data"
QUIRKS = DATA / "quirks"

_STRAYS = st.integers(1000, 999_999).map(str)
"""Numbers of four to six digits (a generated report's figures are small, so that a stray
found in a message is the stray)."""
_SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)


def _proxy(document: str | bytes, report: opengov.Report) -> str:
    """Text in which a number the document already prints is found."""
    return document if isinstance(document, str) else opengov.render(report, "markdown")


@pytest.mark.parametrize("form", TEXT_FORMS)
@_SETTINGS
@given(
    report=st.one_of(reports(), any_reports()),
    data=st.data(),
    where=st.integers(0, 10_000),
    stray=_STRAYS,
)
def test_a_stray_number_is_placed_or_reported(
    form: str, report: opengov.Report, data: st.DataObject, where: int, stray: str
) -> None:
    document = render(report, form)
    assume(stray not in _proxy(document, report))
    op = data.draw(st.sampled_from(OPS[form]), label="op")
    mutated = mutate(document, form, op, where, stray)
    assume(mutated is not None)
    assert mutated is not None
    problem = check_stray(opengov.parse(document), mutated, stray)
    assert problem is None, problem


# -- the project's fixtures of real layouts ------------------------------------------------

_TEXT_FIXTURES = {
    DATA / "zhapu-2023.txt": SEPARATORS,
    # one-line crawler text: the whole body is one line (a line inserted after it is
    # after the tables), and its cells lost their separators
    QUIRKS / "oneline-2020.txt": (" ", "\t"),
    QUIRKS / "oneline-2023.txt": (" ", "\t"),
}
_MUTATED_FIXTURES = {
    QUIRKS / "ocr-2025.md": "markdown",
    DATA / "convert" / "pdf2md-2024.md": "markdown",
    DATA / "convert" / "loose-labels-2024.md": "markdown",
    QUIRKS / "spans-2019.html": "html",
    QUIRKS / "template-2021.docx": "docx",
}


@pytest.mark.parametrize("path", list(_TEXT_FIXTURES), ids=lambda p: p.name)
@_SETTINGS
@given(data=st.data(), stray=_STRAYS)
def test_a_stray_number_in_a_text_fixture_is_placed_or_reported(path: Path, data: st.DataObject, stray: str) -> None:
    """Inserted between two printed tokens (a glued run of digits and signs is one), or
    as a line of its own; in the one-line texts, a cell they leave unresolved may be read
    from the edited text as printed (see :func:`stray.check_stray`)."""
    text = path.read_text(encoding="utf-8")
    assume(stray not in text)
    offset = data.draw(st.sampled_from(boundaries(text)), label="offset")
    separator = data.draw(st.sampled_from(_TEXT_FIXTURES[path]), label="separator")
    edited = insert_at(text, offset, separator, stray)
    problem = check_stray(opengov.parse(text), edited, stray, lost_separators=path.parent == QUIRKS)
    assert problem is None, problem


@pytest.mark.parametrize("path", list(_MUTATED_FIXTURES), ids=lambda p: p.name)
@_SETTINGS
@given(data=st.data(), where=st.integers(0, 10_000), stray=_STRAYS)
def test_a_stray_number_in_a_fixture_is_placed_or_reported(
    path: Path, data: st.DataObject, where: int, stray: str
) -> None:
    form = _MUTATED_FIXTURES[path]
    document: str | bytes = path.read_bytes() if form == "docx" else path.read_text(encoding="utf-8")
    assume(isinstance(document, bytes) or stray not in document)
    op = data.draw(st.sampled_from(OPS[form]), label="op")
    mutated = mutate(document, form, op, where, stray)
    assume(mutated is not None)
    assert mutated is not None
    problem = check_stray(opengov.parse(document), mutated, stray)
    assert problem is None, problem


# -- the cases of the issue, pinned --------------------------------------------------------

REFERENCE = (DATA / "zhapu-2023.txt").read_text(encoding="utf-8")


def _new(edited: str) -> tuple[opengov.ParseResult, list[opengov.Diagnostic]]:
    before = {(d.code, d.message) for d in opengov.parse(REFERENCE).diagnostics}
    result = opengov.parse(edited)
    return result, [d for d in result.diagnostics if (d.code, d.message) not in before]


def test_a_number_line_after_a_cell_is_not_glued_onto_it() -> None:
    """``22738`` then a line ``4242``: two cells (not ``227384242``); the row has one
    cell too many, so its cell is left absent with an error naming both."""
    edited = REFERENCE.replace("\t22738\n", "\t22738\n4242\n")
    result, new = _new(edited)
    assert result.report.cell("table2", "licensing", "decisions") is None
    (error,) = new
    assert (error.severity, error.code) == (opengov.Severity.ERROR, "wrong-cell-count")
    assert "('22738', '4242')" in error.message
    assert (error.location.line, error.location.column) == (37, 2)


def test_a_number_line_continuing_a_label_is_a_cell_of_its_own() -> None:
    edited = REFERENCE.replace("\t商业\n企业\n", "\t商业\n4242\n企业\n")
    assert edited != REFERENCE
    from opengov._readers import text as text_reader

    cells = [c.text for b in text_reader.read(edited).grids() for c in b.cells]
    assert "4242企业" in cells  # the number ends the cell 商业; 企业 continues the number's line
    assert "商业" in cells


def test_a_tab_number_before_a_row_label_is_reported() -> None:
    result, new = _new(REFERENCE.replace("\t行政处罚\n", "\t4242\n\t行政处罚\n"))
    assert result.report.cell("table2", "punishment", "decisions") == 46787
    (stray,) = new
    assert (stray.severity, stray.code) == (opengov.Severity.WARNING, "stray-number")
    assert stray.message == "二、主动公开政府信息情况: 4242 in '4242' is in no cell of the table; not placed"
    assert (stray.location.line, stray.location.column) == (44, 2)


def test_a_number_in_a_group_label_is_reported() -> None:
    result, new = _new(REFERENCE.replace("\t三、本年度办理结果\n", "\t三、本年度办理结果 4242\n"))
    assert result.report == opengov.parse(REFERENCE).report
    (stray,) = new
    assert stray.code == "stray-number"
    assert "4242 in '三、本年度办理结果 4242'" in stray.message
    assert stray.location.line == 100


def test_a_number_in_a_header_row_is_reported() -> None:
    result, new = _new(REFERENCE.replace("\t本年处理决定数量\n", "\t本年处理决定数量 4242\n", 1))
    assert result.report == opengov.parse(REFERENCE).report
    (stray,) = new
    assert stray.code == "stray-number"
    assert "4242 in '本年处理决定数量 4242'" in stray.message
    assert stray.location.line == 34


@pytest.mark.parametrize(
    ("cell", "edited"),
    [
        ("<th>三、本年度办理结果 4242</th>", "group"),
        ("<th>总计 4242</th>", "header"),
        ("<th>4242 1.属于国家秘密</th>", "label"),
    ],
)
def test_a_number_in_an_html_label_or_header_cell_is_reported(cell: str, edited: str) -> None:
    report = opengov.parse(REFERENCE).report
    page = opengov.render(report, "html")
    original = {
        "group": '<th rowspan="22">三、本年度办理结果</th>',
        "header": '<th rowspan="2">总计</th>',
        "label": "<th>1.属于国家秘密</th>",
    }[edited]
    assert original in page
    replaced = cell.replace("<th>", original[: original.index(">") + 1]) if edited != "label" else cell
    result = opengov.parse(page.replace(original, replaced, 1))
    assert result.report == report
    (stray,) = [d for d in result.diagnostics if d.code == "stray-number"]
    assert "4242" in stray.message
    assert stray.location.table == 2


def test_two_numbers_on_two_lines_of_a_box_cell_are_not_joined() -> None:
    """The renderer never wraps a data cell: ``5`` over ``4242`` in one cell is two
    numbers (an unreadable cell), not ``54242``."""
    report = opengov.parse(REFERENCE).report
    lines = opengov.render(report, "text").split("\n")
    at = next(i for i, line in enumerate(lines) if "（二）部分公开" in line)
    assert "│      5 │" in lines[at]
    assert "│        │" in lines[at + 1]
    lines[at + 1] = lines[at + 1].replace("│        │", "│   4242 │", 1)
    result = opengov.parse("\n".join(lines))
    assert result.report.cell("table3", "partially_granted", "natural_person") is None
    (error,) = [d for d in result.diagnostics if d.code == "unreadable-cell"]
    assert "'5 4242'" in error.message
    assert error.location.line == at + 1


def test_a_text_between_tables_names_its_numbers() -> None:
    edited = REFERENCE.replace("\t第二十条第（五）项\n", "说明：另有4242件未计入。\n\n\t第二十条第（五）项\n", 1)
    result, new = _new(edited)
    assert result.report == opengov.parse(REFERENCE).report
    (ignored,) = new
    assert ignored.code == "ignored-text"
    assert ignored.message.endswith("; its numbers: 4242")


def test_numbers_in_pdf_labels_and_headers_are_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The PDF fixture printed again with a number after a table 2 header word, a table 3
    group label and a table 4 block header (each was dropped without a word, or named only
    as an unknown label): each is a located stray-number, every figure as before."""
    pytest.importorskip("reportlab", reason="the PDF generator needs reportlab")
    monkeypatch.syspath_prepend(str(QUIRKS))
    import make_wrapped_pdf as make

    def with_number(cells: Callable[[], list[Any]], text: str, number: str) -> Callable[[], list[Any]]:
        return lambda: [(*cell[:4], f"{cell[4]} {number}" if cell[4] == text else cell[4]) for cell in cells()]

    monkeypatch.setattr(make, "table2_cells", with_number(make.table2_cells, "本年处理决定数量", "5151"))
    monkeypatch.setattr(make, "table3_cells", with_number(make.table3_cells, "（三）不予公开", "4242"))
    monkeypatch.setattr(make, "table4_cells", with_number(make.table4_cells, "复议后起诉", "6161"))
    make.build(tmp_path / "stray.pdf")
    result = opengov.read(tmp_path / "stray.pdf")
    assert result.report == opengov.read(QUIRKS / "wrapped-2024.pdf").report
    strays = [d for d in result.diagnostics if d.code == "stray-number"]
    assert {d.message.split(": ", 1)[1].split(" in ")[0] for d in strays} == {"5151", "4242", "6161"}
    assert all(d.location.page is not None and d.location.line is not None for d in strays)


def test_a_five_digit_row_between_table4_headers_is_not_taken_for_a_block() -> None:
    """``<tr><td>10000</td></tr>`` after the 行政复议/行政诉讼 header row: taken for the
    block the header names first (and cut 1/0/0/0/0) until the data row prints that block;
    then it is a stray number, and every figure is the data row's."""
    page = (QUIRKS / "spans-2019.html").read_text(encoding="utf-8")
    edited = mutate(page, "html", "row", 45, "10000")
    assert isinstance(edited, str)
    assert "<p>行政诉讼</p></td></tr><tr><td>10000</td></tr>" in edited
    before = opengov.parse(page)
    assert check_stray(before, edited, "10000") is None
    result = opengov.parse(edited)
    assert result.report == before.report
    (stray,) = [d for d in result.diagnostics if d.code == "stray-number"]
    assert stray.message.startswith("table4: '10000', printed without a label, was taken for block reconsideration")
    assert (stray.location.table, stray.location.row) == (3, 2)


def test_a_number_under_a_placeholder_in_a_drawn_cell_is_not_a_negative_figure() -> None:
    """A box-drawn cell printing ``-`` on its first line and ``1000`` on the next (its row's
    label wraps) holds two values, never the figure -1000: the cell is unreadable, and said
    so.  (Found by a random draw of the stray-number property.)"""
    report = opengov.read(str(DATA / "zhapu-2023.txt")).report
    table3 = report.table3
    assert table3 is not None
    row = attrs.evolve(table3.no_correction, natural_person=opengov.Placeholder(glyph="-"))
    report = attrs.evolve(report, table3=attrs.evolve(table3, no_correction=row))
    lines = opengov.render(report, to="text").split("\n")
    first = next(i for i, line in enumerate(lines) if "逾期不补正" in line)
    assert "│      - │" in lines[first]
    assert "│        │" in lines[first + 1]  # the label's second line: the cell is empty there
    lines[first + 1] = lines[first + 1].replace("│        │", "│ 1000   │", 1)
    result = opengov.parse("\n".join(lines))
    assert result.report.cell("table3", "no_correction", "natural_person") is None
    (error,) = [d for d in result.diagnostics if d.code == "unreadable-cell"]
    assert "'- 1000'" in error.message
