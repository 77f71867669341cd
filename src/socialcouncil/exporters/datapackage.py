"""The built-in datapackage exporter: the council's open data as a Frictionless Data Package."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from typing import TYPE_CHECKING, Any, ClassVar

from socialcouncil import files
from socialcouncil.exporters import SUPPRESSED
from socialcouncil.exporters.csv import (
    Cell,
    csv_text,
    dimension_columns,
    require_published,
    result_rows,
)
from socialcouncil.hookspecs import hookimpl
from socialcouncil.model.project import CONFIDENCES, STATUSES

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from socialcouncil.exporters import ExportContext

__all__ = ["PROFILE", "DataPackageExporter", "register_exporters"]

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
"""The Data Package v2 profile that ``datapackage.json`` names as its ``$schema``."""

_NAME = re.compile(r"[^a-z0-9]+")

_RESULTS = "Figures of the council's measures after disclosure control"


def _package_name(text: str) -> str:
    ascii_only = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NAME.sub("-", ascii_only.lower()).strip("-") or "social-council"


def _field(name: str, type_: str, description: str, **more: object) -> dict[str, Any]:
    return {"name": name, "type": type_, "description": description, **more}


def _results_schema(dimensions: Sequence[str], keys: Sequence[str]) -> dict[str, Any]:
    fields = [
        _field("measure", "string", "The id of the measure the figure is for."),
        _field("model", "string", "The measurement model that produced it."),
        _field("indicator", "string", "What it counts or measures."),
        _field("value", "number", f"The figure; {SUPPRESSED} where it is suppressed."),
        _field(
            "n",
            "integer",
            "The people (or records) it stands on; "
            f"{SUPPRESSED} where suppressed, empty where not known.",
        ),
    ]
    fields += [
        _field(column, "string", f"What the figure is broken down by: {key}.")
        for column, key in zip(dimensions, keys, strict=True)
    ]
    return {"fields": fields, "missingValues": ["", SUPPRESSED]}


_PROJECT_COLUMNS = (
    _field("id", "string", "The project's id.", constraints={"required": True, "unique": True}),
    _field("title", "string", "Its title."),
    _field("summary", "string", "What it is, in a sentence or two."),
    _field("owner", "string", "Who leads it."),
    _field("status", "string", "Where it is.", constraints={"enum": list(STATUSES)}),
    _field("values", "list", "The ids of the values it pursues.", delimiter=";"),
    _field("priorities", "list", "The ids of the priorities it serves.", delimiter=";"),
    _field("big_moves", "list", "The ids of the big moves it is part of.", delimiter=";"),
    _field("continuum", "string", "The id of the continuum it is placed on."),
    _field("current_level", "string", "The level of its latest calibration."),
    _field("calibrated_on", "date", "The date of its latest calibration."),
    _field("target_level", "string", "The level it aims for."),
)

_CALIBRATION_COLUMNS = (
    _field("project", "string", "The id of the project placed.", constraints={"required": True}),
    _field("continuum", "string", "The id of the continuum it was placed on."),
    _field("date", "date", "The day the placement was made.", constraints={"required": True}),
    _field("level", "string", "The level it was placed at.", constraints={"required": True}),
    _field("assessor", "string", "Who made the placement."),
    _field("evidence", "string", "What the placement rests on."),
    _field(
        "confidence",
        "string",
        "How sure the assessor is.",
        constraints={"enum": list(CONFIDENCES)},
    ),
)


def _projects(context: ExportContext) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    for p in context.council.projects:
        current = p.current
        rows.append(
            [
                p.id,
                p.title,
                p.summary,
                p.owner,
                p.status,
                ";".join(p.values) or None,
                ";".join(p.priorities) or None,
                ";".join(p.big_moves) or None,
                p.continuum,
                current.level if current else None,
                current.date if current else None,
                p.target_level,
            ]
        )
    return rows


def _calibrations(context: ExportContext) -> list[list[Cell]]:
    return [
        [p.id, p.continuum, c.date, c.level, c.assessor, c.evidence, c.confidence]
        for p in context.council.projects
        for c in p.calibrations
    ]


def _schema(columns: Sequence[dict[str, Any]], **more: object) -> dict[str, Any]:
    return {"fields": [dict(c) for c in columns], "missingValues": [""], **more}


class DataPackageExporter:
    """Write the council's open data as a Frictionless Data Package (v2): a folder.

    The folder holds ``datapackage.json`` and three CSV files, each described by a Table
    Schema with the type of every column, so that tools which read data packages (frictionless,
    CKAN, Excel through them) load it with its types:

    ``results.csv`` (resource ``results``)
        the figures, exactly as the ``csv`` exporter writes them (measure, model, indicator,
        value, n, then one column per dimension key) after disclosure control: ``[c]`` marks a
        suppressed value or n, and the schema lists ``[c]`` among its ``missingValues``.
    ``projects.csv`` (resource ``projects``)
        one row per project: id, title, summary, owner, status, values, priorities and big
        moves (lists of ids separated by ``;``), continuum, current level, the date it was
        calibrated on, and target level.
    ``calibrations.csv`` (resource ``calibrations``)
        one row per calibration: project (a foreign key to ``projects``), continuum, date,
        level, assessor, evidence and confidence.

    ``datapackage.json`` has ``$schema`` set to the Data Package v2 profile (:data:`PROFILE`),
    a ``name`` made from the council's name (or the ``name`` option), a ``title``, ``created``
    (the context's date), the council's ``[publishing]`` licence in ``licenses`` (the Open
    Government Licence v3.0 unless the model file names another), the council as a
    contributor with the role ``publisher``, the sources the figures came from with their
    SHA-256 fingerprints, and for each resource its ``bytes`` and SHA-256 ``hash``.

    The CSV files are UTF-8 without a byte order mark, with CRLF line endings (the Table
    Dialect's default); text cells that a spreadsheet could run as formulas are guarded with
    a leading apostrophe, as in every CSV file socialcouncil writes. The folder is built beside
    the destination and moved into place whole, replacing one that is there (the ``export``
    command refuses an existing destination unless given ``--force``).

    Options:
        name: the package's ``name``, lowercase letters, digits, ``-``, ``_`` and ``.``;
            by default the council's name in that form.
    """

    name: ClassVar[str] = "datapackage"
    description: ClassVar[str] = (
        "A Frictionless Data Package (v2) folder: figures after disclosure control, projects "
        "and calibrations as typed CSV resources, with the council's licence."
    )
    suffix: ClassVar[str] = ""

    def __init__(self, **options: str) -> None:
        unknown = set(options) - {"name"}
        if unknown:
            raise TypeError(
                f"the {self.name} exporter takes only the option name; found "
                f"{', '.join(sorted(unknown))}"
            )
        package = options.get("name")
        if package is not None and not re.fullmatch(r"[a-z0-9._-]+", package):
            message = (
                f"the {self.name} exporter's name must be lowercase letters, digits, '-', '_' "
                f"and '.'; found {package!r}"
            )
            raise ValueError(message)
        self.package_name = package

    def export(self, context: ExportContext, destination: Path) -> None:
        """Build the package in a folder beside *destination*, then move it into place."""
        require_published(context, self.name)

        def build(folder: Path) -> None:
            descriptor = self.descriptor(context)
            for resource, text in self._tables(context):
                data = text.encode("utf-8")
                (folder / f"{resource}.csv").write_bytes(data)
                for entry in descriptor["resources"]:
                    if entry["name"] == resource:
                        entry["bytes"] = len(data)
                        entry["hash"] = "sha256:" + hashlib.sha256(data).hexdigest()
            text = json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n"
            (folder / "datapackage.json").write_text(text, encoding="utf-8")

        files.write_folder_atomically(destination, build, replace=True)

    def _tables(self, context: ExportContext) -> list[tuple[str, str]]:
        header, rows = result_rows(context.figures)
        projects = [c["name"] for c in _PROJECT_COLUMNS]
        calibrations = [c["name"] for c in _CALIBRATION_COLUMNS]
        return [
            ("results", csv_text(header, rows, bom=False)),
            ("projects", csv_text(projects, _projects(context), bom=False)),
            ("calibrations", csv_text(calibrations, _calibrations(context), bom=False)),
        ]

    def descriptor(self, context: ExportContext) -> dict[str, Any]:
        """The package's ``datapackage.json``, as data (without the resources' sizes and hashes).

        Args:
            context: what the package is of.
        """
        council = context.council
        terms = council.publishing.terms()
        licence: dict[str, str] = {"path": terms.url, "title": terms.title}
        if re.fullmatch(r"[A-Za-z0-9._-]+", terms.id):
            licence = {"name": terms.id, **licence}
        keys = sorted({k for f in context.figures for k in f.dimensions})
        publishing = council.publishing
        rounding = (
            f", and counts of people rounded to the nearest {publishing.round_to}"
            if publishing.round_to
            else ""
        )
        return {
            "$schema": PROFILE,
            "name": self.package_name or _package_name(council.name),
            "title": f"{council.name}: Social Council",
            "description": (
                f"The measures, projects and calibrations of {council.name}'s Social Council. "
                f"Figures standing on fewer than {publishing.suppress_below} people, and figures "
                f"that would let one be worked out, are shown as {SUPPRESSED}{rounding}."
            ),
            "created": f"{context.date.isoformat()}T00:00:00Z",
            "licenses": [licence],
            "contributors": [{"title": council.name, "roles": ["publisher"]}],
            "sources": [
                {
                    "title": f"{s.id} ({s.type}): {s.location}",
                    **({"sha256": s.fingerprint} if s.fingerprint else {}),
                }
                for s in context.sources
            ],
            "socialcouncil": {"version": context.version},
            "resources": [
                {
                    "name": "results",
                    "type": "table",
                    "path": "results.csv",
                    "title": _RESULTS,
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": "utf-8",
                    "schema": _results_schema(dimension_columns(context.figures), keys),
                },
                {
                    "name": "projects",
                    "type": "table",
                    "path": "projects.csv",
                    "title": "The council's projects and where each stands",
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": "utf-8",
                    "schema": _schema(_PROJECT_COLUMNS, primaryKey=["id"]),
                },
                {
                    "name": "calibrations",
                    "type": "table",
                    "path": "calibrations.csv",
                    "title": "Every dated placement of a project on its continuum",
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": "utf-8",
                    "schema": _schema(
                        _CALIBRATION_COLUMNS,
                        foreignKeys=[
                            {
                                "fields": ["project"],
                                "reference": {"resource": "projects", "fields": ["id"]},
                            }
                        ],
                    ),
                },
            ],
        }


@hookimpl
def register_exporters() -> list[type[DataPackageExporter]]:
    """Register the datapackage exporter."""
    return [DataPackageExporter]
