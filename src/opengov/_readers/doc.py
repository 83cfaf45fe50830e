"""Word 97–2003 ``.doc`` and WPS ``.wps`` reports: OLE2 compound files, converted to .docx.

An OLE2 compound file starts with ``D0 CF 11 E0 A1 B1 1A E1``; its directory names its
streams (UTF-16LE): ``WordDocument`` for a Word or WPS text document, ``EncryptedPackage``
for a password-protected Office file, ``Workbook`` / ``PowerPoint Document`` for Excel and
PowerPoint.  A text document is converted by LibreOffice in headless mode (``soffice`` or
``libreoffice`` found on ``PATH``) to .docx in a temporary directory of its own (with a
profile of its own, so that conversions may run in parallel), within
:data:`CONVERT_TIMEOUT` seconds, and then read by the .docx reader.  ``Limits.input_bytes``
bounds the document given and the .docx made from it.

Errors (:class:`~opengov.ParseError`, one diagnostic each): ``doc-legacy`` — no LibreOffice
on ``PATH`` (the message names the format and the remedies: install LibreOffice, or save
the file as .docx); ``doc-encrypted`` — a password-protected Office file; ``doc-not-word`` —
an Excel or PowerPoint 97–2003 file; ``doc-conversion-failed`` — LibreOffice could not
convert it (a damaged file) or did not finish in time.
"""

from __future__ import annotations

import contextlib
import os
import pathlib
import shutil
import signal
import subprocess
import tempfile

import attrs

from opengov._errors import Diagnostic, Location, ParseError, Severity
from opengov._grid import Document
from opengov._limits import Limits, limit_error
from opengov._readers._sniff import OLE_SIGNATURE, is_ole

__all__ = ["NAME", "SIGNATURE", "CONVERT_TIMEOUT", "CONVERTERS", "detect", "kind", "converter", "read"]

NAME = "doc"
"""The name of this input form."""

SIGNATURE = OLE_SIGNATURE
"""The first bytes of every OLE2 compound file."""

CONVERT_TIMEOUT = 120
"""Seconds LibreOffice may take to convert one document (it is then stopped)."""

CONVERTERS = ("soffice", "libreoffice")
"""The programs looked for on ``PATH``, in this order."""

FORMAT = "a Word 97–2003 .doc or WPS .wps file (an OLE2 compound file)"

_WORD, _ENCRYPTED = "WordDocument".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le")
_OTHERS = (
    ("Workbook".encode("utf-16-le"), "an Excel 97–2003 workbook (.xls)"),
    ("Book".encode("utf-16-le"), "an Excel 5 workbook (.xls)"),
    ("PowerPoint Document".encode("utf-16-le"), "a PowerPoint 97–2003 presentation (.ppt)"),
)


def detect(data: bytes) -> bool:
    """Whether ``data`` is an OLE2 compound file (by its signature)."""
    return is_ole(data)


def kind(data: bytes) -> str:
    """``"word"``, ``"encrypted"`` or what other Office file it is, by the stream names in
    the compound file's directory (``"word"`` when none is recognised: LibreOffice decides)."""
    if _WORD in data:
        return "word"
    if _ENCRYPTED in data:
        return "encrypted"
    for name, what in _OTHERS:
        if name in data:
            return what
    return "word"


def converter() -> str | None:
    """The LibreOffice program found on ``PATH`` (``soffice`` or ``libreoffice``), if any."""
    for program in CONVERTERS:
        found = shutil.which(program)
        if found is not None:
            return found
    return None


def _error(code: str, message: str) -> ParseError:
    return ParseError([Diagnostic(severity=Severity.ERROR, code=code, message=message, location=Location())], message)


def read(data: bytes, limits: Limits) -> Document:
    """Convert the compound file with LibreOffice and read the .docx it makes (form
    ``"doc"``); an ``info`` diagnostic ``doc-converted`` says so.  Raises
    :class:`~opengov.ParseError` (see the module's list of codes)."""
    what = kind(data)
    if what == "encrypted":
        raise _error(
            "doc-encrypted",
            "the file is a password-protected Office file (an OLE2 compound file holding an encrypted package); "
            "open it in Word, WPS or LibreOffice, remove the password and save it as .docx",
        )
    if what != "word":
        raise _error("doc-not-word", f"the OLE2 compound file is not a Word document: it is {what}")
    program = converter()
    if program is None:
        raise _error(
            "doc-legacy",
            f"the file is {FORMAT}; reading it needs LibreOffice to convert it, and neither soffice nor "
            "libreoffice is on PATH: install LibreOffice (e.g. apt-get install libreoffice-writer-nogui), "
            "or open the file in Word or WPS and save it as .docx",
        )
    docx = _convert(program, data, limits)
    from opengov._readers import docx as docx_reader

    document = docx_reader.read(docx)
    note = Diagnostic(
        severity=Severity.INFO,
        code="doc-converted",
        message=f"the file is {FORMAT}: converted to .docx by LibreOffice, then read",
        location=Location(),
    )
    return attrs.evolve(document, form=NAME, diagnostics=(note, *document.diagnostics))


def _convert(program: str, data: bytes, limits: Limits) -> bytes:
    with tempfile.TemporaryDirectory(prefix="opengov-doc-") as folder:
        work = pathlib.Path(folder)
        source = work / "document.doc"
        source.write_bytes(data)
        out = work / "out"
        out.mkdir()
        command = [
            program,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(out),
            str(source),
        ]
        env = {**os.environ, "HOME": folder}
        try:
            process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                cwd=folder,
                env=env,
                start_new_session=True,  # its own process group: stopped whole on timeout
            )
        except OSError as exc:
            raise _error("doc-conversion-failed", f"LibreOffice ({program}) could not be started: {exc}") from None
        with process:
            try:
                output, _ = process.communicate(timeout=CONVERT_TIMEOUT)
            except subprocess.TimeoutExpired:
                _stop(process)
                process.communicate()
                raise _error(
                    "doc-conversion-failed",
                    f"LibreOffice did not convert the file ({FORMAT}) within {CONVERT_TIMEOUT} s; it was stopped",
                ) from None
            finally:
                _stop(process)
        converted = out / "document.docx"
        if not converted.is_file():
            lines = output.decode("utf-8", "replace").splitlines()
            said = " ".join(" ".join(line.split()) for line in lines if not line.startswith("Warning:"))[-300:]
            raise _error(
                "doc-conversion-failed",
                f"LibreOffice could not convert the file ({FORMAT}; it may be damaged)"
                + (f": {said}" if said else f" (exit status {process.returncode})"),
            )
        size = converted.stat().st_size
        if size > limits.input_bytes:
            raise limit_error("input_bytes", f"{size} (the .docx LibreOffice made)", limits.input_bytes)
        return converted.read_bytes()


def _stop(process: subprocess.Popen[bytes]) -> None:
    """End the converter's process group if anything of it is still running."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
