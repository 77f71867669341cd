"""The one cattrs converter, in its two passes: fast, and detailed.

The fast pass is cattrs' generated code and stops at the first error; the detailed pass runs
only on data the fast pass refused, and collects every error with its place, for
:mod:`socialcouncil._problems` to turn into problems for people. Both are strict: a value of the
wrong kind is refused, never coerced (``true`` is not 1, ``"10"`` is not 10).
"""

from __future__ import annotations

import datetime
import functools
import math
import sys
import typing
from collections.abc import Callable, Mapping
from types import UnionType
from typing import Any, Literal, Union, get_args, get_origin

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from socialcouncil import _problems, _shape
from socialcouncil._problems import MismatchError, expected
from socialcouncil.errors import ModelFileError, Problem
from socialcouncil.model import Council, InvalidValueError, OptionValue

__all__ = ["converter", "structure", "unstructure"]


_TEXT = "a string"
_SURROGATE = "a string without lone surrogates (such as \\ud800), which no file can hold"


def _text(value: str) -> str:
    # JSON's "\ud800" escape reads as a lone surrogate, which could never be written back.
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise MismatchError(value, _SURROGATE) from None
    return value


def _structure_str(value: object, _type: object) -> str:
    if isinstance(value, str):
        return _text(value)
    raise MismatchError(value, _TEXT)


def _structure_optional_str(value: object, _type: object) -> str | None:
    # The commonest field type of all, so it has a hook of its own.
    if value is None:
        return value
    if isinstance(value, str):
        return _text(value)
    raise MismatchError(value, _TEXT)


_LARGEST = f"a number no larger than {sys.float_info.max:.1e} either way"


def _structure_float(value: object, _type: object) -> float:
    # A whole number stays whole, so 9007199254740993 (beyond float's 2**53) reads and writes
    # back exactly; every whole number is a float to the type checker too.
    if isinstance(value, int) and not isinstance(value, bool):
        if abs(value) > sys.float_info.max:
            raise MismatchError(value, _LARGEST)
        return value
    if isinstance(value, float):
        return value
    raise MismatchError(value, "a number")


def _structure_int(value: object, _type: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise MismatchError(value, "a whole number")


def _structure_date(value: object, _type: object) -> datetime.date:
    wanted = "a date, such as 2025-03-31"
    if isinstance(value, datetime.datetime):
        raise MismatchError(value, wanted)
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and len(value) == 10:
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    raise MismatchError(value, wanted)


def _literal_hook(type_: Any) -> Callable[[object, object], object]:
    choices = get_args(type_)
    wanted = expected(type_)

    def hook(value: object, _type: object) -> object:
        # bool is an int: True must not pass for 1.
        if not isinstance(value, bool) and value in choices:
            return value
        raise MismatchError(value, wanted)

    return hook


def _is_literal(type_: Any) -> bool:
    return get_origin(type_) is Literal


def _is_optional(type_: Any) -> bool:
    args = get_args(type_)
    return len(args) == 2 and type(None) in args and get_origin(type_) in (Union, UnionType)


def _is_tuple_of(type_: Any) -> bool:
    args = get_args(type_)
    return get_origin(type_) is tuple and len(args) == 2 and args[1] is Ellipsis


def _is_str_mapping(type_: Any) -> bool:
    return get_origin(type_) in (dict, Mapping, typing.Mapping)


def _mapping_hook(value: object, _type: object) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise MismatchError(value, "a table")
    out: dict[str, str] = {}
    for key, item in value.items():
        if not isinstance(key, str) or not isinstance(item, str):
            raise MismatchError(item, "a level id", f".{key}")
        out[_text(key)] = _text(item)
    return out


# The measurement plan's tables, each with a hook of its own: a measure's source (one id, or
# an id per input), its columns (flat, or per input), and the options of a source or a model.
_SOURCE = str | Mapping[str, str] | None
_COLUMNS = Mapping[str, str | Mapping[str, str]]
_OPTIONS = Mapping[str, OptionValue]
_SCALAR = "a string, a number, true or false"


def _table(value: object, item: Callable[[object], object]) -> dict[str, object]:
    """*value*, a table, with *item* applied to each value; every key that fails is reported."""
    if not isinstance(value, Mapping):
        raise MismatchError(value, "a table")
    out: dict[str, object] = {}
    errors: list[Exception] = []
    for key, x in value.items():
        try:
            if not isinstance(key, str):
                raise MismatchError(key, "a key that is a string")
            out[_text(key)] = item(x)
        except Exception as exc:  # noqa: BLE001 - every error is collected and reported
            errors.append(_with_note(exc, AttributeValidationNote(f"@ key {key}", str(key), Any)))
    if errors:
        raise ClassValidationError("While structuring a table", errors, dict)
    return out


def _name_hook(wanted: str) -> Callable[[object], str]:
    def hook(value: object) -> str:
        if isinstance(value, str):
            return _text(value)
        raise MismatchError(value, wanted)

    return hook


_source_id = _name_hook("a source id")
_column = _name_hook("a column name")


def _structure_source(value: object, _type: object) -> object:
    if value is None:
        return None
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, Mapping):
        return _table(value, _source_id)
    raise MismatchError(value, "a source id, or a table of input name to source id")


