"""The ``socialcouncil`` command group: built-in commands, and plugins' commands loaded lazily.

A plugin declares its commands in its package's metadata, in the entry-point group
``socialcouncil.commands`` (``name = "module:command"``). Listing the commands
(``socialcouncil --help``) reads only that metadata, so it imports no plugin; a command's module
is imported only when the command runs. A declared command that cannot be imported, or is not a
click command, is a :class:`~socialcouncil.PluginError` naming its plugin; one that raises as it
runs is a bug in its plugin, which the ``socialcouncil`` command names (exit status 3).

Commands added through the deprecated ``register_commands`` hook are still found, but only when
a command that is neither built in nor declared is asked for, since finding them means importing
every plugin.
"""

from __future__ import annotations

import os
import re
import sys
import warnings
from typing import TYPE_CHECKING, NamedTuple

import click

from socialcouncil._warnings import PluginWarning

if TYPE_CHECKING:
    from collections.abc import Iterator

    from socialcouncil._plugininfo import PluginInfo
    from socialcouncil.plugins import Registry

__all__ = ["COMMANDS_GROUP", "CommandGroup", "DeclaredCommand", "declared_commands"]

COMMANDS_GROUP = "socialcouncil.commands"
"""The entry-point group in which a plugin package declares its commands."""


class DeclaredCommand(NamedTuple):
    """A command a plugin package declares in its metadata, not yet imported.

    Attributes:
        name: the command's name, the entry point's name.
        value: where the command is, ``"module:attribute"``.
        plugin: the plugin it belongs to: the distribution's plugin entry-point name, or the
            distribution's name where it has none.
        distribution: the distribution that declares it.
        version: that distribution's version.
    """

    name: str
    value: str
    plugin: str
    distribution: str
    version: str

    def info(self) -> PluginInfo:
        """The plugin the command belongs to, as the messages about plugins name it."""
        from socialcouncil._plugininfo import PluginInfo

        return PluginInfo(self.plugin, self.value, self.distribution, self.version)


def _names(variable: str) -> set[str] | None:
    value = os.environ.get(variable)
    if value is None:
        return None
    return {name.strip() for name in value.split(",") if name.strip()}


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _entry_points(text: str) -> dict[str, list[tuple[str, str]]]:
    """The groups of an ``entry_points.txt``, each with its ``(name, value)`` pairs."""
    groups: dict[str, list[tuple[str, str]]] = {}
    group = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            group = groups.setdefault(line[1:-1].strip(), [])
        elif group is not None and "=" in line:
            name, _, value = line.partition("=")
            group.append((name.strip(), value.strip()))
    return groups


def _distribution_name(info: str, fallback: str) -> str:
    """The project's name as its metadata spells it, read from the header alone."""
    for metadata in ("METADATA", "PKG-INFO"):
        try:
            with open(os.path.join(info, metadata), encoding="utf-8") as file:  # noqa: PTH118, PTH123
                for line in file:
                    if line.startswith("Name:"):
                        return line[5:].strip()
                    if not line.strip():
                        break
        except OSError:
            continue
    return fallback


def _installed() -> Iterator[tuple[str, str, dict[str, list[tuple[str, str]]], str]]:
    """Each installed distribution with entry points: name, version, groups, metadata folder.

    Read straight from the ``.dist-info`` folders on ``sys.path``, the first of a name winning
    as it does for imports: importing :mod:`importlib.metadata` alone would take longer than
    listing the commands should. Plain strings, not :class:`~pathlib.Path`, for the same reason.
    """
    seen: set[str] = set()
    for entry in sys.path:
        folder = entry or "."
        try:
            names = sorted(os.listdir(folder))  # noqa: PTH208 - names are all that is needed
        except OSError:
            continue
        for name in names:
            if not name.endswith((".dist-info", ".egg-info")):
                continue
            project, _, version = name.rsplit(".", 1)[0].partition("-")
            key = _normalized(project)
            if key in seen:
                continue
            seen.add(key)
            info = os.path.join(folder, name)  # noqa: PTH118
            try:
                with open(os.path.join(info, "entry_points.txt"), encoding="utf-8") as file:  # noqa: PTH118, PTH123
                    text = file.read()
            except OSError:
                continue
            yield project, version, _entry_points(text), info


