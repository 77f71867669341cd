"""Trends across stored runs and the learning log, in the export context and in the report.

Stored figures are published exactly as fresh ones are: each run's results go through the one
disclosure control, under the council's ``[publishing]`` settings of today.
"""

from __future__ import annotations

import datetime
import itertools
from typing import TYPE_CHECKING

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import socialcouncil
from socialcouncil import PublishingSettings, Result
from socialcouncil.exporters.report import build_report, render_html, render_markdown
from socialcouncil.measurement.run import Measurement
from socialcouncil.store import LogEntry, Run
from tests import reporting
from tests.reporting import Page

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from socialcouncil import Council, ExportContext
    from socialcouncil.exporters import Trend

COUNCIL = socialcouncil.loads(
    """
format = 1

[council]
name = "Anytown"

[[projects]]
id = "canteen"
title = "Social Canteen"
status = "active"

[[projects]]
id = "timebank"
title = "Timebank"
status = "active"

[[values]]
id = "kindness"
name = "Kindness"

[[measures]]
id = "wellbeing"
name = "Wellbeing"
unit = "points"
model = "swemwbs"
direction = "higher"

[[measures]]
id = "loneliness"
name = "Loneliness"
unit = "percent"
model = "ons4"
direction = "lower"
"""
)
DATE = datetime.date(2026, 4, 1)
DAY = datetime.datetime(2026, 1, 1, 9, 0, tzinfo=datetime.timezone.utc)


def mean(value: float, n: int, **dimensions: str) -> Result:
    return Result(
        "swemwbs", "mean", value, dimensions, people=True, measure="wellbeing", n=n, kind="mean"
    )


def run(number: int, *results: Result, council: Council = COUNCIL, by: Sequence[str] = ()) -> Run:
    """The run numbered *number*, recorded *number* days after :data:`DAY`."""
    return Run(
        id=f"00000000-0000-4000-8000-{number:012d}",
        recorded_at=DAY + datetime.timedelta(days=number),
        version="0.9.0",
        council=council,
        results=results,
        headlines={"wellbeing": "mean"},
        breakdowns={"wellbeing": tuple(by)},
    )


def measured(*results: Result, by: Sequence[str] = ()) -> Measurement:
    return Measurement(
        results, headlines={"wellbeing": "mean"}, breakdowns={"wellbeing": tuple(by)}
    )


def context(
    runs: Sequence[Run],
    measurement: Measurement | None = None,
    *,
    council: Council = COUNCIL,
    log: Sequence[LogEntry] = (),
    publishes: bool = True,
) -> ExportContext:
    return socialcouncil.export_context(
        council, measurement, runs=runs, log=log, publishes=publishes, date=DATE
    )


def trend(found: ExportContext, **dimensions: str) -> Trend:
    (only,) = [
        t
        for t in found.trends
        if t.measure == "wellbeing" and t.indicator == "mean" and dict(t.dimensions) == dimensions
    ]
    return only


def values(found: Trend) -> list[float | None]:
    return [point.figure.value for point in found.used]


# -- the context --------------------------------------------------------------------------------


def test_each_run_is_a_point_of_a_trend_without_periods_oldest_first() -> None:
    runs = [run(2, mean(50.0, 40)), run(1, mean(48.0, 30)), run(3, mean(51.5, 54))]
    found = trend(context(runs))
    assert not found.periodic
    assert found.headline
    assert values(found) == [48.0, 50.0, 51.5]
    assert [p.run for p in found.points] == [runs[1].id, runs[0].id, runs[2].id]
    assert [p.recorded_at for p in found.points] == [r.recorded_at for r in (runs[1], *runs[::2])]
    assert [r.id for r in context(runs).runs] == [runs[1].id, runs[0].id, runs[2].id]


