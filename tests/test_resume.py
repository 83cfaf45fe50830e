"""Appending to and resuming a columnar output (docs/columnar.md#appending-and-resuming):
a run reads only new or changed files, keeps earlier results, and an interrupted run resumes
without losing or duplicating a report."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import opengov
from opengov import _batch, _sinks
from opengov._cli import main
from opengov._rows import Document
from test_columnar import ORGANS, SORT_KEYS, TABLES, batch, duckdb_tables, make_folder, parquet_tables, variant

pytest.importorskip("pyarrow", reason="the columnar output needs pyarrow: pip install 'opengov[parquet]'")


def _needs(kind: str) -> None:
    if kind == "duckdb":
        pytest.importorskip("duckdb", reason="a .duckdb output needs duckdb: pip install 'opengov[duckdb]'")


def tables_of(out: Path) -> dict[str, Any]:
    return parquet_tables(out) if out.suffix == ".parquet" else duckdb_tables(out)


def by_path(tables: dict[str, Any]) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows with report ids replaced by the documents' paths (so that two
    outputs that numbered the same files differently compare), sorted."""
    path = {r["report"]: r["path"] for r in tables["reports"].to_pylist()}
    out = {}
    for name in (*TABLES, "_carry"):
        rows = []
        for row in tables[name].to_pylist():
            row = dict(row)
            row["report"] = path[row["report"]]
            if "previous" in row and row["previous"] is not None:
                row["previous"] = path[row["previous"]]
            rows.append(tuple(sorted((k, str(v)) for k, v in row.items())))
        out[name] = sorted(rows)
    return out


def same_tables(left: dict[str, Any], right: dict[str, Any]) -> None:
    """Equal row for row, ids included."""
    for name in (*TABLES, "_carry"):
        key = SORT_KEYS[name]
        a = sorted(left[name].to_pylist(), key=lambda r: tuple(str(r[k]) for k in key))
        b = sorted(right[name].to_pylist(), key=lambda r: tuple(str(r[k]) for k in key))
        assert a == b, name


def fingerprint(out: Path) -> dict[str, bytes]:
    files = [p for p in out.rglob("*") if p.is_file()] if out.is_dir() else [out]
    return {str(p.relative_to(out.parent)): p.read_bytes() for p in files}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "in"
    make_folder(path)
    return path


@pytest.mark.parametrize("kind", ["parquet", "duckdb"])
def test_rerun_over_an_unchanged_folder_reads_nothing(tmp_path: Path, folder: Path, kind: str) -> None:
    _needs(kind)
    out = tmp_path / f"reports.{kind}"
    batch(str(folder), "--out", str(out))
    before = fingerprint(out)
    sink = _sinks.open_sink(str(out), None)
    files = list(_batch.walk([str(folder)]))
    tasks, skipped = _batch.plan(files, sink.index(), first=sink.next_report())
    assert tasks == []  # no file is opened
    assert skipped == len(files)
    sink.close(complete=True)
    result = batch(str(folder), "--out", str(out))
    assert f"{len(files)} file(s): 0 read, 0 with error findings, 0 unreadable, {len(files)} unchanged" in result.stderr
    assert fingerprint(out) == before  # not rewritten
    assert not _sinks.working_path(out).exists()


