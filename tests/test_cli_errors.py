"""The error contract on the command line: every failure is one line on stderr with a
documented exit status, never a traceback, and a crash never looks like findings (exit 1).
A missing optional extra is :class:`opengov.MissingExtraError` everywhere, naming the extra."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import opengov
from opengov._cli import main

DATA = Path(__file__).resolve().parent / "data"
REFERENCE = DATA / "zhapu-2023.txt"
SRC = Path(__file__).resolve().parent.parent / "src"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("OPENGOV_DEBUG", "OPENGOV_LANG")}
    env["PYTHONPATH"] = str(SRC)
    return {**env, **extra}


def run_patched(patch: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``opengov ARGS`` in a real process, after running ``patch`` (Python) in it."""
    code = (
        textwrap.dedent(patch)
        + "\nimport sys\nfrom opengov.__main__ import main\nsys.argv = ['opengov', *sys.argv[1:]]\nmain()\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120, env=_env(**env)
    )


@pytest.fixture
def inconsistent(tmp_path: Path) -> Path:
    report = opengov.read(REFERENCE).report.with_cell("table3", "granted", "natural_person", 20)
    path = tmp_path / "inconsistent.json"
    path.write_text(opengov.dumps(report), encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------
# A crash is exit 3, one line, never 1
# ---------------------------------------------------------------------------------------

CRASH_IN_CHECK = """
import opengov
def crash(*args, **kwargs):
    raise ValueError("Exceeds the limit (4300 digits) for integer string conversion\\nsecond line")
opengov.check = crash
"""


def test_a_crash_in_check_exits_3_with_one_line_not_1(inconsistent: Path) -> None:
    proc = run_patched(CRASH_IN_CHECK, "check", str(inconsistent))
    assert proc.returncode == 3
    assert proc.stdout == ""
    assert proc.stderr == (
        "Error: internal error (ValueError: Exceeds the limit (4300 digits) for integer string conversion). "
        "This is a bug in opengov: please report it with the input (OPENGOV_DEBUG=1 shows the traceback)\n"
    )
    debug = run_patched(CRASH_IN_CHECK, "check", str(inconsistent), OPENGOV_DEBUG="1")
    assert "Traceback (most recent call last)" in debug.stderr
    assert debug.returncode == 1  # Python's own status for an uncaught exception


def test_a_crash_after_error_findings_is_still_3(inconsistent: Path, tmp_path: Path) -> None:
    """The findings are made (they have errors: status 1 without the crash), then writing the
    page crashes: the status is 3."""
    patch = """
import opengov
def crash(*args, **kwargs):
    raise RuntimeError("the page could not be drawn")
opengov.render = crash
"""
    proc = run_patched(patch, "check", str(inconsistent), "--html", str(tmp_path / "page.html"))
    assert proc.returncode == 3
    assert proc.stderr.startswith("Error: internal error (RuntimeError: the page could not be drawn).")
    assert len(proc.stderr.splitlines()) == 1


@pytest.mark.parametrize("command", ["parse", "render", "convert --to csv"])
def test_a_crash_while_reading_exits_3_in_every_command(command: str) -> None:
    patch = """
import opengov
def crash(*args, **kwargs):
    raise RecursionError("maximum recursion depth exceeded")
opengov.parse = crash
"""
    proc = run_patched(patch, *command.split()[:1], str(REFERENCE), *command.split()[1:])
    assert proc.returncode == 3
    assert proc.stderr.startswith("Error: internal error (RecursionError: maximum recursion depth exceeded).")
    assert "Traceback" not in proc.stderr


def test_interrupted_exits_130_without_a_traceback(inconsistent: Path) -> None:
    patch = """
import opengov
def interrupted(*args, **kwargs):
    raise KeyboardInterrupt
opengov.check = interrupted
"""
    proc = run_patched(patch, "check", str(inconsistent))
    assert proc.returncode == 130
    assert proc.stderr == "interrupted\n"


def _waiting_on_a_pipe(pid: int) -> bool:
    try:
        return "pipe_read" in Path(f"/proc/{pid}/wchan").read_text()
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/wchan").exists(), reason="needs Linux's /proc/PID/wchan")
def test_sigint_in_a_real_run_exits_130() -> None:
    """A real SIGINT while the command works (reading standard input that never ends)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "opengov", "parse", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(),
        text=True,
    )
    for _ in range(600):  # until it waits on standard input (started, inside the command)
        if _waiting_on_a_pipe(proc.pid):
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert err == "interrupted\n"


def test_a_closed_stdout_exits_141_quietly() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "opengov", "render", str(REFERENCE)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(),
    )
    assert proc.stdout is not None
    proc.stdout.close()  # like `| head -c 0`: the reader is gone before anything is written
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 141, err
    assert b"Traceback" not in err
    assert b"BrokenPipe" not in err


# ---------------------------------------------------------------------------------------
# Missing extras: one error type, naming the extra
# ---------------------------------------------------------------------------------------


def _without(monkeypatch: pytest.MonkeyPatch, *modules: str) -> None:
    for name in list(sys.modules):
        if any(name == m or name.startswith(m + ".") for m in modules):
            monkeypatch.delitem(sys.modules, name)
    for name in modules:
        monkeypatch.setitem(sys.modules, name, None)  # import of it raises ImportError


@pytest.mark.parametrize(
    ("modules", "extra", "package", "call"),
    [
        (
            ("lxml",),
            "html",
            "lxml",
            lambda: opengov.parse("<html><body><table><tr><td>1</td></tr></table></body></html>"),
        ),
        (("pypdfium2",), "pdf", "pypdfium2", lambda: opengov.read(DATA / "quirks" / "wrapped-2024.pdf")),
        (("docx",), "docx", "python-docx", lambda: opengov.render(opengov.read(REFERENCE).report, to="docx")),
        (("pandas",), "pandas", "pandas", lambda: opengov.to_dataframe([opengov.read(REFERENCE).report])),
    ],
    ids=["lxml", "pypdfium2", "python-docx", "pandas"],
)
def test_every_missing_extra_raises_missing_extra_error(
    monkeypatch: pytest.MonkeyPatch, modules: tuple[str, ...], extra: str, package: str, call: Any
) -> None:
    _without(monkeypatch, *modules)
    with pytest.raises(opengov.MissingExtraError) as error:
        call()
    assert isinstance(error.value, ImportError)
    assert isinstance(error.value, opengov.OpengovError)
    assert (error.value.extra, error.value.package, error.value.name) == (extra, package, package)
    assert str(error.value).endswith(f'needs the optional extra "{extra}" ({package}): pip install "opengov[{extra}]"')


@pytest.mark.parametrize(
    ("modules", "args", "message"),
    [
        (
            ("lxml",),
            ["parse", str(DATA / "quirks" / "spans-2019.html")],
            'reading HTML needs the optional extra "html" (lxml)',
        ),
        (
            ("pypdfium2",),
            ["check", str(DATA / "quirks" / "wrapped-2024.pdf")],
            'reading PDF files needs the optional extra "pdf" (pypdfium2)',
        ),
        (
            ("docx",),
            ["render", str(REFERENCE), "-o", "{tmp}/r.docx"],
            'writing .docx files needs the optional extra "docx" (python-docx)',
        ),
    ],
    ids=["lxml", "pypdfium2", "python-docx"],
)
def test_the_cli_says_a_missing_extra_in_one_line_with_exit_2(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, modules: tuple[str, ...], args: list[str], message: str
) -> None:
    _without(monkeypatch, *modules)
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    extra = message.split('"')[1]
    assert result.stderr == f'Error: {message}: pip install "opengov[{extra}]"\n'
    assert not list(tmp_path.iterdir())


def test_without_click_the_command_says_so_in_one_line() -> None:
    proc = run_patched("import sys\nsys.modules['click'] = None\n", "check", str(REFERENCE))
    assert proc.returncode == 2
    assert proc.stderr == (
        'Error: the opengov command line needs the optional extra "cli" (click): pip install "opengov[cli]"\n'
    )
    module = subprocess.run(
        [sys.executable, "-c", "import sys; sys.modules['click'] = None\nimport opengov._cli"],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=60,
    )
    assert "opengov._errors.MissingExtraError" in module.stderr  # importing the module raises it


def test_without_hypothesis_opengov_testing_names_the_test_extra() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", "import sys; sys.modules['hypothesis'] = None\nimport opengov.testing"],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=60,
    )
    assert proc.returncode == 1
    assert proc.stderr.splitlines()[-1] == (
        'opengov._errors.MissingExtraError: opengov.testing needs the optional extra "test" (hypothesis): '
        'pip install "opengov[test]"'
    )


def test_missing_extra_error_pickles() -> None:
    import pickle

    error = opengov.MissingExtraError("pdf", "pypdfium2", "reading PDF files")
    copy = pickle.loads(pickle.dumps(error))
    assert (type(copy), str(copy), copy.extra, copy.package, copy.purpose) == (
        opengov.MissingExtraError,
        str(error),
        "pdf",
        "pypdfium2",
        "reading PDF files",
    )


# ---------------------------------------------------------------------------------------
# Usage errors
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [["check", str(REFERENCE), "--no-such-option"], ["parse"], ["render", str(REFERENCE), "--to", "pdf"], ["nope"]],
    ids=["unknown option", "missing file", "bad choice", "unknown command"],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1].startswith("Error: ")
    assert "Traceback" not in result.output


# ---------------------------------------------------------------------------------------
# OCR (the ocr extra): the same error when it is missing
# ---------------------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_an_image_without_the_ocr_extra_is_missing_extra_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # Pillow alone is hidden: the extra's other packages must be there, else they are named first
    pytest.importorskip("rapidocr_onnxruntime", reason="the rest of the ocr extra is not installed")
    _without(monkeypatch, "PIL")
    with pytest.raises(opengov.MissingExtraError) as error:
        opengov.parse(PNG)
    assert (error.value.extra, error.value.package) == ("ocr", "Pillow")
    assert str(error.value) == (
        'reading scans (OCR, Python 3.10-3.12) needs the optional extra "ocr" (Pillow): pip install "opengov[ocr]"'
    )
    path = tmp_path / "scan.png"
    path.write_bytes(PNG)
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 2
    assert result.stderr == f"Error: {error.value}\n"


def _pdf_with_a_scanned_page() -> bytes:
    """Page 1 with a text layer, page 2 an image only (a scanned page)."""
    pytest.importorskip("reportlab", reason="making the PDF needs reportlab")
    import io

    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, "2023 text layer")
    page.showPage()
    picture = io.BytesIO()
    Image.new("L", (40, 20), 255).save(picture, format="PNG")
    picture.seek(0)
    page.drawImage(ImageReader(picture), 72, 600, width=200, height=100)
    page.showPage()
    page.save()
    return out.getvalue()


def test_scanned_pages_without_the_ocr_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """A PDF with text and a scanned page keeps its text with a warning naming the extra; a
    PDF of scans only is the MissingExtraError itself."""
    pytest.importorskip("pypdfium2", reason="the pdf extra is not installed")
    pytest.importorskip("PIL", reason="making the scanned page needs Pillow")
    from opengov._readers import scanpdf

    data = _pdf_with_a_scanned_page()
    _without(monkeypatch, "rapidocr_onnxruntime")
    document = scanpdf.read(data)
    (warning,) = [d for d in document.diagnostics if d.code == "pdf-pages-not-read"]
    assert warning.message == (
        "page(s) 2 have no text layer (scanned) and were not read: reading scans (OCR, Python 3.10-3.12) "
        'needs the optional extra "ocr" (rapidocr-onnxruntime): pip install "opengov[ocr]"'
    )
    import pypdfium2

    only_scan = pypdfium2.PdfDocument(data)
    only_scan.del_page(0)
    buffer = __import__("io").BytesIO()
    only_scan.save(buffer)
    only_scan.close()
    with pytest.raises(opengov.MissingExtraError) as error:
        scanpdf.read(buffer.getvalue())
    assert error.value.extra == "ocr"
