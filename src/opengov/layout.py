"""The two official report layouts as data.

This module is the **only** place where an official label (官方标签) is written. Everything
else — the model's field metadata, JSON keys, parsers, renderers, CSV and checks — reads
the labels, keys, spans and units from here.

Two national formats exist:

* ``Format.V2019`` — the 2019 trial format (国办公开办函〔2019〕60号), used for the 2019 and
  2020 reports;
* ``Format.V2021`` — the 2021 format (国办公开办函〔2021〕30号), used from 2021 onwards.

Vocabulary: a *table* (``table2``, ``table3``, ``table4``) has *blocks* (table 2's
第二十条 captions, table 3's groups such as （三）不予公开, table 4's 行政复议 / 未经复议直接起诉 /
复议后起诉), *rows* and *columns*, each with a stable English ``key`` and a canonical Chinese
``label``.  Keys are part of the public API (JSON, CSV, findings) and never change silently.
"""

from __future__ import annotations

import enum
import functools
import re
import unicodedata
from collections.abc import Iterator, Mapping
from typing import Literal, Protocol, TypeVar

import attrs

from opengov import _nfkc as nfkc

__all__ = [
    "Format",
    "Kind",
    "Column",
    "Row",
    "Block",
    "Table2Layout",
    "Table3Layout",
    "Table4Layout",
    "Section",
    "FormatLayout",
    "SECTIONS",
    "LAYOUT_2019",
    "LAYOUT_2021",
    "PLACEHOLDER_GLYPHS",
    "layout_for",
    "normalize_label",
    "Sum",
    "Balance",
    "CellKey",
    "CellSpec",
    "Identity",
    "CellIndex",
    "cell_index",
    "TABLES",
    "Stock",
    "stock_identities",
]


class Format(str, enum.Enum):
    """The national report format (年度报告格式)."""

    V2019 = "2019"
    """2019 trial format, 国办公开办函〔2019〕60号 (reports for 2019 and 2020)."""
    V2021 = "2021"
    """2021 format, 国办公开办函〔2021〕30号 (reports for 2021 onwards)."""

    @property
    def document(self) -> str:
        """The official document that issued the format."""
        return _FORMAT_DOCUMENTS[self]

    @classmethod
    def _missing_(cls, value: object) -> Format:
        """``Format(2021)`` and ``Format(" 2021 ")`` as ``Format("2021")``; anything else is a
        ``ValueError`` that lists the formats."""
        if isinstance(value, (int, str)) and not isinstance(value, bool):
            for fmt in cls:
                if str(value).strip() == fmt.value:
                    return fmt
        known = ", ".join(repr(f.value) for f in cls)
        raise ValueError(f"unknown report format {value!r}: the formats are {known} (the ints 2019 and 2021 work too)")

    def __str__(self) -> str:
        return self.value


_FORMAT_DOCUMENTS = {
    Format.V2019: "国办公开办函〔2019〕60号",
    Format.V2021: "国办公开办函〔2021〕30号",
}


class Kind(str, enum.Enum):
    """What a column holds."""

    COUNT = "count"
    """A non-negative integer count (件, 个, 项)."""
    SIGNED = "signed"
    """A signed integer (2019 format: 本年增/减)."""
    MONEY = "money"
    """A non-negative decimal amount of money; the unit is the column's or the cell's own."""


@attrs.frozen(kw_only=True)
class Column:
    """One data column: English ``key``, canonical Chinese ``label``, tolerated variants."""

    key: str
    label: str
    kind: Kind = Kind.COUNT
    unit: str | None = None
    """The unit the header states (e.g. ``万元``), or None when the cell carries its own."""
    variants: tuple[str, ...] = ()
    short_label: str | None = None
    """A shorter label seen in real documents (used for matching only)."""


@attrs.frozen(kw_only=True)
class Row:
    """One data row: English ``key``, canonical Chinese ``label``, tolerated variants."""

    key: str
    label: str
    variants: tuple[str, ...] = ()
    block: str | None = None
    """Key of the block (table 2 caption, table 3 group) this row sits in, if any."""


@attrs.frozen(kw_only=True)
class Block:
    """A labelled group of rows (table 2 第二十条 caption, table 3 group) or a table 4 block."""

    key: str
    label: str
    variants: tuple[str, ...] = ()
    rows: tuple[str, ...] = ()
    """Keys of the rows in this block, in order (empty for table 4 blocks)."""
    columns: tuple[Column, ...] = ()
    """Table 2: the block's own data columns. Empty elsewhere."""
    parent: str | None = None
    """Table 4: the label spanning this block and its sibling (行政诉讼)."""


@attrs.frozen(kw_only=True)
class Sum:
    """An identity template: ``total`` = the sum of ``parts`` (keys of columns or rows)."""

    total: str
    parts: tuple[str, ...]


@attrs.frozen(kw_only=True)
class Balance:
    """An identity template: the sum of ``left`` = the sum of ``right`` (row keys)."""

    left: tuple[str, ...]
    right: tuple[str, ...]


