"""A headless Chromium (Debian's ``chromium``, driven by Playwright) for the viewer tests.

Nothing is downloaded: Playwright launches the system browser.  The tests skip, saying
why, when the browser is missing (and fail instead under ``CI=true``, see tests/conftest.py).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright import sync_api

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# WebGL without a GPU: ANGLE on SwiftShader, Chromium's CPU implementation (also what it
# falls back to with --disable-gpu, with a warning on every frame read back).
ARGS = [
    "--headless",
    "--no-sandbox",
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# Module scope: the browser (and Playwright's event loop) is gone before other tests run.
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip("no chromium: apt-get install chromium")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@dataclass
class Visit:
    """A page opened from a file, with everything it logged, raised, asked for or popped up."""

    page: Any
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture
def visit(browser: Any) -> Iterator[Any]:
    """``visit(path)`` opens a page in a fresh context and waits for the viewer to be ready."""
    contexts = []

    def open_page(path: Path, width: int = 1280, height: int = 800) -> Visit:
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        seen = Visit(page)
        page.on("console", lambda m: seen.console.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: seen.errors.append(str(e)))
        page.on("request", lambda r: seen.requests.append(r.url))

        def on_dialog(dialog: Any) -> None:
            seen.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.goto(path.resolve().as_uri(), timeout=120_000)  # the script runs before "load"
        page.wait_for_selector("html[data-viewer=ready]", timeout=60_000)
        return seen

    yield open_page
    for context in contexts:
        context.close()
