"""attrs validators for the invariants that belong to a model value itself.

The model's own classes use them, and so may any class beside the model that holds ids and
text the same way (a template, a file's header table, a plugin's own attrs class): each raises
:class:`~socialcouncil.InvalidValueError` naming the field, what was found and what was expected.
"""

from __future__ import annotations

import math
import re
import sys
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


FINITE_EXPECTED = f"a finite number, no larger than {sys.float_info.max:.6g} either way"


def optional_finite(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require a finite number (not a boolean) or None.

    A whole number too large for a float (``10**400``) is refused here, rather than overflowing
    wherever it is next used as one.
    """
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidValueError(attribute.name, value, FINITE_EXPECTED)
    # Comparing an int with a float is exact in Python, and never overflows.
    if isinstance(value, int) and abs(value) > sys.float_info.max:
        raise InvalidValueError(attribute.name, value, FINITE_EXPECTED)
    if isinstance(value, float) and not math.isfinite(value):
        raise InvalidValueError(attribute.name, value, FINITE_EXPECTED)


REQUIREMENT_EXPECTED = (
    "a requirement string naming a distribution, such as 'socialcouncil-kirklees>=1.0'"
)


def requirements(
    _instance: object, attribute: attrs.Attribute[Any], value: tuple[object, ...]
) -> None:
    """Require a tuple of requirement strings (PEP 508), such as ``"socialcouncil-x>=1.0"``."""
    if not value:
        return
    # Imported only when a model names requirements, so that loading a model stays quick.
    from packaging.requirements import InvalidRequirement, Requirement

    for index, item in enumerate(value):
        if not isinstance(item, str):
            raise InvalidValueError(f"{attribute.name}[{index}]", item, REQUIREMENT_EXPECTED)
        try:
            requirement = Requirement(item)
        except InvalidRequirement as exc:
            # packaging's message spans several lines, with a caret under the fault.
            reason = str(exc).splitlines()[0].rstrip(".")
            expected = f"{REQUIREMENT_EXPECTED} ({reason})"
            raise InvalidValueError(f"{attribute.name}[{index}]", item, expected) from None
        if requirement.url is not None:
            expected = f"{REQUIREMENT_EXPECTED}, not a URL"
            raise InvalidValueError(f"{attribute.name}[{index}]", item, expected)


def as_tuple(items: Iterable[Any]) -> tuple[Any, ...]:
    """Convert a list (or any iterable) given to a model constructor into a tuple.

    Typed with ``Any`` because mypy cannot type a generic attrs converter; the attribute's
    own annotation still says what the tuple holds.
    """
    return tuple(items)