@attrs.frozen(kw_only=True)
class Table2Layout:
    """Table 2 — 主动公开政府信息情况."""

    key: str = "table2"
    header: str
    """Label of the first column, 信息内容."""
    blocks: tuple[Block, ...]
    rows: tuple[Row, ...]
    _rows_by_key: Mapping[str, Row] = attrs.field(
        init=False, eq=False, repr=False, default=attrs.Factory(lambda self: _keyed(self.rows), takes_self=True)
    )
    _blocks_by_key: Mapping[str, Block] = attrs.field(
        init=False, eq=False, repr=False, default=attrs.Factory(lambda self: _keyed(self.blocks), takes_self=True)
    )

    def row(self, key: str) -> Row:
        return _find(self._rows_by_key, key, "table2 row")

    def block(self, key: str) -> Block:
        return _find(self._blocks_by_key, key, "table2 block")

    def columns_of(self, row_key: str) -> tuple[Column, ...]:
        """The data columns of one row (those of its block)."""
        row = self.row(row_key)
        assert row.block is not None
        return self.block(row.block).columns

    def cells(self) -> Iterator[tuple[Block, Row, Column]]:
        """Every data cell position, in layout order."""
        for block in self.blocks:
            for row_key in block.rows:
                row = self.row(row_key)
                for column in block.columns:
                    yield block, row, column


@attrs.frozen(kw_only=True)
class Table3Layout:
    """Table 3 — 收到和处理政府信息公开申请情况."""

    key: str = "table3"
    note: str
    """The 勾稽关系 note cell of the header."""
    applicant_header: str
    """申请人情况, spanning the seven data columns."""
    organisation_header: str
    """法人或其他组织, spanning its five sub-columns."""
    outcomes_label: str
    """三、本年度办理结果, the label spanning the outcome rows."""
    outcomes_variants: tuple[str, ...]
    columns: tuple[Column, ...]
    organisation_columns: tuple[str, ...]
    """Keys of the columns under 法人或其他组织."""
    rows: tuple[Row, ...]
    blocks: tuple[Block, ...]
    """The groups with sub-rows (（三）不予公开 …)."""
    outcome_rows: tuple[str, ...]
    """Keys of the rows whose sum is （七）总计 (21 in 2021, 19 in 2019)."""
    group_totals: tuple[str, ...] = ()
    """Groups whose total a document may print as one row with figures and the model keeps
    (2021: ``other_processing``, （六）其他处理 printed the 2019 format's way): the table
    record holds it under the group's key (``None`` when not printed); it is not a cell of
    the format."""
    subtotal_column: Column
    """An 8th 法人或其他组织 subtotal column some documents add (not part of the model)."""
    row_sum: Sum
    """On every row: 总计 = 自然人 + the five 法人或其他组织 columns."""
    outcomes_sum: Sum
    """In every column: （七）总计 = the sum of the outcome rows."""
    balance: Balance
    """In every column (the rule printed in the header): 一 + 二 = （七）总计 + 四."""
    _rows_by_key: Mapping[str, Row] = attrs.field(
        init=False, eq=False, repr=False, default=attrs.Factory(lambda self: _keyed(self.rows), takes_self=True)
    )
    _columns_by_key: Mapping[str, Column] = attrs.field(
        init=False, eq=False, repr=False, default=attrs.Factory(lambda self: _keyed(self.columns), takes_self=True)
    )
    _blocks_by_key: Mapping[str, Block] = attrs.field(
        init=False, eq=False, repr=False, default=attrs.Factory(lambda self: _keyed(self.blocks), takes_self=True)
    )

    def row(self, key: str) -> Row:
        return _find(self._rows_by_key, key, "table3 row")

    def column(self, key: str) -> Column:
        return _find(self._columns_by_key, key, "table3 column")

    def block(self, key: str) -> Block:
        return _find(self._blocks_by_key, key, "table3 block")

    def cells(self) -> Iterator[tuple[Block | None, Row, Column]]:
        """Every data cell position, in layout order."""
        for row in self.rows:
            block = self.block(row.block) if row.block else None
            for column in self.columns:
                yield block, row, column


@attrs.frozen(kw_only=True)
class Table4Layout:
    """Table 4 — 政府信息公开行政复议、行政诉讼情况 (identical in both formats)."""

    key: str = "table4"
    reconsideration_label: str
    litigation_label: str
    blocks: tuple[Block, ...]
    columns: tuple[Column, ...]
    block_sum: Sum
    """In every block: 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结."""
    _blocks_by_key: Mapping[str, Block] = attrs.field(
        init=False, eq=False, repr=False, default=attrs.Factory(lambda self: _keyed(self.blocks), takes_self=True)
    )
    _columns_by_key: Mapping[str, Column] = attrs.field(
        init=False, eq=False, repr=False, default=attrs.Factory(lambda self: _keyed(self.columns), takes_self=True)
    )

    def block(self, key: str) -> Block:
        return _find(self._blocks_by_key, key, "table4 block")

    def column(self, key: str) -> Column:
        return _find(self._columns_by_key, key, "table4 column")

    def cells(self) -> Iterator[tuple[Block, Column]]:
        """Every data cell position, in printed order (15 cells)."""
        for block in self.blocks:
            for column in self.columns:
                yield block, column


