"""Table 4 (政府信息公开行政复议、行政诉讼情况): three blocks of five counts, printed as one
row per block or as one row of all fifteen; a block named by its row's label, the grid's
caption or a header row, else the next block not yet filled."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from opengov._assemble.reading import CellMap, TableReading
from opengov._assemble.recovery import GluedRow
from opengov._assemble.rows import Row, digits
from opengov._assemble.sink import Sink
from opengov._assemble.vocab import Vocab, block_hint, loose
from opengov._errors import Severity
from opengov._recover import TABLE4_FLAT

__all__ = ["read_table4"]


def read_table4(
    grids: Sequence[tuple[Sequence[Row], str]],
    voc: Vocab,
    sink: Sink,
    *,
    soft: bool = False,
    whole: bool = False,
    into: CellMap | None = None,
) -> TableReading:
    """Read table 4 from its grids' rows, each grid with the caption printed before it.
    Blocks not found are ``missing-row``."""
    t4 = voc.layout.table4
    reading = TableReading("table4", voc, sink, soft=soft, whole=whole, into=into)
    blocks = [b.key for b in t4.blocks]
    n = len(t4.columns)
    total = n * len(blocks)
    filled: list[str] = []
    guessed: dict[str, GluedRow] = {}
    """Blocks a separator-lost row was taken for without a label of its own (by the grid's
    caption, a header above it, or order): for the recovery, unless a later row prints the
    block."""
    for rows, caption in grids:
        hint = block_hint(voc, caption)
        header_hint = None
        # the rows before the grid's first header row are no data rows (unless a block label says so)
        first_header = next((i for i, r in enumerate(rows) if _names_columns(voc, r)), 0)
        for i, row in enumerate(rows):
            if row.has_digits and (
                _names_columns(voc, row) or (i < first_header and not any(map(voc.t4_blocks.match, row.parts)))
            ):
                reading.stray_labels(row, header=True)  # a header row (or above one) with a number in no cell
                continue
            if not row.has_digits and len(row.values) not in (n, total):
                if row.labels and not row.values:
                    header_hint = block_hint(voc, "".join(row.parts)) or header_hint
                if not row.labels and not row.values:
                    continue
                if row.labels and not row.header:
                    reading.other_row(row)
                elif row.header:
                    reading.stray_labels(row)
                continue
            if row.header:
                reading.stray_labels(row, header=True)
                continue
            values = row.values
            row_hint = None
            for comp in row.parts:
                found = voc.t4_blocks.match(comp)
                if found:
                    row_hint = found[0]
            # one glued run of 15+ digits not labelled as one block: all three blocks
            comps = row.parts
            labelled = bool(comps) and voc.t4_blocks.match(comps[-1]) is not None
            glued_digits = sum(map(str.isdigit, values[0].text)) if len(values) == 1 else 0
            glued_all = not labelled and glued_digits >= total and not reading.whole
            want = total if len(values) > n or glued_all else n
            glued = TABLE4_FLAT if want == total else (row_hint or hint or header_hint)
            by_order = not row_hint  # (the block named by no label of the row's own)
            glued = glued or next((b for b in blocks if b not in filled), None)
            kept = len(reading.glued)
            taken = reading.take_values(row, want, "table4 row", glued)
            if taken is None:
                if glued is not None and any(g.key == glued for g in reading.glued):
                    if by_order and len(reading.glued) > kept:
                        guessed[glued] = reading.glued[-1]
                    filled.extend(b for b in (blocks if glued == TABLE4_FLAT else [glued]) if b not in filled)
                reading.unreadable.update(b for b in blocks if b not in filled)
                continue
            if want == total:
                targets = blocks
            else:
                block = row_hint or hint or header_hint or next((b for b in blocks if b not in filled), None)
                if block is None:
                    sink.add(
                        Severity.ERROR,
                        "unknown-row",
                        "table4: more rows than blocks; numbers not placed: " + ", ".join(digits(row)),
                        row.location,
                    )
                    continue
                targets = [block]
            for b_index, block in enumerate(targets):
                if block in guessed:  # a run taken for this block by order only: this row prints it
                    _drop_guess(reading, guessed.pop(block), block)
                elif block in filled:
                    sink.add(
                        Severity.WARNING,
                        "duplicate-row",
                        f"table4 block {block} printed twice; the first kept",
                        row.location,
                    )
                    continue
                if block not in filled:
                    filled.append(block)
                for c_index, spec in enumerate(voc.t4_cells[block]):
                    reading.place(spec, taken[b_index * n + c_index])
    reading.missing_rows(voc.t4_cells, "block", filled)
    return reading


def _drop_guess(reading: TableReading, row: GluedRow, block: str) -> None:
    """A run taken for ``block`` without a label of its own, when a later row prints that
    block: the run is in no cell (not handed to the recovery), said so."""
    reading.glued[:] = [g for g in reading.glued if g is not row]
    reading.sink.add(
        Severity.WARNING,
        "stray-number",
        f"table4: {row.raw!r}, printed without a label, was taken for block {block}, but a later row "
        f"prints that block; {row.raw!r} is in no cell of the table; not placed",
        row.location,
    )


def _names_columns(voc: Vocab, row: Row) -> bool:
    """Whether a row is a header: 行政诉讼 last among its labels (it heads two blocks, and
    names none), or a column label (结果维持 …) among them and fewer digits than the
    table's fifteen cells (a one-line text glues all fifteen to the header: that is data)."""
    t4 = voc.layout.table4
    if not row.parts:
        return False
    if loose(row.parts[-1]) == loose(t4.litigation_label):
        return True
    columns = _column_words(voc)
    if not any(loose(p) in columns for p in row.parts):
        return False
    figures = sum(ch.isdigit() for c in row.values for ch in c.text)
    return figures < len(t4.columns) * len(t4.blocks)


@functools.cache
def _column_words(voc: Vocab) -> frozenset[str]:
    return frozenset(loose(label) for c in voc.layout.table4.columns for label in (c.label, *c.variants))
