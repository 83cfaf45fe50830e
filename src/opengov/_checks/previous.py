"""Against the previous year's report: the year, the carry-over and the table 2 stock.

These rules read few facts of the two reports: :func:`cells_read` names the cells, and
:mod:`opengov._checks.carry` keeps just those (with the format, the year and which tables
are held) for the batch's consecutive-year pairs.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

from opengov._codec import shown
from opengov.layout import Format, Kind, Stock, cell_index, layout_for, stock_identities

from ._context import Context, signed
from .culprit import Candidates, Equation, Single, Swap, System, diagnose
from .finding import CellKey, Finding

_OVER, _FORWARD = "carried_over", "carried_forward"
"""Table 3 二、上年结转 (this year) must equal 四、结转下年度继续办理 (last year)."""
_STOCK_BLOCK = "article_20_1"
_IN_FORCE, _ISSUED, _REPEALED = "in_force", "issued", "repealed"


@functools.cache
def cells_read(fmt: Format) -> tuple[CellKey, ...]:
    """Every cell the rules of this module read of a report of format ``fmt``, as this
    year's report or as last year's: table 3 二、上年结转 and 四、结转下年度继续办理 (every
    column) and the table 2 cells of the stock identities (:func:`stock_identities`): in
    the 2021 format 现行有效件数, 本年制发件数 and 本年废止件数 of 规章 and 规范性文件; in the 2019
    format 本年新公开数量 and 对外公开总数量 of 规章 and 规范性文件, 上一年项目数量 and 本年增/减 of
    行政许可 … 行政事业性收费."""
    lay = layout_for(fmt)
    keys: list[CellKey] = [("table3", row, c.key) for row in (_OVER, _FORWARD) for c in lay.table3.columns]
    if fmt is Format.V2021:
        rows = lay.table2.block(_STOCK_BLOCK).rows
        keys += [("table2", row, column) for row in rows for column in (_IN_FORCE, _ISSUED, _REPEALED)]
    else:
        order = {spec.key: n for n, spec in enumerate(cell_index(fmt).table("table2"))}
        stock = {k for s in stock_identities(fmt) for k, _ in (*s.terms, *s.previous)}
        keys += sorted(stock, key=order.__getitem__)
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


def _stock_comparable(ctx: Context) -> bool:
    prev = ctx.previous
    if not _comparable(ctx) or prev is None or "table2" not in prev.tables or not ctx.has_table("table2"):
        return False
    return ctx.current.format is prev.format


def _stock_message(
    fmt: Format, s: Stock, now: int, expected: int, values: dict[CellKey, int], last: dict[CellKey, int]
) -> tuple[str, str]:
    """The messages of a broken stock identity (``values`` this year's cells, ``last`` last year's)."""
    t2 = layout_for(fmt).table2
    row_key = s.about[1]
    row_label = t2.row(row_key).label
    labels = {c.key: c.label for c in t2.columns_of(row_key)}
    diff = signed(now - expected)
    if fmt is Format.V2021:
        before = last[s.previous[0][0]]
        issued, repealed = values[("table2", row_key, _ISSUED)], values[("table2", row_key, _REPEALED)]
        return (
            f"表二“{row_label}”：{labels['in_force']}为{now}，但上年{labels['in_force']}{before} + "
            f"{labels['issued']}{issued} − {labels['repealed']}{repealed} = {expected}，相差{diff}。",
            f"Table 2, {row_key}: in_force is {now} but last year's in_force {before} + issued {issued} − "
            f"repealed {repealed} = {expected} (difference {diff}).",
        )
    if s.about[2] == "total_published":
        before = last[s.previous[0][0]]
        new = values[("table2", row_key, "new_published")]
        return (
            f"表二“{row_label}”：{labels['total_published']}为{now}，但上年{labels['total_published']}{before} + "
            f"{labels['new_published']}{new} = {expected}，相差{diff}。",
            f"Table 2, {row_key}: total_published is {now} but last year's total_published {before} + "
            f"new_published {new} = {expected} (difference {diff}).",
        )
    before, change = last[s.previous[0][0]], last[s.previous[1][0]]
    return (
        f"表二“{row_label}”：{labels['previous_count']}为{now}，但上年{labels['previous_count']}{before}"
        f"与上年{labels['change']}{signed(change)}之和为{expected}，相差{diff}。",
        f"Table 2, {row_key}: previous_count is {now} but last year's previous_count {before} and last "
        f"year's change {signed(change)} make {expected} (difference {diff}).",
    )


def stock_equations(ctx: Context) -> Iterator[tuple[Stock, Equation | None, tuple[CellKey, ...]]]:
    """Each stock identity with its :class:`Equation` (``None`` when a cell cannot be used)
    and the unusable cells of this year's report (rules read them once per run, as
    :attr:`Context.stock_equations`)."""
    assert ctx.previous is not None
    for s in stock_identities(ctx.current.format):
        now = {k: ctx.int_of(k) for k, _ in s.terms}
        before = {k: ctx.previous_int_of(k) for k, _ in s.previous}
        unusable = tuple(k for k, v in now.items() if v is None)
        if unusable or any(v is None for v in before.values()):
            yield s, None, unusable
            continue
        difference = sum(c * (now[k] or 0) for k, c in s.terms) + sum(c * (before[k] or 0) for k, c in s.previous)
        yield s, Equation(rule="t2-stock", about=s.about, terms=s.terms, difference=difference), ()


def stock(ctx: Context) -> Iterator[Finding]:
    """``t2-stock``: table 2's stock against last year's report of the same format (2021:
    现行有效件数 = last year's + 本年制发件数 − 本年废止件数; 2019: 对外公开总数量 = last year's +
    本年新公开数量, 上一年项目数量 = last year's + last year's 本年增/减) — a heuristic."""
    if not _stock_comparable(ctx):
        return
    fmt = ctx.current.format
    t2 = layout_for(fmt).table2
    for s, equation, unusable in ctx.stock_equations:
        key = s.about
        cells = tuple(k for k, _ in s.terms)
        previous_cells = tuple(k for k, _ in s.previous)
        printed = ctx.values.get(key)
        row_label = t2.row(key[1]).label
        label = next(c.label for c in t2.columns_of(key[1]) if c.key == key[2])
        if equation is None:
            yield ctx.finding(
                "undecided",
                f"无法核对“{row_label}”的{label}：有单元格不是可用的数字。",
                f"Cannot compare the stock of {key[1]}: a cell is not a usable number.",
                key=key,
                printed=printed,
                cells=cells,
                blanks=unusable,
                previous_cells=previous_cells,
                identity="t2-stock",
            )
            continue
        if not equation.difference:
            continue
        values = {k: ctx.int_of(k) or 0 for k in cells}
        last = {k: ctx.previous_int_of(k) or 0 for k in previous_cells}
        now = values[key]
        expected = now - equation.difference
        zh, en = _stock_message(fmt, s, now, expected, values, last)
        yield ctx.finding(
            "t2-stock",
            zh,
            en,
            key=key,
            printed=printed,
            expected=expected,
            difference=equation.difference,
            cells=cells,
            previous_cells=previous_cells,
        )


@functools.lru_cache(maxsize=64)
def _stock_system(fmt: Format, usable: tuple[int, ...]) -> System:
    """The :class:`System` of the stock identities of ``fmt`` numbered ``usable`` (those a
    report pair could evaluate), for the culprit analysis."""
    identities = stock_identities(fmt)
    return System.of(("t2-stock", identities[n].about, identities[n].terms) for n in usable)


def stock_culprits(ctx: Context) -> Iterator[Finding]:
    """``t2-culprit``: for a broken table 2 stock identity, the cell of this year's report
    that, changed alone, would satisfy it (candidates when several), a transposition of
    digits, or two stock cells swapped (as ``transposed-culprit`` / ``swapped-culprit``)."""
    if not _stock_comparable(ctx):
        return
    from .culprits import candidates_finding, single_finding, swap_findings  # they read this module's callers

    found = ctx.stock_equations
    equations = [e for _, e, _ in found if e is not None]
    if not any(e.difference for e in equations):
        return
    values = {k: v for e in equations for k, _ in e.terms if (v := ctx.int_of(k)) is not None}
    index = cell_index(ctx.current.format)

    def valid(key: CellKey, value: int) -> bool:
        return value >= 0 or index.cell(key).kind is Kind.SIGNED

    stock = _stock_system(ctx.current.format, tuple([n for n, (_, e, _) in enumerate(found) if e is not None]))
    for d in diagnose(stock, [e.difference for e in equations], values, valid=valid):
        if isinstance(d, Single):
            yield single_finding(ctx, "t2-culprit", d, previous=True)
        elif isinstance(d, Candidates):
            yield candidates_finding(ctx, "t2-culprit", d, previous=True)
        elif isinstance(d, Swap):
            yield from swap_findings(ctx, d)


RULE_FUNCTIONS = (previous_year, carry_over, stock, stock_culprits)
"""The rule functions that read the previous year's report (in registry order)."""
