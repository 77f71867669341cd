"""The docs cover the whole public surface, and keep their examples in the pages' sources.

A name left out of the reference fails here, and so does an example that a page's Markdown does
not hold itself; the local Sphinx extension that runs and compares those examples is tested here
too, on pages made up for the purpose.
"""

from __future__ import annotations

import importlib.util
import inspect
import re
import sys
from functools import cache
from typing import TYPE_CHECKING

from hypothesis import given
from hypothesis import strategies as st

import socialcouncil
from socialcouncil import hookspecs
from tests.conftest import ROOT

if TYPE_CHECKING:
    from pathlib import Path
    from types import ModuleType

    import pytest

DOCS = ROOT / "docs"
REFERENCE = DOCS / "reference"
DIRECTIVE = re.compile(r"^\.\. auto(?:function|class|data|exception|attribute):: ([\w.]+)", re.M)
MODULE = re.compile(r"^\.\. (?:module|currentmodule):: (\S+)", re.M)


def documented(page: str) -> set[str]:
    return set(DIRECTIVE.findall((REFERENCE / page).read_text(encoding="utf-8")))


def test_every_public_name_is_in_the_api_reference() -> None:
    missing = {f"socialcouncil.{name}" for name in socialcouncil.__all__} - documented("api.md")
    assert missing == set()


def documented_in_modules(page: str) -> set[str]:
    """Full names documented on *page*, short names completed by the module they are under."""
    text = (REFERENCE / page).read_text(encoding="utf-8")
    found, module = set(), ""
    for line in text.splitlines():
        if m := MODULE.match(line):
            module = m.group(1)
        elif m := DIRECTIVE.match(line):
            name = m.group(1)
            found.add(name if "." in name else f"{module}.{name}")
    return found


def test_every_name_of_the_testing_kit_is_in_its_reference() -> None:
    from socialcouncil import testing
    from socialcouncil.testing import pytest_plugin, strategies

    names = {
        f"{module.__name__}.{name}"
        for module in (testing, strategies, pytest_plugin)
        for name in module.__all__
    }
    assert names - documented_in_modules("testing.md") == set()


def test_every_hook_is_in_the_hook_reference() -> None:
    hooks = {
        name
        for name, function in inspect.getmembers(hookspecs, inspect.isfunction)
        if hasattr(function, f"{hookspecs.PROJECT_NAME}_spec")
    }
    assert hooks  # the module really has hooks to look for
    assert hooks - documented("hooks.md") == set()


def test_every_public_function_and_class_has_a_docstring() -> None:
    for name in socialcouncil.__all__:
        value = getattr(socialcouncil, name)
        if inspect.isfunction(value) or inspect.isclass(value):
            assert inspect.getdoc(value), name
            for member_name, member in vars(value).items():
                if not member_name.startswith("_") and (
                    inspect.isfunction(member) or isinstance(member, property)
                ):
                    assert inspect.getdoc(member), f"{name}.{member_name}"


# -- Examples live in the pages ---------------------------------------------------------------


def pages() -> list[Path]:
    """Every Markdown page of the docs, as Sphinx reads them."""
    left_out = {"_build", "_generated", "_ext", "_inventories", "examples"}
    found = [
        path for path in DOCS.rglob("*.md") if not left_out & set(path.relative_to(DOCS).parts)
    ]
    assert len(found) > 10  # the pages really are there to look at
    return sorted(found)


DIRECTIVE_LINE = re.compile(r"^(?:`{3,}|:{3,})\{(literalinclude|include)\}\s*(\S+)", re.M)


def test_no_page_takes_an_example_from_another_file() -> None:
    """A page's code and output are in its own source, where people read it.

    What the build generates may only be a table that restates the code (the built-in continua
    and plugins), never a code example a reader follows.
    """
    extension = docs_extension()
    included = [
        (page.relative_to(DOCS).as_posix(), kind, target)
        for page in pages()
        for kind, target in DIRECTIVE_LINE.findall(page.read_text(encoding="utf-8"))
    ]
    assert [found for found in included if found[1] == "literalinclude"] == []
    tables = {f"../_generated/{name}" for name in extension.GENERATED_FILES}
    assert {target for _, _, target in included} <= {*tables, "../CHANGELOG.md"}
    assert all(name.endswith(".md") for name in extension.GENERATED_FILES)


PLAIN_CONSOLE = re.compile(r"^```console[ \t]*\n(.*?)^```[ \t]*$", re.M | re.S)


