"""Readers: source documents → :class:`opengov.grid.Document` (private modules)."""
