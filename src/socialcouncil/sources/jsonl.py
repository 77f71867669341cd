"""The built-in JSON Lines data source: one JSON object per line, numbered by its line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from socialcouncil.errors import Problem
from socialcouncil.hookspecs import hookimpl
from socialcouncil.sources import Table
from socialcouncil.sources._reading import (
    check_columns,
    describe_location,
    fail,
    fingerprint,
    regular_file,
    scalar_frame,
    take_options,
)

if TYPE_CHECKING:
    import os
    from collections.abc import Mapping

__all__ = ["JsonLinesSource", "register_data_sources"]


class JsonLinesSource:
    """Read a JSON Lines file (UTF-8): each line a JSON object, its keys the columns.

    A row's number is its line's number, 1 for the first line; blank lines are skipped. A line
    that is not a JSON object is a problem with its number, and is left out. A key missing from
    an object is an empty cell. Values keep their JSON kind: a column of whole numbers is whole
    numbers, of true and false booleans, of strings text; a column mixing kinds is read as
    text. Option ``date_format`` says how text dates are written (ISO 8601 by default).
    """

    name: ClassVar[str] = "jsonl"
    description: ClassVar[str] = "Objects of a JSON Lines file, one per line, numbered by line."
    options: ClassVar[Mapping[str, str]] = {
        "date_format": "how dates are written, such as '%d/%m/%Y' (default ISO 8601)",
    }

    def __init__(self, location: str | os.PathLike[str], **options: object) -> None:
        self.location = describe_location(location)
        self.path = Path(location)
        given = take_options(self.name, self.location, self.options, options, {})
        date_format = given.get("date_format")
        self.date_format = None if date_format is None else str(date_format)

    def read(self) -> Table:
        """Read every line; the frame is eager (JSON Lines are read by Python line by line)."""
        path = regular_file(self.location, self.path)
        names: dict[str, None] = {}
        objects: list[dict[str, Any]] = []
        rows: list[int] = []
        problems = []
        try:
            with path.open(encoding="utf-8-sig") as handle:
                for number, line in enumerate(handle, start=1):
                    if not line.strip():
                        continue
                    try:
                        value = json.loads(line)
                    except json.JSONDecodeError as exc:
                        message = f"not JSON: {exc.msg}"
                        problems.append(self._problem(number, message, "a JSON object"))
                        continue
                    if not isinstance(value, dict):
                        found = type(value).__name__
                        message = f"found {found}, expected an object"
                        problems.append(self._problem(number, message, "an object"))
                        continue
                    names.update(dict.fromkeys(value))
                    objects.append(value)
                    rows.append(number)
        except UnicodeDecodeError as exc:
            raise fail(self.location, f"is not UTF-8 text: {exc.reason}") from None
        check_columns(self.location, list(names))
        columns = {n: [o.get(n) for o in objects] for n in names}
        frame, bad_cells = scalar_frame(self.name, self.location, list(names), rows, columns)
        return Table(
            frame.lazy(),
            self.name,
            self.location,
            fingerprint(path),
            (*problems, *bad_cells),
            date_format=self.date_format,
        )

    def _problem(self, row: int, message: str, expected: str) -> Problem:
        return Problem(
            "", message, source=self.name, location=self.location, row=row, expected=expected
        )


@hookimpl
def register_data_sources() -> list[type[JsonLinesSource]]:
    """Register the JSON Lines data source."""
    return [JsonLinesSource]
