"""The one locator of labels in one-line text (crawler text: a whole report on one line).

:func:`cut_line` cuts such a line at its section headings and, inside the table sections,
before every printed label of tables 2–4 of either format; :func:`find_rows` names the row
labels among those pieces for one format and cuts each row's figures.  Both read the same
scan, so the text reader (which cuts lines before it knows the format) and the recovery of
glued rows cannot disagree about where a label is.

Labels are matched tolerantly, exactly as :func:`opengov.layout.normalize_label` folds them:
white space anywhere inside a label (``二、上年结转政府信息公开 申请数量``, ``法律服务 机构``),
full-width and half-width forms (``(一)``/``（一）``, ``１``/``1``), compatibility forms (⼀ for 一),
``1、``/``1．``/``1,`` for ``1.``, and curly or straight quotes.  At each place the longest label
that matches wins; a label is only ever matched whole, so a row is never taken for another.
The scan is one regular expression per kind (a trie of the labels, each branch starting with
a literal so the regular-expression engine skips to candidate characters in C).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Literal

import attrs

from opengov.layout import LAYOUT_2019, LAYOUT_2021, SECTIONS, Format, layout_for, normalize_label

from ._plan import TABLE4_FLAT

__all__ = ["Piece", "RowText", "cut_line", "find_rows", "split_rows"]


@attrs.frozen(kw_only=True)
class Piece:
    """One piece of a one-line text, in order (blank stretches between pieces are dropped).

    * ``"heading"`` — a section heading (``section`` is its key);
    * ``"label"`` — a label of tables 2–4 printed in a table section and everything after it
      up to the next label or heading: ``text[start:label_end]`` is the label (with a
      parenthesised note printed right after it, ``（须与2022年度年报结转数一致）``, whose
      digits are not data; a parenthesis that starts a label, ``（一）予以公开``, is no
      note), ``text[label_end:end]`` what follows (a row's figures);
    * ``"text"`` — anything else (prose before the first heading, the body of a section
      without a table, text before the first label of a table section).

    ``label`` is the matched label in its normalised form (:func:`normalize_label`), ``""``
    for text; ``section`` the key of the section the piece is in (None before the first
    heading).
    """

    kind: Literal["heading", "label", "text"]
    start: int
    end: int
    label_end: int
    label: str = ""
    section: str | None = None


@attrs.frozen(kw_only=True)
class RowText:
    """A row found in one-line text: its key, the raw text after its label, and offsets.

    ``start``/``end`` delimit ``raw`` in the text given; ``label_start`` is where the label
    began; ``annotation`` is a parenthesised note printed right after the label (e.g.
    ``（须与2022年度年报结转数一致）``) that was cut off the raw text — its digits are not data.
    """

    table: str
    key: str
    raw: str
    start: int
    end: int
    label_start: int
    annotation: str = ""


# ---------------------------------------------------------------------------------------
# Tolerant label patterns
# ---------------------------------------------------------------------------------------

_ITEM_FORMS = "、．，,"
"""Printed forms of the ``.`` of an item number (``1、``), which :func:`normalize_label` folds
only there (elsewhere ``、`` and ``，`` are themselves)."""

_QUOTES = "\"'“”‘’＂＇"
"""Quotes: a label's quote marks match any of them (straight, curly, full-width)."""

_RANGES = ((0x21, 0x7E), (0x2E80, 0x2FDF), (0x3000, 0x303F), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF))
"""Characters that may print a label's character differently: ASCII, CJK radicals and
compatibility forms, CJK punctuation, full-width forms."""


@functools.cache
def _printed_forms() -> dict[str, str]:
    """Normalised character → the characters :func:`normalize_label` folds to it."""
    forms: dict[str, str] = {}
    for low, high in _RANGES:
        for code in range(low, high + 1):
            ch = chr(code)
            folded = normalize_label(ch)
            if len(folded) == 1 and folded != ch:
                forms[folded] = forms.get(folded, "") + ch
    return forms


def _forms(ch: str) -> str:
    """Every printed form of the normalised character ``ch``, itself first."""
    if ch in "\"'":
        return _QUOTES
    extra = _ITEM_FORMS if ch == "." else ""
    return "".join(dict.fromkeys(ch + _printed_forms().get(ch, "") + extra))


@functools.lru_cache(maxsize=4096)
def canonical(printed: str) -> str:
    """The normalised form of a matched label (what the tries were built from):
    :func:`normalize_label`, with every quote mark as ``"``."""
    return normalize_label(printed).replace("'", '"')


def _class(ch: str) -> str:
    forms = _forms(ch)
    return re.escape(forms) if len(forms) == 1 else "[" + "".join(re.escape(f) for f in forms) + "]"


