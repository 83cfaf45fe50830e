"""The one locator of labels in one-line text (crawler text: a whole report on one line).

:func:`cut_line` cuts such a line at its section headings and, inside the table sections,
before every printed label of tables 2–4 of either format.  The text reader cuts its long
lines with it (before it knows the format), and the recovery names the rows among the same
pieces (:func:`opengov._recover.find_rows`), so the two cannot disagree about where a label
is.  It reads the layout only, so readers and the recovery may both use it.

Labels are matched tolerantly, exactly as :func:`opengov.layout.normalize_label` folds them:
white space anywhere inside a label (``二、上年结转政府信息公开 申请数量``, ``法律服务 机构``),
full-width and half-width forms (``(一)``/``（一）``, ``１``/``1``), compatibility forms (⼀ for 一),
``1、``/``1．``/``1,`` for ``1.``, and curly or straight quotes.  At each place the longest label
that matches wins; a label is only ever matched whole, so a row is never taken for another.
The scan walks a trie of the labels (one per kind: headings, table labels) in Python from
the places a small regular expression finds (a label's first character, white space, its
second), so the engine skips to candidates in C and no pattern of every label is compiled
(:class:`Labels`); a line that cannot hold enough headings is taken as text at once
(:func:`cut_line`; :func:`cut_line_plain` is the definition it is tested against).
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Literal

import attrs

from opengov.layout import SECTIONS, Format, _normalize_nfkc_label, layout_for, normalize_label

__all__ = [
    "Piece",
    "Labels",
    "cut_line",
    "cut_line_plain",
    "numbered_label",
    "canonical",
    "table_labels",
    "FIGURES",
    "TABLE_SECTIONS",
]


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
def _range_text() -> str:
    """Every character of :data:`_RANGES`, NUL-separated (the character of piece ``i`` is at
    ``2 * i``)."""
    return "\x00".join(map(chr, itertools.chain.from_iterable(range(low, high + 1) for low, high in _RANGES)))


@functools.cache
def _range_forms() -> tuple[str, str]:
    """:func:`_range_text` and its NFKC form: one call for every character (a NUL neither
    composes, reorders nor folds, so each piece is the NFKC form of its character; checked
    by the count of pieces)."""
    printed = _range_text()
    return printed, unicodedata.normalize("NFKC", printed)


def _folds() -> list[tuple[str, str]]:
    """``(character, its normalised form)`` for every character of :data:`_RANGES` that
    :func:`normalize_label` folds to one other character."""
    printed, forms = _range_forms()
    chars = printed[::2]
    # normalize_label of every character at once: of the NFKC forms (normalize_label is
    # NFKC first, and NFKC of an NFKC form is that form, so only the folds after it are
    # applied): ~0.1 ms instead of ~2 ms for ~1,300 calls; tests/test_recover.py compares
    # it with the call per character.
    folded_all = _normalize_nfkc_label(forms).split("\x00")
    if len(folded_all) != len(chars):  # not separable after all: one call per character
        folded_all = [normalize_label(ch) for ch in chars]
    return [(ch, folded) for ch, folded in zip(chars, folded_all, strict=True) if folded != ch and len(folded) == 1]


@functools.cache
def _printed_forms() -> dict[str, str]:
    """Normalised character → the characters :func:`normalize_label` folds to it."""
    forms: dict[str, str] = {}
    for ch, folded in _folds():
        forms[folded] = forms.get(folded, "") + ch
    return forms


@functools.lru_cache(maxsize=4096)
def canonical(printed: str) -> str:
    """The normalised form of a matched label (what the tries were built from):
    :func:`normalize_label`, with every quote mark as ``"``."""
    return normalize_label(printed).replace("'", '"')


@functools.cache
def _fold_table() -> dict[int, str]:
    """Printed form → the normalised character it stands for, one character for one (so a
    folded text keeps every position): the forms of :func:`_printed_forms`, and every quote
    mark as ``"``."""
    table = {ord(ch): folded for ch, folded in _folds()}
    table.update({ord(q): '"' for q in _QUOTES})
    return table


