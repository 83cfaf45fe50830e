"""Identities between rows (table 3's outcome sum and balance, in every column) solved
jointly over the readings each row has left after its own identities.

Rows are packed into one integer per reading (``Σ value · 2^(64·column)``), so a row
identity holding in every column is one integer equation; forward sets of reachable partial
sums meet backward sets of needed ones, so each row keeps exactly the readings that take part
in some complete solution, without enumerating solutions.
"""

from __future__ import annotations

import itertools
import struct
from collections.abc import Callable, Mapping, Sequence

from ._cut import Exhausted, Reading, Steps
from ._plan import RowIdentity

__all__ = ["Narrowed", "narrow", "derive"]

_SHIFT = 64
"""Bits per packed column (cells stay far below 2^62: at most 12 digits, a few dozen rows)."""

Narrowed = dict[str, tuple[set[int], str]]
"""Per row key: the indices of the readings left, and how the identities were used."""


def _pack(values: Sequence[object]) -> int:
    """Σ value·2^(64·i): linear, so sums of packed rows are the packed sums.  Values that are
    not integers count as 0."""
    try:  # counts: C-level packing (the same number as the loop below for 0 ≤ value < 2^64)
        return int.from_bytes(struct.pack(f"<{len(values)}Q", *values), "little")
    except (struct.error, TypeError):
        packed = 0
        for value in reversed(values):
            packed = (packed << _SHIFT) + (value if isinstance(value, int) else 0)
        return packed


def _unpack(packed: int, width: int) -> list[int] | None:
    """The values :func:`_pack` packed (None when ``packed`` holds more than ``width``)."""
    out = []
    for _ in range(width):
        low = packed & _MASK
        if low >= _HALF:
            low -= 1 << _SHIFT
        out.append(low)
        packed = (packed - low) >> _SHIFT
    return out if packed == 0 else None


_MASK = (1 << _SHIFT) - 1
_HALF = 1 << (_SHIFT - 1)


def _packed(
    identity: RowIdentity,
    rows: Mapping[str, Sequence[Reading]],
    positions: Mapping[str, Mapping[str, int]],
    done: dict[tuple[str, tuple[str, ...]], list[int]] | None = None,
) -> dict[str, list[int]]:
    """Per row of ``identity`` that was read: its readings packed over the identity's columns
    (``done`` shares them between identities over the same columns)."""
    out: dict[str, list[int]] = {}
    for row, _ in identity.terms:
        if row not in rows:
            continue
        key = (row, identity.columns)
        if done is not None and key in done:
            out[row] = done[key]
            continue
        where = [positions[row][c] for c in identity.columns]
        if where == list(range(len(where))) and all(len(v) == len(where) for v in rows[row]):
            out[row] = [_pack(values) for values in rows[row]]
        else:
            out[row] = [_pack([values[i] for i in where]) for values in rows[row]]
        if done is not None:
            done[key] = out[row]
    return out


def derive(
    identities: Sequence[RowIdentity],
    key: str,
    columns: Mapping[str, int],
    digits: str,
    rows: Mapping[str, Sequence[Reading]],
    positions: Mapping[str, Mapping[str, int]],
    accept: Callable[[Reading], bool],
    steps: Steps,
) -> list[Reading] | None:
    """The readings of row ``key`` (whose own cutting gave up) that an identity between rows
    leaves: in an identity over all of the row's ``columns`` whose other rows were all read,
    the row is what the others leave, one value per combination of their readings (the
    column totals propagated, no cutting).  Of those, the ones whose figures printed
    together are ``digits`` and that ``accept`` (the row's own identities) takes, shortest
    cells first.  None when no identity applies (or the steps run out)."""
    for identity in identities:
        coefficient = dict(identity.terms).get(key)
        others = [(row, k) for row, k in identity.terms if row != key]
        if coefficient not in (1, -1) or set(identity.columns) != set(columns):
            continue
        if not all(row in rows for row, _ in others):
            continue
        packed = _packed(identity, rows, positions)
        try:
            sums = _reachable([(k, packed[row]) for row, k in others], steps)
        except Exhausted:
            return None
        found: list[Reading] = []
        width = len(identity.columns)
        for total in sorted(sums):
            values = _unpack(-total * coefficient, width)
            if values is None or any(v < 0 for v in values):
                continue
            reading: list[int] = [0] * width
            for column, value in zip(identity.columns, values, strict=True):
                reading[columns[column]] = value
            if "".join(map(str, reading)) == digits and accept(tuple(reading)):
                found.append(tuple(reading))
        return sorted(found, key=lambda r: [len(str(v)) for v in r])
    return None


def _reachable(terms: Sequence[tuple[int, Sequence[int]]], steps: Steps) -> set[int]:
    """Every value of Σ sign·x over the terms' readings."""
    reached = {0}
    for sign, packed in terms:
        steps.left -= len(reached) * len(packed)
        if steps.left < 0:
            raise Exhausted
        reached = {p + sign * v for p in reached for v in packed}
    return reached


