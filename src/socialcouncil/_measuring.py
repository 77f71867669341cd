"""The commands that measure: ``measure``, ``sources`` and ``models``.

Built-in commands of the ``socialcouncil`` group, added to it by :mod:`socialcouncil.cli`.
Nothing here imports Narwhals, Polars or a reader until a command runs, so that
``socialcouncil --help`` stays quick.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from socialcouncil.measurement import Field, MeasurementModel, Result
    from socialcouncil.measurement.run import Measurement
    from socialcouncil.model import Council
    from socialcouncil.plugins import Registry
    from socialcouncil.sources import DataSource

__all__ = ["measure_command", "models_command", "run_measures", "sources_command"]

EXIT_INVALID = 1
"""Rows were invalid (all reported) and nothing was measured for their measures."""
EXIT_UNREADABLE = 2
"""A source could not be read at all."""


def _cli() -> Any:
    """The command's module, for its shared helpers (imported when a command runs)."""
    from socialcouncil import cli

    return cli


# -- measure ----------------------------------------------------------------------------------


@click.command(name="measure")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--measure",
    "measure_ids",
    multiple=True,
    metavar="ID",
    help="Measure only this measure (repeat for more); every measure with a model by default.",
)
@click.option(
    "--format",
    "output",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="A table for people, JSON for programs, or CSV for spreadsheets.",
)
@click.option(
    "--output",
    "destination",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the results to this file (whole or not at all) rather than print them.",
)
@click.option(
    "--skip-invalid",
    is_flag=True,
    help="Leave invalid rows out, report them as warnings and measure the rest.",
)
@click.option("--quiet", is_flag=True, help="Show no progress and no warnings, only errors.")
@click.option(
    "--record",
    is_flag=True,
    help="Record the run in the history store: its results, problems and sources' "
    "fingerprints, and the model as it is.",
)
@click.option(
    "--store",
    metavar="PATH|URL",
    help="The history store --record records in; by default the model file's [store] url, "
    "else FILE's name with .history.sqlite, beside it.",
)
def measure_command(  # noqa: PLR0917 - one parameter per option
    file: Path,
    measure_ids: tuple[str, ...],
    output: str,
    destination: Path | None,
    skip_invalid: bool,
    quiet: bool,
    record: bool,
    store: str | None,
) -> None:
    """Measure a model file's measures from its [[sources]].

    Each source is read once; every row is checked against the fields of the models that read
    it, and every bad row is reported with its source, row number, column, what was found and
    what was expected. Exit 0 when every row was valid (or, with --skip-invalid, when the
    invalid ones were left out), 1 when rows were invalid and their measures not measured, 2
    when a source cannot be read at all.

    With --record, the run is recorded in the history store, whatever its problems (they are
    part of the record), once its results are printed or written; `history` shows them.
    """
    import socialcouncil
    from socialcouncil.measurement.run import hand_back_memory

    if store is not None and not record:
        raise click.UsageError("--store names where --record records; give --record as well")
    hand_back_memory()
    cli = _cli()
    if output == "json":
        cli._run_state().report = {"results": [], "problems": []}
    council = socialcouncil.load(file)
    found = run_measures(file, council, measure_ids, skip_invalid=skip_invalid, quiet=quiet)
    text = _render(output, council, found, measure_ids)
    cli._run_state().report = None
    if destination is not None:
        from socialcouncil.files import write_atomically

        write_atomically(destination, text)
        if not quiet:
            click.echo(f"wrote {len(found.results)} results to {destination}", err=True)
    else:
        click.echo(text, nl=not text.endswith("\n"))
    if record:
        from socialcouncil._remembering import record_run

        record_run(file, council, found, store, quiet=quiet)
    if found.unreadable:
        sys.exit(EXIT_UNREADABLE)
    if found.unmeasured:
        sys.exit(EXIT_INVALID)


def run_measures(
    file: Path,
    council: Council,
    measure_ids: tuple[str, ...] = (),
    *,
    skip_invalid: bool,
    quiet: bool = False,
    registry: Registry | None = None,
) -> Measurement:
    """Measure *council*, read from *file*, as every command that measures does.

    Progress goes to a terminal's standard error, every problem is printed there (an error, or
    a warning where rows were skipped), and a data source or model that raised is a bug in its
    plugin: the command ends with exit status 3, naming it.
    """
    from socialcouncil.errors import PluginError, SocialCouncilError
    from socialcouncil.measurement.run import measure

    progress = None
    if not quiet and sys.stderr.isatty():

        def progress(line: str) -> None:
            click.echo(f"… {line}", err=True)

    try:
        found = measure(
            council,
            measures=list(measure_ids) or None,
            base=file.parent,
            skip_invalid=skip_invalid,
            registry=registry,
            progress=progress,
        )
    except PluginError as exc:
        if exc.__cause__ is not None and not isinstance(exc.__cause__, SocialCouncilError):
            raise exc.__cause__ from None
        raise
    _report_problems(found, str(file), quiet=quiet)
    return found


