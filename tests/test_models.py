"""The built-in measurement models against figures computed independently, here, in Python.

Each model's figures are compared with a plain-Python computation (the statistics module,
networkx for networks) on generated data, overall and by a key; the same data shuffled and split
into chunks gives the same figures; invalid rows and bad options are reported.
"""

from __future__ import annotations

import datetime
import math
import statistics
from collections import defaultdict
from typing import TYPE_CHECKING, Any

import networkx as nx  # type: ignore[import-untyped]
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialcouncil import registered_continua
from socialcouncil.measurement.engagement import Engagement
from socialcouncil.measurement.networks import Networks
from socialcouncil.measurement.ons4 import Ons4
from socialcouncil.measurement.swemwbs import Swemwbs
from socialcouncil.measurement.timebank import Timebank
from socialcouncil.model import InvalidValueError, UnknownIdError
from tests.models import Figures, chunked, context, figures, frame, same

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

# Typed in from Stewart-Brown et al. (2009), table 3: raw score -> metric score.
RASCH = dict(
    zip(
        range(7, 36),
        [7.00, 9.51, 11.25, 12.40, 13.33, 14.08, 14.75, 15.32, 15.84, 16.36, 16.88, 17.43,
         17.98, 18.59, 19.25, 19.98, 20.73, 21.54, 22.35, 23.21, 24.11, 25.03, 26.02, 27.03,
         28.13, 29.31, 30.70, 32.55, 35.00],
        strict=True,
    )
)  # fmt: skip
WARDS = ["Elmdon", "Kingshurst", "Shirley East"]
ITEMS = [f"item{i}" for i in range(1, 8)]
ONS = ["life-satisfaction", "worthwhile", "happiness", "anxiety"]

Row = dict[str, Any]


def at(key: tuple[Any, ...], *parts: Any) -> tuple[Any, ...]:
    """The figure's full key: the key columns' values, then the indicator and dimensions."""
    return (*key, *parts)


def grouped(rows: Sequence[Row], keys: Sequence[str]) -> dict[tuple[Any, ...], list[Row]]:
    groups: dict[tuple[Any, ...], list[Row]] = defaultdict(list)
    for row in rows:
        groups[tuple(row[k] for k in keys)].append(row)
    return groups


# -- swemwbs ------------------------------------------------------------------------------------


def swemwbs_expected(rows: Sequence[Row], keys: Sequence[str], weighted: bool) -> Figures:
    out: Figures = {}
    for key, group in grouped(rows, keys).items():
        complete = [r for r in group if all(r[i] is not None for i in ITEMS)]
        scores = [RASCH[sum(r[i] for i in ITEMS)] for r in complete]
        weights = [r["weight"] if weighted else 1.0 for r in complete]
        n = len(scores)
        out[at(key, "respondents")] = (n, n)
        out[at(key, "incomplete")] = (len(group) - n, len(group) - n)
        if n == 0:
            continue
        mean = sum(w * x for w, x in zip(weights, scores, strict=True)) / sum(weights)
        out[at(key, "mean-metric-score")] = (mean, n)
        if n < 2:
            continue
        if weighted:
            v1, v2 = sum(weights), sum(w * w for w in weights)
            ss = sum(w * (x - mean) ** 2 for w, x in zip(weights, scores, strict=True))
            sd = math.sqrt(ss / (v1 - v2 / v1))
            n_eff = v1 * v1 / v2
        else:
            sd, n_eff = statistics.stdev(scores), n
        half = statistics.NormalDist().inv_cdf(0.975) * sd / math.sqrt(n_eff)
        out[at(key, "sd-metric-score")] = (sd, n)
        out[at(key, "ci95-low")] = (mean - half, n)
        out[at(key, "ci95-high")] = (mean + half, n)
    return out


answer = st.one_of(st.none(), st.integers(1, 5)) | st.integers(1, 5)
swemwbs_rows = st.lists(
    st.fixed_dictionaries(
        {
            **dict.fromkeys(ITEMS, answer),
            "ward": st.sampled_from(WARDS),
            "weight": st.floats(0.2, 5.0),
        }
    ),
    max_size=40,
)
SWEMWBS_SCHEMA = {**dict.fromkeys(ITEMS, pl.Int64), "ward": pl.String, "weight": pl.Float64}


@settings(max_examples=40)
@given(swemwbs_rows, st.booleans())
def test_swemwbs_matches_an_independent_computation(rows: list[Row], weighted: bool) -> None:
    data = frame(rows, SWEMWBS_SCHEMA)
    if not weighted:
        data = data.drop("weight")
    for keys in ((), ("ward",)):
        if not keys and not rows:
            continue
        found = figures(Swemwbs(), {"data": data}, keys)
        same(found, swemwbs_expected(rows, keys, weighted))


