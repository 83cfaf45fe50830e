"""Prose against the tables, and the 2021 信息处理费 statement.

The phrases the prose rules look for are *prose patterns*, not table labels: they are kept
here, as data, in :data:`PROSE_PATTERNS` and :data:`FEE_PHRASES` (documented in
``docs/checks.md``).  Each pattern's first group is the figure the prose states; the first
match in 一、总体情况 is used.  The gaps between words never cross a sentence end
(``。；！？``) or a digit, so a figure is read from the clause that states it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from types import MappingProxyType

from opengov._codec import shown
from opengov.layout import Format, layout_for

from ._context import Context, signed
from .finding import CellKey, Finding

_GAP = r"[^。；！？\n\d]"
_N = r"\s*(\d+)\s*"

PROSE_PATTERNS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        # 共收到依申请公开件37件 · 接收……政府信息公开申请共计81件 · 共受理政府信息公开申请859件
        "received": (rf"(?:收到|接收|受理){_GAP}{{0,40}}?申请{_GAP}{{0,12}}?{_N}件",),
        # 办理38件 · 办结依申请公开81件 · 答复政府信息公开申请805件 · 共办理 718 件
        "handled": (rf"(?:办理|办结|答复)(?:依申请公开|政府信息公开申请|申请)?(?:件)?{_N}件",),
        # 含上一年结转1件 · 含上年度结转申请18件
        "carried_over": (rf"(?:上一?年度?|上年)结转(?:的)?(?:申请|办件)?{_N}件",),
        # 结转下一年 31 件 · 结转到下年度继续办理2件
        "carried_forward": (rf"结转(?:到|至)?下一?年度?(?:继续办理)?(?:的)?(?:申请|办件)?{_N}件",),
        # 无结转到下一年度办件
        "no_carried_forward": (r"(?:无|没有|未有)结转(?:到|至)?下一?年度?",),
        # 未发生政府信息公开行政复议
        "no_reconsideration": (r"未(?:发生|产生|出现|有)[^。；！？，\n\d]{0,16}?行政复议",),
        # 未发生行政诉讼情况 · 未发生……行政复议、行政诉讼
        "no_litigation": (r"未(?:发生|产生|出现|有)[^。；！？，\n\d]{0,20}?行政诉讼",),
        # 行政复议案件2件 · 行政复议7件
        "reconsideration": (rf"行政复议(?:案件)?(?:共)?{_N}(?:件|起)",),
        # 行政诉讼案件7件 · 诉讼9件
        "litigation": (rf"(?<!起)诉讼(?:案件)?(?:共)?{_N}(?:件|起)",),
        # 均获维持 (every appeal upheld)
        "all_upheld": (r"(?:均|全部|全)(?:获|被|予以)?维持",),
        # 现行有效行政规范性文件393件 (2021 format)
        "documents_in_force": (rf"现行有效(?:的)?(?:行政)?规范性文件(?:共)?{_N}件",),
    }
)
"""Regular expressions read in 一、总体情况, by what they state (read-only)."""

FEE_PHRASES: tuple[str, ...] = ("信息处理费", "处理费")
"""What 六、其他需要报告的事项 of a 2021 report says about the 信息处理费 (information
processing fee, 国办函〔2020〕109号); ``处理费`` covers 「未收取政府信息公开相关处理费」.  The
table 2 row 行政事业性收费 is a different thing and never satisfies this rule."""

_COMPILED: Mapping[str, tuple[re.Pattern[str], ...]] = MappingProxyType(
    {name: tuple(re.compile(p) for p in patterns) for name, patterns in PROSE_PATTERNS.items()}
)


def _search(text: str, name: str) -> re.Match[str] | None:
    for pattern in _COMPILED[name]:
        match = pattern.search(text)
        if match:
            return match
    return None


def _overview(ctx: Context) -> str:
    return "\n".join(ctx.current.prose.get("overview", ()))


def _total(row: str) -> CellKey:
    return ("table3", row, "total")


def _compare(
    ctx: Context,
    rule: str,
    match: re.Match[str],
    figure: int,
    key: CellKey,
    accepted: tuple[int | None, ...],
    what_zh: str,
    what_en: str,
) -> Iterator[Finding]:
    """A warning when the table cell ``key`` is usable and none of ``accepted`` is ``figure``."""
    value = ctx.int_of(key)
    if value is None or figure == value or figure in accepted:
        return
    spec = ctx.spec(key)
    yield ctx.finding(
        rule,
        f"“{layout_for(ctx.current.format).sections[0].label}”称{what_zh}{figure}件（“{match.group(0)}”），"
        f"但“{spec.path_label}/{spec.column_label}”为{shown(ctx.values.get(key))}，相差{signed(value - figure)}。",
        f"The overview states {what_en} {figure} ({match.group(0)!r}) but {key[0]} {key[1]}/{key[2]} is "
        f"{shown(ctx.values.get(key))} (difference {signed(value - figure)}).",
        key=key,
        printed=ctx.values.get(key),
        expected=figure,
        difference=value - figure,
        cells=(key,),
        text=match.group(0),
    )


def applications(ctx: Context) -> Iterator[Finding]:
    """``prose-applications``: the applications 一、总体情况 says were received, handled,
    carried over and carried forward agree with table 3's 总计 column.  A received or
    handled figure may count 一 + 二 (some reports count carried-over applications in)."""
    if not ctx.has_table("table3"):
        return
    text = _overview(ctx)
    if not text:
        return
    new, over = ctx.int_of(_total("new_received")), ctx.int_of(_total("carried_over"))
    both = new + over if new is not None and over is not None else None
    if match := _search(text, "received"):
        figure = int(match.group(1))
        yield from _compare(
            ctx, "prose-applications", match, figure, _total("new_received"), (new, both), "收到申请", "received"
        )
    if match := _search(text, "handled"):
        figure = int(match.group(1))
        handled = ctx.int_of(_total("total_handled"))
        yield from _compare(
            ctx, "prose-applications", match, figure, _total("total_handled"), (handled, both), "办理申请", "handled"
        )
    if match := _search(text, "carried_over"):
        figure = int(match.group(1))
        yield from _compare(
            ctx, "prose-applications", match, figure, _total("carried_over"), (over,), "上年结转", "carried over"
        )
    forward = ctx.int_of(_total("carried_forward"))
    match = _search(text, "carried_forward")
    figure = int(match.group(1)) if match else 0
    if match is None:
        match = _search(text, "no_carried_forward")
    if match:
        key = _total("carried_forward")
        yield from _compare(ctx, "prose-applications", match, figure, key, (forward,), "结转下年度", "carried forward")


def appeals(ctx: Context) -> Iterator[Finding]:
    """``prose-appeals``: what 一、总体情况 says about 行政复议 and 行政诉讼 (none, how many, all
    upheld) agrees with table 4."""
    if not ctx.has_table("table4"):
        return
    text = _overview(ctx)
    if not text:
        return
    t4 = layout_for(ctx.current.format).table4
    recon = ("table4", "reconsideration", "total")
    litigation = [("table4", b.key, "total") for b in t4.blocks if b.key != "reconsideration"]
    if match := _search(text, "no_reconsideration"):
        yield from _compare(ctx, "prose-appeals", match, 0, recon, (), "行政复议", "reconsiderations")
    elif match := _search(text, "reconsideration"):
        yield from _compare(ctx, "prose-appeals", match, int(match.group(1)), recon, (), "行政复议", "reconsiderations")
    if match := _search(text, "no_litigation"):
        for key in litigation:
            yield from _compare(ctx, "prose-appeals", match, 0, key, (), "行政诉讼", "lawsuits")
    elif match := _search(text, "litigation"):
        figure = int(match.group(1))
        values = [ctx.int_of(k) for k in litigation]
        if all(v is not None for v in values):
            total = sum(v for v in values if v is not None)
            if total != figure:
                labels = "、".join(ctx.label(k) for k in litigation)
                yield ctx.finding(
                    "prose-appeals",
                    f"“{layout_for(ctx.current.format).sections[0].label}”称行政诉讼{figure}件（“{match.group(0)}”），"
                    f"但表四{labels}之和为{total}，相差{signed(total - figure)}。",
                    f"The overview states {figure} lawsuits ({match.group(0)!r}) but table 4's two litigation "
                    f"totals sum to {total} (difference {signed(total - figure)}).",
                    table="table4",
                    expected=figure,
                    difference=total - figure,
                    cells=tuple(litigation),
                    text=match.group(0),
                )
    if match := _search(text, "all_upheld"):
        for block in t4.blocks:
            for column in t4.columns:
                if column.key in ("upheld", "total"):
                    continue
                key = ("table4", block.key, column.key)
                value = ctx.int_of(key)
                if not value:
                    continue
                yield ctx.finding(
                    "prose-appeals",
                    f"“{layout_for(ctx.current.format).sections[0].label}”称“{match.group(0)}”，"
                    f"但表四“{block.label}/{column.label}”为{value}。",
                    f"The overview says every appeal was upheld ({match.group(0)!r}) but table 4 "
                    f"{block.key}/{column.key} is {value}.",
                    key=key,
                    printed=ctx.values.get(key),
                    expected=0,
                    difference=value,
                    cells=(key,),
                    text=match.group(0),
                )


def documents(ctx: Context) -> Iterator[Finding]:
    """``prose-documents``: the number of 现行有效 normative documents the 2021 overview
    states agrees with table 2."""
    if ctx.current.format is not Format.V2021 or not ctx.has_table("table2"):
        return
    text = _overview(ctx)
    if match := _search(text, "documents_in_force"):
        key = ("table2", "normative_documents", "in_force")
        yield from _compare(
            ctx, "prose-documents", match, int(match.group(1)), key, (), "现行有效规范性文件", "documents in force"
        )


def fee_report(ctx: Context) -> Iterator[Finding]:
    """``fee-report``: a 2021 report's 六、其他需要报告的事项 mentions the 信息处理费."""
    if ctx.current.format is not Format.V2021:
        return
    text = "\n".join(ctx.current.prose.get("other_matters", ()))
    if any(phrase in text for phrase in FEE_PHRASES):
        return
    lay = layout_for(ctx.current.format)
    section = lay.sections[-1].label
    fees = lay.table2.row("fees").label
    yield ctx.finding(
        "fee-report",
        f"“{section}”未说明{FEE_PHRASES[0]}的收取情况（2021年格式要求报告；与表二“{fees}”不同）。",
        f"Section {section} says nothing about the {FEE_PHRASES[0]} (information processing fee) that the "
        "2021 format asks for (table 2's administrative fees are a different thing).",
        text=text or None,
    )
