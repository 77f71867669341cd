"""The checks of the measurement plan: pure, given the registered models and data sources."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, ClassVar

import socialcouncil
from socialcouncil import Field, Indicator, Option, run_checks
from socialcouncil.checks.builtin import BUILTIN_CHECKS

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from socialcouncil import MeasurementContext

TODAY = datetime.date(2026, 1, 1)


class Ties:
    """A model with two inputs, for the checks to look at its fields."""

    name: ClassVar[str] = "ties"
    description: ClassVar[str] = "Ties between people."
    inputs: ClassVar[Mapping[str, tuple[Field, ...]]] = {
        "ties": (Field("from", "string"), Field("to", "string"), Field("date", "date", False)),
        "people": (Field("person", "string"), Field("group", "string")),
    }
    options: ClassVar[tuple[Option, ...]] = ()
    indicators: ClassVar[tuple[Indicator, ...]] = (Indicator("ties", "count", "ties", False),)
    headline: ClassVar[str] = "ties"

    def compute(self, context: MeasurementContext, keys: Sequence[str]) -> Any:
        raise NotImplementedError


class Survey:
    """A model with one input and no date field."""

    name: ClassVar[str] = "survey"
    description: ClassVar[str] = "Answers to a survey."
    inputs: ClassVar[Mapping[str, tuple[Field, ...]]] = {
        "data": (Field("item1", "integer"), Field("item2", "integer")),
    }
    options: ClassVar[tuple[Option, ...]] = ()
    indicators: ClassVar[tuple[Indicator, ...]] = (Indicator("mean", "mean", "points", True),)
    headline: ClassVar[str] = "mean"

    def compute(self, context: MeasurementContext, keys: Sequence[str]) -> Any:
        raise NotImplementedError


MODELS: dict[str, Any] = {"ties": Ties, "survey": Survey}

HEADER = """
[council]
name = "Anytown Borough Council"

[[sources]]
id = "connections"
type = "csv"
location = "connections.csv"

[[sources]]
id = "residents"
type = "csv"
location = "residents.csv"
"""


def found(text: str, *, data_sources: tuple[str, ...] = ("csv",)) -> list[tuple[str, str, str]]:
    council = socialcouncil.loads(HEADER + text)
    plan_rules = {"unknown-source", "unknown-model", "unknown-field", "missing-location"}
    return [
        (f.rule, f.path, f.message)
        for f in run_checks(
            council, BUILTIN_CHECKS, today=TODAY, models=MODELS, data_sources=data_sources
        )
        if f.rule in plan_rules
    ]


def test_a_plan_that_names_what_exists_has_no_findings() -> None:
    assert (
        found("""
[[measures]]
id = "networks"
name = "Ties"
unit = "ties"
model = "ties"
source = { ties = "connections", people = "residents" }
columns = { ties = { from = "From", to = "To" }, people = { person = "Name", ward = "Ward" } }
by = ["ward"]
period = "year"

[[measures]]
id = "survey"
name = "Survey"
unit = "points"
model = "survey"
source = "residents"
columns = { item1 = "Q1", area = "Ward" }
by = ["area", "Age band"]
""")
        == []
    )


def test_unknown_sources_and_data_sources_are_named_with_the_nearest() -> None:
    text = """
[[sources]]
id = "timebank"
type = "xlsx"
location = "timebank.xlsx"

[[measures]]
id = "networks"
name = "Ties"
unit = "ties"
model = "ties"
source = { ties = "conections", people = "residents" }

[[measures]]
id = "survey"
name = "Survey"
unit = "points"
model = "survey"
source = "elsewhere"
"""
    assert found(text, data_sources=("csv", "excel")) == [
        (
            "unknown-source",
            "sources[2].type",
            "no registered data source 'xlsx'; expected 'csv' or 'excel'",
        ),
        (
            "unknown-source",
            "measures[0].source.ties",
            "no source with id 'conections'; did you mean 'connections'?",
        ),
        ("unknown-source", "measures[1].source", "no source with id 'elsewhere'"),
    ]


def test_an_unknown_model_is_named_with_the_nearest() -> None:
    text = """
[[measures]]
id = "survey"
name = "Survey"
unit = "points"
model = "survy"
columns = { nothing = "x" }
"""
    # A model that is not known has no fields to check its columns against.
    assert found(text) == [
        (
            "unknown-model",
            "measures[0].model",
            "no registered measurement model 'survy'; did you mean 'survey'?",
        ),
    ]


def test_columns_must_name_fields_of_the_model_or_of_by() -> None:
    text = """
