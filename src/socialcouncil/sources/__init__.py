"""Data sources: plugins that read a table of rows from somewhere, each row with its number.

A data source is a class registered through the ``register_data_sources`` hook. It has a unique
:attr:`~DataSource.name`, is made with a location and options, and reads a :class:`Table`: a
frame of the rows (lazy where the format allows) with the :data:`ROW` column holding each row's
number as a person would count it, and the fingerprint of the file read. A row it cannot read
is never dropped in silence: it is a :class:`~socialcouncil.Problem` in
:attr:`Table.problems`, with its row number. A location that cannot be read at all raises a
:class:`DataSourceError`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

import attrs

from socialcouncil.errors import FileError, Problem

if TYPE_CHECKING:
    import os
    from collections.abc import Iterable, Mapping

__all__ = ["ROW", "DataSource", "DataSourceError", "Table"]

ROW = "_row"
"""The column of a :class:`Table` that holds each row's number as a person would count it.

For a CSV file or a data package's CSV resource the header is row 1, so the first record is row
2; for an Excel sheet it is the sheet's own row number; for JSON Lines the line number; for
Parquet files and SQLite query results, 1 for the first row.
"""


def _problems(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    return tuple(problems)


@attrs.frozen
class Table:
    """A table a data source read: a frame of its rows, and where they came from.

    Attributes:
        frame: the rows, as a native frame of any engine Narwhals supports (the built-in
            sources give a lazy Polars frame), always with the :data:`ROW` column.
        source: the ``[[sources]]`` id it was read for, or the data source's name when it was
            read directly.
        location: where it was read from, as the model file writes it.
        fingerprint: ``"sha256:"`` and the hex digest of the file read, so a reader can tell
            exactly what a figure came from; None where no file was read.
        problems: rows the source itself could not read (such as a date that is not a date),
            each with its row number; the rows stay in the frame with the cell left empty.
        date_format: how the source writes dates in its text columns, as a
            ``strptime`` format such as ``"%d/%m/%Y"``; None for ISO
            8601 (or for a source whose dates are real dates). Reading never converts text to
            dates itself: validation does, with this format, for the fields a model declares
            as dates.
    """

    frame: Any = attrs.field(eq=False)
    source: str
    location: str
    fingerprint: str | None = None
    problems: tuple[Problem, ...] = attrs.field(default=(), converter=_problems)
    date_format: str | None = None


class DataSourceError(FileError):
    """A data source could not read its location at all.

    The location is missing, not a regular file, not in the source's format, or the source's
    options are wrong. Each :class:`~socialcouncil.Problem` says what was found and what was
    expected. Rows that cannot be read do not raise: they are in :attr:`Table.problems`.
    """


@runtime_checkable
class DataSource(Protocol):
    """What a data source class offers.

    A class implementing it is registered through the ``register_data_sources`` hook::

        class Timebank:
            name = "anytown-timebank"
            description = "Exchanges from the Anytown timebank's ledger export."
            options = {"sheet": "the ledger's sheet"}

            def __init__(self, location, **options): ...
            def read(self): ...

    Attributes:
        name: unique among data sources; how a council or a command chooses it.
        description: one sentence on what it reads.
        options: each option it accepts, by name, with a one-line description.
    """

    name: ClassVar[str]
    description: ClassVar[str]
    options: ClassVar[Mapping[str, str]]

    def __init__(self, location: str | os.PathLike[str], **options: object) -> None:
        """Prepare to read from *location* (a path, table or address) with source options.

        Raises:
            DataSourceError: when an option is unknown or its value is wrong.
        """

    def read(self) -> Table:
        """Read the location into a :class:`Table` with the :data:`ROW` column.

        Raises:
            DataSourceError: when the location cannot be read at all.
        """
        ...
