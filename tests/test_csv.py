"""CSV: exact round trips in both layouts, golden files, strict reading with line and column."""

from __future__ import annotations

import csv
import io
import json
import runpy
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import opengov
from opengov import BLANK, Amount, LoadError, Placeholder, Report
from opengov._serialize.csv_specs import LONG_COLUMNS, wide_columns, without_prose
from opengov.layout import Format, layout_for, normalize_label
from opengov.testing import any_reports, reports

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
# The reference report's tables as read by hand (the golden JSON of zhapu-2023.txt) without its
# prose, so that long and wide files compare alike; the property tests carry prose.
REFERENCE = opengov._serialize.csv_specs.without_prose(
    opengov.loads((ROOT / "tests" / "data" / "zhapu-2023.expected.json").read_text(encoding="utf-8"))
)
# Drawing five any_reports() takes ~0.3 s (the strategy draws every cell), so the list
# properties run fewer examples under the "ci" profile; single-report properties run them all.
LISTS = settings(max_examples=min(settings().max_examples, 60))


def exact(report: Report) -> list[tuple[Any, ...]]:
    """Every cell with its type and, for amounts, the printed digits (``12.50`` ≠ ``12.5``)."""
    out: list[tuple[Any, ...]] = []
    for cell in report.cells():
        value = cell.value
        if isinstance(value, Amount):
            out.append((cell.key, "amount", str(value.value), value.unit))
        else:
            out.append((cell.key, type(value).__name__, value))
    return out


def assert_same(read: list[Report], written: list[Report]) -> None:
    assert read == written
    assert [exact(r) for r in read] == [exact(r) for r in written]


# ---------------------------------------------------------------------------------------
# Round trips
# ---------------------------------------------------------------------------------------


def round_trips(items: list[Report]) -> None:
    """Both layouts read back what they wrote; text → reports → text is the identity."""
    long = opengov.to_csv(items, shape="long")
    assert_same(opengov.from_csv(long), items)
    assert opengov.to_csv(opengov.from_csv(long)) == long
    wide = opengov.to_csv(items, shape="wide")
    assert_same(opengov.from_csv(wide), [without_prose(r) for r in items])
    assert opengov.to_csv(opengov.from_csv(wide), shape="wide") == wide


@given(st.lists(reports(), min_size=1, max_size=5))
def test_round_trip_of_consistent_reports(items: list[Report]) -> None:
    round_trips(items)


@LISTS
@given(st.lists(any_reports(absent=False), min_size=1, max_size=5))
def test_round_trip_of_every_cell_state(items: list[Report]) -> None:
    round_trips(items)


@LISTS
@given(st.lists(any_reports(absent=True), min_size=1, max_size=5))
def test_round_trip_with_absent_cells(items: list[Report]) -> None:
    round_trips(items)


@given(any_reports(absent=True), st.sampled_from(["long", "wide"]))
def test_bom_is_written_on_request_and_accepted(report: Report, layout: str) -> None:
    items = [report]
    text = opengov.to_csv(items, shape=layout, bom=True)  # type: ignore[arg-type]
    assert text.startswith("\ufeff")
    assert text[1:] == opengov.to_csv(items, shape=layout)  # type: ignore[arg-type]
    expected = items if layout == "long" else [without_prose(r) for r in items]
    assert opengov.from_csv(text.encode("utf-8")) == expected
    assert opengov.from_csv(text) == expected


@given(any_reports(absent=True))
def test_long_form_has_one_line_per_cell_and_paragraph(report: Report) -> None:
    rows = list(csv.DictReader(io.StringIO(opengov.to_csv(report), newline="")))
    cells = [r for r in rows if r["table"] != "prose"]
    paragraphs = len(report.preamble) + len(report.overview) + len(report.problems) + len(report.other_matters)
    assert len(cells) == len(list(report.cells()))
    assert len(rows) - len(cells) == paragraphs
    assert {r["report"] for r in rows} == {"1"}


def test_a_single_report_may_be_passed_without_a_list() -> None:
    assert opengov.to_csv(REFERENCE) == opengov.to_csv([REFERENCE])


