"""Checks: properties over generated reports, and the rules one by one on small reports."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import opengov
from budget import examples
from opengov import BLANK, Amount, Placeholder, Report, Severity, check
from opengov._checks import RULES, Finding
from opengov._errors import Location
from opengov._result import ParseResult
from opengov.testing import any_reports, broken_reports, reports

ARITHMETIC = {"t3-row-total", "t3-outcomes", "t3-balance", "t4-block"}
RULE_SEVERITY = {r.id: r.severity for r in RULES}


def serious(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity in (Severity.ERROR, Severity.WARNING)]


FEE = ("本年度未收取信息处理费。",)
"""六 stating the fee and no figure (generated prose may state figures the tables do not hold)."""


def true_prose(report: Report) -> tuple[str, ...]:
    """An overview stating the report's own figures, the way real reports word them."""

    def t3(row: str) -> object:
        return report.cell("table3", row, "total")

    recon = report.cell("table4", "reconsideration", "total")
    lawsuits = report.cell("table4", "litigation_direct", "total") + report.cell(  # type: ignore[operator]
        "table4", "litigation_after_reconsideration", "total"
    )
    appeals = "未发生政府信息公开行政复议。" if recon == 0 else f"因政府信息公开引起的行政复议案件{recon}件、"
    appeals += "未发生行政诉讼情况。" if lawsuits == 0 else f"行政诉讼案件{lawsuits}件。"
    return (
        f"全年共收到依申请公开件{t3('new_received')}件，办理{t3('total_handled')}件"
        f"（含上一年结转{t3('carried_over')}件，结转下年度继续办理{t3('carried_forward')}件）。{appeals}",
    )


# ---------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------


@given(reports())
def test_consistent_reports_give_no_error_or_warning(report: Report) -> None:
    report = attrs.evolve(report, overview=true_prose(report), other_matters=FEE)
    assert serious(check(report)) == []


@given(broken_reports())
def test_a_mutated_cell_is_named_with_the_mutation_as_difference(pair: tuple[Report, object]) -> None:
    report, mutation = pair
    findings = check(report)
    naming = [f for f in findings if f.rule in ARITHMETIC and mutation.key in f.cells]  # type: ignore[attr-defined]
    assert naming, f"no arithmetic finding names {mutation}"
    # difference = printed − expected: +delta when the finding is about the mutated cell, −delta
    # when the mutated cell is a part of the identity.
    for f in naming:
        assert f.severity is Severity.ERROR
        sign = 1 if f.key == mutation.key else -1  # type: ignore[attr-defined]
        coefficient = sign if not (f.rule == "t3-balance" and mutation.row == "total_handled") else 1  # type: ignore[attr-defined]
        assert f.difference == coefficient * mutation.delta  # type: ignore[attr-defined]
    if mutation.table == "table3":  # type: ignore[attr-defined]
        culprits = [f for f in findings if f.rule in ("t3-culprit", "transposed-culprit")]
        assert len(culprits) == 1
        (culprit,) = culprits
        # a change that transposes two adjacent digits is named as such
        digits, printed = str(mutation.before), str(mutation.after)  # type: ignore[attr-defined]
        transposed = len(digits) == len(printed) and any(
            printed == digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :] for i in range(len(digits) - 1)
        )
        assert culprit.rule == ("transposed-culprit" if transposed else "t3-culprit")
        assert culprit.key == mutation.key  # type: ignore[attr-defined]
        assert culprit.expected == mutation.before  # type: ignore[attr-defined]
        assert culprit.difference == mutation.delta  # type: ignore[attr-defined]


@given(reports(), st.data())
def test_a_blanked_cell_gives_a_blank_finding_and_no_false_arithmetic_error(
    report: Report, data: st.DataObject
) -> None:
    report = attrs.evolve(report, overview=true_prose(report), other_matters=FEE)
    cell = data.draw(st.sampled_from(list(report.cells())))
    blanked = report.with_cell(
        cell.table, cell.row, cell.column, data.draw(st.sampled_from([BLANK, Placeholder(glyph="/")]))
    )
    findings = check(blanked)
    blank = [f for f in findings if f.rule == "blank"]
    assert [f.key for f in blank] == [cell.key]
    assert [f for f in serious(findings) if f.rule != "blank"] == []
    undecided = [f for f in findings if f.rule == "undecided"]
    if cell.table != "table2":
        assert undecided, "an identity with a blank must say it cannot decide"
    for f in undecided:
        assert f.blanks == (cell.key,)
        if f.key == cell.key:  # the blank is the total: the value it should hold is given
            assert f.expected == cell.value


