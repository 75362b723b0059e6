"""One benchmark run: the bare relay, then the app (default mode, then scaled mode), on the same pinning.

For each target the run grows one fleet of connected rooms level by level and measures, in order:
KiB per live room (idle), saturated throughput, then human pace; see docs/performance.md.
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import secrets
import shutil
import subprocess
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import load, prepare
from bench.procs import ServerProcess, duologue_command, pin_self, pinned, python_command, raise_open_files

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
HUMAN_P99_LIMIT = 5.0  # s: above this (or 5 % of intents lost) a human-pace level is over capacity
HUMAN_LOSS_LIMIT = 0.05


@dataclass
class Plan:
    saturated: list[int]
    human: list[int]
    scaled_saturated: list[int]
    scaled_human: list[int]
    warmup: float = 3.0
    saturated_seconds: float = 15.0
    human_seconds: float = 30.0
    human_interval: float = 10.0
    drain: float = 15.0
    grow_budget: float = 150.0
    settle: float = 3.0

    @property
    def levels(self) -> list[int]:
        return sorted({*self.saturated, *self.human})


FULL = Plan(saturated=[100, 1000], human=[1000, 2500, 5000], scaled_saturated=[100, 1000], scaled_human=[1000])
QUICK = Plan(
    saturated=[100],
    human=[300],
    scaled_saturated=[100],
    scaled_human=[],
    saturated_seconds=8.0,
    human_seconds=20.0,
    drain=10.0,
    grow_budget=60.0,
    settle=2.0,
)


@dataclass
class Options:
    plan: Plan
    targets: list[str]
    server_core: int | None = 0
    load_core: int | None = 1
    pg_url: str = ""
    redis_url: str = ""
    out: Path | None = None
    keep: bool = False
    host: str = "127.0.0.1"
    notes: list[str] = field(default_factory=list)


class Target:
    """The process(es) under test, and how a room's two participants reach them."""

    def __init__(self, name: str, servers: list[ServerProcess], relay: bool, split: bool = True) -> None:
        # split: a room's partners on different processes (the worst case); otherwise both on one process,
        # rooms spread over the processes, as docs/deploy/nginx.conf's `hash $uri` sends them.
        self.name, self.servers, self.relay, self.split = name, servers, relay, split
        self.couples: list[prepare.PreparedCouple] = []
        self.settings: Any = None
        self.prepare_seconds: float | None = None

    def cpu(self) -> float:
        return sum(s.cpu() for s in self.servers)

    def rss(self) -> int:
        return sum(s.rss() for s in self.servers)

    def stop(self) -> None:
        for server in self.servers:
            server.stop()

    def ports(self) -> list[int]:
        return [int(s.probe_url.rsplit(":", 1)[1].split("/")[0]) for s in self.servers]

    async def specs(self, start: int, stop: int, host: str) -> list[load.RoomSpec]:
        ports = self.ports()
        if self.relay:
            return [
                load.RoomSpec((f"ws://{host}:{ports[0]}/relay/{i}",) * 2, (f"{i}a", f"{i}b"), (None, None))
                for i in range(start, stop)
            ]
        await prepare.open_sessions(self.settings, self.couples[start:stop], f"http://{host}:{ports[0]}")
        specs = []
        for index, couple in enumerate(self.couples[start:stop], start):
            path = f"/api/sessions/{couple.session_id}/live"
            urls = tuple(f"ws://{host}:{ports[(side if self.split else index) % len(ports)]}{path}" for side in (0, 1))
            specs.append(load.RoomSpec(urls, tuple(str(p) for p in couple.partners), couple.cookies))  # type: ignore[arg-type]
        return specs


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "REDIS_URL", "DUOLOGUE_"))}
    env.update(
        DUOLOGUE_DATA_DIR=str(data_dir),
        DUOLOGUE_ARGON2_TIME_COST="1",
        DUOLOGUE_ARGON2_MEMORY_KIB="8",
        DUOLOGUE_ARGON2_PARALLELISM="1",
        DUOLOGUE_LOG_LEVEL="WARNING",
        **extra,
    )
    return env


