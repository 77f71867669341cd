"""Helpers for the report's tests: contexts built as an export builds them, and an HTML reader."""

from __future__ import annotations

import datetime
import functools
from html.parser import HTMLParser
from typing import TYPE_CHECKING

import socialcouncil
from socialcouncil.exporters import ExportContext, SourceRecord
from socialcouncil.exporters.disclosure import disclose
from tests.conftest import EXAMPLES

if TYPE_CHECKING:
    from collections.abc import Sequence

    from socialcouncil import Council, Measurement
    from socialcouncil.exporters.sections import Section

DAY = datetime.date(2026, 1, 31)


@functools.cache
def measured(name: str) -> tuple[Council, Measurement]:
    """A bundled example, measured once per test run."""
    council = socialcouncil.load(EXAMPLES / f"{name}.toml")
    return council, socialcouncil.measure(council, base=EXAMPLES)


def context_of(
    council: Council,
    measurement: Measurement | None = None,
    *,
    sections: Sequence[Section] = (),
    sources: Sequence[SourceRecord] | None = None,
) -> ExportContext:
    """The context a published report of *council* is written from, dated :data:`DAY`."""
    results = measurement.results if measurement is not None else ()
    if sources is None and measurement is not None:
        sources = [
            SourceRecord(
                id=source.id,
                type=source.type,
                location=source.location or "",
                fingerprint=table.fingerprint,
                rows=None,
            )
            for source in council.sources
            if (table := measurement.tables.get(source.id)) is not None
        ]
    return ExportContext(
        council,
        disclose(results, council.publishing),
        headlines=measurement.headlines if measurement is not None else {},
        breakdowns=measurement.breakdowns if measurement is not None else {},
        unmeasured=measurement.unmeasured if measurement is not None else (),
        sources=sources or (),
        sections=sections,
        continua=council.usable_continua(socialcouncil.registered_continua()),
        date=DAY,
    )


class Page(HTMLParser):
    """Every tag, attribute and piece of text of an HTML page, as a browser's parser finds them."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []
        self.texts: list[str] = []
        self.comments: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [(tag, name, value or "") for name, value in attrs]

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        self.texts.append(data)

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)

    @property
    def text(self) -> str:
        """The page's text, with its white space collapsed."""
        return " ".join(" ".join(self.texts).split())
