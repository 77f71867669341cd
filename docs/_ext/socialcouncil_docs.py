"""Local Sphinx extension: examples that are checked, and pages that agree with the code.

**Examples live in the pages.** Every command a page shows, with what it prints, and every file
it shows is written in the page's Markdown, so that the source reads as the docs do, on a code
host or in an editor. Two directives mark the examples the build checks:

- ```` ```{checked-console} ```` holds ``$ COMMAND`` lines, each followed by what it prints.
  Each example runs its commands for real, one after another: ``socialcouncil``, ``pytest`` and
  ``python`` with the Python that builds the docs, leading ``NAME=value`` words as environment
  variables, standard error with standard output, and no installed plugin loaded; ``cd FOLDER``
  and ``mkdir FOLDER`` work as in a shell. They run in a temporary copy of the files beside the
  page, never in the sources. Options:

  ``:in: FOLDER``
      copy this folder (relative to the page) instead of the page's own.
  ``:plugin: NAME``
      run instead in a folder holding the package ``socialcouncil new-plugin NAME`` creates,
      installed as ``pip install -e`` would (its ``src/`` on the path, its metadata and entry
      points beside it), with that plugin the only one loaded.
  ``:cwd: FOLDER``
      run in this folder of the copy.
  ``:replace: FILE OLD NEW``
      first replace the text OLD by NEW in the copy of FILE (shell quoting), to show a mistake.
  ``:exit-code: N``
      the status every command must exit with (0 unless given).

  How long pytest took is left out of its summary line, the one thing that changes between runs.

- ```` ```{checked-file} PATH ```` holds a copy of a file beside the page (or, with
  ``:plugin: NAME``, of a file of the package ``new-plugin NAME`` creates), or of the lines
  ``:start-at: TEXT`` and ``:end-before: TEXT`` pick from it, as ``literalinclude`` would.

Options are ``:key: value`` lines at the top of the block, as for any MyST directive; a code host
shows them as they are, so keep them few. (So what an example shows cannot start with such a
line.)

When an example shows something other than the real output or file, the build warns (so
``sphinx-build -W`` fails) with a unified diff from what the page shows to what is real. To
rewrite those examples in the pages' sources instead, run the build with
``SOCIALCOUNCIL_DOCS_UPDATE=1``, as after changing what a command prints::

    SOCIALCOUNCIL_DOCS_UPDATE=1 .venv/bin/sphinx-build -n -W -q -b html docs docs/_build/html

then read the changes with ``git diff docs``. Pages with examples are read on every build, since
the code they run may have changed when the page has not.

**Tables are generated.** Before the sources are read, two tables that only restate the code,
and that nobody copies from, are written into ``docs/_generated/`` (git-ignored, never edited by
hand): ``continua.md``, the built-in continua and their levels, and ``builtin-plugins.md``, the
built-in plugins and what each registers. Nothing else goes there: a code example pulled in from
a git-ignored folder would leave the page's source without it, and ``tests/test_docs.py`` fails
on a page that includes one.

**Reference pages agree with the code.** While the sources are read, two hand-written reference
pages are checked, with a warning when they disagree:

- ``reference/checks.md`` must have a section for every rule, and each section's TOML example
  must make :func:`socialcouncil.check` report exactly the lines shown after it;
- ``reference/file-format.md`` must list every key of every table of the model file.
"""

from __future__ import annotations

import difflib
import importlib
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import attrs
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

import socialcouncil
from socialcouncil import files, model
from socialcouncil._shape import file_keys
from socialcouncil.plugins import BUILTIN_PLUGINS, isolated_registry

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

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


# -- Examples in the pages: shown inline, run or compared, and checked --------------------------

#: The directive of a console example: commands the build runs, and what they print.
CONSOLE = "checked-console"
#: The directive of a file example: a copy of a file, or of part of it, that the build compares.
FILE = "checked-file"
#: Set to ``1`` to rewrite each example that differs from the real thing, in the page's source.
UPDATE_VARIABLE = "SOCIALCOUNCIL_DOCS_UPDATE"

# The options each kind of example takes (see the module's docstring).
OPTIONS = {
    CONSOLE: ("in", "plugin", "cwd", "replace", "exit-code"),
    FILE: ("plugin", "start-at", "end-before"),
}

