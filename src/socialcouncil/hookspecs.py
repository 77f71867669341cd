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

Order and clashes: implementations are called in pluggy's order. An implementation marked
``@hookimpl(tryfirst=True)`` is called before the others and one marked ``trylast=True``
after them; otherwise the plugin registered last is called first (installed plugins after the
built-in ones, in the order Python lists their entry points). When two plugins register the
same id, a **built-in plugin always wins**, so no plugin can silently replace a published scale
such as Arnstein's ladder; between two other plugins, the one pluggy calls first wins. The
plugin left out is named in a warning. What the registry lists (and ``socialcouncil plugins``,
``sources`` and ``models`` show) is in the order the plugins were registered, each plugin's own
in the order it returned them, whatever order pluggy calls them in.

Isolation: each implementation is called on its own, and whatever plugin code runs (the
plugin's import, its hooks, and later the data sources, measurement models, exporters,
templates and commands it registered) has its printed output sent to standard error, so that a
plugin never corrupts ``--format json`` output.

A plugin may say which versions of this plugin API it supports with a module attribute
``SOCIALCOUNCIL_PLUGIN_API``, a whole number or a tuple of them; a plugin that does not support
:data:`PLUGIN_API_VERSION` is skipped with a message that says which version it needs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

from socialcouncil._warnings import PluginDeprecationWarning

if TYPE_CHECKING:
    from collections.abc import Iterable

    import click

    from socialcouncil.checks import Check
    from socialcouncil.exporters import Exporter
    from socialcouncil.exporters.sections import ReportSection
    from socialcouncil.measurement import MeasurementModel
    from socialcouncil.model import Continuum, Crosswalk
    from socialcouncil.sources import DataSource
    from socialcouncil.store import StoreEngine
    from socialcouncil.templates import Template

__all__ = [
    "PLUGIN_API_VERSION",
    "PROJECT_NAME",
    "hookimpl",
    "hookspec",
    "register_checks",
    "register_commands",
    "register_continua",
    "register_crosswalks",
    "register_data_sources",
    "register_exporters",
    "register_measurement_models",
    "register_report_sections",
    "register_store_engines",
    "register_templates",
]

PROJECT_NAME = "socialcouncil"
"""The pluggy project name, shared by the markers and the entry-point group."""

PLUGIN_API_VERSION = 2
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
def register_crosswalks() -> Iterable[Crosswalk]:  # type: ignore[empty-body]
    """Offer crosswalks between registered continua, so that model files need not repeat them.

    A plugin that registers a continuum publishes its crosswalks to the reference continua
    here, such as Solihull's relationship continuum to the IAP2 spectrum.

    Returns:
        :class:`~socialcouncil.Crosswalk` objects, at most one from each continuum to each
        other across all plugins. Both continua must be registered (by any plugin), the map
        may name only their levels, and a higher level may never map below a lower one; a
        crosswalk that breaks one of these is left out with a warning.
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
    """Offer measurement models that turn tables of data and the council into results.

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
def register_report_sections() -> Iterable[ReportSection]:  # type: ignore[empty-body]
    """Offer sections for the council's report (``socialcouncil report``).

    Returns:
        :class:`~socialcouncil.ReportSection` objects, each with an id unique across all
        plugins. Each one's ``build`` is called when a report is written, with the
        :class:`~socialcouncil.ExportContext` (figures after disclosure control), and yields
        structured blocks that the core renders and escapes for HTML and Markdown. A section
        whose ``build`` raises is named in a warning and its place in the report says it could
        not be built; the rest of the report is written.
    """


@hookspec
def register_store_engines() -> Iterable[type[StoreEngine]]:  # type: ignore[empty-body]
    """Offer store engines that keep a history store somewhere.

    :func:`socialcouncil.open_store` chooses the engine by the scheme of the store's URL
    (``postgresql://...``); a plain path is the built-in ``sqlite`` engine's. socialcouncil's
    own ``sqlite`` and ``postgresql`` engines are registered through this hook.

    Returns:
        Classes following the :class:`~socialcouncil.store.StoreEngine` protocol, each with a
        ``name`` unique across all plugins and ``schemes`` that no other engine opens.
    """


@hookspec(
    warn_on_impl=PluginDeprecationWarning(
        "implements register_commands, which is deprecated: declare the plugin's commands in "
        "the socialcouncil.commands entry-point group instead, so that listing the commands "
        "does not import the plugin"
    )
)
def register_commands(cli: click.Group) -> None:
    """Add commands to the ``socialcouncil`` command. Deprecated.

    Declare commands in the ``socialcouncil.commands`` entry-point group instead (see
    :doc:`/how-to/plugin`): ``socialcouncil --help`` lists those from the package's metadata
    without importing the plugin. A plugin that implements this hook is named in a
    :class:`~socialcouncil.plugins.PluginDeprecationWarning`; its commands still run when asked
    for by name, but ``socialcouncil --help`` does not list them.

    Args:
        cli: a click group; add commands with ``cli.add_command(...)`` or the
            ``@cli.command()`` decorator. A command with the name of an existing one is left
            out with a warning.
    """
