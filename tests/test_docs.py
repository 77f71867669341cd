"""The reference pages cover the whole public surface: a name left out fails here."""

from __future__ import annotations

import inspect
import re

import socialcouncil
from socialcouncil import hookspecs
from tests.conftest import ROOT

REFERENCE = ROOT / "docs" / "reference"
DIRECTIVE = re.compile(r"^\.\. auto(?:function|class|data|exception|attribute):: (\S+)", re.M)


def documented(page: str) -> set[str]:
    return set(DIRECTIVE.findall((REFERENCE / page).read_text(encoding="utf-8")))


def test_every_public_name_is_in_the_api_reference() -> None:
    missing = {f"socialcouncil.{name}" for name in socialcouncil.__all__} - documented("api.md")
    assert missing == set()


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
