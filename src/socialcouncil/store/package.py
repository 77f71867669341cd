"""A whole history store as a Frictionless Data Package, and back: a backup, losslessly.

:func:`export_store` writes every run (its results, problems and sources, and the council as it
was), every learning log entry with its links, and every erasure, as typed CSV resources of a
Data Package (v2). :func:`import_store` checks such a package, reporting every problem at once,
and merges it into a store by id, so that importing one package twice adds nothing, and a
council can move its store from SQLite to PostgreSQL (or back) without losing a figure.

A store package is a backup, not a publication: its figures have had no disclosure control
and its text cells no formula guard, because a backup must give back exactly what the store
holds. The package's description says so. To publish figures, use ``socialcouncil export``.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
import math
import re
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TextIO

import attrs

from socialcouncil.errors import FileError, Problem
from socialcouncil.store import LOG_KINDS, LogEntry, Run, SourceFingerprint, StoredProblem

if TYPE_CHECKING:
    import os
    from collections.abc import Callable, Iterable, Mapping, Sequence

    from socialcouncil.measurement import Result
    from socialcouncil.model import Council
    from socialcouncil.store import Erasure, Store

__all__ = ["PACKAGE_FORMAT", "RESOURCES", "StorePackageError", "export_store", "import_store"]

PACKAGE_FORMAT = 1
"""The version of the store package's layout that :func:`export_store` writes.

