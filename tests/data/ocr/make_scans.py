"""Scans made at test time: PDF pages rendered to images, then made to look scanned.

The OCR tests do not commit images: they render PDFs (the project's own in ``tests/data/pdf``,
or the real ``huaian-2024.pdf`` with the samples) with PDFium at a resolution, and degrade
them here, deterministically (a seeded generator):

* :func:`render` — the pages of a PDF as RGB arrays at ``dpi``;
* :func:`skew` — turned by a small angle about the centre, corners white;
* :func:`noise` — Gaussian noise on every pixel plus a little salt and pepper;
* :func:`seal` — a red stamp (ring, star and strokes, the way ink lies: multiplied into
  the page, so black text under it stays black) centred at a point, e.g. a table corner;
* :func:`paste` — one region of a page copied over another (a figure altered in print);
* :func:`png`, :func:`jpeg`, :func:`tiff` — the pages as image files (bytes).

Run it to look at the results: ``python tests/data/ocr/make_scans.py OUT_DIR [PDF] [DPI]``.
"""

from __future__ import annotations

import io
import math
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

Image = npt.NDArray[np.uint8]


def render(pdf: bytes, dpi: float) -> list[Image]:
    """Every page of a PDF as an RGB array at ``dpi``."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return [np.asarray(page.render(scale=dpi / 72.0).to_pil().convert("RGB")) for page in document]
    finally:
        document.close()


def chars(pdf: bytes, page: int, dpi: float) -> list[tuple[str, int, int, int, int]]:
    """The printed characters of a page of a text PDF with their boxes in pixels at ``dpi``
    (``text, x0, y0, x1, y1``, y down from the top): where to alter a figure or lay a seal."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        handle = document[page]
        height = handle.get_height()
        textpage = handle.get_textpage()
        scale = dpi / 72.0
        out = []
        for i in range(textpage.count_chars()):
            text = textpage.get_text_range(i, 1)
            if not text.strip():
                continue
            left, bottom, right, top = textpage.get_charbox(i)
            out.append(
                (
                    text,
                    round(left * scale),
                    round((height - top) * scale),
                    round(right * scale),
                    round((height - bottom) * scale),
                )
            )
        return out
    finally:
        document.close()


def figure_box(pdf: bytes, page: int, dpi: float, label: str, n: int) -> tuple[int, int, int, int]:
    """The box (pixels at ``dpi``) of the ``n``-th figure (0-based) printed on the line of the
    row labelled ``label`` on a page of a text PDF."""
    found = chars(pdf, page, dpi)
    text = "".join(c[0] for c in found)
    start = text.index(label)
    top, bottom = found[start][2], found[start][4]
    middle = (top + bottom) / 2
    digits = sorted(
        (
            c
            for c in found[start + len(label) :]
            if c[0].isdigit() and c[2] <= middle <= c[4] and c[1] > found[start][1]
        ),
        key=lambda c: c[1],
    )
    figures: list[list[tuple[str, int, int, int, int]]] = []
    for c in digits:
        if figures and c[1] - figures[-1][-1][3] <= (c[4] - c[2]) * 0.6:
            figures[-1].append(c)
        else:
            figures.append([c])
    chosen = figures[n]
    return chosen[0][1], min(c[2] for c in chosen), chosen[-1][3], max(c[4] for c in chosen)


def skew(image: Image, degrees: float) -> Image:
    """The page turned by ``degrees`` (counter-clockwise positive) about its centre."""
    import cv2

    height, width = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), degrees, 1.0)
    return np.asarray(
        cv2.warpAffine(image, matrix, (width, height), flags=cv2.INTER_CUBIC, borderValue=(255, 255, 255))
    )


def noise(image: Image, *, seed: int, sigma: float = 10.0, salt: float = 0.0005) -> Image:
    """Gaussian noise of ``sigma`` grey levels on every pixel, and a fraction ``salt`` of
    the pixels turned black or white."""
    rng = np.random.default_rng(seed)
    noisy = image.astype(np.float32) + rng.normal(0.0, sigma, image.shape[:2])[:, :, None]
    flips = rng.random(image.shape[:2])
    noisy[flips < salt / 2] = 0.0
    noisy[(flips >= salt / 2) & (flips < salt)] = 255.0
    return np.clip(noisy, 0, 255).astype(np.uint8)


