"""The assembler's parts, each alone: vocabulary, rows, meta, the three table readers,
classification, the sink, and that the package keeps no state between documents."""

from __future__ import annotations

import copy
import re
import sys
import types
from collections import Counter
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import opengov
from opengov import Amount, ParseError, Severity, _caches, layout
from opengov._assemble import meta, rows, table2, table3, table4, vocab
from opengov._assemble.orchestrate import assemble, classify
from opengov._assemble.reading import CellMap, TableReading
from opengov._assemble.sink import Sink
from opengov._errors import Location
from opengov._grid import Document, Grid, GridCell, Paragraph
from opengov._recover import TABLE4_FLAT
from opengov.layout import Format
from opengov.testing import any_reports

V2021 = vocab.vocab(Format.V2021)
V2019 = vocab.vocab(Format.V2019)
T3_COLUMNS = ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total")


def _rows(*lines: list[str], header_rows: int = 0) -> list[rows.Row]:
    return rows.rows_of(Grid.from_rows(lines, header_rows=header_rows))


def _codes(sink: Sink) -> list[str]:
    return [d.code for d in sink.diagnostics]


# -- sink -----------------------------------------------------------------------------------


def test_sink_keeps_the_readers_diagnostics_first_and_the_order_reported() -> None:
    first = Sink()
    first.add(Severity.INFO, "a", "from the reader")
    sink = Sink(first.diagnostics)
    sink.add(Severity.WARNING, "b", "second", Location(line=3))
    sink.extend(first.diagnostics)
    assert [d.code for d in sink.diagnostics] == ["a", "b", "a"]
    assert sink.diagnostics[0].location == Location()  # no location: an unknown one
    assert sink.diagnostics[1].location.line == 3


# -- vocabulary -----------------------------------------------------------------------------


_LABEL_CHARS = st.sampled_from(
    [
        *"（）()：:，,；;、．.“”‘’＂＇\"' \u3000\t\n_-—一二三十予以公开其他1１２3０申请人总计",
        *("\u0301", "\u00b4", "\u2460", "\ufb01", "\u0660", "\u2028", "\u00a0"),
    ]
)


@given(st.one_of(st.text(_LABEL_CHARS, max_size=12), st.text(max_size=12)))
def test_loose_is_the_word_characters_of_the_normalised_label(text: str) -> None:
    """The fast ``loose`` (word characters of the NFKC form) equals its definition over
    ``normalize_label``."""
    assert vocab.loose.__wrapped__(text) == re.sub(r"[\W_]+", "", layout.normalize_label(text))
    assert vocab.loose_normalized.__wrapped__(text) == vocab.loose.__wrapped__(text)


def test_loose_ignores_punctuation_space_and_width() -> None:
    assert vocab.loose("（一） 予以公开") == vocab.loose("(一)予以公开") == "一予以公开"
    assert vocab.loose("１、规章") == "1规章"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("（一）予以公开", ("granted", None)),
        ("予以公开", ("granted", None)),  # without the ordinal: one key only
        ("(一) 予以公开", ("granted", None)),
        ("（一）予以公开（件）", ("granted", "（件）")),  # a trailing annotation, reported
        ("予以", None),
        ("", None),
    ],
)
def test_label_index_matches_exact_then_without_ordinal_then_without_annotation(
    text: str, expected: tuple[str, str | None] | None
) -> None:
    assert V2021.t3_rows.match(text) == expected


@pytest.mark.parametrize("fmt", list(Format))
def test_labels_as_printed_match_as_the_normalised_path_matches_them(fmt: Format) -> None:
    voc = vocab.vocab(fmt)
    for index in (voc.t2_rows, voc.t2_captions, voc.t3_rows, voc.t3_groups, voc.t3_columns, voc.t4_blocks):
        assert index.printed
        for label, found in index.printed.items():
            assert found is not None
            assert found == vocab._normalised_match(index, label) == index.match(label)
            assert index.match(f" {label} ") == found  # printed otherwise: the normalised path


def test_a_label_without_its_ordinal_that_names_two_rows_matches_neither() -> None:
    index = vocab.LabelIndex.of([("（一）其他", "a"), ("（二）其他", "b")])
    assert index.match("（一）其他") == ("a", None)
    assert index.match("其他") is None


