"""Web pages saved as one file (MHTML, ``.mhtml`` / ``.mht``) are read as the page they hold.

A browser's "Save as… Webpage, Single File" writes a MIME ``multipart/related`` message: the
page's HTML ``quoted-printable`` (or ``base64``) in one part, images and style sheets in
others.  Read as HTML, every ``="…"`` was ``=3D"…"`` and words were cut at the soft line
breaks: no table was found.  Now the page's part is decoded and read as HTML: the same report,
the same locations (lines of the page), an info ``mhtml-page``.
"""

from __future__ import annotations

import base64
import quopri
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import opengov
from budget import examples
from opengov._readers import mhtml
from opengov.testing import reports

pytest.importorskip("lxml")

DATA = Path(__file__).resolve().parent / "data"
PAGE = "https://www.example.gov.cn/xxgk/2023nb.html"
FRAME = "https://www.example.gov.cn/xxgk/frame/2023nb.html"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)


def _mhtml(
    html: bytes,
    *,
    encoding: str = "quoted-printable",
    charset: str | None = None,
    page_first: bool = True,
    frame: bytes | None = None,
) -> bytes:
    """An MHTML file as a browser writes one: the page's part and a style sheet and an image
    (and the page of a frame in it)."""
    boundary = "----MultipartBoundary--opengovTest----"
    if encoding == "quoted-printable":
        body = quopri.encodestring(html).replace(b"\n", b"\r\n")
    elif encoding == "base64":
        body = base64.encodebytes(html).replace(b"\n", b"\r\n")
    else:
        body = html
    content_type = "text/html" + (f'; charset="{charset}"' if charset else "")
    page = (
        f"Content-Type: {content_type}\r\nContent-Transfer-Encoding: {encoding}\r\nContent-Location: {PAGE}\r\n\r\n"
    ).encode() + body
    style = b"Content-Type: text/css\r\nContent-Location: https://www.example.gov.cn/a.css\r\n\r\nbody{color:#333}"
    image = (
        b"Content-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n"
        b"Content-Location: https://www.example.gov.cn/logo.png\r\n\r\n" + base64.encodebytes(PNG)
    )
    parts = [page, style, image] if page_first else [style, image, page]
    if frame is not None:
        parts.append(
            b"Content-Type: text/html\r\nContent-Transfer-Encoding: quoted-printable\r\n"
            + f"Content-Location: {FRAME}\r\n\r\n".encode()
            + quopri.encodestring(frame).replace(b"\n", b"\r\n")
        )
    head = (
        "From: <Saved by Blink>\r\n"
        f"Snapshot-Content-Location: {PAGE}\r\n"
        "MIME-Version: 1.0\r\n"
        f'Content-Type: multipart/related;\r\n\ttype="text/html";\r\n\tboundary="{boundary}"\r\n\r\n\r\n'
    ).encode()
    sep = f"--{boundary}\r\n".encode()
    return head + b"".join(sep + part + b"\r\n" for part in parts) + f"--{boundary}--\r\n".encode()


def test_the_page_chromium_saved_as_one_file_reads_as_the_reference_report() -> None:
    """``zhapu-2023.chrome.mhtml`` (``make_mhtml.py``: the reference report rendered as HTML
    and saved by Chromium) gives the reference report itself."""
    result = opengov.read(DATA / "mhtml" / "zhapu-2023.chrome.mhtml")
    assert result.form == "mhtml"
    assert result.report == opengov.read(DATA / "zhapu-2023.txt").report
    [note] = [d for d in result.diagnostics if d.code == "mhtml-page"]
    assert note.severity is opengov.Severity.INFO
    assert "quoted-printable" in note.message
    assert [d.code for d in result.diagnostics if d.severity is not opengov.Severity.INFO] == []


@settings(max_examples=examples(40), deadline=None)
@given(
    reports(),
    st.sampled_from(["quoted-printable", "base64", "8bit"]),
    st.booleans(),
)
def test_a_page_saved_as_one_file_reads_as_the_page(report: opengov.Report, encoding: str, page_first: bool) -> None:
    """Whatever the transfer encoding and wherever the page's part is among the others: the
    report and every cell's location are the page's."""
    html = opengov.render(report, to="html").encode("utf-8")
    page = opengov.parse(html)
    saved = opengov.parse(_mhtml(html, encoding=encoding, page_first=page_first))
    assert saved.form == "mhtml"
    assert saved.report == page.report
    assert saved.locations == page.locations


