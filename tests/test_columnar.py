"""The columnar output: opengov.document_rows, opengov.to_arrow, and ``opengov batch --out``
reports.parquet / reports.duckdb (docs/columnar.md).

The helpers at the top (a folder of reports of several organs and years, reading an output's
tables) are shared with tests/test_resume.py and tests/test_dask.py.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import opengov
from opengov import testing
from opengov._cli import main

pa = pytest.importorskip("pyarrow", reason="the columnar output needs pyarrow: pip install 'opengov[parquet]'")
pq = pytest.importorskip("pyarrow.parquet")

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
REFERENCE = DATA / "zhapu-2023.txt"
TABLES = ("reports", "cells", "prose", "findings", "diagnostics")
ORGANS = ("甲市交通运输局", "乙县人民政府办公室", "丙区教育局")

# ---------------------------------------------------------------------------------------
# Shared helpers
# ---------------------------------------------------------------------------------------


def reference() -> opengov.Report:
    return opengov.read(REFERENCE).report


def variant(organ: str, year: int, *, shift: int = 0, unbalanced: int = 0) -> opengov.Report:
    """The reference report as ``organ``'s report of ``year``: its 二、上年结转 natural-person
    figure raised by ``shift`` (and its totals with it, so table 3 still balances), and its
    四、结转下年度 natural-person figure raised by ``unbalanced`` alone (table 3 then does not
    balance in that column when ``unbalanced`` is not 0)."""
    report = attrs.evolve(reference(), organ=organ, year=year, title=f"{organ}{year}年度政府信息公开工作年度报告")
    over = report.cell("table3", "carried_over", "natural_person")
    forward = report.cell("table3", "carried_forward", "natural_person")
    assert isinstance(over, int)
    assert isinstance(forward, int)
    report = report.with_cell("table3", "carried_over", "natural_person", over + shift)
    total = report.cell("table3", "carried_over", "total")
    assert isinstance(total, int)
    report = report.with_cell("table3", "carried_over", "total", total + shift)
    report = report.with_cell("table3", "carried_forward", "natural_person", forward + shift + unbalanced)
    total = report.cell("table3", "carried_forward", "total")
    assert isinstance(total, int)
    return report.with_cell("table3", "carried_forward", "total", total + shift + unbalanced)


UNBALANCED = {("乙县人民政府办公室", 2022): 3, ("丙区教育局", 2021): -2}
"""The reports of :func:`make_folder` whose table 3 does not balance, by how much (natural
person column, printed minus expected)."""


def make_folder(folder: Path) -> dict[str, opengov.Report | None]:
    """A folder of reports: three organs, 2021-2023 each, in several forms (text, Markdown,
    HTML, opengov JSON), one organ-year twice, a file that is not a report and an empty one.
    Returns the report written in each file (``None`` for the unreadable ones)."""
    written: dict[str, opengov.Report | None] = {}
    forms = ("text", "json", "markdown", "html")
    for i, organ in enumerate(ORGANS):
        for j, year in enumerate((2021, 2022, 2023)):
            report = variant(organ, year, shift=i + j, unbalanced=UNBALANCED.get((organ, year), 0))
            form = forms[(i + j) % len(forms)]
            suffix = {"text": "txt", "json": "json", "markdown": "md", "html": "html"}[form]
            name = f"{organ}/{year}.{suffix}"
            (folder / organ).mkdir(parents=True, exist_ok=True)
            text = opengov.dumps(report) if form == "json" else opengov.render(report, to=form)
            (folder / name).write_text(text, encoding="utf-8")
            written[name] = report
    again = variant(ORGANS[0], 2022, shift=7)
    (folder / "zz-again-2022.json").write_text(opengov.dumps(again), encoding="utf-8")
    written["zz-again-2022.json"] = again
    (folder / "broken.html").write_text("<html><body><p>没有表格</p></body></html>", encoding="utf-8")
    written["broken.html"] = None
    (folder / "empty.txt").write_bytes(b"")
    written["empty.txt"] = None
    return written


def batch(*args: str) -> Any:
    """Run ``opengov batch`` in-process (two workers); the result has ``stderr``."""
    result = CliRunner().invoke(main, ["batch", *args, "--jobs", "2"])
    # the documented statuses: 0 every file read, 1 some could not be (the summary counts them)
    unreadable = re.search(r"(\d+) unreadable", result.stderr)
    assert unreadable is not None, result.output + str(result.exception)
    assert result.exit_code == (1 if int(unreadable.group(1)) else 0), result.output + str(result.exception)
    return result


def parquet_tables(out: Path) -> dict[str, Any]:
    """Every table of a Parquet output (the five and ``_carry``), from the files its
    manifest lists."""
    import json

    manifest = json.loads((out / "_opengov.json").read_text(encoding="utf-8"))
    tables = {}
    for table, names in manifest["files"].items():
        tables[table] = pa.concat_tables([pq.read_table(out / table / name) for name in names])
    return tables


def duckdb_tables(out: Path) -> dict[str, Any]:
    duckdb = pytest.importorskip("duckdb")
    with duckdb.connect(str(out), read_only=True) as con:
        return {t: con.sql(f"SELECT * FROM {t}").to_arrow_table() for t in (*TABLES, "_carry")}


SORT_KEYS = {
    "reports": ("report",),
    "cells": ("report", "table", "row", "column"),
    "prose": ("report", "section", "number"),
    "findings": ("report", "previous", "number"),
    "diagnostics": ("report", "number"),
    "_carry": ("report",),
}


def rows(table: Any, name: str, *, drop: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """A table's rows as dicts, sorted by the table's key (dictionary columns decoded)."""
    out = [{k: v for k, v in row.items() if k not in drop} for row in table.to_pylist()]
    return sorted(out, key=lambda r: tuple((r[k] is None, r[k] if r[k] is not None else 0) for k in SORT_KEYS[name]))


def same_rows(left: dict[str, Any], right: dict[str, Any], *, drop: tuple[str, ...] = ()) -> None:
    for name in (*TABLES, "_carry"):
        assert rows(left[name], name, drop=drop) == rows(right[name], name, drop=drop), name


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("columnar") / "in"
    make_folder(path)
    return path


@pytest.fixture(scope="module")
def outputs(folder: Path) -> dict[str, Path]:
    """The batch over :func:`folder` written as CSV (with findings), Parquet and DuckDB."""
    base = folder.parent
    out = {"csv": base / "reports.csv", "findings": base / "findings.csv", "parquet": base / "reports.parquet"}
    batch(str(folder), "--out", str(out["csv"]), "--findings", str(out["findings"]))
    batch(str(folder), "--out", str(out["parquet"]))
    pytest.importorskip("duckdb")
    out["duckdb"] = base / "reports.duckdb"
    batch(str(folder), "--out", str(out["duckdb"]))
    return out


# ---------------------------------------------------------------------------------------
# document_rows
# ---------------------------------------------------------------------------------------


def _documents() -> Iterator[Path]:
    yield REFERENCE
    yield from sorted((DATA / "quirks").glob("*.txt"))[:3]
    yield from sorted((DATA / "quirks").glob("*.html"))[:2]


@pytest.mark.parametrize("path", list(_documents()), ids=lambda p: p.name)
def test_document_rows_is_pure_and_is_what_parse_and_check_give(path: Path) -> None:
    data = path.read_bytes()
    first = opengov.document_rows(data, path=path.name)
    assert first == opengov.document_rows(bytes(data), path=path.name)  # same bytes, same rows
    result = opengov.parse(data)
    report = result.report
    assert first.report.status == "read"
    assert (first.report.organ, first.report.year, first.report.title) == (report.organ, report.year, report.title)
    assert first.report.size == len(data)
    assert [(spec.key, value) for spec, value in first.cell_rows()] == [(c.key, c.value) for c in report.cells()]
    assert [f.rule for f in first.findings] == [f.rule for f in opengov.check(result)]
    assert [(d.code, d.message, d.line) for d in first.diagnostics] == [
        (d.code, d.message, d.location.line) for d in result.diagnostics
    ]
    errors = sum(1 for d in result.diagnostics if d.severity is opengov.Severity.ERROR)
    assert first.report.diagnostics[0] == errors
    assert sum(first.report.diagnostics) == len(result.diagnostics)


def test_document_rows_of_unreadable_bytes_say_why_and_raise_nothing() -> None:
    rows = opengov.document_rows(b"<html><body><p>x</p></body></html>", path="x.html")
    assert rows.report.status == "unreadable"
    assert rows.report.reason
    assert "\n" not in rows.report.reason
    assert rows.report.organ is None
    assert rows.cells == ()
    assert rows.carry is None
    assert rows.report.size == len(b"<html><body><p>x</p></body></html>")
    with pytest.raises(TypeError):
        opengov.document_rows("text, not bytes")  # type: ignore[arg-type]


@given(report=testing.any_reports(absent=True))
def test_document_rows_of_the_json_of_any_report_hold_its_cells_and_prose(report: opengov.Report) -> None:
    data = opengov.dumps(report).encode("utf-8")
    rows = opengov.document_rows(data, path="r.json")
    assert rows == opengov.document_rows(data, path="r.json")
    assert rows.report.form == "json"
    assert {spec.key: value for spec, value in rows.cell_rows()} == {c.key: c.value for c in report.cells()}
    paragraphs = [(s, n, p) for s in ("preamble", "overview", "problems", "other_matters")
                  for n, p in enumerate(getattr(report, s), 1)]  # fmt: skip
    assert list(rows.prose_rows()) == paragraphs


# ---------------------------------------------------------------------------------------
# to_arrow: the schema, and the vectorised cells against a plain definition
# ---------------------------------------------------------------------------------------


def _expected_cell(report_id: int, spec: Any, value: Any) -> dict[str, Any]:
    """A cell's row, by its own definition (the model's fields, not the library's encoders)."""
    row = {
        "report": report_id,
        "table": spec.table,
        "block": spec.block,
        "row": spec.row,
        "row_label": spec.row_label,
        "column": spec.column,
        "column_label": spec.column_label,
        "number": None,
        "amount": None,
        "unit": None,
    }
    if isinstance(value, opengov.Amount):
        row.update(state="amount", amount=value.value, unit=value.unit, text=str(value.value) + (value.unit or ""))
    elif isinstance(value, opengov.Placeholder):
        row.update(state="placeholder", text=value.glyph)
    elif isinstance(value, opengov.Blank):
        row.update(state="blank", text="")
    elif value is None:
        row.update(state="absent", text="")
    else:
        row.update(state="number", number=value, text=str(value))
    return row


