"""Shared test settings; the root conftest.py shuts installed plugins out of every test."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import pytest
from hypothesis import HealthCheck, settings

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

# No test may depend on how fast the machine is: no deadlines.
settings.register_profile(
    "default", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=100
)
settings.load_profile("default")

pytest_plugins = ["tests._postgresql"]

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "docs" / "examples"


@pytest.fixture
def examples() -> Path:
    """The folder of bundled example model files."""
    return EXAMPLES


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """One local PySpark session for the whole test run: no UI, two shuffle partitions."""
    from pyspark.sql import SparkSession

    # PySpark installs its own handler for Ctrl-C; the tests of plugins that interrupt their
    # own import need Python's, so it is put back once the session is up.
    handler = signal.getsignal(signal.SIGINT)
    session = (
        SparkSession.builder.master("local[2]")
        .appName("socialcouncil-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.session.timeZone", "UTC")
        # Tiny fixtures: compiling whole-stage code and re-planning cost more than they save.
        .config("spark.sql.codegen.wholeStage", "false")
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.default.parallelism", "2")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    signal.signal(signal.SIGINT, handler)
    yield session
    session.stop()


class Run(NamedTuple):
    """What a run of the ``socialcouncil`` command gave: its exit status and its output."""

    code: int
    out: str
    err: str


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """Run the ``socialcouncil`` command in this process with the arguments given."""
    from socialcouncil.cli import main

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
