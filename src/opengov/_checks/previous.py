"""Against the previous year's report: the year, the carry-over and the table 2 stock."""

from __future__ import annotations

from collections.abc import Iterator

from opengov._codec import shown
from opengov.layout import Format, layout_for

from ._context import Context, signed
from .finding import Finding


def _comparable(ctx: Context) -> bool:
    """A previous report was given and, where both years are known, it is the year before."""
    prev = ctx.previous
    if prev is None:
        return False
    year, prev_year = ctx.report.year, prev.year
    return year is None or prev_year is None or prev_year == year - 1


def previous_year(ctx: Context) -> Iterator[Finding]:
    """``previous-year``: the previous report given is for the year before this one."""
    prev = ctx.previous
    if prev is None or _comparable(ctx):
        return
    assert ctx.report.year is not None
    assert prev.year is not None
    yield ctx.finding(
        "previous-year",
        f"上一年度报告应为{ctx.report.year - 1}年度，实为{prev.year}年度；未与之核对结转数。",
        f"The previous report is for {prev.year}, not {ctx.report.year - 1}; the carry-over was not compared.",
        printed=prev.year,
        expected=ctx.report.year - 1,
        difference=prev.year - (ctx.report.year - 1),
    )


def carry_over(ctx: Context) -> Iterator[Finding]:
    """``carry-over``: 二、上年结转 (this year) = 四、结转下年度继续办理 (last year), per column."""
    if not _comparable(ctx) or not ctx.has_table("table3"):
        return
    assert ctx.previous is not None
    if ctx.previous.table3 is None:
        return
    t3 = layout_for(ctx.report.format).table3
    over = t3.row("carried_over").label
    forward = layout_for(ctx.previous.format).table3.row("carried_forward").label
    for column in t3.columns:
        key = ("table3", "carried_over", column.key)
        prev_key = ("table3", "carried_forward", column.key)
        now, before = ctx.int_of(key), ctx.previous_int_of(prev_key)
        printed = ctx.values.get(key)
        if now is None or before is None:
            blanks = tuple(k for k, v in ((key, now), (prev_key, before)) if v is None)
            yield ctx.finding(
                "undecided",
                f"无法核对“{column.label}”列的上年结转：本年“{over}”为{shown(printed)}，"
                f"上年“{forward}”为{shown(ctx.previous_values.get(prev_key))}。",
                f"Cannot compare the carry-over of column {column.key}: carried_over prints {shown(printed)}, "
                f"last year's carried_forward {shown(ctx.previous_values.get(prev_key))}.",
                key=key,
                printed=printed,
                expected=before,
                cells=(key,),
                blanks=blanks,
                previous_cells=(prev_key,),
                identity="carry-over",
            )
            continue
        if now == before:
            continue
        yield ctx.finding(
            "carry-over",
            f"表三“{column.label}”列：“{over}”为{now}，但上一年度报告“{forward}”为{before}，"
            f"相差{signed(now - before)}。",
            f"Table 3, column {column.key}: carried_over is {now} but last year's report carried forward "
            f"{before} (difference {signed(now - before)}).",
            key=key,
            printed=printed,
            expected=before,
            difference=now - before,
            cells=(key,),
            previous_cells=(prev_key,),
        )


def stock(ctx: Context) -> Iterator[Finding]:
    """``t2-stock``: 2021 table 2, 现行有效件数 = last year's 现行有效件数 + 本年制发件数 −
    本年废止件数 (a heuristic: documents also lapse without being repealed)."""
    prev = ctx.previous
    if not _comparable(ctx) or prev is None or prev.table2 is None or ctx.report.table2 is None:
        return
    if ctx.report.format is not Format.V2021 or prev.format is not Format.V2021:
        return
    t2 = layout_for(Format.V2021).table2
    labels = {c.key: c.label for c in t2.block("article_20_1").columns}
    for row_key in t2.block("article_20_1").rows:
        key = ("table2", row_key, "in_force")
        issued_key, repealed_key = ("table2", row_key, "issued"), ("table2", row_key, "repealed")
        before = ctx.previous_int_of(key)
        now, issued, repealed = ctx.int_of(key), ctx.int_of(issued_key), ctx.int_of(repealed_key)
        cells = (key, issued_key, repealed_key)
        printed = ctx.values.get(key)
        row_label = t2.row(row_key).label
        if before is None or now is None or issued is None or repealed is None:
            blanks = tuple(k for k, v in zip(cells, (now, issued, repealed), strict=True) if v is None)
            yield ctx.finding(
                "undecided",
                f"无法核对“{row_label}”的{labels['in_force']}：有单元格不是可用的数字。",
                f"Cannot compare the stock of {row_key}: a cell is not a usable number.",
                key=key,
                printed=printed,
                cells=cells,
                blanks=blanks,
                previous_cells=(key,),
                identity="t2-stock",
            )
            continue
        expected = before + issued - repealed
        if now == expected:
            continue
        yield ctx.finding(
            "t2-stock",
            f"表二“{row_label}”：{labels['in_force']}为{now}，但上年{labels['in_force']}{before} + "
            f"{labels['issued']}{issued} − {labels['repealed']}{repealed} = {expected}，相差{signed(now - expected)}。",
            f"Table 2, {row_key}: in_force is {now} but last year's in_force {before} + issued {issued} − "
            f"repealed {repealed} = {expected} (difference {signed(now - expected)}).",
            key=key,
            printed=printed,
            expected=expected,
            difference=now - expected,
            cells=cells,
            previous_cells=(key,),
        )
