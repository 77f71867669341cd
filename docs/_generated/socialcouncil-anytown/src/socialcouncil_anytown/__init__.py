"""socialcouncil plugin for Anytown: its relationship continuum and its starter council."""

from __future__ import annotations

from importlib import resources

from socialcouncil import Continuum, Level, Template, hookimpl

__all__ = ["RELATIONSHIP", "TEMPLATE", "register_continua", "register_templates"]

# The versions of socialcouncil's plugin API this plugin supports.
SOCIALCOUNCIL_PLUGIN_API = 1

RELATIONSHIP = Continuum(
    id="anytown-relationship",
    name="Anytown relationship continuum",
    description=(
        "How a project works with the public, from telling residents what has been decided to "
        "deciding and delivering with them."
    ),
    levels=[
        Level(
            id="informing",
            label="Informing",
            description="The council tells residents about decisions it has already made.",
        ),
        Level(
            id="listening",
            label="Listening",
            description="Residents are asked for their views before the council decides.",
        ),
        Level(
            id="designing-together",
            label="Designing together",
            description="Residents and staff design the service side by side.",
        ),
        Level(
            id="co-producing",
            label="Co-producing",
            description="Residents share decisions and delivery, with power and resources.",
        ),
    ],
)
"""The continuum Anytown places its projects on."""

TEMPLATE = Template(
    id="anytown",
    title="Anytown council",
    description="A starter council for Anytown, with its projects on its own continuum.",
    text=resources.files(__name__).joinpath("council.toml").read_text(encoding="utf-8"),
)
"""A starter council that uses the continuum."""


@hookimpl
def register_continua() -> list[Continuum]:
    """Offer Anytown's relationship continuum."""
    return [RELATIONSHIP]


@hookimpl
def register_templates() -> list[Template]:
    """Offer the Anytown starter council."""
    return [TEMPLATE]
