"""The JSON Schema of a report document, generated from the layout.

The same schema ships in the package as ``opengov/report.schema.json`` (a test keeps the
file equal to what this module generates), so tools outside Python can validate reports.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from opengov.layout import Format, cell_index, layout_for

__all__ = ["json_schema", "shipped_schema", "SCHEMA_ID"]

SCHEMA_ID = "https://opengov.invalid/schema/report-1.json"

_CELL = {"$ref": "#/$defs/cell"}


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def _table2(fmt: Format) -> dict[str, Any]:
    # A row the table record holds directly (a 2021 single-cell row) is one cell; any
    # other row an object of its cells.
    direct = {spec.row for spec in cell_index(fmt).table("table2") if spec.direct}
    lay = layout_for(fmt).table2
    rows: dict[str, Any] = {}
    for row in lay.rows:
        if row.key in direct:
            rows[row.key] = _CELL
        else:
            rows[row.key] = _object({c.key: _CELL for c in lay.columns_of(row.key)})
    return _object(rows)


def _table3(fmt: Format, counts: dict[str, Any]) -> dict[str, Any]:
    # a printed group total (2021: （六）其他处理 printed as one row) is optional
    t3 = layout_for(fmt).table3
    table = _object({r.key: counts for r in t3.rows})
    for key in t3.group_totals:
        table["properties"][key] = counts
    return table


def _report(fmt: Format) -> dict[str, Any]:
    lay = layout_for(fmt)
    counts = _object({c.key: _CELL for c in lay.table3.columns})
    outcomes = _object({c.key: _CELL for c in lay.table4.columns})
    paragraphs = {"$ref": "#/$defs/paragraphs"}
    properties: dict[str, Any] = {
        "format": {"const": fmt.value},
        "organ": {"type": "string"},
        "year": {"type": ["integer", "null"]},
        "title": {"type": "string"},
        "preamble": paragraphs,
        "overview": paragraphs,
        "table2": {"oneOf": [{"type": "null"}, _table2(fmt)]},
        "table3": {"oneOf": [{"type": "null"}, _table3(fmt, counts)]},
        "table4": {"oneOf": [{"type": "null"}, _object({b.key: outcomes for b in lay.table4.blocks})]},
        "problems": paragraphs,
        "other_matters": paragraphs,
    }
    schema = _object(properties)
    schema["required"] = ["format"]
    schema["title"] = f"{fmt.value} format report"
    return schema


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) that every :func:`opengov.dumps` output satisfies."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "opengov report (政府信息公开工作年度报告)",
        "oneOf": [_report(Format.V2019), _report(Format.V2021)],
        "$defs": {
            "paragraphs": {"type": "array", "items": {"type": "string"}},
            "cell": {
                "oneOf": [
                    {"type": "null", "description": "absent: the document does not have this cell"},
                    {"type": "integer", "description": "a count"},
                    {
                        "type": "object",
                        "description": "a money amount with the unit printed (if any)",
                        "properties": {
                            "amount": {"type": "string", "pattern": r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$"},
                            "unit": {"type": "string"},
                        },
                        "required": ["amount"],
                        "additionalProperties": False,
                    },
                    {
                        "type": "object",
                        "description": "a cell printed empty",
                        "properties": {"blank": {"const": True}},
                        "required": ["blank"],
                        "additionalProperties": False,
                    },
                    {
                        "type": "object",
                        "description": "a placeholder glyph such as / — 无 不适用",
                        "properties": {"placeholder": {"type": "string", "minLength": 1}},
                        "required": ["placeholder"],
                        "additionalProperties": False,
                    },
                ]
            },
        },
    }


def shipped_schema() -> dict[str, Any]:
    """The schema file shipped in the package."""
    text = resources.files("opengov").joinpath("report.schema.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


if __name__ == "__main__":  # pragma: no cover - regenerates the shipped file
    print(json.dumps(json_schema(), ensure_ascii=False, indent=2))
