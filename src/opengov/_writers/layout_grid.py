"""Report → :class:`~opengov._grid.Grid` for tables 2, 3 and 4, mirroring the official template.

Every label, every span and every row comes from :mod:`opengov.layout`; every cell prints
with :func:`opengov._codec.cell_text`.  The merged cells are those of the official Word
template (国办公开办函〔2021〕30号):

* table 2 — 4 grid columns: ``信息内容`` and 3 data columns.  Each 第二十条 caption spans the
  full width; a block with fewer columns than the widest block stretches its last column
  (2021: ``本年处理决定数量`` spans 3; 2019: ``本年增/减`` and ``采购总金额`` span 2).
* table 3 — 10 grid columns: 3 label columns and 7 data columns.  Three header rows: the
  勾稽关系 note cell (rowspan 3, colspan 3), ``申请人情况`` (colspan 7), ``自然人`` and ``总计``
  (rowspan 2), ``法人或其他组织`` (colspan 5) over its five columns.  ``三、本年度办理结果``
  spans its outcome rows and （七）总计 (22 rows in 2021, 20 in 2019); each group
  (（三）不予公开 …) spans its sub-rows; rows without a group span 2 (inside 三) or 3
  (一、二、四) label columns.
* table 4 — 15 grid columns, no label column.  ``行政复议`` spans its 5 columns, whose labels
  span 2 header rows; ``行政诉讼`` spans 10 columns, over ``未经复议直接起诉`` and ``复议后起诉``
  (5 each), over their column labels.  One data row.

Label cells are marked ``header=True``; data cells are not.
"""

from __future__ import annotations

from functools import cache, lru_cache

import attrs

from opengov import layout
from opengov._codec import cell_text
from opengov._grid import Grid, GridCell
from opengov._model import CellValue, Report, group_total_values, printed_alone
from opengov._model import table_values as cell_values_of
from opengov.layout import Format, FormatLayout

__all__ = [
    "table_grid",
    "table2_grid",
    "table3_grid",
    "table4_grid",
    "report_grids",
    "keyed_table_grid",
    "table_plan",
    "cell_places",
    "TABLE3_LABEL_COLUMNS",
]

TABLE3_LABEL_COLUMNS = 3
"""Table 3's label columns (the data columns follow them)."""

_TOTAL_HANDLED = "total_handled"
"""Key of （七）总计, the last row under 三、本年度办理结果 (it is not an outcome row)."""


def _data_cell(row: int, col: int, colspan: int, value: CellValue | None) -> GridCell:
    """``GridCell(row=row, col=col, colspan=colspan, text=cell_text(value))``."""
    return _grid_cell(row, col, colspan, str(value) if type(value) is int else cell_text(value))


@lru_cache(maxsize=1 << 16)
def _grid_cell(row: int, col: int, colspan: int, text: str) -> GridCell:
    return GridCell(row=row, col=col, colspan=colspan, text=text)


def _spans(n_columns: int, width: int) -> list[int]:
    """How ``n_columns`` block columns cover ``width`` grid columns: one each, the last
    one stretched over what is left."""
    spans = [1] * n_columns
    spans[-1] += width - n_columns
    return spans


Placement = tuple[int, int, int]
"""Where a data cell goes in its table's grid: ``(row, col, colspan)``."""


@attrs.frozen
class TablePlan:
    """What a table's grid owes to its format alone: the label cells, where each data cell
    goes (in the layout's cell order), and the grid's extent."""

    labels: tuple[GridCell, ...]
    cells: tuple[tuple[layout.CellSpec, Placement], ...]
    n_rows: int
    n_cols: int


@cache
def table_plan(fmt: Format, table: str) -> TablePlan:
    """The :class:`TablePlan` of one table of a format."""
    lay = layout.layout_for(fmt)
    index = layout.cell_index(fmt)
    if table == "table2":
        labels, places, n_rows, n_cols = _table2_plan(lay)
    elif table == "table3":
        labels, places, n_rows, n_cols = _table3_plan(lay)
    elif table == "table4":
        labels, places, n_rows, n_cols = _table4_plan(lay)
    else:
        raise KeyError(f"unknown table {table!r}")
    return TablePlan(
        labels=tuple(labels),
        cells=tuple((spec, places[spec.key]) for spec in index.table(table)),
        n_rows=n_rows,
        n_cols=n_cols,
    )


def cell_places(fmt: Format) -> dict[layout.CellKey, tuple[str, Placement]]:
    """Every data cell's table and place in its grid (what a check report highlights)."""
    return {spec.key: (table, place) for table in layout.TABLES for spec, place in table_plan(fmt, table).cells}


def table_grid(report: Report, table: str) -> Grid:
    """One table of a report as a grid (``KeyError``/``ValueError`` when the report has none)."""
    return keyed_table_grid(report, table)[0]


