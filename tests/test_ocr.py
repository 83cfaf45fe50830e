"""Scans read by OCR (the extra opengov[ocr]): marked ``ocr``, deselected by default (run
them with ``python -m pytest -m ocr``; CI does).

Nothing is committed as an image: the project's own generated PDFs (``tests/data/pdf``) and,
with the samples, ``huaian-2024.pdf`` are rendered at test time and made to look scanned
(``tests/data/ocr/make_scans.py``: noise, a skew of 1–2°, a red seal over a table corner, a
figure altered in print).  The figures are compared with the reports the PDFs were printed
from, cell by cell: every figure must be exact or absent (with a diagnostic), never wrong.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import opengov
from opengov import ParseError, Report, layout
from opengov._limits import Limits

pytestmark = pytest.mark.ocr

for _module in ("numpy", "cv2", "PIL", "onnxruntime", "rapidocr_onnxruntime", "pypdfium2"):
    pytest.importorskip(_module, reason="OCR is the optional extra opengov[ocr]")

import numpy as np  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"
PDF = DATA / "pdf"


def _scans() -> ModuleType:
    sys.path.insert(0, str(DATA / "ocr"))
    try:
        import make_scans
    finally:
        sys.path.remove(str(DATA / "ocr"))
    return make_scans


scans = _scans()


def _truth(name: str) -> Report:
    return opengov.loads((PDF / f"{name}.json").read_text(encoding="utf-8"))


def _cells(report: Report) -> Iterator[tuple[layout.CellKey, Any]]:
    for spec in layout.cell_index(report.format).cells:
        if getattr(report, spec.table) is not None:
            yield spec.key, report.cell(*spec.key)


def _score(result: opengov.ParseResult, truth: Report) -> tuple[int, list[Any], list[Any]]:
    """(exact, wrong, absent) over the truth's cells."""
    read = dict(_cells(result.report)) if result.report.format == truth.format else {}
    exact, wrong, absent = 0, [], []
    for key, value in _cells(truth):
        found = read.get(key)
        if found == value:
            exact += 1
        elif found is None:
            absent.append(key)
        else:
            wrong.append((key, value, found))
    return exact, wrong, absent


def _named(result: opengov.ParseResult, key: layout.CellKey) -> list[opengov.Diagnostic]:
    """The diagnostics that name a cell (its row and column labels)."""
    spec = layout.cell_index(result.report.format).cell(key)
    return [d for d in result.diagnostics if f"{spec.path_label}/{spec.column_label}" in d.message]


@pytest.fixture(scope="module")
def generated_150() -> list[np.ndarray]:
    return scans.render((PDF / "generated-2021-a.pdf").read_bytes(), 150)


@pytest.fixture(scope="module")
def generated_result(generated_150: list[np.ndarray]) -> opengov.ParseResult:
    return opengov.parse(scans.tiff(generated_150, 150))


# ---------------------------------------------------------------------------------------
# Clean renderings: every figure exact
# ---------------------------------------------------------------------------------------


def test_a_rendered_report_at_150_dpi_is_read_exactly(generated_result: opengov.ParseResult) -> None:
    truth = _truth("generated-2021-a")
    exact, wrong, absent = _score(generated_result, truth)
    assert (wrong, absent) == ([], [])
    assert exact == sum(1 for _ in _cells(truth))
    assert generated_result.form == "image"
    assert generated_result.report.year == truth.year
    assert generated_result.report.format == truth.format
    # the tables check out; prose the OCR skipped may leave a prose rule's info finding
    assert [f for f in opengov.check(generated_result) if f.severity is not opengov.Severity.INFO] == []


def test_parse_says_ocr_was_used_with_the_engine_and_its_version(generated_result: opengov.ParseResult) -> None:
    import importlib.metadata

    (used,) = [d for d in generated_result.diagnostics if d.code == "ocr"]
    assert used.severity is opengov.Severity.INFO
    assert "RapidOCR" in used.message
    assert f"rapidocr-onnxruntime {importlib.metadata.version('rapidocr-onnxruntime')}" in used.message
    assert f"onnxruntime {importlib.metadata.version('onnxruntime')}" in used.message


def test_figures_carry_their_own_locations(generated_result: opengov.ParseResult) -> None:
    locations = generated_result.locations
    assert locations
    assert len(set(locations.values())) == len(locations)
    assert all(loc.page is not None and loc.table is not None for loc in locations.values())


