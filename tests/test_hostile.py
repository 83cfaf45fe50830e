"""Hostile and broken input (issue 22): each file of ``tests/data/hostile/`` ends in a
documented error (``ParseError``, ``LoadError``, or ``ValueError`` for an argument a
writer cannot take) or parses, at a bounded cost.

Cost is bounded in memory (Python's allocations by :mod:`tracemalloc`, the process's by
its peak resident size) and in work (the ``Limits`` that stop a document early); time is
never asserted here (``benchmarks/bench_hostile.py`` measures it; the figures are in
``docs/limits.md``).  The rewritten patterns are compared with the ones they replace on
generated text, and :func:`opengov.to_csv`'s neutralised text read back exactly.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
import resource
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import opengov
from opengov import Limits, LoadError, ParseError
from opengov._readers import docx, html, markdown
from opengov._serialize.csv_read import _long_records
from opengov._serialize.csv_write import FORMULA_STARTS
from opengov.testing import reports

DATA = Path(__file__).resolve().parent / "data"
HOSTILE = DATA / "hostile"
T = TypeVar("T")
MEMORY = 200 * 2**20
"""What one hostile document may cost in memory (bytes)."""


def bounded_memory(call: Callable[[], T]) -> T:
    """The call's result (or the exception it raised, re-raised), after checking that it
    raises the process's peak resident size by less than :data:`MEMORY` (the C libraries'
    memory too: lxml, PDFium, zlib) and allocates less than that at its peak (Python's own
    allocations, traced).  Two runs: the resident size is measured without tracing (a
    trace per live block made it twice what the document costs: 238 against 122 MiB for
    12 MB of table rows), then the traced peak."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    with contextlib.suppress(Exception):  # the outcome is the traced run's; here only its memory counts
        call()
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - before
    assert grown < MEMORY, f"the process grew by {grown / 2**20:.0f} MiB"
    tracemalloc.start()
    try:
        return call()
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert peak < MEMORY, f"{peak / 2**20:.0f} MiB allocated at the peak"


def _outcome(call: Callable[[], object]) -> object:
    """What the call returned, or the documented error it raised (any other propagates)."""
    try:
        return call()
    except (ParseError, LoadError, ValueError) as error:
        return error


def _code(outcome: object) -> str | None:
    if isinstance(outcome, ParseError):
        return outcome.diagnostics[-1].code
    return None


def _read_bytes(name: str) -> bytes:
    return (HOSTILE / name).read_bytes()


def _parse(name: str) -> Callable[[], object]:
    return lambda: opengov.parse(_read_bytes(name))


def _render_docx(name: str) -> Callable[[], object]:
    """Parse, then print to Word a report whose title holds the control character the
    document's title held (the parser removes it; a report may be built with one)."""

    def run() -> object:
        report = opengov.parse(_read_bytes(name)).report
        assert "\x07" not in report.title  # the parser removed it (control-characters)
        return opengov.render(attrs.evolve(report, title=report.title + "\x07"), to="docx")

    return run


# name -> (what is done with it, the type it ends in, the diagnostic code of a ParseError)
OUTCOMES: dict[str, tuple[Callable[[], object], type, str | None]] = {
    "gridspan.docx": (_parse("gridspan.docx"), ParseError, "unknown-format"),  # read, then no report in it
    "lying-size.docx": (_parse("lying-size.docx"), ParseError, "docx-damaged"),
    "damaged-directory.docx": (_parse("damaged-directory.docx"), ParseError, "docx-damaged"),
    "tables.html": (_parse("tables.html"), ParseError, "unknown-format"),
    "blank-lines.html": (_parse("blank-lines.html"), ParseError, "unknown-format"),
    "heading-spaces.md": (_parse("heading-spaces.md"), ParseError, "unknown-format"),
    "delimiter-spaces.md": (_parse("delimiter-spaces.md"), ParseError, "unknown-format"),
    "tabs-line.txt": (_parse("tabs-line.txt"), ParseError, "unknown-format"),
    "long-figure.txt": (_parse("long-figure.txt"), opengov.ParseResult, None),
    "control-title.txt": (_render_docx("control-title.txt"), ValueError, None),
    "long-figure.json": (lambda: opengov.loads(_read_bytes("long-figure.json")), LoadError, None),
    "long-figure.long.csv": (lambda: opengov.from_csv(_read_bytes("long-figure.long.csv")), LoadError, None),
    "long-amount.long.csv": (lambda: opengov.from_csv(_read_bytes("long-amount.long.csv")), LoadError, None),
    "long-paragraph.long.csv": (lambda: opengov.from_csv(_read_bytes("long-paragraph.long.csv")), list, None),
    # the PDFs (their outcomes are tested in tests/test_pdf.py; here their cost)
    "cid-widths.pdf": (_parse("cid-widths.pdf"), ParseError, None),
    "grid-lines.pdf": (_parse("grid-lines.pdf"), ParseError, None),
    "long-line.pdf": (_parse("long-line.pdf"), ParseError, None),
    "grid-pages.pdf": (_parse("grid-pages.pdf"), ParseError, "limit-cells"),
    "many-pages.pdf": (_parse("many-pages.pdf"), ParseError, "limit-pages"),
    "truncated.pdf": (_parse("truncated.pdf"), ParseError, "pdf-damaged"),
    "zero-pages.pdf": (_parse("zero-pages.pdf"), ParseError, "pdf-no-pages"),
    "encrypted.pdf": (_parse("encrypted.pdf"), ParseError, "pdf-encrypted"),
    "blank.pdf": (_parse("blank.pdf"), ParseError, None),
}


