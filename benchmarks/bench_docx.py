"""Word .docx: rendering the reference report (python-docx) and parsing it back (the
reader parses ``word/document.xml`` with lxml when it is installed, with the standard
library otherwise; both are timed), and the official template among the real samples (its
``word/document.xml`` is 250 KB: the XML parse is most of its reading)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import opengov
from opengov._readers import docx

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "tests" / "data" / "zhapu-2023.expected.json"
SAMPLES = Path(os.environ.get("OPENGOV_SAMPLES", ROOT.parent / "shared" / "samples"))
TEMPLATE = SAMPLES / "template-2021.docx"


def _report() -> opengov.Report:
    return opengov.loads(REFERENCE.read_text(encoding="utf-8"))


def _render() -> Callable[[], object]:
    report = _report()
    return lambda: opengov.render(report, to="docx")


def _read() -> Callable[[], object]:
    data = opengov.render(_report(), to="docx")
    return lambda: docx.read(data)


def _read_stdlib() -> Callable[[], object]:
    data = opengov.render(_report(), to="docx")
    return lambda: docx._read(data, lxml=False)


def _parse() -> Callable[[], object]:
    data = opengov.render(_report(), to="docx")
    return lambda: opengov.parse(data)


def _template(reader: Callable[[bytes], object]) -> Callable[[], Callable[[], object]]:
    def setup() -> Callable[[], object]:
        data = TEMPLATE.read_bytes()
        return lambda: reader(data)

    return setup


BENCHMARKS = [
    ('render(to="docx") of the reference report', _render),
    ("_readers.docx.read of the rendered reference report", _read),
    ("the same, parsed by the standard library", _read_stdlib),
    ("parse of the rendered reference report (.docx → Report)", _parse),
]
if TEMPLATE.is_file():
    BENCHMARKS += [
        ("_readers.docx.read of the official template", _template(docx.read)),
        ("the same, parsed by the standard library", _template(lambda data: docx._read(data, lxml=False))),
        ("parse of the official template", _template(opengov.parse)),
    ]
