"""Against the previous year's report: the year, the carry-over and the table 2 stock.

These rules read few facts of the two reports: :func:`cells_read` names the cells, and
:mod:`opengov._checks.carry` keeps just those (with the format, the year and which tables
are held) for the batch's consecutive-year pairs.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

from opengov._codec import shown
from opengov.layout import Format, layout_for

from ._context import Context, signed
from .finding import CellKey, Finding

_OVER, _FORWARD = "carried_over", "carried_forward"
"""Table 3 二、上年结转 (this year) must equal 四、结转下年度继续办理 (last year)."""
_STOCK_BLOCK = "article_20_1"
_IN_FORCE, _ISSUED, _REPEALED = "in_force", "issued", "repealed"


@functools.cache
def cells_read(fmt: Format) -> tuple[CellKey, ...]:
    """Every cell the rules of this module read of a report of format ``fmt``, as this
    year's report or as last year's: table 3 二、上年结转 and 四、结转下年度继续办理 (every
    column) and, in the 2021 format, table 2 现行有效件数, 本年制发件数 and 本年废止件数 of
    规章 and 规范性文件."""
    lay = layout_for(fmt)
    keys: list[CellKey] = [("table3", row, c.key) for row in (_OVER, _FORWARD) for c in lay.table3.columns]
    if fmt is Format.V2021:
        rows = lay.table2.block(_STOCK_BLOCK).rows
        keys += [("table2", row, column) for row in rows for column in (_IN_FORCE, _ISSUED, _REPEALED)]
    return tuple(keys)


def _comparable(ctx: Context) -> bool:
    """A previous report was given and, where both years are known, it is the year before."""
    prev = ctx.previous
    if prev is None:
        return False
    year, prev_year = ctx.current.year, prev.year
    return year is None or prev_year is None or prev_year == year - 1


def previous_year(ctx: Context) -> Iterator[Finding]:
    """``previous-year``: the previous report given is for the year before this one."""
    prev = ctx.previous
    if prev is None or _comparable(ctx):
        return
    year = ctx.current.year
    assert year is not None
    assert prev.year is not None
    yield ctx.finding(
        "previous-year",
        f"上一年度报告应为{year - 1}年度，实为{prev.year}年度；未与之核对结转数。",
        f"The previous report is for {prev.year}, not {year - 1}; the carry-over was not compared.",
        printed=prev.year,
        expected=year - 1,
        difference=prev.year - (year - 1),
    )


def carry_over(ctx: Context) -> Iterator[Finding]:
    """``carry-over``: 二、上年结转 (this year) = 四、结转下年度继续办理 (last year), per column."""
    if not _comparable(ctx) or not ctx.has_table("table3"):
        return
    assert ctx.previous is not None
    if "table3" not in ctx.previous.tables:
        return
    t3 = layout_for(ctx.current.format).table3
    over = t3.row(_OVER).label
    forward = layout_for(ctx.previous.format).table3.row(_FORWARD).label
    for column in t3.columns:
        key = ("table3", _OVER, column.key)
        prev_key = ("table3", _FORWARD, column.key)
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
    if not _comparable(ctx) or prev is None or "table2" not in prev.tables or not ctx.has_table("table2"):
        return
    if ctx.current.format is not Format.V2021 or prev.format is not Format.V2021:
        return
    t2 = layout_for(Format.V2021).table2
    labels = {c.key: c.label for c in t2.block(_STOCK_BLOCK).columns}
    for row_key in t2.block(_STOCK_BLOCK).rows:
        key = ("table2", row_key, _IN_FORCE)
        issued_key, repealed_key = ("table2", row_key, _ISSUED), ("table2", row_key, _REPEALED)
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


RULE_FUNCTIONS = (previous_year, carry_over, stock)
"""The rule functions that read the previous year's report (in registry order)."""
