"""The council's report as a document: what it says, before it is rendered to HTML or Markdown.

:func:`build_report` turns an :class:`~socialcouncil.ExportContext` into a :class:`Report`: an
ordered tuple of :class:`Part` objects, each made of the blocks plugins use
(:class:`~socialcouncil.Heading`, :class:`~socialcouncil.Paragraph`,
:class:`~socialcouncil.FigureTable`, :class:`~socialcouncil.Chart`) and of the report's own
richer blocks: the golden thread as a tree (:class:`ThreadTree`), each project on its continuum
(:class:`ContinuumStrip`), each measure's results (:class:`MeasureResults`) and plain lists of
terms (:class:`Definitions`). Given the runs and the learning log of a history store, it also
holds each measure's trend across runs and periods, and each project's and measure's log
entries (:class:`LogLine`). Everything here is plain data; nothing is escaped or formatted
for a medium, so that both renderings say the same thing.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Mapping
from typing import TYPE_CHECKING, Literal, TypeAlias

import attrs

from socialcouncil.exporters import SUPPRESSED, ExportContext, Figure, Trend
from socialcouncil.exporters.sections import Block, Chart, FigureTable, Heading, Paragraph

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from socialcouncil.exporters import SourceRecord
    from socialcouncil.exporters.sections import Section
    from socialcouncil.model import Continuum, Council, Measure, Priority, Project
    from socialcouncil.store import LogEntry

__all__ = [
    "CalibrationEntry",
    "Content",
    "ContinuumStrip",
    "Definitions",
    "LevelMark",
    "LogLine",
    "MeasureResults",
    "OutcomeNode",
    "Part",
    "PriorityNode",
    "Report",
    "ThreadTree",
    "build_report",
    "calibrations_table",
    "describe_dimensions",
    "figures_table",
    "format_figure",
    "format_n",
    "format_number",
    "log_table",
    "trend_chart",
]

# -- formatting numbers, the same in every rendering ---------------------------------------------


def format_number(number: float, kind: str | None = None) -> str:
    """A number as the report prints it, the same in every rendering.

    Whole numbers have thousands separators, others two decimal places, percents one and a
    ``%``.

    >>> format_number(1234.0, "count"), format_number(62.456, "percent"), format_number(0.5)
    ('1,234', '62.5%', '0.50')
    """
    if kind == "percent":
        return f"{number:,.1f}%"
    if float(number).is_integer():
        return f"{int(number):,}"
    return f"{number:,.2f}"


def format_figure(figure: Figure) -> str:
    """The figure's value as published: ``[c]`` where it is suppressed."""
    if figure.value is None:
        return SUPPRESSED
    return format_number(figure.value, figure.kind)


def format_n(figure: Figure) -> str:
    """The figure's n as published: ``[c]`` where it is suppressed, ``""`` where unknown."""
    if figure.suppressed is not None:
        return SUPPRESSED
    return "" if figure.n is None else f"{figure.n:,}"


def describe_dimensions(dimensions: Mapping[str, str]) -> str:
    """What a figure is broken down by, in words; ``"all"`` for a total.

    >>> describe_dimensions({"ward": "Elmdon", "period": "2025"})
    'ward: Elmdon, period: 2025'
    """
    if not dimensions:
        return "all"
    return ", ".join(f"{key}: {value}" for key, value in dimensions.items())


# -- the report's own blocks ----------------------------------------------------------------------


@attrs.frozen
class Definitions:
    """A list of terms, each with what it means (the values, the design principles, ...).

    Attributes:
        items: each term and its description; the description may be empty.
        details: further text under a term, by the term's position, such as a value's
            teachable point of view.
    """

    items: tuple[tuple[str, str], ...]
    details: Mapping[int, str] = attrs.field(factory=dict, hash=False)


@attrs.frozen
class OutcomeNode:
    """A priority outcome in the thread, with the measures that serve it.

    Attributes:
        name: the outcome.
        measures: the names of the measures that give evidence for it.
        missing: the ids it lists that are no measure of the council.
    """

    name: str
    measures: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()


@attrs.frozen
class PriorityNode:
    """A priority in the thread, with its outcomes, the projects that serve it and its big moves.

    Attributes:
        name: the priority.
        description: more about it.
        outcomes: its priority outcomes.
        projects: the titles of the projects that serve it.
        big_moves: the names of the big moves that drive it forward.
    """

    name: str
    description: str | None
    outcomes: tuple[OutcomeNode, ...] = ()
    projects: tuple[str, ...] = ()
    big_moves: tuple[str, ...] = ()


@attrs.frozen
class ThreadTree:
    """The golden thread as a tree: purpose, vision, priorities, their outcomes and measures.

    Attributes:
        purpose: why the council exists, or None where the thread does not say.
        vision: its ambition, or None.
        priorities: the priorities, each with what hangs from it.
        gaps: where the thread is broken, each in a sentence: a priority with no outcome, an
            outcome no measure serves, a project linked to nothing, and so on.
    """

    purpose: str | None
    vision: str | None
    priorities: tuple[PriorityNode, ...] = ()
    gaps: tuple[str, ...] = ()


