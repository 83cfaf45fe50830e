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
* **Last year's report**, when the caller passes it (``parse(..., previous=report)``): the
  table 2 stock identities across two years (:func:`opengov.layout.stock_identities` — 2021:
  现行有效件数 = last year's 现行有效件数 + 本年制发件数 − 本年废止件数; 2019: 对外公开总数量 = last
  year's + 本年新公开数量, 上一年项目数量 = last year's 上一年项目数量 + last year's 本年增/减)
  are used as identities (``certain=True``) for the glued rows they are about, only where they
  are known to hold: both reports are of the same format, the previous one is of the year
  before, of the same organ (when both name one), last year's figures are counts, and no stock
  identity of a row read as printed this year is broken.  Otherwise it is not used, and a
  ``previous-report`` note says why.

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
from opengov.layout import Format, Stock, cell_index, stock_identities

from .sink import Sink

__all__ = ["prose_hints", "previous_hints"]

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


def _label(fmt: Format, key: CellKey) -> str:
    return cell_index(fmt).cell(key).column_label


def _source(fmt: Format, stock: Stock, before: list[int]) -> str:
    """How a stock identity fixes this year's cells, in words: ``last year's 现行有效件数 (347)
    + 本年制发件数 − 本年废止件数``."""
    pairs = zip(stock.previous, before, strict=True)
    words = [f"last year's {_label(fmt, key)} ({value})" for (key, _), value in pairs]
    text = " + ".join(words)
    for key, coefficient in stock.terms:
        if key != stock.about:
            # about = Σ last year's − Σ coefficient · cell: a term −1 is added, +1 taken away
            text += f" {'+' if coefficient < 0 else '−'} {_label(fmt, key)}"
    return text


def _last(previous: Report, stock: Stock) -> list[CellValue | None]:
    return [previous.cell(*key) for key, _ in stock.previous]


def _counts(values: list[CellValue | None]) -> list[int] | None:
    """The values when every one is a count (an ``int``), else None."""
    found = [v for v in values if type(v) is int]
    return found if len(found) == len(values) else None


def previous_hints(
    fmt: Format,
    organ: str | None,
    year: int | None,
    previous: Report | None,
    cells: Mapping[CellKey, CellValue | None],
    glued: Iterable[tuple[str, str]],
    sink: Sink,
) -> list[Hint]:
    """Last year's stock as identities for this year's glued table 2 rows (see the module;
    the identities are :func:`opengov.layout.stock_identities`); ``glued`` are the
    ``(table, row)`` of the rows the recovery is given."""
    if previous is None:
        return []
    rows = {row for table, row in glued if table == "table2"}
    stocks = stock_identities(fmt)
    wanted = [s for s in stocks if any(key[1] in rows for key, _ in s.terms)]
    if not wanted:
        return []
    why = None
    if previous.format is not fmt:
        why = f"it is of the {previous.format} format, not of the {fmt} format"
    elif year is not None and previous.year != year - 1:
        why = f"it is of {previous.year}, not of the year before {year}"
    elif not _same_organ(organ, previous.organ):
        why = f"it is of {previous.organ!r}, not of {organ!r}"
    elif previous.table2 is None:
        why = "it has no table 2"
    else:
        for stock in stocks:
            if stock in wanted:
                continue
            known = _counts([cells.get(key) for key, _ in stock.terms] + _last(previous, stock))
            if known is not None:
                total = sum(c * v for (_, c), v in zip((*stock.terms, *stock.previous), known, strict=True))
                if total != 0:
                    label = _label(fmt, stock.about)
                    why = f"its {label} does not carry over to this year's row {stock.about[1]!r} as printed"
                    break
    if why is not None:
        sink.add(Severity.INFO, "previous-report", f"the previous report was not used to read table2: {why}")
        return []
    hints = []
    for stock in wanted:
        before = _counts(_last(previous, stock))
        if before is None:
            labels = " and ".join(_label(fmt, key) for key, _ in stock.previous)
            sink.add(
                Severity.INFO,
                "previous-report",
                f"the previous report was not used for table2 row {stock.about[1]!r}: its {labels} is not a count",
            )
            continue
        value = -sum(c * v for (_, c), v in zip(stock.previous, before, strict=True))
        hints.append(Hint(terms=stock.terms, value=value, source=_source(fmt, stock, before), certain=True))
    return hints
