"""The council's report: what it holds for the examples, its gaps, and its two renderings."""

from __future__ import annotations

import datetime
import html
import itertools
import re
from typing import TYPE_CHECKING

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

import socialcouncil
from socialcouncil import (
    SUPPRESSED,
    BigMove,
    Calibration,
    Chart,
    Continuum,
    Council,
    ExportContext,
    Figure,
    GoldenThread,
    Level,
    Measure,
    Outcome,
    Priority,
    Project,
    Value,
)
from socialcouncil.exporters.html import HtmlExporter
from socialcouncil.exporters.markdown import MarkdownExporter
from socialcouncil.exporters.report import (
    ContinuumStrip,
    MeasureResults,
    ThreadTree,
    build_report,
    escape_markdown,
    render_html,
    render_markdown,
)
from socialcouncil.exporters.report.charts import draw
from socialcouncil.exporters.report.html import CONTENT_SECURITY_POLICY
from tests.reporting import DAY, Page, context_of, measured

if TYPE_CHECKING:
    from pathlib import Path

    from socialcouncil.exporters.report import Report

PARTS = [
    "council",
    "golden-thread",
    "projects",
    "coproduction",
    "measures",
    "suppressed",
    "sources",
]


def report_of(name: str) -> Report:
    council, measurement = measured(name)
    return build_report(context_of(council, measurement))


@pytest.fixture(scope="module")
def solihull_html() -> str:
    return render_html(report_of("solihull"))


# -- what the report holds ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["solihull", "birmingham"])
def test_the_report_of_each_example_has_every_part_in_order(name: str) -> None:
    report = report_of(name)
    assert [part.id for part in report.parts] == PARTS
    assert report.date == DAY
    assert report.version == socialcouncil.__version__


@pytest.mark.parametrize("name", ["solihull", "birmingham"])
def test_the_page_shows_the_council_its_values_thread_projects_and_measures(name: str) -> None:
    council, _ = measured(name)
    text = Page(render_html(report_of(name))).text
    assert council.name in text
    if council.steering_group:
        assert council.steering_group in text
    for value in council.values:
        assert value.name in text
        if value.statement:
            assert " ".join(value.statement.split()) in text
    thread = council.thread
    for words in [thread.purpose, thread.vision]:
        if words is not None:
            assert " ".join(words.split()) in text
    names = [x.name for x in thread.priorities] + [x.name for x in thread.outcomes]
    for shown in names + [x.name for x in thread.big_moves]:
        assert shown in text
    for principle in thread.design_principles:
        assert " ".join(principle.statement.split()) in text
    for project in council.projects:
        assert project.title in text
    for measure in council.measures:
        assert measure.name in text


def test_each_measured_measure_has_its_headline_with_n_and_its_breakdowns_as_charts() -> None:
    council, measurement = measured("solihull")
    report = report_of("solihull")
    measures = {
        b.id: b
        for b in report.parts[PARTS.index("measures")].blocks
        if isinstance(b, MeasureResults)
    }
    wellbeing = measures["wellbeing"]
    assert isinstance(wellbeing, MeasureResults)
    assert wellbeing.headline_indicator == measurement.headlines["wellbeing"]
    assert wellbeing.headline is not None
    assert wellbeing.headline.dimensions == {}
    assert wellbeing.headline.n is not None
    wards = {r.dimensions["ward"] for r in measurement.results if "ward" in r.dimensions}
    bars = [c for c in wellbeing.charts if c.by == "ward" and c.kind == "bar"]
    assert bars
    assert {f.dimensions["ward"] for f in bars[0].figures} == wards
    reciprocity = measures["timebank-reciprocity"]
    assert isinstance(reciprocity, MeasureResults)
    assert any(c.kind == "line" and c.by == "period" for c in reciprocity.charts)
    someone = measures["someone-to-ask"]
    assert isinstance(someone, MeasureResults)
    assert (someone.baseline, someone.target) == ("62", "75")
    assert council.measure("someone-to-ask").baseline == 62


