"""Identities that meet a blank, placeholder, absent or non-integer cell cannot be decided."""

from __future__ import annotations

from collections.abc import Iterator

from opengov._codec import shown
from opengov._model import Blank, Placeholder
from opengov.layout import Identity

from ._context import Context, Evaluation, as_int, signed
from .finding import Finding


def _broken_whatever_the_blanks(ctx: Context, identity: Identity) -> int | None:
    """The sum of the identity's usable terms when it is broken whatever (non-negative)
    figures its blank, placeholder and absent cells hold: every such cell on the side of
    the parts (coefficient < 0) and the printed cells already beyond (sum < 0), or every one
    on the side of the total and the total already short (sum > 0).  ``None`` otherwise,
    and when an unusable cell is not blank (an amount: its sign is not known)."""
    usable = 0
    sides = set()
    for key, coefficient in identity.terms:
        value = ctx.values.get(key)
        number = as_int(value, ctx.blanks)
        if number is not None:
            usable += coefficient * number
        elif value is None or isinstance(value, (Blank, Placeholder)):
            sides.add(coefficient > 0)
        else:
            return None
    if (sides == {False} and usable < 0) or (sides == {True} and usable > 0):
        return usable
    return None


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
        beyond = _broken_whatever_the_blanks(ctx, identity)
        if beyond is not None:  # an error of the identity's own rule, blanks or not
            yield ctx.finding(
                identity.rule,
                f"“{title.title_zh}”不成立：已印出的数字相差{signed(beyond)}，{names}无论为何非负数都无法补足。",
                f"{identity.rule} ({title.title_en}) fails whatever {names_en} hold: the printed figures "
                f"already differ by {signed(beyond)} and a blank can only hold a figure of 0 or more.",
                key=key,
                printed=ctx.values.get(key),
                cells=identity.cells,
                blanks=ev.blanks,
                identity=identity.rule,
            )
            continue
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
