"""How Debian's Chromium is started for the browser tests and the docs' screenshots.

Playwright drives the browser but never downloads one of its own: it is pointed at Debian's
``chromium`` package (``make browser`` installs it). Chromium's own background traffic (updates,
sync, field trials) is turned off, so that the only requests a page makes are its own.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("SOCIALCOUNCIL_CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
FLAGS = (
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-features=Translate,OptimizationHints,MediaRouter",
    # Fonts are hinted the same way on every machine, so screenshots are stable.
    "--font-render-hinting=none",
)


def missing() -> str | None:
    """What the browser tests lack on this machine, as a sentence, or ``None``."""
    lacking = [str(path) for path in (CHROMIUM, AXE) if not path.is_file()]
    if not lacking:
        return None
    return f"{' and '.join(lacking)} not found: run `make browser` to install them"


def launch(playwright: Playwright) -> Browser:
    """Start headless Chromium, with a fresh profile that Playwright makes and removes.

    Chromium's sandbox cannot start for root (as CI runs), so it is off there and on otherwise.
    """
    return playwright.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        chromium_sandbox=os.geteuid() != 0,
        args=list(FLAGS),
    )
