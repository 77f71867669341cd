"""A store's location on each engine, for the store's tests that run on both."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new store's location: an SQLite file, or a fresh database of the test cluster.

    The cluster comes from the ``postgresql_database`` fixture (tests/_postgresql.py); in a
    suite without it the PostgreSQL case is skipped, and says so.
    """
    if request.param == "sqlite":
        return str(tmp_path / "anytown.history.sqlite")
    try:
        url: str = request.getfixturevalue("postgresql_database")
    except pytest.FixtureLookupError:
        pytest.skip("no PostgreSQL cluster fixture (postgresql_database) in this suite")
    return url
