"""The choice among OCR readings by the tables' identities (opengov._alternatives), and the
reading of labels as the official wording (opengov._readers._official).

No OCR here: readings are made up from consistent reports (opengov.testing.reports), the way
a recogniser gives them (the true figure, a confusable digit, a digit lost or extra), and the
expected outcome is computed in the test from which cells were misread.  These tests run in
the quick suite (they need no part of the ocr extra).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opengov import Location, Report
from opengov._alternatives import SURE, resolve
from opengov._codec import cell_text, read_cell
from opengov._grid import Reading
from opengov._readers._official import is_official, official_label, official_labels
from opengov.layout import CellKey, cell_index
from opengov.testing import reports

CONFUSABLE = {"0": "8", "8": "3", "1": "7", "7": "1", "3": "8", "5": "6", "6": "5", "2": "7", "4": "9", "9": "4"}


def _misread(text: str, how: int) -> str:
    """A wrong reading of a figure (another number): a confusable last digit, the first digit
    lost, or the last digit doubled."""
    wrong = text + text[-1]
    if how == 1 and len(text) > 1:
        wrong = text[1:]
    if how == 0 or int(wrong) == int(text):
        wrong = text[:-1] + CONFUSABLE[text[-1]]
    return wrong


def _placed(
    report: Report, readings: Mapping[CellKey, list[Reading]]
) -> tuple[dict[CellKey, object], dict[CellKey, Location]]:
    """What the assembler places: every cell of the report, OCR cells as their top reading."""
    index = cell_index(report.format)
    placed: dict[CellKey, object] = {}
    locations: dict[CellKey, Location] = {}
    for n, spec in enumerate(index.cells):
        if getattr(report, spec.table) is None:
            continue
        value = report.cell(*spec.key)
        if spec.key in readings:
            value = read_cell(readings[spec.key][0].text, spec.kind).value
        placed[spec.key] = value
        locations[spec.key] = Location(page=1, table=1, row=n + 1, cell=1)
    return placed, locations


def _int_cells(report: Report, table: str) -> list[CellKey]:
    return [
        spec.key
        for spec in cell_index(report.format).cells
        if spec.table == table and type(report.cell(*spec.key)) is int
    ]


def _sure(report: Report, keys: list[CellKey]) -> dict[CellKey, list[Reading]]:
    return {key: [Reading(text=cell_text(report.cell(*key)), probability=0.995)] for key in keys}


def _outcome(report: Report, readings: Mapping[CellKey, list[Reading]]) -> tuple[dict[CellKey, object], list[str]]:
    placed, locations = _placed(report, readings)
    resolution = resolve(report.format, placed, readings, locations)
    final = dict(placed)
    final.update(resolution.cells)
    return final, [f"{d.code}: {d.message}" for d in resolution.diagnostics]


@given(reports(), st.data())
def test_a_figure_is_exact_or_absent_when_the_truth_is_among_the_readings(report: Report, data: st.DataObject) -> None:
    """Doubtful figures whose readings hold the true figure (not always first): every cell
    comes out exact or absent, never wrong, and an absent one is named in a refusal."""
    keys = _int_cells(report, "table3") + _int_cells(report, "table4")
    readings = _sure(report, keys)
    doubtful = data.draw(st.lists(st.sampled_from(keys), unique=True, max_size=12)) if keys else []
    for key in doubtful:
        truth = cell_text(report.cell(*key))
        wrong = _misread(truth, data.draw(st.integers(0, 2)))
        first = data.draw(st.booleans())
        p = data.draw(st.floats(0.3, 0.85))
        pair = [(truth, p), (wrong, 1 - p - 0.05)] if first else [(wrong, p), (truth, 1 - p - 0.05)]
        readings[key] = [Reading(text=t, probability=q) for t, q in pair]
    final, messages = _outcome(report, readings)
    for key in keys:
        truth = report.cell(*key)
        assert final[key] in (truth, None), (key, final[key], truth)
        if final[key] is None:
            assert any(m.startswith("ocr-refused") for m in messages)


@given(reports(), st.data())
def test_one_doubtful_figure_is_singled_out_by_its_identities(report: Report, data: st.DataObject) -> None:
    """One figure read wrong first and right second (the others sure): the identities it is in
    single out the true reading, which is taken and said (``recovered-ocr``)."""
    keys = _int_cells(report, "table3")
    readings = _sure(report, keys + _int_cells(report, "table4"))
    key = data.draw(st.sampled_from(keys))
    truth = cell_text(report.cell(*key))
    wrong = _misread(truth, data.draw(st.integers(0, 2)))
    readings[key] = [Reading(text=wrong, probability=0.7), Reading(text=truth, probability=0.2)]
    final, messages = _outcome(report, readings)
    assert final[key] == report.cell(*key)
    label = cell_index(report.format).cell(key).path_label
    assert [m for m in messages if m.startswith("recovered-ocr")] == [
        m for m in messages if label in m and m.startswith("recovered-ocr")
    ]
    assert len([m for m in messages if m.startswith("recovered-ocr")]) == 1
    assert all(final[k] == report.cell(*k) for k in keys)


@given(reports(), st.data())
def test_a_sure_misread_in_table3_is_refused_and_named(report: Report, data: st.DataObject) -> None:
    """One figure read wrong and sure of it, with no other reading: every identity it is in
    breaks, it alone is left absent with a refusal naming it and the identities; every other
    figure stays exact."""
    keys = _int_cells(report, "table3")
    readings = _sure(report, keys)
    key = data.draw(st.sampled_from(keys))
    value = report.cell(*key)
    assert isinstance(value, int)
    wrong = value + data.draw(st.integers(1, 50))
    readings[key] = [Reading(text=str(wrong), probability=0.98)]
    final, messages = _outcome(report, readings)
    assert final[key] is None
    assert all(final[k] == report.cell(*k) for k in keys if k != key)
    refusals = [m for m in messages if m.startswith("ocr-refused")]
    spec = cell_index(report.format).cell(key)
    assert len(refusals) == 1
    assert f"{spec.path_label}/{spec.column_label}" in refusals[0]
    assert f"'{wrong}'" in refusals[0]
    assert "t3-row-total" in refusals[0]
    assert f"which ask for {value}" in refusals[0]


@given(reports(), st.data())
def test_a_sure_misread_in_table4_leaves_its_block_absent(report: Report, data: st.DataObject) -> None:
    """In table 4 a figure is in one identity only (its block's total): a sure misread cannot
    be told from its four partners, so the block's five figures are left absent, the others
    stay exact."""
    keys = _int_cells(report, "table4")
    readings = _sure(report, keys)
    key = data.draw(st.sampled_from(keys))
    value = report.cell(*key)
    assert isinstance(value, int)
    readings[key] = [Reading(text=str(value + data.draw(st.integers(1, 9))), probability=0.98)]
    final, messages = _outcome(report, readings)
    block = [k for k in keys if k[1] == key[1]]
    assert all(final[k] is None for k in block)
    assert all(final[k] == report.cell(*k) for k in keys if k[1] != key[1])
    assert len([m for m in messages if m.startswith("ocr-refused")]) == 5


@given(reports())
def test_a_doubtful_figure_no_identity_decides_is_refused(report: Report) -> None:
    """Table 2 has no identity within one report: a doubtful figure there is left absent."""
    keys = _int_cells(report, "table2")
    if not keys:
        return
    key = keys[0]
    truth = cell_text(report.cell(*key))
    readings = {key: [Reading(text=truth, probability=SURE - 0.05), Reading(text=truth + "1", probability=0.04)]}
    final, messages = _outcome(report, readings)
    assert final[key] is None
    assert len(messages) == 1
    assert "no identity decides it" in messages[0]


@given(reports())
def test_an_inconsistent_table_as_printed_is_kept_and_said(report: Report) -> None:
    """Every figure sure, the printed total of one outcome column off by 3 while each figure is
    confirmed by its row: no figure is refused; the identity is set aside with a warning."""
    index = cell_index(report.format)
    keys = _int_cells(report, "table3")
    readings = _sure(report, keys)
    column = "natural_person"
    # shift one outcome row's figure and its row total together: the row holds, the column
    # (and, for the total row, nothing else) breaks
    outcome = index.identities_of("t3-outcomes")[0].terms[1][0]
    row = outcome[1]
    moved = {(("table3", row, column)), ("table3", row, "total")}
    for key in moved:
        value = report.cell(*key)
        assert isinstance(value, int)
        readings[key] = [Reading(text=str(value + 3), probability=0.99)]
    final, messages = _outcome(report, readings)
    assert all(final[k] is not None for k in keys)
    assert any(m.startswith("ocr-inconsistent") for m in messages)
    assert not any(m.startswith("ocr-refused") for m in messages)


@given(reports())
def test_unreadable_ink_is_refused(report: Report) -> None:
    key = _int_cells(report, "table3")[0]
    final, messages = _outcome(report, {key: [Reading(text="", probability=0.0)]})
    assert final[key] is None
    assert "no reading is a value of this cell" in messages[0]


@given(reports())
def test_a_speck_beside_a_figure_is_no_decimal_point(report: Report) -> None:
    keys = _int_cells(report, "table3")
    readings = _sure(report, keys)
    key = keys[0]
    readings[key] = [Reading(text=cell_text(report.cell(*key)) + ".", probability=0.97)]
    final, messages = _outcome(report, readings)
    assert final[key] == report.cell(*key)
    assert any(m.startswith("recovered-ocr") for m in messages)


# ---------------------------------------------------------------------------------------
# Labels read as the official wording
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("read", "official"),
    [
        ("（一）子以公开", "（一）予以公开"),
        ("（三）不子公开", "（三）不予公开"),
        ("7.属子行政执法案卷", "7.属于行政执法案卷"),
        ("1.本机关不掌级相关致府信息", "1.本机关不掌握相关政府信息"),
        ("申请人情况系", "申请人情况"),
        ("一、本年新收政府信总公开申请数量", "一、本年新收政府信息公开申请数量"),
    ],
)
def test_a_label_a_character_or_two_off_is_read_as_the_official_one(read: str, official: str) -> None:
    assert official_label(read) == official


@pytest.mark.parametrize(
    "read",
    ["2.室复中请", "法提供", "计", "三、本年度办理结果", "1.属于国家秘密", "（五）不予处理", "与本报告无关的一段话"],
)
def test_a_label_too_far_or_already_official_is_left_as_read(read: str) -> None:
    assert official_label(read) is None


CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)


@given(st.sampled_from(sorted({label for group in official_labels().values() for label in group.values()})), st.data())
def test_one_character_changed_never_gives_another_label(label: str, data: st.DataObject) -> None:
    """Change one character of an official label: it reads as that label, or is left as read,
    never as another official label."""
    assert is_official(label)
    position = data.draw(st.integers(0, len(label) - 1))
    changed = label[:position] + data.draw(CJK) + label[position + 1 :]
    found = official_label(changed)
    assert found is None or found == label or is_official(changed)


# ---------------------------------------------------------------------------------------
# Where OCR cannot run: a clear error, the rest of the library unaffected
# ---------------------------------------------------------------------------------------


def test_python_313_is_refused_naming_the_limit() -> None:
    from opengov import ParseError
    from opengov._readers._available import check_available

    with pytest.raises(ParseError) as error:
        check_available((3, 13, 1))
    (diagnostic,) = error.value.diagnostics
    assert diagnostic.code == "ocr-python"
    assert "Python 3.10-3.12" in diagnostic.message
    assert "3.13.1" in diagnostic.message
    if _extra_installed():
        check_available((3, 12, 9))  # no error below the limit


def test_an_image_without_the_extra_is_a_parse_error_and_text_still_parses(monkeypatch: pytest.MonkeyPatch) -> None:
    import opengov
    from opengov import ParseError
    from opengov._readers import _available

    monkeypatch.setattr(_available, "PYTHON_LIMIT", (3, 0))  # as if this Python were too new
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    with pytest.raises(ParseError) as error:
        opengov.parse(png)
    assert [d.code for d in error.value.diagnostics] == ["ocr-python"]
    text = (Path(__file__).resolve().parent / "data" / "zhapu-2023.txt").read_text(encoding="utf-8")
    assert opengov.parse(text).report.table3 is not None


def _extra_installed() -> bool:
    from opengov._readers._available import PACKAGES

    return all(importlib.util.find_spec(m) is not None for m in PACKAGES)


@pytest.mark.parametrize(
    ("size", "recorded", "dpi", "said"),
    [
        ((1240, 1754), 150.0, 150.0, False),  # A4 at 150 dpi, as recorded
        ((1240, 1754), 72.0, 150.0, True),  # a default resolution the page's size contradicts
        ((827, 1170), None, 100.0, True),  # none recorded: A4 at 100 dpi
        ((2000, 800), None, 150.0, True),  # not A4 and none recorded: assumed
        ((2000, 800), 300.0, 300.0, False),  # not A4: what the file records
    ],
)
def test_the_resolution_of_an_image(size: tuple[int, int], recorded: float | None, dpi: float, said: bool) -> None:
    from opengov._readers.image import resolution

    found, why = resolution(*size, recorded)
    assert found == pytest.approx(dpi, rel=0.01)
    assert (why is not None) == said


def test_images_are_told_by_their_signatures() -> None:
    from opengov._readers import detect_binary_form
    from opengov._readers.image import detect

    for head in (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0", b"II*\x00", b"MM\x00*"):
        assert detect(head + b"\x00" * 16)
        form = detect_binary_form(head + b"\x00" * 16)
        assert form is not None
        assert form.name == "image"
    assert not detect(b"%PDF-1.7")
    assert not detect(b"GIF89a")


def test_a_misread_ordinal_never_gives_another_label() -> None:
    """Exhaustively: every official label with one character of its ordinal (一、 （三） 2.)
    replaced by another ordinal character is read as itself or not at all — e.g.
    一、本年新收… misread as 二、本年新收… is refused: its ordinal says 二、上年结转…, its words
    say 一、本年新收…."""
    labels = sorted({label for group in official_labels().values() for label in group.values()})
    ordinal_characters = "一二三四五六七八九十123456789"
    wrong = [
        (label, changed, found)
        for label in labels
        for i, old in enumerate(label[:4])
        if old in ordinal_characters
        for c in ordinal_characters
        if (changed := label[:i] + c + label[i + 1 :]) != label
        and (found := official_label(changed)) is not None
        and found != label
        and not is_official(changed)
    ]
    assert wrong == []
