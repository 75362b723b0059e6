"""Print a run's figures as tables, with the app's ratios against the relay of the same run."""

from __future__ import annotations

from typing import Any


def _fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        value = f"{value:,.2f}" if value < 10 else f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"
    elif isinstance(value, int):
        value = f"{value:,}"
    return f"{value}{unit}"


def render(report: dict[str, Any]) -> str:
    lines = [f"Duologue benchmark, build {report['commit']}, {report['started_at']} → {report.get('finished_at')}"]
    targets = report["targets"]
    relay = targets.get("relay", {})
    lines.append("")
    lines.append("Saturated (every participant keeps one intent in flight)")
    lines.append(
        f"{'target':<14}{'rooms':>7}{'per s':>10}{'CPU ms each':>13}{'server CPU':>12}{'load CPU':>10}{'errors':>8}"
        "  vs relay"
    )
    for name, result in targets.items():
        for rooms, s in result["saturated"].items():
            base = relay.get("saturated", {}).get(rooms) if name != "relay" else None
            versus = ""
            if base and base["per_second"] and s["per_second"]:
                versus = f"{s['per_second'] / base['per_second']:.3f}x throughput"
                if base["server_cpu_ms_per_intent"] and s["server_cpu_ms_per_intent"]:
                    versus += f", {s['server_cpu_ms_per_intent'] / base['server_cpu_ms_per_intent']:.0f}x CPU"
            errors = sum(s["errors"].values()) + s["unanswered"]
            lines.append(
                f"{name:<14}{rooms:>7}{_fmt(s['per_second']):>10}{_fmt(s['server_cpu_ms_per_intent']):>13}"
                f"{_fmt(s['server_cpu_percent'], '%'):>12}{_fmt(s['load_cpu_percent'], '%'):>10}{errors:>8}  {versus}"
            )
    default = targets.get("default", {})
    for scaled_name in ("scaled", "scaled-sticky"):
        for rooms, s in targets.get(scaled_name, {}).get("saturated", {}).items():
            base = default.get("saturated", {}).get(rooms)
            if base and base["server_cpu_ms_per_intent"] and s["server_cpu_ms_per_intent"]:
                ratio = s["server_cpu_ms_per_intent"] / base["server_cpu_ms_per_intent"]
                lines.append(f"{scaled_name} CPU per intent at {rooms} rooms: {ratio:.2f}x the default mode's")
    lines.append("")
    lines.append("Human pace (each participant one intent per ~10 s): intent → partner sees the event")
    lines.append(
        f"{'target':<14}{'rooms':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'CPU ms each':>13}"
        f"{'server CPU':>12}{'lost':>6}{'closed':>8}  vs relay"
    )
    for name, result in targets.items():
        for rooms, s in result["human"].items():
            base = relay.get("human", {}).get(rooms) if name != "relay" else None
            versus = f"p99 {s['p99_ms'] / base['p99_ms']:.1f}x" if base and base["p99_ms"] and s["p99_ms"] else ""
            lost = sum(s["errors"].values()) + s["unanswered"]
            lines.append(
                f"{name:<14}{rooms:>7}{_fmt(s['p50_ms']):>9}{_fmt(s['p95_ms']):>9}{_fmt(s['p99_ms']):>9}"
                f"{_fmt(s['server_cpu_ms_per_intent']):>13}{_fmt(s['server_cpu_percent'], '%'):>12}{lost:>6}"
                f"{s['closed_sockets']:>8}  {versus}"
            )
            if s["errors"]:
                lines.append(f"{'':<17}errors by code: {s['errors']}")
            if (s.get("client_loop_lag_p99_ms") or 0) > 10:
                lines.append(
                    f"{'':<17}the client's own loop was late by up to {_fmt(s['client_loop_lag_p99_ms'])} ms"
                    f" (p99): part of these latencies is the load generator's"
                )
    lines.append("")
    lines.append("Memory (server RSS growth per idle live room) and connecting")
    for name, result in targets.items():
        kib = result["memory"].get("kib_per_room")
        base = relay.get("memory", {}).get("kib_per_room") if name != "relay" else None
        versus = f" ({kib / base:.1f}x the relay)" if kib and base else ""
        rates = ", ".join(f"{g['to']} rooms at {_fmt(g['sockets_per_second'])} sockets/s" for g in result["grow"])
        lines.append(f"{name:<14}{_fmt(kib, ' KiB'):>12}{versus}; connecting: {rates}")
    for name, result in targets.items():
        if result.get("server_log_error_lines"):
            lines.append(f"note ({name}): the server logged {result['server_log_error_lines']} ERROR lines (--keep)")
        for note in result.get("notes", []):
            lines.append(f"note ({name}): {note}")
    for note in report.get("notes", []):
        lines.append(f"note: {note}")
    return "\n".join(lines)
