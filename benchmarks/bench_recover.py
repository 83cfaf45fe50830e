"""Recovery of separator-lost rows (opengov._recover) on one-line reports."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import opengov
from opengov import AppealOutcomes, Appeals, ApplicantCounts, Applications2021, Report
from opengov._codec import cell_text
from opengov._recover import TABLE4_FLAT, recover, split_rows
from opengov.layout import layout_for

SAMPLE = Path(__file__).resolve().parent.parent.parent / "shared" / "samples" / "pingtan-2023.txt"


def _generated_rows() -> dict[str, list[tuple[str, str]]]:
    """A consistent 2021 table 3 and table 4 with two-digit figures, every separator deleted."""
    rng = random.Random(2023)
    outcomes = {
        key: ApplicantCounts.build(*(rng.choice([0, 0, 0, rng.randint(1, 40)]) for _ in range(6)))
        for key in layout_for("2021").table3.outcome_rows
    }
    received = {key: outcomes[key] for key in list(outcomes)}
    handled = {name: sum(getattr(r, name) for r in received.values()) for name in ApplicantCounts.PARTS}
    table3 = Applications2021.build(new_received=ApplicantCounts.build(**handled), **outcomes)
    table4 = Appeals.build(*(AppealOutcomes.build(*(rng.randint(0, 12) for _ in range(4))) for _ in range(3)))
    report = Report(format="2021", table3=table3, table4=table4)
    rows: dict[str, list[str]] = {}
    t4: list[str] = []
    for cell in report.cells():
        if cell.table == "table3":
            rows.setdefault(cell.row, []).append(cell_text(cell.value))
        else:
            t4.append(cell_text(cell.value))
    return {
        "table3": [(key, "".join(cells)) for key, cells in rows.items()],
        "table4": [(TABLE4_FLAT, "".join(t4))],
    }


def _real() -> Callable[[], object]:
    if not SAMPLE.exists():  # the samples live beside the project
        return lambda: None
    text = SAMPLE.read_text(encoding="utf-8")
    return lambda: recover("2021", split_rows(text, "2021"))


def _split_only() -> Callable[[], object]:
    if not SAMPLE.exists():
        return lambda: None
    text = SAMPLE.read_text(encoding="utf-8")
    return lambda: split_rows(text, "2021")


def _parse_real() -> Callable[[], object]:
    if not SAMPLE.exists():
        return lambda: None
    text = SAMPLE.read_text(encoding="utf-8")
    return lambda: opengov.parse(text)


def _generated() -> Callable[[], object]:
    rows = _generated_rows()
    return lambda: recover("2021", rows)


BENCHMARKS = [
    ("opengov.parse (pingtan-2023, one line, recovery included)", _parse_real),
    ("split_rows + recover (pingtan-2023, one line)", _real),
    ("split_rows only (pingtan-2023)", _split_only),
    ("recover (generated 2021 t3+t4, 2-digit cells)", _generated),
]
