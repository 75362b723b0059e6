"""The `duologue` command: serve the app, or manage its database."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from server.settings import Settings


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from server import migrate
    from server.live.protocol import HARD_FRAME_LIMIT_BYTES

    # The host we were started for is one the app answers to (server/security/hosts.py).
    os.environ.setdefault("DUOLOGUE_BIND_HOST", args.host)
    settings = Settings.from_env()
    migrate.upgrade(settings.database_url)
    print(f"Duologue is ready at http://{args.host}:{args.port} (database: {_redacted(settings.database_url)})")
    uvicorn.run(
        "server.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        ws="websockets-sansio",
        # Frames up to this size reach the app, which answers those over 16 KiB with an error frame;
        # anything larger is closed by the server with 1009 before it is buffered.
        ws_max_size=HARD_FRAME_LIMIT_BYTES,
        ws_per_message_deflate=False,
        proxy_headers=args.proxy_headers,
        log_level=settings.log_level.lower(),
        access_log=False,
    )
    return 0


def _db(args: argparse.Namespace) -> int:
    from server import migrate

    settings = Settings.from_env()
    if args.action == "upgrade":
        migrate.upgrade(settings.database_url)
        print("The database is up to date.")
    elif args.action == "current":
        migrate.current(settings.database_url)
    elif args.action == "revision":
        migrate.make_revision(settings.database_url, args.message)
    return 0


def _redacted(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="duologue", description="Duologue: practise communicating, together.")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="apply migrations, then serve the app")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--proxy-headers", action="store_true", help="trust X-Forwarded-* from a reverse proxy")
    serve.set_defaults(handler=_serve)

    db = commands.add_parser("db", help="manage the database")
    db.add_argument("action", choices=["upgrade", "current", "revision"])
    db.add_argument("-m", "--message", default="change", help="revision message (with `revision`)")
    db.set_defaults(handler=_db)
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    return int(args.handler(args))


if __name__ == "__main__":
    sys.exit(main())
