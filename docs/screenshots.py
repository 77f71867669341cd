"""Write the screenshots of the Solihull report that the docs show.

Run ``make screenshots`` (or ``.venv/bin/python docs/screenshots.py`` once ``make browser`` has
installed Chromium). It measures the bundled Solihull example, writes its HTML report, opens it
in headless Chromium and writes two PNG files to ``docs/_static/``:

- ``report-390.png``: the report on a phone, 390 CSS pixels wide, from the top down to
  ``PHONE_HEIGHT`` pixels (the whole page is many screens long);
- ``report-1280.png``: the first screen of the report on a desktop, 1280 by 800 pixels.

The report is dated ``DATE`` so that the same code and data give the same pictures.
"""

from __future__ import annotations

import datetime
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "docs" / "examples"
STATIC = ROOT / "docs" / "_static"
DATE = datetime.date(2026, 4, 1)
PHONE_HEIGHT = 2400

sys.path.insert(0, str(ROOT))


def write_report(destination: Path) -> Path:
    """Measure the Solihull example and write its HTML report to *destination*."""
    import socialcouncil

    council = socialcouncil.load(EXAMPLES / "solihull.toml")
    measurement = socialcouncil.measure(council, base=EXAMPLES)
    return socialcouncil.export(
        council, "html", destination, measurement=measurement, force=True, date=DATE
    )


def main() -> None:
    """Write both screenshots, and say where."""
    from playwright.sync_api import sync_playwright
    from tests.browser.chromium import launch, missing

    if (lacking := missing()) is not None:
        sys.exit(lacking)
    STATIC.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        report = write_report(Path(folder) / "report.html")
        browser = launch(playwright)
        try:
            for width, height, full in ((390, 844, True), (1280, 800, False)):
                context = browser.new_context(
                    viewport={"width": width, "height": height}, device_scale_factor=1
                )
                page = context.new_page()
                page.goto(report.as_uri(), wait_until="load")
                target = STATIC / f"report-{width}.png"
                if full:
                    whole: int = page.evaluate("document.documentElement.scrollHeight")
                    shown = min(whole, PHONE_HEIGHT)
                    page.screenshot(
                        path=target,
                        full_page=True,
                        clip={"x": 0, "y": 0, "width": width, "height": shown},
                    )
                else:
                    page.screenshot(path=target)
                context.close()
                print(f"{target.relative_to(ROOT)}: {target.stat().st_size:,} bytes")
        finally:
            browser.close()


if __name__ == "__main__":
    main()
