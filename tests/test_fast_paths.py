"""The fast paths added for speed give what the plain definitions give.

* The box-text reader reads a table whose lines have string canvases through the table's
  shape (cached: a pure function of its border lines and where its bars are) and falls
  back to lists of display columns when a line holds a zero-width character (a combining
  accent): both must read the drawn cells back, at their line and column, and raise the
  same errors for malformed tables (``_read_table(..., plain=True)`` is the definition).
* The text reader reads a run of TAB lines between blank lines at once: it must give what
  reading line by line gives (:func:`opengov._readers.text.read_line_by_line`).
* The long CSV layout is assembled from pre-encoded pieces: every line must still parse
  (with the standard library's reader) into exactly the documented fields of that cell.
* Table records are built from a cell map with rows of plain counts taken from a cache of
  row records (``_model._plain_row``, a pure function of their values): the records must
  be those built anew (:func:`_plain_tables` is the definition).
* Readers keep no state between reads (their caches are ``functools`` caches of pure
  functions): reading one document does not change what another reads.
"""

from __future__ import annotations

import csv
import functools
import io
import math
import re

import attrs
import pytest
from hypothesis import example, given, reject, settings
from hypothesis import strategies as st

import opengov
from budget import examples
from opengov._errors import ParseError
from opengov._grid import Document, Grid, GridCell, computed_lines, lines_of
from opengov._model import Amount, Blank, Placeholder, field_label
from opengov._readers import _labels, _pdfium, boxtext, markdown
from opengov._readers import text as text_reader
from opengov._serialize.csv_specs import LONG_COLUMNS, PROSE_SECTIONS
from opengov._writers.text import render_grid
from opengov.testing import any_reports

# Cell texts mixing narrow, wide and zero-width (combining) characters.
TEXTS = st.lists(st.sampled_from(["a", "1", "字", "表", "e\u0301", "x\u0308", "ｱ", "-"]), max_size=6).map("".join)


@given(
    st.lists(TEXTS, min_size=1, max_size=4), st.lists(TEXTS, min_size=1, max_size=4), st.sampled_from(["box", "ascii"])
)
def test_box_reader_reads_cells_with_wide_and_zero_width_characters(
    top: list[str], bottom: list[str], style: str
) -> None:
    n = max(len(top), len(bottom))
    top += [""] * (n - len(top))
    bottom += [""] * (n - len(bottom))
    cells = [GridCell(row=0, col=c, text=t, header=True) for c, t in enumerate(top)]
    cells += [GridCell(row=1, col=c, text=t) for c, t in enumerate(bottom)]
    lines = render_grid(Grid(cells=tuple(cells), n_rows=2, n_cols=n), style=style)  # type: ignore[arg-type]
    text = "标题\n\n" + "\n".join(lines) + "\n"
    (grid,) = boxtext.read(text).grids()
    assert (grid.n_rows, grid.n_cols) == (2, n)
    assert [c.text for c in grid.cells] == top + bottom
    # Each cell's location: the line of its row's first content line, the column after "│ ".
    assert {c.location.line for c in grid.cells if c.row == 0} == {4}  # type: ignore[union-attr]
    assert {c.location.line for c in grid.cells if c.row == 1} == {6}  # type: ignore[union-attr]
    assert [c.location.column for c in grid.cells if c.col == 0] == [3, 3]  # type: ignore[union-attr]


def _cells_of(document: object) -> list[tuple[int, int, int, int, str]]:
    return [(c.row, c.col, c.rowspan, c.colspan, c.text) for g in document.grids() for c in g.cells]  # type: ignore[attr-defined]


def test_box_reader_shapes_know_where_the_bars_are() -> None:
    """Tables with the same border lines and as many bars per line, but a bar elsewhere,
    each get their own shape, whatever was read before."""
    one = "┌───┬───┐\n│ a │ b │\n└───┴───┘\n"
    moved = "┌───┬───┐\n│ab│ c  │\n└───┴───┘\n"
    joined = "┌───┬───┐\n│ a   b │\n├───┼───┤\n│ 1 │ 2 │\n└───┴───┘\n"
    expected = {
        one: [(0, 0, 1, 1, "a"), (0, 1, 1, 1, "b")],
        moved: [(0, 0, 1, 1, "ab"), (0, 1, 1, 2, "c")],  # its bar at column 3 makes a third column
        joined: [(0, 0, 1, 2, "a   b"), (1, 0, 1, 1, "1"), (1, 1, 1, 1, "2")],
    }
    for text in (one, moved, one, joined, moved, joined):
        assert _cells_of(boxtext.read(text)) == expected[text]


# No bare "\r": see test_a_bare_carriage_return_survives_the_csv_round_trip.
ODD = st.lists(st.sampled_from([",", '"', "\n", "\r\n", " ", "a", "局", "\t"]), max_size=8).map("".join)


def expected_cell_fields(value: object) -> list[str]:
    """``state, value, unit, text`` of a cell as the long layout documents them."""
    if value is None:
        return ["absent", "", "", ""]
    if isinstance(value, Blank):
        return ["blank", "", "", ""]
    if isinstance(value, Placeholder):
        return ["placeholder", "", "", value.glyph]
    if isinstance(value, Amount):
        unit = value.unit or ""
        return ["amount", str(value.value), unit, f"{value.value}{unit}"]
    assert isinstance(value, int)
    return ["number", str(value), "", str(value)]


@given(st.lists(any_reports(absent=True), min_size=1, max_size=2), ODD, ODD)
def test_long_csv_lines_hold_the_documented_fields(reports: list[opengov.Report], organ: str, title: str) -> None:
    reports = [attrs.evolve(r, organ=organ, title=title, overview=(title, "一段")) for r in reports]
    records = list(csv.reader(io.StringIO(opengov.to_csv(reports, safe=False), newline="")))
    assert records[0] == list(LONG_COLUMNS)
    expected = []
    for index, report in enumerate(reports, 1):
        meta = [str(index), report.format.value, organ, "" if report.year is None else str(report.year), title]
        for cell in report.cells():
            head = [cell.table, cell.block or "", cell.row, cell.row_label, cell.column, cell.column_label]
            expected.append(meta + head + expected_cell_fields(cell.value))
        for section in PROSE_SECTIONS:
            label = field_label(opengov.Report, section)
            for number, paragraph in enumerate(getattr(report, section), 1):
                expected.append([*meta, "prose", "", section, label, str(number), "", "text", "", "", paragraph])
    assert records[1:] == expected
    # the default (safe=True): report, organ, title, unit and text fields a spreadsheet would
    # run as a formula carry a leading ' (so does one starting with '), signed numbers not
    safe = list(csv.reader(io.StringIO(opengov.to_csv(reports), newline="")))
    texts = [LONG_COLUMNS.index(name) for name in ("report", "organ", "title", "unit", "text")]

    def neutralised(field: str) -> str:
        risky = field[:1] in ("=", "+", "-", "@", "\t", "\r", "'")
        return "'" + field if risky and re.fullmatch(r"[+-]?[0-9]+(\.[0-9]*)?", field) is None else field

    assert safe[1:] == [[neutralised(f) if i in texts else f for i, f in enumerate(row)] for row in expected]


def test_a_bare_carriage_return_survives_the_csv_round_trip() -> None:
    report = opengov.Report(format="2021", organ="某局", year=2024, title="x\ry", overview=("p\rq",))
    assert opengov.from_csv(opengov.to_csv(report)) == [report]


@given(st.text(alphabet='ab\r\n,"某', max_size=8), st.text(alphabet='ab\r\n,"某', max_size=8))
def test_fields_holding_carriage_returns_round_trip_in_both_layouts(organ: str, title: str) -> None:
    report = opengov.Report(format="2021", organ=organ, year=2024, title=title, overview=(title + "\r",))
    assert opengov.from_csv(opengov.to_csv(report)) == [report]
    back = opengov.from_csv(opengov.to_csv(report, shape="wide"))
    assert [(r.organ, r.title) for r in back] == [(organ, title)]


