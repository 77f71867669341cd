"""Store engines: the SQLite file's settings, network file systems, migration, plugins."""

from __future__ import annotations

import datetime
import hashlib
import sqlite3
import threading
from typing import TYPE_CHECKING, ClassVar

import pytest
import sqlalchemy as sa

from socialcouncil import Council, PluginError, PluginWarning, Result, hookimpl
from socialcouncil.measurement.run import Measurement
from socialcouncil.plugins import isolated_registry
from socialcouncil.store import (
    SCHEMA_VERSION,
    NotAStoreError,
    PostgresqlEngine,
    SqliteEngine,
    Store,
    StoreWarning,
    network_file_system,
    open_store,
)
from socialcouncil.store import _schema as schema
from socialcouncil.store._engines import NETWORK_FILE_SYSTEMS
from socialcouncil.store._store import MIGRATIONS

if TYPE_CHECKING:
    from pathlib import Path

COUNCIL = Council(name="Anytown Borough Council")
MEASURED = Measurement(results=(Result("observed", "value", 3.0, measure="volunteers"),))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def pragma(path: Path, name: str) -> object:
    with sqlite3.connect(path) as connection:
        value = connection.execute(f"PRAGMA {name}").fetchone()[0]
    connection.close()
    return value


# -- the SQLite file ----------------------------------------------------------------------------


def test_a_local_store_uses_the_write_ahead_log(tmp_path: Path) -> None:
    path = tmp_path / "anytown.history.sqlite"
    with open_store(path) as store:
        store.record(COUNCIL, MEASURED)
    assert pragma(path, "journal_mode") == "wal"


def mountinfo(tmp_path: Path, fstype: str, point: str) -> Path:
    file = tmp_path / "mountinfo"
    file.write_text(
        "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
        f"41 22 0:44 / {point} rw,relatime shared:30 - {fstype} server:/export rw,vers=4.2\n",
        encoding="utf-8",
    )
    return file


def test_a_symbolic_link_is_followed_to_the_file_system_of_its_file(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "b.sqlite").touch()
    link = tmp_path / "local" / "b.sqlite"
    link.parent.mkdir()
    link.symlink_to(shared / "b.sqlite")
    info = mountinfo(tmp_path, "nfs4", str(shared.resolve()))
    assert network_file_system(link, mountinfo=info) == "nfs4"


def test_a_journal_beside_a_linked_file_says_a_writer_is_busy(tmp_path: Path) -> None:
    real = tmp_path / "real" / "b.sqlite"
    real.parent.mkdir()
    with open_store(real) as store:
        store.record(COUNCIL, MEASURED)
    link = tmp_path / "b.sqlite"
    link.symlink_to(real)
    assert not SqliteEngine(str(link))._busy()
    real.with_name(f"{real.name}-journal").touch()
    assert SqliteEngine(str(link))._busy()


@pytest.mark.parametrize("fstype", ["nfs", "nfs4", "cifs", "smb3", "fuse.sshfs", "9p"])
def test_a_network_file_system_is_recognised(tmp_path: Path, fstype: str) -> None:
    assert fstype in NETWORK_FILE_SYSTEMS
    info = mountinfo(tmp_path, fstype, "/mnt/shared")
    assert network_file_system("/mnt/shared/a/b.sqlite", mountinfo=info) == fstype
    assert network_file_system("/mnt/shared", mountinfo=info) == fstype
    assert network_file_system("/mnt/sharedother/b.sqlite", mountinfo=info) is None
    assert network_file_system("/home/b.sqlite", mountinfo=info) is None


def test_the_longest_mount_point_decides(tmp_path: Path) -> None:
    info = tmp_path / "mountinfo"
    info.write_text(
        "22 1 8:1 / / rw - ext4 /dev/sda1 rw\n"
        "41 22 0:44 / /mnt rw - nfs4 server:/export rw\n"
        "42 41 8:2 / /mnt/local\\040disk rw - xfs /dev/sdb1 rw\n",
        encoding="utf-8",
    )
    assert network_file_system("/mnt/x.sqlite", mountinfo=info) == "nfs4"
    assert network_file_system("/mnt/local disk/x.sqlite", mountinfo=info) is None


def test_without_mountinfo_a_path_is_taken_to_be_local(tmp_path: Path) -> None:
    assert network_file_system("/mnt/x.sqlite", mountinfo=tmp_path / "absent") is None


