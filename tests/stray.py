"""Test helper: insert a stray number into a rendered report, and check that the parser
placed it or reported it (never dropped it, never merged it into a neighbour), every other
figure staying exact or explicitly unresolved."""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from collections.abc import Sequence

import opengov
from opengov import BLANK, Severity

TEXT_FORMS = ("web", "box", "ascii", "markdown", "html", "docx")
"""The text forms a stray number is inserted into: the web-copy text layout (a cell per
TAB line), box-drawn and ASCII text, Markdown, HTML and Word."""


def table_region(lines: Sequence[str]) -> tuple[int, int]:
    """``(first, stop)``: the lines after the heading of section 二 up to that of section 五."""
    first = next(i for i, line in enumerate(lines) if line.lstrip("# ").startswith("二、")) + 1
    stop = next(i for i, line in enumerate(lines) if line.lstrip("# ").startswith("五、"))
    return first, stop


_BOX_BARS = "│|┃║"


def _fill(line: str, where: int, stray: str) -> str | None:
    """The line with ``stray`` written over white space inside a box-drawn cell (the line's
    width kept), in the ``where``-th cell that has room; None when no cell has room."""
    bars = [i for i, ch in enumerate(line) if ch in _BOX_BARS]
    room = []
    gap = re.compile(" {" + str(len(stray) + 2) + ",}")
    for a, b in itertools.pairwise(bars):
        inside = line[a + 1 : b]
        for m in gap.finditer(inside):
            room.append(a + 1 + m.start() + 1)
    if not room:
        return None
    at = room[where % len(room)]
    return line[:at] + stray + line[at + len(stray) :]


