"""Trends: stored figures in order across runs and periods, with their changes."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, NamedTuple

from socialcouncil.store import HistoryPoint

if TYPE_CHECKING:
    import datetime
    from collections.abc import Iterable, Mapping

    from socialcouncil.measurement import Result
    from socialcouncil.model import Council

__all__ = ["Figure", "Member", "TrendKey", "history_points", "points", "trend_points"]


class Figure(NamedTuple):
    """One stored figure, as the trends need it."""

    run: str
    recorded_at: datetime.datetime
    measure: str
    indicator: str
    dimensions: Mapping[str, str]
    """What it is broken down by, less its period."""
    key: tuple[tuple[str, str], ...]
    """The dimensions, sorted: what tells one trend from another."""
    period: str | None
    value: float
    n: int | None


# A figure in its trend, as a tuple that sorts without a key: by period (text, "" for none),
# time recorded, run, and the order given, which is unique, so nothing after it is compared;
# then its value, n, dimensions (less the period) and period.
Member = tuple[
    str, "datetime.datetime", str, int, float, "int | None", "Mapping[str, str]", "str | None"
]
TrendKey = tuple[str, str, tuple[tuple[str, str], ...], bool]
"""A trend: measure, indicator, sorted dimensions less the period, whether it has periods."""


def history_points(
    figures: Iterable[tuple[str, datetime.datetime, Result]],
    council: Council,
    headlines: Mapping[str, str],
) -> tuple[HistoryPoint, ...]:
    """Every figure in its trend, with its change since the first and since the baseline.

    A trend is one measure's indicator with one set of dimensions (less the period), either
    broken down by period or not. Points with a period run in order of period and, per
    period, of ``recorded_at``; where two runs cover one period, the later one's figure is
    the one the trend uses and the earlier is :attr:`~HistoryPoint.superseded`. Points
    without a period run one per run, in order of ``recorded_at``.

    Args:
        figures: each figure as (the run's id, when the run was recorded, the result);
            results without a measure are not in any trend.
        council: whose measures give the order of the trends, the baselines and the
            directions of good.
        headlines: the headline indicator of each measure, by measure id.

    Returns:
        The points, trend by trend: measures in the council's order (those it lacks after,
        by id), then by indicator, then by dimensions.

    >>> import datetime
    >>> from socialcouncil import Council, Measure, Result
    >>> council = Council(name="Anytown", measures=[Measure(
    ...     id="volunteers", name="Volunteers", model="observed", unit="people", baseline=40)])
    >>> day = datetime.datetime(2026, 4, 1, tzinfo=datetime.timezone.utc)
    >>> figures = [
    ...     ("run-1", day, Result("observed", "value", 42, {"period": "2025"},
    ...                           measure="volunteers")),
    ...     ("run-2", day.replace(month=5), Result("observed", "value", 45, {"period": "2025"},
    ...                                            measure="volunteers")),
    ...     ("run-2", day.replace(month=5), Result("observed", "value", 38, {"period": "2026"},
    ...                                            measure="volunteers"))]
    >>> for p in history_points(figures, council, {"volunteers": "value"}):
    ...     print(p.run, p.period, p.value, p.change_since_baseline, p.good, p.superseded)
    run-1 2025 42.0 2.0 True True
    run-2 2025 45.0 5.0 True False
    run-2 2026 38.0 -2.0 False False
    """
    found = []
    for run, recorded_at, result in figures:
        if result.measure is None:
            continue
        dimensions = {k: v for k, v in result.dimensions.items() if k != "period"}
        found.append(
            Figure(
                run,
                recorded_at,
                result.measure,
                result.indicator,
                dimensions,
                tuple(sorted(dimensions.items())),
                result.dimensions.get("period"),
                float(result.value),
                result.n,
            )
        )
    return points(found, council, headlines)


def points(
    figures: Iterable[Figure], council: Council, headlines: Mapping[str, str]
) -> tuple[HistoryPoint, ...]:
    """:func:`history_points` of figures already in the form the store reads them in."""
    trends: dict[TrendKey, list[Member]] = {}
    for position, figure in enumerate(figures):
        period = figure.period
        key = (figure.measure, figure.indicator, figure.key, period is not None)
        member = (
            period or "",
            figure.recorded_at,
            figure.run,
            position,
            figure.value,
            figure.n,
            figure.dimensions,
            period,
        )
        trend = trends.get(key)
        if trend is None:
            trends[key] = [member]
        else:
            trend.append(member)
    return trend_points(trends, council, headlines)


def _change(value: float, since: float) -> float:
    """*value* less *since*; no change where they differ only by floating-point rounding.

    Two runs over the same rows can sum in another order and differ in the last bits of a
    mean: that is no change, neither good nor bad.

    >>> _change(0.1 + 0.2, 0.3), _change(3.5, 3.0)
    (0.0, 0.5)
    """
    if math.isclose(value, since, rel_tol=1e-9, abs_tol=1e-12):
        return 0.0
    return value - since


def trend_points(
    trends: Mapping[TrendKey, list[Member]], council: Council, headlines: Mapping[str, str]
) -> tuple[HistoryPoint, ...]:
    """The points of *trends*, each trend's members sorted here, in place."""
    measures = {m.id: m for m in council.measures}
    rank = {m.id: i for i, m in enumerate(council.measures)}
    unknown = len(rank)

    def trend_order(key: TrendKey) -> tuple[object, ...]:
        return (rank.get(key[0], unknown), key[0], key[1], key[2], key[3])

    found: list[HistoryPoint] = []
    add = found.append
    for key in sorted(trends, key=trend_order):
        measure_id, indicator, _, has_period = key
        members = trends[key]
        members.sort()
        # Each period's (or, without periods, each run's) last figure is the one used.
        group = 0 if has_period else 2
        last = len(members) - 1
        used = [i == last or members[i][group] != members[i + 1][group] for i in range(last + 1)]
        first = members[used.index(True)][4]
        measure = measures.get(measure_id)
        judged = measure is not None and headlines.get(measure_id) == indicator
        baseline = measure.baseline if measure is not None and judged else None
        higher = measure is not None and measure.direction == "higher"
        for member, is_used in zip(members, used, strict=True):
            _, recorded_at, run, _, value, n, dimensions, period = member
            since_first = _change(value, first)
            since_baseline = None if baseline is None else _change(value, baseline)
            good = None
            if judged:
                change = since_first if since_baseline is None else since_baseline
                if change != 0:
                    good = change > 0 if higher else change < 0
            add(
                HistoryPoint(
                    run,
                    recorded_at,
                    measure_id,
                    indicator,
                    dimensions,
                    period,
                    value,
                    n,
                    since_first,
                    since_baseline,
                    good,
                    not is_used,
                )
            )
    return tuple(found)