def commit_of_build() -> str:
    def git(*args: str) -> str:
        return subprocess.run(  # noqa: S603
            ["git", "-C", str(ROOT), *args],  # noqa: S607 (git from PATH, read-only)
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return head + ("+dirty" if git("status", "--porcelain", "--untracked-files=no") else "")


# ---------------------------------------------------------------- targets


def start_relay(work: Path, options: Options) -> Target:
    port = _free_port()
    server = ServerProcess(
        "relay",
        pinned(python_command("-m", "bench.relay", "--host", options.host, "--port", str(port)), options.server_core),
        {**os.environ, "PYTHONPATH": str(ROOT)},
        work / "relay.log",
        f"tcp://{options.host}:{port}",
    )
    server.start()
    return Target("relay", [server], relay=True)


def start_app(work: Path, options: Options, couples_needed: int, scaled: bool, name: str = "") -> Target:
    name = name or ("scaled" if scaled else "default")
    data_dir = work / name
    data_dir.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_hex(16)
    if scaled:
        namespace = f"duologue-bench-{uuid.uuid4().hex[:8]}"
        settings = prepare.bench_settings(data_dir, options.pg_url, options.redis_url, namespace)
        prepare.reset_postgres(options.pg_url)
        extra = {"DATABASE_URL": options.pg_url, "REDIS_URL": options.redis_url, "DUOLOGUE_REDIS_NAMESPACE": namespace}
    else:
        settings = prepare.bench_settings(data_dir)
        extra = {}
    from server import migrate

    migrate.upgrade(settings.database_url)
    started = time.perf_counter()
    couples = asyncio.run(prepare.prepare_couples(settings, couples_needed, label=uuid.uuid4().hex[:6]))
    prepare_seconds = time.perf_counter() - started
    servers = []
    for n in range(2 if scaled else 1):
        port = _free_port()
        servers.append(
            ServerProcess(
                f"duologue-{n}",
                pinned(duologue_command("serve", "--host", options.host, "--port", str(port)), options.server_core),
                _server_env(data_dir, DUOLOGUE_SECRET_KEY=secret, **extra),
                work / f"{name}-{n}.log",
                f"http://{options.host}:{port}/healthz",
            )
        )
    target = Target(name, servers, relay=False, split=name != "scaled-sticky")
    target.couples, target.settings = couples, settings
    try:
        for server in servers:
            server.start()
    except Exception:
        target.stop()
        raise
    target.prepare_seconds = prepare_seconds
    return target


# ---------------------------------------------------------------- one target's ladder


def _summary(recorder: load.Recorder, seconds: float, cpu: float, load_cpu: float, rooms: int) -> dict[str, Any]:
    done = recorder.completed
    ms = [x * 1000 for x in recorder.latencies]
    return {
        "rooms": rooms,
        "seconds": round(seconds, 2),
        "intents": done,
        "per_second": round(done / seconds, 1) if seconds else None,
        "sent": recorder.sent,
        "unanswered": recorder.unanswered,
        "errors": dict(recorder.errors),
        "closed_sockets": recorder.closed,
        "ended_sessions": recorder.ended_sessions,
        "late_ticks": recorder.late,
        "resynced": recorder.resynced,
        "p50_ms": _round(load.percentile(ms, 50)),
        "p95_ms": _round(load.percentile(ms, 95)),
        "p99_ms": _round(load.percentile(ms, 99)),
        "max_ms": _round(max(ms) if ms else None),
        "server_cpu_seconds": round(cpu, 3),
        "server_cpu_percent": round(100 * cpu / seconds, 1) if seconds else None,
        "server_cpu_ms_per_intent": round(1000 * cpu / done, 3) if done else None,
        "load_cpu_percent": round(100 * load_cpu / seconds, 1) if seconds else None,
        "client_loop_lag_p99_ms": _round(load.percentile([x * 1000 for x in recorder.loop_lag], 99)),
        "client_loop_lag_max_ms": _round(1000 * max(recorder.loop_lag) if recorder.loop_lag else None),
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


class Window:
    """Server CPU, load CPU and wall time between two calls (set by the drivers)."""

    def __init__(self, target: Target) -> None:
        self.target = target
        self.cpu = self.load = self.seconds = 0.0
        self._marks: tuple[float, float, float] | None = None

    def __call__(self, opening: bool) -> None:
        marks = (self.target.cpu(), time.process_time(), time.perf_counter())
        if opening:
            self._marks = marks
        elif self._marks is not None:
            self.cpu, self.load, self.seconds = (b - a for a, b in zip(self._marks, marks, strict=True))


async def run_target(target: Target, options: Options, saturated: list[int], human: list[int]) -> dict[str, Any]:
    plan = options.plan
    fleet = load.Fleet(relay=target.relay)
    result: dict[str, Any] = {"processes": len(target.servers), "grow": [], "memory": {}, "saturated": {}, "human": {}}
    notes: list[str] = []
    result["notes"] = notes
    levels = sorted({*saturated, *human})

    async def grow_to(rooms: int) -> bool:
        have = len(fleet.rooms)
        if have >= rooms:
            return True
        specs = await target.specs(have, rooms, options.host)
        report = await fleet.grow(specs, deadline=time.perf_counter() + plan.grow_budget)
        report["to"] = rooms
        result["grow"].append(report)
        failures = f" failures: {report['failures']}" if report["failures"] else ""
        print(
            f"  [{target.name}] connected {len(fleet.rooms)}/{rooms} rooms in {report['seconds']} s "
            f"({report['sockets_per_second']} sockets/s){failures}",
            flush=True,
        )
        if len(fleet.rooms) < rooms:
            notes.append(f"only {len(fleet.rooms)} of {rooms} rooms connected within {plan.grow_budget:.0f} s")
            return False
        return True

    try:
        # Memory first, with every room idle: the slope between the two smallest levels.
        rss_before = target.rss()
        if levels and await grow_to(levels[0]):
            await asyncio.sleep(plan.settle)
            small, rss_small = len(fleet.rooms), target.rss()
            if len(levels) > 1 and await grow_to(levels[1]):
                await asyncio.sleep(plan.settle)
                large, rss_large = len(fleet.rooms), target.rss()
                result["memory"] = {
                    "rss_kib_no_rooms": rss_before,
                    f"rss_kib_{small}_rooms": rss_small,
                    f"rss_kib_{large}_rooms": rss_large,
                    "kib_per_room": round((rss_large - rss_small) / (large - small), 1),
                }
        for rooms in saturated:
            if not await grow_to(rooms):
                notes.append(f"saturated {rooms} rooms skipped")
                continue
            window = Window(target)
            recorder = await load.saturate(
                fleet.live_rooms(rooms), plan.warmup, plan.saturated_seconds, window, drain=plan.drain
            )
            summary = _summary(recorder, window.seconds, window.cpu, window.load, rooms)
            result["saturated"][str(rooms)] = summary
            if summary["load_cpu_percent"] and summary["load_cpu_percent"] > 90:
                notes.append(f"saturated {rooms}: the load generator used a full core; the figure is a lower bound")
            print(
                f"  [{target.name}] saturated {rooms} rooms: {summary['per_second']}/s, "
                f"{summary['server_cpu_ms_per_intent']} ms server CPU each, errors {summary['errors']}",
                flush=True,
            )
        over = False
        for rooms in human:
            if over:
                notes.append(f"human pace {rooms} rooms not attempted: the previous level was over capacity")
                continue
            if not await grow_to(rooms):
                notes.append(f"human pace {rooms} rooms skipped")
                over = True
                continue
            window = Window(target)
            recorder = await load.human_pace(
                fleet.live_rooms(rooms), plan.human_interval, plan.human_seconds, window, plan.drain
            )
            summary = _summary(recorder, window.seconds, window.cpu, window.load, rooms)
            summary["offered_per_second"] = round(2 * rooms / plan.human_interval, 1)
            result["human"][str(rooms)] = summary
            print(
                f"  [{target.name}] human pace {rooms} rooms: p50/p95/p99 {summary['p50_ms']}/"
                f"{summary['p95_ms']}/{summary['p99_ms']} ms, unanswered {summary['unanswered']}, "
                f"errors {summary['errors']}, closed {summary['closed_sockets']}",
                flush=True,
            )
            lost = summary["unanswered"] + sum(summary["errors"].values())
            p99 = summary["p99_ms"]
            if (p99 is None or p99 > HUMAN_P99_LIMIT * 1000) or lost > HUMAN_LOSS_LIMIT * max(1, summary["sent"]):
                over = True
        alive = [s.name for s in target.servers if not s.alive()]
        if alive:
            notes.append(f"server process(es) died during the run: {', '.join(alive)}")
        result["rooms_connected"] = len(fleet.rooms)
        result["sockets_closed_by_server"] = fleet.closed_sockets
    finally:
        await fleet.close()
    return result


# ---------------------------------------------------------------- the whole run


def run(options: Options) -> dict[str, Any]:
    started = datetime.now(UTC)
    soft, hard = raise_open_files()
    pin_self(options.load_core)
    load.event_loop_policy()
    plan = options.plan
    work = Path(tempfile.mkdtemp(prefix="duologue-bench-"))
    report: dict[str, Any] = {
        "started_at": started.isoformat(timespec="seconds"),
        "commit": commit_of_build(),
        "plan": asdict(plan),
        "machine": {
            "cpus": os.cpu_count(),
            "server_core": options.server_core,
            "load_core": options.load_core,
            "open_files_soft": soft,
            "open_files_hard": hard,
            "python": platform.python_version(),
            "loadavg_at_start": list(os.getloadavg()),
        },
        "targets": {},
        "notes": options.notes,
    }
    if soft < 2 * max(plan.levels, default=0) + 200:  # each process holds one socket per participant
        options.notes.append(f"open-file limit {soft} is low for {max(plan.levels)} rooms")
    print(
        f"Benchmark of {report['commit']}; server on core {options.server_core}, load on core "
        f"{options.load_core}; open files {soft}/{hard}; work folder {work}",
        flush=True,
    )
    try:
        for name in options.targets:
            scaled = name.startswith("scaled")
            if scaled and not (options.pg_url and options.redis_url):
                options.notes.append(
                    "scaled mode skipped: give --pg-url and --redis-url (or BENCH_DATABASE_URL/BENCH_REDIS_URL)"
                )
                continue
            saturated = plan.scaled_saturated if scaled else plan.saturated
            human = plan.scaled_human if scaled else plan.human
            t0 = time.perf_counter()
            print(f"{name}:", flush=True)
            if name == "relay":
                target = start_relay(work, options)
            else:
                target = start_app(work, options, max([*saturated, *human], default=0), scaled=scaled, name=name)
            try:
                result = asyncio.run(run_target(target, options, saturated, human))
            finally:
                target.stop()
                forget(target)
            result["server_log_error_lines"] = sum(_error_lines(s.log_path) for s in target.servers)
            if target.prepare_seconds is not None:
                result["prepare_seconds"] = round(target.prepare_seconds, 1)
            result["wall_seconds"] = round(time.perf_counter() - t0, 1)
            report["targets"][name] = result
    finally:
        if not options.keep:
            shutil.rmtree(work, ignore_errors=True)
    report["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    report["ratios"] = ratios(report)
    if options.out is not None:
        write(report, options.out)
    return report


def _error_lines(log: Path) -> int:
    """Lines the server logged at ERROR (each `internal_error` logs one): a hint to read the log (--keep)."""
    try:
        return sum(1 for line in log.read_text(errors="replace").splitlines() if line.startswith("ERROR"))
    except OSError:
        return 0


def forget(target: Target) -> None:
    """Scaled mode: drop the run's Redis keys (sign-ins, throttles) under its own namespace."""
    settings = target.settings
    if settings is None or not settings.redis_url:
        return

    async def drop() -> None:
        from redis.asyncio import Redis

        redis = Redis.from_url(settings.redis_url)
        try:
            async for key in redis.scan_iter(match=f"{settings.redis_namespace}*", count=1000):
                await redis.delete(key)
        finally:
            await redis.aclose()

    asyncio.run(drop())


def ratios(report: dict[str, Any]) -> dict[str, Any]:
    """Each app figure against the relay's figure of the same run."""
    relay = report["targets"].get("relay")
    out: dict[str, Any] = {}
    if not relay:
        return out
    for name, result in report["targets"].items():
        if name == "relay":
            continue
        mine: dict[str, Any] = {}
        for rooms, figures in result["saturated"].items():
            base = relay["saturated"].get(rooms)
            if base and base["per_second"] and figures["per_second"]:
                mine[f"saturated_{rooms}_throughput"] = round(figures["per_second"] / base["per_second"], 4)
            if base and base["server_cpu_ms_per_intent"] and figures["server_cpu_ms_per_intent"]:
                mine[f"saturated_{rooms}_cpu_per_intent"] = round(
                    figures["server_cpu_ms_per_intent"] / base["server_cpu_ms_per_intent"], 1
                )
        for rooms, figures in result["human"].items():
            base = relay["human"].get(rooms)
            if base and base["p99_ms"] and figures["p99_ms"]:
                mine[f"human_{rooms}_p99"] = round(figures["p99_ms"] / base["p99_ms"], 1)
        default = report["targets"].get("default")
        if name.startswith("scaled") and default:  # issue 8: scaled CPU per intent within 1.5x of default's
            for rooms, figures in result["saturated"].items():
                base = default["saturated"].get(rooms)
                if base and base["server_cpu_ms_per_intent"] and figures["server_cpu_ms_per_intent"]:
                    mine[f"saturated_{rooms}_cpu_per_intent_vs_default"] = round(
                        figures["server_cpu_ms_per_intent"] / base["server_cpu_ms_per_intent"], 2
                    )
        kib, base_kib = result["memory"].get("kib_per_room"), relay["memory"].get("kib_per_room")
        if kib and base_kib:
            mine["kib_per_room"] = round(kib / base_kib, 1)
        out[name] = mine
    return out


def write(report: dict[str, Any], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    latest = out.parent / "latest.json"
    if out.resolve() != latest.resolve():
        latest.write_text(json.dumps(report, indent=2) + "\n")


def default_out() -> Path:
    return RESULTS / f"run-{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}.json"
