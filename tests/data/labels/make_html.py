"""Write the HTML fixtures of this folder from the text fixtures beside them.

Each page is a Word-pasted style HTML report: the prose of its text fixture, tables with
rowspan/colspan as real pages print them, and the label quirks the text fixture has (the
quirks are in the ``ROWS`` lists below, as printed).  Run from the repository root:

    python tests/data/labels/make_html.py
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent

T3_HEAD = (
    '<tr><td colspan="3" rowspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>'
    '<td colspan="7">申请人情况</td></tr>'
    '<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>'
    "<tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>"
)
T4 = (
    '<table border="1"><tr><td colspan="5">行政复议</td><td colspan="10">行政诉讼</td></tr>'
    '<tr><td rowspan="2">结果维持</td><td rowspan="2">结果纠正</td><td rowspan="2">其他结果</td>'
    '<td rowspan="2">尚未审结</td><td rowspan="2">总计</td><td colspan="5">未经复议直接起诉</td>'
    '<td colspan="5">复议后起诉</td></tr><tr>'
    + "<td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td>" * 2
    + "</tr><tr>{cells}</tr></table>"
)


def _cells(figures: str) -> str:
    return "".join(f"<td>{f}</td>" for f in figures.split())


def _t3(rows: list[tuple[str, ...]]) -> str:
    """Table 3 rows: ``(label, figures)`` of a row spanning the label columns,
    ``(group, rowspan, label, figures)`` for the first row of a group,
    ``("", label, figures)`` for the next rows of a group (the group cell spans them), and
    ``("full", label)`` for a label row across the whole table."""
    out = [T3_HEAD]
    for row in rows:
        if row[0] == "full":
            out.append(f'<tr><td colspan="10">{row[1]}</td></tr>')
        elif len(row) == 2:
            out.append(f'<tr><td colspan="3">{row[0]}</td>{_cells(row[1])}</tr>')
        elif len(row) == 4:
            out.append(f'<tr><td rowspan="{row[1]}">{row[0]}</td><td colspan="2">{row[2]}</td>{_cells(row[3])}</tr>')
        else:
            out.append(f'<tr><td colspan="2">{row[1]}</td>{_cells(row[2])}</tr>')
    return '<table border="1">' + "".join(out) + "</table>"


def _t2(blocks: list[tuple[str, list[str], list[tuple[str, str]]]]) -> str:
    out = []
    for caption, header, rows in blocks:
        width = len(header) + 1
        out.append(f'<tr><td colspan="{width}">{caption}</td></tr>')
        out.append("<tr><td>信息内容</td>" + "".join(f"<td>{h}</td>" for h in header) + "</tr>")
        out.extend(f"<tr><td>{label}</td>{_cells(figures)}</tr>" for label, figures in rows)
    return '<table border="1">' + "".join(out) + "</table>"


def _page(title: str, paragraphs: dict[str, str], t2: str, t3: str, t4: str) -> str:
    body = [f"<h1>{title}</h1>"]
    for heading, text in paragraphs.items():
        body.append(f"<p><b>{heading}</b></p>")
        if heading.startswith("二、"):
            body.append(t2)
        elif heading.startswith("三、"):
            body.append(t3)
        elif heading.startswith("四、"):
            body.append(t4)
        if text:
            body.append(f"<p>{text}</p>")
    return (
        '<html><head><meta charset="utf-8"><title>'
        + title
        + "</title></head><body>"
        + "".join(body)
        + "</body></html>\n"
    )


def deviations_2022() -> str:
    """deviations-2022.html: the figures of deviations-2022.txt; typos, a stray space,
    ``1、`` numbering, a group label printed twice (a full-width row and the group cell),
    a group label cut by a page break (``（四）无`` in one group cell, ``法提供`` in the next)."""
    t2 = _t2(
        [
            (
                "第二十条第（一）项",
                ["本年制发件数", "本年废止件数", "现行有效件数"],
                [("规章", "0 0 1"), ("行政规范性文件", "6 2 31")],
            ),
            ("第二十条第（五）项", ["本年处理决定数量"], [("行政许可", "512")]),
            ("第二十条第（六）项", ["本年处理决定数量"], [("行政处罚", "37"), ("行政强制", "2")]),
            ("第二十条第（八）项", ["本年收费金额（单位：万元）"], [("行政事业性收费", "0")]),
        ]
    )
    zeros = "0 0 0 0 0 0 0"
    t3 = _t3(
        [
            ("一、本年新收政府信息公开申请数量", "40 2 0 0 1 0 43"),
            ("二、上年结转政府信息公开申请数量", "3 0 0 0 0 0 3"),
            ("三、本年度办理结果", "2", "（一）予以公开", "18 1 0 0 0 0 19"),
            ("", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "4 0 0 0 1 0 5"),
            ("full", "（三）不予公开"),
            ("（三）不予公开", "8", "1.属于国家秘密", zeros),
            ("", "2.其他法律行政法规禁止公开", zeros),
            ("", "3.危及三安全稳定", "1 0 0 0 0 0 1"),
            ("", "4.保护第三方合法权益", zeros),
            ("", "5.属于三类内部 事务信息", "2 0 0 0 0 0 2"),
            ("", "6.属于四类过程性信息", zeros),
            ("", "7.属于行政执法案卷", zeros),
            ("", "8.属于行政查询事项", zeros),
            ("（四）无", "1", "1.本机关不掌握相关信息", "9 1 0 0 0 0 10"),
            ("法提供", "2", "2.没有现成信息需要另行制作", "1 0 0 0 0 0 1"),
            ("", "3.补正后申请内容仍不明确", zeros),
            ("（五）不予处理", "5", "1、信访举报投诉类申请", "2 0 0 0 0 0 2"),
            ("", "2、重复申请", "1 0 0 0 0 0 1"),
            ("", "3、要求提供公开出版物", zeros),
            ("", "4、无正当理由大量反复申请", zeros),
            ("", "5、要求行政机关确认或重新出具已获取信息", zeros),
            (
                "（六）其他处理",
                "3",
                "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                "1 0 0 0 0 0 1",
            ),
            ("", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", zeros),
            ("", "3.其他", "2 0 0 0 0 0 2"),
            ("（七）总计", "41 2 0 0 1 0 44"),
            ("四、结转下年度继续办理", "2 0 0 0 0 0 2"),
        ]
    )
    return _page(
        "青石县文化和旅游局2022年度政府信息公开工作年度报告",
        {
            "一、总体情况": (
                "2022年，青石县文化和旅游局围绕文旅市场监管和公共文化服务，做好政府信息主动公开和依申请公开工作。"
            ),
            "二、主动公开政府信息情况": "",
            "三、收到和处理政府信息公开申请情况": "",
            "四、政府信息公开行政复议、行政诉讼情况": "",
            "五、存在的主要问题及改进情况": "政策解读形式较为单一。下一步，我局将丰富解读形式。",
            "六、其他需要报告的事项": "本年度未收取信息处理费。",
        },
        t2,
        t3,
        T4.format(cells=_cells("1 0 0 0 1 0 0 0 1 1 0 0 0 0 0")),
    )


def group_row_2021() -> str:
    """group-row-2021.html: a 2021 report whose table 3 prints the 2019 format's single
    （六）其他处理 row (figures 3 0 0 0 0 0 3) without its three numbered rows."""
    t2 = _t2(
        [
            (
                "第二十条第（一）项",
                ["本年制发件数", "本年废止件数", "现行有效件数"],
                [("规章", "0 0 0"), ("行政规范性文件", "2 1 14")],
            ),
            ("第二十条第（五）项", ["本年处理决定数量"], [("行政许可", "96")]),
            ("第二十条第（六）项", ["本年处理决定数量"], [("行政处罚", "11"), ("行政强制", "0")]),
            ("第二十条第（八）项", ["本年收费金额（单位：万元）"], [("行政事业性收费", "3.2")]),
        ]
    )
    zeros = "0 0 0 0 0 0 0"
    t3 = _t3(
        [
            ("一、本年新收政府信息公开申请数量", "12 1 0 0 0 0 13"),
            ("二、上年结转政府信息公开申请数量", "1 0 0 0 0 0 1"),
            ("三、本年度办理结果", "2", "（一）予以公开", "6 1 0 0 0 0 7"),
            ("", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "1 0 0 0 0 0 1"),
            ("（三）不予公开", "8", "1.属于国家秘密", zeros),
            ("", "2.其他法律行政法规禁止公开", zeros),
            ("", "3.危及“三安全一稳定”", zeros),
            ("", "4.保护第三方合法权益", zeros),
            ("", "5.属于三类内部事务信息", zeros),
            ("", "6.属于四类过程性信息", zeros),
            ("", "7.属于行政执法案卷", zeros),
            ("", "8.属于行政查询事项", zeros),
            ("（四）无法提供", "3", "1.本机关不掌握相关政府信息", "2 0 0 0 0 0 2"),
            ("", "2.没有现成信息需要另行制作", zeros),
            ("", "3.补正后申请内容仍不明确", zeros),
            ("（五）不予处理", "5", "1.信访举报投诉类申请", zeros),
            ("", "2.重复申请", zeros),
            ("", "3.要求提供公开出版物", zeros),
            ("", "4.无正当理由大量反复申请", zeros),
            ("", "5.要求行政机关确认或重新出具已获取信息", zeros),
            ("（六）其他处理", "3 0 0 0 0 0 3"),
            ("（七）总计", "12 1 0 0 0 0 13"),
            ("四、结转下年度继续办理", "1 0 0 0 0 0 1"),
        ]
    )
    return _page(
        "红岭区住房和城乡建设局2021年度政府信息公开工作年度报告",
        {
            "一、总体情况": "2021年，红岭区住房和城乡建设局及时公开保障性住房分配、建筑市场监管等信息。",
            "二、主动公开政府信息情况": "",
            "三、收到和处理政府信息公开申请情况": "",
            "四、政府信息公开行政复议、行政诉讼情况": "",
            "五、存在的主要问题及改进情况": "信息公开的及时性有待提高，将建立信息发布提醒机制。",
            "六、其他需要报告的事项": "本年度未收取信息处理费。",
        },
        t2,
        t3,
        T4.format(cells=_cells("0 0 0 0 0 0 0 0 0 0 0 0 0 0 0")),
    )


def table2_2019() -> str:
    """table2-2019.html: the figures of table2-2019.txt; table 2 without the 第二十条第（六）项
    block, headers renamed 本年增/减量 and the （五） block's columns printed in another order
    (处理决定数量 first)."""
    t2 = _t2(
        [
            (
                "第二十条第（一）项",
                ["本年新制作数量", "本年新公开数量", "对外公开总数量"],
                [("规章", "0 0 0"), ("规范性文件", "3 3 27")],
            ),
            (
                "第二十条第（五）项",
                ["处理决定数量", "上一年项目数量", "本年增/减量"],
                [("行政许可", "85 12 +2"), ("其他对外管理服务事项", "30 4 -1")],
            ),
            ("第二十条第（八）项", ["上一年项目数量", "本年增/减量"], [("行政事业性收费", "2 0")]),
            ("第二十条第（九）项", ["采购项目数量", "采购总金额"], [("政府集中采购", "6 58.6万元")]),
        ]
    )
    zeros = "0 0 0 0 0 0 0"
    t3 = _t3(
        [
            ("一、本年新收政府信息公开申请数量", "5 1 0 0 0 0 6"),
            ("二、上年结转政府信息公开申请数量", zeros),
            ("三、本年度办理结果", "2", "（一）予以公开", "3 1 0 0 0 0 4"),
            ("", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", zeros),
            ("（三）不予公开", "8", "1.属于国家秘密", zeros),
            ("", "2.其他法律行政法规禁止公开", zeros),
            ("", "3.危及“三安全一稳定”", zeros),
            ("", "4.保护第三方合法权益", zeros),
            ("", "5.属于三类内部事务信息", zeros),
            ("", "6.属于四类过程性信息", zeros),
            ("", "7.属于行政执法案卷", zeros),
            ("", "8.属于行政查询事项", zeros),
            ("（四）无法提供", "3", "1.本机关不掌握相关政府信息", "1 0 0 0 0 0 1"),
            ("", "2.没有现成信息需要另行制作", zeros),
            ("", "3.补正后申请内容仍不明确", zeros),
            ("（五）不予处理", "5", "1.信访举报投诉类申请", zeros),
            ("", "2.重复申请", zeros),
            ("", "3.要求提供公开出版物", zeros),
            ("", "4.无正当理由大量反复申请", zeros),
            ("", "5.要求行政机关确认或重新出具已获取信息", zeros),
            ("（六）其他处理", "1 0 0 0 0 0 1"),
            ("（七）总计", "5 1 0 0 0 0 6"),
            ("四、结转下年度继续办理", zeros),
        ]
    )
    return _page(
        "白沙镇人民政府2019年政府信息公开工作年度报告",
        {
            "一、总体情况": (
                "2019年，白沙镇人民政府按照新修订的《中华人民共和国政府信息公开条例》要求，"
                "公开镇级财政预决算、惠民资金发放等信息。"
            ),
            "二、主动公开政府信息情况": "",
            "三、收到和处理政府信息公开申请情况": "",
            "四、政府信息公开行政复议、行政诉讼情况": "",
            "五、存在的主要问题及改进情况": "政府信息公开栏目更新不够及时。2020年将明确专人负责，按月检查栏目内容。",
            "六、其他需要报告的事项": "无。",
        },
        t2,
        t3,
        T4.format(cells=_cells("0 0 0 0 0 0 0 0 0 0 0 0 0 0 0")),
    )


if __name__ == "__main__":
    for name, page in (
        ("deviations-2022.html", deviations_2022()),
        ("group-row-2021.html", group_row_2021()),
        ("table2-2019.html", table2_2019()),
    ):
        (HERE / name).write_text(page, encoding="utf-8")