@functools.cache
def _fold_pattern() -> tuple[re.Pattern[str], Callable[[re.Match[str]], str]]:
    """A character class of the characters :func:`_fold_table` changes, and what replaces
    a match of it: :func:`fold` in C.

    ``str.translate`` with a table of a thousand characters looks each character of a
    non-ASCII text up in the table, one dictionary lookup on a new ``int`` per character
    (0.5 ms for a one-line report of 3,400 characters); the regular expression skips in C
    to the few characters that fold (0.07 ms).  The class is written as ranges of code
    points; ``tests/test_fast_paths.py`` compares :func:`fold` with the ``translate`` of
    the table on generated text."""
    forms = {chr(code): folded for code, folded in _fold_table().items() if chr(code) != folded}
    runs: list[list[int]] = []
    for code in sorted(map(ord, forms)):
        if runs and code == runs[-1][1] + 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    members = "".join(
        re.escape(chr(first)) + ("" if first == last else "-" + re.escape(chr(last))) for first, last in runs
    )
    return re.compile(f"[{members}]"), lambda match: forms[match.group()]


def fold(text: str) -> str:
    """``text`` with every printed form of a label character replaced by that character
    (same length, same positions): what the label patterns are matched against.

    The same as ``text.translate(_fold_table())`` (see :func:`_fold_pattern`)."""
    pattern, replace = _fold_pattern()
    return pattern.sub(replace, text)


def _item_forms() -> str:
    """What an item number's ``.`` may be in folded text: any of its printed forms as
    folding leaves them (``1、``, ``1，``)."""
    return "".join(dict.fromkeys("." + _ITEM_FORMS + fold(_ITEM_FORMS)))


_END = ""
"""The key that marks a trie node where a label ends (every other key is one character)."""

Node = dict[str, "Node"]


@attrs.frozen(kw_only=True)
class Labels:
    """A set of normalised labels to find in text made by :func:`fold`: at each place the
    longest label that matches, white space allowed between its characters (not before the
    first), an item number's ``.`` printed as any of its forms.

    A trie of the labels walked in Python from the places where a label can start.  Those
    places are found by a small regular expression (``starts``: a first character of a
    label, then white space and a second character, or a label of one character), so the
    engine skips to them in C and no pattern of every label is ever compiled (that took
    5–6 ms on a fresh interpreter, more than the whole reading of a one-line report).
    ``tests/test_fast_paths.py`` compares it with the one regular expression of the trie
    (the plain path) on generated text."""

    root: Node
    starts: re.Pattern[str]

    def match(self, folded: str, pos: int = 0, stop: int | None = None) -> int | None:
        """The end of the longest label that starts at ``pos`` in ``folded[:stop]``, or None."""
        stop = len(folded) if stop is None else min(stop, len(folded))
        if pos >= stop:
            return None
        node = self.root.get(folded[pos])
        if node is None:
            return None
        end = pos + 1 if _END in node else None
        i = pos + 1
        while i < stop:
            ch = folded[i]
            if ch.isspace():  # white space between a label's characters (\s of re is str.isspace)
                j = i + 1
                while j < stop and folded[j].isspace():
                    j += 1
                if j == stop:
                    break
                ch = folded[j]
            else:
                j = i
            child = node.get(ch)
            if child is None:
                break
            node = child
            i = j + 1
            if _END in node:
                end = i
        return end

    def search(self, folded: str, pos: int = 0, stop: int | None = None) -> tuple[int, int] | None:
        """``(start, end)`` of the first label in ``folded[pos:stop]`` (the longest at its
        place), or None."""
        stop = len(folded) if stop is None else min(stop, len(folded))
        starts = self.starts
        while True:
            found = starts.search(folded, pos, stop)
            if found is None:
                return None
            start = found.start()
            end = self.match(folded, start, stop)
            if end is not None:
                return start, end
            pos = start + 1


def _trie(labels: Iterable[str]) -> Node:
    """The trie of normalised ``labels`` as :meth:`Labels.match` walks it: one key per
    character as it is in folded text (an item number's ``.`` under each of its forms)."""
    item_forms = _item_forms()
    root: Node = {}
    for label in labels:
        node = root
        for ch in label:
            keys = item_forms if ch == "." else ch
            if ch != "." and ch in item_forms and "." in node and node["."] is node.get(ch):
                raise ValueError(f"labels not a trie under their printed forms: {label!r}")
            child = node.get(keys[0])
            if child is None:
                child = {}
            for key in keys:
                if node.setdefault(key, child) is not child:  # two ways on from one place
                    raise ValueError(f"labels not a trie under their printed forms: {label!r}")
            node = child
        node[_END] = {}
    return root


