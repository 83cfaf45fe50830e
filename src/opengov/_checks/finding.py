"""What a check reports: :class:`Finding`."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import attrs

from opengov._codec import cell_text
from opengov._errors import Location, Severity
from opengov._model import CellValue

__all__ = ["CellKey", "Finding", "new_finding"]

CellKey = tuple[str, str, str]
"""A cell's address ``(table, row, column)``, as in :attr:`opengov.TableCell.key`."""


def _frozen_mapping(value: Mapping[CellKey, Location] | None) -> Mapping[CellKey, Location]:
    return dict(value or {})


_QUIET = frozenset({"section", "paragraph", "span", "candidates"})
"""Fields :meth:`Finding.__repr__` leaves out while they hold their default."""


@attrs.frozen(repr=False, slots=False)
class Finding:
    """One thing a check found in a report.

    ``rule`` is the stable id of the rule (see :data:`opengov.RULES`), ``severity`` its
    severity, ``message_zh``/``message_en`` say what is wrong in Chinese and in English.

    The cell the finding is *about* is ``(table, row, column)`` with its Chinese labels
    ``row_label`` (with its group, e.g. ``（三）不予公开/1.属于国家秘密``) and ``column_label``.
    ``printed`` is that cell as printed (a cell state), ``expected`` the value the rule expects
    there and ``difference`` is **printed − expected** (so a total printed 3 too high has
    difference ``+3``).  ``cells`` lists every cell that took part (the one it is about
    first), ``blanks`` the cells the rule could not use (blank, placeholder, absent or not a
    number), ``previous_cells`` the cells of the previous year's report that took part.
    ``locations`` maps the cells of ``cells`` and ``blanks`` to where they were found in
    the source document, when the report came from a parser.

    ``identity`` names the arithmetic rule an ``undecided`` finding could not decide, and
    ``text`` is the prose a prose finding read its figure from: the whole sentence, found in
    prose section ``section`` (``overview``, ``other_matters``), paragraph ``paragraph``
    (from 1), at characters ``span`` (``start, end``) of that paragraph.

    ``candidates`` is set by a culprit finding that cannot name one cell: every cell that,
    changed alone, would satisfy every identity it is in, with the value it would need
    (the finding is then about no single cell).  A ``swapped-culprit`` finding is about one
    of two cells printed in each other's place: ``cells`` is that cell and the other one.
    """

    rule: str
    severity: Severity
    message_zh: str
    message_en: str
    table: str | None = None
    row: str | None = None
    row_label: str | None = None
    column: str | None = None
    column_label: str | None = None
    printed: CellValue | None = None
    expected: int | Decimal | None = None
    difference: int | Decimal | None = None
    cells: tuple[CellKey, ...] = ()
    blanks: tuple[CellKey, ...] = ()
    previous_cells: tuple[CellKey, ...] = ()
    identity: str | None = None
    text: str | None = None
    locations: Mapping[CellKey, Location] = attrs.field(factory=dict, converter=_frozen_mapping, eq=False)
    section: str | None = None
    paragraph: int | None = None
    span: tuple[int, int] | None = None
    candidates: tuple[tuple[CellKey, int], ...] = ()

    # ``slots=False``: attrs then sets a frozen instance's fields through its ``__dict__``
    # instead of one ``object.__setattr__`` call per field, which halves the cost of making a
    # finding (22 fields; a report with many blank cells makes hundreds per check).  Not
    # ``kw_only``: a class called with keywords costs ≈ 0.5 µs more than one called by
    # position (CPython makes a dict of the keywords), so the ``blank`` and ``undecided``
    # loops pass the fields by position and every other rule goes through
    # :func:`new_finding`.  Construct one with keywords.

    def __repr__(self) -> str:
        # attrs' repr, leaving out the fields added after 0.x while they hold their default,
        # so that findings which do not use them print as they always did
        parts = []
        for a in attrs.fields(type(self)):
            value = getattr(self, a.name)
            if a.name in _QUIET and value == a.default:
                continue
            parts.append(f"{a.name}={value!r}")
        return f"Finding({', '.join(parts)})"

    @property
    def key(self) -> CellKey | None:
        """The address of the cell the finding is about, or ``None`` (e.g. a missing section)."""
        if self.table is None or self.row is None or self.column is None:
            return None
        return (self.table, self.row, self.column)

    @property
    def location(self) -> Location | None:
        """Where the cell the finding is about was printed, when known."""
        key = self.key
        return self.locations.get(key) if key is not None else None

    def __str__(self) -> str:
        where = "/".join(part for part in (self.table, self.row, self.column) if part)
        if self.location is not None:
            at = f" (at {self.location})"
        elif self.section is not None and self.paragraph is not None:
            at = f" (at {self.section}, paragraph {self.paragraph})"
        else:
            at = ""
        printed = f" [printed {cell_text(self.printed)!r}]" if self.key is not None and self.printed is not None else ""
        return f"{self.severity}: {self.message_en}{printed}{at} [{self.rule}{': ' + where if where else ''}]"


def new_finding(
    *,
    rule: str,
    severity: Severity,
    message_zh: str,
    message_en: str,
    table: str | None = None,
    row: str | None = None,
    row_label: str | None = None,
    column: str | None = None,
    column_label: str | None = None,
    printed: CellValue | None = None,
    expected: int | Decimal | None = None,
    difference: int | Decimal | None = None,
    cells: tuple[CellKey, ...] = (),
    blanks: tuple[CellKey, ...] = (),
    previous_cells: tuple[CellKey, ...] = (),
    identity: str | None = None,
    text: str | None = None,
    locations: Mapping[CellKey, Location] | None = None,
    section: str | None = None,
    paragraph: int | None = None,
    span: tuple[int, int] | None = None,
    candidates: tuple[tuple[CellKey, int], ...] = (),
) -> Finding:
    """``Finding(**fields)``: the same finding, made by passing the fields to the class by
    position (in the order of ``attrs.fields(Finding)``), which saves ≈ 0.3 µs a finding (a
    class called with keywords makes a dict of them; this function, a plain one, does not),
    and a report with many blank cells makes hundreds per check.  Keyword-only, like the fields it stands for;
    ``tests/test_checks_fast_paths.py`` holds it to the class's fields and defaults."""
    return Finding(
        rule,
        severity,
        message_zh,
        message_en,
        table,
        row,
        row_label,
        column,
        column_label,
        printed,
        expected,
        difference,
        cells,
        blanks,
        previous_cells,
        identity,
        text,
        locations,
        section,
        paragraph,
        span,
        candidates,
    )
