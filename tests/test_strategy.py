"""The strategy on a page: what it holds, that it escapes every text, and how it is sized."""

from __future__ import annotations

import datetime
import re
from html.parser import HTMLParser
from typing import TYPE_CHECKING

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import socialcouncil
from socialcouncil import BigMove, ExportContext, Figure, Measure, Outcome, Priority, Value
from socialcouncil.exporters.strategy import (
    FULL_POINTS,
    FULL_SIZE_TEXT,
    SMALLEST_POINTS,
    StrategyOnAPageExporter,
    print_scale,
)

if TYPE_CHECKING:
    from pathlib import Path

    from socialcouncil import Council

DATE = datetime.date(2026, 3, 31)

COUNCIL = socialcouncil.loads(
    """
format = 1

[council]
name = "Anytown"
steering_group = "The Kitchen Table"

[[values]]
id = "voice"
name = "A stronger voice"
statement = "Working with people, not for them."

[thread]
purpose = "To work with the people of Anytown."
vision = "Connected communities."

[[thread.priorities]]
id = "connected"
name = "Connected communities"
description = "Residents know each other."

[[thread.priorities]]
id = "simpler"
name = "Simpler services"

[[thread.outcomes]]
id = "help"
name = "More residents give and receive help"
priority = "connected"
measures = ["wellbeing"]

[[thread.outcomes]]
id = "lost"
name = "An outcome of a priority that is not there"
priority = "missing"

[[thread.big_moves]]
id = "timebank"
name = "The timebank"
priorities = ["connected"]

[[thread.big_moves]]
id = "adrift"
name = "A big move for no priority"

[[measures]]
id = "wellbeing"
name = "Wellbeing"
unit = "points"

[[measures]]
id = "ward-share"
name = "Share by ward"
unit = "percent"

[[measures]]
id = "volunteers"
name = "Volunteers"
unit = "people"

[[measures]]
id = "broken"
name = "A measure whose data had problems"
unit = "people"

[[measures]]
id = "waiting"
name = "A measure with no figures yet"
unit = "people"
"""
)


def figure(measure: str, value: float | None, n: int | None = None, **dims: str) -> Figure:
    return Figure(
        measure,
        "m",
        "value",
        value,
        n,
        dims,
        kind="percent" if measure == "ward-share" else "mean",
        people=True,
        suppressed=None if value is not None else "primary",
    )


CONTEXT = ExportContext(
    COUNCIL,
    [
        figure("wellbeing", 23.61, 1204),
        figure("wellbeing", 22.0, 600, ward="North"),
        figure("ward-share", None),
        figure("volunteers", 412, period="2024/25"),
        figure("volunteers", 451, period="2025/26"),
    ],
    headlines={"wellbeing": "value", "ward-share": "value"},
    breakdowns={"wellbeing": ("ward",)},
    unmeasured=["broken"],
    date=DATE,
)


