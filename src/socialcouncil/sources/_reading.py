"""What the built-in data sources share: options, files, fingerprints and typed columns."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

from socialcouncil.errors import Problem
from socialcouncil.sources import ROW, DataSourceError

if TYPE_CHECKING:
    import os
    from collections.abc import Mapping, Sequence
    from pathlib import Path

    import polars as pl

_CHUNK = 1 << 20


def describe_location(location: str | os.PathLike[str]) -> str:
    """The location as a person wrote it, for messages and :attr:`Table.location`."""
    return str(location)


def fail(location: str, message: str) -> DataSourceError:
    """The error for a location that cannot be read at all, with one problem."""
    return DataSourceError(location, [Problem("", message, location=location)])


def take_options(
    name: str,
    location: str,
    accepted: Mapping[str, str],
    given: Mapping[str, object],
    kinds: Mapping[str, tuple[type, ...]],
) -> dict[str, object]:
    """The options *given*, checked against those *accepted* and their *kinds*."""
    problems = []
    for key, value in given.items():
        if key not in accepted:
            expected = ", ".join(map(repr, accepted)) or "none"
            message = f"the {name} source has no option {key!r}; expected one of {expected}"
            problems.append(Problem("", message, location=location, field=None))
            continue
        kind = kinds.get(key, (str,))
        # bool is an int in Python; an option wanting a number never wants true or false.
        if not isinstance(value, kind) or (isinstance(value, bool) and bool not in kind):
            wanted = " or ".join(_KIND_NAMES.get(k, k.__name__) for k in kind)
            message = f"option {key!r} is {value!r}; expected {wanted}"
            problems.append(Problem("", message, location=location))
    if problems:
        raise DataSourceError(location, problems)
    return dict(given)


_KIND_NAMES = {str: "a string", int: "a whole number", bool: "true or false"}


def regular_file(location: str, path: Path) -> Path:
    """*path*, once it is known to be a regular file; else the error saying what it is."""
    if not path.exists():
        raise fail(location, "cannot be read: there is no such file")
    if not path.is_file():
        raise fail(location, "cannot be read: it is not a regular file")
    return path


def fingerprint(path: Path) -> str:
    """``"sha256:"`` and the hex digest of the bytes of the file at *path*."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return f"sha256:{digest.hexdigest()}"


def check_columns(location: str, names: Sequence[str]) -> None:
    """Refuse a table with two columns of one name, or one named as the row-number column."""
    problems = []
    duplicates = sorted({n for n in names if list(names).count(n) > 1})
    if duplicates:
        message = f"the columns {', '.join(map(repr, duplicates))} are named more than once"
        problems.append(Problem("", message, location=location))
    if ROW in names:
        message = f"has a column named {ROW!r}, the name kept for row numbers; rename it"
        problems.append(Problem("", message, location=location))
    if problems:
        raise DataSourceError(location, problems)


def scalar_frame(
    name: str,
    location: str,
    names: Sequence[str],
    rows: Sequence[int],
    columns: Mapping[str, list[Any]],
) -> tuple[pl.DataFrame, list[Problem]]:
    """A frame of *columns* of scalars, each column typed by what it holds, with *rows*.

    A column whose values are all whole numbers is Int64, numbers Float64, true or false
    Boolean, otherwise text (a column mixing kinds is text, each value as JSON writes it). A
    value that is not a scalar (a list, an object) is a problem and its cell is left empty.
    """
    import polars as pl

    problems: list[Problem] = []
    series = [pl.Series(ROW, rows, dtype=pl.Int64)]
    for column in names:
        values = columns[column]
        for index, value in enumerate(values):
            if isinstance(value, (list, dict, tuple)):
                kind = "a list" if isinstance(value, (list, tuple)) else "an object"
                message = f"found {kind}, expected a single value"
                problems.append(
                    Problem(
                        "",
                        message,
                        source=name,
                        location=location,
                        row=rows[index],
                        field=column,
                        expected="a single value",
                    )
                )
                values[index] = None
        kinds = {type(v) for v in values if v is not None}
        if kinds <= {bool} and kinds:
            dtype: Any = pl.Boolean
        elif kinds <= {int} and kinds:
            dtype = pl.Int64
        elif kinds <= {int, float} and kinds:
            dtype = pl.Float64
            values = [None if v is None else float(v) for v in values]
        elif kinds <= {str}:
            dtype = pl.String
        else:
            dtype = pl.String
            values = [v if v is None or isinstance(v, str) else _text(v) for v in values]
        series.append(pl.Series(column, values, dtype=dtype))
    return pl.DataFrame(series), problems


def _text(value: object) -> str:
    if isinstance(value, (bool, int, float)):
        return json.dumps(value)
    return str(value)