def test_votes_name_the_tables_a_text_labels() -> None:
    assert vocab.vote(V2021, "行政许可") == ("table2",)
    assert vocab.vote(V2021, "（一）予以公开") == ("table3",)
    assert vocab.vote(V2021, "行政复议") == ("table4",)
    assert vocab.vote(V2021, "结果维持") == ("table4",)
    assert vocab.vote(V2021, "1234") == ()
    assert vocab.vote(V2021, " ") == ()
    assert vocab.vote(V2021, "—") == ()  # a placeholder is a value


def test_block_hint_takes_the_longest_block_label_in_the_text() -> None:
    assert vocab.block_hint(V2021, "行政诉讼：复议后起诉") == "litigation_after_reconsideration"
    assert vocab.block_hint(V2021, "行政复议") == "reconsideration"
    assert vocab.block_hint(V2021, "——") is None


def test_header_order_follows_a_header_that_names_each_column_once() -> None:
    cells = V2021.t2_cells["rules"]
    assert [c.column for c in cells] == ["issued", "repealed", "in_force"]
    order = vocab.header_order(V2021, "rules", ["现行有效件数", "本年制发件数", "本年废止件数"])
    assert order is not None
    assert [c.column for c in order] == ["in_force", "issued", "repealed"]
    assert vocab.header_order(V2021, "rules", ["本年制发件数", "本年制发件数", "本年废止件数"]) is None
    assert vocab.header_order(V2021, "rules", ["本年制发件数", "本年废止件数"]) is None
    assert vocab.header_order(V2021, "rules", ["甲", "乙", "丙"]) is None


def test_the_vocabulary_reads_its_rows_from_the_layouts_cell_index() -> None:
    index = layout.cell_index(Format.V2021)
    assert dict(index.rows("table3")) == dict(V2021.t3_cells)
    assert [s.key for specs in V2021.t2_cells.values() for s in specs] == [s.key for s in index.table("table2")]
    assert vocab.header_words(Format.V2021) <= vocab.all_header_words()
    assert vocab.loose("申请人情况") in V2021.header_words


# -- rows -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        *[("12", True), ("", True), ("—", True), ("1,234", True), ("2648-18538", True), ("22 738x", True)],
        *[("自然人", False), ("共3件", False), ("行政许可2629", False)],
    ],
)
def test_value_side(text: str, expected: bool) -> None:
    assert rows.value_side(text) is expected


def test_rows_split_labels_from_trailing_values() -> None:
    (row,) = _rows(["", "（三）不予公开/1.属于国家秘密", "0", "1", " ", "—"])
    assert [c.text for c in row.labels] == ["（三）不予公开/1.属于国家秘密"]
    assert [c.text for c in row.values] == ["0", "1", " ", "—"]
    assert row.parts == ("（三）不予公开", "1.属于国家秘密")
    assert row.has_digits is True
    assert row.header is False
    assert rows.digits(row) == ("0", "1")


def test_a_value_between_labels_is_a_label_and_a_header_word_with_a_slash_stays_whole() -> None:
    (row,) = _rows(["行政许可", "3", "本年增/减", "5"])
    assert [c.text for c in row.labels] == ["行政许可", "3", "本年增/减"]
    assert row.parts == ("行政许可", "3", "本年增/减")
    assert rows.label_parts("本年增/减") == ("本年增/减",)


def test_rows_without_values_and_header_rows() -> None:
    header, data = _rows(["信息内容", "本年制发件数"], ["规章", "1"], header_rows=1)
    assert header.header is True
    assert header.has_digits is False
    assert header.values == ()
    assert data.header is False
    (empty,) = _rows(["", " "])
    assert empty.labels == ()
    assert empty.parts == ()
    assert empty.has_digits is False


@given(st.lists(st.text(alphabet="0123456789自然人—/ ", max_size=5), min_size=1, max_size=6))
def test_a_rows_values_are_the_longest_value_side_tail(texts: list[str]) -> None:
    (row,) = _rows(texts)
    n = len(row.values)
    assert all(rows.value_side(t) for t in texts[len(texts) - n :])
    assert n == len(texts) or not rows.value_side(texts[len(texts) - n - 1])
    assert row.has_digits == any(ch.isdigit() for t in texts[len(texts) - n :] for ch in t)
    assert row == rows.Row(*row)  # built without Row.__new__: the same record


