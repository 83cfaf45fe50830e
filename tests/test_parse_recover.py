"""The parser recovers rows whose cell separators were lost (opengov.parse → opengov._recover)."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import opengov
from budget import examples
from opengov import Amount, Report, Severity
from opengov._assemble import recovery as _recovery
from opengov._codec import cell_text
from opengov._model import BLANK
from opengov._recover import recover
from opengov.layout import SECTIONS, Format, layout_for
from opengov.testing import reports
from test_parse import PLAIN

RECOVERY_CODES = {"recovered-row", "ambiguous-row", "unreadable-row", "recovery-gave-up"}
NEW_RECEIVED = "一、本年新收政府信息公开申请数量"


def _glue(old: str, new: str) -> str:
    assert old in PLAIN
    return PLAIN.replace(old, new)


def _only(result: opengov.ParseResult, code: str) -> opengov.Diagnostic:
    (diag,) = [d for d in result.diagnostics if d.code == code]
    return diag


# ---------------------------------------------------------------------------------------
# one row at a time
# ---------------------------------------------------------------------------------------


def test_glued_row_is_recovered_with_the_rows_read_as_printed() -> None:
    # 101000011 alone has two cuts satisfying its row total (10/1/0/0/0/0/11 and
    # 1/0/10/0/0/0/11); the other rows, read normally, decide through 一 + 二 = （七） + 四.
    text = _glue(f"{NEW_RECEIVED} 10 1 0 0 0 0 11", f"{NEW_RECEIVED}101000011")
    result = opengov.parse(text)
    assert result.report.table3 is not None
    assert result.report.table3.new_received == opengov.parse(PLAIN).report.table3.new_received  # type: ignore[union-attr]
    diag = _only(result, "recovered-row")
    assert diag.severity is Severity.INFO
    assert "101000011" in diag.message
    assert "10/1/0/0/0/0/11" in diag.message
    assert "column identities" in diag.message
    line = text.splitlines().index(f"{NEW_RECEIVED}101000011") + 1
    assert (diag.location.line, diag.location.column) == (line, len(NEW_RECEIVED) + 1)
    assert result.locations[("table3", "new_received", "natural_person")] == diag.location
    assert not result.errors


def test_one_digit_per_cell_is_the_unique_cut() -> None:
    result = opengov.parse(_glue("四、结转下年度继续办理 0 0 0 0 0 0 0", "四、结转下年度继续办理0000000"))
    assert result.report.table3 is not None
    assert result.report.table3.carried_forward.total == 0
    assert "one digit per cell" in _only(result, "recovered-row").message
    assert "split-digits" not in {d.code for d in result.diagnostics}


def test_ambiguous_row_is_absent_and_lists_a_few_candidates() -> None:
    text = _glue("行政规范性文件 ３ 1 1,024", "行政规范性文件311024")
    result = opengov.parse(text)
    assert result.report.table2 is not None
    docs = result.report.table2.normative_documents
    assert (docs.issued, docs.repealed, docs.in_force) == (None, None, None)
    diag = _only(result, "ambiguous-row")
    assert diag.severity is Severity.ERROR
    assert "'行政规范性文件'" in diag.message
    assert "311024" in diag.message
    assert "3/1/1024" in diag.message or "more" in diag.message
    assert diag.message.count(";") <= 6  # the first few, then a count
    assert diag.location.line is not None
    assert diag.location.column is not None
    # not also reported as a missing row, and strict mode refuses it
    assert "missing-row" not in {d.code for d in result.diagnostics}
    with pytest.raises(opengov.ParseError):
        opengov.parse(text, strict=True)


def test_row_that_fits_no_cut_is_unreadable() -> None:
    result = opengov.parse(_glue(f"{NEW_RECEIVED} 10 1 0 0 0 0 11", f"{NEW_RECEIVED}1011"))
    diag = _only(result, "unreadable-row")
    assert diag.severity is Severity.ERROR
    assert "1011" in diag.message
    assert "7 cells" in diag.message
    assert result.report.table3 is not None
    assert result.report.table3.new_received.total is None
    assert diag.location.column == len(NEW_RECEIVED) + 1


@pytest.mark.parametrize("length", [60, 84, 400, 3000])
def test_pathological_runs_end_with_a_diagnostic(length: int) -> None:
    """Bounded by the search's steps (tests/test_recover.py), not by time."""
    digits = ("1234567890" * 300)[:length]
    text = _glue(f"{NEW_RECEIVED} 10 1 0 0 0 0 11", f"{NEW_RECEIVED}{digits}")
    result = opengov.parse(text)
    assert opengov.parse(text).diagnostics == result.diagnostics  # the same on any machine
    (diag,) = [d for d in result.diagnostics if d.code in ("unreadable-row", "recovery-gave-up")]
    assert diag.severity is Severity.ERROR
    assert diag.location.column == len(NEW_RECEIVED) + 1
    assert len(diag.message) < 400  # the run is quoted shortened
    assert result.report.table3 is not None
    assert result.report.table3.new_received.total is None
    assert result.report.table3.carried_over.total == 0  # the other rows are still read


