"""Document → Report: the only code that turns Grids and Paragraphs into a Report.

Driven by :mod:`opengov.layout`: sections are found by their headings, the format by the
layout's marker labels, tables by the labels their grids hold, rows by the text of their
label cells (the last matching component of the label path, so grids with real spans,
flat grids from text and Markdown path labels all work), columns by header labels when a
header names them all and by position otherwise.  Everything repaired, guessed or not
placed becomes a :class:`~opengov._errors.Diagnostic` with its location.
"""

from __future__ import annotations

import collections
import functools
import operator
import re
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from opengov import layout
from opengov._alternatives import readings_by_key, resolve
from opengov._codec import CellReading, has_digit, is_value_text, read_cell
from opengov._errors import Diagnostic, Location, ParseError, Severity
from opengov._grid import Document, Grid, GridCell, Paragraph, lines_of
from opengov._model import (
    BLANK,
    TABLE2_TYPES,
    TABLE3_TYPES,
    AppealOutcomes,
    Appeals,
    ApplicantCounts,
    CellValue,
    Report,
)
from opengov._recover import TABLE4_FLAT
from opengov._recovery import GluedRow, recover_rows
from opengov._result import CellKey, ParseResult
from opengov.layout import Format, FormatLayout, Kind, normalize_label

__all__ = ["assemble"]

_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.)")
_ANNOTATION = re.compile(r"（[^（）]*）$")
_NON_WORD = re.compile(r"[\W_]+")
_FIELD_PREFIX = re.compile(r"^[^:：\s]{1,6}[:：]\s*")
_NUMERIC_ISH = re.compile(r"[\s0-9０-９+\-－,，.．万元件个项次条]*[0-9０-９][\s0-9０-９+\-－,，.．万元件个项次条]*")
_TABLE_SECTIONS = {s.key: s.table for s in layout.SECTIONS}
_PROSE_FIELDS = {"overview": "overview", "problems": "problems", "other_matters": "other_matters"}


@functools.lru_cache(maxsize=8192)
def _normalize(text: str) -> str:
    return normalize_label(text)


@functools.lru_cache(maxsize=8192)
def _loose(text: str) -> str:
    return _NON_WORD.sub("", _normalize(text))


@functools.lru_cache(maxsize=8192)
def _strip_ordinal(text: str) -> str:
    return _loose(_ORDINAL.sub("", _normalize(text)))


class _Index:
    """Label → key lookup: exact (punctuation-insensitive), then without the ordinal
    (``予以公开`` for ``（一）予以公开``), then without a trailing annotation in brackets."""

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        self.exact: dict[str, str] = {}
        stripped: dict[str, set[str]] = {}
        for label, key in pairs:
            self.exact.setdefault(_loose(label), key)
            stripped.setdefault(_strip_ordinal(label), set()).add(key)
        self.stripped = {k: next(iter(v)) for k, v in stripped.items() if len(v) == 1 and k}
        self.memo: dict[str, tuple[str, str | None] | None] = {}

    def match(self, text: str) -> tuple[str, str | None] | None:
        """``(key, annotation or None)``."""
        try:
            return self.memo[text]
        except KeyError:
            pass
        if len(self.memo) >= 1 << 14:
            self.memo.clear()
        found = self.memo[text] = self._match(text)
        return found

    def _match(self, text: str) -> tuple[str, str | None] | None:
        norm = _normalize(text)
        annotation = None
        while norm:
            key = self.exact.get(_loose(norm)) or self.stripped.get(_strip_ordinal(norm))
            if key is not None:
                return key, annotation
            found = _ANNOTATION.search(norm)
            if found is None or found.start() == 0:
                return None
            annotation = found.group() + (annotation or "")
            norm = norm[: found.start()]
        return None


@attrs.frozen
class _Vocab:
    t2_rows: _Index
    t2_captions: _Index
    t3_rows: _Index
    t3_groups: _Index
    t3_columns: _Index
    t4_blocks: _Index
    header_words: frozenset[str]
    votes: dict[str, tuple[str, ...]] = attrs.field(factory=dict, eq=False)
    """Memo of :meth:`vote`."""

    def vote(self, text: str) -> tuple[str, ...]:
        """The tables (``table2``…``table4``) a cell's text names a label of (none for a
        value or an empty cell): what :meth:`_Assembler.classify` counts."""
        found: tuple[str, ...] = ()
        if _long_figure(text):
            return found  # answered at once, not memoised
        if text.strip() and not is_value_text(text):
            last = text.split("/")[-1] if "/" in text else text
            if self.t2_rows.match(last) or self.t2_captions.match(last):
                found += ("table2",)
            if self.t3_rows.match(last) or self.t3_groups.match(last):
                found += ("table3",)
            if self.t4_blocks.match(last) or _loose(last) in _t4_words():
                found += ("table4",)
        if len(self.votes) >= 1 << 14:
            self.votes.clear()
        self.votes[text] = found
        return found


@functools.cache
def _t4_words() -> frozenset[str]:
    return frozenset(_loose(c.label) for c in layout.LAYOUT_2021.table4.columns[:4])


@functools.cache
def _vocab(fmt: Format) -> _Vocab:
    lay = layout.layout_for(fmt)
    t2, t3, t4 = lay.table2, lay.table3, lay.table4
    t3_cols = [(label, c.key) for c in t3.columns for label in (c.label, *c.variants)]
    t3_cols += [(label, t3.subtotal_column.key) for label in (t3.subtotal_column.label, *t3.subtotal_column.variants)]
    groups = [(label, b.key) for b in t3.blocks for label in (b.label, *b.variants)]
    groups += [(label, "outcomes") for label in (t3.outcomes_label, *t3.outcomes_variants)]
    words = {t2.header, t3.note, t3.applicant_header, t3.organisation_header, t4.reconsideration_label}
    words |= {t4.litigation_label}
    for block in t2.blocks:
        words |= {c.label for c in block.columns} | {c.short_label for c in block.columns if c.short_label}
    words |= {label for label, _ in t3_cols} | {label for label, _ in groups}
    words |= {b.label for b in t4.blocks} | {label for c in t4.columns for label in (c.label, *c.variants)}
    return _Vocab(
        t2_rows=_Index((label, r.key) for r in t2.rows for label in (r.label, *r.variants)),
        t2_captions=_Index((label, b.key) for b in t2.blocks for label in (b.label, *b.variants)),
        t3_rows=_Index((label, r.key) for r in t3.rows for label in (r.label, *r.variants)),
        t3_groups=_Index(groups),
        t3_columns=_Index(t3_cols),
        t4_blocks=_Index((label, b.key) for b in t4.blocks for label in (b.label, *b.variants)),
        header_words=frozenset(_loose(w) for w in words),
    )