def mutate_lines(text: str, form: str, op: str, where: int, stray: str) -> str | None:
    """A line-based form with ``stray`` inserted (None: the operation does not apply)."""
    lines = text.split("\n")
    first, stop = table_region(lines)
    i = first + where % (stop - first)
    line = lines[i]
    if op == "line":  # a line of its own
        lines.insert(i, stray)
    elif op == "tab-line":  # a TAB line of its own
        lines.insert(i, "\t" + stray)
    elif op == "append":  # after the line's text
        if not line.strip():
            return None
        lines[i] = line + " " + stray
    elif op == "fill":  # inside a box-drawn or Markdown cell, the line's width kept
        filled = _fill(line, where // (stop - first), stray)
        if filled is None:
            return None
        lines[i] = filled
    else:  # pragma: no cover
        raise ValueError(op)
    return "\n".join(lines)


_CELL = re.compile(r"<(td|th)\b[^>]*>(.*?)</\1>", re.S)
_ROW = re.compile(r"<tr\b")


def mutate_html(html: str, op: str, where: int, stray: str) -> str | None:
    """HTML with ``stray`` inserted: in a cell's text, as a cell of its own after a cell,
    or as a row of its own."""
    if op == "row":
        rows = [m.start() for m in _ROW.finditer(html)]
        at = rows[where % len(rows)]
        return html[:at] + f"<tr><td>{stray}</td></tr>" + html[at:]
    cells = list(_CELL.finditer(html))
    m = cells[where % len(cells)]
    if op == "cell-start":
        at = m.start(2)
        return html[:at] + stray + " " + html[at:]
    if op == "cell-end":
        at = m.end(2)
        return html[:at] + " " + stray + html[at:]
    if op == "td":
        return html[: m.end()] + f"<td>{stray}</td>" + html[m.end() :]
    raise ValueError(op)  # pragma: no cover


_W_TEXT = re.compile(rb"(<w:t(?: [^>]*)?>)([^<]*)(</w:t>)")
_W_TABLE = re.compile(rb"<w:tbl>.*?</w:tbl>", re.S)


def mutate_docx(data: bytes, op: str, where: int, stray: str) -> bytes | None:
    """A Word file with ``stray`` inserted in a table: after a run's text, or as a
    paragraph of its own in the cell."""
    with zipfile.ZipFile(io.BytesIO(data)) as zin:
        members = [(info, zin.read(info)) for info in zin.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, body in members:
            if info.filename == "word/document.xml":
                body = _mutate_document_xml(body, op, where, stray.encode())
            zout.writestr(info, body)
    return out.getvalue()


def _mutate_document_xml(xml: bytes, op: str, where: int, stray: bytes) -> bytes:
    runs = [m for t in _W_TABLE.finditer(xml) for m in _W_TEXT.finditer(xml, t.start(), t.end())]
    m = runs[where % len(runs)]
    if op == "run-end":
        return xml[: m.end(2)] + b" " + stray + xml[m.end(2) :]
    if op == "paragraph":
        close = xml.index(b"</w:p>", m.end())
        at = close + len(b"</w:p>")
        return xml[:at] + b"<w:p><w:r><w:t>" + stray + b"</w:t></w:r></w:p>" + xml[at:]
    raise ValueError(op)  # pragma: no cover


OPS: dict[str, tuple[str, ...]] = {
    "web": ("line", "tab-line", "append"),
    "box": ("fill", "line"),
    "ascii": ("fill", "line"),
    "markdown": ("fill", "append", "line"),
    "html": ("cell-start", "cell-end", "td", "row"),
    "docx": ("run-end", "paragraph"),
}


def render(report: opengov.Report, form: str) -> str | bytes:
    """The report in one of :data:`TEXT_FORMS`."""
    from printing import print_reference_layout

    if form == "web":
        return print_reference_layout(report)
    if form == "box":
        return opengov.render(report, "text", style="box")
    if form == "ascii":
        return opengov.render(report, "text", style="ascii")
    if form == "markdown":
        return opengov.render(report, "markdown")
    if form == "html":
        return opengov.render(report, "html")
    return opengov.render(report, "docx")


def mutate(document: str | bytes, form: str, op: str, where: int, stray: str) -> str | bytes | None:
    """``document`` (in ``form``) with ``stray`` inserted by ``op`` at ``where``."""
    if form == "docx":
        assert isinstance(document, bytes)
        return mutate_docx(document, op, where, stray)
    assert isinstance(document, str)
    if form == "html":
        return mutate_html(document, op, where, stray)
    return mutate_lines(document, form, op, where, stray)


def check_stray(
    before: opengov.ParseResult, document: str | bytes, stray: str, *, lost_separators: bool = False
) -> str | None:
    """What is wrong with the reading of ``document`` (``before`` with ``stray`` inserted),
    or None: the stray number must be placed (in a cell that was blank or absent) or named
    by a located diagnostic; every other cell must read as before or be absent with a
    warning or error saying so.

    ``lost_separators``: the document lost the separators between cells (one-line crawler
    text), and cells it left unresolved may be read from the edited text as printed: a
    number printed beside a run that lost its separators (``政府集中采购 4242
    39573802895.90元``) gives that row the cells it lacked, and no reader can tell it from
    data.  The cells read before must still read the same or be absent."""
    try:
        after = opengov.parse(document)
    except opengov.ParseError as exc:
        if any(d.location != opengov.Location() for d in exc.diagnostics):
            return None
        return f"ParseError without a location: {exc}"
    new = [d for d in after.diagnostics if (d.code, d.message) not in {(x.code, x.message) for x in before.diagnostics}]
    placed = False
    absent = []
    read = {cell.key: cell.value for cell in after.report.cells()}  # (a table not found: no cells)
    for old in before.report.cells():
        value = read.get(old.key)
        if value == old.value:
            continue
        if value is None:
            absent.append(old.key)
            continue
        if (old.value is None or old.value == BLANK) and _is_stray(value, stray):
            placed = True
            continue
        if lost_separators and old.value is None:
            continue
        return f"{old.key}: {old.value!r} read as {value!r}"
    if absent and not any(d.severity is not Severity.INFO for d in new):
        return f"cells made absent without a warning: {absent}"
    reported = any(stray in d.message and d.location != opengov.Location() for d in after.diagnostics)
    if not (placed or reported):
        return f"{stray} neither placed nor reported; new diagnostics: {[(d.code, d.message) for d in new]}"
    return None


def _is_stray(value: object, stray: str) -> bool:
    if isinstance(value, int):
        return str(value) == stray
    number = getattr(value, "value", None)
    return number is not None and str(number) == stray


_HEAD_2 = "二、主动公开政府信息情况"
_HEAD_5 = "五、"


def text_region(text: str) -> tuple[int, int]:
    """``(start, stop)``: the characters after the heading of section 二 up to that of
    section 五 (its first occurrence after 二)."""
    start = text.index(_HEAD_2) + len(_HEAD_2)
    stop = text.index(_HEAD_5, start)
    return start, stop


def boundaries(text: str) -> list[int]:
    """The offsets in the table region of a text where a token starts or ends (beside
    white space, or between a number's character and another): where a number can be
    inserted without cutting a printed token (a glued run of digits and signs is one
    token)."""
    start, stop = text_region(text)
    return [
        i
        for i in range(start, stop + 1)
        if text[i - 1].isspace() or text[i].isspace() or _in_number(text[i - 1]) != _in_number(text[i])
    ]


def _in_number(ch: str) -> bool:
    return ch.isdigit() or ch in ".．,，-－+＋"


SEPARATORS = (" ", "\n", "\t", "\n\t")


def insert_at(text: str, offset: int, separator: str, stray: str) -> str:
    """``text`` with ``stray`` inserted at ``offset``: between two ``separator`` (a space or
    a TAB) there; with a line break (``\n``, or ``\n\t`` for a TAB line) as a line of its
    own after the line ``offset`` is in (no line is split and no blank line made: a blank
    line ends a row, which is another edit)."""
    if "\n" not in separator:
        return text[:offset] + separator + stray + separator + text[offset:]
    end = text.find("\n", offset)
    end = len(text) if end < 0 else end
    return text[:end] + separator + stray + text[end:]
