"""The batch's carry-over records: the previous-year rules run on two records give exactly
the findings ``check(current, previous=previous)`` adds to ``check(current)``."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import opengov
from budget import examples
from opengov._checks.carry import CarryRecord, carry_record, previous_findings
from opengov._checks.previous import cells_read
from opengov.testing import any_reports

PREVIOUS_RULES = {"previous-year", "carry-over", "t2-stock", "t2-culprit", "swapped-culprit", "transposed-culprit"}


def _added(current: opengov.Report | opengov.ParseResult, before: opengov.Report) -> list[opengov.Finding]:
    alone = opengov.check(current)
    return [f for f in opengov.check(current, previous=before) if f not in alone]


@given(any_reports(), any_reports(), st.sampled_from([-1, -2, 0]))
@settings(max_examples=examples(60))
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


@given(any_reports(absent=True))
@settings(max_examples=examples(60))
def test_a_record_holds_the_cells_the_previous_year_rules_read_as_report_cell_reads_them(
    report: opengov.Report,
) -> None:
    record = carry_record(report)
    keys = cells_read(report.format)
    assert {key[0] for key in keys} == {"table2", "table3"}
    assert len(keys) == (20 if report.format == "2021" else 28)
    expected = tuple(report.cell(*key) if getattr(report, key[0]) is not None else None for key in keys)
    assert record.values == expected
    assert (record.has_table2, record.has_table3) == (report.table2 is not None, report.table3 is not None)
    assert CarryRecord.unpack(record.pack()) == record


def test_packed_records_keep_locations_and_refuse_a_wrong_length() -> None:
    text = (Path(__file__).parent / "data" / "zhapu-2023.txt").read_text(encoding="utf-8")
    result = opengov.parse(text)
    record = carry_record(result)
    keys = cells_read(result.report.format)
    assert record.locations == tuple(result.locations.get(key) for key in keys)
    assert any(loc is not None for loc in record.locations)
    assert CarryRecord.unpack(record.pack()) == record
    with pytest.raises(ValueError, match="holds 20 values, got 19"):
        attrs.evolve(record, values=record.values[1:])
