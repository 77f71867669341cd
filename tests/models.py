"""What the measurement models' tests share: running a model, and its figures as a dict."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import polars as pl

from socialcouncil import Council, registered_continua
from socialcouncil.measurement import MeasurementContext

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

Figures = dict[tuple[Any, ...], tuple[float, int]]
"""(key values..., indicator, dimension values...) -> (value, n)."""

DIMENSIONS = ("item", "band", "type", "level")


def context(tables: Mapping[str, Any], **options: object) -> MeasurementContext:
    """A context for the tables given, with every registered continuum."""
    return MeasurementContext(
        council=Council(name="Test"),
        continua=registered_continua(),
        tables=tables,
        options=options,
    )


def figures(model: Any, tables: Mapping[str, Any], keys: Sequence[str] = ()) -> Figures:
    """The model's figures for *tables* grouped by *keys*, checking the long frame's shape."""
    out = model.compute(context(tables), list(keys))
    frame: pl.DataFrame = pl.from_dataframe(out) if not isinstance(out, pl.DataFrame) else out
    assert frame.columns[: len(keys) + 3] == [*keys, "indicator", "value", "n"]
    dims = frame.columns[len(keys) + 3 :]
    assert set(dims) <= set(DIMENSIONS)
    assert frame.schema["value"] == pl.Float64
    assert frame.schema["n"] == pl.Int64
    found: Figures = {}
    for row in frame.iter_rows(named=True):
        assert row["value"] is not None
        assert math.isfinite(row["value"])
        key = (*(row[k] for k in keys), row["indicator"], *(row[d] for d in dims))
        assert key not in found, f"two figures for {key}"
        found[key] = (row["value"], row["n"])
    return found


def same(found: Figures, expected: Figures, rel: float = 1e-9) -> None:
    """Assert two sets of figures are equal, values within *rel*."""
    assert set(found) == set(expected), (
        sorted(map(str, set(found) ^ set(expected))),
        "differ",
    )
    for key, (value, n) in expected.items():
        got, got_n = found[key]
        assert got_n == n, (key, got_n, n)
        assert math.isclose(got, value, rel_tol=rel, abs_tol=1e-12), (key, got, value)


def frame(rows: Sequence[Mapping[str, Any]], schema: Mapping[str, Any]) -> pl.LazyFrame:
    """A lazy Polars frame of *rows*, numbered from 2 in the row-number column."""
    data = [{"_row": i + 2, **row} for i, row in enumerate(rows)]
    return pl.LazyFrame(data, schema={"_row": pl.Int64, **schema}, orient="row")


def chunked(lazy: pl.LazyFrame, order: Sequence[int], pieces: int) -> pl.LazyFrame:
    """*lazy*'s rows in *order*, split into *pieces* frames concatenated again."""
    df = lazy.collect()
    shuffled = df[list(order)]
    size = max(1, math.ceil(shuffled.height / pieces))
    parts = [shuffled[i : i + size].lazy() for i in range(0, shuffled.height, size)]
    return pl.concat(parts) if parts else shuffled.lazy()
