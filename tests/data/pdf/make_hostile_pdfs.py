"""Make the small hostile PDFs in ``tests/data/hostile/``: ``python tests/data/pdf/make_hostile_pdfs.py``.

Each is written by hand (a few objects and a cross-reference table), so that every byte is
known; only ``encrypted.pdf`` uses ``pypdf`` (to encrypt).  ``tests/test_pdf.py`` says what each
must end in: a documented :class:`~opengov.ParseError` or a quick parse.

* ``cid-widths.pdf`` — a CID font whose width array claims five billion glyphs
  (``/W [0 5000000000 500]``); pdfminer expanded it (gigabytes, minutes).
* ``grid-lines.pdf`` — a page of 200 horizontal and 140 vertical lines and one line of text:
  table finding must stay near-linear (the old reader was O(n⁴) on such grids).
* ``grid-pages.pdf`` — the same grid on 5 pages: more grid squares than ``Limits.cells``.
* ``long-line.pdf`` — one printed line of TABs, ``1``, 20,000 spaces and a letter.
* ``truncated.pdf`` — the first 600 bytes of a one-page PDF.
* ``zero-pages.pdf`` — a page tree with no page.
* ``many-pages.pdf`` — 501 pages sharing one content stream (over ``Limits.pages``).
* ``encrypted.pdf`` — a one-page PDF with a user password.
* ``blank.pdf`` — one page with nothing on it.
"""

from __future__ import annotations

import io
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "hostile"

FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def build(objects: list[bytes]) -> bytes:
    """A PDF of ``objects`` (object 1 is the catalog) with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def stream(data: bytes, compress: bool = False) -> bytes:
    if compress:
        data = zlib.compress(data, 9)
        return b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def one_page(content: bytes, font: bytes = FONT, compress: bool = False) -> bytes:
    return build(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
            stream(content, compress),
            font,
        ]
    )


def text(line: bytes, y: int = 800) -> bytes:
    return b"BT /F1 10 Tf 40 %d Td (" % y + line + b") Tj ET\n"


def cid_widths() -> bytes:
    font = b"<< /Type /Font /Subtype /Type0 /BaseFont /Hostile /Encoding /Identity-H /DescendantFonts [6 0 R] >>"
    descendant = (
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Hostile "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
        b"/FontDescriptor 7 0 R /W [0 5000000000 500] >>"
    )
    descriptor = (
        b"<< /Type /FontDescriptor /FontName /Hostile /Flags 32 /FontBBox [0 -200 1000 900] "
        b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>"
    )
    content = b"BT /F1 12 Tf 72 700 Td <0001000200030004> Tj ET"
    return build(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
            stream(content),
            font,
            descendant,
            descriptor,
        ]
    )


def grid_content() -> bytes:
    """200 horizontal and 140 vertical lines 3.5 pt apart (as dense as lines can be without
    being snapped into one: 27,861 grid squares), and one line of text."""
    parts = [b"0.1 w\n"]
    for i in range(200):
        y = 60 + i * 3.5
        parts.append(b"40 %.2f m 530 %.2f l S\n" % (y, y))
    for i in range(140):
        x = 40 + i * 3.5
        parts.append(b"%.2f 60 m %.2f 757 l S\n" % (x, x))
    parts.append(text(b"grid", 790))
    return b"".join(parts)


def grid_pages(n: int) -> bytes:
    """The grid on ``n`` pages sharing one content stream."""
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(n))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n,
        stream(grid_content(), compress=True),
        FONT,
    ]
    objects += [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 3 0 R >>"
    ] * n
    return build(objects)


def long_line() -> bytes:
    return one_page(text(b"\t\t1" + b" " * 20_000 + b"x"), compress=True)


def zero_pages() -> bytes:
    return build([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])


def many_pages(n: int) -> bytes:
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(n))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n,
        stream(text(b"page")),
        FONT,
    ]
    objects += [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 3 0 R >>"
    ] * n
    return build(objects)


def encrypted() -> bytes:
    import pypdf

    writer = pypdf.PdfWriter(clone_from=io.BytesIO(one_page(text(b"secret report"))))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def main() -> None:
    OUT.mkdir(exist_ok=True)
    files = {
        "cid-widths.pdf": cid_widths(),
        "grid-lines.pdf": grid_pages(1),
        "grid-pages.pdf": grid_pages(5),
        "long-line.pdf": long_line(),
        "truncated.pdf": one_page(text(b"cut short") * 40)[:600],
        "zero-pages.pdf": zero_pages(),
        "many-pages.pdf": many_pages(501),
        "encrypted.pdf": encrypted(),
        "blank.pdf": one_page(b""),
    }
    for name, data in files.items():
        (OUT / name).write_bytes(data)
        print(name, len(data))


if __name__ == "__main__":
    main()
