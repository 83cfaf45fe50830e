"""Quick start: parse the bundled example report (浙江乍浦经济开发区（嘉兴港区）2023).

``python examples/quickstart.py`` reads ``examples/zhapu-2023.txt`` (text copied from the
published web page) with ``opengov.read``, prints a short summary and the diagnostics, then
the report's JSON.  ``example_report()`` builds the same figures in code.
"""

from __future__ import annotations

import opengov
from pathlib import Path

from opengov import AppealOutcomes, Appeals, ApplicantCounts, Applications2021, ProactiveDisclosure2021
from opengov.model import Amount, Documents2021


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
    assert report.table3 is not None and report.table2 is not None
    print(f"{report.organ} {report.year} ({report.format} format)")
    print(f"行政许可 {report.table2.licensing}, 行政事业性收费 {report.table2.fees}")
    print(f"本年新收 {report.table3.new_received.total}, 办理 {report.table3.total_handled.total}")
    for diagnostic in result.diagnostics:
        print(diagnostic)
    print(opengov.dumps(report))


if __name__ == "__main__":
    main()
