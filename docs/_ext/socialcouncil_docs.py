"""Local Sphinx extension: pages written from the code, and checks that hand-written pages agree.

Before the sources are read it writes into ``docs/_generated/`` (never edited by hand):

- ``continua.md``: the built-in continua and their levels, from the plugins that register them;
- ``builtin-plugins.md``: a table of the built-in plugins and what each registers;
- ``<name>.txt``: what the ``socialcouncil`` command prints for the examples the pages show,
  run for real on the files beside those pages, with no installed plugin loaded;
- ``socialcouncil-anytown/``: the files of the plugin package ``socialcouncil new-plugin
  anytown`` creates, each with ``.txt`` added to its name, and ``plugin-*.txt``: what the
  plugin tutorial's steps print once it is installed.

While the sources are read it checks two hand-written reference pages against the code, and
warns (so ``sphinx-build -W`` fails) when they disagree:

- ``reference/checks.md`` must have a section for every rule, and each section's TOML example
  must make :func:`socialcouncil.check` report exactly the lines shown after it;
- ``reference/file-format.md`` must list every key of every table of the model file.
"""

from __future__ import annotations

import importlib
import os
import re
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import attrs
from sphinx.util import logging

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

import socialcouncil
from socialcouncil import files, model
from socialcouncil.plugins import BUILTIN_PLUGINS, isolated_registry

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from socialcouncil import Continuum

LOGGER = logging.getLogger(__name__)
DOCS = Path(__file__).resolve().parent.parent
GENERATED = DOCS / "_generated"


def _write(path: Path, text: str) -> None:
    """Write *text* to *path* only when it changed, so Sphinx does not re-read for nothing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


# -- The built-in continua --------------------------------------------------------------------


def _cell(text: str | None) -> str:
    return " ".join((text or "").split()).replace("|", "\\|")


def _continuum_section(continuum: Continuum) -> str:
    grouped = any(level.group for level in continuum.levels)
    lines = [
        f"({continuum.id})=",
        f"## {continuum.name}",
        "",
        f"Id `{continuum.id}`, {len(continuum.levels)} levels, lowest first.",
        "",
    ]
    if continuum.description:
        lines += [_cell(continuum.description), ""]
    if continuum.source:
        lines += [f"Source: {_cell(continuum.source)}", ""]
    head = ["Rank", "Level id", "Label", *(["Band"] if grouped else []), "Description"]
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for rank, level in enumerate(continuum.levels):
        row = [str(rank), f"`{level.id}`", _cell(level.label)]
        row += [_cell(level.group)] if grouped else []
        row += [_cell(level.description)]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines) + "\n"


def builtin_continua() -> list[Continuum]:
    """The continua socialcouncil's own plugins register, in registration order."""
    found: list[Continuum] = []
    for module in BUILTIN_PLUGINS.values():
        register = getattr(importlib.import_module(module), "register_continua", None)
        if register is not None:
            found += register()
    return found


def write_continua() -> None:
    """Write ``_generated/continua.md``: one section per built-in continuum."""
    sections = [_continuum_section(c) for c in builtin_continua()]
    _write(GENERATED / "continua.md", "\n".join(sections))


# -- The built-in plugins --------------------------------------------------------------------

# How the plugins table names what a plugin registers, by the registry's kind.
_KIND_NAMES = {
    "continuum": "continua",
    "template": "templates",
    "data source": "data sources",
    "exporter": "exporters",
    "measurement model": "measurement models",
}


def write_builtin_plugins() -> None:
    """Write ``_generated/builtin-plugins.md``: a table of the built-in plugins."""
    registry = isolated_registry()
    contributions = registry.contributions()
    lines = ["| Plugin | Module | Registers |", "|---|---|---|"]
    for name, module in BUILTIN_PLUGINS.items():
        registers = []
        for kind, ids in contributions.get(name, {}).items():
            if kind == "rule":
                registers.append(f"the {len(ids)} rules of {{doc}}`checks`")
            else:
                listed = ", ".join(f"`{i}`" for i in ids)
                registers.append(f"{kind if len(ids) == 1 else _KIND_NAMES[kind]} {listed}")
        lines.append(f"| `{name}` | `{module}` | {'; '.join(registers)} |")
    _write(GENERATED / "builtin-plugins.md", "\n".join(lines) + "\n")


