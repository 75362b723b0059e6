"""`python -m bench profile`: where a server's time goes under saturated load, sampled with py-spy.

py-spy (the optional `bench` extra) attaches to the running server from outside, pinned to the load
core, without pausing it (`--nonblocking`). The collapsed stacks it writes are summarised here by
package, both as self time (the innermost frame) and as inclusive time (anywhere on the stack). Only
samples holding the GIL count (`--gil`): time spent waiting (epoll, a database thread's queue) is not work.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from bench import load, run
from bench.procs import pin_self, pinned, raise_open_files

# py-spy names frames "function (package/module.py:line)": the first path component says whose code it is.
CATEGORIES: dict[str, str] = {
    "exercises": "exercises (engine)",
    "rooms": "rooms (runtime)",
    "server": "server (app code)",
    "sqlalchemy": "sqlalchemy + sqlmodel",
    "sqlmodel": "sqlalchemy + sqlmodel",
    "aiosqlite": "aiosqlite + sqlite3",
    "sqlite3": "aiosqlite + sqlite3",
    "asyncpg": "asyncpg",
    "redis": "redis",
    "litestar": "litestar",
    "websockets": "websockets",
    "uvicorn": "uvicorn",
    "msgspec": "msgspec + json",
    "json": "msgspec + json",
    "pydantic": "pydantic",
    "pydantic_core": "pydantic",
    "asyncio": "asyncio + uvloop (event loop)",
    "uvloop": "asyncio + uvloop (event loop)",
    "concurrent": "threads (to_thread, queues)",
    "threading.py": "threads (to_thread, queues)",
    "queue.py": "threads (to_thread, queues)",
}


def category(frame: str) -> str:
    path = frame.rpartition("(")[2]
    return CATEGORIES.get(path.split("/", 1)[0].split(":", 1)[0], "other")


def summarise(collapsed: Path, top: int = 15) -> str:
    """Self and inclusive time per package, and the hottest functions, from py-spy's raw format."""
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    functions: Counter[str] = Counter()
    total = 0
    for line in collapsed.read_text(errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [f for f in stack.split(";") if "(" in f]  # skip the "process"/"thread" pseudo-frames
        if not frames:
            continue
        total += count
        own[category(frames[-1])] += count
        functions[frames[-1]] += count
        for name in {category(f) for f in frames}:
            inclusive[name] += count
    if not total:
        return "no samples (was the server busy?)"
    lines = [f"{total:,} samples", "", f"{'package':<32}{'self':>8}{'inclusive':>11}"]
    for name, count in own.most_common():
        lines.append(f"{name:<32}{100 * count / total:>7.1f}%{100 * inclusive[name] / total:>10.1f}%")
    lines += ["", "hottest functions (self time)"]
    for frame, count in functions.most_common(top):
        lines.append(f"{100 * count / total:>6.1f}%  {frame}")
    return "\n".join(lines)


def main(args: argparse.Namespace) -> int:
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(spy).exists():
        print("py-spy is not installed: pip install -e '.[bench]'", file=sys.stderr)
        return 2
    raise_open_files()
    pin_self(1)
    load.event_loop_policy()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = args.out or run.RESULTS / f"profile-{args.mode}-{stamp}.{'svg' if args.flamegraph else 'txt'}"
    out.parent.mkdir(parents=True, exist_ok=True)
    options = run.Options(plan=run.QUICK, targets=[args.mode], pg_url=args.pg_url, redis_url=args.redis_url)
    if args.mode == "scaled" and not (args.pg_url and args.redis_url):
        print("scaled mode needs --pg-url and --redis-url", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="duologue-profile-"))
    target = run.start_app(work, options, args.rooms, scaled=args.mode == "scaled")
    try:
        asyncio.run(_profile(target, options, args, spy, out))
    finally:
        target.stop()
        run.forget(target)
        shutil.rmtree(work, ignore_errors=True)
    print(f"py-spy output: {out}")
    if not args.flamegraph:
        print(summarise(out))
    return 0


async def _profile(target: run.Target, options: run.Options, args: argparse.Namespace, spy: str, out: Path) -> None:
    fleet = load.Fleet(relay=False)
    try:
        specs = await target.specs(0, args.rooms, options.host)
        await fleet.grow(specs, deadline=time.perf_counter() + 300)
        command = [
            spy, "record", "--pid", str(target.servers[0].pid), "--rate", "100", "--nonblocking", "--gil",
            "--duration", str(int(args.seconds)), "--format", "flamegraph" if args.flamegraph else "raw",
            "--output", str(out),
        ]  # fmt: skip
        spying = await asyncio.create_subprocess_exec(*pinned(command, 1), stdout=asyncio.subprocess.DEVNULL)
        recorder = await load.saturate(fleet.live_rooms(args.rooms), 1.0, args.seconds + 1, lambda _opening: None)
        await spying.wait()
        print(
            f"{recorder.completed:,} intents in {args.seconds + 1:.0f} s while sampling; errors {dict(recorder.errors)}"
        )
    finally:
        await fleet.close()
