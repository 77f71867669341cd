"""The ``socialcouncil`` command."""

from __future__ import annotations

import json
import sys
import textwrap
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

import socialcouncil
from socialcouncil._warnings import PluginWarning

if TYPE_CHECKING:
    import datetime

    from socialcouncil.checks import Finding
    from socialcouncil.model import Continuum, Council, Project
    from socialcouncil.plugins import Registry

__all__ = ["EXIT_FINDINGS", "EXIT_OK", "EXIT_UNUSABLE", "cli", "main"]

EXIT_OK = 0
"""Every file is usable and clean (warnings allowed unless ``--strict``)."""
EXIT_FINDINGS = 1
"""A file has errors, or warnings under ``--strict``."""
EXIT_UNUSABLE = 2
"""A file could not be used at all, or the command was used wrongly."""


class _Commands(click.Group):
    """The socialcouncil group: built-in commands, and plugins' commands found only when needed.

    Plugins are asked for their commands only when a name that is not built in is asked for,
    or when the commands are listed, so ``socialcouncil --version`` never loads a plugin.
    """

    _added_from: tuple[Registry, int] | None = None  # which registry, and which generation
    _added: tuple[str, ...] = ()

    def _add_plugin_commands(self) -> None:
        from socialcouncil.plugins import registry

        found = registry()
        if self._added_from == (found, found.generation):  # a registry equals only itself
            return
        for name in self._added:
            self.commands.pop(name, None)
        before = set(self.commands)
        found.add_commands(self)
        self._added = tuple(set(self.commands) - before)
        self._added_from = (found, found.generation)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands:
            self._add_plugin_commands()
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._add_plugin_commands()
        return super().list_commands(ctx)


@click.group(
    cls=_Commands,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(socialcouncil.__version__, "-V", "--version", prog_name="socialcouncil")
@click.option(
    "--strict-plugins",
    is_flag=True,
    help="Make every plugin problem an error rather than a warning "
    "(also SOCIALCOUNCIL_STRICT_PLUGINS=1).",
)
def cli(strict_plugins: bool) -> None:
    """Describe and run a council's Social Council model.

    Check a model file with `validate`, read it with `show`, start one with `init`, and see
    what the installed plugins offer with `plugins`, `continua` and `templates`.
    """
    if strict_plugins:
        from socialcouncil.plugins import registry

        registry(strict=True)


def _error(message: str) -> None:
    click.echo(click.style("error: ", fg="red", bold=True) + message, err=True)


_output_format = click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="How to report: lines for people, or JSON for programs.",
)


# -- validate ---------------------------------------------------------------------------------


def _finding_json(finding: Finding) -> dict[str, str]:
    return {
        "rule": finding.rule,
        "severity": finding.severity,
        "path": finding.path,
        "message": finding.message,
    }


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@_output_format
@click.option(
    "--strict", is_flag=True, help="Fail on warnings as well as errors, plugin problems included."
)
def validate(files: tuple[Path, ...], output: str, strict: bool) -> None:
    """Check model files and report every problem found.

    Exits 0 when every file is clean, 1 when a file has errors (or warnings, with --strict),
    and 2 when a file cannot be read as a council at all.
    """
    from socialcouncil.errors import ModelFileError
    from socialcouncil.plugins import registry

    if strict:
        registry(strict=True)
    reports: list[dict[str, Any]] = []
    code = EXIT_OK
    for file in files:
        name = str(file)
        try:
            council = socialcouncil.load(file)
        except ModelFileError as exc:
            code = EXIT_UNUSABLE
            problems = [
                {"path": p.path, "message": p.message, "line": p.line, "column": p.column}
                for p in exc.problems
            ]
            reports.append({"file": name, "usable": False, "problems": problems, "findings": []})
            if output == "text":
                for problem in exc.problems:
                    click.echo(problem.render(name))
                count = len(exc.problems)
                click.echo(f"{name}: unusable, {count} problem{'s' if count != 1 else ''}")
            continue
        findings = socialcouncil.check(council)
        errors = sum(f.severity == "error" for f in findings)
        warnings = len(findings) - errors
        if errors or (strict and warnings):
            code = max(code, EXIT_FINDINGS)
        reports.append(
            {
                "file": name,
                "usable": True,
                "problems": [],
                "findings": [_finding_json(f) for f in findings],
            }
        )
        if output == "text":
            for finding in findings:
                click.echo(finding.render(name))
            summary = f"{errors} error{'s' if errors != 1 else ''}, "
            summary += f"{warnings} warning{'s' if warnings != 1 else ''}"
            click.echo(f"{name}: {'ok' if not findings else summary}")
    if output == "json":
        click.echo(json.dumps({"exit_code": code, "files": reports}, indent=2, ensure_ascii=False))
    sys.exit(code)


