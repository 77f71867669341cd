"""The history store on a real PostgreSQL server, the throwaway cluster the tests start.

What a killed process leaves is tested on both engines in test_reliability.py; here, what is
the server's own: the cluster itself, runs read back through new connections, two processes
recording into one database (the first of them making the store, under the migration lock),
and a database the store must not touch.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import attrs
import psycopg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialcouncil import Problem, Result, open_store
from socialcouncil.store import (
    SCHEMA_VERSION,
    LogEntryError,
    NewerStoreError,
    NotAStoreError,
    StoredProblem,
    StoreError,
)
from tests import _postgresql
from tests._postgresql import throwaway_cluster
from tests.store import recording

if TYPE_CHECKING:
    from collections.abc import Callable

    from socialcouncil.store import Store
    from tests._postgresql import Cluster
    from tests.store.conftest import Child


def test_the_cluster_answers_on_its_socket_and_nowhere_else(postgresql_cluster: Cluster) -> None:
    with postgresql_cluster.connect() as connection:
        listen = connection.execute("SHOW listen_addresses").fetchone()
        folder = connection.execute("SHOW unix_socket_directories").fetchone()
    assert listen == ("",)
    assert folder == (str(postgresql_cluster.socket),)


def test_each_database_is_new_and_empty(postgresql_cluster: Cluster) -> None:
    first, second = postgresql_cluster.create_database(), postgresql_cluster.create_database()
    assert first != second
    with postgresql_cluster.connect(first) as connection:
        connection.execute("CREATE TABLE only_here (x integer)")
    with postgresql_cluster.connect(second) as connection:
        tables = connection.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
    assert tables == (0,)


def test_a_cluster_is_stopped_and_removed_even_when_its_tests_fail() -> None:
    seen: list[tuple[Cluster, Path]] = []

    def failing_tests() -> None:
        with throwaway_cluster() as cluster, cluster.connect() as connection:
            (folder,) = connection.execute("SHOW data_directory").fetchall()
            seen.append((cluster, Path(str(folder[0]))))
            assert (seen[0][1] / "postmaster.pid").exists()
            raise RuntimeError("a test failed")

    with pytest.raises(RuntimeError, match="a test failed"):
        failing_tests()
    cluster, data = seen[0]
    # pg_ctl waited for the server to remove its pid file: it is no longer running.
    assert not data.exists()
    assert not cluster.socket.exists()
    with pytest.raises(psycopg.OperationalError):
        cluster.connect().close()


def test_without_postgresql_the_tests_say_make_test_installs_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(_postgresql, "DEBIAN", tmp_path)
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(_postgresql.PostgreSQLUnavailableError, match="`make test` installs it"):
        _postgresql.server_programs()


# The store on the server -------------------------------------------------------------------

TEXT = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=12)
RESULTS = st.builds(
    Result,
    model=st.sampled_from(["observed", "swemwbs"]),
    indicator=st.sampled_from(["mean", "respondents", "band-share"]),
    value=st.floats(allow_nan=False, allow_infinity=False),
    dimensions=st.dictionaries(st.sampled_from(["ward", "period", "item"]), TEXT, max_size=3),
    people=st.booleans(),
    measure=st.sampled_from(["wellbeing", "waiting-days", None]),
    n=st.none() | st.integers(0, 2**62),
    kind=st.sampled_from([None, "count", "mean", "percent"]),
    unit=st.none() | TEXT,
)
PROBLEMS = st.builds(
    Problem,
    path=st.sampled_from(["", "measures[0].columns"]),
    message=TEXT,
    source=st.none() | st.just("survey"),
    location=st.none() | st.just("survey.csv"),
    row=st.none() | st.integers(1, 10**9),
    field=st.none() | TEXT,
    expected=st.none() | TEXT,
)


@pytest.fixture(scope="module")
def one_database(postgresql_cluster: Cluster) -> str:
    """One database for every example of a property: each records a run of its own."""
    return postgresql_cluster.url(postgresql_cluster.create_database())


@settings(max_examples=15)
@given(results=st.lists(RESULTS, max_size=30), problems=st.lists(PROBLEMS, max_size=5))
def test_a_run_reads_back_from_the_server_as_it_was_recorded(
    one_database: str, results: list[Result], problems: list[Problem]
) -> None:
    location = one_database
    council = recording.council()
    measurement = attrs.evolve(
        recording.measurement(), results=tuple(results), problems=tuple(problems)
    )
    when = datetime.datetime(2026, 3, 31, 23, 30, 0, 123456, tzinfo=datetime.timezone.utc)
    with open_store(location) as store:
        recorded = store.record(council, measurement, model_file="solihull.toml", recorded_at=when)
    with open_store(location) as store:  # a new connection: what the server kept
        assert store.engine == "postgresql"
        assert store.run(recorded.id) == recorded
        assert recorded.summary() in store.runs()
    assert recorded.results == tuple(results)
    assert recorded.problems == tuple(StoredProblem.of(problem) for problem in problems)
    assert recorded.recorded_at == when


def test_history_and_the_learning_log_on_the_server(postgresql_database: str) -> None:
    council = recording.council()
    with open_store(postgresql_database) as store:
        first = store.record(council, recording.measurement(2, seed=0))
        later = store.record(council, recording.measurement(2, seed=1))
        entry = store.add_log_entry(
            council, "decision", "Open the canteen on Sundays", measures=["wellbeing"]
        )
        with pytest.raises(LogEntryError) as refused:
            store.add_log_entry(council, "lesson", "Ask first", measures=["no-such-measure"])
        store.erase(entry.id, reason="asked by the author")
    assert "no-such-measure" in refused.value.problems[0]
    with open_store(postgresql_database) as store:
        points = store.history(council, measure="wellbeing", indicator="mean")
        (kept,) = store.log(measure="wellbeing")
        (erasure,) = store.erasures()
    assert [point.run for point in points] == [first.id, later.id]
    assert points[1].change_since_first == later.results[0].value - first.results[0].value
    assert points[1].change_since_baseline == later.results[0].value - 40
    assert (kept.id, kept.text, kept.measures) == (entry.id, "", ("wellbeing",))
    assert kept.erased_at is not None
    assert (erasure.entry, erasure.reason) == (entry.id, "asked by the author")


def test_two_processes_recording_into_one_database_lose_none_of_their_runs(
    postgresql_database: str, child: Callable[..., Child]
) -> None:
    each = 500
    one, other = (
        child("record", postgresql_database, "--runs", str(each), "--tag", tag) for tag in "ab"
    )
    for process in (one, other):
        process.expect("ready")
    for process in (one, other):
        process.tell("go")
    for process in (one, other):
        process.finish()
    with open_store(postgresql_database) as store:
        assert store.check() == ()
        runs = store.runs()
    assert len({run.id for run in runs}) == 2 * each
    assert sorted(str(run.model_file) for run in runs) == ["a"] * each + ["b"] * each
    assert recording.stored_rows(postgresql_database) == {
        "runs": 2 * each,
        "results": 4 * each,
        "problems": 2 * each,
        "sources": 2 * each,
    }


def test_a_database_of_a_newer_store_is_refused_and_left_as_it_was(
    postgresql_cluster: Cluster,
) -> None:
    database = postgresql_cluster.create_database()
    location = postgresql_cluster.url(database)
    council = recording.council()
    with open_store(location) as store:
        store.record(council, recording.measurement(4))
    with postgresql_cluster.connect(database) as connection:
        connection.execute(
            "UPDATE meta SET value = %s WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),)
        )
    before = recording.stored_rows(location)
    attempts: dict[str, Callable[[Store], object]] = {
        "runs": lambda store: store.runs(),
        "history": lambda store: store.history(council),
        "check": lambda store: store.check(),
        "record": lambda store: store.record(council, recording.measurement(2)),
        "add_log_entry": lambda store: store.add_log_entry(council, "lesson", "Ask first"),
    }
    for attempt in attempts.values():
        with open_store(location) as store, pytest.raises(NewerStoreError) as raised:
            attempt(store)
        assert str(SCHEMA_VERSION + 1) in raised.value.message
    assert recording.stored_rows(location) == before
    with postgresql_cluster.connect(database) as connection:
        version = connection.execute("SELECT value FROM meta WHERE key = 'schema_version'")
        assert version.fetchall() == [(str(SCHEMA_VERSION + 1),)]


def test_a_database_with_tables_named_like_the_stores_is_refused_and_left_as_it_was(
    postgresql_cluster: Cluster,
) -> None:
    database = postgresql_cluster.create_database()
    with postgresql_cluster.connect(database) as connection:
        # Another application's tables, one of them named as one of the store's.
        connection.execute("CREATE TABLE people (name text, ward text)")
        connection.execute("INSERT INTO people VALUES ('J. Smith', 'Olton')")
        connection.execute("CREATE TABLE runs (route text)")
    council = recording.council()
    attempts: list[Callable[[Store], object]] = [
        lambda store: store.runs(),
        lambda store: store.check(),
        lambda store: store.record(council, recording.measurement(2)),
        lambda store: store.add_log_entry(council, "lesson", "Ask first"),
    ]
    for attempt in attempts:
        with open_store(postgresql_cluster.url(database)) as store, pytest.raises(NotAStoreError):
            attempt(store)
    with postgresql_cluster.connect(database) as connection:
        tables = connection.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
            " ORDER BY table_name"
        ).fetchall()
        people = connection.execute("SELECT * FROM people").fetchall()
    assert tables == [("people",), ("runs",)]
    assert people == [("J. Smith", "Olton")]


def test_a_password_in_the_url_is_refused(postgresql_cluster: Cluster) -> None:
    database = postgresql_cluster.create_database()
    url = f"postgresql://postgres:secret@/{database}?host={postgresql_cluster.socket}"
    with pytest.raises(StoreError, match="password") as raised, open_store(url) as store:
        store.runs()
    assert "secret" not in str(raised.value)
