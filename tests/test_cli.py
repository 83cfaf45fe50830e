"""The command line, through click's test runner and one real run of the installed script."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import opengov
from budget import examples
from opengov import _batch
from opengov._cli import main
from opengov.testing import any_reports

DATA = Path(__file__).resolve().parent / "data"
REFERENCE = DATA / "zhapu-2023.txt"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def inconsistent(tmp_path: Path) -> Path:
    """The reference report with （一）予以公开/自然人 printed as 20 instead of 19, as JSON."""
    report = opengov.read(REFERENCE).report.with_cell("table3", "granted", "natural_person", 20)
    path = tmp_path / "inconsistent.json"
    path.write_text(opengov.dumps(report), encoding="utf-8")
    return path


def test_parse_prints_the_reports_json(runner: CliRunner) -> None:
    result = runner.invoke(main, ["parse", str(REFERENCE)])
    assert result.exit_code == 0, result.output
    assert opengov.loads(result.stdout) == opengov.read(REFERENCE).report
    assert "[label-annotation]" in result.stderr


def test_parse_reads_standard_input(runner: CliRunner) -> None:
    result = runner.invoke(main, ["parse", "-"], input=REFERENCE.read_bytes())
    assert result.exit_code == 0, result.output
    assert opengov.loads(result.stdout).organ == "浙江乍浦经济开发区（嘉兴港区）"


def test_parse_strict_fails_on_diagnostics(runner: CliRunner, tmp_path: Path) -> None:
    text = REFERENCE.read_text(encoding="utf-8").replace("\t22738", "\t22738件件")
    path = tmp_path / "odd.txt"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(main, ["parse", "--strict", str(path)])
    assert result.exit_code == 2
    assert "strict mode" in result.stderr


def test_check_clean_report_exits_0(runner: CliRunner) -> None:
    result = runner.invoke(main, ["check", str(REFERENCE)])
    assert result.exit_code == 0, result.output
    assert result.stderr == f"{REFERENCE}：检查结果 0 条，其中错误 0 条\n"
    english = runner.invoke(main, ["check", str(REFERENCE), "--lang", "en"])
    assert english.stderr == f"{REFERENCE}: 0 finding(s), 0 error(s)\n"


def test_check_inconsistent_report_exits_1_and_names_the_cell(runner: CliRunner, inconsistent: Path) -> None:
    result = runner.invoke(main, ["check", str(inconsistent), "--format", "json"])
    assert result.exit_code == 1, result.output
    records = json.loads(result.stdout)
    row_totals = [r for r in records if r["rule"] == "t3-row-total"]
    assert [(r["row"], r["column"], r["printed"], r["expected"], r["difference"]) for r in row_totals] == [
        ("granted", "total", 20, 21, -1)
    ]
    assert any(r["rule"] == "t3-culprit" and r["column"] == "natural_person" for r in records)


def test_check_with_previous_year(runner: CliRunner, tmp_path: Path) -> None:
    this_year = opengov.read(REFERENCE).report
    last_year = this_year.with_cell("table3", "carried_forward", "natural_person", 3)
    last_year = last_year.with_cell("table3", "carried_forward", "total", 3)
    previous = tmp_path / "2022.json"
    previous.write_text(opengov.dumps(last_year.__class__(**{**_fields(last_year), "year": 2022})), encoding="utf-8")
    result = runner.invoke(main, ["check", str(REFERENCE), "--previous", str(previous), "--format", "json"])
    assert result.exit_code == 1
    carry = [r for r in json.loads(result.stdout) if r["rule"] == "carry-over"]
    assert {(r["column"], r["difference"]) for r in carry} == {("natural_person", -2), ("total", -2)}


def _fields(report: opengov.Report) -> dict[str, object]:
    import attrs

    return {f.name: getattr(report, f.name) for f in attrs.fields(type(report))}


def test_unreadable_input_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "nothing.txt"
    path.write_text("这不是一份年度报告。", encoding="utf-8")
    result = runner.invoke(main, ["check", str(path)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: cannot read {path}:")
    missing = runner.invoke(main, ["check", str(tmp_path / "absent.txt")])
    assert missing.exit_code == 2
    absent = tmp_path / "absent.txt"
    assert missing.stderr == f"Error: cannot read {absent}: no such file (give a path, or - for standard input)\n"


def test_render_prints_the_official_layout(runner: CliRunner) -> None:
    result = runner.invoke(main, ["render", str(REFERENCE), "--to", "text"])
    assert result.exit_code == 0, result.output
    assert result.stdout == opengov.render(opengov.read(REFERENCE).report, to="text")
    ascii_ = runner.invoke(main, ["render", str(REFERENCE), "--ascii"])
    assert "┌" not in ascii_.stdout
    assert "+--" in ascii_.stdout


def test_render_to_docx_writes_a_word_file_that_reads_back(runner: CliRunner) -> None:
    pytest.importorskip("docx", reason="the docx extra (python-docx) is not installed")
    result = runner.invoke(main, ["render", str(REFERENCE), "--to", "docx"])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.startswith(b"PK\x03\x04")
    assert opengov.parse(result.stdout_bytes).report == opengov.read(REFERENCE).report


def test_convert_to_csv_and_back(runner: CliRunner) -> None:
    result = runner.invoke(main, ["convert", str(REFERENCE), "--to", "csv", "--bom"])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.startswith("\ufeff".encode())
    assert opengov.from_csv(result.stdout_bytes) == [opengov.read(REFERENCE).report]


def test_convert_json_input_to_html(runner: CliRunner, inconsistent: Path) -> None:
    result = runner.invoke(main, ["convert", str(inconsistent), "--to", "html"])
    assert result.exit_code == 0, result.output
    assert "rowspan" in result.stdout
    assert opengov.parse(result.stdout).report == opengov.loads(inconsistent.read_text(encoding="utf-8"))


@pytest.mark.parametrize("command", ["parse", "check", "render", "convert", "batch"])
def test_every_command_has_help_with_an_example(runner: CliRunner, command: str) -> None:
    result = runner.invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output
    assert f"opengov {command}" in result.output


def test_batch_over_a_folder_mixing_good_inconsistent_and_unreadable(
    runner: CliRunner, tmp_path: Path, inconsistent: Path
) -> None:
    folder = tmp_path / "reports"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(REFERENCE, folder / "zhapu-2023.txt")
    shutil.copy(inconsistent, folder / "sub" / "inconsistent.json")
    (folder / "broken.html").write_text("<html><body><p>没有表格</p></body></html>", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    last_year = opengov.read(REFERENCE).report
    last_year = opengov.Report(**{**_fields(last_year), "year": 2022, "title": "x"})
    # last year carried 5 natural-person applications forward (total 1): this year's 二、上年结转
    # prints 1 and 1, so only the natural_person column disagrees
    last_year = last_year.with_cell("table3", "carried_forward", "natural_person", 5)
    last_year = last_year.with_cell("table3", "carried_forward", "total", 1)
    (folder / "zhapu-2022.json").write_text(opengov.dumps(last_year), encoding="utf-8")
    out, findings = tmp_path / "reports.csv", tmp_path / "findings.csv"
    result = runner.invoke(main, ["batch", str(folder), "--out", str(out), "--findings", str(findings), "--jobs", "2"])
    assert result.exit_code == 1, result.output  # some files failed (each listed), the others written
    assert "5 file(s): 3 read" in result.stderr
    assert "2 unreadable" in result.stderr
    assert "1 consecutive-year pair(s) checked" in result.stderr
    # each failure's whole reason: every problem the reader listed, with its code
    lines = result.stderr.splitlines()
    broken = next(line for line in lines if line.startswith("unreadable: ") and "broken.html" in line)
    assert "[html-no-tables]" in broken
    assert "[unknown-format]" in broken
    reports = opengov.from_csv(out.read_text(encoding="utf-8"))
    assert sorted((r.organ, r.year) for r in reports) == [
        ("浙江乍浦经济开发区（嘉兴港区）", 2022),
        ("浙江乍浦经济开发区（嘉兴港区）", 2023),
        ("浙江乍浦经济开发区（嘉兴港区）", 2023),
    ]
    rows = list(csv.DictReader(io.StringIO(findings.read_text(encoding="utf-8"))))
    assert any(r["rule"] == "t3-row-total" and r["file"].endswith("inconsistent.json") for r in rows)
    carry = [r for r in rows if r["rule"] == "carry-over"]
    assert carry
    assert [(r["column"], r["difference"]) for r in carry] == [("natural_person", "-4")]
    assert all(r["year"] == "2023" for r in carry)


SRC = Path(__file__).resolve().parent.parent / "src"


def run_opengov(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """``python -m opengov ARGS`` in a real process running this checkout's code (what the
    ``opengov`` script runs: pyproject's entry point is ``opengov.__main__:main``)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    env.pop("OPENGOV_DEBUG", None)
    env.pop("OPENGOV_LANG", None)
    return subprocess.run(
        [sys.executable, "-m", "opengov", *args], capture_output=True, text=True, timeout=120, env=env, **kwargs
    )


