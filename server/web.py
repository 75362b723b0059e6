"""Serves the browser client: static files, the app's own paths (deep links), and its public config."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from litestar import Response, Router, get
from litestar.datastructures import State
from litestar.response import File
from litestar.static_files import create_static_files_router

WEB_DIR = Path(__file__).resolve().parent.parent / "web"
_PUBLIC = {"exclude_from_auth": True}

# Paths the browser app routes itself; a reload or a shared link must land on the app, not a 404.
APP_PATHS = [
    "/signin",
    "/signup",
    "/home",
    "/history",
    "/progress",
    "/self-check",
    "/account",
    "/between",
    "/kit",
    "/breathe",
    "/grounding",
    "/rhythm",
    "/invite/{code:str}",
    "/session/{session_id:str}",
    "/summary/{session_id:str}",
    "/facilitator",
    "/facilitator-invite/{code:str}",
    "/facilitator/session/{session_id:str}",
    "/journal",
    "/noticing",
]


@get(APP_PATHS, opt=_PUBLIC, include_in_schema=False, media_type="text/html")
async def app_page() -> File:
    return File(WEB_DIR / "index.html", content_disposition_type="inline")


# What the service worker keeps: the static app shell, and nothing else (never /api/, never the socket).
SHELL_SUFFIXES = (".js", ".css", ".png", ".svg", ".webmanifest")


def shell_files(web_dir: Path | None = None) -> list[str]:
    """Every static file of the app, as paths from the root: "/" (index.html) first."""
    root = web_dir or WEB_DIR
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in SHELL_SUFFIXES and p.name != "sw.js")
    return ["/"] + ["/" + p.relative_to(root).as_posix() for p in files]


@cache
def _service_worker_for(web_dir: Path) -> str:
    shell = shell_files(web_dir)
    digest = hashlib.sha256()
    for path in [web_dir / "index.html", web_dir / "sw.js"] + [web_dir / p.lstrip("/") for p in shell[1:]]:
        digest.update(path.as_posix().encode() + b"\0" + path.read_bytes())
    head = f"const SHELL = {json.dumps(shell)};\nconst VERSION = {json.dumps(digest.hexdigest()[:16])};\n"
    return head + (web_dir / "sw.js").read_text("utf-8")


def service_worker_source() -> str:
    """web/sw.js, with the shell's list and a version that changes whenever any shell file changes.

    Built once per process and web folder: the files change only with a release, which restarts the
    server, so no request reads and hashes the whole folder again (`_service_worker_for.cache_clear()`
    rebuilds it)."""
    return _service_worker_for(WEB_DIR)


@get("/sw.js", opt=_PUBLIC, include_in_schema=False)
async def service_worker() -> Response[str]:
    # Served from the root, so its scope is the whole app without a Service-Worker-Allowed header.
    # no-cache: the browser asks each time whether the app changed (it revalidates workers anyway).
    return Response(
        service_worker_source(),
        media_type="text/javascript",
        headers={"Cache-Control": "no-cache"},
    )


@get("/api/config", opt=_PUBLIC, tags=["app"], summary="Public settings the web client needs")
async def public_config(state: State) -> dict[str, str | float]:
    return {"help_url": state.settings.help_url, "lobby_nudge_seconds": state.settings.lobby_nudge_seconds}


def web_router() -> Router:
    static = create_static_files_router(
        path="/", directories=[WEB_DIR], html_mode=True, opt=_PUBLIC, include_in_schema=False
    )
    return Router(path="/", route_handlers=[app_page, public_config, service_worker, static])
