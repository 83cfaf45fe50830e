"""Parsing: the reference report, and json.loads + structuring of the same report's JSON."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import opengov

TEXT = (Path(__file__).resolve().parent.parent / "examples" / "zhapu-2023.txt").read_text(encoding="utf-8")
JSON = opengov.dumps(opengov.parse(TEXT).report)


def _parse() -> Callable[[], object]:
    return lambda: opengov.parse(TEXT)


def _loads() -> Callable[[], object]:
    return lambda: opengov.loads(JSON)


BENCHMARKS = [("parse (reference report, text)", _parse), ("loads (same report's JSON)", _loads)]

if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from run import measure

    parse_median, _ = measure(_parse())
    loads_median, _ = measure(_loads())
    print(f"parse: {parse_median * 1e3:.3f} ms  loads: {loads_median * 1e3:.3f} ms  ratio: {parse_median / loads_median:.1f}")
