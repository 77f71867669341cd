"""One browser for the whole test run; each test opens its pages in contexts of its own."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.browser.chromium import launch, missing
from tests.browser.harness import Browsing

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Chromium, started once for every browser test of the run."""
    if (lacking := missing()) is not None:
        pytest.fail(lacking, pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


@pytest.fixture
def browsing(browser: Browser) -> Iterator[Browsing]:
    """Opens pages for one test and closes them after it."""
    opened = Browsing(browser)
    yield opened
    opened.close()
