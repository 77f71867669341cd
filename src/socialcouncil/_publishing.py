"""The commands that publish: ``report``, ``export`` and ``exporters``.

Built-in commands of the ``socialcouncil`` group, added to it by :mod:`socialcouncil.cli`.
``report`` and ``export`` measure the council exactly as ``measure`` does (the same problems
reported the same way, the same exit statuses), then run an exporter through
:func:`socialcouncil.export`. Nothing here imports an exporter, Narwhals or Jinja2 until a
command runs, so that ``socialcouncil --help`` stays quick.
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

if TYPE_CHECKING:
    from collections.abc import Mapping

    from socialcouncil.measurement.run import Measurement
    from socialcouncil.model import Council
    from socialcouncil.plugins import Registry

__all__ = ["export_command", "exporters_command", "report_command"]

REPORT_EXPORTER = "html"
"""The exporter ``socialcouncil report`` runs."""
DEFAULT_REPORT = Path("report.html")
"""Where ``socialcouncil report`` writes without ``-o``: in the current folder."""


def iso_date(
    _ctx: click.Context, _param: click.Parameter, value: str | None
) -> datetime.date | None:
    """A date option's value, written YYYY-MM-DD; a usage error (exit 2) otherwise."""
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        message = f"found {value!r}; expected a date as YYYY-MM-DD, such as 2026-03-31"
        raise click.BadParameter(message) from None


def _options(
    _ctx: click.Context, _param: click.Parameter, value: tuple[str, ...]
) -> dict[str, str]:
    """The ``--option NAME=VALUE`` pairs given, by name; a usage error for one without ``=``."""
    found = {}
    for text in value:
        name, equals, option = text.partition("=")
        if not equals or not name.strip():
            message = f"found {text!r}; expected NAME=VALUE, such as title=Annual report"
            raise click.BadParameter(message)
        found[name.strip()] = option
    return found


_date_option = click.option(
    "--date",
    metavar="YYYY-MM-DD",
    callback=iso_date,
    help="The date the output shows (also SOURCE_DATE_EPOCH); today by default. The same "
    "inputs and date give the same bytes.",
)
_skip_invalid_option = click.option(
    "--skip-invalid",
    is_flag=True,
    help="Leave invalid rows out, report them as warnings and publish the rest; without it, "
    "invalid rows mean nothing is written.",
)
_force_option = click.option(
    "--force", is_flag=True, help="Replace the output if it is already there."
)
_record_option = click.option(
    "--record",
    is_flag=True,
    help="Record the run in the history store (whatever its problems, which are part of the "
    "record), so that later reports show its figures in their trends.",
)
_store_option = click.option(
    "--store",
    metavar="PATH|URL",
    help="The history store whose runs and learning log the output shows (and --record "
    "records in); by default the model file's [store] url, else FILE's name with "
    ".history.sqlite, beside it, where it is there.",
)


def _measure(file: Path, council: Council, registry: Registry, skip_invalid: bool) -> Measurement:
    """Measure *council* as ``socialcouncil measure`` does, printing every problem."""
    from socialcouncil._measuring import run_measures

    return run_measures(file, council, skip_invalid=skip_invalid, registry=registry)


def _stop(message: str, code: int) -> NoReturn:
    from socialcouncil import cli

    cli._error(message)
    sys.exit(code)


def _publish(  # noqa: PLR0917 - one parameter per option of the two commands
    file: Path,
    to: str,
    destination: Path | None,
    skip_invalid: bool,
    date: datetime.date | None,
    force: bool,
    options: Mapping[str, str] | None = None,
    *,
    record: bool = False,
    store: str | None = None,
) -> None:
    """Measure the model *file* and write it with the exporter *to*; the commands' one path.

    With *record*, the run is recorded in the history store once measured, whether or not
    its output can be written. The output is given every run and log entry of the store
    (*store*, else where :func:`socialcouncil.store.default_location` says), where there is one.

    Exit 2, writing nothing, when the exporter is unknown, the destination is already there
    (without *force*) or a source cannot be read; exit 1, writing nothing, when rows are
    invalid (without *skip_invalid*). With *skip_invalid*, a measure that still cannot be
    measured (an unknown model, a missing column) is written as not measured, and the command
    exits 1, as ``measure`` does.
    """
    import socialcouncil
    from socialcouncil import cli
    from socialcouncil._measuring import EXIT_INVALID, EXIT_UNREADABLE
    from socialcouncil.errors import PluginError, SocialCouncilError
    from socialcouncil.plugins import registry as default_registry

    council = socialcouncil.load(file)
    registry = default_registry()
    exporter = registry.exporters.get(to)
    if exporter is None:
        known = ", ".join(sorted(registry.exporters)) or "none"
        _stop(f"no exporter {to!r}; known: {known}", cli.EXIT_UNUSABLE)
    path = destination or Path(file.stem + exporter.suffix)
    held = _what_it_would_replace(path, file, council)
    if held is not None:
        _stop(f"{path} {held}; choose another path with -o", cli.EXIT_UNUSABLE)
    _refuse_existing(path, force, writes_folder=exporter.suffix == "")
    found = _measure(file, council, registry, skip_invalid)
    from socialcouncil._remembering import record_run, stored_history

    if record:
        record_run(file, council, found, store)
    if found.unreadable:
        _stop("nothing was written: a source could not be read", EXIT_UNREADABLE)
    if found.unmeasured and not skip_invalid:
        _stop(
            "nothing was written: measures could not be measured; --skip-invalid leaves "
            "invalid rows out and publishes the rest",
            EXIT_INVALID,
        )
    runs, log = stored_history(file, council, store)
    try:
        written = socialcouncil.export(
            council,
            to,
            path,
            measurement=found,
            options=options,
            force=force,
            date=date,
            registry=registry,
            runs=runs,
            log=log,
        )
    except PluginError as exc:
        if exc.__cause__ is not None and not isinstance(exc.__cause__, SocialCouncilError):
            raise exc.__cause__ from None
        raise
    except FileExistsError:  # it appeared while the council was measured
        _stop(f"{path} is already there; use --force to replace it", cli.EXIT_UNUSABLE)
    except OSError as exc:
        _stop(cli._cannot_write(exc, path), cli.EXIT_UNUSABLE)
    click.echo(f"wrote {written}")
    if found.unmeasured:
        sys.exit(EXIT_INVALID)


