"""One statement, old code against new, alternated in fresh processes.

``python benchmarks/ab.py OLD_SRC NEW_SRC --setup CODE --stmt CODE [--rounds N] [--number N]``

``OLD_SRC`` and ``NEW_SRC`` are ``src`` folders of two checkouts (make the old one with
``git worktree add /tmp/old REV``).  Each round runs one fresh process on the old code, then
one on the new; each runs ``--setup`` once (untimed), ``--stmt`` five times (untimed, to warm
what it caches), then times nine batches of ``--number`` runs of ``--stmt`` with
``time.process_time`` and prints the fastest batch's time per run.  Printed: every round's
figure, the minimum and the median over the rounds for each side, and new/old of both.

On a virtual machine whose speed moves from minute to minute (the project's has moved by
±30 % for one figure), only old and new measured in the same rounds compare; compare whole
documents with ``compare_real_documents.py``, a reader's or a rule's step with this.  Run
from the project's root (``OPENGOV_SAMPLES`` is passed on; paths in the code are relative to
the root).  Nothing is asserted.

Example (the Word reader's step, the template)::

    python benchmarks/ab.py /tmp/old/src src --rounds 8 --number 30 \\
        --setup "from opengov._readers import docx; data = open('../shared/samples/template-2021.docx', 'rb').read()" \\
        --stmt "docx.read(data)"
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_PROGRAM = """
import time
{setup}
def run():
{stmt}
for _ in range(5):
    run()
best = float("inf")
for _ in range(9):
    start = time.process_time()
    for _ in range({number}):
        run()
    best = min(best, (time.process_time() - start) / {number})
print(best * 1000)
"""


def _one(src: str, program: str) -> float:
    """Milliseconds per run of the program's statement in a fresh process on ``src``."""
    env = dict(os.environ, PYTHONPATH=str(Path(src).resolve()))
    done = subprocess.run(
        [sys.executable, "-c", program], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"the statement failed on {src}:\n{done.stderr}")
    return float(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", help="the old checkout's src folder")
    parser.add_argument("new", help="the new checkout's src folder")
    parser.add_argument("--setup", default="", help="code run once in each process, untimed")
    parser.add_argument("--stmt", required=True, help="the statement timed")
    parser.add_argument("--rounds", type=int, default=8, help="fresh-process pairs (default 8)")
    parser.add_argument("--number", type=int, default=100, help="runs per timed batch (default 100)")
    args = parser.parse_args(argv)
    program = _PROGRAM.format(setup=args.setup, stmt=textwrap.indent(args.stmt, "    "), number=args.number)
    times: dict[str, list[float]] = {args.old: [], args.new: []}
    for _ in range(args.rounds):
        for src in (args.old, args.new):
            times[src].append(_one(src, program))
    for label, src in (("old", args.old), ("new", args.new)):
        figures = times[src]
        print(
            f"{label} {src}: min {min(figures):.3f} ms, median {statistics.median(figures):.3f} ms  "
            + " ".join(f"{t:.3f}" for t in figures)
        )
    old, new = times[args.old], times[args.new]
    print(
        f"new/old: {min(new) / min(old):.3f} (minima), {statistics.median(new) / statistics.median(old):.3f} (medians)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
