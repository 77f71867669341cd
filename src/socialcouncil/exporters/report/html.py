"""The report rendered as one self-contained HTML page, through Jinja2 with autoescape.

The page has its CSS inline and its charts as inline SVG drawn by the report, carries a
Content-Security-Policy that forbids scripts and every request, and escapes every text it is
given, whoever wrote it: the model file, a data source or a plugin.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from socialcouncil.exporters import Figure
from socialcouncil.exporters.report.charts import draw
from socialcouncil.exporters.report.document import (
    Report,
    calibrations_table,
    figures_table,
    format_figure,
    format_n,
)

if TYPE_CHECKING:
    import jinja2

__all__ = ["CONTENT_SECURITY_POLICY", "render_html"]

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'"
)
"""The policy the page carries: no scripts, no requests; only its own inline styles."""


class _Ids:
    """Ids for the page's tables and charts, numbered in order, so a page is the same twice."""

    def __init__(self) -> None:
        self._count = 0

    def new(self, prefix: str) -> str:
        self._count += 1
        return f"{prefix}-{self._count}"


def _cell(value: object) -> str:
    return format_figure(value) if isinstance(value, Figure) else str(value)


LONG_TEXT = 40
"""A cell with more characters than this is given room, so that a narrow table scrolls."""


def _cell_class(value: object) -> str:
    """The class of a table's data cell: figures align right, long texts get room."""
    if isinstance(value, Figure):
        return "num"
    if len(str(value)) > LONG_TEXT:
        return "long"
    return ""


@functools.lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    # Jinja2 is imported only when a page is rendered, so `import socialcouncil` stays light.
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("socialcouncil.exporters.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.globals.update(
        kind=lambda block: type(block).__name__,
        cell_class=_cell_class,
        cell=_cell,
        figure=format_figure,
        n=format_n,
        draw=draw,
        figures_table=figures_table,
        calibrations_table=calibrations_table,
    )
    return environment


def render_html(report: Report) -> str:
    """The report as one HTML page: the same report gives the same text, byte for byte."""
    template = _environment().get_template("report.html.j2")
    context: dict[str, Any] = {"report": report, "ids": _Ids()}
    return template.render(context)