def test_a_stored_figure_under_the_threshold_is_never_published() -> None:
    runs = [run(1, mean(48.0, 30)), run(2, mean(47.25, 4)), run(3, mean(51.5, 44))]
    found = trend(context(runs))
    assert values(found) == [48.0, None, 51.5]
    gap = found.used[1].figure
    assert (gap.n, gap.suppressed) == (None, "primary")
    # Neither rendering holds the hidden figure or its n; both show the gap as [c].
    report = build_report(context(runs))
    html, markdown = render_html(report), render_markdown(report)
    for text in (html, markdown):
        assert "47.25" not in text
    assert "<td>[c]</td>" in html.replace('<td class="num">', "<td>")
    assert "| \\[c\\] | \\[c\\] |" in markdown


def test_stored_runs_are_disclosed_under_todays_publishing_settings() -> None:
    # Measured when the council published figures standing on 5 people; today it wants 10.
    lenient = attrs.evolve(COUNCIL, publishing=PublishingSettings(suppress_below=5))
    runs = [run(1, mean(48.0, 30), council=lenient), run(2, mean(49.0, 7), council=lenient)]
    assert values(trend(context(runs))) == [48.0, None]
    rounded = attrs.evolve(COUNCIL, publishing=PublishingSettings(round_to=5))
    counts = [
        Result("survey", "respondents", 33, people=True, measure="wellbeing", n=33, kind="count")
    ]
    (respondents,) = context([run(1, *counts)], council=rounded).trends
    assert respondents.used[0].figure.value == 35.0
    assert respondents.used[0].figure.rounded


def test_secondary_suppression_holds_in_the_trends_of_a_breakdown() -> None:
    wards = [mean(50.0, 45), mean(49.0, 30, ward="North"), mean(52.0, 11, ward="East")]
    runs = [
        run(1, *wards, mean(51.0, 4, ward="South"), by=["ward"]),
        run(2, *wards, mean(51.0, 15, ward="South"), by=["ward"]),
    ]
    found = context(runs)
    # In the first run South stands on 4 people, and East, the next smallest, goes with it.
    assert values(trend(found, ward="South")) == [None, 51.0]
    assert values(trend(found, ward="East")) == [None, 52.0]
    assert values(trend(found, ward="North")) == [49.0, 49.0]
    assert [p.figure.suppressed for p in trend(found, ward="East").points] == ["secondary", None]
    assert trend(found).headline
    assert not trend(found, ward="North").headline


def test_where_two_runs_cover_one_period_the_later_is_published_and_the_earlier_is_not() -> None:
    first = run(1, mean(48.0, 30, period="2025-Q1"), by=["period"])
    second = run(
        2, mean(48.5, 33, period="2025-Q1"), mean(50.0, 35, period="2025-Q2"), by=["period"]
    )
    published = trend(context([second, first]))
    assert published.periodic
    assert [(p.period, p.figure.value, p.run) for p in published.points] == [
        ("2025-Q1", 48.5, second.id),
        ("2025-Q2", 50.0, second.id),
    ]
    # For the council's own use, the earlier figure stays, marked as superseded.
    internal = trend(context([first, second], publishes=False))
    assert [(p.period, p.figure.value, p.superseded) for p in internal.points] == [
        ("2025-Q1", 48.0, True),
        ("2025-Q1", 48.5, False),
        ("2025-Q2", 50.0, False),
    ]
    assert [p.figure.value for p in internal.used] == [48.5, 50.0]


def test_every_published_figure_of_a_measure_for_a_period_comes_from_one_run() -> None:
    # The first run broke the period down by ward; the second, measured after the model
    # changed, covers the period with a total alone.
    by_ward = run(
        1,
        mean(48.0, 40, period="2025"),
        mean(47.0, 20, period="2025", ward="North"),
        mean(49.0, 20, period="2025", ward="South"),
        by=["period", "ward"],
    )
    total = run(2, mean(48.5, 44, period="2025"), by=["period"])
    published = context([by_ward, total])
    assert [(p.run, p.figure.value) for p in trend(published).points] == [(total.id, 48.5)]
    # The first run's wards were disclosed beside its own total, not the second's.
    assert [dict(t.dimensions) for t in published.trends] == [{}]
    internal = context([by_ward, total], publishes=False)
    assert [p.figure.value for p in trend(internal, ward="North").points] == [47.0]


