"""The socialcouncil command, as a person or a script uses it."""

from __future__ import annotations

import errno
import json
import os
import shlex
import stat
import subprocess
import sys
import textwrap
import types
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

import socialcouncil
from socialcouncil._failures import culprit
from socialcouncil.checks import Finding
from socialcouncil.cli import EXIT_BUG
from socialcouncil.plugins import PluginInfo
from tests.conftest import Run

if TYPE_CHECKING:
    from socialcouncil.model import Council
    from socialcouncil.templates import Template


CLEAN = """
[council]
name = "Demo"
[[values]]
id = "citizen-voice"
name = "A stronger voice for citizens"
[[thread.priorities]]
id = "communities"
name = "Thriving communities"
[[thread.outcomes]]
id = "shaping"
name = "Residents shape services"
priority = "communities"
measures = ["influence"]
[[measures]]
id = "influence"
name = "Residents who feel they can influence decisions"
unit = "percent"
[[projects]]
id = "cafe"
title = "Solihull Café"
values = ["citizen-voice"]
priorities = ["communities"]
continuum = "iap2-spectrum"
target_level = "collaborate"
[[projects.calibrations]]
date = 2024-01-10
level = "inform"
[[projects.calibrations]]
date = 2025-01-10
level = "involve"
"""


@pytest.fixture
def clean(tmp_path: Path) -> Path:
    path = tmp_path / "clean.toml"
    path.write_text(CLEAN, encoding="utf-8")
    return path


@pytest.fixture
def warned(tmp_path: Path) -> Path:
    path = tmp_path / "warned.toml"
    path.write_text(CLEAN.replace('priorities = ["communities"]\n', ""), encoding="utf-8")
    return path


@pytest.fixture
def wrong(tmp_path: Path) -> Path:
    path = tmp_path / "wrong.toml"
    path.write_text(CLEAN.replace('level = "involve"', 'level = "involved"'), encoding="utf-8")
    return path


@pytest.fixture
def unusable(tmp_path: Path) -> Path:
    path = tmp_path / "unusable.toml"
    path.write_text(
        CLEAN.replace('title = "Solihull Café"', 'titel = "Solihull Café"'), encoding="utf-8"
    )
    return path


# -- validate ---------------------------------------------------------------------------------


