"""The plugin manager and the registry of everything plugins register.

socialcouncil's built-in plugins are listed in :data:`BUILTIN_PLUGINS` and registered through
the same hooks as any other. Installed plugins are found through the ``socialcouncil``
entry-point group, once, the first time the :func:`registry` is asked for something — never on
``import socialcouncil``.

Environment variables:

``SOCIALCOUNCIL_LOAD_PLUGINS``
    A comma-separated allow-list of installed plugins (entry-point names) to load; set and
    empty, it loads none. Built-in plugins are not affected.
``SOCIALCOUNCIL_DISABLE_PLUGINS``
    A comma-separated list of plugins not to load, built-in or installed.
``SOCIALCOUNCIL_TRACE_PLUGINS``
    ``1`` prints each hook call, and what each plugin answered, on standard error, through
    pluggy's hook-call monitoring.
``SOCIALCOUNCIL_STRICT_PLUGINS``
    ``1`` makes every plugin problem an error rather than a warning.

Hooks are called in pluggy's order (``tryfirst`` and ``trylast`` are honoured; otherwise the
plugin registered last is called first), one implementation at a time, so that one that fails
does not stop the others. When two plugins register one id, a built-in plugin's registration
always wins; between other plugins, the one pluggy calls first wins.

A broken plugin does not stop the others: a plugin that cannot be imported (even one that calls
``sys.exit()`` as it is imported), declares a plugin API it cannot have, needs another version
of the plugin API, implements a hook that does not exist, raises inside a hook, returns the
wrong thing (checked again here, whatever the plugin did to its objects' validation), or
registers an id another plugin already has is named in a :class:`PluginWarning` and left out.
In strict mode each of these is a :class:`~socialcouncil.PluginError` instead. What plugin code
prints while it runs goes to standard error.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import importlib
import os
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, get_args

import attrs
import pluggy

from socialcouncil import hookspecs
from socialcouncil._isolation import describe, plugin_code
from socialcouncil._plugininfo import PluginInfo, PluginProblem
from socialcouncil._warnings import PluginDeprecationWarning, PluginWarning
from socialcouncil.checks import Check, CheckContext, Find, Severity
from socialcouncil.errors import PluginError, SocialCouncilError
from socialcouncil.model import Continuum, Crosswalk, is_valid_id
from socialcouncil.templates import Template

if TYPE_CHECKING:
    import click

    from socialcouncil.exporters import Exporter
    from socialcouncil.exporters.sections import ReportSection
    from socialcouncil.measurement import MeasurementModel
    from socialcouncil.sources import DataSource
    from socialcouncil.store import StoreEngine

__all__ = [
    "BUILTIN_PLUGINS",
    "ENTRY_POINT_GROUP",
    "PluginDeprecationWarning",
    "PluginInfo",
    "PluginProblem",
    "PluginWarning",
    "Registry",
    "isolated_registry",
    "plugin_manager",
    "registered_continua",
    "registry",
    "reset",
]

BUILTIN_PLUGINS: Mapping[str, str] = {
    "reference-continua": "socialcouncil.continua.reference",
    "builtin-checks": "socialcouncil.checks.builtin",
    "starter-template": "socialcouncil.templates.starter",
    "csv-source": "socialcouncil.sources.csv",
    "jsonl-source": "socialcouncil.sources.jsonl",
    "parquet-source": "socialcouncil.sources.parquet",
    "excel-source": "socialcouncil.sources.excel",
    "sqlite-source": "socialcouncil.sources.sqlite",
    "datapackage-source": "socialcouncil.sources.datapackage",
    "sqlite-store": "socialcouncil.store._sqlite",
    "postgresql-store": "socialcouncil.store._postgresql",
    "json-exporter": "socialcouncil.exporters.json",
    "html-exporter": "socialcouncil.exporters.html",
    "markdown-exporter": "socialcouncil.exporters.markdown",
    "strategy-on-a-page-exporter": "socialcouncil.exporters.strategy",
    "results-json-exporter": "socialcouncil.exporters.results_json",
    "csv-exporter": "socialcouncil.exporters.csv",
    "datapackage-exporter": "socialcouncil.exporters.datapackage",
    "calibration-profile": "socialcouncil.measurement.calibration_profile",
    "observed": "socialcouncil.measurement.observed",
    "coproduction-trajectory": "socialcouncil.measurement.coproduction_trajectory",
    "swemwbs": "socialcouncil.measurement.swemwbs",
    "ons4": "socialcouncil.measurement.ons4",
    "timebank": "socialcouncil.measurement.timebank",
    "networks": "socialcouncil.measurement.networks",
    "engagement": "socialcouncil.measurement.engagement",
}
"""The built-in plugins by name, each with its module; registered before any installed plugin."""

ENTRY_POINT_GROUP = hookspecs.PROJECT_NAME
"""The entry-point group a plugin package registers its plugin module under."""


def _env_names(variable: str) -> set[str] | None:
    value = os.environ.get(variable)
    if value is None:
        return None
    return {name.strip() for name in value.split(",") if name.strip()}


def _env_flag(variable: str) -> bool:
    return os.environ.get(variable, "").strip().lower() in {"1", "true", "yes", "on"}


class _BadApiError(Exception):
    """A plugin's SOCIALCOUNCIL_PLUGIN_API is not a whole number or a tuple of them."""


