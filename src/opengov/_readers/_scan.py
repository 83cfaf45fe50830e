"""The layout of a scanned page, from its pixels: where the tables, their cells and the text
lines are, before anything is recognised (part of the ``ocr`` extra; numpy and OpenCV).

Everything here works on one page raster (a 2-D ``uint8`` array, 0 black … 255 white) at a
known resolution, and measures in pixels; lengths that depend on the print (a character's
height, a ruling line's thickness) are given in points and converted with the resolution.

1. **Colour → grey.**  Stamps (red seals) are printed over the text.  A reddish pixel (red
   clearly above green and blue) becomes its red channel divided by the seal's own red level
   (white where the seal lies on blank paper, dark where black text lies under it); every
   other pixel becomes its luminance.  Light colour fills behind header rows become light
   grey and are no ink.
2. **Ink.**  A pixel is ink when it is darker than the brightest pixel around it by more
   than the page's noise allows (:func:`ink`): a faint stroke one pixel wide is ink, a light
   colour fill behind a header row is not.  Specks smaller than a dot of punctuation are
   dropped from the ink that text is looked for in.
3. **Skew.**  The angle that makes the rows of ink sharpest (the projection profile of the
   ink onto the vertical axis with the largest sum of squares) is searched in ±:data:`MAX_SKEW`
   degrees, coarse then fine, on a sample of the ink pixels; the page is rotated back when it
   is off by more than :data:`MIN_SKEW`.
4. **Ruling lines.**  A morphological opening with a long thin kernel keeps the horizontal
   (then the vertical) runs of ink longer than any stroke of a character; each connected
   piece is a segment ``(position, start, end)``.
5. **Tables.**  Segments at nearly the same position are one line; collinear pieces with a
   small gap are joined.  The vertical lines' spans on the y axis, joined where they
   overlap, make *bands*; in a band the distinct x of the vertical lines and y of the
   horizontal lines make a grid, and grid squares not separated by a drawn side are one cell
   (union-find).  A cell must be a rectangle closed on every side; cells that share a corner
   are one table; a table needs two cells.  (The same procedure as the PDF reader's, on
   pixels.)
6. **Text lines.**  Inside a cell, or in the page outside the tables, the ink is cut into
   lines where a run of empty pixel rows separates it (after a short vertical closing, so
   that the gaps inside a character such as 三 do not cut it), and each line into pieces
   where a horizontal gap is wider than a character's gap.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import attrs
import cv2
import numpy as np
import numpy.typing as npt

from opengov._readers._ruling import cell_groups

__all__ = [
    "Box",
    "Cell",
    "Table",
    "Page",
    "MAX_SKEW",
    "MIN_SKEW",
    "to_grey",
    "ink",
    "skew_angle",
    "rotate",
    "analyse",
    "text_lines",
    "pieces",
]

Image = npt.NDArray[np.uint8]

MAX_SKEW = 5.0
"""Degrees: a page turned further than this is not straightened."""

MIN_SKEW = 0.08
"""Degrees: a page turned less than this is left as it is (one pixel in ~700)."""

_LINE_POINTS = 24.0
"""A run of ink at least this long (points) along one axis is a ruling line, not a stroke of
a character (characters in reports are at most about 22 points; title strokes are cut by
the minimum table size below anyway)."""

_THICK_POINTS = 3.0
"""A ruling line is at most this thick (points)."""

_TOLERANCE_POINTS = 3.0
"""Line positions this close (points) are one line; gaps this small are joined; a segment
reaching within this of a grid line meets it."""


@attrs.frozen(kw_only=True)
class Box:
    """A rectangle in pixels: ``x0 <= x < x1``, ``y0 <= y < y1``."""

    x0: int
    y0: int
    x1: int
    y1: int

    @property
    def width(self) -> int:
        return self.x1 - self.x0

    @property
    def height(self) -> int:
        return self.y1 - self.y0


@attrs.frozen(kw_only=True)
class Cell:
    """One table cell: its inner box (inside the ruling lines) and its place in the table's
    grid (0-based row/column with spans)."""

    box: Box
    row: int
    col: int
    rowspan: int
    colspan: int
    placed: bool = True
    """False for a cell of a table without ruling lines that nothing was seen in: where the
    column's figure of that row would be (empty as printed, or a figure missed)."""


@attrs.frozen(kw_only=True)
class Table:
    """A ruled table: its outer box and its cells, top to bottom then left to right."""

    box: Box
    cells: tuple[Cell, ...]
    n_rows: int
    n_cols: int


