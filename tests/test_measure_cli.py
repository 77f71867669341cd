"""The measure, sources and models commands."""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING

import pytest

from tests.measuring import PLUGIN, MeanScore, explode

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from socialcouncil.plugins import PluginInfo
    from tests.conftest import Run


@pytest.fixture(autouse=True)
def plugin(register_plugin: Callable[..., PluginInfo]) -> None:
    register_plugin(PLUGIN)


MODEL_FILE = """
format = 1

[council]
name = "Anytown"

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

[[measures]]
id = "volunteers"
name = "Volunteers"
unit = "people"

[[measures.observations]]
period = "2025/26"
value = 412
"""

SURVEY = """Person,Score,Ward,Date
a,4,North,2025-03-31
b,8,North,2025-04-01
c,6,South,2025-04-02
d,,South,2025-06-30
"""


@pytest.fixture
def council(tmp_path: Path) -> Path:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "survey.csv").write_text(SURVEY, encoding="utf-8")
    path = tmp_path / "council.toml"
    path.write_text(MODEL_FILE, encoding="utf-8")
    return path


def test_measure_prints_a_block_per_measure_headline_first(
    run: Callable[..., Run], council: Path
) -> None:
    result = run("measure", str(council))
    assert result.code == 0, result.err
    assert result.err == ""
    assert result.out == (
        "Scores [scores, mean-score]\n"
        "  mean (headline)              6.00  n=3\n"
        "  mean             ward=North  6.00  n=2\n"
        "  mean             ward=South  6.00  n=1\n"
        "  respondents                     3  n=3\n"
        "  respondents      ward=North     2  n=2\n"
        "  respondents      ward=South     1  n=1\n"
        "  sd                           2.00  n=3\n"
        "  sd               ward=North  2.83  n=2\n"
        "\n"
        "Volunteers [volunteers, observed]\n"
        "  value  period=2025/26  412\n"
    )


def test_measure_json_has_the_documented_shape(run: Callable[..., Run], council: Path) -> None:
    result = run("measure", str(council), "--format", "json", "--measure", "scores")
    assert result.code == 0
    report = json.loads(result.out)
    assert set(report) == {"results", "problems"}
    assert report["problems"] == []
    assert report["results"][0] == {
        "measure": "scores",
        "model": "mean-score",
        "indicator": "mean",
        "value": 6.0,
        "n": 3,
        "dimensions": {},
    }
    assert {r["measure"] for r in report["results"]} == {"scores"}


def test_measure_csv_has_a_column_per_dimension(run: Callable[..., Run], council: Path) -> None:
    result = run("measure", str(council), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert list(rows[0]) == ["measure", "model", "indicator", "value", "n", "period", "ward"]
    north = [r for r in rows if r["ward"] == "North" and r["indicator"] == "mean"]
    assert north == [
        {
            "measure": "scores",
            "model": "mean-score",
            "indicator": "mean",
            "value": "6",
            "n": "2",
            "period": "",
            "ward": "North",
        }
    ]
    assert rows[-1]["period"] == "2025/26"
    assert rows[-1]["n"] == ""


def test_invalid_rows_exit_1_with_every_row_reported(
    run: Callable[..., Run], council: Path
) -> None:
    survey = council.parent / "data" / "survey.csv"
    survey.write_text(
        SURVEY + "e,eleven,South,2025-07-01\nf,5,South,31/12/2025\n", encoding="utf-8"
    )
    result = run("measure", str(council), "--format", "json")
    assert result.code == 1
    report = json.loads(result.out)
    assert report["problems"] == [
        {
            "source": "survey",
            "location": "data/survey.csv",
            "row": 6,
            "field": "Score",
            "message": "found 'eleven', expected a whole number from 0 to 10",
        },
        {
            "source": "survey",
            "location": "data/survey.csv",
            "row": 7,
            "field": "Date",
            "message": "found '31/12/2025', expected a date as YYYY-MM-DD",
        },
    ]
    assert {r["measure"] for r in report["results"]} == {"volunteers"}
    assert "error: data/survey.csv, row 6, column 'Score': found 'eleven'" in result.err
    skipped = run("measure", str(council), "--skip-invalid")
    assert skipped.code == 0
    assert skipped.err.count("warning: data/survey.csv, row") == 2
    assert "  mean (headline)              6.00  n=3" in skipped.out
    quiet = run("measure", str(council), "--skip-invalid", "--quiet")
    assert (quiet.code, quiet.err) == (0, "")


def test_an_unreadable_source_exits_2(run: Callable[..., Run], council: Path) -> None:
    (council.parent / "data" / "survey.csv").unlink()
    result = run("measure", str(council))
    assert result.code == 2
    assert "data/survey.csv: not found" in result.err
    assert "not measured" in result.out


def test_output_is_written_to_a_file(run: Callable[..., Run], council: Path) -> None:
    target = council.parent / "results.json"
    result = run("measure", str(council), "--format", "json", "--output", str(target), "--quiet")
    assert (result.code, result.out) == (0, "")
    assert json.loads(target.read_text(encoding="utf-8"))["results"]
    assert [p.name for p in council.parent.iterdir() if p.name.startswith(".")] == []


def test_an_unknown_measure_is_unusable(run: Callable[..., Run], council: Path) -> None:
    result = run("measure", str(council), "--measure", "nope")
    assert result.code == 2
    assert "no measure with id 'nope'" in result.err


def test_a_model_that_raises_is_a_bug_in_its_plugin(
    run: Callable[..., Run], council: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(MeanScore, "compute", explode)
    result = run("measure", str(council))
    assert result.code == 3
    assert "a bug in the plugin 'tests.measuring'" in result.err
    assert "ZeroDivisionError" in result.err


def test_models_lists_inputs_fields_options_and_indicators(run: Callable[..., Run]) -> None:
    result = run("models")
    assert result.code == 0
    assert (
        "mean-score  (from tests.measuring)\n"
        "    The mean of a score from 0 to 10.\n"
        "    input data: person (string), score (integer, 0..10), date (date, optional)\n"
        "    option scale (default 1): Multiply the mean by this.\n"
        "    indicators: mean (headline), respondents, sd\n"
    ) in result.out
    report = json.loads(run("models", "--format", "json").out)
    model = next(m for m in report["models"] if m["name"] == "mean-score")
    assert model["headline"] == "mean"
    assert model["inputs"]["data"][1] == {
        "name": "score",
        "type": "integer",
        "required": True,
        "minimum": 0,
        "maximum": 10,
        "allowed": None,
        "description": "",
    }
    assert model["options"] == [
        {"name": "scale", "description": "Multiply the mean by this.", "default": 1}
    ]
    assert model["indicators"][0] == {
        "name": "mean",
        "kind": "mean",
        "unit": "points",
        "people": True,
        "description": "",
    }


def test_sources_lists_each_source_with_its_options(run: Callable[..., Run]) -> None:
    result = run("sources")
    assert "text-csv  (from tests.measuring)\n    A CSV file, every cell as text.\n" in result.out
    assert "    date_format: How the file writes dates." in result.out
    report = json.loads(run("sources", "--format", "json").out)
    entry = next(s for s in report["sources"] if s["name"] == "text-csv")
    assert entry == {
        "name": "text-csv",
        "description": "A CSV file, every cell as text.",
        "options": {"date_format": "How the file writes dates."},
        "plugin": "tests.measuring",
    }


def test_help_lists_the_commands_without_importing_narwhals() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from socialcouncil.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print([m for m in ('narwhals', 'polars') if m in sys.modules])"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "measure" in done.stdout
    assert done.stdout.strip().endswith("[]")
