"""The bundled examples, and the councils' plugin packages that go with them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs
import pytest

import socialcouncil

if TYPE_CHECKING:
    from pathlib import Path


def test_the_solihull_example_defines_the_continuum_its_plugin_registers(examples: Path) -> None:
    # The example defines Solihull's continuum itself, as a council would; the plugin offers
    # the same one. Were they to drift apart, a council with the plugin installed would be
    # warned that its own definition differs (rule shadowed-continuum).
    import socialcouncil_solihull

    council = socialcouncil.load(examples / "solihull.toml")
    assert council.continuum("solihull-relationship") == socialcouncil_solihull.RELATIONSHIP


def test_the_solihull_template_uses_the_examples_values(examples: Path) -> None:
    import socialcouncil_solihull

    example = socialcouncil.load(examples / "solihull.toml")
    assert socialcouncil_solihull.TEMPLATE.council().values == example.values


def test_the_birmingham_template_holds_the_examples_golden_thread(examples: Path) -> None:
    import socialcouncil_birmingham

    example = socialcouncil.load(examples / "birmingham.toml").thread
    thread = socialcouncil_birmingham.TEMPLATE.council().thread
    assert (thread.purpose, thread.vision) == (example.purpose, example.vision)
    assert thread.priorities == example.priorities
    assert thread.design_principles == example.design_principles
    assert thread.big_moves == example.big_moves


def solihull_on_its_plugin(examples: Path, *requires: str) -> socialcouncil.Council:
    """The Solihull example with its own continuum left to the plugin that registers it."""
    council = socialcouncil.load(examples / "solihull.toml")
    crosswalks = [c for c in council.crosswalks if c.from_ != "solihull-relationship"]
    return attrs.evolve(council, continua=[], crosswalks=crosswalks, requires=requires)


@pytest.fixture
def solihull_plugin(monkeypatch: pytest.MonkeyPatch) -> None:
    from socialcouncil import plugins

    monkeypatch.setenv("SOCIALCOUNCIL_LOAD_PLUGINS", "solihull")
    plugins.reset()


@pytest.mark.usefixtures("solihull_plugin")
def test_the_solihull_example_requiring_its_installed_plugin_validates(examples: Path) -> None:
    council = solihull_on_its_plugin(examples, "socialcouncil-solihull>=0.1")
    assert socialcouncil.check(council) == []


@pytest.mark.usefixtures("solihull_plugin")
def test_a_plugins_continuum_is_suggested_only_to_a_file_that_requires_the_plugin(
    examples: Path,
) -> None:
    def unknown(council: socialcouncil.Council) -> set[str]:
        typo = attrs.evolve(council.projects[0], continuum="solihull-relationshp")
        council = attrs.evolve(council, projects=[typo, *council.projects[1:]])
        return {f.message for f in socialcouncil.check(council) if f.rule == "unknown-continuum"}

    assert unknown(solihull_on_its_plugin(examples)) == {
        "no continuum with id 'solihull-relationshp'"
    }
    assert unknown(solihull_on_its_plugin(examples, "socialcouncil-solihull")) == {
        "no continuum with id 'solihull-relationshp'; did you mean 'solihull-relationship'?"
    }


def test_a_requirement_is_met_by_the_distribution_and_a_missing_one_comes_first(
    examples: Path,
) -> None:
    council = solihull_on_its_plugin(examples, "socialcouncil-solihull>=0.1")
    found = socialcouncil.check(council)
    # Without the plugin loaded its continuum is unknown; the requirement is met, so the
    # message does not blame a missing plugin, and the installed distribution is enough.
    assert "missing-plugin" not in {f.rule for f in found}
    missing = attrs.evolve(council, requires=("socialcouncil-kirklees>=1.0",))
    [first, *rest] = socialcouncil.check(missing)
    assert (first.rule, first.path) == ("missing-plugin", "requires[0]")
    assert {f.rule for f in rest} >= {"unknown-continuum"}
