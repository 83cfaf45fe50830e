"""opengov.dask: the batch's rows on Dask equal the local batch's, row for row.

The test on a ``dask.distributed`` LocalCluster with two worker processes is marked
``cluster`` (it starts processes: a few seconds); ``pytest -m "not cluster"`` leaves it out of a
quick local run, CI runs it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from test_columnar import SORT_KEYS, TABLES, batch, make_folder, parquet_tables

pytest.importorskip("pyarrow", reason="opengov.dask needs pyarrow: pip install 'opengov[dask]'")
pytest.importorskip("dask.bag", reason="opengov.dask needs dask: pip install 'opengov[dask]'")

import dask

import opengov.dask


@pytest.fixture(scope="module")
def local(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A folder of reports and the local batch's Parquet output over it."""
    base = tmp_path_factory.mktemp("dask")
    folder = base / "in"
    make_folder(folder)
    out = base / "local.parquet"
    batch(str(folder), "--out", str(out))
    return folder, out


def same_rows(left: dict[str, Any], right: dict[str, Any]) -> None:
    for name in (*TABLES, "_carry"):
        key = SORT_KEYS[name]
        a = sorted(left[name].to_pylist(), key=lambda r: tuple(str(r[k]) for k in key))
        b = sorted(right[name].to_pylist(), key=lambda r: tuple(str(r[k]) for k in key))
        assert len(a) == len(b), name
        assert a == b, name


def test_dask_run_in_threads_equals_the_local_batch(local: tuple[Path, Path], tmp_path: Path) -> None:
    folder, expected = local
    out = tmp_path / "dask.parquet"
    with dask.config.set(scheduler="threads"):
        summary = opengov.dask.run([str(folder)], out, partition_size=4)
    same_rows(parquet_tables(out), parquet_tables(expected))
    assert summary.files == len(parquet_tables(expected)["reports"])
    assert summary.unreadable == 2
    assert summary.pairs == 6  # 3 organs × (2021→2022, 2022→2023)
    with pytest.raises(ValueError, match="exists"):
        opengov.dask.run([str(folder)], out)


def test_a_batch_appends_to_a_dask_output(local: tuple[Path, Path], tmp_path: Path) -> None:
    """The Dask output is the batch's layout: ``opengov batch`` appends to it, and its year-to-year
    findings replace the Dask run's (none twice)."""
    folder, expected = local
    out = tmp_path / "dask.parquet"
    with dask.config.set(scheduler="sync"):
        opengov.dask.run(str(folder), out, partition_size=5)
    result = batch(str(folder), "--out", str(out))
    assert "0 read" in result.stderr
    (folder / "zz-late.txt").write_bytes((folder.parent / "in" / "empty.txt").read_bytes() + b"")
    try:
        result = batch(str(folder), "--out", str(out))
        assert "1 unreadable" in result.stderr  # the new (empty) file only
        tables = parquet_tables(out)
        pairs = [r for r in tables["findings"].to_pylist() if r["previous"] is not None]
        want = [r for r in parquet_tables(expected)["findings"].to_pylist() if r["previous"] is not None]
        assert sorted(map(str, pairs)) == sorted(map(str, want))
    finally:
        (folder / "zz-late.txt").unlink()


def test_documents_is_a_bag_of_the_rows(local: tuple[Path, Path]) -> None:
    folder, expected = local
    with dask.config.set(scheduler="sync"):
        docs = opengov.dask.documents(str(folder), partition_size=3).compute()
    assert [d.report for d in docs] == list(range(1, len(docs) + 1))
    paths = {r["report"]: r["path"] for r in parquet_tables(expected)["reports"].to_pylist()}
    assert {d.report: d.rows.report.path for d in docs} == paths


@pytest.mark.cluster
def test_dask_run_on_a_two_process_local_cluster_equals_the_local_batch(
    local: tuple[Path, Path], tmp_path: Path
) -> None:
    distributed = pytest.importorskip("distributed", reason="the cluster test needs dask.distributed")
    folder, expected = local
    out = tmp_path / "cluster.parquet"
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
    ):
        assert len(client.scheduler_info()["workers"]) == 2
        summary = opengov.dask.run([str(folder)], out, partition_size=3)
    same_rows(parquet_tables(out), parquet_tables(expected))
    assert summary.read == len([r for r in parquet_tables(expected)["reports"].to_pylist() if r["status"] == "read"])


def test_scale_docs_local_block_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The blocks of docs/scale.md that need no cluster run as written (from the project root:
    they read examples/zhapu-2023.txt)."""
    import re

    root = Path(__file__).resolve().parent.parent
    page = (root / "docs" / "scale.md").read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"```python\n(.*?)```", page, re.S) if "Client(" not in b and "Cluster(" not in b]
    assert blocks
    monkeypatch.chdir(root)
    for block in blocks:
        exec(compile(block, "docs/scale.md", "exec"), {"__name__": "__docs__"})
