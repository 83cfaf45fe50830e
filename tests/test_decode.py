"""Bytes → text for every text form (``opengov._decode``): detection, ``encoding=``, the CLI's
``--encoding``, and properties over generated reports and arbitrary bytes."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import opengov
from budget import examples
from opengov import _decode
from opengov._cli import main
from opengov._errors import ParseError, Severity
from opengov.testing import reports

DATA = Path(__file__).resolve().parent / "data"
ENCODINGS = DATA / "encodings"
TEXT = DATA / "zhapu-2023.txt"
PAGE = DATA / "zhapu-2023.rendered.html"


@pytest.fixture(scope="module")
def text_report() -> opengov.Report:
    return opengov.read(TEXT).report


@pytest.fixture(scope="module")
def page_report() -> opengov.Report:
    return opengov.read(PAGE).report


def _encoding_notes(result: opengov.ParseResult) -> list[tuple[str, str]]:
    return [(str(d.severity), d.message) for d in result.diagnostics if d.code == "encoding"]


# ---------------------------------------------------------------------------------------
# The fixtures: the reference report as real sites publish it
# ---------------------------------------------------------------------------------------

FIXTURES = [
    ("zhapu-2023.gb18030.txt", "info", "decoded as gb18030 (not UTF-8; no encoding declared)"),
    ("zhapu-2023.gbk.html", "info", "decoded as gb18030 (<meta charset> says 'gb2312')"),
    ("zhapu-2023.gbk-undeclared.html", "info", "decoded as gb18030 (not UTF-8; no encoding declared)"),
    ("zhapu-2023.utf16le-bom.txt", "info", "decoded as utf-16-le (byte order mark)"),
    ("zhapu-2023.utf16be-bom.txt", "info", "decoded as utf-16-be (byte order mark)"),
    ("zhapu-2023.utf16le.txt", "info", "decoded as utf-16-le (no byte order mark; told by its NUL bytes)"),
    ("zhapu-2023.utf16be.txt", "info", "decoded as utf-16-be (no byte order mark; told by its NUL bytes)"),
    ("zhapu-2023.utf16le.html", "info", "decoded as utf-16-le (no byte order mark; told by its NUL bytes)"),
    ("zhapu-2023.utf16be-bom.html", "info", "decoded as utf-16-be (byte order mark)"),
    (
        "zhapu-2023.lying-meta-gb2312.html",
        "info",
        "decoded as utf-8 (<meta charset> says 'gb2312', but the bytes are not valid gb18030)",
    ),
    (
        "zhapu-2023.lying-meta-utf8.html",
        "info",
        "decoded as gb18030 (<meta charset> says 'utf-8', but the bytes are not valid utf-8)",
    ),
    (
        "zhapu-2023.rot13-meta.html",
        "info",
        "decoded as gb18030 (<meta charset> says 'rot13', not a text encoding (ignored))",
    ),
    ("zhapu-2023.xml-declaration.html", "info", "decoded as gb18030 (the XML declaration says 'GB2312')"),
]


@pytest.mark.parametrize(("name", "severity", "message"), FIXTURES)
def test_fixture_reads_as_the_utf8_original(
    name: str, severity: str, message: str, text_report: opengov.Report, page_report: opengov.Report
) -> None:
    result = opengov.read(ENCODINGS / name)
    assert result.form == ("html" if name.endswith(".html") else "text")  # UTF-16 HTML reaches the HTML reader
    assert result.report == (page_report if name.endswith(".html") else text_report)
    assert _encoding_notes(result) == [(severity, message)]
    assert result.diagnostics[0].code == "encoding"  # the decoding is said first


def test_fixtures_are_what_the_generator_writes() -> None:
    import runpy

    fixtures = runpy.run_path(str(ENCODINGS / "make_encodings.py"))["FIXTURES"]
    assert sorted(fixtures) == sorted(name for name, _, _ in FIXTURES)
    for name, data in fixtures.items():
        assert (ENCODINGS / name).read_bytes() == data, name


def test_plain_utf8_says_nothing(text_report: opengov.Report) -> None:
    data = TEXT.read_bytes()
    for variant in (data, codecs.BOM_UTF8 + data):
        result = opengov.parse(variant)
        assert result.report == text_report
        assert _encoding_notes(result) == []


def test_a_declaration_is_preferred_when_both_readings_are_possible() -> None:
    # "商业企业" in UTF-8 is 12 bytes that are also 6 valid GB18030 characters
    data = "<meta charset='gbk'><p>商业企业</p>".encode()
    assert data.decode("gb18030") != data.decode("utf-8")
    decoded = _decode.decode(data)
    assert decoded.encoding == "gb18030"
    (note,) = decoded.diagnostics
    assert note.severity is Severity.WARNING
    assert note.code == "encoding"
    assert note.message.endswith("the bytes are also valid utf-8: the declared one is used")
    # undeclared, the same bytes are UTF-8, and nothing is said
    plain = _decode.decode("<p>商业企业</p>".encode())
    assert (plain.text, plain.encoding, plain.diagnostics) == ("<p>商业企业</p>", "utf-8", ())


@pytest.mark.parametrize("label", ["rot13", "base64", "hex", "zlib", "punycode", "idna", "undefined", "bz2"])
def test_a_declared_non_text_codec_is_ignored(label: str) -> None:
    for body in ("公开".encode("gbk"), "公开".encode()):
        data = f"<meta charset='{label}'><p>".encode() + body + b"</p>"
        decoded = _decode.decode(data)
        assert decoded.text.endswith("<p>公开</p>")
        assert f"says '{label}', not a text encoding (ignored)" in decoded.diagnostics[0].message


def test_western_and_unknown_declarations_are_ignored() -> None:
    data = "<meta http-equiv='Content-Type' content='text/html; charset=iso-8859-1'><p>公开</p>".encode("gbk")
    decoded = _decode.decode(data)
    assert decoded.encoding == "gb18030"
    assert decoded.text.endswith("公开</p>")
    assert "not an encoding a Chinese report is written in (ignored)" in decoded.diagnostics[0].message
    unknown = _decode.decode(b"<meta charset=klingon><p>\xb9\xab</p>")
    assert "an unknown encoding (ignored)" in unknown.diagnostics[0].message


# ---------------------------------------------------------------------------------------
# encoding= and the CLI's --encoding
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        ("zhapu-2023.gb18030.txt", "gb18030"),
        ("zhapu-2023.gb18030.txt", "GBK"),
        ("zhapu-2023.utf16le.txt", "utf-16"),
        ("zhapu-2023.utf16be.txt", "utf-16"),
        ("zhapu-2023.utf16be-bom.txt", "utf-16"),
        ("zhapu-2023.utf16le.txt", "utf-16-le"),
        ("zhapu-2023.lying-meta-gb2312.html", "utf-8"),
    ],
)
def test_a_forced_encoding_reads_the_document(
    name: str, encoding: str, text_report: opengov.Report, page_report: opengov.Report
) -> None:
    path = ENCODINGS / name
    result = opengov.read(path, encoding=encoding)
    assert result.report == (page_report if name.endswith(".html") else text_report)
    assert opengov.parse(path.read_bytes(), encoding=encoding).report == result.report
    notes = _encoding_notes(result)
    assert notes == ([] if encoding == "utf-8" else [("info", notes[0][1])])
    assert all(message.endswith("(the encoding given)") for _, message in notes)


def test_a_forced_encoding_that_does_not_fit_names_the_byte_and_line() -> None:
    data = (ENCODINGS / "zhapu-2023.gb18030.txt").read_bytes()
    first = next(i for i, byte in enumerate(data) if byte >= 0x80)  # GB18030 leads are never UTF-8 here
    line = data[:first].count(b"\n") + 1
    with pytest.raises(ParseError) as error:
        opengov.parse(data, encoding="utf-8")
    (diagnostic,) = error.value.diagnostics
    assert diagnostic.code == "wrong-encoding"
    assert f"at byte {first}, line {line}" in diagnostic.message
    assert diagnostic.location.line == line


@pytest.mark.parametrize("encoding", ["rot13", "base64", "hex", "zlib", "punycode", "idna", "undefined", "klingon", ""])
def test_a_forced_encoding_must_be_a_text_encoding(encoding: str) -> None:
    with pytest.raises(ValueError, match="encoding"):
        opengov.parse(b"x", encoding=encoding)
    with pytest.raises(ValueError, match="encoding"):
        opengov.read(TEXT, encoding=encoding)


def test_encoding_with_text_or_of_the_wrong_type() -> None:
    with pytest.raises(ValueError, match="a str is already text"):
        opengov.parse(TEXT.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(TypeError, match="encoding must be a str"):
        opengov.parse(b"x", encoding=b"utf-8")  # type: ignore[arg-type]


def test_binary_forms_ignore_the_encoding() -> None:
    docx = opengov.render(opengov.read(TEXT).report, to="docx")
    assert opengov.parse(docx, encoding="gb18030").report == opengov.parse(docx).report


def test_cli_encoding(tmp_path: Path, text_report: opengov.Report) -> None:
    runner = CliRunner()
    path = ENCODINGS / "zhapu-2023.gb18030.txt"
    forced = runner.invoke(main, ["parse", str(path), "--encoding", "gb18030"])
    assert forced.exit_code == 0, forced.output
    assert opengov.loads(forced.stdout) == text_report
    detected = runner.invoke(main, ["parse", str(path)])
    assert detected.exit_code == 0
    assert opengov.loads(detected.stdout) == text_report
    assert "decoded as gb18030" in detected.stderr
    wrong = runner.invoke(main, ["parse", str(path), "--encoding", "utf-8"])
    assert wrong.exit_code == 2
    assert wrong.stderr.startswith(f"Error: cannot read {path}: the bytes are not valid utf-8 text (")
    assert wrong.stderr.rstrip().endswith("[wrong-encoding]")
    refused = runner.invoke(main, ["parse", str(path), "--encoding", "rot13"])
    assert refused.exit_code == 2
    assert "Invalid value for '--encoding': 'rot13' is not a text encoding" in refused.stderr


# ---------------------------------------------------------------------------------------
# Few undecodable bytes: replaced, never taking a digit with them
# ---------------------------------------------------------------------------------------


def test_few_bad_bytes_are_replaced_and_said(text_report: opengov.Report) -> None:
    data = TEXT.read_bytes().replace(b"\n", b"\n\xff", 1)
    result = opengov.parse(data)
    (warning,) = [d for d in result.diagnostics if d.code == "undecodable-bytes"]
    assert warning.severity is Severity.WARNING
    assert warning.location.line == 2
    assert "1 byte sequence(s) are not valid utf-8" in warning.message
    assert result.report.table2 == text_report.table2
    assert result.report.table3 == text_report.table3


def test_many_bad_bytes_are_refused() -> None:
    data = TEXT.read_bytes().replace(b"\n", b"\n\xff")
    assert data.count(b"\xff") > _decode.MAX_REPLACED
    with pytest.raises(ParseError) as error:
        opengov.parse(data)
    assert [d.code for d in error.value.diagnostics] == ["unknown-bytes"]


def test_a_character_cut_by_the_decoding_window_is_not_an_error() -> None:
    # a three-byte character across the 64 KB window, then one bad byte
    data = b"a" * (2**16 - 1) + "中".encode() + b"\xff1"
    decoded = _decode.decode(data)
    assert decoded.text == "a" * (2**16 - 1) + "中\ufffd1"
    assert [d.code for d in decoded.diagnostics] == ["undecodable-bytes"]
    assert "(the first at byte 65538, line 1)" in decoded.diagnostics[0].message


@settings(max_examples=examples(200))
@given(
    text=st.text(max_size=40),
    codec=st.sampled_from(["utf-8", "gb18030", "utf-16-le", "utf-16-be", "utf-32-le", "big5hkscs"]),
    noise=st.lists(st.tuples(st.integers(0, 200), st.binary(min_size=1, max_size=3)), max_size=4),
    window=st.integers(8, 24),
)
def test_decoding_by_windows_is_decoding_at_once(
    text: str, codec: str, noise: list[tuple[int, bytes]], window: int
) -> None:
    data = text.encode(codec, "replace")
    for where, junk in noise:
        where = min(where, len(data))
        data = data[:where] + junk + data[where:]
    whole = _decode._lenient(data, codec, window_bytes=len(data) + 1)
    assert _decode._lenient(data, codec, window_bytes=window) == whole
    if whole is not None and whole.replaced == 0:
        assert whole.text == data.decode(codec)  # valid bytes: exactly Python's strict reading


_GB_TEXT = TEXT.read_text(encoding="utf-8")


def _low_ascii(text: str) -> str:
    """Digits, spaces, line breaks and ASCII punctuation: what a figure is made of."""
    return "".join(c for c in text if c < "@")


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(where=st.integers(0, len(_GB_TEXT)), junk=st.binary(min_size=1, max_size=3))
def test_a_bad_utf8_byte_never_takes_or_makes_a_digit(where: int, junk: bytes) -> None:
    data = _GB_TEXT[:where].encode() + junk + _GB_TEXT[where:].encode()
    decoded = _decode.decode(data)  # a few bad sequences in a long UTF-8 text: read, never refused
    assert decoded.encoding == "utf-8"
    expected = _GB_TEXT[:where] + junk.decode("utf-8", "ignore") + _GB_TEXT[where:]
    assert _low_ascii(decoded.text) == _low_ascii(expected)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(where=st.integers(0, len(_GB_TEXT)), byte=st.integers(0x80, 0xFF))
def test_a_bad_gb18030_byte_is_refused_not_replaced(where: int, byte: int) -> None:
    data = _GB_TEXT[:where].encode("gb18030") + bytes([byte]) + _GB_TEXT[where:].encode("gb18030")
    codes: list[str] = []
    try:
        decoded = _decode.decode(data)
    except ParseError as error:
        codes = [d.code for d in error.diagnostics]
    else:  # the byte happened to form valid GB18030 with its neighbours: a strict reading
        assert decoded.encoding == "gb18030"
        assert "\ufffd" not in decoded.text
    assert codes in ([], ["unknown-bytes"])


# ---------------------------------------------------------------------------------------
# Properties: generated reports in every encoding; arbitrary bytes and declarations
# ---------------------------------------------------------------------------------------

_ENCODINGS = ["utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-16-le", "utf-16-be", "utf-32"]


@settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow])
@given(report=reports(), to=st.sampled_from(["text", "html", "markdown"]), encoding=st.sampled_from(_ENCODINGS))
def test_a_rendered_report_in_any_encoding_parses_as_its_text(report: opengov.Report, to: str, encoding: str) -> None:
    text = opengov.render(report, to=to)  # type: ignore[call-overload]
    if to == "html":
        text = text.replace('<meta charset="utf-8">', f'<meta charset="{encoding.removesuffix("-sig")}">')
    expected = opengov.parse(text).report
    assert opengov.parse(text.encode(encoding)).report == expected
    plain = encoding.removesuffix("-sig")
    assert opengov.parse(text.encode(plain), encoding=plain).report == expected


_LABELS = [
    "utf-8", "gbk", "gb2312", "gb18030", "big5", "utf-16", "unicode", "iso-8859-1", "ascii", "shift_jis",
    "rot13", "rot_13", "base64", "hex", "zlib", "zip", "bz2", "uu", "quopri", "punycode", "idna",
    "undefined", "unicode_escape", "raw_unicode_escape", "charmap", "utf-7", "mbcs", "x" * 60, "é", "",
]  # fmt: skip


@settings(max_examples=examples(60))
@given(
    label=st.one_of(st.sampled_from(_LABELS), st.text(max_size=12)),
    body=st.binary(max_size=300),
    how=st.sampled_from(["meta", "equiv", "xml"]),
    encoding=st.one_of(st.none(), st.sampled_from(_LABELS)),
)
def test_arbitrary_bytes_and_declarations_raise_only_documented_errors(
    label: str, body: bytes, how: str, encoding: str | None
) -> None:
    declared = label.encode("utf-8", "replace")
    head = {
        "meta": b"<meta charset='" + declared + b"'>",
        "equiv": b"<meta http-equiv='Content-Type' content='text/html; charset=" + declared + b"'>",
        "xml": b"<?xml version='1.0' encoding='" + declared + b"'?>",
    }[how]
    try:
        _decode.forced_codec("utf-8" if encoding is None else encoding)
        usable = True
    except ValueError:
        usable = False
    for data in (head + body, b"\n" + body + head, head + b"<table><tr><td>" + body + b"</td></tr></table>"):
        codes: list[str] = []
        try:
            assert isinstance(_decode.decode(data).text, str)
        except ParseError as error:
            codes = [d.code for d in error.diagnostics]
        assert codes in ([], ["unknown-bytes"])
        if not usable:
            with pytest.raises(ValueError, match="encoding"):
                opengov.parse(data, encoding=encoding)
            continue
        try:
            opengov.parse(data, encoding=encoding)
        except ParseError as error:
            codes = [d.code for d in error.diagnostics]
        assert all(isinstance(code, str) for code in codes)
