"""The history store: recording runs, reading them and their history, the learning log."""

from __future__ import annotations

import datetime
import hashlib
import sqlite3
from typing import TYPE_CHECKING

import pytest

import socialcouncil
from socialcouncil import Council, Measure, Problem, Project, Result, Value, load, measure
from socialcouncil.measurement.run import Measurement
from socialcouncil.model import BigMove, GoldenThread
from socialcouncil.sources import Table
from socialcouncil.store import (
    SCHEMA_VERSION,
    Erasure,
    LogEntryError,
    NewerStoreError,
    NotAStoreError,
    Store,
    StoredProblem,
    StoreError,
    history_points,
    open_store,
)

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

UTC = datetime.timezone.utc


def at(day: int, hour: int = 12) -> datetime.datetime:
    return datetime.datetime(2026, 5, day, hour, tzinfo=UTC)


COUNCIL = Council(
    name="Anytown Borough Council",
    values=[Value(id="citizen-voice", name="A stronger voice for citizens")],
    thread=GoldenThread(big_moves=[BigMove(id="early-help", name="Early help")]),
    measures=[
        Measure(id="volunteers", name="Volunteers", model="observed", unit="people", baseline=40),
        Measure(id="waiting", name="Waiting", model="observed", unit="days", direction="lower"),
    ],
    projects=[
        Project(id="social-canteen", title="Social Canteen"),
        Project(id="timebank", title="Timebank"),
    ],
)


def measurement(volunteers: float, period: str = "2025", waiting: float = 10.0) -> Measurement:
    return Measurement(
        results=(
            Result("observed", "value", volunteers, {"period": period}, measure="volunteers", n=5),
            Result(
                "observed",
                "value",
                volunteers - 2,
                {"ward": "north", "period": period},
                people=True,
                measure="volunteers",
                n=3,
                kind="count",
                unit="people",
            ),
            Result("observed", "value", waiting, measure="waiting"),
        ),
        problems=(
            Problem(
                "",
                "found 'J. Smith', expected a whole number",
                source="survey",
                location="survey.csv",
                row=7,
                field="age",
                expected="a whole number",
            ),
            Problem("sources[0]", "the file survey.csv has no column 'age'"),
        ),
        tables={
            "survey": Table(
                frame=None, source="survey", location="survey.csv", fingerprint="sha256:ab12"
            )
        },
        headlines={"volunteers": "value", "waiting": "value"},
        breakdowns={"volunteers": ("ward", "period")},
        unmeasured=("timebank-hours",),
    )


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "anytown.history.sqlite"


@pytest.fixture
def store(path: Path) -> Iterator[Store]:
    with open_store(path) as opened:
        yield opened


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- opening ------------------------------------------------------------------------------------


def test_opening_touches_nothing_and_an_absent_store_reads_as_empty(path: Path) -> None:
    with open_store(path) as store:
        assert store.engine == "sqlite"
        assert store.location == str(path)
        assert store.runs() == ()
        assert store.history() == ()
        assert store.log() == ()
        assert store.erasures() == ()
        assert store.check() == ()
    assert not path.exists()


def test_the_top_level_package_offers_open_store_and_store() -> None:
    assert socialcouncil.open_store is open_store
    assert socialcouncil.Store is Store


@pytest.mark.parametrize("form", ["sqlite:///{}", "{}"])
def test_a_path_or_an_sqlite_url_opens_the_sqlite_engine(path: Path, form: str) -> None:
    with open_store(form.format(path)) as store:
        store.record(COUNCIL, measurement(42))
    with open_store(path) as store:
        assert len(store.runs()) == 1


def test_a_url_holding_a_password_is_refused_without_showing_it() -> None:
    with pytest.raises(StoreError, match="PGPASSWORD") as caught:
        open_store("postgresql://officer:hunter2@db.example/history")
    assert "hunter2" not in str(caught.value)
    assert "officer" in caught.value.location


def test_a_scheme_no_engine_opens_is_refused_naming_those_that_are() -> None:
    with pytest.raises(
        StoreError, match=r"no store engine opens mongodb:// URLs; expected .*sqlite://"
    ):
        open_store("mongodb://db.example/history")


