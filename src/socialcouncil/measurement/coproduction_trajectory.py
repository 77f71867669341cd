"""The built-in ``coproduction-trajectory`` model: how the council's projects move over time.

Solihull describes its aim as moving "from communicative to fully co-productive". This model
shows that movement for the council as a whole: period by period, where its projects stood on
each continuum, on average, from the first calibration to the last.
"""

from __future__ import annotations

import datetime
import math
from typing import TYPE_CHECKING, Any, ClassVar, get_args

from socialcouncil.hookspecs import hookimpl
from socialcouncil.measurement import Field, Indicator, Option
from socialcouncil.model import InvalidValueError, PeriodKind

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

    from socialcouncil.measurement import MeasurementContext
    from socialcouncil.model import Calibration, Continuum, Project

__all__ = ["CoproductionTrajectory", "register_measurement_models"]

_KINDS: tuple[str, ...] = get_args(PeriodKind)
# Each kind of period: how many months it spans, and the month the year of them starts in.
_SPAN = {"month": (1, 1), "quarter": (3, 1), "year": (12, 1), "financial-year": (12, 4)}


def _start(day: datetime.date, kind: str) -> datetime.date:
    """The first day of the period of *kind* that *day* falls in."""
    months, anchor = _SPAN[kind]
    index = (day.year * 12 + day.month - anchor) // months * months + anchor
    year, month = divmod(index - 1, 12)
    return datetime.date(year, month + 1, 1)


def _after(start: datetime.date, kind: str) -> datetime.date:
    """The first day of the period after the one that starts on *start*."""
    months, _ = _SPAN[kind]
    year, month = divmod(start.year * 12 + start.month - 1 + months, 12)
    return datetime.date(year, month + 1, 1)


def _label(start: datetime.date, kind: str) -> str:
    """The period's name: ``2025-03``, ``2025-Q1``, ``2025`` or ``2025/26``."""
    if kind == "month":
        return f"{start.year:04d}-{start.month:02d}"
    if kind == "quarter":
        return f"{start.year:04d}-Q{(start.month - 1) // 3 + 1}"
    if kind == "year":
        return f"{start.year:04d}"
    return f"{start.year:04d}/{(start.year + 1) % 100:02d}"


def periods(
    first: datetime.date, last: datetime.date, kind: str
) -> Iterator[tuple[str, datetime.date]]:
    """Each period of *kind* from the one *first* falls in to the one *last* falls in.

    Each comes with its name and its last day.

    >>> [name for name, _ in periods(datetime.date(2025, 2, 1), datetime.date(2025, 7, 1),
    ...                             "quarter")]
    ['2025-Q1', '2025-Q2', '2025-Q3']
    >>> list(periods(datetime.date(2025, 3, 31), datetime.date(2025, 4, 1), "financial-year"))
    [('2024/25', datetime.date(2025, 3, 31)), ('2025/26', datetime.date(2026, 3, 31))]
    """
    start = _start(first, kind)
    while start <= last:
        following = _after(start, kind)
        yield _label(start, kind), following - datetime.timedelta(days=1)
        start = following


