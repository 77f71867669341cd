"""The store behaves the same on SQLite and on a PostgreSQL server."""

from __future__ import annotations

import datetime
import threading

import pytest
import sqlalchemy as sa

from socialcouncil import Council, Measure, Project, Result
from socialcouncil.measurement.run import Measurement
from socialcouncil.store import (
    SCHEMA_VERSION,
    LogEntryError,
    NewerStoreError,
    NotAStoreError,
    StoreError,
    open_store,
)
from socialcouncil.store import _schema as schema

UTC = datetime.timezone.utc
COUNCIL = Council(
    name="Anytown Borough Council",
    measures=[Measure(id="volunteers", name="Volunteers", model="observed", unit="people")],
    projects=[Project(id="social-canteen", title="Social Canteen")],
)


def measured(value: float, period: str) -> Measurement:
    result = Result("observed", "value", value, {"period": period}, measure="volunteers")
    return Measurement(results=(result,), headlines={"volunteers": "value"})


def engine_of(location: str) -> sa.Engine:
    if "://" in location:
        return sa.create_engine(location.replace("postgresql://", "postgresql+psycopg://", 1))
    return sa.create_engine(f"sqlite:///{location}")


def tables(location: str) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table of the store, to tell whether anything changed."""
    engine = engine_of(location)
    with engine.connect() as connection:
        metadata = sa.MetaData()
        metadata.reflect(connection)
        found = {
            name: sorted(map(tuple, connection.execute(sa.select(table))), key=repr)
            for name, table in sorted(metadata.tables.items())
        }
    engine.dispose()
    return found


def test_a_store_records_and_reads_its_runs_history_and_log(location: str) -> None:
    with open_store(location) as store:
        assert store.runs() == ()
        first = store.record(
            COUNCIL, measured(40, "2025"), recorded_at=datetime.datetime(2026, 1, 1, tzinfo=UTC)
        )
        second = store.record(
            COUNCIL, measured(45, "2025"), recorded_at=datetime.datetime(2026, 2, 1, tzinfo=UTC)
        )
        assert [r.id for r in store.runs()] == [first.id, second.id]
        assert store.run(first.id) == first
        points = store.history()
        assert [(p.value, p.superseded) for p in points] == [(40, True), (45, False)]
        entry = store.add_log_entry(
            COUNCIL, "decision", "Open on Sundays", projects=["social-canteen"]
        )
        assert store.log(project="social-canteen") == (entry,)
        erased = store.erase(entry.id, reason="asked")
        assert store.log() == (erased,)
        assert store.check() == ()


def test_a_bad_log_entry_writes_nothing(location: str) -> None:
    with open_store(location) as store:
        store.record(COUNCIL, measured(40, "2025"))
        before = tables(location)
        with pytest.raises(LogEntryError, match="project 'library' is not in the model"):
            store.add_log_entry(COUNCIL, "decision", "Text", projects=["library"])
        with pytest.raises(LogEntryError, match="not an entry of the learning log"):
            store.add_log_entry(COUNCIL, "decision", "Text", corrects="no-such-entry")
        assert tables(location) == before


def test_a_store_of_a_newer_socialcouncil_is_refused_and_never_modified(location: str) -> None:
    with open_store(location) as store:
        store.record(COUNCIL, measured(40, "2025"))
    engine = engine_of(location)
    with engine.begin() as connection:
        connection.execute(sa.update(schema.meta).values(value=str(SCHEMA_VERSION + 1)))
    engine.dispose()
    before = tables(location)
    with open_store(location) as store:
        with pytest.raises(NewerStoreError):
            store.runs()
        with pytest.raises(NewerStoreError):
            store.record(COUNCIL, measured(41, "2026"))
        with pytest.raises(NewerStoreError):
            store.add_log_entry(COUNCIL, "lesson", "Text")
    assert tables(location) == before


def test_a_database_with_the_stores_tables_but_no_version_is_refused(location: str) -> None:
    engine = engine_of(location)
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE runs (id TEXT)"))
    engine.dispose()
    before = tables(location)
    with open_store(location) as store:
        with pytest.raises(NotAStoreError, match="is not a history store"):
            store.runs()
        with pytest.raises(NotAStoreError, match="is not a history store"):
            store.record(COUNCIL, measured(41, "2026"))
    assert tables(location) == before


def test_writers_at_once_lose_nothing(location: str) -> None:
    failures: list[BaseException] = []

    def write() -> None:
        try:
            with open_store(location) as store:
                for day in range(1, 11):
                    store.record(COUNCIL, measured(day, "2025"))
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    threads = [threading.Thread(target=write) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with open_store(location) as store:
        assert len(store.runs()) == 30
        assert store.check() == ()


def test_an_unknown_run_or_entry_is_a_store_error(location: str) -> None:
    with open_store(location) as store:
        with pytest.raises(StoreError, match="holds no run"):
            store.run("nope")
        store.record(COUNCIL, measured(40, "2025"))
        with pytest.raises(StoreError, match="holds no log entry"):
            store.erase("nope")


def test_an_older_store_is_migrated_by_a_write_and_never_by_a_read(location: str) -> None:
    engine = engine_of(location)
    with engine.begin() as connection:
        schema.metadata.create_all(connection)
        for index in schema.log_links.indexes:
            index.drop(connection)
        connection.execute(sa.insert(schema.meta).values(key="schema_version", value="1"))

    def state() -> tuple[str, list[str]]:
        with engine.connect() as connection:
            version = connection.execute(sa.select(schema.meta.c.value)).scalar_one()
            names = [i["name"] or "" for i in sa.inspect(connection).get_indexes("log_links")]
        return version, names

    with open_store(location) as store:
        assert store.runs() == ()
        assert store.log() == ()
        assert store.check() == ()  # an older schema is nothing wrong
        assert store.schema_version() == 1
    assert state() == ("1", [])
    with open_store(location) as store:
        store.record(COUNCIL, measured(40, "2025"))
        assert store.check() == ()
    assert state() == (str(SCHEMA_VERSION), ["log_links_by_target"])
    engine.dispose()


@pytest.mark.parametrize(
    ("text", "author", "says"),
    [
        ("Open on\x00Saturdays.", None, "the text holds a NUL character"),
        ("Open on Saturdays.", "Jo\x00", "the author holds a NUL character"),
        ("Open on \udcff Saturdays.", None, "expected UTF-8 text"),
    ],
)
def test_text_no_store_can_keep_is_refused_and_nothing_written(
    location: str, text: str, author: str | None, says: str
) -> None:
    with open_store(location) as store:
        store.add_log_entry(COUNCIL, "lesson", "The first.")
        before = tables(location)
        with pytest.raises(LogEntryError, match=says):
            store.add_log_entry(COUNCIL, "lesson", text, author=author)
        assert len(store.log()) == 1
    assert tables(location) == before


def test_erasure_redacts_the_text_and_the_author(location: str) -> None:
    with open_store(location) as store:
        entry = store.add_log_entry(COUNCIL, "story", "Told by a resident", author="Ann Whitlock")
        erased = store.erase(entry.id)
        assert (erased.text, erased.author) == ("", None)
        assert store.log() == (erased,)
