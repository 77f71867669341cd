"""Shared test settings."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, settings

if TYPE_CHECKING:
    from collections.abc import Iterator

# No test may depend on how fast the machine is: no deadlines.
settings.register_profile(
    "default", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=100
)
settings.load_profile("default")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "docs" / "examples"


@pytest.fixture(autouse=True)
def only_builtin_plugins(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run each test with the built-in plugins only, whatever else is installed.

    A test that installs a plugin allows it by name through SOCIALCOUNCIL_LOAD_PLUGINS.
    """
    from socialcouncil import plugins

    monkeypatch.setenv("SOCIALCOUNCIL_LOAD_PLUGINS", "")
    for variable in (
        "SOCIALCOUNCIL_DISABLE_PLUGINS",
        "SOCIALCOUNCIL_STRICT_PLUGINS",
        "SOCIALCOUNCIL_TRACE_PLUGINS",
    ):
        monkeypatch.delenv(variable, raising=False)
    plugins.reset()
    yield
    plugins.reset()


@pytest.fixture
def examples() -> Path:
    """The folder of bundled example model files."""
    return EXAMPLES
