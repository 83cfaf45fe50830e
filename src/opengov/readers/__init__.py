"""Readers: each input form turns a source document into a :class:`opengov.grid.Document`.

Readers know Grids, not the model; only :mod:`opengov.assemble` turns a Document into a
Report.
"""
