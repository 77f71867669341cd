"""A store exported as a data package and imported again: losslessly, checked, merged by id."""

from __future__ import annotations

import datetime
import hashlib
import json
import shutil
import tempfile
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import socialcouncil
from socialcouncil import Council, Measure
from socialcouncil.measurement import Result
from socialcouncil.store import (
    LOG_KINDS,
    LogEntry,
    Run,
    SourceFingerprint,
    StoredProblem,
    StorePackageError,
    export_store,
    import_store,
)
from socialcouncil.store.package import PACKAGE_FORMAT, RESOURCES, read_package
from socialcouncil.testing import strategies

if TYPE_CHECKING:
    from collections.abc import Sequence

    from socialcouncil.store import Store

UTC = datetime.timezone.utc
WHEN = datetime.datetime(2026, 4, 1, 9, 30, 0, 123456, tzinfo=UTC)

ANYTOWN = Council(
    name="Anytown Council",
    measures=[
        Measure(id="wellbeing", name="Wellbeing", unit="score", direction="higher"),
        Measure(id="isolation", name="Isolation", unit="%", direction="lower"),
    ],
)


def new_id() -> str:
    return str(uuid.uuid4())


def a_run(
    results: Sequence[Result] = (),
    *,
    recorded_at: datetime.datetime = WHEN,
    council: Council = ANYTOWN,
    problems: Sequence[StoredProblem] = (),
    sources: Sequence[SourceFingerprint] = (),
) -> Run:
    return Run(
        new_id(),
        recorded_at,
        socialcouncil.__version__,
        council,
        results,
        problems,
        sources,
        headlines={"wellbeing": "mean score"},
        breakdowns={"wellbeing": ("ward", "period")},
        unmeasured=("isolation",),
        model_file="anytown.toml",
    )


def an_entry(
    text: str = "Open the canteen on Sundays", author: str | None = "Steering group", **more: Any
) -> LogEntry:
    return LogEntry(
        new_id(),
        datetime.date(2026, 5, 1),
        "decision",
        text,
        author,
        projects=["social-canteen"],
        measures=["wellbeing"],
        recorded_at=WHEN,
        **more,
    )


def everything(store: Store) -> tuple[Any, ...]:
    """All that a store holds, as its API gives it back."""
    return (
        store.runs(),
        tuple(store.run(s.id) for s in store.runs()),
        store.log(),
        store.erasures(),
    )


def validate(folder: Path) -> Any:
    import frictionless

    report = frictionless.validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "note"])
    return frictionless.Package(str(folder / "datapackage.json"))


