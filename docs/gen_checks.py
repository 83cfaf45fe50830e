"""Generate docs/checks.md from the rule registry: ``python docs/gen_checks.py``.

Each rule's example finding is produced by running :func:`opengov.check` on a small report
built here, so the page cannot drift from the code.
"""

from __future__ import annotations

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
from opengov._checks import FEE_PHRASES, PROSE_PATTERNS, RULES
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
    "t3-culprit": lambda: (consistent().with_cell("table3", "not_held", "natural_person", 9), None),
    "t4-block": lambda: (consistent().with_cell("table4", "reconsideration", "total", 3), None),
    "undecided": lambda: (consistent().with_cell("table3", "granted", "total", BLANK), None),
    "previous-year": lambda: (consistent(), attrs.evolve(consistent(), year=2020)),
    "carry-over": lambda: (consistent(), _previous().with_cell("table3", "carried_forward", "natural_person", 4)),
    "t2-stock": lambda: (consistent(), _previous()),
    "prose-applications": lambda: (consistent().with_cell("table3", "new_received", "total", 31), None),
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
        "",
        "Blank cells: by default an identity that meets a blank, placeholder or absent cell decides",
        'nothing and reports an `undecided` finding naming those cells; `blanks="zero"` reads them as 0.',
        "When one table 3 cell breaks both its row and its column identity by amounts one change of",
        "that cell repairs, `t3-culprit` names it with the value that satisfies both.",
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
    out += [
        "## Prose patterns",
        "",
        "The prose rules read 一、总体情况 with these regular expressions (first match; the first",
        "group is the figure). They are prose patterns, not table labels, kept in",
        "`opengov._checks.PROSE_PATTERNS`. The 信息处理费 rule looks for any of "
        + ", ".join(f"`{p}`" for p in FEE_PHRASES)
        + " in 六.",
        "",
        "| what | pattern |",
        "|---|---|",
        *[f"| {name} | `{p.replace('|', chr(92) + '|')}` |" for name, ps in PROSE_PATTERNS.items() for p in ps],
        "",
    ]
    return "\n".join(out)


PATH = Path(__file__).resolve().parent / "checks.md"

if __name__ == "__main__":
    PATH.write_text(render(), encoding="utf-8")
