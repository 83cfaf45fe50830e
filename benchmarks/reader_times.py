"""Reader time and whole ``opengov.parse`` time on every real sample, cold and warm (CPU).

    PYTHONPATH=src python benchmarks/reader_times.py [--rounds N] [--only SUBSTRING]
    python benchmarks/reader_times.py --compare OLD/src NEW/src [--rounds N]

For each real sample in ``$OPENGOV_SAMPLES`` (default ``../shared/samples``) and the
reference text ``tests/data/zhapu-2023.txt``:

* **reader** — the form's own reader (``opengov._readers.<form>.read``) on what
  ``opengov.parse`` gives it (the decoded text, or the bytes for HTML and Word);
* **parse** — ``opengov.parse`` of the file's bytes (reader, then assembler);
* **warm** — in one process, after one call: the median of 9 batches of the CPU time
  (``time.process_time``) per call, each batch at least 20 ms of CPU;
* **cold** — a fresh Python process that imports opengov, every reader and lxml first and
  collects the garbage the imports left (else a collection falls in the timed call), then
  times one call: nothing opengov keeps between calls, ``functools`` caches included, has
  seen a document yet; importing is not counted.  Nothing of opengov runs before the timed
  call — not even form detection: the form is found in another process (the reader's
  input is prepared without opengov: the file's bytes for HTML, Word and PDF, else its
  text).  (Until December 2026 the child detected the form first, which warmed what
  detection shares with parsing: at 070700b ~20 ms of first-use work fell outside the
  timed "cold" parse.)

Every figure is measured in a fresh process, ``--rounds`` times (default 15); the median is
printed.  With ``--compare`` the two checkouts' processes alternate, round by round, so a
busy machine weighs on both alike.  The assembler's share is parse minus reader.  Nothing
here is asserted by the test suite; write the figures in ``docs/performance.md``.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
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
KINDS = ("reader warm", "parse warm", "reader cold", "parse cold")


def inputs(pdf: bool) -> list[Path]:
    """The reference text, then every real sample (PDFs only with ``pdf``)."""
    found = [REFERENCE]
    if SAMPLES.is_dir():
        for path in sorted(SAMPLES.iterdir()):
            if not path.is_file() or path.name == "README.md" or path.read_bytes() == REFERENCE.read_bytes():
                continue  # the samples' notes; the reference text is measured once
            if path.suffix in (".txt", ".md", ".html", ".docx") or (pdf and path.suffix == ".pdf"):
                found.append(path)
    return found


_BINARY_FORMS = ("html", "docx", "pdf")
"""Forms whose reader takes the bytes (``opengov.parse`` gives the others decoded text)."""


def _form_of(path: Path) -> str:
    """The form ``opengov`` detects for a file (run in a process of its own)."""
    from opengov._readers import detect_binary_form, detect_form

    data = path.read_bytes()
    form = detect_binary_form(data)
    if form is None or form.read_bytes is None:
        form = detect_form(data.decode("utf-8-sig"))
    return form.name


def _prepare(path: Path, form: str) -> tuple[Callable[[], object], Callable[[], object]]:
    """(reader call, parse call) for one file of a known form: the reader is the form's
    module's ``read`` on what ``opengov.parse`` gives it; nothing of opengov runs here."""
    import importlib

    import opengov

    data = path.read_bytes()
    source: str | bytes = data if form in _BINARY_FORMS else data.decode("utf-8-sig")
    read = importlib.import_module(f"opengov._readers.{form}").read

    def reader() -> object:
        return read(source)

    def parse() -> object:
        return opengov.parse(data)

    return reader, parse


def _warm(func: Callable[[], object]) -> float:
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
    for _ in range(9):
        start = time.process_time()
        for _ in range(number):
            func()
        samples.append((time.process_time() - start) / number)
    return statistics.median(samples)


def _child(path: str, kind: str, form: str) -> None:
    """One figure (``kind`` of :data:`KINDS`) in this fresh process; prints it (ms) and the
    form (``kind`` ``form``: only the form, found by detection)."""
    import importlib

    import opengov  # noqa: F401

    if kind == "form":
        print(json.dumps({"ms": 0.0, "form": _form_of(Path(path))}))
        return

    for name in ("text", "boxtext", "markdown", "html", "docx"):
        importlib.import_module(f"opengov._readers.{name}")
    with contextlib.suppress(ImportError):
        import lxml.etree  # noqa: F401
    reader, parse = _prepare(Path(path), form)
    func = reader if kind.startswith("reader") else parse
    if kind.endswith("warm"):
        seconds = _warm(func)
    else:
        gc.collect()  # the import's garbage: a collection would fall in whichever call comes first
        start = time.process_time()
        func()
        seconds = time.process_time() - start
    print(json.dumps({"ms": seconds * 1e3, "form": form}))


def _measure(src: str | None, path: Path, kind: str, form: str = "") -> tuple[float, str]:
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [src, env.get("PYTHONPATH")]))
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(path), kind, form],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    found = json.loads(out.stdout.strip().splitlines()[-1])
    return float(found["ms"]), str(found["form"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=15, help="fresh processes per figure (default 15)")
    parser.add_argument("--only", default="", help="only files whose name holds this")
    parser.add_argument("--pdf", action="store_true", help="measure the PDFs too")
    parser.add_argument("--compare", nargs=2, metavar=("OLD_SRC", "NEW_SRC"), help="two src folders, alternated")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return 0
    sources: list[str | None] = list(args.compare) if args.compare else [None]
    labels = ["old", "new"] if args.compare else ["now"]
    print(f"# load average at start: {os.getloadavg()}", flush=True)
    header = f"{'file':<27} {'form':<8}" + "".join(f" {kind + ' ' + label:>17}" for kind in KINDS for label in labels)
    print(header)
    for path in inputs(args.pdf):
        if args.only not in path.name:
            continue
        figures: dict[tuple[str, str], list[float]] = {}
        form = _measure(sources[-1], path, "form")[1]
        for _ in range(args.rounds):
            for kind in KINDS:
                for label, src in zip(labels, sources, strict=True):
                    ms, _ = _measure(src, path, kind, form)
                    figures.setdefault((kind, label), []).append(ms)
        row = f"{path.name:<27} {form:<8}"
        for kind in KINDS:
            for label in labels:
                row += f" {statistics.median(figures[kind, label]):>14.3f} ms"
        print(row, flush=True)
    print(f"# load average at end: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