def _supported_versions(plugin: object) -> set[int] | None:
    declared = getattr(plugin, "SOCIALCOUNCIL_PLUGIN_API", None)
    if declared is None:
        return None
    items = (declared,) if not isinstance(declared, (tuple, list, set, frozenset)) else declared
    # bool is an int to Python, but True is no version number.
    if not items or any(isinstance(v, bool) or not isinstance(v, int) for v in items):
        raise _BadApiError(declared)
    return set(items)


# -- checking what plugins return ----------------------------------------------------------------


@contextlib.contextmanager
def _validation_on() -> Iterator[None]:
    """Validation switched on, whatever a plugin did with ``attrs.validators``."""
    was_disabled = attrs.validators.get_disabled()
    attrs.validators.set_disabled(False)
    try:
        yield
    finally:
        attrs.validators.set_disabled(was_disabled)


def _rebuilt(value: object) -> object:
    """*value* made again through its classes' constructors, so every validator runs.

    A plugin may have made an object with validation switched off, or with
    ``object.__new__``; making it again from its fields checks it as a file's would be.
    """
    cls: Any = type(value)
    if attrs.has(cls):
        arguments = {
            field.alias: _rebuilt(getattr(value, field.name))
            for field in attrs.fields(cls)
            if field.init
        }
        return cls(**arguments)
    if isinstance(value, (tuple, list)) and cls in (tuple, list):
        return cls(_rebuilt(item) for item in value)
    if isinstance(value, Mapping):
        return {key: _rebuilt(item) for key, item in value.items()}
    return value


def _describe_value(item: object) -> str:
    return f"{type(item).__name__} {item!r}"


def _is_valid(cls: type) -> Callable[[object], str | None]:
    """A validator: the item is a *cls*, and a valid one when made again from its fields."""

    def check(item: object) -> str | None:
        if not isinstance(item, cls):
            return f"{_describe_value(item)}, expected {cls.__name__}"
        try:
            with _validation_on():
                _rebuilt(item)
        except Exception as exc:  # noqa: BLE001 - whatever is wrong, the item is left out
            return f"a {cls.__name__} that is not valid: {describe(exc)}"
        return None

    return check


_SEVERITIES = get_args(Severity)


def _is_valid_check(item: object) -> str | None:
    reason = _is_valid(Check)(item)
    if reason is not None:
        return reason
    check: Check = item  # type: ignore[assignment]
    rule = check.rule
    if not is_valid_id(getattr(rule, "id", None)):
        return f"a Check whose rule id {getattr(rule, 'id', None)!r} is not an id"
    if getattr(rule, "severity", None) not in _SEVERITIES:
        return f"the check {rule.id!r}, whose severity {rule.severity!r} is not error or warning"
    if not isinstance(getattr(rule, "summary", None), str) or not rule.summary.strip():
        return f"the check {rule.id!r}, whose rule has no summary"
    if not callable(check.find):
        return f"the check {rule.id!r}, whose find {check.find!r} cannot be called"
    return None


def _is_class_with(
    *methods: str, strings: tuple[str, ...] = ("description",), tuples: tuple[str, ...] = ()
) -> Callable[[object], str | None]:
    """A validator: a class with a ``name`` that is an id, these methods and these attributes.

    *strings* are attributes that must be strings, *tuples* tuples of strings.
    """

    def check(item: object) -> str | None:
        if not isinstance(item, type):
            return f"{_describe_value(item)}, expected a class"
        wanted = ("name", *strings, *tuples, *methods)
        missing = [a for a in wanted if not hasattr(item, a)]
        if missing:
            return f"the class {item.__name__}, which lacks {', '.join(missing)}"
        name = getattr(item, "name", None)
        if not is_valid_id(name):
            return f"the class {item.__name__}, whose name {name!r} is not an id"
        for attribute in strings:
            if not isinstance(getattr(item, attribute), str):
                return f"the class {item.__name__}, whose {attribute} is not a string"
        for attribute in tuples:
            value = getattr(item, attribute)
            if not isinstance(value, tuple) or not all(isinstance(v, str) for v in value):
                return f"the class {item.__name__}, whose {attribute} is not a tuple of strings"
        for attribute in methods:
            if not callable(getattr(item, attribute)):
                return f"the class {item.__name__}, whose {attribute} is not a method"
        return None

    return check