# ---------------------------------------------------------------------------------------
# Rows of a grid
# ---------------------------------------------------------------------------------------


class _Row:
    """One grid row: label cells, value cells (the trailing cells that read as values),
    whether it is a header row, and where it starts."""

    __slots__ = ("_digits", "_has_digits", "_parts", "header", "labels", "location", "values")

    def __init__(
        self, labels: tuple[GridCell, ...], values: tuple[GridCell, ...], header: bool, location: Location | None
    ) -> None:
        self.labels = labels
        self.values = values
        self.header = header
        self.location = location
        self._parts: tuple[str, ...] | None = None
        self._digits: tuple[str, ...] | None = None
        self._has_digits: bool | None = None

    @property
    def parts(self) -> tuple[str, ...]:
        """The label texts, split at ``/`` path separators (computed once)."""
        found = self._parts
        if found is None:
            labels = self.labels
            if len(labels) == 1:
                text = labels[0].text
                found = _LABEL_PARTS.get(text) or _label_parts(text)
            else:
                found = ()
                for cell in labels:
                    found += _LABEL_PARTS.get(cell.text) or _label_parts(cell.text)
            self._parts = found
        return found

    @property
    def has_digits(self) -> bool:
        """Whether a value cell holds a digit (computed once; ``bool(digits)``)."""
        found = self._has_digits
        if found is None:
            known = _HAS_DIGIT.get  # the memo read inline: a miss (or False) asks _has_digit
            found = False
            for cell in self.values:
                if known(cell.text) or _has_digit(cell.text):
                    found = True
                    break
            self._has_digits = found
        return found

    @property
    def digits(self) -> tuple[str, ...]:
        """The value texts holding digits, stripped (computed once)."""
        if self._digits is None:
            known = _HAS_DIGIT.get  # the memo read inline: a miss (or False) asks _has_digit
            self._digits = tuple([c.text.strip() for c in self.values if known(c.text) or _has_digit(c.text)])
        return self._digits


def _long_figure(text: str) -> bool:
    """A plain ASCII figure of more than three digits: the assembler answers what it needs
    of one at once and does not memoise it (such figures seldom recur, and growing and
    clearing the memos costs more than the answer)."""
    return len(text) > 3 and text.isdigit() and text.isascii()


_LABEL_PARTS: dict[str, tuple[str, ...]] = {}
"""Memo of :func:`_label_parts` (label texts recur from report to report)."""


def _label_parts(text: str) -> tuple[str, ...]:
    """One label cell's text split at ``/`` path separators (a header word that holds a
    ``/`` is kept whole), each part stripped."""
    pieces = [p for p in text.split("/") if p.strip()] if "/" in text else [text]
    if "/" in text and _loose(text) in _all_header_words():
        pieces = [text]
    if len(_LABEL_PARTS) >= 1 << 14:
        _LABEL_PARTS.clear()
    found = _LABEL_PARTS[text] = tuple(p.strip() for p in pieces)
    return found


@functools.cache
def _all_header_words() -> frozenset[str]:
    return _vocab(Format.V2019).header_words | _vocab(Format.V2021).header_words


_CJK = re.compile(r"[\u3400-\u9fff]")


_HAS_DIGIT: dict[str, bool] = {}
"""Memo of :func:`has_digit` for value cells."""


def _has_digit(text: str) -> bool:
    found = _HAS_DIGIT.get(text)
    if found is None:
        if _long_figure(text):
            return True  # answered at once, not memoised
        if len(_HAS_DIGIT) >= 1 << 16:
            _HAS_DIGIT.clear()
        found = _HAS_DIGIT[text] = has_digit(text)
    return found


_COUNT_READINGS: dict[str, CellReading] = {}
"""Memo of ``read_cell(text, Kind.COUNT)`` for table 3 (a plain dict: one lookup, no
key tuple)."""


def _read_count(text: str) -> CellReading:
    if _long_figure(text):
        return read_cell.__wrapped__(text, Kind.COUNT)  # read without any memo
    if len(_COUNT_READINGS) >= 1 << 14:
        _COUNT_READINGS.clear()
    found = _COUNT_READINGS[text] = read_cell(text, Kind.COUNT)
    return found


_VALUE_SIDE: dict[str, bool] = {}
"""Memo of :func:`_value_side` (cell texts recur: labels, small numbers, placeholders)."""


def _value_side(text: str) -> bool:
    """Whether a cell belongs to a row's values: a cell state, or digits without words
    (``2648-18538``, ``22 738x``: unreadable values, reported as such)."""
    found = _VALUE_SIDE.get(text)
    if found is None:
        if _long_figure(text):
            return True  # answered at once, not memoised
        if len(_VALUE_SIDE) >= 1 << 16:
            _VALUE_SIDE.clear()
        found = _VALUE_SIDE[text] = bool(
            is_value_text(text) or _NUMERIC_ISH.fullmatch(text) or (has_digit(text) and _CJK.search(text) is None)
        )
    return found


_IS_HEADER = operator.attrgetter("header")
_TEXT = operator.attrgetter("text")


