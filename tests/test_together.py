"""Validating a Polars table for several measures at once gives what validating each does.

The fast path (:func:`socialcouncil.measurement._together.validate_together`) casts text with
Polars' own casts and sends every cell they do not take to the generic path; these tests check,
on cells made to be awkward, that its problems and valid rows are exactly the generic path's.
"""

from __future__ import annotations

from typing import Any

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialcouncil import ROW, Field
from socialcouncil.measurement._together import Request, validate_together
from socialcouncil.measurement.fields import validate

FIELDS = (
    Field("score", "integer", minimum=0, maximum=10),
    Field("count", "integer"),
    Field("hours", "number", minimum=0),
    Field("when", "date", required=False),
    Field("member", "string"),
    Field("kind", "string", allowed=("a", "b")),
    Field("flag", "boolean", required=False),
)

# Cells near the edges of what each type's reading accepts.
AWKWARD = [
    "", " ", "\t", "5", "+5", "-5", " 5", "5 ", "05", "10", "11", "-0", "1e3", "1.0", "1.5",
    ".5", "5.", "+.5", "-.5e3", "inf", "nan", "NaN", "infinity", "1e", "e5", "0x5", "1_000",
    "\u0665", "99999999999999999999", "a", "b", "A", " a", "yes", "No", "TRUE", "0", "1",
    "2025-03-31", "2025-3-31", "2025-02-30", "2024-02-29", "0000-01-01", "+025-01-01",
    "2025-03-31T10:00", "2025-03-31 10:00", " 2025-03-31", "31/03/2025", "3/03/2025",
    "31/3/2025", "31/03/25", "2025/03/31", "20250331", "\u00a05", "5\u3000",
]  # fmt: skip

cells = st.one_of(st.none(), st.sampled_from(AWKWARD), st.text(max_size=6))


def _frame(rows: list[tuple[Any, ...]]) -> pl.DataFrame:
    names = ["S", "C", "H", "W", "M", "K", "F"]
    data: dict[str, Any] = {ROW: pl.Series(ROW, range(2, len(rows) + 2), dtype=pl.Int64)}
    for index, name in enumerate(names):
        data[name] = pl.Series(name, [row[index] for row in rows], dtype=pl.String)
    return pl.DataFrame(data)


COLUMNS = {"score": "S", "count": "C", "hours": "H", "when": "W", "member": "M", "kind": "K"}


def _requests(date_format: str | None) -> list[Request]:
    return [
        Request(
            FIELDS,
            columns={**COLUMNS, "flag": "F"},
            keep={"ward": "M"},
            source="s",
            location="s.csv",
            date_format=date_format,
        ),
        # A second measure reading some of the same columns with other ranges, and one
        # optional field whose column the table lacks.
        Request(
            (
                Field("score", "integer", minimum=5, maximum=1000),
                Field("hours", "number"),
                Field("weight", "number", required=False),
            ),
            columns={"score": "S", "hours": "H"},
            source="s",
            location="s.csv",
            date_format=date_format,
        ),
    ]


def _generic(frame: pl.DataFrame, request: Request) -> tuple[Any, pl.DataFrame]:
    checked = validate(
        frame,
        request.fields,
        columns=request.columns,
        keep=request.keep,
        source=request.source,
        location=request.location,
        date_format=request.date_format,
    )
    return checked, checked.frame.collect().to_native()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(st.tuples(*([cells] * 7)), max_size=12),
    date_format=st.sampled_from([None, "%Y-%m-%d", "%d/%m/%Y"]),
    lazy=st.booleans(),
)
def test_validating_together_equals_validating_each(
    rows: list[tuple[Any, ...]], date_format: str | None, lazy: bool
) -> None:
    frame = _frame(rows)
    requests = _requests(date_format)
    found = validate_together(frame.lazy() if lazy else frame, requests)
    assert len(found) == len(requests)
    for request, (together, in_memory) in zip(requests, found, strict=True):
        each, each_rows = _generic(frame, request)
        assert in_memory
        assert together.problems == each.problems
        assert together.bad_rows == each.bad_rows
        assert together.missing == each.missing
        got = together.frame.collect().to_native()
        assert got.schema == each_rows.schema
        assert got.rows() == each_rows.rows()


def test_a_typed_or_missing_column_takes_the_generic_path() -> None:
    frame = pl.DataFrame({ROW: [2, 3], "S": [4, 12], "M": ["x", None]})
    requests = [
        Request((Field("score", "integer", minimum=0, maximum=10),), columns={"score": "S"}),
        Request((Field("member", "string"), Field("other", "string")), columns={"member": "M"}),
    ]
    (typed, typed_in_memory), (missing, _) = validate_together(frame.lazy(), requests)
    assert not typed_in_memory
    assert [(p.row, p.field, p.message) for p in typed.problems] == [
        (3, "S", "found 12, expected a whole number from 0 to 10")
    ]
    assert missing.missing == ("other",)


def test_one_pass_keeps_each_column_in_the_narrowest_type() -> None:
    frame = pl.DataFrame({ROW: [2, 3, 4], "S": ["1", "7", "x"], "M": ["a", "b", "c"]})
    requests = [
        Request((Field("score", "integer", minimum=0, maximum=10),), columns={"score": "S"})
    ]
    ((checked, _),) = validate_together(frame.lazy(), requests)
    # The model sees the field's own type, whatever the table holds it in.
    assert checked.frame.collect().to_native().schema == {ROW: pl.Int64, "score": pl.Int64}
    assert checked.frame.collect().to_native().rows() == [(2, 1), (3, 7)]
    assert [p.row for p in checked.problems] == [4]


def test_a_whole_number_too_long_for_64_bits_is_a_bad_cell_on_either_path() -> None:
    frame = pl.DataFrame({ROW: [2, 3], "C": ["99999999999999999999", "7"]})
    request = Request((Field("count", "integer"),), columns={"count": "C"}, location="s.csv")
    ((together, _),) = validate_together(frame, [request])
    each = validate(frame, request.fields, columns=request.columns, location="s.csv")
    assert [p.render() for p in together.problems] == [p.render() for p in each.problems]
    assert [p.row for p in each.problems] == [2]
    assert each.frame.collect().to_native().rows() == [(3, 7)]