def test_the_measurement_a_run_holds_is_counted_once() -> None:
    runs = [run(1, mean(48.0, 30)), run(2, mean(50.0, 40))]
    found = trend(context(runs, measured(mean(50.0, 40))))
    assert values(found) == [48.0, 50.0]
    assert all(point.run is not None for point in found.points)


def test_a_measurement_no_run_holds_is_the_latest_point() -> None:
    runs = [run(2, mean(48.0, 30)), run(1, mean(47.0, 30))]
    found = context(runs, measured(mean(52.0, 41)))
    assert values(trend(found)) == [47.0, 48.0, 52.0]
    latest = trend(found).points[-1]
    assert (latest.run, latest.recorded_at) == (None, None)
    # For a period, its figure takes the place of the stored ones.
    by_period = [run(1, mean(48.0, 30, period="2025"), by=["period"])]
    fresh = measured(mean(49.0, 31, period="2025"), mean(50.0, 32, period="2026"), by=["period"])
    points = trend(context(by_period, fresh)).points
    assert [(p.period, p.figure.value, p.run) for p in points] == [
        ("2025", 49.0, None),
        ("2026", 50.0, None),
    ]


def test_without_stored_runs_there_are_no_trends_and_the_report_is_as_it_was() -> None:
    fresh = measured(mean(52.0, 41))
    found = context([], fresh)
    assert (found.trends, found.runs, found.log) == ((), (), ())
    before = socialcouncil.export_context(COUNCIL, fresh, date=DATE)
    assert render_html(build_report(found)) == render_html(build_report(before))
    assert "trends" not in [part.id for part in build_report(found).parts]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 60), st.sampled_from(["2024", "2025", "2026"])),
        min_size=1,
        max_size=8,
    )
)
def test_no_published_trend_figure_stands_on_fewer_people_than_the_threshold(
    stored: list[tuple[int, str]],
) -> None:
    runs = [
        run(number, mean(40.0 + number, n, period=period), by=["period"])
        for number, (n, period) in enumerate(stored, start=1)
    ]
    found = trend(context(runs))
    threshold = COUNCIL.publishing.suppress_below
    for point in found.points:
        assert not point.superseded
        if point.figure.value is not None:
            assert point.figure.n is not None
            assert point.figure.n >= threshold
    # One figure per period, the latest run's.
    latest = {period: number for number, (_, period) in enumerate(stored, start=1)}
    assert [p.period for p in found.points] == sorted(latest)
    assert [p.run for p in found.points] == [runs[latest[p] - 1].id for p in sorted(latest)]


WARDS = ("North", "East", "South", "West")


@settings(max_examples=30, deadline=None)
@given(st.lists(st.lists(st.integers(0, 40), min_size=4, max_size=4), min_size=1, max_size=4))
def test_each_stored_figure_is_published_exactly_as_disclosure_control_publishes_its_run(
    sizes: list[list[int]],
) -> None:
    from socialcouncil.exporters.disclosure import disclose

    runs = [
        run(
            number,
            mean(50.0, sum(ns)),
            *(
                mean(40.0 + i, n, ward=ward)
                for i, (ward, n) in enumerate(zip(WARDS, ns, strict=True))
            ),
            by=["ward"],
        )
        for number, ns in enumerate(sizes, start=1)
    ]
    published = {}
    for stored in runs:
        disclosed = disclose(stored.results, COUNCIL.publishing)
        for result, figure in zip(stored.results, disclosed, strict=True):
            published[stored.id, result.dimensions.get("ward")] = figure
    found = context(runs)
    for trend_ in found.trends:
        for point in trend_.points:
            assert point.run is not None
            expected = published[point.run, trend_.dimensions.get("ward")]
            # Or withheld, as too close to another run's figure of the trend.
            assert point.figure == expected or (
                point.figure.value is None
                and point.figure.suppressed == "secondary"
                and expected.value is not None
            )