def test_two_reports_of_the_same_organ_and_year_stay_apart() -> None:
    other = REFERENCE.with_cell("table3", "granted", "natural_person", 20)
    assert opengov.from_csv(opengov.to_csv([REFERENCE, other])) == [REFERENCE, other]
    assert opengov.from_csv(opengov.to_csv([REFERENCE, other], shape="wide")) == [REFERENCE, other]


def test_amount_digits_and_odd_amounts_survive() -> None:
    report = (
        REFERENCE.with_cell("table2", "fees", "amount", Amount(value=Decimal("12.50")))
        .with_cell("table3", "granted", "research", Amount(value=Decimal("5")))  # a bare amount in a count column
        .with_cell("table3", "granted", "commercial", Amount(value=Decimal("-0.000")))
        .with_cell("table4", "reconsideration", "other", Amount(value=Decimal("1E+3"), unit="万元"))
        .with_cell("table4", "reconsideration", "upheld", -3)
    )
    for layout in ("long", "wide"):
        assert_same(opengov.from_csv(opengov.to_csv(report, shape=layout)), [report])  # type: ignore[arg-type]
    wide = next(csv.DictReader(io.StringIO(opengov.to_csv(report, shape="wide"))))
    assert wide["table2.fees.amount"] == "12.50"
    assert wide["table3.granted.research"] == "5."
    assert wide["table4.reconsideration.other"] == "1E+3万元"


def test_prose_with_csv_special_characters_round_trips() -> None:
    report = opengov.Report(
        format="2019",
        organ='某"局",\n',
        year=None,
        overview=("第一段，含逗号, comma", 'quote " and\r\nnew lines\rand\nmore', "", " 前后空格 "),
        other_matters=("None",),
    )
    assert opengov.from_csv(opengov.to_csv(report)) == [report]
    assert opengov.from_csv(opengov.to_csv(report, shape="wide")) == [without_prose(report)]


def test_a_report_without_tables_or_prose_is_not_lost() -> None:
    bare = opengov.Report(format="2021", organ="某某市生态环境局", year=2024)
    text = opengov.to_csv([bare, REFERENCE])
    assert text.splitlines()[1] == "1,2021,某某市生态环境局,2024,,,,,,,,,,,"
    assert opengov.from_csv(text) == [bare, REFERENCE]
    assert opengov.from_csv(opengov.to_csv([bare, REFERENCE], shape="wide")) == [bare, REFERENCE]


def test_header_only_is_no_reports() -> None:
    assert opengov.from_csv(",".join(LONG_COLUMNS) + "\n") == []
    assert opengov.from_csv(",".join(wide_columns()) + "\n") == []


def test_wide_layout_refuses_cells_it_cannot_write_exactly() -> None:
    odd = REFERENCE.with_cell("table3", "granted", "total", Placeholder(glyph="不详"))
    with pytest.raises(ValueError, match=r"report 1: table3\.granted\.total: the placeholder '不详' cannot be written"):
        opengov.to_csv(odd, shape="wide")
    assert opengov.from_csv(opengov.to_csv(odd)) == [odd]  # the long layout carries any glyph
    with pytest.raises(ValueError, match="not a finite number"):
        opengov.to_csv(REFERENCE.with_cell("table2", "fees", "amount", Amount(value=Decimal("NaN"))))
    with pytest.raises(ValueError, match='shape must be "long" or "wide"'):
        opengov.to_csv(REFERENCE, shape="tall")  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------
# One report's lines: opengov.csv_lines
# ---------------------------------------------------------------------------------------


@LISTS
@given(st.lists(any_reports(absent=True), max_size=4))
def test_to_csv_is_the_reports_csv_lines_after_one_header(items: list[Report]) -> None:
    lines = [line for n, r in enumerate(items, 1) for line in opengov.csv_lines(r, n, header=n == 1)]
    assert "".join(lines or [opengov.to_csv([])]) == opengov.to_csv(items)
    assert all(line.endswith("\n") for line in lines)


