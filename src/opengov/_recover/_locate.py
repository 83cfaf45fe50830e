"""Rows of tables 2–4 in one-line text, named among the pieces of the one label locator
(:func:`opengov._locate.cut_line`) for one format, with their figures cut off for the
recovery."""

from __future__ import annotations

import functools

import attrs

from opengov._locate import FIGURES, Piece, canonical, cut_line, fold, table_labels
from opengov.layout import LAYOUT_2019, LAYOUT_2021, SECTIONS, Format, layout_for

from ._plan import TABLE4_FLAT

__all__ = ["Piece", "RowText", "cut_line", "find_rows", "split_rows"]


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
    end = table_labels().match(fold(text[piece.start : piece.label_end]))
    assert end is not None
    return end


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
    figures = FIGURES.match(text, pos, limit)
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
