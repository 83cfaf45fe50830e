"""Patterns shared by the readers and the assembler, built once from the layout's vocabulary.

One place for what a page number looks like, so every reader and the assembler agree.
"""

from __future__ import annotations

import re

__all__ = ["PAGE_NUMBER", "is_page_number"]

PAGE_NUMBER = re.compile(
    r"\s*(?:[-－—–‒_]+\s*\d{1,4}\s*[-－—–‒_]+|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4})\s*"
)
"""A page-number line: ``- 4 -``, ``— 12 —``, ``第4页``, ``第4页，共12页``, ``4/12`` (whole line,
surrounding white space allowed)."""


def is_page_number(text: str) -> bool:
    """Whether a whole line is a page number (``- 4 -``, ``第4页``, ``4/12``)."""
    return PAGE_NUMBER.fullmatch(text) is not None
