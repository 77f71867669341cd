"""A throwaway PostgreSQL server for the tests, and stores on both engines.

Registered for every test under tests/ by ``pytest_plugins`` in tests/conftest.py:

- ``postgresql_cluster`` (session): ONE cluster for the whole run, made with Debian's
  ``initdb`` in a temporary folder and started with ``pg_ctl`` on a Unix socket in another
  (no TCP at all), as the ``postgres`` user through ``runuser`` when the tests run as root.
  It is stopped and its folders removed at the end of the run, whether the tests passed or not.
- ``store_location``: a store's location, once for each engine: ``sqlite`` (a file in the
  test's temporary folder) and ``postgresql`` (a fresh database of that cluster, so no test
  sees another's data). The cluster is started only when a PostgreSQL location is asked for.

Where PostgreSQL is not installed, the ``postgresql`` tests fail, and say that ``make test``
installs it: a store promised to work on PostgreSQL is never silently left untested.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    import psycopg

SUPERUSER = "postgres"
# No TCP: the socket file is named after the port, so any fixed number will do.
PORT = 5432
# Where Debian installs each major version's server programs.
DEBIAN = Path("/usr/lib/postgresql")
INSTALL = "`make test` installs it (Debian's postgresql package), or: apt-get install postgresql"


class PostgreSQLUnavailableError(Exception):
    """PostgreSQL's server programs are not installed, or cannot be run here."""


@dataclass(frozen=True)
class Cluster:
    """A running throwaway PostgreSQL cluster, reached through its Unix socket.

    Attributes:
        socket: the folder holding the server's socket.
        port: the port number the socket is named after.
        user: the cluster's superuser, who connects without a password over the socket.
    """

    socket: Path
    port: int = PORT
    user: str = SUPERUSER

    def url(self, database: str) -> str:
        """The location of *database* as a store opens it: a ``postgresql://`` URL."""
        return f"postgresql://{self.user}@/{database}?host={self.socket}&port={self.port}"

    def connect(self, database: str = "postgres") -> psycopg.Connection[tuple[object, ...]]:
        """A psycopg connection to *database*, in autocommit mode."""
        import psycopg

        return psycopg.connect(
            host=str(self.socket),
            port=self.port,
            user=self.user,
            dbname=database,
            autocommit=True,
        )

    def create_database(self) -> str:
        """Create a new, empty database with a name of its own; its name."""
        name = f"store_{uuid.uuid4().hex}"
        with self.connect() as connection:
            connection.execute(f'CREATE DATABASE "{name}"')  # the name is ours: hex digits
        return name


def server_programs() -> Path:
    """The folder of PostgreSQL's server programs (``initdb``, ``pg_ctl``).

    Debian keeps them in /usr/lib/postgresql/VERSION/bin, out of PATH; the newest version
    there is used, else whatever ``pg_config --bindir`` names.
    """
    found = list(DEBIAN.glob("*/bin/initdb"))
    if found:
        return max(found, key=lambda path: int(path.parts[-3].split(".")[0])).parent
    pg_config = shutil.which("pg_config")
    if pg_config is not None:
        done = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        folder = Path(done.stdout.strip())
        if done.returncode == 0 and (folder / "initdb").exists():
            return folder
    message = (
        "PostgreSQL's server programs are not installed: no /usr/lib/postgresql/*/bin/initdb, "
        f"and no initdb in the folder pg_config --bindir names. {INSTALL}"
    )
    raise PostgreSQLUnavailableError(message)


def owner() -> str | None:
    """The user the server runs as: ``postgres`` when the tests run as root, else None (us).

    PostgreSQL refuses to run as root.
    """
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(SUPERUSER)
    except KeyError:
        message = (
            "the tests run as root, and PostgreSQL refuses to: they run it as the postgres "
            f"user, but there is no such user. {INSTALL}"
        )
        raise PostgreSQLUnavailableError(message) from None
    if shutil.which("runuser") is None:
        message = "the tests run as root and need runuser (util-linux) to run PostgreSQL"
        raise PostgreSQLUnavailableError(message)
    return SUPERUSER