def descriptor(folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    return data


def rehash(folder: Path) -> None:
    """Make the package's sizes and hashes match its files again, after a test changed one."""
    data = descriptor(folder)
    for resource in data["resources"]:
        content = (folder / resource["path"]).read_bytes()
        resource["bytes"] = len(content)
        resource["hash"] = "sha256:" + hashlib.sha256(content).hexdigest()
    (folder / "datapackage.json").write_text(json.dumps(data), encoding="utf-8")


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return socialcouncil.open_store(tmp_path / "source.history.sqlite")


@pytest.fixture
def other(tmp_path: Path) -> Store:
    return socialcouncil.open_store(tmp_path / "elsewhere.history.sqlite")


# -- a real store, moved ------------------------------------------------------------------------


def test_a_measured_store_moves_to_another_whole_and_the_package_is_valid(
    examples: Path, tmp_path: Path, store: Store, other: Store
) -> None:
    council = socialcouncil.load(examples / "solihull.toml")
    measurement = socialcouncil.measure(council, base=examples)
    first = store.record(council, measurement, model_file="solihull.toml")
    store.record(council, measurement, recorded_at=WHEN)
    decision = store.add_log_entry(
        council, "decision", "Open on Sundays", projects=[council.projects[0].id]
    )
    story = store.add_log_entry(council, "story", "A neighbour told us about the lunches")
    store.add_log_entry(council, "lesson", "Sundays need volunteers", corrects=decision.id)
    store.erase(story.id, reason="asked to by the person it is about")

    folder = export_store(store, tmp_path / "backup")
    package = validate(folder)
    assert import_store(other, folder) == (2, 3)

    assert everything(other) == everything(store)
    assert other.run(first.id).council == council
    assert {r.name for r in package.resources} == {r.name for r in RESOURCES}
    results = package.get_resource("results").read_rows()
    assert len(results) == 2 * len(measurement.results)
    # The council is kept once however many runs measured it.
    assert len(package.get_resource("councils").read_rows()) == 1
    assert len(package.get_resource("log_links").read_rows()) == 1
    assert len(package.get_resource("erasures").read_rows()) == 1


def test_a_store_moves_from_sqlite_to_either_engine_and_back_whole(
    tmp_path: Path, store: Store, location: str
) -> None:
    # On "postgresql", this is the move from SQLite to a shared server the package is for.
    entry = an_entry()
    store.merge(
        [a_run([Result("survey", "respondents", 12, {"ward": "Knowle"}, people=True, n=12)])],
        [entry, an_entry("Sundays need volunteers", corrects=entry.id)],
    )
    store.erase(entry.id, reason="asked to by the person it is about")
    with socialcouncil.open_store(location) as moved:
        assert import_store(moved, export_store(store, tmp_path / "there")) == (1, 2)
        assert everything(moved) == everything(store)
        back = export_store(moved, tmp_path / "back")
    with socialcouncil.open_store(tmp_path / "returned.sqlite") as returned:
        assert import_store(returned, back) == (1, 2)
        assert everything(returned) == everything(store)


def test_importing_a_package_twice_adds_nothing_the_second_time(
    tmp_path: Path, store: Store, other: Store
) -> None:
    store.merge([a_run([Result("survey", "respondents", 12, people=True)])], [an_entry()])
    folder = export_store(store, tmp_path / "backup")
    assert import_store(other, folder) == (1, 1)
    held = everything(other)
    assert import_store(other, folder) == (0, 0)
    assert import_store(store, folder) == (0, 0)
    assert everything(other) == held


def test_a_package_merges_into_a_store_with_runs_of_its_own(
    tmp_path: Path, store: Store, other: Store
) -> None:
    store.merge([a_run()], [an_entry()])
    mine = a_run(recorded_at=WHEN - datetime.timedelta(days=1))
    other.merge([mine], [])
    assert import_store(other, export_store(store, tmp_path / "backup")) == (1, 1)
    assert [s.id for s in other.runs()] == [mine.id, store.runs()[0].id]


def test_an_erasure_travels_and_erases_the_entry_where_it_arrives(
    tmp_path: Path, store: Store, other: Store
) -> None:
    entry = an_entry("Mrs Patel's story, as she told it")
    store.merge([], [entry])
    other.merge([], [entry])
    store.erase(entry.id, reason="right to erasure")
    assert import_store(other, export_store(store, tmp_path / "backup")) == (0, 0)
    (erased,) = other.log()
    assert erased.text == ""
    assert erased.erased_at is not None
    assert other.erasures() == store.erasures()
    assert "Mrs Patel" not in "".join(
        p.read_text(encoding="utf-8") for p in (tmp_path / "backup").iterdir()
    )


def test_an_empty_store_exports_a_valid_package_with_every_table(
    tmp_path: Path, store: Store, other: Store
) -> None:
    folder = export_store(store, tmp_path / "backup")
    validate(folder)
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["datapackage.json", *(r.path for r in RESOURCES)]
    )
    assert import_store(other, folder) == (0, 0)
    assert other.runs() == ()


# -- what a package holds -----------------------------------------------------------------------


