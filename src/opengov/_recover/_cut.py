"""Cutting one row's run of characters into cells: every reading that satisfies the row's
own identities, found by dynamic programming over cut points.

A reading is a tuple of cell values in printed order.  The search is counted in steps (one
per state of the dynamic programme and one per candidate cell tried), never in time.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from decimal import Decimal

from opengov._model import Amount
from opengov.layout import COUNT_UNITS, MONEY_UNITS, Kind

from ._plan import MAX_DIGITS, RowPlan

__all__ = ["Value", "Reading", "Cut", "Exhausted", "TooMany", "Steps", "clean", "readings", "only_cut", "satisfies"]

Value = int | Amount
"""A recovered cell: a count (``int``) or, in money columns, an :class:`~opengov.Amount`."""

Reading = tuple[Value, ...]


class Exhausted(Exception):
    """The step budget ran out."""


class TooMany(Exception):
    """A row has more readings than allowed."""


class Steps:
    """Search steps left (one search's own counter, handed down explicitly)."""

    __slots__ = ("left",)

    def __init__(self, left: int) -> None:
        self.left = left


_COUNT_UNIT_RE = re.compile("(?<=[0-9])(?:" + "|".join(map(re.escape, COUNT_UNITS)) + ")")
_SPACES_RE = re.compile(r"\s+")
_MONEY_UNITS_LONGEST = tuple(sorted(MONEY_UNITS, key=len, reverse=True))


def clean(raw: str, bad: re.Pattern[str]) -> tuple[str, str | None]:
    """The folded text (NFKC, ``−`` as ``-``, a count unit after digits as a space, white
    space runs as one space), or an error saying which characters (those ``bad`` matches)
    are not allowed."""
    if raw.isascii():  # NFKC leaves ASCII alone, and the count units are not ASCII
        text = " ".join(raw.split())
    else:
        text = unicodedata.normalize("NFKC", raw).replace("\u2212", "-")
        text = _COUNT_UNIT_RE.sub(" ", text)
        text = _SPACES_RE.sub(" ", text).strip()
    if bad.search(text):
        found = "".join(dict.fromkeys(bad.findall(text)))
        return text, f"unexpected text {found!r} among the figures"
    return text, None


Cut = tuple[list[Reading], list[tuple[int, ...]]]
"""The readings of a row and, for each, the positions where its cells end."""


def _feasible(m: int, c: int, r: int) -> bool:
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


def readings(s: str, plan: RowPlan, steps: Steps, cap: int) -> Cut:
    """Every reading of the digits ``s`` (no spaces) that satisfies the row's sum groups, in
    a fixed order (per sum group: shorter groups first, then shorter totals, then the parts
    in lexicographic order of their cut points; free cells: shorter cells first).

    Raises :class:`Exhausted` when ``steps`` run out and :class:`TooMany` past ``cap``.
    Each state (group, position) and (position, end, cells, rest) is solved once.
    """
    n = len(s)
    if n == len(plan.kinds) and plan.integral and s.isdigit():
        # one digit per cell: the only cut (the search below finds the same, slower)
        steps.left -= n
        if steps.left < 0:
            raise Exhausted
        values = tuple(map(int, s))
        for a, b in plan.sums:
            if sum(values[a : b - 1]) != values[b - 1]:
                return [], []
        for terms in plan.checks:
            if not _holds(values, terms):
                return [], []
        return [values], [tuple(range(1, n + 1))]
    return _search(s, plan, steps, cap)


def _search(s: str, plan: RowPlan, steps: Steps, cap: int) -> Cut:
    """:func:`readings` by dynamic programming over cut points."""
    n = len(s)
    groups = plan.groups
    kinds = plan.kinds
    # nines[i]: the digit sum of s[:i] (taken modulo 9 where used).  However a run of digits
    # is cut, its parts add up to its digit sum modulo 9 (casting out nines): a total that
    # disagrees is rejected before any search.
    if not plan.sums:
        nines: list[int] = []
    elif s.isdigit():
        nines = list(itertools.accumulate(map(int, s), initial=0))
    else:
        nines = list(itertools.accumulate((int(ch) if ch.isdigit() else 0 for ch in s), initial=0))
    # the fewest characters the groups from gi on need (one per cell)
    need = [0] * (len(groups) + 1)
    for gi in range(len(groups) - 1, -1, -1):
        need[gi] = need[gi + 1] + groups[gi].stop - groups[gi].start
    left = steps.left

    Part = tuple[tuple[Value, ...], tuple[int, ...]]
    parts_memo: dict[tuple[int, int, int, int], list[Part]] = {}

    def parts(pos: int, end: int, k: int, rest: int) -> list[Part]:
        """Cuts of s[pos:end] into ``k`` counts adding up to ``rest``."""
        nonlocal left
        key = (pos, end, k, rest)
        found = parts_memo.get(key)
        if found is not None:
            return found
        left -= 1
        if left < 0:
            raise Exhausted
        out: list[Part] = []
        if k == 1:
            if s[pos:end] == str(rest):
                out.append(((rest,), (end,)))
        elif end - pos == k:  # one digit per cell: the only cut
            if s[pos:end].isdigit():
                digits = tuple(ord(ch) - 48 for ch in s[pos:end])
                if sum(digits) == rest:
                    out.append((digits, tuple(range(pos + 1, end + 1))))
        elif s[pos] == "0":
            if (nines[end] - nines[pos + 1] - rest) % 9 == 0 and _feasible(end - pos - 1, k - 1, rest):
                for values, ends in parts(pos + 1, end, k - 1, rest):
                    out.append(((0, *values), (pos + 1, *ends)))
        else:
            value = 0
            k1 = k - 1
            end_nines = nines[end]
            for stop in range(pos + 1, min(end - k1, pos + len(str(rest))) + 1):
                left -= 1
                digit = ord(s[stop - 1]) - 48
                if not 0 <= digit <= 9:
                    break
                value = value * 10 + digit
                if value > rest:
                    break
                r = rest - value
                m = end - stop
                # can m digits be k − 1 counts adding up to r?  (necessary: the longest
                # part has at least ⌈m/(k−1)⌉ digits and at most m − k + 2 … see _feasible)
                if (end_nines - nines[stop] - r) % 9:
                    continue
                if r == 0:
                    if m != k1:
                        continue
                else:
                    width = len(str(r))
                    if width < -(-m // k1) or width > m - k1 + 2:
                        continue
                for values, ends in parts(stop, end, k1, r):
                    out.append(((value, *values), (stop, *ends)))
        parts_memo[key] = out
        return out

    memo: dict[tuple[int, int], list[Part]] = {}

    def group(gi: int, pos: int) -> list[Part]:
        """Readings of groups gi.. starting at ``pos`` and ending at n."""
        nonlocal left
        if gi == len(groups):
            return [((), ())] if pos == n else []
        key = (gi, pos)
        found = memo.get(key)
        if found is not None:
            return found
        left -= 1
        if left < 0:
            raise Exhausted
        g = groups[gi]
        out: list[Part] = []
        if not g.summed:
            out = free(g.start, g.stop, pos, gi)
        else:
            count = g.stop - g.start - 1
            if gi == len(groups) - 1:
                ends: range = range(n, n + 1)
            else:
                ends = range(pos + count + 1, min(n - need[gi + 1], pos + (count + 1) * MAX_DIGITS) + 1)
            for end in ends:
                # the total is read from the end of the group: no leading zero
                for tail in range(end - 1, max(pos + count, end - MAX_DIGITS) - 1, -1):
                    left -= 1
                    if not s[tail].isdigit():
                        break
                    if s[tail] == "0" and tail != end - 1:
                        continue
                    total = int(s[tail:end])
                    if (nines[tail] - nines[pos] - total) % 9 or not _feasible(tail - pos, count, total):
                        continue
                    found_parts = parts(pos, tail, count, total)
                    if not found_parts:
                        continue
                    rest = group(gi + 1, end)
                    for values, cut in found_parts:
                        for more, more_ends in rest:
                            out.append(((*values, total, *more), (*cut, end, *more_ends)))
                            if len(out) > cap:
                                raise TooMany
            if left < 0:
                raise Exhausted
        memo[key] = out
        return out

    free_memo: dict[tuple[int, int], list[Part]] = {}
    last = len(kinds) - 1

    def free(ci: int, stop: int, pos: int, gi: int) -> list[Part]:
        """Readings of free cells ci..stop-1 from ``pos``, then of groups gi+1.."""
        nonlocal left
        if ci == stop:
            return group(gi + 1, pos)
        key = (ci, pos)
        found = free_memo.get(key)
        if found is not None:
            return found
        left -= 1
        if left < 0:
            raise Exhausted
        out: list[Part] = []
        if ci == last:  # the row's last cell runs to its end
            value = _token(s, pos, n, kinds[ci])
            if value is not None:
                out.append(((value,), (n,)))
        elif ci == last - 1 and stop == len(kinds):  # the last cell is the rest: no recursion
            kind = kinds[last]
            for end, value in _tokens(s, pos, kinds[ci], n - 1):
                left -= 1
                rest = _token(s, end, n, kind)
                if rest is not None:
                    out.append(((value, rest), (end, n)))
                    if len(out) > cap:
                        raise TooMany
            if left < 0:
                raise Exhausted
        else:
            for end, value in _tokens(s, pos, kinds[ci], n - (last - ci)):
                left -= 1
                for values, ends in free(ci + 1, stop, end, gi):
                    out.append(((value, *values), (end, *ends)))
                    if len(out) > cap:
                        raise TooMany
            if left < 0:
                raise Exhausted
        free_memo[key] = out
        return out

    try:
        found = group(0, 0)
    finally:
        steps.left = left
    checks = plan.checks
    if checks:
        found = [(v, e) for v, e in found if all(_holds(v, terms) for terms in checks)]
    return [v for v, _ in found], [e for _, e in found]


def satisfies(values: Reading, plan: RowPlan) -> bool:
    """Whether a reading satisfies the row's own identities."""
    for a, b in plan.sums:
        if sum(values[a : b - 1]) != values[b - 1]:  # type: ignore[arg-type]
            return False
    return all(_holds(values, terms) for terms in plan.checks)


def _holds(values: Reading, terms: tuple[tuple[int, int], ...]) -> bool:
    total = 0
    for position, coefficient in terms:
        value = values[position]
        if not isinstance(value, int):
            return False
        total += coefficient * value
    return total == 0


_COUNT_TOKEN = re.compile(rf"0|[1-9][0-9]{{0,{MAX_DIGITS - 1}}}")
_MONEY_TOKEN = re.compile(rf"(?:0|[1-9][0-9]{{0,{MAX_DIGITS - 1}}})(?:\.[0-9]+)?")


def _token(s: str, pos: int, end: int, kind: Kind) -> Value | None:
    """The cell of ``kind`` that is exactly ``s[pos:end]``, or None (as :func:`_tokens`
    would read it: the same numbers, and a unit only the longest that follows a number)."""
    if kind is Kind.MONEY:
        for unit in _MONEY_UNITS_LONGEST:
            if s.endswith(unit, pos, end) and _MONEY_TOKEN.fullmatch(s, pos, end - len(unit)):
                return Amount(value=Decimal(s[pos : end - len(unit)]), unit=unit)
        if _MONEY_TOKEN.fullmatch(s, pos, end):
            return Amount(value=Decimal(s[pos:end]))
        return None
    sign = 1
    if kind is Kind.SIGNED and pos < end and s[pos] in "+-":
        sign = -1 if s[pos] == "-" else 1
        pos += 1
    if _COUNT_TOKEN.fullmatch(s, pos, end):
        return sign * int(s[pos:end])
    return None


def _tokens(s: str, pos: int, kind: Kind, limit: int) -> list[tuple[int, Value]]:
    """Every cell of ``kind`` that can start at ``pos`` and end by ``limit``: (end, value),
    shorter first (for money: the number, then the number with the unit printed after it)."""
    start = pos
    sign = ""
    if kind is Kind.SIGNED and pos < limit and s[pos] in "+-":
        sign = s[pos]
        pos += 1
    if pos >= limit or not s[pos].isdigit():
        return []
    if s[pos] == "0":
        ends = [pos + 1]
    else:
        ends = []
        end = pos
        while end < limit and s[end].isdigit() and end - pos < MAX_DIGITS:
            end += 1
            ends.append(end)
    out: list[tuple[int, Value]] = []
    for end in ends:
        if kind is not Kind.MONEY:
            value = int(s[pos:end])
            out.append((end, -value if sign == "-" else value))
            continue
        numbers = [end]
        if end < limit - 1 and s[end] == "." and s[end + 1].isdigit():
            frac = end + 1
            while frac < limit and s[frac].isdigit():
                frac += 1
                numbers.append(frac)
        for number_end in numbers:
            amount = Decimal(s[start:number_end])
            out.append((number_end, Amount(value=amount)))
            for unit in _MONEY_UNITS_LONGEST:
                if s.startswith(unit, number_end):
                    if number_end + len(unit) <= limit:
                        out.append((number_end + len(unit), Amount(value=amount, unit=unit)))
                    break
    return out


def only_cut(s: str, cells: int, steps: Steps) -> Reading | None:
    """The reading of the digits ``s`` as ``cells`` counts when exactly one cut is possible
    with no identity, even with *no bound on a cell's length* (so the answer never rests on
    :data:`MAX_DIGITS`), and that cut has no cell longer than :data:`MAX_DIGITS`; else None
    (also when the steps run out).

    ways[c][p], the cuts of s[p:] into c counts, is a suffix sum of ways[c − 1]: a count
    starting with 0 is that one digit, any other runs to any later position.
    """
    n = len(s)
    if not s.isdigit() or cells > n:
        return None
    if steps.left < cells * n:
        steps.left = -1
        return None
    steps.left -= cells * n
    ways = [0] * n + [1]  # c = 0: only the empty cut of the empty rest
    table = [ways]
    for _ in range(cells):
        suffix = [0] * (n + 2)  # suffix[p] = Σ ways[q] for q ≥ p
        for q in range(n, -1, -1):
            suffix[q] = suffix[q + 1] + ways[q]
        ways = [(ways_next if s[p] == "0" else suffix[p + 1]) for p, ways_next in enumerate(ways[1:])] + [0]
        table.append(ways)
    if table[cells][0] != 1:
        return None
    out: list[Value] = []
    pos = 0
    for c in range(cells, 0, -1):
        below = table[c - 1]
        stop = pos + 1 if s[pos] == "0" else next(q for q in range(pos + 1, n + 1) if below[q])
        if stop - pos > MAX_DIGITS:
            return None
        out.append(int(s[pos:stop]))
        pos = stop
    return tuple(out)
