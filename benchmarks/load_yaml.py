"""Loading a large council from YAML, with libyaml's C loader and with PyYAML's pure-Python one.

Generates a council of projects (default 10,000, each with two calibrations), writes it as YAML,
then times `socialcouncil.loads(text, "yaml")` once with the loader socialcouncil picks (libyaml's
where PyYAML was built with it) and once with the pure-Python loader, and prints seconds and
projects per second for each, with the peak memory Python allocated while reading.
"""

from __future__ import annotations

import argparse
import datetime
import time
import tracemalloc

import yaml

import socialcouncil
from socialcouncil import Calibration, Council, Project, _yaml


def council(projects: int) -> Council:
    """A council of *projects* projects on the IAP2 spectrum."""
    day = datetime.date(2025, 3, 31)
    return Council(
        name="Benchmark Borough Council",
        projects=[
            Project(
                id=f"project-{i}",
                title=f"Project {i}",
                continuum="iap2-spectrum",
                calibrations=[
                    Calibration(date=day, level="inform", assessor="Steering group"),
                    Calibration(date=day, level="involve", evidence=f"Minutes {i}"),
                ],
            )
            for i in range(projects)
        ],
    )


def timed(text: str) -> tuple[float, int]:
    """Seconds to read *text*, and the peak bytes allocated while reading it again."""
    start = time.perf_counter()
    socialcouncil.loads(text, "yaml")
    seconds = time.perf_counter() - start
    # Tracing allocations slows reading several times over, so it is a run of its own.
    tracemalloc.start()
    socialcouncil.loads(text, "yaml")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return seconds, peak


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=10_000)
    projects = parser.parse_args().projects
    text = socialcouncil.dumps(council(projects), "yaml")
    print(f"{projects:,} projects, {len(text.encode()) / 1e6:.1f} MB of YAML")
    loaders = ["libyaml", "python"] if getattr(yaml, "__with_libyaml__", False) else ["python"]
    for name in loaders:
        if name == "python" and hasattr(yaml, "CSafeLoader"):
            del yaml.CSafeLoader  # as on a PyYAML built without libyaml
        _yaml._loader.cache_clear()
        seconds, peak = timed(text)
        print(
            f"{name:>8}: {seconds:6.2f} s, {projects / seconds:9,.0f} projects/s, "
            f"peak {peak / 1e6:,.0f} MB"
        )


if __name__ == "__main__":
    main()