# -- What the command prints ------------------------------------------------------------------


class Command(NamedTuple):
    """One run of the ``socialcouncil`` command whose output a page shows."""

    output: str  # written to _generated/<output>.txt
    # Run in this folder of docs/, where the files it reads are; None: in an empty folder.
    folder: str | None
    args: tuple[str, ...]
    exit_code: int
    # Run on a copy of the folder's file with this text replaced, to show a mistake.
    edit: tuple[str, str, str] | None = None  # (file, old text, new text)


COMMANDS = (
    Command("tutorial-validate", "tutorial", ("validate", "council.toml"), 0),
    Command(
        "tutorial-validate-mistake",
        "tutorial",
        ("validate", "council.toml"),
        1,
        ("council.toml", 'level = "involve"', 'level = "involved"'),
    ),
    Command("tutorial-show", "tutorial", ("show", "council.toml"), 0),
    Command(
        "validate-json",
        "tutorial",
        ("validate", "--format", "json", "council.toml"),
        1,
        ("council.toml", 'level = "involve"', 'level = "involved"'),
    ),
    Command("file-format-broken", "reference", ("validate", "broken.toml"), 2),
    Command("cli-continua", "reference", ("continua",), 0),
    Command("cli-continua-iap2", "reference", ("continua", "iap2-spectrum"), 0),
    Command("cli-plugins", "reference", ("plugins",), 0),
    Command("cli-plugins-all", "reference", ("plugins", "--all"), 0),
    Command("cli-templates", "reference", ("templates",), 0),
    Command("cli-init", None, ("init",), 0),
)

# Installed plugins are left out, so that what the pages show never depends on which plugins
# happen to be installed where the docs are built.
NO_PLUGINS = {"SOCIALCOUNCIL_LOAD_PLUGINS": ""}
# As a reader runs them: in the environment socialcouncil is installed in, activated.
ACTIVATED = {"PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]])}


def _invoke(
    args: tuple[str, ...],
    folder: Path,
    exit_code: int,
    env: dict[str, str] | None = None,
    *,
    program: tuple[str, ...] = ("-m", "socialcouncil"),
    shown: str = "socialcouncil",
) -> str:
    """Run ``python -m socialcouncil ARGS`` in *folder*; the command line and what it printed."""
    result = subprocess.run(  # noqa: S603 - our own command, with fixed arguments
        [sys.executable, *program, *args],
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        env={
            **os.environ,
            **ACTIVATED,
            "NO_COLOR": "1",
            "COLUMNS": "100",
            **NO_PLUGINS,
            **(env or {}),
        },
        check=False,
    )
    line = " ".join([shown, *args])
    if result.returncode != exit_code:
        LOGGER.warning(
            "%s exited %d, expected %d:\n%s", line, result.returncode, exit_code, result.stdout
        )
    return f"$ {line}\n{result.stdout}"


def _run(command: Command) -> str:
    with tempfile.TemporaryDirectory() as temporary:
        folder = DOCS / command.folder if command.folder is not None else Path(temporary)
        if command.edit is not None:
            name, old, new = command.edit
            text = (folder / name).read_text(encoding="utf-8")
            if old not in text:
                LOGGER.warning("%s: %r is not in %s", command.output, old, name)
            folder = Path(temporary)
            (folder / name).write_text(text.replace(old, new), encoding="utf-8")
        return _invoke(command.args, folder, command.exit_code)


def write_command_outputs() -> None:
    """Run each command in :data:`COMMANDS` and write what it prints."""
    for command in COMMANDS:
        _write(GENERATED / f"{command.output}.txt", _run(command))


# -- The plugin tutorial: a new plugin, for real ----------------------------------------------

PLUGIN = "anytown"
PACKAGE = f"socialcouncil-{PLUGIN}"
MODULE = f"socialcouncil_{PLUGIN}"


def _install(package: Path, site: Path) -> dict[str, str]:
    """Make *package* importable and findable as an installed plugin, as ``pip install -e`` does.

    The package's ``src/`` goes on the path, with the distribution's metadata and its entry
    point beside it; returns the environment that sees the plugin (and no other).
    """
    with (package / "pyproject.toml").open("rb") as file:
        project = tomllib.load(file)["project"]
    info = site / f"{MODULE}-{project['version']}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {project['version']}\n",
        encoding="utf-8",
    )
    points = project["entry-points"]["socialcouncil"]
    lines = "".join(f"{name} = {value}\n" for name, value in points.items())
    (info / "entry_points.txt").write_text(f"[socialcouncil]\n{lines}", encoding="utf-8")
    return {
        "PYTHONPATH": os.pathsep.join([str(site), str(package / "src")]),
        "SOCIALCOUNCIL_LOAD_PLUGINS": PLUGIN,
    }