@given(st.lists(any_reports(), min_size=1, max_size=4), st.integers(min_value=1, max_value=3))
@settings(max_examples=30)
def test_numbered_blocks_concatenate_to_one_csv(reports: list[opengov.Report], cut: int) -> None:
    def _to_csv_lines(items: list[opengov.Report], first: int, *, header: bool = False) -> str:
        numbered = enumerate(items, first)
        return "".join(line for n, r in numbered for line in opengov.csv_lines(r, n, header=header and n == first))

    cut = min(cut, len(reports))
    joined = _to_csv_lines(reports[:cut], 1, header=True) + _to_csv_lines(reports[cut:], cut + 1)
    assert joined == opengov.to_csv(reports)


@given(
    st.lists(
        st.tuples(st.integers(0, 4), st.integers(0, 4), st.integers(0, 3), st.integers(0, 3)),
        max_size=12,
    ),
    st.integers(0, 6),
    st.integers(0, 6),
)
def test_the_assemblers_row_lines_match_the_origin_map(
    specs: list[tuple[int, int, int, int]], n_rows: int, n_cols: int
) -> None:
    """The span-aware fast path gives each row's distinct covering cells exactly as
    ``Grid.origin_map`` does, overlapping and out-of-range cells included."""
    from opengov._grid import _lines_by_map
    from opengov._grid import computed_lines as _lines

    cells = tuple(GridCell(row=r, col=c, rowspan=rs, colspan=cs, text=str(i)) for i, (r, c, rs, cs) in enumerate(specs))
    grid = Grid(cells=cells, n_rows=n_rows, n_cols=n_cols)
    assert [[c.text for c in line] for line in _lines(grid)] == [[c.text for c in line] for line in _lines_by_map(grid)]


def test_format_markers_hold_no_digit_and_no_line_break() -> None:
    """detect_format leaves figures out of the text it searches for the markers."""
    from opengov import layout
    from opengov._assemble.vocab import loose as _loose

    for lay in (layout.LAYOUT_2019, layout.LAYOUT_2021):
        for marker in lay.markers:
            loose = _loose(marker)
            assert loose
            assert not any(ch.isdigit() for ch in loose)
            assert "\n" not in loose


# The batch's packed CSV lines: see tests/test_cli.py::test_packed_lines_number_like_the_reports_csv_lines.


# -- plain figures ------------------------------------------------------------------------

FIGURES = st.text(alphabet="0123456789", min_size=1, max_size=12)
_LABEL_TEXTS = sorted(
    {
        text
        for lay in (opengov.layout.LAYOUT_2019, opengov.layout.LAYOUT_2021)
        for spec in lay.index.cells
        for text in (spec.row_label, spec.column_label, spec.block_label or "", *spec.row_variants)
    }
)


@given(FIGURES, st.sampled_from(list(opengov.layout.Kind)))
def test_plain_figures_read_as_the_general_path_reads_them(text: str, kind: opengov.layout.Kind) -> None:
    """``read_cell`` and ``is_value_text`` answer a plain ASCII figure at once; a trailing
    space (stripped by the general path, and no repair) sends the same figure through
    every general step, which must agree."""
    from opengov._codec import is_value_text, read_cell

    assert read_cell(text, kind) == read_cell(text + " ", kind)
    assert read_cell.__wrapped__(text, kind) == read_cell.__wrapped__(text + " ", kind)
    assert is_value_text(text) is True
    assert is_value_text(text + " ") is True


@given(FIGURES)
def test_plain_figures_are_values_to_the_assembler(text: str) -> None:
    """A plain ASCII figure is on a row's value side, holds a digit, names no table and
    reads as its integer without a note (the general definitions' answers)."""
    from opengov._assemble import rows, vocab
    from opengov._codec import has_digit, read_cell

    assert rows.value_side(text) is True
    assert rows.value_side.__wrapped__(text + " ") is True
    assert has_digit(text) is True
    for fmt in opengov.layout.Format:
        assert vocab.vote(vocab.vocab(fmt), text) == ()
    assert read_cell(text, opengov.layout.Kind.COUNT).value == int(text)
    assert read_cell(text, opengov.layout.Kind.COUNT).note is None


@given(st.one_of(FIGURES, st.text(max_size=12), st.sampled_from(_LABEL_TEXTS)))
def test_the_votes_figure_shortcut_answers_as_the_vote(text: str) -> None:
    """``vote`` answers a plain figure at once (outside its cache); every answer is the
    uncached vote's."""
    from opengov._assemble import vocab

    for fmt in opengov.layout.Format:
        voc = vocab.vocab(fmt)
        assert vocab.vote(voc, text) == vocab._vote.__wrapped__(voc, text)


def _vote_by_each_index(voc: object, text: str) -> tuple[str, ...]:
    """The plain definition of a vote: each index asked in turn (``LabelIndex.match``)."""
    from opengov._assemble import vocab
    from opengov._codec import is_value_text

    assert isinstance(voc, vocab.Vocab)
    found: tuple[str, ...] = ()
    if text.strip() and not is_value_text(text):
        last = text.split("/")[-1] if "/" in text else text
        if voc.t2_rows.match(last) or voc.t2_captions.match(last):
            found += ("table2",)
        if voc.t3_rows.match(last) or voc.t3_groups.match(last):
            found += ("table3",)
        if voc.t4_blocks.match(last) or vocab.loose(last) in vocab._t4_words():
            found += ("table4",)
    return found


_VOTED = st.builds(
    lambda before, label, notes, after: before + label + "".join(notes) + after,
    st.sampled_from(["", "", "（一）", "二、", "3.", "4、", "其他/", " ", "（"]),
    st.one_of(st.sampled_from(_LABEL_TEXTS), st.text(alphabet="行政复议诉讼许可其他总计一二（）、.", max_size=8)),
    st.lists(st.sampled_from(["（件）", "(万元)", "（注1）", "（", "）", "（二）", "(a)"]), max_size=3),
    st.sampled_from(["", "", " ", "：", "（", "小计"]),
)


@given(st.one_of(_VOTED, st.text(max_size=12)))
def test_a_vote_asks_every_index_at_once_as_each_in_turn(text: str) -> None:
    """A vote tries the text's normalised forms once, against the keys of every index
    together: it names the tables that asking each index in turn names."""
    from opengov._assemble import vocab

    for fmt in opengov.layout.Format:
        voc = vocab.vocab(fmt)
        assert vocab._vote.__wrapped__(voc, text) == _vote_by_each_index(voc, text)


# -- lines noted by the readers -------------------------------------------------------------


def _noted_and_computed(document: object) -> list[tuple[object, object]]:
    from opengov._grid import computed_lines, lines_of

    return [(lines_of(g), computed_lines(g)) for g in document.grids()]  # type: ignore[attr-defined]


@settings(max_examples=40)
@given(any_reports(), st.sampled_from(["box", "ascii"]))
def test_box_reader_notes_the_lines_the_assembler_would_compute(report: opengov.Report, style: str) -> None:
    """The box-text reader notes each grid's lines (from its shape, worked out once): they
    are the lines computed from the grid's cells, the first table of a shape and the next."""
    text = opengov.render(report, to="text", style=style)  # type: ignore[arg-type]
    for _ in range(2):
        pairs = _noted_and_computed(boxtext.read(text))
        assert pairs
        for noted, computed in pairs:
            assert noted == computed
            assert [[id(c) for c in line] for line in noted] == [[id(c) for c in line] for line in computed]  # type: ignore[attr-defined]


@settings(max_examples=40)
@given(any_reports())
def test_text_reader_notes_the_lines_the_assembler_would_compute(report: opengov.Report) -> None:
    """The TAB-layout reader notes each grid's rows as its lines: they are the lines
    computed from the grid's cells."""
    from printing import print_reference_layout

    pairs = _noted_and_computed(text_reader.read(print_reference_layout(report)))
    assert pairs
    for noted, computed in pairs:
        assert [[id(c) for c in line] for line in noted] == [[id(c) for c in line] for line in computed]  # type: ignore[attr-defined]