def test_each_project_stands_on_its_continuum_with_its_target_and_history() -> None:
    council, _ = measured("solihull")
    report = report_of("solihull")
    blocks = report.parts[PARTS.index("projects")].blocks
    strips = {s.title: s for s in blocks if isinstance(s, ContinuumStrip)}
    cafe = strips["Solihull Café"]
    assert isinstance(cafe, ContinuumStrip)
    levels = council.continuum("solihull-relationship").levels
    assert [mark.label for mark in cafe.levels] == [level.label for level in levels]
    states = {mark.label: mark.state for mark in cafe.levels}
    assert states["Collaborative"] == "current"
    assert states["Fully co-productive"] == "target"
    assert [c.date for c in cafe.calibrations] == sorted(c.date for c in cafe.calibrations)
    assert cafe.movement == (
        "Up 2 levels, from Listening (2015-09-01) to Collaborative (2017-05-01)."
    )


def test_the_trajectory_and_profile_come_from_the_councils_own_measures() -> None:
    _, measurement = measured("solihull")
    part = report_of("solihull").parts[PARTS.index("coproduction")]
    charts = [b for b in part.blocks if isinstance(b, Chart)]
    lines = [c for c in charts if c.kind == "line"]
    assert lines
    measured_positions = [
        r.value
        for r in measurement.results
        if r.model == "coproduction-trajectory" and r.indicator == "mean-position"
    ]
    assert [f.value for f in lines[0].figures] == measured_positions
    council, _ = measured("solihull")
    pursued = {value for project in council.projects for value in project.values}
    assert len([c for c in charts if c.kind == "bar"]) == len(pursued)


def test_without_those_measures_the_report_works_them_out_from_the_calibrations() -> None:
    ladder = Continuum(
        id="ladder", name="Ladder", levels=[Level("a", "A"), Level("b", "B"), Level("c", "C")]
    )
    council = Council(
        name="Anytown",
        values=[Value(id="voice", name="Voice")],
        continua=[ladder],
        projects=[
            Project(
                id="cafe",
                title="Café",
                values=["voice"],
                continuum="ladder",
                calibrations=[
                    Calibration(date=datetime.date(2023, 5, 1), level="a"),
                    Calibration(date=datetime.date(2025, 5, 1), level="c"),
                ],
            )
        ],
    )
    part = build_report(ExportContext(council, date=DAY)).parts[PARTS.index("coproduction")]
    charts = [b for b in part.blocks if isinstance(b, Chart)]
    line = next(c for c in charts if c.kind == "line")
    assert [(f.dimensions["period"], f.value) for f in line.figures] == [
        ("2023", 0.0),
        ("2024", 0.0),
        ("2025", 1.0),
    ]
    bars = next(c for c in charts if c.kind == "bar")
    assert [(f.dimensions["level"], f.value) for f in bars.figures] == [
        ("a", 0.0),
        ("b", 0.0),
        ("c", 1.0),
    ]


def test_the_sources_are_listed_with_their_fingerprints_the_version_and_the_date(
    solihull_html: str,
) -> None:
    council, measurement = measured("solihull")
    text = Page(solihull_html).text
    for source in council.sources:
        fingerprint = measurement.tables[source.id].fingerprint
        assert fingerprint is not None
        assert str(source.location) in text
        assert fingerprint in text
    assert f"socialcouncil {socialcouncil.__version__}" in text
    assert DAY.isoformat() in text


def gappy_council() -> Council:
    return Council(
        name="Gappy",
        thread=GoldenThread(
            priorities=[Priority(id="lonely", name="A lonely priority"), Priority("p", "Served")],
            outcomes=[
                Outcome(id="unmeasured", name="An unmeasured outcome", priority="p"),
                Outcome(id="o", name="A measured outcome", priority="p", measures=["ghost"]),
            ],
            big_moves=[BigMove(id="drift", name="A drifting move")],
        ),
        measures=[Measure(id="stray", name="A stray measure", unit="people")],
        projects=[
            Project(id="linked", title="Linked", priorities=["p"]),
            Project(id="loose", title="A loose project"),
        ],
    )


GAPS = [
    "The thread states no purpose.",
    "The thread states no vision.",
    "The priority 'A lonely priority' has no outcome.",
    "No project serves the priority 'A lonely priority'.",
    "No measure serves the outcome 'An unmeasured outcome'.",
    "The outcome 'A measured outcome' lists 'ghost', which is no measure.",
    "The measure 'A stray measure' serves no outcome.",
    "The big move 'A drifting move' drives no priority.",
    "The project 'A loose project' is linked to no priority or big move.",
]


def test_gaps_in_the_thread_are_shown_not_hidden() -> None:
    report = build_report(ExportContext(gappy_council(), date=DAY))
    tree = report.parts[PARTS.index("golden-thread")].blocks[0]
    assert isinstance(tree, ThreadTree)
    assert list(tree.gaps) == GAPS
    text = Page(render_html(report)).text
    markdown = render_markdown(report)
    for gap in GAPS:
        assert gap in text
        assert escape_markdown(gap) in markdown


