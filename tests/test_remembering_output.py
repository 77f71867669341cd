"""How the history store's commands write history and the learning log: table, JSON and CSV."""

from __future__ import annotations

import csv
import datetime
import io
import json

from hypothesis import given
from hypothesis import strategies as st

from socialcouncil import Council, Measure
from socialcouncil._remembering import (
    HISTORY_COLUMNS,
    history_csv,
    history_json,
    history_table,
    log_json,
    log_table,
)
from socialcouncil.exporters.csv import FORMULA_START
from socialcouncil.store import HistoryPoint, LogEntry

UTC = datetime.timezone.utc
_ids = st.text("abcdefghijklmnopqrstuvwxyz-", min_size=1, max_size=10).filter(
    lambda s: not s.startswith("-")
)
_cells = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)
_numbers = st.floats(allow_nan=False, allow_infinity=False, width=32)
_moments = st.datetimes(
    min_value=datetime.datetime(2000, 1, 1), max_value=datetime.datetime(2100, 1, 1)
).map(lambda d: d.replace(tzinfo=UTC))

points = st.builds(
    HistoryPoint,
    run=st.uuids().map(str),
    recorded_at=_moments,
    measure=_ids,
    indicator=_ids,
    dimensions=st.dictionaries(_ids, _cells, max_size=3),
    period=st.none() | st.sampled_from(["2024/25", "2025-Q1", "2026"]),
    value=_numbers,
    n=st.none() | st.integers(0, 10**6),
    change_since_first=st.none() | _numbers,
    change_since_baseline=st.none() | _numbers,
    good=st.none() | st.booleans(),
    superseded=st.booleans(),
)


def unguarded(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_START) else cell


def number(cell: str) -> float | None:
    return None if cell == "" else float(cell)


@given(st.lists(points, max_size=6))
def test_history_csv_holds_exactly_what_history_json_does(found: list[HistoryPoint]) -> None:
    rows = list(csv.reader(io.StringIO(history_csv(found))))
    header, body = rows[0], rows[1:]
    assert header[: len(HISTORY_COLUMNS)] == list(HISTORY_COLUMNS)
    assert len(body) == len(found)
    keys = sorted({k for p in found for k in p.dimensions})
    for row, point in zip(body, history_json(found), strict=True):
        cells = dict(zip(header, row, strict=True))
        assert cells["run"] == point["run"]
        assert (
            datetime.datetime.fromisoformat(cells["recorded_at"]).isoformat()
            == (point["recorded_at"])
        )
        assert unguarded(cells["measure"]) == point["measure"]
        assert unguarded(cells["period"]) == (point["period"] or "")
        assert float(cells["value"]) == point["value"]
        assert (int(cells["n"]) if cells["n"] else None) == point["n"]
        assert number(cells["change_since_first"]) == point["change_since_first"]
        assert number(cells["change_since_baseline"]) == point["change_since_baseline"]
        assert cells["good"] == {True: "true", False: "false", None: ""}[point["good"]]
        assert cells["superseded"] == ("true" if point["superseded"] else "false")
        dimensions = row[len(HISTORY_COLUMNS) :]
        assert len(dimensions) == len(keys)
        for key, cell in zip(keys, dimensions, strict=True):
            assert unguarded(cell) == point["dimensions"].get(key, "")
            assert not cell.startswith(FORMULA_START)


@given(st.lists(points, max_size=6))
def test_history_json_is_json_with_every_key(found: list[HistoryPoint]) -> None:
    written = json.loads(json.dumps(history_json(found)))
    assert len(written) == len(found)
    for entry, point in zip(written, found, strict=True):
        assert entry["run"] == point.run
        assert entry["dimensions"] == dict(point.dimensions)
        assert entry["superseded"] is point.superseded


