"""The labels of one format, and how printed text is matched against them.

A label matches when it equals a layout label or variant punctuation- and
white-space-insensitively (:func:`loose`), or without its ordinal (``予以公开`` for
``（一）予以公开``), or without a trailing annotation in brackets.  :func:`vocab` gathers a
format's label indexes and the cells of its rows (from the layout's cell index); it and the
string functions here are pure, and cached with :mod:`functools` only.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence

import attrs

from opengov import _nfkc as nfkc
from opengov import layout
from opengov._codec import is_value_text
from opengov.layout import CellSpec, Format, FormatLayout, normalize_label

__all__ = [
    "LabelIndex",
    "Vocab",
    "all_header_words",
    "header_words",
    "RowName",
    "column_words",
    "row_names",
    "block_hint",
    "column_positions",
    "by_ordinal",
    "group_word",
    "header_order",
    "is_subtotal",
    "loose",
    "loose_normalized",
    "normalize",
    "ordinal",
    "short",
    "strip_ordinal",
    "table_title",
    "vocab",
    "vote",
]

_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.)")
_ORDINAL_OF = re.compile(r"^(?:(?P<top>[一二三四五六七八九十]+)、|（(?P<mid>[一二三四五六七八九十]+)）|(?P<sub>\d+)\.)")
_NUMERALS = "一二三四五六七八九十"
_ANNOTATION = re.compile(r"（[^（）]*）$")
_NON_WORD = re.compile(r"[\W_]+")


@functools.lru_cache(maxsize=8192)
def normalize(text: str) -> str:
    """:func:`opengov.layout.normalize_label` (cached: label texts recur)."""
    return normalize_label(text)


@functools.lru_cache(maxsize=8192)
def loose(text: str) -> str:
    """The normalised text without punctuation or white space: what labels are compared by.

    ``_NON_WORD.sub("", normalize_label(text))``, computed as the word characters of the
    text's NFKC form: every fold of :func:`~opengov.layout.normalize_label` after NFKC
    only removes a non-word character or turns one into another, which the removal drops
    either way (a property test compares the two).
    """
    # NFKC changes nothing of a text of NFKC-stable characters but its nfkc.FOLDED
    # characters, which are no word characters before NFKC or after it
    if nfkc.CHANGES_RE.search(text) is None:
        return _NON_WORD.sub("", text)
    return _NON_WORD.sub("", unicodedata.normalize("NFKC", text))


@functools.lru_cache(maxsize=8192)
def loose_normalized(text: str) -> str:
    """:func:`loose` computed through :func:`normalize` (the same answer): for prose
    paragraphs, whose normalised form :func:`~opengov._assemble.meta.section_heading`
    reads too, so that each paragraph is normalised once."""
    return _NON_WORD.sub("", normalize(text))


@functools.lru_cache(maxsize=8192)
def ordinal(text: str) -> tuple[str, int] | None:
    """The level and number of a label's leading ordinal, or None: ``("top", 2)`` for
    ``二、``, ``("mid", 3)`` for ``（三）`` (also ``(三)``), ``("sub", 5)`` for ``5.`` (also
    ``5、``, ``５．``)."""
    found = _ORDINAL_OF.match(normalize(text))
    if found is None:
        return None
    level = found.lastgroup
    assert level is not None
    word = found.group(level)
    if level == "sub":
        return level, int(word)
    if len(word) != 1:
        return None  # 十一 … do not occur in the tables
    return level, _NUMERALS.index(word) + 1


@functools.lru_cache(maxsize=8192)
def strip_ordinal(text: str) -> str:
    """:func:`loose` of the text without a leading ordinal (``一、``, ``（一）``, ``1.``)."""
    return loose(_ORDINAL.sub("", normalize(text)))


# ---------------------------------------------------------------------------------------
# Label indexes
# ---------------------------------------------------------------------------------------


@attrs.frozen(eq=False)
class LabelIndex:
    """Label → key: exact (punctuation-insensitive), then without the ordinal, then
    without a trailing annotation in brackets.  Compared by identity (one per format and
    table part, made once by :func:`vocab`)."""

    exact: Mapping[str, str]
    stripped: Mapping[str, str]
    """Labels without their ordinal that name one key only."""
    printed: Mapping[str, tuple[str, str | None] | None] = attrs.field(factory=dict)
    """What :meth:`match` answers for each label as the layout prints it (worked out
    when the index is made: most printed labels are printed so, and are then found
    without normalising them)."""

    @classmethod
    def of(cls, pairs: Iterable[tuple[str, str]]) -> LabelIndex:
        """The index of ``(label, key)`` pairs (the first key of an exact label kept)."""
        exact: dict[str, str] = {}
        stripped: dict[str, set[str]] = {}
        labels: list[str] = []
        for label, key in pairs:
            exact.setdefault(loose(label), key)
            stripped.setdefault(strip_ordinal(label), set()).add(key)
            labels.append(label)
        index = cls(exact, {k: next(iter(v)) for k, v in stripped.items() if len(v) == 1 and k})
        return attrs.evolve(index, printed={label: _normalised_match(index, label) for label in labels})

    def match(self, text: str) -> tuple[str, str | None] | None:
        """``(key, annotation or None)`` of the label ``text`` names, or None."""
        return _match(self, text)


@functools.lru_cache(maxsize=4096)
def _match(index: LabelIndex, text: str) -> tuple[str, str | None] | None:
    printed = index.printed
    if text in printed:
        return printed[text]
    return _normalised_match(index, text)


def _normalised_match(index: LabelIndex, text: str) -> tuple[str, str | None] | None:
    norm = normalize(text)
    annotation = None
    while norm:
        key = index.exact.get(loose(norm)) or index.stripped.get(strip_ordinal(norm))
        if key is not None:
            return key, annotation
        found = _ANNOTATION.search(norm)
        if found is None or found.start() == 0:
            return None
        annotation = found.group() + (annotation or "")
        norm = norm[: found.start()]
    return None


# ---------------------------------------------------------------------------------------
# Damaged labels: matched by their ordinal inside their group
# ---------------------------------------------------------------------------------------

AGREEMENT = 0.75
"""How much of a damaged label must agree with the row's label (the ratio of
:class:`difflib.SequenceMatcher`: twice the characters in common over both lengths) for
:func:`by_ordinal` to match it."""


@attrs.frozen
class RowName:
    """A row of table 3 as :func:`by_ordinal` compares it: its ordinal, its group and its
    label without the ordinal (:func:`strip_ordinal`)."""

    key: str
    level: str
    number: int
    block: str | None
    body: str


@functools.cache
def row_names(fmt: Format) -> tuple[RowName, ...]:
    """Table 3's rows that print an ordinal, for :func:`by_ordinal` (worked out when a
    damaged label is first met: most documents have none)."""
    lay = layout.layout_for(fmt)
    names = []
    for row in lay.table3.rows:
        found = ordinal(row.label)
        if found is not None:
            names.append(RowName(row.key, found[0], found[1], row.block, strip_ordinal(row.label)))
    return tuple(names)


@functools.lru_cache(maxsize=1024)
def by_ordinal(voc: Vocab, text: str, group: str | None) -> tuple[str, float] | None:
    """``(row key, agreement)`` of the table 3 row a damaged label names, or None.

    The label must print an ordinal (``3.``, ``（二）``, ``四、``), and the row must be the
    one of that ordinal at that level, inside ``group`` (the group the label is printed
    under, when known) for a numbered sub-row; its label without the ordinal must agree
    with the printed one by at least :data:`AGREEMENT`, and better than with every other
    row of the table.  Anything less is left unmatched: a label is matched to its own row
    or to none.
    """
    found = ordinal(text)
    if found is None:
        return None
    level, number = found
    body = strip_ordinal(text)
    if len(body) < 2:
        return None
    best: RowName | None = None
    best_score = 0.0
    tie = False
    for name in row_names(voc.format):
        score = difflib.SequenceMatcher(None, body, name.body, autojunk=False).ratio()
        if score > best_score:
            best, best_score, tie = name, score, False
        elif score == best_score:
            tie = True
    if best is None or tie or best_score < AGREEMENT:
        return None
    if (best.level, best.number) != (level, number):
        return None
    if level == "sub" and group is not None and best.block != group:
        return None
    return best.key, best_score


@functools.lru_cache(maxsize=1024)
def group_word(voc: Vocab, text: str) -> str | None:
    """The table 3 group a label word names, or None: a group label (``（四）无法提供``;
    ``outcomes`` for 三、本年度办理结果), or a piece of one cut by a line or page break —
    its beginning with the ordinal (``（四）无``) or, when only one group label ends so, its
    end of three characters or more (``法提供``)."""
    found = voc.t3_groups.match(text)
    if found is not None:
        return found[0]
    word = loose(text)
    if len(word) < 2:
        return None
    labels = voc.t3_group_words
    if ordinal(text) is not None:
        starts = [key for label, key in labels if label.startswith(word)]
        return starts[0] if len(starts) == 1 else None
    if len(word) < 3:
        return None  # 处理, 结果 … end too many labels to name one
    ends = [key for label, key in labels if label.endswith(word)]
    return ends[0] if len(ends) == 1 else None


# ---------------------------------------------------------------------------------------
# The vocabulary of a format
# ---------------------------------------------------------------------------------------


@attrs.frozen(eq=False)
class Vocab:
    """Everything the assembler matches printed text against, for one format."""

    format: Format
    layout: FormatLayout
    t2_rows: LabelIndex
    t2_captions: LabelIndex
    t3_rows: LabelIndex
    t3_groups: LabelIndex
    t3_columns: LabelIndex
    t4_blocks: LabelIndex
    header_words: frozenset[str]
    """:func:`loose` of every header word of the format's tables."""
    t2_cells: Mapping[str, tuple[CellSpec, ...]]
    """Each table 2 row's cells in column order (from the layout's cell index)."""
    t3_cells: Mapping[str, tuple[CellSpec, ...]]
    """Each table 3 row's cells in column order."""
    t4_cells: Mapping[str, tuple[CellSpec, ...]]
    """Each table 4 block's cells in column order."""
    t4_block_words: tuple[tuple[str, str], ...]
    """``(loose label, block key)`` of table 4's blocks, longest label first."""
    t3_blocks: frozenset[str] = frozenset()
    """The keys of table 3's groups of numbered rows (``withheld`` …)."""
    t3_group_words: tuple[tuple[str, str], ...] = ()
    """``(loose label, key)`` of table 3's groups (三、本年度办理结果 as ``outcomes``)."""
    vote_exact: Mapping[str, frozenset[str]] = attrs.field(factory=dict, repr=False)
    """Per exact key (:func:`loose` of a label) of the indexes a vote asks (table 2's rows
    and captions, table 3's rows and groups, table 4's blocks): the tables whose indexes
    hold it."""
    vote_stripped: Mapping[str, frozenset[str]] = attrs.field(factory=dict, repr=False)
    """The same per key of the indexes' labels without their ordinal."""

    def knows(self, text: str) -> bool:
        """Whether ``text`` is a row, caption, group, column or block label of the format."""
        return any(
            index.match(text) is not None
            for index in (self.t2_rows, self.t2_captions, self.t3_rows, self.t3_groups, self.t3_columns, self.t4_blocks)
        )


