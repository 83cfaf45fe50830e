"""Known printed labels, read from :mod:`opengov.layout` (for readers that must find where
a table row starts in text that lost its structure)."""

from __future__ import annotations

import functools
import re

from opengov import layout
from opengov.layout import normalize_label

__all__ = ["fold", "folded_labels_by_first_char", "known_label", "section_labels", "table_labels"]

_ITEM = re.compile(r"^(\d+)\.")


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


@functools.cache
def folded_labels_by_first_char() -> dict[str, tuple[str, ...]]:
    """Table labels in their folded form (:func:`fold`; a numbered label also with ``、``
    for its ``.``: ``1、属于国家秘密``), indexed by their first character, longest first (for
    scanning)."""
    index: dict[str, set[str]] = {}
    for label in table_labels():
        folded = fold(label)[0]
        forms = {folded}
        if _ITEM.match(folded):
            forms.add(_ITEM.sub(r"\1、", folded, count=1))
        for form in forms:
            index.setdefault(form[0], set()).add(form)
    return {k: tuple(sorted(v, key=lambda label: (-len(label), label))) for k, v in index.items()}


@functools.lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    return normalize_label(ch)


def fold(text: str) -> tuple[str, tuple[int, ...]]:
    """``text`` folded character by character as :func:`~opengov.layout.normalize_label` folds
    it (NFKC, white space dropped, brackets, colons, commas and quotes folded; not the
    context-dependent ``1、`` → ``1.``), and for each folded character the offset in ``text``
    of the character it came from."""
    out: list[str] = []
    where: list[int] = []
    for offset, ch in enumerate(text):
        folded = _fold_char(ch)
        out.append(folded)
        where.extend([offset] * len(folded))
    return "".join(out), tuple(where)
