"""Recovering table rows whose cell separators were lost, using the tables' own identities.

Web pages copied as text and PDF text layers often lose the separators between cells:
``一、本年新收政府信息公开申请数量801000081`` is 80 / 1 / 0 / 0 / 0 / 0 / 81.  This module
finds, for each such row, every way to cut its digits into the expected number of cells and
keeps only the cuts that satisfy the tables' identities.  It never guesses: a row is
*recovered* only when exactly one reading survives; otherwise it is *ambiguous* (the
surviving readings are listed), *unreadable* (no reading fits) or *gave-up* (the search
budget ran out).

It is pure: the text parser locates the labels (:func:`split_rows` does that for one-line
text), passes ``(row key, raw text)`` pairs to :func:`recover`, and turns the
:class:`RowRecovery` records into cells and diagnostics (``recovered-row``,
``ambiguous-row``, ``unreadable-row``, ``recovery-gave-up``).

The procedure, exactly (also in ``docs/recovery.md``):

1. **Tokenising.**  The raw text is NFKC-folded (full-width digits and spaces become
   ASCII), a count unit glued after digits (``80件``) becomes a space, ``−``/``－`` become
   ``-``, and runs of white space become one space.  Any other character makes the row
   unreadable (the reason names it).
2. **Enumerating.**  The digits are cut into the row's cells with spaces *ignored*: a count
   is ``0`` or digits without a leading zero (``00`` is two cells); a signed cell (2019
   ``本年增/减``) may start with ``-``/``+``; a money cell may have a decimal part and a unit
   (``73802895.90元``).  Rows with a total (table 3's 总计, table 4's block 总计) are cut
   total-first: the total is read from the end and the parts must add up to it, so the
   search only visits cuts that satisfy the row total.
3. **Solving.**  Table 3's column identities — 一 + 二 = （七） + 四 and （七） = Σ outcome
   rows, per column — are solved jointly over the surviving readings of every row
   (forward/backward reachable-sum sets, so each row keeps exactly the readings that take
   part in some complete solution).  When they cannot hold jointly (a really inconsistent
   printed table), each identity is tried alone, and rows in an identity that fails fall
   back to their own row total; the reason says so.  Table 2 has no identity inside one
   report: its rows are recovered only when one cut is possible, or with the previous
   year's table 2 through the stock identity.
4. **Spaces.**  Printed spaces are likely, not certain, cell boundaries (``200 000121`` is
   20/0/0/0/0/1/21 — the space is a boundary, but not every boundary has a space).  They
   are used only to break ties: when several readings survive step 3, the readings in which
   every printed space falls on a cell boundary are preferred, and if that leaves one, the
   row is recovered *and the reason says it relied on the printed spaces*.  A reading that
   is unique without the spaces never depends on them.
5. **Prose evidence** (optional): figures from the report's prose (``自然人80件``) break a
   remaining tie when exactly one reading agrees; evidence that contradicts every reading
   is ignored and said to be.
6. **Bounded.**  A node budget covers the whole search; a row whose search exceeds it, or
   whose readings exceed ``max_candidates``, is reported as ``gave-up``.
"""

from __future__ import annotations

import functools
import re
import time
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Literal

import attrs

from opengov._model import Amount
from opengov.layout import (
    COUNT_UNITS,
    MONEY_UNITS,
    SECTIONS,
    Format,
    Kind,
    layout_for,
    normalize_label,
)

__all__ = [
    "Status",
    "RowRecovery",
    "RowText",
    "TABLE4_FLAT",
    "recover",
    "split_rows",
    "find_rows",
]

Status = Literal["recovered", "ambiguous", "unreadable", "gave-up"]
"""What recovery made of one row."""

Value = int | Amount
"""A recovered cell: a count (``int``) or, in money columns, an :class:`~opengov.Amount`."""

TABLE4_FLAT = "table4"
"""Row key of table 4 printed as one run of 15 numbers (no block labels in between)."""

DEFAULT_BUDGET = 1_000_000
"""Search nodes allowed for one call of :func:`recover` (all rows together)."""

ROW_BUDGET = 100_000
"""Search nodes one row may use (so one pathological row does not starve the others)."""

LOOSE_BUDGET = 10_000
"""Search nodes for the check that a row whose total fails has only one possible cut."""

DEFAULT_MAX_CANDIDATES = 200
"""Readings kept per row; a row with more is reported as ``gave-up``."""

DEFAULT_SECONDS = 0.5
"""Wall-clock limit of one call of :func:`recover`, on top of the node budget."""

MAX_DIGITS = 12
"""The longest number one cell may hold (integer part); longer runs must be several cells."""