@attrs.frozen(kw_only=True)
class Section:
    """One of the six sections (一 … 六) of a report."""

    key: str
    number: str
    """The Chinese ordinal with its 、, e.g. ``一、``."""
    label: str
    """The full canonical heading, e.g. ``一、总体情况``."""
    variants: tuple[str, ...] = ()
    table: str | None = None
    """The table this section holds, if any."""


@attrs.frozen(kw_only=True)
class FormatLayout:
    """Everything about one format."""

    format: Format
    table2: Table2Layout
    table3: Table3Layout
    table4: Table4Layout
    markers: tuple[str, ...]
    """Labels that occur only in this format (used to detect it)."""

    @property
    def sections(self) -> tuple[Section, ...]:
        return SECTIONS

    @property
    def index(self) -> CellIndex:
        """Every data cell of this format and the identities between them
        (:func:`cell_index`)."""
        return cell_index(self.format)


class _Keyed(Protocol):
    @property
    def key(self) -> str: ...


_T = TypeVar("_T", bound=_Keyed)


def _keyed(items: tuple[_T, ...]) -> dict[str, _T]:
    """Items by key (the first of each key)."""
    index: dict[str, _T] = {}
    for item in items:
        index.setdefault(item.key, item)
    return index


def _find(index: Mapping[str, _T], key: str, what: str) -> _T:
    found = index.get(key)
    if found is None:
        raise KeyError(f"unknown {what} key {key!r}")
    return found


# ---------------------------------------------------------------------------------------
# Sections
# ---------------------------------------------------------------------------------------

SECTIONS: tuple[Section, ...] = (
    Section(key="overview", number="一、", label="一、总体情况"),
    Section(
        key="proactive",
        number="二、",
        label="二、主动公开政府信息情况",
        table="table2",
    ),
    Section(
        key="applications",
        number="三、",
        label="三、收到和处理政府信息公开申请情况",
        table="table3",
    ),
    Section(
        key="appeals",
        number="四、",
        label="四、政府信息公开行政复议、行政诉讼情况",
        table="table4",
    ),
    Section(
        key="problems",
        number="五、",
        label="五、存在的主要问题及改进情况",
        variants=(
            "五、政府信息公开工作存在的主要问题及改进情况",
            "五、存在的主要问题及改进措施",
            "五、政府信息公开工作存在的主要问题及改进措施",
        ),
    ),
    Section(key="other_matters", number="六、", label="六、其他需要报告的事项"),
)
"""The six sections, in order; identical in both formats."""

REPORT_TITLE_SUFFIX = "政府信息公开工作年度报告"
"""How a report title ends: ``<机关名称><YYYY>年度政府信息公开工作年度报告``."""

REPORT_TITLE_CORE = "政府信息公开"
"""The words every report title holds before its ending (``…政府信息公开工作年度报告``)."""

REPORT_TITLE_ENDINGS: tuple[str, ...] = ("报告", "年报")
"""How a title ends after :data:`REPORT_TITLE_CORE` and at most a few words
(``工作年度报告``, ``年度报告``, ``工作报告``, ``工作年报``)."""

ORGAN_NAME_ENDINGS: tuple[str, ...] = (
    "人民政府",
    "政府",
    "办公厅",
    "办公室",
    "委员会",
    "管委会",
    "办事处",
    "街道",
    "局",
    "厅",
    "委",
    "办",
    "部",
    "署",
    "院",
    "会",
    "中心",
    "处",
    "所",
    "站",
    "队",
    "区",
    "县",
    "市",
    "省",
    "州",
    "盟",
    "旗",
    "镇",
    "乡",
    "村",
    "社区",
    "港区",
    "公司",
)
"""How an organ's name ends (a name taken from a signature or a sentence must end so; a
trailing bracketed alias such as ``（嘉兴港区）`` is ignored)."""

ORGAN_SENTENCE_WORDS: tuple[str, ...] = (
    "根据",
    "依据",
    "按照",
    "坚持",
    "认真",
    "深入",
    "全面",
    "严格",
    "围绕",
    "紧扣",
    "持续",
    "进一步",
    "以",
)
"""Words that follow the organ's name at the start of a preamble or overview sentence
(``2019年，上海市人民政府办公厅坚持…``, ``…办公厅根据《条例》…``)."""

ORGAN_AUTHOR_WORDS: tuple[str, ...] = ("编制", "编写", "发布", "制作")
"""Words after ``由<机关>`` naming the organ that wrote the report (``本报告由…编制``)."""

PLACEHOLDER_GLYPHS: tuple[str, ...] = ("/", "／", "-", "—", "--", "——", "－", "无", "不适用", "暂无", "×")
"""Glyphs printed in a cell to mean "nothing here" (kept as printed, never read as 0)."""

# ---------------------------------------------------------------------------------------
# Table 3 (shared parts)
# ---------------------------------------------------------------------------------------

_T3_COLUMNS: tuple[Column, ...] = (
    Column(key="natural_person", label="自然人"),
    Column(key="commercial", label="商业企业"),
    Column(key="research", label="科研机构"),
    Column(key="social_welfare", label="社会公益组织"),
    Column(key="legal_service", label="法律服务机构"),
    Column(key="other_org", label="其他", variants=("其他组织",)),
    Column(key="total", label="总计", variants=("合计",)),
)

