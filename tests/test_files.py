"""Reading and writing model files: the contract of their shape, their errors and their safety."""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import socialcouncil
from socialcouncil import Calibration, Council, Measure, ModelFileError, Project
from socialcouncil.files import MAX_DEPTH, unstructure
from socialcouncil.testing import strategies

if TYPE_CHECKING:
    from collections.abc import Iterator

posix = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions, links and FIFOs")

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
    assert problem == "checks.zzzzzz: unknown key; the only key allowed here is ignore"


def test_an_unknown_key_lists_the_keys_there_are_in_words() -> None:
    [problem] = problems(MINIMAL + "[[crosswalks]]\nfrom = 'a'\nto = 'b'\nqqqqqq = 1\n")
    assert problem == "crosswalks[0].qqqqqq: unknown key; expected one of from, to or map"


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
def test_arbitrary_data_raises_nothing_but_model_file_errors(data: object) -> None:
    # Text, bytes and data written in each format's syntax: see test_hostile_files.py.
    with contextlib.suppress(ModelFileError):
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
    from socialcouncil._shape import BODY, HEADER

    council_fields = [a.name for a in attrs.fields(Council)]
    assert sorted([*HEADER, *BODY]) == sorted(council_fields)


# -- one place for the file's keys ------------------------------------------------------------


def test_a_crosswalks_from_key_is_named_in_one_place() -> None:
    from socialcouncil import _shape
    from socialcouncil.model import Crosswalk

    assert _shape.file_keys(Crosswalk) == ["from", "to", "map"]
    assert _shape.attribute_name(Crosswalk, "from") == "from_"
    # A missing "from" is reported under the file's key, not Python's.
    assert problems(MINIMAL + "[[crosswalks]]\nto = 'b'\n") == [
        "crosswalks[0].from: missing; expected a string"
    ]


def test_a_field_added_to_the_council_is_a_key_of_the_file() -> None:
    from socialcouncil import _shape

    council_fields = [a.name for a in attrs.fields(Council)]
    assert [a.name for a in attrs.fields(_shape.Header)] == list(_shape.HEADER)
    assert [a.name for a in attrs.fields(_shape.Document)] == [
        "format",
        "council",
        *(name for name in council_fields if name not in _shape.HEADER),
    ]


# -- writing: atomic, and kind to what is already there ---------------------------------------


@pytest.fixture
def umask() -> Iterator[int]:
    """Run with the umask 022, and put the old one back after."""
    old = os.umask(0o022)
    yield 0o022
    os.umask(old)