def seal(image: Image, centre: tuple[int, int], radius: int) -> Image:
    """A red stamp of ``radius`` pixels centred at ``centre`` (x, y), multiplied into the page."""
    import cv2

    stamp = np.full(image.shape, 255, np.uint8)
    red = (220, 40, 40)
    thickness = max(2, radius // 14)
    cv2.circle(stamp, centre, radius, red, thickness, lineType=cv2.LINE_AA)
    cv2.circle(stamp, centre, radius - 3 * thickness, red, max(1, thickness // 2), lineType=cv2.LINE_AA)
    cx, cy = centre
    star = []
    for k in range(10):
        r = radius * (0.32 if k % 2 == 0 else 0.13)
        angle = math.pi / 2 + k * math.pi / 5
        star.append((round(cx + r * math.cos(angle)), round(cy - r * math.sin(angle))))
    cv2.fillPoly(stamp, [np.array(star, np.int32)], red, lineType=cv2.LINE_AA)
    for k in range(12):  # the organ's name around the ring, as strokes
        angle = math.pi * (0.15 + 0.7 * k / 11)
        x = round(cx - (radius * 0.72) * math.cos(angle))
        y = round(cy - (radius * 0.72) * math.sin(angle))
        cv2.rectangle(stamp, (x - thickness * 2, y - thickness * 2), (x + thickness * 2, y + thickness * 2), red, -1)
    cv2.line(stamp, (cx - radius // 2, cy + radius // 2), (cx + radius // 2, cy + radius // 2), red, thickness)
    blended = image.astype(np.uint16) * stamp.astype(np.uint16) // 255
    return blended.astype(np.uint8)


def paste(image: Image, source: tuple[int, int, int, int], target: tuple[int, int]) -> Image:
    """The page with the region ``source`` (x0, y0, x1, y1) copied to ``target`` (x0, y0)
    over a white patch as large as the target's cell content: a figure printed differently."""
    x0, y0, x1, y1 = source
    tx, ty = target
    out = image.copy()
    out[ty : ty + (y1 - y0), tx : tx + (x1 - x0)] = image[y0:y1, x0:x1]
    return out


def blank(image: Image, box: tuple[int, int, int, int]) -> Image:
    """The page with ``box`` (x0, y0, x1, y1) painted white."""
    out = image.copy()
    x0, y0, x1, y1 = box
    out[y0:y1, x0:x1] = 255
    return out


def png(image: Image) -> bytes:
    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.fromarray(image).save(buffer, format="PNG", dpi=(150, 150))
    return buffer.getvalue()


def png_at(image: Image, dpi: float) -> bytes:
    """A PNG that records its resolution (``pHYs``)."""
    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.fromarray(image).save(buffer, format="PNG", dpi=(dpi, dpi))
    return buffer.getvalue()


def jpeg(image: Image, dpi: float, quality: int = 85) -> bytes:
    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.fromarray(image).save(buffer, format="JPEG", quality=quality, dpi=(dpi, dpi))
    return buffer.getvalue()


def tiff(images: Sequence[Image], dpi: float) -> bytes:
    """A multi-page TIFF (LZW) of the pages."""
    from PIL import Image as PILImage

    frames = [PILImage.fromarray(image) for image in images]
    buffer = io.BytesIO()
    frames[0].save(
        buffer, format="TIFF", save_all=True, append_images=frames[1:], compression="tiff_lzw", dpi=(dpi, dpi)
    )
    return buffer.getvalue()


def scanned(images: Sequence[Image], *, seed: int, degrees: float, sigma: float = 10.0) -> list[Image]:
    """Every page skewed by ``degrees`` (alternating in sign) and made noisy."""
    return [
        noise(skew(image, degrees if n % 2 == 0 else -degrees), seed=seed + n, sigma=sigma)
        for n, image in enumerate(images)
    ]


def main(argv: Sequence[str]) -> None:
    out = Path(argv[0])
    pdf = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[1] / "pdf" / "generated-2021-a.pdf"
    dpi = float(argv[2]) if len(argv) > 2 else 100.0
    out.mkdir(parents=True, exist_ok=True)
    pages = scanned(render(pdf.read_bytes(), dpi), seed=1, degrees=1.5)
    for n, page in enumerate(pages, start=1):
        (out / f"{pdf.stem}-{n}.png").write_bytes(png_at(page, dpi))


if __name__ == "__main__":
    main(sys.argv[1:])
