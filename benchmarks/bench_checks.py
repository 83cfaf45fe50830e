"""Checks: check() on the reference report (and with last year's report), with a wrong cell,
two swapped cells and a wrong table 4 total (the culprit analysis), the prose read cold (the
grammar's per-paragraph cache cleared, as for a report never seen), and the batch's carry-over
records (made and packed in a worker; unpacked and compared in pairs).

Run this file directly (``python benchmarks/bench_checks.py``) for the check / parse ratio
measured in one run on the reference text and on every real sample found in
``$OPENGOV_SAMPLES`` (default ``../shared/samples``): CPU time (``time.process_time``),
median of repeated runs, parse and check in the same state: warm, text-cold (the caches keyed
by document text emptied before each call), all-cold (every cache emptied) and first (every
cache emptied and the document parsed before the check is timed: the first report of a
process).  ``python benchmarks/bench_checks.py --ratios`` prints only the ratios.
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


def _clear_text_caches() -> None:
    """Empty the caches keyed by document text (every bounded ``functools.lru_cache``:
    cells, labels, prose paragraphs); keep the per-format structures (unbounded caches)."""
    for function in _caches.caches():
        if function.cache_info().maxsize is not None:
            function.cache_clear()


def ratios() -> None:
    """check / parse on the reference text and on the real samples, in four states:
    *warm* (the same document again and again), *text-cold* (every cache keyed by document
    text emptied before each call, as for a document never seen: the prose read anew),
    *all-cold* (``opengov._caches.clear()`` before each call: per-format structures rebuilt
    too, the layout's cell index among them) and *first* (``opengov._caches.clear()``, the
    document parsed, then checked: the first report of a process, whose parse has built
    the layout's structures and whose check builds its own; its ratio is to the all-cold
    parse)."""
    samples = Path(os.environ.get("OPENGOV_SAMPLES") or ROOT.parent / "shared" / "samples")
    documents = [ROOT / "tests" / "data" / "zhapu-2023.txt"]
    if samples.is_dir():
        documents += sorted(
            p
            for p in samples.iterdir()
            if p.suffix in (".txt", ".md", ".html", ".pdf") and p.name != "README.md" and p.name != "zhapu-2023.txt"
        )
    states = (("warm", None), ("text-cold", _clear_text_caches), ("all-cold", _caches.clear))
    print(
        f"{'document':28}"
        + "".join(f" {name + ' parse':>16} {'check':>8} {'ratio':>6}" for name, _ in states)
        + f" {'first check':>12} {'ratio':>6}"
    )
    for path in documents:
        data = path.read_bytes()
        result = opengov.parse(data)
        n = 5 if path.suffix == ".pdf" else 30
        line = f"{path.name:28}"
        parse = 0.0
        for _, before in states:
            parse = _cpu(lambda data=data: opengov.parse(data), n, before)  # type: ignore[misc]
            check = _cpu(lambda result=result: opengov.check(result), 200 if before is None else 50, before)  # type: ignore[misc]
            line += f" {parse * 1e3:14.3f}ms {check * 1e3:6.3f}ms {check / parse:6.3f}"

        def first(data: bytes = data) -> None:
            _caches.clear()
            opengov.parse(data)

        check = _cpu(lambda result=result: opengov.check(result), n, first)  # type: ignore[misc]
        line += f" {check * 1e3:10.3f}ms {check / parse:6.3f}"
        print(line)


if __name__ == "__main__":
    if "--ratios" in sys.argv[1:]:
        ratios()
        raise SystemExit
    from run import measure  # the harness beside this file

    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    for name, setup in BENCHMARKS:
        median, best = measure(setup())
        print(f"checks: {name:<46} {median * 1e3:9.3f} ms {best * 1e3:9.3f} ms")
    ratios()
