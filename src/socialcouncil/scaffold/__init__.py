"""``socialcouncil new-plugin``: a ready-to-publish plugin package, from the files beside this.

The files under ``files/`` are templates: ``$name``, ``$title``, ``$package``, ``$module`` and
``$requires`` are filled in, and a folder called ``MODULE`` takes the module's name.
"""

from __future__ import annotations

import string
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from socialcouncil.model import InvalidValueError, is_valid_id

if TYPE_CHECKING:
    from importlib.abc import Traversable

__all__ = ["create"]


def _walk(folder: Traversable, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], str]]:
    found = []
    for item in folder.iterdir():
        if item.is_dir():
            found += _walk(item, (*prefix, item.name))
        elif item.name.endswith(".tmpl"):
            found.append(((*prefix, item.name.removesuffix(".tmpl")), item.read_text("utf-8")))
    return found


def create(name: str, directory: str | Path = ".") -> Path:
    """Create the plugin package ``socialcouncil-NAME`` in *directory*; return its folder.

    Raises:
        InvalidValueError: when *name* is not an id (lowercase letters, digits, hyphens).
        FileExistsError: when the folder is already there.
    """
    if not is_valid_id(name):
        raise InvalidValueError("name", name, "an id of lowercase letters, digits and hyphens")
    from socialcouncil import __version__

    values = {
        "name": name,
        "title": name.replace("-", " ").title(),
        "package": f"socialcouncil-{name}",
        "module": f"socialcouncil_{name.replace('-', '_')}",
        "requires": __version__,
    }
    root = Path(directory) / values["package"]
    if root.exists():
        raise FileExistsError(f"{root} is already there")
    for parts, text in _walk(resources.files(__name__).joinpath("files")):
        path = root.joinpath(*(values["module"] if p == "MODULE" else p for p in parts))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(string.Template(text).substitute(values), encoding="utf-8")
    return root
