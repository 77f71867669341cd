"""Describe and run the Social Council model.

A council's values, its golden thread, its projects, the calibration continua on which each
project's relationship with the public is placed, and the measures that show change.

Everything a council's developer needs is importable from here. Each name loads on first use,
so ``import socialcouncil`` stays quick.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from socialcouncil._installed import check, continuum_for, movement
    from socialcouncil.checks import Check, CheckContext, Finding, Rule, Severity, run_checks
    from socialcouncil.checks.builtin import RULES
    from socialcouncil.errors import FileError, ModelFileError, PluginError, Problem
    from socialcouncil.exporters import SUPPRESSED, ExportContext, Exporter, Figure, SourceRecord
    from socialcouncil.exporters.run import export, export_context
    from socialcouncil.exporters.sections import (
        Chart,
        FigureTable,
        Heading,
        Paragraph,
        ReportSection,
        Section,
    )
    from socialcouncil.files import dump, dumps, load, loads
    from socialcouncil.hookspecs import PLUGIN_API_VERSION, hookimpl
    from socialcouncil.measurement import (
        Field,
        FieldType,
        Indicator,
        IndicatorKind,
        MeasurementContext,
        MeasurementModel,
        Option,
        Result,
    )
    from socialcouncil.measurement.run import Measurement, measure
    from socialcouncil.model import (
        LICENCES,
        BigMove,
        Calibration,
        CheckSettings,
        Confidence,
        Continuum,
        Council,
        Crosswalk,
        DesignPrinciple,
        Direction,
        GoldenThread,
        InvalidValueError,
        Level,
        Licence,
        Measure,
        Movement,
        Observation,
        OptionValue,
        Outcome,
        PeriodKind,
        Priority,
        Project,
        PublishingSettings,
        SocialCouncilError,
        Source,
        Status,
        UnknownIdError,
        Value,
        is_gss_code,
        is_period,
        is_valid_id,
    )
    from socialcouncil.plugins import PluginWarning, registered_continua, registry
    from socialcouncil.sources import ROW, DataSource, DataSourceError, Table
    from socialcouncil.store import Store, open_store
    from socialcouncil.templates import Template

__version__ = "0.1.0"

# Every public name outside the model, with the module it comes from; the model's names come
# from socialcouncil.model. Each loads on first use, so that the command can answer --version,
# and a program can import the package, without building the model's classes or importing
# cattrs, click, pluggy or a file reader.
_LAZY = {
    **dict.fromkeys(
        ["FileError", "ModelFileError", "PluginError", "Problem"], "socialcouncil.errors"
    ),
    **dict.fromkeys(["dump", "dumps", "load", "loads"], "socialcouncil.files"),
    **dict.fromkeys(
        ["Check", "CheckContext", "Finding", "Rule", "Severity", "run_checks"],
        "socialcouncil.checks",
    ),
    "RULES": "socialcouncil.checks.builtin",
    **dict.fromkeys(["check", "continuum_for", "movement"], "socialcouncil._installed"),
    **dict.fromkeys(["PLUGIN_API_VERSION", "hookimpl"], "socialcouncil.hookspecs"),
    **dict.fromkeys(["PluginWarning", "registered_continua", "registry"], "socialcouncil.plugins"),
    **dict.fromkeys(
        ["ROW", "DataSource", "DataSourceError", "Table"],
        "socialcouncil.sources",
    ),
    **dict.fromkeys(
        ["SUPPRESSED", "ExportContext", "Exporter", "Figure", "SourceRecord"],
        "socialcouncil.exporters",
    ),
    **dict.fromkeys(
        ["Chart", "FigureTable", "Heading", "Paragraph", "ReportSection", "Section"],
        "socialcouncil.exporters.sections",
    ),
    **dict.fromkeys(
        [
            "Field",
            "FieldType",
            "Indicator",
            "IndicatorKind",
            "MeasurementContext",
            "MeasurementModel",
            "Option",
            "Result",
        ],
        "socialcouncil.measurement",
    ),
    **dict.fromkeys(["export", "export_context"], "socialcouncil.exporters.run"),
    "Template": "socialcouncil.templates",
    **dict.fromkeys(["Store", "open_store"], "socialcouncil.store"),
    **dict.fromkeys(["Measurement", "measure"], "socialcouncil.measurement.run"),
}

__all__ = [
    "LICENCES",
    "PLUGIN_API_VERSION",
    "ROW",
    "RULES",
    "SUPPRESSED",
    "BigMove",
    "Calibration",
    "Chart",
    "Check",
    "CheckContext",
    "CheckSettings",
    "Confidence",
    "Continuum",
    "Council",
    "Crosswalk",
    "DataSource",
    "DataSourceError",
    "DesignPrinciple",
    "Direction",
    "ExportContext",
    "Exporter",
    "Field",
    "FieldType",
    "Figure",
    "FigureTable",
    "FileError",
    "Finding",
    "GoldenThread",
    "Heading",
    "Indicator",
    "IndicatorKind",
    "InvalidValueError",
    "Level",
    "Licence",
    "Measure",
    "Measurement",
    "MeasurementContext",
    "MeasurementModel",
    "ModelFileError",
    "Movement",
    "Observation",
    "Option",
    "OptionValue",
    "Outcome",
    "Paragraph",
    "PeriodKind",
    "PluginError",
    "PluginWarning",
    "Priority",
    "Problem",
    "Project",
    "PublishingSettings",
    "ReportSection",
    "Result",
    "Rule",
    "Section",
    "Severity",
    "SocialCouncilError",
    "Source",
    "SourceRecord",
    "Status",
    "Store",
    "Table",
    "Template",
    "UnknownIdError",
    "Value",
    "__version__",
    "check",
    "continuum_for",
    "dump",
    "dumps",
    "export",
    "export_context",
    "hookimpl",
    "is_gss_code",
    "is_period",
    "is_valid_id",
    "load",
    "loads",
    "measure",
    "movement",
    "open_store",
    "registered_continua",
    "registry",
    "run_checks",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        model = importlib.import_module("socialcouncil.model")
        if name not in model.__all__:
            raise AttributeError(f"module 'socialcouncil' has no attribute {name!r}")
        module = model.__name__
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