def _labels(labels: Iterable[str]) -> Labels:
    root = _trie(labels)
    alone = "".join(ch for ch, node in root.items() if _END in node)
    seconds = "".join(dict.fromkeys(ch for node in root.values() for ch in node if ch != _END))
    firsts = "".join(ch for ch in root if ch not in alone)

    def cls(chars: str) -> str:
        return "[" + "".join(re.escape(ch) for ch in chars) + "]"

    branches = []
    if firsts:
        branches.append(cls(firsts) + r"(?=\s*" + cls(seconds) + ")")
    if alone:
        branches.append(cls(alone))
    return Labels(root=root, starts=re.compile("|".join(branches) or "(?!)"))


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
def table_labels() -> Labels:
    """Every label printed inside tables 2–4 of either format."""
    return _labels(_table_labels((Format.V2019, Format.V2021)))


@functools.cache
def _headings() -> tuple[Labels, dict[str, str]]:
    """The section headings and, per normalised heading, its section key."""
    keys = {canonical(label): s.key for s in SECTIONS for label in (s.label, *s.variants)}
    return _labels(keys), keys


def _is_plain_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3001" <= ch <= "\u3003"


@functools.cache
def _heading_chars() -> tuple[frozenset[str], frozenset[str]] | None:
    """The first and the second characters of the section headings (``一`` … ``六``, ``、``),
    or None when the shortcut of :func:`cut_line` does not hold for them (see
    :func:`_heading_starts`)."""
    keys = {canonical(label) for s in SECTIONS for label in (s.label, *s.variants)}
    firsts = frozenset(key[0] for key in keys)
    seconds = frozenset(key[1] for key in keys if len(key) > 1)
    if any(len(key) < 2 for key in keys) or not all(
        _is_plain_cjk(ch) and normalize_label(ch) == ch and not unicodedata.decomposition(ch) for ch in firsts | seconds
    ):
        return None
    return firsts, seconds


@functools.cache
def _heading_starts() -> tuple[str, frozenset[str]]:
    """The characters that may print a section heading's first character (``一`` … ``六``)
    and those that may print its second (``、``), as :func:`_heading_chars` has them (which
    must not be None).

    A heading found at ``s`` in a folded line is its first character ``f`` there, white
    space, then its second ``g`` (folding keeps every position, maps no character to white
    space and white space to nothing else).  A printed character folds to ``f`` when it is
    ``f`` (which folds to itself: checked) or when it is one of :data:`_RANGES` of which
    :func:`normalize_label` makes ``f``, i.e. whose NFKC form without white space is ``f``
    (the other folds of ``normalize_label`` make no CJK character; ``f`` and ``g`` are CJK
    ideographs or CJK punctuation: checked).  Every character of :data:`_RANGES` whose
    NFKD form holds ``f`` is taken: more than needed, never fewer (NFKC is NFKD followed
    by canonical composition, which makes no character without a canonical decomposition,
    and ``f`` has none: checked; so an NFKC form holding ``f`` comes from an NFKD form
    holding it).  One NFKD call over the ranges, NUL-separated: ~0.02 ms, where NFKC's
    composition costs ~0.4–0.7 ms on a fresh interpreter."""
    chars = _heading_chars()
    assert chars is not None
    firsts, seconds = chars
    # Each heading character is looked for in the NFKD forms of every character of the
    # ranges (in C), and its piece counted back.
    printed = _range_text()
    forms = unicodedata.normalize("NFKD", printed)
    more: dict[str, set[str]] = {ch: set() for ch in firsts | seconds}
    if forms.count("\x00") == printed.count("\x00"):
        for target, found in more.items():
            at = forms.find(target)
            while at >= 0:
                found.add(printed[2 * forms.count("\x00", 0, at)])
                at = forms.find(target, at + 1)
    else:  # not separable after all: one call per character
        for ch in printed[::2]:
            form = unicodedata.normalize("NFKD", ch)
            for target, found in more.items():
                if target in form:
                    found.add(ch)
    more_firsts = set(firsts).union(*(more[ch] for ch in firsts))
    more_seconds = set(seconds).union(*(more[ch] for ch in seconds))
    return "".join(sorted(more_firsts)), frozenset(more_seconds)


def _heading_places(text: str) -> int:
    """How many places of ``text`` hold a character that may print a heading's first
    character, white space, then one that may print its second (:func:`_heading_starts`):
    at least as many as the headings it holds."""
    firsts, seconds = _heading_starts()
    found = 0
    end = len(text)
    for first in firsts:
        at = text.find(first)
        while at >= 0:
            nxt = at + 1
            while nxt < end and text[nxt].isspace():
                nxt += 1
            if nxt < end and text[nxt] in seconds:
                found += 1
            at = text.find(first, at + 1)
    return found


