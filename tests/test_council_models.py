"""The models that read only the council: observed, coproduction-trajectory, calibration-profile."""

from __future__ import annotations

import datetime
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import socialcouncil
from socialcouncil import (
    Calibration,
    Continuum,
    Council,
    InvalidValueError,
    Level,
    Measure,
    MeasurementContext,
    Observation,
    Project,
    UnknownIdError,
)
from socialcouncil.measurement.calibration_profile import CalibrationProfile
from socialcouncil.measurement.coproduction_trajectory import CoproductionTrajectory, periods
from socialcouncil.measurement.observed import Observed, kind_for
from socialcouncil.testing import strategies

D = datetime.date
OURS = Continuum(id="ours", name="Ours", levels=[Level("a", "A"), Level("b", "B"), Level("c", "C")])


def context(council: Council) -> MeasurementContext:
    return MeasurementContext.for_council(council, registered=socialcouncil.registered_continua())


def figures(frame: Any, indicator: str) -> dict[tuple[str, str], tuple[float, int]]:
    """(continuum, period) -> (value, n) for one indicator of a trajectory frame."""
    rows = frame.filter(indicator=indicator).select("continuum", "period", "value", "n").rows()
    return {(c, p): (v, n) for c, p, v, n in rows}


COUNCIL = Council(
    name="Anytown",
    continua=[OURS],
    projects=[
        Project(
            id="a",
            title="A",
            continuum="iap2-spectrum",
            calibrations=[
                Calibration(date=D(2025, 5, 1), level="involve"),
                Calibration(date=D(2025, 1, 10), level="inform"),
            ],
        ),
        Project(
            id="b",
            title="B",
            continuum="iap2-spectrum",
            calibrations=[
                Calibration(date=D(2025, 2, 15), level="consult"),
                Calibration(date=D(2025, 8, 20), level="empower"),
            ],
        ),
        Project(
            id="c",
            title="C",
            continuum="ours",
            calibrations=[Calibration(date=D(2025, 4, 1), level="b")],
        ),
        # Left out: a continuum no one defines, a level its continuum lacks, no calibrations.
        Project(
            id="d",
            title="D",
            continuum="nowhere",
            calibrations=[Calibration(date=D(2024, 1, 1), level="x")],
        ),
        Project(
            id="e",
            title="E",
            continuum="ours",
            calibrations=[Calibration(date=D(2023, 1, 1), level="z")],
        ),
        Project(id="f", title="F", continuum="iap2-spectrum"),
    ],
)


def test_the_trajectory_by_quarter_follows_each_project_at_its_latest_level() -> None:
    frame = CoproductionTrajectory().compute(context(COUNCIL), ())
    # IAP2 positions: inform 0, consult 0.25, involve 0.5, collaborate 0.75, empower 1.
    assert figures(frame, "mean-position") == {
        ("iap2-spectrum", "2025-Q1"): (0.125, 2),
        ("iap2-spectrum", "2025-Q2"): (0.375, 2),
        ("iap2-spectrum", "2025-Q3"): (0.75, 2),
        ("ours", "2025-Q2"): (0.5, 1),
        ("ours", "2025-Q3"): (0.5, 1),
    }
    assert figures(frame, "projects") == {
        ("iap2-spectrum", "2025-Q1"): (2.0, 2),
        ("iap2-spectrum", "2025-Q2"): (2.0, 2),
        ("iap2-spectrum", "2025-Q3"): (2.0, 2),
        ("ours", "2025-Q2"): (1.0, 1),
        ("ours", "2025-Q3"): (1.0, 1),
    }
    assert frame.columns == ["indicator", "value", "n", "continuum", "period"]


def test_the_trajectory_by_financial_year_runs_april_to_march() -> None:
    frame = CoproductionTrajectory(period="financial-year").compute(context(COUNCIL), ())
    assert figures(frame, "mean-position") == {
        ("iap2-spectrum", "2024/25"): (0.125, 2),
        ("iap2-spectrum", "2025/26"): (0.75, 2),
        ("ours", "2025/26"): (0.5, 1),
    }