def _trie_pattern(labels: Iterable[str]) -> re.Pattern[str]:
    """One pattern matching any of ``labels`` (normalised), longest first at each place,
    white space allowed between characters.  Each top branch starts with one literal
    character, so the engine scans for the set of first characters in C."""
    root: dict[str, dict] = {}  # type: ignore[type-arg]
    for label in labels:
        node = root
        for ch in label:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:  # type: ignore[type-arg]
        branches = [r"\s*" + _class(ch) + emit(child) for ch, child in node.items() if ch]
        if not branches:
            return ""
        ends = "" in node
        body = branches[0] if len(branches) == 1 and not ends else "(?:" + "|".join(branches) + ")"
        return body + "?" if ends else body

    tops = [re.escape(form) + emit(child) for ch, child in root.items() for form in _forms(ch)]
    return re.compile("|".join(tops))


def _table_labels(lay_formats: Iterable[Format]) -> dict[str, None]:
    """Every label printed inside tables 2–4 of the formats, normalised, in layout order."""
    labels: list[str] = []
    for fmt in lay_formats:
        lay = layout_for(fmt)
        t2, t3, t4 = lay.table2, lay.table3, lay.table4
        labels.append(t2.header)
        for block in t2.blocks:
            labels += [block.label, *block.variants]
            for column in block.columns:
                labels += [column.label, *column.variants]
                if column.short_label:
                    labels.append(column.short_label)
        for row in (*t2.rows, *t3.rows):
            labels += [row.label, *row.variants]
        for block in t3.blocks:
            labels += [block.label, *block.variants]
        for column in (*t3.columns, t3.subtotal_column):
            labels += [column.label, *column.variants]
        labels += [t3.note, t3.applicant_header, t3.organisation_header, t3.outcomes_label, *t3.outcomes_variants]
        labels += [t4.reconsideration_label, t4.litigation_label]
        for block in t4.blocks:
            labels += [block.label, *block.variants]
        for column in t4.columns:
            labels += [column.label, *column.variants]
    return dict.fromkeys(canonical(label) for label in labels)


@functools.cache
def _labels_pattern() -> re.Pattern[str]:
    return _trie_pattern(_table_labels((Format.V2019, Format.V2021)))


@functools.cache
def _headings() -> tuple[re.Pattern[str], dict[str, str]]:
    """The headings pattern and, per normalised heading, its section key."""
    keys = {canonical(label): s.key for s in SECTIONS for label in (s.label, *s.variants)}
    return _trie_pattern(keys), keys


@functools.cache
def _rows_of(fmt: Format) -> dict[str, dict[str, str]]:
    """Per table section key: normalised row label (or variant) → row key, for ``fmt``."""
    lay = layout_for(fmt)
    out: dict[str, dict[str, str]] = {}
    for section in SECTIONS:
        if section.table == "table2":
            rows = lay.table2.rows
        elif section.table == "table3":
            rows = lay.table3.rows
        else:
            continue
        out[section.key] = {canonical(label): row.key for row in rows for label in (row.label, *row.variants)}
    return out


@functools.cache
def _table4_header() -> frozenset[str]:
    t4 = LAYOUT_2021.table4
    assert t4 == LAYOUT_2019.table4
    appeals = next(s for s in SECTIONS if s.table == "table4")
    labels = [t4.litigation_label, *(b.label for b in t4.blocks), *(c.label for c in t4.columns), *appeals.variants]
    labels += [v for c in t4.columns for v in c.variants]
    return frozenset(canonical(label) for label in labels)


_ANNOTATION = re.compile(r"\s*[（(][^）)]{0,60}[）)]")
_FIGURES = re.compile(r"[\s0-9０-９.,．，+\-−－]*")
_TABLE_SECTIONS = frozenset(s.key for s in SECTIONS if s.table)


# ---------------------------------------------------------------------------------------
# The scan
# ---------------------------------------------------------------------------------------


