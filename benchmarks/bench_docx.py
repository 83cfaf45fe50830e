"""Word .docx: rendering the reference report (python-docx) and parsing it back
(the standard-library reader, then the assembler)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import opengov
from opengov._readers import docx

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "tests" / "data" / "zhapu-2023.expected.json"


def _report() -> opengov.Report:
    return opengov.loads(REFERENCE.read_text(encoding="utf-8"))


def _render() -> Callable[[], object]:
    report = _report()
    return lambda: opengov.render(report, to="docx")


def _read() -> Callable[[], object]:
    data = opengov.render(_report(), to="docx")
    return lambda: docx.read(data)


def _parse() -> Callable[[], object]:
    data = opengov.render(_report(), to="docx")
    return lambda: opengov.parse(data)


BENCHMARKS = [
    ('render(to="docx") of the reference report', _render),
    ("readers.docx.read of the rendered reference report (grids only)", _read),
    ("parse of the rendered reference report (.docx → Report)", _parse),
]
