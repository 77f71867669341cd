"""Nothing a council, a source or a plugin writes is read as markup, and no suppressed value shows.

A corpus of script-injection strings goes into every text field of a council, a source's
location, a plugin's section and the dimension values of figures; the HTML page must hold no
script, no event handler and no ``javascript:`` URL, and the Markdown must show each string
as the characters it is.
"""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING

import attrs
import pytest
from markdown_it import MarkdownIt

import socialcouncil
from socialcouncil import (
    SUPPRESSED,
    BigMove,
    Calibration,
    Chart,
    Continuum,
    Council,
    DesignPrinciple,
    FigureTable,
    GoldenThread,
    Heading,
    Level,
    Measure,
    Observation,
    Outcome,
    Paragraph,
    Priority,
    Project,
    PublishingSettings,
    Result,
    Section,
    SourceRecord,
    Value,
)
from socialcouncil.exporters.disclosure import disclose
from socialcouncil.exporters.report import build_report, render_html, render_markdown
from tests.reporting import Page, context_of

if TYPE_CHECKING:
    from socialcouncil.exporters import ExportContext

CORPUS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "javascript:alert(1)",
    "[click](javascript:alert(1))",
    "<a href=\"javascript:alert('x')\">x</a>",
    "</title><script>alert(1)</script>",
    "</style><script>alert(1)</script>",
    "<iframe src=//evil.example></iframe>",
    "<!-- comment --><b onmouseover=alert(1)>b</b>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "{{ 7 * 7 }} {% raw %}",
    "![x](https://evil.example/x.png)",
    "<https://evil.example>",
    "`code` **bold** _it_ ~~gone~~",
    "# not a heading",
    "| not | a | table |",
    "1. not a list",
    "- not a list either",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
]


def hostile_council(payload: str) -> Council:
    """A council with *payload* in every text field it has."""
    levels = [
        Level(id="low", label=payload, description=payload, group=payload),
        Level(id="high", label=payload + " 2", description=payload),
    ]
    continuum = Continuum(
        id="scale", name=payload, levels=levels, description=payload, source=payload
    )
    return Council(
        name=payload,
        gss_code=payload,
        steering_group=payload,
        values=[Value(id="v", name=payload, statement=payload, teachable_point_of_view=payload)],
        thread=GoldenThread(
            purpose=payload,
            vision=payload,
            priorities=[Priority(id="p", name=payload, description=payload)],
            outcomes=[Outcome(id="o", name=payload, priority="p", measures=["m"])],
            design_principles=[DesignPrinciple(id="d", statement=payload)],
            big_moves=[BigMove(id="b", name=payload, priorities=["p"], description=payload)],
        ),
        continua=[continuum],
        measures=[
            Measure(
                id="m",
                name=payload,
                unit=payload,
                description=payload,
                outcomes=["o"],
                observations=[
                    Observation(period="2024", value=12, area=payload),
                    Observation(period="2025", value=14, area=payload),
                ],
            )
        ],
        projects=[
            Project(
                id="x",
                title=payload,
                summary=payload,
                owner=payload,
                priorities=["p"],
                values=["v"],
                continuum="scale",
                target_level="high",
                calibrations=[
                    Calibration(
                        date=datetime.date(2025, 1, 1),
                        level="low",
                        assessor=payload,
                        evidence=payload,
                    )
                ],
            ),
            Project(id="y", title=payload + " 3", continuum=payload.strip() and "missing"),
        ],
    )


def hostile_context(payload: str) -> ExportContext:
    council = hostile_council(payload)
    measurement = socialcouncil.measure(council)
    figures = [
        Result(
            model="plugin",
            indicator=payload,
            value=3.0,
            dimensions={payload: payload},
            measure="m",
        )
    ]
    section = Section(
        id="plugin-notes",
        title=payload,
        plugin=payload,
        blocks=[
            Heading(payload),
            Paragraph(payload),
            FigureTable(caption=payload, columns=[payload, "Figure"], rows=[[payload, payload]]),
            Chart(
                title=payload,
                figures=disclose(figures, PublishingSettings()),
                by=payload,
                description=payload,
            ),
        ],
    )
    failed = Section(id="broken", title=payload, plugin=payload, failure=payload)
    source = SourceRecord(id="s", type="csv", location=payload, fingerprint=payload, rows=1)
    return context_of(council, measurement, sections=[section, failed], sources=[source])