@attrs.frozen(kw_only=True, eq=False)
class Page:
    """One page after :func:`analyse`: the straightened grey image, its ink, the ruled tables
    and the angle the page was turned back by (degrees, counter-clockwise positive)."""

    grey: Image
    ink: Image
    """255 where there is ink (ruling lines removed), 0 elsewhere."""
    tables: tuple[Table, ...]
    angle: float
    dpi: float
    quarters: int = 0
    """Quarter turns (counter-clockwise) the page was turned by before it was straightened."""


def _image(array: Any) -> Image:
    """An OpenCV result as the ``uint8`` image it is (no copy)."""
    return np.asarray(array, dtype=np.uint8)


def _pixels(points: float, dpi: float) -> int:
    return max(1, round(points * dpi / 72.0))


# ---------------------------------------------------------------------------------------
# Colour, ink, skew
# ---------------------------------------------------------------------------------------


def to_grey(image: npt.NDArray[np.uint8]) -> Image:
    """A grey page from a grey (H×W) or colour (H×W×3 RGB, H×W×4 RGBA) one, red ink (seals)
    taken away: see the module text."""
    if image.ndim == 2:
        return np.ascontiguousarray(image)
    if image.shape[2] == 4:
        rgb = image[:, :, :3]
        alpha = image[:, :, 3:4].astype(np.uint16)
        # composite over white
        image = (rgb.astype(np.uint16) * alpha // 255 + 255 - alpha).astype(np.uint8)
    red = image[:, :, 0]
    grey = _image(cv2.cvtColor(np.ascontiguousarray(image[:, :, :3]), cv2.COLOR_RGB2GRAY))
    others = np.maximum(image[:, :, 1], image[:, :, 2])
    reddish = (red.astype(np.int16) - others.astype(np.int16)) > 60
    if not reddish.any():
        return grey
    # Red ink multiplies the paper under it: its red channel is the seal's red level where the
    # paper is blank and darker where print lies under it.  Dividing by the seal's level gives
    # back the print alone.
    level = max(float(np.percentile(red[reddish], 90)), 1.0)
    lifted = np.clip(red.astype(np.float32) * (255.0 / level), 0, 255).astype(np.uint8)
    return np.where(reddish, lifted, grey).astype(np.uint8)


def ink(grey: Image, dpi: float) -> Image:
    """255 where the page has ink, 0 elsewhere: pixels darker than their surroundings (the
    brightest pixel within about six points) by more than the noise allows.

    Measured against the local background rather than one threshold, a faint stroke one pixel
    wide (a digit at 100 dpi) is ink and a light colour fill behind a header row is not.
    The page's noise (the spread of its background, median absolute deviation) raises the
    contrast needed: at least 40 grey levels, at least 4.5 times the noise."""
    size = _pixels(6.0, dpi) | 1
    background = cv2.dilate(grey, cv2.getStructuringElement(cv2.MORPH_RECT, (size, size)))
    contrast = cv2.subtract(background, grey)
    sample = grey[::7, ::7]
    light = sample[sample > 200].astype(np.float64)
    spread = 1.4826 * float(np.median(np.abs(light - np.median(light)))) if light.size else 0.0
    _, binary = cv2.threshold(contrast, max(40.0, 4.5 * spread), 255, cv2.THRESH_BINARY)
    return _image(binary)


def despeckle(binary: Image, dpi: float) -> Image:
    """The ink without specks: connected pieces smaller than a dot of punctuation (noise)."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    if count <= 1:
        return binary
    smallest = max(3, round((0.7 * dpi / 72.0) ** 2))
    keep = stats[:, cv2.CC_STAT_AREA] >= smallest
    keep[0] = False
    return np.where(keep[labels], 255, 0).astype(np.uint8)


def _profile_score(ys: npt.NDArray[np.float64], xs: npt.NDArray[np.float64], angle: float, height: int) -> float:
    theta = math.radians(angle)
    projected = ys * math.cos(theta) - xs * math.sin(theta)
    projected -= projected.min()
    counts = np.bincount(projected.astype(np.int64), minlength=1)
    return float(np.dot(counts, counts))


def skew_angle(binary: Image, dpi: float) -> float:
    """The angle (degrees, counter-clockwise positive) the page's rows of ink are turned by:
    the one whose projection profile is sharpest (see the module text), the one nearest 0
    among equals; 0 for a page with too little ink to tell."""
    ys, xs = np.nonzero(binary)
    if len(ys) < 200:
        return 0.0
    if len(ys) > 120_000:  # an even sample of the ink keeps the full resolution's geometry
        pick = np.linspace(0, len(ys) - 1, 120_000).astype(np.int64)
        ys, xs = ys[pick], xs[pick]
    fy = ys.astype(np.float64)
    fx = xs.astype(np.float64)
    height = binary.shape[0]

    def best(angles: npt.NDArray[np.float64]) -> float:
        scores = [(_profile_score(fy, fx, float(a), height), -abs(float(a)), float(a)) for a in angles]
        return max(scores)[2]

    coarse = best(np.arange(-MAX_SKEW, MAX_SKEW + 1e-9, 0.2))
    fine = best(np.arange(coarse - 0.2, coarse + 0.2 + 1e-9, 0.02))
    return -round(fine, 2)


def rotate(grey: Image, angle: float) -> Image:
    """The page turned by ``angle`` degrees (counter-clockwise positive) about its centre,
    the corners filled with white."""
    height, width = grey.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    return _image(
        cv2.warpAffine(
            grey, matrix, (width, height), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=255
        )
    )


# ---------------------------------------------------------------------------------------
# Ruling lines and tables
# ---------------------------------------------------------------------------------------

_Segment = tuple[int, int, int]  # position, start, end


def _segments(mask: Image, horizontal: bool, thick: int, shortest: int) -> list[_Segment]:
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out: list[_Segment] = []
    for i in range(1, count):
        x, y, w, h = (int(v) for v in stats[i, :4])
        if horizontal:
            if h <= thick and w >= shortest:
                out.append((y + h // 2, x, x + w))
        elif w <= thick and h >= shortest:
            out.append((x + w // 2, y, y + h))
    return out


def ruling_masks(binary: Image, dpi: float) -> tuple[Image, Image]:
    """The horizontal and the vertical ruling lines of a page's ink (255 on a line).

    Before the opening, the ink is thickened by a pixel across the line's direction (never
    along it, which would join neighbouring characters into a run as long as a line), so a
    line that is not quite straight stays one run."""
    length = _pixels(_LINE_POINTS, dpi)
    across = cv2.dilate(binary, np.ones((3, 1), np.uint8))
    horizontal = cv2.morphologyEx(across, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1)))
    across = cv2.dilate(binary, np.ones((1, 3), np.uint8))
    vertical = cv2.morphologyEx(across, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, length)))
    return _image(horizontal), _image(vertical)


def _snap(segments: Sequence[_Segment], tolerance: int) -> list[_Segment]:
    ordered = sorted(segments)
    out: list[_Segment] = []
    i = 0
    while i < len(ordered):
        j = i + 1
        while j < len(ordered) and ordered[j][0] <= ordered[j - 1][0] + tolerance:
            j += 1
        group = ordered[i:j]
        mean = round(sum(s[0] for s in group) / len(group))
        out += [(mean, s[1], s[2]) for s in group]
        i = j
    return out


def _merge(segments: Sequence[_Segment], tolerance: int) -> dict[int, list[tuple[int, int]]]:
    by_position: dict[int, list[tuple[int, int]]] = {}
    for position, start, end in _snap(segments, tolerance):
        by_position.setdefault(position, []).append((start, end))
    merged: dict[int, list[tuple[int, int]]] = {}
    for position, pieces in by_position.items():
        pieces.sort()
        joined = [pieces[0]]
        for start, end in pieces[1:]:
            last_start, last_end = joined[-1]
            if start <= last_end + tolerance:
                if end > last_end:
                    joined[-1] = (last_start, end)
            else:
                joined.append((start, end))
        merged[position] = joined
    return merged


def _covered(pieces: Sequence[tuple[int, int]], bounds: Sequence[int], tolerance: int) -> list[bool]:
    out = []
    k = 0
    for i in range(len(bounds) - 1):
        low, high = bounds[i], bounds[i + 1]
        while k < len(pieces) and pieces[k][1] < high - tolerance:
            k += 1
        out.append(k < len(pieces) and pieces[k][0] <= low + tolerance)
    return out


def _find_tables(
    horizontal: dict[int, list[tuple[int, int]]],
    vertical: dict[int, list[tuple[int, int]]],
    tolerance: int,
    thick: int,
) -> list[Table]:
    if not horizontal or not vertical:
        return []
    spans = sorted((start - tolerance, end + tolerance, x) for x, pieces in vertical.items() for start, end in pieces)
    bands: list[tuple[int, int, set[int]]] = []
    for start, end, x in spans:
        if bands and start <= bands[-1][1]:
            low, high, members = bands[-1]
            members.add(x)
            bands[-1] = (low, max(high, end), members)
        else:
            bands.append((start, end, {x}))
    tables: list[Table] = []
    for low, high, band_xs in bands:
        xs = sorted(band_xs)
        ys = sorted(y for y in horizontal if low <= y <= high)
        if len(xs) < 2 or len(ys) < 2:
            continue
        tables += _band_tables(xs, ys, horizontal, vertical, tolerance, thick)
    return sorted(tables, key=lambda t: (t.box.y0, t.box.x0))


def _band_tables(
    xs: list[int],
    ys: list[int],
    horizontal: dict[int, list[tuple[int, int]]],
    vertical: dict[int, list[tuple[int, int]]],
    tolerance: int,
    thick: int,
) -> list[Table]:
    across = [_covered(horizontal.get(y, []), xs, tolerance) for y in ys]
    down = [_covered(vertical.get(x, []), ys, tolerance) for x in xs]
    groups = cell_groups(across, down)
    tables = []
    inset = thick // 2 + 1
    for group in groups:
        if len(group) < 2:
            continue
        col_edges = sorted({c[0] for c in group} | {c[2] for c in group})
        row_edges = sorted({c[1] for c in group} | {c[3] for c in group})
        col_index = {edge: i for i, edge in enumerate(col_edges)}
        row_index = {edge: i for i, edge in enumerate(row_edges)}
        placed = []
        for c0, r0, c1, r1 in sorted(group, key=lambda c: (c[1], c[0])):
            box = Box(x0=xs[c0] + inset, y0=ys[r0] + inset, x1=xs[c1] - inset, y1=ys[r1] - inset)
            placed.append(
                Cell(
                    box=box,
                    row=row_index[r0],
                    col=col_index[c0],
                    rowspan=row_index[r1] - row_index[r0],
                    colspan=col_index[c1] - col_index[c0],
                )
            )
        outer = Box(x0=xs[col_edges[0]], y0=ys[row_edges[0]], x1=xs[col_edges[-1]], y1=ys[row_edges[-1]])
        tables.append(Table(box=outer, cells=tuple(placed), n_rows=len(row_edges) - 1, n_cols=len(col_edges) - 1))
    return tables


def sideways(binary: Image) -> bool:
    """Whether the page's lines of text run up and down (a page turned by a quarter): the
    ink's profile across the columns is much sharper than across the rows."""
    small = binary[::4, ::4].astype(bool)
    if small.sum() < 200:
        return False
    rows = small.sum(axis=1).astype(np.float64)
    columns = small.sum(axis=0).astype(np.float64)

    def sharpness(profile: npt.NDArray[np.float64]) -> float:
        return float(profile.var() / max(profile.mean(), 1e-9) ** 2)

    return sharpness(columns) > 1.5 * sharpness(rows)