def test_csv_lines_take_any_text_as_the_report_id() -> None:
    other = REFERENCE.with_cell("table3", "granted", "natural_person", 20)
    text = "".join([*opengov.csv_lines(REFERENCE, "zhapu, 2023", header=True), *opengov.csv_lines(other, 'b"1')])
    assert opengov.from_csv(text) == [REFERENCE, other]
    ids = {row["report"] for row in csv.DictReader(io.StringIO(text, newline=""))}
    assert ids == {"zhapu, 2023", 'b"1'}
    assert next(opengov.csv_lines(REFERENCE, 7)).startswith("7,2021,")
    assert next(opengov.csv_lines(REFERENCE)).startswith("1,2021,")
    assert next(opengov.csv_lines(REFERENCE, header=True)) == ",".join(LONG_COLUMNS) + "\n"


def test_csv_lines_refuse_what_is_not_a_report_or_an_id() -> None:
    with pytest.raises(TypeError, match="report id is an int or a str"):
        opengov.csv_lines(REFERENCE, True)
    with pytest.raises(TypeError, match="report id is an int or a str"):
        opengov.csv_lines(REFERENCE, 1.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"expected an opengov\.Report"):
        opengov.csv_lines([REFERENCE])  # type: ignore[arg-type]


# The long writer builds its lines from encoded pieces (the fast path); the plain definition
# is each line's fields (long_rows) written by the standard library's csv.writer.
FIELD_TEXT = st.lists(
    st.sampled_from([",", '"', "\n", "\r", "\r\n", " ", "\t", "\x00", "a", "局", "\u2028", "=", "1"]), max_size=8
).map("".join)


@given(st.lists(FIELD_TEXT, min_size=2, max_size=5))
def test_an_encoded_field_is_what_the_csv_writer_writes(fields: list[str]) -> None:
    from opengov._serialize.csv_write import encode_field

    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\n").writerow(fields)
    assert ",".join(encode_field(f) for f in fields) + "\n" == buffer.getvalue()


UNITS_AND_GLYPHS = (
    st.lists(st.sampled_from([",", '"', "\n", "\r", "a", "万元", "\x00", "/"]), min_size=1, max_size=4)
    .map("".join)
    .filter(lambda text: text == text.strip())  # the model refuses surrounding space in both
)
# Meta and prose without a carriage return: a report with one is written through the csv writer.
NO_CR = FIELD_TEXT.map(lambda text: text.replace("\r", ""))


@LISTS
@given(
    any_reports(absent=True),
    st.text(alphabet=st.sampled_from([",", '"', "\n", " ", "a", "局", "\x00"]), max_size=6),
    NO_CR,
    NO_CR,
    st.lists(NO_CR, max_size=3),
    UNITS_AND_GLYPHS,
    UNITS_AND_GLYPHS,
)
def test_built_long_lines_are_the_rows_through_the_csv_writer(
    report: Report, report_id: str, organ: str, title: str, prose: list[str], unit: str, glyph: str
) -> None:
    from opengov._serialize.csv_write import _built_lines, _safe_row, long_rows

    report = attrs.evolve(report, organ=organ, title=title, problems=tuple(prose))
    if report.table2 is not None:  # an amount with an odd unit in the first money cell
        money = next(c for c in opengov.layout.cell_index(report.format).table("table2") if c.kind == "money")
        report = report.with_cell(*money.key, Amount(value=Decimal("1.50"), unit=unit))
    if report.table3 is not None:
        report = report.with_cell("table3", "granted", "total", Placeholder(glyph=glyph))
    plain_rows = list(long_rows(report, report_id))
    for safe in (False, True):  # text a spreadsheet would run neutralised (the default) or not
        rows = [_safe_row(row) for row in plain_rows] if safe else plain_rows
        written = []
        for row in rows:
            buffer = io.StringIO(newline="")
            csv.writer(buffer, lineterminator="\n").writerow(row)
            written.append(buffer.getvalue())
        built = _built_lines(report, report_id, safe)
        if any("\r" in field for row in rows for field in row[11:]):  # then written through the csv writer
            assert built is None
        else:
            assert built == written
        # whichever way a report is written, its lines read back as its rows
        text = "".join(opengov.csv_lines(report, report_id, safe=safe))
        assert list(csv.reader(io.StringIO(text, newline=""))) == rows