LevelState = Literal["current", "target", "current-target", "other"]
"""How a level is marked on a project's strip."""


@attrs.frozen
class LevelMark:
    """One level on a project's strip.

    Attributes:
        label: the level's label.
        state: whether the project stands there (``"current"``), aims for it
            (``"target"``), both (``"current-target"``), or neither (``"other"``).
        reached: whether the project has ever been calibrated at this level.
    """

    label: str
    state: LevelState = "other"
    reached: bool = False


@attrs.frozen
class CalibrationEntry:
    """One calibration in a project's history, as the report lists it.

    Attributes:
        date: the day it was made.
        level: the label of its level.
        assessor: who made it.
        evidence: what it rests on.
        confidence: how sure the assessor was.
    """

    date: datetime.date
    level: str
    assessor: str | None = None
    evidence: str | None = None
    confidence: str | None = None


@attrs.frozen
class LogLine:
    """One entry of the learning log, as the report lists it.

    Attributes:
        date: the day it is about.
        kind: ``"decision"``, ``"lesson"``, ``"story"`` or ``"event"``.
        text: what was decided, learnt, told or happened.
        author: who wrote it, where given.
        about: what it is linked to, in words (the projects, values, measures and big moves by
            name); empty where it is linked to nothing.
        corrects: the date of the entry it corrects, for a correction of one the report shows;
            ``"an earlier entry"`` for one it does not.
        corrected: the date of the entry that corrects it, where one does.
    """

    date: datetime.date
    kind: str
    text: str
    author: str | None = None
    about: str = ""
    corrects: str | None = None
    corrected: str | None = None

    @property
    def entry(self) -> str:
        """The entry's text, with what corrects what.

        >>> import datetime
        >>> from socialcouncil.exporters.report import LogLine
        >>> LogLine(datetime.date(2026, 6, 1), "decision", "Open on Saturdays",
        ...         corrects="2026-05-01").entry
        'Correction of the entry of 2026-05-01: Open on Saturdays'
        """
        text = self.text
        if self.corrects is not None:
            what = self.corrects if self.corrects[:1].isdigit() else None
            text = (f"Correction of the entry of {what}: " if what else "Correction: ") + text
        if self.corrected is not None:
            text += f" (corrected by the entry of {self.corrected})"
        return text


@attrs.frozen
class ContinuumStrip:
    """A project on its continuum: the levels in order, where it stands, its target, its history.

    Attributes:
        title: the project's title.
        status: where it is in its life.
        summary: what it is.
        continuum: the continuum's name, or None where the project names none or it is unknown.
        levels: the continuum's levels, marked.
        current: the label and date of where it stands, in words.
        target: the label of its target level.
        movement: its movement since its first calibration, in words.
        calibrations: its calibrations, oldest first.
        note: why it cannot be shown on a strip, where it cannot.
        log: the learning log's entries about it, by date.
    """

    title: str
    status: str
    summary: str | None = None
    continuum: str | None = None
    levels: tuple[LevelMark, ...] = ()
    current: str | None = None
    target: str | None = None
    movement: str | None = None
    calibrations: tuple[CalibrationEntry, ...] = ()
    note: str | None = None
    log: tuple[LogLine, ...] = ()


@attrs.frozen
class MeasureResults:
    """One measure and its results, as the report shows them.

    Attributes:
        id: the measure's id, for the page's anchors.
        name: what it measures.
        unit: its unit.
        direction: which way is better, in words.
        description: how it is defined.
        headline: the headline figure, or None where there is none.
        headline_indicator: the indicator that stands for the measure.
        baseline: its baseline, as written.
        target: its target, as written.
        charts: its breakdowns (bars) and periods (lines).
        others: its other totals, one row each.
        quality: the data quality, in a sentence.
        log: the learning log's entries about it, by date.
    """

    id: str
    name: str
    unit: str
    direction: str
    description: str | None = None
    headline: Figure | None = None
    headline_indicator: str | None = None
    baseline: str | None = None
    target: str | None = None
    charts: tuple[Chart, ...] = ()
    others: FigureTable | None = None
    quality: str = ""
    log: tuple[LogLine, ...] = ()


Content: TypeAlias = Block | Definitions | ThreadTree | ContinuumStrip | MeasureResults
"""One block of a report part: a plugin's block, or one of the report's own."""


@attrs.frozen
class Part:
    """One part of the report, under its own heading.

    Attributes:
        id: unique in the report; the page's anchor for it.
        title: its heading.
        blocks: what it holds, in order.
        plugin: the plugin that added it, for a plugin's section; None for the core's parts.
        failure: why a plugin's section could not be built; the report says so in its place.
    """

    id: str
    title: str
    blocks: tuple[Content, ...] = ()
    plugin: str | None = None
    failure: str | None = None