# A fenced example: ```{checked-console} or ```{checked-file} PATH, then its `:key: value`
# option lines, then what the page shows, up to a closing fence as long as the opening one.
_EXAMPLE = re.compile(
    r"^(?P<fence>`{3,})\{(?P<kind>checked-console|checked-file)\}[ \t]*(?P<argument>[^\n]*)\n"
    r"(?P<content>.*?)^(?P=fence)[ \t]*$",
    re.MULTILINE | re.DOTALL,
)
_OPTION = re.compile(r"^:([a-z-]+):[ \t]*(.*?)\s*$")
_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")

# How a command line's first word is run: with the Python that builds the docs, so that the
# socialcouncil being documented is the one that answers.
PROGRAMS: dict[str, tuple[str, ...]] = {
    "socialcouncil": ("-m", "socialcouncil"),
    "pytest": ("-m", "pytest"),
    "python": (),
}
# Commands done by the extension itself, as a shell would, and that print nothing.
FOLDER_COMMANDS = ("cd", "mkdir")

# Installed plugins are left out, so that what the pages show never depends on which plugins
# happen to be installed where the docs are built; the encoding is fixed for the same reason.
NO_PLUGINS = {"SOCIALCOUNCIL_LOAD_PLUGINS": ""}
STEADY = {"NO_COLOR": "1", "COLUMNS": "100", "PYTHONIOENCODING": "utf-8"}
# As a reader runs them: in the environment socialcouncil is installed in, activated, so that
# what the command prints (new-plugin's next steps) names `python`, not a path to it.
ACTIVATED = {"PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]])}

# The one thing in a command's output that changes from run to run: how long pytest took.
_TIMING = re.compile(r"^(.*\b(?:passed|failed|errors?|skipped)\b.*?) in [0-9.]+s\b", re.MULTILINE)


def _environment(*changes: dict[str, str]) -> dict[str, str]:
    """The build's environment for a command, without the variables that would change its output.

    socialcouncil's own variables (which plugins load, strict mode, tracing) and pytest's extra
    options are left out, whatever the shell that runs the build has set.
    """
    kept = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("SOCIALCOUNCIL_") and name != "PYTEST_ADDOPTS"
    }
    for change in (STEADY, ACTIVATED, NO_PLUGINS, *changes):
        kept.update(change)
    return kept


_LANGUAGES = {".toml": "toml", ".py": "python", ".md": "markdown", ".json": "json"}


class ExampleError(Exception):
    """An example that cannot be run or compared as written."""


@attrs.frozen
class Example:
    """One checked example in a page's source."""

    kind: str  # CONSOLE or FILE
    argument: str  # the file a FILE example copies
    options: dict[str, str]
    shown: str  # what the page shows, without the option lines
    line: int  # the page's line of the opening fence, counted from 1
    start: int  # where *shown* starts and ends in the page's text
    end: int


@attrs.frozen
class Outcome:
    """What checking a page's examples found."""

    problems: list[tuple[int, str]]  # (line, message): examples that cannot be run as written
    differences: list[tuple[int, str]]  # (line, diff): examples that show something else
    updated: str  # the page's text with every example showing the real thing


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def find_examples(text: str) -> list[Example]:
    """The checked examples in a page's Markdown source, in order."""
    examples = []
    for match in _EXAMPLE.finditer(text):
        content = match.group("content")
        options: dict[str, str] = {}
        skip = 0
        for line in content.splitlines(keepends=True):
            option = _OPTION.match(line)
            if option is None:
                break
            options[option.group(1)] = option.group(2)
            skip += len(line)
        examples.append(
            Example(
                kind=match.group("kind"),
                argument=match.group("argument").strip(),
                options=options,
                shown=content[skip:],
                line=text.count("\n", 0, match.start()) + 1,
                start=match.start("content") + skip,
                end=match.end("content"),
            )
        )
    return examples


def tidy(text: str) -> str:
    """*text* as compared and written: no blank lines around it, no spaces at line ends."""
    # Line ends first: a last line of spaces is a blank line around the text too.
    return "\n".join(line.rstrip() for line in text.splitlines()).strip("\n")


def command_lines(shown: str) -> list[str]:
    """The commands a console example shows: its lines that start with ``$``."""
    return [line[2:].strip() for line in shown.splitlines() if line.startswith("$ ")]


