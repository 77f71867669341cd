"""A small council, runs of any size for it, and a child process that records them.

The reliability tests record from child processes, as two officers' commands (or a command
killed half-way) would: ``python -m tests.store.recording ...`` from the repository's root.

- ``record LOCATION --runs N --tag TAG`` prints ``ready`` once it has everything it needs,
  waits for a line on its standard input, then records *N* small runs, each with *TAG* as its
  model file, and prints ``done``.
- ``hang LOCATION --results N --at WHERE`` records one run of *N* results, and inside its
  transaction (``insert``: once its first row is written; ``results``: once its results are;
  ``commit``: just before the commit) prints ``inside`` and waits for its standard input to
  close; then it exits without committing. The test kills it first.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from typing import TYPE_CHECKING, Any

from socialcouncil import Problem, Table, files
from socialcouncil.measurement import Result
from socialcouncil.measurement.run import Measurement

if TYPE_CHECKING:
    from socialcouncil import Council

COUNCIL = """\
format = 1

[council]
name = "Reliability Borough Council"

[[sources]]
id = "survey"
type = "csv"
location = "survey.csv"

[[measures]]
id = "wellbeing"
name = "Mental wellbeing"
unit = "points"
direction = "higher"
baseline = 40

[[measures]]
id = "waiting-days"
name = "Days waited for a first reply"
unit = "days"
direction = "lower"
"""

WARDS = ("Olton", "Smith's Wood", "Elmdon", "Kingshurst")


def council() -> Council:
    """The council every reliability test records runs of."""
    return files.loads(COUNCIL, source="reliability.toml")


def measurement(results: int = 2, *, seed: int = 0, problems: int = 1) -> Measurement:
    """A measurement of :func:`council` with *results* results and *problems* row problems.

    The figures depend on *seed*, so that runs differ; the first result of each measure is
    its headline over everything, the rest are broken down by ward and period.
    """
    figures: list[Result] = []
    for number in range(results):
        measure, indicator = (
            ("wellbeing", "mean") if number % 2 == 0 else ("waiting-days", "median")
        )
        dimensions = (
            {}
            if number < 2
            else {"ward": WARDS[number % len(WARDS)], "period": f"{2000 + number // 8}"}
        )
        value = 40 + (seed * 7 + number) % 20 + 0.25
        figures.append(
            Result(
                "observed",
                indicator,
                value,
                dimensions,
                people=measure == "wellbeing",
                measure=measure,
                n=10 + number % 50,
                unit="points" if measure == "wellbeing" else "days",
            )
        )
    bad_rows = tuple(
        Problem(
            "",
            f"found 'J. Smith {row}', expected a whole number from 1 to 5",
            source="survey",
            location="survey.csv",
            row=row + 2,
            field="Q1",
            expected="a whole number from 1 to 5",
        )
        for row in range(problems)
    )
    fingerprint = "sha256:" + hashlib.sha256(f"survey {seed}".encode()).hexdigest()
    return Measurement(
        results=tuple(figures),
        problems=bad_rows,
        tables={"survey": Table(None, "survey", "survey.csv", fingerprint)},
        headlines={"wellbeing": "mean", "waiting-days": "median"},
        breakdowns={"wellbeing": ("ward", "period"), "waiting-days": ("ward", "period")},
    )


def stored_rows(location: str) -> dict[str, int]:
    """How many rows each table of a run holds in the store at *location*, counted directly.

    A table that is not there holds none. A SQLite file is opened read-only, and never made.
    """
    import sqlalchemy as sa

    if "://" in location:
        url = sa.make_url(location).set(drivername="postgresql+psycopg")
    else:
        url = sa.make_url(f"sqlite:///file:{location}?mode=ro&uri=true")
    names = ("runs", "results", "problems", "sources")
    if "://" not in location and not os.path.exists(location):  # noqa: PTH110
        return dict.fromkeys(names, 0)
    engine = sa.create_engine(url)
    count = sa.select(sa.func.count())
    try:
        with engine.connect() as connection:
            there = set(sa.inspect(connection).get_table_names())
            return {
                name: connection.execute(count.select_from(sa.table(name))).scalar_one()
                if name in there
                else 0
                for name in names
            }
    finally:
        engine.dispose()


def say(word: str) -> None:
    """Tell the test process where this one is, one word a line."""
    sys.stdout.write(word + "\n")
    sys.stdout.flush()


def record(location: str, runs: int, tag: str) -> None:
    """Record *runs* small runs, once the test says go."""
    from socialcouncil import open_store

    the_council = council()
    measurements = [measurement(seed=seed) for seed in range(runs)]
    with open_store(location) as store:
        store.runs()  # every import done, the store looked at: ready to go
        say("ready")
        sys.stdin.readline()
        for each in measurements:
            store.record(the_council, each, model_file=tag)
    say("done")


def hang(location: str, results: int, at: str) -> None:
    """Record one run of *results* results, and stop inside its transaction (see above)."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from socialcouncil import open_store

    def inside() -> None:
        say("inside")
        sys.stdin.read()  # until the test kills this process, or goes away
        os._exit(3)  # never commit

    def written(_connection: Any, _cursor: object, statement: str, *_: object) -> None:
        words = statement.split()
        if words[:1] == ["INSERT"] and (at == "insert" or (at == "results" and "results" in words)):
            inside()

    def committing(_connection: Any) -> None:
        if at == "commit":
            inside()

    the_council = council()
    big = measurement(results, problems=results // 10)
    with open_store(location) as store:
        store.runs()
        # On every engine the store makes, from here on: the first write, or the commit.
        event.listen(Engine, "after_cursor_execute", written)
        event.listen(Engine, "commit", committing)
        store.record(the_council, big, model_file="hang")
    say("done")


def main(arguments: list[str] | None = None) -> None:
    """The child process's command line (see the module's docstring)."""
    parser = argparse.ArgumentParser(description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    recording = commands.add_parser("record")
    recording.add_argument("location")
    recording.add_argument("--runs", type=int, required=True)
    recording.add_argument("--tag", required=True)
    hanging = commands.add_parser("hang")
    hanging.add_argument("location")
    hanging.add_argument("--results", type=int, required=True)
    hanging.add_argument("--at", choices=["insert", "results", "commit"], required=True)
    args = parser.parse_args(arguments)
    if args.command == "record":
        record(args.location, args.runs, args.tag)
    else:
        hang(args.location, args.results, args.at)


if __name__ == "__main__":
    main()
