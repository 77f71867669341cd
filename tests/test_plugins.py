"""The plugin framework: discovery, isolation of broken plugins, strictness, the registry."""

from __future__ import annotations

import importlib
import json
import textwrap
import types
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import given
from hypothesis import strategies as st

import socialcouncil
from socialcouncil import (
    Continuum,
    Level,
    PluginError,
    PluginWarning,
    hookimpl,
    hookspecs,
    plugins,
)
from socialcouncil.cli import main
from socialcouncil.continua import reference
from socialcouncil.plugins import PluginDeprecationWarning

if TYPE_CHECKING:
    from collections.abc import Callable

    from socialcouncil.plugins import PluginInfo

OURS = Continuum(
    id="our-scale",
    name="Our scale",
    levels=[Level(id="told", label="Told"), Level(id="shaping", label="Shaping")],
)

GOOD = """
from socialcouncil import Continuum, Level, hookimpl

@hookimpl
def register_continua():
    return [Continuum(id="{id}", name="Ours", levels=[
        Level(id="told", label="Told"), Level(id="shaping", label="Shaping")])]
"""


def install(
    folder: Path, dist: str, source: str, *, entry_point: str | None = None, version: str = "1.0"
) -> str:
    """Install a plugin distribution into *folder* (on sys.path): a module and its metadata."""
    module = dist.replace("-", "_")
    (folder / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    info = folder / f"{module}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n", encoding="utf-8"
    )
    name = entry_point or dist
    (info / "entry_points.txt").write_text(
        f"[socialcouncil]\n{name} = {module}\n", encoding="utf-8"
    )
    return name


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder on sys.path to install plugin distributions into."""
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    return tmp_path


def allow(monkeypatch: pytest.MonkeyPatch, *names: str) -> None:
    monkeypatch.setenv("SOCIALCOUNCIL_LOAD_PLUGINS", ",".join(names))
    plugins.reset()


def exit_code(args: list[str]) -> int:
    """Run the command as the console script does; its exit status."""
    try:
        main(args)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def plugin(name: str, **hooks: object) -> types.ModuleType:
    module = types.ModuleType(name)
    for hook, function in hooks.items():
        setattr(module, hook, hookimpl(function))  # type: ignore[call-overload]
    return module


# -- built-ins ------------------------------------------------------------------------------


def test_the_built_ins_are_plugins_registered_through_the_hooks() -> None:
    found = socialcouncil.registry()
    assert [p.name for p in found.plugins] == list(plugins.BUILTIN_PLUGINS)
    assert all(p.builtin for p in found.plugins)
    assert list(found.continua) == [
        "arnstein-ladder",
        "iap2-spectrum",
        "coproduction-ladder",
        "hart-ladder",
        "wilcox-levels",
    ]
    assert list(found.templates) == ["starter"]
    assert set(found.data_sources) == {"csv", "jsonl", "parquet", "excel", "sqlite", "datapackage"}
    assert set(found.exporters) == {
        "json",
        "html",
        "markdown",
        "strategy-on-a-page",
        "csv",
        "datapackage",
        "results-json",
    }
    assert set(found.measurement_models) == {
        "calibration-profile",
        "coproduction-trajectory",
        "observed",
        "swemwbs",
        "ons4",
        "timebank",
        "networks",
        "engagement",
    }
    assert list(found.checks) == list(socialcouncil.RULES)
    assert list(found.store_engines) == ["sqlite", "postgresql"]
    assert found.provider("continuum", "iap2-spectrum").name == "reference-continua"
    assert found.manager.get_plugin("reference-continua") is reference


@pytest.mark.parametrize(
    ("continuum", "count", "groups"),
    [
        ("arnstein-ladder", 8, ["Non-participation", "Tokenism", "Citizen power"]),
        ("iap2-spectrum", 5, []),
        ("coproduction-ladder", 7, ["Doing to", "Doing for", "Doing with"]),
        ("hart-ladder", 8, ["Non-participation", "Participation"]),
        ("wilcox-levels", 5, []),
    ],
)
def test_reference_continua_have_their_published_levels_and_a_source(
    continuum: str, count: int, groups: list[str]
) -> None:
    found = socialcouncil.registered_continua()[continuum]
    assert len(found.levels) == count
    assert list(dict.fromkeys(lv.group for lv in found.levels if lv.group)) == groups
    assert found.source
    assert all(level.description for level in found.levels)


def test_a_built_in_can_be_disabled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOCIALCOUNCIL_DISABLE_PLUGINS", "reference-continua, csv-source")
    plugins.reset()
    found = socialcouncil.registry()
    assert found.continua == {}
    assert "csv" not in found.data_sources
    assert "reference-continua" not in [p.name for p in found.plugins]


def test_the_registry_is_built_once_and_can_be_reset() -> None:
    first = socialcouncil.registry()
    assert socialcouncil.registry() is first
    plugins.reset()
    assert socialcouncil.registry() is not first


# -- installed plugins ------------------------------------------------------------------------


def test_an_installed_plugin_is_found_through_its_entry_point(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = install(site, "socialcouncil-anytown", GOOD.format(id="anytown-scale"))
    allow(monkeypatch, name)
    found = socialcouncil.registry()
    assert "anytown-scale" in found.continua
    info = found.provider("continuum", "anytown-scale")
    assert (info.name, info.distribution, info.version) == (
        "socialcouncil-anytown",
        "socialcouncil-anytown",
        "1.0",
    )
    assert info.hooks == ()  # the provider record; the listing below has the hooks
    [listed] = [p for p in found.plugins if p.name == name]
    assert listed.hooks == ("register_continua",)


def test_the_allow_list_loads_only_the_plugins_named(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install(site, "socialcouncil-one", GOOD.format(id="one"))
    install(site, "socialcouncil-two", GOOD.format(id="two"))
    allow(monkeypatch, "socialcouncil-two")
    assert [c for c in socialcouncil.registered_continua() if c in {"one", "two"}] == ["two"]
    allow(monkeypatch)  # set and empty: none
    assert not {"one", "two"} & set(socialcouncil.registered_continua())


def test_the_block_list_leaves_a_plugin_out(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    install(site, "socialcouncil-one", GOOD.format(id="one"))
    install(site, "socialcouncil-two", GOOD.format(id="two"))
    monkeypatch.delenv("SOCIALCOUNCIL_LOAD_PLUGINS")
    monkeypatch.setenv("SOCIALCOUNCIL_DISABLE_PLUGINS", "socialcouncil-one")
    plugins.reset()
    names = set(socialcouncil.registered_continua())
    assert "two" in names
    assert "one" not in names


def test_entry_points_are_not_read_on_import(site: Path) -> None:
    import subprocess
    import sys

    code = "import socialcouncil, sys; print('importlib.metadata' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


# -- broken plugins: named, left out, and never in the way unless strict ----------------------

BROKEN = {
    "import-error": (
        "import no_such_module_anywhere\n",
        "cannot be imported: ModuleNotFoundError(\"No module named 'no_such_module_anywhere'\")",
    ),
    "raises": (
        """
        from socialcouncil import hookimpl

        @hookimpl
        def register_continua():
            raise RuntimeError("the ladder fell over")
        """,
        "register_continua raised RuntimeError('the ladder fell over')",
    ),
    "wrong-type": (
        """
        from socialcouncil import hookimpl

        @hookimpl
        def register_continua():
            return ["iap2-spectrum"]
        """,
        "register_continua returned str 'iap2-spectrum', expected Continuum",
    ),
    "not-a-list": (
        """
        from socialcouncil import hookimpl

        @hookimpl
        def register_continua():
            return 42
        """,
        "register_continua returned int, expected a list",
    ),
    "duplicate-id": (
        GOOD.format(id="iap2-spectrum"),
        (
            "registers the continuum 'iap2-spectrum', which the built-in plugin "
            "'reference-continua' registers; built-in plugins always win, so this one is left out"
        ),
    ),
    "misspelled-hook": (
        """
        from socialcouncil import hookimpl

        @hookimpl
        def register_continuum():
            return []
        """,
        (
            "implements 'register_continuum', which is not a socialcouncil hook; "
            "did you mean 'register_continua'?"
        ),
    ),
    "api-not-a-whole-number": (
        "SOCIALCOUNCIL_PLUGIN_API = 1.5\n" + GOOD.format(id="half-scale"),
        (
            "declares SOCIALCOUNCIL_PLUGIN_API = 1.5; expected a whole number or a tuple of "
            "them, so it was not loaded"
        ),
    ),
    "api-a-string": (
        'SOCIALCOUNCIL_PLUGIN_API = "1"\n' + GOOD.format(id="string-scale"),
        (
            "declares SOCIALCOUNCIL_PLUGIN_API = '1'; expected a whole number or a tuple of "
            "them, so it was not loaded"
        ),
    ),
    "generator-raises-partway": (
        """
        from socialcouncil import Continuum, Level, hookimpl

        @hookimpl
        def register_continua():
            yield Continuum(id="first-of-two", name="First", levels=[
                Level(id="a", label="A"), Level(id="b", label="B")])
            raise RuntimeError("halfway")
        """,
        "register_continua raised RuntimeError('halfway')",
    ),
    "exits-in-a-hook": (
        """
        import sys
        from socialcouncil import hookimpl

        @hookimpl
        def register_continua():
            sys.exit("no continua today")
        """,
        "register_continua raised SystemExit('no continua today')",
    ),
    "exits-on-import": (
        "import sys\nsys.exit(3)\n",
        "cannot be imported: SystemExit(3)",
    ),
    "interrupts-on-import": (
        "raise KeyboardInterrupt\n",
        "cannot be imported: KeyboardInterrupt()",
    ),
    "validation-switched-off": (
        """
        import attrs
        from socialcouncil import Continuum, Level, hookimpl

        @hookimpl
        def register_continua():
            with attrs.validators.disabled():
                return [Continuum(id="Not An Id", name="Bad", levels=[
                    Level(id="a", label="A"), Level(id="b", label="B")])]
        """,
        (
            'register_continua returned a Continuum that is not valid: InvalidValueError("id: '
            "found 'Not An Id', expected an id of lowercase letters, digits and hyphens, such as "
            "'citizen-voice'\")"
        ),
    ),
    "made-without-init": (
        """
        from socialcouncil import Continuum, hookimpl

        @hookimpl
        def register_continua():
            return [object.__new__(Continuum)]
        """,
        (
            "register_continua returned a Continuum that is not valid: "
            "AttributeError(\"'Continuum' object has no attribute 'id'\")"
        ),
    ),
    "attribute-raises": (
        "def __getattr__(name):\n    raise RuntimeError(f'no {name} here')\n",
        (
            "cannot be asked for SOCIALCOUNCIL_PLUGIN_API: "
            "RuntimeError('no SOCIALCOUNCIL_PLUGIN_API here')"
        ),
    ),
    "incompatible-api": (
        "SOCIALCOUNCIL_PLUGIN_API = (3, 4)\n" + GOOD.format(id="future-scale"),
        (
            "needs plugin API version 3, 4; this socialcouncil provides version 2, so it was not "
            "loaded"
        ),
    ),
}


@pytest.mark.parametrize("kind", list(BROKEN))
def test_a_broken_plugin_is_named_with_its_distribution_and_left_out(
    kind: str, site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, message = BROKEN[kind]
    name = install(site, f"socialcouncil-{kind}", source, version="0.3")
    allow(monkeypatch, name)
    with pytest.warns(PluginWarning) as caught:
        continua = socialcouncil.registry().continua
    found = socialcouncil.registry()
    expected = f"plugin {name!r} (from {name} 0.3): {message}"
    assert [str(w.message) for w in caught] == [expected]
    assert [str(p) for p in found.problems] == [expected]
    # Everything else keeps working.
    assert "iap2-spectrum" in continua
    assert continua["iap2-spectrum"].name.startswith("IAP2")


@pytest.mark.parametrize("kind", list(BROKEN))
def test_a_broken_plugin_does_not_stop_the_commands(
    kind: str,
    site: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    allow(monkeypatch, install(site, f"socialcouncil-{kind}", BROKEN[kind][0]))
    council = tmp_path / "council.toml"
    council.write_text('[council]\nname = "Anytown"\n', encoding="utf-8")
    for args in (["plugins"], ["continua"], ["validate", str(council)]):
        plugins.reset()
        assert exit_code(args) == 0, (args, capsys.readouterr())
        assert f"plugin 'socialcouncil-{kind}'" in capsys.readouterr().err


@pytest.mark.parametrize("kind", list(BROKEN))
def test_strict_mode_makes_a_broken_plugin_an_error(
    kind: str,
    site: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    allow(monkeypatch, install(site, f"socialcouncil-{kind}", BROKEN[kind][0]))
    council = tmp_path / "council.toml"
    council.write_text('[council]\nname = "Anytown"\n', encoding="utf-8")
    monkeypatch.setenv("SOCIALCOUNCIL_STRICT_PLUGINS", "1")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # strict mode raises; it never only warns
        with pytest.raises(PluginError, match=f"plugin 'socialcouncil-{kind}'"):
            socialcouncil.registry().continua  # noqa: B018
    monkeypatch.delenv("SOCIALCOUNCIL_STRICT_PLUGINS")
    for args in (["--strict-plugins", "continua"], ["validate", "--strict", str(council)]):
        plugins.reset()
        assert exit_code(args) == 2, args
        assert f"plugin 'socialcouncil-{kind}'" in capsys.readouterr().err


def test_trace_prints_each_hook_call_and_who_answered(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SOCIALCOUNCIL_TRACE_PLUGINS", "1")
    plugins.reset()
    socialcouncil.registry().exporters  # noqa: B018
    err = capsys.readouterr().err
    assert "socialcouncil: register_exporters: plugin 'json-exporter' answered [" in err


# -- isolated registries, for tests ---------------------------------------------------------


def test_an_isolated_registry_holds_only_the_plugins_named() -> None:
    found = plugins.isolated_registry(
        plugin("ours", register_continua=lambda: [OURS]), builtins=["reference-continua"]
    )
    assert list(found.continua)[-1] == "our-scale"
    assert found.templates == {}
    council = socialcouncil.Council(
        name="Demo",
        projects=[
            socialcouncil.Project(id="p", title="P", continuum="our-scale", target_level="shaping")
        ],
    )
    rules = {f.rule for f in socialcouncil.check(council, continua=found.continua)}
    assert "unknown-continuum" not in rules
    assert "unknown-level" not in rules


def test_two_plugins_registering_one_id_name_both() -> None:
    found = plugins.isolated_registry(
        plugin("first", register_continua=lambda: [OURS]),
        plugin("second", register_continua=lambda: [OURS]),
        builtins=False,
    )
    with pytest.raises(PluginError) as caught:
        found.continua  # noqa: B018
    # pluggy calls the plugin registered last first, and the first called wins.
    assert str(caught.value) == (
        "plugin 'first': registers the continuum 'our-scale', which plugin 'second' registers "
        "too; the one called first is used, and this one is left out"
    )


def test_plugin_commands_are_added_and_clashes_left_out() -> None:
    import click

    def register_commands(cli: click.Group) -> None:
        @cli.command()
        def hello() -> None:
            """Say hello."""

        @cli.command(name="validate")
        def clash() -> None:
            """Clash with a built-in command."""

    with pytest.warns(PluginDeprecationWarning, match="plugin 'greeter': implements register_c"):
        found = plugins.isolated_registry(
            plugin("greeter", register_commands=register_commands), builtins=False, strict=False
        )
    group = click.Group(commands={"validate": click.Command("validate")})
    with pytest.warns(PluginWarning, match="register_commands added 'validate'"):
        found.add_commands(group)
    assert sorted(group.commands) == ["hello", "validate"]
    assert found.provider("command", "hello").name == "greeter"


# -- pluggy's order, and who wins a clash -----------------------------------------------------


def scale(id_: str, name: str) -> Continuum:
    return Continuum(
        id=id_, name=name, levels=[Level(id="told", label="Told"), Level(id="shaping", label="S")]
    )


def marked(name: str, hook: str, answer: object, **options: bool) -> types.ModuleType:
    module = types.ModuleType(name)

    def implementation() -> object:
        return answer

    setattr(module, hook, hookimpl(**options)(implementation))  # type: ignore[call-overload]
    return module


def test_tryfirst_and_trylast_decide_which_plugin_is_called_first() -> None:
    found = plugins.isolated_registry(
        marked("early", "register_continua", [scale("shared", "Early")], tryfirst=True),
        marked("plain", "register_continua", [scale("shared", "Plain")]),
        marked("late", "register_continua", [scale("shared", "Late")], trylast=True),
        builtins=False,
        strict=False,
    )
    with pytest.warns(PluginWarning) as caught:
        assert found.continua["shared"].name == "Early"
    assert found.provider("continuum", "shared").name == "early"
    assert [str(w.message).split(":")[0] for w in caught] == ["plugin 'plain'", "plugin 'late'"]


def test_without_markers_the_plugin_registered_last_is_called_first() -> None:
    found = plugins.isolated_registry(
        marked("one", "register_templates", None),
        marked("a", "register_continua", [scale("shared", "A")]),
        marked("b", "register_continua", [scale("shared", "B")]),
        builtins=False,
        strict=False,
    )
    with pytest.warns(PluginWarning, match="plugin 'a'"):
        assert found.continua["shared"].name == "B"


def test_what_is_registered_is_listed_in_the_order_the_plugins_were_registered() -> None:
    found = plugins.isolated_registry(
        marked("a", "register_continua", [scale("a-two", "A2"), scale("a-one", "A1")]),
        marked("b", "register_continua", [scale("b-scale", "B")], tryfirst=True),
        marked("c", "register_continua", [scale("c-scale", "C")]),
        builtins=["reference-continua"],
    )
    # Whatever order pluggy calls them in; each plugin's own in the order it gave them.
    assert list(found.continua)[-4:] == ["a-two", "a-one", "b-scale", "c-scale"]
    assert next(iter(found.continua)) == "arnstein-ladder"


def test_the_built_in_sources_and_models_are_listed_in_a_stable_order() -> None:
    found = plugins.isolated_registry()
    assert list(found.data_sources)[:2] == ["csv", "jsonl"]
    assert next(iter(found.measurement_models)) == "calibration-profile"


@given(st.lists(st.sampled_from(["tryfirst", "plain", "trylast"]), min_size=1, max_size=5))
def test_the_first_plugin_pluggy_calls_wins_a_clash(marks: list[str]) -> None:
    candidates = [
        marked(
            f"p{index}",
            "register_continua",
            [scale("shared", f"P{index}"), scale("iap2-spectrum", f"Not IAP2 {index}")],
            **({mark: True} if mark != "plain" else {}),
        )
        for index, mark in enumerate(marks)
    ]
    found = plugins.isolated_registry(*candidates, builtins=["reference-continua"], strict=False)
    # pluggy: tryfirst before plain before trylast; the last registered first, except that
    # each trylast implementation goes to the very end as it is registered.
    rank = {"tryfirst": 0, "plain": 1, "trylast": 2}
    first = min(
        range(len(marks)), key=lambda i: (rank[marks[i]], i if marks[i] == "trylast" else -i)
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PluginWarning)
        continua = found.continua
    assert continua["shared"].name == f"P{first}"
    assert continua["iap2-spectrum"].name.startswith("IAP2")  # the built-in, whatever the order


def test_a_built_in_wins_a_clash_even_against_tryfirst() -> None:
    impostor = marked(
        "impostor", "register_continua", [scale("arnstein-ladder", "Not Arnstein")], tryfirst=True
    )
    found = plugins.isolated_registry(impostor, strict=False)
    with pytest.warns(PluginWarning, match="built-in plugins always win"):
        ladder = found.continua["arnstein-ladder"]
    assert ladder is reference.ARNSTEIN_LADDER
    assert found.provider("continuum", "arnstein-ladder").builtin


def test_trace_goes_through_pluggys_hook_call_monitoring(
    capsys: pytest.CaptureFixture[str],
) -> None:
    early = marked("early", "register_templates", [], tryfirst=True)
    found = plugins.isolated_registry(early, builtins=["starter-template"], trace=True)
    found.templates  # noqa: B018
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == "socialcouncil: register_templates: calling plugin 'early'"
    assert lines[1] == "socialcouncil: register_templates: plugin 'early' answered []"
    assert lines[2] == "socialcouncil: register_templates: calling plugin 'starter-template'"
    assert lines[3].startswith(
        "socialcouncil: register_templates: plugin 'starter-template' answered [Template("
    )


# -- isolation: whatever a plugin does, the others and the output are unharmed ----------------


def test_a_real_ctrl_c_still_stops_plugin_code() -> None:
    import signal

    from socialcouncil._isolation import PluginExit, plugin_code

    with pytest.raises(KeyboardInterrupt), plugin_code():
        signal.raise_signal(signal.SIGINT)  # the user pressed Ctrl-C
    with pytest.raises(PluginExit) as caught, plugin_code():
        raise KeyboardInterrupt  # the plugin raised it itself
    assert repr(caught.value) == "KeyboardInterrupt()"
    with pytest.raises(PluginExit, match="SystemExit"), plugin_code():
        raise SystemExit(1)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_plugin_that_prints_never_corrupts_json_output(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = """
    print("loading the chatty plugin")
    from socialcouncil import Check, Rule, hookimpl

    def find(context):
        print("checking")
        return []

    @hookimpl
    def register_checks():
        print("registering")
        return [Check(Rule("chatty-rule", "warning", "Says things."), find)]
    """
    allow(monkeypatch, install(site, "socialcouncil-chatty", source))
    council = tmp_path / "council.toml"
    council.write_text('[council]\nname = "Anytown"\n', encoding="utf-8")
    assert exit_code(["validate", "--format", "json", str(council)]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["exit_code"] == 0
    assert "loading the chatty plugin" in err
    assert "registering" in err


BREAKS_IN = {
    hook: f"""
    from socialcouncil import hookimpl

    @hookimpl
    def {hook}({"cli" if hook == "register_commands" else ""}):
        raise RuntimeError("broken in {hook}")
    """
    for hook in hookspecs.__all__
    if hook.startswith("register_")
}


@pytest.mark.parametrize("hook", list(BREAKS_IN))
def test_a_plugin_broken_in_any_hook_does_not_stop_the_others(
    hook: str, site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = "socialcouncil-broken-" + hook.removeprefix("register_").replace("_", "-")
    allow(monkeypatch, install(site, name, BREAKS_IN[hook], version="2.1"))
    expected = f"plugin {name!r} (from {name} 2.1): {hook} raised RuntimeError('broken in {hook}')"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        found = socialcouncil.registry()
        if hook == "register_commands":
            import click

            group = click.Group()
            found.add_commands(group)
        else:
            found.contributions()
    assert expected in [str(w.message) for w in caught]
    assert expected in [str(p) for p in found.problems]
    # The built-ins answered the same hooks, and are all there.
    registered = found.contributions()
    assert registered["reference-continua"]["continuum"][0] == "arnstein-ladder"
    assert "starter" in found.templates
    assert "csv" in found.data_sources
    assert "json" in found.exporters
    assert "calibration-profile" in found.measurement_models
    assert set(socialcouncil.RULES) <= set(found.checks)
    assert {"sqlite", "postgresql"} <= set(found.store_engines)


USE_TIME = """
from socialcouncil import Indicator, Template, hookimpl

