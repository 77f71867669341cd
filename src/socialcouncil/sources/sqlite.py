"""The built-in SQLite data source: a table or a query's rows, read through a read-only link."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import quote

from socialcouncil.errors import Problem
from socialcouncil.hookspecs import hookimpl
from socialcouncil.sources import ROW, Table
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
    import sqlite3
    from collections.abc import Mapping

    import polars as pl

__all__ = ["SqliteSource", "register_data_sources"]

_HEADER = b"SQLite format 3\x00"


class SqliteSource:
    """Read a table of a SQLite database, or the rows of a query, numbered from 1.

    Give exactly one of the options ``table`` (a table or view, read in its stored order) and
    ``query`` (a ``SELECT`` statement, read in the order it gives). The database is opened
    read-only, so a statement that would change it is refused. Values keep their SQLite kinds
    (a column mixing kinds is read as text); a column of the table declared ``DATE`` is read as
    dates, and a value in it that is not an ISO 8601 date is a problem with its row number.
    """

    name: ClassVar[str] = "sqlite"
    description: ClassVar[str] = "A table or query of a SQLite database, 1 for the first row."
    options: ClassVar[Mapping[str, str]] = {
        "table": "the table or view to read (give this or 'query')",
        "query": "a SELECT statement whose rows to read (give this or 'table')",
    }

    def __init__(self, location: str | os.PathLike[str], **options: object) -> None:
        self.location = describe_location(location)
        self.path = Path(location)
        given = take_options(self.name, self.location, self.options, options, {})
        if ("table" in given) == ("query" in given):
            raise fail(self.location, "give exactly one of the options 'table' and 'query'")
        self.table = None if "table" not in given else str(given["table"])
        self.query = None if "query" not in given else str(given["query"])

    def read(self) -> Table:
        """Read every row (eagerly), through a connection that cannot write."""
        import sqlite3

        path = regular_file(self.location, self.path)
        with path.open("rb") as handle:
            if handle.read(len(_HEADER)) != _HEADER:
                raise fail(self.location, "cannot be read: it is not a SQLite database")
        uri = f"file:{quote(str(path.resolve()))}?mode=ro"
        try:
            connection = sqlite3.connect(uri, uri=True)
        except sqlite3.Error as exc:
            raise fail(self.location, f"cannot be opened: {exc}") from None
        try:
            names, rows, dates = self._select(connection)
        except sqlite3.Error as exc:
            what = f"table {self.table!r}" if self.table else "the query"
            raise fail(self.location, f"cannot read {what}: {exc}") from None
        finally:
            connection.close()
        check_columns(self.location, names)
        numbers = list(range(1, len(rows) + 1))
        columns = {n: [r[i] for r in rows] for i, n in enumerate(names)}
        frame, problems = scalar_frame(self.name, self.location, names, numbers, columns)
        frame, bad_dates = self._dates(frame, dates)
        return Table(
            frame.lazy(), self.name, self.location, fingerprint(path), (*problems, *bad_dates)
        )

    def _select(self, connection: sqlite3.Connection) -> tuple[list[str], list[Any], set[str]]:
        dates: set[str] = set()
        if self.table is not None:
            tables = [
                n
                for (n,) in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name"
                )
            ]
            if self.table not in tables:
                message = f"has no table {self.table!r}; the tables are {tables}"
                raise fail(self.location, message)
            quoted = '"' + self.table.replace('"', '""') + '"'
            for column in connection.execute(f"PRAGMA table_info({quoted})"):
                if str(column[2]).upper() == "DATE":
                    dates.add(str(column[1]))
            cursor = connection.execute(f"SELECT * FROM {quoted}")  # noqa: S608 (quoted name)
        else:
            assert self.query is not None  # noqa: S101 (one of the two, checked on creation)
            cursor = connection.execute(self.query)
        if cursor.description is None:
            raise fail(self.location, "the query returns no rows; expected a SELECT statement")
        names = [d[0] for d in cursor.description]
        return names, cursor.fetchall(), dates

    def _dates(self, frame: pl.DataFrame, dates: set[str]) -> tuple[pl.DataFrame, list[Problem]]:
        import polars as pl

        problems = []
        for column in sorted(dates):
            text = pl.col(column).cast(pl.String)
            parsed = text.str.to_date("%Y-%m-%d", strict=False)
            bad = frame.filter(text.is_not_null() & parsed.is_null()).select(ROW, text)
            for row, found in bad.iter_rows():
                message = f"found {found!r}, expected a date as YYYY-MM-DD"
                problems.append(
                    Problem(
                        "",
                        message,
                        source=self.name,
                        location=self.location,
                        row=row,
                        field=column,
                        expected="a date as YYYY-MM-DD",
                    )
                )
            frame = frame.with_columns(parsed.alias(column))
        return frame, problems


@hookimpl
def register_data_sources() -> list[type[SqliteSource]]:
    """Register the SQLite data source."""
    return [SqliteSource]