def _columns_item(value: object) -> object:
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, Mapping):
        return _table(value, _column)
    raise MismatchError(value, "a column name, or a table of field name to column name")


def _structure_columns(value: object, _type: object) -> object:
    return _table(value, _columns_item)


def _option_scalar(value: object) -> object:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, (int, float)):
        return _structure_float(value, float)
    raise MismatchError(value, _SCALAR)


def _option_value(value: object) -> object:
    if not isinstance(value, (list, tuple)):
        if isinstance(value, float) and not math.isfinite(value):
            raise MismatchError(value, "a finite number")
        try:
            return _option_scalar(value)
        except MismatchError:
            raise MismatchError(value, f"{_SCALAR}, or a list of them") from None
    out: list[object] = []
    errors: list[Exception] = []
    for index, x in enumerate(value):
        try:
            if isinstance(x, float) and not math.isfinite(x):
                raise MismatchError(x, "a finite number")
            out.append(_option_scalar(x))
        except Exception as exc:  # noqa: BLE001 - every error is collected and reported
            note = IterableValidationNote(f"@ index {index}", index, Any)
            errors.append(_with_note(exc, note))
    if errors:
        raise IterableValidationError("While structuring a list", errors, list)
    return tuple(out)


def _structure_options(value: object, _type: object) -> object:
    return _table(value, _option_value)


def _unstructure_options(value: Mapping[str, object]) -> dict[str, object]:
    return {k: list(x) if isinstance(x, tuple) else x for k, x in value.items()}


def _unstructure_nested(value: object) -> object:
    if isinstance(value, Mapping):
        return {k: dict(x) if isinstance(x, Mapping) else x for k, x in value.items()}
    return value


def _make_converter(*, detailed: bool) -> cattrs.Converter:
    """The converter; *detailed* collects every error with its path, at some cost in speed."""
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=detailed)
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(float, _structure_float)
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(datetime.date, _structure_date)
    # Dates stay date objects: TOML and YAML write them natively; JSON writes ISO strings.
    conv.register_unstructure_hook(datetime.date, lambda d: d)
    conv.register_structure_hook_factory(_is_literal, _literal_hook)

    def tuple_hook(type_: Any) -> Callable[[object, object], tuple[object, ...]]:
        item_type = get_args(type_)[0]
        item = conv.get_structure_hook(item_type)

        def fast(value: object, _type: object) -> tuple[object, ...]:
            if not isinstance(value, (list, tuple)):
                raise MismatchError(value, "a list")
            return tuple([item(x, item_type) for x in value])

        def collecting(value: object, _type: object) -> tuple[object, ...]:
            if not isinstance(value, (list, tuple)):
                raise MismatchError(value, "a list")
            out: list[object] = []
            errors: list[Exception] = []
            for index, x in enumerate(value):
                try:
                    out.append(item(x, item_type))
                except Exception as exc:  # noqa: BLE001 - every error is collected and reported
                    note = IterableValidationNote(f"@ index {index}", index, item_type)
                    errors.append(_with_note(exc, note))
            if errors:
                raise IterableValidationError("While structuring a list", errors, type_)
            return tuple(out)

        return collecting if detailed else fast

    conv.register_structure_hook_factory(_is_tuple_of, tuple_hook)

    def optional_hook(type_: Any) -> Callable[[object, object], object]:
        # cattrs' own hook for `X | None` looks X's hook up on every call; this looks once.
        [inner_type] = [a for a in get_args(type_) if a is not type(None)]
        if inner_type is str:
            return _structure_optional_str
        inner = conv.get_structure_hook(inner_type)
        return lambda value, _type: None if value is None else inner(value, inner_type)

    conv.register_structure_hook_factory(_is_optional, optional_hook)
    conv.register_unstructure_hook_factory(
        _is_tuple_of, lambda t: lambda value: [conv.unstructure(x) for x in value]
    )
    conv.register_structure_hook_factory(_is_str_mapping, lambda _t: _mapping_hook)
    conv.register_unstructure_hook_factory(_is_str_mapping, lambda _t: dict)
    # Registered after the general hooks, so that these win for their own types.
    for type_, structure_hook, unstructure_hook in (
        (_SOURCE, _structure_source, _unstructure_nested),
        (_COLUMNS, _structure_columns, _unstructure_nested),
        (_OPTIONS, _structure_options, _unstructure_options),
    ):
        conv.register_structure_hook_func(functools.partial(_same_type, type_), structure_hook)
        conv.register_unstructure_hook_func(functools.partial(_same_type, type_), unstructure_hook)

    def attrs_structure(cl: Any) -> Callable[[Any, Any], object]:
        if detailed:
            return _collecting_attrs_hook(conv, cl)
        # cattrs' generated code fails on anything but a mapping (its extra-key check calls
        # .keys()), and any failure sends the data to the detailed pass, which says why.
        return make_dict_structure_fn(cl, conv, **_overrides(cl))

    def attrs_unstructure(cl: Any) -> Callable[[Any], dict[str, Any]]:
        # Leaving defaults out keeps written files short and still loses nothing: reading
        # them back gives the defaults again. The format version is always written.
        return make_dict_unstructure_fn(cl, conv, _cattrs_omit_if_default=True, **_overrides(cl))

    conv.register_structure_hook_factory(attrs.has, attrs_structure)
    conv.register_unstructure_hook_factory(attrs.has, attrs_unstructure)
    return conv