@functools.cache
def vocab(fmt: Format) -> Vocab:
    """The vocabulary of one format (built once per format)."""
    lay = layout.layout_for(fmt)
    t2, t3, t4 = lay.table2, lay.table3, lay.table4
    index = lay.index
    t3_cols = [(label, c.key) for c in t3.columns for label in (c.label, *c.variants)]
    t3_cols += [(label, t3.subtotal_column.key) for label in (t3.subtotal_column.label, *t3.subtotal_column.variants)]
    groups = [(label, b.key) for b in t3.blocks for label in (b.label, *b.variants)]
    groups += [(label, "outcomes") for label in (t3.outcomes_label, *t3.outcomes_variants)]
    grouped: dict[str, dict[str, list[CellSpec]]] = {table: {} for table in layout.TABLES}
    for spec in index.cells:  # each table's cells by row (table 4: by block), in layout order
        grouped[spec.table].setdefault(spec.row, []).append(spec)
    rows = {table: {row: tuple(specs) for row, specs in found.items()} for table, found in grouped.items()}
    by_length = sorted(t4.blocks, key=lambda b: -len(b.label))
    t2_rows = LabelIndex.of((label, r.key) for r in t2.rows for label in (r.label, *r.variants))
    t2_captions = LabelIndex.of((label, b.key) for b in t2.blocks for label in (b.label, *b.variants))
    t3_rows = LabelIndex.of((label, r.key) for r in t3.rows for label in (r.label, *r.variants))
    t3_groups = LabelIndex.of(groups)
    t4_blocks = LabelIndex.of((label, b.key) for b in t4.blocks for label in (b.label, *b.variants))
    voting: tuple[tuple[str, LabelIndex], ...] = (
        ("table2", t2_rows),
        ("table2", t2_captions),
        ("table3", t3_rows),
        ("table3", t3_groups),
        ("table4", t4_blocks),
    )
    return Vocab(
        format=lay.format,
        layout=lay,
        t2_rows=t2_rows,
        t2_captions=t2_captions,
        t3_rows=t3_rows,
        t3_groups=t3_groups,
        t3_columns=LabelIndex.of(t3_cols),
        t4_blocks=t4_blocks,
        header_words=header_words(lay.format),
        t2_cells=rows["table2"],
        t3_cells=rows["table3"],
        t4_cells=rows["table4"],
        t4_block_words=tuple((loose(b.label), b.key) for b in by_length),
        t3_blocks=frozenset(b.key for b in t3.blocks),
        t3_group_words=tuple((loose(label), key) for label, key in groups),
        vote_exact=_tables_by_key((table, index.exact) for table, index in voting),
        vote_stripped=_tables_by_key((table, index.stripped) for table, index in voting),
    )


