"""A Word file laid out with tables — the whole report in the one cell of a frame table, or
each table in a cell of its own — is read through its layout tables: the report's tables
are its data tables, its paragraphs its paragraphs.  Before, the outer table was taken for
the data table (the inner tables' text joined into its one cell): no figure was read."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import opengov
from budget import examples
from opengov import Report
from opengov._grid import Grid, Paragraph
from opengov._readers import docx
from opengov.testing import any_reports

REFERENCE = (Path(__file__).resolve().parent / "data" / "zhapu-2023.txt").read_text(encoding="utf-8")
_TABLE = re.compile(r"<w:tbl>.*?</w:tbl>", re.S)
_FRAME = '<w:tbl><w:tblGrid><w:gridCol w:w="9000"/></w:tblGrid><w:tr><w:tc><w:p/>{}<w:p/></w:tc></w:tr></w:tbl>'


def _each_in_a_frame(xml: str) -> str:
    return _TABLE.sub(lambda m: _FRAME.format(m.group(0)), xml)


def _body_in_a_frame(xml: str) -> str:
    body = re.search(r"<w:body>(.*)<w:sectPr", xml, re.S)
    assert body is not None
    return xml[: body.start(1)] + _FRAME.format(body.group(1)) + xml[body.end(1) :]


def _framed_twice(xml: str) -> str:
    return _body_in_a_frame(_body_in_a_frame(xml))


def _rewritten(data: bytes, edit: Callable[[str], str]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "word/document.xml":
                content = edit(content.decode("utf-8")).encode("utf-8")
            target.writestr(item.filename, content)
    return out.getvalue()


LAYOUTS = {"each table framed": _each_in_a_frame, "body framed": _body_in_a_frame, "framed twice": _framed_twice}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("lxml", [True, False])
def test_the_reference_in_layout_tables_reads_as_the_reference(layout: str, lxml: bool) -> None:
    report = opengov.parse(REFERENCE).report
    plain = bytes(opengov.render(report, "docx"))
    framed = _rewritten(plain, LAYOUTS[layout])
    assert opengov.parse(framed).report == report
    before, after = docx._read(plain, lxml=lxml), docx._read(framed, lxml=lxml)
    assert [b.text for b in after.blocks if isinstance(b, Paragraph)] == [
        b.text for b in before.blocks if isinstance(b, Paragraph)
    ]
    grids, framed_grids = ([b for b in d.blocks if isinstance(b, Grid)] for d in (before, after))
    assert [[c.text for c in g.cells] for g in framed_grids] == [[c.text for c in g.cells] for g in grids]
    # every w:tbl counts for the table numbers, the frames too
    numbers = [g.location.table for g in framed_grids if g.location is not None]
    expected = {"each table framed": [2, 4, 6], "body framed": [2, 3, 4], "framed twice": [3, 4, 5]}[layout]
    assert numbers == expected


def test_layout_tables_deeper_than_the_bound_are_read_as_tables() -> None:
    """Beyond ``_LAYOUT_DEPTH`` frames the outer ones are read through and the next is a
    table (its inner tables' text in its cell): bounded work, no error."""
    report = opengov.parse(REFERENCE).report
    framed = bytes(opengov.render(report, "docx"))
    for _ in range(docx._LAYOUT_DEPTH + 2):
        framed = _rewritten(framed, _body_in_a_frame)
    document = docx.read(framed)
    grids = [b for b in document.blocks if isinstance(b, Grid)]
    assert len(grids) == 1
    assert "行政许可" in grids[0].cells[0].text


@settings(max_examples=examples(30))
@given(any_reports(), st.sampled_from(sorted(LAYOUTS)))
def test_any_report_in_layout_tables_reads_as_it_does_without_them(report: Report, layout: str) -> None:
    plain = bytes(opengov.render(report, "docx"))
    expected = opengov.parse(plain)
    got = opengov.parse(_rewritten(plain, LAYOUTS[layout]))
    assert got.report == expected.report
    assert [d.code for d in got.diagnostics] == [d.code for d in expected.diagnostics]