def analyse(image: npt.NDArray[np.uint8], dpi: float, *, quarters: int | None = None) -> Page:
    """One page: grey, turned upright, straightened, its ink without the ruling lines, and its
    ruled tables.  ``quarters``: quarter turns (counter-clockwise) to apply first; by default
    one when the lines run up and down (:func:`sideways`), else none."""
    grey = to_grey(image)
    binary = ink(grey, dpi)
    if quarters is None:
        quarters = 1 if sideways(binary) else 0
    if quarters % 4:
        grey = np.ascontiguousarray(np.rot90(grey, quarters % 4))
        binary = ink(grey, dpi)
    angle = skew_angle(binary, dpi)
    if abs(angle) >= MIN_SKEW:
        grey = rotate(grey, -angle)
        binary = ink(grey, dpi)
    else:
        angle = 0.0
    horizontal, vertical = ruling_masks(binary, dpi)
    thick = _pixels(_THICK_POINTS, dpi) + 2
    tolerance = _pixels(_TOLERANCE_POINTS, dpi)
    shortest = _pixels(_LINE_POINTS, dpi)
    tables = _find_tables(
        _merge(_segments(horizontal, True, thick, shortest), tolerance),
        _merge(_segments(vertical, False, thick, shortest), tolerance),
        tolerance,
        thick,
    )
    # the ruling lines of the tables found are taken out of the ink (elsewhere a long run of
    # ink is print: a rule under a title, a long stroke)
    lines = np.zeros_like(binary)
    reach = thick + tolerance
    for table in tables:
        box = table.box
        y0, x0 = max(0, box.y0 - reach), max(0, box.x0 - reach)
        lines[y0 : box.y1 + reach, x0 : box.x1 + reach] = 255
    lines = _image(cv2.bitwise_and(lines, cv2.dilate(cv2.bitwise_or(horizontal, vertical), np.ones((3, 3), np.uint8))))
    text = despeckle(_image(cv2.bitwise_and(binary, cv2.bitwise_not(lines))), dpi)
    return Page(grey=grey, ink=text, tables=tuple(tables), angle=angle, dpi=dpi, quarters=quarters % 4)