def test_the_script_runs_in_a_real_process() -> None:
    proc = run_opengov("check", str(REFERENCE), "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == f"{REFERENCE}: 0 finding(s), 0 error(s)\n"
    pyproject = (SRC.parent / "pyproject.toml").read_text(encoding="utf-8")
    assert 'opengov = "opengov.__main__:main"' in pyproject


# ---------------------------------------------------------------------------------------
# The batch module: transport, walking, the run
# ---------------------------------------------------------------------------------------

ODD = st.lists(st.sampled_from(["a", "局", ",", '"', "\n", "\r", "\x00", "\x00,"]), max_size=5).map("".join)


@settings(max_examples=40)
@given(any_reports(absent=True), ODD, st.lists(ODD, max_size=3), st.integers(1, 10**6))
def test_packed_lines_number_like_the_reports_csv_lines(
    report: opengov.Report, organ: str, prose: list[str], number: int
) -> None:
    """A worker's packed lines give the parent exactly the report's lines under its number
    (a line holding a NUL makes the report travel as its list of lines)."""
    report = attrs.evolve(report, organ=organ, other_matters=tuple(prose))
    packed = _batch.pack_lines(report)
    assert packed.numbered(number) == "".join(opengov.csv_lines(report, number)).encode("utf-8")
    text = "".join(opengov.csv_lines(report, number))
    # the lines travel in pieces unless a field holds a NUL (the lines listed) or a \r (its
    # line quoted apart by the CSV writer: the lines whole)
    if "\x00" in text:
        assert isinstance(packed, _batch.ListedLines)
    elif "\r" in text:
        assert isinstance(packed, _batch.SlottedLines)
    else:
        assert isinstance(packed, _batch.TemplatedLines)


_FIELD_VALUES = st.none() | st.integers() | st.booleans() | ODD | st.text(max_size=6)


@settings(max_examples=examples(300))
@given(st.lists(_FIELD_VALUES, min_size=2, max_size=16))
def test_a_findings_csv_line_is_what_the_csv_writer_writes(values: list[_batch.FieldValue]) -> None:
    """The findings CSV's lines are made without the standard library's writer (which goes
    through a long text a character at a time); they are what it writes."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerow(values)
    assert _batch.csv_line(values) == buffer.getvalue()


@given(
    any_reports(absent=True),
    st.lists(st.sampled_from(["本年度收到申请12件，其中行政复议3件。", '"引号",', "a,b\r\nc", "未收到"]), max_size=3),
    ODD,
    ODD,
    st.none() | st.integers(1900, 2100),
)
def test_the_findings_csv_is_each_finding_through_the_csv_line(
    report: opengov.Report, prose: list[str], file: str, organ: str, year: int | None
) -> None:
    """:func:`_batch.findings_csv` makes a line of pieces, with cached encodings of a
    finding's names and messages: the lines are those of its definition."""
    findings = opengov.check(attrs.evolve(report, overview=tuple(prose)))
    plain = "".join(_batch.csv_line(_batch._finding_row(f, file, organ, year)) for f in findings)
    assert _batch.findings_csv(findings, file, organ, year) == plain
    assert _batch.findings_csv(findings, file, organ, year) == plain  # the encodings now cached


def test_walk_gives_files_in_sorted_order_without_hidden_files(tmp_path: Path) -> None:
    for name in ("b/2.txt", "b/1.txt", "a.txt", ".hidden", "c/.x/3.txt", "c/4.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    got = [Path(p).relative_to(tmp_path).as_posix() for p in _batch.walk([str(tmp_path)])]
    # a folder's files (sorted) before its subfolders (sorted); hidden files left out, hidden folders walked
    assert got == ["a.txt", "b/1.txt", "b/2.txt", "c/4.txt", "c/.x/3.txt"]
    assert list(_batch.walk(["no-such-file.txt"])) == ["no-such-file.txt"]  # reported unreadable by the run


def test_run_yields_each_file_in_order_then_the_pairs_and_a_summary(tmp_path: Path) -> None:
    this_year = opengov.read(REFERENCE).report
    last_year = attrs.evolve(this_year, year=2022).with_cell("table3", "carried_forward", "natural_person", 5)
    (tmp_path / "2022.json").write_text(opengov.dumps(last_year), encoding="utf-8")
    files = [str(tmp_path / "2022.json"), str(tmp_path / "missing.txt"), str(REFERENCE)]
    events = list(_batch.run(files, jobs=1))
    kinds = [type(e).__name__ for e in events]
    assert kinds == ["Read", "Unreadable", "Read", "PairFindings", "Summary"]
    first, missing, second, pairs, summary = events
    assert isinstance(first, _batch.Read)
    assert isinstance(second, _batch.Read)
    assert (first.number, second.number) == (1, 2)
    assert first.csv() == "".join(opengov.csv_lines(last_year, 1)).encode("utf-8")
    assert second.csv() == "".join(opengov.csv_lines(this_year, 2)).encode("utf-8")
    assert isinstance(missing, _batch.Unreadable)
    assert missing.file.endswith("missing.txt")
    assert isinstance(pairs, _batch.PairFindings)
    assert b",carry-over," in pairs.findings
    # last year's 结转 row no longer adds up: one report with error findings
    assert summary == _batch.Summary(files=3, read=2, with_errors=1, unreadable=1, pairs=1)
    assert [type(e).__name__ for e in _batch.run(files, jobs=1, pairs=False)][-2:] == ["Read", "Summary"]
