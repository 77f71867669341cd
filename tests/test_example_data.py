"""The synthetic demo data under docs/examples/data/ and the script that makes it."""

from __future__ import annotations

import csv
import subprocess
import sys
from collections import Counter
from typing import TYPE_CHECKING

import pytest

from socialcouncil import load

if TYPE_CHECKING:
    from pathlib import Path

FILES = ("residents-survey", "people", "connections", "timebank", "canteen-attendance")


def make(out: Path, *options: str, examples: Path) -> None:
    script = examples / "data" / "make_data.py"
    subprocess.run(
        [sys.executable, str(script), "--out", str(out), *options],
        check=True,
        capture_output=True,
    )


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


@pytest.fixture
def data(examples: Path) -> Path:
    """The folder of the demo data."""
    return examples / "data"


def test_the_script_writes_the_committed_files_byte_for_byte(
    tmp_path: Path, examples: Path
) -> None:
    make(tmp_path, examples=examples)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{f}.csv" for f in FILES)
    for name in FILES:
        written = (tmp_path / f"{name}.csv").read_bytes()
        assert written == (examples / "data" / f"{name}.csv").read_bytes(), name


def test_the_files_are_utf8_with_a_header_and_newline_endings(data: Path) -> None:
    for name in FILES:
        raw = (data / f"{name}.csv").read_bytes()
        raw.decode("utf-8")
        assert b"\r" not in raw
        assert raw.endswith(b"\n")
        assert not raw.startswith(b"\xef\xbb\xbf")


def test_the_readme_says_the_data_are_synthetic_and_how_they_are_made(data: Path) -> None:
    readme = (data / "README.md").read_text(encoding="utf-8")
    assert "invented" in readme
    assert "synthetic" in readme.lower()
    assert "python docs/examples/data/make_data.py" in readme


def test_the_survey_has_every_column_in_range_with_blanks(data: Path) -> None:
    survey = rows(data / "residents-survey.csv")
    items = [f"Q{i}" for i in range(1, 8)]
    ons = ["Life satisfaction", "Worthwhile", "Happiness", "Anxiety"]
    assert list(survey[0]) == ["Respondent", "Ward", "Date", *items, *ons, "Weight"]
    assert len({r["Respondent"] for r in survey}) == len(survey)
    blanks: Counter[str] = Counter()
    for row in survey:
        for column in items:
            if row[column]:
                assert 1 <= int(row[column]) <= 5
            else:
                blanks[column] += 1
        for column in ons:
            if row[column]:
                assert 0 <= int(row[column]) <= 10
            else:
                blanks[column] += 1
        assert float(row["Weight"]) > 0
        assert "2024-04-01" <= row["Date"] <= "2026-03-31"
    # Every question has gaps, and some responses are complete.
    assert set(blanks) == {*items, *ons}
    complete = [r for r in survey if all(r[c] for c in items)]
    assert 0.8 * len(survey) < len(complete) < len(survey)
    # Blanks in the ONS questions are independent: some rows miss one and answer the others.
    assert any(not r["Anxiety"] and r["Happiness"] for r in survey)


def test_the_survey_covers_solihulls_wards(data: Path) -> None:
    survey = rows(data / "residents-survey.csv")
    wards = Counter(r["Ward"] for r in survey)
    assert len(wards) == 17
    assert {"Chelmsley Wood", "Knowle", "Smith's Wood", "St Alphege"} <= set(wards)
    assert min(wards.values()) >= 30  # Warwick's guidance: at least 30 people per group


