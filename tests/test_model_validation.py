"""The model refuses bad values when a record is made (issue 21): every cell, year, format."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import opengov
from opengov import BLANK, Amount, ApplicantCounts, Applications2021, Format, Placeholder, Report
from opengov.layout import CellSpec, Kind, cell_index
from opengov.testing import cell_values, reports


class Count(int):
    """An integer type that is not ``int`` itself (as NumPy's ``int64`` is not)."""


def _specs(fmt: Format) -> st.SearchStrategy[CellSpec]:
    return st.sampled_from(cell_index(fmt).cells)


_WRONG: st.SearchStrategy[Any] = st.one_of(
    st.booleans(),
    st.floats(allow_nan=False),
    st.text(max_size=5),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=1),
    st.just(object()),
)
"""Values that are no cell state in any column (a Decimal is refused outside money columns,
tested below)."""


@given(st.data())
def test_a_wrong_value_is_refused_naming_the_cell(data: st.DataObject) -> None:
    report = data.draw(reports())
    spec = data.draw(_specs(report.format))
    value = data.draw(_WRONG)
    with pytest.raises(TypeError) as caught:
        report.with_cell(spec.table, spec.row, spec.column, value)
    message = str(caught.value)
    assert f"{spec.table} {spec.row}/{spec.column}" in message
    assert type(value).__name__ in message
    assert "is not a cell value" in message or "is a bool" in message


@given(st.data())
def test_a_decimal_outside_money_columns_is_refused(data: st.DataObject) -> None:
    report = data.draw(reports())
    spec = data.draw(_specs(report.format).filter(lambda s: s.kind is not Kind.MONEY))
    with pytest.raises(TypeError, match=r"opengov\.Amount"):
        report.with_cell(spec.table, spec.row, spec.column, Decimal("3"))


@given(_WRONG)
def test_records_refuse_wrong_values_when_made(value: Any) -> None:
    with pytest.raises(TypeError, match="table3 column natural_person"):
        ApplicantCounts(
            natural_person=value, commercial=0, research=0, social_welfare=0, legal_service=0, other_org=0, total=0
        )


def _valid(kind: Kind) -> st.SearchStrategy[Any]:
    return st.one_of(cell_values(kind, absent=True), st.integers(-(10**12), 10**12).map(Count))


@given(st.data())
def test_any_valid_value_goes_everywhere(data: st.DataObject) -> None:
    report = data.draw(reports())
    spec = data.draw(_specs(report.format))
    value = data.draw(_valid(spec.kind))
    changed = report.with_cell(spec.table, spec.row, spec.column, value)
    stored = changed.cell(spec.table, spec.row, spec.column)
    if isinstance(value, Count):
        # any integral type is stored as a plain int (an Amount in a money column)
        expected: Any = Amount(value=Decimal(int(value))) if spec.kind is Kind.MONEY else int(value)
        assert stored == expected
        assert type(stored) is type(expected)
    assert opengov.loads(opengov.dumps(changed)) == changed
    assert opengov.from_csv(opengov.to_csv([changed])) == [changed]
    assert opengov.render(changed, to="text")
    opengov.check(changed)  # never raises, whatever the cell holds


def test_plain_numbers_in_money_cells_become_amounts() -> None:
    table2 = opengov.ProactiveDisclosure2021.build(fees=12)
    assert table2.fees == Amount(value=Decimal(12))
    assert opengov.ProactiveDisclosure2021.build(fees=Decimal("1.50")).fees == Amount(value=Decimal("1.50"))


def test_numpy_integers_are_ints() -> None:
    np = pytest.importorskip("numpy", reason="NumPy is not installed (it is not a dependency)")
    row = ApplicantCounts.build(natural_person=np.int64(36))
    assert row.natural_person == 36
    assert type(row.natural_person) is int
    assert type(row.total) is int
    report = Report(format="2021", year=np.int32(2025))
    assert type(report.year) is int


@pytest.mark.parametrize(
    ("value", "error", "match"),
    [
        ("abc", ValueError, "decimal number"),
        (0.1, TypeError, r"Decimal\('0.1'\)"),
        (True, TypeError, "an amount's value"),
        (Decimal("NaN"), ValueError, "not a finite number"),
        ("1e9999999999999999999999", ValueError, "decimal number|finite"),
    ],
)
def test_amount_values(value: Any, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        Amount(value=value)


def test_amount_accepts_decimal_text_and_ints() -> None:
    assert Amount(value="12.50").value == Decimal("12.50")
    assert Amount(value=3) == Amount(value=Decimal(3))
    with pytest.raises(ValueError, match="unit"):
        Amount(value=1, unit="")


@pytest.mark.parametrize("value", [2021, "2021", " 2021 ", Format.V2021])
def test_formats_accepted(value: Any) -> None:
    assert Report(format=value).format is Format.V2021


@pytest.mark.parametrize("value", [2020, "2022", True, None, 2021.0])
def test_formats_refused_listing_the_formats(value: Any) -> None:
    with pytest.raises(ValueError, match="'2019', '2021'"):
        Report(format=value)


@pytest.mark.parametrize("value", ["2025", 2025.0, True])
def test_years_are_ints(value: Any) -> None:
    with pytest.raises(TypeError, match="year is an int"):
        Report(format="2021", year=value)


def test_prose_paragraphs_are_text() -> None:
    with pytest.raises(TypeError, match="paragraph 1"):
        Report(format="2021", overview=("一段", 2))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="organ is a str"):
        Report(format="2021", organ=5)  # type: ignore[arg-type]


def test_rows_hold_their_records() -> None:
    with pytest.raises(TypeError, match=r"table3 row granted must be an? ApplicantCounts"):
        Applications2021.build(new_received=ApplicantCounts.zero(), granted=5)  # type: ignore[arg-type]


def test_blank_and_placeholders_are_cells() -> None:
    row = ApplicantCounts(
        natural_person=BLANK,
        commercial=Placeholder(glyph="/"),
        research=None,
        social_welfare=0,
        legal_service=0,
        other_org=0,
        total=0,
    )
    assert row.natural_person is BLANK
