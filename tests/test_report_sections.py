"""Plugins' report sections: each built in isolation, checked, and rendered escaped."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from socialcouncil import (
    Chart,
    Council,
    ExportContext,
    Figure,
    FigureTable,
    Heading,
    Paragraph,
    PluginWarning,
    ReportSection,
    hookimpl,
)
from socialcouncil.exporters.report import build_report, build_sections, render_html
from socialcouncil.exporters.report.markdown import render_markdown
from socialcouncil.plugins import isolated_registry
from tests.reporting import DAY, Page

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from socialcouncil.exporters.sections import Block

RAW = '<b onclick="steal()">bold</b><script>alert(1)</script>'


def good(context: ExportContext) -> Iterator[Block]:
    yield Heading("Where the timebank was busiest")
    yield Paragraph(f"{context.council.name} counted {len(context.figures)} figures.")
    figure = Figure(measure="m", model="x", indicator="hours", value=12.0, n=30)
    yield FigureTable(caption="Hours", columns=["Ward", "Hours"], rows=[["Elmdon", figure]])
    yield Chart(title="Hours by ward", figures=[figure], by="ward")


def raises(context: ExportContext) -> Iterator[Block]:
    yield Paragraph("a start")
    raise RuntimeError("the ledger is locked")


def not_a_block(context: ExportContext) -> list[Any]:
    return [Paragraph("fine"), "<p>raw</p>"]


def bad_cell(context: ExportContext) -> list[Any]:
    cells: list[Any] = [3.5]
    return [FigureTable(caption="T", columns=["a"], rows=[cells])]


def nothing(context: ExportContext) -> Any:
    return None


def raw_html(context: ExportContext) -> Iterable[Block]:
    return [Paragraph(RAW), Heading(RAW)]


def plugin(name: str, *sections: ReportSection) -> object:
    class Plugin:
        @staticmethod
        @hookimpl
        def register_report_sections() -> list[ReportSection]:
            return list(sections)

    Plugin.__name__ = name
    return Plugin


def registry_of(*builds: tuple[str, Any]) -> Any:
    return isolated_registry(
        *(
            plugin(f"plugin-{id_}", ReportSection(id=id_, title=id_.title(), build=b))
            for id_, b in builds
        ),
        builtins=False,
    )


CONTEXT = ExportContext(Council(name="Anytown"), date=DAY)


def test_a_good_section_is_built_with_its_blocks_and_plugin() -> None:
    (section,) = build_sections(CONTEXT, registry_of(("notes", good)))
    assert section.failure is None
    assert section.plugin == "plugin-notes"
    assert section.title == "Notes"
    assert [type(b).__name__ for b in section.blocks] == [
        "Heading",
        "Paragraph",
        "FigureTable",
        "Chart",
    ]
    assert section.blocks[1] == Paragraph("Anytown counted 0 figures.")


@pytest.mark.parametrize(
    ("build", "failure"),
    [
        (
            raises,
            (
                "plugin 'plugin-broken': the report section 'broken' failed: "
                "RuntimeError('the ledger is locked')"
            ),
        ),
        (
            not_a_block,
            (
                "plugin 'plugin-broken': the report section 'broken' yielded block [1] is str "
                "'<p>raw</p>'; expected a Heading, Paragraph, FigureTable or Chart"
            ),
        ),
        (
            bad_cell,
            (
                "plugin 'plugin-broken': the report section 'broken' yielded block [0] "
                "rows[0][0] is float 3.5; expected text or a Figure"
            ),
        ),
        (nothing, "plugin 'plugin-broken': the report section 'broken' failed: TypeError("),
    ],
)
def test_a_broken_section_fails_in_its_place_with_a_warning_and_the_others_stand(
    build: Any, failure: str
) -> None:
    registry = registry_of(("before", good), ("broken", build), ("after", good))
    with pytest.warns(PluginWarning) as warned:
        sections = build_sections(CONTEXT, registry)
    assert [s.id for s in sections] == list(registry.report_sections)
    by_id = {s.id: s for s in sections}
    before, broken, after = by_id["before"], by_id["broken"], by_id["after"]
    assert before.failure is None
    assert after.failure is None
    assert len(after.blocks) == 4
    assert broken.blocks == ()
    assert broken.failure is not None
    assert broken.failure.startswith(failure)
    assert [str(w.message) for w in warned] == [broken.failure]
    html = render_html(build_report(ExportContext(CONTEXT.council, sections=sections, date=DAY)))
    assert "This section could not be built" in Page(html).text


def test_raw_html_in_a_paragraph_comes_out_escaped() -> None:
    sections = build_sections(CONTEXT, registry_of(("raw", raw_html)))
    report = build_report(ExportContext(CONTEXT.council, sections=sections, date=DAY))
    html = render_html(report)
    page = Page(html)
    assert "script" not in page.tags
    assert "b" not in page.tags
    assert not any(name.startswith("on") for _, name, _ in page.attributes)
    assert page.text.count(RAW) == 2  # the heading and the paragraph, as text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    markdown = render_markdown(report)
    assert "<" not in markdown.replace("\\<", "")


def test_sections_are_placed_after_the_measures_and_before_the_sources() -> None:
    sections = build_sections(CONTEXT, registry_of(("notes", good)))
    report = build_report(ExportContext(CONTEXT.council, sections=sections, date=DAY))
    ids = [part.id for part in report.parts]
    assert ids.index("measures") < ids.index("section-notes") < ids.index("sources")
    part = report.parts[ids.index("section-notes")]
    assert part.plugin == "plugin-notes"
    text = Page(render_html(report)).text
    assert "Added by the plugin plugin-notes." in text
    assert "Where the timebank was busiest" in text


def test_text_that_says_it_is_safe_markup_is_escaped_all_the_same() -> None:
    from markupsafe import Markup

    sneaky = Markup('<a href="https://example.org/x">prize</a>')
    blocks: list[Block] = [
        Heading(sneaky),
        Paragraph(sneaky),
        FigureTable(sneaky, [sneaky], [[sneaky]]),
        Chart(sneaky, [], by=sneaky, description=sneaky),
    ]
    table = blocks[2]
    assert isinstance(table, FigureTable)
    texts = [table.caption, *table.columns, *table.rows[0]]
    assert not any(hasattr(text, "__html__") for text in texts)
    sections = build_sections(CONTEXT, registry_of(("sneaky", lambda _context: blocks)))
    report = build_report(ExportContext(CONTEXT.council, sections=sections, date=DAY))
    html = render_html(report)
    assert '<a href="https://example.org/x">' not in html
    assert "&lt;a href=&#34;https://example.org/x&#34;&gt;prize&lt;/a&gt;" in html