@attrs.frozen
class Report:
    """The council's report, ready to render.

    Attributes:
        title: the report's title.
        council: the council's name.
        gss_code: its GSS code, where it has one.
        date: the date it shows.
        version: the socialcouncil version that wrote it.
        published: whether its figures went through disclosure control.
        parts: what it holds, in order.
    """

    title: str
    council: str
    gss_code: str | None
    date: datetime.date
    version: str
    published: bool
    parts: tuple[Part, ...]


def figures_table(chart: Chart) -> FigureTable:
    """The text alternative of *chart*: its figures, one row each, with their n."""
    return FigureTable(
        caption=f"The figures of the chart: {chart.title}",
        columns=(chart.by, "Value", "n"),
        rows=[
            (f.dimensions.get(chart.by, describe_dimensions(f.dimensions)), f, format_n(f))
            for f in chart.figures
        ],
    )


def calibrations_table(strip: ContinuumStrip) -> FigureTable:
    """A project's calibrations as a table, oldest first."""
    return FigureTable(
        caption=f"Calibrations of {strip.title}",
        columns=("Date", "Level", "Assessor", "Confidence", "Evidence"),
        rows=[
            (c.date.isoformat(), c.level, c.assessor or "", c.confidence or "", c.evidence or "")
            for c in strip.calibrations
        ],
    )


def log_table(caption: str, lines: Sequence[LogLine], *, about: bool = False) -> FigureTable:
    """Entries of the learning log as a table, by date; with *about*, what each is about."""
    columns = ("Date", "Kind", "Author", "Entry", *(("About",) if about else ()))
    return FigureTable(
        caption=caption,
        columns=columns,
        rows=[
            (
                line.date.isoformat(),
                line.kind,
                line.author or "",
                line.entry,
                *((line.about,) if about else ()),
            )
            for line in lines
        ],
    )


# -- building -------------------------------------------------------------------------------------


def _written(number: float | None) -> str | None:
    if number is None:
        return None
    return format_number(number)


def _overview(council: Council) -> Part:
    blocks: list[Content] = []
    if council.gss_code:
        blocks.append(Paragraph(f"ONS GSS code: {council.gss_code}."))
    if council.steering_group:
        blocks.append(Paragraph(f"Steering group: {council.steering_group}."))
    if council.values:
        blocks.append(Heading("Values"))
        blocks.append(
            Definitions(
                items=tuple((value.name, value.statement or "") for value in council.values),
                details={
                    index: value.teachable_point_of_view
                    for index, value in enumerate(council.values)
                    if value.teachable_point_of_view
                },
            )
        )
    else:
        blocks.append(Paragraph("The council has not set out its values yet."))
    return Part(id="council", title="The council and its values", blocks=tuple(blocks))


def _gaps(council: Council) -> list[str]:
    """Where the golden thread is broken, each in a sentence, in the thread's order."""
    thread = council.thread
    measures = {measure.id for measure in council.measures}
    priority_ids = {priority.id for priority in thread.priorities}
    gaps: list[str] = []
    if not thread.purpose:
        gaps.append("The thread states no purpose.")
    if not thread.vision:
        gaps.append("The thread states no vision.")
    if not thread.priorities:
        gaps.append("The thread names no priorities.")
    for priority in thread.priorities:
        if not any(outcome.priority == priority.id for outcome in thread.outcomes):
            gaps.append(f"The priority {priority.name!r} has no outcome.")
        if not any(priority.id in project.priorities for project in council.projects):
            gaps.append(f"No project serves the priority {priority.name!r}.")
    for outcome in thread.outcomes:
        if outcome.priority not in priority_ids:
            gaps.append(f"The outcome {outcome.name!r} belongs to no priority of the thread.")
        if not outcome.measures:
            gaps.append(f"No measure serves the outcome {outcome.name!r}.")
        gaps += [
            f"The outcome {outcome.name!r} lists {m!r}, which is no measure."
            for m in outcome.measures
            if m not in measures
        ]
    served = {m for outcome in thread.outcomes for m in outcome.measures}
    gaps += [
        f"The measure {measure.name!r} serves no outcome."
        for measure in council.measures
        if measure.id not in served and not measure.outcomes
    ]
    gaps += [
        f"The big move {move.name!r} drives no priority."
        for move in thread.big_moves
        if not move.priorities
    ]
    gaps += [
        f"The project {project.title!r} is linked to no priority or big move."
        for project in council.projects
        if not project.priorities and not project.big_moves
    ]
    return gaps


def _priority(council: Council, priority: Priority) -> PriorityNode:
    thread = council.thread
    measures = {measure.id: measure.name for measure in council.measures}
    outcomes = tuple(
        OutcomeNode(
            name=outcome.name,
            measures=tuple(measures[m] for m in outcome.measures if m in measures),
            missing=tuple(m for m in outcome.measures if m not in measures),
        )
        for outcome in thread.outcomes
        if outcome.priority == priority.id
    )
    return PriorityNode(
        name=priority.name,
        description=priority.description,
        outcomes=outcomes,
        projects=tuple(p.title for p in council.projects if priority.id in p.priorities),
        big_moves=tuple(m.name for m in thread.big_moves if priority.id in m.priorities),
    )


