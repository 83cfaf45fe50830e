"""The rules, as data: one :class:`Rule` record per rule in one tuple, :data:`RULES`."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType

import attrs

from opengov._errors import Severity

from . import cells, culprits, group, previous, prose, structure, table3, table4, undecided
from ._context import Context
from .finding import Finding

__all__ = ["Rule", "RULES", "RULES_BY_ID", "rules", "rule"]


@attrs.frozen(kw_only=True)
class Rule:
    """One check: a stable ``id``, its ``severity``, a title in Chinese and English, a
    one-line ``description`` and the ``function`` that yields its findings."""

    id: str
    severity: Severity
    title_zh: str
    title_en: str
    description: str
    function: Callable[[Context], Iterable[Finding]] = attrs.field(repr=False, eq=False)


E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

RULES: tuple[Rule, ...] = (
    Rule(
        id="structure",
        severity=E,
        title_zh="表格缺失或不完整",
        title_en="Table missing or incomplete",
        description="Tables 2, 3 and 4 are present and every cell of the format is in the document.",
        function=structure.missing_tables,
    ),
    Rule(
        id="sections",
        severity=W,
        title_zh="正文部分缺失",
        title_en="Section missing",
        description="The prose sections overview, problems and other_matters are present and not empty.",
        function=structure.empty_sections,
    ),
    Rule(
        id="cell",
        severity=E,
        title_zh="单元格数值不合规",
        title_en="Invalid cell value",
        description="Counts are non-negative integers, money non-negative; only the 2019 change column is signed.",
        function=cells.bad_values,
    ),
    Rule(
        id="blank",
        severity=W,
        title_zh="空白或占位单元格",
        title_en="Blank or placeholder cell",
        description="A data cell printed empty or with a placeholder glyph (/, —, 无 …) instead of a number.",
        function=cells.blank_cells,
    ),
    Rule(
        id="unit",
        severity=W,
        title_zh="单位与栏目不符",
        title_en="Unit contradicts its column",
        description="A cell prints a unit that contradicts its column (元 in a 万元 column, money in a count one).",
        function=cells.wrong_units,
    ),
    Rule(
        id="t3-row-total",
        severity=E,
        title_zh="表三行合计不符",
        title_en="Table 3 row total",
        description="On every row of table 3, total = natural_person + the five organisation columns.",
        function=table3.row_totals,
    ),
    Rule(
        id="t3-outcomes",
        severity=E,
        title_zh="表三办理结果总计不符",
        title_en="Table 3 outcome total",
        description="In every column of table 3, total_handled = the sum of the outcome rows (21 in 2021, 19 in 2019).",
        function=table3.outcome_totals,
    ),
    Rule(
        id="t3-balance",
        severity=E,
        title_zh="表三勾稽关系不符",
        title_en="Table 3 balance",
        description="In every column: new_received + carried_over = total_handled + carried_forward (about it).",
        function=table3.balances,
    ),
    Rule(
        id="t3-group-total",
        severity=E,
        title_zh="表三分组合计不符",
        title_en="Table 3 printed group total",
        description=(
            "A group printed as one row with figures (2021: other_processing, the 2019 way): its total is the "
            "sum of its columns, it equals its numbered rows, and stands for them in total_handled when they "
            "are not printed (that column of t3-outcomes is then decided here: no undecided finding about it, "
            'and no reading of the absent rows as 0 under blanks="zero").'
        ),
        function=group.group_totals,
    ),
    Rule(
        id="t3-culprit",
        severity=INFO,
        title_zh="表三疑似错误单元格",
        title_en="Table 3 likely culprit",
        description="The one table 3 cell that, changed alone, satisfies every identity it is in (its row and its "
        "column), with that value; the candidates when several could.",
        function=culprits.t3_culprits,
    ),
    Rule(
        id="t4-block",
        severity=E,
        title_zh="表四总计不符",
        title_en="Table 4 block total",
        description="In each table 4 block, total = upheld + corrected + other + pending.",
        function=table4.block_totals,
    ),
    Rule(
        id="t4-culprit",
        severity=INFO,
        title_zh="表四疑似错误单元格",
        title_en="Table 4 likely culprit",
        description="For a broken table 4 block: the total or part that, changed alone, repairs it, with the value "
        "it needs (decided by a transposition or by the prose's figure); else every candidate with its value.",
        function=culprits.t4_culprits,
    ),
    Rule(
        id="swapped-culprit",
        severity=INFO,
        title_zh="疑似两数对调",
        title_en="Two cells swapped",
        description="Two cells of one row or column (tables 2, 3, 4) printed in each other's place: exchanged back, "
        "every identity either is in holds. One finding about each cell.",
        function=culprits.swapped,
    ),
    Rule(
        id="transposed-culprit",
        severity=INFO,
        title_zh="疑似数字位置颠倒",
        title_en="Transposed digits",
        description="A culprit cell (tables 2, 3, 4) whose printed figure is the value it needs with two adjacent "
        "digits transposed (1289 printed for 1298).",
        function=culprits.transposed,
    ),
    Rule(
        id="blank-total",
        severity=INFO,
        title_zh="空白合计应填数值",
        title_en="Blank total's value",
        description="A total (or 结转下年度) printed blank or with a placeholder while every other cell of its "
        "identities is printed: the value it should hold.",
        function=culprits.blank_totals,
    ),
    Rule(
        id="undecided",
        severity=INFO,
        title_zh="无法判断",
        title_en="Cannot decide",
        description="An identity meets blank, placeholder, absent or non-integer cells: names them, decides nothing.",
        function=undecided.undecided_identities,
    ),
    Rule(
        id="previous-year",
        severity=W,
        title_zh="上一年度报告年份不符",
        title_en="Previous report's year",
        description="The previous report given is for the year before; otherwise nothing is compared with it.",
        function=previous.previous_year,
    ),
    Rule(
        id="carry-over",
        severity=E,
        title_zh="上年结转数不符",
        title_en="Carry-over",
        description="Per column, carried_over equals the previous year's carried_forward.",
        function=previous.carry_over,
    ),
    Rule(
        id="t2-stock",
        severity=W,
        title_zh="现行有效件数不衔接",
        title_en="Table 2 stock",
        description="Table 2 against last year's report of the same format (a heuristic): 2021 in_force = last "
        "year's + issued − repealed; 2019 total_published = last year's + new_published, previous_count = last "
        "year's previous_count + change.",
        function=previous.stock,
    ),
    Rule(
        id="t2-culprit",
        severity=INFO,
        title_zh="表二疑似错误单元格",
        title_en="Table 2 likely culprit",
        description="For a broken table 2 stock identity: the cell of this year's report that, changed alone, "
        "satisfies it, with its value (candidates when several; transpositions and swaps named as such).",
        function=previous.stock_culprits,
    ),
    Rule(
        id="prose-applications",
        severity=W,
        title_zh="总体情况申请数与表三不符",
        title_en="Overview vs table 3",
        description="Applications received (in all or by applicant), handled, carried over and forward stated in "
        "一 and 六 match table 3; prose saying none was received has no outcome rows against it.",
        function=prose.applications,
    ),
    Rule(
        id="prose-outcomes",
        severity=W,
        title_zh="总体情况办理结果数与表三不符",
        title_en="Overview vs table 3 outcomes",
        description="Counts of outcome categories stated in 一 and 六 (予以公开及部分公开, 无法提供 …) match the sum "
        "of their rows in table 3, and, when every category is given, add up to （七）总计.",
        function=prose.outcomes,
    ),
    Rule(
        id="prose-appeals",
        severity=W,
        title_zh="总体情况复议诉讼与表四不符",
        title_en="Overview vs table 4",
        description="What 一 and 六 say of appeals and lawsuits (none, how many, with which outcome, none corrected "
        "or lost, all upheld) matches table 4.",
        function=prose.appeals,
    ),
    Rule(
        id="prose-documents",
        severity=W,
        title_zh="总体情况规范性文件数与表二不符",
        title_en="Overview vs table 2",
        description="2021: the 规章 and normative documents in force stated in 一 and 六 match table 2.",
        function=prose.documents,
    ),
    Rule(
        id="fee-report",
        severity=INFO,
        title_zh="未报告信息处理费",
        title_en="Information processing fee not reported",
        description="2021: section other_matters states the 信息处理费, charged or not (「未收取信息处理费」, "
        "「未发生收费情况」); table 2's 行政事业性收费 does not count.",
        function=prose.fee_report,
    ),
)
"""Every rule, in the order :func:`opengov.check` runs them."""

RULES_BY_ID: Mapping[str, Rule] = MappingProxyType({r.id: r for r in RULES})
"""The rules keyed by id (read-only)."""


def rules() -> tuple[Rule, ...]:
    """Every rule (the same as :data:`RULES`)."""
    return RULES


def rule(rule_id: str) -> Rule:
    """One rule by its id (``KeyError`` naming the known ids otherwise)."""
    try:
        return RULES_BY_ID[rule_id]
    except KeyError:
        raise KeyError(f"unknown rule {rule_id!r}; known rules: {', '.join(RULES_BY_ID)}") from None
