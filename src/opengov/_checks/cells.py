"""Cells: what each data cell may hold, blanks and placeholders, units."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from types import MappingProxyType

from opengov._codec import shown
from opengov._model import Amount, Blank, Placeholder
from opengov.layout import COUNT_UNITS, MONEY_UNITS, Format, Kind

from ._context import Context, cell_labels, counted, names, table_en, table_zh
from .finding import CellKey, Finding

_KIND_ZH = MappingProxyType({Kind.COUNT: "非负整数", Kind.SIGNED: "整数（可为负）", Kind.MONEY: "非负金额"})
_KIND_EN = MappingProxyType(
    {Kind.COUNT: "a non-negative integer", Kind.SIGNED: "a signed integer", Kind.MONEY: "a non-negative amount"}
)


def _valid(kind: Kind, value: object) -> bool:
    if isinstance(value, bool):
        return False
    if kind is not Kind.MONEY and (n := counted(value)) is not None:
        return kind is Kind.SIGNED or n >= 0
    if kind is Kind.MONEY:
        if isinstance(value, Amount):
            return value.value.is_finite() and value.value >= 0
        return isinstance(value, int) and value >= 0
    if isinstance(value, int):
        return kind is Kind.SIGNED or value >= 0
    return False


def bad_values(ctx: Context) -> Iterator[Finding]:
    """``cell``: counts are non-negative integers, 万元/元 amounts non-negative decimals,
    and only 2019 本年增/减 may be negative."""
    for key, value in ctx.odd:
        if type(value) is int and value >= 0:
            continue  # the common case, valid in every column
        if value is None or not isinstance(value, (int, Amount)):
            continue  # absent, blank and placeholder cells have rules of their own
        spec = ctx.spec(key)
        if _valid(spec.kind, value):
            continue
        yield ctx.finding(
            "cell",
            f"{table_zh(key[0])}“{spec.path_label}/{spec.column_label}”应为{_KIND_ZH[spec.kind]}，实为“{shown(value)}”。",
            f"{table_en(key[0])}, {key[1]}/{key[2]}: expected {_KIND_EN[spec.kind]}, printed {shown(value)!r}.",
            key=key,
            printed=value,
            cells=(key,),
        )


@functools.cache
def _blank_texts(fmt: Format) -> Mapping[CellKey, tuple[str, str, str, str]]:
    """What a ``blank`` finding says of each cell printed blank: its messages in Chinese and
    in English, its row label and its column label (made once per format)."""
    labels = cell_labels(fmt)
    return MappingProxyType(
        {
            key: (f"{zh}为空白，未填写数字。", f"{en} is blank, not a number.", *labels[key])
            for key, (zh, en) in names(fmt).items()
        }
    )


def blank_cells(ctx: Context) -> Iterator[Finding]:
    """``blank``: a data cell printed empty or with a placeholder glyph."""
    fmt = ctx.current.format
    where = ctx.locations
    severity = ctx.rules["blank"].severity
    texts = None  # made (once per format) when a cell is found blank
    for key, value in ctx.odd:
        if type(value) is int:
            continue
        if isinstance(value, Blank):
            if texts is None:
                texts = _blank_texts(fmt)
            found: tuple[str, str, str | None, str | None] | None = texts.get(key)
            if found is None:  # a cell the layout does not name
                name_zh, name_en = ctx.named(key)
                found = (f"{name_zh}为空白，未填写数字。", f"{name_en} is blank, not a number.", None, None)
            message_zh, message_en, row_label, column_label = found
        elif isinstance(value, Placeholder):
            name_zh, name_en = ctx.named(key)
            message_zh = f"{name_zh}填写了占位符“{value.glyph}”，未填写数字。"
            message_en = f"{name_en} holds the placeholder {value.glyph!r}, not a number."
            row_label, column_label = cell_labels(fmt).get(key, (None, None))
        else:
            continue
        cells = (key,)
        location = where.get(key)
        # the fields by position, in the order of attrs.fields(Finding) (see new_finding):
        # a report may hold hundreds of blank cells; tests/test_checks_fast_paths.py compares
        # every field with the finding Context.finding makes
        yield Finding(
            "blank",  # rule
            severity,
            message_zh,
            message_en,
            key[0],  # table
            key[1],  # row
            row_label,
            key[2],  # column
            column_label,
            value,  # printed
            None,  # expected
            None,  # difference
            cells,
            cells,  # blanks
            (),  # previous_cells
            None,  # identity
            None,  # text
            {key: location} if location is not None else {},  # locations
        )


def wrong_units(ctx: Context) -> Iterator[Finding]:
    """``unit``: a unit printed in a cell that contradicts its column."""
    for key, value in ctx.odd:
        if type(value) is not Amount or value.unit is None:
            continue
        spec = ctx.spec(key)
        unit = value.unit
        if spec.kind is Kind.MONEY:
            if spec.unit is not None:
                wrong = unit != spec.unit
                want = spec.unit
            else:
                wrong = unit not in MONEY_UNITS
                want = "/".join(MONEY_UNITS)
        else:
            wrong = unit not in COUNT_UNITS
            want = "/".join(COUNT_UNITS)
        if not wrong:
            continue
        yield ctx.finding(
            "unit",
            f"{table_zh(key[0])}“{spec.path_label}/{spec.column_label}”印有单位“{unit}”，与该栏单位（{want}）不符。",
            f"{table_en(key[0])}, {key[1]}/{key[2]}: the cell prints the unit {unit!r}, "
            f"which contradicts its column ({want}).",
            key=key,
            printed=value,
            cells=(key,),
        )
