"""Continua, their levels, and crosswalks between two continua."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from socialcouncil.model import validators as v
from socialcouncil.model.errors import InvalidValueError, UnknownIdError

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["Continuum", "Crosswalk", "Level"]


@attrs.frozen
class Level:
    """One step of a continuum.

    Its rank is its position in :attr:`Continuum.levels`, lowest first, so a level does not
    carry a number of its own.

    Attributes:
        id: unique within its continuum.
        label: the words a council officer reads, such as ``"Fully co-productive"``.
        description: what a relationship at this level looks like in practice.
        group: the band the level belongs to on scales that have bands, such as Arnstein's
            ``"Tokenism"``.
    """

    id: str = attrs.field(validator=v.an_id)
    label: str = attrs.field(validator=v.text)
    description: str | None = attrs.field(default=None, validator=v.optional_text)
    group: str | None = attrs.field(default=None, validator=v.optional_text)


def _distinct_levels(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    levels: tuple[Level, ...] = value  # type: ignore[assignment]
    if len(levels) < 2:
        raise InvalidValueError(attribute.name, len(levels), "at least two levels")
    seen: set[str] = set()
    for index, level in enumerate(levels):
        if not isinstance(level, Level):
            raise InvalidValueError(f"{attribute.name}[{index}]", level, "a Level")
        if level.id in seen:
            raise InvalidValueError(
                f"{attribute.name}[{index}].id", level.id, "an id not used by an earlier level"
            )
        seen.add(level.id)


@attrs.frozen
class Continuum:
    """An ordered scale of levels of relationship with the public, lowest first.

    >>> c = Continuum(id="demo", name="Demo", levels=[
    ...     Level(id="inform", label="Inform"),
    ...     Level(id="consult", label="Consult"),
    ...     Level(id="co-produce", label="Co-produce"),
    ... ])
    >>> c.rank("consult"), c.position("consult"), c.position("co-produce")
    (1, 0.5, 1.0)
    >>> c.compare("inform", "co-produce")
    -1

    Attributes:
        id: how projects and crosswalks refer to it.
        name: its title.
        levels: at least two, lowest first, with distinct ids.
        description: what the scale is for.
        source: a citation for a published scale.
    """

    id: str = attrs.field(validator=v.an_id)
    name: str = attrs.field(validator=v.text)
    levels: tuple[Level, ...] = attrs.field(converter=v.as_tuple, validator=_distinct_levels)
    description: str | None = attrs.field(default=None, validator=v.optional_text)
    source: str | None = attrs.field(default=None, validator=v.optional_text)

    @property
    def level_ids(self) -> tuple[str, ...]:
        """The ids of the levels, lowest first."""
        return tuple(level.id for level in self.levels)

    def has_level(self, level_id: str) -> bool:
        """Whether *level_id* is one of this continuum's levels."""
        return any(level.id == level_id for level in self.levels)

    def level(self, level_id: str) -> Level:
        """The level with *level_id*; :class:`UnknownIdError` if there is none."""
        for level in self.levels:
            if level.id == level_id:
                return level
        raise UnknownIdError(f"level of continuum {self.id!r}", level_id, self.level_ids)

    def rank(self, level_id: str) -> int:
        """The level's place on the scale: 0 for the lowest, ``len(levels) - 1`` for the highest."""
        for index, level in enumerate(self.levels):
            if level.id == level_id:
                return index
        raise UnknownIdError(f"level of continuum {self.id!r}", level_id, self.level_ids)

    def position(self, level_id: str) -> float:
        """The level's place as a fraction: 0.0 for the lowest level, 1.0 for the highest.

        Positions let continua with different numbers of levels be set side by side.
        """
        return self.rank(level_id) / (len(self.levels) - 1)

    def compare(self, a: str, b: str) -> int:
        """-1, 0 or 1 as level *a* is below, level with, or above level *b*."""
        ra, rb = self.rank(a), self.rank(b)
        return (ra > rb) - (ra < rb)

    def nearest(self, position: float) -> Level:
        """The level whose position is closest to *position* (a number from 0 to 1).

        When two levels are equally close the lower one is chosen, so that a translation never
        claims more participation than the evidence shows.

        >>> Continuum(id="c", name="C", levels=[Level(id="a", label="A"), Level(id="b", label="B"),
        ...           Level(id="c", label="C")]).nearest(0.25).id
        'a'
        """
        if not 0.0 <= position <= 1.0:
            raise InvalidValueError("position", position, "a number from 0 to 1")
        target = position * (len(self.levels) - 1)
        # Distances are measured in whole steps and rounded, so that a tie in exact arithmetic
        # (0.5 on an eight-level scale) is a tie here too, and goes to the lower level.
        best = min(range(len(self.levels)), key=lambda i: (round(abs(i - target), 9), i))
        return self.levels[best]


