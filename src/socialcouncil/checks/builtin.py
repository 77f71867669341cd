"""The built-in integrity rules, registered through the ``register_checks`` hook.

Each rule is declared next to the function that finds its problems, in the order of the checks
reference. They are registered exactly as a council's plugin registers its own checks, and see
only what :func:`~socialcouncil.checks.run_checks` puts in the
:class:`~socialcouncil.checks.CheckContext`.
"""

from __future__ import annotations

import difflib
import functools
import shlex
from collections.abc import Mapping
from typing import TYPE_CHECKING

from socialcouncil.checks import Check, CheckContext, Find, Rule, Severity
from socialcouncil.hookspecs import hookimpl
from socialcouncil.model import Continuum, Crosswalk, Measure, is_gss_code, is_valid_id

if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Iterable, Iterator

    from packaging.requirements import Requirement

__all__ = ["BUILTIN_CHECKS", "RULES", "register_checks"]

_DECLARED: list[Check] = []


def _rule(id_: str, severity: Severity, summary: str) -> Callable[[Find], Find]:
    """Declare the decorated function as the check of a built-in rule."""

    def declare(find: Find) -> Find:
        _DECLARED.append(Check(Rule(id_, severity, summary), find))
        return find

    return declare


# -- helpers ----------------------------------------------------------------------------------


def _unknown(kind: str, wanted: str, known: Collection[str]) -> str:
    message = f"no {kind} with id {wanted!r}"
    close = difflib.get_close_matches(wanted, list(known), n=1)
    if close:
        return f"{message}; did you mean {close[0]!r}?"
    return message


def _references(
    kind: str, path: str, ids: Iterable[str], known: Collection[str]
) -> Iterator[tuple[str, str]]:
    for index, wanted in enumerate(ids):
        if wanted not in known:
            yield f"{path}[{index}]", _unknown(kind, wanted, known)


def _project_continua(
    ctx: CheckContext,
) -> Iterator[tuple[int, Continuum | None, str]]:
    """Each project that names a continuum: its index, the continuum (None if unknown), the id."""
    for i, project in enumerate(ctx.council.projects):
        if project.continuum is not None:
            yield i, ctx.continua.get(project.continuum), project.continuum


def _crosswalk_continua(
    ctx: CheckContext,
) -> Iterator[tuple[int, Continuum | None, Continuum | None]]:
    for i, crosswalk in enumerate(ctx.council.crosswalks):
        yield i, ctx.continua.get(crosswalk.from_), ctx.continua.get(crosswalk.to)


def _registered_crosswalks_on_own(
    ctx: CheckContext,
) -> Iterator[tuple[int, Crosswalk, Continuum, Continuum]]:
    """Each registered crosswalk that reads or maps onto one of the council's own continua.

    A plugin's crosswalk was checked against the continua as the plugins define them; a
    council that defines one of them itself may have levels the crosswalk does not know. Each
    comes with the index of that own continuum (the first, where it defines both).
    """
    own: dict[str, int] = {}
    for index, continuum in enumerate(ctx.council.continua):
        own.setdefault(continuum.id, index)
    for crosswalk in ctx.crosswalks[len(ctx.council.crosswalks) :]:
        source, target = ctx.continua.get(crosswalk.from_), ctx.continua.get(crosswalk.to)
        places = [own[c] for c in (crosswalk.from_, crosswalk.to) if c in own]
        if source is not None and target is not None and places:
            yield min(places), crosswalk, source, target


def _canonical(name: str) -> str:
    from packaging.utils import canonicalize_name

    return canonicalize_name(name)


@functools.cache
def _requirement(text: str) -> Requirement | None:
    """*text* parsed as a requirement; None if it is not one (the model refuses those)."""
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        return Requirement(text)
    except InvalidRequirement:
        return None


