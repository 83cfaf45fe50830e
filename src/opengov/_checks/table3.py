"""Table 3 — 收到和处理政府信息公开申请情况: the row, column and balance identities (the
culprit cells are found in :mod:`opengov._checks.culprits`)."""

from __future__ import annotations

from collections.abc import Iterator

from opengov._codec import shown
from opengov.layout import layout_for

from ._context import Context, Evaluation, signed
from .finding import Finding


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
