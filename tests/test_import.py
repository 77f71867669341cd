"""``import socialcouncil`` stays light: heavy modules load only when used."""

from __future__ import annotations

import subprocess
import sys

import pytest

import socialcouncil

HEAVY = [
    "cattrs",
    "click",
    "pluggy",
    "tomllib",
    "tomli",
    "tomli_w",
    "json",
    "yaml",
    "importlib.metadata",
]


def test_import_loads_no_converter_command_line_plugin_or_file_reader() -> None:
    code = f"import sys, socialcouncil\nprint(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


def test_dir_lists_the_lazy_names() -> None:
    assert {"load", "check", "hookimpl", "registered_continua"} <= set(dir(socialcouncil))


def test_an_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="nothing_here"):
        socialcouncil.nothing_here  # noqa: B018
