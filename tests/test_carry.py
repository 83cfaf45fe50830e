"""The batch's carry-over records: the previous-year rules run on two records give exactly
the findings ``check(current, previous=previous)`` adds to ``check(current)``."""

from __future__ import annotations

from pathlib import Path

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

import opengov
from opengov._checks.carry import CarryRecord, carry_record, previous_findings
from opengov.testing import any_reports

PREVIOUS_RULES = {"previous-year", "carry-over", "t2-stock"}


def _added(current: opengov.Report | opengov.ParseResult, before: opengov.Report) -> list[opengov.Finding]:
    alone = opengov.check(current)
    return [f for f in opengov.check(current, previous=before) if f not in alone]


@given(any_reports(), any_reports(), st.sampled_from([-1, -2, 0]))
@settings(max_examples=60)
def test_records_give_the_findings_last_years_report_adds(
    current: opengov.Report, before: opengov.Report, offset: int
) -> None:
    if current.year is not None and before.year is not None:
        before = attrs.evolve(before, year=current.year + offset)
    got = previous_findings(
        CarryRecord.unpack(carry_record(current).pack()), CarryRecord.unpack(carry_record(before).pack())
    )
    assert got == _added(current, before)
    assert {f.rule for f in got if f.rule != "undecided"} <= PREVIOUS_RULES


def test_locations_of_the_current_report_are_kept() -> None:
    text = (Path(__file__).parent / "data" / "zhapu-2023.txt").read_text(encoding="utf-8")
    current = opengov.parse(text)
    before = current.report.with_cell("table3", "carried_forward", "total", 999)
    before = attrs.evolve(before, year=current.report.year - 1)
    got = previous_findings(carry_record(current), carry_record(before))
    assert got == _added(current, before)
    assert any(f.rule == "carry-over" and f.locations for f in got)
