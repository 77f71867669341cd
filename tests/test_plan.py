"""The measurement plan in a model file: sources, the measure's plan keys and observations."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import socialcouncil
from socialcouncil import (
    Council,
    InvalidValueError,
    Measure,
    ModelFileError,
    Observation,
    Source,
    is_period,
)
from socialcouncil.testing import strategies

PLAN = """
[council]
name = "Anytown Borough Council"

[[sources]]
id = "residents-survey"
type = "csv"
location = "data/residents-survey.csv"
options = { delimiter = ";", skip = [1, 2], header = true }

[[sources]]
id = "connections"
type = "csv"
location = "data/connections.csv"

[[measures]]
id = "wellbeing"
name = "Mental wellbeing (SWEMWBS)"
unit = "metric score"
model = "swemwbs"
source = "residents-survey"
columns = { item1 = "Q1", ward = "Ward" }
by = ["ward"]
period = "quarter"
headline = "mean-metric-score"
options = { }

[[measures]]
id = "networks"
name = "Ties"
unit = "ties"
model = "networks"
source = { ties = "connections", people = "residents-survey" }
columns = { ties = { from = "From", to = "To" }, people = { person = "Respondent" } }
options = { institutional_roles = ["officer", "councillor"] }

[[measures]]
id = "volunteers"
name = "Residents volunteering"
unit = "people"

[[measures.observations]]
period = "2025/26"
value = 412

[[measures.observations]]
period = "2025-Q1"
value = 98.5
n = 120
area = "Blythe"
"""


def problems(text: str, fmt: socialcouncil.files.Format = "toml") -> list[str]:
    with pytest.raises(ModelFileError) as caught:
        socialcouncil.loads(text, fmt)
    return [p.render() for p in caught.value.problems]


def test_a_plan_reads_into_sources_measures_and_observations() -> None:
    council = socialcouncil.loads(PLAN)
    survey, connections = council.sources
    assert survey == Source(
        id="residents-survey",
        type="csv",
        location="data/residents-survey.csv",
        options={"delimiter": ";", "skip": (1, 2), "header": True},
    )
    assert connections.options == {}
    wellbeing, networks, volunteers = council.measures
    assert wellbeing.model == "swemwbs"
    assert wellbeing.source == "residents-survey"
    assert wellbeing.inputs == {"data": "residents-survey"}
    assert wellbeing.columns == {"item1": "Q1", "ward": "Ward"}
    assert wellbeing.by == ("ward",)
    assert wellbeing.period == "quarter"
    assert wellbeing.headline == "mean-metric-score"
    assert networks.inputs == {"ties": "connections", "people": "residents-survey"}
    assert networks.columns == {
        "ties": {"from": "From", "to": "To"},
        "people": {"person": "Respondent"},
    }
    assert networks.options == {"institutional_roles": ("officer", "councillor")}
    assert volunteers.model is None
    assert volunteers.inputs == {}
    assert volunteers.observations == (
        Observation(period="2025/26", value=412),
        Observation(period="2025-Q1", value=98.5, n=120, area="Blythe"),
    )


@pytest.mark.parametrize("fmt", ["toml", "json", "yaml"])
def test_a_plan_is_written_back_as_it_was_read(fmt: socialcouncil.files.Format) -> None:
    council = socialcouncil.loads(PLAN)
    assert socialcouncil.loads(socialcouncil.dumps(council, fmt), fmt) == council


def test_a_plan_is_written_in_the_shape_it_is_read_in() -> None:
    data = socialcouncil.files.unstructure(socialcouncil.loads(PLAN))
    assert data["sources"][0]["options"] == {"delimiter": ";", "skip": [1, 2], "header": True}
    networks = data["measures"][1]
    assert networks["source"] == {"ties": "connections", "people": "residents-survey"}
    assert networks["options"] == {"institutional_roles": ["officer", "councillor"]}
    assert data["measures"][2]["observations"][0] == {"period": "2025/26", "value": 412}
    # Keys left at their defaults are left out.
    assert "options" not in data["sources"][1]
    assert set(data["measures"][2]) == {"id", "name", "unit", "observations"}


@pytest.mark.parametrize("fmt", ["toml", "json", "yaml"])
@given(
    council=st.builds(
        Council,
        name=strategies.text,
        sources=st.lists(strategies.sources, max_size=3),
        measures=st.lists(strategies.measures, max_size=3),
    )
)
def test_every_plan_survives_a_round_trip(
    fmt: socialcouncil.files.Format, council: Council
) -> None:
    assert socialcouncil.loads(socialcouncil.dumps(council, fmt), fmt) == council


BAD = """
[council]
name = "X"

[[sources]]
id = "Survey"
type = 3
options = { delimiter = { a = 1 }, skip = [1, [2], nan], big = 2025-01-01 }
colour = "x"

[[measures]]
id = "w"
name = "W"
unit = "u"
model = "Swemwbs"
source = { ties = 3 }
columns = { a = 1, b = { c = 2 } }
period = "week"
headline = 3
options = { x = [1, { y = 2 }] }
observation = []

[[measures.observations]]
period = "2025/27"
value = "a"
n = -1
area = 3

