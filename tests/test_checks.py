"""Integrity checks: each rule fires on the problem it names, and only then."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

import pytest

import socialcouncil
from socialcouncil import RULES, Finding, check

if TYPE_CHECKING:
    from pathlib import Path

TODAY = datetime.date(2026, 11, 22)

CLEAN = """
[council]
name = "Solihull Metropolitan Borough Council"
gss_code = "E08000029"

[[values]]
id = "citizen-voice"
name = "A stronger voice for citizens"

[thread]
purpose = "To make a positive difference every day to people's lives."

[[thread.priorities]]
id = "thriving-communities"
name = "Thriving local communities"

[[thread.outcomes]]
id = "residents-shape-services"
name = "Residents shape the services they use"
priority = "thriving-communities"
measures = ["residents-influencing"]

[[thread.big_moves]]
id = "social-council"
name = "The Social Council"
priorities = ["thriving-communities"]

[[continua]]
id = "relationship"
name = "Solihull relationship continuum"
[[continua.levels]]
id = "communicative"
label = "Communicative but service-orientated"
[[continua.levels]]
id = "involving"
label = "Involving"
[[continua.levels]]
id = "co-productive"
label = "Fully co-productive"

[[crosswalks]]
from = "relationship"
to = "iap2-spectrum"

[[measures]]
id = "residents-influencing"
name = "Residents who feel they can influence decisions"
unit = "percent"
values = ["citizen-voice"]
outcomes = ["residents-shape-services"]

