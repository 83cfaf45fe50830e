"""HTML: the real sample page (上海市人民政府办公厅 2019, 36 KB): the full ``opengov.parse``
from bytes (target: under 5 ms), the assembler alone on the read Document, and the reader
from bytes (with encoding detection) and from text.  Skips (no benchmarks) when the samples
beside the project or lxml are absent.  Run from the project with ``PYTHONPATH=src`` so that
this checkout is what is measured.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

_SAMPLES = Path(
    os.environ.get("OPENGOV_SAMPLES") or Path(__file__).resolve().parent.parent.parent / "shared" / "samples"
)
SAMPLE = _SAMPLES / "shanghai-office-2019.html"


def _parse() -> Callable[[], object]:
    import opengov

    data = SAMPLE.read_bytes()
    return lambda: opengov.parse(data)


def _assemble() -> Callable[[], object]:
    from opengov._assemble import assemble
    from opengov._readers.html import read

    document = read(SAMPLE.read_bytes())
    return lambda: assemble(document)


def _bytes() -> Callable[[], object]:
    from opengov._readers.html import read

    data = SAMPLE.read_bytes()
    return lambda: read(data)


def _text() -> Callable[[], object]:
    from opengov._readers.html import read

    text = SAMPLE.read_text(encoding="utf-8")
    return lambda: read(text)


def _detect() -> Callable[[], object]:
    from opengov._readers.html import detect

    text = SAMPLE.read_text(encoding="utf-8")
    return lambda: detect(text)


def _available() -> bool:
    try:
        import lxml  # noqa: F401
    except ImportError:
        return False
    return SAMPLE.is_file()


BENCHMARKS = (
    [
        ("opengov.parse of the sample page bytes (target < 5 ms)", _parse),
        ("assemble the read sample page (Document -> Report)", _assemble),
        ("read sample page from bytes (decode + parse + grids)", _bytes),
        ("read sample page from str", _text),
        ("detect sample page", _detect),
    ]
    if _available()
    else []
)


def _lxml_alone() -> Callable[[], object]:
    from lxml import etree

    data = SAMPLE.read_bytes()
    parser = etree.HTMLParser(encoding="utf-8", no_network=True)
    return lambda: etree.fromstring(data, parser)


if BENCHMARKS:
    BENCHMARKS.append(("lxml parse alone (reference for the above)", _lxml_alone))
