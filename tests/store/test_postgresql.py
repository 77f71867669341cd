"""The history store on a real PostgreSQL server: the throwaway cluster the tests start."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import psycopg
import pytest

from tests import _postgresql
from tests._postgresql import throwaway_cluster

if TYPE_CHECKING:
    from tests._postgresql import Cluster


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