:func:`import_store` reads packages of this version and older, and refuses newer ones.
"""

_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
_DESCRIPTOR = "datapackage.json"
# PostgreSQL's COPY writes a missing text as \N; should a text in the store be exactly that,
# the package uses a longer marker, and says which in its Table Schemas.
_MARKER = "\\N"
_LINKS = ("projects", "values", "measures", "big_moves")
_KINDS = ("count", "percent", "mean", "index")
_FINGERPRINT = re.compile(r"sha256:[0-9a-f]{64}")

ColumnType = Literal[
    "string", "integer", "number", "boolean", "datetime", "date", "object", "array"
]


class StorePackageError(FileError):
    """A folder cannot be exported to, or imported as, a store package.

    Every problem found is in :attr:`~socialcouncil.errors.FileError.problems`; a problem in a
    resource names its file as ``location``, the resource as ``source``, the row (the header
    is row 1) and the column, with what was found and what was expected.
    """


@attrs.frozen
class _Column:
    name: str
    type: ColumnType
    description: str
    optional: bool = False
    enum: tuple[str, ...] = ()
    format: str | None = None
    pattern: str | None = None
    minimum: int | None = None

    def field(self, marker: str) -> dict[str, Any]:
        field: dict[str, Any] = {"name": self.name, "type": self.type}
        if self.format:
            field["format"] = self.format
        field["description"] = self.description
        constraints: dict[str, Any] = {}
        if not self.optional:
            constraints["required"] = True
        if self.enum:
            constraints["enum"] = list(self.enum)
        if self.pattern:
            constraints["pattern"] = self.pattern
        if self.minimum is not None:
            constraints["minimum"] = self.minimum
        if constraints:
            field["constraints"] = constraints
        if self.type == "string":
            # An empty cell is an empty text; only the marker is a missing one.
            field["missingValues"] = [marker] if self.optional else []
        return field


@attrs.frozen
class _Resource:
    name: str
    title: str
    columns: tuple[_Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = ()

    @property
    def path(self) -> str:
        return f"{self.name}.csv"

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns]

    def schema(self, marker: str) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "fields": [c.field(marker) for c in self.columns],
            "missingValues": [""],
            "primaryKey": list(self.primary_key),
        }
        if self.foreign_keys:
            schema["foreignKeys"] = [
                {
                    "fields": list(fields),
                    # A reference without a resource is to the same resource (Table Schema v2).
                    "reference": {
                        **({"resource": to} if to != self.name else {}),
                        "fields": list(keys),
                    },
                }
                for fields, to, keys in self.foreign_keys
            ]
        return schema


def _c(name: str, type_: ColumnType, description: str, **more: Any) -> _Column:
    return _Column(name, type_, description, **more)


_UUID = {"format": "uuid"}
_RUN = _c("run", "string", "The id of the run it belongs to.", **_UUID)
_POSITION = _c("position", "integer", "Its place in the run, counting from 1.", minimum=1)
_ENTRY = _c("entry", "string", "The id of the log entry it belongs to.", **_UUID)

RESOURCES = (
    _Resource(
        "councils",
        "Each council model as a run measured it",
        (
            _c(
                "fingerprint",
                "string",
                "The council's canonical JSON's SHA-256 digest, as \"sha256:\" and hex.",
                pattern=_FINGERPRINT.pattern,
            ),
            _c("council", "object", "The council as it was, in the model file's shape."),
        ),
        ("fingerprint",),
    ),
    _Resource(
        "runs",
        "Every stored measurement",
        (
            _c("id", "string", "The run's UUID.", **_UUID),
            _c("recorded_at", "datetime", "When it was recorded, in UTC."),
            _c("version", "string", "The socialcouncil version that recorded it."),
            _c("council", "string", "The fingerprint of the council it measured."),
            _c("model_file", "string", "The model file it was measured from.", optional=True),
            _c("headlines", "object", "Each measured measure's headline indicator, by id."),
            _c("breakdowns", "object", "What each measure's results are broken down by, by id."),
            _c("unmeasured", "array", "The ids of the measures a problem left without results."),
            _c("results", "integer", minimum=0, description="How many results it holds."),
            _c("problems", "integer", minimum=0, description="How many problems it holds."),
            _c("sources", "integer", minimum=0, description="How many sources it read."),
        ),
        ("id",),
        ((("council",), "councils", ("fingerprint",)),),
    ),
    _Resource(
        "results",
        "Every figure of every run, as measured: before disclosure control",
        (
            _RUN,
            _POSITION,
            _c("measure", "string", "The id of the measure it is for.", optional=True),
            _c("model", "string", "The measurement model that produced it."),
            _c("indicator", "string", "What it counts or measures."),
            _c("value", "number", "The figure."),
            _c("n", "integer", "The people or records behind it.", optional=True),
            _c("people", "boolean", "Whether it stands on people."),
            _c("kind", "string", "The indicator's kind.", optional=True, enum=_KINDS),
            _c("unit", "string", "The indicator's unit.", optional=True),
            _c("dimensions", "object", "What it is broken down by, key to value."),
        ),
        ("run", "position"),
        ((("run",), "runs", ("id",)),),
    ),
    _Resource(
        "problems",
        "Every problem of every run: where it was and what was expected, never a cell's value",
        (
            _RUN,
            _POSITION,
            _c("path", "string", "Where in the model file; empty for a source's data."),
            _c("source", "string", "The [[sources]] id, for a problem in data.", optional=True),
            _c("location", "string", "Where that source reads from.", optional=True),
            _c("row", "integer", "The row's number, for a problem about one row.", optional=True),
            _c("field", "string", "The source's column.", optional=True),
            _c("expected", "string", "What was expected.", optional=True),
            _c("message", "string", "The message, for a problem not about a row.", optional=True),
        ),
        ("run", "position"),
        ((("run",), "runs", ("id",)),),
    ),
    _Resource(
        "sources",
        "Every source each run read, with its fingerprint",
        (
            _RUN,
            _POSITION,
            _c("id", "string", "The [[sources]] id."),
            _c("type", "string", "The data source that read it."),
            _c("location", "string", "Where it was read from, as the model file writes it."),
            _c(
                "fingerprint",
                "string",
                'The SHA-256 digest of the file read, as "sha256:" and hex.',
                optional=True,
            ),
        ),
        ("run", "position"),
        ((("run",), "runs", ("id",)),),
    ),
    _Resource(
        "log_entries",
        "The learning log: every decision, lesson, story and event",
        (
            _c("id", "string", "The entry's UUID.", **_UUID),
            _c("date", "date", "The day it is about."),
            _c("kind", "string", "What it records.", enum=LOG_KINDS),
            _c("text", "string", "What was decided, learnt, told or happened; empty if erased."),
            _c("author", "string", "Who wrote it.", optional=True),
            _c(
                "corrects",
                "string",
                "The id of the entry it corrects.",
                optional=True,
                **_UUID,
            ),
            _c("recorded_at", "datetime", "When it was added to the store.", optional=True),
            _c("erased_at", "datetime", "When its text was erased.", optional=True),
        ),
        ("id",),
        ((("corrects",), "log_entries", ("id",)),),
    ),
    _Resource(
        "log_links",
        "What each learning log entry is about",
        (
            _ENTRY,
            _c("kind", "string", "What it links to.", enum=_LINKS),
            _c(
                "position",
                "integer",
                "Its place among the entry's links of that kind, from 1.",
                minimum=1,
            ),
            _c("target", "string", "The id of the project, value, measure or big move."),
        ),
        ("entry", "kind", "position"),
        ((("entry",), "log_entries", ("id",)),),
    ),
    _Resource(
        "erasures",
        "Every erasure of a log entry's text under the right to erasure",
        (
            _c("id", "string", "The erasure's UUID.", **_UUID),
            _c("entry", "string", "The id of the entry erased.", **_UUID),
            _c("erased_at", "datetime", "When the text was erased."),
            _c("reason", "string", "Why, where given.", optional=True),
        ),
        ("id",),
        ((("entry",), "log_entries", ("id",)),),
    ),
)
"""The package's tables, in the order ``datapackage.json`` lists them."""

_BY_NAME = {r.name: r for r in RESOURCES}


# -- export -------------------------------------------------------------------------------------


class _MarkerTaken(Exception):  # noqa: N818 - a signal to start again, not an error
    """A text in the store is exactly the missing-value marker; export again with a longer one."""


