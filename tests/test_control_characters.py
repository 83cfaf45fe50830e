"""Control characters in a document's prose (a bell, a terminal escape that would recolour or
clear the screen where the organ's name is shown) are removed, and said so once; they never
reach a report's title, organ or prose, and the figures are read as without them."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import example, given
from hypothesis import strategies as st

import opengov

REFERENCE = (Path(__file__).resolve().parent / "data" / "zhapu-2023.txt").read_text(encoding="utf-8")
LINES = REFERENCE.split("\n")
PROSE_LINES = [0, 4, 5, 6, 8, 9]  # the title and section 一's paragraphs of the reference text
assert LINES[2] == "一、总体情况"
assert LINES[11] == "二、主动公开政府信息情况"

# What a hostile page may hold, written here on their own terms (not the library's pattern).
SEQUENCES = st.sampled_from(
    ["\x07", "\x00", "\x1b", "\x7f", "\x1b[2J", "\x1b[1;31m", "\x1b[0m", "\x1b]0;owned\x07", "\x9b", "\x08"]
)
CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

_CLEAN = opengov.parse(REFERENCE)


def _insert(edits: list[tuple[int, int, str]]) -> str:
    """The reference text with each sequence inserted whole at a place of the original
    line (never inside another inserted sequence: a BEL inside ``ESC [2J`` leaves ``[2J``,
    which is text)."""
    lines = list(LINES)
    places = sorted(
        (
            (PROSE_LINES[which % len(PROSE_LINES)], at % (len(LINES[PROSE_LINES[which % len(PROSE_LINES)]]) + 1), seq)
            for which, at, seq in edits
        ),
        key=lambda place: (place[0], -place[1]),
    )
    for n, cut, sequence in places:  # right to left in each line: earlier cuts stay valid
        lines[n] = lines[n][:cut] + sequence + lines[n][cut:]
    return "\n".join(lines)


@given(st.lists(st.tuples(st.integers(0, 50), st.integers(0, 10_000), SEQUENCES), min_size=1, max_size=6))
@example([(0, 3, "\x1b[2J"), (1, 5, "\x07")])
@example([(0, 0, "\x1b[2J"), (0, 1, "\x07")])
def test_control_characters_in_prose_are_removed_and_reported(edits: list[tuple[int, int, str]]) -> None:
    result = opengov.parse(_insert(edits))
    assert result.report == _CLEAN.report
    report = result.report
    for text in (report.title, report.organ, *report.overview):
        assert CONTROL_CHARS.search(text) is None, repr(text)
    notes = [d for d in result.diagnostics if d.code == "control-characters"]
    assert len(notes) == 1
    assert notes[0].severity is opengov.Severity.INFO
    assert notes[0].location is not None
    assert notes[0].location.line is not None
    # everything else the parse says is what it says of the clean text
    others = [(d.code, d.message) for d in result.diagnostics if d.code != "control-characters"]
    assert others == [(d.code, d.message) for d in _CLEAN.diagnostics]


def test_a_clean_document_has_no_such_note() -> None:
    assert all(d.code != "control-characters" for d in _CLEAN.diagnostics)


def test_an_unterminated_escape_keeps_the_text_after_it() -> None:
    text = "\n".join([LINES[0], *LINES[1:4], LINES[4][:10] + "\x1b]这段文字没有终止符" + LINES[4][10:], *LINES[5:]])
    overview = opengov.parse(text).report.overview
    assert "]这段文字没有终止符" in overview[0]


def test_a_control_character_in_a_figure_is_an_unreadable_cell() -> None:
    result = opengov.parse(REFERENCE.replace("22738", "227\x0738", 1))
    (error,) = [d for d in result.diagnostics if d.code == "unreadable-cell"]
    assert "227\\x0738" in error.message
