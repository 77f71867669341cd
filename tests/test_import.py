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
    "narwhals",
    "polars",
]

# What listing the commands, or printing the version, may not import either: the model's classes
# (attrs), the plugin manager, a converter, the frame libraries, or any plugin's code.
STARTUP_HEAVY = ["attrs", "attr", "cattrs", "pluggy", "narwhals", "polars", "importlib.metadata"]


def test_import_loads_no_converter_command_line_plugin_or_file_reader() -> None:
    code = f"import sys, socialcouncil\nprint(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


def test_dir_lists_the_lazy_names() -> None:
    assert {"load", "check", "hookimpl", "registered_continua"} <= set(dir(socialcouncil))


def test_an_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="nothing_here"):
        socialcouncil.nothing_here  # noqa: B018


@pytest.mark.parametrize("argument", ["--version", "--help"])
def test_version_and_help_load_no_model_plugin_manager_or_frame_library(argument: str) -> None:
    code = (
        "import sys\nfrom socialcouncil.cli import main\n"
        f"try:\n    main([{argument!r}])\nexcept SystemExit:\n    pass\n"
        f"print(','.join(m for m in {STARTUP_HEAVY!r} if m in sys.modules), file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stderr.strip() == ""
