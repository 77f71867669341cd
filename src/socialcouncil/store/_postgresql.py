"""The built-in plugin that registers the PostgreSQL store engine, for a shared store."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socialcouncil.hookspecs import hookimpl

if TYPE_CHECKING:
    from collections.abc import Iterable

    from socialcouncil.store._engines import StoreEngine


@hookimpl
def register_store_engines() -> Iterable[type[StoreEngine]]:
    """The PostgreSQL engine; psycopg loads only when a store of this engine is used."""
    from socialcouncil.store._engines import PostgresqlEngine

    return [PostgresqlEngine]