@attrs.frozen(kw_only=True)
class RowRecovery:
    """What recovery made of one row.

    ``status`` is ``"recovered"`` (``values`` holds the cells, in layout column order),
    ``"ambiguous"`` (``candidates`` lists every reading that survived, ``values`` is None),
    ``"unreadable"`` (no reading fits) or ``"gave-up"`` (the search budget ran out).
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
    """True when a recovered reading rests on more than the digits and the identities: on
    the printed spaces (tie-break), on prose figures, or on the only possible cut of a row
    whose printed total does not hold.  The parser reports those as warnings."""

    def cells(self, fmt: Format | str) -> Iterator[tuple[str, str, Value]]:
        """``(row key, column key, value)`` of every recovered cell (nothing unless recovered).

        A flattened table 4 row yields its 15 cells under their three block keys.
        """
        if self.values is None:
            return
        lay = layout_for(fmt)
        if self.table == "table4":
            blocks = [b.key for b in lay.table4.blocks] if self.key == TABLE4_FLAT else [self.key]
            positions = [(b, c.key) for b in blocks for c in lay.table4.columns]
        elif self.table == "table3":
            positions = [(self.key, c.key) for c in lay.table3.columns]
        else:
            positions = [(self.key, c.key) for c in lay.table2.columns_of(self.key)]
        for (row, column), value in zip(positions, self.values, strict=True):
            yield row, column, value


def format_values(values: Sequence[Value]) -> str:
    """``80/1/0/0/0/0/81`` — how readings are written in reasons."""
    return "/".join(str(v) for v in values)


# ---------------------------------------------------------------------------------------
# Row shapes
# ---------------------------------------------------------------------------------------


@attrs.frozen
class _Sum:
    """``parts`` counts followed by their total."""

    parts: int


@attrs.frozen
class _Free:
    """Cells of these kinds, with no identity between them."""

    kinds: tuple[Kind, ...]


_Shape = tuple[_Sum | _Free, ...]


def _shape(fmt: Format, table: str, key: str) -> _Shape:
    lay = layout_for(fmt)
    if table == "table3":
        lay.table3.row(key)
        return (_Sum(len(lay.table3.columns) - 1),)
    if table == "table4":
        parts = len(lay.table4.columns) - 1
        if key == TABLE4_FLAT:
            return tuple(_Sum(parts) for _ in lay.table4.blocks)
        lay.table4.block(key)
        return (_Sum(parts),)
    if table == "table2":
        return (_Free(tuple(c.kind for c in lay.table2.columns_of(key))),)
    raise KeyError(f"unknown table {table!r}")


def _cell_count(shape: _Shape) -> int:
    return sum(g.parts + 1 if isinstance(g, _Sum) else len(g.kinds) for g in shape)


# ---------------------------------------------------------------------------------------
# Tokenising and enumerating
# ---------------------------------------------------------------------------------------


class _Exhausted(Exception):
    """The node budget ran out."""


class _TooMany(Exception):
    """A row has more readings than allowed."""


class _Budget:
    """Nodes left, and a wall-clock deadline checked every 1024 nodes."""

    __slots__ = ("deadline", "left")

    def __init__(self, nodes: int, seconds: float) -> None:
        self.left = nodes
        self.deadline = time.perf_counter() + seconds

    def share(self, nodes: int) -> _Budget:
        """A budget of at most ``nodes`` drawn from this one (settle it with :meth:`settle`)."""
        child = _Budget(min(nodes, max(self.left, 0)), 0)
        child.deadline = self.deadline
        return child

    def settle(self, child: _Budget, granted: int) -> None:
        self.left -= granted - max(child.left, 0)
        if child.left < 0 and self.left <= 0:
            self.left = -1

    def tick(self) -> None:
        self.left -= 1
        if self.left < 0 or (not self.left & 1023 and time.perf_counter() > self.deadline):
            self.left = -1
            raise _Exhausted


_COUNT_UNIT_RE = re.compile("(?<=[0-9])(?:" + "|".join(map(re.escape, COUNT_UNITS)) + ")")
_SPACES_RE = re.compile(r"\s+")
_MONEY_UNITS_LONGEST = tuple(sorted(MONEY_UNITS, key=len, reverse=True))


def _clean(raw: str, shape: _Shape) -> tuple[str, str | None]:
    """The folded text, or an error saying what character is not allowed."""
    text = unicodedata.normalize("NFKC", raw).replace("\u2212", "-")
    text = _COUNT_UNIT_RE.sub(" ", text)
    text = _SPACES_RE.sub(" ", text).strip()
    kinds = {k for g in shape for k in (g.kinds if isinstance(g, _Free) else (Kind.COUNT,))}
    allowed = set("0123456789 ")
    if Kind.SIGNED in kinds:
        allowed |= set("+-")
    if Kind.MONEY in kinds:
        allowed |= set(".") | set("".join(MONEY_UNITS))
    bad = [ch for ch in text if ch not in allowed]
    if bad:
        return text, f"unexpected text {''.join(dict.fromkeys(bad))!r} among the figures"
    return text, None


def _tokens(s: str, pos: int, kind: Kind) -> Iterator[tuple[int, Value]]:
    """Every cell of ``kind`` that can start at ``pos`` (no spaces inside): (end, value)."""
    n = len(s)
    start = pos
    sign = ""
    if kind is Kind.SIGNED and pos < n and s[pos] in "+-":
        sign = s[pos]
        pos += 1
    if pos >= n or not s[pos].isdigit():
        return
    ends = [pos + 1] if s[pos] == "0" else []
    if not ends:
        end = pos
        while end < n and s[end].isdigit() and end - pos < MAX_DIGITS:
            end += 1
            ends.append(end)
    for end in ends:
        if kind is not Kind.MONEY:
            value = int(s[pos:end])
            yield end, -value if sign == "-" else value
            continue
        numbers = [end]
        if end < n - 1 and s[end] == "." and s[end + 1].isdigit():
            frac = end + 1
            while frac < n and s[frac].isdigit():
                frac += 1
                numbers.append(frac)
        for number_end in numbers:
            amount = Decimal(s[start:number_end])
            yield number_end, Amount(value=amount)
            for unit in _MONEY_UNITS_LONGEST:
                if s.startswith(unit, number_end):
                    yield number_end + len(unit), Amount(value=amount, unit=unit)
                    break


def _enumerate(s: str, shape: _Shape, budget: _Budget, cap: int) -> list[tuple[Value, ...]]:
    """Every reading of ``s`` (spaces already removed, or kept as hard boundaries).

    Memoised on (group, position): the readings of the groups after a position are
    computed once, however many ways lead there.
    """
    n = len(s)
    # digits[i]: how many non-space characters precede position i
    digits = [0]
    # nines[i]: the sum of the digits before position i, modulo 9.  However a run of digits
    # is cut, the parts add up to its digit sum modulo 9 (casting out nines), so a total
    # that disagrees modulo 9 with the digits before it is rejected without any search.
    nines = [0]
    for ch in s:
        digits.append(digits[-1] + (ch != " "))
        nines.append((nines[-1] + (int(ch) if ch.isdigit() else 0)) % 9)

    def skip(pos: int) -> int:
        while pos < n and s[pos] == " ":
            pos += 1
        return pos

    def feasible(m: int, c: int, r: int) -> bool:
        """Can ``m`` digits be cut into ``c`` counts adding up to ``r``?  (necessary only)

        Some part has at least ⌈m/c⌉ digits and none exceeds r; no part has more than
        m − c + 1 digits, so the sum has at most m − c + 2.
        """
        if m < c:
            return False
        if r == 0:
            return m == c
        width = len(str(r))
        return -(-m // c) <= width <= m - c + 2

    parts_memo: dict[tuple[int, int, int, int], list[tuple[int, ...]]] = {}

    def sum_parts(pos: int, end: int, cells: int, rest: int) -> list[tuple[int, ...]]:
        """Cuts of s[pos:end] into ``cells`` counts adding up to ``rest``."""
        key = (pos, end, cells, rest)
        if key in parts_memo:
            return parts_memo[key]
        budget.tick()
        pos = skip(pos)
        out: list[tuple[int, ...]] = []
        if cells == 1:
            if s[pos:end].rstrip(" ") == str(rest):
                out.append((rest,))
            parts_memo[key] = out
            return out
        width = len(str(rest))
        for stop in range(pos + 1, min(end, pos + width) + 1):
            budget.tick()
            if not s[stop - 1].isdigit() or (s[pos] == "0" and stop > pos + 1):
                break
            value = int(s[pos:stop])
            if value > rest:
                break
            if not feasible(digits[end] - digits[stop], cells - 1, rest - value):
                continue
            out.extend((value, *tail) for tail in sum_parts(stop, end, cells - 1, rest - value))
        parts_memo[key] = out
        return out

    memo: dict[tuple[int, int], list[tuple[Value, ...]]] = {}

    def group(gi: int, pos: int) -> list[tuple[Value, ...]]:
        """Readings of groups gi.. starting at ``pos``."""
        pos = skip(pos)
        if gi == len(shape):
            return [()] if pos == n else []
        if (gi, pos) in memo:
            return memo[(gi, pos)]
        budget.tick()
        g = shape[gi]
        out: list[tuple[Value, ...]] = []
        if isinstance(g, _Free):
            out = free(g.kinds, pos, gi)
        else:
            ends = [n] if gi == len(shape) - 1 else range(pos + g.parts + 1, n + 1)
            for end in ends:
                # the total is read from the end of the group: digits only, no leading zero
                stop = end
                while stop > pos and s[stop - 1] == " ":
                    stop -= 1
                for tail in range(stop - 1, max(pos, stop - MAX_DIGITS) - 1, -1):
                    budget.tick()
                    if not s[tail].isdigit():
                        break
                    if s[tail] == "0" and tail != stop - 1:
                        continue
                    total = int(s[tail:stop])
                    if (nines[tail] - nines[pos]) % 9 != total % 9:
                        continue
                    if not feasible(digits[tail] - digits[pos], g.parts, total):
                        continue
                    for parts in sum_parts(pos, tail, g.parts, total):
                        for rest in group(gi + 1, end):
                            out.append((*parts, total, *rest))
                            if len(out) > cap:
                                raise _TooMany
        memo[(gi, pos)] = out
        return out

    def free(kinds: tuple[Kind, ...], pos: int, gi: int) -> list[tuple[Value, ...]]:
        budget.tick()
        if not kinds:
            return group(gi + 1, pos)
        out: list[tuple[Value, ...]] = []
        for end, value in _tokens(s, skip(pos), kinds[0]):
            out.extend((value, *rest) for rest in free(kinds[1:], end, gi))
            if len(out) > cap:
                raise _TooMany
        return out

    return group(0, 0)


@attrs.frozen
class _Row:
    """One row in the solver: its readings (spaces ignored) and those that respect spaces."""

    table: str
    key: str
    raw: str
    readings: tuple[tuple[Value, ...], ...] = ()
    spaced: tuple[tuple[Value, ...], ...] = ()
    has_spaces: bool = False
    failure: RowRecovery | None = None
    unique: str = ""
    """Why a single reading is certain (set when there is exactly one)."""
    tentative: bool = False
    """The single reading is only the one possible cut (the printed total fails)."""


def _read_row(fmt: Format, table: str, key: str, raw: str, budget: _Budget, cap: int) -> _Row:
    shape = _shape(fmt, table, key)
    expected = _cell_count(shape)
    text, error = _clean(raw, shape)

    def fail(status: Status, reason: str) -> _Row:
        return _Row(table, key, raw, failure=RowRecovery(table=table, key=key, status=status, reason=reason, raw=raw))

    if error:
        return fail("unreadable", error)
    if not text:
        return fail("unreadable", "no figures printed")
    digits = text.replace(" ", "")
    if all(k in (Kind.COUNT, Kind.SIGNED) for g in shape if isinstance(g, _Free) for k in g.kinds):
        longest = expected * (MAX_DIGITS + 1)  # a sign and MAX_DIGITS digits per cell
        if len(digits) > longest:
            return fail(
                "unreadable", f"{len(digits)} characters cannot be {expected} cells of at most {MAX_DIGITS} digits"
            )
    if budget.left <= 0:
        return fail("gave-up", "gave up: the search budget was spent on earlier rows")
    mine = budget.share(ROW_BUDGET)
    granted = mine.left
    try:
        readings = _enumerate(digits, shape, mine, cap)
        spaced = _enumerate(text, shape, mine, cap) if " " in text else readings
    except _Exhausted:
        return fail("gave-up", f"gave up: too many ways to cut {len(digits)} characters into {expected} cells")
    except _TooMany:
        return fail("gave-up", f"gave up: more than {cap} readings of {expected} cells")
    finally:
        budget.settle(mine, granted)
    sums = any(isinstance(g, _Sum) for g in shape)
    total = "its block totals" if table == "table4" else "its row total"
    if not readings and sums:
        # the printed total may be wrong: a cut that is the only possible one still stands
        # (on a small budget of its own: the row is unreadable anyway if this search is cut
        # short, and it must not starve the rows after it)
        probe = budget.share(LOOSE_BUDGET)
        granted = probe.left
        try:
            loose = _enumerate(digits, (_Free((Kind.COUNT,) * expected),), probe, 1)
        except (_Exhausted, _TooMany):
            loose = []
        finally:
            budget.left -= granted - max(probe.left, 0)
        if len(loose) == 1:
            return _Row(
                table,
                key,
                raw,
                tuple(loose),
                tuple(loose),
                " " in text,
                unique=f"the only possible cut ({total} does not hold as printed)",
                tentative=True,
            )
    if not readings:
        what = f"satisfies {total}" if sums else "fits"
        return fail("unreadable", f"no way to cut {text!r} into {expected} cells {what}")
    if len(digits) == expected and digits.isdigit():
        unique = "one digit per cell, the only possible cut"
    elif sums:
        unique = f"the only cut satisfying {total}"
    else:
        unique = "the only possible cut"
    return _Row(table, key, raw, tuple(readings), tuple(spaced), " " in text, unique=unique)


# ---------------------------------------------------------------------------------------
# Identities
# ---------------------------------------------------------------------------------------

_Vec = int
"""A row of counts packed into one integer: Σ value·2^(64·column).  Packing is linear, so
sums and differences of packed rows are the packed sums and differences (cells stay far
below 2^62 in absolute value: at most :data:`MAX_DIGITS` digits, a few dozen rows)."""

_SHIFT = 64


def _solve(terms: Sequence[tuple[int, Sequence[_Vec]]], budget: _Budget) -> list[set[_Vec]]:
    """Readings of each term that take part in some solution of Σ sign·x = 0.

    ``terms`` are ``(sign, readings)``; the result lists, per term, the readings that occur
    in at least one solution (empty sets when there is none).  Forward sets of reachable
    partial sums meet backward sets of needed ones, so no solution is enumerated.
    """
    forward: list[set[_Vec]] = [{0}]
    for sign, readings in terms:
        step: set[_Vec] = set()
        for p in forward[-1]:
            for v in readings:
                budget.tick()
                step.add(p + sign * v)
        forward.append(step)
    backward: list[set[_Vec]] = [{0}]
    for sign, readings in reversed(terms):
        step = set()
        for q in backward[-1]:
            for v in readings:
                budget.tick()
                step.add(q - sign * v)
        backward.append(step)
    backward.reverse()  # backward[i]: what terms 0..i-1 must sum to
    viable: list[set[_Vec]] = []
    for i, (sign, readings) in enumerate(terms):
        need = backward[i + 1]
        viable.append({v for v in readings if any(p + sign * v in need for p in forward[i])})
    return viable


def _as_vec(values: tuple[Value, ...]) -> _Vec:
    packed = 0
    for i, v in enumerate(values):
        if isinstance(v, int):
            packed += v << (_SHIFT * i)
    return packed


# ---------------------------------------------------------------------------------------
# Recovery
# ---------------------------------------------------------------------------------------

RowInput = Sequence[tuple[str, str]]


def recover(
    fmt: Format | str,
    rows: Mapping[str, RowInput],
    *,
    previous_table2: Mapping[str, Sequence[int | None]] | None = None,
    evidence: Mapping[tuple[str, str, str], Value] | None = None,
    known: Mapping[tuple[str, str], Sequence[Value]] | None = None,
    budget: int = DEFAULT_BUDGET,
    seconds: float = DEFAULT_SECONDS,
    max_candidates: int = DEFAULT_MAX_CANDIDATES,
) -> tuple[RowRecovery, ...]:
    """Recover the cells of separator-lost rows.

    ``rows`` maps a table key (``table2``, ``table3``, ``table4``) to its rows as
    ``(row key, raw text after the label)`` pairs; for table 4 the row key is a block key
    (5 cells) or :data:`TABLE4_FLAT` (all 15).  ``previous_table2`` gives last year's table
    2 rows by key, as integers in column order, for the 2021 stock identity (现行有效 =
    last year's 现行有效 + 本年制发 − 本年废止).  ``evidence`` gives figures read from the
    prose by cell address ``(table, row, column)``.  ``known`` gives rows that were read as
    printed (separators intact), by ``(table, row key)``, as their values in column order:
    they take part in table 3's column identities as fixed rows (a row with a cell that is
    not a count is left out, so identities through it are not used); they are not
    returned, and a row both known and in ``rows`` is solved from ``rows``.  ``budget`` bounds the whole search in
    nodes and ``seconds`` in wall-clock time; ``max_candidates`` bounds the readings per
    row.  A number has at most :data:`MAX_DIGITS` digits.

    Returns one :class:`RowRecovery` per input row, in input order.  Never raises on odd
    text; raises ``KeyError`` only for a table or row key the format does not have.
    """
    fmt = Format(fmt)
    nodes = _Budget(budget, seconds)
    results: dict[tuple[str, str], RowRecovery] = {}
    order: list[tuple[str, str]] = []
    for table, table_rows in rows.items():
        read = [_read_row(fmt, table, key, raw, nodes, max_candidates) for key, raw in table_rows]
        order.extend((table, r.key) for r in read)
        for row in read:
            if row.failure is not None:
                results[(table, row.key)] = row.failure
        good = [r for r in read if r.failure is None]
        if table == "table3":
            given = {r.key for r in read}
            width = len(layout_for(fmt).table3.columns)
            fixed = [
                _Row(table, key, "", (tuple(values),), (tuple(values),), unique="read as printed")
                for (t, key), values in (known or {}).items()
                if t == table and key not in given and len(values) == width and all(isinstance(v, int) for v in values)
            ]
            narrowed = _table3(fmt, good + fixed, nodes)
        elif table == "table2":
            narrowed = _table2(fmt, good, previous_table2)
        else:
            narrowed = {r.key: (set(r.readings), "its block totals") for r in good}
        for row in good:
            viable, how = narrowed[row.key]
            results[(table, row.key)] = _decide(row, viable, how, evidence or {})
    return tuple(results[k] for k in order)


def _table2(
    fmt: Format, rows: list[_Row], previous: Mapping[str, Sequence[int | None]] | None
) -> dict[str, tuple[set[tuple[Value, ...]], str]]:
    out: dict[str, tuple[set[tuple[Value, ...]], str]] = {}
    for row in rows:
        viable = set(row.readings)
        how = "no identity (table 2)"
        before = (previous or {}).get(row.key)
        if fmt is Format.V2021 and before is not None and len(before) == 3 and isinstance(before[2], int):
            last_in_force = before[2]
            stock = {v for v in viable if _ints(v) and v[2] == last_in_force + _ints(v)[0] - _ints(v)[1]}
            if stock:
                viable = stock
                how = "the stock identity with last year's table 2"
        out[row.key] = (viable, how)
    return out


def _ints(values: tuple[Value, ...]) -> tuple[int, ...]:
    """The values as integers, or ``()`` when any is an amount."""
    ints = tuple(v for v in values if isinstance(v, int))
    return ints if len(ints) == len(values) else ()


def _table3(fmt: Format, rows: list[_Row], budget: _Budget) -> dict[str, tuple[set[tuple[Value, ...]], str]]:
    """Per row: the readings left by table 3's column identities, and how they were used."""
    t3 = layout_for(fmt).table3
    by_key = {r.key: r for r in rows}
    own = {r.key: (set(r.readings), "its row total") for r in rows}
    vec_of: dict[str, dict[_Vec, tuple[Value, ...]]] = {r.key: {_as_vec(v): v for v in r.readings} for r in rows}

    # identities as signed terms: Σ sign·row = 0
    identities: dict[str, list[tuple[int, str]]] = {
        "一 + 二 = （七） + 四": [
            (1, "new_received"),
            (1, "carried_over"),
            (-1, "total_handled"),
            (-1, "carried_forward"),
        ],
        "（七） = the sum of the outcome rows": [(1, k) for k in t3.outcome_rows] + [(-1, "total_handled")],
    }
    usable = {name: terms for name, terms in identities.items() if all(k in by_key for _, k in terms)}
    if not usable:
        return own

    def solve(terms: list[tuple[int, str]]) -> dict[str, set[_Vec]] | None:
        try:
            viable = _solve([(s, list(vec_of[k])) for s, k in terms], budget)
        except _Exhausted:
            return None
        return {k: v for (_, k), v in zip(terms, viable, strict=True)}

    # jointly: fix （七） reading by reading, solve each identity with it
    joint: dict[str, set[_Vec]] = {}
    exhausted = False
    for h in vec_of.get("total_handled", {}):
        parts: list[dict[str, set[_Vec]]] = []
        for terms in usable.values():
            fixed = [(s, k) for s, k in terms if k != "total_handled"]
            sub = [(s, list(vec_of[k])) for s, k in fixed] + [(-1, [h])]
            try:
                viable = _solve(sub, budget)
            except _Exhausted:
                exhausted = True
                break
            if any(not v for v in viable):
                parts = []
                break
            parts.append({k: v for (_, k), v in zip(fixed, viable[:-1], strict=True)} | {"total_handled": {h}})
        if exhausted:
            break
        for part in parts:
            for k, v in part.items():
                joint.setdefault(k, set()).update(v)
    names = " and ".join(usable)
    if exhausted:
        return {
            k: (r, f"its row total (the joint search over {names} exceeded its budget)") for k, (r, _) in own.items()
        }
    out = dict(own)
    if joint:
        for k, vecs in joint.items():
            out[k] = ({vec_of[k][v] for v in vecs}, f"its row total and the column identities {names}")
        return out
    # no joint solution: the printed table is inconsistent; each identity alone
    note = "the column identities do not hold jointly (the printed table is inconsistent)"
    alone: dict[str, dict[str, set[_Vec]]] = {}
    for name, terms in usable.items():
        solved = solve(terms)
        if solved is not None and all(solved.values()):
            alone[name] = solved
    for k in by_key:
        sets = [(name, s[k]) for name, s in alone.items() if k in s]
        failing = [n for n, terms in usable.items() if n not in alone and any(kk == k for _, kk in terms)]
        if failing or not sets:
            why = f"; {'; '.join(failing)} fails" if failing else ""
            out[k] = (own[k][0], f"its row total only — {note}{why}")
            continue
        common = set.intersection(*(s for _, s in sets))
        if not common:
            out[k] = (own[k][0], f"its row total only — {note}")
            continue
        used = " and ".join(n for n, _ in sets)
        out[k] = ({vec_of[k][v] for v in common}, f"its row total and {used} alone — {note}")
    return out


