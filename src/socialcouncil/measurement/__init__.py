"""Measurement models: plugins that turn tables of data and the council into results.

A measurement model is a class registered through the ``register_measurement_models`` hook. It
has a unique :attr:`~MeasurementModel.name`, declares the :attr:`~MeasurementModel.inputs` it
reads (each a tuple of :class:`Field`), its :attr:`~MeasurementModel.options`, the
:attr:`~MeasurementModel.indicators` it yields and its :attr:`~MeasurementModel.headline`, and
:meth:`~MeasurementModel.compute` turns a :class:`MeasurementContext` (the council, the valid
rows of its inputs as Narwhals frames, the continua, the options) into one long frame of
figures, which the core makes into :class:`Result` objects. The core validates the rows, breaks
the figures down by the measure's ``by`` fields and ``period``, and fills in what every result
shares, so a model only groups by the keys it is given. New facts reach models as new
attributes of the context, so the protocol stays as it is.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Literal, Protocol, runtime_checkable

import attrs

from socialcouncil.model import Continuum, Council, InvalidValueError

__all__ = [
    "Field",
    "FieldType",
    "Indicator",
    "IndicatorKind",
    "MeasurementContext",
    "MeasurementModel",
    "Option",
    "Result",
]

FieldType = Literal["integer", "number", "string", "date", "boolean"]
"""The type of a model's field, to which the core converts a source's column before the model
sees it: whole numbers, numbers, text, calendar dates or true/false."""

IndicatorKind = Literal["count", "percent", "mean", "index"]
"""What kind of figure an indicator is, so that publishing can suppress and round it."""


@attrs.frozen
class Field:
    """A column a measurement model reads, with the values it accepts.

    Every row whose cell breaks these is reported by its row number before the model runs. An
    empty cell is never an error: surveys have gaps, and each model says how it counts them.

    Attributes:
        name: the field's name, which a measure's ``columns`` maps to a source's column.
        type: what the cells must hold.
        required: whether the source must have the column at all.
        minimum: the smallest value allowed, for numbers.
        maximum: the largest value allowed, for numbers.
        allowed: the only values allowed, for text.
        description: what the field holds, in one sentence.
    """

    name: str
    type: FieldType
    required: bool = True
    minimum: float | None = None
    maximum: float | None = None
    allowed: tuple[str, ...] | None = None
    description: str = ""


@attrs.frozen
class Indicator:
    """One kind of figure a measurement model yields.

    Attributes:
        name: how results name it, such as ``"mean-metric-score"``; the contract of the model.
        kind: ``"count"``, ``"percent"``, ``"mean"`` or ``"index"``.
        unit: what its values are in, such as ``"people"`` or ``"metric score"``.
        people: whether its figures stand on people (so that publishing suppresses those on
            too few), rather than on records such as ties or exchanges.
        description: what it is, in one sentence.
    """

    name: str
    kind: IndicatorKind
    unit: str
    people: bool
    description: str = ""


@attrs.frozen
class Option:
    """An option a measurement model takes from a measure's ``options``.

    Attributes:
        name: the option's key.
        description: what it does, in one sentence.
        default: its value when the measure does not give one.
    """

    name: str
    description: str
    default: object = None


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
        people: whether the figure stands on people, so that published output can apply
            small-number suppression to it.
        measure: the id of the measure it is for; the core fills it in.
        n: the number of distinct people behind the figure where people stand behind it,
            otherwise the number of records; for a percent, the count it is a share of.
        kind: the indicator's kind (see :class:`Indicator`).
        unit: the indicator's unit.
    """

    model: str
    indicator: str
    value: float = attrs.field(validator=_finite)
    dimensions: Mapping[str, str] = attrs.field(factory=dict, converter=_dimensions, hash=False)
    people: bool = False
    measure: str | None = attrs.field(default=None, kw_only=True)
    n: int | None = attrs.field(default=None, kw_only=True)
    kind: IndicatorKind | None = attrs.field(default=None, kw_only=True)
    unit: str | None = attrs.field(default=None, kw_only=True)


