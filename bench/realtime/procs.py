"""Child processes of the benchmark: pinned to a core, with a raised fd limit, always killed at the end."""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path

SERVER_CORE = 0
LOADGEN_CORE = 1
WANTED_OPEN_FILES = 65536


def cpu_count_ok() -> bool:
    return len(os.sched_getaffinity(0)) >= 2


def raise_open_files_limit() -> int:
    """Raise this process's soft open-files limit (children inherit it); returns the new soft limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = WANTED_OPEN_FILES if hard == resource.RLIM_INFINITY else min(WANTED_OPEN_FILES, hard)
    if target > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return max(soft, target)


def pin_self(core: int) -> None:
    with contextlib.suppress(OSError):
        os.sched_setaffinity(0, {core})


class Children:
    """Every process the benchmark starts; `close()` ends them (their own process groups only)."""

    def __init__(self) -> None:
        self.procs: list[subprocess.Popen[bytes]] = []

    def start(
        self,
        args: Sequence[str],
        core: int,
        env: dict[str, str] | None = None,
        cwd: Path | None = None,
        log: Path | None = None,
        pipes: bool = False,
    ) -> subprocess.Popen[bytes]:
        out = open(log, "ab") if log is not None else subprocess.DEVNULL  # noqa: SIM115 - closed with the child
        proc = subprocess.Popen(
            ["taskset", "-c", str(core), *args],  # pinned before exec, so every thread of the child is
            env=env,
            cwd=cwd,
            stdin=subprocess.PIPE if pipes else subprocess.DEVNULL,
            stdout=subprocess.PIPE if pipes else out,
            stderr=out,
            start_new_session=True,
        )
        if log is not None:
            out.close()  # type: ignore[union-attr]
        self.procs.append(proc)
        return proc

    def stop(self, proc: subprocess.Popen[bytes], grace: float = 5.0) -> None:
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(grace)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(grace)
        for stream in (proc.stdin, proc.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        if proc in self.procs:
            self.procs.remove(proc)

    def close(self) -> None:
        for proc in reversed(list(self.procs)):
            self.stop(proc)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_http(url: str, proc: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    """Until `url` answers (any HTTP status), the process dies, or `timeout` passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with code {proc.returncode} before it answered {url}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


def rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_quiet(pid: int, threshold: float = 0.05, window: float = 0.5, timeout: float = 20.0) -> float:
    """Wait until the process uses under `threshold` of a core over `window` seconds; returns the seconds waited."""
    started = time.monotonic()
    before = cpu_seconds(pid)
    while time.monotonic() - started < timeout:
        time.sleep(window)
        after = cpu_seconds(pid)
        if (after - before) / window < threshold:
            break
        before = after
    return time.monotonic() - started


def _core_ticks(core: int) -> tuple[int, int]:
    """(busy, total) clock ticks of one CPU core since boot, from /proc/stat."""
    for line in Path("/proc/stat").read_text().splitlines():
        if line.startswith(f"cpu{core} "):
            user, nice, system, idle, iowait, irq, softirq, steal = map(int, line.split()[1:9])
            busy = user + nice + system + irq + softirq + steal
            return busy, busy + idle + iowait
    raise RuntimeError(f"no cpu{core} in /proc/stat")


class CoreMeter:
    """CPU use over an interval: ours (server on core 0, load generator on core 1) and everyone else's on each core.

    Other work on the server's core (another engineer's tests, say) lowers every throughput figure, so the
    benchmark reports it next to them.
    """

    def __init__(self, server_pid: int, loadgen_pid: int) -> None:
        self.pids = {"server": server_pid, "loadgen": loadgen_pid, "runner": os.getpid()}
        self.started = time.monotonic()
        self.cpu = {name: cpu_seconds(pid) for name, pid in self.pids.items()}
        self.cores = {core: _core_ticks(core) for core in (SERVER_CORE, LOADGEN_CORE)}

    def read(self) -> dict[str, float]:
        wall = time.monotonic() - self.started
        ours = {name: (cpu_seconds(pid) - self.cpu[name]) / wall for name, pid in self.pids.items()}
        busy = {}
        for core, (busy_before, total_before) in self.cores.items():
            busy_now, total_now = _core_ticks(core)
            busy[core] = (busy_now - busy_before) / max(1, total_now - total_before)
        return {
            "server_cpu_s": round(ours["server"] * wall, 3),
            "server_cpu_pct": round(100 * ours["server"]),
            "loadgen_cpu_pct": round(100 * ours["loadgen"]),
            "others_on_server_core_pct": max(0, round(100 * (busy[SERVER_CORE] - ours["server"]))),
            "others_on_loadgen_core_pct": max(0, round(100 * (busy[LOADGEN_CORE] - ours["loadgen"] - ours["runner"]))),
        }


def foreign_load(seconds: float = 1.0) -> dict[str, int]:
    """How busy each benchmark core is before anything starts (other people's work on a shared machine)."""
    before = {core: _core_ticks(core) for core in (SERVER_CORE, LOADGEN_CORE)}
    time.sleep(seconds)
    busy = {}
    for core, (busy_before, total_before) in before.items():
        busy_now, total_now = _core_ticks(core)
        busy[f"core{core}_busy_pct"] = round(100 * (busy_now - busy_before) / max(1, total_now - total_before))
    return busy