def test_ties_join_known_people_mostly_within_groups_with_some_bridging_and_linking(
    data: Path,
) -> None:
    people = {r["Person"]: r for r in rows(data / "people.csv")}
    ties = rows(data / "connections.csv")
    assert {r["Role"] for r in people.values()} == {"resident", "officer", "councillor"}
    kinds: Counter[str] = Counter()
    pairs = set()
    for tie in ties:
        one, other = tie["From"], tie["To"]
        assert one != other
        assert one in people
        assert other in people
        pair = frozenset((one, other))
        if pair in pairs:
            kinds["repeated"] += 1
            continue
        pairs.add(pair)
        institutional = [people[p]["Role"] != "resident" for p in (one, other)]
        if institutional[0] != institutional[1]:
            kinds["linking"] += 1
        elif people[one]["Group"] == people[other]["Group"]:
            kinds["bonding"] += 1
        else:
            kinds["bridging"] += 1
    assert kinds["bonding"] > kinds["bridging"] > kinds["linking"] > 0
    assert kinds["repeated"] > 0
    connected = {p for pair in pairs for p in pair}
    assert len(connected) < len(people)  # some people have no tie


def test_the_timebank_is_reciprocal_but_not_wholly(data: Path) -> None:
    ledger = rows(data / "timebank.csv")
    givers = {r["Giver"] for r in ledger}
    receivers = {r["Receiver"] for r in ledger}
    for row in ledger:
        assert row["Giver"] != row["Receiver"]
        assert 0.5 <= float(row["Hours"]) <= 4
    both = givers & receivers
    assert both
    assert givers - receivers
    assert receivers - givers
    returned = {(r["Giver"], r["Receiver"]) for r in ledger}
    assert any((b, a) in returned for a, b in returned)


def test_canteen_attendance_repeats_and_uses_the_continuums_levels(
    data: Path, examples: Path
) -> None:
    council = load(examples / "solihull.toml")
    levels = {level.id for level in council.continuum("solihull-relationship").levels}
    people = {r["Person"] for r in rows(data / "people.csv")}
    attendance = rows(data / "canteen-attendance.csv")
    assert {r["Level"] for r in attendance} == {*levels, ""}
    assert {r["Person"] for r in attendance} <= people
    activities: dict[str, set[str]] = {}
    for row in attendance:
        activities.setdefault(row["Person"], set()).add(row["Activity"])
    several = sum(len(a) >= 2 for a in activities.values())
    assert 0 < several < len(activities)
    visits = Counter((r["Person"], r["Activity"]) for r in attendance)
    assert max(visits.values()) > 1


def test_big_mode_writes_the_rows_asked_for_the_same_every_time(
    tmp_path: Path, examples: Path
) -> None:
    options = ("--rows", "500", "--people", "60", "--wards", "20")
    make(tmp_path / "one", *options, examples=examples)
    make(tmp_path / "two", *options, "--files", "connections", "people", examples=examples)
    for name in FILES:
        assert len(rows(tmp_path / "one" / f"{name}.csv")) == (60 if name == "people" else 500)
    assert len({r["Ward"] for r in rows(tmp_path / "one" / "residents-survey.csv")}) == 20
    # A file is the same whichever others are written with it.
    assert sorted(p.name for p in (tmp_path / "two").iterdir()) == [
        "connections.csv",
        "people.csv",
    ]
    for name in ("connections", "people"):
        one = (tmp_path / "one" / f"{name}.csv").read_bytes()
        assert one == (tmp_path / "two" / f"{name}.csv").read_bytes()
    people = {r["Person"] for r in rows(tmp_path / "one" / "people.csv")}
    for tie in rows(tmp_path / "one" / "connections.csv"):
        assert tie["From"] != tie["To"]
        assert {tie["From"], tie["To"]} <= people


def test_big_mode_refuses_sizes_it_cannot_make(tmp_path: Path, examples: Path) -> None:
    script = examples / "data" / "make_data.py"
    for options in (["--rows", "0"], ["--rows", "100", "--people", "3"], ["--wards", "0"]):
        done = subprocess.run(
            [sys.executable, str(script), "--out", str(tmp_path), *options],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 2
        assert "must be at least" in done.stderr
    assert not list(tmp_path.iterdir())