_T3_HEAD_ROWS: tuple[Row, ...] = (
    Row(
        key="new_received",
        label="一、本年新收政府信息公开申请数量",
        variants=("一、本年新收政府信息公开申请数",),
    ),
    Row(
        key="carried_over",
        label="二、上年结转政府信息公开申请数量",
        variants=("二、上年结转政府信息公开申请数",),
    ),
    Row(key="granted", label="（一）予以公开"),
    Row(
        key="partially_granted",
        label="（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        variants=("（二）部分公开",),
    ),
    Row(key="state_secret", label="1.属于国家秘密", block="withheld"),
    Row(key="prohibited_by_law", label="2.其他法律行政法规禁止公开", block="withheld"),
    Row(key="endangers_safety_stability", label="3.危及“三安全一稳定”", block="withheld"),
    Row(key="third_party_rights", label="4.保护第三方合法权益", block="withheld"),
    Row(key="internal_affairs", label="5.属于三类内部事务信息", block="withheld"),
    Row(key="process_information", label="6.属于四类过程性信息", block="withheld"),
    Row(key="enforcement_file", label="7.属于行政执法案卷", block="withheld"),
    Row(key="administrative_query", label="8.属于行政查询事项", block="withheld"),
    Row(key="not_held", label="1.本机关不掌握相关政府信息", block="unable"),
    Row(key="needs_creation", label="2.没有现成信息需要另行制作", block="unable"),
    Row(key="still_unclear", label="3.补正后申请内容仍不明确", block="unable"),
    Row(key="petition_complaint", label="1.信访举报投诉类申请", block="not_processed"),
    Row(key="repeated", label="2.重复申请", block="not_processed"),
    Row(key="publication", label="3.要求提供公开出版物", block="not_processed"),
    Row(key="excessive", label="4.无正当理由大量反复申请", block="not_processed"),
    Row(
        key="confirmation",
        label="5.要求行政机关确认或重新出具已获取信息",
        block="not_processed",
    ),
)

_T3_TAIL_ROWS: tuple[Row, ...] = (
    Row(key="total_handled", label="（七）总计", variants=("（七）合计",)),
    Row(key="carried_forward", label="四、结转下年度继续办理"),
)

_T3_COMMON_BLOCKS: tuple[Block, ...] = (
    Block(
        key="withheld",
        label="（三）不予公开",
        rows=(
            "state_secret",
            "prohibited_by_law",
            "endangers_safety_stability",
            "third_party_rights",
            "internal_affairs",
            "process_information",
            "enforcement_file",
            "administrative_query",
        ),
    ),
    Block(key="unable", label="（四）无法提供", rows=("not_held", "needs_creation", "still_unclear")),
    Block(
        key="not_processed",
        label="（五）不予处理",
        rows=("petition_complaint", "repeated", "publication", "excessive", "confirmation"),
    ),
)

_OTHER_PROCESSING = "（六）其他处理"

_T3_2021_OTHER_ROWS: tuple[Row, ...] = (
    Row(
        key="no_correction",
        label="1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        block="other_processing",
    ),
    Row(
        key="fee_unpaid",
        label="2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        block="other_processing",
    ),
    Row(key="other", label="3.其他", block="other_processing"),
)

_T3_2019_OTHER_ROWS: tuple[Row, ...] = (Row(key="other_processing", label=_OTHER_PROCESSING),)


def _table3(fmt: Format) -> Table3Layout:
    other_rows = _T3_2021_OTHER_ROWS if fmt is Format.V2021 else _T3_2019_OTHER_ROWS
    rows = _T3_HEAD_ROWS + other_rows + _T3_TAIL_ROWS
    blocks = _T3_COMMON_BLOCKS
    if fmt is Format.V2021:
        blocks = (
            *blocks,
            Block(key="other_processing", label=_OTHER_PROCESSING, rows=tuple(r.key for r in _T3_2021_OTHER_ROWS)),
        )
    head = ("new_received", "carried_over", "total_handled", "carried_forward")
    return Table3Layout(
        note="（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
        applicant_header="申请人情况",
        organisation_header="法人或其他组织",
        outcomes_label="三、本年度办理结果",
        outcomes_variants=("三、本年度办理结果情况",),
        columns=_T3_COLUMNS,
        organisation_columns=("commercial", "research", "social_welfare", "legal_service", "other_org"),
        rows=rows,
        blocks=blocks,
        outcome_rows=tuple(r.key for r in rows if r.key not in head),
        group_totals=("other_processing",) if fmt is Format.V2021 else (),
        subtotal_column=Column(key="organisation_subtotal", label="法人或其他组织", variants=("小计",)),
        row_sum=Sum(total="total", parts=tuple(c.key for c in _T3_COLUMNS if c.key != "total")),
        outcomes_sum=Sum(total="total_handled", parts=tuple(r.key for r in rows if r.key not in head)),
        balance=Balance(left=("new_received", "carried_over"), right=("total_handled", "carried_forward")),
    )


# ---------------------------------------------------------------------------------------
# Table 4 (identical in both formats)
# ---------------------------------------------------------------------------------------