def test_a_gb2312_page_saved_by_internet_explorer_is_decoded() -> None:
    """An .mht of a GB2312 page (its charset on the part and in its <meta>): decoded as
    GB18030, the same report as the page, the encoding said."""
    report = opengov.read(DATA / "zhapu-2023.txt").report
    html = opengov.render(report, to="html").replace('<meta charset="utf-8">', '<meta charset="gb2312">')
    data = html.encode("gb18030")
    result = opengov.parse(_mhtml(data, charset="gb2312"))
    assert result.report == report
    assert any(d.code == "encoding" and "gb18030" in d.message for d in result.diagnostics)


def test_a_str_holding_a_saved_page_is_read_too() -> None:
    html = opengov.render(opengov.read(DATA / "zhapu-2023.txt").report, to="html").encode("utf-8")
    data = _mhtml(html)
    assert opengov.parse(data.decode("ascii")).report == opengov.parse(data).report


def test_a_saved_file_without_a_page_is_a_clear_error() -> None:
    data = _mhtml(b"<p>x</p>").replace(b"Content-Type: text/html", b"Content-Type: text/plain")
    with pytest.raises(opengov.ParseError) as raised:
        opengov.parse(data)
    [diagnostic] = raised.value.diagnostics
    assert diagnostic.code == "mhtml-no-page"
    assert "text/plain" in diagnostic.message


@pytest.mark.parametrize(
    "data",
    [
        b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=x\r\n\r\n--x\r\n",
        b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=x\r\n\r\n"
        + b"--x\r\nContent-Type: multipart/related; boundary=x\r\n\r\n" * 3000,
        b"MIME-Version: 1.0\r\nContent-Type: multipart/related\r\n\r\n\xff\xfe\x00garbage",
        b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=x\r\n\r\n"
        + b"--x\r\nContent-Type: image/png\r\n\r\nAAAA\r\n" * 20000,
        b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=x\r\n" + b"X-A: b\r\n" * 400_000,
    ],
    ids=["truncated", "nested-3000", "no-boundary", "parts-20000", "header-3-MB"],
)
def test_a_damaged_or_hostile_saved_file_ends_in_a_documented_error(data: bytes) -> None:
    """Bounded before the work: at most 10,000 parts are looked at, a header block is at
    most 64 KB, parts inside parts are looked into 8 deep."""
    with pytest.raises(opengov.ParseError) as raised:
        opengov.parse(data)
    assert raised.value.diagnostics[0].code in {"mhtml-no-page", "mhtml-damaged"}


def test_a_saved_file_over_the_input_limit_is_refused_first() -> None:
    data = _mhtml(b"<p>" + b"x" * 5000 + b"</p>")
    with pytest.raises(opengov.ParseError) as raised:
        opengov.parse(data, limits=opengov.Limits(input_bytes=1000))
    assert raised.value.diagnostics[0].code == "limit-input-bytes"


@pytest.mark.parametrize(
    "data",
    [
        b"<html><body><p>Content-Type: multipart/related</p><p>MIME-Version: 1.0</p></body></html>",
        b"\xe6\x9f\x90\xe6\x9f\x90\xe5\xb1\x80 MIME-Version: 1.0 Content-Type: multipart/related",
        b"Subject: x\r\nContent-Type: multipart/related\r\n\r\n",  # no MIME-Version
    ],
)
def test_a_page_or_text_that_only_mentions_mime_is_not_taken_for_one(data: bytes) -> None:
    assert not mhtml.detect(data)


def test_a_report_shown_in_a_frame_of_the_saved_page_is_read_from_the_frame() -> None:
    """The site's page holds no table but an ``<iframe>`` with the report: its frame's part
    is read (the note names it); a page that holds the tables itself is read, not its frame."""
    report = opengov.read(DATA / "zhapu-2023.txt").report
    html = opengov.render(report, to="html").encode("utf-8")
    site = f'<html><body><h1>政务公开</h1><p>年度报告</p><iframe src="{FRAME}"></iframe></body></html>'.encode()
    result = opengov.parse(_mhtml(site, frame=html))
    assert result.report == report
    [note] = [d for d in result.diagnostics if d.code == "mhtml-page"]
    assert FRAME in note.message
    other = opengov.render(opengov.parse(html).report.with_cell("table3", "new_received", "total", 99), to="html")
    result = opengov.parse(_mhtml(html, frame=other.encode("utf-8")))
    assert result.report == report
