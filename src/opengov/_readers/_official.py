"""Labels of the official tables as OCR reads them: a label recognised a character or two
away from an official one (``（一）子以公开``) is read as that label (``（一）予以公开``).

Pure Python (no part of the ``ocr`` extra), so that it is tested on its own.  Only labels
with the same ordinal are compared, and only a label that is near and alone near is taken:
see :func:`official_label`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from opengov.layout import LAYOUT_2019, LAYOUT_2021, SECTIONS, normalize_label

__all__ = ["official_label", "is_official", "official_labels"]

_NON_WORD = re.compile(r"[\W_]+")
_ORDINAL_RE = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.)")


def _split(text: str) -> tuple[str, str]:
    """A label's ordinal (``一、``, ``（一）``, ``1.``: empty when none) and the rest, loose."""
    normal = normalize_label(text)
    found = _ORDINAL_RE.match(normal)
    ordinal = found.group() if found else ""
    return ordinal, _NON_WORD.sub("", normal[len(ordinal) :])


@functools.cache
def official_labels() -> dict[str, dict[str, str]]:
    """Every label printed in the official tables (both formats) and every section heading,
    with its variants: ordinal → loose rest → the label as the layout spells it (a variant →
    the label it is a variant of)."""
    pairs: list[tuple[str, Iterable[str]]] = [(s.label, s.variants) for s in SECTIONS]
    for lay in (LAYOUT_2019, LAYOUT_2021):
        t2, t3, t4 = lay.table2, lay.table3, lay.table4
        for word in (t2.header, t3.note, t3.applicant_header, t3.organisation_header):
            pairs.append((word, ()))
        pairs += [(t3.outcomes_label, t3.outcomes_variants), (t4.reconsideration_label, ()), (t4.litigation_label, ())]
        pairs += [(row.label, row.variants) for row in (*t2.rows, *t3.rows)]
        for block in (*t2.blocks, *t3.blocks, *t4.blocks):
            pairs.append((block.label, block.variants))
            pairs += [(c.label, (*c.variants, *([c.short_label] if c.short_label else []))) for c in block.columns]
        for column in (*t3.columns, t3.subtotal_column, *t4.columns):
            pairs.append((column.label, (*column.variants, *([column.short_label] if column.short_label else []))))
    out: dict[str, dict[str, str]] = {}
    for label, variants in pairs:
        for spelling in (label, *variants):
            ordinal, rest = _split(spelling)
            out.setdefault(ordinal, {}).setdefault(rest, label)
    return out


def _distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of two strings, or ``limit + 1`` once it is certainly over ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        best = current[0]
        for j, cb in enumerate(b, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            best = min(best, current[j])
        if best > limit:
            return limit + 1
        previous = current
    return previous[-1]


def is_official(text: str) -> bool:
    """Whether ``text`` is spelled as a label of the official tables or a section heading."""
    ordinal, rest = _split(text)
    return rest in official_labels().get(ordinal, {})


@functools.lru_cache(maxsize=4096)
def official_label(text: str) -> str | None:
    """The official label ``text`` was recognised as, when one is near it and no other is
    about as near, and ``text`` is not one already.

    Only labels with the same ordinal (``（一）``, ``2.`` …, or none) are compared, on the
    rest of the label.  Near: at most three characters in ten differ (edits), at least one;
    and every other label needs more than twice as many edits plus one (plus two without an
    ordinal, which anchors the comparison)."""
    ordinal, rest = _split(text)
    group = official_labels().get(ordinal)
    if not group or len(rest) < 2 or rest in group:
        return None
    limit = max(1, round(len(rest) * 0.3))
    margin = 1 if ordinal else 2
    reach = 2 * limit + margin
    mine = set(rest)
    found: list[tuple[int, str]] = []
    for key, label in group.items():
        if abs(len(key) - len(rest)) > reach or len(mine & set(key)) < len(set(key)) - reach:
            continue
        d = _distance(rest, key, reach)
        if d <= reach:
            found.append((d, label))
    if not found:
        return None
    found.sort()
    best, label = found[0]
    if best > limit:
        return None
    for d, other in found[1:]:
        if other != label and d <= 2 * best + margin:
            return None
    # the words may belong to a label of another ordinal (一、本年新收… with its ordinal
    # misread as 二、): then the ordinal and the words disagree, and nothing is chosen
    for other_ordinal, other_group in official_labels().items():
        if other_ordinal == ordinal:
            continue
        for key, other in other_group.items():
            if other != label and abs(len(key) - len(rest)) <= best and _distance(rest, key, best) <= best:
                return None
    return label


