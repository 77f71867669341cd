"""Building the report sections plugins register, each in isolation.

Each registered :class:`~socialcouncil.ReportSection` is built inside
:meth:`Registry.running <socialcouncil.plugins.Registry.running>`, and what it yields is checked:
only :class:`~socialcouncil.Heading`, :class:`~socialcouncil.Paragraph`,
:class:`~socialcouncil.FigureTable` (cells of text or :class:`~socialcouncil.Figure`) and
:class:`~socialcouncil.Chart` (of figures) may be in a section. A section that raises, or
yields anything else, becomes a :class:`~socialcouncil.Section` with a
:attr:`~socialcouncil.Section.failure` and a :class:`~socialcouncil.PluginWarning`; the other
sections stand.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

from socialcouncil._warnings import PluginWarning
from socialcouncil.errors import PluginError, SocialCouncilError
from socialcouncil.exporters import Figure
from socialcouncil.exporters.sections import Chart, FigureTable, Heading, Paragraph, Section

if TYPE_CHECKING:
    from socialcouncil.exporters import ExportContext
    from socialcouncil.exporters.sections import Block
    from socialcouncil.plugins import Registry

__all__ = ["build_sections"]

_BLOCKS = (Heading, Paragraph, FigureTable, Chart)


def _found(value: object) -> str:
    text = repr(value)
    return f"{type(value).__name__} {text[:80]}{'...' if len(text) > 80 else ''}"


def _texts(block: Block) -> list[tuple[str, object]]:
    """The texts of *block*, each with its attribute's name."""
    if isinstance(block, (Heading, Paragraph)):
        return [("text", block.text)]
    if isinstance(block, FigureTable):
        return [
            ("caption", block.caption),
            *((f"columns[{i}]", c) for i, c in enumerate(block.columns)),
        ]
    return [("title", block.title), ("by", block.by), ("description", block.description)]


def _cells(block: Block) -> str | None:
    """What is wrong with a table's cells or a chart's figures; None when nothing is."""
    if isinstance(block, FigureTable):
        for r, row in enumerate(block.rows):
            for c, cell in enumerate(row):
                if not isinstance(cell, (str, Figure)):
                    return f"rows[{r}][{c}] is {_found(cell)}; expected text or a Figure"
    if isinstance(block, Chart):
        if block.kind not in ("bar", "line"):
            return f"kind is {block.kind!r}; expected 'bar' or 'line'"
        for i, figure in enumerate(block.figures):
            if not isinstance(figure, Figure):
                return f"figures[{i}] is {_found(figure)}; expected a Figure"
    return None


def _problem(blocks: list[object]) -> str | None:
    """What is wrong with the blocks a section yielded, in words; None when nothing is."""
    for index, block in enumerate(blocks):
        where = f"block [{index}]"
        if not isinstance(block, _BLOCKS):
            wanted = "a Heading, Paragraph, FigureTable or Chart"
            return f"{where} is {_found(block)}; expected {wanted}"
        for name, text in _texts(block):
            if not isinstance(text, str):
                return f"{where} {name} is {_found(text)}; expected text"
        problem = _cells(block)
        if problem is not None:
            return f"{where} {problem}"
    return None


def build_sections(context: ExportContext, registry: Registry | None = None) -> tuple[Section, ...]:
    """Build every report section the plugins of *registry* register, for *context*.

    Args:
        context: what each section's ``build`` is given: the council and its figures (after
            disclosure control, for a published report).
        registry: the plugins; the process's :func:`~socialcouncil.registry` by default.

    Returns:
        One :class:`~socialcouncil.Section` per registered section, in the registry's order;
        a failed one has no blocks and its :attr:`~socialcouncil.Section.failure` says why,
        naming the plugin (a :class:`~socialcouncil.PluginWarning` says so too).
    """
    if registry is None:
        from socialcouncil.plugins import registry as process_registry

        registry = process_registry()
    built = []
    for id_, registered in registry.report_sections.items():
        info = registry.provider("report section", id_)
        failure: str
        try:
            with registry.running("report section", id_):
                # Consumed inside the block: a generator runs its code only as it is read.
                blocks: list[object] = list(registered.build(context))
        except PluginError as exc:
            failure = str(exc)
        except SocialCouncilError as exc:
            failure = f"{info.describe()}: the report section {id_!r} failed: {exc}"
        else:
            problem = _problem(blocks)
            if problem is None:
                valid: list[Block] = [b for b in blocks if isinstance(b, _BLOCKS)]
                built.append(Section(id_, registered.title, valid, plugin=info.name))
                continue
            failure = f"{info.describe()}: the report section {id_!r} yielded {problem}"
        warnings.warn(failure, PluginWarning, stacklevel=2)
        built.append(Section(id_, registered.title, (), plugin=info.name, failure=failure))
    return tuple(built)
