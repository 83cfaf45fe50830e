"""Speed on the documents users have: ``python benchmarks/real_documents.py [--runs N] [--batch N]``.

For every real document — the samples in ``$OPENGOV_SAMPLES`` (default ``../shared/samples``)
and the real report bundled in ``tests/data`` — it measures, in one run:

* ``parse`` CPU time (``time.process_time``), median over ``--runs`` runs, **cold** (every
  opengov cache cleared with ``opengov._caches.clear()`` before each parse) and **warm**
  (the same document parsed again);
* ``loads`` of the same report's JSON (``opengov.loads(opengov.dumps(report))``), warm, and
  the ratios parse/loads, cold and warm;

then ``opengov batch`` (a real subprocess, 2 workers) over a folder of the real documents
copied to ``--batch`` files (default 2,000), once for the PDFs alone and once for every
other form, reporting reports/s and the peak resident memory of the largest process.  The
opengov the batch runs is byte-compiled first (``compileall``, into its ``__pycache__``), as
pip compiles what it installs: with ``PYTHONDONTWRITEBYTECODE=1`` and a changed module the
batch would otherwise compile it from source in every run (≈ 0.1–0.2 s of a 3 s batch).

Nothing is asserted; results and the machine go in ``docs/performance.md``.
"""

from __future__ import annotations

import argparse
import compileall
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import opengov

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = Path(os.environ.get("OPENGOV_SAMPLES", ROOT.parent / "shared" / "samples"))
SUFFIXES = {".txt", ".md", ".html", ".htm", ".pdf", ".docx"}


def documents() -> list[Path]:
    """The real documents, each once (by content)."""
    found = [p for p in sorted(SAMPLES.glob("*")) if p.suffix in SUFFIXES and p.name != "README.md"]
    found.append(ROOT / "tests" / "data" / "zhapu-2023.txt")  # the reference report, as published
    unique: dict[bytes, Path] = {}
    for path in found:
        unique.setdefault(path.read_bytes(), path)
    return list(unique.values())


def clear_caches() -> None:
    """Every cache of opengov; for an older checkout without ``opengov._caches``, its
    module-level memo dicts and functools caches (to measure a baseline the same way)."""
    try:
        from opengov import _caches
    except ImportError:
        for name, module in list(sys.modules.items()):
            if module is None or not name.startswith("opengov"):
                continue
            for attr, value in list(vars(module).items()):
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()
                elif isinstance(value, dict) and attr.startswith("_") and attr.lstrip("_")[:1].isupper():
                    value.clear()
        return
    _caches.clear()


def cpu(func: Callable[[], object], runs: int, before: Callable[[], object] | None = None) -> float:
    """Median CPU seconds of ``func`` over ``runs`` calls (``before`` runs untimed first)."""
    samples = []
    for _ in range(runs):
        if before is not None:
            before()
        start = time.process_time()
        func()
        samples.append(time.process_time() - start)
    return statistics.median(samples)


def per_document(runs: int) -> list[dict[str, object]]:
    rows = []
    for path in documents():
        data = path.read_bytes()
        try:
            result = opengov.parse(data)
        except opengov.ParseError as exc:
            rows.append({"file": path.name, "form": "—", "error": exc.diagnostics[0].code if exc.diagnostics else "?"})
            continue
        text = opengov.dumps(result.report)
        cold = cpu(lambda data=data: opengov.parse(data), runs, before=clear_caches)  # type: ignore[misc]
        warm = cpu(lambda data=data: opengov.parse(data), runs)  # type: ignore[misc]
        loads = cpu(lambda text=text: opengov.loads(text), max(runs, 50))  # type: ignore[misc]
        rows.append(
            {
                "file": path.name,
                "form": result.form,
                "cold_ms": cold * 1e3,
                "warm_ms": warm * 1e3,
                "loads_ms": loads * 1e3,
                "cold_x": cold / loads,
                "warm_x": warm / loads,
            }
        )
    return rows


def batch(paths: list[Path], copies: int, label: str) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        for i in range(copies):
            source = paths[i % len(paths)]
            shutil.copyfile(source, folder / f"{i:05d}-{source.name}")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "opengov",
                "batch",
                str(folder),
                "--out",
                str(Path(tmp) / "reports.csv"),
                "--findings",
                str(Path(tmp) / "findings.csv"),
            ],
            capture_output=True,
            text=True,
        )
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_s = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {
        "batch": label,
        "files": copies,
        "status": proc.returncode,
        "wall_s": wall,
        "reports_per_s": copies / wall,
        "cpu_ms_per_report": cpu_s / copies * 1e3,
        "peak_rss_mib": after.ru_maxrss / 1024,
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="timed runs per document and state (default 21)")
    parser.add_argument("--batch", type=int, default=2000, help="files per batch (0: no batch; default 2000)")
    args = parser.parse_args(argv)
    print(
        f"# {platform.platform()}, {platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, opengov {opengov.__version__}"
    )
    print()
    print("| file | form | cold ms | warm ms | loads ms | cold × loads | warm × loads |")
    print("|---|---|---|---|---|---|---|")
    rows = per_document(args.runs)
    for row in rows:
        if "error" in row:
            print(f"| {row['file']} | — | {row['error']} | | | | |")
            continue
        print(
            f"| {row['file']} | {row['form']} | {row['cold_ms']:.2f} | {row['warm_ms']:.2f} | {row['loads_ms']:.3f} "
            f"| {row['cold_x']:.0f} | {row['warm_x']:.0f} |"
        )
    if args.batch:
        compileall.compile_dir(Path(opengov.__file__).parent, quiet=1)
        readable = [documents()[i] for i, row in enumerate(rows) if "error" not in row]
        pdfs = [p for p in readable if p.suffix == ".pdf"]
        others = [p for p in readable if p.suffix != ".pdf"]
        print()
        print("| batch | files | exit | wall s | reports/s | CPU ms per report | peak RSS MiB |")
        print("|---|---|---|---|---|---|---|")
        for label, group in (("PDF", pdfs), ("other forms", others)):
            if not group:
                continue
            r = batch(group, args.batch, label)
            print(
                f"| {label} | {r['files']} | {r['status']} | {r['wall_s']:.1f} | {r['reports_per_s']:.0f} "
                f"| {r['cpu_ms_per_report']:.2f} | {r['peak_rss_mib']:.0f} |"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