def export_store(store: Store, directory: str | os.PathLike[str], *, force: bool = False) -> Path:
    """Write the whole of *store* to *directory* as a Frictionless Data Package (v2).

    The folder holds ``datapackage.json`` and one CSV file per table: ``councils`` (each
    council model a run measured, once, as canonical JSON), ``runs``, ``results``,
    ``problems``, ``sources``, ``log_entries``, ``log_links`` and ``erasures``, each with a
    typed Table Schema, its primary key and its foreign keys, and in ``datapackage.json`` each
    file's size and SHA-256 hash. Every value is written exactly: numbers as Python writes them
    (so they read back as the same float), times in UTC to the microsecond, an empty text
    apart from a missing one.

    A store package is a backup, not a publication, and its description says so: no
    disclosure control is applied to its figures and no text cell is guarded against
    spreadsheet formulas. It may hold figures about small numbers of people, and the learning
    log's text; keep it as safely as the store.

    The folder is built beside *directory* and moved into place whole. An existing
    *directory* is replaced only with *force*, and only where it is empty or holds a store
    package and nothing else: no other folder is ever replaced.

    Args:
        store: the store to export.
        directory: the folder to write.
        force: replace a store package already at *directory*.

    Returns:
        The folder written.

    Raises:
        StorePackageError: when *directory* is there (without *force*), or is not a store
            package; nothing is written.
        StoreError: when the store cannot be read.
    """
    from socialcouncil import files

    target = Path(directory)
    _check_destination(target, force=force)
    marker = _MARKER
    while True:
        build = functools.partial(_build, store, marker=marker)
        try:
            written = files.write_folder_atomically(target, build, replace=force)
        except _MarkerTaken:
            marker += _MARKER
            continue
        except FileExistsError:
            raise _exists(target) from None
        return written


def _exists(target: Path) -> StorePackageError:
    return StorePackageError(
        str(target), [Problem("", "already there; use --force (force=True) to replace it")]
    )


def _check_destination(target: Path, *, force: bool) -> None:
    if not target.exists():
        return
    if not target.is_dir():
        message = "is a file, not a folder; expected a folder to write the store package in"
        raise StorePackageError(str(target), [Problem("", message)])
    if not force:
        raise _exists(target)
    names = {p.name for p in target.iterdir()}
    if not names:
        return
    belongs = {_DESCRIPTOR} | {r.path for r in RESOURCES}
    if not _is_store_package(target / _DESCRIPTOR) or names - belongs:
        others = sorted(names - belongs)
        found = f"it holds {', '.join(others[:5])}" if others else "it is not a store package"
        message = (
            f"will not replace a folder that is not a store package ({found}); expected an empty "
            "folder or one that socialcouncil store export wrote"
        )
        raise StorePackageError(str(target), [Problem("", message)])


def _is_store_package(descriptor: Path) -> bool:
    try:
        data = json.loads(descriptor.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    info = data.get("socialcouncil") if isinstance(data, dict) else None
    return isinstance(info, dict) and info.get("package") == "store"


class _Writer:
    """One resource's CSV file, written row by row."""

    def __init__(self, folder: Path, resource: _Resource, marker: str) -> None:
        import csv

        self.resource = resource
        self.marker = marker
        self.path = folder / resource.path
        self.handle: TextIO = self.path.open("w", encoding="utf-8", newline="")
        self.writer = csv.writer(self.handle, lineterminator="\r\n")
        self.writer.writerow(resource.header)
        self.rows = 0

    def write(self, row: Sequence[object]) -> None:
        cells = [
            _cell(value, column, self.marker)
            for value, column in zip(row, self.resource.columns, strict=True)
        ]
        self.writer.writerow(cells)
        self.rows += 1

    def close(self) -> None:
        self.handle.close()


def _cell(value: object, column: _Column, marker: str) -> str:
    if value is None:
        return marker if column.type == "string" else ""
    if column.type == "string":
        text = str(value)
        if text == marker:
            raise _MarkerTaken
        return text
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime.datetime):
        return _utc(value).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _utc(moment: datetime.datetime) -> datetime.datetime:
    # A store keeps times in UTC; one without an offset is read as UTC, as the store holds it.
    if moment.tzinfo is None:
        return moment.replace(tzinfo=datetime.timezone.utc)
    return moment.astimezone(datetime.timezone.utc)


def _canonical_json(council: Council) -> str:
    """The council in the model file's shape as canonical JSON: sorted keys, no spaces."""
    from socialcouncil import files

    return json.dumps(
        files.unstructure(council),
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=_json_default,
    )


def _json_default(value: object) -> object:
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    message = f"cannot write {type(value).__name__} as JSON"
    raise TypeError(message)


