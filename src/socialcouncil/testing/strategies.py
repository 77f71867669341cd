"""Hypothesis strategies for every model class, and for whole councils that pass every check.

Needs hypothesis: ``pip install "socialcouncil[testing]"``. For example, a plugin's exporter
should write any valid council::

    from hypothesis import given
    from socialcouncil.testing import strategies

    @given(strategies.valid_councils())
    def test_exports_any_council(council): ...
"""

from __future__ import annotations

import datetime
from typing import get_args

try:
    from hypothesis import strategies as st
except ImportError as exc:  # say what to install, not a traceback
    message = (
        'socialcouncil.testing.strategies needs hypothesis: pip install "socialcouncil[testing]"'
    )
    raise ImportError(message) from exc

from socialcouncil import (
    LICENCES,
    RULES,
    BigMove,
    Calibration,
    CheckSettings,
    Confidence,
    Continuum,
    Council,
    Crosswalk,
    DesignPrinciple,
    Direction,
    GoldenThread,
    Level,
    Measure,
    Observation,
    Outcome,
    PeriodKind,
    Priority,
    Project,
    PublishingSettings,
    Source,
    Status,
    Value,
)

__all__ = [
    "big_moves",
    "calibrations",
    "check_settings",
    "continua",
    "councils",
    "crosswalks",
    "dates",
    "design_principles",
    "ids",
    "levels",
    "measures",
    "observations",
    "option_values",
    "outcomes",
    "periods",
    "priorities",
    "projects",
    "publishing_settings",
    "sources",
    "text",
    "threads",
    "valid_councils",
    "values",
]

ids = st.from_regex(r"[a-z0-9][a-z0-9-]{0,12}", fullmatch=True)
"""Ids: lowercase letters, digits and hyphens."""
# Any text a person could type: every character but surrogates, which no file can hold.
text = st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=30).filter(
    lambda s: s.strip() != ""
)
"""Any text a person could type that says something: not empty, not only white space."""
optional_text = st.none() | text
dates = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31))
"""Dates from 1900 to 2100."""
numbers = (
    st.none() | st.integers(-(10**9), 10**9) | st.floats(allow_nan=False, allow_infinity=False)
)
id_lists = st.lists(ids, max_size=3)

levels = st.builds(Level, id=ids, label=text, description=optional_text, group=optional_text)
"""Levels (their ids are not unique among themselves: see :func:`continua`)."""


@st.composite
def continua(draw: st.DrawFn) -> Continuum:
    """A continuum with two to eight levels of distinct ids."""
    level_ids = draw(st.lists(ids, min_size=2, max_size=8, unique=True))
    return Continuum(
        id=draw(ids),
        name=draw(text),
        levels=[
            Level(
                id=i, label=draw(text), description=draw(optional_text), group=draw(optional_text)
            )
            for i in level_ids
        ],
        description=draw(optional_text),
        source=draw(optional_text),
    )


calibrations = st.builds(
    Calibration,
    date=dates,
    level=ids,
    assessor=optional_text,
    evidence=optional_text,
    confidence=st.sampled_from([None, *get_args(Confidence)]),
)
"""Calibrations on any level id (which need not exist)."""

projects = st.builds(
    Project,
    id=ids,
    title=text,
    summary=optional_text,
    owner=optional_text,
    status=st.sampled_from(get_args(Status)),
    values=id_lists,
    priorities=id_lists,
    big_moves=id_lists,
    continuum=st.none() | ids,
    target_level=st.none() | ids,
    calibrations=st.lists(calibrations, max_size=3),
)
"""Projects whose links need not resolve."""

_finite = st.floats(allow_nan=False, allow_infinity=False)
_scalars = text | st.integers(-(10**9), 10**9) | _finite | st.booleans()
option_values = _scalars | st.lists(_scalars, max_size=3).map(tuple)
"""Option values: strings, numbers, booleans, and tuples of them."""
_options = st.dictionaries(text, option_values, max_size=3)


@st.composite
def periods(draw: st.DrawFn) -> str:
    """Periods of every form: ``2025-03``, ``2025-Q1``, ``2025`` and ``2025/26``."""
    year = draw(st.integers(1900, 2100))
    form = draw(st.sampled_from(["month", "quarter", "year", "financial-year"]))
    if form == "month":
        return f"{year}-{draw(st.integers(1, 12)):02d}"
    if form == "quarter":
        return f"{year}-Q{draw(st.integers(1, 4))}"
    if form == "year":
        return str(year)
    return f"{year}/{(year + 1) % 100:02d}"


observations = st.builds(
    Observation,
    period=periods(),
    value=numbers,
    n=st.none() | st.integers(0, 10**6),
    area=optional_text,
)
"""Observations of a measure tracked by hand, for periods of every form."""

