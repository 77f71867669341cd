"""Integrity checks over a loaded council: what a check is, and the runner that runs them.

A :class:`Check` pairs a :class:`Rule` with a function that finds its problems in a
:class:`CheckContext`; each problem becomes a :class:`Finding`, naming the rule, a severity, the
path in the model file and a message for a person. :func:`run_checks` runs checks over a
council with everything they need passed in, and reads nothing else: no plugins, no files, no
clock. :func:`socialcouncil.check` is the convenient form that gathers those from the plugins
installed. The built-in rules (:mod:`socialcouncil.checks.builtin`) are a plugin like any other.
A council can switch rules off with ``[checks] ignore = ["rule-id", ...]``.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import re
import sys
import types
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal, get_args, get_origin

import attrs

from socialcouncil._plugininfo import PluginInfo
from socialcouncil._shape import file_key
from socialcouncil.errors import PluginError
from socialcouncil.measurement import MeasurementModel
from socialcouncil.model import Continuum, Council, Crosswalk

__all__ = ["Check", "CheckContext", "Find", "Finding", "Rule", "Severity", "run_checks"]

Severity = Literal["error", "warning"]
"""How serious a finding is.

An ``"error"`` makes the model wrong; a ``"warning"`` leaves it incomplete.
"""

_NOTHING: Mapping[str, Any] = types.MappingProxyType({})


@attrs.frozen
class Finding:
    """One result of an integrity check.

    Attributes:
        rule: the id of the rule that found it, such as ``"unknown-level"``.
        severity: ``"error"`` or ``"warning"``.
        path: where in the model file, such as ``projects[2].calibrations[0].level``; empty
            for a finding about the model as a whole.
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
        continua: every continuum its projects may name, by id, as
            :meth:`Council.usable_continua <socialcouncil.Council.usable_continua>` decides:
            the council's own first, then the registered ones.
        registered: the continua the plugins register, by id.
        today: the day after which a calibration is in the future.
        rules: every known rule, by id, built-in and from plugins.
        crosswalks: every crosswalk the council can translate with: its own, then the
            registered ones (:meth:`Council.usable_crosswalks
            <socialcouncil.Council.usable_crosswalks>`).
        providers: the plugin that registered each registered continuum, by continuum id,
            where it is known.
        installed: the distributions installed, by name, each with its version.
        models: the registered measurement model classes, by name, for the measures'
            ``model`` keys (each model's :attr:`~socialcouncil.MeasurementModel.inputs` gives
            its fields).
        data_sources: the names of the registered data sources, for the sources' ``type``.
    """

    council: Council
    continua: Mapping[str, Continuum] = attrs.field(hash=False)
    registered: Mapping[str, Continuum] = attrs.field(hash=False)
    today: datetime.date
    rules: Mapping[str, Rule] = attrs.field(hash=False)
    crosswalks: tuple[Crosswalk, ...] = ()
    providers: Mapping[str, PluginInfo] = attrs.field(factory=dict, hash=False)
    installed: Mapping[str, str] = attrs.field(factory=dict, hash=False)
    models: Mapping[str, type[MeasurementModel]] = attrs.field(factory=dict, hash=False)
    data_sources: frozenset[str] = frozenset()


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


# -- ordering findings ------------------------------------------------------------------------

_TOKEN = re.compile(r"\[(\d+)\]|([^.\[\]]+)")

# Keys that a model file holds above its [council] table.
_ABOVE_COUNCIL = ("format", "requires")


@functools.cache
def _fields(cls: type) -> dict[str, tuple[int, type | None]]:
    """A model class's file keys, each with its place and the model class it holds, if any."""
    attrs.resolve_types(cls)
    found: dict[str, tuple[int, type | None]] = {}
    for index, field in enumerate(attrs.fields(cls)):
        args = get_args(field.type)
        inner = args[0] if get_origin(field.type) is tuple and args else field.type
        key = file_key(cls, field.name)
        found[key] = (index, inner if attrs.has(inner) else None)
    return found


def _file_order(finding: Finding) -> tuple[tuple[int, int, str], ...]:
    """Sort findings in the order their paths appear in a model file.

    Keys follow the model's field order (a file written by :func:`socialcouncil.dump` has
    them in that order), list items their index; the keys above the ``[council]`` table come
    first, then that table.
    """
    key: list[tuple[int, int, str]] = []
    cls: type | None = Council
    for index, name in _TOKEN.findall(finding.path):
        if index:
            key.append((1, int(index), ""))
        elif not key and name in _ABOVE_COUNCIL:
            key.append((0, _ABOVE_COUNCIL.index(name) - len(_ABOVE_COUNCIL) - 1, name))
            cls = None
        elif not key and name == "council":
            key.append((0, -1, name))  # the header: name, gss_code and steering_group
        else:
            place, cls = _fields(cls).get(name, (len(_fields(cls)), None)) if cls else (0, None)
            key.append((0, place, name))
    return tuple(key)


# -- running the checks -----------------------------------------------------------------------

