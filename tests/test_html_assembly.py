"""The assembler on HTML pages and titles: titles in either order, the organ from a
signature or a sentence, and table 2 blocks whose header and data spans disagree.

Titles are checked through the whole ``opengov.parse`` of a rendered page (HTML and text)
whose title lines are replaced, so what is tested is what users get.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterable
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import opengov
from opengov import BLANK, Report
from opengov._codec import cell_text
from opengov.layout import REPORT_TITLE_SUFFIX, Format, layout_for
from opengov.testing import ORGANS, any_reports, reports

pytest.importorskip("lxml")

EXAMPLE = Path(__file__).resolve().parent / "data" / "zhapu-2023.txt"


@functools.cache
def _base() -> Report:
    """A real report (the reference example) without title or preamble."""
    report = opengov.read(EXAMPLE).report
    return attrs.evolve(report, title="", preamble=())


def _page(lines: Iterable[str], form: str, report: Report | None = None) -> str:
    """The base report rendered as ``form`` with ``lines`` printed before 一、总体情况."""
    report = report or _base()
    lines = list(lines)
    if form == "html":
        page = opengov.render(report, to="html")
        head = "".join(f"<p>{html.escape(line)}</p>\n" for line in lines)
        return page.replace("<body>\n", "<body>\n" + head, 1)
    return "".join(f"{line}\n\n" for line in lines) + opengov.render(report, to="text")


def _meta(lines: Iterable[str], form: str = "html", report: Report | None = None) -> tuple[str, int | None]:
    result = opengov.parse(_page(lines, form, report))
    return result.report.organ, result.report.year


# -- titles -------------------------------------------------------------------------------

REAL_LOOKING_TITLES = [
    ("2019年上海市人民政府办公厅政府信息公开工作年度报告", "上海市人民政府办公厅", 2019),
    ("上海市人民政府办公厅2019年政府信息公开工作年度报告", "上海市人民政府办公厅", 2019),
    ("上海市人民政府办公厅2019年度政府信息公开工作年度报告", "上海市人民政府办公厅", 2019),
    ("2020年度北京市海淀区人民政府政府信息公开工作年度报告", "北京市海淀区人民政府", 2020),
    ("淮安市人民政府2024 年政府信息公开工作年度报告", "淮安市人民政府", 2024),
    ("沭阳县人民政府 2025 年 政府信息公开工作年度报告", "沭阳县人民政府", 2025),
    ("2023 年 度 某某市生态环境局 政 府 信 息 公 开 工 作 年 度 报 告", "某某市生态环境局", 2023),
    ("浙江乍浦经济开发区（嘉兴港区）2023年度政府信息公开工作年度报告", "浙江乍浦经济开发区（嘉兴港区）", 2023),
    ("《广州市天河区2021年政府信息公开工作年度报告》", "广州市天河区", 2021),
    ("杭州市财政局2022年政府信息公开年度报告", "杭州市财政局", 2022),
    ("某某县某某镇人民政府2021年政府信息公开工作报告", "某某县某某镇人民政府", 2021),
    ("深圳市福田区教育局政府信息公开工作年度报告（2022年度）", "深圳市福田区教育局", 2022),
    ("国家税务总局某某市税务局2024年政府信息公开工作年报", "国家税务总局某某市税务局", 2024),
    ("标题：平潭综合实验区2023年度政府信息公开工作年度报告", "平潭综合实验区", 2023),
]


@pytest.mark.parametrize(("title", "organ", "year"), REAL_LOOKING_TITLES)
def test_real_looking_titles(title: str, organ: str, year: int) -> None:
    assert _meta([title]) == (organ, year)


@pytest.mark.parametrize(
    ("lines", "organ", "year"),
    [
        (["上海市人民政府办公厅", "2019年政府信息公开工作年度报告"], "上海市人民政府办公厅", 2019),
        (["2019年上海市人民政府办公厅", "政府信息公开工作年度报告"], "上海市人民政府办公厅", 2019),
        (["某某市生态环境局2022年度", "政府信息公开工作年度报告"], "某某市生态环境局", 2022),
    ],
)
def test_title_split_over_two_paragraphs(lines: list[str], organ: str, year: int) -> None:
    result = opengov.parse(_page(lines, "html"))
    assert (result.report.organ, result.report.year) == (organ, year)
    assert result.report.title == "".join(lines)
    # Neither half of the title is left in the preamble.
    assert result.report.preamble == ()


def test_an_organ_under_a_title_that_names_none() -> None:
    result = opengov.parse(_page(["2019年政府信息公开工作年度报告", "上海市人民政府办公厅"], "html"))
    assert (result.report.organ, result.report.year) == ("上海市人民政府办公厅", 2019)
    assert result.report.title == "2019年政府信息公开工作年度报告"
    assert result.report.preamble == ()


def test_a_breadcrumb_before_a_title_without_organ_is_not_the_organ() -> None:
    result = opengov.parse(_page(["首页>政务公开>年度报告", "2019年政府信息公开工作年度报告"], "html"))
    assert result.report.year == 2019
    assert result.report.organ == ""
    assert "missing-organ" in {d.code for d in result.diagnostics}


def test_organ_from_the_signature() -> None:
    report = attrs.evolve(_base(), other_matters=("无。", "上海市人民政府办公厅", "2020年1月31日"))
    result = opengov.parse(_page(["2019年政府信息公开工作年度报告"], "html", report))
    assert (result.report.organ, result.report.year) == ("上海市人民政府办公厅", 2019)
    found = [d for d in result.diagnostics if d.code == "organ-from-text"]
    assert len(found) == 1
    assert "signature" in found[0].message


@pytest.mark.parametrize(
    ("sentence", "organ"),
    [
        ("本报告由某某县人民政府办公室编制。", "某某县人民政府办公室"),
        ("某某市生态环境局根据《中华人民共和国政府信息公开条例》编制本报告。", "某某市生态环境局"),
        ("2019年，上海市人民政府办公厅坚持以习近平新时代中国特色社会主义思想为指导。", "上海市人民政府办公厅"),
    ],
)
def test_organ_from_a_preamble_sentence(sentence: str, organ: str) -> None:
    result = opengov.parse(_page(["2019年政府信息公开工作年度报告", sentence], "html"))
    assert (result.report.organ, result.report.year) == (organ, 2019)
    assert "organ-from-text" in {d.code for d in result.diagnostics}


def test_prose_that_is_not_an_organ_gives_none() -> None:
    result = opengov.parse(_page(["2019年政府信息公开工作年度报告", "本报告根据《条例》要求编制。"], "html"))
    assert result.report.organ == ""


_NAME_CHARS = st.sampled_from("上海市浦东新区黄浦静安徐汇长宁普陀虹口杨浦闵行宝山嘉定金山松江青浦奉贤崇明江苏南京")
_ENDINGS = st.sampled_from(["人民政府", "人民政府办公室", "生态环境局", "教育委员会", "街道办事处", "发展和改革委员会"])
_ORGANS = st.one_of(
    st.sampled_from(ORGANS), st.builds(lambda a, b: a + b, st.text(_NAME_CHARS, min_size=2, max_size=8), _ENDINGS)
)


@st.composite
def _titles(draw: st.DrawFn) -> tuple[list[str], str, int]:
    """Title lines in any of the printed forms, with the organ and year they name."""
    organ = draw(_ORGANS)
    year = draw(st.integers(2019, 2026))
    space = draw(st.sampled_from(["", " "]))
    nian = draw(st.sampled_from(["年", "年度"]))
    dated = f"{year}{space}{nian}{space}"
    order = draw(st.sampled_from(["organ-first", "year-first", "year-last"]))
    if order == "organ-first":
        parts = [organ, dated, REPORT_TITLE_SUFFIX]
    elif order == "year-first":
        parts = [dated, organ, REPORT_TITLE_SUFFIX]
    else:
        parts = [organ, REPORT_TITLE_SUFFIX, f"（{year}{nian}）"]
    cut = draw(st.sampled_from([0, 1, 2]))  # 0: one line; 1, 2: split after that part
    lines = ["".join(parts[:cut]), "".join(parts[cut:])] if cut else ["".join(parts)]
    return lines, organ, year


@given(_titles(), st.sampled_from(["html", "text"]))
def test_title_forms_give_organ_and_year(title: tuple[list[str], str, int], form: str) -> None:
    lines, organ, year = title
    assert _meta(lines, form) == (organ, year)


# -- table 2: header and data spans that disagree -------------------------------------------


def _misaligned_table2(report: Report) -> str:
    """Table 2 of a 2019 report printed as the Shanghai page prints it: five blocks of five
    grid columns; in （五）（六） the header spans 本年增/减 over two columns while each data
    row spans its *first* value over two."""
    lay = layout_for(Format.V2019)
    t2 = lay.table2
    rows = []
    for block in t2.blocks:
        n = len(block.columns)
        rows.append(f'<tr><td colspan="5">{block.label}</td></tr>')
        if n == 3:
            head = [(c.label, 2 if i == 1 else 1) for i, c in enumerate(block.columns)]
        else:
            head = [(c.label, 2) for c in block.columns]
        rows.append(
            "<tr><td>信息内容</td>" + "".join(f'<td colspan="{s}">{html.escape(t)}</td>' for t, s in head) + "</tr>"
        )
        for row in (t2.row(key) for key in block.rows):
            values = [cell_text(report.cell("table2", row.key, c.key)) for c in block.columns]
            if n == 3 and block.columns[1].key == "change":
                spans = [2, 1, 1]  # misaligned with the header's 1, 2, 1
            elif n == 3:
                spans = [1, 2, 1]
            else:
                spans = [2, 2]
            cells = "".join(
                f'<td colspan="{s}">{html.escape(v) or "&nbsp;"}</td>' for v, s in zip(values, spans, strict=True)
            )
            rows.append(f"<tr><td>{html.escape(row.label)}</td>{cells}</tr>")
    return '<table border="1">' + "\n".join(rows) + "</table>"


def _with_table2(report: Report, table: str) -> str:
    page = opengov.render(report, to="html")
    start = page.index('<table class="opengov" data-table="table2">')
    end = page.index("</table>", start) + len("</table>")
    return page[:start] + table + page[end:]


def _shanghai_like(report: Report) -> Report:
    """Non-zero, all-different table 2 figures: a positional reading would misplace them."""
    t2 = report.table2
    assert t2 is not None
    items = type(t2.licensing)
    return attrs.evolve(
        report,
        table2=attrs.evolve(
            t2,
            licensing=items(previous_count=120, change=-7, decisions=95),
            other_services=items(previous_count=31, change=4, decisions=28),
            punishment=items(previous_count=12, change=BLANK, decisions=9),
            enforcement=items(previous_count=5, change=2, decisions=3),
        ),
    )


@settings(max_examples=5)
@given(reports(format="2019"))
def test_misaligned_table2_is_read_by_distinct_cells(base: Report) -> None:
    report = _shanghai_like(base)
    result = opengov.parse(_with_table2(report, _misaligned_table2(report)))
    assert result.report.table2 == report.table2
    assert result.report.cell("table2", "licensing", "change") == -7
    assert not [d for d in result.diagnostics if d.code == "table2-by-position"]


@given(st.one_of(reports(format="2019"), any_reports(format="2019")))
def test_misaligned_table2_property(report: Report) -> None:
    result = opengov.parse(_with_table2(report, _misaligned_table2(report)))
    assert result.report.table2 == report.table2


@settings(max_examples=5)
@given(reports(format="2019"))
def test_table2_cells_that_do_not_pair_are_read_by_position(base: Report) -> None:
    """A data row printed with four cells under a header of three (本年增/减 split in two
    cells, the second left empty): read by the column under each header cell, said so."""
    report = _shanghai_like(base)
    table = _misaligned_table2(report).replace(
        '<td colspan="2">120</td><td colspan="1">-7</td>', "<td>120</td><td>-7</td><td>&nbsp;</td>"
    )
    assert "<td>&nbsp;</td>" in table
    result = opengov.parse(_with_table2(report, table))
    assert result.report.table2 == report.table2
    found = [d for d in result.diagnostics if d.code == "table2-by-position"]
    assert len(found) == 1
    assert found[0].severity is opengov.Severity.INFO
    assert found[0].location.table == 1
    assert found[0].location.row is not None


@settings(max_examples=5)
@given(reports(format="2019"))
def test_table2_two_printed_cells_under_one_header_cell_leave_the_row_unread(base: Report) -> None:
    """``7`` and ``-7`` both under 本年增/减: which one is its cell is not known, so the
    row is not read by position (that would keep ``7``, a wrong figure); its cells are
    absent, with an error naming all four."""
    report = _shanghai_like(base)
    table = _misaligned_table2(report).replace(
        '<td colspan="2">120</td><td colspan="1">-7</td>', "<td>120</td><td>7</td><td>-7</td>"
    )
    result = opengov.parse(_with_table2(report, table))
    assert not [d for d in result.diagnostics if d.code == "table2-by-position"]
    (found,) = [d for d in result.diagnostics if d.code == "wrong-cell-count"]
    assert found.severity is opengov.Severity.ERROR
    assert "('120', '7', '-7', '95')" in found.message
    assert found.location.table == 1
    assert [result.report.cell("table2", "licensing", c) for c in ("previous_count", "change", "decisions")] == [
        None,
        None,
        None,
    ]
    assert result.report.cell("table2", "other_services", "change") == 4
    with pytest.raises(opengov.ParseError):
        opengov.parse(_with_table2(report, table), strict=True)


@pytest.mark.samples
def test_real_page_blank_totals_are_blank(samples: Path) -> None:
    result = opengov.parse((samples / "shanghai-office-2019.html").read_bytes())
    assert result.report.cell("table3", "granted", "total") is BLANK
    assert re.fullmatch(r"\d+", cell_text(result.report.cell("table3", "granted", "natural_person")))
