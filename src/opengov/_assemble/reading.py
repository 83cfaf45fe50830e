"""What one table reader found, and the row logic the three table readers share.

A :class:`TableReading` is made by a table reader (:mod:`.table2`, :mod:`.table3`,
:mod:`.table4`) for the one table it reads: the cells it placed (first reading kept) with
their locations, the rows it could not read, and the rows whose cell separators were lost
(handed to the recovery once every table is read).  Diagnostics go to the :class:`Sink`.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Collection, Mapping, Sequence

from opengov._assemble.recovery import GluedRow
from opengov._assemble.rows import Row, digits
from opengov._assemble.sink import Sink
from opengov._assemble.vocab import LabelIndex, Vocab, is_subtotal, loose, short, table_title
from opengov._codec import has_digit, is_value_text, read_cell
from opengov._errors import Location, Severity
from opengov._grid import GridCell
from opengov._model import CellValue
from opengov._result import CellKey
from opengov.layout import CellSpec

__all__ = ["CellMap", "TableReading"]


class CellMap:
    """The cells read from a document: each cell's value (the first reading kept) and
    where it was printed.  Filled by the table readers, then by the recovery; the records
    are built from it once (:func:`opengov._model.tables_from_cells`)."""

    __slots__ = ("cells", "locations")

    def __init__(self) -> None:
        self.cells: dict[CellKey, CellValue | None] = {}
        self.locations: dict[CellKey, Location] = {}


class TableReading:
    """What one table reader found: the cells it placed (into a :class:`CellMap`, its own
    unless one is given), the rows it could not read and the rows whose separators were
    lost."""

    __slots__ = (
        "cells",
        "glued",
        "locations",
        "placed",
        "sink",
        "soft",
        "strays",
        "table",
        "title",
        "unreadable",
        "vocab",
        "whole",
    )

    def __init__(
        self, table: str, voc: Vocab, sink: Sink, *, soft: bool, whole: bool = False, into: CellMap | None = None
    ) -> None:
        self.table = table
        self.title = table_title(table)
        self.vocab = voc
        self.sink = sink
        self.soft = soft
        """Whether the document's cells were split at white space (text, PDF words): then
        several cells of a row may have lost the separators between them."""
        self.whole = whole
        """Whether every cell is one printed cell and empty ones may be missing
        (:attr:`opengov._grid.Grid.whole_cells`): then no row is handed to the recovery."""
        found = into if into is not None else CellMap()
        self.cells = found.cells
        """The cell map's values (every table's, when the map is shared)."""
        self.locations = found.locations
        self.placed: set[str] = set()
        """Keys of the rows (table 4: blocks) a cell was placed in."""
        self.unreadable: set[str] = set()
        """Keys of the rows (table 4: blocks) found but not read (no ``missing-row`` for them)."""
        self.glued: list[GluedRow] = []
        """Rows whose cell separators were lost, for the recovery."""
        self.strays: set[tuple[str, Location | None]] = set()
        """The stray numbers reported (text and place): a cell spanning rows is in each
        of their lines, and is reported once."""

    def place(self, spec: CellSpec, cell: GridCell) -> None:
        """Read a cell into ``spec``'s address (the first reading kept); a repair note
        becomes a diagnostic naming ``{table} {row label}/{column label}``."""
        reading = read_cell(cell.text, spec.kind)
        if reading.note is not None:
            severity, code, message = reading.note
            self.sink.add(
                severity, code, f"{self.table} {spec.row_label}/{spec.column_label}: {message}", cell.location
            )
        key = spec.key
        if key in self.cells:
            return
        self.placed.add(spec.row)
        self.cells[key] = reading.value
        if cell.location is not None:
            self.locations[key] = cell.location

    def take_values(self, row: Row, n: int, what: str, recover_as: str | None = None) -> list[GridCell] | None:
        """Exactly ``n`` value cells of a row, or None with a diagnostic.

        With ``recover_as`` (a row key of this table, a table 4 block or
        :data:`opengov._recover.TABLE4_FLAT`), fewer cells than ``n`` with figures (one
        cell, or several split at white space in text or PDF) are a row whose separators
        were lost: it is kept in :attr:`glued` (the recovery reports it) and None is
        returned.  So are ``n`` cells split at white space of which one holds digits and
        is no value (``35-15``: a glued run): which printed number is which cell is then
        not known (a number printed after the run would take a cell of its own).
        """
        # (empty cells before the figures are blank cells, not taken for a label's merged
        # cells: with a number too many in the row, that would shift every figure)
        values = list(row.values)
        if len(values) == n and not (self.soft and recover_as is not None and len(values) > 1 and _has_run(values)):
            return values
        loc = values[0].location if values else row.location
        # cells split at white space (text, PDF words) may have lost separators between them;
        # cells of a markup table (HTML, Markdown) are real cells, so only one run is cut.
        # A cell printed empty among several is a cell the reader saw apart from the others
        # (a ruled PDF table's box): such a row lost a column (a table clipped at the page's
        # edge), not separators, and joining its figures would shift them into wrong cells
        glued = 0 < len(values) <= n and (len(values) == 1 or (self.soft and all(c.text.strip() for c in values)))
        if recover_as is not None and glued and not self.whole and any(has_digit(c.text) for c in values):
            raw = " ".join(c.text.strip() for c in values if c.text.strip())
            if any(g.key == recover_as for g in self.glued):
                self.sink.add(Severity.WARNING, "duplicate-row", f"{what} printed twice; the first kept", loc)
            else:
                self.glued.append(GluedRow(table=self.table, key=recover_as, raw=raw, location=loc, what=what))
            return None
        shown = ", ".join(repr(c.text.strip()) for c in values)
        self.sink.add(
            Severity.ERROR,
            "unreadable-row" if len(values) < n else "wrong-cell-count",
            f"{what}: expected {n} cells, found {len(values)}" + (f" ({shown})" if values else ""),
            loc,
        )
        return None

    def match_row(self, row: Row, index: LabelIndex) -> str | None:
        """The key of the row the row's labels name (the last label part, then the last
        two joined …), or None; a label annotation in brackets is reported, and so is a
        number standing in a label part (:meth:`stray_labels`, :func:`digits_beyond`)."""
        comps = row.parts
        if not row.has_digits and all(loose(c) in self.vocab.header_words for c in comps):
            return None  # a header row such as 商业企业 … 其他 followed by an empty cell
        found = label_match(self.vocab, self.table, index, comps)
        if found is None:
            return None
        key, annotation, strays, beyond = found
        if annotation:
            self.sink.add(
                Severity.INFO,
                "label-annotation",
                f"{self.title}: label annotation {annotation} ignored (its digits are not data)",
                row.labels[-1].location if row.labels else row.location,
            )
        for part in strays:
            self._stray(part, row)
        if beyond:
            self._stray(comps[-1], row)
        return key

    def stray_labels(self, row: Row, *, used: int = 0, header: bool = False) -> list[str]:
        """``stray-number`` for each label part of the row (but the last ``used``, which
        named it) that holds a number standing apart from its words (``三、本年度办理结果
        4242``, a ``4242`` cell before a row label) or glued to a label of the format
        (``三、本年度办理结果4242``): a number printed where no cell takes it, reported,
        not placed (:func:`holds_stray_number`).  With ``header`` (a header or caption row,
        whose cells name columns), its value cells that hold digits too.  Returns the parts
        reported."""
        comps = row.parts
        reported = []
        for part in comps[: len(comps) - used]:
            if holds_stray_number(self.vocab, part):
                self._stray(part, row)
                reported.append(part)
        if header:
            for cell in row.values:
                if has_digit(cell.text):
                    self._stray(cell.text.strip(), row, cell.location)
        return reported

    def _stray(self, text: str, row: Row, location: Location | None = None) -> None:
        if location is None:
            location = next((c.location for c in row.labels if text in c.text), None) or row.location
        if (text, location) in self.strays:
            return
        self.strays.add((text, location))
        self.sink.add(
            Severity.WARNING,
            "stray-number",
            f"{self.title}: {', '.join(numbers_in(text))} in {short(text)} is in no cell of the table; not placed",
            location,
        )

    def other_row(self, row: Row) -> None:
        """A row that is not a data row: a header, a group label, a subtotal or unknown."""
        comps = row.parts
        found = digits(row)
        voc = self.vocab
        if not found:
            reported = self.stray_labels(row)
            unknown = [c for c in comps if loose(c) not in voc.header_words and not voc.knows(c) and c not in reported]
            if unknown and not row.header:
                self.sink.add(
                    Severity.WARNING, "unknown-label", f"{self.title}: unknown label {unknown[0]!r}", row.location
                )
            elif not comps and row.values and not row.header:
                self.sink.add(
                    Severity.INFO, "ignored-row", f"{self.title}: a row without numbers skipped", row.location
                )
            return
        label = "/".join(comps)
        if (comps and voc.t3_groups.match(comps[-1])) or any(is_subtotal(c) for c in comps):
            self.sink.add(
                Severity.INFO,
                "subtotal-row",
                f"{self.title}: subtotal row {label!r} read and not stored (its total is computed): "
                + ", ".join(found),
                row.location,
            )
            return
        self.sink.add(
            Severity.ERROR,
            "unknown-row",
            f"{self.title}: unknown row {label or '(no label)'!r}; its numbers not placed: " + ", ".join(found),
            row.location,
        )

    def missing_rows(self, rows: Mapping[str, tuple[CellSpec, ...]], what: str, found: Collection[str]) -> None:
        """``missing-row`` for every row (table 4: block) of the layout that is neither in
        ``found`` nor found unreadable, in layout order."""
        for key, specs in rows.items():
            if key not in found and key not in self.unreadable:
                self.sink.add(
                    Severity.ERROR,
                    "missing-row",
                    f"{self.table} {what} {specs[0].row_label!r} was not found; its cells are absent",
                    None,
                )


_LEADING_ORDINAL = re.compile(r"\s*[0-9０-９]{1,2}\s*[.．、]")
_NUMBER_TOKEN = re.compile(r"[+\-－＋]?[0-9０-９][0-9０-９,，.．]*(?:万元|元|件|个|项|次|条)?")
"""A number standing as a token of its own (with a unit at most)."""
_TRAILING_DIGITS = re.compile(r"[0-9０-９][0-9０-９,，.．]*$")
_LEADING_DIGITS = re.compile(r"[0-9０-９]+(?![0-9０-９.．、,，])")
"""Digits before a label, not an ordinal (``1.``)."""


@functools.lru_cache(maxsize=4096)
def digits_beyond(printed: str, label: str) -> bool:
    """Whether a printed row label holds digits its layout label does not (a leading
    ordinal ``1.`` aside): ``4242 1.属于国家秘密`` names the row ``1.属于国家秘密`` (white
    space and the ordinal are not compared), and its ``4242`` is in no cell."""
    if not has_digit(printed):
        return False
    return _digit_string(printed) != _digit_string(label)


@functools.lru_cache(maxsize=8192)
def label_match(
    voc: Vocab, table: str, index: LabelIndex, parts: tuple[str, ...]
) -> tuple[str, str | None, tuple[str, ...], bool] | None:
    """What a row's label ``parts`` name in ``index`` (a label index of ``voc`` for
    ``table``): the last part, then the last two joined … until one is a label; ``(key,
    annotation, the parts before the label that hold a stray number, whether the label part
    holds digits its layout label does not)``, or None.  Pure (a vocabulary and its indexes
    are made once per format); cached because rows' labels recur from report to report."""
    for k in range(1, len(parts) + 1):
        found = index.match(parts[-1] if k == 1 else "".join(parts[-k:]))
        if found is None:
            continue
        key, annotation = found
        strays = tuple([part for part in parts[: len(parts) - k] if holds_stray_number(voc, part)])
        cells = voc.t2_cells if table == "table2" else voc.t3_cells
        label = cells[key][0].row_label if key in cells else ""
        return key, annotation, strays, k == 1 and annotation is None and digits_beyond(parts[-1], label)
    return None