def test_a_2019_report_at_150_dpi_is_read_exactly() -> None:
    pages = scans.render((PDF / "generated-2019.pdf").read_bytes(), 150)
    result = opengov.parse(scans.tiff(pages, 150))
    truth = _truth("generated-2019")
    _exact, wrong, absent = _score(result, truth)
    assert (wrong, absent) == ([], [])
    assert str(result.report.format) == "2019"


def test_tables_printed_without_ruling_lines_are_rebuilt_from_their_words() -> None:
    pages = scans.render((PDF / "borderless-2021.pdf").read_bytes(), 150)
    result = opengov.parse(scans.tiff(pages, 150))
    truth = _truth("borderless-2021")
    exact, wrong, absent = _score(result, truth)
    assert wrong == []
    assert exact >= 0.9 * sum(1 for _ in _cells(truth))
    assert "ocr-no-ruling" in {d.code for d in result.diagnostics}
    for key in absent:
        assert any(layout.cell_index(truth.format).cell(key).row_label in d.message for d in result.diagnostics)


# ---------------------------------------------------------------------------------------
# Scanned: 100 dpi, noise, skew, a red seal over a table corner
# ---------------------------------------------------------------------------------------


def _sealed(pages: list[np.ndarray], pdf: bytes, dpi: float) -> list[np.ndarray]:
    """A seal over the top right corner of table 3 (its 总计 header) on the page that has it."""
    out = list(pages)
    for n in range(len(pages)):
        total = [c for c in scans.chars(pdf, n, dpi) if c[0] == "总"]
        if len(total) > 1:
            _, x0, y0, _, _ = total[1]
            out[n] = scans.seal(pages[n], (x0 + round(dpi * 0.2), y0), round(dpi * 0.75))
            break
    return out


@pytest.mark.parametrize("name", ["generated-2021-a", "wps-2021"])
def test_a_scan_at_100_dpi_with_noise_skew_and_a_seal_is_never_wrong(name: str) -> None:
    pdf = (PDF / f"{name}.pdf").read_bytes()
    pages = _sealed(scans.render(pdf, 100), pdf, 100)
    pages = scans.scanned(pages, seed=7, degrees=1.6)
    result = opengov.parse(scans.tiff(pages, 100))
    truth = _truth(name)
    exact, wrong, absent = _score(result, truth)
    assert wrong == []
    assert exact >= 0.9 * sum(1 for _ in _cells(truth))
    codes = {d.code for d in result.diagnostics}
    assert "ocr-deskew" in codes
    for key in absent:  # nothing is lost silently: a refusal names the cell, or its row is missing
        row = layout.cell_index(truth.format).cell(key)
        assert _named(result, key) or any(row.row_label in d.message for d in result.diagnostics), key


def test_the_seal_is_taken_away_and_the_print_under_it_kept() -> None:
    from opengov._readers import _scan

    page = np.full((60, 60, 3), 255, np.uint8)
    page[20:40, 28:32] = 0  # a black stroke
    sealed = scans.seal(page, (30, 30), 25)
    grey = _scan.to_grey(sealed)
    assert grey[30, 30] < 60  # the stroke under the seal stays dark
    ring = sealed[:, :, 0].astype(int) - sealed[:, :, 1].astype(int) > 60
    assert ring.any()
    assert grey[ring].min() > 200  # the red ink is gone


# ---------------------------------------------------------------------------------------
# A figure altered in print: the identity it breaks refuses it, and names it
# ---------------------------------------------------------------------------------------


def test_a_figure_altered_in_print_is_refused_and_named(generated_150: list[np.ndarray]) -> None:
    pdf = (PDF / "generated-2021-a.pdf").read_bytes()
    truth = _truth("generated-2021-a")
    key = ("table3", "granted", "commercial")
    other = ("table3", "granted", "social_welfare")
    assert truth.cell(*key) != truth.cell(*other)
    source = scans.figure_box(pdf, 0, 150, "（一）予以公开", 3)  # 社会公益组织
    target = scans.figure_box(pdf, 0, 150, "（一）予以公开", 1)  # 商业企业
    page = scans.blank(generated_150[0], (target[0] - 2, target[1] - 2, target[2] + 2, target[3] + 2))
    page = scans.paste(
        page, (source[0] - 1, source[1] - 1, source[2] + 1, source[3] + 1), (target[0] - 1, target[1] - 1)
    )
    result = opengov.parse(scans.tiff([page, *generated_150[1:]], 150))
    _exact, wrong, absent = _score(result, truth)
    assert wrong == []
    assert absent == [key]
    (refusal,) = [d for d in _named(result, key) if d.code == "ocr-refused"]
    assert f"'{truth.cell(*other)}'" in refusal.message
    assert "t3-row-total" in refusal.message
    assert f"ask for {truth.cell(*key)}" in refusal.message
    findings = [f for f in opengov.check(result) if key in f.cells or key in f.blanks]
    assert findings
    assert all(f.rule != "t3-row-total" or f.blanks for f in findings)