def _report_problems(found: Measurement, file: str, *, quiet: bool) -> None:
    """Print each problem on standard error: an error, or a warning where rows were skipped."""
    blocking = bool(found.unmeasured or found.unreadable)
    for problem in found.problems:
        if blocking:
            _cli()._error(problem.render(file))
        elif not quiet:
            label = click.style("warning: ", fg="yellow", bold=True)
            click.echo(label + problem.render(file), err=True)


def _render(output: str, council: Council, found: Measurement, wanted: tuple[str, ...]) -> str:
    if output == "json":
        from socialcouncil._output import json_text

        return json_text(measurement_json(found)) + "\n"
    if output == "csv":
        return results_csv(found.results)
    return results_table(council, found, wanted)


def measurement_json(found: Measurement) -> dict[str, Any]:
    """The JSON report of ``socialcouncil measure --format json``.

    ``{"results": [{"measure", "model", "indicator", "value", "n", "dimensions"}],
    "problems": [{"source", "location", "row", "field", "message"}]}``: ``source`` is the
    ``[[sources]]`` id, ``location`` as the model file writes it, ``field`` the source's column,
    ``row`` null for a problem not about one row. A problem with the model file itself has no
    source, and its ``path`` in the file.
    """
    results = [
        {
            "measure": r.measure,
            "model": r.model,
            "indicator": r.indicator,
            "value": r.value,
            "n": r.n,
            "dimensions": dict(r.dimensions),
        }
        for r in found.results
    ]
    problems = []
    for p in found.problems:
        entry: dict[str, Any] = {
            "source": p.source,
            "location": p.location,
            "row": p.row,
            "field": p.field,
            "message": p.message,
        }
        if p.path:
            entry["path"] = p.path
        problems.append(entry)
    return {"results": results, "problems": problems}


def _number(value: float) -> str:
    value = float(value)
    return str(int(value)) if value.is_integer() else repr(value)


def results_csv(results: tuple[Result, ...]) -> str:
    """The results as CSV: measure, model, indicator, value, n, then each dimension (sorted).

    A result without a dimension has that cell empty. Text cells that a spreadsheet would read
    as a formula are guarded with a leading apostrophe.
    """
    from socialcouncil.exporters.csv import guard_cell as _safe_cell

    keys = sorted({k for r in results for k in r.dimensions})
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["measure", "model", "indicator", "value", "n", *keys])
    for r in results:
        writer.writerow(
            [
                _safe_cell(r.measure or ""),
                _safe_cell(r.model),
                _safe_cell(r.indicator),
                _number(r.value),
                "" if r.n is None else r.n,
                *(_safe_cell(r.dimensions.get(k, "")) for k in keys),
            ]
        )
    return buffer.getvalue()


def _shown(result: Result) -> str:
    value = float(result.value)
    if result.kind in {"count", None} and value.is_integer():
        return f"{int(value):,}"
    if result.kind == "percent":
        return f"{value:.1f}%"
    return f"{value:,.2f}"


def results_table(council: Council, found: Measurement, wanted: tuple[str, ...] = ()) -> str:
    """The results for people: a block per measure, its headline first.

    Each line is an indicator, what it is broken down by, its value and the number of people
    or records behind it.
    """
    lines: list[str] = []
    for measure in council.measures:
        if wanted and measure.id not in wanted:
            continue
        model = measure.model or "observed"
        results = found.for_measure(measure.id)
        if measure.model is None and not results:
            continue
        lines.append(f"{measure.name} [{measure.id}, {model}]")
        if not results:
            lines.append("  not measured: see the problems reported")
            lines.append("")
            continue
        headline = found.headline(measure.id)
        marked = {id(r) for r in headline}
        # Each indicator's figures together, in the order the model gives its indicators.
        first: dict[str, int] = {}
        for r in results:
            first.setdefault(r.indicator, len(first))
        rest = sorted((r for r in results if id(r) not in marked), key=lambda r: first[r.indicator])
        ordered = [*headline, *rest]
        rows = [
            (
                r.indicator + (" (headline)" if id(r) in marked else ""),
                ", ".join(f"{k}={v}" for k, v in r.dimensions.items()),
                _shown(r),
                "" if r.n is None else f"n={r.n:,}",
            )
            for r in ordered
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        for name, dims, value, n in rows:
            line = f"  {name:<{widths[0]}}  {dims:<{widths[1]}}  {value:>{widths[2]}}  {n}"
            lines.append(line.rstrip())
        lines.append("")
    if not lines:
        return "no measure has a model or observations to measure\n"
    return "\n".join(lines)


# -- sources and models -----------------------------------------------------------------------

_output_format = click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="How to report: lines for people, or JSON for programs.",
)


