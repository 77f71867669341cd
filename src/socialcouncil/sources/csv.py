"""The built-in CSV data source: the rows of a CSV file with a header row, each with its number."""

from __future__ import annotations

import codecs
import concurrent.futures
import csv
import hashlib
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from socialcouncil.errors import Problem
from socialcouncil.hookspecs import hookimpl
from socialcouncil.sources import ROW, Table
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
_BLOCK = 1 << 21  # the bytes looked at at once for uneven lines
_NEWLINE, _RETURN = 0x0A, 0x0D
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
        """Read the file: a lazy frame of its rows where it has no quotes, else an eager one.

        The file is read once: its fingerprint, its encoding, its short and long rows and the
        rows themselves all come from the same bytes.
        """
        path = regular_file(self.location, self.path)
        data = _bytes(self.location, path)
        fingerprint = f"sha256:{hashlib.sha256(data).hexdigest()}"
        _check_encoding(self.location, data, self._codec)
        header = self._header(data)
        check_columns(self.location, header)
        quoted = b'"' in data or _UNIT_SEPARATOR.encode() in data
        plain = self._codec in {"utf-8", "utf-8-sig"} and self.delimiter != _UNIT_SEPARATOR
        # A quote may hide a delimiter or a line break: such a file is read row by row.
        frame, problems = (
            self._lines(header, data) if plain and not quoted else self._records(header, data)
        )
        return Table(
            frame,
            self.name,
            self.location,
            fingerprint,
            tuple(problems),
            date_format=self.date_format,
        )

    def _header(self, data: bytes) -> list[str]:
        try:
            with io.TextIOWrapper(io.BytesIO(data), encoding=self.encoding, newline="") as handle:
                header = next(csv.reader(handle, delimiter=self.delimiter, strict=True), None)
        except (UnicodeDecodeError, csv.Error) as exc:
            raise fail(self.location, f"cannot be read as CSV: {exc}") from None
        if header is None or not any(header):
            raise fail(self.location, "is empty; expected a header row")
        return header

    def _lines(self, header: list[str], data: bytes) -> tuple[pl.LazyFrame, list[Problem]]:
        import polars as pl

        # First the rows with too few or too many cells, and the blank lines: the delimiters
        # on each line tell.
        left_out, ragged = _uneven_lines(data, self.delimiter.encode(), len(header))
        problems = [self._ragged(row, cells, len(header)) for row, cells in ragged]
        # Then the rows themselves, parsed by Polars from the same bytes: a blank line is a row
        # there too, so each row's place in the file is its line's number. Blank and ragged
        # rows (padded or cut short by Polars) are left out by number, so that a query reads
        # only its columns.
        scan = pl.scan_csv(
            data,
            has_header=False,
            separator=self.delimiter,
            quote_char=None,
            new_columns=header,
            schema=dict.fromkeys(header, pl.String),
            truncate_ragged_lines=True,
        ).with_row_index(ROW, offset=1)
        keep = pl.col(ROW) > 1
        if left_out:
            keep &= ~pl.col(ROW).is_in(pl.Series(left_out, dtype=pl.Int64).implode())
        frame = scan.filter(keep).with_columns(pl.col(ROW).cast(pl.Int64))
        return frame, problems

    def _records(self, header: list[str], data: bytes) -> tuple[pl.LazyFrame, list[Problem]]:
        import polars as pl

        rows: list[int] = []
        columns: list[list[str | None]] = [[] for _ in header]
        problems = []
        try:
            with io.TextIOWrapper(io.BytesIO(data), encoding=self.encoding, newline="") as handle:
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
        series: dict[str, Any] = {ROW: pl.Series(ROW, rows, dtype=pl.Int64)}
        for name, column in zip(header, columns, strict=True):
            series[name] = pl.Series(name, column, dtype=pl.String)
        return pl.DataFrame(series).lazy(), problems

    def _ragged(self, row: int, found: int, expected: int) -> Problem:
        cells = "cell" if found == 1 else "cells"
        message = f"found {found} {cells}, expected {expected} (one per column of the header)"
        wanted = f"{expected} {'cell' if expected == 1 else 'cells'}, one per column of the header"
        return Problem(
            "", message, source=self.name, location=self.location, row=row, expected=wanted
        )


