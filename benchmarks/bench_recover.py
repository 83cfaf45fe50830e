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

It imports only names that existed before the recovery rewrite (``opengov.parse``,
``opengov.loads``, ``opengov._recover.recover``), so running it with ``PYTHONPATH`` pointing
at an older ``src`` measures the old code in the same session.  ``BENCHMARKS`` (wall time)
is for ``benchmarks/run.py``.  Nothing here is asserted in the test suite.
"""

from __future__ import annotations

import functools
import gc
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import opengov
from opengov import _recover, _recovery

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


def _caches() -> list[Any]:
    """Every ``functools`` cache wrapper held by an ``opengov`` module (also as a method)."""
    found = []
    for name, module in list(sys.modules.items()):
        if name == "opengov" or name.startswith("opengov."):
            for value in vars(module).values():
                candidates = [value]
                if isinstance(value, type):
                    candidates += list(vars(value).values())
                for c in candidates:
                    if hasattr(c, "cache_clear") and hasattr(c, "cache_info"):
                        found.append(c)
    return found


_MEMOS: list[dict[Any, Any]] = []
_CACHES: list[Any] = []


def _prepare_cold() -> None:
    _MEMOS[:] = _memo_containers()  # taken before any parse: only memos are empty now
    _CACHES[:] = _caches()


def clear_all() -> None:
    for memo in _MEMOS:
        memo.clear()
    for cache in _CACHES:
        cache.cache_clear()
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


def cpu(func: Callable[[], object], *, before: Callable[[], object] | None = None, runs: int = 201) -> float:
    """Median CPU seconds of one call over ``runs`` calls (``before`` runs untimed first)."""
    func()
    samples = []
    gc.disable()
    try:
        for _ in range(runs):
            if before is not None:
                before()
            start = time.process_time()
            func()
            samples.append(time.process_time() - start)
    finally:
        gc.enable()
    return statistics.median(samples)


def _recover_call(args: Sequence[Any], kwargs: Mapping[str, Any]) -> Callable[[], object]:
    return lambda: _recover.recover(*args, **kwargs)


def main() -> None:
    _prepare_cold()
    texts = _texts()
    print(f"opengov from {Path(opengov.__file__).parent}; python {sys.version.split()[0]}; load {os.getloadavg()}")
    rows: list[tuple[str, float, float, float]] = []
    for name, text in texts.items():
        report = opengov.parse(text).report
        js = opengov.dumps(report)
        args, kwargs = _captured_call(text)
        loads_warm = cpu(lambda: opengov.loads(js), runs=501)  # noqa: B023
        parse_warm = cpu(lambda: opengov.parse(text))  # noqa: B023
        parse_cold = cpu(lambda: opengov.parse(text), before=clear_all)  # noqa: B023
        rec_warm = cpu(_recover_call(args, kwargs), runs=501)
        rec_cold = cpu(_recover_call(args, kwargs), before=clear_all)
        print(
            f"{name}: parse warm {parse_warm * 1e3:.3f} ms ({parse_warm / loads_warm:.1f}× loads), "
            f"cold {parse_cold * 1e3:.3f} ms ({parse_cold / loads_warm:.1f}× loads); "
            f"recovery step warm {rec_warm * 1e3:.3f} ms, cold {rec_cold * 1e3:.3f} ms; "
            f"loads {loads_warm * 1e3:.3f} ms"
        )
        rows.append((name, parse_warm, parse_cold, loads_warm))
    generated = _generated_rows()
    gen_warm = cpu(lambda: _recover.recover("2021", generated), runs=201)
    gen_cold = cpu(lambda: _recover.recover("2021", generated), before=clear_all)
    print(
        f"generated 2021 table 3 + 4 (two-digit cells): recover warm {gen_warm * 1e3:.3f} ms, "
        f"cold {gen_cold * 1e3:.3f} ms"
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
        return _recover_call(args, kwargs)

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
