"""Validating a Polars table for several measures at once, in one pass over the source.

:func:`socialcouncil.measurement.fields.validate` checks one table for one model's fields, on
any engine, with Narwhals expressions written to read the same on every engine. On a table of
text read by Polars (a CSV file, say) those expressions cost far more than reading the file:
each cell is stripped, matched against a pattern and sliced. :func:`validate_together` gives the
same results for every request on a Polars frame, faster:

1. One pass over the source converts each text column once per type with Polars' own casts,
   which accept a subset of what :func:`~socialcouncil.measurement.fields.validate` accepts
   (a date must also have the exact shape of its format), and flags each cell that the cast
   did not take ("suspect") or whose value breaks a request's range or allowed values. The
   converted values are kept in the narrowest type that holds them.
2. Only when a row has a flag are the flagged rows, which are few, taken again from the
   source, as text, and validated by :func:`~socialcouncil.measurement.fields.validate`
   itself: so every problem, and every value of a flagged row, is exactly what it would have
   been.
3. Each request's frame is the rows no request flagged, with the request's fields cast to
   their declared types (lazily, as each model's query reads them), and its good flagged rows.

Where a request reads a column that is not text, it is validated by
:func:`~socialcouncil.measurement.fields.validate` on the table as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from socialcouncil.measurement import Field
from socialcouncil.sources import ROW

if TYPE_CHECKING:
    from collections.abc import Sequence

    import polars as pl

    from socialcouncil.measurement.fields import Validated

__all__ = ["Request", "validate_together"]

_ISO = "%Y-%m-%d"


@attrs.frozen
class Request:
    """What one measure's input asks of a table: the arguments of ``validate``."""

    fields: tuple[Field, ...]
    columns: Mapping[str, str] = attrs.field(factory=dict)
    keep: Mapping[str, str] = attrs.field(factory=dict)
    source: str | None = None
    location: str | None = None
    date_format: str | None = None


def is_polars(frame: Any) -> bool:
    """Whether *frame* is a native Polars frame, eager or lazy."""
    module = type(frame).__module__
    return module.startswith("polars") and hasattr(frame, "lazy")


def _present(request: Request, schema: Mapping[str, Any]) -> list[Field] | None:
    """The request's fields whose column *schema* has, when every column it reads is text.

    None when the fast path does not apply: a required column is missing (the generic path
    reports it) or a column is not text.
    """
    import polars as pl

    if ROW not in schema:
        return None
    present = []
    for field in request.fields:
        column = request.columns.get(field.name, field.name)
        if column not in schema:
            if field.required:
                return None
            continue  # an optional field the source lacks is left out, as validate does
        if schema[column] != pl.String:
            return None
        present.append(field)
    for column in request.keep.values():
        if column not in schema or schema[column] != pl.String:
            return None
    return present


def _narrowest(fields: Sequence[Field]) -> Any:
    """The narrowest integer type holding every value all of *fields* accept, else Int64."""
    import polars as pl

    lows = [f.minimum for f in fields]
    highs = [f.maximum for f in fields]
    if any(v is None for v in lows) or any(v is None for v in highs):
        return pl.Int64
    low, high = (
        min(float(v) for v in lows if v is not None),
        max(float(v) for v in highs if v is not None),
    )
    for dtype, bits in ((pl.Int8, 8), (pl.Int16, 16), (pl.Int32, 32)):
        if -(2 ** (bits - 1)) <= low and high < 2 ** (bits - 1):
            return dtype
    return pl.Int64


def _converted(kind: str, cell: pl.Expr, date_format: str | None) -> tuple[pl.Expr, pl.Expr]:
    """(the value, whether Polars' cast took a non-empty cell) for a text column."""
    import polars as pl

    from socialcouncil.measurement.fields import _ISO_DATE, _TRUE, date_shape

    if kind == "integer":
        value = cell.cast(pl.Int64, strict=False)
        return value, value.is_not_null()
    if kind == "number":
        value = cell.cast(pl.Float64, strict=False)
        return value, value.is_not_null() & value.is_finite()
    if kind == "date":
        fmt = date_format or _ISO
        pattern = date_shape(fmt)[0] if fmt != _ISO else _ISO_DATE.replace(r"(?:[T ].*)?", "")
        value = cell.str.to_date(fmt, strict=False)
        took = value.is_not_null() & cell.str.contains(pattern) & (value.dt.year() >= 1)
        return value, took
    if kind == "boolean":
        true, false = list(_TRUE), ["false", "no", "n", "0"]
        value = pl.when(cell.is_in(true)).then(True).when(cell.is_in(false)).then(False)
        return value, value.is_not_null()
    # Text is taken as it is, but for a cell that may be blank (only spaces, an empty cell):
    # one that is empty or starts with a space, which the generic path looks at.
    return cell, ~cell.str.contains(r"^(?:\s|$)")


def _in_range(value: pl.Expr, field: Field) -> pl.Expr:
    import polars as pl

    ok = pl.lit(value=True)
    if field.minimum is not None:
        ok &= value >= field.minimum
    if field.maximum is not None:
        ok &= value <= field.maximum
    if field.allowed is not None:
        ok &= value.is_in(list(field.allowed))
    return ok


