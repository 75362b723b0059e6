"""Real browsers (Debian's Chromium, driven by async Playwright) against a real server process."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import LiveServer, free_port, server_env

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = Path(__file__).with_name("vendor") / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"

# Skipped on a laptop without Chromium; in CI (which installs it) a missing browser is a failure instead.
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and not os.environ.get("CI"), reason="Debian's chromium is not installed"
)


@pytest.fixture
def web_server(tmp_path: Path) -> Any:
    """Browser tests run in the default mode only: the scaled mode is covered by the e2e suite."""
    env = server_env("default", tmp_path, DUOLOGUE_PRESENCE_GRACE_SECONDS="2")
    server = LiveServer(port=free_port(), env=env, log_path=tmp_path / "server.log")
    server.start()
    yield server
    server.stop()


@pytest.fixture
async def chromium() -> AsyncIterator[Any]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        await launched.close()


@pytest.fixture
def new_person(chromium: Any, web_server: LiveServer, tmp_path: Path) -> Callable[..., Awaitable[Any]]:
    """A person on their own device: a separate browser context (own cookies), one page."""

    async def make(width: int = 1100, height: int = 900) -> Any:
        # bypass_csp: the tests inject axe-core as an inline script, which the app's policy forbids (rightly).
        # test_account_page.py checks with the policy in force that the app itself needs no exception.
        context = await chromium.new_context(
            base_url=web_server.url,
            viewport={"width": width, "height": height},
            reduced_motion="reduce",
            bypass_csp=True,
        )
        context.set_default_timeout(15_000)
        page = await context.new_page()
        page.errors = []  # JavaScript errors seen on this page: every test expects none
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        return page

    return make


async def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Serious and critical accessibility problems on the page as it is now (axe-core, WCAG A/AA)."""
    if not await page.evaluate("typeof window.axe !== 'undefined'"):
        await page.add_script_tag(content=AXE.read_text())
    result = await page.evaluate(
        "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice']}))"
        ".violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target)}))"
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]


README_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


async def keep_for_readme(page: Any, name: str, *, full_page: bool = True) -> Path:
    """A screenshot under tests/artifacts; also copied over the README's picture (docs/screenshots) only when
    DUOLOGUE_UPDATE_README_SCREENSHOTS=1, so an ordinary test run never changes the checkout."""
    path = await screenshot(page, name, full_page=full_page)
    if os.environ.get("DUOLOGUE_UPDATE_README_SCREENSHOTS") == "1":
        README_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, README_SCREENSHOTS / f"{name}.png")
    return path


async def screenshot(page: Any, name: str, *, full_page: bool = True) -> Path:
    """A picture of the page; `full_page=False` shows exactly what is in view (the sticky status included)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    await page.screenshot(path=str(path), full_page=full_page)
    return path
