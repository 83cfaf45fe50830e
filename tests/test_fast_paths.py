"""The fast paths added for speed give what the plain definitions give.

* The box-text reader memoises line pieces and falls back to a per-column canvas when a
  line holds a zero-width character (a combining accent): both paths must read the drawn
  cells back, at their line and column.
* The long CSV layout is assembled from pre-encoded pieces: every line must still parse
  (with the standard library's reader) into exactly the documented fields of that cell.
* Memoised pieces are shared between reads: reading one document must not change what
  another reads.
"""

from __future__ import annotations

import csv
import io

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

import opengov
from opengov._errors import Location
from opengov._grid import Grid, GridCell
from opengov._model import Amount, Blank, Placeholder, field_label
from opengov._readers import boxtext
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


def test_box_reader_memo_does_not_leak_between_documents() -> None:
    one = "┌────┬────┐\n│ 字 │ 1  │\n└────┴────┘\n"
    two = "说明\n\n┌────┬────┐\n│ 字 │ 22 │\n└────┴────┘\n"
    first = boxtext.read(one)
    second = boxtext.read(two)
    again = boxtext.read(one)
    assert [c.text for g in first.grids() for c in g.cells] == ["字", "1"]
    assert [c.text for g in second.grids() for c in g.cells] == ["字", "22"]
    assert [c.location.line for g in second.grids() for c in g.cells] == [4, 4]  # type: ignore[union-attr]
    assert [(c.text, c.location) for g in again.grids() for c in g.cells] == [
        (c.text, c.location) for g in first.grids() for c in g.cells
    ]


@given(st.integers(0, 99), st.integers(0, 99), TEXTS, st.integers(1, 999), st.integers(1, 99))
def test_text_reader_makes_grid_cells_as_their_constructor_does(
    row: int, col: int, text: str, line: int, column: int
) -> None:
    """The text reader sets a new GridCell's slots itself (faster than attrs' __init__)."""
    location = Location(line=line, column=column)
    made = text_reader._new_cell(row, col, text, location)
    expected = GridCell(row=row, col=col, text=text, location=location)
    assert type(made) is GridCell
    assert made == expected
    assert attrs.asdict(made, recurse=False) == attrs.asdict(expected, recurse=False)
    assert made.location is location
    assert repr(made) == repr(expected)


def _cells_of(document: object) -> list[tuple[int, int, int, int, str]]:
    return [(c.row, c.col, c.rowspan, c.colspan, c.text) for g in document.grids() for c in g.cells]  # type: ignore[attr-defined]


def test_box_reader_shape_memo_checks_where_the_bars_are() -> None:
    """A table with the same border lines and as many bars per line, but a bar elsewhere,
    is read afresh (not with the memoised shape of the first)."""
    one = "┌───┬───┐\n│ a │ b │\n└───┴───┘\n"
    moved = "┌───┬───┐\n│ab│ c  │\n└───┴───┘\n"
    joined = "┌───┬───┐\n│ a   b │\n├───┼───┤\n│ 1 │ 2 │\n└───┴───┘\n"
    expected = {}
    for text in (one, moved, joined):
        boxtext._SHAPES.clear()
        expected[text] = _cells_of(boxtext.read(text))
    boxtext._SHAPES.clear()
    for text in (one, moved, one, joined, moved, joined):
        assert _cells_of(boxtext.read(text)) == expected[text]
    assert expected[one] == [(0, 0, 1, 1, "a"), (0, 1, 1, 1, "b")]
    assert expected[joined][0] == (0, 0, 1, 2, "a   b")


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
    records = list(csv.reader(io.StringIO(opengov.to_csv(reports), newline="")))
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
    from opengov._assemble import _loose

    for lay in (layout.LAYOUT_2019, layout.LAYOUT_2021):
        for marker in lay.markers:
            loose = _loose(marker)
            assert loose
            assert not any(ch.isdigit() for ch in loose)
            assert "\n" not in loose


# The batch's packed CSV lines: see tests/test_cli.py::test_packed_lines_number_like_the_reports_csv_lines.


# -- plain figures ------------------------------------------------------------------------

FIGURES = st.text(alphabet="0123456789", min_size=1, max_size=12)


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
def test_plain_figures_take_the_assemblers_value_side_unmemoised(text: str) -> None:
    """The assembler answers a long plain figure without memoising it: the answers are
    those of the general definitions (value side, has a digit, votes for no table)."""
    from opengov import _assemble as assemble
    from opengov._codec import has_digit, is_value_text

    assert assemble._value_side(text) is True
    assert assemble._has_digit(text) is has_digit(text) is True
    assert is_value_text(text + " ")
    for fmt in opengov.layout.Format:
        assert assemble._vocab(fmt).vote(text) == ()
    assert assemble._read_count(text).value == int(text)
    assert assemble._read_count(text).note is None


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
    from opengov._readers import text as text_reader
    from printing import print_reference_layout

    pairs = _noted_and_computed(text_reader.read(print_reference_layout(report)))
    assert pairs
    for noted, computed in pairs:
        assert [[id(c) for c in line] for line in noted] == [[id(c) for c in line] for line in computed]  # type: ignore[attr-defined]
