"""Integrity checks over a loaded council.

:func:`check` runs every registered :class:`Check` and returns :class:`Finding` objects, one per
problem, each naming a :class:`Rule`, a severity, the path in the model file and a message for a
person. The built-in rules (:data:`RULES`) are registered through the ``register_checks`` hook
exactly as a plugin registers its own. A council can switch rules off with
``[checks] ignore = ["rule-id", ...]``.
"""

from __future__ import annotations

import datetime
import difflib
import functools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Literal, get_args, get_origin

import attrs

from socialcouncil._plugininfo import PluginInfo
from socialcouncil.errors import PluginError
from socialcouncil.hookspecs import hookimpl
from socialcouncil.model import Continuum, Council, is_gss_code

if TYPE_CHECKING:
    from collections.abc import Collection

__all__ = ["RULES", "Check", "CheckContext", "Finding", "Rule", "Severity", "check"]

Severity = Literal["error", "warning"]
"""How serious a finding is.

An ``"error"`` makes the model wrong; a ``"warning"`` leaves it incomplete.
"""


@attrs.frozen
class Finding:
    """One result of an integrity check.

    Attributes:
        rule: the id of the rule that found it, such as ``"unknown-level"``.
        severity: ``"error"`` or ``"warning"``.
        path: where in the model file, such as ``projects[2].calibrations[0].level``.
        message: what is wrong, for a person to read.
        plugin: the plugin whose check failed, for a finding that reports a plugin's check
            raising rather than a problem in the model; None otherwise.
    """

    rule: str
    severity: Severity
    path: str
    message: str
    plugin: PluginInfo | None = None

    def render(self, file: str | None = None) -> str:
        """The finding as one line: ``file: path: severity [rule] message``.

        >>> Finding("unknown-value", "error", "projects[0].values[1]", "no value 'x'").render()
        "projects[0].values[1]: error [unknown-value] no value 'x'"
        """
        where = ": ".join(p for p in (file, self.path) if p)
        text = f"{self.severity} [{self.rule}] {self.message}"
        return f"{where}: {text}" if where else text


@attrs.frozen
class Rule:
    """A kind of integrity problem, with an id that stays the same from release to release.

    Attributes:
        id: how findings and ``[checks] ignore`` name the rule; unique across all plugins.
        severity: the severity of its findings.
        summary: what the rule checks, in one sentence.
    """

    id: str
    severity: Severity
    summary: str


@attrs.frozen
class CheckContext:
    """Everything a check is given.

    Attributes:
        council: the council checked.
        continua: every continuum its projects may name, by id: the registered ones, with the
            council's own taking the place of a registered one of the same id.
        registered: the continua the plugins register, by id.
        today: the day after which a calibration is in the future.
        rules: every known rule, by id, built-in and from plugins.
    """

    council: Council
    continua: Mapping[str, Continuum] = attrs.field(hash=False)
    registered: Mapping[str, Continuum] = attrs.field(hash=False)
    today: datetime.date
    rules: Mapping[str, Rule] = attrs.field(hash=False)


Find = Callable[[CheckContext], Iterable[tuple[str, str]]]
"""A check's function: given the context, yield ``(path, message)`` for each problem."""


@attrs.frozen
class Check:
    """A rule and the function that finds its problems.

    >>> def unowned(context):
    ...     for i, project in enumerate(context.council.projects):
    ...         if project.owner is None:
    ...             yield f"projects[{i}].owner", f"project {project.id!r} names no owner"
    >>> owner_check = Check(Rule("project-without-owner", "warning",
    ...                          "A project names no owner."), unowned)

    Attributes:
        rule: the rule its findings carry.
        find: yields ``(path, message)`` for each problem in a :class:`CheckContext`.
        plugin: the plugin that registered it; the registry fills it in.
    """

    rule: Rule
    find: Find = attrs.field(eq=False)
    plugin: PluginInfo | None = attrs.field(default=None, eq=False)


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
) -> Iterator[tuple[int, Continuum | None, str | None]]:
    """Each project's index, its continuum (None if unknown) and the continuum id it names."""
    for i, project in enumerate(ctx.council.projects):
        if project.continuum is not None:
            yield i, ctx.continua.get(project.continuum), project.continuum