def _bytes(location: str, path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise fail(location, f"cannot be read: {exc.strerror or exc}") from None


def _check_encoding(location: str, data: bytes, codec: str) -> None:
    """Refuse bytes that are not UTF-8 where the file is to be UTF-8, saying where."""
    if not codec.startswith("utf-8"):
        return  # another encoding is checked as the rows are decoded
    decoder = codecs.getincrementaldecoder(codec)()
    view = memoryview(data)
    start = 0
    try:
        for start in range(0, len(data), _CHUNK):
            decoder.decode(view[start : start + _CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        message = (
            f"is not UTF-8 text (byte {start + exc.start + 1}); give the 'encoding' option, "
            "such as 'cp1252'"
        )
        raise fail(location, message) from None


def _uneven_lines(
    data: bytes, delimiter: bytes, width: int
) -> tuple[list[int], list[tuple[int, int]]]:
    r"""The numbers of the lines after the header to leave out, and the ragged ones' cells.

    A line is left out when it is blank (empty, or nothing but delimiters) or has more or
    fewer than *width* cells; the second list has (row, cells) for the latter. Lines end at
    ``\n`` (a ``\r`` before it is not part of the line), as Polars reads them. The bytes are
    looked at a block of lines at a time, with NumPy, never a line at a time in Python.
    """
    import numpy as np

    everything = np.frombuffer(data, dtype=np.uint8)
    blocks, start = [], 0
    while start < len(data):
        end = data.rfind(b"\n", start, start + _BLOCK)
        end = len(data) if end < 0 or start + _BLOCK >= len(data) else end + 1
        blocks.append(everything[start:end])
        start = end
    # NumPy lets go of the interpreter while it looks, so two blocks are looked at at once.
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        looked = list(pool.map(lambda block: _uneven_in(block, delimiter, width), blocks))
    left_out: list[int] = []
    ragged: list[tuple[int, int]] = []
    first_line = 1
    for lines, uneven in looked:
        for index, cells in uneven:
            row = first_line + index
            if row == 1:
                continue  # the header
            left_out.append(row)
            if cells is not None:
                ragged.append((row, cells))
        first_line += lines
    return left_out, ragged


def _uneven_in(
    block: Any, delimiter: bytes, width: int
) -> tuple[int, list[tuple[int, int | None]]]:
    """How many lines *block* has, and its uneven ones: (index, cells, or None if blank)."""
    import numpy as np

    breaks = np.flatnonzero(block == _NEWLINE)
    starts = np.concatenate(([0], breaks + 1))
    stops = np.concatenate((breaks, [len(block)]))
    if len(block) and block[-1] == _NEWLINE:  # nothing after the last line break
        starts, stops = starts[:-1], stops[:-1]
    # A line's length without its "\r", and its delimiters.
    carriage = (stops > starts) & (block[np.maximum(stops - 1, 0)] == _RETURN)
    lengths = stops - starts - carriage
    # Where the delimiter's bytes start (UTF-8 never finds a character inside another).
    found = block == delimiter[0]
    for offset, byte in enumerate(delimiter[1:], start=1):
        found[: len(block) - offset] &= block[offset:] == byte
        found[len(block) - offset :] = False
    hits = np.flatnonzero(found)
    counts = np.searchsorted(hits, stops) - np.searchsorted(hits, starts)
    blank = counts * len(delimiter) == lengths
    cells = counts + 1
    uneven = np.flatnonzero(blank | (cells != width)).tolist()
    return len(starts), [(i, None if blank[i] else int(cells[i])) for i in uneven]


def _optional(value: object) -> str | None:
    return None if value is None else str(value)


@hookimpl
def register_data_sources() -> list[type[CsvSource]]:
    """Register the CSV data source."""
    return [CsvSource]
