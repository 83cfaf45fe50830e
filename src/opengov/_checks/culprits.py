"""Culprit findings for tables 3 and 4 (``t3-culprit``, ``t4-culprit``, ``swapped-culprit``,
``transposed-culprit``) and the value a blank total should hold (``blank-total``).

The analysis is :func:`opengov._checks.culprit.diagnose`, run once per table and check
(:attr:`Context.culprits`); the prose decides between candidates when it states the figure
one of them would need.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping

from opengov._codec import shown
from opengov._model import Blank, Placeholder
from opengov.layout import Format, Kind, cell_index

from . import prose
from ._context import T3, T4, Context, signed, system, table_en, table_zh
from .culprit import Candidates, Diagnosis, Single, Swap, diagnose
from .finding import CellKey, Finding

__all__ = ["diagnose_tables", "t3_culprits", "t4_culprits", "swapped", "transposed", "blank_totals"]


@functools.cache
def _order(fmt: Format, table: str) -> Mapping[CellKey, int]:
    """The cells of a table in the order culprits are reported: as the identities first
    name them (row by row, each row's total first), then any other cell."""
    keys = [k for i in cell_index(fmt).identities if i.about[0] == table for k in i.cells]
    keys += [spec.key for spec in cell_index(fmt).table(table)]
    return {key: n for n, key in enumerate(dict.fromkeys(keys))}


def valid_value(ctx: Context) -> Callable[[CellKey, int], bool]:
    """Whether a cell of this report's format may hold a value (counts are not negative)."""

    def valid(key: CellKey, value: int) -> bool:
        return value >= 0 or (key in ctx.index and ctx.spec(key).kind is Kind.SIGNED)

    return valid


def prose_evidence(ctx: Context) -> Callable[[CellKey, int], int]:
    """``1`` when a statement of the prose agrees with the table only if ``key`` held
    ``needed``; ``-1`` when one agrees only with the printed figure; else ``0``."""

    def evidence(key: CellKey, needed: int) -> int:
        score = set()
        for _, _, statement in ctx.statements:
            if statement.value is None:
                continue
            for cells in prose.targets(ctx, statement.subject):
                if key not in cells:
                    continue
                lo, hi = 0, 0.0
                lo2, hi2 = 0, 0.0
                for k in cells:
                    a, b = ctx.cell_range(k)
                    lo, hi = lo + a, hi + b
                    if k == key:
                        a = b = needed
                    lo2, hi2 = lo2 + a, hi2 + b
                now = lo <= statement.value <= hi
                then = lo2 <= statement.value <= hi2
                if then and not now:
                    score.add(1)
                elif now and not then:
                    score.add(-1)
        return score.pop() if len(score) == 1 else 0

    return evidence


def diagnose_tables(ctx: Context) -> dict[str, list[Diagnosis]]:
    """The culprits of tables 3 and 4 (none for a table whose identities all hold)."""
    out: dict[str, list[Diagnosis]] = {}
    for table, evaluations in ((T3, ctx.table3_evaluations()), (T4, ctx.table4_evaluations())):
        if not any(ev.difference for ev in evaluations):
            continue
        identities = system(ctx.current.format, table)
        differences = ctx.differences(table)
        cells = {k for n, d in enumerate(differences) if d for k, _ in identities.terms[n]}
        values = ctx.integers(table, cells)
        found = diagnose(identities, differences, values, valid=valid_value(ctx), evidence=prose_evidence(ctx))
        order = _order(ctx.current.format, table)
        out[table] = sorted(found, key=lambda d: order.get(_first(d), len(order)))
    return out


def _first(d: Diagnosis) -> CellKey:
    if isinstance(d, Single):
        return d.key
    if isinstance(d, Swap):
        return d.first
    return d.options[0][0]


# ---------------------------------------------------------------------------------------
# Findings
# ---------------------------------------------------------------------------------------


def single_finding(ctx: Context, rule: str, d: Single, *, previous: bool = False) -> Finding:
    """A ``…-culprit`` finding about one cell (``transposed-culprit`` when its digits are)."""
    key = d.key
    label = ctx.label(key)
    t_zh, t_en = table_zh(key[0]), table_en(key[0])
    change = d.printed - d.needed
    printed = ctx.values.get(key)
    also_zh = "（也可能是上一年度报告有误）" if previous else ""
    also_en = " (or last year's report is wrong)" if previous else ""
    if d.transposed:
        return ctx.finding(
            "transposed-culprit",
            f"{t_zh}“{label}”很可能把相邻两位数字印反了：印为{shown(printed)}，应为{d.needed}"
            f"（相差{signed(change)}），改正后满足其所在的全部勾稽关系{also_zh}。",
            f"{t_en}, {key[1]}/{key[2]} prints {shown(printed)}, most likely {d.needed} with two adjacent digits "
            f"transposed (difference {signed(change)}); {d.needed} satisfies every identity it is in{also_en}.",
            key=key,
            printed=printed,
            expected=d.needed,
            difference=change,
            cells=(key,),
        )
    kinds = {e.rule for e in d.equations}
    if key[0] == T3 and "t3-row-total" in kinds and kinds & {"t3-outcomes", "t3-balance"}:
        zh = f"改为{d.needed}即可同时满足其所在行与列的勾稽关系（相差{signed(change)}）。"
        en = f"{d.needed} would satisfy both its row and its column identities (difference {signed(change)})."
    else:
        zh = f"改为{d.needed}即可满足其所在的全部勾稽关系（相差{signed(change)}）{also_zh}。"
        en = f"{d.needed} would satisfy every identity it is in (difference {signed(change)}){also_en}."
    return ctx.finding(
        rule,
        f"{t_zh}“{label}”很可能有误：印为{shown(printed)}，{zh}",
        f"{t_en}, {key[1]}/{key[2]} is the likely culprit: it prints {shown(printed)}; {en}",
        key=key,
        printed=printed,
        expected=d.needed,
        difference=change,
        cells=(key,),
    )


def candidates_finding(ctx: Context, rule: str, d: Candidates, *, previous: bool = False) -> Finding:
    """A ``…-culprit`` finding naming every cell that alone would repair one identity."""
    table = d.equation.about[0]
    title = ctx.rules.get(d.equation.rule)
    about = ctx.label(d.equation.about)
    what_zh = f"“{title.title_zh}”（“{about}”）" if title else f"“{about}”"
    what_en = f"{d.equation.rule} ({d.equation.about[1]}/{d.equation.about[2]})"
    options_zh = "；".join(f"“{ctx.label(k)}”改为{v}" for k, v in d.options)
    options_en = "; ".join(f"{k[1]}/{k[2]} → {v}" for k, v in d.options)
    also_zh = "；也可能是上一年度报告有误" if previous else ""
    also_en = "; or last year's report is wrong" if previous else ""
    return ctx.finding(
        rule,
        f"{table_zh(table)}{what_zh}不符，以下任一单元格单独更正即可：{options_zh}{also_zh}。",
        f"{table_en(table)}: {what_en} is broken; any one of these cells, changed alone, would repair it: "
        f"{options_en}{also_en}.",
        table=table,
        cells=tuple(k for k, _ in d.options),
        candidates=d.options,
        identity=d.equation.rule,
    )


def swap_findings(ctx: Context, d: Swap) -> Iterator[Finding]:
    """Two ``swapped-culprit`` findings, one about each cell of the pair."""
    for key, other, printed, needed in (
        (d.first, d.second, d.first_printed, d.second_printed),
        (d.second, d.first, d.second_printed, d.first_printed),
    ):
        line_zh = "行" if key[1] == other[1] else "列"
        line_en = "row" if key[1] == other[1] else "column"
        yield ctx.finding(
            "swapped-culprit",
            f"{table_zh(key[0])}“{ctx.label(key)}”与同一{line_zh}的“{ctx.label(other)}”很可能印反了："
            f"前者印为{printed}，应为{needed}（相差{signed(printed - needed)}）；对调后满足两者所在的全部勾稽关系。",
            f"{table_en(key[0])}, {key[1]}/{key[2]} and {other[1]}/{other[2]} (same {line_en}) look swapped: "
            f"the first prints {printed} and should be {needed} (difference {signed(printed - needed)}); "
            "swapped back, every identity either is in holds.",
            key=key,
            printed=ctx.values.get(key),
            expected=needed,
            difference=printed - needed,
            cells=(key, other),
        )


def _diagnoses(ctx: Context, table: str) -> list[Diagnosis]:
    return ctx.culprits.get(table, [])


def _singles_and_candidates(ctx: Context, table: str, rule: str) -> Iterator[Finding]:
    for d in _diagnoses(ctx, table):
        if isinstance(d, Single) and not d.transposed:
            yield single_finding(ctx, rule, d)
        elif isinstance(d, Candidates):
            yield candidates_finding(ctx, rule, d)


def t3_culprits(ctx: Context) -> Iterator[Finding]:
    """``t3-culprit``: the one cell of table 3 that, changed alone, satisfies every identity
    it is in (in practice the cell whose row and column are both broken), with that value;
    the candidates when several cells could each repair an identity."""
    yield from _singles_and_candidates(ctx, T3, "t3-culprit")


def t4_culprits(ctx: Context) -> Iterator[Finding]:
    """``t4-culprit``: for a broken table 4 block, the cells that, changed alone, would
    repair it (its total or a part) with the value each would need — one cell when a
    transposition or the prose's figure decides, else the candidates."""
    yield from _singles_and_candidates(ctx, T4, "t4-culprit")


def swapped(ctx: Context) -> Iterator[Finding]:
    """``swapped-culprit``: two cells of one row or column of table 3 (or one column of
    table 4) printed in each other's place; one finding about each."""
    for table in (T3, T4):
        for d in _diagnoses(ctx, table):
            if isinstance(d, Swap):
                yield from swap_findings(ctx, d)


def transposed(ctx: Context) -> Iterator[Finding]:
    """``transposed-culprit``: a culprit cell of table 3 or 4 whose printed figure is the
    value it needs with two adjacent digits transposed (``1289`` for ``1298``)."""
    for table in (T3, T4):
        for d in _diagnoses(ctx, table):
            if isinstance(d, Single) and d.transposed:
                yield single_finding(ctx, "transposed-culprit", d)


_BY_ZH = {
    "t3-row-total": "本行各列之和",
    "t3-outcomes": "本列各办理结果之和",
    "t3-balance": "“第一项加第二项之和，等于第三项加第四项之和”",
    "t4-block": "本栏各项之和",
}
"""How a blank total's value is worked out, by identity (for messages)."""


def blank_totals(ctx: Context) -> Iterator[Finding]:
    """``blank-total``: a 总计 (or 结转下年度) printed blank or with a placeholder while every
    other cell of its identities is printed: the value it should hold."""
    found: dict[CellKey, list[tuple[str, int, tuple[CellKey, ...]]]] = {}
    for ev in (*ctx.table3_evaluations(), *ctx.table4_evaluations()):
        key = ev.identity.about
        if ev.expected is None or ev.blanks != (key,) or not isinstance(ctx.values.get(key), (Blank, Placeholder)):
            continue
        found.setdefault(key, []).append((ev.identity.rule, ev.expected, ev.identity.cells))
    for key, rows in found.items():
        values = {v for _, v, _ in rows}
        if len(values) != 1:
            continue
        (value,) = values
        if not valid_value(ctx)(key, value):
            continue  # a negative count: the printed parts do not agree among themselves
        cells = tuple(dict.fromkeys(k for _, _, cs in rows for k in cs))
        titles = "、".join(dict.fromkeys(_BY_ZH.get(r, r) for r, _, _ in rows))
        printed = ctx.values.get(key)
        yield ctx.finding(
            "blank-total",
            f"{table_zh(key[0])}“{ctx.label(key)}”{'为空白' if isinstance(printed, Blank) else '为占位符'}，"
            f"而其余各项均已填写：按{titles}应为{value}。",
            f"{table_en(key[0])}, {key[1]}/{key[2]} is {'blank' if isinstance(printed, Blank) else 'a placeholder'} "
            f"while every other cell of {', '.join(r for r, _, _ in rows)} is printed: it should hold {value}.",
            key=key,
            printed=printed,
            expected=value,
            cells=cells,
            blanks=(key,),
            identity=rows[0][0],
        )
