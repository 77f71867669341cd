"""Exporting a council: build what an exporter is given, then run the exporter.

:func:`export_context` turns a council and its :class:`~socialcouncil.Measurement` into the
:class:`~socialcouncil.ExportContext` an exporter writes: the figures (after disclosure
control, for an exporter that publishes), the sources they came from with each file's
fingerprint, the rows left out, the report sections the plugins add and, given the runs and
the learning log of the council's history store, each measure's trends and the log's entries.
:func:`export` does that and runs the exporter named, refusing to replace what is already there
unless told to. This is what ``socialcouncil report`` and ``socialcouncil export`` run.

Disclosure control sits in one place: :func:`~socialcouncil.exporters.disclosure.disclose`,
called here, before any exporter that publishes sees a figure, fresh or stored.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from socialcouncil.exporters import ExportContext, Figure, SourceRecord, Trend, TrendPoint
from socialcouncil.model import SocialCouncilError, UnknownIdError

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from socialcouncil.measurement import Result
    from socialcouncil.measurement.run import Measurement
    from socialcouncil.model import Council, Measure
    from socialcouncil.plugins import Registry
    from socialcouncil.sources import Table
    from socialcouncil.store import HistoryPoint, LogEntry, Run

__all__ = ["SOURCE_DATE_EPOCH", "export", "export_context", "publication_date"]

SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"
"""The environment variable that fixes the date an export shows when no date is given: whole
seconds since 1970-01-01 UTC, as the Reproducible Builds project defines it."""


def publication_date(date: datetime.date | None = None) -> datetime.date:
    """The date an export shows: *date*, else ``SOURCE_DATE_EPOCH``'s, else today (UTC).

    With the same inputs and the same date, every exporter writes the same bytes.

    >>> import datetime
    >>> from socialcouncil.exporters.run import publication_date
    >>> publication_date(datetime.date(2026, 3, 31))
    datetime.date(2026, 3, 31)

    Raises:
        SocialCouncilError: when ``SOURCE_DATE_EPOCH`` is set but is not a whole number of
            seconds (the variable's specification asks that a malformed value stop the build
            rather than be ignored).
    """
    if date is not None:
        return date
    epoch = os.environ.get(SOURCE_DATE_EPOCH)
    if epoch is None or not epoch.strip():
        return datetime.datetime.now(datetime.timezone.utc).date()
    try:
        # Only ASCII digits: int() would take "-1", "+5", "1_000" and other digits too.
        if not (epoch.strip().isascii() and epoch.strip().isdigit()):
            raise ValueError(epoch)
        seconds = int(epoch.strip())
        return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).date()
    except (ValueError, OverflowError, OSError):
        message = (
            f"{SOURCE_DATE_EPOCH} is {epoch!r}; expected a whole number of seconds since "
            "1970-01-01 UTC, such as 1774915200"
        )
        raise SocialCouncilError(message) from None


def _rows(table: Table) -> int:
    """How many rows *table* holds, counted by its own engine."""
    import narwhals as nw

    counted = nw.from_native(table.frame).select(nw.len())
    if isinstance(counted, nw.LazyFrame):
        return int(counted.collect().item())
    return int(counted.item())


def _fingerprint(table: Table) -> str | None:
    """The SHA-256 hex digest of the file read, without the ``sha256:`` prefix."""
    if table.fingerprint is None:
        return None
    algorithm, _, digest = table.fingerprint.partition(":")
    return digest if algorithm == "sha256" and digest else table.fingerprint


def _bad_rows(measurement: Measurement) -> dict[str, set[int]]:
    """The distinct row numbers with a problem, by source id."""
    found: dict[str, set[int]] = {}
    for problem in measurement.problems:
        if problem.source is not None and problem.row is not None:
            found.setdefault(problem.source, set()).add(problem.row)
    return found


def _sources_of(measure: Measure) -> tuple[str, ...]:
    if measure.source is None:
        return ()
    if isinstance(measure.source, str):
        return (measure.source,)
    return tuple(dict.fromkeys(measure.source.values()))


def _sources(council: Council, measurement: Measurement) -> tuple[SourceRecord, ...]:
    """Each source that was read, in the model file's order, with its rows and fingerprint."""
    bad = _bad_rows(measurement)
    records = []
    for source in council.sources:
        table = measurement.tables.get(source.id)
        if table is None:
            continue
        records.append(
            SourceRecord(
                id=source.id,
                type=source.type,
                location=table.location,
                fingerprint=_fingerprint(table),
                rows=_rows(table),
                left_out=len(bad.get(source.id, ())),
            )
        )
    return tuple(records)