Places = dict[tuple[int, int], layout.CellKey]
"""Which cell each data cell of a grid holds, by its ``(row, col)``."""


def keyed_table_grid(report: Report, table: str) -> tuple[Grid, Places]:
    """:func:`table_grid`, and the address of the cell at each data place of the grid
    (a printed group total's cells included)."""
    if getattr(report, table) is None:
        raise (KeyError if table == "table2" else ValueError)(f"the report has no {table}")
    plan = table_plan(report.format, table)
    values = [value for _spec, value in cell_values_of(report, table)]
    data = [_data_cell(r, c, span, value) for (_spec, (r, c, span)), value in zip(plan.cells, values, strict=True)]
    grid = Grid(cells=(*plan.labels, *data), n_rows=plan.n_rows, n_cols=plan.n_cols)
    places = {(r, c): spec.key for spec, (r, c, _span) in plan.cells}
    if table == "table3":
        totals = list(group_total_values(report))
        if totals:
            return _with_group_totals(report, grid, places, totals)
    return grid, places


def _with_group_totals(
    report: Report, grid: Grid, places: Places, totals: list[tuple[layout.CellSpec, CellValue | None]]
) -> tuple[Grid, Places]:
    """Table 3's grid with each printed group total (``other_processing`` of a 2021 report
    printed the 2019 way) as a row of its own, labelled with the group, before the group's
    numbered rows; when every cell of those rows is absent they are left out (the table as
    such a document prints it)."""
    t3 = layout.layout_for(report.format).table3
    cells = list(grid.cells)
    n_rows = grid.n_rows
    alone = printed_alone(report)
    for key in dict.fromkeys(spec.row for spec, _ in totals):
        block = t3.block(key)
        first = min(c.row for c in cells if c.text == block.label and c.col == 1)
        k = len(block.rows)
        drop = key in alone
        delta = 1 - k if drop else 1
        moved = []
        for cell in cells:
            row = _moved_row(cell.row, first, k, drop)
            if row is None:
                continue
            if row != cell.row:
                cell = attrs.evolve(cell, row=row)
            elif cell.row < first < cell.row + cell.rowspan:
                cell = attrs.evolve(cell, rowspan=cell.rowspan + delta)
            moved.append(cell)
        places = {
            (r, c): address
            for (row, c), address in places.items()
            if (r := _moved_row(row, first, k, drop)) is not None
        }
        moved.append(GridCell(row=first, col=1, colspan=TABLE3_LABEL_COLUMNS - 1, text=block.label, header=True))
        for j, (spec, value) in enumerate((s, v) for s, v in totals if s.row == key):
            moved.append(_data_cell(first, TABLE3_LABEL_COLUMNS + j, 1, value))
            places[(first, TABLE3_LABEL_COLUMNS + j)] = spec.key
        cells = sorted(moved, key=lambda c: (c.row, c.col))
        n_rows += delta
    return Grid(cells=tuple(cells), n_rows=n_rows, n_cols=grid.n_cols), places


def _moved_row(row: int, first: int, k: int, drop: bool) -> int | None:
    """Where a grid row goes when a group total row is put at ``first``, before the ``k``
    rows of its group (left out, ``None``, with ``drop``)."""
    if drop:
        if first <= row < first + k:
            return None
        return row + 1 - k if row >= first + k else row
    return row + 1 if row >= first else row


def _table2_plan(lay: FormatLayout) -> tuple[list[GridCell], dict[layout.CellKey, Placement], int, int]:
    t2 = lay.table2
    width = max(len(block.columns) for block in t2.blocks)
    cells: list[GridCell] = []
    places: dict[layout.CellKey, Placement] = {}
    r = 0
    for block in t2.blocks:
        cells.append(GridCell(row=r, col=0, colspan=width + 1, text=block.label, header=True))
        spans = _spans(len(block.columns), width)
        cells.append(GridCell(row=r + 1, col=0, text=t2.header, header=True))
        c = 1
        for column, span in zip(block.columns, spans, strict=True):
            cells.append(GridCell(row=r + 1, col=c, colspan=span, text=column.label, header=True))
            c += span
        r += 2
        for row_key in block.rows:
            cells.append(GridCell(row=r, col=0, text=t2.row(row_key).label, header=True))
            c = 1
            for column, span in zip(block.columns, spans, strict=True):
                places[("table2", row_key, column.key)] = (r, c, span)
                c += span
            r += 1
    return cells, places, r, width + 1


def _table3_plan(lay: FormatLayout) -> tuple[list[GridCell], dict[layout.CellKey, Placement], int, int]:
    label_cells, data_rows = _table3_labels(lay.format)
    first = TABLE3_LABEL_COLUMNS
    places = {
        ("table3", row_key, column.key): (r, first + j, 1)
        for r, row_key in data_rows
        for j, column in enumerate(lay.table3.columns)
    }
    return list(label_cells), places, _T3_FIRST_ROW + len(data_rows), first + len(lay.table3.columns)