def test_on_a_network_file_system_the_store_uses_the_rollback_journal_and_says_so(
    tmp_path: Path,
) -> None:
    path = tmp_path / "anytown.history.sqlite"
    info = mountinfo(tmp_path, "nfs4", str(tmp_path))
    with Store(SqliteEngine(str(path), mountinfo=str(info))) as store:
        with pytest.warns(StoreWarning, match=r"network file system \(nfs4\).*rollback journal"):
            store.record(COUNCIL, MEASURED)
        store.record(COUNCIL, MEASURED)  # said once
        assert len(store.runs()) == 2
    assert pragma(path, "journal_mode") == "delete"


def test_a_writer_waits_for_another_to_finish(tmp_path: Path) -> None:
    path = tmp_path / "anytown.history.sqlite"
    with open_store(path) as store:
        store.record(COUNCIL, MEASURED)
        other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        other.execute("BEGIN IMMEDIATE")
        released = threading.Event()

        def release() -> None:
            released.wait(5)
            other.execute("COMMIT")

        thread = threading.Thread(target=release)
        thread.start()
        try:
            timer = threading.Timer(0.2, released.set)
            timer.start()
            store.record(COUNCIL, MEASURED)  # waits for the lock, then writes
        finally:
            released.set()
            thread.join()
            other.close()
        assert len(store.runs()) == 2


def test_a_folder_that_does_not_exist_is_a_store_error(tmp_path: Path) -> None:
    from socialcouncil.store import StoreError

    with (
        open_store(tmp_path / "absent" / "a.sqlite") as store,
        pytest.raises(StoreError, match="no folder"),
    ):
        store.record(COUNCIL, MEASURED)


def test_an_sqlite_url_needs_a_path() -> None:
    from socialcouncil.store import StoreError

    with pytest.raises(StoreError, match="sqlite:///PATH"):
        open_store("sqlite://")


# -- the schema version and migration ----------------------------------------------------------


def make_version_1(path: Path) -> None:
    """A store as socialcouncil wrote it at schema version 1: without the index of links."""
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        schema.metadata.create_all(connection)
        for index in schema.log_links.indexes:
            index.drop(connection)
        connection.execute(sa.insert(schema.meta).values(key="schema_version", value="1"))
        connection.execute(
            sa.insert(schema.runs).values(
                id="00000000-0000-4000-8000-000000000001",
                recorded_at=datetime.datetime(2025, 4, 1, 9),  # SQLite keeps no zone: UTC
                version="0.0.1",
                council_name="Anytown Borough Council",
                council='{"council":{"name":"Anytown Borough Council"}}',
                headlines="{}",
                breakdowns="{}",
                unmeasured="[]",
                result_count=0,
                problem_count=0,
                source_count=0,
            )
        )
    engine.dispose()


def indexes(path: Path) -> set[str]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
        found = {row[0] for row in rows}
    connection.close()
    return found


def test_the_migrations_reach_the_schema_version() -> None:
    assert sorted(MIGRATIONS) == list(range(1, SCHEMA_VERSION))


def test_an_older_store_is_read_as_it_is_and_migrated_by_a_write(tmp_path: Path) -> None:
    path = tmp_path / "old.history.sqlite"
    make_version_1(path)
    before = digest(path)
    with open_store(path) as store:
        (old,) = store.runs()
        assert old.recorded_at == datetime.datetime(2025, 4, 1, 9, tzinfo=datetime.timezone.utc)
        assert store.run(old.id).council == COUNCIL
        assert store.log() == ()
        assert store.check() == ()  # an older schema is nothing wrong
        assert store.schema_version() == 1
    assert digest(path) == before  # reading never migrates
    assert "log_links_by_target" not in indexes(path)
    with open_store(path) as store:
        store.add_log_entry(COUNCIL, "lesson", "Migrated by the first write")
        assert store.check() == ()
        assert len(store.runs()) == 1
    assert "log_links_by_target" in indexes(path)
    with sqlite3.connect(path) as connection:
        version = connection.execute("SELECT value FROM meta").fetchone()[0]
    connection.close()
    assert version == str(SCHEMA_VERSION)


def test_a_failed_write_leaves_an_older_store_unmigrated(tmp_path: Path) -> None:
    from socialcouncil.store import LogEntryError

    path = tmp_path / "old.history.sqlite"
    make_version_1(path)
    with open_store(path) as store, pytest.raises(LogEntryError):
        store.add_log_entry(COUNCIL, "lesson", "Text", corrects="no-such-entry")
    assert "log_links_by_target" not in indexes(path)


def test_a_store_whose_schema_version_is_not_a_number_is_not_a_store(tmp_path: Path) -> None:

    path = tmp_path / "odd.history.sqlite"
    with open_store(path) as store:
        store.record(COUNCIL, MEASURED)
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE meta SET value = 'two'")
    connection.close()
    with open_store(path) as store, pytest.raises(NotAStoreError, match="schema version is 'two'"):
        store.runs()