# ---------------------------------------------------------------------------------------
# Text lines
# ---------------------------------------------------------------------------------------


def text_lines(ink_image: Image, box: Box, dpi: float, *, min_points: float = 3.0) -> list[Box]:
    """The lines of text inside ``box`` of a page's ink, top to bottom, each cut to its ink.

    Rows of pixels with ink, closed vertically over gaps of up to a fifth of a character
    (so that 三 stays one line), are lines; a line lower than ``min_points`` is a speck.
    """
    region = ink_image[box.y0 : box.y1, box.x0 : box.x1]
    if region.size == 0:
        return []
    rows = np.count_nonzero(region, axis=1)
    has = rows > 0
    gap = _pixels(1.6, dpi)
    lines: list[tuple[int, int]] = []
    start: int | None = None
    last = -gap - 1
    for y in np.flatnonzero(has).tolist():
        if start is None:
            start = y
        elif y - last > gap:
            lines.append((start, last + 1))
            start = y
        last = y
    if start is not None:
        lines.append((start, last + 1))
    lowest = _pixels(min_points, dpi)
    out = []
    for y0, y1 in lines:
        band = region[y0:y1]
        if y1 - y0 < lowest:
            continue
        kept = _without_specks(np.count_nonzero(band, axis=0), y1 - y0)
        if kept is None:
            continue
        x0, x1 = kept
        rows = np.flatnonzero(np.count_nonzero(band[:, x0:x1], axis=1))
        out.append(
            Box(x0=box.x0 + x0, y0=box.y0 + y0 + int(rows[0]), x1=box.x0 + x1, y1=box.y0 + y0 + int(rows[-1]) + 1)
        )
    return out


