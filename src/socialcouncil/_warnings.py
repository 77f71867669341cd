"""socialcouncil's warnings, in a module that imports nothing, so the command can catch them."""

__all__ = ["PluginWarning"]


class PluginWarning(UserWarning):
    """A plugin is broken and was left out, in whole or in part; the others keep working."""