# ---------------------------------------------------------------------------------------
# Forms: PNG, JPEG, TIFF, a PDF of scans, a mixed PDF, the command line
# ---------------------------------------------------------------------------------------


def test_png_and_jpeg_pages_read_alike(generated_150: list[np.ndarray]) -> None:
    png = opengov.parse(scans.png_at(generated_150[0], 150))
    jpeg = opengov.parse(scans.jpeg(generated_150[0], 150, quality=90))
    assert png.form == jpeg.form == "image"
    assert png.report.title == jpeg.report.title
    assert png.report.table2 == jpeg.report.table2 == _truth("generated-2021-a").table2


def test_a_pdf_of_scanned_pages_is_read_by_ocr(generated_150: list[np.ndarray]) -> None:
    from PIL import Image

    buffer = io.BytesIO()
    images = [Image.fromarray(page) for page in generated_150]
    images[0].save(buffer, format="PDF", save_all=True, append_images=images[1:], resolution=150.0)
    result = opengov.parse(buffer.getvalue())
    assert result.form == "pdf"
    assert "pdf-scanned" in {d.code for d in result.diagnostics}
    _exact, wrong, absent = _score(result, _truth("generated-2021-a"))
    assert (wrong, absent) == ([], [])


def test_a_pdf_with_a_scanned_page_among_text_pages_reads_both(generated_150: list[np.ndarray]) -> None:
    import pypdfium2
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(generated_150[1]).save(buffer, format="PDF", resolution=150.0)
    mixed = pypdfium2.PdfDocument((PDF / "generated-2021-a.pdf").read_bytes())
    try:
        mixed.del_page(1)
        scanned = pypdfium2.PdfDocument(buffer.getvalue())
        mixed.import_pages(scanned)
        out = io.BytesIO()
        mixed.save(out)
        scanned.close()
    finally:
        mixed.close()
    result = opengov.parse(out.getvalue())
    (note,) = [d for d in result.diagnostics if d.code == "pdf-scanned"]
    assert note.location.page == 2
    _exact, wrong, absent = _score(result, _truth("generated-2021-a"))
    assert (wrong, absent) == ([], [])


def test_the_command_line_parses_a_scan(tmp_path: Path, generated_150: list[np.ndarray]) -> None:
    pytest.importorskip("click")
    from click.testing import CliRunner

    from opengov._cli import main

    path = tmp_path / "scan.tif"
    path.write_bytes(scans.tiff(generated_150, 150))
    result = CliRunner().invoke(main, ["parse", str(path)])
    assert result.exit_code == 0, result.output
    assert opengov.loads(result.stdout).table3 == _truth("generated-2021-a").table3


def test_pages_read_in_parallel_give_the_same_document(generated_150: list[np.ndarray]) -> None:
    from opengov._assemble import assemble
    from opengov._readers import image

    data = scans.tiff(generated_150, 150)
    one = opengov.parse(data)
    two = assemble(image.read(data, limits=Limits(ocr_threads=2)))
    assert one.report == two.report
    assert one.diagnostics == two.diagnostics


# ---------------------------------------------------------------------------------------
# Bounds and bad input
# ---------------------------------------------------------------------------------------


def test_limits_are_checked_before_decoding(generated_150: list[np.ndarray]) -> None:
    from opengov._readers import image

    data = scans.tiff(generated_150, 150)
    height, width = generated_150[0].shape[:2]
    with pytest.raises(ParseError) as error:
        image.read(data, limits=Limits(pixels=width * height - 1))
    assert [d.code for d in error.value.diagnostics] == ["limit-pixels"]
    with pytest.raises(ParseError) as error:
        image.read(data, limits=Limits(ocr_pages=1))
    assert [d.code for d in error.value.diagnostics] == ["limit-ocr-pages"]


