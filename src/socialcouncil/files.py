"""Reading and writing model files: TOML, JSON and, with the ``yaml`` extra, YAML.

Every format goes through one cattrs converter configuration, so every format, exporter and
store agrees on one shape. Loading runs a fast pass first; only when that fails does a second,
detailed pass run to collect every problem in the file with its path.
"""

from __future__ import annotations

import datetime
import difflib
import functools
import json
import os
import sys
import tempfile
import typing
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
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

from socialcouncil.errors import ModelFileError, Problem
from socialcouncil.model import (
    CheckSettings,
    Continuum,
    Council,
    Crosswalk,
    GoldenThread,
    Measure,
    Project,
    Value,
)
from socialcouncil.model import validators as v
from socialcouncil.model.errors import InvalidValueError

__all__ = [
    "FORMATS",
    "FORMAT_VERSION",
    "MAX_DEPTH",
    "MAX_FILE_SIZE",
    "Format",
    "dump",
    "dumps",
    "load",
    "loads",
    "structure",
    "unstructure",
]

Format = Literal["toml", "json", "yaml"]
"""The model file formats."""

FORMATS: tuple[Format, ...] = ("toml", "json", "yaml")
"""Every format :func:`load` reads and :func:`dump` writes."""

FORMAT_VERSION = 1
"""The version of the model file format this release reads and writes (the ``format`` key)."""

MAX_FILE_SIZE = 64 * 1024 * 1024
"""The largest model file read, in bytes (64 MiB).

A council of 10,000 projects takes about 10 MiB.
"""

MAX_DEPTH = 32
"""The deepest nesting of tables and lists read; the model itself needs five levels."""

_SUFFIXES: dict[str, Format] = {".toml": "toml", ".json": "json", ".yaml": "yaml", ".yml": "yaml"}


def _format_version(_instance: object, _attribute: object, value: object) -> None:
    if isinstance(value, bool) or value != FORMAT_VERSION:
        raise InvalidValueError(
            "format",
            value,
            f"{FORMAT_VERSION}, the model file format this version of socialcouncil reads",
        )


@attrs.frozen
class _Header:
    """The ``[council]`` table."""

    name: str = attrs.field(validator=v.text)
    gss_code: str | None = attrs.field(default=None, validator=v.optional_text)
    steering_group: str | None = attrs.field(default=None, validator=v.optional_text)


@attrs.frozen(kw_only=True)
class _Document:
    """A whole model file; it differs from Council only in keeping the header in its own table."""

    format: int = attrs.field(default=FORMAT_VERSION, validator=_format_version)
    requires: tuple[str, ...] = attrs.field(default=(), validator=v.requirements)
    council: _Header
    values: tuple[Value, ...] = ()
    thread: GoldenThread = attrs.field(factory=GoldenThread)
    continua: tuple[Continuum, ...] = ()
    crosswalks: tuple[Crosswalk, ...] = ()
    measures: tuple[Measure, ...] = ()
    projects: tuple[Project, ...] = ()
    checks: CheckSettings = attrs.field(factory=CheckSettings)


def _to_council(doc: _Document) -> Council:
    header = attrs.asdict(doc.council, recurse=False)
    body = {name: getattr(doc, name) for name in _BODY}
    return Council(**header, **body)


def _to_document(council: Council) -> _Document:
    header = _Header(**{name: getattr(council, name) for name in _HEADER})
    return _Document(council=header, **{name: getattr(council, name) for name in _BODY})


# Council's fields, split as the file splits them: the [council] table, and the rest.
_HEADER = tuple(a.name for a in attrs.fields(_Header))
_BODY = tuple(a.name for a in attrs.fields(_Document) if a.name not in {"format", "council"})


# ---------------------------------------------------------------------------------------------
# The converter


class _MismatchError(Exception):
    """A value of the wrong kind, raised by the strict structure hooks."""

    def __init__(self, found: object, expected: str, inside: str = "") -> None:
        self.found = found
        self.expected = expected
        self.inside = inside  # a path below the field, such as "[2].id"
        super().__init__(f"found {_show(found)}, expected {expected}")


def _show(found: object) -> str:
    """A short description of a value found in a file."""
    if isinstance(found, Mapping):
        return "a table"
    if isinstance(found, (list, tuple)):
        return "a list"
    if isinstance(found, bool):
        return "true" if found else "false"
    if found is None:
        return "null"
    if isinstance(found, datetime.datetime):
        return f"{found.isoformat()} (a date and time)"
    if isinstance(found, datetime.date):
        return found.isoformat()
    text = repr(found)
    return text if len(text) <= 60 else text[:57] + "..."