# -- meta -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("某某市某某局2023年度政府信息公开工作年度报告", ("某某市某某局", 2023)),
        ("2022年某某县人民政府政府信息公开工作年度报告", ("某某县人民政府", 2022)),
        ("某某区教育局政府信息公开工作年度报告（2021年度）", ("某某区教育局", 2021)),
        ("2023 年 度 政 府 信 息 公 开 工 作 年 度 报 告", ("", 2023)),
        ("某某市某某局二〇二三年度政府信息公开工作年度报告", ("某某市某某局", 2023)),
        ("二○二二年某某县人民政府政府信息公开工作年度报告", ("某某县人民政府", 2022)),
        ("某某区教育局政府信息公开工作年度报告（二零二一年度）", ("某某区教育局", 2021)),
        ("某某市某某局２０２４年度政府信息公开工作年度报告", ("某某市某某局", 2024)),
        ("某某市人民政府关于2023年度政府信息公开工作年度报告", ("某某市人民政府", 2023)),
        ("关于某某市人民政府2023年度政府信息公开工作年度报告", ("某某市人民政府", 2023)),
        ("某某市一九九八年度政府信息公开工作年度报告", ("某某市", 1998)),
        ("某某市二〇二三政府信息公开工作年度报告", None),  # no 年: no year
        ("一、总体情况", None),
    ],
)
def test_read_title(text: str, expected: tuple[str, int] | None) -> None:
    assert meta.read_title(text) == expected


def test_section_headings() -> None:
    assert meta.section_heading("一、总体情况", -1) == ("overview", "")
    assert meta.section_heading("二、主动公开政府信息情况（见下表）", 0) == ("proactive", "（见下表）")
    assert meta.section_heading("五、存在的主要问题和改进情况", 3) == ("problems", "")  # worded differently
    assert meta.section_heading("五、存在的主要问题和改进情况", 4) is None  # not a later section
    assert meta.section_heading("本年度共收到申请36件。", 0) is None


def test_find_title_takes_the_organ_from_the_signature_when_the_title_names_none() -> None:
    blocks = (
        Paragraph(text="2023年度政府信息公开工作年度报告"),
        Paragraph(text="一、总体情况"),
        Paragraph(text="本年度……"),
        Paragraph(text="某某市某某局", location=Location(line=9)),
        Paragraph(text="2024年1月20日"),
    )
    sink = Sink()
    title, organ, year, used = meta.find_title(blocks, sink)
    assert (title, organ, year, used) == ("2023年度政府信息公开工作年度报告", "某某市某某局", 2023, frozenset({0}))
    assert _codes(sink) == ["organ-from-text"]
    assert sink.diagnostics[0].location.line == 9


def test_find_title_takes_the_organ_from_the_line_under_a_title_that_names_none() -> None:
    blocks = (
        Paragraph(text="2023年度政府信息公开工作年度报告"),
        Paragraph(text="发布机构：某某市某某局"),
        Paragraph(text="一、总体情况"),
    )
    sink = Sink()
    title, organ, year, used = meta.find_title(blocks, sink)
    assert (title, organ, year, used) == ("2023年度政府信息公开工作年度报告", "某某市某某局", 2023, frozenset({0, 1}))
    assert _codes(sink) == []
    # a line under it that names no organ is left alone
    blocks = (Paragraph(text="2023年度政府信息公开工作年度报告"), Paragraph(text="（2024年1月20日）"))
    assert meta.find_title(blocks, sink)[1:] == ("", 2023, frozenset({0}))


@pytest.mark.parametrize("date", ["2024年1月20日", "2024-01-20", "二〇二四年一月二十日", "二○二四年十二月三十一日"])
def test_a_signature_dated_in_any_way_names_the_organ(date: str) -> None:
    blocks = (
        Paragraph(text="2023年度政府信息公开工作年度报告"),
        Paragraph(text="一、总体情况"),
        Paragraph(text="本年度……"),
        Paragraph(text="某某市某某局"),
        Paragraph(text=date),
    )
    assert meta.find_title(blocks, Sink())[1] == "某某市某某局"


def test_find_title_reports_a_missing_title() -> None:
    sink = Sink()
    assert meta.find_title((Paragraph(text="一、总体情况"),), sink) == ("", "", None, frozenset())
    assert _codes(sink) == ["missing-title"]


def _document(*texts: str, grids: tuple[Grid, ...] = (), tables_missing: bool = False) -> Document:
    return Document(blocks=(*(Paragraph(text=t) for t in texts), *grids), tables_missing=tables_missing)