def test_search_budget_spent_is_reported_as_gave_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_recovery, "recover", functools.partial(recover, budget=2))
    text = _glue(f"{NEW_RECEIVED} 10 1 0 0 0 0 11", f"{NEW_RECEIVED}101000011")
    result = opengov.parse(text)
    diag = _only(result, "recovery-gave-up")
    assert diag.severity is Severity.ERROR
    assert "gave up" in diag.message
    assert "101000011" in diag.message
    assert diag.location.line is not None
    assert result.report.table3 is not None
    assert result.report.table3.new_received.total is None
    assert "missing-row" not in {d.code for d in result.diagnostics}


def test_labels_broken_by_spaces_in_crawler_text() -> None:
    """tests/data/recover/oneline-spaced-2021.txt through ``parse``, the text reader cutting
    its long line with :func:`opengov._recover.cut_line` (the one locator): every figure is
    exact except the glued 行政规范性文件 row no identity decides, which is an error."""
    data = Path(__file__).resolve().parent / "data" / "recover"
    result = opengov.parse((data / "oneline-spaced-2021.txt").read_text(encoding="utf-8"))
    expected = json.loads((data / "oneline-spaced-2021.json").read_text(encoding="utf-8"))
    assert [d.code for d in result.errors] == ["ambiguous-row"]
    assert "'行政规范性文件'" in result.errors[0].message
    figures = _expected_cells(expected, result.report)
    absent = [key for key, figure in figures.items() if result.report.cell(*key) is None]
    assert absent == [("table2", "normative_documents", c) for c in ("issued", "repealed", "in_force")]
    for key, figure in figures.items():
        if key not in absent:
            got = result.report.cell(*key)
            assert (str(_shown(got)) if isinstance(figure, str) else _shown(got)) == figure, key


def test_row_with_irregular_spaces() -> None:
    result = opengov.parse(_glue(f"{NEW_RECEIVED} 10 1 0 0 0 0 11", f"{NEW_RECEIVED}10 1000011"))
    assert result.report.table3 is not None
    assert result.report.table3.new_received.natural_person == 10
    assert "recovered-row" in {d.code for d in result.diagnostics}


# ---------------------------------------------------------------------------------------
# the property: a consistent report printed on one line without separators
# ---------------------------------------------------------------------------------------


def _digits(values: list[object]) -> str:
    return "".join(cell_text(v) for v in values)  # type: ignore[arg-type]


def one_line(report: Report) -> str:
    """The report as crawler text: one line, every table label followed by its cells'
    figures concatenated with no separator (as in the pingtan samples)."""
    lay = report.layout
    t2, t3, t4 = lay.table2, lay.table3, lay.table4
    label = {s.key: s.label for s in SECTIONS}

    def cells(table: str, row: str, columns: Iterator[str]) -> str:
        return _digits([report.cell(table, row, c) for c in columns])

    out = [report.title, *report.preamble, label["overview"], *report.overview, label["proactive"]]
    for block in t2.blocks:
        out += [block.label, t2.header, *(c.label for c in block.columns)]
        for key in block.rows:
            out += [t2.row(key).label, cells("table2", key, (c.key for c in t2.columns_of(key)))]
    out += [label["applications"], t3.note, t3.applicant_header, t3.columns[0].label, t3.organisation_header]
    out += [t3.columns[-1].label, *(c.label for c in t3.columns[1:-1])]
    seen: set[str] = set()
    for row in t3.rows:
        if row.key == t3.outcome_rows[0]:
            out.append(t3.outcomes_label)
        if row.block and row.block not in seen:
            seen.add(row.block)
            out.append(t3.block(row.block).label)
        out += [row.label, cells("table3", row.key, (c.key for c in t3.columns))]
    out += [label["appeals"], t4.reconsideration_label, t4.litigation_label]
    out += [c.label for c in t4.columns] + [b.label for b in t4.blocks[1:]] + [c.label for c in t4.columns] * 2
    out.append(_digits([report.cell("table4", b.key, c.key) for b in t4.blocks for c in t4.columns]))
    out += [label["problems"], *report.problems, label["other_matters"], *report.other_matters]
    return "".join(out)


