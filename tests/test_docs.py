"""Every Python code block in README.md and docs/*.md runs as written (issue 21).

The blocks of one Markdown file run in order in one namespace (a later block may use what an
earlier one defined), in a fresh temporary directory that links the project's ``examples/``,
``tests/`` and ``docs/`` folders, so they read the files that ship with the project
(``examples/zhapu-2023.txt`` …) and may write files of their own.  A block that needs an
optional extra says so in a comment on its first line, ``# needs: lxml``; it is skipped when
that module is missing.  A block that needs what no test can provide (a running Dask cluster,
SSH hosts) says so on its first line, ``# not run by the tests: <why>``, and is the one block
left out.  Shell blocks are not run here (the README's commands are run by CI).
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
_BLOCK = re.compile(r"^```python[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
_NEEDS = re.compile(r"#\s*needs:\s*([\w., ]+)")


def _blocks(path: Path) -> list[tuple[int, str]]:
    text = path.read_text(encoding="utf-8")
    return [(text.count("\n", 0, m.start()) + 1, m.group(1)) for m in _BLOCK.finditer(text)]


def _documents() -> list[Path]:
    return [path for path in DOCS if _blocks(path)]


def test_the_docs_have_python_blocks() -> None:
    # the README's API overview at least; a regex that finds nothing would make this file vacuous
    assert _blocks(ROOT / "README.md")
    assert sum(len(_blocks(path)) for path in DOCS) >= 10


@pytest.mark.parametrize("path", _documents(), ids=lambda p: p.name)
def test_code_blocks_run(path: Path, tmp_path: Path) -> None:
    namespace: dict[str, object] = {"__name__": f"docs:{path.name}"}
    for folder in ("examples", "tests", "docs"):
        (tmp_path / folder).symlink_to(ROOT / folder, target_is_directory=True)
    previous = Path.cwd()
    os.chdir(tmp_path)
    try:
        for line, code in _blocks(path):
            if code.startswith("# not run by the tests:"):
                continue
            needs = _NEEDS.search(code.splitlines()[0]) if code.strip() else None
            if needs:
                missing = [m.strip() for m in needs.group(1).split(",") if importlib.util.find_spec(m.strip()) is None]
                if missing:
                    pytest.skip(f"{path.name} line {line} needs {', '.join(missing)} (an optional extra)")
            compiled = compile(code, f"{path.relative_to(ROOT)}:{line}", "exec")
            with contextlib.redirect_stdout(io.StringIO()):
                try:
                    exec(compiled, namespace)
                except Exception as exc:
                    raise AssertionError(f"{path.relative_to(ROOT)}, block at line {line} fails: {exc!r}") from exc
    finally:
        os.chdir(previous)


@pytest.mark.parametrize("path", [*DOCS, ROOT / "CHANGELOG.md"], ids=lambda p: p.name)
def test_no_merge_conflict_markers_left(path: Path) -> None:
    """A merge that left ``<<<<<<<`` / ``=======`` / ``>>>>>>>`` lines in a document is caught here."""
    lines = path.read_text(encoding="utf-8").splitlines()
    markers = [n for n, line in enumerate(lines, 1) if line.startswith(("<<<<<<< ", ">>>>>>> ")) or line == "======="]
    assert not markers, f"{path.name}: merge conflict markers on lines {markers}"
