"""The bundled examples, and the councils' plugin packages that go with them."""

from __future__ import annotations

from typing import TYPE_CHECKING

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
