"""The root of socialcouncil's exceptions, and the errors the pure model raises itself.

They live in the model because the model imports nothing from the rest of the package; the rest
of the hierarchy (:mod:`socialcouncil.errors`) builds on these.
"""

from __future__ import annotations

import math

__all__ = ["InvalidValueError", "SocialCouncilError", "UnknownIdError"]


class SocialCouncilError(Exception):
    """Base class of every error socialcouncil raises on purpose.

    Catch this to handle any problem with a council, its files or its plugins.
    """


class InvalidValueError(SocialCouncilError, ValueError):
    """A model object was given a value that breaks one of its own invariants.

    Raised by the constructors of the model classes, for example ``Value(id="Citizen Voice")``.

    Attributes:
        field: the keyword argument (and file key) that holds the bad value, such as ``"id"``.
        found: the value that was given.
        expected: what would have been accepted, in words.
    """

    def __init__(self, field: str, found: object, expected: str) -> None:
        self.field = field
        self.found = found
        self.expected = expected
        super().__init__(f"{field}: found {_shown(found)}, expected {expected}")


_LONGEST = 80


def _shown(found: object) -> str:
    """*found* as a message shows it: its repr, cut short when it would swamp the message."""
    try:
        text = repr(found)
    except ValueError:
        # Python refuses to write out an int of more than 4,300 digits; say how long it is.
        if isinstance(found, int):
            digits = int(abs(found).bit_length() * math.log10(2)) + 1
            return f"a whole number of about {digits:,} digits"
        raise
    if len(text) <= _LONGEST:
        return text
    if isinstance(found, int):
        return f"{text[:12]}... (a whole number of {len(str(abs(found))):,} digits)"
    return f"{text[: _LONGEST - 20]}... ({len(text):,} characters)"


class UnknownIdError(SocialCouncilError, LookupError):
    """An id was looked up in a collection that has no item with that id.

    Attributes:
        kind: what was looked up, such as ``"level"`` or ``"project"``.
        id: the id that was not found.
        known: the ids that do exist, in order.
    """

    def __init__(self, kind: str, id: str, known: tuple[str, ...]) -> None:  # noqa: A002
        self.kind = kind
        self.id = id
        self.known = known
        choices = ", ".join(repr(k) for k in known) or "none"
        super().__init__(f"no {kind} with id {id!r}; known: {choices}")

    def __str__(self) -> str:
        # LookupError's str() of a single argument adds quotes (like KeyError); say it plainly.
        return str(self.args[0])