class Page(HTMLParser):
    """The parts of a page a test looks at: elements, attributes and text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.styles: list[str] = []
        self._in_style = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        (self.styles if self._in_style else self.text).append(data)

    @property
    def words(self) -> str:
        return " ".join(" ".join(self.text).split())


def render(context: ExportContext = CONTEXT) -> str:
    return StrategyOnAPageExporter().render(context)


def test_the_page_holds_the_strategy_and_its_headline_figures() -> None:
    words = Page(render()).words
    for text in (
        "Anytown",
        "held by The Kitchen Table",
        "2026-03-31",
        "To work with the people of Anytown.",
        "Connected communities.",
        "A stronger voice",
        "Working with people, not for them.",
        "Residents know each other.",
        "More residents give and receive help",
        "The timebank",
        "No outcomes yet.",  # the gap in "Simpler services" is shown, not hidden
        # Nothing is left off: what serves no priority has a place of its own.
        "Not yet linked to a priority",
        "An outcome of a priority that is not there",
        "A big move for no priority",
        # The headline over everything, not its breakdown, with its n.
        "Wellbeing 23.61 points (n = 1,204)",
        "Share by ward [c] percent",
        # A measure tracked by hand shows its latest period.
        "Volunteers 451 people in 2025/26",
        "Not measured, because their data had problems: A measure whose data had problems.",
        "No figures yet: A measure with no figures yet.",
        "[c] marks a figure that stands on fewer than 10 people",
    ):
        assert text in words, text
    assert "22.00" not in words
    assert "412" not in words


def test_the_figures_for_internal_use_say_so() -> None:
    words = Page(render(attrs.evolve(CONTEXT, published=False))).words
    assert "For internal use: figures as measured, without disclosure control." in words


def test_the_page_says_when_counts_are_rounded() -> None:
    council = attrs.evolve(COUNCIL, publishing=attrs.evolve(COUNCIL.publishing, round_to=5))
    words = Page(render(attrs.evolve(CONTEXT, council=council))).words
    assert "counts of people are rounded to the nearest 5" in words


def test_the_page_runs_nothing_and_fetches_nothing() -> None:
    html = render()
    page = Page(html)
    policy = next(
        a["content"]
        for t, a in page.tags
        if t == "meta" and a.get("http-equiv") == ("Content-Security-Policy")
    )
    assert policy is not None
    assert "default-src 'none'" in policy
    assert "script-src" not in policy
    assert all(tag not in {"script", "link", "img", "iframe", "object"} for tag, _ in page.tags)
    for _, attributes in page.tags:
        assert not any(name.startswith("on") for name in attributes)
        assert not any(name in {"src", "href"} for name in attributes)
    assert "url(" not in "".join(page.styles)
    assert "@import" not in "".join(page.styles)


def test_the_page_prints_on_a3_landscape_at_the_size_chosen() -> None:
    style = "".join(Page(render()).styles)
    assert re.search(r"@page \{ size: A3 landscape; margin: 10mm; \}", style)
    assert f"html {{ font-size: {FULL_POINTS}pt; }}" in style


def test_the_same_context_gives_the_same_bytes() -> None:
    assert render() == render()


def test_the_exporter_takes_no_options_and_writes_atomically(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="takes no options; found colour"):
        StrategyOnAPageExporter(colour="red")
    destination = tmp_path / "page.html"
    StrategyOnAPageExporter().export(CONTEXT, destination)
    assert destination.read_text(encoding="utf-8") == render()
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]


# -- escaping ---------------------------------------------------------------------------------

INJECTIONS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "</style><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    '<a href="javascript:alert(1)">x</a>',
    "{{ 7 * 7 }} {% raw %}",
    "&lt;script&gt; &amp; <!-- -->",
    "<iframe srcdoc='<script>alert(1)</script>'>",
    "<meta http-equiv=refresh content=0;url=https://example.org>",
]


def hostile(text: str) -> Council:
    """The council with *text* in every text field the page shows."""
    thread = attrs.evolve(
        COUNCIL.thread,
        purpose=text,
        vision=text,
        priorities=(Priority(id="connected", name=text, description=text),),
        outcomes=(
            Outcome(id="help", name=text, priority="connected"),
            Outcome(id="lost", name=text, priority="missing"),
        ),
        big_moves=(BigMove(id="b", name=text, priorities=("connected",)),),
    )
    return attrs.evolve(
        COUNCIL,
        name=text,
        steering_group=text,
        values=(Value(id="voice", name=text, statement=text),),
        thread=thread,
        measures=(
            Measure(id="wellbeing", name=text, unit=text),
            Measure(id="waiting", name=text, unit=text),
        ),
    )


@pytest.mark.parametrize("text", INJECTIONS)
def test_every_text_is_escaped(text: str) -> None:
    council = hostile(text)
    context = ExportContext(
        council,
        [Figure("wellbeing", "m", "value", 5.0, 40, {"item": text}, kind="mean", people=True)],
        headlines={"wellbeing": "value"},
        date=DATE,
    )
    html = render(context)
    page = Page(html)
    assert [tag for tag, _ in page.tags if tag in {"script", "img", "svg", "iframe", "a"}] == []
    assert [tag for tag, _ in page.tags].count("meta") == 4
    for _, attributes in page.tags:
        assert not any(name.startswith("on") for name in attributes)
    # The text reads as it was written, everywhere it is shown.
    assert page.words.count(" ".join(text.split())) >= 12
    assert "49" not in page.words  # a template expression in the text is never evaluated


# -- sizing -----------------------------------------------------------------------------------


def test_a_council_that_fits_prints_at_full_size() -> None:
    assert print_scale(["x" * 100]) == FULL_POINTS
    assert print_scale(["x" * (FULL_SIZE_TEXT - 60)]) == FULL_POINTS
    assert print_scale(["x" * (4 * FULL_SIZE_TEXT - 60)]) == FULL_POINTS / 2


@given(st.lists(st.text(max_size=400), max_size=60), st.text(min_size=1, max_size=2000))
def test_more_text_never_prints_larger_and_never_below_the_smallest(
    texts: list[str], more: str
) -> None:
    size = print_scale(texts)
    larger = print_scale([*texts, more])
    assert larger <= size
    assert SMALLEST_POINTS <= larger <= FULL_POINTS


def bigger_council(council: Council, times: int) -> Council:
    """*council* with *times* as many values, priorities, outcomes, big moves and measures."""
    thread = council.thread
    values = tuple(attrs.evolve(v, id=f"{v.id}-{i}") for i in range(times) for v in council.values)
    priorities = tuple(
        attrs.evolve(p, id=f"{p.id}-{i}") for i in range(times) for p in thread.priorities
    )
    outcomes = tuple(
        attrs.evolve(o, id=f"{o.id}-{i}", priority=f"{o.priority}-{i}", measures=())
        for i in range(times)
        for o in thread.outcomes
    )
    moves = tuple(
        attrs.evolve(m, id=f"{m.id}-{i}", priorities=tuple(f"{p}-{i}" for p in m.priorities))
        for i in range(times)
        for m in thread.big_moves
    )
    measures = tuple(
        Measure(id=f"{m.id}-{i}", name=m.name, unit=m.unit)
        for i in range(times)
        for m in council.measures
    )
    thread = attrs.evolve(
        thread, priorities=priorities, outcomes=outcomes, big_moves=moves, design_principles=()
    )
    return attrs.evolve(
        council, values=values, thread=thread, measures=measures, projects=(), sources=()
    )
