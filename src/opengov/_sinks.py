"""Where a batch's results go: the sinks of ``opengov batch --out``.

A sink receives the events of a run (:mod:`opengov._batch`) and writes them.  The command
line opens one by the suffix of ``--out`` (:func:`open_sink`):

* ``.parquet`` — :class:`ParquetSink`: a folder with one sub-folder of Parquet files per
  table (``reports/``, ``cells/``, ``prose/``, ``findings/``, ``diagnostics/``, and the
  internal ``_carry/``) and a manifest, ``_opengov.json``;
* ``.duckdb`` (or ``.ddb``) — :class:`DuckDBSink`: one DuckDB database file with the same
  tables;
* anything else, or no ``--out`` — :class:`CsvSink`: today's long CSV (and the findings CSV
  of ``--findings``), byte for byte.

The contract every sink keeps (:class:`Sink`):

* **Nothing is written in place.**  A sink writes to a working copy beside its output, a
  name starting with ``.`` and ending in ``.partial`` (``.reports.csv.partial``,
  ``.reports.duckdb.partial``, ``.reports.parquet.partial/``), and only
  :meth:`Sink.close` publishes it: ``close(complete=True)`` renames it into place;
  ``close(complete=False)`` (the run was interrupted or failed) does not touch the output.
  It is the one place that commits or discards.  A CSV sink then discards its working
  copy; a columnar sink keeps it, holding every report received (the **resume point**:
  the next run over the same output starts from it and reads only what it lacks).
* **Columnar outputs are appended to.**  A columnar sink knows what its output holds
  (:meth:`Sink.index`: path → report id, size, modification time and SHA-256 of each
  file read; it is the ``reports`` table itself) and gives new files the next report ids
  (:meth:`Sink.next_report`); the run reads only new or changed files, and a changed
  file's earlier rows are replaced under the same id.  Working copies are checkpointed
  every :data:`CHECKPOINT_REPORTS` reports (or :data:`CHECKPOINT_CELLS` cells), each
  checkpoint atomic (a DuckDB transaction; a new Parquet manifest renamed into place), so
  even a killed run loses at most the reports since its last checkpoint.

Only one batch may write to an output at a time.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import shutil
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, Protocol

import opengov
from opengov._batch import (
    FINDING_FIELDS,
    Known,
    PairFindings,
    PairRows,
    Read,
    Unchanged,
)
from opengov._columnar import CARRY_TABLE, TABLE_NAMES, pair_table, pyarrow, schemas, tables_of
from opengov._rows import CarryEntry, Document

__all__ = [
    "Sink",
    "SinkError",
    "CsvSink",
    "ParquetSink",
    "DuckDBSink",
    "open_sink",
    "excluded",
    "working_path",
    "part_number",
    "CHECKPOINT_REPORTS",
    "CHECKPOINT_CELLS",
    "MANIFEST",
]

CHECKPOINT_REPORTS = 2000
"""A columnar sink checkpoints after this many reports …"""
CHECKPOINT_CELLS = 400_000
"""… or this many cells, whichever comes first."""
MANIFEST = "_opengov.json"
"""The manifest of a Parquet output: the files of each table (a reader may ignore it)."""
_ALL_TABLES: tuple[str, ...] = (*TABLE_NAMES, CARRY_TABLE)
_PAIRS = "pairs.parquet"
"""The file of the ``findings`` table that holds the year-to-year findings (replaced by
every run; an output written by :mod:`opengov.dask` has several, ``pairs-NNNNN.parquet``)."""


def _is_pairs(name: str) -> bool:
    return name.startswith("pairs")


def part_number(name: str) -> int:
    """The number of a part file (``part-00012.parquet`` → 12)."""
    return int(name.removeprefix("part-").removesuffix(".parquet"))


class SinkError(ValueError):
    """An output that cannot be opened as asked (a wrong combination of options, a file
    that is not an opengov output)."""


class Sink(Protocol):
    """What the command line writes a batch's events to."""

    @property
    def payload(self) -> Literal["csv", "rows"]:
        """What the workers make for this sink: CSV lines (:func:`opengov._batch.run`) or
        rows (:func:`opengov._batch.run_rows`)."""
        ...

    @property
    def resuming(self) -> bool:
        """Whether an interrupted run left a working copy that this run continues."""
        ...

    @property
    def pairs(self) -> bool:
        """Whether the run should check consecutive years (a CSV sink lists them only in
        the findings CSV)."""
        ...

    def outputs(self) -> tuple[Path, ...]:
        """The paths the sink writes (a batch does not read them as input)."""
        ...

    def index(self) -> Mapping[str, Known]:
        """What the output already holds, by path (empty for CSV)."""
        ...

    def next_report(self) -> int:
        """The first report id free in the output."""
        ...

    def carried(self) -> Iterator[CarryEntry]:
        """The carry-over entries of the reports the output holds."""
        ...

    def write(self, event: object) -> None:
        """Receive one event of the run (the sink ignores those it has no use for)."""
        ...

    def close(self, *, complete: bool) -> None:
        """Publish the output (``complete``) or leave it as it was before the run."""
        ...

    def interrupt(self) -> str:
        """The run was stopped (SIGINT, SIGTERM) between two reports: keep what is whole
        and say where it is.  A CSV sink publishes its files holding every report received
        (none half written; the findings file the same reports' findings); a columnar sink
        stores every report received in its working copy (the resume point) and leaves the
        output as it was."""
        ...

    def abandon(self) -> None:
        """Nothing could be read: leave no new output (an output that existed stays as it
        was, holding its earlier reports, with this run's unreadable files listed when it
        is columnar)."""
        ...


