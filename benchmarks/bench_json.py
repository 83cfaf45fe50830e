"""JSON: dumps and loads of the reference report."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import opengov

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "examples"))
from quickstart import example_report

REPORT = example_report()
TEXT = opengov.dumps(REPORT)


def _dumps() -> Callable[[], object]:
    return lambda: opengov.dumps(REPORT)


def _loads() -> Callable[[], object]:
    return lambda: opengov.loads(TEXT)


BENCHMARKS = [("dumps (reference report)", _dumps), ("loads (reference report)", _loads)]
