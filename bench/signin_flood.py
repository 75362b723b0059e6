"""Sign-in flood: many simultaneous sign-ins against a real `duologue serve`, with production Argon2.

    python -m bench.signin_flood [--clients 60] [--seconds 15] [--scaled]

Each client signs in with an unknown email, again and again, from its own loopback address
(127.0.1.N), so the per-address throttle does not hide the cost of hashing. Meanwhile /healthz is
probed every 50 ms. Prints the answers' status counts and the latencies. Figures: docs/security.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

import httpx

from bench.server_process import free_port, start_server


def scaled_env() -> dict[str, str]:
    return {
        "DATABASE_URL": os.environ["BENCH_DATABASE_URL"],
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"),
        "DUOLOGUE_REDIS_NAMESPACE": f"bench-{uuid.uuid4().hex[:8]}",
    }


async def signer(url: str, n: int, stop: float, statuses: Counter[int], latencies: list[float]) -> None:
    transport = httpx.AsyncHTTPTransport(local_address=f"127.0.1.{n + 1}")
    async with httpx.AsyncClient(base_url=url, transport=transport, timeout=60) as client:
        await client.get("/healthz")
        token = client.cookies["duologue_csrf"]
        while time.monotonic() < stop:
            started = time.monotonic()
            try:
                response = await client.post(
                    "/api/session",
                    json={"email": f"nobody-{uuid.uuid4().hex[:8]}@example.org", "password": "not a real password"},
                    headers={"x-csrf-token": token},
                )
                statuses[response.status_code] += 1
                latencies.append(time.monotonic() - started)
                if response.status_code == 429:  # a polite client waits as told
                    await asyncio.sleep(float(response.headers.get("retry-after", "1")))
            except httpx.HTTPError:
                statuses[0] += 1  # no answer at all
                latencies.append(time.monotonic() - started)


async def prober(url: str, stop: float, latencies: list[float], failures: Counter[int]) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        while time.monotonic() < stop:
            started = time.monotonic()
            try:
                response = await client.get("/healthz")
                if response.status_code != 200:
                    failures[response.status_code] += 1
            except httpx.HTTPError:
                failures[0] += 1
            latencies.append(time.monotonic() - started)
            await asyncio.sleep(0.05)


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


async def run(url: str, clients: int, seconds: float) -> None:
    stop = time.monotonic() + seconds
    statuses: Counter[int] = Counter()
    sign_in_latencies: list[float] = []
    health_latencies: list[float] = []
    health_failures: Counter[int] = Counter()
    await asyncio.gather(
        prober(url, stop, health_latencies, health_failures),
        *(signer(url, n, stop, statuses, sign_in_latencies) for n in range(clients)),
    )
    ms = 1000
    print(f"{clients} clients for {seconds:.0f} s against {url}")
    print(f"sign-in answers: {dict(sorted(statuses.items()))}  (0 = no answer)")
    print(f"5xx answers: {sum(v for k, v in statuses.items() if k >= 500 or k == 0)}")
    print(
        f"sign-in latency ms: p50 {quantile(sign_in_latencies, 0.5) * ms:.0f}  "
        f"p95 {quantile(sign_in_latencies, 0.95) * ms:.0f}  max {max(sign_in_latencies) * ms:.0f}"
    )
    print(
        f"/healthz ms over {len(health_latencies)} probes: median {statistics.median(health_latencies) * ms:.1f}  "
        f"p95 {quantile(health_latencies, 0.95) * ms:.1f}  max {max(health_latencies) * ms:.1f}  "
        f"failures {dict(health_failures)}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=60)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--scaled", action="store_true", help="PostgreSQL (BENCH_DATABASE_URL) and Redis")
    parser.add_argument("--url", help="use a server that is already running instead of starting one")
    args = parser.parse_args()
    if args.url:
        asyncio.run(run(args.url, args.clients, args.seconds))
        return 0
    with tempfile.TemporaryDirectory() as folder:
        port = free_port()
        process = start_server(port, Path(folder), scaled_env() if args.scaled else {})
        try:
            asyncio.run(run(f"http://127.0.0.1:{port}", args.clients, args.seconds))
        finally:
            process.terminate()
            process.wait(timeout=15)
    return 0


if __name__ == "__main__":
    sys.exit(main())