def _same(a: object, b: object) -> bool:
    if isinstance(a, Amount) and isinstance(b, Amount):
        return (a.value, a.unit) == (b.value, b.unit)
    return a == b


@given(reports())
def test_one_line_reports_parse_exactly_or_say_which_rows_are_ambiguous(report: Report) -> None:
    text = one_line(report)
    result = opengov.parse(text)
    assert result.report.format is report.format
    lay = layout_for(report.format)
    unresolved = [d for d in result.diagnostics if d.code in ("ambiguous-row", "recovery-gave-up")]
    # a consistent report is never unreadable, and nothing else goes wrong
    assert {d.code for d in result.errors} <= {"ambiguous-row", "recovery-gave-up"}, result.errors
    for cell in report.cells():
        got = result.report.cell(cell.table, cell.row, cell.column)
        if got is None:
            if cell.table == "table4":
                name = "table4 row"
            elif cell.table == "table3":
                name = f"'{lay.table3.row(cell.row).label}'"
            else:
                name = f"'{lay.table2.row(cell.row).label}'"
            assert any(name in d.message for d in unresolved), (cell, result.diagnostics)
        else:
            assert _same(got, cell.value), (cell, got)


@settings(max_examples=40, deadline=None)
@given(reports(), st.data())
def test_one_line_labels_broken_by_spaces_read_as_unbroken(report: Report, data: st.DataObject) -> None:
    """The crawler text of a report with a space inside some table 2 and table 3 row labels
    (``二、上年结转政府信息公开 申请数量``) reads exactly as the text without them: the same
    cells and the same error codes (issue 17)."""
    text = one_line(report)
    lay = layout_for(report.format)
    spaced = text
    for label in [r.label for r in lay.table2.rows] + [r.label for r in lay.table3.rows]:
        if spaced.count(label) != 1 or not data.draw(st.booleans(), label=f"break {label}"):
            continue
        at = data.draw(st.integers(1, len(label) - 1), label="at")
        spaced = spaced.replace(label, label[:at] + " " + label[at:])
    plain, broken = opengov.parse(text), opengov.parse(spaced)
    assert [d.code for d in broken.errors] == [d.code for d in plain.errors]
    for cell in report.cells():
        key = (cell.table, cell.row, cell.column)
        assert _same(broken.report.cell(*key), plain.report.cell(*key)), key


def _last_year(report: Report, data: st.DataObject) -> Report:
    """A report of the year before whose table 2 stock carries over to ``report`` (computed
    here from the formats' definitions, not from the library's identities): 2021 现行有效
    last year = 现行有效 − 本年制发 + 本年废止; 2019 对外公开总数量 last year = this year's −
    本年新公开数量, and last year's 上一年项目数量 + 本年增/减 = this year's 上一年项目数量."""
    last = attrs.evolve(report, year=None if report.year is None else report.year - 1)
    if report.format is Format.V2021:
        for row in ("rules", "normative_documents"):
            get = functools.partial(report.cell, "table2", row)
            before = get("in_force") - get("issued") + get("repealed")  # type: ignore[operator]
            last = last.with_cell("table2", row, "in_force", before)
        return last
    for row in ("rules", "normative_documents"):
        get = functools.partial(report.cell, "table2", row)
        last = last.with_cell("table2", row, "total_published", get("total_published") - get("new_published"))  # type: ignore[operator]
    for row in ("licensing", "other_services", "punishment", "enforcement", "fees"):
        now = report.cell("table2", row, "previous_count")
        assert isinstance(now, int)
        change = data.draw(st.integers(-now, 50), label=f"last year's change of {row}")
        last = last.with_cell("table2", row, "previous_count", now - change)
        last = last.with_cell("table2", row, "change", change)
    return last


