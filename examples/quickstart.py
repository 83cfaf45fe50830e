"""Quick start: the bundled example report (浙江乍浦经济开发区（嘉兴港区）2023).

Until the text parser lands, this builds the example report's tables in code — exactly the
figures printed in ``examples/zhapu-2023.txt`` — prints its tables in the official layout
(``opengov.render``), then its JSON, and reads the JSON back.
"""

from __future__ import annotations

import opengov
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


def main() -> None:
    report = example_report()
    text = opengov.dumps(report)
    assert opengov.loads(text) == report
    print(opengov.render(report, to="text"))
    print(text)


if __name__ == "__main__":
    main()
