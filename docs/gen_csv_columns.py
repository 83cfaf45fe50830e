"""Generate docs/csv-columns.md from opengov.layout: ``python docs/gen_csv_columns.py``."""

from __future__ import annotations

from pathlib import Path

from opengov._serialize.csv import LONG_COLUMNS, WIDE_META, wide_columns
from opengov.layout import LAYOUT_2019, LAYOUT_2021, Format, FormatLayout


def _cells(lay: FormatLayout) -> dict[str, tuple[str, str, str]]:
    """Wide column name → (table, row label with its group, column label)."""
    out: dict[str, tuple[str, str, str]] = {}
    for block, row, column in lay.table2.cells():
        out[f"table2.{row.key}.{column.key}"] = ("表二", f"{block.label} {row.label}", column.label)
    for group, row3, column3 in lay.table3.cells():
        label = f"{group.label}/{row3.label}" if group else row3.label
        out[f"table3.{row3.key}.{column3.key}"] = ("表三", label, column3.label)
    for block4, column4 in lay.table4.cells():
        label = f"{block4.parent}/{block4.label}" if block4.parent else block4.label
        out[f"table4.{block4.key}.{column4.key}"] = ("表四", label, column4.label)
    return out


def render() -> str:
    cells = {Format.V2021: _cells(LAYOUT_2021), Format.V2019: _cells(LAYOUT_2019)}
    lines = [
        "# CSV columns",
        "",
        "Generated from `opengov.layout` by `python docs/gen_csv_columns.py`; a test keeps this page",
        "equal to the layout. See [csv.md](csv.md) for what the values mean.",
        "",
        "## Long layout",
        "",
        ", ".join(f"`{c}`" for c in LONG_COLUMNS),
        "",
        f"## Wide layout ({len(wide_columns())} columns)",
        "",
        "Meta columns: " + ", ".join(f"`{c}`" for c in WIDE_META) + ". Then one column per cell:",
        "",
        "| column | formats | table | row | column label |",
        "|---|---|---|---|---|",
    ]
    for name in wide_columns()[len(WIDE_META) :]:
        formats = [fmt.value for fmt in (Format.V2019, Format.V2021) if name in cells[fmt]]
        table, row, column = cells[Format.V2021].get(name) or cells[Format.V2019][name]
        if len(formats) == 2 and cells[Format.V2019][name] != cells[Format.V2021][name]:
            _, row19, column19 = cells[Format.V2019][name]
            row = row if row == row19 else f"{row} (2019: {row19})"
            column = column if column == column19 else f"{column} (2019: {column19})"
        lines.append(f"| `{name}` | {', '.join(formats)} | {table} | {row} | {column} |")
    lines.append("")
    return "\n".join(lines)


PATH = Path(__file__).resolve().parent / "csv-columns.md"

if __name__ == "__main__":
    PATH.write_text(render(), encoding="utf-8")