def respondents(count: int) -> Result:
    return Result(
        "survey", "respondents", count, people=True, measure="wellbeing", n=count, kind="count"
    )


def test_a_run_whose_people_differ_too_little_from_a_published_run_is_suppressed() -> None:
    # 3.3 on 31 after 3.2 on 30 is the 31st person's answer; 35 is 5 from the 30 published.
    runs = [run(1, mean(3.2, 30)), run(2, mean(3.3, 31)), run(3, mean(3.35, 35))]
    found = trend(context([*runs, run(4, mean(3.4, 40))]))
    assert values(found) == [3.2, None, None, 3.4]
    assert [(p.figure.n, p.figure.suppressed) for p in found.points[1:3]] == [
        (None, "secondary"),
        (None, "secondary"),
    ]
    # The same of a count of people: 43 after 40 says that 3 people joined.
    (counts,) = context([run(1, respondents(40)), run(2, respondents(43))]).trends
    assert [p.figure.value for p in counts.points] == [40.0, None]
    # For the council's own use, every figure stays.
    assert values(trend(context(runs, publishes=False))) == [3.2, 3.3, 3.35]


def test_the_reports_own_figure_is_kept_and_the_earlier_run_too_close_to_it_suppressed() -> None:
    # Today's figure is published with its measure whatever the trend says, so it is the
    # earlier run's that goes: recorded or not.
    runs = [run(1, mean(3.0, 20)), run(2, mean(3.2, 30))]
    fresh = trend(context(runs, measured(mean(3.3, 31))))
    assert values(fresh) == [3.0, None, 3.3]
    assert fresh.points[-1].run is None
    recorded = [*runs, run(3, mean(3.3, 31))]
    held = trend(context(recorded, measured(mean(3.3, 31))))
    assert values(held) == [3.0, None, 3.3]
    assert held.points[-1].run == recorded[-1].id
    report = render_html(build_report(context(runs, measured(mean(3.3, 31)))))
    assert "3.2" not in report.replace("2026", "")


def test_only_the_latest_run_is_taken_for_the_measurement_it_holds() -> None:
    # The data were put back as they were in the first run: the measurement is new all the same.
    runs = [run(1, mean(50.0, 40)), run(2, mean(52.0, 60))]
    found = trend(context(runs, measured(mean(50.0, 40))))
    assert values(found) == [50.0, 52.0, 50.0]
    assert [p.run for p in found.points] == [runs[0].id, runs[1].id, None]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(0, 60), min_size=1, max_size=7),
    st.none() | st.integers(0, 60),
    st.booleans(),
)
def test_no_two_published_points_of_a_trend_per_run_differ_by_too_few_people(
    sizes: list[int], fresh: int | None, recorded: bool
) -> None:
    runs = [run(number, mean(40.0 + number, n)) for number, n in enumerate(sizes, start=1)]
    measurement = None
    if fresh is not None:
        measurement = measured(mean(39.5, fresh))
        if recorded:
            runs.append(run(len(runs) + 1, mean(39.5, fresh)))
    found = trend(context(runs, measurement))
    threshold = COUNCIL.publishing.suppress_below
    published = [p.figure.n for p in found.points if p.figure.value is not None]
    for earlier, later in itertools.combinations(published, 2):
        assert earlier is not None
        assert later is not None
        assert not 0 < abs(later - earlier) < threshold
    if fresh is not None:
        # The report's own figure is published as its measure shows it.
        assert (found.points[-1].figure.value is not None) == (fresh >= threshold)


# -- the learning log ---------------------------------------------------------------------------


