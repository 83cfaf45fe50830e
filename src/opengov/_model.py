"""The report model: immutable typed records for both official formats.

Every record is an attrs class that is frozen, slotted and keyword-only, and holds tuples,
never lists.  Field names are the English vocabulary of :mod:`opengov.layout` (and the JSON
keys); each field's metadata carries its official Chinese label, read from the layout.

Cell states
-----------
A data cell holds one of:

* ``int`` — a count (the common case: write ``36``);
* :class:`Amount` — a money amount (``Decimal``) with the unit the source printed
  (``万元``/``元``) or ``None`` when it printed none;
* :data:`BLANK` — the cell was printed empty;
* :class:`Placeholder` — the cell printed ``/``, ``—``, ``无``, ``不适用`` …, glyph kept;
* ``None`` — the cell is *absent*: the document does not have it at all (a missing row).

Stated totals are stored as printed: a record never recomputes or rejects a total, because
published totals are sometimes wrong.  Methods such as :meth:`ApplicantCounts.expected_total`
compute what a total should be, and the ``build`` constructors make consistent records from
their parts for people who generate reports in code.
"""

from __future__ import annotations

import functools
import numbers
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, ClassVar, Union

import attrs

from opengov import layout
from opengov.layout import CellSpec, Format

__all__ = [
    "Amount",
    "Blank",
    "BLANK",
    "Placeholder",
    "CellValue",
    "TableCell",
    "Documents2021",
    "Documents2019",
    "Items2019",
    "Fees2019",
    "Procurement2019",
    "ProactiveDisclosure2021",
    "ProactiveDisclosure2019",
    "ApplicantCounts",
    "Applications2021",
    "Applications2019",
    "AppealOutcomes",
    "Appeals",
    "Report",
    "CompleteReport",
    "number_of",
    "field_label",
]


# ---------------------------------------------------------------------------------------
# Cell states
# ---------------------------------------------------------------------------------------


class ModelTypeError(TypeError):
    """A value of a type no field of the model holds (a ``str`` in a cell, a ``float`` year)."""


class ModelValueError(ValueError):
    """A value of the right type that the model refuses (a figure too long, a non-finite amount)."""


MAX_FIGURE_DIGITS = 18
"""The longest figure a cell may hold: integers below 10**18 in magnitude, amounts with at
most 18 digits before and 18 after the decimal point.  No report prints a longer one; a
longer "figure" is damage (or an attack: CPython refuses to print ints of over 4,300
digits), so readers report it as unreadable and the model refuses it."""

_FIGURE_LIMIT = 10**MAX_FIGURE_DIGITS


def figure_too_long(value: int | Decimal) -> bool:
    """Whether a number is beyond :data:`MAX_FIGURE_DIGITS`."""
    if isinstance(value, int):
        return not -_FIGURE_LIMIT < value < _FIGURE_LIMIT
    exponent = value.as_tuple().exponent
    return value.adjusted() >= MAX_FIGURE_DIGITS or (isinstance(exponent, int) and exponent < -MAX_FIGURE_DIGITS)


def _decimal(value: object) -> Decimal:
    """An amount's value: a ``Decimal``, an ``int`` or a decimal ``str`` (floats are refused:
    ``0.1`` is not the decimal it prints as)."""
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, numbers.Integral) and not isinstance(value, bool):
        number = Decimal(int(value))
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except (InvalidOperation, ValueError):
            raise ModelValueError(f"an amount's value must be a decimal number, got {value!r}") from None
    else:
        hint = f"; write Decimal({str(value)!r})" if isinstance(value, float) else ""
        raise ModelTypeError(f"an amount's value is a Decimal, an int or a decimal str, got {value!r}{hint}")
    if not number.is_finite():
        raise ModelValueError(f"an amount's value is not a finite number: {value!r}")
    if figure_too_long(number):
        raise ModelValueError(
            f"an amount's value has more than {MAX_FIGURE_DIGITS} digits before or after the point: {value!r:.60}"
        )
    return number


@attrs.frozen(kw_only=True)
class Amount:
    """A money amount as printed: ``Decimal`` value and the unit the source printed.

    ``Amount(value=Decimal("1341"), unit="万元")`` is the cell ``1341万元``; ``unit=None``
    means the cell printed a bare number (the column header's unit applies).  The
    ``Decimal`` keeps its printed digits (``Decimal("5949.088667")``).
    """

    value: Decimal = attrs.field(converter=_decimal)
    unit: str | None = attrs.field(default=None)

    @unit.validator
    def _check_unit(self, _attribute: attrs.Attribute[str | None], unit: str | None) -> None:
        if unit is not None and (not isinstance(unit, str) or not unit or unit != unit.strip()):
            raise ModelValueError(
                f"an amount's unit is a non-empty str without surrounding space (or None), got {unit!r}"
            )

    def __str__(self) -> str:
        return f"{self.value}{self.unit or ''}"


@attrs.frozen
class Blank:
    """A cell printed empty (not the same thing as ``0``, nor as an absent cell)."""

    def __str__(self) -> str:
        return ""

    def __repr__(self) -> str:
        return "BLANK"


BLANK = Blank()
"""The blank cell. All :class:`Blank` instances are equal."""


@attrs.frozen(kw_only=True)
class Placeholder:
    """A cell printed with a glyph meaning "nothing here": ``/``, ``—``, ``无``, ``不适用`` …

    The glyph is kept exactly as printed.  It is never read as ``0``.
    """

    glyph: str = attrs.field()

    @glyph.validator
    def _check(self, _attribute: attrs.Attribute[str], value: str) -> None:
        if not value or value != value.strip():
            raise ValueError(f"a placeholder glyph must be non-empty text without surrounding space, got {value!r}")

    def __str__(self) -> str:
        return self.glyph


CellValue = Union[int, Amount, Blank, Placeholder]  # noqa: UP007 - a runtime alias
"""What a data cell can hold (``None`` in a field means the cell is absent)."""