def _same_type(wanted: object, type_: object) -> bool:
    try:
        return bool(type_ == wanted)
    except Exception:  # noqa: BLE001 - a type that cannot be compared is not this one
        return False


def _collecting_attrs_hook(conv: cattrs.Converter, cl: Any) -> Callable[[object, object], object]:
    """Structure an attrs class field by field, running each field's validator as it goes.

    The generated (fast) hook stops at the constructor when any field fails, so an invalid id
    beside a mistyped name would go unreported; this one reports both.
    """
    attrs.resolve_types(cl)
    fields = [(a, _shape.file_key(cl, a.name)) for a in attrs.fields(cl) if a.init]
    allowed = {key for _, key in fields}

    def hook(value: object, _type: object) -> object:
        if not isinstance(value, Mapping):
            raise MismatchError(value, "a table")
        kwargs: dict[str, object] = {}
        errors: list[Exception] = []
        for a, key in fields:
            note = AttributeValidationNote(f"@ attribute {a.name}", a.name, a.type)
            if key not in value:
                if a.default is attrs.NOTHING:
                    errors.append(_with_note(KeyError(key), note))
                continue
            try:
                item = conv.structure(value[key], a.type)
                if a.converter is not None:
                    item = a.converter(item)
                if a.validator is not None:
                    a.validator(None, a, item)
            except InvalidValueError as exc:
                # The validator names the field itself, perhaps with a path inside it.
                inside = exc.field[len(a.name) :] if exc.field.startswith(a.name) else ""
                errors.append(_with_note(MismatchError(exc.found, exc.expected, inside), note))
            except Exception as exc:  # noqa: BLE001 - every error is collected and reported
                errors.append(_with_note(exc, note))
            else:
                kwargs[a.alias] = item
        unknown = set(value) - allowed
        if unknown:
            errors.append(ForbiddenExtraKeysError("", cl, unknown))
        if errors:
            raise ClassValidationError(f"While structuring {cl.__name__}", errors, cl)
        return cl(**kwargs)

    return hook


def _with_note(exc: Exception, note: str) -> Exception:
    # cattrs reads notes from __notes__; set it directly, as add_note() is Python 3.11+.
    setattr(exc, "__notes__", [*getattr(exc, "__notes__", []), note])  # noqa: B010
    return exc


def _overrides(cl: type) -> dict[str, Any]:
    renamed = {
        a.name: override(rename=_shape.file_key(cl, a.name))
        for a in attrs.fields(cl)
        if _shape.file_key(cl, a.name) != a.name
    }
    if cl is _shape.Document:
        return {**renamed, "format": override(omit_if_default=False)}
    return renamed


@functools.cache
def converter(*, detailed: bool) -> cattrs.Converter:
    """The converter for the fast pass, or with *detailed*, for the pass that says why."""
    return _make_converter(detailed=detailed)


def structure(data: object, source: str, max_depth: int) -> Council:
    """The council in *data*, or a ModelFileError, named after *source*, with every problem."""
    if not isinstance(data, Mapping):
        top = f"found {_problems.describe(data)} at the top, expected a table"
        raise ModelFileError(source, [Problem("", top)])
    try:
        return _shape.to_council(converter(detailed=False).structure(data, _shape.Document))
    except Exception:  # noqa: BLE001, S110 - the detailed pass below says what was wrong
        pass
    # Data the fast pass accepts is only as deep as the model; only now can depth matter.
    too_deep = _problems.check_depth(data, max_depth)
    if too_deep is not None:
        raise ModelFileError(source, [too_deep])
    try:
        # Should the passes not agree on what is valid, the data is still read.
        return _shape.to_council(converter(detailed=True).structure(data, _shape.Document))
    except RecursionError:
        found = [_problems.too_deep(max_depth)]
    except Exception as exc:  # noqa: BLE001 - turned into problems for people
        found = list(_problems.problems(exc, []))
    raise ModelFileError(source, found)


def unstructure(council: Council) -> dict[str, Any]:
    """Plain data in the model file's shape: the inverse of :func:`structure`."""
    data: dict[str, Any] = converter(detailed=False).unstructure(_shape.to_document(council))
    return data
