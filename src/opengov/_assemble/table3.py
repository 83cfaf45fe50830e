"""Table 3 (收到和处理政府信息公开申请情况): rows by label, seven count columns (an eighth
法人或其他组织 subtotal column some documents add is read and not stored)."""

from __future__ import annotations

import functools
import operator
from collections.abc import Sequence

from opengov._assemble.byorder import Unlabelled, place_by_order
from opengov._assemble.reading import CellMap, TableReading, digits_beyond, numbers_in
from opengov._assemble.rows import Row, digits
from opengov._assemble.sink import Sink
from opengov._assemble.vocab import Vocab, by_ordinal, group_word, is_subtotal, ordinal, short
from opengov._codec import CellReading, has_digit, is_value_text, read_cell
from opengov._errors import Diagnostic, Location, Severity
from opengov._grid import GridCell
from opengov.layout import Kind

__all__ = ["column_order", "read_table3"]

_TEXT = operator.attrgetter("text")


def read_table3(
    rows: Sequence[Row],
    voc: Vocab,
    sink: Sink,
    *,
    soft: bool = False,
    whole: bool = False,
    into: CellMap | None = None,
) -> TableReading:
    """Read table 3 from the rows of its grids, in order (see :func:`column_order` for
    the columns).  Rows not found are ``missing-row``."""
    t3 = voc.layout.table3
    reading = TableReading("table3", voc, sink, soft=soft, whole=whole, into=into)
    column_labels = {c.key: c.label for c in (*t3.columns, t3.subtotal_column)}
    order = column_order(rows, voc, aligned=not soft)
    n = len(order)
    subtotal_key = t3.subtotal_column.key
    subtotal_values: list[str] = []
    subtotal_loc: Location | None = None
    cells, locations, placed = reading.cells, reading.locations, reading.placed
    # each distinct text read once (most of table 3's cells are a few small figures)
    readings: dict[str, CellReading] = {}
    group: str | None = None  # the group (（三）不予公开 …) the rows are printed under
    group_rows: list[tuple[str, int, Row]] = []  # group rows with figures: (group, diagnostic index, row)
    unlabelled: list[tuple[Row, str | None]] = []  # rows without a label, the row before
    last: str | None = None
    unlabelled_before: dict[int, str] = {}
    for row in rows:
        group = _group_of(row.parts, voc, group)
        key = reading.match_row(row, voc.t3_rows) if row.values else None
        if key is not None and _other_level(voc, row, key):
            key = None  # （六）其他 is not 3.其他
        if key is None and row.parts and any(c.text.strip() for c in row.values):
            split = _split_at_spaces(row, voc)
            if split is not None:
                row = split
                group = _group_of(row.parts, voc, group)
                key = reading.match_row(row, voc.t3_rows)
                if key is not None and _other_level(voc, row, key):
                    key = None
            if key is None:
                key = _damaged(row, voc, sink, group)
        if key is not None:
            group = voc.t3_cells[key][0].block
        if key is None:
            if row.header and not row.has_digits:
                reading.stray_labels(row)
                continue  # a header row (a data row's label cell may be a header cell too)
            if not row.labels and row.has_digits and len(_filled(row.values)) == n:
                unlabelled.append((row, last))  # placed by layout order below, if at all
                continue
            if row.has_digits and row.parts and group in voc.t3_blocks and _is_group_label(voc, row.parts[-1]):
                group_rows.append((group, len(sink.diagnostics), row))
            reading.other_row(row)
            continue
        for pending in range(len(unlabelled_before), len(unlabelled)):
            unlabelled_before[pending] = key
        last = key
        label = voc.t3_cells[key][0].row_label
        if key in placed:
            sink.add(
                Severity.WARNING, "duplicate-row", f"table3 row {label!r} printed twice; the first kept", row.location
            )
            continue
        values: Sequence[GridCell] = row.values
        if len(values) != n or (soft and not all(map(is_value_text, map(_TEXT, values)))):
            # (take_values' usual case, exactly n cells that read as values, done inline)
            taken = reading.take_values(row, n, f"table3 row {label!r}", key)
            if taken is None:
                reading.unreadable.add(key)
                continue
            values = taken
        placed_one = False
        for column, cell in zip(order, values, strict=True):
            text = cell.text
            if column == subtotal_key:
                subtotal_values.append(f"{label}={text.strip()}")
                subtotal_loc = subtotal_loc or cell.location
                continue
            found = readings.get(text)
            if found is None:
                found = readings[text] = read_cell(text, Kind.COUNT)
            if found.note is not None:
                severity, code, message = found.note
                sink.add(severity, code, f"table3 {label}/{column_labels[column]}: {message}", cell.location)
            cell_key = ("table3", key, column)
            if cell_key in cells:
                continue
            placed_one = True
            cells[cell_key] = found.value
            if cell.location is not None:
                locations[cell_key] = cell.location
        if placed_one:
            placed.add(key)
    if subtotal_values:
        sink.add(
            Severity.INFO,
            "subtotal-column",
            f"table3 has an extra {t3.subtotal_column.label} subtotal column, read and not stored: "
            + "; ".join(subtotal_values),
            subtotal_loc,
        )
    if unlabelled:
        _by_order(reading, unlabelled, unlabelled_before, order)
    for block, at, row in group_rows:
        if block in t3.group_totals:
            _group_total(reading, block, at, row, order)
        else:
            _group_row_only(reading, block, at, row)
    reading.missing_rows(voc.t3_cells, "row", placed)
    return reading


