"""Prose against the tables: properties over generated reports whose prose states their own
figures (worded in many ways, every figure computed here from the report's cells), each
one changed or denied; and the cases the issue names, one by one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from budget import examples
from opengov import Report, Severity, check
from opengov._checks import Finding
from opengov._checks.grammar import read_paragraph
from opengov.testing import reports

PROSE_RULES = ("prose-applications", "prose-outcomes", "prose-appeals", "prose-documents")
T4_BLOCKS = ("reconsideration", "litigation_direct", "litigation_after_reconsideration")
ORG_COLUMNS = ("commercial", "research", "social_welfare", "legal_service", "other_org")
CATEGORY_BLOCKS = {"withheld", "unable", "not_processed", "other_processing"}


def prose_findings(report: Report) -> list[Finding]:
    return [f for f in check(report) if f.rule in PROSE_RULES]


def serious(report: Report) -> list[Finding]:
    """Every error and warning."""
    return [f for f in check(report) if f.severity in (Severity.ERROR, Severity.WARNING)]


# ---------------------------------------------------------------------------------------
# A report's own figures, as prose
# ---------------------------------------------------------------------------------------


@attrs.define
class Claim:
    """One figure the generated prose states: its subject, the count, the sums of cells
    a reader may take it for (worked out here), and how to print it with another count."""

    subject: str
    value: int
    readings: list[tuple[tuple[str, str, str], ...]]
    render: Callable[[int], str]


def _cell(report: Report, table: str, row: str, column: str) -> int:
    value = report.cell(table, row, column)
    assert type(value) is int
    return value


def _sum(report: Report, cells: tuple[tuple[str, str, str], ...]) -> int:
    return sum(_cell(report, *key) for key in cells)


def _rows_of(report: Report, category: str) -> tuple[str, ...]:
    lay = report.layout.table3
    if category == "granted_or_partial":
        return ("granted", "partially_granted")
    rows = tuple(r.key for r in lay.rows if r.block == category)
    return rows or (category,)


@st.composite
def true_prose(draw: st.DrawFn, report: Report) -> list[list[Claim | str]]:
    """Sentences (lists of text and claims) stating the report's own figures."""

    def t3(row: str, column: str = "total") -> tuple[str, str, str]:
        return ("table3", row, column)

    new, over = t3("new_received"), t3("carried_over")
    handled, forward = t3("total_handled"), t3("carried_forward")

    def claim(subject: str, readings: list[tuple[tuple[str, str, str], ...]], template: str) -> Claim:
        value = _sum(report, readings[0]) if "{alt}" not in template else _sum(report, readings[1])
        text = template.replace("{alt}", "{}")
        return Claim(subject, value, readings, lambda n, text=text: text.format(n))

    sentences: list[list[Claim | str]] = []
    # applications
    received = draw(
        st.sampled_from(
            [
                "全年共收到依申请公开件{}件",
                "全年共受理政府信息公开申请{}件",
                "本年度新收政府信息公开申请数量为{}件",
                "全年接收各类政府信息公开申请共计{}件",
                "全年共受理政府信息公开申请{alt}件",
            ]
        )
    )
    first: list[Claim | str] = [claim("received", [(new,), (new, over)], received)]
    applicants = draw(st.booleans())
    if applicants:
        np_cells = (t3("new_received", "natural_person"),)
        org_cells = tuple(t3("new_received", c) for c in ORG_COLUMNS)
        first += [
            "，其中自然人申请",
            claim("received:natural_person", [np_cells], "{}件"),
            "，法人或其他组织申请",
            claim("received:organisations", [org_cells], "{}件"),
        ]
    # a subset (其中…) lasts until ；: a total after it needs one
    verbs = ["；办理{}件", "；共办理{}件"] if applicants else ["，办理{}件", "，答复{}件", "；共办理{}件"]
    verb = draw(st.sampled_from(verbs))
    first.append(claim("handled", [(handled,), (new, over)], verb))
    if _cell(report, *over):
        words = draw(st.sampled_from(["（含上一年结转{}件", "（含上年度结转申请{}件"]))
        first.append(claim("carried_over", [(over,)], words))
    else:
        first.append("（无上年结转申请")
    if _cell(report, *forward):
        words = draw(st.sampled_from(["，结转下年度继续办理{}件）", "，另有{}件申请顺延到下年度答复）"]))
        first.append(claim("carried_forward", [(forward,)], words))
    else:
        first.append("，无结转到下一年度办件）")
    sentences.append([*first, "。"])
    # outcomes
    if draw(st.booleans()):
        together = draw(st.booleans())
        categories = (["granted_or_partial"] if together else ["granted", "partially_granted"]) + [
            "withheld",
            "unable",
            "not_processed",
            "other_processing",
        ]
        names = {
            "granted_or_partial": "予以公开及部分公开",
            "granted": "予以公开",
            "partially_granted": "部分公开",
            "withheld": "不予公开",
            "unable": "无法提供",
            "not_processed": "不予处理",
            "other_processing": "其他处理",
        }
        parts: list[Claim | str] = ["其中："]
        for n, category in enumerate(categories):
            cells = tuple(t3(r) for r in _rows_of(report, category))
            readings = [cells] if category != "granted" else [cells, (t3("granted"), t3("partially_granted"))]
            parts += [("；" if n else ""), claim(f"outcome:{category}", readings, names[category] + "{}件")]
        sentences.append([*parts, "。"])
    # appeals
    recon = [("table4", "reconsideration", "total")]
    if _cell(report, *recon[0]):
        if draw(st.booleans()):
            detail: list[Claim | str] = [claim("reconsideration", [tuple(recon)], "政府信息公开行政复议{}件"), "，其中"]
            for n, (column, word) in enumerate(
                (("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"), ("pending", "尚未审结"))
            ):
                cells = (("table4", "reconsideration", column),)
                detail += [("，" if n else ""), claim(f"reconsideration:{column}", [cells], word + "{}件")]
            sentences.append([*detail, "。"])
        else:
            sentences.append([claim("reconsideration", [tuple(recon)], "因政府信息公开引起的行政复议案件{}件"), "。"])
    else:
        sentences.append(["未发生政府信息公开行政复议。"])
    lawsuits = tuple(("table4", b, "total") for b in T4_BLOCKS[1:])
    if _sum(report, lawsuits):
        words = draw(st.sampled_from(["行政诉讼案件{}件", "诉讼{}件"]))
        sentences.append([claim("litigation", [lawsuits, lawsuits[:1]], words), "。"])
    else:
        sentences.append(["未发生行政诉讼情况。"])
    corrected = [("table4", b, "corrected") for b in T4_BLOCKS]
    if not _sum(report, tuple(corrected)):
        sentences.append(["未发生因政府信息公开被行政复议纠错或行政诉讼败诉的情况。"])
    if report.format == "2021":
        cells = (("table2", "normative_documents", "in_force"),)
        sentences.append([claim("in_force:normative_documents", [cells], "现行有效行政规范性文件{}件"), "。"])
    return sentences


