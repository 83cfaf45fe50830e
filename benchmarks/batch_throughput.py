"""Batch throughput: ``python benchmarks/batch_throughput.py [N] [--form text|html]``.

Writes N generated reports (default 10,000) into a temporary folder in the given form,
runs ``opengov batch FOLDER --out reports.csv --findings findings.csv`` as a real subprocess,
and prints reports per second and the peak resident memory of the largest process (the
parent or one worker).  Results go in docs/performance.md; nothing here is asserted.
"""

from __future__ import annotations

import os
import random
import resource
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


def main(argv: list[str]) -> int:
    n = int(argv[0]) if argv and argv[0].isdigit() else 10_000
    form = argv[argv.index("--form") + 1] if "--form" in argv else "text"
    rng = random.Random(2026)
    folder = Path(tempfile.mkdtemp(prefix="opengov-batch-"))
    try:
        start = time.perf_counter()
        for i in range(n):
            text = opengov.render(generated(rng, i), to="html" if form == "html" else "text")
            (folder / f"{i:05d}.{'html' if form == 'html' else 'txt'}").write_text(text, encoding="utf-8")
        print(f"wrote {n} {form} reports in {time.perf_counter() - start:.1f} s")
        # the code beside this file, not whatever ``opengov`` an editable install points at
        src = str(Path(__file__).resolve().parent.parent / "src")
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [src, os.environ.get("PYTHONPATH")]))}
        command = [sys.executable, "-m", "opengov._cli"]
        out, findings = folder / "reports.csv", folder / "findings.csv"
        start = time.perf_counter()
        proc = subprocess.run(
            [*command, "batch", str(folder), "--out", str(out), "--findings", str(findings)],
            capture_output=True,
            text=True,
            env=env,
        )
        elapsed = time.perf_counter() - start
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = usage.ru_utime + usage.ru_stime
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit {proc.returncode}")
        print(f"batch: {elapsed:.1f} s, {n / elapsed:.0f} reports/s, peak RSS of the largest process {peak:.0f} MiB")
        print(f"CPU time of the batch (parent + workers): {cpu:.1f} s, {cpu / n * 1e3:.2f} ms per report")
        print(f"reports.csv {out.stat().st_size / 2**20:.0f} MiB, findings.csv {findings.stat().st_size / 2**10:.0f} KiB")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
