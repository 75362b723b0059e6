"""Serves the browser client: static files, the app's own paths (deep links), and its public config."""

from __future__ import annotations

from pathlib import Path

from litestar import Router, get
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


@get("/api/config", opt=_PUBLIC, tags=["app"], summary="Public settings the web client needs")
async def public_config(state: State) -> dict[str, str | float]:
    return {"help_url": state.settings.help_url, "lobby_nudge_seconds": state.settings.lobby_nudge_seconds}


def web_router() -> Router:
    static = create_static_files_router(
        path="/", directories=[WEB_DIR], html_mode=True, opt=_PUBLIC, include_in_schema=False
    )
    return Router(path="/", route_handlers=[app_page, public_config, static])
