"""Conversions and crawler text (issue 17): PDF-to-Markdown tables, table 3 rows whose labels
were emitted as loose lines, glued table 2 rows decided by the prose or by last year's
report, and WPS-printed PDFs whose prose stands just above a table.

Fixtures (made up for the project, figures and layout of the quirks seen in real reports):
``tests/data/convert/`` and ``tests/data/pdf/wps-figures-2021.pdf``.
"""

from __future__ import annotations

import re
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import opengov
from expected_report import differences, load_expected
from opengov import Report, Severity
from opengov._cli import main
from opengov._readers import markdown
from opengov.layout import layout_for
from opengov.testing import reports

DATA = Path(__file__).resolve().parent / "data"
CONVERT = DATA / "convert"
PDF2MD = CONVERT / "pdf2md-2024.md"
LOOSE = CONVERT / "loose-labels-2024.md"
STOCK = CONVERT / "glued-stock-2024.txt"
STOCK_2019 = CONVERT / "glued-stock-2019.txt"
DAMAGED = CONVERT / "damaged-labels-2024.txt"
PROSE = CONVERT / "glued-prose-2024.txt"


def _codes(result: opengov.ParseResult, severity: Severity | None = None) -> list[str]:
    return [d.code for d in result.diagnostics if severity is None or d.severity is severity]


# ---------------------------------------------------------------------------------------
# Markdown made from a PDF
# ---------------------------------------------------------------------------------------


def test_pdf_to_markdown_conversion_reads_every_cell() -> None:
    """Trailing empty cells, a ``|---|`` row inside table 3, a page footer ``— 4 —`` and a
    blank line between two of its rows, a label broken by ``<br>``: every figure exact,
    nothing but notes."""
    result = opengov.read(PDF2MD)
    assert differences(result.report, load_expected(CONVERT / "pdf2md-2024.json")) == []
    assert [d for d in result.diagnostics if d.severity is not Severity.INFO] == []
    assert _codes(result).count("extra-empty-cells") == 2
    (footer,) = [d for d in result.diagnostics if d.code == "page-number"]
    assert "— 4 —" in footer.message
    assert footer.location.line == PDF2MD.read_text(encoding="utf-8").splitlines().index("— 4 —") + 1
    assert not any("---" in d.message for d in result.diagnostics)


def test_delimiter_row_inside_a_table_is_no_row() -> None:
    text = "| a | b |\n|---|---|\n| x | 1 |\n|---|---|\n| y | 2 |\n"
    (grid,) = markdown.read(text).grids()
    assert [[c.text for c in line] for line in grid.lines or ()] == [["a", "b"], ["x", "1"], ["y", "2"]]


def test_empty_cells_beyond_the_columns_are_dropped_and_noted() -> None:
    text = "| a | b | c |\n|---|---|---|\n| x | 1 | 2 | |\n| y | 3 | | |\n| z | 4 | |\n"
    document = markdown.read(text)
    (grid,) = document.grids()
    # beyond the 3 columns only; the empty cell inside the columns stays (a printed blank)
    assert [[c.text for c in line] for line in grid.lines or ()] == [
        ["a", "b", "c"],
        ["x", "1", "2"],
        ["y", "3", ""],
        ["z", "4", ""],
    ]
    (note,) = document.diagnostics
    assert note.code == "extra-empty-cells"
    assert note.message.startswith("2 rows")


def test_page_footer_between_rows_keeps_the_table() -> None:
    text = "| a | b |\n|---|---|\n| x | 1 |\n\n- 7 -\n\n| y | 2 |\n\nprose after\n"
    document = markdown.read(text)
    (grid,) = document.grids()
    assert [line[0].text for line in grid.lines or ()] == ["a", "x", "y"]
    assert grid.lines is not None
    assert grid.lines[2][0].location is not None
    assert grid.lines[2][0].location.line == 7
    texts = [p.text for p in document.paragraphs()]
    assert texts == ["- 7 -", "prose after"]
    assert [p.page_number for p in document.paragraphs()] == [True, False]


def test_blank_lines_between_rows_keep_the_table_unless_a_table_starts() -> None:
    """A page break in a converted PDF: rows go on after a blank line; a new header row (over
    its delimiter row) or prose ends the table."""
    text = "| a | b |\n|---|---|\n| x | 1 |\n\n| y | 2 |\n\n| c | d |\n|---|---|\n| z | 3 |\n\nprose\n"
    document = markdown.read(text)
    first, second = document.grids()
    assert [line[0].text for line in first.lines or ()] == ["a", "x", "y"]
    assert [line[0].text for line in second.lines or ()] == ["c", "z"]
    assert [p.text for p in document.paragraphs()] == ["prose"]


