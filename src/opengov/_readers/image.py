"""Images of reports (PNG, JPEG, TIFF, multi-page TIFF) read by OCR (optional extra
``opengov[ocr]``; see :mod:`opengov._readers.ocr` and ``docs/ocr.md``).

The image is opened with Pillow; its size (frames, and pixels of each frame) is checked
against :class:`~opengov.Limits` before any frame is decoded.  The resolution is the one the
file records when it agrees with the page's size, otherwise the one that makes the page A4
(a scan saved without, or with a default, resolution), said in an ``ocr-resolution``
diagnostic; a page finer than :data:`WORKING_DPI` is scaled down to it (the text of a report
is legible there and the layout analysis costs by the pixel).
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING

from opengov._errors import Diagnostic, Location, ParseError, Severity
from opengov._grid import Document
from opengov._limits import DEFAULT_LIMITS, Limits, limit_error
from opengov._readers._available import check_available
from opengov._readers._sniff import is_image

if TYPE_CHECKING:  # numpy and Pillow come with the extra: imported when a file is read
    import numpy as np
    import numpy.typing as npt
    from PIL import Image as PILImage

__all__ = ["NAME", "detect", "read", "WORKING_DPI"]

NAME = "image"
_OBJECT_REPR = re.compile(r"\s*<[\w.]+ object at 0x[0-9a-fA-F]+>")
"""An object's default repr (``<_io.BytesIO object at 0x7f…>``) inside an error message."""
"""The name of this input form."""

WORKING_DPI = 200.0
"""Pages finer than this are scaled down to it before they are read."""


_A4_SHORT = 210 / 25.4
"""Inches across the short side of an A4 page."""
_A4_RATIO = 297 / 210


def detect(data: bytes) -> bool:
    """Whether ``data`` starts like a PNG, JPEG or TIFF file."""
    return is_image(data)


def _error(code: str, message: str) -> ParseError:
    return ParseError([Diagnostic(severity=Severity.ERROR, code=code, message=message, location=Location())], message)


def resolution(width: int, height: int, recorded: float | None) -> tuple[float, str | None]:
    """The resolution of a page image and, when it is not the recorded one, why."""
    short, long = sorted((width, height))
    a4 = abs(long / max(short, 1) - _A4_RATIO) <= 0.1 * _A4_RATIO
    estimate = short / _A4_SHORT
    if recorded and recorded > 0:
        if not a4 or abs(recorded - estimate) <= 0.15 * estimate:
            return recorded, None
        return estimate, f"the file records {recorded:g} dpi, but the page is A4 at {estimate:.0f} dpi"
    if a4:
        return estimate, f"the file records no resolution; the page is A4 at {estimate:.0f} dpi"
    return 150.0, "the file records no resolution; 150 dpi assumed"


def read(data: bytes, *, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Read an image file (every frame of a TIFF a page) by OCR.

    Raises :class:`~opengov.ParseError`: ``not-image``, ``image-damaged``, ``ocr-python``
    (Python 3.13 or later), ``limit-input-bytes``, ``limit-pages``, ``limit-ocr-pages``,
    ``limit-pixels``; :class:`~opengov.MissingExtraError` without the ``ocr`` extra.
    """
    if not detect(data):
        raise _error("not-image", "the data is not a PNG, JPEG or TIFF image")
    if len(data) > limits.input_bytes:
        raise limit_error("input_bytes", len(data), limits.input_bytes)
    check_available()
    from PIL import Image, UnidentifiedImageError

    from opengov._readers import ocr

    rasters: list[ocr.Raster] = []
    notes: list[Diagnostic] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            frames = int(getattr(image, "n_frames", 1))
            if frames > limits.pages:
                raise limit_error("pages", frames, limits.pages)
            if frames > limits.ocr_pages:
                raise limit_error("ocr_pages", frames, limits.ocr_pages)
            for index in range(frames):
                image.seek(index)
                width, height = image.size
                location = Location(page=index + 1)
                if width * height > limits.pixels:
                    raise limit_error("pixels", width * height, limits.pixels, location=location)
                recorded = image.info.get("dpi")
                dpi, why = resolution(width, height, float(recorded[0]) if recorded else None)
                if why is not None:
                    notes.append(
                        Diagnostic(
                            severity=Severity.INFO,
                            code="ocr-resolution",
                            message=f"page {index + 1}: {why}",
                            location=location,
                        )
                    )
                frame = _pixels(image)
                if dpi > WORKING_DPI:
                    frame = _scale(frame, WORKING_DPI / dpi)
                    dpi = WORKING_DPI
                rasters.append(ocr.Raster(image=frame, dpi=dpi, page=index + 1))
    except ParseError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as exc:
        # (Pillow names the buffer it was given, with its address: not a detail of the file)
        detail = _OBJECT_REPR.sub("", " ".join(str(exc).split()))[:120].strip() or type(exc).__name__
        raise _error("image-damaged", f"the image is damaged and cannot be read ({detail})") from None
    return ocr.read_rasters(rasters, form=NAME, notes=_merged(notes), threads=limits.ocr_threads)


def _merged(notes: Sequence[Diagnostic]) -> list[Diagnostic]:
    """One ``ocr-resolution`` note for pages that share the same reason."""
    out: list[Diagnostic] = []
    for note in notes:
        reason = note.message.split(": ", 1)[1]
        if out and out[-1].message.endswith(reason) and out[-1].code == note.code:
            continue
        out.append(note)
    return out


def _pixels(image: PILImage.Image) -> npt.NDArray[np.uint8]:
    """A frame's pixels as an RGB or grey ``uint8`` array (any other mode converted)."""
    import numpy as np
    from PIL import Image

    if image.mode in ("L", "RGB"):
        frame = image
    elif image.mode in ("RGBA", "LA", "P", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        frame = Image.alpha_composite(white, rgba).convert("RGB")
    elif image.mode == "1":
        frame = image.convert("L")
    elif image.mode in ("I", "I;16", "I;16B", "I;16L", "F"):
        values = np.asarray(image, dtype=np.float64)
        top = float(values.max()) or 1.0
        return np.ascontiguousarray(np.clip(values * (255.0 / top), 0, 255).astype(np.uint8))
    else:  # CMYK, YCbCr, LAB, HSV …
        frame = image.convert("RGB")
    return np.ascontiguousarray(np.asarray(frame, dtype=np.uint8))


def _scale(frame: npt.NDArray[np.uint8], factor: float) -> npt.NDArray[np.uint8]:
    import cv2
    import numpy as np

    height, width = frame.shape[:2]
    size = (max(1, round(width * factor)), max(1, round(height * factor)))
    return np.asarray(cv2.resize(frame, size, interpolation=cv2.INTER_AREA), dtype=np.uint8)
