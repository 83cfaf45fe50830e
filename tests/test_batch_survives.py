"""A batch that survives anything (issue 22) and says what it did (issue 21's batch bullet).

* The worker pool (:mod:`opengov._workers`): a worker that dies — SIGKILL, a crash, an exit,
  a document over the memory or time cap — fails only the item it was reading, with a reason
  naming what happened, and every other item comes back in order; a worker killed between
  items fails nothing.
* ``opengov batch`` over a folder of hostile files, a FIFO, an unreadable file and good
  reports: each bad file listed with its reason, every good report written, exit status 1.
* SIGTERM / SIGINT: exit 143 / 130, every output whole up to the last finished report (the
  findings file included), no working file left, no worker left; the parent SIGKILLed: no
  worker left, the next run completes the output.
* ``batch -`` (paths from stdin), the warning without an output, the progress line.
"""

from __future__ import annotations

import csv
import io
import os
import pty
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import opengov
from opengov._cli import _Progress, estimate_left, main
from opengov._workers import Caps, Pool

DATA = Path(__file__).resolve().parent / "data"
REFERENCE = DATA / "zhapu-2023.txt"
SRC = Path(__file__).resolve().parent.parent / "src"
MiB = 1024 * 1024

# ---------------------------------------------------------------------------------------
# The pool
# ---------------------------------------------------------------------------------------


def _act(item: tuple[int, str]) -> int:
    """A worker's task: ``number * 2``, unless the action says to die some way."""
    number, action = item
    if action == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    elif action == "term":
        os.kill(os.getpid(), signal.SIGTERM)
    elif action == "exit":
        os._exit(3)
    elif action == "memory":
        bytearray(1024 * MiB)  # over the 512 MiB cap below
    elif action == "spin":
        while True:  # Python code
            pass
    elif action == "stuck":
        re.match(r"(a+)+$", "a" * 64 + "b")  # backtracking inside C code
    return number * 2


def _failed(item: tuple[int, str], reason: str) -> tuple[int, str]:
    return (item[0], reason)


EXPECTED_REASON = {
    "kill": "the worker reading it was killed (SIGKILL; out of memory?)",
    "term": "the worker reading it died (SIGTERM)",
    "exit": "the worker reading it exited (status 3)",
    "memory": "over the memory cap (512 MiB per worker)",
}


@settings(max_examples=6)
@given(
    actions=st.lists(st.sampled_from(["ok"] * 6 + list(EXPECTED_REASON)), min_size=1, max_size=14),
    chunksize=st.integers(1, 4),
)
def test_a_dying_worker_fails_only_its_own_item_and_the_rest_come_in_order(actions: list[str], chunksize: int) -> None:
    items = list(enumerate(actions))
    finished: list[int] = []
    with Pool(2, caps=Caps(memory=512 * MiB, cpu=30)) as pool:
        results = list(pool.map(_act, items, fail=_failed, chunksize=chunksize, done=lambda: finished.append(1)))
    expected = [number * 2 if action == "ok" else (number, EXPECTED_REASON[action]) for number, action in items]
    assert results == expected
    assert len(finished) == len(items)


def test_a_document_over_the_time_cap_fails_in_python_code_and_in_c_code() -> None:
    items = [(0, "ok"), (1, "spin"), (2, "ok"), (3, "stuck"), (4, "ok")]
    with Pool(2, caps=Caps(memory=None, cpu=1)) as pool:
        results = list(pool.map(_act, items, fail=_failed))
    over = "over the time cap (1 CPU seconds per document)"
    assert results == [0, (1, over), 4, (3, over), 8]


def test_workers_killed_between_items_fail_nothing_and_lose_nothing() -> None:
    items = [(n, "ok") for n in range(40)]
    pool = Pool(2, caps=Caps(memory=None, cpu=None))
    killed: list[int] = []

    def kill_them_all() -> None:
        if not killed:  # at the first result, kill every worker, whatever it is doing
            for slot in pool._slots:
                killed.append(slot.process.pid)
                os.kill(slot.process.pid, signal.SIGKILL)

    with pool:
        results = list(pool.map(_act, items, fail=_failed, done=kill_them_all))
    assert len(killed) == 2
    failed = [r for r in results if isinstance(r, tuple)]
    assert len(failed) <= 2  # at most the item each killed worker was reading
    assert all(reason == EXPECTED_REASON["kill"] for _, reason in failed)
    assert [r if isinstance(r, int) else r[0] * 2 for r in results] == [n * 2 for n, _ in items]