_TABLE4 = Table4Layout(
    reconsideration_label="行政复议",
    litigation_label="行政诉讼",
    blocks=(
        Block(key="reconsideration", label="行政复议"),
        Block(key="litigation_direct", label="未经复议直接起诉", parent="行政诉讼"),
        Block(key="litigation_after_reconsideration", label="复议后起诉", parent="行政诉讼"),
    ),
    columns=(
        Column(key="upheld", label="结果维持"),
        Column(key="corrected", label="结果纠正"),
        Column(key="other", label="其他结果"),
        Column(key="pending", label="尚未审结"),
        Column(key="total", label="总计", variants=("合计",)),
    ),
    block_sum=Sum(total="total", parts=("upheld", "corrected", "other", "pending")),
)

# ---------------------------------------------------------------------------------------
# Table 2
# ---------------------------------------------------------------------------------------

_INFO_HEADER = "信息内容"

_DECISIONS_2021 = Column(key="decisions", label="本年处理决定数量")


def _caption(n: str) -> str:
    return f"第二十条第（{n}）项"


_TABLE2_2021 = Table2Layout(
    header=_INFO_HEADER,
    blocks=(
        Block(
            key="article_20_1",
            label=_caption("一"),
            rows=("rules", "normative_documents"),
            columns=(
                Column(key="issued", label="本年制发件数"),
                Column(key="repealed", label="本年废止件数"),
                Column(key="in_force", label="现行有效件数"),
            ),
        ),
        Block(key="article_20_5", label=_caption("五"), rows=("licensing",), columns=(_DECISIONS_2021,)),
        Block(
            key="article_20_6",
            label=_caption("六"),
            rows=("punishment", "enforcement"),
            columns=(_DECISIONS_2021,),
        ),
        Block(
            key="article_20_8",
            label=_caption("八"),
            rows=("fees",),
            columns=(
                Column(
                    key="amount",
                    label="本年收费金额（单位：万元）",
                    kind=Kind.MONEY,
                    unit="万元",
                    short_label="本年收费金额",
                ),
            ),
        ),
    ),
    rows=(
        Row(key="rules", label="规章", block="article_20_1"),
        Row(key="normative_documents", label="行政规范性文件", variants=("规范性文件",), block="article_20_1"),
        Row(key="licensing", label="行政许可", block="article_20_5"),
        Row(key="punishment", label="行政处罚", block="article_20_6"),
        Row(key="enforcement", label="行政强制", block="article_20_6"),
        Row(key="fees", label="行政事业性收费", block="article_20_8"),
    ),
)

_PREVIOUS_2019 = Column(key="previous_count", label="上一年项目数量")
_CHANGE_2019 = Column(key="change", label="本年增/减", kind=Kind.SIGNED, variants=("本年增减", "本年增／减"))
_DECISIONS_2019 = Column(key="decisions", label="处理决定数量")

_TABLE2_2019 = Table2Layout(
    header=_INFO_HEADER,
    blocks=(
        Block(
            key="article_20_1",
            label=_caption("一"),
            rows=("rules", "normative_documents"),
            columns=(
                Column(key="new_made", label="本年新制作数量"),
                Column(key="new_published", label="本年新公开数量"),
                Column(key="total_published", label="对外公开总数量"),
            ),
        ),
        Block(
            key="article_20_5",
            label=_caption("五"),
            rows=("licensing", "other_services"),
            columns=(_PREVIOUS_2019, _CHANGE_2019, _DECISIONS_2019),
        ),
        Block(
            key="article_20_6",
            label=_caption("六"),
            rows=("punishment", "enforcement"),
            columns=(_PREVIOUS_2019, _CHANGE_2019, _DECISIONS_2019),
        ),
        Block(
            key="article_20_8",
            label=_caption("八"),
            rows=("fees",),
            columns=(_PREVIOUS_2019, _CHANGE_2019),
        ),
        Block(
            key="article_20_9",
            label=_caption("九"),
            rows=("procurement",),
            columns=(
                Column(key="items", label="采购项目数量"),
                Column(key="amount", label="采购总金额", kind=Kind.MONEY),
            ),
        ),
    ),
    rows=(
        Row(key="rules", label="规章", block="article_20_1"),
        Row(key="normative_documents", label="规范性文件", variants=("行政规范性文件",), block="article_20_1"),
        Row(key="licensing", label="行政许可", block="article_20_5"),
        Row(key="other_services", label="其他对外管理服务事项", block="article_20_5"),
        Row(key="punishment", label="行政处罚", block="article_20_6"),
        Row(key="enforcement", label="行政强制", block="article_20_6"),
        Row(key="fees", label="行政事业性收费", block="article_20_8"),
        Row(key="procurement", label="政府集中采购", block="article_20_9"),
    ),
)

LAYOUT_2021 = FormatLayout(
    format=Format.V2021,
    table2=_TABLE2_2021,
    table3=_table3(Format.V2021),
    table4=_TABLE4,
    markers=(
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
        "本年收费金额",
        "申请人无正当理由逾期不补正",
    ),
)
"""The 2021 format (国办公开办函〔2021〕30号)."""

