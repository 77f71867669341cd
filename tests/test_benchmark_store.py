"""The store benchmark's two sides give the same answers (no timing here).

The benchmark times the history store against pandas' to_sql / read_sql; this runs its check
at a tiny size, so that its "all agree" is known to hold: the pandas side writes the same rows
and computes the same trends (the figure each period uses, each point's change since its
trend's first) as the store.
"""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_the_store_benchmark_finds_the_store_and_pandas_agree() -> None:
    command = [sys.executable, str(ROOT / "benchmarks" / "store.py")]
    command += ["--results", "300", "--runs", "12", "--check"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("all agree") == 2
    assert "recording one run of 300 results" in done.stdout
    assert "the history of one indicator across 12 runs" in done.stdout