def _is_measurement_model(item: object) -> str | None:
    """A validator: a measurement model class of plugin API version 2."""
    from socialcouncil.measurement import Field, Indicator, Option

    reason = _is_class_with("compute", strings=("description", "headline"))(item)
    if reason is not None:
        return reason
    name = f"the class {item.__name__}"  # type: ignore[attr-defined]
    inputs = getattr(item, "inputs", None)
    if not isinstance(inputs, Mapping) or not all(
        isinstance(k, str) and isinstance(v, tuple) and all(isinstance(f, Field) for f in v)
        for k, v in inputs.items()
    ):
        return f"{name}, whose inputs are not a mapping of input names to tuples of Field"
    options = getattr(item, "options", None)
    if not isinstance(options, tuple) or not all(isinstance(o, Option) for o in options):
        return f"{name}, whose options are not a tuple of Option"
    indicators = getattr(item, "indicators", None)
    if not isinstance(indicators, tuple) or not all(isinstance(i, Indicator) for i in indicators):
        return f"{name}, whose indicators are not a tuple of Indicator"
    if item.headline not in {i.name for i in indicators}:  # type: ignore[attr-defined]
        return f"{name}, whose headline {item.headline!r} is not one of its indicators"  # type: ignore[attr-defined]
    return None


class Registry:
    """Everything the plugins register, each kind collected on first use.

    Get the process's registry from :func:`registry`; build a separate one, holding only the
    plugins a test names, with :func:`isolated_registry`.
    """

    def __init__(
        self,
        manager: pluggy.PluginManager,
        plugins: Iterable[PluginInfo],
        problems: Iterable[PluginProblem] = (),
        *,
        strict: bool = False,
        trace: bool = False,
    ) -> None:
        self.manager = manager
        self._plugins = {info.name: info for info in plugins}
        self._problems: list[PluginProblem] = []
        self._providers: dict[tuple[str, str], PluginInfo] = {}
        self.strict = strict
        self.trace = trace
        if trace:
            manager.add_hookcall_monitoring(self._before_call, self._after_call)
        self.generation = 0
        """Counts the changes to the plugins held, so that a cache can tell it is stale."""
        self._report(list(problems))

    # -- what is registered -------------------------------------------------------------------

    @property
    def plugins(self) -> tuple[PluginInfo, ...]:
        """Every plugin held, built-in ones first, with the hooks each implements."""
        found = []
        for name, info in self._plugins.items():
            plugin = self.manager.get_plugin(name)
            callers = self.manager.get_hookcallers(plugin) or [] if plugin is not None else []
            found.append(attrs.evolve(info, hooks=tuple(sorted(c.name for c in callers))))
        return tuple(found)

    @property
    def problems(self) -> tuple[PluginProblem, ...]:
        """Every problem found with a plugin so far, in the order found."""
        return tuple(self._problems)

    @functools.cached_property
    def continua(self) -> Mapping[str, Continuum]:
        """Every registered continuum, by id."""
        return self._collect("register_continua", "continuum", _is_valid(Continuum), _id)

    @functools.cached_property
    def crosswalks(self) -> tuple[Crosswalk, ...]:
        """Every registered crosswalk, at most one from each continuum to each other.

        A crosswalk is left out, with a warning, unless both of its continua are registered and
        its map names only their levels, higher levels never mapping below lower ones.
        """
        continua = self.continua

        def valid(item: object) -> str | None:
            reason = _is_valid(Crosswalk)(item)
            if reason is not None:
                return reason
            crosswalk: Crosswalk = item  # type: ignore[assignment]
            return _crosswalk_problem(crosswalk, continua)

        found = self._collect("register_crosswalks", "crosswalk", valid, _pair)
        return tuple(found.values())

    @functools.cached_property
    def templates(self) -> Mapping[str, Template]:
        """Every registered template, by id."""
        return self._collect("register_templates", "template", _is_valid(Template), _id)

    @functools.cached_property
    def data_sources(self) -> Mapping[str, type[DataSource]]:
        """Every registered data source class, by name."""
        valid = _is_class_with("read")
        return self._collect("register_data_sources", "data source", valid, _name)

    @functools.cached_property
    def exporters(self) -> Mapping[str, type[Exporter]]:
        """Every registered exporter class, by name."""
        valid = _is_class_with("export", strings=("description", "suffix"))
        return self._collect("register_exporters", "exporter", valid, _name)

    @functools.cached_property
    def measurement_models(self) -> Mapping[str, type[MeasurementModel]]:
        """Every registered measurement model class, by name."""
        return self._collect(
            "register_measurement_models", "measurement model", _is_measurement_model, _name
        )

    @functools.cached_property
    def report_sections(self) -> Mapping[str, ReportSection]:
        """Every registered report section, by id, each naming the plugin that registered it."""
        from socialcouncil.exporters.sections import ReportSection

        found: dict[str, ReportSection] = self._collect(
            "register_report_sections", "report section", _is_valid(ReportSection), _id
        )
        return {
            id_: attrs.evolve(item, plugin=self._providers["report section", id_])
            for id_, item in found.items()
        }

    @functools.cached_property
    def store_engines(self) -> Mapping[str, type[StoreEngine]]:
        """Every registered store engine class, by name.

        An engine is left out, with a warning, when it claims a URL scheme that an engine
        registered before it already opens.
        """
        valid = _is_class_with(
            "exists",
            "reading",
            "writing",
            "lock",
            "integrity",
            "error",
            "close",
            tuples=("schemes",),
        )
        found: dict[str, type[StoreEngine]] = self._collect(
            "register_store_engines", "store engine", valid, _name
        )
        engines: dict[str, type[StoreEngine]] = {}
        claimed: dict[str, str] = {}
        clashes = []
        for name, engine in found.items():
            taken = [s for s in engine.schemes if s in claimed]
            if taken:
                info = self._providers["store engine", name]
                owner = claimed[taken[0]]
                clashes.append(
                    PluginProblem(
                        info,
                        f"registers the store engine {name!r} for {taken[0]}:// URLs, which "
                        f"the store engine {owner!r} opens; it is left out",
                    )
                )
                continue
            claimed.update(dict.fromkeys(engine.schemes, name))
            engines[name] = engine
        self._report(clashes)
        return engines

    @functools.cached_property
    def checks(self) -> Mapping[str, Check]:
        """Every registered check, by rule id, each naming the plugin that registered it."""
        found: dict[str, Check] = self._collect(
            "register_checks", "rule", _is_valid_check, _rule_id
        )
        checks = {}
        for rule, item in found.items():
            info = self._providers["rule", rule]
            find = item.find if info.builtin else _quiet(item.find)
            checks[rule] = attrs.evolve(item, plugin=info, find=find)
        return checks

    def contributions(self) -> dict[str, dict[str, list[str]]]:
        """What each plugin registers: plugin name -> kind -> ids, collecting every kind."""
        for kind in _KINDS:
            getattr(self, kind)
        found: dict[str, dict[str, list[str]]] = {name: {} for name in self._plugins}
        for (kind, id_), info in self._providers.items():
            found.setdefault(info.name, {}).setdefault(kind, []).append(id_)
        from socialcouncil._commands import declared_commands

        by_distribution = {i.distribution: i.name for i in self._plugins.values() if i.distribution}
        for name, declared in declared_commands().items():
            owner = by_distribution.get(declared.distribution)
            if owner is not None:
                found[owner].setdefault("command", []).append(name)
        return found

    def provider(self, kind: str, id: str) -> PluginInfo:  # noqa: A002
        """The plugin that registered the *kind* (``"continuum"``, ``"exporter"``, ...) *id*.

        A crosswalk's id is ``"FROM->TO"``, such as ``"solihull-relationship->iap2-spectrum"``.
        """
        getattr(self, _KIND_PROPERTY.get(kind, "continua"))  # collect that kind first
        return self._providers[kind, id]

    @contextlib.contextmanager
    def running(self, kind: str, id: str) -> Iterator[PluginInfo]:  # noqa: A002
        """Run the code of what a plugin registered, such as a data source's reading.

        Inside the block, what the code prints goes to standard error, and an exception it
        raises (other than a :class:`~socialcouncil.SocialCouncilError`, which reports bad input
        on purpose) becomes a :class:`~socialcouncil.PluginError` naming the plugin, its
        distribution and version, and the exception, on one line::

            source = registry.data_sources["csv"]
            with registry.running("data source", "csv"):
                table = source(path).read()

        Consume what the code yields inside the block: a generator runs its code only as it
        is read, and a lazy frame only as it is collected.

        Args:
            kind: as in :meth:`provider`: ``"data source"``, ``"measurement model"``,
                ``"exporter"``, ``"template"``, ``"continuum"``, ``"rule"``, ``"crosswalk"`` or
                ``"report section"``.
            id: its id or name.

        Yields:
            The plugin that registered it.

        Raises:
            KeyError: when no plugin registered *kind* *id*.
        """
        info = self.provider(kind, id)
        try:
            with plugin_code():
                yield info
        except SocialCouncilError:
            raise
        except Exception as exc:
            message = f"{info.describe()}: the {kind} {id!r} failed: {describe(exc)}"
            raise PluginError(message) from exc

    def add_commands(self, cli: click.Group) -> None:
        """Let every plugin add its commands to *cli* through the deprecated hook.

        Commands that clash with one *cli* has are left out. A command that raises as it runs
        is a bug in its plugin, which the command names (exit status 3).
        """
        import click

        group = click.Group()
        for info, answer in self._answers("register_commands", {"cli": group}, wanted=False):
            del answer
            for name in list(group.commands):
                command = group.commands.pop(name)
                if name in cli.commands:
                    message = f"register_commands added {name!r}, which is already a command"
                    self._report([PluginProblem(info, message)])
                    continue
                cli.add_command(command, name)
                self._providers["command", name] = info

    # -- collecting ---------------------------------------------------------------------------

    def _info(self, name: str) -> PluginInfo:
        return self._plugins.get(name) or PluginInfo(name=name, module=name)

    def _answers(
        self, hook: str, arguments: Mapping[str, object], *, wanted: bool = True
    ) -> Iterator[tuple[PluginInfo, list[object]]]:
        """Each plugin's answer to *hook*, as a list, in the order pluggy calls them.

        Each implementation is called on its own, through pluggy, so that one that raises
        does not stop the others; a problem is reported for each that fails, and it is left
        out. With *wanted* false, answers are not read (a hook that returns nothing).
        """
        caller: pluggy.HookCaller = getattr(self.manager.hook, hook)
        # pluggy calls the last of get_hookimpls() first; wrappers wrap each call.
        impls = [i for i in reversed(caller.get_hookimpls()) if not (i.wrapper or i.hookwrapper)]
        callers = [i.plugin for i in impls]
        for impl in impls:
            info = self._info(impl.plugin_name)
            others = [plugin for plugin in callers if plugin is not impl.plugin]
            try:
                with plugin_code():
                    answers = self.manager.subset_hook_caller(hook, others)(**arguments)
                    answer = answers[0] if answers else None
                    items = _as_list(answer) if wanted else []
            except _NotAListError as exc:
                message = f"{hook} returned {type(exc.answer).__name__}, expected a list"
                self._report([PluginProblem(info, message)])
                continue
            except Exception as exc:  # noqa: BLE001 - a plugin's failure is reported, never fatal
                self._report([PluginProblem(info, f"{hook} raised {describe(exc)}")])
                continue
            yield info, items

    def _collect(
        self,
        hook: str,
        kind: str,
        valid: Callable[[object], str | None],
        key: Callable[[Any], str],
    ) -> dict[str, Any]:
        answers = list(self._answers(hook, {}))
        # Built-ins always win a clash; otherwise pluggy's order decides.
        answers.sort(key=lambda answer: not answer[0].builtin)
        found: dict[str, Any] = {}
        problems: list[PluginProblem] = []
        for info, items in answers:
            for item in items:
                reason = valid(item)
                if reason is not None:
                    problems.append(PluginProblem(info, f"{hook} returned {reason}"))
                    continue
                id_ = key(item)
                if id_ in found:
                    problems.append(PluginProblem(info, self._clash(kind, id_)))
                    continue
                found[id_] = item
                self._providers[kind, id_] = info
        self._report(problems)
        # Listed in the order the plugins were registered (the built-ins first, in
        # BUILTIN_PLUGINS' order), each plugin's own in its order: stable, whatever pluggy's.
        place = {name: index for index, name in enumerate(self._plugins)}
        return dict(
            sorted(
                found.items(),
                key=lambda entry: place.get(self._providers[kind, entry[0]].name, len(place)),
            )
        )

    def _clash(self, kind: str, id_: str) -> str:
        first = self._providers[kind, id_]
        if first.builtin:
            return (
                f"registers the {kind} {id_!r}, which the built-in {first.describe()} registers; "
                "built-in plugins always win, so this one is left out"
            )
        return (
            f"registers the {kind} {id_!r}, which {first.describe()} registers too; the one "
            "called first is used, and this one is left out"
        )

    def _report(self, problems: list[PluginProblem]) -> None:
        self._problems.extend(problems)
        if self.strict and self._problems:
            raise PluginError("\n".join(str(p) for p in self._problems))
        for problem in problems:
            warnings.warn(str(problem), PluginWarning, stacklevel=4)

    def _before_call(
        self, hook: str, impls: Iterable[pluggy.HookImpl], _kwargs: Mapping[str, object]
    ) -> None:
        for impl in impls:
            if not (impl.wrapper or impl.hookwrapper):
                print(
                    f"socialcouncil: {hook}: calling {self._info(impl.plugin_name).describe()}",
                    file=sys.stderr,
                )

    def _after_call(
        self,
        outcome: pluggy.Result[Any],
        hook: str,
        impls: Iterable[pluggy.HookImpl],
        _kwargs: Mapping[str, object],
    ) -> None:
        names = ", ".join(
            self._info(i.plugin_name).describe() for i in impls if not (i.wrapper or i.hookwrapper)
        )
        if outcome.exception is not None:
            said = f"raised {describe(outcome.exception)}"
        else:
            result = outcome.get_result()
            said = f"answered {result[0] if result else None!r}"
        print(f"socialcouncil: {hook}: {names} {said}", file=sys.stderr)

    def register(self, plugin: object, name: str | None = None) -> PluginInfo:
        """Register *plugin* (a module or object with hook implementations) from now on.

        What the registry has collected is collected again on next use. A plugin the registry
        holds already, such as an installed plugin found through its entry point, is left as
        it is, and its record returned.

        Raises:
            PluginError: when the plugin cannot be registered; the message names it.
        """
        if self.manager.is_registered(plugin):
            held = self.manager.get_name(plugin)
            if held is not None:
                return self._info(held)
        name = name or getattr(plugin, "__name__", None) or type(plugin).__name__
        info = PluginInfo(name=name, module=name)
        problem = _register(self.manager, info, plugin)
        if problem is not None:
            raise PluginError(str(problem))
        self._plugins[name] = info
        self._forget()
        return info

    def unregister(self, name: str) -> None:
        """Unregister the plugin called *name*; what it registered is gone on next use.

        Raises:
            PluginError: when no plugin of that name is held.
        """
        if self.manager.get_plugin(name) is None:
            held = ", ".join(self._plugins) or "none"
            raise PluginError(f"no plugin {name!r} is registered; registered: {held}")
        self.manager.unregister(name=name)
        self._plugins.pop(name, None)
        self._forget()

    def _forget(self) -> None:
        self.generation += 1
        for kind in _KINDS:
            self.__dict__.pop(kind, None)
        self._providers.clear()

    def make_strict(self) -> None:
        """From now on, treat every plugin problem as an error; raise for those found so far."""
        self.strict = True
        self._report([])


