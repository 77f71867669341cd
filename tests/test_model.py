"""The pure model: continua, crosswalks, projects and their invariants."""

from __future__ import annotations

import ast
import datetime
import math
from fractions import Fraction
from pathlib import Path

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
    Measure,
    Movement,
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


@given(strategies.continua(), st.data())
def test_movements_add_up_along_the_way(continuum: Continuum, data: st.DataObject) -> None:
    # Moving a to b, then b to c, is moving a to c: in levels exactly, in position to the float.
    a, b, c = (data.draw(st.sampled_from(continuum.level_ids)) for _ in range(3))
    days = [datetime.date(2020, 1, 1), datetime.date(2021, 1, 1), datetime.date(2022, 1, 1)]

    def moved(start: str, end: str) -> Movement:
        placed = Project(
            id="p",
            title="P",
            calibrations=[
                Calibration(date=days[0], level=start),
                Calibration(date=days[1], level=end),
            ],
        )
        movement = placed.movement(continuum)
        assert movement is not None
        return movement

    whole, first, second = moved(a, c), moved(a, b), moved(b, c)
    assert whole.levels == first.levels + second.levels
    assert whole.position == pytest.approx(first.position + second.position)
    assert (whole.levels > 0) == (whole.position > 0)
    assert -1.0 <= whole.position <= 1.0


@given(strategies.continua(), st.data())
def test_a_movements_position_is_the_float_nearest_the_exact_fraction(
    continuum: Continuum, data: st.DataObject
) -> None:
    start, end = (data.draw(st.sampled_from(continuum.level_ids)) for _ in range(2))
    project = Project(
        id="p", title="P", calibrations=[on("2020-01-01", start), on("2021-01-01", end)]
    )
    movement = project.movement(continuum)
    assert movement is not None
    steps = len(continuum.levels) - 1
    exact = Fraction(continuum.rank(end) - continuum.rank(start), steps)
    # No float is nearer the exact fraction than the one given.
    assert abs(Fraction(movement.position) - exact) <= abs(
        Fraction(math.nextafter(movement.position, math.inf)) - exact
    )
    assert abs(Fraction(movement.position) - exact) <= abs(
        Fraction(math.nextafter(movement.position, -math.inf)) - exact
    )


def test_a_third_of_a_scale_is_shown_as_a_third() -> None:
    four = scale("a", "b", "c", "d")
    project = Project(
        id="p", title="P", calibrations=[on("2020-01-01", "b"), on("2021-01-01", "c")]
    )
    movement = project.movement(four)
    assert movement is not None
    assert repr(movement.position) == "0.3333333333333333"


@pytest.mark.parametrize(
    ("levels", "text"),
    [
        (
            ("inform", "collaborate"),
            "up 3 levels on 'ladder', from Inform (2020-01-01) to Collaborate (2021-01-01)",
        ),
        (
            ("consult", "involve"),
            "up 1 level on 'ladder', from Consult (2020-01-01) to Involve (2021-01-01)",
        ),
        (
            ("empower", "consult"),
            "down 3 levels on 'ladder', from Empower (2020-01-01) to Consult (2021-01-01)",
        ),
        (
            ("consult", "consult"),
            "no movement on 'ladder': Consult (2020-01-01), still at Consult (2021-01-01)",
        ),
    ],
)
def test_a_movement_reads_as_words(levels: tuple[str, str], text: str) -> None:
    project = Project(
        id="p", title="P", calibrations=[on("2020-01-01", levels[0]), on("2021-01-01", levels[1])]
    )
    assert str(project.movement(LADDER)) == text


def test_a_single_calibration_reads_as_no_movement() -> None:
    project = Project(id="p", title="P", calibrations=[on("2020-01-01", "consult")])
    assert (
        str(project.movement(LADDER))
        == "no movement on 'ladder': one calibration, Consult (2020-01-01)"
    )


def test_a_movement_built_without_its_continuum_reads_with_level_ids() -> None:
    movement = Movement(
        start=on("2020-01-01", "inform"), end=on("2021-01-01", "consult"), levels=1, position=0.25
    )
    assert str(movement) == "up 1 level, from 'inform' (2020-01-01) to 'consult' (2021-01-01)"


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


# -- measures ---------------------------------------------------------------------------------


@pytest.mark.parametrize("huge", [10**400, -(10**400), 10**5000], ids=["1e400", "-1e400", "1e5000"])
def test_a_number_too_large_for_a_float_is_an_invalid_value(huge: int) -> None:
    with pytest.raises(InvalidValueError) as caught:
        Measure(id="m", name="M", unit="people", baseline=huge)
    assert caught.value.field == "baseline"
    assert caught.value.found == huge
    assert "a whole number of" in str(caught.value)
    assert len(str(caught.value)) < 200


def test_the_largest_float_and_large_whole_numbers_within_it_are_accepted() -> None:
    assert Measure(id="m", name="M", unit="u", target=1.7976931348623157e308).target
    assert Measure(id="m", name="M", unit="u", baseline=2**53 + 1).baseline == 2**53 + 1


# -- which continuum a project is on ----------------------------------------------------------