class CoproductionTrajectory:
    """The mean position of the council's projects on each continuum, period by period.

    For each period from the one holding the council's first calibration to the one holding
    its last, and for each continuum its projects are placed on, ``mean-position`` is the mean
    of the positions (0 for the lowest level, 1 for the highest, as
    :meth:`Continuum.position <socialcouncil.Continuum.position>` gives them) of the projects'
    latest calibration made on or before the last day of the period, and ``projects`` is the
    number of projects that had one. A project counts from its first calibration on; once
    calibrated it counts in every later period, at its latest level. Results have the
    dimensions ``continuum`` and ``period``; ``n`` is the number of projects.

    Projects whose continuum is not known, and calibrations on a level their continuum does
    not have, are left out here: the integrity checks report them (``unknown-continuum``,
    ``unknown-level``). A period in which no project on a continuum had been calibrated yet
    has no figures for it.

    The option ``period`` is ``"month"``, ``"quarter"`` (the default: councils calibrate a
    few times a year), ``"year"`` or ``"financial-year"`` (April to March).

    >>> import datetime
    >>> from socialcouncil import Calibration, Council, Project
    >>> council = Council(name="Demo", projects=[
    ...     Project(id="cafe", title="Café", continuum="iap2-spectrum", calibrations=[
    ...         Calibration(date=datetime.date(2025, 1, 10), level="inform"),
    ...         Calibration(date=datetime.date(2025, 5, 1), level="involve")])])
    >>> from socialcouncil import registered_continua
    >>> from socialcouncil.measurement import MeasurementContext
    >>> context = MeasurementContext.for_council(council, registered=registered_continua())
    >>> frame = CoproductionTrajectory().compute(context, ())
    >>> frame.filter(indicator="mean-position").select("period", "value").rows()
    [('2025-Q1', 0.0), ('2025-Q2', 0.5)]
    """

    name: ClassVar[str] = "coproduction-trajectory"
    description: ClassVar[str] = (
        "The mean position of the projects on each continuum, period by period, from the "
        "first calibration to the last."
    )
    inputs: ClassVar[Mapping[str, tuple[Field, ...]]] = {}
    options: ClassVar[tuple[Option, ...]] = (
        Option(
            "period",
            "The periods to follow: month, quarter, year or financial-year (April to March).",
            "quarter",
        ),
    )
    indicators: ClassVar[tuple[Indicator, ...]] = (
        Indicator(
            "mean-position",
            "mean",
            "position from 0 to 1",
            people=False,
            description=(
                "The mean position of the projects' latest calibration by the end of the "
                "period: 0 for the lowest level, 1 for the highest."
            ),
        ),
        Indicator(
            "projects",
            "count",
            "projects",
            people=False,
            description="The projects calibrated on the continuum by the end of the period.",
        ),
    )
    headline: ClassVar[str] = "mean-position"

    def __init__(self, **options: object) -> None:
        unknown = sorted(set(options) - {"period"})
        if unknown:
            raise InvalidValueError(f"options.{unknown[0]}", options[unknown[0]], "no option")
        period = options.get("period", "quarter")
        if period not in _KINDS:
            expected = "one of " + ", ".join(repr(k) for k in _KINDS)
            raise InvalidValueError("options.period", period, expected)
        self.period: str = str(period)

    def compute(self, context: MeasurementContext, keys: Sequence[str]) -> Any:
        """The trajectory of the context's council, as one Polars frame; it reads no tables.

        The columns are ``indicator``, ``value``, ``n``, ``continuum`` and ``period``. The
        council has no rows to break down, so *keys* must be empty.
        """
        import polars as pl

        if keys:
            raise ValueError(f"{self.name} reads only the council; it has no {', '.join(keys)}")
        schema = {
            "indicator": pl.String,
            "value": pl.Float64,
            "n": pl.Int64,
            "continuum": pl.String,
            "period": pl.String,
        }
        return pl.DataFrame(list(self._figures(context)), schema=schema, orient="row")

    def _figures(self, context: MeasurementContext) -> Iterator[tuple[Any, ...]]:
        placed = _placed(context.council.projects, context.continua)
        days = [c.date for _, _, calibrations in placed for c in calibrations]
        if not days:
            return
        on = list(dict.fromkeys(continuum.id for _, continuum, _ in placed))
        for name, last_day in periods(min(days), max(days), self.period):
            for continuum_id in on:
                positions = [
                    continuum.position(latest.level)
                    for _, continuum, calibrations in placed
                    if continuum.id == continuum_id
                    and (latest := _latest(calibrations, last_day)) is not None
                ]
                if positions:
                    count = len(positions)
                    # fsum is exact, so the mean does not depend on the order of the projects.
                    mean = math.fsum(positions) / count
                    yield ("mean-position", mean, count, continuum_id, name)
                    yield ("projects", float(count), count, continuum_id, name)


def _placed(
    projects: Sequence[Project], continua: Mapping[str, Continuum]
) -> list[tuple[Project, Continuum, list[Calibration]]]:
    """Each project on a known continuum, with its calibrations on that continuum's levels."""
    found = []
    for project in projects:
        continuum = continua.get(project.continuum) if project.continuum else None
        if continuum is None:
            continue
        calibrations = [c for c in project.calibrations if continuum.has_level(c.level)]
        if calibrations:
            found.append((project, continuum, calibrations))
    return found


def _latest(calibrations: Sequence[Calibration], day: datetime.date) -> Calibration | None:
    """The latest calibration made on or before *day* (the later in the file on a tie)."""
    found: Calibration | None = None
    for calibration in calibrations:
        if calibration.date <= day and (found is None or calibration.date >= found.date):
            found = calibration
    return found


@hookimpl
def register_measurement_models() -> list[type[CoproductionTrajectory]]:
    """Register the coproduction-trajectory model."""
    return [CoproductionTrajectory]
