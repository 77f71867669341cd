"""The ``socialcouncil`` command."""

from __future__ import annotations

import errno
import os
import sys
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

import socialcouncil
from socialcouncil._commands import CommandGroup
from socialcouncil._output import can_encode, json_text, one_line, safe_streams, wrap
from socialcouncil._warnings import PluginWarning

if TYPE_CHECKING:
    from socialcouncil._plugininfo import PluginInfo
    from socialcouncil.checks import Finding
    from socialcouncil.templates import Template

__all__ = ["EXIT_BUG", "EXIT_FINDINGS", "EXIT_OK", "EXIT_UNUSABLE", "cli", "main"]

EXIT_OK = 0
"""Every file is usable and clean (warnings allowed unless ``--strict``)."""
EXIT_FINDINGS = 1
"""A file has errors, or warnings under ``--strict``."""
EXIT_UNUSABLE = 2
"""A file could not be used at all, the command was used wrongly, or a plugin failed in
strict mode."""
EXIT_BUG = 3
"""Something failed that should not have: a bug in socialcouncil or in the plugin named."""


@click.group(
    cls=CommandGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(socialcouncil.__version__, "-V", "--version", prog_name="socialcouncil")
@click.option(
    "--strict-plugins",
    is_flag=True,
    help="Make every plugin problem an error rather than a warning "
    "(also SOCIALCOUNCIL_STRICT_PLUGINS=1).",
)
@click.option(
    "--debug",
    is_flag=True,
    envvar="SOCIALCOUNCIL_DEBUG",
    help="When something fails that should not (exit 3), print the full traceback "
    "(also SOCIALCOUNCIL_DEBUG=1).",
)
@click.pass_context
def cli(ctx: click.Context, strict_plugins: bool, debug: bool) -> None:
    """Describe and run a council's Social Council model.

    Check a model file with `validate`, read it with `show`, measure it from its data with
    `measure`, publish its report with `report` and more with `export`, start one with `init`,
    and see what the installed plugins offer with `plugins`, `continua`, `templates`,
    `sources`, `models` and `exporters`. Record runs with `measure --record`, see figures move
    across them with `history`, keep the learning log with `log`, and look after the history
    store with `store`.
    """
    _run_state(ctx).debug = debug
    if strict_plugins:
        from socialcouncil.plugins import registry

        registry(strict=True)


class _RunState:
    """What one run of the command knows, for reporting a failure.

    Whether ``--debug`` was given, and the JSON report being built, which is printed with the
    failure in it if the command cannot finish.
    """

    def __init__(self) -> None:
        self.debug = _env_debug()
        self.report: dict[str, Any] | None = None


def _env_debug() -> bool:
    return os.environ.get("SOCIALCOUNCIL_DEBUG", "").strip().lower() in {"1", "true", "yes"}


def _run_state(ctx: click.Context | None = None) -> _RunState:
    """The state of this run; a fresh one where the command is called without :func:`main`."""
    ctx = ctx or click.get_current_context(silent=True)
    root = ctx.find_root() if ctx is not None else None
    if root is None:
        return _RunState()
    if not isinstance(root.obj, _RunState):
        root.obj = _RunState()
    return root.obj


def _error(message: str) -> None:
    click.echo(click.style("error: ", fg="red", bold=True) + message, err=True)


def _print_json(data: dict[str, Any]) -> None:
    """Print a command's JSON report; it is no longer pending."""
    _run_state().report = None
    click.echo(json_text(data))


_output_format = click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="How to report: lines for people, or JSON for programs.",
)


# -- validate ---------------------------------------------------------------------------------


def _finding_json(finding: Finding) -> dict[str, Any]:
    from socialcouncil._failures import plugin_json

    found: dict[str, Any] = {
        "rule": finding.rule,
        "severity": finding.severity,
        "path": finding.path,
        "message": finding.message,
    }
    if finding.plugin is not None:
        found["plugin"] = plugin_json(finding.plugin)
    return found


def _failure_json(message: str, plugin: PluginInfo | None) -> dict[str, Any]:
    from socialcouncil._failures import plugin_json

    return {"message": message, "plugin": None if plugin is None else plugin_json(plugin)}


