"""Measuring a council: reading sources once, validating rows, grouping sets, periods, results."""

from __future__ import annotations

import datetime
import math
from typing import TYPE_CHECKING, Any

import attrs
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

import socialcouncil
from socialcouncil import ROW, Council, Measure, Problem, Source
from socialcouncil.measurement.run import PERIODS, Measurement, period_expression
from socialcouncil.plugins import isolated_registry
from socialcouncil.testing import check_measurement_model
from tests.measuring import PLUGIN, Exchanges, MeanScore, TextCsv

if TYPE_CHECKING:
    from pathlib import Path

    from socialcouncil.plugins import Registry


@pytest.fixture(scope="module")
def registry() -> Registry:
    return isolated_registry(PLUGIN)


SCORES = pl.DataFrame(
    {
        "Person": ["a", "b", "c", "d", "e"],
        "Score": ["4", "8", "6", "", "10"],
        "Ward": ["North", "North", "South", "South", "South"],
        "Age": ["young", "old", "old", "young", "old"],
        "Date": ["2025-03-31", "2025-04-01", "2025-04-02", "2025-06-30", "2026-01-15"],
    }
)
COLUMNS = {"person": "Person", "score": "Score", "date": "Date", "ward": "Ward"}


def scored(**keys: Any) -> Council:
    measure = Measure(
        id="scores",
        name="Scores",
        unit="points",
        model="mean-score",
        source="survey",
        columns=COLUMNS,
        **keys,
    )
    return Council(
        name="Anytown",
        sources=[Source(id="survey", type="text-csv", location="survey.csv")],
        measures=[measure],
    )


def figures(
    found: Measurement, indicator: str = "mean"
) -> dict[tuple[tuple[str, str], ...], float]:
    return {
        tuple(sorted(r.dimensions.items())): r.value
        for r in found.results
        if r.indicator == indicator
    }


def test_figures_over_everything_per_by_field_and_their_combination(registry: Registry) -> None:
    found = socialcouncil.measure(
        scored(by=("ward", "Age")), frames={"survey": SCORES}, registry=registry
    )
    assert found.problems == ()
    assert figures(found) == {
        (): 7.0,
        (("ward", "North"),): 6.0,
        (("ward", "South"),): 8.0,
        (("Age", "old"),): 8.0,
        (("Age", "young"),): 4.0,
        (("Age", "old"), ("ward", "North")): 8.0,
        (("Age", "old"), ("ward", "South")): 8.0,
        (("Age", "young"), ("ward", "North")): 4.0,
    }
    (overall,) = found.headline("scores")
    assert (overall.measure, overall.model, overall.n) == ("scores", "mean-score", 4)
    assert (overall.kind, overall.unit, overall.people) == ("mean", "points", True)


def test_an_undefined_figure_is_left_out(registry: Registry) -> None:
    found = socialcouncil.measure(
        scored(by=("ward",)), frames={"survey": SCORES}, registry=registry
    )
    # North has two scores, South two (one blank): each has an SD; the whole has one too.
    assert set(figures(found, "sd")) == {(), (("ward", "North"),), (("ward", "South"),)}
    one = SCORES.head(1)
    found = socialcouncil.measure(scored(), frames={"survey": one}, registry=registry)
    assert figures(found, "sd") == {}
    assert figures(found) == {(): 4.0}


def test_periods_are_added_to_every_grouping(registry: Registry) -> None:
    found = socialcouncil.measure(
        scored(by=("ward",), period="financial-year"), frames={"survey": SCORES}, registry=registry
    )
    assert figures(found, "respondents") == {
        (): 4.0,
        (("ward", "North"),): 2.0,
        (("ward", "South"),): 2.0,
        (("period", "2024/25"),): 1.0,
        (("period", "2025/26"),): 3.0,
        (("period", "2024/25"), ("ward", "North")): 1.0,
        (("period", "2025/26"), ("ward", "North")): 1.0,
        (("period", "2025/26"), ("ward", "South")): 2.0,
    }


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("month", ["2025-03", "2025-04", "2025-06", "2026-01"]),
        ("quarter", ["2025-Q1", "2025-Q2", "2025-Q2", "2026-Q1"]),
        ("year", ["2025", "2025", "2025", "2026"]),
        ("financial-year", ["2024/25", "2025/26", "2025/26", "2025/26"]),
    ],
)
def test_the_period_of_a_date(period: str, expected: list[str]) -> None:
    import narwhals as nw

    dates = [datetime.date(2025, 3, 31), datetime.date(2025, 4, 1)]
    dates += [datetime.date(2025, 6, 30), datetime.date(2026, 1, 15)]
    found = nw.from_native(pl.DataFrame({"date": dates})).select(period_expression(period))
    assert list(found["period"]) == expected


