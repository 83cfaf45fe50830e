"""What is known about table 2's glued rows from outside the tables: recovery hints.

Table 2 has no identity inside one report, so a glued row such as
``行政规范性文件4512380`` (本年制发 / 本年废止 / 现行有效 printed without separators) often has
several readings.  Two sources may decide it (:class:`opengov._recover.Hint`):

* **The report's own prose** (2021 format): a sentence stating the stock,
  ``现行有效规范性文件380件`` / ``现行有效规章2件``, is *evidence* (``certain=False``): it only
  breaks a tie the identities and the printed spaces leave, and a reading it decides is
  reported as tentative (a ``recovered-row`` warning naming the sentence).  A figure the
  prose states twice differently is not used; one that agrees with no reading is not used
  (the reason says so) — the prose of real reports sometimes contradicts their table.
* **Last year's report**, when the caller passes it (``parse(..., previous=report)``): 现行有效
  this year = last year's 现行有效 + 本年制发 − 本年废止 is used as an identity
  (``certain=True``) for each row of the 2021 block 第二十条第（一）项, only where it is known to
  hold: both reports are of the 2021 format, the previous one is of the year before, of the
  same organ (when both name one), last year's 现行有效 is a count, and no row of the block
  read as printed this year breaks it.  Otherwise it is not used, and a ``previous-report``
  note says why.

A hint applies only to a row the recovery is given (a glued row); rows read as printed are
never changed by a hint.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from opengov._errors import Severity
from opengov._model import CellValue, Report
from opengov._recover import Hint
from opengov._result import CellKey
from opengov.layout import Format

from .sink import Sink

__all__ = ["prose_hints", "previous_hints", "STOCK_ROWS"]

STOCK_ROWS = ("rules", "normative_documents")
"""The 2021 table 2 rows whose 现行有效 carries over from year to year."""

_N = r"\s*(\d+)\s*件"
_PROSE = {
    "normative_documents": re.compile(r"现行有效(?:的)?(?:行政)?规范性文件(?:共|总数为?|为)?" + _N),
    "rules": re.compile(r"现行有效(?:的)?(?:政府)?规章(?:共|总数为?|为)?" + _N),
}
"""What a sentence stating a row's 现行有效 looks like (2021 format)."""
_SPACES = re.compile(r"\s+")


def prose_hints(fmt: Format, paragraphs: Iterable[str]) -> list[Hint]:
    """Evidence from the prose: the 现行有效 figure of each stock row it states once (or
    several times alike)."""
    if fmt is not Format.V2021:
        return []
    text = "\n".join(paragraphs)
    hints = []
    for row, pattern in _PROSE.items():
        found = {m.group(1): m.group(0) for m in pattern.finditer(text)}
        if len(found) != 1:
            continue  # not stated, or stated differently in two places
        ((figure, sentence),) = found.items()
        sentence = _SPACES.sub("", sentence)
        hints.append(Hint.figure(("table2", row, "in_force"), int(figure), f"the prose ({sentence})"))
    return hints


def _same_organ(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return True
    return _SPACES.sub("", a) == _SPACES.sub("", b)


def previous_hints(
    fmt: Format,
    organ: str | None,
    year: int | None,
    previous: Report | None,
    cells: Mapping[CellKey, CellValue | None],
    glued: Iterable[tuple[str, str]],
    sink: Sink,
) -> list[Hint]:
    """Last year's stock as identities for this year's glued stock rows (see the module);
    ``glued`` are the ``(table, row)`` of the rows the recovery is given."""
    if previous is None:
        return []
    rows = [row for table, row in glued if table == "table2" and row in STOCK_ROWS]
    if not rows:
        return []
    why = None
    if fmt is not Format.V2021 or previous.format is not Format.V2021:
        why = "the 现行有效 identity is of the 2021 format"
    elif year is not None and previous.year != year - 1:
        why = f"it is of {previous.year}, not of the year before {year}"
    elif not _same_organ(organ, previous.organ):
        why = f"it is of {previous.organ!r}, not of {organ!r}"
    else:
        for row in STOCK_ROWS:
            if row in rows:
                continue
            before, issued, repealed, now = (
                previous.cell("table2", row, "in_force"),
                *(cells.get(("table2", row, c)) for c in ("issued", "repealed", "in_force")),
            )
            values = (before, issued, repealed, now)
            if all(isinstance(v, int) for v in values) and before + issued - repealed != now:  # type: ignore[operator]
                why = f"its 现行有效 does not carry over to this year's row {row!r} as printed"
    if why is not None:
        sink.add(Severity.INFO, "previous-report", f"the previous report was not used to read table2: {why}")
        return []
    hints = []
    for row in rows:
        before = previous.cell("table2", row, "in_force")
        if not isinstance(before, int):
            sink.add(
                Severity.INFO,
                "previous-report",
                f"the previous report was not used for table2 row {row!r}: its 现行有效 is not a count",
            )
            continue
        source = f"last year's 现行有效 ({before}) + 本年制发 − 本年废止"
        terms = ((("table2", row, "in_force"), 1), (("table2", row, "issued"), -1), (("table2", row, "repealed"), 1))
        hints.append(Hint(terms=terms, value=before, source=source, certain=True))
    return hints
