"""The built-in CSV data source: the rows of a CSV file with a header row, each with its number."""

from __future__ import annotations

import codecs
import concurrent.futures
import csv
import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from socialcouncil.errors import Problem
from socialcouncil.hookspecs import hookimpl
from socialcouncil.sources import ROW, DataSourceError, Table
from socialcouncil.sources._reading import (
    check_columns,
    describe_location,
    fail,
    regular_file,
    take_options,
)

if TYPE_CHECKING:
    import os
    from collections.abc import Mapping

    import polars as pl

__all__ = ["CsvSource", "register_data_sources"]

_CHUNK = 1 << 20
# A file without quotes (or this byte) is read by Polars one line per row, so that every row
# keeps the number of its line and a short or long row is found, without Python per row.
_UNIT_SEPARATOR = "\x1f"


class CsvSource:
    """Read a CSV file with a header row: each later row is a record keyed by the header.

    Every cell is read as text, as it is in the file; an empty cell is empty (null). Rows are
    numbered by the file's lines as a person counts them: the header is row 1, so the first
    record is row 2. A blank line (or a row of empty cells) is skipped, and the rows after it
    keep their lines' numbers; a cell in quotes that spans lines counts each of its lines. A
    row with more or fewer cells than the header is left out and is a problem with its number.

    Options: ``delimiter`` (default ``,``), ``encoding`` (default UTF-8, with or without the
    byte-order mark spreadsheet programs write) and ``date_format`` (how the file writes dates,
    such as ``%d/%m/%Y``; ISO 8601 by default), which validation uses.
    """

    name: ClassVar[str] = "csv"
    description: ClassVar[str] = (
        "Rows of a CSV file with a header row, numbered as the file's lines."
    )
    options: ClassVar[Mapping[str, str]] = {
        "delimiter": "the character between cells (default ',')",
        "encoding": "the file's text encoding (default UTF-8, with or without a byte-order mark)",
        "date_format": "how dates are written, such as '%d/%m/%Y' (default ISO 8601)",
    }

    def __init__(self, location: str | os.PathLike[str], **options: object) -> None:
        self.location = describe_location(location)
        self.path = Path(location)
        given = take_options(self.name, self.location, self.options, options, {})
        self.delimiter = str(given.get("delimiter", ","))
        self.encoding = str(given.get("encoding", "utf-8-sig"))
        self.date_format = _optional(given.get("date_format"))
        if len(self.delimiter) != 1 or self.delimiter in '\r\n"':
            message = f"option 'delimiter' is {self.delimiter!r}; expected one character"
            raise fail(self.location, message)
        try:
            self._codec = codecs.lookup(self.encoding).name
        except LookupError:
            raise fail(
                self.location,
                f"option 'encoding' is {self.encoding!r}, which is not an encoding Python knows",
            ) from None

    def read(self) -> Table:
        """Read the file: a lazy frame of its rows where it has no quotes, else an eager one."""
        import polars as pl

        path = regular_file(self.location, self.path)
        plain = self._codec in {"utf-8", "utf-8-sig"} and self.delimiter != _UNIT_SEPARATOR
        # The fingerprint needs every byte read once: hash while Polars looks for ragged rows.
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            scanning = pool.submit(_scan, self.location, path, self._codec)
            try:
                header = self._header()
                check_columns(self.location, header)
                lines = self._lines(header) if plain else None
            except (DataSourceError, pl.exceptions.PolarsError):
                scanning.result()  # text that is not in its encoding says so first
                raise
            scanned = scanning.result()
        # A quote may hide a delimiter or a line break: such a file is read row by row.
        frame, problems = (
            lines if lines is not None and not scanned.quoted else self._records(header)
        )
        return Table(
            frame,
            self.name,
            self.location,
            scanned.fingerprint,
            tuple(problems),
            date_format=self.date_format,
        )

    def _header(self) -> list[str]:
        try:
            with self.path.open(newline="", encoding=self.encoding) as handle:
                header = next(csv.reader(handle, delimiter=self.delimiter, strict=True), None)
        except (UnicodeDecodeError, csv.Error) as exc:
            raise fail(self.location, f"cannot be read as CSV: {exc}") from None
        if header is None or not any(header):
            raise fail(self.location, "is empty; expected a header row")
        return header

    def _lines(self, header: list[str]) -> tuple[pl.LazyFrame, list[Problem]]:
        import polars as pl

        # First the rows with too few or too many cells, from the file read a line a row
        # (which Polars keeps blank lines in, as nulls): the delimiters on each line tell.
        line = pl.col("line").str.strip_suffix("\r")
        found = line.str.count_matches(self.delimiter, literal=True) + 1
        blank = line.is_null() | (line.str.strip_chars(self.delimiter) == "")
        left_out = (
            pl.scan_csv(
                self.path,
                has_header=False,
                separator=_UNIT_SEPARATOR,
                quote_char=None,
                new_columns=["line"],
                infer_schema=False,
            )
            .with_row_index(ROW, offset=1)
            .filter(pl.col(ROW) > 1, blank | (found != len(header)))
            .select(pl.col(ROW).cast(pl.Int64), pl.when(~blank).then(found).alias("found"))
            .collect()
        )
        ragged = left_out.filter(pl.col("found").is_not_null())
        problems = [self._ragged(row, cells, len(header)) for row, cells in ragged.iter_rows()]
        # Then the rows themselves, parsed by Polars: a blank line is a row there too, so each
        # row's place in the file is its line's number. Blank and ragged rows (padded or cut
        # short by Polars) are left out by number, so that a query reads only its columns.
        scan = pl.scan_csv(
            self.path,
            has_header=False,
            separator=self.delimiter,
            quote_char=None,
            new_columns=header,
            schema=dict.fromkeys(header, pl.String),
            truncate_ragged_lines=True,
        ).with_row_index(ROW, offset=1)
        keep = pl.col(ROW) > 1
        if left_out.height:
            keep &= ~pl.col(ROW).is_in(left_out[ROW].implode())
        frame = scan.filter(keep).with_columns(pl.col(ROW).cast(pl.Int64))
        return frame, problems

    def _records(self, header: list[str]) -> tuple[pl.LazyFrame, list[Problem]]:
        import polars as pl

        rows: list[int] = []
        columns: list[list[str | None]] = [[] for _ in header]
        problems = []
        try:
            with self.path.open(newline="", encoding=self.encoding) as handle:
                reader = csv.reader(handle, delimiter=self.delimiter, strict=True)
                next(reader)
                # Each row starts on the line after the one the last row ended on.
                start = reader.line_num + 1
                for cells in reader:
                    row, start = start, reader.line_num + 1
                    if not any(cells):
                        continue
                    if len(cells) != len(header):
                        problems.append(self._ragged(row, len(cells), len(header)))
                        continue
                    rows.append(row)
                    for column, cell in zip(columns, cells, strict=True):
                        column.append(cell if cell != "" else None)
        except (UnicodeDecodeError, csv.Error) as exc:
            where = f"after row {rows[-1]}" if rows else "after the header"
            raise fail(self.location, f"cannot be read as CSV {where}: {exc}") from None
        data: dict[str, Any] = {ROW: pl.Series(ROW, rows, dtype=pl.Int64)}
        for name, column in zip(header, columns, strict=True):
            data[name] = pl.Series(name, column, dtype=pl.String)
        return pl.DataFrame(data).lazy(), problems

    def _ragged(self, row: int, found: int, expected: int) -> Problem:
        cells = "cell" if found == 1 else "cells"
        message = f"found {found} {cells}, expected {expected} (one per column of the header)"
        return Problem("", message, source=self.name, location=self.location, row=row)


class _Scanned:
    def __init__(self, fingerprint: str, quoted: bool) -> None:
        self.fingerprint = fingerprint
        self.quoted = quoted


def _scan(location: str, path: Path, codec: str) -> _Scanned:
    """Hash the file, check it is text in its encoding, and see whether it has quotes."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder(codec)() if codec.startswith("utf-8") else None
    quoted = False
    read = 0
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
                quoted = quoted or b'"' in chunk or _UNIT_SEPARATOR.encode() in chunk
                if decoder is not None:
                    decoder.decode(chunk)
                read += len(chunk)
            if decoder is not None:
                decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        message = (
            f"is not UTF-8 text (byte {read + exc.start + 1}); give the 'encoding' option, "
            "such as 'cp1252'"
        )
        raise fail(location, message) from None
    except OSError as exc:
        raise fail(location, f"cannot be read: {exc.strerror or exc}") from None
    return _Scanned(f"sha256:{digest.hexdigest()}", quoted)


def _optional(value: object) -> str | None:
    return None if value is None else str(value)


@hookimpl
def register_data_sources() -> list[type[CsvSource]]:
    """Register the CSV data source."""
    return [CsvSource]