@given(reports=st.lists(testing.any_reports(absent=True), min_size=1, max_size=4))
def test_cells_table_is_every_cell_by_its_plain_definition(reports: list[opengov.Report]) -> None:
    tables = opengov.to_arrow(reports, ids=[10 * (i + 1) for i in range(len(reports))])
    expected = [
        _expected_cell(10 * (i + 1), cell, cell.value) for i, report in enumerate(reports) for cell in report.cells()
    ]
    got = tables.cells.to_pylist()
    assert got == expected
    # exact amounts: the decimal column holds the amount's value
    for row, want in zip(got, expected, strict=True):
        if row["state"] == "amount":
            assert Decimal(row["amount"]) == want["amount"]


@st.composite
def _with_group_total(draw: st.DrawFn) -> opengov.Report:
    """A 2021 report whose table 3 holds a printed group total (（六）其他处理 printed as one
    row), its cells in every state, one at least printed."""
    report = draw(testing.any_reports("2021", absent=True))
    columns = [c.key for c in opengov.layout.layout_for("2021").table3.columns]
    cells = {c: draw(testing.cell_values(absent=True)) for c in columns}
    cells[draw(st.sampled_from(columns))] = draw(st.integers(0, 999))
    table3 = attrs.evolve(report.table3, other_processing=opengov.ApplicantCounts(**cells))
    return attrs.evolve(report, table3=table3)