_ANNOTATION = re.compile(r"\s*[（(][^）)]{0,60}[）)]")
FIGURES = re.compile(r"[\s0-9０-９.,．，+\-−－]*")
TABLE_SECTIONS = frozenset(s.key for s in SECTIONS if s.table)
"""The keys of the sections that hold a table (二、三、四)."""
_APPLICATIONS = next(s.key for s in SECTIONS if s.table == "table3")
"""Table 3's section: every row label there starts with its number (一、 （一） 1.)."""
_NUMBERED = re.compile(r"[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.")


_DAMAGED = re.compile(r"[1-9１-９][.．、，,]\s*[\u4e00-\u9fff“”\"]|[（(][一二三四五六七八][）)]\s*[\u4e00-\u9fff]")
"""Where a numbered table 3 label may begin that the labels' trie did not find (a typo, a
dropped word): a sub-row's number and its mark (``3.``) or a group's ordinal (``（四）``)
right before a Chinese character."""


def numbered_label(text: str) -> bool:
    """Whether ``text`` begins as a numbered table 3 label does (``3.危及…``, ``（一）予以…``):
    what :func:`cut_line` takes for a damaged label's start."""
    return _DAMAGED.match(text) is not None


_LONGEST_LABEL = 200
"""How far a damaged label's words may run (the longest table 3 label with its note is
under 100 characters)."""
_LABEL_WORDS = re.compile(r"[^0-9０-９\s]+(?:\s+[^0-9０-９\s]+)*")


_SUB_NUMBER = re.compile(r"(\d+)\.")
"""A canonical sub-row label's number (``3.危及…``)."""


def _damaged_label(text: str, start: int, end: int, limit: int, previous: str) -> tuple[int, int] | None:
    """``(start, end of its words)`` of a numbered label the trie did not find in a table 3
    row's text ``text[start:end]``, when only the row's figures come before it and a digit
    follows its words (before ``limit``, the end of the section: its words may hold a word
    the trie knows, ``其他`` in ``（区分处理的，只计这一情形，不计其他情形）``); None otherwise
    (prose, a note, a label at the end of a table).  ``previous`` is the canonical label of
    the row before (:func:`canonical`)."""
    found = _DAMAGED.search(text, start, end)
    if found is None or not FIGURES.fullmatch(text, start, found.start()):
        return None
    if found.start() > start and text[found.start()].isdigit() and text[found.start() - 1].isdigit():
        # A sub-row's number glued to the figures before it may be their last digit
        # ("…2911、上年结转…": 二、 lost, the 1 is a figure's). It starts a label only when
        # it is the number after the row before's ("…0000000" then "3.危及…" after "2.其他…");
        # else the words stay in the row before, which is left unread rather than read wrong.
        before = _SUB_NUMBER.match(previous)
        if before is None or int(before.group(1)) + 1 != int(text[found.start()]):
            return None
    limit = min(limit, found.start() + _LONGEST_LABEL)  # (each call reads a bounded stretch)
    words = _LABEL_WORDS.match(text, found.start() + 1, limit)
    if words is None or words.end() >= limit or not text[words.end()].isdigit():
        return None
    return found.start(), words.end()


def _swallows_ordinal(text: str, start: int, end: int) -> bool:
    """Whether a label without a number of its own (其他, a column's word) at
    ``text[start:end]`` follows a digit directly — or a row's number and its mark
    (``2.其他法律…`` damaged further on: ``其他`` is then a word of that label, which starts
    a piece of its own): in table 3, where every row label is numbered, that digit may be
    the number of a damaged row label."""
    if start == 0 or _NUMBERED.match(canonical(text[start:end])):
        return False
    return text[start - 1].isdigit() or (start > 1 and text[start - 1] in ".．、，," and text[start - 2].isdigit())


# ---------------------------------------------------------------------------------------
# The scan
# ---------------------------------------------------------------------------------------


def _following(text: str, folded: str, pos: int, stop: int, section: str) -> tuple[int, int] | None:
    """``(start, end)`` of the next label the trie finds in ``folded[pos:stop]``."""
    labels = table_labels()
    following = labels.search(folded, pos, stop)
    while section == _APPLICATIONS and following is not None and _swallows_ordinal(text, *following):
        # "…121 2.其他法律…" printed "…1212其他法律…" (the label's "." lost): the digit
        # before "其他" may be the next row's number, not a figure; the words stay in this
        # piece, so its row is left unread rather than read wrong
        following = labels.search(folded, following[1], stop)
    return following


