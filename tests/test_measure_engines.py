"""The runner on frames of other engines, and the built-in models on tables with no rows."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import polars as pl
import pytest

import socialcouncil
from socialcouncil import Council, Measure, Source
from socialcouncil.measurement import MeasurementContext
from socialcouncil.plugins import registry as default_registry

if TYPE_CHECKING:
    from socialcouncil.measurement.run import Measurement

ITEMS = {f"item{i}": f"Q{i}" for i in range(1, 8)}

# A survey as a CSV gives it (text, blanks as nulls), with one bad row (Q3 is 6).
SURVEY = (
    pl.DataFrame(
        {
            "Ward": ["North", "North", "South", "South", "South", "East", "East", "North"],
            **{
                column: ["3", "4", "5", None, "2", "1", "5", "4"] if column != "Q3" else None
                for column in ITEMS.values()
            },
            "Q3": ["3", "4", "6", "2", "2", None, "5", "1"],
            "Life satisfaction": ["7", "9", None, "10", "4", "0", "6", "8"],
            "Anxiety": ["1", None, "6", "3", "0", "10", "2", "5"],
            "Worthwhile": ["8", "8", "7", "6", "5", "4", "3", "2"],
            "Happiness": [None, "5", "5", "9", "9", "1", "0", "7"],
        }
    )
    .with_row_index("_row", offset=2)
    .with_columns(pl.col("_row").cast(pl.Int64))
)


def survey_council() -> Council:
    return Council(
        name="Anytown",
        sources=[Source(id="survey", type="csv", location="survey.csv")],
        measures=[
            Measure(
                id="wellbeing",
                name="Wellbeing",
                unit="metric score",
                model="swemwbs",
                source="survey",
                columns={**ITEMS, "ward": "Ward"},
                by=("ward",),
            ),
            Measure(
                id="personal",
                name="Personal wellbeing",
                unit="score",
                model="ons4",
                source="survey",
                columns={
                    "life-satisfaction": "Life satisfaction",
                    "worthwhile": "Worthwhile",
                    "happiness": "Happiness",
                    "anxiety": "Anxiety",
                },
                by=("Ward",),
            ),
        ],
    )


def figures(found: Measurement) -> dict[tuple[Any, ...], tuple[float, int | None]]:
    return {
        (r.measure, r.indicator, tuple(sorted(r.dimensions.items()))): (r.value, r.n)
        for r in found.results
    }


def assert_same(found: Measurement, expected: Measurement) -> None:
    ours, theirs = figures(found), figures(expected)
    assert ours.keys() == theirs.keys()
    for key, (value, n) in theirs.items():
        assert math.isclose(ours[key][0], value, rel_tol=1e-9, abs_tol=1e-12), key
        assert ours[key][1] == n, key


def test_measuring_a_pyspark_frame_gives_polars_figures_and_problems(spark: Any) -> None:
    council = survey_council()
    polars = socialcouncil.measure(council, frames={"survey": SURVEY}, skip_invalid=True)
    assert [(p.row, p.field) for p in polars.problems] == [(4, "Q3")]
    assert {r.dimensions.get("ward") for r in polars.for_measure("wellbeing")} >= {"North"}
    frame = spark.createDataFrame(SURVEY.to_arrow())
    found = socialcouncil.measure(council, frames={"survey": frame}, skip_invalid=True)
    assert found.problems == polars.problems
    assert found.results  # the figures really were computed on Spark
    assert_same(found, polars)


def test_measuring_a_lazy_polars_frame_equals_measuring_it_eagerly_and_in_pandas() -> None:
    council = survey_council()
    eager = socialcouncil.measure(council, frames={"survey": SURVEY}, skip_invalid=True)
    lazy = socialcouncil.measure(council, frames={"survey": SURVEY.lazy()}, skip_invalid=True)
    pandas = socialcouncil.measure(
        council, frames={"survey": SURVEY.to_pandas()}, skip_invalid=True
    )
    for other in (lazy, pandas):
        assert other.problems == eager.problems
        assert_same(other, eager)


EMPTY_INPUTS: dict[str, dict[str, Any]] = {
    "swemwbs": {**{f"item{i}": pl.Int64 for i in range(1, 8)}},
    "ons4": {"life-satisfaction": pl.Int64, "worthwhile": pl.Int64, "happiness": pl.Int64,
             "anxiety": pl.Int64},
    "timebank": {"giver": pl.String, "receiver": pl.String, "hours": pl.Float64,
                 "date": pl.Date},
    "engagement": {"person": pl.String, "activity": pl.String, "date": pl.Date},
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(EMPTY_INPUTS))
def test_over_no_rows_a_count_is_0_with_n_0_and_a_mean_has_no_figure(name: str) -> None:
    cls = default_registry().measurement_models[name]
    schema = {"_row": pl.Int64, **EMPTY_INPUTS[name]}
    table = pl.LazyFrame(schema=schema)
    context = MeasurementContext(council=Council(name="Anytown"), tables={"data": table})
    rows = cls().compute(context, []).to_dicts()
    kinds = {i.name: i.kind for i in cls.indicators}
    counts = sorted(name for name, kind in kinds.items() if kind == "count")
    assert {r["indicator"] for r in rows} == set(counts)
    assert all(r["value"] == 0 and r["n"] == 0 for r in rows)
    # By a key there are no groups, so no figures at all.
    keyed = pl.LazyFrame(schema={**schema, "ward": pl.String})
    context = MeasurementContext(council=Council(name="Anytown"), tables={"data": keyed})
    assert cls().compute(context, ["ward"]).height == 0
