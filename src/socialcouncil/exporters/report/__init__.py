"""The council's report: its content as a document, and that document rendered.

:func:`build_report` makes a :class:`Report` of an :class:`~socialcouncil.ExportContext`;
:func:`render_html` renders it as one self-contained, accessible HTML page, and
:func:`render_markdown` as Markdown in which nothing from the council is read as markup.
:func:`build_sections` builds the sections plugins register, each in isolation, so that a
broken one is reported in its place and the others stand.
"""

from __future__ import annotations

from socialcouncil.exporters.report.document import (
    CalibrationEntry,
    Content,
    ContinuumStrip,
    Definitions,
    LevelMark,
    LogLine,
    MeasureResults,
    OutcomeNode,
    Part,
    PriorityNode,
    Report,
    ThreadTree,
    build_report,
    log_table,
    trend_chart,
)
from socialcouncil.exporters.report.html import render_html
from socialcouncil.exporters.report.markdown import escape_markdown, render_markdown
from socialcouncil.exporters.report.sections import build_sections

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
    "build_sections",
    "escape_markdown",
    "log_table",
    "render_html",
    "render_markdown",
    "trend_chart",
]
