"""The JSON Schema of the model file, made from the model's classes and the one converter.

Editors that read JSON Schema (taplo and Even Better TOML, JetBrains IDEs, the YAML and JSON
language servers) complete keys, show what each means and flag mistakes as an officer types.
The schema says what the converter reads: every table and its keys (each class of the model,
through :mod:`socialcouncil._shape`, so a key added to the model is a key of the schema), each
key's type as the converter's strict hooks take it, the allowed values the model's validators
hold (statuses, directions, confidences, periods, the id pattern, the publishing floor), which
keys are required, and that no other key is allowed. Ids of the registered continua, models,
data sources and rules are offered as ``examples``: suggestions, never refusals, because a
council's own continua and the plugins of another machine are just as valid.

What a schema cannot say stays with ``socialcouncil validate``: ids that must exist, ids unique
among their kind, a ``round_to`` no larger than ``suppress_below``, requirement strings, and
every integrity check. So a file the schema refuses, validate refuses too; the reverse need not
hold.

Each key's description is the text of its row in the file format reference
(``docs/reference/file-format.md``), read by :mod:`socialcouncil._schema.reference`. The schema
committed in the package (:data:`COMMITTED`) carries those descriptions, so that the command
gives them without the docs beside it; a test fails when the committed schema differs from the
one the model and the page make.
"""

from __future__ import annotations

import datetime
import json
import re
import sys
from collections.abc import Mapping
from importlib import resources
from types import UnionType
from typing import TYPE_CHECKING, Any, Literal, Union, get_args, get_origin

import attrs

from socialcouncil import _shape
from socialcouncil.model import (
    LICENCES,
    CheckSettings,
    Crosswalk,
    Measure,
    Project,
    PublishingSettings,
    Source,
)
from socialcouncil.model import continuum as _continuum
from socialcouncil.model import council as _council
from socialcouncil.model import plan as _plan
from socialcouncil.model import validators as v

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from socialcouncil.plugins import Registry

__all__ = [
    "COMMITTED",
    "DIALECT",
    "DOCS_URL",
    "SCHEMA_URL",
    "Descriptions",
    "committed_descriptions",
    "committed_schema",
    "directive",
    "model_schema",
    "schema_text",
    "tables",
    "with_directive",
]

DIALECT = "https://json-schema.org/draft/2020-12/schema"
"""The JSON Schema dialect: draft 2020-12."""

DOCS_URL = "https://socialcouncil.readthedocs.io/en/stable/"
"""Where the documentation of the latest release is published."""

SCHEMA_URL = f"{DOCS_URL}model-file.schema.json"
"""Where the schema is published, beside the docs: the ``$id`` and what ``#:schema`` names.

The latest release's schema, at an address that stays the same from release to release, so
that an editor finds it wherever the file is opened. ``socialcouncil schema --output`` writes
the schema of the installed version, for editors that work offline or a council's own
plugins."""

COMMITTED = "model-file.schema.json"
"""The file name of the schema committed in this package (the plain one, without plugins)."""

Descriptions = Mapping[str, Mapping[str, str]]
"""Key descriptions by table (``""`` for the top level, ``"thread.priorities"``), then key."""

# JSON Schema patterns are ECMA-262 regular expressions, searched for, not matched whole.
ID_PATTERN = f"^{v.ID_PATTERN.pattern}$"
PERIOD_PATTERN = f"^(?:{_plan._PERIOD.pattern})$"
NOT_BLANK = r"\S"
URL_PATTERN = r"^https?://\S+$"
_LARGEST = sys.float_info.max


def tables() -> Iterator[tuple[str, type, bool]]:
    """Every table of a model file: its name, its class, and whether it is a list of tables.

    The top level is ``""``; below it, names are the keys joined by dots, as the file format
    reference heads its sections (``thread.priorities`` for ``[[thread.priorities]]``). They
    are found from the model's classes, so a table added to the model is found here too.
    """
    yield from _tables(_shape.Document, "", many=False)


def _tables(cl: type, name: str, *, many: bool) -> Iterator[tuple[str, type, bool]]:
    yield name, cl, many
    attrs.resolve_types(cl)
    for a in attrs.fields(cl):
        inner, inner_many = _table_type(a.type)
        if inner is not None:
            key = _shape.file_key(cl, a.name)
            yield from _tables(inner, f"{name}.{key}" if name else key, many=inner_many)


def _table_type(type_: Any) -> tuple[type | None, bool]:
    """The attrs class *type_* holds as a table, or as a list of them."""
    if attrs.has(type_):
        return type_, False
    args = get_args(type_)
    if get_origin(type_) is tuple and len(args) == 2 and attrs.has(args[0]):
        return args[0], True
    return None, False


