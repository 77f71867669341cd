"""Reading and writing model files: the contract of their shape, their errors and their safety."""

from __future__ import annotations

import contextlib
import datetime
import json
import os
from typing import TYPE_CHECKING

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import socialcouncil
from socialcouncil import Council, ModelFileError, SocialCouncilError
from socialcouncil.files import MAX_DEPTH, unstructure
from socialcouncil.testing import strategies

if TYPE_CHECKING:
    from pathlib import Path

MINIMAL = '[council]\nname = "Solihull Metropolitan Borough Council"\n'


def problems(text: str, fmt: socialcouncil.files.Format = "toml") -> list[str]:
    """Every problem reported for *text*, rendered without a file name."""
    with pytest.raises(ModelFileError) as caught:
        socialcouncil.loads(text, fmt)
    return [p.render() for p in caught.value.problems]


# -- round trips ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["toml", "json", "yaml"])
@given(council=strategies.councils)
def test_every_valid_council_survives_a_round_trip(fmt: str, council: Council) -> None:
    assert socialcouncil.loads(socialcouncil.dumps(council, fmt), fmt) == council  # type: ignore[arg-type]


@given(council=strategies.councils)
def test_every_format_reads_to_the_same_council(council: Council) -> None:
    toml = socialcouncil.loads(socialcouncil.dumps(council, "toml"), "toml")
    assert socialcouncil.loads(socialcouncil.dumps(council, "json"), "json") == toml
    assert socialcouncil.loads(socialcouncil.dumps(council, "yaml"), "yaml") == toml


@pytest.mark.parametrize("name", ["solihull.toml", "birmingham.toml"])
def test_examples_round_trip_through_every_format(
    examples: Path, tmp_path: Path, name: str
) -> None:
    council = socialcouncil.load(examples / name)
    for suffix in (".toml", ".json", ".yaml", ".yml"):
        target = tmp_path / f"council{suffix}"
        socialcouncil.dump(council, target)
        assert socialcouncil.load(target) == council


def test_written_files_keep_the_contract_shape() -> None:
    council = socialcouncil.loads(
        MINIMAL
        + 'gss_code = "E08000029"\n'
        + '[[crosswalks]]\nfrom = "a"\nto = "b"\nmap = { x = "y" }\n'
    )
    data = unstructure(council)
    assert data["format"] == 1
    assert data["council"] == {
        "name": "Solihull Metropolitan Borough Council",
        "gss_code": "E08000029",
    }
    assert data["crosswalks"] == [{"from": "a", "to": "b", "map": {"x": "y"}}]


def test_format_key_is_optional_and_one_is_the_only_version() -> None:
    assert socialcouncil.loads(MINIMAL).name.startswith("Solihull")
    assert problems("format = 2\n" + MINIMAL) == [
        "format: found 2, expected 1, the model file format this version of socialcouncil reads"
    ]


def test_json_dates_are_iso_strings() -> None:
    text = json.dumps(
        {
            "council": {"name": "X"},
            "projects": [
                {
                    "id": "p",
                    "title": "P",
                    "continuum": "iap2-spectrum",
                    "calibrations": [{"date": "2024-02-29", "level": "inform"}],
                }
            ],
        }
    )
    council = socialcouncil.loads(text, "json")
    assert council.projects[0].calibrations[0].date == datetime.date(2024, 2, 29)
    assert '"date": "2024-02-29"' in socialcouncil.dumps(council, "json")


# -- every problem at once, with its path -----------------------------------------------------

BROKEN = """
format = 2
[council]
nmae = "X"
gss_code = 5
[[values]]
id = "Citizen Voice"
name = 5
[[projects]]
title = "P"
values = "citizen-voice"
priorities = ["ok", "Not OK"]
statu = "active"
[[projects.calibrations]]
date = "2024-13-02"
level = "inform"
[[projects.calibrations]]
date = 2024-01-01T10:00:00
level = "inform"
confidence = "very"
[[continua]]
id = "c"
name = "C"
[[continua.levels]]
id = "a"
label = "A"
[[continua.levels]]
id = "a"
label = "B"
[[crosswalks]]
from = "X"
to = "c"
map = { a = 1 }
"""

ID = "an id of lowercase letters, digits and hyphens, such as 'citizen-voice'"