# The how-to's example plugin is a sketch of several hooks on the page, not a package the build
# can install, so what its own command prints is shown rather than run.
SKETCHES = {"how-to/plugin.md"}


def test_every_output_a_page_shows_is_checked() -> None:
    """A plain console block may show commands, but what a command prints is always checked."""
    unchecked = []
    for page in pages():
        if page.relative_to(DOCS).as_posix() in SKETCHES:
            continue
        for block in PLAIN_CONSOLE.findall(page.read_text(encoding="utf-8")):
            if any(line and not line.startswith("$ ") for line in block.splitlines()):
                unchecked.append(f"{page.relative_to(DOCS)}: {block.splitlines()[0]}")
    assert unchecked == []


def test_every_checked_example_in_the_docs_can_be_run() -> None:
    extension = docs_extension()
    examples = [
        (page, example)
        for page in pages()
        for example in extension.find_examples(page.read_text(encoding="utf-8"))
    ]
    assert len(examples) >= 25
    for page, example in examples:
        assert set(example.options) <= set(extension.OPTIONS[example.kind]), page
        if example.kind == extension.CONSOLE:
            for line in extension.command_lines(example.shown):
                first = line.split()[0]
                known = {*extension.PROGRAMS, *extension.FOLDER_COMMANDS}
                assert first in known or "=" in first, page


