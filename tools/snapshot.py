"""Behaviour snapshot: ``python tools/snapshot.py OUT.jsonl [--quick]``.

Options: ``--reports FILE`` takes the generated reports from FILE (JSON lines, written once
with ``--write-reports FILE``), so that runs in different checkouts compare the same
reports; ``--quick`` generates fewer; ``--no-batch`` skips the batch run.

Writes, for a fixed corpus, everything the library's users can observe through the public
API: each document's parse result (report JSON, form, diagnostics, cell locations), its
check findings, its CSV (long and wide), its renderings, and the bytes of a ``batch`` run
over the corpus.  Run it before and after a refactoring and compare the two files
(``diff`` or ``python tools/snapshot.py --compare A B``): a behaviour-preserving change
leaves them identical.

The corpus: every real sample in ``$OPENGOV_SAMPLES`` (default ``../shared/samples``), every
document under ``tests/data``, and generated reports (hypothesis with a fixed seed, so the same
reports on every run of the same hypothesis version, in any checkout) rendered in every text form and
parsed back.  Nothing is asserted; this is a development tool, not a test.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import opengov

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = Path(os.environ.get("OPENGOV_SAMPLES", ROOT.parent / "shared" / "samples"))
DOC_SUFFIXES = {".txt", ".md", ".html", ".htm", ".pdf", ".docx"}


def _documents() -> Iterator[tuple[str, bytes]]:
    roots = [SAMPLES, ROOT / "tests" / "data", ROOT / "examples"]
    for root in roots:
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix in DOC_SUFFIXES and "expected" not in path.parts:
                yield str(path.relative_to(root.parent)), path.read_bytes()


def _generated(n: int) -> list[opengov.Report]:
    from hypothesis import HealthCheck, given, seed, settings
    from hypothesis import strategies as st

    from opengov.testing import any_reports, reports

    found: list[opengov.Report] = []

    # a fixed seed, not derandomize: derandomize seeds from the test function's identity,
    # which differs between checkouts (worktrees) of the same code
    @seed(20261206)
    @settings(
        max_examples=n,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.one_of(reports(), any_reports()))
    def collect(report: opengov.Report) -> None:
        found.append(report)

    collect()
    return found


def _result_record(name: str, result: opengov.ParseResult) -> dict[str, object]:
    report = result.report
    return {
        "name": name,
        "form": result.form,
        "report": opengov.dumps(report),
        "diagnostics": [f"{d!r}" for d in result.diagnostics],
        "locations": sorted(f"{k}={v!r}" for k, v in result.locations.items()),
        "findings": [repr(f) for f in opengov.check(result)],
        "findings_zero": [repr(f) for f in opengov.check(result, blanks="zero")],
    }


def _outputs(report: opengov.Report) -> dict[str, str]:
    out: dict[str, str] = {}
    for to in ("text", "markdown", "html"):
        out[to] = str(opengov.render(report, to=to))
    out["ascii"] = str(opengov.render(report, to="text", style="ascii"))
    out["csv_long"] = opengov.to_csv([report])
    try:
        out["csv_wide"] = opengov.to_csv([report], shape="wide")
    except TypeError:  # an older checkout (the argument was called layout)
        out["csv_wide"] = opengov.to_csv([report], layout="wide")  # type: ignore[call-arg]
    return out


def _safe(func, *args, **kwargs):  # type: ignore[no-untyped-def]
    try:
        return func(*args, **kwargs)
    except Exception as exc:  # a snapshot records failures as behaviour too
        return f"{type(exc).__name__}: {exc}"


def _load_reports(path: Path) -> list[opengov.Report]:
    return [opengov.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def records(quick: bool, reports_file: Path | None = None) -> Iterator[dict[str, object]]:
    for name, data in _documents():
        result = _safe(opengov.parse, data)
        if isinstance(result, str):
            yield {"name": name, "error": result}
            continue
        record = _result_record(name, result)
        record["outputs"] = _safe(_outputs, result.report)
        yield record
    generated = _load_reports(reports_file) if reports_file else _generated(60 if quick else 300)
    for i, report in enumerate(generated):
        outputs = _safe(_outputs, report)
        yield {"name": f"generated-{i}", "report": opengov.dumps(report), "outputs": outputs}
        if isinstance(outputs, dict):
            for to in ("text", "markdown", "html", "ascii"):
                result = _safe(opengov.parse, outputs[to])
                if isinstance(result, str):
                    yield {"name": f"generated-{i}.{to}", "error": result}
                else:
                    yield _result_record(f"generated-{i}.{to}", result)
        yield {"name": f"generated-{i}.csv", "back": _safe(lambda r=report: opengov.from_csv(opengov.to_csv([r])) == [r])}


def batch_record() -> dict[str, object]:
    # a fixed folder: the batch's output names the files it read
    with tempfile.TemporaryDirectory() as scratch:
        tmp = Path(tempfile.gettempdir()) / "opengov-snapshot"
        shutil.rmtree(tmp, ignore_errors=True)
        folder = tmp / "in"
        folder.mkdir(parents=True)
        for i, (name, data) in enumerate(_documents()):
            (folder / f"{i:03d}-{Path(name).name}").write_bytes(data)
        (folder / "zz-unreadable.bin").write_bytes(b"\xff\xfe\x00garbage")
        out, findings = Path(tmp) / "reports.csv", Path(tmp) / "findings.csv"
        # the batch must run this checkout's code: the package's own folder first on the path
        package_root = str(Path(opengov.__file__).resolve().parent.parent)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([package_root, os.environ.get("PYTHONPATH", "")])}
        proc = subprocess.run(
            [sys.executable, "-m", "opengov", "batch", str(folder), "--out", str(out), "--findings", str(findings)],
            capture_output=True,
            cwd=scratch,
            env=env,
        )
        digest = {
            p.name: hashlib.sha256(p.read_bytes()).hexdigest() if p.exists() else None for p in (out, findings)
        }
        shutil.rmtree(tmp, ignore_errors=True)
        return {"name": "batch", "status": proc.returncode, "files": digest}


def compare(a: Path, b: Path) -> int:
    left = [json.loads(line) for line in a.read_text().splitlines()]
    right = [json.loads(line) for line in b.read_text().splitlines()]
    by_name = {r["name"]: r for r in right}
    differences = 0
    for record in left:
        other = by_name.pop(record["name"], None)
        if other != record:
            differences += 1
            keys = sorted({*record, *(other or {})})
            changed = [k for k in keys if (other or {}).get(k) != record.get(k)]
            print(f"{record['name']}: differs in {', '.join(changed)}")
    for name in by_name:
        differences += 1
        print(f"{name}: only in {b}")
    print(f"{len(left)} records, {differences} differ")
    return 1 if differences else 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["--compare"]:
        return compare(Path(argv[1]), Path(argv[2]))
    if argv[:1] == ["--write-reports"]:
        # hypothesis' generation can differ between checkouts in different folders: write the
        # generated reports once and give the file to every run with --reports
        with Path(argv[1]).open("w", encoding="utf-8") as handle:
            for report in _generated(300):
                handle.write(opengov.dumps(report, indent=None) + "\n")
        return 0
    out = Path(argv[0])
    quick = "--quick" in argv
    reports_file = Path(argv[argv.index("--reports") + 1]) if "--reports" in argv else None
    with out.open("w", encoding="utf-8") as handle:
        for record in records(quick, reports_file):
            handle.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
        if "--no-batch" not in argv:
            handle.write(json.dumps(batch_record(), ensure_ascii=False, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