@posix
def test_a_new_file_gets_the_permissions_the_umask_allows(tmp_path: Path, umask: int) -> None:
    path = tmp_path / "council.toml"
    socialcouncil.dump(Council(name="X"), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask


@posix
def test_an_existing_file_keeps_its_mode(tmp_path: Path, umask: int) -> None:
    path = tmp_path / "council.toml"
    path.write_text(MINIMAL, encoding="utf-8")
    path.chmod(0o640)
    socialcouncil.dump(Council(name="X"), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert socialcouncil.load(path).name == "X"


@posix
def test_an_existing_file_keeps_its_group(tmp_path: Path) -> None:
    path = tmp_path / "council.toml"
    path.write_text(MINIMAL, encoding="utf-8")
    others = [g for g in os.getgroups() if g != path.stat().st_gid]
    if os.geteuid() != 0 and not others:
        pytest.skip("the user belongs to one group only")
    group = others[0] if others else 1
    os.chown(path, -1, group)
    socialcouncil.dump(Council(name="X"), path)
    assert path.stat().st_gid == group


@posix
def test_a_symbolic_link_is_written_through_and_stays_a_link(tmp_path: Path) -> None:
    target = tmp_path / "real" / "council.toml"
    target.parent.mkdir()
    target.write_text(MINIMAL, encoding="utf-8")
    link = tmp_path / "council.toml"
    link.symlink_to(target)
    socialcouncil.dump(Council(name="X"), link)
    assert link.is_symlink()
    assert socialcouncil.load(target).name == "X"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["council.toml", "real"]
    assert [p.name for p in target.parent.iterdir()] == ["council.toml"]


@posix
def test_a_dangling_link_is_written_through_to_the_file_it_names(tmp_path: Path) -> None:
    link = tmp_path / "council.toml"
    link.symlink_to(tmp_path / "named.toml")
    socialcouncil.dump(Council(name="X"), link)
    assert link.is_symlink()
    assert socialcouncil.load(tmp_path / "named.toml").name == "X"


@posix
def test_writing_onto_a_fifo_or_a_folder_refuses_and_replaces_nothing(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    with pytest.raises(OSError, match="not a regular file"):
        socialcouncil.dump(Council(name="X"), fifo)
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    folder = tmp_path / "folder.toml"
    folder.mkdir()
    with pytest.raises(IsADirectoryError):
        socialcouncil.dump(Council(name="X"), folder)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fifo.toml", "folder.toml"]


def test_a_long_name_leaves_room_for_the_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / ("c" * 240 + ".toml")
    socialcouncil.dump(Council(name="X"), path)
    assert socialcouncil.load(path).name == "X"


def test_write_atomically_is_still_offered_by_files(tmp_path: Path) -> None:
    from socialcouncil.files import write_atomically

    write_atomically(tmp_path / "a.txt", "é\n")
    assert (tmp_path / "a.txt").read_bytes() == "é\n".encode()


# -- reading: only regular files, and never more than the limit -------------------------------


@posix
@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_link_to_a_device_is_refused_without_reading_it(tmp_path: Path) -> None:
    link = tmp_path / "council.toml"
    link.symlink_to("/dev/zero")
    with pytest.raises(ModelFileError) as caught:
        socialcouncil.load(link)
    assert [p.message for p in caught.value.problems] == [
        "cannot be read: found a character device, expected a model file"
    ]


@posix
def test_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "council.toml"
    os.mkfifo(fifo)
    # Were the FIFO opened for reading in the ordinary way, this would wait for a writer.
    with pytest.raises(ModelFileError) as caught:
        socialcouncil.load(fifo)
    assert [p.message for p in caught.value.problems] == [
        "cannot be read: found a FIFO (named pipe), expected a model file"
    ]


def test_a_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "council.toml"
    folder.mkdir()
    with pytest.raises(ModelFileError) as caught:
        socialcouncil.load(folder)
    [problem] = caught.value.problems
    assert problem.message.startswith("cannot be read: ")


def test_no_more_than_the_limit_is_read_from_a_file_that_grows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "council.toml"
    path.write_text(MINIMAL + "#" * 200, encoding="utf-8")
    monkeypatch.setattr(socialcouncil.files, "MAX_FILE_SIZE", 100)
    real_fstat = os.fstat

    def fstat_before_growth(fd: int) -> os.stat_result:
        # The file looks small when it is opened, as one still being written does.
        found = real_fstat(fd)
        fields = list(found)
        fields[stat.ST_SIZE] = 10
        return os.stat_result(fields)

    reads: list[int] = []
    real_read = os.read

    def counting_read(fd: int, n: int) -> bytes:
        reads.append(n)
        return real_read(fd, n)

    monkeypatch.setattr(os, "fstat", fstat_before_growth)
    monkeypatch.setattr(os, "read", counting_read)
    with pytest.raises(ModelFileError) as caught:
        socialcouncil.load(path)
    assert (
        caught.value.problems[0].message == "found 101 bytes, expected at most 100 (MAX_FILE_SIZE)"
    )
    assert sum(reads) == 101


# -- YAML -------------------------------------------------------------------------------------


@pytest.fixture(params=["libyaml", "python"])
def yaml_loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Each YAML test runs with the C loader (where PyYAML has it) and with the pure-Python one."""
    import yaml

    from socialcouncil import _yaml

    if request.param == "libyaml":
        if not getattr(yaml, "__with_libyaml__", False):
            pytest.skip("PyYAML was built without libyaml")
    else:
        monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    _yaml._loader.cache_clear()
    yield request.param
    _yaml._loader.cache_clear()


def test_the_c_loader_is_used_where_there_is_one() -> None:
    import yaml

    from socialcouncil import _yaml

    if not getattr(yaml, "__with_libyaml__", False):
        pytest.skip("PyYAML was built without libyaml")
    assert issubclass(_yaml._loader(), yaml.CSafeLoader)


@pytest.mark.parametrize(
    "text",
    [
        "council: &c\n  name: X\nother: *c\n",
        "council:\n  name: &n Solihull\n  steering_group: *n\n",
        "council:\n  name: X\nvalues: &v []\nprojects: *v\n",
        "council:\n  name: X\nformat: &f 1\nother: *f\n",
    ],
)
def test_yaml_loaders_refuse_aliases(yaml_loader: str, text: str) -> None:
    [problem] = problems(text, "yaml")
    assert "aliases (*name) are not allowed in model files; write this out in full" in problem


def test_yaml_loaders_refuse_a_billion_laughs_at_once(yaml_loader: str) -> None:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    [problem] = problems("\n".join(lines) + "\ncouncil: {name: X}\n", "yaml")
    assert "aliases (*name) are not allowed" in problem


def test_yaml_loaders_refuse_duplicate_keys(yaml_loader: str) -> None:
    [problem] = problems("council:\n  name: A\n  name: B\n", "yaml")
    assert problem == "3:3: not valid YAML: the key 'name' appears twice"


def test_yaml_loaders_read_the_examples_alike(yaml_loader: str, examples: Path) -> None:
    council = socialcouncil.load(examples / "solihull.toml")
    assert socialcouncil.loads(socialcouncil.dumps(council, "yaml"), "yaml") == council


@pytest.mark.parametrize(
    ("key", "read_as"),
    [("no", "false"), ("yes", "true"), ("off", "false"), ("0x1f", "31"), ("~", "null"),
     ("1_000", "1000"), ("2024-01-01", "the date 2024-01-01"), ("1.5", "1.5")],
)  # fmt: skip
def test_yaml_keys_that_are_not_text_say_what_they_were_read_as(
    yaml_loader: str, key: str, read_as: str
) -> None:
    text = f"council:\n  name: X\ncrosswalks:\n- from: a\n  to: b\n  map:\n    {key}: level\n"
    assert problems(text, "yaml") == [
        f'7:5: the key {key} was read as {read_as}; put it in quotes ("{key}") to keep it as text'
    ]


def test_every_yaml_key_that_is_not_text_is_reported_at_once(yaml_loader: str) -> None:
    text = "council:\n  name: X\n  no: 1\n  0x1f: 2\n"
    assert [p.split(": ")[1] for p in problems(text, "yaml")] == [
        'the key no was read as false; put it in quotes ("no") to keep it as text',
        'the key 0x1f was read as 31; put it in quotes ("0x1f") to keep it as text',
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("!!bool maybe", "2:9: not valid YAML: cannot read 'maybe' as true or false (!!bool)"),
        (
            "!!timestamp notadate",
            "2:9: not valid YAML: cannot read 'notadate' as a date or time (!!timestamp)",
        ),
        ("!!int ten", "2:9: not valid YAML: cannot read 'ten' as a whole number (!!int)"),
        ("!!float x", "2:9: not valid YAML: cannot read 'x' as a number (!!float)"),
    ],
)
def test_yaml_tags_that_do_not_fit_their_value_are_named(
    yaml_loader: str, value: str, expected: str
) -> None:
    [problem] = problems(f"council:\n  name: {value}\n", "yaml")
    assert problem.startswith(expected)


def test_an_impossible_yaml_date_says_why(yaml_loader: str) -> None:
    [problem] = problems("council:\n  name: 2024-13-02\n", "yaml")
    assert problem == (
        "2:9: not valid YAML: cannot read '2024-13-02' as a date or time (!!timestamp): "
        "month must be in 1..12"
    )


def test_yaml_dump_never_writes_anchors_for_a_shared_date() -> None:
    date = datetime.date(2024, 4, 1)
    project = Project(
        id="p",
        title="P",
        continuum="iap2-spectrum",
        calibrations=[
            Calibration(date=date, level="inform"),
            Calibration(date=date, level="consult"),
        ],
    )
    council = Council(name="X", projects=[project])
    text = socialcouncil.dumps(council, "yaml")
    assert "&" not in text
    assert "*" not in text
    assert socialcouncil.loads(text, "yaml") == council


# -- numbers ----------------------------------------------------------------------------------

LONG = "1" * 5000


@pytest.mark.parametrize(
    ("fmt", "text", "place"),
    [
        ("toml", MINIMAL + f"[[measures]]\nid = 'm'\nbaseline = {LONG}\n", "5:12"),
        ("json", f'{{"council": {{"name": "X"}},\n "measures": [{{"baseline": {LONG}}}]}}', "2:28"),
        ("yaml", f"council: {{name: X}}\nmeasures:\n- baseline: {LONG}\n", "3:13"),
    ],
)  # fmt: skip
def test_a_whole_number_too_long_to_read_is_a_problem_with_its_place(
    fmt: str, text: str, place: str
) -> None:
    language = {"toml": "TOML", "json": "JSON", "yaml": "YAML"}[fmt]
    assert problems(text, fmt) == [  # type: ignore[arg-type]
        (
            f"{place}: not valid {language}: found a whole number of 5,000 digits, "
            "expected at most 4,300 digits"
        )
    ]


@pytest.mark.parametrize("fmt", ["toml", "json", "yaml"])
def test_a_whole_number_beyond_any_float_is_a_problem(fmt: str) -> None:
    council = {"council": {"name": "X"}, "measures": [_measure(baseline=10**400)]}
    [problem] = problems(_dumps(council, fmt), fmt)  # type: ignore[arg-type]
    assert problem == (
        "measures[0].baseline: found a whole number of about 401 digits, "
        "expected a number no larger than 1.8e+308 either way"
    )


@pytest.mark.parametrize("fmt", ["toml", "json", "yaml"])
@given(number=st.integers(min_value=2**53, max_value=2**1000) | st.integers(max_value=-(2**53)))
def test_whole_numbers_beyond_two_to_the_53_round_trip_exactly(fmt: str, number: int) -> None:
    council = Council(name="X", measures=[Measure(id="m", name="M", unit="u", baseline=number)])
    again = socialcouncil.loads(socialcouncil.dumps(council, fmt), fmt)  # type: ignore[arg-type]
    assert again.measures[0].baseline == number
    assert isinstance(again.measures[0].baseline, int)


def _measure(**fields: object) -> dict[str, object]:
    return {"id": "m", "name": "M", "unit": "u", **fields}


def _dumps(data: dict[str, object], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(data)
    if fmt == "yaml":
        import yaml

        return str(yaml.safe_dump(data))
    import tomli_w

    return tomli_w.dumps(data)


def test_a_lone_surrogate_is_refused_as_text_no_file_can_hold() -> None:
    [problem] = problems('{"council": {"name": "\\ud800"}}', "json")
    assert problem.startswith("council.name: found '\\ud800', expected a string without lone")


# -- encodings and places ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "name"),
    [("utf-16", "UTF-16"), ("utf-16-le", "UTF-16"), ("utf-16-be", "UTF-16"),
     ("utf-32", "UTF-32"), ("utf-32-le", "UTF-32")],
)  # fmt: skip
@pytest.mark.parametrize("fmt", ["toml", "json", "yaml"])
def test_utf16_and_utf32_are_named(encoding: str, name: str, fmt: str) -> None:
    text = socialcouncil.dumps(Council(name="Solihull"), fmt)  # type: ignore[arg-type]
    with pytest.raises(ModelFileError) as caught:
        socialcouncil.loads(text.encode(encoding), fmt)  # type: ignore[arg-type]
    assert [p.message for p in caught.value.problems] == [
        f"{name} text; expected a UTF-8 text file (save it as UTF-8)"
    ]


def test_a_utf8_byte_order_mark_is_allowed() -> None:
    assert socialcouncil.loads(b"\xef\xbb\xbf" + MINIMAL.encode()).name.startswith("Solihull")


@pytest.mark.parametrize(
    ("text", "place", "message"),
    [
        ("[council\nname = 'x'", (1, 9), "not valid TOML: Expected ']' at the end of a table"),
        ("[council]\nname = ", (2, 8), "not valid TOML: Invalid value"),
        ("[council]\nname = 'x", (2, 10), "not valid TOML: Expected \"'\""),
    ],
)  # fmt: skip
def test_toml_errors_give_line_and_column(text: str, place: tuple[int, int], message: str) -> None:
    with pytest.raises(ModelFileError) as caught:
        socialcouncil.loads(text, source="c.toml")
    [problem] = caught.value.problems
    assert (problem.line, problem.column) == place
    assert problem.render("c.toml").startswith(f"c.toml:{place[0]}:{place[1]}: {message}")


# -- formats ----------------------------------------------------------------------------------


def test_dumps_refuses_an_unknown_format_as_loads_does() -> None:
    with pytest.raises(ModelFileError) as loading:
        socialcouncil.loads(MINIMAL, "xml")  # type: ignore[arg-type]
    with pytest.raises(ModelFileError) as dumping:
        socialcouncil.dumps(Council(name="X"), "xml")  # type: ignore[arg-type]
    assert dumping.value.problems == loading.value.problems
    assert loading.value.problems[0].message == (
        "unknown format 'xml'; expected one of toml, json, yaml"
    )


def test_dump_refuses_an_unknown_format_and_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(ModelFileError, match="unknown format 'xml'"):
        socialcouncil.dump(Council(name="X"), tmp_path / "c.toml", format="xml")  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


def test_a_yaml_list_as_a_key_is_one_problem(yaml_loader: str) -> None:
    assert problems("? [a, b]\n: 1\ncouncil: {name: X}\n", "yaml") == [
        "1:3: not valid YAML: found a list as a key, expected text"
    ]