def _missing_requirements(ctx: CheckContext) -> Iterator[tuple[int, Requirement, str | None]]:
    """Each requirement the installed distributions do not meet, with the version installed."""
    if not ctx.council.requires:
        return
    installed = {_canonical(name): version for name, version in ctx.installed.items()}
    for index, text in enumerate(ctx.council.requires):
        requirement = _requirement(text)
        if requirement is None:
            continue
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue  # not needed on this Python or platform
        version = installed.get(_canonical(requirement.name))
        if version is None:
            yield index, requirement, None
            continue
        try:
            met = requirement.specifier.contains(version, prereleases=True)
        except ValueError:  # a version packaging cannot read meets no specifier
            met = not requirement.specifier
        if not met:
            yield index, requirement, version


def _suggestable_continua(ctx: CheckContext) -> list[str]:
    """The continuum ids a misspelt one may be corrected to.

    The council's own, the built-in ones, and those of the plugins it requires: a continuum of
    another council's plugin that happens to be installed is never offered as a typo's fix.
    """
    required = set()
    for text in ctx.council.requires:
        requirement = _requirement(text)
        if requirement is not None:
            required.add(_canonical(requirement.name))
    ids = [c.id for c in ctx.council.continua]
    for id_ in ctx.registered:
        provider = ctx.providers.get(id_)
        distribution = None if provider is None or provider.builtin else provider.distribution
        if distribution is None or _canonical(distribution) in required:
            ids.append(id_)
    return ids


# -- errors -----------------------------------------------------------------------------------


@_rule("duplicate-id", "error", "Two items of the same kind share an id.")
def _duplicate_id(ctx: CheckContext) -> Iterator[tuple[str, str]]:
    council, thread = ctx.council, ctx.council.thread
    kinds: tuple[tuple[str, Iterable[object]], ...] = (
        ("values", council.values),
        ("thread.priorities", thread.priorities),
        ("thread.outcomes", thread.outcomes),
        ("thread.design_principles", thread.design_principles),
        ("thread.big_moves", thread.big_moves),
        ("continua", council.continua),
        ("measures", council.measures),
        ("projects", council.projects),
    )
    for prefix, items in kinds:
        first: dict[str, int] = {}
        for index, item in enumerate(items):
            id_: str = item.id  # type: ignore[attr-defined]
            if id_ in first:
                yield (
                    f"{prefix}[{index}].id",
                    f"{id_!r} is already the id of {prefix}[{first[id_]}]",
                )
            else:
                first[id_] = index


@_rule("unknown-value", "error", "A project or measure names a value that does not exist.")
def _unknown_value(ctx: CheckContext) -> Iterator[tuple[str, str]]:
    values = {v.id for v in ctx.council.values}
    for i, project in enumerate(ctx.council.projects):
        yield from _references("value", f"projects[{i}].values", project.values, values)
    for i, measure in enumerate(ctx.council.measures):
        yield from _references("value", f"measures[{i}].values", measure.values, values)


@_rule(
    "unknown-priority",
    "error",
    "A project, outcome or big move names a priority that does not exist.",
)
def _unknown_priority(ctx: CheckContext) -> Iterator[tuple[str, str]]:
    thread = ctx.council.thread
    priorities = {p.id for p in thread.priorities}
    for i, outcome in enumerate(thread.outcomes):
        if outcome.priority not in priorities:
            path = f"thread.outcomes[{i}].priority"
            yield path, _unknown("priority", outcome.priority, priorities)
    for i, move in enumerate(thread.big_moves):
        path = f"thread.big_moves[{i}].priorities"
        yield from _references("priority", path, move.priorities, priorities)
    for i, project in enumerate(ctx.council.projects):
        path = f"projects[{i}].priorities"
        yield from _references("priority", path, project.priorities, priorities)


@_rule("unknown-big-move", "error", "A project names a big move that does not exist.")
def _unknown_big_move(ctx: CheckContext) -> Iterator[tuple[str, str]]:
    moves = {m.id for m in ctx.council.thread.big_moves}
    for i, project in enumerate(ctx.council.projects):
        yield from _references("big move", f"projects[{i}].big_moves", project.big_moves, moves)


@_rule("unknown-outcome", "error", "A measure names an outcome that does not exist.")
def _unknown_outcome(ctx: CheckContext) -> Iterator[tuple[str, str]]:
    outcomes = {o.id for o in ctx.council.thread.outcomes}
    for i, measure in enumerate(ctx.council.measures):
        yield from _references("outcome", f"measures[{i}].outcomes", measure.outcomes, outcomes)


