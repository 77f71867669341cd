"""The built-in plugin that registers the SQLite store engine, the embedded default."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socialcouncil.hookspecs import hookimpl

if TYPE_CHECKING:
    from collections.abc import Iterable

    from socialcouncil.store._engines import StoreEngine


@hookimpl
def register_store_engines() -> Iterable[type[StoreEngine]]:
    """The SQLite engine; SQLAlchemy loads only when the registry asks for engines."""
    from socialcouncil.store._engines import SqliteEngine

    return [SqliteEngine]