def _left_out(council: Council, measurement: Measurement) -> dict[str, int]:
    """The rows each measured measure left out: the distinct bad rows of its sources.

    A problem names its source and row, not the measure it stopped, so a bad row is counted
    for every measured measure that reads its source, even one whose model does not read the
    column the problem is in.
    """
    bad = _bad_rows(measurement)
    left_out = {}
    for measure in council.measures:
        if measure.model is None or measure.id not in measurement.headlines:
            continue
        rows = {(s, row) for s in _sources_of(measure) for row in bad.get(s, ())}
        left_out[measure.id] = len(rows)
    return left_out


# A figure's place in the trends: its run ("" for the measurement being exported where no
# stored run holds it), measure, indicator and every dimension, its period among them.
_Place = tuple[str, str, str, frozenset[tuple[str, str]]]
_FRESH = ""


def _place(run: str, result: Result) -> _Place:
    return (run, result.measure or "", result.indicator, frozenset(result.dimensions.items()))


def _point_place(point: HistoryPoint) -> _Place:
    dimensions = dict(point.dimensions)
    if point.period is not None:
        dimensions["period"] = point.period
    return (point.run, point.measure, point.indicator, frozenset(dimensions.items()))


def _holds(run: Run, measurement: Measurement) -> bool:
    """Whether *run* holds exactly the results of *measurement*.

    Asked of the latest run alone, it is then that measurement, recorded: a store keeps each
    result as it was measured. An earlier run with the same results is an earlier measurement
    that happened to give them (data put back as it was), and the measurement being exported
    is still the latest figure.
    """
    from collections import Counter

    if len(run.results) != len(measurement.results):
        return False
    return Counter(run.results) == Counter(measurement.results)


def _headlines(
    council: Council, runs: Sequence[Run], measurement: Measurement | None
) -> tuple[dict[str, str], dict[str, set[str]]]:
    """Each measure's headline indicator, and the keys its figures are broken down by.

    The headline is the one the measurement being exported has, else the latest run's that
    measured the measure, else the model file's, else the indicator of the measure's first
    figure; the keys are every run's and the measurement's, less the period.
    """
    headlines = {m.id: m.headline for m in council.measures if m.headline is not None}
    keys: dict[str, set[str]] = {}
    found = (*runs, *(() if measurement is None else (measurement,)))
    for each in found:
        headlines.update(each.headlines)
        for measure, by in each.breakdowns.items():
            keys.setdefault(measure, set()).update(key for key in by if key != "period")
    # A measure whose model names no headline: its first indicator stands for it, as the
    # report's headline figure has it.
    for each in reversed(found):
        for result in each.results:
            if result.measure is not None:
                headlines.setdefault(result.measure, result.indicator)
    return headlines, keys


