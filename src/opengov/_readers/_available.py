"""Whether OCR can run here (no part of the ``ocr`` extra is imported): Python below 3.13
and the extra's packages installed.  Readers call :func:`check_available` before they
import anything of the extra, so that a missing extra is a clear
:class:`~opengov.MissingExtraError` (as for every extra) and too new a Python a
:class:`~opengov.ParseError`, never an ``ImportError`` from deep inside."""

from __future__ import annotations

import importlib.util
import sys

from opengov._errors import Diagnostic, Location, MissingExtraError, ParseError, Severity

__all__ = ["INSTALL_HINT", "PYTHON_LIMIT", "PACKAGES", "DISTRIBUTIONS", "PURPOSE", "check_available", "unavailable"]

INSTALL_HINT = 'reading scans needs the optional extra: pip install "opengov[ocr]" (Python 3.10-3.12)'

PYTHON_LIMIT = (3, 13)
"""rapidocr-onnxruntime 1.4 supports Python below this."""

PACKAGES = ("rapidocr_onnxruntime", "onnxruntime", "cv2", "numpy", "PIL")
"""The modules OCR needs (import names)."""

DISTRIBUTIONS = {"rapidocr_onnxruntime": "rapidocr-onnxruntime", "cv2": "opencv-python", "PIL": "Pillow"}
"""The packages to install for the import names that differ."""

PURPOSE = "reading scans (OCR, Python 3.10-3.12)"


def unavailable(code: str, message: str) -> ParseError:
    """The :class:`~opengov.ParseError` saying why OCR cannot run."""
    return ParseError([Diagnostic(severity=Severity.ERROR, code=code, message=message, location=Location())], message)


def check_available(version: tuple[int, ...] | None = None) -> None:
    """Raise the error that says why OCR cannot run here, if it cannot: a
    :class:`~opengov.ParseError` ``ocr-python`` on Python 3.13 or later (``version``: the
    running one by default), a :class:`~opengov.MissingExtraError` without the extra."""
    running = tuple(sys.version_info[:3]) if version is None else tuple(version)
    if running[:2] >= PYTHON_LIMIT:
        shown = ".".join(str(v) for v in running)
        raise unavailable(
            "ocr-python",
            "reading scans (OCR) needs rapidocr-onnxruntime, which supports Python 3.10-3.12 only; "
            f"this is Python {shown}: run opengov under Python 3.12 or earlier to read this document "
            "(everything else works on this Python)",
        )
    for module in PACKAGES:
        if importlib.util.find_spec(module) is None:
            raise MissingExtraError("ocr", DISTRIBUTIONS.get(module, module), PURPOSE)
