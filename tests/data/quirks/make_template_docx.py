"""Make ``template-2021.docx`` in this folder: ``python tests/data/quirks/make_template_docx.py``.

An unfilled Word form with the merged-cell structure of the official 2021 template
(国办公开办函〔2021〕30号) as organs receive it: tables 2, 3 and 4 with every ``gridSpan`` and
``vMerge`` of the official file, the official labels, a header cell of two paragraphs
(``商业`` / ``企业``), header cells broken by a line break (``结果<w:br/>纠正``), empty data cells
holding only ideographic spaces (``U+3000``), no title naming an organ or a year, and one
placeholder paragraph per prose section.  The placeholder texts are the project's own.

Needs python-docx (the ``docx`` extra).  The zip entries get a fixed date, so running this
again gives the same bytes.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
from docx.document import Document
from docx.table import Table

HERE = Path(__file__).resolve().parent
OUT = HERE / "template-2021.docx"

TITLE = "政府信息公开工作年度报告（空白表样）"
PLACEHOLDER = "（此处填写文字说明）"
FEE_PLACEHOLDER = "（此处填写文字说明，信息处理费的收取情况也在这里说明。）"
IDEOGRAPHIC_SPACE = "\u3000"

T3_ROWS: list[tuple[str | None, str]] = [
    (None, "（一）予以公开"),
    (None, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    *(
        ("（三）不予公开", label)
        for label in (
            "1.属于国家秘密",
            "2.其他法律行政法规禁止公开",
            "3.危及“三安全一稳定”",
            "4.保护第三方合法权益",
            "5.属于三类内部事务信息",
            "6.属于四类过程性信息",
            "7.属于行政执法案卷",
            "8.属于行政查询事项",
        )
    ),
    *(
        ("（四）无法提供", label)
        for label in ("1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确")
    ),
    *(
        ("（五）不予处理", label)
        for label in (
            "1.信访举报投诉类申请",
            "2.重复申请",
            "3.要求提供公开出版物",
            "4.无正当理由大量反复申请",
            "5.要求行政机关确认或重新出具已获取信息",
        )
    ),
    *(
        ("（六）其他处理", label)
        for label in (
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            "3.其他",
        )
    ),
    (None, "（七）总计"),
]


def put(table: Table, row: int, col: int, *paragraphs: str, to: tuple[int, int] | None = None) -> None:
    """Write ``paragraphs`` in a cell, merged first with the cell at ``to`` (inclusive)."""
    cell = table.cell(row, col)
    if to is not None:
        cell = cell.merge(table.cell(*to))
    cell.text = paragraphs[0] if paragraphs else ""
    for text in paragraphs[1:]:
        cell.add_paragraph(text)


def broken(table: Table, row: int, col: int, first: str, second: str, to: tuple[int, int] | None = None) -> None:
    """A header cell printed on two lines with a line break (``w:br``) inside one run."""
    cell = table.cell(row, col)
    if to is not None:
        cell = cell.merge(table.cell(*to))
    cell.text = ""
    run = cell.paragraphs[0].add_run(first)
    run.add_break()
    run.add_text(second)


def table2(document: Document) -> None:
    table = document.add_table(rows=14, cols=4)
    table.style = "Table Grid"
    put(table, 0, 0, "第二十条第（一）项", to=(0, 3))
    for col, text in enumerate(("信息内容", "本年制发件数", "本年废止件数", "现行有效件数")):
        put(table, 1, col, text)
    for row, label in ((2, "规章"), (3, "行政规范性文件")):
        put(table, row, 0, label)
        put(table, row, 1, IDEOGRAPHIC_SPACE * 2)
        put(table, row, 2, IDEOGRAPHIC_SPACE)
    blocks = (
        (4, "第二十条第（五）项", "本年处理决定数量", ("行政许可",), ""),
        (7, "第二十条第（六）项", "本年处理决定数量", ("行政处罚", "行政强制"), IDEOGRAPHIC_SPACE),
        (11, "第二十条第（八）项", "本年收费金额（单位：万元）", ("行政事业性收费",), ""),
    )
    for first, heading, column, labels, empty in blocks:
        put(table, first, 0, heading, to=(first, 3))
        put(table, first + 1, 0, "信息内容")
        put(table, first + 1, 1, column, to=(first + 1, 3))
        for i, label in enumerate(labels):
            put(table, first + 2 + i, 0, label)
            put(table, first + 2 + i, 1, empty, to=(first + 2 + i, 3))


def table3(document: Document) -> None:
    table = document.add_table(rows=28, cols=10)
    table.style = "Table Grid"
    put(table, 0, 0, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", to=(2, 2))
    put(table, 0, 3, "申请人情况", to=(0, 9))
    put(table, 1, 3, "自然人", to=(2, 3))
    put(table, 1, 4, "法人或其他组织", to=(1, 8))
    put(table, 1, 9, "总计", to=(2, 9))
    put(table, 2, 4, "商业", "企业")
    put(table, 2, 5, "科研", "机构")
    for col, text in ((6, "社会公益组织"), (7, "法律服务机构"), (8, "其他")):
        put(table, 2, col, text)
    put(table, 3, 0, "一、本年新收政府信息公开申请数量", to=(3, 2))
    put(table, 4, 0, "二、上年结转政府信息公开申请数量", to=(4, 2))
    put(table, 5, 0, "三、本年度办理结果", to=(26, 0))
    row = 5
    groups: dict[str, int] = {}
    for group, label in T3_ROWS:
        if group is None:
            put(table, row, 1, label, to=(row, 2))
        else:
            groups.setdefault(group, row)
            put(table, row, 2, label)
        row += 1
    for group, first in groups.items():
        size = sum(1 for g, _ in T3_ROWS if g == group)
        put(table, first, 1, group, to=(first + size - 1, 1))
    put(table, 27, 0, "四、结转下年度继续办理", to=(27, 2))


def table4(document: Document) -> None:
    table = document.add_table(rows=4, cols=15)
    table.style = "Table Grid"
    put(table, 0, 0, "行政复议", to=(0, 4))
    put(table, 0, 5, "行政诉讼", to=(0, 14))
    put(table, 1, 0, "结果维持", to=(2, 0))
    broken(table, 1, 1, "结果", "纠正", to=(2, 1))
    broken(table, 1, 2, "其他", "结果", to=(2, 2))
    broken(table, 1, 3, "尚未", "审结", to=(2, 3))
    put(table, 1, 4, "总计", to=(2, 4))
    put(table, 1, 5, "未经复议直接起诉", to=(1, 9))
    put(table, 1, 10, "复议后起诉", to=(1, 14))
    for first in (5, 10):
        for i, (a, b) in enumerate((("结果", "维持"), ("结果", "纠正"), ("其他", "结果"), ("尚未", "审结"))):
            broken(table, 2, first + i, a, b)
        put(table, 2, first + 4, "总计")


def build() -> bytes:
    document = docx.Document()
    document.core_properties.title = ""
    document.core_properties.author = "opengov tests"
    document.add_paragraph("")
    document.add_paragraph(TITLE)
    document.add_paragraph("")
    document.add_paragraph("一、总体情况")
    document.add_paragraph(PLACEHOLDER)
    document.add_paragraph("")
    document.add_paragraph("二、主动公开政府信息情况")
    document.add_paragraph("")
    table2(document)
    document.add_paragraph("")
    document.add_paragraph("三、收到和处理政府信息公开申请情况")
    document.add_paragraph("")
    table3(document)
    document.add_paragraph("")
    document.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    document.add_paragraph("")
    table4(document)
    document.add_paragraph("")
    document.add_paragraph("五、存在的主要问题及改进情况")
    document.add_paragraph(PLACEHOLDER)
    document.add_paragraph("六、其他需要报告的事项")
    document.add_paragraph(FEE_PLACEHOLDER)
    out = io.BytesIO()
    document.save(out)
    return _fixed_dates(out.getvalue())


def _fixed_dates(data: bytes) -> bytes:
    """The same zip with every entry dated 2021-01-01 (python-docx stamps the current time)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(2021, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


if __name__ == "__main__":
    OUT.write_bytes(build())
    print(OUT)
