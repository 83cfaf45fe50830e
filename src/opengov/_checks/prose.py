"""Prose against the tables, and the 2021 信息处理费 statement.

The figures of 一、总体情况 and 六、其他需要报告的事项 are read by the grammar of
:mod:`opengov._checks.grammar` (statements with a subject and a count, see
:data:`~opengov._checks.grammar.SUBJECTS`); here each statement is compared with the table
cells it speaks of.  A warning is raised only for a certain contradiction:

* a statement may be read in more than one way (「收到申请749件」 may count the applications
  carried over from last year too; 「行政诉讼9件」 may count only the direct lawsuits): each
  reading is an *alternative* sum of cells, and a figure that agrees with any of them is
  accepted;
* a blank, placeholder or absent cell can hold any count (unless ``blanks="zero"``), and a
  blank 总计 stands for the sum of its row: the table then gives a range, and a figure inside
  it is accepted (「予以公开及部分公开258件」 contradicts a table whose printed parts of those
  rows already add up to 275);
* a subject stated more than once with different counts (a city's figure and its own) is
  compared only if the table agrees with none of them; a count of none (「未发生行政复议」)
  is always compared, cell by cell.

Each finding quotes the whole sentence (``text``) and says where it is (``section``,
``paragraph``, ``span``).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence

from opengov._codec import shown
from opengov.layout import Format, layout_for

from ._context import Context, signed
from .finding import CellKey, Finding
from .grammar import LEXICON, Statement

__all__ = ["LEXICON", "applications", "outcomes", "appeals", "documents", "fee_report"]

T3, T4, T2 = "table3", "table4", "table2"
Alternative = tuple[CellKey, ...]
"""A sum of cells a statement may be speaking of."""

_GROUP_ZH = {
    "natural_person": "自然人",
    "organisations": "法人或其他组织",
    "commercial": "商业企业",
    "research": "科研机构",
    "social_welfare": "社会公益组织",
    "legal_service": "法律服务机构",
    "other_org": "其他组织",
}
_GROUP_COLUMNS = {
    "organisations": ("commercial", "research", "social_welfare", "legal_service", "other_org"),
}
_APPEAL_ZH = {
    "reconsideration": "行政复议",
    "litigation": "行政诉讼",
    "litigation_direct": "未经复议直接起诉的行政诉讼",
    "litigation_after_reconsideration": "复议后起诉的行政诉讼",
    "appeals": "行政复议和行政诉讼",
}
_APPEAL_EN = {
    "reconsideration": "reconsiderations",
    "litigation": "lawsuits",
    "litigation_direct": "direct lawsuits",
    "litigation_after_reconsideration": "lawsuits after reconsideration",
    "appeals": "reconsiderations and lawsuits",
}
_OUTCOME_ZH = {"upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果", "pending": "尚未审结"}
_CATEGORY_ZH = {
    "granted": "予以公开",
    "partially_granted": "部分公开",
    "granted_or_partial": "予以公开及部分公开",
    "withheld": "不予公开",
    "unable": "无法提供",
    "not_processed": "不予处理",
    "other_processing": "其他处理",
}
_PARTITION = ("withheld", "unable", "not_processed", "other_processing")
"""With 予以公开 and 部分公开 (or both together), the outcome categories that add up to （七）总计."""


# ---------------------------------------------------------------------------------------
# What a statement speaks of
# ---------------------------------------------------------------------------------------


def _t3(row: str, column: str = "total") -> CellKey:
    return (T3, row, column)


@functools.cache
def _category_rows(fmt: Format, category: str) -> tuple[str, ...]:
    """The table 3 rows of an outcome category (or the row itself, for a detail row)."""
    t3 = layout_for(fmt).table3
    if category == "granted_or_partial":
        return ("granted", "partially_granted")
    block = [r.key for r in t3.rows if r.block == category]
    if block:
        return tuple(block)
    if category in t3.outcome_rows:
        return (category,)
    return ()


def _appeal_blocks(appeal: str) -> tuple[tuple[str, ...], ...]:
    """The table 4 blocks an appeal noun counts: the first reading, then looser ones."""
    if appeal == "litigation":
        return (("litigation_direct", "litigation_after_reconsideration"), ("litigation_direct",))
    if appeal == "appeals":
        return (
            ("reconsideration", "litigation_direct", "litigation_after_reconsideration"),
            ("reconsideration", "litigation_direct"),
        )
    return ((appeal,),)


def targets(ctx: Context, subject: str) -> tuple[Alternative, ...]:
    """The sums of cells a statement of ``subject`` may be speaking of (the first is its
    plain reading); none when the report's format or tables have nothing to compare."""
    return _targets(ctx.current.format, ctx.current.tables, subject)


