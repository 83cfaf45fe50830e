"""Double-spaced text (a blank line after every line: what a page's text becomes when every
line break is doubled): read as the text it was, every location on its line of the text."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings

import opengov
from budget import examples
from opengov import Report, Severity
from opengov._codec import cell_text
from opengov._readers import text as text_reader
from opengov.testing import reports
from printing import print_reference_layout

REFERENCE = (Path(__file__).resolve().parent / "data" / "zhapu-2023.txt").read_text(encoding="utf-8")
"""The reference example: a cell per line after a TAB, a blank line after each row."""


def _tables(report: Report) -> tuple[object, ...]:
    return (report.format, report.organ, report.year, report.table2, report.table3, report.table4)


def _doubled(text: str) -> str:
    return text.replace("\n", "\n\n")


def test_the_reference_doubled_reads_as_the_reference() -> None:
    """Read as it is, every cell of the doubled reference was a row of its own (185 unknown
    rows, no figure placed); undoubled, it is the reference, located on its own lines."""
    original = opengov.parse(REFERENCE)
    text = _doubled(REFERENCE)
    result = opengov.parse(text)
    assert result.report == original.report
    notes = [d for d in result.diagnostics if d.code == text_reader.DOUBLE_SPACED]
    assert len(notes) == 1
    assert notes[0].severity is Severity.INFO
    # the reference's own diagnostics, each on the line its line became (line n → 2n − 1)
    moved = [
        (d.severity, d.code, d.message, None if d.location.line is None else 2 * d.location.line - 1)
        for d in original.diagnostics
    ]
    assert [(d.severity, d.code, d.message, d.location.line) for d in result.diagnostics if d not in notes] == moved
    # every cell located on the line of the doubled text its line of the reference became
    lines, reference_lines = text.splitlines(), REFERENCE.splitlines()
    checked = 0
    for key, location in result.locations.items():
        before = original.locations[key]
        assert location.line is not None, (key, location)
        assert before.line is not None, (key, before)
        assert (location.line, location.column) == (2 * before.line - 1, before.column), (key, location, before)
        assert lines[location.line - 1] == reference_lines[before.line - 1]
        assert cell_text(result.report.cell(*key)) in lines[location.line - 1]
        checked += 1
    assert checked >= 150


def test_a_text_with_lines_next_to_each_other_is_not_double_spaced() -> None:
    assert not any(d.code == text_reader.DOUBLE_SPACED for d in opengov.parse(REFERENCE).diagnostics)
    assert text_reader.undoubled(REFERENCE.splitlines()) is None


def test_runs_of_blank_lines_are_halved_and_lines_keep_their_numbers() -> None:
    words = [f"第{n}行" for n in range(text_reader.DOUBLE_SPACED_LINES)]
    lines = ["", words[0], "", words[1], "", "", words[2], "", "", "", words[3]]
    for word in words[4:]:
        lines += ["   ", word]  # a line of white space is blank
    undoubled = text_reader.undoubled(lines)
    assert undoubled is not None
    kept, numbers = undoubled
    assert kept[:6] == [words[0], words[1], "", words[2], "", words[3]]
    assert kept[6:] == words[4:]
    assert [lines[n - 1] for n in numbers] == kept


def test_a_short_double_spaced_text_is_read_as_it_is() -> None:
    lines = [f"第{n}行" for n in range(text_reader.DOUBLE_SPACED_LINES - 1)]
    assert text_reader.undoubled("\n\n".join(lines).splitlines()) is None
    assert text_reader.undoubled("\n\n".join([*lines, "末行"]).splitlines()) is not None


@pytest.mark.parametrize("cell_prefix", ["\t", ""], ids=["tab", "one-cell-per-line"])
@settings(max_examples=examples(40))
@given(report=reports())
def test_a_consistent_report_printed_double_spaced_reads_as_printed_single_spaced(
    cell_prefix: str, report: Report
) -> None:
    text = print_reference_layout(report, cell_prefix=cell_prefix)
    single = opengov.parse(text)
    double = opengov.parse(_doubled(text))
    assert _tables(double.report) == _tables(single.report) == _tables(report)
    assert not double.errors, double.errors
