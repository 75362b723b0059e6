"""Installable on a phone: the manifest and icons pass Chromium's installability checks, and the service
worker opens the app shell offline while never keeping an API answer."""

from __future__ import annotations

import struct
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import expect

from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS
from tests.browser.test_keyboard_and_screens import signed_in_page
from tests.e2e.live_helpers import paired_couple

pytestmark = pytest.mark.browser


def png_size(body: bytes) -> tuple[int, int]:
    assert body[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", body[16:24])


@pytest.fixture
async def own_profile(web_server: Any, tmp_path: Path) -> AsyncIterator[Any]:
    """A page in a real (non-incognito) profile: Chromium never offers to install from an incognito window."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        context = await playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=CHROMIUM,
            args=CHROMIUM_FLAGS,
            base_url=web_server.url,
            viewport={"width": 360, "height": 740},
        )
        page = context.pages[0] if context.pages else await context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        yield page
        await context.close()


async def test_the_manifest_and_icons_make_the_app_installable(own_profile: Any) -> None:
    page = own_profile
    await page.goto("/")
    href = await page.locator("link[rel=manifest]").get_attribute("href")
    response = await page.request.get(href)
    assert response.headers["content-type"].startswith("application/manifest+json")
    manifest = await response.json()
    assert manifest["name"] == "Duologue" and manifest["short_name"] == "Duologue"
    assert manifest["start_url"] == "/home" and manifest["scope"] == "/" and manifest["display"] == "standalone"
    assert manifest["theme_color"] and manifest["background_color"]
    purposes = set()
    for icon in manifest["icons"]:
        got = await page.request.get(icon["src"])
        assert got.ok, icon["src"]
        assert got.headers["content-type"] == icon["type"]
        if icon["type"] == "image/png":
            width, height = png_size(await got.body())
            assert f"{width}x{height}" == icon["sizes"]
            purposes.add((icon["sizes"], icon["purpose"]))
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= purposes

    # Chromium's own verdict, as it decides whether to offer "Install app" (localhost is a secure context).
    cdp = await page.context.new_cdp_session(page)
    await page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    result = await cdp.send("Page.getInstallabilityErrors")
    assert result["installabilityErrors"] == []
    manifest_seen = await cdp.send("Page.getAppManifest")
    assert not manifest_seen.get("errors") and manifest_seen["url"].endswith("/manifest.webmanifest")
    assert page.errors == []


async def test_offline_the_app_shell_opens_and_no_api_answer_is_kept(new_person: Any, web_server: Any) -> None:
    alex, _sam = await paired_couple(web_server.url)
    page = await signed_in_page(new_person, alex, width=360, height=740)
    await page.goto("/home")
    await page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    await page.reload()  # now the worker controls the page, as on any later visit
    await page.wait_for_function("navigator.serviceWorker.controller !== null")
    await expect(page.get_by_role("heading", name="Hello, Alex")).to_be_visible()
    await page.goto("/between")
    await expect(page.get_by_role("heading", name="Between sessions", level=1)).to_be_visible()
    await page.goto("/kit")
    await expect(page.get_by_role("heading", name="Your calming kit")).to_be_visible()

    cached = await page.evaluate(
        """async () => {
            const urls = [];
            for (const name of await caches.keys())
                for (const request of await (await caches.open(name)).keys())
                    urls.push([name, new URL(request.url).pathname]);
            return urls;
        }"""
    )
    paths = {path for _, path in cached}
    assert {"/", "/js/app.js", "/styles.css", "/manifest.webmanifest", "/icons/icon-192.png"} <= paths
    assert all(name.startswith("duologue-shell-") for name, _ in cached)
    assert not [p for p in paths if p.startswith("/api") or p.endswith("/live") or p in ("/home", "/kit", "/healthz")]

    await page.context.set_offline(True)
    await page.reload()
    # The app's own page (not the browser's "no internet" page), saying plainly that it can't reach Duologue.
    await expect(page.locator(".site-header .brand")).to_have_text("Duologue")
    assert await page.evaluate("document.querySelector('link[rel=manifest]') !== null")
    await page.context.set_offline(False)
