"""The testing kit's strategies reach every choice the model offers."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar, get_args

import attrs
import pytest
from hypothesis import Phase, find, given, settings

import socialcouncil
from socialcouncil import RULES, Confidence, Council, Direction, Status
from socialcouncil.testing import strategies

if TYPE_CHECKING:
    from collections.abc import Callable

    from hypothesis.strategies import SearchStrategy

T = TypeVar("T")


def reaches(strategy: SearchStrategy[T], condition: Callable[[T], bool]) -> None:
    # find() raises when no example satisfies the condition within its search; the first one
    # found will do, so it is not shrunk.
    quick = settings(max_examples=500, database=None, phases=[Phase.generate])
    find(strategy, condition, settings=quick)


@pytest.mark.parametrize("status", get_args(Status))
def test_projects_take_every_status(status: str) -> None:
    reaches(strategies.projects, lambda p: p.status == status)


@pytest.mark.parametrize("confidence", get_args(Confidence))
def test_calibrations_take_every_confidence(confidence: str) -> None:
    reaches(strategies.calibrations, lambda c: c.confidence == confidence)


@pytest.mark.parametrize("direction", get_args(Direction))
def test_measures_take_every_direction(direction: str) -> None:
    reaches(strategies.measures, lambda m: m.direction == direction)


def test_councils_have_crosswalks_and_ignore_rules_that_exist_and_ids_that_do_not() -> None:
    reaches(strategies.councils, lambda c: bool(c.crosswalks))
    reaches(strategies.councils, lambda c: any(r in RULES for r in c.checks.ignore))
    reaches(strategies.councils, lambda c: any(r not in RULES for r in c.checks.ignore))


def test_valid_councils_have_crosswalks_ignored_rules_and_measures_with_targets() -> None:
    valid = strategies.valid_councils()
    reaches(valid, lambda c: any(cw.map for cw in c.crosswalks))
    reaches(valid, lambda c: bool(c.checks.ignore))
    reaches(
        valid, lambda c: any(m.target is not None and m.baseline is not None for m in c.measures)
    )
    reaches(valid, lambda c: any(m.direction == "lower" and m.outcomes for m in c.measures))


@given(strategies.valid_councils())
def test_valid_councils_are_clean_with_every_rule_switched_back_on(council: Council) -> None:
    assert set(council.checks.ignore) <= set(RULES)
    every_rule = attrs.evolve(council, checks=socialcouncil.CheckSettings())
    assert socialcouncil.check(every_rule, today=strategies.PAST) == []