def _rows(grid: Grid) -> list[_Row]:
    """The grid's rows as :class:`_Row`: each line's trailing value-side cells are its
    values, its non-empty cells before them its labels."""
    known = _VALUE_SIDE.get  # the memo read inline: a miss (or False) asks _value_side
    headed = any(map(_IS_HEADER, grid.cells))  # text and box-drawn grids have no header cells
    rows: list[_Row] = []
    for cells in lines_of(grid):
        i = len(cells)
        while i > 0 and (known(cells[i - 1].text) or _value_side(cells[i - 1].text)):
            i -= 1
        labels = tuple([c for c in cells[:i] if c.text.strip()]) if i else ()
        header = headed and any(map(_IS_HEADER, cells))
        rows.append(_Row(labels, tuple(cells[i:]), header, cells[0].location if cells else None))
    return rows


# ---------------------------------------------------------------------------------------
# The assembler
# ---------------------------------------------------------------------------------------


class _Assembler:
    def __init__(self, document: Document) -> None:
        self.document = document
        # What the reader itself noticed (encoding chosen, spans clipped …) comes first.
        self.diagnostics: list[Diagnostic] = list(document.diagnostics)
        self.cells: dict[CellKey, CellValue | None] = {}
        self.locations: dict[CellKey, Location] = {}
        self.unreadable: set[tuple[str, str]] = set()
        self.placed_rows: set[tuple[str, str]] = set()
        # rows whose cell separators were lost, recovered together once every table is read
        self.glued: list[GluedRow] = []
        self.counts: dict[int, tuple[Grid, collections.Counter[str]]] = {}

    def diag(self, severity: Severity, code: str, message: str, location: Location | None) -> None:
        self.diagnostics.append(
            Diagnostic(severity=severity, code=code, message=message, location=location or Location())
        )

    # -- meta, sections and format ------------------------------------------------------

    def run(self) -> ParseResult:
        blocks = self.document.blocks
        title, organ, year, title_blocks = self.find_title()
        fmt = self.detect_format(year)
        lay = layout.layout_for(fmt)
        self.vocab = _vocab(fmt)
        prose: dict[str, list[str]] = {"preamble": [], "overview": [], "problems": [], "other_matters": []}
        grids: dict[str, list[tuple[Grid, str]]] = {"table2": [], "table3": [], "table4": []}
        section: str | None = None
        order = [s.key for s in layout.SECTIONS]
        caption = ""
        for n, block in enumerate(blocks):
            if isinstance(block, Paragraph):
                if n in title_blocks:
                    continue
                text = block.text.strip()
                if not text:
                    continue
                if block.page_number:
                    self.diag(Severity.INFO, "page-number", f"page-number line {text!r} skipped", block.location)
                    continue
                found = _section_heading(text, order.index(section) if section else -1)
                if found is not None:
                    section, rest = found
                    caption = ""
                    if not rest:
                        continue
                    text = rest
                if section is None:
                    prose["preamble"].append(text)
                elif section in _PROSE_FIELDS:
                    prose[_PROSE_FIELDS[section]].append(text)
                else:
                    caption = text
                    if has_digit(text):
                        self.diag(
                            Severity.INFO,
                            "ignored-text",
                            f"text between the tables of section {section} is not read: {_short(text)}",
                            block.location,
                        )
                continue
            table = self.classify(block, _TABLE_SECTIONS.get(section) if section else None)
            if table is None:
                digits = [c.text.strip() for c in block.cells if has_digit(c.text)]
                self.diag(
                    Severity.WARNING if digits else Severity.INFO,
                    "stray-table",
                    "a table that is none of tables 2–4 was not read"
                    + (f"; its numbers: {', '.join(digits[:20])}" if digits else ""),
                    block.location,
                )
                continue
            grids[table].append((block, caption))
            caption = ""
        table2 = self.table2(lay, grids["table2"]) if grids["table2"] else None
        table3 = self.table3(lay, grids["table3"]) if grids["table3"] else None
        table4 = self.table4(lay, grids["table4"]) if grids["table4"] else None
        for name, value in (("table2", table2), ("table3", table3), ("table4", table4)):
            if value is None:
                self.diag(Severity.ERROR, "missing-table", f"{name} ({_table_title(name)}) was not found", None)
        self.check_filled_in(grids)
        report = Report(
            format=fmt,
            organ=organ,
            year=year,
            title=title,
            preamble=tuple(prose["preamble"]),
            overview=tuple(prose["overview"]),
            problems=tuple(prose["problems"]),
            other_matters=tuple(prose["other_matters"]),
            table2=table2,
            table3=table3,
            table4=table4,
        )
        if self.glued:
            report = self.recover_glued(report, lay)
        report = self.resolve_readings(report, fmt)
        return ParseResult(
            report=report,
            diagnostics=tuple(self.diagnostics),
            locations=dict(self.locations),
            form=self.document.form,
        )

    def check_filled_in(self, grids: dict[str, list[tuple[Grid, str]]]) -> None:
        """One warning when tables were found and every cell read from them is blank:
        an unfilled form such as the official template, not a report."""
        for v in self.cells.values():
            if v is not None and v is not BLANK and v != BLANK:
                return  # a filled-in cell (the usual case: found at once)
        values = [v for v in self.cells.values() if v is not None]
        if not values:
            return
        first = next((grid for found in grids.values() for grid, _ in found), None)
        self.diag(
            Severity.WARNING,
            "empty-tables",
            f"every one of the {len(values)} data cells of the tables is blank: "
            "an unfilled form (the official template?), not a filled-in report",
            first.location if first is not None else None,
        )

    def find_title(self) -> tuple[str, str, int | None, frozenset[int]]:
        """``(title, organ, year, indices of the title's paragraphs)``: a title in either
        order (``<机关><YYYY>年度…报告``, ``<YYYY>年<机关>…报告``, ``<机关>…报告（<YYYY>年度）``),
        printed on one paragraph or two; the organ, when the title names none, from the
        signature or a sentence of the preamble."""
        blocks = self.document.blocks
        texts: list[str] = []
        for block in blocks[:12]:
            if not isinstance(block, Paragraph):
                break
            text = _FIELD_PREFIX.sub("", block.text.strip())
            if _section_heading(text, -1) is not None:
                break
            texts.append(text)
        for n, text in enumerate(texts):
            found = _read_title(text) if len(text) <= 120 else None
            used = [n]
            if found is None and n + 1 < len(texts) and len(text) <= 60 and len(texts[n + 1]) <= 60:
                found = _read_title(text + texts[n + 1])
                used = [n, n + 1]
            if found is None:
                continue
            organ, year = found
            if not organ and n > 0 and _organ_like(texts[n - 1]):
                organ = _squeeze(texts[n - 1])
                used.insert(0, n - 1)
            title = "".join(texts[i] for i in used)
            if not organ:
                organ = self.organ_from_text(title)
            return title, organ, year, frozenset(used)
        self.diag(Severity.WARNING, "missing-title", "no title line naming the organ and the year was found", None)
        return "", "", None, frozenset()

    def organ_from_text(self, title: str) -> str:
        """The organ named by the signature (a name line next to a date line at the end) or
        by a preamble or overview sentence, for a title that names none."""
        paragraphs = [b for b in self.document.blocks if isinstance(b, Paragraph)]
        tail = paragraphs[-8:]
        for i, block in enumerate(tail):
            near = [tail[j].text for j in (i - 1, i + 1) if 0 <= j < len(tail)]
            if _organ_like(block.text) and any(_DATE.search(t) for t in near):
                organ = _squeeze(block.text)
                self.diag(
                    Severity.INFO,
                    "organ-from-text",
                    f"the title {title!r} names no organ; {organ!r} taken from the signature",
                    block.location,
                )
                return organ
        for block in paragraphs[:30]:
            for pattern in _organ_sentences():
                match = pattern.search(block.text)
                if match and _organ_like(match["organ"]):
                    organ = _squeeze(match["organ"])
                    self.diag(
                        Severity.INFO,
                        "organ-from-text",
                        f"the title {title!r} names no organ; {organ!r} taken from the sentence {_short(block.text)}",
                        block.location,
                    )
                    return organ
        self.diag(Severity.WARNING, "missing-organ", f"the title {title!r} names no organ and no signature does", None)
        return ""

    def detect_format(self, year: int | None) -> Format:
        texts = [_loose(b.text) for b in self.document.paragraphs()]
        # A figure (ASCII digits) cannot hold a marker (none has a digit; tested), and no
        # marker spans two texts (none has a line break), so figures are left out.
        texts += [
            _loose(text)
            for g in self.document.grids()
            for text in self.text_counts(g)
            if not (text.isdigit() and text.isascii())
        ]
        blob = "\n".join(texts)
        hits = {
            lay.format: sum(1 for m in lay.markers if _loose(m) in blob)
            for lay in (layout.LAYOUT_2019, layout.LAYOUT_2021)
        }
        if year is not None and year < 2019:
            raise ParseError(
                [
                    Diagnostic(
                        severity=Severity.ERROR,
                        code="older-layout",
                        message=f"a {year} report uses an older layout (before the 2019 national format); "
                        "only the 2019 and 2021 formats can be read",
                    )
                ],
                "the document is an older annual report layout",
            )
        best = max(hits, key=lambda f: hits[f])
        if hits[best] == 0:
            has_tables = any(True for _ in self.document.grids()) or any(
                _loose(r.label) in blob for r in layout.LAYOUT_2021.table3.rows
            )
            # A page the reader found without tables (only headings, or tables as images)
            # is still the report it is titled: read its meta and prose, tables missing.
            no_tables = self.document.tables_missing
            if year is not None and (has_tables or no_tables):
                guess = Format.V2021 if year >= 2021 else Format.V2019
                self.diag(
                    Severity.WARNING,
                    "format-guessed",
                    f"no label marks the format; the {guess} format was taken from the year {year}",
                    None,
                )
                return guess
            if year is not None and not has_tables:
                raise ParseError(
                    [
                        Diagnostic(
                            severity=Severity.ERROR,
                            code="older-layout" if year < 2019 else "unknown-format",
                            message="no table label of the 2019 or 2021 format was found: "
                            "the document is not an annual report in a national format (an older layout?)",
                        )
                    ]
                )
            raise ParseError(
                [
                    *self.document.diagnostics,
                    Diagnostic(
                        severity=Severity.ERROR,
                        code="unknown-format",
                        message="no label of the 2019 or 2021 format and no report year were found: "
                        "this is not a 政府信息公开工作年度报告 in a national format",
                    ),
                ]
            )
        other = Format.V2019 if best is Format.V2021 else Format.V2021
        if hits[other]:
            self.diag(
                Severity.WARNING,
                "mixed-format",
                f"labels of both formats found ({hits[best]} of {best}, {hits[other]} of {other}); read as {best}",
                None,
            )
        return best

    def text_counts(self, grid: Grid) -> collections.Counter[str]:
        """How often each text occurs in the grid's cells (counted in C, once per grid):
        format detection and classification look at each distinct text once."""
        found = self.counts.get(id(grid))
        if found is None or found[0] is not grid:
            found = self.counts[id(grid)] = (grid, collections.Counter(map(_TEXT, grid.cells)))
        return found[1]

    def classify(self, grid: Grid, by_section: str | None) -> str | None:
        scores = {"table2": 0, "table3": 0, "table4": 0}
        votes = self.vocab.votes
        # each distinct text voted once, weighted by how often it occurs
        for text, times in self.text_counts(grid).items():
            found = votes.get(text)
            if found is None:
                found = self.vocab.vote(text)
            for table in found:
                scores[table] += times
        best = max(scores, key=lambda k: scores[k])
        if scores[best] == 0:
            return by_section
        return best

    # -- shared row logic ---------------------------------------------------------------

    def take_values(
        self, row: _Row, n: int, what: str, recover_as: tuple[str, str] | None = None
    ) -> list[GridCell] | None:
        """Exactly ``n`` value cells of a row, or None with a diagnostic.

        With ``recover_as`` (``(table, row key)``), fewer cells than ``n`` with figures (one
        cell, or several split at white space in text or PDF) are a row whose separators were
        lost: it is kept for :meth:`recover_glued` (which reports it) and None is returned.
        """
        values = list(row.values)
        while len(values) > n and not values[0].text.strip():
            values.pop(0)
        if len(values) == n:
            return values
        loc = values[0].location if values else row.location
        # cells split at white space (text, PDF words) may have lost separators between them;
        # cells of a markup table (HTML, Markdown) are real cells, so only one run is cut
        soft = self.document.soft_cells
        glued = 0 < len(values) < n and (soft or len(values) == 1)
        if recover_as is not None and glued and any(has_digit(c.text) for c in values):
            raw = " ".join(c.text.strip() for c in values if c.text.strip())
            table, key = recover_as
            if any((g.table, g.key) == recover_as for g in self.glued):
                self.diag(Severity.WARNING, "duplicate-row", f"{what} printed twice; the first kept", loc)
            else:
                self.glued.append(GluedRow(table=table, key=key, raw=raw, location=loc, what=what))
            return None
        shown = ", ".join(repr(c.text.strip()) for c in values)
        self.diag(
            Severity.ERROR,
            "unreadable-row" if len(values) < n else "wrong-cell-count",
            f"{what}: expected {n} cells, found {len(values)}" + (f" ({shown})" if values else ""),
            loc,
        )
        return None

    def place(self, key: CellKey, cell: GridCell, kind: Kind, table: str, row_label: str, column_label: str) -> None:
        """Read a cell into ``key`` (the first reading kept); a repair note becomes a
        diagnostic naming ``{table} {row label}/{column label}``."""
        reading = read_cell(cell.text, kind)
        if reading.note is not None:
            severity, code, message = reading.note
            self.diag(severity, code, f"{table} {row_label}/{column_label}: {message}", cell.location)
        if key in self.cells:
            return
        self.placed_rows.add((key[0], key[1]))
        self.cells[key] = reading.value
        if cell.location is not None:
            self.locations[key] = cell.location

    def recover_glued(self, report: Report, lay: FormatLayout) -> Report:
        """Recover every separator-lost row in one call (see :mod:`opengov._recovery`) and
        fill the cells read; the table 3 rows read as printed constrain the identities."""
        glued = {(g.table, g.key) for g in self.glued}
        known: dict[tuple[str, str], list[CellValue | None]] = {}
        for row3 in lay.table3.rows:
            values = [self.cells.get(("table3", row3.key, c.key)) for c in lay.table3.columns]
            if ("table3", row3.key) not in glued and all(v is not None for v in values):
                known[("table3", row3.key)] = values
        cells, diagnostics = recover_rows(lay.format, self.glued, known)
        self.diagnostics.extend(diagnostics)
        for key, (value, location) in cells.items():
            if key in self.cells:
                continue
            self.cells[key] = value
            self.placed_rows.add((key[0], key[1]))
            if location is not None:
                self.locations[key] = location
            report = report.with_cell(*key, value)
        return report

    def resolve_readings(self, report: Report, fmt: Format) -> Report:
        """Cells read by OCR carry the recogniser's readings: hold them against the
        identities once every cell is placed (:mod:`opengov._alternatives`); a refused cell
        is left absent, a recovered one takes the reading the identities single out."""
        readings = readings_by_key(self.document, self.locations)
        if not readings:
            return report
        resolution = resolve(fmt, self.cells, readings, self.locations)
        self.diagnostics.extend(resolution.diagnostics)
        for key, value in resolution.cells.items():
            self.cells[key] = value
            report = report.with_cell(*key, value)
        return report

    def other_row(self, row: _Row, table: str) -> None:
        """A row that is not a data row: a header, a group label, a subtotal or unknown."""
        comps = row.parts
        digits = row.digits
        if not digits:
            unknown = [c for c in comps if _loose(c) not in self.vocab.header_words and not self.known_any(c)]
            if unknown and not row.header:
                self.diag(
                    Severity.WARNING,
                    "unknown-label",
                    f"{_table_title(table)}: unknown label {unknown[0]!r}",
                    row.location,
                )
            elif not comps and row.values and not row.header:
                self.diag(
                    Severity.INFO, "ignored-row", f"{_table_title(table)}: a row without numbers skipped", row.location
                )
            return
        label = "/".join(comps)
        if any(self.vocab.t3_groups.match(c) for c in comps) or any(_is_subtotal(c) for c in comps):
            self.diag(
                Severity.INFO,
                "subtotal-row",
                f"{_table_title(table)}: subtotal row {label!r} read and not stored (its total is computed): "
                + ", ".join(digits),
                row.location,
            )
            return
        self.diag(
            Severity.ERROR,
            "unknown-row",
            f"{_table_title(table)}: unknown row {label or '(no label)'!r}; its numbers not placed: "
            + ", ".join(digits),
            row.location,
        )

    def known_any(self, text: str) -> bool:
        v = self.vocab
        return any(
            index.match(text) is not None
            for index in (v.t2_rows, v.t2_captions, v.t3_rows, v.t3_groups, v.t3_columns, v.t4_blocks)
        )

    def match_row(self, row: _Row, index: _Index, table: str) -> str | None:
        comps = row.parts
        if not row.has_digits and all(_loose(c) in self.vocab.header_words for c in comps):
            return None  # a header row such as 商业企业 … 其他 followed by an empty cell
        memo = index.memo
        for k in range(1, len(comps) + 1):
            text = comps[-1] if k == 1 else "".join(comps[-k:])
            found = memo[text] if text in memo else index.match(text)
            if found is not None:
                key, annotation = found
                if annotation:
                    self.diag(
                        Severity.INFO,
                        "label-annotation",
                        f"{_table_title(table)}: label annotation {annotation} ignored (its digits are not data)",
                        row.labels[-1].location if row.labels else row.location,
                    )
                return key
        return None

    # -- table 2 ------------------------------------------------------------------------

    def table2(self, lay: FormatLayout, grids: list[tuple[Grid, str]]) -> Any:
        t2 = lay.table2
        header: Sequence[str] = ()
        header_cells: list[GridCell] = []
        header_label = _loose(t2.header)
        for grid, _caption in grids:
            for row in _rows(grid):
                comps = row.parts
                if comps and _loose(comps[0]) == header_label:
                    header = comps[1:]
                    header_cells = [c for c in (*row.labels, *row.values) if c.text.strip()][1:]
                    continue
                key = self.match_row(row, self.vocab.t2_rows, "table2") if row.values else None
                if key is None:
                    if not (row.values or comps) or any(self.vocab.t2_captions.match(c) for c in comps):
                        header = ()
                        header_cells = []
                        continue
                    self.other_row(row, "table2")
                    continue
                columns = t2.columns_of(key)
                label = t2.row(key).label
                if ("table2", key) in self.placed_rows:
                    self.diag(
                        Severity.WARNING,
                        "duplicate-row",
                        f"table2 row {label!r} printed twice; the first kept",
                        row.location,
                    )
                    continue
                values = self.table2_by_position(row, header_cells, len(columns), label)
                if values is None:
                    values = self.take_values(row, len(columns), f"table2 row {label!r}", ("table2", key))
                if values is None:
                    self.unreadable.add(("table2", key))
                    continue
                order = _header_order_memo(header, columns) or list(columns)
                for column, cell in zip(order, values, strict=True):
                    self.place(("table2", key, column.key), cell, column.kind, "table2", label, column.label)
        return self.build_table2(lay)

    def table2_by_position(self, row: _Row, header_cells: list[GridCell], n: int, label: str) -> list[GridCell] | None:
        """A row whose distinct cells do not pair one to one with its block's header:
        the cell under the first grid column of each header cell, with a diagnostic
        naming the cells left unread; None when the distinct cells pair (the normal
        reading: spans misaligned between header and data rows are read by order) or
        when no header of the layout's width is there to align with."""
        if len(header_cells) != n or not row.values:
            return None  # (popping empty cells below leaves n >= 1 of them)
        values = list(row.values)
        while len(values) > n and not values[0].text.strip():
            values.pop(0)
        if len(values) == n:
            return None
        taken: list[GridCell] = []
        for head in header_cells:
            under = next((v for v in row.values if v.col <= head.col < v.col + v.colspan), None)
            if under is None:
                return None
            taken.append(under)
        if len({id(c) for c in taken}) != n:
            return None
        left = [c for c in values if all(c is not t for t in taken)]
        unread = [c.text.strip() for c in left if c.text.strip()]
        self.diag(
            Severity.WARNING if unread else Severity.INFO,
            "table2-by-position",
            f"table2 row {label!r}: its {len(values)} cells do not pair with the {n} header cells; "
            "read by column position under each header"
            + (f"; not read: {', '.join(repr(t) for t in unread)}" if unread else " (the cells left over are empty)"),
            values[0].location or row.location,
        )
        return taken

    def build_table2(self, lay: FormatLayout) -> Any:
        cells = self.cells
        kwargs: dict[str, Any] = {}
        for row_key, row_label, column_keys, single, record_type in _table2_plan(lay.format):
            present = False
            for column in column_keys:
                if ("table2", row_key, column) in cells:
                    present = True
                    break
            if not present and ("table2", row_key) not in self.unreadable:
                self.diag(
                    Severity.ERROR, "missing-row", f"table2 row {row_label!r} was not found; its cells are absent", None
                )
            if single is not None:
                kwargs[row_key] = cells.get(("table2", row_key, single))
            else:
                kwargs[row_key] = record_type(**{c: cells.get(("table2", row_key, c)) for c in column_keys})
        return TABLE2_TYPES[lay.format](**kwargs)

    # -- table 3 ------------------------------------------------------------------------

    def table3(self, lay: FormatLayout, grids: list[tuple[Grid, str]]) -> Any:
        t3 = lay.table3
        column_labels = {c.key: c.label for c in (*t3.columns, t3.subtotal_column)}
        all_rows = [row for grid, _ in grids for row in _rows(grid)]
        order = self.table3_columns(t3, all_rows)
        n = len(order)
        subtotal_values: list[str] = []
        subtotal_loc: Location | None = None
        subtotal_key = t3.subtotal_column.key
        cells, locations, placed_rows = self.cells, self.locations, self.placed_rows
        column_keys = [c.key for c in t3.columns]
        empty = dict.fromkeys(column_keys)
        # each row's record fields, filled as its cells are placed (the first reading kept)
        records: dict[str, dict[str, CellValue | None]] = {}
        t3_rows = self.vocab.t3_rows
        known_counts = _COUNT_READINGS.get  # read_cell(text, Kind.COUNT), memo read inline
        for row in all_rows:
            key = self.match_row(row, t3_rows, "table3") if row.values else None
            if key is None:
                if row.header and not row.has_digits:
                    continue  # a header row (a data row's label cell may be a header cell too)
                self.other_row(row, "table3")
                continue
            label = t3.row(key).label
            if ("table3", key) in placed_rows:
                self.diag(
                    Severity.WARNING,
                    "duplicate-row",
                    f"table3 row {label!r} printed twice; the first kept",
                    row.location,
                )
                continue
            values: tuple[GridCell, ...] | list[GridCell] = row.values
            if len(values) != n:  # take_values' usual case (exactly n cells) done inline
                taken = self.take_values(row, n, f"table3 row {label!r}", ("table3", key))
                if taken is None:
                    self.unreadable.add(("table3", key))
                    continue
                values = taken
            # :meth:`place` inlined (about 200 cells per report)
            record = records.get(key)
            placed = False
            for column, cell in zip(order, values, strict=True):
                if column == subtotal_key:
                    subtotal_values.append(f"{label}={cell.text.strip()}")
                    subtotal_loc = subtotal_loc or cell.location
                    continue
                reading = known_counts(cell.text) or _read_count(cell.text)
                if reading.note is not None:
                    severity, code, message = reading.note
                    self.diag(severity, code, f"table3 {label}/{column_labels[column]}: {message}", cell.location)
                cell_key = ("table3", key, column)
                if cell_key in cells:
                    continue
                placed = True
                cells[cell_key] = value = reading.value
                if record is None:
                    record = records[key] = empty.copy()
                record[column] = value
                if cell.location is not None:
                    locations[cell_key] = cell.location
            if placed:
                placed_rows.add(("table3", key))
        if subtotal_values:
            self.diag(
                Severity.INFO,
                "subtotal-column",
                f"table3 has an extra {t3.subtotal_column.label} subtotal column, read and not stored: "
                + "; ".join(subtotal_values),
                subtotal_loc,
            )
        kwargs: dict[str, ApplicantCounts] = {}
        for row3 in t3.rows:
            record = records.get(row3.key)
            if record is None:
                if ("table3", row3.key) not in self.unreadable:
                    self.diag(
                        Severity.ERROR,
                        "missing-row",
                        f"table3 row {row3.label!r} was not found; its cells are absent",
                        None,
                    )
                record = empty
            kwargs[row3.key] = ApplicantCounts(**record)
        return TABLE3_TYPES[lay.format](**kwargs)

    def table3_columns(self, t3: layout.Table3Layout, rows: list[_Row]) -> list[str]:
        """The column keys of the value cells, from a header row that names them all, or
        the canonical seven (eight, with the subtotal after 其他, when rows hold eight)."""
        canonical = [c.key for c in t3.columns]
        for row in rows:
            if row.has_digits:
                continue
            keys: list[str] = []
            for cell in (*row.labels, *row.values):
                text = cell.text.split("/")[-1] if "/" in cell.text else cell.text
                found = self.vocab.t3_columns.match(text) if text.strip() else None
                if found is not None and found[0] not in keys:
                    keys.append(found[0])
            if set(canonical) <= set(keys):
                return keys
        counts = [len(r.values) for r in rows if r.labels and r.has_digits]
        if counts and max(set(counts), key=counts.count) == len(canonical) + 1:
            return [*canonical[:-1], t3.subtotal_column.key, canonical[-1]]
        return canonical

    # -- table 4 ------------------------------------------------------------------------

    def table4(self, lay: FormatLayout, grids: list[tuple[Grid, str]]) -> Appeals:
        t4 = lay.table4
        blocks = [b.key for b in t4.blocks]
        n = len(t4.columns)
        filled: list[str] = []
        for grid, caption in grids:
            hint = _block_hint(caption, t4)
            header_hint = None
            for row in _rows(grid):
                if not row.has_digits and len(row.values) not in (n, n * len(blocks)):
                    if row.labels and not row.values:
                        header_hint = _block_hint("".join(row.parts), t4) or header_hint
                    if not row.labels and not row.values:
                        continue
                    self.other_row(row, "table4") if row.labels and not row.header else None
                    continue
                if row.header:
                    continue
                values = list(row.values)
                row_hint = None
                for comp in row.parts:
                    found = self.vocab.t4_blocks.match(comp)
                    if found:
                        row_hint = found[0]
                total = n * len(blocks)
                # one glued run of 15+ digits not labelled as one block: all three blocks
                comps = row.parts
                labelled = bool(comps) and self.vocab.t4_blocks.match(comps[-1]) is not None
                digits = sum(map(str.isdigit, values[0].text)) if len(values) == 1 else 0
                glued_all = not labelled and digits >= total
                want = total if len(values) > n or glued_all else n
                glued = TABLE4_FLAT if want == total else (row_hint or hint or header_hint)
                glued = glued or next((b for b in blocks if b not in filled), None)
                taken = self.take_values(row, want, "table4 row", ("table4", glued) if glued else None)
                if taken is None:
                    if glued is not None and any(g.table == "table4" and g.key == glued for g in self.glued):
                        filled.extend(b for b in (blocks if glued == TABLE4_FLAT else [glued]) if b not in filled)
                    self.unreadable.update(("table4", b) for b in blocks if b not in filled)
                    continue
                if want == total:
                    targets = blocks
                else:
                    block = row_hint or hint or header_hint or next((b for b in blocks if b not in filled), None)
                    if block is None:
                        self.diag(
                            Severity.ERROR,
                            "unknown-row",
                            "table4: more rows than blocks; numbers not placed: " + ", ".join(row.digits),
                            row.location,
                        )
                        continue
                    targets = [block]
                for b_index, block in enumerate(targets):
                    if block in filled:
                        self.diag(
                            Severity.WARNING,
                            "duplicate-row",
                            f"table4 block {block} printed twice; the first kept",
                            row.location,
                        )
                        continue
                    filled.append(block)
                    label = t4.block(block).label
                    for c_index, column in enumerate(t4.columns):
                        cell = taken[b_index * n + c_index]
                        self.place(("table4", block, column.key), cell, Kind.COUNT, "table4", label, column.label)
        kwargs: dict[str, AppealOutcomes] = {}
        for block4 in t4.blocks:
            if block4.key not in filled and ("table4", block4.key) not in self.unreadable:
                self.diag(
                    Severity.ERROR,
                    "missing-row",
                    f"table4 block {block4.label!r} was not found; its cells are absent",
                    None,
                )
            kwargs[block4.key] = AppealOutcomes(
                **{c.key: self.cells.get(("table4", block4.key, c.key)) for c in t4.columns}
            )
        return Appeals(**kwargs)


