"""A small grammar of how reports state figures in 一、总体情况 and 六、其他需要报告的事项.

:func:`read_paragraph` turns a paragraph into :class:`Statement` objects: *what* a sentence
says (a subject from :data:`SUBJECTS`) and the count it gives (``0`` for a negation such as
「未发生政府信息公开行政复议」).  The prose rules (:mod:`opengov._checks.prose`) compare
them with the tables.

How it reads:

1. **Words.**  Only a sentence that holds something a statement needs (a count, a negation,
   ``维持``, a fee word) is read.  It is cut into tokens by one regular expression: the words
   of :data:`LEXICON` (longest first, compiled as a trie: one branch per next character),
   figures with their unit (``37件``, ``1个``, ``33.9%``, ``2023年``), book titles
   (``《…》``, whose words never count) and punctuation.  Every word has a *kind*: an
   application noun (``政府信息公开申请``), a verb that receives or handles them, an outcome
   category (``予以公开``), an appeal noun (``行政复议``), an appeal outcome (``纠错``,
   ``败诉``), a negation (``未发生``), a subset marker (``其中``), a comparison
   (``较去年``) …
2. **Sentences and clauses.**  A sentence ends at ``。！？`` or a line end; a clause at
   ``，；：`` and brackets.  What a sentence is about (applications or appeals, the last
   total it stated) carries from clause to clause; a subset (``其中``, ``涉及``, ``含``)
   lasts until ``；``.
3. **A figure** is read from the words before it in its clause: the last meaningful word
   (its *head*) must be followed by nothing but filler (``共``, ``共计``, ``为`` …).  The
   head says what is counted: ``收到…申请`` → received, ``办理`` → handled, ``上年结转`` →
   carried over, ``予以公开`` → that outcome, ``行政复议`` → reconsiderations, ``其中结果维持``
   → upheld reconsiderations, ``自然人`` → the applications of natural persons …  A subset
   marker makes a verb or a bare noun a part, never a total (「其中市本级受理30件」 reads
   nothing); a comparison (``较``, ``增加``) makes every figure after it a change; an
   approximate figure (``约``, ``余``, ``以上``) is never read.
4. **A negation** (a clause without figures) is read only when every other word of the
   clause is understood: 「未发生因政府信息公开被行政复议纠错或行政诉讼败诉的情况」 says that no
   reconsideration corrected and no lawsuit was lost (the appeal *outcome*), 「未发生政府信息
   公开行政复议」 that there was none; 「未发生因申请答复不及时被行政复议的情况」 says something
   narrower and reads nothing.
5. ``均获维持`` says that every appeal named before it in the sentence was upheld.
6. **A sentence about something else than the year's count** reads nothing, in whichever
   of its clauses the words stand: part of the year (``今年以来``, ``截至目前``, ``截至11月底``,
   ``1—11月``, ``上半年``, ``第一季度``; ``1月1日至12月31日`` and ``1—12月`` are the whole year), a rate
   (``月均``, ``平均每月``) or a running total (``截至…累计``).  Appeals the organ *received* or
   *accepted* (``收到行政复议申请``, ``受理行政复议申请``) read nothing either: it may be the
   reconsideration body, and table 4 counts the appeals against it.

Anything the grammar cannot read with certainty yields no statement.  Pure functions, no
state: :func:`read_paragraph` is cached by its text.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import NamedTuple

import attrs

from opengov._model import MAX_FIGURE_DIGITS
from opengov.layout import Format, layout_for

__all__ = ["Statement", "SUBJECTS", "LEXICON", "read_paragraph", "read_sections"]

# ---------------------------------------------------------------------------------------
# What statements are about
# ---------------------------------------------------------------------------------------

APPLICANT_GROUPS: tuple[str, ...] = (
    "natural_person",
    "organisations",
    "commercial",
    "research",
    "social_welfare",
    "legal_service",
    "other_org",
)
"""Who applied: a table 3 column, or ``organisations`` (法人或其他组织: the five columns)."""

OUTCOMES: tuple[str, ...] = (
    "granted",
    "partially_granted",
    "granted_or_partial",
    "withheld",
    "unable",
    "not_processed",
    "other_processing",
)
"""Outcome categories of table 3 (``granted_or_partial``: 予以公开及部分公开 together)."""

APPEALS: tuple[str, ...] = (
    "reconsideration",
    "litigation",
    "litigation_direct",
    "litigation_after_reconsideration",
    "appeals",
)
"""Appeals: table 4 blocks, ``litigation`` (行政诉讼: both litigation blocks) and ``appeals``
(行政复议 and 行政诉讼 together)."""

APPEAL_OUTCOMES: tuple[str, ...] = ("upheld", "corrected", "other", "pending")


def _subjects() -> tuple[str, ...]:
    measures = ("received", "handled")
    details: list[str] = []
    for fmt in Format:
        details += [r.key for r in layout_for(fmt).table3.rows if r.key in layout_for(fmt).table3.outcome_rows]
    return (
        *measures,
        *(f"{m}:{g}" for m in measures for g in APPLICANT_GROUPS),
        "carried_over",
        "carried_forward",
        *(f"outcome:{o}" for o in (*OUTCOMES, *dict.fromkeys(d for d in details if d not in OUTCOMES))),
        *APPEALS,
        *(f"{a}:{o}" for a in APPEALS if a != "appeals" for o in APPEAL_OUTCOMES),
        "in_force:rules",
        "in_force:normative_documents",
        "fee",
    )


SUBJECTS: tuple[str, ...] = _subjects()
"""Every subject a statement can have:

