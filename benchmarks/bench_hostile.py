"""What each hostile input of ``tests/data/hostile`` costs: CPU time and memory, each in a
fresh process (``python benchmarks/bench_hostile.py [--src DIR] [--timeout S]``).

The tests bound memory and work (``tests/test_hostile.py``); time is measured here only.
``--src`` measures another checkout's ``src`` on the same files (the figures "before" in
``docs/limits.md`` are main's before issue 22's work), each child under a 4 GB address
space limit and ``--timeout`` seconds (default 30).  Output: one line per input: the
outcome (the error code, or the exception's type), CPU seconds, and the child's peak
resident size growth in MB over what importing opengov and making the input took (the
C libraries' memory too), and the peak of Python's allocations during the call
(:mod:`tracemalloc`, with ``--traced`` only: it slows the call several times over, so the
CPU figures of a ``--traced`` run are not the library's).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = ROOT / "tests" / "data" / "hostile"

CHILD = r"""
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))
import opengov
from pathlib import Path
name, kind = sys.argv[1], sys.argv[2]
path = Path(sys.argv[3])
if kind == "rows":
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if "本年新收" in line)
    block = "\n".join(lines[start : start + 18]) + "\n"
    data = (text + block * (50_000_000 // len(block.encode()))).encode()
else:
    data = path.read_bytes()
import tracemalloc
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
if sys.argv[4] == "traced":
    tracemalloc.start()
start = time.process_time()
try:
    if kind == "loads":
        opengov.loads(data)
    elif kind == "from_csv":
        opengov.from_csv(data)
    elif kind == "docx-writer":
        opengov.render(opengov.parse(data).report, to="docx")
    else:
        opengov.parse(data)
    outcome = "parsed"
except opengov.ParseError as error:
    outcome = error.diagnostics[-1].code
except Exception as error:
    outcome = type(error).__name__
spent = time.process_time() - start
traced = tracemalloc.get_traced_memory()[1] / 2**20
grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
print(json.dumps({"outcome": outcome, "cpu": spent, "mb": grown, "traced": traced}))
"""


def cases() -> list[tuple[str, str, Path]]:
    out = []
    for path in sorted(HOSTILE.iterdir()):
        if path.suffix == ".py":
            continue
        kind = (
            "loads"
            if path.suffix == ".json"
            else "from_csv"
            if path.suffix == ".csv"
            else "docx-writer"
            if path.name == "control-title.txt"
            else "parse"
        )
        out.append((path.name, kind, path))
    out.append(("50 MB of rows (made)", "rows", ROOT / "tests" / "data" / "zhapu-2023.txt"))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="the src directory to measure")
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--traced", action="store_true", help="also the peak of Python's allocations")
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(args.src)}
    print(f"{'input':28} {'outcome':26} {'CPU s':>7} {'RSS+MB':>7} {'peak MiB':>8}")
    for name, kind, path in cases():
        try:
            child = subprocess.run(
                [sys.executable, "-c", CHILD, name, kind, str(path), "traced" if args.traced else "-"],
                env=env,
                capture_output=True,
                text=True,
                timeout=args.timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            print(f"{name:28} {'(stopped: over ' + str(args.timeout) + ' s)':26} {'-':>7} {'-':>7}")
            continue
        lines = child.stdout.strip().splitlines()
        if child.returncode != 0 or not lines:
            tail = (child.stderr.strip().splitlines() or ["?"])[-1][:60]
            print(f"{name:28} {'(died: ' + tail + ')':26}")
            continue
        figures = json.loads(lines[-1])
        print(f"{name:28} {figures['outcome']:26} {figures['cpu']:7.2f} {figures['mb']:7.0f} {figures['traced']:8.0f}")


if __name__ == "__main__":
    main()
