"""Invariant checks (勾稽关系): :func:`check` returns :class:`Finding` objects.

Rules are data (:data:`RULES`): each has a stable id, a severity, titles in Chinese and
English, a one-line description and one small function.  See ``docs/checks.md``.
"""

from __future__ import annotations

from opengov._model import Report
from opengov._result import ParseResult

from ._context import BlankPolicy, Context, Facts
from .carry import carry_record
from .finding import CellKey, Finding
from .grammar import LEXICON as PROSE_LEXICON
from .registry import RULES, RULES_BY_ID, Rule, rule, rules

__all__ = ["check", "Finding", "Rule", "RULES", "rules", "rule", "CellKey", "PROSE_LEXICON"]


def check(
    report: Report | ParseResult,
    previous: Report | ParseResult | None = None,
    *,
    blanks: BlankPolicy = "undecided",
) -> list[Finding]:
    """Check a report's 勾稽关系 (invariants) and return every finding, in rule order.

    ``report`` is a :class:`opengov.Report` or an :class:`opengov._result.ParseResult` (whose
    cell locations then fill each finding's ``locations``); ``previous`` is last year's
    report (either kind), for the carry-over and stock rules.

    ``blanks="undecided"`` (the default): an identity that meets a blank, placeholder or
    absent cell decides nothing and says so in an ``undecided`` finding naming those cells.
    ``blanks="zero"`` reads blank, placeholder and absent cells as 0 in arithmetic.

    Never raises on odd data; raises ``TypeError`` when ``report`` is not a report and
    ``ValueError`` for an unknown ``blanks`` policy.
    """
    current = Facts.of(report)
    before = carry_record(previous).facts() if previous is not None else None
    ctx = Context(current, before, blanks=blanks, rules=RULES_BY_ID)
    findings: list[Finding] = []
    for r in RULES:
        findings.extend(r.function(ctx))
    return findings
