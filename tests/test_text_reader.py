"""The text reader's patterns: built once from the layout's units and placeholder glyphs
(``opengov._patterns``), and the page-number lines every reader agrees on."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opengov import layout
from opengov._grid import Grid, Paragraph
from opengov._patterns import GLUED_DIGITS, UNIT_TOKEN, VALUE_TOKEN, is_page_number
from opengov._readers import text as text_reader

DIGITS = st.text(alphabet="0123456789０１２３４５６７８９", min_size=1, max_size=6)


@given(DIGITS, st.sampled_from([*layout.MONEY_UNITS, *layout.COUNT_UNITS, ""]), st.sampled_from(["", "+", "-", "－"]))
def test_a_number_with_any_unit_of_the_layout_is_a_value_token(digits: str, unit: str, sign: str) -> None:
    assert VALUE_TOKEN.fullmatch(f"{sign}{digits}{unit}")
    if unit:
        assert UNIT_TOKEN.fullmatch(unit)


def test_every_placeholder_glyph_of_the_layout_is_a_value_token() -> None:
    for glyph in layout.PLACEHOLDER_GLYPHS:
        assert VALUE_TOKEN.fullmatch(glyph), glyph


@given(st.text(alphabet="abc字，。", min_size=1, max_size=4))
def test_words_are_no_value_tokens(word: str) -> None:
    assert VALUE_TOKEN.fullmatch(word) is None
    assert UNIT_TOKEN.fullmatch(word) is None


@given(DIGITS, st.sampled_from([*layout.MONEY_UNITS, *layout.COUNT_UNITS, ""]))
def test_a_label_glued_to_its_digits_and_unit_is_cut_before_the_digits(digits: str, unit: str) -> None:
    match = GLUED_DIGITS.fullmatch(f"行政事业性收费{digits}{unit}")
    assert match is not None
    assert (match["label"], match["digits"]) == ("行政事业性收费", f"{digits}{unit}")


ROWS = "规章 1 0 5\n{page}\n行政规范性文件 2 0 7\n"


@given(
    st.sampled_from(
        [
            "- 3 -",
            "— 12 —",
            "- 1024 -",
            "第4页",
            "第12页，共30页",
            "4/12",
            "__3__",
            " ‒ 7 ‒ ",
            # what a browser prints on every page of a page it prints
            "https://www.example.gov.cn/art/2024/1/20/art_1229_5.html 3/6",
            "http://example.gov.cn/xxgk/2023nb.htm",
            "2024/1/20 10:32 某某市某某局2023年度政府信息公开工作年度报告",
            "2024-01-20 10:32:05",
        ]
    ),
)
def test_a_page_number_inside_a_table_does_not_cut_it(page: str) -> None:
    """Every page-number line the shared pattern knows (the PDF reader and the assembler
    use the same one) is set aside while a table is being read: the table stays one grid,
    the page number one paragraph that says it is one."""
    assert is_page_number(page)
    document = text_reader.read(ROWS.format(page=page))
    (grid,) = (b for b in document.blocks if isinstance(b, Grid))
    (paragraph,) = (b for b in document.blocks if isinstance(b, Paragraph))
    assert [[c.text for c in row] for row in grid.rows()] == [
        ["规章", "1", "0", "5"],
        ["行政规范性文件", "2", "0", "7"],
    ]
    assert (paragraph.text, paragraph.page_number) == (page.strip(), True)


@pytest.mark.parametrize(
    "line",
    [
        "本报告电子版可从 https://www.example.gov.cn 下载。",  # an address in a sentence
        "2024/1/20",  # a date alone: no time
        "2023年 10:32 某某",
        "发布时间：2024-01-20 10:32",  # a field, not a header
    ],
)
def test_lines_that_are_no_page_furniture(line: str) -> None:
    assert not is_page_number(line)
