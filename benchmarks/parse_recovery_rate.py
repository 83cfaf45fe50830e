"""How often ``opengov.parse`` reads a one-line report exactly: ``python benchmarks/parse_recovery_rate.py [N]``.

Draws N consistent reports per format from ``opengov.testing.reports()``, prints each as
one-line crawler text with every cell separator deleted (``one_line`` of
``tests/test_parse_recover.py``: title, headings, each table label followed by its cells'
figures concatenated), parses it and counts, per table, cells read exactly, cells left
absent (the row ambiguous or given up) and wrong cells (must stay 0), and the reports read
exactly in full.  Record the figures in ``docs/recovery.md``.
"""

from __future__ import annotations

import sys
import warnings
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis.errors import NonInteractiveExampleWarning

import opengov
from opengov import Amount, Format, Report
from opengov.testing import reports

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from test_parse_recover import one_line


def _norm(v: object) -> object:
    return (v.value, v.unit) if isinstance(v, Amount) else v


def _measure(fmt: Format, n: int) -> tuple[Counter[tuple[str, str]], Counter[str]]:
    cells: Counter[tuple[str, str]] = Counter()
    whole: Counter[str] = Counter()

    @settings(max_examples=n, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(reports(fmt))
    def run(report: Report) -> None:
        result = opengov.parse(one_line(report))
        exact_tables = {"table2": True, "table3": True, "table4": True}
        for cell in report.cells():
            got = result.report.cell(cell.table, cell.row, cell.column)
            state = "absent" if got is None else "exact" if _norm(got) == _norm(cell.value) else "WRONG"
            cells[(cell.table, state)] += 1
            if state != "exact":
                exact_tables[cell.table] = False
        whole.update(t for t, ok in exact_tables.items() if ok)
        if all(exact_tables.values()):
            whole["report"] += 1
        if all(exact_tables[t] for t in ("table3", "table4")):
            whole["tables 3 and 4"] += 1

    run()
    return cells, whole


def main(n: int) -> None:
    warnings.simplefilter("ignore", NonInteractiveExampleWarning)
    for fmt in (Format.V2019, Format.V2021):
        cells, whole = _measure(fmt, n)
        total = sum(cells.values())
        exact = sum(c for (_, s), c in cells.items() if s == "exact")
        wrong = sum(c for (_, s), c in cells.items() if s == "WRONG")
        print(f"format {fmt}, {n} one-line reports, all separators deleted")
        print(f"  cells exact {exact}/{total} ({100 * exact / total:.1f}%), wrong {wrong}")
        for table in ("table2", "table3", "table4"):
            row = {s: c for (t, s), c in cells.items() if t == table}
            t_total = sum(row.values())
            print(f"  {table}: {100 * row.get('exact', 0) / t_total:.1f}% cells exact {row}")
        for what in ("report", "tables 3 and 4", "table2", "table3", "table4"):
            print(f"  {what} exact in {whole[what]}/{n} reports ({100 * whole[what] / n:.1f}%)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
