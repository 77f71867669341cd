"""Whose bug an unexpected exception is: socialcouncil's, or a named plugin's.

The plugin at fault is the one whose code is the innermost on the exception's traceback (or on
the tracebacks of the exceptions it was raised from): a plugin that passes socialcouncil
something wrong is at fault even when socialcouncil's code is what raises. A plugin's modules
are known from the process's registry, when it has been built, and from the metadata of the
``socialcouncil`` and ``socialcouncil.commands`` entry-point groups, which imports nothing.
"""

from __future__ import annotations

import contextlib
import sys
import traceback
from typing import TYPE_CHECKING

import socialcouncil
from socialcouncil._output import one_line
from socialcouncil._plugininfo import PluginInfo

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

__all__ = ["COMMANDS_GROUP", "culprit", "describe_failure", "plugin_json"]

COMMANDS_GROUP = "socialcouncil.commands"
"""The entry-point group in which plugins declare their commands (``name = "module:command"``)."""


def _module_of(value: str) -> str:
    """The module of an entry point's value: ``pkg.mod:attr [extra]`` -> ``pkg.mod``."""
    return value.split(":", 1)[0].split("[", 1)[0].strip()


def _known_plugins() -> Iterator[PluginInfo]:
    """Every plugin this process may have run code of, registered ones first."""
    plugins_module = sys.modules.get("socialcouncil.plugins")
    if plugins_module is not None:
        # The registry itself may be what is broken; then the metadata has to do.
        with contextlib.suppress(Exception):
            yield from plugins_module.registry().plugins
    from importlib.metadata import entry_points

    from socialcouncil.hookspecs import PROJECT_NAME

    for group in (PROJECT_NAME, COMMANDS_GROUP):
        found = []
        # Broken metadata must not hide the failure being reported.
        with contextlib.suppress(Exception):
            found = list(entry_points(group=group))
        for entry_point in found:
            dist = entry_point.dist
            yield PluginInfo(
                name=entry_point.name,
                module=_module_of(entry_point.value),
                distribution=dist.metadata["Name"] if dist is not None else None,
                version=dist.version if dist is not None else None,
            )


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """*exc*, then the exceptions it was raised from or while handling, without cycles."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def culprit(exc: BaseException, plugins: Iterable[PluginInfo] | None = None) -> PluginInfo | None:
    """The plugin whose code raised *exc*, or None when no plugin's code is on its traceback.

    Args:
        exc: the exception.
        plugins: the plugins to look for; by default every plugin the process knows of.
    """
    candidates = [p for p in (_known_plugins() if plugins is None else plugins) if not p.builtin]
    by_module: dict[str, PluginInfo] = {}
    for info in candidates:
        # Registered plugins come first and know their distribution best: keep the first.
        by_module.setdefault(_module_of(info.module), info)
    if not by_module:
        return None
    for failure in _chain(exc):
        for frame, _ in reversed(list(traceback.walk_tb(failure.__traceback__))):
            module = str(frame.f_globals.get("__name__", ""))
            while module:
                if module in by_module:
                    return by_module[module]
                module = module.rpartition(".")[0]
    return None


def plugin_json(info: PluginInfo) -> dict[str, str | None]:
    """What a JSON report says of a plugin: its name, distribution and version."""
    return {"name": info.name, "distribution": info.distribution, "version": info.version}


def describe_failure(exc: BaseException, plugin: PluginInfo | None) -> str:
    """One line saying whose bug *exc* is, what it was, and how to learn more."""
    what = one_line(f"{type(exc).__name__}: {exc}") if str(exc) else type(exc).__name__
    if plugin is None:
        whose = f"a bug in socialcouncil {socialcouncil.__version__}"
        report = "please report it"
    else:
        whose = f"a bug in the {plugin.describe()}"
        report = "please report it to the plugin's maintainers"
    return f"{whose}: {what}; {report}, with the traceback that --debug prints"