# -- show -------------------------------------------------------------------------------------


def _strip(continuum: Continuum, current: str | None, target: str | None) -> str:
    """A text strip of the continuum: ● the current level, ◎ the target, ○ the others."""
    marks = []
    for level in continuum.levels:
        if level.id == current:
            marks.append("●")
        elif level.id == target:
            marks.append("◎")
        else:
            marks.append("○")
    first, last = continuum.levels[0].label, continuum.levels[-1].label
    return f"{first} {'─'.join(marks)} {last}"


def _wrap(text: str, indent: str, first: str | None = None) -> str:
    return textwrap.fill(
        " ".join(text.split()),
        width=96,
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
        break_on_hyphens=False,  # never split an id such as "household-recycling"
        break_long_words=False,
    )


def _project_lines(
    project: Project, continuum: Continuum | None, since: datetime.date | None
) -> list[str]:
    head = f"  {project.title} [{project.id}] ({project.status})"
    lines = [head]
    if project.summary:
        lines.append(_wrap(project.summary, "      "))
    links = [*project.values, *project.priorities, *project.big_moves]
    if links:
        lines.append(_wrap(f"linked to: {', '.join(links)}", "        ", first="    "))
    if project.continuum is None:
        lines.append("    not placed on a continuum")
        return lines
    if continuum is None:
        lines.append(f"    on {project.continuum!r}, which is not a known continuum")
        return lines
    current = project.current
    known = current is not None and continuum.has_level(current.level)
    target = (
        project.target_level
        if project.target_level and continuum.has_level(project.target_level)
        else None
    )
    lines.append(f"    on {continuum.name} [{continuum.id}]")
    if current is None or not known:
        lines.append("    not yet calibrated")
    else:
        label = continuum.level(current.level).label
        lines.append(f"    current: {label} ({current.date})")
    if target is not None:
        lines.append(f"    target: {continuum.level(target).label}")
    if current is not None and known:
        movement = None
        if all(continuum.has_level(c.level) for c in project.calibrations):
            movement = project.movement(continuum, since=since)
        if movement is not None and movement.start is not movement.end:
            sign = "+" if movement.levels > 0 else ""
            plural = "s" if abs(movement.levels) != 1 else ""
            lines.append(
                f"    movement: {sign}{movement.levels} level{plural}"
                f" ({sign}{movement.position:.2f} of the scale) since {movement.start.date}"
            )
        lines.append(f"    {_strip(continuum, current.level, target)}")
    return lines


def _header_lines(council: Council) -> list[str]:
    title = council.name + (f" ({council.gss_code})" if council.gss_code else "")
    lines = [title, "=" * len(title)]
    if council.steering_group:
        lines.append(f"Steering group: {council.steering_group}")
    if council.values:
        lines += ["", "Values"]
        for value in council.values:
            lines.append(f"  {value.name} [{value.id}]")
            if value.statement:
                lines.append(_wrap(value.statement, "      "))
    return lines


def _thread_lines(council: Council) -> list[str]:
    thread = council.thread
    lines = ["", "Golden thread"]
    if thread.purpose:
        lines.append(_wrap(f"Purpose: {thread.purpose}", "  "))
    if thread.vision:
        lines.append(_wrap(f"Vision: {thread.vision}", "  "))
    if thread.priorities:
        lines.append("  Priorities")
    for priority in thread.priorities:
        lines.append(f"    {priority.name} [{priority.id}]")
        for outcome in thread.outcomes:
            if outcome.priority == priority.id:
                measures = f" (measures: {', '.join(outcome.measures)})" if outcome.measures else ""
                text = f"outcome: {outcome.name}{measures}"
                lines.append(_wrap(text, "        ", first="      "))
    if thread.design_principles:
        lines.append("  Design principles")
    lines += [_wrap(p.statement, "      ", first="    - ") for p in thread.design_principles]
    if thread.big_moves:
        lines.append("  Big moves")
    for move in thread.big_moves:
        served = f" (priorities: {', '.join(move.priorities)})" if move.priorities else ""
        lines.append(_wrap(f"{move.name} [{move.id}]{served}", "      ", first="    "))
    return lines