def write_plugin_walkthrough() -> None:
    """Create the tutorial's plugin with ``new-plugin``, install it, test it and use it.

    Writes the generated package's files into ``_generated/socialcouncil-anytown/`` for the
    pages to include, and ``plugin-*.txt``: what each step prints.
    """
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        outputs = {"plugin-new": _invoke(("new-plugin", PLUGIN), work, 0)}
        package = work / PACKAGE
        for path in sorted(package.rglob("*")):
            if path.is_file():
                # Named .txt, so that no tool takes the copies for the docs' own code or config.
                target = GENERATED / PACKAGE / f"{path.relative_to(package)}.txt"
                _write(target, path.read_text(encoding="utf-8"))
        env = _install(package, work / "site")
        tested = _invoke(("-q",), package, 0, env, program=("-m", "pytest"), shown="pytest")
        # The one thing that changes from run to run is how long the tests took.
        outputs["plugin-test"] = re.sub(r" in [0-9.]+s\b", "", tested)
        outputs["plugin-plugins"] = _invoke(("plugins",), work, 0, env)
        outputs["plugin-plugins-json"] = _invoke(("plugins", "--format", "json"), work, 0, env)
        outputs["plugin-continua"] = _invoke(("continua", f"{PLUGIN}-relationship"), work, 0, env)
        outputs["plugin-templates"] = _invoke(("templates",), work, 0, env)
        council = work / "council"
        council.mkdir()
        outputs["plugin-init"] = _invoke(("init", "--template", PLUGIN), council, 0, env)
        outputs["plugin-validate"] = _invoke(("validate", "council.toml"), council, 0, env)
        # The same plugin with a misspelt hook: a warning, and an error in strict mode.
        module = package / "src" / MODULE / "__init__.py"
        text = module.read_text(encoding="utf-8")
        if "def register_continua(" not in text:
            LOGGER.warning("%s has no register_continua to misspell", module.name)
        misspelt = text.replace("def register_continua(", "def register_continuum(")
        module.write_text(misspelt, encoding="utf-8")
        outputs["plugin-broken"] = _invoke(("templates",), council, 0, env)
        strict = ("--strict-plugins", "templates")
        outputs["plugin-broken-strict"] = _invoke(strict, council, 2, env)
    for name, text in outputs.items():
        _write(GENERATED / f"{name}.txt", text)


# -- reference/checks.md: a section per rule, and examples that really find what they show ----