sources = st.builds(Source, id=ids, type=ids, location=optional_text, options=_options)
"""Sources of any type name, with or without a location."""

_field_names = ids | text
_flat_columns = st.dictionaries(_field_names, text, max_size=3)
_nested_columns = st.dictionaries(ids, st.dictionaries(_field_names, text, max_size=2), max_size=2)

measures = st.builds(
    Measure,
    id=ids,
    name=text,
    unit=text,
    direction=st.sampled_from(get_args(Direction)),
    baseline=numbers,
    target=numbers,
    values=id_lists,
    outcomes=id_lists,
    description=optional_text,
    model=st.none() | ids,
    source=st.none() | ids | st.dictionaries(ids, ids, max_size=2),
    columns=_flat_columns | _nested_columns,
    by=st.lists(text, max_size=2, unique=True),
    period=st.sampled_from([None, *get_args(PeriodKind)]),
    headline=st.none() | ids,
    options=_options,
    observations=st.lists(observations, max_size=2),
)
"""Measures whose links need not resolve, with measurement plans and observations."""

values = st.builds(
    Value, id=ids, name=text, statement=optional_text, teachable_point_of_view=optional_text
)
"""Values."""

priorities = st.builds(Priority, id=ids, name=text, description=optional_text)
"""Priorities."""

outcomes = st.builds(Outcome, id=ids, name=text, priority=ids, measures=id_lists)
"""Priority outcomes whose links need not resolve."""

design_principles = st.builds(DesignPrinciple, id=ids, statement=text)
"""Design principles."""

big_moves = st.builds(BigMove, id=ids, name=text, priorities=id_lists, description=optional_text)
"""Big moves whose links need not resolve."""

_rule_ids = st.sampled_from(tuple(RULES))

check_settings = st.builds(CheckSettings, ignore=st.lists(_rule_ids | ids, max_size=3))
"""Check settings, ignoring built-in rules and ids that may name no rule."""


@st.composite
def _publishing_settings(draw: st.DrawFn) -> PublishingSettings:
    threshold = draw(st.integers(5, 30))
    licence = draw(st.sampled_from(sorted(LICENCES)) | ids)
    custom = licence not in LICENCES or draw(st.booleans())
    return PublishingSettings(
        suppress_below=threshold,
        round_to=draw(st.none() | st.integers(1, threshold)),
        licence=licence,
        licence_title=draw(text) if custom else None,
        licence_url=draw(
            st.from_regex(r"https://[a-z]{1,10}\.org/[a-z0-9/-]{0,20}", fullmatch=True)
        )
        if custom
        else None,
    )


publishing_settings = _publishing_settings()
"""Publishing settings: any threshold from 5, rounding to no more than it, and a known licence
or another id with its title and web address."""

threads = st.builds(
    GoldenThread,
    purpose=optional_text,
    vision=optional_text,
    priorities=st.lists(priorities, max_size=3),
    outcomes=st.lists(outcomes, max_size=3),
    design_principles=st.lists(design_principles, max_size=3),
    big_moves=st.lists(big_moves, max_size=3),
)
"""Golden threads whose links need not resolve."""

crosswalks = st.builds(Crosswalk, from_=ids, to=ids, map=st.dictionaries(ids, ids, max_size=3))
"""Crosswalks between any continuum ids."""

councils = st.builds(
    Council,
    name=text,
    gss_code=st.none() | st.from_regex(r"[EWSNK][0-9]{8}", fullmatch=True),
    steering_group=optional_text,
    values=st.lists(values, max_size=3),
    thread=threads,
    continua=st.lists(continua(), max_size=2),
    crosswalks=st.lists(crosswalks, max_size=2),
    sources=st.lists(sources, max_size=2),
    measures=st.lists(measures, max_size=2),
    projects=st.lists(projects, max_size=3),
    checks=check_settings,
    publishing=publishing_settings,
)
"""Any structurally valid council: its references need not resolve."""


PAST = datetime.date(2020, 12, 31)
"""The latest date :func:`valid_councils` calibrates on."""