@given(reports=st.lists(st.one_of(_with_group_total(), testing.any_reports()), min_size=1, max_size=3))
def test_cells_table_holds_a_printed_group_total_after_the_tables(reports: list[opengov.Report]) -> None:
    """A printed group total's seven cells follow the report's table cells, labelled as its
    group (row ``other_processing``, （六）其他处理)."""
    tables = opengov.to_arrow(reports)
    expected = []
    for n, report in enumerate(reports, 1):
        expected += [_expected_cell(n, cell, cell.value) for cell in report.cells()]
        total = report.table3.other_processing if isinstance(report.table3, opengov.Applications2021) else None
        if total is not None:
            for spec in opengov.layout.cell_index("2021").group_totals:
                expected.append(_expected_cell(n, spec, getattr(total, spec.column)))
    assert tables.cells.to_pylist() == expected


def test_to_arrow_tables_have_the_documented_schema() -> None:
    tables = opengov.to_arrow([reference()])
    label = pa.dictionary(pa.int32(), pa.string())
    cells = tables.cells.schema
    assert cells.field("report").type == pa.int64()
    assert cells.field("number").type == pa.int64()
    assert cells.field("amount").type == pa.decimal128(36, 18)
    for name in ("table", "block", "row", "row_label", "column", "column_label", "state", "unit"):
        assert cells.field(name).type == label, name
    assert tables.reports.schema.field("year").type == pa.int32()
    assert tables.findings.schema.field("expected").type == pa.int64()
    fees = [r for r in tables.cells.to_pylist() if r["row"] == "fees"]
    assert [(r["state"], r["amount"], r["unit"], r["text"]) for r in fees] == [
        ("amount", Decimal(1341), "万元", "1341万元")
    ]
    assert [tables[name].num_rows for name in TABLES] == [
        1,
        sum(1 for _ in reference().cells()),
        tables.prose.num_rows,
        0,
        0,
    ]
    with pytest.raises(KeyError):
        tables["_carry"]


