"""The command line reads each input as what it is: a document, opengov's own JSON, or its
CSV (long or wide, one report or several); other inputs are refused in one clear line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import opengov
from opengov import _inputs
from opengov._cli import main
from opengov._serialize.csv_specs import without_prose
from opengov.testing import any_reports

DATA = Path(__file__).resolve().parent / "data"
REFERENCE = DATA / "zhapu-2023.txt"
ERROR = opengov.Severity.ERROR
Several = tuple[Path, list[opengov.Report]]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def reference() -> opengov.Report:
    return opengov.read(REFERENCE).report


@pytest.fixture
def two_reports(tmp_path: Path, reference: opengov.Report) -> Several:
    """A long CSV of two reports: the reference and the reference with one cell changed."""
    second = reference.with_cell("table3", "granted", "natural_person", 20)
    path = tmp_path / "two.csv"
    path.write_text(opengov.to_csv([reference, second]), encoding="utf-8")
    return path, [reference, second]


# ---------------------------------------------------------------------------------------
# opengov's own JSON and CSV, in every command
# ---------------------------------------------------------------------------------------


def _written(report: opengov.Report, form: str, folder: Path, name: str) -> Path:
    text = {
        "json": lambda: opengov.dumps(report),
        "long": lambda: opengov.to_csv([report], shape="long"),
        "wide": lambda: opengov.to_csv([report], shape="wide"),
    }[form]()
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@settings(max_examples=15)
@given(report=any_reports(absent=True), form=st.sampled_from(["json", "long", "wide"]), named=st.booleans())
def test_parse_reads_json_and_csv_as_the_report_they_hold(
    tmp_path_factory: pytest.TempPathFactory, report: opengov.Report, form: str, named: bool
) -> None:
    """Whatever the file is called (``.json``/``.csv`` or ``.txt``), its content is read as
    opengov's JSON or CSV: parse gives the report back exactly."""
    folder = tmp_path_factory.mktemp("inputs")
    suffix = (".json" if form == "json" else ".csv") if named else ".txt"
    path = _written(report, form, folder, "report" + suffix)
    result = CliRunner().invoke(main, ["parse", str(path)])
    assert result.exit_code == 0, result.output
    # the wide layout keeps no prose (docs/csv.md)
    assert opengov.loads(result.stdout) == (without_prose(report) if form == "wide" else report)
    assert result.stderr == ""  # no diagnostics: nothing was parsed as prose


@pytest.mark.parametrize("form", ["json", "long", "wide"])
def test_standard_input_holding_json_or_csv(
    runner: CliRunner, reference: opengov.Report, form: str, tmp_path: Path
) -> None:
    data = _written(reference, form, tmp_path, "x").read_bytes()
    result = runner.invoke(main, ["parse", "-"], input=data)
    assert result.exit_code == 0, result.output
    assert opengov.loads(result.stdout) == (without_prose(reference) if form == "wide" else reference)


def test_check_render_and_convert_read_a_csv_as_its_report(
    runner: CliRunner, reference: opengov.Report, tmp_path: Path
) -> None:
    path = _written(reference, "long", tmp_path, "one.csv")
    check = runner.invoke(main, ["check", str(path), "--format", "json"])
    assert check.exit_code == 0, check.output
    records = [(r["rule"], r["table"], r["row"], r["column"]) for r in __import__("json").loads(check.stdout)]
    assert records == [
        (f.rule, f.table, f.row, f.column) for f in opengov.check(opengov.ParseResult(report=reference, form="csv"))
    ]
    render = runner.invoke(main, ["render", str(path)])
    assert render.exit_code == 0, render.output
    assert render.stdout == opengov.render(reference, to="text")
    convert = runner.invoke(main, ["convert", str(path), "--to", "json"])
    assert convert.exit_code == 0, convert.output
    assert opengov.loads(convert.stdout) == reference