@given(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2199, 12, 31)))
def test_a_financial_year_runs_from_april_to_march(day: datetime.date) -> None:
    import narwhals as nw

    found = nw.from_native(pl.DataFrame({"date": [day]})).select(
        period_expression("financial-year")
    )["period"][0]
    start = day.year if day.month >= 4 else day.year - 1
    assert found == f"{start}/{(start + 1) % 100:02d}"
    assert PERIODS == ("month", "quarter", "year", "financial-year")


BAD = SCORES.with_columns(pl.Series("Score", ["4", "eleven", "6", "", "-1"]))


def test_without_skip_invalid_a_measure_with_bad_rows_is_not_measured(registry: Registry) -> None:
    found = socialcouncil.measure(scored(), frames={"survey": BAD}, registry=registry)
    assert found.results == ()
    assert found.unmeasured == ("scores",)
    expected = "a whole number from 0 to 10"
    assert found.problems == (
        Problem(
            "",
            f"found 'eleven', expected {expected}",
            source="survey",
            location="survey.csv",
            row=2,
            field="Score",
        ),
        Problem(
            "",
            f"found '-1', expected {expected}",
            source="survey",
            location="survey.csv",
            row=5,
            field="Score",
        ),
    )


def test_with_skip_invalid_bad_rows_are_left_out_and_reported(registry: Registry) -> None:
    found = socialcouncil.measure(
        scored(), frames={"survey": BAD}, skip_invalid=True, registry=registry
    )
    assert [p.row for p in found.problems] == [2, 5]
    assert found.unmeasured == ()
    assert figures(found) == {(): 5.0}


def test_a_missing_column_is_one_problem_and_nothing_is_measured(registry: Registry) -> None:
    found = socialcouncil.measure(
        scored(), frames={"survey": SCORES.drop("Score")}, skip_invalid=True, registry=registry
    )
    assert found.results == ()
    assert [(p.row, p.field, p.message) for p in found.problems] == [
        (None, "Score", "missing; expected the column of 'score'")
    ]


