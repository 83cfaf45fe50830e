"""How often recovery is exact: ``python benchmarks/recovery_rate.py [N]``.

Draws N consistent reports per format from ``opengov.testing.reports()``, prints every row
of tables 2–4 with all cell separators deleted (and, second pass, with spaces kept at a
random subset of the cell boundaries), runs :func:`opengov._recover.recover` and counts, per
table, rows recovered exactly, left ambiguous (truth among the candidates) and given up.
A wrong recovered value is counted too (it must stay 0).  Record the figures in
``docs/recovery.md``.
"""

from __future__ import annotations

import random
import sys
import warnings
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis.errors import NonInteractiveExampleWarning

from opengov import Amount, Format, Report
from opengov._codec import cell_text
from opengov._recover import TABLE4_FLAT, recover
from opengov.testing import reports


def _norm(v: object) -> object:
    return (v.value, v.unit) if isinstance(v, Amount) else v


def _measure(fmt: Format, spaced: bool, n: int, rng: random.Random) -> tuple[Counter[tuple[str, str]], Counter[str]]:
    """Per (table, outcome) row counts, and per table the reports recovered whole."""
    counts: Counter[tuple[str, str]] = Counter()
    whole_tables: Counter[str] = Counter()

    def separator() -> str:
        return rng.choice(["", " "]) if spaced else ""

    @settings(max_examples=n, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(reports(fmt))
    def run(report: Report) -> None:
        printed: dict[tuple[str, str], list[str]] = {}
        truth: dict[tuple[str, str], tuple[object, ...]] = {}
        for cell in report.cells():
            key = (cell.table, TABLE4_FLAT if cell.table == "table4" else cell.row)
            printed.setdefault(key, []).append(cell_text(cell.value))
            truth[key] = (*truth.get(key, ()), _norm(cell.value))
        rows: dict[str, list[tuple[str, str]]] = {}
        for (table, key), cells in printed.items():
            rows.setdefault(table, []).append((key, cells[0] + "".join(separator() + c for c in cells[1:])))
        whole = {"table3": True, "table4": True}
        for r in recover(fmt, rows):
            if r.status == "recovered":
                assert r.values is not None
                ok = tuple(_norm(v) for v in r.values) == truth[(r.table, r.key)]
                counts[(r.table, "exact" if ok else "WRONG")] += 1
            else:
                counts[(r.table, r.status)] += 1
                if r.status == "gave-up" and not counts[("gave-up", "shown")]:
                    counts[("gave-up", "shown")] += 1
                    print(f"  e.g. gave up on {r.table} {r.key} {r.raw!r}: {r.reason}")
            if r.table in whole and r.status != "recovered":
                whole[r.table] = False
        whole_tables.update(t for t, complete in whole.items() if complete)

    run()
    return counts, whole_tables


def main(n: int) -> None:
    warnings.simplefilter("ignore", NonInteractiveExampleWarning)
    rng = random.Random(9)
    for spaced in (False, True):
        for fmt in (Format.V2019, Format.V2021):
            counts, whole = _measure(fmt, spaced, n, rng)
            mode = "spaces at some boundaries" if spaced else "all separators deleted"
            print(f"format {fmt}, {mode}, {n} reports")
            for table in ("table2", "table3", "table4"):
                row = {s: c for (t, s), c in counts.items() if t == table}
                total = sum(row.values())
                exact = row.get("exact", 0)
                print(f"  {table}: {exact}/{total} rows exact ({100 * exact / total:.1f}%) {row}")
            for table in ("table3", "table4"):
                print(f"  {table} recovered whole in {whole[table]}/{n} reports ({100 * whole[table] / n:.1f}%)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
