"""The history store's commands: ``--record``, ``history``, ``log`` and ``store``."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import uuid
from typing import TYPE_CHECKING, Any

import pytest

import socialcouncil
from socialcouncil._remembering import KINDS

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.conftest import Run

    Runner = Callable[..., Run]

MODEL = """\
format = 1

[council]
name = "Anytown"

[[values]]
id = "citizen-voice"
name = "A stronger voice for citizens"

[[thread.big_moves]]
id = "neighbourhood-hubs"
name = "Neighbourhood hubs"

[[measures]]
id = "volunteers"
name = "Volunteers at the hub"
unit = "people"
model = "observed"
options = {{ measure = "volunteers" }}
baseline = 400
direction = "higher"

[[measures.observations]]
period = "2024/25"
value = 412

[[measures.observations]]
period = "2025/26"
value = {latest}

[[measures]]
id = "waiting"
name = "Days waiting for a visit"
unit = "days"
model = "observed"
options = {{ measure = "waiting" }}
baseline = 30
direction = "lower"

[[measures.observations]]
period = "2025-Q1"
value = 28
area = "=HYPERLINK(1)"

[[projects]]
id = "youth-panel"
title = "Youth panel"
values = ["citizen-voice"]
"""


def write_model(folder: Path, latest: int = 440, name: str = "anytown.toml") -> Path:
    path = folder / name
    path.write_text(MODEL.format(latest=latest), encoding="utf-8")
    return path


@pytest.fixture
def model(tmp_path: Path) -> Path:
    return write_model(tmp_path)


def beside(model: Path) -> Path:
    return model.with_name("anytown.history.sqlite")


def record_twice(run: Runner, model: Path, *more: str) -> None:
    """Record a run, change 2025/26 from 440 to 451, and record another."""
    assert run("measure", str(model), "--record", *more).code == 0
    write_model(model.parent, latest=451)
    assert run("measure", str(model), "--record", *more).code == 0


def history(run: Runner, model: Path, *more: str) -> list[dict[str, Any]]:
    found = run("history", str(model), "--format", "json", *more)
    assert found.code == 0, found.err
    points: list[dict[str, Any]] = json.loads(found.out)
    return points


# -- measure --record -------------------------------------------------------------------------


def test_measure_record_stores_the_run_beside_the_model_file(run: Runner, model: Path) -> None:
    found = run("measure", str(model), "--record")
    assert found.code == 0
    assert "Volunteers at the hub" in found.out
    assert beside(model).exists()
    with socialcouncil.open_store(beside(model)) as store:
        (summary,) = store.runs()
        stored = store.run(summary.id)
    assert f"recorded run {summary.id} in " in found.err
    assert stored.council == socialcouncil.load(model)
    assert stored.model_file == str(model)
    assert {r.measure for r in stored.results} == {"volunteers", "waiting"}


def test_measure_without_record_stores_nothing(run: Runner, model: Path) -> None:
    assert run("measure", str(model)).code == 0
    assert not beside(model).exists()


def test_measure_record_goes_to_the_store_named(run: Runner, model: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "shared" / "history.sqlite"
    elsewhere.parent.mkdir()
    assert run("measure", str(model), "--record", "--store", str(elsewhere)).code == 0
    assert elsewhere.exists()
    assert not beside(model).exists()


def test_the_model_files_store_table_says_where_runs_are_recorded(
    run: Runner, tmp_path: Path
) -> None:
    model = write_model(tmp_path)
    text = model.read_text(encoding="utf-8")
    model.write_text(text + '\n[store]\nurl = "history/runs.sqlite"\n', encoding="utf-8")
    (tmp_path / "history").mkdir()
    assert run("measure", str(model), "--record").code == 0
    assert (tmp_path / "history" / "runs.sqlite").exists()
    assert not beside(model).exists()


def test_quiet_records_without_saying_so(run: Runner, model: Path) -> None:
    found = run("measure", str(model), "--record", "--quiet")
    assert found.code == 0
    assert found.err == ""
    assert beside(model).exists()


def test_store_without_record_is_a_usage_error(run: Runner, model: Path, tmp_path: Path) -> None:
    found = run("measure", str(model), "--store", str(tmp_path / "x.sqlite"))
    assert found.code == 2
    assert "--record" in found.err
    assert not (tmp_path / "x.sqlite").exists()


def test_a_run_with_invalid_rows_is_recorded_with_its_problems(run: Runner, tmp_path: Path) -> None:
    model = tmp_path / "anytown.toml"
    model.write_text(
        """\
