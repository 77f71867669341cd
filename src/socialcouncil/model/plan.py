"""The measurement plan in a model file: the sources a council reads, and figures kept by hand.

A :class:`Source` is a ``[[sources]]`` entry: a table a registered data source reads. A measure
names a measurement model and the sources it reads (see :class:`~socialcouncil.Measure`), or,
when it is tracked by hand, holds its :class:`Observation` figures as they were recorded.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Mapping
from typing import Any, Literal, get_args

import attrs

from socialcouncil.model import validators as v
from socialcouncil.model.errors import InvalidValueError

__all__ = [
    "Observation",
    "OptionValue",
    "PeriodKind",
    "Source",
    "is_period",
]

OptionScalar = str | int | float | bool
OptionValue = str | int | float | bool | tuple[str | int | float | bool, ...]
"""An option's value: a string, a number, true or false, or a list of them (a TOML scalar or
a list of scalars, which a model file writes as it is)."""

PeriodKind = Literal["month", "quarter", "year", "financial-year"]
"""How a measure's results are broken down over time: by calendar month (``2025-03``), quarter
(``2025-Q1``), year (``2025``) or financial year, April to March (``2025/26``)."""

PERIOD_KINDS: tuple[str, ...] = get_args(PeriodKind)

PERIOD_EXPECTED = (
    "a period: a month such as '2025-03', a quarter such as '2025-Q1', a year such as '2025' "
    "or a financial year such as '2025/26'"
)
OPTION_EXPECTED = "a string, a number, true or false, or a list of them"

_PERIOD = re.compile(r"(\d{4})(?:-(0[1-9]|1[0-2])|-Q([1-4])|/(\d{2}))?")


def is_period(text: object) -> bool:
    """Whether *text* names a period: ``2025-03``, ``2025-Q1``, ``2025`` or ``2025/26``.

    A financial year's second part is the year after its first: ``2025/26``, not ``2025/27``.

    >>> is_period("2025-03"), is_period("2025-Q4"), is_period("2025/26"), is_period("2025/27")
    (True, True, True, False)
    >>> is_period("2025-13"), is_period("2025-Q5"), is_period("25")
    (False, False, False)
    """
    if not isinstance(text, str):
        return False
    match = _PERIOD.fullmatch(text)
    if match is None:
        return False
    end = match.group(4)
    return end is None or int(end) == (int(match.group(1)) + 1) % 100


def _period(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not is_period(value):
        raise InvalidValueError(attribute.name, value, PERIOD_EXPECTED)


def _optional_count(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        raise InvalidValueError(attribute.name, value, "a whole number, 0 or more")


def _is_scalar(value: object) -> bool:
    if isinstance(value, (bool, str)):
        return True
    if isinstance(value, int):
        return abs(value) <= sys.float_info.max
    return isinstance(value, float) and math.isfinite(value)


def as_options(value: Mapping[str, Any]) -> dict[str, Any]:
    """Options as the model keeps them: a list given as a value becomes a tuple."""
    if not isinstance(value, Mapping):
        return value  # refused by the validator, with its type
    return {k: tuple(x) if isinstance(x, list) else x for k, x in value.items()}


def options(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require a table of options: names, each with a string, number, boolean or list of them."""
    if not isinstance(value, Mapping):
        raise InvalidValueError(attribute.name, value, "a table of options")
    for key, item in value.items():
        if not isinstance(key, str) or not key.strip():
            raise InvalidValueError(f"{attribute.name}", key, "an option name")
        if isinstance(item, tuple):
            for index, x in enumerate(item):
                if not _is_scalar(x):
                    expected = "a string, a number, true or false"
                    raise InvalidValueError(f"{attribute.name}.{key}[{index}]", x, expected)
        elif not _is_scalar(item):
            raise InvalidValueError(f"{attribute.name}.{key}", item, OPTION_EXPECTED)


@attrs.frozen
class Source:
    """A table the council reads its data from: a ``[[sources]]`` entry of a model file.

    >>> Source(id="residents-survey", type="csv", location="data/residents-survey.csv",
    ...        options={"delimiter": ";"}).options
    {'delimiter': ';'}

    Attributes:
        id: how measures refer to it; unique among the sources.
        type: the name of a registered data source that reads it, such as ``"csv"``.
        location: where it is, such as ``"data/residents-survey.csv"``; a relative path is
            read from the model file's folder. Every built-in data source needs one.
        options: the data source's options, such as ``{"delimiter": ";"}``: each a string, a
            number, true or false, or a list of them (a tuple here).
    """

    id: str = attrs.field(validator=v.an_id)
    type: str = attrs.field(validator=v.an_id)
    location: str | None = attrs.field(default=None, validator=v.optional_text)
    options: Mapping[str, OptionValue] = attrs.field(
        factory=dict, converter=as_options, validator=options, hash=False
    )


@attrs.frozen
class Observation:
    """One figure of a measure tracked by hand, as it was recorded elsewhere.

    >>> Observation(period="2025/26", value=412).value
    412

    Attributes:
        period: the period it is for: a month (``"2025-03"``), a quarter (``"2025-Q1"``), a
            year (``"2025"``) or a financial year, April to March (``"2025/26"``).
        value: the figure; None where only the count behind it was recorded.
        n: how many people (or records) stand behind it, where known.
        area: the area it is for, such as a ward; None for the whole council.
    """

    period: str = attrs.field(validator=_period)
    value: float | None = attrs.field(default=None, validator=v.optional_finite)
    n: int | None = attrs.field(default=None, validator=_optional_count)
    area: str | None = attrs.field(default=None, validator=v.optional_text)