def test_swemwbs_scores_the_table_end_to_end_and_reports_bad_weights() -> None:
    rows = [{**dict.fromkeys(ITEMS, 1), "weight": 1.0}, {**dict.fromkeys(ITEMS, 5), "weight": 0.0}]
    data = frame([{**r, "ward": "x"} for r in rows], SWEMWBS_SCHEMA)
    found = figures(Swemwbs(), {"data": data.filter(pl.col("weight") > 0)})
    assert found[("mean-metric-score",)] == (7.0, 1)
    assert ("sd-metric-score",) not in found  # undefined for one response
    bad = Swemwbs().invalid_rows(context({"data": data})).collect().to_native()
    assert bad.rows() == [
        (3, "data", "weight", "found 0.0, expected a survey weight greater than 0")
    ]


def test_models_refuse_options_they_do_not_take() -> None:
    with pytest.raises(InvalidValueError, match="an option of swemwbs"):
        Swemwbs(colour="red")
    with pytest.raises(InvalidValueError, match="institutional_roles"):
        Networks(institutional_roles="officer")
    with pytest.raises(InvalidValueError, match="population"):
        Engagement(population=0)
    with pytest.raises(InvalidValueError, match="population"):
        Engagement(population=True)


# -- ons4 ---------------------------------------------------------------------------------------

BANDS = {
    "positive": [("low", range(5)), ("medium", range(5, 7)), ("high", range(7, 9)),
                 ("very-high", range(9, 11))],
    "anxiety": [("very-low", range(2)), ("low", range(2, 4)), ("medium", range(4, 6)),
                ("high", range(6, 11))],
}  # fmt: skip


def ons4_expected(rows: Sequence[Row], keys: Sequence[str], weighted: bool) -> Figures:
    out: Figures = {}
    for key, group in grouped(rows, keys).items():
        for item in ONS:
            answers = [(r[item], r["weight"] if weighted else 1.0) for r in group]
            answers = [(a, w) for a, w in answers if a is not None]
            n = len(answers)
            out[at(key, "respondents", item, None)] = (n, n)
            if not n:
                continue
            total = sum(w for _, w in answers)
            mean = sum(a * w for a, w in answers) / total
            out[at(key, "mean", item, None)] = (mean, n)
            for band, values in BANDS["anxiety" if item == "anxiety" else "positive"]:
                inside = sum(w for a, w in answers if a in values)
                out[at(key, "band-share", item, band)] = (100 * inside / total, n)
    return out


ons_answer = st.one_of(st.none(), st.integers(0, 10))
ons4_rows = st.lists(
    st.fixed_dictionaries(
        {
            **dict.fromkeys(ONS, ons_answer),
            "ward": st.sampled_from(WARDS),
            "weight": st.floats(0.2, 5.0),
        }
    ),
    max_size=40,
)
ONS4_SCHEMA = {**dict.fromkeys(ONS, pl.Int64), "ward": pl.String, "weight": pl.Float64}


@settings(max_examples=40)
@given(ons4_rows, st.booleans())
def test_ons4_matches_an_independent_computation(rows: list[Row], weighted: bool) -> None:
    data = frame(rows, ONS4_SCHEMA)
    if not weighted:
        data = data.drop("weight")
    for keys in ((), ("ward",)):
        if not rows:
            continue
        same(figures(Ons4(), {"data": data}, keys), ons4_expected(rows, keys, weighted))


# -- timebank -----------------------------------------------------------------------------------

MEMBERS = ["ann", "bob", "cat", "dev", "eve"]


def gini(values: Sequence[float]) -> float:
    n, total = len(values), sum(values)
    if total == 0:
        return 0.0
    return sum(abs(a - b) for a in values for b in values) / (2 * n * n * (total / n))


def timebank_expected(rows: Sequence[Row], keys: Sequence[str]) -> Figures:
    out: Figures = {}
    for key, group in grouped(rows, keys).items():
        given_by: dict[str, float] = defaultdict(float)
        received: set[str] = set()
        for r in group:
            given_by[r["giver"]] += r["hours"]
            received.add(r["receiver"])
        active = set(given_by) | received
        e = len(group)
        out[at(key, "exchanges")] = (e, e)
        out[at(key, "hours")] = (sum(r["hours"] for r in group), e)
        out[at(key, "active-members")] = (len(active), len(active))
        both = len(set(given_by) & received)
        out[at(key, "reciprocity")] = (100 * both / len(active), len(active))
        out[at(key, "gini-hours-given")] = (
            gini([given_by.get(m, 0.0) for m in active]),
            len(active),
        )
        pairs = {frozenset((r["giver"], r["receiver"])) for r in group}
        out[at(key, "pairs")] = (len(pairs), e)
    return out


