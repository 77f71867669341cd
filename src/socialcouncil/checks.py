"""Integrity checks over a loaded council.

:func:`check` returns :class:`Finding` objects, one per problem, each naming a rule from
:data:`RULES`, a severity, the path in the model file and a message for a person. A council can
switch rules off with ``[checks] ignore = ["rule-id", ...]``.
"""

from __future__ import annotations

import datetime
import difflib
import functools
import re
from typing import TYPE_CHECKING, Literal, get_args, get_origin

import attrs

from socialcouncil.model import Continuum, Council, is_gss_code

if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Iterable, Iterator, Mapping

__all__ = ["RULES", "Finding", "Rule", "Severity", "check"]

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
    """

    rule: str
    severity: Severity
    path: str
    message: str

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
        id: how findings and ``[checks] ignore`` name the rule.
        severity: the severity of its findings.
        summary: what the rule checks, in one sentence.
    """

    id: str
    severity: Severity
    summary: str


_RULES = (
    Rule("duplicate-id", "error", "Two items of the same kind share an id."),
    Rule("unknown-value", "error", "A project or measure names a value that does not exist."),
    Rule(
        "unknown-priority",
        "error",
        "A project, outcome or big move names a priority that does not exist.",
    ),
    Rule("unknown-big-move", "error", "A project names a big move that does not exist."),
    Rule("unknown-outcome", "error", "A measure names an outcome that does not exist."),
    Rule("unknown-measure", "error", "An outcome names a measure that does not exist."),
    Rule(
        "unknown-continuum",
        "error",
        "A project or crosswalk names a continuum that is neither the council's own nor "
        "registered by a plugin.",
    ),
    Rule(
        "unknown-level",
        "error",
        "A target level, calibration or crosswalk names a level its continuum does not have.",
    ),
    Rule(
        "missing-continuum",
        "error",
        "A project has calibrations or a target level but names no continuum to place them on.",
    ),
    Rule(
        "crosswalk-not-monotone",
        "error",
        "A crosswalk maps a higher level to a lower one than it maps a lower level to.",
    ),
    Rule("future-calibration", "error", "A calibration is dated after today."),
    Rule(
        "invalid-gss-code",
        "error",
        "The GSS code is not one of E, W, S, N or K followed by eight digits.",
    ),
    Rule("priority-without-outcome", "warning", "No outcome belongs to a priority."),
    Rule("outcome-without-measure", "warning", "An outcome names no measure."),
    Rule("big-move-without-priority", "warning", "A big move names no priority."),
    Rule("project-without-value", "warning", "A project is linked to no value."),
    Rule("project-without-priority", "warning", "A project is linked to no priority or big move."),
    Rule("value-not-pursued", "warning", "No project pursues a value."),
    Rule(
        "target-below-current",
        "warning",
        "A project's target level is below the level of its current calibration.",
    ),
    Rule(
        "shadowed-continuum",
        "warning",
        "The council defines a continuum with the id of a registered one; the council's own "
        "definition is used for its projects.",
    ),
    Rule("unknown-rule", "warning", "[checks] ignore names a rule that does not exist."),
)

RULES: Mapping[str, Rule] = {rule.id: rule for rule in _RULES}
"""Every built-in rule, by id, in the order of the checks reference."""

# A check yields (rule id, path, message).
_Found = tuple[str, str, str]


@attrs.frozen
class _Context:
    council: Council
    registered: Mapping[str, Continuum]
    continua: Mapping[str, Continuum]  # the council's own, over the registered ones
    today: datetime.date


def _unknown(kind: str, wanted: str, known: Collection[str]) -> str:
    message = f"no {kind} with id {wanted!r}"
    close = difflib.get_close_matches(wanted, list(known), n=1)
    if close:
        return f"{message}; did you mean {close[0]!r}?"
    return message


def _references(
    rule: str, kind: str, path: str, ids: Iterable[str], known: Collection[str]
) -> Iterator[_Found]:
    for index, wanted in enumerate(ids):
        if wanted not in known:
            yield rule, f"{path}[{index}]", _unknown(kind, wanted, known)


def _duplicate_ids(ctx: _Context) -> Iterator[_Found]:
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
                message = f"{id_!r} is already the id of {prefix}[{first[id_]}]"
                yield "duplicate-id", f"{prefix}[{index}].id", message
            else:
                first[id_] = index


