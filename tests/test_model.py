"""The pure model: continua, crosswalks, projects and their invariants."""

from __future__ import annotations

import datetime
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socialcouncil import (
    Calibration,
    Continuum,
    Council,
    Crosswalk,
    InvalidValueError,
    Level,
    Project,
    UnknownIdError,
    Value,
)
from socialcouncil.testing import strategies


def scale(*ids: str, id: str = "scale") -> Continuum:  # noqa: A002
    return Continuum(id=id, name=id.title(), levels=[Level(id=i, label=i.title()) for i in ids])


LADDER = scale("inform", "consult", "involve", "collaborate", "empower", id="ladder")


def on(day: str, level: str) -> Calibration:
    return Calibration(date=datetime.date.fromisoformat(day), level=level)


# -- continua ---------------------------------------------------------------------------------


def test_rank_and_position_count_from_the_lowest_level() -> None:
    assert [LADDER.rank(i) for i in LADDER.level_ids] == [0, 1, 2, 3, 4]
    assert [LADDER.position(i) for i in LADDER.level_ids] == [0.0, 0.25, 0.5, 0.75, 1.0]


def test_compare_orders_levels() -> None:
    assert LADDER.compare("consult", "empower") == -1
    assert LADDER.compare("empower", "consult") == 1
    assert LADDER.compare("involve", "involve") == 0


def test_unknown_levels_are_named_with_the_levels_there_are() -> None:
    with pytest.raises(UnknownIdError) as caught:
        LADDER.rank("co-produce")
    assert str(caught.value) == (
        "no level of continuum 'ladder' with id 'co-produce'; known: "
        "'inform', 'consult', 'involve', 'collaborate', 'empower'"
    )
    assert isinstance(caught.value, LookupError)


@given(strategies.continua())
def test_position_rises_with_rank_from_zero_to_one(continuum: Continuum) -> None:
    positions = [continuum.position(i) for i in continuum.level_ids]
    assert positions[0] == 0.0
    assert positions[-1] == 1.0
    assert positions == sorted(positions)


@given(strategies.continua())
def test_nearest_finds_every_level_at_its_own_position(continuum: Continuum) -> None:
    for level in continuum.levels:
        assert continuum.nearest(continuum.position(level.id)) == level


def test_nearest_breaks_ties_towards_the_lower_level() -> None:
    three = scale("a", "b", "c")
    assert three.nearest(0.25).id == "a"
    assert three.nearest(0.75).id == "b"
    assert three.nearest(0.76).id == "c"


def test_a_continuum_needs_two_levels_with_distinct_ids() -> None:
    with pytest.raises(InvalidValueError, match="levels: found 1, expected at least two levels"):
        scale("only")
    with pytest.raises(InvalidValueError) as caught:
        scale("a", "b", "a")
    assert caught.value.field == "levels[2].id"


@pytest.mark.parametrize("bad", ["Inform", "in form", "-inform", "", "inform_", 5])
def test_ids_are_lowercase_letters_digits_and_hyphens(bad: object) -> None:
    with pytest.raises(InvalidValueError) as caught:
        Level(id=bad, label="Inform")  # type: ignore[arg-type]
    assert caught.value.field == "id"
    assert caught.value.found == bad


def test_text_fields_must_say_something() -> None:
    with pytest.raises(InvalidValueError, match="label: found '  ', expected a non-empty string"):
        Level(id="inform", label="  ")


# -- crosswalks -------------------------------------------------------------------------------


def test_a_crosswalk_without_a_map_goes_by_nearest_position() -> None:
    three = scale("low", "mid", "high", id="three")
    assert Crosswalk(from_="three", to="ladder").mapping(three, LADDER) == {
        "low": "inform",
        "mid": "involve",
        "high": "empower",
    }
    assert Crosswalk(from_="ladder", to="three").mapping(LADDER, three) == {
        "inform": "low",
        "consult": "low",
        "involve": "mid",
        "collaborate": "mid",
        "empower": "high",
    }


def test_an_explicit_map_wins_and_the_rest_go_by_position() -> None:
    three = scale("low", "mid", "high", id="three")
    walk = Crosswalk(from_="three", to="ladder", map={"high": "collaborate"})
    assert walk.mapping(three, LADDER) == {"low": "inform", "mid": "involve", "high": "collaborate"}
    assert walk.translate("high", three, LADDER).id == "collaborate"
    assert walk.translate("low", three, LADDER).id == "inform"


def test_a_crosswalk_refuses_the_wrong_continua() -> None:
    walk = Crosswalk(from_="three", to="ladder")
    with pytest.raises(InvalidValueError, match="source: found 'ladder'"):
        walk.mapping(LADDER, LADDER)


def test_monotone_means_a_higher_level_never_maps_lower() -> None:
    three = scale("low", "mid", "high", id="three")
    assert Crosswalk(from_="three", to="ladder").is_monotone(three, LADDER)
    crossed = Crosswalk(from_="three", to="ladder", map={"low": "empower"})
    assert not crossed.is_monotone(three, LADDER)
    unknown = Crosswalk(from_="three", to="ladder", map={"low": "nowhere"})
    assert not unknown.is_monotone(three, LADDER)


@given(strategies.continua(), strategies.continua())
def test_a_crosswalk_by_position_is_always_monotone(a: Continuum, b: Continuum) -> None:
    assert Crosswalk(from_=a.id, to=b.id).is_monotone(a, b)


