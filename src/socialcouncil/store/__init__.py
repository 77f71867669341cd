"""The history store, a council's "neighbourhood memory": its runs and its learning log.

A store holds two kinds of record, and never changes either once written:

- a :class:`Run` is one stored measurement: every result, every problem (where it was and what
  was expected, never the cell's value), each source's location and SHA-256 fingerprint, the
  council model as it was, the socialcouncil version and the time;
- a :class:`LogEntry` is one decision, lesson, story or event of the learning log, linked to
  the projects, values, measures and big moves it is about.

Both have UUIDs, so that a store exported and imported elsewhere merges without duplicates. A
correction is a new log entry that refers to the one it corrects; the one change a store allows
is the redaction of a log entry's text under the right to erasure, which is itself recorded.

Nothing in this module touches a database: it defines what a store holds. Opening one, and the
engines that do (SQLite, PostgreSQL, a plugin's own), come with
:func:`socialcouncil.open_store`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Literal

import attrs

from socialcouncil.measurement import Result
from socialcouncil.model import Council
from socialcouncil.model.errors import SocialCouncilError

if TYPE_CHECKING:
    from socialcouncil.errors import Problem
    from socialcouncil.store._engines import (
        PostgresqlEngine,
        SqliteEngine,
        StoreEngine,
        network_file_system,
    )
    from socialcouncil.store._history import history_points
    from socialcouncil.store._location import default_location
    from socialcouncil.store._store import Store, open_store
    from socialcouncil.store.package import StorePackageError, export_store, import_store

__all__ = [
    "LOG_KINDS",
    "SCHEMA_VERSION",
    "Erasure",
    "HistoryPoint",
    "LogEntry",
    "LogEntryError",
    "LogKind",
    "NewerStoreError",
    "NotAStoreError",
    "PostgresqlEngine",
    "Run",
    "RunSummary",
    "SourceFingerprint",
    "SqliteEngine",
    "Store",
    "StoreEngine",
    "StoreError",
    "StorePackageError",
    "StoreWarning",
    "StoredProblem",
    "default_location",
    "export_store",
    "history_points",
    "import_store",
    "network_file_system",
    "open_store",
]

SCHEMA_VERSION = 2
"""The version of the store's schema that this socialcouncil writes.