def _measure_lines(council: Council) -> list[str]:
    lines = ["", "Measures"] if council.measures else []
    for measure in council.measures:
        figures = []
        if measure.baseline is not None:
            figures.append(f"baseline {measure.baseline:g}")
        if measure.target is not None:
            figures.append(f"target {measure.target:g}")
        detail = f"; {', '.join(figures)}" if figures else ""
        better = f"{measure.direction} is better"
        text = f"{measure.name} [{measure.id}]: {measure.unit}, {better}{detail}"
        lines.append(_wrap(text, "      ", first="  "))
    return lines


def _show_text(
    council: Council, continua: dict[str, Continuum], since: datetime.date | None
) -> str:
    lines = _header_lines(council) + _thread_lines(council) + _measure_lines(council)
    lines += ["", "Projects"]
    if not council.projects:
        lines.append("  none")
    for project in council.projects:
        continuum = continua.get(project.continuum) if project.continuum else None
        lines += _project_lines(project, continuum, since)
    return "\n".join(lines)


@cli.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Show movement since this date (YYYY-MM-DD) rather than since the first calibration.",
)
def show(file: Path, since: Any) -> None:
    """Summarise a model file for a council officer.

    Values, the golden thread, measures, and each project with its current level, its movement
    and a strip showing where it stands on its continuum (● current, ◎ target).
    """
    council = socialcouncil.load(file)
    continua = council.usable_continua(socialcouncil.registered_continua())
    click.echo(_show_text(council, continua, since.date() if since else None))


# -- continua ---------------------------------------------------------------------------------


@cli.command(name="continua")
@click.argument("continuum_id", required=False, metavar="[ID]")
def continua_command(continuum_id: str | None) -> None:
    """List every registered continuum, or show one continuum's levels and source."""
    registered = socialcouncil.registered_continua()
    if continuum_id is None:
        width = max((len(i) for i in registered), default=0)
        for continuum in registered.values():
            click.echo(f"{continuum.id:<{width}}  {len(continuum.levels)} levels  {continuum.name}")
        return
    found = registered.get(continuum_id)
    if found is None:
        known = ", ".join(registered)
        _error(f"no registered continuum {continuum_id!r}; known: {known}")
        sys.exit(EXIT_UNUSABLE)
    lines = [f"{found.name} [{found.id}]"]
    if found.description:
        lines.append(_wrap(found.description, ""))
    if found.source:
        lines.append(_wrap(f"Source: {found.source}", ""))
    lines += ["", "Levels, lowest first:"]
    group = None
    for rank, level in enumerate(found.levels):
        if level.group and level.group != group:
            group = level.group
            lines.append(f"  {group}")
        indent = "    " if group else "  "
        lines.append(f"{indent}{rank}. {level.label} [{level.id}]")
        if level.description:
            lines.append(_wrap(level.description, indent + "   "))
    click.echo("\n".join(lines))


# -- plugins and templates -----------------------------------------------------------------


@cli.command(name="plugins")
@click.option("--all", "show_all", is_flag=True, help="Include socialcouncil's built-in plugins.")
@_output_format
def plugins_command(show_all: bool, output: str) -> None:
    """List the installed plugins: name, distribution, version, hooks and what each registers."""
    from socialcouncil.plugins import registry

    found = registry()
    contributions = found.contributions()
    listed = [p for p in found.plugins if show_all or not p.builtin]
    if output == "json":
        rows = [
            {
                "name": p.name,
                "module": p.module,
                "distribution": p.distribution,
                "version": p.version,
                "builtin": p.builtin,
                "hooks": list(p.hooks),
                "registers": contributions.get(p.name, {}),
            }
            for p in listed
        ]
        problems = [{"plugin": p.plugin.name, "message": p.message} for p in found.problems]
        click.echo(json.dumps({"plugins": rows, "problems": problems}, indent=2))
        return
    if not listed:
        click.echo("no plugins loaded; `socialcouncil plugins --all` lists the built-in ones")
        return
    for info in listed:
        origin = "built in" if info.builtin else f"{info.distribution or '-'} {info.version or ''}"
        click.echo(f"{info.name}  ({origin.strip()})")
        click.echo(f"    hooks: {', '.join(info.hooks) or 'none'}")
        for kind, ids in contributions.get(info.name, {}).items():
            click.echo(_wrap(f"{kind}: {', '.join(ids)}", "        ", first="    "))


