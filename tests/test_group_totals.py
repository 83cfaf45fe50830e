"""Printed group totals (issue 17): a 2021 table 3 that prints （六）其他处理 as one row with
figures keeps it as ``Applications2021.other_processing`` — through parsing, JSON, CSV, the
writers and the checks — while its numbered rows keep their own cells (absent when not
printed, never the group's figures divided)."""

from __future__ import annotations

import re
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import opengov
from opengov import BLANK, ApplicantCounts, Applications2021, Report, Severity
from opengov.layout import Format, layout_for
from opengov.testing import any_reports, cell_values, reports

DATA = Path(__file__).resolve().parent / "data" / "labels"
T3 = layout_for(Format.V2021).table3
GROUP = "other_processing"
MEMBERS = T3.block(GROUP).rows  # 1. 2. 3. under （六）其他处理
COLUMNS = [c.key for c in T3.columns]
ABSENT = ApplicantCounts(**dict.fromkeys(COLUMNS))


def _table3(report: Report) -> Applications2021:
    assert isinstance(report.table3, Applications2021)
    return report.table3


def _sum_of_members(table3: Applications2021) -> ApplicantCounts:
    """The group's total computed here, column by column, from its numbered rows."""
    return ApplicantCounts(**{c: sum(getattr(getattr(table3, r), c) for r in MEMBERS) for c in COLUMNS})


@st.composite
def printed_the_2019_way(draw: st.DrawFn) -> Report:
    """A consistent 2021 report whose （六）其他处理 is printed as one row (its sum) and whose
    numbered rows are not printed (absent)."""
    report = draw(reports(Format.V2021))
    table3 = _table3(report)
    total = _sum_of_members(table3)
    changes = {GROUP: total, **dict.fromkeys(MEMBERS, ABSENT)}
    return attrs.evolve(report, table3=attrs.evolve(table3, **changes))


@st.composite
def printed_beside_its_rows(draw: st.DrawFn) -> Report:
    """A consistent 2021 report printing （六）其他处理's total beside its numbered rows."""
    report = draw(reports(Format.V2021))
    table3 = _table3(report)
    return attrs.evolve(report, table3=attrs.evolve(table3, other_processing=_sum_of_members(table3)))


@st.composite
def any_group_totals(draw: st.DrawFn) -> Report:
    """A 2021 report of cells in every state with a printed group total in every state (one
    cell at least printed: not absent, not blank)."""
    report = draw(any_reports(Format.V2021, absent=True))
    cells = {c: draw(cell_values(absent=True)) for c in COLUMNS}
    if all(v is None or v == BLANK for v in cells.values()):
        cells[draw(st.sampled_from(COLUMNS))] = draw(st.integers(0, 10**6))
    table3 = attrs.evolve(_table3(report), other_processing=ApplicantCounts(**cells))
    return attrs.evolve(report, table3=table3)


with_group_totals = st.one_of(printed_the_2019_way(), printed_beside_its_rows())


# -- reading ----------------------------------------------------------------------------


@pytest.mark.parametrize("form", ["txt", "html"])
def test_the_printed_row_is_kept_and_the_numbered_rows_stay_absent(form: str) -> None:
    result = opengov.read(str(DATA / f"group-row-2021.{form}"))
    table3 = _table3(result.report)
    assert table3.other_processing == ApplicantCounts(
        natural_person=3, commercial=0, research=0, social_welfare=0, legal_service=0, other_org=0, total=3
    )
    assert all(getattr(table3, r) == ABSENT for r in MEMBERS)
    (error,) = result.errors
    assert error.code == "group-row-only"
    assert "kept as the group's printed total" in error.message
    assert ("table3", GROUP, "total") in result.locations
    # consistent as printed: the group total stands for its rows in （七）总计
    assert [f for f in opengov.check(result) if f.rule == "t3-group-total"] == []


