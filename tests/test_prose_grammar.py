"""The prose grammar (``opengov._checks.grammar``): the project's corpus of sentences with
their expected readings, the words and figures it reads, and where a statement says it was
read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opengov._checks.grammar import LEXICON, SUBJECTS, lex, read_paragraph, read_sections

CORPUS = Path(__file__).resolve().parent / "data" / "prose" / "sentences.jsonl"


def _corpus() -> list[dict[str, Any]]:
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]


SENTENCES = _corpus()


def test_the_corpus_is_large_and_half_of_it_traps() -> None:
    assert len(SENTENCES) >= 200
    traps = [s for s in SENTENCES if s["trap"]]
    assert len(traps) * 2 >= len(SENTENCES)
    assert all(s.get("note") for s in traps), "every trap says why it is one"
    assert len({s["sentence"] for s in SENTENCES}) == len(SENTENCES), "no sentence twice"
    for s in SENTENCES:
        assert s["section"] in ("overview", "other_matters")
        for subject, value in s["statements"]:
            assert subject in SUBJECTS
            assert value is None or (isinstance(value, int) and value >= 0)


@pytest.mark.parametrize("case", SENTENCES, ids=lambda s: s["sentence"][:24])
def test_each_sentence_reads_as_expected(case: dict[str, Any]) -> None:
    got = [[s.subject, s.value] for s in read_paragraph(case["sentence"])]
    assert got == case["statements"], case.get("note", "")


def test_the_issue_s_examples() -> None:
    """The sentences the issue names, read as it says they must be."""

    def read(text: str) -> list[tuple[str, int | None]]:
        return [(s.subject, s.value) for s in read_paragraph(text)]

    # scope and negation: outcomes, not counts
    assert read("未发生因政府信息公开被行政复议纠错或行政诉讼败诉的情况。") == [
        ("reconsideration:corrected", 0),
        ("litigation:corrected", 0),
    ]
    assert read("未发生政府信息公开行政复议。") == [("reconsideration", 0)]
    # subsets are not totals
    assert read("本年度受理申请40件，同意公开答复28件。") == [("received", 40)]
    assert read("办理政府信息公开申请40件，其中予以公开28件。") == [("handled", 40), ("outcome:granted", 28)]
    # units of counts
    assert read("共受理政府信息公开申请1个。") == [("received", 1)]
    # fees stated in words
    assert read("本年度未发生收费情况。") == [("fee", 0)]
    assert read("未收取信息处理费。") == [("fee", 0)]
    # none received
    for text in ("本年度未收到政府信息公开申请。", "全年没有收到政府信息公开申请。", "共收到政府信息公开申请0件。"):
        assert read(text) == [("received", 0)]


def test_figures_and_their_units() -> None:
    def counts(text: str) -> list[tuple[object, str]]:
        return [(t.value, t.unit) for t in lex(text) if t.kind == "count"]

    assert counts("申请37件，采购项目1个，复议2起") == [(37, "件"), (1, "个"), (2, "起")]
    assert counts("申请１２件") == [(12, "件")]
    assert counts("申请 1,203 件") == [(1203, "件")]
    assert counts("申请两件，复议三起，诉讼十二件") == [(2, "件"), (3, "起"), (12, "件")]
    # not counts: other units, dates, percentages, approximations, ordinals, decimals
    for text in ("信息1126条", "2023年", "占33.9%", "约300件", "300余件", "300件以上", "第3件", "12.5件", "12万件"):
        assert counts(text) == [], text


def test_longer_words_win() -> None:
    kinds = {w: LEXICON[w][0] for w in ("无法提供", "不予公开", "部分公开", "上年结转", "行政事业性收费", "尚未审结")}
    assert kinds == {
        "无法提供": "outcome",
        "不予公开": "outcome",
        "部分公开": "outcome",
        "上年结转": "carry_over",
        "行政事业性收费": "admin_fee",
        "尚未审结": "appeal_outcome",
    }
    assert [(t.kind, t.value) for t in lex("无法提供") if t.kind != "bound"] == [("outcome", "unable")]
    assert [t.kind for t in lex("申请人")] == ["other"]
    assert [t.kind for t in lex("《政府信息公开信息处理费管理办法》")] == ["title"], "book titles hide their words"


def test_a_statement_quotes_its_sentence_and_says_where_it_is() -> None:
    paragraph = "（二）依申请公开情况。认真做好答复工作。全年共收到申请37件，办理38件。未发生政府信息公开行政复议。"
    found = read_paragraph(paragraph)
    assert [(s.subject, s.value) for s in found] == [("received", 37), ("handled", 38), ("reconsideration", 0)]
    assert found[0].sentence == "全年共收到申请37件，办理38件。"
    assert found[2].sentence == "未发生政府信息公开行政复议。"
    for s in found:
        assert paragraph[s.start : s.end] == s.sentence
    sections = {"overview": ("无。", paragraph), "other_matters": ("本年度未收取信息处理费。",)}
    assert [(sec, n, s.subject) for sec, n, s in read_sections(sections)] == [
        ("overview", 2, "received"),
        ("overview", 2, "handled"),
        ("overview", 2, "reconsideration"),
        ("other_matters", 1, "fee"),
    ]


_PIECES = [s["sentence"] for s in SENTENCES] + ["，", "。", "\n", "；", "其中", "未", "均获维持", "12件", "0件"]


@given(st.lists(st.sampled_from(_PIECES), max_size=8), st.text(max_size=30))
def test_any_text_reads_without_error_and_spans_are_exact(pieces: list[str], noise: str) -> None:
    paragraph = "".join(pieces) + noise
    found = read_paragraph(paragraph)
    for s in found:
        assert s.subject in SUBJECTS
        assert paragraph[s.start : s.end] == s.sentence
        assert s.sentence.strip() == s.sentence
    assert read_paragraph(paragraph) == found  # a pure function of the text


@given(st.lists(st.sampled_from([s for s in SENTENCES if s["section"] == "overview"]), min_size=1, max_size=4))
def test_sentences_read_the_same_inside_a_paragraph(cases: list[dict[str, Any]]) -> None:
    """Each corpus sentence is read alone: put together (each ends its sentence), a paragraph
    reads as the concatenation of their readings."""
    cases = [c for c in cases if c["sentence"].endswith("。")]
    paragraph = "".join(c["sentence"] for c in cases)
    expected = [tuple(x) for c in cases for x in _dedupe(c["statements"])]
    assert [(s.subject, s.value) for s in read_paragraph(paragraph)] == expected


def _dedupe(statements: list[list[Any]]) -> list[list[Any]]:
    seen: list[list[Any]] = []
    for s in statements:
        if s not in seen:
            seen.append(s)
    return seen


@pytest.mark.parametrize("text", ["1{}x", "收到申请1{}x。", "1{}月x", "截至{}x。1件", "1{}余{}x"])
def test_long_runs_of_white_space_are_read_in_linear_time(text: str) -> None:
    """A figure followed by a long run of white space (a hostile paragraph): every pattern
    of the grammar tries the run once (two white-space runs around an optional word made
    each try every split of it: 20,000 spaces took 4 s)."""
    paragraph = text.replace("{}", " " * 50_000)
    assert read_paragraph(paragraph) == ()