@_rule("unknown-measure", "error", "An outcome names a measure that does not exist.")
def _unknown_measure(ctx: CheckContext) -> Iterator[tuple[str, str]]:
    measures = {m.id for m in ctx.council.measures}
    for i, outcome in enumerate(ctx.council.thread.outcomes):
        path = f"thread.outcomes[{i}].measures"
        yield from _references("measure", path, outcome.measures, measures)


@_rule(
    "missing-plugin",
    "error",
    (
        "The model file requires a plugin's distribution that is not installed, or not in a "
        "version it accepts."
    ),
)
def _missing_plugin(ctx: CheckContext) -> Iterator[tuple[str, str]]:
    for index, requirement, version in _missing_requirements(ctx):
        text = ctx.council.requires[index]
        if version is None:
            message = f"{requirement.name} is not installed; install it with: pip install"
        else:
            message = (
                f"{requirement.name} {version} is installed, but this file requires "
                f"{requirement.name}{requirement.specifier}; upgrade it with: pip install --upgrade"
            )
        yield f"requires[{index}]", f"{message} {shlex.quote(text)}"


@_rule(
    "unknown-continuum",
    "error",
    (
        "A project or crosswalk names a continuum that is neither the council's own nor "
        "registered by a plugin."
    ),
)
def _unknown_continuum(ctx: CheckContext) -> Iterator[tuple[str, str]]:
    missing = [requirement.name for _, requirement, _ in _missing_requirements(ctx)]
    # A continuum from a plugin that is not installed is not a typo: say so rather than guess.
    hint = f"; it may be one that {', '.join(missing)} registers (see requires)" if missing else ""
    candidates = _suggestable_continua(ctx)

    def unknown(named: str) -> str:
        known = [] if missing else candidates
        return _unknown("continuum", named, known) + hint

    for i, continuum, named in _project_continua(ctx):
        if continuum is None:
            yield f"projects[{i}].continuum", unknown(named)
    for i, crosswalk in enumerate(ctx.council.crosswalks):
        for key, named in (("from", crosswalk.from_), ("to", crosswalk.to)):
            if named not in ctx.continua:
                yield f"crosswalks[{i}].{key}", unknown(named)


@_rule(
    "unknown-level",
    "error",
    "A target level, calibration or crosswalk names a level its continuum does not have.",
)
def _unknown_level(ctx: CheckContext) -> Iterator[tuple[str, str]]:
    for i, continuum, _ in _project_continua(ctx):
        if continuum is None:
            continue  # reported as unknown-continuum
        project = ctx.council.projects[i]
        levels, kind = continuum.level_ids, f"level of {continuum.id!r}"
        if project.target_level is not None and project.target_level not in levels:
            yield f"projects[{i}].target_level", _unknown(kind, project.target_level, levels)
        for j, calibration in enumerate(project.calibrations):
            if calibration.level not in levels:
                path = f"projects[{i}].calibrations[{j}].level"
                yield path, _unknown(kind, calibration.level, levels)
    for i, source, target in _crosswalk_continua(ctx):
        for key, level in ctx.council.crosswalks[i].map.items():
            if source is not None and not source.has_level(key):
                kind = f"level of {source.id!r}"
                yield f"crosswalks[{i}].map.{key}", _unknown(kind, key, source.level_ids)
            if target is not None and not target.has_level(level):
                kind = f"level of {target.id!r}"
                yield f"crosswalks[{i}].map.{key}", _unknown(kind, level, target.level_ids)
    yield from _registered_crosswalk_levels(ctx)


def _registered_crosswalk_levels(ctx: CheckContext) -> Iterator[tuple[str, str]]:
    for i, crosswalk, source, target in _registered_crosswalks_on_own(ctx):
        for key, level in crosswalk.map.items():
            for continuum, named in ((source, key), (target, level)):
                if not continuum.has_level(named):
                    message = (
                        f"the registered crosswalk from {crosswalk.from_!r} to {crosswalk.to!r} "
                        f"maps {key!r} to {level!r}, but this council's {continuum.id!r} has no "
                        f"level {named!r}"
                    )
                    yield f"continua[{i}].levels", message