def _tables_by_key(indexes: Iterable[tuple[str, Mapping[str, str]]]) -> dict[str, frozenset[str]]:
    """Per key of any of the ``(table, keys)`` given, the tables that hold it."""
    found: dict[str, set[str]] = {}
    for table, keys in indexes:
        for key in keys:
            found.setdefault(key, set()).add(table)
    return {key: frozenset(tables) for key, tables in found.items()}


@functools.cache
def column_words(fmt: Format) -> Mapping[str, Mapping[str, tuple[int, ...]]]:
    """Per table 2 row: :func:`loose` of each label, variant and short label of its
    columns → the positions of the columns it names (worked out when a header row is
    first matched)."""
    t2 = layout.layout_for(fmt).table2
    words: dict[str, dict[str, tuple[int, ...]]] = {}
    for row in t2.rows:
        found: dict[str, list[int]] = {}
        for position, column in enumerate(t2.columns_of(row.key)):
            names = {
                loose(column.label),
                *(loose(v) for v in column.variants),
                loose(column.short_label or column.label),
            }
            for name in names:
                found.setdefault(name, []).append(position)
        words[row.key] = {name: tuple(positions) for name, positions in found.items()}
    return words


@functools.cache
def header_words(fmt: Format) -> frozenset[str]:
    """:func:`loose` of every header word of one format's tables: the labels of the
    header rows and cells, of the columns and of the groups (what a row of labels without
    figures may hold)."""
    lay = layout.layout_for(fmt)
    t2, t3, t4 = lay.table2, lay.table3, lay.table4
    words = {t2.header, t3.note, t3.applicant_header, t3.organisation_header, t4.reconsideration_label}
    words |= {t4.litigation_label}
    for block in t2.blocks:
        words |= {c.label for c in block.columns} | {c.short_label for c in block.columns if c.short_label}
    for column in (*t3.columns, t3.subtotal_column):
        words |= {column.label, *column.variants}
    for group in t3.blocks:
        words |= {group.label, *group.variants}
    words |= {t3.outcomes_label, *t3.outcomes_variants}
    words |= {b.label for b in t4.blocks} | {label for c in t4.columns for label in (c.label, *c.variants)}
    return frozenset(loose(w) for w in words)