[[measures.observations]]
value = 3
"""


def test_every_problem_in_a_plan_is_reported_at_once_with_its_path() -> None:
    assert problems(BAD) == [
        (
            "sources[0].id: found 'Survey', expected an id of lowercase letters, digits and "
            "hyphens, such as 'citizen-voice'"
        ),
        "sources[0].type: found 3, expected a string",
        (
            "sources[0].options.delimiter: found a table, expected a string, a number, true or "
            "false, or a list of them"
        ),
        "sources[0].options.skip[1]: found a list, expected a string, a number, true or false",
        "sources[0].options.skip[2]: found nan, expected a finite number",
        (
            "sources[0].options.big: found 2025-01-01, expected a string, a number, true or false, "
            "or a list of them"
        ),
        "sources[0].colour: unknown key; expected one of id, type, location or options",
        (
            "measures[0].model: found 'Swemwbs', expected an id of lowercase letters, digits and "
            "hyphens, such as 'citizen-voice'"
        ),
        "measures[0].source.ties: found 3, expected a source id",
        (
            "measures[0].columns.a: found 1, expected a column name, or a table of field name to "
            "column name"
        ),
        "measures[0].columns.b.c: found 2, expected a column name",
        (
            "measures[0].period: found 'week', expected one of 'month', 'quarter', 'year', "
            "'financial-year'"
        ),
        "measures[0].headline: found 3, expected a string",
        "measures[0].options.x[1]: found a table, expected a string, a number, true or false",
        (
            "measures[0].observations[0].period: found '2025/27', expected a period: a month such "
            "as '2025-03', a quarter such as '2025-Q1', a year such as '2025' or a financial year "
            "such as '2025/26'"
        ),
        "measures[0].observations[0].value: found 'a', expected a number",
        "measures[0].observations[0].n: found -1, expected a whole number, 0 or more",
        "measures[0].observations[0].area: found 3, expected a string",
        "measures[0].observations[1].period: missing; expected a string",
        "measures[0].observation: unknown key; did you mean 'observations'?",
    ]


def test_a_problem_in_a_json_plan_names_the_same_path() -> None:
    text = (
        '{"format": 1, "council": {"name": "X"}, "measures": [{"id": "m", "name": "M", '
        '"unit": "u", "source": ["a"], "columns": {"people": {"Person": "P", "": "Q"}}}]}'
    )
    assert problems(text, "json") == [
        (
            "measures[0].source: found a list, expected a source id, or a table of input name to "
            "source id"
        ),
        "measures[0].columns.people: found '', expected a field name",
    ]


def test_columns_are_all_flat_or_all_per_input() -> None:
    with pytest.raises(InvalidValueError, match="not both"):
        Measure(id="m", name="M", unit="u", columns={"ties": {"from": "From"}, "ward": "Ward"})


def test_by_names_each_field_once() -> None:
    with pytest.raises(InvalidValueError, match=r"by\[1\]: found 'ward', expected a name not"):
        Measure(id="m", name="M", unit="u", by=["ward", "ward"])


def test_a_source_mapping_names_inputs_and_sources_by_id() -> None:
    with pytest.raises(InvalidValueError, match="source: found 'Ties', expected an input name"):
        Measure(id="m", name="M", unit="u", source={"Ties": "connections"})
    with pytest.raises(InvalidValueError, match=r"source\.ties: found 'Connections'"):
        Measure(id="m", name="M", unit="u", source={"ties": "Connections"})


def test_option_values_are_scalars_or_lists_of_them() -> None:
    assert Source(id="s", type="csv", options={"a": [1, "b"]}).options == {"a": (1, "b")}
    with pytest.raises(InvalidValueError, match=r"options.a\[0\]: found \[1\]"):
        Source(id="s", type="csv", options={"a": [[1]]})
    with pytest.raises(InvalidValueError, match=r"options\.a: found inf"):
        Measure(id="m", name="M", unit="u", options={"a": float("inf")})
    with pytest.raises(InvalidValueError, match=r"options\.a: found None"):
        Measure(id="m", name="M", unit="u", options={"a": None})


@pytest.mark.parametrize(
    "period", ["2025-01", "2025-12", "2025-Q1", "2025-Q4", "2025", "2025/26", "1999/00"]
)
def test_periods_of_every_form_are_periods(period: str) -> None:
    assert is_period(period)
    assert Observation(period=period).period == period


@pytest.mark.parametrize(
    "period", ["2025-00", "2025-13", "2025-Q0", "2025-Q5", "25", "2025/27", "2025/2026", "2025-3"]
)
def test_other_text_is_no_period(period: str) -> None:
    assert not is_period(period)
    with pytest.raises(InvalidValueError, match="expected a period"):
        Observation(period=period)


@given(strategies.periods())
def test_the_strategy_draws_only_periods(period: str) -> None:
    assert is_period(period)


def test_the_council_keeps_its_sources_before_its_measures_in_a_file() -> None:
    text = socialcouncil.dumps(socialcouncil.loads(PLAN))
    assert text.index("[[sources]]") < text.index("[[measures]]")
