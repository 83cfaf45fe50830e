"""Property tests of the parser: cell text round trip, printed reports parse back equal,
and arbitrary input gives a report or a ParseError, never another exception."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import opengov
from budget import examples
from opengov._codec import cell_text, read_cell
from opengov.layout import Kind
from opengov.testing import any_reports, cell_values, reports
from printing import print_reference_layout

REFERENCE = (Path(__file__).resolve().parent / "data" / "zhapu-2023.txt").read_text(encoding="utf-8")


@given(st.sampled_from(list(Kind)).flatmap(lambda k: st.tuples(st.just(k), cell_values(k))))
def test_cell_text_reads_back(kind_value: tuple[Kind, opengov.CellValue]) -> None:
    kind, value = kind_value
    assert read_cell(cell_text(value), kind).value == value


@settings(max_examples=40)
@given(reports())
def test_consistent_report_printed_in_reference_layout_parses_back(report: opengov.Report) -> None:
    result = opengov.parse(print_reference_layout(report), strict=True)
    assert result.report == report


@settings(max_examples=40)
@given(any_reports())
def test_any_report_printed_in_reference_layout_parses_back(report: opengov.Report) -> None:
    result = opengov.parse(print_reference_layout(report))
    assert not result.errors, result.errors
    assert result.report == report


_FILE_NAME_ENDINGS = (
    ".txt",
    ".md",
    ".html",
    ".htm",
    ".mhtml",
    ".mht",
    ".pdf",
    ".docx",
    ".doc",
    ".wps",
    ".json",
    ".csv",
    ".png",
    ".jpg",
)


def _names_a_file(text: str) -> bool:
    """The documented rule, stated here on its own: one short line ending in a file suffix."""
    return len(text) < 4096 and "\n" not in text and text.strip().lower().endswith(_FILE_NAME_ENDINGS)


def _parse_or_error(text: str) -> None:
    if _names_a_file(text):
        # parse() refuses a file name given as text and points at read() (documented ValueError)
        with pytest.raises(ValueError, match="looks like a file name"):
            opengov.parse(text)
        return
    error: opengov.ParseError | None = None
    try:
        result = opengov.parse(text)
    except opengov.ParseError as exc:
        error = exc
    if error is not None:
        assert error.diagnostics
    else:
        assert isinstance(result.report, opengov.Report)


_EDITS = st.lists(
    st.tuples(
        st.integers(0, len(REFERENCE)),
        st.integers(0, 40),
        st.text(
            alphabet=st.sampled_from(list("\t\n 0123456789０１/-—万元件（）()、.一二三四五六七总计其他 ")), max_size=8
        ),
    ),
    max_size=6,
)


@settings(max_examples=examples(60))
@given(_EDITS)
def test_random_edits_of_the_reference_give_a_report_or_parse_error(edits: list[tuple[int, int, str]]) -> None:
    text = REFERENCE
    for start, length, insert in edits:
        start = min(start, len(text))
        text = text[:start] + insert + text[start + length :]
    _parse_or_error(text)


@given(st.text(max_size=300))
@example(".TXT")
@example(".MHTML")
def test_random_unicode_gives_a_report_or_parse_error(text: str) -> None:
    _parse_or_error(text)


@given(st.binary(max_size=200))
@example(b"\xff\xd8\xff")  # a JPEG's signature alone: image-damaged, or the ocr extra missing
def test_random_bytes_give_a_report_or_parse_error(data: bytes) -> None:
    """Random bytes give a report or a documented error: a ParseError, or — for bytes that
    begin like an image or a PDF when the extra that reads them is not installed (``\xff\xd8\xff``
    is a JPEG's signature) — a MissingExtraError naming the extra."""
    extra = None
    try:
        opengov.parse(data)
    except opengov.ParseError:
        pass
    except opengov.MissingExtraError as exc:
        extra = exc.extra
    assert extra in {None, "ocr", "pdf", "docx", "html"}
