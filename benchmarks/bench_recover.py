"""Recovery of separator-lost rows, alone and inside ``opengov.parse``, on one-line reports.

``python benchmarks/bench_recover.py`` prints CPU time (``time.process_time``, median of
many runs) per call, warm (the same input again and again) and cold (every ``functools``
cache of every ``opengov`` module and every module-level memo cleared before each call), for

* ``opengov.parse`` of the crawler texts ``pingtan-2020.txt`` / ``pingtan-2023.txt`` (the
  samples beside the project) and of the project's own one-line fixture;
* the recovery step alone on the rows the parser hands it for those texts (captured once
  from a parse);
* the recovery of a generated 2021 table 3 + table 4 with two-digit cells;
* ``opengov.loads`` of the same report's JSON, the yardstick of issue 16.

Old and new are measured in one process, interleaved run by run: the old recovery module
(``--old REV``, default ``eca50d9``: the file ``src/opengov/_recover.py`` at that revision) is
loaded beside the current one and swapped in at the parser's one call site
(``opengov._assemble.recovery.recover``), so everything else in the parse is the same code.  Run it
with ``PYTHONPATH=src``.  ``BENCHMARKS`` (wall time) is for ``benchmarks/run.py``.  Nothing
here is asserted in the test suite.
"""

from __future__ import annotations

import argparse
import functools
import gc
import importlib.util
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import opengov
from opengov import _caches, _recover
from opengov._assemble import recovery as _recovery

HERE = Path(__file__).resolve().parent
SAMPLES = Path(os.environ.get("OPENGOV_SAMPLES", HERE.parent.parent / "shared" / "samples"))
FIXTURE = HERE.parent / "tests" / "data" / "recover" / "oneline-spaced-2021.txt"


# ---------------------------------------------------------------------------------------
# cold: every cache and memo of the package emptied
# ---------------------------------------------------------------------------------------


def _memo_containers() -> list[dict[Any, Any]]:
    """Module-level dicts of ``opengov`` modules that are empty right after import: memos."""
    found = []
    for name, module in list(sys.modules.items()):
        if name == "opengov" or name.startswith("opengov."):
            for value in vars(module).values():
                if type(value) is dict and not value:
                    found.append(value)
    return found


_MEMOS: list[dict[Any, Any]] = []


def _prepare_cold() -> None:
    _MEMOS[:] = _memo_containers()  # taken before any parse: only memos are empty now


def clear_all() -> None:
    """Every ``functools`` cache (``opengov._caches.clear``) and every memo still left."""
    _caches.clear()
    for memo in _MEMOS:
        memo.clear()
    for name, module in list(sys.modules.items()):
        if name.startswith("opengov.") and hasattr(module, "_memo_size"):
            module._memo_size = 0


# ---------------------------------------------------------------------------------------
# inputs
# ---------------------------------------------------------------------------------------


def _texts() -> dict[str, str]:
    texts = {}
    for name in ("pingtan-2020.txt", "pingtan-2023.txt"):
        path = SAMPLES / name
        if path.exists():
            texts[name] = path.read_text(encoding="utf-8")
    if FIXTURE.exists():
        texts[FIXTURE.name] = FIXTURE.read_text(encoding="utf-8")
    return texts


def _captured_call(text: str) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """The arguments ``opengov.parse(text)`` passes to the recovery solver."""
    calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    real = _recovery.recover  # type: ignore[attr-defined]

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append((args, kwargs))
        return real(*args, **kwargs)

    _recovery.recover = spy  # type: ignore[attr-defined]
    try:
        opengov.parse(text)
    finally:
        _recovery.recover = real  # type: ignore[attr-defined]
    (call,) = calls
    return call


def _generated_rows() -> dict[str, list[tuple[str, str]]]:
    """A consistent 2021 table 3 and table 4 with two-digit figures, every separator deleted
    (own arithmetic: totals summed here)."""
    from opengov.layout import cell_index

    rng = random.Random(2023)
    index = cell_index("2021")
    t3_rows = [row for row, _ in index.rows("table3")]
    outcomes = [r for r in t3_rows if r not in ("new_received", "carried_over", "total_handled", "carried_forward")]
    values: dict[str, list[int]] = {}
    for row in outcomes:
        parts = [rng.choice([0, 0, 0, rng.randint(1, 40)]) for _ in range(6)]
        values[row] = [*parts, sum(parts)]
    handled = [sum(values[r][i] for r in outcomes) for i in range(7)]
    values["total_handled"] = handled
    values["new_received"] = handled
    values["carried_over"] = [0] * 7
    values["carried_forward"] = [0] * 7
    t4: list[int] = []
    for _ in range(3):
        parts = [rng.randint(0, 12) for _ in range(4)]
        t4 += [*parts, sum(parts)]
    return {
        "table3": [(row, "".join(map(str, values[row]))) for row in t3_rows],
        "table4": [("table4", "".join(map(str, t4)))],
    }


# ---------------------------------------------------------------------------------------
# timing
# ---------------------------------------------------------------------------------------


