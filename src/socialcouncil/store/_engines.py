"""Store engines: what opens a store's database, and the two built in.

A store engine is a class following :class:`StoreEngine`, registered through the
``register_store_engines`` hook and chosen by the scheme of the store's URL (a plain path is
SQLite). Every engine gives SQLAlchemy engines, so that one set of queries serves them all.
"""

from __future__ import annotations

import sqlite3
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.pool import QueuePool

from socialcouncil.store import NotAStoreError, StoreError, StoreWarning

if TYPE_CHECKING:
    import os
    from collections.abc import Iterable

__all__ = [
    "NETWORK_FILE_SYSTEMS",
    "PostgresqlEngine",
    "SqliteEngine",
    "StoreEngine",
    "network_file_system",
]


@runtime_checkable
class StoreEngine(Protocol):
    """What a store engine class offers.

    A class implementing it is registered through the ``register_store_engines`` hook::

        class Duck:
            name = "duck"
            description = "A store in a DuckDB file."
            schemes = ("duckdb",)

            def __init__(self, location): ...
            def exists(self): ...
            def reading(self): ...
            def writing(self): ...
            def lock(self, connection): ...
            def integrity(self, connection): ...
            def error(self, exc): ...
            def close(self): ...

    The store itself (:class:`~socialcouncil.store.Store`) makes the tables, checks the
    schema version, migrates, and reads and writes, through SQLAlchemy Core; an engine only
    says how to reach its database and how to keep two writers apart.

    Attributes:
        name: unique among store engines.
        description: one sentence on what it stores in.
        schemes: the URL schemes it opens (the part before ``://``, less any ``+driver``),
            such as ``("postgresql", "postgres")``.
        location: where the store is, as text a person can read, never with a password.
    """

    name: ClassVar[str]
    description: ClassVar[str]
    schemes: ClassVar[tuple[str, ...]]
    location: str

    def __init__(self, location: str) -> None:
        """Prepare to open the store at *location*, a path or URL; touch nothing yet.

        Raises:
            StoreError: when the location cannot be a store of this engine.
        """

    def exists(self) -> bool:
        """Whether a store is there to read.

        False where nothing is there yet (a file not yet made, a database without the store's
        tables): reading then gives empty answers, and the first write makes the store.

        Raises:
            NotAStoreError: for something there that is not a store, or is damaged; it is
                left as it is.
        """

    def reading(self) -> sa.Engine:
        """An SQLAlchemy engine whose connections only read."""

    def writing(self) -> sa.Engine:
        """An SQLAlchemy engine whose transactions write, making the store where needed."""

    def lock(self, connection: sa.Connection) -> None:
        """Hold the store's write lock until the end of *connection*'s transaction.

        Called at the start of every writing transaction, before the schema version is read,
        so that only one writer at a time makes or migrates the store.
        """

    def integrity(self, connection: sa.Connection) -> tuple[str, ...]:
        """What the database itself finds wrong with its storage, each in words.

        Empty when nothing is.
        """

    def error(self, exc: sa.exc.SQLAlchemyError) -> StoreError:
        """The error for people that the database error *exc* means."""

    def close(self) -> None:
        """Let go of every connection."""


NETWORK_FILE_SYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb3",
        "smbfs",
        "fuse.sshfs",
        "9p",
        "afs",
        "ceph",
        "glusterfs",
        "fuse.glusterfs",
        "lustre",
        "gpfs",
        "ocfs2",
        "gfs2",
        "davfs",
        "fuse.rclone",
        "fuse.s3fs",
        "fuse.gcsfuse",
        "virtiofs",
    }
)
"""The file system types (as ``/proc/self/mountinfo`` names them) whose locking SQLite's
write-ahead log cannot rely on: every process using it must share one machine's memory."""


def _unescape(field: str) -> str:
    # mountinfo writes a space, tab, newline and backslash in a path as octal escapes.
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


def _mounts(lines: Iterable[str]) -> list[tuple[str, str]]:
    found = []
    for line in lines:
        fields = line.split()
        if "-" not in fields:
            continue
        separator = fields.index("-")
        if separator < 5 or separator + 1 >= len(fields):
            continue
        found.append((_unescape(fields[4]), fields[separator + 1]))
    return found