@functools.cache
def all_header_words() -> frozenset[str]:
    """The header words of both formats."""
    return header_words(Format.V2019) | header_words(Format.V2021)


@functools.cache
def _t4_words() -> frozenset[str]:
    """Table 4's outcome column labels (结果维持 …), which name table 4 in a vote."""
    return frozenset(loose(c.label) for c in layout.LAYOUT_2021.table4.columns[:4])


def vote(voc: Vocab, text: str) -> tuple[str, ...]:
    """The tables (``table2``…``table4``) a cell's text names a label of; none for a value
    or an empty cell.  What a grid is classified by."""
    if text.isdigit() and text.isascii():
        return ()  # a figure (answered at once: figures seldom recur)
    return _vote(voc, text)


@functools.lru_cache(maxsize=4096)
def _vote(voc: Vocab, text: str) -> tuple[str, ...]:
    """The tables whose indexes (table 2's rows and captions, table 3's rows and groups,
    table 4's blocks) match the text after its last ``/``, and table 4 for one of its
    outcome columns.

    An index matches when, for the normalised text or that text without one, two …
    trailing annotations in brackets (see :meth:`LabelIndex.match`), :func:`loose` of it
    is an exact key of the index or :func:`strip_ordinal` of it one of its stripped keys.
    The texts tried are the same for every index, so they are tried once, against the
    keys of every index together (:attr:`Vocab.vote_exact`, :attr:`Vocab.vote_stripped`):
    a table is named when one of its indexes matches at any of them.  Asking each index in
    turn (the plain definition, ``tests/test_fast_paths.py`` compares the two) normalised
    the text up to five times."""
    if not text.strip() or is_value_text(text):
        return ()
    last = text.split("/")[-1] if "/" in text else text
    found: set[str] = set()
    if loose(last) in _t4_words():
        found.add("table4")
    norm = normalize(last)
    exact, stripped = voc.vote_exact, voc.vote_stripped
    while norm:
        tables = exact.get(loose(norm))
        if tables:
            found.update(tables)
        tables = stripped.get(strip_ordinal(norm))
        if tables:
            found.update(tables)
        annotation = _ANNOTATION.search(norm)
        if annotation is None or annotation.start() == 0:
            break
        norm = norm[: annotation.start()]
    return tuple(table for table in layout.TABLES if table in found)