@functools.cache
def _targets(fmt: Format, tables: frozenset[str], subject: str) -> tuple[Alternative, ...]:
    """:func:`targets` of a report of format ``fmt`` holding ``tables`` (cached over a closed
    set: two formats, the sets of the three tables, the grammar's :data:`~opengov._checks.grammar.SUBJECTS`)."""
    head, _, detail = subject.partition(":")
    if head in ("received", "handled"):
        if T3 not in tables:
            return ()
        columns = _GROUP_COLUMNS.get(detail, (detail,)) if detail else ("total",)
        row = "new_received" if head == "received" else "total_handled"
        own = tuple(_t3(row, c) for c in columns)
        both = tuple(_t3(r, c) for r in ("new_received", "carried_over") for c in columns)
        return (own, both)
    if head in ("carried_over", "carried_forward"):
        return ((_t3(head),),) if T3 in tables else ()
    if head == "outcome":
        if T3 not in tables:
            return ()
        rows = _category_rows(fmt, detail)
        if not rows:
            return ()
        plain = tuple(_t3(r) for r in rows)
        if detail == "granted":  # 予以公开 may be said of 予以公开 and 部分公开 together
            return (plain, (_t3("granted"), _t3("partially_granted")))
        return (plain,)
    if head in _APPEAL_ZH:
        if T4 not in tables:
            return ()
        column = detail or "total"
        return tuple(tuple((T4, b, column) for b in blocks) for blocks in _appeal_blocks(head))
    if head == "in_force":
        if fmt is not Format.V2021 or T2 not in tables:
            return ()
        return (((T2, detail, "in_force"),),)
    return ()


@functools.cache
def _rule(subject: str) -> str | None:
    """The prose rule that compares statements of ``subject`` (one of the grammar's
    :data:`~opengov._checks.grammar.SUBJECTS`: cached over a closed set)."""
    head = subject.partition(":")[0]
    if head in ("received", "handled", "carried_over", "carried_forward"):
        return "prose-applications"
    if head == "outcome":
        return "prose-outcomes"
    if head in _APPEAL_ZH:
        return "prose-appeals"
    if head == "in_force":
        return "prose-documents"
    return None


def describe(fmt: Format, subject: str) -> tuple[str, str]:
    """What a subject is, in Chinese and in English (for messages)."""
    head, _, detail = subject.partition(":")
    if head in ("received", "handled"):
        zh = {"received": "收到", "handled": "办理"}[head]
        en = {"received": "received", "handled": "handled"}[head]
        if detail:
            return f"{_GROUP_ZH[detail]}申请{zh}", f"applications from {detail} {en}"
        return f"{zh}申请", f"applications {en}"
    if head == "carried_over":
        return "上年结转", "applications carried over"
    if head == "carried_forward":
        return "结转下年度", "applications carried forward"
    if head == "outcome":
        if detail in _CATEGORY_ZH:
            return _CATEGORY_ZH[detail], f"outcome {detail}"
        t3 = layout_for(fmt).table3
        row = next((r for r in t3.rows if r.key == detail), None)
        return (row.label if row else detail), f"outcome {detail}"
    if head in _APPEAL_ZH:
        if detail:
            return f"{_APPEAL_ZH[head]}“{_OUTCOME_ZH[detail]}”", f"{_APPEAL_EN[head]} {detail}"
        return _APPEAL_ZH[head], _APPEAL_EN[head]
    if head == "in_force":
        label = layout_for(Format.V2021).table2.row(detail).label
        return f"现行有效{label}", f"{detail} in force"
    return subject, subject