def entry(
    number: int,
    text: str,
    *,
    day: int = 1,
    projects: Sequence[str] = (),
    measures: Sequence[str] = (),
    values: Sequence[str] = (),
    corrects: str | None = None,
    erased: bool = False,
) -> LogEntry:
    return LogEntry(
        id=f"10000000-0000-4000-8000-{number:012d}",
        date=datetime.date(2026, 5, day),
        kind="decision",
        text="" if erased else text,
        author="Asha Patel",
        projects=projects,
        measures=measures,
        values=values,
        corrects=corrects,
        recorded_at=DAY + datetime.timedelta(days=number),
        erased_at=DAY + datetime.timedelta(days=30) if erased else None,
    )


LOG = (
    entry(3, "Ask the diners what they want", day=9, projects=["canteen"], measures=["wellbeing"]),
    entry(1, "Open on Sundays", day=2, projects=["canteen"]),
    entry(
        2, "Told by a diner: <script>alert(1)</script> *loud*", erased=True, projects=["canteen"]
    ),
    entry(4, "Kindness is a practice", day=3, values=["kindness"]),
    entry(5, "Open on Saturdays", day=4, projects=["canteen"], corrects=entry(1, "").id),
)


def test_published_output_leaves_erased_entries_out_and_lists_the_rest_by_date() -> None:
    published = context([], log=LOG)
    assert [e.text for e in published.log] == [
        "Open on Sundays",
        "Kindness is a practice",
        "Open on Saturdays",
        "Ask the diners what they want",
    ]
    internal = context([], log=LOG, publishes=False)
    assert len(internal.log) == len(LOG)
    assert [e.text for e in published.log_of(measure="wellbeing")] == [
        "Ask the diners what they want"
    ]


def test_each_project_and_measure_lists_its_entries_and_the_log_part_the_others() -> None:
    report = build_report(context([], measured(mean(50.0, 40)), log=LOG))
    parts = {part.id: part for part in report.parts}
    (canteen, _) = parts["projects"].blocks
    assert [(line.date.day, line.entry) for line in canteen.log] == [  # type: ignore[union-attr]
        (2, "Open on Sundays (corrected by the entry of 2026-05-04)"),
        (4, "Correction of the entry of 2026-05-02: Open on Saturdays"),
        (9, "Ask the diners what they want"),
    ]
    html = Page(render_html(report)).text
    assert "Learning log: Wellbeing" in html
    assert "Kindness is a practice value: Kindness" in html
    markdown = render_markdown(report)
    assert "| 2026-05-09 | decision | Asha Patel | Ask the diners what they want |" in markdown


def test_an_erased_entry_leaves_nothing_of_itself_in_the_report() -> None:
    erased = entry(2, "", erased=True, projects=["canteen"], day=17)
    for text in (render_html(build_report(context([], log=[erased, LOG[1]]))),):
        assert "2026-05-17" not in text
        assert "Open on Sundays" in text


def test_log_texts_are_escaped_in_both_renderings() -> None:
    hostile = entry(6, "<script>alert(1)</script> *loud* [x](javascript:y)", projects=["canteen"])
    report = build_report(context([], log=[hostile]))
    html = render_html(report)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    markdown = render_markdown(report)
    assert r"\<script\>alert(1)\</script\> \*loud\* \[x\](javascript:y)" in markdown


# -- the trends in the report -------------------------------------------------------------------


def test_the_report_charts_each_measures_headline_trend_with_its_figures() -> None:
    runs = [run(1, mean(48.0, 30)), run(2, mean(47.0, 4)), run(3, mean(51.5, 44))]
    report = build_report(context(runs))
    parts = {part.id: part for part in report.parts}
    order = [part.id for part in report.parts]
    assert order.index("measures") < order.index("trends") < order.index("suppressed")
    html = render_html(report)
    page = Page(html).text
    assert "Wellbeing: mean in each run" in page
    assert "2026-01-02 48 30 2026-01-03 [c] [c] 2026-01-04 51.50 44" in page
    assert html.count('<polyline class="line"') == 0  # no two published points side by side
    # The loneliness measure has no stored figure, and says so.
    assert "No run holds a headline figure of these measures: Loneliness." in page
    assert runs[0].id in page
    markdown = render_markdown(report)
    assert "| 2026-01-03 | \\[c\\] | \\[c\\] |" in markdown
    notes = Page(render_html(attrs.evolve(report, parts=(parts["suppressed"],)))).text
    assert "The trends hold 1 stored figure suppressed by the same rule or" in notes


