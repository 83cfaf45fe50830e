"""Generate docs/vocabulary.md from opengov.layout: ``python docs/gen_vocabulary.py``."""

from __future__ import annotations

from pathlib import Path

from opengov.layout import LAYOUT_2019, LAYOUT_2021, SECTIONS, FormatLayout


def _table2(lay: FormatLayout) -> list[str]:
    lines = ["| block | row key | row label | column key | column label | kind |", "|---|---|---|---|---|---|"]
    for block, row, column in lay.table2.cells():
        lines.append(
            f"| {block.label} | `{row.key}` | {row.label} | `{column.key}` | {column.label} | {column.kind.value} |"
        )
    return lines


def _table3(lay: FormatLayout) -> list[str]:
    lines = ["| row key | group | row label |", "|---|---|---|"]
    for row in lay.table3.rows:
        group = lay.table3.block(row.block).label if row.block else ""
        lines.append(f"| `{row.key}` | {group} | {row.label} |")
    return lines


def render() -> str:
    out = [
        "# The layout and the English vocabulary",
        "",
        "Generated from `opengov.layout` by `python docs/gen_vocabulary.py`; a test keeps this page",
        "equal to the layout. These keys are the JSON keys, the CSV keys and the keys in findings;",
        "they never change silently.",
        "",
        "## Sections",
        "",
        "| key | heading |",
        "|---|---|",
        *[f"| `{s.key}` | {s.label} |" for s in SECTIONS],
        "",
        "## Table 2 — 主动公开政府信息情况, 2021 format",
        "",
        *_table2(LAYOUT_2021),
        "",
        "## Table 2 — 主动公开政府信息情况, 2019 format",
        "",
        *_table2(LAYOUT_2019),
        "",
        "## Table 3 — 收到和处理政府信息公开申请情况",
        "",
        "Columns: " + ", ".join(f"`{c.key}` {c.label}" for c in LAYOUT_2021.table3.columns) + ".",
        f"The five middle columns sit under {LAYOUT_2021.table3.organisation_header}.",
        "",
        "### 2021 format (25 rows)",
        "",
        *_table3(LAYOUT_2021),
        "",
        "### 2019 format (23 rows)",
        "",
        *_table3(LAYOUT_2019),
        "",
        "## Table 4 — 政府信息公开行政复议、行政诉讼情况 (both formats)",
        "",
        "Blocks: " + ", ".join(f"`{b.key}` {b.label}" for b in LAYOUT_2021.table4.blocks) + ".",
        "Columns: " + ", ".join(f"`{c.key}` {c.label}" for c in LAYOUT_2021.table4.columns) + ".",
        "",
    ]
    return "\n".join(out)


PATH = Path(__file__).resolve().parent / "vocabulary.md"

if __name__ == "__main__":
    PATH.write_text(render(), encoding="utf-8")
