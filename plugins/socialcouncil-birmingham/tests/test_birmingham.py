"""socialcouncil-birmingham's tests, with socialcouncil's testing kit."""

from __future__ import annotations

from importlib.metadata import entry_points

import socialcouncil_birmingham as plugin

import socialcouncil
from socialcouncil.testing import check_template


def test_the_plugin_registers_its_template(socialcouncil_registry) -> None:
    registry = socialcouncil_registry(plugin)
    assert registry.templates["birmingham"] == plugin.TEMPLATE
    assert registry.provider("template", "birmingham").name == "socialcouncil_birmingham"


def test_the_template_holds_the_golden_thread(socialcouncil_registry) -> None:
    council = check_template(plugin.TEMPLATE, socialcouncil_registry(plugin))
    thread = council.thread
    # The apostrophe is the one in Birmingham's own text.
    assert thread.purpose == "To make a positive difference every day to people’s lives."  # noqa: RUF001
    assert [p.name for p in thread.priorities] == [
        "A strong economy",
        "Safety and opportunity for all children",
        "A great future for young people",
        "Thriving local communities",
        "A healthy, happy city",
        "A modern council",
    ]
    assert len(thread.design_principles) == 6
    assert thread.design_principles[-1].statement == (
        "We will make transparency and openness our default position"
    )
    assert {m.name for m in thread.big_moves} >= {"Waste and recycling"}


def test_the_outcomes_still_to_add_are_named_one_per_priority(socialcouncil_registry) -> None:
    registry = socialcouncil_registry(plugin)
    found = socialcouncil.check(
        plugin.TEMPLATE.council(), continua=registry.continua, checks=registry.checks.values()
    )
    assert [f.rule for f in found] == ["priority-without-outcome"] * 6


def test_the_installed_package_points_socialcouncil_at_the_plugin() -> None:
    found = entry_points(group="socialcouncil", name="birmingham")
    assert [entry_point.value for entry_point in found] == ["socialcouncil_birmingham"]
