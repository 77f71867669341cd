"""How long the council's report takes to build and render once the measures have run.

A generated council: 1,000 projects (each with three calibrations on a five-level continuum,
linked to values, priorities and big moves) and 50 measures, each with a headline total, a
breakdown by 17 wards and 24 months of figures (results made up with a fixed seed, as a
measurement would give them). The benchmark times disclosure control, then building the
report and rendering it to HTML, and to Markdown, a few rounds, and prints the medians and
the page's size. The target: the HTML report in under a second.

    .venv/bin/python benchmarks/report.py [--projects 1000] [--measures 50] [--rounds 5]
"""

from __future__ import annotations

import argparse
import datetime
import random
import statistics
import time
from typing import TYPE_CHECKING

from socialcouncil import (
    BigMove,
    Calibration,
    Continuum,
    Council,
    ExportContext,
    GoldenThread,
    Level,
    Measure,
    Outcome,
    Priority,
    Project,
    Result,
    Value,
)
from socialcouncil.exporters.disclosure import disclose
from socialcouncil.exporters.report import build_report, render_html, render_markdown

if TYPE_CHECKING:
    from collections.abc import Callable

WARDS = [f"Ward {i:02d}" for i in range(1, 18)]
MONTHS = [f"{year}-{month:02d}" for year in (2024, 2025) for month in range(1, 13)]
LEVELS = ["communicative", "listening", "involving", "collaborative", "fully-co-productive"]


def council_of(projects: int, measures: int, rng: random.Random) -> Council:
    continuum = Continuum(
        id="relationship",
        name="Relationship continuum",
        levels=[Level(id=level, label=level.replace("-", " ").capitalize()) for level in LEVELS],
    )
    values = [
        Value(id=f"value-{i}", name=f"Value {i}", statement=f"What value {i} means.")
        for i in range(6)
    ]
    priorities = [Priority(id=f"priority-{i}", name=f"Priority {i}") for i in range(5)]
    outcomes = [
        Outcome(
            id=f"outcome-{i}",
            name=f"Outcome {i}",
            priority=f"priority-{i % 5}",
            measures=[f"measure-{m}" for m in range(measures) if m % 10 == i],
        )
        for i in range(10)
    ]
    moves = [
        BigMove(id=f"move-{i}", name=f"Big move {i}", priorities=[f"priority-{i}"])
        for i in range(5)
    ]
    start = datetime.date(2015, 1, 1)
    return Council(
        name="Generated Borough Council",
        values=values,
        thread=GoldenThread(
            purpose="To work with residents.",
            vision="Connected communities.",
            priorities=priorities,
            outcomes=outcomes,
            big_moves=moves,
        ),
        continua=[continuum],
        measures=[
            Measure(
                id=f"measure-{m}",
                name=f"Measure {m}",
                unit="people",
                model="generated",
                baseline=100,
                target=200,
                outcomes=[f"outcome-{m % 10}"],
                by=["ward"],
                period="month",
            )
            for m in range(measures)
        ],
        projects=[
            Project(
                id=f"project-{p}",
                title=f"Project {p}",
                summary="A generated project.",
                values=[f"value-{p % 6}"],
                priorities=[f"priority-{p % 5}"],
                big_moves=[f"move-{p % 5}"],
                continuum="relationship",
                target_level="fully-co-productive",
                calibrations=[
                    Calibration(
                        date=start + datetime.timedelta(days=rng.randrange(3650)),
                        level=rng.choice(LEVELS),
                        assessor="Steering group",
                        evidence="Generated evidence.",
                    )
                    for _ in range(3)
                ],
            )
            for p in range(projects)
        ],
    )


def results_of(council: Council, rng: random.Random) -> list[Result]:
    results = []
    for measure in council.measures:

        def figure(dimensions: dict[str, str], n: int, m: str = measure.id) -> Result:
            return Result(
                "generated",
                "people",
                float(n),
                dimensions,
                people=True,
                measure=m,
                n=n,
                kind="count",
            )

        wards = [rng.randrange(3, 400) for _ in WARDS]
        results.append(figure({}, sum(wards)))
        results += [figure({"ward": ward}, n) for ward, n in zip(WARDS, wards, strict=True)]
        results += [figure({"period": month}, rng.randrange(3, 900)) for month in MONTHS]
    return results


def timed(function: Callable[[], object], rounds: int) -> tuple[str, object]:
    """The median wall-clock and CPU time of *rounds* calls, in words, and the last result.

    CPU time is printed beside wall-clock time because on a shared machine the second also
    counts the time spent waiting for a core.
    """
    wall, cpu, value = [], [], None
    for _ in range(rounds):
        started, used = time.perf_counter(), time.process_time()
        value = function()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - used)
    wall_ms, cpu_ms = statistics.median(wall) * 1000, statistics.median(cpu) * 1000
    return f"{wall_ms:6.0f} ms wall, {cpu_ms:6.0f} ms CPU", value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--measures", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(20251201)  # noqa: S311 - made-up figures, not secrets
    council = council_of(args.projects, args.measures, rng)
    results = results_of(council, rng)
    print(f"{args.projects:,} projects, {args.measures} measures, {len(results):,} results")
    disclosing, figures = timed(lambda: disclose(results, council.publishing), args.rounds)
    context = ExportContext(
        council,
        figures,  # type: ignore[arg-type]
        headlines={m.id: "people" for m in council.measures},
        breakdowns={m.id: ("ward", "period") for m in council.measures},
        date=datetime.date(2026, 1, 31),
    )
    building, report = timed(lambda: build_report(context), args.rounds)
    html_seconds, html = timed(lambda: render_html(build_report(context)), args.rounds)
    markdown_seconds, _ = timed(lambda: render_markdown(build_report(context)), args.rounds)
    size = len(str(html).encode("utf-8"))
    print(f"disclosure control:       {disclosing}")
    print(f"build the report:         {building}")
    print(f"build + render HTML:      {html_seconds}  (target: under 1,000 ms)")
    print(f"build + render Markdown:  {markdown_seconds}")
    print(f"HTML size:                {size / 1_000_000:6.2f} MB")
    del report


if __name__ == "__main__":
    main()
