"""The reference pages cover the whole public surface: a name left out fails here."""

from __future__ import annotations

import inspect
import re

import socialcouncil
from socialcouncil import hookspecs
from tests.conftest import ROOT

REFERENCE = ROOT / "docs" / "reference"
DIRECTIVE = re.compile(r"^\.\. auto(?:function|class|data|exception|attribute):: ([\w.]+)", re.M)
MODULE = re.compile(r"^\.\. (?:module|currentmodule):: (\S+)", re.M)


def documented(page: str) -> set[str]:
    return set(DIRECTIVE.findall((REFERENCE / page).read_text(encoding="utf-8")))


def test_every_public_name_is_in_the_api_reference() -> None:
    missing = {f"socialcouncil.{name}" for name in socialcouncil.__all__} - documented("api.md")
    assert missing == set()


def documented_in_modules(page: str) -> set[str]:
    """Full names documented on *page*, short names completed by the module they are under."""
    text = (REFERENCE / page).read_text(encoding="utf-8")
    found, module = set(), ""
    for line in text.splitlines():
        if m := MODULE.match(line):
            module = m.group(1)
        elif m := DIRECTIVE.match(line):
            name = m.group(1)
            found.add(name if "." in name else f"{module}.{name}")
    return found


def test_every_name_of_the_testing_kit_is_in_its_reference() -> None:
    from socialcouncil import testing
    from socialcouncil.testing import pytest_plugin, strategies

    names = {
        f"{module.__name__}.{name}"
        for module in (testing, strategies, pytest_plugin)
        for name in module.__all__
    }
    assert names - documented_in_modules("testing.md") == set()


def test_every_hook_is_in_the_hook_reference() -> None:
    hooks = {
        name
        for name, function in inspect.getmembers(hookspecs, inspect.isfunction)
        if hasattr(function, f"{hookspecs.PROJECT_NAME}_spec")
    }
    assert hooks  # the module really has hooks to look for
    assert hooks - documented("hooks.md") == set()


def test_every_public_function_and_class_has_a_docstring() -> None:
    for name in socialcouncil.__all__:
        value = getattr(socialcouncil, name)
        if inspect.isfunction(value) or inspect.isclass(value):
            assert inspect.getdoc(value), name
            for member_name, member in vars(value).items():
                if not member_name.startswith("_") and (
                    inspect.isfunction(member) or isinstance(member, property)
                ):
                    assert inspect.getdoc(member), f"{name}.{member_name}"
