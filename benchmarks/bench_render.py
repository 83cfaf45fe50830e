"""Rendering the reference report: text (box and ASCII), Markdown, HTML, and reading the text back."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import opengov
from opengov._readers import boxtext

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "examples"))
from quickstart import example_report

REPORT = example_report()
TEXT = opengov.render(REPORT)


def _text() -> Callable[[], object]:
    return lambda: opengov.render(REPORT, to="text")


def _ascii() -> Callable[[], object]:
    return lambda: opengov.render(REPORT, to="text", style="ascii")


def _markdown() -> Callable[[], object]:
    return lambda: opengov.render(REPORT, to="markdown")


def _html() -> Callable[[], object]:
    return lambda: opengov.render(REPORT, to="html")


def _read_text() -> Callable[[], object]:
    return lambda: boxtext.read(TEXT)


BENCHMARKS = [
    ("render text, box (reference report)", _text),
    ("render text, ascii (reference report)", _ascii),
    ("render markdown (reference report)", _markdown),
    ("render html (reference report)", _html),
    ("read text rendering into grids (reference report)", _read_text),
]
