"""socialcouncil's pytest plugin: fixtures for testing plugins.

pytest loads it wherever socialcouncil is installed (through the ``pytest11`` entry point), so
a plugin's tests can use the fixtures without importing anything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from socialcouncil.plugins import PluginInfo, Registry

__all__ = ["register_plugin", "socialcouncil_registry"]


@pytest.fixture
def socialcouncil_registry() -> Callable[..., Registry]:
    """Make a registry holding only the plugins a test names, and the built-in ones.

    Installed plugins are left out, so a test sees the same plugins on every machine::

        def test_my_continuum(socialcouncil_registry):
            registry = socialcouncil_registry(my_plugin)
            assert "my-scale" in registry.continua

    Call it with ``builtins=False`` (or a list of built-in names) to leave built-ins out; a
    plugin problem raises :class:`~socialcouncil.PluginError` rather than warning.
    """
    from socialcouncil.plugins import isolated_registry

    def make(*plugins: object, builtins: bool | Iterable[str] = True) -> Registry:
        return isolated_registry(*plugins, builtins=builtins, strict=True)

    return make


@pytest.fixture
def register_plugin() -> Iterator[Callable[..., PluginInfo]]:
    """Register a throwaway plugin in the process's registry for one test.

    What the plugin registers is seen by :func:`socialcouncil.check`, the command and
    everything else that uses :func:`socialcouncil.registry`; it is unregistered afterwards::

        def test_my_rule_runs_in_validate(register_plugin):
            register_plugin(my_plugin)
            ...

    A plugin the registry holds already, such as the plugin under test when its package is
    installed, is left as it is (and left registered afterwards), so the same test passes
    whether or not the package is installed.

    Raises:
        PluginError: when the plugin cannot be registered; the message names it.
    """
    from socialcouncil.plugins import registry

    names: list[str] = []

    def register(plugin: object, name: str | None = None) -> PluginInfo:
        found = registry()
        held = found.manager.is_registered(plugin)
        info = found.register(plugin, name)
        if not held:
            names.append(info.name)
        return info

    yield register
    for name in names:
        if registry().manager.has_plugin(name):
            registry().unregister(name)
