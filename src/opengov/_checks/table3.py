"""Table 3 — 收到和处理政府信息公开申请情况: the row, column and balance identities, and
the localisation of a single wrong cell."""

from __future__ import annotations

import functools
from collections.abc import Iterator

from opengov._codec import shown
from opengov.layout import Format, cell_index, layout_for

from ._context import T3, Context, Evaluation, signed
from .finding import CellKey, Finding


@functools.cache
def _members(fmt: Format) -> tuple[CellKey, ...]:
    """The cells of the table 3 identities, in the order the identities first name them
    (row by row, each row's total first): the order culprits are reported in."""
    identities = cell_index(fmt).identities
    return tuple(dict.fromkeys(key for identity in identities if identity.about[0] == T3 for key in identity.cells))


def _broken(ctx: Context, rule: str) -> Iterator[Evaluation]:
    for evaluation in ctx.table3_evaluations():
        if evaluation.identity.rule == rule and evaluation.difference:
            yield evaluation


def row_totals(ctx: Context) -> Iterator[Finding]:
    """``t3-row-total``: on every row, 总计 = 自然人 + the five 法人或其他组织 columns."""
    t3 = layout_for(ctx.current.format).table3
    total = t3.column("total").label
    person = t3.column("natural_person").label
    for ev in _broken(ctx, "t3-row-total"):
        key = ev.identity.about
        spec = ctx.spec(key)
        printed = ctx.values.get(key)
        assert ev.difference is not None
        yield ctx.finding(
            "t3-row-total",
            f"表三“{spec.path_label}”行：“{total}”为{shown(printed)}，但“{person}”与“{t3.organisation_header}”"
            f"五列之和为{ev.expected}，相差{signed(ev.difference)}。",
            f"Table 3, row {key[1]}: {total} is {shown(printed)} but {person} + the five "
            f"{t3.organisation_header} columns sum to {ev.expected} (difference {signed(ev.difference)}).",
            key=key,
            printed=printed,
            expected=ev.expected,
            difference=ev.difference,
            cells=ev.identity.cells,
        )


def outcome_totals(ctx: Context) -> Iterator[Finding]:
    """``t3-outcomes``: in every column, （七）总计 = the sum of the outcome rows."""
    t3 = layout_for(ctx.current.format).table3
    handled = t3.row("total_handled").label
    for ev in _broken(ctx, "t3-outcomes"):
        key = ev.identity.about
        spec = ctx.spec(key)
        printed = ctx.values.get(key)
        assert ev.difference is not None
        n = len(t3.outcome_rows)
        yield ctx.finding(
            "t3-outcomes",
            f"表三“{spec.column_label}”列：“{handled}”为{shown(printed)}，但“{t3.outcomes_label}”的{n}个结果行"
            f"之和为{ev.expected}，相差{signed(ev.difference)}。",
            f"Table 3, column {key[2]}: {handled} is {shown(printed)} but the {n} outcome rows sum to "
            f"{ev.expected} (difference {signed(ev.difference)}).",
            key=key,
            printed=printed,
            expected=ev.expected,
            difference=ev.difference,
            cells=ev.identity.cells,
        )


def balances(ctx: Context) -> Iterator[Finding]:
    """``t3-balance``: in every column, 一 + 二 = （七）总计 + 四 (the 勾稽关系 printed in the
    table's header); the finding is about 四, which must equal 一 + 二 − （七）."""
    t3 = layout_for(ctx.current.format).table3
    labels = {r: t3.row(r).label for r in ("new_received", "carried_over", "total_handled", "carried_forward")}
    for ev in _broken(ctx, "t3-balance"):
        key = ev.identity.about
        column = key[2]
        spec = ctx.spec(key)
        v = {r: shown(ctx.values.get(("table3", r, column))) for r in labels}
        assert ev.difference is not None
        yield ctx.finding(
            "t3-balance",
            f"表三“{spec.column_label}”列：“{labels['new_received']}”{v['new_received']} + "
            f"“{labels['carried_over']}”{v['carried_over']} 应等于 “{labels['total_handled']}”"
            f"{v['total_handled']} + “{labels['carried_forward']}”{v['carried_forward']}；"
            f"按此“{labels['carried_forward']}”应为{ev.expected}，相差{signed(ev.difference)}。",
            f"Table 3, column {column}: new_received {v['new_received']} + carried_over {v['carried_over']} "
            f"should equal total_handled {v['total_handled']} + carried_forward {v['carried_forward']}; "
            f"carried_forward should be {ev.expected} (difference {signed(ev.difference)}).",
            key=key,
            printed=ctx.values.get(key),
            expected=ev.expected,
            difference=ev.difference,
            cells=ev.identity.cells,
        )


def culprits(ctx: Context) -> Iterator[Finding]:
    """``t3-culprit``: a cell whose row identity and column identity are both broken, by
    amounts one change of that cell would repair, is named with the value that satisfies
    every identity it takes part in."""
    problems = ctx.table3_evaluations()
    broken = {ev.identity: ev.difference for ev in problems if ev.difference is not None}
    if not broken:
        return
    undecided = {ev.identity for ev in problems if ev.difference is None}
    in_row = {k for i in broken if i.kind == "row" for k, _ in i.terms}
    in_column = {k for i in broken if i.kind == "column" for k, _ in i.terms}
    for key in _members(ctx.current.format):
        if key not in in_row or key not in in_column:
            continue
        changes = set()
        for identity, coef in ctx.index.membership(key):
            if identity in undecided:
                continue
            difference = broken.get(identity, 0)
            changes.add(difference * coef)
        if len(changes) != 1 or 0 in changes:
            continue
        change = changes.pop()
        printed = ctx.values.get(key)
        current = ctx.int_of(key)
        if current is None:
            continue
        expected = current - change
        if expected < 0:
            continue
        spec = ctx.spec(key)
        yield ctx.finding(
            "t3-culprit",
            f"表三“{spec.path_label}/{spec.column_label}”很可能有误：印为{shown(printed)}，"
            f"改为{expected}即可同时满足其所在行与列的勾稽关系（相差{signed(change)}）。",
            f"Table 3, {key[1]}/{key[2]} is the likely culprit: it prints {shown(printed)}; {expected} would "
            f"satisfy both its row and its column identities (difference {signed(change)}).",
            key=key,
            printed=printed,
            expected=expected,
            difference=change,
            cells=(key,),
        )
