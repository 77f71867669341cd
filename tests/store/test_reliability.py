"""The history store's promises: what concurrent use, a killed process and a bad file leave.

- Two processes recording at once lose no run, and leave the store consistent.
- A process killed with SIGKILL while it records leaves the store consistent, the run wholly
  absent (it is killed inside its transaction, which a handshake proves, not a sleep).
- A file that is not a store, is truncated, or comes from a newer socialcouncil is refused with
  a :class:`NotAStoreError` or :class:`NewerStoreError`, by every read and every write, and is
  never modified. (That ``socialcouncil store check`` turns these into exit status 2, and never
  a traceback, is the command's own test.)

The kill tests run on both engines (``store_location``); the rest are about SQLite files.
"""

from __future__ import annotations

import itertools
import os
import signal
import sqlite3
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialcouncil import open_store
from socialcouncil.store import SCHEMA_VERSION, NewerStoreError, NotAStoreError, StoreError
from tests.store import recording

if TYPE_CHECKING:
    from collections.abc import Callable

    from socialcouncil.store import Store
    from tests.store.conftest import Child

RUNS_EACH = 5_000


def consistent(location: str) -> list[str]:
    """The ids of the store's runs, once its check and its own row counts say it is whole."""
    with open_store(location) as store:
        assert store.check() == ()
        runs = store.runs()
    rows = recording.stored_rows(location)
    assert rows["runs"] == len(runs)
    assert rows["results"] == sum(run.results for run in runs)
    assert rows["problems"] == sum(run.problems for run in runs)
    return [run.id for run in runs]


def test_two_processes_recording_at_once_lose_none_of_their_runs(
    tmp_path: Path, child: Callable[..., Child]
) -> None:
    location = str(tmp_path / "history.sqlite")
    # Neither has written before the other starts: the store is made by whichever is first.
    one, other = (child("record", location, "--runs", str(RUNS_EACH), "--tag", tag) for tag in "ab")
    for each in (one, other):
        each.expect("ready")
    for each in (one, other):
        each.tell("go")
    for each in (one, other):
        each.finish()
    assert len(consistent(location)) == 2 * RUNS_EACH
    with open_store(location) as store:
        runs = store.runs()
    assert len({run.id for run in runs}) == 2 * RUNS_EACH
    for tag in "ab":
        theirs = [run for run in runs if run.model_file == tag]
        assert len(theirs) == RUNS_EACH
        assert {(run.results, run.problems) for run in theirs} == {(2, 1)}
    # They did record at the same time: each recorded runs between two of the other's.
    order = [run.model_file for run in runs]
    assert sum(a != b for a, b in itertools.pairwise(order)) > 2


@pytest.mark.parametrize("at", ["insert", "results", "commit"])
@pytest.mark.parametrize("before", [0, 2], ids=["new store", "store with runs"])
def test_a_process_killed_while_recording_leaves_the_run_wholly_absent(
    store_location: str, child: Callable[..., Child], at: str, before: int
) -> None:
    council = recording.council()
    with open_store(store_location) as store:
        kept = [store.record(council, recording.measurement(6, seed=s)).id for s in range(before)]
    hung = child("hang", store_location, "--results", "5000", "--at", at)
    hung.expect("inside")  # it has written rows of the run, and not committed them
    assert hung.kill() == -signal.SIGKILL
    assert consistent(store_location) == kept
    # The store takes the next run as if nothing had happened.
    with open_store(store_location) as store:
        after = store.record(council, recording.measurement(6, seed=99))
        assert store.run(after.id).results == after.results
    assert consistent(store_location) == [*kept, after.id]


# Files that are not a store ----------------------------------------------------------------


def text_file(path: Path) -> None:
    path.write_text("format = 1\n[council]\nname = 'Not a store'\n", encoding="utf-8")


def random_bytes(path: Path) -> None:
    path.write_bytes(bytes((i * 7919 + 13) % 256 for i in range(10_000)))