exchange = st.tuples(st.sampled_from(MEMBERS), st.sampled_from(MEMBERS)).filter(
    lambda pair: pair[0] != pair[1]
)
timebank_rows = st.lists(
    st.builds(
        lambda pair, hours, month: {
            "giver": pair[0],
            "receiver": pair[1],
            "hours": hours,
            "date": datetime.date(2025, month, 1),
            "period": f"2025-{month:02}",
        },
        exchange,
        st.sampled_from([0.5, 1.0, 1.5, 2.0, 3.25]),
        st.integers(1, 3),
    ),
    min_size=1,
    max_size=40,
)
TIMEBANK_SCHEMA = {
    "giver": pl.String,
    "receiver": pl.String,
    "hours": pl.Float64,
    "date": pl.Date,
    "period": pl.String,
}


@settings(max_examples=40)
@given(timebank_rows)
def test_timebank_matches_an_independent_computation(rows: list[Row]) -> None:
    data = frame(rows, TIMEBANK_SCHEMA)
    for keys in ((), ("period",)):
        same(figures(Timebank(), {"data": data}, keys), timebank_expected(rows, keys))


def test_timebank_reports_self_exchanges_empty_cells_and_hours_not_above_zero() -> None:
    rows: list[Row] = [
        {"giver": "ann", "receiver": "bob", "hours": 1.0},
        {"giver": "ann", "receiver": "ann", "hours": 1.0},
        {"giver": None, "receiver": "bob", "hours": 0.0},
    ]
    data = frame(rows, {"giver": pl.String, "receiver": pl.String, "hours": pl.Float64})
    bad = Timebank().invalid_rows(context({"data": data})).collect().to_native()
    assert sorted(bad.rows()) == [
        (
            3,
            "data",
            "receiver",
            "found 'ann', the giver too, expected a member other than the giver",
        ),
        (4, "data", "giver", "found an empty cell, expected the member who gave the time"),
        (4, "data", "hours", "found 0.0, expected more than 0"),
    ]


# -- networks -----------------------------------------------------------------------------------

PEOPLE = [f"p{i}" for i in range(12)]


def networks_expected(
    people: Sequence[Row], ties: Sequence[Row], roles: set[str], keys: Sequence[str]
) -> Figures:
    by_id = {p["person"]: p for p in people}
    graph: nx.Graph[str] = nx.Graph()
    for tie in ties:
        graph.add_edge(tie["from"], tie["to"])
    kinds: dict[frozenset[str], str] = {}
    for a, b in graph.edges:
        pa, pb = by_id[a], by_id[b]
        if (pa["role"] in roles) != (pb["role"] in roles):
            kinds[frozenset((a, b))] = "linking"
        elif pa["group"] == pb["group"]:
            kinds[frozenset((a, b))] = "bonding"
        else:
            kinds[frozenset((a, b))] = "bridging"
    out: Figures = {}
    for key, group in grouped(people, keys).items():
        members = {p["person"] for p in group}
        connected = members & set(graph.nodes)
        for indicator, kind in (
            ("people-with-bridging-tie", "bridging"),
            ("people-with-linking-tie", "linking"),
        ):
            count = sum(
                1
                for person in connected
                if any(kinds[frozenset((person, other))] == kind for other in graph[person])
            )
            out[at(key, indicator, None)] = (count, count)
        out[at(key, "people", None)] = (len(members), len(members))
        out[at(key, "connected-people", None)] = (len(connected), len(connected))
    if keys:
        return out
    counts = {
        kind: sum(1 for k in kinds.values() if k == kind)
        for kind in ("bonding", "bridging", "linking")
    }
    for kind, count in counts.items():
        out[("ties", kind)] = (count, count)
    within = counts["bridging"] + counts["bonding"]
    if within:
        out[("ei-index", None)] = ((counts["bridging"] - counts["bonding"]) / within, within)
    if graph.number_of_nodes():
        parts = list(nx.connected_components(graph))
        size = graph.number_of_nodes()
        out[("components", None)] = (len(parts), size)
        out[("largest-component-share", None)] = (100 * max(map(len, parts)) / size, size)
    return out


