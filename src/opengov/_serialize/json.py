"""Exact JSON for reports, through one cattrs converter.

The JSON keys are the English vocabulary of :mod:`opengov.layout`.  Cells are written as:

=====================  =============================================
cell state             JSON
=====================  =============================================
count (``int``)        ``36``
:class:`Amount`        ``{"amount": "1341", "unit": "万元"}`` (``unit`` omitted when none
                       was printed; the amount is a decimal string, digits kept)
:data:`BLANK`          ``{"blank": true}``
:class:`Placeholder`   ``{"placeholder": "/"}``
absent (``None``)      ``null``
=====================  =============================================

A 2021 table 3 holds ``"other_processing"`` (（六）其他处理 printed as one row, a template
deviation) only when the document printed it; reading accepts it missing.

``loads(dumps(r)) == r`` for every report.  Reading is strict: an unknown key, a missing
key or a value of the wrong type raises :class:`opengov.LoadError` naming every bad path
(``$.table3.granted.total``).
"""

from __future__ import annotations

import json
import os
from typing import IO, Any, Union, get_args

import attrs
import cattrs
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override
from cattrs.v import transform_error

from opengov._codec import CellError, cell_from_json, cell_to_json
from opengov._errors import LoadError
from opengov._model import (
    MAX_FIGURE_DIGITS,
    TABLE2_TYPES,
    TABLE3_TYPES,
    Applications2021,
    CellValue,
    ModelTypeError,
    ModelValueError,
    Report,
)
from opengov.layout import Format

__all__ = ["make_converter", "converter", "dumps", "loads", "dump", "load", "cell_to_json", "cell_from_json"]

_CELL_TYPES = frozenset(get_args(Union[CellValue, None]))  # noqa: UP007


def _is_cell_type(t: Any) -> bool:
    args = get_args(t)
    return bool(args) and frozenset(args) == _CELL_TYPES


def _strict_int(obj: Any, _type: Any) -> int:
    if isinstance(obj, bool) or not isinstance(obj, int):
        raise CellError(f"expected an integer, got {json.dumps(obj, ensure_ascii=False)[:80]}")
    return obj


def _strict_str(obj: Any, _type: Any) -> str:
    if not isinstance(obj, str):
        raise CellError(f"expected a string, got {json.dumps(obj, ensure_ascii=False)[:80]}")
    return obj


def _strict_paragraphs(obj: Any, _type: Any) -> tuple[str, ...]:
    if not isinstance(obj, list):
        raise CellError(f"expected a list of paragraphs, got {json.dumps(obj, ensure_ascii=False)[:80]}")
    bad = [i for i, p in enumerate(obj) if not isinstance(p, str)]
    if bad:
        raise CellError(f"paragraph {bad[0]} is not a string")
    return tuple(obj)


def _format_exception(exc: BaseException, type_: type | None) -> str:
    if isinstance(exc, CellError):
        return str(exc)
    if isinstance(exc, ForbiddenExtraKeysError):
        return "unknown key(s): " + ", ".join(sorted(exc.extra_fields))
    if isinstance(exc, KeyError):
        return "required key missing"
    if isinstance(exc, ValueError) and type_ is Format:
        return 'format must be "2019" or "2021"'
    if isinstance(exc, (ModelTypeError, ModelValueError)):
        return str(exc)
    return cattrs.v.format_exception(exc, type_)


