"""Hypothesis strategies for reports (public API; needs ``pip install opengov[test]``).

* :func:`reports` — consistent reports of either format: every total is computed here, with
  this module's own arithmetic (never the library's), so checks and round trips can be
  tested against it.
* :func:`any_reports` — reports whose cells take every state (counts, negative counts,
  amounts, blanks, placeholders, optionally absent cells) and whose totals need not add up.
* :func:`broken_reports` — ``(report, mutation)`` pairs: a consistent report with exactly one
  integer cell changed by a non-zero amount, and the :class:`Mutation` that says which.

Use them in your own tests::

    from hypothesis import given
    from opengov.testing import reports

    @given(reports())
    def test_my_tool(report): ...
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs

from opengov._errors import MissingExtraError

try:
    from hypothesis import strategies as st
except ImportError as exc:  # pragma: no cover - exercised only without hypothesis
    raise MissingExtraError("test", "hypothesis", "opengov.testing") from exc

from opengov._model import (
    BLANK,
    TABLE3_TYPES,
    Amount,
    AppealOutcomes,
    Appeals,
    ApplicantCounts,
    CellValue,
    Placeholder,
    Report,
    tables_from_cells,
)
from opengov.layout import PLACEHOLDER_GLYPHS, CellKey, Format, Kind, cell_index, layout_for

__all__ = [
    "Mutation",
    "reports",
    "any_reports",
    "broken_reports",
    "cell_values",
    "formats",
    "prose",
    "PROSE_PHRASES",
    "ORGANS",
]

ORGANS: tuple[str, ...] = (
    "浙江乍浦经济开发区（嘉兴港区）",
    "淮安市人民政府",
    "平潭综合实验区",
    "沭阳县人民政府",
    "上海市人民政府办公厅",
    "某某市生态环境局",
    "某某县某某镇人民政府",
)
"""Organ names the strategies draw from."""

PROSE_PHRASES: tuple[str, ...] = (
    "认真贯彻落实政务公开工作部署",
    "进一步完善政府信息公开制度",
    "全年主动公开政府信息",
    "依法规范办理依申请公开",
    "持续加强政府网站建设",
    "强化监督保障",
    "存在的主要问题是公开质量有待提升",
    "下一步将加大培训力度",
    "本年度未收取信息处理费",
    "共收到申请",
    "条",
    "件",
    "，",
    "；",
    "“三安全一稳定”",
    "（含上年结转）",
)
"""Phrases prose paragraphs are made of (none starts like a heading or a table label)."""

_SMALL = st.integers(min_value=0, max_value=60)


@attrs.frozen(kw_only=True)
class Mutation:
    """One integer cell changed by a non-zero ``delta``: ``before`` → ``after``."""

    table: str
    row: str
    column: str
    before: int
    after: int

    @property
    def delta(self) -> int:
        """``after - before`` (never 0)."""
        return self.after - self.before

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.table, self.row, self.column)


def formats() -> st.SearchStrategy[Format]:
    """Either format."""
    return st.sampled_from([Format.V2019, Format.V2021])


@st.composite
def prose(draw: st.DrawFn, *, min_paragraphs: int = 0, max_paragraphs: int = 3) -> tuple[str, ...]:
    """Paragraphs of plausible prose, with numbers in them."""
    paragraphs = []
    for _ in range(draw(st.integers(min_paragraphs, max_paragraphs))):
        parts = draw(st.lists(st.sampled_from(PROSE_PHRASES[:9]), min_size=1, max_size=4))
        if draw(st.booleans()):
            parts.append(f"{draw(_SMALL)}{draw(st.sampled_from(['件', '条', '次']))}")
        paragraphs.append("".join(parts) + "。")
    return tuple(paragraphs)


@st.composite
def _amount(draw: st.DrawFn, units: tuple[str | None, ...]) -> Amount:
    """An amount with 0–6 decimal places (digits kept as drawn) and one of ``units``."""
    places = draw(st.integers(0, 6))
    digits = draw(st.integers(0, 10**9))
    return Amount(value=Decimal(digits).scaleb(-places), unit=draw(st.sampled_from(units)))


_PLACEHOLDERS = tuple(Placeholder(glyph=g) for g in PLACEHOLDER_GLYPHS)


@st.composite
def _any_cell(draw: st.DrawFn, kind: Kind, absent: bool) -> CellValue | None:
    # One cheap draw picks the state, a second draws its value: this keeps whole
    # reports fast to generate while still shrinking towards plain small integers.
    state = draw(st.integers(0, 9))
    if state == 6:
        return BLANK
    if state == 7:
        return draw(st.sampled_from(_PLACEHOLDERS))
    if state == 8 and absent:
        return None
    if kind is Kind.MONEY:
        return draw(_amount(("万元", "元", None)))
    if state == 9:
        # A stray amount in a count column must print differently from a count: it has
        # decimal places or a unit.
        amount = draw(_amount((None, "万元")))
        if amount.unit is None and amount.value.as_tuple().exponent == 0:
            amount = Amount(value=amount.value.scaleb(-1), unit=None)
        return amount
    low = -50 if kind is Kind.SIGNED else (-5 if state == 5 else 0)
    return draw(st.integers(low, 10**6 if state == 4 else 60))


def cell_values(kind: Kind = Kind.COUNT, *, absent: bool = False) -> st.SearchStrategy[CellValue | None]:
    """Any state a cell of this kind can hold as printed, consistent or not.

    Counts include negative integers and stray decimal amounts; money cells are amounts;
    every kind may be blank or a placeholder; ``absent=True`` adds ``None`` (absent cells).
    """
    return _any_cell(kind, absent)


# ---------------------------------------------------------------------------------------
# Consistent reports
# ---------------------------------------------------------------------------------------


def _row_with_total(parts: list[int]) -> ApplicantCounts:
    names = ApplicantCounts.PARTS
    total = 0
    for value in parts:
        total += value
    return ApplicantCounts(**dict(zip(names, parts, strict=True)), total=total)


@st.composite
def _table3(draw: st.DrawFn, fmt: Format) -> Any:
    t3 = layout_for(fmt).table3
    outcome_keys = t3.outcome_rows
    # Each column is independent: draw the outcomes, what is carried forward and what was
    # carried over, then 一 = （七） + 四 − 二 (drawn so that it cannot go negative).
    columns: dict[str, list[int]] = {
        key: [] for key in (*outcome_keys, "new_received", "carried_over", "total_handled", "carried_forward")
    }
    sparse = draw(st.booleans())
    for _ in ApplicantCounts.PARTS:
        handled = 0
        for key in outcome_keys:
            value = draw(st.integers(0, 3) if sparse else _SMALL)
            columns[key].append(value)
            handled += value
        forward = draw(st.integers(0, 20))
        carried_over = draw(st.integers(0, handled + forward))
        columns["total_handled"].append(handled)
        columns["carried_forward"].append(forward)
        columns["carried_over"].append(carried_over)
        columns["new_received"].append(handled + forward - carried_over)
    rows = {key: _row_with_total(values) for key, values in columns.items()}
    return TABLE3_TYPES[fmt](**rows)


def _block(parts: list[int]) -> AppealOutcomes:
    upheld, corrected, other, pending = parts
    return AppealOutcomes(
        upheld=upheld, corrected=corrected, other=other, pending=pending, total=upheld + corrected + other + pending
    )


@st.composite
def _table4(draw: st.DrawFn) -> Appeals:
    blocks = [_block(draw(st.lists(st.integers(0, 30), min_size=4, max_size=4))) for _ in range(3)]
    return Appeals(reconsideration=blocks[0], litigation_direct=blocks[1], litigation_after_reconsideration=blocks[2])


@st.composite
def _table2(draw: st.DrawFn, fmt: Format, cells: Any = None) -> Any:
    """Table 2 from the layout's cells; ``cells(kind)`` gives the strategy of one cell."""
    drawn: dict[CellKey, Any] = {}
    for spec in cell_index(fmt).table("table2"):
        if cells is not None:
            drawn[spec.key] = draw(cells(spec.kind))
        elif spec.kind is Kind.MONEY:
            drawn[spec.key] = draw(_amount(("万元", None) if fmt is Format.V2021 else ("元", "万元", None)))
        elif spec.kind is Kind.SIGNED:
            drawn[spec.key] = draw(st.integers(-50, 50))
        else:
            drawn[spec.key] = draw(st.integers(0, 10**6) if draw(st.booleans()) else _SMALL)
    return tables_from_cells(fmt, drawn, ("table2",))["table2"]


