"""Regenerate the rendered golden files of the reference report: ``python tests/data/regen_rendered.py``.

Writes ``zhapu-2023.rendered.txt`` (box), ``zhapu-2023.rendered.ascii.txt``,
``zhapu-2023.rendered.md`` and ``zhapu-2023.rendered.html`` beside this script.  The report is
``examples/quickstart.py``'s ``example_report()`` (the document's figures, no prose); once
``opengov.parse`` reads ``zhapu-2023.txt``, the parsed report is used instead (with its prose).
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "src"))

import opengov  # noqa: E402

GOLDENS = {
    "zhapu-2023.rendered.txt": {"to": "text"},
    "zhapu-2023.rendered.ascii.txt": {"to": "text", "style": "ascii"},
    "zhapu-2023.rendered.md": {"to": "markdown"},
    "zhapu-2023.rendered.html": {"to": "html"},
}


def reference_report() -> opengov.Report:
    """The reference report: parsed from the document when the parser exists, else built in code."""
    parse = getattr(opengov, "parse", None)
    if parse is not None:
        report: opengov.Report = parse((HERE / "zhapu-2023.txt").read_text(encoding="utf-8")).report
        return report
    namespace = runpy.run_path(str(ROOT / "examples" / "quickstart.py"))
    built: opengov.Report = namespace["example_report"]()
    return built


def main() -> None:
    report = reference_report()
    for name, options in GOLDENS.items():
        opengov.render_to(report, HERE / name, **options)
        print(f"wrote {HERE / name}")


if __name__ == "__main__":
    main()