def text_of(sentences: list[list[Claim | str]], changed: dict[int, int] | None = None) -> str:
    out = []
    for piece in (p for s in sentences for p in s):
        if isinstance(piece, Claim):
            out.append(piece.render((changed or {}).get(id(piece), piece.value)))
        else:
            out.append(piece)
    return "".join(out)


def claims_of(sentences: list[list[Claim | str]]) -> list[Claim]:
    return [p for s in sentences for p in s if isinstance(p, Claim)]


def with_prose(report: Report, overview: str) -> Report:
    return attrs.evolve(report, overview=(overview,), other_matters=("本年度未收取信息处理费。",))


def _zero_readings(text: str) -> list[tuple[str, int]]:
    """The counts of none the generated prose states (the grammar reads them too)."""
    out: list[tuple[str, int]] = []
    if "无上年结转申请" in text:
        out.append(("carried_over", 0))
    if "无结转到下一年度办件" in text:
        out.append(("carried_forward", 0))
    return out


# ---------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------


@settings(max_examples=examples(60))
@given(st.data())
def test_the_grammar_reads_what_the_generated_prose_states_and_a_consistent_report_gives_no_warning(
    data: st.DataObject,
) -> None:
    report = data.draw(reports())
    sentences = data.draw(true_prose(report))
    text = text_of(sentences)
    read = sorted((s.subject, s.value) for s in read_paragraph(text))
    stated = [(c.subject, c.value) for c in claims_of(sentences)]
    zeros = [("reconsideration", 0)] if "未发生政府信息公开行政复议" in text else []
    zeros += [("litigation", 0)] if "未发生行政诉讼情况" in text else []
    if "纠错或行政诉讼败诉" in text:
        zeros += [("reconsideration:corrected", 0), ("litigation:corrected", 0)]
    assert read == sorted(stated + zeros + _zero_readings(text))
    findings = check(with_prose(report, text))
    assert [f for f in findings if f.severity in (Severity.ERROR, Severity.WARNING)] == []


