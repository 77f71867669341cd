"""socialcouncil's warnings, in a module that imports nothing, so the command can catch them."""

__all__ = ["PluginDeprecationWarning", "PluginWarning"]


class PluginWarning(UserWarning):
    """A plugin is broken and was left out, in whole or in part; the others keep working."""


class PluginDeprecationWarning(PluginWarning, DeprecationWarning):
    """A plugin uses a part of the plugin API that is going away; for now it still works.

    Unlike the other plugin warnings it is no plugin problem: strict mode does not make it an
    error. The command prints it as a ``warning:`` line like the others.
    """
