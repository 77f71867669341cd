"""Start-up time with many plugins installed, against pytest.

Generates 20 plugin packages with the scaffold (`socialcouncil new-plugin`), installs them with
pip into one folder put on the path (offline: built with the hatchling already installed), and
measures whole-process medians, side by side in that environment (alternating runs):

- `socialcouncil --version` (target: at most 0.7 of `pytest --version`);
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
        packages = [str(scaffold.create(f"bench{i}", root)) for i in range(args.plugins)]
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
        commands = {
            "socialcouncil --version": [str(BIN / "socialcouncil"), "--version"],
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
    print(
        f"{loaded} generated plugins installed and loaded; median of {args.runs} alternating runs"
    )
    for name, median in medians.items():
        ratio = median / pytest_median
        print(f"  {name:<26} {median * 1000:7.1f} ms  {ratio:5.2f} x pytest --version")
    print("  target: socialcouncil --version at most 0.70 x pytest --version")


if __name__ == "__main__":
    main()
