"""The built-in strategy-on-a-page exporter: the council's strategy on one A3 landscape page.

Solihull puts its strategy "on a page of A3". This exporter writes that page as one
self-contained HTML file: the council's purpose and vision, its values, its priorities each
with their outcomes and big moves, and the headline figure of each measure, as published (``[c]``
where a figure is suppressed). It has no scripts (a Content-Security-Policy forbids them), no
requests and nothing beside it; every text is escaped.

How it fits one page: printed, the page is A3 landscape (``@page { size: A3 landscape }``),
laid out in bands across the page's width (values and headline measures in as many columns as
fit, priorities as a grid of cards), and its type size is chosen by the exporter from the amount
of text it holds (:func:`print_scale`). A council about the size of the bundled examples prints
at about the full size (10 points); a larger one is printed smaller, in proportion to the
square root of how much more text it has (a page's area holds text in proportion to the square
of the type size), so it still fits one page. On a screen the same page reads at the screen's
own size, in one column on a phone.
"""

from __future__ import annotations

import functools
import math
from importlib import resources
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from socialcouncil.hookspecs import hookimpl

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from pathlib import Path

    from socialcouncil.exporters import ExportContext, Figure
    from socialcouncil.model import Council, Measure

__all__ = [
    "FULL_POINTS",
    "FULL_SIZE_TEXT",
    "ITEM_WEIGHT",
    "SMALLEST_POINTS",
    "StrategyOnAPageExporter",
    "print_scale",
    "register_exporters",
]

FULL_SIZE_TEXT = 6000
"""How much text (in characters, each item counted as :data:`ITEM_WEIGHT` more) is printed at
the full type size. Chosen by printing in Chromium: at this setting the bundled examples (about
4,600 and 6,800) and councils up to sixteen times Solihull's size each print on one A3 page,
with about a third of the page to spare."""

ITEM_WEIGHT = 60
"""What each heading or list item adds to the amount of text: the room its spacing takes."""

FULL_POINTS = 10.0
"""The printed type size, in points, of a council that fits at full size."""

SMALLEST_POINTS = 3.0
"""The smallest printed type size, in points. A council with so much text that it would need a
smaller one prints on more than one page rather than becoming unreadable."""


@attrs.frozen
class _Line:
    """A headline figure as the page shows it: what it is of, the figure, and its n."""

    label: str
    figure: str
    n: str


@attrs.frozen
class _Headline:
    name: str
    unit: str
    lines: tuple[_Line, ...]
    note: str


@attrs.frozen
class _Priority:
    name: str
    description: str
    outcomes: tuple[str, ...]
    big_moves: tuple[str, ...]


def _n(figure: Figure) -> str:
    """The figure's n, where it says more than the figure: not for a count of its own n."""
    if figure.suppressed is not None or figure.n is None:
        return ""
    if figure.kind == "count" and figure.value == figure.n:
        return ""
    return f"n = {figure.n:,}"


def _headline_figures(context: ExportContext, measure: Measure) -> tuple[tuple[Figure, ...], str]:
    """The measure's headline figures over everything, or else those of its latest period.

    The headline indicator is the measure's (or its model's); a measure tracked by hand has
    one indicator, which is its headline. A measure whose every headline figure has a period
    (one tracked by hand, or a model that follows periods itself) has its latest period's
    figures stand for it, and the note says which period.
    """
    mine = context.for_measure(measure.id)
    indicator = context.headlines.get(measure.id)
    if indicator is None:
        indicators = list(dict.fromkeys(f.indicator for f in mine))
        indicator = indicators[0] if len(indicators) == 1 else None
    other_keys = set(context.breakdowns.get(measure.id, ())) - {"period"}
    figures = [f for f in mine if f.indicator == indicator and not other_keys & set(f.dimensions)]
    overall = tuple(f for f in figures if "period" not in f.dimensions)
    if overall:
        return overall, ""
    periods = sorted({f.dimensions["period"] for f in figures})
    if not periods:
        return (), ""
    latest = periods[-1]
    return tuple(f for f in figures if f.dimensions["period"] == latest), latest


def _headline(context: ExportContext, measure: Measure) -> _Headline:
    # The report's own formatting, so that a figure reads the same on the page and in it.
    from socialcouncil.exporters.report.document import format_figure

    figures, period = _headline_figures(context, measure)
    lines = []
    for figure in figures:
        label = ", ".join(v for k, v in figure.dimensions.items() if k != "period")
        lines.append(_Line(label, format_figure(figure), _n(figure)))
    return _Headline(measure.name, measure.unit, tuple(lines), f"in {period}" if period else "")


