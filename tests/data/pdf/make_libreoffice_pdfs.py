"""Make the LibreOffice-printed PDFs in this folder: ``python tests/data/pdf/make_libreoffice_pdfs.py``.

Each ``libreoffice-*.pdf`` is a report printed the way many organs print theirs: written as a
Word file by ``opengov.render(report, to="docx")`` and converted by
``libreoffice --headless --convert-to pdf`` (``libreoffice-framed-*``: the Word file's body in
the one cell of a frame table, see :data:`FRAMED`).  The reports are the committed
``generated-2019.json`` and ``generated-2021-b.json`` with longer prose, so that a prose
paragraph runs over a page break and table 3 runs across a page.  Beside each PDF,
``libreoffice-*.json`` is the report it came from (``opengov.dumps``).

Needs ``libreoffice`` on PATH and the extra ``opengov[docx]``; the PDFs are committed, so the
tests need neither.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import attrs

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2] / "src"))

import opengov  # noqa: E402
from opengov.testing import PROSE_PHRASES  # noqa: E402

PHRASES = tuple(p for p in PROSE_PHRASES if len(p) > 1)


def paragraph(seed: int, phrases: int) -> str:
    """A long paragraph of prose phrases (deterministic), with a figure in it."""
    parts = [PHRASES[(seed + 3 * i) % len(PHRASES)] for i in range(phrases)]
    return "，".join(parts) + f"，全年共{seed * 7 + 12}件。"


MADE = {  # name: (base report, paragraph lengths in phrases: overview, problems, other matters)
    "libreoffice-2019": ("generated-2019", (14, 9, 16, 12), (12,), (30, 8)),
    "libreoffice-2021": ("generated-2021-b", (10, 16, 20, 14, 25), (11, 6), (9,)),
    "libreoffice-framed-2021": ("generated-2021-a", (6, 9), (5,), (4,)),
}
FRAMED = {"libreoffice-framed-2021"}
"""Reports whose Word file has its whole body in the one cell of a frame table: LibreOffice
prints the inner tables shifted and clipped against the frame, figures of the edge columns
drawn across the tables' sides or beside them (what ``pdf-cut-figure`` is about)."""
_FRAME = '<w:tbl><w:tblGrid><w:gridCol w:w="9000"/></w:tblGrid><w:tr><w:tc><w:p/>{}<w:p/></w:tc></w:tr></w:tbl>'


def framed(docx: bytes) -> bytes:
    """The Word file with its body in the one cell of a frame table."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "word/document.xml":
                xml = content.decode("utf-8")
                body = re.search(r"<w:body>(.*)<w:sectPr", xml, re.S)
                assert body is not None
                xml = xml[: body.start(1)] + _FRAME.format(body.group(1)) + xml[body.end(1) :]
                content = xml.encode("utf-8")
            target.writestr(item.filename, content)
    return out.getvalue()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        reports = {}
        for name, (base, overview, problems, other) in MADE.items():
            report = opengov.loads((HERE / f"{base}.json").read_text(encoding="utf-8"))
            report = attrs.evolve(
                report,
                overview=tuple(paragraph(i + 1, n) for i, n in enumerate(overview)),
                problems=tuple(paragraph(i + 5, n) for i, n in enumerate(problems)),
                other_matters=tuple(paragraph(i + 9, n) for i, n in enumerate(other)),
            )
            reports[name] = report
            docx = bytes(opengov.render(report, to="docx"))
            (out / f"{name}.docx").write_bytes(framed(docx) if name in FRAMED else docx)
        subprocess.run(
            ["libreoffice", "--headless", "--convert-to", "pdf", "--outdir", str(out)]
            + [str(out / f"{name}.docx") for name in reports],
            check=True,
            capture_output=True,
            timeout=300,
        )
        for name, report in reports.items():
            (HERE / f"{name}.pdf").write_bytes((out / f"{name}.pdf").read_bytes())
            (HERE / f"{name}.json").write_text(opengov.dumps(report) + "\n", encoding="utf-8")
            print(name, report.organ, report.year)


if __name__ == "__main__":
    main()