def test_a_dimension_named_like_a_column_gets_its_own_column() -> None:
    point = HistoryPoint(
        "r", datetime.datetime(2026, 1, 1, tzinfo=UTC), "m", "i", {"run": "north", "ward": "x"}
    )
    header = next(csv.reader(io.StringIO(history_csv([point]))))
    assert header[len(HISTORY_COLUMNS) :] == ["by-run", "ward"]


def test_the_history_table_names_measures_and_those_no_longer_in_the_model() -> None:
    council = Council(name="Anytown", measures=[Measure(id="m", name="Volunteers", unit="people")])
    moment = datetime.datetime(2026, 3, 31, 9, 0, tzinfo=UTC)
    found = [
        HistoryPoint(
            "6f1c0b2e-aaaa",
            moment,
            "m",
            "value",
            period="2024/25",
            value=412.0,
            change_since_first=0.0,
            change_since_baseline=12.0,
            good=True,
        ),
        HistoryPoint(
            "6f1c0b2e-aaaa",
            moment,
            "gone",
            "value",
            value=1234.5,
            n=40,
            change_since_first=-0.25,
            superseded=True,
        ),
    ]
    lines = history_table(council, found).splitlines()
    assert lines[0] == "Volunteers [m]"
    assert lines[2].split() == [
        "value",
        "2024/25",
        "412",
        "0",
        "+12",
        "better",
        "6f1c0b2e",
        "2026-03-31",
        "09:00",
    ]
    assert "[gone] (no longer in the model)" in lines
    last = lines[-1]
    assert "1,234.50" in last
    assert "-0.25" in last
    assert "40" in last
    assert last.endswith("superseded")


entries = st.builds(
    LogEntry,
    id=st.uuids().map(str),
    date=st.dates(),
    kind=st.sampled_from(["decision", "lesson", "story", "event"]),
    text=st.text(min_size=1, max_size=40),
    author=st.none() | _cells,
    projects=st.lists(_ids, max_size=2),
    values=st.lists(_ids, max_size=2),
    measures=st.lists(_ids, max_size=2),
    big_moves=st.lists(_ids, max_size=2),
)


@given(st.lists(entries, max_size=4))
def test_log_json_has_every_entry_and_its_links_as_lists(found: list[LogEntry]) -> None:
    written = json.loads(json.dumps(log_json(found)))
    for entry, original in zip(written, found, strict=True):
        assert set(entry) >= {"id", "date", "kind", "author", "text", "links"}
        assert entry["id"] == original.id
        assert datetime.date.fromisoformat(entry["date"]) == original.date
        assert entry["text"] == original.text
        assert entry["links"] == {k: list(v) for k, v in original.links.items()}


def test_an_erased_entry_shows_no_text_and_when_it_was_erased() -> None:
    erased = LogEntry(
        "e1",
        datetime.date(2026, 4, 2),
        "story",
        "",
        projects=["youth-panel"],
        erased_at=datetime.datetime(2026, 6, 1, 12, tzinfo=UTC),
    )
    text = log_table([erased])
    assert "erased on 2026-06-01" in text
    assert "projects: youth-panel" in text
    assert log_json([erased])[0]["erased_at"] == "2026-06-01T12:00:00+00:00"


def test_a_change_that_rounds_to_nothing_is_shown_as_nothing() -> None:
    council = Council(name="Anytown", measures=[Measure(id="m", name="Wellbeing", unit="points")])
    moment = datetime.datetime(2026, 3, 31, 9, 0, tzinfo=UTC)
    found = [
        HistoryPoint("a", moment, "m", "mean", value=22.35, change_since_first=4e-15),
        HistoryPoint("b", moment, "m", "mean", value=22.35, change_since_first=-4e-15),
        HistoryPoint("c", moment, "m", "mean", value=22.354, change_since_first=0.004),
    ]
    rows = history_table(council, found).splitlines()[2:]
    assert [row.split()[2] for row in rows] == ["0", "0", "0"]
    assert rows[2].split()[1] == "22.35"