def test_the_package_says_it_is_a_backup_and_not_a_publication(
    tmp_path: Path, store: Store
) -> None:
    data = descriptor(export_store(store, tmp_path / "backup"))
    assert data["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert "not a publication" in data["description"]
    assert "No disclosure control" in data["description"]
    assert "formulas" in data["description"]
    assert "licenses" not in data  # nothing here is licensed for anyone to use
    assert data["socialcouncil"]["package"] == "store"
    assert data["socialcouncil"]["format"] == PACKAGE_FORMAT
    assert data["socialcouncil"]["store"]["engine"] == store.engine


def test_figures_and_text_are_kept_exactly_with_no_suppression_and_no_formula_guard(
    tmp_path: Path, store: Store
) -> None:
    # One person behind a figure, and text a spreadsheet would run: a backup keeps both.
    store.merge(
        [a_run([Result("survey", "respondents", 1, {"ward": "=HYPERLINK(1)"}, people=True, n=1)])],
        [an_entry("-1 volunteer, +2 next week")],
    )
    folder = export_store(store, tmp_path / "backup")
    package = validate(folder)
    (result,) = package.get_resource("results").read_rows()
    assert result["value"] == 1
    assert result["n"] == 1
    assert result["dimensions"] == {"ward": "=HYPERLINK(1)"}
    (entry,) = package.get_resource("log_entries").read_rows()
    assert entry["text"] == "-1 volunteer, +2 next week"


def test_awkward_values_survive_and_frictionless_reads_them_with_their_types(
    tmp_path: Path, store: Store, other: Store
) -> None:
    results = [
        Result("m", "huge", 1.7976931348623157e308, n=2**62),
        Result("m", "tiny", 5e-324),
        Result("m", "third", 1 / 3, unit=""),
        Result("m", "negative", -0.0, {"a,b": 'say "hi"\r\nthen go', "": "\u2028"}),
        Result("m", "whole", 9007199254740993.0, measure="wellbeing", kind="percent"),
    ]
    problems = [
        StoredProblem(source="survey", location="survey.csv", row=7, field="Q1", expected="1-5"),
        StoredProblem(path="measures[0].model", message="no model 'x'; expected one of a, b"),
        StoredProblem(source="", location="", field="", expected=""),
    ]
    sources = [
        SourceFingerprint("survey", "csv", "data/survey.csv", "sha256:" + "0" * 64),
        SourceFingerprint("crm", "sqlite", "crm.db"),
    ]
    # A missing author and one that is exactly the usual marker for a missing text.
    entries = [an_entry(author="\\N"), an_entry(author=None), an_entry(author="")]
    store.merge([a_run(results, problems=problems, sources=sources)], entries)

    folder = export_store(store, tmp_path / "backup")
    package = validate(folder)
    authors = {row["author"] for row in package.get_resource("log_entries").read_rows()}
    assert authors == {"\\N", None, ""}
    rows = package.get_resource("results").read_rows()
    assert [float(r["value"]) for r in rows] == [r.value for r in results]
    assert rows[0]["n"] == 2**62
    assert rows[2]["unit"] == ""
    assert rows[1]["unit"] is None
    assert import_store(other, folder) == (1, 3)
    assert everything(other) == everything(store)


# A text the store can hold: no lone surrogates (UTF-8 cannot hold them) and no NUL
# (PostgreSQL's text cannot), with the empty text and the missing-value marker on purpose.
texts = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=12)
texts |= st.sampled_from(["", "\\N", "\\N\\N", "=1+1", ' a, "b"\r\n'])
optional_texts = st.none() | texts
times = st.datetimes(
    min_value=datetime.datetime(2000, 1, 1),
    max_value=datetime.datetime(2100, 1, 1),
    timezones=st.just(UTC),
)
uuids = st.uuids(version=4).map(str)
results = st.builds(
    Result,
    model=texts,
    indicator=texts,
    value=st.integers(-(10**15), 10**15) | st.floats(allow_nan=False, allow_infinity=False),
    dimensions=st.dictionaries(texts, texts, max_size=3),
    people=st.booleans(),
    measure=optional_texts,
    n=st.none() | st.integers(0, 2**62),
    kind=st.none() | st.sampled_from(["count", "percent", "mean", "index"]),
    unit=optional_texts,
)
stored_problems = st.builds(
    StoredProblem,
    path=texts,
    source=optional_texts,
    location=optional_texts,
    row=st.none() | st.integers(1, 2**40),
    field=optional_texts,
    expected=optional_texts,
    message=optional_texts,
)
fingerprints = st.builds(
    SourceFingerprint,
    id=texts,
    type=texts,
    location=texts,
    fingerprint=st.none()
    | st.binary(max_size=8).map(lambda b: f"sha256:{hashlib.sha256(b).hexdigest()}"),
)