@cache
def docs_extension() -> ModuleType:
    """The docs' local Sphinx extension, imported from its file."""
    path = DOCS / "_ext" / "socialcouncil_docs.py"
    spec = importlib.util.spec_from_file_location("socialcouncil_docs", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # attrs looks classes' modules up while it builds them
    spec.loader.exec_module(module)
    return module


def page(*blocks: str) -> str:
    return "# A page\n\nSome prose.\n\n" + "\n\nMore prose.\n\n".join(blocks) + "\n\nThe end.\n"


def test_a_console_example_runs_for_real_and_a_difference_is_a_diff(tmp_path: Path) -> None:
    extension = docs_extension()
    shown = "```{checked-console}\n$ socialcouncil templates\nstarter  Starter\n```"
    outcome = extension.check_examples(page(shown), tmp_path)
    assert outcome.problems == []
    [(line, difference)] = outcome.differences
    assert line == 5
    assert "--- shown in the page\n+++ printed" in difference
    assert "-starter  Starter\n+starter  Starter council  (from starter-template)" in difference
    assert "SOCIALCOUNCIL_DOCS_UPDATE=1" in difference
    # The update puts the real output in place of the shown one, and changes nothing else.
    updated = outcome.updated
    assert updated.startswith("# A page\n\nSome prose.\n\n```{checked-console}\n")
    assert updated.endswith("```\n\nThe end.\n")
    assert "starter  Starter council  (from starter-template)\n" in updated
    again = extension.check_examples(updated, tmp_path)
    assert (again.problems, again.differences, again.updated) == ([], [], updated)


def test_a_console_example_runs_on_a_copy_with_its_change_and_exit_code(tmp_path: Path) -> None:
    extension = docs_extension()
    (tmp_path / "council.toml").write_text('[council]\nname = "Anytown"\n', encoding="utf-8")
    mistake = (
        "```{checked-console}\n"
        ":replace: council.toml 'name = \"Anytown\"' 'name = \"\"'\n"
        ":exit-code: 2\n"
        "$ socialcouncil validate council.toml\n"
        "council.toml: council.name: found '', expected a non-empty string\n"
        "council.toml: unusable, 1 problem\n"
        "```"
    )
    outcome = extension.check_examples(page(mistake), tmp_path)
    assert (outcome.problems, outcome.differences) == ([], [])
    # The page's own file is untouched, and a wrong exit status is a problem of its own.
    assert (tmp_path / "council.toml").read_text(
        encoding="utf-8"
    ) == '[council]\nname = "Anytown"\n'
    wrong = mistake.replace(":exit-code: 2", ":exit-code: 1")
    [(_, problem)] = extension.check_examples(page(wrong), tmp_path).problems
    assert problem.startswith("socialcouncil validate council.toml exited 2, expected 1")


def test_examples_run_the_same_whatever_the_builds_shell_has_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    extension = docs_extension()
    monkeypatch.setenv("SOCIALCOUNCIL_DISABLE_PLUGINS", "reference-continua")
    monkeypatch.setenv("SOCIALCOUNCIL_LOAD_PLUGINS", "solihull")
    shown = "```{checked-console}\n$ socialcouncil continua iap2-spectrum\n```"
    outcome = extension.check_examples(page(shown), tmp_path)
    assert outcome.problems == []
    assert "IAP2 spectrum of public participation [iap2-spectrum]" in outcome.updated


def test_cd_and_mkdir_work_as_in_a_shell_inside_the_copy_only(tmp_path: Path) -> None:
    extension = docs_extension()
    (tmp_path / "council.toml").write_text("not the council init writes\n", encoding="utf-8")
    init = (
        "```{checked-console}\n$ mkdir anytown\n$ cd anytown\n$ socialcouncil init\n"
        "wrote council.toml from the template 'starter'\n"
        "next: edit it, then run `socialcouncil validate council.toml`\n"
        "$ cd ..\n$ socialcouncil validate anytown/council.toml\nanytown/council.toml: ok\n```"
    )
    outcome = extension.check_examples(page(init), tmp_path)
    assert (outcome.problems, outcome.differences) == ([], [])
    assert sorted(path.name for path in tmp_path.iterdir()) == ["council.toml"]
    escape = "```{checked-console}\n$ cd ..\n```"
    [(_, problem)] = extension.check_examples(page(escape), tmp_path).problems
    assert problem == "{checked-console} cd ..: the folder must be inside the example's copy"


def test_an_example_that_cannot_run_as_written_says_why(tmp_path: Path) -> None:
    extension = docs_extension()
    examples = [
        "```{checked-console}\n$ rm -rf /\n```",
        "```{checked-console}\nno command here\n```",
        "```{checked-console}\n:replace: council.toml a b\n$ socialcouncil continua\n```",
        "```{checked-console}\n:colour: red\n$ socialcouncil continua\n```",
        "```{checked-file} missing.toml\nformat = 1\n```",
    ]
    outcome = extension.check_examples(page(*examples), tmp_path)
    assert [message for _, message in outcome.problems] == [
        (
            "{checked-console} cannot run 'rm -rf /': a command line must start with one of "
            "socialcouncil, pytest, python, cd, mkdir"
        ),
        "{checked-console} shows no command: a command line starts with '$ '",
        "{checked-console} :replace: there is no file 'council.toml' to change",
        "{checked-console} unknown option colour",
        "{checked-file} there is no file 'missing.toml'",
    ]
    assert outcome.updated == page(*examples)


def test_a_new_plugins_files_are_compared_with_what_new_plugin_writes() -> None:
    extension = docs_extension()
    folder = extension.new_plugin_folder("anytown")
    try:
        pyproject = (folder / "socialcouncil-anytown" / "pyproject.toml").read_text(
            encoding="utf-8"
        )
        shown = (
            "```{checked-file} socialcouncil-anytown/pyproject.toml\n:plugin: anytown\n"
            + pyproject
            + "```"
        )
        outcome = extension.check_examples(page(shown), DOCS)
        assert (outcome.problems, outcome.differences) == ([], [])
    finally:
        extension.forget_new_plugins()
    assert not folder.exists()


lines = st.text(
    st.characters(codec="utf-8", exclude_characters="\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"),
    max_size=20,
).filter(lambda line: not line.lstrip().startswith(("`", ":")))


@given(
    file=st.lists(lines, min_size=1, max_size=8),
    shown=st.lists(lines, max_size=8),
    start=st.integers(0, 7),
)
def test_updating_a_file_example_shows_the_file_and_keeps_the_page(
    tmp_path_factory: pytest.TempPathFactory, file: list[str], shown: list[str], start: int
) -> None:
    extension = docs_extension()
    folder = tmp_path_factory.mktemp("page")
    (folder / "example.toml").write_text("\n".join(file) + "\n", encoding="utf-8")
    marker = "# from here"
    lines_shown = [*file[: start % len(file)], marker, *file[start % len(file) :]]
    (folder / "example.toml").write_text("\n".join(lines_shown) + "\n", encoding="utf-8")
    block = (
        f'```{{checked-file}} example.toml\n:start-at: "{marker}"\n'
        + "".join(line + "\n" for line in shown)
        + "```"
    )
    outcome = extension.check_examples(page(block), folder)
    expected = extension.tidy("\n".join([marker, *file[start % len(file) :]]))
    assert outcome.problems == []
    assert bool(outcome.differences) == (extension.tidy("\n".join(shown)) != expected)
    [example] = extension.find_examples(outcome.updated)
    assert extension.tidy(example.shown) == expected
    assert example.options == {"start-at": f'"{marker}"'}
    before, after = page(block).split(block)
    assert outcome.updated.startswith(before)
    assert outcome.updated.endswith(after)


# -- The README, for someone with a fresh clone -------------------------------------------------

README = (ROOT / "README.md").read_text(encoding="utf-8")
SHELL_BLOCK = re.compile(r"^```sh\n(.*?)^```$", re.M | re.S)


def readme_commands() -> list[str]:
    """The command lines the README's shell blocks show, without their comments."""
    return [
        line.split("  #")[0].strip()
        for block in SHELL_BLOCK.findall(README)
        for line in block.splitlines()
        if line.strip()
    ]


def test_the_readme_starts_with_its_two_commands() -> None:
    first = SHELL_BLOCK.search(README)
    assert first is not None
    assert first.group(1) == (
        "make demo   # set up .venv, then validate, show, measure and publish the bundled Solihull"
        " example\n"
        "make test   # set up .venv, then run ruff, mypy --strict, pytest and the Sphinx build"
        " with its doctests\n"
    )


def test_the_readme_says_how_to_run_install_and_read_the_docs() -> None:
    commands = readme_commands()
    # After `make demo`: the command from the virtual environment, activated or by its path.
    assert "source .venv/bin/activate" in commands
    assert any(line.startswith(".venv/bin/socialcouncil ") for line in commands)
    assert "package index" in README
    # Installing before a release: from a clone, or a wheel built from one.
    assert any(line.startswith("python -m pip install /path/to/socialcouncil") for line in commands)
    assert any(" pip wheel " in line for line in commands)
    assert "pip install socialcouncil` will work once socialcouncil is released" in README
    # Every make target it names exists, and the docs it opens are where the build writes them.
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = {line.split()[1] for line in commands if line.startswith("make ")}
    assert targets >= {"demo", "test", "docs"}
    assert all(re.search(rf"^{target}:", makefile, re.M) for target in targets)
    assert "-b html docs docs/_build/html" in makefile
    assert any("docs/_build/html/index.html" in line for line in commands)
    # The docs' update mode, as the extension reads it.
    assert any(
        line.startswith(f"{docs_extension().UPDATE_VARIABLE}=1 .venv/bin/sphinx-build")
        for line in commands
    )


# -- Getting started and the concepts, for a council officer ------------------------------------


def test_getting_started_starts_from_init_and_edits_what_it_wrote() -> None:
    from socialcouncil.templates.starter import STARTER

    extension = docs_extension()
    tutorial = DOCS / "tutorial"
    examples = extension.find_examples((tutorial / "getting-started.md").read_text("utf-8"))
    commands = [
        line
        for example in examples
        if example.kind == extension.CONSOLE
        for line in extension.command_lines(example.shown)
    ]
    assert commands.index("socialcouncil init") < commands.index(
        "socialcouncil validate council.toml"
    )
    # The page shows the file init writes, in full, before it is changed.
    [starter] = [e for e in examples if e.kind == extension.FILE and not e.options]
    assert extension.file_copy(starter, tutorial) == STARTER.text
    # The edits the page asks for leave what it says to leave as init wrote it.
    edited = socialcouncil.load(tutorial / "council.toml")
    started = socialcouncil.loads(STARTER.text)
    assert (edited.name, edited.thread) == (started.name, started.thread)
    assert [project.continuum for project in edited.projects] == ["iap2-spectrum"]


def test_the_concepts_page_explains_position_nearest_position_and_monotone() -> None:
    text = (DOCS / "explanation" / "concepts.md").read_text(encoding="utf-8")
    headings = re.findall(r"^#+ (.+)$", text, re.M)
    assert {"A level's position", "The nearest position", "Monotone crosswalks"} <= set(headings)


def test_the_readme_tour_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The tour's model file validates with no error, and its Python runs on it."""
    [toml] = re.findall(r"^```toml\n(.*?)^```$", README, re.M | re.S)
    [python] = re.findall(r"^```python\n(.*?)^```$", README, re.M | re.S)
    (tmp_path / "council.toml").write_text(toml, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    findings = socialcouncil.check(socialcouncil.load("council.toml"))
    assert [finding for finding in findings if finding.severity == "error"] == []
    printed: list[str] = []
    exec(python, {"print": lambda *args: printed.append(" ".join(map(str, args)))})  # noqa: S102
    assert printed
    assert printed[-1].startswith("consult ")
