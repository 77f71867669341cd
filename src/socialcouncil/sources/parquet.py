"""The built-in Parquet data source: a lazy scan of a Parquet file, 1 for the first row."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from socialcouncil.hookspecs import hookimpl
from socialcouncil.sources import ROW, Table
from socialcouncil.sources._reading import (
    check_columns,
    describe_location,
    fail,
    fingerprint,
    regular_file,
    take_options,
)

if TYPE_CHECKING:
    import os
    from collections.abc import Mapping

__all__ = ["ParquetSource", "register_data_sources"]

_MAGIC = b"PAR1"


class ParquetSource:
    """Read a Parquet file lazily, with its own column types (dates stay dates).

    Rows are numbered from 1 for the first row, in the file's order. It takes no options.
    """

    name: ClassVar[str] = "parquet"
    description: ClassVar[str] = "Rows of a Parquet file, with its types, 1 for the first row."
    options: ClassVar[Mapping[str, str]] = {}

    def __init__(self, location: str | os.PathLike[str], **options: object) -> None:
        self.location = describe_location(location)
        self.path = Path(location)
        take_options(self.name, self.location, self.options, options, {})

    def read(self) -> Table:
        """Scan the file: its rows are read when the frame is collected."""
        import polars as pl

        path = regular_file(self.location, self.path)
        with path.open("rb") as handle:
            start = handle.read(4)
            handle.seek(0, 2)
            size = handle.tell()
            handle.seek(max(size - 4, 0))
            end = handle.read(4)
        if start != _MAGIC or end != _MAGIC or size < 12:
            raise fail(self.location, "cannot be read: it is not a Parquet file")
        scan = pl.scan_parquet(path)
        try:
            names = scan.collect_schema().names()
        except (pl.exceptions.PolarsError, OSError) as exc:
            raise fail(self.location, f"cannot be read as Parquet: {exc}") from None
        check_columns(self.location, names)
        frame = scan.with_row_index(ROW, offset=1).with_columns(pl.col(ROW).cast(pl.Int64))
        return Table(frame, self.name, self.location, fingerprint(path))


@hookimpl
def register_data_sources() -> list[type[ParquetSource]]:
    """Register the Parquet data source."""
    return [ParquetSource]