def _thread_references(ctx: _Context) -> Iterator[_Found]:
    council, thread = ctx.council, ctx.council.thread
    priorities = {p.id for p in thread.priorities}
    measures = {m.id for m in council.measures}
    for i, outcome in enumerate(thread.outcomes):
        if outcome.priority not in priorities:
            path = f"thread.outcomes[{i}].priority"
            yield "unknown-priority", path, _unknown("priority", outcome.priority, priorities)
        path = f"thread.outcomes[{i}].measures"
        yield from _references("unknown-measure", "measure", path, outcome.measures, measures)
    for i, move in enumerate(thread.big_moves):
        path = f"thread.big_moves[{i}].priorities"
        yield from _references("unknown-priority", "priority", path, move.priorities, priorities)


def _measure_references(ctx: _Context) -> Iterator[_Found]:
    values = {v.id for v in ctx.council.values}
    outcomes = {o.id for o in ctx.council.thread.outcomes}
    for i, measure in enumerate(ctx.council.measures):
        path = f"measures[{i}]"
        yield from _references("unknown-value", "value", f"{path}.values", measure.values, values)
        yield from _references(
            "unknown-outcome", "outcome", f"{path}.outcomes", measure.outcomes, outcomes
        )


def _project_references(ctx: _Context) -> Iterator[_Found]:
    council = ctx.council
    values = {v.id for v in council.values}
    priorities = {p.id for p in council.thread.priorities}
    moves = {m.id for m in council.thread.big_moves}
    for i, project in enumerate(council.projects):
        path = f"projects[{i}]"
        yield from _references("unknown-value", "value", f"{path}.values", project.values, values)
        yield from _references(
            "unknown-priority", "priority", f"{path}.priorities", project.priorities, priorities
        )
        yield from _references(
            "unknown-big-move", "big move", f"{path}.big_moves", project.big_moves, moves
        )
        if project.continuum is None:
            if project.calibrations or project.target_level is not None:
                message = "calibrations and a target level need a continuum to be placed on"
                yield "missing-continuum", f"{path}.continuum", message
            continue
        continuum = ctx.continua.get(project.continuum)
        if continuum is None:
            message = _unknown("continuum", project.continuum, ctx.continua)
            yield "unknown-continuum", f"{path}.continuum", message
            continue
        levels = continuum.level_ids
        kind = f"level of {continuum.id!r}"
        if project.target_level is not None and project.target_level not in levels:
            message = _unknown(kind, project.target_level, levels)
            yield "unknown-level", f"{path}.target_level", message
        for j, calibration in enumerate(project.calibrations):
            if calibration.level not in levels:
                message = _unknown(kind, calibration.level, levels)
                yield "unknown-level", f"{path}.calibrations[{j}].level", message


def _crosswalks(ctx: _Context) -> Iterator[_Found]:
    for i, crosswalk in enumerate(ctx.council.crosswalks):
        path = f"crosswalks[{i}]"
        source = ctx.continua.get(crosswalk.from_)
        target = ctx.continua.get(crosswalk.to)
        if source is None:
            yield (
                "unknown-continuum",
                f"{path}.from",
                _unknown("continuum", crosswalk.from_, ctx.continua),
            )
        if target is None:
            yield (
                "unknown-continuum",
                f"{path}.to",
                _unknown("continuum", crosswalk.to, ctx.continua),
            )
        if source is None or target is None:
            continue
        broken = False
        for key, level in crosswalk.map.items():
            if not source.has_level(key):
                broken = True
                message = _unknown(f"level of {source.id!r}", key, source.level_ids)
                yield "unknown-level", f"{path}.map.{key}", message
            if not target.has_level(level):
                broken = True
                message = _unknown(f"level of {target.id!r}", level, target.level_ids)
                yield "unknown-level", f"{path}.map.{key}", message
        if not broken and not crosswalk.is_monotone(source, target):
            mapping = crosswalk.mapping(source, target)
            pairs = ", ".join(f"{a} → {b}" for a, b in mapping.items())
            message = f"a higher level of {source.id!r} maps lower than a lower one: {pairs}"
            yield "crosswalk-not-monotone", f"{path}.map", message