def _what_it_would_replace(path: Path, file: Path, council: Council) -> str | None:
    """What of the council's own *path* is, or holds, that writing there would destroy.

    The model file itself, or, for a folder written whole, a folder that holds the model file
    or one of its sources: even ``--force`` does not replace those.
    """
    if not path.exists():
        return None
    target = path.resolve()
    own = [("the model file", file.resolve())]
    own += [
        (f"the source {s.id!r}", (file.parent / s.location).resolve())
        for s in council.sources
        if s.location is not None
    ]
    for what, place in own:
        if target == place:
            return f"is {what} itself"
        if target in place.parents:
            return f"holds {what}"
    return None


def _refuse_existing(path: Path, force: bool, *, writes_folder: bool) -> None:
    """Stop, writing nothing, where *path* is there (without *force*) or cannot be written."""
    from socialcouncil import cli

    if path.is_dir() and not path.is_symlink() and not writes_folder:
        # Even with --force, a folder is never replaced by a file.
        _stop(f"{path} is a folder; choose another path with -o", cli.EXIT_UNUSABLE)
    if (path.exists() or path.is_symlink()) and not force:
        _stop(f"{path} is already there; use --force to replace it", cli.EXIT_UNUSABLE)


@click.command(name="report")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "-o",
    "--output",
    "destination",
    type=click.Path(path_type=Path),
    help="Where to write the report; report.html in the current folder by default.",
)
@_skip_invalid_option
@_date_option
@_force_option
@_record_option
@_store_option
def report_command(  # noqa: PLR0917 - one parameter per option
    file: Path,
    destination: Path | None,
    skip_invalid: bool,
    date: datetime.date | None,
    force: bool,
    record: bool,
    store: str | None,
) -> None:
    """Measure a model file's measures and write the council's report as one HTML file.

    The report is self-contained (no scripts, no requests, nothing beside it), with figures
    after disclosure control under the file's [publishing] settings. Rows are checked and
    reported as `measure` does, with its exit statuses: with invalid rows, nothing is written
    and the command exits 1, unless --skip-invalid.

    Where the model file has a history store, the report shows the trends of its recorded
    runs and its learning log; --record records this run in it first.
    """
    _publish(
        file,
        REPORT_EXPORTER,
        destination or DEFAULT_REPORT,
        skip_invalid,
        date,
        force,
        record=record,
        store=store,
    )


@click.command(name="export")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--to",
    "to",
    required=True,
    metavar="NAME",
    help="The exporter to write with; `socialcouncil exporters` lists them.",
)
@click.option(
    "-o",
    "--output",
    "destination",
    type=click.Path(path_type=Path),
    help="Where to write; the model file's name with the exporter's suffix, in the current "
    "folder, by default.",
)
@click.option(
    "--option",
    "options",
    multiple=True,
    metavar="NAME=VALUE",
    callback=_options,
    help="An option for the exporter, NAME=VALUE (repeat for more).",
)
@_skip_invalid_option
@_date_option
@_force_option
@_store_option
def export_command(  # noqa: PLR0917 - one parameter per option
    file: Path,
    to: str,
    destination: Path | None,
    options: dict[str, str],
    skip_invalid: bool,
    date: datetime.date | None,
    force: bool,
    store: str | None,
) -> None:
    """Measure a model file's measures and write them with an exporter.

    Every exporter but results-json publishes, so its figures come after disclosure control.
    Rows are checked and reported as `measure` does, with its exit statuses. A folder (a data
    package) is built beside its place and moved there whole. The output is given the runs
    and learning log of the model file's history store, where it has one.
    """
    _publish(file, to, destination, skip_invalid, date, force, options, store=store)


def _exporter_json(name: str, cls: type[Any], plugin: str) -> dict[str, Any]:
    return {
        "name": name,
        "description": cls.description,
        "suffix": cls.suffix,
        "publishes": bool(getattr(cls, "publishes", True)),
        "plugin": plugin,
    }


@click.command(name="exporters")
@click.option(
    "--format",
    "output",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="A table for people, or JSON for programs.",
)
def exporters_command(output: str) -> None:
    """List the registered exporters, by name: suffix, whether it publishes, plugin, description.

    An exporter that publishes writes figures after disclosure control; a suffix of "" means
    it writes a folder.
    """
    from socialcouncil._output import json_text
    from socialcouncil.plugins import registry

    found = registry()
    listed = [
        _exporter_json(name, cls, found.provider("exporter", name).name)
        for name, cls in sorted(found.exporters.items())
    ]
    if output == "json":
        click.echo(json_text({"exporters": listed}))
        return
    header = ("name", "suffix", "publishes", "plugin", "description")
    rows = [header] + [
        (
            e["name"],
            e["suffix"] or "(folder)",
            "yes" if e["publishes"] else "no",
            e["plugin"],
            e["description"],
        )
        for e in listed
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header) - 1)]
    for row in rows:
        cells = [f"{cell:<{width}}" for cell, width in zip(row, widths, strict=False)]
        click.echo("  ".join([*cells, row[-1]]).rstrip())