# -- the readers' fast paths against their definitions --------------------------------------


def _dump(document: Document) -> list[object]:
    """Everything a Document says: every block with its location, every cell with its
    spans and location, and each grid's lines as the assembler reads them."""
    out: list[object] = [(document.form, document.soft_cells, document.tables_missing, document.diagnostics)]
    for block in document.blocks:
        if isinstance(block, Grid):
            out.append(_dump_grid(block))
        else:
            out.append(("paragraph", block.text, block.page_number, block.location))
    return out


def _dump_grid(grid: Grid) -> tuple[object, ...]:
    cells = [(c.row, c.col, c.rowspan, c.colspan, c.text, c.header, c.location) for c in grid.cells]
    lines = [[(c.row, c.col) for c in line] for line in lines_of(grid)]
    assert [[(c.row, c.col) for c in line] for line in computed_lines(grid)] == lines
    return ("grid", grid.n_rows, grid.n_cols, grid.location, cells, lines)


@st.composite
def drawn_tables(draw: st.DrawFn) -> tuple[list[str], str]:
    """The lines of a table drawn by the text renderer (random spans, wide, zero-width
    and wrapping texts), sometimes damaged: a character replaced, inserted or deleted."""
    n_rows, n_cols = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    taken = [[False] * n_cols for _ in range(n_rows)]
    cells: list[GridCell] = []
    for r in range(n_rows):
        for c in range(n_cols):
            if taken[r][c]:
                continue
            width = 1
            while c + width < n_cols and not taken[r][c + width]:
                width += 1
            colspan = draw(st.integers(1, width))
            height = 1
            while r + height < n_rows and not any(taken[r + height][c : c + colspan]):
                height += 1
            rowspan = draw(st.integers(1, height))
            for y in range(r, r + rowspan):
                for x in range(c, c + colspan):
                    taken[y][x] = True
            text = draw(st.one_of(TEXTS, st.sampled_from(["12", "3件", "商业企业", "一、本年新收", "1341万元"])))
            cells.append(
                GridCell(row=r, col=c, rowspan=rowspan, colspan=colspan, text=text, header=draw(st.booleans()))
            )
    style = draw(st.sampled_from(["box", "ascii"]))
    grid = Grid(cells=tuple(cells), n_rows=n_rows, n_cols=n_cols)
    try:
        lines = render_grid(grid, style=style, label_width=draw(st.integers(2, 8)))  # type: ignore[arg-type]
    except ValueError:  # a text holding a border character of the style
        reject()
    for _ in range(draw(st.integers(0, 2))):
        y = draw(st.integers(0, len(lines) - 1))
        x = draw(st.integers(0, len(lines[y])))
        new = draw(st.sampled_from(["│", "─", "┼", "┬", "|", "+", "-", " ", "字", "a", "\u0301", ""]))
        cut = draw(st.integers(0, 1))
        lines[y] = lines[y][:x] + new + lines[y][x + cut :]
    return lines, style


def _table_outcome(lines: list[str], first: int, plain: bool) -> object:
    try:
        return _dump_grid(boxtext._read_table(lines, first, plain=plain))
    except ParseError as error:
        return ("error", [(d.code, d.message, d.location) for d in error.diagnostics])


@settings(max_examples=examples(400))
@given(drawn_tables(), st.integers(0, 50))
def test_box_reader_reads_tables_through_their_shapes_as_the_plain_reading_does(
    table: tuple[list[str], str], first: int
) -> None:
    """Every drawn table, damaged or not, read through its cached shape (string canvases)
    gives what reading it as lists of display columns gives: the same cells, spans,
    locations and lines, or the same error."""
    lines, _style = table
    assert _table_outcome(lines, first, plain=False) == _table_outcome(lines, first, plain=True)


_CELL_TEXTS = st.sampled_from(
    ["", "12", "0", "商业", "企业", "行政许可", "—", "36件", "a b", "1341万元", "自然人", "  "]
)
_SECTIONS = [label for label, _ in _labels.section_labels()]
_LONG_PIECES = st.sampled_from([*_SECTIONS, "行政许可2629", "行政处罚", "自然人", "36", "0", "。", "本年度", " "])
_TEXT_LINES = st.one_of(
    st.sampled_from(
        [
            "",
            "",
            " ",
            "\t",
            "一、总体情况",
            "三、收到和处理政府信息公开申请情况",
            "- 3 -",
            "第2页",
            "12/30",
            "- 1234 -",
            "本机关认真落实条例规定。",
            "一、本年新收政府信息公开申请数量 36 1 0 0 0 0 37",
            "行政许可2629",
            "规章 0 0 5",
            "36 件",
            "无",
            "商业",
        ]
    ),
    _CELL_TEXTS.map(lambda cell: "\t" + cell),
    _CELL_TEXTS.map(lambda cell: "\t" + cell),
    st.lists(_CELL_TEXTS, min_size=2, max_size=3).map("\t".join),
    _CELL_TEXTS.map(lambda cell: " \t" + cell),
    st.lists(_LONG_PIECES, min_size=30, max_size=60).map("".join),
)


_TAB_LINES = st.one_of(
    _CELL_TEXTS.map(lambda cell: "\t" + cell),
    _CELL_TEXTS.map(lambda cell: "\t" + cell),
    st.sampled_from(["企业", "商业", "申请", "组织", "- 3 -", "一、总体情况", "本机关认真落实条例规定。"]),
    _TEXT_LINES,
)
"""Lines of a run that may be read at once: mostly TAB cells and the words that continue them."""
_SEPARATORS = st.sampled_from(["", "", "", " ", "\n"])
"""What stands between two runs: a blank line, a line of white space, two blank lines."""


@settings(max_examples=examples(500))
@given(st.lists(st.tuples(st.lists(_TAB_LINES, min_size=1, max_size=6), _SEPARATORS), max_size=12))
@example([(["\t商业", "企业", "\t12"], ""), (["\t3"], "")])
def test_text_reader_reads_runs_of_tab_lines_as_reading_line_by_line_does(
    runs: list[tuple[list[str], str]],
) -> None:
    """The text reader's shortcut for a run of TAB lines between blank lines gives what
    reading every line by itself gives: the same blocks, cells, locations and lines."""
    text = "\n".join(line for run, separator in runs for line in (*run, separator))
    doubled = text.replace("\n", "\n\n")  # double-spaced when it has enough lines
    for variant in (text, text.rstrip("\n"), text.replace("\n", "\r\n"), doubled):
        assert _dump(text_reader.read(variant)) == _dump(text_reader.read_line_by_line(variant))


@settings(max_examples=examples(60))
@given(
    any_reports(),
    any_reports(),
    st.sampled_from(["text", "box", "ascii", "markdown"]),
    st.sampled_from(["text", "box", "ascii", "markdown"]),
)
def test_reading_one_document_does_not_change_what_another_reads(
    first: opengov.Report, second: opengov.Report, first_form: str, second_form: str
) -> None:
    """Readers keep nothing between reads but caches of pure functions: a document reads
    the same before and after another was read (cells, locations and lines included)."""
    from printing import print_reference_layout

    def source(report: opengov.Report, form: str) -> tuple[object, str]:
        if form == "text":
            return text_reader.read, print_reference_layout(report)
        if form == "markdown":
            return markdown.read, opengov.render(report, to="markdown")
        return boxtext.read, opengov.render(report, to="text", style=form)  # type: ignore[arg-type]

    read_first, text_first = source(first, first_form)
    read_second, text_second = source(second, second_form)
    before = _dump(read_first(text_first))  # type: ignore[operator]
    _dump(read_second(text_second))  # type: ignore[operator]
    assert _dump(read_first(text_first)) == before  # type: ignore[operator]


