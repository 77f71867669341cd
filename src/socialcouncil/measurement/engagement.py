"""The built-in ``engagement`` model: breadth, depth and repeat engagement in activities.

Attendance records (who took part in which activity, when, and optionally at which level of a
continuum of relationship with the public) answer three questions about engagement: how many
people it reaches, how many come back for more than one activity, and how deep their
involvement goes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from socialcouncil.hookspecs import hookimpl
from socialcouncil.measurement import Field, Indicator, Option
from socialcouncil.measurement import _frames as frames
from socialcouncil.model import InvalidValueError, UnknownIdError

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    import narwhals as nw

    from socialcouncil.measurement import MeasurementContext
    from socialcouncil.model import Continuum

__all__ = ["Engagement", "register_measurement_models"]


class Engagement:
    """People reached, activities, repeat engagement and the depth people reached.

    ``repeat-share`` is the percentage of people who took part in two or more distinct
    activities. ``depth`` is, for each level of the continuum named in the ``continuum`` option,
    the percentage of people whose highest level reached is that level, among the people with a
    level recorded at least once (records without a level count towards every other
    indicator). ``reach-per-1000`` is people per 1,000 of the ``population`` option; as that
    is the whole area's population, it is given overall and per period, not per ``by`` group.
    An attendance record without a person or an activity, or with a level the continuum does
    not have, is an invalid row.

    >>> import polars as pl
    >>> from socialcouncil import Council
    >>> from socialcouncil.measurement import MeasurementContext
    >>> log = pl.LazyFrame({"_row": [2, 3, 4], "person": ["ann", "ann", "bob"],
    ...     "activity": ["lunch", "garden", "lunch"]})
    >>> context = MeasurementContext(council=Council(name="Demo"), tables={"data": log})
    >>> out = Engagement(population=2000).compute(context, [])
    >>> dict(out.select("indicator", "value").iter_rows())["repeat-share"]
    50.0
    """

    name: ClassVar[str] = "engagement"
    description: ClassVar[str] = (
        "Breadth, depth and repeat engagement of people in a council's activities."
    )
    inputs: ClassVar[Mapping[str, tuple[Field, ...]]] = {
        "data": (
            Field("person", "string", description="The person who took part."),
            Field("activity", "string", description="The activity they took part in."),
            Field("date", "date", description="When they took part."),
            Field(
                "level",
                "string",
                required=False,
                description="The level of the continuum the activity engaged them at.",
            ),
        )
    }
    options: ClassVar[tuple[Option, ...]] = (
        Option("continuum", "The id of the continuum whose levels the level field names."),
        Option("population", "The number of people in the area, for reach-per-1000."),
    )
    indicators: ClassVar[tuple[Indicator, ...]] = (
        Indicator(
            "people", "count", "people", people=True, description="The people who took part."
        ),
        Indicator(
            "activities",
            "count",
            "activities",
            people=False,
            description="The distinct activities people took part in.",
        ),
        Indicator(
            "repeat-share",
            "percent",
            "percent",
            people=True,
            description="The percentage of people in two or more distinct activities.",
        ),
        Indicator(
            "depth",
            "percent",
            "percent",
            people=True,
            description=(
                "The percentage of people by the highest level they reached (dimension level)."
            ),
        ),
        Indicator(
            "reach-per-1000",
            "index",
            "people per 1,000",
            people=True,
            description="The people who took part per 1,000 of the population.",
        ),
    )
    headline: ClassVar[str] = "people"

    def __init__(self, **options: object) -> None:
        frames.check_options(self.name, self.options, options)
        continuum = options.get("continuum")
        if continuum is not None and not isinstance(continuum, str):
            raise InvalidValueError("continuum", continuum, "the id of a continuum")
        population = options.get("population")
        if population is not None and (
            isinstance(population, bool)
            or not isinstance(population, (int, float))
            or not population > 0
        ):
            raise InvalidValueError("population", population, "a number of people above 0")
        self.continuum: str | None = continuum
        self.population: float | None = None if population is None else float(population)

    def _levels(self, context: MeasurementContext) -> Continuum | None:
        """The continuum the level field names levels of; None when there is no level field."""
        if "level" not in frames.columns(frames.table(context)):
            return None
        if self.continuum is None:
            raise InvalidValueError(
                "continuum", None, "the id of the continuum the level field names levels of"
            )
        found = context.continua.get(self.continuum)
        if found is None:
            raise UnknownIdError("continuum", self.continuum, tuple(context.continua))
        return found

    def invalid_rows(self, context: MeasurementContext) -> nw.LazyFrame[Any]:
        """Records without a person or activity, or with a level the continuum does not have."""
        import narwhals as nw

        log = frames.table(context)
        rules = [
            frames.invalid(
                log,
                "data",
                field,
                nw.col(field).is_null(),
                nw.lit(f"found an empty cell, expected {expected}"),
            )
            for field, expected in (
                ("person", "the person who took part"),
                ("activity", "the activity they took part in"),
            )
        ]
        continuum = self._levels(context)
        if continuum is not None:
            level = nw.col("level")
            choices = ", ".join(continuum.level_ids)
            rules.append(
                frames.invalid(
                    log,
                    "data",
                    "level",
                    ~level.is_null() & ~level.is_in(list(continuum.level_ids)),
                    nw.concat_str(
                        [
                            nw.lit("found "),
                            frames.shown(level),
                            nw.lit(f", expected a level of {continuum.id} ({choices})"),
                        ]
                    ),
                )
            )
        return nw.concat(rules, how="vertical")

    def compute(self, context: MeasurementContext, keys: Sequence[str]) -> Any:
        """The figures for each combination of the *keys*' values, as a long Polars frame."""
        import narwhals as nw
        import polars as pl

        log = frames.table(context)
        continuum = self._levels(context)
        group = frames.finish_keys(keys)
        # -1 for a record without a level: lower than every level, so max() ignores it.
        rank = nw.lit(-1)
        if continuum is not None:
            for position, level_id in enumerate(continuum.level_ids):
                rank = nw.when(nw.col("level") == level_id).then(nw.lit(position)).otherwise(rank)
        records = frames.collect(
            frames.aggregate(log, keys, nw.len().alias("records"), nw.col("activity").n_unique())
        )
        # Per person (a small intermediate): distinct activities and the highest level reached.
        per_person = (
            log.with_columns(rank.cast(nw.Int64).alias("rank"))
            .group_by(*keys, "person")
            .agg(nw.col("activity").n_unique().alias("taken"), nw.col("rank").max())
        )
        people = frames.collect(per_person.select(*keys, "taken", "rank")).with_columns(
            pl.when(pl.col("rank") >= 0).then(pl.col("rank")).alias("rank")
        )
        if not keys:
            records = records.with_columns(pl.lit(1).alias(frames.ALL))
            people = people.with_columns(pl.lit(1).alias(frames.ALL))
        totals = records.join(
            people.group_by(group).agg(
                pl.len().alias("people"),
                (pl.col("taken") >= 2).sum().alias("repeat"),
                pl.col("rank").is_not_null().sum().alias("levelled"),
            ),
            on=group,
            how="left",
            nulls_equal=True,
        ).with_columns(pl.col("people", "repeat", "levelled").fill_null(0))
        n = pl.col("people")
        parts = [
            frames.figures(totals, group, "people", n, n),
            frames.figures(totals, group, "activities", pl.col("activity"), pl.col("records")),
            frames.figures(
                totals, group, "repeat-share", pl.when(n > 0).then(100 * pl.col("repeat") / n), n
            ),
        ]
        if self.population is not None and set(keys) <= {"period"}:
            reach = 1000 * n / self.population
            parts.append(frames.figures(totals, group, "reach-per-1000", reach, n))
        if continuum is not None:
            levels = pl.DataFrame(
                {"rank": range(len(continuum.level_ids)), "level": continuum.level_ids},
                schema={"rank": pl.Int64, "level": pl.String},
            )
            reached = (
                people.filter(pl.col("rank").is_not_null())
                .group_by(*group, "rank")
                .agg(pl.len().alias("reached"))
            )
            grid = totals.select(*group, "levelled").join(levels, how="cross")
            depth = grid.join(reached, on=[*group, "rank"], how="left", nulls_equal=True)
            share = pl.when(pl.col("levelled") > 0).then(
                100 * pl.col("reached").fill_null(0) / pl.col("levelled")
            )
            parts.append(
                frames.figures(
                    depth, group, "depth", share, pl.col("levelled"), {"level": pl.col("level")}
                )
            )
        return frames.stack(parts, group, ("level",)).drop(frames.ALL, strict=False)


@hookimpl
def register_measurement_models() -> list[type[Engagement]]:
    """Register the engagement model."""
    return [Engagement]
