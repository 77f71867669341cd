"""The built-in Excel data source: a sheet of an .xlsx or .ods workbook, by its row numbers."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

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

__all__ = ["ExcelSource", "register_data_sources"]

# How far down a sheet its header may be: further down, the first row is taken as the header.
_LOOK_FOR_HEADER = 1000
_MISSING_READER = (
    "cannot be read: reading spreadsheets needs the 'excel' extra "
    "(pip install 'socialcouncil[excel]'), which installs fastexcel"
)


class ExcelSource:
    """Read one sheet of an Excel (.xlsx) or OpenDocument (.ods) workbook.

    The sheet's first row holding anything is its header, and each row's number is the sheet's
    own: with the header in row 1, as usual, the first record is row 2. Empty rows are
    skipped; the rows after them keep their numbers. Cells keep the types the workbook gives
    them: numbers are numbers and dates are dates, as the workbook stores them.

    Option ``sheet``: the sheet's name, or its place in the workbook from 1; the first sheet by
    default. Reading needs the ``excel`` extra (fastexcel), imported only when a sheet is read.
    """

    name: ClassVar[str] = "excel"
    description: ClassVar[str] = (
        "A sheet of an .xlsx or .ods workbook, numbered as the sheet numbers its rows."
    )
    options: ClassVar[Mapping[str, str]] = {
        "sheet": "the sheet's name, or its place in the workbook from 1 (default the first)",
    }

    def __init__(self, location: str | os.PathLike[str], **options: object) -> None:
        self.location = describe_location(location)
        self.path = Path(location)
        given = take_options(self.name, self.location, self.options, options, {"sheet": (str, int)})
        sheet = given.get("sheet", 1)
        if isinstance(sheet, int) and sheet < 1:
            raise fail(self.location, f"option 'sheet' is {sheet}; expected 1 or more")
        self.sheet: str | int = sheet  # type: ignore[assignment]

    def read(self) -> Table:
        """Read the sheet (eagerly: workbooks are read whole)."""
        import polars as pl

        path = regular_file(self.location, self.path)
        try:
            import fastexcel
        except ImportError:
            raise fail(self.location, _MISSING_READER) from None
        try:
            workbook = fastexcel.read_excel(path)
        except fastexcel.FastExcelError as exc:
            message = f"cannot be read as an .xlsx or .ods workbook: {_first_line(exc)}"
            raise fail(self.location, message) from None
        names = workbook.sheet_names
        if isinstance(self.sheet, int) and self.sheet > len(names):
            message = f"has {len(names)} sheets, not {self.sheet}; the sheets are {names}"
            raise fail(self.location, message)
        if isinstance(self.sheet, str) and self.sheet not in names:
            raise fail(self.location, f"has no sheet {self.sheet!r}; the sheets are {names}")
        index = self.sheet - 1 if isinstance(self.sheet, int) else names.index(self.sheet)
        choice: dict[str, Any] = (
            {"sheet_id": self.sheet} if isinstance(self.sheet, int) else {"sheet_name": self.sheet}
        )
        try:
            header = _header_row(workbook, index)
            frame = pl.read_excel(
                path,
                engine="calamine",
                read_options={"header_row": header},
                drop_empty_rows=False,
                drop_empty_cols=False,
                raise_if_empty=False,
                **choice,
            )
        except (fastexcel.FastExcelError, pl.exceptions.PolarsError) as exc:
            raise fail(self.location, f"cannot be read: {_first_line(exc)}") from None
        check_columns(self.location, frame.columns)
        # The header is the sheet's row header + 1, so the first row under it is header + 2.
        frame = frame.with_row_index(ROW, offset=header + 2)
        frame = frame.with_columns(pl.col(ROW).cast(pl.Int64))
        if frame.columns[1:]:
            frame = frame.filter(~pl.all_horizontal(pl.exclude(ROW).is_null()))
        return Table(frame.lazy(), self.name, self.location, fingerprint(path))


def _header_row(workbook: Any, index: int) -> int:
    """The place (from 0) of the sheet's first row holding anything, among its first rows."""
    import polars as pl

    # Read without a header, the sheet keeps its empty rows at the top.
    top = workbook.load_sheet(index, header_row=None, skip_rows=0, n_rows=_LOOK_FOR_HEADER)
    rows = top.to_polars().with_row_index("place")
    filled = rows.filter(~pl.all_horizontal(pl.exclude("place").is_null()))
    return int(filled["place"][0]) if filled.height else 0


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


@hookimpl
def register_data_sources() -> list[type[ExcelSource]]:
    """Register the Excel data source."""
    return [ExcelSource]
