"""Every built-in model gives Polars' figures on pandas, PyArrow, DuckDB and PySpark.

Each model runs on a fixed, seeded fixture, overall and by its keys, with its tables on each
engine as Narwhals frames; the figures must equal those on Polars within a relative 1e-9.
PySpark runs in local mode in one session for the whole test run (the ``spark`` fixture).
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

import duckdb
import narwhals as nw
import polars as pl
import pyarrow as pa  # type: ignore[import-untyped]
import pytest

from socialcouncil.measurement.engagement import Engagement
from socialcouncil.measurement.networks import Networks
from socialcouncil.measurement.ons4 import Ons4
from socialcouncil.measurement.swemwbs import Swemwbs
from socialcouncil.measurement.timebank import Timebank
from tests.models import figures, frame, same

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

WARDS = ["Elmdon", "Kingshurst", "Shirley East", "Smith's Wood"]
PERIODS = ["2025-Q1", "2025-Q2", "2025-Q3"]
LEVELS = ["inform", "consult", "involve", "collaborate", "empower"]

Tables = dict[str, pl.LazyFrame]


def survey(seed: int = 7, size: int = 300) -> Tables:
    rng = random.Random(seed)  # noqa: S311  # seeded fixture data, not secrets

    def answer(low: int, high: int) -> int | None:
        return None if rng.random() < 0.05 else rng.randint(low, high)

    rows = [
        {
            **{f"item{i}": answer(1, 5) for i in range(1, 8)},
            **{q: answer(0, 10) for q in ("life-satisfaction", "worthwhile", "happiness")},
            "anxiety": answer(0, 10),
            "weight": rng.uniform(0.3, 3.0),
            "ward": rng.choice(WARDS),
            "period": rng.choice(PERIODS),
        }
        for _ in range(size)
    ]
    schema = {
        **{f"item{i}": pl.Int64 for i in range(1, 8)},
        **dict.fromkeys(("life-satisfaction", "worthwhile", "happiness", "anxiety"), pl.Int64),
        "weight": pl.Float64,
        "ward": pl.String,
        "period": pl.String,
    }
    return {"data": frame(rows, schema)}


def ledger(seed: int = 11, size: int = 300) -> Tables:
    rng = random.Random(seed)  # noqa: S311  # seeded fixture data, not secrets
    members = [f"m{i:02}" for i in range(40)]
    rows = []
    for _ in range(size):
        giver, receiver = rng.sample(members, 2)
        rows.append(
            {
                "giver": giver,
                "receiver": receiver,
                "hours": rng.choice([0.5, 1.0, 1.5, 2.0, 2.5, 4.0]) * rng.uniform(0.9, 1.1),
                "period": rng.choice(PERIODS),
            }
        )
    schema = {"giver": pl.String, "receiver": pl.String, "hours": pl.Float64, "period": pl.String}
    return {"data": frame(rows, schema)}


def network(seed: int = 13) -> Tables:
    rng = random.Random(seed)  # noqa: S311  # seeded fixture data, not secrets
    names = [f"p{i:03}" for i in range(80)]
    people = [
        {
            "person": name,
            "group": rng.choice(["north", "south", "east", "west"]),
            "role": rng.choice(["resident"] * 6 + ["officer", "councillor", None]),
            "ward": rng.choice(WARDS),
        }
        for name in names
    ]
    ties = []
    for _ in range(150):
        a, b = rng.sample(names[:70], 2)  # the last ten people have no tie
        ties.append({"from": a, "to": b, "period": rng.choice(PERIODS)})
    return {
        "ties": frame(ties, {"from": pl.String, "to": pl.String, "period": pl.String}),
        "people": frame(
            people,
            {"person": pl.String, "group": pl.String, "role": pl.String, "ward": pl.String},
        ),
    }


def attendance(seed: int = 17, size: int = 300) -> Tables:
    rng = random.Random(seed)  # noqa: S311  # seeded fixture data, not secrets
    rows = [
        {
            "person": f"r{rng.randint(1, 90):02}",
            "activity": rng.choice(["lunch", "garden", "repair café", "walk"]),
            "level": None if rng.random() < 0.2 else rng.choice(LEVELS),
            "ward": rng.choice(WARDS),
            "period": rng.choice(PERIODS),
        }
        for _ in range(size)
    ]
    schema = {
        "person": pl.String,
        "activity": pl.String,
        "level": pl.String,
        "ward": pl.String,
        "period": pl.String,
    }
    return {"data": frame(rows, schema)}


CASES: Mapping[str, tuple[Callable[[], Any], Callable[[], Tables], tuple[tuple[str, ...], ...]]] = {
    "swemwbs": (Swemwbs, survey, ((), ("ward",), ("ward", "period"))),
    "ons4": (Ons4, survey, ((), ("ward",), ("period",))),
    "timebank": (Timebank, ledger, ((), ("period",))),
    "networks": (
        lambda: Networks(institutional_roles=["officer", "councillor"]),
        network,
        ((), ("ward",), ("period",), ("ward", "period")),
    ),
    "engagement": (
        lambda: Engagement(continuum="iap2-spectrum", population=12000),
        attendance,
        ((), ("ward",), ("period",)),
    ),
}


def arrow(lazy: pl.LazyFrame) -> pa.Table:
    # Plain (not large or view) strings: the Arrow types every engine reads.
    table = lazy.collect().to_arrow(compat_level=pl.CompatLevel.oldest())
    schema = pa.schema(
        pa.field(f.name, pa.string()) if pa.types.is_large_string(f.type) else f
        for f in table.schema
    )
    return table.cast(schema)


def on_pandas(lazy: pl.LazyFrame) -> Any:
    return nw.from_native(arrow(lazy).to_pandas(types_mapper=pd_types())).lazy()


def pd_types() -> Callable[[pa.DataType], Any]:
    import pandas as pd  # type: ignore[import-untyped]

    mapping = {
        pa.int64(): pd.Int64Dtype(),
        pa.float64(): pd.Float64Dtype(),
        pa.string(): pd.StringDtype(),
    }
    return mapping.get


def on_pyarrow(lazy: pl.LazyFrame) -> Any:
    return nw.from_native(arrow(lazy)).lazy()


CONNECTION = duckdb.connect()


def on_duckdb(lazy: pl.LazyFrame) -> Any:
    return nw.from_native(CONNECTION.from_arrow(arrow(lazy)))


ENGINES: Mapping[str, Callable[[pl.LazyFrame], Any]] = {
    "pandas": on_pandas,
    "pyarrow": on_pyarrow,
    "duckdb": on_duckdb,
}


@pytest.mark.parametrize("engine", list(ENGINES))
@pytest.mark.parametrize("case", list(CASES))
def test_a_model_gives_polars_figures_on_each_in_process_engine(case: str, engine: str) -> None:
    make, fixture, key_sets = CASES[case]
    tables = fixture()
    converted = {name: ENGINES[engine](table) for name, table in tables.items()}
    for keys in key_sets:
        expected = figures(make(), tables, keys)
        assert expected
        same(figures(make(), converted, keys), expected)


@pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")
def test_every_model_gives_polars_figures_on_pyspark(spark: Any) -> None:
    for make, fixture, key_sets in CASES.values():
        tables = fixture()
        converted = {
            name: nw.from_native(spark.createDataFrame(arrow(table)))
            for name, table in tables.items()
        }
        # Overall and the fullest breakdown only: every Spark query costs seconds.
        for keys in ((), key_sets[-1]):
            same(figures(make(), converted, keys), figures(make(), tables, keys))
