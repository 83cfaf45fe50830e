"""Make the hostile files of ``tests/data/hostile/`` other than the PDFs (those are made by
``tests/data/pdf/make_hostile_pdfs.py``): ``python tests/data/hostile/make_hostile_files.py``.

Every file is small and each stands for one class of hostile input found by the
adversarial review of issue 22; ``tests/test_hostile.py`` says what each must end in (a
documented error, or a parse) and bounds what it may cost.

Word (.docx), written byte by byte where the zip must lie:

* ``gridspan.docx`` — one table cell with ``<w:gridSpan w:val="1000000000"/>`` (the reader
  looped over every spanned column: gigabytes, then a bare ``MemoryError``).
* ``lying-size.docx`` — ``word/document.xml`` holds 32 MiB (of spaces, 32 KB compressed) while
  the zip directory says 100 KB.
* ``damaged-directory.docx`` — the end-of-directory record points 4 GB before the file
  (``ValueError: negative seek value`` from the zip module).

Text, Markdown and HTML, each a pattern that backtracked:

* ``tables.html`` — ``x`` and ``<table>`` 20,000 times (HTML detection's lazy
  ``<table.*?</td>`` scanned to the end from every tag: quadratic).
* ``blank-lines.html`` — a table cell, then 100,000 blank lines (``^\\s*`` tried from every
  line of the run).
* ``heading-spaces.md`` — ``# a``, 20,000 spaces and ``b`` (a heading pattern with three
  neighbouring quantifiers: cubic).
* ``delimiter-spaces.md`` — a pipe table whose delimiter row is ``|---``, 20,000 spaces and
  ``x``.
* ``tabs-line.txt`` — three TABs, ``1`` and 20,000 spaces.

Made from the reference report ``tests/data/zhapu-2023.*`` (the project's own test
document):

* ``long-figure.txt`` / ``.json`` / ``.long.csv`` — its first figure (22738) replaced by
  5,000 nines (CPython refuses to turn more than 4,300 digits into an int).
* ``long-amount.long.csv`` — its amount 1341万元 written ``1e9999999999999999999999``.
* ``long-paragraph.long.csv`` — its CSV with one more paragraph of 140,000 characters
  (over the :mod:`csv` module's field limit of 131,072), written by ``opengov.to_csv``
  (so the script is run with ``PYTHONPATH=src``).
* ``control-title.txt`` — its text with a BEL (``\\x07``) in the title (a Word file cannot
  hold it).

Files too large to keep (50 MB of table rows) are made by the test itself.
"""

from __future__ import annotations

import io
import json
import struct
import zipfile
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parent
DATA = OUT.parent
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
FIGURE = "9" * 5000


def _docx(document_xml: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in (("[Content_Types].xml", b"<Types/>"), ("word/document.xml", document_xml)):
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def _body(inner: str) -> bytes:
    return f"<w:document {W}><w:body>{inner}</w:body></w:document>".encode()


def gridspan() -> bytes:
    cell = '<w:tc><w:tcPr><w:gridSpan w:val="1000000000"/></w:tcPr><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc>'
    return _docx(_body(f"<w:tbl><w:tr>{cell}</w:tr></w:tbl>"))


def lying_size(real: int = 32 << 20, claimed: int = 100 * 1024) -> bytes:
    """A zip of one stored-as-deflated ``word/document.xml`` of ``real`` bytes whose local
    header and directory both say ``claimed``."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = _body("").replace(b"</w:body></w:document>", b"")
    chunk = b" " * (1 << 20)
    parts = [compressor.compress(head)]
    parts += [compressor.compress(chunk) for _ in range(real // len(chunk))]
    parts += [compressor.compress(b"</w:body></w:document>"), compressor.flush()]
    data = b"".join(parts)
    name = b"word/document.xml"
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, 0, len(data), claimed, len(name), 0) + name
    central = (
        struct.pack(
            "<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, 0, len(data), claimed, len(name), 0, 0, 0, 0, 0, 0
        )
        + name
    )
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, len(central), len(local) + len(data), 0)
    return local + data + central + end


def damaged_directory() -> bytes:
    data = gridspan()
    end = data.rfind(b"PK\x05\x06")
    return data[: end + 16] + struct.pack("<L", 0xFFFFFF00) + data[end + 20 :]


def main() -> None:
    files: dict[str, bytes] = {
        "gridspan.docx": gridspan(),
        "lying-size.docx": lying_size(),
        "damaged-directory.docx": damaged_directory(),
        "tables.html": b"x" + b"<table>" * 20_000,
        "blank-lines.html": b"x<table><td></td>" + b"\n" * 100_000 + b"y",
        "heading-spaces.md": b"# a" + b" " * 20_000 + b"b\n",
        "delimiter-spaces.md": b"a|b\n|---" + b" " * 20_000 + b"x\n",
        "tabs-line.txt": b"\t\t\t1" + b" " * 20_000 + b"\n",
    }
    text = (DATA / "zhapu-2023.txt").read_text(encoding="utf-8")
    assert text.count("22738") == 1
    files["long-figure.txt"] = text.replace("22738", FIGURE).encode()
    first_line = text.split("\n", 1)[0]
    files["control-title.txt"] = text.replace(first_line, first_line[:4] + "\x07" + first_line[4:], 1).encode()
    report = json.loads((DATA / "zhapu-2023.expected.json").read_text(encoding="utf-8"))
    report_json = json.dumps(report, ensure_ascii=False, indent=1)
    assert report_json.count("22738") == 1
    files["long-figure.json"] = report_json.replace("22738", FIGURE).encode()
    long_csv = (DATA / "zhapu-2023.long.csv").read_text(encoding="utf-8")
    assert long_csv.count(",22738,,22738\n") == 1
    assert long_csv.count(",1341,万元,1341万元\n") == 1
    files["long-figure.long.csv"] = long_csv.replace(",22738,,22738\n", f",{FIGURE},,{FIGURE}\n").encode()
    big = "1e9999999999999999999999"
    files["long-amount.long.csv"] = long_csv.replace(",1341,万元,1341万元\n", f",{big},万元,{big}万元\n").encode()
    import attrs

    import opengov

    reference = opengov.loads((DATA / "zhapu-2023.expected.json").read_bytes())
    longer = attrs.evolve(reference, other_matters=(*reference.other_matters, "x" * 140_000))
    files["long-paragraph.long.csv"] = opengov.to_csv(longer).encode()
    for name, data in files.items():
        (OUT / name).write_bytes(data)
        print(f"{name}: {len(data)} bytes")


if __name__ == "__main__":
    main()