def _thread(council: Council) -> Part:
    thread = council.thread
    tree = ThreadTree(
        purpose=thread.purpose,
        vision=thread.vision,
        priorities=tuple(_priority(council, priority) for priority in thread.priorities),
        gaps=tuple(_gaps(council)),
    )
    blocks: list[Content] = [tree]
    if thread.big_moves:
        blocks.append(Heading("Big moves"))
        blocks.append(
            Definitions(items=tuple((m.name, m.description or "") for m in thread.big_moves))
        )
    if thread.design_principles:
        blocks.append(Heading("Design principles"))
        blocks.append(Definitions(items=tuple((p.statement, "") for p in thread.design_principles)))
    return Part(id="golden-thread", title="The golden thread", blocks=tuple(blocks))


def _movement(project: Project, continuum: Continuum, labels: Mapping[str, str]) -> str | None:
    """The project's movement since its first calibration, in words; None with only one."""
    found = project.movement(continuum)
    if found is None or len(project.calibrations) < 2:
        return None
    start = f"{labels[found.start.level]} ({found.start.date})"
    end = f"{labels[found.end.level]} ({found.end.date})"
    if found.levels == 0:
        return f"No movement: at {end}, as at {start}."
    way = "Up" if found.levels > 0 else "Down"
    steps = abs(found.levels)
    return f"{way} {steps} level{'s' if steps != 1 else ''}, from {start} to {end}."


def _strip(project: Project, continua: Mapping[str, Continuum]) -> ContinuumStrip:
    base = ContinuumStrip(title=project.title, status=project.status, summary=project.summary)
    if project.continuum is None:
        return attrs.evolve(base, note="Not placed on a continuum.")
    continuum = continua.get(project.continuum)
    if continuum is None:
        unknown_note = f"Placed on {project.continuum!r}, which is not a known continuum."
        return attrs.evolve(base, note=unknown_note)
    labels = {level.id: level.label for level in continuum.levels}
    history = sorted(project.calibrations, key=lambda c: c.date)
    unknown = [c.level for c in history if c.level not in labels]
    current = project.current
    target = project.target_level if project.target_level in labels else None
    reached = {c.level for c in history}
    marks = []
    for level in continuum.levels:
        here = current is not None and level.id == current.level
        aim = level.id == target
        state: LevelState = "other"
        if here:
            state = "current-target" if aim else "current"
        elif aim:
            state = "target"
        marks.append(LevelMark(label=level.label, state=state, reached=level.id in reached))
    movement: str | None = None
    note: str | None = None
    if unknown:
        note = f"Calibrated at {', '.join(map(repr, unknown))}, not a level of {continuum.name!r}."
    elif current is not None:
        movement = _movement(project, continuum, labels)
    return attrs.evolve(
        base,
        continuum=continuum.name,
        levels=tuple(marks),
        current=(
            f"{labels.get(current.level, current.level)} ({current.date})"
            if current is not None
            else "Not yet calibrated."
        ),
        target=labels[target] if target is not None else None,
        movement=movement,
        calibrations=tuple(
            CalibrationEntry(
                date=c.date,
                level=labels.get(c.level, c.level),
                assessor=c.assessor,
                evidence=c.evidence,
                confidence=c.confidence,
            )
            for c in history
        ),
        note=note,
    )


def _projects(
    context: ExportContext, continua: Mapping[str, Continuum], lines: Mapping[str, LogLine]
) -> Part:
    blocks: list[Content] = [
        attrs.evolve(
            _strip(project, continua),
            log=tuple(lines[e.id] for e in context.log_of(project=project.id)),
        )
        for project in context.council.projects
    ]
    if not blocks:
        blocks.append(Paragraph("The council has no projects yet."))
    return Part(id="projects", title="Projects on their continua", blocks=tuple(blocks))


def _charts(measure: Measure, figures: Sequence[Figure], headline: str | None) -> list[Chart]:
    """Bars for each breakdown, a line for each run of periods, headline indicator first."""
    groups: dict[tuple[str, tuple[str, ...]], list[Figure]] = defaultdict(list)
    for figure in figures:
        if figure.dimensions:
            groups[figure.indicator, tuple(figure.dimensions)].append(figure)
    order = sorted(groups, key=lambda key: (key[0] != headline, list(groups).index(key)))
    charts = []
    for indicator, keys in order:
        # The figures run along one key (the period where there is one, else the last), and
        # the other keys' values make one chart each.
        by = "period" if "period" in keys else keys[-1]
        fixed = [key for key in keys if key != by]
        split: dict[tuple[str, ...], list[Figure]] = defaultdict(list)
        for figure in groups[indicator, keys]:
            split[tuple(figure.dimensions[key] for key in fixed)].append(figure)
        for values, members in split.items():
            where = ", ".join(f"{key} {value}" for key, value in zip(fixed, values, strict=True))
            title = f"{measure.name}: {indicator} by {by}" + (f", {where}" if where else "")
            kind: Literal["bar", "line"] = "line" if by == "period" else "bar"
            described = "over time" if kind == "line" else f"for each {by}"
            charts.append(
                Chart(
                    title=title,
                    figures=tuple(members),
                    by=by,
                    kind=kind,
                    description=f"{indicator} {described}; the figures are in the table below.",
                )
            )
    return charts


