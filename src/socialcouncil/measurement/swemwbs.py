"""The built-in ``swemwbs`` model: the Short Warwick-Edinburgh Mental Wellbeing Scale.

Seven items, each answered 1 to 5, are summed into a raw score from 7 to 35, which the published
Rasch conversion table (Stewart-Brown et al. 2009, *Health and Quality of Life Outcomes* 7:15)
turns into a metric score. The items are named only by number: their wording is licensed by
Warwick Medical School and is not part of socialcouncil.
"""

from __future__ import annotations

from statistics import NormalDist
from typing import TYPE_CHECKING, Any, ClassVar

from socialcouncil.hookspecs import hookimpl
from socialcouncil.measurement import Field, Indicator, Option
from socialcouncil.measurement import _frames as frames

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    import narwhals as nw

    from socialcouncil.measurement import MeasurementContext

__all__ = ["METRIC_SCORES", "Swemwbs", "register_measurement_models"]

METRIC_SCORES: Mapping[int, float] = {
    7: 7.00, 8: 9.51, 9: 11.25, 10: 12.40, 11: 13.33, 12: 14.08, 13: 14.75, 14: 15.32,
    15: 15.84, 16: 16.36, 17: 16.88, 18: 17.43, 19: 17.98, 20: 18.59, 21: 19.25, 22: 19.98,
    23: 20.73, 24: 21.54, 25: 22.35, 26: 23.21, 27: 24.11, 28: 25.03, 29: 26.02, 30: 27.03,
    31: 28.13, 32: 29.31, 33: 30.70, 34: 32.55, 35: 35.00,
}  # fmt: skip
"""The SWEMWBS raw score (the sum of the seven items, 7 to 35) -> its metric score."""

ITEMS = tuple(f"item{i}" for i in range(1, 8))
Z95 = NormalDist().inv_cdf(0.975)
"""The standard normal quantile of a two-sided 95% interval (1.95996...)."""


def weight_field() -> Field:
    """The optional survey-weight field the survey models share."""
    return Field(
        "weight",
        "number",
        required=False,
        description="The response's survey weight, greater than 0; 1 for every response if absent.",
    )


def date_field() -> Field:
    """The optional date field results are broken down into periods by."""
    return Field("date", "date", required=False, description="When the response was given.")


def weight_rules(context: MeasurementContext, input_name: str = "data") -> nw.LazyFrame[Any]:
    """Invalid rows for a survey weight that is given as a column but empty or not above 0."""
    import narwhals as nw

    frame = frames.table(context, input_name)
    if "weight" not in frames.columns(frame):
        return frames.no_invalid_rows(frame)
    weight = nw.col("weight")
    found = (
        nw.when(weight.is_null())
        .then(nw.lit("found an empty weight"))
        .otherwise(nw.concat_str([nw.lit("found "), weight.cast(nw.String)]))
    )
    message = nw.concat_str([found, nw.lit(", expected a survey weight greater than 0")])
    condition = weight.is_null() | (weight <= 0)
    return frames.invalid(frame, input_name, "weight", condition, message)