@pytest.mark.parametrize("kind", ["parquet", "duckdb"])
def test_a_grown_and_changed_folder_reads_only_what_is_new_or_changed(tmp_path: Path, folder: Path, kind: str) -> None:
    _needs(kind)
    out = tmp_path / f"reports.{kind}"
    batch(str(folder), "--out", str(out))
    first = tables_of(out)
    ids = {r["path"]: r["report"] for r in first["reports"].to_pylist()}
    # grown: a 2024 report for every organ; changed: one 2022 report; touched: one file
    # whose time changes but not its content
    for organ in ORGANS:
        (folder / organ / "2024.json").write_text(opengov.dumps(variant(organ, 2024, shift=2)), encoding="utf-8")
    changed = folder / ORGANS[1] / "2022.json"
    if not changed.exists():
        changed = next(p for p in (folder / ORGANS[1]).iterdir() if p.stem == "2022")
    changed.write_text(opengov.dumps(variant(ORGANS[1], 2022, shift=40)), encoding="utf-8")
    touched = next(p for p in (folder / ORGANS[2]).iterdir() if p.stem == "2021")
    stat = touched.stat()
    os.utime(touched, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    result = batch(str(folder), "--out", str(out))
    total = len(ids) + len(ORGANS)
    assert f"{total} file(s): {len(ORGANS) + 1} read" in result.stderr
    assert f"{total - len(ORGANS) - 1} unchanged" in result.stderr
    grown = tables_of(out)
    after = {r["path"]: r["report"] for r in grown["reports"].to_pylist()}
    assert {p: after[p] for p in ids} == ids  # every earlier document keeps its id (the changed one too)
    assert sorted(after[p] for p in after if p not in ids) == list(range(len(ids) + 1, total + 1))
    assert len(after) == total  # nothing listed twice
    # the same rows as a fresh run over the folder as it is now (ids aside)
    fresh = tmp_path / f"fresh.{kind}"
    batch(str(folder), "--out", str(fresh))
    assert by_path(grown) == by_path(tables_of(fresh))
    # the new 2024 reports were checked against the 2023 reports of the first run
    pairs = [r for r in grown["findings"].to_pylist() if r["previous"] is not None]
    reports = {r["report"]: r for r in grown["reports"].to_pylist()}
    assert {(reports[r["report"]]["year"], reports[r["previous"]]["year"]) for r in pairs} >= {(2024, 2023)}
    # and the touched file's new time is held: the next run reads nothing
    result = batch(str(folder), "--out", str(out))
    assert f"{total} file(s): 0 read" in result.stderr


def _interrupt(out: Path, folder: Path, after: int) -> None:
    """Run the batch as the command line does, and stop it after ``after`` documents as
    Ctrl-C would (the run's loop raises; the sink is closed as incomplete)."""
    sink = _sinks.open_sink(str(out), None)
    files = list(_sinks.excluded(_batch.walk([str(folder)]), sink))
    tasks, skipped = _batch.plan(files, sink.index(), first=sink.next_report())
    seen = 0
    complete = False
    try:
        for event in _batch.run_rows(tasks, jobs=1, skipped=skipped, carried=sink.carried):
            sink.write(event)
            if isinstance(event, Document):
                seen += 1
                if seen == after:
                    raise KeyboardInterrupt
        complete = True
    except KeyboardInterrupt:
        pass
    finally:
        sink.close(complete=complete)


@pytest.mark.parametrize("kind", ["parquet", "duckdb"])
def test_an_interrupted_run_resumes_without_losing_or_duplicating_a_report(
    tmp_path: Path, folder: Path, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _needs(kind)
    monkeypatch.setattr(_sinks, "CHECKPOINT_REPORTS", 3)
    out = tmp_path / f"reports.{kind}"
    _interrupt(out, folder, after=5)
    assert not out.exists()  # nothing published …
    assert _sinks.working_path(out).exists()  # … the working copy holds the reports finished
    held = _sinks.open_sink(str(out), None)
    assert len(held.index()) == 5
    assert held.resuming
    held.close(complete=False)
    files = list(_batch.walk([str(folder)]))
    result = batch(str(folder), "--out", str(out))
    counts = re.search(
        r"(\d+) file\(s\): (\d+) read, \d+ with error findings, (\d+) unreadable, (\d+) unchanged", result.stderr
    )
    assert counts is not None
    files_, read, unreadable, unchanged = map(int, counts.groups())
    assert (files_, read + unreadable, unchanged) == (len(files), len(files) - 5, 5)
    assert not _sinks.working_path(out).exists()
    fresh = tmp_path / f"fresh.{kind}"
    batch(str(folder), "--out", str(fresh))
    same_tables(tables_of(out), tables_of(fresh))  # ids included: the resumed run numbers as a fresh one


@pytest.mark.parametrize("kind", ["parquet", "duckdb"])
def test_a_killed_run_resumes_from_its_last_checkpoint(
    tmp_path: Path, folder: Path, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run killed after a checkpoint (no close at all), with a half-written checkpoint
    after it: the next run starts from the last complete checkpoint."""
    _needs(kind)
    monkeypatch.setattr(_sinks, "CHECKPOINT_REPORTS", 4)
    out = tmp_path / f"reports.{kind}"
    sink = _sinks.open_sink(str(out), None)
    tasks, _ = _batch.plan(_batch.walk([str(folder)]), sink.index(), first=sink.next_report())
    for event in _batch.run_rows(tasks[:6], jobs=1):
        if isinstance(event, Document):
            sink.write(event)  # a checkpoint after 4; 2 more only in memory
    work = _sinks.working_path(out)
    if kind == "parquet":
        (work / "cells" / "part-00099.parquet").write_bytes(b"half a file")  # an interrupted checkpoint
    else:
        sink._connection.close()  # type: ignore[attr-defined] # the process dies: no commit of anything more
    del sink
    resumed = _sinks.open_sink(str(out), None)
    assert len(resumed.index()) == 4
    resumed.close(complete=False)
    batch(str(folder), "--out", str(out))
    if kind == "parquet":
        assert not (out / "cells" / "part-00099.parquet").exists()
    fresh = tmp_path / f"fresh.{kind}"
    batch(str(folder), "--out", str(fresh))
    same_tables(tables_of(out), tables_of(fresh))


@pytest.mark.parametrize("kind", ["parquet", "duckdb"])
def test_an_interrupted_append_leaves_the_earlier_output_as_it_was(tmp_path: Path, folder: Path, kind: str) -> None:
    _needs(kind)
    out = tmp_path / f"reports.{kind}"
    batch(str(folder), "--out", str(out))
    before = fingerprint(out)
    for organ in ORGANS:
        (folder / organ / "2024.json").write_text(opengov.dumps(variant(organ, 2024)), encoding="utf-8")
    _interrupt(out, folder, after=2)
    assert fingerprint(out) == before  # the published output is a complete earlier result
    result = batch(str(folder), "--out", str(out))
    assert "1 read" in result.stderr  # the two finished before the interruption are held
    assert len(tables_of(out)["reports"]) == len(list(_batch.walk([str(folder)])))


def test_a_file_that_could_not_be_opened_is_tried_again(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(Path(__file__).parent / "data" / "zhapu-2023.txt", folder / "good.txt")
    target = folder / ".later.txt"  # hidden: not walked itself
    os.symlink(target, folder / "link.txt")  # dangling: cannot be opened yet
    out = tmp_path / "reports.parquet"
    result = batch(str(folder), "--out", str(out))
    assert "1 unreadable" in result.stderr
    row = tables_of(out)["reports"].to_pylist()[1]
    assert row["path"] == str(folder / "link.txt")
    assert (row["status"], row["sha256"], row["size"]) == ("unreadable", None, None)
    shutil.copy(Path(__file__).parent / "data" / "zhapu-2023.txt", target)
    result = batch(str(folder), "--out", str(out))
    assert "1 read" in result.stderr
    assert "1 unchanged" in result.stderr
    rows = tables_of(out)["reports"].to_pylist()
    assert sorted((r["report"], r["status"]) for r in rows) == [(1, "read"), (2, "read")]


@pytest.mark.parametrize("suffix", [".parquet", ".duckdb", ".csv"])
def test_a_run_that_reads_nothing_exits_2_and_writes_no_output(tmp_path: Path, suffix: str) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    os.symlink(folder / ".missing.txt", folder / "link.txt")  # cannot be opened
    (folder / "empty.txt").write_bytes(b"")  # not a report
    out = tmp_path / f"reports{suffix}"
    result = CliRunner().invoke(main, ["batch", str(folder), "--out", str(out), "--jobs", "2"])
    assert result.exit_code == 2, result.output
    assert "0 read" in result.stderr
    assert "2 unreadable" in result.stderr
    assert "no file could be read" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]  # no output, no working copy
    empty = tmp_path / "empty"
    empty.mkdir()
    result = CliRunner().invoke(main, ["batch", str(empty), "--out", str(out)])
    assert result.exit_code == 2
    assert "no file to read" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty", "in"]


def _publication_interrupted(out: Path, folder: Path, *, swapped: bool) -> None:
    """Leave a Parquet output as a crash between the two renames of its publication would."""
    batch(str(folder), "--out", str(out))
    old = out.with_name(f".{out.name}.old")
    os.replace(out, old)
    if swapped:  # the new output was complete, renamed aside, not yet in place
        work = _sinks.working_path(out)
        shutil.copytree(old, work)
        manifest = json.loads((work / _sinks.MANIFEST).read_text(encoding="utf-8"))
        manifest["complete"] = True
        (work / _sinks.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")


@pytest.mark.parametrize("swapped", [False, True])
def test_an_interrupted_parquet_publication_is_finished_or_undone(tmp_path: Path, folder: Path, swapped: bool) -> None:
    out = tmp_path / "reports.parquet"
    _publication_interrupted(out, folder, swapped=swapped)
    assert not out.exists()
    result = batch(str(folder), "--out", str(out))
    assert "0 read" in result.stderr
    assert out.exists()
    assert not out.with_name(f".{out.name}.old").exists()
    assert not _sinks.working_path(out).exists()
    assert len(tables_of(out)["reports"]) == len(list(_batch.walk([str(folder)])))
