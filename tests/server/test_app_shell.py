"""The installable app's static parts as the server serves them: the worker, its shell list, the manifest."""

import json
import shutil
from pathlib import Path

import pytest

from server import web
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


async def test_the_shell_version_changes_when_a_shell_file_changes(
    browser: Browser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "web"
    shutil.copytree(WEB_DIR, copy)
    monkeypatch.setattr(web, "WEB_DIR", copy)
    before = (await browser.get("/sw.js")).text.splitlines()[1]
    (copy / "styles.css").write_text((copy / "styles.css").read_text() + "\n/* changed */\n")
    # Built once per process (a release restarts the server): a request does not re-read the folder.
    assert (await browser.get("/sw.js")).text.splitlines()[1] == before
    web._service_worker_for.cache_clear()  # as a restart after a release would
    after = (await browser.get("/sw.js")).text.splitlines()[1]
    assert before != after


async def test_the_worker_is_built_once_not_on_every_request(browser: Browser, monkeypatch: pytest.MonkeyPatch) -> None:
    web._service_worker_for.cache_clear()
    reads: list[Path] = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: reads.append(self) or real(self))
    first = (await browser.get("/sw.js")).text
    read_once = len(reads)
    assert read_once > 0
    for _ in range(3):
        assert (await browser.get("/sw.js")).text == first
    assert len(reads) == read_once


async def test_the_manifest_is_served_as_a_manifest(browser: Browser) -> None:
    response = await browser.get("/manifest.webmanifest")
    assert response.headers["content-type"].startswith("application/manifest+json")
    assert response.json()["display"] == "standalone"
