"""Measurement models: plugins that turn records and the council into results.

A measurement model is a class registered through the ``register_measurement_models`` hook. It
has a unique :attr:`~MeasurementModel.name`, says which record fields it
:attr:`~MeasurementModel.needs` and which indicators it :attr:`~MeasurementModel.yields`, and
turns a :class:`MeasurementContext` (the council, its records, the continua) into
:class:`Result` objects. New facts reach models as new attributes of the context, so the
protocol stays as it is.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, ClassVar, Protocol, runtime_checkable

import attrs

from socialcouncil.model import Continuum, Council, InvalidValueError
from socialcouncil.sources import Record

__all__ = ["MeasurementContext", "MeasurementModel", "Result"]


def _finite(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InvalidValueError(attribute.name, value, "a finite number")


def _dimensions(value: Mapping[str, str]) -> dict[str, str]:
    return dict(value)


@attrs.frozen
class Result:
    """One figure a measurement model produced.

    Attributes:
        model: the name of the measurement model that produced it.
        indicator: what it counts or measures, such as ``"projects"``.
        value: the figure.
        dimensions: what the figure is broken down by, such as
            ``{"continuum": "iap2-spectrum", "level": "involve"}``; empty for a total.
        people: whether the figure counts people, so that published output can apply
            small-number suppression to it.
    """

    model: str
    indicator: str
    value: float = attrs.field(validator=_finite)
    dimensions: Mapping[str, str] = attrs.field(factory=dict, converter=_dimensions, hash=False)
    people: bool = False


@attrs.frozen
class MeasurementContext:
    """Everything a measurement model is given.

    Attributes:
        council: the council measured.
        records: the records read for the model from a data source; empty for a model that
            reads only the council.
        continua: every continuum the council's projects may be placed on, by id, as
            :meth:`Council.usable_continua <socialcouncil.Council.usable_continua>` decides:
            the council's own first, then the registered ones.
    """

    council: Council
    records: Iterable[Record] = ()
    continua: Mapping[str, Continuum] = attrs.field(factory=dict, hash=False)

    @classmethod
    def for_council(
        cls,
        council: Council,
        records: Iterable[Record] = (),
        *,
        registered: Mapping[str, Continuum],
    ) -> MeasurementContext:
        """A context for *council* and *records*, with every continuum the council can use.

        Args:
            council: the council measured.
            records: the records read for the model.
            registered: the continua the plugins register, by id, such as
                :func:`socialcouncil.registered_continua` gives.
        """
        continua = council.usable_continua(registered)
        return cls(council=council, records=records, continua=continua)


@runtime_checkable
class MeasurementModel(Protocol):
    """What a measurement model class offers.

    Attributes:
        name: unique among measurement models.
        description: one sentence on what it measures.
        needs: the record fields it reads; every record given to :meth:`measure` must have
            them. Empty for a model that reads only the council.
        yields: the indicators its results carry.
    """

    name: ClassVar[str]
    description: ClassVar[str]
    needs: ClassVar[tuple[str, ...]]
    yields: ClassVar[tuple[str, ...]]

    def __init__(self, **options: str) -> None:
        """Make the model, with options that tune it (none for most models)."""

    def measure(self, context: MeasurementContext) -> Iterator[Result]:
        """Yield the results for the context's council and records."""
        ...
