"""Fuzz properties (issue 22): every public entry point and every reader, given arbitrary
bytes, text or JSON values, or the project's own documents mutated (``tests/data/fuzz``,
made by ``make_corpus.py``), ends in a parse or a documented error — never another
exception from inside.

Documented: :class:`opengov.ParseError` (a document), :class:`opengov.LoadError` (JSON and
CSV), :class:`opengov.MissingExtraError` (an optional extra not installed).  ``TypeError``
and ``ValueError`` are documented for wrong *arguments* only, so they are not accepted
here where the arguments are right (``ParseError`` and ``LoadError`` are ``ValueError``
subclasses, and only they pass).  ``tools/fuzz.py`` runs the same on demand for many more
inputs.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import opengov
from budget import examples
from opengov import LoadError, MissingExtraError, ParseError
from opengov.testing import any_reports

FUZZ = Path(__file__).resolve().parent / "data" / "fuzz"
SEEDS = {path.name: path.read_bytes() for path in sorted(FUZZ.iterdir()) if path.suffix != ".py"}
DOCUMENT_SEEDS = sorted(name for name in SEEDS if not name.endswith((".json", ".csv")))
BINARY_FORMS = ("pdf", "docx", "image")
TEXT_FORMS = ("html", "boxtext", "markdown", "text")
DOCUMENTED = (ParseError, LoadError, MissingExtraError)


def _documented(call: Callable[[], object]) -> object:
    """The call's result, or the documented error it raised; anything else fails the test."""
    try:
        return call()
    except DOCUMENTED as error:
        outcome: object = error
    assert str(outcome)  # a message saying what is wrong
    return outcome


