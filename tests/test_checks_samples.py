"""Checks on the hand-read figures of real published reports (../shared/samples/expected)."""

from __future__ import annotations

from pathlib import Path

import pytest

from expected_report import report_from_expected, sections_of
from opengov import Severity, check

DATA = Path(__file__).resolve().parent / "data"

pytestmark = pytest.mark.samples


def test_reference_report_gives_no_error_or_warning(samples: Path) -> None:
    # Figures hand-read into expected/zhapu-2023.json, prose from the document itself.
    prose = sections_of((DATA / "zhapu-2023.txt").read_text(encoding="utf-8"))
    assert "办理38件" in "".join(prose["overview"])
    report = report_from_expected(samples / "expected" / "zhapu-2023.json", **prose)
    assert [f for f in check(report) if f.severity is not Severity.INFO] == []


@pytest.mark.parametrize("name", ["zhapu-2023", "huaian-2024", "shuyang-2025", "pingtan-2023"])
def test_consistent_documents_give_no_error(samples: Path, name: str) -> None:
    report = report_from_expected(samples / "expected" / f"{name}.json")
    for blanks in ("undecided", "zero"):
        findings = check(report, blanks=blanks)  # type: ignore[arg-type]
        assert [f for f in findings if f.severity is Severity.ERROR] == []
        assert {f.rule for f in findings if f.severity is Severity.WARNING} <= {"sections"}


def test_pingtan_2020_outcome_totals(samples: Path) -> None:
    report = report_from_expected(samples / "expected" / "pingtan-2020.json")
    errors = [f for f in check(report) if f.severity is Severity.ERROR]
    got = [(f.rule, f.key, f.printed, f.expected, f.difference) for f in errors]
    assert got == [
        ("t3-outcomes", ("table3", "total_handled", "natural_person"), 20, 26, -6),
        ("t3-outcomes", ("table3", "total_handled", "total"), 21, 27, -6),
    ]
    assert errors[0].row_label == "（七）总计"
    assert errors[0].column_label == "自然人"


def test_shanghai_office_2019_blank_totals_are_blank_findings_not_errors(samples: Path) -> None:
    report = report_from_expected(samples / "expected" / "shanghai-office-2019.json")
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


def test_shanghai_office_2019_prose_all_upheld(samples: Path) -> None:
    import attrs

    report = report_from_expected(samples / "expected" / "shanghai-office-2019.json")
    overview = (
        "市政府办公厅代表市政府共受理政府信息公开申请859件；答复政府信息公开申请805件"
        "（含上年度结转申请18件）。信息公开类行政复议7件，诉讼9件，均获维持。"
    )
    findings = [f for f in check(attrs.evolve(report, overview=(overview,))) if f.rule.startswith("prose")]
    assert [(f.key, f.printed) for f in findings] == [
        (("table4", "reconsideration", "pending"), 2),
        (("table4", "litigation_direct", "pending"), 1),
    ]
