"""What the two CSV layouts hold: their columns, read from the layout's cell index.

Long layout (:data:`LONG_COLUMNS`) — one line per table cell, then one line per prose
paragraph::

    report,format,organ,year,title,table,block,row,row_label,column,column_label,state,value,unit,text
    1,2021,浙江乍浦…,2023,…,table2,article_20_8,fees,行政事业性收费,amount,本年收费金额（单位：万元）,amount,1341,万元,1341万元

* ``report`` identifies the report inside the file (:func:`opengov.to_csv` writes 1, 2, 3 …);
  lines with the same identifier belong to one report, so two reports of the same organ and
  year never merge.  ``format``/``organ``/``year``/``title`` repeat on every line.
* ``table`` … ``column_label`` are the cell's address and labels
  (:class:`opengov.layout.CellSpec`); ``state``, ``value``, ``unit``, ``text`` its state
  (:func:`opengov._codec.cell_to_long`).  A prose paragraph has ``table`` ``prose``, ``row``
  the section key, ``column`` the paragraph number from 1, ``state`` ``text`` and ``text``
  the paragraph.
* A report without tables and without prose is written as one line whose ``table`` is
  empty, so that it is not lost.

Wide layout (:func:`wide_columns`) — one line per report: :data:`WIDE_META`, then one column
per cell named ``<table>.<row>.<column>`` (``table3.granted.natural_person``) for the cells
of both formats, each written as :func:`opengov._codec.cell_to_wide` writes it.  The wide
layout does not carry prose (:func:`without_prose`).

The writer is :mod:`opengov._serialize.csv_write`, the reader
:mod:`opengov._serialize.csv_read`.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from types import MappingProxyType

import attrs

from opengov._model import Report, field_label
from opengov.layout import TABLES, CellKey, CellSpec, Format, cell_index, layout_for, normalize_label

__all__ = [
    "LONG_COLUMNS",
    "LONG_HEADER",
    "WIDE_META",
    "PROSE_SECTIONS",
    "TABLES",
    "DATAFRAME_DTYPES",
    "prose_label",
    "wide_columns",
    "wide_cell_columns",
    "wide_positions",
    "wide_specs",
    "row_labels",
    "column_labels",
    "without_prose",
]

LONG_COLUMNS: tuple[str, ...] = (
    "report",
    "format",
    "organ",
    "year",
    "title",
    "table",
    "block",
    "row",
    "row_label",
    "column",
    "column_label",
    "state",
    "value",
    "unit",
    "text",
)
"""The columns of the long layout, in the order :func:`opengov.to_csv` writes them."""

LONG_HEADER = ",".join(LONG_COLUMNS) + "\n"
"""The header line of the long layout (no column name needs quoting)."""

WIDE_META: tuple[str, ...] = ("report", "format", "organ", "year", "title", "tables")
"""The first columns of the wide layout (the cell columns follow)."""

PROSE_SECTIONS: tuple[str, ...] = ("preamble", "overview", "problems", "other_matters")
"""The prose fields of a report, as the ``row`` of a long-layout ``prose`` line."""

DATAFRAME_DTYPES: Mapping[str, str] = MappingProxyType(
    {
        "report": "Int64",
        "format": "string",
        "organ": "string",
        "year": "Int64",
        "title": "string",
        "table": "string",
        "block": "string",
        "row": "string",
        "row_label": "string",
        "column": "string",
        "column_label": "string",
        "state": "string",
        "value": "Float64",
        "unit": "string",
        "text": "string",
    }
)
"""The dtypes of :func:`opengov.to_dataframe` (and of ``pd.read_csv`` on a long CSV, see
docs/csv.md)."""


@functools.cache
def prose_label(section: str) -> str:
    """The heading of a prose section (the ``row_label`` of its lines): ``一、总体情况``."""
    return field_label(Report, section)


@functools.cache
def wide_cell_columns() -> tuple[str, ...]:
    """The cell columns of the wide layout, in order: per table, the cells of the 2021
    format, then the cells of the 2019 format that 2021 lacks."""
    names: dict[str, None] = {}
    for table in TABLES:
        for fmt in (Format.V2021, Format.V2019):
            names.update((spec.name, None) for spec in cell_index(fmt).table(table))
    return tuple(names)


def wide_columns() -> tuple[str, ...]:
    """Every column of the wide layout, in order: the meta columns, then one column per
    cell of both formats (table 2 of 2021, the 2019 table 2 cells that 2021 lacks, table 3
    likewise, table 4)."""
    return WIDE_META + wide_cell_columns()


@functools.cache
def wide_positions(fmt: Format) -> Mapping[CellKey, int]:
    """Where each cell of a format sits among :func:`wide_cell_columns`."""
    position = {name: i for i, name in enumerate(wide_cell_columns())}
    return MappingProxyType({spec.key: position[spec.name] for spec in cell_index(fmt).cells})


@functools.cache
def wide_specs(fmt: Format) -> tuple[CellSpec | None, ...]:
    """The cell of a format that each of :func:`wide_cell_columns` holds (``None`` where
    the format has no such cell)."""
    by_name = {spec.name: spec for spec in cell_index(fmt).cells}
    return tuple(by_name.get(name) for name in wide_cell_columns())


def row_labels(spec: CellSpec) -> frozenset[str]:
    """The row labels a reader accepts for a cell (canonical and variants), normalised
    (:func:`opengov.layout.normalize_label`)."""
    return frozenset(normalize_label(x) for x in (spec.row_label, *spec.row_variants))


def column_labels(fmt: Format, spec: CellSpec) -> frozenset[str]:
    """The column labels a reader accepts for a cell (canonical, variants and, in table
    2, the column's short label), normalised."""
    labels = [spec.column_label, *spec.column_variants]
    if spec.table == "table2" and spec.block is not None:
        column = next(c for c in layout_for(fmt).table2.block(spec.block).columns if c.key == spec.column)
        if column.short_label:
            labels.append(column.short_label)
    return frozenset(normalize_label(x) for x in labels)


def without_prose(report: Report) -> Report:
    """The report with its prose removed: what the wide layout carries."""
    return attrs.evolve(report, preamble=(), overview=(), problems=(), other_matters=())