def _install(package: Path, site: Path) -> dict[str, str]:
    """Make *package* importable and findable as an installed plugin, as ``pip install -e`` does.

    The package's ``src/`` goes on the path, with the distribution's metadata and its entry
    points beside it; returns the environment that sees the plugin (and no other).
    """
    with (package / "pyproject.toml").open("rb") as file:
        project = tomllib.load(file)["project"]
    module = project["name"].replace("-", "_")
    info = site / f"{module}-{project['version']}.dist-info"
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
        "SOCIALCOUNCIL_LOAD_PLUGINS": ",".join(points),
    }


# The folders in which `socialcouncil new-plugin NAME` has run, by NAME: made once per build.
_NEW_PLUGINS: dict[str, Path] = {}


def new_plugin_folder(name: str) -> Path:
    """A folder holding only the package that ``socialcouncil new-plugin NAME`` creates."""
    if name not in _NEW_PLUGINS:
        folder = Path(tempfile.mkdtemp(prefix="socialcouncil-docs-"))
        result = subprocess.run(  # noqa: S603 - our own command, with fixed arguments
            [sys.executable, "-m", "socialcouncil", "new-plugin", name],
            cwd=folder,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            env=_environment(),
            check=False,
        )
        if result.returncode != 0:
            shutil.rmtree(folder)
            message = f"socialcouncil new-plugin {name} exited {result.returncode}"
            raise ExampleError(f"{message}:\n{result.stdout}")
        _NEW_PLUGINS[name] = folder
    return _NEW_PLUGINS[name]


def forget_new_plugins() -> None:
    """Remove the folders :func:`new_plugin_folder` made."""
    for folder in _NEW_PLUGINS.values():
        shutil.rmtree(folder, ignore_errors=True)
    _NEW_PLUGINS.clear()


def _package(folder: Path) -> Path:
    found = [path for path in folder.iterdir() if path.is_dir()]
    if len(found) != 1:
        raise ExampleError(f"new-plugin made {len(found)} folders, expected one package")
    return found[0]


def _replace(work: Path, option: str) -> None:
    """Apply a console example's ``:replace: FILE OLD NEW`` to its copy of the files."""
    words = shlex.split(option)
    if len(words) != 3:
        raise ExampleError(f":replace: needs a file, the old text and the new, found {option!r}")
    name, old, new = words
    path = work / name
    if not path.is_file():
        raise ExampleError(f":replace: there is no file {name!r} to change")
    text = path.read_text(encoding="utf-8")
    if old not in text:
        raise ExampleError(f":replace: {old!r} is not in {name}")
    path.write_text(text.replace(old, new), encoding="utf-8")


def _folder_command(words: list[str], cwd: Path, work: Path) -> Path:
    """Do ``cd FOLDER`` or ``mkdir FOLDER`` inside the example's copy; the folder to go on in."""
    if len(words) != 2:
        raise ExampleError(f"{words[0]} needs one folder, found {shlex.join(words[1:])!r}")
    folder = (cwd / words[1]).resolve()
    if not folder.is_relative_to(work.resolve()):
        raise ExampleError(f"{shlex.join(words)}: the folder must be inside the example's copy")
    if words[0] == "mkdir":
        if folder.exists():
            raise ExampleError(f"{shlex.join(words)}: {words[1]!r} is there already")
        folder.mkdir()
        return cwd
    if not folder.is_dir():
        raise ExampleError(f"{shlex.join(words)}: there is no folder {words[1]!r}")
    return folder


def _run_line(line: str, cwd: Path, env: dict[str, str]) -> tuple[int, str]:
    """Run one shown command line; its exit status, and what it printed with the line."""
    words = shlex.split(line)
    assigned = {}
    while words and _ASSIGNMENT.match(words[0]):
        name, _, value = words.pop(0).partition("=")
        assigned[name] = value
    if not words or words[0] not in PROGRAMS:
        known = ", ".join([*PROGRAMS, *FOLDER_COMMANDS])
        raise ExampleError(f"cannot run {line!r}: a command line must start with one of {known}")
    result = subprocess.run(  # noqa: S603 - the docs' own commands
        [sys.executable, *PROGRAMS[words[0]], *words[1:]],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        env=_environment(env, assigned),
        check=False,
    )
    printed = _TIMING.sub(r"\1", result.stdout)
    return result.returncode, f"$ {line}\n{printed}"