# ---------------------------------------------------------------------------------------
# Comparing
# ---------------------------------------------------------------------------------------


def _range(ctx: Context, cells: Alternative) -> tuple[int, float]:
    lo, hi = 0, 0.0
    for key in cells:
        a, b = ctx.cell_range(key)
        lo += a
        hi += b
    return lo, hi


def _agrees(ctx: Context, figure: int, alternatives: Sequence[Alternative]) -> bool:
    """Whether ``figure`` is possible under one of the readings."""
    for cells in alternatives:
        lo, hi = _range(ctx, cells)
        if lo <= figure <= hi:
            return True
    return False


def _section_label(ctx: Context, section: str) -> str:
    return _label_of_section(ctx.current.format, section)


@functools.cache
def _label_of_section(fmt: Format, section: str) -> str:
    """The label of prose section ``section`` in the layout of ``fmt`` (cached over a closed
    set: two formats, six sections)."""
    return next((s.label for s in layout_for(fmt).sections if s.key == section), section)


def _prose_finding(
    ctx: Context,
    rule: str,
    section: str,
    paragraph: int,
    statement: Statement,
    cells: Alternative,
    what: tuple[str, str],
    figure: int,
) -> Finding:
    """A finding: the sentence states ``figure`` of ``what``, the table's ``cells`` say otherwise."""
    lo, hi = _range(ctx, cells)
    exact = lo == hi
    label = _section_label(ctx, section)
    if len(cells) == 1:
        key: CellKey | None = cells[0]
        where_zh = f"“{ctx.label(cells[0])}”"
        where_en = f"{cells[0][0]} {cells[0][1]}/{cells[0][2]}"
        value = ctx.values.get(cells[0])
        table_figure = shown(value) if type(value) is int else None
    else:
        key = None
        where_zh = "、".join(f"“{ctx.label(k)}”" for k in cells) + "之和"
        where_en = "the sum of " + ", ".join(f"{k[0]} {k[1]}/{k[2]}" for k in cells)
        table_figure = None
    if exact:
        difference: int | None = lo - figure
        if table_figure is None and len(cells) == 1:  # blank or absent, counted as 0 (blanks="zero")
            shown_zh = f"{shown(ctx.values.get(cells[0]))}（按{lo}计）"
            shown_en = f"{shown(ctx.values.get(cells[0]))} (counted as {lo})"
        else:
            shown_zh = shown_en = table_figure or str(lo)
        tail_zh = f"为{shown_zh}，相差{signed(lo - figure)}"
        tail_en = f"is {shown_en} (difference {signed(lo - figure)})"
    elif lo > figure:
        difference = None
        tail_zh = f"至少为{lo}"
        tail_en = f"is at least {lo}"
    else:
        difference = None
        tail_zh = f"至多为{int(hi)}"
        tail_en = f"is at most {int(hi)}"
    return ctx.finding(
        rule,
        f"“{label}”称{what[0]}{figure}件（“{statement.sentence}”），但表中{where_zh}{tail_zh}。",
        f"Section {label} states {what[1]} {figure} ({statement.sentence!r}) but {where_en} {tail_en}.",
        key=key,
        table=cells[0][0],
        printed=ctx.values.get(key) if key is not None else None,
        expected=figure,
        difference=difference,
        cells=cells,
        text=statement.sentence,
        section=section,
        paragraph=paragraph,
        span=(statement.start, statement.end),
    )


