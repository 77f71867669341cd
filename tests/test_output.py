"""Output never crashes and never lets a model file or a plugin talk to the terminal."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import types
from typing import TYPE_CHECKING

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socialcouncil._output import SafeStream, clean, json_text, safe_streams
from socialcouncil.cli import main

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from socialcouncil.plugins import PluginInfo

# What a terminal may act on: C0 controls but tab and newline, DEL, C1 controls.
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
OWN_STYLES = re.compile(r"\x1b\[(?:0|1|31|33)m")

HOSTILE = """
[council]
name = "Evil\\u001b]0;pwned\\u0007 Council"
[[projects]]
id = "cafe"
title = "Solihull Café \\u001b[8mhidden\\u009b2J"
continuum = "iap2-spectrum"
"ti\\u001b[2Jtle" = "x"
"""

CALIBRATED = """
[council]
name = "Solihull Café Council"
[[projects]]
id = "cafe"
title = "Solihull Café"
continuum = "iap2-spectrum"
target_level = "collaborate"
[[projects.calibrations]]
date = 2024-01-10
level = "inform"
[[projects.calibrations]]
date = 2025-01-10
level = "involve"
"""


def command(*args: str, encoding: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": encoding, "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "socialcouncil", *args],
        capture_output=True,
        env=env,
        cwd=cwd,
        check=False,
    )


@pytest.mark.parametrize("encoding", ["cp1252", "ascii"])
def test_show_prints_on_an_output_that_is_not_utf8(tmp_path: Path, encoding: str) -> None:
    (tmp_path / "council.toml").write_text(CALIBRATED, encoding="utf-8")
    done = command("show", "council.toml", encoding=encoding, cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, b"")
    text = done.stdout.decode(encoding)
    assert "    Inform o-o-*-@-o Empower" in text  # a plain ASCII strip
    title = "Solihull Café" if encoding == "cp1252" else "Solihull Caf?"
    assert f"  {title} [cafe] (active)" in text


def test_every_command_prints_on_an_ascii_output(tmp_path: Path) -> None:
    (tmp_path / "council.toml").write_text(CALIBRATED, encoding="utf-8")
    for args in (("--help",), ("validate", "council.toml"), ("continua", "arnstein-ladder")):
        done = command(*args, encoding="ascii", cwd=tmp_path)
        assert (done.returncode, done.stderr) == (0, b""), args


def test_json_on_an_ascii_output_is_the_same_json(tmp_path: Path) -> None:
    (tmp_path / "council.toml").write_text(
        CALIBRATED.replace('level = "involve"', 'level = "invølve"'), encoding="utf-8"
    )
    args = ("validate", "--format", "json", "council.toml")
    ascii_run = command(*args, encoding="ascii", cwd=tmp_path)
    utf8_run = command(*args, encoding="utf-8", cwd=tmp_path)
    assert ascii_run.returncode == utf8_run.returncode == 2
    assert ascii_run.stdout.isascii()
    assert json.loads(ascii_run.stdout) == json.loads(utf8_run.stdout.decode("utf-8"))
    assert "invølve" in json.loads(ascii_run.stdout)["files"][0]["problems"][0]["message"]


def test_control_characters_from_a_model_file_are_never_printed_raw(tmp_path: Path) -> None:
    (tmp_path / "evil.toml").write_text(HOSTILE, encoding="utf-8")
    shown = command("validate", "evil.toml", encoding="utf-8", cwd=tmp_path)
    assert shown.returncode == 2
    out = shown.stdout.decode("utf-8")
    assert not RAW_CONTROL.search(out)
    assert "projects[0]['ti\\x1b[2Jtle']: unknown key" in out

    (tmp_path / "evil.toml").write_text(HOSTILE.replace('"ti\\u001b[2Jtle" = "x"\n', ""))
    shown = command("show", "evil.toml", encoding="utf-8", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    out = shown.stdout.decode("utf-8")
    assert not RAW_CONTROL.search(out)
    assert out.startswith("Evil\\x1b]0;pwned\\x07 Council\n")
    # Off a terminal click drops colour codes itself; on one, they are escaped like the rest.
    assert re.search(r"  Solihull Café (\\x1b\[8m)?hidden\\x9b2J \[cafe\] \(active\)", out)


def test_json_with_control_characters_stays_valid_and_inert(
    capsys: pytest.CaptureFixture[str], register_plugin: Callable[..., PluginInfo]
) -> None:
    name = "evil\x1b[8m\x9b2J\x7f"
    register_plugin(types.ModuleType("evil"), name)
    main(["plugins", "--format", "json"])
    out = capsys.readouterr().out
    assert not RAW_CONTROL.search(out)
    assert [p["name"] for p in json.loads(out)["plugins"]] == [name]


def test_what_a_plugin_prints_goes_through_the_same_guard(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with safe_streams():
        print("plugin says \x1b[8mhidden\x1b]52;c;Y29weQ==\x07")
    assert capsys.readouterr().out == "plugin says \\x1b[8mhidden\\x1b]52;c;Y29weQ==\\x07\n"


def test_the_command_puts_the_streams_back(capsys: pytest.CaptureFixture[str]) -> None:
    before = sys.stdout, sys.stderr
    main(["--version"])
    assert (sys.stdout, sys.stderr) == before
    assert "version" in capsys.readouterr().out


@given(
    text=st.text(),
    encoding=st.sampled_from(["ascii", "cp1252", "latin-1", "utf-8", "cp437"]),
)
def test_a_safe_stream_writes_anything_without_raising_or_raw_controls(
    text: str, encoding: str
) -> None:
    target = io.TextIOWrapper(io.BytesIO(), encoding=encoding, errors="strict", newline="\n")
    stream = SafeStream(target)
    assert stream.write(text) == len(text)
    stream.flush()
    written = target.buffer.getvalue().decode(encoding)
    assert not RAW_CONTROL.search(OWN_STYLES.sub("", written))


@given(st.text())
def test_clean_leaves_nothing_a_terminal_acts_on_and_keeps_plain_text(text: str) -> None:
    cleaned = clean(text)
    assert not RAW_CONTROL.search(cleaned)
    if not RAW_CONTROL.search(text):
        assert cleaned == text


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=10,
)


@given(json_values, st.sampled_from(["ascii", "cp1252", "utf-8"]))
def test_json_text_is_json_for_the_same_data_with_no_raw_controls(
    data: object, encoding: str
) -> None:
    target = io.TextIOWrapper(io.BytesIO(), encoding=encoding)
    saved = sys.stdout
    sys.stdout = target
    try:
        text = json_text(data)
    finally:
        sys.stdout = saved
    assert json.loads(text) == data
    assert not RAW_CONTROL.search(text.replace("\n", ""))
    text.encode(encoding)  # printable as it is
