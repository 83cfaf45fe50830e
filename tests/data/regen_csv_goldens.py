"""Regenerate the CSV golden files of the reference report: ``python tests/data/regen_csv_goldens.py``.

The report is built by ``examples/quickstart.py`` (the figures printed in ``zhapu-2023.txt``).
Once the text parser lands, build it with ``opengov.parse`` from ``zhapu-2023.txt`` instead
(with its prose, which the long golden will then carry) and regenerate.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent.parent / "src"), str(HERE.parent.parent / "examples")]

from quickstart import example_report  # noqa: E402

import opengov  # noqa: E402

if __name__ == "__main__":
    report = example_report()
    for layout in ("long", "wide"):
        path = HERE / f"zhapu-2023.{layout}.csv"
        path.write_text(opengov.to_csv([report], layout=layout), encoding="utf-8", newline="")
        print(f"wrote {path}")