def test_line_breaks_inside_cells() -> None:
    text = "| a | b | c |\n|---|---|---|\n| 二、上年结转<br>申请数量 | 3<br/>0 | 1 <BR> |\n"
    (grid,) = markdown.read(text).grids()
    assert [c.text for c in (grid.lines or [[]])[1]] == ["二、上年结转申请数量", "3 0", "1"]


_CJK_PAIR = re.compile(r"(?<=[\u4e00-\u9fff])(?=[\u4e00-\u9fff])")


@st.composite
def _converted_markdown(draw: st.DrawFn) -> tuple[Report, str]:
    """A consistent report rendered as Markdown, then marked as PDF-to-Markdown converters
    mark tables: after drawn rows an empty cell beyond the columns, a repeated delimiter
    row, a page footer between blank lines or a blank line, and ``<br>`` inside drawn
    labels between two Chinese characters."""
    report = draw(reports())
    lines = opengov.render(report, to="markdown").splitlines()
    out: list[str] = []
    in_table = False
    for n, line in enumerate(lines):
        if not line.startswith("|"):
            in_table = False
            out.append(line)
            continue
        delimiter = n + 1 < len(lines) and lines[n + 1].startswith("|--")
        if delimiter or line.startswith("|--"):
            in_table = True
            out.append(line)
            continue
        label = _label_cell(line)
        gaps = [m.start() for m in _CJK_PAIR.finditer(label)]
        if label and gaps and draw(st.booleans()):
            at = draw(st.sampled_from(gaps))
            line = line.replace(label, label[:at] + "<br>" + label[at:], 1)
        if draw(st.booleans()):
            line += " |"
        out.append(line)
        last_row = n + 1 >= len(lines) or not lines[n + 1].startswith("|")
        if in_table and not last_row:
            noise = draw(st.sampled_from(["", "delimiter", "footer", "blank"]))
            if noise == "delimiter":
                out.append("|---|---|")
            elif noise == "footer":
                out += ["", f"— {draw(st.integers(1, 99))} —", ""]
            elif noise == "blank":
                out.append("")
    return report, "\n".join(out) + "\n"


@given(_converted_markdown())
def test_converter_marks_do_not_change_a_single_cell(case: tuple[Report, str]) -> None:
    report, text = case
    result = opengov.parse(text, form="markdown")
    clean = opengov.parse(opengov.render(report, to="markdown"), form="markdown")
    for cell in report.cells():
        assert result.report.cell(cell.table, cell.row, cell.column) == clean.report.cell(
            cell.table, cell.row, cell.column
        ), cell
    assert [d for d in result.diagnostics if d.severity is not Severity.INFO] == [
        d for d in clean.diagnostics if d.severity is not Severity.INFO
    ]


# ---------------------------------------------------------------------------------------
# Table 3 rows whose labels were emitted as loose lines
# ---------------------------------------------------------------------------------------


def test_rows_without_labels_placed_by_layout_order() -> None:
    result = opengov.read(LOOSE)
    assert differences(result.report, load_expected(CONVERT / "pdf2md-2024.json")) == []
    (note,) = [d for d in result.diagnostics if d.code == "rows-by-order"]
    assert note.severity is Severity.INFO
    assert "'1.本机关不掌握相关政府信息', '2.没有现成信息需要另行制作', '3.补正后申请内容仍不明确'" in note.message
    assert [d for d in result.diagnostics if d.severity is not Severity.INFO] == []


def test_rows_without_labels_left_unresolved_when_an_identity_fails() -> None:
    """The first row without a label printed 6 → 5 (its total 7 → 6): the row still adds
    up, but （七）总计 no longer does; nothing is placed and the warning says why."""
    printed, changed = "| | 6 | 1 | 0 | 0 | 0 | 0 | 7 |", "| | 5 | 1 | 0 | 0 | 0 | 0 | 6 |"
    text = LOOSE.read_text(encoding="utf-8").replace(printed, changed)
    result = opengov.parse(text)
    (why,) = [d for d in result.diagnostics if d.code == "rows-not-by-order"]
    assert why.severity is Severity.WARNING
    assert "identity t3-outcomes on total_handled/natural_person fails" in why.message
    assert _codes(result, Severity.ERROR).count("unknown-row") == 3
    table3 = result.report.table3
    assert table3 is not None
    for row in ("not_held", "needs_creation", "still_unclear"):
        assert getattr(table3, row).total is None


