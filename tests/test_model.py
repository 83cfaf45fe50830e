"""The report model: records, cell states, the flat view and the constructors."""

from __future__ import annotations

import inspect
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from opengov import _model as model
from opengov._model import (
    BLANK,
    Amount,
    AppealOutcomes,
    Appeals,
    ApplicantCounts,
    Applications2019,
    Applications2021,
    Placeholder,
    ProactiveDisclosure2019,
    ProactiveDisclosure2021,
    Report,
    field_label,
)
from opengov.layout import LAYOUT_2019, LAYOUT_2021, Format
from opengov.testing import any_reports, reports

RECORDS = [
    model.Documents2021,
    model.Documents2019,
    model.Items2019,
    model.Fees2019,
    model.Procurement2019,
    ProactiveDisclosure2021,
    ProactiveDisclosure2019,
    ApplicantCounts,
    Applications2021,
    Applications2019,
    AppealOutcomes,
    Appeals,
    Report,
]


@pytest.mark.parametrize("cls", RECORDS, ids=lambda c: c.__name__)
def test_every_record_is_frozen_slotted_keyword_only(cls: type) -> None:
    assert attrs.has(cls)
    assert "__slots__" in cls.__dict__
    for field in attrs.fields(cls):
        assert field.kw_only, f"{cls.__name__}.{field.name} is not keyword-only"
    params = inspect.signature(cls).parameters.values()
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params)


@pytest.mark.parametrize("cls", RECORDS, ids=lambda c: c.__name__)
def test_every_field_has_an_official_label(cls: type) -> None:
    for field in attrs.fields(cls):
        for fmt in (Format.V2019, Format.V2021):
            label = field_label(cls, field.name, fmt)
            assert label, f"{cls.__name__}.{field.name} has no label"


@given(any_reports(absent=True))
def test_every_field_is_a_json_key(report: Report) -> None:
    from opengov._serialize.json import converter

    def walk(record: object, data: object) -> None:
        assert isinstance(data, dict)
        # a printed group total (table 3 other_processing of 2021) is a key only when printed
        optional = {f.name for f in attrs.fields(type(record)) if f.metadata.get("group_total")}
        written = {f.name for f in attrs.fields(type(record)) if f.name not in optional or getattr(record, f.name)}
        assert set(data) == written
        for field in attrs.fields(type(record)):
            value = getattr(record, field.name)
            if field.name not in written:
                continue
            if attrs.has(type(value)) and not isinstance(value, (Amount, Placeholder, model.Blank)):
                walk(value, data[field.name])

    walk(report, converter.unstructure(report))


@pytest.mark.parametrize("cls", RECORDS, ids=lambda c: c.__name__)
def test_docstring_names_the_official_label(cls: type) -> None:
    doc = cls.__doc__ or ""
    official = {
        model.Documents2021: LAYOUT_2021.table2.block("article_20_1").label,
        model.Documents2019: LAYOUT_2019.table2.block("article_20_1").label,
        model.Items2019: LAYOUT_2019.table2.columns_of("licensing")[0].label,
        model.Fees2019: LAYOUT_2019.table2.row("fees").label,
        model.Procurement2019: LAYOUT_2019.table2.row("procurement").label,
        ProactiveDisclosure2021: "主动公开政府信息情况",
        ProactiveDisclosure2019: "主动公开政府信息情况",
        ApplicantCounts: LAYOUT_2021.table3.applicant_header,
        Applications2021: "收到和处理政府信息公开申请情况",
        Applications2019: "收到和处理政府信息公开申请情况",
        AppealOutcomes: LAYOUT_2021.table4.column("upheld").label,
        Appeals: "政府信息公开行政复议、行政诉讼情况",
        Report: "政府信息公开工作年度报告",
    }[cls]
    assert official in doc, f"{cls.__name__} docstring does not name {official}"


def test_field_labels_come_from_the_layout() -> None:
    assert field_label(ApplicantCounts, "commercial") == "商业企业"
    assert field_label(Applications2021, "granted") == "（一）予以公开"
    assert field_label(Applications2019, "other_processing") == "（六）其他处理"
    assert field_label(ProactiveDisclosure2021, "fees") == "本年收费金额（单位：万元）"
    assert field_label(ProactiveDisclosure2019, "normative_documents") == "规范性文件"
    assert field_label(model.Items2019, "change") == "本年增/减"
    assert field_label(Appeals, "litigation_direct") == "未经复议直接起诉"
    assert field_label(Report, "overview") == "一、总体情况"
    assert field_label(Report, "organ") == "发布机关"


def test_cell_states_are_distinct() -> None:
    assert model.Blank() == BLANK
    assert BLANK != 0
    assert Placeholder(glyph="/") != Placeholder(glyph="—")
    assert Amount(value=Decimal("1341"), unit="万元") != Amount(value=Decimal("1341"))
    assert str(Amount(value="1341", unit="万元")) == "1341万元"
    assert model.number_of(BLANK) is None
    assert model.number_of(Placeholder(glyph="无")) is None
    assert model.number_of(7) == 7
    assert model.number_of(Amount(value="2.5")) == Decimal("2.5")
    with pytest.raises(ValueError, match="placeholder glyph"):
        Placeholder(glyph=" ")


