"""The plugin manager: socialcouncil's built-in plugins and those installed by councils.

Built-in plugins are listed in :data:`BUILTIN_PLUGINS` and registered through the same hooks as
any other. Installed plugins are found through the ``socialcouncil`` entry-point group, once, the
first time a registry is asked for — never on ``import socialcouncil``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, cast

import pluggy

from socialcouncil import hookspecs
from socialcouncil.errors import PluginError
from socialcouncil.model import Continuum

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = [
    "BUILTIN_PLUGINS",
    "ENTRY_POINT_GROUP",
    "plugin_manager",
    "registered_continua",
    "reset",
]

BUILTIN_PLUGINS: tuple[str, ...] = ("socialcouncil.continua.reference",)
"""The modules of socialcouncil's own plugins, registered before any installed plugin."""

ENTRY_POINT_GROUP = hookspecs.PROJECT_NAME
"""The entry-point group a plugin package registers its plugin module under."""

_manager: pluggy.PluginManager | None = None


def _build() -> pluggy.PluginManager:
    manager = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    manager.add_hookspecs(hookspecs)
    for module_name in BUILTIN_PLUGINS:
        manager.register(importlib.import_module(module_name), name=module_name)
    manager.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
    try:
        manager.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginError(f"{_describe(manager, exc.plugin)}: {exc}") from None
    return manager


def plugin_manager() -> pluggy.PluginManager:
    """The process's plugin manager, built on first use with every built-in and installed plugin."""
    global _manager  # noqa: PLW0603 - one manager per process, built lazily
    if _manager is None:
        _manager = _build()
    return _manager


def reset() -> None:
    """Forget the plugin manager, so the next use finds plugins again (for tests)."""
    global _manager  # noqa: PLW0603
    _manager = None


def _describe(manager: pluggy.PluginManager, plugin: object) -> str:
    name = manager.get_name(plugin) or repr(plugin)
    for registered, dist in manager.list_plugin_distinfo():
        if registered is plugin:
            return f"plugin {name!r} (from {dist.project_name} {dist.version})"
    return f"plugin {name!r}"


def registered_continua(manager: pluggy.PluginManager | None = None) -> dict[str, Continuum]:
    """Every continuum the plugins register, built-in ones first, by id.

    >>> registered_continua()["iap2-spectrum"].level_ids
    ('inform', 'consult', 'involve', 'collaborate', 'empower')

    Raises:
        PluginError: when a plugin returns something that is not a continuum, or two plugins
            register the same id; the message names the plugins.
    """
    manager = manager or plugin_manager()
    found: dict[str, tuple[Continuum, str]] = {}
    # get_hookimpls() lists implementations in registration order: built-ins first.
    for impl in manager.hook.register_continua.get_hookimpls():
        who = _describe(manager, impl.plugin)
        answer = cast("Iterable[object] | None", impl.function())
        for item in answer or ():
            if not isinstance(item, Continuum):
                raise PluginError(
                    f"{who}: register_continua returned {type(item).__name__}, expected Continuum"
                )
            if item.id in found:
                first = found[item.id][1]
                message = f"continuum {item.id!r} is registered twice: by {first} and by {who}"
                raise PluginError(message)
            found[item.id] = (item, who)
    return {id_: continuum for id_, (continuum, _) in found.items()}
