"""Damaged row labels (issue 17, "Template deviations"): typos, dropped characters and stray
spaces are matched by the row's ordinal inside its group, or left unresolved; a damaged label
is never taken for another row."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from budget import examples
from opengov._assemble import rows, table3, vocab
from opengov._assemble.sink import Sink
from opengov._grid import Grid
from opengov.layout import Format, layout_for

FORMATS = (Format.V2019, Format.V2021)


def _table(fmt: Format, damaged: str | None = None, label: str | None = None) -> list[list[str]]:
    """Table 3 of ``fmt`` as grid lines, each group's label in the first cell of its first
    numbered row, every row's 自然人 figure its position + 1 (so that a figure names its
    row), the row ``damaged`` printed with ``label``."""
    t3 = layout_for(fmt).table3
    lines: list[list[str]] = []
    seen: set[str] = set()
    for n, row in enumerate(t3.rows):
        printed = label if row.key == damaged and label is not None else row.label
        figures = [str(n + 1), "0", "0", "0", "0", "0", str(n + 1)]
        if row.block is not None and row.block not in seen:
            seen.add(row.block)
            lines.append([t3.block(row.block).label, printed, *figures])
        else:
            lines.append(["", printed, *figures])
    return lines


def _read(fmt: Format, lines: list[list[str]]) -> tuple[dict[str, int], Sink]:
    """The 自然人 figure of every row placed, and the diagnostics."""
    sink = Sink()
    reading = table3.read_table3(rows.rows_of(Grid.from_rows(lines)), vocab.vocab(fmt), sink)
    placed = {key: value for (_table, key, column), value in reading.cells.items() if column == "natural_person"}
    return placed, sink  # type: ignore[return-value]


def _own_or_none(fmt: Format, key: str, label: str) -> str:
    """Read the table with row ``key`` printed as ``label``; assert that every row placed
    holds its own figure (nothing taken for another row) and that the damaged row is placed
    or reported missing.  Returns ``"matched"``, ``"by-ordinal"`` or ``"unresolved"``."""
    order = {row.key: n + 1 for n, row in enumerate(layout_for(fmt).table3.rows)}
    placed, sink = _read(fmt, _table(fmt, key, label))
    for found, value in placed.items():
        assert value == order[found], (label, found, value)
    codes = [d.code for d in sink.diagnostics]
    assert set(placed) | {key} == set(order), (label, set(order) - set(placed))
    if key not in placed:
        assert "missing-row" in codes
        missing = [d.message for d in sink.diagnostics if d.code == "missing-row"]
        assert len(missing) == 1
        return "unresolved"
    return "by-ordinal" if "label-by-ordinal" in codes else "matched"


# -- the issue's examples ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "label"),
    [
        ("endangers_safety_stability", "3.危及三安全稳定"),
        ("not_held", "1.本机关不掌握相关信息"),
        ("internal_affairs", "5.属于三类内部 事务信息"),
        ("carried_over", "二、上年结转政府信息公开申请数"),
        ("confirmation", "5.要求行政机关确认或重新出具已获得信息"),
    ],
)
def test_issue_examples_are_matched_by_ordinal(key: str, label: str) -> None:
    found = _own_or_none(Format.V2021, key, label)
    assert found in {"by-ordinal", "matched"}
    if found == "by-ordinal":
        _placed, sink = _read(Format.V2021, _table(Format.V2021, key, label))
        (note,) = [d for d in sink.diagnostics if d.code == "label-by-ordinal"]
        assert note.severity.name == "INFO"
        assert repr(label) in note.message


@pytest.mark.parametrize(
    ("key", "label"),
    [
        ("endangers_safety_stability", "4.危及三安全稳定"),  # the ordinal of another row
        ("not_held", "1.本局不掌握"),  # too little of the label agrees
        ("not_held", "本机关不掌握相关信息"),  # no ordinal
        ("no_correction", "2.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申"),  # 2 is fee_unpaid
    ],
)
def test_disagreeing_labels_stay_unresolved(key: str, label: str) -> None:
    assert _own_or_none(Format.V2021, key, label) == "unresolved"


def test_a_numbered_row_under_another_group_stays_unresolved() -> None:
    """``1.本机关不掌握相关信息`` printed as the first row of （三）不予公开 (its own group
    label lost): ordinal 1 of （三） is 属于国家秘密, which the label does not name."""
    lines = _table(Format.V2021)
    lines = [line for line in lines if line[1] != "1.本机关不掌握相关政府信息"]
    at = next(n for n, line in enumerate(lines) if line[1] == "8.属于行政查询事项")
    lines.insert(at + 1, ["", "1.本机关不掌握相关信息", "13", "0", "0", "0", "0", "0", "13"])
    placed, sink = _read(Format.V2021, lines)
    assert "not_held" not in placed
    assert "label-by-ordinal" not in [d.code for d in sink.diagnostics]


# -- exhaustive: every row, every single-character damage, every ordinal -----------------------


def _ordinal_labels(fmt: Format) -> list[tuple[str, str]]:
    return [(row.key, row.label) for row in layout_for(fmt).table3.rows if vocab.ordinal(row.label)]


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_single_character_damage_is_own_row_or_none(fmt: Format) -> None:
    """Each character of each label deleted, replaced by 某, or followed by a space or by
    某: the row is found or left unresolved, never another row."""
    outcomes: dict[str, int] = {}
    for key, label in _ordinal_labels(fmt):
        for i in range(len(label)):
            for damaged in (label[:i] + label[i + 1 :], label[:i] + "某" + label[i + 1 :]):
                found = _own_or_none(fmt, key, damaged)
                outcomes[found] = outcomes.get(found, 0) + 1
            for extra in (" ", "某"):
                found = _own_or_none(fmt, key, label[: i + 1] + extra + label[i + 1 :])
                outcomes[found] = outcomes.get(found, 0) + 1
    assert outcomes["by-ordinal"] > outcomes.get("unresolved", 0)  # the mechanism does its work


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_ordinal_swapped_is_own_row_or_none(fmt: Format) -> None:
    """Each row's ordinal replaced by every other ordinal of its level (its text intact, or
    with one character dropped): own row or unresolved."""
    for key, label in _ordinal_labels(fmt):
        level, number = vocab.ordinal(label) or ("", 0)
        body = label[label.index("." if level == "sub" else "、" if level == "top" else "）") + 1 :]
        for other in range(1, 10):
            if other == number:
                continue
            prefix = (
                f"{other}."
                if level == "sub"
                else f"{'一二三四五六七八九'[other - 1]}、"
                if level == "top"
                else f"（{'一二三四五六七八九'[other - 1]}）"
            )
            _own_or_none(fmt, key, prefix + body)
            _own_or_none(fmt, key, prefix + body[:-1])


# -- the property --------------------------------------------------------------------------

_POOL = sorted({ch for fmt in FORMATS for row in layout_for(fmt).table3.rows for ch in row.label} | set("某甲乙 "))


@st.composite
def damaged_labels(draw: st.DrawFn) -> tuple[Format, str, str]:
    """A format, a table 3 row with an ordinal, and its label after 1–4 random edits
    (deleted, replaced or inserted characters, spaces among them)."""
    fmt = draw(st.sampled_from(FORMATS))
    key, label = draw(st.sampled_from(_ordinal_labels(fmt)))
    text = label
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(("delete", "replace", "insert")))
        at = draw(st.integers(0, max(len(text) - 1, 0)))
        ch = draw(st.sampled_from(_POOL))
        if op == "delete" and len(text) > 1:
            text = text[:at] + text[at + 1 :]
        elif op == "replace":
            text = text[:at] + ch + text[at + 1 :]
        else:
            text = text[:at] + ch + text[at:]
    return fmt, key, text


@settings(max_examples=examples(300), deadline=None)
@given(damaged_labels())
def test_damaged_label_is_own_row_or_unresolved(case: tuple[Format, str, str]) -> None:
    fmt, key, label = case
    _own_or_none(fmt, key, label)


def test_an_ordinal_of_another_kind_refuses_a_match_without_ordinals() -> None:
    """``（六）其他`` (a damaged group label) is not ``3.其他`` although both read 其他 without
    their ordinals; ``七、总计`` (a heading's ordinal of another style) still names （七）总计."""
    assert _own_or_none(Format.V2021, "other", "（六）其他") == "unresolved"
    assert _own_or_none(Format.V2021, "total_handled", "七、总计") == "matched"