@st.composite
def mutated(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` with a few mutations: bytes flipped, inserted or deleted, a slice repeated
    or moved (what a damaged download or a careless editor does)."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        if not out:
            out += draw(st.binary(min_size=1, max_size=8))
            continue
        at = draw(st.integers(0, len(out) - 1))
        op = draw(st.sampled_from(["flip", "insert", "delete", "repeat", "truncate", "digits"]))
        if op == "flip":
            out[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "insert":
            out[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif op == "delete":
            del out[at : at + draw(st.integers(1, 64))]
        elif op == "repeat":
            piece = out[at : at + draw(st.integers(1, 256))]
            out[at:at] = piece * draw(st.integers(1, 20))
        elif op == "truncate":
            del out[at:]
        else:  # a figure made long
            out[at:at] = b"9" * draw(st.integers(1, 6000))
    return bytes(out)


def _seeded(names: list[str]) -> st.SearchStrategy[bytes]:
    return st.sampled_from(names).flatmap(lambda name: mutated(SEEDS[name]))


# ---------------------------------------------------------------------------------------
# parse / read: every reader
# ---------------------------------------------------------------------------------------


@settings(max_examples=examples(60), suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(_seeded(DOCUMENT_SEEDS))
def test_parse_of_mutated_documents(data: bytes) -> None:
    _documented(lambda: opengov.parse(data))


@pytest.mark.parametrize("form", [*BINARY_FORMS, *TEXT_FORMS])
@given(data=st.binary(max_size=2000))
def test_every_reader_on_arbitrary_bytes(form: str, data: bytes) -> None:
    _documented(lambda: opengov.parse(data, form=form))


@pytest.mark.parametrize("form", ["auto", *TEXT_FORMS])
@given(text=st.text(max_size=2000))
def test_every_text_reader_on_arbitrary_text(form: str, text: str) -> None:
    _documented(lambda: opengov.parse(text, form=form) if not _looks_like_a_path(text) else None)


def _looks_like_a_path(text: str) -> bool:
    """A one-line text ending in a file suffix: parse() says to use read() (a documented
    ValueError for a wrong argument)."""
    from opengov._parse import _looks_like_a_path as looks

    return looks(text)


@pytest.mark.parametrize("form", [*BINARY_FORMS, *TEXT_FORMS])
@settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=_seeded(DOCUMENT_SEEDS))
def test_every_reader_on_every_mutated_form(form: str, data: bytes) -> None:
    """A reader given another form's document (mutated) refuses it with a ParseError."""
    _documented(lambda: opengov.parse(data, form=form))


@settings(max_examples=10, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=_seeded(DOCUMENT_SEEDS))
def test_read_of_mutated_files(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "report"
    path.write_bytes(data)
    _documented(lambda: opengov.read(path))
    with path.open("rb") as handle:
        _documented(lambda: opengov.read(handle))


# ---------------------------------------------------------------------------------------
# loads / from_csv
# ---------------------------------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)


@given(JSON_VALUES)
def test_loads_of_arbitrary_json_values(value: Any) -> None:
    _documented(lambda: opengov.loads(json.dumps(value)))


@given(st.sampled_from(sorted(json.loads(SEEDS["report.json"]))), JSON_VALUES)
def test_loads_of_a_report_with_a_part_replaced(key: str, value: Any) -> None:
    report = json.loads(SEEDS["report.json"])
    report[key] = value
    _documented(lambda: opengov.loads(json.dumps(report)))


@given(st.binary(max_size=500) | mutated(SEEDS["report.json"]))
def test_loads_of_arbitrary_and_mutated_bytes(data: bytes) -> None:
    _documented(lambda: opengov.loads(data))


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(
    st.binary(max_size=500) | st.text(max_size=500).map(str.encode) | _seeded(["report.long.csv", "report.wide.csv"])
)
def test_from_csv_of_arbitrary_and_mutated_bytes(data: bytes) -> None:
    _documented(lambda: opengov.from_csv(data))


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(
    st.sampled_from(["report.long.csv", "report.wide.csv"]),
    st.integers(0, 200),
    st.integers(0, 20),
    st.text(max_size=30) | st.sampled_from(["-1", "1e99999999999", "9" * 5000, "NA", "'", "'=1", ""]),
)
def test_from_csv_with_a_field_replaced(name: str, line: int, column: int, field: str) -> None:
    import csv
    import io

    rows = list(csv.reader(io.StringIO(SEEDS[name].decode("utf-8"), newline="")))
    row = rows[line % len(rows)]
    row[column % len(row)] = field
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    _documented(lambda: opengov.from_csv(buffer.getvalue()))


# ---------------------------------------------------------------------------------------
# check, render, dumps, to_csv: any report the model holds
# ---------------------------------------------------------------------------------------


@settings(max_examples=20, suppress_health_check=[HealthCheck.too_slow])
@given(any_reports(absent=True), any_reports(absent=True), st.sampled_from(["undecided", "zero"]))
def test_check_render_and_write_any_report(report: opengov.Report, previous: opengov.Report, blanks: str) -> None:
    findings = opengov.check(report, previous, blanks=blanks)  # type: ignore[arg-type]
    assert all(isinstance(f, opengov.Finding) for f in findings)
    assert opengov.render(report, to="html", findings=findings)
    for to in ("text", "markdown", "html"):
        assert opengov.render(report, to=to)
    docx = _documented_value_error(lambda: opengov.render(report, to="docx"))
    if isinstance(docx, ValueError):  # documented: a text a Word file cannot hold
        assert "cannot hold" in str(docx)
    assert opengov.loads(opengov.dumps(report)) == report
    for shape in ("long", "wide"):
        text = _documented_value_error(lambda shape=shape: opengov.to_csv(report, shape=shape))
        if isinstance(text, ValueError):  # documented: a cell the wide layout cannot write exactly
            assert shape == "wide"
            assert "wide layout" in str(text)
        else:
            assert opengov.from_csv(text)


def _documented_value_error(call: Callable[[], Any]) -> Any:
    """The call's result, or the ValueError a writer documents for a report it cannot
    write exactly."""
    try:
        return call()
    except ValueError as error:
        return error


@settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(_seeded(["plain.txt", "report.md", "report.html"]))
def test_check_and_render_of_what_a_mutated_document_parses_to(data: bytes) -> None:
    result = _documented(lambda: opengov.parse(data))
    if isinstance(result, opengov.ParseResult):
        findings = opengov.check(result)
        assert opengov.render(result, to="html", findings=findings)
        assert opengov.from_csv(opengov.to_csv(result.report)) == [result.report]