def _crosswalk_continua(
    ctx: CheckContext,
) -> Iterator[tuple[int, Continuum | None, Continuum | None]]:
    for i, crosswalk in enumerate(ctx.council.crosswalks):
        yield i, ctx.continua.get(crosswalk.from_), ctx.continua.get(crosswalk.to)


# -- the built-in rules, one function each ----------------------------------------------------


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


def _unknown_value(ctx: CheckContext) -> Iterator[tuple[str, str]]:
    values = {v.id for v in ctx.council.values}
    for i, project in enumerate(ctx.council.projects):
        yield from _references("value", f"projects[{i}].values", project.values, values)
    for i, measure in enumerate(ctx.council.measures):
        yield from _references("value", f"measures[{i}].values", measure.values, values)


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


def _unknown_big_move(ctx: CheckContext) -> Iterator[tuple[str, str]]:
    moves = {m.id for m in ctx.council.thread.big_moves}
    for i, project in enumerate(ctx.council.projects):
        yield from _references("big move", f"projects[{i}].big_moves", project.big_moves, moves)


def _unknown_outcome(ctx: CheckContext) -> Iterator[tuple[str, str]]:
    outcomes = {o.id for o in ctx.council.thread.outcomes}
    for i, measure in enumerate(ctx.council.measures):
        yield from _references("outcome", f"measures[{i}].outcomes", measure.outcomes, outcomes)


def _unknown_measure(ctx: CheckContext) -> Iterator[tuple[str, str]]:
    measures = {m.id for m in ctx.council.measures}
    for i, outcome in enumerate(ctx.council.thread.outcomes):
        path = f"thread.outcomes[{i}].measures"
        yield from _references("measure", path, outcome.measures, measures)


def _unknown_continuum(ctx: CheckContext) -> Iterator[tuple[str, str]]:
    for i, continuum, named in _project_continua(ctx):
        if continuum is None and named is not None:
            yield f"projects[{i}].continuum", _unknown("continuum", named, ctx.continua)
    for i, crosswalk in enumerate(ctx.council.crosswalks):
        for key, named in (("from", crosswalk.from_), ("to", crosswalk.to)):
            if named not in ctx.continua:
                yield f"crosswalks[{i}].{key}", _unknown("continuum", named, ctx.continua)


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


def _missing_continuum(ctx: CheckContext) -> Iterator[tuple[str, str]]:
    for i, project in enumerate(ctx.council.projects):
        if project.continuum is None and (project.calibrations or project.target_level):
            message = "calibrations and a target level need a continuum to be placed on"
            yield f"projects[{i}].continuum", message


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


def _future_calibration(ctx: CheckContext) -> Iterator[tuple[str, str]]:
    for i, project in enumerate(ctx.council.projects):
        for j, calibration in enumerate(project.calibrations):
            if calibration.date > ctx.today:
                path = f"projects[{i}].calibrations[{j}].date"
                yield path, f"dated {calibration.date}, after today ({ctx.today})"


def _invalid_gss_code(ctx: CheckContext) -> Iterator[tuple[str, str]]:
    code = ctx.council.gss_code
    if code is not None and not is_gss_code(code):
        yield "council.gss_code", f"found {code!r}, expected one of E, W, S, N, K and eight digits"


def _priority_without_outcome(ctx: CheckContext) -> Iterator[tuple[str, str]]:
    thread = ctx.council.thread
    with_outcome = {o.priority for o in thread.outcomes}
    for i, priority in enumerate(thread.priorities):
        if priority.id not in with_outcome:
            yield f"thread.priorities[{i}]", f"no outcome belongs to priority {priority.id!r}"


def _outcome_without_measure(ctx: CheckContext) -> Iterator[tuple[str, str]]:
    for i, outcome in enumerate(ctx.council.thread.outcomes):
        if not outcome.measures:
            yield f"thread.outcomes[{i}].measures", f"outcome {outcome.id!r} names no measure"


def _big_move_without_priority(ctx: CheckContext) -> Iterator[tuple[str, str]]:
    for i, move in enumerate(ctx.council.thread.big_moves):
        if not move.priorities:
            yield f"thread.big_moves[{i}].priorities", f"big move {move.id!r} names no priority"


