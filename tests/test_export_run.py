"""Building what an exporter is given, and running an exporter: socialcouncil.export."""

from __future__ import annotations

import datetime
import sys
import warnings
from typing import TYPE_CHECKING, Any, ClassVar

import attrs
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

import socialcouncil
from socialcouncil import (
    ExportContext,
    Figure,
    Paragraph,
    PluginError,
    PluginWarning,
    Problem,
    PublishingSettings,
    ReportSection,
    Result,
    SocialCouncilError,
    SourceRecord,
    Table,
    UnknownIdError,
    hookimpl,
)
from socialcouncil.exporters.run import SOURCE_DATE_EPOCH, publication_date
from socialcouncil.measurement.run import Measurement

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from socialcouncil.plugins import PluginInfo

COUNCIL = socialcouncil.loads(
    """
format = 1

[council]
name = "Anytown"

[[sources]]
id = "survey"
type = "csv"
location = "data/survey.csv"

[[sources]]
id = "unused"
type = "csv"
location = "data/unused.csv"

[[measures]]
id = "scores"
name = "Scores"
unit = "points"
model = "swemwbs"
source = "survey"
by = ["ward"]

[[measures]]
id = "tallies"
name = "Tallies"
unit = "records"
model = "swemwbs"
source = "survey"
"""
)


def result(value: float, n: int | None, **dimensions: str) -> Result:
    return Result(
        "swemwbs", "mean", value, dimensions, people=True, measure="scores", n=n, kind="mean"
    )


MEASUREMENT = Measurement(
    (result(6.0, 40), result(5.0, 36, ward="North"), result(9.0, 4, ward="South")),
    (
        Problem("", "found 'six'", source="survey", location="data/survey.csv", row=7, field="Q"),
        Problem("", "found 'ten'", source="survey", location="data/survey.csv", row=7, field="R"),
        Problem("", "found ''", source="survey", location="data/survey.csv", row=9, field="Q"),
        Problem("", "no column 'S'", source="survey", location="data/survey.csv", field="S"),
    ),
    {
        "survey": Table(
            pl.LazyFrame({"Q": list(range(44))}),
            "survey",
            "data/survey.csv",
            "sha256:" + "ab" * 32,
        )
    },
    headlines={"scores": "mean"},
    breakdowns={"scores": ("ward",)},
    unmeasured=("tallies",),
)
DATE = datetime.date(2026, 3, 31)


def test_the_context_says_where_the_figures_came_from() -> None:
    context = socialcouncil.export_context(COUNCIL, MEASUREMENT, publishes=False, date=DATE)
    # Only the sources read, each with its rows, its distinct bad rows and its SHA-256.
    assert context.sources == (
        SourceRecord("survey", "csv", "data/survey.csv", "ab" * 32, rows=44, left_out=2),
    )
    # A problem not about one row (a missing column) leaves no row out.
    assert context.left_out == {"scores": 2}
    assert context.unmeasured == ("tallies",)
    assert context.headlines == {"scores": "mean"}
    assert context.breakdowns == {"scores": ("ward",)}
    assert context.date == DATE
    assert context.version == socialcouncil.__version__


def test_published_counts_of_rows_follow_the_rule_for_counts_of_people() -> None:
    # The rows of a survey are its respondents: 2 rows left out is fewer than 10 people.
    context = socialcouncil.export_context(COUNCIL, MEASUREMENT, date=DATE)
    assert context.sources == (
        SourceRecord("survey", "csv", "data/survey.csv", "ab" * 32, rows=44, left_out=None),
    )
    assert context.left_out == {"scores": None}
    rounded = attrs.evolve(COUNCIL, publishing=PublishingSettings(round_to=5))
    context = socialcouncil.export_context(rounded, MEASUREMENT, date=DATE)
    assert [s.rows for s in context.sources] == [45]


def test_published_figures_come_after_disclosure_control() -> None:
    context = socialcouncil.export_context(COUNCIL, MEASUREMENT, date=DATE)
    assert context.published
    by_ward = {f.dimensions.get("ward"): f for f in context.figures}
    # South stands on 4 people: suppressed; North would give it away by subtraction.
    assert by_ward["South"].value is None
    assert by_ward["South"].suppressed == "primary"
    assert by_ward["North"].suppressed == "secondary"
    assert by_ward[None].value == 6.0


def test_figures_for_internal_use_are_as_measured() -> None:
    context = socialcouncil.export_context(COUNCIL, MEASUREMENT, publishes=False, date=DATE)
    assert not context.published
    assert context.figures == tuple(Figure.of(r) for r in MEASUREMENT.results)


def test_without_a_measurement_the_context_holds_the_council_alone() -> None:
    context = socialcouncil.export_context(COUNCIL, date=DATE)
    registered = socialcouncil.registered_continua()
    expected = ExportContext(COUNCIL, date=DATE, continua=COUNCIL.usable_continua(registered))
    assert context == expected
    assert "iap2-spectrum" in context.continua


