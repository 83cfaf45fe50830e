"""Fuzz every reader and data loader on demand: ``PYTHONPATH=src python tools/fuzz.py``.

Each target gets ``--n`` inputs (default 1,000): the seed corpus of ``tests/data/fuzz``
mutated at random (bytes flipped, inserted or deleted, slices repeated, the end cut off, a
figure made thousands of digits long), and every tenth input arbitrary bytes.  An input
must end in a result or a documented error (``ParseError``, ``LoadError``,
``MissingExtraError``); any other exception is a failure: the input is saved to
``--out`` (``fuzz-failures/`` by default) with the traceback beside it, and the exit
status is 1.  The slowest input of each target is reported (CPU seconds) and saved too,
so that a slow pattern can be found the same way.

Targets: ``parse`` (form detected), ``parse:<form>`` for every registered form, ``loads``,
``from_csv``.  ``--target`` picks some (repeatable); ``--seed`` makes a run repeatable.

The tests (``tests/test_fuzz.py``) run the same properties with hypothesis for a few dozen
inputs each; this script is for the long runs (``--n 20000``) an adversarial review makes.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

import opengov
from opengov._readers import form_names

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "fuzz"
DOCUMENTED = (opengov.ParseError, opengov.LoadError, opengov.MissingExtraError)


def mutate(data: bytes, rng: random.Random) -> bytes:
    """``data`` with one to four random mutations."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        if not out:
            out += rng.randbytes(rng.randint(1, 8))
            continue
        at = rng.randrange(len(out))
        op = rng.choice(("flip", "insert", "delete", "repeat", "truncate", "digits"))
        if op == "flip":
            out[at] ^= 1 << rng.randrange(8)
        elif op == "insert":
            out[at:at] = rng.randbytes(rng.randint(1, 16))
        elif op == "delete":
            del out[at : at + rng.randint(1, 64)]
        elif op == "repeat":
            out[at:at] = out[at : at + rng.randint(1, 256)] * rng.randint(1, 20)
        elif op == "truncate":
            del out[at:]
        else:
            out[at:at] = b"9" * rng.randint(1, 6000)
    return bytes(out)


def targets() -> dict[str, tuple[Callable[[bytes], object], list[str]]]:
    """Each target's call and the seeds it mutates."""
    documents = [p.name for p in sorted(CORPUS.iterdir()) if p.suffix not in (".py", ".json", ".csv")]
    out: dict[str, tuple[Callable[[bytes], object], list[str]]] = {
        "parse": (lambda data: opengov.parse(data), documents),
        "loads": (lambda data: opengov.loads(data), ["report.json"]),
        "from_csv": (lambda data: opengov.from_csv(data), ["report.long.csv", "report.wide.csv"]),
    }
    for form in form_names():
        if form == "image":  # OCR of random pictures: seconds each, and no picture seed
            continue
        out[f"parse:{form}"] = ((lambda data, form=form: opengov.parse(data, form=form)), documents)
    return out


def run(name: str, call: Callable[[bytes], object], seeds: list[str], n: int, rng: random.Random, out: Path) -> int:
    corpus = [(CORPUS / seed).read_bytes() for seed in seeds]
    failures = 0
    slowest = (0.0, b"")
    outcomes: dict[str, int] = {}
    for i in range(n):
        data = rng.randbytes(rng.randint(0, 4096)) if i % 10 == 9 else mutate(rng.choice(corpus), rng)
        start = time.process_time()
        try:
            call(data)
            kind = "parsed"
        except DOCUMENTED as error:
            kind = type(error).__name__
        except Exception:
            failures += 1
            kind = "FAILED"
            out.mkdir(parents=True, exist_ok=True)
            stem = out / f"{name.replace(':', '-')}-{i}"
            stem.with_suffix(".bin").write_bytes(data)
            stem.with_suffix(".txt").write_text(traceback.format_exc(), encoding="utf-8")
            print(f"{name}: input {i} raised an undocumented error; saved as {stem}.bin", file=sys.stderr)
        spent = time.process_time() - start
        if spent > slowest[0]:
            slowest = (spent, data)
        outcomes[kind] = outcomes.get(kind, 0) + 1
    if slowest[1]:
        out.mkdir(parents=True, exist_ok=True)
        (out / f"{name.replace(':', '-')}-slowest.bin").write_bytes(slowest[1])
    summary = ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items()))
    print(f"{name:16} {n} inputs: {summary}; slowest {slowest[0] * 1000:.0f} ms CPU ({len(slowest[1])} bytes)")
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="inputs per target (default 1000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--target", action="append", help="a target (parse, parse:<form>, loads, from_csv)")
    parser.add_argument("--out", type=Path, default=Path("fuzz-failures"), help="where failing inputs are saved")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    chosen = targets()
    if args.target:
        unknown = sorted(set(args.target) - set(chosen))
        if unknown:
            parser.error(f"unknown target(s) {', '.join(unknown)}; known: {', '.join(chosen)}")
        chosen = {name: chosen[name] for name in args.target}
    failures = sum(run(name, call, seeds, args.n, rng, args.out) for name, (call, seeds) in chosen.items())
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