def _solve(terms: Sequence[tuple[int, Sequence[int]]], steps: Steps) -> list[set[int]]:
    """Readings (packed) of each term that take part in some solution of Σ sign·x = 0.

    ``terms`` are ``(sign, packed readings)``; the result lists, per term, the readings that
    occur in at least one solution (empty sets when there is none).  Terms with one reading
    are added up first; over the others, forward sets of reachable partial sums meet
    backward sets of needed ones.
    """
    constant = 0
    free: list[int] = []
    for i, (sign, packed) in enumerate(terms):
        if len(packed) == 1:
            constant += sign * packed[0]
        else:
            free.append(i)
    left = steps.left - len(terms)
    forward: list[set[int]] = [{constant}]
    for i in free:
        sign, packed = terms[i]
        step: set[int] = set()
        for p in forward[-1]:
            left -= len(packed)
            step.update([p + sign * v for v in packed])
        forward.append(step)
        if left < 0:
            steps.left = left
            raise Exhausted
    backward: list[set[int]] = [{0}]
    for i in reversed(free):
        sign, packed = terms[i]
        step = set()
        for q in backward[-1]:
            left -= len(packed)
            step.update([q - sign * v for v in packed])
        backward.append(step)
        if left < 0:
            steps.left = left
            raise Exhausted
    steps.left = left
    backward.reverse()  # backward[j]: what the free terms before j must sum to
    solvable = 0 in forward[-1]
    viable: list[set[int]] = [set(packed) if solvable else set() for _, packed in terms]
    for j, i in enumerate(free):
        sign, packed = terms[i]
        need = backward[j + 1]
        before = forward[j]
        viable[i] = {v for v in packed if any(p + sign * v in need for p in before)}
    return viable


def narrow(
    identities: Sequence[RowIdentity],
    rows: Mapping[str, Sequence[Reading]],
    positions: Mapping[str, Mapping[str, int]],
    totals: Mapping[str, str],
    steps: Steps,
) -> Narrowed:
    """Per row: the readings (indices) left by the identities between rows, and how.

    ``rows`` are every row read (by key, its readings in order), ``positions[row][column]``
    the place of a column in that row's readings, ``totals[row]`` how its own identities are
    named.  An identity is used when all its rows were read.  When the identities cannot
    hold jointly (the printed table is inconsistent), each is tried alone and rows in one
    that fails keep the readings of their own identities; the reasons say so.
    """
    own: Narrowed = {k: (set(range(len(r))), totals[k]) for k, r in rows.items()}
    usable = [i for i in identities if all(row in rows for row, _ in i.terms)]
    if not usable:
        return own
    names = " and ".join(i.name for i in usable)
    done: dict[tuple[str, tuple[str, ...]], list[int]] = {}
    packed = [_packed(identity, rows, positions, done) for identity in usable]

    def solve(n: int, fixed: Mapping[str, int]) -> dict[str, set[int]] | None:
        """Reading indices per row of identity ``n`` in some solution (None: budget spent)."""
        identity, per_row = usable[n], packed[n]
        terms = [
            (coefficient, [per_row[row][fixed[row]]] if row in fixed else per_row[row])
            for row, coefficient in identity.terms
        ]
        try:
            viable = _solve(terms, steps)
        except Exhausted:
            return None
        return {
            row: {i for i, v in enumerate(per_row[row]) if v in kept and (row not in fixed or i == fixed[row])}
            for (row, _), kept in zip(identity.terms, viable, strict=True)
        }

    # jointly: fix the rows shared by several identities reading by reading; the identities
    # are then independent
    counts: dict[str, int] = {}
    for identity in usable:
        for row, _ in identity.terms:
            counts[row] = counts.get(row, 0) + 1
    shared = [row for row in rows if counts.get(row, 0) > 1]
    joint: dict[str, set[int]] = {}
    exhausted = False
    for choice in itertools.product(*(range(len(rows[row])) for row in shared)):
        fixed = dict(zip(shared, choice, strict=True))
        parts: list[dict[str, set[int]]] = []
        for n in range(len(usable)):
            solved = solve(n, fixed)
            if solved is None:
                exhausted = True
                break
            if any(not v for v in solved.values()):
                parts = []
                break
            parts.append(solved)
        if exhausted:
            break
        for part in parts:
            for row, kept in part.items():
                joint.setdefault(row, set()).update(kept)
    if exhausted:
        return {k: (r, f"{totals[k]} (the joint search over {names} exceeded its budget)") for k, (r, _) in own.items()}
    out = dict(own)
    if joint:
        for k, kept in joint.items():
            out[k] = (kept, f"{totals[k]} and the column identities {names}")
        return out
    # no joint solution: the printed table is inconsistent; each identity alone
    note = "the column identities do not hold jointly (the printed table is inconsistent)"
    alone: dict[str, dict[str, set[int]]] = {}
    for n, identity in enumerate(usable):
        solved = solve(n, {})
        if solved is not None and all(solved.values()):
            alone[identity.name] = solved
    for k in rows:
        sets = [(name, s[k]) for name, s in alone.items() if k in s]
        failing = [i.name for i in usable if i.name not in alone and any(row == k for row, _ in i.terms)]
        if failing or not sets:
            why = f"; {'; '.join(failing)} fails" if failing else ""
            out[k] = (own[k][0], f"{totals[k]} only — {note}{why}")
            continue
        common = set.intersection(*(s for _, s in sets))
        if not common:
            out[k] = (own[k][0], f"{totals[k]} only — {note}")
            continue
        used = " and ".join(name for name, _ in sets)
        out[k] = (common, f"{totals[k]} and {used} alone — {note}")
    return out