# --- PDF reader: a page's lines read once --------------------------------------------------

_PDF_GLYPHS = st.sampled_from(["字", "表", "1", "a", " ", "\u3000", "。", ""])  # "": a glyph without text


@st.composite
def _pdf_chars(draw: st.DrawFn) -> list[object]:
    """Characters on a small page: tops on a coarse grid (lines that chain and lines apart),
    widths of 0–12 points, some blank glyphs, some estimated, a few of no height (a point
    when also of no width)."""
    from opengov._readers._pdfium import Char

    chars = []
    for _ in range(draw(st.integers(1, 30))):
        top = draw(st.integers(0, 40)) * 1.5
        x0 = draw(st.integers(0, 60)) * 2.0
        width = draw(st.integers(0, 12)) * 1.0
        size = draw(st.sampled_from([9.0, 10.5, 12.0, 0.0]))
        chars.append(Char(draw(_PDF_GLYPHS), x0, x0 + width, top, top + size, size, draw(st.booleans())))
    return chars


_BOXES = st.lists(
    st.tuples(st.integers(0, 60), st.integers(0, 40), st.integers(1, 60), st.integers(1, 40)).map(
        lambda b: (b[0] * 2.0, b[1] * 1.5, b[0] * 2.0 + b[2] * 2.0, b[1] * 1.5 + b[3] * 1.5)
    ),
    max_size=3,
)


@given(_pdf_chars(), _BOXES)
@settings(max_examples=examples(300))
def test_pdf_lines_outside_the_tables_are_the_lines_read_afresh(chars: list[object], boxes: list[object]) -> None:
    _assert_lines_outside_as_read_afresh(chars, boxes)


@st.composite
def _chars_in_a_box(draw: st.DrawFn) -> tuple[list[object], list[object]]:
    """A table's box and characters on a few lines in it, on its edges or just beyond them,
    some of no width, of no height or both (a point), some of a negative width or height."""
    from opengov._readers._pdfium import Char

    left, top = draw(st.integers(0, 20)) * 2.0, draw(st.integers(0, 20)) * 1.5
    right, bottom = left + draw(st.integers(4, 40)) * 2.0, top + draw(st.integers(2, 20)) * 3.0
    xs = st.sampled_from([left - 2.0, left, (left + right) / 2, right - 1.0, right])
    chars = []
    for _ in range(draw(st.integers(1, 12))):
        x0 = draw(xs)
        width = draw(st.sampled_from([0.0, 1.0, -1.0, math.nan]))  # NaN: a damaged PDF's number
        line_top = draw(st.sampled_from([top - 1.0, top, (top + bottom) / 2, bottom - 9.0, bottom]))
        height = draw(st.sampled_from([0.0, 9.0, -1.0]))  # a box upside down: as a damaged PDF may give
        chars.append(Char(draw(_PDF_GLYPHS), x0, x0 + width, line_top, line_top + height, abs(height), False))
    return chars, [(left, top, right, bottom)]


@given(_chars_in_a_box())
@example(  # a NaN width after a real one: the line's extent ignores it, the test of each box must not
    (
        [_pdfium.Char("字", 1.0, 2.0, 1.0, 4.0, 3.0, False), _pdfium.Char("表", 3.0, math.nan, 1.0, 4.0, 3.0, False)],
        [(0.0, 0.0, 8.0, 6.0)],
    )
)
@settings(max_examples=examples(300))
def test_pdf_lines_in_a_table_box_are_read_as_afresh(case: tuple[list[object], list[object]]) -> None:
    """Lines lying in a box, on its edges, a little beyond, with characters of no width or
    height: the shortcut for a line inside a box (:func:`pdf._within`, :func:`pdf._no_points`)
    gives what the plain reading gives."""
    _assert_lines_outside_as_read_afresh(*case)


@st.composite
def _cell_chars(draw: st.DrawFn) -> list[object]:
    """A cell's characters on one or two lines: two tops at most apart by the line tolerance
    (one line), just beyond it or far beyond it (two); glyphs and blanks, x close together
    so that the order of the lines and the order of x often disagree."""
    from opengov._readers import pdf
    from opengov._readers._pdfium import Char

    base = draw(st.integers(0, 40)) * 1.5
    tolerance = pdf._LINE_TOLERANCE
    second = base + draw(st.sampled_from([0.0, tolerance / 3, tolerance, tolerance + 0.01, tolerance + 0.4, 12.0]))
    chars = []
    for _ in range(draw(st.integers(0, 8))):
        top = draw(st.sampled_from([base, second]))
        x0 = draw(st.integers(0, 8)) * 1.5
        width = draw(st.integers(0, 2)) * 1.0
        chars.append(Char(draw(_PDF_GLYPHS), x0, x0 + width, top, top + 9.0, 9.0, False))
    return chars


@given(st.one_of(_cell_chars(), _pdf_chars()))
@settings(max_examples=examples(300))
def test_pdf_a_cells_text_is_its_lines_joined(chars: list[object]) -> None:
    """The one-line path of :func:`pdf._cell_text` gives the plain definition's text: the
    cell's lines (:func:`pdf._text_lines`), each rebuilt (:func:`pdf._chars_text`), joined."""
    from opengov._readers import pdf

    plain = pdf._join_lines(pdf._chars_text(line) for line in pdf._text_lines(chars)) if chars else ""  # type: ignore[arg-type]
    assert pdf._cell_text(chars) == plain  # type: ignore[arg-type]


def _assert_lines_outside_as_read_afresh(chars: list[object], boxes: list[object]) -> None:
    import bisect

    from opengov._readers import pdf

    groups = pdf._line_groups(chars)  # type: ignore[arg-type]
    numbered = pdf._numbered_lines(groups)
    # the plain definition: the page's lines read from the characters (_text_lines), numbered
    # 1, 2, … over all of them, those without text left out
    plain_all = [pdf._line(line, 0) for line in pdf._text_lines(chars)]  # type: ignore[arg-type]
    all_lines = [attrs.evolve(line, line=i) for i, line in enumerate(plain_all, start=1) if line.text]
    # each numbered group with text is that line (its characters, number and top); lines
    # compared by their reprs, which hold every field compared (a NaN coordinate equals none)
    assert [repr(pdf._line(e.chars, e.number)) for e in numbered if e is not None] == list(map(repr, all_lines))
    assert repr([e.top for e in numbered if e is not None]) == repr([line.top for line in all_lines])
    tops = [line.top for line in all_lines]

    def line_at(top: float) -> int | None:
        if not tops:
            return None
        i = bisect.bisect_left(tops, top)
        if i == len(tops) or (i > 0 and abs(tops[i - 1] - top) <= abs(tops[i] - top)):
            i -= 1
        return all_lines[i].line

    fast = pdf._lines_outside(groups, numbered, boxes)  # type: ignore[arg-type]
    plain = [line for line in pdf._lines_outside_plain(chars, boxes, line_at) if line.text]  # type: ignore[arg-type]
    if fast is None:  # a line is cut by a box: then some characters of one line are outside
        assert any(
            0 < sum(any(pdf._overlaps(c, b) for b in boxes) for c in group) < len(group)  # type: ignore[arg-type]
            for group in groups
        )
    else:
        assert list(map(repr, fast)) == list(map(repr, plain))  # every field, the line's number too


@given(_pdf_chars(), st.sampled_from([0.0, 9.0, 10.5]))
def test_pdf_segments_given_the_lines_text_are_the_segments_read_afresh(chars: list[object], size: float) -> None:
    from opengov._readers import pdf

    glyphs = sorted((c for c in chars if not c.text.isspace()), key=lambda c: c.x0)  # type: ignore[attr-defined]
    text = pdf._clean(pdf._chars_text(glyphs))
    assert pdf._segments(glyphs, size, text) == pdf._segments(glyphs, size)


