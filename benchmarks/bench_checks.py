"""Checks: check() on the reference report (and with last year's report), with a wrong cell,
two swapped cells and a wrong table 4 total (the culprit analysis), the prose read cold (the
grammar's per-paragraph cache cleared, as for a report never seen), and the batch's carry-over
records (made and packed in a worker; unpacked and compared in pairs).

Run this file directly (``python benchmarks/bench_checks.py``) for the check / parse ratio
measured in one run on the reference text and on every real sample found in
``$OPENGOV_SAMPLES`` (default ``../shared/samples``): CPU time (``time.process_time``),
median of repeated runs: parse and check both warm; check with the prose read cold; both with
every cache cleared before each call.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import attrs

import opengov
from opengov import _caches
from opengov._checks import grammar
from opengov._checks.carry import CarryRecord, carry_record, previous_findings

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "examples"))
from quickstart import example_report  # noqa: E402

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
_GRANTED = (REPORT.cell("table3", "granted", "natural_person"), REPORT.cell("table3", "granted", "commercial"))
SWAPPED = REPORT.with_cell("table3", "granted", "natural_person", _GRANTED[1]).with_cell(
    "table3", "granted", "commercial", _GRANTED[0]
)
TABLE4 = REPORT.with_cell("table4", "reconsideration", "upheld", 3)


def _check() -> Callable[[], object]:
    return lambda: opengov.check(REPORT)


def _check_previous() -> Callable[[], object]:
    return lambda: opengov.check(REPORT, PREVIOUS)


def _check_broken() -> Callable[[], object]:
    return lambda: opengov.check(BROKEN)


def _check_swapped() -> Callable[[], object]:
    return lambda: opengov.check(SWAPPED)


def _check_table4() -> Callable[[], object]:
    return lambda: opengov.check(TABLE4)


def _check_prose_cold() -> Callable[[], object]:
    def run() -> object:
        grammar.read_paragraph.cache_clear()
        return opengov.check(REPORT)

    return run


def _carry_pack() -> Callable[[], object]:
    return lambda: carry_record(REPORT).pack()


def _carry_pair() -> Callable[[], object]:
    current, before = carry_record(REPORT).pack(), carry_record(PREVIOUS).pack()
    return lambda: previous_findings(CarryRecord.unpack(current), CarryRecord.unpack(before))


BENCHMARKS = [
    ("check (reference report)", _check),
    ("check with previous report", _check_previous),
    ("check (one wrong cell)", _check_broken),
    ("check (two swapped cells)", _check_swapped),
    ("check (a wrong table 4 part: candidates)", _check_table4),
    ("check (reference report, prose read cold)", _check_prose_cold),
    ("carry-over record made and packed", _carry_pack),
    ("two records unpacked and compared", _carry_pair),
]


def _cpu(func: Callable[[], object], repeats: int, before: Callable[[], object] | None = None) -> float:
    """Median CPU seconds per call."""
    func()
    samples = []
    for _ in range(repeats):
        if before is not None:
            before()
        start = time.process_time()
        func()
        samples.append(time.process_time() - start)
    return statistics.median(samples)


def ratios() -> None:
    """check / parse on the reference text and on the real samples: both warm (the same
    document again and again), check with the prose read cold against the warm parse (the
    worst case for the ratio), and both with every cache cleared before each call
    (``opengov._caches.clear()``: nothing seen, per-format structures rebuilt)."""
    samples = Path(os.environ.get("OPENGOV_SAMPLES") or ROOT.parent / "shared" / "samples")
    documents = [ROOT / "examples" / "zhapu-2023.txt"]
    if samples.is_dir():
        documents += sorted(
            p for p in samples.iterdir() if p.suffix in (".txt", ".md", ".html", ".pdf") and p.name != "README.md"
        )
    print(
        f"{'document':28} {'parse':>9} {'check':>9} {'ratio':>6} {'check, prose cold':>18} {'ratio':>6} "
        f"{'parse, all cold':>16} {'check, all cold':>16} {'ratio':>6}"
    )
    for path in documents:
        data = path.read_bytes()
        result = opengov.parse(data)
        n = 5 if path.suffix == ".pdf" else 30
        parse = _cpu(lambda data=data: opengov.parse(data), n)  # type: ignore[misc]
        check = _cpu(lambda result=result: opengov.check(result), 200)  # type: ignore[misc]
        cold = _cpu(lambda result=result: opengov.check(result), 200, grammar.read_paragraph.cache_clear)  # type: ignore[misc]
        parse_all = _cpu(lambda data=data: opengov.parse(data), n, _caches.clear)  # type: ignore[misc]
        check_all = _cpu(lambda result=result: opengov.check(result), 50, _caches.clear)  # type: ignore[misc]
        print(
            f"{path.name:28} {parse * 1e3:7.3f}ms {check * 1e3:7.3f}ms {check / parse:6.3f} "
            f"{cold * 1e3:16.3f}ms {cold / parse:6.3f} "
            f"{parse_all * 1e3:14.3f}ms {check_all * 1e3:14.3f}ms {check_all / parse_all:6.3f}"
        )


if __name__ == "__main__":
    from run import measure  # the harness beside this file

    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    for name, setup in BENCHMARKS:
        median, best = measure(setup())
        print(f"checks: {name:<46} {median * 1e3:9.3f} ms {best * 1e3:9.3f} ms")
    ratios()