def test_detect_format_by_markers_by_year_or_not_at_all() -> None:
    sink = Sink()
    doc = _document("申请人无正当理由逾期不补正")
    assert meta.detect_format(doc, 2023, [], sink) is Format.V2021
    grid = Grid.from_rows([["（一）予以公开", "1"]])
    doc = _document("x", grids=(grid,))
    assert meta.detect_format(doc, 2020, [Counter(c.text for c in grid.cells)], sink) is Format.V2019
    assert _codes(sink) == ["format-guessed"]
    with pytest.raises(ParseError) as raised:
        meta.detect_format(_document("x"), 2017, [], Sink())
    assert raised.value.diagnostics[0].code == "older-layout"
    with pytest.raises(ParseError) as raised:
        meta.detect_format(_document("x"), None, [], Sink())
    assert raised.value.diagnostics[-1].code == "unknown-format"
    assert meta.detect_format(_document("x", tables_missing=True), 2022, [], Sink()) is Format.V2021


def test_classify_by_votes_weighted_by_occurrence_else_by_section() -> None:
    assert classify(V2021, Counter({"行政许可": 1, "（一）予以公开": 2}), None) == "table3"
    assert classify(V2021, Counter({"行政许可": 3, "（一）予以公开": 2}), None) == "table2"
    assert classify(V2021, Counter({"1": 9}), "table4") == "table4"
    assert classify(V2021, Counter({"1": 9}), None) is None


def test_a_grid_naming_only_header_words_of_another_table_belongs_to_its_section() -> None:
    # a table 4 header broken over lines (结 果 / 维持, 其 他 / 结果) leaves only words that
    # name table 3 too: under heading 四 the grid is table 4 …
    broken = Counter({"总计": 3, "其 他": 2, "结 果": 4, "维持": 2, "1": 15})
    assert classify(V2021, broken, "table4") == "table4"
    # … outside any section, or beside a row label of table 3, the votes decide as before
    assert classify(V2021, broken, None) == "table3"
    assert classify(V2021, broken + Counter({"（一）予以公开": 1}), "table4") == "table3"


# -- table 2 --------------------------------------------------------------------------------


def test_table2_reads_columns_in_header_order_and_reports_missing_rows() -> None:
    found = _rows(
        ["信息内容", "现行有效件数", "本年制发件数", "本年废止件数"],
        ["规章", "9", "1", "0"],
        ["行政许可", "3件"],
    )
    sink = Sink()
    reading = table2.read_table2(found, V2021, sink)
    assert reading.cells[("table2", "rules", "in_force")] == 9
    assert reading.cells[("table2", "rules", "issued")] == 1
    assert reading.cells[("table2", "licensing", "decisions")] == 3
    missing = [d.message for d in sink.diagnostics if d.code == "missing-row"]
    assert len(missing) == 4  # 行政规范性文件, 行政处罚, 行政强制, 行政事业性收费
    assert "count-unit" in _codes(sink)
    assert reading.placed == {"rules", "licensing"}


def test_table2_duplicate_rows_keep_the_first() -> None:
    sink = Sink()
    reading = table2.read_table2(_rows(["行政许可", "3"], ["行政许可", "4"]), V2021, sink)
    assert reading.cells[("table2", "licensing", "decisions")] == 3
    assert "duplicate-row" in _codes(sink)


def test_table2_money_column_reads_amounts() -> None:
    reading = table2.read_table2(_rows(["行政事业性收费", "1.5"]), V2021, Sink())
    assert reading.cells[("table2", "fees", "amount")] == Amount(value=Decimal("1.5"))


def test_glued_figures_are_kept_for_the_recovery_not_read() -> None:
    sink = Sink()
    reading = table2.read_table2(_rows(["规章", "101"]), V2021, sink)
    assert [(g.table, g.key, g.raw) for g in reading.glued] == [("table2", "rules", "101")]
    assert reading.unreadable == {"rules"}
    assert not [c for c in reading.cells if c[1] == "rules"]
    assert "unreadable-row" not in _codes(sink)  # the recovery reports it


def test_split_cells_are_glued_only_when_soft() -> None:
    hard = table2.read_table2(_rows(["规章", "1", "01"]), V2021, Sink())
    soft = table2.read_table2(_rows(["规章", "1", "01"]), V2021, Sink(), soft=True)
    assert hard.glued == []
    assert [g.raw for g in soft.glued] == ["1 01"]