def test_to_arrow_adds_the_year_to_year_findings_of_consecutive_years() -> None:
    last = variant(ORGANS[0], 2022)
    this = variant(ORGANS[0], 2023).with_cell("table3", "carried_over", "natural_person", 99)
    tables = opengov.to_arrow([last, this])
    pairs = [r for r in tables.findings.to_pylist() if r["previous"] is not None]
    assert {(r["report"], r["previous"], r["rule"], r["column"]) for r in pairs} >= {
        (2, 1, "carry-over", "natural_person")
    }
    assert not [r for r in opengov.to_arrow([last, this], pairs=False).findings.to_pylist() if r["previous"]]
    with pytest.raises(ValueError, match="distinct"):
        opengov.to_arrow([last, this], ids=[1, 1])
    with pytest.raises(TypeError):
        opengov.to_arrow(["not a report"])  # type: ignore[list-item]


def test_to_duckdb_registers_the_tables() -> None:
    pytest.importorskip("duckdb")
    con = opengov.to_arrow([reference()]).to_duckdb()
    table3 = sum(1 for cell in reference().cells() if cell.table == "table3")
    assert con.execute("SELECT count(*) FROM cells WHERE \"table\" = 'table3'").fetchone() == (table3,)
    total = con.execute("SELECT number FROM cells WHERE \"row\" = 'total_handled' AND \"column\" = 'total'").fetchone()
    assert total == (reference().cell("table3", "total_handled", "total"),)


# ---------------------------------------------------------------------------------------
# The batch's columnar outputs
# ---------------------------------------------------------------------------------------


