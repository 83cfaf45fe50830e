"""Run the benchmarks on demand: ``python benchmarks/run.py [NAME-SUBSTRING ...]``.

Every ``bench_*.py`` module beside this file defines ``BENCHMARKS``: a list of
``(name, setup)`` pairs where ``setup()`` returns the zero-argument function to time.  Each
function is timed over repeated runs and the median (and the fastest) per call is printed.
Record results in ``docs/performance.md`` — never as assertions in the test suite.
"""

from __future__ import annotations

import importlib.util
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent


def measure(func: Callable[[], object], *, min_time: float = 0.2, repeats: int = 7) -> tuple[float, float]:
    """(median, best) seconds per call over ``repeats`` batches of at least ``min_time``."""
    func()  # warm up
    number = 1
    while True:
        start = time.perf_counter()
        for _ in range(number):
            func()
        elapsed = time.perf_counter() - start
        if elapsed >= min_time / repeats or number >= 1_000_000:
            break
        number *= 2
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(number):
            func()
        samples.append((time.perf_counter() - start) / number)
    return statistics.median(samples), min(samples)


def _load(path: Path) -> object:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv: list[str]) -> int:
    print(f"python {platform.python_version()} on {platform.machine()} ({platform.processor() or 'unknown cpu'})")
    print(f"{'benchmark':<52} {'median':>12} {'best':>12}")
    for path in sorted(HERE.glob("bench_*.py")):
        module = _load(path)
        for name, setup in getattr(module, "BENCHMARKS", []):
            full = f"{path.stem[6:]}: {name}"
            if argv and not any(a in full for a in argv):
                continue
            median, best = measure(setup())
            print(f"{full:<52} {median * 1e3:>9.3f} ms {best * 1e3:>9.3f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