def test_each_source_is_read_once_from_its_location(
    registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    SCORES.write_csv(tmp_path / "survey.csv")
    reads: list[str] = []
    original = TextCsv.read

    def counted(self: TextCsv) -> Any:
        reads.append(str(self.path))
        return original(self)

    monkeypatch.setattr(TextCsv, "read", counted)
    council = scored()
    twice = Council(
        name="Anytown",
        sources=council.sources,
        measures=[
            *council.measures,
            socialcouncil.Measure(
                id="again",
                name="Again",
                unit="points",
                model="mean-score",
                source="survey",
                columns=COLUMNS,
                options={"scale": 10},
            ),
        ],
    )
    found = socialcouncil.measure(twice, base=tmp_path, registry=registry)
    assert reads == [str(tmp_path / "survey.csv")]
    assert found.headline("scores")
    (again,) = found.headline("again")
    assert again.value == 70.0
    assert found.tables["survey"].location == "survey.csv"
    # CSV rows: the header is row 1.
    assert found.problems == ()


def test_an_unreadable_source_is_named(registry: Registry, tmp_path: Path) -> None:
    found = socialcouncil.measure(scored(), base=tmp_path, registry=registry)
    assert found.unreadable == ("survey",)
    assert found.unmeasured == ("scores",)
    assert [(p.source, p.location, p.message) for p in found.problems] == [
        ("survey", "survey.csv", "not found")
    ]


def test_unknown_model_source_option_and_headline_are_problems(registry: Registry) -> None:
    council = Council(
        name="Anytown",
        sources=[Source(id="survey", type="no-such-type", location="x.csv")],
        measures=[
            Measure(id="a", name="A", unit="u", model="no-such-model"),
            Measure(id="b", name="B", unit="u", model="mean-score", source="survey"),
            Measure(
                id="c",
                name="C",
                unit="u",
                model="mean-score",
                source="survey",
                options={"scael": 2},
                headline="median",
            ),
        ],
    )
    found = socialcouncil.measure(council, registry=registry)
    messages = [(p.path, p.source, p.message) for p in found.problems]
    assert messages[0][0] == "measures[0].model"
    assert "'no-such-model' is not registered; expected calibration-profile" in messages[0][2]
    assert "exchanges, mean-score" in messages[0][2]
    assert messages[1][1:] == (
        "survey",
        (
            "the data source type 'no-such-type' is not registered; expected csv, datapackage, "
            "excel, jsonl, parquet, sqlite, text-csv"
        ),
    )
    assert (
        "measures[2].options.scael",
        None,
        "mean-score has no option 'scael'; its options are 'scale'",
    ) in messages
    assert (
        "measures[2].headline",
        None,
        "'median' is not an indicator of mean-score; expected mean, respondents, sd",
    ) in messages
    assert found.unmeasured == ("a", "b", "c")


def test_measures_limits_what_is_measured(registry: Registry) -> None:
    council = scored()
    found = socialcouncil.measure(
        council, frames={"survey": SCORES}, measures=[], registry=registry
    )
    assert found.results == ()
    with pytest.raises(socialcouncil.UnknownIdError, match="no measure with id 'nope'"):
        socialcouncil.measure(
            council, frames={"survey": SCORES}, measures=["nope"], registry=registry
        )


LEDGER = pl.DataFrame(
    {
        ROW: [2, 3, 4, 5],
        "From": ["ann", "bob", "cat", "ann"],
        "To": ["bob", "bob", "ann", "cat"],
        "Date": ["2025-01-05", "2025-01-06", "2025-02-01", "2025-02-03"],
    }
)
MEMBERS = pl.DataFrame({"member": ["ann", "bob", "cat"], "group": ["x", "x", "y"]})


def exchanges(**keys: Any) -> Council:
    return Council(
        name="Anytown",
        measures=[
            Measure(
                id="ledger",
                name="Ledger",
                unit="exchanges",
                model="exchanges",
                source={"ledger": "ledger", "members": "members"},
                columns={"ledger": {"giver": "From", "receiver": "To", "date": "Date"}},
                **keys,
            )
        ],
    )


def test_a_models_row_rules_are_problems_on_the_sources_column(registry: Registry) -> None:
    frames = {"ledger": LEDGER, "members": MEMBERS}
    strict = socialcouncil.measure(exchanges(), frames=frames, registry=registry)
    assert strict.results == ()
    assert strict.problems == (
        Problem(
            "",
            "found bob, the giver; expected another",
            source="ledger",
            location="ledger",
            row=3,
            field="To",
        ),
    )
    found = socialcouncil.measure(
        exchanges(by=("group",), period="month"),
        frames=frames,
        skip_invalid=True,
        registry=registry,
    )
    assert figures(found, "exchanges") == {
        (): 3.0,
        (("period", "2025-01"),): 1.0,
        (("period", "2025-02"),): 2.0,
    }
    # By fields are columns of the people; a frame without row numbers is numbered from 1.
    assert figures(found, "members") == {(): 3.0, (("group", "x"),): 2.0, (("group", "y"),): 1.0}


def test_a_measure_tracked_by_hand_yields_its_observations(registry: Registry) -> None:
    from socialcouncil import Observation

    council = Council(
        name="Anytown",
        measures=[
            Measure(
                id="volunteers",
                name="Volunteers",
                unit="people",
                observations=[
                    Observation(period="2025/26", value=412, n=412),
                    Observation(period="2025-Q1", value=98, area="North"),
                ],
            )
        ],
    )
    found = socialcouncil.measure(council, registry=registry)
    assert [(r.model, r.measure, r.value, r.n, dict(r.dimensions)) for r in found.results] == [
        ("observed", "volunteers", 412.0, 412, {"period": "2025/26"}),
        ("observed", "volunteers", 98.0, None, {"period": "2025-Q1", "area": "North"}),
    ]
    # Its one indicator stands for it, as a model's headline does, so that its history says
    # whether it got better; each figure is for its own period and area.
    assert found.headlines == {"volunteers": "value"}
    assert found.breakdowns == {"volunteers": ("period", "area")}


@given(st.permutations(list(range(5))), st.sampled_from(["polars", "lazy", "pandas", "pyarrow"]))
def test_results_do_not_depend_on_row_order_or_engine(order: list[int], engine: str) -> None:
    registry = isolated_registry(PLUGIN)
    frame = SCORES.with_row_index(ROW, offset=2)[order]
    native: Any = {
        "polars": lambda f: f,
        "lazy": lambda f: f.lazy(),
        "pandas": lambda f: f.to_pandas(),
        "pyarrow": lambda f: f.to_arrow(),
    }[engine](frame)
    found = socialcouncil.measure(
        scored(by=("ward",), period="quarter"), frames={"survey": native}, registry=registry
    )
    reference = socialcouncil.measure(
        scored(by=("ward",), period="quarter"), frames={"survey": SCORES}, registry=registry
    )
    assert sorted(map(_key, found.results)) == sorted(map(_key, reference.results))
    for got, want in zip(
        sorted(found.results, key=_key), sorted(reference.results, key=_key), strict=True
    ):
        assert math.isclose(got.value, want.value, rel_tol=1e-9)
        assert got.n == want.n


def _key(result: socialcouncil.Result) -> tuple[str, tuple[tuple[str, str], ...]]:
    return (result.indicator, tuple(sorted(result.dimensions.items())))


def test_the_testing_kit_checks_a_model_on_a_small_table() -> None:
    table = pl.DataFrame({"person": ["a", "b"], "score": ["3", "5"], "date": [None, None]})
    results = check_measurement_model(MeanScore, tables={"data": table})
    assert {r.indicator: r.value for r in results} == {
        "mean": 4.0,
        "respondents": 2.0,
        "sd": pytest.approx(math.sqrt(2)),
    }
    assert check_measurement_model(Exchanges) == []


def test_the_testing_kit_refuses_a_headline_that_is_not_an_indicator() -> None:
    class Broken(MeanScore):
        headline = "median"

    with pytest.raises(AssertionError, match="headline 'median' must be one of its indicators"):
        check_measurement_model(Broken)


def test_rows_the_reader_could_not_read_are_problems_and_left_out(
    registry: Registry, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    SCORES.write_csv(tmp_path / "survey.csv")
    original = TextCsv.read

    def with_a_bad_row(self: TextCsv) -> Any:
        table = original(self)
        problem = Problem("", "found 4 cells, expected 5", row=3)
        changes: dict[str, Any] = {"problems": (problem,)}
        return attrs.evolve(table, **changes)

    monkeypatch.setattr(TextCsv, "read", with_a_bad_row)
    strict = socialcouncil.measure(scored(), base=tmp_path, registry=registry)
    assert strict.results == ()
    assert strict.problems == (
        Problem("", "found 4 cells, expected 5", source="survey", location="survey.csv", row=3),
    )
    found = socialcouncil.measure(scored(), base=tmp_path, skip_invalid=True, registry=registry)
    assert figures(found) == {(): 20 / 3}  # row 3, person b's 8, is left out


def test_progress_is_reported_as_sources_are_read_and_measures_run(
    registry: Registry, tmp_path: Path
) -> None:
    SCORES.write_csv(tmp_path / "survey.csv")
    lines: list[str] = []
    socialcouncil.measure(scored(), base=tmp_path, registry=registry, progress=lines.append)
    assert lines == ["measuring scores (mean-score)", "reading survey (survey.csv)"]


def test_a_period_needs_the_date_column(registry: Registry) -> None:
    found = socialcouncil.measure(
        scored(period="month"), frames={"survey": SCORES.drop("Date")}, registry=registry
    )
    assert found.results == ()
    assert [(p.field, p.message) for p in found.problems] == [
        ("Date", "missing; expected the column of 'date', to find each month")
    ]


def test_a_council_model_with_its_own_period_option_follows_the_measures_period() -> None:
    from socialcouncil import Calibration, Project

    day = datetime.date
    council = Council(
        name="Anytown",
        projects=[
            Project(
                id="cafe",
                title="Café",
                continuum="iap2-spectrum",
                calibrations=[
                    Calibration(date=day(2024, 3, 1), level="inform"),
                    Calibration(date=day(2025, 6, 1), level="collaborate"),
                ],
            )
        ],
        measures=[
            Measure(
                id="trajectory",
                name="Trajectory",
                unit="position",
                model="coproduction-trajectory",
                period="year",
            )
        ],
    )
    found = socialcouncil.measure(council)
    assert found.problems == ()
    positions = {
        r.dimensions["period"]: r.value for r in found.results if r.indicator == "mean-position"
    }
    assert positions == {"2024": 0.0, "2025": 0.75}