def _is_group_label(voc: Vocab, text: str) -> bool:
    found = voc.t3_groups.match(text)
    return found is not None and found[0] in voc.t3_blocks


def _group_row_only(reading: TableReading, block: str, at: int, row: Row) -> None:
    """A group row with figures (``（六）其他处理`` printed as the 2019 format's single row)
    whose numbered rows were not printed: its figures cannot be divided among them, so they
    stay absent, named by one ``group-row-only`` error in place of the ``subtotal-row``
    note (the figures are in the message; no zeros are invented)."""
    voc = reading.vocab
    members = [key for key, specs in voc.t3_cells.items() if specs[0].block == block]
    if any(key in reading.placed or key in reading.unreadable for key in members):
        return  # a subtotal row beside its numbered rows
    reading.unreadable.update(members)
    specs = voc.t3_cells[members[0]]
    names = ", ".join(repr(voc.t3_cells[key][0].row_label) for key in members)
    reading.sink.diagnostics[at] = Diagnostic(
        severity=Severity.ERROR,
        code="group-row-only",
        message=(
            f"table3 group {specs[0].block_label!r} is printed as one row ({', '.join(digits(row))}) "
            f"without its numbered rows {names}: their cells are left absent (the group's figures "
            "cannot be divided among them)"
        ),
        location=row.location or Location(),
    )


