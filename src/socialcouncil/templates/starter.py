"""The built-in ``starter`` template: a small council to begin from."""

from __future__ import annotations

from importlib import resources

from socialcouncil.hookspecs import hookimpl
from socialcouncil.templates import Template

__all__ = ["STARTER", "register_templates"]

STARTER = Template(
    id="starter",
    title="Starter council",
    description=(
        "One value, a golden thread with one priority, outcome, measure and big move, and one "
        "proposed project placed on the IAP2 spectrum."
    ),
    text=resources.files("socialcouncil.templates")
    .joinpath("starter.toml")
    .read_text(encoding="utf-8"),
)
"""A council with one of everything, ready to be made a council's own."""


@hookimpl
def register_templates() -> list[Template]:
    """Register the starter template."""
    return [STARTER]