def number_of(value: CellValue | None) -> int | Decimal | None:
    """The numeric value of a cell, or ``None`` for a blank, placeholder or absent cell."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, Amount):
        return value.value
    return None


CELL_STATES = "an int, an opengov.Amount, opengov.BLANK, an opengov.Placeholder or None (absent)"
"""What a cell may hold, as error messages say it."""


def cell_address(table: str, row: str | None, column: str) -> str:
    """How an error names a cell: ``table3 granted/natural_person`` (``table3 column
    natural_person`` when the row is not known yet)."""
    return f"{table} {row}/{column}" if row else f"{table} column {column}"


def check_cell(value: object, where: str, money: bool = False) -> CellValue | None:
    """``value`` as a cell state, or ``TypeError`` naming the cell (``where``) and the value.

    Integers of any integral type (NumPy's included) become ``int``; in a money column an
    integer or ``Decimal`` becomes an :class:`Amount` without a printed unit.  ``bool``,
    ``float``, ``str`` and everything else are refused."""
    kind = type(value)
    if kind is int:
        assert isinstance(value, int)
        if not -_FIGURE_LIMIT < value < _FIGURE_LIMIT:
            raise ModelValueError(f"{where}: the figure has more than {MAX_FIGURE_DIGITS} digits; no report prints one")
        return Amount(value=Decimal(value)) if money else value
    if value is None or kind is Blank or kind is Placeholder or kind is Amount:
        return value  # type: ignore[return-value]
    if isinstance(value, bool):
        raise ModelTypeError(f"{where}: {value!r} is a bool, not a cell value; a cell holds {CELL_STATES}")
    if isinstance(value, numbers.Integral):
        return check_cell(int(value), where, money)
    if isinstance(value, (Amount, Blank, Placeholder)):
        return value
    if money and isinstance(value, Decimal):
        return Amount(value=value)
    hint = ""
    if isinstance(value, (float, Decimal)):
        hint = "; write an amount as opengov.Amount(value=Decimal(...))"
    elif isinstance(value, str):
        hint = "; parse printed text with opengov.parse, or give the number as an int"
    shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "..."
    raise ModelTypeError(
        f"{where}: {shown} ({type(value).__name__}) is not a cell value; a cell holds {CELL_STATES}{hint}"
    )


def _cell(table: str, row: str | None, column: str, *, money: bool = False) -> Any:
    """A data-cell field whose metadata points into the layout (labels are read there);
    its value is checked (and integers normalised) by :func:`check_cell`."""
    metadata = {"table": table, "row": row, "column": column}
    where = cell_address(table, row, column)
    if money:

        def convert(value: object) -> CellValue | None:
            return check_cell(value, where, True)

    else:

        def convert(value: object) -> CellValue | None:
            # the usual states at once; everything else through check_cell
            if value is None or (value.__class__ is int and -_FIGURE_LIMIT < value < _FIGURE_LIMIT):
                return value
            return check_cell(value, where)

    return attrs.field(metadata=metadata, converter=convert)


def _row(table: str, row: str, record: type | str) -> Any:
    """A row field holding a record (``ApplicantCounts`` …); anything else is a TypeError."""
    return attrs.field(metadata={"table": table, "row": row}, validator=_record_of(table, row, record))


def _record_of(table: str, row: str, record: type | str) -> Callable[[Any, Any, Any], None]:
    def validate(_instance: Any, _attribute: Any, value: Any) -> None:
        expected = record if isinstance(record, type) else globals()[record]
        if not isinstance(value, expected):
            raise ModelTypeError(
                f"{table} row {row} must be a {expected.__name__}, got {type(value).__name__}: {value!r:.60}"
            )

    return validate


# ---------------------------------------------------------------------------------------
# Table 2 — 主动公开政府信息情况
# ---------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Documents2021:
    """A 2021 table 2 row of 第二十条第（一）项 (规章 / 行政规范性文件):
    本年制发件数, 本年废止件数, 现行有效件数."""

    format: ClassVar[Format] = Format.V2021

    issued: CellValue | None = _cell("table2", None, "issued")
    repealed: CellValue | None = _cell("table2", None, "repealed")
    in_force: CellValue | None = _cell("table2", None, "in_force")

    @classmethod
    def build(cls, *, issued: int = 0, repealed: int = 0, in_force: int = 0) -> Documents2021:
        """A row of counts (zeros where not given)."""
        return cls(issued=issued, repealed=repealed, in_force=in_force)


@attrs.frozen(kw_only=True)
class Documents2019:
    """A 2019 table 2 row of 第二十条第（一）项 (规章 / 规范性文件):
    本年新制作数量, 本年新公开数量, 对外公开总数量."""

    format: ClassVar[Format] = Format.V2019

    new_made: CellValue | None = _cell("table2", None, "new_made")
    new_published: CellValue | None = _cell("table2", None, "new_published")
    total_published: CellValue | None = _cell("table2", None, "total_published")


@attrs.frozen(kw_only=True)
class Items2019:
    """A 2019 table 2 row of 第二十条第（五）（六）项 (行政许可, 其他对外管理服务事项, 行政处罚,
    行政强制): 上一年项目数量, 本年增/减 (signed), 处理决定数量."""

    format: ClassVar[Format] = Format.V2019

    previous_count: CellValue | None = _cell("table2", None, "previous_count")
    change: CellValue | None = _cell("table2", None, "change")
    decisions: CellValue | None = _cell("table2", None, "decisions")


@attrs.frozen(kw_only=True)
class Fees2019:
    """The 2019 table 2 row 行政事业性收费 (第二十条第（八）项): 上一年项目数量, 本年增/减."""

    format: ClassVar[Format] = Format.V2019

    previous_count: CellValue | None = _cell("table2", "fees", "previous_count")
    change: CellValue | None = _cell("table2", "fees", "change")


@attrs.frozen(kw_only=True)
class Procurement2019:
    """The 2019 table 2 row 政府集中采购 (第二十条第（九）项): 采购项目数量, 采购总金额 (with the
    unit printed in the cell, e.g. ``251000元``)."""

    format: ClassVar[Format] = Format.V2019

    items: CellValue | None = _cell("table2", "procurement", "items")
    amount: CellValue | None = _cell("table2", "procurement", "amount", money=True)


@attrs.frozen(kw_only=True)
class ProactiveDisclosure2021:
    """Table 2 of the 2021 format — 主动公开政府信息情况 (10 cells; 行政事业性收费 in 万元)."""

    format: ClassVar[Format] = Format.V2021

    rules: Documents2021 = _row("table2", "rules", "Documents2021")
    normative_documents: Documents2021 = _row("table2", "normative_documents", "Documents2021")
    licensing: CellValue | None = _cell("table2", "licensing", "decisions")
    punishment: CellValue | None = _cell("table2", "punishment", "decisions")
    enforcement: CellValue | None = _cell("table2", "enforcement", "decisions")
    fees: CellValue | None = _cell("table2", "fees", "amount", money=True)

    @classmethod
    def build(
        cls,
        *,
        rules: Documents2021 | None = None,
        normative_documents: Documents2021 | None = None,
        licensing: int = 0,
        punishment: int = 0,
        enforcement: int = 0,
        fees: Amount | Decimal | int = 0,
    ) -> ProactiveDisclosure2021:
        """Table 2 from its rows (rows not given are zeros; ``fees`` in 万元, a plain number
        becoming an :class:`Amount` without a printed unit)."""
        return cls(
            rules=rules or Documents2021.build(),
            normative_documents=normative_documents or Documents2021.build(),
            licensing=licensing,
            punishment=punishment,
            enforcement=enforcement,
            fees=fees if isinstance(fees, Amount) else Amount(value=fees),
        )


@attrs.frozen(kw_only=True)
class ProactiveDisclosure2019:
    """Table 2 of the 2019 trial format — 主动公开政府信息情况 (22 cells; 本年增/减 signed)."""

    format: ClassVar[Format] = Format.V2019

    rules: Documents2019 = _row("table2", "rules", "Documents2019")
    normative_documents: Documents2019 = _row("table2", "normative_documents", "Documents2019")
    licensing: Items2019 = _row("table2", "licensing", "Items2019")
    other_services: Items2019 = _row("table2", "other_services", "Items2019")
    punishment: Items2019 = _row("table2", "punishment", "Items2019")
    enforcement: Items2019 = _row("table2", "enforcement", "Items2019")
    fees: Fees2019 = _row("table2", "fees", "Fees2019")
    procurement: Procurement2019 = _row("table2", "procurement", "Procurement2019")


# ---------------------------------------------------------------------------------------
# Table 3 — 收到和处理政府信息公开申请情况
# ---------------------------------------------------------------------------------------


def _sum(values: Iterator[CellValue | None]) -> int | None:
    """The sum of integer cells, or ``None`` when any cell is not an integer."""
    total = 0
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int):
            return None
        total += value
    return total


@attrs.frozen(kw_only=True)
class ApplicantCounts:
    """One table 3 row across the 申请人情况 columns: 自然人, the five 法人或其他组织 columns
    (商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他) and 总计 as printed."""

    natural_person: CellValue | None = _cell("table3", None, "natural_person")
    commercial: CellValue | None = _cell("table3", None, "commercial")
    research: CellValue | None = _cell("table3", None, "research")
    social_welfare: CellValue | None = _cell("table3", None, "social_welfare")
    legal_service: CellValue | None = _cell("table3", None, "legal_service")
    other_org: CellValue | None = _cell("table3", None, "other_org")
    total: CellValue | None = _cell("table3", None, "total")

    PARTS: ClassVar[tuple[str, ...]] = layout.LAYOUT_2021.table3.row_sum.parts
    """The six applicant columns whose sum is 总计 (the layout's row identity)."""

    def parts(self) -> tuple[CellValue | None, ...]:
        """The six applicant cells, 自然人 first."""
        return tuple(getattr(self, name) for name in self.PARTS)

    def expected_total(self) -> int | None:
        """自然人 + the five 法人或其他组织 cells, or ``None`` if any is not an integer."""
        return _sum(iter(self.parts()))

    @classmethod
    def build(
        cls,
        *,
        natural_person: int = 0,
        commercial: int = 0,
        research: int = 0,
        social_welfare: int = 0,
        legal_service: int = 0,
        other_org: int = 0,
    ) -> ApplicantCounts:
        """A consistent row from its six parts; 总计 is computed."""
        parts = {
            "natural_person": natural_person,
            "commercial": commercial,
            "research": research,
            "social_welfare": social_welfare,
            "legal_service": legal_service,
            "other_org": other_org,
        }
        rule = layout.LAYOUT_2021.table3.row_sum
        return cls(**parts, **{rule.total: _sum_of(rule, parts)})

    @classmethod
    def zero(cls) -> ApplicantCounts:
        """A row of zeros."""
        return cls.build()


def _t3_layout(fmt: Format) -> layout.Table3Layout:
    return layout.layout_for(fmt).table3


def _sum_of(template: layout.Sum, values: Mapping[str, int]) -> int:
    """``template.total`` from the parts (an identity of the layout)."""
    return sum(values[part] for part in template.parts)


_T3 = "table3"


class _Applications:
    """Shared behaviour of both table 3 records."""

    format: ClassVar[Format]

    def row(self, key: str) -> ApplicantCounts:
        """One row by its layout key."""
        value = getattr(self, key)
        assert isinstance(value, ApplicantCounts)
        return value

    def rows(self) -> Iterator[tuple[str, ApplicantCounts]]:
        """Every row as ``(key, counts)`` in layout order."""
        for row in layout.layout_for(self.format).table3.rows:
            yield row.key, self.row(row.key)

    def outcome_rows(self) -> Iterator[tuple[str, ApplicantCounts]]:
        """The outcome rows whose sum is （七）总计."""
        for key in _t3_layout(self.format).outcomes_sum.parts:
            yield key, self.row(key)

    def expected_total_handled(self, column: str) -> int | None:
        """（七）总计 of one column as the sum of the outcome rows (None if any is not an int)."""
        return _sum(getattr(counts, column) for _, counts in self.outcome_rows())

    @classmethod
    def _build_fields(
        cls,
        new_received: ApplicantCounts,
        carried_over: ApplicantCounts | None,
        outcomes: Mapping[str, ApplicantCounts | None],
    ) -> dict[str, ApplicantCounts]:
        t3 = _t3_layout(cls.format)
        zero = ApplicantCounts.zero()
        fields = {key: outcomes.get(key) or zero for key in t3.outcomes_sum.parts}
        fields.update(new_received=new_received, carried_over=carried_over or zero)
        for key, row in fields.items():
            if not isinstance(row, ApplicantCounts):
                raise TypeError(f"table3 row {key} must be an ApplicantCounts, got {type(row).__name__}: {row!r:.60}")
            for column in t3.row_sum.parts:
                if not isinstance(getattr(row, column), int):
                    raise ValueError(
                        f"table3 {key}/{column}: build() needs integer parts, got {getattr(row, column)!r}"
                    )
        # the layout's column identities, column by column over the applicant columns:
        # （七）总计 = Σ outcome rows; 四 = 一 + 二 − （七）
        handled = {c: sum(getattr(fields[r], c) for r in t3.outcomes_sum.parts) for c in t3.row_sum.parts}
        fields[t3.outcomes_sum.total] = ApplicantCounts.build(**handled)
        about, *others = t3.balance.right[::-1]
        forward = {
            c: sum(getattr(fields[r], c) for r in t3.balance.left) - sum(getattr(fields[r], c) for r in others)
            for c in t3.row_sum.parts
        }
        negative = [c for c, v in forward.items() if v < 0]
        if negative:
            raise ValueError(
                "more applications handled than received and carried over in column(s) " + ", ".join(negative)
            )
        fields[about] = ApplicantCounts.build(**forward)
        return fields


def _group_total(_instance: Any, _attribute: Any, value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, ApplicantCounts):
        raise ModelTypeError(
            f"table3 other_processing (a printed group total) must be an ApplicantCounts or None, "
            f"got {type(value).__name__}: {value!r:.60}"
        )
    if all(_unprinted(getattr(value, name)) for name in attrs.fields_dict(ApplicantCounts)):
        raise ModelValueError(
            "table3 other_processing (a printed group total) has no printed cell (every one absent or blank): "
            "None stands for a group total not printed"
        )


def _unprinted(value: object) -> bool:
    return value is None or isinstance(value, Blank)


@attrs.frozen(kw_only=True)
class Applications2021(_Applications):
    """Table 3 of the 2021 format — 收到和处理政府信息公开申请情况 (25 rows × 7 columns).

    Rows: 一、本年新收政府信息公开申请数量, 二、上年结转政府信息公开申请数量, the outcome rows of
    三、本年度办理结果 (（一）予以公开 … （六）其他处理 with its three sub-rows), （七）总计 and
    四、结转下年度继续办理.
    """

    format: ClassVar[Format] = Format.V2021

    new_received: ApplicantCounts = _row(_T3, "new_received", "ApplicantCounts")
    carried_over: ApplicantCounts = _row(_T3, "carried_over", "ApplicantCounts")
    granted: ApplicantCounts = _row(_T3, "granted", "ApplicantCounts")
    partially_granted: ApplicantCounts = _row(_T3, "partially_granted", "ApplicantCounts")
    state_secret: ApplicantCounts = _row(_T3, "state_secret", "ApplicantCounts")
    prohibited_by_law: ApplicantCounts = _row(_T3, "prohibited_by_law", "ApplicantCounts")
    endangers_safety_stability: ApplicantCounts = _row(_T3, "endangers_safety_stability", "ApplicantCounts")
    third_party_rights: ApplicantCounts = _row(_T3, "third_party_rights", "ApplicantCounts")
    internal_affairs: ApplicantCounts = _row(_T3, "internal_affairs", "ApplicantCounts")
    process_information: ApplicantCounts = _row(_T3, "process_information", "ApplicantCounts")
    enforcement_file: ApplicantCounts = _row(_T3, "enforcement_file", "ApplicantCounts")
    administrative_query: ApplicantCounts = _row(_T3, "administrative_query", "ApplicantCounts")
    not_held: ApplicantCounts = _row(_T3, "not_held", "ApplicantCounts")
    needs_creation: ApplicantCounts = _row(_T3, "needs_creation", "ApplicantCounts")
    still_unclear: ApplicantCounts = _row(_T3, "still_unclear", "ApplicantCounts")
    petition_complaint: ApplicantCounts = _row(_T3, "petition_complaint", "ApplicantCounts")
    repeated: ApplicantCounts = _row(_T3, "repeated", "ApplicantCounts")
    publication: ApplicantCounts = _row(_T3, "publication", "ApplicantCounts")
    excessive: ApplicantCounts = _row(_T3, "excessive", "ApplicantCounts")
    confirmation: ApplicantCounts = _row(_T3, "confirmation", "ApplicantCounts")
    other_processing: ApplicantCounts | None = attrs.field(
        default=None, metadata={"table": _T3, "row": "other_processing", "group_total": True}, validator=_group_total
    )
    """（六）其他处理 as printed when a document prints the group as one row with figures (the
    2019 format's single row, a template deviation); ``None`` in a report printed to the 2021
    format.  It is not a cell of the format (:meth:`Report.cells` does not list it): its three
    numbered rows keep their own cells — absent when the document did not print them, never
    the group's figures divided.  The checks use it (rule ``t3-group-total``)."""
    no_correction: ApplicantCounts = _row(_T3, "no_correction", "ApplicantCounts")
    fee_unpaid: ApplicantCounts = _row(_T3, "fee_unpaid", "ApplicantCounts")
    other: ApplicantCounts = _row(_T3, "other", "ApplicantCounts")
    total_handled: ApplicantCounts = _row(_T3, "total_handled", "ApplicantCounts")
    carried_forward: ApplicantCounts = _row(_T3, "carried_forward", "ApplicantCounts")

    @classmethod
    def build(
        cls,
        *,
        new_received: ApplicantCounts,
        carried_over: ApplicantCounts | None = None,
        granted: ApplicantCounts | None = None,
        partially_granted: ApplicantCounts | None = None,
        state_secret: ApplicantCounts | None = None,
        prohibited_by_law: ApplicantCounts | None = None,
        endangers_safety_stability: ApplicantCounts | None = None,
        third_party_rights: ApplicantCounts | None = None,
        internal_affairs: ApplicantCounts | None = None,
        process_information: ApplicantCounts | None = None,
        enforcement_file: ApplicantCounts | None = None,
        administrative_query: ApplicantCounts | None = None,
        not_held: ApplicantCounts | None = None,
        needs_creation: ApplicantCounts | None = None,
        still_unclear: ApplicantCounts | None = None,
        petition_complaint: ApplicantCounts | None = None,
        repeated: ApplicantCounts | None = None,
        publication: ApplicantCounts | None = None,
        excessive: ApplicantCounts | None = None,
        confirmation: ApplicantCounts | None = None,
        no_correction: ApplicantCounts | None = None,
        fee_unpaid: ApplicantCounts | None = None,
        other: ApplicantCounts | None = None,
    ) -> Applications2021:
        """A consistent table from its parts.

        Give 一 (``new_received``), 二 (``carried_over``, default zeros) and the outcome rows
        by key (``granted=ApplicantCounts.build(natural_person=3)`` …; rows not given are
        zeros).  （七）总计 is the column sums of the outcome rows and 四、结转下年度继续办理 is
        一 + 二 − （七）; a ``ValueError`` says which column would go negative.
        """
        outcomes = {
            "granted": granted,
            "partially_granted": partially_granted,
            "state_secret": state_secret,
            "prohibited_by_law": prohibited_by_law,
            "endangers_safety_stability": endangers_safety_stability,
            "third_party_rights": third_party_rights,
            "internal_affairs": internal_affairs,
            "process_information": process_information,
            "enforcement_file": enforcement_file,
            "administrative_query": administrative_query,
            "not_held": not_held,
            "needs_creation": needs_creation,
            "still_unclear": still_unclear,
            "petition_complaint": petition_complaint,
            "repeated": repeated,
            "publication": publication,
            "excessive": excessive,
            "confirmation": confirmation,
            "no_correction": no_correction,
            "fee_unpaid": fee_unpaid,
            "other": other,
        }
        return cls(**cls._build_fields(new_received, carried_over, outcomes))


@attrs.frozen(kw_only=True)
class Applications2019(_Applications):
    """Table 3 of the 2019 trial format — 收到和处理政府信息公开申请情况 (23 rows × 7 columns;
    （六）其他处理 is a single row)."""

    format: ClassVar[Format] = Format.V2019

    new_received: ApplicantCounts = _row(_T3, "new_received", "ApplicantCounts")
    carried_over: ApplicantCounts = _row(_T3, "carried_over", "ApplicantCounts")
    granted: ApplicantCounts = _row(_T3, "granted", "ApplicantCounts")
    partially_granted: ApplicantCounts = _row(_T3, "partially_granted", "ApplicantCounts")
    state_secret: ApplicantCounts = _row(_T3, "state_secret", "ApplicantCounts")
    prohibited_by_law: ApplicantCounts = _row(_T3, "prohibited_by_law", "ApplicantCounts")
    endangers_safety_stability: ApplicantCounts = _row(_T3, "endangers_safety_stability", "ApplicantCounts")
    third_party_rights: ApplicantCounts = _row(_T3, "third_party_rights", "ApplicantCounts")
    internal_affairs: ApplicantCounts = _row(_T3, "internal_affairs", "ApplicantCounts")
    process_information: ApplicantCounts = _row(_T3, "process_information", "ApplicantCounts")
    enforcement_file: ApplicantCounts = _row(_T3, "enforcement_file", "ApplicantCounts")
    administrative_query: ApplicantCounts = _row(_T3, "administrative_query", "ApplicantCounts")
    not_held: ApplicantCounts = _row(_T3, "not_held", "ApplicantCounts")
    needs_creation: ApplicantCounts = _row(_T3, "needs_creation", "ApplicantCounts")
    still_unclear: ApplicantCounts = _row(_T3, "still_unclear", "ApplicantCounts")
    petition_complaint: ApplicantCounts = _row(_T3, "petition_complaint", "ApplicantCounts")
    repeated: ApplicantCounts = _row(_T3, "repeated", "ApplicantCounts")
    publication: ApplicantCounts = _row(_T3, "publication", "ApplicantCounts")
    excessive: ApplicantCounts = _row(_T3, "excessive", "ApplicantCounts")
    confirmation: ApplicantCounts = _row(_T3, "confirmation", "ApplicantCounts")
    other_processing: ApplicantCounts = _row(_T3, "other_processing", "ApplicantCounts")
    total_handled: ApplicantCounts = _row(_T3, "total_handled", "ApplicantCounts")
    carried_forward: ApplicantCounts = _row(_T3, "carried_forward", "ApplicantCounts")

    @classmethod
    def build(
        cls,
        *,
        new_received: ApplicantCounts,
        carried_over: ApplicantCounts | None = None,
        granted: ApplicantCounts | None = None,
        partially_granted: ApplicantCounts | None = None,
        state_secret: ApplicantCounts | None = None,
        prohibited_by_law: ApplicantCounts | None = None,
        endangers_safety_stability: ApplicantCounts | None = None,
        third_party_rights: ApplicantCounts | None = None,
        internal_affairs: ApplicantCounts | None = None,
        process_information: ApplicantCounts | None = None,
        enforcement_file: ApplicantCounts | None = None,
        administrative_query: ApplicantCounts | None = None,
        not_held: ApplicantCounts | None = None,
        needs_creation: ApplicantCounts | None = None,
        still_unclear: ApplicantCounts | None = None,
        petition_complaint: ApplicantCounts | None = None,
        repeated: ApplicantCounts | None = None,
        publication: ApplicantCounts | None = None,
        excessive: ApplicantCounts | None = None,
        confirmation: ApplicantCounts | None = None,
        other_processing: ApplicantCounts | None = None,
    ) -> Applications2019:
        """A consistent table from its parts; see :meth:`Applications2021.build`
        (（六）其他处理 is the single row ``other_processing``)."""
        outcomes = {
            "granted": granted,
            "partially_granted": partially_granted,
            "state_secret": state_secret,
            "prohibited_by_law": prohibited_by_law,
            "endangers_safety_stability": endangers_safety_stability,
            "third_party_rights": third_party_rights,
            "internal_affairs": internal_affairs,
            "process_information": process_information,
            "enforcement_file": enforcement_file,
            "administrative_query": administrative_query,
            "not_held": not_held,
            "needs_creation": needs_creation,
            "still_unclear": still_unclear,
            "petition_complaint": petition_complaint,
            "repeated": repeated,
            "publication": publication,
            "excessive": excessive,
            "confirmation": confirmation,
            "other_processing": other_processing,
        }
        return cls(**cls._build_fields(new_received, carried_over, outcomes))


# ---------------------------------------------------------------------------------------
# Table 4 — 政府信息公开行政复议、行政诉讼情况
# ---------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class AppealOutcomes:
    """One table 4 block (行政复议, 未经复议直接起诉 or 复议后起诉):
    结果维持, 结果纠正, 其他结果, 尚未审结, 总计 as printed."""

    upheld: CellValue | None = _cell("table4", None, "upheld")
    corrected: CellValue | None = _cell("table4", None, "corrected")
    other: CellValue | None = _cell("table4", None, "other")
    pending: CellValue | None = _cell("table4", None, "pending")
    total: CellValue | None = _cell("table4", None, "total")

    PARTS: ClassVar[tuple[str, ...]] = layout.LAYOUT_2021.table4.block_sum.parts
    """The four outcome columns whose sum is 总计 (the layout's block identity)."""

    def parts(self) -> tuple[CellValue | None, ...]:
        return tuple(getattr(self, name) for name in self.PARTS)

    def expected_total(self) -> int | None:
        """结果维持 + 结果纠正 + 其他结果 + 尚未审结, or ``None`` if any is not an integer."""
        return _sum(iter(self.parts()))

    @classmethod
    def build(cls, *, upheld: int = 0, corrected: int = 0, other: int = 0, pending: int = 0) -> AppealOutcomes:
        """A consistent block from its four parts; 总计 is computed."""
        parts = {"upheld": upheld, "corrected": corrected, "other": other, "pending": pending}
        rule = layout.LAYOUT_2021.table4.block_sum
        return cls(**parts, **{rule.total: _sum_of(rule, parts)})


@attrs.frozen(kw_only=True)
class Appeals:
    """Table 4 — 政府信息公开行政复议、行政诉讼情况 (three blocks × five columns; the same in
    both formats): 行政复议, and under 行政诉讼 未经复议直接起诉 and 复议后起诉."""

    reconsideration: AppealOutcomes = _row("table4", "reconsideration", "AppealOutcomes")
    litigation_direct: AppealOutcomes = _row("table4", "litigation_direct", "AppealOutcomes")
    litigation_after_reconsideration: AppealOutcomes = _row(
        "table4", "litigation_after_reconsideration", "AppealOutcomes"
    )

    def block(self, key: str) -> AppealOutcomes:
        value = getattr(self, key)
        assert isinstance(value, AppealOutcomes)
        return value

    @classmethod
    def build(
        cls,
        *,
        reconsideration: AppealOutcomes | None = None,
        litigation_direct: AppealOutcomes | None = None,
        litigation_after_reconsideration: AppealOutcomes | None = None,
    ) -> Appeals:
        """A table from its blocks (missing blocks are zeros)."""
        zero = AppealOutcomes.build()
        return cls(
            reconsideration=reconsideration or zero,
            litigation_direct=litigation_direct or zero,
            litigation_after_reconsideration=litigation_after_reconsideration or zero,
        )


# ---------------------------------------------------------------------------------------
# The flat view
# ---------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class TableCell:
    """One table cell in the flat view :meth:`Report.cells`.

    ``table`` is ``table2``/``table3``/``table4``; ``block`` is the table 2 caption
    (``article_20_1`` …), the table 3 group (``withheld`` …, or ``None``) or the table 4
    block (``reconsideration`` …).  For table 4 the row is the block.  Labels are the
    canonical Chinese labels of the layout.
    """

    table: str
    block: str | None
    block_label: str | None
    row: str
    row_label: str
    column: str
    column_label: str
    value: CellValue | None

    @property
    def key(self) -> tuple[str, str, str]:
        """``(table, row, column)``: the address of the cell."""
        return (self.table, self.row, self.column)

    @property
    def path_label(self) -> str:
        """The row label with its group, e.g. ``（三）不予公开/1.属于国家秘密``."""
        if self.table == "table3" and self.block_label:
            return f"{self.block_label}/{self.row_label}"
        return self.row_label


# ---------------------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------------------


def _text_tuple(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        raise ModelTypeError("prose is a sequence of paragraphs, not one string")
    paragraphs = tuple(value)
    for i, paragraph in enumerate(paragraphs):
        if not isinstance(paragraph, str):
            raise ModelTypeError(f"paragraph {i} is a {type(paragraph).__name__}, not a str: {paragraph!r:.60}")
    return paragraphs


def _check_text(_report: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str):
        raise ModelTypeError(f"a report's {attribute.name} is a str, got {type(value).__name__}: {value!r:.60}")


def _year(value: object) -> int | None:
    """A report year: an integer (NumPy's too) or None."""
    if value is None or type(value) is int:
        return value
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return int(value)
    raise ModelTypeError(f"a report's year is an int or None, got {type(value).__name__}: {value!r:.60}")


def _check_tables(report: Report, _attribute: attrs.Attribute[Any], _value: Any) -> None:
    expected = {
        "table2": ProactiveDisclosure2021 if report.format is Format.V2021 else ProactiveDisclosure2019,
        "table3": Applications2021 if report.format is Format.V2021 else Applications2019,
    }
    for name, cls in expected.items():
        table = getattr(report, name)
        if table is not None and not isinstance(table, cls):
            raise TypeError(
                f"{name} of a {report.format} format report must be {cls.__name__}, got {type(table).__name__}"
            )


@attrs.frozen(kw_only=True)
class Report:
    """A 政府信息公开工作年度报告 (Open Government Information annual report).

    Meta: ``organ`` (发布机关), ``year`` (报告年度), ``format`` (报告格式) and ``title``
    (标题) as printed.  Prose, paragraph by paragraph: ``preamble`` (the text before
    一、总体情况), ``overview`` (一、总体情况), ``problems`` (五、存在的主要问题及改进情况),
    ``other_matters`` (六、其他需要报告的事项).  Tables: ``table2`` (二、主动公开政府信息情况),
    ``table3`` (三、收到和处理政府信息公开申请情况), ``table4``
    (四、政府信息公开行政复议、行政诉讼情况); ``None`` when the document has no such table.
    """

    format: Format = attrs.field(converter=Format, metadata={"label": "报告格式"})
    organ: str = attrs.field(default="", validator=_check_text, metadata={"label": "发布机关"})
    year: int | None = attrs.field(default=None, converter=_year, metadata={"label": "报告年度"})
    title: str = attrs.field(default="", validator=_check_text, metadata={"label": "标题"})
    preamble: tuple[str, ...] = attrs.field(default=(), converter=_text_tuple, metadata={"section": None})
    overview: tuple[str, ...] = attrs.field(default=(), converter=_text_tuple, metadata={"section": "overview"})
    table2: ProactiveDisclosure2021 | ProactiveDisclosure2019 | None = attrs.field(
        default=None, validator=_check_tables, metadata={"section": "proactive"}
    )
    table3: Applications2021 | Applications2019 | None = attrs.field(
        default=None, validator=_check_tables, metadata={"section": "applications"}
    )
    table4: Appeals | None = attrs.field(default=None, metadata={"section": "appeals"})
    problems: tuple[str, ...] = attrs.field(default=(), converter=_text_tuple, metadata={"section": "problems"})
    other_matters: tuple[str, ...] = attrs.field(
        default=(), converter=_text_tuple, metadata={"section": "other_matters"}
    )

    @property
    def layout(self) -> layout.FormatLayout:
        """The layout of this report's format."""
        return layout.layout_for(self.format)

    # -- the flat view -----------------------------------------------------------------

    def cells(self) -> Iterator[TableCell]:
        """Every table cell in layout order: table 2, then 3, then 4.

        Cells of a table the report does not have are not yielded; cells of a row that is
        absent from the document are yielded with ``value=None``.
        """
        for spec, value in cell_values(self):
            yield TableCell(
                table=spec.table,
                block=spec.block,
                block_label=spec.block_label,
                row=spec.row,
                row_label=spec.row_label,
                column=spec.column,
                column_label=spec.column_label,
                value=value,
            )

    def cell(self, table: str, row: str, column: str) -> CellValue | None:
        """One cell by its address, e.g. ``report.cell("table3", "granted", "total")``.

        Raises ``KeyError`` for an address the format does not have or a table the report
        does not hold.
        """
        record = self._table(table, row, column)
        for name in self._spec(table, row, column).path:
            record = getattr(record, name)
        return record  # type: ignore[no-any-return]

    def with_cell(self, table: str, row: str, column: str, value: CellValue | None) -> Report:
        """A copy of the report with one cell replaced (same addressing as :meth:`cell`)."""
        record = self._table(table, row, column)
        spec = self._spec(table, row, column)
        value = check_cell(value, cell_address(table, row, column), money=spec.kind is layout.Kind.MONEY)
        path = spec.path
        if len(path) == 1:
            updated = attrs.evolve(record, **{path[0]: value})
        else:
            holder = getattr(record, path[0])
            updated = attrs.evolve(record, **{path[0]: attrs.evolve(holder, **{path[1]: value})})
        return attrs.evolve(self, **{table: updated})

    def _spec(self, table: str, row: str, column: str) -> CellSpec:
        return layout.cell_index(self.format).cell((table, row, column))

    def _table(self, table: str, row: str, column: str) -> Any:
        if table not in layout.TABLES:
            raise KeyError(f"unknown table {table!r}")
        record = getattr(self, table)
        if record is None:
            raise KeyError(f"the report has no {table}")
        return record

    # -- construction ------------------------------------------------------------------

    @classmethod
    def build(
        cls,
        *,
        format: Format | str | int,
        organ: str,
        year: int,
        table2: ProactiveDisclosure2021 | ProactiveDisclosure2019,
        table3: Applications2021 | Applications2019,
        table4: Appeals,
        overview: tuple[str, ...] = (),
        problems: tuple[str, ...] = (),
        other_matters: tuple[str, ...] = (),
        preamble: tuple[str, ...] = (),
        title: str | None = None,
    ) -> CompleteReport:
        """A complete report for people who generate reports in code.

        Build the tables with :meth:`Applications2021.build`, :meth:`Appeals.build` … so
        that their totals are computed.  The title defaults to the official pattern
        ``<机关名称><YYYY>年度政府信息公开工作年度报告``.

        The result's type is :class:`CompleteReport`: for a type checker its tables are
        not optional (``report.table3.granted`` needs no ``None`` test); at run time it is
        a plain :class:`Report`.
        """
        if title is None:
            title = f"{organ}{year}年度{layout.REPORT_TITLE_SUFFIX}"
        return cls(  # type: ignore[return-value]
            format=Format(format),
            organ=organ,
            year=year,
            title=title,
            preamble=preamble,
            overview=overview,
            table2=table2,
            table3=table3,
            table4=table4,
            problems=problems,
            other_matters=other_matters,
        )


if TYPE_CHECKING:

    class CompleteReport(Report):
        """A :class:`Report` whose three tables are present (what :meth:`Report.build`
        makes): for type checkers only — at run time it is :class:`Report` itself."""

        table2: ProactiveDisclosure2021 | ProactiveDisclosure2019
        table3: Applications2021 | Applications2019
        table4: Appeals

else:
    CompleteReport = Report


@functools.cache
def _table_getter(fmt: Format, table: str) -> Callable[[Any], tuple[Any, ...]]:
    """Every cell value of one table record, in layout order, in one C-level call."""
    paths = [".".join(spec.path) for spec in layout.cell_index(fmt).table(table)]
    getter = operator.attrgetter(*paths)
    if len(paths) == 1:  # pragma: no cover - every table has several cells
        return lambda record: (getter(record),)
    return getter


def record_values(report: Report, table: str) -> tuple[CellValue | None, ...]:
    """Every cell value of one table the report holds, in layout order (in one C-level call;
    ``ValueError`` when the report does not hold the table)."""
    record = getattr(report, table)
    if record is None:
        raise ValueError(f"the report holds no {table}")
    return _table_getter(report.format, table)(record)


def table_values(report: Report, table: str) -> Iterator[tuple[layout.CellSpec, CellValue | None]]:
    """``(spec, value)`` for every cell of one table of the report, in layout order (nothing
    when the report does not hold the table)."""
    if getattr(report, table) is not None:
        yield from zip(layout.cell_index(report.format).table(table), record_values(report, table), strict=True)


def group_total_values(report: Report) -> Iterator[tuple[layout.CellSpec, CellValue | None]]:
    """``(spec, value)`` for every cell of the printed group totals the report's table 3
    holds (:attr:`opengov.layout.CellIndex.group_totals`; nothing when none was printed)."""
    record = report.table3
    if record is None:
        return
    for spec in layout.cell_index(report.format).group_totals:
        row = getattr(record, spec.row)
        if row is not None:
            yield spec, getattr(row, spec.column)


def printed_alone(report: Report) -> frozenset[str]:
    """The groups whose printed total stands without its numbered rows (every cell of those
    rows absent): a writer prints such a table as the document did, the total alone."""
    table3 = report.table3
    if table3 is None:
        return frozenset()
    t3 = layout.layout_for(report.format).table3
    return frozenset(
        group
        for group in t3.group_totals
        if getattr(table3, group) is not None
        and all(getattr(table3.row(row), c.key) is None for row in t3.block(group).rows for c in t3.columns)
    )


def stored_values(report: Report) -> Iterator[tuple[layout.CellSpec, CellValue | None]]:
    """:func:`cell_values` with the cells of each printed group total before the first cell
    of its group's rows: every cell value a serializer writes, in order."""
    totals = list(group_total_values(report))
    if not totals:
        yield from cell_values(report)
        return
    for spec, value in cell_values(report):
        if totals and spec.block == totals[0][0].row:
            yield from totals
            totals = []
        yield spec, value


def with_group_totals(report: Report, cells: Mapping[layout.CellKey, CellValue | None]) -> Report:
    """The report with the printed group totals found in ``cells`` (keys of
    :attr:`opengov.layout.CellIndex.group_totals`): a total none of whose cells is printed
    in ``cells`` stays ``None``; a cell missing beside printed ones is absent."""
    specs = layout.cell_index(report.format).group_totals
    if report.table3 is None or not any(spec.key in cells for spec in specs):
        return report
    rows: dict[str, dict[str, CellValue | None]] = {}
    for spec in specs:
        rows.setdefault(spec.row, {})[spec.column] = cells.get(spec.key)
    rows = {row: values for row, values in rows.items() if not all(map(_unprinted, values.values()))}
    table3: Any = report.table3
    return attrs.evolve(report, table3=attrs.evolve(table3, **{row: ApplicantCounts(**v) for row, v in rows.items()}))


def cell_values(report: Report) -> Iterator[tuple[layout.CellSpec, CellValue | None]]:
    """``(spec, value)`` for every cell of the report's tables in layout order (the cells of
    a table the report does not hold are left out): what :meth:`Report.cells` yields,
    without building :class:`TableCell` records."""
    index = layout.cell_index(report.format)
    for table in layout.TABLES:
        record = getattr(report, table)
        if record is not None:
            yield from zip(index.table(table), _table_getter(report.format, table)(record), strict=True)


def tables_from_cells(
    fmt: Format | str, cells: Mapping[layout.CellKey, CellValue | None], tables: Iterable[str] = layout.TABLES
) -> dict[str, Any]:
    """The table records of ``tables`` built from a map of cell values (a cell missing from
    the map is absent, ``None``): ``{"table2": ProactiveDisclosure2021(...), ...}``."""
    fmt = Format(fmt)
    get = cells.get
    built: dict[str, Any] = {}
    for table in tables:
        table_type, plan = _cells_plan(fmt, table)
        fields: dict[str, Any] = {}
        for name, row_type, columns, keys in plan:
            if row_type is None:
                fields[name] = get(keys[0])
                continue
            values = tuple(map(get, keys))
            if _PLAIN_TYPES.issuperset(map(type, values)):  # counts and absent cells: a recurring row
                fields[name] = _plain_row(row_type, columns, values)
            else:
                fields[name] = row_type(**dict(zip(columns, values, strict=True)))
        built[table] = table_type(**fields)
    return built


_PLAIN_TYPES = frozenset({int, type(None)})
"""The cell states a row of :func:`_plain_row` holds: exact ``int`` counts (no ``bool``, no
amount: equal amounts may differ in their printed digits) and absent cells."""


@functools.lru_cache(maxsize=4096)
def _plain_row(row_type: type, columns: tuple[str, ...], values: tuple[int | None, ...]) -> Any:
    """The row record ``row_type`` of ``values`` (ints or ``None``, one per field of
    ``columns``): a pure function of them (records are immutable), cached because rows of
    zeros and of small counts recur from report to report.  A value the record refuses
    (a figure beyond :data:`MAX_FIGURE_DIGITS`) raises here every time (errors are not
    cached)."""
    return row_type(**dict(zip(columns, values, strict=True)))


@functools.cache
def _cells_plan(
    fmt: Format, table: str
) -> tuple[type, tuple[tuple[str, type | None, tuple[str, ...], tuple[layout.CellKey, ...]], ...]]:
    """How :func:`tables_from_cells` builds one table record: its type, and per field of
    it ``(field, row record type or None for a cell held directly, the row record's
    fields, the keys of their cells)``, from the layout's cell index."""
    rows: dict[str, tuple[list[str], list[layout.CellKey]]] = {}
    direct: set[str] = set()
    for spec in layout.cell_index(fmt).table(table):
        columns, keys = rows.setdefault(spec.path[0], ([], []))
        if spec.direct:
            direct.add(spec.path[0])
        else:
            columns.append(spec.path[1])
        keys.append(spec.key)
    table_type = _TABLE_TYPES[(fmt, table)]
    types = _row_types(table_type)
    plan = tuple(
        (row, None if row in direct else types[row], tuple(columns), tuple(keys))
        for row, (columns, keys) in rows.items()
    )
    return table_type, plan


@functools.cache
def _row_types(table_type: type) -> dict[str, Any]:
    """The record class of each row field of a table record (single-cell rows left out):
    row fields are annotated with the bare name of a record class of this module."""
    found: dict[str, Any] = {}
    for field in attrs.fields(table_type):
        kind = globals().get(field.type) if isinstance(field.type, str) else field.type
        if isinstance(kind, type) and attrs.has(kind):
            found[field.name] = kind
    return found


TABLE2_TYPES: dict[Format, type[ProactiveDisclosure2021] | type[ProactiveDisclosure2019]] = {
    Format.V2021: ProactiveDisclosure2021,
    Format.V2019: ProactiveDisclosure2019,
}
TABLE3_TYPES: dict[Format, type[Applications2021] | type[Applications2019]] = {
    Format.V2021: Applications2021,
    Format.V2019: Applications2019,
}
_TABLE_TYPES: dict[tuple[Format, str], type] = {
    **{(fmt, "table2"): cls for fmt, cls in TABLE2_TYPES.items()},
    **{(fmt, "table3"): cls for fmt, cls in TABLE3_TYPES.items()},
    **{(fmt, "table4"): Appeals for fmt in Format},
}


def field_label(cls: type, name: str, fmt: Format | str = Format.V2021) -> str:
    """The official Chinese label of one field of a record, read from the layout.

    ``field_label(ApplicantCounts, "commercial")`` is ``商业企业``;
    ``field_label(Applications2021, "granted")`` is ``（一）予以公开``.  Table 2 labels depend
    on the format (``fmt``); the record's own format is used when it has one.
    """
    field = attrs.fields_dict(cls)[name]
    meta = field.metadata
    if "label" in meta:
        return str(meta["label"])
    if "section" in meta:
        key = meta["section"]
        if key is None:
            return "前言"
        return next(s.label for s in layout.SECTIONS if s.key == key)
    lay = layout.layout_for(getattr(cls, "format", fmt))
    table, row, column = meta.get("table"), meta.get("row", ""), meta.get("column")
    if table == "table2":
        if column is not None:
            block = next(b for b in lay.table2.blocks if any(c.key == column for c in b.columns))
            return next(c.label for c in block.columns if c.key == column)
        return lay.table2.row(row).label
    if table == "table3":
        if column:
            return lay.table3.column(column).label
        return lay.table3.block(row).label if row in lay.table3.group_totals else lay.table3.row(row).label
    if table == "table4":
        return lay.table4.column(column).label if column else lay.table4.block(row).label
    raise KeyError(f"{cls.__name__}.{name} has no label metadata")
