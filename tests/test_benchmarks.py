"""The measurement benchmarks compute the right figures on both sides (no timing here).

Each benchmark compares `socialcouncil measure` with a script using another library; these
tests check that script's figures against plain Python on the demo data, so that the
benchmark's "the figures agree" means something, and run each benchmark's check on a few
hundred rows.
"""

from __future__ import annotations

import csv
import json
import math
import statistics
import subprocess
import sys
from collections import defaultdict
from typing import TYPE_CHECKING, Any

import pytest

from tests.conftest import ROOT

if TYPE_CHECKING:
    from pathlib import Path

BENCHMARKS = ROOT / "benchmarks"
DATA = ROOT / "docs" / "examples" / "data"
METRIC = dict(
    zip(
        range(7, 36),
        (7.00, 9.51, 11.25, 12.40, 13.33, 14.08, 14.75, 15.32, 15.84, 16.36, 16.88, 17.43,
         17.98, 18.59, 19.25, 19.98, 20.73, 21.54, 22.35, 23.21, 24.11, 25.03, 26.02, 27.03,
         28.13, 29.31, 30.70, 32.55, 35.00),
        strict=True,
    )
)  # fmt: skip

Figures = dict[tuple[str, tuple[tuple[str, str], ...]], tuple[float, int]]


def other_side(benchmark: str, tmp_path: Path) -> Figures:
    """The figures a benchmark's other-library side computes on the demo data."""
    output = tmp_path / "figures.json"
    script = BENCHMARKS / f"measure_{benchmark}.py"
    command = [sys.executable, str(script), "--other", "--data", str(DATA), "--output", str(output)]
    subprocess.run(command, check=True, capture_output=True)
    found: Figures = {}
    for result in json.loads(output.read_text(encoding="utf-8"))["results"]:
        key = (result["indicator"], tuple(sorted(result["dimensions"].items())))
        assert key not in found
        found[key] = (result["value"], result["n"])
    return found


def rows(name: str) -> list[dict[str, str]]:
    with (DATA / f"{name}.csv").open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def close(found: tuple[float, int], value: float, n: int) -> bool:
    return math.isclose(found[0], value, rel_tol=1e-9, abs_tol=1e-12) and found[1] == n


def test_the_survey_benchmarks_pandas_figures_are_the_models(tmp_path: Path) -> None:
    found = other_side("survey", tmp_path)
    survey = rows("residents-survey")
    items = [f"Q{i}" for i in range(1, 8)]
    for ward in (None, "Olton", "Smith's Wood"):
        group = [r for r in survey if ward is None or r["Ward"] == ward]
        where = () if ward is None else (("ward", ward),)
        scores = [METRIC[sum(int(r[i]) for i in items)] for r in group if all(r[i] for i in items)]
        n = len(scores)
        mean, sd = statistics.fmean(scores), statistics.stdev(scores)
        half = statistics.NormalDist().inv_cdf(0.975) * sd / math.sqrt(n)
        assert close(found["mean-metric-score", where], mean, n)
        assert close(found["sd-metric-score", where], sd, n)
        assert close(found["ci95-low", where], mean - half, n)
        assert close(found["ci95-high", where], mean + half, n)
        assert close(found["respondents", where], n, n)
        assert close(found["incomplete", where], len(group) - n, len(group) - n)
        for item, column, bands in (
            ("worthwhile", "Worthwhile", {"low": (0, 4), "very-high": (9, 10)}),
            ("anxiety", "Anxiety", {"very-low": (0, 1), "high": (6, 10)}),
        ):
            answers = [int(r[column]) for r in group if r[column]]
            at = tuple(sorted((*where, ("item", item))))
            assert close(found["mean", at], statistics.fmean(answers), len(answers))
            for band, (low, high) in bands.items():
                share = 100 * sum(low <= a <= high for a in answers) / len(answers)
                key = tuple(sorted((*at, ("band", band))))
                assert close(found["band-share", key], share, len(answers))
    wards = {r["Ward"] for r in survey}
    # The whole survey and each ward: 6 SWEMWBS figures, 4 ONS4 items of 6 figures.
    assert len(found) == (1 + len(wards)) * (6 + 4 * 6)


