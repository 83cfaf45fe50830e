"""Test helper: hand-read figures in the shape of ``../shared/samples/expected/*.json``.

Both the real samples' expected files and the project's own fixtures in
``tests/data/quirks`` (and ``tests/data/zhapu-2023.json``) use that shape:

* ``year``, ``agency``, ``format_version`` (``"2019"`` or ``"2021"``);
* ``table2``: row label → the row's figures (a list; one bare figure for the 2021 rows of a
  single cell); ``table3``: row label (``（三）不予公开/1.属于国家秘密`` for a detail row) →
  seven figures; ``table4``: the 15 figures in printed order;
* a figure is an ``int``, a ``str`` for an amount (``"1341万元"``, ``"5949.088667"``) or
  ``null`` for a cell printed empty; other keys (``table2_columns``, ``inconsistencies``,
  ``notes`` …) are documentation.

:func:`report_from_expected` builds a Report from such a file (labels mapped to keys through
``opengov.layout``); :func:`figures_of` gives a report's figures in that shape and
:func:`differences` lists every cell where a parse and an expected file disagree.  Only the
public API is used.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from opengov import (
    BLANK,
    Amount,
    AppealOutcomes,
    Appeals,
    ApplicantCounts,
    Applications2019,
    Applications2021,
    ProactiveDisclosure2019,
    ProactiveDisclosure2021,
    Report,
)
from opengov.layout import MONEY_UNITS, Format, layout_for

_AMOUNT = re.compile(r"^(-?\d+(?:\.\d+)?)(\D*)$")
_TABLE2 = {Format.V2019: ProactiveDisclosure2019, Format.V2021: ProactiveDisclosure2021}
_TABLE3 = {Format.V2019: Applications2019, Format.V2021: Applications2021}

Key = tuple[str, str, str]
"""A cell's address: (table, row key, column key)."""


def load_expected(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def cell(value: Any) -> Any:
    """An expected file's figure as a cell value: ``null`` → BLANK, a string → Amount."""
    if value is None:
        return BLANK
    if isinstance(value, int):
        return value
    match = _AMOUNT.match(value)
    assert match, f"not an amount: {value!r}"
    unit = match.group(2) or None
    assert unit is None or unit in MONEY_UNITS, unit
    return Amount(value=Decimal(match.group(1)), unit=unit)


def _table3_paths(fmt: Format) -> dict[str, str]:
    """Expected-file row name (``（三）不予公开/1.属于国家秘密``) → table 3 row key."""
    lay = layout_for(fmt)
    return {
        (f"{lay.table3.block(row.block).label}/{row.label}" if row.block else row.label): row.key
        for row in lay.table3.rows
    }


def expected_figures(data: Mapping[str, Any]) -> dict[Key, Any]:
    """Every cell of an expected file by its address, as the file writes it (int, str, None)."""
    fmt = Format(data["format_version"])
    lay = layout_for(fmt)
    out: dict[Key, Any] = {}
    for row in lay.table2.rows:
        printed = data["table2"][row.label]
        values = printed if isinstance(printed, list) else [printed]
        for column, value in zip(lay.table2.columns_of(row.key), values, strict=True):
            out[("table2", row.key, column.key)] = value
    paths = _table3_paths(fmt)
    assert set(data["table3"]) == set(paths), set(data["table3"]) ^ set(paths)
    for name, values in data["table3"].items():
        for column, value in zip(lay.table3.columns, values, strict=True):
            out[("table3", paths[name], column.key)] = value
    positions = [(b.key, c.key) for b in lay.table4.blocks for c in lay.table4.columns]
    for (block, column), value in zip(positions, data["table4"], strict=True):
        out[("table4", block, column)] = value
    return out


def shown(value: Any) -> Any:
    """A read cell in the expected files' terms: BLANK → ``None``, an Amount → its printed
    text (``"1341万元"``), a count as is; a placeholder as its glyph; absent → ``"<absent>"``."""
    if value is None:
        return "<absent>"
    if value is BLANK:
        return None
    if isinstance(value, int):
        return value
    return str(value)


def figures_of(report: Report) -> dict[str, Any]:
    """A report's figures in the shape of an expected file (year, format and tables)."""
    lay = report.layout
    t2: dict[str, Any] = {}
    for row in lay.table2.rows:
        values = [shown(report.cell("table2", row.key, c.key)) for c in lay.table2.columns_of(row.key)]
        t2[row.label] = values if len(values) > 1 else values[0]
    t3 = {
        name: [shown(report.cell("table3", key, c.key)) for c in lay.table3.columns]
        for name, key in _table3_paths(report.format).items()
    }
    t4 = [shown(report.cell("table4", b.key, c.key)) for b in lay.table4.blocks for c in lay.table4.columns]
    return {"year": report.year, "format_version": str(report.format), "table2": t2, "table3": t3, "table4": t4}


def differences(report: Report, data: Mapping[str, Any], *, organ: bool = False) -> list[tuple[Any, ...]]:
    """Where ``report`` disagrees with the expected file ``data``: ``("year", read, expected)``,
    ``("format", …)``, ``("organ", …)`` (only with ``organ=True``: the samples' files annotate
    some organs) and ``(table, row, column, read, expected)`` for every cell whose printed
    figure differs, absent cells included (read as ``"<absent>"``).  ``[]`` when they agree."""
    out: list[tuple[Any, ...]] = []
    if report.year != data["year"]:
        out.append(("year", report.year, data["year"]))
    if str(report.format) != data["format_version"]:
        out.append(("format", str(report.format), data["format_version"]))
        return out
    if organ and report.organ != data["agency"]:
        out.append(("organ", report.organ, data["agency"]))
    for key, want in expected_figures(data).items():
        got = shown(report.cell(*key))
        if got != want:
            out.append((*key, got, want))
    return out


def report_from_expected(path: Path, **fields: Any) -> Report:
    data = load_expected(path)
    fmt = Format(data["format_version"])
    lay = layout_for(fmt)
    figures = expected_figures(data)

    def counts(table: str, row: str, columns: Any) -> dict[str, Any]:
        return {c.key: cell(figures[(table, row, c.key)]) for c in columns}

    table3 = _TABLE3[fmt](
        **{row.key: ApplicantCounts(**counts("table3", row.key, lay.table3.columns)) for row in lay.table3.rows}
    )
    table4 = Appeals(
        **{b.key: AppealOutcomes(**counts("table4", b.key, lay.table4.columns)) for b in lay.table4.blocks}
    )
    cls = _TABLE2[fmt]
    attrs.resolve_types(cls)
    t2_fields = attrs.fields_dict(cls)
    values: dict[str, Any] = {}
    for row in lay.table2.rows:
        columns = lay.table2.columns_of(row.key)
        if len(columns) == 1:  # a 2021 row of one cell is held directly
            values[row.key] = cell(figures[("table2", row.key, columns[0].key)])
        else:
            values[row.key] = t2_fields[row.key].type(**counts("table2", row.key, columns))
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
