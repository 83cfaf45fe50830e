"""A figure a PDF prints across a table's ruling line — its digits on both sides of a cell's
side, one digit on the line, or the figure drawn just beside the table — is left unread
(``unreadable-cell``, warning ``pdf-cut-figure``), never read in part: LibreOffice prints a
Word file whose report sits in a frame table with its tables shifted against the frame,
``37`` in the total column read as ``3``, a ``1`` on the right side read as a blank."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import opengov
from opengov._model import cell_values
from opengov._readers import pdf
from opengov._readers._pdfium import Char

pytest.importorskip("pypdfium2")

DATA = Path(__file__).resolve().parent / "data" / "pdf"
SIZE = 10.0
DIGIT = 6.0  # a digit's width at SIZE


def _cells(report: opengov.Report) -> dict[object, object]:
    return {spec.key: value for spec, value in cell_values(report)}


def test_the_framed_libreoffice_pdf_reads_no_figure_wrong() -> None:
    expected = _cells(opengov.loads((DATA / "libreoffice-framed-2021.json").read_text(encoding="utf-8")))
    result = opengov.read(DATA / "libreoffice-framed-2021.pdf")
    got = _cells(result.report)
    wrong = {k: (v, got[k]) for k, v in expected.items() if got.get(k) is not None and got[k] != v}
    assert wrong == {}
    assert sum(1 for k, v in expected.items() if got.get(k) == v) >= 170
    [cut] = [d for d in result.diagnostics if d.code == "pdf-cut-figure"]
    assert cut.severity is opengov.Severity.WARNING
    assert cut.location.page is not None
    assert any(d.code == "unreadable-cell" for d in result.diagnostics)


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.glob("*.pdf") if "framed" not in p.name))
def test_no_other_test_pdf_has_a_cut_figure(name: str) -> None:
    result = opengov.read(DATA / name)
    assert "pdf-cut-figure" not in {d.code for d in result.diagnostics}


def _grid(widths: list[int], rows: int) -> pdf._FoundTable:
    xs = [50.0]
    for w in widths:
        xs.append(xs[-1] + w)
    ys = [100.0 + 20 * j for j in range(rows + 1)]
    squares = {(i, j): j * len(widths) + i for i in range(len(widths)) for j in range(rows)}
    boxes = tuple((xs[i], ys[j], xs[i + 1], ys[j + 1]) for j in range(rows) for i in range(len(widths)))
    return pdf._FoundTable(cells=boxes, xs=tuple(xs), ys=tuple(ys), squares=squares)


def _figure(text: str, x0: float, top: float) -> list[Char]:
    return [Char(ch, x0 + k * DIGIT, x0 + (k + 1) * DIGIT, top, top + SIZE, SIZE, False) for k, ch in enumerate(text)]


@st.composite
def _tables(draw: st.DrawFn) -> tuple[pdf._FoundTable, list[tuple[int, int, str]]]:
    widths = draw(st.lists(st.integers(30, 60), min_size=1, max_size=6))
    rows = draw(st.integers(1, 4))
    figures = [
        (i, j, draw(st.from_regex(r"[0-9]{1,3}", fullmatch=True))) for j in range(rows) for i in range(len(widths))
    ]
    return _grid(widths, rows), figures


def _centred(table: pdf._FoundTable, figures: list[tuple[int, int, str]]) -> list[Char]:
    chars: list[Char] = []
    for i, j, text in figures:
        x0, x1 = table.xs[i], table.xs[i + 1]
        chars += _figure(text, (x0 + x1 - DIGIT * len(text)) / 2, table.ys[j] + 5)
    return chars


@given(_tables())
def test_figures_inside_their_cells_are_never_cut(drawn: tuple[pdf._FoundTable, list[tuple[int, int, str]]]) -> None:
    table, figures = drawn
    assert pdf._cut_figures(table, _centred(table, figures)) == []


@given(_tables(), st.data())
def test_a_figure_moved_across_a_side_is_cut(
    drawn: tuple[pdf._FoundTable, list[tuple[int, int, str]]], data: st.DataObject
) -> None:
    """One figure of the grid moved so that a cell's side passes between two of its digits,
    through one of them, or so that it stands just past the table's side: its cell is
    named (and the cell across the line, when there is one)."""
    table, figures = drawn
    n = data.draw(st.integers(0, len(figures) - 1))
    i, j, text = figures[n]
    right = table.xs[i + 1]
    how = data.draw(st.sampled_from(["between", "through", "beside"] if len(text) > 1 else ["through", "beside"]))
    if how == "between":
        k = data.draw(st.integers(1, len(text) - 1))  # the side between digit k-1 and k
        x0 = right - k * DIGIT
    elif how == "through":
        k = data.draw(st.integers(0, len(text) - 1))
        x0 = right - k * DIGIT - DIGIT / 2  # the side through the middle of digit k
    else:
        if i + 1 != len(table.xs) - 1:
            return  # only the last column's figure can stand beside the table
        x0 = right + 1.0
    others = [f for m, f in enumerate(figures) if m != n]
    chars = _centred(table, others) + _figure(text, x0, table.ys[j] + 5)
    cut = pdf._cut_figures(table, chars)
    cell = table.squares[(i, j)]
    assert cut, (how, text)
    assert all(cell in sides for _, sides in cut)
