"""Document → Report: the only code that turns Grids and Paragraphs into a Report.

Driven by :mod:`opengov.layout`: sections are found by their headings, the format by the
layout's marker labels, tables by the labels their grids hold, rows by the text of their
label cells (the last matching component of the label path, so grids with real spans,
flat grids from text and Markdown path labels all work), columns by header labels when a
header names them all and by position otherwise.  Everything repaired, guessed or not
placed becomes a :class:`~opengov._errors.Diagnostic` with its location.

The rooms: :mod:`.orchestrate` (the steps in order), :mod:`.meta` (title, organ, format,
section headings), :mod:`.vocab` (a format's labels and label matching), :mod:`.rows` (a
grid's rows: labels, values, header), :mod:`.table2`, :mod:`.table3`, :mod:`.table4` (one
reader per table, each filling a :class:`~.reading.TableReading`), :mod:`.recovery` (rows
whose cell separators were lost → cells and diagnostics) and :mod:`.sink` (where
diagnostics go).  Nothing here keeps state between calls: what is cached is cached by
:mod:`functools` on pure functions (:func:`opengov._caches.clear` empties them).
"""

from __future__ import annotations

from opengov._assemble.orchestrate import assemble

__all__ = ["assemble"]
