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
    ``1`` prints each hook call, and what each plugin answered, on standard error.
``SOCIALCOUNCIL_STRICT_PLUGINS``
    ``1`` makes every plugin problem an error rather than a warning.

A broken plugin does not stop the others: a plugin that cannot be imported, needs another
version of the plugin API, implements a hook that does not exist, raises inside a hook, returns
the wrong thing, or registers an id another plugin already has is named in a
:class:`PluginWarning` and left out (the first registration of an id is kept). In strict mode
each of these is a :class:`~socialcouncil.PluginError` instead.
"""

from __future__ import annotations

import difflib
import functools
import importlib
import os
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import attrs
import pluggy

from socialcouncil import hookspecs
from socialcouncil._plugininfo import PluginInfo, PluginProblem
from socialcouncil._warnings import PluginWarning
from socialcouncil.checks import Check
from socialcouncil.errors import PluginError
from socialcouncil.model import Continuum, is_valid_id
from socialcouncil.templates import Template

if TYPE_CHECKING:
    import click

    from socialcouncil.exporters import Exporter
    from socialcouncil.measurement import MeasurementModel
    from socialcouncil.sources import DataSource

__all__ = [
    "BUILTIN_PLUGINS",
    "ENTRY_POINT_GROUP",
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
    "json-exporter": "socialcouncil.exporters.json",
    "calibration-profile": "socialcouncil.measurement.calibration_profile",
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


def _supported_versions(plugin: object) -> set[int] | None:
    declared = getattr(plugin, "SOCIALCOUNCIL_PLUGIN_API", None)
    if declared is None:
        return None
    if isinstance(declared, int):
        return {declared}
    return {int(v) for v in declared}


def _is_class_with(*attributes: str) -> Callable[[object], str | None]:
    """A validator: the item is a class with these attributes, and a ``name`` that is an id."""

    def check(item: object) -> str | None:
        if not isinstance(item, type):
            return f"{type(item).__name__} {item!r}, expected a class"
        missing = [a for a in attributes if not hasattr(item, a)]
        if missing:
            return f"the class {item.__name__}, which lacks {', '.join(missing)}"
        name = getattr(item, "name", None)
        if not is_valid_id(name):
            return f"the class {item.__name__}, whose name {name!r} is not an id"
        return None

    return check


def _is_instance(cls: type) -> Callable[[object], str | None]:
    def check(item: object) -> str | None:
        if isinstance(item, cls):
            return None
        return f"{type(item).__name__} {item!r}, expected {cls.__name__}"

    return check


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
        return self._collect("register_continua", "continuum", _is_instance(Continuum), _id)

    @functools.cached_property
    def templates(self) -> Mapping[str, Template]:
        """Every registered template, by id."""
        return self._collect("register_templates", "template", _is_instance(Template), _id)

    @functools.cached_property
    def data_sources(self) -> Mapping[str, type[DataSource]]:
        """Every registered data source class, by name."""
        valid = _is_class_with("name", "description", "records")
        return self._collect("register_data_sources", "data source", valid, _name)

    @functools.cached_property
    def exporters(self) -> Mapping[str, type[Exporter]]:
        """Every registered exporter class, by name."""
        valid = _is_class_with("name", "description", "suffix", "export")
        return self._collect("register_exporters", "exporter", valid, _name)

    @functools.cached_property
    def measurement_models(self) -> Mapping[str, type[MeasurementModel]]:
        """Every registered measurement model class, by name."""
        valid = _is_class_with("name", "description", "needs", "yields", "measure")
        return self._collect("register_measurement_models", "measurement model", valid, _name)

    @functools.cached_property
    def checks(self) -> Mapping[str, Check]:
        """Every registered check, by rule id."""
        return self._collect("register_checks", "rule", _is_instance(Check), _rule_id)

    def contributions(self) -> dict[str, dict[str, list[str]]]:
        """What each plugin registers: plugin name -> kind -> ids, collecting every kind."""
        for kind in _KINDS:
            getattr(self, kind)
        found: dict[str, dict[str, list[str]]] = {name: {} for name in self._plugins}
        for (kind, id_), info in self._providers.items():
            found.setdefault(info.name, {}).setdefault(kind, []).append(id_)
        return found

    def provider(self, kind: str, id: str) -> PluginInfo:  # noqa: A002
        """The plugin that registered the *kind* (``"continuum"``, ``"exporter"``, ...) *id*."""
        return self._providers[kind, id]

    def add_commands(self, cli: click.Group) -> None:
        """Let every plugin add its commands to *cli*, leaving out any that clash."""
        import click

        for impl in self.manager.hook.register_commands.get_hookimpls():
            info = self._info(impl.plugin_name)
            staging = click.Group()
            try:
                self._call(impl, {"cli": staging}, "register_commands")
            except _HookFailedError:
                continue
            for name, command in staging.commands.items():
                if name in cli.commands:
                    message = f"register_commands added {name!r}, which is already a command"
                    self._report([PluginProblem(info, message)])
                    continue
                cli.add_command(command, name)
                self._providers["command", name] = info

    # -- collecting ---------------------------------------------------------------------------

    def _info(self, name: str) -> PluginInfo:
        return self._plugins.get(name) or PluginInfo(name=name, module=name)

    def _call(self, impl: Any, arguments: dict[str, object], hook: str) -> object:
        info = self._info(impl.plugin_name)
        kwargs = {name: arguments[name] for name in impl.argnames}
        try:
            answer = impl.function(**kwargs)
        except Exception as exc:
            self._report([PluginProblem(info, f"{hook} raised {exc!r}")])
            raise _HookFailedError from exc
        if self.trace:
            print(f"socialcouncil: {hook}: {info.describe()} answered {answer!r}", file=sys.stderr)
        return answer

    def _collect(
        self,
        hook: str,
        kind: str,
        valid: Callable[[object], str | None],
        key: Callable[[Any], str],
    ) -> dict[str, Any]:
        found: dict[str, Any] = {}
        problems: list[PluginProblem] = []
        for impl in getattr(self.manager.hook, hook).get_hookimpls():
            info = self._info(impl.plugin_name)
            try:
                answer = self._call(impl, {}, hook)
            except _HookFailedError:
                continue
            if answer is None:
                continue
            if isinstance(answer, (str, bytes)) or not isinstance(answer, Iterable):
                message = f"{hook} returned {type(answer).__name__}, expected a list"
                problems.append(PluginProblem(info, message))
                continue
            for item in answer:
                reason = valid(item)
                if reason is not None:
                    problems.append(PluginProblem(info, f"{hook} returned {reason}"))
                    continue
                id_ = key(item)
                if id_ in found:
                    first = self._providers[kind, id_]
                    message = (
                        f"registers the {kind} {id_!r}, which {first.describe()} registers "
                        "already; the first is used"
                    )
                    problems.append(PluginProblem(info, message))
                    continue
                found[id_] = item
                self._providers[kind, id_] = info
        self._report(problems)
        return found

    def _report(self, problems: list[PluginProblem]) -> None:
        self._problems.extend(problems)
        if self.strict and self._problems:
            raise PluginError("\n".join(str(p) for p in self._problems))
        for problem in problems:
            warnings.warn(str(problem), PluginWarning, stacklevel=4)

    def register(self, plugin: object, name: str | None = None) -> PluginInfo:
        """Register *plugin* (a module or object with hook implementations) from now on.

        What the registry has collected is collected again on next use.

        Raises:
            PluginError: when the plugin cannot be registered.
        """
        name = name or getattr(plugin, "__name__", None) or type(plugin).__name__
        info = PluginInfo(name=name, module=name)
        problem = _register(self.manager, info, plugin)
        if problem is not None:
            raise PluginError(str(problem))
        self._plugins[name] = info
        self._forget()
        return info

    def unregister(self, name: str) -> None:
        """Unregister the plugin called *name*; what it registered is gone on next use."""
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


_KINDS = ("continua", "templates", "data_sources", "exporters", "measurement_models", "checks")


class _HookFailedError(Exception):
    """A hook implementation raised; the problem is already reported."""


def _id(item: Any) -> str:
    return str(item.id)


def _name(item: Any) -> str:
    return str(item.name)


def _rule_id(item: Check) -> str:
    return item.rule.id


# -- building the manager ---------------------------------------------------------------------


def _new_manager() -> pluggy.PluginManager:
    manager = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    manager.add_hookspecs(hookspecs)
    return manager


def _register(
    manager: pluggy.PluginManager, info: PluginInfo, plugin: object
) -> PluginProblem | None:
    supported = _supported_versions(plugin)
    if supported is not None and hookspecs.PLUGIN_API_VERSION not in supported:
        versions = ", ".join(str(v) for v in sorted(supported))
        message = (
            f"needs plugin API version {versions}; this socialcouncil provides version "
            f"{hookspecs.PLUGIN_API_VERSION}, so it was not loaded"
        )
        return PluginProblem(info, message)
    if manager.has_plugin(info.name):
        return PluginProblem(info, "has the name of a plugin already loaded; it was not loaded")
    try:
        manager.register(plugin, name=info.name)
    except (pluggy.PluginValidationError, ValueError) as exc:
        return PluginProblem(info, f"cannot be registered: {exc}")
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
            plugin = load()
        except Exception as exc:  # noqa: BLE001 - any failure of a plugin's import is reported
            problems.append(PluginProblem(info, f"cannot be imported: {exc!r}"))
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
