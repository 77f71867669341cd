"""Projects, their dated calibrations, and movement along a continuum."""

from __future__ import annotations

import datetime
from typing import Any, Literal, get_args

import attrs

from socialcouncil.model import validators as v
from socialcouncil.model.continuum import Continuum
from socialcouncil.model.errors import InvalidValueError

__all__ = ["Calibration", "Confidence", "Movement", "Project", "Status"]

Status = Literal["proposed", "active", "paused", "completed", "stopped"]
"""Where a project is in its life."""

Confidence = Literal["low", "medium", "high"]
"""How sure the assessor is of a calibration."""

STATUSES: tuple[str, ...] = get_args(Status)
CONFIDENCES: tuple[str, ...] = get_args(Confidence)


def _a_date(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    # A datetime is a date too, but a calibration is a placement on a day, not at an instant.
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        raise InvalidValueError(attribute.name, value, "a date, such as 2025-03-31")


@attrs.frozen
class Calibration:
    """One dated, evidenced placement of a project on its continuum.

    Attributes:
        date: the day the placement was made.
        level: the id of a level of the project's continuum.
        assessor: who made the placement (a person, a panel, the steering group).
        evidence: what the placement rests on: a document, a meeting, a survey.
        confidence: how sure the assessor is.
    """

    date: datetime.date = attrs.field(validator=_a_date)
    level: str = attrs.field(validator=v.an_id)
    assessor: str | None = attrs.field(default=None, validator=v.optional_text)
    evidence: str | None = attrs.field(default=None, validator=v.optional_text)
    confidence: Confidence | None = attrs.field(
        default=None, validator=v.one_of((*CONFIDENCES, None))
    )


@attrs.frozen
class Movement:
    """How far a project has moved along its continuum between two calibrations.

    Its ``str()`` says it in words:

    >>> import datetime
    >>> from socialcouncil.model import Continuum, Level
    >>> ladder = Continuum(id="ladder", name="Ladder", levels=[
    ...     Level(id="inform", label="Inform"), Level(id="consult", label="Consult"),
    ...     Level(id="involve", label="Involve"), Level(id="co-produce", label="Co-produce")])
    >>> p = Project(id="cafe", title="Café", continuum="ladder", calibrations=[
    ...     Calibration(date=datetime.date(2024, 1, 10), level="consult"),
    ...     Calibration(date=datetime.date(2025, 1, 10), level="involve")])
    >>> m = p.movement(ladder)
    >>> print(m)
    up 1 level on 'ladder', from Consult (2024-01-10) to Involve (2025-01-10)
    >>> m.position
    0.3333333333333333

    Attributes:
        start: the calibration moved from.
        end: the calibration moved to (the current one).
        levels: the number of levels moved; negative when the project moved down.
        position: the same movement as a fraction of the whole continuum, from -1.0 to 1.0:
            the float nearest the exact fraction, ``levels / (len(continuum.levels) - 1)``.
        continuum: the continuum moved along, for the level labels; None when not known.
    """

    start: Calibration
    end: Calibration
    levels: int
    position: float
    continuum: Continuum | None = attrs.field(default=None, eq=False, repr=False)

    def _level(self, calibration: Calibration) -> str:
        """The calibration's level by its label where the continuum is known, and its date."""
        name = repr(calibration.level)
        if self.continuum is not None and self.continuum.has_level(calibration.level):
            name = self.continuum.level(calibration.level).label
        return f"{name} ({calibration.date})"

    def __str__(self) -> str:
        on = f" on {self.continuum.id!r}" if self.continuum is not None else ""
        if self.levels == 0:
            if self.start == self.end:
                return f"no movement{on}: one calibration, {self._level(self.end)}"
            return f"no movement{on}: {self._level(self.start)}, still at {self._level(self.end)}"
        way = "up" if self.levels > 0 else "down"
        count = abs(self.levels)
        steps = f"{count} level{'s' if count != 1 else ''}"
        return f"{way} {steps}{on}, from {self._level(self.start)} to {self._level(self.end)}"


@attrs.frozen
class Project:
    """An initiative or service redesign, linked to values, priorities and big moves.

    >>> import datetime
    >>> from socialcouncil.model import Continuum, Level
    >>> ladder = Continuum(id="ladder", name="Ladder", levels=[
    ...     Level(id="inform", label="Inform"), Level(id="consult", label="Consult"),
    ...     Level(id="co-produce", label="Co-produce")])
    >>> p = Project(id="cafe", title="Solihull Café", continuum="ladder", calibrations=[
    ...     Calibration(date=datetime.date(2024, 1, 10), level="inform"),
    ...     Calibration(date=datetime.date(2025, 1, 10), level="co-produce")])
    >>> p.current.level
    'co-produce'
    >>> m = p.movement(ladder)
    >>> m.levels, m.position
    (2, 1.0)

    Attributes:
        id: unique among the council's projects.
        title: its name.
        summary: what it is, in a sentence or two.
        owner: who is responsible for it.
        status: where it is in its life.
        values: ids of the values it pursues.
        priorities: ids of the golden thread's priorities it serves.
        big_moves: ids of the golden thread's big moves it belongs to.
        continuum: the id of the continuum its relationship with the public is placed on: one of
            the council's own or one a plugin provides.
        target_level: the level of that continuum it aims for.
        calibrations: its placements on that continuum, in any order.
    """

    id: str = attrs.field(validator=v.an_id)
    title: str = attrs.field(validator=v.text)
    summary: str | None = attrs.field(default=None, validator=v.optional_text)
    owner: str | None = attrs.field(default=None, validator=v.optional_text)
    status: Status = attrs.field(default="active", validator=v.one_of(STATUSES))
    values: tuple[str, ...] = attrs.field(default=(), converter=v.as_tuple, validator=v.ids)
    priorities: tuple[str, ...] = attrs.field(default=(), converter=v.as_tuple, validator=v.ids)
    big_moves: tuple[str, ...] = attrs.field(default=(), converter=v.as_tuple, validator=v.ids)
    continuum: str | None = attrs.field(default=None, validator=v.optional_id)
    target_level: str | None = attrs.field(default=None, validator=v.optional_id)
    calibrations: tuple[Calibration, ...] = attrs.field(default=(), converter=v.as_tuple)

    @property
    def current(self) -> Calibration | None:
        """The latest calibration by date (the later one in the file on a tie), or None."""
        latest: Calibration | None = None
        for calibration in self.calibrations:
            if latest is None or calibration.date >= latest.date:
                latest = calibration
        return latest

    def calibration_on(self, day: datetime.date) -> Calibration | None:
        """The calibration in force on *day*: the latest made on or before it, or None."""
        found: Calibration | None = None
        for calibration in self.calibrations:
            if calibration.date <= day and (found is None or calibration.date >= found.date):
                found = calibration
        return found

    def movement(self, continuum: Continuum, since: datetime.date | None = None) -> Movement | None:
        """How far the project has moved on *continuum* up to its current calibration.

        Movement is measured from the calibration in force on *since* (if none was made by then,
        from the earliest calibration), or from the earliest calibration when *since* is not
        given. None when the project has no calibrations.

        Raises:
            UnknownIdError: when a calibration's level is not a level of *continuum*.
        """
        end = self.current
        if end is None:
            return None
        start = self.calibration_on(since) if since is not None else None
        if start is None:
            start = min(self.calibrations, key=lambda c: c.date)
        levels = continuum.rank(end.level) - continuum.rank(start.level)
        # One division, so that the position is the float nearest the exact fraction (1/3 of a
        # scale, not the 0.33333333333333337 a difference of two positions gives).
        position = levels / (len(continuum.levels) - 1)
        return Movement(start=start, end=end, levels=levels, position=position, continuum=continuum)
