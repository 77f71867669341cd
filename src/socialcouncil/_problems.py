"""From what the converter and the parsers found to problems a person can act on.

Every message says what was found and what was expected; every problem has its path in the
file (``projects[2].calibrations[0].level``). The size and depth limits are worded here, once.
"""

from __future__ import annotations

import datetime
import difflib
import math
import sys
from collections.abc import Iterator, Mapping
from typing import Any, Literal, get_args, get_origin

import attrs
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
)

from socialcouncil import _shape
from socialcouncil.errors import Problem
from socialcouncil.model import InvalidValueError, is_valid_id

__all__ = [
    "MismatchError",
    "check_depth",
    "describe",
    "expected",
    "in_words",
    "max_digits",
    "place",
    "problems",
    "render_path",
    "too_deep",
    "too_large",
    "too_many_digits",
]


class MismatchError(Exception):
    """A value of the wrong kind, raised by the strict structure hooks."""

    def __init__(self, found: object, expected: str, inside: str = "") -> None:
        self.found = found
        self.expected = expected
        self.inside = inside  # a path below the field, such as "[2].id"
        super().__init__(f"found {describe(found)}, expected {expected}")


# Beyond this many bits a whole number is described by its length, not written out in full.
_LONG_INT_BITS = 192


def describe(found: object) -> str:
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
    if isinstance(found, int) and found.bit_length() > _LONG_INT_BITS:
        # repr() of a long enough whole number raises ValueError, and a short one is unreadable.
        digits = int(found.bit_length() * math.log10(2)) + 1
        return f"a whole number of about {digits:,} digits"
    text = repr(found)
    return text if len(text) <= 60 else text[:57] + "..."


def expected(type_: Any) -> str:
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
        return expected(args[0])
    return str(type_)


def _is_literal(type_: Any) -> bool:
    return get_origin(type_) is Literal


def in_words(choices: list[str]) -> str:
    """Choices as a reader would write them: ``a``, ``a or b``, ``one of a, b or c``.

    >>> in_words(["ignore"]), in_words(["from", "to", "map"])
    ('ignore', 'one of from, to or map')
    """
    if len(choices) <= 1:
        return "".join(choices)
    if len(choices) == 2:
        return f"{choices[0]} or {choices[1]}"
    return f"one of {', '.join(choices[:-1])} or {choices[-1]}"


def too_large(size: int, limit: int) -> Problem:
    """The problem with a file of *size* bytes, over the *limit*."""
    return Problem("", f"found {size:,} bytes, expected at most {limit:,} (MAX_FILE_SIZE)")


def too_deep(limit: int) -> Problem:
    """The problem with data nested more than *limit* levels deep."""
    return Problem("", f"nested too deeply; expected at most {limit} levels")


def check_depth(data: object, limit: int) -> Problem | None:
    """The problem with *data*, if its tables and lists nest more than *limit* levels deep."""
    stack: list[tuple[object, int]] = [(data, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return too_deep(limit)
        if isinstance(item, Mapping):
            stack.extend((x, depth + 1) for x in item.values())
        elif isinstance(item, list):
            stack.extend((x, depth + 1) for x in item)
    return None


def max_digits() -> int:
    """The most digits Python reads in a whole number (CVE-2020-10735); 0 when there is no limit."""
    get: object = getattr(sys, "get_int_max_str_digits", None)
    return int(get()) if callable(get) else 0


def too_many_digits(digits: int) -> str:
    """The message for a whole number of *digits* digits, more than Python reads."""
    return f"found a whole number of {digits:,} digits, expected at most {max_digits():,} digits"


def place(text: str, offset: int) -> tuple[int, int]:
    """The line and column, from 1, of the character at *offset* in *text*."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


Path = list[str | int]


def render_path(path: Path) -> str:
    """A path in the file's own words: ``projects[2].calibrations[0].level``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif is_valid_id(part) or part.isidentifier():
            out += f".{part}" if out else part
        else:
            out += f"[{part!r}]"
    return out


def _unknown_key_hint(extra: str, keys: list[str]) -> str:
    close = difflib.get_close_matches(extra, keys, n=1)
    if close:
        return f"did you mean {close[0]!r}?"
    if len(keys) == 1:
        return f"the only key allowed here is {keys[0]}"
    return f"expected {in_words(keys)}"


def problems(exc: BaseException, path: Path) -> Iterator[Problem]:
    """Every problem the (detailed) converter's exception *exc* holds, below *path*."""
    if isinstance(exc, (ClassValidationError, IterableValidationError)):
        with_notes, others = exc.group_exceptions()
        for sub, note in with_notes:
            if isinstance(note, AttributeValidationNote):
                key = _shape.file_key(exc.cl, note.name) if attrs.has(exc.cl) else note.name
                if isinstance(sub, KeyError) and not isinstance(sub, ClassValidationError):
                    message = f"missing; expected {expected(note.type)}"
                    yield Problem(render_path([*path, key]), message)
                    continue
                yield from problems(sub, [*path, key])
            else:
                yield from problems(sub, [*path, note.index])
        for sub in others:
            yield from problems(sub, path)
        return
    if isinstance(exc, ForbiddenExtraKeysError):
        keys = _shape.file_keys(exc.cl)
        for extra in sorted(exc.extra_fields, key=str):
            message = f"unknown key; {_unknown_key_hint(str(extra), keys)}"
            yield Problem(render_path([*path, str(extra)]), message)
        return
    if isinstance(exc, InvalidValueError):
        # A model invariant, named by its field; nested fields arrive as "levels[2].id".
        field_path = render_path(path)
        full = f"{field_path}.{exc.field}" if field_path else exc.field
        yield Problem(full, f"found {describe(exc.found)}, expected {exc.expected}")
        return
    if isinstance(exc, MismatchError):
        yield Problem(render_path(path) + exc.inside, str(exc))
        return
    yield Problem(render_path(path), str(exc) or type(exc).__name__)