def test_parquet_output_holds_what_the_csv_holds(outputs: dict[str, Path]) -> None:
    tables = parquet_tables(outputs["parquet"])
    reports = tables["reports"].to_pylist()
    read = sorted((r for r in reports if r["status"] == "read"), key=lambda r: r["report"])
    # the CSV numbers the reports read 1, 2, 3 …; the columnar output numbers every document
    number = {r["report"]: n for n, r in enumerate(read, 1)}
    csv_cells = {}
    csv_prose = {}
    with outputs["csv"].open(encoding="utf-8", newline="") as handle:
        for line in csv.DictReader(handle):
            key = (int(line["report"]), line["table"], line["row"], line["column"])
            if line["table"] == "prose":
                csv_prose[key] = line["text"]
            else:
                csv_cells[key] = (line["state"], line["value"], line["unit"], line["text"])
    cells = {}
    for row in tables["cells"].to_pylist():
        value = row["number"] if row["state"] == "number" else row["amount"]
        digits = "" if value is None else str(value)
        if row["state"] == "amount":
            digits = row["text"].removesuffix(row["unit"] or "")
        key = (number[row["report"]], row["table"], row["row"], row["column"])
        cells[key] = (row["state"], digits, row["unit"] or "", row["text"])
    assert cells == csv_cells
    prose = {
        (number[r["report"]], "prose", r["section"], str(r["number"])): r["text"] for r in tables["prose"].to_pylist()
    }
    assert prose == csv_prose


def test_parquet_findings_are_the_findings_csv(outputs: dict[str, Path]) -> None:
    tables = parquet_tables(outputs["parquet"])
    path = {r["report"]: r["path"] for r in tables["reports"].to_pylist()}
    got = sorted(
        (path[r["report"]], r["rule"], r["severity"], r["table"] or "", r["row"] or "", r["column"] or "",
         r["printed"] or "", "" if r["expected"] is None else str(r["expected"]),
         "" if r["difference"] is None else str(r["difference"]), r["message_en"], r["location"])
        for r in tables["findings"].to_pylist()
    )  # fmt: skip
    with outputs["findings"].open(encoding="utf-8", newline="") as handle:
        want = sorted(
            (r["file"], r["rule"], r["severity"], r["table"], r["row"], r["column"], r["printed"], r["expected"],
             r["difference"], r["message_en"], r["location"])
            for r in csv.DictReader(handle)
        )  # fmt: skip
    assert got == want
    assert any(r["previous"] is not None for r in tables["findings"].to_pylist())


def test_reports_table_lists_every_document_with_its_status(outputs: dict[str, Path], folder: Path) -> None:
    tables = parquet_tables(outputs["parquet"])
    reports = sorted(tables["reports"].to_pylist(), key=lambda r: r["report"])
    files = [str(p) for p in _walked(folder)]
    assert [r["path"] for r in reports] == files  # ids 1, 2, 3 … in the order of the files
    assert [r["report"] for r in reports] == list(range(1, len(files) + 1))
    unreadable = {Path(r["path"]).name: r["reason"] for r in reports if r["status"] == "unreadable"}
    assert set(unreadable) == {"broken.html", "empty.txt"}
    assert all(unreadable.values())
    for r in reports:
        data = Path(r["path"]).read_bytes()
        assert r["size"] == len(data)
        assert r["mtime_ns"] == Path(r["path"]).stat().st_mtime_ns
        if r["status"] == "read":
            import hashlib

            assert r["sha256"] == hashlib.sha256(data).hexdigest()
            assert r["table3"] is True


def _walked(folder: Path) -> list[Path]:
    from opengov._batch import walk

    return [Path(p) for p in walk([str(folder)])]


def test_duckdb_output_equals_the_parquet_output(outputs: dict[str, Path]) -> None:
    same_rows(parquet_tables(outputs["parquet"]), duckdb_tables(outputs["duckdb"]))


BALANCE_QUERY = re.compile(r"```sql\n(?P<sql>.*?)```", re.S)


def _documented_sql(title: str) -> str:
    page = (ROOT / "docs" / "columnar.md").read_text(encoding="utf-8")
    section = page[page.index(title) :]
    match = BALANCE_QUERY.search(section)
    assert match is not None
    return match["sql"]