_KINDS = (
    "continua",
    "crosswalks",
    "templates",
    "data_sources",
    "exporters",
    "measurement_models",
    "checks",
    "report_sections",
    "store_engines",
)
_KIND_PROPERTY = {
    "continuum": "continua",
    "crosswalk": "crosswalks",
    "template": "templates",
    "data source": "data_sources",
    "exporter": "exporters",
    "measurement model": "measurement_models",
    "rule": "checks",
    "report section": "report_sections",
    "store engine": "store_engines",
    "command": "plugins",
}


class _NotAListError(Exception):
    """A hook answered something that is not a list of items."""

    def __init__(self, answer: object) -> None:
        super().__init__(answer)
        self.answer = answer


def _as_list(answer: object) -> list[object]:
    """The items of a hook's answer; a generator's code runs here, inside the isolation."""
    if answer is None:
        return []
    if isinstance(answer, (str, bytes, Mapping)) or not isinstance(answer, Iterable):
        raise _NotAListError(answer)
    return list(answer)


def _quiet(find: Find) -> Find:
    """A plugin's check function whose printed output goes to standard error.

    Failures are left to the check runner, which reports them as findings.
    """

    @functools.wraps(find)
    def quiet(context: CheckContext) -> Iterable[tuple[str, str]]:
        with contextlib.redirect_stdout(sys.stderr):
            return list(find(context))

    return quiet


