"""Parsing: the reference report, and json.loads + structuring of the same report's JSON.

``parse (reference report, text)`` times repeated parses of one text: whatever opengov
keeps between parses (``functools`` caches of pure functions: label matches, cell
readings, cells at their places) is warm, as in a batch of similar reports.  ``parse,
other figures each time`` parses 200 variants of the reference text in turn, every figure
replaced by a random one.  ``parse, fresh figures each time`` parses a new variant on every
call, so no figure cell was seen before at its place: the case of a batch of new reports
(the cost of making the text is measured alone and subtracted).

Run this file directly for CPU time (``time.process_time``) as well as wall time, the
parse / loads ratio measured in one run, and the cold parse: a fresh process per
measurement that has imported opengov and collected the imports' garbage, then parses once
(nothing is kept between calls that could be cleared instead: a fresh process is cold by
construction).  ``benchmarks/reader_times.py`` does the same for every real sample.
"""

from __future__ import annotations

import gc
import itertools
import os
import random
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import opengov

TEXT_PATH = Path(__file__).resolve().parent.parent / "tests" / "data" / "zhapu-2023.txt"
TEXT = TEXT_PATH.read_text(encoding="utf-8")


def _json() -> str:
    """The reference report's JSON (made when asked: a cold child must not parse first)."""
    return opengov.dumps(opengov.parse(TEXT).report)


def _parse() -> Callable[[], object]:
    return lambda: opengov.parse(TEXT)


def _variants(n: int = 200) -> list[str]:
    """The reference text with every TAB cell that is a number replaced by a random one:
    the same layout, other figures (as in a batch of one organ type's reports)."""
    rng = random.Random(2026)
    number = re.compile(r"(?m)^\t[0-9]+$")
    return [number.sub(lambda _: f"\t{rng.randint(0, 999)}", TEXT) for _ in range(n)]


def _parse_variants() -> Callable[[], object]:
    texts = itertools.cycle(_variants())
    return lambda: opengov.parse(next(texts))


def _fresh_texts() -> Callable[[], str]:
    """A new variant of the reference text on every call (every figure random, 0–999):
    nothing of a report's figures' cells was seen before, as in a batch of new reports."""
    rng = random.Random(2027)
    pieces = re.split(r"(?m)^\t[0-9]+$", TEXT)
    head, rest = pieces[0], pieces[1:]

    def make() -> str:
        return head + "".join(f"\t{rng.randrange(1000)}{piece}" for piece in rest)

    return make


def _parse_fresh() -> Callable[[], object]:
    make = _fresh_texts()
    return lambda: opengov.parse(make())


def _fresh_only() -> Callable[[], object]:
    return _fresh_texts()


def _loads() -> Callable[[], object]:
    data = _json()
    return lambda: opengov.loads(data)


BENCHMARKS = [
    ("parse (reference report, text)", _parse),
    ("parse, other figures each time (200 variants)", _parse_variants),
    ("parse, fresh figures each time (text made in the loop)", _parse_fresh),
    ("making a fresh text alone", _fresh_only),
    ("loads (same report's JSON)", _loads),
]


def _cpu(func: Callable[[], object], number: int = 300, repeats: int = 7) -> float:
    """Median CPU seconds per call."""
    func()
    samples = []
    for _ in range(repeats):
        start = time.process_time()
        for _ in range(number):
            func()
        samples.append((time.process_time() - start) / number)
    return statistics.median(samples)


def _cold_child() -> None:
    gc.collect()
    start = time.process_time()
    opengov.parse(TEXT)
    print(time.process_time() - start)


def _cold(runs: int = 21) -> float:
    """Median CPU seconds of the first parse in a fresh process."""
    samples = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, __file__, "--cold-child"], check=True, capture_output=True, text=True, env=os.environ
        )
        samples.append(float(out.stdout.split()[-1]))
    return statistics.median(samples)


if __name__ == "__main__":
    if sys.argv[1:] == ["--cold-child"]:
        _cold_child()
        raise SystemExit(0)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from run import measure

    parse_median, _ = measure(_parse())
    loads_median, _ = measure(_loads())
    parse_cpu, variants_cpu, fresh_cpu, make_cpu, loads_cpu = (
        _cpu(f()) for f in (_parse, _parse_variants, _parse_fresh, _fresh_only, _loads)
    )
    cold_cpu = _cold()
    ratio = parse_median / loads_median
    print(f"wall: parse {parse_median * 1e3:.3f} ms  loads {loads_median * 1e3:.3f} ms  ratio {ratio:.1f}")
    print(
        f"CPU:  parse {parse_cpu * 1e3:.3f} ms  loads {loads_cpu * 1e3:.3f} ms  ratio {parse_cpu / loads_cpu:.1f}; "
        f"other figures each time {variants_cpu * 1e3:.3f} ms; "
        f"fresh figures each time {(fresh_cpu - make_cpu) * 1e3:.3f} ms (making the text excluded); "
        f"cold (first parse in a fresh process) {cold_cpu * 1e3:.3f} ms"
    )
