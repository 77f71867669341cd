"""What plugin authors use in their own tests.

- Conformance checks, called from a plugin's tests: :func:`check_continuum`,
  :func:`check_crosswalk`, :func:`check_template`, :func:`check_data_source`,
  :func:`check_exporter` and :func:`check_measurement_model`. Each raises
  :class:`AssertionError` with a message that says what does not conform and why it matters,
  and returns what it made, for further assertions.
- pytest fixtures, loaded automatically wherever socialcouncil is installed:
  ``socialcouncil_registry`` and ``register_plugin``
  (see :mod:`socialcouncil.testing.pytest_plugin`).
- hypothesis strategies for every model class: :mod:`socialcouncil.testing.strategies`.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from socialcouncil.model import Continuum, Council, Crosswalk, is_valid_id

if TYPE_CHECKING:
    import os
    from collections.abc import Iterable
    from pathlib import Path

    from socialcouncil.exporters import Exporter
    from socialcouncil.measurement import MeasurementModel, Result
    from socialcouncil.plugins import Registry
    from socialcouncil.sources import DataSource, Table
    from socialcouncil.templates import Template

__all__ = [
    "check_continuum",
    "check_crosswalk",
    "check_data_source",
    "check_exporter",
    "check_measurement_model",
    "check_template",
]


def _require(condition: object, message: str) -> None:
    if not condition:
        raise AssertionError(message)


def _require_named_class(cls: object, kind: str, *attributes: str) -> str:
    if not isinstance(cls, type):
        raise AssertionError(f"a {kind} is registered as a class; found {cls!r}")
    name = getattr(cls, "name", None)
    _require(is_valid_id(name), f"{cls.__name__}.name must be an id; found {name!r}")
    description = getattr(cls, "description", None)
    _require(
        isinstance(description, str) and description.strip(),
        f"{cls.__name__}.description must say in a sentence what the {kind} does",
    )
    for attribute in attributes:
        _require(hasattr(cls, attribute), f"{cls.__name__} has no {attribute}")
    return str(name)


def check_continuum(continuum: Continuum) -> None:
    """Check that *continuum* is a well-formed, well-described continuum.

    Beyond what :class:`~socialcouncil.Continuum` itself requires, every level needs a
    description (an officer placing a project reads it), positions must run from 0 to 1, and
    a crosswalk from the continuum to itself must map each level to itself.
    """
    _require(isinstance(continuum, Continuum), f"expected a Continuum; found {continuum!r}")
    for level in continuum.levels:
        _require(
            level.description and level.description.strip(),
            f"level {level.id!r} of {continuum.id!r} has no description; officers placing a "
            "project read it to choose a level",
        )
    positions = [continuum.position(i) for i in continuum.level_ids]
    _require(positions[0] == 0.0 and positions[-1] == 1.0, "positions must run from 0 to 1")
    same = Crosswalk(from_=continuum.id, to=continuum.id).mapping(continuum, continuum)
    _require(same == {i: i for i in continuum.level_ids}, "a level does not map to itself")


def check_crosswalk(crosswalk: Crosswalk, source: Continuum, target: Continuum) -> dict[str, str]:
    """Check that *crosswalk* maps *source* onto *target* as a published crosswalk must.

    Its map may name only levels of the two continua, and a higher level of *source* may never
    map below a lower one: otherwise the registry leaves the crosswalk out.

    Returns:
        Every level id of *source* with the level id of *target* it maps to.
    """
    _require(isinstance(crosswalk, Crosswalk), f"expected a Crosswalk; found {crosswalk!r}")
    _require(
        (crosswalk.from_, crosswalk.to) == (source.id, target.id),
        f"the crosswalk maps {crosswalk.from_!r} to {crosswalk.to!r}, not {source.id!r} to "
        f"{target.id!r}",
    )
    for level, mapped in crosswalk.map.items():
        _require(source.has_level(level), f"the map names {level!r}, not a level of {source.id!r}")
        _require(
            target.has_level(mapped), f"the map names {mapped!r}, not a level of {target.id!r}"
        )
    _require(
        crosswalk.is_monotone(source, target),
        f"the crosswalk maps a higher level of {source.id!r} below a lower one; calibrations "
        "compared through it would move the wrong way",
    )
    return crosswalk.mapping(source, target)


def check_template(template: Template, registry: Registry | None = None) -> Council:
    """Check that *template* produces a council that validates with no errors.

    Warnings are allowed: a starter council may leave gaps on purpose (outcomes still to be
    agreed, say), and the warnings tell the officer who fills it in what to add.

    Args:
        template: the template to check.
        registry: the registry whose continua and checks the council is checked with; by
            default the process's :func:`socialcouncil.registry`.

    Returns:
        The template's council.
    """
    from socialcouncil import check
    from socialcouncil.errors import ModelFileError
    from socialcouncil.plugins import registry as process_registry
    from socialcouncil.templates import Template

    _require(isinstance(template, Template), f"expected a Template; found {template!r}")
    try:
        council = template.council()
    except ModelFileError as exc:
        raise AssertionError(f"the template's text is not a usable model file:\n{exc}") from None
    found = registry or process_registry()
    findings = check(council, continua=found.continua, checks=found.checks.values())
    errors = [f for f in findings if f.severity == "error"]
    _require(
        not errors,
        f"the council of template {template.id!r} has errors:\n"
        + "\n".join(f"  {f.render()}" for f in errors),
    )
    return council


def check_data_source(
    cls: type[DataSource], location: str | os.PathLike[str], **options: object
) -> Table:
    """Check that the data source *cls* reads *location* into a well-formed table.

    The table must name the source and the location, hold the :data:`~socialcouncil.ROW`
    column of whole row numbers, each row's different and increasing from row to row, and
    give its fingerprint as ``"sha256:"`` and 64 hex digits (or None, where no file is read).
    Every problem it reports must name the source and the location.

    Returns:
        The table read, its frame collected (a Polars DataFrame, or as the source gives it).
    """
    import re

    import narwhals as nw

    from socialcouncil.sources import ROW, Table

    name = _require_named_class(cls, "data source", "read")
    described = getattr(cls, "options", None)
    _require(
        isinstance(described, Mapping)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in described.items()),
        f"{cls.__name__}.options must map each option's name to a one-line description",
    )
    table = cls(location, **options).read()
    _require(isinstance(table, Table), f"{cls.__name__}.read() gave {table!r}, not a Table")
    _require(table.source == name, f"the table names the source {table.source!r}, not {name!r}")
    _require(bool(table.location), "the table has no location")
    _require(
        table.fingerprint is None
        or re.fullmatch(r"sha256:[0-9a-f]{64}", table.fingerprint) is not None,
        f"the fingerprint {table.fingerprint!r} is not 'sha256:' and 64 hex digits",
    )
    frame = nw.from_native(table.frame)
    if isinstance(frame, nw.LazyFrame):
        frame = frame.collect()
    _require(ROW in frame.columns, f"the table has no {ROW!r} column of row numbers")
    _require(
        frame.schema[ROW].is_integer(),
        f"the {ROW!r} column holds {frame.schema[ROW]}, not whole numbers",
    )
    rows = frame[ROW].to_list()
    _require(
        all(a < b for a, b in itertools.pairwise(rows)),
        "row numbers must increase from row to row",
    )
    for index, problem in enumerate(table.problems):
        _require(
            problem.source == name and problem.location == table.location,
            f"problem {index} ({problem.render()}) must name the source and the location",
        )
    return attrs.evolve(table, frame=frame.to_native())


def check_exporter(
    cls: type[Exporter],
    folder: Path,
    council: Council | None = None,
    results: Iterable[Result] = (),
    **options: str,
) -> Path:
    """Check that the exporter *cls* writes *council* (by default a small one) into *folder*.

    Returns:
        The path written: ``folder / ("council" + cls.suffix)``.
    """
    from socialcouncil.exporters import ExportContext

    _require_named_class(cls, "exporter", "suffix", "export")
    suffix = cls.suffix
    _require(isinstance(suffix, str), f"{cls.__name__}.suffix must be a string")
    destination = folder / f"council{suffix}"
    context = ExportContext(council or Council(name="Anytown Borough Council"), tuple(results))
    cls(**options).export(context, destination)
    _require(destination.exists(), f"{cls.__name__} wrote nothing at {destination}")
    if suffix:
        _require(destination.is_file(), f"{cls.__name__} should write a file at {destination}")
    else:
        _require(destination.is_dir(), f"{cls.__name__} should write a folder at {destination}")
    leftovers = [p.name for p in folder.iterdir() if p.name.startswith(".")]
    _require(not leftovers, f"{cls.__name__} left temporary files behind: {leftovers}")
    return destination


def check_measurement_model(
    cls: type[MeasurementModel],
    council: Council,
    records: Iterable[Any] = (),
    **options: str,
) -> list[Result]:
    """Check that the model *cls* measures *council* (and *records*) into well-formed results.

    Every result must name the model, carry one of the indicators the model says it yields,
    and have string dimensions; records must have the fields the model needs.

    Returns:
        Every result.
    """
    from socialcouncil.measurement import MeasurementContext, Result
    from socialcouncil.plugins import registered_continua

    name = _require_named_class(cls, "measurement model", "needs", "yields", "measure")
    records = list(records)
    for index, record in enumerate(records):
        missing = [f for f in cls.needs if f not in record.values]
        _require(not missing, f"record {index} ({record.provenance}) lacks {missing}")
    context = MeasurementContext.for_council(council, records, registered=registered_continua())
    results = list(cls(**options).measure(context))
    for index, result in enumerate(results):
        _require(isinstance(result, Result), f"result {index} is {result!r}, not a Result")
        _require(result.model == name, f"result {index} names the model {result.model!r}")
        _require(
            result.indicator in cls.yields,
            f"result {index} has the indicator {result.indicator!r}, not one of {cls.yields}",
        )
        _require(
            all(isinstance(k, str) and isinstance(v, str) for k, v in result.dimensions.items()),
            f"result {index}'s dimensions must map strings to strings",
        )
    return results
