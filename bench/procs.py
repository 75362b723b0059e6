"""Server processes pinned to one core, and what they cost: CPU time and resident memory from /proc."""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process so far (fields 14 and 15 of /proc/<pid>/stat)."""
    raw = Path(f"/proc/{pid}/stat").read_text()
    fields = raw[raw.rindex(")") + 2 :].split()  # the name may hold spaces; what follows does not
    return (int(fields[11]) + int(fields[12])) / _TICKS


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def raise_open_files() -> tuple[int, int]:
    """Lift the soft open-file limit to the hard one (children inherit it); returns (soft, hard)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        target = hard if hard != resource.RLIM_INFINITY else 1 << 20
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)


def pin_self(core: int | None) -> None:
    if core is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {core})


def pinned(command: list[str], core: int | None) -> list[str]:
    if core is None or shutil.which("taskset") is None:
        return command
    return ["taskset", "-c", str(core), *command]


@dataclass
class ServerProcess:
    """One process under test: started, probed until it answers, measured, stopped."""

    name: str
    command: list[str]
    env: dict[str, str]
    log_path: Path
    probe_url: str
    process: subprocess.Popen[bytes] | None = None
    _log: object = field(default=None, repr=False)
    _cpu: float = field(default=0.0, repr=False)

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self, timeout: float = 120.0) -> None:
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(  # noqa: S603 (our own command line)
            self.command, env=self.env, stdout=self._log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited early; see {self.log_path}:\n{self.log_tail()}")
            if self._answers():
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer within {timeout:.0f} s; see {self.log_path}")

    def _answers(self) -> bool:
        if self.probe_url.startswith("tcp://"):
            import socket

            host, port = self.probe_url[6:].split(":")
            with socket.socket() as sock:
                sock.settimeout(1)
                return sock.connect_ex((host, int(port))) == 0
        try:
            return httpx.get(self.probe_url, timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def cpu(self) -> float:
        """CPU seconds so far; the last figure read once the process has gone (the run notes the death)."""
        with contextlib.suppress(OSError):
            self._cpu = cpu_seconds(self.pid)
        return self._cpu

    def rss(self) -> int:
        try:
            return rss_kib(self.pid)
        except OSError:
            return 0

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._log is not None:
            self._log.close()  # type: ignore[attr-defined]
            self._log = None

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def python_command(*args: str) -> list[str]:
    return [sys.executable, *args]


def duologue_command(*args: str) -> list[str]:
    """The installed `duologue` script next to this interpreter (what operators run)."""
    script = Path(sys.executable).with_name("duologue")
    return [str(script), *args] if script.exists() else [sys.executable, "-m", "server.cli", *args]
