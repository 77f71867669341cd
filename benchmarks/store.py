"""The history store against pandas' to_sql / read_sql, on the same kind of SQLite file.

Two operations, each timed side by side in one run (alternating, median of `--rounds`), in
this one process, from the same objects in memory:

- recording one run of 100,000 results (`--results`), broken down by ward and month, with
  its problems and source fingerprint: `Store.record` into a new store file, against pandas
  building the same rows (the same columns as the store's tables: the run, its results with
  their dimensions as JSON text, its problems and sources) and writing them with `to_sql` in
  one transaction into a new SQLite file, with the store's index on (measure, indicator);
- reading the history of one indicator across 1,000 runs (`--runs`), each re-measuring the
  last two months as well as the whole, by ward: `Store.history(measure=…, indicator=…)`
  against `read_sql` of the same rows from the same store file (one indexed query joining
  runs and results), then pandas computing the same trends: the figure each period uses (the
  latest run's) and each point's change since its trend's first.

Both sides' answers are checked to agree (every value, and for the history every point's
trend, superseded flag and change since the first) before any timing. Prints each side's
median time and the ratio store / pandas; the target is at most 1.0 for both: at least as
fast as pandas.

    .venv/bin/python benchmarks/store.py [--results 100000] [--runs 1000] [--rounds 5]
    .venv/bin/python benchmarks/store.py --results 200 --runs 20 --check  # only the check
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import math
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from socialcouncil import Council, Problem, Result, Table, files, open_store
from socialcouncil.measurement.run import Measurement

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    import pandas as pd

    from socialcouncil.store import HistoryPoint

COUNCIL = """\
format = 1

[council]
name = "Benchmark Borough Council"

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

MEASURE, INDICATOR = "wellbeing", "mean"
HEADLINES = {"wellbeing": "mean", "waiting-days": "median"}
INDICATORS = (("wellbeing", "mean"), ("wellbeing", "respondents"), ("waiting-days", "median"))
WARDS = [f"Ward {i:02d}" for i in range(1, 11)]
START = datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc)


def month(number: int) -> str:
    return f"{2000 + number // 12}-{number % 12 + 1:02d}"


def figure(measure: str, indicator: str, value: float, **dimensions: str) -> Result:
    return Result(
        "observed",
        indicator,
        value,
        dimensions,
        people=measure == "wellbeing",
        measure=measure,
        n=20 + int(value) % 30,
        unit="days" if measure == "waiting-days" else "points",
    )