@given(any_reports(absent=True))
def test_the_writers_plan_reads_the_cells_and_the_wide_cells_are_the_codecs(report: Report) -> None:
    """The writers read a report's cells through a per-format plan (a getter along the
    index's paths): the cells of ``cell_values``; a wide line's cells are each cell as
    ``cell_to_wide`` writes it (a count written straight), the other cell columns empty."""
    from opengov._codec import cell_to_wide
    from opengov._model import cell_values
    from opengov._serialize.csv_write import _planned_values

    cells = list(cell_values(report))
    assert [(planned[2], value) for planned, value in _planned_values(report)] == cells
    row = next(csv.DictReader(io.StringIO(opengov.to_csv(report, shape="wide", safe=False), newline="")))
    for spec, value in cells:
        assert row[spec.name] == cell_to_wide(value, spec.kind, spec.name)
    written = {spec.name for spec, _ in cells}
    assert all(row[name] == "" for name in wide_columns()[6:] if name not in written)


# ---------------------------------------------------------------------------------------
# Golden files of the reference report
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("layout", ["long", "wide"])
def test_golden_files_of_the_reference_report(layout: str) -> None:
    golden = (DATA / f"zhapu-2023.{layout}.csv").read_text(encoding="utf-8")
    assert opengov.to_csv(REFERENCE, shape=layout) == golden, (  # type: ignore[arg-type]
        "stale golden file: run python tests/data/regen_csv_goldens.py"
    )
    assert opengov.from_csv(golden) == [REFERENCE]


def test_golden_long_file_reads_as_the_printed_figures() -> None:
    rows = {(r["table"], r["row"], r["column"]): r for r in csv.DictReader(io.StringIO(_golden("long"), newline=""))}
    fees = rows[("table2", "fees", "amount")]
    assert (fees["state"], fees["value"], fees["unit"], fees["text"]) == ("amount", "1341", "万元", "1341万元")
    granted = rows[("table3", "granted", "natural_person")]
    assert (granted["row_label"], granted["column_label"], granted["value"]) == ("（一）予以公开", "自然人", "19")
    assert rows[("table3", "state_secret", "total")]["block"] == "withheld"
    assert len(rows) == 10 + 25 * 7 + 15


def _golden(layout: str) -> str:
    return (DATA / f"zhapu-2023.{layout}.csv").read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------
# Errors name the line and the column
# ---------------------------------------------------------------------------------------


def _edit(text: str, line: int, column: str, value: str) -> str:
    """Set one field of one (1-based) line of a CSV text."""
    rows = list(csv.reader(io.StringIO(text, newline="")))
    rows[line - 1][rows[0].index(column)] = value
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _problems(text: str | bytes) -> list[str]:
    with pytest.raises(LoadError) as info:
        opengov.from_csv(text)
    return list(info.value.problems)


def test_a_value_that_is_not_a_number() -> None:
    assert _problems(_edit(_golden("long"), 7, "value", "abc")) == ['line 7, column "value": "abc" is not a number']


def test_an_unknown_row_key() -> None:
    bad = _edit(_golden("long"), 20, "row", "grantd")
    assert _problems(bad) == ['line 20, column "row": "grantd" is not a table3 row of the 2021 format']


def test_an_unknown_column_key_and_a_wrong_label() -> None:
    bad = _edit(_edit(_golden("long"), 3, "column", "issud"), 4, "column_label", "本年废止数")
    assert _problems(bad) == [
        'line 3, column "column": "issud" is not a column of table2 row rules',
        'line 4, column "column_label": "本年废止数" is not the label of table2 column in_force',
    ]


