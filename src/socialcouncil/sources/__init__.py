"""Data sources: plugins that read records from somewhere, each record with its provenance.

A data source is a class registered through the ``register_data_sources`` hook. It has a unique
:attr:`~DataSource.name`, is made with a location and options, and yields :class:`Record`
objects. A row it cannot read is never dropped in silence: it is reported by number in a
:class:`DataSourceError` raised once every row has been read.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

import attrs

from socialcouncil.errors import FileError, Problem

if TYPE_CHECKING:
    import os

__all__ = ["ROW", "DataSource", "DataSourceError", "Provenance", "Record", "RecordValue", "Table"]

ROW = "_row"
"""The column of a :class:`Table` that holds each row's number as a person would count it.

For a CSV file or a data package's CSV resource the header is row 1, so the first record is row
2; for an Excel sheet it is the sheet's own row number; for JSON Lines the line number; for
Parquet files and SQLite query results, 1 for the first row.
"""

RecordValue = str | int | float | bool | None
"""A value in a record: what a spreadsheet cell or a JSON scalar can hold."""


@attrs.frozen
class Provenance:
    """Where a record came from.

    Attributes:
        source: the name of the data source that read it, such as ``"csv"``.
        location: the file, table or address it was read from.
        row: its row number as a person would count it (for a CSV file with a header, the
            first record is row 2), or None where rows are not numbered.
    """

    source: str
    location: str
    row: int | None = None

    def __str__(self) -> str:
        return self.location if self.row is None else f"{self.location}, row {self.row}"


@attrs.frozen
class Record:
    """One record read from a data source: named values and where they came from.

    Attributes:
        values: the record's fields by name.
        provenance: where it came from.
    """

    values: Mapping[str, RecordValue] = attrs.field(hash=False)
    provenance: Provenance


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
    """

    frame: Any = attrs.field(eq=False)
    source: str
    location: str
    fingerprint: str | None = None
    problems: tuple[Problem, ...] = attrs.field(default=(), converter=tuple)


class DataSourceError(FileError):
    """A data source could not read some of its rows, or its location at all.

    Each :class:`~socialcouncil.Problem` names its row in its path, such as ``row 7``, where
    rows are numbered.
    """


@runtime_checkable
class DataSource(Protocol):
    """What a data source class offers.

    A class implementing it is registered through the ``register_data_sources`` hook::

        class Timebank:
            name = "anytown-timebank"
            description = "Exchanges from the Anytown timebank's ledger export."

            def __init__(self, location, **options): ...
            def records(self): ...

    Attributes:
        name: unique among data sources; how a council or a command chooses it.
        description: one sentence on what it reads.
    """

    name: ClassVar[str]
    description: ClassVar[str]

    def __init__(self, location: str | os.PathLike[str], **options: str) -> None:
        """Prepare to read from *location* (a path, table or address) with source options."""

    def records(self) -> Iterator[Record]:
        """Yield every record, in order.

        Raises:
            DataSourceError: after the last readable record, naming every row (by number)
                that could not be read; or at once, when the location cannot be read at all.
        """
        ...