def _golden_thread(ctx: _Context) -> Iterator[_Found]:
    council, thread = ctx.council, ctx.council.thread
    with_outcome = {o.priority for o in thread.outcomes}
    for i, priority in enumerate(thread.priorities):
        if priority.id not in with_outcome:
            message = f"no outcome belongs to priority {priority.id!r}"
            yield "priority-without-outcome", f"thread.priorities[{i}]", message
    for i, outcome in enumerate(thread.outcomes):
        if not outcome.measures:
            message = f"outcome {outcome.id!r} names no measure"
            yield "outcome-without-measure", f"thread.outcomes[{i}].measures", message
    for i, move in enumerate(thread.big_moves):
        if not move.priorities:
            message = f"big move {move.id!r} names no priority"
            yield "big-move-without-priority", f"thread.big_moves[{i}].priorities", message
    pursued: set[str] = set()
    for i, project in enumerate(council.projects):
        pursued.update(project.values)
        if not project.values:
            message = f"project {project.id!r} is linked to no value"
            yield "project-without-value", f"projects[{i}].values", message
        if not project.priorities and not project.big_moves:
            message = f"project {project.id!r} is linked to no priority or big move"
            yield "project-without-priority", f"projects[{i}].priorities", message
    for i, value in enumerate(council.values):
        if value.id not in pursued:
            yield "value-not-pursued", f"values[{i}]", f"no project pursues {value.id!r}"


def _calibrations(ctx: _Context) -> Iterator[_Found]:
    for i, project in enumerate(ctx.council.projects):
        for j, calibration in enumerate(project.calibrations):
            if calibration.date > ctx.today:
                message = f"dated {calibration.date}, after today ({ctx.today})"
                yield "future-calibration", f"projects[{i}].calibrations[{j}].date", message
        continuum = ctx.continua.get(project.continuum or "")
        current = project.current
        if continuum is None or current is None or project.target_level is None:
            continue
        if not (continuum.has_level(current.level) and continuum.has_level(project.target_level)):
            continue  # reported as unknown-level
        if continuum.rank(project.target_level) < continuum.rank(current.level):
            message = (
                f"target {project.target_level!r} is below the current level "
                f"{current.level!r} (calibrated {current.date})"
            )
            yield "target-below-current", f"projects[{i}].target_level", message


def _council(ctx: _Context) -> Iterator[_Found]:
    code = ctx.council.gss_code
    if code is not None and not is_gss_code(code):
        message = f"found {code!r}, expected one of E, W, S, N, K and eight digits"
        yield "invalid-gss-code", "council.gss_code", message
    for i, continuum in enumerate(ctx.council.continua):
        if continuum.id in ctx.registered:
            message = (
                f"{continuum.id!r} is also a registered continuum; this council's own "
                "definition is used for its projects"
            )
            yield "shadowed-continuum", f"continua[{i}].id", message
    for i, rule in enumerate(ctx.council.checks.ignore):
        if rule not in RULES:
            yield "unknown-rule", f"checks.ignore[{i}]", _unknown("rule", rule, RULES)


_CHECKS: tuple[Callable[[_Context], Iterator[_Found]], ...] = (
    _council,
    _duplicate_ids,
    _thread_references,
    _measure_references,
    _project_references,
    _crosswalks,
    _golden_thread,
    _calibrations,
)

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


def check(
    council: Council,
    *,
    continua: Mapping[str, Continuum] | None = None,
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
        today: the day after which a calibration is in the future; by default today.

    Returns:
        The findings in the order of their paths in a model file, leaving out rules the
        council switches off in ``[checks] ignore``.
    """
    if continua is None:
        from socialcouncil.plugins import registered_continua

        continua = registered_continua()
    own: dict[str, Continuum] = {}
    for continuum in council.continua:
        own.setdefault(continuum.id, continuum)
    ctx = _Context(
        council=council,
        registered=continua,
        continua={**continua, **own},
        today=today or datetime.date.today(),
    )
    ignored = set(council.checks.ignore)
    findings = [
        Finding(rule, RULES[rule].severity, path, message)
        for run in _CHECKS
        for rule, path, message in run(ctx)
        if rule not in ignored
    ]
    return sorted(findings, key=_file_order)
