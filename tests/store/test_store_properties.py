"""Properties of the store on both engines: what is recorded comes back, merging is idempotent,
and every trend uses exactly one figure per period."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialcouncil import Council, Measure, Problem, Result
from socialcouncil.measurement.run import Measurement
from socialcouncil.sources import Table
from socialcouncil.store import HistoryPoint, StoreError, history_points, open_store
from socialcouncil.testing import strategies

UTC = datetime.timezone.utc


# PostgreSQL's text holds every character but NUL; JSON (the council, dimensions) holds NUL too.
words = st.text(
    st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), min_size=1, max_size=12
)
names = st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True)
periods = st.sampled_from(["2024", "2025", "2025-Q1", "2025-03", "2026"])
values = st.floats(allow_nan=False, allow_infinity=False, width=64)
moments = st.datetimes(
    min_value=datetime.datetime(2020, 1, 1),
    max_value=datetime.datetime(2030, 1, 1),
    timezones=st.just(UTC),
)


@st.composite
def results(draw: st.DrawFn) -> Result:
    dimensions = draw(st.dictionaries(names.filter(lambda n: n != "period"), words, max_size=3))
    if draw(st.booleans()):
        dimensions["period"] = draw(periods)
    return Result(
        draw(names),
        draw(names),
        draw(values),
        dimensions,
        draw(st.booleans()),
        measure=draw(st.none() | names),
        n=draw(st.none() | st.integers(0, 2**62)),
        kind=draw(st.none() | st.sampled_from(["count", "mean", "percent"])),
        unit=draw(st.none() | words),
    )


@st.composite
def problems(draw: st.DrawFn) -> Problem:
    row = draw(st.none() | st.integers(1, 2**40))
    return Problem(
        draw(st.just("") | names),
        draw(words),
        source=draw(st.none() | names),
        location=draw(st.none() | words),
        row=row,
        field=draw(st.none() | words),
        expected=draw(st.none() | words),
    )


@st.composite
def measurements(draw: st.DrawFn) -> Measurement:
    sources = draw(st.lists(names, max_size=3, unique=True))
    return Measurement(
        results=tuple(draw(st.lists(results(), max_size=8))),
        problems=tuple(draw(st.lists(problems(), max_size=4))),
        tables={
            s: Table(
                frame=None,
                source=s,
                location=draw(words),
                fingerprint=draw(st.none() | st.just("sha256:" + "0" * 64)),
            )
            for s in sources
        },
        headlines=draw(st.dictionaries(names, names, max_size=3)),
        breakdowns={
            k: tuple(v)
            for k, v in draw(
                st.dictionaries(names, st.lists(names, max_size=2), max_size=2)
            ).items()
        },
        unmeasured=tuple(draw(st.lists(names, max_size=2))),
    )


SETTINGS = settings(
    max_examples=25,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@SETTINGS
@given(council=strategies.valid_councils(), measured=measurements(), moment=moments)
def test_a_recorded_run_comes_back_as_it_was(
    location: str, council: Council, measured: Measurement, moment: datetime.datetime
) -> None:
    if "://" in location and "\x00" in council.name:
        # PostgreSQL's text cannot hold NUL: the run is refused whole, and nothing is written.
        with open_store(location) as store:
            before = store.runs()
            with pytest.raises(StoreError, match="NUL"):
                store.record(council, measured, model_file="anytown.toml", recorded_at=moment)
            assert store.runs() == before
        return
    with open_store(location) as store:
        run = store.record(council, measured, model_file="anytown.toml", recorded_at=moment)
        found = store.run(run.id)
    assert found == run
    assert found.council == council
    assert found.results == measured.results
    assert [p.render() for p in found.problems] == [p.render() for p in run.problems]
    assert found.sources == run.sources
    assert found.recorded_at == moment
    assert dict(found.headlines) == dict(measured.headlines)


log_kinds = st.sampled_from(["decision", "lesson", "story", "event"])


@SETTINGS
@given(
    measured=st.lists(measurements(), min_size=1, max_size=3),
    texts=st.lists(
        st.tuples(log_kinds, words.filter(lambda s: s.strip() != ""), st.booleans()), max_size=4
    ),
)
def test_merging_a_stores_own_runs_and_entries_changes_nothing(
    location: str, measured: list[Measurement], texts: list[tuple[str, str, bool]]
) -> None:
    council = Council(name="Anytown Borough Council")
    with open_store(location) as store:
        for each in measured:
            store.record(council, each)
        for kind, text, erase in texts:
            entry = store.add_log_entry(council, kind, text)
            if erase:
                store.erase(entry.id, reason="asked")
        runs = [store.run(r.id) for r in store.runs()]
        log, erasures = store.log(), store.erasures()
        assert store.merge(runs, log, erasures=erasures) == (0, 0)
        assert [store.run(r.id) for r in store.runs()] == runs
        assert store.log() == log
        assert store.erasures() == erasures


@st.composite
def figures(draw: st.DrawFn) -> list[tuple[str, datetime.datetime, Result]]:
    runs = draw(st.lists(moments, min_size=1, max_size=5, unique=True))
    found = []
    for number, moment in enumerate(runs):
        for measure in draw(st.lists(st.sampled_from(["a", "b", "c"]), max_size=3, unique=True)):
            dimensions = draw(st.sampled_from([{}, {"ward": "north"}]))
            periods_here: list[str | None] = [*draw(st.lists(periods, max_size=3, unique=True))]
            periods_here = periods_here or [None]
            for period in periods_here:
                found.append(
                    (
                        f"run-{number}",
                        moment,
                        Result(
                            "observed",
                            "value",
                            draw(st.floats(-1e6, 1e6)),
                            {**dimensions, **({"period": period} if period else {})},
                            measure=measure,
                        ),
                    )
                )
    return found


COUNCIL = Council(
    name="Anytown",
    measures=[
        Measure(id="b", name="B", model="observed", unit="people", baseline=10),
        Measure(id="a", name="A", model="observed", unit="days", direction="lower"),
    ],
)


@given(figures=figures())
def test_every_trend_uses_exactly_one_figure_per_period_the_later_runs(
    figures: list[tuple[str, datetime.datetime, Result]],
) -> None:
    points = history_points(figures, COUNCIL, {"a": "value", "b": "value", "c": "value"})
    assert len(points) == len(figures)
    trends: dict[object, list[HistoryPoint]] = {}
    for p in points:
        trends.setdefault(
            (p.measure, tuple(sorted(p.dimensions.items())), p.period is None), []
        ).append(p)
    latest: dict[object, datetime.datetime] = {}
    for run, moment, result in figures:
        key = (
            result.measure,
            tuple(sorted((k, v) for k, v in result.dimensions.items() if k != "period")),
            result.dimensions.get("period") or run,
        )
        latest[key] = max(latest.get(key, moment), moment)
    for p in points:
        key = (p.measure, tuple(sorted(p.dimensions.items())), p.period or p.run)
        # Exactly the latest run's figure for each period (or run) is used.
        assert p.superseded == (p.recorded_at != latest[key])
    for trend in trends.values():
        used = [p for p in trend if not p.superseded]
        groups = [p.period or p.run for p in used]
        assert len(groups) == len(set(groups))
        assert used[0].change_since_first == 0
        ordered = [(p.period or "", p.recorded_at) for p in trend]
        assert ordered == sorted(ordered)
    # Measures in the council's order, those it lacks after.
    order = [p.measure for p in points]
    assert order == sorted(order, key=lambda m: {"b": 0, "a": 1}.get(m, 2))
    for p in points:
        if p.measure == "b":
            assert p.change_since_baseline == p.value - 10
            assert p.good == (p.value > 10 if p.value != 10 else None)
        if p.measure == "c":
            assert (p.change_since_baseline, p.good) == (None, None)
