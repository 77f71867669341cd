"""Measuring a council: read its sources, validate their rows, run its measures' models.

:func:`measure` is what ``socialcouncil measure`` runs. For each measure with a ``model`` it
reads the measure's sources (each source once, however many measures use it), validates the
rows against the model's fields (:mod:`socialcouncil.measurement.fields`), applies the model's
own row rules, derives the ``period`` column, and calls the model once per grouping set: over
everything, for each ``by`` field alone, for the full combination of two or more, and the same
again per period. A measure tracked by hand yields its observations as results of the model
``observed``.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from socialcouncil.errors import Problem
from socialcouncil.measurement import MeasurementContext, Result
from socialcouncil.sources import ROW, DataSourceError, Table

if TYPE_CHECKING:
    import os

    import narwhals as nw

    from socialcouncil.measurement import Field, Indicator, MeasurementModel
    from socialcouncil.measurement._together import Request
    from socialcouncil.measurement.fields import Validated
    from socialcouncil.model import Council, Measure, Source
    from socialcouncil.plugins import Registry

__all__ = ["PERIODS", "Measurement", "measure", "period_expression"]

PERIODS = ("month", "quarter", "year", "financial-year")
"""The periods a measure's results may be broken down by."""

OBSERVED = "observed"
"""The model that results of a measure tracked by hand name."""

_BAD_FORMAT = object()


@attrs.frozen
class Measurement:
    """What measuring a council gave: its results, its problems and the tables read.

    Attributes:
        results: every figure, measure by measure in the model file's order.
        problems: every bad row, missing column or unusable key, each once, in the order
            found. With ``skip_invalid``, the rows they name were left out and the rest
            measured; without, a measure with an invalid row has no results.
        tables: what was read, by source id, with each file's fingerprint.
        headlines: each measured measure's headline indicator, by measure id: the measure's
            own ``headline``, or its model's.
        breakdowns: what each measured measure's results are broken down by, by measure id:
            its ``by`` fields, and ``period`` where it has one; ``period`` and ``area`` for a
            measure tracked by hand, whose observations have their own.
        unmeasured: the ids of the measures that have no results because of a problem.
        unreadable: the ids of the sources that could not be read at all.
    """

    results: tuple[Result, ...] = ()
    problems: tuple[Problem, ...] = ()
    tables: Mapping[str, Table] = attrs.field(factory=dict, hash=False)
    headlines: Mapping[str, str] = attrs.field(factory=dict, hash=False, kw_only=True)
    breakdowns: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict, hash=False, kw_only=True)
    unmeasured: tuple[str, ...] = attrs.field(default=(), kw_only=True)
    unreadable: tuple[str, ...] = attrs.field(default=(), kw_only=True)

    def for_measure(self, measure: str) -> tuple[Result, ...]:
        """The results of the measure with the id *measure*."""
        return tuple(r for r in self.results if r.measure == measure)

    def headline(self, measure: str) -> tuple[Result, ...]:
        """The measure's headline figures over everything.

        They are not broken down by the measure's ``by`` fields or period, but are by the
        model's own dimensions where it has them (``ons4``'s ``item``, say). Empty for a
        measure that was not measured.
        """
        indicator = self.headlines.get(measure)
        keys = set(self.breakdowns.get(measure, ()))
        return tuple(
            r
            for r in self.results
            if r.measure == measure and r.indicator == indicator and not keys & set(r.dimensions)
        )


