"""JSON: exact round trips, strict reading with paths, and the shipped schema."""

from __future__ import annotations

import copy
import io
import json
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

import opengov
from opengov import LoadError, Report
from opengov._serialize.schema import json_schema, shipped_schema
from opengov.testing import any_reports, broken_reports, reports

VALIDATOR = jsonschema.Draft202012Validator(json_schema())


@given(reports())
def test_consistent_reports_round_trip(report: Report) -> None:
    assert opengov.loads(opengov.dumps(report)) == report


@given(any_reports(absent=True))
def test_every_cell_state_round_trips(report: Report) -> None:
    text = opengov.dumps(report)
    assert opengov.loads(text) == report
    assert opengov.dumps(opengov.loads(text)) == text


@given(broken_reports())
def test_broken_reports_round_trip(pair: tuple[Report, object]) -> None:
    report, _ = pair
    assert opengov.loads(opengov.dumps(report, indent=None)) == report


@given(any_reports(absent=True))
def test_schema_accepts_every_dump(report: Report) -> None:
    VALIDATOR.validate(json.loads(opengov.dumps(report)))


def _mutations(data: dict[str, object]) -> list[tuple[str, dict[str, object]]]:
    out = []
    bad_cell = copy.deepcopy(data)
    bad_cell["table3"]["granted"]["total"] = "12"  # type: ignore[index]
    out.append(("$.table3.granted.total", bad_cell))
    extra = copy.deepcopy(data)
    extra["table4"]["reconsideration"]["extra"] = 1  # type: ignore[index]
    out.append(("$.table4.reconsideration", extra))
    missing = copy.deepcopy(data)
    del missing["table2"]["rules"]  # type: ignore[attr-defined]
    out.append(("$.table2", missing))
    bad_amount = copy.deepcopy(data)
    bad_amount["table4"]["litigation_direct"]["upheld"] = {"amount": "1,341"}  # type: ignore[index]
    out.append(("$.table4.litigation_direct.upheld", bad_amount))
    return out


@given(reports(), st.integers(0, 3))
def test_schema_and_loads_reject_a_mutated_document(report: Report, which: int) -> None:
    data = json.loads(opengov.dumps(report))
    path, mutated = _mutations(data)[which]
    assert not VALIDATOR.is_valid(mutated)
    with pytest.raises(LoadError) as info:
        opengov.loads(json.dumps(mutated))
    assert any(problem.endswith(path) or f"{path}." in problem for problem in info.value.problems)


def test_shipped_schema_is_the_generated_one() -> None:
    assert shipped_schema() == json_schema()


def test_error_names_every_bad_path() -> None:
    text = json.dumps(
        {
            "format": "2021",
            "organ": 3,
            "overview": "一段话",
            "table4": {
                "reconsideration": {"upheld": "x", "corrected": True, "other": 0, "pending": 0, "total": 0},
                "litigation_direct": {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0},
                "litigation_after_reconsideration": {"upheld": 0, "corrected": 0, "other": 0, "pending": 0},
            },
            "zz": 1,
        },
        ensure_ascii=False,
    )
    with pytest.raises(LoadError) as info:
        opengov.loads(text)
    assert info.value.problems == (
        "unknown key(s): zz @ $",
        "expected a string, got 3 @ $.organ",
        'expected a list of paragraphs, got "一段话" @ $.overview',
        'expected a cell (an integer, null, {"amount": "…"}, {"blank": true} or {"placeholder": "…"}), got "x" '
        "@ $.table4.reconsideration.upheld",
        "a cell cannot be true @ $.table4.reconsideration.corrected",
        "required key missing @ $.table4.litigation_after_reconsideration.total",
    )
    assert str(info.value).startswith("invalid report data:\n  unknown key(s): zz @ $")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "invalid report data: not JSON: Expecting property name enclosed in double quotes (at line 1, column 2)"),
        ("[]", "invalid report data: a report must be a JSON object @ $, got list"),
        ('{"organ": "x"}', "invalid report data: required key missing @ $.format"),
        ('{"format": "2018"}', 'invalid report data: format must be "2019" or "2021" @ $.format'),
    ],
)
def test_whole_document_errors(text: str, message: str) -> None:
    with pytest.raises(LoadError) as info:
        opengov.loads(text)
    assert str(info.value) == message


def test_cells_are_written_in_their_documented_forms() -> None:
    report = Report(
        format="2021",
        table4=opengov.Appeals(
            reconsideration=opengov.AppealOutcomes(
                upheld=1,
                corrected=opengov.BLANK,
                other=opengov.Placeholder(glyph="/"),
                pending=opengov.Amount(value=Decimal("0.50"), unit="万元"),
                total=None,
            ),
            litigation_direct=opengov.AppealOutcomes.build(),
            litigation_after_reconsideration=opengov.AppealOutcomes.build(),
        ),
    )
    data = json.loads(opengov.dumps(report))
    assert data["table4"]["reconsideration"] == {
        "upheld": 1,
        "corrected": {"blank": True},
        "other": {"placeholder": "/"},
        "pending": {"amount": "0.50", "unit": "万元"},
        "total": None,
    }
    assert data["format"] == "2021"
    assert data["table2"] is None


def test_dump_and_load_files(tmp_path: Path) -> None:
    report = Report(format="2019", organ="上海市人民政府办公厅", year=2019)
    path = tmp_path / "r.json"
    opengov.dump(report, path)
    assert opengov.load(path) == report
    assert opengov.load(str(path)) == report
    buffer = io.StringIO()
    opengov.dump(report, buffer)
    buffer.seek(0)
    assert opengov.load(buffer) == report
    assert "上海市人民政府办公厅" in path.read_text(encoding="utf-8")


def test_dumps_refuses_what_is_not_a_report() -> None:
    with pytest.raises(TypeError, match=r"opengov\.Report"):
        opengov.dumps({"format": "2021"})  # type: ignore[arg-type]
