"""Make the fuzz seed corpus: ``PYTHONPATH=src python tests/data/fuzz/make_corpus.py``.

One small document of every form opengov reads, all of the reference report
(``tests/data/zhapu-2023.*``): its plain text as published (TAB layout), its Markdown, HTML,
box-drawn text and Word renderings, a PDF (``tests/data/pdf/cid-borderless-2019.pdf``, a
CID-font report without rulings), its JSON and both CSV layouts.  ``tests/test_fuzz.py``
and ``tools/fuzz.py`` mutate them (bytes flipped, inserted, deleted, slices repeated) and
require that every reader ends in a documented error or a parse.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import opengov

OUT = Path(__file__).resolve().parent
DATA = OUT.parent


def main() -> None:
    report = opengov.loads((DATA / "zhapu-2023.expected.json").read_bytes())
    files: dict[str, bytes] = {
        "plain.txt": (DATA / "zhapu-2023.txt").read_bytes(),
        "report.md": str(opengov.render(report, to="markdown")).encode(),
        "report.html": str(opengov.render(report, to="html")).encode(),
        "report.box.txt": str(opengov.render(report, to="text")).encode(),
        "report.docx": bytes(opengov.render(report, to="docx")),  # type: ignore[arg-type]
        "report.json": opengov.dumps(report).encode(),
        "report.long.csv": opengov.to_csv(report).encode(),
        "report.wide.csv": opengov.to_csv(report, shape="wide").encode(),
    }
    for name, data in files.items():
        (OUT / name).write_bytes(data)
    shutil.copyfile(DATA / "pdf" / "cid-borderless-2019.pdf", OUT / "report.pdf")
    for path in sorted(OUT.iterdir()):
        print(path.name, path.stat().st_size)


if __name__ == "__main__":
    main()