def model_schema(
    registry: Registry | None = None, *, descriptions: Descriptions | None = None
) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a model file.

    Args:
        registry: whose continua, measurement models, data sources and rules to offer as
            examples; None for none.
        descriptions: each key's description; the committed schema's when None (the text of
            the file format reference).
    """
    if descriptions is None:
        descriptions = committed_descriptions()
    suggestions = _suggestions(registry)
    defs: dict[str, Any] = {}
    root: dict[str, Any] = {
        "$schema": DIALECT,
        "$id": SCHEMA_URL,
        "title": "socialcouncil model file",
        "description": (
            "A council's model: its values, golden thread, continua, crosswalks, sources, "
            f"measures and projects. Every key: {DOCS_URL}reference/file-format.html"
        ),
    }
    for name, cl, _many in tables():
        table = _table_schema(cl, descriptions.get(name, {}), suggestions)
        if name:
            defs[_def_name(cl)] = table
        else:
            root.update(table)
    root["$defs"] = defs
    return root


def _def_name(cl: type) -> str:
    return "Council" if cl is _shape.Header else cl.__name__


def _table_schema(
    cl: type, descriptions: Mapping[str, str], suggestions: Mapping[tuple[type, str], list[str]]
) -> dict[str, Any]:
    attrs.resolve_types(cl)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for a in attrs.fields(cl):
        if not a.init:
            continue
        key = _shape.file_key(cl, a.name)
        prop: dict[str, Any] = {}
        if key in descriptions:
            prop["description"] = descriptions[key]
        prop.update(_field_schema(a))
        examples = suggestions.get((cl, a.name))
        if examples:
            target = prop["items"] if prop.get("type") == "array" else prop
            target["examples"] = examples
        default = _default(a)
        if default is not None:
            prop["default"] = default
        if a.default is attrs.NOTHING:
            required.append(key)
        properties[key] = prop
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    # The converter refuses any other key; naming the keys makes a misspelt one come with the
    # list of those it might have meant.
    schema["additionalProperties"] = False
    schema["propertyNames"] = {"enum": list(properties)}
    schema.update(_CLASS_RULES.get(cl, {}))
    return schema


def _default(a: attrs.Attribute[Any]) -> object:
    """A scalar default, as a file writes it; None for none, or for an empty list or table."""
    default = a.default
    if isinstance(default, attrs.Factory) or default is attrs.NOTHING:  # type: ignore[arg-type]
        return None
    if isinstance(default, (str, int, float)) and not isinstance(default, bool):
        return default
    return None


def _field_schema(a: attrs.Attribute[Any]) -> dict[str, Any]:
    special = _SPECIAL.get(_validator_of(a))
    if special is not None:
        return special()
    schema = _type_schema(a.type)
    for validator in _validators(a.validator):
        refine = _REFINEMENTS.get(validator)
        if refine is not None:
            schema = refine(schema)
    return schema


def _validators(validator: object) -> list[object]:
    """The validators of a field, those combined with ``attrs.validators.and_`` one by one."""
    if validator is None:
        return []
    inner = getattr(validator, "_validators", None)
    if inner is not None:
        return [x for each in inner for x in _validators(each)]
    return [validator]


def _validator_of(a: attrs.Attribute[Any]) -> object:
    found = _validators(a.validator)
    return found[0] if len(found) == 1 else None


def _type_schema(type_: Any) -> dict[str, Any]:
    """What the converter's hook for *type_* accepts."""
    if type_ is str:
        return {"type": "string"}
    if type_ is int:
        return {"type": "integer"}
    if type_ is float:
        # The converter refuses a whole number too large to be a float.
        return {"type": "number", "minimum": -_LARGEST, "maximum": _LARGEST}
    if type_ is datetime.date:
        # TOML and YAML dates are read as dates; checkers and editors see them as ISO text.
        return {"type": "string", "format": "date"}
    if attrs.has(type_):
        return {"$ref": f"#/$defs/{_def_name(type_)}"}
    origin, args = get_origin(type_), get_args(type_)
    if origin is Literal:
        return {"enum": list(args)}
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return {"type": "array", "items": _type_schema(args[0])}
    if origin in (dict, Mapping):
        return {"type": "object", "additionalProperties": _type_schema(args[1])}
    if origin is Union or isinstance(type_, UnionType):
        options = [a for a in args if a is not type(None)]
        inner = _type_schema(options[0]) if len(options) == 1 else _any_of(options)
        return _or_null(inner) if len(options) < len(args) else inner
    raise TypeError(f"no schema for the type {type_!r}")


def _any_of(options: list[Any]) -> dict[str, Any]:
    return {"anyOf": [_type_schema(x) for x in options]}


