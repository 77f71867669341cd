"""The geometry of the report's charts, worked out in Python and drawn as inline SVG.

A chart is laid out here as plain numbers and texts (:class:`Drawing`); the HTML template
only places them, escaping every text. A suppressed figure gets no bar and no point, only its
label and ``[c]``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from socialcouncil.exporters.report.document import format_figure

if TYPE_CHECKING:
    from socialcouncil.exporters.sections import Chart

__all__ = ["Bar", "Drawing", "Point", "Tick", "axis_label", "draw"]

WIDTH = 640
"""The width of every chart's coordinate space; the page scales it to the column."""
BAR_ROW = 44  # a label above each bar, so that long labels fit on a phone
LINE_HEIGHT = 260
MARGIN = 48


@attrs.frozen
class Bar:
    """One bar: its label, its value as text, and where it is drawn (None where suppressed)."""

    label: str
    text: str
    y: float
    x: float | None = None
    width: float | None = None
    text_x: float = 0.0


@attrs.frozen
class Point:
    """One point of a line: its label, its value as text, and where (None where suppressed)."""

    label: str
    text: str
    x: float
    y: float | None = None


@attrs.frozen
class Tick:
    """A label along an axis, at a position."""

    text: str
    at: float


@attrs.frozen
class Drawing:
    """A chart laid out for SVG.

    Attributes:
        kind: ``"bar"`` or ``"line"``.
        width: the coordinate width.
        height: the coordinate height.
        bars: the bars of a bar chart.
        points: the points of a line chart.
        segments: the line's runs of consecutive published points, each as an SVG ``points``
            list, broken where a figure is suppressed.
        zero: where the value 0 falls (x for bars, y for lines).
        x_ticks: labels along the bottom of a line chart.
        y_ticks: labels up the side of a line chart.
    """

    kind: str
    width: int
    height: float
    bars: tuple[Bar, ...] = ()
    points: tuple[Point, ...] = ()
    segments: tuple[str, ...] = ()
    zero: float = 0.0
    x_ticks: tuple[Tick, ...] = ()
    y_ticks: tuple[Tick, ...] = ()


def _range(values: list[float]) -> tuple[float, float]:
    low, high = min([0.0, *values]), max([0.0, *values])
    if low == high:
        high = low + 1.0
    return low, high


def _bars(chart: Chart) -> Drawing:
    values = [f.value for f in chart.figures if f.value is not None]
    low, high = _range(values)
    left, right = 8.0, WIDTH - 96.0
    span = right - left

    def at(value: float) -> float:
        return left + (value - low) / (high - low) * span

    zero = at(0.0)
    bars = []
    for index, figure in enumerate(chart.figures):
        y = index * BAR_ROW
        label = figure.dimensions.get(chart.by, "all")
        text = format_figure(figure)
        if figure.value is None:
            bars.append(Bar(label=label, text=text, y=y, text_x=left))
            continue
        end = at(figure.value)
        x, width = min(zero, end), abs(end - zero)
        bars.append(
            Bar(label=label, text=text, y=y, x=x, width=max(width, 1.0), text_x=max(zero, end) + 6)
        )
    return Drawing(
        kind="bar", width=WIDTH, height=max(len(bars), 1) * BAR_ROW + 4, bars=tuple(bars), zero=zero
    )


def _line(chart: Chart) -> Drawing:
    values = [f.value for f in chart.figures if f.value is not None]
    low, high = _range(values)
    top, bottom = 16.0, LINE_HEIGHT - 40.0
    left, right = float(MARGIN + 16), WIDTH - 24.0
    count = len(chart.figures)

    def y_of(value: float) -> float:
        return bottom - (value - low) / (high - low) * (bottom - top)

    points = []
    for index, figure in enumerate(chart.figures):
        x = left + (index / (count - 1) * (right - left) if count > 1 else (right - left) / 2)
        label = figure.dimensions.get(chart.by, "")
        y = None if figure.value is None else y_of(figure.value)
        points.append(Point(label=label, text=format_figure(figure), x=x, y=y))
    segments: list[str] = []
    run: list[str] = []
    for point in points:
        if point.y is None:
            if len(run) > 1:
                segments.append(" ".join(run))
            run = []
            continue
        run.append(f"{point.x:.1f},{point.y:.1f}")
    if len(run) > 1:
        segments.append(" ".join(run))
    # About six labels along the bottom, always the first and the last.
    step = max(1, round(count / 6))
    ticks = [Tick(p.label, p.x) for i, p in enumerate(points) if i % step == 0 or i == count - 1]
    if len(ticks) > 1 and ticks[-1].at - ticks[-2].at < (right - left) / 12:
        del ticks[-2]
    y_ticks = tuple(Tick(axis_label(value), y_of(value)) for value in (low, high))
    return Drawing(
        kind="line",
        width=WIDTH,
        height=LINE_HEIGHT,
        points=tuple(points),
        segments=tuple(segments),
        zero=y_of(0.0),
        x_ticks=tuple(ticks),
        y_ticks=y_ticks,
    )


def axis_label(value: float) -> str:
    """A value as an axis labels it."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}"


def draw(chart: Chart) -> Drawing:
    """The layout of *chart*: bars for a ``"bar"`` chart, a line for a ``"line"`` one."""
    return _line(chart) if chart.kind == "line" else _bars(chart)
