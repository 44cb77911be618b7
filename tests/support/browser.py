"""Debian's headless Chromium, driven by Playwright's Python API, for pages a person looks at.

The flags are the ones this machine needs: without the background-networking ones Chromium
keeps trying (and failing) to reach Google's hosts through a closed network.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        raise RuntimeError("Debian's chromium is not installed: apt-get install chromium")
    return found


@contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Visit:
    """A page opened from a file, with every console error and failed request it caused."""

    page: Page
    errors: list[str] = field(default_factory=list)


@contextmanager
def visit(browser: Browser, file: Path, width: int = 1280, height: int = 900) -> Iterator[Visit]:
    page = browser.new_page(viewport={"width": width, "height": height})
    seen = Visit(page)

    def on_console(message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            seen.errors.append(f"console {message.type}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: seen.errors.append(f"page error: {error}"))
    page.on("requestfailed", lambda request: seen.errors.append(f"failed: {request.url}"))
    try:
        page.goto(file.resolve().as_uri(), wait_until="load")
        yield seen
    finally:
        page.close()