def test_leaving_the_pool_leaves_no_worker() -> None:
    with Pool(2, caps=Caps(memory=None, cpu=None)) as pool:
        assert list(pool.map(_act, [(1, "ok"), (2, "ok"), (3, "ok")], fail=_failed)) == [2, 4, 6]
        pids = [slot.process.pid for slot in pool._slots]
    assert pids
    assert all(not _running(pid) for pid in pids)


# ---------------------------------------------------------------------------------------
# The command on hostile files
# ---------------------------------------------------------------------------------------


def _running(pid: int) -> bool:
    """Whether a process exists and is not a zombie (dead, waiting to be reaped)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            state = handle.read().rsplit(b")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in (b"Z", b"X")


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    fields = handle.read().rsplit(b")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry))
    return found


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("OPENGOV_DEBUG", "OPENGOV_LANG")}
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), env.get("PYTHONPATH", "")])
    return env


def _inconsistent() -> opengov.Report:
    return opengov.read(REFERENCE).report.with_cell("table3", "granted", "natural_person", 20)


def _hostile_folder(root: Path) -> tuple[Path, dict[str, str], list[opengov.Report]]:
    """Good reports, hostile files, a FIFO, an unreadable file: the folder, each bad file's
    name with a piece of its expected reason, and the good reports in walk order."""
    folder = root / "downloads"
    folder.mkdir()
    shutil.copy(REFERENCE, folder / "a-good.txt")
    (folder / "b-good.json").write_text(opengov.dumps(_inconsistent()), encoding="utf-8")
    bad = {
        "c-fifo": "is a FIFO (named pipe): only regular files are read [not-a-file]",
        "d-dangling.pdf": "No such file or directory",
        "e-encrypted.pdf": "[pdf-encrypted]",
        "f-truncated.pdf": "[pdf-damaged]",
        "g-many-pages.pdf": "[limit-pages]",
        "h-grid-lines.pdf": "[unknown-format]",
        "i-cid-widths.pdf": "[unknown-format]",
        "j-locked.txt": "Permission denied" if os.geteuid() else "[unknown-format]",  # root reads anything
        "k-zip.docx": "",
        "l-nul.html": "",
    }
    os.mkfifo(folder / "c-fifo")
    os.symlink(folder / "nowhere.pdf", folder / "d-dangling.pdf")
    for name in ("e-encrypted", "f-truncated", "g-many-pages", "h-grid-lines", "i-cid-widths"):
        shutil.copy(DATA / "hostile" / f"{name[2:]}.pdf", folder / f"{name}.pdf")
    (folder / "j-locked.txt").write_text("not a report", encoding="utf-8")
    (folder / "j-locked.txt").chmod(0)
    (folder / "k-zip.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    (folder / "l-nul.html").write_bytes(b"<html>\x00\xff\xfe" * 100)
    shutil.copy(REFERENCE, folder / "m-good.txt")
    good = [opengov.read(REFERENCE).report, _inconsistent(), opengov.read(REFERENCE).report]
    return folder, bad, good


@pytest.mark.parametrize("suffix", [".csv", ".duckdb"])
def test_a_folder_of_hostile_files_is_read_to_the_end(tmp_path: Path, suffix: str) -> None:
    if suffix == ".duckdb":
        pytest.importorskip("duckdb")
    pytest.importorskip("pypdfium2")
    folder, bad, good = _hostile_folder(tmp_path)
    out, findings = tmp_path / f"reports{suffix}", tmp_path / "findings.csv"
    args = [sys.executable, "-m", "opengov", "batch", str(folder), "--out", str(out), "-j", "2"]
    if suffix == ".csv":
        args += ["--findings", str(findings)]
    proc = subprocess.run(args, capture_output=True, text=True, timeout=300, env=_env())
    assert proc.returncode == 1, proc.stderr  # the documented "some files failed"
    assert "Traceback" not in proc.stderr
    listed = dict(re.findall(r"^unreadable: (.+?): (.+)$", proc.stderr, re.MULTILINE))
    assert sorted(Path(p).name for p in listed) == sorted(bad)
    for path, reason in listed.items():
        assert bad[Path(path).name] in reason, (path, reason)
        assert reason.strip()
    assert f"{len(bad) + len(good)} file(s): {len(good)} read" in proc.stderr
    outputs = [out.name, findings.name] if suffix == ".csv" else [out.name]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["downloads", *outputs])
    if suffix == ".csv":
        assert opengov.from_csv(out.read_bytes()) == good
        rows = list(csv.DictReader(io.StringIO(findings.read_text(encoding="utf-8"))))
        assert {Path(r["file"]).name for r in rows} == {"b-good.json"}
    else:
        import duckdb

        with duckdb.connect(str(out), read_only=True) as con:
            rows = con.execute("SELECT path, status, reason FROM reports ORDER BY report").fetchall()
        assert [(Path(p).name, s) for p, s, _ in rows] == [
            (name, "unreadable" if name in bad else "read") for name in sorted(os.listdir(folder))
        ]
        stored = {Path(p).name: r for p, s, r in rows if s == "unreadable"}
        assert stored == {Path(p).name: r for p, r in listed.items()}


# ---------------------------------------------------------------------------------------
# Signals
# ---------------------------------------------------------------------------------------


def _many(folder: Path, count: int) -> list[str]:
    """``count`` reports, every third one inconsistent (it has findings); the names in walk order."""
    folder.mkdir()
    text = REFERENCE.read_bytes()
    broken = opengov.dumps(_inconsistent()).encode("utf-8")
    names = []
    for number in range(count):
        name = f"r{number:05d}.json" if number % 3 == 0 else f"r{number:05d}.txt"
        (folder / name).write_bytes(broken if number % 3 == 0 else text)
        names.append(name)
    return names


def _start(args: list[str], cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "opengov", "batch", *args],
        cwd=cwd,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _written(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except FileNotFoundError:
        return False


def _wait_for(condition: Callable[[], bool], proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 120
    while not condition():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.02)


@pytest.mark.parametrize(("signum", "status"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_stopped_batch_leaves_whole_outputs_and_no_worker(tmp_path: Path, signum: int, status: int) -> None:
    names = _many(tmp_path / "in", 1500)
    proc = _start(["in", "--out", "reports.csv", "--findings", "findings.csv", "-j", "2"], tmp_path)
    _wait_for(lambda: _written(tmp_path / ".reports.csv.partial"), proc)
    workers = _children(proc.pid)
    proc.send_signal(signum)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == status, err
    assert "Traceback" not in err
    assert workers
    assert not [pid for pid in workers if _running(pid)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["findings.csv", "in", "reports.csv"]  # no working file
    reports = opengov.from_csv((tmp_path / "reports.csv").read_bytes())
    read = len(reports)
    assert 0 < read < len(names)
    assert f"hold the {read} report(s) read before the interruption" in err
    # the reports are the first files, whole; the findings file holds exactly their findings
    assert reports == [_inconsistent() if n.endswith(".json") else opengov.read(REFERENCE).report for n in names[:read]]
    rows = list(csv.DictReader(io.StringIO((tmp_path / "findings.csv").read_text(encoding="utf-8"))))
    per_file = len(opengov.check(_inconsistent()))
    expected = [n for n in names[:read] if n.endswith(".json") for _ in range(per_file)]
    assert [Path(r["file"]).name for r in rows] == expected


def test_a_killed_batch_leaves_no_worker_and_the_next_run_completes_the_output(tmp_path: Path) -> None:
    pytest.importorskip("duckdb")
    names = _many(tmp_path / "in", 400)
    proc = _start(["in", "--out", "reports.duckdb", "-j", "2"], tmp_path)
    _wait_for(lambda: len(_children(proc.pid)) >= 2, proc)
    time.sleep(0.3)
    workers = _children(proc.pid)
    proc.kill()
    proc.communicate(timeout=60)
    deadline = time.monotonic() + 10
    while [pid for pid in workers if _running(pid)] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in workers if _running(pid)]  # the kernel ended them with the parent
    again = _start(["in", "--out", "reports.duckdb", "-j", "2"], tmp_path)
    _out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    import duckdb

    with duckdb.connect(str(tmp_path / "reports.duckdb"), read_only=True) as con:
        rows = con.execute("SELECT report, path, status FROM reports ORDER BY report").fetchall()
    assert sorted(Path(p).name for _, p, _ in rows) == names  # each once
    assert {s for _, _, s in rows} == {"read"}


def test_a_worker_killed_during_a_run_costs_at_most_its_document(tmp_path: Path) -> None:
    names = _many(tmp_path / "in", 800)
    proc = _start(["in", "--out", "reports.csv", "-j", "2"], tmp_path)
    _wait_for(lambda: _written(tmp_path / ".reports.csv.partial"), proc)
    victim = _children(proc.pid)[0]
    os.kill(victim, signal.SIGKILL)
    _out, err = proc.communicate(timeout=300)
    assert "Traceback" not in err
    failed = re.findall(r"^unreadable: (.+?): (.+)$", err, re.MULTILINE)
    assert proc.returncode == (1 if failed else 0), err
    assert len(failed) <= 1
    assert all(reason == "the worker reading it was killed (SIGKILL; out of memory?)" for _, reason in failed)
    reports = opengov.from_csv((tmp_path / "reports.csv").read_bytes())
    assert len(reports) + len(failed) == len(names)


# ---------------------------------------------------------------------------------------
# Paths from stdin, the warning, the progress line
# ---------------------------------------------------------------------------------------


def test_batch_dash_reads_the_paths_from_standard_input(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    names = _many(folder, 4)
    listed = "".join(f"{folder / n}\n" for n in reversed(names)) + "\n"  # order kept, blank line skipped
    out = tmp_path / "reports.csv"
    result = CliRunner().invoke(main, ["batch", "-", "--out", str(out), "-j", "1"], input=listed.encode())
    assert result.exit_code == 0, result.output
    expected = [_inconsistent() if n.endswith(".json") else opengov.read(REFERENCE).report for n in reversed(names)]
    assert opengov.from_csv(out.read_bytes()) == expected


def test_batch_without_an_output_warns_and_still_reads(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["batch", str(REFERENCE), "-j", "1"])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("warning: no --out or --findings")
    assert "1 file(s): 1 read" in result.stderr
    assert "reading " not in result.stderr  # not a terminal: no progress line


@given(
    pace=st.floats(0.001, 100, allow_nan=False),
    finished=st.integers(2, 10_000),
    more=st.integers(0, 10_000),
)
def test_the_estimate_is_the_pace_since_the_first_file_times_the_files_left(
    pace: float, finished: int, more: int
) -> None:
    left = estimate_left(since_first=pace * (finished - 1), finished=finished, total=finished + more)
    assert left == pytest.approx(pace * more)


def test_no_estimate_before_two_files() -> None:
    assert estimate_left(since_first=0.0, finished=0, total=10) is None
    assert estimate_left(since_first=0.0, finished=1, total=10) is None
    assert estimate_left(since_first=0.0, finished=10, total=10) == 0.0


def test_the_progress_line_counts_files_and_estimates_from_the_pace() -> None:
    now = [100.0]
    stream = io.StringIO()
    progress = _Progress(10, stream=stream, clock=lambda: now[0])
    now[0] = 130.0  # 30 s of worker start-up before the first file: not the pace
    progress.done()
    assert stream.getvalue().endswith("reading 1/10 files (10%), 0m30s so far, estimating the time left")
    for _ in range(3):
        now[0] += 2.0
        progress.done()
    assert stream.getvalue().endswith("reading 4/10 files (40%), 0m36s so far, about 0m12s left")
    progress.echo("unreadable: x: why")
    assert "\r" + " " * len("reading 4/10 files (40%), 0m36s so far, about 0m12s left") + "\r" in stream.getvalue()


def test_the_progress_line_is_drawn_on_a_terminal(tmp_path: Path) -> None:
    names = _many(tmp_path / "in", 5)
    leader, follower = pty.openpty()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "opengov", "batch", "in", "--out", "r.csv", "-j", "1"],
            cwd=tmp_path,
            env=_env(),
            stdout=subprocess.PIPE,
            stderr=follower,
            timeout=120,
        )
        os.close(follower)
        follower = -1
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(leader)
        if follower != -1:
            os.close(follower)
    assert proc.returncode == 0
    text = shown.decode("utf-8", "replace")
    assert f"reading {len(names)}/{len(names)} files (100%)" in text
    assert f"{len(names)} file(s): {len(names)} read" in text
