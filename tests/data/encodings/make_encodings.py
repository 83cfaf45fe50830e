"""Regenerate the encoding fixtures: ``python tests/data/encodings/make_encodings.py``.

Each file is the project's own reference report (``tests/data/zhapu-2023.txt``, and its
rendering ``zhapu-2023.rendered.html``) in another encoding or with another declaration, as
real sites publish them: GBK/GB18030 text and pages, UTF-16 (Word's "Unicode text" export)
with and without a byte order mark, a ``<meta charset>`` that lies, one that names rot13,
and an XML declaration.  Every one must parse to the same report as the UTF-8 original.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
TEXT = (HERE.parent / "zhapu-2023.txt").read_text(encoding="utf-8")
PAGE = (HERE.parent / "zhapu-2023.rendered.html").read_text(encoding="utf-8")
META = '<meta charset="utf-8">'
assert META in PAGE


def page(meta: str) -> str:
    return PAGE.replace(META, meta)


GB_EQUIV = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'

FIXTURES: dict[str, bytes] = {
    "zhapu-2023.gb18030.txt": TEXT.encode("gb18030"),
    "zhapu-2023.gbk.html": page(GB_EQUIV).encode("gbk"),
    "zhapu-2023.gbk-undeclared.html": page("").encode("gbk"),
    "zhapu-2023.utf16le-bom.txt": TEXT.encode("utf-16-le").join([b"\xff\xfe", b""]),
    "zhapu-2023.utf16be-bom.txt": TEXT.encode("utf-16-be").join([b"\xfe\xff", b""]),
    "zhapu-2023.utf16le.txt": TEXT.encode("utf-16-le"),
    "zhapu-2023.utf16be.txt": TEXT.encode("utf-16-be"),
    "zhapu-2023.utf16le.html": page('<meta charset="unicode">').encode("utf-16-le"),
    "zhapu-2023.utf16be-bom.html": b"\xfe\xff" + page('<meta charset="utf-16">').encode("utf-16-be"),
    # the page says GB2312 but was re-encoded as UTF-8 (a crawler kept the old <meta>)
    "zhapu-2023.lying-meta-gb2312.html": page(GB_EQUIV).encode("utf-8"),
    # the page says UTF-8 but is GBK (a template's <meta> copied onto a legacy page)
    "zhapu-2023.lying-meta-utf8.html": page(META).encode("gbk"),
    # rot13 is a Python codec, not a text encoding: the declaration is ignored
    "zhapu-2023.rot13-meta.html": page('<meta charset="rot13">').encode("gb18030"),
    "zhapu-2023.xml-declaration.html": (
        '<?xml version="1.0" encoding="GB2312"?>\n' + page("").replace("<!DOCTYPE html>\n", "", 1)
    ).encode("gb18030"),
}


def main() -> None:
    for name, data in FIXTURES.items():
        (HERE / name).write_bytes(data)
        print(f"{name}: {len(data)} bytes")


if __name__ == "__main__":
    main()
