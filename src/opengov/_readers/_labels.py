"""Known printed labels, read from :mod:`opengov.layout` (for readers that must find where
a table row starts in text that lost its structure)."""

from __future__ import annotations

import functools

from opengov import layout
from opengov.layout import normalize_label

__all__ = ["section_labels", "table_labels", "known_label"]


@functools.cache
def section_labels() -> tuple[tuple[str, str], ...]:
    """``(printed label, section key)`` of every section heading and variant, longest first."""
    pairs = [(label, s.key) for s in layout.SECTIONS for label in (s.label, *s.variants)]
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


@functools.cache
def table_labels() -> frozenset[str]:
    """Every label printed inside tables 2–4 of either format, as printed."""
    labels: set[str] = set()
    for lay in (layout.LAYOUT_2019, layout.LAYOUT_2021):
        t2, t3, t4 = lay.table2, lay.table3, lay.table4
        labels.add(t2.header)
        for block in t2.blocks:
            labels.update((block.label, *block.variants))
            for column in block.columns:
                labels.update((column.label, *column.variants))
        for row in (*t2.rows, *t3.rows):
            labels.update((row.label, *row.variants))
        for block in t3.blocks:
            labels.update((block.label, *block.variants))
        for column in (*t3.columns, t3.subtotal_column):
            labels.update((column.label, *column.variants))
        labels.update((t3.note, t3.applicant_header, t3.organisation_header, t3.outcomes_label, *t3.outcomes_variants))
        labels.update((t4.reconsideration_label, t4.litigation_label))
        for block in t4.blocks:
            labels.update((block.label, *block.variants))
        for column in t4.columns:
            labels.update((column.label, *column.variants))
    return frozenset(labels)


@functools.cache
def _normalized_table_labels() -> frozenset[str]:
    return frozenset(normalize_label(label) for label in table_labels())


def known_label(text: str) -> bool:
    """Whether ``text`` is a table label of either format (after normalisation)."""
    return normalize_label(text) in _normalized_table_labels()