def _contradicting(report: Report, claim: Claim, shift: int) -> int | None:
    """A count that no reading of the claim allows (never 0, which would deny instead)."""
    allowed = {_sum(report, cells) for cells in claim.readings}
    value = claim.value + shift
    while value in allowed or value <= 0:
        value += 1 if shift > 0 else -1
        if value < -100:
            return None
    return value


@settings(max_examples=examples(80))
@given(st.data())
def test_one_prose_figure_changed_gives_exactly_its_finding(data: st.DataObject) -> None:
    report = data.draw(reports())
    sentences = data.draw(true_prose(report))
    claims = claims_of(sentences)
    claim = data.draw(st.sampled_from(claims))
    shift = data.draw(st.integers(-5, 5).filter(bool))
    figure = _contradicting(report, claim, shift)
    if figure is None:
        return
    text = text_of(sentences, {id(claim): figure})
    findings = prose_findings(with_prose(report, text))
    assert serious(with_prose(report, text)) == findings  # nothing but the prose's findings
    cells = claim.readings[0]
    plain = _sum(report, cells)
    rule = {
        "received": "prose-applications",
        "handled": "prose-applications",
        "carried_over": "prose-applications",
        "carried_forward": "prose-applications",
        "outcome": "prose-outcomes",
        "reconsideration": "prose-appeals",
        "litigation": "prose-appeals",
        "in_force": "prose-documents",
    }[claim.subject.partition(":")[0]]
    expected: list[tuple[Any, ...]] = [
        (rule, cells[0] if len(cells) == 1 else None, cells, figure, plain - figure),
    ]
    # every category stated: their sum no longer makes （七）总计
    outcome_claims = [c for c in claims if c.subject.startswith("outcome:")]
    if claim in outcome_claims:
        total = sum(c.value for c in outcome_claims) - claim.value + figure
        handled = _cell(report, "table3", "total_handled", "total")
        if total != handled:
            key = ("table3", "total_handled", "total")
            expected.append(("prose-outcomes", key, (key,), total, handled - total))
    got = [(f.rule, f.key, f.cells, f.expected, f.difference) for f in findings]
    assert got == expected
    for f in findings:
        assert f.severity is Severity.WARNING
        assert f.text is not None
        assert f.text in text
        assert f.section == "overview"
        assert f.paragraph == 1
        assert f.span is not None
    first = findings[0]
    assert first.span is not None
    assert text[first.span[0] : first.span[1]] == first.text
    assert str(figure) in (first.text or "")


