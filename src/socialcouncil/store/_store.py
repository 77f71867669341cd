"""The store: recording runs, reading history, keeping the learning log."""

from __future__ import annotations

import contextlib
import datetime
import gc
import json
import os
import re
import uuid
from typing import TYPE_CHECKING, Any, TypeVar

import sqlalchemy as sa

from socialcouncil.store import (
    LOG_KINDS,
    SCHEMA_VERSION,
    Erasure,
    HistoryPoint,
    LogEntry,
    LogEntryError,
    NewerStoreError,
    NotAStoreError,
    Run,
    RunSummary,
    SourceFingerprint,
    StoredProblem,
    StoreError,
)
from socialcouncil.store import _schema as s
from socialcouncil.store._history import Member, TrendKey, trend_points

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
    from types import TracebackType

    from socialcouncil.measurement import Result
    from socialcouncil.measurement.run import Measurement
    from socialcouncil.model import Council
    from socialcouncil.plugins import Registry
    from socialcouncil.store._engines import StoreEngine

__all__ = ["MIGRATIONS", "Store", "open_store"]

T = TypeVar("T")

_URL = re.compile(r"^([A-Za-z][A-Za-z0-9.+-]*)://")

_LINK_KINDS = ("projects", "values", "measures", "big_moves")
_LINK_WORDS = {
    "projects": "project",
    "values": "value",
    "measures": "measure",
    "big_moves": "big move",
}


def _create_index_of_links(connection: sa.Connection) -> None:
    for index in s.log_links.indexes:
        index.create(connection, checkfirst=True)


MIGRATIONS: Mapping[int, Callable[[sa.Connection], None]] = {
    1: _create_index_of_links,
}
"""Each step forward, by the schema version it starts from: version 1 lacked the index that
finds the log entries linked to a project or measure."""