def test_an_unknown_state_and_a_placeholder_with_a_value() -> None:
    bad = _edit(_edit(_golden("long"), 5, "state", "zero"), 6, "state", "placeholder")
    assert _problems(bad) == [
        'line 5, column "state": "zero" is not a cell state (number, amount, blank, placeholder, absent)',
        'line 6, column "value": "0" must be empty for a placeholder cell',
    ]


def test_a_missing_column() -> None:
    rows = list(csv.reader(io.StringIO(_golden("long"), newline="")))
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows([r[:13] + r[14:] for r in rows])  # drop "unit"
    assert _problems(out.getvalue()) == ['line 1: missing column "unit"']


def test_an_unknown_and_a_repeated_column() -> None:
    text = _golden("long").replace("unit,text", "unit,text,extra,text", 1)
    assert _problems(text) == [
        'line 1, column "extra": unknown column',
        'line 1, column "text": the column appears twice',
    ]


def test_a_missing_and_a_repeated_cell() -> None:
    lines = _golden("long").splitlines(keepends=True)
    missing = "".join(lines[:30] + lines[31:])  # line 31: table3 granted other_org
    assert _problems(missing) == ['line 2: report "1" (lines 2–200): table3 has no line for granted.other_org']
    repeated = "".join([*lines, lines[30]])
    assert _problems(repeated) == ['line 202: table3.granted.other_org of report "1" again (first on line 31)']


def test_lines_of_one_report_must_agree_on_its_meta() -> None:
    bad = _edit(_edit(_golden("long"), 9, "organ", "别的机关"), 10, "year", "2022")
    assert _problems(bad) == [
        'line 9, column "organ": "别的机关" differs from "浙江乍浦经济开发区（嘉兴港区）" on line 2 (report "1")',
        'line 10, column "year": "2022" differs from "2023" on line 2 (report "1")',
    ]


def test_a_bad_format_is_reported_once_for_its_report() -> None:
    assert _problems(_edit(_golden("long"), 2, "format", "2020")) == [
        'line 2, column "format": "2020" is not a format ("2019" or "2021")'
    ]


def test_a_ragged_line() -> None:
    text = _golden("long").rstrip("\n") + ",extra\n"
    assert _problems(text) == ["line 201: 16 fields where the header has 15"]


def test_wide_errors_name_the_line_and_the_cell_column() -> None:
    bad = _edit(_golden("wide"), 2, "table3.granted.total", "abc")
    bad = _edit(bad, 2, "table2.rules.new_made", "3")  # a 2019 cell on a 2021 report
    assert _problems(bad) == [
        'line 2, column "table2.rules.new_made": "3" but a 2021 format report has no such cell; the cell must be empty',
        'line 2, column "table3.granted.total": "abc" is not a number, '
        "an amount with a unit (万元, 元, 件, 个, 项, 次, 条), "
        "a placeholder (/ ／ - — -- —— － 无 不适用 暂无 ×), empty (blank) or NA (absent)",
    ]


def test_wide_missing_and_unknown_columns() -> None:
    rows = list(csv.reader(io.StringIO(_golden("wide"), newline="")))
    drop = rows[0].index("table4.litigation_direct.pending")
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows([r[:drop] + r[drop + 1 :] for r in rows])
    assert _problems(out.getvalue()) == [
        'line 1: missing column "table4.litigation_direct.pending" (needed by the 2021 format report on line 2)'
    ]
    assert _problems(_golden("wide").replace("table3.granted.total", "table3.granted.sum", 1)) == [
        'line 1, column "table3.granted.sum": unknown column'
    ]


def test_wide_columns_of_a_missing_table_must_be_empty() -> None:
    bad = _edit(_golden("wide"), 2, "tables", "table2 table3")
    assert _problems(bad) == [
        f'line 2, column "{name}": "0" but the report has no table4 (see column "tables"); the cell must be empty'
        for name in wide_columns()
        if name.startswith("table4.")
    ]


def test_wide_columns_of_the_other_format_may_be_left_out() -> None:
    keep = [i for i, name in enumerate(wide_columns()) if name not in _only_2019()]
    rows = list(csv.reader(io.StringIO(_golden("wide"), newline="")))
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows([[r[i] for i in keep] for r in rows])
    assert opengov.from_csv(out.getvalue()) == [REFERENCE]