def test_the_trajectory_by_year_and_by_month() -> None:
    by_year = CoproductionTrajectory(period="year").compute(context(COUNCIL), ())
    assert figures(by_year, "mean-position") == {
        ("iap2-spectrum", "2025"): (0.75, 2),
        ("ours", "2025"): (0.5, 1),
    }
    by_month = figures(
        CoproductionTrajectory(period="month").compute(context(COUNCIL), ()), "mean-position"
    )
    assert [p for c, p in by_month if c == "iap2-spectrum"] == [f"2025-0{m}" for m in range(1, 9)]
    # January: only A, at inform; February on: B at consult too; from May, A at involve.
    assert by_month["iap2-spectrum", "2025-01"] == (0.0, 1)
    assert by_month["iap2-spectrum", "2025-02"] == (0.125, 2)
    assert by_month["iap2-spectrum", "2025-05"] == (0.375, 2)
    assert by_month["iap2-spectrum", "2025-08"] == (0.75, 2)
    assert [p for c, p in by_month if c == "ours"] == [f"2025-0{m}" for m in range(4, 9)]


def test_of_two_calibrations_on_one_day_the_later_in_the_file_counts() -> None:
    council = Council(
        name="Anytown",
        projects=[
            Project(
                id="a",
                title="A",
                continuum="iap2-spectrum",
                calibrations=[
                    Calibration(date=D(2025, 1, 1), level="empower"),
                    Calibration(date=D(2025, 1, 1), level="consult"),
                ],
            )
        ],
    )
    frame = CoproductionTrajectory().compute(context(council), ())
    assert figures(frame, "mean-position") == {("iap2-spectrum", "2025-Q1"): (0.25, 1)}


def test_a_council_with_no_calibrations_has_no_trajectory() -> None:
    frame = CoproductionTrajectory().compute(context(Council(name="Anytown")), ())
    assert frame.height == 0
    assert frame.columns == ["indicator", "value", "n", "continuum", "period"]


@pytest.mark.parametrize(
    ("kind", "first", "last", "expected"),
    [
        (
            "month",
            D(2024, 12, 31),
            D(2025, 1, 1),
            [("2024-12", D(2024, 12, 31)), ("2025-01", D(2025, 1, 31))],
        ),
        (
            "quarter",
            D(2025, 3, 31),
            D(2025, 4, 1),
            [("2025-Q1", D(2025, 3, 31)), ("2025-Q2", D(2025, 6, 30))],
        ),
        ("quarter", D(2025, 12, 1), D(2025, 12, 2), [("2025-Q4", D(2025, 12, 31))]),
        (
            "year",
            D(2024, 6, 1),
            D(2025, 1, 1),
            [("2024", D(2024, 12, 31)), ("2025", D(2025, 12, 31))],
        ),
        ("financial-year", D(2025, 4, 1), D(2026, 3, 31), [("2025/26", D(2026, 3, 31))]),
        ("financial-year", D(1999, 4, 1), D(1999, 4, 1), [("1999/00", D(2000, 3, 31))]),
    ],
)
def test_periods_are_named_and_end_as_the_calendar_says(
    kind: str, first: D, last: D, expected: list[tuple[str, D]]
) -> None:
    assert list(periods(first, last, kind)) == expected


@given(
    st.dates(D(1900, 1, 1), D(2100, 12, 31)),
    st.sampled_from(["month", "quarter", "year", "financial-year"]),
)
def test_every_day_falls_in_exactly_the_period_that_holds_it(day: D, kind: str) -> None:
    [(name, end)] = list(periods(day, day, kind))
    assert socialcouncil.is_period(name)
    assert day <= end
    # The next day starts a new period exactly when this one ends.
    following = list(periods(day, day + datetime.timedelta(days=1), kind))
    assert len(following) == (2 if day == end else 1)