[[projects]]
id = "solihull-cafe"
title = "Solihull Café"
values = ["citizen-voice"]
priorities = ["thriving-communities"]
big_moves = ["social-council"]
continuum = "relationship"
target_level = "co-productive"
[[projects.calibrations]]
date = 2024-01-10
level = "communicative"
[[projects.calibrations]]
date = 2025-01-10
level = "involving"
"""


def findings(text: str) -> list[tuple[str, str]]:
    """(rule, path) of every finding for the council in *text*."""
    council = socialcouncil.loads(text)
    return [(f.rule, f.path) for f in check(council, today=TODAY)]


def test_the_clean_council_has_no_findings() -> None:
    assert findings(CLEAN) == []


@pytest.mark.parametrize("name", ["solihull.toml", "birmingham.toml"])
def test_the_bundled_examples_have_no_findings(examples: Path, name: str) -> None:
    assert check(socialcouncil.load(examples / name)) == []


def test_ids_need_only_be_unique_within_their_kind() -> None:
    # A project may share its id with a measure, and a big move with a priority.
    text = CLEAN.replace('id = "solihull-cafe"', 'id = "residents-influencing"')
    text = text.replace('id = "social-council"', 'id = "thriving-communities"')
    text = text.replace('big_moves = ["social-council"]', 'big_moves = ["thriving-communities"]')
    assert findings(text) == []


CASES = [
    # (rule, a change to CLEAN, the path expected)
    (
        "duplicate-id",
        lambda t: t + '\n[[values]]\nid = "citizen-voice"\nname = "Again"\n',
        "values[1].id",
    ),
    (
        "unknown-value",
        lambda t: t.replace(
            'values = ["citizen-voice"]\npriorities', 'values = ["citizen-vioce"]\npriorities'
        ),
        "projects[0].values[0]",
    ),
    (
        "unknown-priority",
        lambda t: t.replace('priority = "thriving-communities"', 'priority = "thriving"'),
        "thread.outcomes[0].priority",
    ),
    (
        "unknown-big-move",
        lambda t: t.replace('big_moves = ["social-council"]', 'big_moves = ["social-counsel"]'),
        "projects[0].big_moves[0]",
    ),
    (
        "unknown-outcome",
        lambda t: t.replace('outcomes = ["residents-shape-services"]', 'outcomes = ["x"]'),
        "measures[0].outcomes[0]",
    ),
    (
        "unknown-measure",
        lambda t: t.replace(
            'measures = ["residents-influencing"]', 'measures = ["x", "residents-influencing"]'
        ),
        "thread.outcomes[0].measures[0]",
    ),
    (
        "unknown-continuum",
        lambda t: t.replace('continuum = "relationship"', 'continuum = "relationshp"'),
        "projects[0].continuum",
    ),
    (
        "unknown-level",
        lambda t: t.replace('level = "involving"', 'level = "involved"'),
        "projects[0].calibrations[1].level",
    ),
    (
        "missing-continuum",
        lambda t: t.replace('continuum = "relationship"\n', ""),
        "projects[0].continuum",
    ),
    (
        "crosswalk-not-monotone",
        lambda t: t.replace(
            'to = "iap2-spectrum"\n', 'to = "iap2-spectrum"\nmap = { communicative = "empower" }\n'
        ),
        "crosswalks[0].map",
    ),
    (
        "future-calibration",
        lambda t: t.replace("date = 2025-01-10", "date = 2026-11-23"),
        "projects[0].calibrations[1].date",
    ),
    (
        "invalid-gss-code",
        lambda t: t.replace('gss_code = "E08000029"', 'gss_code = "X08000029"'),
        "council.gss_code",
    ),
    (
        "priority-without-outcome",
        lambda t: t.replace(
            "[[thread.big_moves]]",
            '[[thread.priorities]]\nid = "economy"\nname = "A strong economy"\n\n'
            "[[thread.big_moves]]",
        ),
        "thread.priorities[1]",
    ),
    (
        "outcome-without-measure",
        lambda t: t.replace('measures = ["residents-influencing"]', "measures = []").replace(
            'outcomes = ["residents-shape-services"]', "outcomes = []"
        ),
        "thread.outcomes[0].measures",
    ),
    (
        "big-move-without-priority",
        lambda t: t.replace(
            'priorities = ["thriving-communities"]\n\n[[continua]]', "\n[[continua]]"
        ),
        "thread.big_moves[0].priorities",
    ),
    (
        "project-without-value",
        lambda t: t.replace('values = ["citizen-voice"]\npriorities', "priorities").replace(
            "[[measures]]",
            '[[projects]]\nid = "other"\ntitle = "Other"\nvalues = ["citizen-voice"]\n'
            'big_moves = ["social-council"]\n\n[[measures]]',
        ),
        "projects[1].values",
    ),
    (
        "project-without-priority",
        lambda t: t.replace(
            'priorities = ["thriving-communities"]\nbig_moves = ["social-council"]\n', ""
        ),
        "projects[0].priorities",
    ),
    (
        "value-not-pursued",
        lambda t: t.replace(
            "[thread]",
            '[[values]]\nid = "networks"\nname = "Networks over hierarchies"\n\n[thread]',
        ),
        "values[1]",
    ),
    (
        "target-below-current",
        lambda t: t.replace('target_level = "co-productive"', 'target_level = "communicative"'),
        "projects[0].target_level",
    ),
    (
        "shadowed-continuum",
        lambda t: (
            t.replace('id = "relationship"', 'id = "iap2-spectrum"')
            .replace('continuum = "relationship"', 'continuum = "iap2-spectrum"')
            .replace('from = "relationship"', 'from = "iap2-spectrum"')
        ),
        "continua[0].id",
    ),
    (
        "unknown-rule",
        lambda t: t + '\n[checks]\nignore = ["value-not-persued"]\n',
        "checks.ignore[0]",
    ),
]


def test_every_rule_has_a_case() -> None:
    assert sorted(rule for rule, _, _ in CASES) == sorted(RULES)


@pytest.mark.parametrize(("rule", "change", "path"), CASES, ids=[c[0] for c in CASES])
def test_each_rule_finds_its_problem_at_its_path(rule: str, change: object, path: str) -> None:
    text = change(CLEAN)  # type: ignore[operator]
    assert text != CLEAN
    found = findings(text)
    assert (rule, path) in found
    # A broken link may leave a warning behind it (an unknown value leaves a value no project
    # pursues), but never another error.
    others = {r for r, _ in found} - {rule}
    assert {r for r in others if RULES[r].severity == "error"} == set()


@pytest.mark.parametrize(("rule", "change", "path"), CASES, ids=[c[0] for c in CASES])
def test_each_rule_can_be_switched_off(rule: str, change: object, path: str) -> None:
    text = change(CLEAN)  # type: ignore[operator]
    if "[checks]" in text:
        text = text.replace('ignore = ["', f'ignore = ["{rule}", "')
    else:
        text += f'\n[checks]\nignore = ["{rule}"]\n'
    assert [r for r, _ in findings(text) if r == rule] == []


def test_messages_suggest_the_id_meant() -> None:
    council = socialcouncil.loads(CLEAN.replace('level = "involving"', 'level = "involvng"'))
    [finding] = check(council, today=TODAY)
    assert finding == Finding(
        rule="unknown-level",
        severity="error",
        path="projects[0].calibrations[1].level",
        message="no level of 'relationship' with id 'involvng'; did you mean 'involving'?",
    )


def test_findings_come_in_file_order() -> None:
    text = CLEAN.replace('gss_code = "E08000029"', 'gss_code = "E1"')
    text = text.replace('level = "involving"', 'level = "x"').replace(
        'level = "communicative"\n', 'level = "y"\n', 1
    )
    text = text.replace('priority = "thriving-communities"', 'priority = "z"')
    assert [path for _, path in findings(text)] == [
        "council.gss_code",
        "thread.priorities[0]",
        "thread.outcomes[0].priority",
        "projects[0].calibrations[0].level",
        "projects[0].calibrations[1].level",
    ]


def test_severities_come_from_the_rules() -> None:
    council = socialcouncil.loads(CLEAN.replace('gss_code = "E08000029"', 'gss_code = "E1"'))
    [finding] = check(council, today=TODAY)
    assert finding.severity == RULES["invalid-gss-code"].severity == "error"


def test_registered_continua_can_be_given_explicitly() -> None:
    council = socialcouncil.loads(CLEAN)
    found = check(council, continua={}, today=TODAY)
    assert [(f.rule, f.path) for f in found] == [("unknown-continuum", "crosswalks[0].to")]


def test_without_today_the_real_date_is_used() -> None:
    future = datetime.date.today() + datetime.timedelta(days=2)
    council = socialcouncil.loads(CLEAN.replace("date = 2025-01-10", f"date = {future}"))
    assert [f.rule for f in check(council)] == ["future-calibration"]


def test_rules_are_documented_with_summaries() -> None:
    for rule_id, rule in RULES.items():
        assert rule.id == rule_id
        assert rule.summary.endswith(".")
        assert rule.severity in ("error", "warning")