def _headline(figures: Sequence[Figure], indicator: str | None) -> tuple[Figure | None, str | None]:
    if not figures:
        return None, indicator
    wanted = indicator or figures[0].indicator
    totals = [f for f in figures if f.indicator == wanted and not f.dimensions]
    if totals:
        return totals[0], wanted
    # A measure broken down only by period has no total: its latest period stands for it.
    periods = [f for f in figures if f.indicator == wanted and tuple(f.dimensions) == ("period",)]
    if periods:
        return max(periods, key=lambda f: f.dimensions["period"]), wanted
    return None, wanted


def _measure(
    context: ExportContext, measure: Measure, lines: Mapping[str, LogLine]
) -> MeasureResults:
    figures = context.for_measure(measure.id)
    headline, indicator = _headline(figures, context.headlines.get(measure.id, measure.headline))
    others = [
        f for f in figures if not f.dimensions and f is not headline and f.indicator != indicator
    ]
    left_out = context.left_out.get(measure.id, 0)
    if measure.id in context.unmeasured:
        quality = "Not measured: a problem with its data or its model stopped it (see the log)."
    elif not figures:
        quality = "No figures yet."
    elif left_out is None:
        fewer = context.council.publishing.suppress_below
        quality = f"Fewer than {fewer} rows of its data left out as invalid."
    elif left_out:
        rows = "row" if left_out == 1 else "rows"
        quality = f"{left_out:,} {rows} of its data left out as invalid."
    else:
        quality = "No rows of its data were left out."
    return MeasureResults(
        id=measure.id,
        name=measure.name,
        unit=measure.unit,
        direction=f"{measure.direction} is better",
        description=measure.description,
        headline=headline,
        headline_indicator=indicator,
        baseline=_written(measure.baseline),
        target=_written(measure.target),
        charts=tuple(_charts(measure, figures, indicator)),
        others=(
            FigureTable(
                caption=f"{measure.name}: other figures",
                columns=("Indicator", "Value", "n"),
                rows=[(f.indicator, f, format_n(f)) for f in others],
            )
            if others
            else None
        ),
        quality=quality,
        log=tuple(lines[e.id] for e in context.log_of(measure=measure.id)),
    )


def _measures(context: ExportContext, lines: Mapping[str, LogLine]) -> Part:
    blocks: list[Content] = [_measure(context, m, lines) for m in context.council.measures]
    if not blocks:
        blocks.append(Paragraph("The council tracks no measures yet."))
    return Part(id="measures", title="Measures and results", blocks=tuple(blocks))


def _about(council: Council, entry: LogEntry) -> str:
    """What *entry* is linked to, in words, each by its name in the model where it has one."""
    named = {
        "project": {p.id: p.title for p in council.projects},
        "value": {v.id: v.name for v in council.values},
        "measure": {m.id: m.name for m in council.measures},
        "big move": {b.id: b.name for b in council.thread.big_moves},
    }
    links = zip(named, (entry.projects, entry.values, entry.measures, entry.big_moves), strict=True)
    return "; ".join(
        f"{kind}: {named[kind].get(link, link)}" for kind, ids in links for link in ids
    )


def _log_lines(context: ExportContext) -> dict[str, LogLine]:
    """Each entry of the context's log as the report lists it, by the entry's id."""
    by_id = {entry.id: entry for entry in context.log}
    corrected: dict[str, str] = {}
    for entry in context.log:
        if entry.corrects is not None:
            corrected[entry.corrects] = entry.date.isoformat()
    lines = {}
    for entry in context.log:
        corrects = None
        if entry.corrects is not None:
            found = by_id.get(entry.corrects)
            corrects = found.date.isoformat() if found is not None else "an earlier entry"
        lines[entry.id] = LogLine(
            date=entry.date,
            kind=entry.kind,
            text=entry.text,
            author=entry.author,
            about=_about(context.council, entry),
            corrects=corrects,
            corrected=corrected.get(entry.id),
        )
    return lines


def _learning_log(context: ExportContext, lines: Mapping[str, LogLine]) -> Part:
    council = context.council
    projects = {project.id for project in council.projects}
    measures = {measure.id for measure in council.measures}
    rest = [
        lines[entry.id]
        for entry in context.log
        if not (projects & set(entry.projects) or measures & set(entry.measures))
    ]
    blocks: list[Content] = [
        Paragraph(
            "Decisions, lessons, stories and events from the council's learning log. An entry "
            "about a project or a measure is shown with it, above; these are the others. An "
            "entry whose text was erased under the right to erasure is not shown."
        )
    ]
    if rest:
        blocks.append(log_table("The learning log's other entries", rest, about=True))
    else:
        blocks.append(Paragraph("Every entry is shown with the project or measure it is about."))
    return Part(id="learning-log", title="The learning log", blocks=tuple(blocks))


