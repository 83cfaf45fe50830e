"""Write ``glued-stock-2019.txt``: a made-up 2019-format report as one-line crawler text (the
whole body on one line, every table's separators lost), whose table 2 rows 规章 and 行政许可
have several readings alone and one with last year's report.

``python tests/data/convert/make_glued_2019.py`` (from the project's root) rewrites it.
Labels come from the official layout; the organ, the prose and the figures are invented.
"""

from __future__ import annotations

from pathlib import Path

from opengov.layout import layout_for

HERE = Path(__file__).resolve().parent
ORGAN = "青石镇人民政府"

TABLE2 = {  # 2019 format: 本年新制作 本年新公开 对外公开总数量 / 上一年项目数量 本年增/减 处理决定数量
    "rules": "2240",  # 2/2/40 with last year's 对外公开总数量 38 (also 22/4/0, 2/24/0, …)
    "normative_documents": "5 5 61",
    "licensing": "1237",  # 12/3/7 with last year's 上一年项目数量 10 and 本年增/减 2 (also 1/23/7, 1/2/37, …)
    "other_services": "4 0 18",
    "punishment": "7 1 95",
    "enforcement": "3 0 6",
    "fees": "2 0",
    "procurement": "3 46.5",
}

# table 3, 2019 format: 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计
TABLE3 = {
    "new_received": (20, 1, 0, 0, 0, 0, 21),
    "carried_over": (1, 0, 0, 0, 0, 0, 1),
    "granted": (12, 1, 0, 0, 0, 0, 13),
    "partially_granted": (3, 0, 0, 0, 0, 0, 3),
    "not_held": (4, 0, 0, 0, 0, 0, 4),
    "repeated": (1, 0, 0, 0, 0, 0, 1),
    "total_handled": (20, 1, 0, 0, 0, 0, 21),
    "carried_forward": (1, 0, 0, 0, 0, 0, 1),
}
TABLE4 = (1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)  # 行政复议 1 维持 1 总计; no lawsuits


def body() -> str:
    lay = layout_for("2019")
    t2, t3, t4 = lay.table2, lay.table3, lay.table4
    out = [
        "本报告根据《中华人民共和国政府信息公开条例》编制，统计期限为2019年1月1日至12月31日。",
        "一、总体情况 2019年，全镇围绕便民服务推进政务公开，主动公开政府信息860条，更新办事指南42项。",
        "二、主动公开政府信息情况",
    ]
    for block in t2.blocks:
        out.append(block.label + t2.header + "".join(c.label for c in block.columns))
        out.extend(t2.row(row).label + TABLE2[row] for row in block.rows)
    out.append("三、收到和处理政府信息公开申请情况" + t3.note + t3.applicant_header)
    out.append(t3.column("natural_person").label + t3.organisation_header + t3.column("total").label)
    out.append("".join(t3.column(key).label for key in t3.organisation_columns))
    group = None
    for row in t3.rows:
        if row.key == "granted":
            out.append(t3.outcomes_label)
        if row.block != group and row.block is not None:
            out.append(t3.block(row.block).label)
        group = row.block
        figures = TABLE3.get(row.key, (0,) * 7)
        out.append(row.label + "".join(map(str, figures)))
    out.append("四、政府信息公开行政复议、行政诉讼情况" + t4.reconsideration_label + t4.litigation_label)
    for block in t4.blocks:
        out.append(("" if block.parent is None else block.label) + "".join(c.label for c in t4.columns))
    out.append("".join(map(str, TABLE4)))
    out.append("五、存在的主要问题及改进情况 公开内容更新不够及时。下一步将建立月度检查制度。")
    out.append("六、其他需要报告的事项 2019年，本镇未收取信息处理费。")
    return "".join(out)


def main() -> None:
    head = (
        f"标题: {ORGAN}2019年政府信息公开工作年度报告\n"
        "发布时间: 2020-01-20 09:00\n"
        f"发布机构: {ORGAN}\n"
        "==================== 正文 ====================\n"
    )
    (HERE / "glued-stock-2019.txt").write_text(head + body() + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
