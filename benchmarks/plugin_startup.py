"""Start-up time with many plugins installed, against pytest.

Generates 20 plugin packages with the scaffold (`socialcouncil new-plugin`), each also declaring
a command in the `socialcouncil.commands` entry-point group, installs them with pip into one
folder put on the path (offline: built with the hatchling already installed), and measures
whole-process medians, side by side in that environment (alternating runs):

- `socialcouncil --version` (target: at most 0.7 of `pytest --version`);
- `socialcouncil --help`, which lists the plugins' commands from their metadata without
  importing any plugin (target: at most 1.2 of `socialcouncil --version`);
- `socialcouncil plugins` (which loads every plugin);
- `pytest --version`.

Run with the project's virtual environment: `.venv/bin/python benchmarks/plugin_startup.py`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from socialcouncil import scaffold

BIN = Path(sys.executable).parent

COMMAND = '''"""A command for the start-up benchmark."""

import click


@click.command()
def hello() -> None:
    """Say hello."""
    click.echo("hello")
'''


def declare_command(package: Path, index: int) -> None:
    """Give a generated plugin package a command, declared in its metadata."""
    module = f"socialcouncil_bench{index}"
    (package / "src" / module / "commands.py").write_text(COMMAND, encoding="utf-8")
    with (package / "pyproject.toml").open("a", encoding="utf-8") as file:
        file.write(
            f'\n[project.entry-points."socialcouncil.commands"]\n'
            f'bench{index}-hello = "{module}.commands:hello"\n'
        )


def whole_process(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, env=env, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plugins", type=int, default=20)
    parser.add_argument("--runs", type=int, default=30, help="runs of each command")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        packages = []
        for index in range(args.plugins):
            package = scaffold.create(f"bench{index}", root)
            declare_command(package, index)
            packages.append(str(package))
        site = root / "site"
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
             "--no-build-isolation", "--target", str(site), *packages],
            check=True,
        )  # fmt: skip
        env = {**os.environ, "PYTHONPATH": str(site)}
        env.pop("SOCIALCOUNCIL_LOAD_PLUGINS", None)
        listed = subprocess.run(
            [str(BIN / "socialcouncil"), "plugins"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        loaded = sum(line.startswith("bench") for line in listed.stdout.splitlines())
        helped = subprocess.run(
            [str(BIN / "socialcouncil"), "--help"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        declared = sum("(from socialcouncil-bench" in line for line in helped.stdout.splitlines())
        commands = {
            "socialcouncil --version": [str(BIN / "socialcouncil"), "--version"],
            "socialcouncil --help": [str(BIN / "socialcouncil"), "--help"],
            "socialcouncil plugins": [str(BIN / "socialcouncil"), "plugins"],
            "pytest --version": [str(BIN / "pytest"), "--version"],
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        for command in commands.values():  # warm the file cache
            whole_process(command, env)
        for _ in range(args.runs):
            for name, command in commands.items():
                times[name].append(whole_process(command, env))

    medians = {name: statistics.median(values) for name, values in times.items()}
    pytest_median = medians["pytest --version"]
    version_median = medians["socialcouncil --version"]
    print(
        f"{loaded} generated plugins installed and loaded, {declared} of their commands listed "
        f"by --help; median of {args.runs} alternating runs"
    )
    for name, median in medians.items():
        ratio = median / pytest_median
        print(f"  {name:<26} {median * 1000:7.1f} ms  {ratio:5.2f} x pytest --version")
    print("  target: socialcouncil --version at most 0.70 x pytest --version")
    help_ratio = medians["socialcouncil --help"] / version_median
    print(f"  socialcouncil --help is {help_ratio:.2f} x socialcouncil --version (target: 1.20)")


if __name__ == "__main__":
    main()