def _validate_file(file: Path, output: str, *, strict: bool) -> tuple[int, dict[str, Any]]:
    """Check one file; its exit code and its part of the JSON report."""
    from socialcouncil.errors import ModelFileError

    name = str(file)
    try:
        council = socialcouncil.load(file)
    except ModelFileError as exc:
        problems = [
            {"path": p.path, "message": p.message, "line": p.line, "column": p.column}
            for p in exc.problems
        ]
        if output == "text":
            for problem in exc.problems:
                click.echo(problem.render(name))
            count = len(exc.problems)
            click.echo(f"{name}: unusable, {count} problem{'s' if count != 1 else ''}")
        return EXIT_UNUSABLE, {"file": name, "usable": False, "problems": problems, "findings": []}
    findings = socialcouncil.check(council)
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    code = EXIT_FINDINGS if errors or (strict and warnings) else EXIT_OK
    if output == "text":
        for finding in findings:
            click.echo(one_line(finding.render(name)))
        summary = f"{errors} error{'s' if errors != 1 else ''}, "
        summary += f"{warnings} warning{'s' if warnings != 1 else ''}"
        click.echo(f"{name}: {'ok' if not findings else summary}")
    report = {
        "file": name,
        "usable": True,
        "problems": [],
        "findings": [_finding_json(f) for f in findings],
    }
    return code, report


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@_output_format
@click.option(
    "--strict", is_flag=True, help="Fail on warnings as well as errors, plugin problems included."
)
def validate(files: tuple[Path, ...], output: str, strict: bool) -> None:
    """Check model files and report every problem found.

    Exits 0 when every file is clean, 1 when a file has errors (or warnings, with --strict),
    2 when a file cannot be read as a council at all or a plugin fails in strict mode, and 3
    when something fails that should not: a bug, in socialcouncil or in the plugin named.
    """
    from socialcouncil.errors import SocialCouncilError
    from socialcouncil.plugins import registry

    state = _run_state()
    reports: list[dict[str, Any]] = []
    document: dict[str, Any] = {"exit_code": EXIT_OK, "files": reports}
    if output == "json":
        state.report = document
    if strict:
        registry(strict=True)
    code = EXIT_OK
    for file in files:
        try:
            found, report = _validate_file(file, output, strict=strict)
        except SocialCouncilError as exc:
            # A plugin failing in strict mode: this file cannot be trusted, the others can.
            found, report = EXIT_UNUSABLE, _file_failure(file, exc, output, bug=False)
        except Exception as exc:  # noqa: BLE001 - a bug is reported, and the next file checked
            found, report = EXIT_BUG, _file_failure(file, exc, output, bug=True)
        code = max(code, found)
        reports.append(report)
    if output == "json":
        document["exit_code"] = code
        _print_json(document)
    sys.exit(code)


def _plugin_of(exc: Exception) -> PluginInfo | None:
    """The plugin an error says it is about, where it says."""
    from socialcouncil._plugininfo import PluginInfo

    plugin = getattr(exc, "plugin", None)
    return plugin if isinstance(plugin, PluginInfo) else None


def _file_failure(file: Path, exc: Exception, output: str, *, bug: bool) -> dict[str, Any]:
    """Report a file whose checking failed; its part of the JSON report."""
    import traceback

    from socialcouncil._failures import culprit, describe_failure

    plugin = _plugin_of(exc) or culprit(exc)
    message = describe_failure(exc, plugin) if bug else one_line(str(exc))
    if output == "text":
        _error(f"{file}: {message}")
        if bug and _run_state().debug:
            traceback.print_exception(exc, file=sys.stderr)
    failure = _failure_json(message, plugin)
    return {"file": str(file), "usable": True, "problems": [], "findings": [], "failure": failure}