@functools.cache
def _table2_plan(fmt: Format) -> tuple[tuple[str, str, tuple[str, ...], str | None, Any], ...]:
    """Per table 2 row of the format: ``(row key, label, its column keys, the column of a
    row held directly as one cell or None, the record type otherwise)``."""
    t2 = layout.layout_for(fmt).table2
    cls = TABLE2_TYPES[fmt]
    attrs.resolve_types(cls)
    fields = attrs.fields_dict(cls)
    plan = []
    for row in t2.rows:
        field = fields[row.key]
        single = field.metadata.get("column")
        plan.append((row.key, row.label, tuple(c.key for c in t2.columns_of(row.key)), single, field.type))
    return tuple(plan)


_HEADER_ORDERS: dict[tuple[tuple[str, ...], int], tuple[tuple[layout.Column, ...], list[layout.Column] | None]] = {}
"""Memo of :func:`_header_order` (the columns tuple is kept so its id is not reused)."""


def _header_order_memo(header: Sequence[str], columns: tuple[layout.Column, ...]) -> list[layout.Column] | None:
    key = (tuple(header), id(columns))
    found = _HEADER_ORDERS.get(key)
    if found is None or found[0] is not columns:
        if len(_HEADER_ORDERS) >= 1 << 12:
            _HEADER_ORDERS.clear()
        found = _HEADER_ORDERS[key] = (columns, _header_order(header, columns))
    return found[1]


