"""The layout as data: counts, keys and labels of both formats."""

from __future__ import annotations

import pytest

from opengov.layout import LAYOUT_2019, LAYOUT_2021, SECTIONS, Format, Kind, layout_for, normalize_label


def test_table2_cell_counts() -> None:
    assert len(list(LAYOUT_2021.table2.cells())) == 10
    assert len(list(LAYOUT_2019.table2.cells())) == 22


def test_table3_shapes() -> None:
    assert len(LAYOUT_2021.table3.rows) == 25
    assert len(LAYOUT_2019.table3.rows) == 23
    assert len(LAYOUT_2021.table3.columns) == 7
    assert len(LAYOUT_2021.table3.outcome_rows) == 21
    assert len(LAYOUT_2019.table3.outcome_rows) == 19
    assert len(list(LAYOUT_2021.table3.cells())) == 175
    assert len(list(LAYOUT_2019.table3.cells())) == 161


def test_table4_is_fifteen_cells_in_printed_order() -> None:
    cells = [(b.key, c.key) for b, c in LAYOUT_2021.table4.cells()]
    assert len(cells) == 15
    assert cells[0] == ("reconsideration", "upheld")
    assert cells[4] == ("reconsideration", "total")
    assert cells[-1] == ("litigation_after_reconsideration", "total")
    assert LAYOUT_2019.table4 is LAYOUT_2021.table4


def test_outcomes_group_spans_as_in_the_template() -> None:
    # 三、本年度办理结果 spans 22 rows in 2021 (21 outcome rows + （七）总计) and 20 in 2019.
    assert len(LAYOUT_2021.table3.outcome_rows) + 1 == 22
    assert len(LAYOUT_2019.table3.outcome_rows) + 1 == 20
    withheld = LAYOUT_2021.table3.block("withheld")
    assert withheld.label == "（三）不予公开"
    assert len(withheld.rows) == 8


@pytest.mark.parametrize("lay", [LAYOUT_2019, LAYOUT_2021], ids=["2019", "2021"])
def test_keys_are_unique(lay: object) -> None:
    from opengov.layout import FormatLayout

    assert isinstance(lay, FormatLayout)
    for keys in (
        [r.key for r in lay.table2.rows],
        [b.key for b in lay.table2.blocks],
        [r.key for r in lay.table3.rows],
        [c.key for c in lay.table3.columns],
        [b.key for b in lay.table4.blocks],
        [c.key for c in lay.table4.columns],
    ):
        assert len(keys) == len(set(keys))


def test_only_2019_has_a_signed_column_and_money_columns_have_units() -> None:
    kinds_2019 = {c.key: c.kind for _, _, c in LAYOUT_2019.table2.cells()}
    assert kinds_2019["change"] is Kind.SIGNED
    assert all(c.kind is not Kind.SIGNED for _, _, c in LAYOUT_2021.table2.cells())
    fee = LAYOUT_2021.table2.columns_of("fees")[0]
    assert fee.kind is Kind.MONEY
    assert fee.unit == "万元"
    assert fee.label == "本年收费金额（单位：万元）"


def test_format_markers_are_disjoint_and_documents_named() -> None:
    assert not set(LAYOUT_2019.markers) & set(LAYOUT_2021.markers)
    assert Format.V2021.document == "国办公开办函〔2021〕30号"
    assert Format.V2019.document == "国办公开办函〔2019〕60号"
    assert layout_for("2019") is LAYOUT_2019
    assert layout_for(Format.V2021) is LAYOUT_2021


def test_six_sections_in_order() -> None:
    assert [s.number for s in SECTIONS] == ["一、", "二、", "三、", "四、", "五、", "六、"]
    assert [s.table for s in SECTIONS if s.table] == ["table2", "table3", "table4"]
    assert all(s.label.startswith(s.number) for s in SECTIONS)


@pytest.mark.parametrize(
    ("printed", "canonical"),
    [
        ("(一)予以公开", "（一）予以公开"),
        ('3.危及"三安全一稳定"', "3.危及“三安全一稳定”"),
        ("1、申请人无正当理由逾期不补正", "1.申请人无正当理由逾期不补正"),
        ("商业\n企业", "商业企业"),
        ("三、\n本\n年\n度\n办\n理\n结\n果", "三、本年度办理结果"),
        ("１．属于国家秘密", "1.属于国家秘密"),
    ],
)
def test_normalize_label_folds_printed_variants(printed: str, canonical: str) -> None:
    assert normalize_label(printed) == normalize_label(canonical)


def test_normalize_label_keeps_different_labels_apart() -> None:
    labels = [r.label for r in LAYOUT_2021.table3.rows]
    assert len({normalize_label(label) for label in labels}) == len(labels)