def working_path(path: Path) -> Path:
    """The working copy of an output: ``.NAME.partial`` beside it (hidden from a batch
    that walks the folder)."""
    return path.with_name(f".{path.name}.partial")


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


# ---------------------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------------------


class _AtomicFile:
    """A file written under its working name and renamed into place by :meth:`commit`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.work = working_path(path)
        try:
            self.handle = open(self.work, "wb")  # noqa: SIM115 - closed by commit or discard
        except OSError as exc:  # named by the output asked for, not its working name
            raise OSError(exc.errno, exc.strerror, str(path)) from None

    def write(self, data: bytes) -> None:
        self.handle.write(data)

    def commit(self) -> None:
        self.handle.close()
        os.replace(self.work, self.path)

    def discard(self) -> None:
        self.handle.close()
        self.work.unlink(missing_ok=True)


class CsvSink:
    """The long CSV of every report read (``out``) and the findings CSV (``findings``),
    either optional, exactly as ``opengov batch`` has always written them."""

    payload: Literal["csv", "rows"] = "csv"
    resuming = False

    def __init__(self, out: Path | None, findings: Path | None, *, bom: bool = False) -> None:
        self._start = b"\xef\xbb\xbf" if bom else b""
        self._paths = tuple(p for p in (out, findings) if p is not None)
        self._out: _AtomicFile | None = None
        self._findings: _AtomicFile | None = None
        try:
            self._out = _AtomicFile(out) if out is not None else None
            self._findings = _AtomicFile(findings) if findings is not None else None
        except BaseException:
            self._discard()
            raise
        self._header = True
        self._reports = 0
        if self._findings is not None:
            header = io.StringIO(newline="")
            csv.DictWriter(header, fieldnames=FINDING_FIELDS).writeheader()
            self._findings.write(self._start + header.getvalue().encode("utf-8"))

    @property
    def pairs(self) -> bool:
        """Whether the run should check consecutive years (only the findings CSV lists them)."""
        return self._findings is not None

    def outputs(self) -> tuple[Path, ...]:
        return self._paths

    def index(self) -> Mapping[str, Known]:
        return {}

    def next_report(self) -> int:
        return 1

    def carried(self) -> Iterator[CarryEntry]:
        return iter(())

    def write(self, event: object) -> None:
        if isinstance(event, Read):
            self._reports += 1
            if self._out is not None:
                if self._header:
                    self._out.write(self._start + opengov.to_csv([]).encode("utf-8"))  # the header line
                    self._header = False
                self._out.write(event.csv())
            if self._findings is not None:
                self._findings.write(event.findings)
        elif isinstance(event, PairFindings) and self._findings is not None:
            self._findings.write(event.findings)

    def _discard(self) -> None:
        for file in (self._out, self._findings):
            if file is not None:
                file.discard()

    def close(self, *, complete: bool) -> None:
        if not complete:
            self._discard()
            return
        for file in (self._out, self._findings):
            if file is not None:
                file.commit()

    def interrupt(self) -> str:
        if not self._reports or not self._paths:
            self._discard()
            return "nothing was written" if self._paths else "no output was asked for"
        self.close(complete=True)
        names = " and ".join(str(p) for p in self._paths)
        return (
            f"{names} hold the {self._reports} report(s) read before the interruption "
            "(the consecutive-year pairs were not checked)"
        )

    def abandon(self) -> None:
        self._discard()


# ---------------------------------------------------------------------------------------
# Columnar: what Parquet and DuckDB share
# ---------------------------------------------------------------------------------------


class _ColumnarSink:
    """Buffering, checkpoints, the index and the publishing of a columnar output; the
    backends store the tables."""

    payload: Literal["csv", "rows"] = "rows"
    pairs = True

    def __init__(self, path: Path) -> None:
        self.path = path
        self.work = working_path(path)
        self._recover()
        self.resuming = self.work.exists()
        self._index: dict[str, Known] | None = None
        self._held: set[int] | None = None
        self._buffer: list[Document] = []
        self._cells = 0
        self._touched: list[Unchanged] = []
        self._pairs: list[Any] | None = None
        """The year-to-year findings received (Arrow tables), when the run sent them."""
        self._open = False
        self._received = 0

    # -- the backend --------------------------------------------------------------------

    def _recover(self) -> None:
        """Finish or undo a publication that was interrupted (nothing by default)."""

    def _read_index(self, source: Path) -> list[tuple[str, Known]]:
        raise NotImplementedError

    def _read_carry(self, source: Path) -> list[tuple[int, str, int, str]]:
        raise NotImplementedError

    def _begin(self) -> None:
        """Make the working copy ready (a copy of the output, or a new one)."""
        raise NotImplementedError

    def _apply(
        self,
        tables: dict[str, Any],
        replaced: set[int],
        touched: Sequence[Unchanged],
        pairs: Any | None,
    ) -> None:
        """One checkpoint, atomically: drop the rows of ``replaced``, add ``tables``, update
        the sizes and times of ``touched``, replace the year-to-year findings by ``pairs``."""
        raise NotImplementedError

    def _end(self, complete: bool) -> None:
        """Close the working copy; when ``complete``, publish it in place of the output."""
        raise NotImplementedError

    # -- the sink -----------------------------------------------------------------------

    def _source(self) -> Path | None:
        for candidate in (self.work, self.path):
            if candidate.exists():
                return candidate
        return None

    def outputs(self) -> tuple[Path, ...]:
        return (self.path, self.work)

    def index(self) -> Mapping[str, Known]:
        if self._index is None:
            source = self._source()
            self._index = dict(self._read_index(source)) if source is not None else {}
            self._held = {known.report for known in self._index.values()}
        return self._index

    def next_report(self) -> int:
        return max((known.report for known in self.index().values()), default=0) + 1

    def carried(self) -> Iterator[CarryEntry]:
        source = self._source()
        if source is None:
            return
        for report, organ, year, record in self._read_carry(source):
            yield CarryEntry(report=report, organ=organ, year=year, carry=record)

    def write(self, event: object) -> None:
        if isinstance(event, Document):
            self._received += 1
            self._buffer.append(event)
            self._cells += len(event.rows.cells) + len(event.rows.totals)
            if len(self._buffer) >= CHECKPOINT_REPORTS or self._cells >= CHECKPOINT_CELLS:
                self.checkpoint()
        elif isinstance(event, Unchanged):
            self._touched.append(event)
        elif isinstance(event, PairRows):
            if self._pairs is None:
                self._pairs = []
            self._pairs.append(pair_table(event.findings))

    def checkpoint(self) -> None:
        """Store what was received since the last checkpoint in the working copy, atomically."""
        if not (self._buffer or self._touched or self._pairs is not None):
            return
        self.index()  # which ids the output held before this run
        held = self._held or set()
        if not self._open:
            self._begin()
            self._open = True
        buffer, touched, pairs = self._buffer, self._touched, self._pairs
        replaced = {doc.report for doc in buffer if doc.report in held}
        self._apply(
            tables_of(buffer, carry=True),
            replaced,
            touched,
            None if pairs is None else _concat(pairs),
        )
        self._buffer, self._cells, self._touched, self._pairs = [], 0, [], None

    def close(self, *, complete: bool) -> None:
        try:
            self.checkpoint()
        finally:
            if self._open:
                self._end(complete)
                self._open = False
            elif complete and self.resuming:  # a resumed run with nothing left to store
                self._begin()
                self._end(True)

    def interrupt(self) -> str:
        received = self._received
        self.close(complete=False)
        if not self.work.exists():
            return f"nothing was written; {self.path} is as it was"
        return (
            f"the {received} report(s) read in this run are kept in {self.work} "
            f"({self.path} is as it was): run the same command again to resume"
        )

    def abandon(self) -> None:
        if self.path.exists() or self.resuming:  # the earlier reports stay; this run's failures are listed
            self.close(complete=True)
            return
        self._buffer, self._touched, self._pairs = [], [], None
        if self._open:
            self._end(False)
            self._open = False
        for leftover in (self.work, self.work.with_name(self.work.name + ".wal")):
            if leftover.exists():
                _remove(leftover)


def _concat(tables: list[Any]) -> Any:
    if not tables:
        return pair_table(())
    return pyarrow().concat_tables(tables) if len(tables) > 1 else tables[0]


def _duckdb() -> Any:
    try:
        import duckdb
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise SinkError("a .duckdb output needs duckdb: pip install 'opengov[duckdb]'") from exc
    return duckdb


# ---------------------------------------------------------------------------------------
# Parquet
# ---------------------------------------------------------------------------------------


class ParquetSink(_ColumnarSink):
    """A folder of Parquet files: ``reports/``, ``cells/``, ``prose/``, ``findings/``,
    ``diagnostics/`` and ``_carry/``, each holding ``part-NNNNN.parquet`` files (and
    ``findings/pairs.parquet``, the year-to-year findings), and the manifest
    ``_opengov.json`` listing them.  Part files are never changed: a checkpoint adds new
    ones, rewrites (under a new name) those holding rows it replaces, then renames a new
    manifest into place; files the manifest does not list are left-overs of an
    interrupted checkpoint and are removed."""

    def __init__(self, path: Path) -> None:
        self._manifest: dict[str, Any] = {}
        super().__init__(path)

    @property
    def _old(self) -> Path:
        return self.path.with_name(f".{self.path.name}.old")

    def outputs(self) -> tuple[Path, ...]:
        return (self.path, self.work, self._old)

    def _recover(self) -> None:
        if self.path.exists() and not (self.path / MANIFEST).is_file():
            raise SinkError(f"{self.path} exists and is not an opengov Parquet output (no {MANIFEST})")
        if self.work.exists() and not (self.work / MANIFEST).is_file():
            shutil.rmtree(self.work)  # a run stopped before its first checkpoint: nothing to resume
        if not self._old.exists():
            return
        if self.path.exists():  # the new output was in place: only the old one's removal was interrupted
            shutil.rmtree(self._old)
        elif self.work.exists() and read_manifest(self.work).get("complete"):
            os.replace(self.work, self.path)
            shutil.rmtree(self._old)
        else:
            os.replace(self._old, self.path)

    def _files(self, source: Path, table: str) -> list[Path]:
        manifest = read_manifest(source)
        return [source / table / name for name in manifest["files"].get(table, [])]

    def _read_index(self, source: Path) -> list[tuple[str, Known]]:
        columns = ["report", "path", "size", "mtime_ns", "sha256"]
        table = _read(self._files(source, "reports"), columns)
        return [
            (row["path"], Known(report=row["report"], size=row["size"], mtime_ns=row["mtime_ns"], sha256=row["sha256"]))
            for row in table.to_pylist()
            if row["path"] is not None
        ]

    def _read_carry(self, source: Path) -> list[tuple[int, str, int, str]]:
        table = _read(self._files(source, CARRY_TABLE), ["report", "organ", "year", "record"])
        return [(r["report"], r["organ"], r["year"], r["record"]) for r in table.to_pylist()]

    def _begin(self) -> None:
        if self.work.exists():  # resume: drop what the last checkpoint did not list
            self._manifest = read_manifest(self.work)
            listed = {(table, name) for table, names in self._manifest["files"].items() for name in names}
            for table in _ALL_TABLES:
                folder = self.work / table
                folder.mkdir(exist_ok=True)
                for file in folder.iterdir():
                    if (table, file.name) not in listed:
                        _remove(file)
            return
        self.work.mkdir()
        if self.path.exists():  # append: the output's (immutable) files, linked
            self._manifest = read_manifest(self.path)
            for table, names in self._manifest["files"].items():
                (self.work / table).mkdir(exist_ok=True)
                for name in names:
                    _link(self.path / table / name, self.work / table / name)
        else:
            self._manifest = {"format": "opengov-columnar", "version": 1, "files": {}, "next_part": 1}
        for table in _ALL_TABLES:
            (self.work / table).mkdir(exist_ok=True)
            self._manifest["files"].setdefault(table, [])
        self._manifest["complete"] = False
        self._manifest["opengov"] = opengov.__version__
        _write_manifest(self.work, self._manifest)

    def _part(self) -> str:
        number = int(self._manifest["next_part"])
        self._manifest["next_part"] = number + 1
        return f"part-{number:05d}.parquet"

    def _apply(self, tables: dict[str, Any], replaced: set[int], touched: Sequence[Unchanged], pairs: Any) -> None:
        pa = pyarrow()
        files: dict[str, list[str]] = {t: list(names) for t, names in self._manifest["files"].items()}
        stale: list[Path] = []
        stats = {u.report: (u.size, u.mtime_ns) for u in touched}
        extra: dict[str, list[Any]] = {}
        for table in _ALL_TABLES if replaced or stats else ():
            drop = replaced | set(stats) if table == "reports" else replaced
            if not drop:
                continue
            for name in list(files[table]):
                if table == "findings" and _is_pairs(name):
                    continue
                kept, moved = _without(self.work / table / name, drop, stats if table == "reports" else {})
                if kept is None:
                    continue  # the file holds none of them
                files[table].remove(name)
                stale.append(self.work / table / name)
                for part in (kept, moved):
                    if part is not None and part.num_rows:
                        extra.setdefault(table, []).append(part)
        name = self._part()  # one number per checkpoint, in every table
        for table in _ALL_TABLES:
            parts = [tables[table], *extra.get(table, [])]
            data = pa.concat_tables(parts) if len(parts) > 1 else parts[0]
            if data.num_rows or not files[table]:
                _write_parquet(data, self.work / table / name)
                files[table].append(name)
        if pairs is not None:
            for name in [n for n in files["findings"] if _is_pairs(n) and n != _PAIRS]:
                files["findings"].remove(name)
                stale.append(self.work / "findings" / name)
            _write_parquet(pairs, self.work / "findings" / _PAIRS)  # replaces the earlier file (a new inode)
            if _PAIRS not in files["findings"]:
                files["findings"].append(_PAIRS)
        self._manifest["files"] = files
        _write_manifest(self.work, self._manifest)
        for path in stale:
            path.unlink(missing_ok=True)

    def _end(self, complete: bool) -> None:
        if not complete:
            return
        self._manifest["complete"] = True
        _write_manifest(self.work, self._manifest)
        if self.path.exists():
            os.replace(self.path, self._old)
            os.replace(self.work, self.path)
            shutil.rmtree(self._old)
        else:
            os.replace(self.work, self.path)


def read_manifest(folder: Path) -> dict[str, Any]:
    """The manifest of a Parquet output (or working copy); :class:`SinkError` if none."""
    try:
        data: dict[str, Any] = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SinkError(f"{folder} is not an opengov Parquet output: {exc}") from None
    if data.get("format") != "opengov-columnar":
        raise SinkError(f"{folder / MANIFEST} is not an opengov manifest")
    return data


def _write_manifest(folder: Path, manifest: Mapping[str, Any]) -> None:
    temporary = folder / f".{MANIFEST}.partial"
    temporary.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(temporary, folder / MANIFEST)


_STATISTICS = ("report", "previous", "year", "number", "amount")
"""The columns whose minimum and maximum a Parquet file records (what readers prune files and
row groups by; the ``report`` range is how a checkpoint finds the files holding a report)."""


def _link(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _write_parquet(table: Any, path: Path) -> None:
    import pyarrow.parquet as pq

    temporary = path.with_name(f".{path.name}.partial")
    statistics = [name for name in _STATISTICS if name in table.schema.names]
    pq.write_table(table, temporary, compression="zstd", write_statistics=statistics)
    os.replace(temporary, path)


def _read(files: Sequence[Path], columns: Sequence[str]) -> Any:
    import pyarrow.parquet as pq

    pa = pyarrow()
    if not files:
        return pa.table({c: pa.array([]) for c in columns})
    return pa.concat_tables([pq.read_table(f, columns=list(columns)) for f in files])


def _without(path: Path, reports: set[int], stats: Mapping[int, tuple[int, int]]) -> tuple[Any, Any]:
    """The rows of a part file whose report is not in ``reports`` and, of those that are,
    the ones with new ``stats`` (size, mtime) updated; ``(None, None)`` when the file holds
    none of ``reports`` (read from the statistics of its ``report`` column when they tell)."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    pa = pyarrow()
    low, high = min(reports), max(reports)
    metadata = pq.ParquetFile(path).metadata
    column = metadata.schema.names.index("report")
    for group in range(metadata.num_row_groups):
        statistics = metadata.row_group(group).column(column).statistics
        if statistics is None or not statistics.has_min_max or not (statistics.max < low or statistics.min > high):
            break
    else:
        return None, None
    table = pq.read_table(path)
    hit = pc.is_in(table["report"], value_set=pa.array(sorted(reports), pa.int64()))
    if not pc.any(hit).as_py():
        return None, None
    kept = table.filter(pc.invert(hit))
    moved = None
    if stats:
        moved = table.filter(pc.is_in(table["report"], value_set=pa.array(sorted(stats), pa.int64())))
        ids = moved["report"].to_pylist()
        moved = moved.set_column(
            moved.schema.get_field_index("size"), "size", pa.array([stats[i][0] for i in ids], pa.int64())
        ).set_column(
            moved.schema.get_field_index("mtime_ns"), "mtime_ns", pa.array([stats[i][1] for i in ids], pa.int64())
        )
    return kept, moved


