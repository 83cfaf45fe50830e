"""The assembler's recovery step: rows whose cell separators were lost → cells and diagnostics.

The assembler collects every row of tables 2–4 whose value cells are fewer than the row's
columns and hold only figures (``801000081``, ``200 000121``); this module hands them all,
with the table 3 rows read normally as fixed rows, to :func:`opengov._recover.recover` in one
call (table 3's column identities are solved jointly), and turns each
:class:`~opengov._recover.RowRecovery` into cells and one diagnostic at the row's location:

* ``recovered-row`` — info (warning when the reading relied on printed spaces or on the only
  possible cut of a row whose total fails), with the cells read and how;
* ``ambiguous-row`` — error, the first few readings and their count; the cells stay absent;
* ``unreadable-row`` — error, why no reading fits; the cells stay absent;
* ``recovery-gave-up`` — error, the search budget ran out; the cells stay absent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs

from opengov._codec import cell_text
from opengov._errors import Diagnostic, Location, Severity
from opengov._model import CellValue
from opengov._recover import Hint, RowRecovery, recover
from opengov._result import CellKey
from opengov.layout import Format

__all__ = ["GluedRow", "recover_rows", "SHOWN_CANDIDATES"]

SHOWN_CANDIDATES = 3
"""How many readings an ``ambiguous-row`` diagnostic lists before saying how many more."""

SHOWN_RAW = 60
"""How many characters of a row's figures a diagnostic quotes."""


@attrs.frozen(kw_only=True)
class GluedRow:
    """A row whose separators were lost: where it goes, its raw figures, where it was printed.

    ``key`` is a table 2/3 row key, a table 4 block key or :data:`opengov._recover.TABLE4_FLAT`;
    ``what`` names the row in messages (``table3 row '（七）总计'``).
    """

    table: str
    key: str
    raw: str
    location: Location | None
    what: str


def _show(values: Sequence[CellValue]) -> str:
    return "/".join(cell_text(v) for v in values)


def _diagnostic(row: GluedRow, result: RowRecovery) -> Diagnostic:
    raw = row.raw if len(row.raw) <= SHOWN_RAW else row.raw[:SHOWN_RAW] + f"…({len(row.raw)} characters)"
    head = f"{row.what}: the cell separators of {raw!r} were lost"
    if result.status == "recovered":
        assert result.values is not None
        severity = Severity.WARNING if result.tentative else Severity.INFO
        code = "recovered-row"
        message = f"{head}; read as {_show(result.values)}: {result.reason}"
    elif result.status == "ambiguous":
        severity, code = Severity.ERROR, "ambiguous-row"
        count = len(result.candidates)
        how = result.reason.split(": ", 1)[0]  # "N readings satisfy <identities>"
        shown = "; ".join(_show(c) for c in result.candidates[:SHOWN_CANDIDATES])
        more = f" … and {count - SHOWN_CANDIDATES} more" if count > SHOWN_CANDIDATES else ""
        # what the hints said, after the readings (``…; 45/12/380 (3 readings agree with the
        # prose (…))``; a reading holds no " (")
        listed = result.reason.split(": ", 1)[-1]
        notes = listed[listed.index(" (") :] if " (" in listed else ""
        message = f"{head}; {how}: {shown}{more}{notes}; its cells are left absent"
    elif result.status == "gave-up":
        severity, code = Severity.ERROR, "recovery-gave-up"
        message = f"{head}; recovery {result.reason}; its cells are left absent"
    else:
        severity, code = Severity.ERROR, "unreadable-row"
        message = f"{head} and it cannot be cut into cells: {result.reason}; its cells are left absent"
    return Diagnostic(severity=severity, code=code, message=message, location=row.location or Location())


def recover_rows(
    fmt: Format,
    rows: Sequence[GluedRow],
    known: Mapping[tuple[str, str], Sequence[CellValue | None]],
    hints: Sequence[Hint] = (),
) -> tuple[dict[CellKey, tuple[CellValue, Location | None]], list[Diagnostic]]:
    """Recover ``rows`` in one call; ``known`` are the table 3 rows read as printed,
    ``hints`` what is known from elsewhere (:mod:`.hints`: the prose, last year's report).

    Returns the recovered cells (value and the location of the row's figures) and one
    diagnostic per row, in input order.  Rows must have distinct ``(table, key)``.
    """
    by_table: dict[str, list[tuple[str, str]]] = {}
    for row in rows:
        by_table.setdefault(row.table, []).append((row.key, row.raw))
    fixed: dict[tuple[str, str], tuple[int, ...]] = {}
    for address, values in known.items():
        ints = tuple(v for v in values if isinstance(v, int))
        if len(ints) == len(values):
            fixed[address] = ints
    results = {(r.table, r.key): r for r in recover(fmt, by_table, known=fixed, hints=hints)}
    cells: dict[CellKey, tuple[CellValue, Location | None]] = {}
    diagnostics: list[Diagnostic] = []
    for row in rows:
        result = results[(row.table, row.key)]
        diagnostics.append(_diagnostic(row, result))
        for row_key, column, value in result.cells(fmt):
            cells[(row.table, row_key, column)] = (value, row.location)
    return cells, diagnostics