format = 1

[council]
name = "Anytown"

[[sources]]
id = "hub"
type = "csv"
location = "hub.csv"

[[measures]]
id = "engaged"
name = "People engaged"
unit = "people"
model = "engagement"
source = "hub"
""",
        encoding="utf-8",
    )
    (tmp_path / "hub.csv").write_text(
        "person,activity,date\nJ. Smith,cafe,not a date\n", encoding="utf-8"
    )
    found = run("measure", str(model), "--record")
    assert found.code == 1
    assert "with 1 problem" in found.err
    with socialcouncil.open_store(beside(model)) as store:
        (summary,) = store.runs()
        (problem,) = store.run(summary.id).problems
    assert problem.row == 2
    assert "not a date" not in repr(problem)


# -- history ----------------------------------------------------------------------------------


def test_history_lists_every_figure_with_its_changes_and_the_later_run_used(
    run: Runner, model: Path
) -> None:
    record_twice(run, model)
    points = history(run, model, "--measure", "volunteers")
    # By period, then by run; the earlier run's figure for a period is superseded.
    assert [(p["period"], p["value"], p["superseded"]) for p in points] == [
        ("2024/25", 412, True),
        ("2024/25", 412, False),
        ("2025/26", 440, True),
        ("2025/26", 451, False),
    ]
    last = points[-1]
    assert set(last) == {
        "run",
        "recorded_at",
        "measure",
        "indicator",
        "dimensions",
        "period",
        "value",
        "n",
        "change_since_first",
        "change_since_baseline",
        "good",
        "superseded",
    }
    assert last["measure"] == "volunteers"
    assert last["indicator"] == "value"
    assert last["dimensions"] == {}
    assert last["change_since_first"] == 451 - 412
    assert last["change_since_baseline"] == 451 - 400
    assert last["good"] is True
    uuid.UUID(last["run"])


def test_history_says_a_fall_is_good_for_a_measure_that_should_go_down(
    run: Runner, model: Path
) -> None:
    assert run("measure", str(model), "--record").code == 0
    (point,) = history(run, model, "--measure", "waiting")
    assert point["change_since_baseline"] == 28 - 30
    assert point["good"] is True
    assert point["dimensions"] == {"area": "=HYPERLINK(1)"}


def test_history_keeps_to_the_indicator_asked_for(run: Runner, model: Path) -> None:
    assert run("measure", str(model), "--record").code == 0
    assert {p["indicator"] for p in history(run, model, "--indicator", "value")} == {"value"}
    assert history(run, model, "--indicator", "no-such-indicator") == []


def test_history_table_shows_each_measure_for_people(run: Runner, model: Path) -> None:
    record_twice(run, model)
    found = run("history", str(model))
    assert found.code == 0
    lines = found.out.splitlines()
    assert lines[0] == "Volunteers at the hub [volunteers]"
    # No figure of the measure is broken down or has an n: those columns are left out.
    assert lines[1].split() == [
        "indicator",
        "period",
        "value",
        "since",
        "first",
        "since",
        "baseline",
        "change",
        "run",
        "recorded",
        "(UTC)",
    ]
    latest = next(line for line in lines if "451" in line)
    assert "+39" in latest
    assert "+51" in latest
    assert "better" in latest
    assert "superseded" not in latest
    assert "superseded" in next(line for line in lines if "440" in line)
    assert "Days waiting for a visit [waiting]" in lines
    assert any("area==HYPERLINK(1)" in line and "-2" in line for line in lines)


def test_history_csv_has_a_column_per_dimension_and_guards_formulas(
    run: Runner, model: Path
) -> None:
    assert run("measure", str(model), "--record").code == 0
    found = run("history", str(model), "--format", "csv")
    assert found.code == 0
    rows = list(csv.DictReader(io.StringIO(found.out)))
    assert list(rows[0]) == [
        "run",
        "recorded_at",
        "measure",
        "indicator",
        "period",
        "value",
        "n",
        "change_since_first",
        "change_since_baseline",
        "good",
        "superseded",
        "area",
    ]
    waiting = next(r for r in rows if r["measure"] == "waiting")
    assert waiting["area"] == "'=HYPERLINK(1)"
    assert waiting["value"] == "28"
    assert waiting["change_since_baseline"] == "-2"
    assert waiting["good"] == "true"
    assert waiting["superseded"] == "false"
    assert {r["area"] for r in rows if r["measure"] == "volunteers"} == {""}


def test_history_of_a_store_with_no_runs_says_how_to_record_one(run: Runner, model: Path) -> None:
    found = run("history", str(model))
    assert found.code == 0
    assert "no runs recorded" in found.out
    assert "--record" in found.out
    assert not beside(model).exists()  # reading never creates a store
    assert json.loads(run("history", str(model), "--format", "json").out) == []


def test_history_of_a_measure_the_model_and_store_lack_is_an_error(
    run: Runner, model: Path
) -> None:
    assert run("measure", str(model), "--record").code == 0
    found = run("history", str(model), "--measure", "volunteer")
    assert found.code == 2
    assert "no measure 'volunteer'" in found.err
    assert "volunteers, waiting" in found.err


def test_history_reads_the_store_named(run: Runner, model: Path, tmp_path: Path) -> None:
    elsewhere = str(tmp_path / "elsewhere.sqlite")
    assert run("measure", str(model), "--record", "--store", elsewhere).code == 0
    assert history(run, model) == []
    assert len(history(run, model, "--store", elsewhere)) == 3


# -- log add and log --------------------------------------------------------------------------


def add(run: Runner, model: Path, *more: str) -> Run:
    return run("log", "add", str(model), *more)


def test_log_add_links_an_entry_and_log_lists_it(run: Runner, model: Path) -> None:
    found = add(
        run,
        model,
        "--kind",
        "decision",
        "--text",
        "Open the hub on Saturdays.",
        "--project",
        "youth-panel",
        "--value",
        "citizen-voice",
        "--measure",
        "volunteers",
        "--big-move",
        "neighbourhood-hubs",
        "--date",
        "2026-04-02",
        "--author",
        "Jo Bloggs",
    )
    assert found.code == 0, found.err
    assert found.out.startswith("added decision ")
    assert "(2026-04-02)" in found.out
    listed = run("log", str(model), "--format", "json")
    assert listed.code == 0
    (entry,) = json.loads(listed.out)
    assert entry["id"] in found.out
    assert entry["date"] == "2026-04-02"
    assert entry["kind"] == "decision"
    assert entry["author"] == "Jo Bloggs"
    assert entry["text"] == "Open the hub on Saturdays."
    assert entry["links"] == {
        "projects": ["youth-panel"],
        "values": ["citizen-voice"],
        "measures": ["volunteers"],
        "big_moves": ["neighbourhood-hubs"],
    }
    assert entry["corrects"] is None
    assert entry["erased_at"] is None


def test_log_list_is_the_same_as_log(run: Runner, model: Path) -> None:
    add(run, model, "--kind", "lesson", "--text", "Ask before planning.")
    assert run("log", "list", str(model)).out == run("log", str(model)).out


def test_every_unknown_link_is_reported_and_nothing_written(run: Runner, model: Path) -> None:
    found = add(
        run,
        model,
        "--kind",
        "decision",
        "--text",
        "Something",
        "--project",
        "youth-panle",
        "--value",
        "voice",
        "--measure",
        "volunteers",
        "--big-move",
        "hubs",
    )
    assert found.code == 1
    assert "Traceback" not in found.err
    errors = [line for line in found.err.splitlines() if line.startswith("error: ")]
    assert len(errors) == 4
    assert "youth-panle" in errors[0] or any("youth-panle" in e for e in errors)
    assert any("'voice'" in e for e in errors)
    assert any("'hubs'" in e for e in errors)
    assert "nothing was added" in errors[-1]
    assert "3 problems" in errors[-1]
    assert json.loads(run("log", str(model), "--format", "json").out) == []


def test_a_correction_refers_to_the_entry_it_corrects(run: Runner, model: Path) -> None:
    first = add(run, model, "--kind", "event", "--text", "Hub opened on 1 April.")
    entry_id = first.out.split()[2]
    second = add(run, model, "--kind", "event", "--text", "Opened 2 April.", "--corrects", entry_id)
    assert second.code == 0, second.err
    entries = json.loads(run("log", str(model), "--format", "json").out)
    assert [e["corrects"] for e in entries] == [None, entry_id]
    text = run("log", str(model)).out
    assert f"corrects {entry_id}" in text


def test_a_correction_of_an_entry_that_is_not_there_is_refused(run: Runner, model: Path) -> None:
    missing = str(uuid.uuid4())
    found = add(run, model, "--kind", "event", "--text", "x", "--corrects", missing)
    assert found.code == 1
    assert missing in found.err
    assert json.loads(run("log", str(model), "--format", "json").out) == []


def test_log_text_can_come_from_standard_input(
    run: Runner, model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("What the panel told us.\n"))
    assert add(run, model, "--kind", "story", "--text", "-").code == 0
    (entry,) = json.loads(run("log", str(model), "--format", "json").out)
    assert entry["text"] == "What the panel told us."


@pytest.mark.parametrize(
    ("options", "says"),
    [
        (["--kind", "decision", "--text", "   "], "found no text"),
        (["--kind", "idea", "--text", "x"], "'idea' is not one of"),
        (["--text", "x"], "Missing option '--kind'"),
        (["--kind", "decision", "--text", "x", "--date", "2026-13-01"], "YYYY-MM-DD"),
    ],
)
def test_log_add_used_wrongly_is_exit_2_and_writes_nothing(
    run: Runner, model: Path, options: list[str], says: str
) -> None:
    found = add(run, model, *options)
    assert found.code == 2
    assert says in found.err
    assert not beside(model).exists()


@pytest.mark.parametrize("text", ["Open on\x00Saturdays.", "\udcff"])
def test_log_add_of_text_no_store_keeps_is_exit_1_and_writes_nothing(
    run: Runner, model: Path, text: str
) -> None:
    found = add(run, model, "--kind", "decision", "--text", text)
    assert found.code == 1, found.err
    assert "Traceback" not in found.err
    assert "nothing was added" in found.err
    assert not beside(model).exists()


@pytest.mark.parametrize(
    ("location", "hidden"),
    [("mysql://bob:hunter2@host/db", "hunter2"), ("postgresql://bob@host:abc/db", "")],
)
def test_a_store_url_that_cannot_be_opened_is_exit_2(
    run: Runner, model: Path, location: str, hidden: str
) -> None:
    found = run("log", str(model), "--store", location)
    assert found.code == 2, found.err
    assert "Traceback" not in found.err
    if hidden:
        assert hidden not in found.err


def test_the_kinds_are_the_stores(run: Runner) -> None:
    from socialcouncil.store import LOG_KINDS

    assert KINDS == LOG_KINDS


def test_log_filters_by_project_measure_and_date(run: Runner, model: Path) -> None:
    add(
        run,
        model,
        "--kind",
        "decision",
        "--text",
        "A",
        "--project",
        "youth-panel",
        "--date",
        "2026-01-10",
    )
    add(
        run,
        model,
        "--kind",
        "lesson",
        "--text",
        "B",
        "--measure",
        "volunteers",
        "--date",
        "2026-03-10",
    )
    add(run, model, "--kind", "story", "--text", "C", "--date", "2026-02-10")

    def texts(*more: str) -> list[str]:
        found = run("log", str(model), "--format", "json", *more)
        assert found.code == 0, found.err
        return [e["text"] for e in json.loads(found.out)]

    assert texts() == ["A", "C", "B"]
    assert texts("--project", "youth-panel") == ["A"]
    assert texts("--measure", "volunteers") == ["B"]
    assert texts("--since", "2026-02-01") == ["C", "B"]
    empty = run("log", str(model), "--project", "nothing-like-it")
    assert empty.code == 0
    assert "no entries like that" in empty.out


def test_log_table_shows_each_entry_for_people(run: Runner, model: Path) -> None:
    add(
        run,
        model,
        "--kind",
        "decision",
        "--text",
        "Open the hub on Saturdays.",
        "--project",
        "youth-panel",
        "--big-move",
        "neighbourhood-hubs",
        "--author",
        "Jo",
        "--date",
        "2026-04-02",
    )
    lines = run("log", str(model)).out.splitlines()
    assert lines[0].startswith("2026-04-02  decision  by Jo  [")
    assert lines[1] == "    Open the hub on Saturdays."
    assert lines[2] == "    projects: youth-panel; big moves: neighbourhood-hubs"


def test_log_of_an_empty_store_says_how_to_add(run: Runner, model: Path) -> None:
    found = run("log", str(model))
    assert found.code == 0
    assert "no entries yet" in found.out
    assert "log add" in found.out


def test_log_help_shows_both_uses(run: Runner) -> None:
    found = run("log", "--help")
    assert found.code == 0
    assert "socialcouncil log [list] FILE" in found.out
    assert "socialcouncil log add FILE --kind KIND --text TEXT" in found.out
    assert "add" in found.out
    assert "list" in found.out
    assert "--kind [decision|lesson|story|event]" in run("log", "add", "--help").out


# -- store check, export, import, erase -------------------------------------------------------


def test_store_check_of_a_sound_store(run: Runner, model: Path) -> None:
    assert run("measure", str(model), "--record").code == 0
    add(run, model, "--kind", "lesson", "--text", "x")
    found = run("store", "check", str(model))
    assert found.code == 0
    assert found.out.strip().endswith(": ok, 1 run and 1 log entry")
    # The store itself may be named, as a file or through --store.
    assert run("store", "check", str(beside(model))).code == 0
    assert run("store", "check", "x.toml", "--store", str(beside(model))).code == 0


def test_store_check_of_a_file_that_is_not_a_store_is_exit_2_and_leaves_it(
    run: Runner, tmp_path: Path
) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_bytes(b"this is not a database at all\n" * 100)
    before = path.read_bytes()
    found = run("store", "check", str(path))
    assert found.code == 2
    assert "Traceback" not in found.err
    assert str(path) in found.err
    assert path.read_bytes() == before


def test_store_check_of_a_store_that_is_not_there_is_exit_2(run: Runner, model: Path) -> None:
    found = run("store", "check", str(model))
    assert found.code == 2
    assert "there is no history store there" in found.err
    assert not beside(model).exists()


def test_store_check_of_an_empty_file_is_exit_2_and_leaves_it(run: Runner, model: Path) -> None:
    beside(model).touch()
    found = run("store", "check", str(model))
    assert found.code == 2, found.err
    assert "it is an empty file" in found.err
    assert beside(model).read_bytes() == b""
    # Recording into it still makes the store there.
    assert add(run, model, "--kind", "lesson", "--text", "x").code == 0
    assert run("store", "check", str(model)).code == 0


def test_store_check_of_an_older_store_is_exit_0_with_a_note(run: Runner, model: Path) -> None:
    add(run, model, "--kind", "lesson", "--text", "x")
    with sqlite3.connect(beside(model)) as db:
        db.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    db.close()
    found = run("store", "check", str(model))
    assert found.code == 0, found.err
    assert "ok, 0 runs and 1 log entry" in found.out
    assert "note:" in found.err
    assert "schema is version 1" in found.err


def test_store_check_reports_an_incomplete_run_with_exit_1(run: Runner, model: Path) -> None:
    assert run("measure", str(model), "--record").code == 0
    with sqlite3.connect(beside(model)) as db:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        results = next(t for t in tables if "result" in t)
        db.execute(f"DELETE FROM {results} WHERE rowid = (SELECT min(rowid) FROM {results})")  # noqa: S608
    db.close()
    found = run("store", "check", str(model))
    assert found.code == 1
    assert "problem" in found.err
    assert "Traceback" not in found.err


@pytest.mark.parametrize("command", ["history", "log"])
def test_a_damaged_store_is_exit_2_with_a_message_and_is_never_changed(
    run: Runner, model: Path, command: str
) -> None:
    assert run("measure", str(model), "--record").code == 0
    store = beside(model)
    data = store.read_bytes()
    store.write_bytes(data[: len(data) // 3])
    for extra in (store.with_name(store.name + "-wal"), store.with_name(store.name + "-shm")):
        extra.unlink(missing_ok=True)
    before = store.read_bytes()
    found = run(command, str(model))
    assert found.code == 2
    assert "Traceback" not in found.err
    assert found.err.startswith("error: ")
    assert store.read_bytes() == before


def test_store_export_and_import_move_every_run_and_entry(
    run: Runner, model: Path, tmp_path: Path
) -> None:
    record_twice(run, model)
    add(run, model, "--kind", "decision", "--text", "Keep going.", "--project", "youth-panel")
    package = tmp_path / "backup"
    exported = run("store", "export", str(model), "-o", str(package))
    assert exported.code == 0, exported.err
    assert "2 runs and 1 log entries" in exported.out
    assert package.is_dir()
    again = run("store", "export", str(model), "-o", str(package))
    assert again.code == 2
    assert "already there" in again.err
    assert run("store", "export", str(model), "-o", str(package), "--force").code == 0

    other = tmp_path / "other.sqlite"
    imported = run("store", "import", str(other), str(package))
    assert imported.code == 0, imported.err
    assert "2 new runs and 1 new log entry" in imported.out
    assert history(run, model, "--store", str(other)) == history(run, model)
    assert run("log", str(model), "--store", str(other)).out == run("log", str(model)).out
    twice = run("store", "import", str(other), str(package))
    assert "0 new runs and 0 new log entries" in twice.out


def test_store_import_of_a_folder_that_is_not_there_is_a_usage_error(
    run: Runner, model: Path, tmp_path: Path
) -> None:
    found = run("store", "import", str(model), str(tmp_path / "missing"))
    assert found.code == 2
    assert "does not exist" in found.err


def test_store_erase_redacts_an_entrys_text_and_says_so(run: Runner, model: Path) -> None:
    added = add(
        run,
        model,
        "--kind",
        "story",
        "--text",
        "Mrs J. Smith of 4 High St told us.",
        "--project",
        "youth-panel",
        "--date",
        "2026-04-02",
    )
    entry_id = added.out.split()[2]
    erased = run("store", "erase", str(model), entry_id, "--reason", "asked by the resident")
    assert erased.code == 0, erased.err
    assert f"erased the text of log entry {entry_id}" in erased.out
    (entry,) = json.loads(run("log", str(model), "--format", "json").out)
    assert entry["text"] == ""
    assert entry["erased_at"] is not None
    assert entry["links"]["projects"] == ["youth-panel"]
    listed = run("log", str(model)).out
    assert "Smith" not in listed
    assert "erased on" in listed
    with socialcouncil.open_store(beside(model)) as store:
        (erasure,) = store.erasures()
    assert erasure.entry == entry_id
    assert erasure.reason == "asked by the resident"


def test_store_erase_of_an_unknown_entry_is_exit_2(run: Runner, model: Path) -> None:
    add(run, model, "--kind", "story", "--text", "x")
    found = run("store", "erase", str(model), str(uuid.uuid4()))
    assert found.code == 2
    assert "Traceback" not in found.err


def test_store_help_lists_its_commands(run: Runner) -> None:
    found = run("store", "--help")
    assert found.code == 0
    for command in ("check", "export", "import", "erase"):
        assert f"  {command} " in found.out


# -- report --record and the report's history --------------------------------------------------


def test_report_record_stores_the_run_and_writes_the_report(
    run: Runner, model: Path, tmp_path: Path
) -> None:
    out = tmp_path / "report.html"
    found = run("report", str(model), "-o", str(out), "--record", "--date", "2026-03-31")
    assert found.code == 0, found.err
    assert out.exists()
    assert "recorded run " in found.err
    with socialcouncil.open_store(beside(model)) as store:
        assert len(store.runs()) == 1


def test_report_reads_a_store_named_that_is_damaged_as_an_error(
    run: Runner, model: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.sqlite"
    broken.write_bytes(b"not a store" * 50)
    out = tmp_path / "report.html"
    found = run("report", str(model), "-o", str(out), "--store", str(broken))
    assert found.code == 2
    assert "Traceback" not in found.err
    assert not out.exists()


# -- stores that cannot be used ---------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["history", "FILE"],
        ["log", "FILE"],
        ["log", "add", "FILE", "--kind", "lesson", "--text", "x"],
        ["store", "check", "FILE"],
        ["store", "erase", "FILE", "0b5c0f4e-8f5e-4c6e-9a53-1d1f0e0a0c21"],
        ["measure", "FILE", "--record"],
    ],
)
def test_a_store_from_a_newer_socialcouncil_is_exit_2_and_never_changed(
    run: Runner, model: Path, command: list[str]
) -> None:
    from socialcouncil.store import SCHEMA_VERSION

    assert run("measure", str(model), "--record", "--quiet").code == 0
    store = beside(model)
    with sqlite3.connect(store) as db:
        newer = str(SCHEMA_VERSION + 1)
        db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (newer,))
    db.close()
    before = store.read_bytes()
    found = run(*(str(model) if word == "FILE" else word for word in command))
    assert found.code == 2, found
    assert "Traceback" not in found.err
    assert "newer" in found.err
    assert store.read_bytes() == before


def test_a_store_url_holding_a_password_is_refused_without_showing_it(
    run: Runner, model: Path
) -> None:
    for command in (["history"], ["log"], ["measure", "--record"]):
        found = run(command[0], str(model), *command[1:], "--store", "postgresql://jo:hunter2@db/h")
        assert found.code == 2
        assert "hunter2" not in found.err + found.out
        assert "PGPASSWORD" in found.err


def test_log_add_and_log_use_the_store_named(run: Runner, model: Path, tmp_path: Path) -> None:
    elsewhere = str(tmp_path / "elsewhere.sqlite")
    added = add(run, model, "--kind", "event", "--text", "Hub opened.", "--store", elsewhere)
    assert added.code == 0
    assert elsewhere in added.out
    assert not beside(model).exists()
    assert json.loads(run("log", str(model), "--format", "json").out) == []
    (entry,) = json.loads(run("log", str(model), "--format", "json", "--store", elsewhere).out)
    assert entry["text"] == "Hub opened."


def test_a_store_that_cannot_be_made_is_exit_2(run: Runner, model: Path, tmp_path: Path) -> None:
    nowhere = str(tmp_path / "no-such-folder" / "h.sqlite")
    found = add(run, model, "--kind", "event", "--text", "x", "--store", nowhere)
    assert found.code == 2
    assert "Traceback" not in found.err
    assert nowhere in found.err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("answer", "erased"), [("n\n", False), ("y\n", True)])
def test_store_erase_asks_first_at_a_terminal(
    run: Runner, model: Path, monkeypatch: pytest.MonkeyPatch, answer: str, erased: bool
) -> None:
    entry_id = add(run, model, "--kind", "story", "--text", "Told by a resident.").out.split()[2]
    monkeypatch.setattr("sys.stdin", _Terminal(answer))
    found = run("store", "erase", str(model), entry_id)
    assert f"erase the text of log entry {entry_id}" in found.out
    assert found.code == (0 if erased else 2)
    (entry,) = json.loads(run("log", str(model), "--format", "json").out)
    assert (entry["text"] == "") is erased


def test_store_erase_with_yes_does_not_ask(
    run: Runner, model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry_id = add(run, model, "--kind", "story", "--text", "Told by a resident.").out.split()[2]
    monkeypatch.setattr("sys.stdin", _Terminal(""))
    found = run("store", "erase", str(model), entry_id, "--yes")
    assert found.code == 0
    assert "erase the text" not in found.out


def test_export_reads_the_store_named(run: Runner, model: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.sqlite"
    broken.write_bytes(b"not a store" * 50)
    out = tmp_path / "anytown.md"
    found = run("export", str(model), "--to", "markdown", "-o", str(out), "--store", str(broken))
    assert found.code == 2
    assert str(broken) in found.err
    assert not out.exists()


def test_report_without_a_store_beside_it_creates_none(
    run: Runner, model: Path, tmp_path: Path
) -> None:
    out = tmp_path / "report.html"
    found = run("report", str(model), "-o", str(out), "--date", "2026-03-31")
    assert found.code == 0, found.err
    assert not beside(model).exists()


def test_measure_json_stays_json_when_the_run_is_recorded(run: Runner, model: Path) -> None:
    found = run("measure", str(model), "--format", "json", "--record")
    assert found.code == 0
    assert {r["measure"] for r in json.loads(found.out)["results"]} == {"volunteers", "waiting"}
    assert "recorded run " in found.err


def test_a_run_that_cannot_be_recorded_is_exit_2_after_its_results(
    run: Runner, model: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.sqlite"
    broken.write_bytes(b"not a store" * 50)
    found = run("measure", str(model), "--record", "--store", str(broken))
    assert found.code == 2
    assert "Volunteers at the hub" in found.out
    assert found.err.startswith(f"error: {broken}")
    assert broken.read_bytes() == b"not a store" * 50