def big_measurement(results: int) -> Measurement:
    """One run of *results* results: three indicators by ward and month, and totals."""
    figures: list[Result] = []
    number = 0
    while len(figures) < results:
        measure, indicator = INDICATORS[number % len(INDICATORS)]
        ward, period = WARDS[number // 3 % len(WARDS)], month(number // 30)
        value = 30 + (number * 7919) % 400 / 10
        figures.append(figure(measure, indicator, value, ward=ward, period=period))
        number += 1
    return Measurement(
        results=tuple(figures),
        problems=tuple(problem(row) for row in range(results // 100)),
        tables={"survey": Table(None, "survey", "survey.csv", fingerprint("survey"))},
        headlines=HEADLINES,
        breakdowns=dict.fromkeys(HEADLINES, ("ward", "period")),
    )


def monthly_measurement(run: int) -> Measurement:
    """Run *run* of a monthly series: this month and last, and the whole, by ward."""
    figures: list[Result] = []
    for measure, indicator in INDICATORS:
        for periods in ((), (month(run - 1), month(run))) if run else ((), (month(run),)):
            for period in periods or (None,):
                for ward in (None, *WARDS):
                    dimensions = {"ward": ward} if ward else {}
                    if period is not None:
                        dimensions["period"] = period
                    value = 30 + (run * 31 + len(figures) * 7) % 400 / 10
                    figures.append(figure(measure, indicator, value, **dimensions))
    return Measurement(
        results=tuple(figures),
        problems=(problem(run),),
        tables={"survey": Table(None, "survey", "survey.csv", fingerprint(f"survey {run}"))},
        headlines=HEADLINES,
        breakdowns=dict.fromkeys(HEADLINES, ("ward", "period")),
    )


def problem(row: int) -> Problem:
    return Problem(
        "",
        "found 'x', expected a whole number from 1 to 5",
        source="survey",
        location="survey.csv",
        row=row + 2,
        field="Q1",
        expected="a whole number from 1 to 5",
    )


def fingerprint(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


# Recording -------------------------------------------------------------------------------


def record_with_store(council: Council, measurement: Measurement, path: Path) -> str:
    with open_store(path) as store:
        return store.record(council, measurement, recorded_at=START).id


def record_with_pandas(council: Council, measurement: Measurement, path: Path) -> str:
    """The same rows as the store's tables, written by ``to_sql`` in one transaction."""
    import uuid

    import pandas as pd
    import sqlalchemy as sa

    from socialcouncil import __version__

    run = str(uuid.uuid4())
    results = measurement.results
    types = {source.id: source.type for source in council.sources}
    frame = pd.DataFrame(
        {
            "run": run,
            "position": range(len(results)),
            "measure": [r.measure for r in results],
            "model": [r.model for r in results],
            "indicator": [r.indicator for r in results],
            "value": [r.value for r in results],
            "n": pd.array([r.n for r in results], dtype="Int64"),
            "people": [r.people for r in results],
            "kind": [r.kind for r in results],
            "unit": [r.unit for r in results],
            "period": [r.dimensions.get("period") for r in results],
            "dimensions": [
                json.dumps({k: v for k, v in r.dimensions.items() if k != "period"})
                for r in results
            ],
        }
    )
    problems = pd.DataFrame(
        {
            "run": run,
            "position": range(len(measurement.problems)),
            "path": [p.path for p in measurement.problems],
            "source": [p.source for p in measurement.problems],
            "location": [p.location for p in measurement.problems],
            "row": [p.row for p in measurement.problems],
            "field": [p.field for p in measurement.problems],
            "expected": [p.expected for p in measurement.problems],
            "message": [None if p.row is not None else p.message for p in measurement.problems],
        }
    )
    sources = pd.DataFrame(
        {
            "run": run,
            "position": range(len(measurement.tables)),
            "id": list(measurement.tables),
            "type": [types.get(s, "") for s in measurement.tables],
            "location": [t.location for t in measurement.tables.values()],
            "fingerprint": [t.fingerprint for t in measurement.tables.values()],
        }
    )
    runs = pd.DataFrame(
        {
            "id": [run],
            "recorded_at": [START],
            "version": [__version__],
            "council_name": [council.name],
            "council": [json.dumps(files.unstructure(council), sort_keys=True)],
            "model_file": [None],
            "headlines": [json.dumps(dict(measurement.headlines))],
            "breakdowns": [json.dumps({k: list(v) for k, v in measurement.breakdowns.items()})],
            "unmeasured": [json.dumps(list(measurement.unmeasured))],
            "result_count": [len(results)],
            "problem_count": [len(measurement.problems)],
            "source_count": [len(measurement.tables)],
        }
    )
    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as connection:
            runs.to_sql("runs", connection, index=False)
            frame.to_sql("results", connection, index=False)
            problems.to_sql("problems", connection, index=False)
            sources.to_sql("sources", connection, index=False)
            connection.exec_driver_sql(
                "CREATE INDEX results_by_indicator ON results (measure, indicator)"
            )
    finally:
        engine.dispose()
    return run


def recorded_values_with_store(path: Path, run: str) -> list[tuple[Any, ...]]:
    with open_store(path) as store:
        return [
            (r.measure, r.indicator, r.value, r.n, dict(r.dimensions))
            for r in store.run(run).results
        ]


def recorded_values_with_pandas(path: Path) -> list[tuple[Any, ...]]:
    import pandas as pd
    import sqlalchemy as sa

    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        frame = pd.read_sql("SELECT * FROM results ORDER BY position", engine)
    finally:
        engine.dispose()
    found = []
    for row in frame.itertuples():
        dimensions = json.loads(row.dimensions)
        if row.period is not None:
            dimensions["period"] = row.period
        found.append((row.measure, row.indicator, row.value, int(row.n), dimensions))
    return found


# Reading history -------------------------------------------------------------------------


def prepare_history(council: Council, runs: int, path: Path) -> None:
    with open_store(path) as store:
        for run in range(runs):
            at = START + datetime.timedelta(days=30 * run)
            store.record(council, monthly_measurement(run), recorded_at=at)


def history_with_store(council: Council, path: Path) -> tuple[HistoryPoint, ...]:
    with open_store(path) as store:
        return store.history(council, measure=MEASURE, indicator=INDICATOR)


def point_order(point: tuple[Any, ...]) -> tuple[str, str, str]:
    """Points in one order on both sides: by run, dimensions and period (none first)."""
    return (point[0], point[1], point[2] or "")


def store_points(points: Sequence[HistoryPoint]) -> list[tuple[Any, ...]]:
    found = [
        (
            p.run,
            json.dumps(dict(sorted(p.dimensions.items()))),
            p.period,
            p.value,
            p.superseded,
            p.change_since_first,
        )
        for p in points
    ]
    return sorted(found, key=point_order)


HISTORY_QUERY = """
SELECT runs.id AS run, runs.recorded_at, results.dimensions, results.period, results.value,
       results.n
FROM results JOIN runs ON runs.id = results.run
WHERE results.measure = :measure AND results.indicator = :indicator
"""


def history_with_pandas(path: Path) -> pd.DataFrame:
    """``read_sql`` of the indicator's figures, and their trends, computed by pandas."""
    import pandas as pd
    import sqlalchemy as sa

    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        frame = pd.read_sql(
            sa.text(HISTORY_QUERY),
            engine,
            params={"measure": MEASURE, "indicator": INDICATOR},
            parse_dates=["recorded_at"],
        )
    finally:
        engine.dispose()
    # Dimensions as the store compares them: sorted keys, so one trend is one text.
    frame["dimensions"] = [
        json.dumps(dict(sorted(json.loads(text).items()))) for text in frame["dimensions"]
    ]
    frame["has_period"] = frame["period"].notna()
    trend = ["dimensions", "has_period"]
    frame = frame.sort_values([*trend, "period", "recorded_at", "run"], na_position="first")
    # Where two runs cover one period, the later one's figure is the one the trend uses.
    later = frame.duplicated([*trend, "period"], keep="last")
    frame["superseded"] = later & frame["has_period"]
    used = frame[~frame["superseded"]]
    first = used.groupby(trend)["value"].first().rename("first")
    frame = frame.join(first, on=trend)
    frame["change_since_first"] = frame["value"] - frame["first"]
    return frame


def pandas_points(frame: pd.DataFrame) -> list[tuple[Any, ...]]:
    found = [
        (
            row.run,
            row.dimensions,
            None if not isinstance(row.period, str) else row.period,
            row.value,
            bool(row.superseded),
            row.change_since_first,
        )
        for row in frame.itertuples()
    ]
    return sorted(found, key=point_order)


# Comparing -------------------------------------------------------------------------------


def same(ours: Sequence[tuple[Any, ...]], theirs: Sequence[tuple[Any, ...]]) -> list[str]:
    """Every way two lists of answers differ (numbers within a relative 1e-9)."""
    found = []
    if len(ours) != len(theirs):
        found.append(f"{len(ours):,} answers from the store against {len(theirs):,}")
    for a, b in zip(ours, theirs, strict=False):
        for x, y in zip(a, b, strict=True):
            differ = (
                not math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9)
                if isinstance(x, float) and isinstance(y, float)
                else x != y
            )
            if differ:
                found.append(f"{a!r} against {b!r}")
                break
    return found


def agree(title: str, ours: Sequence[tuple[Any, ...]], theirs: Sequence[tuple[Any, ...]]) -> None:
    found = same(ours, theirs)
    print(title)
    if found:
        print(f"  the answers DISAGREE ({len(found)} differences; the first 10):")
        for line in found[:10]:
            print(f"    {line}")
        sys.exit(1)
    print(f"  answers compared: {len(ours):,}; all agree")


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def side_by_side(
    title: str, ours: Callable[[int], object], theirs: Callable[[int], object], rounds: int
) -> float:
    """Time the two sides in turn, *rounds* times after one untimed warm-up; the time ratio."""
    ours(-1), theirs(-1)
    times: tuple[list[float], list[float]] = ([], [])
    for number in range(rounds):
        times[0].append(timed(lambda: ours(number)))  # noqa: B023 - called at once
        times[1].append(timed(lambda: theirs(number)))  # noqa: B023 - called at once
    store, pandas = statistics.median(times[0]), statistics.median(times[1])
    ratio = store / pandas
    print(f"  {'':8}  {f'time (median of {rounds})':>22}")
    print(f"  {'store':8}  {store:20.3f} s")
    print(f"  {'pandas':8}  {pandas:20.3f} s")
    print(f"  {'ratio':8}  {ratio:22.2f}")
    verdict = "met" if ratio <= 1.0 else "MISSED"
    print(f"  {title}: time ratio {ratio:.2f}, target at most 1.0 ({verdict})")
    return ratio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=int, default=100_000, help="results in the one run")
    parser.add_argument("--runs", type=int, default=1_000, help="runs in the history")
    parser.add_argument("--rounds", type=int, default=5, help="timed runs of each side")
    parser.add_argument("--check", action="store_true", help="only check the answers agree")
    args = parser.parse_args()
    council = files.loads(COUNCIL, source="benchmark.toml")
    with tempfile.TemporaryDirectory(prefix="socialcouncil-bench-") as temporary:
        folder = Path(temporary)
        big = big_measurement(args.results)
        run = record_with_store(council, big, folder / "check.sqlite")
        record_with_pandas(council, big, folder / "check-pandas.sqlite")
        agree(
            f"recording one run of {args.results:,} results",
            recorded_values_with_store(folder / "check.sqlite", run),
            recorded_values_with_pandas(folder / "check-pandas.sqlite"),
        )
        if not args.check:
            side_by_side(
                "recording",
                lambda n: record_with_store(council, big, folder / f"store-{n}.sqlite"),
                lambda n: record_with_pandas(council, big, folder / f"pandas-{n}.sqlite"),
                args.rounds,
            )
        history = folder / "history.sqlite"
        start = time.perf_counter()
        prepare_history(council, args.runs, history)
        made = time.perf_counter() - start
        title = f"the history of one indicator across {args.runs:,} runs"
        ours = store_points(history_with_store(council, history))
        agree(title, ours, pandas_points(history_with_pandas(history)))
        print(f"  (the {args.runs:,} runs recorded in {made:.1f} s; {len(ours):,} points)")
        if not args.check:
            side_by_side(
                "reading history",
                lambda _n: history_with_store(council, history),
                lambda _n: history_with_pandas(history),
                args.rounds,
            )


if __name__ == "__main__":
    main()
