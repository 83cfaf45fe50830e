"""Which cell is wrong: the culprit analysis shared by tables 2 (stock against last year),
3 and 4.

The identities of a table are linear equations over its cells (``Σ coefficient · cell =
0``).  A cell is a *fix* when changing it alone would satisfy every decided identity it is
in (all of them broken, each by a multiple of its coefficient that asks for the same
change) and the value it needs is a valid count; the broken identities it is in are the
ones it *explains*.  :func:`diagnose` looks for the smallest explanation of **every**
broken identity of the table and reports it only when it is the only one:

1. **one cell** explains them all (in table 3, the cell whose row and column both break);
2. **two cells of one row or column printed in each other's place** (a table 4 block is a
   row): exchanged back, every identity either is in holds, and together they explain all;
3. **two cells** whose explanations do not overlap and together cover all (two cells of one
   line that each need the other's figure are a swap);
4. otherwise, when every broken identity is *isolated* — each of its fixes explains it alone
   (a table 4 block, a table 2 stock row, a table 3 row whose columns cannot be decided) —
   each is diagnosed on its own: its only fix; else the one fix whose printed figure is the
   needed value with two adjacent digits transposed (``1289`` for ``1298``); else the one
   the prose's figure points at; else every fix is a *candidate*.

Tables with broken identities that no such explanation covers (several errors tangled in
table 3) get no culprit: a guess would not be trusted.  A single culprit whose printed
figure is a transposition of the value it needs is marked ``transposed``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from types import MappingProxyType

import attrs

from .finding import CellKey

__all__ = ["Equation", "System", "Single", "Candidates", "Swap", "diagnose", "is_transposition"]


@attrs.frozen(kw_only=True)
class Equation:
    """One identity evaluated on a report: ``Σ coefficient · value + constant`` over its
    ``terms`` is ``difference`` (``0`` when it holds).  ``constant`` stands for figures
    from outside the report (last year's)."""

    rule: str
    about: CellKey
    terms: tuple[tuple[CellKey, int], ...]
    difference: int

    @property
    def cells(self) -> tuple[CellKey, ...]:
        return tuple(key for key, _ in self.terms)


@attrs.frozen(kw_only=True)
class System:
    """Identities over cells, as data the analysis reads: each identity's ``rule``, ``about``
    cell and ``terms``, and for every cell the identities it is in (by number) with its
    coefficient.  Built once per format and table (:meth:`of`)."""

    rules: tuple[str, ...]
    abouts: tuple[CellKey, ...]
    terms: tuple[tuple[tuple[CellKey, int], ...], ...]
    member: Mapping[CellKey, tuple[tuple[int, int], ...]]

    @classmethod
    def of(cls, identities: Iterable[tuple[str, CellKey, tuple[tuple[CellKey, int], ...]]]) -> System:
        """The system of ``(rule, about, terms)`` identities."""
        listed = list(identities)
        member: dict[CellKey, list[tuple[int, int]]] = {}
        for n, (_, _, terms) in enumerate(listed):
            for key, coefficient in terms:
                member.setdefault(key, []).append((n, coefficient))
        return cls(
            rules=tuple(r for r, _, _ in listed),
            abouts=tuple(a for _, a, _ in listed),
            terms=tuple(t for _, _, t in listed),
            member=MappingProxyType({k: tuple(v) for k, v in member.items()}),
        )

    def equation(self, n: int, difference: int) -> Equation:
        """Identity ``n`` as an :class:`Equation` with its ``difference``."""
        return Equation(rule=self.rules[n], about=self.abouts[n], terms=self.terms[n], difference=difference)


@attrs.frozen(kw_only=True)
class Single:
    """``key`` alone is wrong: it prints ``printed`` and needs ``needed``; ``transposed``
    when ``printed`` is ``needed`` with two adjacent digits swapped."""

    key: CellKey
    printed: int
    needed: int
    transposed: bool
    equations: tuple[Equation, ...]


@attrs.frozen(kw_only=True)
class Candidates:
    """One broken identity that several single cells could repair: each ``(key, needed)``."""

    equation: Equation
    options: tuple[tuple[CellKey, int], ...]


@attrs.frozen(kw_only=True)
class Swap:
    """``first`` and ``second`` (in a row or a column) printed in each other's place."""

    first: CellKey
    second: CellKey
    first_printed: int
    second_printed: int
    equations: tuple[Equation, ...]


Diagnosis = Single | Candidates | Swap


def is_transposition(printed: int, needed: int) -> bool:
    """Whether ``printed`` is ``needed`` with two adjacent digits swapped (``1289`` for ``1298``)."""
    a, b = str(printed), str(needed)
    if printed < 0 or needed < 0 or len(a) != len(b) or a == b:
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


Member = Mapping[CellKey, tuple[tuple[int, int], ...]]
"""For each cell, the identities it is in (by their number) with its coefficient."""


def _fixes(
    cells: Iterable[CellKey],
    member: Member,
    differences: Sequence[int | None],
    values: Mapping[CellKey, int],
    valid: Callable[[CellKey, int], bool],
) -> dict[CellKey, int]:
    """Every cell that alone could satisfy every decided identity it is in, with the value
    it needs (an undecided identity, of difference ``None``, says nothing)."""
    fixes: dict[CellKey, int] = {}
    for key in cells:
        if key not in values:
            continue
        changes = set()
        for n, coefficient in member[key]:
            d = differences[n]
            if d is None:
                continue
            if d % coefficient:
                break
            changes.add(d // coefficient)
        else:
            if len(changes) == 1:
                change = changes.pop()
                needed = values[key] - change
                if change and valid(key, needed):
                    fixes[key] = needed
    return fixes


def _same_line(a: CellKey, b: CellKey) -> bool:
    return a[0] == b[0] and (a[1] == b[1] or a[2] == b[2])


def _swaps(
    cells: Sequence[CellKey],
    every: frozenset[int],
    member: Member,
    differences: Sequence[int | None],
    values: Mapping[CellKey, int],
) -> list[tuple[CellKey, CellKey]]:
    """Pairs of cells in one row or column whose exchange satisfies every decided identity
    either is in and that between them touch every broken identity (in the order of
    ``cells``)."""
    # the broken identities a cell is in, as a bit mask
    touches = {k: sum(1 << n for n, _ in member[k] if differences[n]) for k in cells if k in values}
    everything = sum(1 << n for n in every)
    lines: dict[tuple[str, str, str], list[CellKey]] = {}
    for key in touches:
        lines.setdefault(("row", key[0], key[1]), []).append(key)
        lines.setdefault(("column", key[0], key[2]), []).append(key)
    pairs: dict[tuple[CellKey, CellKey], None] = {}
    for line in lines.values():
        for i, a in enumerate(line):
            mask = touches[a]
            for b in line[i + 1 :]:
                if mask | touches[b] != everything:
                    continue
                delta = values[a] - values[b]
                if not delta:
                    continue
                change: dict[int, int] = {}
                for n, coefficient in member[a]:
                    if differences[n] is not None:
                        change[n] = change.get(n, 0) - coefficient * delta
                for n, coefficient in member[b]:
                    if differences[n] is not None:
                        change[n] = change.get(n, 0) + coefficient * delta
                if all((differences[n] or 0) + c == 0 for n, c in change.items()):
                    pairs[(a, b)] = None
    return list(pairs)


def diagnose(
    system: System,
    differences: Sequence[int | None],
    values: Mapping[CellKey, int],
    *,
    valid: Callable[[CellKey, int], bool],
    evidence: Callable[[CellKey, int], int] | None = None,
) -> list[Diagnosis]:
    """The culprits of a table whose identities (``system``) differ by ``differences``
    (``0`` when one holds, ``None`` when it cannot be decided), over the integer ``values``
    of (at least) the cells of the broken identities.  ``valid(key, value)`` says whether a
    cell may hold a value; ``evidence(key, needed)`` is ``1`` when the prose states the
    figure the cell would need, ``-1`` when it states the printed one, else ``0``."""
    broken = [n for n, d in enumerate(differences) if d]
    if not broken:
        return []
    every = frozenset(broken)
    member = system.member
    # a cell that explains every broken identity is in each of them: try those first
    shared = set.intersection(*({k for k, _ in system.terms[n]} for n in broken))
    cells = [k for k in dict.fromkeys(k for n in broken for k, _ in system.terms[n]) if k in shared]
    fixes = _fixes(cells, member, differences, values, valid)
    explains = {k: frozenset(n for n, _ in member[k] if differences[n] is not None) for k in fixes}
    if sum(1 for k in fixes if explains[k] == every) != 1:  # not decided by one cell: every cell counts
        cells = list(dict.fromkeys(k for n in broken for k, _ in system.terms[n]))
        fixes = _fixes(cells, member, differences, values, valid)
        explains = {k: frozenset(n for n, _ in member[k] if differences[n] is not None) for k in fixes}

    def equations(numbers: Iterable[int]) -> tuple[Equation, ...]:
        return tuple(system.equation(n, differences[n] or 0) for n in numbers if differences[n] is not None)

    def single(key: CellKey) -> Single:
        printed, needed = values[key], fixes[key]
        return Single(
            key=key,
            printed=printed,
            needed=needed,
            transposed=is_transposition(printed, needed),
            equations=equations(n for n, _ in member[key]),
        )

    def swap(a: CellKey, b: CellKey) -> Swap:
        touched = equations(dict.fromkeys(n for key in (a, b) for n, _ in member[key]))
        return Swap(first=a, second=b, first_printed=values[a], second_printed=values[b], equations=touched)

    # 1. one cell explains every broken identity
    alone = [k for k in fixes if explains[k] == every]
    if len(alone) == 1:
        return [single(alone[0])]
    if len(every) >= 2:
        # 2. one swap explains them all
        swaps = _swaps(cells, every, member, differences, values)
        if len(swaps) == 1:
            return [swap(*swaps[0])]
        # 3. two cells explain them all
        keys = list(fixes)
        two = [
            (a, b)
            for n, a in enumerate(keys)
            for b in keys[n + 1 :]
            if not explains[a] & explains[b] and explains[a] | explains[b] == every
        ]
        if len(two) == 1:
            a, b = two[0]
            if _same_line(a, b) and fixes[a] == values[b] and fixes[b] == values[a]:
                return [swap(a, b)]
            return [single(a), single(b)]
    # 4. isolated identities, each on its own
    options = {n: [k for k, _ in system.terms[n] if k in fixes] for n in broken}
    if not all(options[n] and all(explains[k] == {n} for k in options[n]) for n in broken):
        return []
    out: list[Diagnosis] = []
    for n in broken:
        candidates = options[n]
        if len(candidates) == 1:
            out.append(single(candidates[0]))
            continue
        transposed = [k for k in candidates if is_transposition(values[k], fixes[k])]
        if len(transposed) == 1:
            out.append(single(transposed[0]))
            continue
        if evidence is not None:
            scores = {k: evidence(k, fixes[k]) for k in candidates}
            supported = [k for k in candidates if scores[k] > 0]
            remaining = [k for k in candidates if scores[k] >= 0]
            if len(supported) == 1:
                out.append(single(supported[0]))
                continue
            if not supported and len(remaining) == 1:
                out.append(single(remaining[0]))
                continue
        equation = system.equation(n, differences[n] or 0)
        out.append(Candidates(equation=equation, options=tuple((k, fixes[k]) for k in candidates)))
    return out