people_rows = st.lists(
    st.fixed_dictionaries(
        {
            "group": st.sampled_from(["north", "south", "east"]),
            "role": st.sampled_from(["resident", "officer", "councillor", None]),
            "ward": st.sampled_from(WARDS),
        }
    ),
    min_size=len(PEOPLE),
    max_size=len(PEOPLE),
).map(lambda rows: [{"person": p, **row} for p, row in zip(PEOPLE, rows, strict=True)])
tie_rows = st.lists(
    st.tuples(st.sampled_from(PEOPLE), st.sampled_from(PEOPLE))
    .filter(lambda pair: pair[0] != pair[1])
    .map(lambda pair: {"from": pair[0], "to": pair[1]}),
    max_size=30,
)
PEOPLE_SCHEMA = {"person": pl.String, "group": pl.String, "role": pl.String, "ward": pl.String}
TIES_SCHEMA = {"from": pl.String, "to": pl.String}


@settings(max_examples=40)
@given(people_rows, tie_rows, st.sampled_from([(), ("officer",), ("officer", "councillor")]))
def test_networks_matches_networkx(
    people: list[Row], ties: list[Row], roles: tuple[str, ...]
) -> None:
    tables = {"ties": frame(ties, TIES_SCHEMA), "people": frame(people, PEOPLE_SCHEMA)}
    model = Networks(institutional_roles=list(roles))
    for keys in ((), ("ward",)):
        same(figures(model, tables, keys), networks_expected(people, ties, set(roles), keys))


def test_networks_reports_unknown_people_self_ties_and_people_listed_twice() -> None:
    people: list[Row] = [
        {"person": "ann", "group": "north", "role": None, "ward": "x"},
        {"person": "bob", "group": None, "role": None, "ward": "x"},
        {"person": "ann", "group": "south", "role": None, "ward": "x"},
    ]
    ties: list[Row] = [
        {"from": "ann", "to": "zed"},
        {"from": "bob", "to": "bob"},
        {"from": None, "to": "ann"},
    ]
    tables = {"ties": frame(ties, TIES_SCHEMA), "people": frame(people, PEOPLE_SCHEMA)}
    bad = Networks().invalid_rows(context(tables)).collect().to_native()
    assert sorted(bad.rows()) == [
        (2, "ties", "to", "found 'zed', expected a person in people, with a group"),
        (3, "people", "group", "found an empty cell, expected the person's group"),
        # bob's own row is invalid, so a tie to bob cannot be counted either.
        (3, "ties", "from", "found 'bob', expected a person in people, with a group"),
        (3, "ties", "to", "found 'bob', expected a person in people, with a group"),
        (
            3,
            "ties",
            "to",
            "found 'bob', the same person as from, expected a tie between two people",
        ),
        (4, "people", "person", "found 'ann' again (first in row 2), expected each person once"),
        (4, "ties", "from", "found an empty cell, expected a person in people"),
    ]


def test_networks_splits_ties_by_period_and_counts_a_pair_once() -> None:
    people = [{"person": p, "group": "g", "role": None, "ward": "x"} for p in ("a", "b", "c")]
    ties: list[Row] = [
        {"from": "a", "to": "b", "period": "2025-Q1"},
        {"from": "b", "to": "a", "period": "2025-Q1"},
        {"from": "b", "to": "c", "period": "2025-Q2"},
    ]
    tables = {
        "ties": frame(ties, {**TIES_SCHEMA, "period": pl.String}),
        "people": frame(people, PEOPLE_SCHEMA),
    }
    found = figures(Networks(), tables, ("period",))
    assert found[("2025-Q1", "ties", "bonding")] == (1, 1)
    assert found[("2025-Q2", "connected-people", None)] == (2, 2)
    assert found[("2025-Q2", "people", None)] == (3, 3)
    assert ("2025-Q1", "ei-index", None) in found
    overall = figures(Networks(), tables)
    assert overall[("ties", "bonding")] == (2, 2)
    assert overall[("components", None)] == (1, 3)


# -- engagement ---------------------------------------------------------------------------------

LEVELS = registered_continua()["iap2-spectrum"].level_ids


def engagement_expected(rows: Sequence[Row], keys: Sequence[str], population: int) -> Figures:
    out: Figures = {}
    for key, group in grouped(rows, keys).items():
        people: dict[str, set[str]] = defaultdict(set)
        highest: dict[str, int] = {}
        for r in group:
            people[r["person"]].add(r["activity"])
            if r["level"] is not None:
                rank = LEVELS.index(r["level"])
                highest[r["person"]] = max(rank, highest.get(r["person"], -1))
        n = len(people)
        out[at(key, "people", None)] = (n, n)
        out[at(key, "activities", None)] = (len({r["activity"] for r in group}), len(group))
        repeat = sum(1 for acts in people.values() if len(acts) >= 2)
        out[at(key, "repeat-share", None)] = (100 * repeat / n, n)
        if not keys:
            out[at(key, "reach-per-1000", None)] = (1000 * n / population, n)
        if highest:
            for rank, level in enumerate(LEVELS):
                share = 100 * sum(1 for h in highest.values() if h == rank) / len(highest)
                out[at(key, "depth", level)] = (share, len(highest))
    return out


