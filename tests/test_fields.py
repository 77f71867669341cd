"""Central validation of a source's rows against a model's fields, on every in-process engine."""

from __future__ import annotations

import datetime
import importlib
from typing import TYPE_CHECKING, Any

import duckdb
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from socialcouncil import ROW, Field, Problem
from socialcouncil.measurement.fields import expected, validate

if TYPE_CHECKING:
    from collections.abc import Callable

# Imported by name: pandas has no type hints of its own, and this test needs none.
pd: Any = importlib.import_module("pandas")

ITEM = Field("item1", "integer", minimum=1, maximum=5)
FIELDS = (
    ITEM,
    Field("date", "date"),
    Field("hours", "number", minimum=0),
    Field("ward", "string", allowed=("Elmdon", "Kingshurst")),
    Field("consent", "boolean"),
    Field("weight", "number", required=False),
)
COLUMNS = {"item1": "Q1", "date": "Date", "hours": "Hours", "ward": "Ward", "consent": "Consent"}

SURVEY = pl.DataFrame(
    {
        ROW: [2, 3, 4, 5, 6],
        "Q1": ["4", "six", "", " 5 ", "9"],
        "Date": ["2025-03-01", "2025-02-30", None, "2024-02-29", "soon"],
        "Hours": ["1.5", "-2", "abc", "3e1", ""],
        "Ward": ["Elmdon", "Kingshurst", "Nowhere", "Elmdon", None],
        "Consent": ["yes", "no", "maybe", "TRUE", ""],
    }
)

ENGINES: dict[str, Callable[[pl.DataFrame], Any]] = {
    "polars": lambda f: f,
    "polars-lazy": lambda f: f.lazy(),
    "pandas": lambda f: f.to_pandas(),
    "pyarrow": lambda f: f.to_arrow(),
    "duckdb": lambda f: duckdb.from_arrow(f.to_arrow()),
}


def problem(row: int | None, field: str, message: str) -> Problem:
    return Problem("", message, source="survey", location="survey.csv", row=row, field=field)


def checked(frame: Any, **options: Any) -> Any:
    return validate(
        frame, FIELDS, columns=COLUMNS, source="survey", location="survey.csv", **options
    )


def rows(frame: Any) -> list[dict[str, Any]]:
    return sorted(frame.collect().rows(named=True), key=lambda r: r[ROW])


@pytest.mark.parametrize("engine", list(ENGINES))
def test_every_bad_cell_is_reported_at_once_with_row_column_found_and_expected(
    engine: str,
) -> None:
    result = checked(ENGINES[engine](SURVEY))
    assert result.problems == (
        problem(3, "Q1", "found 'six', expected a whole number from 1 to 5"),
        problem(3, "Date", "found '2025-02-30', expected a date as YYYY-MM-DD"),
        problem(3, "Hours", "found '-2', expected a number of at least 0"),
        problem(4, "Hours", "found 'abc', expected a number of at least 0"),
        problem(4, "Ward", "found 'Nowhere', expected one of 'Elmdon', 'Kingshurst'"),
        problem(4, "Consent", "found 'maybe', expected true or false (or yes or no)"),
        problem(6, "Q1", "found '9', expected a whole number from 1 to 5"),
        problem(6, "Date", "found 'soon', expected a date as YYYY-MM-DD"),
    )
    assert result.bad_rows == {3, 4, 6}


@pytest.mark.parametrize("engine", list(ENGINES))
def test_valid_rows_are_renamed_and_converted_and_an_absent_optional_field_left_out(
    engine: str,
) -> None:
    result = checked(ENGINES[engine](SURVEY), keep={"area": "Ward"})
    assert rows(result.frame) == [
        {
            ROW: 2,
            "item1": 4,
            "date": datetime.date(2025, 3, 1),
            "hours": 1.5,
            "ward": "Elmdon",
            "consent": True,
            "area": "Elmdon",
        },
        {
            ROW: 5,
            "item1": 5,
            "date": datetime.date(2024, 2, 29),
            "hours": 30.0,
            "ward": "Elmdon",
            "consent": True,
            "area": "Elmdon",
        },
    ]


def test_a_row_of_empty_cells_is_valid_and_kept_empty() -> None:
    blank = pl.DataFrame(
        {ROW: [2], "Q1": [""], "Date": [" "], "Hours": [None], "Ward": [""], "Consent": [""]},
        schema_overrides={"Hours": pl.String},
    )
    result = checked(blank)
    assert result.problems == ()
    assert rows(result.frame) == [
        {ROW: 2, **dict.fromkeys(["item1", "date", "hours", "ward", "consent"])}
    ]


def test_a_missing_required_column_is_one_problem_without_a_row() -> None:
    result = checked(SURVEY.drop("Q1"), keep={"area": "Area"})
    assert result.problems == (
        problem(None, "Q1", "missing; expected the column of 'item1'"),
        problem(None, "Area", "missing; expected the column of 'area'"),
    )
    assert result.missing == ("item1", "area")


