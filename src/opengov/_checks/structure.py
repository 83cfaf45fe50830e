"""Structure: the tables and sections a report must have."""

from __future__ import annotations

from collections.abc import Iterator

from opengov.layout import SECTIONS

from ._context import Context, table_en, table_zh
from .finding import CellKey, Finding


def missing_tables(ctx: Context) -> Iterator[Finding]:
    """``structure``: each table present, and complete (no absent cell) for its format."""
    fmt = ctx.current.format
    for section in SECTIONS:
        if section.table is None:
            continue
        if not ctx.has_table(section.table):
            yield ctx.finding(
                "structure",
                f"缺少{section.label}的表格（{fmt}年格式）。",
                f"The table of section {section.label} ({section.table}) is missing ({fmt} format).",
                table=section.table,
            )
    # Absent cells, grouped by row.
    absent: dict[tuple[str, str], list[CellKey]] = {}
    for key, value in ctx.odd:
        if value is None:
            absent.setdefault((key[0], key[1]), []).append(key)
    for (table, _row), keys in absent.items():
        first = keys[0]
        spec = ctx.spec(first)
        columns = "、".join(ctx.spec(k).column_label for k in keys)
        yield ctx.finding(
            "structure",
            f"{table_zh(table)}“{spec.path_label}”行缺少{len(keys)}个单元格：{columns}。",
            f"{table_en(table)}, row {first[1]}: {len(keys)} cell(s) absent from the document "
            f"({', '.join(k[2] for k in keys)}).",
            key=first,
            printed=None,
            cells=keys,
            blanks=keys,
        )


def empty_sections(ctx: Context) -> Iterator[Finding]:
    """``sections``: the prose sections 一、五、六 are present (not empty)."""
    for section in SECTIONS:
        if section.table is not None:
            continue
        paragraphs = ctx.current.prose.get(section.key, ())
        if not any(p.strip() for p in paragraphs):
            yield ctx.finding(
                "sections",
                f"“{section.label}”部分缺失或为空。",
                f"Section {section.label} ({section.key}) is missing or empty.",
            )