* ``received`` / ``handled`` — applications received (本年新收) / handled (办理, 答复);
  ``received:<group>`` / ``handled:<group>`` — those of one applicant group;
* ``carried_over`` (上年结转), ``carried_forward`` (结转下年度);
* ``outcome:<category>`` — an outcome category or one of its rows (``outcome:not_held``);
* ``reconsideration``, ``litigation``, ``litigation_direct``,
  ``litigation_after_reconsideration``, ``appeals`` — appeals counted;
  ``<appeal>:<upheld|corrected|other|pending>`` — those with one outcome;
* ``in_force:rules`` / ``in_force:normative_documents`` — documents in force (现行有效);
* ``fee`` — the 信息处理费 is stated (value ``0``: none was charged; ``None``: an amount or
  another statement).
"""


@attrs.frozen(kw_only=True)
class Statement:
    """One figure a sentence states: its ``subject`` (see :data:`SUBJECTS`) and ``value``
    (a count; ``0`` for a negation; ``None`` for a fee stated without a count), the
    ``sentence`` it was read from and where that sentence is in its paragraph
    (``start``/``end``, character offsets); ``year`` is the year the sentence names before
    the figure, when it names one (a report may recall last year's figures)."""

    subject: str
    value: int | None
    sentence: str
    start: int
    end: int
    year: int | None = None
    """The year the sentence names before the statement (「2022年共收到申请30件」), if any."""


# ---------------------------------------------------------------------------------------
# Words
# ---------------------------------------------------------------------------------------

APP = "app"  # 政府信息公开申请 …
OTHER = "other"  # a noun that is not one of ours (申请人, 申请表 …): blocks a reading
RECEIVE = "receive"
HANDLE = "handle"
CARRY_OVER = "carry_over"
CARRY_FORWARD = "carry_forward"
OUTCOME = "outcome"
VAGUE = "vague"  # 同意公开 …: an outcome we cannot place in a category
APPEAL = "appeal"
CASE = "case"  # 案件
APPEAL_OUTCOME = "appeal_outcome"
ALL_UPHELD = "all_upheld"
ALL_CONCLUDED = "all_concluded"
APPLICANT = "applicant"
NEG = "neg"
NEG_OUTCOME = "neg_outcome"  # 零败诉
POSTNEG = "postneg"  # …均未发生
SUBSET = "subset"
CHANGE = "change"
EACH = "each"
IN_FORCE = "in_force"
DOCS = "docs"
FEE = "fee"
ADMIN_FEE = "admin_fee"
REFER = "refer"  # 相关, 上述
ANOTHER = "another"  # 另有
QUALIFIER = "qualifier"  # 本级, 部分 …: narrows what a negation or a total covers


def _expand(*parts: Iterable[str]) -> tuple[str, ...]:
    """Every concatenation of one choice from each part (``""`` is a choice)."""
    return tuple("".join(p) for p in itertools.product(*parts))


def _outcome_details() -> dict[str, str]:
    """Outcome rows named by their label (numbering dropped), from the layouts."""
    words: dict[str, str] = {}
    for fmt in Format:
        t3 = layout_for(fmt).table3
        for row in t3.rows:
            if row.key not in t3.outcome_rows or row.block is None:
                continue
            label = re.sub(r"^\d+\.", "", row.label)
            if len(label) < 4:
                continue  # 3.其他
            words[label] = row.key
            for a, b in (("“", '"'), ("”", '"'), ("“", "'"), ("”", "'")):
                words[label.replace(a, b)] = row.key
    words |= {"本机关不掌握": "not_held", "不掌握相关政府信息": "not_held", "本机关不掌握相关信息": "not_held"}
    return words


def _lexicon() -> dict[str, tuple[str, str]]:
    entries: list[tuple[str, str, Iterable[str]]] = [
        (
            APP,
            "app",
            (
                *_expand(("政府信息公开", "信息公开", "政务公开", "公开"), ("申请",), ("", "件", "事项", "书")),
                *_expand(("依申请公开",), ("", "政府信息"), ("", "申请", "件", "事项", "办件", "申请件")),
                "申请",
                "申请件",
                "申请事项",
                "办件",
            ),
        ),
        (
            OTHER,
            "noun",
            (
                "申请人",
                "申请表",
                "申请渠道",
                "申请方式",
                "申请途径",
                "申请材料",
                "申请条件",
                "申请内容",
                "无法",
                "无论",
                "人次",
                "收费通知",
                "占比",
                "比例",
                "比重",
                "起诉状",
                "新闻发布会",
                "舆情",
                "建议",
                "提案",
                "咨询",
                "诉求",
                "信件",
                "来信",
                "来电",
                "留言",
                "事项清单",
                "应诉",
            ),
        ),
        (RECEIVE, "received", ("收到", "受理", "接收", "接到", "新收", "收悉", "新受理", "新增", "登记受理")),
        (HANDLE, "handled", ("办理", "办结", "答复", "处理", "办复", "作出答复", "完成答复", "审核办理")),
        (
            CARRY_OVER,
            "carried_over",
            _expand(("上年", "上一年", "上年度", "上一年度", "往年", "去年"), ("", "的"), ("结转", "转结", "遗留")),
        ),
        (
            CARRY_FORWARD,
            "carried_forward",
            _expand(
                ("结转", "顺延", "转入", "延期", "转至", "转到", "延续", "结转到", "结转至"),
                ("", "到", "至", "入"),
                ("下年", "下年度", "下一年", "下一年度", "次年", "次年度", "明年"),
                ("", "继续"),
                ("", "办理", "处理", "答复"),
            ),
        ),
        (
            OUTCOME,
            "granted_or_partial",
            (
                *_expand(
                    ("予以公开", "公开", "全部公开", "同意公开"),
                    ("及", "和", "与", "或", "、", "以及", "或者"),
                    ("部分公开", "予以部分公开"),
                ),
                "全部或部分公开",
                "予以全部或部分公开",
                "全部或者部分公开",
            ),
        ),
        (OUTCOME, "granted", ("予以公开",)),
        (OUTCOME, "partially_granted", ("部分公开", "予以部分公开")),
        (OUTCOME, "withheld", ("不予公开",)),
        (OUTCOME, "unable", ("无法提供", "无法提供信息")),
        (OUTCOME, "not_processed", ("不予处理",)),
        (OUTCOME, "other_processing", ("其他处理",)),
        (
            VAGUE,
            "vague",
            ("同意公开", "准予公开", "不同意公开", "不公开", "公开答复", "告知", "依法公开", "答复公开", "信息不存在"),
        ),
        (APPEAL, "reconsideration", ("行政复议", "复议", "行政复议申请", "复议申请")),
        (APPEAL, "litigation", ("行政诉讼", "诉讼", "行政应诉案件")),
        (
            APPEAL,
            "litigation_direct",
            ("未经复议直接起诉", "直接起诉", "直接提起行政诉讼", "直接提起诉讼", "未经复议直接提起行政诉讼"),
        ),
        (
            APPEAL,
            "litigation_after_reconsideration",
            ("复议后起诉", "经复议后起诉", "复议后提起行政诉讼", "复议后提起诉讼", "经复议后提起行政诉讼"),
        ),
        (CASE, "case", ("案件", "案")),
        (APPEAL_OUTCOME, "upheld", ("结果维持", "维持", "被维持", "予以维持", "维持原决定", "维持原行政行为")),
        (
            APPEAL_OUTCOME,
            "corrected",
            ("结果纠正", "纠正", "被纠正", "纠错", "被纠错", "败诉", "被撤销", "确认违法", "被确认违法"),
        ),
        (APPEAL_OUTCOME, "other", ("其他结果",)),
        (APPEAL_OUTCOME, "pending", ("尚未审结", "未审结", "正在审理", "审理中", "未结案", "尚在审理")),
        (
            ALL_UPHELD,
            "all_upheld",
            _expand(
                ("均", "全部", "全", "都", "皆"),
                ("", "获", "被", "予以", "获得", "得到", "已", "为", "是", "已被", "已获"),
                ("维持",),
            ),
        ),
        (ALL_CONCLUDED, "all_concluded", ("均已审结", "全部审结", "均已结案", "全部结案", "均审结", "已全部审结")),
        (APPLICANT, "natural_person", ("自然人", "公民")),
        (
            APPLICANT,
            "organisations",
            (*_expand(("法人",), ("或", "和", "及", "或者", "与"), ("其他组织", "其它组织")), "法人"),
        ),
        (APPLICANT, "commercial", ("商业企业", "企业")),
        (APPLICANT, "research", ("科研机构",)),
        (APPLICANT, "social_welfare", ("社会公益组织",)),
        (APPLICANT, "legal_service", ("法律服务机构",)),
        (
            NEG,
            "neg",
            (
                "未发生",
                "未出现",
                "未产生",
                "未有",
                "没有发生",
                "没有",
                "未曾",
                "未",
                "无",
                "暂无",
                "尚无",
                "从未",
                "并未",
                "均未",
                "尚未",
                "不存在",
                "不收取",
                "不收",
            ),
        ),
        (NEG_OUTCOME, "litigation:corrected", ("零败诉",)),
        (POSTNEG, "postneg", ("均未发生", "均为零", "为零", "均没有", "均无")),
        (SUBSET, "subset", ("其中", "涉及", "包括", "含", "包含", "内含")),
        (
            CHANGE,
            "change",
            (
                "较",
                "比",
                "同比",
                "环比",
                "增长",
                "增加",
                "减少",
                "下降",
                "上升",
                "回落",
                "增幅",
                "降幅",
                "多出",
                "提高",
                "降低",
                "持平",
                "相比",
                "对比",
                "相较",
            ),
        ),
        (EACH, "each", ("各", "均")),
        (IN_FORCE, "in_force", ("现行有效",)),
        (DOCS, "normative_documents", ("规范性文件", "行政规范性文件")),
        (DOCS, "rules", ("规章", "政府规章")),
        (FEE, "fee", ("信息处理费", "处理费", "收费", "费用")),
        (ADMIN_FEE, "admin_fee", ("行政事业性收费",)),
        (REFER, "refer", ("相关", "上述", "以上", "前述", "此类", "该类", "这些")),
        (ANOTHER, "another", ("另有", "还有", "尚有", "另")),
        (
            QUALIFIER,
            "qualifier",
            (
                "本级",
                "部分",
                "个别",
                "少数",
                "有的",
                "仅",
                "只有",
                "所属",
                "下属",
                "除",
                "以外",
                "之外",
                "一些",
                "季度",
                "上半年",
                "下半年",
                "月份",
                "近年来",
                "近三年",
                "近两年",
                "近五年",
                "历年",
                "多年来",
                "上年度",
                "上一年度",
                "上年",
                "上一年",
                "去年",
                "同期",
            ),
        ),
    ]
    words: dict[str, tuple[str, str]] = {}
    for kind, value, texts in entries:
        for text in texts:
            words.setdefault(text, (kind, value))
    for text, key in _outcome_details().items():
        words.setdefault(text, (OUTCOME, key))
    return words


_WORDS: dict[str, tuple[str, str]] = _lexicon()
LEXICON: Mapping[str, tuple[str, str]] = MappingProxyType(_WORDS)
"""Every word the grammar knows → ``(kind, value)`` (read-only).  A longer word wins over
a shorter one at the same place (``无法提供`` is an outcome, not ``无`` + …)."""


def _trie_branches(words: Iterable[str]) -> list[str]:
    """Regular expressions, one per first character, that together match any of ``words``,
    longest first, as a trie (one branch per next character, so that the engine never
    tries more than one)."""
    trie: dict[str, dict] = {}  # type: ignore[type-arg]
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:  # type: ignore[type-arg]
        end = "" in node
        branches = [re.escape(c) + build(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if end else body

    return [re.escape(c) + build(child) for c, child in sorted(trie.items())]


_BOUNDS = "，,；;：:（）()【】[]。！？!?\n"
_SENTENCE_ENDS = frozenset("。！？!?\n")
_SEMICOLONS = frozenset("；;")

_CN_NUMERALS = "零〇一二两三四五六七八九十"
_ASCII_DIGITS, _WIDE_DIGITS = "0123456789", "０１２３４５６７８９"


def _token_pattern() -> str:
    """One alternation whose every branch starts with a literal character (a book title, a
    punctuation mark, a digit, a Chinese numeral before a count unit, or a word's first
    character), so that the regular expression engine skips every other character at C
    speed; a match is classified by :func:`lex`."""
    digits = f"[{_ASCII_DIGITS}{_WIDE_DIGITS}]*(?:,[0-9]{{3}})*(?:\\.[0-9]+)?"
    branches = ["《[^》\\n]{0,80}》"]
    branches += [re.escape(c) for c in _BOUNDS]
    branches += [re.escape(d) + digits for d in _ASCII_DIGITS + _WIDE_DIGITS]
    branches += [re.escape(c) + f"[{_CN_NUMERALS}]{{0,2}}(?=\\s*[件起宗个例])" for c in _CN_NUMERALS]
    branches += _trie_branches(LEXICON)  # the words: a branch per first character
    return "|".join(branches)


_TOKEN_RE = re.compile(_token_pattern())

_UNIT_RE = re.compile(
    r"\s*(?P<approx>余|多)?\s*"
    r"(?P<unit>人次|万元|个工作日|工作日|件|个|起|宗|例|份|部|项|条|次|篇|家|名|人|元|%|％|年|月|日|号|天|期|场|批|轮|户|万|亿|千|百|倍)?"
    r"\s*(?P<after>左右|以上|以下|上下|余|多)?"
)
_APPROX_BEFORE = ("约", "近", "逾", "超过", "超", "不足", "大约", "将近", "接近")
COUNT_UNITS: tuple[str, ...] = ("件", "个", "起", "宗", "例", "份", "部", "项")
"""Units that make a figure a count the grammar reads (``1个`` is a count with a unit)."""

_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_CN_DIGITS = dict(zip("零〇一二两三四五六七八九", (0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9), strict=True))


def _cn_number(text: str) -> int | None:
    """一 … 九十九 as an int (None for anything else)."""
    if "十" not in text:
        return _CN_DIGITS[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


class Tok(NamedTuple):
    """A token: ``kind`` (a word kind, ``count``, ``number``, ``title`` or ``bound``), its
    ``value`` (the word's value, the figure, the punctuation), its place in the paragraph
    and, for figures, the ``unit``."""

    kind: str
    value: object
    start: int
    end: int
    unit: str = ""


COUNT = "count"
NUMBER = "number"
BOUND = "bound"
TITLE = "title"


_new_tok = functools.partial(tuple.__new__, Tok)
"""``Tok`` from a tuple of its five fields, without the named tuple's keyword-taking
``__new__`` (a paragraph's sentences make a token every few characters)."""


def lex(text: str, start: int = 0, end: int | None = None) -> list[Tok]:
    """The tokens of ``text[start:end]`` (offsets into ``text``; unknown text between them
    is left out)."""
    tokens: list[Tok] = []
    append = tokens.append
    words = _WORDS
    for m in _TOKEN_RE.finditer(text, start, len(text) if end is None else end):
        raw = m[0]
        start, end = m.span()
        word = words.get(raw)
        if word is not None:
            append(_new_tok((word[0], word[1], start, end, "")))
            continue
        first = raw[0]
        if first in _BOUNDS:
            append(_new_tok((BOUND, raw, start, end, "")))
        elif first == "《":
            append(_new_tok((TITLE, raw, start, end, "")))
        else:
            if first in _CN_NUMERALS:
                number: int | None = _cn_number(raw)
                if number is None:
                    continue
            else:
                digits = raw.translate(_DIGITS).replace(",", "")
                # a decimal, or more digits than any figure (MAX_FIGURE_DIGITS), is no count
                number = None if "." in raw or len(digits) > MAX_FIGURE_DIGITS else int(digits)
            unit_match = _UNIT_RE.match(text, end)
            assert unit_match is not None  # every part is optional
            unit = unit_match.group("unit") or ""
            approx = bool(unit_match.group("approx") or unit_match.group("after"))
            before = text[max(0, start - 2) : start]
            approx = approx or before.endswith(_APPROX_BEFORE)
            ordinal = before.endswith("第")
            if unit:
                end = unit_match.end("unit")
            kind = COUNT if number is not None and unit in COUNT_UNITS and not approx and not ordinal else NUMBER
            append(_new_tok((kind, number, start, end, unit)))
    return tokens


# ---------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------

_FILLER = re.compile(
    r"(?:共计|合计|总计|累计|总共|一共|共|全年|全部|本年度|本年|年度|数量为|数量|总数|总量|为|达到|达|计|了|的|"
    r"分别为|分别是|分别|是|有|已|依法|新|均|各|件数|\s|　)*"
)
"""What may stand between a figure's head word and the figure."""

_VERB_OBJECT = re.compile(
    r"(?:共计|共|累计|合计|总计|各类|各种|所有|全部|依法|了|的|新|本年度|本年|全年|年度|"
    r"(?:通过|经由|以|采用)[^，。；\d]{0,30}?(?:提交|提出|递交|方式|渠道)的?|"
    r"(?:公民|法人|其他组织|自然人|群众|社会公众|申请人|企业|、|和|或|及|或者)+(?:提交|提出|递交)的?|\s|　)*"
)
"""What may stand between a verb (收到, 办理) and its object (申请)."""

_COORDINATION = re.compile(r"(?:、|和|及|与|或|以及|或者|/|\s)*(?:政府信息公开|信息公开)?(?:类)?")
"""What may join two appeal nouns (行政复议、行政诉讼)."""

_NEGATED = re.compile(
    r"(?:发生|出现|产生|有|过|任何|因|由于|就|对|工作|方面|而|被|引起|引发|导致|提起|提出|提交|收取|收|申请|"
    r"政府信息公开|信息公开|政务公开|政府信息|信息|公开|依申请|的|情况|情形|事项|现象|记录|"
    r"公民|法人|或者|或|其他组织|和|、|及|与|以及|本年度|本年|全年|年度|今年|该年度|了|等|均|都|也|相关|类|"
    r"一起|一件|一例|向|本机关|本单位|我单位|我局|我委|我办|决定|\s|　)*"
)
"""What may stand in a negated clause besides the words it negates."""

_DOC_GAP = re.compile(r"(?:的|行政|\s)*")
_SIGNIFICANT = frozenset(
    {
        APP,
        OTHER,
        RECEIVE,
        HANDLE,
        CARRY_OVER,
        CARRY_FORWARD,
        OUTCOME,
        VAGUE,
        APPEAL,
        CASE,
        APPEAL_OUTCOME,
        APPLICANT,
        DOCS,
        FEE,
        ADMIN_FEE,
        IN_FORCE,
        QUALIFIER,
    }
)
"""Word kinds that can be a figure's head (anything else is filler or context)."""


@attrs.define
class _State:
    """What a sentence has said so far."""

    app: bool = False
    """It spoke of applications (an application noun or figure)."""
    last_topic: str = ""
    """``app`` or ``appeal``: what it spoke of last."""
    measure: str = ""
    """The last total of applications it stated (``received``/``handled``)."""
    subset: bool = False
    """A subset marker (其中, 涉及, 含) is in force (until ``；``)."""
    group: list[str] = attrs.Factory(list)
    """The appeal nouns of its last mention (行政复议、行政诉讼)."""
    since: list[str] = attrs.Factory(list)
    """The appeal nouns named since it last stated an appeal outcome."""
    year: int | None = None
    """The last year it named (``2023年``)."""


def _appeal_nouns(tokens: list[Tok], k: int, text: str) -> list[str]:
    """The appeal nouns ending at token ``k`` (an APPEAL), with those coordinated before it."""
    nouns = [str(tokens[k].value)]
    j = k
    while j > 0 and tokens[j - 1].kind == APPEAL and _COORDINATION.fullmatch(text[tokens[j - 1].end : tokens[j].start]):
        j -= 1
        nouns.insert(0, str(tokens[j].value))
    return nouns


def _appeal_subjects(nouns: list[str], value: int, each: bool) -> list[tuple[str, int]]:
    unique = list(dict.fromkeys(nouns))
    if len(unique) == 1:
        return [(unique[0], value)]
    if each:
        return [(noun, value) for noun in unique]
    if set(unique) == {"reconsideration", "litigation"}:
        return [("appeals", value)]
    return []


def _read_count(
    frame: list[Tok], count: Tok, rest: list[Tok], text: str, frame_start: int, st: _State
) -> list[tuple[str, int]]:
    """What one figure states, from the words before it in its clause (``frame``) and, for
    a figure before its verb (「另有72件…顺延到下年度」), the words after it (``rest``)."""
    value = count.value
    assert isinstance(value, int)
    kinds = {t.kind for t in frame}
    if CHANGE in kinds or NEG in kinds or POSTNEG in kinds:
        return []
    significant = [k for k, t in enumerate(frame) if t.kind in _SIGNIFICANT]
    if not significant:
        # 另有103件顺延到下年度答复 · 3件结转至下一年度
        before = text[frame_start : count.start]
        if re.fullmatch(r"(?:另有|还有|尚有|另|其余|剩余|共|\s|　|、)*", before) is None:
            return []
        for t in rest:
            if t.kind == CARRY_FORWARD:
                return [("carried_forward", value)]
            if t.kind in _SIGNIFICANT and t.kind != APP:
                return []
        return []
    k = significant[-1]
    head = frame[k]
    gap = text[head.end : count.start]
    if _FILLER.fullmatch(gap) is None:
        return []
    if any(t.kind == QUALIFIER for t in frame[:k]):
        return []  # 市本级…, 第一季度…, 上年度…: a part of what the report counts
    each = any(t.kind == EACH and t.start >= head.end for t in frame)
    qualified = any(t.kind in (OUTCOME, VAGUE) for t in frame[:k])
    kind = head.kind
    if kind == OUTCOME:
        st.app, st.last_topic = True, "app"
        return [(f"outcome:{head.value}", value)]
    if kind == APPEAL_OUTCOME:
        nouns = [str(t.value) for t in frame[:k] if t.kind == APPEAL] or st.group
        if head.value == "corrected" and not nouns and text[head.start : head.end].endswith("败诉"):
            nouns = ["litigation"]
        unique = list(dict.fromkeys(nouns))
        if len(unique) != 1:
            return []
        st.since = []
        return [(f"{unique[0]}:{head.value}", value)]
    if kind in (APPEAL, CASE):
        if any(t.kind == RECEIVE for t in frame[:k]):
            return []  # 收到/受理行政复议申请: the organ as the reconsideration body, perhaps
        if kind == CASE:
            if k > 0 and frame[k - 1].kind == APPEAL and _COORDINATION.fullmatch(text[frame[k - 1].end : head.start]):
                nouns = _appeal_nouns(frame, k - 1, text)
            elif k > 0 and frame[k - 1].kind == REFER and frame[k - 1].end == head.start and st.group:
                nouns = list(st.group)
            else:
                return []
        else:
            nouns = _appeal_nouns(frame, k, text)
        st.last_topic = "appeal"
        st.group = list(dict.fromkeys(nouns))
        st.since = list(dict.fromkeys([*st.since, *nouns]))
        outcomes = [str(t.value) for t in frame[:k] if t.kind == APPEAL_OUTCOME]
        if outcomes:  # 尚未审结的行政复议案件1件
            if len(set(outcomes)) != 1 or len(st.group) != 1:
                return []
            return [(f"{st.group[0]}:{outcomes[0]}", value)]
        return _appeal_subjects(nouns, value, each)
    if kind == APP:
        previous = frame[k - 1] if k > 0 else None
        if previous is not None and previous.kind == APPLICANT and _FILLER.fullmatch(text[previous.end : head.start]):
            if not st.measure:
                return []
            return [(f"{st.measure}:{previous.value}", value)]
        for j in range(k - 1, -1, -1):
            t = frame[j]
            if t.kind == APPLICANT:
                continue  # 受理公民、法人和其他组织提出的申请: checked with the words between verb and object
            if t.kind in (RECEIVE, HANDLE, CARRY_OVER, CARRY_FORWARD):
                if _VERB_OBJECT.fullmatch(text[t.end : head.start]) is None:
                    return []
                st.app, st.last_topic = True, "app"
                if t.kind in (CARRY_OVER, CARRY_FORWARD):
                    return [(str(t.value), value)]
                if st.subset or any(x.kind in (OUTCOME, VAGUE) for x in frame[:j]):
                    return []
                st.measure = str(t.value)
                return [(st.measure, value)]
            if t.kind in _SIGNIFICANT:
                return []
        return []
    if kind in (RECEIVE, HANDLE):
        if not st.app or st.last_topic != "app" or st.subset or qualified:
            return []
        if k > 0 and frame[k - 1].kind in (OUTCOME, VAGUE, APPLICANT) and frame[k - 1].end == head.start:
            return []
        st.measure = str(head.value)
        return [(st.measure, value)]
    if kind in (CARRY_OVER, CARRY_FORWARD):
        return [(str(head.value), value)]
    if kind == APPLICANT:
        if not st.measure or st.last_topic != "app":
            return []
        return [(f"{st.measure}:{head.value}", value)]
    if kind == DOCS:
        if k > 0 and frame[k - 1].kind == IN_FORCE and _DOC_GAP.fullmatch(text[frame[k - 1].end : head.start]):
            return [(f"in_force:{head.value}", value)]
        return []
    return []


def _read_negation(clause: list[Tok], text: str, start: int, end: int, st: _State) -> list[tuple[str, int]]:
    """What a clause without figures denies (「未发生政府信息公开行政复议」), when every word
    of it is understood."""
    negs = [k for k, t in enumerate(clause) if t.kind == NEG]
    posts = [k for k, t in enumerate(clause) if t.kind == POSTNEG]
    if not negs and not posts:
        return []
    if negs:
        n = negs[0]
        prefix = clause[:n]
        words = clause[n + 1 :]
        span_start = clause[n].end
    else:
        n = posts[0]
        prefix = []
        words = clause[:n] + clause[n + 1 :]
        span_start = start
        text = text[: clause[n].start] + " " * (clause[n].end - clause[n].start) + text[clause[n].end :]
    if any(t.kind in (QUALIFIER, SUBSET, CHANGE, COUNT, NUMBER, OTHER, VAGUE, NEG, POSTNEG) for t in words):
        return []
    if any(t.kind in (QUALIFIER, SUBSET, CHANGE) for t in prefix):
        return []
    # every character after the negation is a known word or negated-clause filler
    leftover = []
    cursor = span_start
    for t in words:
        leftover.append(text[cursor : t.start])
        cursor = t.end
    leftover.append(text[cursor:end])
    if _NEGATED.fullmatch("".join(leftover)) is None:
        return []
    kinds = [t.kind for t in words]
    if APPEAL in kinds or APPEAL_OUTCOME in kinds:
        out: list[tuple[str, int]] = []
        nouns: list[str] = []
        current: str | None = None
        qualified: dict[str, list[str]] = {}
        for t in words:
            if t.kind == APPEAL:
                current = str(t.value)
                nouns.append(current)
                qualified.setdefault(current, [])
            elif t.kind == APPEAL_OUTCOME:
                if current is None:
                    if t.value == "corrected" and text[t.start : t.end].endswith("败诉"):
                        out.append(("litigation:corrected", 0))
                        continue
                    return []
                qualified[current].append(str(t.value))
            elif t.kind in (OUTCOME, CARRY_OVER, CARRY_FORWARD, FEE, ADMIN_FEE, DOCS, IN_FORCE, APPLICANT):
                return []
        for noun in dict.fromkeys(nouns):
            outcomes = qualified[noun]
            if outcomes:
                out += [(f"{noun}:{o}", 0) for o in dict.fromkeys(outcomes)]
            else:
                out.append((noun, 0))
        st.last_topic = "appeal"
        st.group = list(dict.fromkeys(nouns)) or st.group
        return out
    if OUTCOME in kinds:
        outcomes = [str(t.value) for t in words if t.kind == OUTCOME]
        if any(k not in (OUTCOME, APP, HANDLE) for k in kinds):
            return []
        return [(f"outcome:{o}", 0) for o in dict.fromkeys(outcomes)]
    if CARRY_FORWARD in kinds or CARRY_OVER in kinds:
        if any(k not in (CARRY_FORWARD, CARRY_OVER, APP) for k in kinds):
            return []
        return [(str(t.value), 0) for t in words if t.kind in (CARRY_FORWARD, CARRY_OVER)][:1]
    if APP in kinds:
        if any(k not in (APP, RECEIVE, APPLICANT) for k in kinds) or kinds[-1] != APP:
            return []
        st.app, st.last_topic = True, "app"
        groups = {str(t.value) for t in words if t.kind == APPLICANT}
        if not groups or groups >= {"natural_person", "organisations"}:
            return [("received", 0)]  # 公民、法人或其他组织提出的: everyone
        if len(groups) == 1:
            return [(f"received:{groups.pop()}", 0)]
        return []
    if FEE in kinds:
        if any(k not in (FEE, APP, REFER) for k in kinds):
            return []
        return [("fee", 0)]
    return []


def _read_clause(
    clause: list[Tok], text: str, start: int, end: int, st: _State
) -> list[tuple[str, int | None, int | None]]:
    years = [t.value for t in clause if t.kind == NUMBER and t.unit == "年" and isinstance(t.value, int)]
    years = [y for y in years if 1990 <= y <= 2100]
    if years:
        st.year = years[0]
    return [(subject, value, st.year) for subject, value in _read_clause_statements(clause, text, start, end, st)]


def _read_clause_statements(
    clause: list[Tok], text: str, start: int, end: int, st: _State
) -> list[tuple[str, int | None]]:
    out: list[tuple[str, int | None]] = []
    counts = [k for k, t in enumerate(clause) if t.kind == COUNT]
    for t in clause:
        if t.kind == NEG_OUTCOME:
            out.append((str(t.value), 0))
    if not counts:
        out += _read_negation(clause, text, start, end, st)
    frame_first = 0
    frame_start = start
    for k, t in enumerate(clause):
        if t.kind == SUBSET:
            st.subset = True
        elif t.kind == APP and not st.app:
            st.app = True
            st.last_topic = "app"
        elif t.kind == APPEAL and (k + 1 == len(clause) or clause[k + 1].kind != APPEAL):
            if not any(c > k for c in counts):  # a mention (行政复议、行政诉讼案件的应诉工作)
                nouns = _appeal_nouns(clause, k, text)
                st.group = list(dict.fromkeys(nouns))
                st.since = list(dict.fromkeys([*st.since, *nouns]))
                st.last_topic = "appeal"
        elif t.kind in (ALL_UPHELD, ALL_CONCLUDED):
            scope = list(dict.fromkeys(st.since))
            if scope and not any(x.kind in (NEG, QUALIFIER, SUBSET, CHANGE) for x in clause):
                columns = ("corrected", "other", "pending") if t.kind == ALL_UPHELD else ("pending",)
                out += [(f"{noun}:{column}", 0) for noun in scope for column in columns]
            st.since = []
        elif t.kind == COUNT:
            nxt = next((c for c in counts if c > k), len(clause))
            out += _read_count(clause[frame_first:k], t, clause[k + 1 : nxt], text, frame_start, st)
            frame_first = k + 1
            frame_start = t.end
    fees = [t for t in clause if t.kind == FEE]
    if fees and not any(s == "fee" for s, _ in out):
        out.append(("fee", None))
    return out


_ANCHOR_RE = re.compile(
    "|".join(
        [re.escape(d) + r"\s*(?:[余多]\s*)?[件起宗个例份部项]" for d in _ASCII_DIGITS + _WIDE_DIGITS + _CN_NUMERALS]
        + ["未", "没有", "无", "不存在", "维持", "审结", "结案", "为零", "零败诉", "费"]
    )
)
"""Something a statement needs (a count, a negation, 维持, a fee): a sentence without any
is not read at all."""
_SENTENCE_END_RE = re.compile(r"[。！？!?\n]")


def _sentences(text: str) -> Iterator[tuple[int, int]]:
    """The spans of the sentences of ``text`` that hold an anchor (each sentence once,
    with its closing punctuation)."""
    ends = [m.end() for m in _SENTENCE_END_RE.finditer(text)]
    last = -1
    for anchor in _ANCHOR_RE.finditer(text):
        k = bisect.bisect_right(ends, anchor.start())
        start = ends[k - 1] if k else 0
        if start == last:
            continue
        last = start
        yield start, ends[k] if k < len(ends) else len(text)


def _read_sentence(text: str, start: int, end: int) -> list[tuple[str, int | None, int | None]]:
    st = _State()
    found: list[tuple[str, int | None, int | None]] = []
    clause: list[Tok] = []
    clause_start = start
    for tok in lex(text, start, end):
        if tok.kind != BOUND:
            clause.append(tok)
            continue
        if clause:
            found += _read_clause(clause, text, clause_start, tok.start, st)
        clause = []
        clause_start = tok.end
        if tok.value in _SEMICOLONS:
            st.subset = False
    if clause:
        found += _read_clause(clause, text, clause_start, end, st)
    return found


_UNCERTAIN_SCOPE = re.compile(
    "|".join(
        [
            r"(?:今年|年初|本年度?|年内)以来",  # the year so far
            r"截[至止]\s*(?:目前|今|现在|发稿)|目前为止|迄今",
            r"截[至止]\s*(?:(?:19|20)\d\d\s*年\s*)?(?:1[01]|[1-9])\s*月",  # up to a month before December
            r"(?<!\d)(?:1[01]|[1-9])\s*(?:月\s*)?[—–\-－~～至到]\s*(?:1[01]|[1-9])\s*月",  # 1—11月
            r"前[一二三]季度|第?[一二三四]季度|[上下]半年",
            r"[日周月年]均|平均|每[日周月年天]",  # a rate, not a count
            r"截[至止][^。；;]{0,24}累计",  # a running total, perhaps over years
        ]
    )
)
"""What makes a sentence speak of something other than the year's count: part of the year
(``今年以来``, ``截至目前``, ``截至11月底``, ``1—11月``, ``上半年``), a rate (``月均``, ``平均每月``) or
a running total (``截至…累计``).  A sentence that holds one yields no statement (it cannot be
read with certainty), in whichever of its clauses it stands."""


@functools.lru_cache(maxsize=4096)
def read_paragraph(text: str) -> tuple[Statement, ...]:
    """Every statement of one paragraph, in order (see the module's documentation)."""
    statements: list[Statement] = []
    for start, end in _sentences(text):
        if _UNCERTAIN_SCOPE.search(text, start, end) is not None:
            continue
        found = _read_sentence(text, start, end)
        if not found:
            continue
        sentence = text[start:end].strip()
        first = start + text[start:end].index(sentence[0]) if sentence else start
        seen: set[tuple[str, int | None]] = set()
        for subject, value, year in found:
            if (subject, value) in seen:
                continue
            seen.add((subject, value))
            statements.append(
                Statement(
                    subject=subject, value=value, sentence=sentence, start=first, end=first + len(sentence), year=year
                )
            )
    return tuple(statements)


def read_sections(prose: Mapping[str, tuple[str, ...]]) -> Iterator[tuple[str, int, Statement]]:
    """``(section key, paragraph number from 1, statement)`` for every statement of the
    given prose sections."""
    for section, paragraphs in prose.items():
        for number, paragraph in enumerate(paragraphs, 1):
            for statement in read_paragraph(paragraph):
                yield section, number, statement