def _crosswalk_problem(crosswalk: Crosswalk, continua: Mapping[str, Continuum]) -> str | None:
    pair = f"the crosswalk from {crosswalk.from_!r} to {crosswalk.to!r}"
    missing = [i for i in (crosswalk.from_, crosswalk.to) if i not in continua]
    if missing:
        names = " or ".join(repr(i) for i in missing)
        return f"{pair}, but no plugin registers the continuum {names}"
    source, target = continua[crosswalk.from_], continua[crosswalk.to]
    for level, mapped in crosswalk.map.items():
        if not source.has_level(level):
            return f"{pair}, whose map names {level!r}, which is not a level of {source.id!r}"
        if not target.has_level(mapped):
            return f"{pair}, whose map names {mapped!r}, which is not a level of {target.id!r}"
    if not crosswalk.is_monotone(source, target):
        return f"{pair}, which maps a higher level below a lower one"
    return None


def _id(item: Any) -> str:
    return str(item.id)


def _name(item: Any) -> str:
    return str(item.name)


def _rule_id(item: Check) -> str:
    return item.rule.id


def _pair(item: Crosswalk) -> str:
    return f"{item.from_}->{item.to}"


# -- building the manager ---------------------------------------------------------------------


def _new_manager() -> pluggy.PluginManager:
    manager = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    manager.add_hookspecs(hookspecs)
    return manager


