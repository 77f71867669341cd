"""``socialcouncil new-plugin``: a ready-to-publish plugin package, from the files beside this.

The files under ``files/`` are templates: ``$name``, ``$title``, ``$package``, ``$module``,
``$requires``, ``$test_requires`` and ``$pip_test_requires`` are filled in, and a folder
called ``MODULE`` takes the module's name.

The package is built in a temporary folder beside its place and moved into place whole, so a
failure part way (a full disk) leaves nothing half-made.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
import string
import sys
import tempfile
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from socialcouncil.model import InvalidValueError, is_valid_id

if TYPE_CHECKING:
    from importlib.abc import Traversable

__all__ = ["TEST_REQUIREMENTS", "check_name", "create", "next_steps", "suggest_name", "title_for"]

# What a distribution name may be (PEP 508): letters and digits at both ends.
_DISTRIBUTION = re.compile(r"[a-z0-9]([a-z0-9._-]*[a-z0-9])?")
TEST_REQUIREMENTS = ("pytest>=8", "hypothesis>=6")
"""What a new plugin's tests need: its ``test`` dependency group."""
# pip learned --group (PEP 735 dependency groups) in 25.1.
_PIP_WITH_GROUPS = (25, 1)


def _walk(folder: Traversable, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], str]]:
    found = []
    for item in folder.iterdir():
        if item.is_dir():
            found += _walk(item, (*prefix, item.name))
        elif item.name.endswith(".tmpl"):
            found.append(((*prefix, item.name.removesuffix(".tmpl")), item.read_text("utf-8")))
    return found


def suggest_name(text: str) -> str | None:
    """The plugin name *text* most likely means, or None when it has no letters or digits.

    >>> suggest_name("Kirklees"), suggest_name("Any Town!"), suggest_name("--")
    ('kirklees', 'any-town', None)
    """
    name = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return name or None


def title_for(name: str) -> str:
    """The place a plugin called *name* is for, as its title: without a trailing "council".

    The templates say "... Council" themselves, so ``kirklees-council`` is titled
    ``Kirklees``, never "Kirklees Council council".

    >>> title_for("kirklees-council"), title_for("any-town"), title_for("council")
    ('Kirklees', 'Any Town', 'Council')
    """
    words = name.split("-")
    if len(words) > 1 and words[-1] == "council":
        words = words[:-1]
    return " ".join(word[:1].upper() + word[1:] for word in words if word)


def _taken_names() -> dict[str, str]:
    """Names a new plugin may not have, each with what already has it."""
    from importlib.metadata import entry_points

    from socialcouncil.plugins import BUILTIN_PLUGINS, ENTRY_POINT_GROUP, isolated_registry

    taken = dict.fromkeys(BUILTIN_PLUGINS, "the name of a built-in plugin")
    for template in isolated_registry(builtins=True).templates:
        taken[template] = "the id of a built-in template"
    for entry_point in entry_points(group=ENTRY_POINT_GROUP):
        dist = entry_point.dist
        origin = f" from {dist.metadata['Name']}" if dist is not None else ""
        taken.setdefault(entry_point.name, f"the name of an installed plugin{origin}")
    return taken


def check_name(name: str) -> None:
    """Refuse a *name* that cannot make a plugin package, or that another plugin has.

    Raises:
        InvalidValueError: saying what is wrong with the name, and what would do.
    """
    if not is_valid_id(name):
        expected = "an id of lowercase letters, digits and hyphens"
        suggestion = suggest_name(name)
        if suggestion is not None and is_valid_id(suggestion):
            expected += f", such as {suggestion!r}"
        raise InvalidValueError("name", name, expected)
    if _DISTRIBUTION.fullmatch(f"socialcouncil-{name}") is None:
        expected = "a name that ends with a letter or a digit, to make a valid distribution name"
        suggestion = name.strip("-")
        if is_valid_id(suggestion):
            expected += f", such as {suggestion!r}"
        raise InvalidValueError("name", name, expected)
    holder = _taken_names().get(name)
    if holder is not None:
        raise InvalidValueError("name", name, f"a name of its own; {name!r} is {holder}")


def create(name: str, directory: str | Path = ".") -> Path:
    """Create the plugin package ``socialcouncil-NAME`` in *directory*; return its folder.

    Raises:
        InvalidValueError: when *name* is not an id (lowercase letters, digits, hyphens),
            does not make a valid distribution name, or is a built-in plugin's or template's.
        FileExistsError: when the folder is already there.
        OSError: when the package cannot be written; nothing of it is left behind.
    """
    check_name(name)
    from socialcouncil import __version__

    values = {
        "name": name,
        "title": title_for(name),
        "package": f"socialcouncil-{name}",
        "module": f"socialcouncil_{name.replace('-', '_')}",
        "requires": __version__,
        "test_requires": ", ".join(f'"{r}"' for r in TEST_REQUIREMENTS),
        "pip_test_requires": " ".join(f"'{r}'" for r in TEST_REQUIREMENTS),
    }
    parent = Path(directory)
    parent.mkdir(parents=True, exist_ok=True)
    root = parent / values["package"]
    try:
        root.mkdir()  # claims the name: of two runs at once, one gets it
    except FileExistsError:
        raise FileExistsError(f"{root} is already there") from None
    try:
        building = Path(tempfile.mkdtemp(dir=parent, prefix=f".{values['package']}."))
    except BaseException:
        root.rmdir()
        raise
    try:
        # mkdtemp makes a private folder; the package gets the mode the umask gives.
        building.chmod(stat.S_IMODE(root.stat().st_mode))
        for parts, text in _walk(resources.files(__name__).joinpath("files")):
            path = building.joinpath(*(values["module"] if p == "MODULE" else p for p in parts))
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(string.Template(text).substitute(values), encoding="utf-8")
        _move_into_place(building, root)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        with contextlib.suppress(OSError):
            root.rmdir()
        raise
    return root


def _move_into_place(building: Path, root: Path) -> None:
    """Put the finished package at *root*, where an empty folder holds its place."""
    try:
        building.replace(root)  # POSIX replaces an empty folder in one step
    except OSError:
        if os.name != "nt":
            raise
        root.rmdir()  # Windows renames only onto nothing
        building.rename(root)


def _python() -> str:
    """How to start this Python from a shell: ``python`` when that is this one."""
    found = shutil.which("python")
    if found is not None and Path(found).parent == Path(sys.executable).parent:
        return "python"
    return sys.executable


def _pip_has_groups() -> bool:
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("pip")
    except PackageNotFoundError:
        return False
    numbers = tuple(int(n) for n in re.findall(r"\d+", found)[:2])
    return numbers >= _PIP_WITH_GROUPS


def next_steps(root: Path, cwd: Path | None = None) -> list[list[str]]:
    """The commands that install the new package at *root*, test it and list it, from *cwd*.

    They use this Python, so that pip installs into the environment socialcouncil runs in and
    pytest is the one installed there, and they work with any pip: the test requirements are
    listed where pip is older than 25.1, which cannot install a dependency group.
    """
    cwd = Path.cwd() if cwd is None else cwd
    try:
        where = str(root.resolve().relative_to(cwd.resolve()))
    except ValueError:
        where = str(root.resolve())
    python = _python()
    install = [python, "-m", "pip", "install", "--editable", "."]
    if _pip_has_groups():
        install += ["--group", "test"]
    else:
        install += list(TEST_REQUIREMENTS)
    return [
        ["cd", where],
        install,
        [python, "-m", "pytest"],
        [python, "-m", "socialcouncil", "plugins"],
    ]