@given(st.lists(st.floats(min_value=0, max_value=100, allow_nan=False), min_size=1, max_size=9))
def test_pdf_median_is_the_statistics_median(values: list[float]) -> None:
    import statistics

    from opengov._readers import pdf

    assert pdf._median(list(values)) == statistics.median(values)


# --- PDFium: the calls made per character and per object without argument types ----------


def _address(handle: object) -> int | None:
    import ctypes

    return ctypes.cast(handle, ctypes.c_void_p).value  # type: ignore[arg-type]


_TEST_PDFS = sorted((__import__("pathlib").Path(__file__).parent / "data").rglob("*.pdf"))


@given(st.sampled_from(_TEST_PDFS), st.data())
@settings(max_examples=40, deadline=None)
def test_pdfium_untyped_calls_give_what_the_typed_calls_give(path: object, data: st.DataObject) -> None:
    """Every call of :class:`opengov._readers._pdfium._Calls` on a page of a test PDF (its
    objects, its characters) returns what the binding's typed function returns."""
    import ctypes

    import pytest

    pdfium = pytest.importorskip("pypdfium2.raw")
    from opengov._readers import _pdfium

    calls = _pdfium._untyped_calls(pdfium)
    raw = path.read_bytes()  # type: ignore[attr-defined]
    document = pdfium.FPDF_LoadMemDocument64(raw, len(raw), None)
    if not document:
        reject()
    try:
        pages = pdfium.FPDF_GetPageCount(document)
        if not 0 < pages <= 50:
            reject()
        page = pdfium.FPDF_LoadPage(document, data.draw(st.integers(0, min(pages, 5) - 1)))
        textpage = pdfium.FPDFText_LoadPage(page)
        try:
            for i in range(min(pdfium.FPDFPage_CountObjects(page), 400)):
                typed = pdfium.FPDFPage_GetObject(page, i)
                obj = calls.get_object(page, i)
                assert _address(obj) == _address(typed)
                assert calls.get_type(obj) == pdfium.FPDFPageObj_GetType(typed)
                a = [ctypes.c_float() for _ in range(4)]
                b = [ctypes.c_float() for _ in range(4)]
                assert calls.get_bounds(obj, *map(ctypes.byref, a)) == pdfium.FPDFPageObj_GetBounds(typed, *b)
                assert [v.value for v in a] == [v.value for v in b]
                if calls.get_type(obj) != pdfium.FPDF_PAGEOBJ_PATH:
                    continue
                count = calls.count_segments(obj)
                assert count == pdfium.FPDFPath_CountSegments(typed)
                for k in range(min(count, 50)):
                    segment, typed_segment = calls.get_segment(obj, k), pdfium.FPDFPath_GetPathSegment(typed, k)
                    assert _address(segment) == _address(typed_segment)
                    if not segment:
                        continue
                    x1, y1, x2, y2 = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
                    got = calls.segment_point(segment, ctypes.byref(x1), ctypes.byref(y1))
                    assert got == pdfium.FPDFPathSegment_GetPoint(typed_segment, x2, y2)
                    assert (x1.value, y1.value) == (x2.value, y2.value)
                    assert calls.segment_type(segment) == pdfium.FPDFPathSegment_GetType(typed_segment)
                    assert calls.segment_close(segment) == pdfium.FPDFPathSegment_GetClose(typed_segment)
            for i in range(min(pdfium.FPDFText_CountChars(textpage), 400)):
                r1, r2 = pdfium.FS_RECTF(), pdfium.FS_RECTF()
                got = calls.loose_box(textpage, i, ctypes.byref(r1))
                assert got == pdfium.FPDFText_GetLooseCharBox(textpage, i, r2)
                assert (r1.left, r1.right, r1.bottom, r1.top) == (r2.left, r2.right, r2.bottom, r2.top)
                m1, m2 = pdfium.FS_MATRIX(), pdfium.FS_MATRIX()
                assert calls.char_matrix(textpage, i, ctypes.byref(m1)) == pdfium.FPDFText_GetMatrix(textpage, i, m2)
                assert (m1.a, m1.b, m1.c, m1.d, m1.e, m1.f) == (m2.a, m2.b, m2.c, m2.d, m2.e, m2.f)
                assert calls.font_size(textpage, i) == pdfium.FPDFText_GetFontSize(textpage, i)
                assert calls.is_generated(textpage, i) == pdfium.FPDFText_IsGenerated(textpage, i)
        finally:
            pdfium.FPDFText_ClosePage(textpage)
            pdfium.FPDF_ClosePage(page)
    finally:
        pdfium.FPDF_CloseDocument(document)


# --- Label normalisation: the folds done only when there is something to fold ------------

_LABEL_PIECES = st.sampled_from(
    ["(", ")", ":", ",", ";", "（", "）", "：", "，", "；", "1", "１", "12", "、", ".", "．", "一", "规章", "a", "Ａ",
     " ", "\u3000", "\xa0", "\t", "\n", "\x1c", "\u2028", "\u201c", "\u201d", "\u2018", "\u2019", "＂", "＇", '"',
     "'", "\ufe35", "⑴", "。", "《", "》", "【", "】", "—", "·", "…", "％", "\u0301", "e", "\u1100", "\u1161", "가",
     "\uf900", "㈠", "\u3099", "か", "\u0b47", "\u0b3e", "〔", "〕", "〈", "•", "‐", "\u2011", "！", "？",
     "\u3000\u0301"]
)  # fmt: skip


def _normalize_label_plain(text: str) -> str:
    """:func:`opengov.layout.normalize_label` as its folds are listed, one after the other
    (the definition)."""
    import unicodedata

    folded = unicodedata.normalize("NFKC", text)
    folded = re.sub(r"\s+", "", folded)
    folded = folded.replace("(", "（").replace(")", "）").replace(":", "：").replace(",", "，").replace(";", "；")
    folded = folded.translate(
        str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'", "＂": '"', "＇": "'"})
    )
    if not folded[:1].isdecimal():
        return folded
    return re.sub(r"^(\d+)[.、．,，]", r"\1.", folded)


_LABEL_TEXTS = st.one_of(st.lists(_LABEL_PIECES, max_size=12).map("".join), st.text(max_size=20))


@given(_LABEL_TEXTS)
@settings(max_examples=examples(500))
@example("（一）予以公开")
@example(" 1、 规章 “引号” ")
@example("e\u0301")
@example("\u1100\u1161")
def test_normalize_label_is_its_folds_one_after_the_other(text: str) -> None:
    """Also where NFKC is skipped (a text of NFKC-stable characters and full-width ，：（）；)."""
    from opengov.layout import normalize_label

    assert normalize_label(text) == _normalize_label_plain(text)


@given(_LABEL_TEXTS)
@settings(max_examples=examples(500))
@example("（一）：，；")
def test_loose_is_the_word_characters_of_the_nfkc_form(text: str) -> None:
    """:func:`opengov._assemble.vocab.loose`, which skips NFKC like ``normalize_label``, is
    its definition: the word characters of the text's NFKC form."""
    import unicodedata

    from opengov._assemble.vocab import loose

    assert loose.__wrapped__(text) == re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text))