def _trends(
    council: Council,
    runs: Sequence[Run],
    measurement: Measurement | None,
    figures: Sequence[Figure],
    *,
    publishes: bool,
) -> tuple[Trend, ...]:
    """Every trend across *runs* (and *measurement*, where no run holds it), disclosed.

    Each stored run's results go through disclosure control on their own, under the council's
    ``[publishing]`` settings of today, exactly as fresh results do (*figures* are the fresh
    ones, disclosed already). Which figure a period uses is
    :func:`socialcouncil.store.history_points`'s to say.
    """
    if not runs:
        return ()
    from socialcouncil.exporters.disclosure import disclose
    from socialcouncil.store import history_points

    runs = sorted(runs, key=lambda run: (run.recorded_at, run.id))

    shown: dict[_Place, Figure] = {}
    measured: dict[_Place, Result] = {}
    stored: list[tuple[str, datetime.datetime, Result]] = []
    for run in runs:
        disclosed = (
            disclose(run.results, council.publishing)
            if publishes
            else tuple(Figure.of(result) for result in run.results)
        )
        for result, figure in zip(run.results, disclosed, strict=True):
            shown[_place(run.id, result)] = figure
            measured[_place(run.id, result)] = result
            stored.append((run.id, run.recorded_at, result))
    # The run whose figures the export shows beside its trends: the measurement being
    # exported, recorded as the latest run, or else not recorded.
    today: str | None = None
    if measurement is not None:
        today = runs[-1].id if _holds(runs[-1], measurement) else _FRESH
    if measurement is not None and today == _FRESH:
        # Not recorded: the measurement being exported is the trends' latest figure.
        after = max(run.recorded_at for run in runs) + datetime.timedelta(microseconds=1)
        for result, figure in zip(measurement.results, figures, strict=True):
            shown[_place(_FRESH, result)] = figure
            measured[_place(_FRESH, result)] = result
            stored.append((_FRESH, after, result))
    headlines, keys = _headlines(council, runs, measurement)
    points = history_points(stored, council, headlines)
    # In published output, every figure of one measure for one period comes from one run, the
    # latest that covers the period, so that figures disclosed together are published together.
    latest: dict[tuple[str, str], tuple[datetime.datetime, str]] = {}
    for point in points:
        if point.period is not None:
            key = (point.measure, point.period)
            latest[key] = max(
                latest.get(key, (point.recorded_at, point.run)), (point.recorded_at, point.run)
            )
    trends: dict[tuple[str, str, frozenset[tuple[str, str]], bool], list[TrendPoint]] = {}
    results: dict[tuple[str, str, frozenset[tuple[str, str]], bool], list[Result]] = {}
    for point in points:
        if publishes and (
            point.superseded
            or (point.period is not None and latest[point.measure, point.period][1] != point.run)
        ):
            continue
        trend = (
            point.measure,
            point.indicator,
            frozenset(point.dimensions.items()),
            point.period is not None,
        )
        trends.setdefault(trend, []).append(
            TrendPoint(
                figure=shown[_point_place(point)],
                run=point.run or None,
                recorded_at=point.recorded_at if point.run else None,
                period=point.period,
                superseded=point.superseded,
            )
        )
        results.setdefault(trend, []).append(measured[_point_place(point)])
    if publishes:
        _disclose_runs(trends, results, council, today)
    return tuple(
        Trend(
            measure=measure,
            indicator=indicator,
            dimensions=dict(dimensions),
            periodic=periodic,
            headline=(
                headlines.get(measure) == indicator
                and not {key for key, _ in dimensions} & keys.get(measure, set())
            ),
            points=points,
        )
        for (measure, indicator, dimensions, periodic), points in trends.items()
    )


def _disclose_runs(
    trends: Mapping[tuple[str, str, frozenset[tuple[str, str]], bool], list[TrendPoint]],
    results: Mapping[tuple[str, str, frozenset[tuple[str, str]], bool], list[Result]],
    council: Council,
    today: str | None,
) -> None:
    """Suppress, in place, the points of trends per run that differencing would give away.

    See :func:`~socialcouncil.exporters.disclosure.disclose_runs`. Where the trend's latest
    point is *today*'s, the figure the export shows with its measure, that point is kept
    and the earlier ones too close to it are suppressed.
    """
    from socialcouncil.exporters.disclosure import disclose_runs

    for trend, points in trends.items():
        if trend[3]:
            continue
        figures = disclose_runs(
            results[trend],
            [point.figure for point in points],
            council.publishing,
            shown_latest=today is not None and (points[-1].run or _FRESH) == today,
        )
        points[:] = [
            attrs.evolve(point, figure=figure)
            for point, figure in zip(points, figures, strict=True)
        ]