@given(strategies.continua())
def test_a_continuum_crosswalked_to_itself_maps_each_level_to_itself(c: Continuum) -> None:
    mapping = Crosswalk(from_=c.id, to=c.id).mapping(c, c)
    assert mapping == {i: i for i in c.level_ids}


# -- projects ---------------------------------------------------------------------------------


def test_current_is_the_latest_calibration_by_date() -> None:
    project = Project(
        id="cafe",
        title="Solihull Café",
        continuum="ladder",
        calibrations=[
            on("2024-06-01", "involve"),
            on("2023-01-01", "inform"),
            on("2024-01-01", "consult"),
        ],
    )
    assert project.current == on("2024-06-01", "involve")


def test_on_a_tie_the_later_calibration_in_the_file_is_current() -> None:
    project = Project(
        id="cafe",
        title="Café",
        calibrations=[on("2024-06-01", "consult"), on("2024-06-01", "involve")],
    )
    assert project.current is not None
    assert project.current.level == "involve"


def test_a_project_with_no_calibrations_has_no_current_and_no_movement() -> None:
    project = Project(id="cafe", title="Café", continuum="ladder")
    assert project.current is None
    assert project.movement(LADDER) is None


def test_movement_counts_levels_and_position_from_the_first_calibration() -> None:
    project = Project(
        id="digital",
        title="Assisted Digital",
        calibrations=[
            on("2020-01-01", "inform"),
            on("2022-01-01", "consult"),
            on("2024-01-01", "collaborate"),
        ],
    )
    movement = project.movement(LADDER)
    assert movement is not None
    assert (movement.levels, movement.position) == (3, 0.75)
    assert movement.start == on("2020-01-01", "inform")
    assert movement.end == on("2024-01-01", "collaborate")


def test_movement_since_a_date_starts_from_the_calibration_in_force_then() -> None:
    project = Project(
        id="digital",
        title="Assisted Digital",
        calibrations=[
            on("2020-01-01", "inform"),
            on("2022-01-01", "consult"),
            on("2024-01-01", "collaborate"),
        ],
    )
    movement = project.movement(LADDER, since=datetime.date(2023, 6, 1))
    assert movement is not None
    assert movement.start == on("2022-01-01", "consult")
    assert movement.levels == 2
    before = project.movement(LADDER, since=datetime.date(2019, 1, 1))
    assert before is not None
    assert before.start == on("2020-01-01", "inform")


def test_movement_down_is_negative() -> None:
    project = Project(
        id="p", title="P", calibrations=[on("2020-01-01", "empower"), on("2021-01-01", "consult")]
    )
    movement = project.movement(LADDER)
    assert movement is not None
    assert (movement.levels, movement.position) == (-3, -0.75)


@given(
    st.lists(st.tuples(strategies.dates, st.sampled_from(LADDER.level_ids)), min_size=1, max_size=6)
)
def test_movement_is_current_rank_less_starting_rank(
    placements: list[tuple[datetime.date, str]],
) -> None:
    project = Project(
        id="p", title="P", calibrations=[Calibration(date=d, level=lv) for d, lv in placements]
    )
    movement = project.movement(LADDER)
    assert movement is not None
    assert project.current is not None
    assert movement.end == project.current
    assert movement.start.date == min(d for d, _ in placements)
    assert movement.levels == LADDER.rank(movement.end.level) - LADDER.rank(movement.start.level)


def test_calibrations_are_dates_not_instants() -> None:
    with pytest.raises(InvalidValueError, match="expected a date, such as 2025-03-31"):
        Calibration(date=datetime.datetime(2024, 1, 1, 10, 0), level="inform")


def test_model_objects_are_frozen_and_hashable() -> None:
    project = Project(id="p", title="P", values=["citizen-voice"])
    with pytest.raises(AttributeError):
        project.title = "Q"  # type: ignore[misc]
    assert project.values == ("citizen-voice",)
    assert hash(project) == hash(Project(id="p", title="P", values=("citizen-voice",)))


# -- council ----------------------------------------------------------------------------------


def test_council_lookups_by_id() -> None:
    council = Council(
        name="Solihull",
        values=[Value(id="citizen-voice", name="A stronger voice for citizens")],
        continua=[LADDER],
        projects=[Project(id="cafe", title="Café")],
    )
    assert council.value("citizen-voice").name == "A stronger voice for citizens"
    assert council.continuum("ladder") is LADDER
    assert council.project("cafe").title == "Café"
    with pytest.raises(UnknownIdError, match="no project with id 'caff'; known: 'cafe'"):
        council.project("caff")


@given(strategies.continua(), strategies.continua())
def test_a_crosswalk_by_position_picks_the_nearest_level_exactly_ties_down(
    a: Continuum, b: Continuum
) -> None:
    # Checked with exact fractions, so no floating-point rounding can hide a wrong choice.
    mapping = Crosswalk(from_=a.id, to=b.id).mapping(a, b)
    for rank, level in enumerate(a.levels):
        source = Fraction(rank, len(a.levels) - 1)
        distances = [abs(Fraction(i, len(b.levels) - 1) - source) for i in range(len(b.levels))]
        expected = distances.index(min(distances))  # index() finds the lower level on a tie
        assert mapping[level.id] == b.levels[expected].id


def test_a_tie_on_arnsteins_eight_rungs_goes_to_the_lower_rung() -> None:
    eight = scale("r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7")
    assert eight.nearest(0.5).id == "r3"
