"""Hostile model files: whatever arrives, reading gives a Council or a ModelFileError, nothing else.

A corpus of the kinds of input a round of hostile testing tried (truncated, binary, deeply
nested, huge numbers, odd encodings, byte order marks, NUL and control characters, duplicate
keys, YAML tags and anchors, very long strings), then hypothesis, which mutates valid files and
writes arbitrary data in each format's own syntax.
"""

from __future__ import annotations

import codecs
import json
import os
import sys
from typing import TYPE_CHECKING, Literal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import socialcouncil
from socialcouncil import Council, ModelFileError
from socialcouncil.testing import strategies

if TYPE_CHECKING:
    from pathlib import Path

Format = Literal["toml", "json", "yaml"]
FORMATS: tuple[Format, ...] = ("toml", "json", "yaml")

TOML = '[council]\nname = "Solihull"\n\n[[values]]\nid = "citizen-voice"\nname = "Voice"\n'
JSON = '{"council": {"name": "Solihull"}, "values": [{"id": "citizen-voice", "name": "Voice"}]}'
YAML = "council:\n  name: Solihull\nvalues:\n- id: citizen-voice\n  name: Voice\n"
VALID: dict[Format, str] = {"toml": TOML, "json": JSON, "yaml": YAML}


def read(data: str | bytes, fmt: Format) -> Council | ModelFileError:
    """What reading *data* gives: a council, or the error. Anything else fails the test."""
    try:
        return socialcouncil.loads(data, fmt)
    except ModelFileError as error:
        caught = error
    assert caught.problems, "a ModelFileError with no problem in it"
    assert all(p.message for p in caught.problems)
    str(caught)  # renders without raising
    return caught


def refused(data: str | bytes, fmt: Format) -> list[str]:
    """The messages of the problems reading *data* gives; it must be refused."""
    found = read(data, fmt)
    assert isinstance(found, ModelFileError), f"read as a council: {data!r:.80}"
    return [p.message for p in found.problems]


def nested(fmt: Format, depth: int) -> str:
    """A value nested *depth* lists deep, under the key ``x``."""
    inner = "[" * depth + "]" * depth
    return {"toml": f"x = {inner}\n", "json": f'{{"x": {inner}}}', "yaml": f"x: {inner}\n"}[fmt]


LONG_DIGITS = "9" * 4301