@st.composite
def runs(draw: st.DrawFn, councils: Sequence[Council]) -> Run:
    return Run(
        draw(uuids),
        draw(times),
        draw(texts),
        draw(st.sampled_from(councils)),
        draw(st.lists(results, max_size=4)),
        draw(st.lists(stored_problems, max_size=3)),
        draw(st.lists(fingerprints, max_size=2)),
        headlines=draw(st.dictionaries(texts, texts, max_size=2)),
        breakdowns=draw(st.dictionaries(texts, st.lists(texts, max_size=2).map(tuple), max_size=2)),
        unmeasured=draw(st.lists(texts, max_size=2)),
        model_file=draw(optional_texts),
    )


@st.composite
def log_entries(draw: st.DrawFn) -> list[LogEntry]:
    entries: list[LogEntry] = []
    for _ in range(draw(st.integers(0, 4))):
        earlier = [e.id for e in entries]
        entries.append(
            LogEntry(
                draw(uuids),
                draw(strategies.dates),
                draw(st.sampled_from(LOG_KINDS)),
                draw(texts),
                draw(optional_texts),
                projects=draw(st.lists(texts, max_size=2)),
                values=draw(st.lists(texts, max_size=2)),
                measures=draw(st.lists(texts, max_size=2)),
                big_moves=draw(st.lists(texts, max_size=2)),
                corrects=draw(st.none() | st.sampled_from(earlier)) if earlier else None,
                recorded_at=draw(times),
            )
        )
    return entries


@st.composite
def stores(draw: st.DrawFn) -> tuple[list[Run], list[LogEntry], list[tuple[int, str | None]]]:
    councils = draw(st.lists(strategies.councils, min_size=1, max_size=2))
    made = draw(st.lists(runs(councils), max_size=3, unique_by=lambda r: r.id))
    entries = draw(log_entries())
    erase = draw(st.lists(st.tuples(st.integers(0, 10), optional_texts), max_size=2))
    return made, entries, erase


@given(stores())
@settings(max_examples=40)
def test_export_then_import_into_a_fresh_store_gives_back_exactly_what_was_stored(
    held: tuple[list[Run], list[LogEntry], list[tuple[int, str | None]]],
) -> None:
    made, entries, erase = held
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        with socialcouncil.open_store(folder / "a.sqlite") as source:
            source.merge(made, entries)
            erased: set[str] = set()
            for index, reason in erase:
                if entries and entries[index % len(entries)].id not in erased:
                    erased.add(entries[index % len(entries)].id)
                    source.erase(entries[index % len(entries)].id, reason=reason)
            stored = everything(source)
            package = export_store(source, folder / "backup")
        runs_read, entries_read, erasures_read = read_package(package)
        assert runs_read == stored[1]
        assert sorted(entries_read, key=lambda e: e.id) == sorted(stored[2], key=lambda e: e.id)
        assert erasures_read == stored[3]
        with socialcouncil.open_store(folder / "b.sqlite") as target:
            assert import_store(target, package) == (len(made), len(entries))
            assert everything(target) == stored
            assert import_store(target, package) == (0, 0)


@given(stores())
@settings(max_examples=8)
def test_frictionless_finds_every_exported_package_valid(
    held: tuple[list[Run], list[LogEntry], list[tuple[int, str | None]]],
) -> None:
    made, entries, _ = held
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        with socialcouncil.open_store(folder / "a.sqlite") as source:
            source.merge(made, entries)
            validate(export_store(source, folder / "backup"))


# -- the destination ----------------------------------------------------------------------------


def test_export_refuses_a_folder_that_is_there_unless_forced(tmp_path: Path, store: Store) -> None:
    folder = export_store(store, tmp_path / "backup")
    with pytest.raises(StorePackageError, match="already there"):
        export_store(store, folder)
    store.merge([a_run()], [])
    export_store(store, folder, force=True)
    assert len(read_package(folder)[0]) == 1


def test_export_never_replaces_a_folder_that_is_not_a_store_package(
    tmp_path: Path, store: Store
) -> None:
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "minutes.docx").write_bytes(b"the steering group's minutes")
    with pytest.raises(StorePackageError, match=r"not a store package \(it holds minutes.docx\)"):
        export_store(store, folder, force=True)
    assert (folder / "minutes.docx").read_bytes() == b"the steering group's minutes"
    # A store package with something else put in it is not replaced either.
    backup = export_store(store, tmp_path / "backup")
    shutil.copy(folder / "minutes.docx", backup)
    with pytest.raises(StorePackageError, match=r"minutes\.docx"):
        export_store(store, backup, force=True)
    (tmp_path / "file").write_text("x")
    with pytest.raises(StorePackageError, match="is a file"):
        export_store(store, tmp_path / "file", force=True)


