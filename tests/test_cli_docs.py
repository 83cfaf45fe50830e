"""Every ``bash`` block of docs/cli.md runs as written, in order, from a folder that looks
like the project's root (``examples/`` and ``tests/`` are there), with ``opengov`` being this
checkout's command."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "cli.md"
BLOCK = re.compile(r"^```bash\n(.*?)^```", re.MULTILINE | re.DOTALL)


def test_the_page_has_runnable_blocks() -> None:
    assert len(BLOCK.findall(DOC.read_text(encoding="utf-8"))) >= 6


def test_every_bash_block_of_the_cli_page_runs(tmp_path: Path) -> None:
    work = tmp_path / "root"
    work.mkdir()
    for name in ("examples", "tests"):
        (work / name).symlink_to(ROOT / name, target_is_directory=True)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "opengov"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m opengov "$@"\n', encoding="utf-8")
    shim.chmod(shim.stat().st_mode | stat.S_IXUSR)
    env = {k: v for k, v in os.environ.items() if k not in ("OPENGOV_LANG", "OPENGOV_DEBUG")}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = str(ROOT / "src")
    for number, block in enumerate(BLOCK.findall(DOC.read_text(encoding="utf-8")), 1):
        proc = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", block], cwd=work, env=env, capture_output=True, text=True, timeout=300
        )
        assert proc.returncode == 0, f"block {number} failed:\n{block}\n{proc.stderr}"
        assert "Traceback" not in proc.stderr
    # what the blocks wrote is what they say
    import opengov

    report = opengov.read(ROOT / "examples" / "zhapu-2023.txt").report
    assert opengov.loads((work / "zhapu-2023.json").read_text(encoding="utf-8")) == report
    assert opengov.from_csv((work / "zhapu-2023.csv").read_bytes()) == [report]
    assert (work / "check.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert opengov.from_csv((work / "reports.csv").read_bytes()) == [report, report]


@pytest.mark.parametrize("line", ["| 2 |", "| 3 |", "| 130 |", "| 141 |"])
def test_the_page_documents_every_exit_status(line: str) -> None:
    assert line in DOC.read_text(encoding="utf-8")
