"""CSV: to_csv and from_csv of 1,000 reports in both layouts."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import opengov

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "examples"))
from quickstart import example_report

REPORTS = [example_report().with_cell("table3", "granted", "natural_person", i) for i in range(1000)]


def _to(layout: str) -> Callable[[], Callable[[], object]]:
    return lambda: lambda: opengov.to_csv(REPORTS, shape=layout)  # type: ignore[arg-type]


def _from(layout: str) -> Callable[[], Callable[[], object]]:
    def setup() -> Callable[[], object]:
        text = opengov.to_csv(REPORTS, shape=layout)  # type: ignore[arg-type]
        return lambda: opengov.from_csv(text)

    return setup


def _lines() -> Callable[[], object]:
    return lambda: [line for n, report in enumerate(REPORTS, 1) for line in opengov.csv_lines(report, n)]


BENCHMARKS = [
    ("csv_lines (1,000 reports one by one, 200k lines)", _lines),
    ("to_csv long (1,000 reports, 200k lines)", _to("long")),
    ("from_csv long (1,000 reports, 200k lines)", _from("long")),
    ("to_csv wide (1,000 reports)", _to("wide")),
    ("from_csv wide (1,000 reports)", _from("wide")),
]
