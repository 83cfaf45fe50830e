"""Test helper: print a report in the reference report's layout (a cell per line after a
TAB, a blank line after each row), independent of the library's own writers."""

from __future__ import annotations

from opengov import Report, layout
from opengov._codec import cell_text


def print_reference_layout(report: Report, cell_prefix: str = "\t") -> str:
    """The report in the reference layout; ``cell_prefix=""`` prints each cell on a line of
    its own without the TAB (a page's text joined by line breaks)."""

    def _row(cells: list[str]) -> list[str]:
        return [f"{cell_prefix}{c}" for c in cells] + [""]

    lay = report.layout
    lines = [report.title, ""]
    lines += list(report.preamble)
    sections = {s.key: s.label for s in layout.SECTIONS}
    lines += [sections["overview"], "", *report.overview, "", sections["proactive"], ""]
    t2 = lay.table2
    for block in t2.blocks:
        lines += _row([block.label])
        lines += _row([t2.header, *(c.label for c in block.columns)])
        for key in block.rows:
            lines += _row([t2.row(key).label, *(cell_text(report.cell("table2", key, c.key)) for c in block.columns)])
    lines += ["", sections["applications"], ""]
    t3 = lay.table3
    lines += _row([t3.note, t3.applicant_header])
    lines += _row(["", t3.columns[0].label, t3.organisation_header, t3.columns[-1].label])
    lines += _row(["", "", *(c.label for c in t3.columns[1:-1]), ""])
    for row in t3.rows:
        labels = [row.label] if row.block is None else ["", t3.block(row.block).label, row.label]
        lines += _row([*labels, *(cell_text(report.cell("table3", row.key, c.key)) for c in t3.columns)])
    lines += ["", sections["appeals"], ""]
    t4 = lay.table4
    lines += _row([t4.reconsideration_label, t4.litigation_label])
    lines += _row([c.label for c in t4.columns] + [b.label for b in t4.blocks[1:]])
    values = [cell_text(report.cell("table4", b.key, c.key)) for b in t4.blocks for c in t4.columns]
    lines += _row(values)
    lines += ["", sections["problems"], "", *report.problems, sections["other_matters"], "", *report.other_matters]
    return "\n".join(lines) + "\n"
