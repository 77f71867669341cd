"""The published pages the browser tests open, written once per test run."""

from __future__ import annotations

import datetime
import functools
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from pathlib import Path

    from socialcouncil import Council, Measurement
    from socialcouncil.plugins import Registry
    from socialcouncil.store import LogEntry, Run

DATE = datetime.date(2026, 4, 1)
COUNCILS = ("solihull", "birmingham")
PAGES = ("html", "strategy-on-a-page")


@functools.cache
def _measured(name: str) -> tuple[Council, Measurement]:
    return _measure(name, None)


def _measure(name: str, change: Callable[[Council], Council] | None) -> tuple[Council, Measurement]:
    import socialcouncil
    from socialcouncil.plugins import isolated_registry
    from tests.conftest import EXAMPLES as FOLDER

    council = socialcouncil.load(FOLDER / f"{name}.toml")
    if change is not None:
        council = change(council)
    return council, socialcouncil.measure(council, base=FOLDER, registry=isolated_registry())


def measured(
    name: str, change: Callable[[Council], Council] | None = None
) -> tuple[Council, Measurement]:
    """The bundled example *name*, loaded (and changed by *change*), measured from its data.

    Unchanged, each example is measured once for the whole run.
    """
    return _measured(name) if change is None else _measure(name, change)


def write(
    council: Council,
    to: str,
    destination: Path,
    measurement: Measurement | None,
    registry: Registry | None = None,
    *,
    runs: Sequence[Run] = (),
    log: Sequence[LogEntry] = (),
) -> Path:
    """Write *council*'s page *to* (an exporter's name) at *destination*.

    With the built-in plugins only, unless *registry* says otherwise: these pages are fixtures,
    the same whatever is installed.
    """
    import socialcouncil
    from socialcouncil.plugins import isolated_registry

    return socialcouncil.export(
        council,
        to,
        destination,
        measurement=measurement,
        runs=runs,
        log=log,
        date=DATE,
        registry=registry or isolated_registry(),
    )


def twice(council: Council) -> Council:
    """*council* twice its size: every value, priority, outcome, design principle, big move,
    measure and project a second time, under an id ending ``-again`` and linked to the other
    copies, so that the golden thread keeps its shape."""

    def again(item: Any, **links: tuple[str, ...] | str) -> Any:
        changed = {"id": f"{item.id}-again"}
        for name in ("name", "title"):
            if hasattr(item, name):
                changed[name] = f"{getattr(item, name)} (again)"
        return attrs.evolve(item, **changed, **links)

    def ids(values: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(f"{value}-again" for value in values)

    thread = council.thread
    doubled_thread = attrs.evolve(
        thread,
        priorities=(*thread.priorities, *(again(p) for p in thread.priorities)),
        outcomes=(
            *thread.outcomes,
            *(
                again(o, priority=f"{o.priority}-again", measures=ids(o.measures))
                for o in thread.outcomes
            ),
        ),
        design_principles=(
            *thread.design_principles,
            *(again(d) for d in thread.design_principles),
        ),
        big_moves=(
            *thread.big_moves,
            *(again(b, priorities=ids(b.priorities)) for b in thread.big_moves),
        ),
    )
    return attrs.evolve(
        council,
        values=(*council.values, *(again(v) for v in council.values)),
        thread=doubled_thread,
        measures=(
            *council.measures,
            *(again(m, values=ids(m.values), outcomes=ids(m.outcomes)) for m in council.measures),
        ),
        projects=(
            *council.projects,
            *(
                again(
                    p,
                    values=ids(p.values),
                    priorities=ids(p.priorities),
                    big_moves=ids(p.big_moves),
                )
                for p in council.projects
            ),
        ),
    )


LONG_TEXT = (
    "We agreed with the diners to open the canteen on Sundays from May, after a month of "
    "conversations at the tables; see https://www.solihull.gov.uk/social-canteen-sunday-"
    "opening-consultation-notes-and-the-diners-own-words for the notes. <b>Not bold</b>."
)


def history(council: Council, measurement: Measurement) -> tuple[list[Run], list[LogEntry]]:
    """Two earlier runs of *council* and a learning log, as a history store would give them.

    The runs hold *measurement*'s results scaled down a little (the first by 10%, the second
    by 5%), and the second stands on too few people for its wellbeing total, so that the
    trends have a gap; the log has an entry for a project, for a measure, for a value, and one
    erased.
    """
    from socialcouncil.store import LogEntry, Run

    def scaled(factor: float, *, few: bool) -> tuple[Any, ...]:
        results = []
        for result in measurement.results:
            changed = attrs.evolve(result, value=result.value * factor)
            if few and result.measure == "wellbeing" and not result.dimensions:
                changed = attrs.evolve(changed, n=6)
            results.append(changed)
        return tuple(results)

    runs = [
        Run(
            id=f"6f1c2a4e-0000-4000-8000-00000000000{number}",
            recorded_at=datetime.datetime(2025, 4 * number, 1, 9, tzinfo=datetime.timezone.utc),
            version="0.9.0",
            council=council,
            results=scaled(factor, few=number == 2),
            headlines=measurement.headlines,
            breakdowns=measurement.breakdowns,
        )
        for number, factor in ((1, 0.9), (2, 0.95))
    ]
    project, *_ = council.projects
    value, *_ = council.values
    log = [
        LogEntry(
            id="7a2b3c4d-0000-4000-8000-000000000001",
            date=datetime.date(2025, 5, 1),
            kind="decision",
            text=LONG_TEXT,
            author="Steering group",
            projects=[project.id],
        ),
        LogEntry(
            id="7a2b3c4d-0000-4000-8000-000000000002",
            date=datetime.date(2025, 9, 12),
            kind="lesson",
            text="Wellbeing rose where the timebank was busiest.",
            author="Asha Patel",
            measures=["wellbeing"],
        ),
        LogEntry(
            id="7a2b3c4d-0000-4000-8000-000000000003",
            date=datetime.date(2025, 10, 2),
            kind="story",
            text="A neighbour found a job through a timebank swap.",
            values=[value.id],
        ),
        LogEntry(
            id="7a2b3c4d-0000-4000-8000-000000000004",
            date=datetime.date(2025, 11, 3),
            kind="event",
            text="",
            projects=[project.id],
            erased_at=datetime.datetime(2026, 1, 5, tzinfo=datetime.timezone.utc),
        ),
    ]
    return runs, log
