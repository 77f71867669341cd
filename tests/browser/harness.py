"""Opening a page in the test run's one browser, and recording everything it does.

Every request a page makes is routed: the page's own file is served, and anything else is
recorded and refused, so that a page that reaches for the network fails its test and sends
nothing. Console errors, uncaught exceptions and dialogs (``alert``, ``confirm``, ``prompt``)
are recorded too.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tests.browser.chromium import AXE

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import (
        Browser,
        BrowserContext,
        ConsoleMessage,
        Dialog,
        Page,
        Request,
        Route,
    )

# What the council must meet: WCAG 2.2 AA, with every earlier level it includes.
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")

# A3 landscape, in PDF points (1/72 inch): 420 mm by 297 mm.
A3_LANDSCAPE = (420 / 25.4 * 72, 297 / 25.4 * 72)


# The focused element: where it is, how its focus shows, and whether anything covers it (WCAG
# 2.4.7 Focus Visible and 2.4.11 Focus Not Obscured), tested at the middle of its visible part.
FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body || e === document.documentElement) return null;
  const path = [];
  for (let n = e; n && n.parentElement; n = n.parentElement) {
    path.unshift(`${n.localName}:nth-child(${[...n.parentElement.children].indexOf(n) + 1})`);
  }
  const style = getComputedStyle(e);
  const r = e.getBoundingClientRect();
  const left = Math.max(r.left, 0), right = Math.min(r.right, innerWidth);
  const top = Math.max(r.top, 0), bottom = Math.min(r.bottom, innerHeight);
  const seen = right > left && bottom > top
    ? document.elementFromPoint((left + right) / 2, (top + bottom) / 2) : null;
  return {
    path: path.join(' > '),
    html: e.outerHTML.slice(0, 120),
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
    shadow: style.boxShadow !== 'none',
    visible: seen !== null && (seen === e || e.contains(seen)),
  };
}"""


@dataclass
class Visit:
    """One page opened in the browser, with what it did so far."""

    page: Page
    url: str
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def scroll_width(self) -> int:
        """How wide the page's content is, in CSS pixels: wider than the window overflows."""
        width: int = self.page.evaluate("document.documentElement.scrollWidth")
        return width

    def injected(self) -> object:
        """What an injected script left in ``window.__injected``, or ``None`` if none ran."""
        return self.page.evaluate("window.__injected === undefined ? null : window.__injected")

    def axe(self) -> list[dict[str, Any]]:
        """The WCAG 2.2 AA violations axe-core finds in the page (the context must bypass CSP)."""
        self.page.add_script_tag(path=AXE)
        results: dict[str, Any] = self.page.evaluate(
            # Only the violations are wanted: axe then leaves out the details of every node
            # that passed, which on the report are thousands.
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
            " resultTypes: ['violations']})",
            list(WCAG_TAGS),
        )
        violations: list[dict[str, Any]] = results["violations"]
        return violations

    def tab_through(self, limit: int = 500) -> list[dict[str, Any]]:
        """Press Tab from the top of the page until focus comes back round (or *limit* times),
        and say of each element focused how it shows its focus and whether it can be seen."""
        stops: list[dict[str, Any]] = []
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            stop: dict[str, Any] | None = self.page.evaluate(FOCUSED)
            if stop is None or (stops and stop["path"] == stops[0]["path"]):
                break
            stops.append(stop)
        return stops

    def pdf(self) -> bytes:
        """The page printed, at the page size its print CSS asks for."""
        return self.page.pdf(prefer_css_page_size=True, print_background=True)

    def trouble(self) -> list[str]:
        """Everything the page did that a published page must not: requests, errors, dialogs."""
        return [
            *(f"request: {url}" for url in self.requests),
            *(f"console error: {text}" for text in self.console_errors),
            *(f"dialog: {message}" for message in self.dialogs),
        ]


class Browsing:
    """Opens pages in the run's one browser, each in a fresh context closed after the test."""

    def __init__(self, browser: Browser) -> None:
        self.browser = browser
        self._contexts: list[BrowserContext] = []

    def open(
        self, path: Path, *, width: int = 1280, height: int = 800, bypass_csp: bool = False
    ) -> Visit:
        """Open the file at *path* at *width* CSS pixels, recording what it does.

        With *bypass_csp*, the page's Content-Security-Policy is not enforced: only for
        injecting axe-core, or for showing that escaping alone keeps injected scripts out.
        """
        context = self.browser.new_context(
            viewport={"width": width, "height": height},
            bypass_csp=bypass_csp,
            service_workers="block",
        )
        self._contexts.append(context)
        page = context.new_page()
        visit = Visit(page=page, url=path.resolve().as_uri())

        def route(route: Route) -> None:
            if route.request.url == visit.url:
                route.continue_()
            else:
                visit.requests.append(route.request.url)
                route.abort("blockedbyclient")

        def request(request: Request) -> None:
            # Requests that routing does not see (such as some file: and data: loads).
            if request.url not in (visit.url, *visit.requests) and not request.url.startswith(
                "data:"
            ):
                visit.requests.append(request.url)

        def console(message: ConsoleMessage) -> None:
            if message.type == "error":
                visit.console_errors.append(message.text)

        def dialog(dialog: Dialog) -> None:
            visit.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        context.route("**/*", route)
        page.on("request", request)
        page.on("console", console)
        page.on("pageerror", lambda error: visit.console_errors.append(f"uncaught: {error}"))
        page.on("dialog", dialog)
        page.goto(visit.url, wait_until="load")
        return visit

    def close(self) -> None:
        """Close every context this test opened."""
        while self._contexts:
            self._contexts.pop().close()


def pdf_pages(data: bytes) -> list[tuple[float, float]]:
    """The width and height, in points, of each page of a PDF."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return [(float(page.mediabox.width), float(page.mediabox.height)) for page in reader.pages]


def describe(violations: list[dict[str, Any]]) -> str:
    """axe-core's violations as a reader can act on them: rule, help, and each node."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"  at {json.dumps(node['target'])}: {node['html'][:200]}")
            lines.append(f"    {node['failureSummary']}".replace("\n", "\n    "))
    return "\n".join(lines)