def test_a_first_write_that_never_committed_leaves_an_empty_store(tmp_path: Path) -> None:
    path = tmp_path / "new.history.sqlite"
    path.touch()  # an empty file, as a first write killed before it began leaves
    with open_store(path) as store:
        assert store.runs() == ()
        assert store.schema_version() is None
        # Reads take it as an empty store; a check calls it what it is.
        with pytest.raises(NotAStoreError, match="it is an empty file"):
            store.check()
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode = WAL")  # a first write killed a little later
    connection.close()
    with open_store(path) as store:
        assert store.runs() == ()
        assert store.check() == ()  # SQLite's own empty database, a store not made yet
        store.record(COUNCIL, MEASURED)
        assert len(store.runs()) == 1
        assert store.check() == ()
        assert store.schema_version() == SCHEMA_VERSION


def test_a_first_write_into_an_empty_file_makes_the_store(tmp_path: Path) -> None:
    path = tmp_path / "new.history.sqlite"
    path.touch()
    with open_store(path) as store:
        store.add_log_entry(COUNCIL, "lesson", "The first.")
        assert store.check() == ()


# -- engines as plugins -------------------------------------------------------------------------


class Memo(SqliteEngine):
    """A plugin's engine: an SQLite file named in a memo:// URL."""

    name: ClassVar[str] = "memo"
    description: ClassVar[str] = "A store named in a memo:// URL."
    schemes: ClassVar[tuple[str, ...]] = ("memo",)

    def __init__(self, location: str) -> None:
        super().__init__(location.removeprefix("memo://"))


class MemoPlugin:
    @hookimpl
    def register_store_engines(self) -> list[type[SqliteEngine]]:
        return [Memo]


class Impostor(Memo):
    name: ClassVar[str] = "impostor"
    schemes: ClassVar[tuple[str, ...]] = ("postgresql",)


class ImpostorPlugin:
    @hookimpl
    def register_store_engines(self) -> list[type[SqliteEngine]]:
        return [Impostor]


class NotAnEngine:
    name = "not-an-engine"
    description = "Lacks everything."
    schemes = ("nothing",)


class BrokenPlugin:
    @hookimpl
    def register_store_engines(self) -> list[type]:
        return [NotAnEngine]


def test_the_built_in_engines_are_registered_through_the_hook() -> None:
    found = isolated_registry()
    assert list(found.store_engines) == ["sqlite", "postgresql"]
    assert found.provider("store engine", "sqlite").name == "sqlite-store"
    assert found.provider("store engine", "postgresql").name == "postgresql-store"


def test_a_plugins_engine_opens_its_scheme(tmp_path: Path) -> None:
    found = isolated_registry(MemoPlugin())
    path = tmp_path / "memo.sqlite"
    with open_store(f"memo://{path}", registry=found) as store:
        assert store.engine == "memo"
        store.record(COUNCIL, MEASURED)
    with open_store(path, registry=found) as store:
        assert store.engine == "sqlite"
        assert len(store.runs()) == 1


def test_an_engine_claiming_a_built_in_scheme_is_left_out() -> None:
    with pytest.raises(PluginError, match=r"'impostor' for postgresql:// URLs.*left out"):
        isolated_registry(ImpostorPlugin()).store_engines  # noqa: B018
    found = isolated_registry(ImpostorPlugin(), strict=False)
    with pytest.warns(PluginWarning, match="'impostor' for postgresql://"):
        engines = found.store_engines
    assert engines["postgresql"].name == "postgresql"
    assert "impostor" not in engines


def test_an_engine_class_lacking_the_protocol_is_left_out() -> None:
    found = isolated_registry(BrokenPlugin(), strict=False)
    with pytest.warns(PluginWarning, match="NotAnEngine, which lacks exists, reading"):
        engines = found.store_engines
    assert "not-an-engine" not in engines


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://officer@db.example/history",
        "postgres://officer@db.example/history",
        "postgresql+psycopg://officer@db.example/history",
    ],
)
def test_every_spelling_of_a_postgresql_url_opens_the_postgresql_engine_with_psycopg(
    url: str,
) -> None:
    with open_store(url) as store:
        assert store.engine == "postgresql"
    engine = PostgresqlEngine(url)
    assert engine.url.drivername == "postgresql+psycopg"
    assert engine.url.database == "history"


def test_the_record_classes_load_without_sqlalchemy() -> None:
    import subprocess
    import sys

    code = (
        "import sys, socialcouncil.store, socialcouncil\n"
        "socialcouncil.store.Run, socialcouncil.store.LogEntryError\n"
        "print('sqlalchemy' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