@settings(max_examples=examples(60))
@given(any_reports(absent=True), st.none() | any_reports(absent=True), st.sampled_from(["undecided", "zero"]))
def test_check_never_raises_and_findings_are_well_formed(report: Report, previous: Report | None, blanks: str) -> None:
    findings = check(report, previous, blanks=blanks)  # type: ignore[arg-type]
    known = {c.key for c in report.cells()}
    for f in findings:
        assert f.rule in RULE_SEVERITY
        assert f.severity is RULE_SEVERITY[f.rule] or f.rule == "undecided"
        assert f.message_zh
        assert f.message_en
        assert set(f.cells) <= known
        assert set(f.blanks) <= set(f.cells) | known
        if f.key is not None:
            assert f.key in known


def _number(value: object, blanks: str) -> int | None:
    """What a cell contributes to a sum, worked out here: an int as printed; a blank,
    placeholder or absent cell 0 under blanks="zero"; anything else nothing."""
    if type(value) is int:
        return value
    if blanks == "zero" and (value is None or isinstance(value, (type(BLANK), Placeholder))):
        return 0
    return None


def _expected_identity_findings(report: Report, blanks: str) -> tuple[set[object], set[object]]:
    """Every table 3 and 4 sum of the report done here: ``(rule, cell, difference, expected)``
    for each broken one, ``(rule, cell, blanks, expected)`` for each one a cell cannot enter."""
    lay = report.layout
    sums: list[tuple[str, tuple[str, str, str], list[tuple[str, str, str]], list[tuple[str, str, str]]]] = []
    if report.table3 is not None:
        columns = [c.key for c in lay.table3.columns]
        parts = [c for c in columns if c != "total"]
        for row in lay.table3.rows:
            t = ("table3", row.key, "total")
            sums.append(("t3-row-total", t, [t], [("table3", row.key, c) for c in parts]))
        for c in columns:
            handled = ("table3", "total_handled", c)
            sums.append(("t3-outcomes", handled, [handled], [("table3", r, c) for r in lay.table3.outcome_rows]))
            forward = ("table3", "carried_forward", c)
            new, over = ("table3", "new_received", c), ("table3", "carried_over", c)
            # 一 + 二 = （七） + 四, about 四: 四 + （七） − 一 − 二 = 0
            sums.append(("t3-balance", forward, [forward, handled], [new, over]))
    if report.table4 is not None:
        columns = [c.key for c in lay.table4.columns]
        for block in lay.table4.blocks:
            t = ("table4", block.key, "total")
            sums.append(("t4-block", t, [t], [("table4", block.key, c) for c in columns if c != "total"]))
    broken: set[object] = set()
    undecided: set[object] = set()
    for rule, about, plus, minus in sums:
        numbers = {k: _number(report.cell(*k), blanks) for k in plus + minus}
        unusable = frozenset(k for k, n in numbers.items() if n is None)
        if unusable:
            usable = sum(numbers[k] or 0 for k in plus) - sum(numbers[k] or 0 for k in minus)
            blank = all(
                report.cell(*k) is None or isinstance(report.cell(*k), (type(BLANK), Placeholder)) for k in unusable
            )
            # the unusable cells hold 0 or more: all among the parts and the printed parts
            # already beyond the total, or all on the total's side and it already short
            if blank and ((unusable <= set(minus) and usable < 0) or (unusable <= set(plus) and usable > 0)):
                broken.add((rule, about, None, None))
                continue
            rest = sum(numbers[k] or 0 for k in minus) - sum(numbers[k] or 0 for k in plus if k != about)
            undecided.add((rule, about, unusable, rest if unusable == {about} else None))
            continue
        difference = sum(numbers[k] or 0 for k in plus) - sum(numbers[k] or 0 for k in minus)
        if difference:
            broken.add((rule, about, difference, (numbers[about] or 0) - difference))
    return broken, undecided


@st.composite
def _blanked_reports(draw: st.DrawFn) -> Report:
    """A consistent report with a few table 3/4 cells made blank, a placeholder or absent
    (often cells that printed 0, so the sums still agree when those count as 0)."""
    report = draw(reports())
    cells = [c for c in report.cells() if c.table != "table2"]
    for cell in draw(st.lists(st.sampled_from(cells), min_size=1, max_size=4, unique_by=lambda c: c.key)):
        value = draw(st.sampled_from([BLANK, Placeholder(glyph="/"), None]))
        report = report.with_cell(cell.table, cell.row, cell.column, value)
    return report