class Source:
    name = "broken-source"
    description = "Reads nothing."

    def __init__(self, location, **options):
        pass

    def read(self):
        print("reading")
        raise OSError("the share is gone")

class Model:
    name = "broken-model"
    description = "Measures nothing."
    inputs = {}
    options = ()
    indicators = (Indicator("nothing", "count", "things", people=False),)
    headline = "nothing"

    def __init__(self, **options):
        pass

    def compute(self, context, keys):
        raise ZeroDivisionError("division by zero")

class Exporter:
    name = "broken-exporter"
    description = "Writes nothing."
    suffix = ".txt"

    def __init__(self, **options):
        pass

    def export(self, context, destination):
        raise SystemExit(4)

@hookimpl
def register_data_sources():
    return [Source]

@hookimpl
def register_measurement_models():
    return [Model]

@hookimpl
def register_exporters():
    return [Exporter]
"""


@pytest.mark.parametrize(
    ("kind", "id_", "error"),
    [
        ("data source", "broken-source", "OSError('the share is gone')"),
        ("measurement model", "broken-model", "ZeroDivisionError('division by zero')"),
        ("exporter", "broken-exporter", "SystemExit(4)"),
    ],
)
def test_running_a_plugins_code_names_the_plugin_when_it_fails(  # noqa: PLR0917
    kind: str,
    id_: str,
    error: str,
    site: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    allow(monkeypatch, install(site, "socialcouncil-fragile", USE_TIME, version="0.9"))
    found = socialcouncil.registry()
    council = socialcouncil.Council(name="Anytown")

    def use() -> None:
        if kind == "data source":
            found.data_sources[id_](tmp_path / "x.csv").read()
        elif kind == "measurement model":
            context = socialcouncil.MeasurementContext(council)
            found.measurement_models[id_]().compute(context, ())
        else:
            found.exporters[id_]().export(socialcouncil.ExportContext(council), tmp_path / "o.txt")

    with pytest.raises(PluginError) as caught, found.running(kind, id_) as info:
        use()
    assert info.distribution == "socialcouncil-fragile"
    assert str(caught.value) == (
        f"plugin 'socialcouncil-fragile' (from socialcouncil-fragile 0.9): the {kind} {id_!r} "
        f"failed: {error}"
    )
    assert "\n" not in str(caught.value)
    out, err = capsys.readouterr()
    assert out == ""
    assert ("reading" in err) == (kind == "data source")


def test_running_lets_a_data_source_error_through_as_it_is(tmp_path: Path) -> None:
    found = socialcouncil.registry()
    with pytest.raises(socialcouncil.DataSourceError), found.running("data source", "csv"):
        found.data_sources["csv"](tmp_path / "absent.csv").read()


# -- pluggy's errors reach people as socialcouncil's ------------------------------------------


def test_a_plugin_pluggy_refuses_is_a_plugin_error_naming_it() -> None:
    class WrongArguments:
        @hookimpl
        def register_continua(self, council: object) -> list[Continuum]:
            return []

    found = plugins.isolated_registry()
    with pytest.raises(PluginError) as caught:
        found.register(WrongArguments(), "wrong-arguments")
    message = str(caught.value)
    assert message.startswith("plugin 'wrong-arguments': cannot be registered: ")
    assert "'council'" in message
    assert "\n" not in message
    with pytest.raises(PluginError, match="no plugin 'absent' is registered"):
        found.unregister("absent")


def test_checks_name_the_plugin_that_registered_them() -> None:
    found = socialcouncil.registry()
    assert found.checks["unknown-value"].plugin == found.provider("rule", "unknown-value")
    assert found.checks["unknown-value"].plugin.name == "builtin-checks"


# -- the testing kit, for a council's own installed plugin ----------------------------------

CHECKED = """
from socialcouncil import Check, Rule, hookimpl