def _without_specks(columns: npt.NDArray[np.intp], height: int) -> tuple[int, int] | None:
    """The x extent of a line's ink, leaving out specks at either end: pieces more than a
    line's height away from the rest, with less than a tenth of the largest piece's ink and
    less than a twentieth of a square as high as the line."""
    xs = np.flatnonzero(columns)
    if len(xs) == 0:
        return None
    breaks = np.flatnonzero(np.diff(xs) > height) + 1
    starts = [0, *breaks.tolist()]
    ends = [*breaks.tolist(), len(xs)]
    masses = [int(columns[xs[a] : xs[b - 1] + 1].sum()) for a, b in zip(starts, ends, strict=True)]
    heaviest = max(masses)
    keep = [i for i, m in enumerate(masses) if m * 10 >= heaviest or m >= 0.05 * height * height]
    return int(xs[starts[keep[0]]]), int(xs[ends[keep[-1]] - 1]) + 1


def pieces(ink_image: Image, line: Box, gap: int) -> list[Box]:
    """A line cut where its ink has a horizontal gap wider than ``gap`` pixels."""
    band = ink_image[line.y0 : line.y1, line.x0 : line.x1]
    cols = np.flatnonzero(np.count_nonzero(band, axis=0))
    if len(cols) == 0:
        return []
    out = []
    start = last = int(cols[0])
    for x in cols[1:].tolist():
        if x - last > gap + 1:
            out.append((start, last + 1))
            start = x
        last = x
    out.append((start, last + 1))
    boxes = []
    for x0, x1 in out:
        part = band[:, x0:x1]
        rows = np.flatnonzero(np.count_nonzero(part, axis=1))
        boxes.append(Box(x0=line.x0 + x0, y0=line.y0 + int(rows[0]), x1=line.x0 + x1, y1=line.y0 + int(rows[-1]) + 1))
    return boxes
