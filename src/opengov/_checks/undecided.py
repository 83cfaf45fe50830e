"""Identities that meet a blank, placeholder, absent or non-integer cell cannot be decided."""

from __future__ import annotations

from collections.abc import Iterator

from opengov._codec import shown

from ._context import Context, Evaluation
from .finding import Finding


def undecided_identities(ctx: Context) -> Iterator[Finding]:
    """``undecided``: a table 3 or table 4 identity that cannot be decided, naming the
    cells it could not use (with ``blanks="zero"`` only non-integer cells remain)."""
    evaluations: tuple[Evaluation, ...] = ctx.table3_evaluations() + ctx.table4_evaluations()
    values, label = ctx.values, ctx.label
    for ev in evaluations:
        if ev.difference is not None:
            continue
        identity = ev.identity
        key = identity.about
        printed = [shown(values.get(k)) for k in ev.blanks]
        names = "、".join([f"“{label(k)}”（{p}）" for k, p in zip(ev.blanks, printed, strict=True)])
        names_en = ", ".join([f"{k[1]}/{k[2]} {p}" for k, p in zip(ev.blanks, printed, strict=True)])
        title = ctx.rules[identity.rule]
        hint_zh = hint_en = ""
        if ev.expected is not None:
            hint_zh = f"若其余数字无误，“{ctx.label(key)}”应为{ev.expected}。"
            hint_en = f" If the other figures are right, {'/'.join(key[1:])} should be {ev.expected}."
        yield ctx.finding(
            "undecided",
            f"无法判断“{title.title_zh}”：{names}不是可用的数字。{hint_zh}",
            f"Cannot decide {identity.rule} ({title.title_en}): {names_en} cannot be used.{hint_en}",
            key=key,
            printed=ctx.values.get(key),
            expected=ev.expected,
            cells=identity.cells,
            blanks=ev.blanks,
            identity=identity.rule,
        )
