"""Test helper: build a Report from a hand-read ``../shared/samples/expected/*.json`` file.

Labels are mapped to keys through ``opengov.layout``; ``null`` becomes BLANK; strings with
units become Amounts.  (The parsers are written concurrently; this lets the checks be
tested against the hand-read figures of real documents now.)
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from opengov import BLANK, Amount, AppealOutcomes, Appeals, ApplicantCounts, Report
from opengov._model import TABLE2_TYPES, TABLE3_TYPES
from opengov.layout import MONEY_UNITS, Format, layout_for

_AMOUNT = re.compile(r"^(-?\d+(?:\.\d+)?)(\D*)$")


def cell(value: Any) -> Any:
    if value is None:
        return BLANK
    if isinstance(value, int):
        return value
    match = _AMOUNT.match(value)
    assert match, f"not an amount: {value!r}"
    unit = match.group(2) or None
    assert unit is None or unit in MONEY_UNITS, unit
    return Amount(value=Decimal(match.group(1)), unit=unit)


def report_from_expected(path: Path, **fields: Any) -> Report:
    data = json.loads(path.read_text(encoding="utf-8"))
    fmt = Format(data["format_version"])
    lay = layout_for(fmt)

    by_label = {}
    for row in lay.table3.rows:
        group = lay.table3.block(row.block).label if row.block else None
        by_label[f"{group}/{row.label}" if group else row.label] = row.key
    rows = {
        by_label[label]: ApplicantCounts(**{c.key: cell(v) for c, v in zip(lay.table3.columns, values, strict=True)})
        for label, values in data["table3"].items()
    }
    table3 = TABLE3_TYPES[fmt](**rows)

    flat = iter(data["table4"])
    table4 = Appeals(
        **{b.key: AppealOutcomes(**{c.key: cell(next(flat)) for c in lay.table4.columns}) for b in lay.table4.blocks}
    )

    cls = TABLE2_TYPES[fmt]
    attrs.resolve_types(cls)
    t2_fields = attrs.fields_dict(cls)
    values: dict[str, Any] = {}
    for row in lay.table2.rows:
        printed = data["table2"][row.label]
        field = t2_fields[row.key]
        if field.metadata.get("column") is not None:
            values[row.key] = cell(printed)
        else:
            columns = lay.table2.columns_of(row.key)
            values[row.key] = field.type(**{c.key: cell(v) for c, v in zip(columns, printed, strict=True)})
    table2 = cls(**values)
    return Report(
        format=fmt, organ=data["agency"], year=data["year"], table2=table2, table3=table3, table4=table4, **fields
    )


def sections_of(text: str) -> dict[str, tuple[str, ...]]:
    """Prose paragraphs of 一、五、六 from a text whose section headings stand on their own line."""
    from opengov.layout import SECTIONS

    headings = {s.label: s.key for s in SECTIONS}
    out: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        stripped = line.strip()
        if stripped in headings:
            current = headings[stripped]
            out[current] = []
            continue
        if current and stripped and not line.startswith("\t"):
            out[current].append(stripped)
    return {k: tuple(out.get(k, ())) for k in ("overview", "problems", "other_matters")}