def _block_hint(text: str, t4: layout.Table4Layout) -> str | None:
    loose = _loose(text)
    if not loose:
        return None
    for block in sorted(t4.blocks, key=lambda b: -len(b.label)):
        if _loose(block.label) in loose:
            return block.key
    return None


def _header_order(header: Sequence[str], columns: tuple[layout.Column, ...]) -> list[layout.Column] | None:
    if len(header) != len(columns):
        return None
    result = []
    for text in header:
        loose = _loose(text)
        found = [
            c
            for c in columns
            if loose in {_loose(c.label), *(_loose(v) for v in c.variants), _loose(c.short_label or c.label)}
        ]
        if len(found) != 1:
            return None
        result.append(found[0])
    return result if len({c.key for c in result}) == len(columns) else None


def _is_subtotal(text: str) -> bool:
    return _loose(text) in {"小计", "合计"}


def _short(text: str, limit: int = 40) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "…")


def _table_title(table: str) -> str:
    return next((s.label for s in layout.SECTIONS if s.table == table), table)


@functools.cache
def _section_labels() -> tuple[tuple[str, str, str], ...]:
    """``(normalised label, section key, printed label)`` longest first."""
    pairs = [(_normalize(label), s.key, label) for s in layout.SECTIONS for label in (s.label, *s.variants)]
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