def _build(store: Store, folder: Path, *, marker: str) -> None:
    from socialcouncil import __version__

    writers = {r.name: _Writer(folder, r, marker) for r in RESOURCES}
    try:
        _write_records(store, writers)
    finally:
        for w in writers.values():
            w.close()
    resources = []
    for resource in RESOURCES:
        path = folder / resource.path
        resources.append(
            {
                "name": resource.name,
                "type": "table",
                "path": resource.path,
                "title": resource.title,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": path.stat().st_size,
                "hash": "sha256:" + _sha256(path),
                "schema": resource.schema(marker),
            }
        )
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    descriptor = {
        "$schema": _PROFILE,
        "name": "socialcouncil-history-store",
        "title": "A socialcouncil history store: runs, learning log and erasures",
        "description": (
            "A backup of a socialcouncil history store, not a publication: every run (its "
            "results, problems and sources, and the council model as it was), every learning "
            "log entry and every erasure, exactly as the store holds them. No disclosure "
            "control has been applied, so figures may stand on very few people, and no text "
            "cell is guarded against spreadsheet formulas. Keep it as safely as the store "
            "itself, and do not publish it; 'socialcouncil export' writes figures for "
            "publishing. 'socialcouncil store import' reads it back into a store."
        ),
        "created": now.isoformat().replace("+00:00", "Z"),
        "socialcouncil": {
            "version": __version__,
            "package": "store",
            "format": PACKAGE_FORMAT,
            "store": {"engine": store.engine, "location": store.location},
            "runs": writers["runs"].rows,
            "log_entries": writers["log_entries"].rows,
        },
        "resources": resources,
    }
    text = json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n"
    (folder / _DESCRIPTOR).write_text(text, encoding="utf-8")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _write_records(store: Store, writers: Mapping[str, _Writer]) -> None:
    councils: set[str] = set()
    for summary in store.runs():
        run = store.run(summary.id)
        text = _canonical_json(run.council)
        fingerprint = "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()
        if fingerprint not in councils:
            councils.add(fingerprint)
            writers["councils"].write([fingerprint, json.loads(text)])
        writers["runs"].write(
            [
                run.id,
                run.recorded_at,
                run.version,
                fingerprint,
                run.model_file,
                dict(run.headlines),
                {k: list(v) for k, v in run.breakdowns.items()},
                list(run.unmeasured),
                len(run.results),
                len(run.problems),
                len(run.sources),
            ]
        )
        for i, r in enumerate(run.results, 1):
            writers["results"].write(
                [
                    run.id,
                    i,
                    r.measure,
                    r.model,
                    r.indicator,
                    r.value,
                    r.n,
                    r.people,
                    r.kind,
                    r.unit,
                    dict(r.dimensions),
                ]
            )
        for i, p in enumerate(run.problems, 1):
            writers["problems"].write(
                [run.id, i, p.path, p.source, p.location, p.row, p.field, p.expected, p.message]
            )
        for i, s in enumerate(run.sources, 1):
            writers["sources"].write([run.id, i, s.id, s.type, s.location, s.fingerprint])
    # Erasures first: every entry one names is then in the log read after, however the store
    # changes meanwhile, since entries are never removed.
    erasures = store.erasures()
    for entry in _corrected_first(store.log()):
        writers["log_entries"].write(
            [
                entry.id,
                entry.date,
                entry.kind,
                entry.text,
                entry.author,
                entry.corrects,
                entry.recorded_at,
                entry.erased_at,
            ]
        )
        for kind, targets in entry.links.items():
            for i, target in enumerate(targets, 1):
                writers["log_links"].write([entry.id, kind, i, target])
    for erasure in erasures:
        writers["erasures"].write([erasure.id, erasure.entry, erasure.erased_at, erasure.reason])


def _corrected_first(entries: Iterable[LogEntry]) -> list[LogEntry]:
    """*entries* in their order, except that an entry comes before each one correcting it."""
    listed = list(entries)
    by_id = {e.id: e for e in listed}
    placed: set[str] = set()
    ordered: list[LogEntry] = []
    for entry in listed:
        chain: list[LogEntry] = []
        current: LogEntry | None = entry
        while current is not None and current.id not in placed and current not in chain:
            chain.append(current)
            current = by_id.get(current.corrects) if current.corrects else None
        for e in reversed(chain):
            placed.add(e.id)
            ordered.append(e)
    return ordered


# -- import -------------------------------------------------------------------------------------


def import_store(store: Store, directory: str | os.PathLike[str]) -> tuple[int, int]:
    """Check the store package in *directory*, then merge it into *store* by id.

    The package is checked whole before anything is written: ``datapackage.json`` must be a
    store package of a format this socialcouncil reads; each file must be there, with the
    size and SHA-256 hash the package gives and the columns its table has; every cell must be
    of its column's type; primary keys must be unique, foreign keys must resolve, and each run
    must hold exactly as many results, problems and sources as it says. Every problem is
    reported at once, with its file, row and column.

    The runs and log entries are then merged through
    :meth:`Store.merge <socialcouncil.store.Store.merge>`, with the erasures, in one
    transaction: only those whose ids the store lacks are added, so importing a package twice
    adds nothing the second time, and an erased entry erases the stored one.

    Args:
        store: the store to import into; created if it does not exist yet.
        directory: the folder :func:`export_store` wrote.

    Returns:
        How many runs and how many log entries were new to the store.

    Raises:
        StorePackageError: with every problem found; nothing is written.
        StoreError: when the store cannot be written.
    """
    runs, entries, erasures = read_package(directory)
    return store.merge(runs, entries, erasures=erasures)