# ---------------------------------------------------------------------------------------
# DuckDB
# ---------------------------------------------------------------------------------------


def _sql_type(arrow_type: Any) -> str:
    pa = pyarrow()
    if pa.types.is_dictionary(arrow_type) or pa.types.is_string(arrow_type):
        return "VARCHAR"
    if pa.types.is_int64(arrow_type):
        return "BIGINT"
    if pa.types.is_int32(arrow_type):
        return "INTEGER"
    if pa.types.is_boolean(arrow_type):
        return "BOOLEAN"
    if pa.types.is_decimal(arrow_type):
        return f"DECIMAL({arrow_type.precision}, {arrow_type.scale})"
    raise TypeError(f"no SQL type for {arrow_type}")  # pragma: no cover - the schema uses only these


def duckdb_schema() -> str:
    """The SQL that creates the tables of a DuckDB output."""
    statements = []
    for name in _ALL_TABLES:
        columns = ", ".join(f'"{field.name}" {_sql_type(field.type)}' for field in schemas()[name])
        statements.append(f"CREATE TABLE {name} ({columns});")
    return "\n".join(statements)


class DuckDBSink(_ColumnarSink):
    """One DuckDB database file holding the tables (``reports``, ``cells``, ``prose``,
    ``findings``, ``diagnostics`` and the internal ``_carry``).  The working copy is a copy
    of the output (or a new database); each checkpoint is one transaction."""

    def __init__(self, path: Path) -> None:
        self._connection: Any = None
        super().__init__(path)

    def _recover(self) -> None:
        if self.path.exists():
            with contextlib.closing(self._connect(self.path, read_only=True)) as con:
                names = {row[0] for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
            if not set(_ALL_TABLES) <= names:
                raise SinkError(f"{self.path} is a DuckDB database but not an opengov output")

    def _connect(self, path: Path, *, read_only: bool = False) -> Any:
        duckdb = _duckdb()
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.Error as exc:
            raise SinkError(f"cannot open {path} as a DuckDB database: {exc}") from None

    def _read_index(self, source: Path) -> list[tuple[str, Known]]:
        with contextlib.closing(self._connect(source, read_only=source == self.path)) as con:
            rows = con.execute("SELECT path, report, size, mtime_ns, sha256 FROM reports WHERE path IS NOT NULL")
            return [(p, Known(report=r, size=s, mtime_ns=m, sha256=h)) for p, r, s, m, h in rows.fetchall()]

    def _read_carry(self, source: Path) -> list[tuple[int, str, int, str]]:
        if self._connection is not None:
            return list(self._connection.execute(f"SELECT report, organ, year, record FROM {CARRY_TABLE}").fetchall())
        with contextlib.closing(self._connect(source, read_only=source == self.path)) as con:
            return list(con.execute(f"SELECT report, organ, year, record FROM {CARRY_TABLE}").fetchall())

    def _begin(self) -> None:
        if not self.work.exists():  # made under a temporary name: a working copy is always whole
            temporary = self.work.with_name(self.work.name + ".new")
            temporary.unlink(missing_ok=True)
            if self.path.exists():
                shutil.copyfile(self.path, temporary)
            else:
                with contextlib.closing(self._connect(temporary)) as con:
                    con.execute(duckdb_schema())
                    con.execute("CHECKPOINT")  # everything in the file, no write-ahead log beside it
            os.replace(temporary, self.work)
        self._connection = self._connect(self.work)

    def _apply(self, tables: dict[str, Any], replaced: set[int], touched: Sequence[Unchanged], pairs: Any) -> None:
        pa = pyarrow()
        con = self._connection
        con.execute("BEGIN TRANSACTION")
        try:
            if replaced:
                con.register("_replaced", pa.table({"report": pa.array(sorted(replaced), pa.int64())}))
                for name in _ALL_TABLES:
                    con.execute(f"DELETE FROM {name} WHERE report IN (SELECT report FROM _replaced)")
                con.unregister("_replaced")
            for name in _ALL_TABLES:
                if tables[name].num_rows:
                    con.register("_rows", tables[name])
                    con.execute(f"INSERT INTO {name} SELECT * FROM _rows")
                    con.unregister("_rows")
            if touched:
                stats = pa.table(
                    {
                        "report": pa.array([u.report for u in touched], pa.int64()),
                        "size": pa.array([u.size for u in touched], pa.int64()),
                        "mtime_ns": pa.array([u.mtime_ns for u in touched], pa.int64()),
                    }
                )
                con.register("_stats", stats)
                con.execute(
                    "UPDATE reports SET size = _stats.size, mtime_ns = _stats.mtime_ns "
                    "FROM _stats WHERE reports.report = _stats.report"
                )
                con.unregister("_stats")
            if pairs is not None:
                con.execute("DELETE FROM findings WHERE previous IS NOT NULL")
                if pairs.num_rows:
                    con.register("_pairs", pairs)
                    con.execute("INSERT INTO findings SELECT * FROM _pairs")
                    con.unregister("_pairs")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise

    def _end(self, complete: bool) -> None:
        con, self._connection = self._connection, None
        if complete:
            con.execute("CHECKPOINT")
        con.close()
        if complete:
            os.replace(self.work, self.path)


# ---------------------------------------------------------------------------------------
# Opening
# ---------------------------------------------------------------------------------------

SUFFIXES: Mapping[str, str] = {".parquet": "parquet", ".duckdb": "duckdb", ".ddb": "duckdb"}
"""The suffixes of ``--out`` that choose a columnar output (any other is CSV)."""


def open_sink(out: str | None, findings: str | None = None, *, bom: bool = False) -> Sink:
    """The sink for ``--out`` (by its suffix), ``--findings`` and ``--bom``.

    :class:`SinkError` for what cannot be: ``--findings`` or ``--bom`` with a columnar
    output (its ``findings`` table holds the findings), an existing output that is not an
    opengov output of that kind.
    """
    kind = SUFFIXES.get(Path(out).suffix.lower()) if out else None
    if kind is None:
        for name in (out, findings):
            if name and Path(name).is_dir():
                raise SinkError(f"{name} is a folder; a CSV output is a file")
        return CsvSink(Path(out) if out else None, Path(findings) if findings else None, bom=bom)
    if findings:
        raise SinkError(f"--findings is for CSV output: the findings are in the findings table of {out}")
    if bom:
        raise SinkError("--bom is for CSV output")
    pyarrow()
    if kind == "duckdb":
        _duckdb()
        return DuckDBSink(Path(out))  # type: ignore[arg-type]
    return ParquetSink(Path(out))  # type: ignore[arg-type]


def excluded(files: Iterable[str], sink: Sink) -> Iterator[str]:
    """``files`` without the sink's own outputs and working copies (nor files inside them)."""
    outputs = [os.path.abspath(path) for path in sink.outputs()]
    inside = tuple(out + os.sep for out in outputs)
    for file in files:
        absolute = os.path.abspath(file)
        if absolute in outputs or absolute.startswith(inside):
            continue
        yield file
