"""Report sections: what a plugin adds to the council's report, as structured blocks.

A plugin registers :class:`ReportSection` objects through the ``register_report_sections``
hook. When a report is written, each one's :attr:`~ReportSection.build` is given the
:class:`~socialcouncil.ExportContext` (the council and its figures, after disclosure control)
and returns blocks: :class:`Heading`, :class:`Paragraph`, :class:`FigureTable` and
:class:`Chart`. The core renders them, escaping every text, for both the HTML report and its
Markdown; a plugin never writes HTML itself.

>>> def busiest(context):
...     yield Paragraph("Where the timebank was busiest this year.")
>>> section = ReportSection(id="timebank-notes", title="Timebank notes", build=busiest)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Literal, TypeAlias

import attrs

from socialcouncil._plugininfo import PluginInfo
from socialcouncil.exporters import ExportContext, Figure
from socialcouncil.model import validators as v

__all__ = [
    "Block",
    "Chart",
    "ChartKind",
    "FigureTable",
    "Heading",
    "Paragraph",
    "ReportSection",
    "Section",
]


def _plain(value: object) -> object:
    """Text as a plain ``str``, so every text a plugin gives is escaped.

    A ``str`` subclass that says it is safe markup (``__html__``) is not trusted.
    """
    return str.__str__(value) if isinstance(value, str) else value


def _plain_all(values: Iterable[object]) -> tuple[object, ...]:
    return tuple(_plain(value) for value in values)


@attrs.frozen
class Heading:
    """A heading inside a section, below the section's own title.

    Attributes:
        text: the heading, as plain text.
    """

    text: str = attrs.field(converter=_plain, validator=v.text)


@attrs.frozen
class Paragraph:
    """A paragraph of plain text; nothing in it is read as markup.

    Attributes:
        text: the paragraph.
    """

    text: str = attrs.field(converter=_plain, validator=v.text)


def _rows(value: Iterable[Iterable[str | Figure]]) -> tuple[tuple[str | Figure, ...], ...]:
    return tuple(tuple(_plain(cell) for cell in row) for row in value)  # type: ignore[misc]


@attrs.frozen
class FigureTable:
    """A table of text and figures, with a header row.

    A :class:`~socialcouncil.Figure` cell is shown as the figure is published: ``[c]`` where it
    is suppressed.

    Attributes:
        caption: what the table shows, in a sentence.
        columns: the header of each column.
        rows: the cells, row by row, each row as long as :attr:`columns`.
    """

    caption: str = attrs.field(converter=_plain, validator=v.text)
    columns: tuple[str, ...] = attrs.field(converter=_plain_all)
    rows: tuple[tuple[str | Figure, ...], ...] = attrs.field(converter=_rows)

    @rows.validator
    def _same_width(self, _attribute: object, rows: tuple[tuple[object, ...], ...]) -> None:
        for index, row in enumerate(rows):
            if len(row) != len(self.columns):
                found = f"{len(row)} cells in rows[{index}]"
                raise ValueError(f"{found}; expected {len(self.columns)}, one per column")


ChartKind = Literal["bar", "line"]
"""A chart's kind: bars for a breakdown, a line for figures over periods."""


@attrs.frozen
class Chart:
    """A chart of figures, drawn by the report as inline SVG with a text alternative.

    Attributes:
        title: what the chart shows.
        figures: the figures, one bar or point each; a suppressed one is shown as ``[c]``,
            with no bar or point.
        by: the dimension that labels them, such as ``"ward"`` or ``"period"``.
        kind: ``"bar"`` or ``"line"``.
        description: a sentence for readers who cannot see the chart; the report adds the
            figures themselves as a table.
    """

    title: str = attrs.field(converter=_plain, validator=v.text)
    figures: tuple[Figure, ...] = attrs.field(converter=v.as_tuple)
    by: str = attrs.field(converter=_plain, validator=v.text)
    kind: ChartKind = "bar"
    description: str = attrs.field(default="", converter=_plain)


Block: TypeAlias = Heading | Paragraph | FigureTable | Chart
"""One block of a report section."""


@attrs.frozen
class ReportSection:
    """A section a plugin adds to the council's report.

    Attributes:
        id: unique among report sections.
        title: the section's heading.
        build: given the :class:`~socialcouncil.ExportContext`, yields the section's blocks.
        plugin: the plugin that registered it; the registry fills it in.
    """

    id: str = attrs.field(validator=v.an_id)
    title: str = attrs.field(validator=v.text)
    build: Callable[[ExportContext], Iterable[Block]] = attrs.field(eq=False)
    plugin: PluginInfo | None = attrs.field(default=None, eq=False)


@attrs.frozen
class Section:
    """A report section as it was built, ready to render.

    Attributes:
        id: the id of the :class:`ReportSection` it was built from.
        title: its heading.
        blocks: what it holds.
        plugin: the name of the plugin that added it.
        failure: why it could not be built, where it could not: the report then says so in
            its place, and the other sections stand.
    """

    id: str
    title: str
    blocks: Sequence[Block] = attrs.field(default=(), converter=v.as_tuple)
    plugin: str | None = None
    failure: str | None = None