def read_package(
    directory: str | os.PathLike[str],
) -> tuple[tuple[Run, ...], tuple[LogEntry, ...], tuple[Erasure, ...]]:
    """The runs, log entries and erasures of the store package in *directory*.

    It is checked exactly as :func:`import_store` checks it, and nothing is written.

    Raises:
        StorePackageError: with every problem found.
    """
    folder = Path(directory)
    reader = _Reader(folder)
    descriptor = reader.descriptor()
    if descriptor is None:
        raise StorePackageError(str(folder), reader.problems)
    tables = {r.name: reader.table(r, descriptor) for r in RESOURCES}
    found = reader.records(tables)
    if reader.problems:
        raise StorePackageError(str(folder), reader.problems)
    return found


_Row = dict[str, Any]
# Each row with its number and whether every cell in it was read.
_Table = list[tuple[int, _Row, bool]]
# What an unreadable cell holds, so that its row's other keys still count.
_UNREADABLE: Any = type("Unreadable", (), {"__repr__": lambda self: "<unreadable>"})()


class _Reader:
    """Reads a store package, collecting every problem in it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.problems: list[Problem] = []

    def problem(
        self,
        message: str,
        *,
        resource: _Resource | None = None,
        row: int | None = None,
        field: str | None = None,
        expected: str | None = None,
    ) -> None:
        self.problems.append(
            Problem(
                "",
                message,
                source=resource.name if resource else None,
                location=resource.path if resource else _DESCRIPTOR,
                row=row,
                field=field,
                expected=expected,
            )
        )

    # The descriptor --------------------------------------------------------------------------

    def descriptor(self) -> dict[str, Any] | None:
        path = self.folder / _DESCRIPTOR
        if not self.folder.is_dir():
            what = "not a folder" if self.folder.exists() else "no such folder"
            self.problems.append(
                Problem("", f"{what}; expected the folder socialcouncil store export wrote")
            )
            return None
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            self.problem(
                "not there: the folder is not a data package; expected the folder "
                "socialcouncil store export wrote"
            )
            return None
        except (OSError, UnicodeDecodeError) as exc:
            self.problem(f"cannot be read: {exc}")
            return None
        try:
            data = json.loads(text)
        except ValueError as exc:
            self.problem(f"not valid JSON: {exc}")
            return None
        info = data.get("socialcouncil") if isinstance(data, dict) else None
        if not isinstance(info, dict) or info.get("package") != "store":
            self.problem(
                "not a socialcouncil store package (it has no socialcouncil section with "
                'package "store"); expected the folder socialcouncil store export wrote, not '
                "a published data package"
            )
            return None
        fmt = info.get("format")
        if not isinstance(fmt, int) or isinstance(fmt, bool) or fmt < 1:
            self.problem(
                f"socialcouncil.format: found {fmt!r}, expected a whole number from 1",
                expected="a whole number from 1",
            )
            return None
        if fmt > PACKAGE_FORMAT:
            self.problem(
                f"written by a newer socialcouncil ({info.get('version')}), in store package "
                f"format {fmt}; this one reads format {PACKAGE_FORMAT} and older: upgrade "
                "socialcouncil to import it"
            )
            return None
        resources = data.get("resources")
        if not isinstance(resources, list):
            self.problem("resources: missing; expected a list of the package's tables")
            return None
        found: dict[str, Any] = data
        return found

    # Each table ------------------------------------------------------------------------------

    def table(self, resource: _Resource, descriptor: Mapping[str, Any]) -> _Table:
        import csv
        import io

        entry = next(
            (
                r
                for r in descriptor["resources"]
                if isinstance(r, dict) and r.get("name") == resource.name
            ),
            None,
        )
        if entry is None:
            self.problem(
                f"resources: no resource {resource.name!r}; expected every table of a store "
                f"package: {', '.join(r.name for r in RESOURCES)}"
            )
            return []
        if entry.get("path") != resource.path:
            self.problem(
                f"resources: {resource.name!r} has path {entry.get('path')!r}, expected "
                f"{resource.path!r}"
            )
            return []
        path = self.folder / resource.path
        try:
            data = path.read_bytes()
        except OSError as exc:
            self.problem(f"cannot be read: {exc.strerror or exc}", resource=resource)
            return []
        self._check_hash(resource, entry, data)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            self.problem(f"not UTF-8 text: {exc}", resource=resource)
            return []
        missing = self._missing_marker(resource, entry)
        # Only \r and \n end a CSV record; str.splitlines would also split at \u2028 and others.
        rows = csv.reader(io.StringIO(text, newline=""))
        try:
            header = next(rows, None)
            if header != resource.header:
                self.problem(
                    f"the header is {header!r}; expected the columns {resource.header!r}",
                    resource=resource,
                    row=1,
                    expected=", ".join(resource.header),
                )
                return []
            table: _Table = []
            for number, cells in enumerate(rows, 2):
                row = self._row(resource, number, cells, missing)
                if row is not None:
                    table.append((number, *row))
        except csv.Error as exc:
            self.problem(f"not valid CSV: {exc}", resource=resource)
            return []
        self._check_primary_key(resource, table)
        return table

    def _check_hash(self, resource: _Resource, entry: Mapping[str, Any], data: bytes) -> None:
        size, digest = entry.get("bytes"), entry.get("hash")
        actual = "sha256:" + hashlib.sha256(data).hexdigest()
        if size is not None and size != len(data):
            self.problem(
                f"holds {len(data):,} bytes, but the package says {size!r}: it was changed or "
                "damaged after it was exported",
                resource=resource,
            )
        elif digest is not None and digest != actual:
            self.problem(
                f"its SHA-256 hash is {actual}, but the package says {digest!r}: it was changed "
                "or damaged after it was exported",
                resource=resource,
            )

    def _missing_marker(self, resource: _Resource, entry: Mapping[str, Any]) -> dict[str, str]:
        """Each optional text column's marker for a missing value, as the schema declares it."""
        schema = entry.get("schema")
        fields = schema.get("fields") if isinstance(schema, dict) else None
        declared = {f.get("name"): f for f in fields or () if isinstance(f, dict) and "name" in f}
        markers: dict[str, str] = {}
        for column in resource.columns:
            if column.type != "string" or not column.optional:
                continue
            values = declared.get(column.name, {}).get("missingValues")
            if (
                isinstance(values, list)
                and len(values) == 1
                and isinstance(values[0], str)
                and values[0]
            ):
                markers[column.name] = values[0]
            else:
                self.problem(
                    f"resources: the schema of {resource.name!r} gives column {column.name!r} "
                    f"the missingValues {values!r}; expected one marker, such as ['\\\\N']",
                    field=column.name,
                )
                markers[column.name] = _MARKER
        return markers

    def _row(
        self, resource: _Resource, number: int, cells: list[str], missing: Mapping[str, str]
    ) -> tuple[_Row, bool] | None:
        """The row's values, and whether all were read (an unreadable one is _UNREADABLE)."""
        if len(cells) != len(resource.columns):
            self.problem(
                f"found {len(cells)} cells, expected {len(resource.columns)}",
                resource=resource,
                row=number,
                expected=f"{len(resource.columns)} cells",
            )
            return None
        row: _Row = {}
        good = True
        for column, cell in zip(resource.columns, cells, strict=True):
            try:
                row[column.name] = _parse(column, cell, missing.get(column.name))
            except _Bad as bad:
                good = False
                row[column.name] = _UNREADABLE
                self.problem(
                    f"found {_shown(cell)}, expected {bad.expected}",
                    resource=resource,
                    row=number,
                    field=column.name,
                    expected=bad.expected,
                )
        return row, good

    def _check_primary_key(self, resource: _Resource, table: _Table) -> None:
        seen: dict[tuple[object, ...], int] = {}
        for number, row, _ in table:
            key = tuple(row[k] for k in resource.primary_key)
            if _UNREADABLE in key:
                continue
            if key in seen:
                self.problem(
                    f"{_key_text(resource.primary_key, key)} is also in row {seen[key]}; "
                    "expected each only once",
                    resource=resource,
                    row=number,
                    field=resource.primary_key[-1],
                    expected="a key not in another row",
                )
            else:
                seen[key] = number

    # The records -----------------------------------------------------------------------------

    def records(
        self, tables: Mapping[str, _Table]
    ) -> tuple[tuple[Run, ...], tuple[LogEntry, ...], tuple[Erasure, ...]]:
        from socialcouncil.store import Erasure

        self._foreign_keys(tables)
        councils = self._councils(tables["councils"])

        makers: dict[str, Callable[[_Row], Any]] = {
            "results": _result,
            "problems": _problem,
            "sources": _source,
        }
        parts: dict[str, dict[str, list[tuple[int, Any]]]] = {}
        for name, make in makers.items():
            resource = _BY_NAME[name]
            by_run: dict[str, list[tuple[int, Any]]] = {}
            for number, row, good in tables[name]:
                record = self._make(resource, number, make, row) if good else None
                if row["run"] is not _UNREADABLE and row["position"] is not _UNREADABLE:
                    by_run.setdefault(row["run"], []).append((row["position"], record))
            parts[name] = by_run

        runs = self._runs(tables["runs"], councils, parts)
        entries = self._entries(tables["log_entries"], tables["log_links"])
        erasures = [
            Erasure(row["id"], row["entry"], row["erased_at"], row["reason"])
            for _, row, good in tables["erasures"]
            if good
        ]
        return tuple(runs), tuple(_corrected_first(entries)), tuple(erasures)

    def _runs(
        self,
        table: _Table,
        councils: Mapping[str, Council],
        parts: Mapping[str, Mapping[str, list[tuple[int, Any]]]],
    ) -> list[Run]:
        runs: list[Run] = []
        resource = _BY_NAME["runs"]
        for number, row, good in table:
            held: dict[str, tuple[Any, ...]] = {}
            for name in parts:
                if row[name] is not _UNREADABLE:
                    held[name] = self._in_order(resource, number, row, name, parts[name])
            council = councils.get(row["council"])
            if not good or council is None or any(None in h for h in held.values()):
                continue  # what is wrong with it is reported already
            make_run = functools.partial(_run, council=council, held=held)
            run = self._make(resource, number, make_run, row)
            if run is not None:
                runs.append(run)
        return runs

    def _entries(self, table: _Table, link_table: _Table) -> list[LogEntry]:
        links: dict[str, dict[str, list[tuple[int, str]]]] = {}
        for _, row, good in link_table:
            if good:
                kinds = links.setdefault(row["entry"], {})
                kinds.setdefault(row["kind"], []).append((row["position"], row["target"]))
        entries: list[LogEntry] = []
        resource = _BY_NAME["log_entries"]
        for number, row, good in table:
            kinds = links.get(row["id"], {})
            linked = {k: tuple(t for _, t in sorted(v)) for k, v in kinds.items()}
            if not good:
                continue
            entry = self._make(resource, number, functools.partial(_entry, links=linked), row)
            if entry is not None:
                entries.append(entry)
        return entries

    def _councils(self, table: _Table) -> dict[str, Council]:
        from socialcouncil import files
        from socialcouncil.errors import ModelFileError

        resource = _BY_NAME["councils"]
        councils: dict[str, Council] = {}
        for number, row, good in table:
            if not good:
                continue
            try:
                council = files.structure(row["council"], source=resource.path)
            except ModelFileError as exc:
                for p in exc.problems:
                    self.problem(
                        f"{p.path}: {p.message}" if p.path else p.message,
                        resource=resource,
                        row=number,
                        field="council",
                    )
                continue
            text = _canonical_json(council)
            actual = "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()
            if actual != row["fingerprint"]:
                self.problem(
                    f"the council's canonical JSON has the fingerprint {actual}, not "
                    f"{row['fingerprint']}: it was changed after it was exported",
                    resource=resource,
                    row=number,
                    field="fingerprint",
                    expected="the SHA-256 digest of the council's canonical JSON",
                )
                continue
            councils[row["fingerprint"]] = council
        return councils

    def _foreign_keys(self, tables: Mapping[str, _Table]) -> None:
        for resource in RESOURCES:
            for fields, to, keys in resource.foreign_keys:
                (name,), (key,) = fields, keys
                present = {row[key] for _, row, _ in tables[to]}
                for number, row, _ in tables[resource.name]:
                    value = row[name]
                    if value is not None and value is not _UNREADABLE and value not in present:
                        self.problem(
                            f"found {value!r}, which is not in {to}",
                            resource=resource,
                            row=number,
                            field=name,
                            expected=f"the {key} of a row of {to}",
                        )

    def _in_order(
        self,
        resource: _Resource,
        number: int,
        row: _Row,
        name: str,
        parts: Mapping[str, list[tuple[int, Any]]],
    ) -> tuple[Any, ...]:
        held = sorted(parts.get(row["id"], ()), key=lambda p: p[0])
        positions = [p for p, _ in held]
        count = row[name]
        if positions != list(range(1, count + 1)):
            shown = _ranges(positions)
            self.problem(
                f"the run says it holds {count} {name}, and {name}.csv holds "
                f"{len(positions)} for it{f' (positions {shown})' if positions else ''}; "
                f"expected positions 1 to {count}: the package is not complete",
                resource=resource,
                row=number,
                field=name,
                expected=f"{count} {name} at positions 1 to {count}",
            )
        return tuple(record for _, record in held)

    def _make(
        self, resource: _Resource, number: int, make: Callable[[_Row], Any], row: _Row
    ) -> Any:
        try:
            return make(row)
        except _Bad as bad:
            self.problem(
                f"found {_shown(bad.found)}, expected {bad.expected}",
                resource=resource,
                row=number,
                field=bad.field,
                expected=bad.expected,
            )
        except (ValueError, TypeError) as exc:
            self.problem(str(exc), resource=resource, row=number)
        return None


