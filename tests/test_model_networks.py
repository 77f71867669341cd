"""The networks model's graph against networkx: by period, many components, its numbering.

The model numbers people and finds components with scipy's ``csgraph``, one graph for every
period at once; here networkx computes the same figures for each period's ties on their own.
"""

from __future__ import annotations

import random
from collections import defaultdict
from typing import TYPE_CHECKING, Any
from unittest import mock

import networkx as nx  # type: ignore[import-untyped]
import numpy as np
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from socialcouncil.measurement import networks
from socialcouncil.measurement.networks import Networks
from tests.models import Figures, figures, frame, same

if TYPE_CHECKING:
    from collections.abc import Sequence

Row = dict[str, Any]

PEOPLE = [f"p{i}" for i in range(10)]
GROUPS = ["north", "south", "east"]
WARDS = ["Elmdon", "Kingshurst"]
PERIODS = ["2025-Q1", "2025-Q2", "2025-Q3"]
ROLES = ("officer",)
PEOPLE_SCHEMA = {"person": pl.String, "group": pl.String, "role": pl.String, "ward": pl.String}
TIES_SCHEMA = {"from": pl.String, "to": pl.String, "period": pl.String}


def kind(one: Row, other: Row) -> str:
    if (one["role"] in ROLES) != (other["role"] in ROLES):
        return "linking"
    return "bonding" if one["group"] == other["group"] else "bridging"


def at(key: tuple[str, ...], *parts: str | None) -> tuple[str | None, ...]:
    """The figure's full key: the key columns' values, then the indicator and dimension."""
    return (*key, *parts)


def with_tie(
    graph: nx.Graph[str], kinds: dict[frozenset[str], str], people: set[str], of_kind: str
) -> int:
    """How many of *people* have a tie of the kind in *graph*."""
    return sum(any(kinds[frozenset((p, q))] == of_kind for q in graph[p]) for p in people)


def expected(people: Sequence[Row], ties: Sequence[Row], keys: Sequence[str]) -> Figures:
    """The figures networkx gives: one graph per period (or one over all ties), each alone."""
    by_id = {p["person"]: p for p in people}
    split = "period" in keys
    person_keys = [k for k in keys if k != "period"]
    graphs: dict[tuple[str, ...], nx.Graph[str]] = defaultdict(nx.Graph)
    for tie in ties:
        graphs[(tie["period"],) if split else ()].add_edge(tie["from"], tie["to"])
    if not split:
        graphs[()]  # over everything, the people are counted even when no one has a tie
    out: Figures = {}
    for period, graph in graphs.items():
        kinds = {frozenset(edge): kind(by_id[edge[0]], by_id[edge[1]]) for edge in graph.edges}
        groups: dict[tuple[str, ...], list[Row]] = defaultdict(list)
        for person in people:
            groups[tuple(person[k] for k in person_keys)].append(person)
        for group, members in groups.items():
            names = {p["person"] for p in members}
            connected = names & set(graph.nodes)
            key = group + period
            for indicator, count in (
                ("people", len(names)),
                ("connected-people", len(connected)),
                ("people-with-bridging-tie", with_tie(graph, kinds, connected, "bridging")),
                ("people-with-linking-tie", with_tie(graph, kinds, connected, "linking")),
            ):
                out[at(key, indicator, None)] = (count, count)
        if person_keys:
            continue
        counts = {k: sum(v == k for v in kinds.values()) for k in networks.TIE_TYPES}
        for name, count in counts.items():
            out[at(period, "ties", name)] = (count, count)
        within = counts["bonding"] + counts["bridging"]
        if within:
            ei = (counts["bridging"] - counts["bonding"]) / within
            out[at(period, "ei-index", None)] = (ei, within)
        parts = [len(part) for part in nx.connected_components(graph)]
        size = graph.number_of_nodes()
        if size:
            out[at(period, "components", None)] = (len(parts), size)
            share = 100 * max(parts) / size
            out[at(period, "largest-component-share", None)] = (share, size)
    return out


people_rows = st.lists(
    st.fixed_dictionaries(
        {
            "group": st.sampled_from(GROUPS),
            "role": st.sampled_from(["resident", "officer", None]),
            "ward": st.sampled_from(WARDS),
        }
    ),
    min_size=len(PEOPLE),
    max_size=len(PEOPLE),
).map(lambda rows: [{"person": p, **row} for p, row in zip(PEOPLE, rows, strict=True)])
tie_rows = st.lists(
    st.tuples(st.sampled_from(PEOPLE), st.sampled_from(PEOPLE), st.sampled_from(PERIODS))
    .filter(lambda tie: tie[0] != tie[1])
    .map(lambda tie: {"from": tie[0], "to": tie[1], "period": tie[2]}),
    max_size=25,
)
KEY_SETS = ((), ("ward",), ("period",), ("ward", "period"))


def tables(people: Sequence[Row], ties: Sequence[Row]) -> dict[str, pl.LazyFrame]:
    return {"ties": frame(ties, TIES_SCHEMA), "people": frame(people, PEOPLE_SCHEMA)}


@settings(max_examples=60)
@given(people_rows, tie_rows)
def test_components_and_kinds_of_tie_match_networkx_per_period(
    people: list[Row], ties: list[Row]
) -> None:
    model = Networks(institutional_roles=list(ROLES))
    for keys in KEY_SETS:
        same(figures(model, tables(people, ties), keys), expected(people, ties, keys))


@settings(max_examples=30)
@given(people_rows, tie_rows)
def test_numbering_nodes_by_sorting_gives_the_same_figures(
    people: list[Row], ties: list[Row]
) -> None:
    model = Networks(institutional_roles=list(ROLES))
    for keys in KEY_SETS:
        masked = figures(model, tables(people, ties), keys)
        with mock.patch.object(networks, "_DENSE_LIMIT", 0):
            same(figures(model, tables(people, ties), keys), masked)


@given(st.lists(st.integers(0, 60), max_size=50), st.integers(0, 40), st.integers(0, 100))
def test_dense_numbering_is_numpys_unique(values: list[int], extra: int, limit: int) -> None:
    array = np.array(values, dtype=np.int64)
    bound = max(values, default=-1) + 1 + extra
    with mock.patch.object(networks, "_DENSE_LIMIT", limit):
        numbers, distinct = networks._dense(array, bound)
    expected_distinct, expected_numbers = np.unique(array, return_inverse=True)
    assert distinct.tolist() == expected_distinct.tolist()
    assert numbers.tolist() == expected_numbers.tolist()


def test_many_small_components_and_people_without_ties_match_networkx() -> None:
    rng = random.Random(11)  # noqa: S311  # seeded fixture data, not secrets
    names = [f"r{i:04}" for i in range(3000)]
    people = [
        {
            "person": name,
            "group": rng.choice(GROUPS),
            "role": rng.choice(["resident"] * 9 + ["officer"]),
            "ward": rng.choice(WARDS),
        }
        for name in names
    ]
    # Sparse ties: hundreds of components of every size, and many people with no tie at all.
    ties: list[Row] = []
    while len(ties) < 1500:
        one, other = rng.sample(names[:2400], 2)
        ties.append({"from": one, "to": other, "period": rng.choice(PERIODS)})
    ties += [{**tie, "from": tie["to"], "to": tie["from"]} for tie in ties[:300]]  # reversed
    model = Networks(institutional_roles=list(ROLES))
    for keys in KEY_SETS:
        found = figures(model, tables(people, ties), keys)
        same(found, expected(people, ties, keys))
    overall = figures(model, tables(people, ties))
    assert overall[("components", None)][0] > 100
    assert overall[("connected-people", None)][0] < len(names)