@given(strategies.valid_councils(), st.randoms())
def test_the_trajectory_does_not_depend_on_the_order_of_projects_or_calibrations(
    council: Council, random: Any
) -> None:
    projects = [
        attrs.evolve(p, calibrations=random.sample(p.calibrations, len(p.calibrations)))
        if len({c.date for c in p.calibrations}) == len(p.calibrations)
        else p
        for p in council.projects
    ]
    shuffled = attrs.evolve(council, projects=random.sample(projects, len(projects)))
    model = CoproductionTrajectory(period="year")
    first = model.compute(context(council), ()).sort("indicator", "continuum", "period")
    second = model.compute(context(shuffled), ()).sort("indicator", "continuum", "period")
    assert first.equals(second)
    # In the last period every calibrated project counts, each at a position from 0 to 1.
    last: dict[str, tuple[str, float]] = {}
    for _, value, _, continuum, period in first.filter(indicator="projects").rows():
        if continuum not in last or period > last[continuum][0]:
            last[continuum] = (period, value)
    placed: dict[str, int] = {}
    for p in council.projects:
        if p.calibrations and p.continuum:
            placed[p.continuum] = placed.get(p.continuum, 0) + 1
    assert {c: v for c, (_, v) in last.items()} == placed
    means = first.filter(indicator="mean-position")["value"]
    assert all(0.0 <= v <= 1.0 for v in means)


def test_the_trajectory_refuses_options_it_does_not_have() -> None:
    with pytest.raises(InvalidValueError, match=r"options\.period: found 'week', expected one of"):
        CoproductionTrajectory(period="week")
    with pytest.raises(InvalidValueError, match=r"options\.periods"):
        CoproductionTrajectory(periods="month")
    with pytest.raises(ValueError, match="reads only the council"):
        CoproductionTrajectory().compute(context(COUNCIL), ["ward"])


# -- observed ----------------------------------------------------------------------------------

HAND = Council(
    name="Anytown",
    measures=[
        Measure(
            id="volunteers",
            name="Volunteers",
            unit="people",
            observations=[
                Observation(period="2024/25", value=380),
                Observation(period="2025/26", value=412, n=412, area="Blythe"),
                Observation(period="2026/27", n=10),
            ],
        ),
        Measure(id="other", name="Other", unit="percent"),
    ],
)


def test_observations_are_results_with_their_period_area_and_n() -> None:
    frame = Observed(measure="volunteers").compute(MeasurementContext(HAND), ())
    # The observation with no value is left out.
    assert frame.rows() == [
        ("value", 380.0, None, "2024/25", None),
        ("value", 412.0, 412, "2025/26", "Blythe"),
    ]
    assert Observed(measure="other").compute(MeasurementContext(HAND), ()).height == 0


def test_observed_needs_the_id_of_a_measure_of_the_council() -> None:
    with pytest.raises(InvalidValueError, match=r"options\.measure: found None"):
        Observed()
    with pytest.raises(InvalidValueError, match=r"options\.scale"):
        Observed(measure="volunteers", scale=2)
    with pytest.raises(UnknownIdError, match="no measure with id 'nowhere'"):
        Observed(measure="nowhere").compute(MeasurementContext(HAND), ())


@pytest.mark.parametrize(
    ("unit", "kind"),
    [
        ("percent", "percent"),
        ("Per cent of residents", "percent"),
        ("% satisfied", "percent"),
        ("percentage points", "percent"),
        ("people", "count"),
        ("hours", "count"),
    ],
)
def test_the_kind_of_an_observation_follows_its_unit(unit: str, kind: str) -> None:
    assert kind_for(unit) == kind


# -- calibration-profile -----------------------------------------------------------------------


def test_the_profile_gives_n_as_the_number_of_projects() -> None:
    frame = CalibrationProfile().compute(context(COUNCIL), ())
    rows = frame.filter(indicator="projects", continuum="iap2-spectrum").select(
        "level", "value", "n"
    )
    # A and B stand at involve and empower; F has no calibration.
    assert rows.rows() == [
        ("inform", 0.0, 0),
        ("consult", 0.0, 0),
        ("involve", 1.0, 1),
        ("collaborate", 0.0, 0),
        ("empower", 1.0, 1),
    ]


def test_every_council_only_model_is_registered_and_reads_no_tables() -> None:
    models = socialcouncil.registry().measurement_models
    for name in ("observed", "coproduction-trajectory", "calibration-profile"):
        cls = models[name]
        assert cls.inputs == {}
        assert cls.headline in {i.name for i in cls.indicators}
