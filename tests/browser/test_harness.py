"""The browser checks catch what they are there to catch, shown on small pages of their own.

The report's tests pass when the browser finds nothing wrong; these make sure that finding
nothing means something: each check, given a page with the fault it looks for, finds it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.browser.harness import A3_LANDSCAPE, describe, pdf_pages

if TYPE_CHECKING:
    from pathlib import Path

    from tests.browser.harness import Browsing

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def page(folder: Path, body: str, *, head: str = "", csp: bool = True) -> Path:
    path = folder / "page.html"
    policy = f'<meta http-equiv="Content-Security-Policy" content="{CSP}">' if csp else ""
    path.write_text(
        f'<!doctype html><html lang="en"><head><meta charset="utf-8">{policy}'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>A test page</title>{head}</head><body><main><h1>A test page</h1>{body}"
        "</main></body></html>",
        encoding="utf-8",
    )
    return path


def test_a_clean_page_shows_no_trouble_and_no_violations(
    browsing: Browsing, tmp_path: Path
) -> None:
    path = page(tmp_path, "<p>Nothing but text.</p>")
    visit = browsing.open(path)
    assert visit.trouble() == []
    assert visit.injected() is None
    checked = browsing.open(path, bypass_csp=True)
    assert checked.axe() == []


def test_every_request_beyond_the_page_is_recorded_and_refused(
    browsing: Browsing, tmp_path: Path
) -> None:
    (tmp_path / "beside.css").write_text("p { color: red }", encoding="utf-8")
    path = page(
        tmp_path,
        '<img alt="x" src="https://example.invalid/picture.png">',
        head='<link rel="stylesheet" href="beside.css">',
        csp=False,
    )
    visit = browsing.open(path)
    assert "https://example.invalid/picture.png" in visit.requests
    assert (tmp_path / "beside.css").as_uri() in visit.requests
    # The stylesheet beside the page was refused, not applied.
    colour = visit.page.evaluate("getComputedStyle(document.querySelector('h1')).color")
    assert colour != "rgb(255, 0, 0)"


def test_console_errors_dialogs_and_injected_scripts_are_recorded(
    browsing: Browsing, tmp_path: Path
) -> None:
    path = page(
        tmp_path,
        "<script>console.error('broken'); window.__injected = 'ran'; alert('hello');</script>"
        "<script>undefinedFunction();</script>",
        csp=False,
    )
    visit = browsing.open(path)
    assert visit.injected() == "ran"
    assert "alert: hello" in visit.dialogs
    assert "broken" in visit.console_errors
    assert any("undefinedFunction" in error for error in visit.console_errors)


def test_the_content_security_policy_is_enforced_unless_bypassed(
    browsing: Browsing, tmp_path: Path
) -> None:
    path = page(tmp_path, "<script>window.__injected = 'ran';</script>")
    enforced = browsing.open(path)
    assert enforced.injected() is None
    # Chromium reports the refused script on the console.
    assert any("Content Security Policy" in error for error in enforced.console_errors)
    assert browsing.open(path, bypass_csp=True).injected() == "ran"


def test_axe_reports_each_violation_with_its_nodes(browsing: Browsing, tmp_path: Path) -> None:
    path = page(
        tmp_path,
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
        '<p style="color:#aaa;background:#fff">Faint text</p>',
    )
    violations = browsing.open(path, bypass_csp=True).axe()
    assert {v["id"] for v in violations} == {"image-alt", "color-contrast"}
    report = describe(violations)
    assert "image-alt (critical)" in report
    assert "Faint text" in report


@pytest.mark.parametrize(("width", "overflows"), [(390, True), (1280, False)])
def test_horizontal_overflow_is_measured_at_the_window_width(
    browsing: Browsing, tmp_path: Path, width: int, overflows: bool
) -> None:
    path = page(tmp_path, '<div style="width:600px">A wide block</div>')
    visit = browsing.open(path, width=width)
    assert (visit.scroll_width() > width) is overflows


def test_print_css_sets_the_page_size_and_the_pdf_tells_the_pages(
    browsing: Browsing, tmp_path: Path
) -> None:
    style = "<style>@page { size: A3 landscape; margin: 10mm }</style>"
    short = browsing.open(page(tmp_path, "<p>One page.</p>", head=style)).pdf()
    assert len(pdf_pages(short)) == 1
    (width, height), expected = pdf_pages(short)[0], A3_LANDSCAPE
    assert width == pytest.approx(expected[0], abs=1)
    assert height == pytest.approx(expected[1], abs=1)
    tall = '<div style="height:2000mm">Too tall for one page</div>'
    long = browsing.open(page(tmp_path, tall, head=style)).pdf()
    assert len(pdf_pages(long)) > 1


def test_tabbing_finds_focus_that_does_not_show_or_is_covered(
    browsing: Browsing, tmp_path: Path
) -> None:
    style = (
        "<style>#hidden:focus{outline:none}"
        "header{position:fixed;top:0;left:0;right:0;height:100vh;background:#fff}</style>"
    )
    body = (
        '<a id="shown" href="#a">Shown</a> <a id="hidden" href="#b">Hidden</a>'
        '<header><a id="covering" href="#c">On top</a></header>'
    )
    stops = browsing.open(page(tmp_path, body, head=style)).tab_through()
    found = {stop["html"].split('"')[1]: stop for stop in stops}
    assert list(found) == ["shown", "hidden", "covering"]
    assert found["shown"]["outline"]
    assert not found["shown"]["visible"]  # the fixed header covers the page below it
    assert not found["hidden"]["outline"]
    assert not found["hidden"]["shadow"]
    assert found["covering"]["visible"]
