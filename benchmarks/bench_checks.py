"""Checks: check() on the reference report (and with last year's report), and the batch's
carry-over records (made and packed in a worker; unpacked and compared in pairs)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import attrs

import opengov
from opengov._checks.carry import CarryRecord, carry_record, previous_findings

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "examples"))
from quickstart import example_report

REPORT = attrs.evolve(
    example_report(),
    overview=(
        "2023年度共收到依申请公开件37件，办理38件（含上一年结转1件，无结转到下一年度办件）。未发生政府信息公开行政复议。",
    ),
    problems=("存在的主要问题是公开质量有待提升。",),
    other_matters=("2023年度未收取政府信息公开相关处理费。",),
)
PREVIOUS = attrs.evolve(REPORT, year=2022)
BROKEN = REPORT.with_cell("table3", "granted", "natural_person", 22)


def _check() -> Callable[[], object]:
    return lambda: opengov.check(REPORT)


def _check_previous() -> Callable[[], object]:
    return lambda: opengov.check(REPORT, PREVIOUS)


def _check_broken() -> Callable[[], object]:
    return lambda: opengov.check(BROKEN)


def _carry_pack() -> Callable[[], object]:
    return lambda: carry_record(REPORT).pack()


def _carry_pair() -> Callable[[], object]:
    current, before = carry_record(REPORT).pack(), carry_record(PREVIOUS).pack()
    return lambda: previous_findings(CarryRecord.unpack(current), CarryRecord.unpack(before))


BENCHMARKS = [
    ("check (reference report)", _check),
    ("check with previous report", _check_previous),
    ("check (one wrong cell)", _check_broken),
    ("carry-over record made and packed", _carry_pack),
    ("two records unpacked and compared", _carry_pair),
]
