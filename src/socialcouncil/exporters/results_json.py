"""The built-in results-json exporter: the raw results, unsuppressed, for the council's own use."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, ClassVar

from socialcouncil import files
from socialcouncil.hookspecs import hookimpl

if TYPE_CHECKING:
    from pathlib import Path

    from socialcouncil.exporters import ExportContext, Figure

__all__ = ["INTERNAL_NOTICE", "ResultsJsonExporter", "register_exporters"]

INTERNAL_NOTICE = (
    "Raw, unsuppressed results for the council's internal use. Figures standing on few people "
    "are NOT suppressed: do not publish this file or share it outside the council. Publish with "
    "the csv, datapackage or html exporters, which apply disclosure control."
)
"""What a results-json file says at its top about itself."""


def _figure(figure: Figure) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "measure": figure.measure,
        "model": figure.model,
        "indicator": figure.indicator,
        "value": figure.value,
        "n": figure.n,
        "dimensions": dict(figure.dimensions),
        "kind": figure.kind,
        "unit": figure.unit,
        "people": figure.people,
    }
    if figure.suppressed is not None:
        entry["suppressed"] = figure.suppressed
    if figure.rounded:
        entry["rounded"] = True
    return entry


class ResultsJsonExporter:
    """Write every result as it was measured, with no disclosure control, for internal use.

    The file is a JSON object. It opens with ``"notice"``, saying that the results are raw and
    unsuppressed and for the council's own use, and ``"disclosure_control": "none"``; then the
    council's ``"council"`` name, the ``"date"`` and the socialcouncil ``"version"``; the
    ``"sources"`` read (id, type, location, SHA-256 ``fingerprint``, ``rows``, ``left_out``);
    ``"left_out"`` (rows left out as invalid, by measure); ``"unmeasured"`` (measures with no
    figures because of a problem); and ``"results"``: one object per result with ``measure``,
    ``model``, ``indicator``, ``value``, ``n``, ``dimensions``, ``kind``, ``unit`` and
    ``people``.

    Its :attr:`publishes` is false: its figures are exactly as measured, never ``[c]`` or
    rounded, so that the council's own analysts can check them. Nothing written by it is fit
    to publish. (Given figures that did come through disclosure control, it says
    ``"disclosure_control": "applied"`` instead, and marks each figure ``suppressed`` or
    ``rounded`` as it is.) The exporter takes no options.
    """

    name: ClassVar[str] = "results-json"
    description: ClassVar[str] = (
        "The raw, unsuppressed results as JSON, for the council's internal use only."
    )
    suffix: ClassVar[str] = ".json"
    publishes: ClassVar[bool] = False

    def __init__(self, **options: str) -> None:
        if options:
            raise TypeError(
                f"the {self.name} exporter takes no options; found {', '.join(options)}"
            )

    def export(self, context: ExportContext, destination: Path) -> None:
        """Write the context's figures to *destination*, atomically."""
        document: dict[str, Any] = {
            "notice": INTERNAL_NOTICE
            if not context.published
            else "Results after disclosure control.",
            "disclosure_control": "applied" if context.published else "none",
            "council": context.council.name,
            "date": context.date.isoformat(),
            "version": context.version,
            "sources": [
                {
                    "id": s.id,
                    "type": s.type,
                    "location": s.location,
                    "fingerprint": s.fingerprint,
                    "rows": s.rows,
                    "left_out": s.left_out,
                }
                for s in context.sources
            ],
            "left_out": dict(context.left_out),
            "unmeasured": list(context.unmeasured),
            "results": [_figure(f) for f in context.figures],
        }
        text = json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
        files.write_atomically(destination, text)


@hookimpl
def register_exporters() -> list[type[ResultsJsonExporter]]:
    """Register the results-json exporter."""
    return [ResultsJsonExporter]