def test_rows_without_labels_not_placed_when_their_count_differs() -> None:
    """Two rows without a label for three rows not found: no placement is unique."""
    text = LOOSE.read_text(encoding="utf-8").replace("| | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n", "", 1)
    result = opengov.parse(text)
    (why,) = [d for d in result.diagnostics if d.code == "rows-not-by-order"]
    assert "2 rows without a label for 3 rows not found" in why.message
    assert result.report.table3 is not None
    assert result.report.table3.not_held.total is None


def _label_cell(line: str) -> str:
    return line.split("|")[1].strip()


@st.composite
def _loose_markdown(draw: st.DrawFn) -> tuple[Report, str, list[str]]:
    """A consistent report rendered as Markdown, then a drawn set of its table 3 rows
    printed without their label cell, their labels emitted as loose lines above the table
    in a drawn order."""
    report = draw(reports())
    text = opengov.render(report, to="markdown")
    lines = text.splitlines()
    t3 = layout_for(report.format).table3
    rows = [
        n
        for n, line in enumerate(lines)
        if line.startswith("|") and _label_cell(line).split("/")[-1] in {r.label for r in t3.rows}
    ]
    assert len(rows) == len(t3.rows)
    chosen = draw(st.lists(st.sampled_from(rows), unique=True, max_size=len(rows)))
    labels = []
    for n in chosen:
        label = _label_cell(lines[n])
        labels.append(label.split("/")[-1])
        lines[n] = lines[n].replace(label, " " * len(label), 1)
    order = draw(st.permutations(labels))
    header = min(n for n, line in enumerate(lines) if line.startswith("|") and n > rows[0] - 3)
    lines[header:header] = [*order, ""] if order else []
    return report, "\n".join(lines) + "\n", list(labels)


@given(_loose_markdown())
def test_rows_with_loose_labels_are_exact_or_unresolved(case: tuple[Report, str, list[str]]) -> None:
    report, text, loose = case
    result = opengov.parse(text, form="markdown")
    for cell in report.cells():
        got = result.report.cell(cell.table, cell.row, cell.column)
        assert got is None or got == cell.value, (cell, got)
    placed = [d for d in result.diagnostics if d.code == "rows-by-order"]
    refused = [d for d in result.diagnostics if d.code == "rows-not-by-order"]
    if not loose:
        assert not placed
        assert not refused
    else:
        assert len(placed) + len(refused) == 1
        if placed:  # then every cell of the table is there
            assert all(result.report.cell(c.table, c.row, c.column) is not None for c in report.cells())


# ---------------------------------------------------------------------------------------
# Glued table 2 rows: the prose, last year's report
# ---------------------------------------------------------------------------------------


def _previous(in_force: int, **fields: object) -> Report:
    """Last year's report for the glued-stock fixture: its table 2 stock of 行政规范性文件."""
    report = opengov.read(STOCK).report
    last = report.with_cell("table2", "normative_documents", "in_force", in_force)
    for name in ("issued", "repealed"):
        last = last.with_cell("table2", "normative_documents", name, 0)
    return attrs.evolve(last, **{"year": 2023, **fields})


def _stock(result: opengov.ParseResult) -> tuple[object, object, object]:
    return tuple(result.report.cell("table2", "normative_documents", c) for c in ("issued", "repealed", "in_force"))  # type: ignore[return-value]


def test_prose_that_leaves_several_readings_decides_nothing() -> None:
    """``4512380`` with the prose's 现行有效…380件: 45/12/380, 4/512/380 and 451/2/380 agree."""
    result = opengov.read(STOCK)
    assert _stock(result) == (None, None, None)
    (diag,) = [d for d in result.diagnostics if d.code == "ambiguous-row"]
    assert "3 readings agree with the prose (现行有效行政规范性文件380件)" in diag.message


def test_prose_decides_a_glued_row_as_evidence() -> None:
    result = opengov.read(PROSE)
    assert _stock(result) == (3, 2, 380)
    (diag,) = [d for d in result.diagnostics if "'行政规范性文件'" in d.message]
    assert diag.code == "recovered-row"
    assert diag.severity is Severity.WARNING
    assert "agrees with the prose (现行有效行政规范性文件380件)" in diag.message


