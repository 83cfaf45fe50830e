"""Recovering table rows whose cell separators were lost, using the tables' own identities.

Web pages copied as text and PDF text layers often lose the separators between cells:
``一、本年新收政府信息公开申请数量801000081`` is 80 / 1 / 0 / 0 / 0 / 0 / 81.  This package
finds, for each such row, every way to cut its digits into the row's cells and keeps only the
cuts that satisfy the tables' identities.  It never guesses: a row is *recovered* only when
exactly one reading survives; otherwise it is *ambiguous* (the surviving readings are
listed), *unreadable* (no reading fits) or *gave-up* (the step budget ran out).

It is pure: the caller locates the labels (:func:`find_rows` for one-line text), passes
``(row key, raw text)`` pairs to :func:`recover`, and turns the :class:`RowRecovery` records
into cells and diagnostics (``recovered-row``, ``ambiguous-row``, ``unreadable-row``,
``recovery-gave-up``; :mod:`opengov._assemble.recovery` does that for the parser).

Every fact about the tables comes from :func:`opengov.layout.cell_index`: a row's cells and
their kinds, the identities inside a row (table 3's row total, table 4's block totals) and
between rows (table 3's outcome sum and balance, per column).  The procedure, exactly (also
in ``docs/recovery.md``):

1. **Tokenising.**  The raw text is NFKC-folded (full-width digits and spaces become
   ASCII), a count unit glued after digits (``80件``) becomes a space, ``−``/``－`` become
   ``-``, and runs of white space become one space.  Any other character makes the row
   unreadable (the reason names it).
2. **Cutting** (:mod:`._cut`).  The digits are cut into the row's cells with spaces
   *ignored*: a count is ``0`` or digits without a leading zero (``00`` is two cells), at
   most 12 digits; a signed cell (2019 ``本年增/减``) may start with ``-``/``+``; a money cell
   may have a decimal part and a unit (``73802895.90元``).  Cells whose identity makes the
   last one the sum of the others (a row total, a block total) are cut total-first: the
   total is read from the end and the parts must add up to it, by dynamic programming over
   (position, cells left, rest) with casting out nines, so only cuts that satisfy the row's
   own identities are ever built.
3. **Solving** (:mod:`._solve`).  Identities between rows — table 3's 一 + 二 = （七） + 四 and
   （七） = Σ outcome rows, per column — are solved jointly over the surviving readings of
   every row (and of the rows read as printed, ``known``).  When they cannot hold jointly (a
   really inconsistent printed table), each is tried alone, and rows in an identity that
   fails fall back to their own identities; the reason says so.  Table 2 has no identity
   inside one report.
4. **Certain hints** (``Hint(certain=True)``, e.g. last year's stock where the caller knows
   the identity holds for the organ) narrow the readings left; one that contradicts every
   reading is not used, and the reason says so.
5. **Spaces.**  Printed spaces are likely, not certain, cell boundaries.  They are used only
   to break ties: when several readings survive, the readings in which every printed space
   falls on a cell boundary are preferred, and if that leaves one, the row is recovered *and
   the reason says it relied on the printed spaces* (``tentative``).
6. **Evidence** (``Hint(certain=False)``, e.g. a figure the report's prose states) breaks a
   remaining tie when exactly one reading agrees with it (``tentative``, the reason names the
   source); evidence that contradicts every reading is not used, and the reason says so.
7. **Bounded.**  A budget of search steps covers the whole call (``budget``, or
   ``Limits.work``); one row may use at most :data:`ROW_BUDGET` of it.  A row whose search
   exceeds it, or whose readings exceed ``max_candidates``, is ``gave-up``.  Steps, never
   seconds: the same input gives the same result on any machine.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Literal

import attrs

from opengov._limits import DEFAULT_LIMITS, Limits
from opengov._model import Amount
from opengov.layout import CellKey, Format

from ._cut import Exhausted, Reading, Steps, TooMany, Value, clean, only_cut, readings, satisfies
from ._locate import Piece, RowText, cut_line, find_rows, split_rows
from ._plan import MAX_DIGITS, TABLE4_FLAT, RowPlan, row_identities, row_plan
from ._solve import derive, narrow

__all__ = [
    "Status",
    "Value",
    "RowRecovery",
    "Hint",
    "RowText",
    "Piece",
    "TABLE4_FLAT",
    "DEFAULT_BUDGET",
    "ROW_BUDGET",
    "DEFAULT_MAX_CANDIDATES",
    "MAX_DIGITS",
    "recover",
    "find_rows",
    "split_rows",
    "cut_line",
]

Status = Literal["recovered", "ambiguous", "unreadable", "gave-up"]
"""What recovery made of one row."""

DEFAULT_BUDGET = DEFAULT_LIMITS.work
"""Search steps one call of :func:`recover` may take (all rows together) unless given:
``Limits().work``."""

ROW_BUDGET = 100_000
"""Search steps one row may take (so one pathological row does not starve the others)."""

LOOSE_BUDGET = 10_000
"""Search steps for the check that a row whose total fails has only one possible cut."""

DEFAULT_MAX_CANDIDATES = 200
"""Readings kept per row; a row with more is reported as ``gave-up``."""


@attrs.frozen(kw_only=True)
class RowRecovery:
    """What recovery made of one row.

    ``status`` is ``"recovered"`` (``values`` holds the cells, in layout column order),
    ``"ambiguous"`` (``candidates`` lists every reading that survived, ``values`` is None),
    ``"unreadable"`` (no reading fits) or ``"gave-up"`` (the step budget ran out).
    ``reason`` says how, in plain English, for the diagnostic.  ``raw`` is the text given.
    For table 4, ``key`` is a block key (5 cells) or :data:`TABLE4_FLAT` (15 cells).
    """

    table: str
    key: str
    status: Status
    values: tuple[Value, ...] | None = None
    candidates: tuple[tuple[Value, ...], ...] = ()
    reason: str = ""
    raw: str = ""
    tentative: bool = False
    """True when a recovered reading rests on more than the digits, the identities and the
    certain hints: on the printed spaces (tie-break), on evidence (an uncertain hint), or on
    the only possible cut of a row whose printed total does not hold.  The parser reports
    those as warnings."""

    def cells(self, fmt: Format | str) -> Iterator[tuple[str, str, Value]]:
        """``(row key, column key, value)`` of every recovered cell (nothing unless recovered).

        A flattened table 4 row yields its 15 cells under their three block keys.
        """
        if self.values is None:
            return
        plan = row_plan(Format(fmt), self.table, self.key)
        for (_, row, column), value in zip(plan.cells, self.values, strict=True):
            yield row, column, value


@attrs.frozen(kw_only=True)
class Hint:
    """Something known about the cells of one row from outside the tables' identities:
    ``Σ coefficient × cell = value``, with where it comes from.

    ``source`` is said in the reason when the hint decides (``the prose (现行有效规范性文件380件)``,
    ``last year's 现行有效 + 本年制发 − 本年废止``).  A hint applies to a row given to
    :func:`recover` that holds all its cells (a table 4 block cell also applies to the
    flattened table 4 row); hints spanning several rows are not used.

    * ``certain=False`` — *evidence* (a figure the report's prose states): it only breaks a
      tie left after the identities and the printed spaces; a reading chosen by it is
      ``tentative``.
    * ``certain=True`` — an identity the caller knows holds (last year's stock where it is
      known to hold for the organ): it narrows the readings like the tables' identities,
      before the spaces; a reading it leaves alone is recovered.

    Either kind is used only when more than one reading is left, and one that contradicts
    every reading is not used (the reason says so).  ``value`` is an ``int``, or an
    :class:`~opengov.Amount` for one money cell with coefficient 1 (equal when the amounts
    are equal and, if the hint has a unit, the units too).
    """

    terms: tuple[tuple[CellKey, int], ...]
    value: Value
    source: str
    certain: bool = False

    @classmethod
    def figure(cls, cell: CellKey, value: Value, source: str, *, certain: bool = False) -> Hint:
        """The hint that one cell holds ``value``."""
        return cls(terms=((cell, 1),), value=value, source=source, certain=certain)

    def holds(self, reading: Reading, position: Mapping[CellKey, int]) -> bool:
        """Whether ``reading`` (the values of a row whose cells are at ``position``) agrees."""
        if isinstance(self.value, Amount):
            ((cell, _),) = self.terms
            got = reading[position[cell]]
            if not isinstance(got, Amount) or got.value != self.value.value:
                return False
            return self.value.unit is None or got.unit == self.value.unit
        total = 0
        for cell, coefficient in self.terms:
            got = reading[position[cell]]
            if not isinstance(got, int):
                return False
            total += coefficient * got
        return total == self.value


def format_values(values: Sequence[Value]) -> str:
    """``80/1/0/0/0/0/81`` — how readings are written in reasons."""
    return "/".join(str(v) for v in values)


@attrs.frozen
class _Row:
    """One row in the solver: its readings (spaces ignored) and those that respect spaces."""

    plan: RowPlan
    raw: str
    readings: tuple[Reading, ...] = ()
    spaced: frozenset[int] = frozenset()
    """Indices of the readings in which every printed space falls on a cell boundary."""
    has_spaces: bool = False
    failure: RowRecovery | None = None
    unique: str = ""
    """Why a single reading is certain (set when there is exactly one)."""
    tentative: bool = False
    """The single reading is only the one possible cut (the printed total fails)."""
    digits: str = ""
    """The row's characters without spaces, kept when its cutting gave up."""
    text: str = ""
    """The cleaned text (spaces kept), likewise."""
    derived: bool = False
    """The readings were not cut but left by an identity between rows (:func:`derive`)."""

    @property
    def key(self) -> str:
        return self.plan.key


_ALL = tuple(frozenset(range(n)) for n in range(8))
"""``frozenset(range(n))`` for the few readings rows usually have."""


def _everyone(n: int) -> frozenset[int]:
    return _ALL[n] if n < len(_ALL) else frozenset(range(n))


def _ends(reading: Sequence[Value]) -> tuple[int, ...]:
    """Where each cell of a reading of counts ends, counted in digits."""
    return tuple(itertools.accumulate(len(str(v)) for v in reading))


def _spaced(text: str, cut_ends: Sequence[tuple[int, ...]]) -> frozenset[int]:
    """The readings (indices) in which every space of ``text`` falls on a cell boundary
    (``cut_ends``: where each reading's cells end, counted in characters without spaces)."""
    boundaries = set()
    at = 0
    for ch in text:
        if ch == " ":
            boundaries.add(at)
        else:
            at += 1
    return frozenset(i for i, ends in enumerate(cut_ends) if boundaries.issubset(ends))


def _read_row(fmt: Format, table: str, key: str, raw: str, steps: Steps, cap: int) -> _Row:
    plan = row_plan(fmt, table, key)
    expected = len(plan.cells)
    text, error = clean(raw, plan.bad)

    def fail(status: Status, reason: str) -> _Row:
        return _Row(plan, raw, failure=RowRecovery(table=table, key=key, status=status, reason=reason, raw=raw))

    if error:
        return fail("unreadable", error)
    if not text:
        return fail("unreadable", "no figures printed")
    digits = text.replace(" ", "")
    if plan.max_length is not None and len(digits) > plan.max_length:
        return fail("unreadable", f"{len(digits)} characters cannot be {expected} cells of at most {MAX_DIGITS} digits")
    if steps.left <= 0:
        return fail("gave-up", "gave up: the search budget was spent on earlier rows")
    mine = Steps(min(ROW_BUDGET, steps.left))
    granted = mine.left
    try:
        found, cut_ends = readings(digits, plan, mine, cap)
    except (Exhausted, TooMany) as exc:
        if isinstance(exc, Exhausted):
            reason = f"gave up: too many ways to cut {len(digits)} characters into {expected} cells"
        else:
            reason = f"gave up: more than {cap} readings of {expected} cells"
        failure = RowRecovery(table=table, key=key, status="gave-up", reason=reason, raw=raw)
        return _Row(plan, raw, failure=failure, digits=digits, text=text)
    finally:
        steps.left -= granted - max(mine.left, 0)
    has_spaces = " " in text
    spaced = _spaced(text, cut_ends) if has_spaces else _everyone(len(found))
    sums = plan.has_sums
    if not found and sums:
        # the printed total may be wrong: a cut that is the only possible one still stands
        # (on a small budget of its own: the row is unreadable anyway if this search is cut
        # short, and it must not starve the rows after it)
        probe = Steps(min(LOOSE_BUDGET, max(steps.left, 0)))
        granted = probe.left
        loose = only_cut(digits, expected, probe)
        steps.left -= granted - max(probe.left, 0)
        if loose is not None and has_spaces and not _spaced(text, [_ends(loose)]):
            loose = None  # it joins figures printed apart (a stray number and its neighbour): not taken
        if loose is not None:
            return _Row(
                plan,
                raw,
                (loose,),
                frozenset((0,)),
                has_spaces,
                unique=f"the only possible cut ({plan.totals} does not hold as printed)",
                tentative=True,
            )
    if not found:
        what = f"satisfies {plan.totals}" if sums else "fits"
        return fail("unreadable", f"no way to cut {text!r} into {expected} cells {what}")
    if len(digits) == expected and digits.isdigit():
        unique = "one digit per cell, the only possible cut"
    elif sums:
        unique = f"the only cut satisfying {plan.totals}"
    else:
        unique = "the only possible cut"
    return _Row(plan, raw, tuple(found), spaced, has_spaces, unique=unique)


def _hints_used(row: _Row, hints: Sequence[Hint], ordered: list[int], notes: list[str]) -> tuple[list[int], list[Hint]]:
    """The readings that agree with every hint that agrees with at least one of
    ``ordered``, and those hints; hints that contradict every reading are noted."""
    position = row.plan.position
    used = []
    for hint in hints:
        if any(hint.holds(row.readings[i], position) for i in ordered):
            used.append(hint)
        else:
            notes.append(f"{hint.source} contradicts every reading and was not used")
    if not used:
        return ordered, []
    agreeing = [i for i in ordered if all(h.holds(row.readings[i], position) for h in used)]
    if not agreeing:
        notes.append(f"{_sources(used)} do not agree with any one reading together and were not used")
        return ordered, []
    return agreeing, used


def _sources(hints: Sequence[Hint]) -> str:
    return " and ".join(dict.fromkeys(h.source for h in hints))


def _decide(row: _Row, viable: set[int], how: str, hints: Sequence[Hint]) -> RowRecovery:
    table, key = row.plan.table, row.key
    ordered = sorted(viable)  # the order of the cutting (deterministic output)

    def done(index: int, reason: str, tentative: bool = False) -> RowRecovery:
        return RowRecovery(
            table=table,
            key=key,
            status="recovered",
            values=row.readings[index],
            reason=reason,
            raw=row.raw,
            tentative=tentative,
        )

    if not ordered:
        return RowRecovery(
            table=table,
            key=key,
            status="unreadable",
            reason=f"no reading of {row.raw.strip()!r} satisfies {how}",
            raw=row.raw,
        )
    if len(ordered) == 1 and row.has_spaces and ordered[0] not in row.spaced:
        # its one reading joins figures printed apart: a number printed among them (a stray)
        # would be merged into its neighbour, so the printed spaces are not overruled
        return RowRecovery(
            table=table,
            key=key,
            status="unreadable",
            reason=f"the only reading of {row.raw.strip()!r} ({format_values(row.readings[ordered[0]])}) "
            "joins figures printed apart",
            raw=row.raw,
        )
    if len(row.readings) == 1 and not row.derived:
        return done(ordered[0], row.unique, row.tentative)
    if len(ordered) == 1:
        return done(ordered[0], f"the only reading satisfying {how}")
    notes: list[str] = []
    certain = [h for h in hints if h.certain]
    if certain:
        ordered, used = _hints_used(row, certain, ordered, notes)
        if used:
            sources = _sources(used)
            how = sources if how.startswith("no identity") else f"{how} and {sources}"
            if len(ordered) == 1:
                return done(ordered[0], f"the only reading satisfying {how}")
    if row.has_spaces:
        spaced = [i for i in ordered if i in row.spaced]
        if len(spaced) == 1:
            return done(
                spaced[0],
                f"the only reading satisfying {how} in which every printed space is a cell boundary "
                f"({len(ordered)} readings without that assumption)",
                True,
            )
    evidence = [h for h in hints if not h.certain]
    if evidence:
        agreeing, used = _hints_used(row, evidence, ordered, notes)
        if used and len(agreeing) == 1:
            return done(agreeing[0], f"the only reading satisfying {how} that agrees with {_sources(used)}", True)
        if used:
            notes.append(f"{len(agreeing)} readings agree with {_sources(used)}")
    candidates = tuple(row.readings[i] for i in ordered)
    listed = "; ".join(format_values(v) for v in candidates)
    reason = f"{len(candidates)} readings satisfy {how}: {listed}"
    if notes:
        reason += " (" + "; ".join(notes) + ")"
    return RowRecovery(table=table, key=key, status="ambiguous", candidates=candidates, reason=reason, raw=row.raw)


RowInput = Sequence[tuple[str, str]]


def recover(
    fmt: Format | str,
    rows: Mapping[str, RowInput],
    *,
    known: Mapping[tuple[str, str], Sequence[Value]] | None = None,
    hints: Iterable[Hint] = (),
    budget: int | None = None,
    limits: Limits | None = None,
    max_candidates: int = DEFAULT_MAX_CANDIDATES,
) -> tuple[RowRecovery, ...]:
    """Recover the cells of separator-lost rows.

    ``rows`` maps a table key (``table2``, ``table3``, ``table4``) to its rows as
    ``(row key, raw text after the label)`` pairs; for table 4 the row key is a block key
    (5 cells) or :data:`TABLE4_FLAT` (all 15).  ``known`` gives rows that were read as
    printed (separators intact), by ``(table, row key)``, as their values in column order:
    they take part in the identities between rows as fixed rows (a row with a cell that is
    not a count is left out, so identities through it are not used); they are not returned,
    and a row both known and in ``rows`` is solved from ``rows``.  ``hints`` are what is
    known from elsewhere (:class:`Hint`: the report's prose, last year's report).
    ``budget`` bounds the whole search in steps (default ``limits.work``, or
    :data:`DEFAULT_BUDGET`); ``max_candidates`` bounds the readings per row.  A number has
    at most :data:`MAX_DIGITS` digits.

    Returns one :class:`RowRecovery` per input row, in input order.  Never raises on odd
    text; raises ``KeyError`` only for a table or row key the format does not have.
    """
    fmt = Format(fmt)
    if budget is None:
        budget = (limits or DEFAULT_LIMITS).work
    steps = Steps(budget)
    hints = tuple(hints)
    results: dict[tuple[str, str], RowRecovery] = {}
    order: list[tuple[str, str]] = []
    for table, table_rows in rows.items():
        read = [_read_row(fmt, table, key, raw, steps, max_candidates) for key, raw in table_rows]
        order.extend((table, r.key) for r in read)
        good: dict[str, _Row] = {}
        for row in read:
            if row.failure is not None:
                results[(table, row.key)] = row.failure
            else:
                good[row.key] = row
        identities = row_identities(fmt, table)
        if identities:
            all_rows: dict[str, Sequence[Reading]] = {}
            totals: dict[str, str] = {}
            positions: dict[str, Mapping[str, int]] = {}
            for k, r in good.items():
                all_rows[k], totals[k], positions[k] = r.readings, r.plan.totals, r.plan.columns
            given = {r.key for r in read}
            for (t, key), values in (known or {}).items():
                if t != table or key in given:
                    continue
                plan = row_plan(fmt, table, key)
                if len(values) == len(plan.cells) and all(isinstance(v, int) for v in values):
                    all_rows[key], totals[key], positions[key] = (tuple(values),), plan.totals, plan.columns
            pending = [row for row in read if row.failure is not None and row.digits]
            while pending:  # each row derived may let another be derived
                for row in pending:
                    # the cutting gave up: what the other rows leave through an identity
                    plan = row.plan
                    derived = derive(
                        identities,
                        row.key,
                        plan.columns,
                        row.digits,
                        all_rows,
                        positions,
                        functools.partial(satisfies, plan=plan),
                        steps,
                    )
                    if derived:
                        ends = [tuple(itertools.accumulate(len(str(v)) for v in r)) for r in derived]
                        spaced = _spaced(row.text, ends) if " " in row.text else _everyone(len(derived))
                        good[row.key] = _Row(plan, row.raw, tuple(derived), spaced, " " in row.text, derived=True)
                        del results[(table, row.key)]
                        all_rows[row.key] = good[row.key].readings
                        totals[row.key] = plan.totals
                        positions[row.key] = plan.columns
                        pending.remove(row)
                        break
                else:
                    break
            narrowed = narrow(identities, all_rows, positions, totals, steps)
        else:
            none = f"no identity (table {table.removeprefix('table')})"
            narrowed = {k: (set(range(len(r.readings))), r.plan.totals or none) for k, r in good.items()}
        for key, row in good.items():
            viable, how = narrowed[key]
            applicable = [h for h in hints if all(c in row.plan.position for c, _ in h.terms)] if hints else []
            results[(table, key)] = _decide(row, viable, how, applicable)
    return tuple(results[k] for k in order)