def _published_log(log: Iterable[LogEntry], *, publishes: bool) -> tuple[LogEntry, ...]:
    """The log's entries by date, then by when they were recorded.

    In published output, those whose text was erased are left out.
    """
    never = datetime.datetime.min.replace(tzinfo=datetime.timezone.utc)
    entries = sorted(log, key=lambda entry: (entry.date, entry.recorded_at or never))
    if publishes:
        return tuple(entry for entry in entries if entry.erased_at is None)
    return tuple(entries)


def export_context(
    council: Council,
    measurement: Measurement | None = None,
    *,
    runs: Sequence[Run] = (),
    log: Sequence[LogEntry] = (),
    publishes: bool = True,
    registry: Registry | None = None,
    date: datetime.date | None = None,
) -> ExportContext:
    """What an exporter is given, from *council* and what measuring it gave.

    Args:
        council: the council to export.
        measurement: what :func:`socialcouncil.measure` gave for it; None for a context with
            the council alone and no figures (enough for the ``json`` exporter). Nothing is
            measured here: measure first, with the model file's folder as ``base``.
        runs: the runs of the council's history store
            (:meth:`Store.run <socialcouncil.store.Store.run>` of each), from which the
            context's :attr:`~socialcouncil.ExportContext.trends` are made. Each run's results
            are disclosed as fresh ones are, under *council*'s ``[publishing]`` settings (not
            those the run was measured under), and a trend of one figure per run also
            against differencing between its runs (a figure whose people differ from those of
            an earlier published figure by fewer than ``suppress_below`` is suppressed). The
            latest run, where it holds exactly the results of *measurement*, is taken to be
            it, recorded, and counted once; otherwise *measurement* is each trend's latest
            figure, after every run.
        log: the learning log's entries (:meth:`Store.log <socialcouncil.store.Store.log>`);
            in published output, those whose text was erased are left out.
        publishes: whether the output leaves the council. When true, the figures are those
            :func:`~socialcouncil.exporters.disclosure.disclose` publishes under the
            council's ``[publishing]`` settings (suppressed, and rounded where it asks);
            when false, every figure is exactly as measured.
        registry: the plugins to use; :func:`socialcouncil.registry` when None.
        date: the date the output shows; see :func:`publication_date`.

    Returns:
        The context. Its ``sections`` are the report sections the plugins register, each
        built from this context's figures, whatever the exporter: so a plugin's section only
        ever sees figures after disclosure control, no section is built for a context that
        does not publish, and an exporter that has no use for sections ignores them. A
        section that fails is kept, with the failure, and a warning names its plugin.
    """
    from socialcouncil.plugins import registry as default_registry

    registry = registry or default_registry()
    shown = publication_date(date)
    continua = council.usable_continua(registry.continua)
    summaries = tuple(sorted((run.summary() for run in runs), key=lambda r: (r.recorded_at, r.id)))
    entries = _published_log(log, publishes=publishes)
    if measurement is None:
        context = ExportContext(
            council,
            published=publishes,
            continua=continua,
            trends=_trends(council, runs, None, (), publishes=publishes),
            runs=summaries,
            log=entries,
            date=shown,
        )
        return _with_sections(context, registry)
    sources = _sources(council, measurement)
    left_out: dict[str, int | None] = dict(_left_out(council, measurement))
    if publishes:
        from socialcouncil.exporters.disclosure import disclose, disclose_count

        settings = council.publishing
        figures = disclose(measurement.results, settings)
        sources = tuple(
            attrs.evolve(
                s,
                rows=disclose_count(s.rows, settings),
                left_out=disclose_count(s.left_out, settings),
            )
            for s in sources
        )
        left_out = {m: disclose_count(n, settings) for m, n in left_out.items()}
    else:
        figures = tuple(Figure.of(result) for result in measurement.results)
    context = ExportContext(
        council,
        figures,
        published=publishes,
        headlines=dict(measurement.headlines),
        breakdowns=dict(measurement.breakdowns),
        sources=sources,
        left_out=left_out,
        unmeasured=measurement.unmeasured,
        continua=continua,
        trends=_trends(council, runs, measurement, figures, publishes=publishes),
        runs=summaries,
        log=entries,
        date=shown,
    )
    return _with_sections(context, registry)