def test_every_hostile_file_has_an_outcome() -> None:
    files = sorted(p.name for p in HOSTILE.iterdir() if p.suffix != ".py")
    assert files == sorted(OUTCOMES)


@pytest.mark.parametrize("name", sorted(OUTCOMES))
def test_hostile_file_ends_in_a_documented_outcome_at_a_bounded_cost(name: str) -> None:
    call, expected, code = OUTCOMES[name]
    outcome = bounded_memory(lambda: _outcome(call))
    assert isinstance(outcome, expected), repr(outcome)[:300]
    if code is not None:
        assert _code(outcome) == code
    if isinstance(outcome, (ParseError, LoadError)):
        assert str(outcome)  # a message, one problem a line


def test_a_figure_too_long_is_a_located_diagnostic_and_checks_run() -> None:
    result = opengov.parse(_read_bytes("long-figure.txt"))
    (diagnostic,) = [d for d in result.diagnostics if d.code == "figure-too-long"]
    assert diagnostic.location.line is not None
    assert "5000 characters" in diagnostic.message
    assert result.report.cell("table2", "licensing", "decisions") is None  # unresolved, never a wrong figure
    findings = opengov.check(result)
    assert all(isinstance(f, opengov.Finding) for f in findings)


def test_too_long_figures_in_the_data_formats_name_the_limit() -> None:
    for name in ("long-figure.json", "long-figure.long.csv", "long-amount.long.csv"):
        outcome = _outcome(
            lambda name=name: (opengov.loads if name.endswith("json") else opengov.from_csv)(_read_bytes(name))
        )
        assert isinstance(outcome, LoadError)
        assert "longer than any figure (18 digits)" in str(outcome), str(outcome)[:300]


def test_a_long_paragraph_reads_back() -> None:
    (report,) = opengov.from_csv(_read_bytes("long-paragraph.long.csv"))
    assert report.other_matters[-1] == "x" * 140_000
    assert opengov.from_csv(opengov.to_csv(report)) == [report]


def test_a_control_character_the_word_writer_cannot_hold_is_named() -> None:
    outcome = _outcome(_render_docx("control-title.txt"))
    assert isinstance(outcome, ValueError)
    assert "'\\x07'" in str(outcome)
    assert "title" in str(outcome)


def test_a_control_character_in_a_title_is_removed_and_said() -> None:
    result = opengov.parse(_read_bytes("control-title.txt"))
    assert "\x07" not in result.report.title
    assert "\x07" not in result.report.organ
    assert [d.code for d in result.diagnostics if d.code == "control-characters"] == ["control-characters"]


# ---------------------------------------------------------------------------------------
# Word: spans, cells and the archive
# ---------------------------------------------------------------------------------------


def test_a_huge_grid_span_is_clipped_to_the_limit() -> None:
    document = docx.read(_read_bytes("gridspan.docx"))
    (grid,) = document.grids()
    assert [c.colspan for c in grid.cells] == [1000]
    assert [d.code for d in document.diagnostics] == ["docx-span-clipped"]
    assert "Limits.span" in document.diagnostics[0].message
    small = docx.read(_read_bytes("gridspan.docx"), limits=Limits(span=5))
    assert [c.colspan for g in small.grids() for c in g.cells] == [5]


def test_word_cells_are_counted_while_the_table_is_read() -> None:
    with pytest.raises(ParseError) as error:
        docx.read(_read_bytes("gridspan.docx"), limits=Limits(cells=999))
    assert error.value.diagnostics[0].code == "limit-cells"
    assert error.value.diagnostics[0].location.table == 1


