"""Write the small intersphinx inventories the docs link through, so the build needs no network.

The docs build offline, so ``conf.py`` points intersphinx at the ``.inv`` files beside this
script instead of downloading ``objects.inv`` from each project. Each file lists only the outside
names that the pages and the API signatures refer to. When a build warns about a missing
reference to an outside name, add it to the table below and run::

    python docs/_inventories/make_inventories.py
"""

from __future__ import annotations

import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent

# name -> (domain:role, page and anchor); "$" in the anchor stands for the name itself.
PYTHON = {
    "datetime.date": ("py:class", "library/datetime.html#$"),
    "datetime.datetime": ("py:class", "library/datetime.html#$"),
    "datetime.date.fromisoformat": ("py:method", "library/datetime.html#$"),
    "pathlib.Path": ("py:class", "library/pathlib.html#$"),
    "os.PathLike": ("py:class", "library/os.html#$"),
    "collections.abc.Callable": ("py:class", "library/collections.abc.html#$"),
    "collections.abc.Collection": ("py:class", "library/collections.abc.html#$"),
    "collections.abc.Iterable": ("py:class", "library/collections.abc.html#$"),
    "collections.abc.Iterator": ("py:class", "library/collections.abc.html#$"),
    "collections.abc.Mapping": ("py:class", "library/collections.abc.html#$"),
    "collections.abc.Sequence": ("py:class", "library/collections.abc.html#$"),
    "typing.Any": ("py:data", "library/typing.html#$"),
    "typing.Literal": ("py:data", "library/typing.html#$"),
    "typing.TypeAlias": ("py:data", "library/typing.html#$"),
    "Exception": ("py:exception", "library/exceptions.html#$"),
    "ValueError": ("py:exception", "library/exceptions.html#$"),
    "LookupError": ("py:exception", "library/exceptions.html#$"),
    "KeyError": ("py:exception", "library/exceptions.html#$"),
    "TypeError": ("py:exception", "library/exceptions.html#$"),
    "OSError": ("py:exception", "library/exceptions.html#$"),
    "None": ("py:data", "library/constants.html#$"),
    "str": ("py:class", "library/stdtypes.html#$"),
    "bytes": ("py:class", "library/stdtypes.html#$"),
    "int": ("py:class", "library/functions.html#$"),
    "float": ("py:class", "library/functions.html#$"),
    "bool": ("py:class", "library/functions.html#$"),
    "object": ("py:class", "library/functions.html#$"),
    "tuple": ("py:class", "library/stdtypes.html#$"),
    "list": ("py:class", "library/stdtypes.html#$"),
    "dict": ("py:class", "library/stdtypes.html#$"),
    "set": ("py:class", "library/stdtypes.html#$"),
    "tomllib": ("py:module", "library/tomllib.html#module-$"),
    "json": ("py:module", "library/json.html#module-$"),
    "importlib.metadata": ("py:module", "library/importlib.metadata.html#module-$"),
}

PLUGGY = {
    "pluggy.PluginManager": ("py:class", "api_reference.html#$"),
    "pluggy.PluginManager.register": ("py:method", "api_reference.html#$"),
    "pluggy.PluginManager.load_setuptools_entrypoints": ("py:method", "api_reference.html#$"),
    "pluggy.HookimplMarker": ("py:class", "api_reference.html#$"),
    "pluggy.HookspecMarker": ("py:class", "api_reference.html#$"),
    "pluggy.PluginValidationError": ("py:exception", "api_reference.html#$"),
}

CLICK = {
    "click.Group": ("py:class", "api/#$"),
    "click.Group.add_command": ("py:method", "api/#$"),
    "click.Group.command": ("py:method", "api/#$"),
}

HYPOTHESIS = {
    "hypothesis.strategies.SearchStrategy": ("py:class", "reference/strategies.html#$"),
    "hypothesis.strategies.composite": ("py:function", "reference/strategies.html#$"),
}

# Annotations name SQLAlchemy's classes by the modules that define them.
SQLALCHEMY = {
    "sqlalchemy.engine.base.Engine": (
        "py:class",
        "core/connections.html#sqlalchemy.engine.Engine",
    ),
    "sqlalchemy.engine.base.Connection": (
        "py:class",
        "core/connections.html#sqlalchemy.engine.Connection",
    ),
    "sqlalchemy.exc.SQLAlchemyError": ("py:exception", "core/exceptions.html#$"),
}

INVENTORIES = {
    "python.inv": ("Python", "3", PYTHON),
    "pluggy.inv": ("pluggy", "stable", PLUGGY),
    "click.inv": ("Click", "stable", CLICK),
    "hypothesis.inv": ("Hypothesis", "latest", HYPOTHESIS),
    "sqlalchemy.inv": ("SQLAlchemy", "20", SQLALCHEMY),
}


def inventory(project: str, version: str, names: dict[str, tuple[str, str]]) -> bytes:
    """The bytes of a Sphinx inventory (version 2) listing *names*."""
    header = (
        "# Sphinx inventory version 2\n"
        f"# Project: {project}\n"
        f"# Version: {version}\n"
        "# The remainder of this file is compressed using zlib.\n"
    )
    lines = "".join(f"{name} {role} 1 {uri} -\n" for name, (role, uri) in sorted(names.items()))
    return header.encode() + zlib.compress(lines.encode())


def main() -> None:
    """Write every inventory beside this script."""
    for filename, (project, version, names) in INVENTORIES.items():
        (HERE / filename).write_bytes(inventory(project, version, names))


if __name__ == "__main__":
    main()