# Each entry: an id, and the text in each format (None: the same kind of input has no form there).
CORPUS: dict[str, dict[Format, str | bytes]] = {
    "truncated": {fmt: text[: len(text) // 2] for fmt, text in VALID.items()},
    "cut-mid-character": {fmt: (text + "é").encode()[:-1] for fmt, text in VALID.items()},
    "binary": dict.fromkeys(FORMATS, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
    "nul-in-text": {fmt: text.replace("Solihull", "Soli\x00hull") for fmt, text in VALID.items()},
    "escape-sequence-raw": {
        fmt: text.replace("Solihull", "Soli\x1b[31mhull") for fmt, text in VALID.items()
    },
    "bell-raw": {fmt: text.replace("Solihull", "Soli\x07hull") for fmt, text in VALID.items()},
    "deep-nesting": {fmt: nested(fmt, 100_000) for fmt in FORMATS},
    "nesting-past-the-limit": {fmt: nested(fmt, 40) for fmt in FORMATS},
    "huge-integer": {
        "toml": TOML
        + f"[[measures]]\nid = 'm'\nname = 'M'\nunit = 'u'\nbaseline = {LONG_DIGITS}\n",
        "json": f'{{"council": {{"name": "X"}}, "measures": [{{"baseline": {LONG_DIGITS}}}]}}',
        "yaml": f"council: {{name: X}}\nmeasures:\n- baseline: {LONG_DIGITS}\n",
    },
    "integer-beyond-float": {
        "toml": TOML + f"[[measures]]\nid = 'm'\nname = 'M'\nunit = 'u'\nbaseline = {10**400}\n",
        "json": f'{{"council": {{"name": "X"}}, "measures": [{{"baseline": {10**400}}}]}}',
        "yaml": f"council: {{name: X}}\nmeasures:\n- baseline: {10**400}\n",
    },
    "infinite-float": {
        "toml": TOML + "[[measures]]\nid = 'm'\nname = 'M'\nunit = 'u'\nbaseline = inf\n",
        "json": '{"council": {"name": "X"}, "measures": [{"baseline": Infinity}]}',
        "yaml": "council: {name: X}\nmeasures:\n- baseline: .inf\n",
    },
    "utf-16-with-bom": {fmt: text.encode("utf-16") for fmt, text in VALID.items()},
    "utf-16-be-without-bom": {fmt: text.encode("utf-16-be") for fmt, text in VALID.items()},
    "utf-32": {fmt: text.encode("utf-32") for fmt, text in VALID.items()},
    "latin-1": {
        fmt: text.replace("Solihull", "Soli\xe9").encode("latin-1") for fmt, text in VALID.items()
    },
    "two-utf-8-boms": {fmt: codecs.BOM_UTF8 * 2 + text.encode() for fmt, text in VALID.items()},
    "lone-surrogate": dict.fromkeys(FORMATS, '{"council": {"name": "\\udc80"}}'),
    "duplicate-keys": {
        "toml": '[council]\nname = "A"\nname = "B"\n',
        "json": '{"council": {"name": "A", "name": "B"}}',
        "yaml": "council:\n  name: A\n  name: B\n",
    },
    "top-is-a-list": {"toml": "x = []\n", "json": "[1, 2]", "yaml": "- 1\n- 2\n"},
    "top-is-a-string": {"toml": '"x"', "json": '"x"', "yaml": "just text\n"},
    "empty": dict.fromkeys(FORMATS, ""),
    "only-a-bom": dict.fromkeys(FORMATS, codecs.BOM_UTF8),
    "very-long-key": {
        "toml": TOML + "k" * 100_000 + " = 1\n",
        "json": '{"council": {"name": "X"}, "' + "k" * 100_000 + '": 1}',
        "yaml": YAML + "k" * 1000 + ": 1\n",
    },
    "yaml-python-object": dict.fromkeys(
        FORMATS, "council: !!python/object/apply:os.system ['echo hacked']\n"
    ),
    "yaml-custom-tag": dict.fromkeys(FORMATS, "council: !council {name: X}\n"),
    "yaml-bad-bool": dict.fromkeys(FORMATS, "council:\n  name: !!bool maybe\n"),
    "yaml-bad-timestamp": dict.fromkeys(FORMATS, "council:\n  name: !!timestamp notadate\n"),
    "yaml-bad-binary": dict.fromkeys(FORMATS, "council:\n  name: !!binary '***'\n"),
    "yaml-set": dict.fromkeys(FORMATS, "council: !!set {name: X}\n"),
    "yaml-omap": dict.fromkeys(FORMATS, "council: !!omap [name: X]\n"),
    "yaml-alias": dict.fromkeys(FORMATS, "a: &a {name: X}\ncouncil: *a\n"),
    "yaml-merge-key": dict.fromkeys(FORMATS, "council:\n  <<: {name: X}\n"),
    "yaml-list-as-key": dict.fromkeys(FORMATS, "? [a, b]\n: 1\ncouncil: {name: X}\n"),
    "yaml-two-documents": dict.fromkeys(FORMATS, "council: {name: X}\n---\ncouncil: {name: Y}\n"),
    "yaml-bool-key": dict.fromkeys(FORMATS, "council: {name: X}\nno: 1\n"),
}

# Inputs the format itself may accept: the model then decides.
ACCEPTED = {
    ("two-utf-8-boms", "yaml"),  # YAML takes a BOM at the start of a stream as a BOM
    ("yaml-merge-key", "yaml"),
}

CASES = [
    pytest.param(fmt, data, id=f"{name}-{fmt}")
    for name, texts in CORPUS.items()
    for fmt, data in texts.items()
    if (name, fmt) not in ACCEPTED
]


@pytest.mark.parametrize(("fmt", "data"), CASES)
def test_hostile_input_is_refused_with_a_model_file_error(fmt: Format, data: str | bytes) -> None:
    refused(data, fmt)


@pytest.mark.parametrize(("name", "fmt"), sorted(ACCEPTED))
def test_hostile_input_a_format_accepts_still_gives_a_council_or_an_error(
    name: str, fmt: Format
) -> None:
    read(CORPUS[name][fmt], fmt)


@pytest.mark.parametrize(("fmt", "data"), CASES[::7])
def test_hostile_files_are_refused_when_read_from_disk(
    tmp_path: Path, fmt: Format, data: str | bytes
) -> None:
    path = tmp_path / f"council.{fmt}"
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass"))
    with pytest.raises(ModelFileError) as caught:
        socialcouncil.load(path)
    assert caught.value.file == str(path)


@pytest.mark.parametrize("fmt", FORMATS)
def test_nesting_is_refused_in_the_words_of_the_limit(fmt: Format) -> None:
    [message] = refused(CORPUS["deep-nesting"][fmt], fmt)
    assert "nested too deeply" in message


def test_a_second_byte_order_mark_is_a_character_the_parser_names() -> None:
    [message] = refused(CORPUS["two-utf-8-boms"]["toml"], "toml")
    assert message.startswith("not valid TOML")


# -- hypothesis -------------------------------------------------------------------------------

# The characters that matter to the three syntaxes, and some that matter to none.
SYNTAX = st.sampled_from([*"[]{}\"'#=:,-.\n\t &*!|>?%@`\\0123456789eE+", "\x00", "\ufeff"])


@st.composite
def mutated(draw: st.DrawFn, fmt: Format) -> str | bytes:
    """A valid model file, then a few cuts, insertions and repeats."""
    text = socialcouncil.dumps(draw(strategies.councils), fmt)
    for _ in range(draw(st.integers(1, 4))):
        if not text:
            break
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start, min(len(text), start + 20)))
        kind = draw(st.sampled_from(["cut", "insert", "repeat", "truncate"]))
        if kind == "cut":
            text = text[:start] + text[end:]
        elif kind == "insert":
            text = text[:start] + "".join(draw(st.lists(SYNTAX, max_size=5))) + text[start:]
        elif kind == "repeat":
            text = text[:end] + text[start:end] + text[end:]
        else:
            text = text[:start]
    if draw(st.booleans()):
        return text.encode("utf-8", "surrogatepass")
    return text


KEYS = st.sampled_from(
    ["council", "name", "id", "values", "projects", "levels", "date", "level", "thread",
     "continua", "crosswalks", "from", "to", "map", "measures", "baseline", "format", "x"]
)  # fmt: skip
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text()
    | st.dates()
    | st.datetimes()
)
DATA = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(KEYS, children, max_size=4),
    max_leaves=25,
)