A store of a lower version is read as it is and brought forward by the next write; one of a
higher version is refused, and never modified.
"""

# The names that need SQLAlchemy load on first use, so that the record classes do not.
_LAZY = {
    **dict.fromkeys(
        [
            "PostgresqlEngine",
            "SqliteEngine",
            "StoreEngine",
            "network_file_system",
        ],
        "socialcouncil.store._engines",
    ),
    "history_points": "socialcouncil.store._history",
    "default_location": "socialcouncil.store._location",
    **dict.fromkeys(["Store", "open_store"], "socialcouncil.store._store"),
    **dict.fromkeys(
        ["StorePackageError", "export_store", "import_store"], "socialcouncil.store.package"
    ),
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'socialcouncil.store' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


LogKind = Literal["decision", "lesson", "story", "event"]
"""What a learning log entry records: a decision taken, a lesson learnt, a story told by or
about the people a project serves, or an event that happened."""

LOG_KINDS: tuple[LogKind, ...] = ("decision", "lesson", "story", "event")
"""Every kind of learning log entry, in the order the docs describe them."""


def _tuple(value: str | Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def _mapping(value: Mapping[str, str]) -> dict[str, str]:
    return dict(value)


def _results(value: Iterable[Result]) -> tuple[Result, ...]:
    return tuple(value)


def _problems(value: Iterable[StoredProblem]) -> tuple[StoredProblem, ...]:
    return tuple(value)


def _sources(value: Iterable[SourceFingerprint]) -> tuple[SourceFingerprint, ...]:
    return tuple(value)


@attrs.frozen
class SourceFingerprint:
    """Where one source of a run was read from, and exactly what it held.

    Attributes:
        id: the ``[[sources]]`` id.
        type: the data source that read it, such as ``"csv"``.
        location: where it was read from, as the model file writes it.
        fingerprint: ``"sha256:"`` and the hex digest of the file read; None where no file was
            read (a database, say).
    """

    id: str
    type: str
    location: str
    fingerprint: str | None = None


@attrs.frozen
class StoredProblem:
    """A problem as a store keeps it: where it was, and what was expected.

    A problem about a row keeps its source, row and field and what was expected, never the
    message, which quotes the cell's value: so no personal data enters a store through a bad
    row. A problem that is not about a row (a missing column, an unreadable file, a key of the
    model file) keeps its message.

    Attributes:
        path: where in the model file, as :attr:`Problem.path <socialcouncil.Problem.path>`.
        source: the ``[[sources]]`` id, for a problem in a source's data.
        location: where that source reads from.
        row: the row's number, for a problem about one row.
        field: the source's column, where the problem is in one.
        expected: what was expected, where the problem says.
        message: the whole message, for a problem that is not about a row; None for one that is.
    """

    path: str = ""
    source: str | None = None
    location: str | None = None
    row: int | None = None
    field: str | None = None
    expected: str | None = None
    message: str | None = None

    @classmethod
    def of(cls, problem: Problem) -> StoredProblem:
        """What a store keeps of *problem*.

        >>> from socialcouncil import Problem
        >>> StoredProblem.of(Problem("", "found 'J. Smith', expected a whole number from 1 to 5",
        ...                          source="survey", row=7, field="Q1",
        ...                          expected="a whole number from 1 to 5"))
        StoredProblem(path='', source='survey', location=None, row=7, field='Q1', expected='a whole number from 1 to 5', message=None)
        """  # noqa: E501 - a repr is one line
        return cls(
            path=problem.path,
            source=problem.source,
            location=problem.location,
            row=problem.row,
            field=problem.field,
            expected=problem.expected,
            message=None if problem.row is not None else problem.message,
        )

    def render(self) -> str:
        """The problem as one line, as :meth:`Problem.render <socialcouncil.Problem.render>`.

        >>> StoredProblem(source="survey", location="survey.csv", row=7, field="Q1",
        ...               expected="a whole number from 1 to 5").render()
        "survey.csv, row 7, column 'Q1': expected a whole number from 1 to 5"
        """
        if self.message is not None:
            what = self.message
        elif self.expected is not None:
            what = f"expected {self.expected}"
        else:
            what = "not valid"
        if self.source is not None or self.location is not None:
            place = [self.location or self.source or ""]
            if self.row is not None:
                place.append(f"row {self.row}")
            if self.field is not None:
                place.append(f"column {self.field!r}")
            return f"{', '.join(p for p in place if p)}: {what}"
        return f"{self.path}: {what}" if self.path else what


@attrs.frozen
class RunSummary:
    """What :meth:`Store.runs <socialcouncil.store.Store.runs>` lists of a run.

    Attributes:
        id: the run's UUID, as text.
        recorded_at: when it was recorded, in UTC.
        version: the socialcouncil version that recorded it.
        council: the council's name, as it was.
        model_file: the model file it was measured from, as given; None where unknown.
        results: how many results it holds.
        problems: how many problems it holds.
    """

    id: str
    recorded_at: datetime.datetime
    version: str
    council: str
    model_file: str | None = None
    results: int = 0
    problems: int = 0


@attrs.frozen
class Run:
    """One stored measurement: everything needed to show its figures again exactly.

    Attributes:
        id: the run's UUID, as text.
        recorded_at: when it was recorded, in UTC.
        version: the socialcouncil version that recorded it.
        council: the council as it was measured (stored as canonical JSON through the one
            converter).
        results: every result, as measured: before disclosure control, which applies to
            stored figures when they are published, as to fresh ones.
        problems: every problem found, as a store keeps it.
        sources: each source read, with its fingerprint.
        headlines: each measured measure's headline indicator, by measure id.
        breakdowns: what each measured measure's results are broken down by, by measure id.
        unmeasured: the ids of the measures that had no results because of a problem.
        model_file: the model file it was measured from, as given; None where unknown.
    """

    id: str
    recorded_at: datetime.datetime
    version: str
    council: Council
    results: tuple[Result, ...] = attrs.field(default=(), converter=_results)
    problems: tuple[StoredProblem, ...] = attrs.field(default=(), converter=_problems)
    sources: tuple[SourceFingerprint, ...] = attrs.field(default=(), converter=_sources)
    headlines: Mapping[str, str] = attrs.field(factory=dict, hash=False, kw_only=True)
    breakdowns: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict, hash=False, kw_only=True)
    unmeasured: tuple[str, ...] = attrs.field(default=(), converter=_tuple, kw_only=True)
    model_file: str | None = attrs.field(default=None, kw_only=True)

    def summary(self) -> RunSummary:
        """What :meth:`Store.runs <socialcouncil.store.Store.runs>` lists of this run."""
        return RunSummary(
            id=self.id,
            recorded_at=self.recorded_at,
            version=self.version,
            council=self.council.name,
            model_file=self.model_file,
            results=len(self.results),
            problems=len(self.problems),
        )


@attrs.frozen
class HistoryPoint:
    """One stored figure in its place in a trend across runs and periods.

    A trend is one measure's indicator with one set of dimensions. Its points run in order of
    period (for results broken down by period) or of run (for those that are not); where two
    runs cover one period, the later run's figure is the one the trend uses, and the earlier
    one is still listed, :attr:`superseded`.

    Attributes:
        run: the UUID of the run that holds the figure.
        recorded_at: when that run was recorded.
        measure: the measure's id.
        indicator: the indicator's name.
        dimensions: what the figure is broken down by, less its period.
        period: the period it covers, where it is broken down by period.
        value: the figure.
        n: the people or records behind it.
        change_since_first: its value less the trend's first figure's.
        change_since_baseline: its value less the measure's baseline, for the measure's headline
            indicator where the measure has a baseline; None otherwise.
        good: whether the change is good given the measure's direction, for the headline
            indicator: the change since the baseline where there is one, otherwise since the
            first figure; None where there is no change, or the indicator is not the headline.
        superseded: whether a later run's figure for the same period is the one the trend uses.
    """

    run: str
    recorded_at: datetime.datetime
    measure: str
    indicator: str
    dimensions: Mapping[str, str] = attrs.field(factory=dict, converter=_mapping, hash=False)
    period: str | None = None
    value: float = 0.0
    n: int | None = None
    change_since_first: float | None = None
    change_since_baseline: float | None = None
    good: bool | None = None
    superseded: bool = False


@attrs.frozen
class LogEntry:
    """One entry of the learning log.

    Attributes:
        id: the entry's UUID, as text.
        date: the day it is about.
        kind: ``"decision"``, ``"lesson"``, ``"story"`` or ``"event"``.
        text: what was decided, learnt, told or happened; empty once erased.
        author: who wrote it, where given; None once erased (a resident's name, as likely as not).
        projects: ids of the projects it is about.
        values: ids of the values it is about.
        measures: ids of the measures it is about.
        big_moves: ids of the big moves it is about.
        corrects: the id of the entry it corrects, for a correction.
        recorded_at: when it was added to the store, in UTC.
        erased_at: when its text and author were erased under the right to erasure; None while
            it stands.
    """

    id: str
    date: datetime.date
    kind: LogKind
    text: str
    author: str | None = None
    projects: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    values: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    measures: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    big_moves: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    corrects: str | None = attrs.field(default=None, kw_only=True)
    recorded_at: datetime.datetime | None = attrs.field(default=None, kw_only=True)
    erased_at: datetime.datetime | None = attrs.field(default=None, kw_only=True)

    @property
    def links(self) -> dict[str, tuple[str, ...]]:
        """What the entry is linked to, by kind.

        The kinds are ``projects``, ``values``, ``measures`` and ``big_moves``.

        >>> import datetime
        >>> entry = LogEntry("0b5c…", datetime.date(2026, 5, 1), "decision", "Open on Sundays",
        ...                  projects=["social-canteen"])
        >>> entry.links["projects"]
        ('social-canteen',)
        """
        return {
            "projects": self.projects,
            "values": self.values,
            "measures": self.measures,
            "big_moves": self.big_moves,
        }


@attrs.frozen
class Erasure:
    """The record that a log entry's text was erased, under the right to erasure.

    Attributes:
        id: the erasure's own UUID, as text.
        entry: the id of the log entry whose text was erased.
        erased_at: when, in UTC.
        reason: why, where given (such as the request's reference); never the text erased.
    """

    id: str
    entry: str
    erased_at: datetime.datetime
    reason: str | None = None


class LogEntryError(SocialCouncilError):
    """A log entry cannot be added as asked; nothing was written.

    Attributes:
        problems: every problem, each in words, such as ``"project 'x' is not in the model;
            expected one of a, b"``.
    """

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = tuple(problems)
        listed = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"the log entry was not added:\n{listed}")


class StoreWarning(UserWarning):
    """Something about a store a person should know.

    Such as that it is on a network file system, where it cannot use SQLite's write-ahead log.
    """


class StoreError(SocialCouncilError):
    """A history store cannot be opened, read or written as asked.

    Attributes:
        location: the store's file or URL, without any password.
        message: what is wrong, for a person to read.
    """

    def __init__(self, location: str, message: str) -> None:
        self.location = location
        self.message = message
        super().__init__(f"{location}: {message}")


class NotAStoreError(StoreError):
    """The file or database is not a history store, or is damaged (truncated, say).

    It is never modified: socialcouncil writes only to a store it has recognised.
    """


class NewerStoreError(StoreError):
    """The store was written by a newer socialcouncil, with a schema this one does not know.

    It is never modified; upgrade socialcouncil to read or write it.
    """
