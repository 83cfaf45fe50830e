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
The scan is one regular expression per kind (a trie of the labels, each branch starting with
a literal so the regular-expression engine skips to candidate characters in C).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Literal

import attrs

from opengov.layout import SECTIONS, Format, layout_for, normalize_label

__all__ = ["Piece", "cut_line", "canonical", "labels_pattern", "FIGURES"]


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
def _printed_forms() -> dict[str, str]:
    """Normalised character → the characters :func:`normalize_label` folds to it."""
    chars = [chr(code) for low, high in _RANGES for code in range(low, high + 1)]
    # One call over every character, NUL-separated (a NUL neither composes, reorders nor
    # folds, so each piece is normalize_label of its character: ~0.1 ms instead of ~2 ms for
    # ~1,900 calls; tests/test_recover.py compares it with the call per character).
    folded_all = normalize_label("\x00".join(chars)).split("\x00")
    if len(folded_all) != len(chars):  # not separable after all: one call per character
        folded_all = [normalize_label(ch) for ch in chars]
    forms: dict[str, str] = {}
    for ch, folded in zip(chars, folded_all, strict=True):
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


@functools.cache
def _fold_table() -> dict[int, str]:
    """Printed form → the normalised character it stands for, one character for one (so a
    folded text keeps every position): the forms of :func:`_printed_forms`, and every quote
    mark as ``"``."""
    table = {ord(form): ch for ch, forms in _printed_forms().items() for form in forms}
    table.update({ord(q): '"' for q in _QUOTES})
    return table


def fold(text: str) -> str:
    """``text`` with every printed form of a label character replaced by that character
    (same length, same positions): what the label patterns are matched against."""
    return text.translate(_fold_table())


def _class(ch: str) -> str:
    """The pattern of one label character in folded text: itself, or for an item number's
    ``.`` any of its printed forms as folding leaves them (``1、``, ``1，``)."""
    if ch != ".":
        return re.escape(ch)
    forms = dict.fromkeys("." + _ITEM_FORMS + fold(_ITEM_FORMS))
    return "[" + "".join(re.escape(f) for f in forms) + "]"


def _trie_pattern(labels: Iterable[str]) -> re.Pattern[str]:
    """One pattern matching any of ``labels`` (normalised) in text made by :func:`fold`, longest
    first at each place, white space allowed between characters.  Each top branch starts
    with one literal character, so the engine scans for the set of first characters in C;
    the characters are literals (the text is folded first), which keeps the pattern small:
    it compiles in a few milliseconds, where one character class per printed form took 27."""
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

    tops = [_class(ch) + emit(child) for ch, child in root.items()]
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
def labels_pattern() -> re.Pattern[str]:
    return _trie_pattern(_table_labels((Format.V2019, Format.V2021)))


@functools.cache
def _headings() -> tuple[re.Pattern[str], dict[str, str]]:
    """The headings pattern and, per normalised heading, its section key."""
    keys = {canonical(label): s.key for s in SECTIONS for label in (s.label, *s.variants)}
    return _trie_pattern(keys), keys


_ANNOTATION = re.compile(r"\s*[（(][^）)]{0,60}[）)]")
FIGURES = re.compile(r"[\s0-9０-９.,．，+\-−－]*")
_TABLE_SECTIONS = frozenset(s.key for s in SECTIONS if s.table)
_APPLICATIONS = next(s.key for s in SECTIONS if s.table == "table3")
"""Table 3's section: every row label there starts with its number (一、 （一） 1.)."""
_NUMBERED = re.compile(r"[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.")


_DAMAGED = re.compile(r"[1-9１-９][.．、，,]\s*[\u4e00-\u9fff“”\"]|[（(][一二三四五六七八][）)]\s*[\u4e00-\u9fff]")
"""Where a numbered table 3 label may begin that the labels' trie did not find (a typo, a
dropped word): a sub-row's number and its mark (``3.``) or a group's ordinal (``（四）``)
right before a Chinese character."""
_LABEL_WORDS = re.compile(r"[^0-9０-９\s]+(?:\s+[^0-9０-９\s]+)*")


