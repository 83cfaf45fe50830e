"""Document → ParseResult: the steps of the assembly in order.

1. The title (organ and year) and the format (:mod:`.meta`).
2. The blocks in reading order: paragraphs go to the prose of their section (a heading
   starts a section; text between a section's tables is its next table's caption), grids
   to the table they hold labels of (:func:`classify`), else to their section's table.
3. Each table's grids read by its reader (:mod:`.table2`, :mod:`.table3`, :mod:`.table4`)
   into one cell map; then every row whose cell separators were lost is recovered in one
   call (:mod:`.recovery`), filling the same map.
4. Cells read by OCR held against the identities (:mod:`opengov._alternatives`), which may
   correct or refuse them in the same map.
5. The table records built once from the cell map (:func:`opengov._model.tables_from_cells`).
"""

from __future__ import annotations

import collections
import operator
import re

import attrs

from opengov import layout
from opengov._alternatives import readings_by_key, resolve
from opengov._assemble.hints import previous_hints, prose_hints
from opengov._assemble.meta import detect_format, find_title, section_heading
from opengov._assemble.reading import CellMap, TableReading
from opengov._assemble.recovery import GluedRow, recover_rows
from opengov._assemble.rows import rows_of
from opengov._assemble.sink import Sink
from opengov._assemble.table2 import read_table2
from opengov._assemble.table3 import read_table3
from opengov._assemble.table4 import read_table4
from opengov._assemble.vocab import Vocab, loose, short, table_title, vocab, vote
from opengov._codec import has_digit
from opengov._errors import Severity
from opengov._grid import Document, Grid, Paragraph
from opengov._model import BLANK, CellValue, Report, tables_from_cells, with_group_totals
from opengov._recover import Hint
from opengov._result import CellKey, ParseResult
from opengov.layout import Format

__all__ = ["assemble", "classify"]

_TABLE_SECTIONS = {s.key: s.table for s in layout.SECTIONS}
_PROSE_FIELDS = ("overview", "problems", "other_matters")
_TEXT = operator.attrgetter("text")


_CONTROL = re.compile(
    # one control character; after an ESC, the terminal escape sequence it starts whole (CSI,
    # or OSC up to its terminator), each part bounded.  The pattern starts with the class so
    # that the engine skips every other character in C (an alternation led by ESC made it try
    # a match at every character: 60 against 16 µs over a page's 5,000 characters of prose).
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
    "(?:(?<=\x1b)(?:\\[[0-?]{0,32}[ -/]{0,8}[@-~]|\\][^\x07\x1b]{0,256}(?:\x07|\x1b\\\\)))?"
)
"""C0 and C1 control characters but TAB, LF and CR, and the terminal escape sequences (CSI
``ESC [ … m``, OSC ``ESC ] … BEL``) they start: they print nothing (a bell, an escape that
recolours or clears the screen where the organ's name is shown) and are no data."""


def _without_control_characters(document: Document, sink: Sink) -> Document:
    """The document with control characters (:data:`_CONTROL`) removed from its paragraphs
    (title, organ, prose), reported in one ``control-characters`` info naming how many and
    where the first was; table cells keep theirs (a cell that holds one is reported as
    unreadable where it is read)."""
    blocks: list[Paragraph | Grid] | None = None
    removed = 0
    first = None
    for n, block in enumerate(document.blocks):
        if isinstance(block, Paragraph) and _CONTROL.search(block.text) is not None:
            if blocks is None:
                blocks = list(document.blocks)
                first = block.location
            text, count = _CONTROL.subn("", block.text)
            removed += count
            blocks[n] = attrs.evolve(block, text=text)
    if blocks is None:
        return document
    sink.add(
        Severity.INFO,
        "control-characters",
        f"{removed} control character(s) removed from the text (they print nothing: bells, terminal escapes …)",
        first,
    )
    return attrs.evolve(document, blocks=tuple(blocks))