def _table4_plan(lay: FormatLayout) -> tuple[list[GridCell], dict[layout.CellKey, Placement], int, int]:
    t4 = lay.table4
    n = len(t4.columns)
    cells: list[GridCell] = []
    places: dict[layout.CellKey, Placement] = {}
    parents_done: set[str] = set()
    for b, block in enumerate(t4.blocks):
        c0 = b * n
        if block.parent is None:
            cells.append(GridCell(row=0, col=c0, colspan=n, text=block.label, header=True))
            for j, column in enumerate(t4.columns):
                cells.append(GridCell(row=1, col=c0 + j, rowspan=2, text=column.label, header=True))
        else:
            if block.parent not in parents_done:
                parents_done.add(block.parent)
                siblings = sum(1 for other in t4.blocks if other.parent == block.parent)
                cells.append(GridCell(row=0, col=c0, colspan=n * siblings, text=block.parent, header=True))
            cells.append(GridCell(row=1, col=c0, colspan=n, text=block.label, header=True))
            for j, column in enumerate(t4.columns):
                cells.append(GridCell(row=2, col=c0 + j, text=column.label, header=True))
        for j, column in enumerate(t4.columns):
            places[("table4", block.key, column.key)] = (3, c0 + j, 1)
    return cells, places, 4, n * len(t4.blocks)


def table2_grid(report: Report) -> Grid:
    """Table 2 (主动公开政府信息情况) of a report that has one."""
    return table_grid(report, "table2")


def table3_grid(report: Report) -> Grid:
    """Table 3 (收到和处理政府信息公开申请情况) of a report that has one."""
    return table_grid(report, "table3")


def table4_grid(report: Report) -> Grid:
    """Table 4 (政府信息公开行政复议、行政诉讼情况) of a report that has one."""
    return table_grid(report, "table4")


def _table3_header(lay: FormatLayout) -> list[GridCell]:
    t3 = lay.table3
    labels = TABLE3_LABEL_COLUMNS
    cells = [
        GridCell(row=0, col=0, rowspan=3, colspan=labels, text=t3.note, header=True),
        GridCell(row=0, col=labels, colspan=len(t3.columns), text=t3.applicant_header, header=True),
    ]
    organisation = set(t3.organisation_columns)
    first_org = next(i for i, c in enumerate(t3.columns) if c.key in organisation)
    cells.append(
        GridCell(row=1, col=labels + first_org, colspan=len(organisation), text=t3.organisation_header, header=True)
    )
    for i, column in enumerate(t3.columns):
        if column.key in organisation:
            cells.append(GridCell(row=2, col=labels + i, text=column.label, header=True))
        else:
            cells.append(GridCell(row=1, col=labels + i, rowspan=2, text=column.label, header=True))
    return cells


@cache
def _table3_labels(fmt: Format) -> tuple[tuple[GridCell, ...], tuple[tuple[int, str], ...]]:
    """Table 3's label cells (they depend on the format only), and its data rows as
    ``(grid row, row key)``."""
    lay = layout.layout_for(fmt)
    t3 = lay.table3
    labels = TABLE3_LABEL_COLUMNS
    cells = _table3_header(lay)
    outcome_keys = {*t3.outcome_rows, _TOTAL_HANDLED}
    outcome_span = sum(1 for row in t3.rows if row.key in outcome_keys)
    seen_outcomes = False
    data_rows = []
    for i, row in enumerate(t3.rows):
        r = _T3_FIRST_ROW + i
        data_rows.append((r, row.key))
        if row.key not in outcome_keys:
            cells.append(GridCell(row=r, col=0, colspan=labels, text=row.label, header=True))
            continue
        if not seen_outcomes:
            seen_outcomes = True
            cells.append(GridCell(row=r, col=0, rowspan=outcome_span, text=t3.outcomes_label, header=True))
        if row.block is None:
            cells.append(GridCell(row=r, col=1, colspan=labels - 1, text=row.label, header=True))
        else:
            block = t3.block(row.block)
            if block.rows[0] == row.key:
                cells.append(GridCell(row=r, col=1, rowspan=len(block.rows), text=block.label, header=True))
            cells.append(GridCell(row=r, col=2, text=row.label, header=True))
    return tuple(cells), tuple(data_rows)


_T3_FIRST_ROW = 3
"""Table 3's first data row (after its three header rows)."""


def report_grids(report: Report) -> dict[str, Grid]:
    """The grids of the tables a report has, keyed ``table2``/``table3``/``table4``."""
    grids: dict[str, Grid] = {}
    for section in layout.SECTIONS:
        if section.table is None or getattr(report, section.table) is None:
            continue
        grids[section.table] = table_grid(report, section.table)
    return grids