@settings(max_examples=examples(60))
@given(st.data())
def test_a_denied_figure_gives_a_finding_on_each_cell_that_holds_one(data: st.DataObject) -> None:
    report = data.draw(reports())
    sentences = data.draw(true_prose(report))
    text = text_of(sentences)
    choice = data.draw(st.sampled_from(["received", "reconsideration", "litigation", "corrected", "upheld"]))
    cells: list[tuple[str, str, str]]
    if choice == "received":
        cells = [("table3", "new_received", "total")]
        denial = "本年度未收到政府信息公开申请。"
        rule = "prose-applications"
    elif choice == "reconsideration":
        cells = [("table4", "reconsideration", "total")]
        denial = "未发生政府信息公开行政复议。"
        rule = "prose-appeals"
    elif choice == "litigation":
        cells = [("table4", b, "total") for b in T4_BLOCKS[1:]]
        denial = "未发生行政诉讼情况。"
        rule = "prose-appeals"
    elif choice == "corrected":
        cells = [("table4", b, "corrected") for b in T4_BLOCKS]
        denial = "未发生因政府信息公开被行政复议纠错或行政诉讼败诉的情况。"
        rule = "prose-appeals"
    else:
        cells = [("table4", b, c) for b in T4_BLOCKS for c in ("corrected", "other", "pending")]
        denial = "政府信息公开行政复议、行政诉讼均获维持。"
        rule = "prose-appeals"
    # the denial replaces every sentence about the same things
    keep = [
        s
        for s in sentences
        if not any(
            isinstance(p, Claim)
            and (
                (choice == "received" and p.subject.startswith(("received", "handled", "carried")))
                or (choice in ("reconsideration", "corrected", "upheld") and p.subject.startswith("reconsideration"))
                or (choice in ("litigation", "corrected", "upheld") and p.subject.startswith("litigation"))
            )
            for p in s
        )
        and not any(isinstance(p, str) and ("行政复议" in p or "行政诉讼" in p or "结转" in p) for p in s)
    ]
    text = denial + text_of(keep)
    findings = prose_findings(with_prose(report, text))
    assert serious(with_prose(report, text)) == findings  # nothing but the prose's findings
    expected = sorted((rule, key, _cell(report, *key)) for key in cells if _cell(report, *key) > 0)
    got = [(f.rule, f.key, f.printed) for f in findings]
    assert sorted(got) == expected
    assert len(got) == len(expected)
    for f in findings:
        assert f.expected == 0
        assert f.difference == f.printed
        assert f.text == denial


# ---------------------------------------------------------------------------------------
# The cases, one by one
# ---------------------------------------------------------------------------------------


def _report() -> Report:
    """A small consistent 2021 report: 40 received, 2 carried over, 38 handled (20 granted,
    5 partially, 3 withheld, 6 unable, 2 not processed, 2 other), 4 carried forward; 3
    reconsiderations (2 upheld, 1 pending), 2 direct lawsuits upheld."""
    from decimal import Decimal

    from opengov import (
        Amount,
        AppealOutcomes,
        Appeals,
        ApplicantCounts,
        Applications2021,
        Documents2021,
        ProactiveDisclosure2021,
    )

    t3 = Applications2021.build(
        new_received=ApplicantCounts.build(natural_person=36, commercial=4),
        carried_over=ApplicantCounts.build(natural_person=2),
        granted=ApplicantCounts.build(natural_person=18, commercial=2),
        partially_granted=ApplicantCounts.build(natural_person=5),
        third_party_rights=ApplicantCounts.build(natural_person=3),
        not_held=ApplicantCounts.build(natural_person=4, commercial=2),
        repeated=ApplicantCounts.build(natural_person=2),
        other=ApplicantCounts.build(natural_person=2),
    )
    t4 = Appeals.build(
        reconsideration=AppealOutcomes.build(upheld=2, pending=1),
        litigation_direct=AppealOutcomes.build(upheld=2),
    )
    return Report.build(
        format="2021",
        organ="某某县人民政府",
        year=2024,
        table2=ProactiveDisclosure2021(
            rules=Documents2021(issued=0, repealed=0, in_force=3),
            normative_documents=Documents2021(issued=4, repealed=1, in_force=25),
            licensing=120,
            punishment=30,
            enforcement=2,
            fees=Amount(value=Decimal("0")),
        ),
        table3=t3,
        table4=t4,
        overview=("无。",),
        problems=("无。",),
        other_matters=("本年度未收取信息处理费。",),
    )


