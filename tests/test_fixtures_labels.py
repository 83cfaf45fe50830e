"""The template deviations of issue 17 on the project's own fixtures (tests/data/labels/):
each text and HTML fixture read to its expected figures, with the diagnostics it must give."""

from __future__ import annotations

from pathlib import Path

import pytest

import opengov
from expected_report import differences, load_expected
from opengov import Severity
from opengov._assemble import vocab
from opengov._assemble.table2 import contradicts
from opengov.layout import Format

DATA = Path(__file__).resolve().parent / "data" / "labels"
FORMS = ("txt", "html")


def _read(name: str, form: str) -> opengov.ParseResult:
    return opengov.read(str(DATA / f"{name}.{form}"))


def _codes(result: opengov.ParseResult, severity: Severity | None = None) -> list[str]:
    return [d.code for d in result.diagnostics if severity is None or d.severity is severity]


@pytest.mark.parametrize("form", FORMS)
def test_deviations_every_figure_found(form: str) -> None:
    """Typos and a dropped word (``3.危及三安全稳定``, ``1.本机关不掌握相关信息``), a stray space
    (``5.属于三类内部 事务信息``), ``1、`` numbering, （三）不予公开 printed twice and
    ``（四）无`` … ``法提供`` cut by a page break: every one of the 200 figures is read, the
    two damaged labels matched by their ordinal with an info each."""
    result = _read("deviations-2022", form)
    assert differences(result.report, load_expected(DATA / "deviations-2022.json"), organ=True) == []
    assert [d for d in result.diagnostics if d.severity is not Severity.INFO] == []
    notes = [d for d in result.diagnostics if d.code == "label-by-ordinal"]
    assert [n.message.split(" printed as ")[1].split(":")[0] for n in notes] == [
        "'3.危及三安全稳定'",
        "'1.本机关不掌握相关信息'",
    ]
    assert all(n.location.line is not None or n.location.cell is not None for n in notes)


@pytest.mark.parametrize("form", FORMS)
def test_group_printed_as_one_row_leaves_its_rows_unresolved(form: str) -> None:
    """A 2021 table 3 with the 2019 format's single （六）其他处理 row: its three numbered rows
    are absent (never zeros), named by one ``group-row-only`` error; the printed row is kept
    as the group's total (``other_processing``, see tests/test_group_totals.py); every other
    figure is read."""
    result = _read("group-row-2021", form)
    assert differences(result.report, load_expected(DATA / "group-row-2021.json"), organ=True) == []
    assert _codes(result, Severity.ERROR) == ["group-row-only"]
    (only,) = result.errors
    assert "（六）其他处理" in only.message
    assert "(3, 0, 0, 0, 0, 0, 3)" in only.message
    assert "'3.其他'" in only.message
    assert only.location != opengov.Location()
    table3 = result.report.table3
    assert isinstance(table3, opengov.Applications2021)
    assert table3.other.total is None
    assert table3.no_correction.natural_person is None


@pytest.mark.parametrize("form", FORMS)
def test_2019_table2_without_a_block_and_with_renamed_headers(form: str) -> None:
    """A 2019 table 2 without the 第二十条第（六）项 block (its two rows missing, nothing
    shifted) whose headers read 本年增/减量; the HTML page prints the （五） block's columns
    in another order, which the renamed header still names."""
    result = _read("table2-2019", form)
    assert differences(result.report, load_expected(DATA / "table2-2019.json"), organ=True) == []
    assert _codes(result, Severity.ERROR) == ["missing-row", "missing-row"]
    assert "'行政处罚'" in result.errors[0].message
    assert "'行政强制'" in result.errors[1].message


def test_a_header_that_contradicts_the_layout_leaves_the_row_unresolved() -> None:
    """A header naming a known column at another place and an unknown word elsewhere: the
    row is not read in layout order (which would put figures in the wrong columns)."""
    page = (DATA / "table2-2019.html").read_text(encoding="utf-8").replace("本年增/减量", "本年变化")
    result = opengov.parse(page)
    report = result.report
    for row in ("licensing", "other_services"):
        for column in ("previous_count", "change", "decisions"):
            assert report.cell("table2", row, column) is None
    assert _codes(result).count("table2-header-order") == 2
    assert report.cell("table2", "fees", "previous_count") == 2  # canonical order: read as before


def test_contradicts() -> None:
    voc = vocab.vocab(Format.V2019)
    assert contradicts(voc, "licensing", ["处理决定数量", "上一年项目数量", "本年变化"])
    assert not contradicts(voc, "licensing", ["上一年项目数量", "本年变化", "处理决定数量"])
    assert not contradicts(voc, "licensing", [])


def test_a_renamed_header_names_the_one_column_it_begins_with() -> None:
    voc = vocab.vocab(Format.V2019)
    assert vocab.column_positions(voc, "licensing", "本年增/减量") == (1,)
    assert vocab.column_positions(voc, "licensing", "上一年项目数量") == (0,)
    assert vocab.column_positions(voc, "licensing", "数量") == ()  # ends two labels, begins none
    assert vocab.column_positions(voc, "licensing", "本年") == (1,)
    assert vocab.column_positions(voc, "licensing", "本年变化") == ()


def test_group_words_name_their_group() -> None:
    voc = vocab.vocab(Format.V2021)
    assert vocab.group_word(voc, "（四）无") == "unable"
    assert vocab.group_word(voc, "法提供") == "unable"
    assert vocab.group_word(voc, "（三）不予公开") == "withheld"
    assert vocab.group_word(voc, "三、本年度办理结果") == "outcomes"
    assert vocab.group_word(voc, "处理") is None  # ends two group labels
    assert vocab.group_word(voc, "1.属于国家秘密") is None


def test_crawler_text_with_labels_broken_by_spaces_is_found() -> None:
    """tests/data/recover/oneline-spaced-2021.txt: ``二、上年结转政府信息公开 申请数量`` and
    ``法律服务 机构`` are found (they were "not found" while the text reader looked for
    labels as printed); only the glued 行政规范性文件 row no identity decides is left
    absent."""
    result = opengov.read(str(DATA.parent / "recover" / "oneline-spaced-2021.txt"))
    assert _codes(result, Severity.ERROR) == ["ambiguous-row"]
    assert "missing-row" not in _codes(result)
    table3 = result.report.table3
    assert table3 is not None
    assert table3.carried_over.natural_person == 1
    assert table3.new_received.legal_service == 1
    assert table3.granted.total == 21