def cut_line(text: str, *, headings: int = 2) -> tuple[Piece, ...]:
    """Cut one-line text into headings, table labels with what follows them, and text.

    The line is cut only when it holds at least ``headings`` section headings (else it is
    one ``"text"`` piece: by default a line with fewer than two is a long line of prose).
    Inside the table sections (二、三、四、) every label of tables 2–4 of either format
    starts a ``"label"`` piece that runs to the next label or heading; a parenthesised note
    right after a label is part of the label unless it holds only figures or starts a
    label.  The pieces are in order, do not overlap, and cover every non-blank character
    of ``text``.  Nothing here depends on the format: the text reader calls it before the
    format is known.
    """
    pattern, keys = _headings()
    found = [(m.start(), m.end(), canonical(m.group())) for m in pattern.finditer(text)]
    if not found or len(found) < headings:
        return (Piece(kind="text", start=0, end=len(text), label_end=0),)
    labels = _labels_pattern()
    pieces: list[Piece] = []

    def text_piece(start: int, end: int, section: str | None) -> None:
        if text[start:end].strip():
            pieces.append(Piece(kind="text", start=start, end=end, label_end=start, section=section))

    text_piece(0, found[0][0], None)
    for n, (start, end, heading) in enumerate(found):
        stop = found[n + 1][0] if n + 1 < len(found) else len(text)
        key = keys[heading]
        pieces.append(Piece(kind="heading", start=start, end=end, label_end=end, label=heading, section=key))
        if key not in _TABLE_SECTIONS:
            text_piece(end, stop, key)
            continue
        pos = end
        match = labels.search(text, pos, stop)
        if match is None:
            text_piece(end, stop, key)
            continue
        text_piece(end, match.start(), key)
        while match is not None:
            label_end = match.end()
            note = _ANNOTATION.match(text, label_end, stop)
            if note and not _FIGURES.fullmatch(note.group().strip()[1:-1]):
                opening = note.start() + len(note.group()) - len(note.group().lstrip())
                if not labels.match(text, opening, stop):  # (一)予以公开 is a label, not a note
                    label_end = note.end()
            following = labels.search(text, label_end, stop)
            piece_end = following.start() if following else stop
            pieces.append(
                Piece(
                    kind="label",
                    start=match.start(),
                    end=piece_end,
                    label_end=label_end,
                    label=canonical(match.group()),
                    section=key,
                )
            )
            match = following
    return tuple(pieces)


def find_rows(text: str, fmt: Format | str) -> list[RowText]:
    """Locate the rows of tables 2, 3 and 4 of format ``fmt`` in one-line text and cut their
    raw text (from the pieces of :func:`cut_line`).

    A ``"label"`` piece in the table 2 or table 3 section whose label is a row label (or
    variant) of that table in ``fmt`` is a row; its raw text is what follows the label (and
    its note) up to the next label of either format or heading.  A row key found twice
    keeps its first place.  Table 4 has no row labels: after its header words (only white
    space between them), the figures up to the next label or heading form one
    :data:`TABLE4_FLAT` row.  Rows whose label is not found are left out.
    """
    fmt = Format(fmt)
    rows_of = _rows_of(fmt)
    tables = {s.key: s.table for s in SECTIONS}
    found: list[RowText] = []
    seen: set[tuple[str, str]] = set()
    pieces = cut_line(text, headings=1)
    for n, piece in enumerate(pieces):
        if piece.kind == "heading" and tables.get(piece.section or "") == "table4":
            flat = _table4_row(text, pieces, n)
            if flat is not None and ("table4", TABLE4_FLAT) not in seen:
                seen.add(("table4", TABLE4_FLAT))
                found.append(flat)
            continue
        if piece.kind != "label" or piece.section not in rows_of:
            continue
        key = rows_of[piece.section].get(piece.label)
        table = tables[piece.section]
        if key is None or table is None or (table, key) in seen:
            continue
        seen.add((table, key))
        match_end = piece.start + _label_length(text, piece)
        found.append(
            RowText(
                table=table,
                key=key,
                raw=text[piece.label_end : piece.end],
                start=piece.label_end,
                end=piece.end,
                label_start=piece.start,
                annotation=text[match_end : piece.label_end].strip(),
            )
        )
    return found


def _label_length(text: str, piece: Piece) -> int:
    """How long the label itself is (without its note)."""
    match = _labels_pattern().match(text, piece.start, piece.label_end)
    assert match is not None
    return match.end() - piece.start


def _table4_row(text: str, pieces: tuple[Piece, ...], heading: int) -> RowText | None:
    """The figures after table 4's header words: the pieces after the heading that are
    table 4 header labels with nothing but white space after them, then figures."""
    header = _table4_header()
    pos = pieces[heading].end
    limit = next((p.start for p in pieces[heading + 1 :] if p.kind == "heading"), len(text))
    for piece in pieces[heading + 1 :]:
        if piece.kind == "heading":
            break
        if piece.kind == "label" and piece.label in header and not text[pos : piece.start].strip():
            pos = piece.label_end
            continue
        break
    figures = _FIGURES.match(text, pos, limit)
    assert figures is not None
    end = figures.end()
    if not text[pos:end].strip():
        return None
    start = pieces[heading].end
    return RowText(table="table4", key=TABLE4_FLAT, raw=text[pos:end], start=pos, end=end, label_start=start)


def split_rows(text: str, fmt: Format | str) -> dict[str, list[tuple[str, str]]]:
    """``{table: [(row key, raw text)]}`` for one-line text — the input :func:`recover` takes.

    See :func:`find_rows` for the offsets and the cut-off label annotations.
    """
    out: dict[str, list[tuple[str, str]]] = {}
    for row in find_rows(text, fmt):
        out.setdefault(row.table, []).append((row.key, row.raw))
    return out
