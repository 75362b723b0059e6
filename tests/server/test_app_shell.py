"""The installable app's static parts as the server serves them: the worker, its shell list, the manifest."""

import json

from server.web import WEB_DIR, shell_files
from tests.helpers import Browser


async def test_the_service_worker_is_javascript_from_the_root_with_a_shell_of_static_files(browser: Browser) -> None:
    response = await browser.get("/sw.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert "service-worker-allowed" not in response.headers  # the root scope needs none
    assert "content-security-policy" in response.headers
    first, second = response.text.splitlines()[:2]
    shell = json.loads(first.removeprefix("const SHELL = ").removesuffix(";"))
    assert shell == shell_files() and shell[0] == "/"
    assert {"/js/app.js", "/styles.css", "/manifest.webmanifest", "/icons/icon-512.png"} <= set(shell)
    assert not [p for p in shell if p.startswith("/api") or p == "/sw.js" or p.endswith(".html")]
    assert second.startswith('const VERSION = "')


async def test_the_shell_version_changes_when_a_shell_file_changes(browser: Browser) -> None:
    before = (await browser.get("/sw.js")).text.splitlines()[1]
    styles = WEB_DIR / "styles.css"
    original = styles.read_bytes()
    try:
        styles.write_bytes(original + b"\n/* changed */\n")
        after = (await browser.get("/sw.js")).text.splitlines()[1]
    finally:
        styles.write_bytes(original)
    assert before != after


async def test_the_manifest_is_served_as_a_manifest(browser: Browser) -> None:
    response = await browser.get("/manifest.webmanifest")
    assert response.headers["content-type"].startswith("application/manifest+json")
    assert response.json()["display"] == "standalone"
