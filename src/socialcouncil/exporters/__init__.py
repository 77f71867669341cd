"""Exporters: plugins that write a council and its results somewhere.

An exporter is a class registered through the ``register_exporters`` hook. It has a unique
:attr:`~Exporter.name`, the file :attr:`~Exporter.suffix` it writes, and says whether what it
writes leaves the council (:attr:`~Exporter.publishes`). It writes an :class:`ExportContext`
(the council, its figures and where they came from) to a destination. Exporters write files
atomically: a file is whole, or untouched.

The figures an exporter is given are :class:`Figure` objects, not raw results: for an exporter
that publishes, disclosure control has already been applied to them, in one place, before the
exporter runs (:mod:`socialcouncil.exporters.disclosure`). A suppressed figure has no value and
no ``n``, so an exporter cannot reveal what it does not hold. The same holds of the figures of
the runs a history store kept, which an exporter is given as :class:`Trend` objects: each
stored run's figures go through the same disclosure control, under the council's
``[publishing]`` settings of today.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, ClassVar, Literal, Protocol, runtime_checkable

import attrs

from socialcouncil.measurement import IndicatorKind, Result
from socialcouncil.model import Continuum, Council
from socialcouncil.model.validators import as_tuple

if TYPE_CHECKING:
    from pathlib import Path

    # Only a type here: sections.py imports this module, and no converter reads the context.
    from socialcouncil.exporters.sections import Section  # noqa: TC004
    from socialcouncil.store import LogEntry, RunSummary  # noqa: TC004 - likewise

__all__ = [
    "SUPPRESSED",
    "ExportContext",
    "Exporter",
    "Figure",
    "SourceRecord",
    "Suppression",
    "Trend",
    "TrendPoint",
]

SUPPRESSED = "[c]"
"""How a suppressed figure is published: the Government Statistical Service's shorthand for a
confidential value."""

Suppression = Literal["primary", "secondary"]
"""Why a figure was suppressed: ``"primary"`` when it stands on fewer people than the council's
``suppress_below``; ``"secondary"`` when publishing it would let a suppressed figure be worked
out by subtraction from a total and the figures beside it."""


def _dimensions(value: Mapping[str, str]) -> dict[str, str]:
    return dict(value)


@attrs.frozen
class Figure:
    """One result as an exporter writes it.

    For an exporter that publishes, this is the result after disclosure control: a suppressed
    figure has ``value`` and ``n`` of ``None``, and a rounded one holds the rounded numbers.
    For one that does not (``results-json``), every figure is as it was measured.

    Attributes:
        measure: the id of the measure it is for.
        model: the measurement model that produced it.
        indicator: what it counts or measures.
        value: the figure, or ``None`` where it is suppressed.
        n: the people (or records) it stands on, or ``None`` where that is suppressed or
            unknown.
        dimensions: what it is broken down by; empty for a total.
        kind: the indicator's kind: ``"count"``, ``"percent"``, ``"mean"`` or ``"index"``.
        unit: the indicator's unit.
        people: whether it stands on people, so that disclosure control applies to it.
        suppressed: why it is suppressed (see :data:`Suppression`), or ``None`` where it is
            published.
        rounded: whether ``value`` and ``n`` were rounded by the council's ``round_to``.
    """

    measure: str | None
    model: str
    indicator: str
    value: float | None
    n: int | None = None
    dimensions: Mapping[str, str] = attrs.field(factory=dict, converter=_dimensions, hash=False)
    kind: IndicatorKind | None = attrs.field(default=None, kw_only=True)
    unit: str | None = attrs.field(default=None, kw_only=True)
    people: bool = attrs.field(default=False, kw_only=True)
    suppressed: Suppression | None = attrs.field(default=None, kw_only=True)
    rounded: bool = attrs.field(default=False, kw_only=True)

    @classmethod
    def of(cls, result: Result) -> Figure:
        """The figure of *result* exactly as it was measured, with no disclosure control."""
        return cls(
            measure=result.measure,
            model=result.model,
            indicator=result.indicator,
            value=float(result.value),
            n=result.n,
            dimensions=result.dimensions,
            kind=result.kind,
            unit=result.unit,
            people=result.people,
        )


@attrs.frozen
class SourceRecord:
    """Where a council's figures came from: one ``[[sources]]`` entry as it was read.

    Attributes:
        id: the source's id in the model file.
        type: the data source that read it, such as ``"csv"``.
        location: where it is, as the model file writes it.
        fingerprint: the SHA-256 of the bytes read, as 64 hexadecimal digits, or ``None``
            where the source is not a file (a database query, say).
        rows: how many rows were read; ``None`` where that is not known or, in published
            output, where it is suppressed (fewer than ``suppress_below``: the rows of a
            survey are people).
        left_out: how many of them were left out as invalid; ``None`` in published output
            where it is suppressed.
    """

    id: str
    type: str
    location: str
    fingerprint: str | None = None
    rows: int | None = None
    left_out: int | None = 0


@attrs.frozen
class TrendPoint:
    """One figure of a trend: what one run gave for one period, or for everything.

    Attributes:
        figure: the figure, after disclosure control where the context is published: a
            suppressed one has a ``value`` of ``None``, and is a gap in the trend.
        run: the id of the stored run that holds it; ``None`` for the measurement being
            exported, where no stored run holds it.
        recorded_at: when that run was recorded, in UTC; ``None`` for the measurement being
            exported, where no stored run holds it (it is then the trend's latest figure).
        period: the period it covers, for a trend broken down by period; ``None`` for a trend
            of one figure per run.
        superseded: whether a later run's figure for the same period is the one the trend
            uses. A published context holds no superseded figure: two versions of one period's
            figure differ by the people added between them, who may be too few to publish.
            Nor, for a period, any figure of a measure but the latest covering run's, so that
            figures disclosed together are published together.
    """

    figure: Figure
    run: str | None
    recorded_at: datetime.datetime | None
    period: str | None = None
    superseded: bool = False


@attrs.frozen
class Trend:
    """One indicator of one measure, with one set of dimensions, across runs and periods.

    The trend's logic (which figure a period uses, the order of its points) is
    :func:`socialcouncil.store.history_points`'s, as the ``history`` command shows it.

    Attributes:
        measure: the measure's id.
        indicator: the indicator's name.
        dimensions: what its figures are broken down by, less the period.
        periodic: whether its points are periods (in order of period); otherwise there is one
            point per run (in order of recording).
        headline: whether the indicator is the measure's headline indicator.
        points: its figures, in the trend's order.
    """

    measure: str
    indicator: str
    dimensions: Mapping[str, str] = attrs.field(factory=dict, converter=_dimensions, hash=False)
    periodic: bool = False
    headline: bool = False
    points: tuple[TrendPoint, ...] = attrs.field(default=(), converter=as_tuple)

    @property
    def used(self) -> tuple[TrendPoint, ...]:
        """The points the trend uses: every point but the superseded ones."""
        return tuple(point for point in self.points if not point.superseded)


def _date(value: datetime.date | None) -> datetime.date:
    return datetime.datetime.now(datetime.timezone.utc).date() if value is None else value


@attrs.frozen
class ExportContext:
    """Everything an exporter is given.

    ``ExportContext(council)`` is a context with no figures, dated today, for an exporter that
    writes only the council; :func:`socialcouncil.export` builds the whole context from a
    :class:`~socialcouncil.Measurement`.

    Attributes:
        council: the council to write.
        figures: its figures, measure by measure in the model file's order: after disclosure
            control where :attr:`published` is true.
        published: whether disclosure control was applied to :attr:`figures` (true for every
            exporter whose :attr:`~Exporter.publishes` is true).
        headlines: each measured measure's headline indicator, by measure id.
        breakdowns: what each measured measure's figures are broken down by, by measure id.
        sources: the sources read, in the model file's order.
        left_out: how many rows each measure left out as invalid, by measure id; ``None``
            in published output where it is suppressed.
        unmeasured: the ids of the measures that have no figures because of a problem.
        sections: the report sections the plugins built (see
            :func:`~socialcouncil.hookspecs.register_report_sections`).
        continua: every continuum the council's projects may be placed on, by id, as
            :meth:`Council.usable_continua <socialcouncil.Council.usable_continua>` gives them
            (the council's own and the registered ones), so that an exporter can place each
            project on its continuum without asking the plugins itself. Empty by default:
            then only the council's own continua are known.
        trends: each measure's indicators across the runs of the council's history store
            (and the measurement being exported), measure by measure in the model file's
            order: after disclosure control where :attr:`published` is true. Empty where no
            stored run was given.
        runs: the stored runs the trends come from, oldest first.
        log: the learning log's entries, by date: in published output, without the entries
            whose text was erased (nothing of them is published, not even their date or
            author).
        date: the date the output shows: ``--date``, or ``SOURCE_DATE_EPOCH``, or today.
        version: the socialcouncil version that wrote it.
    """

    council: Council
    figures: Sequence[Figure] = attrs.field(default=(), converter=as_tuple)
    published: bool = attrs.field(default=True, kw_only=True)
    headlines: Mapping[str, str] = attrs.field(factory=dict, hash=False, kw_only=True)
    breakdowns: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict, hash=False, kw_only=True)
    sources: Sequence[SourceRecord] = attrs.field(default=(), converter=as_tuple, kw_only=True)
    left_out: Mapping[str, int | None] = attrs.field(factory=dict, hash=False, kw_only=True)
    unmeasured: Sequence[str] = attrs.field(default=(), converter=as_tuple, kw_only=True)
    sections: Sequence[Section] = attrs.field(default=(), converter=as_tuple, kw_only=True)
    continua: Mapping[str, Continuum] = attrs.field(factory=dict, hash=False, kw_only=True)
    trends: Sequence[Trend] = attrs.field(default=(), converter=as_tuple, kw_only=True)
    runs: Sequence[RunSummary] = attrs.field(default=(), converter=as_tuple, kw_only=True)
    log: Sequence[LogEntry] = attrs.field(default=(), converter=as_tuple, kw_only=True)
    date: datetime.date = attrs.field(default=None, converter=_date, kw_only=True)
    version: str = attrs.field(kw_only=True)

    @version.default
    def _version(self) -> str:
        from socialcouncil import __version__

        return __version__

    def for_measure(self, measure: str) -> tuple[Figure, ...]:
        """The figures of the measure with the id *measure*."""
        return tuple(f for f in self.figures if f.measure == measure)

    def trends_of(self, measure: str) -> tuple[Trend, ...]:
        """The trends of the measure with the id *measure*, headline indicator first."""
        found = [trend for trend in self.trends if trend.measure == measure]
        return tuple(sorted(found, key=lambda trend: not trend.headline))

    def log_of(
        self, *, project: str | None = None, measure: str | None = None
    ) -> tuple[LogEntry, ...]:
        """The log entries linked to the project *project* or the measure *measure*, by date."""
        return tuple(
            entry
            for entry in self.log
            if (project is not None and project in entry.projects)
            or (measure is not None and measure in entry.measures)
        )


@runtime_checkable
class Exporter(Protocol):
    """What an exporter class offers.

    Attributes:
        name: unique among exporters; how a command chooses it.
        description: one sentence on what it writes.
        suffix: the suffix of the file it writes, such as ``".json"``, or ``""`` for an
            exporter that writes a folder.
        publishes: whether what it writes leaves the council, so that its figures come to it
            after disclosure control. Optional: an exporter without it publishes. Only an
            exporter for internal use, such as ``results-json``, sets it false.
    """

    name: ClassVar[str]
    description: ClassVar[str]
    suffix: ClassVar[str]

    def __init__(self, **options: str) -> None:
        """Make the exporter, with options that tune it (none for most exporters)."""

    def export(self, context: ExportContext, destination: Path) -> None:
        """Write the context to *destination*, a file (or a folder, where suffix is ``""``)."""
        ...
