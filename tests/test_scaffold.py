"""From nothing to a working, tested, listed plugin: new-plugin -> install -> test -> list -> use.

Everything runs offline: the package is built with the hatchling already installed, and
installed into a folder put on PYTHONPATH, so the project's environment is left as it was.
"""

from __future__ import annotations

import errno
import os
import shlex
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socialcouncil import scaffold
from socialcouncil.model import InvalidValueError, is_valid_id

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

BIN = Path(sys.executable).parent


def run(
    *args: str, env: dict[str, str], cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, env=env, cwd=cwd, check=False)


def test_a_fresh_scaffold_installs_passes_its_tests_is_listed_and_used(tmp_path: Path) -> None:
    env = {**os.environ, "SOCIALCOUNCIL_LOAD_PLUGINS": "anytown"}
    env.pop("PYTHONPATH", None)

    made = run(str(BIN / "socialcouncil"), "new-plugin", "anytown", "--dir", str(tmp_path), env=env)
    assert made.returncode == 0, made.stderr
    package = tmp_path / "socialcouncil-anytown"
    assert {str(p.relative_to(package)) for p in package.rglob("*") if p.is_file()} == {
        "pyproject.toml",
        "README.md",
        "src/socialcouncil_anytown/__init__.py",
        "src/socialcouncil_anytown/council.toml",
        "src/socialcouncil_anytown/py.typed",
        "tests/test_plugin.py",
    }

    site = tmp_path / "site"
    installed = run(
        sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
        "--no-build-isolation", "--target", str(site), str(package),
        env=env,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stderr
    env["PYTHONPATH"] = str(site)

    tested = run(
        sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", env=env, cwd=package
    )
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert "4 passed" in tested.stdout

    listed = run(str(BIN / "socialcouncil"), "plugins", env=env)
    assert listed.returncode == 0, listed.stderr
    assert "anytown  (socialcouncil-anytown 0.1.0)" in listed.stdout
    assert "register_continua, register_templates" in listed.stdout

    started = run(
        str(BIN / "socialcouncil"), "init", "--template", "anytown", str(tmp_path / "c"), env=env
    )
    assert started.returncode == 0, started.stderr
    valid = run(
        str(BIN / "socialcouncil"),
        "validate",
        "--strict",
        str(tmp_path / "c" / "council.toml"),
        env=env,
    )
    assert (valid.returncode, valid.stdout.split(": ")[-1]) == (0, "ok\n"), (
        valid.stdout + valid.stderr
    )
    shown = run(str(BIN / "socialcouncil"), "continua", "anytown-relationship", env=env)
    assert "3. Co-producing [co-producing]" in shown.stdout


def test_the_scaffold_wants_an_id_and_a_new_folder(tmp_path: Path) -> None:
    with pytest.raises(InvalidValueError):
        scaffold.create("Any Town", tmp_path)
    scaffold.create("anytown", tmp_path)
    with pytest.raises(FileExistsError):
        scaffold.create("anytown", tmp_path)


# -- the steps new-plugin prints, in a fresh virtual environment ------------------------------

ROOT = Path(__file__).resolve().parent.parent
WHEELHOUSE = Path(os.environ.get("SOCIALCOUNCIL_WHEELHOUSE", Path(sys.prefix) / "wheelhouse"))


def printed_steps(output: str) -> list[list[str]]:
    """The command lines new-plugin prints after its "next" line."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("next"))
    return [shlex.split(line) for line in lines[start + 1 :]]


@pytest.mark.skipif(os.name == "nt", reason="the fresh environment is laid out for POSIX")
@pytest.mark.skipif(
    not WHEELHOUSE.is_dir(), reason=f"no wheelhouse at {WHEELHOUSE}; `make test` builds it"
)
def test_the_printed_steps_work_in_a_fresh_virtual_environment(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    built = run(
        sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-index",
        "--no-build-isolation", "--wheel-dir", str(dist), str(ROOT),
        env=dict(os.environ),
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    offline = ["--no-index", "--find-links", str(WHEELHOUSE), "--find-links", str(dist)]

    # A council officer's fresh environment, its pip as python -m venv makes it, activated.
    venv = tmp_path / "env"
    made = run(sys.executable, "-m", "venv", str(venv), env=dict(os.environ))
    assert made.returncode == 0, made.stderr
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "SOCIALCOUNCIL_"))}
    env |= {"PATH": f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}", "VIRTUAL_ENV": str(venv)}
    installed = run("python", "-m", "pip", "install", "--quiet", *offline, "socialcouncil", env=env)
    assert installed.returncode == 0, installed.stderr

    work = tmp_path / "work"
    work.mkdir()
    created = run("socialcouncil", "new-plugin", "kirklees", env=env, cwd=work)
    assert created.returncode == 0, created.stderr
    steps = printed_steps(created.stdout)
    assert [step[:3] for step in steps] == [
        ["cd", "socialcouncil-kirklees"],
        ["python", "-m", "pip"],
        ["python", "-m", "pytest"],
        ["python", "-m", "socialcouncil"],
    ]
    cwd = work
    outputs = []
    for step in steps:
        if step[0] == "cd":
            cwd = cwd / step[1]
            continue
        command = [*step, *offline] if step[1:3] == ["-m", "pip"] else step
        done = run(*command, env=env, cwd=cwd)
        assert done.returncode == 0, f"{shlex.join(command)}\n{done.stdout}{done.stderr}"
        outputs.append(done.stdout)
    assert "4 passed" in outputs[1]
    assert "kirklees  (socialcouncil-kirklees 0.1.0)" in outputs[2]


def test_the_steps_use_this_python_and_a_group_only_where_pip_has_groups(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = scaffold.create("anytown", tmp_path)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setattr(scaffold, "_pip_has_groups", lambda: False)
    cd, install, test, listing = scaffold.next_steps(root, cwd=tmp_path)
    assert cd == ["cd", "socialcouncil-anytown"]
    assert install == [
        sys.executable, "-m", "pip", "install", "--editable", ".", "pytest>=8", "hypothesis>=6"
    ]  # fmt: skip
    assert test == [sys.executable, "-m", "pytest"]
    assert listing == [sys.executable, "-m", "socialcouncil", "plugins"]
    monkeypatch.setattr(scaffold, "_pip_has_groups", lambda: True)
    assert scaffold.next_steps(root, cwd=tmp_path)[1][-2:] == ["--group", "test"]
    elsewhere = scaffold.next_steps(root, cwd=tmp_path / "elsewhere")[0]
    assert elsewhere == ["cd", str(root.resolve())]


def test_the_test_group_in_pyproject_is_what_old_pips_are_told_to_install(tmp_path: Path) -> None:
    root = scaffold.create("anytown", tmp_path)
    with (root / "pyproject.toml").open("rb") as file:
        groups = tomllib.load(file)["dependency-groups"]
    assert tuple(groups["test"]) == scaffold.TEST_REQUIREMENTS


# -- names ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "suggested"),
    [("Kirklees", "kirklees"), ("Any Town", "any-town"), ("kirklees_council", "kirklees-council")],
)
def test_a_name_that_is_not_an_id_gets_a_suggestion(name: str, suggested: str) -> None:
    with pytest.raises(InvalidValueError, match=f"such as '{suggested}'"):
        scaffold.check_name(name)


@pytest.mark.parametrize("name", ["a-", "anytown--"])
def test_a_name_that_makes_an_invalid_distribution_name_is_refused(name: str) -> None:
    with pytest.raises(InvalidValueError, match="valid distribution name"):
        scaffold.check_name(name)


@pytest.mark.parametrize(
    ("name", "holder"),
    [
        ("starter", "the id of a built-in template"),
        ("csv-source", "the name of a built-in plugin"),
        ("reference-continua", "the name of a built-in plugin"),
    ],
)
def test_a_name_a_built_in_has_is_refused(name: str, holder: str, tmp_path: Path) -> None:
    with pytest.raises(InvalidValueError, match=holder):
        scaffold.create(name, tmp_path)
    assert list(tmp_path.iterdir()) == []


@given(st.text(max_size=30))
def test_a_suggested_name_is_always_one_the_scaffold_accepts_as_an_id(text: str) -> None:
    suggestion = scaffold.suggest_name(text)
    if suggestion is not None:
        assert is_valid_id(suggestion)
        assert not suggestion.endswith("-")


@pytest.mark.parametrize(
    ("name", "title"),
    [("kirklees-council", "Kirklees"), ("any-town", "Any Town")],
)
def test_a_council_plugin_is_not_titled_council_twice(
    name: str, title: str, tmp_path: Path
) -> None:
    root = scaffold.create(name, tmp_path)
    module = root / "src" / f"socialcouncil_{name.replace('-', '_')}"
    text = (module / "__init__.py").read_text(encoding="utf-8")
    assert f'title="{title} council"' in text
    assert f'name = "{title} Council"' in (module / "council.toml").read_text(encoding="utf-8")
    assert "Council council" not in text


# -- nothing half-made ------------------------------------------------------------------------


def test_a_full_disk_part_way_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written: list[Path] = []
    original = Path.write_text

    def fill_up(self: Path, *args: Any, **kwargs: Any) -> int:
        if written:
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        written.append(self)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", fill_up)
    with pytest.raises(OSError, match="No space left"):
        scaffold.create("anytown", tmp_path)
    assert written  # one file was written before the disk was full
    assert list(tmp_path.iterdir()) == []


def test_the_package_gets_the_mode_the_umask_gives(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        root = scaffold.create("anytown", tmp_path)
    finally:
        os.umask(old)
    assert stat.S_IMODE(root.stat().st_mode) == 0o750