def test_the_documented_query_finds_every_report_whose_table3_does_not_balance(outputs: dict[str, Path]) -> None:
    duckdb = pytest.importorskip("duckdb")
    sql = _documented_sql("## Every report whose table 3 does not balance")
    with duckdb.connect(str(outputs["duckdb"]), read_only=True) as con:
        found = con.execute(sql).fetchall()
    # by hand: the two unbalanced reports, natural-person column (and its total), by how much
    # (new + carried over − handled − carried forward = −(printed − expected))
    want = sorted(
        (organ, year, column, -delta)
        for (organ, year), delta in UNBALANCED.items()
        for column in ("natural_person", "total")
    )
    assert sorted((r[2], r[3], r[4], r[5]) for r in found) == want
    with duckdb.connect(str(outputs["duckdb"]), read_only=True) as con:
        by_findings = con.execute(
            "SELECT DISTINCT r.organ, r.year FROM findings f JOIN reports r USING (report) WHERE f.rule = 't3-balance'"
        ).fetchall()
    assert sorted(by_findings) == sorted(UNBALANCED)


def test_the_documented_query_runs_on_the_parquet_output_too(outputs: dict[str, Path], tmp_path: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    sql = _documented_sql("## Every report whose table 3 does not balance")
    with duckdb.connect() as con:
        for name in TABLES:
            con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{outputs['parquet']}/{name}/*.parquet')")
        assert len(con.execute(sql).fetchall()) == 2 * len(UNBALANCED)


def test_parquet_is_a_tenth_of_the_long_csv_or_less(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(120):
        report = variant(ORGANS[i % 3], 2000 + i // 3, shift=i % 5)
        (folder / f"{i:03d}.json").write_text(opengov.dumps(report), encoding="utf-8")
    batch(str(folder), "--out", str(tmp_path / "r.csv"))
    batch(str(folder), "--out", str(tmp_path / "r.parquet"))
    size = sum(p.stat().st_size for p in (tmp_path / "r.parquet").rglob("*") if p.is_file())
    assert size * 10 <= (tmp_path / "r.csv").stat().st_size


def test_csv_options_are_refused_with_a_columnar_output(tmp_path: Path, folder: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["batch", str(folder), "--out", str(tmp_path / "r.parquet"), "--findings", "f.csv"])
    assert result.exit_code == 2
    assert "--findings is for CSV output" in result.output
    result = runner.invoke(main, ["batch", str(folder), "--out", str(tmp_path / "r.duckdb"), "--bom"])
    assert result.exit_code == 2
    assert not (tmp_path / "r.duckdb").exists()


def test_an_output_that_is_not_opengov_s_is_refused(tmp_path: Path, folder: Path) -> None:
    (tmp_path / "r.parquet").mkdir()
    (tmp_path / "r.parquet" / "mine.txt").write_text("keep me", encoding="utf-8")
    result = CliRunner().invoke(main, ["batch", str(folder), "--out", str(tmp_path / "r.parquet")])
    assert result.exit_code == 2
    assert "not an opengov Parquet output" in result.output
    assert (tmp_path / "r.parquet" / "mine.txt").read_text(encoding="utf-8") == "keep me"


def test_csv_output_is_written_under_a_working_name_and_renamed(tmp_path: Path) -> None:
    from opengov import _sinks

    sink = _sinks.open_sink(str(tmp_path / "r.csv"), str(tmp_path / "f.csv"))
    assert not (tmp_path / "r.csv").exists()
    assert (tmp_path / ".r.csv.partial").exists()
    sink.close(complete=False)  # interrupted: nothing published, nothing left
    assert sorted(p.name for p in tmp_path.iterdir()) == []
    sink = _sinks.open_sink(str(tmp_path / "r.csv"), str(tmp_path / "f.csv"))
    sink.close(complete=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.csv", "r.csv"]


def test_an_output_inside_the_folder_is_not_read_as_input(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(REFERENCE, folder / "a.txt")
    batch(str(folder), "--out", str(folder / "r.parquet"))
    result = batch(str(folder), "--out", str(folder / "r.parquet"))
    assert "1 file(s): 0 read" in result.stderr
    assert "1 unchanged" in result.stderr


def test_docs_code_blocks_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Every Python block of docs/columnar.md runs as written (in a folder holding the
    batch's outputs; a block needing a module that is not installed is skipped)."""
    page = (ROOT / "docs" / "columnar.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", page, re.S)
    assert blocks
    monkeypatch.chdir(tmp_path)
    shutil.copytree(folder, tmp_path / "reports")
    (tmp_path / "examples").mkdir()
    shutil.copy(ROOT / "examples" / "zhapu-2023.txt", tmp_path / "examples")
    batch("reports", "--out", "reports.parquet")
    pytest.importorskip("duckdb")
    batch("reports", "--out", "reports.duckdb")
    ran = 0
    for block in blocks[1:]:  # the first makes outputs of the example report: here the batch made them
        modules = re.findall(r"^(?:import|from) (\w+)", block, re.M)
        if any(_missing(m) for m in modules):
            continue
        exec(compile(block, "docs/columnar.md", "exec"), {"__name__": "__docs__"})
        ran += 1
    assert ran >= 3


def _missing(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is None


def test_findings_csv_lines_are_the_batch_s(outputs: dict[str, Path]) -> None:
    """The findings CSV keeps its bytes: header, then lines as csv.writer writes them."""
    text = outputs["findings"].read_text(encoding="utf-8")
    assert text.startswith("file,organ,year,rule,severity,")
    assert list(csv.reader(io.StringIO(text)))[1:]


def test_the_analysis_example_computes_and_draws_the_batch(outputs: dict[str, Path], tmp_path: Path) -> None:
    pytest.importorskip("duckdb")
    pytest.importorskip("matplotlib", reason="the example needs matplotlib: pip install 'opengov[analysis]'")
    import runpy

    namespace = runpy.run_path(str(ROOT / "examples" / "analysis.py"))
    data = namespace["figures"](outputs["duckdb"])
    # the same figures from the Parquet output, in Python
    tables = parquet_tables(outputs["parquet"])
    read = [r for r in tables["reports"].to_pylist() if r["status"] == "read"]
    errors = [f for f in tables["findings"].to_pylist() if f["severity"] == "error"]
    with_errors = {f["report"] for f in errors}
    years = sorted({r["year"] for r in read})
    want = [
        (
            y,
            sum(1 for r in read if r["year"] == y and r["report"] in with_errors)
            / sum(1 for r in read if r["year"] == y),
        )
        for y in years
    ]
    # pytest 9.2's approx takes no nested sequences: years exactly, shares approximately
    assert [y for y, _ in data["by_year"]] == [y for y, _ in want]
    assert [share for _, share in data["by_year"]] == pytest.approx([share for _, share in want])
    rules = {f["rule"] for f in errors}
    by_rule = {rule: len({f["report"] for f in errors if f["rule"] == rule}) / len(read) for rule in rules}
    assert dict(data["by_rule"]) == pytest.approx(by_rule)
    assert "t3-balance" in by_rule
    applications = sorted(
        c["number"]
        for c in tables["cells"].to_pylist()
        if (c["table"], c["row"], c["column"]) == ("table3", "new_received", "total")
    )
    assert sorted(data["applications"]) == applications
    png = tmp_path / "analysis.png"
    namespace["draw"](data, png)
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert "reports read: " in namespace["report_text"](data)


def test_to_arrow_refuses_rows_whose_cells_are_not_cell_values() -> None:
    rows = opengov.document_rows(REFERENCE.read_bytes())
    bad = attrs.evolve(rows, cells=(1.5, *rows.cells[1:]))
    with pytest.raises(TypeError, match="not a cell value"):
        opengov.to_arrow([bad])
    assert opengov.to_arrow([rows]).cells.num_rows == len(rows.cells)
