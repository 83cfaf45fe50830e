"""Scanned pages read by OCR (optional extra ``opengov[ocr]``): page rasters → a
:class:`~opengov._grid.Document` like every other reader's.

For each page (see ``docs/ocr.md``):

1. :func:`opengov._readers._scan.analyse` straightens the page, drops red ink (seals) and
   finds the ruled tables and their cells from the ruling lines in the pixels.
2. The lines of text are found in each cell and in the page outside the tables.
3. **Only what is needed is recognised**: every table cell; outside the tables, the title
   (large print at the top of the first page), the first line of every paragraph (headings
   are paragraphs of their own; every section keeps its opening words), lines printed bold,
   and the lines that hold a figure (a glyph shaped like a digit: one connected piece,
   narrower and lower than a Chinese character).  The other prose lines are counted, not read
   (``ocr-prose-skipped``).  Labels and prose are
   recognised at 32 pixels high, figures again at 48 (the model's own height) for their
   readings.
4. A label that is one or two characters away from a label of the official tables (or a
   section heading) is read as that label (``ocr-label``).
5. Table cells become :class:`~opengov._grid.GridCell` objects with their spans; each figure
   cell carries its readings (:attr:`~opengov._grid.GridCell.readings`, the recogniser's
   alternatives with their probabilities) and a location of its own (page, table, row, cell),
   which :mod:`opengov._alternatives` holds against the tables' identities once the assembler
   has placed the cells.

Pages are read in parallel on up to ``threads`` threads (the recogniser runs one thread per
call).  Every bound is checked before the work it bounds: pages (``Limits.pages``) and the
pixels of each page (``Limits.pixels``) by the caller, when the image is decoded.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Literal

import attrs
import cv2
import numpy as np
import numpy.typing as npt

from opengov._errors import Diagnostic, Location, Severity
from opengov._grid import Block, Document, Grid, GridCell, Paragraph, Reading
from opengov._readers import _scan
from opengov._readers._engine import Engine, Recognised, engine
from opengov._readers._official import is_official, official_label
from opengov.layout import PLACEHOLDER_GLYPHS, SECTIONS

__all__ = ["Raster", "Prose", "read_rasters"]

Prose = Literal["needed", "all"]
"""Which prose lines are recognised: the title, headings and lines with figures
(``"needed"``), or every line (``"all"``)."""

LABEL_HEIGHT = 32
"""Pixels high that labels and prose are recognised at."""
FIGURE_HEIGHT = 48
"""Pixels high that figures are recognised at (the model's own)."""

_PAD = 0.25
"""A crop is its line's ink plus this much of the line's height on every side."""

_SPECKS = ".,，。"

_UPSIDE_DOWN = 0.8
"""A page whose lines are read with a mean character probability below this is tried again
turned half round."""

_DENSITY = 0.2
"""The share of a line's box that regular body text inks (for pages with too few lines to
measure it)."""

_CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_FIGURE_RE = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?")
_ASCII_END = re.compile(r"[A-Za-z0-9]$")
_ASCII_START = re.compile(r"^[A-Za-z0-9]")


@attrs.frozen(kw_only=True, eq=False)
class Raster:
    """One page image: pixels (H×W grey or H×W×3 RGB, ``uint8``), its resolution and its
    1-based page number in the document."""

    image: npt.NDArray[np.uint8]
    dpi: float
    page: int


# ---------------------------------------------------------------------------------------
# What one page gives
# ---------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class _TextLine:
    """A prose line as found (and, when recognised, read)."""

    box: _scan.Box
    number: int
    """1-based among the page's prose lines, top to bottom."""
    text: str | None
    """None when it was not recognised."""
    title: bool = False


@attrs.frozen(kw_only=True)
class _CellText:
    row: int
    col: int
    rowspan: int
    colspan: int
    text: str
    readings: tuple[Reading, ...]


@attrs.frozen(kw_only=True)
class _TableText:
    box: _scan.Box
    cells: tuple[_CellText, ...]


@attrs.frozen(kw_only=True)
class _PageText:
    number: int
    lines: tuple[_TextLine, ...]
    tables: tuple[_TableText, ...]
    angle: float
    skipped: int
    left: int
    right: int
    em: float
    labels: tuple[tuple[str, str], ...]
    """Labels read as an official one: ``(as recognised, as the official label)``."""
    aligned: bool = False
    """Whether the tables were printed without ruling lines (rebuilt from the words' places)."""
    quarters: int = 0
    """Quarter turns (counter-clockwise) the page was turned by."""
    confidence: float = 1.0
    """The mean probability of the characters of its lines, as first recognised."""


# ---------------------------------------------------------------------------------------
# Prose lines: which to recognise
# ---------------------------------------------------------------------------------------


def _digit_like(ink: _scan.Image, box: _scan.Box, em: float) -> bool:
    """Whether a line shows a glyph shaped like a digit: one connected piece, alone across
    its width, from half to four fifths of a character high and at most three fifths wide,
    and not the narrow half of a Chinese character (a taller piece beside it, the two
    together no wider than one character: 口 in 和)."""
    region = ink[box.y0 : box.y1, box.x0 : box.x1]
    count, _, stats, _ = cv2.connectedComponentsWithStats(region, connectivity=8)
    if count <= 1:
        return False
    pieces = sorted((int(s[0]), int(s[0] + s[2]), int(s[1]), int(s[1] + s[3])) for s in stats[1:])
    columns: list[list[int]] = []  # x0, x1, y0, y1, pieces
    for x0, x1, y0, y1 in pieces:
        if columns and x0 < columns[-1][1]:
            column = columns[-1]
            column[1] = max(column[1], x1)
            column[2] = min(column[2], y0)
            column[3] = max(column[3], y1)
            column[4] += 1
        else:
            columns.append([x0, x1, y0, y1, 1])
    for i, (x0, x1, y0, y1, n) in enumerate(columns):
        if n != 1 or not (0.5 * em <= y1 - y0 <= 0.8 * em and 0.1 * em <= x1 - x0 <= 0.6 * em):
            continue
        half = False
        for j in (i - 1, i + 1):
            if 0 <= j < len(columns):
                other = columns[j]
                tall = other[3] - other[2] > 0.82 * em
                if tall and max(x1, other[1]) - min(x0, other[0]) <= 1.05 * em:
                    half = True
        if not half:
            return True
    return False


def _density(ink: _scan.Image, box: _scan.Box) -> float:
    region = ink[box.y0 : box.y1, box.x0 : box.x1]
    return float(np.count_nonzero(region)) / max(region.size, 1)


# ---------------------------------------------------------------------------------------
# One page
# ---------------------------------------------------------------------------------------


def _crop(grey: _scan.Image, box: _scan.Box) -> npt.NDArray[np.uint8]:
    pad = round(box.height * _PAD) + 1
    height, width = grey.shape
    return grey[max(0, box.y0 - pad) : min(height, box.y1 + pad), max(0, box.x0 - pad) : min(width, box.x1 + pad)]


def _join(texts: Iterable[str]) -> str:
    """Lines of one cell or paragraph joined: directly, or with a space between two ASCII words."""
    out = ""
    for text in texts:
        text = text.strip()
        if not text:
            continue
        if out and _ASCII_END.search(out) and _ASCII_START.match(text) and not _FIGURE_RE.fullmatch(out + text):
            out += " "
        out += text
    return out


def _is_figure_text(text: str) -> bool:
    return bool(text) and _CJK_RE.search(text) is None and any(c.isdigit() for c in text)


def _value_like(text: str) -> bool:
    """A cell text that reads as a value (a figure or a placeholder), not a label."""
    stripped = text.strip()
    return _is_figure_text(stripped) or stripped in PLACEHOLDER_GLYPHS


def _cell_readings(parts: Sequence[Recognised]) -> tuple[str, tuple[Reading, ...]]:
    """A figure cell's text and readings from its lines' readings (several lines: every
    combination of the first few, probabilities multiplied)."""
    combos: list[tuple[str, float]] = [("", 1.0)]
    for part in parts:
        # a point or comma at either end is a speck of noise: no figure is printed so
        options = [(text.strip(_SPECKS), p) for text, p in part.readings[:4]]
        combos = [(_join([a, b]), p * q) for a, p in combos for b, q in options if b]
        combos.sort(key=lambda c: -c[1])
        combos = combos[:8]
    merged: dict[str, float] = {}
    for text, p in combos:
        merged[text] = merged.get(text, 0.0) + p
    ranked = sorted(merged.items(), key=lambda item: -item[1])
    if not ranked:
        return "", ()
    return ranked[0][0], tuple(Reading(text=t, probability=round(p, 6)) for t, p in ranked)


def _digits_only(ink: _scan.Image, box: _scan.Box, em: float) -> bool:
    """Whether every glyph of a piece of a line is shaped like a digit (see :func:`_digit_like`)."""
    region = ink[box.y0 : box.y1, box.x0 : box.x1]
    stats = cv2.connectedComponentsWithStats(region, connectivity=8)[2]
    pieces = sorted((int(s[0]), int(s[0] + s[2]), int(s[3])) for s in stats[1:] if s[4] > 2)
    if not pieces:
        return False
    columns: list[list[int]] = []  # x0, x1, height, pieces
    for x0, x1, h in pieces:
        if columns and x0 < columns[-1][1]:
            columns[-1][1] = max(columns[-1][1], x1)
            columns[-1][2] = max(columns[-1][2], h)
            columns[-1][3] += 1
        else:
            columns.append([x0, x1, h, 1])
    return all(n == 1 and 0.45 * em <= h <= 0.92 * em and x1 - x0 <= 0.7 * em for x0, x1, h, n in columns)


def _starts_with_digit(ink: _scan.Image, box: _scan.Box, em: float) -> bool:
    """Whether the first glyph of a piece is shaped like a digit."""
    first = _scan.Box(x0=box.x0, y0=box.y0, x1=min(box.x1, box.x0 + max(2, round(0.6 * em))), y1=box.y1)
    return _digits_only(ink, first, em)


def _clusters(values: Sequence[float], gap: float) -> list[float]:
    """The centres of groups of sorted values, a new group past a gap wider than ``gap``."""
    groups: list[list[float]] = []
    for value in sorted(values):
        if groups and value - groups[-1][-1] <= gap:
            groups[-1].append(value)
        else:
            groups.append([value])
    return [sum(g) / len(g) for g in groups]


def _nearest(centres: Sequence[float], value: float) -> int:
    return min(range(len(centres)), key=lambda i: abs(centres[i] - value))


def _aligned_tables(ink: _scan.Image, lines: Sequence[_scan.Box], em: float) -> tuple[list[_scan.Table], set[int]]:
    """Tables printed without ruling lines, from the places of their words, and the indexes of
    the lines they take.

    A line cut at gaps of a third of a character or more is a row when it ends with two pieces
    or more that are all digits (or with one, after a gap of a character and a half); rows
    follow each other with at most three lines between them, all left of the figures (the
    wrapped lines of the labels above them).  The figures' centres, clustered, are the value
    columns; the labels' left sides, clustered, the label columns; a wrapped label joins the
    label above it at the same place.  A column a row prints nothing in is an empty cell."""
    gap = max(2, round(0.34 * em))
    cut = [_scan.pieces(ink, box, gap) for box in lines]
    figures: list[int] = []  # per line: how many pieces at its end are figures (0: not a row)
    for pieces in cut:
        n = 0
        while n < len(pieces) and _digits_only(ink, pieces[len(pieces) - 1 - n], em):
            n += 1
        # one figure after a wide gap (a table 2 row), maybe with its unit (3548.8万元)
        apart = len(pieces) > 1 and pieces[-1].x0 - pieces[-2].x1 >= 1.5 * em
        wide = apart and (n == 1 or (n == 0 and _starts_with_digit(ink, pieces[-1], em)))
        figures.append(n if n >= 2 else 1 if wide else 0)
    groups: list[list[int]] = []
    between: list[int] = []
    for i in range(len(cut)):
        if figures[i]:
            if groups and len(between) <= 3:
                edge = min(p.x0 for j in groups[-1] if figures[j] for p in cut[j][len(cut[j]) - figures[j] :])
                if all(p.x1 < edge - 0.5 * em for j in between for p in cut[j]):
                    groups[-1] += [*between, i]
                    between = []
                    continue
            groups.append([i])
            between = []
        elif groups:
            between.append(i)
    if groups and len(between) <= 3:  # the wrapped lines of the last row's labels
        last = groups[-1]
        edge = min(p.x0 for j in last if figures[j] for p in cut[j][len(cut[j]) - figures[j] :])
        kept = [j for j in between if all(p.x1 < edge - 0.5 * em for p in cut[j])]
        last += kept[: next((k for k, j in enumerate(between) if j not in kept), len(kept))]
    tables: list[_scan.Table] = []
    used: set[int] = set()
    for group in groups:
        rows = [i for i in group if figures[i]]
        values = [p for i in rows for p in cut[i][len(cut[i]) - figures[i] :]]
        start: float = min(p.x0 for p in values) - 0.5 * em  # labels end before it
        columns = _clusters([(p.x0 + p.x1) / 2 for p in values], 1.0 * em)
        # a label piece that starts where no other row starts one is the rest of the label
        # before it (a gap before a quotation mark): joined to it
        owns = [[p for p in cut[i] if p.x1 < start] for i in rows]
        starts = _clusters([p.x0 for own in owns for p in own], 1.0 * em)
        support = [
            len({r for r, own in enumerate(owns) for p in own if _nearest(starts, p.x0) == c})
            for c in range(len(starts))
        ]
        labels_of: list[list[_scan.Box]] = []
        for r, i in enumerate(rows):
            following = group[group.index(i) + 1 : group.index(rows[r + 1]) if r + 1 < len(rows) else len(group)]
            own: list[_scan.Box] = []
            for p in owns[r]:
                if own and support[_nearest(starts, p.x0)] < 2:
                    own[-1] = _union(own[-1], p)
                else:
                    own.append(p)
            for j in following:  # wrapped lines: each piece joins the label it lies under
                for p in cut[j]:
                    overlaps = [min(b.x1, p.x1) - max(b.x0, p.x0) for b in own]
                    best = max(range(len(own)), key=lambda k: overlaps[k], default=None)
                    if best is not None and overlaps[best] > 0:
                        own[best] = _union(own[best], p)
                    else:
                        own.append(p)
            labels_of.append(sorted(own, key=lambda b: b.x0))
        label_columns = _clusters([b.x0 for boxes in labels_of for b in boxes], 1.0 * em)
        cells: list[_scan.Cell] = []
        for r, i in enumerate(rows):
            taken: set[int] = set()
            for box in labels_of[r]:
                c = _nearest(label_columns, box.x0)
                while c in taken and c + 1 < len(label_columns):
                    c += 1
                taken.add(c)
                cells.append(_scan.Cell(box=box, row=r, col=c, rowspan=1, colspan=1))
            placed: dict[int, _scan.Box] = {}
            for p in cut[i]:
                if p.x1 >= start:
                    c = _nearest(columns, (p.x0 + p.x1) / 2)
                    placed[c] = p if c not in placed else _union(placed[c], p)
            half = 0.6 * em
            for c, centre in enumerate(columns):
                found = placed.get(c)
                box = found or _scan.Box(
                    x0=round(centre - half), y0=lines[i].y0, x1=round(centre + half), y1=lines[i].y1
                )
                cell = _scan.Cell(box=box, row=r, col=len(label_columns) + c, rowspan=1, colspan=1, placed=bool(found))
                cells.append(cell)
        used.update(group)
        outer = _union(*(lines[i] for i in group))
        tables.append(
            _scan.Table(box=outer, cells=tuple(cells), n_rows=len(rows), n_cols=len(label_columns) + len(columns))
        )
    return tables, used


def _union(*boxes: _scan.Box) -> _scan.Box:
    return _scan.Box(
        x0=min(b.x0 for b in boxes),
        y0=min(b.y0 for b in boxes),
        x1=max(b.x1 for b in boxes),
        y1=max(b.y1 for b in boxes),
    )


def _read_page(raster: Raster, recogniser: Engine, prose: Prose) -> _PageText:
    """One page read (see the module text).  A page that reads as nonsense (the mean
    probability of its lines' characters below :data:`_UPSIDE_DOWN`) is read again turned
    half round, then (if still nonsense) a quarter either way, and the best reading kept."""
    best = _read_turned(raster, recogniser, prose, None)
    start = best.quarters
    for turn in (2, 1, 3):  # upside down; then the quarter turns the lines' direction did not tell
        if best.confidence >= _UPSIDE_DOWN:
            break
        again = _read_turned(raster, recogniser, prose, (start + turn) % 4)
        if again.confidence > best.confidence:
            best = again
    return best


def _read_turned(raster: Raster, recogniser: Engine, prose: Prose, quarters: int | None) -> _PageText:
    page = _scan.analyse(raster.image, raster.dpi, quarters=quarters)
    dpi = raster.dpi
    grey, ink = page.grey, page.ink
    height, width = grey.shape
    # -- the text lines of every cell
    cell_lines: list[tuple[int, int, list[_scan.Box]]] = []
    for t, table in enumerate(page.tables):
        for c, cell in enumerate(table.cells):
            cell_lines.append((t, c, _scan.text_lines(ink, cell.box, dpi)))
    # -- prose lines: the ink outside the tables
    outside = ink.copy()
    reach = round(2 * dpi / 72) + 2  # a ruling line's thickness and a little skew
    for table in page.tables:
        box = table.box
        outside[max(0, box.y0 - reach) : box.y1 + reach, max(0, box.x0 - reach) : box.x1 + reach] = 0
    found = _scan.text_lines(outside, _scan.Box(x0=0, y0=0, x1=width, y1=height), dpi)
    margin = 0.08 * height
    body = [b for b in found if b.y0 > margin and b.y1 < height - margin] or found
    em = statistics.median(b.height for b in body) if body else 16.0 * dpi / 72.0
    # the text block's margins: the tables' sides, and where most lines start and end
    lefts = sorted([b.x0 for b in body] + [t.box.x0 for t in page.tables])
    left = lefts[len(lefts) // 4] if lefts else 0
    rights = sorted([b.x1 for b in body] + [t.box.x1 for t in page.tables])
    right = rights[(3 * len(rights)) // 4] if rights else width
    dense = statistics.median(_density(outside, b) for b in body) if len(body) >= 5 else _DENSITY
    chosen: list[tuple[int, _scan.Box, bool]] = []
    skipped = 0
    prose_lines: list[_scan.Box] = []
    for box in found:
        narrow = box.width < 6 * em
        in_margin = box.y1 < margin or box.y0 > height - margin
        if in_margin and narrow:
            continue  # a page number or a running head
        prose_lines.append(box)
    tables = list(page.tables)
    aligned = not tables
    if aligned:  # tables printed without ruling lines: rows and columns from the words' places
        tables, used = _aligned_tables(outside, prose_lines, em)
        prose_lines = [box for i, box in enumerate(prose_lines) if i not in used]
        cell_lines = [
            (t, c, _scan.text_lines(ink, cell.box, dpi))
            for t, table in enumerate(tables)
            for c, cell in enumerate(table.cells)
        ]
    for i, box in enumerate(prose_lines):
        title = raster.page == 1 and box.height > 1.2 * em and box.y0 < height * 0.4
        # the first line of a paragraph (a heading is a paragraph of its own): so that every
        # paragraph, and every section, keeps its opening words
        starts = box.x0 > left + 0.8 * em or i == 0 or prose_lines[i - 1].x1 < right - 2 * em
        bold = _density(outside, box) > 1.35 * dense
        wanted = (
            prose == "all"
            or title
            or starts
            or bold
            or _digit_like(outside, box, min(em, box.height) if box.height < 1.3 * em else box.height)
        )
        if wanted:
            chosen.append((i, box, title))
        else:
            skipped += 1
    # -- recognition: labels and prose at LABEL_HEIGHT, figures again at FIGURE_HEIGHT
    crops = [_crop(grey, box) for _, _, boxes in cell_lines for box in boxes]
    crops += [_crop(grey, box) for _, box, _ in chosen]
    first = recogniser.recognise(crops, height=LABEL_HEIGHT, readings=False)
    again = [k for k, r in enumerate(first[: sum(len(b) for _, _, b in cell_lines)]) if _CJK_RE.search(r.text) is None]
    # short labels that are no official label, as read: once more at the model's own height
    k = 0
    for _, _, boxes in cell_lines:
        text = _join(r.text for r in first[k : k + len(boxes)])
        if _CJK_RE.search(text) and len(text) <= 12 and not is_official(text) and official_label(text) is None:
            again += range(k, k + len(boxes))
        k += len(boxes)
    second = recogniser.recognise([crops[k] for k in again], height=FIGURE_HEIGHT)
    results: list[Recognised] = list(first)
    for k, r in zip(again, second, strict=True):
        if r.readings or _CJK_RE.search(r.text):
            results[k] = r
    # -- cells
    k = 0
    labels: list[tuple[str, str]] = []
    texts: list[list[_CellText]] = [[] for _ in tables]
    for t, c, boxes in cell_lines:
        parts = results[k : k + len(boxes)]
        k += len(boxes)
        cell = tables[t].cells[c]
        text = _join(r.text for r in parts)
        readings: tuple[Reading, ...] = ()
        if not cell.placed or (aligned and not parts):
            # nothing seen (or nothing legible) where a row of a table without rules has a figure
            # in that column: printed empty, or a figure missed: never read as blank
            readings = (Reading(text=text, probability=0.0),)
        elif parts and _CJK_RE.search(text) is None:
            if text.strip() in PLACEHOLDER_GLYPHS:
                readings = (Reading(text=text.strip(), probability=round(min(r.confidence for r in parts), 6)),)
            elif all(r.readings for r in parts) and _cell_readings(parts)[1]:
                text, readings = _cell_readings(parts)
            else:  # ink that reads as no figure at all
                readings = (Reading(text=text, probability=0.0),)
        elif _CJK_RE.search(text):
            official = official_label(text)
            if official is not None:
                labels.append((text, official))
                text = official
        texts[t].append(
            _CellText(
                row=cell.row,
                col=cell.col,
                rowspan=cell.rowspan,
                colspan=cell.colspan,
                text=text,
                readings=readings,
            )
        )
    # -- prose
    lines: list[_TextLine] = []
    by_index = {i: (box, title) for i, box, title in chosen}
    for i, box in enumerate(prose_lines):
        read: str | None = None
        title = False
        if i in by_index:
            read = results[k].text.strip() or None
            k += 1
            title = by_index[i][1]
            official = official_label(read) if read and len(read) <= 40 and _CJK_RE.search(read) else None
            if read is not None and official is not None and _is_heading(official):
                labels.append((read, official))
                read = official
        lines.append(_TextLine(box=box, number=i + 1, text=read, title=title))
    return _PageText(
        number=raster.page,
        lines=tuple(lines),
        tables=tuple(_TableText(box=table.box, cells=tuple(cells)) for table, cells in zip(tables, texts, strict=True)),
        aligned=aligned and bool(tables),
        angle=page.angle,
        quarters=page.quarters,
        confidence=_mean_confidence(first),
        skipped=skipped,
        left=left,
        right=right,
        em=em,
        labels=tuple(labels),
    )


def _mean_confidence(results: Sequence[Recognised]) -> float:
    probabilities = [p for r in results for p in r.probabilities]
    return sum(probabilities) / len(probabilities) if probabilities else 1.0


def _is_heading(label: str) -> bool:
    return any(label in (s.label, *s.variants) for s in SECTIONS)


# ---------------------------------------------------------------------------------------
# The document
# ---------------------------------------------------------------------------------------


def _paragraphs(page: _PageText) -> list[tuple[int, Paragraph]]:
    """The page's recognised prose lines joined into paragraphs, with the top of each."""
    out: list[tuple[int, Paragraph]] = []
    current: list[_TextLine] = []

    def flush() -> None:
        if current:
            text = _join(line.text or "" for line in current)
            location = Location(page=page.number, line=current[0].number)
            out.append((current[0].box.y0, Paragraph(text=text, location=location)))
            current.clear()

    previous: _TextLine | None = None
    for line in page.lines:
        if line.text is None:
            flush()
            previous = None
            continue
        starts = (
            previous is None
            or line.title != previous.title
            or (not line.title and line.box.x0 > page.left + 0.8 * page.em)
            or (not line.title and previous.box.x1 < page.right - 2 * page.em)
        )
        if starts:
            flush()
        current.append(line)
        previous = line
    flush()
    return out


def _grid(page: _PageText, table: _TableText, number: int) -> Grid:
    rows: dict[int, list[_CellText]] = {}
    for cell in table.cells:
        rows.setdefault(cell.row, []).append(cell)
    cells = []
    for row, members in rows.items():
        for n, cell in enumerate(sorted(members, key=lambda c: c.col), start=1):
            location = Location(page=page.number, table=number, row=row + 1, cell=n)
            cells.append(
                GridCell(
                    row=cell.row,
                    col=cell.col,
                    text=cell.text,
                    rowspan=cell.rowspan,
                    colspan=cell.colspan,
                    location=location,
                    readings=cell.readings,
                )
            )
    cells.sort(key=lambda c: (c.row, c.col))
    return Grid.from_cells(cells, location=Location(page=page.number, table=number))


def document(pages: Sequence[_PageText], *, form: str, notes: Sequence[Diagnostic] = ()) -> Document:
    """The Document of the pages read, in page order, with what OCR did in diagnostics."""
    blocks: list[Block] = []
    number = 0
    for page in pages:
        items: list[tuple[int, Block]] = list(_paragraphs(page))
        for table in page.tables:
            number += 1
            items.append((table.box.y0, _grid(page, table, number)))
        items.sort(key=lambda item: item[0])
        blocks += [block for _, block in items]
    diagnostics = list(notes)
    turned = [p for p in pages if p.angle or p.quarters]
    if turned:
        shown = ", ".join(
            f"page {p.number} by {p.angle + 90 * p.quarters:+.2f}°"
            if p.quarters
            else f"page {p.number} by {p.angle:+.2f}°"
            for p in turned
        )
        diagnostics.append(
            Diagnostic(
                severity=Severity.INFO,
                code="ocr-deskew",
                message=f"straightened before reading: {shown}",
                location=Location(page=turned[0].number),
            )
        )
    labels = [pair for page in pages for pair in page.labels]
    if labels:
        shown = "; ".join(f"{a!r} as {b!r}" for a, b in labels[:8])
        more = f" … and {len(labels) - 8} more" if len(labels) > 8 else ""
        diagnostics.append(
            Diagnostic(
                severity=Severity.INFO,
                code="ocr-label",
                message=f"{len(labels)} label(s) recognised a character or two away from the official wording "
                f"were read as it: {shown}{more}",
                location=Location(page=next(p.number for p in pages if p.labels)),
            )
        )
    skipped = [p for p in pages if p.skipped]
    if skipped:
        total = sum(p.skipped for p in skipped)
        lines = sum(len(p.lines) for p in pages)
        diagnostics.append(
            Diagnostic(
                severity=Severity.INFO,
                code="ocr-prose-skipped",
                message=f"{total} of {lines} lines of prose were not recognised: they show no figure and start no "
                "paragraph (OCR reads the tables, the title, the first line of each paragraph and the lines with "
                "figures)",
                location=Location(page=skipped[0].number),
            )
        )
    aligned = [p for p in pages if p.aligned]
    if aligned:
        diagnostics.append(
            Diagnostic(
                severity=Severity.INFO,
                code="ocr-no-ruling",
                message="tables printed without ruling lines were read from the places of their words "
                f"(page(s) {', '.join(str(p.number) for p in aligned)})",
                location=Location(page=aligned[0].number),
            )
        )
    if not any(page.tables for page in pages):
        diagnostics.append(
            Diagnostic(
                severity=Severity.WARNING,
                code="ocr-no-tables",
                message="no table (ruled, or aligned without rules) was found on the scanned pages",
                location=Location(page=pages[0].number) if pages else Location(),
            )
        )
    return Document(
        blocks=tuple(blocks),
        form=form,
        diagnostics=tuple(diagnostics),
        soft_cells=False,
        tables_missing=not any(page.tables for page in pages),
    )


def read_rasters(
    rasters: Sequence[Raster],
    *,
    form: str = "image",
    notes: Sequence[Diagnostic] = (),
    prose: Prose = "needed",
    threads: int = 1,
) -> Document:
    """Read page rasters by OCR into a Document (see the module text); ``notes`` are the
    caller's diagnostics (how the pages were obtained), placed first after the ``ocr`` one."""
    recogniser = engine()
    used = Diagnostic(
        severity=Severity.INFO,
        code="ocr",
        message=f"read by OCR ({len(rasters)} page(s)) with {recogniser.version}",
        location=Location(page=rasters[0].page) if rasters else Location(),
    )
    if threads > 1 and len(rasters) > 1:
        with ThreadPoolExecutor(max_workers=min(threads, len(rasters))) as pool:
            pages = list(pool.map(lambda r: _read_page(r, recogniser, prose), rasters))
    else:
        pages = [_read_page(r, recogniser, prose) for r in rasters]
    return document(pages, form=form, notes=[used, *notes])