def test_validate_a_clean_file_exits_0(run, clean: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("validate", str(clean))
    assert (result.code, result.out) == (0, f"{clean}: ok\n")


def test_validate_reports_errors_and_exits_1(run, wrong: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("validate", str(wrong))
    assert result.code == 1
    assert result.out.splitlines() == [
        (
            f"{wrong}: projects[0].calibrations[1].level: error [unknown-level] "
            "no level of 'iap2-spectrum' with id 'involved'; did you mean 'involve'?"
        ),
        f"{wrong}: 1 error, 0 warnings",
    ]


def test_warnings_fail_only_with_strict(run, warned: Path) -> None:  # type: ignore[no-untyped-def]
    relaxed = run("validate", str(warned))
    assert relaxed.code == 0
    assert "warning [project-without-priority]" in relaxed.out
    assert run("validate", "--strict", str(warned)).code == 1


def test_an_unusable_file_exits_2_with_every_problem(run, unusable: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("validate", str(unusable))
    assert result.code == 2
    assert result.out.splitlines() == [
        f"{unusable}: projects[0].title: missing; expected a string",
        f"{unusable}: projects[0].titel: unknown key; did you mean 'title'?",
        f"{unusable}: unusable, 2 problems",
    ]


def test_validate_checks_every_file_and_exits_with_the_worst(  # type: ignore[no-untyped-def]
    run, clean: Path, wrong: Path, unusable: Path
) -> None:
    result = run("validate", str(clean), str(wrong), str(unusable))
    assert result.code == 2
    assert f"{clean}: ok" in result.out
    assert f"{wrong}: 1 error, 0 warnings" in result.out
    assert f"{unusable}: unusable, 2 problems" in result.out


def test_validate_json_output_for_programs(run, wrong: Path, unusable: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("validate", "--format", "json", str(wrong), str(unusable))
    report = json.loads(result.out)
    assert result.code == report["exit_code"] == 2
    first, second = report["files"]
    assert first == {
        "file": str(wrong),
        "usable": True,
        "problems": [],
        "findings": [
            {
                "rule": "unknown-level",
                "severity": "error",
                "path": "projects[0].calibrations[1].level",
                "message": (
                    "no level of 'iap2-spectrum' with id 'involved'; did you mean 'involve'?"
                ),
            }
        ],
    }
    assert second["usable"] is False
    assert [p["path"] for p in second["problems"]] == ["projects[0].title", "projects[0].titel"]


def test_validate_a_missing_file_is_unusable(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("validate", str(tmp_path / "absent.toml"))
    assert result.code == 2
    assert "cannot be read" in result.out


def test_validate_needs_a_file(run) -> None:  # type: ignore[no-untyped-def]
    result = run("validate")
    assert result.code == 2
    assert "Missing argument 'FILES...'" in result.err


def test_the_bundled_examples_validate_cleanly(run, examples: Path) -> None:  # type: ignore[no-untyped-def]
    files = sorted(str(p) for p in examples.glob("*.toml"))
    result = run("validate", "--strict", *files)
    assert result.code == 0, result.out
    assert result.out.splitlines() == [f"{f}: ok" for f in files]


# -- show -------------------------------------------------------------------------------------


def test_show_summarises_projects_with_level_movement_and_strip(run, clean: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("show", str(clean))
    assert result.code == 0
    text = result.out
    assert text.startswith("Demo\n====\n")
    assert "  A stronger voice for citizens [citizen-voice]" in text
    assert "    Thriving communities [communities]" in text
    assert "      outcome: Residents shape services (measures: influence)" in text
    assert "  Solihull Café [cafe] (active)" in text
    assert "    current: Involve (2025-01-10)" in text
    assert "    target: Collaborate" in text
    assert "    movement: +2 levels (+0.50 of the scale) since 2024-01-10" in text
    assert "    Inform ○─○─●─◎─○ Empower" in text


def test_show_movement_since_a_date(run, clean: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("show", "--since", "2024-06-01", str(clean))
    assert "movement: +2 levels (+0.50 of the scale) since 2024-01-10" in result.out
    later = run("show", "--since", "2025-06-01", str(clean))
    assert "movement:" not in later.out


def test_show_the_solihull_example(run, examples: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("show", str(examples / "solihull.toml"))
    assert result.code == 0
    assert "Solihull Metropolitan Borough Council (E08000029)" in result.out
    assert "Steering group: Social Canteen" in result.out
    assert "Assisted Digital" in result.out
    assert "●" in result.out


def test_show_an_unusable_file_exits_2(run, unusable: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("show", str(unusable))
    assert result.code == 2
    assert f"{unusable}: projects[0].titel: unknown key; did you mean 'title'?" in result.err


# -- continua ---------------------------------------------------------------------------------


def test_continua_lists_every_registered_continuum(run) -> None:  # type: ignore[no-untyped-def]
    result = run("continua")
    assert result.code == 0
    ids = [line.split()[0] for line in result.out.splitlines()]
    assert ids == list(socialcouncil.registered_continua())
    assert {
        "arnstein-ladder",
        "iap2-spectrum",
        "coproduction-ladder",
        "hart-ladder",
        "wilcox-levels",
    } <= set(ids)


def test_continua_id_shows_its_levels_and_source(run) -> None:  # type: ignore[no-untyped-def]
    result = run("continua", "arnstein-ladder")
    assert result.code == 0
    assert "Source: Arnstein" in result.out
    assert "  Tokenism\n" in result.out
    assert "    7. Citizen control [citizen-control]" in result.out


def test_continua_unknown_id_exits_2(run) -> None:  # type: ignore[no-untyped-def]
    result = run("continua", "iap2")
    assert result.code == 2
    assert "no registered continuum 'iap2'" in result.err


# -- the command itself -----------------------------------------------------------------------


def test_version(run) -> None:  # type: ignore[no-untyped-def]
    result = run("--version")
    assert (result.code, result.out) == (0, f"socialcouncil, version {socialcouncil.__version__}\n")


def test_python_dash_m_runs_the_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "socialcouncil", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert done.stdout == f"socialcouncil, version {socialcouncil.__version__}\n"


@pytest.mark.parametrize("name", ["solihull.toml", "birmingham.toml"])
def test_show_wraps_prose_without_splitting_ids(run, examples: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    lines = run("show", str(examples / name)).out.splitlines()
    strips = [line for line in lines if "─" in line]  # a strip is as long as its labels
    assert all(len(line) <= 96 for line in lines if line not in strips)
    assert not any(line.rstrip().endswith("-") for line in lines)


# -- plugins, templates and init --------------------------------------------------------------


def test_plugins_lists_nothing_when_only_built_ins_are_loaded(run) -> None:  # type: ignore[no-untyped-def]
    result = run("plugins")
    assert (
        result.out == "no plugins loaded; `socialcouncil plugins --all` lists the built-in ones\n"
    )


def test_plugins_all_lists_the_built_ins_with_hooks_and_what_they_register(run) -> None:  # type: ignore[no-untyped-def]
    result = run("plugins", "--all")
    assert result.code == 0
    assert "reference-continua  (built in)\n    hooks: register_continua\n" in result.out
    assert "    continuum: arnstein-ladder, iap2-spectrum" in result.out
    assert (
        "json-exporter  (built in)\n    hooks: register_exporters\n    exporter: json\n"
        in result.out
    )


def test_plugins_json_for_programs(run) -> None:  # type: ignore[no-untyped-def]
    report = json.loads(run("plugins", "--all", "--format", "json").out)
    assert report["problems"] == []
    [csv] = [p for p in report["plugins"] if p["name"] == "csv-source"]
    assert csv == {
        "name": "csv-source",
        "module": "socialcouncil.sources.csv",
        "distribution": None,
        "version": None,
        "builtin": True,
        "hooks": ["register_data_sources"],
        "registers": {"data source": ["csv"]},
    }


def test_templates_lists_the_starter(run) -> None:  # type: ignore[no-untyped-def]
    result = run("templates")
    assert result.out.startswith("starter  Starter council  (from starter-template)\n")


def test_init_writes_a_council_that_validates(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("init", str(tmp_path / "anytown"))
    assert result.code == 0
    target = tmp_path / "anytown" / "council.toml"
    assert result.out.splitlines()[0] == f"wrote {target} from the template 'starter'"
    # The first line names the model file's schema, for editors; then the template's own text.
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("#:schema https://")
    assert lines[1].startswith("# A starter council for socialcouncil.")
    assert run("validate", "--strict", str(target)).code == 0


def test_init_does_not_overwrite_without_force(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "council.toml").write_text("mine", encoding="utf-8")
    result = run("init", str(tmp_path))
    assert result.code == 2
    assert "is already there; use --force to replace it" in result.err
    assert (tmp_path / "council.toml").read_text(encoding="utf-8") == "mine"
    assert run("init", "--force", str(tmp_path)).code == 0


def test_init_with_an_unknown_template_names_the_known_ones(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("init", "--template", "solihul", str(tmp_path))
    assert result.code == 2
    assert "no template 'solihul'; known: starter" in result.err


def test_a_plugin_command_runs_from_the_command_line(run, register_plugin) -> None:  # type: ignore[no-untyped-def]
    import types

    import click

    from socialcouncil import hookimpl

    module = types.ModuleType("greeter")

    @hookimpl
    def register_commands(cli: click.Group) -> None:
        @cli.command()
        def hello() -> None:
            """Say hello."""
            click.echo("hello from a plugin")

    module.register_commands = register_commands  # type: ignore[attr-defined]
    assert run("hello").code == 2  # no such command yet
    with pytest.warns(socialcouncil.plugins.PluginDeprecationWarning, match="register_commands"):
        register_plugin(module)
    result = run("hello")
    assert (result.code, result.out) == (0, "hello from a plugin\n")


def test_new_plugin_into_an_existing_folder_says_so(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert run("new-plugin", "anytown", "--dir", str(tmp_path)).code == 0
    again = run("new-plugin", "anytown", "--dir", str(tmp_path))
    assert again.code == 2
    assert "socialcouncil-anytown is already there; choose another name or --dir" in again.err
    bad = run("new-plugin", "Any Town", "--dir", str(tmp_path))
    assert bad.code == 2
    assert "name: found 'Any Town'" in bad.err


# -- an unexpected failure is a bug: exit 3, naming whose -------------------------------------

Invoke = Callable[..., Run]


def plugin_module(name: str, source: str) -> types.ModuleType:
    """A plugin module called *name*, its functions really defined in it, as installed ones are."""
    module = types.ModuleType(name)
    exec(compile(textwrap.dedent(source), f"<{name}>", "exec"), module.__dict__)  # noqa: S102
    return module


CRASHING_COMMAND = """
    import click
    from socialcouncil import hookimpl

    @hookimpl
    def register_commands(cli):
        @cli.command()
        def crash():
            \"\"\"Fail as a bug would.\"\"\"
            raise RuntimeError("the plugin broke")
"""

CRASHING_CHECK = """
    from socialcouncil import Check, Rule, hookimpl

    def find(context):
        raise ValueError("the rule broke")
        yield

    @hookimpl
    def register_checks():
        return [Check(Rule("kirklees-rule", "warning", "A rule that breaks."), find)]
"""


def test_a_plugin_command_that_raises_exits_3_naming_the_plugin_in_one_line(
    run: Invoke, register_plugin: Callable[..., PluginInfo]
) -> None:
    with pytest.warns(socialcouncil.plugins.PluginDeprecationWarning):
        register_plugin(plugin_module("kirklees_commands", CRASHING_COMMAND))
    result = run("crash")
    assert result.code == EXIT_BUG == 3
    assert result.err.splitlines() == [
        (
            "error: a bug in the plugin 'kirklees_commands': RuntimeError: the plugin broke; "
            "please report it to the plugin's maintainers, with the traceback that --debug prints"
        )
    ]


def test_debug_adds_the_traceback(
    run: Invoke, register_plugin: Callable[..., PluginInfo], monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.warns(socialcouncil.plugins.PluginDeprecationWarning):
        register_plugin(plugin_module("kirklees_commands", CRASHING_COMMAND))
    result = run("--debug", "crash")
    assert result.code == 3
    assert result.err.startswith("error: a bug in the plugin 'kirklees_commands'")
    assert "Traceback (most recent call last):" in result.err
    assert result.err.rstrip().endswith("RuntimeError: the plugin broke")
    monkeypatch.setenv("SOCIALCOUNCIL_DEBUG", "1")
    assert "Traceback (most recent call last):" in run("crash").err


def test_a_bug_in_socialcouncil_is_named_as_one(
    run: Invoke, clean: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(council: object) -> list[Finding]:
        raise KeyError("projects")

    monkeypatch.setattr(socialcouncil, "check", broken)
    result = run("validate", str(clean))
    assert result.code == 3
    assert result.err.splitlines() == [
        (
            f"error: {clean}: a bug in socialcouncil {socialcouncil.__version__}: "
            "KeyError: 'projects'; please report it, with the traceback that --debug prints"
        )
    ]
    assert "Traceback" not in result.err


def test_in_json_a_bug_is_in_the_report_and_the_other_files_are_still_checked(
    run: Invoke, clean: Path, wrong: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = socialcouncil.check

    def broken_for_one(council: Council) -> list[Finding]:
        if council.projects[0].calibrations[-1].level == "involved":
            raise ZeroDivisionError("division by zero")
        return real(council)

    monkeypatch.setattr(socialcouncil, "check", broken_for_one)
    result = run("validate", "--format", "json", str(clean), str(wrong))
    assert result.code == 3
    report = json.loads(result.out)
    assert report["exit_code"] == 3
    first, second = report["files"]
    assert first == {"file": str(clean), "usable": True, "problems": [], "findings": []}
    assert second["file"] == str(wrong)
    assert second["failure"]["plugin"] is None
    assert second["failure"]["message"].startswith(
        f"a bug in socialcouncil {socialcouncil.__version__}"
    )


def test_a_failure_outside_the_files_still_prints_the_json_report(
    run: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    from socialcouncil.plugins import Registry

    def broken(self: Registry) -> dict[str, dict[str, list[str]]]:
        raise RuntimeError("lost count")

    monkeypatch.setattr(Registry, "contributions", broken)
    result = run("plugins", "--format", "json")
    assert result.code == 3
    report = json.loads(result.out)
    assert report["exit_code"] == 3
    assert report["failure"]["message"].startswith("a bug in socialcouncil")
    assert "RuntimeError: lost count" in report["failure"]["message"]


def test_a_plugin_check_that_raises_in_strict_mode_is_exit_2_and_the_report_complete(
    run: Invoke, register_plugin: Callable[..., PluginInfo], clean: Path
) -> None:
    register_plugin(plugin_module("kirklees_checks", CRASHING_CHECK))
    result = run("validate", "--strict", "--format", "json", str(clean), str(clean))
    assert result.code == 2
    report = json.loads(result.out)
    assert report["exit_code"] == 2
    assert len(report["files"]) == 2
    for file in report["files"]:
        failure = file["failure"]
        assert failure["plugin"] == {
            "name": "kirklees_checks",
            "distribution": None,
            "version": None,
        }
        assert "kirklees-rule" in failure["message"]
    text = run("validate", "--strict", str(clean))
    assert text.code == 2
    [line] = text.err.splitlines()
    assert line.startswith(f"error: {clean}: ")
    assert "kirklees-rule" in line


PLUGIN_FAILURE = Finding(
    "kirklees-rule",
    "warning",
    "",
    "the check of plugin 'kirklees' (from socialcouncil-kirklees 1.0) failed:\nValueError('x')",
    plugin=PluginInfo("kirklees", "socialcouncil_kirklees", "socialcouncil-kirklees", "1.0"),
)


def test_a_finding_for_a_failed_plugin_check_is_one_line_and_names_the_plugin_in_json(
    run: Invoke, clean: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(socialcouncil, "check", lambda council: [PLUGIN_FAILURE])
    text = run("validate", str(clean))
    assert text.code == 0  # the exit code follows the findings: a warning
    assert text.out.splitlines() == [
        (
            f"{clean}: warning [kirklees-rule] the check of plugin 'kirklees' "
            "(from socialcouncil-kirklees 1.0) failed: ValueError('x')"
        ),
        f"{clean}: 0 errors, 1 warning",
    ]
    report = json.loads(run("validate", "--format", "json", str(clean)).out)
    [finding] = report["files"][0]["findings"]
    assert finding["plugin"] == {
        "name": "kirklees",
        "distribution": "socialcouncil-kirklees",
        "version": "1.0",
    }


def test_the_plugin_at_fault_is_the_innermost_plugin_on_the_traceback() -> None:
    inner = plugin_module("inner_plugin", "def fail():\n    raise ValueError('inner')\n")
    outer = plugin_module(
        "outer_plugin", "def call(f):\n    try:\n        f()\n    except ValueError as e:\n"
        "        raise RuntimeError('outer') from e\n",
    )  # fmt: skip
    infos = [PluginInfo("inner", "inner_plugin"), PluginInfo("outer", "outer_plugin:thing")]
    with pytest.raises(RuntimeError) as caught:
        outer.call(inner.fail)
    assert culprit(caught.value, infos) == infos[1]  # outer raised it, from inner's failure
    with pytest.raises(ValueError, match="inner") as raised:
        inner.fail()
    assert culprit(raised.value, infos) == infos[0]
    assert culprit(raised.value, [PluginInfo("b", "inner_plugin", builtin=True)]) is None


# -- show: one rule for continua and for "no movement"; nothing empty -----------------------

STILL = """
[council]
name = "Demo"
[[projects]]
id = "cafe"
title = "Café"
continuum = "iap2-spectrum"
[[projects.calibrations]]
date = 2024-01-10
level = "involve"
"""


@pytest.mark.parametrize(
    ("extra", "since"),
    [
        ("", None),  # one calibration
        ('[[projects.calibrations]]\ndate = 2025-01-10\nlevel = "involve"\n', None),  # same level
        ('[[projects.calibrations]]\ndate = 2025-01-10\nlevel = "empower"\n', "2025-06-01"),
    ],
    ids=["one-calibration", "same-level", "since-after-the-last"],
)
def test_show_treats_every_kind_of_no_movement_alike(
    run: Invoke, tmp_path: Path, extra: str, since: str | None
) -> None:
    path = tmp_path / "council.toml"
    path.write_text(STILL + extra, encoding="utf-8")
    result = run("show", *(["--since", since] if since else []), str(path))
    assert result.code == 0
    assert "movement:" not in result.out
    assert "    current: " in result.out


def test_show_has_no_golden_thread_heading_without_a_thread(run: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "council.toml"
    path.write_text(STILL, encoding="utf-8")
    assert "Golden thread" not in run("show", str(path)).out
    path.write_text(STILL.replace("[[projects]]", '[thread]\npurpose = "To serve"\n[[projects]]'))
    assert "Golden thread\n  Purpose: To serve\n" in run("show", str(path)).out


def test_show_places_a_project_on_the_continuum_validate_checks_it_against(
    run: Invoke, tmp_path: Path
) -> None:
    own = """
[[continua]]
id = "ours"
name = "{name}"
levels = [{{ id = "low", label = "Low" }}, {{ id = "high", label = "High" }}]
"""
    path = tmp_path / "council.toml"
    text = STILL.replace('"iap2-spectrum"', '"ours"').replace('"involve"', '"low"')
    path.write_text(text + own.format(name="First") + own.format(name="Second"), encoding="utf-8")
    assert "    on First [ours]" in run("show", str(path)).out


def test_show_prints_whole_figures_exactly() -> None:
    from socialcouncil._showtext import render
    from socialcouncil.model import Council, Measure

    measure = Measure(id="m", name="M", unit="people", baseline=12345678901234567891, target=2.5)
    text = render(Council(name="Demo", measures=[measure]), {})
    assert "baseline 12345678901234567891, target 2.5" in text


# -- init and new-plugin: no write ever loses a file ------------------------------------------


def test_init_keeps_a_council_toml_made_while_it_ran(
    run: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from socialcouncil import cli

    target = tmp_path / "council.toml"
    checked = cli._template_problems

    def meanwhile(template: Template) -> list[str]:
        target.write_text("another officer's council", encoding="utf-8")
        return checked(template)

    monkeypatch.setattr(cli, "_template_problems", meanwhile)
    result = run("init", str(tmp_path))
    assert result.code == 2
    assert "is already there; use --force to replace it" in result.err
    assert target.read_text(encoding="utf-8") == "another officer's council"


def test_init_on_a_full_disk_says_so_and_leaves_no_file(
    run: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(descriptor: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    result = run("init", str(tmp_path))
    assert result.code == 2
    assert result.err == (
        f"error: cannot write {tmp_path / 'council.toml'}: the disk is full; nothing was written\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_init_and_new_plugin_on_a_file_system_that_refuses_more(tmp_path: Path) -> None:
    resource = pytest.importorskip("resource")

    def small_files() -> None:  # as a full disk does, the file system refuses the bytes
        resource.setrlimit(resource.RLIMIT_FSIZE, (64, 64))

    for args in (["init", "c"], ["new-plugin", "anytown"]):
        done = subprocess.run(
            [sys.executable, "-m", "socialcouncil", *args],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            preexec_fn=small_files,
            check=False,
        )
        assert done.returncode == 2, done.stderr
        assert "Traceback" not in done.stderr
        assert "; nothing was written" in done.stderr
    assert [p.name for p in tmp_path.rglob("*")] == ["c"]  # the folder init was asked for


def test_init_onto_a_folder_says_so(run: Invoke, tmp_path: Path) -> None:
    (tmp_path / "council.toml").mkdir()
    for force in ([], ["--force"]):
        result = run("init", *force, str(tmp_path))
        assert result.code == 2
        assert f"{tmp_path / 'council.toml'} is a folder" in result.err


def test_init_and_new_plugin_with_a_name_too_long_for_the_file_system(
    run: Invoke, tmp_path: Path
) -> None:
    long = "a" * 300
    result = run("init", str(tmp_path / long))
    assert result.code == 2
    assert "too long for the file system; nothing was written" in result.err
    result = run("new-plugin", long, "--dir", str(tmp_path))
    assert result.code == 2
    assert "too long for the file system; nothing was written" in result.err
    assert list(tmp_path.iterdir()) == []


def test_init_into_a_read_only_folder_says_so(
    run: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = os.open

    def read_only(path: Any, flags: int, mode: int = 0o777, **kwargs: Any) -> int:
        if str(path).endswith("council.toml"):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, flags, mode, **kwargs)

    monkeypatch.setattr(os, "open", read_only)
    result = run("init", str(tmp_path))
    assert result.code == 2
    assert "the file system is read-only; nothing was written" in result.err


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes anywhere")
def test_init_and_new_plugin_into_a_folder_without_write_permission(
    run: Invoke, tmp_path: Path
) -> None:
    tmp_path.chmod(0o555)
    try:
        assert "permission denied" in run("init", str(tmp_path)).err
        assert "permission denied" in run("new-plugin", "anytown", "--dir", str(tmp_path)).err
    finally:
        tmp_path.chmod(0o755)


def test_init_honours_the_umask(run: Invoke, tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        assert run("init", str(tmp_path)).code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "council.toml").stat().st_mode) == 0o640


BROKEN_TEMPLATE = """
    from socialcouncil import Template, hookimpl

    @hookimpl
    def register_templates():
        text = '[council]\\nname = "Broken"\\n[[projects]]\\nid = "p"\\ntitle = "P"\\n'
        text += 'values = ["nowhere"]\\n'
        return [Template(id="broken", title="Broken", description="Names no value.", text=text)]
"""


def test_init_never_writes_a_template_that_does_not_validate(
    run: Invoke, tmp_path: Path, register_plugin: Callable[..., PluginInfo]
) -> None:
    register_plugin(plugin_module("broken_templates", BROKEN_TEMPLATE))
    result = run("init", "--template", "broken", str(tmp_path))
    assert result.code == 2
    assert result.err.splitlines() == [
        (
            "error: the template 'broken' from plugin 'broken_templates' does not validate, "
            "so nothing was written:"
        ),
        "  projects[0].values[0]: error [unknown-value] no value with id 'nowhere'",
    ]
    assert list(tmp_path.iterdir()) == []


def test_new_plugin_on_a_full_disk_leaves_nothing(
    run: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(self: Path, *args: Any, **kwargs: Any) -> int:
        raise OSError(errno.ENOSPC, "No space left on device", str(self))

    monkeypatch.setattr(Path, "write_text", full)
    result = run("new-plugin", "anytown", "--dir", str(tmp_path))
    assert result.code == 2
    assert "the disk is full; nothing was written" in result.err
    assert list(tmp_path.iterdir()) == []


def test_new_plugin_prints_steps_that_use_this_python(
    run: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("new-plugin", "anytown")
    assert result.code == 0
    steps = result.out.split("next, to install it with what its tests need, run them, and see it")
    lines = steps[1].splitlines()[1:]
    assert lines[0] == "  cd socialcouncil-anytown"
    python = "python" if lines[1].startswith("  python ") else sys.executable
    assert lines[1].startswith(f"  {shlex.quote(python)} -m pip install --editable .")
    assert lines[2:] == [
        f"  {shlex.quote(python)} -m pytest",
        f"  {python} -m socialcouncil plugins",
    ]


def test_new_plugin_suggests_a_name(run: Invoke, tmp_path: Path) -> None:
    result = run("new-plugin", "Kirklees", "--dir", str(tmp_path))
    assert result.code == 2
    assert "such as 'kirklees'" in result.err
