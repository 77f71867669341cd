"""The plugin's own tests, with socialcouncil's testing kit."""

from __future__ import annotations

from importlib.metadata import entry_points

import socialcouncil_anytown as plugin
from socialcouncil.testing import check_continuum, check_template


def test_the_continuum_conforms() -> None:
    check_continuum(plugin.RELATIONSHIP)


def test_the_plugin_registers_its_continuum_and_template(socialcouncil_registry) -> None:
    registry = socialcouncil_registry(plugin)
    assert registry.continua["anytown-relationship"] == plugin.RELATIONSHIP
    assert registry.templates["anytown"] == plugin.TEMPLATE


def test_the_template_validates_with_no_findings(socialcouncil_registry) -> None:
    check_template(plugin.TEMPLATE, socialcouncil_registry(plugin))


def test_the_installed_package_points_socialcouncil_at_the_plugin() -> None:
    found = entry_points(group="socialcouncil", name="anytown")
    assert [entry_point.value for entry_point in found] == ["socialcouncil_anytown"]
