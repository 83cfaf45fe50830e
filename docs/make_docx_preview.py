"""Make the .docx preview images in docs/: the reference report rendered to Word, printed
to PDF by LibreOffice, and the pages with tables turned into PNGs.

Needs ``opengov[docx]``, LibreOffice (``libreoffice`` on PATH; on Debian/Ubuntu
``apt-get install --no-install-recommends libreoffice-writer``), poppler's ``pdftoppm`` and
``pdftotext`` (``poppler-utils``) and a CJK font (``fonts-noto-cjk`` or ``fonts-wqy-zenhei``).
Run from the project root::

    python docs/make_docx_preview.py            # writes docs/docx-preview-N.png

The Word file asks for 仿宋/宋体/黑体/楷体; where those fonts are not installed LibreOffice
substitutes a CJK font, so the preview shows the layout (merged cells, borders,
alignment), not the exact typeface Word shows on Windows.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import opengov  # noqa: E402
from opengov import layout  # noqa: E402

DOCS = ROOT / "docs"
REFERENCE = ROOT / "tests" / "data" / "zhapu-2023.expected.json"
RESOLUTION = 60
"""Pixels per inch of the PNGs (small files, still legible)."""


def _need(program: str) -> str:
    path = shutil.which(program)
    if path is None:
        sys.exit(f"{program} is not on PATH (see this script's docstring for what to install)")
    return path


def main() -> None:
    libreoffice, pdftoppm, pdftotext = _need("libreoffice"), _need("pdftoppm"), _need("pdftotext")
    report = opengov.loads(REFERENCE.read_text(encoding="utf-8"))
    lay = layout.layout_for(report.format)
    table_words = (lay.table2.header, lay.table3.applicant_header, lay.table4.blocks[1].label)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        source = work / "zhapu-2023.docx"
        source.write_bytes(opengov.render(report, to="docx"))
        subprocess.run(
            [libreoffice, "--headless", "--convert-to", "pdf", "--outdir", str(work), str(source)],
            check=True,
            capture_output=True,
            timeout=300,
        )
        pdf = source.with_suffix(".pdf")
        pages = int(
            next(
                line.split()[-1]
                for line in subprocess.run(
                    ["pdfinfo", str(pdf)], check=True, capture_output=True, text=True
                ).stdout.splitlines()
                if line.startswith("Pages:")
            )
        )
        for old in DOCS.glob("docx-preview-*.png"):
            old.unlink()
        kept = 0
        for page in range(1, pages + 1):
            text = subprocess.run(
                [pdftotext, "-f", str(page), "-l", str(page), str(pdf), "-"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            if not any(word in "".join(text.split()) for word in table_words):
                continue
            kept += 1
            target = DOCS / f"docx-preview-{kept}"
            subprocess.run(
                [pdftoppm, "-r", str(RESOLUTION), "-png", "-singlefile", "-f", str(page), "-l", str(page)]
                + [str(pdf), str(target)],
                check=True,
            )
            print(f"{target.with_suffix('.png').relative_to(ROOT)}  (PDF page {page} of {pages})")


if __name__ == "__main__":
    main()