[[measures]]
id = "survey"
name = "Survey"
unit = "points"
model = "survey"
source = "residents"
columns = { item3 = "Q3", ward = "Ward", "Age band" = "Age" }
period = "month"
"""
    assert found(text) == [
        (
            "unknown-field",
            "measures[0].columns['Age band']",
            (
                "'survey' has no field 'Age band', and by does not name it; expected 'item1' "
                "or 'item2'"
            ),
        ),
        (
            "unknown-field",
            "measures[0].columns.item3",
            "'survey' has no field 'item3', and by does not name it; did you mean 'item2'?",
        ),
        (
            "unknown-field",
            "measures[0].columns.ward",
            "'survey' has no field 'ward', and by does not name it; expected 'item1' or 'item2'",
        ),
        (
            "unknown-field",
            "measures[0].period",
            "period 'month' breaks results down by the model's date field, and 'survey' has none",
        ),
    ]


def test_columns_per_input_are_checked_against_that_input() -> None:
    text = """
[[measures]]
id = "networks"
name = "Ties"
unit = "ties"
model = "ties"
source = { ties = "connections", people = "residents", peple = "residents" }
columns = { ties = { from = "From", person = "P" }, persons = { person = "P" } }
"""
    assert found(text) == [
        (
            "unknown-field",
            "measures[0].source.peple",
            "'ties' has no input 'peple'; did you mean 'people'?",
        ),
        (
            "unknown-field",
            "measures[0].columns.persons",
            "'ties' has no input 'persons'; expected 'ties' or 'people'",
        ),
        (
            "unknown-field",
            "measures[0].columns.ties.person",
            (
                "'ties' has no field 'person' in its input 'ties', and by does not name it; "
                "expected one of 'from', 'to' or 'date'"
            ),
        ),
    ]


def test_a_council_only_model_has_no_use_for_a_source() -> None:
    council = socialcouncil.loads(
        HEADER
        + """
[[measures]]
id = "profile"
name = "Profile"
unit = "projects"
model = "calibration-profile"
source = "residents"
"""
    )
    [finding] = [f for f in socialcouncil.check(council, today=TODAY) if f.rule == "unknown-field"]
    assert finding.path == "measures[0].source"
    assert (
        finding.message
        == "'calibration-profile' reads only the council: it has no use for a source"
    )


def test_a_source_needs_a_location() -> None:
    text = """
[[sources]]
id = "blank"
type = "csv"
location = "  "

[[sources]]
id = "nowhere"
type = "csv"
"""
    assert found(text) == [
        (
            "missing-location",
            "sources[2].location",
            (
                "source 'blank' needs a location, such as a file's path, to be read from; "
                "found an empty one"
            ),
        ),
        (
            "missing-location",
            "sources[3].location",
            "source 'nowhere' needs a location, such as a file's path, to be read from; found none",
        ),
    ]


def test_the_checks_read_nothing_but_what_they_are_given() -> None:
    # With no models or data sources given, every one named is unknown: nothing is looked up.
    council = socialcouncil.loads(
        HEADER + '\n[[measures]]\nid = "m"\nname = "M"\nunit = "u"\nmodel = "calibration-profile"\n'
    )
    rules = [f.rule for f in run_checks(council, BUILTIN_CHECKS, today=TODAY)]
    assert rules.count("unknown-source") == 2
    assert rules.count("unknown-model") == 1


def test_check_passes_the_registered_models_and_data_sources() -> None:
    council = socialcouncil.loads(
        HEADER + '\n[[measures]]\nid = "m"\nname = "M"\nunit = "u"\nmodel = "calibration-profile"\n'
    )
    assert socialcouncil.check(council, today=TODAY) == []


def test_a_council_only_model_that_follows_periods_itself_may_be_given_a_period() -> None:
    council = socialcouncil.loads(
        HEADER
        + '\n[[measures]]\nid = "m"\nname = "M"\nunit = "u"\n'
        + 'model = "coproduction-trajectory"\nperiod = "year"\n'
    )
    assert socialcouncil.check(council, today=TODAY) == []


def test_a_model_with_several_inputs_takes_its_columns_per_input() -> None:
    text = """
[[measures]]
id = "networks"
name = "Ties"
unit = "ties"
model = "ties"
source = { ties = "connections", people = "residents" }
columns = { from = "From" }
"""
    assert found(text) == [
        (
            "unknown-field",
            "measures[0].columns.from",
            (
                "'ties' reads several inputs (ties, people): its columns are given per input, "
                'as columns = { ties = { field = "Column" } }'
            ),
        ),
    ]