def find(context):
    yield "council.name", "always found"

@hookimpl
def register_checks():
    return [Check(Rule("anytown-always", "warning", "Always finds something."), find)]
"""


def test_register_plugin_works_for_the_installed_plugin_under_test(
    site: Path, monkeypatch: pytest.MonkeyPatch, register_plugin: Callable[..., PluginInfo]
) -> None:
    allow(monkeypatch, install(site, "socialcouncil-under-test", CHECKED))
    import socialcouncil_under_test  # type: ignore[import-not-found]

    socialcouncil.registry()  # the entry point has registered the module already
    info = register_plugin(socialcouncil_under_test)
    assert info.distribution == "socialcouncil-under-test"
    findings = socialcouncil.check(socialcouncil.Council(name="Anytown"))
    assert [f.rule for f in findings] == ["anytown-always"]


def test_core_doctests_ignore_an_installed_plugin_with_a_check(site: Path) -> None:
    import os
    import subprocess
    import sys

    install(site, "socialcouncil-doctested", CHECKED)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOCIALCOUNCIL_")}
    env["PYTHONPATH"] = str(site)
    code = "import socialcouncil; print(list(socialcouncil.registry().checks)[-1])"
    installed = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert installed.stdout.strip() == "anytown-always"  # the plugin is installed and seen
    root = Path(__file__).resolve().parent.parent
    doctests = str(root / "src" / "socialcouncil")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", doctests],
        env=env, capture_output=True, text=True, cwd=root, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


# -- crosswalks ---------------------------------------------------------------------------------

FIVE = Continuum(
    id="our-five",
    name="Our five",
    levels=[Level(id=f"l{i}", label=f"L{i}") for i in range(1, 6)],
)


def walks(name: str, *crosswalks: socialcouncil.Crosswalk) -> types.ModuleType:
    module = marked(name, "register_crosswalks", list(crosswalks))
    module.register_continua = hookimpl(lambda: [FIVE])  # type: ignore[attr-defined]
    return module


def test_registered_crosswalks_are_collected_once_per_pair() -> None:
    to_iap2 = socialcouncil.Crosswalk(from_="our-five", to="iap2-spectrum", map={"l5": "empower"})
    again = socialcouncil.Crosswalk(from_="our-five", to="iap2-spectrum")
    to_arnstein = socialcouncil.Crosswalk(from_="our-five", to="arnstein-ladder")
    found = plugins.isolated_registry(
        marked("second", "register_crosswalks", [again], trylast=True),
        walks("first", to_iap2, to_arnstein),
        strict=False,
    )
    with pytest.warns(PluginWarning) as caught:
        assert found.crosswalks == (to_iap2, to_arnstein)
    assert [str(w.message) for w in caught] == [
        (
            "plugin 'second': registers the crosswalk 'our-five->iap2-spectrum', which plugin "
            "'first' registers too; the one called first is used, and this one is left out"
        )
    ]
    assert found.provider("crosswalk", "our-five->arnstein-ladder").name == "first"
    assert found.contributions()["first"]["crosswalk"] == [
        "our-five->iap2-spectrum",
        "our-five->arnstein-ladder",
    ]


@pytest.mark.parametrize(
    ("crosswalk", "reason"),
    [
        (
            socialcouncil.Crosswalk(from_="our-five", to="no-such-scale"),
            (
                "the crosswalk from 'our-five' to 'no-such-scale', but no plugin registers the "
                "continuum 'no-such-scale'"
            ),
        ),
        (
            socialcouncil.Crosswalk(from_="our-five", to="iap2-spectrum", map={"l9": "inform"}),
            (
                "the crosswalk from 'our-five' to 'iap2-spectrum', whose map names 'l9', which is "
                "not a level of 'our-five'"
            ),
        ),
        (
            socialcouncil.Crosswalk(from_="our-five", to="iap2-spectrum", map={"l1": "decide"}),
            (
                "the crosswalk from 'our-five' to 'iap2-spectrum', whose map names 'decide', which "
                "is not a level of 'iap2-spectrum'"
            ),
        ),
        (
            socialcouncil.Crosswalk(from_="our-five", to="iap2-spectrum", map={"l1": "empower"}),
            (
                "the crosswalk from 'our-five' to 'iap2-spectrum', which maps a higher level below "
                "a lower one"
            ),
        ),
        ("our-five->iap2-spectrum", "str 'our-five->iap2-spectrum', expected Crosswalk"),
    ],
)
def test_a_crosswalk_that_cannot_be_used_is_left_out(crosswalk: object, reason: str) -> None:
    found = plugins.isolated_registry(walks("ours", crosswalk), strict=False)  # type: ignore[arg-type]
    with pytest.warns(PluginWarning) as caught:
        assert found.crosswalks == ()
    assert [str(w.message) for w in caught] == [
        f"plugin 'ours': register_crosswalks returned {reason}"
    ]


# -- commands declared in metadata ----------------------------------------------------------

COMMAND = """
import sys
import click

