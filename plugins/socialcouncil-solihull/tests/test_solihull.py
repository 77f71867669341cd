"""socialcouncil-solihull's tests, with socialcouncil's testing kit."""

from __future__ import annotations

from importlib.metadata import entry_points

import socialcouncil_solihull as plugin

import socialcouncil
from socialcouncil.testing import check_continuum, check_crosswalk, check_template


def test_the_continuum_runs_from_communicative_to_fully_co_productive() -> None:
    check_continuum(plugin.RELATIONSHIP)
    levels = plugin.RELATIONSHIP.levels
    assert (levels[0].label, levels[-1].label) == (
        "Communicative but service-orientated",
        "Fully co-productive",
    )
    assert plugin.RELATIONSHIP.id == "solihull-relationship"


def test_the_plugin_registers_its_continuum_and_template(socialcouncil_registry) -> None:
    registry = socialcouncil_registry(plugin)
    assert registry.continua["solihull-relationship"] == plugin.RELATIONSHIP
    assert registry.templates["solihull"] == plugin.TEMPLATE
    assert registry.provider("template", "solihull").name == "socialcouncil_solihull"


def test_the_plugin_publishes_its_crosswalks_to_the_reference_continua(
    socialcouncil_registry,
) -> None:
    registry = socialcouncil_registry(plugin)
    assert registry.crosswalks == plugin.CROSSWALKS
    assert [(c.from_, c.to) for c in registry.crosswalks] == [
        ("solihull-relationship", "coproduction-ladder"),
        ("solihull-relationship", "iap2-spectrum"),
    ]
    ladder, iap2 = registry.continua["coproduction-ladder"], registry.continua["iap2-spectrum"]
    check_crosswalk(plugin.CROSSWALKS[0], plugin.RELATIONSHIP, ladder)
    mapping = check_crosswalk(plugin.CROSSWALKS[1], plugin.RELATIONSHIP, iap2)
    assert mapping["fully-co-productive"] == "collaborate"
    provider = registry.provider("crosswalk", "solihull-relationship->iap2-spectrum")
    assert provider.name == "socialcouncil_solihull"


def test_the_template_validates_with_no_errors(socialcouncil_registry) -> None:
    council = check_template(plugin.TEMPLATE, socialcouncil_registry(plugin))
    assert council.steering_group == "Social Canteen"
    assert next(v.name for v in council.values) == "A stronger voice for citizens"
    assert len(council.values) == 6
    assert {p.title for p in council.projects} >= {"Assisted Digital", "Social Media"}


def test_the_templates_warnings_point_at_the_golden_thread_still_to_add(
    socialcouncil_registry,
) -> None:
    registry = socialcouncil_registry(plugin)
    council = plugin.TEMPLATE.council()
    found = socialcouncil.check(
        council, continua=registry.continua, checks=registry.checks.values()
    )
    assert {f.rule for f in found} == {"project-without-priority"}


def test_the_installed_package_points_socialcouncil_at_the_plugin() -> None:
    found = entry_points(group="socialcouncil", name="solihull")
    assert [entry_point.value for entry_point in found] == ["socialcouncil_solihull"]