_SECTION = re.compile(r"^### `([a-z0-9-]+)`\s*$", re.MULTILINE)
_FENCE = re.compile(r"^```(\w+)\s*\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)
_HEADER = '[council]\nname = "Anytown Borough Council"\n\n'


def _matches(expected: str, actual: str) -> bool:
    """Whether *actual* is *expected*, where ``...`` in *expected* stands for any text."""
    pattern = ".*".join(re.escape(part) for part in expected.split("..."))
    return re.fullmatch(pattern, actual) is not None


def _check_rule_example(rule: str, body: str) -> str | None:
    """What is wrong with one rule's section, or None."""
    blocks = _FENCE.findall(body)
    toml = [code for lang, code in blocks if lang == "toml"]
    shown = [code for lang, code in blocks if lang == "text"]
    if not toml or not shown:
        return "needs a ```toml example and a ```text block of what it reports"
    text = toml[0] if "[council]" in toml[0] else _HEADER + toml[0]
    try:
        council = socialcouncil.loads(text, source="council.toml")
    except socialcouncil.ModelFileError as exc:
        return f"the example is not a usable model file:\n{exc}"
    found = [f.render("council.toml") for f in socialcouncil.check(council) if f.rule == rule]
    expected = shown[0].strip().splitlines()
    if len(found) != len(expected) or not all(map(_matches, expected, found)):
        return "the example reports\n  " + "\n  ".join(found or ["nothing"])
    return None


def check_checks_page(text: str) -> list[str]:
    """Problems with the checks reference page's text."""
    problems = []
    parts = _SECTION.split(text)
    sections = dict(zip(parts[1::2], parts[2::2], strict=True))
    for rule in socialcouncil.RULES:
        if rule not in sections:
            problems.append(f"no section for the rule {rule!r}")
    for rule, body in sections.items():
        if rule not in socialcouncil.RULES:
            problems.append(f"a section for {rule!r}, which is not a rule")
            continue
        problem = _check_rule_example(rule, body)
        if problem:
            problems.append(f"rule {rule!r}: {problem}")
    return problems


# -- reference/file-format.md: every key of every table --------------------------------------

# The heading text that introduces each table, and the class whose fields are its keys.
# The file's own shape (files._Document, files._Header) is what the page documents.
TABLES: dict[str, type] = {
    "Top level": files._Document,
    "`[council]`": files._Header,
    "`[[values]]`": model.Value,
    "`[thread]`": model.GoldenThread,
    "`[[thread.priorities]]`": model.Priority,
    "`[[thread.outcomes]]`": model.Outcome,
    "`[[thread.design_principles]]`": model.DesignPrinciple,
    "`[[thread.big_moves]]`": model.BigMove,
    "`[[continua]]`": model.Continuum,
    "`[[continua.levels]]`": model.Level,
    "`[[crosswalks]]`": model.Crosswalk,
    "`[[measures]]`": model.Measure,
    "`[[projects]]`": model.Project,
    "`[[projects.calibrations]]`": model.Calibration,
    "`[checks]`": model.CheckSettings,
}

_HEADING = re.compile(r"^#+ (.+?)\s*$", re.MULTILINE)
_ROW_KEY = re.compile(r"^\| `([a-z_]+)` \|", re.MULTILINE)


def file_keys(cl: type) -> list[str]:
    """The keys a model file uses for the fields of *cl*."""
    return ["from" if a.name == "from_" else a.name for a in attrs.fields(cl)]


def check_file_format_page(text: str) -> list[str]:
    """Problems with the file format reference page's text."""
    # Leave out code blocks: a "# comment" in a TOML example is not a heading.
    text = re.sub(r"^```.*?^```\s*$", "", text, flags=re.MULTILINE | re.DOTALL)
    parts = _HEADING.split(text)
    sections = dict(zip(parts[1::2], parts[2::2], strict=True))
    problems = []
    for heading, cl in TABLES.items():
        if heading not in sections:
            problems.append(f"no heading {heading!r} for the keys of {cl.__name__}")
            continue
        listed = _ROW_KEY.findall(sections[heading])
        keys = file_keys(cl)
        for key in keys:
            if key not in listed:
                problems.append(f"{heading}: the key {key!r} is not in its table")
        for key in listed:
            if key not in keys:
                problems.append(f"{heading}: {key!r} is not a key of this table")
    return problems


PAGE_CHECKS = {
    "reference/checks": check_checks_page,
    "reference/file-format": check_file_format_page,
}


# -- Wiring -----------------------------------------------------------------------------------


def _generate(app: Sphinx) -> None:
    write_continua()
    write_builtin_plugins()
    write_command_outputs()
    write_plugin_walkthrough()


def _check_page(app: Sphinx, docname: str, source: list[str]) -> None:
    check = PAGE_CHECKS.get(docname)
    if check is None:
        return
    for problem in check(source[0]):
        LOGGER.warning(textwrap.indent(problem, "  ").strip(), location=docname)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the extension."""
    app.connect("builder-inited", _generate)
    app.connect("source-read", _check_page)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