def _project_without_value(ctx: CheckContext) -> Iterator[tuple[str, str]]:
    for i, project in enumerate(ctx.council.projects):
        if not project.values:
            yield f"projects[{i}].values", f"project {project.id!r} is linked to no value"


def _project_without_priority(ctx: CheckContext) -> Iterator[tuple[str, str]]:
    for i, project in enumerate(ctx.council.projects):
        if not project.priorities and not project.big_moves:
            message = f"project {project.id!r} is linked to no priority or big move"
            yield f"projects[{i}].priorities", message


def _value_not_pursued(ctx: CheckContext) -> Iterator[tuple[str, str]]:
    pursued = {value for project in ctx.council.projects for value in project.values}
    for i, value in enumerate(ctx.council.values):
        if value.id not in pursued:
            yield f"values[{i}]", f"no project pursues {value.id!r}"


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


def _unknown_rule(ctx: CheckContext) -> Iterator[tuple[str, str]]:
    for i, rule in enumerate(ctx.council.checks.ignore):
        if rule not in ctx.rules:
            yield f"checks.ignore[{i}]", _unknown("rule", rule, ctx.rules)


_BUILTIN: tuple[tuple[str, Severity, str, Find], ...] = (
    ("duplicate-id", "error", "Two items of the same kind share an id.", _duplicate_id),
    (
        "unknown-value",
        "error",
        "A project or measure names a value that does not exist.",
        _unknown_value,
    ),
    (
        "unknown-priority",
        "error",
        "A project, outcome or big move names a priority that does not exist.",
        _unknown_priority,
    ),
    (
        "unknown-big-move",
        "error",
        "A project names a big move that does not exist.",
        _unknown_big_move,
    ),
    (
        "unknown-outcome",
        "error",
        "A measure names an outcome that does not exist.",
        _unknown_outcome,
    ),
    (
        "unknown-measure",
        "error",
        "An outcome names a measure that does not exist.",
        _unknown_measure,
    ),
    (
        "unknown-continuum",
        "error",
        (
            "A project or crosswalk names a continuum that is neither the council's own nor "
            "registered by a plugin."
        ),
        _unknown_continuum,
    ),
    (
        "unknown-level",
        "error",
        "A target level, calibration or crosswalk names a level its continuum does not have.",
        _unknown_level,
    ),
    (
        "missing-continuum",
        "error",
        "A project has calibrations or a target level but names no continuum to place them on.",
        _missing_continuum,
    ),
    (
        "crosswalk-not-monotone",
        "error",
        "A crosswalk maps a higher level to a lower one than it maps a lower level to.",
        _crosswalk_not_monotone,
    ),
    ("future-calibration", "error", "A calibration is dated after today.", _future_calibration),
    (
        "invalid-gss-code",
        "error",
        "The GSS code is not one of E, W, S, N or K followed by eight digits.",
        _invalid_gss_code,
    ),
    (
        "priority-without-outcome",
        "warning",
        "No outcome belongs to a priority.",
        _priority_without_outcome,
    ),
    (
        "outcome-without-measure",
        "warning",
        "An outcome names no measure.",
        _outcome_without_measure,
    ),
    (
        "big-move-without-priority",
        "warning",
        "A big move names no priority.",
        _big_move_without_priority,
    ),
    (
        "project-without-value",
        "warning",
        "A project is linked to no value.",
        _project_without_value,
    ),
    (
        "project-without-priority",
        "warning",
        "A project is linked to no priority or big move.",
        _project_without_priority,
    ),
    ("value-not-pursued", "warning", "No project pursues a value.", _value_not_pursued),
    (
        "target-below-current",
        "warning",
        "A project's target level is below the level of its current calibration.",
        _target_below_current,
    ),
    (
        "shadowed-continuum",
        "warning",
        (
            "The council defines a continuum with the id of a registered one, differently; the "
            "council's own definition is used for its projects."
        ),
        _shadowed_continuum,
    ),
    (
        "unknown-rule",
        "warning",
        "[checks] ignore names a rule that does not exist.",
        _unknown_rule,
    ),
)

