"""Texts that NFKC leaves as they are, found without normalising them.

``unicodedata.normalize("NFKC", text)`` costs ≈ 0.1 µs a character on Chinese prose: its
quick check fails on the full-width punctuation every paragraph holds (``，`` is a
compatibility character), so the whole text is decomposed and composed again.  The label
folds (:func:`opengov.layout.normalize_label`, :func:`opengov._assemble.vocab.loose`) need
NFKC only for a character it changes: :data:`CHANGES_RE` finds one in C.
"""

from __future__ import annotations

import re

__all__ = ["STABLE", "FULL_WIDTH_FOLDED", "CHANGES_RE"]

STABLE = "\t\n\r\x20-\x7e\u00b7\u2014\u2018\u2019\u201c\u201d\u3001\u3002\u300a-\u3011\u4e00-\u9fff"
"""A regular expression class of characters that NFKC leaves as they are, whatever stands
around them: none has a decomposition or a combining class, and none composes with a
character before or after it (ASCII, the CJK Unified Ideographs, the punctuation of Chinese
prose: 、。《》「」『』【】 “” ‘’ — ·).  ``tests/test_fast_paths.py`` checks each."""

FULL_WIDTH_FOLDED = "，：（）；"
"""Full-width punctuation whose NFKC form (``,`` ``:`` ``(`` ``)`` ``;``) is a single ASCII
character that composes with nothing: :func:`opengov.layout.normalize_label` folds it back
to the full-width form, and :func:`opengov._assemble.vocab.loose` drops both forms."""

CHANGES_RE = re.compile(f"[^{STABLE}{FULL_WIDTH_FOLDED}]")
"""A character that NFKC may change, other than :data:`FULL_WIDTH_FOLDED`.  In a text
without one, NFKC changes only the :data:`FULL_WIDTH_FOLDED` characters, each to its ASCII
form (every other character is stable, and those ASCII forms compose with nothing)."""