def block_hint(voc: Vocab, text: str) -> str | None:
    """The table 4 block whose label the text holds (the longest such), or None."""
    found = loose(text)
    if not found:
        return None
    for word, key in voc.t4_block_words:
        if word in found:
            return key
    return None


def header_order(voc: Vocab, row: str, header: Sequence[str]) -> tuple[CellSpec, ...] | None:
    """The cells of table 2 row ``row`` in the order a header names its columns, or None
    when the header does not name each column exactly once."""
    cells = voc.t2_cells[row]
    if len(header) != len(cells):
        return None
    result: list[CellSpec] = []
    for text in header:
        found = column_positions(voc, row, text)
        if len(found) != 1:
            return None
        result.append(cells[found[0]])
    return tuple(result) if len({c.column for c in result}) == len(cells) else None


@functools.lru_cache(maxsize=1024)
def column_positions(voc: Vocab, row: str, text: str) -> tuple[int, ...]:
    """The positions of the columns of table 2 row ``row`` a header word names: by its
    label, a variant or its short label; else, for a renamed header (``本年增/减量``), the
    one column whose label begins the word or is begun by it (two characters at least)."""
    words = column_words(voc.format)[row]
    word = loose(text)
    found = words.get(word)
    if found is not None:
        return found
    if len(word) < 2:
        return ()
    near = {p for name, positions in words.items() if name.startswith(word) or word.startswith(name) for p in positions}
    return tuple(near) if len(near) == 1 else ()


def is_subtotal(text: str) -> bool:
    """Whether a label is 小计 or 合计."""
    return loose(text) in {"小计", "合计"}


def short(text: str, limit: int = 40) -> str:
    """``repr`` of a text cut to ``limit`` characters."""
    return repr(text if len(text) <= limit else text[:limit] + "…")


def table_title(table: str) -> str:
    """The section heading of a table (``二、主动公开政府信息情况``), for messages."""
    return next((s.label for s in layout.SECTIONS if s.table == table), table)
