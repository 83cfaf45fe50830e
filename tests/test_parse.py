"""opengov.parse / opengov.read on the reference report, real samples and edge cases."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

import opengov
import opengov._codec
from opengov import BLANK, Amount, ParseError, Placeholder, Severity

DATA = Path(__file__).resolve().parent / "data"
REFERENCE = DATA / "zhapu-2023.txt"


def _codes(result: opengov.ParseResult) -> list[str]:
    return [d.code for d in result.diagnostics]


def test_reference_report_equals_the_golden_file() -> None:
    result = opengov.read(REFERENCE)
    golden = opengov.loads((DATA / "zhapu-2023.expected.json").read_text(encoding="utf-8"))
    assert result.report == golden
    assert result.form == "text"
    assert not result.errors


def test_reference_report_details() -> None:
    result = opengov.parse(REFERENCE.read_text(encoding="utf-8"), strict=True)
    report = result.report
    assert (report.organ, report.year, report.format) == ("浙江乍浦经济开发区（嘉兴港区）", 2023, opengov.Format.V2021)
    assert report.table2 is not None
    assert report.table2.fees == Amount(value=Decimal("1341"), unit="万元")
    assert sum(1 for c in report.cells() if c.table == "table2") == 10
    assert sum(1 for c in report.cells() if c.table == "table3") == 175
    assert sum(1 for c in report.cells() if c.table == "table4") == 15
    assert all(c.value is not None for c in report.cells())
    # the annotation's digits (2022) are not data, and it is said so
    assert "label-annotation" in _codes(result)
    # every cell has a location; the 商业企业 cell of 一、 is on line 82
    assert len(result.locations) == 200
    assert result.locations[("table3", "new_received", "commercial")].line == 82
    assert result.locations[("table2", "fees", "amount")].line == 56


def test_bytes_with_bom_and_unknown_bytes() -> None:
    data = REFERENCE.read_bytes()
    assert opengov.parse(b"\xef\xbb\xbf" + data).report == opengov.parse(data).report
    with pytest.raises(ParseError, match="not text in any encoding") as error:
        opengov.parse(b"\x80\xff" * 50)  # every byte invalid in UTF-8 and in GB18030
    assert [d.code for d in error.value.diagnostics] == ["unknown-bytes"]


def test_strict_lists_every_problem_with_line_and_column() -> None:
    text = REFERENCE.read_text(encoding="utf-8").replace("\t22738\n", "\t22 738x\n").replace("\t46787", "\t467?87")
    result = opengov.parse(text)
    assert result.report.table2 is not None
    assert result.report.table2.licensing is None
    with pytest.raises(ParseError) as info:
        opengov.parse(text, strict=True)
    messages = [str(d) for d in info.value.diagnostics]
    assert any("22 738x" in m and "line 37, column 2" in m for m in messages)
    assert any("467?87" in m and "line 45" in m for m in messages)


def test_missing_row_is_absent_not_zero() -> None:
    lines = REFERENCE.read_text(encoding="utf-8").splitlines()
    start = lines.index("\t行政强制")
    del lines[start : start + 3]  # label, value, blank
    result = opengov.parse("\n".join(lines))
    assert result.report.table2 is not None
    assert result.report.table2.enforcement is None
    missing = [d for d in result.diagnostics if d.code == "missing-row"]
    assert len(missing) == 1
    assert "行政强制" in missing[0].message
    assert missing[0].severity is Severity.ERROR


def test_unknown_row_names_its_numbers_and_location() -> None:
    text = REFERENCE.read_text(encoding="utf-8").replace("\t行政强制\n\t837", "\t行政强迫\n\t837")
    result = opengov.parse(text)
    unknown = [d for d in result.diagnostics if d.code == "unknown-row"]
    assert len(unknown) == 1
    assert "837" in unknown[0].message
    assert unknown[0].location.line == 47


PLAIN = """某某市生态环境局2022年度政府信息公开工作年度报告