_LONGEST_REASON = 300


def _one_line(text: str) -> str:
    """*text* on one line, cut short: a plugin's failure must not swamp the report."""
    line = " ".join(text.split())
    return line if len(line) <= _LONGEST_REASON else line[: _LONGEST_REASON - 3] + "..."


def _pair(answer: object) -> tuple[str, str] | None:
    if (
        isinstance(answer, tuple)
        and len(answer) == 2
        and isinstance(answer[0], str)
        and isinstance(answer[1], str)
    ):
        return answer[0], answer[1]
    return None


def _run(item: Check, ctx: CheckContext) -> tuple[list[Finding], str | None]:
    """The findings of one check, and what went wrong with it, if anything did."""
    rule = item.rule
    found: list[Finding] = []
    failure: str | None = None
    # A plugin's check may print; its output goes to standard error, so that it can never
    # corrupt a report written to standard output (validate --format json).
    with contextlib.redirect_stdout(sys.stderr):
        try:
            for answer in item.find(ctx):
                pair = _pair(answer)
                if pair is None:
                    shown = _one_line(repr(answer))
                    failure = f"yielded {shown}, expected a (path, message) pair of strings"
                    break
                found.append(Finding(rule.id, rule.severity, *pair))
        # A check is plugin code: whatever it raises, sys.exit() included, is the check's
        # failure and not the end of the run; only an interrupt from the user gets through.
        except (Exception, SystemExit) as exc:  # noqa: BLE001
            failure = f"raised {type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    if failure is None:
        return found, None
    source = f" from {item.plugin.describe()}" if item.plugin is not None else ""
    message = _one_line(f"the check for rule {rule.id!r}{source} failed: it {failure}")
    return found, message


def run_checks(
    council: Council,
    checks: Iterable[Check],
    *,
    today: datetime.date,
    continua: Mapping[str, Continuum] = _NOTHING,
    crosswalks: Iterable[Crosswalk] = (),
    providers: Mapping[str, PluginInfo] = _NOTHING,
    installed: Mapping[str, str] = _NOTHING,
    models: Mapping[str, type[MeasurementModel]] = _NOTHING,
    data_sources: Iterable[str] = (),
    strict: bool = False,
) -> list[Finding]:
    """Run *checks* over *council*, with everything they may look at passed in.

    Nothing else is read: not the installed plugins, not the date. :func:`socialcouncil.check`
    passes what the installed plugins register.

    >>> import datetime
    >>> from socialcouncil import Council, Project
    >>> from socialcouncil.checks.builtin import BUILTIN_CHECKS
    >>> council = Council(name="Demo", projects=[
    ...     Project(id="cafe", title="Café", values=["citizen-voice"], continuum="ladder")])
    >>> for finding in run_checks(council, BUILTIN_CHECKS, today=datetime.date(2025, 1, 1)):
    ...     print(finding.severity, finding.rule, finding.path)
    error unknown-value projects[0].values[0]
    warning project-without-priority projects[0].priorities
    error unknown-continuum projects[0].continuum

    Args:
        council: the council to check.
        checks: the checks to run.
        today: the day after which a calibration is in the future.
        continua: the registered continua, by id, that projects may name besides the
            council's own.
        crosswalks: the registered crosswalks.
        providers: the plugin that registered each of *continua*, by continuum id.
        installed: the distributions installed, by name, each with its version; what a
            model file ``requires`` is looked for here.
        models: the registered measurement model classes, by name, that measures may name.
        data_sources: the names of the registered data sources that sources may name.
        strict: whether a check that fails raises, rather than being reported as a finding.

    Returns:
        The findings in the order of their paths in a model file, leaving out rules the
        council switches off in ``[checks] ignore``. A check that raises, or yields something
        other than ``(path, message)`` strings, keeps the findings it yielded before, and adds
        one finding of its own rule, severity ``"warning"``, whose :attr:`Finding.plugin` names
        the plugin and whose message names the plugin, its distribution and the exception.

    Raises:
        PluginError: in strict mode, when a check fails; the message names every one.
    """
    checks = tuple(checks)
    ctx = CheckContext(
        council=council,
        continua=council.usable_continua(continua),
        registered=continua,
        today=today,
        rules={c.rule.id: c.rule for c in checks},
        crosswalks=council.usable_crosswalks(crosswalks),
        providers=providers,
        installed=installed,
        models=models,
        data_sources=frozenset(data_sources),
    )
    ignored = set(council.checks.ignore)
    findings: list[Finding] = []
    failures: list[Finding] = []
    for item in checks:
        if item.rule.id in ignored:
            continue
        found, failure = _run(item, ctx)
        findings += found
        if failure is not None:
            failures.append(Finding(item.rule.id, "warning", "", failure, plugin=item.plugin))
    if strict and failures:
        culprits = {f.plugin for f in failures}
        raise PluginError(
            "\n".join(f.message for f in failures),
            plugin=culprits.pop() if len(culprits) == 1 else None,
        )
    findings += failures
    return sorted(findings, key=_file_order)