@functools.lru_cache(maxsize=8192)
def holds_stray_number(voc: Vocab, part: str) -> bool:
    """Whether a label part holds a number printed where no cell takes it: digits, in a
    part that is no label of the format (:func:`_names_label`), as a token of its own (a
    leading ordinal ``1.`` aside), before its words (not an ordinal), or after a label
    (digits after other words, ``数据1``, are a name's).  Pure; cached (label parts recur)."""
    return has_digit(part) and not _names_label(voc, part) and _holds_number(voc, part)


def _holds_number(voc: Vocab, part: str) -> bool:
    tokens = part.split()
    if tokens and _LEADING_ORDINAL.fullmatch(tokens[0]) and len(tokens) > 1:
        tokens = tokens[1:]
    if any(_NUMBER_TOKEN.fullmatch(t) for t in tokens):
        return True
    bare = part.strip()
    if _LEADING_DIGITS.match(bare):
        return True  # digits before the words (not an ordinal): 4242纠正
    found = _TRAILING_DIGITS.search(bare)
    if found is None:
        return False
    rest = bare[: found.start()]
    return bool(rest.strip()) and _names_label(voc, rest)


def _names_label(voc: Vocab, text: str) -> bool:
    """Whether ``text`` is a label or header word of the format as printed (a trailing
    annotation in brackets would hide digits: not taken)."""
    if loose(text) in voc.header_words:
        return True
    for index in (voc.t2_rows, voc.t2_captions, voc.t3_rows, voc.t3_groups, voc.t3_columns, voc.t4_blocks):
        found = index.match(text)
        if found is not None:
            return found[1] is None
    return False


def _digit_string(text: str) -> str:
    found = _LEADING_ORDINAL.match(text)
    rest = text[found.end() :] if found else text
    return "".join(ch for ch in unicodedata.normalize("NFKC", rest) if ch.isdigit())


_NUMBER_RUN = re.compile(r"[0-9０-９][0-9０-９,，.．]*")


def numbers_in(text: str) -> list[str]:
    """The numbers a text holds, as printed (the message names each, however long the text)."""
    return [n.rstrip(",，.．") for n in _NUMBER_RUN.findall(text)]


def _has_run(values: Sequence[GridCell]) -> bool:
    """Whether a cell of a row holds digits and reads as no value (a glued run)."""
    return any(has_digit(c.text) and not is_value_text(c.text) for c in values)
