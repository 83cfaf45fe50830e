"""The official Word template's quirks, on the project's own unfilled form.

``tests/data/quirks/template-2021.docx`` (made by ``make_template_docx.py`` beside it with
python-docx) has the merged-cell structure of the official 2021 template — every
``gridSpan`` and ``vMerge`` of tables 2, 3 and 4 — its labels, a header cell of two paragraphs,
header cells broken by ``w:br``, data cells holding only ideographic spaces, no title and
placeholder prose of its own.  These tests stand in for the ``samples`` tests of test_docx
and test_render, through the public API only.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from pathlib import Path

import pytest

import opengov

QUIRKS = Path(__file__).resolve().parent / "data" / "quirks"
TEMPLATE = QUIRKS / "template-2021.docx"
REFERENCE = opengov.loads((QUIRKS.parent / "zhapu-2023.expected.json").read_text(encoding="utf-8"))

Cell = tuple[int, int, int, int, str]


def word_cells(data: bytes) -> list[list[Cell]]:
    """Each table's cells as ``(row, col, rowspan, colspan, text)`` from gridSpan/vMerge,
    read here with regular expressions (not with the library's reader); a cell's text is
    its runs' text joined, ideographic spaces dropped."""
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
    tables = []
    for table in re.findall(r"<w:tbl>.*?</w:tbl>", xml, re.S):
        cells: list[list[int | str]] = []
        open_at: dict[int, list[int | str]] = {}
        for r, tr in enumerate(re.findall(r"<w:tr[ >].*?</w:tr>", table, re.S)):
            c = 0
            for tc in re.findall(r"<w:tc>.*?</w:tc>", tr, re.S):
                span = int(m.group(1)) if (m := re.search(r'<w:gridSpan w:val="(\d+)"', tc)) else 1
                merge = re.search(r'<w:vMerge(?: w:val="(\w+)")?', tc)
                text = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", tc)).replace("\u3000", "").strip()
                if merge and merge.group(1) != "restart":
                    open_at[c][2] = int(open_at[c][2]) + 1
                else:
                    cell: list[int | str] = [r, c, 1, span, text]
                    cells.append(cell)
                    open_at[c] = cell
                c += span
        tables.append(sorted((int(a), int(b), int(d), int(e), str(t)) for a, b, d, e, t in cells))
    return tables


def spans(tables: list[list[Cell]]) -> list[list[tuple[int, int, int, int]]]:
    return [[cell[:4] for cell in table] for table in tables]


def _all_blank(report: opengov.Report) -> opengov.Report:
    for cell in report.cells():
        report = report.with_cell(cell.table, cell.row, cell.column, opengov.BLANK)
    return report


def test_the_fixture_is_the_generators_output() -> None:
    """The committed file is what make_template_docx.py makes (same tables, same reading;
    the bytes may differ with another python-docx)."""
    sys.path.insert(0, str(QUIRKS))
    try:
        import make_template_docx
    finally:
        sys.path.remove(str(QUIRKS))
    made = make_template_docx.build()
    assert word_cells(made) == word_cells(TEMPLATE.read_bytes())
    assert opengov.parse(made).report == opengov.read(TEMPLATE).report


def test_writer_merges_equal_the_templates() -> None:
    template = word_cells(TEMPLATE.read_bytes())
    assert [len(t) for t in template] == [30, 215, 34]
    assert spans(word_cells(opengov.render(REFERENCE, to="docx"))) == spans(template)  # every gridSpan and vMerge


def test_writer_labels_equal_the_templates() -> None:
    """An all-blank report printed by the writer is the template, label for label."""
    assert word_cells(opengov.render(_all_blank(REFERENCE), to="docx")) == word_cells(TEMPLATE.read_bytes())


def test_template_reads_as_blank_tables_with_a_clear_warning() -> None:
    result = opengov.read(TEMPLATE)
    assert result.form == "docx"
    report = result.report
    assert report.format == "2021"
    cells = list(report.cells())
    assert len(cells) == 200
    assert all(cell.value is opengov.BLANK for cell in cells)  # ideographic spaces are blanks
    assert [d.code for d in result.diagnostics] == ["missing-title", "empty-tables"]
    empty = result.diagnostics[1]
    assert "unfilled form" in empty.message
    assert empty.location.table == 1
    assert report.overview == ("（此处填写文字说明）",)
    assert report.other_matters == ("（此处填写文字说明，信息处理费的收取情况也在这里说明。）",)
    with pytest.raises(opengov.ParseError, match="empty-tables"):
        opengov.read(TEMPLATE, strict=True)


def test_template_cells_are_located_through_the_spans() -> None:
    """Each data cell is found in its table and row through the merged label cells: table 3's
    data rows are rows 4 to 28 below a three-row header, table 4's figures the fourth row."""
    result = opengov.read(TEMPLATE)
    lay = result.report.layout
    rows3 = {row.key: 4 + i for i, row in enumerate(lay.table3.rows)}
    for (table, row, _), location in result.locations.items():
        if table == "table3":
            assert (location.table, location.row) == (2, rows3[row])
        elif table == "table4":
            assert (location.table, location.row) == (3, 4)
        else:
            assert location.table == 1
    assert len(result.locations) == 200
    assert result.locations[("table3", "new_received", "natural_person")].cell == 4
    assert result.locations[("table3", "carried_forward", "total")].cell == 10
    assert result.locations[("table2", "fees", "amount")].row == 14


def test_filled_in_template_parses_back() -> None:
    """The writer's output for the reference report, in the template's structure, reads back."""
    result = opengov.parse(opengov.render(REFERENCE, to="docx"))
    assert result.report == REFERENCE