def console_transcript(example: Example, folder: Path) -> tuple[str, list[str]]:
    """Run a console example's commands for real: what they print, and any wrong exit status.

    The commands run one after another, in a temporary copy of *folder* (the page's folder, or
    the one ``:in:`` names), or with ``:plugin: NAME`` in a folder holding the package that
    ``socialcouncil new-plugin NAME`` creates, installed; never in the docs' sources.
    """
    unknown = set(example.options) - set(OPTIONS[CONSOLE])
    if unknown:
        raise ExampleError(f"unknown option {', '.join(sorted(unknown))}")
    lines = command_lines(example.shown)
    if not lines:
        raise ExampleError("shows no command: a command line starts with '$ '")
    try:
        expected = int(example.options.get("exit-code", "0"))
    except ValueError:
        raise ExampleError(":exit-code: must be a whole number") from None
    wrong = []
    transcript = []
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary) / "work"
        env = dict(NO_PLUGINS)
        if "plugin" in example.options:
            shutil.copytree(new_plugin_folder(example.options["plugin"]), work)
            env.update(_install(_package(work), Path(temporary) / "site"))
        else:
            source = folder / _unquote(example.options.get("in", "."))
            if not source.is_dir():
                raise ExampleError(f":in: there is no folder {source}")
            shutil.copytree(source, work)
        if "replace" in example.options:
            _replace(work, example.options["replace"])
        cwd = work / _unquote(example.options.get("cwd", "."))
        if not cwd.is_dir():
            raise ExampleError(f":cwd: there is no folder {example.options['cwd']!r}")
        for line in lines:
            words = shlex.split(line)
            if words and words[0] in FOLDER_COMMANDS:
                cwd = _folder_command(words, cwd, work)
                transcript.append(f"$ {line}\n")
                continue
            status, printed = _run_line(line, cwd, env)
            transcript.append(printed)
            if status != expected:
                wrong.append(f"{line} exited {status}, expected {expected}:\n{printed}")
    return "".join(transcript), wrong


def file_copy(example: Example, folder: Path) -> str:
    """The text a file example copies: the file (beside the page, or in a new plugin) or a part.

    ``:start-at:`` and ``:end-before:`` pick lines as ``literalinclude`` does: from the first
    line holding the one text, to the first line after it holding the other.
    """
    unknown = set(example.options) - set(OPTIONS[FILE])
    if unknown:
        raise ExampleError(f"unknown option {', '.join(sorted(unknown))}")
    if not example.argument:
        raise ExampleError("names no file: write ```{checked-file} PATH")
    plugin = example.options.get("plugin")
    base = new_plugin_folder(plugin) if plugin is not None else folder
    path = base / example.argument
    if not path.is_file():
        raise ExampleError(f"there is no file {example.argument!r}")
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start, end = 0, len(lines)
    if "start-at" in example.options:
        start = _line_with(lines, _unquote(example.options["start-at"]), 0, example.argument)
    if "end-before" in example.options:
        end = _line_with(lines, _unquote(example.options["end-before"]), start, example.argument)
    return "".join(lines[start:end])


def _line_with(lines: list[str], text: str, start: int, name: str) -> int:
    for index in range(start, len(lines)):
        if text in lines[index]:
            return index
    raise ExampleError(f"no line of {name} from line {start + 1} on holds {text!r}")


def _difference(example: Example, real: str) -> str:
    what = "what the commands print" if example.kind == CONSOLE else example.argument
    diff = difflib.unified_diff(
        tidy(example.shown).splitlines(),
        tidy(real).splitlines(),
        "shown in the page",
        "printed" if example.kind == CONSOLE else example.argument,
        lineterm="",
    )
    return (
        f"{what} differs from what the page shows "
        f"({UPDATE_VARIABLE}=1 rewrites the page):\n" + "\n".join(diff)
    )


def check_examples(text: str, folder: Path) -> Outcome:
    """Run or compare every checked example of a page whose files are in *folder*."""
    problems: list[tuple[int, str]] = []
    differences: list[tuple[int, str]] = []
    pieces = []
    done = 0
    for example in find_examples(text):
        try:
            if example.kind == CONSOLE:
                real, wrong = console_transcript(example, folder)
                problems += [(example.line, message) for message in wrong]
            else:
                real = file_copy(example, folder)
        except ExampleError as exc:
            problems.append((example.line, f"{{{example.kind}}} {exc}"))
            continue
        if tidy(real) != tidy(example.shown):
            differences.append((example.line, _difference(example, real)))
            pieces += [text[done : example.start], tidy(real) + "\n"]
            done = example.end
    pieces.append(text[done:])
    return Outcome(problems, differences, "".join(pieces))


