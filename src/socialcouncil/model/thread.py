"""The golden thread: purpose, vision, priorities, outcomes, design principles and big moves."""

from __future__ import annotations

import attrs

from socialcouncil.model import validators as v

__all__ = ["BigMove", "DesignPrinciple", "GoldenThread", "Outcome", "Priority"]


@attrs.frozen
class Priority:
    """One of the key areas the council focuses on to deliver its vision.

    Attributes:
        id: unique among the priorities.
        name: such as ``"A strong economy"``.
        description: more about it.
    """

    id: str = attrs.field(validator=v.an_id)
    name: str = attrs.field(validator=v.text)
    description: str | None = attrs.field(default=None, validator=v.optional_text)


@attrs.frozen
class Outcome:
    """A priority outcome: what success for one priority looks like, and how it is measured.

    Attributes:
        id: unique among the outcomes.
        name: the outcome in words.
        priority: the id of the priority it belongs to.
        measures: ids of the measures that show progress towards it.
    """

    id: str = attrs.field(validator=v.an_id)
    name: str = attrs.field(validator=v.text)
    priority: str = attrs.field(validator=v.an_id)
    measures: tuple[str, ...] = attrs.field(default=(), converter=v.as_tuple, validator=v.ids)


@attrs.frozen
class DesignPrinciple:
    """A "rule of the game" for designing the future shape of the council.

    Attributes:
        id: unique among the design principles.
        statement: the principle, such as ``"We will make transparency and openness our
            default position"``.
    """

    id: str = attrs.field(validator=v.an_id)
    statement: str = attrs.field(validator=v.text)


@attrs.frozen
class BigMove:
    """A major change initiative, such as health and social care integration.

    Attributes:
        id: unique among the big moves.
        name: its name.
        priorities: ids of the priorities it drives forward.
        description: more about it.
    """

    id: str = attrs.field(validator=v.an_id)
    name: str = attrs.field(validator=v.text)
    priorities: tuple[str, ...] = attrs.field(default=(), converter=v.as_tuple, validator=v.ids)
    description: str | None = attrs.field(default=None, validator=v.optional_text)


@attrs.frozen
class GoldenThread:
    """Purpose → vision → priorities → outcomes → design principles → big moves.

    The thread lets every project be traced to why the council exists.

    Attributes:
        purpose: the reason the organisation exists.
        vision: its ambition for the place and the council.
        priorities: the key areas it focuses on.
        outcomes: the priority outcomes, each belonging to a priority.
        design_principles: the rules of the game for redesign.
        big_moves: the major change initiatives.
    """

    purpose: str | None = attrs.field(default=None, validator=v.optional_text)
    vision: str | None = attrs.field(default=None, validator=v.optional_text)
    priorities: tuple[Priority, ...] = attrs.field(default=(), converter=v.as_tuple)
    outcomes: tuple[Outcome, ...] = attrs.field(default=(), converter=v.as_tuple)
    design_principles: tuple[DesignPrinciple, ...] = attrs.field(default=(), converter=v.as_tuple)
    big_moves: tuple[BigMove, ...] = attrs.field(default=(), converter=v.as_tuple)
