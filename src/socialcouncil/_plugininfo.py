"""What is known of a plugin, in a module that imports no plugin machinery.

Checks and their findings name the plugin they came from, so these classes sit below both
:mod:`socialcouncil.checks` and :mod:`socialcouncil.plugins`. Their public home is
:mod:`socialcouncil.plugins`: :class:`~socialcouncil.plugins.PluginInfo` and
:class:`~socialcouncil.plugins.PluginProblem`.
"""

from __future__ import annotations

import attrs

__all__ = ["PluginInfo", "PluginProblem"]


@attrs.frozen
class PluginInfo:
    """A plugin the manager holds.

    Attributes:
        name: its name: the entry-point name of an installed plugin, or a built-in's name.
        module: the module (or object) name it was loaded from.
        distribution: the installed distribution that provides it; None for built-ins and
            for plugins registered by hand.
        version: that distribution's version.
        builtin: whether it is one of socialcouncil's own.
        hooks: the hooks it implements.
    """

    name: str
    module: str
    distribution: str | None = None
    version: str | None = None
    builtin: bool = False
    hooks: tuple[str, ...] = ()

    def describe(self) -> str:
        """``plugin 'name'``, with its distribution and version where it has one."""
        if self.distribution is None:
            return f"plugin {self.name!r}"
        return f"plugin {self.name!r} (from {self.distribution} {self.version})"


@attrs.frozen
class PluginProblem:
    """Something wrong with a plugin.

    Attributes:
        plugin: the plugin, as far as it is known.
        message: what is wrong.
    """

    plugin: PluginInfo
    message: str

    def __str__(self) -> str:
        return f"{self.plugin.describe()}: {self.message}"


# Documented, and referred to, as members of socialcouncil.plugins.
PluginInfo.__module__ = PluginProblem.__module__ = "socialcouncil.plugins"
