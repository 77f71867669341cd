"""The built-in ``observed`` model: the figures of a measure tracked by hand, as results.

A measure with no ``model`` keeps its figures in ``[[measures.observations]]``, as they were
recorded elsewhere (a return to government, a partner's annual report). This model turns them
into results like any other model's, so that reports, exports and the history store treat
both alike.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, ClassVar

from socialcouncil.hookspecs import hookimpl
from socialcouncil.measurement import Field, Indicator, IndicatorKind, Option
from socialcouncil.model import InvalidValueError, is_valid_id

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from socialcouncil.measurement import MeasurementContext

__all__ = ["Observed", "kind_for", "register_measurement_models"]

_PERCENT = re.compile(r"percent|per cent|percentage|%", re.IGNORECASE)


def kind_for(unit: str) -> IndicatorKind:
    """The kind of a hand-kept figure in *unit*: ``"percent"`` when the unit says so.

    Any other unit is a ``"count"``: a figure recorded elsewhere is most often a number of
    people, places or events, and a count is what publishing treats most carefully.

    >>> kind_for("percent"), kind_for("% of residents"), kind_for("people")
    ('percent', 'percent', 'count')
    """
    return "percent" if _PERCENT.search(unit) else "count"


class Observed:
    """A measure's observations as results: indicator ``value``, one per observation.

    Each result has the dimension ``period`` (``2025-03``, ``2025-Q1``, ``2025`` or
    ``2025/26``, as recorded) and ``area`` where the observation names one, and the
    observation's ``n`` where it gives one. An observation without a value is left out. The
    model reads only the council: its option ``measure`` names the measure whose observations
    it yields (the core gives it the measure's own id). The kind of the figures follows the
    measure's unit (:func:`kind_for`): ``"percent"`` when the unit says percent, otherwise
    ``"count"``; the indicator declares ``"count"``.

    >>> from socialcouncil import Council, Measure, Observation
    >>> council = Council(name="Demo", measures=[Measure(id="volunteers", name="Volunteers",
    ...     unit="people", observations=[Observation(period="2025/26", value=412, n=412)])])
    >>> from socialcouncil.measurement import MeasurementContext
    >>> frame = Observed(measure="volunteers").compute(MeasurementContext(council), ())
    >>> frame.rows()
    [('value', 412.0, 412, '2025/26', None)]
    """

    name: ClassVar[str] = "observed"
    description: ClassVar[str] = (
        "The figures of a measure tracked by hand, as they were recorded elsewhere."
    )
    inputs: ClassVar[Mapping[str, tuple[Field, ...]]] = {}
    options: ClassVar[tuple[Option, ...]] = (
        Option("measure", "The id of the measure whose observations are the results."),
    )
    indicators: ClassVar[tuple[Indicator, ...]] = (
        Indicator(
            "value",
            "count",
            "the measure's unit",
            people=False,
            description="A figure as it was recorded, for its period and area.",
        ),
    )
    headline: ClassVar[str] = "value"

    def __init__(self, **options: object) -> None:
        unknown = sorted(set(options) - {"measure"})
        if unknown:
            raise InvalidValueError(f"options.{unknown[0]}", options[unknown[0]], "no option")
        measure = options.get("measure")
        if not is_valid_id(measure):
            raise InvalidValueError("options.measure", measure, "the id of a measure")
        self.measure: str = str(measure)

    def compute(self, context: MeasurementContext, keys: Sequence[str]) -> Any:
        """The measure's observations as one Polars frame, one row per observation with a value.

        The columns are ``indicator``, ``value``, ``n``, ``period`` and ``area``. The council
        has no rows to break down, so *keys* must be empty.

        Raises:
            UnknownIdError: when the council has no measure with the id of option ``measure``.
        """
        import polars as pl

        if keys:
            raise ValueError(f"{self.name} reads only the council; it has no {', '.join(keys)}")
        measure = context.council.measure(self.measure)
        rows = [
            ("value", float(o.value), o.n, o.period, o.area)
            for o in measure.observations
            if o.value is not None
        ]
        schema = {
            "indicator": pl.String,
            "value": pl.Float64,
            "n": pl.Int64,
            "period": pl.String,
            "area": pl.String,
        }
        return pl.DataFrame(rows, schema=schema, orient="row")


@hookimpl
def register_measurement_models() -> list[type[Observed]]:
    """Register the observed model."""
    return [Observed]