def _decide(
    row: _Row, viable: set[tuple[Value, ...]], how: str, evidence: Mapping[tuple[str, str, str], Value]
) -> RowRecovery:
    # keep the enumeration order (deterministic output)
    ordered = tuple(v for v in row.readings if v in viable)

    def done(values: tuple[Value, ...], reason: str, tentative: bool = False) -> RowRecovery:
        return RowRecovery(
            table=row.table,
            key=row.key,
            status="recovered",
            values=values,
            reason=reason,
            raw=row.raw,
            tentative=tentative,
        )

    if not ordered:
        return RowRecovery(
            table=row.table,
            key=row.key,
            status="unreadable",
            reason=f"no reading of {row.raw.strip()!r} satisfies {how}",
            raw=row.raw,
        )
    if len(row.readings) == 1:
        return done(ordered[0], row.unique, row.tentative)
    if len(ordered) == 1:
        return done(ordered[0], f"the only reading satisfying {how}")
    notes: list[str] = []
    if row.has_spaces:
        spaced = tuple(v for v in ordered if v in set(row.spaced))
        if len(spaced) == 1:
            return done(
                spaced[0],
                f"the only reading satisfying {how} in which every printed space is a cell boundary "
                f"({len(ordered)} readings without that assumption)",
                True,
            )
    cells = _positions(row)
    if evidence and cells:
        known = [(i, evidence[c]) for i, c in enumerate(cells) if c in evidence]
        if known:
            agreeing = tuple(v for v in ordered if all(v[i] == figure for i, figure in known))
            if len(agreeing) == 1:
                return done(agreeing[0], f"the only reading satisfying {how} that agrees with the prose figures", True)
            if not agreeing:
                notes.append("the prose figures contradict every reading and were not used")
    listed = "; ".join(format_values(v) for v in ordered)
    reason = f"{len(ordered)} readings satisfy {how}: {listed}"
    if notes:
        reason += " (" + "; ".join(notes) + ")"
    return RowRecovery(table=row.table, key=row.key, status="ambiguous", candidates=ordered, reason=reason, raw=row.raw)