@settings(max_examples=examples(60), deadline=None)
@given(reports(), st.data())
def test_last_years_report_never_makes_a_figure_wrong(report: Report, data: st.DataObject) -> None:
    """A consistent report as one-line crawler text, read with a last year's report whose
    stock carries over: every cell exact or absent, and no cell read alone is lost or
    changed (the hints only decide rows the identities of one report leave open)."""
    text = one_line(report)
    alone = opengov.parse(text)
    helped = opengov.parse(text, previous=_last_year(report, data))
    for cell in report.cells():
        key = (cell.table, cell.row, cell.column)
        got = helped.report.cell(*key)
        assert got is None or _same(got, cell.value), (key, got, cell.value)
        if alone.report.cell(*key) is not None:
            assert _same(got, alone.report.cell(*key)), key
    assert not [d for d in helped.diagnostics if d.code == "previous-report"], helped.diagnostics


_NUMBERED_ROWS = {
    fmt: [r.label for r in layout_for(fmt).table3.rows if r.label[0] in "123456789（"] for fmt in ("2019", "2021")
}
_POOL = "的信息公开申请政府其他处理某甲乙"


@settings(max_examples=examples(60), deadline=None)
@given(reports(), st.data())
def test_one_line_damaged_labels_are_matched_right_or_left_out(report: Report, data: st.DataObject) -> None:
    """Table 3 labels with a number (``3.``, ``（二）``) damaged in crawler text — a character
    deleted, replaced or inserted after the number: every cell is exact or absent, and a
    damaged row is matched by its number (an info naming it) or reported, never taken for
    another row."""
    text = one_line(report)
    labels = data.draw(
        st.lists(st.sampled_from(_NUMBERED_ROWS[report.format.value]), min_size=1, max_size=4, unique=True)
    )
    for label in labels:
        if text.count(label) != 1:
            continue
        start = label.index(".") + 1 if "." in label[:3] else label.index("）") + 1
        at = data.draw(st.integers(start + 1, len(label) - 1), label="at")
        op = data.draw(st.sampled_from(["delete", "replace", "insert"]), label="op")
        ch = data.draw(st.sampled_from(_POOL), label="ch")
        broken = {"delete": label[:at] + label[at + 1 :], "replace": label[:at] + ch + label[at + 1 :]}.get(
            op, label[:at] + ch + label[at:]
        )
        text = text.replace(label, broken)
    result = opengov.parse(text)
    for cell in report.cells():
        got = result.report.cell(cell.table, cell.row, cell.column)
        assert got is None or _same(got, cell.value), (cell, got)
    said = " ".join(d.message for d in result.diagnostics)
    for row in layout_for(report.format).table3.rows:
        if result.report.cell("table3", row.key, "total") is None and row.label not in text:
            assert f"'{row.label}'" in said, row.label  # matched (label-by-ordinal) or reported


# ---------------------------------------------------------------------------------------
# real one-line reports
# ---------------------------------------------------------------------------------------


def _expected_cells(expected: dict[str, object], report: Report) -> dict[tuple[str, str, str], object]:
    """The hand-read figures by cell address (the shape of expected/*.json)."""
    lay = report.layout
    out: dict[tuple[str, str, str], object] = {}
    table2 = expected["table2"]
    assert isinstance(table2, dict)
    for row in lay.table2.rows:
        columns = lay.table2.columns_of(row.key)
        values = table2[row.label] if isinstance(table2[row.label], list) else [table2[row.label]]
        for column, value in zip(columns, values, strict=True):
            out[("table2", row.key, column.key)] = value
    table3 = expected["table3"]
    assert isinstance(table3, dict)
    for row3 in lay.table3.rows:
        name = row3.label if row3.block is None else f"{lay.table3.block(row3.block).label}/{row3.label}"
        for column3, value in zip(lay.table3.columns, table3[name], strict=True):
            out[("table3", row3.key, column3.key)] = value
    table4 = expected["table4"]
    assert isinstance(table4, list)
    positions = [(b.key, c.key) for b in lay.table4.blocks for c in lay.table4.columns]
    for (block, column4), value in zip(positions, table4, strict=True):
        out[("table4", block, column4)] = value
    return out


