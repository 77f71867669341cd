"""socialcouncil plugin for Birmingham: the Golden Thread as a council template.

Birmingham City Council links its purpose, vision, priorities and priority outcomes by a
"golden thread" to its design principles and its big moves. This plugin registers that thread
as a starter council, the template ``birmingham``.
"""

from __future__ import annotations

from importlib import resources

from socialcouncil import Template, hookimpl

__all__ = ["TEMPLATE", "register_templates"]

# The versions of socialcouncil's plugin API this plugin supports.
SOCIALCOUNCIL_PLUGIN_API = 2

TEMPLATE = Template(
    id="birmingham",
    title="Birmingham's Golden Thread",
    description=(
        "Purpose, vision, the six priorities, the six design principles and the big moves of "
        "Birmingham City Council's Golden Thread; the priority outcomes are left to add."
    ),
    text=resources.files(__name__).joinpath("council.toml").read_text(encoding="utf-8"),
)
"""A starter council holding Birmingham's Golden Thread."""


@hookimpl
def register_templates() -> list[Template]:
    """Offer the Birmingham Golden Thread template."""
    return [TEMPLATE]
