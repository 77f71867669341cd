"""The built-in data source, exporter, measurement model and template, through their protocols."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

import pytest
from hypothesis import given
from hypothesis import strategies as st

import socialcouncil
from socialcouncil import (
    Calibration,
    Council,
    DataSource,
    DataSourceError,
    Exporter,
    MeasurementContext,
    MeasurementModel,
    Project,
    Provenance,
)
from socialcouncil.exporters.json import JsonExporter
from socialcouncil.measurement.calibration_profile import CalibrationProfile
from socialcouncil.sources.csv import CsvSource
from socialcouncil.testing import (
    check_data_source,
    check_exporter,
    check_measurement_model,
    check_template,
    strategies,
)

if TYPE_CHECKING:
    from pathlib import Path


def test_the_built_in_classes_follow_their_protocols() -> None:
    assert isinstance(CsvSource("x.csv"), DataSource)
    assert isinstance(JsonExporter(), Exporter)
    assert isinstance(CalibrationProfile(), MeasurementModel)


# -- the CSV data source ----------------------------------------------------------------------


def test_csv_rows_are_records_numbered_as_in_a_spreadsheet(tmp_path: Path) -> None:
    path = tmp_path / "timebank.csv"
    path.write_text(
        'member,hours,note\nann,3,"two\nlines"\n\nbob,,\n', encoding="utf-8", newline=""
    )
    records = check_data_source(CsvSource, path)
    assert [(r.values, r.provenance.row) for r in records] == [
        ({"member": "ann", "hours": "3", "note": "two\nlines"}, 2),
        ({"member": "bob", "hours": None, "note": None}, 4),
    ]
    assert records[0].provenance == Provenance("csv", str(path), 2)
    assert str(records[0].provenance) == f"{path}, row 2"


def test_csv_rows_that_cannot_be_read_are_reported_by_number_after_the_rest(
    tmp_path: Path,
) -> None:
    path = tmp_path / "survey.csv"
    path.write_text("a,b\n1,2\n1,2,3\n4,5\n6\n", encoding="utf-8")
    read: list[socialcouncil.Record] = []
    with pytest.raises(DataSourceError) as caught:
        read.extend(CsvSource(path).records())
    assert [r.provenance.row for r in read] == [2, 4]
    assert [p.render(str(path)) for p in caught.value.problems] == [
        f"{path}: row 3: found 3 cells, expected 2 (one per column)",
        f"{path}: row 5: found 1 cells, expected 2 (one per column)",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "empty; expected a header row"),
        ("a,b,a\n1,2,3\n", "row 1: the header names 'a' twice"),
    ],
)
def test_csv_files_without_a_usable_header_say_so(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "x.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataSourceError) as caught:
        list(CsvSource(path).records())
    assert [p.render() for p in caught.value.problems] == [expected]


def test_a_csv_file_that_cannot_be_read_is_a_data_source_error(tmp_path: Path) -> None:
    with pytest.raises(DataSourceError, match="cannot be read"):
        list(CsvSource(tmp_path / "absent.csv").records())
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"name\ncaf\xe9\n")
    with pytest.raises(DataSourceError, match="cannot be read"):
        list(CsvSource(latin).records())
    assert [r.values for r in CsvSource(latin, encoding="latin-1").records()] == [{"name": "café"}]


@given(
    st.lists(
        st.lists(
            st.text(
                st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=8
            ),
            min_size=2,
            max_size=2,
        ),
        max_size=8,
    )
)
def test_csv_reads_back_every_row_written(rows: list[list[str]]) -> None:
    import csv
    import io
    import tempfile
    from pathlib import Path

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["a", "b"])
    writer.writerows(rows)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rows.csv"
        path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
        read = list(CsvSource(path).records())
    # A row of empty cells is a blank line, which holds no record.
    kept = [r for r in rows if any(r)]
    assert [[r.values["a"] or "", r.values["b"] or ""] for r in read] == kept


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