@attrs.frozen
class MeasurementContext:
    """Everything a measurement model is given.

    Attributes:
        council: the council measured.
        continua: every continuum the council's projects may be placed on, by id, as
            :meth:`Council.usable_continua <socialcouncil.Council.usable_continua>` decides:
            the council's own first, then the registered ones.
        tables: the model's inputs by name (``"data"`` for a model with one input), each a
            Narwhals lazy frame of the valid rows only, its columns renamed to the model's
            field names and converted to their types (integer ``Int64``, number ``Float64``,
            string ``String``, date ``Date``, boolean ``Boolean``; an optional field the source
            lacks is not a column at all), with the row-number column
            :data:`~socialcouncil.ROW` and the columns of the keys results are broken down by
            (each ``by`` field, as text, and ``period``). Empty for a model that reads only the
            council.
        options: the measure's options for the model.
    """

    council: Council
    continua: Mapping[str, Continuum] = attrs.field(factory=dict, hash=False)
    tables: Mapping[str, Any] = attrs.field(factory=dict, hash=False, kw_only=True)
    options: Mapping[str, object] = attrs.field(factory=dict, hash=False, kw_only=True)

    @classmethod
    def for_council(
        cls,
        council: Council,
        *,
        registered: Mapping[str, Continuum],
        tables: Mapping[str, Any] | None = None,
        options: Mapping[str, object] | None = None,
    ) -> MeasurementContext:
        """A context for *council*, with every continuum the council can use.

        Args:
            council: the council measured.
            registered: the continua the plugins register, by id, such as
                :func:`socialcouncil.registered_continua` gives.
            tables: the model's inputs by name, as :attr:`tables` describes them.
            options: the measure's options for the model.
        """
        continua = council.usable_continua(registered)
        return cls(
            council=council,
            continua=continua,
            tables=dict(tables or {}),
            options=dict(options or {}),
        )


@runtime_checkable
class MeasurementModel(Protocol):
    """What a measurement model class offers (plugin API version 2).

    A model computes its figures with Narwhals expressions, so that one model runs on every
    engine Narwhals supports (Polars, pandas, PyArrow, DuckDB, PySpark). Two members are
    optional:

    - ``person_fields``, a class attribute: for a model with several inputs, the inputs whose
      rows are people, each with the field that names the person, such as
      ``{"people": "person"}``. A measure's ``by`` fields are columns of those inputs. Without
      it, ``by`` fields are columns of every input.
    - ``invalid_rows(self, context)``, returning a frame with the columns
      :data:`~socialcouncil.ROW`, ``input``, ``field`` and ``message``: the rows that break a
      rule across fields or inputs (a timebank exchange from a member to themself, say). The
      core reports each as a :class:`~socialcouncil.Problem` and leaves those rows out before
      :meth:`compute`, as it does rows with a bad cell. A message reads "found ..., expected
      ..."; what follows "expected" is the problem's ``expected``, which a history store
      keeps (never the message, which quotes the cell), unless the frame has an
      ``expected`` column of its own.

    Attributes:
        name: unique among measurement models.
        description: one sentence on what it measures.
        inputs: the tables it reads, by input name, each with its fields: ``"data"`` for a
            model with one input; empty for a model that reads only the council.
        options: the options a measure may give it.
        indicators: the indicators its results carry.
        headline: the name of the indicator that sums the measure up, one of
            :attr:`indicators`; a measure's ``headline`` may name another.
    """

    name: ClassVar[str]
    description: ClassVar[str]
    inputs: ClassVar[Mapping[str, tuple[Field, ...]]]
    options: ClassVar[tuple[Option, ...]]
    indicators: ClassVar[tuple[Indicator, ...]]
    headline: ClassVar[str]

    def __init__(self, **options: object) -> None:
        """Make the model with a measure's options.

        Raises:
            InvalidValueError: when an option has a value the model cannot use.
        """

    def compute(self, context: MeasurementContext, keys: Sequence[str]) -> Any:
        """The figures for the context's tables, one row per figure for each group of *keys*.

        Args:
            context: the council, the valid rows of each input, the continua and the options.
            keys: the columns to group by (each present in the tables that have them); empty
                for one figure per indicator and dimension over everything.

        Returns:
            One long frame (Narwhals or native, eager or lazy) with the columns
            ``[*keys, "indicator", "value", "n", *dimensions]``: ``value`` a number, ``n`` a
            whole number (distinct people where people stand behind the figure, otherwise
            records; for a percent the count it is a share of), and each model dimension (such
            as ``item``) text, null where a figure has none. A figure that is undefined, such
            as the standard deviation of one response, has no row.
        """
        ...