def network_file_system(
    path: str | os.PathLike[str], *, mountinfo: str | os.PathLike[str] = "/proc/self/mountinfo"
) -> str | None:
    r"""The type of the network file system *path* is on, or None for a local one.

    The file system is the one mounted at the longest mount point holding *path* in
    *mountinfo* (Linux's ``/proc/self/mountinfo``); where that cannot be read, as on other
    systems, the path is taken to be local. Network file systems are NFS (``nfs``,
    ``nfs4``), SMB (``cifs``, ``smb3``, ``smbfs``), SSHFS (``fuse.sshfs``), 9P (``9p``),
    ``virtiofs``, and the cluster file systems (AFS, Ceph, GlusterFS, Lustre, GPFS, OCFS2,
    GFS2) and FUSE mounts of remote storage (WebDAV, rclone, s3fs, gcsfuse).

    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile("w", suffix=".mountinfo", delete=False) as info:
    ...     _ = info.write("22 1 0:21 / / rw - ext4 /dev/sda1 rw\n"
    ...                    "40 22 0:41 / /mnt/shared rw - nfs4 server:/export rw\n")
    >>> network_file_system("/mnt/shared/council/solihull.history.sqlite", mountinfo=info.name)
    'nfs4'
    >>> network_file_system("/home/council/solihull.history.sqlite", mountinfo=info.name) is None
    True
    """
    try:
        with Path(mountinfo).open(encoding="utf-8", errors="replace") as file:
            mounts = _mounts(file)
    except OSError:
        return None
    # Resolved: SQLite follows a symbolic link to the database, and keeps its journal and
    # write-ahead log beside the file it names.
    target = Path(path).resolve()
    best: tuple[int, str] | None = None
    for point, fstype in mounts:
        mount = Path(point)
        if (target == mount or mount in target.parents) and (best is None or len(point) >= best[0]):
            best = (len(point), fstype)
    if best is None or best[1] not in NETWORK_FILE_SYSTEMS:
        return None
    return best[1]


_HEADER = b"SQLite format 3\x00"
_BUSY_TIMEOUT = 30.0


def _sqlite_path(location: str) -> Path:
    if "://" not in location:
        return Path(location)
    url = sa.make_url(location)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise StoreError(location, "expected sqlite:///PATH, the path of the store's file")
    return Path(url.database)