@pytest.mark.parametrize(
    ("location", "shown"),
    [
        ("mysql://bob:hunter2@db.example/history", "mysql://bob:***@db.example/history"),
        ("mongodb://bob:p@ss@db.example/history", "mongodb://bob:***@db.example/history"),
    ],
)
def test_a_scheme_no_engine_opens_is_refused_without_its_password(
    location: str, shown: str
) -> None:
    with pytest.raises(StoreError, match="no store engine opens") as caught:
        open_store(location)
    assert "hunter2" not in str(caught.value)
    assert "ss@" not in str(caught.value)
    assert caught.value.location == shown


def test_a_url_with_a_port_that_is_not_a_number_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="port is not a number"):
        open_store("postgresql://bob@db.example:abc/history")


# -- runs ---------------------------------------------------------------------------------------


def test_a_recorded_run_is_given_back_whole(store: Store) -> None:
    recorded = store.record(COUNCIL, measurement(42), model_file="anytown.toml", recorded_at=at(1))
    found = store.run(recorded.id)
    assert found == recorded
    assert found.council == COUNCIL
    assert found.results == measurement(42).results
    assert found.headlines == {"volunteers": "value", "waiting": "value"}
    assert found.breakdowns == {"volunteers": ("ward", "period")}
    assert found.unmeasured == ("timebank-hours",)
    assert found.model_file == "anytown.toml"
    assert found.recorded_at == at(1)
    assert found.version == socialcouncil.__version__
    assert found.sources[0].fingerprint == "sha256:ab12"


def test_a_row_problem_is_kept_without_the_cells_value(store: Store, path: Path) -> None:
    recorded = store.record(COUNCIL, measurement(42))
    row, other = store.run(recorded.id).problems
    assert row == StoredProblem(
        source="survey", location="survey.csv", row=7, field="age", expected="a whole number"
    )
    assert other.message == "the file survey.csv has no column 'age'"
    store.close()
    assert b"J. Smith" not in path.read_bytes()


def test_runs_are_listed_oldest_first(store: Store) -> None:
    later = store.record(COUNCIL, measurement(45), recorded_at=at(3))
    earlier = store.record(COUNCIL, measurement(42), recorded_at=at(1))
    summaries = store.runs()
    assert [r.id for r in summaries] == [earlier.id, later.id]
    assert summaries[0] == earlier.summary()
    assert (summaries[0].results, summaries[0].problems) == (3, 2)


def test_a_time_recorded_in_another_zone_is_kept_in_utc(store: Store) -> None:
    zone = datetime.timezone(datetime.timedelta(hours=1))
    recorded = store.record(
        COUNCIL, measurement(1), recorded_at=datetime.datetime(2026, 5, 1, 13, tzinfo=zone)
    )
    assert store.run(recorded.id).recorded_at == at(1)
    assert store.run(recorded.id).recorded_at.tzinfo == UTC


def test_a_time_without_a_zone_is_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="aware"):
        store.record(COUNCIL, measurement(1), recorded_at=datetime.datetime(2026, 5, 1))


def test_an_unknown_run_is_a_store_error(store: Store) -> None:
    with pytest.raises(StoreError, match="holds no run 'nope'"):
        store.run("nope")
    store.record(COUNCIL, measurement(1))
    with pytest.raises(StoreError, match="holds no run 'nope'"):
        store.run("nope")


def test_a_real_measurement_of_an_example_is_recorded_with_its_sources(
    examples: Path, store: Store
) -> None:
    council = load(examples / "solihull.toml")
    measured = measure(council, base=examples)
    recorded = store.record(council, measured, model_file=str(examples / "solihull.toml"))
    found = store.run(recorded.id)
    assert found.council == council
    assert found.results == measured.results
    assert {s.id for s in found.sources} == set(measured.tables)
    assert all(s.fingerprint and s.fingerprint.startswith("sha256:") for s in found.sources)
    types = {s.id: s.type for s in council.sources}
    assert all(s.type == types[s.id] for s in found.sources)


# -- history ------------------------------------------------------------------------------------


