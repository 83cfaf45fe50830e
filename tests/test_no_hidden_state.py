"""No hidden state (issue 15): using the library changes no module-level object of opengov.

Pure functions may keep ``functools`` caches (they are not module-level containers); a memo
dict filled at module level, a list appended to, or a ``global`` counter rebound would make a
function's answer depend on what ran before — this test runs the whole public API over many
documents and then finds every module attribute that was rebound or whose container changed.
"""

from __future__ import annotations

import copy
import sys
import types
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings

import opengov
from opengov import _caches
from opengov.testing import any_reports, reports

DATA = Path(__file__).resolve().parent / "data"
_SUFFIXES = {".txt", ".md", ".html", ".pdf", ".docx"}


def _opengov_modules() -> list[types.ModuleType]:
    return [m for name, m in sorted(sys.modules.items()) if m is not None and name.split(".")[0] == "opengov"]


def _state() -> dict[tuple[str, str], tuple[Any, Any]]:
    """Every module attribute: the object bound, and a copy of it when it is a container."""
    state: dict[tuple[str, str], tuple[Any, Any]] = {}
    for module in _opengov_modules():
        for attr, value in vars(module).items():
            if attr.startswith("__") or isinstance(value, (types.ModuleType, types.FunctionType, type)):
                continue
            snapshot = copy.copy(value) if isinstance(value, (dict, list, set, bytearray)) else None
            state[(module.__name__, attr)] = (value, snapshot)
    return state


def _use_everything() -> None:
    for path in sorted(DATA.rglob("*")):
        if path.suffix not in _SUFFIXES or "hostile" in path.parts:
            continue
        try:
            result = opengov.read(path)
        except opengov.ParseError:
            continue
        report = result.report
        opengov.check(result)
        opengov.render(report, to="text")
        opengov.render(report, to="markdown")
        opengov.render(report, to="html")
        opengov.loads(opengov.dumps(report))
        opengov.from_csv(opengov.to_csv([report]))


def test_using_the_library_changes_no_module_state() -> None:
    _use_everything()  # import every module and let first-use initialisation happen
    before = _state()
    _caches.clear()
    _use_everything()

    @settings(max_examples=25, database=None, suppress_health_check=list(HealthCheck))
    @given(reports() | any_reports())
    def more(report: opengov.Report) -> None:
        for to in ("text", "markdown", "html"):
            opengov.parse(str(opengov.render(report, to=to)))
        opengov.check(report)
        opengov.from_csv(opengov.to_csv([report]))

    more()
    after = _state()
    changed = []
    for key, (value, snapshot) in before.items():
        now = after.get(key)
        if now is None or now[0] is not value:
            changed.append(f"{key[0]}.{key[1]} was rebound")
        elif snapshot is not None and value != snapshot:
            changed.append(f"{key[0]}.{key[1]} ({type(value).__name__}) changed")
    changed += [f"{k[0]}.{k[1]} appeared" for k in after.keys() - before.keys()]
    assert not changed, "module-level state changed:\n" + "\n".join(changed)


def test_caches_clear_knows_every_cache() -> None:
    opengov.read(DATA / "zhapu-2023.txt")
    assert _caches.clear() > 0
    assert all(f.cache_info().currsize == 0 for f in _caches.caches())
    # results do not depend on what was cached
    first = opengov.read(DATA / "zhapu-2023.txt")
    _caches.clear()
    second = opengov.read(DATA / "zhapu-2023.txt")
    assert first == second
    assert first.diagnostics == second.diagnostics


def test_no_record_is_made_around_its_constructor() -> None:
    """Issue 15: records are made by their constructors — no ``object.__new__`` with the
    slots set from outside (a frozen attrs class's ``__init__`` is where its fields are
    set, and where a validator or converter added later would run)."""
    src = Path(opengov.__file__).resolve().parent
    found = [
        f"{path.relative_to(src)}: {needle}"
        for path in sorted(src.rglob("*.py"))
        for needle in ("object.__new__", ".__set__(")
        if needle in path.read_text(encoding="utf-8")
    ]
    assert not found
