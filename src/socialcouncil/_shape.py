"""The shape of a model file: which keys it has, and how they meet the model's fields.

A model file holds a :class:`~socialcouncil.model.Council` with its name, GSS code and steering
group in a ``[council]`` table of their own, a ``format`` key beside them, and one key that
differs from its attribute's name (a crosswalk's ``from``, which Python spells ``from_``).
This module is the one place that knows those differences; it imports only attrs and the model,
so that anything may ask it for a file's keys without loading the converter.
"""

from __future__ import annotations

from typing import Any

import attrs

from socialcouncil.model import Council, Crosswalk, InvalidValueError

__all__ = [
    "BODY",
    "FORMAT_VERSION",
    "HEADER",
    "Document",
    "Header",
    "attribute_name",
    "file_key",
    "file_keys",
    "to_council",
    "to_document",
]

FORMAT_VERSION = 1
"""The version of the model file format this release reads and writes (the ``format`` key)."""

# An attribute whose key in a file is not its Python name: (class, attribute) -> key.
_KEYS: dict[tuple[type, str], str] = {(Crosswalk, "from_"): "from"}
_ATTRIBUTES: dict[tuple[type, str], str] = {(cl, key): name for (cl, name), key in _KEYS.items()}


def file_key(cl: type, name: str) -> str:
    """The key a model file uses for the attribute *name* of the class *cl*.

    >>> file_key(Crosswalk, "from_"), file_key(Crosswalk, "to")
    ('from', 'to')
    """
    return _KEYS.get((cl, name), name)


def attribute_name(cl: type, key: str) -> str:
    """The attribute of *cl* that the file key *key* holds: the inverse of :func:`file_key`."""
    return _ATTRIBUTES.get((cl, key), key)


def file_keys(cl: type) -> list[str]:
    """The keys a model file uses for every field of the attrs class *cl*, in field order."""
    return [file_key(cl, a.name) for a in attrs.fields(cl)]


def _format_version(_instance: object, _attribute: object, value: object) -> None:
    if isinstance(value, bool) or value != FORMAT_VERSION:
        raise InvalidValueError(
            "format",
            value,
            f"{FORMAT_VERSION}, the model file format this version of socialcouncil reads",
        )


HEADER = ("name", "gss_code", "steering_group")
"""Council's fields that a file keeps in its ``[council]`` table."""


def _copy(a: attrs.Attribute[Any]) -> Any:
    return attrs.field(default=a.default, validator=a.validator, converter=a.converter, type=a.type)


attrs.resolve_types(Council)

# Both classes are built from Council's own fields, so a field added to the model is a key in
# the file with no change here.
Header: Any = attrs.make_class(
    "Header",
    {a.name: _copy(a) for a in attrs.fields(Council) if a.name in HEADER},
    frozen=True,
)
Header.__doc__ = "The ``[council]`` table: the council's name and the facts beside it."

Document: Any = attrs.make_class(
    "Document",
    {
        "format": attrs.field(default=FORMAT_VERSION, validator=_format_version, type=int),
        "council": attrs.field(type=Header),
        **{a.name: _copy(a) for a in attrs.fields(Council) if a.name not in HEADER},
    },
    frozen=True,
    kw_only=True,
)
Document.__doc__ = "A whole model file: a Council, with its header in a table of its own."

BODY = tuple(a.name for a in attrs.fields(Document) if a.name not in {"format", "council"})
"""Council's fields that a file keeps at its top level."""


def to_council(document: Any) -> Council:
    """The council a structured :data:`Document` describes."""
    header = {name: getattr(document.council, name) for name in HEADER}
    return Council(**header, **{name: getattr(document, name) for name in BODY})


def to_document(council: Council) -> Any:
    """The :data:`Document` that describes *council*: the inverse of :func:`to_council`."""
    header = Header(**{name: getattr(council, name) for name in HEADER})
    return Document(council=header, **{name: getattr(council, name) for name in BODY})
