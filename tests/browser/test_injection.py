"""Texts that try to run a script, in every text of a council, its data and a plugin's section.

The pages are opened twice: as published, with the Content-Security-Policy that forbids
scripts, and with that policy bypassed, to show that escaping alone keeps every one of them
text. Either way no script runs, no dialog opens, nothing is fetched, and the texts are shown.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

import attrs
import pytest

import socialcouncil
from socialcouncil import Chart, FigureTable, Heading, Paragraph, ReportSection, hookimpl
from socialcouncil.plugins import isolated_registry
from tests.browser.pages import PAGES, write
from tests.conftest import EXAMPLES

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from pathlib import Path

    from socialcouncil import Block, Council, ExportContext
    from tests.browser.harness import Browsing

# Each sets window.__injected to its own name and opens a dialog, should it ever run.
CORPUS = (
    "<script>window.__injected='script';alert('script')</script>",
    "\"><img src=x onerror=\"window.__injected='img';alert('img')\">",
    "'><svg onload=\"window.__injected='svg';alert('svg')\"></svg>",
    "javascript:window.__injected='url';alert('url')",
    "<a href=\"javascript:window.__injected='href'\">a link</a>",
    "</title><script>window.__injected='title'</script>",
    "</style><script>window.__injected='style'</script>",
    "<iframe srcdoc=\"<script>parent.__injected='iframe'</script>\"></iframe>",
    '<img src="https://example.invalid/tracker.png" alt="a tracker">',
    "<body onload=\"window.__injected='body'\">",
    "<math><mtext><table><mglyph><style><img src=x onerror=\"window.__injected='mxss'\">",
    "{{ 7 * 7 }} {% raw %} ${7*7}",
)

# Everything in the page that could run a script or fetch something.
ACTIVE = """() => {
  const all = [...document.querySelectorAll('*')];
  return [
    ...[...document.scripts].map(s => 'script: ' + s.outerHTML.slice(0, 80)),
    ...[...document.querySelectorAll('iframe, object, embed, base, link[href]')]
      .map(e => 'element: ' + e.outerHTML.slice(0, 80)),
    ...all.flatMap(e => [...e.attributes]
      .filter(a => a.name.startsWith('on')
        || (/^(href|src|action|formaction|xlink:href)$/.test(a.name)
            && /^\\s*javascript:/i.test(a.value)))
      .map(a => `attribute ${a.name} on <${e.localName}>`)),
  ];
}"""


def injected(item: Any, corpus: Iterator[str], count: list[str]) -> Any:
    """*item* with a string of *corpus* in every text field that takes one, recursively."""
    if not attrs.has(type(item)):
        return item
    changes: dict[str, Any] = {}
    for field in attrs.fields(type(item)):
        if not field.init:
            continue
        value = getattr(item, field.name)
        if isinstance(value, str):
            text = next(corpus)
            try:
                attrs.evolve(item, **{field.alias: text})
            except (ValueError, TypeError):
                continue  # an id, a date or a choice from a list: not free text
            changes[field.alias] = text
            count.append(f"{type(item).__name__}.{field.name}")
        elif isinstance(value, tuple):
            changes[field.alias] = tuple(injected(member, corpus, count) for member in value)
        elif attrs.has(type(value)):
            changes[field.alias] = injected(value, corpus, count)
    return attrs.evolve(item, **changes)


class InjectingPlugin:
    """A plugin whose report section is made of the corpus."""

    @hookimpl
    def register_report_sections(self) -> list[ReportSection]:
        def build(context: ExportContext) -> Iterable[Block]:
            figures = context.figures[:3]
            texts = itertools.cycle(CORPUS)
            return [
                Heading(next(texts)),
                *(Paragraph(text) for text in CORPUS),
                FigureTable(
                    caption=next(texts),
                    columns=(next(texts), next(texts)),
                    rows=[(next(texts), figure) for figure in figures],
                ),
                Chart(title=next(texts), figures=figures, by=next(texts), description=next(texts)),
            ]

        return [ReportSection(id="injected", title=f"Plugin section {CORPUS[0]}", build=build)]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The Solihull example's pages with the corpus in every text and in its wards' names."""
    import polars as pl

    council = socialcouncil.load(EXAMPLES / "solihull.toml")
    survey = pl.read_csv(EXAMPLES / "data" / "residents-survey.csv", infer_schema=False)
    wards = sorted(survey["Ward"].unique())
    names = {
        ward: f"Ward {i} {text}"
        for i, (ward, text) in enumerate(zip(wards, itertools.cycle(CORPUS)))
    }
    survey = survey.with_columns(pl.col("Ward").replace_strict(names))
    registry = isolated_registry(InjectingPlugin())
    measurement = socialcouncil.measure(
        council, {"residents-survey": survey}, base=EXAMPLES, registry=registry
    )
    fields: list[str] = []
    hostile: Council = injected(council, itertools.cycle(CORPUS), fields)
    # The texts a council writes are all reached: its own, its thread's, its projects'.
    assert len(fields) > 40
    assert {"Council.name", "Value.statement", "GoldenThread.purpose", "Project.title"} <= set(
        fields
    )
    folder = tmp_path_factory.mktemp("hostile")
    return {to: write(hostile, to, folder / f"{to}.html", measurement, registry) for to in PAGES}


@pytest.mark.parametrize("to", PAGES)
@pytest.mark.parametrize("policy", ["enforced", "bypassed"])
def test_no_injected_text_runs_fetches_or_becomes_markup(
    browsing: Browsing, hostile: dict[str, Path], to: str, policy: str
) -> None:
    visit = browsing.open(hostile[to], bypass_csp=policy == "bypassed")
    assert visit.injected() is None
    assert visit.trouble() == []
    assert visit.page.evaluate(ACTIVE) == []
    # Shown as the text it is, not dropped.
    shown = visit.page.inner_text("body")
    assert "<script>window.__injected='script'" in shown
    if to == "html":
        # From a data source (the wards of the survey's breakdowns) and from a plugin.
        assert f"Ward 0 {CORPUS[0]}" in shown
        assert f"Plugin section {CORPUS[0]}" in shown
