"""Old against new on the real documents, alternated in fresh processes.

``python benchmarks/compare_real_documents.py OLD_SRC [NEW_SRC] [--rounds N] [--runs N]``

``OLD_SRC`` and ``NEW_SRC`` are ``src`` folders of two checkouts (``NEW_SRC`` defaults to this
checkout's; make the old one with ``git worktree add`` or ``git archive REV src | tar -x -C DIR``).
For every real document (the samples in ``$OPENGOV_SAMPLES``, default ``../shared/samples``, and
the reference report in ``tests/data``), each round runs one fresh process on the old code, then
one on the new: each parses the document once (imports and first-use work not timed), then
times ``--runs`` parses with every opengov cache cleared before each (*cold*) and ``--runs``
parses in a row (*warm*), and prints the two medians of CPU time (``time.process_time``).
Printed: per document the median over the rounds of each, and new/old.  The machine's load
varies from minute to minute, so only the ratios of old and new measured in the same rounds
mean much.  Nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = Path(os.environ.get("OPENGOV_SAMPLES", ROOT.parent / "shared" / "samples"))
SUFFIXES = {".txt", ".md", ".html", ".htm", ".pdf", ".docx"}

_ONE = r"""
import gc, statistics, sys, time
sys.path.insert(0, sys.argv[1])
import opengov
from opengov import _caches
data = open(sys.argv[2], "rb").read()
runs = int(sys.argv[3])
try:
    opengov.parse(data)
except opengov.ParseError:
    print("error")
    raise SystemExit(0)
gc.collect()
cold = []
for _ in range(runs):
    _caches.clear()
    start = time.process_time()
    opengov.parse(data)
    cold.append(time.process_time() - start)
warm = []
for _ in range(runs):
    start = time.process_time()
    opengov.parse(data)
    warm.append(time.process_time() - start)
print(statistics.median(cold) * 1e3, statistics.median(warm) * 1e3)
"""


def documents() -> list[Path]:
    found = [p for p in sorted(SAMPLES.glob("*")) if p.suffix in SUFFIXES and p.name != "README.md"]
    found.append(ROOT / "tests" / "data" / "zhapu-2023.txt")
    unique: dict[bytes, Path] = {}
    for path in found:
        unique.setdefault(path.read_bytes(), path)
    return list(unique.values())


def one(src: str, path: Path, runs: int) -> tuple[float, float] | None:
    out = subprocess.run(
        [sys.executable, "-c", _ONE, src, str(path), str(runs)], capture_output=True, text=True, check=True
    ).stdout.split()
    if out == ["error"]:
        return None
    return float(out[0]), float(out[1])


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", help="the old checkout's src folder")
    parser.add_argument("new", nargs="?", default=str(ROOT / "src"), help="the new checkout's src folder")
    parser.add_argument("--rounds", type=int, default=3, help="old/new process pairs per document (default 3)")
    parser.add_argument("--runs", type=int, default=7, help="timed parses per process and state (default 7)")
    args = parser.parse_args(argv)
    print(f"# {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; old {args.old}, new {args.new}")
    print()
    print("| file | cold old ms | cold new ms | new/old | warm old ms | warm new ms | new/old |")
    print("|---|---|---|---|---|---|---|")
    for path in documents():
        old: list[tuple[float, float]] = []
        new: list[tuple[float, float]] = []
        for _ in range(args.rounds):
            a, b = one(args.old, path, args.runs), one(args.new, path, args.runs)
            if a is None or b is None:
                break
            old.append(a)
            new.append(b)
        if not old:
            print(f"| {path.name} | not read | | | | | |")
            continue
        cold_old, cold_new = statistics.median(a[0] for a in old), statistics.median(b[0] for b in new)
        warm_old, warm_new = statistics.median(a[1] for a in old), statistics.median(b[1] for b in new)
        print(
            f"| {path.name} | {cold_old:.2f} | {cold_new:.2f} | {cold_new / cold_old:.2f} "
            f"| {warm_old:.2f} | {warm_new:.2f} | {warm_new / warm_old:.2f} |"
        )
    print()
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