@_rule(
    "missing-continuum",
    "error",
    "A project has calibrations or a target level but names no continuum to place them on.",
)
def _missing_continuum(ctx: CheckContext) -> Iterator[tuple[str, str]]:
    for i, project in enumerate(ctx.council.projects):
        if project.continuum is None and (project.calibrations or project.target_level):
            message = "calibrations and a target level need a continuum to be placed on"
            yield f"projects[{i}].continuum", message


@_rule(
    "crosswalk-not-monotone",
    "error",
    "A crosswalk maps a higher level to a lower one than it maps a lower level to.",
)
def _crosswalk_not_monotone(ctx: CheckContext) -> Iterator[tuple[str, str]]:
    for i, source, target in _crosswalk_continua(ctx):
        crosswalk = ctx.council.crosswalks[i]
        if source is None or target is None:
            continue  # reported as unknown-continuum
        known = all(source.has_level(a) and target.has_level(b) for a, b in crosswalk.map.items())
        if known and not crosswalk.is_monotone(source, target):
            mapping = crosswalk.mapping(source, target)
            pairs = ", ".join(f"{a} → {b}" for a, b in mapping.items())
            message = f"a higher level of {source.id!r} maps lower than a lower one: {pairs}"
            yield f"crosswalks[{i}].map", message
    for i, crosswalk, source, target in _registered_crosswalks_on_own(ctx):
        known = all(source.has_level(a) and target.has_level(b) for a, b in crosswalk.map.items())
        if known and not crosswalk.is_monotone(source, target):
            mapping = crosswalk.mapping(source, target)
            pairs = ", ".join(f"{a} → {b}" for a, b in mapping.items())
            message = (
                f"with this council's own {ctx.council.continua[i].id!r}, the registered "
                f"crosswalk from {crosswalk.from_!r} to {crosswalk.to!r} maps a higher level "
                f"lower than a lower one: {pairs}"
            )
            yield f"continua[{i}].levels", message


@_rule("future-calibration", "error", "A calibration is dated after today.")
def _future_calibration(ctx: CheckContext) -> Iterator[tuple[str, str]]:
    for i, project in enumerate(ctx.council.projects):
        for j, calibration in enumerate(project.calibrations):
            if calibration.date > ctx.today:
                path = f"projects[{i}].calibrations[{j}].date"
                yield path, f"dated {calibration.date}, after today ({ctx.today})"


@_rule(
    "invalid-gss-code",
    "error",
    "The GSS code is not one of E, W, S, N or K followed by eight digits.",
)
def _invalid_gss_code(ctx: CheckContext) -> Iterator[tuple[str, str]]:
    code = ctx.council.gss_code
    if code is not None and not is_gss_code(code):
        yield "council.gss_code", f"found {code!r}, expected one of E, W, S, N, K and eight digits"


# -- the measurement plan ---------------------------------------------------------------------


def _key(prefix: str, key: str) -> str:
    """The path to *key* below *prefix*, quoted where the key is not a plain name."""
    if is_valid_id(key) or key.isidentifier():
        return f"{prefix}.{key}"
    return f"{prefix}[{key!r}]"


def _unregistered(kind: str, wanted: str, known: Collection[str]) -> str:
    message = f"no registered {kind} {wanted!r}"
    close = difflib.get_close_matches(wanted, list(known), n=1)
    if close:
        return f"{message}; did you mean {close[0]!r}?"
    if known:
        return f"{message}; expected {_in_words(sorted(known))}"
    return f"{message}; none is registered"


def _in_words(choices: list[str]) -> str:
    quoted = [repr(c) for c in choices]
    if len(quoted) <= 2:
        return " or ".join(quoted)
    return f"one of {', '.join(quoted[:-1])} or {quoted[-1]}"


