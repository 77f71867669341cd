"""Small measurement models and a data source for the tests of measuring, as one plugin."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import narwhals as nw
import polars as pl

from socialcouncil import ROW, DataSourceError, Field, Indicator, Option, Problem, Table, hookimpl

if TYPE_CHECKING:
    import os
    from collections.abc import Iterator, Mapping, Sequence

    from socialcouncil import MeasurementContext


def _figures(frame: Any, keys: Sequence[str], **aggregates: nw.Expr) -> Any:
    """Aggregate over *keys* (or everything when there are none)."""
    if keys:
        return frame.group_by(*keys).agg(**aggregates)
    return frame.select(**aggregates)


def long(wide: Any, keys: Sequence[str], figures: Mapping[str, tuple[str, str]]) -> Any:
    """One row per figure: indicator -> (value column, n column) of *wide*."""
    parts = [
        wide.select(
            *keys,
            indicator=nw.lit(name),
            value=nw.col(value).cast(nw.Float64),
            n=nw.col(n).cast(nw.Int64),
        )
        for name, (value, n) in figures.items()
    ]
    return nw.concat(parts, how="vertical")


class MeanScore:
    """The mean score of the people who gave one, times the ``scale`` option."""

    name: ClassVar[str] = "mean-score"
    description: ClassVar[str] = "The mean of a score from 0 to 10."
    inputs: ClassVar[Mapping[str, tuple[Field, ...]]] = {
        "data": (
            Field("person", "string"),
            Field("score", "integer", minimum=0, maximum=10),
            Field("date", "date", required=False),
        )
    }
    options: ClassVar[tuple[Option, ...]] = (Option("scale", "Multiply the mean by this.", 1),)
    indicators: ClassVar[tuple[Indicator, ...]] = (
        Indicator("mean", "mean", "points", people=True),
        Indicator("respondents", "count", "people", people=True),
        Indicator("sd", "mean", "points", people=True),
    )
    headline: ClassVar[str] = "mean"

    def __init__(self, scale: float = 1) -> None:
        self.scale = scale

    def compute(self, context: MeasurementContext, keys: Sequence[str]) -> Any:
        answered = context.tables["data"].filter(~nw.col("score").is_null())
        wide = _figures(
            answered.with_columns(nw.col("score") * self.scale),
            keys,
            mean=nw.col("score").mean(),
            sd=nw.col("score").std(),
            people=nw.col("person").n_unique(),
        )
        found = long(wide, keys, {"mean": ("mean", "people"), "respondents": ("people", "people")})
        # The standard deviation of one response is undefined: no row.
        sd = long(wide.filter(nw.col("people") > 1), keys, {"sd": ("sd", "people")})
        return nw.concat([found, sd], how="vertical")


class Exchanges:
    """Exchanges between members, and members by group: two inputs and a row rule."""

    name: ClassVar[str] = "exchanges"
    description: ClassVar[str] = "Exchanges between members, and the members who made them."
    inputs: ClassVar[Mapping[str, tuple[Field, ...]]] = {
        "ledger": (Field("giver", "string"), Field("receiver", "string"), Field("date", "date")),
        "members": (Field("member", "string"), Field("group", "string")),
    }
    person_fields: ClassVar[Mapping[str, str]] = {"members": "member"}
    options: ClassVar[tuple[Option, ...]] = ()
    indicators: ClassVar[tuple[Indicator, ...]] = (
        Indicator("exchanges", "count", "exchanges", people=False),
        Indicator("members", "count", "people", people=True),
    )
    headline: ClassVar[str] = "exchanges"

    def __init__(self) -> None:
        pass

    def invalid_rows(self, context: MeasurementContext) -> Any:
        ledger = context.tables["ledger"]
        return ledger.filter(nw.col("giver") == nw.col("receiver")).select(
            ROW,
            input=nw.lit("ledger"),
            field=nw.lit("receiver"),
            message=nw.concat_str(
                [nw.lit("found "), nw.col("receiver"), nw.lit(", the giver; expected another")]
            ),
        )

    def compute(self, context: MeasurementContext, keys: Sequence[str]) -> Any:
        members = context.tables["members"]
        ledger = context.tables["ledger"]
        people_keys = [k for k in keys if k in members.collect_schema().names()]
        parts = []
        if len(people_keys) == len(keys):
            wide = _figures(members, keys, members=nw.col("member").n_unique())
            parts.append(long(wide, keys, {"members": ("members", "members")}))
        ledger_keys = [k for k in keys if k in ledger.collect_schema().names()]
        if len(ledger_keys) == len(keys):
            wide = _figures(ledger, keys, exchanges=nw.len())
            parts.append(long(wide, keys, {"exchanges": ("exchanges", "exchanges")}))
        if not parts:  # keys from both inputs at once: no figure stands on both
            return pl.DataFrame(schema={"indicator": pl.String, "value": pl.Float64, "n": pl.Int64})
        return nw.concat(parts, how="vertical")


class TextCsv:
    """A CSV file read as text, each row with its number: the header is row 1."""

    name: ClassVar[str] = "text-csv"
    description: ClassVar[str] = "A CSV file, every cell as text."
    options: ClassVar[Mapping[str, str]] = {"date_format": "How the file writes dates."}

    def __init__(self, location: str | os.PathLike[str], **options: object) -> None:
        self.path = Path(location)
        self.given = options

    def read(self) -> Table:
        if not self.path.exists():
            raise DataSourceError(str(self.path), [Problem("", "not found")])
        frame = pl.read_csv(self.path, infer_schema=False)
        frame = frame.with_row_index(ROW, offset=2).with_columns(pl.col(ROW).cast(pl.Int64))
        return Table(frame.lazy(), self.name, str(self.path))

    def records(self) -> Iterator[object]:
        """The protocol of version 1, which this registry may still look for."""
        yield from ()


def explode(self: object, context: MeasurementContext, keys: Sequence[str]) -> Any:
    """A compute that fails, as a model with a bug would."""
    raise ZeroDivisionError("division by zero")


@hookimpl
def register_measurement_models() -> list[type[Any]]:
    """Register the models."""
    return [MeanScore, Exchanges]


@hookimpl
def register_data_sources() -> list[type[Any]]:
    """Register the data source."""
    return [TextCsv]


PLUGIN = sys.modules[__name__]
"""This module, which is the plugin."""