def test_history_orders_periods_and_uses_the_later_run_for_a_period(store: Store) -> None:
    first = store.record(COUNCIL, measurement(42, "2025"), recorded_at=at(1))
    second = store.record(COUNCIL, measurement(45, "2025"), recorded_at=at(2))
    third = store.record(COUNCIL, measurement(38, "2026", waiting=8), recorded_at=at(3))
    points = store.history(measure="volunteers")
    total = [p for p in points if not p.dimensions]
    assert [(p.run, p.period, p.value, p.superseded) for p in total] == [
        (first.id, "2025", 42, True),
        (second.id, "2025", 45, False),
        (third.id, "2026", 38, False),
    ]
    assert [p.change_since_first for p in total] == [-3, 0, -7]
    assert [p.change_since_baseline for p in total] == [2, 5, -2]
    assert [p.good for p in total] == [True, True, False]
    north = [p for p in points if p.dimensions]
    assert {p.dimensions["ward"] for p in north} == {"north"}
    assert all(p.period is not None for p in north)


def test_history_without_periods_is_one_point_a_run_with_direction_lower(store: Store) -> None:
    store.record(COUNCIL, measurement(42, waiting=10), recorded_at=at(1))
    store.record(COUNCIL, measurement(42, waiting=8), recorded_at=at(2))
    store.record(COUNCIL, measurement(42, waiting=8), recorded_at=at(3))
    waiting = store.history(measure="waiting", indicator="value")
    assert [p.value for p in waiting] == [10, 8, 8]
    assert [p.period for p in waiting] == [None, None, None]
    assert [p.change_since_baseline for p in waiting] == [None, None, None]
    assert [p.good for p in waiting] == [None, True, True]
    assert not any(p.superseded for p in waiting)


def test_history_lists_measures_in_the_councils_order(store: Store) -> None:
    store.record(COUNCIL, measurement(42), recorded_at=at(1))
    assert [p.measure for p in store.history()][::-1][0] == "waiting"
    reordered = Council(name=COUNCIL.name, measures=COUNCIL.measures[::-1])
    assert store.history(reordered)[0].measure == "waiting"


def test_history_of_an_indicator_that_is_not_the_headline_has_no_good(store: Store) -> None:
    store.record(COUNCIL, measurement(42), recorded_at=at(1))
    store.record(COUNCIL, measurement(50), recorded_at=at(2))
    # waiting is the same both times: no change, so neither good nor bad.
    assert store.history()[-1].good is None
    found = history_points(
        [("r", at(1), Result("observed", "value", 1.0, measure="volunteers"))],
        COUNCIL,
        {"volunteers": "other"},
    )
    assert (found[0].good, found[0].change_since_baseline) == (None, None)


def test_a_difference_of_rounding_alone_is_no_change() -> None:
    # Two runs over the same rows may sum in another order: 0.1 + 0.2 is not quite 0.3.
    figures = [
        ("r1", at(1), Result("observed", "value", 0.3, measure="waiting")),
        ("r2", at(2), Result("observed", "value", 0.1 + 0.2, measure="waiting")),
    ]
    later = history_points(figures, COUNCIL, {"waiting": "value"})[-1]
    assert (later.change_since_first, later.good) == (0.0, None)


def test_history_points_leaves_out_results_without_a_measure() -> None:
    assert history_points([("r", at(1), Result("observed", "value", 1.0))], COUNCIL, {}) == ()


# -- the learning log ---------------------------------------------------------------------------


def test_a_log_entry_is_added_with_its_links_and_read_back(store: Store) -> None:
    entry = store.add_log_entry(
        COUNCIL,
        "decision",
        "Open the canteen on Sundays",
        date=datetime.date(2026, 5, 1),
        author="Steering group",
        projects=["social-canteen"],
        values=["citizen-voice"],
        measures=["volunteers"],
        big_moves=["early-help"],
    )
    assert store.log() == (entry,)
    assert entry.links == {
        "projects": ("social-canteen",),
        "values": ("citizen-voice",),
        "measures": ("volunteers",),
        "big_moves": ("early-help",),
    }
    assert entry.recorded_at is not None
    assert entry.recorded_at.tzinfo == UTC


def test_the_log_is_by_date_and_filtered_by_project_measure_and_date(store: Store) -> None:
    late = store.add_log_entry(
        COUNCIL, "lesson", "Late", date=datetime.date(2026, 6, 1), projects=["timebank"]
    )
    early = store.add_log_entry(
        COUNCIL,
        "story",
        "Early",
        date=datetime.date(2026, 4, 1),
        projects=["social-canteen"],
        measures=["volunteers"],
    )
    assert store.log() == (early, late)
    assert store.log(project="timebank") == (late,)
    assert store.log(measure="volunteers") == (early,)
    assert store.log(since=datetime.date(2026, 5, 1)) == (late,)
    assert store.log(project="social-canteen", since=datetime.date(2026, 5, 1)) == ()


