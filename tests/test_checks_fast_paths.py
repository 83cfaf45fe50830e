"""The rules rewritten for speed give what their plain definitions give.

``blank`` and ``undecided`` build their :class:`~opengov.Finding` records directly, from
per-format message texts, each table read as numbers once per run and each unusable cell
named once; the plain definitions below are the rules as they were written before (every
finding made by :meth:`Context.finding`, every identity evaluated term by term with
:func:`as_int`).  On generated reports holding blanks, placeholders, absent cells, amounts
and negative figures, under both blank policies and with the cells located or not, both
must give the same findings in the same order: every field, the locations and the messages.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from pathlib import Path

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

import opengov
from budget import examples
from opengov._checks import RULES_BY_ID, cells, undecided
from opengov._checks._context import Context, Facts, as_int, signed
from opengov._checks.finding import Finding, new_finding
from opengov._codec import shown
from opengov._errors import Location
from opengov._model import BLANK, Blank, Placeholder, Report
from opengov.layout import Identity
from opengov.testing import any_reports


def plain_blank_cells(ctx: Context) -> Iterator[opengov.Finding]:
    for key, value in ctx.odd:
        if type(value) is int:
            continue
        if isinstance(value, Blank):
            what_zh, what_en = "为空白", "is blank"
        elif isinstance(value, Placeholder):
            what_zh, what_en = f"填写了占位符“{value.glyph}”", f"holds the placeholder {value.glyph!r}"
        else:
            continue
        name_zh, name_en = ctx.named(key)
        yield ctx.finding(
            "blank",
            f"{name_zh}{what_zh}，未填写数字。",
            f"{name_en} {what_en}, not a number.",
            key=key,
            printed=value,
            cells=(key,),
            blanks=(key,),
        )


def _plain_beyond(ctx: Context, identity: Identity) -> int | None:
    usable = 0
    sides = set()
    for key, coefficient in identity.terms:
        value = ctx.values.get(key)
        number = as_int(value, ctx.blanks)
        if number is not None:
            usable += coefficient * number
        elif value is None or isinstance(value, (Blank, Placeholder)):
            sides.add(coefficient > 0)
        else:
            return None
    if (sides == {False} and usable < 0) or (sides == {True} and usable > 0):
        return usable
    return None


def plain_undecided(ctx: Context) -> Iterator[opengov.Finding]:
    values, label = ctx.values, ctx.label
    for ev in ctx.table3_evaluations() + ctx.table4_evaluations():
        if ev.difference is not None:
            continue
        identity = ev.identity
        key = identity.about
        printed = [shown(values.get(k)) for k in ev.blanks]
        names = "、".join([f"“{label(k)}”（{p}）" for k, p in zip(ev.blanks, printed, strict=True)])
        names_en = ", ".join([f"{k[1]}/{k[2]} {p}" for k, p in zip(ev.blanks, printed, strict=True)])
        title = ctx.rules[identity.rule]
        beyond = _plain_beyond(ctx, identity)
        if beyond is not None:
            yield ctx.finding(
                identity.rule,
                f"“{title.title_zh}”不成立：已印出的数字相差{signed(beyond)}，{names}无论为何非负数都无法补足。",
                f"{identity.rule} ({title.title_en}) fails whatever {names_en} hold: the printed figures "
                f"already differ by {signed(beyond)} and a blank can only hold a figure of 0 or more.",
                key=key,
                printed=ctx.values.get(key),
                cells=identity.cells,
                blanks=ev.blanks,
                identity=identity.rule,
            )
            continue
        hint_zh = hint_en = ""
        if ev.expected is not None:
            hint_zh = f"若其余数字无误，“{ctx.label(key)}”应为{ev.expected}。"
            hint_en = f" If the other figures are right, {'/'.join(key[1:])} should be {ev.expected}."
        yield ctx.finding(
            "undecided",
            f"无法判断“{title.title_zh}”：{names}不是可用的数字。{hint_zh}",
            f"Cannot decide {identity.rule} ({title.title_en}): {names_en} cannot be used.{hint_en}",
            key=key,
            printed=ctx.values.get(key),
            expected=ev.expected,
            cells=identity.cells,
            blanks=ev.blanks,
            identity=identity.rule,
        )


def _same(fast: list[opengov.Finding], plain: list[opengov.Finding]) -> None:
    assert fast == plain
    assert [dict(f.locations) for f in fast] == [dict(f.locations) for f in plain]
    assert [list(f.locations) for f in fast] == [list(f.locations) for f in plain]  # same order
    assert [repr(f) for f in fast] == [repr(f) for f in plain]


@st.composite
def facts(draw: st.DrawFn) -> Facts:
    """The facts of a generated report with none, some or all of its cells located."""
    report: Report = draw(any_reports(absent=True))
    found = Facts.of(report)
    keys = sorted(found.values)
    how = draw(st.sampled_from(["none", "some", "all"]))
    if how == "all" or not keys:
        located = keys if how == "all" else []
    else:
        located = draw(st.lists(st.sampled_from(keys), unique=True, max_size=len(keys))) if how == "some" else []
    where = {key: Location(line=i + 1, column=3) for i, key in enumerate(located)}
    return attrs.evolve(found, locations=where)


@settings(max_examples=examples(300))
@given(facts(), st.sampled_from(["undecided", "zero"]))
def test_blank_and_undecided_give_what_their_plain_definitions_give(found: Facts, policy: str) -> None:
    fast = Context(found, blanks=policy, rules=RULES_BY_ID)  # type: ignore[arg-type]
    plain = Context(found, blanks=policy, rules=RULES_BY_ID)  # type: ignore[arg-type]
    _same(list(cells.blank_cells(fast)), list(plain_blank_cells(plain)))
    _same(list(undecided.undecided_identities(fast)), list(plain_undecided(plain)))


def test_the_plain_definitions_find_blanks_and_undecided_identities_in_a_parsed_report() -> None:
    # the comparison is not vacuous, and holds with a parser's locations: the reference text
    # with a blank row total and a blank table 4 part
    result = opengov.parse((Path(__file__).parent / "data" / "zhapu-2023.txt").read_bytes())
    assert result.locations
    report = result.report.with_cell("table3", "granted", "total", BLANK).with_cell(
        "table4", "reconsideration", "upheld", BLANK
    )
    found = attrs.evolve(Facts.of(report), locations=result.locations)
    blank = list(plain_blank_cells(Context(found, rules=RULES_BY_ID)))
    assert [f.key for f in blank] == [("table3", "granted", "total"), ("table4", "reconsideration", "upheld")]
    assert all(f.location is not None for f in blank)
    plain = list(plain_undecided(Context(found, rules=RULES_BY_ID)))
    assert {f.identity for f in plain} == {"t3-row-total", "t3-outcomes", "t4-block"}
    _same(list(cells.blank_cells(Context(found, rules=RULES_BY_ID))), blank)
    _same(list(undecided.undecided_identities(Context(found, rules=RULES_BY_ID))), plain)


# ``new_finding`` passes a finding's fields to the class by position (a class called with
# keywords costs more); it must stand for ``Finding(**fields)`` exactly.

_KEYS = st.tuples(st.sampled_from(["table3", "table4"]), st.text(max_size=3), st.text(max_size=3))
_TEXT = st.none() | st.text(max_size=5)
_FIELDS = {
    "table": _TEXT,
    "row": _TEXT,
    "row_label": _TEXT,
    "column": _TEXT,
    "column_label": _TEXT,
    "printed": st.none() | st.integers() | st.just(BLANK),
    "expected": st.none() | st.integers(),
    "difference": st.none() | st.integers(),
    "cells": st.lists(_KEYS, max_size=3).map(tuple),
    "blanks": st.lists(_KEYS, max_size=3).map(tuple),
    "previous_cells": st.lists(_KEYS, max_size=3).map(tuple),
    "identity": _TEXT,
    "text": _TEXT,
    "locations": st.dictionaries(_KEYS, st.builds(Location, line=st.integers(1, 9), column=st.integers(1, 9))),
    "section": _TEXT,
    "paragraph": st.none() | st.integers(1, 9),
    "span": st.none() | st.tuples(st.integers(0, 9), st.integers(0, 9)),
    "candidates": st.lists(st.tuples(_KEYS, st.integers()), max_size=2).map(tuple),
}


@st.composite
def finding_fields(draw: st.DrawFn) -> dict[str, object]:
    """A finding's required fields and any subset of the others."""
    fields: dict[str, object] = {
        "rule": draw(st.text(min_size=1, max_size=5)),
        "severity": draw(st.sampled_from(list(opengov.Severity))),
        "message_zh": draw(st.text(max_size=5)),
        "message_en": draw(st.text(max_size=5)),
    }
    for name in draw(st.lists(st.sampled_from(sorted(_FIELDS)), unique=True)):
        fields[name] = draw(_FIELDS[name])
    return fields


@given(finding_fields())
def test_new_finding_is_the_finding_made_with_keywords(fields: dict[str, object]) -> None:
    made = new_finding(**fields)  # type: ignore[arg-type]
    plain = Finding(**fields)  # type: ignore[arg-type]
    assert type(made) is Finding
    assert attrs.asdict(made, recurse=False) == attrs.asdict(plain, recurse=False)  # locations too
    assert made == plain
    assert repr(made) == repr(plain)


def test_new_finding_takes_the_fields_of_finding_in_their_order_with_their_defaults() -> None:
    parameters = list(inspect.signature(new_finding).parameters.values())
    fields = attrs.fields(Finding)
    assert [p.name for p in parameters] == [f.name for f in fields]
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters)
    for p, f in zip(parameters, fields, strict=True):
        if f.default is attrs.NOTHING:
            assert p.default is inspect.Parameter.empty, f.name
        elif isinstance(f.default, attrs.Factory):  # type: ignore[arg-type]
            assert p.default is None, f.name
            assert f.converter(None) == f.default.factory(), f.name  # type: ignore[misc]
        else:
            assert p.default == f.default, f.name
