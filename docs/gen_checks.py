"""Generate docs/checks.md from the rule registry: ``python docs/gen_checks.py``.

Each rule's example finding is produced by running :func:`opengov.check` on a small report
built here, so the page cannot drift from the code.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import attrs

import opengov
from opengov import (
    BLANK,
    Amount,
    AppealOutcomes,
    Appeals,
    ApplicantCounts,
    Applications2021,
    Documents2021,
    ProactiveDisclosure2021,
    Report,
)
from opengov._checks import PROSE_LEXICON, RULES
from opengov._codec import cell_text


def consistent() -> Report:
    """A small consistent 2021 report whose prose agrees with its tables."""
    return Report.build(
        format="2021",
        organ="某某市生态环境局",
        year=2023,
        table2=ProactiveDisclosure2021(
            rules=Documents2021(issued=1, repealed=0, in_force=5),
            normative_documents=Documents2021(issued=2, repealed=1, in_force=9),
            licensing=100,
            punishment=20,
            enforcement=3,
            fees=Amount(value=Decimal("12.5"), unit="万元"),
        ),
        table3=Applications2021.build(
            new_received=ApplicantCounts.build(natural_person=30, commercial=2),
            carried_over=ApplicantCounts.build(natural_person=3),
            granted=ApplicantCounts.build(natural_person=20, commercial=1),
            not_held=ApplicantCounts.build(natural_person=8),
        ),
        table4=Appeals.build(reconsideration=AppealOutcomes.build(upheld=1, pending=1)),
        overview=("全年共收到依申请公开件32件，办理29件（含上一年结转3件）。因政府信息公开引起的行政复议案件2件。",),
        problems=("存在的主要问题是公开质量有待提升。",),
        other_matters=("本年度未收取信息处理费。",),
    )


def _previous() -> Report:
    return attrs.evolve(consistent(), year=2022)


def _group_total() -> Report:
    """（六）其他处理 printed as one row beside its numbered rows, with a figure they do not add up to."""
    report = consistent()
    return attrs.evolve(report, table3=attrs.evolve(report.table3, other_processing=ApplicantCounts.build(natural_person=1)))


EXAMPLES: dict[str, Callable[[], tuple[Report, Report | None]]] = {
    "structure": lambda: (attrs.evolve(consistent(), table4=None), None),
    "sections": lambda: (attrs.evolve(consistent(), problems=()), None),
    "cell": lambda: (consistent().with_cell("table3", "granted", "research", -2), None),
    "blank": lambda: (consistent().with_cell("table3", "granted", "total", BLANK), None),
    "unit": lambda: (
        consistent().with_cell("table2", "fees", "amount", Amount(value=Decimal("125000"), unit="元")),
        None,
    ),
    "t3-row-total": lambda: (consistent().with_cell("table3", "granted", "total", 22), None),
    "t3-outcomes": lambda: (consistent().with_cell("table3", "total_handled", "commercial", 2), None),
    "t3-balance": lambda: (consistent().with_cell("table3", "carried_forward", "natural_person", 4), None),
    "t3-group-total": lambda: (_group_total(), None),
    "t3-culprit": lambda: (consistent().with_cell("table3", "not_held", "natural_person", 9), None),
    "t4-block": lambda: (consistent().with_cell("table4", "reconsideration", "total", 3), None),
    "t4-culprit": lambda: (consistent().with_cell("table4", "reconsideration", "total", 3), None),
    "swapped-culprit": lambda: (
        consistent()
        .with_cell("table3", "granted", "natural_person", 1)
        .with_cell("table3", "granted", "commercial", 20),
        None,
    ),
    "transposed-culprit": lambda: (consistent().with_cell("table3", "granted", "total", 12), None),
    "blank-total": lambda: (consistent().with_cell("table3", "granted", "total", BLANK), None),
    "undecided": lambda: (consistent().with_cell("table3", "granted", "total", BLANK), None),
    "previous-year": lambda: (consistent(), attrs.evolve(consistent(), year=2020)),
    "carry-over": lambda: (consistent(), _previous().with_cell("table3", "carried_forward", "natural_person", 4)),
    "t2-stock": lambda: (consistent(), _previous()),
    "t2-culprit": lambda: (consistent(), _previous()),
    "prose-applications": lambda: (consistent().with_cell("table3", "new_received", "total", 31), None),
    "prose-outcomes": lambda: (attrs.evolve(consistent(), overview=("办理申请29件，其中予以公开25件。",)), None),
    "prose-appeals": lambda: (attrs.evolve(consistent(), overview=("未发生政府信息公开行政复议。",)), None),
    "prose-documents": lambda: (attrs.evolve(consistent(), overview=("现行有效行政规范性文件8件。",)), None),
    "fee-report": lambda: (attrs.evolve(consistent(), other_matters=("本年度行政事业性收费12.5万元。",)), None),
}


def example(rule_id: str) -> opengov.Finding:
    """The first finding of ``rule_id`` on its example report."""
    report, previous = EXAMPLES[rule_id]()
    return next(f for f in opengov.check(report, previous) if f.rule == rule_id)


def _value(value: object) -> str:
    return "—" if value is None else f"`{value}`"


def render() -> str:
    out = [
        "# Checks (勾稽关系)",
        "",
        "Generated from the rule registry `opengov.RULES` by `python docs/gen_checks.py`; a test keeps",
        "this page equal to the registry. Every example finding below was produced by running",
        "`opengov.check()` on a small report built in that script.",
        "",
        "```python",
        "import attrs",
        "import opengov",
        "",
        'report = opengov.read("examples/zhapu-2023.txt")   # a ParseResult (or a Report)',
        "last_year = attrs.evolve(report.report, year=2022)  # stands in for last year's report",
        "findings = opengov.check(report)                       # a Report or a ParseResult",
        "findings = opengov.check(report, previous=last_year)   # adds carry-over and stock",
        'findings = opengov.check(report, blanks="zero")        # blank cells count as 0',
        "```",
        "",
        "A finding names the cell it is about (`table`, `row`, `column` and the Chinese labels), the",
        "`printed` value, the `expected` value and `difference` = **printed − expected**, every cell",
        "that took part (`cells`), the cells it could not use (`blanks`), the previous report's cells",
        "(`previous_cells`) and, for a report from a parser, where the cells were printed (`locations`).",
        "`opengov.Finding` is an immutable attrs record; to make one yourself (a rule of your own, a",
        "test), pass its fields by keyword: positional arguments are accepted, in the order of",
        "`attrs.fields(opengov.Finding)`, only because the checks make findings that way for speed.",
        "",
        "Blank cells: by default an identity that meets a blank, placeholder or absent cell decides",
        'nothing and reports an `undecided` finding naming those cells; `blanks="zero"` reads them as 0.',
        "",
        "**Culprits.** When identities break, the `…-culprit` rules name the cell to correct and the",
        "value it needs: the one cell that, changed alone, satisfies every identity it is in (in",
        "table 3 the cell whose row and column both break; in table 4 and in table 2's stock against",
        "last year, where each cell is in one identity, the one a transposition of digits or the",
        "prose's figure points at); two cells of one row or column printed in each other's place",
        "(`swapped-culprit`, one finding about each); a figure printed with two adjacent digits",
        "transposed (`transposed-culprit`, `1289` for `1298`). When several cells could each repair",
        "an identity, the finding is about none of them and lists them in `candidates` (each cell",
        "with the value it would need). `blank-total` gives the value a blank total should hold when",
        "every other cell of its identities is printed.",
        "",
        "**Prose.** 一、总体情况 and 六、其他需要报告的事项 are read by a small grammar (below);",
        "a prose finding quotes the whole sentence (`text`) and says where it is (`section`,",
        "`paragraph` from 1, `span` = character offsets in that paragraph). It warns only of a",
        "certain contradiction: a figure that agrees with any reading of its sentence (收到 may count",
        "the applications carried over too; 行政诉讼 may mean the direct lawsuits only) or with any",
        "value a blank cell allows (a blank 总计 stands for the sum of its printed parts, *at",
        "least*) is accepted, and a sentence the grammar cannot read with certainty is not read.",
        "",
        "| id | severity | title | 标题 |",
        "|---|---|---|---|",
        *[f"| `{r.id}` | {r.severity} | {r.title_en} | {r.title_zh} |" for r in RULES],
        "",
    ]
    for r in RULES:
        f = example(r.id)
        where = "/".join(p for p in (f.table, f.row, f.column) if p) or "—"
        out += [
            f"## `{r.id}` — {r.title_en} / {r.title_zh}",
            "",
            f"Severity: **{r.severity}**. {r.description}",
            "",
            "Example finding:",
            "",
            f"* cell: `{where}`" + (f" ({f.row_label} / {f.column_label})" if f.row_label else ""),
            f"* printed {_value(cell_text(f.printed) if f.key else None)}, expected {_value(f.expected)},"
            f" difference {_value(f.difference)}",
            f"* zh: {f.message_zh}",
            f"* en: {f.message_en}",
            "",
        ]
    out += _grammar()
    return "\n".join(out)


_KIND_TITLES = {
    "app": "application nouns",
    "receive": "received",
    "handle": "handled",
    "carry_over": "carried over",
    "carry_forward": "carried forward",
    "outcome": "outcome categories and rows",
    "vague": "outcome words of no category (never read)",
    "appeal": "appeal nouns",
    "case": "case nouns",
    "appeal_outcome": "appeal outcomes",
    "all_upheld": "all upheld",
    "all_concluded": "all concluded",
    "applicant": "applicants",
    "neg": "negations",
    "neg_outcome": "negated outcome",
    "postneg": "negation after its nouns",
    "subset": "subset markers",
    "change": "comparisons (a figure after one is a change)",
    "each": "each",
    "in_force": "in force",
    "docs": "documents",
    "fee": "fee words",
    "admin_fee": "table 2's administrative fees (never the 信息处理费)",
    "refer": "references (相关案件)",
    "another": "another (另有…)",
    "qualifier": "scope and time qualifiers (a count after one is a part)",
    "other": "other nouns (block a reading)",
}


def _grammar() -> list[str]:
    """The prose grammar section: how it reads, its subjects and its words."""
    from opengov._checks import grammar

    by_kind: dict[str, list[str]] = {}
    for word, (kind, _) in PROSE_LEXICON.items():
        by_kind.setdefault(kind, []).append(word)
    rows = []
    for kind, title in _KIND_TITLES.items():
        words = sorted(by_kind.get(kind, ()), key=lambda w: (len(w), w))
        shown = "、".join(words[:14]) + (f" … ({len(words)} words)" if len(words) > 14 else "")
        rows.append(f"| {title} | {shown} |")
    doc = (grammar.__doc__ or "").split("\n\n", 1)[1].rsplit("\n\nAnything", 1)[0]
    doc = re.sub(r":(?:func|class|data|mod):`~?([^`]+)`", r"`\1`", doc).replace("``", "`")
    return [
        "## Prose grammar",
        "",
        "`opengov._checks.grammar` reads the statements of 一、总体情况 and 六、其他需要报告的事项;",
        "its test corpus is `tests/data/prose/sentences.jsonl` (sentences written for the project, half",
        "of them traps, each with its expected reading).",
        "",
        doc,
        "",
        "Anything the grammar cannot read with certainty yields no statement.",
        "",
        "What a statement can be about (`Statement.subject`):",
        "",
        *[f"* `{s}`" for s in grammar.SUBJECTS],
        "",
        "Its words (`opengov._checks.PROSE_LEXICON`, read-only; the longest word wins). Figures",
        "are counts in " + "、".join(f"`{u}`" for u in grammar.COUNT_UNITS) + "; 条, 次, 篇, %, dates and",
        "approximate figures (约, 近, 余, 以上 …) are never counts.",
        "",
        "| kind | words |",
        "|---|---|",
        *rows,
        "",
    ]


PATH = Path(__file__).resolve().parent / "checks.md"

if __name__ == "__main__":
    PATH.write_text(render(), encoding="utf-8")
