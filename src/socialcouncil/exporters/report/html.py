"""The report rendered as one self-contained HTML page, through Jinja2 with autoescape.

The page has its CSS inline and its charts as inline SVG drawn by the report, carries a
Content-Security-Policy that forbids scripts and every request, and escapes every text it is
given, whoever wrote it: the model file, a data source or a plugin.
"""

from __future__ import annotations

import functools
from html import escape
from typing import TYPE_CHECKING, Any

from socialcouncil.exporters import Figure
from socialcouncil.exporters.report.charts import draw
from socialcouncil.exporters.report.document import (
    Report,
    calibrations_table,
    figures_table,
    format_figure,
    format_n,
    log_table,
)

if TYPE_CHECKING:
    import jinja2
    from markupsafe import Markup

    from socialcouncil.exporters.sections import FigureTable

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


SHORT_TEXT = 12
"""A row heading of this many characters or fewer, such as a date, stays on one line."""


def _body(table: FigureTable) -> Markup:
    """The rows of *table* as HTML, every text escaped (``&``, ``<``, ``>`` and both quotes).

    Table bodies are the bulk of a large report (every calibration of every project, every
    figure of every chart), and the template's cost per cell made a report of 1,000 projects
    take more than a second; joined here, with the standard library's escaping, which escapes
    the same characters as autoescape, they take a few milliseconds.
    """
    from markupsafe import Markup

    rows = []
    for row in table.rows:
        head, *rest = (_cell(value) for value in row)
        short = ' class="short"' if len(head) <= SHORT_TEXT else ""
        cells = [f'<th scope="row"{short}>{escape(head, quote=True)}</th>']
        for value, text in zip(row[1:], rest, strict=True):
            kind = _cell_class(value) if isinstance(value, Figure) else _cell_class(text)
            attribute = f' class="{kind}"' if kind else ""
            cells.append(f"<td{attribute}>{escape(text, quote=True)}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return Markup("\n".join(rows))  # noqa: S704 - every text in it is escaped above


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
        body=_body,
        cell=_cell,
        figure=format_figure,
        n=format_n,
        draw=draw,
        figures_table=figures_table,
        calibrations_table=calibrations_table,
        log_table=log_table,
    )
    return environment


def render_html(report: Report) -> str:
    """The report as one HTML page: the same report gives the same text, byte for byte."""
    template = _environment().get_template("report.html.j2")
    context: dict[str, Any] = {"report": report, "ids": _Ids()}
    return template.render(context)