def classify(voc: Vocab, texts: collections.Counter[str], by_section: str | None) -> str | None:
    """The table a grid holds: the one whose labels its texts (``texts``: each distinct
    text with how often it occurs) name most often; ``by_section`` (the table of the
    section the grid is in) when they name none, or when they name none of the section's
    table and every text naming another is a header word (``总计``, ``其他``: column labels
    that several tables print, a table 4 header broken over lines leaves only those)."""
    scores = {"table2": 0, "table3": 0, "table4": 0}
    beyond_header = {"table2": 0, "table3": 0, "table4": 0}  # votes of texts that are no header word
    for text, times in texts.items():
        tables = vote(voc, text)
        if not tables:
            continue
        header = loose(text) in voc.header_words
        for table in tables:
            scores[table] += times
            if not header:
                beyond_header[table] += times
    best = max(scores, key=lambda k: scores[k])
    if scores[best] == 0:
        return by_section
    if by_section is not None and scores[by_section] == 0 and beyond_header[best] == 0:
        return by_section
    return best


def assemble(document: Document, *, previous: Report | None = None) -> ParseResult:
    """Turn a read document into a report, with diagnostics and cell locations.

    ``previous`` is last year's report of the same organ, when the caller has it: its table 2
    stock may decide a glued table 2 row (:mod:`.hints`).

    Raises :class:`~opengov._errors.ParseError` when no report can be made at all (an
    older layout, or no label of either national format).
    """
    # What the reader itself noticed (encoding chosen, spans clipped …) comes first.
    sink = Sink(document.diagnostics)
    document = _without_control_characters(document, sink)
    blocks = document.blocks
    # each grid's texts counted once (in C): format detection and classification look at
    # each distinct text once
    texts = {n: collections.Counter(map(_TEXT, b.cells)) for n, b in enumerate(blocks) if isinstance(b, Grid)}
    title, organ, year, title_blocks = find_title(blocks, sink)
    fmt = detect_format(document, year, list(texts.values()), sink)
    voc = vocab(fmt)
    prose: dict[str, list[str]] = {"preamble": [], "overview": [], "problems": [], "other_matters": []}
    grids: dict[str, list[tuple[Grid, str]]] = {"table2": [], "table3": [], "table4": []}
    section: str | None = None
    order = [s.key for s in layout.SECTIONS]
    caption = ""
    for n, block in enumerate(blocks):
        if isinstance(block, Paragraph):
            if n in title_blocks:
                continue
            text = block.text.strip()
            if not text:
                continue
            if block.page_number:
                sink.add(Severity.INFO, "page-number", f"page-number line {text!r} skipped", block.location)
                continue
            found = section_heading(text, order.index(section) if section else -1)
            if found is not None:
                section, rest = found
                caption = ""
                if not rest:
                    continue
                text = rest
            if section is None:
                prose["preamble"].append(text)
            elif section in _PROSE_FIELDS:
                prose[section].append(text)
            else:
                caption = text
                if has_digit(text):
                    sink.add(
                        Severity.INFO,
                        "ignored-text",
                        f"text between the tables of section {section} is not read: {short(text)}" + _numbers_in(text),
                        block.location,
                    )
            continue
        table = classify(voc, texts[n], _TABLE_SECTIONS.get(section) if section else None)
        if table is None:
            figures = [c.text.strip() for c in block.cells if has_digit(c.text)]
            sink.add(
                Severity.WARNING if figures else Severity.INFO,
                "stray-table",
                "a table that is none of tables 2–4 was not read"
                + (f"; its numbers: {', '.join(figures[:20])}" if figures else ""),
                block.location,
            )
            continue
        grids[table].append((block, caption))
        caption = ""
    # a table's cells are soft when the document's are, unless each of its grids says its
    # cells were printed apart (a TAB layout)
    soft = {t: document.soft_cells and not all(g.hard_cells for g, _ in found) for t, found in grids.items()}
    # … and whole when each of its grids says every cell is one printed cell (nothing glued)
    whole = {t: bool(found) and all(g.whole_cells for g, _ in found) for t, found in grids.items()}
    cell_map = CellMap()
    readings: list[TableReading] = []
    if grids["table2"]:
        rows = [r for g, _ in grids["table2"] for r in rows_of(g)]
        readings.append(read_table2(rows, voc, sink, soft=soft["table2"], whole=whole["table2"], into=cell_map))
    if grids["table3"]:
        rows = [r for g, _ in grids["table3"] for r in rows_of(g)]
        readings.append(read_table3(rows, voc, sink, soft=soft["table3"], whole=whole["table3"], into=cell_map))
    if grids["table4"]:
        t4_grids = [(rows_of(g), c) for g, c in grids["table4"]]
        readings.append(read_table4(t4_grids, voc, sink, soft=soft["table4"], whole=whole["table4"], into=cell_map))
    for name in layout.TABLES:
        if not grids[name]:
            sink.add(Severity.ERROR, "missing-table", f"{name} ({table_title(name)}) was not found")
    glued = [row for reading in readings for row in reading.glued]
    _check_filled_in(cell_map.cells, grids, sink)
    if glued:
        paragraphs = [text for field in ("preamble", *_PROSE_FIELDS) for text in prose[field]]
        hints = prose_hints(fmt, paragraphs)
        hints += previous_hints(fmt, organ, year, previous, cell_map.cells, [(g.table, g.key) for g in glued], sink)
        _recover(voc, glued, cell_map, sink, hints)
    _resolve_readings(document, fmt, cell_map, sink)
    tables = tables_from_cells(fmt, cell_map.cells, [r.table for r in readings])
    report = Report(
        format=fmt,
        organ=organ,
        year=year,
        title=title,
        preamble=tuple(prose["preamble"]),
        overview=tuple(prose["overview"]),
        problems=tuple(prose["problems"]),
        other_matters=tuple(prose["other_matters"]),
        table2=tables.get("table2"),
        table3=tables.get("table3"),
        table4=tables.get("table4"),
    )
    report = with_group_totals(report, cell_map.cells)
    return ParseResult(
        report=report, diagnostics=tuple(sink.diagnostics), locations=cell_map.locations, form=document.form
    )