def _section_heading(text: str, current: int) -> tuple[str, str] | None:
    """``(section key, text after the heading)`` when the paragraph starts with a heading."""
    stripped = text.strip()
    norm = _normalize(stripped)
    for nl, key, label in _section_labels():
        if norm.startswith(nl):
            rest = stripped[len(label) :].strip() if stripped.startswith(label) else ""
            if not stripped.startswith(label) and len(norm) > len(nl) + 2:
                rest = ""
            return key, rest
    # A short heading worded differently, numbered as a later section.
    if len(norm) <= 40:
        for index, section in enumerate(layout.SECTIONS):
            if index <= current or not norm.startswith(section.number):
                continue
            body = set(_loose(section.label)[1:])
            mine = set(_loose(norm)[1:])
            if body and mine and len(body & mine) / len(body | mine) >= 0.6:
                return section.key, ""
    return None


# ---------------------------------------------------------------------------------------
# Titles and organs
# ---------------------------------------------------------------------------------------

_DATE = re.compile(r"(?:19|20)\d\d\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|(?:19|20)\d\d[-./]\d{1,2}[-./]\d{1,2}")
_STOPS = "，。；：:,;、！？!?|>《》"


def _spaced(word: str) -> str:
    """A pattern for ``word`` with white space allowed between its characters (PDFs)."""
    return r"\s*".join(re.escape(ch) for ch in word)