def _compare(ctx: Context, rule: str) -> Iterator[Finding]:
    """The findings of one prose rule: each statement of its subjects against its cells."""
    fmt = ctx.current.format
    stated: dict[str, list[tuple[str, int, Statement]]] = {}
    for section, paragraph, statement in ctx.statements:
        if statement.value is None or _rule(statement.subject) != rule:
            continue
        stated.setdefault(statement.subject, []).append((section, paragraph, statement))
    for subject, found in stated.items():
        alternatives = targets(ctx, subject)
        if not alternatives:
            continue
        counts = [(s, p, st) for s, p, st in found if st.value]
        # a subject stated with several counts: compared only when the table agrees with none
        consistent = any(_agrees(ctx, st.value or 0, alternatives) for _, _, st in counts)
        for section, paragraph, statement in found:
            figure = statement.value or 0
            if figure == 0:
                yield from _compare_none(ctx, rule, section, paragraph, statement, subject, alternatives[0])
                continue
            if consistent:
                continue
            yield _prose_finding(
                ctx, rule, section, paragraph, statement, alternatives[0], describe(fmt, subject), figure
            )


def _compare_none(
    ctx: Context, rule: str, section: str, paragraph: int, statement: Statement, subject: str, cells: Alternative
) -> Iterator[Finding]:
    """A count of none against its cells: a finding for each cell that holds more."""
    for key in cells:
        lo, _ = ctx.cell_range(key)
        if lo > 0:
            what = describe(ctx.current.format, subject)
            yield _prose_finding(ctx, rule, section, paragraph, statement, (key,), what, 0)


def _none_received(ctx: Context) -> Iterator[Finding]:
    """Prose says no application was received (「未收到」「共收到0件」), table 3's
    一、本年新收 agrees (or is unknown), but its outcome rows record more applications than
    were carried over from last year."""
    if not ctx.has_table(T3):
        return
    fmt = ctx.current.format
    for section, paragraph, statement in ctx.statements:
        if statement.subject != "received" or statement.value != 0:
            continue
        if ctx.cell_range(_t3("new_received"))[0] > 0:
            continue  # already a finding on 一、本年新收
        over_hi = ctx.cell_range(_t3("carried_over"))[1]
        rows = [_t3(r) for r in layout_for(fmt).table3.outcome_rows]
        busy = [k for k in rows if ctx.cell_range(k)[0] > 0]
        total = sum(ctx.cell_range(k)[0] for k in busy)
        if not busy or total <= over_hi:
            continue
        label = _section_label(ctx, section)
        names = "、".join(f"“{ctx.label(k)}”" for k in busy)
        over = "没有" if over_hi == 0 else f"仅有{int(over_hi)}件"
        yield ctx.finding(
            "prose-applications",
            f"“{label}”称本年未收到申请（“{statement.sentence}”），但表三{names}共记录至少{total}件办理结果，"
            f"而上年结转{over}。",
            f"Section {label} says no application was received ({statement.sentence!r}) but table 3 records at "
            f"least {total} outcomes ({', '.join(k[1] for k in busy)}) with {int(over_hi)} carried over.",
            key=busy[0],
            printed=ctx.values.get(busy[0]),
            expected=0,
            cells=tuple(busy),
            text=statement.sentence,
            section=section,
            paragraph=paragraph,
            span=(statement.start, statement.end),
        )
        return


def applications(ctx: Context) -> Iterator[Finding]:
    """``prose-applications``: the applications the prose says were received (in all, or by
    natural persons and organisations), handled, carried over and carried forward agree with
    table 3; and prose that says none were received has no outcome rows against it."""
    yield from _compare(ctx, "prose-applications")
    yield from _none_received(ctx)


def outcomes(ctx: Context) -> Iterator[Finding]:
    """``prose-outcomes``: the counts the prose gives of outcome categories (予以公开及部分公开,
    不予公开, 无法提供, 不予处理, 其他处理, or a single outcome row) agree with the sum of
    their rows in table 3; when every category is given, they add up to （七）总计."""
    yield from _compare(ctx, "prose-outcomes")
    yield from _category_sum(ctx)