def period_expression(period: str, date: str = "date") -> Any:
    """A Narwhals expression (``narwhals.Expr``) for the *period* of the *date* column.

    *period* is one of :data:`PERIODS`.

    Months read ``2025-03``, quarters ``2025-Q1``, years ``2025`` and financial years, which
    run from April to March, ``2025/26``.

    >>> import datetime, narwhals as nw, polars as pl
    >>> from socialcouncil.measurement.run import PERIODS, period_expression
    >>> frame = nw.from_native(pl.DataFrame({"date": [datetime.date(2026, 3, 31)]}))
    >>> [frame.select(period_expression(p))["period"][0] for p in PERIODS]
    ['2026-03', '2026-Q1', '2026', '2025/26']
    """
    import narwhals as nw

    column = nw.col(date)
    year, month = column.dt.year().cast(nw.Int64), column.dt.month().cast(nw.Int64)

    def text(value: nw.Expr) -> nw.Expr:
        return value.cast(nw.String)

    def two_digits(value: nw.Expr) -> nw.Expr:
        return (
            nw.when(value < 10)
            .then(nw.concat_str([nw.lit("0"), text(value)]))
            .otherwise(text(value))
        )

    if period == "month":
        found = nw.concat_str([text(year), nw.lit("-"), two_digits(month)])
    elif period == "quarter":
        quarter = (month - 1) // 3 + 1
        found = nw.concat_str([text(year), nw.lit("-Q"), text(quarter)])
    elif period == "year":
        found = text(year)
    elif period == "financial-year":
        start = nw.when(month >= 4).then(year).otherwise(year - 1)
        end = (start + 1) - ((start + 1) // 100) * 100
        found = nw.concat_str([text(start), nw.lit("/"), two_digits(end)])
    else:
        message = f"period {period!r} is not one of {', '.join(PERIODS)}"
        raise ValueError(message)
    return found.alias("period")


def hand_back_memory() -> None:
    """Have Polars, when this process first loads it, hand freed memory back at once.

    Polars' allocator (jemalloc) otherwise keeps what a query freed for a while, for the next
    one; a process that measures once and ends is better off with a lower peak. Nothing changes
    once Polars is loaded, nor where its allocator is already configured.
    """
    import os
    import sys

    if "polars" not in sys.modules:
        os.environ.setdefault("_RJEM_MALLOC_CONF", "dirty_decay_ms:0,muzzy_decay_ms:0")


def measure(
    council: Council,
    frames: Mapping[str, Any] | None = None,
    measures: Sequence[str] | None = None,
    base: str | os.PathLike[str] | None = None,
    *,
    skip_invalid: bool = False,
    registry: Registry | None = None,
    progress: Callable[[str], None] | None = None,
) -> Measurement:
    """Measure *council*'s measures from its sources.

    Args:
        council: the council, with its ``[[sources]]`` and measures.
        frames: frames to use instead of reading sources, by source id: pandas, Polars (eager
            or lazy), PyArrow, DuckDB or PySpark. A frame without the
            :data:`~socialcouncil.ROW` column is numbered from 1.
        measures: the ids of the measures to measure; all of them when None.
        base: the folder relative locations are read from (the model file's folder); the
            current folder when None.
        skip_invalid: leave invalid rows out and measure the rest, rather than measuring
            nothing for a measure with an invalid row. Either way every one is a problem.
        registry: the plugins to use; :func:`socialcouncil.registry` when None.
        progress: called with a short line as each source is read and each measure is run.

    Returns:
        The results, the problems and the tables read.

    Raises:
        UnknownIdError: when *measures* names a measure the council does not have.
    """
    from socialcouncil.model import UnknownIdError
    from socialcouncil.plugins import registry as default_registry

    registry = registry or default_registry()
    wanted = list(council.measures)
    if measures is not None:
        known = {m.id for m in council.measures}
        for id_ in measures:
            if id_ not in known:
                raise UnknownIdError("measure", id_, tuple(sorted(known)))
        wanted = [m for m in council.measures if m.id in set(measures)]
    run = _Run(council, dict(frames or {}), Path(base or "."), registry, progress, skip_invalid)
    run.wanted = wanted
    with _streaming():
        for measure_ in wanted:
            run.measure(measure_)
    unique = list(dict.fromkeys(run.problems))
    return Measurement(
        tuple(run.results),
        tuple(unique),
        dict(run.tables),
        headlines=run.headlines,
        breakdowns=run.breakdowns,
        unmeasured=tuple(run.unmeasured),
        unreadable=tuple(run.unreadable),
    )


@contextlib.contextmanager
def _streaming() -> Iterator[None]:
    """Polars' streaming engine for every query collected meanwhile, models' queries too.

    A model's query over a million rows then holds a few of them at a time, not every column it
    makes; what a query collects is the same on either engine.
    """
    import polars as pl

    with pl.Config(engine_affinity="streaming"):
        yield


def _expected(given: object, message: str) -> str | None:
    """What a model's row rule expected.

    Its ``expected`` column, or what its message says after "expected": the rules' messages
    read "found ..., expected ...".
    """
    if isinstance(given, str) and given:
        return given
    head, said, tail = message.rpartition("expected ")
    if not said or (head and not head.endswith((", ", "; ", " "))):
        return None
    return tail or None


def _problem(message: str, path: str = "", **where: Any) -> Problem:
    return Problem(path, message, **where)


class _Run:
    """One measuring of a council: what has been read, found and measured so far."""

    def __init__(  # noqa: PLR0917 - the run's settings, once
        self,
        council: Council,
        frames: dict[str, Any],
        base: Path,
        registry: Registry,
        progress: Callable[[str], None] | None,
        skip_invalid: bool,
    ) -> None:
        self.council = council
        self.frames = frames
        self.base = base
        self.registry = registry
        self.progress = progress or (lambda _line: None)
        self.skip_invalid = skip_invalid
        self.sources: dict[str, Source] = {s.id: s for s in council.sources}
        self.tables: dict[str, Table] = {}
        self.failed: dict[str, tuple[Problem, ...]] = {}
        self.results: list[Result] = []
        self.problems: list[Problem] = []
        self.headlines: dict[str, str] = {}
        self.breakdowns: dict[str, tuple[str, ...]] = {}
        self.unmeasured: list[str] = []
        self.unreadable: list[str] = []
        self.wanted: list[Measure] = []
        # Each Polars source is validated once for every measure reading it: (measure id,
        # input) -> its valid rows and problems, and whether they are already in memory.
        self._checked: dict[tuple[str, str], tuple[Validated, bool]] = {}
        self._checked_sources: set[str] = set()
        self._continua: Mapping[str, Any] | None = None
        self._index = {m.id: i for i, m in enumerate(council.measures)}

    # -- reading ------------------------------------------------------------------------------

    def table(self, source_id: str) -> Table | None:
        """The table of *source_id*, read on first use; None when it cannot be had."""
        if source_id in self.tables:
            return self.tables[source_id]
        if source_id in self.failed:
            return None
        problems = self._read(source_id)
        if problems:
            self.failed[source_id] = problems
            self.problems.extend(problems)
            return None
        return self.tables[source_id]

    def _read(self, source_id: str) -> tuple[Problem, ...]:
        entry = self.sources.get(source_id)
        location = entry.location if entry is not None and entry.location else source_id
        if source_id in self.frames:
            frame = _numbered(self.frames[source_id])
            self.tables[source_id] = Table(frame, source_id, location)
            return ()
        if entry is None:
            known = ", ".join(sorted(self.sources)) or "none"
            message = f"no [[sources]] entry has the id {source_id!r}; the sources are {known}"
            return (_problem(message, source=source_id),)
        classes = self.registry.data_sources
        if entry.type not in classes:
            known = ", ".join(sorted(classes))
            message = f"the data source type {entry.type!r} is not registered; expected {known}"
            return (_problem(message, source=source_id, location=entry.location),)
        if entry.location is None:
            message = "has no location; expected the file or table to read"
            return (_problem(message, source=source_id),)
        path = Path(entry.location)
        if not path.is_absolute():
            path = self.base / path
        self.progress(f"reading {source_id} ({entry.location})")
        try:
            reader: Any = classes[entry.type]  # options are the source's, as the file gives them
            with self.registry.running("data source", entry.type):
                table = reader(path, **dict(entry.options)).read()
        except DataSourceError as exc:
            self.unreadable.append(source_id)
            return tuple(
                attrs.evolve(p, source=source_id, location=entry.location) for p in exc.problems
            ) or (_problem("cannot be read", source=source_id, location=entry.location),)
        found = tuple(
            attrs.evolve(p, source=source_id, location=entry.location) for p in table.problems
        )
        self.tables[source_id] = attrs.evolve(
            table,
            source=source_id,
            location=entry.location,
            problems=found,
        )
        return ()

    # -- measuring ----------------------------------------------------------------------------

    def measure(self, measure: Measure) -> None:
        """Measure one measure, adding its results and problems."""
        if measure.model is None:
            self._observed(measure)
            return
        where = f"measures[{self._index[measure.id]}]"
        models = self.registry.measurement_models
        if measure.model not in models:
            known = ", ".join(sorted(models))
            message = f"the measurement model {measure.model!r} is not registered; expected {known}"
            self._fail(measure, [_problem(message, f"{where}.model")])
            return
        cls = models[measure.model]
        problems = self._option_problems(cls, measure, where)
        headline = measure.headline or cls.headline
        if headline not in {i.name for i in cls.indicators}:
            names = ", ".join(i.name for i in cls.indicators)
            message = f"{headline!r} is not an indicator of {cls.name}; expected {names}"
            problems.append(_problem(message, f"{where}.headline"))
        # A model that reads only the council and has a period option of its own (the
        # co-production trajectory) follows the measure's period itself.
        own_period = not cls.inputs and any(o.name == "period" for o in cls.options)
        if (
            measure.period is not None
            and not own_period
            and not any(f.name == "date" for fields in cls.inputs.values() for f in fields)
        ):
            message = f"{cls.name} has no date field, so results cannot be broken down by period"
            problems.append(_problem(message, f"{where}.period"))
        if problems:
            self._fail(measure, problems)
            return
        self.progress(f"measuring {measure.id} ({cls.name})")
        found = self._tables(cls, measure, where)
        if found is None:
            self._fail(measure, [])
            return
        tables, invalid = found
        given = dict(measure.options)
        if own_period and measure.period is not None:
            given.setdefault("period", measure.period)
            measure = attrs.evolve(measure, period=None)
        options = {o.name: o.default for o in cls.options} | given
        with self.registry.running("measurement model", cls.name):
            model = cls(**given)
        context = MeasurementContext(self.council, self.continua(), tables=tables, options=options)
        kept = self._apply_row_rules(cls, model, measure, context)
        if kept is None:
            invalid = True
        else:
            context = attrs.evolve(context, tables=kept)
        if invalid and not self.skip_invalid:
            self._fail(measure, [])
            return
        self.headlines[measure.id] = headline
        period = ("period",) if measure.period is not None else ()
        self.breakdowns[measure.id] = (*measure.by, *period)
        self.results.extend(self._compute(cls, model, measure, context))

    def continua(self) -> Mapping[str, Any]:
        """The continua the council can use, found once."""
        if self._continua is None:
            self._continua = self.council.usable_continua(self.registry.continua)
        return self._continua

    def _fail(self, measure: Measure, problems: list[Problem]) -> None:
        self.problems.extend(problems)
        self.unmeasured.append(measure.id)

    def _option_problems(
        self, cls: type[MeasurementModel], measure: Measure, where: str
    ) -> list[Problem]:
        known = [o.name for o in cls.options]
        problems = []
        for name in measure.options:
            if name not in known:
                expected = ", ".join(map(repr, known)) if known else "none"
                message = f"{cls.name} has no option {name!r}; its options are {expected}"
                problems.append(_problem(message, f"{where}.options.{name}"))
        return problems

    def _sources_of(
        self, cls: type[MeasurementModel], measure: Measure, where: str, *, report: bool = True
    ) -> dict[str, str] | None:
        inputs = list(cls.inputs)
        source = measure.source
        problems = []
        if source is None:
            message = f"{cls.name} reads {', '.join(inputs)}; expected a source for it"
            problems.append(_problem(message, f"{where}.source"))
        elif isinstance(source, str):
            if len(inputs) == 1:
                return {inputs[0]: source}
            message = (
                f"found one source for {cls.name}, which reads {', '.join(inputs)}; "
                "expected a table of input = source id"
            )
            problems.append(_problem(message, f"{where}.source"))
        else:
            for name in source:
                if name not in inputs:
                    message = (
                        f"{cls.name} has no input {name!r}; its inputs are {', '.join(inputs)}"
                    )
                    problems.append(_problem(message, f"{where}.source.{name}"))
            for name in inputs:
                if name not in source:
                    message = f"missing; expected the source of {cls.name}'s input {name!r}"
                    problems.append(_problem(message, f"{where}.source.{name}"))
            if not problems:
                return {name: source[name] for name in inputs}
        if report:
            self.problems.extend(problems)
        return None

    def _columns_of(
        self, cls: type[MeasurementModel], measure: Measure, where: str, *, report: bool = True
    ) -> dict[str, dict[str, str]] | None:
        inputs = list(cls.inputs)
        found: dict[str, dict[str, str]] = {name: {} for name in inputs}
        problems = []
        for key, value in measure.columns.items():
            if isinstance(value, str):
                if len(inputs) == 1:
                    found[inputs[0]][key] = value
                    continue
                message = (
                    f"found a column for {cls.name}, which reads several inputs; expected a "
                    f"table of field = column for one of {', '.join(inputs)}"
                )
                problems.append(_problem(message, f"{where}.columns.{key}"))
            elif key in found:
                found[key].update(value)
            else:
                message = f"{cls.name} has no input {key!r}; its inputs are {', '.join(inputs)}"
                problems.append(_problem(message, f"{where}.columns.{key}"))
        if problems:
            if report:
                self.problems.extend(problems)
            return None
        return found

    def _tables(
        self, cls: type[MeasurementModel], measure: Measure, where: str
    ) -> tuple[dict[str, Any], bool] | None:
        """The valid rows of each input, and whether any row was invalid.

        None when the measure cannot be measured at all: a source that cannot be read, a
        required column missing, a source or column key that does not fit the model.
        """
        if not cls.inputs:
            return {}, False
        sources = self._sources_of(cls, measure, where)
        columns = self._columns_of(cls, measure, where)
        if sources is None or columns is None:
            return None
        tables: dict[str, Any] = {}
        usable, invalid = True, False
        for name, fields in cls.inputs.items():
            table = self.table(sources[name])
            if table is None:
                usable = False
                continue
            date_format = self._date_format(table)
            if date_format is _BAD_FORMAT:
                usable = False
                continue
            reader_problems = list(table.problems)
            checked, in_memory = self._validated(
                sources[name], measure, name, self._request(cls, measure, name, columns, table)
            )
            self.problems.extend(reader_problems)
            self.problems.extend(checked.problems)
            if checked.missing:
                usable = False
                continue
            invalid = invalid or bool(checked.problems or reader_problems)
            valid = checked.frame
            if measure.period is not None and "date" in {f.name for f in fields}:
                if "date" not in valid.collect_schema().names():
                    column = columns[name].get("date", "date")
                    message = (
                        f"missing; expected the column of 'date', to find each {measure.period}"
                    )
                    self.problems.append(
                        _problem(
                            message, source=table.source, location=table.location, field=column
                        )
                    )
                    usable = False
                    continue
                valid, in_memory = valid.with_columns(period_expression(measure.period)), False
            tables[name] = valid if in_memory else _in_memory(valid)
        return (tables, invalid) if usable else None

    def _date_format(self, table: Table) -> str | object | None:
        """How the source writes dates; _BAD_FORMAT (and a problem) for a form it cannot."""
        from socialcouncil.measurement.fields import date_shape

        date_format = self._date_format_of(table)
        if date_format is not None:
            try:
                date_shape(date_format)
            except ValueError as exc:
                self.problems.append(
                    _problem(str(exc), source=table.source, location=table.location)
                )
                return _BAD_FORMAT
        return date_format

    def _request(
        self,
        cls: type[MeasurementModel],
        measure: Measure,
        name: str,
        columns: Mapping[str, Mapping[str, str]],
        table: Table,
    ) -> Request:
        """What validating the measure's input *name* asks of its table."""
        from socialcouncil.measurement._together import Request

        fields: tuple[Field, ...] = tuple(cls.inputs[name])
        by_inputs = list(getattr(cls, "person_fields", {}) or {}) or list(cls.inputs)
        field_names = {f.name for f in fields}
        keep = {
            b: columns[name].get(b, b)
            for b in measure.by
            if name in by_inputs and b not in field_names
        }
        date_format = self._date_format_of(table)
        return Request(
            fields,
            columns=dict(columns[name]),
            keep=keep,
            source=table.source,
            location=table.location,
            date_format=date_format,
        )

    def _date_format_of(self, table: Table) -> str | None:
        """How the source writes dates, as its table or else its date_format option says."""
        entry = self.sources.get(table.source)
        date_format = getattr(table, "date_format", None)
        if date_format is None and entry is not None:
            date_format = entry.options.get("date_format")
        return date_format if isinstance(date_format, str) else None

    def _validated(
        self, source_id: str, measure: Measure, name: str, request: Request
    ) -> tuple[Validated, bool]:
        """The measure's input *name* validated, and whether its rows are already in memory.

        A Polars table is validated once for every wanted measure that reads it, in one pass
        over the source; any other engine's table is validated for this measure alone.
        """
        from socialcouncil.measurement._together import is_polars, validate_together
        from socialcouncil.measurement.fields import validate

        table = self.tables[source_id]
        bad_rows = {p.row for p in table.problems if p.row is not None}
        frame = _without_rows(table.frame, bad_rows)
        if not is_polars(table.frame):
            checked = validate(
                frame,
                request.fields,
                columns=request.columns,
                keep=request.keep,
                source=request.source,
                location=request.location,
                date_format=request.date_format,
            )
            return checked, False
        if source_id not in self._checked_sources:
            self._checked_sources.add(source_id)
            keys, requests = [(measure.id, name)], [request]
            for other, other_name, other_request in self._others_reading(source_id, table):
                if (other, other_name) not in keys:
                    keys.append((other, other_name))
                    requests.append(other_request)
            native = frame if is_polars(frame) else frame.to_native()
            found = validate_together(native, requests)
            self._checked.update(zip(keys, found, strict=True))
        return self._checked.pop((measure.id, name))

    def _others_reading(self, source_id: str, table: Table) -> Iterator[tuple[str, str, Request]]:
        """The inputs of the other wanted measures that read *source_id*, with their requests."""
        models = self.registry.measurement_models
        for other in self.wanted:
            cls = models.get(other.model or "")
            if cls is None or not cls.inputs:
                continue
            sources = self._sources_of(cls, other, "", report=False)
            columns = self._columns_of(cls, other, "", report=False)
            if sources is None or columns is None:
                continue
            for name, source in sources.items():
                if source == source_id:
                    yield other.id, name, self._request(cls, other, name, columns, table)

    def _apply_row_rules(
        self,
        cls: type[MeasurementModel],
        model: Any,
        measure: Measure,
        context: MeasurementContext,
    ) -> dict[str, Any] | None:
        """The tables less the rows the model's own rules reject, each reported.

        None when a rule rejected a row and invalid rows are not to be skipped.
        """
        rules = getattr(model, "invalid_rows", None)
        if rules is None:
            return dict(context.tables)
        import narwhals as nw

        with self.registry.running("measurement model", cls.name):
            found = _collected(rules(context))
        if not found:
            return dict(context.tables)
        sources = self._sources_of(cls, measure, "", report=False) or {}
        columns = self._columns_of(cls, measure, "", report=False) or {}
        rejected: dict[str, set[int]] = {}
        for record in sorted(found, key=lambda r: (r[ROW], r["input"])):
            name, field = record["input"], record["field"]
            table = self.tables.get(sources.get(name, ""))
            column = columns.get(name, {}).get(field, field)
            message = str(record["message"])
            self.problems.append(
                _problem(
                    message,
                    source=table.source if table else None,
                    location=table.location if table else None,
                    row=int(record[ROW]),
                    field=column,
                    expected=_expected(record.get("expected"), message),
                )
            )
            rejected.setdefault(name, set()).add(int(record[ROW]))
        if not self.skip_invalid:
            return None
        tables = dict(context.tables)
        for name, rows in rejected.items():
            if name in tables:
                tables[name] = tables[name].filter(~nw.col(ROW).is_in(sorted(rows)))
        return tables

    def _compute(
        self,
        cls: type[MeasurementModel],
        model: Any,
        measure: Measure,
        context: MeasurementContext,
    ) -> list[Result]:
        indicators = {i.name: i for i in cls.indicators}
        groupings: list[tuple[str, ...]] = [(), *((b,) for b in measure.by)]
        if len(measure.by) >= 2:
            groupings.append(tuple(measure.by))
        if measure.period is not None:
            groupings += [(*keys, "period") for keys in groupings]
        order = {name: index for index, name in enumerate(indicators)}
        results: list[Result] = []
        for keys in groupings:
            with self.registry.running("measurement model", cls.name):
                rows = _collected(model.compute(context, list(keys)))
                # Engines group in any order: the figures come in the indicators' order, then
                # by their keys, each group's own dimensions as the model gave them.
                rows.sort(
                    key=lambda r: (
                        order.get(str(r.get("indicator")), -1),
                        [str(r.get(k)) for k in keys],
                    )
                )
                results.extend(_results(cls.name, indicators, measure, keys, rows))
        return results

    def _observed(self, measure: Measure) -> None:
        """A measure tracked by hand: its observations, through the registered ``observed``."""
        if not measure.observations:
            return
        cls = self.registry.measurement_models.get(OBSERVED)
        if cls is None:
            where = f"measures[{self._index[measure.id]}].observations"
            message = f"the model {OBSERVED!r}, which yields observations, is not loaded"
            self._fail(measure, [_problem(message, where)])
            return
        from socialcouncil.measurement.observed import kind_for

        with self.registry.running("measurement model", cls.name):
            model = cls(measure=measure.id)
        context = MeasurementContext(
            self.council, self.continua(), tables={}, options={"measure": measure.id}
        )
        # Observations come with their own periods and areas: nothing to break down. Their one
        # indicator stands for the measure, as a model's headline does, per period and area.
        overall = attrs.evolve(measure, by=(), period=None)
        kind = kind_for(measure.unit)
        self.headlines[measure.id] = measure.headline or cls.headline
        self.breakdowns[measure.id] = ("period", "area")
        self.results.extend(
            attrs.evolve(result, unit=measure.unit, kind=kind)
            for result in self._compute(cls, model, overall, context)
        )


def _numbered(frame: Any) -> Any:
    """*frame* with the row-number column, numbering its rows from 1 where it has none."""
    import narwhals as nw

    native = nw.from_native(frame)
    if ROW in native.columns:
        return frame
    if isinstance(native, nw.DataFrame):
        return native.with_row_index(ROW).with_columns(nw.col(ROW) + 1).to_native()
    if native.implementation is nw.Implementation.POLARS:
        return frame.with_row_index(ROW, offset=1)
    message = f"a {type(frame).__name__} without the {ROW!r} column cannot be numbered"
    raise ValueError(message)


def _without_rows(frame: Any, rows: set[int]) -> Any:
    if not rows:
        return frame
    import narwhals as nw

    return nw.from_native(frame).filter(~nw.col(ROW).is_in(sorted(rows)))


def _in_memory(frame: nw.LazyFrame[Any]) -> nw.LazyFrame[Any]:
    """*frame*, held in memory when Polars runs it, so that each grouping reads it once.

    Other engines keep it as they have it: a Spark or DuckDB frame stays where it is.
    """
    import narwhals as nw

    if frame.implementation is nw.Implementation.POLARS:
        return frame.collect().lazy()
    return frame


def _in_memory_native(frame: Any) -> Any:
    """A lazy Polars *frame* read once into memory, so that every measure using it reads it once.

    Any other frame is left as it is: a Spark or DuckDB frame stays where its engine holds it.
    """
    import narwhals as nw

    native = nw.from_native(frame)
    if isinstance(native, nw.LazyFrame) and native.implementation is nw.Implementation.POLARS:
        return native.collect().lazy().to_native()
    return frame


def _collected(frame: Any) -> list[dict[str, Any]]:
    import narwhals as nw

    found = nw.from_native(frame)
    if isinstance(found, nw.LazyFrame):
        found = found.collect()
    return list(found.rows(named=True))


def _results(
    model: str,
    indicators: Mapping[str, Indicator],
    measure: Measure,
    keys: Sequence[str],
    rows: list[dict[str, Any]],
) -> list[Result]:
    found = []
    for row in rows:
        name = str(row.get("indicator"))
        if name not in indicators:
            message = f"{model} computed the indicator {name!r}, which it does not declare"
            raise ValueError(message)
        value = row.get("value")
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            continue  # an undefined figure is left out
        if any(row.get(k) is None for k in keys):
            continue  # rows without the key are in the figures over everything
        dimensions = {k: str(row[k]) for k in keys}
        for column, cell in row.items():
            if column in {"indicator", "value", "n", ROW, *keys} or cell is None:
                continue
            dimensions[column] = str(cell)
        indicator = indicators[name]
        n = row.get("n")
        found.append(
            Result(
                model,
                name,
                float(value),
                dimensions,
                people=indicator.people,
                measure=measure.id,
                n=None if n is None else int(n),
                kind=indicator.kind,
                unit=indicator.unit,
            )
        )
    return found
