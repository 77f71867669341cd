"""The built-in Markdown exporter: the council's report, as Markdown."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from socialcouncil import files
from socialcouncil.hookspecs import hookimpl

if TYPE_CHECKING:
    from pathlib import Path

    from socialcouncil.exporters import ExportContext

__all__ = ["MarkdownExporter", "register_exporters"]


class MarkdownExporter:
    """Write the council's report as Markdown: the same content as the HTML report.

    Charts become their figures as tables. Every text from the council, its sources or a
    plugin is escaped so that Markdown shows it as written and no raw HTML passes through.
    The same context gives the same bytes.
    """

    name: ClassVar[str] = "markdown"
    description: ClassVar[str] = "The council's report as Markdown, every text escaped."
    suffix: ClassVar[str] = ".md"

    def __init__(self, **options: str) -> None:
        if options:
            raise TypeError(
                f"the {self.name} exporter takes no options; found {', '.join(options)}"
            )

    def export(self, context: ExportContext, destination: Path) -> None:
        """Write the report of *context* to *destination*, atomically."""
        from socialcouncil.exporters.report import build_report, render_markdown

        files.write_atomically(destination, render_markdown(build_report(context)))


@hookimpl
def register_exporters() -> list[type[MarkdownExporter]]:
    """Register the Markdown exporter."""
    return [MarkdownExporter]