engagement_rows = st.lists(
    st.fixed_dictionaries(
        {
            "person": st.sampled_from(MEMBERS),
            "activity": st.sampled_from(["lunch", "garden", "repair café"]),
            "level": st.one_of(st.none(), st.sampled_from(LEVELS)),
            "ward": st.sampled_from(WARDS),
        }
    ),
    min_size=1,
    max_size=40,
)
ENGAGEMENT_SCHEMA = {
    "person": pl.String,
    "activity": pl.String,
    "level": pl.String,
    "ward": pl.String,
}


@settings(max_examples=40)
@given(engagement_rows)
def test_engagement_matches_an_independent_computation(rows: list[Row]) -> None:
    data = frame(rows, ENGAGEMENT_SCHEMA)
    model = Engagement(continuum="iap2-spectrum", population=2500)
    for keys in ((), ("ward",)):
        same(figures(model, {"data": data}, keys), engagement_expected(rows, keys, 2500))


def test_engagement_reports_levels_the_continuum_does_not_have() -> None:
    rows: list[Row] = [{"person": "ann", "activity": "lunch", "level": "shout", "ward": "x"}]
    data = frame(rows, ENGAGEMENT_SCHEMA)
    bad = Engagement(continuum="iap2-spectrum").invalid_rows(context({"data": data}))
    (row,) = bad.collect().to_native().rows()
    assert row[:3] == (2, "data", "level")
    assert row[3].startswith("found 'shout', expected a level of iap2-spectrum (inform, consult")
    with pytest.raises(UnknownIdError, match="no continuum with id 'nowhere'"):
        Engagement(continuum="nowhere").invalid_rows(context({"data": data}))
    with pytest.raises(InvalidValueError, match="continuum"):
        Engagement().compute(context({"data": data}), [])


# -- properties shared by every model: order and chunking do not matter --------------------------


MODELS: list[tuple[Callable[[], Any], Any, Callable[[Any], dict[str, pl.LazyFrame]], str]] = [
    (Swemwbs, swemwbs_rows, lambda rows: {"data": frame(rows, SWEMWBS_SCHEMA)}, "ward"),
    (Ons4, ons4_rows, lambda rows: {"data": frame(rows, ONS4_SCHEMA)}, "ward"),
    (Timebank, timebank_rows, lambda rows: {"data": frame(rows, TIMEBANK_SCHEMA)}, "period"),
    (
        lambda: Engagement(continuum="iap2-spectrum", population=900),
        engagement_rows,
        lambda rows: {"data": frame(rows, ENGAGEMENT_SCHEMA)},
        "ward",
    ),
]


@pytest.mark.parametrize(
    ("make", "rows", "tables", "key"), MODELS, ids=lambda v: getattr(v, "__name__", None)
)
@settings(max_examples=40)
@given(data=st.data())
def test_figures_do_not_depend_on_row_order_or_chunks(
    make: Callable[[], Any],
    rows: Any,
    tables: Callable[[Any], dict[str, pl.LazyFrame]],
    key: str,
    data: st.DataObject,
) -> None:
    drawn = data.draw(rows)
    order = data.draw(st.permutations(range(len(drawn))))
    pieces = data.draw(st.integers(1, 4))
    original = tables(drawn)
    moved = {name: chunked(table, order, pieces) for name, table in original.items()}
    for keys in ((), (key,)):
        if not drawn:
            continue
        same(figures(make(), moved, keys), figures(make(), original, keys))


@settings(max_examples=40)
@given(people_rows, tie_rows, st.data())
def test_networks_does_not_depend_on_row_order_or_chunks(
    people: list[Row], ties: list[Row], data: st.DataObject
) -> None:
    original = {"ties": frame(ties, TIES_SCHEMA), "people": frame(people, PEOPLE_SCHEMA)}
    moved = {
        name: chunked(
            table,
            data.draw(st.permutations(range(table.collect().height))),
            data.draw(st.integers(1, 3)),
        )
        for name, table in original.items()
    }
    model = Networks(institutional_roles=["officer"])
    for keys in ((), ("ward",)):
        same(figures(model, moved, keys), figures(model, original, keys))
