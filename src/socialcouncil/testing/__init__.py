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
    from collections.abc import Iterable, Sequence
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

    The exporter is given *results* as the core gives them: after disclosure control under
    the council's ``[publishing]`` settings where the exporter publishes (so a figure on too
    few people reaches it as ``[c]``), exactly as measured where its ``publishes`` is false.

    Returns:
        The path written: ``folder / ("council" + cls.suffix)``.
    """
    from socialcouncil.exporters import ExportContext, Figure
    from socialcouncil.exporters.disclosure import disclose

    _require_named_class(cls, "exporter", "suffix", "export")
    suffix = cls.suffix
    _require(isinstance(suffix, str), f"{cls.__name__}.suffix must be a string")
    publishes = getattr(cls, "publishes", True)
    _require(isinstance(publishes, bool), f"{cls.__name__}.publishes must be true or false")
    destination = folder / f"council{suffix}"
    council = council or Council(name="Anytown Borough Council")
    if publishes:
        figures = list(disclose(tuple(results), council.publishing))
    else:
        figures = [Figure.of(result) for result in results]
    context = ExportContext(council, figures, published=publishes)
    cls(**options).export(context, destination)
    _require(destination.exists(), f"{cls.__name__} wrote nothing at {destination}")
    if suffix:
        _require(destination.is_file(), f"{cls.__name__} should write a file at {destination}")
    else:
        _require(destination.is_dir(), f"{cls.__name__} should write a folder at {destination}")
    leftovers = [p.name for p in folder.iterdir() if p.name.startswith(".")]
    _require(not leftovers, f"{cls.__name__} left temporary files behind: {leftovers}")
    return destination


def _check_model_attributes(cls: type[MeasurementModel]) -> None:
    from socialcouncil.measurement import Field, Indicator, Option

    inputs = cls.inputs
    _require(isinstance(inputs, Mapping), f"{cls.__name__}.inputs must map input names to fields")
    for input_name, fields in inputs.items():
        _require(
            isinstance(fields, tuple) and all(isinstance(f, Field) for f in fields),
            f"{cls.__name__}.inputs[{input_name!r}] must be a tuple of Field",
        )
        names = [f.name for f in fields]
        twice = sorted({n for n in names if names.count(n) > 1})
        _require(not twice, f"{cls.__name__}'s input {input_name!r} names the fields {twice} twice")
    _require(
        isinstance(cls.options, tuple) and all(isinstance(o, Option) for o in cls.options),
        f"{cls.__name__}.options must be a tuple of Option",
    )
    indicators = cls.indicators
    _require(
        isinstance(indicators, tuple)
        and bool(indicators)
        and all(isinstance(i, Indicator) for i in indicators),
        f"{cls.__name__}.indicators must be a non-empty tuple of Indicator",
    )
    names = [i.name for i in indicators]
    twice = sorted({n for n in names if names.count(n) > 1})
    _require(not twice, f"{cls.__name__} names the indicators {twice} twice")
    _require(
        cls.headline in names,
        f"{cls.__name__}.headline {cls.headline!r} must be one of its indicators {names}",
    )
    for input_name, field in (getattr(cls, "person_fields", None) or {}).items():
        _require(
            input_name in inputs and field in {f.name for f in inputs[input_name]},
            f"{cls.__name__}.person_fields names {input_name}.{field}, which is not a field",
        )


def check_measurement_model(
    cls: type[MeasurementModel],
    council: Council | None = None,
    tables: Mapping[str, Any] | None = None,
    *,
    keys: Sequence[str] = (),
    **options: object,
) -> list[Result]:
    """Check that the model *cls* is well formed, and measures *tables* into good results.

    The class must have a name, a description, inputs whose field names are unique, options,
    indicators with unique names, and a headline that is one of them. Given *tables* (input
    name -> a small frame of any engine, its columns named after the fields, with or without
    the :data:`~socialcouncil.ROW` column), or for a model that reads only the council, the
    tables are validated as ``socialcouncil measure`` validates them and
    :meth:`~socialcouncil.MeasurementModel.compute` is run once with *keys*: every figure must
    carry a declared indicator, a finite value, a whole ``n`` of 0 or more, and text dimensions.

    Args:
        cls: the model class.
        council: the council measured; a small one by default.
        tables: the model's inputs by name, as a source would give them.
        keys: the columns to break the figures down by.
        options: the model's options.

    Returns:
        Every result, or none when the model has inputs and no *tables* were given.
    """
    from socialcouncil.measurement import MeasurementContext
    from socialcouncil.measurement.fields import validate
    from socialcouncil.measurement.run import _numbered, _results
    from socialcouncil.model import Measure
    from socialcouncil.plugins import registered_continua

    name = _require_named_class(
        cls, "measurement model", "inputs", "options", "indicators", "headline", "compute"
    )
    _check_model_attributes(cls)
    if tables is None and cls.inputs:
        return []
    given = dict(tables or {})
    _require(
        set(given) == set(cls.inputs),
        f"tables for {sorted(given)} given; {cls.__name__} reads {sorted(cls.inputs)}",
    )
    valid = {}
    for input_name, frame in given.items():
        checked = validate(_numbered(frame), cls.inputs[input_name], source=input_name)
        problems = [p.render() for p in checked.problems]
        _require(not problems, f"the table for {input_name!r} is not valid: {problems}")
        valid[input_name] = checked.frame
    council = council or Council(name="Anytown Borough Council")
    context = MeasurementContext.for_council(
        council, registered=registered_continua(), tables=valid, options=options
    )
    output = cls(**options).compute(context, list(keys))
    indicators = {i.name: i for i in cls.indicators}
    try:
        results = _results(
            name, indicators, Measure(id="checked", name="Checked", unit="-"), keys, _rows(output)
        )
    except ValueError as exc:
        raise AssertionError(str(exc)) from None
    for index, result in enumerate(results):
        _require(
            result.n is None or result.n >= 0,
            f"result {index} ({result.indicator}) has n {result.n}; expected 0 or more",
        )
        _require(
            all(isinstance(k, str) and isinstance(v, str) for k, v in result.dimensions.items()),
            f"result {index}'s dimensions must map strings to strings",
        )
    return results


def _rows(frame: Any) -> list[dict[str, Any]]:
    from socialcouncil.measurement.run import _collected

    columns = _columns(frame)
    missing = [c for c in ("indicator", "value", "n") if c not in columns]
    _require(not missing, f"compute returned a frame without the columns {missing}")
    return _collected(frame)


def _columns(frame: Any) -> list[str]:
    import narwhals as nw

    found = nw.from_native(frame)
    if isinstance(found, nw.LazyFrame):
        return list(found.collect_schema().names())
    return list(found.columns)