def _with_sections(context: ExportContext, registry: Registry) -> ExportContext:
    if not context.published or not registry.report_sections:
        return context
    from socialcouncil.exporters.report import build_sections

    return attrs.evolve(context, sections=build_sections(context, registry))


def export(
    council: Council,
    to: str,
    destination: str | os.PathLike[str],
    *,
    measurement: Measurement | None = None,
    runs: Sequence[Run] = (),
    log: Sequence[LogEntry] = (),
    options: Mapping[str, str] | None = None,
    force: bool = False,
    date: datetime.date | None = None,
    registry: Registry | None = None,
) -> Path:
    r"""Write *council* and its figures with the exporter named *to*.

    >>> import pathlib, tempfile, socialcouncil
    >>> council = socialcouncil.loads('format = 1\n[council]\nname = "Anytown"\n')
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = socialcouncil.export(council, "json", pathlib.Path(folder, "anytown.json"))
    ...     socialcouncil.load(path) == council
    True

    Args:
        council: the council to export.
        to: the exporter's name, such as ``"html"`` or ``"csv"``; ``socialcouncil exporters``
            lists them.
        destination: the file to write (a folder, for an exporter whose suffix is ``""``).
        measurement: what :func:`socialcouncil.measure` gave; None to export the council
            without figures.
        runs: the runs of the council's history store, for the trends (see
            :func:`export_context`).
        log: the learning log's entries (see :func:`export_context`).
        options: options for the exporter, by name.
        force: replace *destination* if it is already there; without it, an existing file or
            folder is never touched.
        date: the date the output shows; see :func:`publication_date`.
        registry: the plugins to use; :func:`socialcouncil.registry` when None.

    Returns:
        The path written.

    Raises:
        UnknownIdError: when no plugin registers an exporter called *to* (the message lists
            those that do).
        FileExistsError: when *destination* is already there and *force* is false.
        IsADirectoryError: when *destination* is a folder and the exporter writes a file,
            even with *force*: a folder is never replaced by a file.
        SocialCouncilError: when the exporter does not take *options*.
        PluginError: when the exporter fails: a bug in the plugin it names.
    """
    from socialcouncil.plugins import registry as default_registry

    registry = registry or default_registry()
    exporters = registry.exporters
    exporter_class = exporters.get(to)
    if exporter_class is None:
        raise UnknownIdError("exporter", to, tuple(sorted(exporters)))
    path = Path(destination)
    writes_folder = exporter_class.suffix == ""
    if path.is_dir() and not path.is_symlink() and not writes_folder:
        message = f"{path} is a folder, and the {to} exporter writes a file; choose another path"
        raise IsADirectoryError(message)
    if (path.exists() or path.is_symlink()) and not force:
        raise FileExistsError(f"{path} is already there; use force to replace it")
    context = export_context(
        council,
        measurement,
        runs=runs,
        log=log,
        publishes=getattr(exporter_class, "publishes", True),
        registry=registry,
        date=date,
    )
    with registry.running("exporter", to):
        try:
            exporter = exporter_class(**dict(options or {}))
        except (TypeError, ValueError) as exc:
            message = f"the {to} exporter's options are not right: {exc}"
            raise SocialCouncilError(message) from exc
        exporter.export(context, path)
    return path