@st.composite
def _meta(draw: st.DrawFn, fmt: Format) -> dict[str, Any]:
    organ = draw(st.sampled_from(ORGANS))
    year = draw(st.integers(2019, 2020) if fmt is Format.V2019 else st.integers(2021, 2026))
    return {
        "format": fmt,
        "organ": organ,
        "year": year,
        "title": f"{organ}{year}年度政府信息公开工作年度报告",
        "preamble": draw(prose(max_paragraphs=1)),
        "overview": draw(prose(min_paragraphs=1)),
        "problems": draw(prose(min_paragraphs=1, max_paragraphs=2)),
        "other_matters": draw(prose(min_paragraphs=1, max_paragraphs=1)),
    }


@st.composite
def reports(draw: st.DrawFn, format: Format | str | None = None) -> Report:
    """Consistent reports: every identity of tables 3 and 4 holds, totals computed here."""
    fmt = Format(format) if format is not None else draw(formats())
    return Report(
        **draw(_meta(fmt)),
        table2=draw(_table2(fmt)),
        table3=draw(_table3(fmt)),
        table4=draw(_table4()),
    )


@st.composite
def any_reports(draw: st.DrawFn, format: Format | str | None = None, *, absent: bool = False) -> Report:
    """Reports whose cells take every state and whose totals need not add up.

    With ``absent=True`` cells may also be ``None`` (absent from the document) — a state
    JSON keeps but a printed table cannot show cell by cell.
    """
    fmt = Format(format) if format is not None else draw(formats())
    index = cell_index(fmt)
    drawn = {spec.key: draw(cell_values(absent=absent)) for spec in (*index.table("table3"), *index.table("table4"))}
    tables = tables_from_cells(fmt, drawn, ("table3", "table4"))
    table2 = draw(_table2(fmt, cells=lambda kind: cell_values(kind, absent=absent)))
    return Report(**draw(_meta(fmt)), table2=table2, table3=tables["table3"], table4=tables["table4"])


@st.composite
def broken_reports(draw: st.DrawFn, format: Format | str | None = None) -> tuple[Report, Mutation]:
    """A consistent report with one integer cell of table 3 or 4 changed, and the change.

    The new value stays non-negative, so the only things wrong are the identities that
    cell takes part in.
    """
    report = draw(reports(format))
    candidates = [c for c in report.cells() if c.table in ("table3", "table4") and isinstance(c.value, int)]
    cell = draw(st.sampled_from(candidates))
    before = cell.value
    assert isinstance(before, int)
    after = draw(st.integers(0, before + 40).filter(lambda v: v != before))
    mutation = Mutation(table=cell.table, row=cell.row, column=cell.column, before=before, after=after)
    return report.with_cell(cell.table, cell.row, cell.column, after), mutation
