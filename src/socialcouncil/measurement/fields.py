"""Validating a source's rows against a model's fields, vectorised, on any engine.

:func:`validate` renames a table's columns to the model's field names, converts each to its
:data:`~socialcouncil.measurement.FieldType`, and reports every cell that breaks its field as a
:class:`~socialcouncil.Problem` naming the source, its location, the row's number, the source's
column, what was found and what was expected, all at once. It works with Narwhals expressions,
so the same checks run on Polars, pandas, PyArrow, DuckDB or Spark; only the bad rows, which
are few, are collected to write the problems.

An empty cell (null, or text that is blank) is never an error: surveys have gaps, and each
model says how it counts them. Dates are read as ISO 8601 (``2025-03-31``, a time after the
date being ignored) unless the source says otherwise in its ``date_format``, such as
``"%d/%m/%Y"``, the UK form: any form of ``%d``, ``%m`` and ``%Y`` with the characters between.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

from socialcouncil.errors import Problem
from socialcouncil.sources import ROW

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    import narwhals as nw

    from socialcouncil.measurement import Field

__all__ = ["DATE_FORMATS", "Validated", "date_shape", "expected", "validate"]

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
"""The forms of date most sources use: ISO 8601 (the default) and the UK's.

A source's ``date_format`` may name any other made of ``%d``, ``%m`` and ``%Y`` (two-digit day
and month, four-digit year) and the characters between, such as ``"%d.%m.%Y"`` or ``"%Y%m%d"``.
"""

_DIRECTIVES = {"%d": ("day", 2), "%m": ("month", 2), "%Y": ("year", 4)}

_TRUE = ("true", "yes", "y", "1")
_FALSE = ("false", "no", "n", "0")
# At most 18 digits (past leading zeros) always fit a 64-bit whole number; a longer one is
# refused as a bad cell rather than failing the cast.
_INTEGER = r"^[+-]?0*[0-9]{1,18}$"
_NUMBER = r"^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"
_ISO_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[T ].*)?$"


@attrs.frozen
class Validated:
    """A table's valid rows, and a problem for each bad cell or missing column.

    Attributes:
        frame: a Narwhals lazy frame of the rows with no bad cell: the :data:`ROW` column,
            each field under its own name converted to its type (an optional field the source
            lacks is left out), and each kept column as text.
        problems: every bad cell, by row and then in field order; a missing column first, with
            no row.
        bad_rows: the numbers of the rows left out.
        missing: the required fields whose column the table lacks; with any, the frame is
            empty of meaning and a model cannot run.
    """

    frame: Any = attrs.field(eq=False)
    problems: tuple[Problem, ...] = ()
    bad_rows: frozenset[int] = frozenset()
    missing: tuple[str, ...] = ()


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def expected(field: Field, date_format: str | None = None) -> str:
    """What a cell of *field* must hold, in words, for a problem's message.

    >>> from socialcouncil.measurement import Field
    >>> from socialcouncil.measurement.fields import expected
    >>> expected(Field("item1", "integer", minimum=1, maximum=5))
    'a whole number from 1 to 5'
    >>> expected(Field("date", "date"), "%d/%m/%Y")
    'a date as DD/MM/YYYY'
    """
    if field.type in {"integer", "number"}:
        what = "a whole number" if field.type == "integer" else "a number"
        low, high = field.minimum, field.maximum
        if low is not None and high is not None:
            return f"{what} from {_number(low)} to {_number(high)}"
        if low is not None:
            return f"{what} of at least {_number(low)}"
        if high is not None:
            return f"{what} of at most {_number(high)}"
        return what
    if field.type == "date":
        shown = date_format or "%Y-%m-%d"
        for directive, letters in (("%d", "DD"), ("%m", "MM"), ("%Y", "YYYY")):
            shown = shown.replace(directive, letters)
        return f"a date as {shown}"
    if field.type == "boolean":
        return "true or false (or yes or no)"
    if field.allowed is not None:
        return "one of " + ", ".join(repr(a) for a in field.allowed)
    return "text"


def _is_text(dtype: Any) -> bool:
    import narwhals as nw

    return bool(dtype == nw.String)


def _blank(column: nw.Expr, dtype: Any) -> nw.Expr:
    """Whether a cell is empty: null, or blank text."""
    if _is_text(dtype):
        return column.is_null() | (column.str.strip_chars() == "")
    return column.is_null()


def _in_range(value: nw.Expr, field: Field) -> nw.Expr:
    import narwhals as nw

    ok = nw.lit(value=True)
    if field.minimum is not None:
        ok = ok & (value >= field.minimum)
    if field.maximum is not None:
        ok = ok & (value <= field.maximum)
    return ok


def _days_in_month(year: nw.Expr, month: nw.Expr) -> nw.Expr:
    import narwhals as nw

    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    return (
        nw.when(month == 2)
        .then(nw.when(leap).then(29).otherwise(28))
        .otherwise(nw.when(month.is_in([4, 6, 9, 11])).then(30).otherwise(31))
    )


def date_shape(date_format: str) -> tuple[str, dict[str, tuple[int, int]]]:
    """A regular expression for dates written as *date_format*, and where each part is.

    >>> from socialcouncil.measurement.fields import date_shape
    >>> date_shape("%d/%m/%Y")
    ('^[0-9]{2}/[0-9]{2}/[0-9]{4}$', {'day': (0, 2), 'month': (3, 2), 'year': (6, 4)})

    Raises:
        ValueError: when the format has a directive other than ``%d``, ``%m`` and ``%Y``, or
            lacks one of them.
    """
    import re

    pattern, parts, offset, index = "^", {}, 0, 0
    while index < len(date_format):
        piece = date_format[index : index + 2]
        if piece in _DIRECTIVES and _DIRECTIVES[piece][0] not in parts:
            name, width = _DIRECTIVES[piece]
            parts[name] = (offset, width)
            pattern += f"[0-9]{{{width}}}"
            offset, index = offset + width, index + 2
        elif date_format[index] == "%":
            message = (
                f"date_format {date_format!r} is not made of %d, %m and %Y and the characters "
                "between, such as '%d/%m/%Y'"
            )
            raise ValueError(message)
        else:
            pattern += re.escape(date_format[index])
            offset, index = offset + 1, index + 1
    if len(parts) != len(_DIRECTIVES):
        message = f"date_format {date_format!r} lacks one of %d, %m and %Y"
        raise ValueError(message)
    return pattern + "$", parts


def _date(column: nw.Expr, dtype: Any, date_format: str | None) -> tuple[nw.Expr, nw.Expr]:
    """(the cell as a date, whether a non-empty cell is one) for a date field."""
    import narwhals as nw

    if dtype == nw.Date:
        return column, nw.lit(value=True)
    if isinstance(dtype, nw.Datetime) or dtype == nw.Datetime:
        return column.dt.date(), nw.lit(value=True)
    if not _is_text(dtype):
        return nw.lit(None, dtype=nw.Date), nw.lit(value=False)
    text = column.str.strip_chars()
    if date_format is not None and date_format != "%Y-%m-%d":
        pattern, parts = date_shape(date_format)
        shaped = text.str.contains(pattern)
        year, month, day = (text.str.slice(*parts[name]) for name in ("year", "month", "day"))
    else:
        shaped = text.str.contains(_ISO_DATE)
        year, month, day = text.str.slice(0, 4), text.str.slice(5, 2), text.str.slice(8, 2)
    # Only cells of the right shape are cast, so that no engine meets text it cannot convert.
    y, m, d = (
        nw.when(shaped).then(part).otherwise(nw.lit(None, dtype=nw.String)).cast(nw.Int64)
        for part in (year, month, day)
    )
    real = shaped & (m >= 1) & (m <= 12) & (d >= 1) & (d <= _days_in_month(y, m)) & (y >= 1)
    iso = nw.concat_str([year, nw.lit("-"), month, nw.lit("-"), day])
    value = (
        nw.when(real)
        .then(iso)
        .otherwise(nw.lit(None, dtype=nw.String))
        .str.to_datetime("%Y-%m-%d")
        .dt.date()
    )
    return value, real


def _boolean(column: nw.Expr, dtype: Any) -> tuple[nw.Expr, nw.Expr]:
    """(the cell as true or false, whether a non-empty cell is one) for a boolean field."""
    import narwhals as nw

    if dtype == nw.Boolean:
        return column, nw.lit(value=True)
    if not _is_text(dtype):
        return nw.lit(None, dtype=nw.Boolean), nw.lit(value=False)
    word = column.str.strip_chars().str.to_lowercase()
    value = (
        nw.when(word.is_in(_TRUE))
        .then(nw.lit(value=True))
        .otherwise(nw.when(word.is_in(_FALSE)).then(nw.lit(value=False)))
    )
    return value.cast(nw.Boolean), word.is_in(_TRUE + _FALSE)


def _convert(
    field: Field, column: nw.Expr, dtype: Any, date_format: str | None
) -> tuple[nw.Expr, nw.Expr]:
    """(the converted cell, whether a non-empty cell is good) for one field."""
    import narwhals as nw

    text = _is_text(dtype)
    if field.type == "integer":
        if text:
            stripped = column.str.strip_chars()
            good = stripped.str.contains(_INTEGER)
            # Only a leading sign can be left after the check; not every engine reads "+".
            unsigned = stripped.str.strip_chars("+")
            value = nw.when(good).then(unsigned).otherwise(nw.lit(None, dtype=nw.String))
            value = value.cast(nw.Int64)
        elif dtype.is_integer():
            good, value = nw.lit(value=True), column.cast(nw.Int64)
        elif dtype.is_numeric():
            good = column == column.round(0)
            value = nw.when(good).then(column).otherwise(None).cast(nw.Int64)
        else:
            return nw.lit(None, dtype=nw.Int64), nw.lit(value=False)
        return value, good & _in_range(value, field)
    if field.type == "number":
        if text:
            stripped = column.str.strip_chars()
            good = stripped.str.contains(_NUMBER)
            unsigned = stripped.str.strip_chars("+")
            value = nw.when(good).then(unsigned).otherwise(nw.lit(None, dtype=nw.String))
            value = value.cast(nw.Float64)
        elif dtype.is_numeric():
            good, value = nw.lit(value=True), column.cast(nw.Float64)
        else:
            return nw.lit(None, dtype=nw.Float64), nw.lit(value=False)
        return value, good & _in_range(value, field)
    if field.type == "date":
        return _date(column, dtype, date_format)
    if field.type == "boolean":
        return _boolean(column, dtype)
    value = column if text else column.cast(nw.String)
    good = nw.lit(value=True) if field.allowed is None else value.is_in(field.allowed)
    return value, good


def _nullable(frame: Any) -> Any:
    """*frame*, a pandas frame being read as an Arrow table.

    pandas' own integer columns cannot hold a missing value, which survey columns need, so a
    pandas frame is validated, and measured, as the Arrow table it converts to (or as a Polars
    frame where PyArrow is not installed).
    """
    if type(frame).__module__.startswith("pandas") and hasattr(frame, "to_records"):
        try:
            import pyarrow as pa  # type: ignore[import-untyped]
        except ImportError:  # pandas without Arrow: Polars reads the frame instead
            import polars as pl

            return pl.from_pandas(frame)
        return pa.Table.from_pandas(frame, preserve_index=False)
    return frame


def _found(value: object) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, float) and value.is_integer():
        return repr(value)
    return repr(value) if not hasattr(value, "isoformat") else repr(str(value))


def validate(
    frame: Any,
    fields: Sequence[Field],
    *,
    columns: Mapping[str, str] | None = None,
    keep: Mapping[str, str] | None = None,
    source: str | None = None,
    location: str | None = None,
    date_format: str | None = None,
) -> Validated:
    """Check and convert *frame*'s cells for *fields*.

    Args:
        frame: a frame of any engine Narwhals supports, native or Narwhals, with the
            :data:`~socialcouncil.ROW` column.
        fields: the model's fields for this input.
        columns: field name -> the source's column, where they differ (a measure's
            ``columns``); any other field is read from the column of its own name.
        keep: more columns to keep as text, by the name they get -> the source's column (the
            measure's ``by`` fields); a missing one is a problem like a missing field.
        source: the ``[[sources]]`` id, for the problems.
        location: where the source reads from, as the model file writes it.
        date_format: how the source writes dates: ``"%Y-%m-%d"`` (ISO, the default),
            ``"%d/%m/%Y"`` (UK), or another form (see :data:`DATE_FORMATS`).

    Returns:
        The valid rows, converted, and the problems.

    Raises:
        ValueError: when *date_format* is not a form :func:`date_shape` reads.

    >>> import polars as pl
    >>> from socialcouncil.measurement import Field
    >>> from socialcouncil.measurement.fields import validate
    >>> frame = pl.DataFrame({"_row": [2, 3, 4], "Q1": ["4", "six", ""]})
    >>> checked = validate(frame, [Field("item1", "integer", minimum=1, maximum=5)],
    ...                    columns={"item1": "Q1"}, source="survey", location="survey.csv")
    >>> [p.render() for p in checked.problems]
    ["survey.csv, row 3, column 'Q1': found 'six', expected a whole number from 1 to 5"]
    >>> checked.frame.collect().to_native().rows()
    [(2, 4), (4, None)]
    """
    import narwhals as nw

    if date_format is not None:
        date_shape(date_format)  # refuse a form it cannot read before reading anything
    native = nw.from_native(_nullable(frame))
    lazy = native.lazy() if isinstance(native, nw.DataFrame) else native
    plan = _Plan(source, location, date_format, dict(lazy.collect_schema().items()))
    plan.add_fields(fields, dict(columns or {}))
    plan.add_kept(dict(keep or {}))
    if plan.missing:
        shown = lazy.select(plan.selected) if ROW not in plan.missing else lazy
        return Validated(shown, tuple(plan.problems), missing=tuple(plan.missing))
    if not plan.checks:
        return Validated(lazy.select(plan.selected), tuple(plan.problems))
    bad_rows = plan.find_bad_cells(lazy)
    any_bad = nw.any_horizontal(*(bad for _, _, bad in plan.checks), ignore_nulls=True)
    kept = lazy.filter(~any_bad).select(plan.selected)
    return Validated(kept, tuple(plan.problems), frozenset(bad_rows))


class _Plan:
    """What validating one table selects and checks, and what it has found wrong."""

    def __init__(
        self,
        source: str | None,
        location: str | None,
        date_format: str | None,
        schema: dict[str, Any],
    ) -> None:
        import narwhals as nw

        self.source, self.location, self.date_format = source, location, date_format
        self.schema = schema
        self.problems: list[Problem] = []
        self.missing: list[str] = []
        self.selected: list[nw.Expr] = []
        self.checks: list[tuple[Field, str, nw.Expr]] = []
        if ROW in schema:
            self.selected.append(nw.col(ROW).cast(nw.Int64))
        else:
            self.lack(ROW, ROW, "the row-number column")

    def problem(self, row: int | None, column: str, message: str, expected: str) -> Problem:
        return Problem(
            "",
            message,
            source=self.source,
            location=self.location,
            row=row,
            field=column,
            expected=expected,
        )

    def lack(self, name: str, column: str, expected: str) -> None:
        self.missing.append(name)
        self.problems.append(self.problem(None, column, f"missing; expected {expected}", expected))

    def add_fields(self, fields: Sequence[Field], columns: dict[str, str]) -> None:
        import narwhals as nw

        for field in fields:
            column = columns.get(field.name, field.name)
            if column not in self.schema:
                # An optional field the source lacks is no column at all, so that a model can
                # tell "no weights" from "a weight left empty".
                if field.required:
                    self.lack(field.name, column, f"the column of {field.name!r}")
                continue
            dtype = self.schema[column]
            cell = nw.col(column)
            value, good = _convert(field, cell, dtype, self.date_format)
            blank = _blank(cell, dtype)
            self.checks.append((field, column, ~blank & ~good.fill_null(value=False)))
            converted = nw.when(blank).then(None).otherwise(value).cast(_dtype(field.type))
            self.selected.append(converted.alias(field.name))

    def add_kept(self, keep: dict[str, str]) -> None:
        import narwhals as nw

        for name, column in keep.items():
            if column not in self.schema:
                self.lack(name, column, f"the column of {name!r}")
                continue
            dtype = self.schema[column]
            cell = nw.col(column) if _is_text(dtype) else nw.col(column).cast(nw.String)
            blank = _blank(nw.col(column), dtype)
            self.selected.append(nw.when(blank).then(None).otherwise(cell).alias(name))

    def find_bad_cells(self, lazy: Any) -> set[int]:
        """Collect only the rows with a bad cell, and write a problem for each bad cell."""
        import narwhals as nw

        flags = [bad.alias(f"_bad{i}") for i, (_, _, bad) in enumerate(self.checks)]
        raw = [nw.col(c).alias(f"_raw{i}") for i, (_, c, _) in enumerate(self.checks)]
        any_bad = nw.any_horizontal(
            *(nw.col(f"_bad{i}") for i in range(len(flags))), ignore_nulls=True
        )
        found = lazy.select(nw.col(ROW).cast(nw.Int64), *raw, *flags).filter(any_bad).collect()
        rows: set[int] = set()
        for record in sorted(found.rows(named=True), key=lambda r: r[ROW]):
            row = int(record[ROW])
            rows.add(row)
            for i, (field, column, _) in enumerate(self.checks):
                if record[f"_bad{i}"]:
                    what = expected(field, self.date_format)
                    message = f"found {_found(record[f'_raw{i}'])}, expected {what}"
                    self.problems.append(self.problem(row, column, message, what))
        return rows


def _dtype(name: str) -> Any:
    import narwhals as nw

    types = {
        "integer": nw.Int64,
        "number": nw.Float64,
        "string": nw.String,
        "date": nw.Date,
        "boolean": nw.Boolean,
    }
    return types[name]