def _group_total(reading: TableReading, block: str, at: int, row: Row, order: Sequence[str]) -> None:
    """A group row with figures whose total the model keeps (``（六）其他处理`` in a 2021
    table: :attr:`opengov.layout.Table3Layout.group_totals`): its figures are stored under
    the group's key when every one of its cells reads as a value, in place of the
    ``subtotal-row`` note.  Printed without its numbered rows, those stay absent (never
    divided), named by one ``group-row-only`` error."""
    voc = reading.vocab
    members = [key for key, specs in voc.t3_cells.items() if specs[0].block == block]
    alone = not any(key in reading.placed or key in reading.unreadable for key in members)
    values = list(row.values)
    found = [read_cell(cell.text, Kind.COUNT) for cell in values] if len(values) == len(order) else []
    if not found or any(f.value is None or (f.note is not None and f.note[0] is not Severity.INFO) for f in found):
        if alone:
            _group_row_only(reading, block, at, row)
        return  # not cleanly readable: the subtotal-row note names its figures
    subtotal = voc.layout.table3.subtotal_column.key
    for column, cell, reading_of in zip(order, values, found, strict=True):
        if column == subtotal:
            continue
        reading.cells[("table3", block, column)] = reading_of.value
        if cell.location is not None:
            reading.locations[("table3", block, column)] = cell.location
    specs = voc.t3_cells[members[0]]
    printed = ", ".join(digits(row))
    if alone:
        reading.unreadable.update(members)
        names = ", ".join(repr(voc.t3_cells[key][0].row_label) for key in members)
        severity, code = Severity.ERROR, "group-row-only"
        message = (
            f"table3 group {specs[0].block_label!r} is printed as one row ({printed}) without its numbered "
            f"rows {names}: the row is kept as the group's printed total ({block}); the numbered rows' "
            "cells are left absent (the group's figures cannot be divided among them)"
        )
    else:
        severity, code = Severity.INFO, "group-total"
        message = f"table3 group {specs[0].block_label!r} printed with its total ({printed}): kept as {block}"
    reading.sink.diagnostics[at] = Diagnostic(
        severity=severity, code=code, message=message, location=row.location or Location()
    )


def _group_of(parts: tuple[str, ...], voc: Vocab, current: str | None) -> str | None:
    """The group a row is printed under: the last group among its label words
    (:func:`group_word`; 三、本年度办理结果 ends a group), else ``current``."""
    named, group = _named_group(voc, parts)
    return group if named else current


@functools.lru_cache(maxsize=4096)
def _named_group(voc: Vocab, parts: tuple[str, ...]) -> tuple[bool, str | None]:
    """``(True, group)`` for the last group word among label ``parts`` (``None`` for one
    that ends a group), ``(False, None)`` when they name none.  Pure; cached (labels recur)."""
    for part in reversed(parts):
        found = group_word(voc, part)
        if found is not None:
            return True, found if found in voc.t3_blocks else None
    return False, None


def _split_at_spaces(row: Row, voc: Vocab) -> Row | None:
    """The row with its last label cut at white space after its leading group words
    (``（四）无 1.本机关不掌握相关政府信息``: text that kept a group label, or a piece of one,
    in the row's label cell), or None when the label holds no such words."""
    words = row.parts[-1].split()
    i = 0
    while i < len(words) - 1 and group_word(voc, words[i]) is not None:
        i += 1
    if i == 0:
        return None
    return row._replace(parts=(*row.parts[:-1], *words[:i], " ".join(words[i:])))


def _other_level(voc: Vocab, row: Row, key: str) -> bool:
    """Whether the row's label prints a numbered row's ordinal (``1.``) where its row has
    a heading's (``（一）``, ``一、``) or the other way round: ``（六）其他`` is not ``3.其他``,
    though the two are equal once their ordinals are stripped (``七、总计`` still names
    ``（七）总计``)."""
    return bool(row.parts) and _other_ordinal(voc, row.parts[-1], key)


@functools.lru_cache(maxsize=4096)
def _other_ordinal(voc: Vocab, label: str, key: str) -> bool:
    """:func:`_other_level` for a row's last label part.  Pure; cached (labels recur)."""
    printed = ordinal(label)
    if printed is None:
        return False
    own = ordinal(voc.t3_cells[key][0].row_label)
    return own is not None and (own[0] == "sub") != (printed[0] == "sub")


