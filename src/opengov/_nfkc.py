"""Texts that NFKC leaves as they are, found without normalising them.

``unicodedata.normalize("NFKC", text)`` costs ≈ 0.1 µs a character on Chinese prose: its
quick check fails on the full-width punctuation every paragraph holds (``，`` is a
compatibility character), so the whole text is decomposed and composed again.  The label
folds (:func:`opengov.layout.normalize_label`, :func:`opengov._assemble.vocab.loose`) need
NFKC only for a character it changes: :data:`CHANGES_RE` finds one in C.
"""

from __future__ import annotations

import re

__all__ = ["STABLE", "FOLDED", "CHANGES_RE"]

STABLE = "\t\n\r\x20-\x7e\u00b7\u2010\u2012-\u2016\u2018-\u2023\u2027\u3001-\u3029\u4e00-\u9fff"
"""A regular expression class of characters that NFKC leaves as they are, whatever stands
around them: none has a decomposition or a combining class, and none composes with a
character before or after it (ASCII, the CJK Unified Ideographs, the punctuation of Chinese
prose: 、。〈〉《》「」『』【】〔〕 “” ‘’ — · •).  ``tests/test_fast_paths.py`` checks each."""

FOLDED = "，：（）；\u3000\u00a0"
"""Characters whose NFKC form is one ASCII character that composes with nothing and that
the folds give back or drop either way: the full-width ``，：（）；`` become ``, : ( ) ;``
(:func:`opengov.layout.normalize_label` folds those back to the full-width forms;
:func:`opengov._assemble.vocab.loose` drops both), the ideographic and the no-break space
become a space (both folds drop white space)."""

CHANGES_RE = re.compile(f"[^{STABLE}{FOLDED}]")
"""A character that NFKC may change, other than :data:`FOLDED`.  In a text without one,
NFKC changes only the :data:`FOLDED` characters, each to its ASCII form (every other
character is stable, and those ASCII forms compose with nothing)."""