class Swemwbs:
    """Mean mental wellbeing on the SWEMWBS metric score, with its spread and 95% interval.

    Only complete responses (all seven items answered) are scored; a response with any item
    missing is counted in ``incomplete`` and nothing else. With a ``weight`` field, the mean and
    standard deviation are weighted (the standard deviation with the unbiased estimator for
    reliability weights, Σw(x-x̄)² / (Σw - Σw²/Σw)) and the interval uses Kish's effective
    sample size (Σw)² / Σw²; ``n`` is always the number of responses.

    >>> import polars as pl
    >>> from socialcouncil import Council
    >>> from socialcouncil.measurement import MeasurementContext
    >>> data = pl.LazyFrame({"_row": [2, 3], **{f"item{i}": [3, 5] for i in range(1, 8)}})
    >>> context = MeasurementContext(council=Council(name="Demo"), tables={"data": data})
    >>> out = Swemwbs().compute(context, [])
    >>> dict(out.select("indicator", "value").iter_rows())["mean-metric-score"]
    27.125
    """

    name: ClassVar[str] = "swemwbs"
    description: ClassVar[str] = (
        "Mental wellbeing on the Short Warwick-Edinburgh Mental Wellbeing Scale (metric score)."
    )
    inputs: ClassVar[Mapping[str, tuple[Field, ...]]] = {
        "data": (
            *(
                Field(
                    item,
                    "integer",
                    minimum=1,
                    maximum=5,
                    description=f"The answer to SWEMWBS item {item[4:]}, from 1 to 5.",
                )
                for item in ITEMS
            ),
            date_field(),
            weight_field(),
        )
    }
    options: ClassVar[tuple[Option, ...]] = ()
    indicators: ClassVar[tuple[Indicator, ...]] = (
        Indicator(
            "mean-metric-score",
            "mean",
            "metric score",
            people=True,
            description="The mean metric score of the complete responses (7 to 35).",
        ),
        Indicator(
            "sd-metric-score",
            "mean",
            "metric score",
            people=True,
            description="The sample standard deviation of the metric scores; needs 2 responses.",
        ),
        Indicator(
            "ci95-low",
            "mean",
            "metric score",
            people=True,
            description="The lower end of the mean's 95% confidence interval (normal).",
        ),
        Indicator(
            "ci95-high",
            "mean",
            "metric score",
            people=True,
            description="The upper end of the mean's 95% confidence interval (normal).",
        ),
        Indicator(
            "respondents",
            "count",
            "people",
            people=True,
            description="The complete responses, each with all seven items answered.",
        ),
        Indicator(
            "incomplete",
            "count",
            "people",
            people=True,
            description="The responses with at least one item unanswered, which are not scored.",
        ),
    )
    headline: ClassVar[str] = "mean-metric-score"

    def __init__(self, **options: object) -> None:
        frames.check_options(self.name, self.options, options)

    def invalid_rows(self, context: MeasurementContext) -> nw.LazyFrame[Any]:
        """Rows whose survey weight is empty or not above 0, when the weight field is given."""
        return weight_rules(context)

    def compute(self, context: MeasurementContext, keys: Sequence[str]) -> Any:
        """The figures for each combination of the *keys*' values, as a long Polars frame."""
        import narwhals as nw
        import polars as pl

        data = frames.table(context)
        weighted = "weight" in frames.columns(data)
        complete = nw.all_horizontal(*(~nw.col(i).is_null() for i in ITEMS), ignore_nulls=False)
        raw = nw.col(ITEMS[0])
        for item in ITEMS[1:]:
            raw = raw + nw.col(item)
        weight = nw.col("weight").cast(nw.Float64) if weighted else nw.lit(1.0, nw.Float64)
        # One pass on the engine: per group and raw score (0 for an incomplete response), the
        # responses and the sums of their weights and squared weights.
        prepared = data.with_columns(
            nw.when(complete).then(raw).otherwise(nw.lit(0)).cast(nw.Int64).alias("raw"),
            weight.alias("w"),
            (weight * weight).alias("w2"),
        )
        by_score = frames.collect(
            prepared.group_by(*keys, "raw").agg(
                nw.len().alias("count"), nw.col("w").sum().alias("sw"), nw.col("w2").sum()
            )
        )
        group = frames.finish_keys(keys)
        if not keys:
            by_score = by_score.with_columns(pl.lit(1).alias(frames.ALL))
        table = pl.DataFrame(
            {"raw": list(METRIC_SCORES), "metric": list(METRIC_SCORES.values())},
            schema={"raw": pl.Int64, "metric": pl.Float64},
        )
        scored = by_score.join(table, on="raw", how="left").with_columns(
            pl.col("count").cast(pl.Int64), pl.col("sw").cast(pl.Float64)
        )
        is_scored = pl.col("raw") > 0
        totals = scored.group_by(group, maintain_order=True).agg(
            pl.col("count").filter(is_scored).sum().alias("respondents"),
            pl.col("count").filter(~is_scored).sum().alias("incomplete"),
            pl.col("sw").filter(is_scored).sum().alias("sw"),
            pl.col("w2").filter(is_scored).sum().alias("sw2"),
            (pl.col("sw") * pl.col("metric")).filter(is_scored).sum().alias("swx"),
        )
        if not keys:
            # Over everything there is one figure of each count, 0 for a table of no rows.
            totals = (
                pl.select(pl.lit(1).alias(frames.ALL))
                .join(totals, on=frames.ALL, how="left")
                .with_columns(pl.col("respondents", "incomplete", "sw", "sw2", "swx").fill_null(0))
            )
        totals = totals.with_columns((pl.col("swx") / pl.col("sw")).alias("mean"))
        spread = (
            scored.filter(is_scored)
            .join(totals.select(*group, "mean"), on=group, how="left", nulls_equal=True)
            .group_by(group)
            .agg((pl.col("sw") * (pl.col("metric") - pl.col("mean")) ** 2).sum().alias("ss"))
        )
        totals = totals.join(spread, on=group, how="left", nulls_equal=True)
        n = pl.col("respondents")
        mean = pl.when(n > 0).then(pl.col("mean"))
        # Kish's effective n; equal to n when every weight is 1.
        n_eff = pl.col("sw") ** 2 / pl.col("sw2")
        variance = pl.when(n >= 2).then(
            pl.col("ss") / (pl.col("sw") - pl.col("sw2") / pl.col("sw"))
        )
        sd = variance.sqrt()
        half = Z95 * sd / n_eff.sqrt()
        parts = [
            frames.figures(totals, group, "mean-metric-score", mean, n),
            frames.figures(totals, group, "sd-metric-score", sd, n),
            frames.figures(totals, group, "ci95-low", mean - half, n),
            frames.figures(totals, group, "ci95-high", mean + half, n),
            frames.figures(totals, group, "respondents", n, n),
            frames.figures(totals, group, "incomplete", pl.col("incomplete"), pl.col("incomplete")),
        ]
        return frames.stack(parts, group, ()).drop(frames.ALL, strict=False)


@hookimpl
def register_measurement_models() -> list[type[Swemwbs]]:
    """Register the swemwbs model."""
    return [Swemwbs]