@contextlib.contextmanager
def _many_records() -> Iterator[None]:
    """Pause Python's cycle collector while many small records are made.

    A history or a run is tens of thousands of records none of which refer back to another;
    the collector would walk them again and again as they are made, for nothing, and take as
    long as the reading itself.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _utc(moment: datetime.datetime) -> datetime.datetime:
    if moment.tzinfo is None:
        # SQLite keeps times without their zone; the store writes only UTC.
        return moment.replace(tzinfo=datetime.timezone.utc)
    return moment.astimezone(datetime.timezone.utc)


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _canonical(council: Council) -> str:
    from socialcouncil import files

    def default(value: object) -> object:
        if isinstance(value, datetime.date):
            return value.isoformat()
        raise TypeError(f"cannot write {type(value).__name__} to JSON")

    return json.dumps(
        files.unstructure(council),
        ensure_ascii=False,
        separators=(",", ":"),
        sort_keys=True,
        default=default,
    )


def _unstorable(text: str) -> str | None:
    """Why *text* cannot be stored as it is, or None: every engine keeps UTF-8 text."""
    if "\x00" in text:
        return "holds a NUL character, which no store keeps; expected text without it"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return (
            f"holds {text[exc.start]!r} at character {exc.start + 1}, which is not text "
            "(bytes a terminal could not decode?); expected UTF-8 text"
        )
    return None


def _engine_for(location: str, registry: Registry) -> StoreEngine:
    engines = registry.store_engines
    match = _URL.match(location)
    if match is None:
        return engines["sqlite"](location)
    scheme = match.group(1).lower().split("+", 1)[0]
    for engine in engines.values():
        if scheme in engine.schemes:
            try:
                url = sa.make_url(location)
            except sa.exc.ArgumentError as exc:
                raise StoreError(_hidden(location), f"is not a URL a store opens: {exc}") from None
            except ValueError:
                raise StoreError(
                    _hidden(location), "is not a URL a store opens: its port is not a number"
                ) from None
            if url.password is not None or "password" in url.query:
                shown = url.render_as_string(hide_password=True)
                raise StoreError(
                    shown,
                    "holds a password; give it in PGPASSWORD or ~/.pgpass (libpq's own "
                    "places), never in the store's URL",
                )
            return engine(location)
    known = ", ".join(sorted(f"{s}://" for e in engines.values() for s in e.schemes))
    raise StoreError(_hidden(location), f"no store engine opens {scheme}:// URLs; expected {known}")


def _hidden(location: str) -> str:
    """*location* with any password in it shown as ``***``."""
    return re.sub(r"^([^:/]*://[^/@:]*:)[^/]*@", r"\1***@", location)


def open_store(location: str | os.PathLike[str], *, registry: Registry | None = None) -> Store:
    """The history store at *location*; opening it touches nothing.

    Args:
        location: the path of an SQLite file, or a URL: ``sqlite:///PATH``,
            ``postgresql://user@host/database`` (also ``postgres://`` and
            ``postgresql+psycopg://``), or a scheme a plugin's store engine opens. A URL
            must not hold a password: PostgreSQL's comes from ``PGPASSWORD`` or
            ``~/.pgpass``.
        registry: where the store engines come from; the process's
            :func:`~socialcouncil.registry` when None.

    Raises:
        StoreError: for a URL no engine opens, or one holding a password.
    """
    if registry is None:
        from socialcouncil.plugins import registry as process_registry

        registry = process_registry()
    engine = _engine_for(os.fspath(location), registry)
    return Store(engine)


def _result_row(run: str, position: int, result: Any) -> dict[str, object]:
    dimensions = result.dimensions
    period = dimensions.get("period")
    if period is not None:
        dimensions = {k: v for k, v in dimensions.items() if k != "period"}
    return {
        "run": run,
        "position": position,
        "measure": result.measure,
        "model": result.model,
        "indicator": result.indicator,
        "value": result.value,
        "n": result.n,
        "people": result.people,
        "kind": result.kind,
        "unit": result.unit,
        "period": period,
        "dimensions": _json(dimensions) if dimensions else "{}",
    }


class Store:
    """A history store: its runs and its learning log. Get one from :func:`open_store`.

    Every read and write first checks what is at the location: something that is not a store,
    or is damaged, raises :class:`~socialcouncil.store.NotAStoreError`; a store written by a
    newer socialcouncil raises :class:`~socialcouncil.store.NewerStoreError`; neither is ever
    modified. A store that is not there yet reads as empty, and the first write makes it. A
    store of an older schema is read as it is, and migrated forward only by a write, under
    the store's write lock.

    Nothing is updated or deleted, but for :meth:`erase`. Use it as a context manager, or
    call :meth:`close`.

    Attributes:
        location: where the store is, never with a password.
        engine: the name of the store engine that opens it, such as ``"sqlite"``.
    """

    def __init__(self, engine: StoreEngine) -> None:
        self._engine = engine
        self.location = engine.location
        self.engine = engine.name

    def __repr__(self) -> str:
        return f"<Store {self.engine} {self.location}>"

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Let go of the store's connections; it can be used again, and opens them anew."""
        self._engine.close()

    # -- the machinery ------------------------------------------------------------------------

    def _version(self, connection: sa.Connection) -> int | None:
        if not sa.inspect(connection).has_table("meta"):
            return None
        text = connection.execute(
            sa.select(s.meta.c.value).where(s.meta.c.key == "schema_version")
        ).scalar_one_or_none()
        try:
            version = int(text) if text is not None else None
        except ValueError:
            version = None
        if version is None or version < 1:
            raise NotAStoreError(
                self.location, f"is not a history store: its schema version is {text!r}"
            )
        if version > SCHEMA_VERSION:
            raise NewerStoreError(
                self.location,
                f"was written by a newer socialcouncil (store schema version {version}; this "
                f"one reads up to {SCHEMA_VERSION}); upgrade socialcouncil to use it",
            )
        return version

    def _read(self, work: Callable[[sa.Connection, int], T], empty: T) -> T:
        try:
            if not self._engine.exists():
                return empty
            with self._engine.reading().connect() as connection:
                version = self._version(connection)
                if version is None:
                    return empty
                return work(connection, version)
        except sa.exc.SQLAlchemyError as exc:
            raise self._engine.error(exc) from None

    def _write(self, work: Callable[[sa.Connection], T]) -> T:
        try:
            # Recognise what is there, and read its schema version, on a connection that only
            # reads, before a writing connection can change anything (SQLite's journal mode).
            if self._engine.exists():
                with self._engine.reading().connect() as connection:
                    self._version(connection)
            with self._engine.writing().begin() as connection:
                self._engine.lock(connection)
                version = self._version(connection)
                if version is None:
                    s.metadata.create_all(connection)
                    connection.execute(
                        sa.insert(s.meta).values(key="schema_version", value=str(SCHEMA_VERSION))
                    )
                elif version < SCHEMA_VERSION:
                    for step in range(version, SCHEMA_VERSION):
                        MIGRATIONS[step](connection)
                    connection.execute(
                        sa.update(s.meta)
                        .where(s.meta.c.key == "schema_version")
                        .values(value=str(SCHEMA_VERSION))
                    )
                return work(connection)
        except sa.exc.SQLAlchemyError as exc:
            raise self._engine.error(exc) from None

    # -- runs ---------------------------------------------------------------------------------

    def record(
        self,
        council: Council,
        measurement: Measurement,
        *,
        model_file: str | os.PathLike[str] | None = None,
        recorded_at: datetime.datetime | None = None,
    ) -> Run:
        """Store *measurement* of *council* as a new run, in one transaction, and return it.

        The run holds every result, every problem (as :meth:`StoredProblem.of
        <socialcouncil.store.StoredProblem.of>` keeps it: never a bad cell's value), each
        source read with its fingerprint, the council as canonical JSON, the headlines,
        breakdowns and unmeasured measures, the socialcouncil version and the time.

        Args:
            council: the council measured.
            measurement: what :func:`~socialcouncil.measure` gave.
            model_file: the model file measured, as given, to be listed with the run.
            recorded_at: when, as an aware time (kept in UTC); now when None.
        """
        from socialcouncil import __version__

        if recorded_at is not None and recorded_at.tzinfo is None:
            raise ValueError("recorded_at must be an aware time, such as one in UTC")
        types = {source.id: source.type for source in council.sources}
        run = Run(
            id=str(uuid.uuid4()),
            recorded_at=_utc(recorded_at) if recorded_at is not None else _now(),
            version=__version__,
            council=council,
            results=measurement.results,
            problems=[StoredProblem.of(p) for p in measurement.problems],
            sources=[
                SourceFingerprint(
                    id=key,
                    type=types.get(key, ""),
                    location=table.location,
                    fingerprint=table.fingerprint,
                )
                for key, table in measurement.tables.items()
            ],
            headlines=dict(measurement.headlines),
            breakdowns={k: tuple(v) for k, v in measurement.breakdowns.items()},
            unmeasured=measurement.unmeasured,
            model_file=os.fspath(model_file) if model_file is not None else None,
        )
        self._write(lambda connection: self._insert_run(connection, run))
        return run

    def _insert_run(self, connection: sa.Connection, run: Run) -> None:
        connection.execute(
            sa.insert(s.runs).values(
                id=run.id,
                recorded_at=_utc(run.recorded_at),
                version=run.version,
                council_name=run.council.name,
                council=_canonical(run.council),
                model_file=run.model_file,
                headlines=_json(dict(run.headlines)),
                breakdowns=_json({k: list(v) for k, v in run.breakdowns.items()}),
                unmeasured=_json(list(run.unmeasured)),
                result_count=len(run.results),
                problem_count=len(run.problems),
                source_count=len(run.sources),
            )
        )
        if run.results:
            with _many_records():
                rows = [_result_row(run.id, i, r) for i, r in enumerate(run.results)]
            connection.execute(sa.insert(s.results), rows)
        if run.problems:
            rows = [
                {
                    "run": run.id,
                    "position": i,
                    "path": p.path,
                    "source": p.source,
                    "location": p.location,
                    "row": p.row,
                    "field": p.field,
                    "expected": p.expected,
                    "message": p.message,
                }
                for i, p in enumerate(run.problems)
            ]
            connection.execute(sa.insert(s.problems), rows)
        if run.sources:
            rows = [
                {
                    "run": run.id,
                    "position": i,
                    "id": f.id,
                    "type": f.type,
                    "location": f.location,
                    "fingerprint": f.fingerprint,
                }
                for i, f in enumerate(run.sources)
            ]
            connection.execute(sa.insert(s.sources), rows)

    def runs(self) -> tuple[RunSummary, ...]:
        """Every run, oldest first (by time recorded, then id)."""

        def work(connection: sa.Connection, _version: int) -> tuple[RunSummary, ...]:
            rows = connection.execute(
                sa.select(
                    s.runs.c.id,
                    s.runs.c.recorded_at,
                    s.runs.c.version,
                    s.runs.c.council_name,
                    s.runs.c.model_file,
                    s.runs.c.result_count,
                    s.runs.c.problem_count,
                ).order_by(s.runs.c.recorded_at, s.runs.c.id)
            )
            return tuple(
                RunSummary(
                    id=row[0],
                    recorded_at=_utc(row[1]),
                    version=row[2],
                    council=row[3],
                    model_file=row[4],
                    results=row[5],
                    problems=row[6],
                )
                for row in rows
            )

        return self._read(work, ())

    def run(self, id: str) -> Run:  # noqa: A002 - the run's id
        """The whole run with the id *id*.

        Raises:
            StoreError: when the store holds no run of that id.
        """

        def work(connection: sa.Connection, _version: int) -> Run | None:
            return self._load_run(connection, id)

        found = self._read(work, None)
        if found is None:
            raise StoreError(self.location, f"holds no run {id!r}")
        return found

    def _load_run(self, connection: sa.Connection, id: str) -> Run | None:  # noqa: A002
        from socialcouncil import files

        row = connection.execute(sa.select(s.runs).where(s.runs.c.id == id)).one_or_none()
        if row is None:
            return None
        council = files.structure(
            json.loads(row.council), source=f"{self.location}, run {id}, council"
        )
        with _many_records():
            results = self._results(connection, id)
        p = s.problems.c
        problems = [
            StoredProblem(
                path=item.path,
                source=item.source,
                location=item.location,
                row=item.row,
                field=item.field,
                expected=item.expected,
                message=item.message,
            )
            for item in connection.execute(
                sa.select(s.problems).where(p.run == id).order_by(p.position)
            )
        ]
        f = s.sources.c
        sources = [
            SourceFingerprint(
                id=item.id, type=item.type, location=item.location, fingerprint=item.fingerprint
            )
            for item in connection.execute(
                sa.select(s.sources).where(f.run == id).order_by(f.position)
            )
        ]
        return Run(
            id=row.id,
            recorded_at=_utc(row.recorded_at),
            version=row.version,
            council=council,
            results=results,
            problems=problems,
            sources=sources,
            headlines=json.loads(row.headlines),
            breakdowns={k: tuple(v) for k, v in json.loads(row.breakdowns).items()},
            unmeasured=tuple(json.loads(row.unmeasured)),
            model_file=row.model_file,
        )

    def _results(self, connection: sa.Connection, id: str) -> list[Result]:  # noqa: A002
        from socialcouncil.measurement import Result

        results = []
        r = s.results.c
        for item in connection.execute(
            sa.select(
                r.model,
                r.indicator,
                r.value,
                r.dimensions,
                r.people,
                r.measure,
                r.n,
                r.kind,
                r.unit,
                r.period,
            )
            .where(r.run == id)
            .order_by(r.position)
        ):
            dimensions = json.loads(item[3])
            if item[9] is not None:
                dimensions["period"] = item[9]
            results.append(
                Result(
                    item[0],
                    item[1],
                    item[2],
                    dimensions,
                    bool(item[4]),
                    measure=item[5],
                    n=item[6],
                    kind=item[7],
                    unit=item[8],
                )
            )
        return results

    # -- history ------------------------------------------------------------------------------

    def history(
        self,
        council: Council | None = None,
        *,
        measure: str | None = None,
        indicator: str | None = None,
    ) -> tuple[HistoryPoint, ...]:
        """Every stored figure in its trend, as :func:`~socialcouncil.store.history_points`.

        Args:
            council: whose measures give the trends' order, baselines and directions; the
                latest run's council when None.
            measure: only this measure's figures.
            indicator: only this indicator's figures.

        Each measure's headline indicator is the one the latest run that measured it gives.
        """

        def work(connection: sa.Connection, _version: int) -> tuple[HistoryPoint, ...]:
            from socialcouncil import files

            times: dict[str, datetime.datetime] = {}
            headlines: dict[str, str] = {}
            latest = None
            parsed: dict[str, dict[str, str]] = {}
            for row in connection.execute(
                sa.select(s.runs.c.id, s.runs.c.recorded_at, s.runs.c.headlines).order_by(
                    s.runs.c.recorded_at, s.runs.c.id
                )
            ).all():
                times[row[0]] = _utc(row[1])
                # Runs of one council mostly repeat their headlines: each text is read once.
                found = parsed.get(row[2])
                if found is None:
                    found = parsed[row[2]] = json.loads(row[2])
                headlines.update(found)
                latest = row[0]
            if latest is None:
                return ()
            chosen = council
            if chosen is None:
                text = connection.execute(
                    sa.select(s.runs.c.council).where(s.runs.c.id == latest)
                ).scalar_one()
                chosen = files.structure(
                    json.loads(text), source=f"{self.location}, run {latest}, council"
                )
            r = s.results.c
            query = sa.select(
                r.run, r.measure, r.indicator, r.dimensions, r.period, r.value, r.n
            ).where(r.measure.is_not(None))
            if measure is not None:
                query = query.where(r.measure == measure)
            if indicator is not None:
                query = query.where(r.indicator == indicator)
            with _many_records():
                return self._trends(connection.execute(query).all(), times, chosen, headlines)

        return self._read(work, ())

    def _trends(
        self,
        rows: Sequence[Any],
        times: Mapping[str, datetime.datetime],
        council: Council,
        headlines: Mapping[str, str],
    ) -> tuple[HistoryPoint, ...]:
        shapes: dict[str, tuple[dict[str, str], tuple[tuple[str, str], ...]]] = {}
        trends: dict[TrendKey, list[Member]] = {}
        for position, (run, measure_id, name, text, period, value, n) in enumerate(rows):
            shape = shapes.get(text)
            if shape is None:
                dimensions = json.loads(text)
                shape = shapes[text] = (dimensions, tuple(sorted(dimensions.items())))
            key = (measure_id, name, shape[1], period is not None)
            member = (period or "", times[run], run, position, value, n, shape[0], period)
            trend = trends.get(key)
            if trend is None:
                trends[key] = [member]
            else:
                trend.append(member)
        return trend_points(trends, council, headlines)

    # -- the learning log ---------------------------------------------------------------------

    def log(
        self,
        *,
        project: str | None = None,
        measure: str | None = None,
        since: datetime.date | None = None,
    ) -> tuple[LogEntry, ...]:
        """The learning log's entries, by date and then time recorded, erased ones included.

        Args:
            project: only the entries linked to this project.
            measure: only the entries linked to this measure.
            since: only the entries of this day or later.
        """

        def work(connection: sa.Connection, _version: int) -> tuple[LogEntry, ...]:
            e = s.log_entries.c
            link = s.log_links.c
            query = sa.select(s.log_entries)
            for kind, target in (("projects", project), ("measures", measure)):
                if target is not None:
                    query = query.where(
                        sa.exists().where(
                            link.entry == e.id, link.kind == kind, link.target == target
                        )
                    )
            if since is not None:
                query = query.where(e.date >= since)
            rows = list(connection.execute(query.order_by(e.date, e.recorded_at, e.id)))
            return self._entries(connection, rows)

        return self._read(work, ())

    def _entries(self, connection: sa.Connection, rows: Sequence[Any]) -> tuple[LogEntry, ...]:
        links: dict[str, dict[str, list[str]]] = {}
        ids = [row.id for row in rows]
        link = s.log_links.c
        for start in range(0, len(ids), 500):
            for entry, kind, target in connection.execute(
                sa.select(link.entry, link.kind, link.target)
                .where(link.entry.in_(ids[start : start + 500]))
                .order_by(link.entry, link.kind, link.position)
            ):
                links.setdefault(entry, {}).setdefault(kind, []).append(target)
        return tuple(
            LogEntry(
                id=row.id,
                date=row.date,
                kind=row.kind,
                text=row.text,
                author=row.author,
                projects=links.get(row.id, {}).get("projects", ()),
                values=links.get(row.id, {}).get("values", ()),
                measures=links.get(row.id, {}).get("measures", ()),
                big_moves=links.get(row.id, {}).get("big_moves", ()),
                corrects=row.corrects,
                recorded_at=_utc(row.recorded_at),
                erased_at=_utc(row.erased_at) if row.erased_at is not None else None,
            )
            for row in rows
        )

    def add_log_entry(
        self,
        council: Council,
        kind: str,
        text: str,
        *,
        date: datetime.date | None = None,
        author: str | None = None,
        projects: Iterable[str] = (),
        values: Iterable[str] = (),
        measures: Iterable[str] = (),
        big_moves: Iterable[str] = (),
        corrects: str | None = None,
    ) -> LogEntry:
        """Add an entry to the learning log, and return it.

        Every link is checked against *council*, and *corrects* against the store; every
        problem is reported at once, and then nothing is written.

        Args:
            council: the council whose projects, values, measures and big moves the entry
                may link to.
            kind: ``"decision"``, ``"lesson"``, ``"story"`` or ``"event"``.
            text: what was decided, learnt, told or happened.
            date: the day it is about; today (UTC) when None.
            author: who wrote it.
            projects: ids of the projects it is about.
            values: ids of the values it is about.
            measures: ids of the measures it is about.
            big_moves: ids of the big moves it is about.
            corrects: the id of the entry it corrects.

        Raises:
            LogEntryError: listing every problem.
        """
        problems = []
        if kind not in LOG_KINDS:
            problems.append(
                f"kind {kind!r} is not a kind of log entry; expected one of {', '.join(LOG_KINDS)}"
            )
        if not isinstance(text, str) or not text.strip():
            problems.append(
                "the text is empty; expected what was decided, learnt, told or happened"
            )
        if author is not None and not author.strip():
            problems.append("the author is empty; expected who wrote the entry, or no author")
        for word, value in (("text", text), ("author", author)):
            if isinstance(value, str):
                problem = _unstorable(value)
                if problem:
                    problems.append(f"the {word} {problem}")
        known = {
            "projects": [p.id for p in council.projects],
            "values": [v.id for v in council.values],
            "measures": [m.id for m in council.measures],
            "big_moves": [b.id for b in council.thread.big_moves],
        }
        given = {
            "projects": tuple(projects),
            "values": tuple(values),
            "measures": tuple(measures),
            "big_moves": tuple(big_moves),
        }
        for link_kind in _LINK_KINDS:
            ids = known[link_kind]
            word = _LINK_WORDS[link_kind]
            for target in dict.fromkeys(given[link_kind]):
                if target not in ids:
                    expected = (
                        f"expected one of {', '.join(ids)}" if ids else f"the model has no {word}s"
                    )
                    problems.append(f"{word} {target!r} is not in the model; {expected}")
        entry = LogEntry(
            id=str(uuid.uuid4()),
            date=date if date is not None else _now().date(),
            kind=kind,  # type: ignore[arg-type]  # checked above, before anything is written
            text=text,
            author=author,
            projects=tuple(dict.fromkeys(given["projects"])),
            values=tuple(dict.fromkeys(given["values"])),
            measures=tuple(dict.fromkeys(given["measures"])),
            big_moves=tuple(dict.fromkeys(given["big_moves"])),
            corrects=corrects,
            recorded_at=_now(),
        )

        def work(connection: sa.Connection) -> None:
            found = list(problems)
            if corrects is not None and not self._has_entry(connection, corrects):
                found.append(f"corrects {corrects!r}, which is not an entry of the learning log")
            if found:
                raise LogEntryError(found)
            self._insert_entry(connection, entry)

        # Checked on a reading connection first, so that a refused entry makes no store.
        if corrects is not None and not self._read(
            lambda connection, _version: self._has_entry(connection, corrects), False
        ):
            problems.append(f"corrects {corrects!r}, which is not an entry of the learning log")
        if problems:
            raise LogEntryError(problems)
        self._write(work)
        return entry

    def _has_entry(self, connection: sa.Connection, id: str) -> bool:  # noqa: A002
        e = s.log_entries.c
        return connection.execute(sa.select(e.id).where(e.id == id)).first() is not None

    def _insert_entry(self, connection: sa.Connection, entry: LogEntry) -> None:
        connection.execute(
            sa.insert(s.log_entries).values(
                id=entry.id,
                date=entry.date,
                kind=entry.kind,
                author=entry.author,
                text=entry.text,
                corrects=entry.corrects,
                recorded_at=_utc(entry.recorded_at or _now()),
                erased_at=_utc(entry.erased_at) if entry.erased_at is not None else None,
            )
        )
        rows = [
            {"entry": entry.id, "kind": kind, "position": i, "target": target}
            for kind, targets in entry.links.items()
            for i, target in enumerate(targets)
        ]
        if rows:
            connection.execute(sa.insert(s.log_links), rows)

    def erase(self, entry_id: str, *, reason: str | None = None) -> LogEntry:
        """Erase the text of the log entry *entry_id*, under the right to erasure.

        The one change a store allows: the entry stays, with its date, kind and links, but
        its text becomes empty, its author None (a resident's name is personal data too), and
        its ``erased_at`` is set; an :class:`Erasure <socialcouncil.store.Erasure>` record
        keeps when, and why.

        On SQLite the old text is overwritten in the file (``secure_delete``), and the
        write-ahead log is then checkpointed and emptied (``wal_checkpoint(TRUNCATE)``); where
        a reader holds the log so that this cannot finish, a
        :class:`~socialcouncil.store.StoreWarning` says so, and the next checkpoint finishes
        it. On PostgreSQL ``VACUUM log_entries`` follows the commit, so that the old row
        version is no longer in the table; the server's write-ahead log, and any backup,
        still hold it until they are recycled.

        Raises:
            StoreError: when the store holds no entry of that id, or its text is erased
                already.
        """
        erasure = Erasure(id=str(uuid.uuid4()), entry=entry_id, erased_at=_now(), reason=reason)

        def work(connection: sa.Connection) -> LogEntry:
            e = s.log_entries.c
            row = connection.execute(sa.select(s.log_entries).where(e.id == entry_id)).one_or_none()
            if row is None:
                raise StoreError(self.location, f"holds no log entry {entry_id!r}")
            if row.erased_at is not None:
                raise StoreError(
                    self.location,
                    f"log entry {entry_id!r} was erased already, at {_utc(row.erased_at)}",
                )
            self._erase(connection, erasure)
            changed = connection.execute(sa.select(s.log_entries).where(e.id == entry_id)).one()
            return self._entries(connection, [changed])[0]

        erased = self._write(work)
        # The old text may linger in the write-ahead log or dead rows: the engine clears them.
        purge = getattr(self._engine, "purge", None)
        if purge is not None:
            try:
                purge()
            except sa.exc.SQLAlchemyError as exc:
                raise self._engine.error(exc) from None
        return erased

    def _erase(self, connection: sa.Connection, erasure: Erasure) -> None:
        e = s.log_entries.c
        connection.execute(
            sa.update(s.log_entries)
            .where(e.id == erasure.entry)
            .values(text="", author=None, erased_at=_utc(erasure.erased_at))
        )
        connection.execute(
            sa.insert(s.erasures).values(
                id=erasure.id,
                entry=erasure.entry,
                erased_at=_utc(erasure.erased_at),
                reason=erasure.reason,
            )
        )

    def erasures(self) -> tuple[Erasure, ...]:
        """Every erasure of a log entry's text, oldest first."""

        def work(connection: sa.Connection, _version: int) -> tuple[Erasure, ...]:
            c = s.erasures.c
            return tuple(
                Erasure(
                    id=row.id, entry=row.entry, erased_at=_utc(row.erased_at), reason=row.reason
                )
                for row in connection.execute(sa.select(s.erasures).order_by(c.erased_at, c.id))
            )

        return self._read(work, ())

    # -- merging ------------------------------------------------------------------------------

    def merge(
        self,
        runs: Iterable[Run],
        entries: Iterable[LogEntry],
        *,
        erasures: Iterable[Erasure] = (),
    ) -> tuple[int, int]:
        """Add the runs and log entries whose ids the store lacks, in one transaction.

        An incoming entry whose text was erased erases the stored one too, keeping the
        incoming erasure record where *erasures* holds one for it. Merging the same runs and
        entries again changes nothing.

        Args:
            runs: runs, such as another store's.
            entries: log entries, such as another store's.
            erasures: the erasure records that go with *entries*.

        Returns:
            How many runs, and how many entries, were new.
        """
        runs = list(runs)
        entries = list(entries)
        records = {e.entry: e for e in erasures}

        def work(connection: sa.Connection) -> tuple[int, int]:
            run_ids = self._ids(connection, s.runs.c.id, [r.id for r in runs])
            new_runs = 0
            for run in runs:
                if run.id not in run_ids:
                    self._insert_run(connection, run)
                    run_ids.add(run.id)
                    new_runs += 1
            e = s.log_entries.c
            stored = {
                row.id: row.erased_at
                for start in range(0, len(entries), 500)
                for row in connection.execute(
                    sa.select(e.id, e.erased_at).where(
                        e.id.in_([x.id for x in entries[start : start + 500]])
                    )
                )
            }
            erasure_ids = self._ids(connection, s.erasures.c.id, [x.id for x in records.values()])
            new_entries = 0
            # An entry that corrects another is added after it.
            for entry in _corrected_first(entries):
                if entry.id not in stored:
                    self._insert_entry(connection, entry)
                    stored[entry.id] = entry.erased_at
                    new_entries += 1
                    record = records.get(entry.id)
                    if record is not None and record.id not in erasure_ids:
                        connection.execute(
                            sa.insert(s.erasures).values(
                                id=record.id,
                                entry=record.entry,
                                erased_at=_utc(record.erased_at),
                                reason=record.reason,
                            )
                        )
                        erasure_ids.add(record.id)
                elif entry.erased_at is not None and stored[entry.id] is None:
                    record = records.get(entry.id) or Erasure(
                        id=str(uuid.uuid4()),
                        entry=entry.id,
                        erased_at=entry.erased_at,
                        reason=None,
                    )
                    self._erase(connection, record)
                    stored[entry.id] = entry.erased_at
            return new_runs, new_entries

        return self._write(work)

    def _ids(self, connection: sa.Connection, column: Any, wanted: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(wanted), 500):
            found.update(
                connection.execute(
                    sa.select(column).where(column.in_(wanted[start : start + 500]))
                ).scalars()
            )
        return found

    # -- checking -----------------------------------------------------------------------------

    def check(self) -> tuple[str, ...]:
        """What is wrong with the store, each in words; empty when nothing is.

        It runs the engine's own integrity check (SQLite's ``integrity_check``), reads the
        schema version, and checks that every run is complete: that it holds as many results,
        problems and sources as it recorded. An older schema is not a problem: see
        :meth:`schema_version`. A store not there yet has nothing wrong with it.

        Raises:
            NotAStoreError: for what is not a store at all, and for an empty file (0 bytes),
                which reads take as an empty store and the next write makes a store in.
            NewerStoreError: for a store of a newer socialcouncil.
        """

        def work(connection: sa.Connection, version: int) -> tuple[str, ...]:
            found = list(self._engine.integrity(connection))
            for table, column, word in (
                (s.results, s.runs.c.result_count, "results"),
                (s.problems, s.runs.c.problem_count, "problems"),
                (s.sources, s.runs.c.source_count, "sources"),
            ):
                held = (
                    sa.select(table.c.run, sa.func.count().label("held"))
                    .group_by(table.c.run)
                    .subquery()
                )
                query = (
                    sa.select(s.runs.c.id, column, sa.func.coalesce(held.c.held, 0))
                    .outerjoin(held, held.c.run == s.runs.c.id)
                    .where(column != sa.func.coalesce(held.c.held, 0))
                    .order_by(s.runs.c.recorded_at, s.runs.c.id)
                )
                found += [
                    f"run {row[0]} recorded {row[1]} {word} but holds {row[2]}"
                    for row in connection.execute(query)
                ]
                orphans = connection.execute(
                    sa.select(sa.func.count())
                    .select_from(table)
                    .where(~sa.exists().where(s.runs.c.id == table.c.run))
                ).scalar_one()
                if orphans:
                    found.append(f"{orphans} {word} belong to no run")
            return tuple(found)

        if not self._engine.exists():
            # An empty file is no store to check, though reads take it as an empty store and
            # the next write makes one in it.
            blank = getattr(self._engine, "blank", None)
            reason = blank() if blank is not None else None
            if reason:
                raise NotAStoreError(self.location, reason)
            return ()
        return self._read(work, ())

    def schema_version(self) -> int | None:
        """The schema version the store is written in, or None where there is no store yet.

        A version below :data:`~socialcouncil.store.SCHEMA_VERSION` is a store of an older
        socialcouncil: read as it is, and brought forward by the next write.
        """
        return self._read(lambda _connection, version: version, None)


def _corrected_first(entries: Sequence[LogEntry]) -> list[LogEntry]:
    ids = {e.id: e for e in entries}
    done: set[str] = set()
    ordered: list[LogEntry] = []

    def visit(entry: LogEntry, seen: frozenset[str]) -> None:
        if entry.id in done:
            return
        target = ids.get(entry.corrects) if entry.corrects is not None else None
        if target is not None and target.id not in seen:
            visit(target, seen | {entry.id})
        done.add(entry.id)
        ordered.append(entry)

    for entry in entries:
        visit(entry, frozenset())
    return ordered