def _or_null(schema: dict[str, Any]) -> dict[str, Any]:
    """*schema*, or null: JSON and YAML may write an optional key as null."""
    if "enum" in schema:
        return {**schema, "enum": [*schema["enum"], None]}
    if isinstance(schema.get("type"), str) and "$ref" not in schema:
        return {**schema, "type": [schema["type"], "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


# -- What the validators add -------------------------------------------------------------------


def _with(**extra: Any) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def refine(schema: dict[str, Any]) -> dict[str, Any]:
        return {**schema, **extra}

    return refine


def _items_with(**extra: Any) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def refine(schema: dict[str, Any]) -> dict[str, Any]:
        return {**schema, "items": {**schema.get("items", {}), **extra}}

    return refine


_REFINEMENTS: dict[object, Callable[[dict[str, Any]], dict[str, Any]]] = {
    v.an_id: _with(pattern=ID_PATTERN),
    v.optional_id: _with(pattern=ID_PATTERN),
    v.ids: _items_with(pattern=ID_PATTERN),
    v.text: _with(pattern=NOT_BLANK),
    _council._by: _with(items={"type": "string", "pattern": NOT_BLANK}, uniqueItems=True),
    _council._threshold: _with(minimum=_council.SUPPRESS_BELOW_FLOOR),
    _council._rounding: _with(minimum=1),
    _council._url: _with(pattern=URL_PATTERN),
    _council._licence: _with(pattern=NOT_BLANK, examples=list(LICENCES)),
    _continuum._distinct_levels: _with(minItems=2),
    _plan._period: _with(pattern=PERIOD_PATTERN),
    _plan._optional_count: _with(minimum=0),
    _shape._format_version: lambda _schema: {"const": _shape.FORMAT_VERSION},
}
"""For a field's validator, what it requires beyond its type. A validator not listed here
(a new field's, say) leaves the field as its type says: looser than validate, never stricter."""


def _id_table() -> dict[str, Any]:
    return {
        "type": "object",
        "propertyNames": {"pattern": ID_PATTERN},
        "additionalProperties": {"type": "string", "pattern": ID_PATTERN},
    }


def _named_table(value: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "propertyNames": {"pattern": NOT_BLANK},
        "additionalProperties": value,
    }


def _source() -> dict[str, Any]:
    return {"anyOf": [{"type": "string", "pattern": ID_PATTERN}, _id_table(), {"type": "null"}]}


def _columns() -> dict[str, Any]:
    column = {"type": "string", "pattern": NOT_BLANK}
    # Field = column pairs, or input = { field = column } tables: one or the other, not both.
    return {"anyOf": [_named_table(column), _named_table(_named_table(column))]}


def _options() -> dict[str, Any]:
    scalars: list[dict[str, Any]] = [
        {"type": ["string", "boolean"]},
        {"type": "number", "minimum": -_LARGEST, "maximum": _LARGEST},
    ]
    items = {"type": "array", "items": {"anyOf": scalars}}
    return _named_table({"anyOf": [*scalars, items]})


# Validators of the tables whose keys are the council's own, which the converter reads with hooks
# of their own (_converter._SOURCE, _COLUMNS, _OPTIONS): their shape is that hook's and the
# validator's together.
_SPECIAL: dict[object, Callable[[], dict[str, Any]]] = {
    _council._source: _source,
    _council._columns: _columns,
    _plan.options: _options,
    _continuum._map_ids: _id_table,
}

# A rule over several keys of one table.
_CLASS_RULES: dict[type, dict[str, Any]] = {
    # Any licence but a known one needs its title and address too.
    PublishingSettings: {
        "if": {
            "properties": {"licence": {"not": {"enum": list(LICENCES)}}},
            "required": ["licence"],
        },
        "then": {"required": ["licence_title", "licence_url"]},
    },
}


def _suggestions(registry: Registry | None) -> dict[tuple[type, str], list[str]]:
    """The ids a registry offers, for the fields that name them."""
    if registry is None:
        return {}
    continua = list(registry.continua)
    return {
        (Project, "continuum"): continua,
        (Crosswalk, "from_"): continua,
        (Crosswalk, "to"): continua,
        (Measure, "model"): list(registry.measurement_models),
        (Source, "type"): list(registry.data_sources),
        (CheckSettings, "ignore"): list(registry.checks),
    }


# -- The committed schema -----------------------------------------------------------------------


def schema_text(schema: Mapping[str, Any]) -> str:
    """*schema* as the committed file holds it: JSON, indented, with a final newline."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def committed_schema() -> dict[str, Any]:
    """The schema committed in this package: the plain one, with the reference's descriptions."""
    text = resources.files(__name__).joinpath(COMMITTED).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def committed_descriptions() -> dict[str, dict[str, str]]:
    """The key descriptions the committed schema holds, by table and key."""
    schema = committed_schema()
    found: dict[str, dict[str, str]] = {}
    for name, cl, _many in tables():
        table = schema if not name else schema.get("$defs", {}).get(_def_name(cl), {})
        found[name] = {
            key: prop["description"]
            for key, prop in table.get("properties", {}).items()
            if "description" in prop
        }
    return found


def directive() -> str:
    """The ``#:schema`` line (taplo's convention) that ties a TOML file to the schema."""
    return f"#:schema {SCHEMA_URL}"


_DIRECTIVE = re.compile(r"#:schema\s", re.MULTILINE)


def with_directive(text: str) -> str:
    r"""The TOML *text* with the :func:`directive` as its first line.

    A text that already names a schema before its first key (a plugin's template pointing to
    its own, say) is left as it is: the first ``#:schema`` line is the one editors read.

    >>> with_directive('format = 1\n').splitlines()[0] == directive()
    True
    """
    for line in text.splitlines():
        if _DIRECTIVE.match(line):
            return text
        if line.strip() and not line.lstrip().startswith("#"):
            break
    return f"{directive()}\n{text}"
