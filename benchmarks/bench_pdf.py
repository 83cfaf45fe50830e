"""PDF: the reader on every PDF the tests read, and old against new in the same run.

``python benchmarks/run.py pdf`` times the current reader (wall clock, as every benchmark).

``python benchmarks/bench_pdf.py [--old REV] [--runs N]`` measures CPU time (``time.process_time``)
of ``read(data)`` for each PDF:

* *cold*: the first read in a fresh process (the reader and its PDF library already imported,
  their import timed apart), median over ``N`` processes;
* *warm*: median of ``N`` further reads in one process.

With ``--old REV`` the reader of git revision ``REV`` (the pdfplumber reader before PDFium:
``--old 38a347d``; needs ``pdfplumber`` installed) is measured the same way in the same run,
and the ratio old / new is printed.  Results go to ``docs/performance.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT.parent / "shared" / "samples" / "huaian-2024.pdf"
DATA = ROOT / "tests" / "data" / "pdf"
GENERATED = DATA / "generated-2021-b.pdf"
LIBREOFFICE = DATA / "libreoffice-2021.pdf"
BORDERLESS = DATA / "borderless-2021.pdf"


def _read(path: Path) -> Callable[[], Callable[[], object]]:
    def setup() -> Callable[[], object]:
        from opengov._readers import pdf

        data = path.read_bytes()
        return lambda: pdf.read(data)

    return setup


BENCHMARKS = [
    ("read generated-2021-b.pdf (3 pages)", _read(GENERATED)),
    ("read libreoffice-2021.pdf (4 pages, printed by LibreOffice)", _read(LIBREOFFICE)),
    ("read borderless-2021.pdf (3 pages, tables without ruling lines)", _read(BORDERLESS)),
]
if SAMPLE.is_file():
    BENCHMARKS.append(("read huaian-2024.pdf (6 pages, real)", _read(SAMPLE)))


_CHILD = r"""
import importlib.util, json, statistics, sys, time
sys.path.insert(0, sys.argv[1])
reader, path, warm = sys.argv[2], sys.argv[3], int(sys.argv[4])
start = time.process_time()
if reader == "new":
    import pypdfium2.raw  # noqa: F401  the PDF library, timed apart
else:
    import pdfplumber  # noqa: F401
library = time.process_time() - start
start = time.process_time()
if reader == "new":
    from opengov._readers import pdf
else:
    spec = importlib.util.spec_from_file_location("old_pdf_reader", reader)
    pdf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(pdf)
module = time.process_time() - start
data = open(path, "rb").read()
start = time.process_time()
pdf.read(data)
cold = time.process_time() - start
times = []
for _ in range(warm):
    start = time.process_time()
    pdf.read(data)
    times.append(time.process_time() - start)
warm = statistics.median(times) if times else None
print(json.dumps({"library": library, "module": module, "cold": cold, "warm": warm}))
"""


def _measure(reader: str, path: Path, runs: int) -> dict[str, float]:
    """Median cold CPU time over ``runs`` fresh processes, warm median from the first one."""
    colds, libraries, warm = [], [], 0.0
    for i in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", _CHILD, str(ROOT / "src"), reader, str(path), str(runs if i == 0 else 0)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        record = json.loads(out)
        colds.append(record["cold"])
        libraries.append(record["library"] + record["module"])
        if i == 0:
            warm = record["warm"]
    return {"cold": statistics.median(colds), "warm": warm, "import": statistics.median(libraries)}


def _old_reader(rev: str, directory: Path) -> str:
    source = subprocess.run(
        ["git", "show", f"{rev}:src/opengov/_readers/pdf.py"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    path = directory / "old_pdf_reader.py"
    path.write_text(source, encoding="utf-8")
    return str(path)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", help="git revision of the reader to compare with (pdfplumber)")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    paths = sorted(DATA.glob("*.pdf")) + ([SAMPLE] if SAMPLE.is_file() else [])
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cpus, load {load:.2f}")
    print(f"CPU ms, cold = first read in a fresh process (median of {args.runs}), warm = median of {args.runs} reads")
    with tempfile.TemporaryDirectory() as tmp:
        old = _old_reader(args.old, Path(tmp)) if args.old else None
        header = f"{'file':<24} {'new cold':>9} {'new warm':>9}"
        if old:
            header += f" {'old cold':>9} {'old warm':>9} {'cold ×':>7} {'warm ×':>7}"
        print(header)
        imports: dict[str, list[float]] = {"new": [], "old": []}
        for path in paths:
            new = _measure("new", path, args.runs)
            imports["new"].append(new["import"])
            line = f"{path.name:<24} {new['cold'] * 1e3:9.1f} {new['warm'] * 1e3:9.1f}"
            if old:
                before = _measure(old, path, args.runs)
                imports["old"].append(before["import"])
                line += f" {before['cold'] * 1e3:9.1f} {before['warm'] * 1e3:9.1f}"
                line += f" {before['cold'] / new['cold']:7.1f} {before['warm'] / new['warm']:7.1f}"
            print(line, flush=True)
        print(
            f"import of the reader and its PDF library (CPU ms): new {statistics.median(imports['new']) * 1e3:.0f}",
            end="",
        )
        if old:
            print(f", old {statistics.median(imports['old']) * 1e3:.0f}", end="")
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
