"""`python -m bench run [--quick]` and `python -m bench profile`; see bench/README.md."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from bench import report as report_module
from bench import run as run_module

TARGETS = ("relay", "default", "scaled", "scaled-sticky")


def _core(value: str) -> int | None:
    return None if value in ("", "none") else int(value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Load harness for Duologue's live runtime.")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="measure the relay and the app (default and scaled modes)")
    run.add_argument("--quick", action="store_true", help="small levels, about two minutes")
    run.add_argument("--only", default=",".join(TARGETS), help="comma-separated targets: " + ", ".join(TARGETS))
    run.add_argument(
        "--pg-url",
        default=os.environ.get("BENCH_DATABASE_URL", ""),
        help="PostgreSQL for scaled mode (it is wiped), e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/bench",
    )
    run.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", ""), help="Redis for scaled mode")
    run.add_argument(
        "--server-core", type=_core, default=0, help="core the server(s) are pinned to ('none': no pinning)"
    )
    run.add_argument("--load-core", type=_core, default=1, help="core the load generator runs on")
    run.add_argument("--saturated", help="override the saturated levels, e.g. 100,1000")
    run.add_argument("--human", help="override the human-pace levels, e.g. 1000,2500,5000")
    run.add_argument("--seconds", type=float, help="override the length of each measured window")
    run.add_argument("--interval", type=float, help="human pace: seconds between one participant's intents (10)")
    run.add_argument("--out", type=Path, help="where to write the JSON (default bench/results/run-<time>.json)")
    run.add_argument("--keep", action="store_true", help="keep the work folder (logs, SQLite file)")

    show = commands.add_parser("show", help="print the tables of a results file")
    show.add_argument("path", type=Path, nargs="?", default=run_module.RESULTS / "latest.json")

    profile = commands.add_parser("profile", help="profile the server with py-spy under saturated load")
    profile.add_argument("--rooms", type=int, default=100)
    profile.add_argument("--seconds", type=float, default=20)
    profile.add_argument("--mode", choices=("default", "scaled"), default="default")
    profile.add_argument("--pg-url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    profile.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", ""))
    profile.add_argument("--out", type=Path, help="where to write py-spy's output (default bench/results/profile-…)")
    profile.add_argument(
        "--flamegraph", action="store_true", help="write an SVG flame graph instead of collapsed stacks"
    )

    args = parser.parse_args(argv)
    if args.command == "show":
        print(report_module.render(json.loads(args.path.read_text())))
        return 0
    if args.command == "profile":
        from bench import profile as profile_module

        return profile_module.main(args)

    plan = run_module.QUICK if args.quick else run_module.FULL
    if args.saturated is not None:
        plan.saturated = plan.scaled_saturated = [int(x) for x in args.saturated.split(",") if x]
    if args.human is not None:
        plan.human = [int(x) for x in args.human.split(",") if x]
        plan.scaled_human = plan.human[:1]
    if args.seconds:
        plan.saturated_seconds = plan.human_seconds = args.seconds
    if args.interval:
        plan.human_interval = args.interval
    targets = [t.strip() for t in args.only.split(",") if t.strip()]
    unknown = set(targets) - set(TARGETS)
    if unknown:
        parser.error(f"unknown target(s): {', '.join(sorted(unknown))}")
    options = run_module.Options(
        plan=plan,
        targets=targets,
        server_core=args.server_core,
        load_core=args.load_core,
        pg_url=args.pg_url,
        redis_url=args.redis_url,
        out=args.out or run_module.default_out(),
        keep=args.keep,
    )
    report = run_module.run(options)
    print()
    print(report_module.render(report))
    print(f"\nWritten to {options.out} (and {options.out.parent / 'latest.json'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