@st.composite
def valid_councils(draw: st.DrawFn) -> Council:
    """Councils that pass every built-in check with no findings at all.

    Every id is unique and every link resolves; the golden thread is unbroken (each priority
    has an outcome, each outcome a measure, each big move a priority, each project a value and
    a priority, each value a project); a measure names the outcomes that name it, or none, its
    target is not behind its baseline, and it is tracked by hand, with observations or none;
    projects are placed on the council's own continua, calibrated on or before 2020-12-31, with
    targets no lower than where they stand; crosswalks between those continua are monotone;
    ``[checks] ignore`` names only built-in rules.
    """
    value_ids = draw(st.lists(ids, min_size=1, max_size=4, unique=True))
    priority_ids = draw(st.lists(ids, min_size=1, max_size=3, unique=True))
    outcome_ids = draw(st.lists(ids, min_size=len(priority_ids), max_size=5, unique=True))
    measure_ids = draw(st.lists(ids, min_size=1, max_size=4, unique=True))
    move_ids = draw(st.lists(ids, max_size=3, unique=True))
    own = draw(st.lists(continua(), min_size=1, max_size=2, unique_by=lambda c: c.id))

    def some(choices: list[str]) -> list[str]:
        return draw(st.lists(st.sampled_from(choices), min_size=1, max_size=3, unique=True))

    outcomes = [
        # The first outcomes go one to each priority, so that every priority has one.
        Outcome(
            id=oid,
            name=draw(text),
            priority=priority_ids[i]
            if i < len(priority_ids)
            else draw(st.sampled_from(priority_ids)),
            measures=some(measure_ids),
        )
        for i, oid in enumerate(outcome_ids)
    ]
    projects = []
    project_ids = draw(st.lists(ids, min_size=len(value_ids), max_size=6, unique=True))
    for i, pid in enumerate(project_ids):
        continuum = draw(st.sampled_from(own))
        days = sorted(draw(st.lists(st.dates(max_value=PAST), max_size=3)))
        placed = [
            Calibration(date=d, level=draw(st.sampled_from(continuum.level_ids))) for d in days
        ]
        # Days are in order, so the last is current (the later in the file on a tie).
        current = placed[-1].level if placed else continuum.level_ids[0]
        above = continuum.level_ids[continuum.rank(current) :]
        projects.append(
            Project(
                id=pid,
                title=draw(text),
                # The first projects pursue one value each, so that every value is pursued.
                values=list(dict.fromkeys([value_ids[i], *some(value_ids)]))
                if i < len(value_ids)
                else some(value_ids),
                priorities=some(priority_ids),
                big_moves=draw(st.lists(st.sampled_from(move_ids), unique=True))
                if move_ids
                else [],
                continuum=continuum.id,
                target_level=draw(st.none() | st.sampled_from(above)),
                calibrations=placed,
            )
        )
    return Council(
        name=draw(text),
        gss_code=draw(st.none() | st.from_regex(r"[EWSNK][0-9]{8}", fullmatch=True)),
        steering_group=draw(optional_text),
        values=[Value(id=v, name=draw(text), statement=draw(optional_text)) for v in value_ids],
        thread=GoldenThread(
            purpose=draw(optional_text),
            vision=draw(optional_text),
            priorities=[Priority(id=p, name=draw(text)) for p in priority_ids],
            outcomes=outcomes,
            design_principles=draw(
                st.lists(
                    st.builds(DesignPrinciple, id=ids, statement=text),
                    max_size=2,
                    unique_by=lambda d: d.id,
                )
            ),
            big_moves=[
                BigMove(id=m, name=draw(text), priorities=some(priority_ids)) for m in move_ids
            ],
        ),
        continua=own,
        crosswalks=draw(_crosswalks_between(own)),
        measures=[
            _measure(draw, m, [o.id for o in outcomes if m in o.measures], value_ids)
            for m in measure_ids
        ],
        projects=projects,
        checks=CheckSettings(ignore=draw(st.lists(_rule_ids, max_size=2, unique=True))),
        publishing=draw(publishing_settings),
    )


def _measure(draw: st.DrawFn, id_: str, outcome_ids: list[str], value_ids: list[str]) -> Measure:
    """A measure naming the outcomes that name it (or none), its target not behind its baseline."""
    direction = draw(st.sampled_from(get_args(Direction)))
    baseline = draw(st.none() | st.integers(-1000, 1000))
    target = draw(st.none() | st.integers(0, 1000))
    if baseline is not None and target is not None:
        target = baseline + target if direction == "higher" else baseline - target
    return Measure(
        id=id_,
        name=draw(text),
        unit=draw(text),
        direction=direction,
        baseline=baseline,
        target=target,
        values=draw(st.lists(st.sampled_from(value_ids), min_size=1, max_size=3, unique=True)),
        outcomes=draw(st.sampled_from([outcome_ids, []])),
        observations=draw(st.lists(observations, max_size=2)),
    )


@st.composite
def _crosswalks_between(draw: st.DrawFn, own: list[Continuum]) -> list[Crosswalk]:
    """Monotone crosswalks between the council's own continua, at most one each way.

    Their explicit pairs are those a crosswalk by position gives.
    """
    pairs = [(a, b) for a in own for b in own if a.id != b.id]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=2)) if pairs else []
    found = []
    for source, target in chosen:
        by_position = Crosswalk(from_=source.id, to=target.id).mapping(source, target)
        keep = draw(st.lists(st.sampled_from(sorted(by_position)), unique=True, max_size=3))
        found.append(
            Crosswalk(from_=source.id, to=target.id, map={k: by_position[k] for k in keep})
        )
    return found
