"""The load harness runs end to end on a couple of rooms, so it cannot rot between benchmark runs.

Nothing here depends on timing: the figures only have to exist and add up, on however loaded a machine.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests import backends

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.e2e


def _run_harness(tmp_path: Path, targets: list[str], *extra: str) -> dict:
    out = tmp_path / "results.json"
    command = [
        sys.executable, "-m", "bench", "run", "--quick", "--only", ",".join(targets),
        "--saturated", "2", "--human", "3", "--seconds", "2", "--interval", "1",
        "--server-core", "none", "--load-core", "none", "--out", str(out), *extra,
    ]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "vs relay" in done.stdout  # the tables were printed
    return json.loads(out.read_text())


def _check_figures(result: dict) -> None:
    saturated = result["saturated"]["2"]
    assert saturated["intents"] > 0
    assert saturated["server_cpu_ms_per_intent"] is not None
    assert saturated["rooms"] == 2
    human = result["human"]["3"]
    assert human["intents"] > 0
    assert human["p50_ms"] is not None and human["p50_ms"] <= human["p99_ms"]
    assert isinstance(human["errors"], dict)
    assert "kib_per_room" in result["memory"]
    assert result["rooms_connected"] == 3


def test_the_harness_measures_the_relay_and_the_app_with_ratios(tmp_path: Path) -> None:
    report = _run_harness(tmp_path, ["relay", "default"])
    assert set(report["targets"]) == {"relay", "default"}
    for name in ("relay", "default"):
        _check_figures(report["targets"][name])
        # Two rooms are far below any capacity: every intent must be answered, without an error frame.
        for figures in (*report["targets"][name]["saturated"].values(), *report["targets"][name]["human"].values()):
            assert figures["errors"] == {} and figures["unanswered"] == 0 and figures["closed_sockets"] == 0
    assert "saturated_2_throughput" in report["ratios"]["default"]
    assert report["machine"]["open_files_soft"] >= 1024
    assert (tmp_path / "latest.json").exists()


@pytest.mark.skipif(
    not (backends.TEST_DATABASE_URL and backends.TEST_REDIS_URL), reason="scaled mode needs PostgreSQL and Redis"
)
def test_the_harness_runs_two_processes_in_scaled_mode(tmp_path: Path, postgres_ready: bool) -> None:
    report = _run_harness(
        tmp_path, ["scaled"], "--pg-url", backends.TEST_DATABASE_URL, "--redis-url", backends.TEST_REDIS_URL
    )
    result = report["targets"]["scaled"]
    assert result["processes"] == 2
    _check_figures(result)
