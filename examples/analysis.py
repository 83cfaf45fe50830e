"""A first analysis of a batch, as a picture (needs ``pip install 'opengov[analysis]'``).

    python examples/analysis.py reports.duckdb analysis.png     # from a batch's DuckDB file
    python examples/analysis.py --demo docs/analysis.png         # generate reports, batch them, draw

From the DuckDB file that ``opengov batch FOLDER --out reports.duckdb`` writes, it computes

* the share of reports with at least one error finding, by year;
* the share of reports with an error finding of each rule;
* the distribution of applications per report (table 3, 一、本年新收政府信息公开申请数量, 总计);

prints them, and draws them with matplotlib to a PNG.  ``--demo`` first writes 1,500
generated 2021-format reports (300 organs, 2021-2025, a few with a wrong figure) into a
temporary folder and runs the batch over them.
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import duckdb
import matplotlib

matplotlib.use("Agg")  # files only, no window
import matplotlib.pyplot as plt

import opengov
from opengov import AppealOutcomes, Appeals, ApplicantCounts, Applications2021, ProactiveDisclosure2021
from opengov._model import Documents2021

BY_YEAR = """
SELECT year, count(*) AS reports, count(*) FILTER (WHERE findings_error > 0 OR report IN (
           SELECT report FROM findings WHERE severity = 'error')) AS with_errors
FROM reports
WHERE status = 'read' AND year IS NOT NULL
GROUP BY year ORDER BY year
"""

BY_RULE = """
SELECT rule, count(DISTINCT report) AS reports
FROM findings
WHERE severity = 'error'
GROUP BY rule ORDER BY reports DESC, rule
"""

READ = "SELECT count(*) FROM reports WHERE status = 'read'"

APPLICATIONS = """
SELECT number AS applications
FROM cells
WHERE "table" = 'table3' AND "row" = 'new_received' AND "column" = 'total' AND state = 'number'
ORDER BY report
"""


def figures(database: str | Path) -> dict[str, Any]:
    """The three figures' data from a batch's DuckDB file."""
    with duckdb.connect(str(database), read_only=True) as con:
        by_year = [(year, with_errors / reports) for year, reports, with_errors in con.sql(BY_YEAR).fetchall()]
        ((read,),) = con.sql(READ).fetchall()
        by_rule = [(rule, count / read) for rule, count in con.sql(BY_RULE).fetchall()] if read else []
        applications = [number for (number,) in con.sql(APPLICATIONS).fetchall()]
    return {"by_year": by_year, "by_rule": by_rule, "applications": applications, "reports": read}


def draw(data: dict[str, Any], png: str | Path) -> None:
    """The three panels, side by side, to ``png``."""
    fig, (years, rules, counts) = plt.subplots(1, 3, figsize=(15, 4.2), layout="constrained")
    fig.suptitle(f"opengov batch: {data['reports']:,} reports read")
    labels = [str(year) for year, _ in data["by_year"]]
    years.bar(labels, [100 * share for _, share in data["by_year"]], color="#b2182b")
    years.set_title("Reports with an error finding, by year")
    years.set_ylabel("% of the year's reports")
    names = [rule for rule, _ in data["by_rule"]][::-1]
    rules.barh(names, [100 * share for _, share in data["by_rule"]][::-1], color="#ef8a62")
    rules.set_title("Reports with an error finding, by rule")
    rules.set_xlabel("% of all reports")
    counts.hist(data["applications"], bins=30, color="#2166ac")
    counts.set_title("Applications received per report")
    counts.set_xlabel("new applications (table 3: new_received, total)")
    counts.set_ylabel("reports")
    fig.savefig(png, dpi=100)
    plt.close(fig)


def report_text(data: dict[str, Any]) -> str:
    """The figures as lines of text (what the script prints)."""
    lines = [f"reports read: {data['reports']}"]
    lines += [f"year {year}: {100 * share:.1f}% with an error finding" for year, share in data["by_year"]]
    lines += [f"rule {rule}: {100 * share:.1f}% of reports" for rule, share in data["by_rule"]]
    applications = data["applications"]
    if applications:
        ordered = sorted(applications)
        lines.append(f"applications per report: median {ordered[len(ordered) // 2]}, max {ordered[-1]}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------
# --demo: generated reports
# ---------------------------------------------------------------------------------------

OUTCOMES = ("granted", "partially_granted", "not_held", "repeated", "no_correction", "other", "state_secret")


def generated(rng: random.Random, organ: int, year: int) -> opengov.Report:
    """A consistent 2021-format report with random figures; about one in twelve has a wrong
    figure (fewer in later years), so that the picture has something to show."""
    scale = rng.choice((5, 20, 60, 200))

    def counts(n: int) -> ApplicantCounts:
        return ApplicantCounts.build(
            natural_person=rng.randint(0, n), commercial=rng.randint(0, max(1, n // 4)), other_org=rng.randint(0, 2)
        )

    outcomes = {key: counts(scale) for key in OUTCOMES}
    handled = {c: sum(getattr(v, c) for v in outcomes.values()) for c in ("natural_person", "commercial", "other_org")}
    table3 = Applications2021.build(new_received=ApplicantCounts.build(**handled), **outcomes)
    report: opengov.Report = opengov.Report.build(
        format="2021",
        organ=f"某某市第{organ}局",
        year=year,
        overview=("本年度认真贯彻落实政务公开工作部署。",),
        table2=ProactiveDisclosure2021(
            rules=Documents2021(issued=0, repealed=0, in_force=rng.randint(0, 9)),
            normative_documents=Documents2021(issued=rng.randint(0, 9), repealed=0, in_force=rng.randint(9, 99)),
            licensing=rng.randint(0, 9999),
            punishment=rng.randint(0, 999),
            enforcement=rng.randint(0, 99),
            fees=0,
        ),
        table3=table3,
        table4=Appeals.build(reconsideration=AppealOutcomes.build(upheld=rng.randint(0, 3))),
    )
    if rng.random() < 0.14 - 0.02 * (year - 2021):  # a misprinted figure
        key = rng.choice([("table3", "granted", "natural_person"), ("table3", "total_handled", "total")])
        value = report.cell(*key)
        assert isinstance(value, int)
        report = report.with_cell(*key, value + rng.choice((-3, -1, 1, 2, 10)))
    return report


def demo(png: Path, *, organs: int = 300, seed: int = 2026) -> dict[str, Any]:
    """Generate reports, run ``opengov batch`` over them into DuckDB, draw ``png``."""
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="opengov-analysis-") as scratch:
        folder = Path(scratch) / "reports"
        folder.mkdir()
        for organ in range(organs):
            for year in range(2021, 2026):
                report = generated(rng, organ, year)
                (folder / f"{organ:03d}-{year}.txt").write_text(opengov.render(report, to="text"), encoding="utf-8")
        database = Path(scratch) / "reports.duckdb"
        command = [sys.executable, "-m", "opengov", "batch", str(folder), "--out", str(database)]
        subprocess.run(command, check=True)
        data = figures(database)
    draw(data, png)
    return data


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "--demo":
        data = demo(Path(argv[1]))
    elif len(argv) == 2:
        data = figures(argv[0])
        draw(data, argv[1])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    print(report_text(data))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
