"""Readers: source documents → :class:`~opengov.grid.Document` (one module per input form)."""