class SqliteEngine:
    """The embedded default: a store in one SQLite file, such as ``solihull.history.sqlite``.

    Writers take SQLite's write lock as their transaction begins (``BEGIN IMMEDIATE``) and
    wait up to 30 seconds for another writer to finish. The file uses the write-ahead log
    (WAL) with ``synchronous=NORMAL``: readers never wait for a writer, and a process that
    dies mid-run loses nothing committed and leaves no half-written run. On a network file
    system, whose locks WAL cannot rely on, the store uses the rollback journal with
    ``synchronous=FULL`` instead, and says so in a :class:`~socialcouncil.store.StoreWarning`.
    """

    name: ClassVar[str] = "sqlite"
    description: ClassVar[str] = "A store in one SQLite file: the embedded default."
    schemes: ClassVar[tuple[str, ...]] = ("sqlite",)

    def __init__(self, location: str, *, mountinfo: str = "/proc/self/mountinfo") -> None:
        self.path = _sqlite_path(location)
        self.location = str(self.path)
        self._mountinfo = mountinfo
        self._reader: sa.Engine | None = None
        self._writer: sa.Engine | None = None
        self.journal_mode: str | None = None
        """The journal mode writers use, once a write has chosen it: ``"wal"`` or
        ``"delete"``."""

    def _damaged(self, message: str) -> NotAStoreError:
        return NotAStoreError(self.location, message)

    def _busy(self) -> bool:
        # While a -wal or -journal is beside it, a writer may be copying pages into the file,
        # the header first: its size says nothing then, and SQLite's own reads tell.
        real = self.path.resolve()
        return any(Path(f"{real}{end}").exists() for end in ("-wal", "-journal"))

    def _check_file(self) -> bool:
        busy = self._busy()
        try:
            self.path.stat()
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise StoreError(self.location, f"cannot be read: {exc.strerror}") from None
        if not self.path.is_file():
            raise self._damaged("is not a history store: it is not a regular file")
        try:
            with self.path.open("rb") as file:
                header = file.read(100)
        except OSError as exc:
            raise StoreError(self.location, f"cannot be read: {exc.strerror}") from None
        if not header:
            # SQLite's own empty database, as a first write killed before it began leaves:
            # there is nothing in it to lose, and nothing stored yet.
            return False
        if not header.startswith(_HEADER) or len(header) < 100:
            raise self._damaged("is not a history store: it is not an SQLite database")
        page_size = int.from_bytes(header[16:18], "big")
        page_size = 65536 if page_size == 1 else page_size
        pages = int.from_bytes(header[28:32], "big")
        header_valid = header[24:28] == header[92:96]
        size = self.path.stat().st_size  # after the header, which a writer changes first
        busy = busy or self._busy()
        if page_size < 512 or page_size & (page_size - 1) or (size % page_size and not busy):
            raise self._damaged(
                f"is damaged: it holds {size:,} bytes, not a whole number of its "
                f"{page_size:,}-byte pages (truncated?)"
            )
        if header_valid and pages and size < pages * page_size and not busy:
            raise self._damaged(
                f"is truncated: it holds {size:,} bytes, and its header says {pages * page_size:,}"
            )
        return True

    def exists(self) -> bool:
        """Whether the file is there and holds a store; NotAStoreError for any other file."""
        if not self._check_file():
            return False
        try:
            with self.reading().connect() as connection:
                names = set(sa.inspect(connection).get_table_names())
                schema = connection.exec_driver_sql(
                    "SELECT count(*) FROM sqlite_master"
                ).scalar_one()
                user_version = connection.exec_driver_sql("PRAGMA user_version").scalar_one()
                application_id = connection.exec_driver_sql("PRAGMA application_id").scalar_one()
        except sa.exc.SQLAlchemyError as exc:
            raise self.error(exc) from None
        if not schema and not user_version and not application_id:
            # A file made by a first write that never committed: nothing is stored yet.
            return False
        if "meta" not in names:
            raise self._damaged(
                "is not a history store: it is an SQLite database without the store's tables"
            )
        return True

    def blank(self) -> str | None:
        """Why a check calls the file no store, where it is there and empty (0 bytes); else None.

        Reads take an empty file as an empty store, and the first write makes the store in it
        (a first write killed before it began leaves one); only a check calls it no store.
        """
        try:
            size = self.path.stat().st_size
        except OSError:
            return None
        if size or not self.path.is_file():
            return None
        return "is not a history store: it is an empty file"

    def purge(self) -> None:
        """Empty the write-ahead log into the file, where erased text is overwritten.

        A StoreWarning says so where a reader holds the log and this cannot finish.
        """
        if self.journal_mode != "wal":
            return
        with self.writing().connect() as connection:
            # On the sqlite3 connection itself: a checkpoint cannot run inside a transaction.
            raw = connection.connection.driver_connection
            assert isinstance(raw, sqlite3.Connection)  # noqa: S101 - made by _connect_writing
            busy, logged, moved = raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy or logged != moved:
            warnings.warn(
                f"{self.location}: a reader holds the write-ahead log, so the erased text may "
                "stay in it until the next checkpoint, when the store is next closed or written",
                StoreWarning,
                stacklevel=3,
            )

    def _connect_reading(self) -> sqlite3.Connection:
        uri = self.path.absolute().as_uri() + "?mode=ro"
        connection = sqlite3.connect(
            uri, uri=True, timeout=_BUSY_TIMEOUT, isolation_level=None, check_same_thread=False
        )
        connection.execute("PRAGMA query_only = ON")
        return connection

    def _connect_writing(self) -> sqlite3.Connection:
        if not self.path.parent.is_dir():
            raise StoreError(self.location, f"cannot be made: no folder {self.path.parent}")
        connection = sqlite3.connect(
            self.path, timeout=_BUSY_TIMEOUT, isolation_level=None, check_same_thread=False
        )
        if self.journal_mode is None:
            fstype = network_file_system(self.path, mountinfo=self._mountinfo)
            if fstype is not None:
                warnings.warn(
                    f"{self.location} is on a network file system ({fstype}), where SQLite's "
                    "write-ahead log is not safe: the store uses the rollback journal, so "
                    "readers wait while a run is written",
                    StoreWarning,
                    stacklevel=2,
                )
            self.journal_mode = "delete" if fstype is not None else "wal"
        connection.execute(f"PRAGMA journal_mode = {self.journal_mode}")
        synchronous = "NORMAL" if self.journal_mode == "wal" else "FULL"
        connection.execute(f"PRAGMA synchronous = {synchronous}")
        connection.execute("PRAGMA foreign_keys = ON")
        # An erased log entry's text is overwritten on disk, not only unlinked.
        connection.execute("PRAGMA secure_delete = ON")
        return connection

    def _engine(self, connect: Any, begin: str) -> sa.Engine:
        # Connections are kept open between calls, and let go by close(): closing the last
        # one checkpoints the write-ahead log, which is work to do once, not on every call.
        engine = sa.create_engine("sqlite://", creator=connect, poolclass=QueuePool)

        # The sqlite3 module's own transaction handling is switched off (isolation_level=None)
        # so that SQLAlchemy's transactions are SQLite's: a reader's reads see one snapshot,
        # and a writer holds the write lock from its first statement.
        @event.listens_for(engine, "begin")
        def _begin(connection: sa.Connection) -> None:
            connection.exec_driver_sql(begin)

        return engine

    def reading(self) -> sa.Engine:
        """An engine of read-only connections, each transaction one snapshot."""
        if self._reader is None:
            self._reader = self._engine(self._connect_reading, "BEGIN")
        return self._reader

    def writing(self) -> sa.Engine:
        """An engine whose transactions hold SQLite's write lock from the start."""
        if self._writer is None:
            self._writer = self._engine(self._connect_writing, "BEGIN IMMEDIATE")
        return self._writer

    def lock(self, connection: sa.Connection) -> None:
        """Nothing more to do: ``BEGIN IMMEDIATE`` already holds the write lock."""

    def integrity(self, connection: sa.Connection) -> tuple[str, ...]:
        """What SQLite's ``integrity_check`` finds, and foreign keys that point nowhere."""
        found = [
            str(row[0])
            for row in connection.exec_driver_sql("PRAGMA integrity_check")
            if row[0] != "ok"
        ]
        found += [
            f"table {row[0]} row {row[1]} refers to a missing row of {row[2]}"
            for row in connection.exec_driver_sql("PRAGMA foreign_key_check")
        ]
        return tuple(found)

    def error(self, exc: sa.exc.SQLAlchemyError) -> StoreError:
        """A NotAStoreError for a damaged file, a StoreError for anything else."""
        original = getattr(exc, "orig", None) or exc
        text = str(original)
        if isinstance(exc, sa.exc.OperationalError) and any(
            word in text for word in ("locked", "busy", "readonly", "read-only", "unable to open")
        ):
            return StoreError(self.location, f"cannot be used: {text}")
        if isinstance(exc, sa.exc.DatabaseError):
            return NotAStoreError(self.location, f"is damaged: {text}")
        return StoreError(self.location, f"cannot be used: {text}")

    def close(self) -> None:
        """Let go of both engines."""
        for engine in (self._reader, self._writer):
            if engine is not None:
                engine.dispose()
        self._reader = self._writer = None