def other_database(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE people (name TEXT, ward TEXT)")
        connection.execute("INSERT INTO people VALUES ('J. Smith', 'Olton')")
    connection.close()


def store_of_its_own_tables(path: Path) -> None:
    """A database with tables of the store's names, and no schema version: not a store."""
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE runs (id TEXT PRIMARY KEY)")
        connection.execute("CREATE TABLE results (run TEXT, value REAL)")
    connection.close()


def truncated_store(path: Path) -> None:
    with open_store(path) as store:
        store.record(recording.council(), recording.measurement(3_000, seed=1))
    size = path.stat().st_size
    assert size > 8 * 4096  # many pages: half of it is a store cut short
    os.truncate(path, size // 2)


def newer_store(path: Path) -> None:
    with open_store(path) as store:
        store.record(recording.council(), recording.measurement(4, seed=1))
    with sqlite3.connect(path) as connection:
        connection.execute(
            "UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),)
        )
    connection.close()


FILES: dict[str, tuple[Callable[[Path], None], type[StoreError]]] = {
    "text": (text_file, NotAStoreError),
    "random bytes": (random_bytes, NotAStoreError),
    "another database": (other_database, NotAStoreError),
    "tables of the store's names": (store_of_its_own_tables, NotAStoreError),
    "truncated store": (truncated_store, NotAStoreError),
    "newer store": (newer_store, NewerStoreError),
}


def everything_a_store_does() -> dict[str, Callable[[Store], object]]:
    council = recording.council()
    return {
        "runs": lambda store: store.runs(),
        "run": lambda store: store.run("00000000-0000-4000-8000-000000000000"),
        "history": lambda store: store.history(council),
        "log": lambda store: store.log(),
        "check": lambda store: store.check(),
        "record": lambda store: store.record(council, recording.measurement(2)),
        "add_log_entry": lambda store: store.add_log_entry(council, "lesson", "Ask first"),
        "merge": lambda store: store.merge([], []),
    }


def folder_contents(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def changes(folder: Path, before: dict[str, bytes]) -> list[str]:
    """What changed in the folder's files, or was written beside them; empty for nothing.

    A reader of a database in WAL mode leaves SQLite's shared-memory index (``-shm``) and an
    empty log (``-wal``) beside it, which say nothing; a journal or a log with anything in
    it would mean something was written.
    """
    after = folder_contents(folder)
    added = {name: after.pop(name) for name in set(after) - set(before)}
    found = [
        f"{name} was written ({len(content):,} bytes)"
        for name, content in sorted(added.items())
        if not (name.endswith("-shm") or (name.endswith("-wal") and content == b""))
    ]
    found += [f"{name} changed" for name in sorted(before) if after.get(name) != before[name]]
    return found


@pytest.mark.parametrize("doing", list(everything_a_store_does()))
@pytest.mark.parametrize("kind", list(FILES))
def test_a_file_that_is_not_a_store_is_refused_and_left_as_it_was(
    tmp_path: Path, kind: str, doing: str
) -> None:
    path = tmp_path / "history.sqlite"
    make, error = FILES[kind]
    make(path)
    before = folder_contents(tmp_path)
    with open_store(path) as store, pytest.raises(error) as raised:
        everything_a_store_does()[doing](store)
    assert type(raised.value) is error
    assert raised.value.location == str(path)
    assert str(raised.value).startswith(f"{path}: ")
    assert raised.value.message.strip()
    assert changes(tmp_path, before) == []


def test_a_newer_store_says_to_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite"
    newer_store(path)
    with open_store(path) as store, pytest.raises(NewerStoreError) as raised:
        store.runs()
    assert str(SCHEMA_VERSION + 1) in raised.value.message
    assert "upgrade" in raised.value.message.lower()


@settings(max_examples=40)
@given(
    st.one_of(
        st.binary(min_size=1, max_size=5_000),
        # What starts like an SQLite file and is not one.
        st.binary(min_size=1, max_size=5_000).map(lambda rest: b"SQLite format 3\x00" + rest),
    )
)
def test_any_bytes_that_are_not_a_store_are_refused_unchanged(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        path = folder / "history.sqlite"
        path.write_bytes(content)
        for doing in ("runs", "check", "record"):
            with open_store(path) as store, pytest.raises(NotAStoreError):
                everything_a_store_does()[doing](store)
        assert changes(folder, {"history.sqlite": content}) == []
