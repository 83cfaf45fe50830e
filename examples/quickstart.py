"""Quick start: parse, check and render the bundled example report.

``python examples/quickstart.py`` reads ``examples/zhapu-2023.txt`` (浙江乍浦经济开发区（嘉兴港区）
2023, text copied from the published web page) with ``opengov.read``, prints the whole report
in the official layout (``opengov.render``), then what ``opengov.check`` found and what the
reader noticed.  ``--json`` prints the report's JSON instead.  ``example_report()`` builds the
same figures in code, for people who generate reports.
"""

from __future__ import annotations

import sys
from pathlib import Path

import opengov
from opengov import (
    Amount,
    AppealOutcomes,
    Appeals,
    ApplicantCounts,
    Applications2021,
    Documents2021,
    ProactiveDisclosure2021,
)


def example_report() -> opengov.Report:
    """The reference report's figures, built with the named constructors."""
    table2 = ProactiveDisclosure2021(
        rules=Documents2021(issued=0, repealed=0, in_force=0),
        normative_documents=Documents2021(issued=0, repealed=0, in_force=0),
        licensing=22738,
        punishment=46787,
        enforcement=837,
        fees=Amount(value="1341", unit="万元"),
    )
    table3 = Applications2021.build(
        new_received=ApplicantCounts.build(natural_person=36, commercial=1),
        carried_over=ApplicantCounts.build(natural_person=1),
        granted=ApplicantCounts.build(natural_person=19, commercial=1),
        partially_granted=ApplicantCounts.build(natural_person=5),
        not_held=ApplicantCounts.build(natural_person=7),
        repeated=ApplicantCounts.build(natural_person=1),
        no_correction=ApplicantCounts.build(natural_person=2),
        other=ApplicantCounts.build(natural_person=3),
    )
    return opengov.Report.build(
        format="2021",
        organ="浙江乍浦经济开发区（嘉兴港区）",
        year=2023,
        table2=table2,
        table3=table3,
        table4=Appeals.build(reconsideration=AppealOutcomes.build()),
    )


EXAMPLE = Path(__file__).resolve().parent / "zhapu-2023.txt"


def main() -> None:
    result = opengov.read(EXAMPLE)
    report = result.report
    if "--json" in sys.argv[1:]:
        print(opengov.dumps(report))
        return
    print(opengov.render(report, to="text"))
    findings = opengov.check(result)
    serious = [f for f in findings if f.severity is not opengov.Severity.INFO]
    print(f"== opengov.check: {len(findings)} finding(s), {len(serious)} error(s) or warning(s)")
    for finding in findings:
        print(f"  {finding}")
    print(f"== opengov.read: {len(result.diagnostics)} diagnostic(s)")
    for diagnostic in result.diagnostics:
        print(f"  {diagnostic}")


if __name__ == "__main__":
    main()
