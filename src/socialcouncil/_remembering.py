"""The commands of the history store: ``history``, ``log`` and ``store``.

Built-in commands of the ``socialcouncil`` group, added to it by :mod:`socialcouncil.cli`;
``measure --record`` and ``report --record`` record their runs through :func:`record_run`.
Every command that opens a store takes ``--store``, which wins over the model file's
``[store] url`` and the file beside the model file (:func:`socialcouncil.store.default_location`).

A store that is not a store, is damaged or was written by a newer socialcouncil is a
:class:`~socialcouncil.store.StoreError`: the command ends with its message and exit 2, and the
store is never touched. Nothing here imports SQLAlchemy, or the store itself, until a command
runs, so that ``socialcouncil --help`` stays quick.
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from socialcouncil._publishing import iso_date

if TYPE_CHECKING:
    from collections.abc import Sequence

    from socialcouncil.measurement.run import Measurement
    from socialcouncil.model import Council
    from socialcouncil.store import HistoryPoint, LogEntry, Run, Store

__all__ = [
    "KINDS",
    "history_command",
    "history_csv",
    "history_json",
    "history_table",
    "log_command",
    "log_json",
    "log_table",
    "open_for",
    "record_run",
    "store_command",
    "store_option",
]

KINDS: tuple[str, ...] = ("decision", "lesson", "story", "event")
"""The kinds of learning log entry, as ``--kind`` takes them (the store's ``LOG_KINDS``)."""

EXIT_INVALID = 1
"""A log entry's links name what the model lacks (every one reported; nothing written), or a
store's check found something wrong."""

_MODEL_SUFFIXES = (".toml", ".json", ".yaml", ".yml")


def _cli() -> Any:
    """The command's module, for its shared helpers (imported when a command runs)."""
    from socialcouncil import cli

    return cli


def _stop(message: str, code: int) -> NoReturn:
    _cli()._error(message)
    sys.exit(code)


store_option = click.option(
    "--store",
    "store",
    metavar="PATH|URL",
    help="The history store: a SQLite file, or a URL such as postgresql://user@host/db "
    "(the password from PGPASSWORD or ~/.pgpass). By default the model file's [store] url, "
    "else FILE's name with .history.sqlite, beside it.",
)


def _location(file: Path, council: Council, store: str | None) -> str:
    from socialcouncil.store import default_location

    return default_location(file, council, store)


def open_for(file: Path, council: Council, store: str | None) -> Store:
    """The history store of *council*, read from *file*; *store* (``--store``) wins."""
    import socialcouncil

    return socialcouncil.open_store(_location(file, council, store))


def _is_url(text: str) -> bool:
    return "://" in text


def _exists(location: str) -> bool:
    """Whether there is something at *location* to read; a URL's database is assumed to be."""
    return _is_url(location) or Path(location).exists()


def record_run(
    file: Path, council: Council, found: Measurement, store: str | None, *, quiet: bool = False
) -> Run:
    """Record what measuring *council* (read from *file*) found, and say so on standard error.

    The run holds the problems found as well as the results, so a run with invalid rows is
    recorded too: the store remembers what happened, not only what went well. With *quiet*,
    nothing is said.
    """
    with open_for(file, council, store) as opened:
        recorded = opened.record(council, found, model_file=str(file))
        where = opened.location
    problems = len(recorded.problems)
    said = f", with {problems} problem{'s' if problems != 1 else ''}" if problems else ""
    if not quiet:
        click.echo(f"recorded run {recorded.id} in {where}{said}", err=True)
    return recorded


def stored_history(
    file: Path, council: Council, store: str | None
) -> tuple[tuple[Run, ...], tuple[LogEntry, ...]]:
    """Every run and log entry in the store of *council*, for a report; none without a store.

    A store named by ``--store`` or ``[store] url`` is always read (so a wrong one is an
    error); the file beside the model file only where it is there.
    """
    location = _location(file, council, store)
    if store is None and council.store.url is None and not _exists(location):
        return (), ()
    import socialcouncil

    with socialcouncil.open_store(location) as opened:
        runs = tuple(opened.run(summary.id) for summary in opened.runs())
        entries = opened.log()
    return runs, entries


# -- history ----------------------------------------------------------------------------------


def _figure(value: float | None, *, signed: bool = False) -> str:
    """*value* for the table: a whole number as it is, any other to two decimal places.

    A change that rounds to nothing is shown as ``0``, never ``+0.00`` or ``-0.00``.
    """
    if value is None:
        return ""
    value = round(float(value), 2) + 0.0  # adding 0.0 turns -0.0 into 0.0
    sign = "+" if signed and value > 0 else ""
    if value.is_integer():
        return f"{sign}{int(value):,}"
    return f"{sign}{value:,.2f}"


def _good(point: HistoryPoint) -> str:
    if point.good is None:
        return ""
    return "better" if point.good else "worse"


def _recorded(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M")


# The columns of the history table shown even where empty: indicator, value, run, recorded.
_ALWAYS = frozenset({0, 3, 8, 9})


def history_table(council: Council, points: Sequence[HistoryPoint]) -> str:
    """Each measure's figures across runs and periods, for people: a block per measure.

    Each line is one stored figure: its indicator, what it is broken down by, its period, value
    and n, its change since the trend's first figure and since the measure's baseline, whether
    that is better or worse given the measure's direction, and the run (its id's first eight
    characters) and when it was recorded. A figure another run's has replaced for its period
    is marked superseded. A column that no figure of a measure fills is left out of its block.
    """
    names = {m.id: m.name for m in council.measures}
    header = (
        "indicator",
        "by",
        "period",
        "value",
        "n",
        "since first",
        "since baseline",
        "change",
        "run",
        "recorded (UTC)",
    )
    right = {3, 4, 5, 6}
    blocks: dict[str, list[tuple[str, ...]]] = {}
    for point in points:
        rows = blocks.setdefault(point.measure, [])
        rows.append(
            (
                point.indicator,
                ", ".join(f"{k}={v}" for k, v in point.dimensions.items()),
                point.period or "",
                _figure(point.value),
                "" if point.n is None else f"{point.n:,}",
                _figure(point.change_since_first, signed=True),
                _figure(point.change_since_baseline, signed=True),
                _good(point),
                point.run[:8],
                _recorded(point.recorded_at) + ("  superseded" if point.superseded else ""),
            )
        )
    lines: list[str] = []
    for measure, rows in blocks.items():
        name = names.get(measure)
        lines.append(f"{name} [{measure}]" if name else f"[{measure}] (no longer in the model)")
        # A column no figure of the measure fills (no breakdown, no n, no baseline) is left out.
        shown = [i for i in range(len(header)) if i in _ALWAYS or any(row[i] for row in rows)]
        widths = {i: max(len(row[i]) for row in (header, *rows)) for i in shown}
        for row in (header, *rows):
            cells = [
                f"{row[i]:>{widths[i]}}" if i in right else f"{row[i]:<{widths[i]}}" for i in shown
            ]
            lines.append(("  " + "  ".join(cells)).rstrip())
        lines.append("")
    return "\n".join(lines)


def history_json(points: Sequence[HistoryPoint]) -> list[dict[str, Any]]:
    """The JSON of ``socialcouncil history --format json``: one object per stored figure."""
    return [
        {
            "run": p.run,
            "recorded_at": p.recorded_at.isoformat(),
            "measure": p.measure,
            "indicator": p.indicator,
            "dimensions": dict(p.dimensions),
            "period": p.period,
            "value": p.value,
            "n": p.n,
            "change_since_first": p.change_since_first,
            "change_since_baseline": p.change_since_baseline,
            "good": p.good,
            "superseded": p.superseded,
        }
        for p in points
    ]


HISTORY_COLUMNS: tuple[str, ...] = (
    "run",
    "recorded_at",
    "measure",
    "indicator",
    "period",
    "value",
    "n",
    "change_since_first",
    "change_since_baseline",
    "good",
    "superseded",
)
"""The columns of ``socialcouncil history --format csv``; one per dimension key follows."""


def history_csv(points: Sequence[HistoryPoint]) -> str:
    """The figures as CSV: :data:`HISTORY_COLUMNS`, then one column per dimension key, sorted.

    A dimension named like one of those columns is written ``by-`` and its name. Text cells
    that a spreadsheet would read as a formula are guarded with a leading apostrophe.
    """
    from socialcouncil.exporters.csv import csv_text

    keys = sorted({k for p in points for k in p.dimensions})
    columns = [f"by-{k}" if k in HISTORY_COLUMNS or k.startswith("by-") else k for k in keys]
    rows = [
        [
            p.run,
            p.recorded_at.isoformat(),
            p.measure,
            p.indicator,
            p.period,
            p.value,
            p.n,
            p.change_since_first,
            p.change_since_baseline,
            p.good,
            p.superseded,
            *(p.dimensions.get(k) for k in keys),
        ]
        for p in points
    ]
    return csv_text((*HISTORY_COLUMNS, *columns), rows, bom=False, line_ending="\n")


@click.command(name="history")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--measure", "measure", metavar="ID", help="Show only this measure's figures.")
@click.option(
    "--indicator", "indicator", metavar="NAME", help="Show only this indicator's figures."
)
@click.option(
    "--format",
    "output",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="A table for people, JSON for programs, or CSV for spreadsheets.",
)
@store_option
def history_command(
    file: Path, measure: str | None, indicator: str | None, output: str, store: str | None
) -> None:
    """Show each figure of the recorded runs across runs and periods.

    Each figure comes with its change since its trend's first figure and, for a measure's
    headline indicator, since the measure's baseline, and whether that change is better or
    worse given the measure's direction. Where two runs cover one period, the later run's
    figure is the one the trend uses, and both are listed. Baselines and directions are the
    model file's, as it is now. Record runs with `measure --record`.
    """
    import socialcouncil
    from socialcouncil._output import json_text

    council = socialcouncil.load(file)
    known = [m.id for m in council.measures]
    with open_for(file, council, store) as opened:
        location = opened.location
        points = opened.history(council, measure=measure, indicator=indicator)
        recorded = bool(points) or bool(opened.runs())
    if measure is not None and measure not in known and not points:
        _stop(
            f"no measure {measure!r} in {file} or in the runs of {location}; "
            f"known: {', '.join(known) or 'none'}",
            _cli().EXIT_UNUSABLE,
        )
    if output == "json":
        click.echo(json_text(history_json(points)))
        return
    if output == "csv":
        click.echo(history_csv(points), nl=False)
        return
    if not recorded:
        click.echo(
            f"no runs recorded in {location} yet; `socialcouncil measure {file} --record` "
            "records one"
        )
        return
    if not points:
        wanted = " and ".join(
            f"{what} {value!r}"
            for what, value in (("measure", measure), ("indicator", indicator))
            if value is not None
        )
        click.echo(f"no figures of {wanted} in the runs of {location}")
        return
    click.echo(history_table(council, points), nl=False)


# -- log --------------------------------------------------------------------------------------


class _LogGroup(click.Group):
    """``log FILE`` lists the learning log; ``log add FILE`` adds to it.

    Any first word that is not one of the group's commands is a model file to list the log
    of, as if ``list`` had been given before it.
    """

    default_command = "list"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        # One line, for the reference docs; --help shows both uses on lines of their own.
        return ["FILE [OPTIONS] | COMMAND [ARGS]..."]

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, "[list] FILE [OPTIONS]")
        indent = " " * (formatter.current_indent + len("Usage: "))
        formatter.write(f"{indent}{ctx.command_path} add FILE --kind KIND --text TEXT [OPTIONS]\n")


@click.group(name="log", cls=_LogGroup, no_args_is_help=True)
def log_command() -> None:
    """Keep the learning log: the decisions, lessons, stories and events behind the figures.

    `log FILE` (or `log list FILE`) lists the log in the model file's history store, and
    `log add FILE` adds an entry to it, linked to the projects, values, measures and big moves
    it is about. An entry is never changed once added: a correction is a new entry that says
    which one it corrects (--corrects), and `store erase` redacts an entry's text under the
    right to erasure.
    """


def log_json(entries: Sequence[LogEntry]) -> list[dict[str, Any]]:
    """The JSON of ``socialcouncil log FILE --format json``: one object per entry, by date.

    ``{"id", "date", "kind", "author", "text", "links", "corrects", "recorded_at",
    "erased_at"}``; ``links`` holds a list of ids for each of ``projects``, ``values``,
    ``measures`` and ``big_moves``.
    """
    return [
        {
            "id": e.id,
            "date": e.date.isoformat(),
            "kind": e.kind,
            "author": e.author,
            "text": e.text,
            "links": {kind: list(ids) for kind, ids in e.links.items()},
            "corrects": e.corrects,
            "recorded_at": None if e.recorded_at is None else e.recorded_at.isoformat(),
            "erased_at": None if e.erased_at is None else e.erased_at.isoformat(),
        }
        for e in entries
    ]


_LINK_WORDS = {
    "projects": "projects",
    "values": "values",
    "measures": "measures",
    "big_moves": "big moves",
}


def log_table(entries: Sequence[LogEntry]) -> str:
    """The learning log for people: each entry's date, kind, author and id, then its text.

    Its links follow, and what it corrects; an erased entry says when its text was erased.
    """
    from socialcouncil._output import wrap

    lines: list[str] = []
    for entry in entries:
        by = f"  by {entry.author}" if entry.author else ""
        lines.append(f"{entry.date.isoformat()}  {entry.kind}{by}  [{entry.id}]")
        if entry.erased_at is not None:
            day = entry.erased_at.date().isoformat()
            lines.append(f"    (its text was erased on {day}, under the right to erasure)")
        else:
            paragraphs = [p for p in entry.text.splitlines() if p.strip()]
            lines.extend(wrap(paragraph, "    ") for paragraph in paragraphs)
        links = "; ".join(
            f"{_LINK_WORDS[kind]}: {', '.join(ids)}" for kind, ids in entry.links.items() if ids
        )
        if links:
            lines.append(wrap(links, "      ", first="    "))
        if entry.corrects:
            lines.append(f"    corrects {entry.corrects}")
        lines.append("")
    return "\n".join(lines)


@log_command.command(name="list")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--project", metavar="ID", help="Only the entries linked to this project.")
@click.option("--measure", metavar="ID", help="Only the entries linked to this measure.")
@click.option(
    "--since", metavar="YYYY-MM-DD", callback=iso_date, help="Only entries on or after it."
)
@click.option(
    "--format",
    "output",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Entries for people, or JSON for programs.",
)
@store_option
def log_list_command(  # noqa: PLR0917 - one parameter per option
    file: Path,
    project: str | None,
    measure: str | None,
    since: datetime.date | None,
    output: str,
    store: str | None,
) -> None:
    """List the learning log of FILE's history store, by date (also `log FILE`).

    Erased entries are listed, with when their text was erased.
    """
    import socialcouncil
    from socialcouncil._output import json_text

    council = socialcouncil.load(file)
    with open_for(file, council, store) as opened:
        location = opened.location
        entries = opened.log(project=project, measure=measure, since=since)
    if output == "json":
        click.echo(json_text(log_json(entries)))
        return
    if not entries:
        filtered = project is not None or measure is not None or since is not None
        what = "no entries like that" if filtered else "no entries yet"
        click.echo(f"{what} in the learning log of {location}; `socialcouncil log add` adds one")
        return
    click.echo(log_table(entries), nl=False)


def _text(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    """The entry's text: ``-`` reads it from standard input; blank text is a usage error."""
    if value == "-":
        value = sys.stdin.read()
    if not value.strip():
        raise click.BadParameter("found no text; expected what was decided, learnt, told or done")
    return value.strip()


@log_command.command(name="add")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--kind", required=True, type=click.Choice(KINDS), help="What the entry records.")
@click.option(
    "--text",
    required=True,
    callback=_text,
    help="What was decided, learnt, told or happened; - reads it from standard input.",
)
@click.option(
    "--project", "projects", multiple=True, metavar="ID", help="A project it is about (repeat)."
)
@click.option(
    "--value", "values", multiple=True, metavar="ID", help="A value it is about (repeat)."
)
@click.option(
    "--measure", "measures", multiple=True, metavar="ID", help="A measure it is about (repeat)."
)
@click.option(
    "--big-move", "big_moves", multiple=True, metavar="ID", help="A big move it is about (repeat)."
)
@click.option(
    "--date", metavar="YYYY-MM-DD", callback=iso_date, help="The day it is about; today by default."
)
@click.option("--author", metavar="NAME", help="Who wrote it.")
@click.option("--corrects", metavar="ID", help="The id of the entry this one corrects.")
@store_option
def log_add_command(  # noqa: PLR0917 - one parameter per option
    file: Path,
    kind: str,
    text: str,
    projects: tuple[str, ...],
    values: tuple[str, ...],
    measures: tuple[str, ...],
    big_moves: tuple[str, ...],
    date: datetime.date | None,
    author: str | None,
    corrects: str | None,
    store: str | None,
) -> None:
    """Add an entry to the learning log of FILE's history store.

    Every link is checked against the model file (and --corrects against the store): an id
    the model lacks is reported, every one at once, with the ids it has, and nothing is
    written (exit 1). The entry's id is printed: --corrects and `store erase` take it.
    """
    import socialcouncil
    from socialcouncil.store import LogEntryError

    council = socialcouncil.load(file)
    with open_for(file, council, store) as opened:
        location = opened.location
        try:
            entry = opened.add_log_entry(
                council,
                kind,
                text,
                date=date,
                author=author,
                projects=projects,
                values=values,
                measures=measures,
                big_moves=big_moves,
                corrects=corrects,
            )
        except LogEntryError as exc:
            for problem in exc.problems:
                _cli()._error(problem)
            count = len(exc.problems)
            _stop(
                f"nothing was added to {location}: {count} problem{'s' if count != 1 else ''}",
                EXIT_INVALID,
            )
    click.echo(f"added {entry.kind} {entry.id} ({entry.date.isoformat()}) to {location}")


# -- store ------------------------------------------------------------------------------------


@click.group(name="store", no_args_is_help=True)
def store_command() -> None:
    """Look after a history store: check it, back it up, restore it, erase an entry's text.

    Each command's FILE is a model file, whose store is found as every command finds it (or
    named by --store), or the store itself: a SQLite file or a URL.
    """


def _named_store(target: str, store: str | None) -> str:
    """Where the store is: ``--store``, or *target* when it is not a model file, or its store."""
    if store is not None:
        return store
    if _is_url(target) or not target.lower().endswith(_MODEL_SUFFIXES):
        return target
    import socialcouncil

    return _location(Path(target), socialcouncil.load(target), None)


def _open_named(target: str, store: str | None, *, must_exist: bool) -> Store:
    import socialcouncil

    location = _named_store(target, store)
    if must_exist and not _exists(location):
        _stop(f"{location}: there is no history store there", _cli().EXIT_UNUSABLE)
    return socialcouncil.open_store(location)


_target = click.argument("target", metavar="FILE")


@store_command.command(name="check")
@_target
@store_option
def store_check_command(target: str, store: str | None) -> None:
    """Check a history store's integrity.

    SQLite's integrity check, the schema version, and that every run is complete (each holds
    every result, problem and source it was recorded with). Exit 0 when all is well (a store
    of an older schema, which the next write brings forward, gets a note), 1 with what is
    wrong in a store that can be read, 2 when it is not a history store at all (an empty file
    included) or is from a newer socialcouncil. A check never changes the store.
    """
    from socialcouncil.store import SCHEMA_VERSION

    with _open_named(target, store, must_exist=True) as opened:
        problems = opened.check()
        location = opened.location
        runs = len(opened.runs()) if not problems else 0
        entries = len(opened.log()) if not problems else 0
        version = opened.schema_version()
    if version is not None and version < SCHEMA_VERSION:
        click.echo(
            f"note: {location}: the store's schema is version {version}, of an older "
            f"socialcouncil; the next write brings it to version {SCHEMA_VERSION}",
            err=True,
        )
    if problems:
        for problem in problems:
            _cli()._error(f"{location}: {problem}")
        count = len(problems)
        _stop(f"{location}: {count} problem{'s' if count != 1 else ''} found", EXIT_INVALID)
    click.echo(
        f"{location}: ok, {runs} run{'s' if runs != 1 else ''} and "
        f"{entries} log entr{'ies' if entries != 1 else 'y'}"
    )


@store_command.command(name="export")
@_target
@click.option(
    "-o",
    "--output",
    "directory",
    required=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="The folder to write the data package in.",
)
@click.option("--force", is_flag=True, help="Replace the folder if it is already there.")
@store_option
def store_export_command(target: str, directory: Path, force: bool, store: str | None) -> None:
    """Write the whole store as a Frictionless data package: a backup, lossless.

    Every run, result, problem, source, log entry, link and erasure, as typed CSV tables. It
    is a backup, not a publication: no figure is suppressed and no cell guarded, so keep it
    as safe as the store. `store import` reads it back, into this store or another.
    """
    from socialcouncil.store.package import export_store

    with _open_named(target, store, must_exist=True) as opened:
        location = opened.location
        try:
            export_store(opened, directory, force=force)
        except FileExistsError:
            _stop(f"{directory} is already there; use --force to replace it", 2)
        except OSError as exc:
            _stop(_cli()._cannot_write(exc, directory), _cli().EXIT_UNUSABLE)
        runs, entries = len(opened.runs()), len(opened.log())
    click.echo(f"wrote {directory}: {runs} runs and {entries} log entries of {location}")


@store_command.command(name="import")
@_target
@click.argument(
    "directory", type=click.Path(path_type=Path, file_okay=False, exists=True), metavar="DIR"
)
@store_option
def store_import_command(target: str, directory: Path, store: str | None) -> None:
    """Merge a data package written by `store export` into a store, by id.

    The package is checked first; then the runs and log entries the store lacks are added,
    in one transaction, and those it has already are left as they are, so importing twice
    adds nothing the second time. The store is created if it is not there yet: this is how a
    council moves from a SQLite file to a shared PostgreSQL store.
    """
    from socialcouncil.store.package import import_store

    with _open_named(target, store, must_exist=False) as opened:
        runs, entries = import_store(opened, directory)
        location = opened.location
    click.echo(
        f"imported {directory} into {location}: {runs} new run{'s' if runs != 1 else ''} and "
        f"{entries} new log entr{'ies' if entries != 1 else 'y'}"
    )


@store_command.command(name="erase")
@_target
@click.argument("entry_id", metavar="ID")
@click.option("--reason", metavar="TEXT", help="Why, for the erasure's record.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation at a terminal.")
@store_option
def store_erase_command(
    target: str, entry_id: str, reason: str | None, yes: bool, store: str | None
) -> None:
    """Erase the text of learning log entry ID, under the right to erasure (UK GDPR).

    The one change a store allows: the entry stays, with its date, kind and links, but its
    text is gone, and the erasure itself is recorded (when, and why where given). It cannot
    be undone. At a terminal the command asks first, unless --yes.
    """
    with _open_named(target, store, must_exist=True) as opened:
        location = opened.location
        if not yes and sys.stdin.isatty():
            click.confirm(f"erase the text of log entry {entry_id} in {location}?", abort=True)
        erased = opened.erase(entry_id, reason=reason)
    when = _recorded(erased.erased_at or datetime.datetime.now(datetime.timezone.utc))
    click.echo(f"erased the text of log entry {erased.id} in {location}, at {when} UTC")
