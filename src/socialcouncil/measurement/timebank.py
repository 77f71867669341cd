"""The built-in ``timebank`` model: exchanges, reciprocity and inequality in a timebank ledger.

A timebank's ledger records each exchange once: who gave time, who received it, how many hours
and when. No standard formula for a timebank's reciprocity is published; the indicators here are
derived measures, defined below.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from socialcouncil.hookspecs import hookimpl
from socialcouncil.measurement import Field, Indicator, Option
from socialcouncil.measurement import _frames as frames

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    import narwhals as nw
    import polars as pl

    from socialcouncil.measurement import MeasurementContext

__all__ = ["Timebank", "gini", "register_measurement_models"]


def gini(values: pl.Expr) -> pl.Expr:
    """The population Gini coefficient of *values*: Σᵢ Σⱼ |xᵢ - xⱼ| / (2 n² μ), as Polars.

    Computed from the sorted values as Σᵢ (2i - n - 1) x₍ᵢ₎ / (n Σx), which is the same sum;
    0 when every value is 0.
    """
    import polars as pl

    x = values.sort()
    n = x.len()
    i = pl.int_range(1, n + 1, dtype=pl.Int64)
    total = x.sum()
    return pl.when(total > 0).then(((2 * i - n - 1) * x).sum() / (n * total)).otherwise(0.0)


class Timebank:
    """Exchanges, hours and reciprocity among a timebank's active members.

    An active member gave or received time at least once (in the period, for figures by period).
    ``reciprocity`` is the percentage of active members who both gave and received;
    ``gini-hours-given`` is the population Gini coefficient of the hours each active member
    gave (0 for those who only received), from 0 (all gave alike) towards 1 (one gave all).
    An exchange whose giver is its receiver, whose hours are not above 0, or which lacks a
    giver, receiver or hours, is an invalid row.

    >>> import polars as pl
    >>> from socialcouncil import Council
    >>> from socialcouncil.measurement import MeasurementContext
    >>> ledger = pl.LazyFrame({"_row": [2, 3, 4], "giver": ["ann", "bob", "ann"],
    ...     "receiver": ["bob", "ann", "cat"], "hours": [1.0, 2.0, 1.5]})
    >>> context = MeasurementContext(council=Council(name="Demo"), tables={"data": ledger})
    >>> out = Timebank().compute(context, [])
    >>> dict(out.select("indicator", "value").iter_rows())["reciprocity"]
    66.66666666666667
    """

    name: ClassVar[str] = "timebank"
    description: ClassVar[str] = (
        "Exchanges, hours, reciprocity and inequality of giving in a timebank ledger."
    )
    inputs: ClassVar[Mapping[str, tuple[Field, ...]]] = {
        "data": (
            Field("giver", "string", description="The member who gave the time."),
            Field("receiver", "string", description="The member who received it."),
            Field("hours", "number", description="The hours given, more than 0."),
            Field("date", "date", description="When the exchange took place."),
        )
    }
    options: ClassVar[tuple[Option, ...]] = ()
    indicators: ClassVar[tuple[Indicator, ...]] = (
        Indicator("exchanges", "count", "exchanges", people=False, description="The exchanges."),
        Indicator("hours", "count", "hours", people=False, description="The hours exchanged."),
        Indicator(
            "active-members",
            "count",
            "people",
            people=True,
            description="The members who gave or received time.",
        ),
        Indicator(
            "reciprocity",
            "percent",
            "percent",
            people=True,
            description="The percentage of active members who both gave and received time.",
        ),
        Indicator(
            "gini-hours-given",
            "index",
            "Gini coefficient",
            people=True,
            description="The population Gini coefficient of the hours active members gave.",
        ),
        Indicator(
            "pairs",
            "count",
            "pairs",
            people=False,
            description="The distinct pairs of members who exchanged, either way round.",
        ),
    )
    headline: ClassVar[str] = "reciprocity"

    def __init__(self, **options: object) -> None:
        frames.check_options(self.name, self.options, options)

    def invalid_rows(self, context: MeasurementContext) -> nw.LazyFrame[Any]:
        """Exchanges without a giver, receiver or hours; with one member; with hours not > 0."""
        import narwhals as nw

        ledger = frames.table(context)
        giver, receiver, hours = nw.col("giver"), nw.col("receiver"), nw.col("hours")
        rules = [
            frames.invalid(
                ledger,
                "data",
                field,
                nw.col(field).is_null(),
                nw.lit(f"found an empty cell, expected {expected}"),
            )
            for field, expected in (
                ("giver", "the member who gave the time"),
                ("receiver", "the member who received it"),
                ("hours", "the hours given, more than 0"),
            )
        ]
        rules.append(
            frames.invalid(
                ledger,
                "data",
                "receiver",
                giver == receiver,
                nw.concat_str(
                    [
                        nw.lit("found "),
                        frames.shown(receiver),
                        nw.lit(", the giver too, expected a member other than the giver"),
                    ]
                ),
            )
        )
        rules.append(
            frames.invalid(
                ledger,
                "data",
                "hours",
                hours <= 0,
                nw.concat_str(
                    [nw.lit("found "), hours.cast(nw.String), nw.lit(", expected more than 0")]
                ),
            )
        )
        return nw.concat(rules, how="vertical")

    def compute(self, context: MeasurementContext, keys: Sequence[str]) -> Any:
        """The figures for each combination of the *keys*' values, as a long Polars frame."""
        import narwhals as nw
        import polars as pl

        ledger = frames.table(context)
        giver, receiver = nw.col("giver"), nw.col("receiver")
        group = frames.finish_keys(keys)
        counts = frames.collect(
            frames.aggregate(
                ledger.with_columns(nw.col("hours").cast(nw.Float64)),
                keys,
                nw.len().alias("exchanges"),
                nw.col("hours").sum(),
            )
        )
        pairs = ledger.select(
            *keys,
            nw.when(giver < receiver).then(giver).otherwise(receiver).alias("low"),
            nw.when(giver < receiver).then(receiver).otherwise(giver).alias("high"),
        ).unique()
        pair_counts = frames.collect(frames.aggregate(pairs, keys, nw.len().alias("pairs")))
        # Per member (a small intermediate): the hours they gave and whether they gave and
        # received, from the ledger seen from both sides.
        sides = nw.concat(
            [
                ledger.select(
                    *keys,
                    giver.alias("member"),
                    nw.col("hours").cast(nw.Float64).alias("given"),
                    nw.lit(1, nw.Int64).alias("gave"),
                    nw.lit(0, nw.Int64).alias("received"),
                ),
                ledger.select(
                    *keys,
                    receiver.alias("member"),
                    nw.lit(0.0, nw.Float64).alias("given"),
                    nw.lit(0, nw.Int64).alias("gave"),
                    nw.lit(1, nw.Int64).alias("received"),
                ),
            ],
            how="vertical",
        )
        members = frames.collect(
            sides.group_by(*keys, "member").agg(
                nw.col("given").sum(), nw.col("gave").max(), nw.col("received").max()
            )
        )
        if not keys:
            counts = counts.with_columns(pl.lit(1).alias(frames.ALL))
            pair_counts = pair_counts.with_columns(pl.lit(1).alias(frames.ALL))
            members = members.with_columns(pl.lit(1).alias(frames.ALL))
        by_member = members.group_by(group).agg(
            pl.len().alias("active"),
            ((pl.col("gave") == 1) & (pl.col("received") == 1)).sum().alias("both"),
            gini(pl.col("given")).alias("gini"),
        )
        totals = (
            counts.join(pair_counts, on=group, how="left", nulls_equal=True)
            .join(by_member, on=group, how="left", nulls_equal=True)
            .with_columns(pl.col("exchanges", "pairs", "active", "both").fill_null(0))
        )
        exchanges, active = pl.col("exchanges"), pl.col("active")
        parts = [
            frames.figures(totals, group, "exchanges", exchanges, exchanges),
            frames.figures(totals, group, "hours", pl.col("hours").fill_null(0.0), exchanges),
            frames.figures(totals, group, "active-members", active, active),
            frames.figures(
                totals,
                group,
                "reciprocity",
                pl.when(active > 0).then(100 * pl.col("both") / active),
                active,
            ),
            frames.figures(
                totals, group, "gini-hours-given", pl.when(active > 0).then("gini"), active
            ),
            frames.figures(totals, group, "pairs", pl.col("pairs"), exchanges),
        ]
        return frames.stack(parts, group, ()).drop(frames.ALL, strict=False)


@hookimpl
def register_measurement_models() -> list[type[Timebank]]:
    """Register the timebank model."""
    return [Timebank]