def test_an_empty_folder_is_written_into_with_force(tmp_path: Path, store: Store) -> None:
    (tmp_path / "empty").mkdir()
    validate(export_store(store, tmp_path / "empty", force=True))


# -- a package that is not right ----------------------------------------------------------------


def messages(error: StorePackageError) -> list[str]:
    return [p.render() for p in error.problems]


def test_every_problem_in_a_package_is_reported_at_once_and_nothing_is_written(
    tmp_path: Path, store: Store, other: Store
) -> None:
    run = a_run([Result("survey", "respondents", 12), Result("survey", "mean", 3.5)])
    store.merge([run], [an_entry()])
    folder = export_store(store, tmp_path / "backup")

    header, first, _second = (folder / "results.csv").read_text(encoding="utf-8").splitlines()
    # A value that is not a number; the second result gone, so the run is not complete.
    (folder / "results.csv").write_text(
        "\r\n".join([header, first.replace(",12.0,", ",twelve,")]) + "\r\n", encoding="utf-8"
    )
    # A link given twice, and a link of an entry the package does not have.
    links = (folder / "log_links.csv").read_text(encoding="utf-8").splitlines()
    stranger = new_id()
    (folder / "log_links.csv").write_text(
        "\r\n".join([*links, links[1], f"{stranger},projects,1,cafe"]) + "\r\n",
        encoding="utf-8",
    )
    # A kind of entry that is not one.
    entries = (folder / "log_entries.csv").read_text(encoding="utf-8")
    (folder / "log_entries.csv").write_text(
        entries.replace(",decision,", ",decree,"), encoding="utf-8"
    )
    rehash(folder)

    with pytest.raises(StorePackageError) as caught:
        import_store(other, folder)
    entry = links[1].split(",")[0]
    assert messages(caught.value) == [
        "results.csv, row 2, column 'value': found 'twelve', expected a number, such as 0.25",
        (
            "log_entries.csv, row 2, column 'kind': found 'decree', "
            "expected one of decision, lesson, story, event"
        ),
        (
            f"log_links.csv, row 4, column 'position': entry {entry!r}, kind 'projects', "
            "position 1 is also in row 2; expected each only once"
        ),
        f"log_links.csv, row 5, column 'entry': found {stranger!r}, which is not in log_entries",
        (
            "runs.csv, row 2, column 'results': the run says it holds 2 results, and "
            "results.csv holds 1 for it (positions 1); expected positions 1 to 2: the package "
            "is not complete"
        ),
    ]
    assert caught.value.problems[0].source == "results"
    assert caught.value.problems[0].row == 2
    assert caught.value.problems[0].field == "value"
    assert caught.value.problems[0].expected == "a number, such as 0.25"
    assert other.runs() == ()
    assert other.log() == ()


def test_a_file_changed_after_export_is_reported_with_its_hash(
    tmp_path: Path, store: Store, other: Store
) -> None:
    store.merge([a_run([Result("survey", "respondents", 12)])], [])
    folder = export_store(store, tmp_path / "backup")
    data = (folder / "results.csv").read_bytes()
    (folder / "results.csv").write_bytes(data.replace(b",12.0,", b",13.0,"))
    with pytest.raises(StorePackageError) as caught:
        import_store(other, folder)
    (problem,) = caught.value.problems
    assert problem.location == "results.csv"
    assert "its SHA-256 hash is sha256:" in problem.message
    assert "changed or damaged after it was exported" in problem.message
    assert other.runs() == ()


def test_a_changed_council_is_caught_by_its_fingerprint(
    tmp_path: Path, store: Store, other: Store
) -> None:
    store.merge([a_run()], [])
    folder = export_store(store, tmp_path / "backup")
    text = (folder / "councils.csv").read_text(encoding="utf-8")
    (folder / "councils.csv").write_text(text.replace("Anytown", "Othertown"), encoding="utf-8")
    rehash(folder)
    with pytest.raises(StorePackageError) as caught:
        import_store(other, folder)
    assert [(p.location, p.row, p.field) for p in caught.value.problems] == [
        ("councils.csv", 2, "fingerprint"),
    ]


