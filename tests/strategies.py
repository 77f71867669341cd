"""Hypothesis strategies for the council model, for the core's own tests."""

from __future__ import annotations

import datetime

from hypothesis import strategies as st

from socialcouncil import (
    BigMove,
    Calibration,
    CheckSettings,
    Continuum,
    Council,
    Crosswalk,
    DesignPrinciple,
    GoldenThread,
    Level,
    Measure,
    Outcome,
    Priority,
    Project,
    Value,
)

ids = st.from_regex(r"[a-z0-9][a-z0-9-]{0,12}", fullmatch=True)
# Any text a person could type: every character but surrogates, which no file can hold.
text = st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=30).filter(
    lambda s: s.strip() != ""
)
optional_text = st.none() | text
dates = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31))
numbers = (
    st.none() | st.integers(-(10**9), 10**9) | st.floats(allow_nan=False, allow_infinity=False)
)
id_lists = st.lists(ids, max_size=3)

levels = st.builds(Level, id=ids, label=text, description=optional_text, group=optional_text)


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
    confidence=st.sampled_from([None, "low", "medium", "high"]),
)

projects = st.builds(
    Project,
    id=ids,
    title=text,
    summary=optional_text,
    owner=optional_text,
    status=st.sampled_from(["proposed", "active", "paused", "completed", "stopped"]),
    values=id_lists,
    priorities=id_lists,
    big_moves=id_lists,
    continuum=st.none() | ids,
    target_level=st.none() | ids,
    calibrations=st.lists(calibrations, max_size=3),
)

measures = st.builds(
    Measure,
    id=ids,
    name=text,
    unit=text,
    direction=st.sampled_from(["higher", "lower"]),
    baseline=numbers,
    target=numbers,
    values=id_lists,
    outcomes=id_lists,
    description=optional_text,
)

threads = st.builds(
    GoldenThread,
    purpose=optional_text,
    vision=optional_text,
    priorities=st.lists(
        st.builds(Priority, id=ids, name=text, description=optional_text), max_size=3
    ),
    outcomes=st.lists(
        st.builds(Outcome, id=ids, name=text, priority=ids, measures=id_lists), max_size=3
    ),
    design_principles=st.lists(st.builds(DesignPrinciple, id=ids, statement=text), max_size=3),
    big_moves=st.lists(
        st.builds(BigMove, id=ids, name=text, priorities=id_lists, description=optional_text),
        max_size=3,
    ),
)

crosswalks = st.builds(Crosswalk, from_=ids, to=ids, map=st.dictionaries(ids, ids, max_size=3))

councils = st.builds(
    Council,
    name=text,
    gss_code=st.none() | st.from_regex(r"[EWSNK][0-9]{8}", fullmatch=True),
    steering_group=optional_text,
    values=st.lists(
        st.builds(
            Value, id=ids, name=text, statement=optional_text, teachable_point_of_view=optional_text
        ),
        max_size=3,
    ),
    thread=threads,
    continua=st.lists(continua(), max_size=2),
    crosswalks=st.lists(crosswalks, max_size=2),
    measures=st.lists(measures, max_size=2),
    projects=st.lists(projects, max_size=3),
    checks=st.builds(CheckSettings, ignore=id_lists),
)
"""Any structurally valid council: its references need not resolve."""
