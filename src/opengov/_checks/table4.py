"""Table 4 — 政府信息公开行政复议、行政诉讼情况: the block totals."""

from __future__ import annotations

from collections.abc import Iterator

from opengov._codec import shown
from opengov.layout import layout_for

from ._context import Context, signed
from .finding import Finding


def block_totals(ctx: Context) -> Iterator[Finding]:
    """``t4-block``: in each block, 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结."""
    if not ctx.has_table("table4"):
        return
    t4 = layout_for(ctx.current.format).table4
    parts = "+".join(f"“{c.label}”" for c in t4.columns if c.key != "total")
    total = t4.column("total").label
    for ev in ctx.table4_evaluations():
        if not ev.difference:
            continue
        identity = ev.identity
        key = identity.about
        spec = ctx.spec(key)
        printed = ctx.values.get(key)
        yield ctx.finding(
            "t4-block",
            f"表四“{spec.path_label}”：“{total}”为{shown(printed)}，但{parts}之和为{ev.expected}，"
            f"相差{signed(ev.difference)}。",
            f"Table 4, block {key[1]}: {total} is {shown(printed)} but upheld + corrected + other + pending "
            f"sum to {ev.expected} (difference {signed(ev.difference)}).",
            key=key,
            printed=printed,
            expected=ev.expected,
            difference=ev.difference,
            cells=identity.cells,
        )