def _declared(builtin: set[str]) -> tuple[dict[str, DeclaredCommand], list[str]]:
    """Every declared command the environment allows, and the clashes left out, in words."""
    disabled = _names("SOCIALCOUNCIL_DISABLE_PLUGINS") or set()
    allowed = _names("SOCIALCOUNCIL_LOAD_PLUGINS")
    found: dict[str, DeclaredCommand] = {}
    clashes = []
    for project, version, groups, info in _installed():
        commands = groups.get(COMMANDS_GROUP)
        if not commands:
            continue
        distribution = _distribution_name(info, project)
        owners = [name for name, _ in groups.get("socialcouncil", [])] or [distribution]
        if not any(n not in disabled and (allowed is None or n in allowed) for n in owners):
            continue
        for name, value in commands:
            declared = DeclaredCommand(name, value, owners[0], distribution, version)
            if name in builtin or name in found:
                other = "a built-in command" if name in builtin else found[name].distribution
                clashes.append(
                    f"{declared.info().describe()}: declares the command {name!r}, which "
                    f"{other} has already; it is left out"
                )
                continue
            found[name] = declared
    return found, clashes


def declared_commands(builtin: frozenset[str] = frozenset()) -> dict[str, DeclaredCommand]:
    """Every command the allowed installed plugins declare, by name, less those that clash."""
    return _declared(set(builtin))[0]


class _Declared(click.Command):
    """A declared command as ``--help`` lists it: its name and its distribution, nothing more."""

    def __init__(self, declared: DeclaredCommand) -> None:
        super().__init__(declared.name, short_help=f"(from {declared.distribution})")
        self.declared = declared


def _columns() -> int:
    """The terminal's width, found as :func:`shutil.get_terminal_size` finds it.

    Importing :mod:`shutil` (and the compression modules it brings) would cost ``--help`` more
    than the rest of listing the commands.
    """
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


class _Context(click.Context):
    def make_formatter(self) -> click.HelpFormatter:
        width = self.terminal_width or click.formatting.FORCED_WIDTH
        if width is None:
            width = max(min(_columns(), self.max_content_width or 80) - 2, 50)
        return self.formatter_class(width=width, max_width=self.max_content_width)


class CommandGroup(click.Group):
    """The socialcouncil group: built-in commands, then plugins' commands found when needed.

    ``socialcouncil --version`` and ``socialcouncil --help`` import no plugin: declared
    commands are listed from the installed packages' metadata and imported only to run.
    """

    context_class = _Context
    _hook_from: tuple[Registry, int] | None = None  # which registry, and which generation
    _hook_added: tuple[str, ...] = ()
    _declared_for: tuple[object, ...] | None = None
    _declared_found: dict[str, DeclaredCommand] | None = None

    def _builtin(self) -> set[str]:
        return set(self.commands) - set(self._hook_added)

    def _declared(self) -> dict[str, DeclaredCommand]:
        # The metadata is read again only when what decides it changes (tests change both).
        key = (
            tuple(sys.path),
            os.environ.get("SOCIALCOUNCIL_LOAD_PLUGINS"),
            os.environ.get("SOCIALCOUNCIL_DISABLE_PLUGINS"),
        )
        if self._declared_for != key or self._declared_found is None:
            found, clashes = _declared(self._builtin())
            for clash in clashes:
                warnings.warn(clash, PluginWarning, stacklevel=2)
            self._declared_for, self._declared_found = key, found
        return self._declared_found

    def _add_hook_commands(self) -> None:
        from socialcouncil.plugins import registry

        found = registry()
        if self._hook_from == (found, found.generation):  # a registry equals only itself
            return
        for name in self._hook_added:
            self.commands.pop(name, None)
        before = set(self.commands)
        found.add_commands(self)
        self._hook_added = tuple(set(self.commands) - before)
        self._hook_from = (found, found.generation)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self._builtin():
            return super().get_command(ctx, cmd_name)
        declared = self._declared().get(cmd_name)
        if declared is not None:
            return _Declared(declared)
        self._add_hook_commands()
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(self._builtin() | set(self._declared()))

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        if isinstance(command, _Declared):
            command = _load(command.declared)
        return name, command, rest


def _load(declared: DeclaredCommand) -> click.Command:
    """Import a declared command, to run it."""
    import importlib

    from socialcouncil._isolation import describe, plugin_code
    from socialcouncil.errors import PluginError

    info = declared.info()
    module, _, attribute = declared.value.partition(":")
    try:
        with plugin_code():
            command: object = importlib.import_module(module.strip())
            for part in attribute.split("[")[0].strip().split("."):
                if part:
                    command = getattr(command, part)
    except Exception as exc:
        message = f"{info.describe()}: the command {declared.name!r} cannot be imported: "
        raise PluginError(message + describe(exc)) from exc
    if not isinstance(command, click.Command):
        message = (
            f"{info.describe()}: the command {declared.name!r} is {declared.value}, which is "
            f"{type(command).__name__} {command!r}, not a click command"
        )
        raise PluginError(message)
    return command
