"""attrs validators for the invariants that belong to a model value itself."""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any

from socialcouncil.model.errors import InvalidValueError

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable

    import attrs

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*")
ID_EXPECTED = "an id of lowercase letters, digits and hyphens, such as 'citizen-voice'"


def is_valid_id(text: object) -> bool:
    """Whether *text* is usable as an id: lowercase letters, digits and hyphens.

    The first character is a letter or a digit.

    >>> is_valid_id("citizen-voice"), is_valid_id("Citizen Voice"), is_valid_id("-x")
    (True, False, False)
    """
    return isinstance(text, str) and ID_PATTERN.fullmatch(text) is not None


_match_id = ID_PATTERN.fullmatch


def an_id(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require an id."""
    # Called for every id in every file, so it matches inline rather than via is_valid_id.
    if type(value) is not str or _match_id(value) is None:
        raise InvalidValueError(attribute.name, value, ID_EXPECTED)


def optional_id(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require an id or None."""
    if value is not None:
        an_id(instance, attribute, value)


def ids(_instance: object, attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
    """Require a tuple of ids."""
    for index, item in enumerate(value):
        if type(item) is not str or _match_id(item) is None:
            raise InvalidValueError(f"{attribute.name}[{index}]", item, ID_EXPECTED)


def text(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require a string with something other than white space in it."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError(attribute.name, value, "a non-empty string")


def optional_text(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require a string or None."""
    if value is not None and not isinstance(value, str):
        raise InvalidValueError(attribute.name, value, "a string")


def one_of(choices: Collection[object]) -> Any:
    """Require one of *choices* (or None, when None is among them)."""
    words = ", ".join(repr(c) for c in choices)

    def check(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value not in choices:
            raise InvalidValueError(attribute.name, value, f"one of {words}")

    return check


def optional_finite(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require a finite number (not a boolean) or None."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InvalidValueError(attribute.name, value, "a finite number")


def as_tuple(items: Iterable[Any]) -> tuple[Any, ...]:
    """Convert a list (or any iterable) given to a model constructor into a tuple.

    Typed with ``Any`` because mypy cannot type a generic attrs converter; the attribute's
    own annotation still says what the tuple holds.
    """
    return tuple(items)
