"""Choosing among a recognised figure's readings by the tables' identities.

A reader that recognises print (OCR) gives each figure cell its *readings*: the texts the
recogniser saw, each with its probability (:attr:`opengov._grid.GridCell.readings`).  The
assembler places the most probable reading like any other cell text; then, once every table
is read, it calls :func:`resolve` once with the cells it placed and where it found them.
This module holds the readings against the identities of the format
(:attr:`opengov.layout.CellIndex.identities`: row totals, column totals, the balance of
table 3, the block totals of table 4) and never lets a doubtful figure through:

1. **Readings → values.**  Each reading is read as a cell of the cell's kind
   (:func:`opengov._codec.read_cell`), a point or comma at either end dropped (a speck of
   noise beside a figure; no figure is printed so); readings that are no value of that kind
   are dropped, equal values are merged.  A cell is *sure* when its most probable value
   has probability at least :data:`SURE`; its *plausible* values are those with probability at
   least :data:`PLAUSIBLE` (at most :data:`MOST`).
2. **Solving.**  A sure cell keeps its value; a doubtful one may take any plausible value.
   Every assignment that satisfies every identity whose cells all hold counts is found (a
   depth-first search with interval bounds on each identity, within :data:`BUDGET` steps).
   A doubtful cell on which every solution agrees takes that value: when it is not the most
   probable reading, the cell is **recovered** (``recovered-ocr``, info) — the identities
   single it out among the recogniser's readings.  When solutions disagree on a cell, it is
   **ambiguous** and left absent (``ocr-refused``).
3. **No solution.**  Some figure breaks an identity.  A cell all of whose identities fail
   (with the most probable readings) is the one that breaks them: it is left absent
   (``ocr-refused``, naming the identities, what was read and what they ask for) and the
   rest is solved again.  When the identities that fail have no such cell — every figure in
   them is confirmed by another identity that holds — the table is inconsistent as printed:
   those identities are set aside with a warning (``ocr-inconsistent``) and the checks report
   them as for any report.
4. **No identity decides** a doubtful cell (table 2, or a partner cell blank or absent): it is
   left absent (``ocr-refused``), with its readings.

A figure is therefore exact, or absent with a diagnostic that shows what was read and why
it was refused; never wrong.  The assembler-facing surface is :func:`resolve` (and
:func:`readings_by_key`, which it uses to find each placed cell's readings by its location).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import attrs

from opengov._codec import read_cell, shown
from opengov._errors import Diagnostic, Location, Severity
from opengov._grid import Document, Reading
from opengov._model import CellValue
from opengov._result import CellKey
from opengov.layout import CellIndex, Format, Identity, cell_index

__all__ = ["SURE", "PLAUSIBLE", "MOST", "BUDGET", "Resolution", "readings_by_key", "resolve"]

SURE = 0.9
"""A value read with at least this probability is sure (the identities may still refuse it)."""
PLAUSIBLE = 0.01
"""Values read with at least this probability are alternatives the identities may choose."""
MOST = 4
"""At most this many values of one cell are tried."""
_SPECKS = " .,，。"
"""Stripped from the ends of a reading: no figure is printed with a point or a comma at
either end, and a speck of noise beside a figure is read as one."""

BUDGET = 200_000
"""Search steps :func:`resolve` may take for one document; beyond it the doubtful cells are
left absent (``ocr-refused``: the search gave up)."""


@attrs.frozen(kw_only=True)
class Resolution:
    """What :func:`resolve` decided: the cells whose value changes (``None``: left absent)
    and one diagnostic per decision, in layout order."""

    cells: dict[CellKey, CellValue | None]
    diagnostics: tuple[Diagnostic, ...]


def readings_by_key(document: Document, locations: Mapping[CellKey, Location]) -> dict[CellKey, tuple[Reading, ...]]:
    """The readings of every placed cell that has some, found by the location the cell was
    placed from (a reader that gives readings gives each such cell a location of its own)."""
    by_location: dict[Location, tuple[Reading, ...]] = {}
    for grid in document.grids():
        for cell in grid.cells:
            if cell.readings and cell.location is not None:
                by_location[cell.location] = cell.readings
    if not by_location:
        return {}
    return {key: by_location[loc] for key, loc in locations.items() if loc in by_location}


@attrs.frozen(kw_only=True)
class _Cell:
    key: CellKey
    label: str
    printed: CellValue | None
    """What the assembler placed (the most probable reading, read as a cell)."""
    values: tuple[tuple[CellValue, float], ...]
    """The readings as values of the cell's kind, merged, most probable first."""
    texts: tuple[tuple[str, float], ...]
    """The readings as recognised, for messages."""
    location: Location | None

    @property
    def sure(self) -> bool:
        return bool(self.values) and self.values[0][1] >= SURE

    @property
    def plausible(self) -> tuple[CellValue, ...]:
        if self.sure:
            return (self.values[0][0],)
        return tuple(v for v, p in self.values[:MOST] if p >= PLAUSIBLE)

    def counts(self) -> tuple[int, ...]:
        """The plausible values that take part in arithmetic (counts)."""
        return tuple(v for v in self.plausible if isinstance(v, int) and not isinstance(v, bool))

    def read(self) -> str:
        texts = [(t, p) for t, p in self.texts[:MOST] if t.strip()]
        shown_ = ", ".join(f"{t!r} ({p:.2f})" for t, p in texts)
        return f"read {shown_}" if shown_ else "nothing could be read there"