def test_the_bundled_examples_have_no_gaps_in_their_threads() -> None:
    for name in ["solihull", "birmingham"]:
        tree = report_of(name).parts[PARTS.index("golden-thread")].blocks[0]
        assert isinstance(tree, ThreadTree)
        assert tree.gaps == ()


def test_a_project_on_no_known_continuum_says_so() -> None:
    council = Council(
        name="Anytown",
        projects=[
            Project(id="a", title="Unplaced"),
            Project(id="b", title="Elsewhere", continuum="nowhere"),
        ],
    )
    strips = build_report(ExportContext(council, date=DAY)).parts[PARTS.index("projects")].blocks
    assert [s.note for s in strips if isinstance(s, ContinuumStrip)] == [
        "Not placed on a continuum.",
        "Placed on 'nowhere', which is not a known continuum.",
    ]


# -- the HTML page ------------------------------------------------------------------------------


def test_the_page_forbids_scripts_and_requests_and_makes_none(solihull_html: str) -> None:
    page = Page(solihull_html)
    assert ("meta", "content", CONTENT_SECURITY_POLICY) in page.attributes
    assert "default-src 'none'" in CONTENT_SECURITY_POLICY
    assert "script" not in page.tags
    for tag, name, value in page.attributes:
        assert not name.startswith("on"), (tag, name)
        if name in {"href", "src", "action", "srcset", "xlink:href", "data"}:
            assert value.startswith("#"), (tag, name, value)
    assert {"img", "link", "iframe", "object", "embed"} & set(page.tags) == set()


def test_the_page_is_accessible_by_construction(solihull_html: str) -> None:
    page = Page(solihull_html)
    assert ("html", "lang", "en-GB") in page.attributes
    assert page.tags.count("main") == 1
    assert {"header", "nav", "footer"} <= set(page.tags)
    assert ("a", "class", "skip") in page.attributes
    headings = [int(tag[1]) for tag in page.tags if re.fullmatch(r"h[1-6]", tag)]
    assert headings[0] == 1
    assert headings.count(1) == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(headings))
    assert page.tags.count("table") == page.tags.count("caption")
    scopes = [value for tag, name, value in page.attributes if tag == "th" and name == "scope"]
    assert scopes.count("col") + scopes.count("row") == page.tags.count("th")
    assert page.tags.count("svg") > 0
    roles = [value for tag, name, value in page.attributes if tag == "svg" and name == "role"]
    assert roles == ["img"] * page.tags.count("svg")
    assert page.tags.count("title") == page.tags.count("svg") + 1  # the page's own title
    ids = [value for _, name, value in page.attributes if name == "id"]
    assert len(ids) == len(set(ids))
    for _, name, value in page.attributes:
        if name == "aria-labelledby":
            assert set(value.split()) <= set(ids)
        if name == "href":
            assert value[1:] in ids
    regions = [v for t, n, v in page.attributes if t == "div" and n == "role"]
    assert regions == ["region"] * page.tags.count("table")


def test_the_same_context_gives_the_same_bytes() -> None:
    council, measurement = measured("solihull")
    first = render_html(build_report(context_of(council, measurement)))
    second = render_html(build_report(context_of(council, measurement)))
    assert first == second
    assert render_markdown(report_of("solihull")) == render_markdown(report_of("solihull"))
    later = context_of(council, measurement)
    later = attrs.evolve(later, date=datetime.date(2027, 2, 1))
    assert render_html(build_report(later)) != first


def test_the_solihull_report_is_at_most_one_megabyte(solihull_html: str) -> None:
    assert len(solihull_html.encode("utf-8")) <= 1_000_000


def test_a_report_of_figures_without_disclosure_control_says_it_is_not_for_publishing() -> None:
    council, _ = measured("solihull")
    report = build_report(ExportContext(council, published=False, date=DAY))
    assert "Not for publishing" in Page(render_html(report)).text
    assert "Not for publishing" in render_markdown(report)


# -- charts -------------------------------------------------------------------------------------

figures = st.lists(
    st.one_of(st.none(), st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)),
    min_size=1,
    max_size=30,
)


