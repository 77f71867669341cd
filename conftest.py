"""Settings for every test and doctest of the core, in tests/ and in src/ alike.

pytest collects the doctests in src/ as well as tests/, and a conftest.py in tests/ does not
reach the doctests; this one, at the root, reaches both.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.fixture(autouse=True)
def only_builtin_plugins(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run each test and doctest with the built-in plugins only, whatever else is installed.

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
