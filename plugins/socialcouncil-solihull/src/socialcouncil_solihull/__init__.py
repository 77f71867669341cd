"""socialcouncil plugin for Solihull: its relationship continuum and its council template.

Solihull's Social Council places every project's relationship with the public on a continuum
from "communicative but service-orientated" to "fully co-productive". This plugin registers that
continuum, as ``solihull-relationship``, its crosswalks to the co-production ladder and the IAP2
spectrum, and a starter council, as the template ``solihull``.
"""

from __future__ import annotations

from importlib import resources

from socialcouncil import Continuum, Crosswalk, Template, hookimpl, loads

__all__ = [
    "CROSSWALKS",
    "RELATIONSHIP",
    "TEMPLATE",
    "register_continua",
    "register_crosswalks",
    "register_templates",
]

# The versions of socialcouncil's plugin API this plugin supports.
SOCIALCOUNCIL_PLUGIN_API = 2

_FILES = resources.files(__name__)

# The continuum and its crosswalks are kept in a model file, in the shape councils write theirs in.
_PUBLISHED = loads(
    _FILES.joinpath("continuum.toml").read_text(encoding="utf-8"),
    source="socialcouncil_solihull/continuum.toml",
)

RELATIONSHIP: Continuum = _PUBLISHED.continua[0]
"""Solihull's relationship continuum, from communicative to fully co-productive."""

CROSSWALKS: tuple[Crosswalk, ...] = tuple(_PUBLISHED.crosswalks)
"""Crosswalks from the relationship continuum to the co-production ladder and the IAP2 spectrum."""

TEMPLATE = Template(
    id="solihull",
    title="Solihull's Social Council",
    description=(
        "The Social Canteen, the six values it holds, and the first Social Council projects, "
        "placed on Solihull's relationship continuum."
    ),
    text=_FILES.joinpath("council.toml").read_text(encoding="utf-8"),
)
"""A starter council for Solihull's Social Council."""


@hookimpl
def register_continua() -> list[Continuum]:
    """Offer Solihull's relationship continuum."""
    return [RELATIONSHIP]


@hookimpl
def register_crosswalks() -> tuple[Crosswalk, ...]:
    """Offer the relationship continuum's crosswalks to the reference continua."""
    return CROSSWALKS


@hookimpl
def register_templates() -> list[Template]:
    """Offer the Solihull starter council."""
    return [TEMPLATE]