def cut_line(text: str, *, headings: int = 2, section: str | None = None) -> tuple[Piece, ...]:
    """Cut one-line text into headings, table labels with what follows them, and text.

    The line is cut only when it holds at least ``headings`` section headings (else it is
    one ``"text"`` piece: by default a line with fewer than two is a long line of prose).
    Inside the table sections (二、三、四、) every label of tables 2–4 of either format
    starts a ``"label"`` piece that runs to the next label or heading; a parenthesised note
    right after a label is part of the label unless it holds only figures or starts a
    label.  ``section`` is the section the text before the first heading is in (a line
    that continues a section whose heading was on a line before): a table section's key
    cuts that text at its labels too (then a line without a heading is cut when
    ``headings`` is 0).  The pieces are in order, do not overlap, and cover every non-blank
    character of ``text``.  Nothing here depends on the format: the text reader calls it
    before the format is known.
    """
    if _heading_chars() is not None and section is None and _heading_places(text) < max(headings, 1):
        return (Piece(kind="text", start=0, end=len(text), label_end=0),)
    return cut_line_plain(text, headings=headings, section=section)


def cut_line_plain(text: str, *, headings: int = 2, section: str | None = None) -> tuple[Piece, ...]:
    """:func:`cut_line` without its shortcut for lines that cannot hold enough headings
    (the definition the shortcut is tested against)."""
    heads, keys = _headings()
    folded = fold(text)  # the labels are matched in folded text; positions are the text's
    found: list[tuple[int, int, str]] = []
    pos = 0
    while (span := heads.search(folded, pos)) is not None:  # non-overlapping, left to right
        found.append((span[0], span[1], canonical(text[span[0] : span[1]])))
        pos = span[1]
    if len(found) < headings or not (found or section in TABLE_SECTIONS):
        return (Piece(kind="text", start=0, end=len(text), label_end=0),)
    labels = table_labels()
    pieces: list[Piece] = []

    def text_piece(start: int, end: int, section: str | None) -> None:
        if text[start:end].strip():
            pieces.append(Piece(kind="text", start=start, end=end, label_end=start, section=section))

    def section_pieces(end: int, stop: int, key: str | None) -> None:
        """The pieces of ``text[end:stop]``, in section ``key``."""
        if key not in TABLE_SECTIONS:
            text_piece(end, stop, key)
            return
        match = labels.search(folded, end, stop)
        if match is None:
            text_piece(end, stop, key)
            return
        text_piece(end, match[0], key)
        while match is not None:
            label_end = match[1]
            note = _ANNOTATION.match(text, label_end, stop)
            if note and not FIGURES.fullmatch(note.group().strip()[1:-1]):
                opening = note.start() + len(note.group()) - len(note.group().lstrip())
                # (一)予以公开 is a label, not a note, and so is a damaged one, (一)予以X开
                if labels.match(folded, opening, stop) is None and not (
                    key == _APPLICATIONS and _DAMAGED.match(text, opening, stop)
                ):
                    label_end = note.end()
            following = _following(text, folded, label_end, stop, key)
            piece_end = following[0] if following else stop
            start, label = match[0], canonical(text[match[0] : match[1]])
            # numbered labels the trie did not find (damaged) start pieces of their own
            while (
                key == _APPLICATIONS
                and (damaged := _damaged_label(text, label_end, piece_end, stop, label)) is not None
            ):
                cut = damaged[0]
                pieces.append(Piece(kind="label", start=start, end=cut, label_end=label_end, label=label, section=key))
                start, label_end = damaged
                label = canonical(text[start:label_end])
                if label_end > piece_end:  # the label trie's match was a word of the damaged label
                    following = _following(text, folded, label_end, stop, key)
                    piece_end = following[0] if following else stop
            pieces.append(
                Piece(kind="label", start=start, end=piece_end, label_end=label_end, label=label, section=key)
            )
            match = following

    section_pieces(0, found[0][0] if found else len(text), section)
    for n, (start, end, heading) in enumerate(found):
        stop = found[n + 1][0] if n + 1 < len(found) else len(text)
        key = keys[heading]
        pieces.append(Piece(kind="heading", start=start, end=end, label_end=end, label=heading, section=key))
        section_pieces(end, stop, key)
    return tuple(pieces)
