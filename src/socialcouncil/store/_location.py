"""Where a council's history store is, when a command is not told."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import os

    from socialcouncil.model import Council

__all__ = ["STORE_SUFFIX", "default_location"]

STORE_SUFFIX = ".history.sqlite"
"""What the model file's stem is followed by in the name of the store beside it."""

_SQLITE_URL = "sqlite:///"


def _is_url(text: str) -> bool:
    return "://" in text


def default_location(
    model_file: str | os.PathLike[str], council: Council, store: str | None = None
) -> str:
    """Where the history store of *council*, read from *model_file*, is: a path or a URL.

    *store* (a command's ``--store``) wins, as it is given; then the model file's ``[store]
    url``, a path in it (or in a ``sqlite:///`` URL) being relative to the model file's folder;
    otherwise the SQLite file beside the model file, named after it.

    >>> from socialcouncil import Council, StoreSettings
    >>> default_location("councils/solihull.toml", Council(name="Solihull"))
    'councils/solihull.history.sqlite'
    >>> shared = StoreSettings(url="postgresql://officer@db.solihull.gov.uk/history")
    >>> default_location("councils/solihull.toml", Council(name="Solihull", store=shared))
    'postgresql://officer@db.solihull.gov.uk/history'
    >>> default_location("solihull.toml", Council(name="Solihull"), store="/srv/history.sqlite")
    '/srv/history.sqlite'
    """
    if store is not None:
        return store
    folder = Path(model_file).parent
    url = council.store.url
    if url is None:
        return str(folder / (Path(model_file).stem + STORE_SUFFIX))
    if url.startswith(_SQLITE_URL):
        path = url[len(_SQLITE_URL) :]
        if path and not Path(path).expanduser().is_absolute():
            return _SQLITE_URL + str(folder / path)
        return url
    if _is_url(url):
        return url
    return str(folder / Path(url).expanduser())