def test_a_csv_of_several_reports_needs_a_choice(runner: CliRunner, two_reports: Several) -> None:
    path, reports = two_reports
    for command in (["parse"], ["check"], ["render"], ["convert", "--to", "json"]):
        result = runner.invoke(main, [*command, str(path)])
        assert result.exit_code == 2, (command, result.output)
        assert result.stderr == f"Error: {path} holds 2 reports (a CSV of several): choose one with --report N (1–2)\n"
    for number, report in enumerate(reports, 1):
        result = runner.invoke(main, ["parse", str(path), "--report", str(number)])
        assert result.exit_code == 0, result.output
        assert opengov.loads(result.stdout) == report
    second = runner.invoke(main, ["check", str(path), "--report", "2", "--lang", "en"])
    assert second.exit_code == 1  # the changed cell breaks its row and column
    assert "[t3-row-total: table3/granted/total]" in second.stdout
    beyond = runner.invoke(main, ["parse", str(path), "--report", "3"])
    assert beyond.exit_code == 2
    assert beyond.stderr == f"Error: --report: {path} holds 2 report(s): there is no report 3\n"


def test_convert_takes_a_csv_of_several_whole_to_csv(runner: CliRunner, two_reports: Several, tmp_path: Path) -> None:
    path, reports = two_reports
    wide = tmp_path / "wide.csv"
    result = runner.invoke(main, ["convert", str(path), "--shape", "wide", "-o", str(wide)])
    assert result.exit_code == 0, result.output
    assert wide.read_text(encoding="utf-8") == opengov.to_csv(reports, shape="wide")
    back = runner.invoke(main, ["convert", str(wide), "--to", "csv"])
    assert back.stdout == opengov.to_csv([without_prose(r) for r in reports])  # the wide layout keeps no prose
    one = runner.invoke(main, ["convert", str(path), "--report", "2", "--to", "csv"])
    assert one.stdout == opengov.to_csv([reports[1]])