def _source_json(name: str, cls: type[DataSource], plugin: str) -> dict[str, Any]:
    options = getattr(cls, "options", None) or {}
    return {
        "name": name,
        "description": cls.description,
        "options": {str(k): str(v) for k, v in dict(options).items()},
        "plugin": plugin,
    }


@click.command(name="sources")
@_output_format
def sources_command(output: str) -> None:
    """List the registered data sources, with their options."""
    from socialcouncil._output import json_text
    from socialcouncil.plugins import registry

    found = registry()
    listed = [
        _source_json(name, cls, found.provider("data source", name).name)
        for name, cls in found.data_sources.items()
    ]
    if output == "json":
        click.echo(json_text({"sources": listed}))
        return
    from socialcouncil._output import wrap

    for entry in listed:
        click.echo(f"{entry['name']}  (from {entry['plugin']})")
        click.echo(wrap(entry["description"], "    "))
        for option, description in entry["options"].items():
            click.echo(wrap(f"{option}: {description}", "        ", first="    "))


def _field_text(field: Field) -> str:
    parts: list[str] = [field.type]
    if field.minimum is not None or field.maximum is not None:
        low = "" if field.minimum is None else f"{field.minimum:g}"
        high = "" if field.maximum is None else f"{field.maximum:g}"
        parts.append(f"{low}..{high}")
    if field.allowed is not None:
        parts.append("|".join(field.allowed))
    if not field.required:
        parts.append("optional")
    return f"{field.name} ({', '.join(parts)})"


def _model_json(name: str, cls: type[MeasurementModel], plugin: str) -> dict[str, Any]:
    return {
        "name": name,
        "description": cls.description,
        "plugin": plugin,
        "headline": cls.headline,
        "inputs": {
            input_name: [
                {
                    "name": f.name,
                    "type": f.type,
                    "required": f.required,
                    "minimum": f.minimum,
                    "maximum": f.maximum,
                    "allowed": None if f.allowed is None else list(f.allowed),
                    "description": f.description,
                }
                for f in fields
            ]
            for input_name, fields in cls.inputs.items()
        },
        "options": [
            {"name": o.name, "description": o.description, "default": _plain(o.default)}
            for o in cls.options
        ],
        "indicators": [
            {
                "name": i.name,
                "kind": i.kind,
                "unit": i.unit,
                "people": i.people,
                "description": i.description,
            }
            for i in cls.indicators
        ],
    }


def _plain(value: object) -> object:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    return str(value)


@click.command(name="models")
@_output_format
def models_command(output: str) -> None:
    """List the registered measurement models: inputs, fields, options and indicators."""
    from socialcouncil._output import json_text
    from socialcouncil.plugins import registry

    found = registry()
    models = found.measurement_models
    listed = [
        (cls, _model_json(name, cls, found.provider("measurement model", name).name))
        for name, cls in models.items()
    ]
    if output == "json":
        click.echo(json_text({"models": [entry for _, entry in listed]}))
        return
    from socialcouncil._output import wrap

    for cls, entry in listed:
        click.echo(f"{entry['name']}  (from {entry['plugin']})")
        click.echo(wrap(entry["description"], "    "))
        if not cls.inputs:
            click.echo("    reads the council only")
        for input_name, fields in cls.inputs.items():
            text = ", ".join(_field_text(f) for f in fields)
            click.echo(wrap(f"input {input_name}: {text}", "        ", first="    "))
        for option in cls.options:
            default = "" if option.default is None else f" (default {option.default!r})"
            line = f"option {option.name}{default}: {option.description}"
            click.echo(wrap(line, "        ", first="    "))
        names = [i.name + (" (headline)" if i.name == cls.headline else "") for i in cls.indicators]
        click.echo(wrap(f"indicators: {', '.join(names)}", "        ", first="    "))