def test_money_cells_accept_plain_numbers() -> None:
    table = ProactiveDisclosure2021(
        rules=model.Documents2021(issued=0, repealed=0, in_force=0),
        normative_documents=model.Documents2021(issued=0, repealed=0, in_force=0),
        licensing=1,
        punishment=2,
        enforcement=3,
        fees=1341,
    )
    assert table.fees == Amount(value=Decimal(1341))
    assert table.licensing == 1


def test_report_rejects_tables_of_the_other_format() -> None:
    table3 = Applications2019.build(new_received=ApplicantCounts.build(natural_person=1))
    with pytest.raises(TypeError, match="Applications2021"):
        Report(format="2021", table3=table3)
    with pytest.raises(TypeError, match="not one string"):
        Report(format="2021", overview="一段话")


def test_build_computes_totals() -> None:
    table3 = Applications2021.build(
        new_received=ApplicantCounts.build(natural_person=36, commercial=1),
        carried_over=ApplicantCounts.build(natural_person=1),
        granted=ApplicantCounts.build(natural_person=19, commercial=1),
        partially_granted=ApplicantCounts.build(natural_person=5),
        not_held=ApplicantCounts.build(natural_person=7),
        repeated=ApplicantCounts.build(natural_person=1),
        no_correction=ApplicantCounts.build(natural_person=2),
        other=ApplicantCounts.build(natural_person=3),
    )
    # numbers of the reference report (浙江乍浦经济开发区 2023)
    assert table3.new_received.total == 37
    assert table3.total_handled == ApplicantCounts(
        natural_person=37, commercial=1, research=0, social_welfare=0, legal_service=0, other_org=0, total=38
    )
    assert table3.carried_forward == ApplicantCounts.zero()
    appeals = Appeals.build(reconsideration=AppealOutcomes.build(upheld=2, pending=1))
    assert appeals.reconsideration.total == 3
    assert appeals.litigation_direct.total == 0


def test_build_refuses_to_carry_forward_a_negative_number() -> None:
    with pytest.raises(ValueError, match="natural_person"):
        Applications2021.build(
            new_received=ApplicantCounts.build(natural_person=1),
            granted=ApplicantCounts.build(natural_person=2),
        )
    # the builders name every row: a row of the other format is a TypeError, as mypy says too
    with pytest.raises(TypeError, match="other"):
        Applications2019.build(new_received=ApplicantCounts.zero(), other=ApplicantCounts.zero())  # type: ignore[call-arg]


def test_expected_totals_say_none_when_a_part_is_not_a_number() -> None:
    row = ApplicantCounts(
        natural_person=1, commercial=BLANK, research=0, social_welfare=0, legal_service=0, other_org=0, total=1
    )
    assert row.expected_total() is None
    assert ApplicantCounts.build(natural_person=2, research=3).expected_total() == 5


@given(reports())
def test_cells_walk_the_layout_in_order(report: Report) -> None:
    cells = list(report.cells())
    assert len(cells) == (10 if report.format is Format.V2021 else 22) + len(report.layout.table3.rows) * 7 + 15
    assert [c.table for c in cells] == sorted(c.table for c in cells)
    t3 = [c for c in cells if c.table == "table3"]
    assert t3[0].row_label == "一、本年新收政府信息公开申请数量"
    assert t3[0].column_label == "自然人"
    assert t3[-1].row_label == "四、结转下年度继续办理"
    for cell in cells:
        assert report.cell(cell.table, cell.row, cell.column) == cell.value


@given(any_reports(absent=True), st.data())
def test_with_cell_replaces_exactly_one_cell(report: Report, data: st.DataObject) -> None:
    cells = list(report.cells())
    target = data.draw(st.sampled_from(cells))
    changed = report.with_cell(target.table, target.row, target.column, Placeholder(glyph="※"))
    after = list(changed.cells())
    diffs = [(a.key, b.value) for a, b in zip(cells, after, strict=True) if a.value != b.value]
    if target.value == Placeholder(glyph="※"):
        assert diffs == []
    else:
        assert diffs == [(target.key, Placeholder(glyph="※"))]


def test_cell_addresses_are_checked() -> None:
    report = Report(format="2021", table4=Appeals.build())
    with pytest.raises(KeyError, match="no table3"):
        report.cell("table3", "granted", "total")
    with pytest.raises(KeyError, match="unknown table4 column"):
        report.cell("table4", "reconsideration", "nope")
    assert report.cell("table4", "reconsideration", "total") == 0


def test_path_label_names_the_group() -> None:
    report = Report(
        format="2021",
        table3=Applications2021.build(new_received=ApplicantCounts.zero()),
    )
    cell = next(c for c in report.cells() if c.row == "state_secret")
    assert cell.path_label == "（三）不予公开/1.属于国家秘密"
    assert cell.block == "withheld"