def _register(
    manager: pluggy.PluginManager, info: PluginInfo, plugin: object
) -> PluginProblem | None:
    """Register *plugin* with *manager*; the problem, if it cannot be, in words for people."""
    try:
        with plugin_code():
            supported = _supported_versions(plugin)
    except _BadApiError as exc:
        message = (
            f"declares SOCIALCOUNCIL_PLUGIN_API = {exc.args[0]!r}; expected a whole number or "
            "a tuple of them, so it was not loaded"
        )
        return PluginProblem(info, message)
    except Exception as exc:  # noqa: BLE001 - a module's own __getattr__ may raise anything
        message = f"cannot be asked for SOCIALCOUNCIL_PLUGIN_API: {describe(exc)}"
        return PluginProblem(info, message)
    if supported is not None and hookspecs.PLUGIN_API_VERSION not in supported:
        versions = ", ".join(str(v) for v in sorted(supported))
        message = (
            f"needs plugin API version {versions}; this socialcouncil provides version "
            f"{hookspecs.PLUGIN_API_VERSION}, so it was not loaded"
        )
        return PluginProblem(info, message)
    if manager.has_plugin(info.name):
        return PluginProblem(info, "has the name of a plugin already loaded; it was not loaded")
    if manager.is_registered(plugin):
        held = manager.get_name(plugin)
        message = f"is the plugin already loaded as {held!r}; it was not loaded twice"
        return PluginProblem(info, message)
    try:
        with warnings.catch_warnings(record=True) as caught, plugin_code():
            warnings.simplefilter("always")
            manager.register(plugin, name=info.name)
    except Exception as exc:  # noqa: BLE001 - pluggy's errors, and the plugin's own, are reported
        detail = "; ".join(line.strip() for line in str(exc).splitlines() if line.strip())
        return PluginProblem(info, f"cannot be registered: {detail or describe(exc)}")
    for warning in caught:
        if issubclass(warning.category, PluginDeprecationWarning):
            warnings.warn(f"{info.describe()}: {warning.message}", warning.category, stacklevel=3)
        else:
            warnings.warn_explicit(
                warning.message, warning.category, warning.filename, warning.lineno
            )
    return None


