"""Table 3's printed group totals (2021: （六）其他处理 printed as one row, the 2019 way):
rule ``t3-group-total``.  Such a row is not a cell of the format (see
:attr:`opengov.layout.CellIndex.group_totals`), so the layout's identities do not hold it;
this rule checks it against the cells it stands for."""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from opengov._codec import shown
from opengov.layout import layout_for

from ._context import Context, as_int, signed
from .finding import CellKey, Finding

__all__ = ["group_totals"]


def group_totals(ctx: Context) -> Iterator[Finding]:
    """``t3-group-total``: a printed group total row's 总计 is the sum of its applicant
    columns; in each column it equals the sum of its numbered rows when they are printed,
    and stands for them in （七）总计 = Σ outcome rows when none of them is."""
    totals = ctx.current.group_totals
    if not totals:
        return
    t3 = layout_for(ctx.current.format).table3
    columns = [c.key for c in t3.columns]
    for group in t3.group_totals:
        keys = {c: ("table3", group, c) for c in columns}
        if keys["total"] not in totals:
            continue
        block = t3.block(group)

        def value(key: CellKey) -> int | None:
            return as_int(totals[key] if key in totals else ctx.values.get(key), ctx.blanks)

        label = block.label
        parts = [value(keys[c]) for c in t3.row_sum.parts]
        total = value(keys["total"])
        if total is not None and None not in parts:
            expected = sum(p for p in parts if p is not None)
            if total != expected:
                yield _finding(
                    ctx,
                    keys["total"],
                    label,
                    t3.column("total").label,
                    f"表三“{label}”行（分组合计）：“总计”为{total}，但各申请人栏之和为{expected}，"
                    f"相差{signed(total - expected)}。",
                    f"Table 3, printed group total {group}: total is {total} but the applicant "
                    f"columns sum to {expected} (difference {signed(total - expected)}).",
                    expected,
                    total - expected,
                    [keys[c] for c in ("total", *t3.row_sum.parts)],
                )
        handled = t3.outcomes_sum.total
        for column in t3.columns:
            c = column.key
            printed = value(keys[c])
            if printed is None:
                continue
            members = [("table3", r, c) for r in block.rows]
            if all(ctx.values.get(k) is None for k in members):
                # the numbered rows were not printed: the group total stands for them in （七）总计
                others = [("table3", r, c) for r in t3.outcomes_sum.parts if r not in block.rows]
                about: CellKey = ("table3", handled, c)
                got = [value(k) for k in others]
                printed_handled = value(about)
                if printed_handled is None or None in got:
                    continue
                expected = sum(g for g in got if g is not None) + printed
                if printed_handled != expected:
                    yield _finding(
                        ctx,
                        about,
                        t3.row(handled).label,
                        column.label,
                        f"表三“{column.label}”列：“{t3.row(handled).label}”为{printed_handled}，但各结果行"
                        f"（以“{label}”的分组合计代替其未列出的细项）之和为{expected}，"
                        f"相差{signed(printed_handled - expected)}。",
                        f"Table 3, column {c}: {handled} is {printed_handled} but the outcome rows, with the "
                        f"printed group total {group} for its numbered rows, sum to {expected} "
                        f"(difference {signed(printed_handled - expected)}).",
                        expected,
                        printed_handled - expected,
                        [about, *others, keys[c]],
                    )
                continue
            got = [value(k) for k in members]
            if None in got:
                continue
            expected = sum(g for g in got if g is not None)
            if printed != expected:
                yield _finding(
                    ctx,
                    keys[c],
                    label,
                    column.label,
                    f"表三“{label}”行（分组合计）“{column.label}”列为{shown(totals[keys[c]])}，"
                    f"但其{len(members)}个细项之和为{expected}，相差{signed(printed - expected)}。",
                    f"Table 3, printed group total {group}, column {c}: {printed} but its "
                    f"{len(members)} numbered rows sum to {expected} (difference {signed(printed - expected)}).",
                    expected,
                    printed - expected,
                    [keys[c], *members],
                )


def _finding(
    ctx: Context,
    key: CellKey,
    row_label: str,
    column_label: str,
    message_zh: str,
    message_en: str,
    expected: int,
    difference: int,
    cells: list[CellKey],
) -> Finding:
    printed = ctx.current.group_totals.get(key, ctx.values.get(key))
    found = ctx.finding(
        "t3-group-total",
        message_zh,
        message_en,
        key=key,
        printed=printed,
        expected=expected,
        difference=difference,
        cells=cells,
    )
    return attrs.evolve(found, row_label=row_label, column_label=column_label)
