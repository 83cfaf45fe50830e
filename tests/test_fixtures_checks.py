"""Checks and CSV on the hand-read figures of the project's own fixtures.

The expected files in ``tests/data/quirks`` (and ``tests/data/zhapu-2023.json``) hold the
figures of the real samples in the samples' shape; these tests stand in for test_checks_samples
and for the real-figures test of test_csv, without the samples.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

import opengov
from expected_report import expected_figures, figures_of, load_expected, report_from_expected, sections_of
from opengov import Severity, check
from opengov.layout import layout_for

DATA = Path(__file__).resolve().parent / "data"
QUIRKS = DATA / "quirks"
EXPECTED = sorted([DATA / "zhapu-2023.json", *QUIRKS.glob("*.json")])


def test_every_fixture_has_its_expected_figures() -> None:
    documents = (".txt", ".md", ".html", ".pdf")
    names = {p.stem for p in QUIRKS.iterdir() if p.suffix in documents and p.name != "README.md"}
    assert names == {"oneline-2020", "oneline-2023", "ocr-2025", "spans-2019", "wrapped-2024"}
    assert {p.stem for p in QUIRKS.glob("*.json")} == names
    for path in EXPECTED:
        data = load_expected(path)
        assert len(expected_figures(data)) == (200 if data["format_version"] == "2021" else 22 + 161 + 15), path.name


def test_reference_report_gives_no_error_or_warning() -> None:
    prose = sections_of((DATA / "zhapu-2023.txt").read_text(encoding="utf-8"))
    assert "办理38件" in "".join(prose["overview"])
    report = report_from_expected(DATA / "zhapu-2023.json", **prose)
    assert [f for f in check(report) if f.severity is not Severity.INFO] == []


@pytest.mark.parametrize(
    "path",
    [DATA / "zhapu-2023.json", *(QUIRKS / f"{n}.json" for n in ("wrapped-2024", "ocr-2025", "oneline-2023"))],
    ids=lambda p: p.stem,
)
def test_consistent_documents_give_no_error(path: Path) -> None:
    report = report_from_expected(path)
    for blanks in ("undecided", "zero"):
        findings = check(report, blanks=blanks)  # type: ignore[arg-type]
        assert [f for f in findings if f.severity is Severity.ERROR] == []
        assert {f.rule for f in findings if f.severity is Severity.WARNING} <= {"sections"}


def test_one_line_2020_outcome_totals() -> None:
    """The document's own inconsistency: （七）总计 is not the sum of the outcome rows."""
    report = report_from_expected(QUIRKS / "oneline-2020.json")
    errors = [f for f in check(report) if f.severity is Severity.ERROR]
    got = [(f.rule, f.key, f.printed, f.expected, f.difference) for f in errors]
    assert got == [
        ("t3-outcomes", ("table3", "total_handled", "natural_person"), 20, 26, -6),
        ("t3-outcomes", ("table3", "total_handled", "total"), 21, 27, -6),
    ]
    assert errors[0].row_label == "（七）总计"
    assert errors[0].column_label == "自然人"


def test_blank_totals_are_blank_findings_not_errors() -> None:
    report = report_from_expected(QUIRKS / "spans-2019.json")
    findings = check(report)
    assert [f for f in findings if f.severity is Severity.ERROR] == []
    blank = {f.key for f in findings if f.rule == "blank"}
    assert ("table3", "granted", "total") in blank
    undecided = {f.key: f for f in findings if f.rule == "undecided" and f.identity == "t3-row-total"}
    assert ("table3", "granted", "total") in undecided[("table3", "granted", "total")].blanks
    # read as zero, the blank totals become arithmetic errors (the parts of （一）予以公开 add up
    # to 272, those of （四）1 to 265): treating blanks as zero is an explicit option
    zero = {f.key: f for f in check(report, blanks="zero") if f.severity is Severity.ERROR}
    assert {f.rule for f in zero.values()} == {"t3-row-total", "t3-outcomes"}
    assert zero[("table3", "granted", "total")].expected == 272
    assert zero[("table3", "not_held", "total")].difference == -265


def test_prose_all_upheld_against_pending_cases() -> None:
    """The fixture page's own overview says every appeal was upheld; table 4 has pending ones."""
    overview = opengov.read(QUIRKS / "spans-2019.html").report.overview
    assert any("均获维持" in p for p in overview)
    report = report_from_expected(QUIRKS / "spans-2019.json", overview=overview)
    findings = [f for f in check(report) if f.rule == "prose-appeals"]
    assert [(f.key, f.printed) for f in findings] == [
        (("table4", "reconsideration", "pending"), 2),
        (("table4", "litigation_direct", "pending"), 1),
    ]


def test_prose_documents_in_force_against_table2() -> None:
    overview = opengov.read(QUIRKS / "oneline-2023.txt").report.overview
    report = report_from_expected(QUIRKS / "oneline-2023.json", overview=overview)
    findings = [(f.rule, f.key, f.printed, f.expected) for f in check(report) if f.rule.startswith("prose")]
    assert findings == [("prose-documents", ("table2", "normative_documents", "in_force"), 470, 393)]


# -- the figures written as a long CSV by another tool ----------------------------------------


def _foreign_long_csv(data: dict[str, object]) -> str:
    """A long CSV as another tool writes it: the documented header (taken from ``to_csv``),
    a BOM, CRLF, no block column, the labels as printed; amounts split into value and unit."""
    header = next(csv.reader(io.StringIO(opengov.to_csv([]).splitlines()[0])))
    lay = layout_for(str(data["format_version"]))
    labels = {("table2", r.key): r.label for r in lay.table2.rows}
    labels |= {("table3", r.key): r.label for r in lay.table3.rows}
    labels |= {("table4", b.key): b.label for b in lay.table4.blocks}
    columns = {
        (t, c.key): c.label for t, cs in (("table3", lay.table3.columns), ("table4", lay.table4.columns)) for c in cs
    }
    columns |= {("table2", c.key): c.label for r in lay.table2.rows for c in lay.table2.columns_of(r.key)}
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for (table, row, column), figure in expected_figures(data).items():
        if figure is None:
            state, value, unit = "blank", "", ""
        elif isinstance(figure, str):
            value = figure.rstrip("万元")
            state, unit = "amount", figure[len(value) :]
        else:
            state, value, unit = "number", str(figure), ""
        fields = {
            "report": "r1",
            "format": data["format_version"],
            "organ": data["agency"],
            "year": data["year"],
            "table": table,
            "row": row,
            "row_label": labels[(table, row)],
            "column": column,
            "column_label": columns[(table, column)],
            "state": state,
            "value": value,
            "unit": unit,
        }
        writer.writerow([fields.get(name, "") for name in header])
    return "\ufeff" + out.getvalue()


@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: p.stem)
def test_figures_read_from_a_foreign_long_csv_and_round_trip(path: Path) -> None:
    data = load_expected(path)
    [report] = opengov.from_csv(_foreign_long_csv(data).encode("utf-8"))
    shape = figures_of(report)
    assert {k: shape[k] for k in ("year", "format_version", "table2", "table3", "table4")} == {
        k: data[k] for k in ("year", "format_version", "table2", "table3", "table4")
    }
    assert report.organ == data["agency"]
    again = opengov.from_csv(opengov.to_csv([report]))
    assert again == [report]
    assert [figures_of(r) for r in again] == [shape]