def _describe(identity: Identity, index: CellIndex) -> str:
    spec = index.cell(identity.about)
    return f"{identity.rule} of {spec.path_label}/{spec.column_label}"


def _cells(
    index: CellIndex,
    placed: Mapping[CellKey, CellValue | None],
    readings: Mapping[CellKey, Sequence[Reading]],
    locations: Mapping[CellKey, Location],
) -> dict[CellKey, _Cell]:
    out: dict[CellKey, _Cell] = {}
    for key, found in readings.items():
        if key not in index or key not in placed:
            continue
        spec = index.cell(key)
        merged: dict[object, float] = {}
        values: list[CellValue] = []
        for reading in found:
            text = reading.text.strip(_SPECKS)
            if not text:
                continue  # print was seen where nothing could be read (a blank cell has no readings)
            value = read_cell(text, spec.kind).value
            if value is None:
                continue
            if value not in merged:
                values.append(value)
                merged[value] = 0.0
            merged[value] += reading.probability
        ranked = sorted(values, key=lambda v: -merged[v])
        out[key] = _Cell(
            key=key,
            label=f"{spec.table} {spec.path_label}/{spec.column_label}",
            printed=placed[key],
            values=tuple((v, merged[v]) for v in ranked),
            texts=tuple((r.text, r.probability) for r in found),
            location=locations.get(key),
        )
    return out


class _Search:
    """All assignments of the doubtful cells that satisfy the closed identities."""

    def __init__(self, identities: Sequence[Identity], domains: Mapping[CellKey, tuple[int, ...]], budget: int):
        self.identities = identities
        self.domains = domains
        self.budget = budget
        self.steps = 0
        # variables: cells with more than one value, ordered so that identities close early
        order: list[CellKey] = []
        seen: set[CellKey] = set()
        for identity in identities:
            for key in identity.cells:
                if key not in seen and len(domains[key]) > 1:
                    seen.add(key)
                    order.append(key)
        self.order = order
        self.by_variable: dict[CellKey, list[Identity]] = {key: [] for key in order}
        for identity in identities:
            for key in identity.cells:
                if key in self.by_variable:
                    self.by_variable[key].append(identity)
        self.values: dict[CellKey, int] = {k: d[0] for k, d in domains.items() if len(d) == 1}
        self.solutions: list[dict[CellKey, int]] = []
        self.gave_up = False

    def feasible(self, identity: Identity) -> bool:
        low = high = 0
        for key, coefficient in identity.terms:
            value = self.values.get(key)
            if value is not None:
                low += coefficient * value
                high += coefficient * value
            else:
                options = [coefficient * v for v in self.domains[key]]
                low += min(options)
                high += max(options)
        return low <= 0 <= high

    def run(self) -> None:
        if not all(self.feasible(i) for i in self.identities):
            return
        self._visit(0)

    def _visit(self, depth: int) -> None:
        if self.gave_up:
            return
        if depth == len(self.order):
            self.solutions.append({k: self.values[k] for k in self.order})
            return
        key = self.order[depth]
        for value in self.domains[key]:
            self.steps += 1
            if self.steps > self.budget:
                self.gave_up = True
                return
            self.values[key] = value
            if all(self.feasible(i) for i in self.by_variable[key]):
                self._visit(depth + 1)
            del self.values[key]