class CheckedConsole(SphinxDirective):
    """``{checked-console}``: commands and what they print, run for real at every build.

    The directive only shows the example; the page's source is checked when it is read.
    """

    has_content = True
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = dict.fromkeys(
        OPTIONS[CONSOLE], directives.unchanged
    )

    def language(self) -> str:
        """The language the block is highlighted as."""
        return "console"

    def run(self) -> list[nodes.Node]:
        """The literal block of what the page shows."""
        text = "\n".join(self.content).strip("\n")
        block = nodes.literal_block(text, text, language=self.language())
        self.set_source_info(block)
        return [block]


class CheckedFile(CheckedConsole):
    """``{checked-file} PATH``: a copy of a file, or of part of one, compared at every build."""

    required_arguments = 1
    final_argument_whitespace = True
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = dict.fromkeys(
        OPTIONS[FILE], directives.unchanged
    )

    def language(self) -> str:
        """The language the file's name says."""
        return _LANGUAGES.get(Path(self.arguments[0]).suffix, "text")


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
    "`[[sources]]`": model.Source,
    "`[[measures]]`": model.Measure,
    "`[[measures.observations]]`": model.Observation,
    "`[[projects]]`": model.Project,
    "`[[projects.calibrations]]`": model.Calibration,
    "`[checks]`": model.CheckSettings,
    "`[publishing]`": model.PublishingSettings,
    "`[store]`": model.StoreSettings,
}

_HEADING = re.compile(r"^#+ (.+?)\s*$", re.MULTILINE)
_ROW_KEY = re.compile(r"^\| `([a-z_]+)` \|", re.MULTILINE)


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

# The files the build writes into _generated/; anything else found there is left from an older
# build and is removed, so that no page can come to rely on it.
GENERATED_FILES = frozenset({"continua.md", "builtin-plugins.md"})


def _generate(app: Sphinx) -> None:
    if GENERATED.is_dir():
        for path in GENERATED.iterdir():
            if path.name not in GENERATED_FILES:
                if path.is_dir():
                    shutil.rmtree(path)
                else:
                    path.unlink()
    write_continua()
    write_builtin_plugins()


def _has_examples(text: str) -> bool:
    return f"{{{CONSOLE}}}" in text or f"{{{FILE}}}" in text


def _check_page(app: Sphinx, docname: str, source: list[str]) -> None:
    check = PAGE_CHECKS.get(docname)
    if check is not None:
        for problem in check(source[0]):
            LOGGER.warning(textwrap.indent(problem, "  ").strip(), location=docname)
    if not _has_examples(source[0]):
        return
    path = Path(app.env.doc2path(docname))
    outcome = check_examples(source[0], path.parent)
    for line, problem in outcome.problems:
        LOGGER.warning(problem, location=(docname, line))
    if os.environ.get(UPDATE_VARIABLE) == "1":
        if outcome.updated != source[0]:
            path.write_text(outcome.updated, encoding="utf-8")
            source[0] = outcome.updated
            LOGGER.info("%s: rewrote %d examples", path, len(outcome.differences))
        return
    for line, difference in outcome.differences:
        LOGGER.warning(difference, location=(docname, line))


def _always_read(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> Iterable[str]:
    """Pages with examples or checked against the code: what they check may have changed."""
    found = []
    for docname in env.found_docs - removed:
        path = Path(env.doc2path(docname))
        if docname in PAGE_CHECKS or _has_examples(path.read_text(encoding="utf-8")):
            found.append(docname)
    return found


def _clean_up(app: Sphinx, exception: Exception | None) -> None:
    forget_new_plugins()


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the extension."""
    app.add_directive(CONSOLE, CheckedConsole)
    app.add_directive(FILE, CheckedFile)
    app.connect("builder-inited", _generate)
    app.connect("env-get-outdated", _always_read)
    app.connect("source-read", _check_page)
    app.connect("build-finished", _clean_up)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