def make_converter() -> cattrs.Converter:
    """Build the converter behind :func:`dumps`/:func:`loads` (one place for every hook)."""
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    conv.register_unstructure_hook_func(_is_cell_type, cell_to_json)
    conv.register_structure_hook_func(_is_cell_type, cell_from_json)
    conv.register_structure_hook(int, _strict_int)
    conv.register_structure_hook(str, _strict_str)
    conv.register_structure_hook_func(lambda t: t == tuple[str, ...], _strict_paragraphs)
    conv.register_unstructure_hook(Format, lambda f: f.value)

    def records(cls: type) -> Any:
        inner: Any = make_dict_structure_fn(cls, conv, _cattrs_forbid_extra_keys=True, _cattrs_detailed_validation=True)

        def structure(obj: Any, type_: Any) -> Any:
            if not isinstance(obj, dict):
                shown = json.dumps(obj, ensure_ascii=False)
                raise CellError(f"expected a JSON object ({cls.__name__}), got {shown[:60]}")
            return inner(obj, type_)

        return structure

    conv.register_structure_hook_factory(attrs.has, records)
    # a printed group total (a template deviation) is written only when the document printed one
    conv.register_unstructure_hook(
        Applications2021,
        make_dict_unstructure_fn(Applications2021, conv, other_processing=override(omit_if_default=True)),
    )

    report_fields = attrs.fields_dict(Report)

    def structure_report(obj: Any, _type: Any) -> Report:
        if not isinstance(obj, dict):
            raise LoadError([f"a report must be a JSON object @ $, got {type(obj).__name__}"])
        problems: list[str] = []
        extra = sorted(set(obj) - set(report_fields))
        if extra:
            problems.append(f"unknown key(s): {', '.join(extra)} @ $")
        try:
            fmt = Format(obj["format"])
        except KeyError:
            raise LoadError([*problems, "required key missing @ $.format"]) from None
        except ValueError:
            raise LoadError([*problems, 'format must be "2019" or "2021" @ $.format']) from None
        types: dict[str, Any] = {name: field.type for name, field in report_fields.items() if name != "format"}
        types["table2"] = Union[TABLE2_TYPES[fmt], None]  # noqa: UP007 - a runtime type
        types["table3"] = Union[TABLE3_TYPES[fmt], None]  # noqa: UP007
        values: dict[str, Any] = {"format": fmt}
        for name, type_ in types.items():
            if name not in obj:
                if report_fields[name].default is attrs.NOTHING:
                    problems.append(f"required key missing @ $.{name}")
                continue
            raw = obj[name]
            if name in ("table2", "table3", "table4") and raw is not None and not isinstance(raw, dict):
                problems.append(f"a table must be a JSON object or null, got {type(raw).__name__} @ $.{name}")
                continue
            try:
                if name in ("table2", "table3", "table4"):
                    values[name] = None if raw is None else conv.structure(raw, get_args(type_)[0])
                else:
                    values[name] = conv.structure(raw, type_)
            except (ClassValidationError, IterableValidationError, ValueError, TypeError, KeyError) as exc:
                problems.extend(transform_error(exc, path=f"$.{name}", format_exception=_format_exception))
        if problems:
            raise LoadError(problems)
        return Report(**values)

    conv.register_structure_hook(Report, structure_report)
    attrs.resolve_types(Report)
    return conv


converter = make_converter()
"""The converter used by :func:`dumps` and :func:`loads`."""


def _to_dict(report: Report) -> dict[str, Any]:
    if not isinstance(report, Report):
        raise TypeError(f"expected an opengov.Report, got {type(report).__name__}")
    data: dict[str, Any] = converter.unstructure(report)
    return data


def dumps(report: Report, *, indent: int | None = 2) -> str:
    """The report as JSON text (UTF-8 friendly: Chinese is written as is)."""
    return json.dumps(_to_dict(report), ensure_ascii=False, indent=indent)


def loads(text: str | bytes) -> Report:
    """A report from JSON text (``str``, or UTF-8 ``bytes``); raises :class:`opengov.LoadError`
    naming every bad path."""
    if isinstance(text, (bytes, bytearray, memoryview)):
        try:
            text = bytes(text).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise LoadError([f"not UTF-8 text: {exc.reason} at byte {exc.start}"]) from None
    elif not isinstance(text, str):
        raise TypeError(f"loads() takes str or bytes, got {type(text).__name__}")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LoadError([f"not JSON: {exc.msg} (at line {exc.lineno}, column {exc.colno})"]) from None
    except ValueError as exc:  # CPython refuses ints of over 4,300 digits
        too_long = f"a number longer than any figure ({MAX_FIGURE_DIGITS} digits)"
        raise LoadError([f"not a report: {too_long}: {exc}"]) from None
    except RecursionError:
        raise LoadError(["not a report: the JSON is nested too deeply"]) from None
    report: Report = converter.structure(data, Report)
    return report


def dump(report: Report, fp: IO[str] | str | os.PathLike[str], *, indent: int | None = 2) -> None:
    """Write :func:`dumps` to an open text file or to a path (UTF-8)."""
    _write(fp, dumps(report, indent=indent))


def load(fp: IO[str] | IO[bytes] | str | os.PathLike[str]) -> Report:
    """Read a report from an open file or a path (see :func:`loads`)."""
    if isinstance(fp, (str, os.PathLike)):
        with open(fp, encoding="utf-8") as handle:
            return loads(handle.read())
    return loads(fp.read())


def _write(fp: IO[str] | str | os.PathLike[str], text: str) -> None:
    if isinstance(fp, (str, os.PathLike)):
        with open(fp, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        fp.write(text)
