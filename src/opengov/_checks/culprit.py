"""Which cell is wrong: the culprit analysis shared by tables 2 (stock against last year),
3 and 4.

The identities of a table are linear equations over its cells (``Σ coefficient · cell =
0``).  When some are broken, :func:`diagnose` looks for the simplest explanation:

1. **One cell.**  A cell is a *fix* when changing it alone would satisfy every decided
   identity it is in (all of them broken, each by a multiple of its coefficient that asks
   for the same change) and the value it needs is a valid count.  A broken identity with
   exactly one fix has found its culprit — in table 3 the cell whose row and column are
   both broken.
2. **Two swapped cells** in a row or a column (a table 4 block is a row): printed in each
   other's place, they break at least two identities, and exchanging them back satisfies
   every identity either is in.  Named only when exactly one pair does — or when two single
   culprits of one row or column each need the other's printed figure.
3. **Several fixes** for one identity (a table 4 block: the total or any of its parts):
   a fix whose printed figure is the needed value with two adjacent digits transposed
   (``1289`` for ``1298``) is the culprit; else the prose decides when it states the
   figure of exactly one fix (:func:`opengov._checks.prose.targets`); else every fix is
   a *candidate*.

A single cell or one candidate whose printed figure is a transposition of the value it
needs is marked ``transposed``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

import attrs

from .finding import CellKey

__all__ = ["Equation", "Single", "Candidates", "Swap", "diagnose", "is_transposition"]


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


def _fixes(
    broken: Sequence[Equation],
    member: Mapping[CellKey, list[tuple[Equation, int]]],
    values: Mapping[CellKey, int],
    valid: Callable[[CellKey, int], bool],
) -> dict[CellKey, int]:
    """Every cell that alone could satisfy every decided identity it is in, with the value
    it needs."""
    fixes: dict[CellKey, int] = {}
    for key in dict.fromkeys(k for e in broken for k, _ in e.terms):
        if key not in values:
            continue
        changes = set()
        for equation, coefficient in member.get(key, ()):
            if equation.difference % coefficient:
                break
            changes.add(equation.difference // coefficient)
        else:
            if len(changes) == 1:
                change = changes.pop()
                needed = values[key] - change
                if change and valid(key, needed):
                    fixes[key] = needed
    return fixes


def _swaps(
    unexplained: Sequence[Equation],
    member: Mapping[CellKey, list[tuple[Equation, int]]],
    values: Mapping[CellKey, int],
) -> list[tuple[CellKey, CellKey]]:
    """Pairs of cells in one row or column whose exchange satisfies every decided identity
    either is in, and that touch at least two broken identities."""
    cells = [k for k in dict.fromkeys(k for e in unexplained for k, _ in e.terms) if k in values]
    lines: dict[tuple[str, str, str], list[CellKey]] = {}
    for key in cells:
        lines.setdefault(("row", key[0], key[1]), []).append(key)
        lines.setdefault(("column", key[0], key[2]), []).append(key)
    pairs: dict[tuple[CellKey, CellKey], None] = {}
    for line in lines.values():
        for i, a in enumerate(line):
            for b in line[i + 1 :]:
                delta = values[a] - values[b]
                if not delta:
                    continue
                change: dict[Equation, int] = {}
                for equation, coefficient in member.get(a, ()):
                    change[equation] = change.get(equation, 0) - coefficient * delta
                for equation, coefficient in member.get(b, ()):
                    change[equation] = change.get(equation, 0) + coefficient * delta
                if sum(1 for e in change if e.difference) < 2:
                    continue
                if all(e.difference + c == 0 for e, c in change.items()):
                    pairs[(a, b)] = None
    return list(pairs)


def _same_line(a: CellKey, b: CellKey) -> bool:
    return a[0] == b[0] and (a[1] == b[1] or a[2] == b[2])


def _pair_singles(out: list[Diagnosis], values: Mapping[CellKey, int]) -> None:
    """Two single culprits of one row or column that each need the other's figure are one
    swap (in place, in ``out``)."""
    singles = [d for d in out if isinstance(d, Single)]
    for n, a in enumerate(singles):
        for b in singles[n + 1 :]:
            crosswise = a.needed == values[b.key] and b.needed == values[a.key]
            if a in out and b in out and _same_line(a.key, b.key) and crosswise:
                where = out.index(a)
                out.remove(a)
                out.remove(b)
                swap = Swap(
                    first=a.key,
                    second=b.key,
                    first_printed=a.printed,
                    second_printed=b.printed,
                    equations=tuple(dict.fromkeys((*a.equations, *b.equations))),
                )
                out.insert(where, swap)


def diagnose(
    equations: Iterable[Equation],
    values: Mapping[CellKey, int],
    *,
    valid: Callable[[CellKey, int], bool],
    evidence: Callable[[CellKey, int], int] | None = None,
) -> list[Diagnosis]:
    """The culprits of the broken ``equations`` (every decided identity of a table, broken
    or not, over the integer ``values`` of its cells).  ``valid(key, value)`` says whether a
    cell may hold a value; ``evidence(key, needed)`` is ``1`` when the prose states the
    figure the cell would need, ``-1`` when it states the printed one, else ``0``."""
    equations = list(equations)
    broken = [e for e in equations if e.difference]
    if not broken:
        return []
    member: dict[CellKey, list[tuple[Equation, int]]] = {}
    for equation in equations:
        for key, coefficient in equation.terms:
            member.setdefault(key, []).append((equation, coefficient))
    fixes = _fixes(broken, member, values, valid)
    out: list[Diagnosis] = []
    explained: set[Equation] = set()
    picked: set[CellKey] = set()

    def pick(key: CellKey) -> None:
        picked.add(key)
        touched = tuple(e for e, _ in member[key])
        explained.update(touched)
        printed, needed = values[key], fixes[key]
        out.append(
            Single(
                key=key,
                printed=printed,
                needed=needed,
                transposed=is_transposition(printed, needed),
                equations=touched,
            )
        )

    options = {e: [k for k in e.cells if k in fixes] for e in broken}
    for equation in broken:
        if equation not in explained and len(options[equation]) == 1 and options[equation][0] not in picked:
            pick(options[equation][0])
    _pair_singles(out, values)
    unexplained = [e for e in broken if e not in explained]
    if len(unexplained) >= 2:
        swaps = _swaps(unexplained, member, values)
        if len(swaps) == 1:
            a, b = swaps[0]
            touched = tuple(dict.fromkeys(e for key in (a, b) for e, _ in member[key]))
            explained.update(touched)
            out.append(Swap(first=a, second=b, first_printed=values[a], second_printed=values[b], equations=touched))
    for equation in broken:
        if equation in explained:
            continue
        candidates = [k for k in options[equation] if k not in picked]
        if not candidates:
            continue
        transposed = [k for k in candidates if is_transposition(values[k], fixes[k])]
        if len(transposed) == 1:
            pick(transposed[0])
            continue
        if evidence is not None:
            scores = {k: evidence(k, fixes[k]) for k in candidates}
            supported = [k for k in candidates if scores[k] > 0]
            remaining = [k for k in candidates if scores[k] >= 0]
            if len(supported) == 1:
                pick(supported[0])
                continue
            if not supported and len(remaining) == 1:
                pick(remaining[0])
                continue
        explained.add(equation)
        out.append(Candidates(equation=equation, options=tuple((k, fixes[k]) for k in candidates)))
    return out