def validate_together(frame: Any, requests: Sequence[Request]) -> list[tuple[Validated, bool]]:
    """Validate the native Polars *frame* for each of *requests*, reading it once.

    Returns, for each request in order, what
    :func:`~socialcouncil.measurement.fields.validate` gives for it, and whether its frame is
    already held in memory (the requests on the fast path share one collected table).
    """
    lazy: pl.LazyFrame = frame.lazy()
    schema = dict(lazy.collect_schema())
    results: list[tuple[Validated, bool] | None] = [None] * len(requests)
    fast: dict[int, list[Field]] = {}
    for index, request in enumerate(requests):
        present = _present(request, schema)
        if present is not None:
            fast[index] = present
    if fast:
        _fast(lazy, requests, fast, results)
    if len(fast) < len(requests):
        # A missing or typed column: the generic path says what it finds, on the table read
        # into memory once for all such requests.
        held = lazy.collect().lazy()
        for index, request in enumerate(requests):
            if index not in fast:
                results[index] = (_generic(held, request), False)
    return [r for r in results if r is not None]


def _generic(frame: Any, request: Request) -> Validated:
    from socialcouncil.measurement.fields import validate

    return validate(
        frame,
        request.fields,
        columns=request.columns,
        keep=request.keep,
        source=request.source,
        location=request.location,
        date_format=request.date_format,
    )


def _fast(
    lazy: pl.LazyFrame,
    requests: Sequence[Request],
    fast: Mapping[int, list[Field]],
    results: list[tuple[Validated, bool] | None],
) -> None:
    import narwhals as nw
    import polars as pl

    # The conversions: one per column and type (a date's per format), shared by requests.
    conversions: dict[tuple[str, str, str | None], list[Field]] = {}
    for index, present in fast.items():
        request = requests[index]
        for field in present:
            conversions.setdefault(_key(request, field), []).append(field)
        for column in request.keep.values():
            conversions.setdefault((column, "string", None), [])
    names = {key: f"__value{i}" for i, key in enumerate(conversions)}
    made: list[pl.Expr] = []
    flags: list[pl.Expr] = []
    for key, fields in conversions.items():
        column, kind, fmt = key
        cell = pl.col(column)
        value, took = _converted(kind, cell, fmt)
        # A cell the cast did not take, or whose value some request refuses, is flagged.
        refused = ~took
        for field in fields:
            refused |= ~_in_range(value, field).fill_null(value=False)
        flags.append(cell.is_not_null() & refused)
        # A flagged row's values are left behind: the generic path gives them.
        stored = value.cast(_narrowest(fields), strict=False) if kind == "integer" else value
        made.append(stored.alias(names[key]))
    texts = sorted({column for column, _, _ in conversions})
    flagged = pl.any_horizontal(flags).alias("__flagged")
    table = lazy.select(pl.col(ROW).cast(pl.Int64), *made, flagged).collect(engine="streaming")
    flagged_rows = table.filter(pl.col("__flagged"))[ROW]
    rows = table.select(ROW, *names.values())
    bad = table.clear().select(ROW)
    if flagged_rows.len():
        rows = table.filter(~pl.col("__flagged")).select(ROW, *names.values())
        # The flagged rows' text, as the source has it, for the generic path: only they are
        # looked at again, and only when there are any.
        bad = (
            lazy.filter(pl.col(ROW).is_in(flagged_rows.implode()))
            .select(pl.col(ROW).cast(pl.Int64), *texts)
            .collect()
            .sort(ROW)
        )
    del table
    for index, present in fast.items():
        request = requests[index]
        own_fields = {names[_key(request, field)]: field for field in present}
        kept = {names[(column, "string", None)]: name for name, column in request.keep.items()}
        own = rows.select(ROW, *dict.fromkeys([*own_fields, *kept]))
        problems: tuple[Any, ...] = ()
        bad_rows: frozenset[int] = frozenset()
        if bad.height:
            checked = _generic(bad, request)
            problems, bad_rows = checked.problems, checked.bad_rows
            good = nw.to_native(checked.frame.collect())
            # The flagged rows that are good after all (" 5", a date with a time), stored as
            # the others are, in the source's order.
            back = [
                pl.col(field.name).cast(own.schema[name]).alias(name)
                for name, field in own_fields.items()
            ]
            back += [pl.col(by).alias(name) for name, by in kept.items() if name not in own_fields]
            own = pl.concat([own, good.select(ROW, *back)]).sort(ROW)
        view = own.lazy().select(
            ROW,
            *(
                pl.col(names[_key(request, field)]).cast(_polars_type(field)).alias(field.name)
                for field in present
            ),
            *(
                pl.col(names[(column, "string", None)]).alias(name)
                for name, column in request.keep.items()
            ),
        )
        results[index] = (_validated(nw.from_native(view), problems, bad_rows), True)


def _key(request: Request, field: Field) -> tuple[str, str, str | None]:
    column = request.columns.get(field.name, field.name)
    return (column, field.type, request.date_format if field.type == "date" else None)


def _polars_type(field: Field) -> Any:
    """The Polars type a field converts to, as ``validate`` gives it."""
    import polars as pl

    types = {
        "integer": pl.Int64,
        "number": pl.Float64,
        "string": pl.String,
        "date": pl.Date,
        "boolean": pl.Boolean,
    }
    return types[field.type]


def _validated(frame: Any, problems: Any, bad_rows: frozenset[int]) -> Validated:
    from socialcouncil.measurement.fields import Validated

    return Validated(frame, tuple(problems), bad_rows)