_NUMBER = re.compile(r"[0-9０-９][0-9０-９,，.．]*")
_MAX_LISTED = 50


def _numbers_in(text: str) -> str:
    """``; its numbers: …`` for a text that is not read (every number it holds, up to
    :data:`_MAX_LISTED` of them, and how many more): no number in a table region goes
    unreported."""
    numbers = _NUMBER.findall(text)
    shown = ", ".join(n.rstrip(",，.．") for n in numbers[:_MAX_LISTED])
    more = len(numbers) - _MAX_LISTED
    return f"; its numbers: {shown}" + (f" (and {more} more)" if more > 0 else "")


def _check_filled_in(
    cells: dict[CellKey, CellValue | None], grids: dict[str, list[tuple[Grid, str]]], sink: Sink
) -> None:
    """One warning when tables were found and every cell read from them is blank: an
    unfilled form such as the official template, not a report."""
    for v in cells.values():
        if v is not None and v is not BLANK and v != BLANK:
            return  # a filled-in cell (the usual case: found at once)
    values = [v for v in cells.values() if v is not None]
    if not values:
        return
    first = next((grid for found in grids.values() for grid, _ in found), None)
    sink.add(
        Severity.WARNING,
        "empty-tables",
        f"every one of the {len(values)} data cells of the tables is blank: "
        "an unfilled form (the official template?), not a filled-in report",
        first.location if first is not None else None,
    )


def _recover(voc: Vocab, glued: list[GluedRow], cell_map: CellMap, sink: Sink, hints: list[Hint]) -> None:
    """Recover every separator-lost row in one call (:mod:`.recovery`) and fill the cells
    read (a cell read as printed is kept); the table 3 rows read as printed constrain the
    identities."""
    cells = cell_map.cells
    glued_rows = {(g.table, g.key) for g in glued}
    known: dict[tuple[str, str], list[CellValue | None]] = {}
    for row, specs in voc.t3_cells.items():
        values = [cells.get(spec.key) for spec in specs]
        if ("table3", row) not in glued_rows and all(v is not None for v in values):
            known[("table3", row)] = values
    recovered, diagnostics = recover_rows(voc.format, glued, known, hints)
    cells, locations = cell_map.cells, cell_map.locations
    sink.extend(diagnostics)
    for key, (value, location) in recovered.items():
        if key in cells:
            continue
        cells[key] = value
        if location is not None:
            locations[key] = location


def _resolve_readings(document: Document, fmt: Format, cell_map: CellMap, sink: Sink) -> None:
    """Cells read by OCR carry the recogniser's readings: hold them against the identities
    once every cell is placed (:mod:`opengov._alternatives`); a refused cell is left
    absent, a recovered one takes the reading the identities single out."""
    readings = readings_by_key(document, cell_map.locations)
    if not readings:
        return
    resolution = resolve(fmt, cell_map.cells, readings, cell_map.locations)
    sink.extend(resolution.diagnostics)
    cell_map.cells.update(resolution.cells)