def _positions(row: _Row) -> list[tuple[str, str, str]]:
    """The cell address of each value of the row (for prose evidence)."""
    # Formats agree on the column keys of every row that has evidence worth using; the
    # caller's evidence uses (table, row, column) addresses.
    if row.table == "table3":
        return [("table3", row.key, c.key) for c in layout_for(Format.V2021).table3.columns]
    if row.table == "table4":
        lay = layout_for(Format.V2021).table4
        blocks = [b.key for b in lay.blocks] if row.key == TABLE4_FLAT else [row.key]
        return [("table4", b, c.key) for b in blocks for c in lay.columns]
    return []


# ---------------------------------------------------------------------------------------
# Finding the rows in one-line text
# ---------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class RowText:
    """A row found in one-line text: its key, the raw text after its label, and offsets.

    ``start``/``end`` delimit ``raw`` in the text given; ``label_start`` is where the label
    began; ``annotation`` is a parenthesised note printed right after the label (e.g.
    ``（须与2022年度年报结转数一致）``) that was cut off the raw text — its digits are not data.
    """

    table: str
    key: str
    raw: str
    start: int
    end: int
    label_start: int
    annotation: str = ""


_FOLD = str.maketrans({"(": "（", ")": "）", ":": "：", ",": "，", ";": "；", "\u201c": '"', "\u201d": '"'})