def _damaged_label(text: str, start: int, end: int, limit: int) -> tuple[int, int] | None:
    """``(start, end of its words)`` of a numbered label the trie did not find in a table 3
    row's text ``text[start:end]``, when only the row's figures come before it and a digit
    follows its words (before ``limit``, the end of the section: its words may hold a word
    the trie knows, ``其他`` in ``（区分处理的，只计这一情形，不计其他情形）``); None otherwise
    (prose, a note, a label at the end of a table)."""
    found = _DAMAGED.search(text, start, end)
    if found is None or not FIGURES.fullmatch(text, start, found.start()):
        return None
    words = _LABEL_WORDS.match(text, found.start() + 1, limit)
    if words is None or words.end() >= limit or not text[words.end()].isdigit():
        return None
    return found.start(), words.end()


def _swallows_ordinal(text: str, label: re.Match[str]) -> bool:
    """Whether a label without a number of its own (其他, a column's word) follows a digit
    directly: in table 3, where every row label is numbered, that digit may be the number
    of a damaged row label."""
    start, end = label.span()
    if start == 0 or _NUMBERED.match(canonical(text[start:end])):
        return False
    # a digit right before it, or a row's number and its mark (``2.其他法律…`` damaged
    # further on: ``其他`` is then a word of that label, which starts a piece of its own)
    return text[start - 1].isdigit() or (start > 1 and text[start - 1] in ".．、，," and text[start - 2].isdigit())


# ---------------------------------------------------------------------------------------
# The scan
# ---------------------------------------------------------------------------------------


def _following(text: str, folded: str, pos: int, stop: int, section: str) -> re.Match[str] | None:
    """The next label the trie finds in ``folded[pos:stop]``."""
    labels = labels_pattern()
    following = labels.search(folded, pos, stop)
    while section == _APPLICATIONS and following is not None and _swallows_ordinal(text, following):
        # "…121 2.其他法律…" printed "…1212其他法律…" (the label's "." lost): the digit
        # before "其他" may be the next row's number, not a figure; the words stay in this
        # piece, so its row is left unread rather than read wrong
        following = labels.search(folded, following.end(), stop)
    return following


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
    folded = fold(text)  # the patterns match folded text; positions are the text's
    found = [(m.start(), m.end(), canonical(text[m.start() : m.end()])) for m in pattern.finditer(folded)]
    if not found or len(found) < headings:
        return (Piece(kind="text", start=0, end=len(text), label_end=0),)
    labels = labels_pattern()
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
        match = labels.search(folded, pos, stop)
        if match is None:
            text_piece(end, stop, key)
            continue
        text_piece(end, match.start(), key)
        while match is not None:
            label_end = match.end()
            note = _ANNOTATION.match(text, label_end, stop)
            if note and not FIGURES.fullmatch(note.group().strip()[1:-1]):
                opening = note.start() + len(note.group()) - len(note.group().lstrip())
                # (一)予以公开 is a label, not a note, and so is a damaged one, (一)予以X开
                if not labels.match(folded, opening, stop) and not (
                    key == _APPLICATIONS and _DAMAGED.match(text, opening, stop)
                ):
                    label_end = note.end()
            following = _following(text, folded, label_end, stop, key)
            piece_end = following.start() if following else stop
            start, label = match.start(), canonical(text[match.start() : match.end()])
            # numbered labels the trie did not find (damaged) start pieces of their own
            while key == _APPLICATIONS and (damaged := _damaged_label(text, label_end, piece_end, stop)) is not None:
                end = damaged[0]
                pieces.append(Piece(kind="label", start=start, end=end, label_end=label_end, label=label, section=key))
                start, label_end = damaged
                label = canonical(text[start:label_end])
                if label_end > piece_end:  # the label trie's match was a word of the damaged label
                    following = _following(text, folded, label_end, stop, key)
                    piece_end = following.start() if following else stop
            end = piece_end
            pieces.append(Piece(kind="label", start=start, end=end, label_end=label_end, label=label, section=key))
            match = following
    return tuple(pieces)
