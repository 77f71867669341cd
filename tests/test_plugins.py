"""The plugin manager and the built-in continua it registers through the hooks."""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING

import pluggy
import pytest

import socialcouncil
from socialcouncil import Continuum, Level, PluginError, hookimpl, plugins
from socialcouncil.continua import reference
from socialcouncil.hookspecs import PROJECT_NAME

if TYPE_CHECKING:
    from collections.abc import Iterator

OURS = Continuum(
    id="our-scale",
    name="Our scale",
    levels=[Level(id="told", label="Told"), Level(id="shaping", label="Shaping")],
)


@pytest.fixture
def fresh() -> Iterator[None]:
    """Forget the process's plugin manager before and after the test."""
    plugins.reset()
    yield
    plugins.reset()


def manager(*members: object) -> pluggy.PluginManager:
    pm = pluggy.PluginManager(PROJECT_NAME)
    pm.add_hookspecs(socialcouncil.hookspecs)
    for index, member in enumerate(members):
        pm.register(member, name=f"plugin-{index}")
    return pm


def plugin(name: str, **hooks: object) -> types.ModuleType:
    module = types.ModuleType(name)
    for hook, function in hooks.items():
        setattr(module, hook, hookimpl(function))  # type: ignore[call-overload]
    return module


def test_the_built_in_continua_are_registered_through_the_hook() -> None:
    assert list(socialcouncil.registered_continua()) == [
        "arnstein-ladder",
        "iap2-spectrum",
        "coproduction-ladder",
        "hart-ladder",
        "wilcox-levels",
    ]
    assert plugins.plugin_manager().get_plugin(plugins.BUILTIN_PLUGINS[0]) is reference


@pytest.mark.parametrize(
    ("continuum", "count", "groups"),
    [
        ("arnstein-ladder", 8, ["Non-participation", "Tokenism", "Citizen power"]),
        ("iap2-spectrum", 5, []),
        ("coproduction-ladder", 7, ["Doing to", "Doing for", "Doing with"]),
        ("hart-ladder", 8, ["Non-participation", "Participation"]),
        ("wilcox-levels", 5, []),
    ],
)
def test_reference_continua_have_their_published_levels_and_a_source(
    continuum: str, count: int, groups: list[str]
) -> None:
    found = socialcouncil.registered_continua()[continuum]
    assert len(found.levels) == count
    assert list(dict.fromkeys(lv.group for lv in found.levels if lv.group)) == groups
    assert found.source
    assert all(level.description for level in found.levels)


def test_a_plugin_adds_its_continuum_and_the_checks_accept_it() -> None:
    pm = manager(reference, plugin("ours", register_continua=lambda: [OURS]))
    registered = plugins.registered_continua(pm)
    assert list(registered)[-1] == "our-scale"
    council = socialcouncil.Council(
        name="Demo",
        projects=[
            socialcouncil.Project(id="p", title="P", continuum="our-scale", target_level="shaping")
        ],
    )
    rules = {f.rule for f in socialcouncil.check(council, continua=registered)}
    assert "unknown-continuum" not in rules
    assert "unknown-level" not in rules


def test_two_plugins_registering_one_id_name_both() -> None:
    pm = manager(
        plugin("first", register_continua=lambda: [OURS]),
        plugin("second", register_continua=lambda: [OURS]),
    )
    with pytest.raises(PluginError) as caught:
        plugins.registered_continua(pm)
    assert str(caught.value) == (
        "continuum 'our-scale' is registered twice: by plugin 'plugin-0' and by plugin 'plugin-1'"
    )


def test_a_plugin_returning_something_else_is_named() -> None:
    pm = manager(plugin("odd", register_continua=lambda: ["our-scale"]))
    with pytest.raises(PluginError, match="plugin 'plugin-0': register_continua returned str"):
        plugins.registered_continua(pm)


def test_a_misspelled_hook_is_reported_with_its_plugin(
    fresh: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = plugin("misspelled", register_continuum=lambda: [OURS])
    monkeypatch.setitem(sys.modules, "misspelled", module)
    monkeypatch.setattr(plugins, "BUILTIN_PLUGINS", (*plugins.BUILTIN_PLUGINS, "misspelled"))
    with pytest.raises(PluginError) as caught:
        plugins.plugin_manager()
    assert "plugin 'misspelled'" in str(caught.value)
    assert "register_continuum" in str(caught.value)


def test_the_manager_is_built_once_and_can_be_reset(fresh: None) -> None:
    first = plugins.plugin_manager()
    assert plugins.plugin_manager() is first
    plugins.reset()
    assert plugins.plugin_manager() is not first