def test_uk_dates_are_read_where_the_source_says_so() -> None:
    frame = pl.DataFrame(
        {ROW: [2, 3, 4, 5], "Date": ["31/03/2025", "29/02/2025", "2025-03-31", "1/3/2025"]}
    )
    result = validate(
        frame, [Field("date", "date")], columns={"date": "Date"}, date_format="%d/%m/%Y"
    )
    assert [(p.row, p.message) for p in result.problems] == [
        (3, "found '29/02/2025', expected a date as DD/MM/YYYY"),
        (4, "found '2025-03-31', expected a date as DD/MM/YYYY"),
        (5, "found '1/3/2025', expected a date as DD/MM/YYYY"),
    ]
    assert rows(result.frame) == [{ROW: 2, "date": datetime.date(2025, 3, 31)}]


def test_other_date_forms_are_read_and_unreadable_forms_refused() -> None:
    frame = pl.DataFrame({ROW: [2, 3], "Date": ["20250331", "2025.03.31"]})
    result = validate(
        frame, [Field("date", "date")], columns={"date": "Date"}, date_format="%Y%m%d"
    )
    assert [p.message for p in result.problems] == [
        "found '2025.03.31', expected a date as YYYYMMDD"
    ]
    assert rows(result.frame) == [{ROW: 2, "date": datetime.date(2025, 3, 31)}]
    with pytest.raises(ValueError, match="is not made of %d, %m and %Y"):
        validate(SURVEY, [Field("date", "date")], date_format="%d %b %Y")
    with pytest.raises(ValueError, match="lacks one of %d, %m and %Y"):
        validate(SURVEY, [Field("date", "date")], date_format="%m/%Y")


def test_typed_columns_are_checked_as_values() -> None:
    frame = pl.DataFrame(
        {
            ROW: [1, 2, 3],
            "item1": [3.0, 2.5, 7.0],
            "date": [datetime.datetime(2025, 1, 2, 10), None, datetime.datetime(2025, 1, 3)],
            "flag": [True, None, False],
            "code": [10, 20, 30],
        }
    )
    fields = [ITEM, Field("date", "date"), Field("flag", "boolean"), Field("code", "string")]
    result = validate(frame, fields)
    assert [(p.row, p.field, p.message) for p in result.problems] == [
        (2, "item1", "found 2.5, expected a whole number from 1 to 5"),
        (3, "item1", "found 7.0, expected a whole number from 1 to 5"),
    ]
    assert rows(result.frame) == [
        {ROW: 1, "item1": 3, "date": datetime.date(2025, 1, 2), "flag": True, "code": "10"}
    ]


def test_expected_says_what_a_field_holds() -> None:
    assert expected(Field("n", "number", maximum=10)) == "a number of at most 10"
    assert expected(Field("n", "number", minimum=0.5, maximum=4)) == "a number from 0.5 to 4"
    assert expected(Field("n", "integer")) == "a whole number"
    assert expected(Field("s", "string")) == "text"


cells = st.one_of(
    st.none(),
    st.sampled_from(["", " ", "1", "5", "0", "6", "x", "3.5", "+2", "-1"]),
    st.integers(-3, 8).map(str),
)


@given(st.lists(cells, min_size=1, max_size=30), st.randoms(use_true_random=False))
def test_problems_and_valid_rows_do_not_depend_on_row_order_or_engine(
    values: list[str | None], shuffler: Any
) -> None:
    frame = pl.DataFrame({ROW: list(range(2, len(values) + 2)), "Q1": values})
    order = list(range(len(values)))
    shuffler.shuffle(order)
    shuffled = frame[order]
    reference = validate(frame, [ITEM], columns={"item1": "Q1"})
    for engine in ("polars-lazy", "pandas", "pyarrow", "duckdb"):
        found = validate(ENGINES[engine](shuffled), [ITEM], columns={"item1": "Q1"})
        assert found.problems == reference.problems
        assert rows(found.frame) == rows(reference.frame)
    good = {
        r + 2
        for r, v in enumerate(values)
        if v is None or not v.strip() or (v.strip().lstrip("+-").isdigit() and 1 <= int(v) <= 5)
    }
    assert {r[ROW] for r in rows(reference.frame)} == good
    assert reference.bad_rows == set(range(2, len(values) + 2)) - good


def test_a_pandas_frame_with_gaps_keeps_them_as_missing() -> None:
    frame = pd.DataFrame({ROW: [2, 3], "Q1": [4, None]})
    result = validate(frame, [ITEM], columns={"item1": "Q1"})
    assert result.problems == ()
    assert rows(result.frame) == [{ROW: 2, "item1": 4}, {ROW: 3, "item1": None}]