_POSTGRESQL_DRIVER = "postgresql+psycopg"
# The key of the advisory lock writers hold: the first eight bytes of "socialcouncil store".
_LOCK_KEY = int.from_bytes(b"scstore\x01", "big") & 0x7FFFFFFFFFFFFFFF


class PostgresqlEngine:
    """A shared store in a PostgreSQL database, for several officers or a council's server.

    The URL is ``postgresql://user@host/database`` (also ``postgres://`` or
    ``postgresql+psycopg://``), read through psycopg 3. The password is never in the URL: it
    comes from libpq's own places, ``PGPASSWORD`` or ``~/.pgpass``. Writers hold a
    transaction-level advisory lock (``pg_advisory_xact_lock``), so that one at a time makes
    or migrates the store.
    """

    name: ClassVar[str] = "postgresql"
    description: ClassVar[str] = "A shared store in a PostgreSQL database."
    schemes: ClassVar[tuple[str, ...]] = ("postgresql", "postgres")

    def __init__(self, location: str) -> None:
        try:
            url = sa.make_url(location)
        except sa.exc.ArgumentError:
            raise StoreError(location, "is not a PostgreSQL URL") from None
        self.url = url.set(drivername=_POSTGRESQL_DRIVER)
        self.location = url.render_as_string(hide_password=True)
        self._engine: sa.Engine | None = None

    def _get(self) -> sa.Engine:
        if self._engine is None:
            try:
                # Connections are kept for the next call, and let go by close().
                self._engine = sa.create_engine(self.url, pool_pre_ping=True)
            except ImportError:
                raise StoreError(
                    self.location,
                    "needs psycopg: install socialcouncil with the postgresql extra, "
                    "pip install 'socialcouncil[postgresql]'",
                ) from None
        return self._engine

    def exists(self) -> bool:
        """Whether the database holds the store's tables."""
        from socialcouncil.store import _schema

        try:
            with self._get().connect() as connection:
                names = set(sa.inspect(connection).get_table_names())
        except sa.exc.SQLAlchemyError as exc:
            raise self.error(exc) from None
        if "meta" in names:
            return True
        ours = names & {table.name for table in _schema.TABLES}
        if ours:
            raise NotAStoreError(
                self.location,
                "is not a history store: it has tables named like the store's "
                f"({', '.join(sorted(ours))}) but no schema version",
            )
        return False

    def purge(self) -> None:
        """``VACUUM log_entries``, outside a transaction: no dead row keeps an erased text."""
        with self._get().connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM log_entries")

    def reading(self) -> sa.Engine:
        """The database's engine."""
        return self._get()

    def writing(self) -> sa.Engine:
        """The database's engine; :meth:`lock` keeps writers apart."""
        return self._get()

    def lock(self, connection: sa.Connection) -> None:
        """Hold the store's advisory lock until the transaction ends."""
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})

    def integrity(self, connection: sa.Connection) -> tuple[str, ...]:
        """Nothing: PostgreSQL checks its own storage, and the store's checks do the rest."""
        return ()

    def error(self, exc: sa.exc.SQLAlchemyError) -> StoreError:
        """A StoreError saying what the server said."""
        original = getattr(exc, "orig", None) or exc
        text = " ".join(str(original).split())
        return StoreError(self.location, f"cannot be used: {text}")

    def close(self) -> None:
        """Let go of the engine."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