@_rule(
    "unknown-source",
    "error",
    (
        "A measure names a source that is not among the council's [[sources]], or a source's "
        "type is not a registered data source."
    ),
)
def _unknown_source(ctx: CheckContext) -> Iterator[tuple[str, str]]:
    for i, source in enumerate(ctx.council.sources):
        if source.type not in ctx.data_sources:
            yield f"sources[{i}].type", _unregistered("data source", source.type, ctx.data_sources)
    ids = {source.id for source in ctx.council.sources}
    for i, measure in enumerate(ctx.council.measures):
        if isinstance(measure.source, str):
            if measure.source not in ids:
                yield f"measures[{i}].source", _unknown("source", measure.source, ids)
        elif measure.source is not None:
            for key, wanted in measure.source.items():
                if wanted not in ids:
                    yield _key(f"measures[{i}].source", key), _unknown("source", wanted, ids)


@_rule("unknown-model", "error", "A measure names a measurement model that is not registered.")
def _unknown_model(ctx: CheckContext) -> Iterator[tuple[str, str]]:
    for i, measure in enumerate(ctx.council.measures):
        if measure.model is not None and measure.model not in ctx.models:
            message = _unregistered("measurement model", measure.model, ctx.models)
            yield f"measures[{i}].model", message


def _model_inputs(ctx: CheckContext, model: str | None) -> Mapping[str, list[str]] | None:
    """The field names of each input of the registered *model*; None when it is not known."""
    cls = ctx.models.get(model) if model is not None else None
    inputs = getattr(cls, "inputs", None)
    if not isinstance(inputs, Mapping):
        return None
    return {
        str(name): [str(getattr(f, "name", f)) for f in fields] for name, fields in inputs.items()
    }


def _follows_periods(ctx: CheckContext, model: str) -> bool:
    """Whether *model* reads only the council and takes the option ``period`` itself.

    Such a model (``coproduction-trajectory``) has no date field: it follows its periods
    over the council's own dates, and a measure's ``period`` is for it to use.
    """
    cls = ctx.models.get(model)
    names = {getattr(option, "name", None) for option in getattr(cls, "options", ())}
    return not getattr(cls, "inputs", None) and "period" in names


def _no_such(kind: str, model: str, wanted: str, known: list[str], also: str = "") -> str:
    message = f"{model!r} has no {kind} {wanted!r}{also}"
    if not known:
        return f"{message}: the model reads only the council"
    close = difflib.get_close_matches(wanted, known, n=1)
    if close:
        return f"{message}; did you mean {close[0]!r}?"
    return f"{message}; expected {_in_words(known)}"


def _unknown_columns(
    measure: Measure, where: str, inputs: Mapping[str, list[str]]
) -> Iterator[tuple[str, str]]:
    model, by, names = str(measure.model), set(measure.by), list(inputs)
    every = list(dict.fromkeys(f for fields in inputs.values() for f in fields))
    for key, column in measure.columns.items():
        if isinstance(column, str) and len(inputs) > 1:
            message = (
                f"{model!r} reads several inputs ({', '.join(names)}): its columns are given "
                f'per input, as columns = {{ {names[0]} = {{ field = "Column" }} }}'
            )
            yield _key(f"{where}.columns", key), message
        elif isinstance(column, str):
            if key not in every and key not in by:
                message = _no_such("field", model, key, every, ", and by does not name it")
                yield _key(f"{where}.columns", key), message
        elif key not in inputs:
            yield _key(f"{where}.columns", key), _no_such("input", model, key, names)
        else:
            for field in column:
                if field not in inputs[key] and field not in by:
                    also = f" in its input {key!r}, and by does not name it"
                    message = _no_such("field", model, field, inputs[key], also)
                    yield _key(_key(f"{where}.columns", key), field), message


@_rule(
    "unknown-field",
    "error",
    (
        "A measure's columns name a field its model does not have and by does not name, its "
        "source or columns name an input the model does not have, or its period needs a date "
        "field the model does not have."
    ),
)
def _unknown_field(ctx: CheckContext) -> Iterator[tuple[str, str]]:
    for i, measure in enumerate(ctx.council.measures):
        inputs = _model_inputs(ctx, measure.model)
        if inputs is None or measure.model is None:
            continue  # no model, or unknown-model
        model, where = measure.model, f"measures[{i}]"
        names = list(inputs)
        every = list(dict.fromkeys(f for fields in inputs.values() for f in fields))
        if isinstance(measure.source, str) and not inputs:
            message = f"{model!r} reads only the council: it has no use for a source"
            yield f"{where}.source", message
        elif measure.source is not None and not isinstance(measure.source, str):
            for key in measure.source:
                if key not in inputs:
                    yield _key(f"{where}.source", key), _no_such("input", model, key, names)
        yield from _unknown_columns(measure, where, inputs)
        if measure.period is not None and "date" not in every and not _follows_periods(ctx, model):
            message = (
                f"period {measure.period!r} breaks results down by the model's date field, "
                f"and {model!r} has none"
            )
            yield f"{where}.period", message