def written(data: object, fmt: Format) -> str | None:
    """*data* in *fmt*'s own syntax, or None where the format cannot hold it."""
    if fmt == "json":
        return json.dumps(data, default=str)
    if fmt == "yaml":
        import yaml

        return str(yaml.safe_dump(data))
    import tomli_w

    if not isinstance(data, dict):
        return None
    try:
        return tomli_w.dumps(data)
    except (TypeError, ValueError):  # None, or mixed lists, have no TOML form
        return None


@pytest.mark.parametrize("fmt", FORMATS)
@given(data=st.text() | st.binary())
def test_any_text_or_bytes_give_a_council_or_a_model_file_error(
    fmt: Format, data: str | bytes
) -> None:
    read(data, fmt)


@pytest.mark.parametrize("fmt", FORMATS)
@given(data=st.data())
def test_mutated_model_files_give_a_council_or_a_model_file_error(
    fmt: Format, data: st.DataObject
) -> None:
    read(data.draw(mutated(fmt)), fmt)


@pytest.mark.parametrize("fmt", FORMATS)
@given(data=DATA)
def test_any_data_in_each_syntax_gives_a_council_or_a_model_file_error(
    fmt: Format, data: object
) -> None:
    text = written(data, fmt)
    if text is not None:
        read(text, fmt)


@pytest.mark.parametrize("fmt", FORMATS)
@given(council=strategies.councils)
def test_every_file_dump_writes_is_read_back(fmt: Format, council: Council) -> None:
    assert read(socialcouncil.dumps(council, fmt), fmt) == council


# -- the command ------------------------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs and /dev/zero are POSIX")
@pytest.mark.parametrize("kind", ["fifo", "link-to-dev-zero", "utf-16"])
def test_validate_gives_exit_2_at_once_for_a_file_that_is_no_model_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    from socialcouncil.cli import main

    path = tmp_path / "council.toml"
    if kind == "fifo":
        os.mkfifo(path)
        expected = "cannot be read: found a FIFO (named pipe), expected a model file"
    elif kind == "link-to-dev-zero":
        path.symlink_to("/dev/zero")
        expected = "cannot be read: found a character device, expected a model file"
    else:
        path.write_bytes(TOML.encode("utf-16"))
        expected = "UTF-16 text; expected a UTF-8 text file (save it as UTF-8)"
    with pytest.raises(SystemExit) as exited:
        main(["validate", str(path)])
    assert exited.value.code == 2
    captured = capsys.readouterr()
    assert f"{path}: {expected}" in captured.out + captured.err
