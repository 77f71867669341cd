"""Loading a large council from JSON, against pydantic v2 on an equivalent model.

Generates a council of 10,000 projects with 3 calibrations each, then times, side by side in
one run (alternating, median of several rounds):
- `socialcouncil.loads(text, "json")`: parse, structure through the one converter, validate;
- pydantic v2 `Document.model_validate_json(text)` on models with the same fields and the same
  validation (id patterns, literals, dates, forbidden extra keys).

Prints projects per second for each and the ratio socialcouncil / pydantic (goal: at least 1.0).
Needs pydantic: `pip install --group bench`.
"""

from __future__ import annotations

import argparse
import datetime
import json
import statistics
import time
from typing import Annotated, Literal

import socialcouncil

try:
    from pydantic import BaseModel, ConfigDict, Field
except ImportError as exc:  # say what to install, not a traceback
    raise SystemExit("this benchmark needs pydantic v2: pip install --group bench") from exc

Id = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
Text = Annotated[str, Field(min_length=1)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Header(Strict):
    name: Text
    gss_code: str | None = None
    steering_group: str | None = None


class Value(Strict):
    id: Id
    name: Text
    statement: str | None = None
    teachable_point_of_view: str | None = None


class Calibration(Strict):
    date: datetime.date
    level: Id
    assessor: str | None = None
    evidence: str | None = None
    confidence: Literal["low", "medium", "high"] | None = None


class Project(Strict):
    id: Id
    title: Text
    summary: str | None = None
    owner: str | None = None
    status: Literal["proposed", "active", "paused", "completed", "stopped"] = "active"
    values: tuple[Id, ...] = ()
    priorities: tuple[Id, ...] = ()
    big_moves: tuple[Id, ...] = ()
    continuum: Id | None = None
    target_level: Id | None = None
    calibrations: tuple[Calibration, ...] = ()


class Document(Strict):
    format: Literal[1] = 1
    council: Header
    values: tuple[Value, ...] = ()
    projects: tuple[Project, ...] = ()


LEVELS = ["inform", "consult", "involve", "collaborate", "empower"]
START = datetime.date(2020, 1, 1)


def generate(projects: int) -> str:
    values = [{"id": f"value-{i}", "name": f"Value {i}"} for i in range(6)]
    data = {
        "format": 1,
        "council": {"name": "Generated Borough Council", "gss_code": "E08000029"},
        "values": values,
        "projects": [
            {
                "id": f"project-{i}",
                "title": f"Project {i}",
                "summary": "A service redesign with residents.",
                "owner": "Neighbourhoods",
                "status": "active",
                "values": [f"value-{i % 6}", f"value-{(i + 1) % 6}"],
                "continuum": "iap2-spectrum",
                "target_level": "collaborate",
                "calibrations": [
                    {
                        "date": str(START + datetime.timedelta(days=30 * k + i % 30)),
                        "level": LEVELS[(i + k) % 3],
                        "assessor": "Social Canteen",
                        "evidence": "Workshop notes",
                        "confidence": "medium",
                    }
                    for k in range(3)
                ],
            }
            for i in range(projects)
        ],
    }
    return json.dumps(data)


def timed(function: object, text: str) -> float:
    start = time.perf_counter()
    function(text)  # type: ignore[operator]
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()

    text = generate(args.projects)

    def ours(t: str) -> object:
        return socialcouncil.loads(t, "json")

    def pydantic(t: str) -> object:
        return Document.model_validate_json(t)

    # The same data reaches the same answer both ways; then warm both (cattrs generates its
    # structuring code on first use, pydantic builds its validators at class creation).
    council = ours(text)
    document = pydantic(text)
    if not len(council.projects) == len(document.projects) == args.projects:  # type: ignore[attr-defined]
        raise SystemExit("the two loaders disagree on the number of projects")

    ours_times, theirs_times = [], []
    for _ in range(args.rounds):
        ours_times.append(timed(ours, text))
        theirs_times.append(timed(pydantic, text))
    ours_median = statistics.median(ours_times)
    theirs_median = statistics.median(theirs_times)
    print(f"{args.projects:,} projects, 3 calibrations each, {len(text) / 1e6:.1f} MB of JSON")
    print(f"median of {args.rounds} alternating rounds")
    for label, median in (("socialcouncil.loads", ours_median), ("pydantic v2", theirs_median)):
        rate = args.projects / median
        print(f"  {label:<22}  {median * 1000:8.1f} ms  {rate:10,.0f} projects/s")
    ratio = theirs_median / ours_median
    print(f"  ratio (ours / pydantic, throughput)  {ratio:.2f}  (goal: at least 1.0)")


if __name__ == "__main__":
    main()
