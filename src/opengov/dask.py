"""The batch on Dask: read an archive on many machines (``pip install 'opengov[dask]'``).

::

    from distributed import Client
    import opengov.dask

    client = Client("tcp://scheduler:8786")        # or LocalCluster(), or none: local threads
    summary = opengov.dask.run(["/archive/2023", "/archive/2024"], "/archive/reports.parquet")

:func:`run` walks the paths on the machine that calls it (as ``opengov batch`` does, so the
report ids are the same: 1, 2, 3 … in the order of the files), maps
:func:`opengov.document_rows` over a ``dask.bag`` of the paths, each partition writing its
rows as one Parquet file per table, then runs the year-to-year checks as a group-by on
organ and writes their findings.  The output is the folder ``opengov batch --out
reports.parquet`` writes, with the same rows (``docs/columnar.md``); a later ``opengov
batch`` over it appends.  The paths and the output must be readable (and the output
writable) at the same names on every worker: a shared file system.  ``docs/scale.md`` shows
how to run it on an existing cluster.

:func:`documents` is the first step alone: a bag of :class:`opengov._rows.Document` (report
id, rows, modification time) for pipelines of your own.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs

try:
    import dask.bag as db
    from dask.base import compute
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError("opengov.dask needs dask: pip install 'opengov[dask]'") from exc

import opengov
from opengov._batch import Task, _document_one, walk
from opengov._columnar import CARRY_TABLE, TABLE_NAMES, pair_table, tables_of
from opengov._rows import CarryEntry, Document, carry_entry, pair_findings
from opengov._sinks import _write_manifest, _write_parquet, part_number, working_path

__all__ = ["documents", "run", "DaskSummary"]

_TABLES: tuple[str, ...] = (*TABLE_NAMES, CARRY_TABLE)


def _files(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> list[str]:
    listed = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    return list(walk(os.fspath(p) for p in listed))


def _read_partition(items: Iterable[tuple[int, str]]) -> list[Document]:
    return [_read(item) for item in items]


def _read(item: tuple[int, str]) -> Document:
    report, path = item
    document = _document_one(Task(path=path, report=report))
    assert isinstance(document, Document)  # no hash is known: never Unchanged
    return document


def documents(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]], *, partition_size: int = 500) -> Any:
    """A ``dask.bag`` of every file under ``paths`` (walked here, as ``opengov batch`` walks
    them) read into a :class:`opengov._rows.Document`: its report id (1, 2, 3 … in the
    order of the files), its :func:`opengov.document_rows` and its modification time."""
    items = list(enumerate(_files(paths), 1))
    return db.from_sequence(items, partition_size=partition_size).map(_read)


@attrs.frozen(kw_only=True)
class _Part:
    """What one partition wrote: its part name, its counts, and its carry-over entries."""

    name: str
    read: int
    unreadable: int
    with_errors: int
    entries: tuple[CarryEntry, ...]


def _write_partition(items: Sequence[tuple[int, str]], folder: str) -> list[_Part]:
    """Read a partition's files and write their rows: one Parquet file per table, named
    after the partition's first report id."""
    docs = _read_partition(items)
    if not docs:
        return []
    name = f"part-{docs[0].report:05d}.parquet"
    for table, data in tables_of(docs, carry=True).items():
        _write_parquet(data, Path(folder) / table / name)
    read = [d for d in docs if d.rows.report.status == "read"]
    return [
        _Part(
            name=name,
            read=len(read),
            unreadable=len(docs) - len(read),
            with_errors=sum(1 for d in read if d.rows.report.findings[0]),
            entries=tuple(e for d in docs if (e := carry_entry(d.report, d.rows)) is not None),
        )
    ]


def _entries(part: _Part) -> tuple[CarryEntry, ...]:
    return part.entries


def _organ(entry: CarryEntry) -> str:
    return entry.organ


def _group_pairs(group: tuple[str, list[CarryEntry]]) -> tuple[int, list[Any]]:
    found, pairs = pair_findings(group[1])
    return pairs, found


def _write_pairs(groups: Iterable[tuple[int, list[Any]]], folder: str) -> list[tuple[str, int]]:
    """Write the year-to-year findings of a partition of organ groups (one file)."""
    listed = list(groups)
    found = [finding for _, part in listed for finding in part]
    if not found:
        return [("", sum(pairs for pairs, _ in listed))]
    found.sort(key=lambda p: (p.report, p.number))
    name = f"pairs-{found[0].report:05d}.parquet"
    _write_parquet(pair_table(found), Path(folder) / "findings" / name)
    return [(name, sum(pairs for pairs, _ in listed))]


@attrs.frozen(kw_only=True)
class DaskSummary:
    """The counts of a Dask run (as the batch's summary line gives them)."""

    files: int
    read: int
    with_errors: int
    unreadable: int
    pairs: int


def run(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    out: str | os.PathLike[str],
    *,
    partition_size: int = 500,
) -> DaskSummary:
    """Read every file under ``paths`` on Dask (the current scheduler: a
    ``distributed.Client`` when one is active) into a new Parquet output ``out``.

    The rows are those ``opengov batch PATHS --out OUT`` writes, row for row.  The output is
    written in a working folder beside it (``.NAME.partial``) and renamed into place when
    complete; ``ValueError`` if ``out`` exists (append to it with ``opengov batch``).
    """
    target = Path(out)
    if target.exists():
        raise ValueError(f"{target} exists: opengov.dask.run writes a new output (append with opengov batch)")
    work = working_path(target)
    if work.exists():
        shutil.rmtree(work)
    for table in _TABLES:
        (work / table).mkdir(parents=True)
    files = _files(paths)
    items = list(enumerate(files, 1))
    bag = db.from_sequence(items, partition_size=partition_size) if items else db.from_sequence([], npartitions=1)
    parts = bag.map_partitions(_write_partition, str(work))
    grouped = parts.map(_entries).flatten().groupby(_organ).map(_group_pairs)
    pairs = grouped.map_partitions(_write_pairs, str(work))
    written, pair_files = compute(parts, pairs)
    names = sorted(part.name for part in written)
    empty = _empty_tables(work, names)
    manifest: dict[str, Any] = {
        "format": "opengov-columnar",
        "version": 1,
        "opengov": opengov.__version__,
        "complete": True,
        "files": {table: [*names, *empty.get(table, [])] for table in _TABLES},
        "next_part": 1 + max((part_number(name) for name in names), default=0),
    }
    manifest["files"]["findings"].extend(sorted(name for name, _ in pair_files if name))
    _write_manifest(work, manifest)
    os.replace(work, target)
    return DaskSummary(
        files=len(files),
        read=sum(p.read for p in written),
        with_errors=sum(p.with_errors for p in written),
        unreadable=sum(p.unreadable for p in written),
        pairs=sum(count for _, count in pair_files),
    )


def _empty_tables(work: Path, names: list[str]) -> dict[str, list[str]]:
    """An empty file for each table that has none (so that every table can be read)."""
    if names:
        return {}
    empty = tables_of([], carry=True)
    for table in _TABLES:
        _write_parquet(empty[table], work / table / "part-00000.parquet")
    return {table: ["part-00000.parquet"] for table in _TABLES}