def test_last_years_report_decides_a_glued_row() -> None:
    alone = opengov.read(STOCK)
    result = opengov.read(STOCK, previous=_previous(347))
    assert _stock(result) == (45, 12, 380)
    (diag,) = [d for d in result.diagnostics if "'行政规范性文件'" in d.message]
    assert diag.code == "recovered-row"
    assert diag.severity is Severity.INFO
    assert "last year's 现行有效件数 (347) + 本年制发件数 − 本年废止件数" in diag.message
    # nothing else changes
    for cell in alone.report.cells():
        if cell.table != "table2" or cell.row != "normative_documents":
            assert result.report.cell(cell.table, cell.row, cell.column) == cell.value


@pytest.mark.parametrize(
    ("fields", "why"),
    [
        ({"organ": "西岭县人民政府"}, "it is of '西岭县人民政府', not of '白沙湾新区'"),
        ({"year": 2021}, "it is of 2021, not of the year before 2024"),
    ],
)
def test_last_years_report_of_another_organ_or_year_is_not_used(fields: dict[str, object], why: str) -> None:
    result = opengov.read(STOCK, previous=_previous(347, **fields))
    assert _stock(result) == (None, None, None)
    (note,) = [d for d in result.diagnostics if d.code == "previous-report"]
    assert why in note.message


def test_last_years_stock_broken_by_the_printed_row_is_not_used() -> None:
    """规章 is printed 0/0/0 this year; last year's 规章 stock of 5 does not carry over to
    it, so the identity is not known to hold for this organ."""
    previous = _previous(347).with_cell("table2", "rules", "in_force", 5)
    text = STOCK.read_text(encoding="utf-8").replace("规章000", "规章 0 0 0")
    result = opengov.parse(text, previous=previous)
    assert _stock(result) == (None, None, None)
    (note,) = [d for d in result.diagnostics if d.code == "previous-report"]
    assert "does not carry over to this year's row 'rules'" in note.message


def _previous_2019(**cells: int) -> Report:
    """Last year's report for the 2019 glued-stock fixture: stock figures that carry over to
    every row printed this year (规范性文件 61 = 56 + 5, 行政处罚 7 = 6 + 1 …)."""
    last = attrs.evolve(opengov.read(STOCK_2019).report, year=2018)
    figures = {
        "rules.total_published": 38,
        "rules.new_made": 1,
        "rules.new_published": 1,
        "licensing.previous_count": 10,
        "licensing.change": 2,
        "licensing.decisions": 5,
        "normative_documents.total_published": 56,
        "other_services.previous_count": 4,
        "other_services.change": 0,
        "punishment.previous_count": 6,
        "punishment.change": 1,
        "enforcement.previous_count": 3,
        "enforcement.change": 0,
        "fees.previous_count": 2,
        "fees.change": 0,
    }
    for name, value in {**figures, **cells}.items():
        row, column = name.split(".")
        last = last.with_cell("table2", row, column, value)
    return last


def _glued_2019(result: opengov.ParseResult) -> tuple[object, ...]:
    return tuple(
        result.report.cell("table2", row, c)
        for row, columns in (
            ("rules", ("new_made", "new_published", "total_published")),
            ("licensing", ("previous_count", "change", "decisions")),
        )
        for c in columns
    )


def test_2019_glued_stock_rows_alone_stay_unresolved() -> None:
    """``规章2240`` and ``行政许可1237`` in a 2019 one-line text: three readings each, no
    identity of the tables decides: absent, with an error each."""
    result = opengov.read(STOCK_2019)
    assert _glued_2019(result) == (None,) * 6
    ambiguous = [d.message for d in result.diagnostics if d.code == "ambiguous-row"]
    assert len(ambiguous) == 2
    assert "'规章'" in ambiguous[0]
    assert "'行政许可'" in ambiguous[1]


