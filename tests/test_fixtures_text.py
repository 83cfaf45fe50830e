"""The text quirks of the real samples, on the project's own fixtures (``tests/data/quirks``).

Each fixture has the figures and the layout quirks of one real sample and prose of its own;
its expected figures are beside it.  These tests need no real sample: they stand in for
the ``samples`` tests of test_parse, test_parse_recover and test_recover.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import opengov
from expected_report import differences, load_expected

DATA = Path(__file__).resolve().parent / "data"
QUIRKS = DATA / "quirks"


def _read(name: str) -> tuple[opengov.ParseResult, dict[str, object]]:
    return opengov.read(QUIRKS / name), load_expected(QUIRKS / (name.rsplit(".", 1)[0] + ".json"))


def _absent(found: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    """The cells of a comparison that were read absent (left unresolved), as (table, row, column)."""
    assert all(len(d) == 5 and d[3] == "<absent>" for d in found), [d for d in found if d[3] != "<absent>"]
    return [d[:3] for d in found]


# -- the reference example (a cell per TAB line) ------------------------------------------


def test_reference_text_gives_its_hand_read_figures() -> None:
    result = opengov.read(DATA / "zhapu-2023.txt")
    assert not result.errors, result.errors
    assert differences(result.report, load_expected(DATA / "zhapu-2023.json"), organ=True) == []


# -- OCR'd Markdown ------------------------------------------------------------------------


def test_ocr_markdown_gives_its_figures() -> None:
    """Table 3's header lost (placeholder tables), its rows under 数据1..数据6, the last rows
    of （六） under a wrong header, table 4 split in three tables: every figure is read."""
    result, expected = _read("ocr-2025.md")
    assert result.form == "markdown"
    assert not result.errors, result.errors
    assert differences(result.report, expected, organ=True) == []
    # the three placeholder tables standing for the lost table 3 header are skipped, saying so
    ignored = [d for d in result.diagnostics if d.code == "ignored-row"]
    assert [str(d.severity) for d in ignored] == ["info"] * 3
    assert [d.code for d in result.diagnostics] == ["ignored-row"] * 3
    assert all(d.location.line is not None for d in ignored)


def test_ocr_markdown_keeps_the_organ_as_printed() -> None:
    """The OCR read 沭 as 沐: the organ is kept as the document prints it, never guessed."""
    result, _ = _read("ocr-2025.md")
    assert result.report.organ == "沐西县人民政府"
    assert "沭" not in result.report.title
    assert result.report.year == 2025


def test_ocr_markdown_prose_survives_its_broken_headings() -> None:
    """Sentences promoted to ### headings and paragraphs cut by a blank line stay prose of
    their section; 六、 without its ## still starts a section."""
    result, _ = _read("ocr-2025.md")
    report = result.report
    assert len(report.overview) == 24
    assert "三是做实政策解读。" in report.overview
    assert report.problems[0].startswith("2025 年，我县政府信息公开工作取得了一定成效")
    assert report.other_matters[0].startswith("我县按照《政府信息公开信息处理费管理办法》")
    findings = opengov.check(result)
    assert [f for f in findings if str(f.severity) in ("error", "warning")] == []


# -- one-line crawler text -----------------------------------------------------------------


def test_one_line_2023_every_cell_but_one_row() -> None:
    """Separators lost everywhere: every row is recovered from the identities except
    行政规范性文件 ('77132470', 21 readings), left absent with a located error."""
    result, expected = _read("oneline-2023.txt")
    assert result.form == "text"
    found = differences(result.report, expected, organ=True)
    assert _absent(found) == [("table2", "normative_documents", c) for c in ("issued", "repealed", "in_force")]
    (ambiguous,) = [d for d in result.diagnostics if d.code == "ambiguous-row"]
    assert "'77132470'" in ambiguous.message
    assert "21 readings" in ambiguous.message
    assert (ambiguous.location.line, ambiguous.location.column) == (10, 679)
    assert [d.code for d in result.errors] == ["ambiguous-row"]
    codes = [d.code for d in result.diagnostics]
    assert codes.count("recovered-row") == 27  # 规章, 25 table 3 rows, table 4's 15 digits
    assert sum(1 for c in result.report.cells() if c.value is not None) == 197  # of 200