@_rule("missing-location", "error", "A source names no location to read from.")
def _missing_location(ctx: CheckContext) -> Iterator[tuple[str, str]]:
    for i, source in enumerate(ctx.council.sources):
        if source.location is None or not source.location.strip():
            found = "none" if source.location is None else "an empty one"
            message = (
                f"source {source.id!r} needs a location, such as a file's path, to be read "
                f"from; found {found}"
            )
            yield f"sources[{i}].location", message


# -- warnings ---------------------------------------------------------------------------------


@_rule("priority-without-outcome", "warning", "No outcome belongs to a priority.")
def _priority_without_outcome(ctx: CheckContext) -> Iterator[tuple[str, str]]:
    thread = ctx.council.thread
    with_outcome = {o.priority for o in thread.outcomes}
    for i, priority in enumerate(thread.priorities):
        if priority.id not in with_outcome:
            yield f"thread.priorities[{i}]", f"no outcome belongs to priority {priority.id!r}"


@_rule("outcome-without-measure", "warning", "An outcome names no measure.")
def _outcome_without_measure(ctx: CheckContext) -> Iterator[tuple[str, str]]:
    for i, outcome in enumerate(ctx.council.thread.outcomes):
        if not outcome.measures:
            yield f"thread.outcomes[{i}].measures", f"outcome {outcome.id!r} names no measure"


@_rule("big-move-without-priority", "warning", "A big move names no priority.")
def _big_move_without_priority(ctx: CheckContext) -> Iterator[tuple[str, str]]:
    for i, move in enumerate(ctx.council.thread.big_moves):
        if not move.priorities:
            yield f"thread.big_moves[{i}].priorities", f"big move {move.id!r} names no priority"


@_rule("project-without-value", "warning", "A project is linked to no value.")
def _project_without_value(ctx: CheckContext) -> Iterator[tuple[str, str]]:
    for i, project in enumerate(ctx.council.projects):
        if not project.values:
            yield f"projects[{i}].values", f"project {project.id!r} is linked to no value"


@_rule("project-without-priority", "warning", "A project is linked to no priority or big move.")
def _project_without_priority(ctx: CheckContext) -> Iterator[tuple[str, str]]:
    for i, project in enumerate(ctx.council.projects):
        if not project.priorities and not project.big_moves:
            message = f"project {project.id!r} is linked to no priority or big move"
            yield f"projects[{i}].priorities", message


@_rule("value-not-pursued", "warning", "No project pursues a value.")
def _value_not_pursued(ctx: CheckContext) -> Iterator[tuple[str, str]]:
    pursued = {value for project in ctx.council.projects for value in project.values}
    for i, value in enumerate(ctx.council.values):
        if value.id not in pursued:
            yield f"values[{i}]", f"no project pursues {value.id!r}"


@_rule(
    "target-below-current",
    "warning",
    "A project's target level is below the level of its current calibration.",
)
def _target_below_current(ctx: CheckContext) -> Iterator[tuple[str, str]]:
    for i, continuum, _ in _project_continua(ctx):
        project = ctx.council.projects[i]
        current, target = project.current, project.target_level
        if continuum is None or current is None or target is None:
            continue
        if not (continuum.has_level(current.level) and continuum.has_level(target)):
            continue  # reported as unknown-level
        if continuum.rank(target) < continuum.rank(current.level):
            message = (
                f"target {target!r} is below the current level {current.level!r} "
                f"(calibrated {current.date})"
            )
            yield f"projects[{i}].target_level", message


