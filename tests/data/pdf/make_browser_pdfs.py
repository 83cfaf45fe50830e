"""Make the browser-printed PDF in this folder: ``python tests/data/pdf/make_browser_pdfs.py``.

``browser-clipped-2023.pdf`` is the reference report (``tests/data/zhapu-2023.txt``) as a
reader saves a web page: written as HTML by ``opengov.render(report, to="html")`` and printed
by headless Chromium (``--print-to-pdf``, with the browser's page header and footer).  Two
things a browser does that Word, WPS and LibreOffice do not:

* a table running over a page break has its border between the two rows drawn once, with
  the row above the break: its part on the next page has **no top line**, and a cell spanning
  rows across the break (三、本年度办理结果) **no bottom line** on the first page;
* a table wider than the page is **clipped** at the page's edge: each table here is
  :data:`WIDER` than the page's text, so its last column has no right side.

Needs ``chromium`` on PATH; the PDF is committed, so the tests do not.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2] / "src"))

import opengov  # noqa: E402

WIDER = "calc(100% + 6px)"
"""The tables' width: the page's text width and a few pixels, which the page's edge clips."""
STYLE = f"<style>table.opengov {{ width: {WIDER}; }} body {{ max-width: none; margin: 0; padding: 0; }}</style>"


def main() -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if browser is None:
        raise SystemExit("chromium is not on PATH")
    report = opengov.read(HERE.parent / "zhapu-2023.txt").report
    html = opengov.render(report, to="html").replace("</head>", STYLE + "\n</head>")
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(html, encoding="utf-8")
        out = HERE / "browser-clipped-2023.pdf"
        subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", f"--print-to-pdf={out}", page.as_uri()],
            check=True,
            capture_output=True,
            timeout=120,
        )
    print(f"wrote {out.name}")


if __name__ == "__main__":
    main()
