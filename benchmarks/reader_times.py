"""Reader time and whole ``opengov.parse`` time on every real sample, cold and warm (CPU).

    PYTHONPATH=src python benchmarks/reader_times.py [--cold N] [--warm N] [--only SUBSTRING]

For each real sample in ``$OPENGOV_SAMPLES`` (default ``../shared/samples``) and the
reference text ``tests/data/zhapu-2023.txt``:

* **reader** — the form's own reader (``opengov._readers.<form>.read``) on what
  ``opengov.parse`` gives it (the decoded text, or the bytes for HTML and Word);
* **parse** — ``opengov.parse`` of the file's bytes (reader, then assembler);
* **warm** — in this process, after one call: the median over ``--warm`` batches of the CPU
  time (``time.process_time``) per call (each batch at least 20 ms of CPU);
* **cold** — a fresh Python process per measurement that imports opengov, every reader and
  lxml first, then times one call: the median over ``--cold`` processes.  Nothing opengov
  keeps between calls (``functools`` caches, anything else) has seen a document yet.

The assembler's share is parse minus reader.  Run it with ``PYTHONPATH`` pointing at the
``src`` to measure (two checkouts can be compared in one session, alternately).  Nothing
here is asserted by the test suite; write the figures in ``docs/performance.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = Path(os.environ.get("OPENGOV_SAMPLES", ROOT.parent / "shared" / "samples"))
REFERENCE = ROOT / "tests" / "data" / "zhapu-2023.txt"
SKIP_SUFFIXES = (".pdf",)
"""PDFs are left out by default (another reader, hundreds of ms): ``--pdf`` takes them in."""


def inputs(pdf: bool) -> list[Path]:
    found = [REFERENCE]
    if SAMPLES.is_dir():
        for path in sorted(SAMPLES.iterdir()):
            if not path.is_file() or path.name == "README.md" or path.read_bytes() == REFERENCE.read_bytes():
                continue  # the samples' notes; the reference text is measured once
            if path.is_file() and path.suffix in (".txt", ".md", ".html", ".docx", ".pdf"):
                if path.suffix in SKIP_SUFFIXES and not pdf:
                    continue
                found.append(path)
    return found


def _prepare(path: Path) -> tuple[Callable[[], object], Callable[[], object], str]:
    """(reader call, parse call, form name) for one file."""
    import opengov
    from opengov._readers import detect_binary_form, detect_form

    data = path.read_bytes()
    form = detect_binary_form(data)
    if form is not None and form.read_bytes is not None:
        read_bytes = form.read_bytes

        def reader() -> object:
            return read_bytes(data)

    else:
        text = data.decode("utf-8-sig")
        form = detect_form(text)
        read_text = form.read

        def reader() -> object:
            return read_text(text)

    def parse() -> object:
        return opengov.parse(data)

    return reader, parse, form.name


def _warm(func: Callable[[], object], batches: int) -> float:
    func()
    number = 1
    while True:
        start = time.process_time()
        for _ in range(number):
            func()
        if time.process_time() - start >= 0.02 or number >= 100_000:
            break
        number *= 2
    samples = []
    for _ in range(batches):
        start = time.process_time()
        for _ in range(number):
            func()
        samples.append((time.process_time() - start) / number)
    return statistics.median(samples)


def _child(path: str, which: str) -> None:
    """One cold call in this (fresh) process; prints its CPU seconds."""
    import importlib

    import opengov  # noqa: F401

    for name in ("text", "boxtext", "markdown", "html", "docx"):
        importlib.import_module(f"opengov._readers.{name}")
    try:
        import lxml.etree  # noqa: F401
    except ImportError:  # pragma: no cover
        pass
    reader, parse, _form = _prepare(Path(path))
    func = reader if which == "reader" else parse
    start = time.process_time()
    func()
    print(time.process_time() - start)


def _cold(path: Path, which: str, runs: int) -> float:
    samples = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(path), which],
            check=True,
            capture_output=True,
            text=True,
            env=os.environ,
        )
        samples.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cold", type=int, default=21, help="fresh processes per cold figure (default 21)")
    parser.add_argument("--warm", type=int, default=15, help="batches per warm figure (default 15)")
    parser.add_argument("--only", default="", help="only files whose name holds this")
    parser.add_argument("--pdf", action="store_true", help="measure the PDFs too")
    parser.add_argument("--json", action="store_true", help="print one JSON object per file")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return 0
    import opengov

    print(f"# opengov from {Path(opengov.__file__).parent}", file=sys.stderr)
    if not args.json:
        print(f"{'file':<28} {'form':<8} {'reader warm':>11} {'parse warm':>11} {'reader cold':>11} {'parse cold':>11}")
    for path in inputs(args.pdf):
        if args.only not in path.name:
            continue
        reader, parse, form = _prepare(path)
        row = {
            "file": path.name,
            "form": form,
            "reader_warm": _warm(reader, args.warm) * 1e3,
            "parse_warm": _warm(parse, args.warm) * 1e3,
            "reader_cold": _cold(path, "reader", args.cold) * 1e3,
            "parse_cold": _cold(path, "parse", args.cold) * 1e3,
        }
        if args.json:
            print(json.dumps(row))
        else:
            print(
                f"{row['file']:<28} {form:<8} {row['reader_warm']:>8.3f} ms {row['parse_warm']:>8.3f} ms"
                f" {row['reader_cold']:>8.3f} ms {row['parse_cold']:>8.3f} ms",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
