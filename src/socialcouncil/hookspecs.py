"""Every hook a socialcouncil plugin can implement, with its contract.

A plugin is a module (or any object) with functions marked :data:`hookimpl` and named after the
hooks below. socialcouncil's own built-ins are plugins too, registered through exactly these
hooks. An installed plugin is found through the ``socialcouncil`` entry-point group::

    [project.entry-points.socialcouncil]
    anytown = "anytown_socialcouncil"

Every hook is called once per process, the first time what it registers is needed, and every
plugin's answer is collected: no answer stops the others. What a hook returns is checked; a
plugin that raises or returns the wrong thing is named in a warning and left out (in strict
mode, an error). Each id a hook registers must be unique across all plugins.

A plugin may say which versions of this plugin API it supports with a module attribute
``SOCIALCOUNCIL_PLUGIN_API``, a whole number or a tuple of them; a plugin that does not support
:data:`PLUGIN_API_VERSION` is skipped with a message that says which version it needs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from collections.abc import Iterable

    import click

    from socialcouncil.checks import Check
    from socialcouncil.exporters import Exporter
    from socialcouncil.measurement import MeasurementModel
    from socialcouncil.model import Continuum
    from socialcouncil.sources import DataSource
    from socialcouncil.templates import Template

__all__ = [
    "PLUGIN_API_VERSION",
    "PROJECT_NAME",
    "hookimpl",
    "hookspec",
    "register_checks",
    "register_commands",
    "register_continua",
    "register_data_sources",
    "register_exporters",
    "register_measurement_models",
    "register_templates",
]

PROJECT_NAME = "socialcouncil"
"""The pluggy project name, shared by the markers and the entry-point group."""

PLUGIN_API_VERSION = 1
"""The version of the plugin API.

The API is the hooks in :mod:`socialcouncil.hookspecs` and the protocols they return.

It changes only when a hook's meaning or a protocol changes in a way existing plugins would
notice; hooks gain optional arguments without a new version.
"""

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

    Returns:
        :class:`~socialcouncil.Continuum` objects, each with an id unique across all plugins.
        A council file's own continuum of the same id takes precedence over a registered one
        for that council, and the integrity checks warn if the two differ (rule
        ``shadowed-continuum``).
    """


@hookspec
def register_templates() -> Iterable[Template]:  # type: ignore[empty-body]
    """Offer starter councils for ``socialcouncil init --template ID``.

    Returns:
        :class:`~socialcouncil.Template` objects, each with an id unique across all plugins.
        A template's text should be a model file that validates with no errors.
    """


@hookspec
def register_data_sources() -> Iterable[type[DataSource]]:  # type: ignore[empty-body]
    """Offer data sources that read records from somewhere.

    Returns:
        Classes following the :class:`~socialcouncil.DataSource` protocol, each with a
        ``name`` unique across all plugins.
    """


@hookspec
def register_exporters() -> Iterable[type[Exporter]]:  # type: ignore[empty-body]
    """Offer exporters that write a council and its results somewhere.

    Returns:
        Classes following the :class:`~socialcouncil.Exporter` protocol, each with a ``name``
        unique across all plugins.
    """


@hookspec
def register_measurement_models() -> Iterable[type[MeasurementModel]]:  # type: ignore[empty-body]
    """Offer measurement models that turn records and the council into results.

    Returns:
        Classes following the :class:`~socialcouncil.MeasurementModel` protocol, each with a
        ``name`` unique across all plugins.
    """


@hookspec
def register_checks() -> Iterable[Check]:  # type: ignore[empty-body]
    """Offer integrity checks, run by :func:`socialcouncil.check` and ``socialcouncil validate``.

    Returns:
        :class:`~socialcouncil.Check` objects, each with a rule id unique across all plugins.
        Their findings have the same shape as the built-in checks', and a council can switch
        them off by rule id in ``[checks] ignore``.
    """


@hookspec
def register_commands(cli: click.Group) -> None:
    """Add commands to the ``socialcouncil`` command.

    Called only when a command that is not built in is asked for, or when the commands are
    listed, so that plugins do not slow ``socialcouncil --version`` down.

    Args:
        cli: the ``socialcouncil`` click group; add commands with ``cli.add_command(...)`` or
            the ``@cli.command()`` decorator. A command with the name of an existing one is
            left out with a warning.
    """