LAYOUT_2019 = FormatLayout(
    format=Format.V2019,
    table2=_TABLE2_2019,
    table3=_table3(Format.V2019),
    table4=_TABLE4,
    markers=(
        "本年新制作数量",
        "对外公开总数量",
        "上一年项目数量",
        "其他对外管理服务事项",
        "第二十条第（九）项",
        "政府集中采购",
    ),
)
"""The 2019 trial format (国办公开办函〔2019〕60号)."""

MONEY_UNITS: tuple[str, ...] = ("万元", "元")
"""Units of money a cell may print."""

COUNT_UNITS: tuple[str, ...] = ("件", "个", "项", "次", "条")
"""Units a count cell may print."""


def layout_for(fmt: Format | str) -> FormatLayout:
    """The layout of one format (``"2019"``/``"2021"`` or a :class:`Format`)."""
    return LAYOUT_2021 if Format(fmt) is Format.V2021 else LAYOUT_2019


# ---------------------------------------------------------------------------------------
# The cell index: every data cell of a format, and the identities between cells
# ---------------------------------------------------------------------------------------

CellKey = tuple[str, str, str]
"""A cell's address ``(table, row, column)``: ``("table3", "granted", "total")``.  For table 4
the row is the block (``("table4", "reconsideration", "upheld")``)."""

TABLES: tuple[str, ...] = ("table2", "table3", "table4")
"""The keys of the three statistical tables, in order."""


@attrs.frozen(kw_only=True)
class CellSpec:
    """Everything fixed about one data cell of a format: its address, labels, block, kind,
    unit, and where the report model holds it.

    ``path`` is the chain of attribute names from the table record to the cell:
    ``("granted", "total")`` for a table 3 cell, ``("rules", "issued")`` for a table 2 cell of a
    row record, and ``("licensing",)`` for a table 2 row that is a single cell (the 2021 rows
    行政许可, 行政处罚, 行政强制 and 行政事业性收费, whose block has one column): such a row is
    held directly by the table record.
    """

    table: str
    row: str
    column: str
    block: str | None
    """The table 2 caption (``article_20_1`` …), the table 3 group (``withheld`` …, or
    ``None``) or the table 4 block (the same as ``row``)."""
    block_label: str | None
    row_label: str
    column_label: str
    kind: Kind
    unit: str | None
    """The unit the column's header states (``万元``), or ``None``."""
    path: tuple[str, ...]
    row_variants: tuple[str, ...] = ()
    column_variants: tuple[str, ...] = ()

    @property
    def key(self) -> CellKey:
        """``(table, row, column)``."""
        return (self.table, self.row, self.column)

    @property
    def name(self) -> str:
        """``table.row.column``, e.g. ``table3.granted.total`` (the wide CSV column name)."""
        return f"{self.table}.{self.row}.{self.column}"

    @property
    def path_label(self) -> str:
        """The row label with its table 3 group: ``（三）不予公开/1.属于国家秘密``."""
        if self.table == "table3" and self.block_label:
            return f"{self.block_label}/{self.row_label}"
        return self.row_label

    @property
    def direct(self) -> bool:
        """Whether the table record holds this cell directly (a single-cell table 2 row)."""
        return len(self.path) == 1


@attrs.frozen(kw_only=True)
class Identity:
    """One identity between cells: ``Σ coefficient × cell = 0``.

    ``about`` is the cell the identity computes (a row's 总计, （七）总计, 四、结转下年度继续办理, a
    table 4 block's 总计): its coefficient is +1, so ``Σ coefficient × cell`` is that cell's
    printed value minus what the other cells say it should be.  ``rule`` names the family
    (``t3-row-total``, ``t3-outcomes``, ``t3-balance``, ``t4-block``), the same ids the checks
    report.
    """

    rule: str
    kind: Literal["row", "column", "block"]
    about: CellKey
    terms: tuple[tuple[CellKey, int], ...]

    @property
    def cells(self) -> tuple[CellKey, ...]:
        """Every cell of the identity, ``about`` first."""
        return tuple(key for key, _ in self.terms)


