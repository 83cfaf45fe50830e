"""Regenerate the CSV golden files of the reference report: ``python tests/data/regen_csv_goldens.py``.

The report is the hand-read golden JSON of ``zhapu-2023.txt`` (``zhapu-2023.expected.json``)
without its prose (the wide layout does not carry prose; the long one does, which the
property tests prove), so the goldens do not depend on the parser.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent.parent / "src")]

import opengov  # noqa: E402
from opengov._serialize.csv_specs import without_prose  # noqa: E402

if __name__ == "__main__":
    report = without_prose(opengov.loads((HERE / "zhapu-2023.expected.json").read_text(encoding="utf-8")))
    for layout in ("long", "wide"):
        path = HERE / f"zhapu-2023.{layout}.csv"
        path.write_text(opengov.to_csv([report], shape=layout), encoding="utf-8", newline="")
        print(f"wrote {path}")
