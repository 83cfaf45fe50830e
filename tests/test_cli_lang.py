"""Findings and diagnostics in text form speak the users' language: the official Chinese
labels by default, the English keys with ``--lang en``; JSON keeps both."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings

import opengov
from opengov._cli import diagnostic_text, finding_text, main
from opengov.testing import broken_reports

DATA = Path(__file__).resolve().parent / "data"
REFERENCE = DATA / "zhapu-2023.txt"
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
TABLE_ZH = {"table2": "表二", "table3": "表三", "table4": "表四"}


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def misprinted(tmp_path: Path) -> Path:
    """The reference text with （一）予以公开/自然人 (line 102) printed 20 instead of 19."""
    lines = REFERENCE.read_text(encoding="utf-8").split("\n")
    assert lines[101] == "\t19"
    lines[101] = "\t20"
    path = tmp_path / "misprinted.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_check_prints_findings_with_the_official_chinese_labels(runner: CliRunner, misprinted: Path) -> None:
    result = runner.invoke(main, ["check", str(misprinted)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "错误：表三“（一）予以公开”行：“总计”为20，但“自然人”与“法人或其他组织”五列之和为21，相差-1。"
        "（印为“20”，第108行第2字） [t3-row-total：表三 （一）予以公开 / 总计]",
        "错误：表三“自然人”列：“（七）总计”为37，但“三、本年度办理结果”的21个结果行之和为38，相差-1。"
        "（印为“37”，第331行第2字） [t3-outcomes：表三 （七）总计 / 自然人]",
        "提示：表三“（一）予以公开/自然人”很可能有误：印为20，改为19即可同时满足其所在行与列的勾稽关系（相差+1）。"
        "（印为“20”，第102行第2字） [t3-culprit：表三 （一）予以公开 / 自然人]",
    ]
    assert result.stderr == f"{misprinted}：检查结果 3 条，其中错误 2 条\n"


def test_lang_en_prints_the_english_keys(runner: CliRunner, misprinted: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = runner.invoke(main, ["check", str(misprinted), "--lang", "en"])
    findings = opengov.check(opengov.read(misprinted))
    assert result.stdout == "".join(f"{f}\n" for f in findings)
    assert "[t3-row-total: table3/granted/total]" in result.stdout
    assert result.stderr == f"{misprinted}: 3 finding(s), 2 error(s)\n"
    monkeypatch.setenv("OPENGOV_LANG", "en")
    assert runner.invoke(main, ["check", str(misprinted)]).stdout == result.stdout


def test_json_findings_keep_both_languages(runner: CliRunner, misprinted: Path) -> None:
    for lang in ("zh", "en"):
        result = runner.invoke(main, ["check", str(misprinted), "--format", "json", "--lang", lang])
        records = json.loads(result.stdout)
        first = records[0]
        assert (first["row"], first["row_label"], first["column"], first["column_label"]) == (
            "granted",
            "（一）予以公开",
            "total",
            "总计",
        )
        assert first["message_zh"].startswith("表三“（一）予以公开”行")
        assert first["message_en"].startswith("Table 3, row granted")
        assert result.stderr == ""  # JSON alone on stdout, no summary


def test_diagnostics_in_both_languages(runner: CliRunner) -> None:
    zh = runner.invoke(main, ["parse", str(REFERENCE)])
    assert zh.stderr == (
        f"{REFERENCE}: 提示：三、收到和处理政府信息公开申请情况: label annotation （须与2022年度年报结转数一致） "
        "ignored (its digits are not data)（第89行第2字） [label-annotation]\n"
    )
    en = runner.invoke(main, ["parse", str(REFERENCE), "--lang", "en"])
    assert en.stderr == f"{REFERENCE}: {opengov.read(REFERENCE).diagnostics[0]}\n"
    assert en.stderr.endswith("(at line 89, column 2) [label-annotation]\n")


def test_every_part_of_a_location_in_chinese() -> None:
    where = opengov.Location(page=2, line=3, column=4, table=1, row=5, cell=6)
    diagnostic = opengov.Diagnostic(severity=opengov.Severity.WARNING, code="x", message="m", location=where)
    assert diagnostic_text(diagnostic, "zh") == "警告：m（第2页第3行第4字第1张表表内第5行第6格） [x]"
    nowhere = opengov.Diagnostic(severity=opengov.Severity.ERROR, code="y", message="m")
    assert diagnostic_text(nowhere, "zh") == "错误：m [y]"
    assert diagnostic_text(nowhere, "en") == "error: m (at unknown location) [y]"


@settings(max_examples=25)
@given(broken=broken_reports())
def test_every_finding_line_names_its_cell_by_the_official_labels(broken: tuple[opengov.Report, object]) -> None:
    report, _ = broken
    for finding in opengov.check(report):
        zh = finding_text(finding, "zh")
        assert zh.startswith(f"{SEVERITY_ZH[finding.severity.value]}：{finding.message_zh}")
        assert zh.endswith("]")
        address = " / ".join(x for x in (finding.row_label, finding.column_label) if x)
        table = TABLE_ZH.get(finding.table or "", finding.table or "")
        tail = " ".join(x for x in (table, address) if x)
        assert zh.endswith(f" [{finding.rule}：{tail}]" if tail else f" [{finding.rule}]")
        assert finding.row is None or finding.row not in zh.split("[")[-1]  # no English key in the address
        assert finding_text(finding, "en") == str(finding)
