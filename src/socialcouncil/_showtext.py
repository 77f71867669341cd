"""The text ``socialcouncil show`` prints: a council summarised for a council officer."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from socialcouncil._output import one_line, wrap

if TYPE_CHECKING:
    import datetime
    from collections.abc import Mapping

    from socialcouncil.model import Continuum, Council, Project

__all__ = ["ASCII", "UNICODE", "Marks", "render"]


@attrs.frozen
class Marks:
    """The characters a continuum's strip is drawn with."""

    current: str
    target: str
    other: str
    line: str


UNICODE = Marks(current="●", target="◎", other="○", line="─")
"""The strip as it is meant to look."""
ASCII = Marks(current="*", target="@", other="o", line="-")
"""The strip for output that cannot print the others, such as a cp1252 console."""


def _strip(continuum: Continuum, current: str | None, target: str | None, marks: Marks) -> str:
    """A text strip of the continuum: the current level, the target, and the others."""
    drawn = []
    for level in continuum.levels:
        if level.id == current:
            drawn.append(marks.current)
        elif level.id == target:
            drawn.append(marks.target)
        else:
            drawn.append(marks.other)
    first, last = one_line(continuum.levels[0].label), one_line(continuum.levels[-1].label)
    return f"{first} {marks.line.join(drawn)} {last}"


def _figure(number: float) -> str:
    """A baseline or target as written: whole numbers exactly, however large."""
    if isinstance(number, int):
        return str(number)
    return f"{number:g}"


def _movement_line(project: Project, continuum: Continuum, since: datetime.date | None) -> str:
    """The movement line, or "" when the project has not moved (however that comes about)."""
    if not all(continuum.has_level(c.level) for c in project.calibrations):
        return ""
    movement = project.movement(continuum, since=since)
    # One calibration, a since-date after the last one, or calibrations at the same level:
    # each is no movement, and none prints a line.
    if movement is None or movement.levels == 0:
        return ""
    sign = "+" if movement.levels > 0 else ""
    plural = "s" if abs(movement.levels) != 1 else ""
    return (
        f"    movement: {sign}{movement.levels} level{plural}"
        f" ({sign}{float(movement.position):.2f} of the scale) since {movement.start.date}"
    )


def _project_lines(
    project: Project, continuum: Continuum | None, since: datetime.date | None, marks: Marks
) -> list[str]:
    lines = [f"  {one_line(project.title)} [{project.id}] ({project.status})"]
    if project.summary:
        lines.append(wrap(project.summary, "      "))
    links = [*project.values, *project.priorities, *project.big_moves]
    if links:
        lines.append(wrap(f"linked to: {', '.join(links)}", "        ", first="    "))
    if project.continuum is None:
        lines.append("    not placed on a continuum")
        return lines
    if continuum is None:
        lines.append(f"    on {project.continuum!r}, which is not a known continuum")
        return lines
    current = project.current
    known = current is not None and continuum.has_level(current.level)
    target = (
        project.target_level
        if project.target_level and continuum.has_level(project.target_level)
        else None
    )
    lines.append(f"    on {one_line(continuum.name)} [{continuum.id}]")
    if current is None or not known:
        lines.append("    not yet calibrated")
    else:
        label = one_line(continuum.level(current.level).label)
        lines.append(f"    current: {label} ({current.date})")
    if target is not None:
        lines.append(f"    target: {one_line(continuum.level(target).label)}")
    if current is not None and known:
        movement = _movement_line(project, continuum, since)
        if movement:
            lines.append(movement)
        lines.append(f"    {_strip(continuum, current.level, target, marks)}")
    return lines


def _header_lines(council: Council) -> list[str]:
    title = one_line(council.name) + (f" ({council.gss_code})" if council.gss_code else "")
    lines = [title, "=" * len(title)]
    if council.steering_group:
        lines.append(f"Steering group: {one_line(council.steering_group)}")
    if council.values:
        lines += ["", "Values"]
        for value in council.values:
            lines.append(f"  {one_line(value.name)} [{value.id}]")
            if value.statement:
                lines.append(wrap(value.statement, "      "))
    return lines


def _thread_lines(council: Council) -> list[str]:
    thread = council.thread
    lines = []
    if thread.purpose:
        lines.append(wrap(f"Purpose: {thread.purpose}", "  "))
    if thread.vision:
        lines.append(wrap(f"Vision: {thread.vision}", "  "))
    if thread.priorities:
        lines.append("  Priorities")
    for priority in thread.priorities:
        lines.append(f"    {one_line(priority.name)} [{priority.id}]")
        for outcome in thread.outcomes:
            if outcome.priority == priority.id:
                measures = f" (measures: {', '.join(outcome.measures)})" if outcome.measures else ""
                text = f"outcome: {outcome.name}{measures}"
                lines.append(wrap(text, "        ", first="      "))
    if thread.design_principles:
        lines.append("  Design principles")
    lines += [wrap(p.statement, "      ", first="    - ") for p in thread.design_principles]
    if thread.big_moves:
        lines.append("  Big moves")
    for move in thread.big_moves:
        served = f" (priorities: {', '.join(move.priorities)})" if move.priorities else ""
        lines.append(wrap(f"{move.name} [{move.id}]{served}", "      ", first="    "))
    # A thread with nothing to show has no heading either.
    return ["", "Golden thread", *lines] if lines else []


def _measure_lines(council: Council) -> list[str]:
    lines = ["", "Measures"] if council.measures else []
    for measure in council.measures:
        figures = []
        if measure.baseline is not None:
            figures.append(f"baseline {_figure(measure.baseline)}")
        if measure.target is not None:
            figures.append(f"target {_figure(measure.target)}")
        detail = f"; {', '.join(figures)}" if figures else ""
        better = f"{measure.direction} is better"
        text = f"{measure.name} [{measure.id}]: {measure.unit}, {better}{detail}"
        lines.append(wrap(text, "      ", first="  "))
    return lines


def render(
    council: Council,
    continua: Mapping[str, Continuum],
    since: datetime.date | None = None,
    marks: Marks = UNICODE,
) -> str:
    """The summary of *council*, its projects placed on *continua* (its usable continua).

    Args:
        council: the council.
        continua: the continua its projects may name, from
            :meth:`~socialcouncil.Council.usable_continua`.
        since: measure movement from the calibration in force on this day.
        marks: how to draw each project's strip.
    """
    lines = _header_lines(council) + _thread_lines(council) + _measure_lines(council)
    lines += ["", "Projects"]
    if not council.projects:
        lines.append("  none")
    for project in council.projects:
        continuum = continua.get(project.continuum) if project.continuum else None
        lines += _project_lines(project, continuum, since, marks)
    return "\n".join(lines)