class _Bad(Exception):  # noqa: N818 - caught at once and turned into a Problem
    def __init__(self, expected: str, *, found: object = None, field: str | None = None) -> None:
        super().__init__(expected)
        self.expected = expected
        self.found = found
        self.field = field


_LONGEST = 60


def _shown(found: object) -> str:
    text = repr(found)
    if len(text) <= _LONGEST:
        return text
    return f"{text[: _LONGEST - 20]}... ({len(text):,} characters)"


def _key_text(names: Sequence[str], key: Sequence[object]) -> str:
    return ", ".join(f"{n} {v!r}" for n, v in zip(names, key, strict=True))


def _ranges(numbers: Sequence[int]) -> str:
    parts: list[str] = []
    start = previous = None
    for n in [*numbers, None]:
        if n is not None and previous is not None and n == previous + 1:
            previous = n
            continue
        if start is not None:
            parts.append(str(start) if start == previous else f"{start}-{previous}")
        start = previous = n
    return ", ".join(parts)


_INTEGER = re.compile(r"[+-]?[0-9]+")
_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")


def _parse(column: _Column, cell: str, marker: str | None) -> object:
    """The value of *cell* in *column*; raises _Bad with what was expected."""
    if column.type == "string":
        if column.optional and cell == marker:
            return None
        if column.enum and cell not in column.enum:
            raise _Bad(f"one of {', '.join(column.enum)}")
        if column.format == "uuid":
            try:
                uuid.UUID(cell)
            except ValueError:
                raise _Bad("a UUID, such as 0b5c0f4e-8f5e-4c6e-9a53-1d1f0e0a0c21") from None
        if column.pattern and not re.fullmatch(column.pattern, cell):
            raise _Bad('"sha256:" and 64 lowercase hex digits')
        return cell
    if cell == "":
        if column.optional:
            return None
        raise _Bad(f"{_WANTED[column.type]}; the column is required")
    return _READERS[column.type](column, cell)