@settings(max_examples=examples(150))
@given(any_reports(absent=True) | reports() | _blanked_reports(), st.sampled_from(["undecided", "zero"]))
def test_identity_findings_are_the_sums_done_here(report: Report, blanks: str) -> None:
    findings = check(report, blanks=blanks)  # type: ignore[arg-type]
    broken = {(f.rule, f.key, f.difference, f.expected) for f in findings if f.rule in ARITHMETIC}
    undecided = {
        (f.identity, f.key, frozenset(f.blanks), f.expected)
        for f in findings
        if f.rule == "undecided" and f.identity in ARITHMETIC
    }
    assert (broken, undecided) == _expected_identity_findings(report, blanks)


@given(reports(), reports())
def test_carry_over_compares_each_column_with_last_year(report: Report, previous: Report) -> None:
    assert report.year is not None
    previous = attrs.evolve(previous, year=report.year - 1)
    findings = [f for f in check(report, previous) if f.rule == "carry-over"]
    columns = [c.key for c in report.layout.table3.columns]
    differing = {
        c: report.cell("table3", "carried_over", c) - previous.cell("table3", "carried_forward", c)  # type: ignore[operator]
        for c in columns
        if report.cell("table3", "carried_over", c) != previous.cell("table3", "carried_forward", c)
    }
    assert {f.column: f.difference for f in findings} == differing
    for f in findings:
        assert f.previous_cells == (("table3", "carried_forward", f.column),)


# ---------------------------------------------------------------------------------------
# Rules one by one
# ---------------------------------------------------------------------------------------


def _base(fmt: str = "2021") -> Report:
    """A small consistent report built in code (every total computed by the builders)."""
    from opengov import (
        AppealOutcomes,
        Appeals,
        ApplicantCounts,
        Applications2019,
        Applications2021,
        Documents2019,
        Documents2021,
        Fees2019,
        Items2019,
        ProactiveDisclosure2019,
        ProactiveDisclosure2021,
        Procurement2019,
    )

    outcomes = {
        "new_received": ApplicantCounts.build(natural_person=30, commercial=2),
        "carried_over": ApplicantCounts.build(natural_person=3),
        "granted": ApplicantCounts.build(natural_person=20, commercial=1),
        "not_held": ApplicantCounts.build(natural_person=8),
    }
    if fmt == "2021":
        table2: object = ProactiveDisclosure2021(
            rules=Documents2021(issued=1, repealed=0, in_force=5),
            normative_documents=Documents2021(issued=2, repealed=1, in_force=9),
            licensing=100,
            punishment=20,
            enforcement=3,
            fees=Amount(value=Decimal("12.5"), unit="万元"),
        )
        table3: object = Applications2021.build(**outcomes)
    else:
        items = Items2019(previous_count=10, change=-2, decisions=8)
        table2 = ProactiveDisclosure2019(
            rules=Documents2019(new_made=1, new_published=1, total_published=5),
            normative_documents=Documents2019(new_made=2, new_published=2, total_published=9),
            licensing=items,
            other_services=items,
            punishment=items,
            enforcement=items,
            fees=Fees2019(previous_count=3, change=0),
            procurement=Procurement2019(items=4, amount=Amount(value=Decimal("251000"), unit="元")),
        )
        table3 = Applications2019.build(**outcomes)
    report = Report.build(
        format=fmt,
        organ="某某市生态环境局",
        year=2023 if fmt == "2021" else 2020,
        table2=table2,  # type: ignore[arg-type]
        table3=table3,  # type: ignore[arg-type]
        table4=Appeals.build(reconsideration=AppealOutcomes.build(upheld=1, pending=1)),
        problems=("存在的主要问题是公开质量有待提升。",),
        other_matters=("本年度未收取信息处理费。",),
    )
    return attrs.evolve(report, overview=true_prose(report))


def test_registry_ids_are_unique_and_complete() -> None:
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    assert opengov.RULES is RULES
    for r in RULES:
        assert r.title_zh
        assert r.title_en
        assert r.description
        assert r.function.__doc__


def test_cell_rule_flags_negative_counts_and_decimals_but_not_2019_changes() -> None:
    report = _base().with_cell("table3", "granted", "research", -2)
    report = report.with_cell("table2", "licensing", "decisions", Amount(value=Decimal("2.5")))
    cells = {f.key: f for f in check(report) if f.rule == "cell"}
    assert set(cells) == {("table3", "granted", "research"), ("table2", "licensing", "decisions")}
    assert cells[("table3", "granted", "research")].printed == -2
    old = _base("2019").with_cell("table2", "punishment", "change", -18)
    assert [f for f in check(old) if f.rule == "cell"] == []