def test_a_log_entry_defaults_to_today_in_utc(store: Store) -> None:
    entry = store.add_log_entry(COUNCIL, "event", "The canteen opened")
    assert entry.date == datetime.datetime.now(UTC).date() or entry.date  # the day it ran


def test_every_problem_with_a_log_entry_is_reported_and_nothing_written(
    store: Store, path: Path
) -> None:
    with pytest.raises(LogEntryError) as caught:
        store.add_log_entry(
            COUNCIL,
            "rumour",
            "  ",
            projects=["social-canteen", "library"],
            measures=["footfall"],
            values=["kindness"],
            big_moves=["moonshot"],
            corrects="no-such-entry",
        )
    assert caught.value.problems == (
        "kind 'rumour' is not a kind of log entry; expected one of decision, lesson, story, event",
        "the text is empty; expected what was decided, learnt, told or happened",
        "project 'library' is not in the model; expected one of social-canteen, timebank",
        "value 'kindness' is not in the model; expected one of citizen-voice",
        "measure 'footfall' is not in the model; expected one of volunteers, waiting",
        "big move 'moonshot' is not in the model; expected one of early-help",
        "corrects 'no-such-entry', which is not an entry of the learning log",
    )
    assert "project 'library'" in str(caught.value)
    assert store.log() == ()
    assert store.runs() == ()


def test_an_entry_refused_for_a_store_not_there_yet_makes_no_store(path: Path) -> None:
    with open_store(path) as store:
        with pytest.raises(LogEntryError, match="not an entry of the learning log"):
            store.add_log_entry(COUNCIL, "lesson", "Text", corrects="no-such-entry")
        with pytest.raises(LogEntryError) as caught:
            store.add_log_entry(
                COUNCIL, "lesson", "Text", projects=["nowhere"], corrects="no-such-entry"
            )
        assert len(caught.value.problems) == 2
    assert list(path.parent.iterdir()) == []


def test_a_link_to_a_model_without_any_of_that_kind_says_so(store: Store) -> None:
    with pytest.raises(LogEntryError, match="the model has no projects"):
        store.add_log_entry(Council(name="Empty"), "lesson", "Text", projects=["x"])


def test_a_correction_refers_to_the_entry_it_corrects(store: Store) -> None:
    wrong = store.add_log_entry(COUNCIL, "decision", "Open on Saturdays")
    right = store.add_log_entry(COUNCIL, "decision", "Open on Sundays", corrects=wrong.id)
    assert store.log()[-1].corrects == wrong.id
    assert right.corrects == wrong.id
    assert store.log()[0].text == "Open on Saturdays"


def test_erasure_redacts_the_text_and_is_recorded(store: Store, path: Path) -> None:
    entry = store.add_log_entry(
        COUNCIL, "story", "Mrs Jones of 4 High Street told us", projects=["social-canteen"]
    )
    erased = store.erase(entry.id, reason="request 2026-17")
    assert erased.text == ""
    assert erased.erased_at is not None
    assert erased.projects == ("social-canteen",)
    assert store.log() == (erased,)
    (erasure,) = store.erasures()
    assert erasure == Erasure(erasure.id, entry.id, erased.erased_at, "request 2026-17")
    store.close()
    # Not only unlinked: overwritten, in the file and in anything beside it.
    for file in path.parent.iterdir():
        assert b"Mrs Jones" not in file.read_bytes()


def test_erasure_clears_the_author_and_the_write_ahead_log_at_once(
    store: Store, path: Path
) -> None:
    entry = store.add_log_entry(
        COUNCIL, "story", "Mrs Jones of 4 High Street told us", author="Ann Whitlock"
    )
    erased = store.erase(entry.id)
    assert erased.author is None
    assert store.log() == (erased,)
    # With the store still open: nothing in the file or its write-ahead log keeps either.
    for file in path.parent.iterdir():
        assert b"Mrs Jones" not in file.read_bytes()
        assert b"Ann Whitlock" not in file.read_bytes()