@functools.lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    folded = unicodedata.normalize("NFKC", ch).translate(_FOLD)
    return " " if folded.isspace() else folded


def _fold(text: str) -> tuple[str, list[int]]:
    """A per-character folded copy of ``text`` and, per folded char, its original index."""
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        folded = ch if ch.isascii() and ch.isalnum() else _fold_char(ch)
        out.append(folded)
        index.extend([i] * len(folded))
    index.append(len(text))
    return "".join(out), index


def _label_pattern(labels: Sequence[str]) -> re.Pattern[str]:
    """A pattern matching any of ``labels`` (longest first), spaces allowed between chars."""
    return _compiled_labels(tuple(labels))


@functools.lru_cache(maxsize=512)
def _compiled_labels(labels: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = []
    for label in sorted({normalize_label(lab).translate(_FOLD) for lab in labels}, key=len, reverse=True):
        parts = []
        for i, ch in enumerate(label):
            if ch == "." and i > 0 and label[i - 1].isdigit():
                parts.append("[.、．，,]")
            elif ch == '"':
                parts.append("[\"'“”]")
            else:
                parts.append(re.escape(ch))
        alternatives.append(r"\s*".join(parts))
    return re.compile("|".join(alternatives))


_ANNOTATION_RE = re.compile(r"\s*[（(][^）)]{0,60}[）)]")
_FIGURES_RE = re.compile(r"[\s0-9０-９.,．，+\-−－]*")


def find_rows(text: str, fmt: Format | str) -> list[RowText]:
    """Locate the rows of tables 2, 3 and 4 in one-line text and cut their raw text.

    Each table is searched after its section heading (二、三、四、); its row labels are
    found in layout order (variants and label spellings tolerated through
    :func:`~opengov.layout.normalize_label`), and a row's raw text runs to the next label of
    any kind (row, group, caption, column header, section heading).  Table 4 has no row
    labels: after its header words, the figures up to the next section form one
    :data:`TABLE4_FLAT` row.  Rows whose label is not found are left out.
    """
    lay = layout_for(fmt)
    folded, index = _fold(text)
    sections = {s.key: s for s in SECTIONS}
    heading = {s.key: _label_pattern([s.label, *s.variants]) for s in SECTIONS}
    t2, t3, t4 = lay.table2, lay.table3, lay.table4
    stop_labels = [
        *(s.label for s in SECTIONS),
        *(v for s in SECTIONS for v in s.variants),
        *(r.label for r in t2.rows),
        *(v for r in t2.rows for v in r.variants),
        *(b.label for b in t2.blocks),
        *(c.label for b in t2.blocks for c in b.columns),
        *(c.short_label for b in t2.blocks for c in b.columns if c.short_label),
        *(v for b in t2.blocks for c in b.columns for v in c.variants),
        t2.header,
        *(r.label for r in t3.rows),
        *(v for r in t3.rows for v in r.variants),
        *(b.label for b in t3.blocks),
        t3.outcomes_label,
        *t3.outcomes_variants,
        t3.note,
        *(c.label for c in t3.columns),
        *(b.label for b in t4.blocks),
        *(c.label for c in t4.columns),
        t4.litigation_label,
    ]
    stop = _label_pattern(stop_labels)
    found: list[RowText] = []

    def section_at(key: str, start: int) -> int | None:
        match = heading[key].search(folded, start)
        return match.end() if match else None

    def cut(table: str, key: str, label: re.Match[str]) -> RowText:
        start = label.end()
        annotation = ""
        note = _ANNOTATION_RE.match(folded, start)
        if note and not _FIGURES_RE.fullmatch(note.group().strip()[1:-1]):
            annotation = text[index[note.start()] : index[note.end()]].strip()
            start = note.end()
        nxt = stop.search(folded, start)
        end = nxt.start() if nxt else len(folded)
        return RowText(
            table=table,
            key=key,
            raw=text[index[start] : index[end]],
            start=index[start],
            end=index[end],
            label_start=index[label.start()],
            annotation=annotation,
        )

    def rows_of(table: str, rows: Sequence[tuple[str, Sequence[str]]], section: str, until: str) -> int:
        begin = section_at(section, 0)
        if begin is None:
            return 0
        limit = section_at(until, begin)
        limit = len(folded) if limit is None else limit
        pos = begin
        for key, labels in rows:
            match = _label_pattern(labels).search(folded, pos, limit)
            if match is None:
                continue
            row = cut(table, key, match)
            found.append(row)
            pos = match.end()
        return begin

    rows_of("table2", [(r.key, (r.label, *r.variants)) for r in t2.rows], "proactive", "applications")
    rows_of("table3", [(r.key, (r.label, *r.variants)) for r in t3.rows], "applications", "appeals")
    begin = section_at("appeals", 0)
    if begin is not None:
        header = _label_pattern(
            [
                t4.litigation_label,
                *(b.label for b in t4.blocks),
                *(c.label for c in t4.columns),
                *sections["appeals"].variants,
            ]
        )
        pos = begin
        while True:
            match = header.match(folded, pos)
            if match is None:
                spaces = re.compile(r"\s+").match(folded, pos)
                if spaces and header.match(folded, spaces.end()):
                    pos = spaces.end()
                    continue
                break
            pos = match.end()
        figures = _FIGURES_RE.match(folded, pos)
        assert figures is not None
        end = figures.end()
        if folded[pos:end].strip():
            found.append(
                RowText(
                    table="table4",
                    key=TABLE4_FLAT,
                    raw=text[index[pos] : index[end]],
                    start=index[pos],
                    end=index[end],
                    label_start=index[begin],
                )
            )
    return found


def split_rows(text: str, fmt: Format | str) -> dict[str, list[tuple[str, str]]]:
    """``{table: [(row key, raw text)]}`` for one-line text — the input :func:`recover` takes.

    See :func:`find_rows` for the offsets and the cut-off label annotations.
    """
    out: dict[str, list[tuple[str, str]]] = {}
    for row in find_rows(text, fmt):
        out.setdefault(row.table, []).append((row.key, row.raw))
    return out
