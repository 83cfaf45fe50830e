"""Identities that meet a blank, placeholder, absent or non-integer cell cannot be decided."""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Iterator, Mapping, Sequence
from types import MappingProxyType

import attrs

from opengov._codec import shown
from opengov._errors import Location
from opengov._model import BLANK, Blank
from opengov.layout import Format

from ._context import T3, T4, Context, cell_labels, identity_plan, label_texts, signed
from .finding import CellKey, Finding, new_finding


@attrs.frozen(kw_only=True)
class _Naming:
    """What an ``undecided`` finding needs of each identity of :func:`identity_plan` (in
    its order), beyond what evaluating it needs."""

    cells: tuple[tuple[CellKey, ...], ...]
    """Each identity's cells (:attr:`Identity.cells`: ``about`` first)."""
    positive: tuple[frozenset[int], ...]
    """The positions of each identity's cells of coefficient > 0 (the side of its total)."""
    pick: tuple[Callable[[Mapping[CellKey, Location]], Sequence[Location]], ...]
    """For each identity, what gets the entries of its cells (all of them there) from a
    mapping, in the order of :attr:`cells`."""


def _one(key: CellKey) -> Callable[[Mapping[CellKey, Location]], Sequence[Location]]:
    """``mapping → (mapping[key],)`` (a sequence, as :func:`operator.itemgetter` of several
    keys gives)."""
    return lambda mapping: (mapping[key],)


@functools.cache
def _naming(fmt: Format, table: str) -> _Naming:
    """The :class:`_Naming` of the identities about cells of ``table`` (made once per format,
    when an identity of the table is first undecided)."""
    plan = identity_plan(fmt, table)
    cells = tuple([tuple([key for key, _ in i.terms]) for i in plan.identities])
    return _Naming(
        cells=cells,
        positive=tuple([frozenset([p for p, coef in terms if coef > 0]) for terms in plan.terms]),
        pick=tuple([operator.itemgetter(*keys) if len(keys) > 1 else _one(keys[0]) for keys in cells]),
    )


def _unusable_names(
    ctx: Context, table: str, unusable: frozenset[int]
) -> Callable[[tuple[CellKey, ...]], tuple[str, str]]:
    """What names a list of unusable cells of ``table`` (positions in layout order) in the
    messages, in Chinese and in English: a blank cell as made once per format
    (:func:`_blank_name_maps`; the lists themselves are joined once per format,
    :func:`_blank_names`, when every unusable cell is blank), any other with what it holds."""
    fmt = ctx.current.format
    keys = identity_plan(fmt, table).keys
    values = ctx.values
    blank_zh, blank_en = _blank_name_maps(fmt)
    others = [keys[p] for p in unusable if type(values.get(keys[p])) is not Blank or keys[p] not in blank_zh]
    if not others:
        return functools.partial(_blank_names, fmt)  # every unusable cell printed blank
    zh = dict(blank_zh)
    en = dict(blank_en)
    for key in others:
        printed = shown(values.get(key))
        zh[key], en[key] = f"“{ctx.label(key)}”（{printed}）", f"{key[1]}/{key[2]} {printed}"
    return lambda blanks: _joined(zh, en, blanks)


def _joined(zh: Mapping[CellKey, str], en: Mapping[CellKey, str], blanks: tuple[CellKey, ...]) -> tuple[str, str]:
    """The names of ``blanks`` from ``zh`` and ``en``, joined as the messages list them."""
    return "、".join(map(zh.__getitem__, blanks)), ", ".join(map(en.__getitem__, blanks))


@functools.lru_cache(maxsize=4096)
def _blank_names(fmt: Format, blanks: tuple[CellKey, ...]) -> tuple[str, str]:
    """Cells printed blank, listed as the messages name them (:func:`_joined` of
    :func:`_blank_name_maps`): a pure function of the format and the cells."""
    return _joined(*_blank_name_maps(fmt), blanks)


@functools.cache
def _blank_name_maps(fmt: Format) -> tuple[Mapping[CellKey, str], Mapping[CellKey, str]]:
    """Every cell printed blank as the messages name it, in Chinese and in English (made
    once per format)."""
    blank = shown(BLANK)
    texts = label_texts(fmt)
    return (
        MappingProxyType({key: f"“{text}”（{blank}）" for key, text in texts.items()}),
        MappingProxyType({key: f"{key[1]}/{key[2]} {blank}" for key in texts}),
    )


