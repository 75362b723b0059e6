"""Progress over two years: how fast GET /api/progress answers for one person with a long history.

    python -m bench.progress [--pg-url postgresql+asyncpg://postgres@127.0.0.1:5432/bench] [--requests 50]

For SQLite (always) and PostgreSQL (when a URL is given; that database is emptied first) it starts a real
`duologue serve`, signs up a couple and their facilitator over HTTP, seeds two years of history
(bench/progress_history.py: 500 sessions, about 20,000 real engine events and their rollups, 104
self-checks, solo practices), then times sequential requests: my progress over 52 and 12 weeks, the
facilitator's view of the couple, and, once, the first request after an upgrade (every rollup missing).
Figures and what they mean: docs/performance.md, "Progress over two years".
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import delete, text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from bench.progress_history import seed_two_years
from bench.server_process import free_port, start_server
from rooms.models import SessionMeasures

PASSWORD = "a long and gentle passphrase"  # noqa: S105  (a throwaway bench account)


async def empty_postgres(url: str) -> None:
    engine = create_async_engine(url, poolclass=NullPool)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


class Person:
    def __init__(self, base: str) -> None:
        self.client = httpx.AsyncClient(base_url=base, timeout=60)

    async def call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        if "duologue_csrf" not in self.client.cookies:
            await self.client.get("/healthz")
        headers = {"x-csrf-token": self.client.cookies["duologue_csrf"]}
        response = await self.client.request(method, path, headers=headers, **kwargs)
        if response.status_code >= 400:
            raise RuntimeError(f"{method} {path}: {response.status_code} {response.text[:300]}")
        return response

    async def sign_up(self, name: str, facilitator: bool = False) -> str:
        email = f"{name.lower()}-{uuid.uuid4().hex[:8]}@example.org"
        body = {"email": email, "display_name": name, "password": PASSWORD, "is_facilitator": facilitator}
        await self.call("POST", "/api/accounts", json=body)
        return (await self.call("GET", "/api/me")).json()["id"]


async def people(base: str) -> tuple[Person, Person, Person, dict[str, str]]:
    sam, alex, lee = Person(base), Person(base), Person(base)
    ids = {"sam": await sam.sign_up("Sam"), "alex": await alex.sign_up("Alex"), "lee": await lee.sign_up("Lee", True)}
    code = (await sam.call("POST", "/api/invites")).json()["code"]
    await alex.call("POST", f"/api/invites/{code}/accept")
    ids["couple"] = (await sam.call("GET", "/api/couple")).json()["id"]
    invite = (await lee.call("POST", "/api/facilitator/invites")).json()["code"]
    link = (await sam.call("POST", f"/api/facilitator-invites/{invite}/accept")).json()[0]["id"]
    await alex.call("POST", f"/api/facilitators/{link}/confirm")
    await sam.call("PUT", f"/api/progress/sharing/facilitators/{ids['lee']}", json={"shared": True})
    return sam, alex, lee, ids


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process: the server's own work, which a busy machine does not inflate."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def timed(person: Person, path: str, requests: int, server_pid: int) -> dict[str, float]:
    for _ in range(3):  # warm-up: connections, caches, prepared statements
        await person.call("GET", path)
    samples = []
    cpu_before = cpu_seconds(server_pid)
    for _ in range(requests):
        started = time.perf_counter()
        await person.call("GET", path)
        samples.append((time.perf_counter() - started) * 1000)
    cpu = cpu_seconds(server_pid) - cpu_before
    samples.sort()
    return {
        "p50_ms": round(statistics.median(samples), 1),
        "p95_ms": round(samples[max(0, int(len(samples) * 0.95) - 1)], 1),
        "max_ms": round(samples[-1], 1),
        "server_cpu_ms_per_request": round(cpu * 1000 / requests, 1),
        "requests": requests,
    }


async def measure(name: str, database_url: str | None, args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix=f"duologue-progress-{name}-") as tmp:
        folder = Path(tmp)
        if database_url:
            await empty_postgres(database_url)
        port = free_port()
        server = start_server(
            port, folder, {"DUOLOGUE_LOG_LEVEL": "WARNING"} | ({"DATABASE_URL": database_url} if database_url else {})
        )
        try:
            sam, alex, lee, ids = await people(f"http://127.0.0.1:{port}")
            url = database_url or f"sqlite+aiosqlite:///{folder / 'var' / 'duologue.db'}"
            engine = create_async_engine(url, poolclass=NullPool)
            started = time.perf_counter()
            seeded = await seed_two_years(
                engine,
                couple_id=uuid.UUID(ids["couple"]),
                a=uuid.UUID(ids["sam"]),
                b=uuid.UUID(ids["alex"]),
                facilitator=uuid.UUID(ids["lee"]),
                sessions=args.sessions,
            )
            seed_seconds = time.perf_counter() - started
            body = (await sam.call("GET", "/api/progress?weeks=52&tz=Europe/Berlin")).json()
            attended = sum(next(m for m in body["measures"] if m["key"] == "sessions_attended")["values"])
            results: dict[str, Any] = {
                "seeded": vars(seeded),
                "seed_seconds": round(seed_seconds, 1),
                "sessions_in_52_weeks": attended,
            }
            tz = "tz=Europe/Berlin"
            results["mine_52_weeks"] = await timed(sam, f"/api/progress?weeks=52&{tz}", args.requests, server.pid)
            results["mine_12_weeks"] = await timed(sam, f"/api/progress?weeks=12&{tz}", args.requests, server.pid)
            couple = f"/api/facilitator/couples/{ids['couple']}/progress?weeks=52&{tz}"
            results["facilitator_52_weeks"] = await timed(lee, couple, args.requests, server.pid)
            # The first request after an upgrade: every session's rollup is missing and is made from its events.
            async with engine.begin() as conn:
                await conn.execute(delete(SessionMeasures))
            started = time.perf_counter()
            await sam.call("GET", f"/api/progress?weeks=52&{tz}")
            results["first_request_after_upgrade_ms"] = round((time.perf_counter() - started) * 1000, 1)
            await engine.dispose()
            for person in (sam, alex, lee):
                await person.client.aclose()
            return results
        finally:
            server.terminate()
            server.wait(timeout=30)


def render(results: dict[str, dict[str, Any]]) -> str:
    lines = []
    for name, r in results.items():
        s = r["seeded"]
        lines.append(
            f"{name}: {s['sessions']} sessions, {s['events']} events, {s['self_checks']} self-checks, "
            f"{s['solo_practices']} solo practices (seeded in {r['seed_seconds']} s); "
            f"{r['sessions_in_52_weeks']} sessions in the last 52 weeks"
        )
        for key in ("mine_52_weeks", "mine_12_weeks", "facilitator_52_weeks"):
            f = r[key]
            lines.append(
                f"  {key:<22} p50 {f['p50_ms']:>6} ms   p95 {f['p95_ms']:>6} ms   max {f['max_ms']:>6} ms   "
                f"server CPU {f['server_cpu_ms_per_request']:>5} ms/request"
            )
        made = s["sessions"]
        lines.append(
            f"  first request after an upgrade ({made} rollups made): {r['first_request_after_upgrade_ms']} ms"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_DATABASE_URL", ""), help="PostgreSQL (emptied)")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--sessions", type=int, default=500)
    parser.add_argument("--only", default="sqlite,postgresql")
    parser.add_argument("--out", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args(argv)
    results = {}
    targets = [t.strip() for t in args.only.split(",")]
    if "sqlite" in targets:
        results["sqlite"] = asyncio.run(measure("sqlite", None, args))
    if "postgresql" in targets:
        if args.pg_url:
            results["postgresql"] = asyncio.run(measure("postgresql", args.pg_url, args))
        else:
            print("PostgreSQL skipped: no --pg-url (or BENCH_DATABASE_URL)")
    print(render(results))
    if args.out:
        args.out.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