def test_a_project_on_a_built_in_continuum_is_placed_on_it_in_the_report() -> None:
    council = socialcouncil.load("docs/examples/solihull.toml")
    context = socialcouncil.export_context(council, date=DATE)
    placed = {p.continuum for p in council.projects if p.continuum is not None}
    assert placed <= set(context.continua)


def test_the_date_is_the_one_given_then_source_date_epoch_then_today(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(SOURCE_DATE_EPOCH, "1774915200")  # 2026-03-31T00:00:00Z
    assert publication_date(datetime.date(2025, 1, 2)) == datetime.date(2025, 1, 2)
    assert publication_date() == DATE
    assert socialcouncil.export_context(COUNCIL).date == DATE
    monkeypatch.delenv(SOURCE_DATE_EPOCH)
    before = datetime.datetime.now(datetime.timezone.utc).date()
    found = publication_date()
    after = datetime.datetime.now(datetime.timezone.utc).date()
    assert found in {before, after}


@pytest.mark.parametrize("value", ["yesterday", "1.5", "99999999999999999999", "-1", "+5", "1_000"])
def test_a_malformed_source_date_epoch_stops_the_export(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv(SOURCE_DATE_EPOCH, value)
    with pytest.raises(SocialCouncilError) as caught:
        publication_date()
    assert str(caught.value) == (
        f"SOURCE_DATE_EPOCH is {value!r}; expected a whole number of seconds since "
        "1970-01-01 UTC, such as 1774915200"
    )


@given(st.dates(datetime.date(1970, 1, 1), datetime.date(9999, 12, 30)), st.integers(0, 86399))
def test_any_moment_of_a_day_in_source_date_epoch_gives_that_day(
    day: datetime.date, second: int
) -> None:
    midnight = datetime.datetime.combine(day, datetime.time(), datetime.timezone.utc)
    epoch = int(midnight.timestamp()) + second
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(SOURCE_DATE_EPOCH, str(epoch))
        assert publication_date() == day


@given(
    st.lists(
        st.builds(
            Result,
            measure=st.just("scores"),
            model=st.just("swemwbs"),
            indicator=st.sampled_from(["mean", "respondents"]),
            value=st.floats(0, 1000, allow_nan=False),
            n=st.none() | st.integers(0, 500),
            dimensions=st.dictionaries(st.sampled_from(["ward"]), st.sampled_from(["N", "S"])),
            people=st.booleans(),
        ),
        max_size=12,
    )
)
def test_every_result_becomes_one_figure_in_order_published_or_not(results: list[Result]) -> None:
    measurement = Measurement(tuple(results), headlines={"scores": "mean"})
    for publishes in (True, False):
        context = socialcouncil.export_context(COUNCIL, measurement, publishes=publishes, date=DATE)
        assert [(f.indicator, dict(f.dimensions)) for f in context.figures] == [
            (r.indicator, dict(r.dimensions)) for r in results
        ]
        for figure, source in zip(context.figures, results, strict=True):
            if not publishes or not source.people:
                assert figure == Figure.of(source)


# -- report sections --------------------------------------------------------------------------

SEEN: list[ExportContext] = []


def _note(context: ExportContext) -> Iterator[Paragraph]:
    SEEN.append(context)
    yield Paragraph(f"{len(context.figures)} figures")


def _broken(context: ExportContext) -> Iterator[Paragraph]:
    raise RuntimeError("no notes today")
    yield Paragraph("never")


class SectionsPlugin:
    """A plugin with one section that works and one that fails."""

    @hookimpl
    def register_report_sections(self) -> list[ReportSection]:
        return [
            ReportSection(id="notes", title="Notes", build=_note),
            ReportSection(id="broken", title="Broken", build=_broken),
        ]


def test_sections_are_built_from_the_published_figures_only(
    register_plugin: Callable[..., PluginInfo],
) -> None:
    register_plugin(SectionsPlugin(), "sections-plugin")
    SEEN.clear()
    with pytest.warns(PluginWarning, match="the report section 'broken' failed: .*no notes today"):
        context = socialcouncil.export_context(COUNCIL, MEASUREMENT, date=DATE)
    assert [s.id for s in context.sections] == ["notes", "broken"]
    assert context.sections[0].blocks == (Paragraph("3 figures"),)
    assert context.sections[1].failure is not None
    # What the section saw had disclosure control applied.
    assert SEEN[0].published
    assert any(f.suppressed for f in SEEN[0].figures)
    SEEN.clear()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        internal = socialcouncil.export_context(COUNCIL, MEASUREMENT, publishes=False)
    assert internal.sections == ()
    assert SEEN == []


# -- export -----------------------------------------------------------------------------------

WRITTEN: list[tuple[ExportContext, Path, dict[str, str]]] = []


class Recorder:
    """Records what it is given; for internal use, so its figures are raw."""

    name: ClassVar[str] = "recorder"
    description: ClassVar[str] = "Records its context."
    suffix: ClassVar[str] = ".txt"
    publishes: ClassVar[bool] = False

    def __init__(self, **options: str) -> None:
        if set(options) - {"title"}:
            raise TypeError(f"unknown options: {', '.join(options)}")
        self.options = options

    def export(self, context: ExportContext, destination: Path) -> None:
        WRITTEN.append((context, destination, self.options))
        destination.write_text("recorded", encoding="utf-8")


class Breaks:
    """An exporter with a bug."""

    name: ClassVar[str] = "breaks"
    description: ClassVar[str] = "Fails."
    suffix: ClassVar[str] = ".txt"

    def __init__(self, **options: str) -> None:
        del options

    def export(self, context: ExportContext, destination: Path) -> None:
        del context, destination
        raise ZeroDivisionError("division by zero")


@hookimpl
def register_exporters() -> list[type[Any]]:
    return [Recorder, Breaks]


@pytest.fixture
def exporters(register_plugin: Callable[..., PluginInfo]) -> Iterator[None]:
    register_plugin(sys.modules[__name__], "test-exporters")
    WRITTEN.clear()
    yield
    WRITTEN.clear()


@pytest.mark.usefixtures("exporters")
def test_export_runs_the_exporter_with_its_options_and_returns_the_path(tmp_path: Path) -> None:
    path = socialcouncil.export(
        COUNCIL,
        "recorder",
        str(tmp_path / "out.txt"),
        measurement=MEASUREMENT,
        options={"title": "Annual"},
        date=DATE,
    )
    assert path == tmp_path / "out.txt"
    assert path.read_text(encoding="utf-8") == "recorded"
    context, destination, options = WRITTEN[0]
    assert destination == path
    assert options == {"title": "Annual"}
    # An exporter that does not publish is given the figures as measured.
    assert not context.published
    assert context.figures == tuple(Figure.of(r) for r in MEASUREMENT.results)
    assert context.date == DATE


@pytest.mark.usefixtures("exporters")
def test_export_names_the_exporters_there_are_for_an_unknown_one(tmp_path: Path) -> None:
    with pytest.raises(UnknownIdError) as caught:
        socialcouncil.export(COUNCIL, "pdf", tmp_path / "out.pdf")
    message = str(caught.value)
    assert message.startswith("no exporter with id 'pdf'; known: ")
    for name in ("'breaks'", "'html'", "'json'", "'recorder'", "'strategy-on-a-page'"):
        assert name in message
    assert not (tmp_path / "out.pdf").exists()


@pytest.mark.usefixtures("exporters")
def test_export_never_touches_what_is_there_without_force(tmp_path: Path) -> None:
    existing = tmp_path / "out.txt"
    existing.write_text("keep me", encoding="utf-8")
    with pytest.raises(FileExistsError, match=r"out\.txt is already there; use force"):
        socialcouncil.export(COUNCIL, "recorder", existing)
    assert existing.read_text(encoding="utf-8") == "keep me"
    assert WRITTEN == []
    socialcouncil.export(COUNCIL, "recorder", existing, force=True)
    assert existing.read_text(encoding="utf-8") == "recorded"


@pytest.mark.usefixtures("exporters")
def test_a_folder_is_never_replaced_by_a_file(tmp_path: Path) -> None:
    folder = tmp_path / "out.txt"
    folder.mkdir()
    (folder / "inside").write_text("keep me", encoding="utf-8")
    for force in (False, True):
        with pytest.raises(IsADirectoryError, match="is a folder, and the recorder exporter"):
            socialcouncil.export(COUNCIL, "recorder", folder, force=force)
    assert (folder / "inside").read_text(encoding="utf-8") == "keep me"


@pytest.mark.usefixtures("exporters")
def test_options_an_exporter_does_not_take_are_an_error_naming_them(tmp_path: Path) -> None:
    with pytest.raises(SocialCouncilError, match="the json exporter's options are not right: "):
        socialcouncil.export(COUNCIL, "json", tmp_path / "a.json", options={"indent": "2"})
    with pytest.raises(SocialCouncilError, match="unknown options: colour"):
        socialcouncil.export(COUNCIL, "recorder", tmp_path / "a.txt", options={"colour": "red"})
    assert not (tmp_path / "a.json").exists()


@pytest.mark.usefixtures("exporters")
def test_an_exporter_that_fails_is_named(tmp_path: Path) -> None:
    with pytest.raises(PluginError) as caught:
        socialcouncil.export(COUNCIL, "breaks", tmp_path / "out.txt")
    assert str(caught.value) == (
        "plugin 'test-exporters': the exporter 'breaks' failed: "
        "ZeroDivisionError('division by zero')"
    )


def test_the_json_exporter_writes_a_council_that_loads_back(tmp_path: Path) -> None:
    path = socialcouncil.export(COUNCIL, "json", tmp_path / "anytown.json")
    assert socialcouncil.load(path) == COUNCIL