def test_the_nfkc_stable_characters_are_stable() -> None:
    """Every character of :data:`opengov._nfkc.STABLE` is its own NFKC form, has no
    decomposition and no combining class, and composes with no neighbour (none is the second
    character of a composition, and none is one of Hangul's composing jamo or syllables);
    every one of ``FOLDED`` is one ASCII character in NFKC."""
    import sys
    import unicodedata

    from opengov import _nfkc

    stable = re.compile(f"[{_nfkc.STABLE}]")
    members = [chr(c) for c in range(sys.maxunicode + 1) if stable.match(chr(c))]
    assert len(members) > 20_000  # ASCII, the CJK Unified Ideographs, Chinese punctuation
    # the second characters of canonical decompositions in two that are starters themselves
    # (U+0B3E of U+0B4B = U+0B47 U+0B3E …): a starter before one may compose with it
    seconds = {
        second
        for c in range(sys.maxunicode + 1)
        if (d := unicodedata.decomposition(chr(c)))
        and not d.startswith("<")
        and len(d.split()) == 2
        and unicodedata.combining(second := chr(int(d.split()[1], 16))) == 0
    }
    assert "\u0b3e" in seconds  # the set is what it says
    for ch in members:
        assert unicodedata.normalize("NFKC", ch) == ch, ch
        assert unicodedata.decomposition(ch) == "", ch
        assert unicodedata.combining(ch) == 0, ch
        assert ch not in seconds, ch
        assert not "\u1100" <= ch <= "\u11ff", ch  # Hangul jamo
        assert not "\uac00" <= ch <= "\ud7a3", ch  # Hangul syllables
    for ch in _nfkc.FOLDED:
        folded = unicodedata.normalize("NFKC", ch)
        assert len(folded) == 1, ch
        assert folded.isascii(), ch
        assert folded not in seconds, ch
    assert not any(_nfkc.CHANGES_RE.search(ch) for ch in members + list(_nfkc.FOLDED))


# --- Control characters: the pattern led by its class --------------------------------------

_CONTROL_PLAIN = re.compile(
    # the pattern as first written: ESC with its sequence, or any one control character
    "\x1b(?:\\[[0-?]{0,32}[ -/]{0,8}[@-~]|\\][^\x07\x1b]{0,256}(?:\x07|\x1b\\\\))?"
    "|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
)
_CONTROL_PIECES = st.sampled_from(
    ["\x1b", "[", "]", "31", "0;", "m", "?", " ", "/", "\x07", "\\", "\x00", "\x1f", "\x7f", "\x9b", "\t", "\n",
     "a", "字"]
)  # fmt: skip


@given(st.one_of(st.lists(_CONTROL_PIECES, max_size=20).map("".join), st.text(max_size=30)))
@settings(max_examples=examples(500))
@example("a\x1b[31mred\x1b[0m b\x1b]0;title\x07z\x1b")
def test_control_characters_are_found_as_the_plain_pattern_finds_them(text: str) -> None:
    """The assembler's control-character pattern, led by its class so that the engine skips
    other characters in C, finds and removes exactly what the pattern as first written did."""
    from opengov._assemble.orchestrate import _CONTROL

    found = _CONTROL.search(text)
    plain = _CONTROL_PLAIN.search(text)
    assert (found and found.span()) == (plain and plain.span())
    assert _CONTROL.subn("", text) == _CONTROL_PLAIN.subn("", text)


_ROW_PIECES = st.sampled_from(["|", "\\", " ", "-", ":", "a", "字", "\t", "<br>", "\u3000"])


@given(st.lists(_ROW_PIECES, max_size=30).map("".join))
def test_markdown_width_counts_the_cells_a_row_makes(line: str) -> None:
    """The delimiter row's width is counted without making its cells: as many as
    :func:`markdown._row` makes."""
    assert markdown._width(line) == len(markdown._row(line, 1, 0))


@given(_pdf_chars())
def test_pdf_segments_read_later_are_the_segments_of_the_lines_glyphs(chars: list[object]) -> None:
    """A line's segments, read only for a document without ruled tables, are those of its
    glyphs at their median font size (what the line was once made with)."""
    import statistics

    from opengov._readers import pdf

    for number, line_chars in enumerate(pdf._text_lines(chars), start=1):  # type: ignore[arg-type]
        line = pdf._line(line_chars, number)
        glyphs = [c for c in line_chars if not c.text.isspace()]
        expected = pdf._segments(glyphs, statistics.median(c.size for c in glyphs))
        assert expected
        with_segments = pdf._with_segments(line)
        assert with_segments.segments == expected
        assert attrs.evolve(with_segments, segments=()) == line


# --- Ruled tables: the cells of a grid of drawn sides -------------------------------------