def test_table2_by_position_reads_under_each_header_cell() -> None:
    header = [
        GridCell(row=0, col=0, text="信息内容"),
        GridCell(row=0, col=1, text="本年制发件数"),
        GridCell(row=0, col=3, text="本年废止件数"),
        GridCell(row=0, col=4, text="现行有效件数"),
    ]
    data = [
        GridCell(row=1, col=0, text="规章"),
        GridCell(row=1, col=1, text="1"),
        GridCell(row=1, col=2, text="7"),
        GridCell(row=1, col=3, text="0"),
        GridCell(row=1, col=4, text="9"),
    ]
    sink = Sink()
    reading = table2.read_table2(rows.rows_of(Grid.from_cells([*header, *data])), V2021, sink)
    assert [reading.cells[("table2", "rules", c)] for c in ("issued", "repealed", "in_force")] == [1, 0, 9]
    (by_position,) = [d for d in sink.diagnostics if d.code == "table2-by-position"]
    assert by_position.severity is Severity.WARNING
    assert "'7'" in by_position.message


# -- table 3 --------------------------------------------------------------------------------


def _t3_line(label: str, *values: int) -> list[str]:
    return [label, *map(str, values)]


def test_table3_reads_rows_and_the_subtotal_column_is_not_stored() -> None:
    found = _rows(
        _t3_line("一、本年新收政府信息公开申请数量", 5, 1, 0, 0, 0, 0, 1, 6),
        _t3_line("二、上年结转政府信息公开申请数量", 0, 0, 0, 0, 0, 0, 0, 0),
    )
    assert table3.column_order(found, V2021) == [*T3_COLUMNS[:-1], "organisation_subtotal", "total"]
    sink = Sink()
    reading = table3.read_table3(found, V2021, sink)
    assert [reading.cells[("table3", "new_received", c)] for c in T3_COLUMNS] == [5, 1, 0, 0, 0, 0, 6]
    assert ("table3", "new_received", "organisation_subtotal") not in reading.cells
    (subtotal,) = [d for d in sink.diagnostics if d.code == "subtotal-column"]
    assert "一、本年新收政府信息公开申请数量=1" in subtotal.message
    assert _codes(sink).count("missing-row") == len(V2021.t3_cells) - 2


