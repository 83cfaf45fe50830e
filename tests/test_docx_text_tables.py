"""A Word file without a table whose paragraphs print the tables as text — a row per paragraph
with TABs between its cells, a cell per paragraph after a TAB (the reference example's
layout), a cell per paragraph — is read from its text: every figure exact, located at its
paragraph."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import given, settings

import opengov
from budget import examples
from opengov import ParseError, Report, Severity
from opengov._codec import cell_text
from opengov._readers import docx
from opengov.testing import reports
from printing import print_reference_layout

REFERENCE = (Path(__file__).resolve().parent / "data" / "zhapu-2023.txt").read_text(encoding="utf-8")
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _tables(report: Report) -> tuple[object, ...]:
    return (report.format, report.organ, report.year, report.table2, report.table3, report.table4)


def _paragraph(line: str) -> str:
    if not line:
        return "<w:p/>"
    runs = "<w:r><w:tab/></w:r>".join(
        f'<w:r><w:t xml:space="preserve">{escape(part)}</w:t></w:r>' for part in line.split("\t")
    )
    return f"<w:p>{runs}</w:p>"


def _word(lines: list[str]) -> bytes:
    """A .docx of one paragraph per line (TABs as ``<w:tab/>``, an empty line an empty paragraph)."""
    body = "".join(map(_paragraph, lines))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "word/document.xml", f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'
        )
    return out.getvalue()


def _tab_rows(report: Report) -> list[str]:
    """The report's Markdown with each pipe row as its cells joined by TABs."""
    lines = []
    for line in str(opengov.render(report, "markdown")).split("\n"):
        row = line.strip()
        if row.startswith("|"):
            if not re.fullmatch(r"\|?[\s:|-]+\|?", row):
                lines.append("\t".join(cell.strip() for cell in row.strip("|").split("|")))
        else:
            lines.append(line.lstrip("#").strip())
    return lines


def _assert_read(lines: list[str], expected: Report) -> None:
    result = opengov.parse(_word(lines))
    assert result.form == "docx"
    assert _tables(result.report) == _tables(expected)
    assert not result.errors, result.errors
    notes = [d for d in result.diagnostics if d.code == docx.TEXT_TABLES]
    assert len(notes) == 1
    assert notes[0].severity is Severity.INFO
    checked = 0
    for key, location in result.locations.items():
        assert location.line is not None, (key, location)
        assert cell_text(result.report.cell(*key)) in lines[location.line - 1], (key, location)  # its paragraph
        checked += 1
    assert checked >= 150


def test_the_reference_as_word_paragraphs_reads_as_the_reference() -> None:
    _assert_read(REFERENCE.split("\n"), opengov.parse(REFERENCE).report)


def test_tab_rows_as_word_paragraphs_read_as_the_reference() -> None:
    reference = opengov.parse(REFERENCE).report
    _assert_read(_tab_rows(reference), reference)


def test_a_word_file_without_tables_in_its_text_still_says_it_has_none() -> None:
    with pytest.raises(ParseError) as error:
        opengov.parse(_word(["某某局2023年度政府信息公开工作年度报告", "一、总体情况", "本机关认真落实条例。"]))
    assert [d.code for d in error.value.diagnostics] == ["docx-no-tables"]


@settings(max_examples=examples(30))
@given(reports())
def test_a_consistent_report_as_word_paragraphs_reads_back(report: Report) -> None:
    for lines in (
        print_reference_layout(report).split("\n"),
        print_reference_layout(report, cell_prefix="").split("\n"),
    ):
        result = opengov.parse(_word(lines))
        assert _tables(result.report) == _tables(report)
        assert not result.errors, result.errors