def test_last_years_2019_report_decides_the_glued_rows() -> None:
    """The 2019 stock identities: 对外公开总数量 = last year's 38 + 本年新公开数量 decides
    2/2/40; 上一年项目数量 = last year's 10 + last year's 本年增/减 2 decides 12/3/7."""
    alone = opengov.read(STOCK_2019)
    result = opengov.read(STOCK_2019, previous=_previous_2019())
    assert _glued_2019(result) == (2, 2, 40, 12, 3, 7)
    notes = {
        d.message.split("'")[1]: d for d in result.diagnostics if d.code == "recovered-row" and "table2" in d.message
    }
    assert set(notes) == {"规章", "行政许可"}
    assert "last year's 对外公开总数量 (38) + 本年新公开数量" in notes["规章"].message
    assert "last year's 上一年项目数量 (10) + last year's 本年增/减 (2)" in notes["行政许可"].message
    assert all(n.severity is Severity.INFO for n in notes.values())
    for cell in alone.report.cells():
        if cell.table != "table2" or cell.row not in {"rules", "licensing"}:
            assert result.report.cell(cell.table, cell.row, cell.column) == cell.value


def test_last_years_2019_stock_broken_by_a_printed_row_is_not_used() -> None:
    """行政处罚 printed 7 this year, last year's 5 + 1 says 6: the stock identities are not
    known to hold for this organ, so they decide nothing."""
    result = opengov.read(STOCK_2019, previous=_previous_2019(**{"punishment.previous_count": 5}))
    assert _glued_2019(result) == (None,) * 6
    (note,) = [d for d in result.diagnostics if d.code == "previous-report"]
    assert "does not carry over to this year's row 'punishment'" in note.message


def test_last_years_report_of_the_other_format_is_not_used() -> None:
    result = opengov.read(STOCK, previous=_previous_2019())
    assert _stock(result) == (None, None, None)
    (note,) = [d for d in result.diagnostics if d.code == "previous-report"]
    assert "it is of the 2019 format, not of the 2021 format" in note.message


def test_damaged_labels_in_one_line_text_are_matched_by_their_ordinal() -> None:
    """The glued-stock report with three table 3 labels damaged (``3.危及三安全稳定``,
    ``4.保护第三方合法权``, ``1.本机关不掌握相关信息``) and one with a stray space: every cell
    read as from the undamaged text, each damaged label matched by its ordinal with an info."""
    plain, damaged = opengov.read(STOCK), opengov.read(DAMAGED)
    for cell in plain.report.cells():
        assert damaged.report.cell(cell.table, cell.row, cell.column) == cell.value, cell
    notes = [
        d.message.split(" printed as ")[1].split(":")[0] for d in damaged.diagnostics if d.code == "label-by-ordinal"
    ]
    assert notes == ["'3.危及三安全稳定'", "'4.保护第三方合法权'", "'1.本机关不掌握相关信息'"]
    assert _codes(damaged, Severity.ERROR) == _codes(plain, Severity.ERROR)


def test_previous_must_be_a_report() -> None:
    with pytest.raises(TypeError, match=r"previous must be an opengov\.Report"):
        opengov.parse(STOCK.read_text(encoding="utf-8"), previous="last-year.txt")  # type: ignore[arg-type]


def test_cli_check_previous_reads_the_glued_row(tmp_path: Path) -> None:
    last = tmp_path / "last.json"
    last.write_text(opengov.dumps(_previous(347)), encoding="utf-8")
    runner = CliRunner()
    without = runner.invoke(main, ["check", str(STOCK), "--format", "json"])
    with_previous = runner.invoke(main, ["check", str(STOCK), "--previous", str(last), "--format", "json"])
    assert without.exit_code in (0, 1)
    assert with_previous.exit_code in (0, 1)
    # without last year the stock row is undecided; with it, the 现行有效 identity is checked and holds
    assert re.search(r"normative_documents", without.stdout)
    assert "t2-stock" not in with_previous.stdout
    assert "normative_documents" not in with_previous.stdout


# ---------------------------------------------------------------------------------------
# WPS-printed PDFs: prose just above a table stays prose
# ---------------------------------------------------------------------------------------


def test_wps_prose_lines_with_figures_above_tables_stay_prose() -> None:
    """wps-figures-2021.pdf: shading behind every prose line, and under each table heading
    short prose lines that end in figures (``1.本年度新制发文件 3 件``); none is read as a row."""
    result = opengov.read(DATA / "pdf" / "wps-figures-2021.pdf")
    expected = opengov.loads((DATA / "pdf" / "wps-figures-2021.json").read_text(encoding="utf-8"))
    assert result.report.table2 == expected.table2
    assert result.report.table3 == expected.table3
    assert result.report.table4 == expected.table4
    assert [d for d in result.diagnostics if d.severity is not Severity.INFO] == []
    ignored = [d.message for d in result.diagnostics if d.code == "ignored-text"]
    assert sum("1.本年度新制发文件 3 件" in m for m in ignored) == 3
