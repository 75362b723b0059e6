"""The progress bench runs end to end on a small history, so it cannot rot between runs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.e2e


def test_the_progress_bench_seeds_real_history_and_times_requests(tmp_path: Path) -> None:
    out = tmp_path / "progress.json"
    command = [sys.executable, "-m", "bench.progress", "--only", "sqlite", "--sessions", "24", "--requests", "3"]
    done = subprocess.run(
        [*command, "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    figures = json.loads(out.read_text())["sqlite"]
    assert figures["seeded"]["sessions"] == 24 and figures["seeded"]["events"] > 24 * 20
    assert figures["seeded"]["self_checks"] == 104
    assert 0 < figures["sessions_in_52_weeks"] <= 24
    for key in ("mine_52_weeks", "mine_12_weeks", "facilitator_52_weeks"):
        assert 0 < figures[key]["p50_ms"] <= figures[key]["max_ms"]
    assert figures["first_request_after_upgrade_ms"] > 0