def _shown(value: object) -> object:
    if value is BLANK:
        return None
    if isinstance(value, Amount):
        text = f"{value.value}{value.unit or ''}"
        return text
    return value


def _compare(samples: Path, name: str) -> tuple[opengov.ParseResult, list[tuple[str, str, str]]]:
    """Parse a sample; every cell equals the hand-read figure or is absent with a recovery
    error naming its row.  Returns the result and the absent cells."""
    result = opengov.read(samples / name)
    expected = json.loads((samples / "expected" / name.replace(".txt", ".json")).read_text(encoding="utf-8"))
    assert (str(result.report.format), result.report.year) == (expected["format_version"], expected["year"])
    lay = result.report.layout
    unresolved = [d for d in result.diagnostics if d.code in ("ambiguous-row", "unreadable-row")]
    absent = []
    for key, figure in _expected_cells(expected, result.report).items():
        got = result.report.cell(*key)
        if got is None:
            label = lay.table2.row(key[1]).label if key[0] == "table2" else lay.table3.row(key[1]).label
            assert any(f"'{label}'" in d.message for d in unresolved), key
            absent.append(key)
            continue
        shown = _shown(got)
        if isinstance(figure, str) and isinstance(got, Amount):
            assert str(shown) == figure, key
        else:
            assert shown == figure, (key, got, figure)
    assert all(
        d.location.line is not None and d.location.column is not None
        for d in result.diagnostics
        if d.code in RECOVERY_CODES
    )
    return result, absent


@pytest.mark.samples
def test_pingtan_2023_every_cell_but_one_row(samples: Path) -> None:
    result, absent = _compare(samples, "pingtan-2023.txt")
    assert absent == [("table2", "normative_documents", c) for c in ("issued", "repealed", "in_force")]
    (ambiguous,) = [d for d in result.diagnostics if d.code == "ambiguous-row"]
    assert "77132470" in ambiguous.message
    assert "21 readings" in ambiguous.message
    assert [d.code for d in result.errors] == ["ambiguous-row"]
    codes = [d.code for d in result.diagnostics]
    assert codes.count("recovered-row") == 27  # 规章, 25 table 3 rows, table 4's 15 digits
    assert sum(1 for c in result.report.cells() if c.value is not None) == 197  # of 200


@pytest.mark.samples
def test_pingtan_2020_every_cell_but_six_table2_rows(samples: Path) -> None:
    result, absent = _compare(samples, "pingtan-2020.txt")
    ambiguous_rows = ["normative_documents", "licensing", "other_services", "punishment", "enforcement", "procurement"]
    assert sorted({k[1] for k in absent}) == sorted(ambiguous_rows)
    assert {k[0] for k in absent} == {"table2"}
    assert len(absent) == 17  # five rows of 3 cells, procurement's 2
    assert [d.code for d in result.errors] == ["ambiguous-row"] * 6
    # table 3 is printed inconsistent: the rows come out as printed, the checks say so
    findings = opengov.check(result)
    t3 = [f for f in findings if f.rule == "t3-outcomes"]
    assert [(f.row, f.column) for f in t3] == [("total_handled", "natural_person"), ("total_handled", "total")]
    others = [f for f in findings if f.rule != "t3-outcomes" and f.severity is Severity.ERROR]
    assert all(f.rule == "structure" for f in others), others
    assert sorted(f.row for f in others) == sorted(ambiguous_rows)  # type: ignore[type-var]


def test_markup_cells_are_real_cells_only_one_run_is_cut() -> None:
    md = opengov.render(opengov.parse(PLAIN).report, to="markdown")
    row = next(line for line in md.splitlines() if line.startswith(f"| {NEW_RECEIVED}"))
    # two real cells for seven columns: a lost cell, not a lost separator — not cut
    two = opengov.parse(md.replace(row, f"| {NEW_RECEIVED} | 10 | 1000011 |"))
    assert two.form == "markdown"
    diag = _only(two, "unreadable-row")
    assert "expected 7 cells, found 2" in diag.message
    assert "recovered-row" not in {d.code for d in two.diagnostics}
    # one cell holding the whole run: cut
    one = opengov.parse(md.replace(row, f"| {NEW_RECEIVED} | 101000011 |"))
    assert one.report.table3 is not None
    assert one.report.table3.new_received.natural_person == 10
    assert "recovered-row" in {d.code for d in one.diagnostics}
