"""A figure cell that holds a stray mark instead of a figure — an OCR misreading of a zero
(``O``), a mark typed for a figure (``x``, ``?``, ``*``) — is reported as unreadable, and the
row's other figures are placed: the mark was read as a label, which made the whole row
unknown and every figure of it absent.  A zero written as a Chinese numeral (``〇``, its
look-alike ``○``, ``零``) is a zero."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from wcwidth import wcswidth

import opengov
from budget import examples
from opengov import Amount, Report, Severity
from opengov._assemble.rows import value_side
from opengov._codec import is_value_text, read_cell
from opengov._model import cell_values
from opengov.layout import Kind
from opengov.testing import reports
from printing import print_reference_layout

REFERENCE = (Path(__file__).resolve().parent / "data" / "zhapu-2023.txt").read_text(encoding="utf-8")
MARKS = ("O", "o", "x", "?", "*", "OO")
ZEROS = ("〇", "○", "零")


@pytest.mark.parametrize("zero", ZEROS)
def test_a_chinese_zero_alone_reads_as_zero(zero: str) -> None:
    reading = read_cell(zero)
    assert reading.value == 0
    assert reading.note is not None
    assert reading.note[:2] == (Severity.INFO, "normalized-number")
    assert read_cell(f" {zero}\u3000", Kind.MONEY).value == Amount(value=Decimal(0))
    assert is_value_text(zero)
    assert read_cell(zero + zero).value is None  # only a lone zero: 〇〇 is no figure


@pytest.mark.parametrize("mark", MARKS)
def test_a_stray_mark_is_on_the_value_side_and_unreadable(mark: str) -> None:
    assert value_side(mark)
    reading = read_cell(mark)
    assert reading.value is None
    assert reading.note is not None
    assert reading.note[1] == "unreadable-cell"


@pytest.mark.parametrize("text", ["其他", "总计", "OOO", "Ox1", "规章", "OK", "x1x"])
def test_labels_and_longer_text_are_no_stray_marks(text: str) -> None:
    if text == "Ox1" or text == "x1x":  # digits without words: on the value side, as before
        assert value_side(text)
    else:
        assert not value_side(text)


def _cells(report: Report) -> dict[object, object]:
    return {spec.key: value for spec, value in cell_values(report)}


def _replaced(text: str, location: opengov.Location, printed: str, mark: str) -> str:
    lines = text.split("\n")
    assert location.line is not None
    assert location.column is not None
    line = lines[location.line - 1]
    start = location.column - 1
    assert line[start : start + len(printed)] == printed
    lines[location.line - 1] = line[:start] + mark + line[start + len(printed) :]
    return "\n".join(lines)


@settings(max_examples=examples(60))
@given(reports(), st.data())
def test_one_figure_replaced_by_a_mark_loses_that_figure_alone(report: Report, data: st.DataObject) -> None:
    text = print_reference_layout(report)
    original = opengov.parse(text)
    assert original.report == report
    counts = sorted(
        (key for key, value in _cells(report).items() if type(value) is int and key in original.locations),
        key=str,
    )
    key = data.draw(st.sampled_from(counts))
    value = _cells(report)[key]
    mark = data.draw(st.sampled_from(MARKS + ZEROS if value == 0 else MARKS))
    result = opengov.parse(_replaced(text, original.locations[key], str(value), mark))
    got = _cells(result.report)
    expected = _cells(report)
    if mark in ZEROS:
        assert got == expected
        notes = [d for d in result.diagnostics if d.code == "normalized-number"]
        assert [d.location for d in notes] == [original.locations[key]]
        return
    assert got[key] is None
    del got[key], expected[key]
    assert got == expected
    [unreadable] = [d for d in result.diagnostics if d.code == "unreadable-cell"]
    assert unreadable.severity is Severity.ERROR
    assert unreadable.location == original.locations[key]
    assert repr(mark) in unreadable.message


@pytest.mark.parametrize("form", ["html", "markdown", "text"])
@pytest.mark.parametrize("mark", ["O", "〇"])
def test_a_mark_in_a_rendered_table_reads_alike_in_every_form(form: str, mark: str) -> None:
    """The reference report rendered as HTML, Markdown and box-drawn text with its first
    zero of table 3 (new applications from research institutions) replaced by the mark."""
    report = opengov.parse(REFERENCE).report
    key = ("table3", "new_received", "research")
    assert report.cell(*key) == 0
    marked = report.with_cell(*key, 4321)  # a figure printed nowhere else, then replaced
    page = str(opengov.render(marked, form))
    assert page.count("4321") == 1
    page = page.replace("4321", mark + " " * (4 - wcswidth(mark)))  # box-drawn lines keep their width
    got = _cells(opengov.parse(page).report)
    expected = _cells(report)
    if mark == "〇":
        assert got == expected
    else:
        assert got.pop(key) is None
        del expected[key]
        assert got == expected
