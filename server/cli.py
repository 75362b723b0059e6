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
    if args.workers > 1 and (settings.uses_sqlite or not settings.redis_url):
        print(
            "duologue: --workers needs the scaled mode: set DATABASE_URL to PostgreSQL "
            "(postgresql+asyncpg://…) and REDIS_URL, so the processes can share sessions, presence and "
            "the live rooms. With SQLite, run one process (it serves thousands of couples).",
            file=sys.stderr,
        )
        return 2
    migrate.upgrade(settings.database_url)
    workers = f", {args.workers} processes" if args.workers > 1 else ""
    print(
        f"Duologue is ready at http://{args.host}:{args.port} (database: {_redacted(settings.database_url)}{workers})"
    )
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
        ws_ping_interval=settings.ws_ping_seconds,  # honoured by websockets-sansio (read in uvicorn 0.54)
        ws_ping_timeout=settings.ws_ping_seconds,
        proxy_headers=args.proxy_headers,
        workers=args.workers if args.workers > 1 else None,
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
    elif args.action == "backup":
        return _backup(settings, args.file)
    return 0


def _backup(settings: Settings, file: str | None) -> int:
    from pathlib import Path

    from server.backup import backup_sqlite, sqlite_path

    if sqlite_path(settings.database_url) is None:
        print("duologue: for PostgreSQL use pg_dump (see docs/operations.md).", file=sys.stderr)
        return 2
    if not file:
        print("duologue: name the file to write, e.g. `duologue db backup backups/duologue.db`.", file=sys.stderr)
        return 2
    size = backup_sqlite(settings.database_url, Path(file))
    print(f"Backed up the database to {file} ({size:,} bytes).")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from server.demo.command import run_demo

    return run_demo(Settings.from_env(), force=args.force, weeks=args.weeks)


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
    serve.add_argument(
        "--workers", type=int, default=1, help="processes to run (scaled mode: needs PostgreSQL and REDIS_URL)"
    )
    serve.set_defaults(handler=_serve)

    db = commands.add_parser("db", help="manage the database")
    db.add_argument("action", choices=["upgrade", "current", "revision", "backup"])
    db.add_argument("file", nargs="?", help="with `backup`: the file to write (SQLite)")
    db.add_argument("-m", "--message", default="change", help="revision message (with `revision`)")
    db.set_defaults(handler=_db)

    demo = commands.add_parser("demo", help="add a demo couple and facilitator with weeks of practice history")
    demo.add_argument("--force", action="store_true", help="add the demo even if the database holds other accounts")
    demo.add_argument("--weeks", type=int, default=12, help="weeks of history (1-104, default 12)")
    demo.set_defaults(handler=_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    return int(args.handler(args))


if __name__ == "__main__":
    sys.exit(main())
