"""Markdown: GitHub pipe tables with flattened headers (via tabulate), for READMEs and issues.

Shape (the Markdown reader relies on it):

* ``# <title>``, the preamble paragraphs, then each section as ``## 一、总体情况`` with its
  prose paragraphs (separated by blank lines) or its table;
* table 2: per 第二十条 block a line ``### 第二十条第（一）项`` and a pipe table whose header is
  ``信息内容`` and the block's column labels;
* table 3: one pipe table; header = an empty cell, then the flattened column labels
  (``自然人``, ``法人或其他组织/商业企业`` …, ``总计``); first column = the row label path
  (``一、本年新收政府信息公开申请数量``, ``三、本年度办理结果/（一）予以公开``,
  ``三、本年度办理结果/（三）不予公开/1.属于国家秘密`` …);
* table 4: one pipe table of 15 columns (``行政复议/结果维持`` …,
  ``行政诉讼/未经复议直接起诉/结果维持`` …) and one data row.

A blank cell prints empty, a placeholder prints its glyph; ``|`` in a cell is escaped ``\\|``.
"""

from __future__ import annotations

from collections.abc import Sequence

from opengov import layout
from opengov._codec import cell_text
from opengov._model import AppealOutcomes, ApplicantCounts, Report, printed_alone

__all__ = ["render_markdown", "PATH_SEPARATOR"]

PATH_SEPARATOR = "/"
"""Joins the parts of a flattened label (``三、本年度办理结果/（一）予以公开``)."""

_TOTAL_HANDLED = "total_handled"


def _escape(text: str) -> str:
    return text.replace("|", "\\|")


def _pipe_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    # imported here: tabulate (with importlib.metadata behind it) costs ≈ 35 ms to import,
    # which every ``import opengov`` paid though only Markdown output uses it
    from tabulate import tabulate

    return str(
        tabulate(
            [[_escape(text) for text in row] for row in rows],
            headers=[_escape(text) for text in header],
            tablefmt="github",
            disable_numparse=True,
        )
    )


def _table2(report: Report) -> list[str]:
    t2 = report.layout.table2
    out = []
    for block in t2.blocks:
        rows = [
            [t2.row(key).label, *(cell_text(report.cell("table2", key, c.key)) for c in block.columns)]
            for key in block.rows
        ]
        out.append(f"### {block.label}")
        out.append(_pipe_table([t2.header, *(c.label for c in block.columns)], rows))
    return out


def _table3(report: Report) -> list[str]:
    table3 = report.table3
    assert table3 is not None
    t3 = report.layout.table3
    organisation = set(t3.organisation_columns)
    header = [""] + [
        f"{t3.organisation_header}{PATH_SEPARATOR}{c.label}" if c.key in organisation else c.label for c in t3.columns
    ]
    inside = {*t3.outcome_rows, _TOTAL_HANDLED}
    rows = []
    totals = {key: getattr(table3, key) for key in t3.group_totals if getattr(table3, key) is not None}
    # a printed group total (the 2019 way) is a row of its own before the group's rows,
    # which are left out when every cell of them is absent
    dropped = {key for group in printed_alone(report) for key in t3.block(group).rows}
    for row in t3.rows:
        if row.block is not None and row.block in totals:
            total = totals.pop(row.block)
            label = PATH_SEPARATOR.join((t3.outcomes_label, t3.block(row.block).label))
            rows.append([label, *(cell_text(getattr(total, c.key)) for c in t3.columns)])
        if row.key in dropped:
            continue
        path = [row.label]
        if row.block is not None:
            path.insert(0, t3.block(row.block).label)
        if row.key in inside:
            path.insert(0, t3.outcomes_label)
        counts: ApplicantCounts = getattr(table3, row.key)
        rows.append([PATH_SEPARATOR.join(path), *(cell_text(getattr(counts, c.key)) for c in t3.columns)])
    return [_pipe_table(header, rows)]


def _table4(report: Report) -> list[str]:
    table4 = report.table4
    assert table4 is not None
    t4 = report.layout.table4
    header: list[str] = []
    row: list[str] = []
    for block in t4.blocks:
        prefix = [block.parent, block.label] if block.parent else [block.label]
        outcomes: AppealOutcomes = getattr(table4, block.key)
        for column in t4.columns:
            header.append(PATH_SEPARATOR.join([*prefix, column.label]))
            row.append(cell_text(getattr(outcomes, column.key)))
    return [_pipe_table(header, [row])]


_TABLES = {"table2": _table2, "table3": _table3, "table4": _table4}


def render_markdown(report: Report) -> str:
    """The whole report as Markdown (see the module doc for the shape)."""
    blocks: list[str] = []
    if report.title:
        blocks.append(f"# {report.title}")
    blocks.extend(report.preamble)
    for section in layout.SECTIONS:
        blocks.append(f"## {section.label}")
        if section.table is not None:
            if getattr(report, section.table) is not None:
                blocks.extend(_TABLES[section.table](report))
        else:
            blocks.extend(getattr(report, section.key))
    return "\n\n".join(blocks) + "\n"