def _when(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M")


def _labels(trend: Trend, today: datetime.date) -> list[str]:
    """Each point's label along the chart.

    That is its period, or the day its run was recorded (with the time where two runs share a
    day), or the report's date for the report's own measurement.
    """
    if trend.periodic:
        return [point.period or "" for point in trend.used]
    days = Counter(p.recorded_at.date() for p in trend.used if p.recorded_at is not None)
    labels = []
    for point in trend.used:
        if point.recorded_at is None:
            labels.append(today.isoformat())
        elif days[point.recorded_at.date()] > 1:
            labels.append(_when(point.recorded_at))
        else:
            labels.append(point.recorded_at.date().isoformat())
    return labels


TREND_BY = ("period", "recorded")
"""The label of a trend chart's points: ``"period"``, or ``"recorded"`` for one point per run."""


def trend_chart(measure: Measure, trend: Trend, today: datetime.date) -> Chart:
    """The line chart of *trend*, one point for each figure it uses; a suppressed one a gap."""
    by = TREND_BY[0] if trend.periodic else TREND_BY[1]
    labels = _labels(trend, today)
    where = f", {describe_dimensions(trend.dimensions)}" if trend.dimensions else ""
    across = "by period, across runs" if trend.periodic else "in each run"
    which = (
        "for each period, from the latest run that covers it"
        if trend.periodic
        else "in each recorded run, in order"
    )
    return Chart(
        title=f"{measure.name}: {trend.indicator}{where} {across}",
        figures=tuple(
            attrs.evolve(point.figure, dimensions={by: label})
            for point, label in zip(trend.used, labels, strict=True)
        ),
        by=by,
        kind="line",
        description=f"The {trend.indicator} {which}; a suppressed figure is a gap, shown "
        f"{SUPPRESSED}. The figures are in the table below.",
    )


def _measure_trends(context: ExportContext, measure: Measure) -> list[Content]:
    shown = [trend for trend in context.trends_of(measure.id) if trend.headline and trend.used]
    if not shown:
        return []
    blocks: list[Content] = [Heading(measure.name)]
    for trend in shown:
        chart = trend_chart(measure, trend, context.date)
        if len(chart.figures) > 1:
            blocks.append(chart)
            continue
        (only,) = chart.figures
        blocks.append(
            Paragraph(
                f"{chart.title}: one figure so far, {format_figure(only)} "
                f"({only.dimensions[chart.by]}); a trend starts with a second."
            )
        )
    return blocks


def _trends(context: ExportContext) -> Part:
    unrecorded = any(p.run is None for trend in context.trends for p in trend.points)
    rule = context.council.publishing.suppress_below
    blocks: list[Content] = [
        Paragraph(
            "Each measure's headline figure across the runs recorded in the council's history "
            "store, under today's rules for publishing: a figure that stands on fewer than "
            f"{rule} people, or would let one be worked out, is a gap, shown {SUPPRESSED}. "
            "Where two runs cover one period, the later run's figure is shown, and the "
            "earlier one is not published: the two differ by the people added between them, "
            "who may be too few."
        )
    ]
    if unrecorded:
        blocks.append(
            Paragraph(
                "This report's own measurement is not recorded in the store: it counts as the "
                f"latest run, dated {context.date.isoformat()}, and for each period it covers "
                "its figure is the one shown."
            )
        )
    without = []
    for measure in context.council.measures:
        found = _measure_trends(context, measure)
        blocks += found
        if not found:
            without.append(measure.name)
    if without:
        names = "; ".join(without)
        blocks.append(Paragraph(f"No run holds a headline figure of these measures: {names}."))
    elif not context.council.measures:
        blocks.append(Paragraph("The council tracks no measures yet."))
    blocks.append(
        FigureTable(
            caption="The runs the trends come from",
            columns=("Recorded (UTC)", "socialcouncil", "Run"),
            rows=[(_when(run.recorded_at), run.version, run.id) for run in context.runs],
        )
    )
    return Part(id="trends", title="Trends across runs", blocks=tuple(blocks))


def _continuum_name(continua: Mapping[str, Continuum], continuum_id: str) -> str:
    found = continua.get(continuum_id)
    return found.name if found is not None else continuum_id


def _labelled(figures: Iterable[Figure], continuum: Continuum | None) -> tuple[Figure, ...]:
    """The figures with each level named by its label, as the strips name them."""
    if continuum is None:
        return tuple(figures)
    labels = {level.id: level.label for level in continuum.levels}
    return tuple(
        attrs.evolve(
            f,
            dimensions={
                **f.dimensions,
                "level": labels.get(f.dimensions["level"], f.dimensions["level"]),
            },
        )
        if "level" in f.dimensions
        else f
        for f in figures
    )


def _trajectory_from_figures(
    context: ExportContext, continua: Mapping[str, Continuum]
) -> list[Chart]:
    charts: list[Chart] = []
    for measure in context.council.measures:
        if measure.model != "coproduction-trajectory":
            continue
        by_continuum: dict[str, list[Figure]] = defaultdict(list)
        for figure in context.for_measure(measure.id):
            if figure.indicator == "mean-position" and "period" in figure.dimensions:
                by_continuum[figure.dimensions.get("continuum", "")].append(figure)
        for continuum, members in by_continuum.items():
            charts.append(
                Chart(
                    title="Mean position of the projects on "
                    + (_continuum_name(continua, continuum) if continuum else "their continuum"),
                    figures=tuple(members),
                    by="period",
                    kind="line",
                    description="From 0 (the first level) to 1 (the last), period by period.",
                )
            )
    return charts


def _profile_from_figures(context: ExportContext, continua: Mapping[str, Continuum]) -> list[Chart]:
    charts: list[Chart] = []
    values = {value.id: value.name for value in context.council.values}
    for measure in context.council.measures:
        if measure.model != "calibration-profile":
            continue
        split: dict[tuple[str, str], list[Figure]] = defaultdict(list)
        for figure in context.for_measure(measure.id):
            if figure.indicator == "projects-by-value":
                key = (figure.dimensions.get("council-value", ""), figure.dimensions["continuum"])
                split[key].append(figure)
        for (value, continuum), members in split.items():
            charts.append(
                Chart(
                    title=f"{values.get(value, value)}: projects at each level of "
                    + _continuum_name(continua, continuum),
                    figures=_labelled(members, continua.get(continuum)),
                    by="level",
                    kind="bar",
                    description="How many of the projects pursuing this value stand at each level.",
                )
            )
    return charts


def _year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


def _trajectory_from_calibrations(
    council: Council, continua: Mapping[str, Continuum]
) -> list[Chart]:
    """Year by year, the mean position of the projects' calibrations in force on 31 December."""
    charts: list[Chart] = []
    on: dict[str, list[Project]] = defaultdict(list)
    for project in council.projects:
        if project.continuum is not None and project.continuum in continua and project.calibrations:
            on[project.continuum].append(project)
    for continuum_id, projects in on.items():
        continuum = continua[continuum_id]
        where = {level: continuum.position(level) for level in continuum.level_ids}
        years = sorted({c.date.year for p in projects for c in p.calibrations})
        figures = []
        for year in range(years[0], years[-1] + 1):
            positions = []
            for project in projects:
                found = project.calibration_on(_year_end(year))
                if found is not None and found.level in where:
                    positions.append(where[found.level])
            if positions:
                figures.append(
                    Figure(
                        measure=None,
                        model="coproduction-trajectory",
                        indicator="mean-position",
                        value=sum(positions) / len(positions),
                        n=len(positions),
                        dimensions={"continuum": continuum_id, "period": str(year)},
                        kind="mean",
                    )
                )
        charts.append(
            Chart(
                title=f"Mean position of the projects on {continuum.name}",
                figures=tuple(figures),
                by="period",
                kind="line",
                description="From 0 (the first level) to 1 (the last), year by year, from the "
                "projects' calibrations in force at the end of each year.",
            )
        )
    return charts


def _profile_from_calibrations(council: Council, continua: Mapping[str, Continuum]) -> list[Chart]:
    """For each value, how many of the projects pursuing it stand at each level now."""
    charts: list[Chart] = []
    for value in council.values:
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for project in council.projects:
            current = project.current
            if value.id in project.values and current is not None and project.continuum:
                counts[project.continuum][current.level] += 1
        for continuum_id, counted in counts.items():
            continuum = continua.get(continuum_id)
            levels = continuum.level_ids if continuum is not None else tuple(counted)
            figures = tuple(
                Figure(
                    measure=None,
                    model="calibration-profile",
                    indicator="projects-by-value",
                    value=float(counted[level]),
                    n=counted[level],
                    dimensions={
                        "council-value": value.id,
                        "continuum": continuum_id,
                        "level": level,
                    },
                    kind="count",
                )
                for level in levels
            )
            name = continuum.name if continuum is not None else continuum_id
            charts.append(
                Chart(
                    title=f"{value.name}: projects at each level of {name}",
                    figures=_labelled(figures, continuum),
                    by="level",
                    kind="bar",
                    description="How many of the projects pursuing this value stand at each level.",
                )
            )
    return charts


def _coproduction(context: ExportContext, continua: Mapping[str, Continuum]) -> Part:
    council = context.council
    trajectory = _trajectory_from_figures(context, continua)
    profile = _profile_from_figures(context, continua)
    blocks: list[Content] = []
    if not trajectory and not profile:
        blocks.append(
            Paragraph(
                "Worked out here from the projects' calibrations, as the council's measures "
                "do not include the coproduction-trajectory and calibration-profile models."
            )
        )
        trajectory = _trajectory_from_calibrations(council, continua)
        profile = _profile_from_calibrations(council, continua)
    blocks.append(Heading("Co-production trajectory"))
    blocks.extend(trajectory or [Paragraph("No project has been calibrated yet.")])
    blocks.append(Heading("Calibration profile per value"))
    blocks.extend(profile or [Paragraph("No project pursuing a value has been calibrated yet.")])
    return Part(id="coproduction", title="Co-production over time", blocks=tuple(blocks))


def _reason(figure: Figure, threshold: int) -> str:
    if figure.suppressed == "primary":
        return f"Stands on fewer than {threshold} people."
    return "Could be worked out from a published total and the figures beside it."


def _suppressed(context: ExportContext) -> Part:
    council = context.council
    threshold = council.publishing.suppress_below
    names = {measure.id: measure.name for measure in council.measures}
    hidden = [f for f in context.figures if f.suppressed is not None]
    blocks: list[Content] = []
    if not context.published:
        blocks.append(
            Paragraph(
                "These figures are as measured, with no disclosure control: for use inside the "
                "council only, not for publishing."
            )
        )
    else:
        rounding = council.publishing.round_to
        rule = (
            f"A figure that stands on fewer than {threshold} people is shown as {SUPPRESSED}, "
            "and so is any figure that would let one be worked out by subtraction."
        )
        if rounding:
            rule += f" Counts of people are rounded to the nearest {rounding}."
        blocks.append(Paragraph(rule))
    if hidden:
        blocks.append(
            FigureTable(
                caption="Figures suppressed, and why",
                columns=("Measure", "Indicator", "Breakdown", "Why"),
                rows=[
                    (
                        names.get(f.measure or "", f.measure or ""),
                        f.indicator,
                        describe_dimensions(f.dimensions),
                        _reason(f, threshold),
                    )
                    for f in hidden
                ],
            )
        )
    elif context.published:
        blocks.append(Paragraph("No figure needed to be suppressed."))
    stored = sum(
        1
        for trend in context.trends
        for point in trend.used
        if point.run is not None and point.figure.suppressed is not None
    )
    if stored:
        figures = "figure" if stored == 1 else "figures"
        blocks.append(
            Paragraph(
                f"The trends hold {stored:,} stored {figures} suppressed by the same rule "
                "or, in a trend of one figure per run, because its people differ from those "
                "of another run's published figure by more than none and fewer than "
                f"{threshold}, each shown as {SUPPRESSED} in "
                "its place."
            )
        )
    return Part(id="suppressed", title="Figures not published", blocks=tuple(blocks))


def _count(count: int | None, *, published: bool) -> str:
    """A count of rows: ``[c]`` where published output suppressed it, empty where unknown."""
    if count is None:
        return SUPPRESSED if published else ""
    return f"{count:,}"


def _sources(context: ExportContext, sources: Iterable[SourceRecord]) -> Part:
    rows = [
        (
            s.id,
            s.type,
            s.location,
            s.fingerprint or "not a file",
            _count(s.rows, published=context.published),
            _count(s.left_out, published=context.published),
        )
        for s in sources
    ]
    blocks: list[Content] = [
        Paragraph(
            f"Written by socialcouncil {context.version} on {context.date.isoformat()}. "
            "Each fingerprint is the SHA-256 of the file as it was read, so a reader can tell "
            "exactly what the figures came from."
        )
    ]
    if rows:
        blocks.append(
            FigureTable(
                caption="Sources read",
                columns=("Source", "Type", "Location", "SHA-256", "Rows", "Rows left out"),
                rows=rows,
            )
        )
    else:
        blocks.append(Paragraph("No data sources were read."))
    return Part(id="sources", title="Sources and provenance", blocks=tuple(blocks))


def _plugin_part(section: Section) -> Part:
    return Part(
        id=f"section-{section.id}",
        title=section.title,
        blocks=tuple(section.blocks),
        plugin=section.plugin,
        failure=section.failure,
    )


def build_report(context: ExportContext) -> Report:
    """The report of *context*: its council, thread, projects, measures, sections and sources.

    Projects are placed on the continua of ``context.continua``, with the council's own
    continua taking the place of those of the same id. The co-production trajectory and the
    calibration profile per value are the figures of the council's ``coproduction-trajectory``
    and ``calibration-profile`` measures where it has them; otherwise the report works them
    out from the projects' calibrations (by year), and says so.

    Given stored runs (``context.runs``), a part shows each measure's headline trends: a line
    chart across periods (one figure per period, the latest run's) or across runs (one figure
    per run), a suppressed figure a gap, with its figures as a table, and the runs they come
    from. Given a learning log (``context.log``), each project and measure lists its entries,
    and a part lists the others. The plugins' sections (``context.sections``) come after
    these, before the notes on suppression and the sources.
    """
    council = context.council
    continua = council.usable_continua(context.continua)
    lines = _log_lines(context)
    parts = [
        _overview(council),
        _thread(council),
        _projects(context, continua, lines),
        _coproduction(context, continua),
        _measures(context, lines),
        *((_trends(context),) if context.runs else ()),
        *((_learning_log(context, lines),) if context.log else ()),
        *(_plugin_part(section) for section in context.sections),
        _suppressed(context),
        _sources(context, context.sources),
    ]
    return Report(
        title=f"{council.name}: Social Council report",
        council=council.name,
        gss_code=council.gss_code,
        date=context.date,
        version=context.version,
        published=context.published,
        parts=tuple(parts),
    )
