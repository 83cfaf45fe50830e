"""Input forms: each reader turns one form of source into a :class:`~opengov.grid.Document`.

A form is a name, a ``detect(text)`` that says whether a text is in that form, and a
``read(text)`` that returns the Document.  :func:`detect_form` tries the forms in
:data:`FORMS` order and the first that accepts wins; ``text`` accepts everything and comes
last.  Adding a form is one line in :data:`FORMS`.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

from opengov.grid import Document
from opengov.readers import markdown, text

__all__ = ["Form", "FORMS", "detect_form", "get_form", "form_names"]


@attrs.frozen(kw_only=True)
class Form:
    """One input form: ``name``, ``detect(text) -> bool`` and ``read(text) -> Document``."""

    name: str
    detect: Callable[[str], bool]
    read: Callable[[str], Document]


FORMS: list[Form] = [
    # "boxtext" (readers/boxtext.py) goes here, before "text".
    Form(name="markdown", detect=markdown.detect, read=markdown.read),
    Form(name="text", detect=text.detect, read=text.read),
]
"""The registered forms, in detection order (the first whose ``detect`` accepts wins)."""


def form_names() -> tuple[str, ...]:
    """The names of the registered forms."""
    return tuple(form.name for form in FORMS)


def get_form(name: str) -> Form:
    """The form called ``name`` (``KeyError`` naming the known forms otherwise)."""
    for form in FORMS:
        if form.name == name:
            return form
    raise KeyError(f"unknown input form {name!r}; known forms: {', '.join(form_names())}")


def detect_form(source: str) -> Form:
    """The first registered form whose ``detect`` accepts the text."""
    for form in FORMS:
        if form.detect(source):
            return form
    return FORMS[-1]
