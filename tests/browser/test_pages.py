"""The bundled examples' report and strategy on a page, as a reader's browser shows them.

Each page is written once for the module from the example's own data, then opened in the run's
one browser: on a phone (390 CSS pixels) and on a desktop (1280). Published pages make no
requests, log no errors, never scroll sideways, meet WCAG 2.2 AA by axe-core's rules, and
print: the strategy on a page to exactly one A3 landscape sheet.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs
import pytest

from socialcouncil import load
from tests.browser.harness import A3_LANDSCAPE, describe, pdf_pages
from tests.browser.pages import COUNCILS, LONG_TEXT, PAGES, history, measured, twice, write
from tests.conftest import EXAMPLES

if TYPE_CHECKING:
    from pathlib import Path

    from socialcouncil import Council
    from tests.browser.harness import Browsing

WIDTHS = (390, 1280)
PUBLISHED = [pytest.param(c, p, id=f"{c}-{p}") for c in COUNCILS for p in PAGES]


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """Every page of every bundled example, by (council, exporter)."""
    folder = tmp_path_factory.mktemp("published")
    pages = {}
    for name in COUNCILS:
        council, measurement = measured(name)
        for to in PAGES:
            pages[name, to] = write(council, to, folder / f"{name}-{to}.html", measurement)
    return pages


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("council", "to"), PUBLISHED)
def test_the_page_is_self_contained_quiet_and_fits_the_width(
    browsing: Browsing,
    published: dict[tuple[str, str], Path],
    council: str,
    to: str,
    width: int,
) -> None:
    visit = browsing.open(published[council, to], width=width)
    assert visit.trouble() == []
    assert visit.scroll_width() <= width


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("council", "to"), PUBLISHED)
def test_the_page_meets_wcag_2_2_aa(
    browsing: Browsing,
    published: dict[tuple[str, str], Path],
    council: str,
    to: str,
    width: int,
) -> None:
    violations = browsing.open(published[council, to], width=width, bypass_csp=True).axe()
    assert violations == [], describe(violations)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("council", "to"), PUBLISHED)
def test_every_stop_of_the_keyboard_shows_its_focus_uncovered(
    browsing: Browsing,
    published: dict[tuple[str, str], Path],
    council: str,
    to: str,
    width: int,
) -> None:
    stops = browsing.open(published[council, to], width=width).tab_through()
    unseen = [s["html"] for s in stops if not (s["outline"] or s["shadow"]) or not s["visible"]]
    assert unseen == []
    if to == "html":
        # The first stop skips to the content (WCAG 2.4.1 Bypass Blocks).
        assert stops, "nothing on the report can be reached with the keyboard"
        assert 'href="#' in stops[0]["html"]


def one_a3_landscape_page(pdf: bytes) -> None:
    pages = pdf_pages(pdf)
    assert len(pages) == 1, f"printed on {len(pages)} pages"
    (width, height), (a3_width, a3_height) = pages[0], A3_LANDSCAPE
    assert width == pytest.approx(a3_width, abs=1)
    assert height == pytest.approx(a3_height, abs=1)


@pytest.mark.parametrize("council", COUNCILS)
def test_the_strategy_on_a_page_prints_on_one_a3_landscape_page(
    browsing: Browsing, published: dict[tuple[str, str], Path], council: str
) -> None:
    visit = browsing.open(published[council, "strategy-on-a-page"])
    one_a3_landscape_page(visit.pdf())
    assert visit.trouble() == []


def test_the_strategy_of_a_council_eight_times_the_size_is_scaled_down_onto_one_page(
    browsing: Browsing, tmp_path: Path
) -> None:
    from socialcouncil.exporters.strategy import FULL_POINTS
    from tests.test_strategy import bigger_council

    solihull = load(EXAMPLES / "solihull.toml")
    bigger = bigger_council(solihull, 8)
    path = write(bigger, "strategy-on-a-page", tmp_path / "strategy.html", None)
    assert f"font-size: {FULL_POINTS}pt" not in path.read_text(encoding="utf-8")
    visit = browsing.open(path)
    one_a3_landscape_page(visit.pdf())
    assert visit.trouble() == []


def test_the_strategy_of_a_council_twice_the_size_still_prints_on_one_page(
    browsing: Browsing, tmp_path: Path
) -> None:
    bigger, measurement = measured("solihull", twice)
    assert len(bigger.projects) == 2 * len(load(EXAMPLES / "solihull.toml").projects)
    path = write(bigger, "strategy-on-a-page", tmp_path / "strategy.html", measurement)
    visit = browsing.open(path)
    one_a3_landscape_page(visit.pdf())
    assert visit.trouble() == []


@pytest.mark.parametrize("council", COUNCILS)
def test_the_report_prints_on_pages_of_one_size(
    browsing: Browsing, published: dict[tuple[str, str], Path], council: str
) -> None:
    visit = browsing.open(published[council, "html"])
    pages = pdf_pages(visit.pdf())
    assert len(pages) > 1  # the whole report, not a cut-off first page
    assert len(set(pages)) == 1
    assert visit.trouble() == []


LONG_WORD = "https://www.solihull.gov.uk/" + "co-production-and-social-council-" * 4 + "evidence"


def long_words(council: Council) -> Council:
    """*council* with a long unbroken word (an address) in the texts a phone must wrap."""
    value, *values = council.values
    project, *projects = council.projects
    return attrs.evolve(
        council,
        values=(attrs.evolve(value, name=f"{value.name} {LONG_WORD}"), *values),
        projects=(attrs.evolve(project, title=LONG_WORD, summary=LONG_WORD), *projects),
        thread=attrs.evolve(council.thread, purpose=LONG_WORD),
    )


@pytest.mark.parametrize("to", PAGES)
def test_a_long_unbroken_word_wraps_on_a_phone(browsing: Browsing, tmp_path: Path, to: str) -> None:
    council, measurement = measured("solihull")
    path = write(long_words(council), to, tmp_path / "page.html", measurement)
    visit = browsing.open(path, width=390)
    assert LONG_WORD in visit.page.inner_text("body")
    assert visit.scroll_width() <= 390


@pytest.fixture(scope="module")
def remembered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Solihull report with trends across two earlier runs and a learning log."""
    council, measurement = measured("solihull")
    runs, log = history(council, measurement)
    folder = tmp_path_factory.mktemp("remembered")
    return write(council, "html", folder / "report.html", measurement, runs=runs, log=log)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_report_with_trends_and_a_log_is_quiet_fits_and_meets_wcag_2_2_aa(
    browsing: Browsing, remembered: Path, width: int
) -> None:
    visit = browsing.open(remembered, width=width)
    text = visit.page.inner_text("body")
    assert "Trends across runs" in text
    assert LONG_TEXT.split(";", maxsplit=1)[0] in " ".join(text.split())
    assert "<b>Not bold</b>" in text
    # The gap of a suppressed stored figure is drawn as [c], with no point.
    assert visit.page.locator("#trends svg text.gap").count() >= 1
    assert visit.trouble() == []
    assert visit.scroll_width() <= width
    violations = browsing.open(remembered, width=width, bypass_csp=True).axe()
    assert violations == [], describe(violations)