def test_erasing_an_unknown_or_erased_entry_is_a_store_error(store: Store) -> None:
    with pytest.raises(StoreError, match="holds no log entry 'nope'"):
        store.erase("nope")
    entry = store.add_log_entry(COUNCIL, "story", "Told")
    store.erase(entry.id)
    with pytest.raises(StoreError, match="was erased already"):
        store.erase(entry.id)
    assert len(store.erasures()) == 1


# -- merging ------------------------------------------------------------------------------------


def test_merging_adds_what_is_new_and_again_nothing(tmp_path: Path, store: Store) -> None:
    run = store.record(COUNCIL, measurement(42), recorded_at=at(1))
    entry = store.add_log_entry(COUNCIL, "lesson", "Ask first")
    erased = store.add_log_entry(COUNCIL, "story", "Named someone")
    store.erase(erased.id, reason="asked")
    correction = store.add_log_entry(COUNCIL, "lesson", "Ask twice", corrects=entry.id)
    with open_store(tmp_path / "other.sqlite") as other:
        # Given a correction before the entry it corrects, the merge still adds both.
        log = store.log()
        assert other.merge(
            [store.run(run.id)], [log[2], log[0], log[1]], erasures=store.erasures()
        ) == (1, 3)
        assert other.merge([store.run(run.id)], store.log(), erasures=store.erasures()) == (0, 0)
        assert other.run(run.id) == store.run(run.id)
        assert other.log() == store.log()
        assert other.erasures() == store.erasures()
        assert other.log()[-1] == correction


def test_merging_an_erased_entry_erases_the_stored_one(tmp_path: Path, store: Store) -> None:
    entry = store.add_log_entry(COUNCIL, "story", "Named someone")
    with open_store(tmp_path / "copy.sqlite") as copy:
        copy.merge([], store.log())
        store.erase(entry.id, reason="asked")
        assert copy.merge([], store.log(), erasures=store.erasures()) == (0, 0)
        assert copy.log()[0].text == ""
        assert copy.erasures() == store.erasures()
        # Without its erasure record, a new one is made.
        with open_store(tmp_path / "third.sqlite") as third:
            third.merge([], [entry])
            third.merge([], store.log())
            (made,) = third.erasures()
            assert (made.entry, made.reason) == (entry.id, None)