def test_every_problem_in_a_file_is_reported_at_once_with_its_path() -> None:
    assert problems(BROKEN) == [
        "format: found 2, expected 1, the model file format this version of socialcouncil reads",
        "council.name: missing; expected a string",
        "council.gss_code: found 5, expected a string",
        "council.nmae: unknown key; did you mean 'name'?",
        f"values[0].id: found 'Citizen Voice', expected {ID}",
        "values[0].name: found 5, expected a string",
        "continua[0].levels[1].id: found 'a', expected an id not used by an earlier level",
        f"crosswalks[0].from: found 'X', expected {ID}",
        "crosswalks[0].map.a: found 1, expected a level id",
        "projects[0].id: missing; expected a string",
        "projects[0].values: found 'citizen-voice', expected a list",
        f"projects[0].priorities[1]: found 'Not OK', expected {ID}",
        "projects[0].calibrations[0].date: found '2024-13-02', expected a date, such as 2025-03-31",
        (
            "projects[0].calibrations[1].date: found 2024-01-01T10:00:00 (a date and time), "
            "expected a date, such as 2025-03-31"
        ),
        (
            "projects[0].calibrations[1].confidence: found 'very', "
            "expected one of 'low', 'medium', 'high'"
        ),
        "projects[0].statu: unknown key; did you mean 'status'?",
    ]


def test_the_error_names_the_file_and_lists_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "council.toml"
    path.write_text(BROKEN, encoding="utf-8")
    with pytest.raises(ModelFileError) as caught:
        socialcouncil.load(path)
    error = caught.value
    assert error.file == str(path)
    lines = str(error).splitlines()
    assert lines[0] == f"{path}: 16 problems found"
    assert lines[1] == (
        f"  {path}: format: found 2, expected 1, "
        "the model file format this version of socialcouncil reads"
    )
    assert len(lines) == 17


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ("[[valeus]]\nid = 'x'\nname = 'X'\n", "valeus: unknown key; did you mean 'values'?"),
        (
            "[[projects]]\nid = 'p'\ntitle = 'P'\ncontinum = 'x'\n",
            "projects[0].continum: unknown key; did you mean 'continuum'?",
        ),
        (
            "[[crosswalks]]\nform = 'a'\nto = 'b'\n",
            "crosswalks[0].form: unknown key; did you mean 'from'?",
        ),
        (
            "[thread]\npurpouse = 'x'\n",
            "thread.purpouse: unknown key; did you mean 'purpose'?",
        ),
    ],
)
def test_unknown_keys_suggest_the_key_meant(fragment: str, expected: str) -> None:
    found = problems(MINIMAL + fragment)
    assert expected in found


def test_an_unknown_key_with_nothing_close_lists_the_keys_there_are() -> None:
    [problem] = problems(MINIMAL + "[checks]\nzzzzzz = []\n")
    assert problem == "checks.zzzzzz: unknown key; expected one of ['ignore']"


def test_wrong_kinds_of_value_are_named() -> None:
    text = MINIMAL + (
        "[[measures]]\nid = 'm'\nname = 'M'\nunit = 'people'\nbaseline = 'ten'\n"
        "direction = 'up'\ntarget = true\n"
        "[[projects]]\nid = 'p'\ntitle = 'P'\nstatus = 'done'\ncalibrations = { date = 1 }\n"
    )
    assert problems(text) == [
        "measures[0].direction: found 'up', expected one of 'higher', 'lower'",
        "measures[0].baseline: found 'ten', expected a number",
        "measures[0].target: found true, expected a number",
        (
            "projects[0].status: found 'done', "
            "expected one of 'proposed', 'active', 'paused', 'completed', 'stopped'"
        ),
        "projects[0].calibrations: found a table, expected a list",
    ]


def test_a_table_where_a_list_item_should_be_a_table() -> None:
    assert problems("values = ['citizen-voice']\n" + MINIMAL) == [
        "values[0]: found 'citizen-voice', expected a table"
    ]


# -- unusable input ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["toml", "json", "yaml"])
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "empty; expected a council model, starting with a [council] table"),
        ("  \n\t\n", "empty; expected a council model, starting with a [council] table"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "a binary file; expected a text file"),
        (b"name = \xff\xfe", "not UTF-8 text (byte 8); expected a UTF-8 text file"),
    ],
)
def test_files_that_are_not_text_say_so(fmt: str, text: str | bytes, expected: str) -> None:
    with pytest.raises(ModelFileError) as caught:
        socialcouncil.loads(text, fmt)  # type: ignore[arg-type]
    assert [p.message for p in caught.value.problems] == [expected]


def test_a_syntax_error_gives_the_line_and_column() -> None:
    with pytest.raises(ModelFileError) as caught:
        socialcouncil.loads('{\n  "council": {"name": "X",}\n}', "json")
    [problem] = caught.value.problems
    assert (problem.line, problem.column) == (2, 27)
    assert problem.render("c.json").startswith("c.json:2:27: not valid JSON: ")


def test_a_toml_syntax_error_is_reported_in_words() -> None:
    with pytest.raises(ModelFileError) as caught:
        socialcouncil.loads("[council\nname = 'x'", source="c.toml")
    [problem] = caught.value.problems
    assert problem.message.startswith("not valid TOML: Expected ']'")
    # Python 3.11's tomllib puts the place in its message; tomli 2 also gives it apart.
    assert problem.line in (None, 1)


@pytest.mark.parametrize(("fmt", "text"), [("json", "[1, 2]"), ("yaml", "- 1\n- 2\n")])
def test_the_top_must_be_a_table(fmt: str, text: str) -> None:
    assert problems(text, fmt) == ["found a list at the top, expected a table"]  # type: ignore[arg-type]


