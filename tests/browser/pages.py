"""The published pages the browser tests open, written once per test run."""

from __future__ import annotations

import datetime
import functools
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from socialcouncil import Council, Measurement
    from socialcouncil.plugins import Registry

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