def _rules(report: Report, overview: str, other_matters: str = "本年度未收取信息处理费。") -> list[tuple[Any, ...]]:
    findings = check(attrs.evolve(report, overview=(overview,), other_matters=(other_matters,)))
    return [(f.rule, f.key, f.printed, f.expected) for f in findings if f.rule.startswith(("prose", "fee"))]


def test_the_report_and_its_true_prose_agree() -> None:
    overview = (
        "全年共受理政府信息公开申请40件，其中自然人申请36件，法人或其他组织申请4件；共办理38件（含上年度结转申请2件，"
        "另有4件申请顺延到下年度答复）。其中：予以公开及部分公开25件；不予公开3件；无法提供6件；不予处理2件；其他处理2件。"
        "政府信息公开行政复议3件，其中结果维持2件，尚未审结1件；行政诉讼2件，均获维持。"
    )
    assert _rules(_report(), overview) == []


def test_appeal_outcomes_denied_are_not_appeals_denied() -> None:
    report = _report()
    outcomes = "未发生因政府信息公开被行政复议纠错或行政诉讼败诉的情况。"
    assert _rules(report, outcomes) == []  # appeals upheld and pending: no contradiction
    corrected = report.with_cell("table4", "reconsideration", "corrected", 1).with_cell(
        "table4", "reconsideration", "total", 4
    )
    assert _rules(corrected, outcomes) == [("prose-appeals", ("table4", "reconsideration", "corrected"), 1, 0)]
    # without a qualifier, 未发生…行政复议 does deny the appeals
    assert _rules(report, "未发生政府信息公开行政复议。") == [
        ("prose-appeals", ("table4", "reconsideration", "total"), 3, 0)
    ]


def test_subsets_are_not_totals() -> None:
    report = _report()
    assert _rules(report, "本年度共受理政府信息公开申请40件，同意公开答复28件。") == []
    assert _rules(report, "办理政府信息公开申请38件，其中予以公开20件。") == []
    assert _rules(report, "办理政府信息公开申请38件，其中予以公开25件。") == []  # with 部分公开, as some reports count
    assert _rules(report, "办理政府信息公开申请38件，其中予以公开27件。") == [
        ("prose-outcomes", ("table3", "granted", "total"), 20, 27)
    ]
    assert _rules(report, "本年度受理申请40件，其中市本级受理12件。") == []


def test_fees_stated_in_words_satisfy_the_fee_rule() -> None:
    report = _report()
    stated = (
        "本机关未发生收费情况。",
        "本年度未收取信息处理费。",
        "依申请公开不收取任何费用。",
        "全年收取信息处理费200元。",
    )
    for words in stated:
        assert _rules(report, "无。", words) == [], words
    for words in ("本年度行政事业性收费12万元。", "认真执行《政府信息公开信息处理费管理办法》。", "无。"):
        assert [r[0] for r in _rules(report, "无。", words)] == ["fee-report"], words


def test_none_received_against_outcome_rows() -> None:
    report = _report()
    assert _rules(report, "本年度未收到政府信息公开申请。") == [
        ("prose-applications", ("table3", "new_received", "total"), 40, 0)
    ]
    # the table's own 一 agrees (0) but its outcome rows hold more than the 2 carried over
    empty = report
    for column in ("natural_person", "commercial", "total"):
        empty = empty.with_cell("table3", "new_received", column, 0)
    got = _rules(empty, "本年度未收到政府信息公开申请。")
    assert got == [("prose-applications", ("table3", "granted", "total"), 20, 0)]
    for words in ("本年度没有收到政府信息公开申请。", "全年共收到政府信息公开申请0件。"):
        assert _rules(empty, words) == got
    # outcomes no more than what was carried over: no contradiction
    few = empty
    for row in ("granted", "partially_granted", "third_party_rights", "not_held", "repeated", "other"):
        for column in ("natural_person", "commercial", "total"):
            few = few.with_cell("table3", row, column, 0)
    few = few.with_cell("table3", "granted", "natural_person", 2).with_cell("table3", "granted", "total", 2)
    assert _rules(few, "本年度未收到政府信息公开申请。") == []