BUILTIN_CHECKS: tuple[Check, ...] = tuple(
    Check(Rule(id_, severity, summary), find) for id_, severity, summary, find in _BUILTIN
)
"""The built-in checks, in the order of the checks reference."""

RULES: Mapping[str, Rule] = {c.rule.id: c.rule for c in BUILTIN_CHECKS}
"""Every built-in rule, by id, in the order of the checks reference."""


@hookimpl
def register_checks() -> tuple[Check, ...]:
    """Register the built-in checks."""
    return BUILTIN_CHECKS


# -- ordering findings ------------------------------------------------------------------------

_TOKEN = re.compile(r"\[(\d+)\]|([^.\[\]]+)")


@functools.cache
def _fields(cls: type) -> dict[str, tuple[int, type | None]]:
    """A model class's file keys, each with its place and the model class it holds, if any."""
    attrs.resolve_types(cls)
    found: dict[str, tuple[int, type | None]] = {}
    for index, field in enumerate(attrs.fields(cls)):
        args = get_args(field.type)
        inner = args[0] if get_origin(field.type) is tuple and args else field.type
        key = "from" if field.name == "from_" else field.name
        found[key] = (index, inner if attrs.has(inner) else None)
    return found


def _file_order(finding: Finding) -> tuple[tuple[int, int, str], ...]:
    """Sort findings in the order their paths appear in a model file.

    Keys follow the model's field order (a file written by :func:`socialcouncil.dump` has
    them in that order), list items their index; the ``[council]`` table comes first.
    """
    key: list[tuple[int, int, str]] = []
    cls: type | None = Council
    for index, name in _TOKEN.findall(finding.path):
        if index:
            key.append((1, int(index), ""))
        elif not key and name == "council":
            key.append((0, -1, name))  # the header: name, gss_code and steering_group
        else:
            place, cls = _fields(cls).get(name, (len(_fields(cls)), None)) if cls else (0, None)
            key.append((0, place, name))
    return tuple(key)


# -- running the checks -----------------------------------------------------------------------


def check(
    council: Council,
    *,
    continua: Mapping[str, Continuum] | None = None,
    checks: Iterable[Check] | None = None,
    today: datetime.date | None = None,
) -> list[Finding]:
    """Check *council* for broken references, a broken golden thread and impossible data.

    >>> from socialcouncil import Council, Project
    >>> council = Council(name="Demo", projects=[Project(id="cafe", title="Café",
    ...                                               values=["citizen-voice"])])
    >>> for finding in check(council):
    ...     print(finding.severity, finding.rule, finding.path)
    error unknown-value projects[0].values[0]
    warning project-without-priority projects[0].priorities

    Args:
        council: the council to check.
        continua: the registered continua, by id, that projects may name besides the
            council's own; by default every continuum the installed plugins register.
        checks: the checks to run; by default every check the plugins register, the
            built-in ones among them.
        today: the day after which a calibration is in the future; by default today.

    Returns:
        The findings in the order of their paths in a model file, leaving out rules the
        council switches off in ``[checks] ignore``.

    Raises:
        PluginError: when a check raises; the message names its rule.
    """
    if continua is None or checks is None:
        from socialcouncil.plugins import registry

        found = registry()
        continua = found.continua if continua is None else continua
        checks = found.checks.values() if checks is None else checks
    checks = tuple(checks)
    own: dict[str, Continuum] = {}
    for continuum in council.continua:
        own.setdefault(continuum.id, continuum)
    ctx = CheckContext(
        council=council,
        continua={**continua, **own},
        registered=continua,
        today=today or datetime.date.today(),
        rules={c.rule.id: c.rule for c in checks},
    )
    ignored = set(council.checks.ignore)
    findings: list[Finding] = []
    for item in checks:
        rule = item.rule
        if rule.id in ignored:
            continue
        try:
            findings.extend(Finding(rule.id, rule.severity, p, m) for p, m in item.find(ctx))
        except Exception as exc:
            raise PluginError(f"the check for rule {rule.id!r} failed: {exc!r}") from exc
    return sorted(findings, key=_file_order)