def test_a_trend_of_one_figure_says_it_starts_with_a_second() -> None:
    page = Page(render_html(build_report(context([run(1, mean(48.0, 30))])))).text
    assert "Wellbeing: mean in each run: one figure so far, 48 (2026-01-02)" in page


def test_runs_of_one_day_are_told_apart_by_their_time() -> None:
    same_day = [
        attrs.evolve(run(1, mean(48.0, 30)), recorded_at=DAY),
        attrs.evolve(run(2, mean(49.0, 30)), recorded_at=DAY + datetime.timedelta(hours=3)),
    ]
    page = Page(render_html(build_report(context(same_day)))).text
    assert "2026-01-01 09:00 48" in page
    assert "2026-01-01 12:00 49" in page


def test_the_report_says_when_its_own_measurement_is_not_recorded() -> None:
    runs = [run(1, mean(48.0, 30))]
    unrecorded = Page(render_html(build_report(context(runs, measured(mean(50.0, 40)))))).text
    assert "This report's own measurement is not recorded in the store" in unrecorded
    assert "2026-01-02 48 30 2026-04-01 50 40" in unrecorded
    recorded = Page(render_html(build_report(context(runs, measured(mean(48.0, 30)))))).text
    assert "not recorded in the store" not in recorded


@pytest.mark.parametrize("render", [render_html, render_markdown])
def test_the_same_runs_and_log_give_the_same_bytes(render: object) -> None:
    assert callable(render)
    runs = [run(1, mean(48.0, 30)), run(2, mean(49.0, 30))]
    first = render(build_report(context(runs, log=LOG)))
    assert first == render(build_report(context(list(reversed(runs)), log=LOG[::-1])))


def test_export_writes_the_trends_and_the_log_it_is_given(tmp_path: Path) -> None:
    runs = [run(1, mean(48.0, 30)), run(2, mean(49.0, 30))]
    written = socialcouncil.export(
        COUNCIL, "markdown", tmp_path / "report.md", runs=runs, log=LOG[:2], date=DATE
    )
    text = written.read_text(encoding="utf-8")
    assert "## Trends across runs" in text
    assert "| 2026-01-03 | 49 | 30 |" in text
    assert "Ask the diners what they want" in text
    # With no measurement, the trends are the stored runs' alone.
    found = context(runs)
    assert [p.run for p in trend(found).points] == [r.id for r in runs]


def test_a_run_recorded_in_a_store_is_the_reports_own_measurement_and_is_disclosed(
    tmp_path: Path,
) -> None:
    council, measurement = reporting.measured("solihull")
    few = attrs.evolve(
        measurement,
        results=tuple(
            attrs.evolve(r, n=6) if r.measure == "wellbeing" and not r.dimensions else r
            for r in measurement.results
        ),
    )
    with socialcouncil.open_store(tmp_path / "solihull.history.sqlite") as store:
        store.record(council, few, recorded_at=DAY)
        store.record(council, measurement, recorded_at=DAY + datetime.timedelta(days=30))
        runs = [store.run(summary.id) for summary in store.runs()]
    found = socialcouncil.export_context(council, measurement, runs=runs, date=DATE)
    # The second run is the report's own measurement: counted once.
    assert all(p.run is not None for t in found.trends for p in t.points)
    (wellbeing,) = [t for t in found.trends_of("wellbeing") if t.headline]
    assert [p.run for p in wellbeing.used] == [r.id for r in runs]
    # The first run's total stood on 6 people: read back from the store, it is still a gap.
    assert [p.figure.suppressed for p in wellbeing.used] == ["primary", None]
