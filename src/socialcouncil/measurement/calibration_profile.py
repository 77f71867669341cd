"""The built-in ``calibration-profile`` model: where the council's projects stand.

It counts projects by the level of their current calibration on each continuum, and the same
again for each value the projects pursue, so that a council can see the shape of its
relationship with the public and how each value is lived.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any, ClassVar

from socialcouncil.hookspecs import hookimpl
from socialcouncil.measurement import Field, Indicator, Option

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

    from socialcouncil.measurement import MeasurementContext

__all__ = ["CalibrationProfile", "register_measurement_models"]


class CalibrationProfile:
    """Projects per level of each continuum, and per value and level.

    Only projects with a continuum and at least one calibration are counted, each once, at the
    level of its current calibration. Results carry the indicator ``projects`` with dimensions
    ``continuum`` and ``level``, and ``projects-by-value`` with ``council-value`` (the value's
    id), ``continuum`` and ``level``. Every level of every continuum in use appears, with 0
    where no project stands, so a profile always shows the whole scale.

    >>> from socialcouncil import Calibration, Council, Project
    >>> import datetime
    >>> council = Council(name="Demo", projects=[
    ...     Project(id="cafe", title="Café", continuum="iap2-spectrum", values=["voice"],
    ...             calibrations=[Calibration(date=datetime.date(2025, 1, 1), level="involve")])])
    >>> from socialcouncil import registered_continua
    >>> from socialcouncil.measurement import MeasurementContext
    >>> context = MeasurementContext.for_council(council, registered=registered_continua())
    >>> rows = CalibrationProfile().compute(context, ()).filter(indicator="projects")
    >>> list(zip(rows["level"], rows["value"]))
    [('inform', 0.0), ('consult', 0.0), ('involve', 1.0), ('collaborate', 0.0), ('empower', 0.0)]
    """

    name: ClassVar[str] = "calibration-profile"
    description: ClassVar[str] = (
        "Projects by the level of their current calibration, on each continuum and per value."
    )
    inputs: ClassVar[Mapping[str, tuple[Field, ...]]] = {}
    options: ClassVar[tuple[Option, ...]] = ()
    indicators: ClassVar[tuple[Indicator, ...]] = (
        Indicator(
            "projects",
            "count",
            "projects",
            people=False,
            description="Projects at each level of a continuum.",
        ),
        Indicator(
            "projects-by-value",
            "count",
            "projects",
            people=False,
            description="Projects pursuing a value at each level of a continuum.",
        ),
    )
    headline: ClassVar[str] = "projects"

    def __init__(self, **options: object) -> None:
        if options:
            raise TypeError(f"{self.name} takes no options; found {', '.join(options)}")

    def compute(self, context: MeasurementContext, keys: Sequence[str]) -> Any:
        """The profile of the context's council, as a Polars frame; it reads no tables.

        The council has no rows to break down, so *keys* must be empty.
        """
        import polars as pl

        if keys:
            raise ValueError(f"{self.name} reads only the council; it has no {', '.join(keys)}")
        rows = list(self._figures(context))
        schema = {
            "indicator": pl.String,
            "value": pl.Float64,
            "n": pl.Int64,
            "continuum": pl.String,
            "level": pl.String,
            "council-value": pl.String,
        }
        return pl.DataFrame(rows, schema=schema, orient="row")

    def _figures(self, context: MeasurementContext) -> Iterator[tuple[Any, ...]]:
        """Each figure as a row: indicator, value, n, continuum, level, council value."""
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
                count = by_level[continuum_id, level]
                yield ("projects", float(count), count, continuum_id, level, None)
            for value in values:
                for level in levels:
                    count = by_value[value, continuum_id, level]
                    yield ("projects-by-value", float(count), count, continuum_id, level, value)


@hookimpl
def register_measurement_models() -> list[type[CalibrationProfile]]:
    """Register the calibration-profile model."""
    return [CalibrationProfile]
