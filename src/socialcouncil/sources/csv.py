"""The built-in CSV data source: one record per row, with the row's number."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from socialcouncil.errors import Problem
from socialcouncil.hookspecs import hookimpl
from socialcouncil.sources import DataSourceError, Provenance, Record

if TYPE_CHECKING:
    import os
    from collections.abc import Iterator

__all__ = ["CsvSource", "register_data_sources"]


class CsvSource:
    """Read a CSV file with a header row: each later row is a record keyed by the header.

    Values are kept as text, as they are in the file; an empty cell is None. Rows are numbered
    as a spreadsheet numbers them, the header being row 1. A row with more or fewer cells than
    the header is not a record: it is reported, with its number, in the
    :class:`~socialcouncil.sources.DataSourceError` raised after the last row.

    Options: ``delimiter`` (default ``,``) and ``encoding`` (default ``utf-8-sig``, which also
    reads the byte-order mark spreadsheet programs write).
    """

    name: ClassVar[str] = "csv"
    description: ClassVar[str] = (
        "Rows of a CSV file with a header row, numbered as in a spreadsheet."
    )

    def __init__(
        self,
        location: str | os.PathLike[str],
        *,
        delimiter: str = ",",
        encoding: str = "utf-8-sig",
    ) -> None:
        self.path = Path(location)
        self.delimiter = delimiter
        self.encoding = encoding

    def records(self) -> Iterator[Record]:
        """Yield each data row as a record; then report the rows that could not be read."""
        where = str(self.path)
        problems: list[Problem] = []
        try:
            with self.path.open(newline="", encoding=self.encoding) as handle:
                reader = csv.reader(handle, delimiter=self.delimiter, strict=True)
                header = next(reader, None)
                if header is None:
                    raise DataSourceError(where, [Problem("", "empty; expected a header row")])
                duplicates = sorted({h for h in header if header.count(h) > 1})
                if duplicates:
                    message = f"the header names {', '.join(map(repr, duplicates))} twice"
                    raise DataSourceError(where, [Problem("row 1", message)])
                # Rows as a spreadsheet counts them: a cell may span lines, a row may not.
                for row, cells in enumerate(reader, start=2):
                    if not any(cells):
                        continue  # a blank line holds no record
                    if len(cells) != len(header):
                        message = (
                            f"found {len(cells)} cells, expected {len(header)} (one per column)"
                        )
                        problems.append(Problem(f"row {row}", message))
                        continue
                    values = {
                        h: (c if c != "" else None) for h, c in zip(header, cells, strict=True)
                    }
                    yield Record(values, Provenance(self.name, where, row))
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            problems.append(Problem("", f"cannot be read: {exc}"))
        if problems:
            raise DataSourceError(where, problems)


@hookimpl
def register_data_sources() -> list[type[CsvSource]]:
    """Register the CSV data source."""
    return [CsvSource]