def test_a_council_that_is_not_a_council_is_reported_with_its_path(
    tmp_path: Path, store: Store, other: Store
) -> None:
    store.merge([a_run()], [])
    folder = export_store(store, tmp_path / "backup")
    text = (folder / "councils.csv").read_text(encoding="utf-8")
    (folder / "councils.csv").write_text(
        text.replace('""direction"":""lower""', '""direction"":""up""'), encoding="utf-8"
    )
    rehash(folder)
    with pytest.raises(StorePackageError) as caught:
        import_store(other, folder)
    first = caught.value.problems[0]
    assert (first.location, first.row, first.field) == ("councils.csv", 2, "council")
    assert first.message.startswith("measures[1].direction: ")
    assert "'up'" in first.message


def test_missing_columns_and_files_are_reported(tmp_path: Path, store: Store, other: Store) -> None:
    folder = export_store(store, tmp_path / "backup")
    (folder / "erasures.csv").unlink()
    (folder / "sources.csv").write_text("run,position,id\r\n", encoding="utf-8")
    rehash_skipping = descriptor(folder)
    for resource in rehash_skipping["resources"]:
        resource.pop("bytes")
        resource.pop("hash")
    (folder / "datapackage.json").write_text(json.dumps(rehash_skipping), encoding="utf-8")
    with pytest.raises(StorePackageError) as caught:
        import_store(other, folder)
    rendered = messages(caught.value)
    assert rendered[0] == (
        "sources.csv, row 1: the header is ['run', 'position', 'id']; expected the columns "
        "['run', 'position', 'id', 'type', 'location', 'fingerprint']"
    )
    assert rendered[1].startswith("erasures.csv: cannot be read: No such file")


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda p: None, "no such folder"),
        (lambda p: p.mkdir(), "datapackage.json: not there: the folder is not a data package"),
        (
            lambda p: (p.mkdir(), (p / "datapackage.json").write_text("{")),
            "datapackage.json: not valid JSON",
        ),
        (
            lambda p: (p.mkdir(), (p / "datapackage.json").write_text('{"name": "x"}')),
            "datapackage.json: not a socialcouncil store package",
        ),
        (
            lambda p: (
                p.mkdir(),
                (p / "datapackage.json").write_text(
                    json.dumps({"socialcouncil": {"package": "store", "format": 99}})
                ),
            ),
            "datapackage.json: written by a newer socialcouncil",
        ),
    ],
)
def test_a_folder_that_is_not_a_store_package_is_refused_with_a_reason(
    tmp_path: Path, other: Store, make: Any, expected: str
) -> None:
    folder = tmp_path / "folder"
    make(folder)
    with pytest.raises(StorePackageError) as caught:
        import_store(other, folder)
    assert messages(caught.value)[0].startswith(expected) or expected in str(caught.value)
    assert other.runs() == ()


def test_a_published_data_package_is_not_taken_for_a_backup(
    examples: Path, tmp_path: Path, other: Store
) -> None:
    from socialcouncil import ExportContext
    from socialcouncil.exporters.datapackage import DataPackageExporter
    from socialcouncil.exporters.disclosure import disclose

    council = socialcouncil.load(examples / "solihull.toml")
    measurement = socialcouncil.measure(council, base=examples)
    context = ExportContext(council, disclose(measurement.results, council.publishing))
    DataPackageExporter().export(context, tmp_path / "open-data")
    with pytest.raises(StorePackageError, match="not a published data package"):
        import_store(other, tmp_path / "open-data")


def test_a_file_that_is_not_a_store_exports_nothing(tmp_path: Path) -> None:
    from socialcouncil.store import NotAStoreError

    (tmp_path / "minutes.sqlite").write_bytes(b"the steering group's minutes, not a store")
    with (
        socialcouncil.open_store(tmp_path / "minutes.sqlite") as store,
        pytest.raises(NotAStoreError),
    ):
        export_store(store, tmp_path / "backup")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["minutes.sqlite"]
