"""Where the assembler's diagnostics go: one small collector passed to every step."""

from __future__ import annotations

from collections.abc import Iterable

from opengov._errors import Diagnostic, Location, Severity

__all__ = ["Sink"]


class Sink:
    """The diagnostics of one assembly, in the order they were reported.

    Made fresh for each document (:func:`opengov._assemble.assemble`) and passed to the
    steps that report; nothing is collected anywhere else.
    """

    __slots__ = ("diagnostics",)

    def __init__(self, diagnostics: Iterable[Diagnostic] = ()) -> None:
        self.diagnostics: list[Diagnostic] = list(diagnostics)

    def add(self, severity: Severity, code: str, message: str, location: Location | None = None) -> None:
        """Report one diagnostic (no location: an unknown one)."""
        self.diagnostics.append(
            Diagnostic(severity=severity, code=code, message=message, location=location or Location())
        )

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        """Report diagnostics made elsewhere (the recovery's), in their order."""
        self.diagnostics.extend(diagnostics)