@attrs.frozen(kw_only=True)
class CellIndex:
    """Every data cell of one format in layout order (table 2, 3, 4) with the identities
    between them: the one place where the structure of the tables is derived from the
    layout.  Get it with :func:`cell_index` or ``layout_for(fmt).index``."""

    format: Format
    cells: tuple[CellSpec, ...]
    identities: tuple[Identity, ...]
    group_totals: tuple[CellSpec, ...] = ()
    """The cells of the printed group totals the model keeps (:attr:`Table3Layout.group_totals`:
    2021 ``other_processing``); not cells of the format, so not in :attr:`cells` and in no
    identity."""

    # Worked out when first asked for (a parse asks for few of them; the checks for more).
    @functools.cached_property
    def _by_key(self) -> Mapping[CellKey, CellSpec]:
        return {c.key: c for c in self.cells}

    @functools.cached_property
    def _membership(self) -> Mapping[CellKey, tuple[tuple[Identity, int], ...]]:
        return _membership(self.identities)

    @functools.cached_property
    def _tables(self) -> Mapping[str, tuple[CellSpec, ...]]:
        return {t: tuple(c for c in self.cells if c.table == t) for t in TABLES}

    def cell(self, key: CellKey) -> CellSpec:
        """The cell at ``(table, row, column)``; ``KeyError`` naming it when the format has none."""
        found = self._by_key.get(key)
        if found is None:
            table, row, column = key
            if table not in TABLES:
                raise KeyError(f"unknown table {table!r}")
            if not any(c.table == table and c.row == row for c in self.cells):
                raise KeyError(f"unknown {table} {'block' if table == 'table4' else 'row'} key {row!r}")
            if table == "table2":
                raise KeyError(f"table2 row {row!r} has no column {column!r}")
            raise KeyError(f"unknown {table} column key {column!r}")
        return found

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def table(self, table: str) -> tuple[CellSpec, ...]:
        """The cells of one table, in layout order."""
        found = self._tables.get(table)
        if found is None:
            raise KeyError(f"unknown table {table!r}")
        return found

    def rows(self, table: str) -> tuple[tuple[str, tuple[CellSpec, ...]], ...]:
        """One table's cells grouped by row (table 4: by block), in layout order."""
        rows: dict[str, list[CellSpec]] = {}
        for cell in self.cells:
            if cell.table == table:
                rows.setdefault(cell.row, []).append(cell)
        return tuple((row, tuple(cells)) for row, cells in rows.items())

    def identities_of(self, *rules: str) -> tuple[Identity, ...]:
        """The identities of the given rule families (all when none is given)."""
        return tuple(i for i in self.identities if not rules or i.rule in rules)

    def membership(self, key: CellKey) -> tuple[tuple[Identity, int], ...]:
        """The identities a cell takes part in, each with the cell's coefficient."""
        return self._membership.get(key, ())


def _membership(identities: tuple[Identity, ...]) -> dict[CellKey, tuple[tuple[Identity, int], ...]]:
    found: dict[CellKey, list[tuple[Identity, int]]] = {}
    for identity in identities:
        for key, coefficient in identity.terms:
            found.setdefault(key, []).append((identity, coefficient))
    return {key: tuple(members) for key, members in found.items()}


def _sum_identity(rule: str, kind: Literal["row", "column", "block"], total: CellKey, parts: list[CellKey]) -> Identity:
    return Identity(rule=rule, kind=kind, about=total, terms=((total, 1), *((p, -1) for p in parts)))


@functools.cache
def cell_index(fmt: Format | str) -> CellIndex:
    """The :class:`CellIndex` of one format (built once)."""
    lay = layout_for(fmt)
    t2, t3, t4 = lay.table2, lay.table3, lay.table4
    cells: list[CellSpec] = []
    for block, row, column in t2.cells():
        single = len(block.columns) == 1
        cells.append(
            CellSpec(
                table="table2",
                row=row.key,
                column=column.key,
                block=block.key,
                block_label=block.label,
                row_label=row.label,
                column_label=column.label,
                kind=column.kind,
                unit=column.unit,
                path=(row.key,) if single else (row.key, column.key),
                row_variants=row.variants,
                column_variants=column.variants,
            )
        )
    for group, row, column in t3.cells():
        cells.append(
            CellSpec(
                table="table3",
                row=row.key,
                column=column.key,
                block=group.key if group else None,
                block_label=group.label if group else None,
                row_label=row.label,
                column_label=column.label,
                kind=column.kind,
                unit=column.unit,
                path=(row.key, column.key),
                row_variants=row.variants,
                column_variants=column.variants,
            )
        )
    for block4, column in t4.cells():
        cells.append(
            CellSpec(
                table="table4",
                row=block4.key,
                column=column.key,
                block=block4.key,
                block_label=block4.label,
                row_label=block4.label,
                column_label=column.label,
                kind=column.kind,
                unit=column.unit,
                path=(block4.key, column.key),
                row_variants=block4.variants,
                column_variants=column.variants,
            )
        )
    identities: list[Identity] = []
    rs = t3.row_sum
    for row in t3.rows:
        identities.append(
            _sum_identity(
                "t3-row-total", "row", ("table3", row.key, rs.total), [("table3", row.key, p) for p in rs.parts]
            )
        )
    os_, bal = t3.outcomes_sum, t3.balance
    about, *others = bal.right[::-1]  # 四、结转下年度继续办理 is what the balance computes
    for column in t3.columns:
        c = column.key
        identities.append(
            _sum_identity("t3-outcomes", "column", ("table3", os_.total, c), [("table3", r, c) for r in os_.parts])
        )
        identities.append(
            Identity(
                rule="t3-balance",
                kind="column",
                about=("table3", about, c),
                terms=(
                    (("table3", about, c), 1),
                    *((("table3", r, c), -1) for r in bal.left),
                    *((("table3", r, c), 1) for r in others),
                ),
            )
        )
    bs = t4.block_sum
    for block4 in t4.blocks:
        identities.append(
            _sum_identity(
                "t4-block", "block", ("table4", block4.key, bs.total), [("table4", block4.key, p) for p in bs.parts]
            )
        )
    group_totals = tuple(
        CellSpec(
            table="table3",
            row=key,
            column=column.key,
            block=None,
            block_label=None,
            row_label=t3.block(key).label,
            column_label=column.label,
            kind=column.kind,
            unit=column.unit,
            path=(key, column.key),
            column_variants=column.variants,
        )
        for key in t3.group_totals
        for column in t3.columns
    )
    return CellIndex(format=lay.format, cells=tuple(cells), identities=tuple(identities), group_totals=group_totals)


