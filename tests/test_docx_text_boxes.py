"""Text boxes in Word files are read once.

Word (2010 and later) writes a text box or a shape holding text twice inside
``mc:AlternateContent``: once for itself (``mc:Choice``, a ``wps:txbx``) and once for older
readers (``mc:Fallback``, a VML ``v:textbox``).  A title set in a text box (a common way to
lay out a 红头 heading) read as ``某某局2023年度…报告某某局2023年度…报告``, and a cell whose
figure sits in a text box as ``3737\\n37\\n37``.  The fallback copy is skipped, and a text
box's paragraphs are read as part of the paragraph that anchors them, once.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import opengov
from budget import examples
from opengov._model import cell_values
from opengov._readers import docx

DATA = Path(__file__).resolve().parent / "data"

MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
VML = "urn:schemas-microsoft-com:vml"


def _reference() -> tuple[opengov.Report, bytes]:
    report = opengov.read(DATA / "zhapu-2023.txt").report
    return report, opengov.render(report, to="docx")


def _text_box(text: str) -> str:
    """A run holding a text box with ``text``, as Word writes one: the box, then its copy
    for older readers."""
    inner = f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"
    return (
        f'<w:r><mc:AlternateContent xmlns:mc="{MC}">'
        f'<mc:Choice Requires="wps"><w:drawing><wps:wsp xmlns:wps="{WPS}"><wps:txbx>'
        f"<w:txbxContent>{inner}</w:txbxContent></wps:txbx></wps:wsp></w:drawing></mc:Choice>"
        f'<mc:Fallback><w:pict><v:shape xmlns:v="{VML}"><v:textbox><w:txbxContent>{inner}'
        "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )


def _boxed(data: bytes, boxed: str) -> bytes:
    """The Word file with the runs of every paragraph whose text is ``boxed`` replaced by a
    text box holding that text."""
    source = zipfile.ZipFile(io.BytesIO(data))
    xml = source.read("word/document.xml").decode("utf-8")
    paragraphs = re.compile(r"<w:p\b[^>]*>(?:(?!</w:p>).)*</w:p>", re.S)
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        paragraph = match.group(0)
        if "".join(re.findall(r"<w:t\b[^>]*>([^<]*)</w:t>", paragraph)) != boxed:
            return paragraph
        count += 1
        start = paragraph.index(">") + 1
        properties = re.match(r"<w:pPr\b.*?</w:pPr>", paragraph[start:], re.S)
        kept = properties.group(0) if properties else ""
        return paragraph[:start] + kept + _text_box(boxed) + "</w:p>"

    xml = paragraphs.sub(replace, xml)
    assert count, f"no paragraph reads {boxed!r}"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = xml.encode("utf-8") if item.filename == "word/document.xml" else source.read(item.filename)
            target.writestr(item, content)
    return out.getvalue()


def test_a_title_in_a_text_box_is_read_once() -> None:
    report, data = _reference()
    result = opengov.parse(_boxed(data, report.title))
    assert result.report.title == report.title
    assert result.report == opengov.parse(data).report


def test_a_figure_in_a_text_box_in_a_cell_is_read_once() -> None:
    report, data = _reference()
    cells = {spec.key: value for spec, value in cell_values(report)}
    assert cells[("table3", "new_received", "total")] == 37
    result = opengov.parse(_boxed(data, "37"))
    got = {spec.key: value for spec, value in cell_values(result.report)}
    assert got == cells


@settings(max_examples=examples(40))
@given(st.text(alphabet="0123456789某局报告年度（）、", min_size=1, max_size=12))
def test_a_cell_holding_a_text_box_reads_its_text_once(text: str) -> None:
    """The cell text the reader's fast path and its search of the cell's paragraphs give
    are the text box's text, once, whatever it is."""
    xml = (
        '<w:tc xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:p>{_text_box(text)}</w:p></w:tc>"
    )
    tc = docx.ET.fromstring(xml)
    assert docx._cell_text(tc) == text
    assert docx._all_paragraphs_text(tc) == text


@pytest.mark.parametrize("copies", [1, 2])
def test_only_the_fallback_copy_is_skipped(copies: int) -> None:
    """Text in ``mc:Choice`` alone (no fallback) is read; a fallback alone is not."""
    choice = '<mc:Choice Requires="wps"><w:r><w:t>甲</w:t></w:r></mc:Choice>'
    fallback = "<mc:Fallback><w:r><w:t>乙</w:t></w:r></mc:Fallback>" if copies == 2 else ""
    xml = (
        '<w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        f'xmlns:mc="{MC}"><mc:AlternateContent>{choice}{fallback}</mc:AlternateContent></w:p>'
    )
    assert docx._text(docx.ET.fromstring(xml)) == "甲"