def test_the_timebank_benchmarks_pandas_figures_are_the_models(tmp_path: Path) -> None:
    found = other_side("timebank", tmp_path)
    ledger = rows("timebank")
    months = sorted({r["Date"][:7] for r in ledger})
    for month in (None, months[0], months[11]):
        group = [r for r in ledger if month is None or r["Date"].startswith(month)]
        where = () if month is None else (("period", month),)
        given: dict[str, float] = defaultdict(float)
        receivers = set()
        for exchange in group:
            given[exchange["Giver"]] += float(exchange["Hours"])
            receivers.add(exchange["Receiver"])
        active = set(given) | receivers
        hours = [given.get(member, 0.0) for member in active]
        mean = statistics.fmean(hours)
        gini = sum(abs(a - b) for a in hours for b in hours) / (2 * len(hours) ** 2 * mean)
        pairs = {frozenset((r["Giver"], r["Receiver"])) for r in group}
        both = len(set(given) & receivers)
        assert close(found["exchanges", where], len(group), len(group))
        assert close(found["hours", where], sum(float(r["Hours"]) for r in group), len(group))
        assert close(found["active-members", where], len(active), len(active))
        assert close(found["reciprocity", where], 100 * both / len(active), len(active))
        assert close(found["gini-hours-given", where], gini, len(active))
        assert close(found["pairs", where], len(pairs), len(group))
    assert len(found) == 6 * (1 + len(months))


def test_the_networks_benchmarks_networkx_figures_are_the_models(tmp_path: Path) -> None:
    found = other_side("networks", tmp_path)
    people = {r["Person"]: r for r in rows("people")}
    pairs = {frozenset((r["From"], r["To"])) for r in rows("connections")}
    kinds: dict[str, int] = defaultdict(int)
    with_kind: dict[str, set[str]] = defaultdict(set)
    for pair in pairs:
        one, other = sorted(pair)
        institutional = [people[p]["Role"] in {"officer", "councillor"} for p in (one, other)]
        if institutional[0] != institutional[1]:
            kind = "linking"
        elif people[one]["Group"] == people[other]["Group"]:
            kind = "bonding"
        else:
            kind = "bridging"
        kinds[kind] += 1
        with_kind[kind] |= pair
    # Components by union-find, among the people with a tie.
    parent = {p: p for pair in pairs for p in pair}

    def root(p: str) -> str:
        while parent[p] != p:
            parent[p] = parent[parent[p]]
            p = parent[p]
        return p

    for pair in pairs:
        one, other = sorted(pair)
        parent[root(one)] = root(other)
    sizes: dict[str, int] = defaultdict(int)
    for person in parent:
        sizes[root(person)] += 1
    connected = len(parent)
    within = kinds["bonding"] + kinds["bridging"]
    types = ("bonding", "bridging", "linking")
    expected: dict[tuple[str, tuple[tuple[str, str], ...]], tuple[float, int]] = {
        **{("ties", (("type", k),)): (kinds[k], kinds[k]) for k in types},
        ("ei-index", ()): ((kinds["bridging"] - kinds["bonding"]) / within, within),
        ("people", ()): (len(people), len(people)),
        ("connected-people", ()): (connected, connected),
        ("people-with-bridging-tie", ()): (len(with_kind["bridging"]), len(with_kind["bridging"])),
        ("people-with-linking-tie", ()): (len(with_kind["linking"]), len(with_kind["linking"])),
        ("components", ()): (len(sizes), connected),
        ("largest-component-share", ()): (100 * max(sizes.values()) / connected, connected),
    }  # fmt: skip
    assert found.keys() == expected.keys()
    for key, (value, n) in expected.items():
        assert close(found[key], value, n), key


@pytest.mark.parametrize("benchmark", ["survey", "timebank", "networks"])
def test_each_benchmark_finds_socialcouncil_and_the_other_library_agree(
    benchmark: str, tmp_path: Path
) -> None:
    script = BENCHMARKS / f"measure_{benchmark}.py"
    command: list[Any] = [sys.executable, script, "--rows", "400", "--check", "--data", tmp_path]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "all agree" in done.stdout