def _old_recover(revision: str) -> Any:
    """The recovery module of a git revision (one file ``src/opengov/_recover.py`` before
    it became a package), loaded beside the current one."""
    source = subprocess.run(
        ["git", "show", f"{revision}:src/opengov/_recover.py"],
        cwd=HERE.parent,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    path = Path(tempfile.mkdtemp()) / "old_recover.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("old_recover", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def cpu_ab(
    funcs: Sequence[Callable[[], object]], *, before: Callable[[], object] | None = None, runs: int = 201
) -> list[float]:
    """Median CPU seconds of one call of each function, the functions interleaved run by run
    (so a change in the machine's load hits them alike); ``before`` runs untimed first."""
    for func in funcs:
        func()
    samples: list[list[float]] = [[] for _ in funcs]
    gc.disable()
    try:
        for _ in range(runs):
            for func, out in zip(funcs, samples, strict=True):
                if before is not None:
                    before()
                start = time.process_time()
                func()
                out.append(time.process_time() - start)
    finally:
        gc.enable()
    return [statistics.median(s) for s in samples]


def _with(module: Any, func: Callable[[], object]) -> Callable[[], object]:
    """``func`` with the parser's recovery step calling ``module.recover``."""

    def run() -> object:
        _recovery.recover = module.recover  # type: ignore[attr-defined]
        try:
            return func()
        finally:
            _recovery.recover = _recover.recover  # type: ignore[attr-defined]

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--old", default="eca50d9", help="git revision of the old recovery module (default eca50d9)")
    parser.add_argument("--runs", type=int, default=301)
    options = parser.parse_args()
    old = _old_recover(options.old)
    _prepare_cold()
    texts = _texts()
    print(f"opengov from {Path(opengov.__file__).parent}; python {sys.version.split()[0]}; load {os.getloadavg()}")
    print(f"old = {options.old}:src/opengov/_recover.py, new = this checkout; CPU ms, median of {options.runs}")
    for name, text in texts.items():
        report = opengov.parse(text).report
        js = opengov.dumps(report)
        args, kwargs = _captured_call(text)
        loads, parse_old, parse_new = cpu_ab(
            [lambda: opengov.loads(js), _with(old, lambda: opengov.parse(text)), lambda: opengov.parse(text)],  # noqa: B023
            runs=options.runs,
        )
        cold_old, cold_new = cpu_ab(
            [_with(old, lambda: opengov.parse(text)), lambda: opengov.parse(text)],  # noqa: B023
            before=clear_all,
            runs=options.runs,
        )
        step_old, step_new = cpu_ab(
            [lambda: old.recover(*args, **kwargs), lambda: _recover.recover(*args, **kwargs)],  # noqa: B023
            runs=options.runs,
        )
        print(
            f"{name}: loads {loads * 1e3:.3f}; parse warm old {parse_old * 1e3:.3f} new {parse_new * 1e3:.3f} "
            f"({parse_old / loads:.1f}× → {parse_new / loads:.1f}× loads); cold old {cold_old * 1e3:.3f} "
            f"new {cold_new * 1e3:.3f} ({cold_old / loads:.1f}× → {cold_new / loads:.1f}×); recovery step "
            f"old {step_old * 1e3:.3f} new {step_new * 1e3:.3f} ({step_old / step_new:.1f}× faster)"
        )
    generated = _generated_rows()
    gen_old, gen_new = cpu_ab(
        [lambda: old.recover("2021", generated), lambda: _recover.recover("2021", generated)], runs=options.runs
    )
    print(
        f"generated 2021 table 3 + 4 (two-digit cells): recover old {gen_old * 1e3:.3f} new {gen_new * 1e3:.3f} "
        f"({gen_old / gen_new:.1f}× faster)"
    )


# ---------------------------------------------------------------------------------------
# for benchmarks/run.py (wall time)
# ---------------------------------------------------------------------------------------


def _parse(name: str) -> Callable[[], Callable[[], object]]:
    def setup() -> Callable[[], object]:
        text = _texts().get(name)
        return (lambda: None) if text is None else functools.partial(opengov.parse, text)

    return setup


def _recover_only(name: str) -> Callable[[], Callable[[], object]]:
    def setup() -> Callable[[], object]:
        text = _texts().get(name)
        if text is None:
            return lambda: None
        args, kwargs = _captured_call(text)
        return lambda: _recover.recover(*args, **kwargs)

    return setup


def _generated() -> Callable[[], object]:
    rows = _generated_rows()
    return lambda: _recover.recover("2021", rows)


BENCHMARKS = [
    ("opengov.parse (pingtan-2020, one line, recovery included)", _parse("pingtan-2020.txt")),
    ("opengov.parse (pingtan-2023, one line, recovery included)", _parse("pingtan-2023.txt")),
    ("recovery step alone (pingtan-2020's rows)", _recover_only("pingtan-2020.txt")),
    ("recovery step alone (pingtan-2023's rows)", _recover_only("pingtan-2023.txt")),
    ("recover (generated 2021 t3+t4, 2-digit cells)", _generated),
]

if __name__ == "__main__":
    main()
