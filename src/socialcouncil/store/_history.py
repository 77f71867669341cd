"""Trends: stored figures in order across runs and periods, with their changes."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from socialcouncil.store import HistoryPoint

if TYPE_CHECKING:
    import datetime
    from collections.abc import Iterable, Mapping

    from socialcouncil.measurement import Result
    from socialcouncil.model import Council

__all__ = ["Figure", "history_points", "points"]


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
    trends: dict[tuple[str, str, tuple[tuple[str, str], ...], bool], list[tuple[int, Figure]]] = {}
    for position, figure in enumerate(figures):
        key = (figure.measure, figure.indicator, figure.key, figure.period is not None)
        trends.setdefault(key, []).append((position, figure))
    measures = {m.id: m for m in council.measures}
    rank = {m.id: i for i, m in enumerate(council.measures)}
    unknown = len(rank)

    def trend_order(key: tuple[str, str, tuple[tuple[str, str], ...], bool]) -> tuple[object, ...]:
        return (rank.get(key[0], unknown), key[0], key[1], key[2], key[3])

    found: list[HistoryPoint] = []
    for key in sorted(trends, key=trend_order):
        measure_id, indicator, _, has_period = key
        ordered = [
            f
            for _, f in sorted(
                trends[key], key=lambda p: (p[1].period or "", p[1].recorded_at, p[1].run, p[0])
            )
        ]
        # Each period's (or, without periods, each run's) last figure is the one used.
        groups = [f.period if has_period else f.run for f in ordered]
        used = [i == len(ordered) - 1 or groups[i] != groups[i + 1] for i in range(len(ordered))]
        first = next(f.value for f, u in zip(ordered, used, strict=True) if u)
        measure = measures.get(measure_id)
        headline = headlines.get(measure_id) == indicator
        baseline = measure.baseline if measure is not None and headline else None
        for figure, is_used in zip(ordered, used, strict=True):
            since_first = figure.value - first
            since_baseline = None if baseline is None else figure.value - baseline
            good = None
            if headline and measure is not None:
                change = since_first if since_baseline is None else since_baseline
                if change != 0:
                    good = change > 0 if measure.direction == "higher" else change < 0
            found.append(
                HistoryPoint(
                    run=figure.run,
                    recorded_at=figure.recorded_at,
                    measure=measure_id,
                    indicator=indicator,
                    dimensions=figure.dimensions,
                    period=figure.period,
                    value=figure.value,
                    n=figure.n,
                    change_since_first=since_first,
                    change_since_baseline=since_baseline,
                    good=good,
                    superseded=not is_used,
                )
            )
    return tuple(found)
