"""Build a report in code and save it as JSON.

For staff who compile an organ's report from their own data: give the parts, let the named
constructors compute every total, and save the result.

    python examples/build_report.py out.json
"""

from __future__ import annotations

import sys

import opengov
from opengov import (
    AppealOutcomes,
    Appeals,
    ApplicantCounts,
    Applications2021,
    Documents2021,
    ProactiveDisclosure2021,
)


def build() -> opengov.CompleteReport:
    table3 = Applications2021.build(
        new_received=ApplicantCounts.build(natural_person=120, commercial=8, legal_service=2),
        carried_over=ApplicantCounts.build(natural_person=4),
        granted=ApplicantCounts.build(natural_person=70, commercial=5),
        partially_granted=ApplicantCounts.build(natural_person=12),
        not_held=ApplicantCounts.build(natural_person=30, commercial=2, legal_service=2),
        repeated=ApplicantCounts.build(natural_person=6),
    )
    return opengov.Report.build(
        format="2021",
        organ="某某市生态环境局",
        year=2025,
        overview=("2025年，本局认真贯彻落实《中华人民共和国政府信息公开条例》。",),
        table2=ProactiveDisclosure2021.build(
            normative_documents=Documents2021.build(issued=3, repealed=1, in_force=27),
            licensing=1520,
            punishment=233,
            enforcement=12,
            fees=0,
        ),
        table3=table3,
        table4=Appeals.build(
            reconsideration=AppealOutcomes.build(upheld=3, corrected=1),
            litigation_direct=AppealOutcomes.build(upheld=1),
        ),
        problems=("主动公开的及时性有待提高。",),
        other_matters=("本年度未收取信息处理费。",),
    )


def main(argv: list[str]) -> int:
    report = build()
    if argv:
        opengov.dump(report, argv[0])
        print(f"wrote {argv[0]}: {report.title}; 结转下年度继续办理 总计 {report.table3.carried_forward.total}")
    else:
        print(opengov.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
