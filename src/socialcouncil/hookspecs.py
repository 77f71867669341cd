"""Every hook a socialcouncil plugin can implement, with its contract.

A plugin is a module (or any object) with functions marked :data:`hookimpl` and named after the
hooks below. socialcouncil's own built-ins are plugins too, registered through exactly these
hooks. A plugin is found through the ``socialcouncil`` entry-point group::

    [project.entry-points.socialcouncil]
    my-council = "my_council_plugin"
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from collections.abc import Iterable

    from socialcouncil.model import Continuum

__all__ = ["PROJECT_NAME", "hookimpl", "hookspec", "register_continua"]

PROJECT_NAME = "socialcouncil"
"""The pluggy project name, shared by the markers and the entry-point group."""

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
"""Marks a function in this module as a hook specification."""

hookimpl = pluggy.HookimplMarker(PROJECT_NAME)
"""Marks a plugin's function as an implementation of the hook of the same name.

>>> from socialcouncil import Continuum, Level, hookimpl
>>> @hookimpl
... def register_continua():
...     return [Continuum(id="our-scale", name="Our scale", levels=[
...         Level(id="told", label="Told"), Level(id="shaping", label="Shaping")])]
"""


@hookspec
def register_continua() -> Iterable[Continuum]:  # type: ignore[empty-body]
    """Offer continua that councils can place their projects on.

    Called each time the registered continua are looked up, so it should return the same
    continua every time. Every plugin's answer is collected.

    Returns:
        :class:`~socialcouncil.Continuum` objects. Each id must be unique across all plugins;
        two plugins offering the same id is a :class:`~socialcouncil.PluginError` naming both.
        A council file's own continuum of the same id takes precedence over a registered one
        for that council, and the integrity checks warn about it (rule ``shadowed-continuum``).
    """