def _priorities(council: Council) -> tuple[_Priority, ...]:
    thread = council.thread
    known = {p.id for p in thread.priorities}
    priorities = [
        _Priority(
            priority.name,
            priority.description or "",
            tuple(o.name for o in thread.outcomes if o.priority == priority.id),
            tuple(m.name for m in thread.big_moves if priority.id in m.priorities),
        )
        for priority in thread.priorities
    ]
    # Nothing is left off the page: what serves no known priority has a place of its own.
    stray_outcomes = tuple(o.name for o in thread.outcomes if o.priority not in known)
    stray_moves = tuple(m.name for m in thread.big_moves if not known & set(m.priorities))
    if stray_outcomes or stray_moves:
        name = "Not yet linked to a priority"
        priorities.append(_Priority(name, "", stray_outcomes, stray_moves))
    return tuple(priorities)


def _amount(texts: Iterable[str]) -> int:
    return sum(len(text) + ITEM_WEIGHT for text in texts if text)


def print_scale(texts: Sequence[str]) -> float:
    """The printed type size, in points, for a page holding *texts*.

    :data:`FULL_POINTS` while the amount of text is at most :data:`FULL_SIZE_TEXT`; beyond,
    smaller in proportion to the square root of the amount, down to :data:`SMALLEST_POINTS`.

    >>> from socialcouncil.exporters.strategy import FULL_SIZE_TEXT, ITEM_WEIGHT, print_scale
    >>> print_scale(["A short purpose."])
    10.0
    >>> print_scale(["x" * (4 * FULL_SIZE_TEXT - ITEM_WEIGHT)])
    5.0
    """
    amount = _amount(texts)
    if amount <= FULL_SIZE_TEXT:
        return FULL_POINTS
    return round(max(SMALLEST_POINTS, FULL_POINTS * math.sqrt(FULL_SIZE_TEXT / amount)), 2)


def _texts(
    council: Council, priorities: Sequence[_Priority], headlines: Sequence[_Headline]
) -> list[str]:
    texts = [council.name, council.thread.purpose or "", council.thread.vision or ""]
    for value in council.values:
        texts += [value.name, value.statement or ""]
    for priority in priorities:
        texts += [priority.name, priority.description, *priority.outcomes, *priority.big_moves]
    for headline in headlines:
        texts += [headline.name, headline.note]
        texts += [f"{line.label} {line.figure} {line.n}" for line in headline.lines]
    return texts


@functools.lru_cache(maxsize=1)
def _template() -> Any:
    # Jinja2 is imported only when a page is rendered, so `import socialcouncil` stays light.
    import jinja2

    environment = jinja2.Environment(
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    source = resources.files(__package__).joinpath("templates").joinpath("strategy-on-a-page.html")
    return environment.from_string(source.read_text(encoding="utf-8"))


class StrategyOnAPageExporter:
    """Write the council's strategy on a page: one A3 landscape page of HTML, for printing.

    The purpose and vision, the values with their statements, each priority with its outcomes
    and big moves, and each measure's headline figure with its n, after disclosure control.
    Printed from a browser, it fits one A3 landscape page: see :func:`print_scale` for how the
    type size is chosen.
    """

    name: ClassVar[str] = "strategy-on-a-page"
    description: ClassVar[str] = (
        "The strategy on one A3 landscape page: purpose, vision, values, priorities and "
        "headline measures, as HTML to print."
    )
    suffix: ClassVar[str] = ".html"

    def __init__(self, **options: str) -> None:
        if options:
            raise TypeError(
                f"the {self.name} exporter takes no options; found {', '.join(options)}"
            )

    def render(self, context: ExportContext) -> str:
        """The page as HTML text."""
        council = context.council
        priorities = _priorities(council)
        headlines = tuple(_headline(context, m) for m in council.measures)
        unmeasured = set(context.unmeasured)
        suppressed = any(f.suppressed is not None for f in context.figures)
        rounded = context.published and council.publishing.round_to is not None
        return str(
            _template().render(
                council=council,
                thread=council.thread,
                priorities=priorities,
                headlines=headlines,
                measured=[h for h in headlines if h.lines],
                unmeasured=[
                    h
                    for h, m in zip(headlines, council.measures, strict=True)
                    if m.id in unmeasured
                ],
                waiting=[
                    h
                    for h, m in zip(headlines, council.measures, strict=True)
                    if not h.lines and m.id not in unmeasured
                ],
                points=print_scale(_texts(council, priorities, headlines)),
                date=context.date.isoformat(),
                version=context.version,
                published=context.published,
                suppressed=suppressed,
                suppress_below=council.publishing.suppress_below,
                round_to=council.publishing.round_to if rounded else None,
            )
        )

    def export(self, context: ExportContext, destination: Path) -> None:
        """Write the page to *destination*, atomically."""
        from socialcouncil import files

        files.write_atomically(destination, self.render(context))


@hookimpl
def register_exporters() -> list[type[StrategyOnAPageExporter]]:
    """Register the strategy-on-a-page exporter."""
    return [StrategyOnAPageExporter]
