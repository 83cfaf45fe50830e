"""Where the command line writes and what its exit status says: -o on every command, the
output form from the file name, render/convert saying what they left absent (exit 1), the
check report page, parse --strict with the API's rule, .docx never to a terminal."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import opengov
from opengov._cli import main
from opengov._parse import STRICT_SEVERITIES

DATA = Path(__file__).resolve().parent / "data"
REFERENCE = DATA / "zhapu-2023.txt"
ONELINE = DATA / "quirks" / "oneline-2020.txt"  # a crawler's one-line text: 17 cells left unresolved
SRC = Path(__file__).resolve().parent.parent / "src"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def inconsistent(tmp_path: Path) -> Path:
    report = opengov.read(REFERENCE).report.with_cell("table3", "granted", "natural_person", 20)
    path = tmp_path / "inconsistent.json"
    path.write_text(opengov.dumps(report), encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------
# -o / --output
# ---------------------------------------------------------------------------------------

COMMANDS = [
    ["parse"],
    ["check"],
    ["check", "--format", "json"],
    ["render"],
    ["render", "--to", "html"],
    ["convert", "--to", "csv"],
    ["convert", "--to", "markdown"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_output_option_writes_what_stdout_gets(runner: CliRunner, tmp_path: Path, command: list[str]) -> None:
    to_stdout = runner.invoke(main, [*command, str(REFERENCE)])
    assert to_stdout.exit_code == 0, to_stdout.output
    path = tmp_path / "out"
    to_file = runner.invoke(main, [*command, str(REFERENCE), "-o", str(path)])
    assert to_file.exit_code == 0, to_file.output
    assert to_file.stdout_bytes == b""
    assert path.read_bytes() == to_stdout.stdout_bytes
    assert to_file.stderr == to_stdout.stderr
    dash = runner.invoke(main, [*command, str(REFERENCE), "--output", "-"])
    assert dash.stdout_bytes == to_stdout.stdout_bytes


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_an_unwritable_output_is_one_line_and_exit_2(runner: CliRunner, tmp_path: Path, command: list[str]) -> None:
    for target, reason in (
        (tmp_path / "no-such-folder" / "x", "No such file or directory"),
        (tmp_path, "Is a directory"),
    ):
        result = runner.invoke(main, [*command, str(REFERENCE), "-o", str(target)])
        assert result.exit_code == 2, result.output
        assert result.stderr.splitlines()[-1] == f"Error: cannot write {target}: {reason}"
        assert "Traceback" not in result.output


def test_check_with_error_findings_and_an_unwritable_output_exits_2_not_1(
    runner: CliRunner, inconsistent: Path, tmp_path: Path
) -> None:
    assert runner.invoke(main, ["check", str(inconsistent)]).exit_code == 1
    result = runner.invoke(main, ["check", str(inconsistent), "-o", str(tmp_path / "none" / "f.txt")])
    assert result.exit_code == 2
    page = runner.invoke(main, ["check", str(inconsistent), "--html", str(tmp_path)])
    assert page.exit_code == 2
    assert page.stderr == f"Error: cannot write {tmp_path}: Is a directory\n"


def test_output_form_follows_the_file_name(runner: CliRunner, tmp_path: Path) -> None:
    report = opengov.read(REFERENCE).report
    for name, expected in (
        ("r.md", opengov.render(report, to="markdown")),
        ("r.HTML", opengov.render(report, to="html")),
        ("r.txt", opengov.render(report, to="text")),
    ):
        result = runner.invoke(main, ["render", str(REFERENCE), "-o", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
        assert (tmp_path / name).read_text(encoding="utf-8") == expected
    converted = runner.invoke(main, ["convert", str(REFERENCE), "-o", str(tmp_path / "r.json")])
    assert opengov.loads((tmp_path / "r.json").read_text(encoding="utf-8")) == report, converted.output
    runner.invoke(main, ["convert", str(REFERENCE), "-o", str(tmp_path / "r.csv")])
    assert opengov.from_csv((tmp_path / "r.csv").read_bytes()) == [report]
    # markdown or html into a .txt file is allowed (render_to's rule)
    ok = runner.invoke(main, ["render", str(REFERENCE), "--to", "markdown", "-o", str(tmp_path / "m.txt")])
    assert ok.exit_code == 0


def test_output_form_contradictions_and_misplaced_options_are_refused(runner: CliRunner, tmp_path: Path) -> None:
    cases = [
        (
            ["render", "--to", "html", "-o", str(tmp_path / "r.docx")],
            f"--to html contradicts the output file name {tmp_path / 'r.docx'} (docx)",
        ),
        (
            ["render", "-o", str(tmp_path / "r.json")],
            f"{tmp_path / 'r.json'}: this command cannot write json (it writes text, markdown, html, docx)",
        ),
        (
            ["convert"],
            "say what to write: --to json|csv|text|markdown|html|docx, or -o FILE with one of its extensions",
        ),
        (["convert", "--to", "json", "--bom"], "--bom applies to CSV only, not to json"),
        (["convert", "--to", "text", "--shape", "wide"], "--shape applies to CSV only, not to text"),
        (["render", "--to", "markdown", "--ascii"], "--ascii applies to text only, not to markdown"),
    ]
    for args, message in cases:
        result = runner.invoke(main, [args[0], str(REFERENCE), *args[1:]])
        assert result.exit_code == 2, args
        assert result.stderr == f"Error: {message}\n", args
        assert not list(tmp_path.iterdir())  # nothing written


def test_docx_is_never_written_to_a_terminal(tmp_path: Path) -> None:
    """A real process whose stdout is a terminal (a pty): refused before any work; to a file
    it is written."""
    main_fd, terminal = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "opengov", "render", str(REFERENCE), "--to", "docx"],
            stdout=terminal,
            stderr=subprocess.PIPE,
            env=env,
            timeout=60,
        )
    finally:
        os.close(terminal)
    written = b""
    try:
        while chunk := os.read(main_fd, 4096):
            written += chunk
    except OSError:  # the terminal is closed: everything was read
        pass
    os.close(main_fd)
    assert proc.returncode == 2
    assert proc.stderr.decode() == (
        "Error: a .docx is binary and would garble the terminal: write it with -o report.docx (or redirect stdout)\n"
    )
    assert written == b""
    pytest.importorskip("docx", reason="the docx extra (python-docx) is not installed")
    out = tmp_path / "report.docx"
    proc = subprocess.run(
        [sys.executable, "-m", "opengov", "render", str(REFERENCE), "-o", str(out)], env=env, timeout=60, check=True
    )
    assert opengov.read(out).report == opengov.read(REFERENCE).report


# ---------------------------------------------------------------------------------------
# render and convert: what was left absent
# ---------------------------------------------------------------------------------------


def _absent(report: opengov.Report) -> int:
    return sum(cell.value is None for cell in report.cells())


@pytest.mark.parametrize(
    "command",
    [["render"], ["render", "--to", "html"], ["convert", "--to", "json"], ["convert", "--to", "csv"]],
    ids=" ".join,
)
def test_render_and_convert_exit_1_and_say_so_when_cells_are_absent(runner: CliRunner, command: list[str]) -> None:
    result = opengov.read(ONELINE)
    absent = _absent(result.report)
    assert absent == 17  # the fixture's unresolved cells (tests/data/quirks/README.md)
    run = runner.invoke(main, [*command, str(ONELINE), "--lang", "en"])
    assert run.exit_code == 1
    assert run.stdout  # the output is written all the same
    lines = run.stderr.splitlines()
    assert lines[:-1] == [f"{ONELINE}: {d}" for d in result.diagnostics]
    counts = [sum(d.severity is s for d in result.diagnostics) for s in opengov.Severity]
    assert lines[-1] == (
        f"{ONELINE}: 17 cell(s) left absent; {len(result.diagnostics)} diagnostic(s): "
        f"{counts[0]} error(s), {counts[1]} warning(s), {counts[2]} info"
    )
    chinese = runner.invoke(main, [*command, str(ONELINE)])
    assert chinese.exit_code == 1
    assert chinese.stderr.splitlines()[-1] == (
        f"{ONELINE}：17 个单元格空缺（未能读出）；诊断 {len(result.diagnostics)} 条："
        f"错误 {counts[0]}、警告 {counts[1]}、提示 {counts[2]}"
    )


def test_a_missing_table_counts_every_cell_absent(runner: CliRunner, tmp_path: Path) -> None:
    import attrs

    report = attrs.evolve(opengov.read(REFERENCE).report, table4=None)
    path = tmp_path / "no-table4.json"
    path.write_text(opengov.dumps(report), encoding="utf-8")
    result = runner.invoke(main, ["render", str(path), "--lang", "en"])
    assert result.exit_code == 1
    table4_cells = len(opengov.layout.cell_index(report.format).table("table4"))
    assert result.stderr == (
        f"{path}: {table4_cells} cell(s) left absent (table4 missing); "
        "0 diagnostic(s): 0 error(s), 0 warning(s), 0 info\n"
    )
    assert runner.invoke(main, ["render", str(path)]).stderr.startswith(
        f"{path}：{table4_cells} 个单元格空缺（未能读出），缺少表四；"
    )


def test_render_of_a_complete_report_exits_0(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text(opengov.dumps(opengov.read(REFERENCE).report), encoding="utf-8")
    result = runner.invoke(main, ["render", str(path)])
    assert result.exit_code == 0
    assert result.stderr == ""  # nothing absent, no diagnostics: nothing to say
    with_info = runner.invoke(main, ["render", str(REFERENCE), "--lang", "en"])
    assert with_info.exit_code == 0  # an info diagnostic, nothing absent
    assert with_info.stderr.splitlines()[-1].startswith(f"{REFERENCE}: 0 cell(s) left absent; 1 diagnostic(s)")


# ---------------------------------------------------------------------------------------
# check --html
# ---------------------------------------------------------------------------------------


def test_check_html_writes_the_check_report_page(runner: CliRunner, inconsistent: Path, tmp_path: Path) -> None:
    page = tmp_path / "check.html"
    result = runner.invoke(main, ["check", str(inconsistent), "--html", str(page), "--lang", "en"])
    assert result.exit_code == 1  # the findings decide the status, as without --html
    parsed = opengov.ParseResult(report=opengov.loads(inconsistent.read_text(encoding="utf-8")), form="json")
    findings = opengov.check(parsed)
    assert page.read_text(encoding="utf-8") == opengov.render(parsed, to="html", findings=findings, diagnostics=())
    assert result.stdout == "".join(f"{f}\n" for f in findings)  # the findings still go to stdout
    with_diagnostics = runner.invoke(main, ["check", str(ONELINE), "--html", str(page)])
    result_oneline = opengov.read(ONELINE)
    expected = opengov.render(
        result_oneline, to="html", findings=opengov.check(result_oneline), diagnostics=result_oneline.diagnostics
    )
    assert page.read_text(encoding="utf-8") == expected, with_diagnostics.output


# ---------------------------------------------------------------------------------------
# parse --strict: the API's rule
# ---------------------------------------------------------------------------------------

DOCUMENTS = sorted(
    p
    for p in [*DATA.glob("*.txt"), *DATA.glob("*.html"), *DATA.glob("*.md"), *(DATA / "quirks").glob("*.*")]
    if p.suffix in (".txt", ".html", ".md", ".docx", ".pdf") and p.name != "README.md"
)


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_parse_strict_fails_exactly_when_the_api_does(runner: CliRunner, path: Path) -> None:
    try:
        opengov.read(path, strict=True)
        api_fails = False
    except opengov.ParseError:
        api_fails = True
    result = runner.invoke(main, ["parse", "--strict", str(path)])
    problems = [d for d in opengov.read(path).diagnostics if d.severity in STRICT_SEVERITIES]
    assert api_fails == bool(problems)
    if api_fails:
        assert result.exit_code == 2
        assert result.stdout == ""
        assert (
            result.stderr.splitlines()[-1]
            == f"Error: {path}: {len(problems)} error or warning diagnostic(s) in strict mode"
        )
    else:
        assert result.exit_code == 0, result.output
        assert opengov.loads(result.stdout) == opengov.read(path).report


def test_parse_strict_passes_the_bundled_example_with_its_info_diagnostic(runner: CliRunner) -> None:
    example = SRC.parent / "examples" / "zhapu-2023.txt"
    diagnostics = opengov.read(example).diagnostics
    assert [d.severity for d in diagnostics] == [opengov.Severity.INFO]
    result = runner.invoke(main, ["parse", "--strict", str(example)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["organ"] == "浙江乍浦经济开发区（嘉兴港区）"


def test_batch_with_an_unwritable_output_is_one_line_and_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    for option in ("--out", "--findings"):
        target = tmp_path / "no-such-folder" / "x.csv"
        result = runner.invoke(main, ["batch", str(REFERENCE), option, str(target)])
        assert result.exit_code == 2, result.output
        assert result.stderr == f"Error: cannot write {target}: No such file or directory\n"


def test_an_os_error_naming_a_file_is_exit_2_and_one_without_a_name_is_internal(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", "/somewhere/file")

    monkeypatch.setattr(opengov, "check", denied)
    result = runner.invoke(main, ["check", str(REFERENCE)])
    assert result.exit_code == 2
    assert result.stderr == "Error: /somewhere/file: Permission denied\n"

    def nameless(*args: object, **kwargs: object) -> None:
        raise OSError("no name")

    monkeypatch.setattr(opengov, "check", nameless)
    result = runner.invoke(main, ["check", str(REFERENCE)])
    assert result.exit_code == 3
    assert result.stderr.startswith("Error: internal error (OSError: no name).")


def test_a_text_a_word_file_cannot_hold_is_one_line_and_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    pytest.importorskip("docx", reason="the docx extra (python-docx) is not installed")
    import attrs

    report = attrs.evolve(opengov.read(REFERENCE).report, problems=("响铃\x07字符",))
    path = tmp_path / "bell.json"
    path.write_text(opengov.dumps(report), encoding="utf-8")
    out = tmp_path / "bell.docx"
    result = runner.invoke(main, ["render", str(path), "-o", str(out)])
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: cannot write the .docx: section 五、存在的主要问题及改进情况 holds the control character '\\x07', "
        "which a Word file cannot hold\n"
    )
    assert not out.exists()
    assert runner.invoke(main, ["render", str(path), "--to", "html"]).exit_code == 0  # other forms hold it