def _damaged(row: Row, voc: Vocab, sink: Sink, group: str | None) -> str | None:
    """The row a damaged label names by its ordinal inside its group (:func:`by_ordinal`),
    with an info diagnostic; None for a group label, a subtotal or a label that does not
    agree enough."""
    if not row.parts:
        return None
    text = row.parts[-1]
    if voc.t3_groups.match(text) is not None or is_subtotal(text):
        return None
    found = by_ordinal(voc, text, group)
    if found is None:
        return None
    key, agreement = found
    label = voc.t3_cells[key][0].row_label
    location = row.labels[-1].location if row.labels else row.location
    sink.add(
        Severity.INFO,
        "label-by-ordinal",
        f"table3 row {label!r} printed as {short(text)}: matched by its ordinal "
        f"inside its group ({agreement:.0%} of the label agrees)",
        location,
    )
    if digits_beyond(text, label):  # a number printed inside the label is in no cell
        sink.add(
            Severity.WARNING,
            "stray-number",
            f"table3: {', '.join(numbers_in(text)[1 if ordinal(text) else 0 :])} in {short(text)} "
            "is in no cell of the table; not placed",
            location,
        )
    return key


def _by_order(
    reading: TableReading, unlabelled: list[tuple[Row, str | None]], before: dict[int, str], order: list[str]
) -> None:
    """Place the rows printed without a label by layout order, if that is certain
    (:mod:`opengov._assemble.byorder`); otherwise report each as an unknown row."""
    voc = reading.vocab
    glued = {g.key for g in reading.glued}
    missing = [k for k in voc.t3_cells if k not in reading.placed and k not in reading.unreadable and k not in glued]
    rows = [
        Unlabelled(values=_filled(row.values), location=row.location, after=after, before=before.get(n))
        for n, (row, after) in enumerate(unlabelled)
    ]
    labels = {key: specs[0].row_label for key, specs in voc.t3_cells.items()}
    placed = (
        place_by_order(voc.format, rows, missing, order, reading.cells, reading.locations, labels, reading.sink)
        if missing
        else []
    )
    if placed:
        reading.placed.update(placed)
        return
    for row, _ in unlabelled:
        reading.other_row(row)


def _filled(values: Sequence[GridCell]) -> tuple[GridCell, ...]:
    """A row's value cells without the empty cells before the first figure (a label column
    left empty)."""
    start = 0
    while start < len(values) and not values[start].text.strip():
        start += 1
    return tuple(values[start:])


def column_order(rows: Sequence[Row], voc: Vocab, *, aligned: bool = False) -> list[str]:
    """The column keys of the value cells, from a header row that names them all, or the
    canonical seven (eight, with the subtotal after 其他, when rows hold eight).

    With ``aligned`` (a grid whose columns are positions: markup, Word), a header row is
    taken only if each header cell stands over the value cell it names in the first data
    row of as many values (a row inserted among the headers shifts them off their
    columns: their order is then not the values' order)."""
    t3 = voc.layout.table3
    canonical = [c.key for c in t3.columns]
    for row in rows:
        if row.has_digits or any(has_digit(c.text) for c in row.labels):
            continue  # a data row, or a header with a number among its words (out of place: not trusted)
        keys: list[str] = []
        heads: list[GridCell] = []
        for cell in (*row.labels, *row.values):
            text = cell.text.split("/")[-1] if "/" in cell.text else cell.text
            found = voc.t3_columns.match(text) if text.strip() else None
            if found is not None and found[0] not in keys:
                keys.append(found[0])
                heads.append(cell)
        if set(canonical) <= set(keys) and (not aligned or _over_values(heads, rows)):
            return keys
    counts = [len(r.values) for r in rows if r.labels and r.has_digits]
    if counts and max(set(counts), key=counts.count) == len(canonical) + 1:
        return [*canonical[:-1], t3.subtotal_column.key, canonical[-1]]
    return canonical


def _over_values(heads: Sequence[GridCell], rows: Sequence[Row]) -> bool:
    """Whether each header cell overlaps, in grid columns, the value cell at its place in
    the first data row with as many values (True when there is none)."""
    data = next((r for r in rows if r.labels and r.has_digits and len(r.values) == len(heads)), None)
    if data is None:
        return True
    return all(v.col < h.col + h.colspan and h.col < v.col + v.colspan for h, v in zip(heads, data.values, strict=True))
