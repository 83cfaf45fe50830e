"""Cells from ruling lines: the one finder shared by the PDF reader and the OCR page analysis.

A table's grid lines cut the page into squares; squares with no ruling between them are one
region; a region that is a rectangle closed by rulings on all four sides is a cell; cells
that share a corner are one table.  Two union-find passes: linear in the squares and cells.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["cell_groups"]

CellSpan = tuple[int, int, int, int]
"""A cell as grid indices: first column, first row, column after, row after."""


def cell_groups(across: Sequence[Sequence[bool]], down: Sequence[Sequence[bool]]) -> list[list[CellSpan]]:
    """The cells of a grid of ``len(across) - 1`` rows and ``len(down) - 1`` columns, grouped
    into tables (cells sharing a corner).  ``across[j][i]``: a ruling runs along grid line
    ``j`` over column ``i``; ``down[i][j]``: a ruling runs down grid line ``i`` over row ``j``."""
    n_rows, n_cols = len(across) - 1, len(down) - 1
    parent = list(range(n_rows * n_cols))

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for j in range(n_rows):
        below = across[j + 1] if j + 1 < n_rows else None
        base = j * n_cols
        for i in range(n_cols):
            k = base + i
            if i + 1 < n_cols and not down[i + 1][j]:
                a, b = root(k), root(k + 1)
                if a != b:
                    parent[b] = a
            if below is not None and not below[i]:
                a, b = root(k), root(k + n_cols)
                if a != b:
                    parent[b] = a
    regions: dict[int, list[int]] = {}
    for k in range(n_rows * n_cols):
        r = k if parent[k] == k else root(k)
        if r in regions:
            regions[r].append(k)
        else:
            regions[r] = [k]
    cells: list[CellSpan] = []
    for squares in regions.values():
        if len(squares) == 1:  # one square: closed when its four sides are drawn
            j, i = divmod(squares[0], n_cols)
            if across[j][i] and across[j + 1][i] and down[i][j] and down[i + 1][j]:
                cells.append((i, j, i + 1, j + 1))
            continue
        rows = [k // n_cols for k in squares]
        cols = [k % n_cols for k in squares]
        c0, c1, r0, r1 = min(cols), max(cols) + 1, min(rows), max(rows) + 1
        if len(squares) != (c1 - c0) * (r1 - r0):
            continue  # not a rectangle
        closed = (
            all(across[r0][i] for i in range(c0, c1))
            and all(across[r1][i] for i in range(c0, c1))
            and all(down[c0][j] for j in range(r0, r1))
            and all(down[c1][j] for j in range(r0, r1))
        )
        if closed:
            cells.append((c0, r0, c1, r1))
    owner = list(range(len(cells)))

    def table_of(k: int) -> int:
        while owner[k] != k:
            owner[k] = owner[owner[k]]
            k = owner[k]
        return k

    corners: dict[tuple[int, int], int] = {}
    for n, (c0, r0, c1, r1) in enumerate(cells):
        for corner in ((c0, r0), (c1, r0), (c0, r1), (c1, r1)):
            other = corners.setdefault(corner, n)
            a, b = table_of(other), table_of(n)
            if a != b:
                owner[b] = a
    groups: dict[int, list[CellSpan]] = {}
    for n, cell in enumerate(cells):
        groups.setdefault(table_of(n), []).append(cell)
    return list(groups.values())