def _register_builtins(
    manager: pluggy.PluginManager, names: Iterable[str]
) -> dict[str, PluginInfo]:
    """Register the built-in plugins called *names*; a built-in that fails to import is a bug."""
    infos = {}
    for name in names:
        module = BUILTIN_PLUGINS[name]
        manager.register(importlib.import_module(module), name=name)
        infos[name] = PluginInfo(name=name, module=module, builtin=True)
    return infos


def _unknown_hooks(
    manager: pluggy.PluginManager, infos: Mapping[str, PluginInfo]
) -> list[PluginProblem]:
    """A problem for each implementation of a hook that does not exist (a misspelling)."""
    problems = []
    known = [name for name in hookspecs.__all__ if name.startswith("register_")]
    for hook_name, caller in vars(manager.hook).items():
        if not isinstance(caller, pluggy.HookCaller) or caller.has_spec():
            continue
        close = difflib.get_close_matches(hook_name, known, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        for impl in caller.get_hookimpls():
            info = infos.get(impl.plugin_name) or PluginInfo(impl.plugin_name, impl.plugin_name)
            message = f"implements {hook_name!r}, which is not a socialcouncil hook{hint}"
            problems.append(PluginProblem(info, message))
    return problems


def _build(
    builtins: Iterable[str],
    candidates: Iterable[tuple[PluginInfo, Callable[[], object]]],
    *,
    strict: bool,
    trace: bool,
) -> Registry:
    """A registry of the built-ins named, then each candidate plugin that loads and registers."""
    manager = _new_manager()
    infos = _register_builtins(manager, builtins)
    problems: list[PluginProblem] = []
    for info, load in candidates:
        try:
            # A plugin that calls sys.exit() or raises KeyboardInterrupt as it is imported is
            # left out like any other; a Ctrl-C the user presses meanwhile still stops.
            with plugin_code():
                plugin = load()
        except Exception as exc:  # noqa: BLE001 - any failure of a plugin's import is reported
            problems.append(PluginProblem(info, f"cannot be imported: {describe(exc)}"))
            continue
        problem = _register(manager, info, plugin)
        if problem is None:
            infos[info.name] = info
        else:
            problems.append(problem)
    problems += _unknown_hooks(manager, infos)
    return Registry(manager, infos.values(), problems, strict=strict, trace=trace)


def _installed() -> Iterator[tuple[PluginInfo, Callable[[], object]]]:
    """The installed plugins the environment allows, each with the way to import it."""
    from importlib.metadata import entry_points

    disabled = _env_names("SOCIALCOUNCIL_DISABLE_PLUGINS") or set()
    allowed = _env_names("SOCIALCOUNCIL_LOAD_PLUGINS")
    for entry_point in entry_points(group=ENTRY_POINT_GROUP):
        name = entry_point.name
        if name in disabled or (allowed is not None and name not in allowed):
            continue
        dist = entry_point.dist
        info = PluginInfo(
            name=name,
            module=entry_point.value,
            distribution=dist.metadata["Name"] if dist is not None else None,
            version=dist.version if dist is not None else None,
        )
        yield info, entry_point.load


def _load(*, strict: bool, trace: bool) -> Registry:
    disabled = _env_names("SOCIALCOUNCIL_DISABLE_PLUGINS") or set()
    builtins = [name for name in BUILTIN_PLUGINS if name not in disabled]
    return _build(builtins, _installed(), strict=strict, trace=trace)


def isolated_registry(
    *plugins: object,
    builtins: bool | Iterable[str] = True,
    strict: bool = True,
    trace: bool = False,
) -> Registry:
    """A registry of only the built-ins asked for and *plugins*, with no installed plugins.

    For tests: a plugin's tests register just that plugin, whatever else is installed.

    Args:
        plugins: plugin modules or objects, registered in order under their ``__name__`` (or
            their type's name).
        builtins: whether to include socialcouncil's built-in plugins, or which of them by
            name (see :data:`BUILTIN_PLUGINS`).
        strict: whether a plugin problem raises (the default here) or warns.
        trace: whether to print each hook call on standard error.
    """
    wanted = BUILTIN_PLUGINS if builtins is True else () if builtins is False else builtins
    candidates = []
    for plugin in plugins:
        name = getattr(plugin, "__name__", None) or type(plugin).__name__
        candidates.append((PluginInfo(name=name, module=name), functools.partial(_same, plugin)))
    return _build(wanted, candidates, strict=strict, trace=trace)


def _same(plugin: object) -> object:
    return plugin


_registry: Registry | None = None


def registry(*, strict: bool | None = None) -> Registry:
    """The process's registry: the built-in plugins and every installed one, loaded once.

    Args:
        strict: make every plugin problem an error; by default, only when
            ``SOCIALCOUNCIL_STRICT_PLUGINS=1``. Once strict, the registry stays strict.

    Raises:
        PluginError: in strict mode, listing every plugin problem found so far.
    """
    global _registry  # noqa: PLW0603 - one registry per process, built lazily
    strict = strict or _env_flag("SOCIALCOUNCIL_STRICT_PLUGINS")
    if _registry is None:
        # A strict build that finds a problem raises, and leaves nothing behind to reuse.
        _registry = _load(strict=strict, trace=_env_flag("SOCIALCOUNCIL_TRACE_PLUGINS"))
    elif strict:
        _registry.make_strict()
    return _registry


def reset() -> None:
    """Forget the process's registry, so the next use finds the plugins again (for tests)."""
    global _registry  # noqa: PLW0603
    _registry = None


def plugin_manager() -> pluggy.PluginManager:
    """The pluggy plugin manager behind the process's :func:`registry`."""
    return registry().manager


def registered_continua() -> dict[str, Continuum]:
    """Every continuum the plugins register, built-in ones first, by id.

    >>> registered_continua()["iap2-spectrum"].level_ids
    ('inform', 'consult', 'involve', 'collaborate', 'empower')
    """
    return dict(registry().continua)