def test_a_word_part_over_the_decompressed_limit_is_refused() -> None:
    with pytest.raises(ParseError) as error:
        opengov.parse(_read_bytes("gridspan.docx"), limits=Limits(decompressed_bytes=100))
    assert error.value.diagnostics[0].code == "limit-decompressed-bytes"
    assert "Limits.decompressed_bytes" in error.value.diagnostics[0].message


def test_the_word_part_is_read_in_bounded_chunks() -> None:
    """Whatever the directory says, no more than the limit (and one chunk) is decompressed."""
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b" " * (3 << 20))
    with zipfile.ZipFile(buffer) as archive:
        info = archive.getinfo("word/document.xml")
        with pytest.raises(ParseError) as error:
            docx._bounded_read(archive, info, 2 << 20)
        assert error.value.diagnostics[0].code == "limit-decompressed-bytes"
        assert len(docx._bounded_read(archive, info, 3 << 20)) == 3 << 20


# ---------------------------------------------------------------------------------------
# 50 MB of table rows as text (made here, not kept)
# ---------------------------------------------------------------------------------------

REFERENCE_TEXT = (DATA / "zhapu-2023.txt").read_text(encoding="utf-8")


def _rows_text(size: int) -> bytes:
    lines = REFERENCE_TEXT.split("\n")
    start = next(i for i, line in enumerate(lines) if "本年新收" in line)
    block = "\n".join(lines[start : start + 18]) + "\n"  # a row of table 3 and the next, TAB layout
    return (REFERENCE_TEXT + block * (size // len(block.encode()))).encode()


def test_fifty_megabytes_of_rows_are_refused_before_they_are_split() -> None:
    data = _rows_text(50_000_000)
    with pytest.raises(ParseError) as error:
        bounded_memory(lambda: opengov.parse(data))
    assert error.value.diagnostics[0].code == "limit-text-bytes"


@pytest.mark.parametrize("form", ["text", "markdown"])
def test_rows_beyond_the_cell_limit_stop_the_reading(form: str) -> None:
    if form == "text":
        data = _rows_text(12_000_000)
    else:
        rendered = (DATA / "zhapu-2023.rendered.md").read_text(encoding="utf-8")
        start = rendered.index("| 一、本年新收")
        end = rendered.index("\n", start) + 1
        data = (rendered[:end] + rendered[start:end] * 60_000 + rendered[end:]).encode()
    with pytest.raises(ParseError) as error:
        bounded_memory(lambda: opengov.parse(data))
    (diagnostic,) = error.value.diagnostics
    assert diagnostic.code == "limit-cells"
    assert diagnostic.location.line is not None
    last = data.count(b"\n") + 1
    assert diagnostic.location.line < last // 2  # stopped early, not after reading the whole text


# ---------------------------------------------------------------------------------------
# The rewritten patterns find what the backtracking ones found
# ---------------------------------------------------------------------------------------

_OLD_TABLE_RE = re.compile(r"<table[\s>].*?</t[dh]\s*>", re.I | re.S)
_OLD_PIPE_TABLE_RE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*\|", re.M)
_OLD_DELIMITER = re.compile(r"\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*")
_OLD_HEADING = re.compile(r"\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*")

_PIECES = st.lists(
    st.sampled_from(
        [
            "<table>",
            "<TABLE ",
            "</td>",
            "</th >",
            "<td>",
            "|",
            "-",
            "---",
            ":",
            "#",
            " ",
            "\t",
            "\n",
            "\r",
            "\u3000",
            "a",
            "表",
            "<p>",
            "x",
        ]
    ),
    max_size=30,
).map("".join)


@given(_PIECES)
def test_html_detection_finds_what_the_lazy_pattern_found(text: str) -> None:
    old = bool(_OLD_TABLE_RE.search(text)) and not _OLD_PIPE_TABLE_RE.search(text)
    new = html._has_table_with_cells(text) and not html._PIPE_TABLE_RE.search(html._BLANK_LINES_RE.sub("\n", text))
    assert new == old


@given(_PIECES)
def test_markdown_patterns_match_what_the_ambiguous_ones_matched(line: str) -> None:
    assert bool(markdown._DELIMITER.fullmatch(line)) == bool(_OLD_DELIMITER.fullmatch(line))
    old, new = _OLD_HEADING.fullmatch(line), markdown._HEADING.fullmatch(line)
    assert (old is None) == (new is None)
    if old is not None and new is not None:
        assert markdown._heading_text(new) == old.group(2)


_CSV_FIELDS = st.lists(
    st.lists(st.text(st.sampled_from(["a", '"', ",", "\n", "\r", " ", "'", "="]), max_size=6), min_size=1, max_size=4),
    max_size=5,
)


@given(_CSV_FIELDS, st.sampled_from(["\n", "\r\n"]))
def test_long_field_reader_reads_what_the_csv_module_reads(rows: list[list[str]], terminator: str) -> None:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator=terminator).writerows(rows)
    text = buffer.getvalue()
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    expected = []
    while True:
        start = reader.line_num + 1
        try:
            expected.append((start, next(reader)))
        except StopIteration:
            break
    assert list(_long_records(text)) == expected


def test_long_field_reader_refuses_an_open_quote() -> None:
    with pytest.raises(LoadError, match="line 2"):
        list(_long_records('a\n"b,c\n'))


# ---------------------------------------------------------------------------------------
# CSV that is safe to open in a spreadsheet
# ---------------------------------------------------------------------------------------

_RISKY = st.sampled_from(
    [
        '=HYPERLINK("http://x","y")',
        "@SUM(A1)",
        "+1+1",
        "-2+3",
        "\tx",
        "\rx",
        "'quoted",
        "''",
        "-",
        "-3",
        "+5",
        "=",
        "plain",
        "",
    ]
)


def _fields(text: str) -> Iterator[str]:
    for row in csv.reader(io.StringIO(text, newline="")):
        yield from row


def _executable(field: str) -> bool:
    return field != "" and field[0] in FORMULA_STARTS and not re.fullmatch(r"[+-]?[0-9]+(?:\.[0-9]*)?", field)


@given(reports(), _RISKY, _RISKY, st.lists(_RISKY, max_size=3), st.sampled_from(["long", "wide"]))
def test_csv_neutralises_formulas_and_reads_back_exactly(
    report: opengov.Report, organ: str, title: str, prose: list[str], shape: str
) -> None:
    report = attrs.evolve(report, organ=organ, title=title, overview=tuple(prose))
    safe = opengov.to_csv(report, shape=shape)  # type: ignore[arg-type]
    assert not any(_executable(field) for field in _fields(safe))
    read = opengov.from_csv(safe)
    no_prose = attrs.evolve(report, preamble=(), overview=(), problems=(), other_matters=())
    expected = report if shape == "long" else no_prose  # the wide layout has no prose
    assert read == [expected]
    unsafe = opengov.to_csv(report, shape=shape, safe=False)  # type: ignore[arg-type]
    assert opengov.from_csv(unsafe, safe=False) == [expected]
    if any(_executable(t) or t.startswith("'") for t in (organ, title)):
        assert unsafe != safe


def test_negative_numbers_are_not_neutralised() -> None:
    report = opengov.loads((DATA / "zhapu-2023.expected.json").read_bytes())
    text = opengov.to_csv(report)
    assert ",number,-" not in text  # (the reference has no negative figure)
    from opengov._serialize.csv_write import neutralise

    assert [neutralise(t) for t in ("-3", "+5", "-1.5", "-", "-1+1", "=1", "'", "@a", "\tx")] == [
        "-3",
        "+5",
        "-1.5",
        "'-",
        "'-1+1",
        "'=1",
        "''",
        "'@a",
        "'\tx",
    ]


# ---------------------------------------------------------------------------------------
# check(): a blank does not hide a total the printed parts already exceed
# ---------------------------------------------------------------------------------------

REFERENCE = opengov.loads((DATA / "zhapu-2023.expected.json").read_bytes())
_PARTS = ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org")


def _row_total_findings(report: opengov.Report, row: str) -> list[opengov.Finding]:
    return [f for f in opengov.check(report) if f.rule == "t3-row-total" and f.row == row]


@given(
    st.sampled_from([c.row for c in REFERENCE.cells() if c.table == "table3" and c.column == "total"]),
    st.sampled_from(_PARTS),
    st.sampled_from(_PARTS),
    st.integers(-3, 3),
)
def test_a_blank_part_does_not_hide_parts_beyond_the_total(row: str, blank: str, changed: str, delta: int) -> None:
    if blank == changed:
        return
    printed = REFERENCE.cell("table3", row, changed)
    assert isinstance(printed, int)
    if printed + delta < 0:
        return
    report = REFERENCE.with_cell("table3", row, blank, opengov.BLANK).with_cell("table3", row, changed, printed + delta)
    others = sum(
        value for part in _PARTS if part != blank and isinstance(value := report.cell("table3", row, part), int)
    )
    total = report.cell("table3", row, "total")
    assert isinstance(total, int)
    findings = _row_total_findings(report, row)
    if others > total:  # an error whatever the blank holds (it holds 0 or more)
        (finding,) = findings
        assert finding.severity is opengov.Severity.ERROR
        assert finding.blanks == (("table3", row, blank),)
    else:  # the blank may hold the difference: undecided, not an error
        assert findings == []
        assert any(
            f.rule == "undecided" and f.identity == "t3-row-total" and f.row == row for f in opengov.check(report)
        )
