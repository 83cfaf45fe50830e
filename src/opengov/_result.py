"""What a reader returns: the report, what it noticed, and where each cell came from."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from opengov._errors import Diagnostic, Location, ParseError, Severity
from opengov._model import Report

__all__ = ["CellKey", "ParseResult"]

CellKey = tuple[str, str, str]
"""A cell's address ``(table, row, column)``, as in :attr:`opengov.TableCell.key`."""


@attrs.frozen(kw_only=True)
class ParseResult:
    """The result of :func:`opengov.parse`.

    ``report`` is the report as read; ``diagnostics`` lists everything the reader repaired,
    guessed or could not place, each with its location; ``locations`` maps each cell address
    ``(table, row, column)`` to where the cell was found in the source (checks use it to
    say where a wrong figure was printed).
    """

    report: Report
    diagnostics: tuple[Diagnostic, ...] = ()
    locations: Mapping[CellKey, Location] = attrs.field(factory=dict, eq=False)
    form: str = "text"
    """The input form that was read (``text``, ``markdown``, ``html`` …)."""

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        """The diagnostics of error severity."""
        return tuple(d for d in self.diagnostics if d.severity is Severity.ERROR)

    def raise_for_errors(self) -> ParseResult:
        """Raise :class:`ParseError` listing every diagnostic if any is an error; else self."""
        if self.errors:
            raise ParseError(self.diagnostics, "the document was read with errors")
        return self