def test_a_wrong_printed_group_figure_is_named() -> None:
    result = opengov.read(str(DATA / "group-row-2021.txt"))
    table3 = _table3(result.report)
    assert table3.other_processing is not None
    changed = attrs.evolve(table3.other_processing, natural_person=4)
    report = attrs.evolve(result.report, table3=attrs.evolve(table3, other_processing=changed))
    found = {(f.row, f.column, f.difference) for f in opengov.check(report) if f.rule == "t3-group-total"}
    # its row total and （七）总计 of its column both disagree with it, by the change
    assert found == {(GROUP, "total", -1), ("total_handled", "natural_person", -1)}


# -- properties -------------------------------------------------------------------------


@given(st.one_of(with_group_totals, any_group_totals()))
def test_json_round_trip(report: Report) -> None:
    text = opengov.dumps(report)
    assert '"other_processing"' in text
    assert opengov.loads(text) == report


@given(any_reports(Format.V2021))
def test_json_has_no_group_total_when_none_was_printed(report: Report) -> None:
    assert _table3(report).other_processing is None
    assert '"other_processing"' not in opengov.dumps(report)


@given(st.one_of(with_group_totals, any_group_totals()))
def test_csv_round_trips(report: Report) -> None:
    assert opengov.from_csv(opengov.to_csv(report)) == [report]
    wide = attrs.evolve(report, preamble=(), overview=(), problems=(), other_matters=())
    assert opengov.from_csv(opengov.to_csv(report, shape="wide")) == [wide]


@given(with_group_totals, st.sampled_from(["text", "html", "markdown"]))
def test_parse_render_round_trip(report: Report, form: str) -> None:
    result = opengov.parse(opengov.render(report, form))
    assert result.report == report
    codes = {d.code for d in result.diagnostics if d.code.startswith("group")}
    printed_alone = all(getattr(_table3(report), r) == ABSENT for r in MEMBERS)
    assert codes == ({"group-row-only"} if printed_alone else {"group-total"})


@given(with_group_totals)
def test_a_consistent_group_total_gives_no_finding(report: Report) -> None:
    assert [f for f in opengov.check(report) if f.rule == "t3-group-total"] == []


@given(printed_the_2019_way(), st.sampled_from(["undecided", "zero"]))
def test_a_group_total_printed_alone_decides_its_columns(report: Report, blanks: str) -> None:
    """（七）总计 = Σ outcome rows is decided by the group total standing for its absent rows:
    no ``undecided`` about it (the absent rows are not unknown figures) and, with
    ``blanks="zero"``, no ``t3-outcomes`` error from reading them as 0."""
    found = opengov.check(report, blanks=blanks)  # type: ignore[arg-type]
    assert [f for f in found if f.rule in ("t3-outcomes", "t3-group-total")] == []
    assert [f for f in found if f.identity == "t3-outcomes"] == []


@pytest.mark.parametrize("blanks", ["undecided", "zero"])
def test_the_fixture_printed_the_2019_way_has_no_outcome_findings(blanks: str) -> None:
    result = opengov.read(str(DATA / "group-row-2021.txt"))
    found = opengov.check(result, blanks=blanks)  # type: ignore[arg-type]
    assert {f.rule for f in found if f.column is not None and f.row == "total_handled"} == set()
    # the absent numbered rows are still named: the 2021 format prints them
    assert {f.row for f in found if f.rule == "structure"} == set(MEMBERS)


@given(printed_the_2019_way(), st.sampled_from(COLUMNS))
def test_with_another_outcome_cell_unusable_the_column_stays_undecided(report: Report, column: str) -> None:
    """The group total decides a column only when every other cell of it is usable."""
    table3 = _table3(report)
    blanked = attrs.evolve(table3.granted, **{column: BLANK})
    found = opengov.check(attrs.evolve(report, table3=attrs.evolve(table3, granted=blanked)))
    undecided = {(f.row, f.column) for f in found if f.identity == "t3-outcomes"}
    assert undecided == {("total_handled", column)}