@functools.cache
def _title_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    year = r"(?P<year>(?:19|20)\d\d)\s*年\s*(?:度\s*)?"
    endings = "|".join(_spaced(e) for e in layout.REPORT_TITLE_ENDINGS)
    suffix = rf"{_spaced(layout.REPORT_TITLE_CORE)}[^{_STOPS}]{{0,12}}?(?:{endings})"
    before = rf"^[\s《“\"]*(?P<pre>[^{_STOPS}]*?)\s*{year}(?P<post>[^{_STOPS}]*?)\s*{suffix}"
    after = rf"^[\s《“\"]*(?P<pre>[^{_STOPS}]*?)\s*{suffix}\s*[（(]\s*{year}[）)]"
    return re.compile(before), re.compile(after)


def _read_title(text: str) -> tuple[str, int] | None:
    """``(organ, year)`` of a title line (organ ``""`` when it names none), or None."""
    for pattern in _title_patterns():
        match = pattern.match(text)
        if match is not None:
            groups = match.groupdict()
            organ = _squeeze(groups["pre"] + (groups.get("post") or ""))
            return organ, int(match["year"])
    return None


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


_ALIAS = re.compile(r"[（(][^（）()]*[）)]$")


def _organ_like(text: str) -> bool:
    """Whether a whole line or phrase reads as an organ's name (no digits or sentence
    punctuation, ends like one)."""
    name = _squeeze(text)
    if not 2 <= len(name) <= 40 or has_digit(name) or any(ch in _STOPS for ch in name):
        return False
    bare = _ALIAS.sub("", name)
    return len(bare) >= 2 and bare.endswith(layout.ORGAN_NAME_ENDINGS)


@functools.cache
def _organ_sentences() -> tuple[re.Pattern[str], ...]:
    words = "|".join(re.escape(w) for w in layout.ORGAN_SENTENCE_WORDS)
    authors = "|".join(re.escape(w) for w in layout.ORGAN_AUTHOR_WORDS)
    return (
        re.compile(rf"由\s*(?P<organ>[^{_STOPS}由\s]{{2,40}}?)\s*(?:负责|组织|牵头)?\s*(?:{authors})"),
        re.compile(rf"^\s*(?:(?:19|20)\d\d\s*年度?\s*[，,]?\s*)?(?P<organ>[^{_STOPS}\s]{{2,40}}?)(?:{words})"),
    )


def assemble(document: Document) -> ParseResult:
    """Turn a read document into a report, with diagnostics and cell locations.

    Raises :class:`~opengov._errors.ParseError` when no report can be made at all (an
    older layout, or no label of either national format).
    """
    return _Assembler(document).run()
