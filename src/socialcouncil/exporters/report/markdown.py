"""The report rendered as Markdown, in which no text from the council is read as markup.

Every text is put on one line and escaped with backslashes where CommonMark would read it as
markup (emphasis, links, code, raw HTML, entities, headings, lists, tables), so that a text such
as ``<script>`` or ``[a](javascript:...)`` reaches the reader as the characters it is. Only
the report's own structure is Markdown.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import attrs

from socialcouncil.exporters import Figure
from socialcouncil.exporters.report.document import (
    ContinuumStrip,
    Definitions,
    MeasureResults,
    Report,
    ThreadTree,
    calibrations_table,
    figures_table,
    format_figure,
    format_n,
    log_table,
)
from socialcouncil.exporters.sections import Chart, FigureTable, Heading, Paragraph

if TYPE_CHECKING:
    from socialcouncil.exporters.report.document import Content, Part

__all__ = ["escape_markdown", "render_markdown"]

# Characters CommonMark reads as markup wherever they stand (with GFM's table pipe and
# strikethrough tilde). Each may be escaped with a backslash.
_ANYWHERE = frozenset("\\`*_{}[]<>#|~&!")
# At the start of a line, these begin a list, a heading underline or a block quote.
_LINE_START = frozenset("-+=")
_ORDERED = re.compile(r"(\d{1,9})([.)])")


def escape_markdown(text: str) -> str:
    r"""*text* on one line, escaped so that Markdown shows it as it is.

    >>> from socialcouncil.exporters.report import escape_markdown
    >>> escape_markdown("<b>*Café* [link](x)</b>")
    '\\<b\\>\\*Café\\* \\[link\\](x)\\</b\\>'
    >>> escape_markdown("1. first\n- second"), escape_markdown("- one")
    ('1\\. first - second', '\\- one')
    """
    flat = " ".join(text.split())
    escaped = "".join(f"\\{c}" if c in _ANYWHERE else c for c in flat)
    if escaped[:1] in _LINE_START:
        return "\\" + escaped
    ordered = _ORDERED.match(escaped)
    if ordered:
        return f"{ordered.group(1)}\\{ordered.group(2)}{escaped[ordered.end() :]}"
    return escaped


_e = escape_markdown


def _cell(value: object) -> str:
    text = format_figure(value) if isinstance(value, Figure) else str(value)
    return _e(text) if text else " "


def _table(table: FigureTable) -> list[str]:
    lines = [f"**{_e(table.caption)}**", ""]
    lines.append("| " + " | ".join(_cell(c) for c in table.columns) + " |")
    lines.append("|" + "|".join(" --- " for _ in table.columns) + "|")
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in table.rows]
    return [*lines, ""]


def _chart(chart: Chart) -> list[str]:
    lines = []
    if chart.description:
        lines += [_e(chart.description), ""]
    # Markdown has no chart: its figures, under its title, stand in its place.
    return lines + _table(attrs.evolve(figures_table(chart), caption=chart.title))


def _definitions(block: Definitions) -> list[str]:
    lines = []
    for index, (term, meaning) in enumerate(block.items):
        lines += [f"**{_e(term)}**", ""]
        if meaning:
            lines += [_e(meaning), ""]
        if index in block.details:
            lines += [f"*{_e(block.details[index])}*", ""]
    return lines


def _thread(tree: ThreadTree) -> list[str]:
    lines = [
        f"**Purpose:** {_e(tree.purpose) if tree.purpose else 'not stated'}",
        "",
        f"**Vision:** {_e(tree.vision) if tree.vision else 'not stated'}",
        "",
    ]
    for priority in tree.priorities:
        lines.append(f"- Priority: **{_e(priority.name)}**")
        if priority.description:
            lines.append(f"  - {_e(priority.description)}")
        for outcome in priority.outcomes:
            lines.append(f"  - Outcome: {_e(outcome.name)}")
            lines += [f"    - Measure: {_e(m)}" for m in outcome.measures]
            lines += [f"    - Gap: {_e(m)} is no measure" for m in outcome.missing]
            if not outcome.measures and not outcome.missing:
                lines.append("    - Gap: no measure serves it")
        if not priority.outcomes:
            lines.append("  - Gap: no outcome")
        lines += [f"  - Big move: {_e(m)}" for m in priority.big_moves]
        lines += [f"  - Project: {_e(p)}" for p in priority.projects]
        if not priority.projects:
            lines.append("  - Gap: no project serves it")
    if tree.priorities:
        lines.append("")
    lines += ["### Gaps in the thread", ""]
    if tree.gaps:
        lines += [f"- {_e(gap)}" for gap in tree.gaps]
    else:
        lines.append("None: every link of the thread is in place.")
    return [*lines, ""]


_MARKS = {"current": " (now)", "target": " (target)", "current-target": " (now, and the target)"}


def _strip(strip: ContinuumStrip) -> list[str]:
    meta = strip.status + (f" · on {strip.continuum}" if strip.continuum else "")
    lines = [f"### {_e(strip.title)}", "", f"*{_e(meta)}*", ""]
    if strip.summary:
        lines += [_e(strip.summary), ""]
    if strip.levels:
        lines += [f"1. {_e(level.label)}{_MARKS.get(level.state, '')}" for level in strip.levels]
        lines.append("")
        stands = f"**Stands at:** {_e(strip.current or '')}"
        if strip.target:
            stands += f" · **Target:** {_e(strip.target)}"
        lines += [stands, ""]
        if strip.movement:
            lines += [f"**Movement:** {_e(strip.movement)}", ""]
    if strip.note:
        lines += [f"**Note:** {_e(strip.note)}", ""]
    if strip.calibrations:
        lines += _table(calibrations_table(strip))
    if strip.log:
        lines += _table(log_table(f"Learning log: {strip.title}", strip.log))
    return lines


def _measure(measure: MeasureResults) -> list[str]:
    lines = [f"### {_e(measure.name)}", "", f"*{_e(measure.unit)} · {_e(measure.direction)}*", ""]
    if measure.description:
        lines += [_e(measure.description), ""]
    which = f" ({_e(measure.headline_indicator)})" if measure.headline_indicator else ""
    if measure.headline is None:
        lines += [f"**Headline{which}:** no figure", ""]
    else:
        n = format_n(measure.headline)
        counted = f" (n = {_e(n)})" if n else ""
        lines += [f"**Headline{which}:** {_e(format_figure(measure.headline))}{counted}", ""]
    if measure.baseline is not None:
        lines += [f"**Baseline:** {_e(measure.baseline)}", ""]
    if measure.target is not None:
        lines += [f"**Target:** {_e(measure.target)}", ""]
    lines += [f"**Data quality:** {_e(measure.quality)}", ""]
    for chart in measure.charts:
        lines += _chart(chart)
    if measure.others is not None:
        lines += _table(measure.others)
    if measure.log:
        lines += _table(log_table(f"Learning log: {measure.name}", measure.log))
    return lines


def _block(block: Content) -> list[str]:
    if isinstance(block, Heading):
        return [f"### {_e(block.text)}", ""]
    if isinstance(block, Paragraph):
        return [_e(block.text), ""]
    if isinstance(block, FigureTable):
        return _table(block)
    if isinstance(block, Chart):
        return _chart(block)
    if isinstance(block, Definitions):
        return _definitions(block)
    if isinstance(block, ThreadTree):
        return _thread(block)
    if isinstance(block, ContinuumStrip):
        return _strip(block)
    return _measure(block)


def _part(part: Part) -> list[str]:
    lines = [f"## {_e(part.title)}", ""]
    if part.plugin:
        lines += [f"*Added by the plugin {_e(part.plugin)}.*", ""]
    if part.failure:
        lines += [f"**This section could not be built:** {_e(part.failure)}", ""]
    for block in part.blocks:
        lines += _block(block)
    return lines


def render_markdown(report: Report) -> str:
    """The report as Markdown (CommonMark, with GFM tables); the same report, the same text."""
    meta = (f"{report.gss_code} · " if report.gss_code else "") + (
        f"Published {report.date.isoformat()} · socialcouncil {report.version}"
    )
    lines = [f"# {_e(report.title)}", "", _e(meta), ""]
    if not report.published:
        lines += [
            "**Not for publishing:** these figures are as measured, with no disclosure control.",
            "",
        ]
    for part in report.parts:
        lines += _part(part)
    lines.append(
        _e(
            f"Made with socialcouncil {report.version}. Figures standing on too few people are "
            "shown as [c]."
        )
    )
    return "\n".join(lines) + "\n"
