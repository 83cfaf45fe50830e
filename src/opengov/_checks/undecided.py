"""Identities that meet a blank, placeholder, absent or non-integer cell cannot be decided."""

from __future__ import annotations

from collections.abc import Iterator

from opengov._codec import shown

from ._context import T3, T4, Context, cell_labels, identity_plan, signed
from .finding import CellKey, Finding


def undecided_identities(ctx: Context) -> Iterator[Finding]:
    """``undecided``: a table 3 or table 4 identity that cannot be decided, naming the
    cells it could not use (with ``blanks="zero"`` only non-integer cells remain).

    An identity broken whatever (non-negative) figures its blank, placeholder and absent
    cells hold is an error of its own rule instead: every such cell on the side of the parts
    (coefficient < 0) and the printed cells already beyond (sum < 0), or every one on the
    side of the total and the total already short (sum > 0); not when an unusable cell is
    not blank (an amount: its sign is not known).

    Each table's cells are read as numbers once (:meth:`Context.numbers`), and each unusable
    cell is named once however many identities it is in."""
    fmt = ctx.current.format
    values, where, rules = ctx.values, ctx.locations, ctx.rules
    labels = cell_labels(fmt)
    undecided = rules["undecided"].severity
    named: dict[CellKey, tuple[str, str]] = {}  # each unusable cell as the messages name it
    for table in (T3, T4):
        differences = ctx.differences(table)
        if not differences:
            continue
        plan = identity_plan(fmt, table)
        numbers, unusable = ctx.numbers(table)
        blank = ctx.unusable_blanks(table)
        keys = plan.keys
        for k, difference in enumerate(differences):
            if difference is not None:
                continue
            identity = plan.identities[k]
            terms = plan.terms[k]
            # the sum of the usable terms (an unusable cell is 0 in ``numbers``)
            usable = sum(plan.added[k](numbers)) - sum(plan.subtracted[k](numbers))
            positions = [p for p, _ in terms if p in unusable]
            blanks = tuple([keys[p] for p in positions])
            parts = []
            for key in blanks:
                part = named.get(key)
                if part is None:
                    printed = shown(values.get(key))
                    part = named[key] = (f"“{ctx.label(key)}”（{printed}）", f"{key[1]}/{key[2]} {printed}")
                parts.append(part)
            names = "、".join([zh for zh, _ in parts])
            names_en = ", ".join([en for _, en in parts])
            title = rules[identity.rule]
            about = identity.about
            row_label, column_label = labels.get(about, (None, None))
            cells = plan.cell_keys[k]
            located = {c: where[c] for c in cells if c in where} if where else {}
            beyond = None
            if blank.issuperset(positions):
                sides = {coefficient > 0 for p, coefficient in terms if p in unusable}
                if (sides == {False} and usable < 0) or (sides == {True} and usable > 0):
                    beyond = usable
            if beyond is not None:  # an error of the identity's own rule, blanks or not
                yield Finding(
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
                    locations=located,
                )
                continue
            expected = -usable if positions == [plan.about[k]] else None
            hint_zh = hint_en = ""
            if expected is not None:
                hint_zh = f"若其余数字无误，“{ctx.label(about)}”应为{expected}。"
                hint_en = f" If the other figures are right, {about[1]}/{about[2]} should be {expected}."
            yield Finding(
                rule="undecided",
                severity=undecided,
                message_zh=f"无法判断“{title.title_zh}”：{names}不是可用的数字。{hint_zh}",
                message_en=f"Cannot decide {identity.rule} ({title.title_en}): {names_en} cannot be used.{hint_en}",
                table=about[0],
                row=about[1],
                row_label=row_label,
                column=about[2],
                column_label=column_label,
                printed=values.get(about),
                expected=expected,
                cells=cells,
                blanks=blanks,
                identity=identity.rule,
                locations=located,
            )
