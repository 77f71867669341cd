"""The built-in data source, exporter, measurement model and template, through their protocols."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given

import socialcouncil
from socialcouncil import (
    Calibration,
    Council,
    DataSource,
    Exporter,
    MeasurementContext,
    MeasurementModel,
    Project,
)
from socialcouncil.exporters.json import JsonExporter
from socialcouncil.measurement.calibration_profile import CalibrationProfile
from socialcouncil.sources.csv import CsvSource
from socialcouncil.testing import (
    check_exporter,
    check_measurement_model,
    check_template,
    strategies,
)


def test_the_built_in_classes_follow_their_protocols() -> None:
    assert isinstance(CsvSource("x.csv"), DataSource)
    assert isinstance(JsonExporter(), Exporter)
    assert isinstance(CalibrationProfile(), MeasurementModel)


# -- the JSON exporter ------------------------------------------------------------------------


@given(council=strategies.councils)
def test_the_json_exporter_writes_a_model_file_that_loads_back(council: Council) -> None:
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        written = check_exporter(JsonExporter, Path(folder), council)
        assert written.name == "council.json"
        assert socialcouncil.load(written) == council


def test_exporters_refuse_options_they_do_not_take() -> None:
    with pytest.raises(TypeError, match="takes no options; found indent"):
        JsonExporter(indent="4")


# -- the calibration-profile model ------------------------------------------------------------


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


PROFILED = Council(
    name="Demo",
    projects=[
        Project(
            id="cafe",
            title="Café",
            values=["voice", "networks"],
            continuum="iap2-spectrum",
            calibrations=[
                Calibration(date=day("2024-01-01"), level="inform"),
                Calibration(date=day("2025-01-01"), level="involve"),
            ],
        ),
        Project(
            id="digital",
            title="Assisted Digital",
            values=["voice"],
            continuum="iap2-spectrum",
            calibrations=[Calibration(date=day("2025-02-01"), level="involve")],
        ),
        Project(id="unplaced", title="Not yet placed", values=["voice"]),
    ],
)


def test_the_profile_counts_projects_at_their_current_level() -> None:
    results = check_measurement_model(CalibrationProfile, PROFILED)
    totals = {r.dimensions["level"]: r.value for r in results if r.indicator == "projects"}
    assert totals == {"inform": 0, "consult": 0, "involve": 2, "collaborate": 0, "empower": 0}


def test_the_profile_counts_projects_per_value() -> None:
    results = check_measurement_model(CalibrationProfile, PROFILED)
    by_value = {
        (r.dimensions["council-value"], r.dimensions["level"]): r.value
        for r in results
        if r.indicator == "projects-by-value" and r.value
    }
    assert by_value == {("voice", "involve"): 2, ("networks", "involve"): 1}
    assert all(not r.people for r in results)


@given(strategies.valid_councils())
def test_the_profile_counts_every_placed_project_once_per_continuum(council: Council) -> None:
    context = MeasurementContext.for_council(
        council, registered=socialcouncil.registered_continua()
    )
    frame = CalibrationProfile().compute(context, ())
    placed = [p for p in council.projects if p.continuum and p.calibrations]
    assert frame.filter(indicator="projects")["value"].sum() == len(placed)


# -- templates --------------------------------------------------------------------------------


def test_the_starter_template_validates_with_no_findings() -> None:
    template = socialcouncil.registry().templates["starter"]
    council = check_template(template)
    assert council.projects[0].continuum == "iap2-spectrum"


@given(strategies.valid_councils())
def test_valid_councils_pass_every_check(council: Council) -> None:
    assert socialcouncil.check(council) == []


# -- the testing kit's crosswalk check ------------------------------------------------------


def test_check_crosswalk_refuses_a_crosswalk_that_runs_backwards() -> None:
    from socialcouncil import Crosswalk
    from socialcouncil.testing import check_crosswalk

    registered = socialcouncil.registered_continua()
    iap2, ladder = registered["iap2-spectrum"], registered["coproduction-ladder"]
    forwards = Crosswalk(from_="iap2-spectrum", to="coproduction-ladder")
    assert check_crosswalk(forwards, iap2, ladder)["empower"] == ladder.levels[-1].id
    backwards = Crosswalk(
        from_="iap2-spectrum", to="coproduction-ladder", map={"inform": ladder.levels[-1].id}
    )
    with pytest.raises(AssertionError, match="maps a higher level of 'iap2-spectrum' below"):
        check_crosswalk(backwards, iap2, ladder)
    unknown = Crosswalk(from_="iap2-spectrum", to="coproduction-ladder", map={"decide": "x"})
    with pytest.raises(AssertionError, match="the map names 'decide'"):
        check_crosswalk(unknown, iap2, ladder)