def _level_map(value: Mapping[str, str] | Iterable[tuple[str, str]]) -> Mapping[str, str]:
    pairs = value.items() if isinstance(value, Mapping) else value
    return dict(pairs)


def _map_ids(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    mapping: Mapping[str, str] = value  # type: ignore[assignment]
    for key, target in mapping.items():
        if not v.is_valid_id(key):
            raise InvalidValueError(f"{attribute.name}.{key}", key, v.ID_EXPECTED)
        if not v.is_valid_id(target):
            raise InvalidValueError(f"{attribute.name}.{key}", target, v.ID_EXPECTED)


@attrs.frozen
class Crosswalk:
    """A mapping from the levels of one continuum to the levels of another.

    A crosswalk lets calibrations made on different scales be compared. Levels named in
    :attr:`map` go where the map says; every other level goes to the level of the target
    continuum at the nearest position (ties go to the lower level).

    The keyword for the source continuum is ``from_`` because ``from`` is a Python keyword; in
    model files the key is ``from``.

    >>> from socialcouncil.model import Continuum, Level
    >>> three = Continuum(id="three", name="Three", levels=[
    ...     Level(id="low", label="Low"), Level(id="mid", label="Mid"),
    ...     Level(id="high", label="High")])
    >>> five = Continuum(id="five", name="Five", levels=[
    ...     Level(id=f"l{i}", label=f"L{i}") for i in range(1, 6)])
    >>> Crosswalk(from_="three", to="five").mapping(three, five)
    {'low': 'l1', 'mid': 'l3', 'high': 'l5'}
    >>> Crosswalk(from_="three", to="five", map={"mid": "l4"}).translate("mid", three, five).id
    'l4'

    Attributes:
        from_: the id of the continuum the crosswalk reads from.
        to: the id of the continuum it maps onto.
        map: explicit level-to-level pairs, source level id to target level id.
    """

    from_: str = attrs.field(validator=v.an_id)
    to: str = attrs.field(validator=v.an_id)
    map: Mapping[str, str] = attrs.field(
        factory=dict, converter=_level_map, validator=_map_ids, hash=False
    )

    def _require(self, source: Continuum, target: Continuum) -> None:
        if source.id != self.from_:
            raise InvalidValueError("source", source.id, f"the continuum {self.from_!r}")
        if target.id != self.to:
            raise InvalidValueError("target", target.id, f"the continuum {self.to!r}")

    def mapping(self, source: Continuum, target: Continuum) -> dict[str, str]:
        """Every level id of *source* with the level id of *target* it maps to."""
        self._require(source, target)
        return {
            level.id: self.map.get(level.id) or target.nearest(source.position(level.id)).id
            for level in source.levels
        }

    def translate(self, level_id: str, source: Continuum, target: Continuum) -> Level:
        """The level of *target* that *level_id* on *source* corresponds to."""
        self._require(source, target)
        mapped = self.map.get(level_id)
        if mapped is None:
            return target.nearest(source.position(level_id))
        return target.level(mapped)

    def is_monotone(self, source: Continuum, target: Continuum) -> bool:
        """Whether a higher level of *source* never maps to a lower level of *target*.

        Levels the map names but the continua lack are left to the integrity checks; here they
        make the crosswalk not monotone.
        """
        try:
            ranks = [target.rank(t) for t in self.mapping(source, target).values()]
        except UnknownIdError:
            return False
        return all(a <= b for a, b in itertools.pairwise(ranks))