def _expected(type_: Any) -> str:
    """What a value of *type_* looks like, in words."""
    if type_ is str:
        return "a string"
    if type_ is float:
        return "a number"
    if type_ is int:
        return "a whole number"
    if type_ is datetime.date:
        return "a date, such as 2025-03-31"
    if _is_literal(type_):
        return "one of " + ", ".join(repr(a) for a in get_args(type_))
    if get_origin(type_) is tuple:
        return "a list"
    if attrs.has(type_) or get_origin(type_) in (dict, Mapping):
        return "a table"
    args = [a for a in get_args(type_) if a is not type(None)]
    if len(args) == 1:  # X | None
        return _expected(args[0])
    return str(type_)


def _structure_str(value: object, _type: object) -> str:
    if isinstance(value, str):
        return value
    raise _MismatchError(value, "a string")


def _structure_optional_str(value: object, _type: object) -> str | None:
    # The commonest field type of all, so it has a hook of its own.
    if value is None or isinstance(value, str):
        return value
    raise _MismatchError(value, "a string")


def _structure_float(value: object, _type: object) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    raise _MismatchError(value, "a number")


def _structure_int(value: object, _type: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise _MismatchError(value, "a whole number")


def _structure_date(value: object, _type: object) -> datetime.date:
    expected = "a date, such as 2025-03-31"
    if isinstance(value, datetime.datetime):
        raise _MismatchError(value, expected)
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and len(value) == 10:
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    raise _MismatchError(value, expected)


def _literal_hook(type_: Any) -> Callable[[object, object], object]:
    choices = get_args(type_)
    expected = _expected(type_)

    def hook(value: object, _type: object) -> object:
        # bool is an int: True must not pass for 1.
        if not isinstance(value, bool) and value in choices:
            return value
        raise _MismatchError(value, expected)

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
                raise _MismatchError(value, "a list")
            return tuple([item(x, item_type) for x in value])

        def collecting(value: object, _type: object) -> tuple[object, ...]:
            if not isinstance(value, (list, tuple)):
                raise _MismatchError(value, "a list")
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

    def mapping_hook(value: object, _type: object) -> dict[str, str]:
        if not isinstance(value, Mapping):
            raise _MismatchError(value, "a table")
        out: dict[str, str] = {}
        for key, item in value.items():
            if not isinstance(key, str) or not isinstance(item, str):
                raise _MismatchError(item, "a level id", f".{key}")
            out[key] = item
        return out

    conv.register_structure_hook_factory(_is_str_mapping, lambda _t: mapping_hook)
    conv.register_unstructure_hook_factory(_is_str_mapping, lambda _t: dict)

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


def _collecting_attrs_hook(conv: cattrs.Converter, cl: Any) -> Callable[[object, object], object]:
    """Structure an attrs class field by field, running each field's validator as it goes.

    The generated (fast) hook stops at the constructor when any field fails, so an invalid id
    beside a mistyped name would go unreported; this one reports both.
    """
    attrs.resolve_types(cl)
    renames = {"from_": "from"} if cl is Crosswalk else {}
    fields = [(a, renames.get(a.name, a.name)) for a in attrs.fields(cl) if a.init]
    allowed = {key for _, key in fields}

    def hook(value: object, _type: object) -> object:
        if not isinstance(value, Mapping):
            raise _MismatchError(value, "a table")
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
                errors.append(_with_note(_MismatchError(exc.found, exc.expected, inside), note))
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
    if cl is Crosswalk:
        return {"from_": override(rename="from")}
    if cl is _Document:
        return {"format": override(omit_if_default=False)}
    return {}


def _file_keys(cl: type) -> list[str]:
    renames = {"from_": "from"} if cl is Crosswalk else {}
    return [renames.get(a.name, a.name) for a in attrs.fields(cl)]


@functools.cache
def _converter(*, detailed: bool) -> cattrs.Converter:
    return _make_converter(detailed=detailed)


# ---------------------------------------------------------------------------------------------
# From cattrs' errors to problems with paths

Path_ = list[str | int]


def _render_path(path: Path_) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif v.is_valid_id(part) or part.isidentifier():
            out += f".{part}" if out else part
        else:
            out += f"[{part!r}]"
    return out


def _problems(exc: BaseException, path: Path_) -> Iterator[Problem]:
    if isinstance(exc, (ClassValidationError, IterableValidationError)):
        with_notes, others = exc.group_exceptions()
        for sub, note in with_notes:
            if isinstance(note, AttributeValidationNote):
                key = "from" if (exc.cl is Crosswalk and note.name == "from_") else note.name
                if isinstance(sub, KeyError) and not isinstance(sub, ClassValidationError):
                    message = f"missing; expected {_expected(note.type)}"
                    yield Problem(_render_path([*path, key]), message)
                    continue
                yield from _problems(sub, [*path, key])
            else:
                yield from _problems(sub, [*path, note.index])
        for sub in others:
            yield from _problems(sub, path)
        return
    if isinstance(exc, ForbiddenExtraKeysError):
        keys = _file_keys(exc.cl)
        for extra in sorted(exc.extra_fields, key=str):
            close = difflib.get_close_matches(str(extra), keys, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; expected one of {keys}"
            yield Problem(_render_path([*path, str(extra)]), f"unknown key{hint}")
        return
    if isinstance(exc, InvalidValueError):
        # A model invariant, named by its field; nested fields arrive as "levels[2].id".
        field_path = _render_path(path)
        full = f"{field_path}.{exc.field}" if field_path else exc.field
        yield Problem(full, f"found {_show(exc.found)}, expected {exc.expected}")
        return
    if isinstance(exc, _MismatchError):
        yield Problem(_render_path(path) + exc.inside, str(exc))
        return
    yield Problem(_render_path(path), str(exc) or type(exc).__name__)


def structure(data: object, *, source: str = "<data>") -> Council:
    """Build a :class:`~socialcouncil.model.Council` from plain data in the model file's shape.

    *data* is what a TOML, JSON or YAML parser returns for a model file. Every problem is
    collected into one :class:`~socialcouncil.errors.ModelFileError`, named after *source*.
    """
    if not isinstance(data, Mapping):
        raise ModelFileError(
            source, [Problem("", f"found {_show(data)} at the top, expected a table")]
        )
    try:
        return _to_council(_converter(detailed=False).structure(data, _Document))
    except Exception:  # noqa: BLE001, S110 - the detailed pass below says what was wrong
        pass
    # Data the fast pass accepts is only as deep as the model; only now can depth matter.
    _check_depth(data, source)
    try:
        document = _converter(detailed=True).structure(data, _Document)
    except RecursionError:
        problems = [Problem("", f"nested too deeply; expected at most {MAX_DEPTH} levels")]
    except Exception as exc:  # noqa: BLE001 - turned into problems for people
        problems = list(_problems(exc, []))
    else:  # the passes agree on what is valid; should they not, the data is still read
        return _to_council(document)
    raise ModelFileError(source, problems)


def unstructure(council: Council) -> dict[str, Any]:
    """Plain data in the model file's shape: the inverse of :func:`structure`.

    Dates stay :class:`datetime.date` objects; fields left at their defaults are left out.
    """
    data: dict[str, Any] = _converter(detailed=False).unstructure(_to_document(council))
    return data


# ---------------------------------------------------------------------------------------------
# Text and files


def _check_depth(data: object, source: str) -> None:
    stack: list[tuple[object, int]] = [(data, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ModelFileError(
                source, [Problem("", f"nested too deeply; expected at most {MAX_DEPTH} levels")]
            )
        if isinstance(item, Mapping):
            stack.extend((x, depth + 1) for x in item.values())
        elif isinstance(item, list):
            stack.extend((x, depth + 1) for x in item)


def _decode(raw: str | bytes, source: str) -> str:
    size = len(raw)
    if size > MAX_FILE_SIZE:
        raise ModelFileError(
            source,
            [
                Problem(
                    "", f"found {size:,} bytes, expected at most {MAX_FILE_SIZE:,} (MAX_FILE_SIZE)"
                )
            ],
        )
    if isinstance(raw, bytes):
        if b"\x00" in raw:
            raise ModelFileError(source, [Problem("", "a binary file; expected a text file")])
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            message = f"not UTF-8 text (byte {exc.start + 1}); expected a UTF-8 text file"
            raise ModelFileError(source, [Problem("", message)]) from None
    else:
        text = raw.removeprefix("\ufeff")
    if "\x00" in text:
        raise ModelFileError(source, [Problem("", "a binary file; expected a text file")])
    if not text.strip():
        message = "empty; expected a council model, starting with a [council] table"
        raise ModelFileError(source, [Problem("", message)])
    return text


def _parse_toml(text: str, source: str) -> object:
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        column = getattr(exc, "colno", None)
        message = getattr(exc, "msg", None) or str(exc)
        raise ModelFileError(
            source, [Problem("", f"not valid TOML: {message}", line, column)]
        ) from None


def _no_duplicate_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise ValueError(f"the key {key!r} appears twice in one object")
            seen.add(key)
    return result


def _parse_json(text: str, source: str) -> object:
    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as exc:
        raise ModelFileError(
            source, [Problem("", f"not valid JSON: {exc.msg}", exc.lineno, exc.colno)]
        ) from None
    except ValueError as exc:  # a duplicate key, or a number too long to read
        raise ModelFileError(source, [Problem("", f"not valid JSON: {exc}")]) from None


def _parse(text: str, format: Format, source: str) -> object:  # noqa: A002
    try:
        if format == "toml":
            return _parse_toml(text, source)
        if format == "json":
            return _parse_json(text, source)
        from socialcouncil import _yaml

        return _yaml.parse(text, source)
    except RecursionError:
        message = f"nested too deeply; expected at most {MAX_DEPTH} levels"
        raise ModelFileError(source, [Problem("", message)]) from None


def loads(text: str | bytes, format: Format = "toml", *, source: str = "<string>") -> Council:  # noqa: A002
    """Read a council from the text of a model file.

    >>> council = loads('''
    ... [council]
    ... name = "Solihull Metropolitan Borough Council"
    ... ''')
    >>> council.name
    'Solihull Metropolitan Borough Council'

    Args:
        text: the file's contents, as text or as UTF-8 bytes.
        format: ``"toml"``, ``"json"`` or ``"yaml"`` (YAML needs the ``yaml`` extra).
        source: the name used for the text in error messages.

    Raises:
        ModelFileError: with every problem found, each with its path in the file.
    """
    if format not in FORMATS:
        message = f"unknown format {format!r}; expected one of {', '.join(FORMATS)}"
        raise ModelFileError(source, [Problem("", message)])
    data = _parse(_decode(text, source), format, source)
    return structure(data, source=source)


def _format_of(path: Path, format: Format | None) -> Format:  # noqa: A002
    if format is not None:
        return format
    found = _SUFFIXES.get(path.suffix.lower())
    if found is None:
        expected = ", ".join(sorted(_SUFFIXES))
        message = f"cannot tell the format from the suffix {path.suffix!r}; expected {expected}"
        raise ModelFileError(str(path), [Problem("", message)])
    return found


def load(path: str | os.PathLike[str], *, format: Format | None = None) -> Council:  # noqa: A002
    """Read a council from a model file.

    The format comes from the file's suffix (``.toml``, ``.json``, ``.yaml``, ``.yml``) unless
    *format* is given.

    Raises:
        ModelFileError: with every problem found, each with its path in the file; also when the
            file cannot be read, is empty, is binary, or is larger than :data:`MAX_FILE_SIZE`.
    """
    file = Path(path)
    fmt = _format_of(file, format)
    try:
        size = file.stat().st_size
        if size > MAX_FILE_SIZE:
            message = f"found {size:,} bytes, expected at most {MAX_FILE_SIZE:,} (MAX_FILE_SIZE)"
            raise ModelFileError(str(file), [Problem("", message)])
        raw = file.read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ModelFileError(str(file), [Problem("", f"cannot be read: {reason}")]) from None
    return loads(raw, fmt, source=str(file))


def dumps(council: Council, format: Format = "toml") -> str:  # noqa: A002
    """The text of a model file for *council*; :func:`loads` reads it back to an equal council."""
    data = unstructure(council)
    if format == "toml":
        import tomli_w

        # Multi-line strings read better, but TOML readers turn a carriage return before a
        # line break into a bare line break; text holding a carriage return is escaped.
        return tomli_w.dumps(data, multiline_strings=not _has_carriage_return(data))
    if format == "json":
        return json.dumps(data, indent=2, ensure_ascii=False, default=_json_default) + "\n"
    if format == "yaml":
        from socialcouncil import _yaml

        return _yaml.dump(data)
    message = f"unknown format {format!r}; expected one of {', '.join(FORMATS)}"
    raise ValueError(message)


def _has_carriage_return(data: object) -> bool:
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\r" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _json_default(value: object) -> object:
    if isinstance(value, datetime.date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} to JSON")


def dump(council: Council, path: str | os.PathLike[str], *, format: Format | None = None) -> None:  # noqa: A002
    """Write *council* to a model file, atomically: the file is whole, or untouched.

    The format comes from the suffix unless *format* is given.
    """
    file = Path(path)
    text = dumps(council, _format_of(file, format))
    write_atomically(file, text)


def write_atomically(path: Path, text: str) -> None:
    """Write *text* to *path* through a temporary file in the same folder, then rename it."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
