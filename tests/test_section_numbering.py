"""Section headings numbered otherwise than the format's ``一、`` … ``六、`` — ``第一部分``,
``一.``, ``1.``, ``（一）``, in brackets, or not numbered — still start their sections: the
prose of 一、五 and 六 was lost into the preamble or left unread, and the tables' sections
were not known."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import opengov
from budget import examples
from opengov import Report, layout
from opengov._assemble.meta import section_heading
from opengov.testing import any_reports
from printing import print_reference_layout

_CN = "一二三四五六"
NUMBERINGS: dict[str, Callable[[int, str], str]] = {
    "第一部分": lambda i, body: f"第{_CN[i]}部分 {body}",
    "（一）": lambda i, body: f"（{_CN[i]}）{body}",
    "一.": lambda i, body: f"{_CN[i]}.{body}",
    "一 ": lambda i, body: f"{_CN[i]} {body}",
    "1.": lambda i, body: f"{i + 1}.{body}",
    "1、": lambda i, body: f"{i + 1}、{body}",
    "【一、】": lambda i, body: f"【{_CN[i]}、{body}】",
    "none": lambda _i, body: body,
}


def _renumbered(text: str, numbering: Callable[[int, str], str]) -> str:
    lines = text.split("\n")
    for i, section in enumerate(layout.SECTIONS):
        index = lines.index(section.label)  # the heading, alone on its line
        lines[index] = numbering(i, section.label[len(section.number) :])
    return "\n".join(lines)


@pytest.mark.parametrize("name", sorted(NUMBERINGS))
def test_every_heading_numbered_otherwise_starts_its_section(name: str) -> None:
    for i, section in enumerate(layout.SECTIONS):
        heading = NUMBERINGS[name](i, section.label[len(section.number) :])
        assert section_heading(heading, i - 1) == (section.key, ""), heading


def test_a_heading_numbered_as_another_section_or_not_numbered_and_behind_is_none() -> None:
    assert section_heading("二.总体情况", -1) is None  # 总体情况 is section 一
    assert section_heading("第五部分 其他需要报告的事项", 4) is None  # that is 六
    assert section_heading("总体情况", 0) is None  # not numbered: only a later section
    assert section_heading("其他需要报告的事项", 4) == ("other_matters", "")
    assert section_heading("总体情况良好。", -1) is None  # prose, not a heading
    assert section_heading("一是总体情况", -1) is None


@settings(max_examples=examples(40))
@given(any_reports(), st.sampled_from(sorted(NUMBERINGS)))
def test_a_report_with_its_headings_numbered_otherwise_reads_as_it_is(report: Report, name: str) -> None:
    text = print_reference_layout(report)
    original = opengov.parse(text)
    renumbered = opengov.parse(_renumbered(text, NUMBERINGS[name]))
    assert renumbered.report == original.report
    assert [d.code for d in renumbered.diagnostics] == [d.code for d in original.diagnostics]
