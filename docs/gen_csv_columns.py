"""Generate docs/csv-columns.md from opengov.layout: ``python docs/gen_csv_columns.py``."""

from __future__ import annotations

from pathlib import Path

from opengov._serialize.csv_specs import LONG_COLUMNS, WIDE_META, wide_columns
from opengov.layout import Format, cell_index, layout_for


def _cells(fmt: Format) -> dict[str, tuple[str, str, str]]:
    """Wide column name → (table, row label with its caption or group, column label)."""
    parents = {b.key: b.parent for b in layout_for(fmt).table4.blocks}
    out: dict[str, tuple[str, str, str]] = {}
    for spec in cell_index(fmt).cells:
        if spec.table == "table2":
            row = f"{spec.block_label} {spec.row_label}"
        elif spec.table == "table3":
            row = spec.path_label
        else:
            parent = parents[spec.row]
            row = f"{parent}/{spec.row_label}" if parent else spec.row_label
        out[spec.name] = ({"table2": "表二", "table3": "表三", "table4": "表四"}[spec.table], row, spec.column_label)
    return out


def render() -> str:
    cells = {fmt: _cells(fmt) for fmt in (Format.V2021, Format.V2019)}
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