def test_a_damaged_image_is_a_parse_error(generated_150: list[np.ndarray]) -> None:
    data = scans.png_at(generated_150[0], 150)
    with pytest.raises(ParseError) as error:
        opengov.parse(data[: len(data) // 3])
    assert [d.code for d in error.value.diagnostics] == ["image-damaged"]


def test_a_blank_page_is_no_report() -> None:
    with pytest.raises(ParseError):
        opengov.parse(scans.png_at(np.full((1754, 1240, 3), 255, np.uint8), 150))


# ---------------------------------------------------------------------------------------
# The page layout from pixels
# ---------------------------------------------------------------------------------------


def test_a_drawn_table_with_spans_is_found_cell_by_cell() -> None:
    import cv2

    from opengov._readers import _scan

    page = np.full((600, 800), 255, np.uint8)
    xs, ys = [100, 300, 400, 500, 700], [100, 160, 220, 280, 340]
    spans = {(0, 1): (1, 3), (1, 0): (2, 1)}  # (row, col) -> (rowspan, colspan) of merged cells
    covered = {(r + dr, c + dc) for (r, c), (rs, cs) in spans.items() for dr in range(rs) for dc in range(cs)}
    cells = []
    for r in range(4):
        for c in range(4):
            if (r, c) in covered and (r, c) not in spans:
                continue
            rs, cs = spans.get((r, c), (1, 1))
            cells.append((r, c, rs, cs))
            cv2.rectangle(page, (xs[c], ys[r]), (xs[c + cs], ys[r + rs]), 0, 2)
    found = _scan.analyse(page, 150)
    (table,) = found.tables
    assert sorted((c.row, c.col, c.rowspan, c.colspan) for c in table.cells) == sorted(cells)
    assert (table.n_rows, table.n_cols) == (4, 4)


@pytest.mark.parametrize("quarters", [1, 2, 3])
def test_a_page_turned_by_quarters_is_turned_back(generated_150: list[np.ndarray], quarters: int) -> None:
    """A page scanned sideways or upside down: turned upright (a quarter turn from the lines'
    direction, a half turn when the text reads as nonsense), then read as the upright page."""
    upright = opengov.parse(scans.png_at(generated_150[0], 150))
    turned = opengov.parse(scans.png_at(np.ascontiguousarray(np.rot90(generated_150[0], quarters)), 150))
    assert turned.report.table2 == upright.report.table2 == _truth("generated-2021-a").table2
    (note,) = [d for d in turned.diagnostics if d.code == "ocr-deskew"]
    assert "by" in note.message


@pytest.mark.parametrize("degrees", [-1.8, 1.2])
def test_a_turned_page_is_straightened(generated_150: list[np.ndarray], degrees: float) -> None:
    from opengov._readers import _scan

    turned = scans.skew(generated_150[0], degrees)
    found = _scan.analyse(turned, 150)
    assert found.angle == pytest.approx(degrees, abs=0.06)
    assert len(found.tables) == len(_scan.analyse(generated_150[0], 150).tables)


# ---------------------------------------------------------------------------------------
# The real sample (huaian-2024.pdf) rendered to a raster
# ---------------------------------------------------------------------------------------


@pytest.fixture
def huaian(samples: Path) -> tuple[bytes, Report]:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from expected_report import report_from_expected

    return (samples / "huaian-2024.pdf").read_bytes(), report_from_expected(samples / "expected" / "huaian-2024.json")


@pytest.mark.samples
def test_huaian_at_150_dpi(huaian: tuple[bytes, Report]) -> None:
    pdf, truth = huaian
    result = opengov.parse(scans.tiff(scans.render(pdf, 150), 150))
    exact, wrong, _absent = _score(result, truth)
    assert wrong == []
    assert exact >= 0.99 * 200
    assert (result.report.organ, result.report.year) == ("淮安市人民政府", 2024)


@pytest.mark.samples
def test_huaian_at_100_dpi_with_noise_skew_and_a_seal_is_never_wrong(huaian: tuple[bytes, Report]) -> None:
    pdf, truth = huaian
    pages = scans.scanned(_sealed(scans.render(pdf, 100), pdf, 100), seed=3, degrees=1.5)
    result = opengov.parse(scans.tiff(pages, 100))
    exact, wrong, _absent = _score(result, truth)
    assert wrong == []
    assert exact >= 0.9 * 200
