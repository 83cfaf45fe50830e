"""Errors and diagnostics shared by every reader and loader.

* :class:`Location` — where something is in a source document (line and column; page for
  PDFs; table, row and column for documents with real tables).
* :class:`Diagnostic` — one thing a reader repaired, guessed or could not place.
* :class:`ParseError` — raised in strict mode (or when nothing can be read), listing every
  problem.
* :class:`LoadError` — a JSON or CSV document that does not match the report shape.
* :class:`MissingExtraError` — an optional dependency is not installed (names the extra).
"""

from __future__ import annotations

import enum
import types
from collections.abc import Callable, Iterable
from typing import Any

import attrs

__all__ = ["Severity", "Location", "Diagnostic", "ParseError", "LoadError", "MissingExtraError", "OpengovError"]


class Severity(str, enum.Enum):
    """How serious a diagnostic or finding is."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    def __str__(self) -> str:
        return self.value


@attrs.frozen(kw_only=True)
class Location:
    """A place in a source document.  Every part is optional; ``line``/``column`` are
    1-based.  ``table``/``row``/``cell`` are 1-based positions in a document's own tables
    (an HTML ``<table>``, a Word table), not layout keys."""

    line: int | None = None
    column: int | None = None
    page: int | None = None
    table: int | None = None
    row: int | None = None
    cell: int | None = None

    def __str__(self) -> str:
        parts = []
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.column is not None:
            parts.append(f"column {self.column}")
        if self.table is not None:
            parts.append(f"table {self.table}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.cell is not None:
            parts.append(f"cell {self.cell}")
        return ", ".join(parts) if parts else "unknown location"


def slot_setters(cls: type, names: tuple[str, ...]) -> tuple[Callable[[Any, Any], None], ...] | None:
    """The slot setters of the attrs class ``cls``'s fields, when its fields are exactly
    ``names`` (in order) and making an instance is only setting them: no validator,
    converter, ``on_setattr`` hook, ``__attrs_pre_init__`` or ``__attrs_post_init__``, every
    field a plain slot.  ``None`` otherwise: then a maker built on them (:func:`location`,
    :func:`opengov._grid.new_cell`) calls the class instead.

    A frozen attrs class refuses ``setattr`` but not its slots' own setters, which is what
    its ``__init__`` calls, one ``object.__setattr__`` per field; calling the setters
    directly makes the same object in about half the time.  The makers are the readers'
    hot path (a cell and its location for every figure of a table);
    ``tests/test_fast_paths.py`` compares them with the constructors."""
    fields = attrs.fields(cls)
    if (
        tuple(f.name for f in fields) != names
        or any(f.validator is not None or f.converter is not None or f.on_setattr is not None for f in fields)
        or hasattr(cls, "__attrs_pre_init__")
        or hasattr(cls, "__attrs_post_init__")
        or not all(isinstance(cls.__dict__.get(name), types.MemberDescriptorType) for name in names)
    ):
        return None
    return tuple(cls.__dict__[name].__set__ for name in names)


_LOCATION_FIELDS = ("line", "column", "page", "table", "row", "cell")


def _location_maker() -> Callable[..., Location]:
    setters = slot_setters(Location, _LOCATION_FIELDS)
    if setters is None:  # the class changed shape: its constructor, as it is
        return lambda *values, **named: Location(**dict(zip(_LOCATION_FIELDS, values, strict=False)), **named)
    set_line, set_column, set_page, set_table, set_row, set_cell = setters
    new = object.__new__

    def make(
        line: int | None = None,
        column: int | None = None,
        page: int | None = None,
        table: int | None = None,
        row: int | None = None,
        cell: int | None = None,
    ) -> Location:
        made: Location = new(Location)
        set_line(made, line)
        set_column(made, column)
        set_page(made, page)
        set_table(made, table)
        set_row(made, row)
        set_cell(made, cell)
        return made

    return make


location = _location_maker()
"""``location(line, column, page, table, row, cell)`` (each ``None`` when not given) is
``Location(line=line, column=column, …)``, made without attrs' ``__init__``
(:func:`slot_setters`): the readers' way to make many."""


@attrs.frozen(kw_only=True)
class Diagnostic:
    """One thing a reader repaired, guessed or could not place.

    ``code`` is a stable identifier (``unknown-row``, ``unreadable-row`` …) and ``message``
    says what was found and what was expected there.
    """

    severity: Severity
    code: str
    message: str
    location: Location = attrs.field(factory=Location)

    def __str__(self) -> str:
        return f"{self.severity}: {self.message} (at {self.location}) [{self.code}]"


class OpengovError(Exception):
    """Base class of opengov's own exceptions."""


class ParseError(OpengovError, ValueError):
    """A document could not be read (or, in strict mode, was read with problems).

    ``diagnostics`` lists every problem; the message shows them one per line.
    """

    def __init__(self, diagnostics: Iterable[Diagnostic], summary: str = "the document could not be parsed"):
        self.diagnostics: tuple[Diagnostic, ...] = tuple(diagnostics)
        lines = [f"{summary}:" if self.diagnostics else summary]
        lines.extend(f"  {d}" for d in self.diagnostics)
        super().__init__("\n".join(lines))


class LoadError(OpengovError, ValueError):
    """A JSON or CSV document that does not describe a report.

    ``problems`` lists every problem, each naming its path (``$.table3.granted.total``) or
    its line and column.
    """

    def __init__(self, problems: Iterable[str]):
        self.problems: tuple[str, ...] = tuple(problems)
        if len(self.problems) == 1:
            message = f"invalid report data: {self.problems[0]}"
        else:
            message = "invalid report data:\n" + "\n".join(f"  {p}" for p in self.problems)
        super().__init__(message)


class MissingExtraError(OpengovError, ImportError):
    """Something needs an optional dependency that is not installed.

    ``extra`` is the extra to install (``pip install "opengov[extra]"``), ``package`` the
    missing package (also ``ImportError.name``), ``purpose`` what needed it.  Every
    optional import of opengov raises this (it is an ``ImportError`` too, so code that
    catches ``ImportError`` still does).
    """

    def __init__(self, extra: str, package: str, purpose: str):
        self.extra = extra
        self.package = package
        self.purpose = purpose
        super().__init__(
            f'{purpose} needs the optional extra "{extra}" ({package}): pip install "opengov[{extra}]"', name=package
        )

    def __reduce__(self) -> tuple[type[MissingExtraError], tuple[str, str, str]]:
        return (type(self), (self.extra, self.package, self.purpose))
