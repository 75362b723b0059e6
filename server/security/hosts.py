"""Only hosts the operator meant are served, and absolute links never come from an untrusted Host header.

Without this, a request with `Host: evil.example` would get invite links pointing at evil.example, and
DNS-rebinding pages could talk to a server on localhost.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.types import ASGIApp, Receive, Scope, Send

from server.security.asgi import header, refuse
from server.settings import Settings


def host_name(host_header: str) -> str:
    """`example.org:8000` → `example.org`; `[::1]:8000` → `::1`."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def host_trusted(host_header: str | None, settings: Settings) -> bool:
    if not host_header:
        return False
    return host_name(host_header) in settings.trusted_hosts or "*" in settings.allowed_hosts


def public_base_url(request: Request[Any, Any, Any], settings: Settings) -> str:
    """DUOLOGUE_PUBLIC_URL when set; else the request's own origin, whose Host the middleware has checked."""
    return settings.public_url or str(request.base_url).rstrip("/")


def trusted_hosts_middleware(settings: Settings) -> Any:
    def factory(app: ASGIApp) -> ASGIApp:
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] in ("http", "websocket") and not host_trusted(header(scope, b"host"), settings):
                await refuse(
                    scope, receive, send, 400, "host_not_allowed", "This server does not answer for that host name."
                )
                return
            await app(scope, receive, send)

        return middleware

    return factory
