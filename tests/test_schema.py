"""The JSON Schema of the model file: made from the model, committed, and agreeing with validate."""

from __future__ import annotations

import datetime
import functools
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import jsonschema
import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import socialcouncil
from socialcouncil import _shape
from socialcouncil._schema import (
    COMMITTED,
    DIALECT,
    SCHEMA_URL,
    committed_descriptions,
    committed_schema,
    directive,
    model_schema,
    schema_text,
    tables,
    with_directive,
)
from socialcouncil._schema.reference import NoDescriptionError, descriptions, plain_schema
from socialcouncil.plugins import isolated_registry
from socialcouncil.testing import strategies

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.conftest import Run

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "reference" / "file-format.md"
PACKAGE_COPY = ROOT / "src" / "socialcouncil" / "_schema" / COMMITTED
DOCS_COPY = ROOT / "docs" / "_extra" / COMMITTED
BROKEN = ROOT / "docs" / "reference" / "broken.toml"

# Every model file shipped: the examples of the docs, the template, the plugins' files.
MODEL_FILES = sorted(
    path
    for pattern in (
        "docs/**/*.toml",
        "src/socialcouncil/templates/*.toml",
        "plugins/*/src/*/*.toml",
    )
    for path in ROOT.glob(pattern)
    if "_build" not in path.parts and path != BROKEN
)