def chart_of(values: list[float | None], kind: str) -> Chart:
    return Chart(
        title="T",
        figures=[
            Figure(
                measure="m",
                model="x",
                indicator="i",
                value=value,
                dimensions={"ward": f"w{i}"},
                suppressed="primary" if value is None else None,
            )
            for i, value in enumerate(values)
        ],
        by="ward",
        kind="line" if kind == "line" else "bar",
    )


@given(figures)
def test_bars_stay_inside_the_chart_and_a_suppressed_figure_has_none(
    values: list[float | None],
) -> None:
    drawing = draw(chart_of(values, "bar"))
    assert len(drawing.bars) == len(values)
    for value, bar in zip(values, drawing.bars, strict=True):
        if value is None:
            assert (bar.x, bar.width, bar.text) == (None, None, SUPPRESSED)
        else:
            assert bar.x is not None
            assert bar.width is not None
            assert 0 <= bar.x <= bar.x + bar.width <= drawing.width
            # A bar starts or ends at zero, on the side its sign says.
            assert drawing.zero in (pytest.approx(bar.x), pytest.approx(bar.x + bar.width)) or (
                bar.width == 1.0
            )


@given(figures)
def test_a_line_breaks_where_a_figure_is_suppressed(values: list[float | None]) -> None:
    drawing = draw(chart_of(values, "line"))
    runs, run = [], 0
    for value in values:
        if value is None:
            runs.append(run)
            run = 0
        else:
            run += 1
    runs.append(run)
    assert [len(s.split()) for s in drawing.segments] == [r for r in runs if r > 1]
    for point in drawing.points:
        assert 0 <= point.x <= drawing.width
        assert point.y is None or 0 <= point.y <= drawing.height


# -- Markdown -----------------------------------------------------------------------------------

commonmark = MarkdownIt("commonmark").enable("table")
texts = st.text(
    st.characters(blacklist_categories=["Cs", "Cc"], blacklist_characters="\x00"), min_size=1
).filter(str.strip)


@given(texts)
def test_markdown_shows_any_text_as_written(text: str) -> None:
    rendered = commonmark.render(escape_markdown(text))
    page = Page(rendered)
    assert page.tags == ["p"]
    assert page.attributes == []
    assert "".join(page.texts).strip() == " ".join(text.split())


@given(st.lists(texts, min_size=1, max_size=4))
def test_markdown_table_cells_hold_any_text(cells: list[str]) -> None:
    header = "| " + " | ".join(f"c{i}" for i in range(len(cells))) + " |"
    rule = "|" + "|".join(" --- " for _ in cells) + "|"
    row = "| " + " | ".join(escape_markdown(c) for c in cells) + " |"
    rendered = commonmark.render("\n".join([header, rule, row]))
    assert set(Page(rendered).tags) == {"table", "thead", "tbody", "tr", "th", "td"}
    found = [html.unescape(cell) for cell in re.findall(r"<td>(.*?)</td>", rendered, re.S)]
    assert found == [" ".join(c.split()) for c in cells]


def test_the_markdown_report_holds_the_same_content() -> None:
    council, _ = measured("solihull")
    markdown = render_markdown(report_of("solihull"))
    page = Page(commonmark.render(markdown))
    text = page.text
    names = [x.name for x in council.values] + [x.name for x in council.thread.priorities]
    for name in names + [x.name for x in council.measures]:
        assert name in text
    for project in council.projects:
        assert project.title in text
    assert {"script", "a", "img"} & set(page.tags) == set()
    assert page.tags.count("h1") == 1


# -- the exporters ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("exporter", "suffix"), [(HtmlExporter, ".html"), (MarkdownExporter, ".md")]
)
def test_the_exporters_write_the_report_and_are_registered(
    exporter: type[HtmlExporter | MarkdownExporter], suffix: str, tmp_path: Path
) -> None:
    registry = socialcouncil.registry()
    assert registry.exporters[exporter.name] is exporter
    assert exporter.suffix == suffix
    assert getattr(exporter, "publishes", True)
    council, measurement = measured("solihull")
    context = context_of(council, measurement)
    destination = tmp_path / f"report{suffix}"
    destination.write_text("old", encoding="utf-8")
    exporter().export(context, destination)
    report = build_report(context)
    expected = render_html(report) if suffix == ".html" else render_markdown(report)
    assert destination.read_text(encoding="utf-8") == expected
    assert [p.name for p in tmp_path.iterdir()] == [destination.name]
    with pytest.raises(TypeError, match="takes no options; found colour"):
        exporter(colour="red")
