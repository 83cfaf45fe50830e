"""docs/architecture.md's import rules hold in the code: no room imports a room above it."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "opengov"
MODEL = {"_model", "_codec", "_errors", "_limits", "_result", "layout"}
ANYTHING = None

# The table "Who may import whom" of docs/architecture.md, as data.
ALLOWED: dict[str, set[str] | None] = {
    "_nfkc": set(),
    "layout": {"_nfkc"},
    "_errors": set(),
    "_caches": set(),
    "_model": {"layout"},
    "_limits": {"_errors"},
    "_decode": {"_errors"},
    "_patterns": {"layout"},
    "_locate": {"layout"},
    "_codec": {"_model", "_errors", "layout"},
    "_result": {"_model", "_errors", "layout"},
    "_grid": {"_errors", "_patterns"},
    "_readers": {"_decode", "_errors", "_grid", "_limits", "_patterns", "_locate", "layout"},
    "_recover": {"_limits", "_locate", "_model", "layout"},
    "_alternatives": {"_codec", "_errors", "_grid", "_model", "_result", "layout"},
    "_assemble": MODEL | {"_grid", "_patterns", "_recover", "_alternatives", "_nfkc"},
    "_parse": {"_readers", "_assemble", "_decode", "_errors", "_grid", "_limits", "_model", "_result"},
    "_checks": {"_codec", "_errors", "_model", "_result", "layout"},
    "_serialize": {"_codec", "_errors", "_model", "layout"},
    "_writers": {"_checks", "_codec", "_errors", "_grid", "_model", "layout"},
    "_render": {"_writers", "_checks", "_errors", "_model", "_result"},
    "_inputs": MODEL | {"_parse", "_readers", "_assemble", "_grid", "_patterns", "_recover", "_alternatives"},
    "_workers": set(),
    "_rows": MODEL | {"_checks", "_serialize", "_inputs", "_parse"},
    "_columnar": MODEL | {"_rows", "_serialize"},
    "_sinks": {"_batch", "_columnar", "_rows"},
    "dask": {"_batch", "_columnar", "_rows", "_sinks"},
    "_batch": ANYTHING,
    "_cli": ANYTHING,
    "__main__": ANYTHING,
    "__init__": ANYTHING,
    "testing": ANYTHING,
}


def _room(module: str) -> str:
    """``opengov._readers.pdf`` → ``_readers``; ``opengov`` → ``__init__``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _imports() -> dict[str, set[tuple[str, str]]]:
    """Per room: (importing file, imported room) for every import of another opengov room."""
    found: dict[str, set[tuple[str, str]]] = {}
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC.parent).with_suffix("")
        module = ".".join(relative.parts[:-1] if relative.name == "__init__" else relative.parts)
        room = _room(module) if module != "opengov" else "__init__"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                targets = [node.module] if node.module != "opengov" else [f"opengov.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue  # relative imports stay inside their package
            for target in targets:
                if target.split(".")[0] != "opengov" or target == "opengov":
                    continue
                other = _room(target)
                if other != room:
                    found.setdefault(room, set()).add((str(path.relative_to(SRC)), other))
    return found


def test_every_room_is_in_the_rules() -> None:
    rooms = {
        p.stem if p.is_file() else p.name
        for p in SRC.iterdir()
        if p.suffix == ".py" or (p.is_dir() and (p / "__init__.py").exists())
    }
    assert rooms - set(ALLOWED) == set(), "add the new module to docs/architecture.md and ALLOWED"


def test_no_room_imports_a_room_above_it() -> None:
    imports = _imports()
    assert imports, "the import scan found nothing: it would pass vacuously"
    broken = [
        f"{path} imports {other}"
        for room, pairs in imports.items()
        if (allowed := ALLOWED[room]) is not None
        for path, other in sorted(pairs)
        if other not in allowed
    ]
    assert not broken, "\n".join(broken)


def test_the_rules_are_the_documented_ones() -> None:
    page = (SRC.parent.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert "Who may import whom" in page
    for room in ALLOWED:
        if room not in {"__init__", "_caches"}:
            assert f"`{room}`" in page, f"{room} is not on docs/architecture.md"