@given(with_group_totals, st.sampled_from(COLUMNS), st.integers(1, 50))
def test_one_changed_group_cell_is_named(report: Report, column: str, delta: int) -> None:
    table3 = _table3(report)
    assert table3.other_processing is not None
    before = getattr(table3.other_processing, column)
    changed = attrs.evolve(table3.other_processing, **{column: before + delta})
    found = opengov.check(attrs.evolve(report, table3=attrs.evolve(table3, other_processing=changed)))
    named = {(f.row, f.column, f.difference) for f in found if f.rule == "t3-group-total"}
    alone = all(getattr(table3, r) == ABSENT for r in MEMBERS)
    expected = {("total_handled", column, -delta)} if alone else {(GROUP, column, delta)}
    if column == "total":
        expected = {(GROUP, "total", delta)} | ({("total_handled", "total", -delta)} if alone else set())
    else:
        expected.add((GROUP, "total", -delta))
    assert named == expected
    assert all(f.severity is Severity.ERROR for f in found if f.rule == "t3-group-total")


# -- the model and its readers refuse what cannot be a group total ------------------------


def test_a_group_total_without_a_cell_is_refused() -> None:
    report = opengov.parse((DATA / "group-row-2021.txt").read_bytes()).report
    with pytest.raises(ValueError, match="no printed cell"):
        attrs.evolve(_table3(report), other_processing=ABSENT)
    with pytest.raises(ValueError, match="no printed cell"):
        attrs.evolve(_table3(report), other_processing=ApplicantCounts(**dict.fromkeys(COLUMNS, BLANK)))
    with pytest.raises(TypeError, match="ApplicantCounts or None"):
        attrs.evolve(_table3(report), other_processing=3)


def test_a_long_csv_with_part_of_a_group_total_names_what_is_missing() -> None:
    report = opengov.parse((DATA / "group-row-2021.txt").read_bytes()).report
    lines = opengov.to_csv(report).splitlines(keepends=True)
    cut = [line for line in lines if ",table3,,other_processing," not in line or ",research," not in line]
    assert len(cut) == len(lines) - 1
    with pytest.raises(opengov.LoadError, match=r"other_processing\.research"):
        opengov.from_csv("".join(cut))


def test_the_check_report_flags_the_printed_group_total() -> None:
    """The check report's table 3 holds the group total's row: its cells carry their
    addresses, and the cells after it keep theirs."""
    report = opengov.parse((DATA / "group-row-2021.txt").read_bytes()).report
    table3 = _table3(report)
    assert table3.other_processing is not None
    changed = attrs.evolve(table3.other_processing, natural_person=4)
    report = attrs.evolve(report, table3=attrs.evolve(table3, other_processing=changed))
    page = opengov.render(report, "html", findings=opengov.check(report))
    flagged = re.findall(r'<td[^>]*data-cell="([^"]+)"[^>]*class="og-flag og-error"[^>]*>(\d+)', page)
    assert ("table3.other_processing.natural_person", "4") in flagged
    assert ("table3.total_handled.natural_person", "12") in flagged
    assert re.search(r'data-cell="table3\.carried_forward\.total"[^>]*>1<', page)


def test_a_group_total_read_in_part_keeps_the_rest_absent() -> None:
    """The assembler's cell map may hold some of a group total's cells (a column it could
    not read): the others are absent, not an error; none printed is no group total."""
    from opengov._model import with_group_totals

    report = opengov.parse((DATA / "group-row-2021.txt").read_bytes()).report
    bare = attrs.evolve(report, table3=attrs.evolve(_table3(report), other_processing=None))
    some = with_group_totals(bare, {("table3", GROUP, "natural_person"): 3, ("table3", GROUP, "total"): 3})
    assert _table3(some).other_processing == ApplicantCounts(
        **{**dict.fromkeys(COLUMNS), "natural_person": 3, "total": 3}
    )
    assert with_group_totals(bare, {("table3", GROUP, "total"): BLANK}) == bare