def test_a_huge_file_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(socialcouncil.files, "MAX_FILE_SIZE", 100)
    path = tmp_path / "big.toml"
    path.write_text(MINIMAL + "#" * 200, encoding="utf-8")
    with pytest.raises(ModelFileError) as caught:
        socialcouncil.load(path)
    [problem] = caught.value.problems
    assert problem.message.startswith("found 2")
    assert "expected at most 100" in problem.message


@pytest.mark.parametrize("fmt", ["toml", "json", "yaml"])
def test_deep_nesting_is_refused(fmt: str) -> None:
    depth = 100_000 if fmt == "json" else 2_000
    text = {
        "toml": "x = " + "[" * depth + "]" * depth,
        "json": "[" * depth + "]" * depth,
        "yaml": "x: " + "[" * depth + "]" * depth,
    }[fmt]
    with pytest.raises(ModelFileError) as caught:
        socialcouncil.loads(text, fmt)  # type: ignore[arg-type]
    assert "nested too deeply" in caught.value.problems[0].message


def test_nesting_just_past_the_limit_is_refused_after_parsing() -> None:
    inner = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    with pytest.raises(ModelFileError) as caught:
        socialcouncil.loads('{"council": {"name": "X"}, "values": ' + inner + "}", "json")
    assert caught.value.problems[0].message == (
        f"nested too deeply; expected at most {MAX_DEPTH} levels"
    )


def test_a_missing_file_is_a_model_file_error(tmp_path: Path) -> None:
    with pytest.raises(ModelFileError) as caught:
        socialcouncil.load(tmp_path / "absent.toml")
    assert caught.value.problems[0].message.startswith("cannot be read: ")


def test_an_unknown_suffix_asks_for_a_known_one(tmp_path: Path) -> None:
    path = tmp_path / "council.txt"
    path.write_text(MINIMAL, encoding="utf-8")
    with pytest.raises(ModelFileError, match=r"cannot tell the format from the suffix '\.txt'"):
        socialcouncil.load(path)
    assert socialcouncil.load(path, format="toml").name.startswith("Solihull")


@pytest.mark.parametrize("fmt", ["toml", "json", "yaml"])
@given(data=st.text() | st.binary())
def test_arbitrary_input_raises_nothing_but_socialcouncil_errors(
    fmt: str, data: str | bytes
) -> None:
    with contextlib.suppress(SocialCouncilError):
        socialcouncil.loads(data, fmt)  # type: ignore[arg-type]


@given(
    data=st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text() | st.dates(),
        lambda children: (
            st.lists(children, max_size=3)
            | st.dictionaries(
                st.sampled_from(
                    [
                        "council",
                        "name",
                        "id",
                        "values",
                        "projects",
                        "levels",
                        "date",
                        "level",
                        "thread",
                        "x",
                    ]
                ),
                children,
                max_size=4,
            )
        ),
        max_leaves=20,
    )
)
def test_arbitrary_data_raises_nothing_but_socialcouncil_errors(data: object) -> None:
    with contextlib.suppress(SocialCouncilError):
        socialcouncil.files.structure(data)


# -- safety -----------------------------------------------------------------------------------


def test_yaml_cannot_construct_python_objects() -> None:
    text = "council: !!python/object/apply:os.system ['echo hacked']\n"
    [problem] = problems(text, "yaml")
    assert problem.startswith("1:10: not valid YAML: ") or "not valid YAML" in problem


def test_yaml_aliases_are_refused() -> None:
    text = "council: &c\n  name: X\nother: *c\n"
    [problem] = problems(text, "yaml")
    assert "aliases (*name) are not allowed in model files" in problem


@pytest.mark.parametrize(
    ("fmt", "text"),
    [
        ("json", '{"council": {"name": "A", "name": "B"}}'),
        ("yaml", "council:\n  name: A\n  name: B\n"),
    ],
)
def test_duplicate_keys_are_not_silently_dropped(fmt: str, text: str) -> None:
    [problem] = problems(text, fmt)  # type: ignore[arg-type]
    assert "'name' appears twice" in problem


def test_dump_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "council.toml"
    path.write_text(MINIMAL, encoding="utf-8")
    council = Council(name="Another council")

    def broken_fsync(fd: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="disk full"):
        socialcouncil.dump(council, path)
    assert path.read_text(encoding="utf-8") == MINIMAL
    assert [p.name for p in tmp_path.iterdir()] == ["council.toml"]


def test_the_file_shape_holds_exactly_the_councils_fields() -> None:
    # The [council] table and the top-level keys together are Council's fields, no more, no less.
    from socialcouncil.files import _BODY, _HEADER

    council_fields = [a.name for a in attrs.fields(Council)]
    assert sorted([*_HEADER, *_BODY]) == sorted(council_fields)