def undecided_identities(ctx: Context) -> Iterator[Finding]:
    """``undecided``: a table 3 or table 4 identity that cannot be decided, naming the
    cells it could not use (with ``blanks="zero"`` only non-integer cells remain).

    An identity broken whatever (non-negative) figures its blank, placeholder and absent
    cells hold is an error of its own rule instead: every such cell on the side of the parts
    (coefficient < 0) and the printed cells already beyond (sum < 0), or every one on the
    side of the total and the total already short (sum > 0); not when an unusable cell is
    not blank (an amount: its sign is not known).

    The identities are those :meth:`Context.table3_evaluations` and
    :meth:`Context.table4_evaluations` evaluated (once per run); a blank cell is named as
    made once per format, any other unusable cell once per table (:func:`_unusable_names`)."""
    fmt = ctx.current.format
    values, where, rules = ctx.values, ctx.locations, ctx.rules
    undecided = rules["undecided"].severity
    for table, evaluations in ((T3, ctx.table3_evaluations()), (T4, ctx.table4_evaluations())):
        if not evaluations:
            continue
        _, unusable = ctx.numbers(table)
        blank = ctx.unusable_blanks(table)
        naming = None
        located = False
        for evaluation in evaluations:
            if evaluation.difference is not None:
                continue  # broken: an error of the identity's own rule
            if naming is None:  # the first undecided identity of the table
                naming = _naming(fmt, table)
                located = ctx.all_located(table)
                labels = cell_labels(fmt)
                named = _unusable_names(ctx, table, unusable)
            identity = evaluation.identity
            k = evaluation.index
            usable = evaluation.partial  # the sum of the usable terms
            positions = evaluation.unusable
            blanks = evaluation.blanks
            names, names_en = named(blanks)
            title = rules[identity.rule]
            about = identity.about
            row_label, column_label = labels.get(about, (None, None))
            cells = naming.cells[k]
            if located:  # every cell of the table located (a parsed document)
                locations = dict(zip(cells, naming.pick[k](where), strict=True))
            else:
                locations = {c: where[c] for c in cells if c in where} if where else {}
            beyond = None
            if blank.issuperset(positions):
                total_side = not unusable.isdisjoint(naming.positive[k])  # a blank on the side of the total
                parts_side = not naming.positive[k].issuperset(positions)  # a blank on the side of the parts
                if (parts_side and not total_side and usable < 0) or (total_side and not parts_side and usable > 0):
                    beyond = usable
            if beyond is not None:  # an error of the identity's own rule, blanks or not
                yield new_finding(
                    rule=identity.rule,
                    severity=title.severity,
                    message_zh=f"“{title.title_zh}”不成立：已印出的数字相差{signed(beyond)}，{names}无论为何非负数都无法补足。",
                    message_en=f"{identity.rule} ({title.title_en}) fails whatever {names_en} hold: the printed "
                    f"figures already differ by {signed(beyond)} and a blank can only hold a figure of 0 or more.",
                    table=about[0],
                    row=about[1],
                    row_label=row_label,
                    column=about[2],
                    column_label=column_label,
                    printed=values.get(about),
                    cells=cells,
                    blanks=blanks,
                    identity=identity.rule,
                    locations=locations,
                )
                continue
            expected = evaluation.expected
            hint_zh = hint_en = ""
            if expected is not None:
                hint_zh = f"若其余数字无误，“{ctx.label(about)}”应为{expected}。"
                hint_en = f" If the other figures are right, {about[1]}/{about[2]} should be {expected}."
            # the fields by position, in the order of attrs.fields(Finding) (see new_finding);
            # tests/test_checks_fast_paths.py compares every field with the plain definition's
            yield Finding(
                "undecided",  # rule
                undecided,  # severity
                f"无法判断“{title.title_zh}”：{names}不是可用的数字。{hint_zh}",
                f"Cannot decide {identity.rule} ({title.title_en}): {names_en} cannot be used.{hint_en}",
                about[0],  # table
                about[1],  # row
                row_label,
                about[2],  # column
                column_label,
                values.get(about),  # printed
                expected,
                None,  # difference
                cells,
                blanks,
                (),  # previous_cells
                identity.rule,  # identity
                None,  # text
                locations,
            )
