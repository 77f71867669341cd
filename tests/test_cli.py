"""The socialcouncil command, as a person or a script uses it."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import TYPE_CHECKING

import attrs
import pytest

import socialcouncil
from socialcouncil.cli import main

if TYPE_CHECKING:
    from pathlib import Path


@attrs.frozen
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """Run the command with arguments, as the console script does; return code and output."""

    def invoke(*args: str) -> Run:
        try:
            main(list(args))
        except SystemExit as exc:
            code = int(exc.code or 0)
        else:
            code = 0
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return invoke


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
    assert target.read_text(encoding="utf-8").startswith("# A starter council for socialcouncil.")
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