def test_table3_columns_follow_a_header_that_names_them_all() -> None:
    header = ["申请人情况", "总计", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    found = _rows(header, _t3_line("（一）予以公开", 9, 8, 1, 0, 0, 0, 0))
    assert table3.column_order(found, V2021) == ["total", *T3_COLUMNS[:-1]]
    reading = table3.read_table3(found, V2021, Sink())
    assert reading.cells[("table3", "granted", "total")] == 9
    assert reading.cells[("table3", "granted", "natural_person")] == 8


def test_table3_subtotal_and_unknown_rows() -> None:
    sink = Sink()
    table3.read_table3(
        _rows(
            _t3_line("（三）不予公开", 1, 0, 0, 0, 0, 0, 1),
            _t3_line("1.属于国家秘密", 1, 0, 0, 0, 0, 0, 1),
            _t3_line("甲乙丙", 1),
        ),
        V2021,
        sink,
    )
    assert "subtotal-row" in _codes(sink)
    assert "unknown-row" in _codes(sink)
    assert "group-row-only" not in _codes(sink)


def test_table3_group_printed_as_one_row_leaves_its_rows_absent() -> None:
    """A group row with figures and none of its numbered rows (the 2019 format's single
    （六）其他处理 row in a 2021 table): one ``group-row-only`` error naming the figures, the
    numbered rows absent (no ``missing-row`` for them, no zeros)."""
    sink = Sink()
    reading = table3.read_table3(_rows(_t3_line("（六）其他处理", 4, 1, 0, 0, 0, 0, 5)), V2021, sink)
    (only,) = [d for d in sink.diagnostics if d.code == "group-row-only"]
    assert only.severity is Severity.ERROR
    assert "（六）其他处理" in only.message
    assert "4, 1, 0, 0, 0, 0, 5" in only.message
    assert "subtotal-row" not in _codes(sink)
    missing = [d.message for d in sink.diagnostics if d.code == "missing-row"]
    assert not any("申请人" in m or "'3.其他'" in m for m in missing)
    assert len(missing) == len(V2021.t3_cells) - 3
    assert not any(key[1] in {"no_correction", "fee_unpaid", "other"} for key in reading.cells)
    # the printed row is kept as the group's total, under the group's key
    assert [reading.cells[("table3", "other_processing", c)] for c in ("natural_person", "commercial", "total")] == [
        4,
        1,
        5,
    ]


# -- table 4 --------------------------------------------------------------------------------


def test_table4_one_row_of_fifteen_fills_every_block() -> None:
    reading = table4.read_table4([(_rows([str(i) for i in range(15)]), "")], V2021, Sink())
    assert reading.cells[("table4", "reconsideration", "upheld")] == 0
    assert reading.cells[("table4", "litigation_after_reconsideration", "total")] == 14
    assert reading.placed == {"reconsideration", "litigation_direct", "litigation_after_reconsideration"}


def test_table4_blocks_by_label_caption_or_order_and_extra_rows() -> None:
    sink = Sink()
    found = _rows(["复议后起诉", "1", "0", "0", "0", "1"], ["2", "0", "0", "0", "2"], ["3", "0", "0", "0", "3"])
    reading = table4.read_table4([(found, "")], V2021, sink)
    assert reading.cells[("table4", "litigation_after_reconsideration", "upheld")] == 1
    assert reading.cells[("table4", "reconsideration", "upheld")] == 2  # the next block not yet filled
    assert reading.cells[("table4", "litigation_direct", "upheld")] == 3
    more = table4.read_table4([(found[1:], "行政复议")] * 2 + [(found[1:], "")] * 2, V2021, Sink())
    assert more.placed == {"reconsideration", "litigation_direct", "litigation_after_reconsideration"}


def test_table4_a_glued_run_of_all_blocks_goes_to_the_recovery() -> None:
    sink = Sink()
    reading = table4.read_table4([(_rows(["1" * 20]), "")], V2021, sink)
    assert [(g.key, g.raw) for g in reading.glued] == [(TABLE4_FLAT, "1" * 20)]
    assert "missing-row" not in _codes(sink)


def test_readers_fill_one_cell_map_when_given_one() -> None:
    shared = CellMap()
    table2.read_table2(_rows(["行政许可", "3"]), V2021, Sink(), into=shared)
    table4.read_table4([(_rows([str(i) for i in range(15)]), "")], V2021, Sink(), into=shared)
    assert ("table2", "licensing", "decisions") in shared.cells
    assert ("table4", "reconsideration", "total") in shared.cells
    assert TableReading("table3", V2021, Sink(), soft=False).cells == {}


# -- the whole: no state between documents ---------------------------------------------------


def _mutable_globals() -> dict[str, object]:
    found: dict[str, object] = {}
    for name, module in list(sys.modules.items()):
        if isinstance(module, types.ModuleType) and name.startswith("opengov._assemble"):
            for attr, value in vars(module).items():
                if not attr.startswith("__") and isinstance(value, (dict, list, set, bytearray)):
                    found[f"{name}.{attr}"] = copy.deepcopy(value)
    return found


@settings(max_examples=25, deadline=None)
@given(any_reports())
def test_assembling_changes_no_module_state_and_caches_change_no_result(report: opengov.Report) -> None:
    """The assembler's module-level containers are constants (the same after parsing), and
    a parse gives the same result with every cache cleared."""
    text = opengov.render(report, to="text")
    before = _mutable_globals()
    warm = opengov.parse(text)
    assert _mutable_globals() == before
    _caches.clear()
    cold = opengov.parse(text)
    assert cold == warm
    assert cold.locations == warm.locations


def test_assemble_builds_the_records_from_the_cell_map_with_recovered_cells() -> None:
    """A glued table 2 row is recovered into the cell map before the records are built."""
    lines = [
        "某某市某某局2023年度政府信息公开工作年度报告",
        "二、主动公开政府信息情况",
    ]
    grid = Grid.from_rows(
        [["行政许可", "3"], ["行政处罚", "1"], ["行政强制", "0"], ["行政事业性收费", "0"], ["规章", "109"]]
    )
    doc = Document(blocks=(*(Paragraph(text=t) for t in lines), grid), soft_cells=True)
    result = assemble(doc)
    table = result.report.table2
    assert table is not None
    assert table.licensing == 3
    assert (table.rules.issued, table.rules.repealed, table.rules.in_force) == (1, 0, 9)  # type: ignore[union-attr]
    assert table.normative_documents.issued is None  # type: ignore[union-attr]
    codes = [d.code for d in result.diagnostics]
    assert codes == ["format-guessed", "missing-row", "missing-table", "missing-table", "recovered-row"]
