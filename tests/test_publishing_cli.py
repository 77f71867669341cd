"""The report, export and exporters commands."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any, ClassVar

import pytest

import socialcouncil
from socialcouncil import hookimpl
from tests.measuring import PLUGIN

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from socialcouncil import ExportContext
    from socialcouncil.plugins import PluginInfo
    from tests.conftest import Run


class Explodes:
    """An exporter with a bug in it."""

    name: ClassVar[str] = "explodes"
    description: ClassVar[str] = "Fails as it writes."
    suffix: ClassVar[str] = ".txt"

    def __init__(self, **options: str) -> None:
        del options

    def export(self, context: ExportContext, destination: Path) -> None:
        del context, destination
        raise ZeroDivisionError("division by zero")


class Folder:
    """An exporter that writes a folder, replacing one that is there."""

    name: ClassVar[str] = "folder"
    description: ClassVar[str] = "A folder with one file."
    suffix: ClassVar[str] = ""

    def __init__(self, **options: str) -> None:
        del options

    def export(self, context: ExportContext, destination: Path) -> None:
        import shutil

        shutil.rmtree(destination, ignore_errors=True)
        destination.mkdir()
        (destination / "council.txt").write_text(context.council.name, encoding="utf-8")


@hookimpl
def register_exporters() -> list[type[Any]]:
    return [Explodes, Folder]


@pytest.fixture(autouse=True)
def plugins(register_plugin: Callable[..., PluginInfo]) -> None:
    register_plugin(PLUGIN)
    register_plugin(sys.modules[__name__])


MODEL_FILE = """
format = 1

[council]
name = "Anytown"

[thread]
purpose = "To work with the people of Anytown."

[[sources]]
id = "survey"
type = "text-csv"
location = "data/survey.csv"

[[measures]]
id = "scores"
name = "Scores"
unit = "points"
model = "mean-score"
source = "survey"
columns = { person = "Person", score = "Score", date = "Date", ward = "Ward" }
by = ["ward"]
"""

SURVEY = "Person,Score,Ward,Date\n" + "".join(
    f"p{i},{i % 11},{'North' if i % 3 else 'South'},2025-04-01\n" for i in range(40)
)


@pytest.fixture
def council(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A model file in its own folder; the current folder is another, empty one."""
    folder = tmp_path / "model"
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "survey.csv").write_text(SURVEY, encoding="utf-8")
    path = folder / "council.toml"
    path.write_text(MODEL_FILE, encoding="utf-8")
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    return path


def _invalid(council: Path) -> None:
    survey = council.parent / "data" / "survey.csv"
    survey.write_text(SURVEY + "bad,six,North,2025-04-01\n", encoding="utf-8")