def _category_sum(ctx: Context) -> Iterator[Finding]:
    if not ctx.has_table(T3):
        return
    given: dict[str, set[int]] = {}
    where: dict[str, tuple[str, int, Statement]] = {}
    for section, paragraph, statement in ctx.statements:
        head, _, category = statement.subject.partition(":")
        if head != "outcome" or statement.value is None or category not in _CATEGORY_ZH:
            continue
        given.setdefault(category, set()).add(statement.value)
        where.setdefault(category, (section, paragraph, statement))
    if any(len(v) > 1 for v in given.values()):
        return
    if "granted_or_partial" in given:
        parts = ["granted_or_partial"]
        if "granted" in given or "partially_granted" in given:
            return
    elif "granted" in given and "partially_granted" in given:
        parts = ["granted", "partially_granted"]
    else:
        return
    if not all(c in given for c in _PARTITION):
        return
    parts += _PARTITION
    total = sum(next(iter(given[c])) for c in parts)
    key = _t3("total_handled")
    lo, hi = ctx.cell_range(key)
    if lo <= total <= hi:
        return
    section, paragraph, statement = where[parts[0]]
    last = max((where[c] for c in parts), key=lambda w: (w[1], w[2].start))
    sentences = list(dict.fromkeys(where[c][2].sentence for c in parts))
    text = "".join(sentences)
    figures = "+".join(str(next(iter(given[c]))) for c in parts)
    label = _section_label(ctx, section)
    exact = lo == hi
    tail_zh = f"为{lo}，相差{signed(lo - total)}" if exact else f"至少为{lo}"
    tail_en = f"is {lo} (difference {signed(lo - total)})" if exact else f"is at least {lo}"
    yield ctx.finding(
        "prose-outcomes",
        f"“{label}”所述各类办理结果之和为{figures}={total}件，但表三“{ctx.label(key)}”{tail_zh}。",
        f"The outcome categories section {label} gives add up to {figures}={total} but table 3 "
        f"total_handled/total {tail_en}.",
        key=key,
        printed=ctx.values.get(key),
        expected=total,
        difference=lo - total if exact else None,
        cells=(key,),
        text=text,
        section=section,
        paragraph=paragraph,
        span=(statement.start, last[2].end) if last[1] == paragraph and last[0] == section else None,
    )


def appeals(ctx: Context) -> Iterator[Finding]:
    """``prose-appeals``: what the prose says of 行政复议 and 行政诉讼 — how many, how many
    with each outcome, none (「未发生…行政复议」), none corrected or lost
    (「未发生…被行政复议纠错或行政诉讼败诉」), all upheld (「均获维持」) — agrees with table 4."""
    yield from _compare(ctx, "prose-appeals")


def documents(ctx: Context) -> Iterator[Finding]:
    """``prose-documents``: the number of 现行有效 规章 and 规范性文件 the 2021 prose states
    agrees with table 2."""
    yield from _compare(ctx, "prose-documents")


def fee_report(ctx: Context) -> Iterator[Finding]:
    """``fee-report``: a 2021 report's 六、其他需要报告的事项 states the 信息处理费 — an amount
    charged, or that none was (「未收取信息处理费」, 「未发生收费情况」).  Table 2's
    行政事业性收费 is a different thing and never satisfies this rule."""
    if ctx.current.format is not Format.V2021:
        return
    if any(s == "other_matters" and st.subject == "fee" for s, _, st in ctx.statements):
        return
    text = "\n".join(ctx.current.prose.get("other_matters", ()))
    lay = layout_for(ctx.current.format)
    section = lay.sections[-1].label
    fees = lay.table2.row("fees").label
    yield ctx.finding(
        "fee-report",
        f"“{section}”未说明信息处理费的收取情况（2021年格式要求报告；与表二“{fees}”不同）。",
        f"Section {section} says nothing about the 信息处理费 (information processing fee) that the "
        "2021 format asks for (table 2's administrative fees are a different thing).",
        text=text or None,
        section="other_matters" if text else None,
    )
