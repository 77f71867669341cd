"""The built-in HTML exporter: the council's report, as one self-contained page."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from socialcouncil import files
from socialcouncil.hookspecs import hookimpl

if TYPE_CHECKING:
    from pathlib import Path

    from socialcouncil.exporters import ExportContext

__all__ = ["HtmlExporter", "register_exporters"]


class HtmlExporter:
    """Write the council's report as one HTML file, with nothing beside it.

    The page holds its CSS and its charts (inline SVG, each with its figures as a table), runs
    no scripts and makes no requests: its Content-Security-Policy forbids both. Every text is
    escaped. The same context gives the same bytes. See
    :func:`~socialcouncil.exporters.report.build_report` for what the report holds.
    """

    name: ClassVar[str] = "html"
    description: ClassVar[str] = "The council's report as one self-contained, accessible HTML page."
    suffix: ClassVar[str] = ".html"

    def __init__(self, **options: str) -> None:
        if options:
            raise TypeError(
                f"the {self.name} exporter takes no options; found {', '.join(options)}"
            )

    def export(self, context: ExportContext, destination: Path) -> None:
        """Write the report of *context* to *destination*, atomically."""
        from socialcouncil.exporters.report import build_report, render_html

        files.write_atomically(destination, render_html(build_report(context)))


@hookimpl
def register_exporters() -> list[type[HtmlExporter]]:
    """Register the HTML exporter."""
    return [HtmlExporter]