OURS = scale("told", "asked", id="ours")
REGISTERED = {"ladder": LADDER, "ours": scale("x", "y", id="ours")}
PLACED = Council(
    name="Anytown",
    continua=[OURS, scale("a", "b", id="ours")],
    projects=[
        Project(
            id="cafe",
            title="Café",
            continuum="ours",
            calibrations=[on("2020-01-01", "told"), on("2021-01-01", "asked")],
        ),
        Project(
            id="hub",
            title="Hub",
            continuum="ladder",
            calibrations=[on("2020-01-01", "inform"), on("2021-01-01", "involve")],
        ),
        Project(id="plan", title="Plan"),
        Project(id="lost", title="Lost", continuum="nowhere"),
    ],
)


def test_a_project_is_on_the_first_of_the_councils_own_continua_of_its_id() -> None:
    assert PLACED.continuum_for("cafe", REGISTERED) is OURS
    assert PLACED.continuum_for(PLACED.projects[0]) is OURS


def test_a_project_may_be_on_a_registered_continuum() -> None:
    assert PLACED.continuum_for("hub", REGISTERED) is LADDER
    with pytest.raises(UnknownIdError, match="no continuum with id 'ladder'"):
        PLACED.continuum_for("hub")


def test_a_project_naming_no_continuum_is_on_none_and_an_unknown_one_is_an_error() -> None:
    assert PLACED.continuum_for("plan", REGISTERED) is None
    assert PLACED.movement("plan", REGISTERED) is None
    with pytest.raises(UnknownIdError, match="no continuum with id 'nowhere'"):
        PLACED.continuum_for("lost", REGISTERED)
    with pytest.raises(UnknownIdError, match="no project with id 'nope'"):
        PLACED.continuum_for("nope", REGISTERED)


def test_a_councils_movement_finds_the_continuum_itself() -> None:
    movement = PLACED.movement("hub", REGISTERED)
    assert movement is not None
    assert (movement.levels, movement.continuum) == (2, LADDER)
    since = PLACED.movement("cafe", REGISTERED, since=datetime.date(2021, 6, 1))
    assert since is not None
    assert since.levels == 0


def test_the_top_level_forms_use_the_registered_continua() -> None:
    import socialcouncil

    council = Council(
        name="Demo",
        projects=[
            Project(
                id="cafe",
                title="Café",
                continuum="iap2-spectrum",
                calibrations=[on("2020-01-01", "inform"), on("2021-01-01", "involve")],
            )
        ],
    )
    assert (
        socialcouncil.continuum_for(council, "cafe")
        == socialcouncil.registered_continua()["iap2-spectrum"]
    )
    assert str(socialcouncil.movement(council, "cafe")) == (
        "up 2 levels on 'iap2-spectrum', from Inform (2020-01-01) to Involve (2021-01-01)"
    )


def test_the_councils_own_crosswalk_takes_the_place_of_a_registered_one() -> None:
    own = Crosswalk(from_="ours", to="ladder", map={"told": "consult"})
    registered = [
        Crosswalk(from_="ours", to="ladder"),
        Crosswalk(from_="ladder", to="ours"),
        Crosswalk(from_="ladder", to="ours", map={"empower": "asked"}),
    ]
    council = Council(name="Demo", crosswalks=[own])
    assert council.usable_crosswalks(registered) == (own, registered[1])


# -- what a model requires --------------------------------------------------------------------


@pytest.mark.parametrize(
    "requirement",
    ["socialcouncil-kirklees", "socialcouncil-kirklees>=1.0", "x[extra]~=2.1; python_version>'3'"],
)
def test_a_council_requires_plugins_by_requirement_string(requirement: str) -> None:
    assert Council(name="Demo", requires=[requirement]).requires == (requirement,)


@pytest.mark.parametrize(
    ("requirement", "reason"),
    [
        ("socialcouncil-kirklees>>1", "Expected"),
        ("", "Expected package name"),
        ("kirklees @ https://example.org/k.whl", "not a URL"),
        (3, "a requirement string"),
    ],
)
def test_a_requirement_that_is_not_one_is_an_invalid_value(
    requirement: object, reason: str
) -> None:
    with pytest.raises(InvalidValueError) as caught:
        Council(name="Demo", requires=["ok", requirement])
    assert caught.value.field == "requires[1]"
    assert reason in caught.value.expected


# -- where the model sits -----------------------------------------------------------------------

SOURCE = Path(__file__).resolve().parent.parent / "src" / "socialcouncil"


def imported_modules(file: Path) -> set[str]:
    tree = ast.parse(file.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def test_the_model_imports_nothing_from_the_rest_of_the_package() -> None:
    for file in (SOURCE / "model").glob("*.py"):
        outside = {
            m
            for m in imported_modules(file)
            if m.startswith("socialcouncil") and not m.startswith("socialcouncil.model")
        }
        assert outside == set(), file.name


def test_nothing_outside_the_model_imports_its_private_modules() -> None:
    for file in SOURCE.rglob("*.py"):
        if file.parent.name == "model":
            continue
        private = {m for m in imported_modules(file) if m.startswith("socialcouncil.model._")}
        assert private == set(), file.relative_to(SOURCE)