def _cell_groups_as_first_written(across: list[list[bool]], down: list[list[bool]]) -> list[list[object]]:
    """:func:`opengov._readers._ruling.cell_groups` as it was first written (the definition)."""
    n_rows, n_cols = len(across) - 1, len(down) - 1
    parent = list(range(n_rows * n_cols))

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for j in range(n_rows):
        for i in range(n_cols):
            k = j * n_cols + i
            if i + 1 < n_cols and not down[i + 1][j]:
                a, b = root(k), root(k + 1)
                if a != b:
                    parent[b] = a
            if j + 1 < n_rows and not across[j + 1][i]:
                a, b = root(k), root(k + n_cols)
                if a != b:
                    parent[b] = a
    regions: dict[int, list[int]] = {}
    for k in range(n_rows * n_cols):
        regions.setdefault(root(k), []).append(k)
    cells = []
    for squares in regions.values():
        rows = [k // n_cols for k in squares]
        cols = [k % n_cols for k in squares]
        c0, c1, r0, r1 = min(cols), max(cols) + 1, min(rows), max(rows) + 1
        if len(squares) != (c1 - c0) * (r1 - r0):
            continue
        if (
            all(across[r0][i] for i in range(c0, c1))
            and all(across[r1][i] for i in range(c0, c1))
            and all(down[c0][j] for j in range(r0, r1))
            and all(down[c1][j] for j in range(r0, r1))
        ):
            cells.append((c0, r0, c1, r1))
    owner = list(range(len(cells)))

    def table_of(k: int) -> int:
        while owner[k] != k:
            owner[k] = owner[owner[k]]
            k = owner[k]
        return k

    corners: dict[tuple[int, int], int] = {}
    for n, (c0, r0, c1, r1) in enumerate(cells):
        for corner in ((c0, r0), (c1, r0), (c0, r1), (c1, r1)):
            other = corners.setdefault(corner, n)
            a, b = table_of(other), table_of(n)
            if a != b:
                owner[b] = a
    groups: dict[int, list[object]] = {}
    for n, cell in enumerate(cells):
        groups.setdefault(table_of(n), []).append(cell)
    return list(groups.values())


@st.composite
def _drawn_sides(draw: st.DrawFn) -> tuple[list[list[bool]], list[list[bool]]]:
    n_rows, n_cols = draw(st.integers(1, 7)), draw(st.integers(1, 7))
    p = draw(st.sampled_from([0.5, 0.8, 0.95]))  # how often a side is drawn
    side = st.floats(0, 1).map(lambda x: x < p)
    across = [[draw(side) for _ in range(n_cols)] for _ in range(n_rows + 1)]
    down = [[draw(side) for _ in range(n_rows)] for _ in range(n_cols + 1)]
    return across, down


@given(_drawn_sides())
@settings(max_examples=examples(300))
def test_ruled_cell_groups_are_those_first_written(sides: tuple[list[list[bool]], list[list[bool]]]) -> None:
    from opengov._readers._ruling import cell_groups

    across, down = sides
    assert cell_groups(across, down) == _cell_groups_as_first_written(across, down)


@given(_pdf_chars(), st.lists(st.integers(0, 60), min_size=2, max_size=6, unique=True), st.data())
def test_pdf_cells_chars_place_each_character_as_cell_at_does(
    chars: list[object], columns: list[int], data: st.DataObject
) -> None:
    """The characters of each cell, found with ``cell_at`` inline and a test for a centre off
    the grid, are those ``cell_at`` places (estimated ones as before)."""
    from opengov._readers import pdf

    xs = tuple(sorted(c * 2.0 for c in columns))
    ys = tuple(sorted(data.draw(st.lists(st.integers(0, 50), min_size=2, max_size=6, unique=True))))
    ys = tuple(y * 1.5 for y in ys)
    squares = {(i, j): data.draw(st.integers(0, 2)) for i in range(len(xs) - 1) for j in range(len(ys) - 1)}
    squares = {key: n for key, n in squares.items() if data.draw(st.booleans()) or n == 0}
    cells = ((0.0, 0.0, 1.0, 1.0),) * 3
    table = pdf._FoundTable(cells=cells, xs=xs, ys=ys, squares=squares)
    inside, _ = pdf._cells_chars(table, chars)  # type: ignore[arg-type]
    expected: list[list[object]] = [[], [], []]
    for char in chars:
        if char.estimated:  # type: ignore[attr-defined]
            continue
        n = table.cell_at((char.x0 + char.x1) / 2, (char.top + char.bottom) / 2)  # type: ignore[attr-defined]
        if n is not None:
            expected[n].append(char)
    assert [[c for c in cell if not c.estimated] for cell in inside] == expected


def test_pdfium_pages_read_through_the_typed_calls_are_the_same(monkeypatch: object) -> None:
    """Every test PDF's pages read with the untyped calls equal those read with the binding's
    typed functions (what the reader falls back to when they are no ctypes functions)."""
    import pytest

    pytest.importorskip("pypdfium2.raw")
    from opengov._limits import DEFAULT_LIMITS
    from opengov._readers import _pdfium

    def outcome(data: bytes) -> object:
        try:
            return _pdfium.read_pages(data, DEFAULT_LIMITS)
        except ParseError as error:
            return [(d.code, d.message) for d in error.diagnostics]

    documents = [path.read_bytes() for path in _TEST_PDFS]
    untyped = [outcome(data) for data in documents]
    monkeypatch.setattr(_pdfium, "_untyped", lambda function: function)  # type: ignore[attr-defined]
    assert [outcome(data) for data in documents] == untyped
    assert any(isinstance(pages, list) and pages and isinstance(pages[0], _pdfium.PageContent) for pages in untyped)


def test_pdf_a_line_touching_a_tables_edge_is_read_as_the_plain_reading_does() -> None:
    """A character whose box only touches a table's top edge overlaps it (an edge in common):
    the check of a line's height against the boxes keeps such a line in view."""
    from opengov._readers import pdf
    from opengov._readers._pdfium import Char

    chars = [
        Char("表", 10.0, 20.0, 0.0, 10.0, 10.0),  # touches the box's top edge (y = 10)
        Char("字", 10.0, 20.0, 30.0, 40.0, 10.0),  # well outside
    ]
    boxes = [(0.0, 10.0, 100.0, 25.0)]
    groups = pdf._line_groups(chars)  # type: ignore[arg-type]
    numbered = pdf._numbered_lines(groups)
    fast = pdf._lines_outside(groups, numbered, boxes)
    assert fast is not None
    assert [line.text for line in fast] == ["字"]
    plain = pdf._lines_outside_plain(chars, boxes, lambda top: 2)  # type: ignore[arg-type]
    assert [(line.text, line.line) for line in plain if line.text] == [(line.text, line.line) for line in fast]


# ---------------------------------------------------------------------------------------
# The one label locator: a trie walked in Python against the trie as one regular expression
# ---------------------------------------------------------------------------------------


def _trie_regex(labels: list[str]) -> re.Pattern[str]:
    """The plain path of :class:`opengov._locate.Labels`: the labels' trie as one regular
    expression over folded text (how the locator matched before), white space allowed
    between a label's characters, an item number's ``.`` as a class of its printed forms;
    the engine's backtracking gives the longest label at the first place one matches."""
    from opengov import _locate

    def cls(ch: str) -> str:
        if ch != ".":
            return re.escape(ch)
        return "[" + "".join(re.escape(f) for f in _locate._item_forms()) + "]"

    root: dict[str, dict] = {}  # type: ignore[type-arg]
    for label in labels:
        node = root
        for ch in label:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:  # type: ignore[type-arg]
        branches = [r"\s*" + cls(ch) + emit(child) for ch, child in node.items() if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and "" not in node else "(?:" + "|".join(branches) + ")"
        return body + "?" if "" in node else body

    return re.compile("|".join(cls(ch) + emit(child) for ch, child in root.items()))


def _locator_sets() -> dict[str, tuple[list[str], object]]:
    from opengov import _locate

    heads, keys = _locate._headings()
    return {
        "labels": (list(_locate._table_labels((opengov.Format.V2019, opengov.Format.V2021))), _locate.table_labels()),
        "headings": (list(keys), heads),
    }


@functools.cache
def _plain_locator(kind: str) -> re.Pattern[str]:
    return _trie_regex(_locator_sets()[kind][0])


@st.composite
def _locator_texts(draw: st.DrawFn, kind: str) -> str:
    """Text around labels of ``kind`` printed in other forms: white space inside them (and
    at their ends), labels cut short or run into each other, item numbers with each form
    of their ``.``, digits, prose and characters that start labels."""
    from opengov import _locate

    labels = _locator_sets()[kind][0]
    inverse: dict[str, list[str]] = {}
    for ch, printed in _locate._printed_forms().items():
        inverse.setdefault(ch, []).extend(printed)
    starts = sorted({label[0] for label in labels} | {label[1] for label in labels if len(label) > 1})
    parts: list[str] = []
    for _ in range(draw(st.integers(0, 5))):
        label = draw(st.sampled_from(labels))
        cut = draw(st.sampled_from([len(label), len(label), len(label), draw(st.integers(1, len(label)))]))
        for ch in label[:cut]:
            choices = [ch, *inverse.get(ch, ())]
            choices += list(_locate._ITEM_FORMS) if ch == "." else []
            parts.append(draw(st.sampled_from(choices)))
            if draw(st.integers(0, 6)) == 0:
                parts.append(draw(st.sampled_from([" ", "\u3000", "\t", "  ", "\n", " \u3000", "\t\u3000 "])))
        parts.append(draw(st.sampled_from(["", "", "12", " 3 4", "其他", "（注）", "。", " ", "1", "1.", "一、"])))
        parts.append(draw(st.text(st.sampled_from([*starts, " ", "0", "的", "．", "、"]), max_size=4)))
    return "".join(parts)


@settings(max_examples=examples(300), deadline=None)
@given(st.sampled_from(["labels", "headings"]), st.data())
def test_the_label_locator_finds_what_the_trie_regex_finds(kind: str, data: st.DataObject) -> None:
    """``Labels.search`` and ``Labels.match`` (a trie walked in Python from the places a
    small pattern finds) give, at every position and for every end of the text, what the
    plain path gives: the trie as one regular expression, searched and matched there."""
    from opengov import _locate

    text = data.draw(_locator_texts(kind))
    folded = _locate.fold(text)
    new = _locator_sets()[kind][1]
    old = _plain_locator(kind)
    stops = sorted({len(folded), *data.draw(st.lists(st.integers(0, len(folded)), max_size=3))})
    for stop in stops:
        for pos in range(stop + 1):
            found = old.search(folded, pos, stop)
            assert new.search(folded, pos, stop) == (found.span() if found else None), (text, pos, stop)  # type: ignore[attr-defined]
            matched = old.match(folded, pos, stop)
            assert new.match(folded, pos, stop) == (matched.end() if matched else None), (text, pos, stop)  # type: ignore[attr-defined]


def test_the_label_locator_compares_real_matches() -> None:
    """The comparison above is not empty: labels printed in other forms are found by both."""
    from opengov import _locate

    text = "三、收到和处理政府信息公开申请情况（三）不予公开 1、属于国家 秘密 3 四、政府信息公开行政复议、行政诉讼情况"
    folded = _locate.fold(text)
    labels, heads = _locate.table_labels(), _locate._headings()[0]
    assert labels.search(folded) == _plain_locator("labels").search(folded).span() == (17, 24)  # type: ignore[union-attr]
    assert heads.search(folded, 1) == _plain_locator("headings").search(folded, 1).span() == (37, len(text))  # type: ignore[union-attr]
    assert labels.match(folded, 25) == 34  # "1、属于国家 秘密" ends after 密
    assert labels.match(folded, 26) is None


@settings(max_examples=examples(300), deadline=None)
@given(
    st.lists(st.one_of(_locator_texts("headings"), _locator_texts("labels"), st.text(max_size=6)), max_size=6),
    st.integers(0, 3),
)
def test_cut_line_cuts_what_the_plain_cut_gives(parts: list[str], headings: int) -> None:
    """``cut_line`` first counts the places where a heading may start (a heading's first
    character in any printed form, white space, its second) and takes a line with too few
    for one piece of text; ``cut_line_plain`` folds and searches every line: the
    same pieces, whether headings (printed in other forms, with white space) are there or not."""
    from opengov import _locate

    text = "".join(parts)
    assert _locate.cut_line(text, headings=headings) == _locate.cut_line_plain(text, headings=headings), text


def test_cut_line_shortcut_is_taken_and_not_taken() -> None:
    """The comparison above covers both sides of the shortcut: a prose line with one heading
    is one piece (two are asked for), a line with two is cut, in both paths."""
    from opengov import _locate

    one = "一、总体情况" + "本年度我局一是公开，二是办理。" * 3
    two = one + "二、主动公开政府信息情况" + "本年度主动公开文件十二件。"
    assert _locate._heading_chars() is not None
    assert (
        _locate.cut_line(one)
        == _locate.cut_line_plain(one)
        == (_locate.Piece(kind="text", start=0, end=len(one), label_end=0),)
    )
    assert (
        [p.kind for p in _locate.cut_line(two)]
        == [p.kind for p in _locate.cut_line_plain(two)]
        == ["heading", "text", "heading", "text"]
    )


_TITLE_PIECES = st.sampled_from(
    [
        "某某市",
        "人民政府办公室",
        "2023",
        "2019",
        "1998",
        "年",
        "度",
        "年度",
        "政府信息公开",
        "政 府 信 息 公 开",
        "工作",
        "年度报告",
        "报告",
        "报 告",
        "年报",
        "二〇二三",
        "二○二",
        "２０２３",
        "关于",
        "（",
        "）",
        "(",
        ")",
        "《",
        "》",
        "“",
        '"',
        " ",
        "\u3000",
        "\t",
        "，",
        "。",
        "、",
        "：",
        ":",
        "|",
        ">",
        "！",
        "？",
        "\x00",
        "\x01",
        "\x02",
        "\x03",
        "x",
    ]
)


@settings(max_examples=examples(400), deadline=None)
@given(st.lists(_TITLE_PIECES, max_size=14).map("".join))
@example("《某某市2023年度政府信息公开工作年度报告》")
@example("“某某市政府信息公开工作年度报告（2023年度）")
@example("某某\x01市2023年政府信息公开年报")
def test_titles_read_through_marked_text_as_through_the_plain_patterns(text: str) -> None:
    """The title patterns match the text with their classes' CJK characters marked as control
    characters (Latin-1 classes compile at once); the plain patterns match the text itself:
    the same organ and year, or None, for every title."""
    from opengov._assemble import meta

    assert meta.read_title(text) == meta.read_title(text, plain=True), text


def test_marked_title_patterns_compare_real_titles() -> None:
    """The comparison above is not empty: titles of each order are read by both paths."""
    from opengov._assemble import meta

    for text, expected in [
        ("《某某市2023年度政府信息公开工作年度报告》", ("某某市", 2023)),
        ("“某某市政府信息公开工作年度报告（2022年度）", ("某某市", 2022)),
        ("2021年某某县政府信息公开年报", ("某某县", 2021)),
    ]:
        assert meta.read_title(text) == meta.read_title(text, plain=True) == expected
    stopped = "某某市，2023年度政府信息公开工作年度报告"  # a stop before the year: no title
    assert meta.read_title(stopped) is meta.read_title(stopped, plain=True) is None


@given(st.text(st.sampled_from(["\n", "a", "\t", "表", " "]), max_size=40))
def test_the_text_readers_paragraphs_are_split_at_blank_lines(text: str) -> None:
    """``_paragraphs`` (one piece at a time) against ``str.split("\\n\\n")``."""
    from opengov._readers.text import _paragraphs

    assert list(_paragraphs(text)) == text.split("\n\n")


def _plain_tables(fmt: opengov.Format, cells: dict[tuple[str, str, str], object], tables: tuple[str, ...]) -> dict:
    """:func:`opengov._model.tables_from_cells` by its definition: every record built anew."""
    from opengov._model import _cells_plan

    built = {}
    for table in tables:
        table_type, plan = _cells_plan(fmt, table)
        fields = {
            name: cells.get(keys[0])
            if row_type is None
            else row_type(**{column: cells.get(key) for column, key in zip(columns, keys, strict=True)})
            for name, row_type, columns, keys in plan
        }
        built[table] = table_type(**fields)
    return built


@given(st.lists(any_reports(), min_size=1, max_size=3))
def test_table_records_from_cells_are_the_records_built_anew(reports: list[opengov.Report]) -> None:
    # rows of plain counts come from a cache of row records (a pure function of their
    # values): the records, and what JSON writes of them (amount digits, cell states), are
    # those built anew, report after report
    from opengov._model import cell_values, tables_from_cells

    for report in reports:
        cells = {spec.key: value for spec, value in cell_values(report)}
        tables = tuple(t for t in opengov.layout.TABLES if getattr(report, t) is not None)
        fast = tables_from_cells(report.format, cells, tables)
        plain = _plain_tables(report.format, cells, tables)
        assert fast == plain
        rebuilt = attrs.evolve(report, **fast)
        assert opengov.dumps(rebuilt) == opengov.dumps(attrs.evolve(report, **plain)) == opengov.dumps(report)


def test_a_row_record_from_cells_refuses_what_the_record_refuses() -> None:
    # a bool or an over-long figure is refused on the cached path as on the plain one, every time
    from opengov._model import ModelTypeError, ModelValueError, tables_from_cells

    fmt = opengov.Format.V2021
    for bad, error in ((True, ModelTypeError), (10**18, ModelValueError), (10**18, ModelValueError)):
        cells = {("table3", "granted", "natural_person"): bad}
        with pytest.raises(error, match="natural_person"):
            tables_from_cells(fmt, cells, ("table3",))
    ok = tables_from_cells(fmt, {("table3", "granted", "natural_person"): 1}, ("table3",))["table3"]
    assert ok.granted.natural_person == 1
    assert type(ok.granted.natural_person) is int


def test_a_long_markdown_table_line_is_read_alike_and_not_kept() -> None:
    cell = "行政许可" * 1100  # a line over the cached length
    line = f"| {cell} | 12 |"
    assert len(line) > markdown._CACHED_LINE
    before = markdown._cached_row.cache_info().currsize
    cells = markdown._row(line, 3, 1)
    assert [(c.row, c.col, c.text, c.location) for c in cells] == [
        (1, 0, cell, opengov.Location(line=3, column=3)),
        (1, 1, "12", opengov.Location(line=3, column=len(cell) + 6)),
    ]
    assert markdown._cached_row.cache_info().currsize == before
    short = "| 行政许可 | 12 |"
    assert markdown._row(short, 3, 1) == markdown._row_cells(short, 3, 1)


@functools.cache
def _fold_alphabet() -> list[str]:
    """Every character the fold table changes or makes, each end of its ranges' neighbours,
    and common characters of reports."""
    from opengov import _locate

    table = _locate._fold_table()
    changed = {chr(code) for code in table}
    made = set(table.values())
    ends = {chr(code + step) for code in table for step in (-1, 1) if 0 < code + step < 0x110000}
    return sorted(changed | made | ends | set("一、（）(),，：:0123456789年件 \u3000\n\"'“”‘’-]\\^"))


@settings(max_examples=examples(300), deadline=None)
@given(st.one_of(st.text(st.sampled_from(_fold_alphabet()), max_size=60), st.text(max_size=30)))
def test_folding_by_the_pattern_is_translating_by_the_table(text: str) -> None:
    """``fold`` (a character class of the folded characters, replaced in C) gives what
    ``str.translate`` with the fold table gives (the definition), position for position."""
    from opengov import _locate

    assert _locate.fold(text) == text.translate(_locate._fold_table())
