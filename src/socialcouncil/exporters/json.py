"""The built-in JSON exporter: the council in the model file's own shape."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from socialcouncil import files
from socialcouncil.hookspecs import hookimpl

if TYPE_CHECKING:
    from pathlib import Path

    from socialcouncil.exporters import ExportContext

__all__ = ["JsonExporter", "register_exporters"]


class JsonExporter:
    """Write the council as a JSON model file, which :func:`socialcouncil.load` reads back.

    The file has exactly the model file's shape, so it holds the council and not measurement
    results; exporters for results write them in their own forms.
    """

    name: ClassVar[str] = "json"
    description: ClassVar[str] = "The council as a JSON model file, in the model file's shape."
    suffix: ClassVar[str] = ".json"

    def __init__(self, **options: str) -> None:
        if options:
            raise TypeError(
                f"the {self.name} exporter takes no options; found {', '.join(options)}"
            )

    def export(self, context: ExportContext, destination: Path) -> None:
        """Write the context's council to *destination*, atomically."""
        files.write_atomically(destination, files.dumps(context.council, "json"))


@hookimpl
def register_exporters() -> list[type[JsonExporter]]:
    """Register the JSON exporter."""
    return [JsonExporter]