def _integer(column: _Column, cell: str) -> int:
    if not _INTEGER.fullmatch(cell):
        raise _Bad(_WANTED["integer"])
    value = int(cell)
    if column.minimum is not None and value < column.minimum:
        raise _Bad(f"a whole number from {column.minimum}")
    return value


def _number(_column: _Column, cell: str) -> float:
    if not _NUMBER.fullmatch(cell):
        raise _Bad(_WANTED["number"])
    # Written as Python writes a float, a number reads back as exactly that float; a whole
    # number written without a point reads as a whole number, as it was.
    value: float = int(cell) if _INTEGER.fullmatch(cell) else float(cell)
    if not math.isfinite(value):
        raise _Bad("a finite number")
    return value


def _boolean(_column: _Column, cell: str) -> bool:
    if cell not in {"true", "false"}:
        raise _Bad(_WANTED["boolean"])
    return cell == "true"


def _datetime(_column: _Column, cell: str) -> datetime.datetime:
    text = cell[:-1] + "+00:00" if cell.endswith(("Z", "z")) else cell
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise _Bad(_WANTED["datetime"]) from None
    if moment.tzinfo is None:
        raise _Bad(_WANTED["datetime"])
    return moment.astimezone(datetime.timezone.utc)


def _date(_column: _Column, cell: str) -> datetime.date:
    try:
        if len(cell) == len("2026-05-01"):
            return datetime.date.fromisoformat(cell)
    except ValueError:
        pass
    raise _Bad(_WANTED["date"])


