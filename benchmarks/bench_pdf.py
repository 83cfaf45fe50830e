"""PDF: reading the real sample PDF (six pages, three ruled tables) and a generated one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from opengov._readers import pdf

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT.parent / "shared" / "samples" / "huaian-2024.pdf"
GENERATED = ROOT / "tests" / "data" / "pdf" / "generated-2021-b.pdf"
LIBREOFFICE = ROOT / "tests" / "data" / "pdf" / "libreoffice-2021.pdf"
BORDERLESS = ROOT / "tests" / "data" / "pdf" / "borderless-2021.pdf"


def _read(path: Path) -> Callable[[], Callable[[], object]]:
    def setup() -> Callable[[], object]:
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