@_rule(
    "target-behind-baseline",
    "warning",
    "A measure's target is on the wrong side of its baseline for the direction that is good.",
)
def _target_behind_baseline(ctx: CheckContext) -> Iterator[tuple[str, str]]:
    for i, measure in enumerate(ctx.council.measures):
        baseline, target = measure.baseline, measure.target
        if baseline is None or target is None:
            continue
        behind = target < baseline if measure.direction == "higher" else target > baseline
        if behind:
            way = "below" if measure.direction == "higher" else "above"
            message = (
                f"target {_number(target)} is {way} the baseline {_number(baseline)}, but "
                f"direction {measure.direction!r} says {measure.direction} is better"
            )
            yield f"measures[{i}].target", message


def _number(value: float) -> str:
    """A number as the model file most likely wrote it: ``27``, not the ``27.0`` it is read as."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return repr(value)


def _first_index(ids: Iterable[str]) -> Mapping[str, int]:
    found: dict[str, int] = {}
    for index, id_ in enumerate(ids):
        found.setdefault(id_, index)
    return found


@_rule(
    "measure-outcome-mismatch",
    "warning",
    "A measure names an outcome that does not name the measure, or the other way round.",
)
def _measure_outcome_mismatch(ctx: CheckContext) -> Iterator[tuple[str, str]]:
    measures = _first_index(m.id for m in ctx.council.measures)
    outcomes = _first_index(o.id for o in ctx.council.thread.outcomes)
    for i, measure in enumerate(ctx.council.measures):
        if measures[measure.id] != i:
            continue  # reported as duplicate-id
        for j, outcome_id in enumerate(measure.outcomes):
            k = outcomes.get(outcome_id)
            if k is None:
                continue  # reported as unknown-outcome
            named = ctx.council.thread.outcomes[k].measures
            if not named or measure.id in named:
                continue
            message = (
                f"measure {measure.id!r} names outcome {outcome_id!r}, but "
                f"thread.outcomes[{k}].measures does not name {measure.id!r}"
            )
            yield f"measures[{i}].outcomes[{j}]", message
    for k, outcome in enumerate(ctx.council.thread.outcomes):
        if outcomes[outcome.id] != k:
            continue
        for j, measure_id in enumerate(outcome.measures):
            place = measures.get(measure_id)
            if place is None:
                continue  # reported as unknown-measure
            named = ctx.council.measures[place].outcomes
            # A side that names nothing leaves the links to the other (a measure may list no
            # outcomes; an outcome that lists no measures is outcome-without-measure).
            if named and outcome.id not in named:
                message = (
                    f"outcome {outcome.id!r} names measure {measure_id!r}, but "
                    f"measures[{place}].outcomes does not name {outcome.id!r}"
                )
                yield f"thread.outcomes[{k}].measures[{j}]", message


@_rule(
    "shadowed-continuum",
    "warning",
    (
        "The council defines a continuum with the id of a registered one, differently; the "
        "council's own definition is used for its projects."
    ),
)
def _shadowed_continuum(ctx: CheckContext) -> Iterator[tuple[str, str]]:
    for i, continuum in enumerate(ctx.council.continua):
        registered = ctx.registered.get(continuum.id)
        # The same definition twice does no harm; a different one changes what ids mean.
        if registered is not None and registered != continuum:
            message = (
                f"{continuum.id!r} is also a registered continuum, defined differently; this "
                "council's own definition is used for its projects"
            )
            yield f"continua[{i}].id", message


@_rule("unknown-rule", "warning", "[checks] ignore names a rule that does not exist.")
def _unknown_rule(ctx: CheckContext) -> Iterator[tuple[str, str]]:
    for i, rule in enumerate(ctx.council.checks.ignore):
        if rule not in ctx.rules:
            yield f"checks.ignore[{i}]", _unknown("rule", rule, ctx.rules)


BUILTIN_CHECKS: tuple[Check, ...] = tuple(_DECLARED)
"""The built-in checks, in the order of the checks reference."""

RULES: Mapping[str, Rule] = {c.rule.id: c.rule for c in BUILTIN_CHECKS}
"""Every built-in rule, by id, in the order of the checks reference."""


@hookimpl
def register_checks() -> tuple[Check, ...]:
    """Register the built-in checks."""
    return BUILTIN_CHECKS