def _json(wanted: type, column: _Column, cell: str) -> object:
    try:
        value = json.loads(cell)
    except ValueError:
        raise _Bad(_WANTED[column.type]) from None
    if not isinstance(value, wanted):
        raise _Bad(_WANTED[column.type])
    return value


_WANTED: dict[str, str] = {
    "integer": "a whole number",
    "number": "a number, such as 0.25",
    "boolean": "true or false",
    "datetime": "a date and time with its offset from UTC, such as 2026-05-01T09:30:00+00:00",
    "date": "a date, such as 2026-05-01",
    "object": "a JSON object",
    "array": "a JSON array",
}

_READERS: dict[str, Callable[[_Column, str], object]] = {
    "integer": _integer,
    "number": _number,
    "boolean": _boolean,
    "datetime": _datetime,
    "date": _date,
    "object": lambda c, cell: _json(dict, c, cell),
    "array": lambda c, cell: _json(list, c, cell),
}


def _texts(value: object, field: str, what: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _Bad(what, found=value, field=field)
    return tuple(value)


def _text_mapping(value: Mapping[str, object], field: str) -> dict[str, str]:
    if not all(isinstance(v, str) for v in value.values()):
        raise _Bad("a JSON object whose values are strings", found=value, field=field)
    return {k: str(v) for k, v in value.items()}


def _result(row: _Row) -> Result:
    from socialcouncil.measurement import Result

    return Result(
        row["model"],
        row["indicator"],
        row["value"],
        _text_mapping(row["dimensions"], "dimensions"),
        row["people"],
        measure=row["measure"],
        n=row["n"],
        kind=row["kind"],
        unit=row["unit"],
    )


def _problem(row: _Row) -> StoredProblem:
    return StoredProblem(
        path=row["path"],
        source=row["source"],
        location=row["location"],
        row=row["row"],
        field=row["field"],
        expected=row["expected"],
        message=row["message"],
    )


def _source(row: _Row) -> SourceFingerprint:
    return SourceFingerprint(row["id"], row["type"], row["location"], row["fingerprint"])


def _run(row: _Row, *, council: Council, held: Mapping[str, tuple[Any, ...]]) -> Run:
    breakdowns = {
        k: _texts(v, "breakdowns", "a JSON object whose values are arrays of strings")
        for k, v in row["breakdowns"].items()
    }
    return Run(
        row["id"],
        row["recorded_at"],
        row["version"],
        council,
        held["results"],
        held["problems"],
        held["sources"],
        headlines=_text_mapping(row["headlines"], "headlines"),
        breakdowns=breakdowns,
        unmeasured=_texts(row["unmeasured"], "unmeasured", "a JSON array of strings"),
        model_file=row["model_file"],
    )


def _entry(row: _Row, *, links: Mapping[str, tuple[str, ...]]) -> LogEntry:
    return LogEntry(
        row["id"],
        row["date"],
        row["kind"],
        row["text"],
        row["author"],
        projects=links.get("projects", ()),
        values=links.get("values", ()),
        measures=links.get("measures", ()),
        big_moves=links.get("big_moves", ()),
        corrects=row["corrects"],
        recorded_at=row["recorded_at"],
        erased_at=row["erased_at"],
    )
