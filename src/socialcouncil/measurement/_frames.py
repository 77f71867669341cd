"""What the built-in measurement models share: reading their tables, grouping, collecting.

The models do their heavy work (filtering, joining, grouping) on whatever engine their tables
are on, through Narwhals, and collect only small intermediates (counts per group and score,
per-person aggregates, distinct pairs) into Polars to finish. Group-by aggregations are kept
elementary (a column's sum, max or count of distinct values, or the group's length): derived
columns are made first, with ``with_columns``, because not every engine can aggregate an
expression correctly.

Every function here imports Narwhals and Polars when called, never when the module is imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from socialcouncil.model import InvalidValueError

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    import narwhals as nw
    import polars as pl

    from socialcouncil.measurement import MeasurementContext, Option

__all__ = [
    "ALL",
    "OUTPUT",
    "aggregate",
    "check_options",
    "collect",
    "columns",
    "figures",
    "finish_keys",
    "invalid",
    "no_invalid_rows",
    "shown",
    "stack",
    "table",
]

ALL = "__all__"
"""The constant column models group by when they are given no keys."""

OUTPUT = ("indicator", "value", "n")
"""The columns of a model's long frame after the keys, before its dimension columns."""


def check_options(model: str, declared: Sequence[Option], given: Mapping[str, object]) -> None:
    """Raise InvalidValueError when *given* holds an option *model* does not take."""
    known = {option.name for option in declared}
    for name, value in given.items():
        if name not in known:
            choices = ", ".join(sorted(known)) or "none"
            raise InvalidValueError(name, value, f"an option of {model} ({choices})")


def table(context: MeasurementContext, name: str = "data") -> nw.LazyFrame[Any]:
    """The context's input *name* as a Narwhals lazy frame, whatever frame it was given as."""
    import narwhals as nw

    frame = nw.from_native(context.tables[name])
    return frame.lazy() if isinstance(frame, nw.DataFrame) else frame


def columns(frame: nw.LazyFrame[Any]) -> list[str]:
    """The names of *frame*'s columns."""
    return frame.collect_schema().names()


def aggregate(
    frame: nw.LazyFrame[Any], keys: Sequence[str], *aggregations: nw.Expr
) -> nw.LazyFrame[Any]:
    """*frame* grouped by *keys* with *aggregations*; one row for every row when no keys.

    With no keys the one row is there even when *frame* has no rows (sums may then be null).
    """
    if keys:
        return frame.group_by(*keys).agg(*aggregations)
    return frame.select(*aggregations)


def collect(frame: nw.LazyFrame[Any]) -> pl.DataFrame:
    """*frame* computed on its engine and brought into Polars (keep it small)."""
    result: pl.DataFrame = frame.collect(backend="polars").to_native()
    return result


def finish_keys(keys: Sequence[str]) -> list[str]:
    """The columns to group a collected Polars frame by: *keys*, or the constant column."""
    return list(keys) if keys else [ALL]


def figures(  # noqa: PLR0917  # reads as the long frame's columns, in order
    frame: pl.DataFrame,
    keys: Sequence[str],
    indicator: str,
    value: pl.Expr,
    n: pl.Expr,
    dimensions: Mapping[str, pl.Expr] | None = None,
) -> pl.DataFrame:
    """Rows of the long frame for *indicator*: *value* and *n* computed on *frame*'s rows.

    *frame* holds one row per figure, with the key columns (or the constant column when there
    are no keys); rows whose value is null or not a number (an undefined figure) are left out.
    """
    import polars as pl

    dims = dict(dimensions or {})
    out = frame.select(
        *keys,
        pl.lit(indicator, dtype=pl.String).alias("indicator"),
        value.cast(pl.Float64).alias("value"),
        n.cast(pl.Int64).alias("n"),
        *(expr.cast(pl.String).alias(name) for name, expr in dims.items()),
    )
    return out.filter(pl.col("value").is_not_null() & pl.col("value").is_finite())


def stack(parts: Sequence[pl.DataFrame], keys: Sequence[str], dims: Sequence[str]) -> pl.DataFrame:
    """The long frame made of *parts*: keys, indicator, value, n, then every dimension column.

    A part without one of the dimension columns has it null.
    """
    import polars as pl

    order = [*keys, *OUTPUT, *dims]
    filled = [
        part.with_columns(
            pl.lit(None, dtype=pl.String).alias(d) for d in dims if d not in part.columns
        ).select(order)
        for part in parts
    ]
    if not filled:
        return pl.DataFrame(schema=dict.fromkeys(order, pl.String)).with_columns(
            pl.col("value").cast(pl.Float64), pl.col("n").cast(pl.Int64)
        )
    return pl.concat(filled, how="vertical_relaxed")


def invalid(
    frame: nw.LazyFrame[Any],
    input_name: str,
    field: str,
    condition: nw.Expr | None,
    message: nw.Expr,
) -> nw.LazyFrame[Any]:
    """The rows of *frame* where *condition* holds (every row for None), as invalid rows.

    The rows are reported as breaking a rule about *input_name*'s *field*, with *message*.
    """
    import narwhals as nw

    from socialcouncil.sources import ROW

    rows = frame if condition is None else frame.filter(condition)
    return rows.select(
        nw.col(ROW).cast(nw.Int64),
        nw.lit(input_name, dtype=nw.String).alias("input"),
        nw.lit(field, dtype=nw.String).alias("field"),
        message.cast(nw.String).alias("message"),
    )


def no_invalid_rows(frame: nw.LazyFrame[Any]) -> nw.LazyFrame[Any]:
    """An empty frame of invalid rows, on *frame*'s engine."""
    import narwhals as nw

    from socialcouncil.sources import ROW

    # Row numbers are never below 1, so this keeps no row, on every engine.
    return invalid(frame, "", "", nw.col(ROW) < 0, nw.lit(""))


def shown(expr: nw.Expr) -> nw.Expr:
    """*expr* as text for a message: quoted, as the core's messages quote what was found."""
    import narwhals as nw

    return nw.concat_str([nw.lit("'"), expr.cast(nw.String), nw.lit("'")])