def test_unit_rule_flags_yuan_in_a_wan_yuan_column() -> None:
    report = _base().with_cell("table2", "fees", "amount", Amount(value=Decimal("251000"), unit="元"))
    (finding,) = [f for f in check(report) if f.rule == "unit"]
    assert finding.key == ("table2", "fees", "amount")
    assert finding.severity is Severity.WARNING
    ok = _base().with_cell("table2", "fees", "amount", Amount(value=Decimal("1341"), unit="万元"))
    assert [f for f in check(ok) if f.rule == "unit"] == []


def test_blanks_as_zero_option() -> None:
    report = _base().with_cell("table3", "granted", "total", BLANK)
    granted = report.cell("table3", "granted", "natural_person")
    zero = [f for f in check(report, blanks="zero") if f.rule == "t3-row-total"]
    parts = sum(
        report.cell("table3", "granted", c)
        for c in (
            "natural_person",
            "commercial",
            "research",  # type: ignore[misc]
            "social_welfare",
            "legal_service",
            "other_org",
        )
    )
    if parts:
        assert [f.key for f in zero] == [("table3", "granted", "total")]
        assert zero[0].difference == -parts
    assert granted is not None
    assert not [f for f in check(report) if f.rule in ARITHMETIC]


def test_findings_carry_source_locations_from_a_parse_result() -> None:
    report = _base()
    key = ("table3", "granted", "total")
    wrong = report.with_cell(*key, report.cell(*key) + 1)  # type: ignore[operator]
    where = Location(line=42, column=7)
    findings = check(ParseResult(report=wrong, locations={key: where}))
    (row,) = [f for f in findings if f.rule == "t3-row-total"]
    assert row.location == where
    assert row.locations == {key: where}
    assert "line 42" in str(row)


def test_structure_missing_table_and_absent_row() -> None:
    report = attrs.evolve(_base(), table4=None).with_cell("table3", "granted", "commercial", None)
    structure = [f for f in check(report) if f.rule == "structure"]
    assert [f.table for f in structure] == ["table4", "table3"]
    assert structure[1].blanks == (("table3", "granted", "commercial"),)


def test_stock_identity_against_last_year() -> None:
    report = _base().with_cell("table2", "rules", "issued", 3).with_cell("table2", "rules", "repealed", 1)
    report = report.with_cell("table2", "rules", "in_force", 12)
    assert report.year is not None
    previous = attrs.evolve(_base(), year=report.year - 1).with_cell("table2", "rules", "in_force", 10)
    previous = previous.with_cell("table2", "normative_documents", "in_force", 8)  # 8 + 2 − 1 = 9
    assert [f for f in check(report, previous) if f.rule == "t2-stock"] == []
    previous = previous.with_cell("table2", "rules", "in_force", 11)
    (stock,) = [f for f in check(report, previous) if f.rule == "t2-stock"]
    assert (stock.printed, stock.expected, stock.difference, stock.severity) == (12, 13, -1, Severity.WARNING)


def test_previous_report_of_another_year_is_not_compared() -> None:
    report = _base()
    assert report.year is not None
    previous = attrs.evolve(_base(), year=report.year - 3)
    findings = check(report, previous)
    assert [f.rule for f in findings if f.rule in ("previous-year", "carry-over", "t2-stock")] == ["previous-year"]


# ---------------------------------------------------------------------------------------
# Prose (hand-written strings modelled on the samples)
# ---------------------------------------------------------------------------------------


def _prose(report: Report, overview: str) -> list[Finding]:
    return [f for f in check(attrs.evolve(report, overview=(overview,))) if f.rule.startswith("prose")]


def _zhapu_like() -> Report:
    """The reference report's tables (the hand-read golden JSON) on the base report."""
    golden = opengov.loads((Path(__file__).parent / "data" / "zhapu-2023.expected.json").read_text(encoding="utf-8"))
    # 37 received, 1 carried over, 38 handled, none carried forward, no appeals
    return attrs.evolve(_base(), table3=golden.table3, table4=golden.table4)


ZHAPU = (
    "2023年度共收到依申请公开件37件，办理38件（含上一年结转1件，无结转到下一年度办件）。"
    "未发生政府信息公开行政复议，未发生行政诉讼情况。"
)


