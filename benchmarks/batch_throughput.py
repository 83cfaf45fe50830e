"""Batch throughput: ``python benchmarks/batch_throughput.py [N] [--form text|html] [--src DIR ...] [--repeat R]
[--out csv|parquet|duckdb ...] [--rerun] [--no-bytecode]``.

Writes N generated reports (default 10,000) into a temporary folder in the given form,
runs ``opengov batch FOLDER --out reports.csv --findings findings.csv`` as a real subprocess,
and prints reports per second, the CPU time of the batch's processes, the peak resident
memory of the largest process (the parent or one worker) and the SHA-256 of both outputs.
With ``--out parquet`` or ``--out duckdb`` (several ``--out`` run in turn) the batch writes
``reports.parquet`` or ``reports.duckdb`` instead, and the size of the output is printed
(a fresh output every run); ``--rerun`` runs each columnar batch a second time over the
unchanged folder (it should read nothing).
The batch runs the code under ``--src`` (default: the ``src`` beside this file); with
several ``--src`` and ``--repeat R``, each version runs in turn, R rounds, on the same
generated reports, so two versions are measured in one session and their outputs compared
byte for byte.  Each ``--src`` tree is byte-compiled first (``compileall``, into its
``__pycache__``), so the batch starts as an installed opengov starts (pip compiles the
modules it installs): a machine with ``PYTHONDONTWRITEBYTECODE=1`` otherwise compiles every
module from source in every run (≈ 0.15–0.2 s of a 10 s batch here); ``--no-bytecode``
measures that way.  Results go in docs/performance.md; nothing here is asserted.
"""

from __future__ import annotations

import compileall
import hashlib
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import opengov
from opengov import AppealOutcomes, Appeals, ApplicantCounts, Applications2021, ProactiveDisclosure2021
from opengov._model import Documents2021

OUTCOMES = ("granted", "partially_granted", "not_held", "repeated", "no_correction", "other", "state_secret")