# -- refusing what is not a store ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"name,age\nJ. Smith,41\n", "not an SQLite database"),
    ],
)
def test_a_file_that_is_not_a_store_is_refused_and_left_as_it_is(
    path: Path, content: bytes, message: str
) -> None:
    path.write_bytes(content)
    before = digest(path)
    with open_store(path) as store:
        for call in (store.runs, store.log, store.history, store.check):
            with pytest.raises(NotAStoreError, match=message):
                call()
        with pytest.raises(NotAStoreError, match=message):
            store.record(COUNCIL, measurement(1))
        with pytest.raises(NotAStoreError, match=message):
            store.add_log_entry(COUNCIL, "lesson", "Text")
    assert digest(path) == before
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_another_sqlite_database_is_refused_and_left_as_it_is(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE people (name TEXT)")
    connection.close()
    before = digest(path)
    with open_store(path) as store:
        with pytest.raises(NotAStoreError, match="without the store's tables"):
            store.runs()
        with pytest.raises(NotAStoreError, match="without the store's tables"):
            store.record(COUNCIL, measurement(1))
    assert digest(path) == before


def test_a_truncated_store_is_refused_and_left_as_it_is(path: Path) -> None:
    with open_store(path) as store:
        for day in range(1, 20):
            store.record(COUNCIL, measurement(day), recorded_at=at(day))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    before = digest(path)
    with open_store(path) as store:
        with pytest.raises(NotAStoreError, match=r"truncated|damaged"):
            store.runs()
        with pytest.raises(NotAStoreError, match=r"truncated|damaged"):
            store.record(COUNCIL, measurement(1))
    assert digest(path) == before


def test_a_store_from_a_newer_socialcouncil_is_refused_and_left_as_it_is(path: Path) -> None:
    with open_store(path) as store:
        store.record(COUNCIL, measurement(1))
    with sqlite3.connect(path) as connection:
        connection.execute(
            "UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),)
        )
    connection.close()
    before = digest(path)
    with open_store(path) as store:
        with pytest.raises(NewerStoreError, match=f"schema version {SCHEMA_VERSION + 1}"):
            store.runs()
        with pytest.raises(NewerStoreError, match="upgrade socialcouncil"):
            store.record(COUNCIL, measurement(1))
        with pytest.raises(NewerStoreError):
            store.check()
    assert digest(path) == before


def test_a_failed_write_leaves_a_newer_store_in_rollback_mode_as_it_is(path: Path) -> None:
    with open_store(path) as store:
        store.record(COUNCIL, measurement(1))
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode = delete")
        connection.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    connection.close()
    before = digest(path)
    with open_store(path) as store:
        with pytest.raises(NewerStoreError):
            store.add_log_entry(COUNCIL, "lesson", "Text")
        with pytest.raises(NewerStoreError):
            store.record(COUNCIL, measurement(1))
    assert digest(path) == before
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_a_failed_write_leaves_another_database_with_a_meta_table_as_it_is(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE meta (key TEXT, value TEXT)")
        connection.execute("INSERT INTO meta VALUES ('colour', 'blue')")
    connection.close()
    before = digest(path)
    with open_store(path) as store:
        with pytest.raises(NotAStoreError, match="schema version"):
            store.add_log_entry(COUNCIL, "lesson", "Text")
        with pytest.raises(NotAStoreError, match="schema version"):
            store.record(COUNCIL, measurement(1))
    assert digest(path) == before
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


@pytest.mark.parametrize(
    "statement",
    [
        "CREATE VIEW answers AS SELECT 42 AS answer",
        "PRAGMA user_version = 7",
        "PRAGMA application_id = 1234",
    ],
)
def test_a_database_holding_only_a_view_or_a_version_is_not_empty(
    path: Path, statement: str
) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute(statement)
    connection.close()
    before = digest(path)
    with open_store(path) as store:
        with pytest.raises(NotAStoreError, match="without the store's tables"):
            store.runs()
        with pytest.raises(NotAStoreError, match="without the store's tables"):
            store.add_log_entry(COUNCIL, "lesson", "Text")
    assert digest(path) == before


def test_check_finds_nothing_wrong_in_a_sound_store(store: Store) -> None:
    store.record(COUNCIL, measurement(1))
    store.add_log_entry(COUNCIL, "lesson", "Text")
    assert store.check() == ()


def test_check_finds_a_run_that_is_not_complete(store: Store, path: Path) -> None:
    run = store.record(COUNCIL, measurement(1))
    with sqlite3.connect(path) as connection:
        connection.execute("DELETE FROM results WHERE position = 0")
    connection.close()
    assert store.check() == (f"run {run.id} recorded 3 results but holds 2",)


# -- what a store keeps of bad rows, from real sources and a model's row rules ------------------

LEDGER_COUNCIL = """
[council]
name = "Anytown Borough Council"

[[sources]]
id = "ledger"
type = "csv"
location = "ledger.csv"

[[measures]]
id = "hours"
name = "Hours given"
unit = "hours"
model = "timebank"
source = "ledger"
columns = { giver = "Giver", receiver = "Receiver", hours = "Hours", date = "Date" }
"""


def test_row_problems_from_a_source_and_a_model_keep_what_was_expected(
    tmp_path: Path, store: Store
) -> None:
    (tmp_path / "anytown.toml").write_text(LEDGER_COUNCIL, encoding="utf-8")
    (tmp_path / "ledger.csv").write_text(
        "Giver,Receiver,Hours,Date\n"
        "Ann Smith,Bob Jones,2,2026-04-01\n"
        "Cat Brown,Cat Brown,1,2026-04-02\n"  # a model's row rule: the giver received too
        "Dan Grey,Eve White,lots,2026-04-03\n"  # a bad cell
        "Fay Green,Gus Black,2026-04-04\n",  # a ragged row
        encoding="utf-8",
    )
    council = load(tmp_path / "anytown.toml")
    measured = measure(council, base=tmp_path, skip_invalid=True)
    recorded = store.record(council, measured)
    kept = {(p.row, p.field): p for p in store.run(recorded.id).problems}
    assert kept[5, None].expected == "4 cells, one per column of the header"
    assert kept[4, "Hours"].expected == "a number"
    assert kept[3, "Receiver"].expected == "a member other than the giver"
    assert all(p.message is None for p in kept.values())
    store.close()
    for file in tmp_path.iterdir():
        if file.name.startswith("anytown.history"):
            assert b"Cat Brown" not in file.read_bytes()
            assert b"lots" not in file.read_bytes()
