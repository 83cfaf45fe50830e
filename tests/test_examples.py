"""The scripts in examples/ run and do what their docstrings say."""

from __future__ import annotations

import json
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

import opengov

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_build_report_saves_loadable_json(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / "build_report.py"), str(out)], capture_output=True, text=True, check=True
    )
    report = opengov.load(out)
    assert report.organ == "某某市生态环境局"
    # 一 + 二 − （七）: (130 + 4) − (75 + 12 + 34 + 6) = 7, computed here by hand
    assert report.table3 is not None
    assert report.table3.carried_forward.total == 7
    assert "结转下年度继续办理 总计 7" in proc.stdout


def test_quickstart_prints_the_reference_report(capsys: object) -> None:
    namespace = runpy.run_path(str(EXAMPLES / "quickstart.py"))
    report = namespace["example_report"]()
    assert report.table2.fees == opengov.Amount(value="1341", unit="万元")
    assert report.table3.total_handled.total == 38
    data = json.loads(opengov.dumps(report))
    assert data["table3"]["carried_over"]["total"] == 1


def test_quickstart_parses_checks_and_renders_the_example(capsys: pytest.CaptureFixture[str]) -> None:
    runpy.run_path(str(EXAMPLES / "quickstart.py"), run_name="__main__")
    out = capsys.readouterr().out
    assert out.startswith("浙江乍浦经济开发区（嘉兴港区）2023年度政府信息公开工作年度报告\n")
    assert "│ 行政事业性收费" in out
    assert "1341万元" in out
    assert "== opengov.check: 0 finding(s), 0 error(s) or warning(s)" in out
    assert "[label-annotation]" in out


def test_vocabulary_page_is_generated_from_the_layout() -> None:
    docs = EXAMPLES.parent / "docs"
    namespace = runpy.run_path(str(docs / "gen_vocabulary.py"))
    assert (docs / "vocabulary.md").read_text(encoding="utf-8") == namespace["render"](), (
        "docs/vocabulary.md is stale: run python docs/gen_vocabulary.py"
    )