@cli.command()
def templates() -> None:
    """List the templates `socialcouncil init` can start a council from."""
    from socialcouncil.plugins import registry

    found = registry()
    for template in found.templates.values():
        provider = found.provider("template", template.id).name
        click.echo(f"{template.id}  {template.title}  (from {provider})")
        click.echo(_wrap(template.description, "    "))


@cli.command()
@click.argument(
    "directory",
    required=False,
    default=".",
    type=click.Path(file_okay=False, path_type=Path),
)
@click.option(
    "--template",
    "template_id",
    default="starter",
    show_default=True,
    metavar="ID",
    help="The template to start from; `socialcouncil templates` lists them.",
)
@click.option("--force", is_flag=True, help="Replace a council.toml that is already there.")
def init(directory: Path, template_id: str, force: bool) -> None:
    """Start a council: write DIRECTORY/council.toml from a template."""
    from socialcouncil.files import write_atomically
    from socialcouncil.plugins import registry

    found = registry()
    template = found.templates.get(template_id)
    if template is None:
        _error(f"no template {template_id!r}; known: {', '.join(found.templates) or 'none'}")
        sys.exit(EXIT_UNUSABLE)
    target = directory / "council.toml"
    if target.exists() and not force:
        _error(f"{target} is already there; use --force to replace it")
        sys.exit(EXIT_UNUSABLE)
    directory.mkdir(parents=True, exist_ok=True)
    write_atomically(target, template.text)
    click.echo(f"wrote {target} from the template {template_id!r}")
    click.echo(f"next: edit it, then run `socialcouncil validate {target}`")


@cli.command(name="new-plugin")
@click.argument("name")
@click.option(
    "--dir",
    "directory",
    default=".",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to create the plugin's folder.",
)
def new_plugin(name: str, directory: Path) -> None:
    """Create a ready-to-publish plugin package called socialcouncil-NAME.

    It has a continuum, a template, tests that use socialcouncil's testing kit, a README, and
    the entry point that makes socialcouncil find it once installed.
    """
    from socialcouncil import scaffold

    try:
        root = scaffold.create(name, directory)
    except FileExistsError as exc:
        _error(f"{exc}; choose another name or --dir")
        sys.exit(EXIT_UNUSABLE)
    click.echo(f"created {root}")
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        click.echo(f"  {path.relative_to(root)}")
    click.echo("next:")
    click.echo(f"  pip install -e {root}")
    click.echo(f"  pytest {root / 'tests'}")
    click.echo("  socialcouncil plugins")


def _show_warning(  # noqa: PLR0917 - the signature warnings.showwarning has
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: object = None,
    line: str | None = None,
) -> None:
    if issubclass(category, PluginWarning):
        click.echo(click.style("warning: ", fg="yellow", bold=True) + str(message), err=True)
    else:
        _original_showwarning(message, category, filename, lineno, file, line)  # type: ignore[arg-type]


_original_showwarning = warnings.showwarning


def main(argv: list[str] | None = None) -> None:
    """Run the command; a :class:`~socialcouncil.SocialCouncilError` becomes a message, exit 2.

    Plugin warnings are printed as ``warning: ...`` lines on standard error.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("always", PluginWarning)
        warnings.showwarning = _show_warning
        _run(argv)


def _run(argv: list[str] | None) -> None:
    try:
        cli.main(args=argv, prog_name="socialcouncil", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_UNUSABLE)
    except click.exceptions.Abort:
        _error("aborted")
        sys.exit(EXIT_UNUSABLE)
    except Exception as exc:
        # Imported here so that `--version` and `--help` never build the model.
        from socialcouncil.errors import FileError, SocialCouncilError

        if isinstance(exc, FileError):
            for problem in exc.problems:
                click.echo(problem.render(exc.file), err=True)
        elif isinstance(exc, SocialCouncilError):
            _error(str(exc))
        else:
            raise
        sys.exit(EXIT_UNUSABLE)
