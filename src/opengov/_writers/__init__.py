"""Writers: Report → Grids (:mod:`.layout_grid`) → text, Markdown, HTML (private modules).

Users call :func:`opengov.render`; these modules are not part of the public API.
"""
