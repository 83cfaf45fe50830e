"""Crawler text that keeps a line break before each section and prints each section, tables
included, on one line: read as the same text on one line is."""

from __future__ import annotations

import itertools
from pathlib import Path

from hypothesis import given, settings

import opengov
from budget import examples
from opengov import Report
from opengov._locate import cut_line
from opengov.layout import SECTIONS
from opengov.testing import reports
from test_parse_recover import one_line

ONE_LINE = (Path(__file__).resolve().parent / "data" / "quirks" / "oneline-2023.txt").read_text(encoding="utf-8")
"""The project's one-line crawler text fixture (the layout of ``pingtan-2023.txt``)."""


def _tables(report: Report) -> tuple[object, ...]:
    return (report.format, report.year, report.table2, report.table3, report.table4)


def _sections_per_line(text: str, *, heading_alone: bool = False) -> str:
    """The text with a line break before each section heading the locator finds (and after
    it: ``heading_alone``)."""
    headings = [piece for piece in cut_line(text) if piece.kind == "heading"]
    assert len(headings) >= 4, headings
    cuts = sorted({0, len(text), *(p.start for p in headings), *((p.end for p in headings) if heading_alone else ())})
    pieces = [text[a:b].strip() for a, b in itertools.pairwise(cuts)]
    return "\n".join(piece for piece in pieces if piece)


def test_the_one_line_fixture_with_a_line_per_section_reads_as_on_one_line() -> None:
    text = _sections_per_line(ONE_LINE)
    assert text.count("\n") >= 4
    single = opengov.parse(ONE_LINE)
    result = opengov.parse(text)
    assert _tables(result.report) == _tables(single.report)
    assert result.report.table2 is not None
    assert len(result.errors) == len(single.errors)
    # every figure located on its line, at its column
    lines = text.splitlines()
    for key, location in result.locations.items():
        assert location.line is not None, (key, location)
        assert location.column is not None, (key, location)
        assert lines[location.line - 1][location.column - 1 :][:1].isdigit(), (key, location)


def test_the_one_line_fixture_with_each_heading_on_a_line_of_its_own_reads_as_on_one_line() -> None:
    """The heading on a line of its own, its section (the table) on the next: a line
    without a heading in a table section is cut at its labels."""
    text = _sections_per_line(ONE_LINE, heading_alone=True)
    lines = text.splitlines()
    assert "二、主动公开政府信息情况" in lines
    single = opengov.parse(ONE_LINE)
    result = opengov.parse(text)
    assert _tables(result.report) == _tables(single.report)
    assert result.report.table3 is not None
    for key, location in result.locations.items():
        assert location.line is not None, (key, location)
        assert location.column is not None, (key, location)
        assert lines[location.line - 1][location.column - 1 :][:1].isdigit(), (key, location)


def test_a_long_line_of_prose_starting_with_a_heading_is_one_paragraph() -> None:
    """Only a table section's heading starts a line that is cut: 一、总体情况 and its prose
    on one long line stay one paragraph (as before)."""
    heading = next(s.label for s in SECTIONS if not s.table)
    prose = heading + "本机关" + "认真贯彻落实条例，主动公开政府信息。" * 20
    document = opengov._readers.text.read(prose)
    assert [b.text for b in document.blocks] == [prose]  # type: ignore[union-attr]


@settings(max_examples=examples(40))
@given(reports())
def test_a_report_as_crawler_text_with_a_line_per_section_reads_as_on_one_line(report: Report) -> None:
    text = one_line(report)
    single = _tables(opengov.parse(text).report)
    assert _tables(opengov.parse(_sections_per_line(text)).report) == single
    assert _tables(opengov.parse(_sections_per_line(text, heading_alone=True)).report) == single
