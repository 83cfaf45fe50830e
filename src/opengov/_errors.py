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
from collections.abc import Iterable

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