def as_owner(user: str | None, command: Sequence[str | Path]) -> list[str]:
    """*command*, run as *user* through ``runuser`` where there is one."""
    words = [str(word) for word in command]
    return words if user is None else ["runuser", "-u", user, "--", *words]


def run(user: str | None, command: Sequence[str | Path], log: Path | None = None) -> None:
    """Run a server program, failing with what it said (and its log) if it fails."""
    done = subprocess.run(
        as_owner(user, command), capture_output=True, text=True, check=False, cwd="/"
    )
    if done.returncode != 0:
        said = done.stdout + done.stderr
        if log is not None and log.exists():
            said += f"\n{log}:\n{log.read_text(errors='replace')}"
        message = f"{' '.join(map(str, command))} exited {done.returncode}:\n{said}"
        raise PostgreSQLUnavailableError(message)


@contextlib.contextmanager
def throwaway_cluster() -> Iterator[Cluster]:
    """Make and start a cluster; stop it and remove its folders afterwards, whatever happened."""
    programs = server_programs()
    user = owner()
    # Not under pytest's own temporary folder: as root that is private to root, and the
    # postgres user could not reach the folders inside it. A short path also keeps the socket's
    # within the 107 characters a Unix socket's path may have.
    data = Path(tempfile.mkdtemp(prefix="socialcouncil-pg-"))
    socket = Path(tempfile.mkdtemp(prefix="socialcouncil-pgs-"))
    started = False
    try:
        if user is not None:
            for folder in (data, socket):
                shutil.chown(folder, user=user, group=pwd.getpwnam(user).pw_gid)
        cluster_folder = data / "cluster"
        initdb: list[str | Path] = [
            programs / "initdb",
            "--pgdata",
            cluster_folder,
            "--username",
            SUPERUSER,
        ]
        # Trust: only whoever can reach the private socket folder connects.
        initdb += ["--auth", "trust", "--encoding", "UTF8", "--locale", "C", "--no-sync"]
        run(user, initdb)
        options = (
            f"-c listen_addresses='' -k {socket} -p {PORT} "
            # A throwaway cluster: durability across a crash of the machine is not needed. (A
            # killed client, which the tests do kill, is a different matter: the server
            # rolls back its open transaction whatever these say.)
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        log_file = socket / "server.log"
        pg_ctl: list[str | Path] = [
            programs / "pg_ctl",
            "--pgdata",
            cluster_folder,
            "--log",
            log_file,
        ]
        run(user, [*pg_ctl, "--options", options, "--wait", "start"], log_file)
        started = True
        yield Cluster(socket)
    finally:
        try:
            if started:
                # Immediate: no shutdown checkpoint, for a cluster about to be removed.
                stop: list[str | Path] = [programs / "pg_ctl", "--pgdata", data / "cluster"]
                run(user, [*stop, "--mode", "immediate", "--wait", "stop"])
        finally:
            shutil.rmtree(data, ignore_errors=True)
            shutil.rmtree(socket, ignore_errors=True)


@pytest.fixture(scope="session")
def postgresql_cluster() -> Iterator[Cluster]:
    """One throwaway PostgreSQL cluster for the whole test run (see the module's docstring)."""
    with contextlib.ExitStack() as stack:
        try:
            cluster = stack.enter_context(throwaway_cluster())
        except PostgreSQLUnavailableError as exc:
            pytest.fail(f"this test needs PostgreSQL, which could not be started: {exc}")
        yield cluster


@pytest.fixture
def postgresql_database(postgresql_cluster: Cluster) -> str:
    """The URL of a fresh, empty database of the throwaway cluster, for one test."""
    return postgresql_cluster.url(postgresql_cluster.create_database())


@pytest.fixture(params=["sqlite", "postgresql"])
def store_location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a new, empty store is: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "history.sqlite")
    location: str = request.getfixturevalue("postgresql_database")
    return location