# -- show -------------------------------------------------------------------------------------


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
    and a strip showing where it stands on its continuum (● current, ◎ target; * and @ where
    the output cannot show those).
    """
    from socialcouncil._showtext import ASCII, UNICODE, render

    council = socialcouncil.load(file)
    continua = council.usable_continua(socialcouncil.registered_continua())
    marks = UNICODE if can_encode(f"{UNICODE.current}{UNICODE.target}{UNICODE.other}") else ASCII
    if marks is UNICODE and not can_encode(UNICODE.line):
        marks = ASCII
    click.echo(render(council, continua, since.date() if since else None, marks))


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
        lines.append(wrap(found.description, ""))
    if found.source:
        lines.append(wrap(f"Source: {found.source}", ""))
    lines += ["", "Levels, lowest first:"]
    group = None
    for rank, level in enumerate(found.levels):
        if level.group and level.group != group:
            group = level.group
            lines.append(f"  {group}")
        indent = "    " if group else "  "
        lines.append(f"{indent}{rank}. {level.label} [{level.id}]")
        if level.description:
            lines.append(wrap(level.description, indent + "   "))
    click.echo("\n".join(lines))


# -- plugins and templates -----------------------------------------------------------------


@cli.command(name="plugins")
@click.option("--all", "show_all", is_flag=True, help="Include socialcouncil's built-in plugins.")
@_output_format
def plugins_command(show_all: bool, output: str) -> None:
    """List the installed plugins: name, distribution, version, hooks and what each registers."""
    from socialcouncil.plugins import registry

    if output == "json":
        _run_state().report = {"plugins": [], "problems": []}
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
        _print_json({"plugins": rows, "problems": problems})
        return
    if not listed:
        click.echo("no plugins loaded; `socialcouncil plugins --all` lists the built-in ones")
        return
    for info in listed:
        origin = "built in" if info.builtin else f"{info.distribution or '-'} {info.version or ''}"
        click.echo(f"{info.name}  ({origin.strip()})")
        click.echo(f"    hooks: {', '.join(info.hooks) or 'none'}")
        for kind, ids in contributions.get(info.name, {}).items():
            click.echo(wrap(f"{kind}: {', '.join(ids)}", "        ", first="    "))


@cli.command()
def templates() -> None:
    """List the templates `socialcouncil init` can start a council from."""
    from socialcouncil.plugins import registry

    found = registry()
    for template in found.templates.values():
        provider = found.provider("template", template.id).name
        click.echo(f"{template.id}  {template.title}  (from {provider})")
        click.echo(wrap(template.description, "    "))


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
    """Start a council: write DIRECTORY/council.toml from a template.

    The file starts with a `#:schema` line naming the JSON Schema of the model file, so that an
    editor completes and checks it as you type. Without --force the file is only ever created,
    never replaced: if a council.toml appears there meanwhile, it is kept. A template whose
    council does not validate is not written.
    """
    from socialcouncil._schema import with_directive
    from socialcouncil.files import write_atomically
    from socialcouncil.plugins import registry

    found = registry()
    template = found.templates.get(template_id)
    if template is None:
        _error(f"no template {template_id!r}; known: {', '.join(found.templates) or 'none'}")
        sys.exit(EXIT_UNUSABLE)
    target = directory / "council.toml"
    try:
        if target.is_dir():
            _error(f"{target} is a folder; choose another DIRECTORY")
            sys.exit(EXIT_UNUSABLE)
        if target.exists() and not force:
            _error(f"{target} is already there; use --force to replace it")
            sys.exit(EXIT_UNUSABLE)
    except OSError as exc:  # a name too long, say: the same will stop the write
        _error(_cannot_write(exc, target))
        sys.exit(EXIT_UNUSABLE)
    problems = _template_problems(template)
    if problems:
        provider = found.provider("template", template_id).describe()
        _error(
            f"the template {template_id!r} from {provider} does not validate, "
            "so nothing was written:"
        )
        for problem in problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(EXIT_UNUSABLE)
    text = with_directive(template.text)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        if force:
            write_atomically(target, text)
        else:
            _create_new_file(target, text)
    except FileExistsError:
        _error(f"{target} is already there; use --force to replace it")
        sys.exit(EXIT_UNUSABLE)
    except OSError as exc:
        _error(_cannot_write(exc, target))
        sys.exit(EXIT_UNUSABLE)
    click.echo(f"wrote {target} from the template {template_id!r}")
    click.echo(f"next: edit it, then run `socialcouncil validate {target}`")


def _template_problems(template: Template) -> list[str]:
    """Why the template's council is not one to start from: every problem and error in it."""
    from socialcouncil.errors import ModelFileError

    try:
        council = template.council()
    except ModelFileError as exc:
        return [problem.render() for problem in exc.problems]
    return [f.render() for f in socialcouncil.check(council) if f.severity == "error"]


