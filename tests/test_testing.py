"""The public strategies: checked with the tests' own arithmetic."""

from __future__ import annotations

from hypothesis import given

from opengov import Report
from opengov.testing import Mutation, broken_reports, reports


def _ints(report: Report, table: str) -> dict[tuple[str, str], int]:
    out = {}
    for cell in report.cells():
        if cell.table == table:
            assert isinstance(cell.value, int)
            out[(cell.row, cell.column)] = cell.value
    return out


@given(reports())
def test_reports_are_consistent(report: Report) -> None:
    t3 = _ints(report, "table3")
    rows = {row for row, _ in t3}
    parts = ["natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org"]
    for row in rows:
        assert t3[(row, "total")] == sum(t3[(row, c)] for c in parts)
    outcomes = rows - {"new_received", "carried_over", "total_handled", "carried_forward"}
    assert len(outcomes) == (21 if report.format.value == "2021" else 19)
    for column in [*parts, "total"]:
        assert t3[("total_handled", column)] == sum(t3[(r, column)] for r in outcomes)
        assert (
            t3[("new_received", column)] + t3[("carried_over", column)]
            == t3[("total_handled", column)] + t3[("carried_forward", column)]
        )
        assert all(v >= 0 for v in t3.values())
    t4 = _ints(report, "table4")
    for block in ("reconsideration", "litigation_direct", "litigation_after_reconsideration"):
        parts4 = ("upheld", "corrected", "other", "pending")
        assert t4[(block, "total")] == sum(t4[(block, c)] for c in parts4)


@given(broken_reports())
def test_broken_reports_change_exactly_one_cell(pair: tuple[Report, Mutation]) -> None:
    report, mutation = pair
    assert mutation.delta != 0
    assert mutation.after >= 0
    assert report.cell(*mutation.key) == mutation.after