def _only_2019() -> set[str]:
    wide_2021 = set(opengov.to_csv(REFERENCE, shape="wide").splitlines()[0].split(","))
    assert wide_2021 == set(wide_columns())
    fmt_2021 = {f"{c.table}.{c.row}.{c.column}" for c in REFERENCE.cells()}
    return {name for name in wide_columns()[6:] if name not in fmt_2021}


def test_not_csv_of_ours() -> None:
    assert _problems("") == ["line 1: empty CSV (no header line)"]
    assert _problems("a,b\n1,2\n") == [
        'line 1: not an opengov CSV header (the long layout has a "state" column, '
        'the wide layout a "tables" column and cell columns such as "table3.granted.total")'
    ]
    good = _golden("long").encode("utf-8")
    assert _problems(good + b"\xff\xfe\n") == [f"line 202: not UTF-8 text (byte {len(good)})"]
    assert _problems(_golden("long") + '1,"2021\n') == ["line 202: not valid CSV (unexpected end of data)"]


def test_load_error_message_lists_every_problem() -> None:
    bad = _edit(_edit(_golden("long"), 7, "value", "abc"), 8, "value", "1.5")
    with pytest.raises(LoadError) as info:
        opengov.from_csv(bad)
    assert str(info.value) == (
        "invalid report data:\n"
        '  line 7, column "value": "abc" is not a number\n'
        '  line 8, column "value": "1.5" is not a number'
    )


# ---------------------------------------------------------------------------------------
# Documentation
# ---------------------------------------------------------------------------------------


def test_csv_column_page_is_generated_from_the_layout() -> None:
    namespace = runpy.run_path(str(ROOT / "docs" / "gen_csv_columns.py"))
    page = (ROOT / "docs" / "csv-columns.md").read_text(encoding="utf-8")
    assert page == namespace["render"](), "docs/csv-columns.md is stale: run python docs/gen_csv_columns.py"
    assert all(f"`{name}`" in page for name in wide_columns())


# ---------------------------------------------------------------------------------------
# Real samples: the hand-read figures written as a long CSV by another tool
# ---------------------------------------------------------------------------------------


def _expected_cell(value: object) -> object:
    if value is None:
        return BLANK
    if isinstance(value, str):
        digits = value.rstrip("万元")
        return Amount(value=Decimal(digits), unit=value[len(digits) :] or None)
    return value


def _long_csv_from_expected(data: dict[str, Any]) -> tuple[str, dict[tuple[str, str, str], object]]:
    """A long CSV with the labels as the sample's reader wrote them (no block column)."""
    fmt = Format(data["format_version"])
    lay = layout_for(fmt)
    figures: dict[tuple[str, str, str], object] = {}
    lines: list[list[str]] = []

    def add(table: str, row: str, row_label: str, column: str, column_label: str, value: object) -> None:
        cell = _expected_cell(value)
        figures[(table, row, column)] = cell
        if isinstance(cell, Amount):
            state, text, unit = "amount", str(cell.value), cell.unit or ""
        elif cell is BLANK:
            state, text, unit = "blank", "", ""
        else:
            state, text, unit = "number", str(cell), ""
        meta = ["r1", fmt.value, data["agency"], str(data["year"]), ""]
        lines.append([*meta, table, "", row, row_label, column, column_label, state, text, unit, ""])

    by_label = {normalize_label(v): r for r in lay.table2.rows for v in (r.label, *r.variants)}
    for label, values in data["table2"].items():
        row = by_label[normalize_label(label)]
        columns = lay.table2.columns_of(row.key)
        for column, value in zip(columns, values if isinstance(values, list) else [values], strict=True):
            add("table2", row.key, label, column.key, column.label, value)
    paths = {
        normalize_label(f"{lay.table3.block(r.block).label}/{r.label}" if r.block else r.label): r
        for r in lay.table3.rows
    }
    for label, values in data["table3"].items():
        row3 = paths[normalize_label(label)]
        for column3, value in zip(lay.table3.columns, values, strict=True):
            add("table3", row3.key, label.split("/")[-1], column3.key, column3.label, value)
    positions = [(b, c) for b in lay.table4.blocks for c in lay.table4.columns]
    for (block, column4), value in zip(positions, data["table4"], strict=True):
        add("table4", block.key, block.label, column4.key, column4.label, value)
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows([list(LONG_COLUMNS), *lines])
    return "\ufeff" + out.getvalue(), figures