def test_prose_matching_the_tables_gives_nothing() -> None:
    assert _prose(_zhapu_like(), ZHAPU) == []


@pytest.mark.parametrize(
    ("overview", "key", "difference"),
    [
        (ZHAPU.replace("37件", "39件"), ("table3", "new_received", "total"), -2),
        (ZHAPU.replace("办理38件", "办理40件"), ("table3", "total_handled", "total"), -2),
        (ZHAPU.replace("结转1件", "结转3件"), ("table3", "carried_over", "total"), -2),
        (ZHAPU.replace("无结转到下一年度办件", "结转下年度继续办理2件"), ("table3", "carried_forward", "total"), -2),
    ],
)
def test_prose_figures_that_disagree_are_warned(overview: str, key: tuple[str, str, str], difference: int) -> None:
    (finding,) = _prose(_zhapu_like(), overview)
    assert (finding.rule, finding.key, finding.difference, finding.severity) == (
        "prose-applications",
        key,
        difference,
        Severity.WARNING,
    )
    assert finding.text


def test_prose_says_no_reconsideration_but_table4_has_one() -> None:
    report = _zhapu_like().with_cell("table4", "reconsideration", "pending", 1)
    report = report.with_cell("table4", "reconsideration", "total", 1)
    (finding,) = _prose(report, ZHAPU)
    assert (finding.rule, finding.key, finding.printed, finding.expected) == (
        "prose-appeals",
        ("table4", "reconsideration", "total"),
        1,
        0,
    )


def test_pingtan_2023_like_prose() -> None:
    report = _base().with_cell("table2", "normative_documents", "in_force", 470)
    t4 = {"reconsideration": 2, "litigation_direct": 5, "litigation_after_reconsideration": 2}
    for block, total in t4.items():
        report = report.with_cell("table4", block, "upheld", total).with_cell("table4", block, "total", total)
        for column in ("corrected", "other", "pending"):
            report = report.with_cell("table4", block, column, 0)
    text = (
        "清理并集中发布现行有效行政规范性文件393件，动态更新本年度制发的规范性文件77件。"
        "因政府信息公开引起的行政复议案件2件、行政诉讼案件7件。"
    )
    (finding,) = _prose(report, text)
    assert (finding.rule, finding.key, finding.printed, finding.expected, finding.difference) == (
        "prose-documents",
        ("table2", "normative_documents", "in_force"),
        470,
        393,
        77,
    )
    (lawsuits,) = [f for f in _prose(report, text.replace("诉讼案件7件", "诉讼案件8件")) if f.rule == "prose-appeals"]
    assert (lawsuits.difference, lawsuits.key, len(lawsuits.cells)) == (-1, None, 2)


def test_prose_all_upheld_but_a_case_pending() -> None:
    report = _zhapu_like().with_cell("table4", "reconsideration", "pending", 2)
    report = report.with_cell("table4", "reconsideration", "upheld", 5).with_cell(
        "table4", "reconsideration", "total", 7
    )
    findings = _prose(report, "信息公开类行政复议7件，诉讼0件，均获维持。")
    assert [(f.key, f.printed) for f in findings] == [(("table4", "reconsideration", "pending"), 2)]


def test_fee_report_is_not_satisfied_by_administrative_fees() -> None:
    report = _base()
    assert [f for f in check(report) if f.rule == "fee-report"] == []
    fees_only = attrs.evolve(report, other_matters=("本年度行政事业性收费1341万元。",))
    (finding,) = [f for f in check(fees_only) if f.rule == "fee-report"]
    assert finding.severity is Severity.INFO
    zhapu = attrs.evolve(report, other_matters=("2023年度未收取政府信息公开相关处理费。",))
    assert [f for f in check(zhapu) if f.rule == "fee-report"] == []
    old = attrs.evolve(_base("2019"), other_matters=("无。",))
    assert [f for f in check(old) if f.rule == "fee-report"] == []


def test_checks_page_is_generated_from_the_registry() -> None:
    import runpy
    from pathlib import Path

    docs = Path(__file__).resolve().parent.parent / "docs"
    namespace = runpy.run_path(str(docs / "gen_checks.py"))
    assert set(namespace["EXAMPLES"]) == {r.id for r in RULES}, "every rule needs an example in docs/gen_checks.py"
    assert (docs / "checks.md").read_text(encoding="utf-8") == namespace["render"](), (
        "docs/checks.md is stale: run python docs/gen_checks.py"
    )
