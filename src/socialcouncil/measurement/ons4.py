"""The built-in ``ons4`` model: the ONS's four personal wellbeing questions.

Life satisfaction, feeling that what one does is worthwhile, happiness yesterday and anxiety
yesterday, each answered 0 to 10, summarised as the Office for National Statistics publishes
them: a mean and the share of answers in each of its bands (Crown copyright, Open Government
Licence).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from socialcouncil.hookspecs import hookimpl
from socialcouncil.measurement import Field, Indicator, Option
from socialcouncil.measurement import _frames as frames
from socialcouncil.measurement.swemwbs import date_field, weight_field, weight_rules

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    import narwhals as nw

    from socialcouncil.measurement import MeasurementContext

__all__ = ["BANDS", "Ons4", "register_measurement_models"]

POSITIVE_BANDS = (("low", 0, 4), ("medium", 5, 6), ("high", 7, 8), ("very-high", 9, 10))
ANXIETY_BANDS = (("very-low", 0, 1), ("low", 2, 3), ("medium", 4, 5), ("high", 6, 10))

BANDS: Mapping[str, tuple[tuple[str, int, int], ...]] = {
    "life-satisfaction": POSITIVE_BANDS,
    "worthwhile": POSITIVE_BANDS,
    "happiness": POSITIVE_BANDS,
    "anxiety": ANXIETY_BANDS,
}
"""Each ONS4 item -> its bands as (band, lowest answer, highest answer), as the ONS draws them.

Anxiety's bands differ because a lower answer is the better one.
"""

_QUESTIONS = {
    "life-satisfaction": "How satisfied the person is with their life nowadays",
    "worthwhile": "How far the person feels the things they do in life are worthwhile",
    "happiness": "How happy the person felt yesterday",
    "anxiety": "How anxious the person felt yesterday",
}


class Ons4:
    """The mean answer to each ONS4 question and the share of answers in each ONS band.

    Each question may be left unanswered independently: a missing answer leaves the person out
    of that question's figures only, so each question has its own ``respondents``. With a
    ``weight`` field, means and shares are weighted; ``n`` is always the number of answers.
    Every band appears, with 0 where no answer falls in it.

    >>> import polars as pl
    >>> from socialcouncil import Council
    >>> from socialcouncil.measurement import MeasurementContext
    >>> data = pl.LazyFrame({"_row": [2, 3, 4], "life-satisfaction": [7, 9, None],
    ...     "worthwhile": [8, 8, 6], "happiness": [5, None, None], "anxiety": [1, 6, 2]})
    >>> context = MeasurementContext(council=Council(name="Demo"), tables={"data": data})
    >>> out = Ons4().compute(context, []).filter(indicator="mean")
    >>> sorted(out.select("item", "value", "n").iter_rows())  # doctest: +NORMALIZE_WHITESPACE
    [('anxiety', 3.0, 3), ('happiness', 5.0, 1), ('life-satisfaction', 8.0, 2),
     ('worthwhile', 7.333333333333333, 3)]
    """

    name: ClassVar[str] = "ons4"
    description: ClassVar[str] = (
        "Personal wellbeing on the ONS's four questions: means and shares in the ONS bands."
    )
    inputs: ClassVar[Mapping[str, tuple[Field, ...]]] = {
        "data": (
            *(
                Field(item, "integer", minimum=0, maximum=10, description=f"{text}, 0 to 10.")
                for item, text in _QUESTIONS.items()
            ),
            date_field(),
            weight_field(),
        )
    }
    options: ClassVar[tuple[Option, ...]] = ()
    indicators: ClassVar[tuple[Indicator, ...]] = (
        Indicator(
            "mean",
            "mean",
            "score (0-10)",
            people=True,
            description="The mean answer to the question (dimension item).",
        ),
        Indicator(
            "respondents",
            "count",
            "people",
            people=True,
            description="The people who answered the question (dimension item).",
        ),
        Indicator(
            "band-share",
            "percent",
            "percent",
            people=True,
            description="The percentage of answers in each ONS band (dimensions item and band).",
        ),
    )
    headline: ClassVar[str] = "mean"

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
        weight = nw.col("weight").cast(nw.Float64) if weighted else nw.lit(1.0, nw.Float64)
        group = frames.finish_keys(keys)
        # The groups there are (one over everything, even with no rows), then, on the engine,
        # for each question and group, the answers and their weight by answer: small frames
        # the figures are finished from.
        groups = frames.collect(frames.aggregate(data, keys, nw.len().alias("rows")))
        if not keys:
            groups = groups.with_columns(pl.lit(1).alias(frames.ALL))
        groups = groups.select(group)
        parts: list[pl.DataFrame] = []
        for item, bands in BANDS.items():
            answers = frames.collect(
                data.filter(~nw.col(item).is_null())
                .with_columns(weight.alias("w"), nw.col(item).cast(nw.Int64).alias("answer"))
                .group_by(*keys, "answer")
                .agg(nw.len().alias("count"), nw.col("w").sum().alias("sw"))
            )
            if not keys:
                answers = answers.with_columns(pl.lit(1).alias(frames.ALL))
            answer, sw = pl.col("answer"), pl.col("sw").cast(pl.Float64)
            sums = answers.group_by(group).agg(
                pl.col("count").sum().alias("count"),
                sw.sum().alias("sw"),
                (sw * answer.cast(pl.Float64)).sum().alias("swx"),
                *(
                    sw.filter((answer >= low) & (answer <= high)).sum().alias(f"band|{band}")
                    for band, low, high in bands
                ),
            )
            totals = groups.join(sums, on=group, how="left", nulls_equal=True).with_columns(
                pl.col("count", "sw", "swx", *(f"band|{b}" for b, _, _ in bands)).fill_null(0)
            )
            n = pl.col("count").cast(pl.Int64)
            dims = {"item": pl.lit(item)}
            mean = pl.when(n > 0).then(pl.col("swx") / pl.col("sw"))
            parts.append(frames.figures(totals, group, "mean", mean, n, dims))
            parts.append(frames.figures(totals, group, "respondents", n, n, dims))
            for band, _, _ in bands:
                share = pl.when(n > 0).then(100 * pl.col(f"band|{band}") / pl.col("sw"))
                band_dims = {**dims, "band": pl.lit(band)}
                parts.append(frames.figures(totals, group, "band-share", share, n, band_dims))
        return frames.stack(parts, group, ("item", "band")).drop(frames.ALL, strict=False)


@hookimpl
def register_measurement_models() -> list[type[Ons4]]:
    """Register the ons4 model."""
    return [Ons4]