def test_report_writes_report_html_in_the_current_folder(
    run: Callable[..., Run], council: Path
) -> None:
    result = run("report", str(council), "--date", "2026-03-31")
    assert result.code == 0, result.err
    assert result.out == "wrote report.html\n"
    page = (council.parent.parent / "work" / "report.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "Anytown" in page
    assert "2026-03-31" in page


def test_the_same_inputs_and_date_give_the_same_bytes(
    run: Callable[..., Run], council: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert run("report", str(council), "--date", "2026-03-31", "-o", "a.html").code == 0
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1774915200")  # 2026-03-31T00:00:00Z
    assert run("report", str(council), "-o", "b.html").code == 0
    first = (tmp_path / "work" / "a.html").read_bytes()
    assert first == (tmp_path / "work" / "b.html").read_bytes()
    assert run("report", str(council), "--date", "2027-01-01", "-o", "c.html").code == 0
    assert (tmp_path / "work" / "c.html").read_bytes() != first


def test_report_refuses_to_replace_a_file_without_force(
    run: Callable[..., Run], council: Path, tmp_path: Path
) -> None:
    existing = tmp_path / "work" / "report.html"
    existing.write_text("the old report", encoding="utf-8")
    result = run("report", str(council))
    assert result.code == 2
    assert result.err == "error: report.html is already there; use --force to replace it\n"
    assert existing.read_text(encoding="utf-8") == "the old report"
    assert run("report", str(council), "--force").code == 0
    assert existing.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_report_refuses_a_folder_even_with_force(
    run: Callable[..., Run], council: Path, tmp_path: Path
) -> None:
    (tmp_path / "work" / "report.html").mkdir()
    result = run("report", str(council), "--force")
    assert result.code == 2
    assert result.err == "error: report.html is a folder; choose another path with -o\n"


def test_a_folder_exporter_writes_the_model_files_stem_and_replaces_only_with_force(
    run: Callable[..., Run], council: Path, tmp_path: Path
) -> None:
    result = run("export", str(council), "--to", "folder")
    assert result.code == 0, result.err
    assert result.out == "wrote council\n"
    written = tmp_path / "work" / "council"
    assert (written / "council.txt").read_text(encoding="utf-8") == "Anytown"
    (written / "council.txt").write_text("keep me", encoding="utf-8")
    result = run("export", str(council), "--to", "folder")
    assert result.code == 2
    assert result.err == "error: council is already there; use --force to replace it\n"
    assert (written / "council.txt").read_text(encoding="utf-8") == "keep me"
    assert run("export", str(council), "--to", "folder", "--force").code == 0
    assert (written / "council.txt").read_text(encoding="utf-8") == "Anytown"
    # A file exporter never replaces the folder, even with --force.
    result = run("export", str(council), "--to", "json", "-o", "council", "--force")
    assert result.code == 2
    assert result.err == "error: council is a folder; choose another path with -o\n"


def test_invalid_rows_mean_exit_1_and_nothing_written(
    run: Callable[..., Run], council: Path, tmp_path: Path
) -> None:
    _invalid(council)
    result = run("report", str(council))
    assert result.code == 1
    assert "data/survey.csv, row 42, column 'Score': found 'six'" in result.err
    assert result.err.endswith(
        "error: nothing was written: measures could not be measured; --skip-invalid leaves "
        "invalid rows out and publishes the rest\n"
    )
    assert not (tmp_path / "work" / "report.html").exists()


def test_skip_invalid_publishes_the_rest_and_warns(
    run: Callable[..., Run], council: Path, tmp_path: Path
) -> None:
    _invalid(council)
    result = run("report", str(council), "--skip-invalid", "--date", "2026-03-31")
    assert result.code == 0, result.err
    assert result.err.startswith("warning: ")
    assert "row 42, column 'Score'" in result.err
    assert (tmp_path / "work" / "report.html").exists()


def test_an_unreadable_source_means_exit_2_and_nothing_written(
    run: Callable[..., Run], council: Path, tmp_path: Path
) -> None:
    (council.parent / "data" / "survey.csv").unlink()
    result = run("report", str(council), "--skip-invalid")
    assert result.code == 2
    assert result.err.endswith("error: nothing was written: a source could not be read\n")
    assert not (tmp_path / "work" / "report.html").exists()


@pytest.mark.parametrize("date", ["2026-13-01", "31/03/2026", "today"])
def test_a_date_that_is_not_yyyy_mm_dd_is_a_usage_error(
    run: Callable[..., Run], council: Path, date: str
) -> None:
    result = run("report", str(council), "--date", date)
    assert result.code == 2
    assert (
        f"Invalid value for '--date': found {date!r}; expected a date as YYYY-MM-DD, "
        "such as 2026-03-31"
    ) in result.err


def test_export_writes_beside_the_current_folder_with_the_exporters_suffix(
    run: Callable[..., Run], council: Path, tmp_path: Path
) -> None:
    result = run("export", str(council), "--to", "json")
    assert result.code == 0, result.err
    assert result.out == "wrote council.json\n"
    written = socialcouncil.load(tmp_path / "work" / "council.json")
    assert written == socialcouncil.load(council)
    result = run("export", str(council), "--to", "strategy-on-a-page", "--date", "2026-03-31")
    assert result.out == "wrote council.html\n"
    page = (tmp_path / "work" / "council.html").read_text(encoding="utf-8")
    assert "To work with the people of Anytown." in page


def test_export_publishes_figures_after_disclosure_control(
    run: Callable[..., Run], council: Path, tmp_path: Path
) -> None:
    result = run("export", str(council), "--to", "strategy-on-a-page", "-o", "page.html")
    assert result.code == 0, result.err
    page = (tmp_path / "work" / "page.html").read_text(encoding="utf-8")
    # 40 people answered, so the headline stands.
    assert '<span class="figure">4.65</span>' in page
    assert "n = 40" in page
    few = "Person,Score,Ward,Date\n" + "".join(f"p{i},7,North,2025-04-01\n" for i in range(6))
    (council.parent / "data" / "survey.csv").write_text(few, encoding="utf-8")
    result = run("export", str(council), "--to", "strategy-on-a-page", "-o", "page.html", "--force")
    assert result.code == 0, result.err
    page = (tmp_path / "work" / "page.html").read_text(encoding="utf-8")
    # 6 people are fewer than the 10 a figure must stand on: neither the mean nor its n shows.
    assert '<span class="figure">[c]</span>' in page
    assert '<span class="figure">7' not in page
    assert "n = 6" not in page


def test_export_names_the_exporters_there_are_for_an_unknown_one(
    run: Callable[..., Run], council: Path, tmp_path: Path
) -> None:
    result = run("export", str(council), "--to", "pdf")
    assert result.code == 2
    assert result.err.startswith("error: no exporter 'pdf'; known: csv, datapackage, explodes, ")
    assert list((tmp_path / "work").iterdir()) == []


def test_export_never_replaces_the_model_file_itself(
    run: Callable[..., Run], council: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(council.parent)
    as_json = council.with_suffix(".json")
    socialcouncil.dump(socialcouncil.load(council), as_json)
    before = as_json.read_bytes()
    result = run("export", as_json.name, "--to", "json", "--force")
    assert result.code == 2
    assert result.err == (
        "error: council.json is the model file itself; choose another path with -o\n"
    )
    assert as_json.read_bytes() == before


@pytest.mark.parametrize("place", [".", "data", "..", "data/survey.csv"])
def test_export_never_replaces_a_folder_that_holds_the_model_or_its_data(
    run: Callable[..., Run], council: Path, place: str
) -> None:
    target = (council.parent / place).resolve()
    before = {p: p.read_bytes() for p in council.parent.rglob("*") if p.is_file()}
    result = run("export", str(council), "--to", "datapackage", "-o", str(target), "--force")
    assert result.code == 2
    assert "choose another path with -o" in result.err
    assert ("is the source 'survey' itself" in result.err) == (place == "data/survey.csv")
    assert {p: p.read_bytes() for p in council.parent.rglob("*") if p.is_file()} == before


def test_export_passes_options_and_rejects_ones_without_a_value(
    run: Callable[..., Run], council: Path
) -> None:
    result = run("export", str(council), "--to", "json", "--option", "indent")
    assert result.code == 2
    assert "found 'indent'; expected NAME=VALUE" in result.err
    result = run("export", str(council), "--to", "json", "--option", "indent=2")
    assert result.code == 2
    assert result.err == (
        "error: the json exporter's options are not right: the json exporter takes no "
        "options; found indent\n"
    )


def test_an_exporter_that_fails_is_a_bug_in_its_plugin(
    run: Callable[..., Run], council: Path
) -> None:
    result = run("export", str(council), "--to", "explodes")
    assert result.code == 3
    assert "a bug in the plugin 'tests.test_publishing_cli'" in result.err
    assert "ZeroDivisionError" in result.err


def test_exporters_lists_every_exporter_with_what_it_writes(run: Callable[..., Run]) -> None:
    result = run("exporters")
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0].split() == ["name", "suffix", "publishes", "plugin", "description"]
    names = [line.split()[0] for line in lines[1:]]
    assert names == sorted(names)
    strategy = next(line for line in lines if line.startswith("strategy-on-a-page "))
    assert strategy.split()[1:4] == [".html", "yes", "strategy-on-a-page-exporter"]


def test_exporters_json_has_the_documented_shape(run: Callable[..., Run]) -> None:
    result = run("exporters", "--format", "json")
    listed = json.loads(result.out)["exporters"]
    json_exporter = next(e for e in listed if e["name"] == "json")
    assert json_exporter == {
        "name": "json",
        "description": "The council as a JSON model file, in the model file's shape.",
        "suffix": ".json",
        "publishes": True,
        "plugin": "json-exporter",
    }
    assert {e["name"] for e in listed} >= {"html", "markdown", "strategy-on-a-page", "explodes"}
