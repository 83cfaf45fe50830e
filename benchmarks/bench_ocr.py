"""OCR: reading a scanned report, in CPU seconds (the extra opengov[ocr]).

``python benchmarks/bench_ocr.py [--runs N] [--threads T]`` renders the real
``huaian-2024.pdf`` (6 pages; ``../shared/samples``) to a raster once — a multi-page TIFF at
150 dpi, and one at 100 dpi with noise, a 1.5° skew and a red seal (``tests/data/ocr/
make_scans.py``) — and measures ``opengov.parse(tiff)`` end to end (decoding, page analysis,
recognition, assembly and the identity check):

* *CPU* (``time.process_time``, every thread of the process): the first parse in a fresh
  process (*cold*, the model loaded inside it; the model load alone is also timed) and the
  median of ``N`` further parses (*warm*);
* *wall* time of the same, and of a warm parse with ``Limits(ocr_threads=T)``.

Each configuration also prints how many of the 200 cells came out exact, wrong and absent
against ``expected/huaian-2024.json``.  The machine's state (cores, load average) is printed
first: it is shared, and a loaded machine slows wall time more than CPU time.  Without the
samples, ``tests/data/pdf/generated-2021-a.pdf`` (2 pages) is measured instead.

``python benchmarks/run.py ocr`` times one warm parse of the generated report (wall clock).
Results go to ``docs/performance.md`` and ``docs/ocr.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT.parent / "shared" / "samples" / "huaian-2024.pdf"
EXPECTED = ROOT.parent / "shared" / "samples" / "expected" / "huaian-2024.json"
GENERATED = ROOT / "tests" / "data" / "pdf" / "generated-2021-a.pdf"
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests" / "data" / "ocr"))
sys.path.insert(0, str(ROOT / "tests"))


def _scans(pdf: Path, dpi: float, scanned: bool) -> bytes:
    import make_scans

    pages = make_scans.render(pdf.read_bytes(), dpi)
    if scanned:
        data = pdf.read_bytes()
        for n in range(len(pages)):
            total = [c for c in make_scans.chars(data, n, dpi) if c[0] == "总"]
            if len(total) > 1:
                pages[n] = make_scans.seal(pages[n], (total[1][1] + round(dpi * 0.2), total[1][2]), round(dpi * 0.75))
                break
        pages = make_scans.scanned(pages, seed=3, degrees=1.5)
    return make_scans.tiff(pages, dpi)


def _setup() -> Callable[[], object]:
    import opengov

    data = _scans(GENERATED, 150, False)
    opengov.parse(data)
    return lambda: opengov.parse(data)


BENCHMARKS = [("parse generated-2021-a as a 150 dpi scan (2 pages)", _setup)]

_CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
path, runs, threads = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
data = open(path, "rb").read()
t0, w0 = time.process_time(), time.perf_counter()
from opengov._readers._engine import engine
engine()
load = (time.process_time() - t0, time.perf_counter() - w0)
import opengov
from opengov._limits import Limits
t0, w0 = time.process_time(), time.perf_counter()
result = opengov.parse(data)
cold = (time.process_time() - t0 + load[0], time.perf_counter() - w0 + load[1])
warm = []
for _ in range(runs):
    t0, w0 = time.process_time(), time.perf_counter()
    opengov.parse(data)
    warm.append((time.process_time() - t0, time.perf_counter() - w0))
from opengov._assemble import assemble
from opengov._readers import image
t0, w0 = time.process_time(), time.perf_counter()
assemble(image.read(data, limits=Limits(ocr_threads=threads)))
parallel = (time.process_time() - t0, time.perf_counter() - w0)
found = {"load": load, "cold": cold, "warm": warm, "parallel": parallel}
print(json.dumps({**found, "json": opengov.dumps(result.report)}))
"""


def _score(report_json: str, expected: Path | None, pdf: Path) -> str:
    import opengov
    from opengov import layout

    report = opengov.loads(report_json)
    if expected is not None:
        from expected_report import report_from_expected

        truth = report_from_expected(expected)
    else:
        truth = opengov.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))
    exact = wrong = absent = 0
    for spec in layout.cell_index(truth.format).cells:
        if getattr(truth, spec.table) is None:
            continue
        value = truth.cell(*spec.key)
        found = report.cell(*spec.key) if getattr(report, spec.table) is not None else None
        if found == value:
            exact += 1
        elif found is None:
            absent += 1
        else:
            wrong += 1
    return f"{exact} exact, {wrong} wrong, {absent} absent"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    pdf = SAMPLE if SAMPLE.is_file() else GENERATED
    expected = EXPECTED if SAMPLE.is_file() else None
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}; Python {platform.python_version()}"
    )
    tmp = ROOT / ".bench-ocr.tif"
    try:
        for dpi, scanned in ((150, False), (100, True)):
            tmp.write_bytes(_scans(pdf, dpi, scanned))
            out = subprocess.run(
                [sys.executable, "-c", _CHILD, str(ROOT / "src"), str(tmp), str(args.runs), str(args.threads)],
                capture_output=True,
                text=True,
                check=True,
            )
            found = json.loads(out.stdout.strip().splitlines()[-1])
            warm_cpu = statistics.median(w[0] for w in found["warm"])
            warm_wall = statistics.median(w[1] for w in found["warm"])
            what = f"{pdf.name} at {dpi} dpi" + (" (noise, 1.5° skew, red seal)" if scanned else "")
            print(f"\n{what}: {_score(found['json'], expected, pdf)}")
            print(f"  model load      CPU {found['load'][0]:6.2f} s   wall {found['load'][1]:6.2f} s")
            print(f"  cold (1st read) CPU {found['cold'][0]:6.2f} s   wall {found['cold'][1]:6.2f} s")
            print(f"  warm (median {args.runs}) CPU {warm_cpu:6.2f} s   wall {warm_wall:6.2f} s")
            print(
                f"  warm, {args.threads} threads CPU {found['parallel'][0]:6.2f} s   wall {found['parallel'][1]:6.2f} s"
            )
    finally:
        tmp.unlink(missing_ok=True)
    print(f"\nload average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