一、总体情况
全年主动公开政府信息１，２３４条。
二、主动公开政府信息情况
第二十条第(一)项
信息内容 本年制发件数 本年废止件数 现行有效件数
规章 0 0 0
行政规范性文件 ３ 1 1,024
第二十条第(五)项
信息内容 本年处理决定数量
行政许可 12件
第二十条第(六)项
行政处罚 5
行政强制 /
第二十条第(八)项
信息内容 本年收费金额（单位：万元）
行政事业性收费 12.50
三、收到和处理政府信息公开申请情况
申请人情况
自然人 法人或其他组织 总计
商业
企业 科研机构 社会公益组织 法律服务机构 其他
一、本年新收政府信息公开申请数量 10 1 0 0 0 0 11
二、上年结转政府信息公开申请
数量 0 0 0 0 0 0 0
三、本年度办理结果
(一)予以公开 5 1 0 0 0 0 6
(二)部分公开(区分处理的,只计这一情形,不计其他情形) 1 0 0 0 0 0 1
(三)不予公开
1.属于国家秘密 0 0 0 0 0 0 0
2.其他法律行政法规禁止公开 0 0 0 0 0 0 0
3.危及"三安全一稳定" 0 0 0 0 0 0 0
- 3 -
4.保护第三方合法权益 0 0 0 0 0 0 0
5.属于三类内部事务信息 0 0 0 0 0 0 0
6.属于四类过程性信息 0 0 0 0 0 0 0
7.属于行政执法案卷 0 0 0 0 0 0 0
8.属于行政查询事项 0 0 0 0 0 0 0
(四)无法提供
1.本机关不掌握相关政府信息 4 0 0 0 0 0 4
2.没有现成信息需要另行制作 0 0 0 0 0 0 0
3.补正后申请内容仍不明确 0 0 0 0 0 0 0
(五)不予处理
1.信访举报投诉类申请 0 0 0 0 0 0 0
2.重复申请 0 0 0 0 0 0 0
3.要求提供公开出版物 0 0 0 0 0 0 0
4.无正当理由大量反复申请 0 0 0 0 0 0 0
5.要求行政机关确认或重新出具已获取信息 0 0 0 0 0 0 0
(六)其他处理
1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请 0 0 0 0 0 0 0
2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请 0 0 0 0 0 0 0
3.其他 0 0 0 0 0 0 0
(七)总计 10 1 0 0 0 0 11
四、结转下年度继续办理 0 0 0 0 0 0 0
四、政府信息公开行政复议、行政诉讼情况
行政复议 行政诉讼
结果维持 结果纠正 其他结果 尚未审结 总计
1 0 0 0 1 0 0 0 0 0 0 0 0 0 0
五、存在的主要问题及改进情况
问题是公开质量有待提升。
六、其他需要报告的事项
本年度未收取信息处理费。
"""


def test_text_without_tabs_from_other_sites() -> None:
    result = opengov.parse(PLAIN)
    report = result.report
    assert not result.errors, result.diagnostics
    assert (report.organ, report.year) == ("某某市生态环境局", 2022)
    assert report.table2 is not None
    assert report.table3 is not None
    assert report.table4 is not None
    assert report.table2.normative_documents.issued == 3
    assert report.table2.normative_documents.in_force == 1024
    assert report.table2.licensing == 12
    assert report.table2.enforcement == Placeholder(glyph="/")
    assert report.table2.fees == Amount(value=Decimal("12.50"))
    assert report.table3.carried_over.total == 0
    assert report.table3.granted.commercial == 1
    assert report.table3.not_held.total == 4
    assert report.table4.reconsideration.total == 1
    assert report.overview == ("全年主动公开政府信息１，２３４条。",)
    codes = _codes(result)
    assert "page-number" in codes
    assert "normalized-number" in codes
    assert "count-unit" in codes


def test_subtotal_column_is_read_and_reported() -> None:
    lines = []
    for line in PLAIN.splitlines():
        parts = line.split(" ")
        if len(parts) == 8 and parts[1].isdigit():
            parts.insert(7, str(sum(int(p) for p in parts[2:7])))
        lines.append(" ".join(parts))
    result = opengov.parse("\n".join(lines))
    assert result.report.table3 is not None
    assert result.report.table3.new_received.total == 11
    (diag,) = [d for d in result.diagnostics if d.code == "subtotal-column"]
    assert "一、本年新收政府信息公开申请数量=1" in diag.message


def test_older_layout_is_rejected() -> None:
    text = "某某县人民政府2017年政府信息公开工作年度报告\n\n一、概述\n本年度主动公开政府信息3000条。\n"
    with pytest.raises(ParseError, match="older") as info:
        opengov.parse(text)
    assert info.value.diagnostics[0].code == "older-layout"


def test_unknown_form_name() -> None:
    with pytest.raises(ValueError, match="unknown form 'rtf'"):
        opengov.parse("x", form="rtf")


def test_binary_form_given_text_says_so() -> None:
    with pytest.raises(ValueError, match="PDF must be given as bytes"):
        opengov.parse("x", form="pdf")


def test_markdown_renderer_shape() -> None:
    """The shape our own Markdown writer prints: path labels and flattened headers."""
    report = opengov.read(REFERENCE).report
    t3 = report.layout.table3
    lines = [f"# {report.title}", "", "## 二、主动公开政府信息情况", ""]
    t2 = report.layout.table2
    for block in t2.blocks:
        lines += [f"### {block.label}", "", "| " + " | ".join([t2.header, *(c.label for c in block.columns)]) + " |"]
        lines += ["|" + "---|" * (len(block.columns) + 1)]
        for key in block.rows:
            cells = [opengov._codec.cell_text(report.cell("table2", key, c.key)) for c in block.columns]
            lines += ["| " + " | ".join([t2.row(key).label, *cells]) + " |"]
        lines += [""]
    lines += ["## 三、收到和处理政府信息公开申请情况", ""]
    heads = [
        c.label if c.key not in t3.organisation_columns else f"{t3.organisation_header}/{c.label}" for c in t3.columns
    ]
    lines += ["| | " + " | ".join(heads) + " |", "|" + "---|" * 8]
    for row in t3.rows:
        path = row.label if row.block is None else f"{t3.outcomes_label}/{t3.block(row.block).label}/{row.label}"
        lines += [f"| {path} | " + " | ".join(str(report.cell("table3", row.key, c.key)) for c in t3.columns) + " |"]
    lines += ["", "## 四、政府信息公开行政复议、行政诉讼情况", ""]
    t4 = report.layout.table4
    heads4 = [f"{b.parent + '/' if b.parent else ''}{b.label}/{c.label}" for b in t4.blocks for c in t4.columns]
    lines += ["| " + " | ".join(heads4) + " |", "|" + "---|" * 15, "| " + " | ".join(["0"] * 15) + " |", ""]
    result = opengov.parse("\n".join(lines))
    assert result.form == "markdown"
    assert result.report.table2 == report.table2
    assert result.report.table3 == report.table3
    assert result.report.table4 == report.table4


# -- real samples --------------------------------------------------------------------------


def _figures(report: opengov.Report) -> dict[str, object]:
    """A report's figures in the shape of ../shared/samples/expected/*.json."""

    def show(value: object) -> object:
        if value is BLANK:
            return None
        if isinstance(value, Amount):
            return f"{value.value}{value.unit or ''}"
        return value

    lay = report.layout
    t2: dict[str, object] = {}
    for row in lay.table2.rows:
        values = [show(report.cell("table2", row.key, c.key)) for c in lay.table2.columns_of(row.key)]
        t2[row.label] = values if len(values) > 1 else values[0]
    t3 = {}
    for row in lay.table3.rows:
        name = row.label if row.block is None else f"{lay.table3.block(row.block).label}/{row.label}"
        t3[name] = [show(report.cell("table3", row.key, c.key)) for c in lay.table3.columns]
    t4 = [show(report.cell("table4", b.key, c.key)) for b in lay.table4.blocks for c in lay.table4.columns]
    return {"year": report.year, "format_version": str(report.format), "table2": t2, "table3": t3, "table4": t4}


@pytest.mark.samples
@pytest.mark.parametrize("name", ["zhapu-2023.txt", "shuyang-2025.md"])
def test_real_samples_match_their_hand_read_figures(samples: Path, name: str) -> None:
    result = opengov.read(samples / name)
    assert not result.errors, result.errors
    expected = json.loads((samples / "expected" / (name.rsplit(".", 1)[0] + ".json")).read_text(encoding="utf-8"))
    figures = _figures(result.report)
    for key in ("year", "format_version", "table2", "table3", "table4"):
        assert figures[key] == expected[key], key