@functools.cache
def validator() -> jsonschema.Draft202012Validator:
    """The committed schema's validator, checking formats (dates) as check-jsonschema does."""
    return jsonschema.Draft202012Validator(
        committed_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def as_checkers_read(data: Any) -> Any:
    """A file's data as schema checkers and editors see it: dates as ISO text."""
    if isinstance(data, dict):
        return {key: as_checkers_read(value) for key, value in data.items()}
    if isinstance(data, list):
        return [as_checkers_read(value) for value in data]
    if isinstance(data, datetime.date):
        return data.isoformat()
    return data


def read_toml(path: Path) -> Any:
    return as_checkers_read(tomllib.loads(path.read_text(encoding="utf-8")))


# -- The committed schema -------------------------------------------------------------------


def test_the_committed_schema_is_the_one_the_model_and_the_reference_make() -> None:
    made = schema_text(plain_schema(PAGE.read_text(encoding="utf-8")))
    for copy in (PACKAGE_COPY, DOCS_COPY):
        assert copy.read_text(encoding="utf-8") == made, (
            f"{copy.relative_to(ROOT)} is not the schema the model makes: run `make schema`"
        )


def test_the_schema_is_draft_2020_12_and_names_where_it_is_published() -> None:
    schema = committed_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == DIALECT
    assert schema["$id"] == SCHEMA_URL
    assert directive() == f"#:schema {SCHEMA_URL}"


def test_the_docs_publish_the_committed_schema_at_its_address() -> None:
    conf = (ROOT / "docs" / "conf.py").read_text(encoding="utf-8")
    assert 'html_extra_path = ["_extra"]' in conf
    assert SCHEMA_URL.rsplit("/", 1)[1] == DOCS_COPY.name


def test_every_key_of_every_table_is_in_the_schema_with_the_references_text() -> None:
    schema = committed_schema()
    page = descriptions(PAGE.read_text(encoding="utf-8"))
    for name, cl, _many in tables():
        table = schema if not name else schema["$defs"][_def_name(cl)]
        keys = _shape.file_keys(cl)
        assert list(table["properties"]) == keys
        assert table["additionalProperties"] is False
        assert table["propertyNames"] == {"enum": keys}
        for key in keys:
            assert table["properties"][key]["description"] == page[name][key]
    assert committed_descriptions() == page
    lists = {name: many for name, _cl, many in tables()}
    assert (lists["thread"], lists["thread.priorities"], lists["projects.calibrations"]) == (
        False,
        True,
        True,
    )


def _def_name(cl: type) -> str:
    return "Council" if cl is _shape.Header else cl.__name__


def test_required_keys_are_those_without_a_default() -> None:
    schema = committed_schema()
    assert schema["required"] == ["council"]
    assert schema["$defs"]["Council"]["required"] == ["name"]
    assert schema["$defs"]["Measure"]["required"] == ["id", "name", "unit"]
    assert schema["$defs"]["Calibration"]["required"] == ["date", "level"]
    assert "required" not in schema["$defs"]["GoldenThread"]


def test_allowed_values_come_from_the_model() -> None:
    defs = committed_schema()["$defs"]
    assert defs["Project"]["properties"]["status"]["enum"] == list(
        socialcouncil.model.project.STATUSES
    )
    assert defs["Project"]["properties"]["status"]["default"] == "active"
    assert defs["Measure"]["properties"]["direction"]["enum"] == ["higher", "lower"]
    assert defs["Measure"]["properties"]["period"]["enum"] == [
        "month", "quarter", "year", "financial-year", None
    ]  # fmt: skip
    assert defs["Calibration"]["properties"]["confidence"]["enum"] == [
        "low",
        "medium",
        "high",
        None,
    ]
    assert defs["PublishingSettings"]["properties"]["suppress_below"]["minimum"] == 5
    assert committed_schema()["properties"]["format"]["const"] == 1


def test_a_description_turns_the_pages_markup_into_markdown_with_links_to_the_docs() -> None:
    defs = committed_schema()["$defs"]
    ignore = defs["CheckSettings"]["properties"]["ignore"]["description"]
    assert ignore == (
        "Integrity rules switched off for this council; see "
        "https://socialcouncil.readthedocs.io/en/stable/reference/checks.html."
    )
    from_ = defs["Crosswalk"]["properties"]["from"]["description"]
    assert "`Crosswalk.from_`" in from_
    assert "{attr}" not in from_


def test_a_reference_without_a_key_or_a_table_is_refused_with_every_gap() -> None:
    text = PAGE.read_text(encoding="utf-8")
    text = text.replace("| `unit` |", "| `units` |").replace("## `[checks]`", "## Checks")
    with pytest.raises(NoDescriptionError) as caught:
        descriptions(text)
    message = str(caught.value)
    assert "`[[measures]]`: no row for the key 'unit'" in message
    assert "no section '`[checks]`' for the keys of checks" in message


# -- Suggestions -----------------------------------------------------------------------------


def test_registered_ids_are_offered_as_examples_never_as_the_only_values() -> None:
    registry = isolated_registry()
    defs = model_schema(registry)["$defs"]
    continuum = defs["Project"]["properties"]["continuum"]
    assert continuum["examples"] == list(registry.continua)
    assert "enum" not in continuum
    assert defs["Crosswalk"]["properties"]["to"]["examples"] == list(registry.continua)
    assert defs["Measure"]["properties"]["model"]["examples"] == list(registry.measurement_models)
    assert defs["Source"]["properties"]["type"]["examples"] == list(registry.data_sources)
    ignore = defs["CheckSettings"]["properties"]["ignore"]
    assert ignore["items"]["examples"] == list(registry.checks)
    assert "examples" not in model_schema(None)["$defs"]["Source"]["properties"]["type"]


def test_a_plugins_continuum_is_offered_when_plugins_are_loaded() -> None:
    class Plugin:
        @socialcouncil.hookimpl
        def register_continua(self) -> list[socialcouncil.Continuum]:
            levels = [socialcouncil.Level("low", "Low"), socialcouncil.Level("high", "High")]
            return [socialcouncil.Continuum(id="our-ladder", name="Our ladder", levels=levels)]

    schema = model_schema(isolated_registry(Plugin()))
    assert "our-ladder" in schema["$defs"]["Project"]["properties"]["continuum"]["examples"]
    assert "our-ladder" not in json.dumps(committed_schema())


# -- What validate accepts, the schema accepts; what the schema refuses, validate refuses -------


@pytest.mark.parametrize("path", MODEL_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_bundled_model_file_is_valid(path: Path) -> None:
    socialcouncil.load(path)
    errors = [e.message for e in validator().iter_errors(read_toml(path))]
    assert errors == []


def test_the_broken_example_is_refused_where_validate_refuses_it() -> None:
    with pytest.raises(socialcouncil.ModelFileError) as caught:
        socialcouncil.load(BROKEN)
    problems = {p.path for p in caught.value.problems}
    errors = list(validator().iter_errors(read_toml(BROKEN)))
    places = {_place(e) for e in errors}
    assert places == {
        "council.gss_cod",
        "values[0].id",
        "projects[0].title",
        "projects[0].status",
        "projects[0].calibrations[0].date",
        "projects[0].calibrations[0].confidence",
    }
    assert places == problems
    misspelt = [e.message for e in errors if _names_a_key(e)]
    assert misspelt == ["'gss_cod' is not one of ['name', 'gss_code', 'steering_group']"]


def _place(error: jsonschema.ValidationError) -> str:
    """Where an error is, as validate says it: a missing or unknown key is a place of its own."""
    path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
    if error.validator == "required":
        path += "." + error.message.split("'")[1]
    elif error.validator == "additionalProperties":
        table: dict[str, Any] = error.instance  # type: ignore[assignment]
        schema: dict[str, Any] = error.schema  # type: ignore[assignment]
        [unknown] = set(table) - set(schema["properties"])
        path += f".{unknown}"
    elif _names_a_key(error):
        path += f".{error.instance}"
    return path.lstrip(".")


def _names_a_key(error: jsonschema.ValidationError) -> bool:
    """Whether *error* is about a key not in the table's list of keys."""
    return "propertyNames" in error.relative_schema_path


def _tables_in(data: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every table of a model file's data whose keys the model fixes, with its table name."""
    found: list[tuple[str, dict[str, Any]]] = []
    for name, _cl, _many in tables():
        holders: list[Any] = [data]
        for part in name.split(".") if name else []:
            inner: list[Any] = []
            for holder in holders:
                value = holder.get(part)
                inner.extend(value if isinstance(value, list) else [] if value is None else [value])
            holders = inner
        found.extend((name, holder) for holder in holders)
    return found


def _loads_json(data: object) -> socialcouncil.Council:
    return socialcouncil.loads(json.dumps(data), "json")


def _data(council: socialcouncil.Council) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(socialcouncil.dumps(council, "json"))
    return data


# Generated councils are large: fewer of each keeps the test command quick, and every run
# draws new ones.
SETTINGS = settings(max_examples=30)


@SETTINGS
@given(strategies.councils)
def test_any_council_validate_reads_the_schema_accepts(council: socialcouncil.Council) -> None:
    data = _data(council)
    assert _loads_json(data) == council
    assert [e.message for e in validator().iter_errors(data)] == []


@SETTINGS
@given(strategies.valid_councils())
def test_any_valid_council_the_schema_accepts(council: socialcouncil.Council) -> None:
    assert [e.message for e in validator().iter_errors(_data(council))] == []


WRONG_TYPES: list[object] = [[[["nested"]]], {"a": {"b": [{}]}}, True, 3.5, "text", None]


@SETTINGS
@given(strategies.councils, st.data())
def test_an_unknown_key_is_refused_by_both(
    council: socialcouncil.Council, data: st.DataObject
) -> None:
    document = _data(council)
    _name, table = data.draw(st.sampled_from(_tables_in(document)))
    key = data.draw(st.sampled_from(["colour", "gss-code", "Name", "titel", "x"]))
    table[key] = "anything"
    errors = list(validator().iter_errors(document))
    assert any(_names_a_key(e) and e.instance == key for e in errors)
    with pytest.raises(socialcouncil.ModelFileError) as caught:
        _loads_json(document)
    unknown = [p for p in caught.value.problems if p.message.startswith("unknown key")]
    assert [p.path.rsplit(".", 1)[-1] for p in unknown] == [key]


@SETTINGS
@given(strategies.councils, st.data())
def test_a_value_the_schema_refuses_validate_refuses(
    council: socialcouncil.Council, data: st.DataObject
) -> None:
    document = _data(council)
    _name, table = data.draw(st.sampled_from(_tables_in(document)))
    key = data.draw(st.sampled_from(sorted(table)))
    table[key] = data.draw(st.sampled_from(WRONG_TYPES))
    assume(not validator().is_valid(document))
    with pytest.raises(socialcouncil.ModelFileError):
        _loads_json(document)


BAD_VALUES: list[tuple[str, str, object]] = [
    ("projects", "status", "ongoing"),
    ("projects", "id", "Library Redesign"),
    ("projects.calibrations", "confidence", "certain"),
    ("projects.calibrations", "date", "last spring"),
    ("measures", "direction", "up"),
    ("measures", "period", "week"),
    ("measures.observations", "period", "2025-13"),
    ("measures.observations", "n", -1),
    ("publishing", "suppress_below", 3),
    ("continua", "levels", []),
    ("", "format", 2),
    ("council", "name", "   "),
]


@SETTINGS
@given(strategies.councils, st.sampled_from(BAD_VALUES))
def test_a_value_outside_the_allowed_ones_is_refused_by_both(
    council: socialcouncil.Council, bad: tuple[str, str, object]
) -> None:
    name, key, value = bad
    document = _data(council)
    found = [table for table_name, table in _tables_in(document) if table_name == name]
    assume(found)
    found[0][key] = value
    assert not validator().is_valid(document)
    with pytest.raises(socialcouncil.ModelFileError):
        _loads_json(document)


def test_a_licence_of_the_councils_own_needs_its_title_and_address() -> None:
    def publishing(**keys: str) -> dict[str, Any]:
        return {"council": {"name": "Anytown"}, "publishing": keys}

    assert validator().is_valid(publishing(licence="CC-BY-4.0"))
    assert not validator().is_valid(publishing(licence="LicenseRef-own"))
    own = publishing(licence="LicenseRef-own", licence_title="Own", licence_url="https://x.org/l")
    assert validator().is_valid(own)
    _loads_json(own)
    with pytest.raises(socialcouncil.ModelFileError):
        _loads_json(publishing(licence="LicenseRef-own"))


# -- Third-party checkers over every form of every example --------------------------------------


def test_check_jsonschema_accepts_every_example_in_toml_json_and_yaml(tmp_path: Path) -> None:
    files: list[Path] = []
    for path in MODEL_FILES:
        council = socialcouncil.load(path)
        stem = "-".join(path.relative_to(ROOT).with_suffix("").parts)
        for form in ("json", "yaml"):
            target = tmp_path / f"{stem}.{form}"
            target.write_text(socialcouncil.dumps(council, form), encoding="utf-8")
            files.append(target)
        files.append(path)
    done = _check_jsonschema(*files)
    assert done.returncode == 0, done.stdout + done.stderr


def test_check_jsonschema_refuses_the_broken_example_in_every_form(tmp_path: Path) -> None:
    data = tomllib.loads(BROKEN.read_text(encoding="utf-8"))
    as_json = tmp_path / "broken.json"
    as_json.write_text(json.dumps(as_checkers_read(data)), encoding="utf-8")
    as_yaml = tmp_path / "broken.yaml"
    as_yaml.write_text(yaml.safe_dump(data), encoding="utf-8")
    for path in (BROKEN, as_json, as_yaml):
        done = _check_jsonschema(path)
        assert done.returncode == 1, done.stdout + done.stderr
        assert "'gss_cod' is not one of ['name', 'gss_code', 'steering_group']" in done.stdout


def _check_jsonschema(*files: Path) -> subprocess.CompletedProcess[str]:
    command = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    assert command is not None, "check-jsonschema is in the test dependency group"
    return subprocess.run(
        [command, "--schemafile", str(PACKAGE_COPY), *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )


# -- The command, and init -----------------------------------------------------------------------


def test_schema_prints_the_schema_with_the_registered_ids(run: Callable[..., Run]) -> None:
    done = run("schema")
    assert done.code == 0, done.err
    assert json.loads(done.out) == model_schema(socialcouncil.plugins.registry())


def test_schema_without_plugins_is_the_committed_one(
    run: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOCIALCOUNCIL_LOAD_PLUGINS", "solihull")
    with_plugins = run("schema").out
    assert "solihull-relationship" in with_plugins
    plain = run("schema", "--no-plugins").out
    assert plain == PACKAGE_COPY.read_text(encoding="utf-8")


def test_schema_output_writes_the_file(run: Callable[..., Run], tmp_path: Path) -> None:
    target = tmp_path / "model-file.schema.json"
    done = run("schema", "--no-plugins", "--output", str(target))
    assert done.code == 0
    assert done.out == f"wrote {target}\n"
    assert target.read_text(encoding="utf-8") == PACKAGE_COPY.read_text(encoding="utf-8")


def test_schema_output_that_cannot_be_written_says_why(
    run: Callable[..., Run], tmp_path: Path
) -> None:
    target = tmp_path / "no-such-folder" / "schema.json"
    done = run("schema", "--output", str(target))
    assert done.code == 2
    assert "cannot write" in done.err
    assert "nothing was written" in done.err


def test_init_names_the_schema_on_the_first_line(run: Callable[..., Run], tmp_path: Path) -> None:
    done = run("init", str(tmp_path))
    assert done.code == 0, done.err
    written = (tmp_path / "council.toml").read_text(encoding="utf-8")
    assert written.splitlines()[0] == directive()
    starter = socialcouncil.plugins.registry().templates["starter"].text
    assert written == starter
    assert validator().is_valid(read_toml(tmp_path / "council.toml"))
    socialcouncil.load(tmp_path / "council.toml")


def test_a_template_that_names_a_schema_keeps_its_own() -> None:
    own = "# A council\n#:schema ./our.schema.json\nformat = 1\n"
    assert with_directive(own) == own
    later = "format = 1\n#:schema ./our.schema.json\n"
    assert with_directive(later).splitlines()[0] == directive()


def test_init_adds_the_line_to_a_template_without_one(
    run: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from socialcouncil.templates import Template

    text = '[council]\nname = "Anytown"\n'

    class Plugin:
        @socialcouncil.hookimpl
        def register_templates(self) -> list[Template]:
            return [Template(id="bare", title="Bare", description="Only a name.", text=text)]

    monkeypatch.setattr(socialcouncil.plugins, "_registry", isolated_registry(Plugin()))
    done = run("init", str(tmp_path), "--template", "bare")
    assert done.code == 0, done.err
    assert (tmp_path / "council.toml").read_text(encoding="utf-8") == f"{directive()}\n{text}"


# -- A table added to the model is in the schema with no change to the generator -----------------


def _refuse_passwords(
    _instance: object, _attribute: attrs.Attribute[str | None], value: str | None
) -> None:
    """A validator the generator has never seen."""


@attrs.frozen
class _Settings:
    url: str | None = attrs.field(default=None, validator=_refuse_passwords)


@attrs.frozen
class _File:
    name: str = attrs.field(validator=socialcouncil.model.validators.text)
    settings: _Settings = attrs.field(factory=_Settings)
    items: tuple[_Settings, ...] = ()


def test_a_new_table_and_key_are_found_from_the_model_alone() -> None:
    from socialcouncil._schema import _table_schema, _tables

    found = [(name, cl, many) for name, cl, many in _tables(_File, "", many=False)]
    assert found == [("", _File, False), ("settings", _Settings, False), ("items", _Settings, True)]
    table = _table_schema(_Settings, {"url": "Where it is."}, {})
    # A validator the generator does not know leaves the key as its type says: looser than
    # validate, never stricter.
    assert table["properties"] == {
        "url": {"description": "Where it is.", "type": ["string", "null"]}
    }
    assert table["additionalProperties"] is False
    assert "required" not in table
    top = _table_schema(_File, {}, {})
    assert top["required"] == ["name"]
    assert top["properties"]["settings"] == {"$ref": "#/$defs/_Settings"}
    assert top["properties"]["items"] == {"type": "array", "items": {"$ref": "#/$defs/_Settings"}}