def _create_new_file(path: Path, text: str) -> None:
    """Create *path* holding *text*; FileExistsError if it is there, however recently made.

    The file is created with the mode the umask allows; if writing it fails part way, it is
    removed, so no half-written council is left behind.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    descriptor = os.open(path, flags, 0o666)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise


_WHY_NOT_WRITTEN = {
    errno.ENOSPC: "the disk is full",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENAMETOOLONG: "a name in the path is too long for the file system",
    errno.EISDIR: "it is a folder",
    errno.ENOTDIR: "part of the path is a file, not a folder",
    errno.EFBIG: "the file is larger than the file system or the process's limits allow",
    getattr(errno, "EDQUOT", errno.ENOSPC): "the disk quota is used up",
}


def _cannot_write(exc: OSError, path: Path) -> str:
    """One line saying what could not be written, and why, for an OSError while writing."""
    reason = _WHY_NOT_WRITTEN.get(exc.errno or 0) or exc.strerror or str(exc)
    where = exc.filename if exc.filename else path
    return f"cannot write {where}: {reason}; nothing was written"


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
    the entry point that makes socialcouncil find it once installed. The package is built
    aside and moved into place whole, so a failure leaves nothing half-made.
    """
    from socialcouncil import scaffold

    try:
        root = scaffold.create(name, directory)
    except FileExistsError as exc:
        _error(f"{exc}; choose another name or --dir")
        sys.exit(EXIT_UNUSABLE)
    except OSError as exc:
        _error(_cannot_write(exc, directory / f"socialcouncil-{name}"))
        sys.exit(EXIT_UNUSABLE)
    click.echo(f"created {root}")
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        click.echo(f"  {path.relative_to(root).as_posix()}")
    click.echo("next, to install it with what its tests need, run them, and see it listed:")
    for step in scaffold.next_steps(root):
        click.echo(f"  {_command_line(step)}")


def _command_line(words: list[str]) -> str:
    """*words* as one command line for this system's shell."""
    if os.name == "nt":
        import subprocess

        return subprocess.list2cmdline(words)
    import shlex

    return shlex.join(words)


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
    """Run the command, and exit with its status.

    A :class:`~socialcouncil.SocialCouncilError` becomes a message and exit 2. Any other
    exception is a bug: one line says whether it is socialcouncil's or which plugin's, and
    the command exits 3; ``--debug`` (or ``SOCIALCOUNCIL_DEBUG=1``) adds the traceback. A
    JSON report the command was building is still printed, with the failure in it.

    Plugin warnings are printed as ``warning: ...`` lines on standard error. Everything
    printed goes through :mod:`socialcouncil._output`, so no output's encoding makes printing
    fail and no control character reaches the terminal raw.
    """
    with safe_streams(), warnings.catch_warnings():
        warnings.simplefilter("always", PluginWarning)
        warnings.showwarning = _show_warning
        _run(argv)


def _run(argv: list[str] | None) -> None:
    state = _RunState()
    try:
        cli.main(args=argv, prog_name="socialcouncil", standalone_mode=False, obj=state)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_UNUSABLE)
    except click.exceptions.Abort:
        _error("aborted")
        sys.exit(EXIT_UNUSABLE)
    except Exception as exc:  # noqa: BLE001 - every failure ends in a message and a status
        # Imported here so that `--version` and `--help` never build the model.
        import traceback

        from socialcouncil._failures import culprit, describe_failure
        from socialcouncil.errors import FileError, SocialCouncilError

        if isinstance(exc, SocialCouncilError):
            code, message = EXIT_UNUSABLE, one_line(str(exc))
            plugin = _plugin_of(exc) or (culprit(exc) if exc.__cause__ is not None else None)
        else:
            plugin = culprit(exc)
            code, message = EXIT_BUG, describe_failure(exc, plugin)
        if state.report is not None:
            _print_json(
                {**state.report, "exit_code": code, "failure": _failure_json(message, plugin)}
            )
        if isinstance(exc, FileError):
            for problem in exc.problems:
                click.echo(problem.render(exc.file), err=True)
        elif isinstance(exc, SocialCouncilError):
            _error(str(exc))
        else:
            _error(message)
            if state.debug:
                traceback.print_exception(exc, file=sys.stderr)
        sys.exit(code)


# -- measure, sources and models (in their own module) ----------------------------------------

from socialcouncil._measuring import (  # noqa: E402 - added once the group exists
    measure_command,
    models_command,
    sources_command,
)

cli.add_command(measure_command)
cli.add_command(sources_command)
cli.add_command(models_command)

# -- report, export and exporters (in their own module) ---------------------------------------

from socialcouncil._publishing import (  # noqa: E402 - added once the group exists
    export_command,
    exporters_command,
    report_command,
)

cli.add_command(report_command)
cli.add_command(export_command)
cli.add_command(exporters_command)

# -- history, log and store (in their own module) ---------------------------------------------

from socialcouncil._remembering import (  # noqa: E402 - added once the group exists
    history_command,
    log_command,
    store_command,
)

cli.add_command(history_command)
cli.add_command(log_command)
cli.add_command(store_command)

# -- schema (in its own module) ---------------------------------------------------------------

from socialcouncil._schema_command import (  # noqa: E402 - added once the group exists
    schema_command,
)

cli.add_command(schema_command)