def resolve(
    fmt: Format,
    placed: Mapping[CellKey, CellValue | None],
    readings: Mapping[CellKey, Sequence[Reading]],
    locations: Mapping[CellKey, Location],
    *,
    budget: int = BUDGET,
) -> Resolution:
    """Decide every cell that has readings (see the module text): ``placed`` is every cell
    the assembler placed, ``readings`` the readings of those read by OCR, ``locations``
    where each cell was found."""
    index = cell_index(fmt)
    cells = _cells(index, placed, readings, locations)
    if not cells:
        return Resolution(cells={}, diagnostics=())
    changes: dict[CellKey, CellValue | None] = {}
    notes: list[tuple[CellKey, Diagnostic]] = []
    refused: set[CellKey] = set()

    def refuse(cell: _Cell, why: str) -> None:
        refused.add(cell.key)
        changes[cell.key] = None
        notes.append(
            (
                cell.key,
                Diagnostic(
                    severity=Severity.ERROR,
                    code="ocr-refused",
                    message=f"{cell.label}: {cell.read()}; {why}: the cell is left absent",
                    location=cell.location or Location(),
                ),
            )
        )

    def domain(key: CellKey) -> tuple[int, ...]:
        """The counts a cell may hold in the arithmetic (empty: it takes no part)."""
        if key in refused:
            return ()
        cell = cells.get(key)
        if cell is not None:
            return cell.counts()
        value = placed.get(key)
        return (value,) if isinstance(value, int) and not isinstance(value, bool) else ()

    # cells read as no value at all, or as a blank/placeholder without being sure of it
    for cell in cells.values():
        if not cell.values:
            refuse(cell, "no reading is a value of this cell")
        elif not cell.counts() and not cell.sure:
            refuse(cell, f"not sure enough (below {SURE:.2f}) and no identity decides it")

    set_aside: set[Identity] = set()
    decided: dict[CellKey, int] = {}
    ambiguous: dict[CellKey, set[int]] = {}
    gave_up = False
    for _round in range(8):
        closed = [
            i
            for i in index.identities
            if i not in set_aside and any(k in cells for k in i.cells) and all(domain(k) for k in i.cells)
        ]
        search = _Search(closed, {k: domain(k) for i in closed for k in i.cells}, budget)
        search.run()
        budget -= search.steps
        if search.gave_up:
            gave_up = True
            break
        if search.solutions:
            for key in search.order:
                seen = {solution[key] for solution in search.solutions}
                if len(seen) == 1:
                    decided[key] = seen.pop()
                else:
                    ambiguous[key] = seen
            for identity in closed:
                for key in identity.cells:
                    if key in cells and key not in search.order:
                        decided[key] = domain(key)[0]
            break
        # no solution: find the cells that break the identities (with their most probable values)
        top = {k: domain(k)[0] for i in closed for k in i.cells}
        failing = [i for i in closed if sum(c * top[k] for k, c in i.terms) != 0]
        holding = [i for i in closed if i not in failing]
        confirmed = {k for i in holding for k in i.cells}
        suspects = [k for i in failing for k in i.cells if k in cells and k not in confirmed and k not in refused]
        if suspects:
            for key in dict.fromkeys(suspects):
                cell = cells[key]
                mine = [i for i in failing if key in i.cells]
                asks = _asked(mine, key, top)
                why = "it breaks " + ", ".join(_describe(i, index) for i in mine)
                if asks is not None:
                    why += f", which ask for {asks}"
                refuse(cell, why + " (a misread, or printed so)")
        else:
            for identity in failing:
                set_aside.add(identity)
                notes.append(
                    (
                        identity.about,
                        Diagnostic(
                            severity=Severity.WARNING,
                            code="ocr-inconsistent",
                            message=f"{_describe(identity, index)} does not hold with the figures as read, and every "
                            "figure in it is confirmed by another identity: the table is printed so "
                            "(the checks report it)",
                            location=locations.get(identity.about) or Location(),
                        ),
                    )
                )
    confirmed_doubtful: list[_Cell] = []
    for key, cell in cells.items():
        if key in refused:
            continue
        if gave_up and not cell.sure and cell.counts():
            refuse(cell, "the search among the readings gave up (too many doubtful figures)")
            continue
        if key in ambiguous:
            options = ", ".join(str(v) for v in sorted(ambiguous[key]))
            refuse(cell, f"the identities allow {options}")
            continue
        if key in decided:
            value = decided[key]
            if value != cell.values[0][0] or value != cell.printed:
                changes[key] = value
                probability = next(p for v, p in cell.values if v == value)
                notes.append(
                    (
                        key,
                        Diagnostic(
                            severity=Severity.INFO,
                            code="recovered-ocr",
                            message=f"{cell.label}: {cell.read()}; the identities single out {value} "
                            f"(probability {probability:.2f}) among its readings: taken",
                            location=cell.location or Location(),
                        ),
                    )
                )
            elif not cell.sure:
                confirmed_doubtful.append(cell)
            continue
        if not cell.sure:
            refuse(cell, f"not sure enough (below {SURE:.2f}) and no identity decides it")
        elif cell.values[0][0] != cell.printed:
            changes[key] = cell.values[0][0]
            notes.append(
                (
                    key,
                    Diagnostic(
                        severity=Severity.INFO,
                        code="recovered-ocr",
                        message=f"{cell.label}: {cell.read()}; read as {shown(cell.values[0][0])}, the most probable "
                        "reading that is a value of this cell",
                        location=cell.location or Location(),
                    ),
                )
            )
    order = {spec.key: n for n, spec in enumerate(index.cells)}
    notes.sort(key=lambda item: order.get(item[0], len(order)))
    diagnostics = [d for _, d in notes]
    if confirmed_doubtful:
        shown_ = "; ".join(f"{c.label} = {shown(c.values[0][0])}" for c in confirmed_doubtful[:10])
        more = f" … and {len(confirmed_doubtful) - 10} more" if len(confirmed_doubtful) > 10 else ""
        diagnostics.append(
            Diagnostic(
                severity=Severity.INFO,
                code="ocr-confirmed",
                message=f"{len(confirmed_doubtful)} figure(s) read with probability below {SURE:.2f} are "
                f"confirmed by the identities: {shown_}{more}",
                location=confirmed_doubtful[0].location or Location(),
            )
        )
    return Resolution(cells=changes, diagnostics=tuple(diagnostics))


def _asked(identities: Iterable[Identity], key: CellKey, values: Mapping[CellKey, int]) -> str | None:
    """What the identities ask the cell to be (given the others' values), when they agree."""
    asks: set[int] = set()
    for identity in identities:
        coefficient = dict(identity.terms)[key]
        rest = sum(c * values[k] for k, c in identity.terms if k != key)
        if rest % coefficient:
            return None
        asks.add(-rest // coefficient)
    return str(asks.pop()) if len(asks) == 1 else None