def test_a_header_only_csv_holds_no_report(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text(opengov.to_csv([]), encoding="utf-8")
    for command in (["parse"], ["convert", "--to", "csv"]):
        result = runner.invoke(main, [*command, str(path)])
        assert result.exit_code == 2
        assert result.stderr == (
            f"Error: cannot read {path}: invalid report data: the CSV holds no report (only its header line)\n"
        )


# ---------------------------------------------------------------------------------------
# Other inputs: refused in one line, with what to do
# ---------------------------------------------------------------------------------------


def test_a_json_or_csv_that_is_not_opengovs_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    foreign_csv = tmp_path / "statistics.csv"
    foreign_csv.write_text("地区,申请数\n乍浦,38\n", encoding="utf-8")
    result = runner.invoke(main, ["parse", str(foreign_csv)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: cannot read {foreign_csv}: invalid report data: line 1: not an opengov")
    assert result.stdout == ""
    foreign_json = tmp_path / "figures.json"
    foreign_json.write_text('{"granted": 19}', encoding="utf-8")
    result = runner.invoke(main, ["convert", str(foreign_json), "--to", "text"])
    assert result.exit_code == 2
    *problems, last = result.stderr.splitlines()
    assert last == f"Error: cannot read {foreign_json}: invalid report data ({len(problems)} problems above)"
    assert problems
    assert all(line.startswith(f"{foreign_json}: ") for line in problems)
    not_json = tmp_path / "broken.json"
    not_json.write_text("[1, 2", encoding="utf-8")
    result = runner.invoke(main, ["check", str(not_json)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: cannot read {not_json}: invalid report data: not JSON")


def test_form_overrides_detection(runner: CliRunner, reference: opengov.Report, tmp_path: Path) -> None:
    json_named_txt = _written(reference, "json", tmp_path, "report.txt")
    as_json = runner.invoke(main, ["parse", str(json_named_txt), "--form", "json"])
    assert opengov.loads(as_json.stdout) == reference
    as_csv = runner.invoke(main, ["parse", str(json_named_txt), "--form", "csv"])
    assert as_csv.exit_code == 2
    assert "not an opengov CSV header" in as_csv.stderr
    # a report's text in a file named .csv: the name says CSV, --form text reads it as text
    text_named_csv = tmp_path / "report.csv"
    text_named_csv.write_bytes(REFERENCE.read_bytes())
    assert runner.invoke(main, ["parse", str(text_named_csv)]).exit_code == 2
    as_text = runner.invoke(main, ["parse", str(text_named_csv), "--form", "text"])
    assert as_text.exit_code == 0, as_text.output
    assert opengov.loads(as_text.stdout) == reference
    unknown = runner.invoke(main, ["parse", str(REFERENCE), "--form", "xls"])
    assert unknown.exit_code == 2
    assert "'xls' is not one of" in unknown.stderr


def test_missing_file_directory_and_unknown_bytes(runner: CliRunner, tmp_path: Path) -> None:
    missing = runner.invoke(main, ["parse", "这不是文件.txt"])
    assert missing.exit_code == 2
    assert missing.stderr == "Error: cannot read 这不是文件.txt: no such file (give a path, or - for standard input)\n"
    folder = runner.invoke(main, ["check", str(tmp_path)])
    assert folder.exit_code == 2
    assert folder.stderr == (
        f"Error: cannot read {tmp_path}: {tmp_path} is a directory: only regular files are read [not-a-file]; "
        f"to read every report in a folder: opengov batch {tmp_path}\n"
    )
    image = tmp_path / "data.bin"
    image.write_bytes(b"\x80\xff" * 50)
    result = runner.invoke(main, ["render", str(image)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: cannot read {image}: the bytes are not text in any encoding")
    assert "[unknown-bytes]; if it is text in another encoding, say which with --encoding" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_a_parse_error_with_several_problems_lists_them_then_one_error_line(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "many.txt"
    path.write_text("x", encoding="utf-8")
    error = opengov.ParseError(
        [
            opengov.Diagnostic(severity=opengov.Severity.ERROR, code="a", message="first"),
            opengov.Diagnostic(
                severity=opengov.Severity.ERROR, code="b", message="second", location=opengov.Location(line=2)
            ),
        ],
        "the document could not be parsed",
    )

    def failing(*args: Any, **kwargs: Any) -> opengov.ParseResult:
        raise error

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(opengov, "parse", failing)
        result = runner.invoke(main, ["parse", str(path)])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{path}: 错误：first [a]",
        f"{path}: 错误：second（第2行） [b]",
        f"Error: cannot read {path}: the document could not be parsed (2 problems above)",
    ]


# ---------------------------------------------------------------------------------------
# --encoding
# ---------------------------------------------------------------------------------------


def test_encoding_is_passed_on_when_the_library_takes_it(runner: CliRunner, tmp_path: Path) -> None:
    real_parse = opengov.parse
    seen: list[str] = []

    def parse_with_encoding(source: bytes, *, encoding: str | None = None, **options: Any) -> opengov.ParseResult:
        seen.append(str(encoding))
        return real_parse(bytes(source).decode(encoding or "utf-8"), **options)

    path = tmp_path / "gbk.txt"
    path.write_bytes(REFERENCE.read_text(encoding="utf-8").encode("gb18030"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(opengov, "parse", parse_with_encoding)
        result = runner.invoke(main, ["parse", str(path), "--encoding", "gb18030"])
    assert result.exit_code == 0, result.output
    assert seen == ["gb18030"]
    assert opengov.loads(result.stdout) == opengov.read(REFERENCE).report


def test_encoding_does_not_apply_to_opengovs_json_and_csv(
    runner: CliRunner, reference: opengov.Report, tmp_path: Path
) -> None:
    for form, name in (("json", "r.json"), ("long", "r.csv")):
        path = _written(reference, form, tmp_path, name)
        result = runner.invoke(main, ["parse", str(path), "--encoding", "utf-8"])
        assert result.exit_code == 2
        kind = "JSON" if form == "json" else "CSV"
        assert result.stderr == (
            f"Error: --encoding: {path} is opengov's own {kind}, which is always UTF-8: "
            "an encoding applies to documents only\n"
        )


# ---------------------------------------------------------------------------------------
# The module underneath
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "form", "expected"),
    [
        ("a.txt", b'\xef\xbb\xbf \n {"format": "2021"}', "auto", "json"),
        ("a.txt", b"report,format,organ", "auto", "csv"),
        ("a.txt", b"\xef\xbb\xbfreport,format,organ", "auto", "csv"),
        ("a.TXT", b"2023\xe5\xb9\xb4", "auto", "document"),
        ("A.JSON", b"2023", "auto", "json"),
        ("x.csv", b"2023", "auto", "csv"),
        ("-", b"report,forma", "auto", "document"),
        ("x.csv", b"report,format,", "text", "document"),
        ("x.txt", b"{", "csv", "csv"),
    ],
)
def test_input_form(name: str, data: bytes, form: str, expected: str) -> None:
    assert _inputs.input_form(name, data, form) == expected


def test_batch_reads_inputs_the_same_way(reference: opengov.Report, tmp_path: Path) -> None:
    from opengov import _batch

    assert _batch.load_input is _inputs.load_input
    path = _written(reference, "wide", tmp_path, "one.csv")
    assert _batch.load_input(str(path)).report == without_prose(reference)


def test_a_fifo_or_device_is_refused_with_the_way_to_stream(runner: CliRunner, tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    result = runner.invoke(main, ["check", str(fifo)])  # refused without opening it: no hang
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: cannot read {fifo}: {fifo} is a FIFO (named pipe): only regular files are read [not-a-file]; "
        "to read a stream, send it on standard input: … | opengov check -\n"
    )
    device = runner.invoke(main, ["render", os.devnull])
    assert device.exit_code == 2
    assert device.stderr.endswith("[not-a-file]; to read a stream, send it on standard input: … | opengov render -\n")


def test_undecodable_bytes_suggest_encoding(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes(b"\x80\xff" * 50)
    hinted = runner.invoke(main, ["parse", str(path)])
    assert hinted.exit_code == 2
    assert hinted.stderr.endswith(
        "[unknown-bytes]; if it is text in another encoding, say which with --encoding (e.g. gb18030)\n"
    )


def test_a_file_read_by_its_size_is_read_whole_even_if_it_grew() -> None:
    """``_read_stream`` reads the size a file had when measured, plus whatever it grew by,
    never more than the limit (the inputs of the command line and the batch go through it)."""
    import io

    from opengov._parse import _read_stream

    limits = opengov.Limits(input_bytes=12)
    assert _read_stream(io.BytesIO(b"0123456789"), limits, size=10) == b"0123456789"
    assert _read_stream(io.BytesIO(b"0123456789"), limits, size=4) == b"0123456789"  # grew from 4 to 10
    assert _read_stream(io.BytesIO(b"0123456789"), limits, size=20) == b"0123456789"  # shrank
    with pytest.raises(opengov.ParseError, match="limit-input-bytes"):
        _read_stream(io.BytesIO(b"0123456789abcdef"), limits, size=4)
    with pytest.raises(opengov.ParseError, match="limit-input-bytes"):
        _read_stream(io.BytesIO(b"0123456789abcdef"), limits)


def test_previous_must_be_one_report(runner: CliRunner, two_reports: Several) -> None:
    path, _ = two_reports
    result = runner.invoke(main, ["check", str(REFERENCE), "--previous", str(path)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {path} holds 2 reports (a CSV of several): --previous takes one "
        f"(opengov convert {path} --report N -o last-year.json)\n"
    )