@attrs.frozen(kw_only=True)
class Stock:
    """One table 2 stock identity across two years: ``Σ coefficient · cell`` over this year's
    ``terms`` and last year's ``previous`` is 0.  ``about`` is the stock cell of this year."""

    about: CellKey
    terms: tuple[tuple[CellKey, int], ...]
    previous: tuple[tuple[CellKey, int], ...]


@functools.cache
def stock_identities(fmt: Format | str) -> tuple[Stock, ...]:
    """The table 2 stock identities between two reports of format ``fmt`` (a heuristic:
    documents also lapse, items are also merged — the year-to-year checks use them, and the
    parser uses them with last year's report only where the rows read as printed keep them):

    * 2021, 规章 and 行政规范性文件: 现行有效件数 = last year's 现行有效件数 + 本年制发件数 − 本年废止件数;
    * 2019, 规章 and 规范性文件: 对外公开总数量 = last year's 对外公开总数量 + 本年新公开数量;
    * 2019, 行政许可 … 行政事业性收费: 上一年项目数量 = last year's 上一年项目数量 + last year's 本年增/减.
    """
    lay = layout_for(fmt)
    out: list[Stock] = []
    if lay.format is Format.V2021:
        for row in lay.table2.block("article_20_1").rows:
            about = ("table2", row, "in_force")
            terms = ((about, 1), (("table2", row, "issued"), -1), (("table2", row, "repealed"), 1))
            out.append(Stock(about=about, terms=terms, previous=((about, -1),)))
        return tuple(out)
    for row2019 in lay.table2.rows:
        columns = [c.key for c in lay.table2.columns_of(row2019.key)]
        if "total_published" in columns:
            about = ("table2", row2019.key, "total_published")
            new_published = ("table2", row2019.key, "new_published")
            out.append(Stock(about=about, terms=((about, 1), (new_published, -1)), previous=((about, -1),)))
        elif "previous_count" in columns and "change" in columns:
            about = ("table2", row2019.key, "previous_count")
            change = ("table2", row2019.key, "change")
            out.append(Stock(about=about, terms=((about, 1),), previous=((about, -1), (change, -1))))
    return tuple(out)


# ---------------------------------------------------------------------------------------
# Label normalisation
# ---------------------------------------------------------------------------------------

_QUOTE_FOLDS = (("\u201c", '"'), ("\u201d", '"'), ("\u2018", "'"), ("\u2019", "'"), ("＂", '"'), ("＇", "'"))
"""The quotes :func:`normalize_label` folds together (curly and full-width to straight)."""
_SPACE_OR_QUOTE_RE = re.compile("[\\s" + re.escape("".join(quote for quote, _ in _QUOTE_FOLDS)) + "]")
"""White space or a quote of :data:`_QUOTE_FOLDS`: what :func:`normalize_label` removes or
folds only when the label holds one."""
_ITEM_NUMBER_RE = re.compile(r"^(\d+)[.、．,，]")


def normalize_label(text: str) -> str:
    """Fold a printed label to a canonical comparison form.

    NFKC (full-width digits, letters and spaces become ASCII), every kind of white space
    removed, parentheses, colons and commas folded to their full-width forms, curly and
    straight quotes folded together, and ``1、``/``1．`` folded to ``1.``.  Two labels that
    normalise equal are the same label printed differently.
    """
    # NFKC of a text of NFKC-stable characters and nfkc.FOLDED only turns the latter
    # into ASCII the next folds turn back or drop: skipped then (exact; tested).
    return _normalize_nfkc_label(text if nfkc.CHANGES_RE.search(text) is None else unicodedata.normalize("NFKC", text))


def _normalize_nfkc_label(text: str) -> str:
    """:func:`normalize_label` of a text already in NFKC (NFKC is idempotent, so the folds
    after it are all there is to do): for a caller that normalised a long text itself."""
    folded = (
        text.replace("(", "（")
        .replace(")", "）")
        .replace(":", "：")
        .replace(",", "，")
        .replace(";", "；")
    )
    # White space removed and quotes folded only when there are any (most labels hold
    # neither), by splitting and replacing (a translation looks every character up in a
    # dict: 17 µs for a paragraph of 250 characters): the folds touch disjoint characters,
    # so their order does not matter, and str.split's white space is what \s matches
    # (tests/test_fast_paths.py holds this to the folds done one after the other).
    if _SPACE_OR_QUOTE_RE.search(folded) is not None:
        folded = "".join(folded.split())
        for quote, plain in _QUOTE_FOLDS:
            folded = folded.replace(quote, plain)
    if not folded[:1].isdecimal():  # the item number's pattern starts with a digit (\d: a decimal)
        return folded
    return _ITEM_NUMBER_RE.sub(r"\1.", folded)