URL_ATTRIBUTES = {
    "src", "srcset", "action", "formaction", "xlink:href", "data", "poster", "background",
    "ping", "style",
}  # fmt: skip
ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "a", "header", "nav", "main", "footer",
    "section", "article", "h1", "h2", "h3", "p", "strong", "ol", "ul", "li", "dl", "div", "dt",
    "dd", "span", "figure", "figcaption", "svg", "desc", "line", "rect", "text", "polyline",
    "circle", "details", "summary", "table", "caption", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


@pytest.mark.parametrize("payload", CORPUS)
def test_no_text_anywhere_is_read_as_html(payload: str) -> None:
    html = render_html(build_report(hostile_context(payload)))
    page = Page(html)
    assert set(page.tags) <= ALLOWED_TAGS
    assert page.tags.count("style") == 1
    assert page.comments == []
    for tag, name, value in page.attributes:
        assert not name.startswith("on"), (tag, name, value)
        # No attribute that loads or follows a URL holds one, except links within the page.
        assert name not in URL_ATTRIBUTES, (tag, name, value)
        if name == "href":
            assert re.fullmatch(r"#[a-z0-9-]+", value), value
    # The payload is there, as text, wherever it was put.
    assert page.text.count(" ".join(payload.split())) >= 30
    assert "49" not in page.text  # nothing was evaluated as a template


commonmark = MarkdownIt("commonmark").enable("table")


@pytest.mark.parametrize("payload", CORPUS)
def test_no_text_anywhere_is_read_as_markdown_or_passes_as_html(payload: str) -> None:
    markdown = render_markdown(build_report(hostile_context(payload)))
    page = Page(commonmark.render(markdown))
    assert set(page.tags) <= {
        "h1", "h2", "h3", "p", "strong", "em", "ul", "ol", "li", "table", "thead", "tbody",
        "tr", "th", "td",
    }  # fmt: skip
    assert page.attributes == []
    assert page.text.count(" ".join(payload.split())) >= 30


# -- suppression --------------------------------------------------------------------------------

SECRET = 4.0  # the count of people the small ward holds: never shown
SECRET_MEAN = 17.3125  # its mean: never shown


def small_numbers_context() -> ExportContext:
    council = Council(
        name="Anytown",
        measures=[
            Measure(id="members", name="Members", unit="people", model="m", by=["ward"]),
            Measure(id="score", name="Score", unit="score", model="s", by=["ward"]),
        ],
    )
    results = [
        Result("m", "people", 141.0, people=True, measure="members", n=141, kind="count"),
        *(
            Result(
                "m",
                "people",
                value,
                {"ward": ward},
                people=True,
                measure="members",
                n=int(value),
                kind="count",
            )
            for ward, value in [("Elmdon", 80.0), ("Knowle", 57.0), ("Tiny", SECRET)]
        ),
        Result("s", "mean", 20.5, people=True, measure="score", n=141, kind="mean"),
        Result(
            "s", "mean", 21.0, {"ward": "Elmdon"}, people=True, measure="score", n=80, kind="mean"
        ),
        Result(
            "s", "mean", SECRET_MEAN, {"ward": "Tiny"}, people=True, measure="score", n=4,
            kind="mean",
        ),
    ]  # fmt: skip
    context = context_of(council)
    return attrs.evolve(
        context,
        figures=disclose(results, council.publishing),
        headlines={"members": "people", "score": "mean"},
        breakdowns={"members": ("ward",), "score": ("ward",)},
    )


def test_suppressed_figures_show_c_and_never_their_values() -> None:
    context = small_numbers_context()
    hidden = [f for f in context.figures if f.suppressed is not None]
    # Tiny is suppressed as it stands; Knowle too, or Tiny could be worked out from the total.
    assert {(f.dimensions.get("ward"), f.suppressed) for f in hidden} >= {
        ("Tiny", "primary"),
        ("Knowle", "secondary"),
    }
    html = render_html(build_report(context))
    markdown = Page(commonmark.render(render_markdown(build_report(context)))).text
    for shown in (html, markdown):
        assert SUPPRESSED in shown
        for secret in ["17.31", "17.3", "57", ">4<", " 4 "]:
            assert secret not in shown, secret
    text = Page(html).text
    assert "Stands on fewer than 10 people." in text
    assert "Could be worked out from a published total and the figures beside it." in text
    assert "80" in text  # the published figures are there


def test_the_report_lists_each_suppressed_figure_with_why() -> None:
    context = small_numbers_context()
    part = next(p for p in build_report(context).parts if p.id == "suppressed")
    table = next(b for b in part.blocks if isinstance(b, FigureTable))
    hidden = [f for f in context.figures if f.suppressed is not None]
    assert len(table.rows) == len(hidden)
    assert ("Members", "people", "ward: Tiny", "Stands on fewer than 10 people.") in table.rows