@pytest.mark.samples
def test_real_figures_read_from_a_foreign_long_csv_and_round_trip(samples: Path) -> None:
    files = sorted((samples / "expected").glob("*.json"))
    assert files
    for path in files:
        text, figures = _long_csv_from_expected(json.loads(path.read_text(encoding="utf-8")))
        [report] = opengov.from_csv(text.encode("utf-8"))
        assert {key: report.cell(*key) for key in figures} == figures, path.name
        assert len(figures) == len(list(report.cells())), path.name
        for layout in ("long", "wide"):
            assert_same(opengov.from_csv(opengov.to_csv(report, shape=layout)), [report])  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------
# pandas (optional extra)
# ---------------------------------------------------------------------------------------


def test_dataframe_has_proper_dtypes_and_matches_the_documented_read_csv() -> None:
    pd = pytest.importorskip("pandas", reason="pandas is an optional extra: pip install 'opengov[pandas]'")
    items = [REFERENCE, REFERENCE.with_cell("table3", "granted", "total", BLANK)]
    frame = opengov.to_dataframe(items)
    assert list(frame.columns) == list(LONG_COLUMNS)
    assert str(frame["report"].dtype) == "Int64"
    assert str(frame["year"].dtype) == "Int64"
    assert str(frame["value"].dtype) == "Float64"
    assert str(frame["text"].dtype) == "string"
    fees = frame[(frame["report"] == 1) & (frame["row"] == "fees")].iloc[0]
    assert (fees["value"], fees["unit"], fees["state"]) == (1341.0, "万元", "amount")
    blank = frame[(frame["report"] == 2) & (frame["row"] == "granted") & (frame["column"] == "total")].iloc[0]
    assert blank["state"] == "blank"
    assert pd.isna(blank["value"])
    assert frame[frame["table"] == "table3"].groupby("report")["value"].sum().tolist() == [228.0, 208.0]

    # the recipe in docs/csv.md
    text = opengov.to_csv(items, bom=True)
    string = {c: "string" for c in LONG_COLUMNS if c not in ("report", "year", "value")}
    read = pd.read_csv(
        io.BytesIO(text.encode("utf-8")),
        encoding="utf-8-sig",
        dtype={"report": "Int64", "year": "Int64", "value": "Float64", **string},
        keep_default_na=False,
        na_values={"report": [""], "year": [""], "value": [""]},
    )
    pd.testing.assert_frame_equal(read, frame)


def test_a_year_or_paragraph_number_of_thousands_of_digits_is_a_load_error() -> None:
    """Python refuses to read an integer of over 4,300 digits: such a year or paragraph
    number is a LoadError naming the line and column, not a ValueError from inside (found by
    hypothesis on a clean install)."""
    report = opengov.parse((Path(__file__).parent / "data" / "zhapu-2023.txt").read_bytes()).report
    lines = opengov.to_csv(report).splitlines(keepends=True)
    fields = lines[1].split(",")
    fields[3] = "9" * 5000
    with pytest.raises(opengov.LoadError, match=r'line 2, column "year": .* is not a year'):
        opengov.from_csv("".join([lines[0], ",".join(fields), *lines[2:]]))
    prose = next(i for i, line in enumerate(lines) if ",prose," in line)
    fields = lines[prose].split(",")
    fields[9] = "1" * 5000
    with pytest.raises(opengov.LoadError, match="is not a paragraph number"):
        opengov.from_csv("".join([*lines[:prose], ",".join(fields), *lines[prose + 1 :]]))
