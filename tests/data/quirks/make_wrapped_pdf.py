"""Make ``wrapped-2024.pdf`` in this folder: ``python tests/data/quirks/make_wrapped_pdf.py``.

A 2021-format report printed the way a real one came out of Word (the real sample
``huaian-2024.pdf`` has these quirks; the figures are that sample's, the prose and the organ
are the project's own):

* ruled tables whose text layer has the cells of a row separated by spaces only;
* labels wrapped over several lines inside their cells (``（二）部分公开（区分处理的，只计这一情``
  / ``形，不计其他情形）``), the outcome label ``三、本年度办理结果`` printed one character a line;
* the sub-rows of （六） numbered ``1、`` ``2、`` ``3、`` instead of ``1.``;
* header words broken and spread over the width of narrow cells (``商 业 企`` / ``业``);
* table 2 and table 3 running over a page break, the group label ``（四）无法提供`` cut by it
  (``（四）无`` at the foot of one page, ``法提供`` at the head of the next);
* a page-number line ``- N -`` at the foot of every page; a title over two lines with an
  autospace gap between ``2024`` and ``年``; paragraphs running over page breaks.

Needs reportlab.  The CJK text uses reportlab's built-in ``STSong-Light`` CID font and the
figures of table 4 ``Times-Roman``, so no font file is needed.  ``invariant=1`` makes the
bytes the same on every run.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

HERE = Path(__file__).resolve().parent
OUT = HERE / "wrapped-2024.pdf"

FONT = "STSong-Light"
LATIN = "Times-Roman"
PAGE_W, PAGE_H = 595.0, 842.0
LEFT, RIGHT, TOP, BOTTOM = 72.0, 523.0, 72.0, 770.0
BODY = 16.0
LEADING = 28.0
CELL = 7.5
CELL_LEADING = 12.0
NO_LINE_START = "、，。；：）」》”"

Cell = tuple[int, int, int, int, str]  # row, col, rowspan, colspan, text

ORGAN = "淮川市人民政府"
TITLE = (ORGAN, ("2024", "年政府信息公开工作年度报告"))
PREAMBLE = [
    f"本报告由{ORGAN}办公室依照《中华人民共和国政府信息公开条例》（以下简称《条例》）编写，"
    "统计期限为2024年1月1日至2024年12月31日。对本报告如有疑问，请与市政府办公室联系"
    "（电话：0000-0000000，电子邮箱：example@example.org）。",
]
OVERVIEW = [
    "2024年，我市按照上级关于政务公开的工作部署，以公开促落实、以公开优服务，坚持依法公开、"
    "主动公开、及时公开，完成了全年各项工作任务。",
    "（一）主动公开情况。2024年，市政府网站主动公开政府信息5300余条，新增公开市政府规章1件、"
    "市政府及市政府办公室政策性文件11件，以图文等形式发布政策解读20个，编印《淮川市人民政府公报》"
    "6期。围绕稳就业、优环境、惠民生等主题组织新闻发布会12场，及时回应社会关切。",
    "（二）依申请公开情况。加强与申请人的沟通，准确把握申请人的实际需求，提高答复的针对性。"
    "2024年，全市共受理政府信息公开申请3119件，答复3050件（含上年度结转申请34件，另有103件"
    "顺延到下年度答复），均在法定期限内答复。政府信息公开行政复议351件，其中结果维持72件，"
    "结果纠正64件，其他结果178件，尚未审结37件；政府信息公开行政诉讼46件，其中结果维持25件，"
    "结果纠正5件，其他结果9件，尚未审结7件。",
    "（三）政府信息管理情况。坚持“先审查、后公开”和“一事一审”，落实公开属性源头认定机制，"
    "定期梳理已公开的政府信息，及时更新主动公开目录，方便群众查找和使用。",
    "（四）政府信息公开平台建设情况。持续优化政府网站栏目设置，整合政策文件、办事服务等内容；"
    "加强政务新媒体管理，对更新不及时、互动不回应、表述不规范等问题开展专项检查，督促限期整改。"
    "截至年底，全市在运维政务新媒体共计90个，各季度检查合格率均为100%。",
    "（五）政府信息公开监督保障情况。按季度开展政府信息公开栏目检查，向各县区、各部门反馈评估"
    "结果；组织业务培训，提高政务公开工作人员的业务能力。",
]
PROBLEMS = [
    "对照上级要求和群众期待，我市政府信息公开工作还存在一些不足：一是个别单位政策解读的形式"
    "较为单一；二是部分单位政务公开工作人员变动较多，业务衔接不够顺畅。",
    "下一步，我市将丰富政策解读形式，推出更多图解、视频类解读产品；加强业务培训和工作指导，"
    "建立新上岗人员帮带机制，提升政务公开队伍的整体水平。",
]
OTHER = ["2024年，市政府按照《政府信息公开信息处理费管理办法》收取政府信息公开信息处理费3940元。"]

T2 = [
    (
        "第二十条第（一）项",
        ("本年制发件数", "本年废止件数", "现行有效件数"),
        [("规章", ("1", "0", "11")), ("行政规范性文件", ("8", "26", "66"))],
    ),
    ("第二十条第（五）项", ("本年处理决定数量",), [("行政许可", ("447228",))]),
    ("第二十条第（六）项", ("本年处理决定数量",), [("行政处罚", ("3985758",)), ("行政强制", ("88283",))]),
    ("第二十条第（八）项", ("本年收费金额（单位：万元）",), [("行政事业性收费", ("96171.6",))]),
]
T3_HEAD = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
T3: list[tuple[str | None, str, tuple[int, ...]]] = [
    (None, "一、本年新收政府信息公开申请数量", (3001, 53, 0, 0, 61, 4, 3119)),
    (None, "二、上年结转政府信息公开申请数量", (34, 0, 0, 0, 0, 0, 34)),
    ("", "（一）予以公开", (1288, 21, 0, 0, 50, 3, 1362)),
    ("", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", (447, 7, 0, 0, 0, 0, 454)),
    ("（三）不予公开", "1.属于国家秘密", (2, 0, 0, 0, 0, 0, 2)),
    ("（三）不予公开", "2.其他法律行政法规禁止公开", (30, 1, 0, 0, 0, 0, 31)),
    ("（三）不予公开", "3.危及“三安全一稳定”", (5, 0, 0, 0, 0, 0, 5)),
    ("（三）不予公开", "4.保护第三方合法权益", (6, 0, 0, 0, 0, 0, 6)),
    ("（三）不予公开", "5.属于三类内部事务信息", (7, 1, 0, 0, 0, 0, 8)),
    ("（三）不予公开", "6.属于四类过程性信息", (12, 0, 0, 0, 0, 0, 12)),
    ("（三）不予公开", "7.属于行政执法案卷", (9, 0, 0, 0, 0, 0, 9)),
    ("（三）不予公开", "8.属于行政查询事项", (105, 0, 0, 0, 0, 0, 105)),
    ("（四）无法提供", "1.本机关不掌握相关政府信息", (746, 12, 0, 0, 10, 1, 769)),
    ("（四）无法提供", "2.没有现成信息需要另行制作", (11, 0, 0, 0, 0, 0, 11)),
    ("（四）无法提供", "3.补正后申请内容仍不明确", (1, 0, 0, 0, 0, 0, 1)),
    ("（五）不予处理", "1.信访举报投诉类申请", (56, 6, 0, 0, 0, 0, 62)),
    ("（五）不予处理", "2.重复申请", (25, 0, 0, 0, 0, 0, 25)),
    ("（五）不予处理", "3.要求提供公开出版物", (0, 0, 0, 0, 0, 0, 0)),
    ("（五）不予处理", "4.无正当理由大量反复申请", (0, 0, 0, 0, 0, 0, 0)),
    ("（五）不予处理", "5.要求行政机关确认或重新出具已获取信息", (1, 0, 0, 0, 0, 0, 1)),
    ("（六）其他处理", "1、申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", (67, 3, 0, 0, 1, 0, 71)),
    (
        "（六）其他处理",
        "2、申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        (6, 0, 0, 0, 0, 0, 6),
    ),
    ("（六）其他处理", "3、其他", (108, 2, 0, 0, 0, 0, 110)),
    ("", "（七）总计", (2932, 53, 0, 0, 61, 4, 3050)),
    (None, "四、结转下年度继续办理", (103, 0, 0, 0, 0, 0, 103)),
]
T4 = (72, 64, 178, 37, 351, 13, 4, 8, 1, 26, 12, 1, 1, 6, 20)
T4_HEAD = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


def table2_cells() -> list[Cell]:
    cells: list[Cell] = []
    r = 0
    for heading, columns, rows in T2:
        cells.append((r, 0, 1, 4, heading.replace("条第", "条 第")))
        cells.append((r + 1, 0, 1, 1, "信息内容"))
        for i, column in enumerate(columns):
            cells.append((r + 1, 1 + i, 1, 1 if len(columns) == 3 else 3, column))
        r += 2
        for label, values in rows:
            cells.append((r, 0, 1, 1, label))
            for i, value in enumerate(values):
                cells.append((r, 1 + i, 1, 1 if len(values) == 3 else 3, value))
            r += 1
    return cells


def table3_cells() -> list[Cell]:
    cells: list[Cell] = [
        (0, 0, 3, 3, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"),
        (0, 3, 1, 7, "申请人情况"),
        (1, 3, 2, 1, T3_HEAD[0]),
        (1, 4, 1, 5, "法人或其他组织"),
        (1, 9, 2, 1, T3_HEAD[-1]),
    ]
    cells += [(2, 4 + i, 1, 1, text) for i, text in enumerate(T3_HEAD[1:-1])]
    outcomes = [i for i, (group, _, _) in enumerate(T3) if group is not None]
    cells.append((3 + outcomes[0], 0, len(outcomes), 1, "三、本年度办理结果"))
    seen: dict[str, int] = {}
    for i, (group, label, values) in enumerate(T3):
        r = 3 + i
        if group is None:
            cells.append((r, 0, 1, 3, label))
        elif group == "":
            cells.append((r, 1, 1, 2, label))
        else:
            if group not in seen:
                seen[group] = r
                cells.append((r, 1, sum(1 for g, _, _ in T3 if g == group), 1, group))
            cells.append((r, 2, 1, 1, label))
        cells += [(r, 3 + c, 1, 1, str(v)) for c, v in enumerate(values)]
    return cells


def table4_cells() -> list[Cell]:
    cells: list[Cell] = [
        (0, 0, 1, 5, "行政复议"),
        (0, 5, 1, 10, "行政诉讼"),
        (1, 5, 1, 5, "未经复议直接起诉"),
        (1, 10, 1, 5, "复议后起诉"),
    ]
    cells += [(1, i, 2, 1, text) for i, text in enumerate(T4_HEAD)]
    cells += [(2, 5 + b * 5 + i, 1, 1, text) for b in range(2) for i, text in enumerate(T4_HEAD)]
    cells += [(3, i, 1, 1, str(v)) for i, v in enumerate(T4)]
    return cells


def width(text: str, size: float, font: str = FONT) -> float:
    return float(pdfmetrics.stringWidth(text, font, size))


def wrap(text: str, room: float, size: float) -> list[str]:
    """``text`` cut into lines no wider than ``room``; a closing mark never starts a line."""
    lines = [""]
    for char in text:
        if lines[-1] and width(lines[-1] + char, size) > room and char not in NO_LINE_START:
            lines.append("")
        lines[-1] += char
    return lines


class Writer:
    def __init__(self, path: Path, borders: bool = True) -> None:
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        self.borders = borders
        self.canvas = canvas.Canvas(str(path), pagesize=(PAGE_W, PAGE_H), invariant=1)
        self.page = 1
        self.y = TOP

    def new_page(self) -> None:
        self.canvas.setFont(LATIN, 13)
        self.canvas.drawString(497.0, PAGE_H - 806.0, f"- {self.page} -")
        self.canvas.showPage()
        self.page += 1
        self.y = TOP

    def room_for(self, height: float) -> None:
        if self.y + height > BOTTOM:
            self.new_page()

    def runs(self, runs: tuple[str, ...], size: float, centre: bool) -> None:
        """One line of runs, an autospace gap of a quarter em between CJK and ASCII runs."""
        gap = 0.25 * size
        total = sum(width(run, size) for run in runs) + gap * (len(runs) - 1)
        x = (PAGE_W - total) / 2 if centre else LEFT
        self.room_for(size * 1.3)
        self.canvas.setFont(FONT, size)
        for run in runs:
            self.canvas.drawString(x, PAGE_H - self.y - size, run)
            x += width(run, size) + gap
        self.y += size * 1.3

    def heading(self, text: str) -> None:
        self.room_for(LEADING)
        self.canvas.setFont(FONT, BODY)
        self.canvas.drawString(LEFT + 2 * BODY, PAGE_H - self.y - BODY, text)
        self.y += LEADING

    def paragraph(self, text: str) -> None:
        first = wrap(text, RIGHT - LEFT - 2 * BODY, BODY)[0]
        lines = [first, *(line for line in wrap(text[len(first) :], RIGHT - LEFT, BODY) if line)]
        for i, line in enumerate(lines):
            self.room_for(LEADING)
            self.canvas.setFont(FONT, BODY)
            self.canvas.drawString(LEFT + (2 * BODY if i == 0 else 0), PAGE_H - self.y - BODY, line)
            self.y += LEADING

    def table(
        self,
        cells: list[Cell],
        widths: list[float],
        *,
        breaks: tuple[int, ...] = (),
        justify: frozenset[int] = frozenset(),
        figures: tuple[str, float] = (FONT, CELL),
    ) -> None:
        """A ruled table; a new page before each row in ``breaks`` (and only there: a row
        that does not fit elsewhere is an error of this script).  The cells of the rows in
        ``justify`` are header cells with a wide margin whose lines but the last are spread
        over the cell's width (``商 业 企`` / ``业``); the figures of the last row are printed
        in ``figures`` (font, size)."""
        xs = [LEFT]
        for w in widths:
            xs.append(xs[-1] + w)
        n_rows = max(r + rs for r, _, rs, _, _ in cells)
        fonts = {cell: figures if cell[0] == n_rows - 1 and cell[4].isdigit() else (FONT, CELL) for cell in cells}
        margin = {cell: 8.0 if cell[0] in justify else 4.0 for cell in cells}
        texts = {
            cell: wrap(cell[4], xs[cell[1] + cell[3]] - xs[cell[1]] - margin[cell], fonts[cell][1]) for cell in cells
        }
        heights = [CELL_LEADING + 12.0] * n_rows
        for cell in sorted(cells, key=lambda c: c[2]):
            r, _, rs, _, _ = cell
            need = len(texts[cell]) * CELL_LEADING + 12.0
            if need > sum(heights[r : r + rs]):
                heights[r + rs - 1] += need - sum(heights[r : r + rs])
        page, y = self.page, self.y + 4
        tops: dict[int, tuple[int, float]] = {}
        for r in range(n_rows):
            if r in breaks or y + heights[r] > BOTTOM:
                assert r in breaks, f"row {r} does not fit on page {page}: move the break"
                page, y = page + 1, TOP
            tops[r] = (page, y)
            y += heights[r]
        self.canvas.setLineWidth(0.5)
        for piece in sorted({p for p, _ in tops.values()}):
            while self.page < piece:
                self.new_page()
            rows = [r for r in range(n_rows) if tops[r][0] == piece]
            self.piece(cells, xs, heights, {r: tops[r][1] for r in range(n_rows)}, rows, texts, fonts, margin, justify)
        self.y = y + 10

    def piece(
        self,
        cells: list[Cell],
        xs: list[float],
        heights: list[float],
        tops: dict[int, float],
        rows: list[int],
        texts: dict[Cell, list[str]],
        fonts: dict[Cell, tuple[str, float]],
        margin: dict[Cell, float],
        justify: frozenset[int],
    ) -> None:
        """The part of a table on one page: the rows ``rows``; a cell cut by the page break
        keeps the lines that fit on the first page and continues on the next, as Word prints."""
        first, last = rows[0], rows[-1]
        for cell in cells:
            r, c, rs, cs, _ = cell
            shown = [row for row in range(r, r + rs) if first <= row <= last]
            if not shown:
                continue
            x0, x1 = xs[c], xs[c + cs]
            top, bottom = tops[shown[0]], tops[shown[-1]] + heights[shown[-1]]
            if self.borders:
                for x in (x0, x1):
                    self.canvas.line(x, PAGE_H - top, x, PAGE_H - bottom)
                self.canvas.line(x0, PAGE_H - top, x1, PAGE_H - top)
                self.canvas.line(x0, PAGE_H - bottom, x1, PAGE_H - bottom)
            lines = texts[cell]
            cut = len(shown) < rs
            if cut and r < first:  # the continuation: the lines that did not fit before
                before = sum(heights[row] for row in range(r, first))
                lines = lines[int((before - 6.0) // CELL_LEADING) :]
            elif cut:
                lines = lines[: max(1, int((bottom - top - 6.0) // CELL_LEADING))]
            y = top + 6.0 if cut else top + max(6.0, (bottom - top - len(lines) * CELL_LEADING) / 2)
            font, size = fonts[cell]
            self.canvas.setFont(font, size)
            left = x0 + margin[cell] / 2
            for i, line in enumerate(lines):
                baseline = PAGE_H - y - size - i * CELL_LEADING
                if r in justify and i < len(lines) - 1 and len(line) > 1:
                    step = ((x1 - x0 - margin[cell]) - width(line, size, font)) / (len(line) - 1)
                    x = left
                    for char in line:
                        self.canvas.drawString(x, baseline, char)
                        x += width(char, size, font) + step
                else:
                    self.canvas.drawString(left, baseline, line)


def build(path: Path = OUT, borders: bool = True) -> None:
    """Print the report to ``path`` (``borders=False``: the same text, tables without ruling lines)."""
    w = Writer(path, borders)
    w.y = 150.0
    w.runs((TITLE[0],), 22.0, centre=True)
    w.runs(TITLE[1], 22.0, centre=True)
    w.y += 40
    for text in PREAMBLE:
        w.paragraph(text)
    w.heading("一、总体情况")
    for text in OVERVIEW:
        w.paragraph(text)
    w.heading("二、主动公开政府信息情况")
    w.table(table2_cells(), [171.0, 92.0, 92.0, 96.0], breaks=(8,))
    w.heading("三、收到和处理政府信息公开申请情况")
    w.table(
        table3_cells(),
        [18.0, 42.0, 120.0, 34.0, 37.0, 34.0, 46.0, 47.0, 37.0, 36.0],
        breaks=(16,),
        justify=frozenset({2}),
    )
    w.heading("四、政府信息公开行政复议、行政诉讼情况")
    w.table(table4_cells(), [30.0] * 14 + [31.0], justify=frozenset({1, 2}), figures=(LATIN, 11.0))
    w.heading("五、存在的主要问题及改进情况")
    for text in PROBLEMS:
        w.paragraph(text)
    w.heading("六、其他需要报告的事项")
    for text in OTHER:
        w.paragraph(text)
    w.new_page()
    w.canvas.save()


if __name__ == "__main__":
    build()
    print(OUT)