def generated(rng: random.Random, index: int) -> opengov.Report:
    """A consistent 2021 report with random figures (totals computed by the constructors)."""

    def counts(scale: int) -> ApplicantCounts:
        return ApplicantCounts.build(
            natural_person=rng.randint(0, scale), commercial=rng.randint(0, scale // 4), other_org=rng.randint(0, 2)
        )

    outcomes = {key: counts(30) for key in OUTCOMES}
    handled = sum(v.natural_person for v in outcomes.values())  # type: ignore[misc]
    table3 = Applications2021.build(
        new_received=ApplicantCounts.build(
            natural_person=handled + rng.randint(0, 5),
            commercial=sum(v.commercial for v in outcomes.values()),  # type: ignore[misc]
            other_org=sum(v.other_org for v in outcomes.values()),  # type: ignore[misc]
        ),
        **outcomes,
    )
    return opengov.Report.build(
        format="2021",
        organ=f"某某市第{index // 3}局",
        year=2021 + index % 3,
        overview=("本年度认真贯彻落实政务公开工作部署。",),
        table2=ProactiveDisclosure2021(
            rules=Documents2021(issued=0, repealed=0, in_force=rng.randint(0, 9)),
            normative_documents=Documents2021(issued=rng.randint(0, 9), repealed=0, in_force=rng.randint(9, 99)),
            licensing=rng.randint(0, 99999),
            punishment=rng.randint(0, 9999),
            enforcement=rng.randint(0, 999),
            fees=rng.randint(0, 500),
        ),
        table3=table3,
        table4=Appeals.build(reconsideration=AppealOutcomes.build(upheld=rng.randint(0, 3))),
        problems=("公开质量有待提升。",),
        other_matters=("本年度未收取信息处理费。",),
    )


_MEASURED = """
import resource, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.run(sys.argv[1:], capture_output=True, text=True)
elapsed = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(proc.returncode, elapsed, usage.ru_utime + usage.ru_stime, round(usage.ru_maxrss / 1024))
sys.stderr.write(proc.stderr)
"""
"""Runs the batch and prints its exit status, wall time, CPU time and peak RSS (of this
run's processes only: the batch and its workers are this wrapper's only children)."""


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _options(argv: list[str], name: str) -> list[str]:
    return [argv[i + 1] for i, arg in enumerate(argv[:-1]) if arg == name]


def _size(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return path.stat().st_size


def _measured(batch: list[str], env: dict[str, str]) -> tuple[str, float, float, str, str]:
    proc = subprocess.run([sys.executable, "-c", _MEASURED, *batch], capture_output=True, text=True, env=env)
    status, elapsed, cpu, peak = proc.stdout.split()
    return status, float(elapsed), float(cpu), peak, proc.stderr.strip()


def main(argv: list[str]) -> int:
    n = int(argv[0]) if argv and argv[0].isdigit() else 10_000
    form = (_options(argv, "--form") or ["text"])[0]
    # the code beside this file (or each --src in turn), not whatever an editable install points at
    sources = _options(argv, "--src") or [str(Path(__file__).resolve().parent.parent / "src")]
    rounds = int((_options(argv, "--repeat") or ["1"])[0])
    rng = random.Random(2026)
    scratch = Path(tempfile.mkdtemp(prefix="opengov-batch-"))
    folder = scratch / "in"  # the outputs go beside it, never into it (a second run would read them)
    folder.mkdir()
    try:
        start = time.perf_counter()
        for i in range(n):
            text = opengov.render(generated(rng, i), to="html" if form == "html" else "text")
            (folder / f"{i:05d}.{'html' if form == 'html' else 'txt'}").write_text(text, encoding="utf-8")
        print(f"wrote {n} {form} reports in {time.perf_counter() - start:.1f} s")
        out, findings = scratch / "reports.csv", scratch / "findings.csv"
        kinds = _options(argv, "--out") or ["csv"]
        if "--no-bytecode" not in argv:
            for src in sources:
                compileall.compile_dir(src, quiet=1)
        for round_ in range(1, rounds + 1):
            for src in sources:
                for kind in kinds:
                    env = {
                        **os.environ,
                        "PYTHONPATH": os.pathsep.join(filter(None, [src, os.environ.get("PYTHONPATH")])),
                    }
                    batch = [sys.executable, "-m", "opengov._cli", "batch", str(folder)]
                    target = scratch / f"reports.{kind}"
                    if target.is_dir():
                        shutil.rmtree(target)
                    else:
                        target.unlink(missing_ok=True)
                    outputs = (
                        ["--out", str(out), "--findings", str(findings)] if kind == "csv" else ["--out", str(target)]
                    )
                    status, wall, seconds, peak, stderr = _measured([*batch, *outputs], env)
                    print(f"== {src} --out {kind} (round {round_}, load average {os.getloadavg()[0]:.1f})")
                    print(stderr.splitlines()[-1] if stderr else f"exit {status}")
                    print(f"batch: {wall:.1f} s, {n / wall:.0f} reports/s, peak RSS of the largest process {peak} MiB")
                    print(
                        f"CPU time of the batch (parent + workers): {seconds:.1f} s, "
                        f"{seconds / n * 1e3:.2f} ms per report"
                    )
                    if kind == "csv":
                        sizes = out.stat().st_size / 2**20, findings.stat().st_size / 2**10
                        print(f"reports.csv {sizes[0]:.1f} MiB, findings.csv {sizes[1]:.0f} KiB")
                        print(f"sha256 reports.csv {_digest(out)} findings.csv {_digest(findings)}")
                        continue
                    print(f"reports.{kind} {_size(target) / 2**20:.1f} MiB")
                    if "--rerun" in argv:
                        status, wall, seconds, peak, stderr = _measured([*batch, *outputs], env)
                        print(f"re-run over the unchanged folder: {wall:.1f} s wall, {seconds:.1f} s CPU")
                        print(stderr.splitlines()[-1] if stderr else f"exit {status}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