sys.modules["socialcouncil"].imported_the_command = True

@click.command()
@click.argument("who")
def hello(who):
    \"\"\"Say hello.\"\"\"
    click.echo(f"hello, {who}")

@click.command()
def broken():
    \"\"\"Fall over.\"\"\"
    raise LookupError("no ledger")

not_a_command = 42
"""


def install_commands(site: Path, dist: str, commands: dict[str, str], version: str = "1.2") -> str:
    name = install(site, dist, COMMAND, version=version)
    module = dist.replace("-", "_")
    info = site / f"{module}-{version}.dist-info"
    lines = [f"{command} = {module}:{attribute}" for command, attribute in commands.items()]
    with (info / "entry_points.txt").open("a", encoding="utf-8") as file:
        file.write("\n[socialcouncil.commands]\n" + "\n".join(lines) + "\n")
    return name


def test_help_lists_declared_commands_without_importing_any_plugin(site: Path) -> None:
    import os
    import subprocess
    import sys

    install_commands(site, "socialcouncil-greeter", {"greet": "hello"})
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOCIALCOUNCIL_")}
    env["PYTHONPATH"] = str(site)
    code = (
        "import sys, socialcouncil\n"
        "from socialcouncil.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "loaded = [m for m in ('socialcouncil_greeter', 'socialcouncil.plugins', 'pluggy',"
        " 'cattrs', 'socialcouncil.exporters.json') if m in sys.modules]\n"
        "print('loaded:', loaded, getattr(socialcouncil, 'imported_the_command', False))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    commands = done.stdout.split("Commands:\n")[1].splitlines()[:-1]
    listed = dict(line.split(maxsplit=1) for line in commands)
    assert listed["greet"] == "(from socialcouncil-greeter)"
    assert "loaded: [] False" in done.stdout


def test_a_declared_command_is_imported_only_to_run(
    site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    allow(monkeypatch, install_commands(site, "socialcouncil-runner", {"greet": "hello"}))
    assert exit_code(["greet", "Solihull"]) == 0
    assert capsys.readouterr().out == "hello, Solihull\n"
    assert socialcouncil.imported_the_command


def test_declared_commands_follow_the_allow_list(
    site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    install_commands(site, "socialcouncil-hidden", {"hidden-greet": "hello"})
    assert exit_code(["--help"]) == 0
    assert "hidden-greet" not in capsys.readouterr().out
    assert exit_code(["hidden-greet", "x"]) == 2
    assert "No such command 'hidden-greet'" in capsys.readouterr().err


def test_a_declared_command_that_cannot_be_used_names_its_plugin(
    site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    commands = {"fall-over": "broken", "not-a-command": "not_a_command"}
    allow(monkeypatch, install_commands(site, "socialcouncil-faulty", commands, version="3.0"))
    assert exit_code(["not-a-command"]) == 2
    expected = (
        "plugin 'socialcouncil-faulty' (from socialcouncil-faulty 3.0): the command "
        "'not-a-command' is socialcouncil_faulty:not_a_command, which is int 42, not a click "
        "command"
    )
    assert capsys.readouterr().err == f"error: {expected}\n"


def test_a_declared_command_that_raises_is_a_bug_in_its_plugin(
    site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    commands = {"fall-over": "broken", "not-a-command": "not_a_command"}
    allow(monkeypatch, install_commands(site, "socialcouncil-faulty", commands, version="3.0"))
    assert exit_code(["fall-over"]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert (
        "a bug in the plugin 'socialcouncil-faulty' (from socialcouncil-faulty 3.0): "
        "LookupError: no ledger"
    ) in err


def test_a_declared_command_that_clashes_with_a_built_in_is_left_out(
    site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    allow(monkeypatch, install_commands(site, "socialcouncil-clash", {"show": "hello"}))
    assert exit_code(["--help"]) == 0
    out, err = capsys.readouterr()
    assert "(from socialcouncil-clash)" not in out
    assert (
        "warning: plugin 'socialcouncil-clash' (from socialcouncil-clash 1.2): declares the "
        "command 'show', which a built-in command has already; it is left out"
    ) in err


def test_the_plugins_command_lists_a_plugins_declared_commands(
    site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    allow(monkeypatch, install_commands(site, "socialcouncil-listed", {"listed-greet": "hello"}))
    assert exit_code(["plugins", "--format", "json"]) == 0
    [row] = json.loads(capsys.readouterr().out)["plugins"]
    assert (row["name"], row["registers"]) == (
        "socialcouncil-listed",
        {"command": ["listed-greet"]},
    )
