"""Integrity checks: each rule fires on the problem it names, and only then."""

from __future__ import annotations

import contextlib
import datetime
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import attrs
import pytest

import socialcouncil
from socialcouncil import (
    RULES,
    Check,
    CheckContext,
    CheckSettings,
    Council,
    Finding,
    PluginError,
    Project,
    Rule,
    Severity,
    check,
    hookimpl,
    run_checks,
)
from socialcouncil.plugins import PluginInfo

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

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
    (
        "missing-plugin",
        lambda t: 'requires = ["socialcouncil-nowhere>=1.0"]\n' + t,
        "requires[0]",
    ),
    (
        "target-behind-baseline",
        lambda t: t.replace('unit = "percent"\n', 'unit = "percent"\nbaseline = 27\ntarget = 20\n'),
        "measures[0].target",
    ),
    (
        "measure-outcome-mismatch",
        lambda t: (
            t.replace(
                'measures = ["residents-influencing"]',
                'measures = ["residents-influencing", "hours"]',
            )
            .replace(
                "[[projects]]",
                '[[measures]]\nid = "hours"\nname = "Volunteer hours"\nunit = "hours"\n'
                'values = ["citizen-voice"]\noutcomes = ["other"]\n\n'
                "[[projects]]",
            )
            .replace(
                "[[thread.big_moves]]",
                '[[thread.outcomes]]\nid = "other"\nname = "Other"\n'
                'priority = "thriving-communities"\nmeasures = ["hours"]\n\n[[thread.big_moves]]',
            )
        ),
        "thread.outcomes[0].measures[1]",
    ),
    (
        "unknown-source",
        lambda t: t.replace('unit = "percent"\n', 'unit = "percent"\nsource = "survey"\n'),
        "measures[0].source",
    ),
    (
        "unknown-model",
        lambda t: t.replace('unit = "percent"\n', 'unit = "percent"\nmodel = "survey"\n'),
        "measures[0].model",
    ),
    (
        "unknown-field",
        lambda t: t.replace(
            'unit = "percent"\n',
            'unit = "percent"\nmodel = "calibration-profile"\ncolumns = { ward = "Ward" }\n',
        ),
        "measures[0].columns.ward",
    ),
    (
        "missing-location",
        lambda t: t + '\n[[sources]]\nid = "survey"\ntype = "csv"\n',
        "sources[0].location",
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


def test_registered_continua_can_be_given_explicitly() -> None:
    council = socialcouncil.loads(CLEAN)
    found = check(council, continua={}, today=TODAY)
    assert [(f.rule, f.path) for f in found] == [("unknown-continuum", "crosswalks[0].to")]


def test_without_today_the_real_date_is_used() -> None:
    future = datetime.date.today() + datetime.timedelta(days=2)
    council = socialcouncil.loads(CLEAN.replace("date = 2025-01-10", f"date = {future}"))
    assert [f.rule for f in check(council)] == ["future-calibration"]


# -- severities, as the reference documents them ----------------------------------------------

REFERENCE = Path(__file__).resolve().parent.parent / "docs" / "reference" / "checks.md"


def test_each_rule_has_the_severity_its_reference_section_gives() -> None:
    text = REFERENCE.read_text(encoding="utf-8")
    errors, warnings = text.split("\n## Warnings\n")
    documented = {
        **dict.fromkeys(re.findall(r"^### `([a-z0-9-]+)`", errors, re.M), "error"),
        **dict.fromkeys(re.findall(r"^### `([a-z0-9-]+)`", warnings, re.M), "warning"),
    }
    assert {rule.id: rule.severity for rule in RULES.values()} == documented
    for rule_id, severity in documented.items():
        section = text.split(f"### `{rule_id}`\n", 1)[1]
        assert section.lstrip().startswith(f"**{severity.capitalize()}.**"), rule_id


@pytest.mark.parametrize("severity", ["error", "warning"])
def test_findings_carry_the_severity_of_their_rule(severity: Severity) -> None:
    def everything(ctx: CheckContext) -> Iterator[tuple[str, str]]:
        yield "council.name", "found"

    rule = Rule("plugin-rule", severity, "A rule.")
    [finding] = run_checks(Council(name="Demo"), [Check(rule, everything)], today=TODAY)
    assert (finding.rule, finding.severity) == ("plugin-rule", severity)


# -- plugin checks that fail ------------------------------------------------------------------

KIRKLEES = PluginInfo(
    name="kirklees",
    module="socialcouncil_kirklees",
    distribution="socialcouncil-kirklees",
    version="1.0",
)
BROKEN = Council(name="Demo", gss_code="X1", projects=[Project(id="cafe", title="Café")])


def plugin_check(find: Callable[[CheckContext], Iterable[object]]) -> Check:
    rule = Rule("kirklees-wards", "error", "Every project names a ward.")
    return Check(rule, find, plugin=KIRKLEES)  # type: ignore[arg-type]


def with_builtins(*extra: Check) -> list[Check]:
    from socialcouncil.checks.builtin import BUILTIN_CHECKS

    return [*BUILTIN_CHECKS, *extra]


def rules_and_paths(found: list[Finding]) -> list[tuple[str, str]]:
    return [(f.rule, f.path) for f in found]


def test_a_check_that_raises_is_a_warning_naming_plugin_distribution_and_exception() -> None:
    def find(ctx: CheckContext) -> Iterator[tuple[str, str]]:
        raise KeyError("ward")

    found = run_checks(BROKEN, with_builtins(plugin_check(find)), today=TODAY)
    [failure] = [f for f in found if f.rule == "kirklees-wards"]
    assert failure.severity == "warning"
    assert failure.plugin == KIRKLEES
    assert failure.path == ""
    assert failure.message == (
        "the check for rule 'kirklees-wards' from plugin 'kirklees' (from socialcouncil-kirklees "
        "1.0) failed: it raised KeyError: 'ward'"
    )
    # Every other finding is still there.
    assert ("invalid-gss-code", "council.gss_code") in rules_and_paths(found)
    assert ("project-without-value", "projects[0].values") in rules_and_paths(found)


def test_a_check_that_fails_partway_keeps_what_it_found_before() -> None:
    def find(ctx: CheckContext) -> Iterator[tuple[str, str]]:
        yield "projects[0]", "no ward"
        raise RuntimeError("the ward list\nis gone")

    found = run_checks(BROKEN, [plugin_check(find)], today=TODAY)
    assert [(f.severity, f.path) for f in found] == [("warning", ""), ("error", "projects[0]")]
    assert found[0].message.endswith("it raised RuntimeError: the ward list is gone")
    assert "\n" not in found[0].message


@pytest.mark.parametrize(
    ("answer", "shown"),
    [
        (("projects[0]", 3), "('projects[0]', 3)"),
        ("projects[0]", "'projects[0]'"),
        (("a", "b", "c"), "('a', 'b', 'c')"),
        (None, "None"),
    ],
)
def test_a_check_that_yields_something_other_than_a_pair_of_strings_fails(
    answer: object, shown: str
) -> None:
    def find(ctx: CheckContext) -> Iterator[object]:
        yield "projects[0]", "first"
        yield answer
        yield "projects[0]", "never reached"

    found = run_checks(BROKEN, [plugin_check(find)], today=TODAY)
    assert [f.message for f in found] == [
        (
            "the check for rule 'kirklees-wards' from plugin 'kirklees' (from "
            f"socialcouncil-kirklees 1.0) failed: it yielded {shown}, expected a (path, message) "
            "pair of strings"
        ),
        "first",
    ]


def test_a_check_that_calls_sys_exit_does_not_end_the_run() -> None:
    def find(ctx: CheckContext) -> Iterator[tuple[str, str]]:
        sys.exit(3)

    found = run_checks(BROKEN, with_builtins(plugin_check(find)), today=TODAY)
    assert "failed: it raised SystemExit: 3" in found[0].message
    assert "invalid-gss-code" in {f.rule for f in found}


def test_in_strict_mode_a_failing_check_raises_naming_it() -> None:
    def find(ctx: CheckContext) -> Iterator[tuple[str, str]]:
        raise ValueError("bad ward")

    with pytest.raises(PluginError, match=r"'kirklees-wards' from plugin 'kirklees' .*bad ward"):
        run_checks(BROKEN, with_builtins(plugin_check(find)), today=TODAY, strict=True)


def test_a_switched_off_rule_whose_check_would_fail_is_not_run() -> None:
    def find(ctx: CheckContext) -> Iterator[tuple[str, str]]:
        raise ValueError("bad ward")

    council = attrs.evolve(BROKEN, checks=CheckSettings(ignore=["kirklees-wards"]))
    assert run_checks(council, [plugin_check(find)], today=TODAY, strict=True) == []


def test_what_a_check_prints_goes_to_standard_error(capsys: pytest.CaptureFixture[str]) -> None:
    def find(ctx: CheckContext) -> Iterator[tuple[str, str]]:
        print("checking wards")
        yield "projects[0]", "no ward"

    found = run_checks(BROKEN, [plugin_check(find)], today=TODAY)
    assert [f.message for f in found] == ["no ward"]
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", "checking wards\n")


def test_validate_json_stays_complete_when_a_plugin_check_fails(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    register_plugin: Callable[..., PluginInfo],
) -> None:
    import json
    import types

    from socialcouncil.cli import main

    def find(ctx: CheckContext) -> Iterator[tuple[str, str]]:
        print("noise from the plugin")
        raise KeyError("ward")

    module = types.ModuleType("kirklees_checks")
    rule = Rule("kirklees-wards", "error", "Every project names a ward.")
    module.register_checks = hookimpl(lambda: [Check(rule, find)])  # type: ignore[attr-defined]
    register_plugin(module)
    file = tmp_path / "council.toml"
    file.write_text(CLEAN, encoding="utf-8")
    with pytest.raises(SystemExit) as exit_:
        main(["validate", "--format", "json", str(file)])
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    # The failure is a warning, so the exit code follows the findings: a clean file exits 0.
    assert exit_.value.code == report["exit_code"] == 0
    [finding] = report["files"][0]["findings"]
    assert (finding["rule"], finding["severity"]) == ("kirklees-wards", "warning")
    assert "KeyError: 'ward'" in finding["message"]
    assert "noise from the plugin" in captured.err


# -- one decision on which continua a council can use -----------------------------------------

TWICE = """
[council]
name = "Anytown"

[[continua]]
id = "ours"
name = "First"
[[continua.levels]]
id = "told"
label = "Told"
[[continua.levels]]
id = "asked"
label = "Asked"

[[continua]]
id = "ours"
name = "Second"
[[continua.levels]]
id = "asked"
label = "Asked"
[[continua.levels]]
id = "told"
label = "Told"

[[projects]]
id = "cafe"
title = "Café"
continuum = "ours"
target_level = "asked"
[[projects.calibrations]]
date = 2024-01-10
level = "told"
"""


def test_validate_show_and_measurement_use_the_same_of_two_same_id_continua(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from socialcouncil.cli import main
    from socialcouncil.measurement import MeasurementContext

    council = socialcouncil.loads(TWICE)
    # The second 'ours' is a duplicate-id error; on the first, 'told' is below the target 'asked'.
    errors = [f for f in check(council, today=TODAY) if f.severity == "error"]
    assert rules_and_paths(errors) == [("duplicate-id", "continua[1].id")]
    first = council.continua[0]
    assert socialcouncil.continuum_for(council, "cafe") is first
    context = MeasurementContext.for_council(
        council, registered=socialcouncil.registered_continua()
    )
    assert context.continua["ours"] is first
    file = tmp_path / "council.toml"
    file.write_text(TWICE, encoding="utf-8")
    with contextlib.suppress(SystemExit):
        main(["show", str(file)])
    # show places the project where validate does: at the bottom of the first, target above it.
    assert "Told ●─◎ Asked" in capsys.readouterr().out


# -- what a model file requires ---------------------------------------------------------------


def requiring(*requirements: str) -> Council:
    return attrs.evolve(socialcouncil.loads(CLEAN), requires=requirements)


def missing(council: Council, installed: dict[str, str]) -> list[tuple[str, str]]:
    from socialcouncil.checks.builtin import BUILTIN_CHECKS

    found = run_checks(
        council,
        BUILTIN_CHECKS,
        today=TODAY,
        continua=socialcouncil.registered_continua(),
        installed=installed,
    )
    return [(f.path, f.message) for f in found if f.rule == "missing-plugin"]


def test_a_missing_plugin_is_named_with_the_command_to_install_it() -> None:
    council = requiring("socialcouncil-kirklees>=1.0", "socialcouncil-calderdale")
    assert missing(council, {}) == [
        (
            "requires[0]",
            (
                "socialcouncil-kirklees is not installed; install it with: "
                "pip install 'socialcouncil-kirklees>=1.0'"
            ),
        ),
        (
            "requires[1]",
            (
                "socialcouncil-calderdale is not installed; install it with: "
                "pip install socialcouncil-calderdale"
            ),
        ),
    ]


def test_a_plugin_too_old_is_named_with_the_version_installed() -> None:
    council = requiring("socialcouncil-kirklees>=1.0")
    assert missing(council, {"socialcouncil-kirklees": "0.9"}) == [
        (
            "requires[0]",
            (
                "socialcouncil-kirklees 0.9 is installed, but this file requires "
                "socialcouncil-kirklees>=1.0; upgrade it with: "
                "pip install --upgrade 'socialcouncil-kirklees>=1.0'"
            ),
        )
    ]


@pytest.mark.parametrize(
    "installed",
    [
        {"socialcouncil-kirklees": "1.0"},
        {"socialcouncil-kirklees": "2.3.1"},
        {"Socialcouncil_Kirklees": "1.1"},  # names compare as pip compares them
    ],
)
def test_a_plugin_installed_in_a_version_accepted_is_no_finding(installed: dict[str, str]) -> None:
    assert missing(requiring("socialcouncil-kirklees>=1.0"), installed) == []


def test_a_requirement_whose_marker_does_not_hold_here_is_not_looked_for() -> None:
    assert missing(requiring("socialcouncil-kirklees; python_version < '3'"), {}) == []


def test_check_looks_for_requirements_among_the_distributions_installed() -> None:
    assert rules_and_paths(check(requiring("socialcouncil>=0.1"), today=TODAY)) == []
    found = check(requiring("socialcouncil>=999"), today=TODAY)
    assert rules_and_paths(found) == [("missing-plugin", "requires[0]")]
    assert found[0].message.startswith(f"socialcouncil {socialcouncil.__version__} is installed")


def test_a_malformed_requirement_is_refused_with_its_path() -> None:
    with pytest.raises(socialcouncil.ModelFileError) as caught:
        socialcouncil.loads('requires = ["socialcouncil-kirklees>>1"]\n' + CLEAN)
    [problem] = caught.value.problems
    assert problem.path == "requires[0]"
    assert "found 'socialcouncil-kirklees>>1', expected a requirement string" in problem.message


OTHER_COUNCILS = PluginInfo(
    name="solihull",
    module="socialcouncil_solihull",
    distribution="socialcouncil-solihull",
    version="1.0",
)
SOLIHULL_SCALE = socialcouncil.Continuum(
    id="solihull-relationship",
    name="Solihull relationship continuum",
    levels=[socialcouncil.Level("told", "Told"), socialcouncil.Level("asked", "Asked")],
)


def unknown_continuum_message(council: Council, installed: dict[str, str]) -> list[str]:
    from socialcouncil.checks.builtin import BUILTIN_CHECKS

    found = run_checks(
        council,
        BUILTIN_CHECKS,
        today=TODAY,
        continua={**socialcouncil.registered_continua(), SOLIHULL_SCALE.id: SOLIHULL_SCALE},
        providers={SOLIHULL_SCALE.id: OTHER_COUNCILS},
        installed=installed,
    )
    return [f"{f.rule} {f.path}: {f.message}" for f in found if f.severity == "error"]


def kirklees(*requirements: str) -> Council:
    # The council's own continuum gets an id unlike the one its project names.
    text = CLEAN.replace('"relationship"', '"anytown-scale"')
    text = text.replace('continuum = "anytown-scale"', 'continuum = "kirklees-relationship"')
    return attrs.evolve(socialcouncil.loads(text), requires=requirements)


def test_another_councils_continuum_is_never_suggested_as_a_typo() -> None:
    assert unknown_continuum_message(kirklees(), {}) == [
        "unknown-continuum projects[0].continuum: no continuum with id 'kirklees-relationship'"
    ]


def test_a_continuum_of_a_plugin_the_file_requires_is_suggested() -> None:
    council = kirklees("socialcouncil-solihull")
    assert unknown_continuum_message(council, {"socialcouncil-solihull": "1.0"}) == [
        (
            "unknown-continuum projects[0].continuum: no continuum with id "
            "'kirklees-relationship'; did you mean 'solihull-relationship'?"
        )
    ]


def test_a_missing_plugin_comes_before_the_unknown_continuum_it_explains() -> None:
    assert unknown_continuum_message(kirklees("socialcouncil-kirklees>=1.0"), {}) == [
        (
            "missing-plugin requires[0]: socialcouncil-kirklees is not installed; install it with: "
            "pip install 'socialcouncil-kirklees>=1.0'"
        ),
        (
            "unknown-continuum projects[0].continuum: no continuum with id "
            "'kirklees-relationship'; it may be one that socialcouncil-kirklees registers (see "
            "requires)"
        ),
    ]


def test_the_council_own_and_the_built_in_continua_are_still_suggested() -> None:
    text = CLEAN.replace('continuum = "relationship"', 'continuum = "relationshp"')
    assert unknown_continuum_message(socialcouncil.loads(text), {}) == [
        (
            "unknown-continuum projects[0].continuum: no continuum with id 'relationshp'; "
            "did you mean 'relationship'?"
        )
    ]
    text = CLEAN.replace('to = "iap2-spectrum"', 'to = "iap2-spectrun"')
    assert unknown_continuum_message(socialcouncil.loads(text), {}) == [
        (
            "unknown-continuum crosswalks[0].to: no continuum with id 'iap2-spectrun'; "
            "did you mean 'iap2-spectrum'?"
        )
    ]


# -- measures ---------------------------------------------------------------------------------


def measure_findings(direction: str, baseline: float | None, target: float | None) -> list[str]:
    measure = socialcouncil.Measure(
        id="m",
        name="M",
        unit="people",
        direction=direction,  # type: ignore[arg-type]
        baseline=baseline,
        target=target,
    )
    council = Council(name="Demo", measures=[measure])
    from socialcouncil.checks.builtin import BUILTIN_CHECKS

    found = run_checks(council, BUILTIN_CHECKS, today=TODAY)
    return [f.message for f in found if f.rule == "target-behind-baseline"]


@pytest.mark.parametrize(
    ("direction", "baseline", "target", "behind"),
    [
        ("higher", 27, 20, True),
        ("higher", 20, 27, False),
        ("higher", 27, 27, False),
        ("lower", 20, 27, True),
        ("lower", 27, 20, False),
        ("lower", 0.5, 0.5, False),
        ("higher", None, 20, False),
        ("lower", 20, None, False),
    ],
)
def test_a_target_behind_the_baseline_for_its_direction_is_a_warning(
    direction: str, baseline: float | None, target: float | None, behind: bool
) -> None:
    assert bool(measure_findings(direction, baseline, target)) is behind


def test_the_target_behind_message_says_which_way_is_better() -> None:
    assert measure_findings("lower", 20, 27.5) == [
        "target 27.5 is above the baseline 20, but direction 'lower' says lower is better"
    ]


def linked(measure_outcomes: list[str], outcome_measures: list[str]) -> list[tuple[str, str]]:
    """The mismatches when measure 'm' and outcome 'o' name these; 'n' and 'q' name nothing."""
    council = Council(
        name="Demo",
        thread=socialcouncil.GoldenThread(
            priorities=[socialcouncil.Priority(id="p", name="P")],
            outcomes=[
                socialcouncil.Outcome(id="o", name="O", priority="p", measures=outcome_measures),
                socialcouncil.Outcome(id="q", name="Q", priority="p"),
            ],
        ),
        measures=[
            socialcouncil.Measure(id="m", name="M", unit="u", outcomes=measure_outcomes),
            socialcouncil.Measure(id="n", name="N", unit="u"),
        ],
    )
    from socialcouncil.checks.builtin import BUILTIN_CHECKS

    found = run_checks(council, BUILTIN_CHECKS, today=TODAY)
    return [(f.path, f.message) for f in found if f.rule == "measure-outcome-mismatch"]


def test_links_named_on_both_sides_agree() -> None:
    assert linked(["o"], ["m", "n"]) == []


@pytest.mark.parametrize(("measure_outcomes", "outcome_measures"), [([], ["m"]), (["o"], [])])
def test_a_side_that_names_nothing_leaves_the_link_to_the_other(
    measure_outcomes: list[str], outcome_measures: list[str]
) -> None:
    assert linked(measure_outcomes, outcome_measures) == []


def test_a_measure_naming_an_outcome_that_names_other_measures_is_one_finding() -> None:
    assert linked(["o", "q"], ["n"]) == [
        (
            "measures[0].outcomes[0]",
            "measure 'm' names outcome 'o', but thread.outcomes[0].measures does not name 'm'",
        ),
    ]


def test_an_outcome_naming_a_measure_that_names_other_outcomes_is_one_finding() -> None:
    assert linked(["q"], ["m"]) == [
        (
            "thread.outcomes[0].measures[0]",
            "outcome 'o' names measure 'm', but measures[0].outcomes does not name 'o'",
        ),
    ]


# -- crosswalks that plugins register ---------------------------------------------------------

TWO = socialcouncil.Continuum(
    id="two",
    name="Two",
    levels=[socialcouncil.Level("low", "Low"), socialcouncil.Level("high", "High")],
)
FROM_IAP2 = socialcouncil.Crosswalk(
    from_="iap2-spectrum", to="two", map={"inform": "low", "empower": "high"}
)


def crosswalk_findings(council: Council) -> list[tuple[str, str, str]]:
    from socialcouncil.checks.builtin import BUILTIN_CHECKS

    found = run_checks(
        council,
        BUILTIN_CHECKS,
        today=TODAY,
        continua={**socialcouncil.registered_continua(), "two": TWO},
        crosswalks=[FROM_IAP2],
    )
    wanted = {"unknown-level", "crosswalk-not-monotone"}
    return [(f.rule, f.path, f.message) for f in found if f.rule in wanted]


def own_iap2(*level_ids: str) -> Council:
    levels = [socialcouncil.Level(i, i.title()) for i in level_ids]
    own = socialcouncil.Continuum(id="iap2-spectrum", name="Our IAP2", levels=levels)
    return Council(name="Demo", continua=[own])


def test_a_registered_crosswalk_between_registered_continua_is_no_finding() -> None:
    assert crosswalk_findings(Council(name="Demo")) == []
    assert crosswalk_findings(own_iap2("inform", "consult", "empower")) == []


def test_a_registered_crosswalk_naming_a_level_the_councils_own_continuum_lacks() -> None:
    assert crosswalk_findings(own_iap2("inform", "consult", "involve")) == [
        (
            "unknown-level",
            "continua[0].levels",
            (
                "the registered crosswalk from 'iap2-spectrum' to 'two' maps 'empower' to 'high', "
                "but this council's 'iap2-spectrum' has no level 'empower'"
            ),
        )
    ]


def test_a_registered_crosswalk_the_councils_own_continuum_makes_not_monotone() -> None:
    [(rule, path, message)] = crosswalk_findings(own_iap2("empower", "inform"))
    assert (rule, path) == ("crosswalk-not-monotone", "continua[0].levels")
    assert message.endswith(
        "maps a higher level lower than a lower one: empower → high, inform → low"
    )


def test_the_councils_own_crosswalk_takes_the_place_of_a_registered_one() -> None:
    council = attrs.evolve(
        own_iap2("empower", "inform"),
        crosswalks=[socialcouncil.Crosswalk(from_="iap2-spectrum", to="two")],
    )
    assert crosswalk_findings(council) == []


def test_the_runner_and_measurement_take_what_they_need_and_import_no_plugins() -> None:
    import subprocess

    code = """
import datetime, sys
from socialcouncil import Council, Project
from socialcouncil.checks import run_checks
from socialcouncil.checks.builtin import BUILTIN_CHECKS
from socialcouncil.measurement import MeasurementContext
council = Council(name="Demo", projects=[Project(id="cafe", title="Café", continuum="ours")])
found = run_checks(council, BUILTIN_CHECKS, today=datetime.date(2025, 1, 1))
MeasurementContext.for_council(council, registered={})
print(sorted({f.rule for f in found}), "socialcouncil.plugins" in sys.modules)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == (
        "['project-without-priority', 'project-without-value', 'unknown-continuum'] False"
    )


def test_a_check_no_plugin_registered_is_named_by_its_rule_alone() -> None:
    def find(ctx: CheckContext) -> Iterator[tuple[str, str]]:
        raise KeyError("ward")

    rule = Rule("hand-made", "error", "A check made by hand.")
    [finding] = run_checks(BROKEN, [Check(rule, find)], today=TODAY)
    assert finding.message == "the check for rule 'hand-made' failed: it raised KeyError: 'ward'"
    assert finding.plugin is None


def test_validate_strict_fails_the_run_when_a_plugin_check_fails(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    register_plugin: Callable[..., PluginInfo],
) -> None:
    import types

    from socialcouncil.cli import main

    def find(ctx: CheckContext) -> Iterator[tuple[str, str]]:
        raise KeyError("ward")

    module = types.ModuleType("kirklees_checks")
    rule = Rule("kirklees-wards", "error", "Every project names a ward.")
    module.register_checks = hookimpl(lambda: [Check(rule, find)])  # type: ignore[attr-defined]
    register_plugin(module)
    file = tmp_path / "council.toml"
    file.write_text(CLEAN, encoding="utf-8")
    with pytest.raises(SystemExit) as exit_:
        main(["validate", "--strict", str(file)])
    assert exit_.value.code == 2
    assert "the check for rule 'kirklees-wards'" in capsys.readouterr().err