def test_outcome_categories_against_the_sum_of_their_rows() -> None:
    report = _report()
    assert _rules(report, "不予公开3件，无法提供6件，不予处理2件。") == []
    got = _rules(report, "无法提供8件。")
    assert got == [("prose-outcomes", None, None, 8)]
    (finding,) = [f for f in check(attrs.evolve(report, overview=("无法提供8件。",))) if f.rule == "prose-outcomes"]
    assert finding.cells == tuple(("table3", r, "total") for r in ("not_held", "needs_creation", "still_unclear"))
    assert finding.difference == -2
    # every category stated: they must add up to （七）总计
    wrong_sum = "其中：予以公开及部分公开25件；不予公开3件；无法提供6件；不予处理2件；其他处理3件。"
    assert _rules(report, wrong_sum) == [
        ("prose-outcomes", None, None, 3),
        ("prose-outcomes", ("table3", "total_handled", "total"), 38, 39),
    ]


def test_appeals_and_lawsuits_against_table4() -> None:
    report = _report()
    assert _rules(report, "行政复议3件，行政诉讼2件。") == []
    assert _rules(report, "行政复议和行政诉讼案件共5件。") == []
    assert _rules(report, "行政复议4件。") == [("prose-appeals", ("table4", "reconsideration", "total"), 3, 4)]
    assert _rules(report, "行政复议3件，其中结果纠正1件。") == [
        ("prose-appeals", ("table4", "reconsideration", "corrected"), 0, 1)
    ]
    assert _rules(report, "行政复议和行政诉讼案件共6件。") == [("prose-appeals", None, None, 6)]
    assert _rules(report, "行政复议3件，均获维持。") == [
        ("prose-appeals", ("table4", "reconsideration", "pending"), 1, 0)
    ]


def test_a_prose_finding_quotes_its_sentence_with_its_place() -> None:
    report = _report()
    overview = ("（二）依申请公开情况。", "依法做好答复工作。全年共受理政府信息公开申请41件，办理38件。")
    (finding,) = [f for f in check(attrs.evolve(report, overview=overview)) if f.rule.startswith("prose")]
    assert finding.text == "全年共受理政府信息公开申请41件，办理38件。"
    assert (finding.section, finding.paragraph) == ("overview", 2)
    assert finding.span is not None
    assert overview[1][finding.span[0] : finding.span[1]] == finding.text
    assert finding.text in finding.message_zh
    assert finding.text in finding.message_en
    assert "overview, paragraph 2" in str(finding)


def test_uncertain_sentences_give_nothing() -> None:
    report = _report()
    for overview in (
        "全年受理政府信息公开申请约300件。",
        "全年共受理政府信息公开申请40件，较上年增加15件。",
        "未发生因政府信息公开申请答复不及时被行政复议的情况。",
        "市本级未发生政府信息公开行政复议。",
        "第一季度收到政府信息公开申请12件。",
        "收到群众诉求348件。",
    ):
        assert _rules(report, overview) == [], overview


def test_a_subject_stated_twice_is_compared_only_when_the_table_agrees_with_neither() -> None:
    report = _report()
    two = "全市共受理政府信息公开申请500件。本机关共受理政府信息公开申请40件。"
    assert _rules(report, two) == []
    assert _rules(report, two.replace("40件", "41件")) == [
        ("prose-applications", ("table3", "new_received", "total"), 40, 500),
        ("prose-applications", ("table3", "new_received", "total"), 40, 41),
    ]


def test_a_figure_of_another_year_is_not_compared() -> None:
    report = _report()  # 2024, 40 received
    assert _rules(report, "2023年共收到政府信息公开申请30件，2024年共收到40件。") == []
    assert _rules(report, "2023年共收到政府信息公开申请30件，2024年共收到41件。") == [
        ("prose-applications", ("table3", "new_received", "total"), 40, 41)
    ]
    (statement,) = read_paragraph("2023年共收到政府信息公开申请30件。")
    assert statement.year == 2023
