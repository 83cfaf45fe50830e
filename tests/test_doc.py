"""Word 97–2003 .doc and WPS .wps files (OLE2 compound files): detected by signature, converted
by LibreOffice when it is on PATH, otherwise a documented error naming the format and the remedy."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import opengov
from opengov._errors import ParseError
from opengov._readers import detect_binary_form
from opengov._readers import doc as doc_reader

DATA = Path(__file__).resolve().parent / "data"
DOC = DATA / "doc" / "zhapu-2023.doc"  # LibreOffice's .doc of opengov.render(<zhapu-2023.txt>, to="docx")
SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

needs_libreoffice = pytest.mark.skipif(
    shutil.which("soffice") is None and shutil.which("libreoffice") is None,
    reason="LibreOffice (soffice or libreoffice) is not on PATH",
)


def _code(error: pytest.ExceptionInfo[ParseError]) -> str:
    (diagnostic,) = error.value.diagnostics
    return diagnostic.code


def _stream(name: str) -> bytes:
    """A compound file whose directory holds a stream called ``name`` (as UTF-16LE)."""
    return SIGNATURE + bytes(504) + name.encode("utf-16-le") + bytes(64)


@pytest.fixture
def no_converter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "empty-path"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))


def _fake_converter(folder: Path, script: str) -> None:
    """An ``soffice`` on PATH that runs ``script`` (a shell script)."""
    folder.mkdir(exist_ok=True)
    program = folder / "soffice"
    program.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)


def test_detected_by_signature() -> None:
    form = detect_binary_form(DOC.read_bytes())
    assert form is not None
    assert form.name == "doc"
    assert doc_reader.kind(DOC.read_bytes()) == "word"


@pytest.mark.usefixtures("no_converter")
def test_without_libreoffice_the_error_names_the_format_and_the_remedy() -> None:
    for form in ("auto", "doc", "docx"):
        with pytest.raises(ParseError) as error:
            opengov.parse(DOC.read_bytes(), form=form)
        assert _code(error) == "doc-legacy"
        message = error.value.diagnostics[0].message
        assert "Word 97–2003 .doc or WPS .wps" in message
        assert "install LibreOffice" in message
        assert "save it as .docx" in message


@pytest.mark.usefixtures("no_converter")
@settings(max_examples=40)
@given(st.binary(max_size=600))
def test_ole2_bytes_are_never_unknown_bytes(rest: bytes) -> None:
    with pytest.raises(ParseError) as error:
        opengov.parse(SIGNATURE + rest)
    assert _code(error) in ("doc-legacy", "doc-encrypted", "doc-not-word")


@pytest.mark.parametrize(
    ("stream", "code", "words"),
    [
        ("EncryptedPackage", "doc-encrypted", "password-protected"),
        ("Workbook", "doc-not-word", "Excel 97–2003 workbook (.xls)"),
        ("PowerPoint Document", "doc-not-word", "PowerPoint 97–2003 presentation (.ppt)"),
    ],
)
def test_other_compound_files_are_said_without_converting(stream: str, code: str, words: str) -> None:
    with pytest.raises(ParseError) as error:
        opengov.parse(_stream(stream))
    assert _code(error) == code
    assert words in error.value.diagnostics[0].message


def test_a_str_is_refused() -> None:
    with pytest.raises(ValueError, match="must be given as bytes"):
        opengov.parse("x", form="doc")


def test_a_converter_that_fails_or_makes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_converter(tmp_path / "bin", "echo 'Error: source file could not be loaded'\nexit 1\n")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")  # before any real one
    with pytest.raises(ParseError) as error:
        opengov.parse(DOC.read_bytes())
    assert _code(error) == "doc-conversion-failed"
    assert error.value.diagnostics[0].message.endswith("it may be damaged): Error: source file could not be loaded")


def test_a_converter_that_hangs_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pid_file = tmp_path / "pid"
    _fake_converter(tmp_path / "bin", f"sleep 600 &\necho $! > {pid_file}\nwait\n")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")  # before any real one
    monkeypatch.setattr(doc_reader, "CONVERT_TIMEOUT", 1)
    with pytest.raises(ParseError) as error:
        opengov.parse(DOC.read_bytes())
    assert _code(error) == "doc-conversion-failed"
    assert "within 1 s; it was stopped" in error.value.diagnostics[0].message
    child = Path(f"/proc/{int(pid_file.read_text(encoding='utf-8'))}/stat")
    if child.exists():  # the converter's own child too: gone, or a zombie waiting for init to reap it
        assert child.read_text(encoding="utf-8").rsplit(")", 1)[1].split()[0] in ("Z", "X")


def test_the_docx_made_is_bounded_by_the_input_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a converter writing a .docx of 5000 bytes from its arguments' --outdir
    script = 'while [ "$1" != "--outdir" ]; do shift; done\nhead -c 5000 /dev/zero > "$2/document.docx"\n'
    _fake_converter(tmp_path / "bin", script)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")  # before any real one
    with pytest.raises(ParseError) as error:
        opengov.parse(_stream("WordDocument") + bytes(100), limits=opengov.Limits(input_bytes=4000))
    assert _code(error) == "limit-input-bytes"


@pytest.mark.libreoffice
@needs_libreoffice
def test_a_doc_converted_by_libreoffice_reads_as_the_original(tmp_path: Path) -> None:
    original = opengov.read(DATA / "zhapu-2023.txt").report
    result = opengov.read(DOC)
    assert result.form == "doc"
    assert result.report == original
    assert [d.code for d in result.diagnostics if d.code.startswith("doc")] == ["doc-converted"]
    # a WPS .wps file is the same OLE2 Word format under another name: the content decides
    wps = tmp_path / "报告.wps"
    wps.write_bytes(DOC.read_bytes())
    assert opengov.read(wps).report == original


@pytest.mark.libreoffice
@needs_libreoffice
def test_a_damaged_doc_is_a_conversion_error() -> None:
    with pytest.raises(ParseError) as error:
        opengov.parse(SIGNATURE + bytes(600))
    assert _code(error) == "doc-conversion-failed"