def test_one_line_2023_table4_is_a_bare_run_and_the_fee_keeps_six_decimals() -> None:
    result, _ = _read("oneline-2023.txt")
    (table4,) = [d for d in result.diagnostics if d.code == "recovered-row" and d.message.startswith("table4")]
    assert "'110024001510102'" in table4.message
    assert "1/1/0/0/2/4/0/0/1/5/1/0/1/0/2" in table4.message
    fee = result.report.cell("table2", "fees", "amount")
    assert fee == opengov.Amount(value=Decimal("5949.088667"), unit=None)
    assert str(fee) == "5949.088667"


def test_one_line_2023_prose_contradicts_table2_once_the_row_is_known() -> None:
    """The overview's 现行有效行政规范性文件393件 against table 2's 470: nothing is said while
    the row is unresolved; with the hand-read row, prose-documents names the cell."""
    result, _ = _read("oneline-2023.txt")
    assert [f.rule for f in opengov.check(result) if f.rule.startswith("prose")] == []
    known = result.report
    for column, value in zip(("issued", "repealed", "in_force"), (77, 132, 470), strict=True):
        known = known.with_cell("table2", "normative_documents", column, value)
    (finding,) = [f for f in opengov.check(known) if f.rule.startswith("prose")]
    assert (finding.rule, finding.key, finding.printed, finding.expected) == (
        "prose-documents",
        ("table2", "normative_documents", "in_force"),
        470,
        393,
    )


def test_one_line_2020_every_cell_but_six_table2_rows() -> None:
    """Irregular spaces inside the runs ('200 000121') and glued signed values
    ('2648-18538'): table 3 and table 4 come out whole; six table 2 rows stay ambiguous."""
    result, expected = _read("oneline-2020.txt")
    found = differences(result.report, expected, organ=True)
    ambiguous_rows = ["normative_documents", "licensing", "other_services", "punishment", "enforcement", "procurement"]
    absent = _absent(found)
    assert len(absent) == 17  # five rows of 3 cells, procurement's 2
    assert sorted({k[1] for k in absent}) == sorted(ambiguous_rows)
    assert {k[0] for k in absent} == {"table2"}
    assert [d.code for d in result.errors] == ["ambiguous-row"] * 6
    assert [d.code for d in result.diagnostics].count("recovered-row") == 25
    spaced = next(d for d in result.diagnostics if "'200 000121'" in d.message)
    assert "read as 20/0/0/0/0/1/21" in spaced.message
    glued = next(d for d in result.diagnostics if "'2648-18538'" in d.message)
    assert glued.code == "ambiguous-row"
    assert "4 readings" in glued.message
    assert "2648/-18/538" in glued.message  # the printed reading is among them


def test_one_line_2020_real_inconsistency_comes_out_as_printed() -> None:
    """（七）总计 does not equal the sum of the outcome rows in the document itself: the rows
    are read as printed and the checks say where."""
    result, _ = _read("oneline-2020.txt")
    findings = opengov.check(result)
    t3 = [(f.row, f.column, f.printed, f.expected) for f in findings if f.rule == "t3-outcomes"]
    assert t3 == [("total_handled", "natural_person", 20, 26), ("total_handled", "total", 21, 27)]
    others = [f for f in findings if f.rule != "t3-outcomes" and str(f.severity) == "error"]
    assert {f.rule for f in others} == {"structure"}
    assert sorted(str(f.row) for f in others) == sorted(
        ["normative_documents", "licensing", "other_services", "punishment", "enforcement", "procurement"]
    )


@pytest.mark.parametrize("name", ["oneline-2020.txt", "oneline-2023.txt"])
def test_one_line_recovery_diagnostics_are_located(name: str) -> None:
    result, _ = _read(name)
    recovery = [d for d in result.diagnostics if d.code in ("recovered-row", "ambiguous-row")]
    assert recovery
    assert all(d.location.line == 10 and d.location.column is not None for d in recovery)


# -- none of them is taken for HTML --------------------------------------------------------


@pytest.mark.parametrize("name", ["oneline-2020.txt", "oneline-2023.txt", "ocr-2025.md"])
def test_text_fixtures_are_not_read_as_html(name: str) -> None:
    assert opengov.read(QUIRKS / name).form in ("text", "markdown")
    assert opengov.parse((DATA / "zhapu-2023.txt").read_text(encoding="utf-8")).form == "text"
