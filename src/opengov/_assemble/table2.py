"""Table 2 (主动公开政府信息情况): rows by label, columns by a header that names them all
(by position otherwise), one block's columns per row."""

from __future__ import annotations

from collections.abc import Sequence

from opengov._assemble.reading import CellMap, TableReading
from opengov._assemble.rows import Row
from opengov._assemble.sink import Sink
from opengov._assemble.vocab import Vocab, column_positions, header_order, loose
from opengov._errors import Severity
from opengov._grid import GridCell

__all__ = ["contradicts", "read_table2"]


def read_table2(
    rows: Sequence[Row],
    voc: Vocab,
    sink: Sink,
    *,
    soft: bool = False,
    whole: bool = False,
    into: CellMap | None = None,
) -> TableReading:
    """Read table 2 from the rows of its grids, in order.

    A row whose first label is 信息内容 is a header: its other labels name the columns of
    the rows below it (until a caption row).  Rows not found are ``missing-row``.
    """
    reading = TableReading("table2", voc, sink, soft=soft, whole=whole, into=into)
    header: Sequence[str] = ()
    header_cells: list[GridCell] = []
    header_label = loose(voc.layout.table2.header)
    for row in rows:
        comps = row.parts
        if comps and loose(comps[0]) == header_label:
            header = comps[1:]
            header_cells = [c for c in (*row.labels, *row.values) if c.text.strip()][1:]
            reading.stray_labels(row, header=True)
            continue
        key = reading.match_row(row, voc.t2_rows) if row.values else None
        if key is None:
            if not (row.values or comps) or any(voc.t2_captions.match(c) for c in comps):
                reading.stray_labels(row, header=True)  # a caption row: its cells name a block
                header = ()
                header_cells = []
                continue
            reading.other_row(row)
            continue
        specs = voc.t2_cells[key]
        label = specs[0].row_label
        if key in reading.placed:
            sink.add(
                Severity.WARNING, "duplicate-row", f"table2 row {label!r} printed twice; the first kept", row.location
            )
            continue
        order = header_order(voc, key, header) or header_order(voc, key, [c.text for c in header_cells])
        if order is None and contradicts(voc, key, [c.text for c in header_cells]):
            sink.add(
                Severity.ERROR,
                "table2-header-order",
                f"table2 row {label!r}: its header ({', '.join(repr(c.text.strip()) for c in header_cells)}) "
                "names a column at another place than the layout's and does not name every column; "
                "its cells are left absent",
                row.location,
            )
            reading.unreadable.add(key)
            continue
        values = by_position(row, header_cells, len(specs), label, sink)
        if values is None:
            values = reading.take_values(row, len(specs), f"table2 row {label!r}", key)
        if values is None:
            reading.unreadable.add(key)
            continue
        for spec, cell in zip(order or specs, values, strict=True):
            reading.place(spec, cell)
    reading.missing_rows(voc.t2_cells, "row", reading.placed)
    return reading


def contradicts(voc: Vocab, row: str, header: Sequence[str]) -> bool:
    """Whether a header that does not name every column of table 2 row ``row`` (a renamed
    or unknown column word) names one it does know at another place than the layout's:
    then reading the row in layout order could put a figure in the wrong column."""
    for position, text in enumerate(header):
        found = column_positions(voc, row, text)
        if len(found) == 1 and found[0] != position:
            return True
    return False


def by_position(row: Row, header_cells: Sequence[GridCell], n: int, label: str, sink: Sink) -> list[GridCell] | None:
    """A row whose distinct cells do not pair one to one with its block's header: the cell
    under the first grid column of each header cell, with a diagnostic naming the cells
    left unread; None when the distinct cells pair (the normal reading: spans misaligned
    between header and data rows are read by order), when no header of the layout's
    width is there to align with, when neither header nor row has a span or a gap and a
    printed cell is left over (their columns are then only their order: a cell too many
    could be any of them), or when a
    printed cell stands beyond the header or two under one header cell (which one is the
    cell is not known)."""
    if len(header_cells) != n or not row.values:
        return None  # (popping empty cells below leaves n >= 1 of them)
    values = list(row.values)
    while len(values) > n and not values[0].text.strip():
        values.pop(0)
    if len(values) == n:
        return None
    first, last = header_cells[0].col, max(h.col + h.colspan for h in header_cells)
    if any(v.text.strip() and (v.col < first or v.col + v.colspan > last) for v in values):
        return None  # a printed cell beyond the header: the row is not the header's width, its order unknown
    for head in header_cells:
        end = head.col + head.colspan
        below = [v for v in values if v.text.strip() and v.col < end and head.col < v.col + v.colspan]
        if len(below) > 1:
            return None  # two printed cells under one header cell: which is its cell is not known
    taken: list[GridCell] = []
    for head in header_cells:
        under = next((v for v in row.values if v.col <= head.col < v.col + v.colspan), None)
        if under is None:
            return None
        taken.append(under)
    if any(taken[j] is taken[i] for i in range(n) for j in range(i)):
        return None  # two header cells over one cell
    left = [c for c in values if all(c is not t for t in taken)]
    unread = [c.text.strip() for c in left if c.text.strip()]
    spread = any(c.colspan > 1 for c in (*header_cells, *values)) or header_cells[-1].col - header_cells[0].col != n - 1
    if unread and not spread:
        return None  # no spans, no gap: the cells pair by order only, and a printed one too many is unplaceable
    sink.add(
        Severity.WARNING if unread else Severity.INFO,
        "table2-by-position",
        f"table2 row {label!r}: its {len(values)} cells do not pair with the {n} header cells; "
        "read by column position under each header"
        + (f"; not read: {', '.join(repr(t) for t in unread)}" if unread else " (the cells left over are empty)"),
        values[0].location or row.location,
    )
    return taken
