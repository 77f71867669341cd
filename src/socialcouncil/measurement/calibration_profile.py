"""The built-in ``calibration-profile`` model: where the council's projects stand.

It counts projects by the level of their current calibration on each continuum, and the same
again for each value the projects pursue, so that a council can see the shape of its
relationship with the public and how each value is lived.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, ClassVar

from socialcouncil.hookspecs import hookimpl
from socialcouncil.measurement import Result

if TYPE_CHECKING:
    from collections.abc import Iterator

    from socialcouncil.measurement import MeasurementContext

__all__ = ["CalibrationProfile", "register_measurement_models"]


class CalibrationProfile:
    """Projects per level of each continuum, and per value and level.

    Only projects with a continuum and at least one calibration are counted, each once, at the
    level of its current calibration. Results carry the indicator ``projects`` with dimensions
    ``continuum`` and ``level``, and ``projects-by-value`` with ``value``, ``continuum`` and
    ``level``. Every level of every continuum in use appears, with 0 where no project stands,
    so a profile always shows the whole scale.

    >>> from socialcouncil import Calibration, Council, Project
    >>> import datetime
    >>> council = Council(name="Demo", projects=[
    ...     Project(id="cafe", title="Café", continuum="iap2-spectrum", values=["voice"],
    ...             calibrations=[Calibration(date=datetime.date(2025, 1, 1), level="involve")])])
    >>> from socialcouncil import registered_continua
    >>> from socialcouncil.measurement import MeasurementContext
    >>> context = MeasurementContext.for_council(council, registered=registered_continua())
    >>> results = CalibrationProfile().measure(context)
    >>> [(r.dimensions["level"], r.value) for r in results if r.indicator == "projects"]
    [('inform', 0), ('consult', 0), ('involve', 1), ('collaborate', 0), ('empower', 0)]
    """

    name: ClassVar[str] = "calibration-profile"
    description: ClassVar[str] = (
        "Projects by the level of their current calibration, on each continuum and per value."
    )
    needs: ClassVar[tuple[str, ...]] = ()
    yields: ClassVar[tuple[str, ...]] = ("projects", "projects-by-value")

    def __init__(self, **options: str) -> None:
        if options:
            raise TypeError(f"{self.name} takes no options; found {', '.join(options)}")

    def measure(self, context: MeasurementContext) -> Iterator[Result]:
        """Yield the profile of the context's council; the model reads no records."""
        council = context.council
        by_level: Counter[tuple[str, str]] = Counter()
        by_value: Counter[tuple[str, str, str]] = Counter()
        in_use: dict[str, None] = {}
        for project in council.projects:
            current = project.current
            if project.continuum is None or current is None:
                continue
            in_use[project.continuum] = None
            by_level[project.continuum, current.level] += 1
            for value in dict.fromkeys(project.values):
                by_value[value, project.continuum, current.level] += 1
        values = list(dict.fromkeys(v for v, _, _ in by_value))
        for continuum_id in in_use:
            continuum = context.continua.get(continuum_id)
            # A continuum no one registers still has its levels counted, in the order found.
            levels = (
                list(continuum.level_ids)
                if continuum is not None
                else list(dict.fromkeys(lv for c, lv in by_level if c == continuum_id))
            )
            for level in levels:
                yield Result(
                    self.name,
                    "projects",
                    by_level[continuum_id, level],
                    {"continuum": continuum_id, "level": level},
                )
            for value in values:
                for level in levels:
                    yield Result(
                        self.name,
                        "projects-by-value",
                        by_value[value, continuum_id, level],
                        {"value": value, "continuum": continuum_id, "level": level},
                    )


@hookimpl
def register_measurement_models() -> list[type[CalibrationProfile]]:
    """Register the calibration-profile model."""
    return [CalibrationProfile]
