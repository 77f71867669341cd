"""From nothing to a working, tested, listed plugin: new-plugin -> install -> test -> list -> use.

Everything runs offline: the package is built with the hatchling already installed, and
installed into a folder put on PYTHONPATH, so the project's environment is left as it was.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from socialcouncil import scaffold
from socialcouncil.model import InvalidValueError

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
