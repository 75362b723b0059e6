"""State-changing requests must come from our own pages.

The CSRF token already proves the request was made by a page that could read our cookie; checking
`Origin` (or `Referer`) as well refuses another site even if a token leaked, and costs nothing.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from litestar.types import ASGIApp, Receive, Scope, Send

from server.security.asgi import header, refuse
from server.settings import Settings

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else url.lower()


def own_origins(scheme: str, host: str, settings: Settings) -> set[str]:
    if settings.allowed_origins:
        return {o.lower() for o in settings.allowed_origins}
    web_scheme = "https" if scheme in ("https", "wss") else "http"
    own = {f"{web_scheme}://{host}".lower()}
    if settings.public_url:
        own.add(origin_of(settings.public_url))
    return own


def same_site(scope: Scope, settings: Settings) -> bool:
    """True when the request names no other site: no Origin/Referer (not a browser), or our own."""
    claimed = header(scope, b"origin")
    if claimed is None or claimed == "null":
        referer = header(scope, b"referer")
        if claimed is None and referer is None:
            return True
        claimed = origin_of(referer) if referer else "null"
    return origin_of(claimed.rstrip("/")) in own_origins(
        scope.get("scheme", "http"), header(scope, b"host") or "", settings
    )


def same_site_middleware(settings: Settings) -> Any:
    def factory(app: ASGIApp) -> ASGIApp:
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] == "http" and scope["method"] not in SAFE_METHODS and not same_site(scope, settings):
                await refuse(
                    scope,
                    receive,
                    send,
                    403,
                    "cross_site_refused",
                    "This request came from another site, so it was refused.",
                )
                return
            await app(scope, receive, send)

        return middleware

    return factory
